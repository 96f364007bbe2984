#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: rust mainline
#
# The IPv6 module loads and unloads cleanly, three times, leaking nothing, and refuses
# to unload while AF_INET6 sockets or IPv6 nexthop objects exist. On mainline
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
	# Devices that exist when the module loads get IPv6 state from the notifier's replay.
	ip link add d0 type dummy
	ip link set d0 up
	for i in 1 2 3; do
		# A namespace created while loaded must get our per-netns state and lose it on
		# unload; one created and destroyed in between exercises exit on a live module.
		ip netns add "t$i"
		ip netns add gone
		ip -n gone link add v0 type veth peer name v1
		ip -n gone link set v0 up
		ip netns del gone
		# Devices coming, changing and going while loaded, in another namespace too.
		ip -n "t$i" link add v0 type veth peer name v1
		ip -n "t$i" link set v0 up
		ip -n "t$i" link set lo up
		ip link add d1 type dummy
		ip link set d1 mtu 1000 # below IPv6's minimum: IPv6 state goes
		ip link set d1 mtu 1500 # and comes back
		ip link set d1 up
		ip -6 addr add 2001:db8:1::1/64 dev d1
		ip link set d1 down
		ip link del d1
		# Unloading must work while devices carry manual and automatic addresses.
		ip -6 addr add "2001:db8::$i/64" dev d0 nodad
		ip -n "t$i" -6 addr add 2001:db8:2::1/64 dev v0
		# A finite lifetime arms the namespace's address check: unload must cancel it.
		ip -6 addr add "2001:db8:3::$i/64" dev d0 valid_lft 100 preferred_lft 50
		expect "d0 carries its address" grep -q "2001:db8::$i/64" <(ip -6 addr show dev d0)
		# Sockets that came and went (raw and ping sockets of ping, UDP) leave nothing
		# behind; open ones hold the module, as for any protocol module.
		ip link set lo up
		expect "ping ::1 (round $i)" ping -6 -c1 -W5 ::1 >/dev/null
		rm -f /tmp/held
		python3 -c '
import socket, time
s = [socket.socket(socket.AF_INET6, t, p) for t, p in
     ((socket.SOCK_RAW, 58), (socket.SOCK_DGRAM, 0))]
s[1].bind(("::1", 0))
s[1].sendto(b"x", s[1].getsockname())
open("/tmp/held", "w").close()
time.sleep(120)' &
		holder=$!
		while [ ! -e /tmp/held ]; do sleep 0.1; done
		if rmmod ipv6_rs 2>/dev/null; then
			fail "rmmod succeeded while sockets were open"
		fi
		kill "$holder"
		wait "$holder" || true
		# IPv6 nexthop objects (kept by the kernel, freed through our ipv6_stub) and a
		# route using one hold the module too, until they are deleted.
		ip -6 nexthop add id 61 via 2001:db8::99 dev d0
		ip -6 route add 2001:db8:100::/64 nhid 61
		if rmmod ipv6_rs 2>/dev/null; then
			fail "rmmod succeeded while an IPv6 nexthop object existed"
		fi
		ip -6 nexthop flush
		# Closed sockets are freed after an RCU grace period, and only then let go of
		# the module.
		for _ in $(seq 50); do
			rmmod ipv6_rs 2>/dev/null && break
			sleep 0.2
		done
		expect "rmmod ipv6_rs (round $i)" test -z "$(grep '^ipv6_rs ' /proc/modules)"
		expect "addresses gone with the module" test -z "$(ip -6 addr show dev d0)"
		ip netns del "t$i"
		expect "modprobe ipv6_rs (round $i)" modprobe ipv6_rs
		info "round $i: unloaded and reloaded"
	done
	expect "rmmod ipv6_rs (final)" rmmod ipv6_rs
	ip link del d0
	kmemleak_clean
	;;
*) skip "unknown stack $STACK" ;;
esac
