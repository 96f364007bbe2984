#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: rust
#
# Our extension, proxy NDP by prefix (Documentation/abi.rst): with
# net.ipv6.conf.<upstream>.proxy_ndp = 2 and forwarding on, a router answers neighbour
# solicitations on its upstream link for any target whose route leads out through
# another interface, and forwards the traffic. Mainline would not answer (it reads 2
# as 1 and finds no proxy entry), so this runs on ipv6_rs only and asserts.
# Router r: upstream vru to host u (2001:db8:a::/64), downstream vrd to host h
# (2001:db8:1::b in the routed 2001:db8:1::/64, which u believes on its link).
. "$(dirname "$0")/../lib.sh"

command -v tcpdump >/dev/null || skip "no tcpdump"
command -v ndisc6 >/dev/null || skip "no ndisc6"
netns_add u r h
ip link add vu netns u address 52:54:00:00:0a:01 type veth peer name vru netns r address 52:54:00:00:0e:01
ip link add vrd netns r address 52:54:00:00:0e:02 type veth peer name vh netns h address 52:54:00:00:0b:01
for l in "u vu" "r vru" "r vrd" "h vh"; do
	set -- $l
	ip -n "$1" link set "$2" up
done
ip -n u -6 addr add 2001:db8:a::1/64 dev vu nodad
ip -n r -6 addr add 2001:db8:a::fe/64 dev vru nodad
ip -n r -6 addr add 2001:db8:1::fe/64 dev vrd nodad
ip -n h -6 addr add 2001:db8:1::b/64 dev vh nodad
wait_dad u r h
ip -n u -6 route add 2001:db8:1::/64 dev vu
ip -n h -6 route add default via 2001:db8:1::fe dev vh
ip -n r -6 route add 2001:db8:2::/64 via 2001:db8:1::b dev vrd
ip -n r -6 route add blackhole 2001:db8:3::/64
ip -n r -6 route add default via 2001:db8:1::b dev vrd
sysr() { ip netns exec r sysctl -qw "$@"; }
sysr net.ipv6.conf.all.forwarding=1
sysr net.ipv6.conf.vru.proxy_ndp=2
expect "proxy_ndp reads back 2" test "$(ip netns exec r sysctl -n net.ipv6.conf.vru.proxy_ndp)" = 2

# answered TARGET: whether u gets an NA for TARGET from r (multicast NS, ndisc6),
# with r's link-layer address. Prints the NA's flags.
answered() {
	local log cap
	log=$(mktemp)
	ip netns exec u tcpdump -l -t -n -vv -Q in -i vu "icmp6 and ip6[40] == 136" >"$log" 2>/dev/null &
	cap=$!
	sleep 1
	ip netns exec u ndisc6 -1 -r 1 -w 1500 "$1" vu >/dev/null 2>&1 || true
	sleep 1.5
	kill "$cap"
	wait "$cap" 2>/dev/null || true
	local na
	na=$(grep -A1 "tgt is $1," "$log" || true)
	rm -f "$log"
	[ -n "$na" ] || return 1
	grep -q "52:54:00:00:0e:01" <<<"$na" || fail "NA for $1 without r's link-layer address: $na"
	sed -n 's/.*Flags \[\(.*\)\].*/\1/p' <<<"$na" | head -1
}
yes_for() {
	local f
	f=$(answered "$1") || fail "no answer for $1 ($2)"
	[ "$f" = solicited ] || fail "NA for $1 has flags [$f], expected [solicited]"
	info "answered for $1 ($2): [$f]"
}
no_for() {
	if answered "$1" >/dev/null; then
		fail "answered for $1 ($2)"
	fi
	info "no answer for $1 ($2)"
}

yes_for 2001:db8:1::b "on-link behind vrd"
yes_for 2001:db8:1::99 "any address of the routed /64"
yes_for 2001:db8:2::7 "routed through a downstream gateway"
no_for 2001:db8:a::9 "routed back out vru"
no_for 2001:db8:3::1 "blackhole route"
no_for 2001:db8:77::1 "only the default route"
no_for fe80::5054:ff:fe00:b01 "link-local"
no_for 2001:db8:1::fe "r's own address on vrd (local route)"

info "u reaches h through r"
expect "ping u -> h" ip netns exec u ping -q -c2 -W5 2001:db8:1::b >/dev/null
expect "u's neighbour entry for h is r's address" \
	grep -q "lladdr 52:54:00:00:0e:01" <<<"$(ip -n u -6 neigh show 2001:db8:1::b dev vu)"

info "unicast NS to a proxied address is answered (forwarding path to local input)"
log=$(mktemp)
ip netns exec u tcpdump -l -t -n -vv -Q in -i vu "icmp6 and ip6[40] == 136" >"$log" 2>/dev/null &
cap=$!
sleep 1
ip netns exec u /usr/bin/python3 -c '
from scapy.all import Ether, IPv6, ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, sendp
sendp(Ether(dst="52:54:00:00:0e:01", src="52:54:00:00:0a:01")/IPv6(src="2001:db8:a::1", dst="2001:db8:1::b", hlim=255)/ICMPv6ND_NS(tgt="2001:db8:1::b")/ICMPv6NDOptSrcLLAddr(lladdr="52:54:00:00:0a:01"), iface="vu", verbose=0)'
sleep 1.5
kill "$cap"
wait "$cap" 2>/dev/null || true
grep -q "2001:db8:a::fe > 2001:db8:a::1: .*neighbor advertisement, length 24, tgt is 2001:db8:1::b, Flags \[solicited\]" "$log" ||
	fail "no unicast NA: $(cat "$log")"
rm -f "$log"

info "a proxy entry still decides its router flag"
ip -n r -6 neigh add proxy 2001:db8:1::42 dev vru router
f=$(answered 2001:db8:1::42) || fail "no answer for the proxy entry"
[ "$f" = "router, solicited" ] || fail "proxy entry NA flags [$f]"

info "proxy_ndp 1: mainline's, entries only"
sysr net.ipv6.conf.vru.proxy_ndp=1
no_for 2001:db8:1::99 "proxy_ndp 1"
sysr net.ipv6.conf.vru.proxy_ndp=2
yes_for 2001:db8:1::99 "proxy_ndp 2 again"
info "forwarding off on vru"
sysr net.ipv6.conf.vru.forwarding=0
no_for 2001:db8:1::99 "forwarding 0"
sysr net.ipv6.conf.vru.forwarding=1
info "all.proxy_ndp 2 is not the interface's"
sysr net.ipv6.conf.vru.proxy_ndp=0
sysr net.ipv6.conf.all.proxy_ndp=2
no_for 2001:db8:1::99 "all.proxy_ndp 2 only"
info "PASS"
