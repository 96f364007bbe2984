#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
# slow: yes
#
# Mainline's own selftest tools/testing/selftests/net/rtnetlink.sh, unmodified, for the
# cases that concern the IPv6 stack's routing and labels: kci_test_polrouting,
# kci_test_route_get (IPv6 and IPv4 lookups with from/iif/oif/tos/mark) and
# kci_test_addrlabel (add/list/del, and 1000 adds racing 1000 deletes). Ten minutes
# for both stacks, so outside make check (scripts/run-tests --slow); the same cases are
# in scripts/kselftest-table.
. "$(dirname "$0")/../lib.sh"

dir=$IPV6RS_KDIR/tools/testing/selftests/net
[ -f "$dir/rtnetlink.sh" ] || skip "no selftests in $IPV6RS_KDIR"
cd "$dir"
bash ./rtnetlink.sh -t "kci_test_polrouting kci_test_route_get kci_test_addrlabel"
