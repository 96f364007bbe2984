#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What `make run` shows: ipv6_rs loaded in a fresh test kernel in place of ipv6.ko.
set -u
step() { printf '\n$ %s\n' "$*"; "$@"; }

echo "ipv6_rs demo on $(uname -r) ($(nproc) CPUs)"
step sh -c 'grep -E "^(ipv6_rs|ipv6) " /proc/modules'
step modinfo -F alias ipv6_rs
step sh -c 'dmesg | grep "ipv6_rs:"'
step ip netns add demo
step ip netns del demo
step rmmod ipv6_rs
step sh -c 'grep -c "^ipv6_rs " /proc/modules'
step modprobe ipv6_rs
step sh -c 'dmesg | grep "ipv6_rs:"'
echo
echo "ipv6_rs is loaded and unloads cleanly; mainline ipv6.ko never can (it is [permanent])."
