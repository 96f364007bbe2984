#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Mainline's own ip6_gre.ko (GRE over IPv6, RFC 7676), unmodified, on top of the stack:
# on ipv6_rs it imports the ip6_tnl_* symbols from ipv6_rs's ip6_tunnel.ko (the
# packet handling on the importer's struct ip6_tnl, the decisions in ipv6_rs) and the
# routing ones (ip6_route_output_flags(), rt6_lookup(), ip6_update_pmtu(),
# ip6_redirect()) from ipv6_rs.ko, so `modprobe ip6_gre` loads the same three modules
# on both stacks (with gre and tunnel6), and ip6tnl0 and ip6gre0 appear in every
# namespace. Between two namespaces behind a router, over veth:
# - ip6gre (IPv6 and IPv4 inside) and ip6gretap (Ethernet inside: ND and ARP across
#   it), with keys, checksums and sequence numbers, `ip -d link show`;
# - the outer packets on the wire (GRE header, encapsulation limit option, hop limit,
#   traffic class);
# - a packet too big for the tunnel answered with its MTU, and a router's packet too
#   big about an outer packet (ip6gre_err(): ip6_update_pmtu() on the outer path);
# - `ip -6 tunnel show` (the SIOCGETTUNNEL ioctl on ip6gre0), the counters, a change of
#   the remote end, and the modules' removal taking the tunnels with them;
# - mainline's rtnetlink.sh kci_test_ip6gretap (native and external ip6gretap).
# The permanent addresses, link-local addresses made from them, the gretap MAC
# addresses and the outer flow labels are random on both stacks and not compared; nor
# is the inner packets' flow label, which mainline's ping sets automatically and
# ipv6_rs's leaves 0 (Documentation/abi.rst, Sockets).
. "$(dirname "$0")/../lib.sh"

command -v tcpdump >/dev/null || skip "no tcpdump"
modprobe ip6_gre || fail "modprobe ip6_gre"
cleanup() {
	for n in a b r c; do ip netns del $n 2>/dev/null || true; done
	rmmod_wait ip6_gre || true
	rmmod_wait ip6_tunnel || true
}
trap cleanup EXIT

pings() {
	grep -E "$1" | sed -E -e 's/ time=.*//' -e 's/, time [0-9]+ms$//'
}
norand() {
	sed -E -e 's/permaddr [0-9a-f:]+/permaddr P/' -e 's/fe80::[0-9a-f:]+/fe80::X/g' \
		-e 's/(link\/ether|brd) [0-9a-f:]{17}/\1 M/g' \
		-e 's/\(flowlabel 0x[0-9a-f]+, /(flowlabel F, /' -e 's/, flowlabel 0x[0-9a-f]+//'
}

echo "== modules"
lsmod | awk '{ print $1 }' | grep -E '^(ip6_gre|ip6_tunnel|gre|tunnel6)$' | sort

echo "== mainline's rtnetlink.sh kci_test_ip6gretap"
dir=$IPV6RS_KDIR/tools/testing/selftests/net
if [ -f "$dir/rtnetlink.sh" ]; then
	(cd "$dir" && bash ./rtnetlink.sh -t kci_test_ip6gretap 2>&1) | grep -E '^(PASS|FAIL|SKIP)' || true
fi

netns_add a r b
ip link add va netns a address 52:54:00:00:1f:01 type veth peer name ra netns r address 52:54:00:00:1f:02
ip link add vb netns b address 52:54:00:00:1f:04 type veth peer name rb netns r address 52:54:00:00:1f:03
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n a addr add 2001:db8:1::1/64 dev va nodad
ip -n r addr add 2001:db8:1::ff/64 dev ra nodad
ip -n r addr add 2001:db8:2::ff/64 dev rb nodad
ip -n b addr add 2001:db8:2::2/64 dev vb nodad
for l in a/va r/ra r/rb b/vb; do ip -n "${l%/*}" link set "${l#*/}" up; done
ip -n a -6 route add default via 2001:db8:1::ff
ip -n b -6 route add default via 2001:db8:2::ff

echo "== fallback devices in every namespace"
ip -n a -d link show ip6gre0 | norand
ip netns add c
ip -n c link show | grep -oE '^[0-9]+: [^:@]+' | sed -E 's/^[0-9]+: //'

