#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# MLD (mainline net/ipv6/mcast.c) on a host h, seen from a link peer q by tcpdump:
# - /proc/net/igmp6 after the link came up (all-nodes, interface-local all-nodes,
#   the solicited-node group), and with sockets' memberships (users);
# - IPV6_JOIN_GROUP / MCAST_JOIN_GROUP and their leaves: MLDv2 state-change reports
#   (to_ex on join, to_in on leave, robustness-many), and the socket errors
#   (joined twice, not multicast, no such device, not joined, bad family);
# - addresses with IFA_F_MCAUTOJOIN (`ip addr add ... autojoin`) join their group;
# - an MLDv2 general query answered with the current state of every reported group,
#   and a group-specific query with that group's;
# - an MLDv1 query: MLDv1 mode, an MLDv1 report for a join and a done for the leave;
# - force_mld_version=2 ignores MLDv1 queries;
# - multicast delivery to a UDP socket that joined, IPV6_MULTICAST_ALL, and the
#   loopback of a local sender's copy (IPV6_MULTICAST_LOOP).
. "$(dirname "$0")/../lib.sh"

command -v tcpdump >/dev/null || skip "no tcpdump"
netns_add h q
ip link add vh netns h address 52:54:00:00:0c:01 type veth peer name vq netns q address 52:54:00:00:0c:02
ip netns exec q sysctl -qw net.ipv6.conf.vq.disable_ipv6=1
ip -n h link set vh up
ip -n q link set vq up
wait_dad h
# Reports of the link coming up are done (two at most one second apart).
sleep 3

echo "== igmp6 after up"
ip netns exec h cat /proc/net/igmp6 | awk '{$6="T"; print}'

# MLD as q receives it: tcpdump's icmp6 does not look past the hop-by-hop header.
ip netns exec q tcpdump -i vq -nn -vv -l 'ether src 52:54:00:00:0c:01 and ip6[6] == 0' \
	>/tmp/mld.$$ 2>/dev/null &
TD=$!
sleep 2

coproc PY {
	exec ip netns exec q /usr/bin/python3 -u -c '
import sys
from scapy.all import Ether, IPv6, IPv6ExtHdrHopByHop, RouterAlert, ICMPv6MLQuery, ICMPv6MLQuery2, UDP, sendp, conf
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

# The listener: a UDP socket on port 5000 that joins and leaves as told on stdin.
coproc SK {
	exec ip netns exec h /usr/bin/python3 -u -c '
import socket, struct, sys, errno
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 5000))
s.settimeout(2)
idx = socket.if_nametoindex("vh")
def mreq(g, i=idx):
    return socket.inet_pton(socket.AF_INET6, g) + struct.pack("@I", i)
def greq(g, i=idx, fam=socket.AF_INET6):
    sa = struct.pack("@H", fam) + b"\0" * 6 + socket.inet_pton(socket.AF_INET6, g)
    return struct.pack("@I", i) + b"\0" * 4 + sa.ljust(128, b"\0")
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
JOIN=socket.IPV6_JOIN_GROUP
LEAVE=socket.IPV6_LEAVE_GROUP

echo "== joins"
sk "s.setsockopt(socket.IPPROTO_IPV6, $JOIN, mreq(\"ff05::1234\"))"
sleep 3
sk "s.setsockopt(socket.IPPROTO_IPV6, $JOIN, mreq(\"ff05::1234\"))"
sk "s.setsockopt(socket.IPPROTO_IPV6, $JOIN, mreq(\"2001:db8::1\"))"
sk "s.setsockopt(socket.IPPROTO_IPV6, $JOIN, mreq(\"ff05::1\", 999))"
sk "s.setsockopt(socket.IPPROTO_IPV6, $JOIN, b\"short\")"
sk "s.setsockopt(socket.IPPROTO_IPV6, 42, greq(\"ff02::4321\"))"
sleep 3
sk "s.setsockopt(socket.IPPROTO_IPV6, 42, greq(\"ff02::4321\", fam=2))"
sk "s.getsockopt(socket.IPPROTO_IPV6, 29)"
echo "== igmp6 with memberships"
ip netns exec h cat /proc/net/igmp6 | awk '{$6="T"; print}'

