#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# sit tunnels (IPv6 over IPv4) between two namespaces over veth, through an IPv4
# router:
# - `modprobe sit` (on the rust stack ipv6_rs's own sit.ko, which turns on the tunnels
#   inside ipv6_rs) makes sit0 in every namespace, new ones too;
# - a configured tunnel (RFC 4213): `ip link add type sit`, `ip -d link show` and
#   `ip -d -j link show`, its link-local address from its local IPv4 address, the MTU
#   over the lower device; refusals (the end points of another tunnel, a change of
#   sit0, a too small MTU, an unknown encapsulation, a multipoint change of a
#   point-to-point tunnel, bad 6rd parameters);
# - ping, large packets and UDP through it, the outer header on the wire (protocol
#   41, TTL, DF, the TOS inherited); IPv4 inside in mode any;
# - a router's fragmentation needed about an outer packet: the outer path MTU learned,
#   the inner source told the room left; a packet too big for the tunnel;
# - 6to4 and 6rd (RFC 3056, RFC 5969) on a tunnel without a remote end: the outer
#   destination from the inner one, `ip tunnel 6rd` and its refusals, a spoofed inner
#   source refused;
# - automatic tunnels through sit0 (its IPv4-compatible addresses, ping ::a.b.c.d);
# - ISATAP (RFC 5214): the link-local address, the potential router list (`ip tunnel
#   prl`), ping between two ISATAP interfaces, router advertisements taken in full
#   from a default router of the list, only for other routes from a non-default one,
#   and not at all from a host;
# - `ip tunnel add/change/del/show` (the SIOC*TUNNEL ioctls on sit0 and the tunnels),
#   their refusals; the module's removal taking every sit device with it.
. "$(dirname "$0")/../lib.sh"

command -v tcpdump >/dev/null || skip "no tcpdump"
modprobe sit || fail "modprobe sit"
unload_sit() {
	ip netns del a 2>/dev/null || true
	ip netns del b 2>/dev/null || true
	ip netns del r 2>/dev/null || true
	ip netns del c 2>/dev/null || true
	rmmod_wait sit || true
}
trap unload_sit EXIT

# pings PATTERN: ping's lines that match, without times.
pings() {
	grep -E "$1" | sed -E -e 's/ time=.*//' -e 's/, time [0-9]+ms$//'
}
# Lifetimes tick.
norand() {
	sed -E -e 's/(valid|preferred)_lft [0-9]+sec/\1_lft N/g'
}
counters() { # ns dev
	ip -n "$1" -s link show "$2" | sed -n '/RX:/,+3p'
}

# a - r - b over IPv4: the tunnels' ends a (10.0.1.1) and b (10.0.2.2), router r.
netns_add a r b
ip link add va netns a address 52:54:00:00:1f:01 type veth peer name ra netns r address 52:54:00:00:1f:02
ip link add vb netns b address 52:54:00:00:1f:04 type veth peer name rb netns r address 52:54:00:00:1f:03
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip -n a addr add 10.0.1.1/24 dev va
ip -n r addr add 10.0.1.254/24 dev ra
ip -n r addr add 10.0.2.254/24 dev rb
ip -n b addr add 10.0.2.2/24 dev vb
for l in a/va r/ra r/rb b/vb; do ip -n "${l%/*}" link set "${l#*/}" up; done
ip -n a route add default via 10.0.1.254
ip -n b route add default via 10.0.2.254
ip netns exec a ping -4 -c1 -W2 10.0.2.2 2>&1 | pings 'transmitted' || true

echo "== sit0 in every namespace"
ip -n a -d link show sit0
ip netns add c
ip -n c -d link show sit0

echo "== a configured tunnel"
show ip -n a link add s6 type sit local 10.0.1.1 remote 10.0.2.2 ttl 64
show ip -n b link add s6 type sit local 10.0.2.2 remote 10.0.1.1 mode any tos inherit
ip -n a -d link show s6
ip -n b -d link show s6
ip -n a -d -j link show s6
echo
echo "-- refusals"
show ip -n a link add s7 type sit local 10.0.1.1 remote 10.0.2.2
show ip -n a link set sit0 type sit remote 10.0.2.9 pmtudisc
show ip -n a link set s6 mtu 1279
show ip -n a link set s6 mtu 1300
show ip -n a link add s8 type sit local 10.0.1.1 remote 10.0.2.8 encap fou encap-sport 1 encap-dport 2
show ip -n a link set s6 type sit remote any
show ip -n a link add s9 type sit local 10.0.1.1 6rd-prefix 2001:db8::1/32
show ip -n a link add s9 type sit local 10.0.1.1 6rd-prefix 2001:db8::/48
ip -n a link show s9 2>&1 | head -1 || true

