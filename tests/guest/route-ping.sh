#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: rust mainline
# compare: stdout
#
# Routes on the datapath: iputils ping between two network namespaces joined by a veth
# pair, to addresses namespace b keeps on lo, reached from a through routes via a global
# gateway, via a link-local gateway (default route), with a route mtu that makes the
# echo request fragment, and through reject routes (their errors), with the neighbour
# entry the gateway gets and the fragment counters. Round-trip times and link-local
# addresses (from random veth MACs) are masked.
. "$(dirname "$0")/../lib.sh"

netns_pair
ip -n a -6 addr add 2001:db8:5::1/64 dev va
ip -n b -6 addr add 2001:db8:5::2/64 dev vb
for x in ff fe fd; do
	ip -n b -6 addr add 2001:db8:$x::1/128 dev lo
done
wait_dad a b
ll_a=$(link_local a va) ll_b=$(link_local b vb)

# snmp NS NAME: a counter of /proc/net/snmp6 in namespace NS.
snmp() { ip netns exec "$1" awk -v n="$2" '$1 == n { print $2 }' /proc/net/snmp6; }

echo "# no route yet"
run_in a ping -c1 -W1 2001:db8:ff::1

echo "# via a global gateway"
run_in a ip -6 route add 2001:db8:ff::/64 via 2001:db8:5::2
run_in a ping -c2 -i0.2 2001:db8:ff::1
run_in a ip -6 route get 2001:db8:ff::1
ip -n a -6 neigh show 2001:db8:5::2 | awk '{ print "neighbour:", $1, $2, $3 }'

echo "# default route via a link-local gateway"
run_in a ip -6 route add default via "$ll_b" dev va
run_in a ping -c2 -i0.2 2001:db8:fe::1
run_in a ip -6 route get 2001:db8:fe::1
ip -n a -6 neigh show "$ll_b" | awk '{ print "neighbour:", $1, $2, $3 }' | mask_pair

echo "# a route mtu below the link's: the request is fragmented"
run_in a ip -6 route add 2001:db8:fd::/64 via 2001:db8:5::2 mtu 1300
creates=$(snmp a Ip6FragCreates) oks=$(snmp a Ip6FragOKs)
run_in a ping -c1 -s 1400 2001:db8:fd::1
echo "fragments created: $(($(snmp a Ip6FragCreates) - creates)), datagrams: $(($(snmp a Ip6FragOKs) - oks))"

echo "# reject routes"
for t in unreachable prohibit blackhole; do
	run_in a ip -6 route add $t 2001:db8:fe::/64
	run_in a ping -c1 -W1 2001:db8:fe::1
	run_in a ip -6 route del $t 2001:db8:fe::/64
done
run_in a ping -c1 -W1 2001:db8:fe::1

echo "# without the default route"
run_in a ip -6 route del default
run_in a ping -c1 -W1 2001:db8:fe::1
run_in a ping -c1 -W1 2001:db8:ff::1
