#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of scripts/kselftest-table: mainline's own selftests for the areas
# ipv6_rs covers, unmodified, from the kernel tree the test kernel was built from. For
# each suite it prints "SUITE <name>", then one "TEST: <case> [<result>]" line per case
# as the suite reports it. Runs on either stack.
set -uo pipefail
# A writable copy: cmsg_ipv6.sh and ip_defrag run helpers built beside them, and
# cmsg_sender.c includes ../kselftest.h.
src=$IPV6RS_KDIR/tools/testing/selftests
rm -rf /tmp/st && mkdir -p /tmp/st && cp -r "$src/net" /tmp/st/net && cp "$src"/kselftest*.h /tmp/st/ &&
	cd /tmp/st/net || exit 1
mkdir -p /tmp/bin
cc=$(command -v cc || command -v clang)
for prog in nettest cmsg_sender ip_defrag; do
	"$cc" -O1 -w -o "$prog" "$prog.c" || echo "could not build $prog"
done
cp nettest /tmp/bin/
export PATH=/tmp/bin:$PATH

suite() { # name cmd...
	local name=$1
	shift
	echo "SUITE $name"
	# fib_tests.sh, pmtu.sh, fib_rule_tests.sh: "TEST: <case>  [ OK ]";
	# rtnetlink.sh: "PASS: <case>".
	timeout 1800 "$@" 2>&1 | grep -E '^ *TEST: |^(PASS|FAIL|SKIP): ' |
		sed -E 's/^ +//; s/ +\[/ [/; s/^(PASS|FAIL|SKIP): (.*)$/TEST: \2 [\1]/'
}

suite "fib_rule_tests.sh -t fib_rule6" bash ./fib_rule_tests.sh -t fib_rule6
suite "rtnetlink.sh kci_test_addrlabel kci_test_route_get kci_test_polrouting" \
	bash ./rtnetlink.sh -t "kci_test_addrlabel kci_test_route_get kci_test_polrouting"
for t in unregister down carrier nexthop suppress ipv6_notify ipv6_rt ipv6_addr_metric \
	ipv6_route_metrics ipv6_del_addr fib6_gc_test; do
	suite "fib_tests.sh -t $t" bash ./fib_tests.sh -t "$t"
done
for t in pmtu_ipv6_exception list_flush_ipv6_exception pmtu_ipv6_route_change; do
	suite "pmtu.sh $t" bash ./pmtu.sh "$t"
done
suite "pmtu.sh cleanup_ipv6_exception" bash ./pmtu.sh cleanup_ipv6_exception
# The tunnel cases: IPv6 and IPv4 over IPv6 (ip6tnl), IPv6 over IPv4 (sit). The guest
# loads no module on demand: ip6_tunnel.ko and sit.ko by name (mainline's, or on
# ipv6_rs its own), unloaded after.
modprobe ip6_tunnel || echo "modprobe ip6_tunnel failed"
modprobe sit || echo "modprobe sit failed"
for t in pmtu_ipv6_ipv6_exception pmtu_ipv4_ipv6_exception pmtu_ipv6_ipv4_exception; do
	suite "pmtu.sh $t" bash ./pmtu.sh "$t"
done
# Mainline's ip6_gre.ko (on ipv6_rs through its ip6_tunnel.ko's ip6_tnl_* exports).
modprobe ip6_gre || echo "modprobe ip6_gre failed"
suite "rtnetlink.sh kci_test_ip6gretap" bash ./rtnetlink.sh -t kci_test_ip6gretap
rmmod ip6_gre 2>/dev/null
rmmod ip6_tunnel sit 2>/dev/null
suite "fib_tests.sh -t ipv6_mpath_list" bash ./fib_tests.sh -t ipv6_mpath_list
suite "rtnetlink.sh kci_test_neigh_get kci_test_address_proto" \
	bash ./rtnetlink.sh -t "kci_test_neigh_get kci_test_address_proto"
# Both families; the case names say which ("IPv4: ...", "IPv6: ...").
suite "fib_nexthop_multiprefix.sh" bash ./fib_nexthop_multiprefix.sh
# These three build a bridge (icmp_redirect.sh, traceroute.sh) or a VRF
# (fib-onlink-tests.sh) in their setup, which the test kernel lacks: they stop before
# their first case on both stacks (see the notes).
suite "icmp_redirect.sh" bash ./icmp_redirect.sh
suite "traceroute.sh" bash ./traceroute.sh
suite "fib-onlink-tests.sh" bash ./fib-onlink-tests.sh

