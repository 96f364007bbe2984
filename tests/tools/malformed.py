#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send malformed and unusual IPv6 packets to a node and print what comes back.

Run on the peer VM of tests/guest/malformed.sh:
    malformed.py IFACE DST_MAC DST_ADDR SRC_ADDR
Each case is sent at the link layer (no neighbour discovery by scapy); the line printed
for it names every ICMPv6 message the node sent back within two seconds other than
neighbour discovery and MLD (type, code, pointer or sequence number), or says there was
none. Cases marked " !" are expected to draw no answer.
"""
import sys
import time

from scapy.all import (
    AsyncSniffer,
    Ether,
    ICMPv6EchoRequest,
    ICMPv6ND_NS,
    IPv6,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting,
    HBHOptUnknown,
    Raw,
    conf,
    get_if_hwaddr,
    fragment6,
    sendp,
)

iface, dst_mac, dst, src = sys.argv[1:5]
conf.verb = 0
eth = Ether(dst=dst_mac, src=get_if_hwaddr(iface), type=0x86DD)


def echo(seq):
    return ICMPv6EchoRequest(id=0x6d6c, seq=seq, data=b"malformed")


# Background ICMPv6 of the node that is not an answer to our cases.
BACKGROUND = {130, 131, 132, 133, 134, 135, 136, 143}


def icmp_of(p):
    """The ICMPv6 message of an unfragmented packet or of a first fragment."""
    if IPv6 not in p or p[IPv6].src != dst:
        return None
    ip = p[IPv6]
    if ip.nh == 58:
        return ip.payload
    if ip.nh == 44 and IPv6ExtHdrFragment in p:
        f = p[IPv6ExtHdrFragment]
        if f.offset == 0 and f.nh == 58:
            return f.payload
    return None


def answer(p):
    icmp = icmp_of(p)
    return icmp is not None and icmp.type not in BACKGROUND


def describe(p):
    ip = p[IPv6]
    icmp = icmp_of(p)
    fields = [f"type {icmp.type}", f"code {icmp.code}"]
    if icmp.type == 4:
        fields.append(f"pointer {icmp.ptr}")
    if icmp.type == 129:
        fields.append(f"seq {icmp.seq}")
    if ip.nh == 44:
        fields.append(f"fragmented ({ip[IPv6ExtHdrFragment].m and 'first of several' or 'one'})")
    return f"{', '.join(fields)} from {ip.src} to {ip.dst} hlim {ip.hlim}"


def exchange(frame, wait=2):
    sniffer = AsyncSniffer(iface=iface, lfilter=answer, timeout=wait)
    sniffer.start()
    time.sleep(0.5)
    sendp(frame, iface=iface)
    sniffer.join()
    return [describe(p[IPv6]) for p in sniffer.results or []]


def show(name, frame):
    # Under emulation a frame is occasionally lost on the way; a case that draws an
    # answer is retried (twice at most) so that a loss does not look like silence.
    # Cases that draw none (the names end with " !") are sent once, so the counters
    # they move stay exact.
    silent = name.endswith(" !")
    # A reassembly timeout (the node under test runs with ip6frag_time 3) takes longer.
    wait = 6 if "times out" in name else 2
    for _ in range(1 if silent else 3):
        got = exchange(frame, wait)
        if got:
            break
    print(f"{name.removesuffix(' !')}: {'; '.join(got) if got else 'no answer'}")


base = IPv6(src=src, dst=dst)
cases = [
    ("echo request", eth / base / echo(1)),
    ("truncated header (20 of 40 bytes) !", eth / Raw(bytes(base / echo(2))[:20])),
    ("payload length beyond the frame !", eth / IPv6(src=src, dst=dst, plen=200) / echo(3)),
    ("version 4 in an IPv6 frame !", eth / IPv6(src=src, dst=dst, version=4) / echo(4)),
    ("multicast source !", eth / IPv6(src="ff02::1", dst=dst) / echo(5)),
    ("loopback destination !", eth / IPv6(src=src, dst="::1") / echo(6)),
    ("routing header type 0, segments left 1",
     eth / base / IPv6ExtHdrRouting(type=0, segleft=1, addresses=["2001:db8:1::99"]) / echo(7)),
    ("routing header type 0, segments left 0",
     eth / base / IPv6ExtHdrRouting(type=0, segleft=0, addresses=["2001:db8:1::99"]) / echo(8)),
    ("unknown routing header type 9, segments left 1",
     eth / base / IPv6ExtHdrRouting(type=9, segleft=1, addresses=["2001:db8:1::99"]) / echo(9)),
    ("unknown next header 253", eth / IPv6(src=src, dst=dst, nh=253) / Raw(b"\x00" * 16)),
    ("unknown option, action 10 (0x9e)",
     eth / base / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0x9e, optdata=b"\x00" * 4)]) / echo(11)),
    ("unknown option, action 11 (0xde)",
     eth / base / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0xde, optdata=b"\x00" * 4)]) / echo(12)),
    ("unknown option, action 01 (0x5e) !",
     eth / base / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0x5e, optdata=b"\x00" * 4)]) / echo(13)),
    ("unknown option, action 00 (0x1e)",
     eth / base / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0x1e, optdata=b"\x00" * 4)]) / echo(14)),
    ("unknown option 0xde to all-nodes !",
     Ether(dst="33:33:00:00:00:01", src=get_if_hwaddr(iface)) / IPv6(src=src, dst="ff02::1")
     / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0xde, optdata=b"\x00" * 4)]) / echo(15)),
    ("unknown option 0x9e to all-nodes",
     Ether(dst="33:33:00:00:00:01", src=get_if_hwaddr(iface)) / IPv6(src=src, dst="ff02::1")
     / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0x9e, optdata=b"\x00" * 4)]) / echo(16)),
    ("hop-by-hop header after destination options",
     eth / base / IPv6ExtHdrDestOpt() / IPv6ExtHdrHopByHop() / echo(17)),
    ("PadN with non-zero padding !",
     eth / base / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=1, optdata=b"\x01\x00\x00\x00")]) / echo(18)),
    ("bad ICMPv6 checksum !", eth / base / ICMPv6EchoRequest(id=0x6d6c, seq=19, cksum=0x1234)),
    ("neighbour solicitation with hop limit 64 !",
     eth / IPv6(src=src, dst=dst, hlim=64) / ICMPv6ND_NS(tgt=dst)),
    ("echo request to all-nodes",
     Ether(dst="33:33:00:00:00:01", src=get_if_hwaddr(iface)) / IPv6(src=src, dst="ff02::1") / echo(20)),
]



def frag(ident, offset, more, payload, nh=58):
    """One fragment: data `payload` (bytes) at byte `offset` of the original payload."""
    return (eth / IPv6(src=src, dst=dst)
            / IPv6ExtHdrFragment(nh=nh, id=ident, offset=offset // 8, m=int(more))
            / Raw(payload))


big = bytes(base / ICMPv6EchoRequest(id=0x6d6c, seq=30, data=b"f" * 3000))[40:]
echo31 = bytes(base / ICMPv6EchoRequest(id=0x6d6c, seq=31, data=b"o" * 40))[40:]
cases += [
    ("echo request in three fragments",
     [eth / f for f in fragment6(base / IPv6ExtHdrFragment(id=0x1001)
                                 / ICMPv6EchoRequest(id=0x6d6c, seq=21, data=b"f" * 3000), 1280)]),
    ("fragments out of order, last first",
     [frag(0x1002, 2464, False, big[2464:]), frag(0x1002, 1232, True, big[1232:2464]),
      frag(0x1002, 0, True, big[:1232])]),
    ("overlapping fragments (RFC 5722) !",
     [frag(0x1003, 0, True, echo31[:32]), frag(0x1003, 24, False, echo31[24:])]),
    ("duplicate fragment, then the rest",
     [frag(0x1004, 0, True, echo31[:16]), frag(0x1004, 0, True, echo31[:16]),
      frag(0x1004, 16, False, echo31[16:])]),
    ("first fragment without the upper-layer header",
     [frag(0x1005, 0, True, b"\x3a\x00\x01\x04\x00\x00\x00\x00", nh=60)]),
    ("non-last fragment not a multiple of 8 bytes",
     [frag(0x1006, 0, True, echo31[:20])]),
    ("fragment beyond 65535 bytes", [frag(0x1007, 65528, False, b"\x00" * 16)]),
    ("atomic fragment", [frag(0x1008, 0, False, echo31)]),
    ("first fragment alone: reassembly times out", [frag(0x1009, 0, True, echo31[:16])]),
    ("later fragment alone: times out silently !", [frag(0x100a, 16, False, echo31[16:])]),
]


def chain(n):
    c = IPv6ExtHdrDestOpt()
    for _ in range(n - 1):
        c = c / IPv6ExtHdrDestOpt()
    return c


# Chains of destination options headers (mainline has no limit on their number).
# Longer ones (64 to 128) are tests/guest/ext-chain.sh's, over veth: across the two
# VMs, frames behind 64 and more are sometimes lost for a whole boot, on either stack
# (Documentation/abi.rst).
cases += [(f"{n} chained destination options headers", eth / base / chain(n) / echo(100 + n))
          for n in (2, 16)]

for name, frame in cases:
    show(name, frame)
