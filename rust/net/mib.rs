// SPDX-License-Identifier: GPL-2.0

//! SNMP counter indices of the kernel's MIBs (`include/uapi/linux/snmp.h`), and the
//! counters of a namespace or a device.

use crate::bindings;

/// `IPSTATS_MIB_*` counters (`include/uapi/linux/snmp.h`).
pub(crate) mod ip {
    use crate::bindings;
    pub(crate) const INPKTS: u32 = bindings::IPSTATS_MIB_INPKTS;
    pub(crate) const INOCTETS: u32 = bindings::IPSTATS_MIB_INOCTETS;
    pub(crate) const INDELIVERS: u32 = bindings::IPSTATS_MIB_INDELIVERS;
    pub(crate) const INHDRERRORS: u32 = bindings::IPSTATS_MIB_INHDRERRORS;
    pub(crate) const INTRUNCATEDPKTS: u32 = bindings::IPSTATS_MIB_INTRUNCATEDPKTS;
    pub(crate) const INADDRERRORS: u32 = bindings::IPSTATS_MIB_INADDRERRORS;
    pub(crate) const INUNKNOWNPROTOS: u32 = bindings::IPSTATS_MIB_INUNKNOWNPROTOS;
    pub(crate) const INDISCARDS: u32 = bindings::IPSTATS_MIB_INDISCARDS;
    pub(crate) const INMCASTPKTS: u32 = bindings::IPSTATS_MIB_INMCASTPKTS;
    pub(crate) const INMCASTOCTETS: u32 = bindings::IPSTATS_MIB_INMCASTOCTETS;
    pub(crate) const NOECTPKTS: u32 = bindings::IPSTATS_MIB_NOECTPKTS;
    pub(crate) const OUTREQUESTS: u32 = bindings::IPSTATS_MIB_OUTREQUESTS;
    pub(crate) const OUTPKTS: u32 = bindings::IPSTATS_MIB_OUTPKTS;
    pub(crate) const OUTOCTETS: u32 = bindings::IPSTATS_MIB_OUTOCTETS;
    pub(crate) const OUTMCASTPKTS: u32 = bindings::IPSTATS_MIB_OUTMCASTPKTS;
    pub(crate) const OUTMCASTOCTETS: u32 = bindings::IPSTATS_MIB_OUTMCASTOCTETS;
    pub(crate) const OUTNOROUTES: u32 = bindings::IPSTATS_MIB_OUTNOROUTES;
    pub(crate) const REASMREQDS: u32 = bindings::IPSTATS_MIB_REASMREQDS;
    pub(crate) const REASMOKS: u32 = bindings::IPSTATS_MIB_REASMOKS;
    pub(crate) const REASMFAILS: u32 = bindings::IPSTATS_MIB_REASMFAILS;
    pub(crate) const REASM_OVERLAPS: u32 = bindings::IPSTATS_MIB_REASM_OVERLAPS;
    pub(crate) const FRAGOKS: u32 = bindings::IPSTATS_MIB_FRAGOKS;
    pub(crate) const FRAGFAILS: u32 = bindings::IPSTATS_MIB_FRAGFAILS;
    pub(crate) const FRAGCREATES: u32 = bindings::IPSTATS_MIB_FRAGCREATES;
    pub(crate) const INNOROUTES: u32 = bindings::IPSTATS_MIB_INNOROUTES;
    pub(crate) const INTOOBIGERRORS: u32 = bindings::IPSTATS_MIB_INTOOBIGERRORS;
    pub(crate) const OUTFORWDATAGRAMS: u32 = bindings::IPSTATS_MIB_OUTFORWDATAGRAMS;
    pub(crate) const OUTDISCARDS: u32 = bindings::IPSTATS_MIB_OUTDISCARDS;
}

/// `ICMP6_MIB_*` counters (`include/uapi/linux/snmp.h`).
pub(crate) mod icmp {
    use crate::bindings;
    pub(crate) const INMSGS: u32 = bindings::ICMP6_MIB_INMSGS;
    pub(crate) const INERRORS: u32 = bindings::ICMP6_MIB_INERRORS;
    pub(crate) const CSUMERRORS: u32 = bindings::ICMP6_MIB_CSUMERRORS;
    pub(crate) const OUTMSGS: u32 = bindings::ICMP6_MIB_OUTMSGS;
    pub(crate) const RATELIMITHOST: u32 = bindings::ICMP6_MIB_RATELIMITHOST;
}

