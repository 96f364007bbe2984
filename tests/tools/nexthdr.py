#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A packet of each next header, and what answers.

    nexthdr.py IFACE SRC DST DST_MAC NH...

sends, from IFACE, an IPv6 packet from SRC to DST (at DST_MAC) whose next header is NH
with 40 bytes of zeros after the IPv6 header (for 41, an inner IPv6 header; for 4, an
inner IPv4 one), for each NH, and prints what came back within 3 s: the ICMPv6 error
(type, code, pointer) or nothing.
"""
import sys
import threading

from scapy.arch import get_if_hwaddr
from scapy.config import conf
from scapy.layers.inet import IP
from scapy.layers.inet6 import ICMPv6DestUnreach, ICMPv6ParamProblem, IPv6
from scapy.layers.l2 import Ether
from scapy.packet import Raw
from scapy.sendrecv import AsyncSniffer, sendp

conf.verb = 0


def payload(nh):
    if nh == 41:
        return IPv6(src="2001:db8:ff::1", dst="2001:db8:ff::2", nh=59)
    if nh == 4:
        return IP(src="192.0.2.1", dst="192.0.2.2", proto=255)
    return Raw(b"\0" * 40)


def probe(iface, src, dst, mac, nh):
    pkt = Ether(src=get_if_hwaddr(iface), dst=mac) / IPv6(src=src, dst=dst, nh=nh) / payload(nh)
    opened = threading.Event()
    sniffer = AsyncSniffer(
        iface=iface,
        lfilter=lambda p: IPv6 in p and p[IPv6].src == dst and p[IPv6].nh == 58,
        count=1,
        timeout=3,
        started_callback=opened.set,
    )
    sniffer.start()
    opened.wait(3)
    sendp(pkt, iface=iface)
    sniffer.join()
    got = sniffer.results or []
    if not got:
        return "nothing"
    p = got[0]
    if ICMPv6ParamProblem in p:
        e = p[ICMPv6ParamProblem]
        return f"parameter problem, code {e.code}, pointer {e.ptr}"
    if ICMPv6DestUnreach in p:
        return f"destination unreachable, code {p[ICMPv6DestUnreach].code}"
    return f"ICMPv6 type {p[IPv6].payload.type}"


def main():
    iface, src, dst, mac = sys.argv[1:5]
    for nh in sys.argv[5:]:
        print(f"next header {nh}: {probe(iface, src, dst, mac, int(nh))}")


main()
