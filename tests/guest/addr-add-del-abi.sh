#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# ABI: `ip -6 addr add/change/replace/del/flush` as iproute2 sends them, and the
# kernel's own errors for requests iproute2 would not send (raw netlink), on dummy
# devices (IFF_NOARP: DAD completes at once on both stacks). Output compared with
# mainline's line for line. Lifetimes are printed only where they cannot tick.
. "$(dirname "$0")/../lib.sh"


ip link set dummy0 address 02:00:00:00:00:0d
ip link add d0 type dummy
ip link set d0 address 52:54:00:12:34:56
ip link set d0 up
ip -6 monitor address >/tmp/monitor 2>&1 &
mon=$!
sleep 1

echo "# add with flags"
show ip -6 addr add 2001:db8::1/64 dev d0
show ip -6 addr add 2001:db8::2/64 dev d0 nodad
show ip -6 addr add 2001:db8:1::1/48 dev d0 noprefixroute
show ip -6 addr add 2001:db8:2::1/64 dev d0 home
show ip -6 addr add 2001:db8:3::1/128 dev d0
show ip -6 addr add 2001:db8:4::1/64 dev d0 metric 300
show ip -6 addr add 2001:db8:5::1/64 peer 2001:db8:5::2 dev d0
show ip -6 addr add fec0::1/64 dev d0
show ip -6 addr show dev d0

echo "# errors"
show ip -6 addr add 2001:db8::1/64 dev d0
show ip -6 addr add 2001:db8::1/80 dev d0
show ip -6 addr add ::1/128 dev d0
show ip -6 addr add ff02::5/64 dev d0
show ip -6 addr add :: dev d0
show ip -6 addr add 2001:db8:9::1/64 dev d0 valid_lft 100 preferred_lft 200
show ip -6 addr add 2001:db8:9::1/48 dev d0 mngtmpaddr
show ip -6 addr del 2001:db8:77::1/64 dev d0
show ip -6 addr del 2001:db8::1/80 dev d0

echo "# replace and change"
show ip -6 addr replace 2001:db8::1/64 dev d0 nodad noprefixroute
show ip -6 addr change 2001:db8::2/64 dev d0 home
show ip -6 addr show dev d0 to 2001:db8::/63

echo "# finite lifetimes (shown as flags only: the counters tick)"
show ip -6 addr add 2001:db8:6::1/64 dev d0 valid_lft 3000 preferred_lft 2000
show ip -6 addr add 2001:db8:7::1/64 dev d0 valid_lft 3000 preferred_lft 0
ip -6 addr show dev d0 | grep -E '^ *inet6 2001:db8:[67]::'

echo "# delete and flush"
show ip -6 addr del 2001:db8::2/64 dev d0
show ip -6 addr del 2001:db8:5::1/64 dev d0
show ip -6 addr flush dev d0 scope global
show ip -6 addr show dev d0

echo "# a device that is down: addresses stay tentative-free on a NOARP device"
ip link add d1 type dummy
ip link set d1 address 52:54:00:00:00:01
show ip -6 addr add 2001:db8:10::1/64 dev d1
show ip -6 addr show dev d1
ip link set d1 up
show ip -6 addr show dev d1
ip link set d1 down
show ip -6 addr show dev d1

echo "# the kernel's own answers (ifaddrmsg: family, plen, flags, scope, index)"
d0=$(cat /sys/class/net/d0/ifindex)
idx=$(printf '%02x000000' "$d0")
a1=20010db8000000000000000000000042
a2=20010db8000000000000000000000043
probe RTM_NEWADDR create+excl+ack "0a400000${idx}14000100${a1}"
probe RTM_NEWADDR create+excl+ack "0a400000${idx}14000100${a1}"
probe RTM_NEWADDR create+excl+ack "0a8100000000000014000100${a1}"
probe RTM_NEWADDR create+excl+ack "0a40000063000000140001002001"
probe RTM_NEWADDR create+excl+ack "0a400000${idx}"
probe RTM_NEWADDR create+excl+ack "0a400000${idx}0800010020010db8"
probe RTM_NEWADDR create+excl+ack "0a400000${idx}14000100${a2}1400060000000000000000000000000000000000"
probe RTM_NEWADDR create+replace+ack "0a400000${idx}14000100${a1}1400060000000000ffffffff0000000000000000"
probe RTM_NEWADDR create+replace+ack "0a400000${idx}14000100${a1}1400060000000000000000000000000000000000"
ip -6 addr show dev d0 | grep -A1 "2001:db8::42"
probe RTM_DELADDR ack "0a400000${idx}14000100${a1}"
probe RTM_DELADDR ack "0a400000${idx}14000100${a1}"
probe RTM_DELADDR ack "0a810000${idx}14000100${a1}"
probe RTM_DELADDR ack "0a4000006300000014000100${a1}"

echo "# lifetimes run out: deprecated after preferred_lft, deleted after valid_lft"
# Seconds of slack around each look: a loaded machine (four VMs on two cores) once
# took 1.5 s more than 4.5 s of sleep and a spawn, and went past a valid_lft of 6.
show ip -6 addr add 2001:db8:20::1/64 dev d0 valid_lft 16 preferred_lft 4
sleep 10
ip -6 addr show dev d0 | grep -E '^ *inet6 2001:db8:20::'
sleep 10
show ip -6 addr show dev d0 to 2001:db8:20::/64

echo "# ip -6 monitor address saw"
sleep 1
kill "$mon"
wait "$mon" 2>/dev/null || true
# Finite lifetimes count down while the test runs: mask the numbers, keep the words.
sed -E 's/(valid|preferred)_lft [0-9]+sec/\1_lft Nsec/g' /tmp/monitor
