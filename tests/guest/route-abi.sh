#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# ABI: `ip -6 route` (show in each table, add with every common option, del, replace,
# change, append, flush, get) and /proc/net/ipv6_route, the routes the kernel adds by
# itself (device up, addresses with and without a prefix route, ::1 on lo) and takes
# away (address deletion, link down, carrier loss), the kernel's errors, raw netlink
# answers iproute2 would not provoke, and what `ip -6 monitor route` reports. Dummy
# devices (IFF_NOARP: DAD completes at once) with fixed MACs, so EUI-64 is stable.
# Output compared with mainline's line for line; only ticking counters are masked.
. "$(dirname "$0")/../lib.sh"


# Route lifetimes count down while the test runs: keep the word, mask the number.
mask() { sed -E 's/expires [0-9]+sec/expires Nsec/g'; }

# /proc/net/ipv6_route: dest plen src plen nexthop metric refcnt use flags dev. The
# refcnt and use columns count references and lookups: masked.
proc_route() {
	echo "\$ cat /proc/net/ipv6_route"
	sed -E 's/^(([^ ]+ ){6})[0-9a-f]{8} [0-9a-f]{8} /\1RRRRRRRR UUUUUUUU /' /proc/net/ipv6_route
}

# settle: DAD (instant on NOARP devices) completes in a workqueue, and only then is an
# address's local route inserted. Wait until no address is tentative and there are as
# many local routes as addresses, so dumps and the monitor see a fixed order. Reads
# /proc with builtins only: a process costs a lot under TCG.
settle() {
	local i addrs locals tentative f
	for ((i = 0; i < 100; i++)); do
		addrs=0 locals=0 tentative=0
		while read -r _ _ _ _ f _; do
			addrs=$((addrs + 1))
			if (((0x$f & 0x40) != 0)); then tentative=1; fi
		done </proc/net/if_inet6
		while read -r _ _ _ _ _ _ _ _ f _; do
			if (((0x$f & 0x80000000) != 0)); then locals=$((locals + 1)); fi
		done </proc/net/ipv6_route
		if [ "$tentative" = 0 ] && [ "$locals" -ge "$addrs" ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "# settle: timed out ($addrs addresses, $locals local routes)"
}

# addr ARGS...: `ip -6 addr ARGS` shown, then settle.
addr() {
	show ip -6 addr "$@"
	settle
}

# wait_for_d1 WORD|-WORD: wait (up to 5 s) until `ip -6 route show dev d1` shows WORD
# (or, with -WORD, no longer does): carrier changes reach IPv6 through linkwatch, up to
# a second later.
wait_for_d1() {
	local i out
	for ((i = 0; i < 50; i++)); do
		out=$(ip -6 route show dev d1)
		case $1 in
		-*) [[ $out == *"${1#-}"* ]] || return 0 ;;
		*) [[ $out != *"$1"* ]] || return 0 ;;
		esac
		sleep 0.1
	done
	echo "# timed out waiting for d1 routes: $1"
}

# probes: one `probe` (tests/lib.sh) per line of standard input.
probes() {
	local line
	while read -r line; do
		[ -n "$line" ] && probe $line
	done
}

ip link add d0 type dummy
ip link set d0 address 52:54:00:12:34:56
ip link add d1 type dummy
ip link set d1 address 52:54:00:00:00:01
ip -6 monitor route >/tmp/monitor 2>&1 &
mon=$!
# Its socket is bound to the multicast groups when it appears: wait for it, and a bit.
for ((i = 0; i < 50; i++)); do
	ls -l "/proc/$mon/fd" 2>/dev/null | grep -q socket && break
	sleep 0.1
done
sleep 1

echo "# before any device is up: ::1 on lo only"
show ip -6 route show
show ip -6 route show table all
proc_route

echo "# d0 up: fe80::/64 in main, its link-local and ff00::/8 in local"
ip link set d0 up
settle
show ip -6 route show
show ip -6 route show table local
show ip -6 route show table all
show ip -6 route show table main dev d0

