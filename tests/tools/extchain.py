#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Echo requests behind long chains of destination options headers, and what answers.

    extchain.py IFACE SRC DST DST_MAC N...

sends, from IFACE, an ICMPv6 echo request from SRC to DST (at DST_MAC) behind N
chained empty destination options headers (each 8 bytes of PadN), for each N, and
prints what came back within 3 s: an echo reply, an ICMPv6 error (type, code, pointer),
or nothing.
"""
import sys
import threading

from scapy.arch import get_if_hwaddr
from scapy.config import conf
from scapy.layers.inet6 import (
    ICMPv6EchoReply,
    ICMPv6EchoRequest,
    IPv6,
    IPv6ExtHdrDestOpt,
    PadN,
)
from scapy.layers.l2 import Ether
from scapy.sendrecv import AsyncSniffer, sendp

conf.verb = 0


def probe(iface, src, dst, mac, n, ident):
    chain = IPv6(src=src, dst=dst, hlim=64)
    for _ in range(n):
        chain = chain / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 4)])
    pkt = Ether(src=get_if_hwaddr(iface), dst=mac) / chain / ICMPv6EchoRequest(id=ident, seq=1)
    opened = threading.Event()
    sniffer = AsyncSniffer(
        iface=iface,
        lfilter=lambda p: IPv6 in p and p[IPv6].src == dst and p[IPv6].nh == 58,
        count=1,
        timeout=3,
        started_callback=opened.set,
    )
    sniffer.start()
    # The capture opens in the sniffer's thread: a probe sent before it is open would
    # find its answer missed (seen once under emulation, for the first probe).
    if not opened.wait(60):
        return "capture did not start"
    sendp(pkt, iface=iface)
    sniffer.join()
    got = sniffer.results
    if not got:
        return "no answer"
    icmp = got[0][IPv6].payload
    if isinstance(icmp, ICMPv6EchoReply):
        return "echo reply" if icmp.id == ident else "echo reply (other id)"
    ptr = getattr(icmp, "ptr", None)
    return f"ICMPv6 type {icmp.type} code {icmp.code}" + (f" pointer {ptr}" if ptr is not None else "")


def main():
    iface, src, dst, mac = sys.argv[1:5]
    for i, n in enumerate(int(a) for a in sys.argv[5:]):
        print(f"{n} chained destination options headers ({40 + 8 * n + 8}-byte packet): "
              f"{probe(iface, src, dst, mac, n, 0x4200 + i)}")


if __name__ == "__main__":
    main()
