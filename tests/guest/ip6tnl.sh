#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# ip6tnl tunnels (IPv6 and IPv4 over IPv6, RFC 2473) between two namespaces over veth:
# - `modprobe ip6_tunnel` (on the rust stack ipv6_rs's own ip6_tunnel.ko, which turns
#   on the tunnels inside ipv6_rs) makes ip6tnl0 in every namespace, new ones too;
# - `ip link add type ip6tnl` in modes ip6ip6 and any, `ip -d link show` and the
#   IFLA_IPTUN_* attributes, the MTU over the lower device (1452 with the encapsulation
#   limit option, 1460 without), point-to-point with both ends set;
# - a tunnel without a remote end (NBMA) sending to the inner route's gateway, and
#   refusing a link-local one (no capability to send there: address unreachable);
# - an external (collect_md) tunnel, one per namespace, receiving what no other
#   tunnel takes; without a tunnel key (nothing in the test kernel attaches one)
#   what it is to send is dropped and counted;
# - refusals: the end points of another tunnel or of ip6tnl0 (EEXIST), a change of
#   ip6tnl0 (EINVAL), an MTU below 1280 for ip6ip6, an unknown encapsulation;
# - ping over IPv6 and IPv4 inside, large packets, UDP; the outer packets on the wire
#   (hop limit, encapsulation limit option, traffic class inherited); a router's
#   packet too big about an outer packet (the outer path MTU learned, the inner
#   source told the room left), and a packet too big for the tunnel answered with
#   its MTU; a redirect about an outer packet followed for the outer destination
#   (ip6_redirect() from the tunnel's error handler);
# - `ip -6 tunnel add/change/del/show` (the SIOC*TUNNEL ioctls on ip6tnl0 and the
#   tunnels), their refusals;
# - the tunnel's counters, a change of its remote end, deletion, and the module's
#   removal taking every ip6tnl device with it.
# The permanent address (and so the tunnels' link-local addresses) and the outer flow
# label are random on both stacks and not compared; nor is the inner packets' flow
# label, which mainline's ping sets automatically and ipv6_rs's leaves 0
# (Documentation/abi.rst, Sockets).
. "$(dirname "$0")/../lib.sh"

command -v tcpdump >/dev/null || skip "no tcpdump"
modprobe ip6_tunnel || fail "modprobe ip6_tunnel"
unload_tunnel() {
	ip netns del a 2>/dev/null || true
	ip netns del b 2>/dev/null || true
	ip netns del r 2>/dev/null || true
	ip netns del c 2>/dev/null || true
	rmmod_wait ip6_tunnel || true
}
trap unload_tunnel EXIT

# What is random on both stacks: the permanent address, link-local addresses made
# from it, the outer flow label.
# pings PATTERN: ping's lines that match, without times.
pings() {
	grep -E "$1" | sed -E -e 's/ time=.*//' -e 's/, time [0-9]+ms$//'
}

norand() {
	sed -E -e 's/permaddr [0-9a-f:]+/permaddr P/' -e 's/fe80::[0-9a-f:]+/fe80::X/g' \
		-e 's/\(flowlabel 0x[0-9a-f]+, /(flowlabel F, /' -e 's/(valid|preferred)_lft [0-9]+sec/\1_lft N/g'
}

# a - r - b: the tunnel's ends a (2001:db8:1::1) and b (2001:db8:2::2), router r.
netns_add a r b
ip link add va netns a address 52:54:00:00:0f:01 type veth peer name ra netns r address 52:54:00:00:0f:02
ip link add vb netns b address 52:54:00:00:0f:04 type veth peer name rb netns r address 52:54:00:00:0f:03
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n a addr add 2001:db8:1::1/64 dev va nodad
ip -n r addr add 2001:db8:1::ff/64 dev ra nodad
ip -n r addr add 2001:db8:2::ff/64 dev rb nodad
ip -n b addr add 2001:db8:2::2/64 dev vb nodad
for l in a/va r/ra r/rb b/vb; do ip -n "${l%/*}" link set "${l#*/}" up; done
ip -n a -6 route add default via 2001:db8:1::ff
ip -n b -6 route add default via 2001:db8:2::ff

