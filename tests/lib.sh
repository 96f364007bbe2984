# SPDX-License-Identifier: GPL-2.0
# Helpers for guest tests. Source it: . "$(dirname "$0")/../lib.sh"
# shellcheck shell=bash
#
# A guest test is a script under tests/guest/ that runs as root inside the VM on either
# stack (IPV6RS_STACK is rust or mainline). Its header line `# stacks: ...` says which
# stacks scripts/run-tests runs it on. Exit 0 passes, 77 skips, anything else fails.

set -euo pipefail

STACK=${IPV6RS_STACK:-unknown}

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
info() { echo "# $*"; }

# expect DESCRIPTION CMD...: run CMD, fail the test with DESCRIPTION if it fails.
expect() {
	local what=$1
	shift
	"$@" || fail "$what (command: $*)"
}

# kmemleak_clean: fail if kmemleak reports anything allocated since the VM booted.
# kmemleak reports an object only once it is older than 5 s and two scans in a row found
# it unreferenced and unchanged, hence the wait and the two scans (each takes seconds
# under TCG with KASAN). The runner reuses this result instead of scanning again.
# It runs on VMs that run ipv6_rs (scripts/vm-run boots the others with kmemleak=off);
# what it says goes to stderr, so a compared output is the same on both stacks.
kmemleak_clean() {
	local f=/sys/kernel/debug/kmemleak
	if [ ! -w "$f" ] || grep -qw kmemleak=off /proc/cmdline; then
		info "kmemleak is off in this VM" >&2
		return 0
	fi
	sleep 6
	echo scan >"$f"
	echo scan >"$f"
	: >/run/ipv6rs-kmemleak-scanned
	# debugfs files report size 0: read the report, don't test its size.
	local report
	report=$(cat "$f")
	if [ -n "$report" ]; then
		echo "$report" >&2
		fail "kmemleak reports leaks"
	fi
	info "kmemleak: no leaks" >&2
}

# show CMD...: for ABI tests, print the command, its output and its exit status, and
# carry on whatever the status.
show() {
	local rc=0
	echo "\$ $*"
	"$@" 2>&1 || rc=$?
	echo "[exit $rc]"
}

# probe [--no-strict] MSGTYPE FLAGS HEX: send a raw rtnetlink request, print the answer.
# One nlprobe.py serves all of a shell's probes (a Python start costs a second in the
# guest); it runs in the network namespace of the shell's first probe.
probe() {
	if [ -z "${NLPROBE_PID:-}" ] || [ "$NLPROBE_OWNER" != "$BASHPID" ]; then
		# In a subshell bash warns that the parent's coproc "still exists": it does,
		# but its pipes are closed here. The server reports its errors on stdout.
		{ coproc NLPROBE { exec python3 "$IPV6RS_ROOT/tests/tools/nlprobe.py" --serve; }; } 2>/dev/null
		NLPROBE_OWNER=$BASHPID
	fi
	local answer
	echo "$*" >&"${NLPROBE[1]}"
	IFS= read -r answer <&"${NLPROBE[0]}" || answer="nlprobe.py stopped"
	echo "probe $*: $answer"
}

