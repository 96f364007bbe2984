#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Redirects a host accepts (RFC 4861 §8.3, mainline ndisc_redirect_rcv() and
# rt6_do_redirect()). Host a reaches everything through router r (its address is
# /128-only, its default route r's link-local address), so r redirects it:
# - to 2001:db8:a::4 (on the link, r knows its link-layer address): a's route to it
#   becomes an on-link route exception, its neighbour entry learns the address, and
#   the next packet no longer goes through r;
# - to 2001:db8:ff::1, routed by r through fe80::99: an exception through fe80::99,
#   which becomes a router in a's neighbour table.
# Then r's raw socket sends redirects of its own making: without a redirected header;
# for a destination a routes through fe80::77 (mainline, and so ipv6_rs, takes it:
# a's default route goes through r); from a global address; with a hop
# limit below 255; with a target that is neither link-local nor the destination; for
# a multicast destination; while a does not accept them or forwards. Each shows as
# a's route exceptions (`ip -6 route show cache`, `get`) and neighbours.
. "$(dirname "$0")/../lib.sh"

netns_add a r b
ip link add va netns a address 52:54:00:00:0a:01 type veth peer name vra netns r address 52:54:00:00:0e:01
ip link add vr1 netns r address 52:54:00:00:0e:02 type veth peer name vb netns b address 52:54:00:00:0b:01
for l in "a va" "r vra" "r vr1" "b vb"; do
	set -- $l
	ip -n "$1" link set "$2" up
done
ip -n a -6 addr add 2001:db8:a::1/128 dev va nodad
ip -n r -6 addr add 2001:db8:a::fe/64 dev vra nodad
ip -n r -6 addr add 2001:db8:1::fe/64 dev vr1 nodad
ip -n b -6 addr add 2001:db8:1::b/64 dev vb nodad
wait_dad a r b
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
# The entries a redirect teaches stay in DELAY while the test looks at them, however
# slow the machine: ::4 does not exist, and its probes would fail it (and drop the
# address it learnt) some 8 s after the next packet to it.
ip netns exec a sysctl -qw net.ipv6.neigh.va.delay_first_probe_time=300
ip -n a -6 route add default via fe80::5054:ff:fe00:e01 dev va
ip -n a -6 route add 2001:db8:fc::/64 via fe80::77 dev va
ip -n b -6 route add default via 2001:db8:1::fe dev vb
ip -n r -6 neigh add 2001:db8:a::4 lladdr 52:54:00:00:0a:04 dev vra nud permanent
ip -n r -6 neigh add fe80::99 lladdr 52:54:00:00:0a:99 dev vra nud permanent
ip -n r -6 route add 2001:db8:ff::/64 via fe80::99 dev vra
ip netns exec a ping -q -c1 -W5 fe80::5054:ff:fe00:e01%va >/dev/null

snmp() { ip netns exec "$1" awk -v k="$2" '$1 == k { print $2 }' /proc/net/snmp6; }
# Exceptions are listed in the order of their hash buckets, which mainline keys at
# random: sorted. A neighbour's state moves on with time (DELAY, then PROBE): what the
# redirect taught (address, router flag) is shown.
show() {
	echo "a's route exceptions:"
	ip -n a -6 route show cache | sed -E 's/^/  /' | sort
	echo "a's neighbours:"
	ip -n a -6 neigh show dev va | { grep -v fe80::5054:ff:fe00:e01 || true; } |
		sed -E 's/ (REACHABLE|STALE|DELAY|PROBE|INCOMPLETE|FAILED) *$//; s/^/  /' | sort
}
route_get() {
	echo "\$ ip -6 route get $1"
	ip -n a -6 route get "$1" 2>&1 | sed 's/^/  /'
}

echo "# redirects r sends"
ip netns exec a ping -q -c1 -W1 2001:db8:a::4 >/dev/null 2>&1 || true
sleep 0.5
route_get 2001:db8:a::4
before=$(snmp r Ip6OutForwDatagrams)
ip netns exec a ping -q -c1 -W1 2001:db8:a::4 >/dev/null 2>&1 || true
echo "the next ping goes through r: $([ "$(snmp r Ip6OutForwDatagrams)" -gt "$before" ] && echo yes || echo no)"
ip netns exec a ping -q -c1 -W1 2001:db8:ff::1 >/dev/null 2>&1 || true
sleep 0.5
route_get 2001:db8:ff::1
show
echo "a Icmp6InRedirects $(snmp a Icmp6InRedirects)"
ip -n a -6 route flush cache
ip -n a -6 neigh flush dev va

