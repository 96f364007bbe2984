#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Upper-layer protocols are found by next header in the kernel's own inet6_protos[]
# table, so a module of the running kernel that registers one there gets its packets
# on either stack: with no one registered for 41 (IPv6 in IPv6) and 4 (IPv4 in IPv6),
# a packet of them earns a parameter problem (unknown next header); with mainline's
# tunnel6.ko loaded, which registers both and has no tunnel behind them, tunnel6's own
# answer (port unreachable); after rmmod, the parameter problem again.
. "$(dirname "$0")/../lib.sh"

netns_pair
ip -n a -6 addr add 2001:db8:5::1/64 dev va nodad
ip -n b -6 addr add 2001:db8:5::2/64 dev vb nodad
wait_dad a b
# a learns b's address before the probes, so no answer waits for resolution.
ip netns exec b ping -c1 -W5 2001:db8:5::1 >/dev/null
mac_a=$(ip -n a link show va | awk '/link\/ether/ { print $2 }')
probe() {
	ip netns exec b python3 "$IPV6RS_ROOT/tests/tools/nexthdr.py" vb 2001:db8:5::2 \
		2001:db8:5::1 "$mac_a" 41 4 253
}
echo "without tunnel6:"
probe
modprobe tunnel6 || fail "modprobe tunnel6"
echo "with tunnel6:"
probe
rmmod tunnel6 || fail "rmmod tunnel6"
echo "after rmmod tunnel6:"
probe