# peer_result [TIMEOUT]: with `# vm-run: --peer-cmd ...`, wait (default 300 s) for the
# peer VM's command to finish, print its output prefixed with "peer: ", and return its
# exit status.
peer_result() {
	local dir=${IPV6RS_RUN%/*}/peer t=${1:-300}
	while [ ! -s "$dir/rc" ] && [ "$t" -gt 0 ]; do
		sleep 1
		t=$((t - 1))
	done
	[ -s "$dir/rc" ] || { echo "peer: did not finish"; return 124; }
	sed 's/^/peer: /' "$dir/out"
	return "$(cat "$dir/rc")"
}

# ping_until ADDR [SECONDS]: wait (default 120 s) until ADDR answers a ping, for a
# peer VM that boots alongside us. Returns 1 if it never did.
ping_until() {
	local t=${2:-120}
	while [ "$t" -gt 0 ]; do
		ping -6 -c1 -W1 "$1" >/dev/null 2>&1 && return 0
		sleep 1
		t=$((t - 1))
	done
	return 1
}

# Two network namespaces for datapath tests, a and b, joined by a veth pair (va in a,
# vb in b); mask_pair and run_in need ll_a and ll_b set from link_local once DAD is done.

# netns_add NS...: create the namespaces, each with its loopback up.
netns_add() {
	local n
	for n in "$@"; do
		ip netns add "$n"
		ip -n "$n" link set lo up
	done
}

# netns_pair: create a and b with the veth pair, both ends and both loopbacks up.
netns_pair() {
	local n
	ip netns add a
	ip netns add b
	ip link add va netns a type veth peer name vb netns b
	for n in a b; do
		ip -n $n link set lo up
		ip -n $n link set v$n up
	done
}

# wait_dad NS...: wait (up to 30 s) until no address in the namespaces is tentative.
# (The listing is collected first: `grep -q` ending a pipeline early would make the
# listing fail under pipefail and the wait return at once.)
wait_dad() {
	local ns out
	for _ in $(seq 60); do
		out=$(for ns in "$@"; do ip -n "$ns" -6 addr; done)
		grep -q tentative <<<"$out" || return 0
		sleep 0.5
	done
}

# rmmod_wait MODULE: unloads MODULE, retrying for up to 10 s while its last users go
# (namespaces on their way out hold devices for a moment); 1 if it stays.
rmmod_wait() {
	for _ in $(seq 50); do
		rmmod "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	echo "rmmod $1 failed" >&2
	return 1
}

# link_local NS DEV: DEV's link-local address in namespace NS.
link_local() {
	ip -n "$1" -6 addr show dev "$2" scope link | sed -n 's/.*inet6 \(fe80[^/]*\).*/\1/p'
}

# mask_pair: masks ping round-trip times, and $ll_a/$ll_b (from random veth MACs) as
# LL_A/LL_B.
mask_pair() {
	sed -E -e 's/time=[0-9.]+ ms/time=T ms/' -e 's/time [0-9]+ms/time Tms/' \
		-e 's|^rtt .*|rtt T|' -e "s/$ll_a/LL_A/g" -e "s/$ll_b/LL_B/g"
}

# run_in NS CMD...: run CMD in namespace NS and print it, its output (through
# mask_pair) and its exit status.
run_in() {
	local ns=$1 rc=0 out
	shift
	echo "\$ $*" | mask_pair
	out=$(ip netns exec "$ns" "$@" 2>&1) || rc=$?
	mask_pair <<<"$out"
	echo "[exit $rc]"
}

# peer_gre_tunnels: the ip6gre (key 5) and ip6gretap (key 6) tunnels to a peer VM at
# 2001:db8:1::2 over eth0, which set up their other ends in its --peer-cmd
# (2001:db8:96::2 and 10.96.0.2 on g6, 2001:db8:95::2 and 10.95.0.2 on e6, MAC
# 52:54:00:00:e6:02, a UDP echo server on port 7007): ping and a UDP stream through
# each, then both deleted and ip6_gre unloaded. Mainline's ip6_gre.ko at both ends.
peer_gre_tunnels() {
	echo "== ip6gre and ip6gretap tunnels to the peer (mainline's ip6_gre.ko at both ends)"
	modprobe ip6_gre || fail "modprobe ip6_gre"
	ip link add g6 type ip6gre local 2001:db8:1::1 remote 2001:db8:1::2 key 5
	ip -6 addr add 2001:db8:96::1/64 dev g6 nodad
	ip addr add 10.96.0.1/24 dev g6
	ip link set g6 up
	ip link add e6 address 52:54:00:00:e6:01 type ip6gretap local 2001:db8:1::1 remote 2001:db8:1::2 key 6
	ip -6 addr add 2001:db8:95::1/64 dev e6 nodad
	ip addr add 10.95.0.1/24 dev e6
	ip link set e6 up
	expect "ping through an ip6gre tunnel to the peer" ping -6 -c3 -i0.3 -W2 2001:db8:96::2
	expect "IPv4 through the ip6gre tunnel" ping -4 -c3 -i0.3 -W2 10.96.0.2
	expect "1300-byte echoes through the ip6gre tunnel" ping -6 -c2 -i0.3 -W2 -s 1300 2001:db8:96::2
	expect "a UDP stream through the ip6gre tunnel" "$IPV6RS_ROOT/tests/tools/udpecho.py" send 2001:db8:96::2 7007 50 1200
	expect "ping through an ip6gretap tunnel to the peer" ping -6 -c3 -i0.3 -W2 2001:db8:95::2
	expect "IPv4 (ARP) through the ip6gretap tunnel" ping -4 -c3 -i0.3 -W2 10.95.0.2
	expect "a UDP stream through the ip6gretap tunnel" "$IPV6RS_ROOT/tests/tools/udpecho.py" send 2001:db8:95::2 7007 50 1200
	ip -6 neigh show dev e6 2001:db8:95::2 | grep -q 'lladdr 52:54:00:00:e6:02' || fail "the peer's gretap MAC not learnt by ND"
	ip link del e6
	ip link del g6
	rmmod_wait ip6_gre || fail "rmmod ip6_gre"
}
