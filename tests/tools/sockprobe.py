#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""AF_INET6 socket API probes: one line per call, its result or its errno name.

Run as root in a namespace with lo up, 2001:db8:7::1/64 on a device (no DAD) and no
other global address, and 2001:db8:8::1/64 on a veth whose peer is in namespace "c"
with 2001:db8:8::2/64 (no DAD). The output is compared between mainline's ipv6.ko and ipv6_rs:
every value printed is deterministic (ports and identifiers the kernel picks are shown
as "auto").
"""
import ctypes
import errno
import fcntl
import os
import select
import socket
import struct
import termios

A6 = socket.AF_INET6
SOL_IPV6 = socket.IPPROTO_IPV6
SOL_RAW = 255
SOL_ICMPV6 = 58
IPV6_CHECKSUM = 7
ICMP6_FILTER = 1
IPV6_RECVERR = 25
IPV6_RECVPKTINFO = 49
IPV6_PKTINFO = 50
IPV6_RECVHOPLIMIT = 51
IPV6_HOPLIMIT = 52
IPV6_UNICAST_HOPS = 16
IPV6_MULTICAST_HOPS = 18
IPV6_MULTICAST_LOOP = 19
IPV6_MTU_DISCOVER = 23
IPV6_V6ONLY = 26
IPV6_TCLASS = 67
IPV6_RECVTCLASS = 66
UDP_CORK = 1
CLONE_NEWNET = 0x40000000
ME = "2001:db8:7::1"


def probe(name, fn):
    try:
        r = fn()
    except OSError as e:
        r = errno.errorcode.get(e.errno, e.errno)
    print(f"{name}: {r}")
    return r


def sock(ty, proto=0):
    return socket.socket(A6, ty, proto)


def addr(a):
    """A sockaddr tuple with kernel-chosen ports masked."""
    host, port, flow, scope = a
    return (host, "auto" if port > 1024 else port, flow, scope)


def inet6_checksum(pseudo_addrs, icmp):
    """The ICMPv6 checksum over the pseudo-header and message; 0 when the message's own is right."""
    data = pseudo_addrs + len(icmp).to_bytes(4, "big") + b"\0\0\0\x3a" + icmp
    if len(data) % 2:
        data += b"\0"
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return 0xFFFF - total


def cmsgs(anc):
    out = []
    for level, ty, data in anc:
        if (level, ty) == (SOL_IPV6, IPV6_PKTINFO):
            out.append(("pktinfo", socket.inet_ntop(A6, data[:16]), struct.unpack("i", data[16:20])[0] > 0))
        elif (level, ty) == (SOL_IPV6, IPV6_HOPLIMIT):
            out.append(("hoplimit", struct.unpack("i", data)[0]))
        elif (level, ty) == (SOL_IPV6, IPV6_TCLASS):
            out.append(("tclass", struct.unpack("i", data)[0]))
        elif (level, ty) == (SOL_IPV6, IPV6_RECVERR):
            e, origin, t, code, _pad, info, _data = struct.unpack("IBBBBII", data[:16])
            off = socket.inet_ntop(A6, data[24:40])
            out.append(("recverr", errno.errorcode.get(e, e), origin, t, code, info, off))
        else:
            out.append((level, ty, len(data)))
    return out


def wait(s, t=3.0):
    r, _, x = select.select([s], [], [s], t)
    return bool(r or x)


print("# socket()")
for ty, proto in [(socket.SOCK_RAW, 0), (socket.SOCK_RAW, 58), (socket.SOCK_RAW, 255),
                  (socket.SOCK_RAW, 256), (socket.SOCK_DGRAM, 0), (socket.SOCK_DGRAM, 17),
                  (socket.SOCK_DGRAM, 58), (socket.SOCK_DGRAM, 41), (socket.SOCK_SEQPACKET, 0)]:
    probe(f"socket({ty}, {proto})", lambda: sock(ty, proto).getsockname())

