#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# IPv6 anycast (mainline net/ipv6/anycast.c and its users in addrconf.c, ndisc.c,
# icmp.c). Router r and host h share 2001:db8:1::/64 over a veth pair.
# - /proc/net/anycast6 and the local table's anycast routes with forwarding off and
#   on: the subnet-router anycast address of every prefix of the device's addresses
#   (fe80:: too; none for /127 and longer, RFC 6164), its solicited-node group;
# - addresses added and removed while forwarding (users count per prefix, DAD first);
# - IPV6_JOIN_ANYCAST / IPV6_LEAVE_ANYCAST: users, errors (EINVAL, ENOENT, ENODEV,
#   EADDRNOTAVAIL for hosts off-prefix, EPERM without CAP_NET_ADMIN), close;
# - NS from h for the subnet-router anycast address (ndisc6): answered through the
#   random delay, router flag from forwarding, never override; unanswered once gone;
# - ping from h to it: the reply's source with anycast_src_echo_reply 0 and 1, none
#   with echo_ignore_anycast;
# - a device going away with its anycast addresses.
. "$(dirname "$0")/../lib.sh"

command -v tcpdump >/dev/null || skip "no tcpdump"
command -v ndisc6 >/dev/null || skip "no ndisc6"
netns_add r h
ip link add vr netns r address 52:54:00:00:0e:01 type veth peer name vh netns h address 52:54:00:00:0a:01
ip -n r link set vr up
ip -n h link set vh up
ip -n r -6 addr add 2001:db8:1::1/64 dev vr nodad
ip -n r -6 addr add 2001:db8:2:5::1/48 dev vr nodad
ip -n r -6 addr add 2001:db8:3::1/127 dev vr nodad
ip -n r -6 addr add 2001:db8:3::11/126 dev vr nodad
ip -n h -6 addr add 2001:db8:1::2/64 dev vh nodad
wait_dad r h

sysr() { ip netns exec r sysctl -qw "$@"; }
# state: r's anycast addresses, their routes and solicited-node groups.
state() {
	echo "## /proc/net/anycast6"
	ip netns exec r cat /proc/net/anycast6
	echo "## anycast routes"
	ip -n r -6 route show table local type anycast
	echo "## solicited-node groups of vr"
	ip netns exec r awk '$2 == "vr" && $3 ~ /^ff0200000000000000000001ff/ { print $3, $4 }' \
		/proc/net/igmp6 | sort
}

echo "# forwarding 0"
state
echo "# forwarding 1"
sysr net.ipv6.conf.all.forwarding=1
state

echo "# addresses added and removed while forwarding"
ip -n r -6 addr add 2001:db8:4::1/64 dev vr nodad
ip -n r -6 addr add 2001:db8:4::2/64 dev vr nodad
ip -n r -6 addr add 2001:db8:5::1/64 dev vr
ip netns exec r cat /proc/net/anycast6
wait_dad r
echo "## after DAD"
ip netns exec r cat /proc/net/anycast6
ip -n r -6 addr del 2001:db8:4::1/64 dev vr
ip netns exec r cat /proc/net/anycast6
ip -n r -6 addr del 2001:db8:4::2/64 dev vr
ip -n r -6 addr del 2001:db8:5::1/64 dev vr
state

# socket joins: one python process, one line of output per step.
echo "# socket joins"
ip netns exec r /usr/bin/python3 - "$(ip netns exec r cat /sys/class/net/vr/ifindex)" <<'EOF'
import errno, os, socket, struct, sys
vr = int(sys.argv[1])
JOIN, LEAVE = 27, 28
def mreq(addr, ifindex):
    return socket.inet_pton(socket.AF_INET6, addr) + struct.pack("@i", ifindex)
def op(s, name, addr, ifindex=0):
    what = "join" if name == JOIN else "leave"
    try:
        s.setsockopt(socket.IPPROTO_IPV6, name, mreq(addr, ifindex))
        res = "ok"
    except OSError as e:
        res = errno.errorcode[e.errno]
    print(f"{what} {addr} if={'vr' if ifindex == vr else ifindex}: {res}")
def proc():
    for l in open("/proc/net/anycast6"):
        print("  " + l.rstrip())
