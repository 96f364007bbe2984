#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Router advertisement options handed to user space (RTM_NEWNDUSEROPT to the
# RTNLGRP_ND_USEROPT group, mainline's ndisc_ra_useropt()), with real router and host
# software: Debian's radvd advertises in namespace r (a SLAAC prefix, a route with its
# preference, RDNSS, DNSSL, MTU, high default router preference), and host namespace h
# shows
# 1. the RTM_NEWNDUSEROPT messages of one advertisement, byte for byte and decoded (a
#    Python rtnetlink listener: iproute2's monitor does not show them);
# 2. what rdnssd (ndisc6), which reads those messages, writes to its resolv.conf;
# 3. the SLAAC address, the default route with its preference, the route from the route
#    information option, the link MTU, and rdisc6's view of the advertisement;
# 4. advertisements written byte by byte from namespace s (options radvd does not send):
#    to host q's q1, one with user options of every kind (PREF64, captive portal,
#    6LoWPAN context, two RDNSS, DNSSL, prefix) among others (unknown, MTU, route
#    information, source link-layer address), after one whose source link-layer
#    address option has the wrong size (nothing to user space); the same to q2, which
#    has accept_ra=0 (nothing either).
# radvd joins the all-routers group on its raw socket (IPV6_ADD_MEMBERSHIP) and does not
# advertise on an interface where that fails. The MACs are fixed, so link-local and
# EUI-64 addresses are the same every run; radvd does not decrement the lifetimes it
# sends, but the kernel's count down: masked.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d)
mac_h=52:54:00:00:1a:01 mac_r=52:54:00:00:1b:01
aged() { sed -E 's/(_lft|expires) [0-9]+sec/\1 Nsec/g'; }

# The RTM_NEWNDUSEROPT listener: useropt.py TIMEOUT STOP NAME=IFINDEX... prints the
# messages it gets, raw and decoded, then exits: with STOP "repeat" when the first comes
# again (one advertisement's worth), with "sentinel" a second after an RDNSS option of
# lifetime 0. It prints "ready" once subscribed.
cat >"$tmp/useropt.py" <<'PY'
import socket, struct, sys
RTNLGRP_ND_USEROPT = 20
names = {3: "prefix", 25: "RDNSS", 31: "DNSSL", 34: "6CO", 37: "captive portal",
         38: "PREF64"}
ifnames = {int(i): n for n, i in (a.split("=") for a in sys.argv[3:])}
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.bind((0, 0))  # before joining: a bind sets the first 32 groups
s.setsockopt(270, 1, RTNLGRP_ND_USEROPT)  # SOL_NETLINK, NETLINK_ADD_MEMBERSHIP
s.settimeout(float(sys.argv[1]))
print("ready", flush=True)
seen = []
try:
    while True:
        data = s.recv(65536)
        while data:
            (length,) = struct.unpack_from("=I", data)
            m, data = data[:length], data[(length + 3) & ~3:]
            if sys.argv[2] == "repeat" and seen and m == seen[0]:
                raise StopIteration
            seen.append(m)
            if sys.argv[2] == "sentinel" and m[32] == 25 and m[36:40] == bytes(4):
                s.settimeout(1)
except (StopIteration, socket.timeout):
    pass
if not seen:
    print("no RTM_NEWNDUSEROPT message")
for m in seen:
    ln, ty, fl, seq, pid = struct.unpack_from("=IHHII", m)
    fam, _, olen, ifi, ity, ico = struct.unpack_from("=BBHiBB", m, 16)
    opt = m[32:32 + olen]
    print(f"nlmsg len {ln} type {ty} flags {fl:#x} seq {seq} pid {pid}: family {fam} "
          f"ifindex {ifnames.get(ifi, ifi)} icmp {ity}/{ico} "
          f"{names.get(opt[0], opt[0])} option, {olen} bytes")
    for i in range(0, len(m), 32):
        print("  " + m[i:i + 32].hex(" ", 4))
PY