echo "# addresses and the routes they bring"
addr add 2001:db8:1::10/64 dev d0
addr add 2001:db8:1::11/64 dev d0
addr add 2001:db8:2::1/128 dev d0
addr add 2001:db8:3::1/64 dev d0 noprefixroute
addr add 2001:db8:4::1/64 dev d0 metric 300
addr add 2001:db8:5::1/64 dev d0 valid_lft 3000 preferred_lft 2000
addr add 2001:db8:6::1/64 dev d0 nodad
addr add 2001:db8:ff::1/128 dev lo
show ip -6 route show | mask
show ip -6 route show table local
show ip -6 route show table all | mask
show ip -6 route show table local dev lo
proc_route

echo "# changing an address's metric moves its prefix route"
addr change 2001:db8:4::1/64 dev d0 metric 400
show ip -6 route show 2001:db8:4::/64
addr change 2001:db8:4::1/64 dev d0
show ip -6 route show 2001:db8:4::/64

echo "# ip -6 route add"
show ip -6 route add 2001:db8:100::/64 via 2001:db8:1::1
show ip -6 route add 2001:db8:101::/64 dev d0
show ip -6 route add default via 2001:db8:1::1 dev d0
show ip -6 route add 2001:db8:102::/64 dev d0 metric 1024
show ip -6 route add 2001:db8:103::/64 dev d0 src 2001:db8:1::11
show ip -6 route add 2001:db8:104::/64 via 2001:db8:1::2 dev d0 mtu 1400 hoplimit 10 advmss 1300
show ip -6 route add 2001:db8:105::/64 dev d0 proto static
show ip -6 route add 2001:db8:106::/64 via 2001:db8:1::3 dev d0 pref high
show ip -6 route add 2001:db8:107::/64 dev d0 metric 200
show ip -6 route add 2001:db8:107::/64 dev d0 metric 100
show ip -6 route add 2001:db8:107::/64 via 2001:db8:1::4 dev d0 metric 150
show ip -6 route add unreachable 2001:db8:108::/64
show ip -6 route add blackhole 2001:db8:109::/64
show ip -6 route add prohibit 2001:db8:10a::/64
show ip -6 route add throw 2001:db8:10b::/64
show ip -6 route add 2001:db8:10c::/64 dev d0 table main
show ip -6 route add 2001:db8:10d::/64 dev d0 table 100
show ip -6 route add 2001:db8:10e::/64 via fe80::1 dev d0
show ip -6 route add 2001:db8:10f::/64 via 2001:db8:99::1 dev d0 onlink
show ip -6 route add 2001:db8:110::/64 dev d0 expires 600
show ip -6 route add 2001:db8:111::1 dev d0
show ip -6 route add 2001:db8:112::/64 dev d0 proto 99 metric 7
show ip -6 route show | mask
show ip -6 route show table main 2001:db8:10c::/64
show ip -6 route show table 100
show ip -6 route show table all | mask
show ip -6 route show 2001:db8:107::/64
show ip -6 route show dev d0 proto static
show ip -6 route show type unreachable
show ip -6 route show cache
proc_route

echo "# ip -6 route get"
show ip -6 route get 2001:db8:1::10
show ip -6 route get ::1
show ip -6 route get 2001:db8:ff::1
show ip -6 route get fe80::5054:ff:fe12:3456
show ip -6 route get fe80::1 oif d0
show ip -6 route get fe80::1 dev d0
show ip -6 route get ff02::1 oif d0
show ip -6 route get 2001:db8:1::99
show ip -6 route get 2001:db8:1::99 from 2001:db8:1::11
show ip -6 route get 2001:db8:1::99 from 2001:db8:77::1
show ip -6 route get 2001:db8:dead::1
show ip -6 route get 2001:db8:100::1
show ip -6 route get 2001:db8:103::1
show ip -6 route get 2001:db8:104::1
show ip -6 route get 2001:db8:106::1
show ip -6 route get 2001:db8:107::1
show ip -6 route get 2001:db8:108::1
show ip -6 route get 2001:db8:109::1
show ip -6 route get 2001:db8:10a::1
show ip -6 route get 2001:db8:10d::1
show ip -6 route get fibmatch 2001:db8:100::1
show ip -6 route get fibmatch 2001:db8:1::99

