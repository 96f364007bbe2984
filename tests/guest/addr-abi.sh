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


# dummy0 (CONFIG_DUMMY=y) has a random MAC: fix it so the two stacks print the same.
ip link set dummy0 address 02:00:00:00:00:0d
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

echo "# whole-namespace dumps (RTM_GETLINK and RTM_GETADDR for AF_INET6)"
show ip -6 addr show
show ip -6 link show
show ip -6 -br addr show

echo "# the kernel's own answers to bad dump requests (iproute2 would not send these)"
# ifaddrmsg: family 10, prefixlen, flags, scope, index (LE u32)
probe RTM_GETADDR dump 0a00000000000000
probe RTM_GETADDR dump 0a
probe RTM_GETADDR dump 0a40000000000000
probe RTM_GETADDR dump 0a0000fd00000000
probe RTM_GETADDR dump 0a00000003000000
probe RTM_GETADDR dump 0a0000000f270000
probe RTM_GETADDR dump 0a000000000000000800080001000000
probe --no-strict RTM_GETADDR dump 0a
# ifinfomsg: family 10, pad, type (u16), index (s32), flags, change
probe RTM_GETLINK dump 0a000000000000000000000000000000
probe RTM_GETLINK dump 0a000000030000000000000000000000
probe RTM_GETLINK dump 0a0000000000000000000000000000000800030000050000
probe RTM_GETLINK dump 0a00

echo "# ip -6 monitor address saw"
sleep 1
kill "$mon"
wait "$mon" 2>/dev/null || true
cat /tmp/monitor
