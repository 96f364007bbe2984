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
kmemleak_clean() {
	local f=/sys/kernel/debug/kmemleak
	[ -w "$f" ] || { info "kmemleak not available in this kernel"; return 0; }
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
	info "kmemleak: no leaks"
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
probe() {
	echo "probe $*: $(python3 "$IPV6RS_ROOT/tests/tools/nlprobe.py" "$@")"
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
