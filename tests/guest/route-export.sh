#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# The routes the IPv6 stack exports to the kernel's other modules (tunnels, netfilter,
# IPsec use them): tests/kmod/ip6_route_probe.ko, loaded on either stack, asks as those
# modules do and prints what it gets:
# - ip6_route_output_flags() to a neighbour, through a gateway, over a route with an
#   MTU metric, to our own address (through lo), to a link-local multicast group with
#   an interface; and its errors: unreachable and prohibit routes, no route at all;
# - rt6_lookup(), and its NULL without a route;
# - dst_check() of a kept route: valid while its route stands, stale once it changes;
# - ip6_update_pmtu() for a path: the exception seen by `ip -6 route get`, by a new
#   lookup, and the route kept before going stale;
# - packets sent through the route with ip6_local_out() (as a tunnel sends its outer
#   packets), received by a UDP socket in the peer namespace; those bigger than the
#   route's MTU refused (EMSGSIZE, a packet too big to their source, FragFails), as
#   mainline refuses what its sockets did not fragment (no ignore_df);
# - a device deleted while the probe keeps a route through it: the deletion does not
#   wait for it, and the route is stale;
# - rmmod of the probe with a route still kept, then of nothing else: the stack goes on.
. "$(dirname "$0")/../lib.sh"

ko=$IPV6RS_ROOT/tests/kmod/ip6_route_probe.ko
[ -f "$ko" ] || skip "no $ko (make module)"
insmod "$ko" || fail "insmod ip6_route_probe"
# debugfs where `ip netns exec` (which mounts a sysfs of its own) still sees it.
mkdir -p /tmp/debugfs
mount -t debugfs none /tmp/debugfs || fail "mount debugfs"
cmd=/tmp/debugfs/ip6_route_probe/cmd
q() { # a query in namespace a, and its answer
	echo "> $*"
	ip netns exec a sh -c "echo '$*' > $cmd" || { echo "(write failed)"; return 0; }
	ip netns exec a cat "$cmd"
}

ip netns add a
ip netns add b
ip -n a link set lo up
ip -n b link set lo up
ip -n a link add a0 type veth peer name b0 netns b
ip -n a addr add 2001:db8:1::1/64 dev a0 nodad
ip -n b addr add 2001:db8:1::2/64 dev b0 nodad
ip -n b addr add 2001:db8:8::2/64 dev b0 nodad
ip -n a link set a0 up
ip -n b link set b0 up
ip -n a -6 route add 2001:db8:9::/64 via 2001:db8:1::2
ip -n a -6 route add 2001:db8:8::/64 dev a0 mtu 1400
ip -n a -6 route add unreachable 2001:db8:7::/64
ip -n a -6 route add prohibit 2001:db8:6::/64
ip -n a -6 route add 2001:db8:4::/64 via 2001:db8:1::2 hoplimit 7 advmss 1000

echo "== ip6_route_output_flags()"
q output 2001:db8:1::2
q output 2001:db8:9::5
q output 2001:db8:8::2
q output 2001:db8:4::1
q output 2001:db8:1::1
q output ff02::1 oif a0
q output 2001:db8:7::1
q output 2001:db8:6::1
q output 2001:db8:5::1
q output 2001:db8:9::5 oif nosuchdev
echo "== rt6_lookup()"
q lookup 2001:db8:9::5
q lookup 2001:db8:1::2 oif a0 strict
q lookup 2001:db8:5::1

echo "== dst_check()"
q output 2001:db8:9::5
q check
q check
ip -n a -6 route replace 2001:db8:9::/64 via 2001:db8:1::3
q check
q output 2001:db8:9::5

echo "== ip6_update_pmtu()"
q output 2001:db8:9::5
q pmtu 2001:db8:9::5 2001:db8:1::1 1300
q check
ip -n a -6 route get 2001:db8:9::5 | grep -o "mtu [0-9]*"
q output 2001:db8:9::5
q pmtu 2001:db8:9::5 2001:db8:1::1 1000
ip -n a -6 route get 2001:db8:9::5 | grep -o "mtu [0-9]*"

echo "== ip6_local_out() through the route"
recv() { # PORT: the sizes of the datagrams b's socket receives within 3 s
	ip netns exec b /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", int(sys.argv[1])))
s.settimeout(3)
open("/tmp/route-export.ready", "w").close()
try:
    while True:
        print("received", len(s.recv(65535)))
except socket.timeout:
    pass' "$1" >/tmp/route-export.received &
	for _ in $(seq 50); do [ -e /tmp/route-export.ready ] && break; sleep 0.1; done
	rm -f /tmp/route-export.ready
}
recv 7007
q output 2001:db8:1::2
q send 100 7007
q send 3000 7007
q output 2001:db8:8::2
q send 2000 7007
wait
cat /tmp/route-export.received
ip -n a -6 route get 2001:db8:8::2 | grep -o "mtu [0-9]*"
ip netns exec a nstat -az Ip6FragFails | awk 'NR > 1 { print "a:", $1, $2 }'
ip netns exec b nstat -az Ip6ReasmOKs | awk 'NR > 1 { print "b:", $1, $2 }'

echo "== a device goes away under a kept route"
ip -n a link add x0 type veth peer name x1
ip -n a addr add 2001:db8:77::1/64 dev x0 nodad
ip -n a link set x0 up
ip -n a link set x1 up
q output 2001:db8:77::2
ip -n a link del x0
q check

echo "== rmmod"
q output 2001:db8:1::2
rmmod ip6_route_probe || fail "rmmod ip6_route_probe"
ip netns exec a ping -6 -c1 -W2 2001:db8:1::2 >/dev/null && echo "ping after rmmod: ok"
ip netns del a
ip netns del b
umount /tmp/debugfs
