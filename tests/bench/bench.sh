#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of `make bench` (scripts/bench): measures the loaded IPv6 stack and
# prints one "RESULT <name> <value>" line per measurement. Runs on either stack.
#
#   bench.sh LOOKUPBENCH [ROUTES [PROBE]]
#
# LOOKUPBENCH is tests/tools/lookupbench.c built on the host; ROUTES (default 1000000)
# is the size of the large table. PROBE, if given, is tests/kmod/ip6_route_probe.ko
# built for the kernel that runs: the in-kernel lookups (klookup_*) go through it.
. "$(dirname "$0")/../lib.sh"

lookupbench=$1
big=${2:-1000000}
secs=${IPV6RS_BENCH_SECONDS:-3}

result() { echo "RESULT $1 $2"; }

# routes FROM TO: ip -batch lines adding fd00:H:L::/48 (i = H << 16 | L) as unreachable
# routes, for FROM <= i < TO; lookupbench sends into them.
routes() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		for (i = a; i < b; i++)
			printf "route add unreachable fd00:%x:%x::/48\n", int(i / 65536), i % 65536
	}'
}

# lookup NS N: ns per route lookup (one sendto) in NS, destinations spread over N routes.
lookup() {
	local out
	out=$(ip netns exec "$1" "$lookupbench" "$2" "$secs")
	set -- $out
	# Every call must have failed with EHOSTUNREACH (113): the unreachable routes answered.
	[ "$3" = 113 ] || fail "lookupbench: first error $3, not EHOSTUNREACH"
	echo "$1"
}

# used: kernel memory for objects, in bytes: slab, vmalloc and per-CPU areas, where
# both stacks keep their routes. (MemFree falls by more than that while ip -batch runs,
# on both stacks alike, and not back: pages the allocator holds, not routes.)
used() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^(Slab|VmallocUsed|Percpu):/ { n += $2 } END { print n * 1024 }' /proc/meminfo
}

now() { date +%s.%N; }

# kernel_lookup NS R: ns per route lookup as the kernel's other modules make one
# (ip6_route_output_flags() and dst_release(), no system call) in NS, destinations
# spread at random over its first R routes; nothing without the probe module.
klookups=300000
probe=${3:-}
if [ -n "$probe" ]; then
	insmod "$probe" || fail "insmod $probe"
	mkdir -p /tmp/debugfs
	mount -t debugfs none /tmp/debugfs || fail "mount debugfs"
fi
kernel_lookup() {
	[ -n "$probe" ] || return 0
	local cmd=/tmp/debugfs/ip6_route_probe/cmd
	result "klookup_ns_$3" "$(ip netns exec "$1" sh -c "echo spread $2 $klookups > $cmd && cat $cmd" | awk '{ print $1 }')"
}

# --- forwarding: pktgen (init namespace, pg0) -> router r (pr0 -> pr1) -> sink s (sk1).
# The sink's MAC is not the one r resolves fd11::2 to, so it drops each frame at once
# (PACKET_OTHERHOST); its device counts them all.
modprobe pktgen
netns_add r s
ip link add pg0 type veth peer name pr0 netns r
ip link add pr1 netns r type veth peer name sk1 netns s
ip link set pg0 up
ip -n r link set pr0 up
ip -n r link set pr1 up
ip -n s link set sk1 up
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n r -6 addr add fd10::1/64 dev pr0 nodad
ip -n r -6 addr add fd11::1/64 dev pr1 nodad
ip -n r -6 neigh add fd11::2 lladdr 02:00:00:00:00:99 dev pr1 nud permanent
pr0_mac=$(ip -n r link show pr0 | awk '/link\/ether/ { print $2 }')