use crate::net::netns::Net;
use core::{ffi::c_int, marker::PhantomData};

/// The counters of a namespace or a device (`struct ipv6_rs_mibs`): per-cpu MIBs,
/// summed when read.
///
/// # Invariants
/// The pointers are the namespace's or the device's MIBs, which live at least as long
/// as `'a` (the namespace, or the inet6_dev of a dev_snmp6 file being read).
pub(crate) struct Mibs<'a> {
    m: bindings::ipv6_rs_mibs,
    _owner: PhantomData<&'a ()>,
}

impl<'a> Mibs<'a> {
    /// # Safety
    /// `idev` must be a live inet6_dev for `'a`.
    pub(crate) unsafe fn of_idev(idev: *mut bindings::inet6_dev) -> Self {
        let mut m = bindings::ipv6_rs_mibs::default();
        // SAFETY: the caller's live inet6_dev.
        unsafe { bindings::ipv6_rs_idev_mibs_get(idev, &mut m) };
        Self {
            m,
            _owner: PhantomData,
        }
    }

    /// The device's index (device MIBs only).
    pub(crate) fn ifindex(&self) -> i32 {
        self.m.ifindex
    }

    /// An `IPSTATS_MIB_*` counter.
    pub(crate) fn ip(&self, field: u32) -> u64 {
        // SAFETY: a live per-cpu ipstats_mib (type invariant).
        unsafe { bindings::ipv6_rs_fold_ip(self.m.ip, field as c_int) }
    }

    /// An `ICMP6_MIB_*` counter.
    pub(crate) fn icmp(&self, field: u32) -> u64 {
        // SAFETY: one of the two is set, and live (type invariant).
        (unsafe {
            if self.m.icmp.is_null() {
                bindings::ipv6_rs_atomic_long_at(self.m.icmp_atomic, field as c_int)
            } else {
                bindings::ipv6_rs_fold(self.m.icmp, field as c_int)
            }
        }) as u64
    }

    /// `ICMP6MSG_MIB_MAX`: the per-type counters, 256 in and 256 out.
    pub(crate) fn icmp_msg_max() -> i32 {
        // SAFETY: a constant.
        unsafe { bindings::ipv6_rs_icmp6msg_max() }
    }

    /// Per-type ICMPv6 counter `i` (bit 8: out).
    pub(crate) fn icmp_msg(&self, i: i32) -> u64 {
        if !(0..Self::icmp_msg_max()).contains(&i) {
            return 0;
        }
        // SAFETY: `icmpmsg` has ICMP6MSG_MIB_MAX live counters (type invariant).
        (unsafe { bindings::ipv6_rs_atomic_long_at(self.m.icmpmsg, i) }) as u64
    }

    /// A `UDP_MIB_*` counter of UDP (or, `lite`, UDP-Lite); namespace MIBs only.
    pub(crate) fn udp(&self, field: u32, lite: bool) -> u64 {
        let mib = if lite { self.m.udplite } else { self.m.udp };
        if mib.is_null() {
            return 0;
        }
        // SAFETY: the namespace's live per-cpu UDP MIB (type invariant).
        (unsafe { bindings::ipv6_rs_fold(mib, field as c_int) }) as u64
    }
}

impl Net {
    /// The namespace's counters.
    pub(crate) fn mibs(&self) -> Mibs<'_> {
        let mut m = bindings::ipv6_rs_mibs::default();
        // SAFETY: a live namespace, whose MIBs our state keeps.
        unsafe { bindings::ipv6_rs_net_mibs_get(self.as_ptr(), &mut m) };
        Mibs {
            m,
            _owner: PhantomData,
        }
    }
}

