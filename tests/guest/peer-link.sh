#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: rust mainline
# vm-run: --peer-cmd 'ip link set eth0 up && ip -6 addr add 2001:db8:1::2/64 dev eth0 nodad'
#
# The interop link: this VM and a peer VM running mainline's ipv6.ko are connected by
# virtio-net NICs; we ping the peer's global and link-local addresses, with 4000-byte
# echoes fragmented and reassembled both ways, and resolve its MAC by ND.
. "$(dirname "$0")/../lib.sh"

ip link set eth0 up
ip -6 addr add 2001:db8:1::1/64 dev eth0 nodad
# The peer boots alongside us; give it time to configure itself.
ping_until 2001:db8:1::2 || true
expect "ping the peer over virtio-net" ping -6 -c3 -i0.3 -W2 2001:db8:1::2
expect "ping the peer's link-local address" ping -6 -c2 -i0.3 -W2 fe80::5054:ff:fe00:2%eth0
expect "4000-byte echoes to the peer" ping -6 -c2 -i0.3 -W2 -s 4000 2001:db8:1::2
neigh=$(ip -6 neigh show dev eth0 2001:db8:1::2)
echo "$neigh"
grep -q 'lladdr 52:54:00:00:00:02' <<<"$neigh" || fail "peer's MAC not learnt by ND"