pg() { echo "$2" >"/proc/net/pktgen/$1"; }
# pktgen_pps MAC NS DEV: pktgen sends 96-byte UDP packets fd10::2 -> fd11::2 out of pg0
# to MAC; prints the packets per second device DEV of namespace NS receives, over 10 s
# after 2 s of warm-up.
pktgen_pps() {
	local rx0 rx1 t0 t1 c pktgen
	pg kpktgend_0 rem_device_all
	pg kpktgend_0 "add_device pg0"
	for c in "count 0" "clone_skb 0" "pkt_size 96" "delay 0" "dst6 fd11::2" "src6 fd10::2" \
		"dst_mac $1" "udp_src_min 9" "udp_src_max 9" "udp_dst_min 9" "udp_dst_max 9"; do
		pg pg0 "$c"
	done
	rx() { ip netns exec "$2" awk -v d="$3:" '$1 == d { print $3 }' /proc/net/dev; }
	echo start >/proc/net/pktgen/pgctrl &
	pktgen=$!
	sleep 2
	rx0=$(rx "$@") t0=$(now)
	sleep 10
	rx1=$(rx "$@") t1=$(now)
	echo stop >/proc/net/pktgen/pgctrl
	wait "$pktgen" || true
	[ "$rx1" -gt "$rx0" ] || fail "nothing reached $3 in $2"
	echo "($rx1 - $rx0) / ($t1 - $t0)" | bc
}
result fwd_pps "$(pktgen_pps "$pr0_mac" s sk1)"
ip netns del r
ip netns del s

# --- tunnels: pktgen -> router ta (pr0 -> tunnel tn) -> over veth -> tb, whose tunnel
# device counts what it decapsulates (tb does not forward: it drops them after).
modprobe ip6_tunnel
modprobe sit
tunnel_pps() { # KIND: ip6ip6 or sit
	netns_add ta tb
	ip link add pg0 type veth peer name pr0 netns ta
	ip link add tv0 netns ta type veth peer name tv1 netns tb
	ip link set pg0 up
	ip netns exec ta sysctl -qw net.ipv6.conf.all.forwarding=1
	ip -n ta -6 addr add fd10::1/64 dev pr0 nodad
	ip -n ta -6 addr add fd20::1/64 dev tv0 nodad
	ip -n tb -6 addr add fd20::2/64 dev tv1 nodad
	ip -n ta addr add 10.20.0.1/24 dev tv0
	ip -n tb addr add 10.20.0.2/24 dev tv1
	if [ "$1" = sit ]; then
		ip -n ta link add tn type sit local 10.20.0.1 remote 10.20.0.2
		ip -n tb link add tn type sit local 10.20.0.2 remote 10.20.0.1
	else
		ip -n ta link add tn type ip6tnl local fd20::1 remote fd20::2 mode ip6ip6
		ip -n tb link add tn type ip6tnl local fd20::2 remote fd20::1 mode ip6ip6
	fi
	for l in ta/pr0 ta/tv0 tb/tv1 ta/tn tb/tn; do ip -n "${l%/*}" link set "${l#*/}" up; done
	ip -n ta -6 route add fd11::/64 dev tn
	pktgen_pps "$(ip -n ta link show pr0 | awk '/link\/ether/ { print $2 }')" tb tn
	ip netns del ta
	ip netns del tb
}
result tnl_ip6ip6_pps "$(tunnel_pps ip6ip6)"
result tnl_sit_pps "$(tunnel_pps sit)"
rmmod ip6_tunnel sit 2>/dev/null || true

# with_routes NS N: namespace NS with loopback up and the first N routes.
with_routes() {
	netns_add "$1"
	routes 0 "$2" | ip -n "$1" -6 -batch -
}

# --- lookups and rules: 10 routes.
with_routes n1 10
v=$(lookup n1 10)
result lookup_ns_10 "$v"
kernel_lookup n1 10 10
# Rules that never match (their destinations are elsewhere), before the main table's:
# each lookup evaluates all of them.
have=0
for want in 1 100 1000; do
	awk -v a="$have" -v b="$want" 'BEGIN {
		for (i = a; i < b; i++) printf "rule add pref %d to fd01:%x::/32 lookup 100\n", 1000 + i, i
	}' | ip -n n1 -6 -batch -
	have=$want
	v=$(lookup n1 10)
	result "rule_ns_$want" "$v"
done
ip netns del n1

# --- 10k routes.
with_routes n2 10000
v=$(lookup n2 10000)
result lookup_ns_10k "$v"
kernel_lookup n2 10000 10k
ip netns del n2

# --- the large table: insertion rate and memory per route, then lookups.
netns_add n3
m0=$(used)
t0=$(now)
# Without -force, ip stops (and fails) at the first refused line: all were added.
routes 0 "$big" | ip -n n3 -6 -batch -
t1=$(now)
m1=$(used)
result insert_per_s "$(echo "$big / ($t1 - $t0)" | bc)"
result bytes_per_route "$(echo "($m1 - $m0) / $big" | bc)"
v=$(lookup n3 "$big")
result lookup_ns_big "$v"
kernel_lookup n3 "$big" big
ip netns del n3
