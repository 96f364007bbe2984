// SPDX-License-Identifier: GPL-2.0

//! SNMP counter indices of the kernel's MIBs (`include/uapi/linux/snmp.h`).

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
    pub(crate) const FRAGOKS: u32 = bindings::IPSTATS_MIB_FRAGOKS;
    pub(crate) const FRAGFAILS: u32 = bindings::IPSTATS_MIB_FRAGFAILS;
    pub(crate) const FRAGCREATES: u32 = bindings::IPSTATS_MIB_FRAGCREATES;
    pub(crate) const INNOROUTES: u32 = bindings::IPSTATS_MIB_INNOROUTES;
    pub(crate) const INTOOBIGERRORS: u32 = bindings::IPSTATS_MIB_INTOOBIGERRORS;
    pub(crate) const OUTFORWDATAGRAMS: u32 = bindings::IPSTATS_MIB_OUTFORWDATAGRAMS;
    pub(crate) const OUTDISCARDS: u32 = bindings::IPSTATS_MIB_OUTDISCARDS;
}
