#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# /proc/net files of the IPv6 stack, compared with mainline: the counter names and their
# order in snmp6 and dev_snmp6/<dev> (values depend on background traffic such as MLD,
# so only names, and counters of an idle new namespace), and the dev_snmp6 directory
# following devices and namespaces.
. "$(dirname "$0")/../lib.sh"

names() { awk '{print $1}' "$1" | grep -v 'Type[0-9]*$'; }
echo "== /proc/net/snmp6"
names /proc/net/snmp6
ip link add d6a type dummy
ip link add d6b type dummy
echo "== /proc/net/dev_snmp6"
ls /proc/net/dev_snmp6
echo "== /proc/net/dev_snmp6/d6a"
names /proc/net/dev_snmp6/d6a
grep -c . /proc/net/dev_snmp6/d6a
[ "$(awk '$1 == "ifIndex" {print $2}' /proc/net/dev_snmp6/d6a)" = \
	"$(cat /sys/class/net/d6a/ifindex)" ] || fail "wrong ifIndex"
ip link del d6b
echo "== /proc/net/dev_snmp6 after deleting d6b"
ls /proc/net/dev_snmp6
echo "== namespaces have their own"
ip netns add other
ip netns exec other ls /proc/net/dev_snmp6
ip netns exec other awk '$1 == "Ip6InReceives" || $1 == "Ip6OutRequests"' /proc/net/snmp6
ip netns del other
