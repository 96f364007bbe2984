#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A scripted IPv6 router for tests/guest/ra-slaac.sh: sniff router solicitations, send
router advertisements (good and bad ones).

    ra.py

runs in the router's network namespace and reads one command a line on stdin; it
answers each with its output lines and then a line holding only ".", so that a shell
coprocess can drive it (scapy starts once, which takes seconds under emulation):

    listen IFACE        start capturing the router solicitations IFACE receives
    rs-first TIMEOUT    wait (at most TIMEOUT s) for the first one and describe it
    rs-count WINDOW     wait until WINDOW s after the first one, print how many came
                        within that window (by kernel receive time), stop capturing
    send IFACE NAME...  send the router advertisements NAME... (see RAS) on IFACE, from
                        IFACE's link-local address and MAC to ff02::1
    quit

The sender's link-local address is read from /proc/net/if_inet6 of the namespace.
"""
import sys
import threading
import time

# The modules needed, not scapy.all (which loads every layer): quicker under emulation.
from scapy.arch import get_if_hwaddr
from scapy.config import conf
from scapy.layers.inet6 import (
    ICMPv6ND_RA,
    ICMPv6ND_RS,
    ICMPv6NDOptMTU,
    ICMPv6NDOptPrefixInfo,
    ICMPv6NDOptRouteInfo,
    ICMPv6NDOptSrcLLAddr,
    IPv6,
    in6_chksum,
)
from scapy.layers.l2 import Ether
from scapy.packet import Raw
from scapy.sendrecv import AsyncSniffer, sendp

conf.verb = 0


def link_local(iface):
    with open("/proc/net/if_inet6") as f:
        for line in f:
            addr, _, _, scope, _, name = line.split()
            if name == iface and scope == "20":
                return ":".join(addr[i:i + 4] for i in range(0, 32, 4))
    raise SystemExit(f"no link-local address on {iface}")


def pio(prefix, plen=64, L=1, A=1, valid=86400, preferred=14400):
    return ICMPv6NDOptPrefixInfo(prefix=prefix, prefixlen=plen, L=L, A=A,
                                 validlifetime=valid, preferredlifetime=preferred)


def ra(mac, chlim=0, M=0, O=0, lifetime=0, reachable=0, retrans=0, code=0):
    # prf=0: medium preference (scapy's default is high).
    return (ICMPv6ND_RA(code=code, chlim=chlim, M=M, O=O, prf=0, routerlifetime=lifetime,
                        reachabletime=reachable, retranstimer=retrans)
            / ICMPv6NDOptSrcLLAddr(lladdr=mac))


def ra_full(mac):
    """The first advertisement: every parameter, three prefixes, a route."""
    return (ra(mac, chlim=63, M=1, O=1, lifetime=1800, reachable=30000, retrans=1500)
            / ICMPv6NDOptMTU(mtu=1400)
            / pio("2001:db8:a::", valid=86400, preferred=14400)
            / pio("2001:db8:b::", A=0, valid=3600, preferred=1800)
            / pio("2001:db8:c::", L=0)
            / ICMPv6NDOptRouteInfo(plen=48, prf=1, rtlifetime=600, prefix="2001:db8:f::"))


def ra_withdraw(mac):
    """The second one: no longer a default router, prefix b and the route withdrawn,
    prefix a with short lifetimes (RFC 4862 5.5.3e keeps two hours of validity)."""
    return (ra(mac, M=1, O=1, lifetime=0)
            / pio("2001:db8:b::", A=0, valid=0, preferred=0)
            / pio("2001:db8:a::", valid=60, preferred=30)
            / ICMPv6NDOptRouteInfo(plen=48, prf=1, rtlifetime=0, prefix="2001:db8:f::"))


def ra_new(mac, code=0):
    """What a bad advertisement carries: were it accepted, a default route and prefix d
    (route and address) would appear."""
    return ra(mac, M=1, O=1, lifetime=1800, code=code) / pio("2001:db8:d::")


# name -> function of the sender's MAC giving (IPv6 header fields, ICMPv6 message)
RAS = {
    "full": lambda mac: ({}, ra_full(mac)),
    "withdraw": lambda mac: ({}, ra_withdraw(mac)),
    "global-source": lambda mac: ({"src": "2001:db8:a::1"}, ra_new(mac)),
    "hop-limit-254": lambda mac: ({"hlim": 254}, ra_new(mac)),
    "code-1": lambda mac: ({}, ra_new(mac, code=1)),
    "bad-checksum": lambda mac: ({}, ra_new(mac)),  # checksum spoilt in frame()
    "preferred-above-valid": lambda mac: (
        {}, ra(mac, M=1, O=1) / pio("2001:db8:d::", valid=100, preferred=200)),
    "prefix-48-autonomous": lambda mac: (
        {}, ra(mac, M=1, O=1) / pio("2001:db8:e::", plen=48, L=0)),
    "zero-length-option": lambda mac: (
        {}, ra_new(mac) / Raw(b"\x03\x00" + b"\x00" * 6)),
}


def frame(iface, name):
    mac = get_if_hwaddr(iface)
    ll = link_local(iface)
    hdr, msg = RAS[name](mac)
    fields = {"src": ll, "dst": "ff02::1", "hlim": 255}
    fields.update(hdr)
    pkt = Ether(src=mac, dst="33:33:00:00:00:01") / IPv6(**fields) / msg
    if name == "bad-checksum":
        pkt = Ether(bytes(pkt))
        pkt[ICMPv6ND_RA].cksum ^= 0x5555
    return pkt


sniffer = None
solicits = []


def is_rs(p):
    return IPv6 in p and ICMPv6ND_RS in p


def describe_rs(p):
    ip = p[IPv6]
    rs = p[ICMPv6ND_RS]
    out = [
        f"ethernet: from {p[Ether].src} to {p[Ether].dst}",
        f"ipv6: from {ip.src} to {ip.dst} hop limit {ip.hlim} traffic class {ip.tc}"
        f" flow label {ip.fl} payload length {ip.plen}",
        f"icmpv6: type {rs.type} code {rs.code} reserved {rs.res}",
    ]
    # The checksum as sent against the one scapy computes.
    body = bytes(ip.payload)
    zeroed = body[:2] + b"\x00\x00" + body[4:]
    good = in6_chksum(58, ip, zeroed) == rs.cksum
    out.append(f"icmpv6 checksum {'correct' if good else 'WRONG'}")
    opt = rs.payload
    while opt and not isinstance(opt, Raw) and opt.name != "NoPayload":
        if isinstance(opt, ICMPv6NDOptSrcLLAddr):
            out.append(f"option: source link-layer address {opt.lladdr} (length {opt.len})")
        else:
            out.append(f"option: {opt.name}")
        opt = opt.payload
    if isinstance(opt, Raw):
        out.append(f"trailing bytes: {bytes(opt).hex()}")
    return out


def run(cmd):
    global sniffer
    if cmd[0] == "listen":
        opened = threading.Event()
        own = get_if_hwaddr(cmd[1])
        # Not the router's own (its outgoing frames are captured too).
        sniffer = AsyncSniffer(iface=cmd[1], lfilter=lambda p: is_rs(p) and p[Ether].src != own,
                               prn=solicits.append, store=False, started_callback=opened.set)
        sniffer.start()
        if not opened.wait(60):
            return ["capture did not start"]
        return ["listening"]
    if cmd[0] == "rs-first":
        deadline = time.time() + float(cmd[1])
        while not solicits and time.time() < deadline:
            time.sleep(0.1)
        if not solicits:
            return ["no router solicitation"]
        return describe_rs(solicits[0])
    if cmd[0] == "rs-count":
        window = float(cmd[1])
        if not solicits:
            return ["no router solicitation"]
        first = float(solicits[0].time)
        while time.time() < first + window + 0.5:
            time.sleep(0.1)
        sniffer.stop()
        n = sum(1 for p in solicits if float(p.time) < first + window)
        return [f"router solicitations within {window:g} s of the first: {n}"]
    if cmd[0] == "send":
        iface = cmd[1]
        out = []
        for name in cmd[2:]:
            sendp(frame(iface, name), iface=iface)
            time.sleep(0.2)
            out.append(f"sent {name}")
        return out
    return [f"unknown command {cmd[0]}"]


for line in sys.stdin:
    cmd = line.split()
    if not cmd:
        continue
    if cmd[0] == "quit":
        break
    for out_line in run(cmd):
        print(out_line)
    print(".", flush=True)
