#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# A router between three network namespaces: host a, router r, host b, with two uplinks
# from r to b (link 1: vr1-vb1, link 2: vr2-vb2). Policy rules on r choose the uplink:
# traffic from a's second address (2001:db8:a::2) and r's own traffic marked 7 take
# table 200 (link 2); the rest takes the main table (link 1). b counts per link the echo
# requests it receives (/proc/net/dev_snmp6), which shows the path. Then ping's
# hop-limit probes (-t) and the ICMPv6 errors a router sends: time exceeded, no route,
# administratively prohibited, beyond scope of source (a link-local source), packet too
# big (link 2 has MTU 1280); with forwarding off, silence (an address error); and with
# the local rule moved behind a prohibit rule, packets for r itself refused.
. "$(dirname "$0")/../lib.sh"

netns_add a r b
ip link add va netns a address 52:54:00:00:0a:01 type veth peer name vra netns r address 52:54:00:00:0e:01
ip link add vr1 netns r address 52:54:00:00:0e:02 type veth peer name vb1 netns b address 52:54:00:00:0b:01
ip link add vr2 netns r address 52:54:00:00:0e:03 type veth peer name vb2 netns b address 52:54:00:00:0b:02
ip -n r link set vr2 mtu 1280
ip -n b link set vb2 mtu 1280
for l in "a va" "r vra" "r vr1" "r vr2" "b vb1" "b vb2"; do
	set -- $l
	ip -n "$1" link set "$2" up
done
ip -n a -6 addr add 2001:db8:a::1/64 dev va
ip -n a -6 addr add 2001:db8:a::2/64 dev va
ip -n r -6 addr add 2001:db8:a::fe/64 dev vra
ip -n r -6 addr add 2001:db8:1::fe/64 dev vr1
ip -n r -6 addr add 2001:db8:2::fe/64 dev vr2
ip -n b -6 addr add 2001:db8:1::b/64 dev vb1
ip -n b -6 addr add 2001:db8:2::b/64 dev vb2
ip -n b -6 addr add 2001:db8:ff::b/128 dev lo
wait_dad a r b
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n a -6 route add default via 2001:db8:a::fe
ip -n b -6 route add 2001:db8:a::/64 via 2001:db8:1::fe dev vb1
# Uplinks: link 1 in main, link 2 in table 200, chosen by source or mark.
ip -n r -6 route add 2001:db8:ff::/64 via 2001:db8:1::b dev vr1
ip -n r -6 route add 2001:db8:ff::/64 via 2001:db8:2::b dev vr2 table 200
ip -n r -6 rule add from 2001:db8:a::2 lookup 200 pref 100
ip -n r -6 rule add fwmark 7 lookup 200 pref 101
ip -n r -6 route add unreachable 2001:db8:dead::/48
ip -n r -6 route add prohibit 2001:db8:beef::/48

show() {
	local ns=$1 rc=0 out
	shift
	echo "$ns\$ $*"
	out=$(ip netns exec "$ns" "$@" 2>&1) || rc=$?
	sed -E -e 's/time=[0-9.]+ ms/time=T ms/' -e 's/time [0-9]+ms/time Tms/' \
		-e 's|^rtt .*|rtt T|' -e 's/fe80::[0-9a-f:]+/LL/g' <<<"$out"
	echo "[exit $rc]"
}
# echoes_at: echo requests b received on each uplink since the last call.
declare -A seen=([vb1]=0 [vb2]=0)
echoes_at() {
	local l n
	for l in vb1 vb2; do
		n=$(ip netns exec b awk '$1 == "Icmp6InEchos" { print $2 }' /proc/net/dev_snmp6/$l)
		echo "  b got $((n - seen[$l])) echo requests on $l"
		seen[$l]=$n
	done
}

# r's counters from here on (link bring-up leaves some of its own: see the ABI notes).
ip netns exec r cat /proc/net/snmp6 >/tmp/r.snmp6
echo "== rules and routes of r"
show r ip -6 rule show
show r ip -6 route show table 200
show r ip -6 route get 2001:db8:ff::b from 2001:db8:a::1 iif vra
show r ip -6 route get 2001:db8:ff::b from 2001:db8:a::2 iif vra
show r ip -6 route get 2001:db8:ff::b mark 7

echo "== the path by source address"
show a ping -c2 -i0.3 -I 2001:db8:a::1 2001:db8:ff::b
echoes_at
show a ping -c2 -i0.3 -I 2001:db8:a::2 2001:db8:ff::b
echoes_at
echo "== the path by fwmark, for r's own traffic"
show r ping -c2 -i0.3 2001:db8:ff::b
echoes_at
show r ping -c2 -i0.3 -m 7 2001:db8:ff::b
echoes_at

echo "== hop-limit probes"
show a ping -c1 -W2 -t 1 2001:db8:ff::b
show a ping -c1 -W2 -t 2 2001:db8:ff::b

echo "== errors a router sends"
show a ping -c1 -W2 2001:db8:dead::1
show a ping -c1 -W2 2001:db8:beef::1
ll_a=$(link_local a va)
show a ping -c1 -W2 -I "$ll_a%va" 2001:db8:ff::b
# One probe only: the answer leaves a path MTU exception on a (RFC 8201) that a
# second one would meet.
show a ping -c1 -W2 -s 1400 -M do -I 2001:db8:a::2 2001:db8:ff::b

counters() {
	ip netns exec r cat /proc/net/snmp6 | awk 'NR == FNR { before[$1] = $2; next }
		$1 ~ /^Ip6(OutForwDatagrams|InHdrErrors|InNoRoutes|InAddrErrors|InTooBigErrors|FragFails)$/ {
			print "  " $1, "+" ($2 - before[$1])
		}' /tmp/r.snmp6 -
}
echo "== counters of r"
counters

echo "== forwarding off"
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=0
show a ping -c1 -W1 2001:db8:ff::b
counters

# mainline's fcnal-test.sh moves the local rule back like this: policy rules then see
# packets for r's own addresses before the local table does (ip6_route_input()).
echo "== rules ahead of the local table"
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n r -6 rule add pref 1000 lookup local
ip -n r -6 rule del pref 0
ip -n r -6 rule add pref 50 from 2001:db8:a::2 prohibit
show r ip -6 rule show
show r ip -6 route get 2001:db8:a::fe from 2001:db8:a::2 iif vra
show a ping -c1 -W2 -I 2001:db8:a::1 2001:db8:a::fe
show a ping -c1 -W2 -I 2001:db8:a::2 2001:db8:a::fe
show a ping -c1 -W2 -I 2001:db8:a::2 2001:db8:1::fe
