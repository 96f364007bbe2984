// SPDX-License-Identifier: GPL-2.0

//! `/proc/net/snmp6` and `/proc/net/dev_snmp6/<dev>` (mainline `net/ipv6/proc.c`): the
//! namespace's and each device's IPv6, ICMPv6 and UDP counters, in mainline's format
//! (`%-32s\t%lu` per line, the same names in the same order).

use crate::bindings as b;
use crate::net::procfs::Seq;
use kernel::{ffi::c_int, ffi::c_void, prelude::*};

/// `snmp6_ipstats_list`.
const IP6: &[(&str, u32)] = &[
    ("Ip6InReceives", b::IPSTATS_MIB_INPKTS),
    ("Ip6InHdrErrors", b::IPSTATS_MIB_INHDRERRORS),
    ("Ip6InTooBigErrors", b::IPSTATS_MIB_INTOOBIGERRORS),
    ("Ip6InNoRoutes", b::IPSTATS_MIB_INNOROUTES),
    ("Ip6InAddrErrors", b::IPSTATS_MIB_INADDRERRORS),
    ("Ip6InUnknownProtos", b::IPSTATS_MIB_INUNKNOWNPROTOS),
    ("Ip6InTruncatedPkts", b::IPSTATS_MIB_INTRUNCATEDPKTS),
    ("Ip6InDiscards", b::IPSTATS_MIB_INDISCARDS),
    ("Ip6InDelivers", b::IPSTATS_MIB_INDELIVERS),
    ("Ip6OutForwDatagrams", b::IPSTATS_MIB_OUTFORWDATAGRAMS),
    ("Ip6OutRequests", b::IPSTATS_MIB_OUTREQUESTS),
    ("Ip6OutDiscards", b::IPSTATS_MIB_OUTDISCARDS),
    ("Ip6OutNoRoutes", b::IPSTATS_MIB_OUTNOROUTES),
    ("Ip6ReasmTimeout", b::IPSTATS_MIB_REASMTIMEOUT),
    ("Ip6ReasmReqds", b::IPSTATS_MIB_REASMREQDS),
    ("Ip6ReasmOKs", b::IPSTATS_MIB_REASMOKS),
    ("Ip6ReasmFails", b::IPSTATS_MIB_REASMFAILS),
    ("Ip6FragOKs", b::IPSTATS_MIB_FRAGOKS),
    ("Ip6FragFails", b::IPSTATS_MIB_FRAGFAILS),
    ("Ip6FragCreates", b::IPSTATS_MIB_FRAGCREATES),
    ("Ip6InMcastPkts", b::IPSTATS_MIB_INMCASTPKTS),
    ("Ip6OutMcastPkts", b::IPSTATS_MIB_OUTMCASTPKTS),
    ("Ip6InOctets", b::IPSTATS_MIB_INOCTETS),
    ("Ip6OutOctets", b::IPSTATS_MIB_OUTOCTETS),
    ("Ip6InMcastOctets", b::IPSTATS_MIB_INMCASTOCTETS),
    ("Ip6OutMcastOctets", b::IPSTATS_MIB_OUTMCASTOCTETS),
    ("Ip6InBcastOctets", b::IPSTATS_MIB_INBCASTOCTETS),
    ("Ip6OutBcastOctets", b::IPSTATS_MIB_OUTBCASTOCTETS),
    ("Ip6InNoECTPkts", b::IPSTATS_MIB_NOECTPKTS),
    ("Ip6InECT1Pkts", b::IPSTATS_MIB_ECT1PKTS),
    ("Ip6InECT0Pkts", b::IPSTATS_MIB_ECT0PKTS),
    ("Ip6InCEPkts", b::IPSTATS_MIB_CEPKTS),
    ("Ip6OutTransmits", b::IPSTATS_MIB_OUTPKTS),
];

/// `snmp6_icmp6_list`.
const ICMP6: &[(&str, u32)] = &[
    ("Icmp6InMsgs", b::ICMP6_MIB_INMSGS),
    ("Icmp6InErrors", b::ICMP6_MIB_INERRORS),
    ("Icmp6OutMsgs", b::ICMP6_MIB_OUTMSGS),
    ("Icmp6OutErrors", b::ICMP6_MIB_OUTERRORS),
    ("Icmp6InCsumErrors", b::ICMP6_MIB_CSUMERRORS),
    ("Icmp6OutRateLimitHost", b::ICMP6_MIB_RATELIMITHOST),
];

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

