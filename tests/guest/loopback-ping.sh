#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: rust mainline
#
# With the IPv6 stack loaded, lo carries ::1/128 and `ping -6 ::1` works. This is the
# reference path every later test stands on; ipv6_rs joins it with the host datapath.
. "$(dirname "$0")/../lib.sh"

addrs=$(ip -6 addr show dev lo)
echo "$addrs"
grep -q 'inet6 ::1/128 scope host' <<<"$addrs" || fail "::1/128 missing on lo"
expect "ping -6 ::1" ping -6 -c1 -W5 ::1
