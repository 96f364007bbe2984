#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
# vm-run: --peer-cmd 'ip link set eth0 up && ip -6 addr add 2001:db8:1::1/64 dev eth0 nodad && for i in $(seq 90); do ping -6 -c1 -W1 2001:db8:1::7 >/dev/null 2>&1 && break; sleep 1; done; ip -6 addr add 2001:db8:1::5/64 dev eth0 && sleep 4 && ip -6 addr show dev eth0 to 2001:db8:1::5/128'
#
# Duplicate address detection against a mainline peer, both ways (RFC 4862 §5.4):
# - the peer owns 2001:db8:1::1; when we add it, our probe is answered and the address
#   stays `tentative dadfailed`, announced with RTM_NEWADDR, logged as mainline logs it;
# - we own 2001:db8:1::5; when the peer adds it, we defend it and the peer's copy fails.
. "$(dirname "$0")/../lib.sh"

addr_lines() { ip -6 addr show dev eth0 "$@" | sed -n 's/^ *\(inet6 .*\)/\1/p'; }

ip link set eth0 up
ip -6 addr add 2001:db8:1::7/64 dev eth0 nodad
ip -6 addr add 2001:db8:1::5/64 dev eth0 nodad
# The peer pings ::7 from ::1 once it owns ::1: its solicitation teaches us its address.
for _ in $(seq 120); do
	ip -6 neigh show dev eth0 | grep -q '^2001:db8:1::1 ' && break
	sleep 1
done

# Our own link-local address finishes DAD (and is announced) first: the monitor is for
# the peer's address alone. (The peer may reach us before that: then the wait above
# ends within our link-local address's DAD.)
for _ in $(seq 30); do
	out=$(ip -6 addr show dev eth0)
	grep -q tentative <<<"$out" || break
	sleep 0.5
done
ip -6 monitor address >/tmp/monitor 2>&1 &
mon=$!
sleep 1
ip -6 addr add 2001:db8:1::1/64 dev eth0
for _ in $(seq 40); do
	addr_lines to 2001:db8:1::1/128 | grep -q dadfailed && break
	sleep 0.5
done
sleep 1
kill "$mon"
wait "$mon" 2>/dev/null || true

echo "== our copy of the peer's address"
addr_lines to 2001:db8:1::1/128
echo "== ip -6 monitor address"
sed 's/^[0-9]*: //; s/  */ /g' /tmp/monitor
echo "== kernel log"
dmesg | grep -o 'eth0: IPv6 duplicate address .* detected!' || echo "(no message)"
echo "== the peer's copy of our address"
peer_result | sed 's/^peer: *//'