print("# raw ICMPv6 options")
r = sock(socket.SOCK_RAW, 58)
probe("checksum default", lambda: r.getsockopt(SOL_RAW, IPV6_CHECKSUM))
probe("checksum at SOL_IPV6 (get)", lambda: r.getsockopt(SOL_IPV6, IPV6_CHECKSUM))
probe("checksum at SOL_IPV6 (set)", lambda: r.setsockopt(SOL_IPV6, IPV6_CHECKSUM, 2))
probe("checksum odd", lambda: r.setsockopt(SOL_RAW, IPV6_CHECKSUM, 3))
probe("checksum short", lambda: r.setsockopt(SOL_RAW, IPV6_CHECKSUM, b"\x02\x00"))
probe("filter default", lambda: r.getsockopt(SOL_ICMPV6, ICMP6_FILTER, 32).hex())
probe("filter set", lambda: r.setsockopt(SOL_ICMPV6, ICMP6_FILTER, b"\xff" * 32))
probe("filter get 10", lambda: r.getsockopt(SOL_ICMPV6, ICMP6_FILTER, 10).hex())
probe("filter unknown opt", lambda: r.setsockopt(SOL_ICMPV6, 9, b"\x00" * 4))
for name, opt in [("unicast hops", IPV6_UNICAST_HOPS), ("multicast hops", IPV6_MULTICAST_HOPS),
                  ("multicast loop", IPV6_MULTICAST_LOOP), ("mtu discover", IPV6_MTU_DISCOVER),
                  ("recverr", IPV6_RECVERR), ("recvpktinfo", IPV6_RECVPKTINFO),
                  ("recvhoplimit", IPV6_RECVHOPLIMIT), ("tclass", IPV6_TCLASS),
                  ("v6only", IPV6_V6ONLY)]:
    probe(f"{name} default", lambda: r.getsockopt(SOL_IPV6, opt))
probe("unicast hops 256", lambda: r.setsockopt(SOL_IPV6, IPV6_UNICAST_HOPS, 256))
probe("unicast hops 7", lambda: r.setsockopt(SOL_IPV6, IPV6_UNICAST_HOPS, 7))
probe("unicast hops now", lambda: r.getsockopt(SOL_IPV6, IPV6_UNICAST_HOPS))
probe("unicast hops -1", lambda: r.setsockopt(SOL_IPV6, IPV6_UNICAST_HOPS, -1))
probe("unicast hops back", lambda: r.getsockopt(SOL_IPV6, IPV6_UNICAST_HOPS))
probe("multicast hops -1", lambda: r.setsockopt(SOL_IPV6, IPV6_MULTICAST_HOPS, -1))
probe("multicast hops back", lambda: r.getsockopt(SOL_IPV6, IPV6_MULTICAST_HOPS))
probe("multicast loop 2", lambda: r.setsockopt(SOL_IPV6, IPV6_MULTICAST_LOOP, 2))
probe("tclass 300", lambda: r.setsockopt(SOL_IPV6, IPV6_TCLASS, 300))
probe("mtu discover 9", lambda: r.setsockopt(SOL_IPV6, IPV6_MTU_DISCOVER, 9))
probe("v6only on raw", lambda: r.setsockopt(SOL_IPV6, IPV6_V6ONLY, 1))
probe("unknown SOL_IPV6 option", lambda: r.setsockopt(SOL_IPV6, 999, 1))
probe("short getsockopt", lambda: r.getsockopt(SOL_IPV6, IPV6_UNICAST_HOPS, 1).hex())
u = sock(socket.SOCK_RAW, 17)
probe("raw udp checksum default", lambda: u.getsockopt(SOL_RAW, IPV6_CHECKSUM))
probe("raw udp checksum at SOL_IPV6", lambda: u.setsockopt(SOL_IPV6, IPV6_CHECKSUM, 6))
probe("raw udp filter", lambda: u.setsockopt(SOL_ICMPV6, ICMP6_FILTER, b"\x00" * 32))

print("# raw bind and send")
probe("bind ::1", lambda: (sock(socket.SOCK_RAW, 58).bind(("::1", 0))))
probe("bind foreign", lambda: sock(socket.SOCK_RAW, 58).bind(("2001:db8:7::99", 0)))
probe("bind link-local without scope", lambda: sock(socket.SOCK_RAW, 58).bind(("fe80::1", 0)))
probe("bind bad scope", lambda: sock(socket.SOCK_RAW, 58).bind(("fe80::1", 0, 0, 999)))
probe("bind mapped", lambda: sock(socket.SOCK_RAW, 58).bind(("::ffff:10.0.0.1", 0)))
b = sock(socket.SOCK_RAW, 58)
b.bind((ME, 0))
probe("getsockname", lambda: addr(b.getsockname()))
probe("getpeername", lambda: b.getpeername())
probe("send unconnected", lambda: b.send(b"\x80\x00\x00\x00\x00\x01\x00\x01"))
probe("sendto wrong proto", lambda: b.sendto(b"\x80\x00\x00\x00", (ME, 17)))
probe("sendto too short for checksum", lambda: b.sendto(b"\x80", (ME, 0)))
probe("sendto no route", lambda: b.sendto(b"\x80\x00\x00\x00\x00\x01\x00\x01", ("2001:db9::1", 0)))
probe("sendto link-local without scope", lambda: b.sendto(b"\x80\x00\x00\x00", ("fe80::1", 0)))
probe("connect", lambda: b.connect((ME, 0)))
probe("getpeername connected", lambda: b.getpeername())

