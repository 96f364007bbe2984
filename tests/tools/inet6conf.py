#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print a device's IPv6 settings as link dumps carry them.

    inet6conf.py DEV

dumps the links' IPv6 details (an AF_INET6 RTM_GETLINK dump, as `ip -6 link` asks)
and prints, for DEV, the IFLA_INET6_CONF array of its IFLA_PROTINFO (mainline's
ipv6_store_devconf(), DEVCONF_*-indexed), one "index value" pair per line, and its
IFLA_INET6_FLAGS.
"""
import socket
import struct
import sys

RTM_GETLINK, NLMSG_DONE, NLMSG_ERROR = 18, 3, 2
IFLA_IFNAME, IFLA_PROTINFO = 3, 12
IFLA_INET6_FLAGS, IFLA_INET6_CONF = 1, 2
AF_INET6 = 10


def tlvs(buf):
    off = 0
    while off + 4 <= len(buf):
        ln, ty = struct.unpack_from("=HH", buf, off)
        if ln < 4:
            return
        yield ty & 0x3FFF, buf[off + 4:off + ln]
        off += (ln + 3) & ~3


def main(dev):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    s.bind((0, 0))
    ifi = struct.pack("=BxHiII", AF_INET6, 0, 0, 0, 0)
    s.send(struct.pack("=IHHII", 16 + len(ifi), RTM_GETLINK, 0x301, 1, 0) + ifi)
    while True:
        data = s.recv(1 << 16)
        off = 0
        while off + 16 <= len(data):
            ln, ty = struct.unpack_from("=IH", data, off)
            if ty in (NLMSG_DONE, NLMSG_ERROR):
                return 1
            attrs = dict(tlvs(data[off + 32:off + ln]))
            name = attrs.get(IFLA_IFNAME, b"").rstrip(b"\0").decode()
            if name == dev and IFLA_PROTINFO in attrs:
                inet6 = dict(tlvs(attrs[IFLA_PROTINFO]))
                conf = inet6.get(IFLA_INET6_CONF, b"")
                vals = struct.unpack(f"={len(conf) // 4}i", conf)
                print(f"{len(vals)} settings")
                for i, v in enumerate(vals):
                    print(i, v)
                flags = inet6.get(IFLA_INET6_FLAGS, b"\0\0\0\0")
                print("flags", hex(struct.unpack("=I", flags)[0]))
                return 0
            off += (ln + 3) & ~3


sys.exit(main(sys.argv[1]))