echo "== traffic"
# Router solicitations over the tunnels would make the counters below depend on
# timing.
for n in a b; do ip netns exec $n sysctl -qw net.ipv6.conf.s6.router_solicitations=0; done
ip -n a addr add 2001:db8:99::1/64 dev s6 nodad
ip -n b addr add 2001:db8:99::2/64 dev s6 nodad
ip -n a link set s6 mtu 1480 up
ip -n b link set s6 up
ip -n a addr show dev s6 | norand
ip -n a -6 route show dev s6
ip netns exec b tcpdump -i vb -t -nn -v -l -c 2 'ip proto 41 and src 10.0.1.1' 2>/dev/null |
	sed -E -e 's/, id [0-9]+,/, id N,/' -e 's/(IP6 \(class 0x[0-9a-f]+), flowlabel 0x[0-9a-f]+/\1/' \
	>/tmp/sit.$$ &
TD=$!
sleep 2
ip netns exec a ping -6 -c2 -i0.3 -W2 -Q 0x28 2001:db8:99::2 2>&1 | pings 'transmitted|icmp_seq' || true
wait "$TD" || true
cat /tmp/sit.$$
rm -f /tmp/sit.$$
ip netns exec a ping -6 -c1 -W2 -s 1400 2001:db8:99::2 2>&1 | pings 'transmitted' || true
ip netns exec a ping -6 -c1 -W2 -s 1500 -M do 2001:db8:99::2 2>&1 | pings 'transmitted|error|mtu' || true
echo "-- IPv4 inside (b's tunnel in mode any; a's is ip6ip only)"
ip -n a addr add 10.99.0.1/24 dev s6
ip -n b addr add 10.99.0.2/24 dev s6
ip netns exec a ping -4 -c1 -W2 10.99.0.2 2>&1 | pings 'transmitted' || true
ip -n a link set s6 type sit mode any
ip netns exec a ping -4 -c2 -i0.3 -W2 10.99.0.2 2>&1 | pings 'transmitted' || true
echo "-- UDP"
ip netns exec b /usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("2001:db8:99::2", 9000))
s.settimeout(5)
n = 0
try:
    while n < 50:
        s.recv(2000)
        n += 1
except socket.timeout:
    pass
print("udp received", n)
' &
RX=$!
sleep 3
ip netns exec a /usr/bin/python3 -c '
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for i in range(50):
    s.sendto(bytes(1000), ("2001:db8:99::2", 9000))
    time.sleep(0.01)
'
wait "$RX" || true
echo "-- counters"
counters a s6
counters b s6

echo "== fragmentation needed on the way: the outer path MTU, then the inner"
ip -n r link set rb mtu 1400
ip -n b link set vb mtu 1400
ip netns exec a ping -6 -c2 -i1 -W2 -s 1400 2001:db8:99::2 2>&1 | pings 'transmitted|too big|mtu' || true
echo "outer: $(ip -n a -4 route get 10.0.2.2 | grep -o 'mtu [0-9]*')"
echo "inner: $(ip -n a -6 route get 2001:db8:99::2 | grep -o 'mtu [0-9]*')"
ip netns exec a ping -6 -c1 -W2 -s 1300 2001:db8:99::2 2>&1 | pings 'transmitted' || true
ip -n r link set rb mtu 1500
ip -n b link set vb mtu 1500
ip -n a -4 route flush cache
ip -n a -6 route flush cache
echo "== a packet too big for the tunnel itself"
ip -n a link set va mtu 1350
ip netns exec a ping -6 -c1 -W2 -s 1300 2001:db8:99::2 2>&1 | pings 'transmitted|too big|mtu' || true
ip -n a link set va mtu 1500
ip -n a -6 route flush cache

echo "== ip tunnel (the SIOC*TUNNEL ioctls)"
show ip -n a tunnel show
show ip -n a tunnel add s10 mode sit local 10.0.1.1 remote 10.0.2.10 ttl 32
show ip -n a tunnel add s11 mode sit local 10.0.1.1 remote 10.0.2.10
show ip -n a tunnel change s10 remote 10.0.2.11 tos inherit
show ip -n a tunnel change s10 remote any
show ip -n a tunnel change s10 remote 10.0.2.2
show ip -n a tunnel show s10
ip -n a -d link show s10
show ip -n a tunnel del s10
show ip -n a tunnel del sit0
show ip -n a tunnel show

echo "== changes and deletion of the configured tunnel"
show ip -n a link set s6 type sit local 10.0.1.1 remote 10.0.2.7 ttl 10 tos 0x10
ip -n a -d link show s6
show ip -n a link del s6
show ip -n b link del s6
show ip -n a link del sit0

echo "== 6to4 and 6rd on a tunnel without a remote end"
for n in a b; do
	ip -n $n link add tun type sit remote any local 10.0.$([ $n = a ] && echo 1.1 || echo 2.2) ttl 64
	ip netns exec $n sysctl -qw net.ipv6.conf.tun.router_solicitations=0
	ip -n $n link set tun up
