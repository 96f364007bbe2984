#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
# slow: yes
#
# Mainline's own neighbour discovery selftests, unmodified, from the kernel tree the
# test kernel was built from (tools/testing/selftests/net):
# - ndisc_unsolicited_na_test.sh: a host with ndisc_notify announces its address with
#   an unsolicited NA once DAD completes; the router (the device under test) learns it
#   as STALE only with drop_unsolicited_na 0, accept_untracked_na 1 and forwarding 1
#   (RFC 9131), in all eight combinations;
# - arp_ndisc_evict_nocarrier.sh: losing the carrier flushes the neighbour table unless
#   ndisc_evict_nocarrier is off on the device or on all (its ARP half runs too: IPv4,
#   the same on both stacks);
# - arp_ndisc_untracked_subnets.sh (accept_untracked_na 2) needs arping, which the
#   test image lacks, and its IPv6 half a tc flower filter, which the test kernel
#   lacks: it skips on both stacks; tests/guest/ndisc-notify.sh covers what it checks.
# Their case-by-case lines must be the same on both stacks.
# Outside make check (scripts/run-tests --slow; scripts/kselftest-table runs the same
# suites): ndisc_unsolicited_na_test.sh starts tcpdump only after the link is up and
# waits 15 s for an NA that may already have gone. Alone it passes on both stacks;
# in a full make check (two VMs on two cores, TCG) the slower ipv6_rs run once missed
# the NAs from the third case on (its `timeout 15s`, exit 124).
. "$(dirname "$0")/../lib.sh"

dir=$IPV6RS_KDIR/tools/testing/selftests/net
[ -f "$dir/ndisc_unsolicited_na_test.sh" ] || skip "no selftests in $IPV6RS_KDIR"
command -v tcpdump >/dev/null || skip "no tcpdump"
cd "$dir"
for t in ndisc_unsolicited_na_test.sh arp_ndisc_evict_nocarrier.sh arp_ndisc_untracked_subnets.sh; do
	echo "== $t"
	# The exit status is compared too (4: the untracked test's skip).
	rc=0
	out=$(bash "./$t" 2>&1) || rc=$?
	printf '%s\n' "$out" | grep -E '^ *TEST: |^run |^ok$|^failed$|^SKIP|^Tests (passed|failed)' |
		sed -E 's/^ +//; s/ +\[/ [/' || true
	echo "exit $rc"
done
