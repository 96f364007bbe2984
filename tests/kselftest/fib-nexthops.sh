#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mainline's fib_nexthops.sh, unmodified, for its IPv6 suites and the IPv4 one that
# puts IPv6 next hops under IPv4 routes (RFC 5549): nexthop objects and groups,
# resilient groups, runtime behaviour, large groups, compat mode, fdb nexthops. Prints
# "SUITE <name>" and the suite's "TEST:" lines, like tests/kselftest/run.sh; run it on
# each stack and compare:
#
#   scripts/vm-run --stack mainline -- $PWD/tests/kselftest/fib-nexthops.sh > m.out
#   scripts/vm-run --stack rust -- $PWD/tests/kselftest/fib-nexthops.sh > r.out
#   diff m.out r.out
#
# About seven minutes per stack under TCG. Documentation/kselftests.rst has the result.
set -uo pipefail
cd "$IPV6RS_KDIR/tools/testing/selftests/net" || exit 1
mkdir -p /tmp/bin
cc=$(command -v cc || command -v clang) && "$cc" -O0 -w -o /tmp/bin/nettest nettest.c
export PATH=/tmp/bin:$PATH
for t in ipv6_fcnal ipv6_grp_fcnal ipv6_res_grp_fcnal ipv6_fcnal_runtime ipv6_large_grp \
	ipv6_compat_mode ipv6_fdb_grp_fcnal ipv4_fcnal_runtime; do
	echo "SUITE fib_nexthops.sh -t $t"
	timeout 900 bash ./fib_nexthops.sh -t "$t" 2>&1 | grep -E '^ *TEST: ' |
		sed -E 's/^ +//; s/ +\[/ [/'
done
exit 0