echo "# errors"
show ip -6 route add 2001:db8:101::/64 dev d0
show ip -6 route add default via 2001:db8:1::1 dev d0
show ip -6 route add 2001:db8:1::/64 dev d0 metric 256
show ip -6 route del 2001:db8:999::/64
show ip -6 route del 2001:db8:101::/64 dev d1
show ip -6 route del 2001:db8:101::/64 metric 5
show ip -6 route del 2001:db8:100::/64 via 2001:db8:1::9
show ip -6 route add 2001:db8:200::/64 via 2001:db8:99::1
show ip -6 route add 2001:db8:200::/64 via 2001:db8:99::1 dev d0
show ip -6 route add 2001:db8:200::/64 via fe80::1
show ip -6 route add 2001:db8:200::/64 via 2001:db8:1::10 dev d0
show ip -6 route add 2001:db8:200::/64 via ff02::1 dev d0
show ip -6 route add 2001:db8:200::/64 dev nosuch
show ip -6 route add 2001:db8:200::/64 dev d1
show ip -6 route add 2001:db8:200::/129 dev d0
show ip -6 route add 2001:db8:200::/64 dev d0 src 2001:db8:77::1
show ip -6 route add 2001:db8:200::/64 dev d0 tos 0x10
show ip -6 route add 10.0.0.0/8 dev d0
show ip -6 route show table 200
show ip -6 route del 2001:db8:10d::/64 dev d0 table 200
show ip -6 route change 2001:db8:999::/64 dev d0
show ip -6 route get 2001:db8:1::99 oif d1
show ip -6 route show 2001:db8:200::/64

echo "# ip -6 route del"
show ip -6 route del 2001:db8:107::/64
show ip -6 route show 2001:db8:107::/64
show ip -6 route del 2001:db8:107::/64 metric 200
show ip -6 route show 2001:db8:107::/64
show ip -6 route del 2001:db8:107::/64 dev d0
show ip -6 route show 2001:db8:107::/64
show ip -6 route del 2001:db8:100::/64 via 2001:db8:1::1
show ip -6 route del 2001:db8:10d::/64 table 100
show ip -6 route show table 100
show ip -6 route del unreachable 2001:db8:108::/64
show ip -6 route del 2001:db8:109::/64
show ip -6 route del 2001:db8:10a::/64 dev lo

echo "# replace, change, append"
show ip -6 route replace 2001:db8:101::/64 dev d0 proto static mtu 1300
show ip -6 route replace 2001:db8:120::/64 dev d0
show ip -6 route replace 2001:db8:105::/64 via 2001:db8:1::5 dev d0 metric 1024
show ip -6 route change 2001:db8:102::/64 via 2001:db8:1::5 dev d0
show ip -6 route change 2001:db8:106::/64 dev d0 pref low
# (A second gateway at the same metric makes a multipath route: ECMP is tested with
# the FIB work of issue 4, not here.)
show ip -6 route append 2001:db8:130::/64 via 2001:db8:1::6 dev d0
show ip -6 route append 2001:db8:130::/64 via 2001:db8:1::6 dev d0
show ip -6 route append 2001:db8:130::/64 via 2001:db8:1::7 dev d0 metric 2000
show ip -6 route append 2001:db8:131::/64 dev d0
show ip -6 route append 2001:db8:131::/64 dev d0 metric 5
show ip -6 route show | mask
show ip -6 route del 2001:db8:130::/64 via 2001:db8:1::6
show ip -6 route show 2001:db8:130::/64
proc_route