print("# raw echo to ourselves")
e = sock(socket.SOCK_RAW, 58)
e.setsockopt(SOL_IPV6, IPV6_RECVHOPLIMIT, 1)
e.setsockopt(SOL_IPV6, IPV6_RECVPKTINFO, 1)
e.setsockopt(SOL_IPV6, IPV6_RECVTCLASS, 1)
flt = bytearray(b"\xff" * 32)
flt[16] &= ~0x02  # pass echo replies (129)
e.setsockopt(SOL_ICMPV6, ICMP6_FILTER, bytes(flt))
e.sendto(b"\x80\x00\x00\x00\x12\x34\x00\x01hello", (ME, 0))
if wait(e):
    data, anc, flags, src = e.recvmsg(100, 200)
    print("echo reply:", data.hex(), flags, src, cmsgs(anc))
else:
    print("echo reply: none")
e.sendto(b"\x80\x00\x00\x00\x12\x34\x00\x02hello", (ME, 0))
if wait(e):
    data, anc, flags, src = e.recvmsg(3, 200, socket.MSG_TRUNC)
    print("truncated echo reply:", data.hex(), flags & socket.MSG_TRUNC != 0)

print("# udp")
s1 = sock(socket.SOCK_DGRAM)
probe("udp bind ::1:0", lambda: s1.bind(("::1", 0)))
probe("udp getsockname", lambda: addr(s1.getsockname()))
probe("udp bind again", lambda: s1.bind(("::1", 0)))
port = s1.getsockname()[1]
probe("udp bind same port", lambda: sock(socket.SOCK_DGRAM).bind(("::1", port)))
probe("udp bind same port any", lambda: sock(socket.SOCK_DGRAM).bind(("::", port)))
probe("udp bind foreign", lambda: sock(socket.SOCK_DGRAM).bind(("2001:db8:7::99", 0)))
probe("udp v6only default", lambda: s1.getsockopt(SOL_IPV6, IPV6_V6ONLY))
probe("udp cork", lambda: s1.getsockopt(socket.IPPROTO_UDP, UDP_CORK))
s2 = sock(socket.SOCK_DGRAM)
probe("udp send unconnected", lambda: s2.send(b"x"))
probe("udp sendto port 0", lambda: s2.sendto(b"x", ("::1", 0)))
probe("udp sendto no route", lambda: s2.sendto(b"x", ("2001:db9::1", 9)))
probe("udp sendto ::1", lambda: s2.sendto(b"hello", ("::1", port)))
s1.setsockopt(SOL_IPV6, IPV6_RECVPKTINFO, 1)
s1.setsockopt(SOL_IPV6, IPV6_RECVHOPLIMIT, 1)
if wait(s1):
    data, anc, flags, src = s1.recvmsg(100, 200)
    print("udp recvmsg:", data, flags, addr(src), cmsgs(anc))
probe("udp sendto 3", lambda: s2.sendto(b"abcdefgh", ("::1", port)))
if wait(s1):
    data, anc, flags, src = s1.recvmsg(3, 200)
    print("udp truncated:", data, flags & socket.MSG_TRUNC != 0)
