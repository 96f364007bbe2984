#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Proxy NDP (mainline ndisc_recv_ns()/ndisc_recv_na() with pneigh entries,
# pndisc_constructor(), pneigh_enqueue()/pndisc_redo(), ip6_forward_proxy_check()).
# Router r has an upstream link to host u (2001:db8:a::/64) and a downstream link to
# host h, whose address 2001:db8:a::5 belongs to u's prefix: r routes it (/128) to h
# and answers neighbour solicitations for it on u's link.
# - proxy entries (`ip -6 neigh add proxy`): dump, monitor around add and delete;
# - NS from u (ndisc6, multicast, through the proxy delay): no answer with
#   proxy_ndp 0 or forwarding 0 on the upstream device; answered with proxy_ndp on,
#   router flag from the entry, solicited, no override (the NA as u receives it);
# - a DAD probe for the proxied address: defended to all-nodes;
# - a unicast NS to the proxied address, which the forwarding path hands to local
#   input;
# - ping from u to h through r;
# - a proxied link-local address: NS answered, but packets to it are not forwarded
#   (address unreachable, Ip6InDiscards);
# - an NA carrying r's own link-layer address for a proxied target does not update
#   r's entry while all.proxy_ndp is on, and does once it is off.
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
ip -n h -6 addr add 2001:db8:a::5/128 dev vh nodad
wait_dad u r h
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n r -6 route add 2001:db8:a::5/128 dev vrd
ip -n r -6 route add 2001:db8:a::6/128 dev vrd
ip -n h -6 route add default via fe80::5054:ff:fe00:e02 dev vh

# scapy takes seconds to start: one process sends every crafted packet, a line of
# python per packet on its stdin.
coproc PY {
	exec ip netns exec u /usr/bin/python3 -u -c '
import sys
from scapy.all import Ether, IPv6, ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr, sendp, conf
conf.verb = 0
print("ready", flush=True)
for line in sys.stdin:
    sendp(eval(line), iface="vu")
    print("sent", flush=True)
'
}
read -r _ <&"${PY[0]}"
send() {
	echo "$1" >&"${PY[1]}"
	read -r _ <&"${PY[0]}"
}

sysr() { ip netns exec r sysctl -qw "$@"; }
snmp() { ip netns exec "$1" awk -v k="$2" '$1 == k { print $2 }' /proc/net/snmp6; }

# capture CMD...: run CMD in u while u's vu captures the neighbour advertisements it
# receives for targets in 2001:db8::/32 or for fe80::5 (tcpdump -vv), and print them.
# (Not r's advertisements of its own link-local address: u's unreachability probes of
# r come at times that vary.)
capture() {
	local log cap
	log=$(mktemp)
	ip netns exec u tcpdump -l -t -n -vv -Q in -i vu 'icmp6 and ip6[40] == 136 and
		(ip6[48:4] == 0x20010db8 or (ip6[48:4] == 0xfe800000 and ip6[60:4] == 5))' \
		>"$log" 2>/dev/null &
	cap=$!
	sleep 1
	"$@"
	sleep 1.5
	kill "$cap"
	wait "$cap" 2>/dev/null || true
	cat "$log"
	rm -f "$log"
}
# solicit TARGET: a multicast NS from u (ndisc6) and the advertisements u receives.
# (ndisc6's own verdict is left out: it reports a time-out on both stacks.)
solicit() {
	echo "# u solicits $1"
	# ndisc6's own output is discarded inside, capture's (the NAs) is what counts.
	capture sh -c "ip netns exec u ndisc6 -1 -r 1 -w 1500 $1 vu >/dev/null 2>&1 || true"
}

echo "# proxy entries"
mon=$(mktemp)
ip -n r monitor neigh >"$mon" 2>&1 &
monpid=$!
sleep 1
show ip -n r -6 neigh add proxy 2001:db8:a::5 dev vru
show ip -n r -6 neigh add proxy 2001:db8:a::6 dev vru router
show ip -n r -6 neigh add proxy 2001:db8:a::7 dev vru
show ip -n r -6 neigh add proxy 2001:db8:a::8 dev vru proto static
show ip -n r -6 neigh del proxy 2001:db8:a::7 dev vru
show ip -n r -6 neigh del proxy 2001:db8:a::7 dev vru
sleep 1
kill "$monpid"
wait "$monpid" 2>/dev/null || true
echo "# monitor"
sort "$mon"
rm -f "$mon"
echo "# dump"
ip -n r -6 neigh show proxy | sort
ip -n r -6 -d neigh show proxy dev vru | sort
# A device without IPv6 state (MTU below 1280) gets no proxy entry.
ip -n r link add d0 mtu 1000 type dummy
show ip -n r -6 neigh add proxy 2001:db8:a::9 dev d0

