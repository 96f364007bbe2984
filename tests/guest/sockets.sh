#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: rust mainline
# compare: stdout
#
# The AF_INET6 socket API, call by call (tests/tools/sockprobe.py): which socket types
# and protocols exist, raw ICMPv6 socket options (IPV6_CHECKSUM, ICMP6_FILTER, hop
# limits, IPV6_RECV*), bind/connect/getsockname/getpeername and their errors, echo to
# ourselves with ancillary data, UDP send/receive with truncation, port unreachable as
# ECONNREFUSED and on the IPV6_RECVERR queue, and ICMPv6 ping sockets with their
# errors, IPV6_DONTFRAG as option and ancillary data on UDP, ping and raw sockets, and
# the traffic class (option or ancillary data) as policy rules see it, IPV6_PKTINFO as
# a sticky option on UDP and ping sockets, binding addresses that are not ours
# (IPV6_FREEBIND, IPV6_TRANSPARENT, ip_nonlocal_bind), and UDP with a
# socket in another namespace across a veth (the sender's buffer space comes back once
# the packet is received): the same results and errno values as mainline.
. "$(dirname "$0")/../lib.sh"

ip netns add s
ip -n s link set lo up
ip -n s link add v0 type veth peer name v1
ip -n s link set v0 up
ip -n s link set v1 up
ip -n s -6 addr add 2001:db8:7::1/64 dev v0 nodad
# Packets with traffic class 0x10 are prohibited: policy rules see a socket's class.
ip -n s -6 rule add tos 0x10 lookup 300
ip -n s -6 route add prohibit default table 300
# A second namespace across a veth, for UDP between namespaces.
ip netns add c
ip -n s link add x0 type veth peer name x1 netns c
ip -n s link set x0 up
ip -n c link set x1 up
ip -n s -6 addr add 2001:db8:8::1/64 dev x0 nodad
ip -n c -6 addr add 2001:db8:8::2/64 dev x1 nodad
ip netns exec s /usr/bin/python3 "$IPV6RS_ROOT/tests/tools/sockprobe.py"