probe("udp nothing left", lambda: s1.recv(10, socket.MSG_DONTWAIT))
c = sock(socket.SOCK_DGRAM)
probe("udp connect ::", lambda: c.connect(("::", 9)))
probe("udp getpeername", lambda: c.getpeername())
probe("udp getsockname connected", lambda: addr(c.getsockname()))
probe("udp connect link-local without scope", lambda: sock(socket.SOCK_DGRAM).connect(("fe80::1", 9)))
probe("udp connect no route", lambda: sock(socket.SOCK_DGRAM).connect(("2001:db9::1", 9)))
g = sock(socket.SOCK_DGRAM)
probe("udp connect global", lambda: g.connect((ME, 9)))
probe("udp source for global", lambda: addr(g.getsockname()))
c.setsockopt(SOL_IPV6, IPV6_RECVERR, 1)
probe("udp send to closed port", lambda: c.send(b"ping"))
wait(c)
probe("udp recv after port unreachable", lambda: c.recv(10, socket.MSG_DONTWAIT))
try:
    data, anc, flags, src = c.recvmsg(100, 200, socket.MSG_ERRQUEUE)
    print("udp errqueue:", data, flags & socket.MSG_ERRQUEUE != 0, src, cmsgs(anc))
except OSError as ex:
    print("udp errqueue:", errno.errorcode.get(ex.errno))
d = sock(socket.SOCK_DGRAM)
d.connect(("::1", 9))
probe("udp send to closed port (no recverr)", lambda: d.send(b"ping"))
wait(d)
probe("udp error reported", lambda: d.send(b"ping"))

print("# ping sockets")
probe("ping socket outside the group range", lambda: sock(socket.SOCK_DGRAM, 58))
with open("/proc/sys/net/ipv4/ping_group_range", "w") as f:
    f.write("0 2147483647")
p = sock(socket.SOCK_DGRAM, 58)
probe("ping bind foreign", lambda: sock(socket.SOCK_DGRAM, 58).bind(("2001:db8:7::99", 0)))
probe("ping bind multicast", lambda: sock(socket.SOCK_DGRAM, 58).bind(("ff02::1", 0, 0, 1)))
probe("ping bind", lambda: p.bind((ME, 0)))
# The identifier comes from net/ipv4/ping.c's rover, shared by every namespace and
# stack: its value depends on the sockets that came before, so print what must hold.
ident = p.getsockname()[1]
print("ping getsockname:", (p.getsockname()[0], "ident" if ident else 0) + p.getsockname()[2:])
probe("ping sendto not echo", lambda: p.sendto(b"\x81\x00\x00\x00\x00\x00\x00\x01", (ME, 0)))
probe("ping sendto short header", lambda: p.sendto(b"\x80\x00", (ME, 0)))
probe("ping sendto", lambda: p.sendto(b"\x80\x00\x00\x00\x00\x00\x00\x07data", (ME, 0)))
if wait(p):
    data, anc, flags, src = p.recvmsg(100, 200)
    csum_ok = inet6_checksum(socket.inet_pton(socket.AF_INET6, ME) * 2, data) == 0
    print("ping reply:", data[:2].hex(), "ident ok" if data[4:6] == ident.to_bytes(2, "big") else data[4:6].hex(),
          "csum ok" if csum_ok else data[2:4].hex(), data[6:].hex(), flags, addr(src))
p.setsockopt(SOL_IPV6, IPV6_RECVERR, 1)
probe("ping to unresolvable", lambda: p.sendto(b"\x80\x00\x00\x00\x00\x00\x00\x08", ("2001:db8:7::5", 0)))
if wait(p, 6):
    try:
        data, anc, flags, src = p.recvmsg(100, 200, socket.MSG_ERRQUEUE)
        print("ping errqueue:", data[:1].hex(), data[6:8].hex(), flags & socket.MSG_ERRQUEUE != 0, src, cmsgs(anc))
    except OSError as ex:
        print("ping errqueue:", errno.errorcode.get(ex.errno))
else:
    print("ping errqueue: nothing")

print("# IPV6_DONTFRAG and the traffic class in policy rules")
# 2000 bytes to an on-link neighbour of a 1500-byte link: fragmented, unless
# IPV6_DONTFRAG (the option, or the ancillary data, which overrides it) refuses.
IPV6_DONTFRAG = 62
PEER = "2001:db8:7::2"


def cm_int(ty, v, size=4):
    return [(SOL_IPV6, ty, struct.pack("i", v)[:size])]