echo "== ip6gre"
show ip -n a link add g6 type ip6gre local 2001:db8:1::1 remote 2001:db8:2::2 key 7 csum seq
show ip -n b link add g6 type ip6gre local 2001:db8:2::2 remote 2001:db8:1::1 key 7 csum seq tclass inherit
ip -n a -d link show g6 | norand
ip -n b -d link show g6 | norand
show ip -n a link add g7 type ip6gre local 2001:db8:1::1 remote 2001:db8:2::2 key 7
for n in a b; do ip netns exec $n sysctl -qw net.ipv6.conf.g6.router_solicitations=0; done
ip -n a addr add 2001:db8:99::1/64 dev g6 nodad
ip -n b addr add 2001:db8:99::2/64 dev g6 nodad
ip -n a addr add 10.99.0.1/24 dev g6
ip -n b addr add 10.99.0.2/24 dev g6
ip -n a link set g6 up
ip -n b link set g6 up
ip netns exec b tcpdump -i vb -t -nn -v -l -c 2 'ip6 and src 2001:db8:1::1' 2>/dev/null | norand |
	sed -E -e 's/, id [0-9]+,/, id N,/' -e 's/(seq|length) [0-9]+/\1 N/g' >/tmp/ip6gre.$$ &
TD=$!
sleep 2
ip netns exec a ping -6 -c2 -i0.3 -W2 -Q 0x28 2001:db8:99::2 2>&1 | pings 'transmitted|icmp_seq' || true
wait "$TD" || true
cat /tmp/ip6gre.$$
rm -f /tmp/ip6gre.$$
ip netns exec a ping -4 -c2 -i0.3 -W2 10.99.0.2 2>&1 | pings 'transmitted' || true
ip netns exec a ping -6 -c1 -W2 -s 1400 2001:db8:99::2 2>&1 | pings 'transmitted' || true
echo "-- too big for the tunnel"
ip netns exec a ping -6 -c1 -W2 -s 1500 -M do 2001:db8:99::2 2>&1 | pings 'transmitted|error|mtu' || true
echo "-- a router's packet too big about an outer packet"
ip -n r link set rb mtu 1400
ip -n b link set vb mtu 1400
ip netns exec a ping -6 -c2 -i1 -W2 -s 1400 2001:db8:99::2 2>&1 | pings 'transmitted|too big|mtu' || true
echo "outer: $(ip -n a -6 route get 2001:db8:2::2 | grep -o 'mtu [0-9]*')"
ip netns exec a ping -6 -c1 -W2 -s 1300 2001:db8:99::2 2>&1 | pings 'transmitted' || true
ip -n r link set rb mtu 1500
ip -n b link set vb mtu 1500
ip -n a -6 route flush cache
echo "-- ip -6 tunnel show"
ip -n a -6 tunnel show | sort
echo "-- counters"
ip -n a -s link show g6 | sed -n '/RX:/,+3p'
ip -n b -s link show g6 | sed -n '/RX:/,+3p'
echo "-- a change of the remote end"
show ip -n a link set g6 type ip6gre remote 2001:db8:2::3
ip netns exec a ping -6 -c1 -W1 2001:db8:99::2 2>&1 | pings 'transmitted' || true
show ip -n a link set g6 type ip6gre remote 2001:db8:2::2
ip netns exec a ping -6 -c1 -W2 2001:db8:99::2 2>&1 | pings 'transmitted' || true

echo "== ip6gretap"
show ip -n a link add e6 address 52:54:00:00:2f:01 type ip6gretap local 2001:db8:1::1 remote 2001:db8:2::2 key 9
show ip -n b link add e6 address 52:54:00:00:2f:02 type ip6gretap local 2001:db8:2::2 remote 2001:db8:1::1 key 9
ip -n a -d link show e6 | norand
for n in a b; do ip netns exec $n sysctl -qw net.ipv6.conf.e6.router_solicitations=0; done
ip -n a addr add 2001:db8:97::1/64 dev e6 nodad
ip -n b addr add 2001:db8:97::2/64 dev e6 nodad
ip -n a addr add 10.97.0.1/24 dev e6
ip -n b addr add 10.97.0.2/24 dev e6
ip -n a link set e6 up
ip -n b link set e6 up
ip netns exec a ping -6 -c2 -i0.3 -W2 2001:db8:97::2 2>&1 | pings 'transmitted|icmp_seq' || true
ip netns exec a ping -4 -c2 -i0.3 -W2 10.97.0.2 2>&1 | pings 'transmitted' || true
ip -n a -6 neigh show dev e6 | grep 2001 | sed -E 's/ (REACHABLE|STALE|DELAY|PROBE) *$/ STATE/'
ip -n a -4 neigh show dev e6 | sed -E 's/ (REACHABLE|STALE|DELAY|PROBE) *$/ STATE/'

echo "== removal with tunnels in place"
ip netns del c
rmmod_wait ip6_gre
ip -n a link show | grep -oE '^[0-9]+: [^:@]+' | sed -E 's/^[0-9]+: //'
rmmod_wait ip6_tunnel
ip -n a link show | grep -oE '^[0-9]+: [^:@]+' | sed -E 's/^[0-9]+: //'
