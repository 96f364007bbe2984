#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# `ip -6 neigh` through the AF_INET6 neighbour table, compared with mainline: add,
# replace, change, show (with filters), delete, flush, proxy entries, the table's
# parameters (`ip ntable`), and errors (no IPv6 on the device, missing entry, bad
# address).
. "$(dirname "$0")/../lib.sh"

ip link add d6a type dummy
ip link set d6a up
ip link add d6b type dummy
ip link set d6b up

show ip -6 neigh add 2001:db8::1 lladdr 02:00:00:00:00:01 dev d6a
show ip -6 neigh add 2001:db8::2 lladdr 02:00:00:00:00:02 dev d6a nud reachable
show ip -6 neigh add 2001:db8::3 lladdr 02:00:00:00:00:03 dev d6b nud stale router
show ip -6 neigh add fe80::4 lladdr 02:00:00:00:00:04 dev d6b nud noarp
show ip -6 neigh add 2001:db8::1 lladdr 02:00:00:00:00:09 dev d6a
show ip -6 neigh replace 2001:db8::1 lladdr 02:00:00:00:00:11 dev d6a
show ip -6 neigh change 2001:db8::2 lladdr 02:00:00:00:00:22 dev d6a nud permanent
show ip -6 neigh change 2001:db8::99 lladdr 02:00:00:00:00:22 dev d6a
# Dumps follow the table's hash order, which is random per boot: sorted.
echo "== show"
ip -6 neigh show | grep -v REACHABLE | sort
ip -6 neigh show dev d6a nud permanent | sort
ip -6 neigh show 2001:db8::3
ip -6 neigh show to 2001:db8::/64 dev d6b
echo "== delete"
show ip -6 neigh del 2001:db8::1 dev d6a
show ip -6 neigh del 2001:db8::1 dev d6a
show ip -6 neigh add 1.2.3.4 lladdr 02:00:00:00:00:01 dev d6a
echo "== proxy"
show ip -6 neigh add proxy 2001:db8::77 dev d6a
ip -6 neigh show proxy
show ip -6 neigh del proxy 2001:db8::77 dev d6a
echo "== flush"
show ip -6 neigh flush dev d6b
ip -6 neigh show dev d6b
echo "== IPv6 disabled on the device"
sysctl -qw net.ipv6.conf.d6b.disable_ipv6=1
show ip -6 neigh add 2001:db8::5 lladdr 02:00:00:00:00:05 dev d6b
echo "== device removal takes its entries"
ip link del d6a
ip -6 neigh show | sort
echo "== the table (reachable is randomised around base_reachable)"
ip ntable show name ndisc_cache | sed -n '1,3p' | sed 's/ reachable [0-9]*/ reachable N/'
ip ntable show name ndisc_cache dev lo | grep -v 'STATS\|stats' | head -6 |
	sed 's/ reachable [0-9]*/ reachable N/'
