#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline
# vm-run: --peer-cmd 'ip link set eth0 up && ip -6 addr add 2001:db8:1::2/64 dev eth0 nodad'
#
# The interop link: this VM and a peer VM running mainline's ipv6.ko are connected by
# virtio-net NICs; the peer answers ping and resolves neighbours on it. ipv6_rs joins with
# the host datapath.
. "$(dirname "$0")/../lib.sh"

ip link set eth0 up
ip -6 addr add 2001:db8:1::1/64 dev eth0 nodad
# The peer boots alongside us; give it time to configure itself.
for _ in $(seq 120); do
	ping -6 -c1 -W1 2001:db8:1::2 >/dev/null 2>&1 && break
	sleep 1
done
expect "ping the peer over virtio-net" ping -6 -c3 -i0.3 -W2 2001:db8:1::2
neigh=$(ip -6 neigh show dev eth0 2001:db8:1::2)
echo "$neigh"
grep -q 'lladdr 52:54:00:00:00:02' <<<"$neigh" || fail "peer's MAC not learnt by ND"
