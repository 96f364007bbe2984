#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# A table large enough that dumps take many parts: 20000 routes added with ip -batch
# into table 300 (unreachable, gateway and device routes of several lengths), dumped
# (the count and a digest of the dump, which is in mainline's order), half deleted,
# dumped again, looked up (through a rule), and flushed; /proc/net/ipv6_route counts along.
. "$(dirname "$0")/../lib.sh"

ip link add d0 type dummy
ip link set d0 up
ip -6 addr add 2001:db8:ffff::1/64 dev d0 nodad

# routes FROM TO VERB
routes() {
	awk -v a="$1" -v b="$2" -v verb="$3" 'BEGIN {
		for (i = a; i < b; i++) {
			p = sprintf("fd00:%x:%x", int(i / 256), i % 256)
			if (i % 3 == 0) printf "route %s unreachable %s::/48 table 300\n", verb, p
			else if (i % 3 == 1) printf "route %s %s:1::/64 via 2001:db8:ffff::2 table 300\n", verb, p
			else printf "route %s %s:2:3::/96 dev d0 metric 7 table 300\n", verb, p
		}
	}'
}

dump() {
	local out
	out=$(ip -6 route show table 300)
	echo "table 300: $(grep -c . <<<"$out" || true) routes, digest $(md5sum <<<"$out" | cut -c1-12)"
	echo "/proc/net/ipv6_route: $(grep -c '^fd00' /proc/net/ipv6_route) lines for fd00::/16"
}

routes 0 20000 add | ip -6 -batch -
dump
routes 0 20000 del | awk 'NR % 2 == 0' | ip -6 -batch -
dump
ip -6 rule add to fd00::/16 lookup 300 pref 100
for d in fd00:0:1::1 fd00:0:2:1::1 fd00:4e:1f:1::5 fd00:4e:1e:2:3::9 fd00:ff:ff::1; do
	echo "get $d: $(ip -6 route get "$d" 2>&1 | head -1 | sed 's/ *$//')"
done
ip -6 route flush table 300
dump
