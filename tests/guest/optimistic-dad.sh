#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Optimistic DAD (RFC 4429; mainline with CONFIG_IPV6_OPTIMISTIC_DAD): the
# optimistic_dad and use_optimistic settings, in sysctl and in the link's
# IFLA_INET6_CONF; link-local and SLAAC addresses (the latter only from an RA that
# carries the router's link-layer address) start optimistic unless all.forwarding;
# `ip addr add ... optimistic`, its refusal with nodad, and the flag dropped where
# optimistic DAD is off or the address is no longer tentative; an optimistic address
# receives at once (its local route goes in when DAD begins), is announced at once
# only with use_optimistic, serves as a source only with use_optimistic, and after
# equals that are not optimistic, sends through the default router while its next
# hop is unresolved; a DAD failure clears it.
# DAD runs 3 probes 2 s apart, so that each address stays optimistic for 6 s: what is
# shown of an address while it is tentative must be shown well within that, also on a
# slow or loaded host (3 probes 1 s apart were too short once in CI, with two VMs at
# once).
. "$(dirname "$0")/../lib.sh"

netns_add h p
ip link add vh netns h address 52:54:00:00:0d:01 type veth peer name vp netns p address 52:54:00:00:0d:02
for s in optimistic_dad use_optimistic; do
	ip netns exec h sysctl -q net.ipv6.conf.vh.$s net.ipv6.conf.all.$s net.ipv6.conf.default.$s
done
show ip netns exec h sysctl -w net.ipv6.conf.vh.optimistic_dad=1
ip netns exec h sysctl -qw net.ipv6.conf.vh.dad_transmits=3
ip netns exec h sysctl -qw net.ipv6.neigh.vh.retrans_time_ms=2000
ip netns exec p sysctl -qw net.ipv6.conf.vp.accept_dad=0

addrs() {
	ip -n h -6 addr show dev vh | sed -n 's/^ *inet6 //p'
}
local_routes() {
	ip -n h -6 route show table local dev vh | grep -v ff00:: || true
}

ip netns exec h ip -6 monitor address >/tmp/optmon.$$ 2>&1 &
MON=$!
sleep 1

echo "== link-local, optimistic_dad=1 use_optimistic=0"
ip -n p link set vp up
ip -n h link set vh up
sleep 0.5
addrs
local_routes
wait_dad h
addrs

echo "== manual addresses"
show ip -n h -6 addr add 2001:db8::1/64 dev vh optimistic nodad
show ip -n h -6 addr add 2001:db8::1/64 dev vh optimistic
# Without use_optimistic it is avoided as a source while another address serves.
ip -n h -6 addr add 2001:db8:1::1/64 dev vh nodad
ip -n h -6 route get 2001:db8::9 | sed -n 's/.* src \([^ ]*\).*/src \1/p'
addrs
local_routes
# A peer reaches it while it is probed.
ip -n p -6 addr add 2001:db8::2/64 dev vp
ip netns exec p ping -6 -c1 -W2 2001:db8::1 >/dev/null && echo "ping to optimistic: ok" || echo "ping to optimistic: lost"
wait_dad h
ip -n h -6 route get 2001:db8::9 | sed -n 's/.* src \([^ ]*\).*/src \1/p'
# Not tentative any more: a change cannot make it optimistic.
show ip -n h -6 addr change 2001:db8::1/64 dev vh optimistic
addrs

echo "== use_optimistic=1"
ip netns exec h sysctl -qw net.ipv6.conf.vh.use_optimistic=1
show ip -n h -6 addr add 2001:db8:2::1/64 dev vh optimistic
ip -n h -6 addr add 2001:db8:2:1::2/64 dev vh nodad
ip -n h -6 route add 2001:db8:2::/48 dev vh
# Rule 8 decides for it (64 bits in common against 63).
ip -n h -6 route get 2001:db8:2::9 | sed -n 's/.* src \([^ ]*\).*/src \1/p'
# Rule 8 equal (48 bits each): not the optimistic one.
ip -n h -6 route get 2001:db8:2:8000::9 | sed -n 's/.* src \([^ ]*\).*/src \1/p'
addrs
wait_dad h

