#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# ABI: what iproute2 and /proc show of the addresses the kernel configures by itself
# (::1 on lo, EUI-64 link-local on Ethernet-type devices) as links come up, go down,
# change MTU and move through namespaces. The runner compares this script's output on
# ipv6_rs with mainline's, line for line. Devices get fixed MACs so EUI-64 is stable.
. "$(dirname "$0")/../lib.sh"

show() {
	local rc=0
	echo "\$ $*"
	"$@" 2>&1 || rc=$?
	echo "[exit $rc]"
}

ip -6 monitor address >/tmp/monitor 2>&1 &
mon=$!
sleep 1

show ip -6 addr show dev lo
ip link add d0 type dummy
ip link set d0 address 52:54:00:12:34:56
show ip -6 addr show dev d0
ip link set d0 up
show ip -6 addr show dev d0
show ip -6 -d addr show dev d0
show ip -6 addr show dev d0 scope link
show ip -6 addr show dev d0 scope global
show ip -6 addr show dev nosuch

echo "# down, up"
ip link set d0 down
show ip -6 addr show dev d0
ip link set d0 up
show ip -6 addr show dev d0

echo "# MTU below 1280 takes IPv6 away; raising it back does not configure addresses"
ip link set d0 mtu 1000
show ip -6 addr show dev d0
ip link set d0 mtu 1500
show ip -6 addr show dev d0
ip link set d0 down
ip link set d0 up
show ip -6 addr show dev d0

echo "# lo down and up"
ip link set lo down
show ip -6 addr show dev lo
ip link set lo up
show ip -6 addr show dev lo

echo "# a second device, and /proc/net/if_inet6 (mainline's order is hash order: sorted)"
ip link add d1 type dummy
ip link set d1 address 02:00:00:00:00:01
ip link set d1 up
sort /proc/net/if_inet6

echo "# another namespace"
ip netns add other
show ip -n other -6 addr show
ip -n other link set lo up
show ip -n other -6 addr show
ip -n other link add d2 type dummy
ip -n other link set d2 address 52:54:00:00:00:02
ip -n other link set d2 up
show ip -n other -6 addr show dev d2
ip netns exec other sort /proc/net/if_inet6
ip netns del other

echo "# ip -6 monitor address saw"
sleep 1
kill "$mon"
wait "$mon" 2>/dev/null || true
cat /tmp/monitor