for kind, ty, proto, msg, dst in [
        ("udp", socket.SOCK_DGRAM, 0, b"x" * 2000, (PEER, 9)),
        ("ping", socket.SOCK_DGRAM, 58, b"\x80\x00\x00\x00\x00\x00\x00\x09" + b"x" * 1992, (PEER, 0)),
        ("raw", socket.SOCK_RAW, 58, b"\x80\x00\x00\x00\x00\x00\x00\x09" + b"x" * 1992, (PEER, 0))]:
    f = sock(ty, proto)
    probe(f"{kind} dontfrag default", lambda: f.getsockopt(SOL_IPV6, IPV6_DONTFRAG))
    for opt in (0, 1):
        f.setsockopt(SOL_IPV6, IPV6_DONTFRAG, opt)
        probe(f"{kind} dontfrag {opt} send", lambda: f.sendmsg([msg], [], 0, dst))
        for c in (0, 1):
            probe(f"{kind} dontfrag {opt} cmsg {c} send", lambda: f.sendmsg([msg], cm_int(IPV6_DONTFRAG, c), 0, dst))
    probe(f"{kind} dontfrag cmsg 2", lambda: f.sendmsg([b"x" * 8], cm_int(IPV6_DONTFRAG, 2), 0, dst))
    probe(f"{kind} dontfrag cmsg short", lambda: f.sendmsg([b"x" * 8], cm_int(IPV6_DONTFRAG, 1, 2), 0, dst))
f = sock(socket.SOCK_DGRAM)
probe("dontfrag set 7", lambda: f.setsockopt(SOL_IPV6, IPV6_DONTFRAG, 7))
probe("dontfrag after 7", lambda: f.getsockopt(SOL_IPV6, IPV6_DONTFRAG))
probe("dontfrag set short", lambda: f.setsockopt(SOL_IPV6, IPV6_DONTFRAG, b"\x01"))
probe("dontfrag after short", lambda: f.getsockopt(SOL_IPV6, IPV6_DONTFRAG))
# sockets.sh: `ip -6 rule add tos 0x10 lookup 300`, table 300 prohibits everything.
for kind, ty, proto, msg, dst in [
        ("udp", socket.SOCK_DGRAM, 0, b"x", (PEER, 9)),
        ("ping", socket.SOCK_DGRAM, 58, b"\x80\x00\x00\x00\x00\x00\x00\x0a", (PEER, 0)),
        ("raw", socket.SOCK_RAW, 58, b"\x80\x00\x00\x00\x00\x00\x00\x0a", (PEER, 0))]:
    t = sock(ty, proto)
    probe(f"{kind} tclass unset send", lambda: t.sendmsg([msg], [], 0, dst))
    probe(f"{kind} tclass cmsg 0x10 send", lambda: t.sendmsg([msg], cm_int(IPV6_TCLASS, 0x10), 0, dst))
    t.setsockopt(SOL_IPV6, IPV6_TCLASS, 0x10)
    probe(f"{kind} tclass option 0x10 send", lambda: t.sendmsg([msg], [], 0, dst))
    probe(f"{kind} tclass option 0x10, cmsg 0x20 send", lambda: t.sendmsg([msg], cm_int(IPV6_TCLASS, 0x20), 0, dst))

print("# IPV6_PKTINFO as an option: the interface sends use when nothing names one")
V0 = socket.if_nametoindex("v0")
for kind, ty, proto, msg in [("udp", socket.SOCK_DGRAM, 0, b"x"),
                             ("ping", socket.SOCK_DGRAM, 58, b"\x80\x00\x00\x00\x00\x00\x00\x0b")]:
    k = sock(ty, proto)
    probe(f"{kind} link-local, no scope, no option", lambda: k.sendto(msg, ("fe80::2", 9)))
    probe(f"{kind} pktinfo option short", lambda: k.setsockopt(SOL_IPV6, IPV6_PKTINFO, b"\0" * 19))
    probe(f"{kind} pktinfo option empty", lambda: k.setsockopt(SOL_IPV6, IPV6_PKTINFO, b""))
    probe(f"{kind} pktinfo option v0", lambda: k.setsockopt(SOL_IPV6, IPV6_PKTINFO, bytes(16) + struct.pack("i", V0)))
    probe(f"{kind} pktinfo option get", lambda: k.getsockopt(SOL_IPV6, IPV6_PKTINFO, 20))
    probe(f"{kind} link-local, no scope, option v0", lambda: k.sendto(msg, ("fe80::2", 9)))
    probe(f"{kind} connect link-local, no scope", lambda: k.connect(("fe80::2", 9)))
    probe(f"{kind} pktinfo option cleared", lambda: k.setsockopt(SOL_IPV6, IPV6_PKTINFO, bytes(20)))
    k = sock(ty, proto)
    k.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"lo")
    probe(f"{kind} pktinfo option v0, bound to lo", lambda: k.setsockopt(SOL_IPV6, IPV6_PKTINFO, bytes(16) + struct.pack("i", V0)))
    probe(f"{kind} pktinfo option lo, bound to lo", lambda: k.setsockopt(SOL_IPV6, IPV6_PKTINFO, bytes(16) + struct.pack("i", 1)))

