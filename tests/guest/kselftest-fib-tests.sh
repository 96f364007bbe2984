#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
# slow: yes
#
# Mainline's own FIB selftest, unmodified: the IPv6 suites of
# tools/testing/selftests/net/fib_tests.sh (from the kernel tree the test kernel was
# built from) that cover next hops and multipath routes: routes through a device that
# goes away (unregister) or down (down: a multipath route keeps its next hop, dead
# and linkdown, until the device is back), carrier loss (carrier), route add, append
# and replace with single and multipath routes (ipv6_rt), mtu metrics on the legs
# of a multipath route (ipv6_route_metrics), the metrics of addresses' prefix routes,
# kept over a down with keep_addr_on_down and following a new peer (ipv6_addr_metric),
# and routes that expire going within net.ipv6.route.gc_interval (fib6_gc_test).
# Each suite's TEST lines are compared. Like the other selftest wrappers it runs only
# with --slow (about 10 minutes of VM time for both stacks), so that make check keeps to
# its budget; scripts/kselftest-table runs these suites on both stacks.
. "$(dirname "$0")/../lib.sh"

dir=$IPV6RS_KDIR/tools/testing/selftests/net
[ -f "$dir/fib_tests.sh" ] || skip "no selftests in $IPV6RS_KDIR"
cd "$dir"
for t in unregister down carrier ipv6_rt ipv6_route_metrics ipv6_addr_metric fib6_gc_test; do
	echo "# fib_tests.sh -t $t"
	out=$(bash ./fib_tests.sh -t "$t" 2>&1) || true
	grep -E '^ *TEST:' <<<"$out" | sed -E 's/^ +//; s/ +\[/ [/' || echo "no result from fib_tests.sh -t $t"
done