# listen NS NAME=IFINDEX...: start the listener in NS (coprocess LISTEN, pid $listener)
# with STOP $stop; returns once it is subscribed.
listen() {
	local ns=$1 line
	shift
	coproc LISTEN { exec ip netns exec "$ns" python3 -u "$tmp/useropt.py" 20 "$stop" "$@"; }
	listener=$LISTEN_PID
	read -r -t 60 line <&"${LISTEN[0]}" || fail "listener did not start"
	[ "$line" = ready ] || fail "listener: $line"
}
# heard: what the listener printed, once it is done.
heard() {
	cat <&"${LISTEN[0]}"
	wait "$listener" || true
}
ifindex() { ip -n "$1" -o link show "$2" | cut -d: -f1; }
# subscribed NS N: wait (up to 10 s) until N sockets of NS are in RTNLGRP_ND_USEROPT
# (bit 19 of the groups /proc/net/netlink shows): rdnssd subscribes in its own time.
subscribed() {
	local n _sk eth _pid groups _rest
	for _ in $(seq 50); do
		n=0
		while read -r _sk eth _pid groups _rest; do
			[ "$eth" = 0 ] && ((0x$groups & 0x80000)) && n=$((n + 1))
		done < <(ip netns exec "$1" tail -n +2 /proc/net/netlink)
		[ "$n" -ge "$2" ] && return 0
		sleep 0.2
	done
}

cat >"$tmp/radvd.conf" <<EOF
interface vr {
	AdvSendAdvert on;
	MinRtrAdvInterval 3;
	MaxRtrAdvInterval 4;
	AdvDefaultPreference high;
	AdvDefaultLifetime 1800;
	AdvCurHopLimit 63;
	AdvLinkMTU 1400;
	AdvReachableTime 30000;
	AdvRetransTimer 1000;
	prefix 2001:db8:1::/64 {
		AdvOnLink on;
		AdvAutonomous on;
		AdvValidLifetime 86400;
		AdvPreferredLifetime 14400;
	};
	route 2001:db8:f::/48 {
		AdvRoutePreference low;
		AdvRouteLifetime 600;
	};
	RDNSS 2001:db8:1::53 2001:db8:1::54 {
		AdvRDNSSLifetime 1200;
	};
	DNSSL example.com test.example.org {
		AdvDNSSLLifetime 1200;
	};
};
EOF
chmod 600 "$tmp/radvd.conf"

ip netns add h
ip netns add r
ip link add vh netns h address $mac_h type veth peer name vr netns r address $mac_r
ip -n h link set lo up
ip -n r link set lo up
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
# Route information options are ignored unless their prefix length is at most this.
ip netns exec h sysctl -qw net.ipv6.conf.vh.accept_ra_rt_info_max_plen=64
ip -n r link set vr up
wait_dad r

stop=repeat listen h vh="$(ifindex h vh)"
ip netns exec h rdnssd -f -u root -r "$tmp/resolv.conf" -p "$tmp/rdnssd.pid" \
	>"$tmp/rdnssd.log" 2>&1 &
rdnssd=$!
subscribed h 2
ip netns exec r radvd -n -m logfile -l "$tmp/radvd.log" -C "$tmp/radvd.conf" \
	-p "$tmp/radvd.pid" &
radvd=$!
cleanup() {
	kill "$rdnssd" "$radvd" 2>/dev/null || true
	wait "$rdnssd" "$radvd" 2>/dev/null || true
}
trap cleanup EXIT
ip -n h link set vh up

echo "== 1. RTM_NEWNDUSEROPT of one advertisement"
heard
# radvd's own complaints, if it has any beyond the lifetimes it finds short.
grep -v -e 'version .* started' -e 'would allow stale' "$tmp/radvd.log" >&2 || true

echo "== 2. rdnssd's resolv.conf"
for _ in $(seq 50); do
	grep -q nameserver "$tmp/resolv.conf" 2>/dev/null && break
	sleep 0.2
done
# Sorted: rdnssd orders its servers by expiry, which may fall in different seconds.
sort "$tmp/resolv.conf" 2>&1 || true

echo "== 3. what h configured"
wait_dad h
ip -n h -6 addr show dev vh | aged
ip -n h -6 route show | aged
echo "mtu $(ip netns exec h cat /proc/sys/net/ipv6/conf/vh/mtu)"
echo "rdisc6:"
rc=0
out=$(ip netns exec h rdisc6 -1 -w 5000 -r 2 vh 2>&1) || rc=$?
sed 's/^/  /' <<<"$out"
[ "$rc" = 0 ] || echo "[exit $rc]"
cleanup

