#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Unsolicited neighbour advertisements and what a router makes of them, and the
# neighbour table on carrier loss (mainline ndisc_netdev_event(), ndisc_send_unsol_na(),
# ndisc_recv_na() with RFC 9131's accept_untracked_na). Host h (ndisc_notify on vh)
# and router r (forwarding on vr) share a veth link, 2001:db8:12::/64.
# - h's address (nodad) is announced when vh comes up (NETDEV_UP), as r receives it;
#   r creates a STALE entry for it from the unsolicited NA only with forwarding on,
#   drop_unsolicited_na 0 and accept_untracked_na 1, or 2 when the source is on one of
#   vr's prefixes (what arp_ndisc_untracked_subnets.sh checks with tools the test
#   image lacks);
# - ndisc_notify off on the device and on all: no announcement; on all only: one;
# - a new MAC address on vh (NETDEV_CHANGEADDR) is announced, r's entry takes it, and
#   h's own entries are forgotten (neigh_changeaddr());
# - vh going down takes vr's carrier: r's entries go, but not permanent ones, unless
#   ndisc_evict_nocarrier is off on vr or on all.
. "$(dirname "$0")/../lib.sh"

command -v tcpdump >/dev/null || skip "no tcpdump"
netns_add h r
ip link add vh netns h address 52:54:00:00:0b:01 type veth peer name vr netns r address 52:54:00:00:0e:01
ip -n r link set vr up
ip -n r -6 addr add 2001:db8:12::1/64 dev vr nodad

sysh() { ip netns exec h sysctl -qw "$@"; }
sysr() { ip netns exec r sysctl -qw "$@"; }
sysh net.ipv6.conf.vh.ndisc_notify=1

# capture CMD...: run CMD while r's vr captures the neighbour advertisements it
# receives for targets other than link-local ones (h's link-local address is announced
# when its DAD completes, at a time that varies), and print them.
capture() {
	local log cap
	log=$(mktemp)
	ip netns exec r tcpdump -l -t -n -vv -Q in -i vr \
		'icmp6 and ip6[40] == 136 and ip6[48] != 0xfe' >"$log" 2>/dev/null &
	cap=$!
	sleep 1
	"$@"
	sleep 1.5
	kill "$cap"
	wait "$cap" 2>/dev/null || true
	cat "$log"
	rm -f "$log"
}

# announce ADDR FORWARDING DROP ACCEPT: vh down, ADDR/64 (nodad) its only global
# address, r set up so, and vh up again: the NA r receives, and r's entry for ADDR.
announce() {
	echo "# $1 on vh: forwarding=$2 drop_unsolicited_na=$3 accept_untracked_na=$4"
	ip -n h link set vh down
	ip -n h -6 addr flush dev vh scope global
	ip -n h -6 addr add "$1/64" dev vh nodad
	ip -n r -6 neigh flush dev vr
	sysr net.ipv6.conf.vr.forwarding="$2" net.ipv6.conf.vr.drop_unsolicited_na="$3" \
		net.ipv6.conf.vr.accept_untracked_na="$4"
	capture ip -n h link set vh up
	echo "r: $(ip -n r -6 neigh show to "$1" dev vr)"
}

announce 2001:db8:12::2 1 0 0
announce 2001:db8:12::2 1 0 1
announce 2001:db8:12::2 0 0 1
announce 2001:db8:12::2 1 1 1
announce 2001:db8:13::4 1 0 1
announce 2001:db8:12::3 1 0 2
announce 2001:db8:13::4 1 0 2

echo "# ndisc_notify off on vh and all"
sysh net.ipv6.conf.vh.ndisc_notify=0
announce 2001:db8:12::2 1 0 1
echo "# ndisc_notify on all only"
sysh net.ipv6.conf.all.ndisc_notify=1
announce 2001:db8:12::2 1 0 1
sysh net.ipv6.conf.all.ndisc_notify=0
sysh net.ipv6.conf.vh.ndisc_notify=1
wait_dad h r

echo "# a new MAC address on vh"
ip netns exec h ping -c1 -W5 2001:db8:12::1 >/dev/null || echo "ping failed"
# h's entry for r: present (whatever its state by now) or gone.
h_entry() { [[ $(ip -n h -6 neigh show to 2001:db8:12::1 dev vh) == *lladdr* ]] && echo present || echo none; }
echo "h before: $(h_entry)"
capture ip -n h link set vh address 52:54:00:00:0b:02
echo "r: $(ip -n r -6 neigh show to 2001:db8:12::2 dev vr)"
echo "h after: $(h_entry)"

# carrier SETTINGS...: r has a learnt entry and a permanent one on vr; with the
# sysctls SETTINGS set in r, vh goes down (vr loses its carrier): r's entries.
carrier() {
	echo "# carrier lost with $*"
	ip -n h link set vh up
	ip -n r -6 neigh flush dev vr
	ip -n r -6 neigh del 2001:db8:12::99 dev vr 2>/dev/null || true
	ip -n r -6 neigh replace 2001:db8:12::2 lladdr 52:54:00:00:0b:02 dev vr nud stale
	ip -n r -6 neigh add 2001:db8:12::99 lladdr 52:54:00:00:0b:99 dev vr
	[ $# -gt 0 ] && sysr "$@"
	ip -n h link set vh down
	# The carrier change reaches the notifiers through linkwatch, up to a second later.
	sleep 1.5
	ip -n r link show vr | grep -o 'NO-CARRIER' || echo "carrier still on"
	ip -n r -6 neigh show dev vr | grep -v fe80 | sort
	sysr net.ipv6.conf.vr.ndisc_evict_nocarrier=1 net.ipv6.conf.all.ndisc_evict_nocarrier=1
}
carrier
carrier net.ipv6.conf.vr.ndisc_evict_nocarrier=0
carrier net.ipv6.conf.all.ndisc_evict_nocarrier=0
echo "# carrier back"
ip -n h link set vh up
sleep 1.5
ip -n r -6 neigh show dev vr | grep -v fe80 | sort