echo "== packets from an optimistic address to an unresolved next hop"
# Mainline's ip6_dst_lookup_tail(): while the next hop's entry is incomplete, they go
# to the default router rather than have the optimistic address solicit it.
ip -n h -6 route add default via fe80::5054:ff:fe00:d02 dev vh
ip netns exec p tcpdump -i vp -nn -l 'ether dst 52:54:00:00:0d:02 and icmp6 and ip6 dst 2001:db8:6::99' \
	>/tmp/optdetour.$$ 2>/dev/null &
TD=$!
sleep 2
ip -n h -6 addr add 2001:db8:6::1/64 dev vh optimistic
ip netns exec h ping -6 -c2 -i0.5 -W1 -I 2001:db8:6::1 2001:db8:6::99 >/dev/null 2>&1 || true
sleep 1
kill "$TD"
wait "$TD" 2>/dev/null || true
echo "echo requests through the router: $(grep -c 'echo request' /tmp/optdetour.$$)"
rm -f /tmp/optdetour.$$
ip -n h -6 route del default via fe80::5054:ff:fe00:d02 dev vh
wait_dad h

echo "== DAD failure of an optimistic address"
ip -n p -6 addr add 2001:db8:3::1/64 dev vp nodad
show ip -n h -6 addr add 2001:db8:3::1/64 dev vh optimistic
sleep 4
addrs | grep 2001:db8:3::
# It would stay tentative: out of the way of the waits for DAD below.
ip -n h -6 addr del 2001:db8:3::1/64 dev vh

echo "== optimistic_dad=0: the flag is dropped"
ip netns exec h sysctl -qw net.ipv6.conf.vh.optimistic_dad=0
show ip -n h -6 addr add 2001:db8:4::1/64 dev vh optimistic
sleep 0.5
addrs | grep 2001:db8:4::
wait_dad h
ip netns exec h sysctl -qw net.ipv6.conf.vh.optimistic_dad=1

echo "== SLAAC"
ip netns exec h sysctl -qw net.ipv6.conf.vh.accept_ra=2
ip netns exec p /usr/bin/python3 -c '
from scapy.all import Ether, IPv6, ICMPv6ND_RA, ICMPv6NDOptPrefixInfo, ICMPv6NDOptSrcLLAddr, sendp, conf
conf.verb = 0
ra = Ether(src="52:54:00:00:0d:02", dst="33:33:00:00:00:01")/IPv6(src="fe80::2", dst="ff02::1")/ICMPv6ND_RA(routerlifetime=0)
pi = lambda p: ICMPv6NDOptPrefixInfo(prefix=p, prefixlen=64, L=1, A=1, validlifetime=3600, preferredlifetime=1800)
sendp(ra/pi("2001:db8:a::")/ICMPv6NDOptSrcLLAddr(lladdr="52:54:00:00:0d:02"), iface="vp")
sendp(ra/pi("2001:db8:b::"), iface="vp")
'
sleep 0.5
addrs | grep 2001:db8:[ab]: | sed 's/valid_lft.*//'
wait_dad h

echo "== all.forwarding=1: link-local addresses are not optimistic"
ip netns exec h sysctl -qw net.ipv6.conf.all.optimistic_dad=1
ip netns exec h sysctl -qw net.ipv6.conf.all.forwarding=1
ip link add vh2 netns h address 52:54:00:00:0d:03 type veth peer name vp2 netns p address 52:54:00:00:0d:04
ip netns exec h sysctl -qw net.ipv6.conf.vh2.dad_transmits=3
ip netns exec h sysctl -qw net.ipv6.neigh.vh2.retrans_time_ms=2000
ip -n p link set vp2 up
ip -n h link set vh2 up
sleep 0.5
ip -n h -6 addr show dev vh2 | sed -n 's/^ *inet6 //p'
wait_dad h

sleep 1
kill "$MON"
wait "$MON" 2>/dev/null || true
echo "== announcements"
# Lifetimes count down: not ABI.
sed -E 's/(valid|preferred)_lft [0-9]+sec/\1_lft N/g' /tmp/optmon.$$ | grep -v "^ *valid_lft forever"
rm -f /tmp/optmon.$$