echo "== ip6tnl0 in every namespace"
ip -n a -d link show ip6tnl0 | norand
ip netns add c
ip -n c -d link show ip6tnl0 | norand

echo "== tunnels"
show ip -n a link add t6 type ip6tnl local 2001:db8:1::1 remote 2001:db8:2::2 mode ip6ip6
show ip -n b link add t6 type ip6tnl local 2001:db8:2::2 remote 2001:db8:1::1 mode any tclass inherit
ip -n a -d link show t6 | norand
ip -n b -d link show t6 | norand
show ip -n a link add t7 type ip6tnl local 2001:db8:1::1 remote 2001:db8:1::3 encaplimit none hoplimit 9 flowlabel 0x12345 tclass 0x20
ip -n a -d link show t7 | norand
echo "-- refusals"
show ip -n a link add t8 type ip6tnl local 2001:db8:1::1 remote 2001:db8:2::2
show ip -n a link add t8 type ip6tnl
show ip -n a link set ip6tnl0 type ip6tnl remote 2001:db8:1::5
show ip -n a link set t6 mtu 1279
show ip -n a link set t6 mtu 1300
show ip -n a link set t7 type ip6tnl local 2001:db8:1::1 remote 2001:db8:2::2
show ip -n a link add t9 type ip6tnl local 2001:db8:1::1 remote 2001:db8:1::9 encap fou encap-sport 1 encap-dport 2
ip -n a link del t7

echo "== traffic"
# Router solicitations over the tunnels (as mainline sends them on ip6tnl) would make
# the counters below depend on timing.
for n in a b; do ip netns exec $n sysctl -qw net.ipv6.conf.t6.router_solicitations=0; done
ip -n a addr add 2001:db8:99::1/64 dev t6 nodad
ip -n b addr add 2001:db8:99::2/64 dev t6 nodad
ip -n b addr add 10.99.0.2/24 dev t6
ip -n a link set t6 mtu 1452 up
ip -n b link set t6 up
ip -n a -6 route show dev t6 | norand
ip netns exec b tcpdump -i vb -t -nn -v -l -c 2 'ip6 and src 2001:db8:1::1' 2>/dev/null | norand |
	sed -E -e 's/, id [0-9]+,/, id N,/' -e 's/(IP6 \(class 0x[0-9a-f]+), flowlabel 0x[0-9a-f]+/\1/' \
	>/tmp/ip6tnl.$$ &
TD=$!
sleep 2
ip netns exec a ping -6 -c2 -i0.3 -W2 -Q 0x28 2001:db8:99::2 2>&1 | pings 'transmitted|icmp_seq' || true
wait "$TD" || true
cat /tmp/ip6tnl.$$
rm -f /tmp/ip6tnl.$$
ip netns exec a ping -6 -c1 -W2 -s 1400 2001:db8:99::2 2>&1 | pings 'transmitted' || true
ip netns exec a ping -6 -c1 -W2 -s 1500 -M do 2001:db8:99::2 2>&1 | pings 'transmitted|error|mtu' || true
echo "-- IPv4 inside (b's tunnel in mode any; a's is ip6ip6 only)"
ip -n a addr add 10.99.0.1/24 dev t6
ip netns exec a ping -4 -c1 -W2 10.99.0.2 2>&1 | pings 'transmitted' || true
ip -n a link set t6 type ip6tnl mode any
ip netns exec a ping -4 -c2 -i0.3 -W2 10.99.0.2 2>&1 | pings 'transmitted' || true
echo "-- UDP"
ip netns exec b /usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("2001:db8:99::2", 9000))
s.settimeout(5)
n = 0
try:
    while n < 50:
        s.recv(2000)
        n += 1
