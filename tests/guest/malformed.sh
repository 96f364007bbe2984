#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stacks: mainline rust
# compare: stdout
# vm-run: --peer-cmd 'ip link set eth0 up && ip -6 addr add 2001:db8:1::2/64 dev eth0 nodad && for i in $(seq 90); do ping -6 -c1 -W1 2001:db8:1::1 >/dev/null 2>&1 && break; sleep 1; done; python3 "$IPV6RS_ROOT/tests/tools/malformed.py" eth0 52:54:00:00:00:01 2001:db8:1::1 2001:db8:1::2'
#
# Malformed and unusual traffic from a mainline peer (scapy, tests/tools/malformed.py):
# truncated and inconsistent headers, multicast and loopback misuse, routing header
# type 0 (RFC 5095), unknown next headers and options (RFC 8200 §4.2), long option
# chains, bad checksums, a neighbour solicitation with the wrong hop limit, fragments
# (in order, out of order, overlapping, duplicated, truncated chains, bad lengths) whose
# reassembled echo requests draw fragmented replies. What comes
# back (ICMPv6 type, code, pointer) and how /proc/net/snmp6 counts it must be mainline's.
. "$(dirname "$0")/../lib.sh"

# Counters the peer's background traffic (ND, MLD, router solicitations, the ping that
# waits for us) leaves alone, so their change is exactly what the cases caused.
counters='Ip6InHdrErrors Ip6InTooBigErrors Ip6InNoRoutes Ip6InAddrErrors Ip6InUnknownProtos
Ip6InTruncatedPkts Ip6InDiscards Ip6ReasmReqds Ip6ReasmOKs Ip6ReasmFails Icmp6InErrors
Icmp6InCsumErrors Icmp6OutErrors Icmp6OutRateLimitHost Icmp6OutDestUnreachs
Icmp6OutParmProblems Icmp6OutTimeExcds Ip6FragOKs Ip6FragFails Ip6FragCreates Ip6ReasmTimeout'
snap() { awk -v want="$counters" 'BEGIN { n = split(want, w); for (i = 1; i <= n; i++) keep[w[i]] = 1 }
	keep[$1] { print $1, $2 }' /proc/net/snmp6; }

ip link set eth0 up
ip -6 addr add 2001:db8:1::1/64 dev eth0 nodad
# Incomplete datagrams expire after 3 s instead of 60.
sysctl -qw net.ipv6.ip6frag_time=3
snap >/tmp/before
peer_result 400 | sed 's/^peer: *//' || fail "the peer's scapy run failed"
snap >/tmp/after
echo "== counter changes"
join /tmp/before /tmp/after | awk '$3 != $2 { print $1, "+" ($3 - $2) }'