def sysctl(k, v):
    with open("/proc/sys/net/ipv6/conf/" + k, "w") as f:
        f.write(v)
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
r = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
op(u, JOIN, "2001:db8:1::100")
op(u, JOIN, "2001:db8:1::100", vr)
op(r, JOIN, "2001:db8:1::100")
op(r, JOIN, "2001:db8:1::")
op(u, JOIN, "2001:db8:99::7")
op(u, JOIN, "2001:db8:99::8", vr)
proc()
op(u, LEAVE, "2001:db8:1::100")
op(u, LEAVE, "2001:db8:1::100", 999)
op(u, LEAVE, "2001:db8:1::100", vr)
op(u, LEAVE, "2001:db8:1::100")
op(u, LEAVE, "2001:db8:1::1")
proc()
print("errors")
op(u, JOIN, "ff02::1")
op(u, JOIN, "ff05::1:3", vr)
op(u, JOIN, "2001:db8:1::1")
op(u, JOIN, "2001:db8:1::1", vr)
op(u, JOIN, "2001:db8:1::101", 999)
op(u, JOIN, "2001:db8:1::101", 1)
print("host (forwarding 0)")
sysctl("all/forwarding", "0")
op(u, JOIN, "2001:db8:99::9")
op(u, JOIN, "2001:db8:99::9", vr)
op(u, JOIN, "2001:db8:1::102", vr)
op(u, JOIN, "2001:db8:1::103")
op(u, JOIN, "fe80::abcd", vr)
op(u, JOIN, "fe80::abce")
proc()
print("short option")
try:
    u.setsockopt(socket.IPPROTO_IPV6, JOIN, b"\0" * 19)
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])
print("close")
r.close()
proc()
u.close()
proc()
print("without CAP_NET_ADMIN")
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
sys.stdout.flush()
pid = os.fork()
if pid == 0:
    os.setgid(65534)
    os.setuid(65534)
    op(s, JOIN, "2001:db8:1::104", vr)
    op(s, JOIN, "ff02::1", vr)
    op(s, LEAVE, "2001:db8:1::104", vr)
    sys.stdout.flush()
    os._exit(0)
os.waitpid(pid, 0)
s.close()
proc()
sysctl("all/forwarding", "1")
EOF
state

# capture VERBOSITY CMD...: run CMD in h while vh captures the neighbour
# advertisements and echo replies it receives from r (-vv for the NA flags; echo
# identifiers masked), and print them; r's answers about its link-local address are
# left out (h's reachability probes come at times that vary).
capture() {
	local log cap v=$1
	shift
	log=$(mktemp)
	ip netns exec h tcpdump -l -t -n $v -Q in -i vh \
		'icmp6 and (ip6[40] == 136 or ip6[40] == 129) and ether src 52:54:00:00:0e:01' \
		>"$log" 2>/dev/null &
	cap=$!
	sleep 1
	"$@"
	sleep 1.5
	kill "$cap"
	wait "$cap" 2>/dev/null || true
	sed -E 's/id [0-9]+/id ID/' "$log" |
		awk '/^[^ \t]/ { skip = /tgt is fe80::5054:ff:fe00:e01/ } NF && !skip'
	rm -f "$log"
}
solicit() {
	echo "# h solicits $1"
	capture -vv sh -c "ip netns exec h ndisc6 -1 -r 1 -w 1500 $1 vh >/dev/null 2>&1 || true"
}
ping1() {
	echo "# h pings $1"
	ip -n h -6 neigh flush dev vh
	capture -q sh -c "ip netns exec h ping -c1 -W2 $1 | grep transmitted | sed -E 's/, time [0-9]+ms//'"
}

solicit 2001:db8:1::
solicit 2001:db8:1::1
echo "# proxy_delay 0"
ip netns exec r sysctl -qw net.ipv6.neigh.vr.proxy_delay=0
solicit 2001:db8:1::
ip netns exec r sysctl -qw net.ipv6.neigh.vr.proxy_delay=80
ping1 2001:db8:1::
echo "# anycast_src_echo_reply 1"
ip netns exec r sysctl -qw net.ipv6.anycast_src_echo_reply=1
ping1 2001:db8:1::
echo "# echo_ignore_anycast 1"
ip netns exec r sysctl -qw net.ipv6.icmp.echo_ignore_anycast=1
ping1 2001:db8:1::
ip netns exec r sysctl -qw net.ipv6.icmp.echo_ignore_anycast=0
ip netns exec r sysctl -qw net.ipv6.anycast_src_echo_reply=0

echo "# forwarding 0 on vr only"
sysr net.ipv6.conf.vr.forwarding=0
state
solicit 2001:db8:1::
ping1 2001:db8:1::
echo "# a socket's anycast address on the host vr"
held=$(mktemp)
ip netns exec r /usr/bin/python3 -c '
import socket, struct, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, 27, socket.inet_pton(socket.AF_INET6, "2001:db8:1::200") +
             struct.pack("@i", socket.if_nametoindex("vr")))
print("ready", flush=True)
time.sleep(30)
' >"$held" &
heldpid=$!
for _ in $(seq 100); do grep -q ready "$held" && break; sleep 0.2; done
ip netns exec r cat /proc/net/anycast6
solicit 2001:db8:1::200
ping1 2001:db8:1::200
kill "$heldpid"
wait "$heldpid" 2>/dev/null || true
rm -f "$held"
sleep 0.5
ip netns exec r cat /proc/net/anycast6
sysr net.ipv6.conf.vr.forwarding=1

echo "# a device going away"
ip -n r link add d0 type dummy
ip -n r link set d0 up
ip -n r -6 addr add 2001:db8:7::1/64 dev d0 nodad
wait_dad r
ip netns exec r cat /proc/net/anycast6
ip -n r link del d0
state
