#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# MLD source filters (RFC 3810 source-specific multicast, mainline net/ipv6/mcast.c)
# on a host h, seen from a link peer q by tcpdump:
# - MCAST_JOIN_SOURCE_GROUP / MCAST_LEAVE_SOURCE_GROUP (include mode): ALLOW and
#   BLOCK records, the last source's leave leaving the group, and their errors;
# - MCAST_BLOCK_SOURCE / MCAST_UNBLOCK_SOURCE on an any-source membership (exclude
#   mode), and their errors;
# - MCAST_MSFILTER set (mode changes: TO_IN, TO_EX) and get (a short buffer, errors);
# - delivery to UDP sockets filtered by source (inet6_mc_check());
# - answers to general, group and group-and-source-specific queries;
# - records split over packets at the MTU (to_in, is_in);
# - /proc/net/mcfilter6 and /proc/net/igmp6.
# Actions are 3 s apart: each state change is reported robustness (2) times within
# the unsolicited report interval (1 s), so reports never merge at random.
. "$(dirname "$0")/../lib.sh"

command -v tcpdump >/dev/null || skip "no tcpdump"
netns_add h q
ip link add vh netns h address 52:54:00:00:0d:01 type veth peer name vq netns q address 52:54:00:00:0d:02
ip netns exec q sysctl -qw net.ipv6.conf.vq.disable_ipv6=1
ip -n h link set vh up
ip -n q link set vq up
wait_dad h
sleep 3

ip netns exec q tcpdump -i vq -nn -vv -l 'ether src 52:54:00:00:0d:01 and ip6[6] == 0' \
	>/tmp/mlds.$$ 2>/dev/null &
TD=$!
sleep 2

coproc PY {
	exec ip netns exec q /usr/bin/python3 -u -c '
import sys
from scapy.all import Ether, IPv6, IPv6ExtHdrHopByHop, RouterAlert, ICMPv6MLQuery2, UDP, sendp, conf
conf.verb = 0
print("ready", flush=True)
for line in sys.stdin:
    sendp(eval(line), iface="vq")
    print("sent", flush=True)
'
}
read -r _ <&"${PY[0]}"
send() {
	echo "$1" >&"${PY[1]}"
	read -r _ <&"${PY[0]}"
}
Q='Ether(dst="33:33:00:00:00:01")/IPv6(src="fe80::2", dst="ff02::1", hlim=1)/IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)])'

# Two UDP listeners: s on port 5000, t on port 5001. gsr() is a struct
# group_source_req, gf() a struct group_filter (64-bit layouts); msf() reads a
# socket's filter back with getsockopt(MCAST_MSFILTER), which takes the group in.
coproc SK {
	exec ip netns exec h /usr/bin/python3 -u -c '
import socket, struct, sys, errno, ctypes
libc = ctypes.CDLL(None, use_errno=True)
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 5000))
s.settimeout(2)
t = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
t.bind(("::", 5001))
t.settimeout(2)
idx = socket.if_nametoindex("vh")
P = socket.IPPROTO_IPV6
JOIN_G, BLOCK, UNBLOCK, LEAVE_G, JOIN_SG, LEAVE_SG, MSF = 42, 43, 44, 45, 46, 47, 48
def ss(a, fam=socket.AF_INET6):
    return (struct.pack("@H", fam) + b"\0" * 6 + socket.inet_pton(socket.AF_INET6, a)).ljust(128, b"\0")
def greq(g, i=idx):
    return struct.pack("@I", i) + b"\0" * 4 + ss(g)
def gsr(g, src, i=idx, gfam=socket.AF_INET6, sfam=socket.AF_INET6):
    return struct.pack("@I", i) + b"\0" * 4 + ss(g, gfam) + ss(src, sfam)
def gf(g, mode, srcs, i=idx, numsrc=None, fam=socket.AF_INET6):
    n = len(srcs) if numsrc is None else numsrc
    return struct.pack("@I", i) + b"\0" * 4 + ss(g, fam) + struct.pack("@II", mode, n) + b"".join(ss(a) for a in srcs)
def msf(sk, g, room, i=idx, fam=socket.AF_INET6, size=None):
    req = gf(g, 0, [], i, room, fam)
    size = len(req) + 128 * room if size is None else size
    buf = ctypes.create_string_buffer(req.ljust(max(size, len(req)), b"\0"))
    ln = ctypes.c_int(size)
    if libc.getsockopt(sk.fileno(), P, MSF, buf, ctypes.byref(ln)) < 0:
        raise OSError(ctypes.get_errno(), "getsockopt")
    raw = buf.raw
    mode, num = struct.unpack("@II", raw[136:144])
    srcs = [socket.inet_ntop(socket.AF_INET6, raw[144 + 128 * k + 8:144 + 128 * k + 24]) for k in range(min(num, room))]
    return "optlen=%d mode=%d numsrc=%d %s" % (ln.value, mode, num, " ".join(srcs))
def recv(sk):
    d, a = sk.recvfrom(100)
    return "%s from %s" % (d.decode(), a[0])
