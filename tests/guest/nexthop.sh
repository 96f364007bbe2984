#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# IPv6 nexthop objects (`ip -6 nexthop`, kept by the kernel's net/ipv4/nexthop.c, which
# asks ipv6_stub to make each one's next hop). Host h reaches peer p over two links
# (d1-p1, d2-p2):
# - objects: a gateway on either link, a blackhole, a group of both; the refusals of
#   fib6_nh_init() (unreachable or local gateway, a device that is down, onlink without
#   a device);
# - routes using them (`nhid`): how they are shown, in dumps, `get`, `get fibmatch`,
#   /proc/net/ipv6_route and `ip monitor`, with net.ipv4.nexthop_compat_mode on and
#   off; the refusals (unknown id, an IPv4 object, an id with a gateway); deletion by
#   id;
# - traffic through them, and through a group;
# - an object replaced (the route follows it) and deleted, or its device going down
#   (its routes go, announced);
# - an IPv4 route through an IPv6 next hop (`via inet6`, RFC 5549), which makes the
#   IPv4 stack resolve the gateway in the IPv6 neighbour table.
. "$(dirname "$0")/../lib.sh"

netns_add h p
ip link add d1 netns h address 52:54:00:00:01:01 type veth peer name p1 netns p address 52:54:00:00:01:02
ip link add d2 netns h address 52:54:00:00:02:01 type veth peer name p2 netns p address 52:54:00:00:02:02
ip link add d3 netns h type dummy
for l in "h d1" "h d2" "h d3" "p p1" "p p2"; do
	set -- $l
	ip -n "$1" link set "$2" up
done
ip -n h -6 addr add 2001:db8:1::1/64 dev d1 nodad
ip -n h -6 addr add 2001:db8:2::1/64 dev d2 nodad
ip -n h -6 addr add 2001:db8:ff::1/128 dev lo
ip -n p -6 addr add 2001:db8:1::2/64 dev p1 nodad
ip -n p -6 addr add 2001:db8:2::2/64 dev p2 nodad
ip -n p -6 addr add 2001:db8:100::1/128 dev lo
ip -n p -6 addr add 2001:db8:200::1/128 dev lo
ip -n p -6 route add 2001:db8:ff::1/128 via 2001:db8:1::1 dev p1
wait_dad h p

# run NS CMD...: the command's output and exit code, link-local addresses masked.
run() {
	local ns=$1 rc=0 out
	shift
	echo "\$ $*"
	out=$(ip -n "$ns" "$@" 2>&1) || rc=$?
	[ -z "$out" ] || sed -E 's/fe80::[0-9a-f:]+/LL/g; s/expires [0-9]+sec/expires N/' <<<"$out"
	echo "[exit $rc]"
}
# The notifications of one command, as `ip monitor` prints them.
monitored() {
	local log
	log=$(mktemp)
	ip -n h monitor route nexthop >"$log" 2>&1 &
	local mon=$!
	sleep 0.5
	run h "$@"
	sleep 0.5
	kill "$mon"
	wait "$mon" 2>/dev/null || true
	sed 's/^/  monitor: /' "$log"
	rm -f "$log"
}
# The reference count (column 7) counts mainline's cached dsts: left out.
proc_route() {
	echo "/proc/net/ipv6_route, 2001:db8:100::/64:"
	ip netns exec h awk '$1 == "20010db8010000000000000000000000" { $7 = "-"; print "  " $0 }' /proc/net/ipv6_route
}
pings() {
	local rc=0
	ip netns exec h ping -q -c1 -W5 -I 2001:db8:ff::1 "$1" >/dev/null 2>&1 || rc=$?
	echo "ping $1: exit $rc"
}

echo "# objects"
monitored -6 nexthop add id 61 via 2001:db8:1::2 dev d1
run h -6 nexthop add id 62 via 2001:db8:2::2 dev d2
run h -6 nexthop add id 63 blackhole
# The group has objects of its own: mainline's `get fibmatch` answers from a dst its
# path caches, which a route through a shared object may have made.
run h -6 nexthop add id 67 via 2001:db8:1::2 dev d1
run h -6 nexthop add id 68 via 2001:db8:2::2 dev d2
run h nexthop add id 64 group 67/68
run h -6 nexthop add id 65 dev d3
run h -6 nexthop show
run h -6 nexthop add id 70 via 2001:db8:9::1 dev d1
run h -6 nexthop add id 70 via 2001:db8:9::1
run h -6 nexthop add id 70 via 2001:db8:1::1 dev d1
run h -6 nexthop add id 70 via 2001:db8:1::2 onlink
run h -6 nexthop add id 70 via ff02::1 dev d1
ip -n h link add d4 type dummy
run h -6 nexthop add id 70 dev d4
ip -n h link del d4
run h -6 nexthop show id 70