print("# binding addresses that are not ours: IPV6_FREEBIND, IPV6_TRANSPARENT")
IPV6_TRANSPARENT = 75
IPV6_FREEBIND = 78
for kind, ty, proto, port in [("udp", socket.SOCK_DGRAM, 0, 9), ("raw", socket.SOCK_RAW, 58, 0)]:
    for name, o in [("freebind", IPV6_FREEBIND), ("transparent", IPV6_TRANSPARENT)]:
        n = sock(ty, proto)
        probe(f"{kind} {name} default", lambda: n.getsockopt(SOL_IPV6, o))
        probe(f"{kind} bind nonlocal", lambda: n.bind(("2001:db8:99::1", 0)))
        probe(f"{kind} {name} short", lambda: n.setsockopt(SOL_IPV6, o, b"\x01"))
        probe(f"{kind} {name} 1", lambda: n.setsockopt(SOL_IPV6, o, 1))
        probe(f"{kind} {name} after", lambda: n.getsockopt(SOL_IPV6, o))
        probe(f"{kind} pktinfo nonlocal source", lambda: n.sendmsg(
            [b"\x80\x00\x00\x00\x00\x00\x00\x0c"],
            [(SOL_IPV6, IPV6_PKTINFO, socket.inet_pton(A6, "2001:db8:99::1") + struct.pack("i", 0))],
            0, (PEER, port)))
        probe(f"{kind} bind nonlocal, {name}", lambda: addr(n.bind(("2001:db8:99::1", 0)) or n.getsockname()))
        probe(f"{kind} {name} 0", lambda: n.setsockopt(SOL_IPV6, o, 0))

with open("/proc/sys/net/ipv6/ip_nonlocal_bind", "w") as f:
    f.write("1")
n = sock(socket.SOCK_DGRAM)
probe("udp bind nonlocal, ip_nonlocal_bind 1", lambda: addr(n.bind(("2001:db8:99::2", 0)) or n.getsockname()))
with open("/proc/sys/net/ipv6/ip_nonlocal_bind", "w") as f:
    f.write("0")
n = sock(socket.SOCK_DGRAM)
probe("udp bind nonlocal, ip_nonlocal_bind 0", lambda: n.bind(("2001:db8:99::2", 0)))

# sockets.sh: namespace "c" is across a veth, 2001:db8:8::2 there, 2001:db8:8::1 here.
# A packet from another namespace reaches us still owned by its sender's socket; the
# receive path must let go of it (ip6_rcv_core()), or the sender's buffer space is
# never returned once UDP consumes the packet, and its socket is never freed.
print("# UDP across namespaces")
libc = ctypes.CDLL(None, use_errno=True)


def in_netns(name, fn):
    """fn() with the calling thread in network namespace `name`, then back here."""
    here = os.open("/proc/self/ns/net", os.O_RDONLY)
    there = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        if libc.setns(there, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns")
        try:
            return fn()
        finally:
            libc.setns(here, CLONE_NEWNET)
    finally:
        os.close(here)
        os.close(there)


def outq(s):
    """SIOCOUTQ: bytes the socket has sent that are not freed yet."""
    return struct.unpack("i", fcntl.ioctl(s, termios.TIOCOUTQ, b"\0" * 4))[0]


srv = sock(socket.SOCK_DGRAM)
srv.bind(("2001:db8:8::1", 7000))
cli = in_netns("c", lambda: sock(socket.SOCK_DGRAM))
cli.bind(("2001:db8:8::2", 7001))
for i in range(3):
    probe(f"c -> here {i}", lambda: cli.sendto(b"y" * 100, ("2001:db8:8::1", 7000)))
    probe(f"here recv {i}", lambda: wait(srv) and srv.recvfrom(200)[1])
    probe(f"here -> c {i}", lambda: srv.sendto(b"z" * 50, ("2001:db8:8::2", 7001)))
    probe(f"c recv {i}", lambda: wait(cli) and cli.recvfrom(200)[1])
probe("c send queue", lambda: outq(cli))
probe("here send queue", lambda: outq(srv))
srv.close()
cli.close()