except socket.timeout:
    pass
print("udp received", n)
' &
RX=$!
sleep 3
ip netns exec a /usr/bin/python3 -c '
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for i in range(50):
    s.sendto(bytes(1000), ("2001:db8:99::2", 9000))
    time.sleep(0.01)
'
wait "$RX" || true
echo "-- counters"
ip -n a -s link show t6 | sed -n '/RX:/,+3p'
ip -n b -s link show t6 | sed -n '/RX:/,+3p'

echo "== a packet too big on the way: the router's error, relayed to the inner source"
ip -n r link set rb mtu 1400
ip -n b link set vb mtu 1400
ip netns exec a ping -6 -c2 -i1 -W2 -s 1400 2001:db8:99::2 2>&1 | pings 'transmitted|too big|mtu' || true
echo "outer: $(ip -n a -6 route get 2001:db8:2::2 | grep -o 'mtu [0-9]*')"
echo "inner: $(ip -n a -6 route get 2001:db8:99::2 | grep -o 'mtu [0-9]*')"
ip netns exec a ping -6 -c1 -W2 -s 1300 2001:db8:99::2 2>&1 | pings 'transmitted' || true
ip -n a -6 route flush cache
ip netns exec a ping -4 -c2 -i1 -W2 -s 1400 -M do 10.99.0.2 2>&1 | pings 'transmitted|mtu|needed' || true
echo "inner (IPv4): $(ip -n a -4 route get 10.99.0.2 | grep -o 'mtu [0-9]*')"
echo "== a packet too big for the tunnel itself"
ip -n a link set va mtu 1350
ip netns exec a ping -6 -c1 -W2 -s 1300 2001:db8:99::2 2>&1 | pings 'transmitted|too big|mtu' || true
ip -n a link set va mtu 1500
echo "== a redirect about the outer path (ip6_redirect() from the tunnel's error handler)"
ip -n r addr add fe80::ff/64 dev ra nodad
ip -n a -6 route replace default via fe80::ff dev va
ip -n a -6 route get 2001:db8:2::2 | grep -o 'via [^ ]* dev [^ ]*'
# From r, a's first hop: use fe80::77 for b's outer address; the redirected header
# quotes a's outer packet.
ip netns exec r /usr/bin/python3 -c '
from scapy.all import (Ether, IPv6, ICMPv6ND_Redirect, ICMPv6NDOptDstLLAddr,
                       ICMPv6NDOptRedirectedHdr, ICMPv6EchoRequest, sendp)
outer = IPv6(src="2001:db8:1::1", dst="2001:db8:2::2", nh=41) / \
    IPv6(src="2001:db8:99::1", dst="2001:db8:99::2") / ICMPv6EchoRequest()
sendp(Ether(src="52:54:00:00:0f:02", dst="52:54:00:00:0f:01") /
      IPv6(src="fe80::ff", dst="2001:db8:1::1", hlim=255) /
      ICMPv6ND_Redirect(tgt="fe80::77", dst="2001:db8:2::2") /
      ICMPv6NDOptDstLLAddr(lladdr="52:54:00:00:0f:77") /
      ICMPv6NDOptRedirectedHdr(pkt=bytes(outer)), iface="ra", verbose=False)
'
sleep 0.5
ip -n a -6 route get 2001:db8:2::2 | grep -o 'via [^ ]* dev [^ ]*'
ip -n a -6 route replace default via 2001:db8:1::ff
ip -n a -6 route flush cache

