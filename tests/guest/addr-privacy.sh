#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Address generation modes and privacy addresses (mainline's addrconf.c):
# 1. stable_secret (RFC 7217): writing it selects addr_gen_mode 2; the link-local
#    address is then ipv6_generate_stable_address()'s, printed in full (fixed secret and
#    MAC: the same on both stacks bit for bit); `all` has no secret (EIO);
# 2. addr_gen_mode per device before the link comes up: 0 EUI-64, 1 none, 3 random
#    (a random secret: the identifier is masked);
# 3. an RA (scapy, in b) with an autonomous /64 and use_tempaddr=2: a stable privacy
#    SLAAC address (in full) and a temporary address (RFC 8981: random identifier
#    masked, lifetimes checked against temp_valid_lft/temp_prefered_lft);
# 4. source selection, rule 7: use_tempaddr 2 prefers the temporary address, 1 the
#    public one;
# 5. `mngtmpaddr` on a manual address makes a temporary address; deleting the public
#    address deletes it;
# 6. regeneration before the preferred lifetime ends (temp_prefered_lft 12 s,
#    max_desync_factor 0, regen_advance 5 s): a second temporary address by ~7 s, the
#    first deprecated at 12 s and a third at ~14 s.
. "$(dirname "$0")/../lib.sh"

mac_a=52:54:00:00:0a:01 mac_b=52:54:00:00:0b:01
secret=2001:db8:1:2:3:4:5:6

# mask: temporary addresses and random-mode link-local addresses keep their prefix,
# their identifier becomes <random>; lifetimes are masked (checked separately).
mask() {
	python3 -c '
import ipaddress, re, sys
for line in sys.stdin:
    m = re.search(r"inet6 ([0-9a-f:]+)/(\d+)", line)
    if m and ("temporary" in line or "RANDOM" in sys.argv[1:]):
        net = ipaddress.IPv6Network(m.group(1) + "/64", strict=False)
        line = line.replace(m.group(0), "inet6 %s<random>/%s" % (net.network_address, m.group(2)))
    line = re.sub(r"(valid_lft|preferred_lft) \d+sec", r"\1 Nsec", line)
    print(line.rstrip())
' "$@"
}

# addrs NS DEV [RANDOM]: DEV's IPv6 addresses, one a line, masked.
addrs() {
	ip -n "$1" -6 -o addr show dev "$2" | sed -E 's/^[0-9]+: +//; s/\\ +/ /g' | mask "${@:3}"
}

# lifetimes NS DEV: each temporary address's lifetimes against the bounds.
lifetimes() {
	ip -n "$1" -6 -o addr show dev "$2" | awk -v vmax="$3" -v pmax="$4" '/temporary/ {
		for (i = 1; i <= NF; i++) {
			if ($i == "valid_lft") v = $(i + 1) + 0
			if ($i == "preferred_lft") p = $(i + 1) + 0
		}
		printf "temporary: valid <= %d %s, preferred <= %d %s, preferred <= valid %s\n",
			vmax, (v <= vmax ? "yes" : "NO"), pmax, (p <= pmax ? "yes" : "NO"),
			(p <= v ? "yes" : "NO")
	}'
}

# count NS DEV PATTERN: how many of DEV's address lines match PATTERN (grep -E).
count() {
	ip -n "$1" -6 -o addr show dev "$2" | grep -cE "$3" || true
}

# srcsel NS DST: whether the source for DST is temporary or public.
srcsel() {
	local src
	src=$(ip -n "$1" -6 route get "$2" | sed -n 's/.* src \([^ ]*\).*/\1/p')
	if ip -n "$1" -6 -o addr | grep "inet6 $src/" | grep -q temporary; then
		echo "source for $2: temporary"
	else
		echo "source for $2: public $src"
	fi
}

netns_add a b
ip link add va netns a address $mac_a type veth peer name vb netns b address $mac_b
ip netns exec b sysctl -qw net.ipv6.conf.vb.accept_ra=0

echo "== 1. stable_secret"
ip netns exec a sysctl net.ipv6.conf.va.addr_gen_mode
ip netns exec a sysctl -w net.ipv6.conf.va.stable_secret=$secret
ip netns exec a sysctl net.ipv6.conf.va.addr_gen_mode net.ipv6.conf.va.stable_secret
ip netns exec a sysctl net.ipv6.conf.all.stable_secret 2>&1 | sed 's/^sysctl: //' || true
ip netns exec a sysctl -w net.ipv6.conf.all.stable_secret=$secret 2>&1 | sed 's/^sysctl: //' || true
ip netns exec a sysctl net.ipv6.conf.default.stable_secret 2>&1 | sed 's/^sysctl: //' || true
ip -n a link set va up
ip -n b link set vb up
wait_dad a b
addrs a va
ip -n a -d link show va | grep -o 'addrgenmode [a-z_]*'

echo "== 2. addr_gen_mode"
for mode in 0 1 3; do
	ip link add m$mode netns a address 52:54:00:00:0e:0$mode type veth \
		peer name n$mode netns b address 52:54:00:00:0f:0$mode
	ip netns exec a sysctl -qw net.ipv6.conf.m$mode.addr_gen_mode=$mode
	ip netns exec b sysctl -qw net.ipv6.conf.n$mode.accept_ra=0
	ip -n b link set n$mode up
	ip -n a link set m$mode up
