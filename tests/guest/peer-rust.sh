#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: rust
# vm-run: --peer-stack rust --peer-cmd 'ip link set eth0 up && ip -6 addr add 2001:db8:1::2/64 dev eth0 && modprobe ip6_tunnel && ip link add t6 type ip6tnl local 2001:db8:1::2 remote 2001:db8:1::1 mode any && ip -6 addr add 2001:db8:99::2/64 dev t6 nodad && ip addr add 10.99.0.2/24 dev t6 && ip link set t6 up && ip addr add 10.1.0.2/24 dev eth0 && modprobe sit && ip link add s4 type sit local 10.1.0.2 remote 10.1.0.1 && ip -6 addr add 2001:db8:98::2/64 dev s4 nodad && ip link set s4 up && modprobe ip6_gre && ip link add g6 type ip6gre local 2001:db8:1::2 remote 2001:db8:1::1 key 5 && ip -6 addr add 2001:db8:96::2/64 dev g6 nodad && ip addr add 10.96.0.2/24 dev g6 && ip link set g6 up && ip link add e6 address 52:54:00:00:e6:02 type ip6gretap local 2001:db8:1::2 remote 2001:db8:1::1 key 6 && ip -6 addr add 2001:db8:95::2/64 dev e6 nodad && ip addr add 10.95.0.2/24 dev e6 && ip link set e6 up && { /usr/bin/python3 "$IPV6RS_ROOT/tests/tools/udpecho.py" serve 7007 >/dev/null 2>&1 & } && for i in $(seq 90); do ping -6 -c1 -W1 2001:db8:1::1 >/dev/null 2>&1 && break; sleep 1; done; ping -6 -c3 -i0.3 -W2 2001:db8:1::1 && ping -6 -c2 -i0.3 -W2 -s 4000 fe80::5054:ff:fe00:1%eth0 && ip -6 neigh show dev eth0 2001:db8:1::1 && ping -6 -c3 -i0.3 -W2 2001:db8:99::1 && ping -4 -c3 -i0.3 -W2 10.99.0.1 && for i in $(seq 30); do ping -6 -c1 -W1 2001:db8:98::1 >/dev/null 2>&1 && break; sleep 1; done; ping -6 -c3 -i0.3 -W2 2001:db8:98::1'
#
# ipv6_rs talks to ipv6_rs: the peer VM runs ipv6_rs too (vm-run --peer-stack rust).
# Both sides run DAD on their global addresses, resolve each other by ND, and ping each
# other's global and link-local addresses, with 4000-byte echoes fragmented and
# reassembled by ipv6_rs at both ends. The peer's kernel log and leak report are
# checked as this VM's are. Both ends also run an ip6tnl tunnel between them (mode
# any) and ping through it, over IPv6 and IPv4, a sit tunnel (6in4), and mainline's
# ip6_gre.ko an ip6gre and an ip6gretap tunnel; a UDP stream goes through each to an
# echo server on the peer.
. "$(dirname "$0")/../lib.sh"

ip link set eth0 up
ip -6 addr add 2001:db8:1::1/64 dev eth0
modprobe ip6_tunnel || fail "modprobe ip6_tunnel"
modprobe sit || fail "modprobe sit"
trap 'ip link del t6 2>/dev/null || true; rmmod ip6_tunnel 2>/dev/null || true; ip link del s4 2>/dev/null || true; rmmod sit 2>/dev/null || true' EXIT
ip link add t6 type ip6tnl local 2001:db8:1::1 remote 2001:db8:1::2 mode any
ip -6 addr add 2001:db8:99::1/64 dev t6 nodad
ip addr add 10.99.0.1/24 dev t6
ip link set t6 up
ip addr add 10.1.0.1/24 dev eth0
ip link add s4 type sit local 10.1.0.1 remote 10.1.0.2
ip -6 addr add 2001:db8:98::1/64 dev s4 nodad
ip link set s4 up
ping_until 2001:db8:1::2 || true
expect "our address passed DAD" test -z "$(ip -6 addr show dev eth0 tentative)"
expect "ping the ipv6_rs peer" ping -6 -c3 -i0.3 -W2 2001:db8:1::2
expect "ping the peer's link-local address" ping -6 -c2 -i0.3 -W2 fe80::5054:ff:fe00:2%eth0
expect "4000-byte echoes to the peer" ping -6 -c2 -i0.3 -W2 -s 4000 2001:db8:1::2
neigh=$(ip -6 neigh show dev eth0 2001:db8:1::2)
echo "$neigh"
grep -q 'lladdr 52:54:00:00:00:02' <<<"$neigh" || fail "peer's MAC not learnt by ND"
expect "ping through an ip6tnl tunnel to the ipv6_rs peer" ping -6 -c3 -i0.3 -W2 2001:db8:99::2
expect "IPv4 through the tunnel to the ipv6_rs peer" ping -4 -c3 -i0.3 -W2 10.99.0.2
expect "a UDP stream through the ip6tnl tunnel" "$IPV6RS_ROOT/tests/tools/udpecho.py" send 2001:db8:99::2 7007 50 1200
expect "ping through a sit tunnel to the ipv6_rs peer" ping -6 -c3 -i0.3 -W2 2001:db8:98::2
expect "1300-byte echoes through the sit tunnel" ping -6 -c2 -i0.3 -W2 -s 1300 2001:db8:98::2
expect "a UDP stream through the sit tunnel" "$IPV6RS_ROOT/tests/tools/udpecho.py" send 2001:db8:98::2 7007 50 1200
peer_gre_tunnels
# The peer's pings at us (through the tunnel too), and what it
# learnt of us.
out=$(peer_result) || { echo "$out"; fail "the ipv6_rs peer could not reach us"; }
echo "$out"
grep -q 'lladdr 52:54:00:00:00:01' <<<"$out" || fail "the peer did not learn our MAC"
