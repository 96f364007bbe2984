#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Router discovery and stateless address autoconfiguration (RFC 4861 §6.3, RFC 4862 §5.5,
# RFC 4191 route information), against a router scripted with scapy in namespace b
# (tests/tools/ra.py, one process driven through a coprocess):
# 1. the router solicitation host a sends once its link-local address is valid;
# 2. (while a keeps soliciting) the sysctls that govern acceptance, one host namespace
#    p1..p5 each: accept_ra=0, forwarding=1 with accept_ra 1 and 2, autoconf=0,
#    accept_ra_defrtr=0 (and accept_ra_rt_info_max_plen left at 0: no route information);
# 3. how many solicitations a sent in 6 s; then an advertisement with every parameter
#    (hop limit, M/O, router lifetime, reachable and retransmit times, MTU, an
#    on-link+autonomous, an on-link-only and an autonomous-only prefix, a route):
#    addresses, routes, neighbour, sysctls;
# 4. a second advertisement that withdraws the default route, a prefix and the route and
#    shortens the first prefix (the address keeps two hours of validity, RFC 4862
#    §5.5.3e), as `ip -6 monitor` reports it;
# 5. advertisements to ignore (not from a link-local address, hop limit 254, ICMPv6 code
#    1, bad checksum, a zero-length option) or partly ignore (preferred lifetime above
#    valid, an autonomous /48), and how /proc/net/snmp6 counts them;
# 6. the first advertisement again (the address's lifetimes go back up), and a ping over
#    the SLAAC address and the on-link route.
# The MACs are fixed, so link-local and EUI-64 addresses are the same every run. Lifetimes
# and route expiry count down while the test runs: those just refreshed are rounded up
# (to 10 s up to 100 s, else to a minute) and shown as ~N, older ones masked as N.
. "$(dirname "$0")/../lib.sh"

mac_a=52:54:00:00:0a:01 mac_b=52:54:00:00:0b:01
# Policy hosts p1..p5: vp in pN (MAC ...:0c:0N), joined to rN in b (MAC ...:0d:0N).
policies=(
	"accept_ra=0"
	"forwarding=1 accept_ra=1"
	"forwarding=1 accept_ra=2"
	"autoconf=0"
	"accept_ra_defrtr=0"
)

# round: lifetimes and expiry rounded up as the header says; aged: masked.
round() {
	awk '{
		out = ""
		while (match($0, /(_lft|expires) [0-9]+sec/)) {
			s = substr($0, RSTART, RLENGTH)
			n = s; sub(/^[^ ]+ /, "", n); sub(/sec$/, "", n)
			w = s; sub(/ .*/, "", w)
			g = (n + 0 > 100) ? 60 : 10
			out = out substr($0, 1, RSTART - 1) w " ~" int((n + g - 1) / g) * g "sec"
			$0 = substr($0, RSTART + RLENGTH)
		}
		print out $0
	}'
}
aged() { sed -E 's/(_lft|expires) [0-9]+sec/\1 Nsec/g'; }

# at NS MASK CMD...: run CMD in namespace NS, print it and its output through MASK
# (round or aged), and its exit status unless 0.
at() {
	local ns=$1 m=$2 rc=0 out
	shift 2
	echo "$ns\$ $*"
	if [ "$1" = ip ]; then
		out=$(ip -n "$ns" "${@:2}" 2>&1) || rc=$?
	else
		out=$(ip netns exec "$ns" "$@" 2>&1) || rc=$?
	fi
	[ -z "$out" ] || $m <<<"$out"
	[ "$rc" = 0 ] || echo "[exit $rc]"
}

# router CMD...: a command to ra.py; prints its answer.
router() {
	local line
	echo "router> $*"
	echo "$*" >&"${RA[1]}"
	while IFS= read -r -t 180 line <&"${RA[0]}"; do
		[ "$line" = . ] && return 0
		echo "  $line"
	done
	fail "ra.py did not answer '$*'"
}

ip netns add a
ip netns add b
# scapy takes seconds to start: it does while the rest is set up.
coproc RA { exec ip netns exec b python3 -u "$(dirname "$0")/../tools/ra.py"; }
ip link add va netns a address $mac_a type veth peer name vb netns b address $mac_b
ip -n a link set lo up
ip -n b link set lo up
# Route information options are ignored unless their prefix length is at most this.
ip netns exec a sysctl -qw net.ipv6.conf.va.accept_ra_rt_info_max_plen=64
for i in 1 2 3 4 5; do
	ip netns add p$i
	ip link add vp netns p$i address 52:54:00:00:0c:0$i type veth \
		peer name r$i netns b address 52:54:00:00:0d:0$i
	ip -n p$i link set lo up
	# shellcheck disable=SC2046 # one word a setting
	ip netns exec p$i sysctl -qw $(printf 'net.ipv6.conf.vp.%s ' ${policies[$((i - 1))]})
