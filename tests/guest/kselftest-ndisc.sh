#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
# slow: yes
# vm-run: --kmemleak none
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
# suites).
#
# ndisc_unsolicited_na_test.sh races: it starts tcpdump only after both links are up,
# and DAD sends the NA it waits for 1-2 s after link up; under TCG `ip link set up`
# twice and tcpdump's start take about as long. When tcpdump loses, the script stops
# there (set -e) with fewer than its eight cases. Measured on 2026-12-06 without
# kmemleak (which makes a TCG guest about twice as slow and so loses it every time):
# both stacks lose about one case in 60 (the script run 8 times on each stack, one
# run of each stopped after its first case; the race alone, 30 times on each, no
# loss), the NA leaving as late after link up on both. So the script runs up to three
# times on either stack until it reports all eight cases; a case that fails (rather
# than stops the script) counts at once, and the attempts go to stderr, not compared.
. "$(dirname "$0")/../lib.sh"

dir=$IPV6RS_KDIR/tools/testing/selftests/net
[ -f "$dir/ndisc_unsolicited_na_test.sh" ] || skip "no selftests in $IPV6RS_KDIR"
command -v tcpdump >/dev/null || skip "no tcpdump"
cd "$dir"
for t in ndisc_unsolicited_na_test.sh arp_ndisc_evict_nocarrier.sh arp_ndisc_untracked_subnets.sh; do
	echo "== $t"
	# The exit status is compared too (4: the untracked test's skip).
	for attempt in 1 2 3; do
		rc=0
		out=$(bash "./$t" 2>&1) || rc=$?
		[ "$t" = ndisc_unsolicited_na_test.sh ] || break
		[ "$(printf '%s\n' "$out" | grep -c '^ *TEST: ')" -lt 8 ] || break
		echo "$t stopped early (attempt $attempt)" >&2
	done
	printf '%s\n' "$out" | grep -E '^ *TEST: |^run |^ok$|^failed$|^SKIP|^Tests (passed|failed)' |
		sed -E 's/^ +//; s/ +\[/ [/' || true
	echo "exit $rc"
done
