#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: rust mainline
#
# The IPv6 module loads and unloads cleanly, three times, leaking nothing. On mainline
# it cannot be unloaded at all (ipv6.ko is [permanent]): the test checks that this is so,
# which is the behaviour ipv6_rs improves on.
. "$(dirname "$0")/../lib.sh"

case $STACK in
mainline)
	expect "ipv6 is loaded" grep -q '^ipv6 ' /proc/modules
	if rmmod ipv6 2>/dev/null; then
		fail "mainline ipv6.ko unexpectedly unloaded"
	fi
	info "mainline ipv6.ko is permanent, as expected"
	;;
rust)
	expect "ipv6_rs is loaded" grep -q '^ipv6_rs ' /proc/modules
	expect "mainline ipv6 is not loaded" test -z "$(grep '^ipv6 ' /proc/modules)"
	for i in 1 2 3; do
		# A namespace created while loaded must get our per-netns state and lose it on
		# unload; one created and destroyed in between exercises exit on a live module.
		ip netns add "t$i"
		ip netns add gone
		ip netns del gone
		expect "rmmod ipv6_rs (round $i)" rmmod ipv6_rs
		expect "ipv6_rs gone (round $i)" test -z "$(grep '^ipv6_rs ' /proc/modules)"
		ip netns del "t$i"
		expect "modprobe ipv6_rs (round $i)" modprobe ipv6_rs
		info "round $i: unloaded and reloaded"
	done
	expect "rmmod ipv6_rs (final)" rmmod ipv6_rs
	kmemleak_clean
	;;
*) skip "unknown stack $STACK" ;;
esac
