#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: rust mainline
# vm-run: --peer-cmd 'ip link set eth0 up && ip -6 addr add 2001:db8:1::2/64 dev eth0 nodad && modprobe ip6_tunnel && ip link add t6 type ip6tnl local 2001:db8:1::2 remote 2001:db8:1::1 mode any && ip -6 addr add 2001:db8:99::2/64 dev t6 nodad && ip addr add 10.99.0.2/24 dev t6 && ip link set t6 up && ip addr add 10.1.0.2/24 dev eth0 && modprobe sit && ip link add s4 type sit local 10.1.0.2 remote 10.1.0.1 && ip -6 addr add 2001:db8:98::2/64 dev s4 nodad && ip link set s4 up && modprobe ip6_gre && ip link add g6 type ip6gre local 2001:db8:1::2 remote 2001:db8:1::1 key 5 && ip -6 addr add 2001:db8:96::2/64 dev g6 nodad && ip addr add 10.96.0.2/24 dev g6 && ip link set g6 up && ip link add e6 address 52:54:00:00:e6:02 type ip6gretap local 2001:db8:1::2 remote 2001:db8:1::1 key 6 && ip -6 addr add 2001:db8:95::2/64 dev e6 nodad && ip addr add 10.95.0.2/24 dev e6 && ip link set e6 up && { /usr/bin/python3 "$IPV6RS_ROOT/tests/tools/udpecho.py" serve 7007 >/dev/null 2>&1 & } && sysctl -qw net.ipv6.conf.all.forwarding=1 && radvd -m logfile -l /tmp/radvd.log -C "$IPV6RS_ROOT/tests/tools/radvd-peer.conf" -p /tmp/radvd.pid'
#
# The interop link: this VM and a peer VM running mainline's ipv6.ko are connected by
# virtio-net NICs; we ping the peer's global and link-local addresses, with 4000-byte
# echoes fragmented and reassembled both ways, and resolve its MAC by ND.
# The peer is also a router: Debian's radvd there (tests/tools/radvd-peer.conf)
# advertises to us a SLAAC prefix, a default route with high preference, a route
# information option, the link MTU and a DNS server, which rdnssd here writes out.
# Last, an ip6tnl tunnel to the peer (mode any there) carries IPv6 and IPv4, a sit
# tunnel (6in4) IPv6, and mainline's ip6_gre.ko (on ipv6_rs through its ip6_tnl_*
# exports) an ip6gre tunnel IPv6 and IPv4 and an ip6gretap tunnel Ethernet (ND and ARP
# across it); a UDP stream goes through each to an echo server on the peer.
. "$(dirname "$0")/../lib.sh"

# Route information options are ignored unless their prefix length is at most this.
sysctl -qw net.ipv6.conf.eth0.accept_ra_rt_info_max_plen=64
rdnssd -f -u root -r /tmp/resolv.conf -p /tmp/rdnssd.pid >/tmp/rdnssd.log 2>&1 &
rdnssd=$!
trap 'kill "$rdnssd" 2>/dev/null || true' EXIT
ip link set eth0 up
ip -6 addr add 2001:db8:1::1/64 dev eth0 nodad
# The peer boots alongside us; give it time to configure itself.
ping_until 2001:db8:1::2 || true
expect "ping the peer over virtio-net" ping -6 -c3 -i0.3 -W2 2001:db8:1::2
expect "ping the peer's link-local address" ping -6 -c2 -i0.3 -W2 fe80::5054:ff:fe00:2%eth0
expect "4000-byte echoes to the peer" ping -6 -c2 -i0.3 -W2 -s 4000 2001:db8:1::2
neigh=$(ip -6 neigh show dev eth0 2001:db8:1::2)
echo "$neigh"
grep -q 'lladdr 52:54:00:00:00:02' <<<"$neigh" || fail "peer's MAC not learnt by ND"