/// The lines of `/proc/net/snmp6` (and `dev_snmp6`) with the counter each shows:
/// mainline's `snmp6_ipstats_list`, `snmp6_icmp6_list`, `snmp6_udp6_list`.
/// `snmp6_ipstats_list`.
pub(crate) const SNMP6_IP6: &[(&str, u32)] = &[
    ("Ip6InReceives", bindings::IPSTATS_MIB_INPKTS),
    ("Ip6InHdrErrors", bindings::IPSTATS_MIB_INHDRERRORS),
    ("Ip6InTooBigErrors", bindings::IPSTATS_MIB_INTOOBIGERRORS),
    ("Ip6InNoRoutes", bindings::IPSTATS_MIB_INNOROUTES),
    ("Ip6InAddrErrors", bindings::IPSTATS_MIB_INADDRERRORS),
    ("Ip6InUnknownProtos", bindings::IPSTATS_MIB_INUNKNOWNPROTOS),
    ("Ip6InTruncatedPkts", bindings::IPSTATS_MIB_INTRUNCATEDPKTS),
    ("Ip6InDiscards", bindings::IPSTATS_MIB_INDISCARDS),
    ("Ip6InDelivers", bindings::IPSTATS_MIB_INDELIVERS),
    (
        "Ip6OutForwDatagrams",
        bindings::IPSTATS_MIB_OUTFORWDATAGRAMS,
    ),
    ("Ip6OutRequests", bindings::IPSTATS_MIB_OUTREQUESTS),
    ("Ip6OutDiscards", bindings::IPSTATS_MIB_OUTDISCARDS),
    ("Ip6OutNoRoutes", bindings::IPSTATS_MIB_OUTNOROUTES),
    ("Ip6ReasmTimeout", bindings::IPSTATS_MIB_REASMTIMEOUT),
    ("Ip6ReasmReqds", bindings::IPSTATS_MIB_REASMREQDS),
    ("Ip6ReasmOKs", bindings::IPSTATS_MIB_REASMOKS),
    ("Ip6ReasmFails", bindings::IPSTATS_MIB_REASMFAILS),
    ("Ip6FragOKs", bindings::IPSTATS_MIB_FRAGOKS),
    ("Ip6FragFails", bindings::IPSTATS_MIB_FRAGFAILS),
    ("Ip6FragCreates", bindings::IPSTATS_MIB_FRAGCREATES),
    ("Ip6InMcastPkts", bindings::IPSTATS_MIB_INMCASTPKTS),
    ("Ip6OutMcastPkts", bindings::IPSTATS_MIB_OUTMCASTPKTS),
    ("Ip6InOctets", bindings::IPSTATS_MIB_INOCTETS),
    ("Ip6OutOctets", bindings::IPSTATS_MIB_OUTOCTETS),
    ("Ip6InMcastOctets", bindings::IPSTATS_MIB_INMCASTOCTETS),
    ("Ip6OutMcastOctets", bindings::IPSTATS_MIB_OUTMCASTOCTETS),
    ("Ip6InBcastOctets", bindings::IPSTATS_MIB_INBCASTOCTETS),
    ("Ip6OutBcastOctets", bindings::IPSTATS_MIB_OUTBCASTOCTETS),
    ("Ip6InNoECTPkts", bindings::IPSTATS_MIB_NOECTPKTS),
    ("Ip6InECT1Pkts", bindings::IPSTATS_MIB_ECT1PKTS),
    ("Ip6InECT0Pkts", bindings::IPSTATS_MIB_ECT0PKTS),
    ("Ip6InCEPkts", bindings::IPSTATS_MIB_CEPKTS),
    ("Ip6OutTransmits", bindings::IPSTATS_MIB_OUTPKTS),
];

/// `snmp6_icmp6_list`.
pub(crate) const SNMP6_ICMP6: &[(&str, u32)] = &[
    ("Icmp6InMsgs", bindings::ICMP6_MIB_INMSGS),
    ("Icmp6InErrors", bindings::ICMP6_MIB_INERRORS),
    ("Icmp6OutMsgs", bindings::ICMP6_MIB_OUTMSGS),
    ("Icmp6OutErrors", bindings::ICMP6_MIB_OUTERRORS),
    ("Icmp6InCsumErrors", bindings::ICMP6_MIB_CSUMERRORS),
    ("Icmp6OutRateLimitHost", bindings::ICMP6_MIB_RATELIMITHOST),
];

/// `snmp6_udp6_list` entries, without their `Udp6`/`UdpLite6` prefix.
pub(crate) const SNMP6_UDP: &[(&str, u32)] = &[
    ("InDatagrams", bindings::UDP_MIB_INDATAGRAMS),
    ("NoPorts", bindings::UDP_MIB_NOPORTS),
    ("InErrors", bindings::UDP_MIB_INERRORS),
    ("OutDatagrams", bindings::UDP_MIB_OUTDATAGRAMS),
    ("RcvbufErrors", bindings::UDP_MIB_RCVBUFERRORS),
    ("SndbufErrors", bindings::UDP_MIB_SNDBUFERRORS),
    ("InCsumErrors", bindings::UDP_MIB_CSUMERRORS),
    ("IgnoredMulti", bindings::UDP_MIB_IGNOREDMULTI),
    ("MemErrors", bindings::UDP_MIB_MEMERRORS),
];