# send NAME TARGET DEST [HLIM] [SRC] [HEADER]: a redirect from r's raw socket to a;
# HEADER yes quotes an echo request from a to DEST in a redirected header option, no
# sends none; truncated, zero-option, short-quote and option-past-end break it.
# One Python in r sends them all (a Python start costs a second in the guest): it
# reads one redirect's arguments per line and answers "sent" once it has gone.
coproc SENDER {
	exec ip netns exec r python3 -c '
import socket, struct, sys
def send(target, dest, hlim, src, header):
    pton = lambda a: socket.inet_pton(socket.AF_INET6, a)
    msg = struct.pack("!BBHI", 137, 0, 0, 0) + pton(target) + pton(dest)
    echo = struct.pack("!BBHHH", 128, 0, 0, 7, 1) + bytes(8)
    inner = struct.pack("!IHBB", 6 << 28, len(echo), 58, 64) + pton("2001:db8:a::1") + pton(dest) + echo
    if header == "yes":
        inner += bytes(-len(inner) % 8)
        msg += struct.pack("!BB6x", 4, 1 + len(inner) // 8) + inner
    elif header == "truncated":
        msg = msg[:36]
    elif header == "zero-option":
        msg += bytes(8)
    elif header == "short-quote":
        msg += struct.pack("!BB6x", 4, 3) + inner[:16]
    elif header == "option-past-end":
        msg += struct.pack("!BB6x", 4, 9) + inner[:16]
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, hlim)
    idx = socket.if_nametoindex("vra")
    s.bind((src, 0, 0, idx if src.startswith("fe80") else 0))
    s.sendto(msg, ("2001:db8:a::1", 0, 0, idx))
    s.close()
for line in sys.stdin:
    a = line.split()
    send(a[0], a[1], int(a[2]) if len(a) > 2 else 255,
         a[3] if len(a) > 3 else "fe80::5054:ff:fe00:e01", a[4] if len(a) > 4 else "yes")
    print("sent", flush=True)
' 2>&1
}
send() {
	local name=$1 answer
	shift
	echo "$*" >&"${SENDER[1]}"
	IFS= read -r answer <&"${SENDER[0]}" || answer="(no answer)"
	[ "$answer" = sent ] || fail "the redirect sender: $answer"
	sleep 0.3
	echo "# $name"
	show
	ip -n a -6 route flush cache
	ip -n a -6 neigh flush dev va
}
send "to the destination itself, quoting a's packet" 2001:db8:fd::5 2001:db8:fd::5
send "through fe80::98, without a redirected header" fe80::98 2001:db8:fd::6 255 fe80::5054:ff:fe00:e01 no
send "about a destination a reaches through fe80::77" fe80::98 2001:db8:fc::1
send "from r's global address" fe80::98 2001:db8:fd::7 255 2001:db8:a::fe
send "with hop limit 254" fe80::98 2001:db8:fd::8 254
send "with a global target" 2001:db8:a::9 2001:db8:fd::9
send "for a multicast destination" fe80::98 ff0e::1
ip netns exec a sysctl -qw net.ipv6.conf.va.accept_redirects=0
send "while va does not accept redirects" fe80::98 2001:db8:fd::a
ip netns exec a sysctl -qw net.ipv6.conf.va.accept_redirects=1
ip netns exec a sysctl -qw net.ipv6.conf.va.forwarding=1
send "while va forwards" fe80::98 2001:db8:fd::b
ip netns exec a sysctl -qw net.ipv6.conf.va.forwarding=0
send "accepted again" fe80::98 2001:db8:fd::c
# Malformed ones: ignored, and nothing else happens.
for m in truncated zero-option short-quote option-past-end; do
	send "malformed: $m" fe80::98 2001:db8:fd::d 255 fe80::5054:ff:fe00:e01 "$m"
done
