#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: rust mainline
# vm-run: --peer-cmd 'ip link set eth0 up && ip -6 addr add 2001:db8:1::2/64 dev eth0 nodad && for i in $(seq 90); do ping -6 -c1 -W1 2001:db8:1::1 >/dev/null 2>&1 && break; sleep 1; done; ping -6 -c3 -i0.3 -W2 2001:db8:1::1 && ping -6 -c3 -i0.3 -W2 -s 1400 fe80::5054:ff:fe00:1%eth0 && ip -6 neigh show dev eth0'
#
# A mainline peer VM reaches this VM over virtio-net: duplicate address detection
# completes here (the addresses leave `tentative`), neighbour discovery resolves in
# both directions, and echo requests to the global and the link-local address are
# answered. The neighbour entries both sides learn are checked.
. "$(dirname "$0")/../lib.sh"

ip link set eth0 up
ip -6 addr add 2001:db8:1::1/64 dev eth0
# DAD: one probe after a random delay below 1 s, then 1 s (retrans_time) of silence.
for _ in $(seq 30); do
	ip -6 addr show dev eth0 | grep -q tentative || break
	sleep 0.5
done
ip -6 addr show dev eth0 | sed -n 's/^ *\(inet6 [^ ]*\) \(.*\)/\1 \2/p'
ip -6 addr show dev eth0 | grep -q tentative && fail "DAD did not complete"

peer_result || fail "the peer could not ping us"
neigh=$(ip -6 neigh show dev eth0)
echo "$neigh"
grep -q '^2001:db8:1::2 lladdr 52:54:00:00:00:02 ' <<<"$neigh" ||
	fail "the peer's global address was not learnt"
grep -q '^fe80::5054:ff:fe00:2 lladdr 52:54:00:00:00:02 ' <<<"$neigh" ||
	fail "the peer's link-local address was not learnt"
grep -q 'lladdr 52:54:00:00:00:01 ' <(peer_result) ||
	fail "the peer did not learn our MAC"
