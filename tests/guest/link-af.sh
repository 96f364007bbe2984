#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Link requests with an AF_INET6 part (IFLA_AF_SPEC, mainline inet6_validate_link_af()
# and inet6_set_link_af()): `ip link set DEV addrgenmode MODE` (stable privacy only
# with a secret), `ip token set/get/list` and its refusals (loopback, no neighbour
# discovery, router advertisements or solicitations off), and a request without
# either attribute.
. "$(dirname "$0")/../lib.sh"

ip link add d0 type dummy
ip link set d0 up
ip link add v0 address 52:54:00:00:0d:01 type veth peer name v1 address 52:54:00:00:0d:02
ip link set v0 up
ip link set v1 up
mode() { ip -d link show "$1" | grep -o "addrgenmode [a-z_0-9]*"; }

echo "== addrgenmode"
for m in none random eui64 stable_secret; do
	show ip link set v0 addrgenmode "$m"
	mode v0
done
sysctl -qw net.ipv6.conf.v0.stable_secret=2001:db8::1234:5678
show ip link set v0 addrgenmode stable_secret
mode v0
show ip link set v0 addrgenmode eui64
mode v0

echo "== token"
show ip token set ::1:2:3:4/64 dev v0
ip token get dev v0
ip token list | grep -E " (v0|v1)$"
show ip token set ::1:2:3:4/64 dev lo
show ip token set ::1:2:3:4/64 dev d0
sysctl -qw net.ipv6.conf.v1.accept_ra=0
show ip token set ::5/64 dev v1
sysctl -qw net.ipv6.conf.v1.accept_ra=1
sysctl -qw net.ipv6.conf.v1.router_solicitations=0
show ip token set ::5/64 dev v1
show ip token del dev v0
ip token get dev v0