done
ip netns exec a sysctl -w net.ipv6.conf.m0.addr_gen_mode=4 2>&1 | sed 's/^sysctl: //' || true
wait_dad a
for mode in 0 1 3; do
	echo "addr_gen_mode $mode:"
	addrs a m$mode RANDOM
	ip -n a -d link show m$mode | grep -o 'addrgenmode [a-z_]*'
done

echo "== 3. SLAAC with use_tempaddr=2"
# max_desync_factor 0: with its default (600, capped at 297 here) the device's random
# desync factor could leave a temporary address a few seconds of preferred lifetime,
# so that it was regenerated before section 5 counted the temporary addresses: on
# either stack, at random (seen once on mainline in a full run).
ip netns exec a sysctl -qw net.ipv6.conf.va.use_tempaddr=2 \
	net.ipv6.conf.va.temp_valid_lft=600 net.ipv6.conf.va.temp_prefered_lft=300 \
	net.ipv6.conf.va.max_desync_factor=0
ip netns exec b python3 - <<'EOF'
from scapy.layers.inet6 import (IPv6, ICMPv6ND_RA, ICMPv6NDOptPrefixInfo,
                                ICMPv6NDOptSrcLLAddr)
from scapy.layers.l2 import Ether
from scapy.sendrecv import sendp
from scapy.config import conf
conf.verb = 0
with open("/proc/net/if_inet6") as f:
    ll = next(l.split()[0] for l in f if l.split()[5] == "vb" and l.split()[3] == "20")
ll = ":".join(ll[i:i + 4] for i in range(0, 32, 4))
p = (Ether(src="52:54:00:00:0b:01", dst="33:33:00:00:00:01")
     / IPv6(src=ll, dst="ff02::1", hlim=255) / ICMPv6ND_RA(routerlifetime=0)
     / ICMPv6NDOptSrcLLAddr(lladdr="52:54:00:00:0b:01")
     / ICMPv6NDOptPrefixInfo(prefix="2001:db8:aa::", prefixlen=64, L=1, A=1,
                             validlifetime=3600, preferredlifetime=1800))
sendp(p, iface="vb")
EOF
for _ in $(seq 40); do
	[ "$(count a va 'temporary')" -ge 1 ] && break
	sleep 0.5
done
wait_dad a
addrs a va
lifetimes a va 600 300

echo "== 4. source selection (rule 7)"
ip -n a -6 route add 2001:db8:bb::/64 dev va
srcsel a 2001:db8:bb::1
ip netns exec a sysctl -qw net.ipv6.conf.va.use_tempaddr=1
srcsel a 2001:db8:bb::1
ip netns exec a sysctl -qw net.ipv6.conf.va.use_tempaddr=2
srcsel a 2001:db8:bb::1

echo "== 5. mngtmpaddr on a manual address"
ip -n a addr add 2001:db8:cc::1/64 dev va mngtmpaddr valid_lft 1000 preferred_lft 500
wait_dad a
addrs a va | grep 2001:db8:cc
lifetimes a va 600 300
ip -n a addr del 2001:db8:cc::1/64 dev va
echo "after deleting the public address: $(count a va '2001:db8:cc:') addresses in 2001:db8:cc::/64"
ip -n a addr add 2001:db8:cc::1/64 dev va valid_lft 1000 preferred_lft 500
wait_dad a
echo "without mngtmpaddr: $(count a va '2001:db8:cc:.*temporary') temporary in 2001:db8:cc::/64"

echo "== 6. regeneration"
ip netns exec a sysctl -qw net.ipv6.conf.va.temp_prefered_lft=12 \
	net.ipv6.conf.va.temp_valid_lft=20 net.ipv6.conf.va.max_desync_factor=0
t0=$(date +%s.%N)
ip -n a addr add 2001:db8:dd::1/64 dev va mngtmpaddr valid_lft 100 preferred_lft 100
# at T: sleep until T seconds after t0.
at() {
	sleep "$(awk -v t0="$t0" -v t="$1" -v now="$(date +%s.%N)" \
		'BEGIN { d = t0 + t - now; print (d > 0 ? d : 0) }')"
}
at 10
echo "at 10 s: $(count a va '2001:db8:dd:.*temporary') temporary, $(count a va '2001:db8:dd:.*temporary.*deprecated') deprecated"
at 16.5
# One snapshot for the counts and the listing: the second temporary address is
# deprecated soon after, and a later look could see it on the slower stack.
snap=$(addrs a va | grep 2001:db8:dd)
echo "at 16.5 s: $(grep -c temporary <<<"$snap") temporary, $(grep -c 'temporary.*deprecated' <<<"$snap") deprecated"
echo "$snap"
ip -n a addr del 2001:db8:dd::1/64 dev va
echo "after deleting the public address: $(count a va '2001:db8:dd:') addresses in 2001:db8:dd::/64"

echo "== 7. the SLAAC public address goes with the link: its temporary address too"
ip -n a link set va down
echo "after down: $(count a va 'inet6') addresses"
