#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# net.ipv6.conf.{all,default,<dev>}.*, net.ipv6.* and net.ipv6.neigh.*, compared with
# mainline: names, default values,
# ranges (bad values refused with EINVAL), and the entries with side effects:
# forwarding (all -> default and every device), disable_ipv6 (addresses go and come
# back), mtu (1280 up to the device's MTU), stable_secret (unset reads fail), and the
# directory following a renamed device; the settings as link dumps carry them
# (IFLA_INET6_CONF).
. "$(dirname "$0")/../lib.sh"

ip link add d6a type dummy
ip link set d6a up
for _ in $(seq 20); do
	ip -6 addr show dev d6a | grep -q 'scope link' && break
	sleep 0.2
done

for c in all default lo d6a; do
	echo "== net.ipv6.conf.$c"
	sysctl -a 2>/dev/null | grep "^net\.ipv6\.conf\.$c\." | grep -v '\.mtu = ' || true
done
echo "== net.ipv6 (namespace-wide; xfrm6_* comes with IPsec)"
sysctl -a 2>/dev/null | grep '^net\.ipv6\.' | grep -v '^net\.ipv6\.\(conf\|neigh\|route\)\.' |
	grep -v '^net\.ipv6\.xfrm6_'
echo "== net.ipv6.route"
sysctl -a 2>/dev/null | grep '^net\.ipv6\.route\.'
show sysctl net.ipv6.route.flush
show sysctl -w net.ipv6.route.flush=1
show sysctl -w net.ipv6.route.gc_min_interval_ms=250
show sysctl net.ipv6.route.gc_min_interval
show sysctl -w net.ipv6.route.skip_notify_on_dev_down=2
show sysctl -w net.ipv6.route.mtu_expires=300
show sysctl net.ipv6.route.mtu_expires
echo "== net.ipv6.neigh"
sysctl -a 2>/dev/null | grep '^net\.ipv6\.neigh\.\(default\|lo\|d6a\)\.'
show sysctl -w net.ipv6.ip6frag_low_thresh=999999999
show sysctl -w net.ipv6.auto_flowlabels=4
show sysctl -w net.ipv6.icmp.ratemask=0-1,3-127,130
sysctl net.ipv6.icmp.ratemask
echo "== mtu values (lo's depends on nothing but the device)"
sysctl net.ipv6.conf.d6a.mtu net.ipv6.conf.default.mtu net.ipv6.conf.all.mtu
echo "== stable_secret (selects addr_gen_mode 2, stable privacy)"
ip link add d6s type dummy
show sysctl net.ipv6.conf.d6s.stable_secret
show sysctl -w net.ipv6.conf.d6s.stable_secret=2001:db8::1234
show sysctl net.ipv6.conf.d6s.stable_secret net.ipv6.conf.d6s.addr_gen_mode
show sysctl -w net.ipv6.conf.d6s.stable_secret=bogus
ip link del d6s

echo "== ranges"
for kv in hop_limit=0 hop_limit=256 hop_limit=255 hop_limit=64 mtu=1279 mtu=1501 mtu=1400 \
	ndisc_tclass=256 addr_gen_mode=4 accept_untracked_na=3 accept_untracked_na=2 \
	ioam6_enabled=2 router_solicitations=-2 router_solicitations=-1 ra_defrtr_metric=0; do
	show sysctl -w "net.ipv6.conf.d6a.$kv"
done
show sysctl -w net.ipv6.conf.all.mtu=65535

echo "== forwarding: all sets default and every device"
sysctl -w net.ipv6.conf.all.forwarding=1 >/dev/null
sysctl net.ipv6.conf.all.forwarding net.ipv6.conf.default.forwarding \
	net.ipv6.conf.lo.forwarding net.ipv6.conf.d6a.forwarding
sysctl -w net.ipv6.conf.d6a.forwarding=0 >/dev/null
sysctl net.ipv6.conf.all.forwarding net.ipv6.conf.d6a.forwarding
sysctl -w net.ipv6.conf.all.forwarding=0 >/dev/null
sysctl net.ipv6.conf.default.forwarding net.ipv6.conf.lo.forwarding

echo "== disable_ipv6 on a device"
ip -6 addr add 2001:db8:9::1/64 dev d6a nodad
sysctl -w net.ipv6.conf.d6a.disable_ipv6=1 >/dev/null
ip -6 addr show dev d6a | sed -n 's/^ *\(inet6 [^ ]*\).*/\1/p'
echo "(none left)"
sysctl -w net.ipv6.conf.d6a.disable_ipv6=0 >/dev/null
for _ in $(seq 20); do
	ip -6 addr show dev d6a | grep -q 'scope link' && break
	sleep 0.2
done
# The link-local address follows the random MAC of the dummy device.
ip -6 addr show dev d6a | sed -n 's/^ *\(inet6 [^ ]*\).*/\1/p' | sed 's/fe80::[0-9a-f:]*/fe80::IID/'

echo "== the settings in link dumps (IFLA_INET6_CONF), after some were changed"
sysctl -qw net.ipv6.conf.d6a.accept_ra_mtu=0 net.ipv6.conf.d6a.ndisc_notify=1 \
	net.ipv6.conf.d6a.router_solicitation_delay=3 net.ipv6.conf.d6a.use_oif_addrs_only=1
python3 "$IPV6RS_ROOT/tests/tools/inet6conf.py" d6a
echo "== the AF_INET6 part of every link message (IFLA_AF_SPEC), as ip -d link shows it"
for d in lo d6a; do
	ip -d link show dev "$d" | grep -o 'addrgenmode [a-z0-9_]*'
done

echo "== default applies to new devices"
sysctl -w net.ipv6.conf.default.hop_limit=33 >/dev/null
ip link add d6b type dummy
sysctl net.ipv6.conf.d6b.hop_limit net.ipv6.conf.d6a.hop_limit

echo "== renamed device"
ip link set d6b name d6c
ls /proc/sys/net/ipv6/conf/
ls /proc/net/dev_snmp6/
ip link del d6c
ls /proc/sys/net/ipv6/conf/
