#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: rust mainline
# compare: stdout
#
# iputils ping, as root, between two network namespaces joined by a veth pair: ::1, our
# own global and link-local addresses, the other namespace's global and link-local
# (%dev) addresses, 4000-byte echoes (fragmented and reassembled), a 10 000-packet flood
# without loss, and the errors: no route (network unreachable) and a neighbour that never
# answers (address unreachable, from the ICMPv6 error the stack sends itself). Then
# the same over ICMPv6 ping sockets (net.ipv4.ping_group_range), as root and as an
# unprivileged user. Round-trip times and link-local addresses (from random veth MACs) are masked.
. "$(dirname "$0")/../lib.sh"

netns_pair
ip -n a -6 addr add 2001:db8:5::1/64 dev va
ip -n b -6 addr add 2001:db8:5::2/64 dev vb
wait_dad a b
ll_a=$(link_local a va) ll_b=$(link_local b vb)

ping_in() {
	local ns=$1
	shift
	run_in "$ns" ping "$@"
}

ping_in a -c2 -i0.2 ::1
ping_in a -c2 -i0.2 2001:db8:5::1
ping_in a -c2 -i0.2 "$ll_a%va"
ping_in a -c2 -i0.2 2001:db8:5::2
ping_in a -c2 -i0.2 "$ll_b%va"
ping_in b -c2 -i0.2 2001:db8:5::1
ping_in a -c2 -i0.2 -s 4000 2001:db8:5::2
ping_in a -c2 -i0.2 -t 1 2001:db8:5::2
ping_in a -c1 -W1 2001:db9::1
ping_in a -c1 -w5 -i10 2001:db8:5::7
ping_in a -q -f -c 10000 2001:db8:5::2

# Ping sockets: iputils tries them first, and falls back to raw sockets (root only)
# while the group range excludes the caller.
user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
run_in a "${user[@]}" ping -c1 -W2 2001:db8:5::2
ip netns exec a sysctl -qw net.ipv4.ping_group_range="0 2147483647"
ping_in a -c2 -i0.2 2001:db8:5::2
ping_in a -c2 -i0.2 "$ll_b%va"
ping_in a -c2 -i0.2 -s 4000 2001:db8:5::2
ping_in a -c1 -w5 -i10 2001:db8:5::7
run_in a "${user[@]}" ping -c2 -i0.2 2001:db8:5::2
run_in a "${user[@]}" ping -c2 -i0.2 ::1
