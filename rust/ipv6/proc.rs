// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/snmp6` and `/proc/net/dev_snmp6/<dev>` (mainline `net/ipv6/proc.c`): the
//! namespace's and each device's IPv6, ICMPv6 and UDP counters, in mainline's format
//! (`%-32s\t%lu` per line, the same names in the same order).

#![forbid(unsafe_code)]

use crate::net::{
    mib::{Mibs, SNMP6_ICMP6, SNMP6_IP6, SNMP6_UDP},
    procfs::{DevMibsShow, Seq, SeqShow},
};

/// `icmp6type2name`: ICMPv6 types with RFC 2466 names.
const ICMP6_NAMES: &[(u8, &str)] = &[
    (1, "DestUnreachs"),
    (2, "PktTooBigs"),
    (3, "TimeExcds"),
    (4, "ParmProblems"),
    (128, "Echos"),
    (129, "EchoReplies"),
    (130, "GroupMembQueries"),
    (131, "GroupMembResponses"),
    (132, "GroupMembReductions"),
    (133, "RouterSolicits"),
    (134, "RouterAdvertisements"),
    (135, "NeighborSolicits"),
    (136, "NeighborAdvertisements"),
    (137, "Redirects"),
    (143, "MLDv2Reports"),
];

/// One `name<pad to 32>\tvalue` line.
fn item(seq: &mut Seq<'_>, name: core::fmt::Arguments<'_>, v: u64) {
    let mut n = NameBuf::default();
    let _ = core::fmt::write(&mut n, name);
    let s = core::str::from_utf8(&n.buf[..n.len]).unwrap_or("?");
    seq.line(format_args!("{:<32}\t{}\n", s, v));
}

#[derive(Default)]
struct NameBuf {
    buf: [u8; 32],
    len: usize,
}

impl core::fmt::Write for NameBuf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// Prints the counter sets of `m`.
fn show(seq: &mut Seq<'_>, m: &Mibs<'_>, device: bool) {
    if device {
        seq.line(format_args!("{:<32}\t{}\n", "ifIndex", m.ifindex()));
    }
    for &(name, f) in SNMP6_IP6 {
        item(seq, format_args!("{name}"), m.ip(f));
    }
    for &(name, f) in SNMP6_ICMP6 {
        item(seq, format_args!("{name}"), m.icmp(f));
    }
    let max = Mibs::icmp_msg_max();
    for i in 0..max {
        let dir = if i & 0x100 != 0 { "Out" } else { "In" };
        if let Some((_, name)) = ICMP6_NAMES.iter().find(|(t, _)| i32::from(*t) == i & 0xff) {
            item(seq, format_args!("Icmp6{dir}{name}"), m.icmp_msg(i));
        }
    }
    for i in 0..max {
        let v = m.icmp_msg(i);
        if v != 0 {
            let dir = if i & 0x100 != 0 { "Out" } else { "In" };
            item(seq, format_args!("Icmp6{dir}Type{}", i & 0xff), v);
        }
    }
    if device {
        return;
    }
    for (prefix, lite) in [("Udp6", false), ("UdpLite6", true)] {
        for &(name, f) in SNMP6_UDP {
            if lite && name == "IgnoredMulti" {
                continue;
            }
            item(seq, format_args!("{prefix}{name}"), m.udp(f, lite));
        }
    }
}

/// `/proc/net/snmp6`.
pub(crate) struct Snmp6;

impl SeqShow for Snmp6 {
    fn show(seq: &mut Seq<'_>) {
        let mibs = seq.net().mibs();
        show(seq, &mibs, false);
    }
}

/// `/proc/net/dev_snmp6/<dev>`.
pub(crate) struct DevSnmp6;

impl DevMibsShow for DevSnmp6 {
    fn show(seq: &mut Seq<'_>, mibs: &Mibs<'_>) {
        show(seq, mibs, true);
    }
}