echo "== 4. advertisements written byte by byte"
# ra.py IFACE SRCMAC KIND... sends an RA of each KIND to ff02::1 from
# fe80::5054:ff:fe00:1d01 on an AF_PACKET socket (scapy takes seconds to start under
# emulation): "all" (options of every kind), "bad-slla" (a source link-layer address
# option of the wrong size, an RDNSS and a prefix), "end" (the listener's sentinel, an
# RDNSS option of lifetime 0).
cat >"$tmp/ra.py" <<'PY'
import socket, struct, sys
iface, mac = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
src = bytes.fromhex("fe80000000000000505400fffe001d01")
dst = bytes.fromhex("ff020000000000000000000000000001")
def o(kind, body):
    assert (len(body) + 2) % 8 == 0, kind
    return bytes([kind, (len(body) + 2) // 8]) + body
a = lambda s: socket.inet_pton(socket.AF_INET6, s)
slla = o(1, mac)
mtu = o(5, bytes(2) + struct.pack(">I", 1400))
pio = o(3, bytes([64, 0xc0]) + struct.pack(">III", 3600, 1800, 0) + a("2001:db8:2::"))
rio = o(24, bytes([48, 0x08]) + struct.pack(">I", 600) + a("2001:db8:e::")[:8])
rdnss = lambda addr, lft: o(25, bytes(2) + struct.pack(">I", lft) + a(addr))
dnssl = o(31, bytes(2) + struct.pack(">I", 600) + b"\x07example\x03net\x00" + bytes(3))
pref64 = o(38, struct.pack(">H", (600 // 8) << 3 | 1) + a("64:ff9b::")[:12])
portal = o(37, b"https://portal.example/" + bytes(7))
sixco = o(34, bytes([64, 0x11]) + struct.pack(">HH", 0, 600) + a("2001:db8:3::")[:8])
unknown = o(99, bytes(6))
ras = {
    "all": slla + pref64 + unknown + rdnss("2001:db8::53", 900) + pio + mtu + portal
    + rio + sixco + dnssl + rdnss("2001:db8::54", 900),
    "bad-slla": o(1, mac + bytes(8)) + rdnss("2001:db8::55", 900) + pio,
    "end": rdnss("2001:db8::ff", 0),
}
def csum(b):
    b += bytes(len(b) % 2)
    s = sum(struct.unpack(f">{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
sk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sk.bind((iface, 0x86DD))
for kind in sys.argv[3:]:
    icmp = bytes([134, 0, 0, 0, 64, 0, 0, 0]) + bytes(8) + ras[kind]
    pseudo = src + dst + struct.pack(">I3xB", len(icmp), 58)
    icmp = icmp[:2] + struct.pack(">H", csum(pseudo + icmp)) + icmp[4:]
    ip6 = struct.pack(">IHBB", 6 << 28, len(icmp), 58, 255) + src + dst
    sk.send(bytes.fromhex("333300000001") + mac + b"\x86\xdd" + ip6 + icmp)
PY
# Host q: q1 accepts RAs, q2 does not; both linked to sender namespace s.
ip netns add q
ip netns add s
ip -n q link set lo up
for i in 1 2; do
	ip link add q$i netns q address 52:54:00:00:1c:0$i type veth \
		peer name s$i netns s address 52:54:00:00:1d:0$i
	ip -n s link set s$i up
done
ip netns exec q sysctl -qw net.ipv6.conf.q2.accept_ra=0
ip -n q link set q1 up
ip -n q link set q2 up
wait_dad q s
stop=sentinel listen q q1="$(ifindex q q1)" q2="$(ifindex q q2)"
ip netns exec q rdnssd -f -u root -r "$tmp/resolv.q" -p "$tmp/rdnssd.q.pid" \
	>"$tmp/rdnssd.q.log" 2>&1 &
rdnssd=$!
subscribed q 2
echo "to q2 (accept_ra=0): all; to q1: bad-slla, all, end"
ip netns exec s python3 "$tmp/ra.py" s2 52:54:00:00:1d:02 all
ip netns exec s python3 "$tmp/ra.py" s1 52:54:00:00:1d:01 bad-slla all end
heard
echo "rdnssd's resolv.conf:"
for _ in $(seq 50); do
	grep -q nameserver "$tmp/resolv.q" 2>/dev/null && break
	sleep 0.2
done
sort "$tmp/resolv.q" 2>&1 || true
cleanup
wait_dad q
ip -n q -6 addr show scope global | aged
ip -n q -6 route show | aged
