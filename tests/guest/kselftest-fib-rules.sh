#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Mainline's own selftest of IPv6 policy routing, unmodified:
# tools/testing/selftests/net/fib_rule_tests.sh -t fib_rule6 from the kernel tree the
# test kernel was built from. `ip -6 rule add` with every selector (oif, from + iif,
# tos/dsfield, fwmark, uidrange, sport/dport, ipproto, dscp) steering `ip -6 route get`
# to table 100, rules refused for ECN bits, and deletion by preference. Its
# case-by-case lines must be the same on both stacks. (fib_rule6_connect needs TCP, and
# the VRF cases a kernel with VRF: neither is run here.)
. "$(dirname "$0")/../lib.sh"

dir=$IPV6RS_KDIR/tools/testing/selftests/net
[ -f "$dir/fib_rule_tests.sh" ] || skip "no selftests in $IPV6RS_KDIR"
# The script insists on finding nettest (used only by the connect cases).
mkdir -p /tmp/bin
cc=$(command -v cc || command -v clang) || skip "no C compiler for nettest"
"$cc" -O0 -w -o /tmp/bin/nettest "$dir/nettest.c" || fail "cannot build nettest"
cd "$dir"
PATH=/tmp/bin:$PATH bash ./fib_rule_tests.sh -t fib_rule6
