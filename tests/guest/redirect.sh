#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Redirects a router sends (RFC 4861 §8.2, mainline ip6_forward() and
# ndisc_send_redirect()). Host a reaches everything through router r (its address is
# /128-only, its default route r's link-local address), so its packets to other
# nodes of its own link come back out of the link they arrived on, and r tells a of
# the better first hop:
# - to 2001:db8:a::3 (on the link, unknown to r): the destination itself, no
#   link-layer address;
# - to 2001:db8:a::4 (on the link, r knows its link-layer address): with it;
# - to 2001:db8:ff::/64, routed by r through fe80::99 on the link: that gateway;
# - to 2001:db8:fe::/64, routed through a global gateway: none (the target of a
#   redirect must be link-local or the destination);
# - to b, behind r's other link: none.
# Each redirect as a captures it (tcpdump -v), and the counters. a ignores them
# (accept_redirects 0): only what r sends is compared.
. "$(dirname "$0")/../lib.sh"

command -v tcpdump >/dev/null || skip "no tcpdump"
netns_add a r b
ip link add va netns a address 52:54:00:00:0a:01 type veth peer name vra netns r address 52:54:00:00:0e:01
ip link add vr1 netns r address 52:54:00:00:0e:02 type veth peer name vb netns b address 52:54:00:00:0b:01
for l in "a va" "r vra" "r vr1" "b vb"; do
	set -- $l
	ip -n "$1" link set "$2" up
done
ip netns exec a sysctl -qw net.ipv6.conf.all.accept_redirects=0
ip netns exec a sysctl -qw net.ipv6.conf.va.accept_redirects=0
ip -n a -6 addr add 2001:db8:a::1/128 dev va nodad
ip -n r -6 addr add 2001:db8:a::fe/64 dev vra nodad
ip -n r -6 addr add 2001:db8:1::fe/64 dev vr1 nodad
ip -n b -6 addr add 2001:db8:1::b/64 dev vb nodad
wait_dad a r b
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n a -6 route add default via fe80::5054:ff:fe00:e01 dev va
ip -n b -6 route add default via 2001:db8:1::fe dev vb
ip -n r -6 neigh add 2001:db8:a::4 lladdr 52:54:00:00:0a:04 dev vra nud permanent
ip -n r -6 neigh add fe80::99 lladdr 52:54:00:00:0a:99 dev vra nud permanent
ip -n r -6 route add 2001:db8:ff::/64 via fe80::99 dev vra
ip -n r -6 route add 2001:db8:fe::/64 via 2001:db8:a::99 dev vra
# a reaches r's link-local address first (neighbour discovery done).
ip netns exec a ping -q -c1 -W5 fe80::5054:ff:fe00:e01%va >/dev/null

snmp() { ip netns exec "$1" awk -v k="$2" '$1 == k { print $2 }' /proc/net/snmp6; }
# probe DST: one ping from a to DST; prints the redirects a receives for it.
probe() {
	local log
	log=$(mktemp)
	ip netns exec a tcpdump -l -t -n -v -i va 'icmp6 and ip6[40] == 137' >"$log" 2>/dev/null &
	local cap=$!
	sleep 1
	echo "# a pings $1"
	ip netns exec a ping -q -c1 -W1 "$1" >/dev/null 2>&1 || true
	sleep 1
	kill "$cap"
	wait "$cap" 2>/dev/null || true
	# The redirected header option quotes a's ping (its flow label, id and time
	# vary): its length is shown, not its octets.
	sed -E -e '/^[[:space:]]+0x[0-9a-f]+:/d' -e 's/sum ok/sum S/' "$log"
	rm -f "$log"
}
for d in 2001:db8:a::3 2001:db8:a::4 2001:db8:ff::1 2001:db8:fe::1 2001:db8:1::b; do
	probe "$d"
done
echo "# counters"
echo "r Icmp6OutRedirects $(snmp r Icmp6OutRedirects)"
echo "a Icmp6InRedirects $(snmp a Icmp6InRedirects)"
echo "r Ip6OutForwDatagrams $(snmp r Ip6OutForwDatagrams)"
# A burst: at most one a second per destination and per sender, after a few.
before=$(snmp r Icmp6OutRedirects)
ip netns exec a ping -q -c 20 -i 0.05 -W1 2001:db8:a::4 >/dev/null 2>&1 || true
n=$(($(snmp r Icmp6OutRedirects) - before))
echo "burst of 20: some redirected, not all: $([ "$n" -ge 1 ] && [ "$n" -lt 20 ] && echo yes || echo "no ($n)")"