done
ip -n a addr add 2002:a00:101::1/16 dev tun
ip -n b addr add 2002:a00:202::2/16 dev tun
ip -n a -d link show tun
ip -n a addr show dev tun | norand
ip -n a -6 route show dev tun
ip netns exec a ping -6 -c2 -i0.3 -W2 2002:a00:202::2 2>&1 | pings 'transmitted' || true
echo "-- 6rd: 2001:db8::/32, relay prefix 10.0.0.0/8"
for n in a b; do
	show ip -n $n tunnel 6rd dev tun 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8
done
show ip -n a tunnel 6rd dev tun 6rd-prefix 2001:db8::1/32
show ip -n a tunnel 6rd dev tun 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.1/8
ip -n a -d link show tun
ip -n a addr add 2001:db8:1:100::1/32 dev tun
ip -n b addr add 2001:db8:2:200::2/32 dev tun
ip netns exec a ping -6 -c2 -i0.3 -W2 2001:db8:2:200::2 2>&1 | pings 'transmitted' || true
echo "-- a source that does not embed its IPv4 address"
ip -n b addr add 2001:db8:9:900::2/32 dev tun nodad
ip netns exec b ping -6 -c1 -W2 -I 2001:db8:9:900::2 2001:db8:1:100::1 2>&1 | pings 'transmitted' || true
counters a tun
show ip -n a tunnel 6rd dev tun 6rd-reset
ip -n a -d link show tun
for n in a b; do ip -n $n link del tun; done

echo "== automatic tunnels through sit0"
ip -n a link set sit0 up
ip -n b link set sit0 up
ip -n a addr show dev sit0 | norand
ip -n a -6 route show dev sit0
ip netns exec a ping -6 -c2 -i0.3 -W2 ::10.0.2.2 2>&1 | pings 'transmitted' || true
ip -n a link set sit0 down
ip -n b link set sit0 down

echo "== ISATAP"
show ip -n a link add is0 type sit local 10.0.1.1 isatap
show ip -n b tunnel add is0 mode isatap local 10.0.2.2
for n in a b; do ip -n $n link set is0 up; done
ip -n a -d link show is0
ip -n a addr show dev is0 | norand
ip -n a -6 route show dev is0
show ip -n a tunnel prl prl-default 10.0.2.2 dev is0
show ip -n a tunnel prl prl-default 10.0.2.2 dev is0
show ip -n a tunnel prl prl-nodefault 10.0.2.3 dev is0
show ip -n a tunnel show is0
show ip -n a tunnel prl prl-delete 10.0.2.3 dev is0
show ip -n a tunnel prl prl-delete 10.0.2.3 dev is0
show ip -n a tunnel show is0
show ip -n a tunnel prl prl-default 10.0.2.2 dev sit0
ip netns exec a ping -6 -c2 -i0.3 -W2 fe80::5efe:a00:202%is0 2>&1 | pings 'transmitted' || true
echo "-- router advertisements by what the potential router list says of their source"
# b advertises itself as a default router and a route to 2001:db8:55::/64.
ra() {
	ip netns exec b /usr/bin/python3 -c '
import socket, struct
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0)
rio = struct.pack("!BBBBI", 24, 2, 64, 0, 1800) + socket.inet_pton(socket.AF_INET6, "2001:db8:55::")[:8]
s.sendto(ra + rio, ("fe80::5efe:a00:101", 0, 0, socket.if_nametoindex("is0")))
'
	sleep 1
	ip -n a -6 route show dev is0 proto ra | sed -E 's/ expires [0-9]+sec//'
	ip -n a -6 route flush dev is0 proto ra
}
ip netns exec a sysctl -qw net.ipv6.conf.is0.accept_ra_rt_info_max_plen=64
echo "a potential router that may be a default router: all of it"
ra
show ip -n a tunnel prl prl-delete 10.0.2.2 dev is0
show ip -n a tunnel prl prl-nodefault 10.0.2.2 dev is0
echo "one that may not: its other routes only"
ra
show ip -n a tunnel prl prl-delete 10.0.2.2 dev is0
echo "a host: nothing"
ra

echo "== rmmod while a tunnel carries traffic"
ip -n a link add s6 type sit local 10.0.1.1 remote 10.0.2.2
ip -n b link add s6 type sit local 10.0.2.2 remote 10.0.1.1
ip -n a addr add 2001:db8:99::1/64 dev s6 nodad
ip -n b addr add 2001:db8:99::2/64 dev s6 nodad
ip -n a link set s6 up
ip -n b link set s6 up
ip netns exec a ping -6 -c1 -W2 2001:db8:99::2 2>&1 | pings 'transmitted' || true
ip netns exec a ping -6 -i0.1 -c30 -W1 2001:db8:99::2 >/dev/null 2>&1 &
PING=$!
sleep 1
trap - EXIT
ip netns del c
rmmod_wait sit || true
wait "$PING" || true
ip -n b link show s6 2>&1 | head -1 || true
ip -n a link show sit0 2>&1 | head -1 || true
ip netns del a
ip netns del b
ip netns del r
