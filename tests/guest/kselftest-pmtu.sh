#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
# slow: yes
#
# Mainline's own path MTU selftest, unmodified: pmtu_ipv6_exception of
# tools/testing/selftests/net/pmtu.sh from the kernel tree the test kernel was built
# from. Host A reaches B through routers R1 and R2 (links of MTU 2000, then 1400 and
# 1500); pings too big for the second links make route exceptions on A, whose PMTUs
# `ip -6 route get` must show, and which must follow A's own MTU down and back up.
#
# pmtu.sh runs the case twice: with routes, and again with nexthop objects (`ip
# nexthop`); both runs are compared. So are its tunnel cases, IPv6 and IPv4 over
# IPv6 (ip6tnl: pmtu_ipv6_ipv6_exception, pmtu_ipv4_ipv6_exception) and IPv6 over
# IPv4 (sit: pmtu_ipv6_ipv4_exception): the outer path MTU learned from a router, and
# the inner one from the tunnel. Its other IPv6 cases (list_flush_ipv6_exception,
# pmtu_ipv6_route_change), with their nexthop reruns, are in scripts/kselftest-table.
# Like the other selftest wrappers it runs only with --slow (3-4 minutes of VM time),
# so that make check keeps to its budget; scripts/kselftest-table runs it on both
# stacks.
. "$(dirname "$0")/../lib.sh"

dir=$IPV6RS_KDIR/tools/testing/selftests/net
[ -f "$dir/pmtu.sh" ] || skip "no selftests in $IPV6RS_KDIR"
cd "$dir"
out=$(bash ./pmtu.sh pmtu_ipv6_exception 2>&1) || true
grep '^TEST:' <<<"$out" || echo "no result from pmtu.sh"

# The ip6tnl cases (IPv6 and IPv4 over IPv6) need ip6_tunnel.ko, the sit case (IPv6
# over IPv4) sit.ko, which the guest does not load on demand: mainline's, or on
# ipv6_rs its own.
modprobe ip6_tunnel || fail "modprobe ip6_tunnel"
modprobe sit || fail "modprobe sit"
trap 'rmmod_wait ip6_tunnel || true; rmmod_wait sit || true' EXIT
for t in pmtu_ipv6_ipv6_exception pmtu_ipv4_ipv6_exception pmtu_ipv6_ipv4_exception; do
	out=$(bash ./pmtu.sh "$t" 2>&1) || true
	grep '^TEST:' <<<"$out" || echo "no result from pmtu.sh $t"
done
