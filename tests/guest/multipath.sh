#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Multipath (ECMP) routes. Host h reaches peer p over two links (d1-p1, d2-p2); routes
# to 2001:db8:100::/64 through both make one multipath route:
# - how it is made and shown: RTA_MULTIPATH with weights, `ip route append` of a
#   second gateway, prepend, replace, deletion of one next hop or of all, a device
#   route replacing it, refusals (a device-only next hop, the same next hop twice, an
#   unreachable gateway), and the notifications `ip monitor` sees for each;
# - next hops on a device that goes down stay, dead and linkdown, and live again when
#   it is up; on a device that goes away they go;
# - which next hop flows take: UDP flows from 64 source ports are sent through the
#   route and counted per link. By net.ipv6.fib_multipath_hash_policy 0 (layer 3) they
#   all take one next hop; by policy 1 (layer 4) both; with weights 1 and 3, the second
#   link carries about three quarters of 400 flows. Only whether that holds is printed:
#   the hash key is random on both stacks.
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
ip -n h -6 addr add 2001:db8:3::1/64 dev d3 nodad
ip -n h -6 addr add 2001:db8:ff::1/128 dev lo
ip -n p -6 addr add 2001:db8:1::2/64 dev p1 nodad
ip -n p -6 addr add 2001:db8:2::2/64 dev p2 nodad
wait_dad h p

ipr() {
	local rc=0 out
	echo "\$ ip -6 route $*"
	out=$(ip -n h -6 route "$@" 2>&1) || rc=$?
	[ -z "$out" ] || sed -E 's/fe80::[0-9a-f:]+/LL/g' <<<"$out"
	echo "[exit $rc]"
}
show_mp() {
	ip -n h -6 route show 2001:db8:100::/64 | sed 's/^/  /'
}
# The notifications of one command, as `ip monitor` prints them.
monitored() {
	local log
	log=$(mktemp)
	ip -n h -6 monitor route >"$log" 2>&1 &
	local mon=$!
	sleep 0.5
	ipr "$@"
	sleep 0.5
	kill "$mon"
	wait "$mon" 2>/dev/null || true
	sed 's/^/  monitor: /' "$log"
	rm -f "$log"
}

echo "# make, show and change a multipath route"
monitored add 2001:db8:100::/64 nexthop via 2001:db8:1::2 dev d1 nexthop via 2001:db8:2::2 dev d2 weight 3
show_mp
ipr get fibmatch 2001:db8:100::1 oif d2
ipr get 2001:db8:100::1 oif d2
monitored append 2001:db8:100::/64 via 2001:db8:3::2 dev d3
show_mp
monitored del 2001:db8:100::/64 via 2001:db8:2::2
show_mp
monitored prepend 2001:db8:100::/64 via 2001:db8:2::2 dev d2
show_mp
monitored append 2001:db8:100::/64 nexthop via 2001:db8:1::3 dev d1 nexthop via 2001:db8:2::3 dev d2
show_mp
ipr add 2001:db8:100::/64 via 2001:db8:1::2 dev d1
ipr append 2001:db8:100::/64 via 2001:db8:1::2 dev d1
ipr append 2001:db8:100::/64 nexthop via 2001:db8:1::9 dev d1 nexthop via 2001:db8:1::9 dev d1
ipr append 2001:db8:100::/64 nexthop dev d1
ipr append 2001:db8:100::/64 nexthop via 2001:db8:9::1
ipr append 2001:db8:100::/64 via 2001:db8:1::7 dev d1 metric 2000
ipr show 2001:db8:100::/64
monitored replace 2001:db8:100::/64 nexthop via 2001:db8:1::4 dev d1 nexthop via 2001:db8:2::4 dev d2
show_mp
monitored del 2001:db8:100::/64 metric 1024
show_mp
ipr replace 2001:db8:100::/64 nexthop via 2001:db8:1::2 dev d1 nexthop via 2001:db8:2::2 dev d2
ipr replace 2001:db8:100::/64 dev d3
show_mp
ipr flush 2001:db8:100::/64
monitored add 2001:db8:100::/64 nexthop via 2001:db8:1::2 dev d1 nexthop via 2001:db8:2::2 dev d2 nexthop via 2001:db8:3::2 dev d3
monitored del 2001:db8:100::/64 nexthop via 2001:db8:3::2 dev d3
show_mp

echo "# a next hop's device goes down, comes back, goes away"
ip -n h link set d2 down
show_mp
ipr get fibmatch 2001:db8:100::1 oif d2
ipr get fibmatch 2001:db8:100::1 oif d1
ip -n h link set d2 up
ip -n h -6 addr add 2001:db8:2::1/64 dev d2 nodad
show_mp
ip -n h link set d1 down
ip -n h link set d2 down
show_mp
ip -n h link set d1 up
ip -n h link set d2 up
ip -n h -6 addr add 2001:db8:1::1/64 dev d1 nodad
ip -n h -6 addr add 2001:db8:2::1/64 dev d2 nodad
ip -n h -6 route add 2001:db8:100::/64 nexthop via 2001:db8:1::2 dev d1 nexthop via 2001:db8:2::2 dev d2 nexthop via 2001:db8:3::2 dev d3
ip -n h link del d3
show_mp

echo "# which next hop flows take"
ip -n h -6 route flush 2001:db8:100::/64
ip netns exec h ping -q -c1 -W5 2001:db8:1::2 >/dev/null
ip netns exec h ping -q -c1 -W5 2001:db8:2::2 >/dev/null
# Packets p receives on link L (the datagrams, and now and then a neighbour
# solicitation).
rx() { ip netns exec p awk -v d="$1:" '$1 == d { print $3 }' /proc/net/dev; }
# flows N: send one datagram from each of N source ports; prints packets per link.
flows() {
	local a1 a2
	a1=$(rx p1)
	a2=$(rx p2)
	ip netns exec h python3 - "$1" <<'PY'
import socket, sys
for i in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("2001:db8:ff::1", 20000 + i))
    s.sendto(b"x", ("2001:db8:100::1", 9))
    s.close()
PY
	sleep 0.5
	echo "$(($(rx p1) - a1)) $(($(rx p2) - a2))"
}
for policy in 0 1; do
	ip netns exec h sysctl -qw net.ipv6.fib_multipath_hash_policy=$policy
	ip -n h -6 route replace 2001:db8:100::/64 nexthop via 2001:db8:1::2 dev d1 nexthop via 2001:db8:2::2 dev d2
	read -r n1 n2 <<<"$(flows 64)"
	# A next hop is used if it carried more than a few of them.
	used=0
	[ "$n1" -gt 4 ] && used=$((used + 1))
	[ "$n2" -gt 4 ] && used=$((used + 1))
	echo "policy $policy: 64 flows, at least 64 received: $([ $((n1 + n2)) -ge 64 ] && echo yes || echo no), next hops used: $used"
done
ip -n h -6 route replace 2001:db8:100::/64 nexthop via 2001:db8:1::2 dev d1 weight 1 nexthop via 2001:db8:2::2 dev d2 weight 3
read -r n1 n2 <<<"$(flows 400)"
share=$((100 * n2 / (n1 + n2 + 1)))
echo "weights 1 and 3: second link share between 60% and 90%: $([ "$share" -ge 60 ] && [ "$share" -le 90 ] && echo yes || echo "no ($n1/$n2)")"