echo "== a tunnel without a remote end (NBMA): to the inner route's next hop"
ip -n b addr add 2001:db8:98::2/64 dev t6 nodad
show ip -n a link add t9 type ip6tnl local 2001:db8:1::1 remote any mode ip6ip6
ip -n a -d link show t9 | norand
ip netns exec a sysctl -qw net.ipv6.conf.t9.router_solicitations=0
ip -n a link set t9 up
show ip -n a -6 route add 2001:db8:98::/64 via 2001:db8:2::2 dev t9 onlink
ip netns exec a ping -6 -c2 -i0.3 -W2 2001:db8:98::2 2>&1 | pings 'transmitted|nreachable' || true
show ip -n a -6 route replace 2001:db8:98::/64 via fe80::1 dev t9
ip netns exec a ping -6 -c1 -W2 2001:db8:98::2 2>&1 | pings 'transmitted|nreachable' || true
ip -n a -s link show t9 | sed -n '/TX:/,+1p'
ip -n a link del t9

echo "== an external (collect_md) tunnel: the packets no other tunnel takes"
show ip -n a link add t8 type ip6tnl external
show ip -n a link add t7 type ip6tnl external
ip -n a -d link show t8 | norand
ip netns exec a sysctl -qw net.ipv6.conf.t8.router_solicitations=0
ip -n a link set t8 up
ip -n a addr add 2001:db8:1::5/64 dev va nodad
ip -n a addr add 2001:db8:97::1/64 dev t8 nodad
ip -n b link add t5 type ip6tnl local 2001:db8:2::2 remote 2001:db8:1::5 mode ip6ip6
ip netns exec b sysctl -qw net.ipv6.conf.t5.router_solicitations=0
ip -n b addr add 2001:db8:97::2/64 dev t5 nodad
ip -n b link set t5 up
# a's answers go back into t8 without a tunnel key: dropped, counted.
ip netns exec b ping -6 -c1 -W2 2001:db8:97::1 2>&1 | pings 'transmitted' || true
ip -n a -s link show t8 | sed -n '/RX:/,+3p'
ip -n a link del t8
ip -n b link del t5
ip -n a addr del 2001:db8:1::5/64 dev va

echo "== ip -6 tunnel (the SIOC*TUNNEL ioctls)"
show ip -n a -6 tunnel show
show ip -n a -6 tunnel add t10 mode ip6ip6 local 2001:db8:1::1 remote 2001:db8:1::10 encaplimit 2 hoplimit 20
show ip -n a -6 tunnel add t11 mode ip6ip6 local 2001:db8:1::1 remote 2001:db8:1::10
show ip -n a -6 tunnel add t12 mode gre local 2001:db8:1::1 remote 2001:db8:1::12
show ip -n a -6 tunnel change t10 remote 2001:db8:1::11 tclass inherit
show ip -n a -6 tunnel change t10 remote 2001:db8:2::2
show ip -n a -6 tunnel show t10
show ip -n a -6 tunnel change ip6tnl0 mode any
show ip -n a -6 tunnel show ip6tnl0
ip -n a -d link show t10 | norand
show ip -n a -6 tunnel del t10
show ip -n a -6 tunnel del ip6tnl0
show ip -n a -6 tunnel show

echo "== changes and deletion"
show ip -n a link set t6 type ip6tnl remote 2001:db8:1::7
ip -n a -d link show t6 | norand
show ip -n a link del t6
show ip -n a link del ip6tnl0
ip -n a -d link show | grep -c ip6tnl || true
echo "== rmmod while a tunnel carries traffic"
ip -n a link add t6 type ip6tnl local 2001:db8:1::1 remote 2001:db8:2::2
ip -n a addr add 2001:db8:99::1/64 dev t6 nodad
ip -n a link set t6 up
ip netns exec a ping -6 -c1 -W2 2001:db8:99::2 2>&1 | pings 'transmitted' || true
ip netns exec a ping -6 -i0.1 -c30 -W1 2001:db8:99::2 >/dev/null 2>&1 &
PING=$!
sleep 1
trap - EXIT
ip netns del c
rmmod_wait ip6_tunnel || true
wait "$PING" || true
ip -n b link show t6 2>&1 | head -1 || true
ip -n a link show ip6tnl0 2>&1 | head -1 || true
