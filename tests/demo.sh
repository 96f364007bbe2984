#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What `make run` shows, on ipv6_rs in a fresh test kernel: a little IPv6 network in
# namespaces. Hosts h1 and h2 sit on two links of router r:
#
#   h1 eth0 ---- eth1 r eth2 ---- eth0 h2
#      2001:db8:1::/64    2001:db8:2::/64
#
# r forwards and advertises one prefix on each link (router advertisements sent with
# scapy); the hosts configure link-local and SLAAC addresses and a default route from
# them, then ping and traceroute each other across r. A policy rule and an address
# label change what h1 does, and ipv6_rs unloads with all of it configured and loads
# again.
set -u
step() { printf '\n$ %s\n' "$*"; "$@"; }
note() { printf '\n# %s\n' "$*"; }
on() { local ns=$1; shift; printf '\n%s$ %s\n' "$ns" "$*"; ip netns exec "$ns" "$@"; }

echo "ipv6_rs demo on $(uname -r) ($(nproc) CPUs)"
step sh -c 'grep -E "^(ipv6_rs|ipv6) " /proc/modules'
step sh -c 'dmesg | grep "ipv6_rs:"'

note "three namespaces: hosts h1 and h2, router r between them"
for n in h1 r h2; do
	ip netns add $n
	ip -n $n link set lo up
done
ip link add eth0 netns h1 address 02:00:00:00:01:01 type veth peer name eth1 netns r address 02:00:00:00:01:fe
ip link add eth0 netns h2 address 02:00:00:00:02:01 type veth peer name eth2 netns r address 02:00:00:00:02:fe
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n r -6 addr add 2001:db8:1::1/64 dev eth1
ip -n r -6 addr add 2001:db8:2::1/64 dev eth2
for l in "h1 eth0" "r eth1" "r eth2" "h2 eth0"; do
	set -- $l
	ip -n "$1" link set "$2" up
done
# Link-local addresses, then r's own, pass DAD before r advertises.
for _ in $(seq 60); do
	out=$(for n in h1 r h2; do ip -n $n -6 addr; done)
	grep -q tentative <<<"$out" || break
	sleep 0.5
done

note "r advertises 2001:db8:1::/64 to h1 and 2001:db8:2::/64 to h2"
ip netns exec r /usr/bin/python3 - <<'EOF'
import ipaddress
import logging
logging.getLogger("scapy").setLevel(logging.ERROR)
from scapy.layers.inet6 import (IPv6, ICMPv6ND_RA, ICMPv6NDOptSrcLLAddr,
                                ICMPv6NDOptPrefixInfo)
from scapy.layers.l2 import Ether
from scapy.sendrecv import sendp
for dev, mac, prefix in (("eth1", "02:00:00:00:01:fe", "2001:db8:1::"),
                         ("eth2", "02:00:00:00:02:fe", "2001:db8:2::")):
    b = bytes.fromhex(mac.replace(":", ""))
    iid = bytes([b[0] ^ 2]) + b[1:3] + b"\xff\xfe" + b[3:]
    ll = str(ipaddress.IPv6Address(b"\xfe\x80" + bytes(6) + iid))
    ra = (Ether(src=mac, dst="33:33:00:00:00:01") / IPv6(src=ll, dst="ff02::1", hlim=255) /
          ICMPv6ND_RA(routerlifetime=1800) / ICMPv6NDOptSrcLLAddr(lladdr=mac) /
          ICMPv6NDOptPrefixInfo(prefix=prefix, prefixlen=64, L=1, A=1,
                                validlifetime=86400, preferredlifetime=14400))
    sendp(ra, iface=dev, verbose=False)
    print(f"RA on {dev}: prefix {prefix}/64 from {ll}")
EOF
for _ in $(seq 60); do
	out=$(for n in h1 h2; do ip -n $n -6 addr show scope global; done)
	[ "$(grep -c 'inet6 2001:db8' <<<"$out")" = 2 ] && ! grep -q tentative <<<"$out" && break
	sleep 0.5
done

note "link-local and SLAAC addresses, and the default route, both from the RA"
on h1 ip -6 addr show dev eth0
on h1 ip -6 route
on h2 ip -6 addr show dev eth0
h2=$(ip -n h2 -6 addr show dev eth0 scope global | sed -n 's/.*inet6 \([^/]*\).*/\1/p')

note "h1 pings h2 across r, then traceroute: one hop through r"
on h1 ping -6 -c 3 -i 0.3 "$h2"
on h1 ip -6 neigh show dev eth0
on r ip -6 neigh
on h1 traceroute -6 -n -q 1 -w 2 "$h2"

note "a policy rule: traffic from h1's second address takes table 100, which prohibits 2001:db8:2::/64"
ip -n h1 -6 addr add 2001:db8:1::100/64 dev eth0 nodad
ip -n h1 -6 route add prohibit 2001:db8:2::/64 table 100
on h1 ip -6 rule add from 2001:db8:1::100 table 100 pref 100
on h1 ip -6 rule
on h1 ip -6 route get "$h2" from 2001:db8:1::100
on h1 ping -6 -c 1 -W 2 -I 2001:db8:1::100 "$h2"
on h1 ping -6 -c 1 -W 2 "$h2"

note "an address label: give h2's prefix the label of h1's ULA, and source selection (RFC 6724 rule 6) follows"
ip -n h1 -6 addr add fd00:1::1/64 dev eth0 nodad
on h1 ip -6 route get "$h2"
on h1 ip addrlabel add prefix 2001:db8:2::/64 label 5
on h1 ip addrlabel list
on h1 ip -6 route get "$h2"

note "unload ipv6_rs with all of this configured, then load it again"
step rmmod ipv6_rs
step sh -c 'grep -c "^ipv6_rs " /proc/modules'
on h1 ip -6 addr show dev eth0
step modprobe ipv6_rs
for _ in $(seq 60); do
	ip -n h1 -6 addr show dev eth0 | grep -q 'inet6 fe80.*tentative' || break
	sleep 0.5
done
on h1 ip -6 addr show dev eth0
on h1 ping -6 -c 1 ::1
for n in h1 r h2; do ip netns del $n; done
step sh -c 'dmesg | grep "ipv6_rs:"'
echo
echo "ipv6_rs configured, routed, forwarded and unloaded with all of it in place; mainline's"
echo "ipv6.ko can never be unloaded (it is [permanent])."