done
# The router does not solicit.
ip netns exec b sysctl -qw net.ipv6.conf.{vb,r1,r2,r3,r4,r5}.accept_ra=0
for i in 1 2 3 4 5; do
	ip -n b link set r$i up
	ip -n p$i link set vp up
done
ip -n b link set vb up

echo "== 1. router solicitation when va comes up"
router listen vb
ip -n a link set va up
router rs-first 30
wait_dad a b
ll_a=$(link_local a va) ll_b=$(link_local b vb)
echo "link-local addresses: a $ll_a, b $ll_b"

echo "== 2. sysctls that govern acceptance"
for i in 1 2 3 4 5; do
	router send r$i full
done
wait_dad p1 p2 p3 p4 p5
for i in 1 2 3 4 5; do
	echo "-- p$i: ${policies[$((i - 1))]}"
	at p$i round ip -6 addr show dev vp scope global
	at p$i round ip -6 route show
	at p$i round ip -6 neigh show dev vp
	at p$i round sysctl net.ipv6.conf.vp.hop_limit net.ipv6.conf.vp.mtu
done

echo "== 3. a full router advertisement to a"
# a has been soliciting all along: RTR_SOLICITATION_INTERVAL 4 s (randomised ±10 %),
# then doubling. The advertisement ends that.
router rs-count 6
router send vb full
wait_dad a
at a round ip -6 addr show dev va
at a round ip -6 route show
at a round ip -6 route show table all dev va
at a round ip -6 neigh show dev va
at a round sysctl net.ipv6.conf.va.hop_limit net.ipv6.conf.va.mtu
nd=/proc/sys/net/ipv6/neigh/va
at a round cat $nd/retrans_time_ms $nd/base_reachable_time_ms
at a round ip -6 route get 2001:db8:ffff::1
at a round ip -6 route get 2001:db8:f::1
at a round ip -6 route get 2001:db8:b::1
at a round ip -6 route get 2001:db8:c::1

echo "== 4. a second advertisement withdraws"
ip netns exec a ip -6 monitor prefix address route >/tmp/monitor 2>&1 &
mon=$!
sleep 1
router send vb withdraw
sleep 1
kill "$mon"
wait "$mon" 2>/dev/null || true
echo "ip -6 monitor prefix address route:"
sed -E 's/expires [0-9]+sec/expires Nsec/g' /tmp/monitor | round
at a aged ip -6 addr show dev va
at a round ip -6 addr show dev va to 2001:db8:a::/64
at a round ip -6 route show
at a aged ip -6 route show table all dev va
at a aged ip -6 neigh show dev va

echo "== 5. advertisements to ignore"
state() {
	ip -n a -6 -batch - <<-EOF | aged
		addr show dev va
		route show table all
		neigh show dev va
	EOF
}
snmp() { ip netns exec a cat /proc/net/snmp6; }
state >/tmp/state.before
snmp >/tmp/snmp.before
for bad in global-source hop-limit-254 code-1 bad-checksum zero-length-option \
	preferred-above-valid prefix-48-autonomous; do
	router send vb "$bad"
	state >/tmp/state.after
	if diff /tmp/state.before /tmp/state.after >/tmp/state.diff; then
		echo "  a: nothing changed"
	else
		sed 's/^/  a: /' /tmp/state.diff
		cp /tmp/state.after /tmp/state.before
	fi
done
snmp >/tmp/snmp.after
echo "counter changes in a:"
# Only ICMPv6 ones: multicast listener reports of b reach a's IPv6 counters at random times.
awk 'NR == FNR { before[$1] = $2; next }
	/^Icmp6/ && $2 != before[$1] { print "  " $1, "+" ($2 - before[$1]) }' \
	/tmp/snmp.before /tmp/snmp.after

echo "== 6. the first advertisement again, and a ping over the SLAAC address"
# Unicast traffic comes last: neighbour unreachability detection between a and b would
# move the router's neighbour entry through DELAY and PROBE at times of its own.
router send vb full
at a round ip -6 addr show dev va to 2001:db8:a::/64
at a round ip -6 route show
ip -n b -6 addr add 2001:db8:a::1/64 dev vb nodad
at a round ip -6 route get 2001:db8:a::1
run_in a ping -c1 -W5 2001:db8:a::1

echo quit >&"${RA[1]}"
wait "$RA_PID" || true
