#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of scripts/kselftest-table: mainline's own selftests for the areas
# ipv6_rs covers, unmodified, from the kernel tree the test kernel was built from. For
# each suite it prints "SUITE <name>", then one "TEST: <case> [<result>]" line per case
# as the suite reports it. Runs on either stack.
set -uo pipefail
dir=$IPV6RS_KDIR/tools/testing/selftests/net
cd "$dir" || exit 1
mkdir -p /tmp/bin
cc=$(command -v cc || command -v clang) && "$cc" -O0 -w -o /tmp/bin/nettest nettest.c
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
# The suites' own exit statuses are in their lines; this run succeeded.
exit 0