echo "# the kernel's own answers (rtmsg: family dst_len src_len tos table proto scope type, flags)"
d0=$(cat /sys/class/net/d0/ifindex)
oif="08000400$(printf '%02x000000' "$d0")"
dst() { echo "14000100$1"; }
n800=20010db8080000000000000000000000
n801=20010db8080100000000000000000000
n802=20010db8080200000000000000000000
h199=20010db8000100000000000000000099
gw=20010db8000100000000000000000001
probes <<EOF
RTM_NEWROUTE create+excl+ack 0a400010fe03000100000000$(dst $n800)$oif
RTM_NEWROUTE create+excl+ack 0a810000fe03000100000000$(dst $n800)$oif
RTM_NEWROUTE create+excl+ack 0a810000fe03000100000000$oif
RTM_NEWROUTE create+excl+ack 0a408100fe03000100000000$(dst $n800)$oif
RTM_NEWROUTE create+excl+ack 0a400000fe03000c00000000$(dst $n800)$oif
RTM_NEWROUTE create+excl+ack 0a400000fe03000100020000$(dst $n800)$oif
RTM_NEWROUTE create+excl+ack 0a400000fe030001000000000800010020010db8$oif
RTM_NEWROUTE create+excl+ack 0a40000000030001000000000800040063000000$(dst $n800)
RTM_NEWROUTE create+excl+ack 0a4000000003000100000000$(dst $n801)$oif
RTM_NEWROUTE create+excl+ack 0a4000000003000100000000$(dst $n801)$oif
EOF
show ip -6 route show 2001:db8:801::/64
probes <<EOF
RTM_DELROUTE ack 0a400000fe03000100000000$(dst $n802)$oif
RTM_DELROUTE ack 0a400000c803000100000000$(dst $n801)$oif
RTM_DELROUTE ack 0a4000000000000000000000$(dst $n801)
RTM_DELROUTE ack 0a4000000000000000000000$(dst $n801)
RTM_GETROUTE ack 0a8000000000000000000000$(dst $h199)
RTM_GETROUTE ack 0a4000000000000000000000$(dst $h199)
RTM_GETROUTE ack 0a8000000000000000020000$(dst $h199)
RTM_GETROUTE ack 0a8000000000000000000000$(dst $h199)14000500$gw
RTM_GETROUTE ack 0a0000000000000000000000$(dst $h199)
RTM_GETROUTE ack 0a8000000000000000000000$(dst 20010db8010b00000000000000000001)
RTM_GETROUTE ack 0a8000000000000000000000$(dst 20010db8dddd00000000000000000001)
RTM_GETROUTE dump 0a0000000000000000000000
RTM_GETROUTE dump 0a00000000000000
RTM_GETROUTE dump 0a4000000000000000000000
RTM_GETROUTE dump 0a0000000000000000040000
RTM_GETROUTE dump 0a0000000000000000020000
RTM_GETROUTE dump 0a0000000000000000000000$oif
RTM_GETROUTE dump 0a00000000000000000000000800040063000000
RTM_GETROUTE dump 0a000000ff00000000000000
RTM_GETROUTE dump 0a000000c800000000000000
RTM_GETROUTE dump 0a00000000000000000000000800050000000000
RTM_GETROUTE dump 0a000000000000000000000008000f00ff000000
RTM_GETROUTE dump 0a0000000004000000000000
--no-strict RTM_GETROUTE dump 0a
--no-strict RTM_GETROUTE dump 0a4000000000000000000000
EOF

echo "# deleting addresses takes their local routes, and the prefix route with the last one"
addr del 2001:db8:1::11/64 dev d0
show ip -6 route show 2001:db8:1::/64
show ip -6 route show table local 2001:db8:1::11
addr del 2001:db8:4::1/64 dev d0
addr del 2001:db8:2::1/128 dev d0
addr del 2001:db8:3::1/64 dev d0
addr del 2001:db8:ff::1/128 dev lo
show ip -6 route show table all | mask
show ip -6 route get 2001:db8:103::1

echo "# no route at all"
show ip -6 route del default via 2001:db8:1::1 dev d0
show ip -6 route get 2001:db8:dead::1
show ip -6 route get 2001:db8:dead::1 oif d0

echo "# carrier loss marks routes linkdown, carrier back clears it"
ip link set d1 up
settle
addr add 2001:db8:40::1/64 dev d1
show ip -6 route add 2001:db8:41::/64 via 2001:db8:40::2 dev d1
ip link set d1 carrier off
wait_for_d1 linkdown
show ip -6 route show table all dev d1
show ip -6 route get 2001:db8:41::1
ip link set d1 carrier on
wait_for_d1 -linkdown
settle
show ip -6 route show table all dev d1

echo "# ip -6 route flush dev d1 (main table only)"
show ip -6 route flush dev d1
show ip -6 route show table all dev d1

echo "# link down removes every route through the device, up brings back its own"
ip link set d0 down
show ip -6 route show table all | mask
proc_route
ip link set d0 up
settle
show ip -6 route show table all | mask
proc_route

echo "# ip -6 monitor route saw"
sleep 1
kill "$mon"
wait "$mon" 2>/dev/null || true
mask </tmp/monitor