# Neighbour discovery: RFC 9131's accept_untracked_na with drop_unsolicited_na and
# forwarding, ndisc_notify, ndisc_evict_nocarrier. arp_ndisc_evict_nocarrier.sh prints
# "run <case> test" and then "ok" or "failed": one TEST line per case, its ARP cases
# marked IPv4. arp_ndisc_untracked_subnets.sh needs arping (see the notes).
# ndisc_unsolicited_na_test.sh races with its own tcpdump and stops (set -e) when
# tcpdump starts too late: up to three attempts until it reports its eight cases, as
# tests/guest/kselftest-ndisc.sh does (see there), the same on both stacks.
echo "SUITE ndisc_unsolicited_na_test.sh"
for attempt in 1 2 3; do
	out=$(timeout 600 bash ./ndisc_unsolicited_na_test.sh 2>&1 | grep -E '^ *TEST: ' |
		sed -E 's/^ +//; s/ +\[/ [/')
	[ "$(printf '%s\n' "$out" | grep -c '^TEST: ')" -lt 8 ] || break
	echo "ndisc_unsolicited_na_test.sh stopped early (attempt $attempt)" >&2
done
printf '%s\n' "$out"
echo "SUITE arp_ndisc_evict_nocarrier.sh"
timeout 600 bash ./arp_ndisc_evict_nocarrier.sh 2>&1 | awk '
	/^run .* test$/ { c = $2; if (c ~ /^(all\.)?arp_/) c = "IPv4: " c; next }
	c != "" && /^(ok|failed)$/ { print "TEST: " c " [" ($1 == "ok" ? " OK " : "FAIL") "]"; c = "" }'
suite "arp_ndisc_untracked_subnets.sh" bash ./arp_ndisc_untracked_subnets.sh

# cmsg_ipv6.sh prints only its failing cases ("Case <name> returned X, expected Y")
# and then OK or FAIL: one TEST line per failing case, one for the whole.
echo "SUITE cmsg_ipv6.sh"
timeout 600 bash ./cmsg_ipv6.sh 2>&1 | sed -nE \
	-e 's/^ *Case (.*) returned .*/TEST: \1 [FAIL]/p' \
	-e 's/^OK$/TEST: cmsg_ipv6.sh: every case [OK]/p' \
	-e 's/^FAIL - ([0-9]+)\/([0-9]+) cases failed$/TEST: cmsg_ipv6.sh: every case (\1 of \2 failed) [FAIL]/p'

# ip_defrag.sh needs netfilter (nf_defrag_ipv6, ip6tables) before it gets to IPv6:
# its IPv6 half, run as the script runs it, minus the conntrack cases.
echo "SUITE ip_defrag -6, ip_defrag -6o (ip_defrag.sh's IPv6 cases)"
for opt in -6 -6o; do
	ip netns add defrag
	ip -n defrag link set lo up
	ip netns exec defrag sysctl -qw net.ipv6.ip6frag_high_thresh=9000000 \
		net.ipv6.ip6frag_low_thresh=7000000 net.ipv6.ip6frag_time=1 net.ipv6.route.max_size=65536
	if ip netns exec defrag timeout 300 ./ip_defrag "$opt" >/dev/null 2>&1; then r=PASS; else r=FAIL; fi
	echo "TEST: ip_defrag $opt [$r]"
	ip netns del defrag
done

# fcnal-test.sh runs each section without a VRF and then with one, and its setup
# stops the script at the first VRF: its no-VRF halves of the IPv6 ping, UDP and
# address-bind sections, driven as its main would drive them. It calls
# wait_local_port_listen to start each client after its server but never sources
# net_helper.sh, which defines it: sourced here, from the same tree.
echo "SUITE fcnal-test.sh -t ipv6_ping ipv6_udp ipv6_addr_bind (no VRF)"
timeout 1800 bash -c 'source <(sed "/^# main$/,\$d" fcnal-test.sh)
	source net_helper.sh
	nsuccess=0 nfail=0
	log_section "IPv6 ping"
	setup; ipv6_ping_novrf
	setup; set_ping_group; ipv6_ping_novrf
	log_section "IPv6/UDP"
	set_sysctl net.ipv4.udp_early_demux=1
	setup; ipv6_udp_novrf
	log_section "IPv6 address binds"
	setup; ipv6_addr_bind_novrf
	cleanup' 2>&1 | grep -E '^ *TEST: ' | sed -E 's/^ +//; s/ +\[/ [/'

# The suites' own exit statuses are in their lines; this run succeeded.
exit 0
