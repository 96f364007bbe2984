#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Path MTU discovery (RFC 8201) as mainline does it: host a reaches b through router r,
# whose link to b has MTU 1400 while a's link has 2000. A packet too big from r makes a
# route exception on a for b (`ip -6 route get` shows it with "cache" and its mtu,
# `ip -6 route show cache` lists it, plain `show` does not); later packets are
# fragmented to it, and a socket that refuses fragmentation gets EMSGSIZE. The
# exception follows a's own MTU down and (when it was the device's) up, goes with
# `ip -6 route flush cache` and with its route, and expires after mtu_expires.
. "$(dirname "$0")/../lib.sh"

netns_add a r b
ip link add va netns a address 52:54:00:00:0a:01 type veth peer name vra netns r address 52:54:00:00:0e:01
ip link add vrb netns r address 52:54:00:00:0e:02 type veth peer name vb netns b address 52:54:00:00:0b:01
ip -n a link set va mtu 2000
ip -n r link set vra mtu 2000
ip -n r link set vrb mtu 1400
ip -n b link set vb mtu 1400
for l in "a va" "r vra" "r vrb" "b vb"; do
	set -- $l
	ip -n "$1" link set "$2" up
done
ip -n a -6 addr add 2001:db8:1::1/64 dev va nodad
ip -n r -6 addr add 2001:db8:1::2/64 dev vra nodad
ip -n r -6 addr add 2001:db8:2::2/64 dev vrb nodad
ip -n b -6 addr add 2001:db8:2::1/64 dev vb nodad
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n a -6 route add 2001:db8:2::/64 via 2001:db8:1::2
ip -n b -6 route add 2001:db8:1::/64 via 2001:db8:2::2
wait_dad a r b

# "expires 599sec": the seconds left depend on timing; keep the field, not the count.
norm() { sed -E 's/expires [0-9]+sec/expires Nsec/; s/ +$//'; }
get() { echo "a: route get 2001:db8:2::1: $(ip -n a -6 route get 2001:db8:2::1 | norm)"; }
cache() {
	echo "a: route show cache:"
	ip -n a -6 route show cache | norm | sed 's/^/  /'
}

echo "before:"
get
ip netns exec a ping -c1 -W5 2001:db8:2::1 >/dev/null && echo "a pings b"
# Too big for r's link to b: r answers with a packet too big (mtu 1400).
ip netns exec a ping -c1 -W2 -M want -s 1800 2001:db8:2::1 >/dev/null 2>&1 || true
echo "after a packet too big:"
get
echo "a: route get fibmatch: $(ip -n a -6 route get fibmatch 2001:db8:2::1 | norm)"
cache
echo "a: route show (no exceptions):"
ip -n a -6 route show | sed 's/^/  /'
echo "/proc/net/ipv6_route of a: $(ip netns exec a grep -c . /proc/net/ipv6_route) lines"
# Fragmented to the path MTU now.
ip netns exec a ping -c2 -i0.5 -W5 -M want -s 1800 2001:db8:2::1 | grep -E 'packets|bytes from' | sed -E 's/time=.*//; s/, time [0-9]+ms//'
ip netns exec a ping -c1 -W2 -M do -s 1800 2001:db8:2::1 2>&1 | grep -Eo 'message too long.*' || true
echo "a's Ip6FragCreates: $(ip netns exec a awk '$1 == "Ip6FragCreates" { print $2 }' /proc/net/snmp6)"

echo "a's link MTU down to 1300, then up to 1700:"
ip -n a link set va mtu 1300
ip -n r link set vra mtu 1300
get
ip -n a link set va mtu 1700
ip -n r link set vra mtu 1700
get

echo "flush cache:"
ip -n a -6 route flush cache
get
cache

echo "an exception goes with its route:"
ip netns exec a ping -c1 -W2 -M want -s 1800 2001:db8:2::1 >/dev/null 2>&1 || true
cache
ip -n a -6 route del 2001:db8:2::/64 via 2001:db8:1::2
ip -n a -6 route add 2001:db8:2::/64 via 2001:db8:1::2
cache

echo "mtu_expires 2:"
ip netns exec a sysctl -qw net.ipv6.route.mtu_expires=2
ip netns exec a ping -c1 -W2 -M want -s 1800 2001:db8:2::1 >/dev/null 2>&1 || true
get
sleep 3
get