echo "# proxy_ndp 0: no answer"
solicit 2001:db8:a::5
echo "# proxy_ndp 1 on vru"
sysr net.ipv6.conf.vru.proxy_ndp=1
solicit 2001:db8:a::5
solicit 2001:db8:a::6
echo "# not proxied"
solicit 2001:db8:a::7
echo "# forwarding 0 on vru: no answer"
sysr net.ipv6.conf.vru.forwarding=0
solicit 2001:db8:a::5
sysr net.ipv6.conf.vru.forwarding=1
echo "# proxy_delay 0"
sysr net.ipv6.neigh.vru.proxy_delay=0
solicit 2001:db8:a::6
sysr net.ipv6.neigh.vru.proxy_delay=80

echo "# DAD probe for a proxied address"
capture send 'Ether(dst="33:33:ff:00:00:05", src="52:54:00:00:0a:01")/IPv6(src="::", dst="ff02::1:ff00:5", hlim=255)/ICMPv6ND_NS(tgt="2001:db8:a::5")'

echo "# ping u -> h"
ip netns exec u ping -c1 -W5 2001:db8:a::5 | grep -E "transmitted" | sed -E 's/, time [0-9]+ms//' || true
echo "# unicast NS to the proxied address, all.proxy_ndp 0: forwarded to h"
capture send 'Ether(dst="52:54:00:00:0e:01", src="52:54:00:00:0a:01")/IPv6(src="2001:db8:a::1", dst="2001:db8:a::6", hlim=255)/ICMPv6ND_NS(tgt="2001:db8:a::6")/ICMPv6NDOptSrcLLAddr(lladdr="52:54:00:00:0a:01")'
echo "# unicast NS to the proxied address, all.proxy_ndp 1: local input"
sysr net.ipv6.conf.all.proxy_ndp=1
capture send 'Ether(dst="52:54:00:00:0e:01", src="52:54:00:00:0a:01")/IPv6(src="2001:db8:a::1", dst="2001:db8:a::6", hlim=255)/ICMPv6ND_NS(tgt="2001:db8:a::6")/ICMPv6NDOptSrcLLAddr(lladdr="52:54:00:00:0a:01")'

echo "# proxied link-local address"
ip -n r -6 neigh add proxy fe80::5 dev vru
solicit fe80::5
before=$(snmp r Ip6InDiscards)
ip netns exec u ping -c1 -W2 fe80::5%vu 2>&1 | grep -E "^From|transmitted" | sed -E 's/, time [0-9]+ms//' || true
echo "r Ip6InDiscards +$(($(snmp r Ip6InDiscards) - before))"

echo "# NA with r's own link-layer address for a proxied target"
ip -n r -6 neigh replace 2001:db8:a::8 lladdr 52:54:00:00:0a:77 dev vru nud stale
na='Ether(dst="52:54:00:00:0e:01", src="52:54:00:00:0a:01")/IPv6(src="2001:db8:a::1", dst="2001:db8:a::fe", hlim=255)/ICMPv6ND_NA(tgt="2001:db8:a::8", R=0, S=0, O=1)/ICMPv6NDOptDstLLAddr(lladdr="52:54:00:00:0e:01")'
send "$na"
ip -n r -6 neigh show 2001:db8:a::8 dev vru
sysr net.ipv6.conf.all.proxy_ndp=0
send "$na"
ip -n r -6 neigh show 2001:db8:a::8 dev vru

echo "# delete: u's solicitations go unanswered"
ip -n r -6 neigh del proxy 2001:db8:a::5 dev vru
solicit 2001:db8:a::5
echo "# link down flushes proxy entries"
ip -n r link set vru down
ip -n r -6 neigh show proxy | sort
exec {PY[1]}>&-
wait "$PY_PID" 2>/dev/null || true