echo "== IFA_F_MCAUTOJOIN"
# Every address request restarts the state-change reports of all groups (mainline's
# ipv6_find_idev() calls ipv6_mc_up()), retransmitted at random within a second: the
# requests are spaced so that their reports do not merge at random.
show ip -n h -6 addr add ff05::aa/128 dev vh autojoin
sleep 2
show ip -n h -6 addr add ff05::aa/128 dev vh autojoin
sleep 2
show ip -n h -6 addr add 2001:db8::9/64 dev vh autojoin
sleep 2
show ip -n h -6 addr add ff05::bb/128 dev vh
sleep 3
ip netns exec h cat /proc/net/igmp6 | grep " vh " | awk '{$6="T"; print}'
show ip -n h -6 addr del ff05::aa/128 dev vh
sleep 3

echo "== delivery"
U='Ether(dst="33:33:00:00:43:21")/IPv6(src="fe80::2", dst="ff02::4321")/UDP(sport=4000, dport=5000)'
send "$U/\"to-group\""
sk "s.recvfrom(100)[0]"
sk "s.setsockopt(socket.IPPROTO_IPV6, 29, 0)"
send "$U/\"all-off\""
sk "s.recvfrom(100)[0]"
# A local sender's copy loops back to the listener (IPV6_MULTICAST_LOOP), or not.
for loop in 1 0; do
	ip netns exec h /usr/bin/python3 -c "
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, $loop)
s.sendto(b'loop-$loop', ('ff02::4321', 5000, 0, socket.if_nametoindex('vh')))
"
	sk "s.recvfrom(100)[0]"
done
# An echo request to all nodes loops back too, a copy without a route attached (once
# a kernel warning on ipv6_rs).
ip netns exec h ping -6 -c1 -W2 ff02::1%vh | grep -o '1 packets transmitted, 1 received' || true

echo "== general and group queries"
send "$Q/ICMPv6MLQuery2(mrd=500, QRV=2, QQIC=125)"
sleep 2
send "$Q/ICMPv6MLQuery2(mrd=500, QRV=2, QQIC=125, mladdr=\"ff05::1234\")"
sleep 2

echo "== leaves"
sk "s.setsockopt(socket.IPPROTO_IPV6, $LEAVE, mreq(\"ff05::1234\"))"
sk "s.setsockopt(socket.IPPROTO_IPV6, $LEAVE, mreq(\"ff05::1234\"))"
sleep 3
sk "s.setsockopt(socket.IPPROTO_IPV6, 45, greq(\"ff02::4321\", 0))"
sleep 3

echo "== MLDv1 querier"
# The second MLDv1 report of a join goes at random within this interval: at once.
ip netns exec h sysctl -qw net.ipv6.conf.vh.mldv1_unsolicited_report_interval=1
send "$Q/ICMPv6MLQuery(mrd=500)"
sleep 2
sk "s.setsockopt(socket.IPPROTO_IPV6, $JOIN, mreq(\"ff05::99\"))"
sleep 3
sk "s.setsockopt(socket.IPPROTO_IPV6, $LEAVE, mreq(\"ff05::99\"))"
sleep 1

echo "== forced to MLDv2: MLDv1 queries are ignored"
ip netns exec h sysctl -qw net.ipv6.conf.vh.force_mld_version=2
send "$Q/ICMPv6MLQuery(mrd=500)"
sleep 2
sk "s.setsockopt(socket.IPPROTO_IPV6, $JOIN, mreq(\"ff05::77\"))"
sleep 3
sk "s.close()"
sleep 3

kill "$TD" 2>/dev/null
wait "$TD" 2>/dev/null
echo "== reports seen by q"
sed -E 's/^[0-9:.]+ //' /tmp/mld.$$
rm -f /tmp/mld.$$
echo "== igmp6 at the end"
ip netns exec h cat /proc/net/igmp6 | awk '{$6="T"; print}'
