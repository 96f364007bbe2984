#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# ip addrlabel (RTM_*ADDRLABEL) as mainline answers it: the default RFC 6724 table in its
# order, add/replace/del with a device or for any, the errors (existing entry, missing
# one, label 0xffffffff, a mapped prefix longer than 96 bits, an unknown device, raw
# requests without attributes), flush, a namespace of its own, and what labels do to
# source address selection (RFC 6724 rule 6, the outgoing interface's addresses only
# for multicast and with use_oif_addrs_only, seen through ip -6 route get).
. "$(dirname "$0")/../lib.sh"

# A namespace of our own: the VM's first one has a dummy0 already.
ip netns add t
ip -n t link add dummy0 type dummy
ip -n t link set dummy0 up
ip -n t link set lo up
show ip -n t addrlabel list
show ip -n t addrlabel add prefix 2001:db8:1::/48 label 100
show ip -n t addrlabel add prefix 2001:db8:1::/48 label 101
show ip -n t addrlabel add prefix 2001:db8:1::/48 dev dummy0 label 102
show ip -n t addrlabel add prefix 2001:db8:1::/48 dev nosuchdev label 103
show ip -n t addrlabel add prefix ::ffff:0:0/100 label 104
show ip -n t addrlabel add prefix 2001:db8:2::5/64 label 105
show ip -n t addrlabel list
show ip -n t addrlabel del prefix 2001:db8:1::/48 label 100
show ip -n t addrlabel del prefix 2001:db8:1::/48 label 100
show ip -n t addrlabel del prefix 2001:db8:2::/64 dev dummy0 label 105
show ip -n t addrlabel list
show ip -n t addrlabel flush
show ip -n t addrlabel list
# A namespace gets the default table.
ip netns add other
show ip -n other addrlabel list

# Rule 6: with two global addresses, rule 8 (longest match) picks 2001:db8:1::1 for
# 2001:db8:1::/64 destinations, unless labels tie the destination to the other.
ip -n other link set lo up
ip -n other link add d0 type dummy
ip -n other link set d0 up
ip -n other -6 addr add 2001:db8:1::1/64 dev d0 nodad
ip -n other -6 addr add 2001:db8:3::1/64 dev d0 nodad
show ip -n other -6 route get 2001:db8:1::99
show ip -n other addrlabel add prefix 2001:db8:1::99/128 label 200
show ip -n other addrlabel add prefix 2001:db8:3::/64 label 200
show ip -n other -6 route get 2001:db8:1::99
show ip -n other -6 route get 2001:db8:1::98

# Candidates of the outgoing interface only (mainline ipv6_dev_get_saddr()): for
# multicast destinations, and where the device has use_oif_addrs_only; else rule 2
# takes a global address of another device over d2's link-local one.
ip -n other link add d2 type dummy
ip netns exec other sysctl -qw net.ipv6.conf.d2.addr_gen_mode=1
ip -n other link set d2 up
ip -n other -6 addr add fe80::2/64 dev d2 nodad
ip -n other -6 route add 2001:db8:77::/64 dev d2
show ip -n other -6 route get ff0e::9 oif d2
show ip -n other -6 route get 2001:db8:77::1
ip netns exec other sysctl -qw net.ipv6.conf.d2.use_oif_addrs_only=1
show ip -n other -6 route get 2001:db8:77::1