print("ready", flush=True)
for line in sys.stdin:
    try:
        r = eval(line)
        print("ok" if r is None else r, flush=True)
    except OSError as e:
        print(errno.errorcode.get(e.errno, type(e).__name__), flush=True)
'
}
read -r _ <&"${SK[0]}"
sk() {
	echo "$1" >&"${SK[1]}"
	read -r r <&"${SK[0]}"
	echo "$1 -> $r"
}
mcf() {
	echo "-- mcfilter6"
	ip netns exec h cat /proc/net/mcfilter6
	echo "-- igmp6"
	ip netns exec h cat /proc/net/igmp6 | grep " vh " | grep ff05 | awk '{$6="T"; print}' || true
}
A=2001:db8::a
B=2001:db8::b
C=2001:db8::c
# udp SRC GROUP PORT PAYLOAD: q sends a datagram to the group (ff05::100 or
# ff05::200) from SRC.
udp() {
	local mac=33:33:00:00:01:00
	[ "$2" = ff05::200 ] && mac=33:33:00:00:02:00
	send "Ether(dst=\"$mac\")/IPv6(src=\"$1\", dst=\"$2\")/UDP(sport=4000, dport=$3)/\"$4\""
}

echo "== include mode: join sources"
sk "s.setsockopt(P, JOIN_SG, gsr(\"ff05::100\", \"$A\"))"
sleep 3
sk "s.setsockopt(P, JOIN_SG, gsr(\"ff05::100\", \"$B\"))"
sleep 3
sk "s.setsockopt(P, JOIN_SG, gsr(\"ff05::100\", \"$B\"))"
sk "s.setsockopt(P, JOIN_SG, gsr(\"2001:db8::1\", \"$B\"))"
sk "s.setsockopt(P, JOIN_SG, gsr(\"ff05::100\", \"$B\", gfam=2))"
sk "s.setsockopt(P, JOIN_SG, gsr(\"ff05::100\", \"$B\", sfam=2))"
sk "s.setsockopt(P, JOIN_SG, gsr(\"ff05::100\", \"$B\")[:200])"
sk "s.setsockopt(P, JOIN_SG, gsr(\"ff05::100\", \"$B\", i=999))"
sk "s.setsockopt(P, BLOCK, gsr(\"ff05::100\", \"$C\"))"
sk "s.setsockopt(P, LEAVE_SG, gsr(\"ff05::100\", \"$C\"))"
sk "s.setsockopt(P, LEAVE_SG, gsr(\"ff05::101\", \"$C\"))"
sk "s.setsockopt(P, JOIN_G, greq(\"ff05::100\"))"
sk "msf(s, \"ff05::100\", 4)"
sk "msf(s, \"ff05::100\", 1)"
sk "msf(s, \"ff05::100\", 0)"
sk "msf(s, \"ff05::101\", 4)"
sk "msf(s, \"ff05::100\", 4, i=0)"
sk "msf(s, \"ff05::100\", 4, fam=2)"
sk "msf(s, \"ff05::100\", 4, size=143)"
sk "msf(s, \"2001:db8::1\", 4)"
mcf

echo "== include mode: delivery by source"
udp "$A" ff05::100 5000 from-a
sk "recv(s)"
udp "$C" ff05::100 5000 from-c
sk "recv(s)"
udp "$B" ff05::100 5000 from-b
sk "recv(s)"

echo "== include mode: leave sources"
sk "s.setsockopt(P, LEAVE_SG, gsr(\"ff05::100\", \"$B\"))"
sleep 3
sk "s.setsockopt(P, LEAVE_SG, gsr(\"ff05::100\", \"$B\"))"
sk "msf(s, \"ff05::100\", 4)"
sk "s.setsockopt(P, LEAVE_SG, gsr(\"ff05::100\", \"$A\"))"
sleep 3
sk "msf(s, \"ff05::100\", 4)"
mcf

echo "== exclude mode: block and unblock"
sk "t.setsockopt(P, JOIN_G, greq(\"ff05::200\"))"
sleep 3
sk "t.setsockopt(P, BLOCK, gsr(\"ff05::200\", \"$C\"))"
sleep 3
sk "t.setsockopt(P, BLOCK, gsr(\"ff05::200\", \"$C\"))"
sk "t.setsockopt(P, JOIN_SG, gsr(\"ff05::200\", \"$A\"))"
sk "t.setsockopt(P, LEAVE_SG, gsr(\"ff05::200\", \"$A\"))"
sk "t.setsockopt(P, UNBLOCK, gsr(\"ff05::200\", \"$B\"))"
sk "msf(t, \"ff05::200\", 4)"
mcf
udp "$A" ff05::200 5001 from-a
sk "recv(t)"
udp "$C" ff05::200 5001 from-c
sk "recv(t)"
sk "t.setsockopt(P, UNBLOCK, gsr(\"ff05::200\", \"$C\"))"
sleep 3
sk "t.setsockopt(P, UNBLOCK, gsr(\"ff05::200\", \"$C\"))"
udp "$C" ff05::200 5001 from-c-unblocked
sk "recv(t)"
mcf

