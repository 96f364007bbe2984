#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# The kernel's own bridge module (bridge.ko imports ipv6_dev_get_saddr() from the IPv6
# module, so on the rust stack it loads against ipv6_rs) with MLD snooping between
# namespaces: listener h1, bystander h2, sender s, all on bridge br0 in namespace b.
# - the bridge is the querier (mcast_querier 1): its queries come from the source
#   address that ipv6_dev_get_saddr() picks among br0's addresses;
# - the snooping database learns every host's MLD reports: solicited-node groups (so
#   that neighbour discovery reaches the hosts through the bridge) and h1's group;
# - ND and ping across the bridge;
# - multicast to h1's group reaches h1 and not h2 (snooping forwards it to members
#   only); after h1 leaves, the group goes from the database.
. "$(dirname "$0")/../lib.sh"

command -v bridge >/dev/null || skip "no bridge tool"
command -v tcpdump >/dev/null || skip "no tcpdump"
# bridge.ko imports from the IPv6 module: on ipv6_rs, it loads against it (depmod
# resolved its imports to ipv6_rs.ko), and must go before ipv6_rs can (the batch
# reloads the stack after each test).
modprobe bridge || fail "modprobe bridge"
unload_bridge() {
	ip netns del b 2>/dev/null || true
	rmmod_wait bridge || true
}
trap unload_bridge EXIT
netns_add b h1 h2 s
ip -n b link add br0 address 52:54:00:00:0e:00 type bridge mcast_snooping 1 mcast_querier 1 mcast_query_interval 500 \
	mcast_startup_query_interval 500 mcast_query_response_interval 100 || fail "no bridge"
i=1
for h in h1 h2 s; do
	ip link add p$h netns b address 52:54:00:00:0e:1$i type veth peer name e0 netns $h address 52:54:00:00:0e:0$i
	ip -n b link set p$h master br0 up
	ip -n $h link set e0 up
	ip -n $h -6 addr add 2001:db8::$i/64 dev e0
	i=$((i + 1))
done
ip -n b link set br0 up
wait_dad b h1 h2 s
# The querier's first query went out once br0 had a link-local address; reports of
# the hosts' groups came with the link up and in answer.
sleep 3

mdb() {
	ip netns exec b bridge mdb show dev br0 | sed -E 's/ +[0-9]+\.[0-9]+$//' | sort
}

echo "== database after link up"
mdb

echo "== neighbour discovery through the bridge"
ip netns exec s ping -6 -c1 -W3 2001:db8::1 >/dev/null && echo "s -> h1: ok" || echo "s -> h1: lost"
ip netns exec s ping -6 -c1 -W3 2001:db8::2 >/dev/null && echo "s -> h2: ok" || echo "s -> h2: lost"

echo "== the querier's address"
# Queries as h2 sees them (IPv6 next header 0: hop-by-hop, then MLD).
ip netns exec h2 timeout 14 tcpdump -i e0 -nn -l -c1 'ip6[6] == 0 and ip6[40+8] == 130' 2>/dev/null |
	sed -E 's/^[0-9:.]+ //; s/(max resp delay: )[0-9]+/\1N/' &
TQ=$!

coproc L {
	exec ip netns exec h1 /usr/bin/python3 -u -c '
import socket, struct, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 5000))
s.settimeout(3)
mreq = socket.inet_pton(socket.AF_INET6, "ff0e::1234") + struct.pack("@I", socket.if_nametoindex("e0"))
print("ready", flush=True)
for line in sys.stdin:
    cmd = line.strip()
    try:
        if cmd == "join":
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq); print("joined", flush=True)
        elif cmd == "leave":
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_LEAVE_GROUP, mreq); print("left", flush=True)
        else:
            print(s.recvfrom(100)[0].decode(), flush=True)
    except OSError as e:
        print(type(e).__name__, flush=True)
'
}
read -r _ <&"${L[0]}"
l() {
	echo "$1" >&"${L[1]}"
	read -r r <&"${L[0]}"
	echo "h1 $1: $r"
}
wait "$TQ" || true

send() {
	ip netns exec s /usr/bin/python3 -c "
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 5)
s.sendto(b'$1', ('ff0e::1234', 5000, 0, socket.if_nametoindex('e0')))
"
}

echo "== a group joined"
ip netns exec h2 tcpdump -p -i e0 -nn -l 'udp and dst host ff0e::1234' >/tmp/brh2.$$ 2>/dev/null &
TD=$!
sleep 2
l join
sleep 2
mdb | grep ff0e:: || echo "(no ff0e::1234 entry)"
send to-members
l recv
sleep 1
echo "h2 saw $(grep -c . /tmp/brh2.$$) datagram(s) to the group"

echo "== the group left"
l leave
# A leave makes the querier ask for the group; without an answer it goes.
sleep 4
mdb | grep ff0e:: || echo "(no ff0e::1234 entry)"
kill "$TD" 2>/dev/null
wait "$TD" 2>/dev/null || true
rm -f /tmp/brh2.$$