echo "# routes with objects"
monitored -6 route add 2001:db8:100::/64 nhid 61
run h -6 route add 2001:db8:200::/64 nhid 64
run h -6 route add 2001:db8:300::/64 nhid 63
run h -6 route add 2001:db8:400::/64 nhid 65 metric 10
run h -6 route show
run h -6 route get 2001:db8:100::1
run h -6 route get fibmatch 2001:db8:100::1
run h -6 route get fibmatch 2001:db8:200::1
run h -6 route get 2001:db8:300::1
run h -6 route get 2001:db8:400::1
run h -6 route get 2001:db8:200::1 oif d2
proc_route
ip netns exec h sysctl -qw net.ipv4.nexthop_compat_mode=0
run h -6 route show
run h -6 route get fibmatch 2001:db8:200::1
ip netns exec h sysctl -qw net.ipv4.nexthop_compat_mode=1
run h -6 route add 2001:db8:500::/64 nhid 99
run h -6 route add 2001:db8:500::/64 nhid 61 via 2001:db8:1::2
run h -6 route add 2001:db8:500::/64 nhid 61 dev d1
run h nexthop add id 41 via 192.0.2.2 dev d1
run h -6 route add 2001:db8:500::/64 nhid 41
run h -6 route add 2001:db8:100::/64 nhid 61
run h -6 route append 2001:db8:100::/64 nhid 62
run h -6 route show 2001:db8:100::/64
run h -6 route del 2001:db8:100::/64 nhid 99
run h -6 route del 2001:db8:100::/64 nhid 62
run h -6 route show 2001:db8:100::/64

echo "# traffic"
pings 2001:db8:100::1
pings 2001:db8:200::1
pings 2001:db8:300::1
run h -6 route replace 2001:db8:200::/64 nhid 62
pings 2001:db8:200::1

echo "# an object replaced, deleted, its device down"
monitored -6 nexthop replace id 61 via 2001:db8:2::2 dev d2
run h -6 route get 2001:db8:100::1
pings 2001:db8:100::1
# Objects IPv6 routes use, directly or in a group, stay IPv6.
run h -6 route add 2001:db8:600::/64 nhid 64
run h nexthop replace id 61 via 192.0.2.2 dev d2 onlink
run h nexthop replace id 68 via 192.0.2.2 dev d2 onlink
run h -6 route del 2001:db8:600::/64
run h nexthop replace id 68 via 192.0.2.2 dev d2 onlink
run h nexthop show id 64
monitored -6 nexthop del id 62
run h -6 route show
run h -6 nexthop show
ip -n h -6 addr add 2001:db8:1::1/64 dev d1 nodad 2>/dev/null || true
run h -6 nexthop replace id 61 via 2001:db8:1::2 dev d1
# One route per object: the routes of one object go in table order here, newest
# first in mainline (see Documentation/abi.rst).
run h -6 route del 2001:db8:100::/64
run h -6 route add 2001:db8:200::/64 nhid 61
monitored link set d1 down
run h -6 route show
run h -6 nexthop show
ip -n h link set d1 up
ip -n h -6 addr add 2001:db8:1::1/64 dev d1 nodad 2>/dev/null || true

echo "# an IPv4 route through an IPv6 next hop"
ip -n h addr add 192.0.2.1/32 dev lo
ip -n p addr add 198.51.100.1/32 dev lo
ip netns exec p sysctl -qw net.ipv4.conf.all.rp_filter=0
wait_dad h p
run h route add 198.51.100.0/24 via inet6 2001:db8:1::2 dev d1 src 192.0.2.1
run p route add 192.0.2.1/32 via inet6 2001:db8:1::1 dev p1
run h -6 nexthop add id 66 via 2001:db8:2::2 dev d2
run h route add 198.51.100.1/32 nhid 66 src 192.0.2.1
run h route get 198.51.100.1
rc=0
ip netns exec h ping -q -c1 -W5 198.51.100.1 >/dev/null 2>&1 || rc=$?
echo "ping 198.51.100.1: exit $rc"
echo "neighbour 2001:db8:2::2 on d2: $(ip -n h -6 neigh show dev d2 2001:db8:2::2 | awk '{ print $2, $3 }')"
run h route del 198.51.100.1/32
ip netns exec h ping -q -c1 -W5 198.51.100.1 >/dev/null 2>&1 || rc=$?
echo "ping 198.51.100.1 via inet6 gateway: exit $rc"
run h nexthop flush
run h -6 route show