/// `snmp6_udp6_list` entries, without their `Udp6`/`UdpLite6` prefix.
const UDP: &[(&str, u32)] = &[
    ("InDatagrams", b::UDP_MIB_INDATAGRAMS),
    ("NoPorts", b::UDP_MIB_NOPORTS),
    ("InErrors", b::UDP_MIB_INERRORS),
    ("OutDatagrams", b::UDP_MIB_OUTDATAGRAMS),
    ("RcvbufErrors", b::UDP_MIB_RCVBUFERRORS),
    ("SndbufErrors", b::UDP_MIB_SNDBUFERRORS),
    ("InCsumErrors", b::UDP_MIB_CSUMERRORS),
    ("IgnoredMulti", b::UDP_MIB_IGNOREDMULTI),
    ("MemErrors", b::UDP_MIB_MEMERRORS),
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
fn show(seq: &mut Seq<'_>, m: &b::ipv6_rs_mibs, device: bool) {
    if device {
        seq.line(format_args!("{:<32}\t{}\n", "ifIndex", m.ifindex));
    }
    for &(name, f) in IP6 {
        // SAFETY: `m.ip` is a live per-cpu ipstats_mib (namespace or device).
        let v = unsafe { b::ipv6_rs_fold_ip(m.ip, f as c_int) };
        item(seq, format_args!("{name}"), v);
    }
    for &(name, f) in ICMP6 {
        // SAFETY: one of the two is set, and live.
        let v = unsafe {
            if m.icmp.is_null() {
                b::ipv6_rs_atomic_long_at(m.icmp_atomic, f as c_int)
            } else {
                b::ipv6_rs_fold(m.icmp, f as c_int)
            }
        };
        item(seq, format_args!("{name}"), v as u64);
    }
    // SAFETY: constant.
    let max = unsafe { b::ipv6_rs_icmp6msg_max() };
    // SAFETY: `icmpmsg` has `max` live counters.
    let msg = |i: c_int| unsafe { b::ipv6_rs_atomic_long_at(m.icmpmsg, i) } as u64;
    for i in 0..max {
        let dir = if i & 0x100 != 0 { "Out" } else { "In" };
        if let Some((_, name)) = ICMP6_NAMES
            .iter()
            .find(|(t, _)| c_int::from(*t) == i & 0xff)
        {
            item(seq, format_args!("Icmp6{dir}{name}"), msg(i));
        }
    }
    for i in 0..max {
        let v = msg(i);
        if v != 0 {
            let dir = if i & 0x100 != 0 { "Out" } else { "In" };
            item(seq, format_args!("Icmp6{dir}Type{}", i & 0xff), v);
        }
    }
    if device {
        return;
    }
    for (prefix, mib) in [("Udp6", m.udp), ("UdpLite6", m.udplite)] {
        for &(name, f) in UDP {
            if prefix == "UdpLite6" && name == "IgnoredMulti" {
                continue;
            }
            // SAFETY: live per-cpu UDP MIB of the namespace.
            let v = unsafe { b::ipv6_rs_fold(mib, f as c_int) };
            item(seq, format_args!("{prefix}{name}"), v as u64);
        }
    }
}

/// `show` of `/proc/net/snmp6`.
pub(crate) unsafe extern "C" fn snmp6_show(m: *mut b::seq_file, _v: *mut c_void) -> c_int {
    // SAFETY: procfs passes the file's live seq_file.
    let mut seq = unsafe { Seq::from_raw(m) };
    let mut mibs = b::ipv6_rs_mibs::default();
    // SAFETY: the file exists only while our per-namespace state (and MIBs) does.
    unsafe { b::ipv6_rs_net_mibs_get(seq.net().as_ptr(), &mut mibs) };
    show(&mut seq, &mibs, false);
    0
}

/// `show` of `/proc/net/dev_snmp6/<dev>`.
unsafe extern "C" fn dev_snmp6_show(m: *mut b::seq_file, _v: *mut c_void) -> c_int {
    // SAFETY: procfs passes the file's live seq_file.
    let mut seq = unsafe { Seq::from_raw(m) };
    // SAFETY: the file's private data is its inet6_dev, alive until the file is removed
    // (which waits for readers like us).
    let idev = unsafe { b::ipv6_rs_seq_private(m) }.cast::<b::inet6_dev>();
    let mut mibs = b::ipv6_rs_mibs::default();
    // SAFETY: as above.
    unsafe { b::ipv6_rs_idev_mibs_get(idev, &mut mibs) };
    show(&mut seq, &mibs, true);
    0
}

/// Adds `/proc/net/dev_snmp6/<dev>` for a device's new inet6_dev. Under RTNL.
pub(crate) fn dev_add(idev: *mut b::inet6_dev) {
    // SAFETY: live inet6_dev under RTNL; removed by `dev_remove` before it is released.
    let rc = unsafe { b::ipv6_rs_proc_dev_snmp6_add(idev, Some(dev_snmp6_show)) };
    if rc != 0 {
        pr_warn!("cannot create /proc/net/dev_snmp6 entry: {}\n", rc);
    }
}

/// Removes a device's `/proc/net/dev_snmp6/<dev>`. Under RTNL.
pub(crate) fn dev_remove(idev: *mut b::inet6_dev) {
    // SAFETY: live inet6_dev under RTNL.
    unsafe { b::ipv6_rs_proc_dev_snmp6_remove(idev) };
}