echo "== MCAST_MSFILTER"
sk "t.setsockopt(P, MSF, gf(\"ff05::200\", 1, [\"$A\", \"$B\"]))"
sleep 3
sk "msf(t, \"ff05::200\", 4)"
mcf
sk "t.setsockopt(P, MSF, gf(\"ff05::200\", 0, [\"$C\"]))"
sleep 3
sk "msf(t, \"ff05::200\", 4)"
sk "t.setsockopt(P, MSF, gf(\"ff05::200\", 0, []))"
sleep 3
sk "msf(t, \"ff05::200\", 4)"
sk "t.setsockopt(P, MSF, gf(\"ff05::200\", 5, []))"
sk "t.setsockopt(P, MSF, gf(\"ff05::200\", 1, [], numsrc=65))"
sk "t.setsockopt(P, MSF, gf(\"ff05::200\", 1, [\"$A\"], numsrc=2))"
sk "t.setsockopt(P, MSF, gf(\"ff05::200\", 1, [\"$A\"])[:143])"
sk "t.setsockopt(P, MSF, gf(\"ff05::201\", 1, [\"$A\"]))"
sk "t.setsockopt(P, MSF, gf(\"ff05::200\", 1, [\"$A\"], i=0))"
sk "t.setsockopt(P, MSF, gf(\"2001:db8::1\", 1, [\"$A\"]))"
sk "t.setsockopt(P, MSF, gf(\"ff05::200\", 1, [\"$A\"], i=999))"
sk "t.setsockopt(P, MSF, gf(\"ff05::200\", 1, [\"$C\"]))"
sleep 3
mcf
# INCLUDE with no source is a leave.
sk "t.setsockopt(P, MSF, gf(\"ff05::200\", 1, []))"
sleep 3
sk "msf(t, \"ff05::200\", 4)"
mcf

echo "== queries"
sk "s.setsockopt(P, JOIN_SG, gsr(\"ff05::100\", \"$A\"))"
sleep 3
sk "s.setsockopt(P, JOIN_SG, gsr(\"ff05::100\", \"$B\"))"
sleep 3
sk "t.setsockopt(P, JOIN_G, greq(\"ff05::200\"))"
sleep 3
sk "t.setsockopt(P, BLOCK, gsr(\"ff05::200\", \"$C\"))"
sleep 3
send "$Q/ICMPv6MLQuery2(mrd=500, QRV=2, QQIC=125)"
sleep 2
send "$Q/ICMPv6MLQuery2(mrd=500, QRV=2, QQIC=125, mladdr=\"ff05::100\")"
sleep 2
send "$Q/ICMPv6MLQuery2(mrd=500, QRV=2, QQIC=125, mladdr=\"ff05::100\", sources=[\"$B\", \"2001:db8::99\"])"
sleep 2
send "$Q/ICMPv6MLQuery2(mrd=500, QRV=2, QQIC=125, mladdr=\"ff05::100\", sources=[\"2001:db8::99\"])"
sleep 2
send "$Q/ICMPv6MLQuery2(mrd=500, QRV=2, QQIC=125, mladdr=\"ff05::200\", sources=[\"$C\"])"
sleep 2
send "$Q/ICMPv6MLQuery2(mrd=500, QRV=2, QQIC=125, mladdr=\"ff05::200\", sources=[\"$A\"])"
sleep 2

echo "== records split at the MTU"
# Two include filters of 64 sources (net.ipv6.mld_max_msf, in the initial namespace
# only) and 26: the group's 90 sources go over two packets at MTU 1280 (75 fit,
# add_grec()), in the to_in record and in the answer to a group query.
ip -n h link set vh mtu 1280
sk "t.setsockopt(P, JOIN_G, greq(\"ff05::300\"))"
sleep 3
sk "t.setsockopt(P, MSF, gf(\"ff05::300\", 1, [\"2001:db8:1::%x\" % k for k in range(1, 65)]))"
sleep 3
sk "t.setsockopt(P, MSF, gf(\"ff05::300\", 1, [\"2001:db8:1::%x\" % k for k in range(1, 66)]))"
sk "s.setsockopt(P, JOIN_G, greq(\"ff05::300\"))"
sleep 3
sk "s.setsockopt(P, MSF, gf(\"ff05::300\", 1, [\"2001:db8:1::%x\" % k for k in range(65, 91)]))"
sleep 3
send "$Q/ICMPv6MLQuery2(mrd=500, QRV=2, QQIC=125, mladdr=\"ff05::300\")"
sleep 2
ip netns exec h cat /proc/net/mcfilter6 | grep -c ff050000000000000000000000000300

echo "== close"
sk "s.close()"
sleep 3
sk "t.close()"
sleep 3
mcf

kill "$TD" 2>/dev/null
wait "$TD" 2>/dev/null || true
echo "== reports seen by q"
sed -E 's/^[0-9:.]+ //' /tmp/mlds.$$
rm -f /tmp/mlds.$$