echo "== what the peer's radvd configured"
for _ in $(seq 60); do
	ip -6 addr show dev eth0 | grep -q 'inet6 2001:db8:5:' && grep -q nameserver /tmp/resolv.conf 2>/dev/null && break
	sleep 1
done
addr=$(ip -6 addr show dev eth0 | sed -n 's/^ *inet6 \(2001:db8:5:[^ ]*\) \(.*\)/\1 \2/p')
echo "$addr"
[ "$addr" = "2001:db8:5:0:5054:ff:fe00:1/64 scope global dynamic mngtmpaddr " ] ||
	fail "no SLAAC address from the peer's prefix"
routes=$(ip -6 route show dev eth0 | sed -E 's/ expires [0-9]+sec//')
echo "$routes"
grep -qx 'default via fe80::5054:ff:fe00:2 proto ra metric 1024 mtu 1400 hoplimit 64 pref high' <<<"$routes" ||
	fail "no default route with high preference"
grep -qx '2001:db8:77::/64 via fe80::5054:ff:fe00:2 proto ra metric 1024 pref low' <<<"$routes" ||
	fail "no route from the route information option"
grep -qx '2001:db8:5::/64 proto kernel metric 256 pref medium' <<<"$routes" ||
	fail "no on-link route for the prefix"
mtu=$(cat /proc/sys/net/ipv6/conf/eth0/mtu)
echo "mtu $mtu"
[ "$mtu" = 1400 ] || fail "the advertised MTU was not taken"
cat /tmp/resolv.conf
grep -qx 'nameserver 2001:db8:5::53' /tmp/resolv.conf || fail "rdnssd wrote no server"

echo "== an ip6tnl tunnel to the peer"
modprobe ip6_tunnel || fail "modprobe ip6_tunnel"
trap 'kill "$rdnssd" 2>/dev/null || true; ip link del t6 2>/dev/null || true; rmmod ip6_tunnel 2>/dev/null || true' EXIT
ip link add t6 type ip6tnl local 2001:db8:1::1 remote 2001:db8:1::2 mode any
ip -6 addr add 2001:db8:99::1/64 dev t6 nodad
ip addr add 10.99.0.1/24 dev t6
ip link set t6 up
expect "ping through an ip6tnl tunnel to the peer" ping -6 -c3 -i0.3 -W2 2001:db8:99::2
expect "1300-byte echoes through the tunnel" ping -6 -c2 -i0.3 -W2 -s 1300 2001:db8:99::2
expect "IPv4 through the tunnel to the peer" ping -4 -c3 -i0.3 -W2 10.99.0.2
expect "a UDP stream through the ip6tnl tunnel" "$IPV6RS_ROOT/tests/tools/udpecho.py" send 2001:db8:99::2 7007 50 1200

echo "== a sit tunnel (6in4) to the peer"
modprobe sit || fail "modprobe sit"
trap 'kill "$rdnssd" 2>/dev/null || true; ip link del t6 2>/dev/null || true; rmmod ip6_tunnel 2>/dev/null || true; ip link del s4 2>/dev/null || true; rmmod sit 2>/dev/null || true' EXIT
ip addr add 10.1.0.1/24 dev eth0
ip link add s4 type sit local 10.1.0.1 remote 10.1.0.2
ip -6 addr add 2001:db8:98::1/64 dev s4 nodad
ip link set s4 up
ip -6 addr show dev s4 scope link
expect "ping through a sit tunnel to the peer" ping -6 -c3 -i0.3 -W2 2001:db8:98::2
expect "ping the peer's link-local address through it" ping -6 -c2 -i0.3 -W2 fe80::a01:2%s4
expect "1300-byte echoes through the sit tunnel" ping -6 -c2 -i0.3 -W2 -s 1300 2001:db8:98::2
expect "a UDP stream through the sit tunnel" "$IPV6RS_ROOT/tests/tools/udpecho.py" send 2001:db8:98::2 7007 50 1200

peer_gre_tunnels
