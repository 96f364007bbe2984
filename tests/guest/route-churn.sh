#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
#
# Lookups while the table changes under them, on both vCPUs. A program sends UDP to
# random destinations (each sendto() looks its route up) while ip -batch adds,
# replaces and deletes thousands of routes beside the ones it aims at:
#   fd00:ffff::/32  blackhole, never touched: every send fails EINVAL;
#   fd00::/16       unreachable, never touched: EHOSTUNREACH, unless
#   fd00:0:N::/48   prohibit (EACCES), or unreachable again after a replace, comes
#                   and goes, with /64 and /128 routes under it.
# Any other answer (ENETUNREACH: the /16 looked gone) means a lookup saw a broken table.
# ipv6_rs reads its tables under RCU while the writer runs; the debug kernel's KASAN
# and lockdep watch, and the runner fails on any splat.
. "$(dirname "$0")/../lib.sh"

ip link set lo up
ip -6 route add blackhole fd00:ffff::/32
ip -6 route add unreachable fd00::/16

# batch ROUND VERB: ip -batch lines for 1500 routes under fd00:0:N::/48.
batch() {
	awk -v r="$1" -v verb="$2" 'BEGIN {
		for (i = 0; i < 500; i++) {
			n = (i * 7 + r * 131) % 4096
			printf "route %s prohibit fd00:0:%x::/48\n", verb, n
			printf "route %s prohibit fd00:0:%x:%x::/64\n", verb, n, r % 16
			printf "route %s prohibit fd00:0:%x::%x/128\n", verb, n, r + 1
		}
	}'
}

stop=/tmp/route-churn.stop
rm -f "$stop"
/usr/bin/python3 - "$stop" >/tmp/route-churn.out <<'PY' &
import errno, os, random, socket, sys, time
stop = sys.argv[1]
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
seen = {"blackhole": {}, "churned": {}}
rnd = random.Random(1)
n = 0
while not os.path.exists(stop) or n < 2000:
    if rnd.random() < 0.2:
        kind, dst = "blackhole", "fd00:ffff:%x::1" % rnd.randrange(65536)
    else:
        kind, dst = "churned", "fd00:0:%x::%x" % (rnd.randrange(4096), rnd.randrange(1, 64))
    try:
        s.sendto(b"x", (dst, 9))
        err = "sent"
    except OSError as e:
        err = errno.errorcode.get(e.errno, str(e.errno))
    seen[kind][err] = seen[kind].get(err, 0) + 1
    n += 1
    # The vCPUs take turns on one host thread: a reader that never sleeps halves the
    # writer's speed. Thousands of lookups still fall inside the writer's batches.
    time.sleep(0.005)
for kind in ("blackhole", "churned"):
    print(kind, " ".join(sorted(seen[kind])))
PY
reader=$!

for r in $(seq 0 11); do
	batch "$r" add | ip -6 -batch -
	# Half of them become unreachable in place (a replacement), then all go.
	batch "$r" replace | sed -n '1~2s/prohibit/unreachable/p' | ip -6 -batch -
	batch "$r" del | sed 's/ prohibit / /' | ip -6 -batch -
done
: >"$stop"
wait "$reader"

# The blackhole only ever answers EINVAL; the churned space only EACCES (prohibit) or
# EHOSTUNREACH (unreachable, or the /16 under it).
want_b="blackhole EINVAL"
want_c="churned EACCES EHOSTUNREACH"
out=$(cat /tmp/route-churn.out)
echo "$out"
grep -qx "$want_b" <<<"$out" || fail "blackhole lookups: $(grep blackhole <<<"$out")"
grep -qx "$want_c" <<<"$out" || fail "churned lookups: $(grep churned <<<"$out")"

# What stays: the two routes.
ip -6 route show | grep fd00
kmemleak_clean
