// SPDX-License-Identifier: GPL-2.0

//! MLDv2 source filters (RFC 3810 source-specific multicast) as mainline's
//! `net/ipv6/mcast.c` keeps them: a socket's filter on a group (`MCAST_INCLUDE` or
//! `MCAST_EXCLUDE` with a source list), a device group's merged state (per-source
//! include and exclude counts, the group's filter mode), the records a report carries
//! and the sources a group-and-source-specific query marks.
//!
//! The lists stay where the caller keeps them (the kernel's `ip6_sf_list` chains of a
//! group, `mca_sources` and the deleted sources still to report, `mca_tomb`): the
//! decisions here reach them through [`SrcList`], in mainline's order.

use crate::errno::{EADDRNOTAVAIL, EINVAL, ENOBUFS};
use crate::mld::{kind, maf, rec, GREC_LEN, V2_REPORT_HDR};
use core::net::Ipv6Addr;

/// Filter mode exclude (`MCAST_EXCLUDE`), the index of exclude counts.
pub const MCAST_EXCLUDE: u32 = 0;
/// Filter mode include (`MCAST_INCLUDE`).
pub const MCAST_INCLUDE: u32 = 1;

/// `ESRCH`: a source (or group) the device's state does not have.
pub const ESRCH: i32 = 3;

/// `IPV6_MLD_MAX_MSF`, `net.ipv6.mld_max_msf`'s default.
pub const MAX_MSF_DEFAULT: i32 = 64;

/// One source of a device group (`struct ip6_sf_list`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Src {
    /// The source address.
    pub addr: Ipv6Addr,
    /// Filters including it, filters excluding it (`sf_count[]`).
    pub count: [u64; 2],
    /// Asked for by a group-and-source-specific query (`sf_gsresp`).
    pub gsresp: bool,
    /// Was listened to before the change being made (`sf_oldin`).
    pub oldin: bool,
    /// Change reports left to carry it (`sf_crcount`).
    pub crcount: u8,
}

impl Src {
    /// A new source with no filters.
    pub fn new(addr: Ipv6Addr) -> Self {
        Self {
            addr,
            count: [0; 2],
            gsresp: false,
            oldin: false,
            crcount: 0,
        }
    }
}

/// The filter state of a device group (`struct ifmcaddr6`'s `mca_sfmode`,
/// `mca_sfcount[]`, `mca_crcount`, `mca_flags`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    /// The filter mode reported.
    pub sfmode: u32,
    /// Filters in include mode, filters in exclude mode (`mca_sfcount[]`).
    pub sfcount: [u64; 2],
    /// Filter-mode change reports left (`mca_crcount`).
    pub crcount: u8,
    /// `MAF_*`.
    pub flags: u32,
}

/// An allocation failed.
#[derive(Debug, PartialEq, Eq)]
pub struct NoMem;

/// A list of sources, in order, as the caller keeps it.
pub trait SrcList {
    /// Entries.
    fn len(&self) -> usize;
    /// Whether it has none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Entry `i`.
    fn get(&self, i: usize) -> Src;
    /// Writes entry `i`'s counts and flags (its address stays).
    fn set(&mut self, i: usize, s: &Src);
    /// A new entry at `i` (0 the head, `len()` the tail).
    fn insert(&mut self, i: usize, s: &Src) -> Result<(), NoMem>;
    /// Takes entry `i` out.
    fn remove(&mut self, i: usize);
    /// The index of `addr`.
    fn position(&self, addr: &Ipv6Addr) -> Option<usize> {
        (0..self.len()).find(|&i| self.get(i).addr == *addr)
    }
}

/// What a change of a group's filters asks of MLD.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Nothing to report.
    None,
    /// Source-list change records (`mld_ifc_event()`).
    Report,
    /// The filter mode changed: the device's change count is the group's, then
    /// `mld_ifc_event()`.
    ModeChange,
}

fn x(s: &Src) -> u64 {
    s.count[MCAST_EXCLUDE as usize]
}

fn i(s: &Src) -> u64 {
    s.count[MCAST_INCLUDE as usize]
}

/// A source's place in the group's merged filter (`sf_setstate()`'s `new_in`): in
/// exclude mode, excluded by every excluding filter and included by none; in include
/// mode, included by one.
fn listened(g: &Group, s: &Src) -> bool {
    if g.sfcount[MCAST_EXCLUDE as usize] != 0 {
        g.sfcount[MCAST_EXCLUDE as usize] == x(s) && i(s) == 0
    } else {
        i(s) != 0
    }
}

/// `is_in()`: whether source `s` goes into a record of type `t` (`gdel`: the group was
/// left, `sdel`: `s` is a deleted source).
pub fn is_in(g: &Group, s: &Src, t: u8, gdel: bool, sdel: bool) -> bool {
    match t {
        rec::MODE_IS_INCLUDE | rec::MODE_IS_EXCLUDE => {
            if gdel || sdel {
                return false;
            }
            if g.flags & maf::GSQUERY == 0 || s.gsresp {
                if g.sfmode == MCAST_INCLUDE {
                    return true;
                }
                if i(s) != 0 {
                    return t == rec::MODE_IS_INCLUDE;
                }
                return g.sfcount[MCAST_EXCLUDE as usize] == x(s);
            }
            false
        }
        rec::CHANGE_TO_INCLUDE => !(gdel || sdel) && i(s) != 0,
        rec::CHANGE_TO_EXCLUDE => {
            if gdel || sdel || g.sfcount[MCAST_EXCLUDE as usize] == 0 || i(s) != 0 {
                return false;
            }
            g.sfcount[MCAST_EXCLUDE as usize] == x(s)
        }
        rec::ALLOW_NEW_SOURCES => {
            if gdel || s.crcount == 0 {
                return false;
            }
            (g.sfmode == MCAST_INCLUDE) ^ sdel
        }
        rec::BLOCK_OLD_SOURCES => {
            if g.sfmode == MCAST_INCLUDE {
                return gdel || (s.crcount != 0 && sdel);
            }
            s.crcount != 0 && !gdel && !sdel
        }
        _ => false,
    }
}

/// `mld_scount()`.
pub fn scount(g: &Group, l: &impl SrcList, t: u8, gdel: bool, sdel: bool) -> usize {
    (0..l.len())
        .filter(|&n| is_in(g, &l.get(n), t, gdel, sdel))
        .count()
}

/// `sf_markstate()`: each source's state before a change (`sf_oldin`).
pub fn markstate(g: &Group, l: &mut impl SrcList) {
    for n in 0..l.len() {
        let mut s = l.get(n);
        s.oldin = listened(g, &s);
        l.set(n, &s);
    }
}

/// `sf_setstate()`: sources newly listened to are reported (and no longer as
/// deleted), sources no longer listened to become deleted records; how many changed.
pub fn setstate(g: &Group, l: &mut impl SrcList, tomb: &mut impl SrcList, qrv: u8) -> u32 {
    let mut rv = 0;
    for n in 0..l.len() {
        let mut s = l.get(n);
        if listened(g, &s) {
            if !s.oldin {
                if let Some(d) = tomb.position(&s.addr) {
                    tomb.remove(d);
                }
                s.crcount = qrv;
                l.set(n, &s);
                rv += 1;
            }
        } else if s.oldin {
            s.crcount = 0;
            l.set(n, &s);
            match tomb.position(&s.addr) {
                Some(d) => {
                    let mut t = tomb.get(d);
                    t.crcount = qrv;
                    tomb.set(d, &t);
                }
                None => {
                    let mut t = s;
                    t.crcount = qrv;
                    if tomb.insert(0, &t).is_err() {
                        continue;
                    }
                }
            }
            rv += 1;
        }
    }
    rv
}

/// `ip6_mc_add1_src()`: one more filter of mode `sfmode` names `addr` (a new source
/// goes at the tail).
pub fn add1_src(l: &mut impl SrcList, sfmode: u32, addr: &Ipv6Addr) -> Result<(), NoMem> {
    let n = match l.position(addr) {
        Some(n) => n,
        None => {
            let n = l.len();
            l.insert(n, &Src::new(*addr))?;
            n
        }
    };
    let mut s = l.get(n);
    s.count[sfmode as usize] += 1;
    l.set(n, &s);
    Ok(())
}

/// `ip6_mc_del1_src()`: one filter of mode `sfmode` no longer names `addr`; a source
/// no filter names goes, and is reported as deleted if it was listened to and the
/// group is reported in MLDv2 (`report_deleted`). Whether a deleted record was made.
pub fn del1_src(
    l: &mut impl SrcList,
    tomb: &mut impl SrcList,
    sfmode: u32,
    addr: &Ipv6Addr,
    report_deleted: bool,
    qrv: u8,
) -> Result<bool, i32> {
    let n = l.position(addr).ok_or(ESRCH)?;
    let mut s = l.get(n);
    if s.count[sfmode as usize] == 0 {
        return Err(ESRCH);
    }
    s.count[sfmode as usize] -= 1;
    l.set(n, &s);
    if i(&s) != 0 || x(&s) != 0 {
        return Ok(false);
    }
    l.remove(n);
    if s.oldin && report_deleted {
        let mut d = s;
        d.crcount = qrv;
        if tomb.insert(0, &d).is_ok() {
            return Ok(true);
        }
    }
    Ok(false)
}

fn mode_change(g: &mut Group, l: &mut impl SrcList, qrv: u8) {
    g.crcount = qrv;
    for n in 0..l.len() {
        let mut s = l.get(n);
        s.crcount = 0;
        l.set(n, &s);
    }
}

#[allow(clippy::too_many_arguments)]
/// `ip6_mc_add_src()` on the group found: a filter of mode `sfmode` with `srcs` is
/// added (`delta`: only the sources, the filter was counted already).
pub fn add_src(
    g: &mut Group,
    l: &mut impl SrcList,
    tomb: &mut impl SrcList,
    sfmode: u32,
    srcs: &[Ipv6Addr],
    delta: bool,
    qrv: u8,
    report_deleted: bool,
) -> (Result<(), i32>, Change) {
    markstate(g, l);
    let isexclude = g.sfmode == MCAST_EXCLUDE;
    if !delta {
        g.sfcount[sfmode as usize] += 1;
    }
    for (n, a) in srcs.iter().enumerate() {
        if add1_src(l, sfmode, a).is_err() {
            if !delta {
                g.sfcount[sfmode as usize] -= 1;
            }
            for b in &srcs[..n] {
                let _ = del1_src(l, tomb, sfmode, b, report_deleted, qrv);
            }
            return (Err(ENOBUFS), Change::None);
        }
    }
    let xc = g.sfcount[MCAST_EXCLUDE as usize];
    if isexclude != (xc != 0) {
        if xc != 0 {
            g.sfmode = MCAST_EXCLUDE;
        } else if g.sfcount[MCAST_INCLUDE as usize] != 0 {
            g.sfmode = MCAST_INCLUDE;
        }
        mode_change(g, l, qrv);
        (Ok(()), Change::ModeChange)
    } else if setstate(g, l, tomb, qrv) != 0 {
        (Ok(()), Change::Report)
    } else {
        (Ok(()), Change::None)
    }
}

#[allow(clippy::too_many_arguments)]
/// `ip6_mc_del_src()` on the group found: a filter of mode `sfmode` with `srcs` goes
/// (`delta`: only the sources).
pub fn del_src(
    g: &mut Group,
    l: &mut impl SrcList,
    tomb: &mut impl SrcList,
    sfmode: u32,
    srcs: &[Ipv6Addr],
    delta: bool,
    qrv: u8,
    report_deleted: bool,
) -> (Result<(), i32>, Change) {
    markstate(g, l);
    if !delta {
        if g.sfcount[sfmode as usize] == 0 {
            return (Err(EINVAL), Change::None);
        }
        g.sfcount[sfmode as usize] -= 1;
    }
    let mut err = Ok(());
    let mut changerec = false;
    for a in srcs {
        match del1_src(l, tomb, sfmode, a, report_deleted, qrv) {
            Ok(c) => changerec |= c,
            Err(e) => {
                if err.is_ok() {
                    err = Err(e);
                }
            }
        }
    }
    if g.sfmode == MCAST_EXCLUDE
        && g.sfcount[MCAST_EXCLUDE as usize] == 0
        && g.sfcount[MCAST_INCLUDE as usize] != 0
    {
        g.sfmode = MCAST_INCLUDE;
        mode_change(g, l, qrv);
        (err, Change::ModeChange)
    } else if setstate(g, l, tomb, qrv) != 0 || changerec {
        (err, Change::Report)
    } else {
        (err, Change::None)
    }
}

/// `mld_clear_zeros()`: deleted or changed sources with no reports left go.
pub fn clear_zeros(l: &mut impl SrcList) {
    let mut n = 0;
    while n < l.len() {
        if l.get(n).crcount == 0 {
            l.remove(n);
        } else {
            n += 1;
        }
    }
}

/// `mld_marksources()`: whether a group-and-source-specific query for the sources
/// `srcs` (16 octets each) asks for a report of the group; include-mode sources
/// asked for are marked (`sf_gsresp`).
pub fn marksources(g: &mut Group, l: &mut impl SrcList, srcs: &[u8]) -> bool {
    let nsrcs = srcs.len() / 16;
    let addr = |k: usize| {
        let mut o = [0u8; 16];
        o.copy_from_slice(&srcs[k * 16..k * 16 + 16]);
        Ipv6Addr::from(o)
    };
    let mut scount = 0;
    if g.sfmode == MCAST_EXCLUDE {
        // mld_xmarksources()
        for n in 0..l.len() {
            if scount == nsrcs {
                break;
            }
            let s = l.get(n);
            for k in 0..nsrcs {
                if i(&s) != 0 || g.sfcount[MCAST_EXCLUDE as usize] != x(&s) {
                    break;
                }
                if addr(k) == s.addr {
                    scount += 1;
                    break;
                }
            }
        }
        g.flags &= !maf::GSQUERY;
        return scount != nsrcs;
    }
    for n in 0..l.len() {
        if scount == nsrcs {
            break;
        }
        let mut s = l.get(n);
        for k in 0..nsrcs {
            if addr(k) == s.addr {
                s.gsresp = true;
                l.set(n, &s);
                scount += 1;
                break;
            }
        }
    }
    if scount == 0 {
        g.flags &= !maf::GSQUERY;
        return false;
    }
    g.flags |= maf::GSQUERY;
    true
}

/// The record of a group's current state (`mld_send_report()`).
pub fn current_type(g: &Group) -> u8 {
    if g.sfcount[MCAST_EXCLUDE as usize] != 0 {
        rec::MODE_IS_EXCLUDE
    } else {
        rec::MODE_IS_INCLUDE
    }
}

/// The record of a group reported once the link-local address is usable
/// (`mld_send_initial_cr()`).
pub fn initial_type(g: &Group) -> u8 {
    if g.sfcount[MCAST_EXCLUDE as usize] != 0 {
        rec::CHANGE_TO_EXCLUDE
    } else {
        rec::ALLOW_NEW_SOURCES
    }
}

/// The source-change records of a listed group (`mld_send_cr()`): for its sources,
/// for its deleted sources.
pub fn change_types(g: &Group) -> (u8, u8) {
    if g.sfcount[MCAST_EXCLUDE as usize] != 0 {
        (rec::BLOCK_OLD_SOURCES, rec::ALLOW_NEW_SOURCES)
    } else {
        (rec::ALLOW_NEW_SOURCES, rec::BLOCK_OLD_SOURCES)
    }
}

/// The filter-mode change record of a group with change reports left.
pub fn mode_type(g: &Group) -> u8 {
    if g.sfmode == MCAST_EXCLUDE {
        rec::CHANGE_TO_EXCLUDE
    } else {
        rec::CHANGE_TO_INCLUDE
    }
}

/// Octets before an MLDv2 report in its packet: the IPv6 header and the hop-by-hop
/// header with the router alert.
const PKT_HDRS: usize = 40 + 8;
/// The largest report packet mainline builds: `mld_newpack()` allocates at most half
/// a page for it (PAGE_SIZE 4096).
pub const PACK_MAX: usize = 2048;

/// MLDv2 report packets being filled as mainline's `mld_newpack()`, `add_grhead()`
/// and `mld_sendpack()` fill skbs: at most the device's MTU each.
pub struct Packer<'b> {
    buf: &'b mut [u8],
    room: usize,
    mtu_ok: bool,
    len: Option<usize>,
}

impl<'b> Packer<'b> {
    /// Reports for a device of `mtu`, built in `buf` (at least [`PACK_MAX`] octets).
    pub fn new(buf: &'b mut [u8], mtu: u32) -> Self {
        let room = (mtu as usize)
            .min(PACK_MAX)
            .min(buf.len() + PKT_HDRS)
            .saturating_sub(PKT_HDRS);
        Self {
            buf,
            room,
            mtu_ok: mtu >= crate::conf::IPV6_MIN_MTU,
            len: None,
        }
    }

    /// `AVAILABLE(skb)`: room left in the packet being filled, 0 if none is.
    fn avail(&self) -> usize {
        self.len.map_or(0, |l| self.room.saturating_sub(l))
    }

    fn newpack(&mut self) {
        if self.room < V2_REPORT_HDR {
            self.len = None;
            return;
        }
        self.buf[..V2_REPORT_HDR].fill(0);
        self.buf[0] = kind::V2_REPORT;
        self.len = Some(V2_REPORT_HDR);
    }

    /// `mld_sendpack()`: the packet being filled (the ICMPv6 message, checksum zero)
    /// goes to `send`, if there is one.
    pub fn sendpack(&mut self, send: &mut dyn FnMut(&[u8])) {
        if let Some(l) = self.len.take() {
            send(&self.buf[..l]);
        }
    }

    /// `add_grhead()`: a record header, in a new packet if none is being filled; its
    /// offset.
    fn grhead(&mut self, t: u8, group: &Ipv6Addr) -> Option<usize> {
        if self.len.is_none() {
            self.newpack();
        }
        let at = self.len?;
        let r = self.buf.get_mut(at..at + GREC_LEN)?;
        r.fill(0);
        r[0] = t;
        r[4..20].copy_from_slice(&group.octets());
        let n = u16::from_be_bytes([self.buf[6], self.buf[7]]) + 1;
        self.buf[6..8].copy_from_slice(&n.to_be_bytes());
        self.len = Some(at + GREC_LEN);
        Some(at)
    }

    fn put_src(&mut self, a: &Ipv6Addr) {
        if let Some(at) = self.len {
            if let Some(b) = self.buf.get_mut(at..at + 16) {
                b.copy_from_slice(&a.octets());
                self.len = Some(at + 16);
            }
        }
    }

    fn set_nsrcs(&mut self, at: usize, n: u16) {
        self.buf[at + 2..at + 4].copy_from_slice(&n.to_be_bytes());
    }
}

/// `add_grec()`: a record of type `t` for `group` (state `g`), with the sources of `l`
/// that belong in it (`l` is the group's deleted sources if `sdel`; `gdel`: the group
/// was left; `crsend`: every source, as the initial report sends them), split over
/// packets as mainline splits it. Change counts of the sources reported go down, and
/// deleted sources with none left go.
#[allow(clippy::too_many_arguments)]
pub fn add_grec(
    p: &mut Packer<'_>,
    g: &mut Group,
    group: &Ipv6Addr,
    l: &mut impl SrcList,
    t: u8,
    gdel: bool,
    sdel: bool,
    crsend: bool,
    send: &mut dyn FnMut(&[u8]),
) {
    if g.flags & maf::NOREPORT != 0 || !p.mtu_ok {
        return;
    }
    let isquery = t == rec::MODE_IS_INCLUDE || t == rec::MODE_IS_EXCLUDE;
    let truncate = t == rec::MODE_IS_EXCLUDE || t == rec::CHANGE_TO_EXCLUDE;
    let change = t == rec::ALLOW_NEW_SOURCES || t == rec::BLOCK_OLD_SOURCES;
    let mut stotal = 0;
    let mut scount: u16 = 0;
    let mut pgr: Option<usize> = None;
    if !l.is_empty() {
        if truncate {
            let ngrec = p
                .len
                .map_or(0, |_| u16::from_be_bytes([p.buf[6], p.buf[7]]));
            let size = GREC_LEN + 16 * self::scount(g, l, t, gdel, sdel);
            if ngrec != 0 && p.avail() < size {
                p.sendpack(send);
                p.newpack();
            }
        }
        let mut first = true;
        let mut n = 0;
        while n < l.len() {
            let mut s = l.get(n);
            if !is_in(g, &s, t, gdel, sdel) && !crsend {
                n += 1;
                continue;
            }
            let skip = ((gdel && g.sfmode == MCAST_EXCLUDE) || (!gdel && g.crcount != 0))
                && change
                && s.crcount != 0;
            if !skip {
                if isquery {
                    s.gsresp = false;
                    l.set(n, &s);
                }
                if p.avail() < 16 + if first { GREC_LEN } else { 0 } {
                    if truncate && !first {
                        break;
                    }
                    if let Some(at) = pgr {
                        if p.len.is_some() {
                            p.set_nsrcs(at, scount);
                        }
                    }
                    p.sendpack(send);
                    p.newpack();
                    first = true;
                    scount = 0;
                }
                if first {
                    pgr = p.grhead(t, group);
                    first = false;
                }
                if p.len.is_none() {
                    return;
                }
                p.put_src(&s.addr);
                scount += 1;
                stotal += 1;
            }
            if change && s.crcount != 0 {
                s.crcount -= 1;
                l.set(n, &s);
                if (sdel || gdel) && s.crcount == 0 {
                    l.remove(n);
                    continue;
                }
            }
            n += 1;
        }
    }
    if stotal == 0 {
        if change {
            return;
        }
        if g.crcount != 0 || isquery || crsend {
            if p.len.is_some() && p.avail() < GREC_LEN {
                p.sendpack(send);
            }
            pgr = p.grhead(t, group);
        }
    }
    if let Some(at) = pgr {
        if p.len.is_some_and(|l| at < l) {
            p.set_nsrcs(at, scount);
        }
    }
    if isquery {
        g.flags &= !maf::GSQUERY;
    }
}

/// `inet6_mc_check()`'s filter: whether a socket whose membership has mode `sfmode`
/// and source list `list` (none: an any-source membership) takes a packet from `src`.
pub fn sock_accepts(sfmode: u32, list: Option<&[[u8; 16]]>, src: &Ipv6Addr) -> bool {
    match list {
        None => sfmode == MCAST_EXCLUDE,
        Some(l) => {
            let found = l.iter().any(|a| *a == src.octets());
            if sfmode == MCAST_INCLUDE {
                found
            } else {
                !found
            }
        }
    }
}

/// What `ip6_mc_source()` does to a socket's source list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceEdit {
    /// Append the source.
    Add,
    /// Remove entry `usize`.
    Remove(usize),
    /// Removing the last included source leaves the group (`(INCLUDE, {})`).
    Leave,
}

/// `ip6_mc_source()`'s decision on a socket's list `list` in mode `omode` (the mode
/// already checked): add (`add`) or remove `src`; `max_msf` is `net.ipv6.mld_max_msf`.
pub fn source_edit(
    add: bool,
    omode: u32,
    list: Option<&[[u8; 16]]>,
    src: &Ipv6Addr,
    max_msf: i32,
) -> Result<SourceEdit, i32> {
    let l = list.unwrap_or(&[]);
    let pos = l.iter().position(|a| *a == src.octets());
    if !add {
        let n = pos.ok_or(EADDRNOTAVAIL)?;
        if l.len() == 1 && omode == MCAST_INCLUDE {
            return Ok(SourceEdit::Leave);
        }
        return Ok(SourceEdit::Remove(n));
    }
    if list.is_some() && l.len() as i64 >= i64::from(max_msf) {
        return Err(ENOBUFS);
    }
    if pos.is_some() {
        return Err(EADDRNOTAVAIL);
    }
    Ok(SourceEdit::Add)
}

/// `sizeof(struct group_source_req)` (64-bit): the interface, padding, the group and
/// the source as `sockaddr_storage`.
pub const GROUP_SOURCE_REQ_LEN: usize = 264;
/// `GROUP_FILTER_SIZE(0)` (64-bit): `struct group_filter` up to its source list.
pub const GROUP_FILTER_HDR: usize = 144;
/// `sizeof(struct sockaddr_storage)`.
pub const SS_LEN: usize = 128;

/// `GROUP_FILTER_SIZE(n)`.
pub fn group_filter_size(n: u32) -> u64 {
    GROUP_FILTER_HDR as u64 + u64::from(n) * SS_LEN as u64
}

/// A `sockaddr_storage` holding a `sockaddr_in6`: its family and address.
pub fn ss_in6(ss: &[u8]) -> (u16, Ipv6Addr) {
    let fam = u16::from_ne_bytes([ss[0], ss[1]]);
    let mut a = [0u8; 16];
    a.copy_from_slice(&ss[8..24]);
    (fam, Ipv6Addr::from(a))
}

/// `struct group_filter`'s header (64-bit layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupFilter {
    /// `gf_interface`.
    pub ifindex: u32,
    /// `gf_group`'s family.
    pub family: u16,
    /// `gf_group`'s address.
    pub group: Ipv6Addr,
    /// `gf_fmode`.
    pub fmode: u32,
    /// `gf_numsrc`.
    pub numsrc: u32,
}

/// Reads a `struct group_filter` header.
pub fn parse_group_filter(b: &[u8; GROUP_FILTER_HDR]) -> GroupFilter {
    let (family, group) = ss_in6(&b[8..8 + SS_LEN]);
    let u = |o: usize| u32::from_ne_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
    GroupFilter {
        ifindex: u(0),
        family,
        group,
        fmode: u(136),
        numsrc: u(140),
    }
}

/// `ipv6_set_mcast_msfilter()`'s checks of a filter of `optlen` octets naming
/// `numsrc` sources: too long for the socket's option memory (`optmem_max`) or more
/// sources than `net.ipv6.mld_max_msf`, `ENOBUFS`; shorter than its sources, `EINVAL`.
pub fn msfilter_check(
    optlen: usize,
    numsrc: u32,
    max_msf: i32,
    optmem_max: i32,
) -> Result<(), i32> {
    if optlen < GROUP_FILTER_HDR {
        return Err(EINVAL);
    }
    if optlen as i64 > i64::from(optmem_max) {
        return Err(ENOBUFS);
    }
    if numsrc >= 0x1ff_ffff || i64::from(numsrc) > i64::from(max_msf) {
        return Err(ENOBUFS);
    }
    if group_filter_size(numsrc) > optlen as u64 {
        return Err(EINVAL);
    }
    Ok(())
}

/// A `sockaddr_storage` holding `a` as a `sockaddr_in6` (as `ip6_mc_msfget()` writes
/// each source).
pub fn ss_of(a: &Ipv6Addr) -> [u8; SS_LEN] {
    let mut ss = [0u8; SS_LEN];
    ss[..2].copy_from_slice(&10u16.to_ne_bytes());
    ss[8..24].copy_from_slice(&a.octets());
    ss
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec;
    use std::vec::Vec;

    impl SrcList for Vec<Src> {
        fn len(&self) -> usize {
            Vec::len(self)
        }
        fn get(&self, i: usize) -> Src {
            self[i]
        }
        fn set(&mut self, i: usize, s: &Src) {
            let a = self[i].addr;
            self[i] = *s;
            self[i].addr = a;
        }
        fn insert(&mut self, i: usize, s: &Src) -> Result<(), NoMem> {
            Vec::insert(self, i, *s);
            Ok(())
        }
        fn remove(&mut self, i: usize) {
            Vec::remove(self, i);
        }
    }

    fn a(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    fn exclude_group() -> Group {
        Group {
            sfmode: MCAST_EXCLUDE,
            sfcount: [1, 0],
            crcount: 0,
            flags: 0,
        }
    }

    fn include_new() -> Group {
        Group {
            sfmode: MCAST_INCLUDE,
            sfcount: [0, 1],
            crcount: 0,
            flags: 0,
        }
    }

    #[test]
    fn include_join_and_leave_sources() {
        // A socket joins ff05::1 with source 2001:db8::1 (a new INCLUDE group, then
        // ip6_mc_add_src(delta) with the source).
        let mut g = include_new();
        let (mut l, mut t) = (Vec::new(), Vec::new());
        let (r, c) = add_src(
            &mut g,
            &mut l,
            &mut t,
            MCAST_INCLUDE,
            &[a("2001:db8::1")],
            true,
            2,
            true,
        );
        assert_eq!(r, Ok(()));
        assert_eq!(c, Change::Report);
        assert_eq!(l[0].count, [0, 1]);
        assert_eq!(l[0].crcount, 2);
        assert!(is_in(&g, &l[0], rec::ALLOW_NEW_SOURCES, false, false));
        assert!(is_in(&g, &l[0], rec::MODE_IS_INCLUDE, false, false));
        // The source leaves: a deleted record, reported as BLOCK.
        let (r, c) = del_src(
            &mut g,
            &mut l,
            &mut t,
            MCAST_INCLUDE,
            &[a("2001:db8::1")],
            true,
            2,
            true,
        );
        assert_eq!((r, c), (Ok(()), Change::Report));
        assert!(l.is_empty());
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].crcount, 2);
        assert!(is_in(&g, &t[0], rec::BLOCK_OLD_SOURCES, false, true));
        // An unknown source: ESRCH; a filter not counted: EINVAL.
        let (r, _) = del_src(
            &mut g,
            &mut l,
            &mut t,
            MCAST_INCLUDE,
            &[a("::5")],
            true,
            2,
            true,
        );
        assert_eq!(r, Err(ESRCH));
        let (r, _) = del_src(&mut g, &mut l, &mut t, MCAST_EXCLUDE, &[], false, 2, true);
        assert_eq!(r, Err(EINVAL));
    }

    #[test]
    fn block_reports_the_source() {
        let mut g = exclude_group();
        let (mut l, mut t) = (Vec::new(), Vec::new());
        let (_, c) = add_src(
            &mut g,
            &mut l,
            &mut t,
            MCAST_EXCLUDE,
            &[a("::9")],
            true,
            2,
            true,
        );
        // Blocking a source of an any-source group: newly excluded, a BLOCK record
        // robustness-many times.
        assert_eq!(c, Change::Report);
        assert_eq!(l[0].count, [1, 0]);
        assert_eq!(l[0].crcount, 2);
        assert!(t.is_empty());
        let (bt, _) = change_types(&g);
        assert_eq!(bt, rec::BLOCK_OLD_SOURCES);
        assert!(is_in(&g, &l[0], rec::BLOCK_OLD_SOURCES, false, false));
        assert!(is_in(&g, &l[0], rec::MODE_IS_EXCLUDE, false, false));
        // Unblocking it: a deleted record, ALLOW for an exclude group.
        let (_, c) = del_src(
            &mut g,
            &mut l,
            &mut t,
            MCAST_EXCLUDE,
            &[a("::9")],
            true,
            2,
            true,
        );
        assert_eq!(c, Change::Report);
        assert!(l.is_empty());
        assert_eq!(t[0].crcount, 2);
        assert!(is_in(&g, &t[0], rec::ALLOW_NEW_SOURCES, false, true));
    }

    #[test]
    fn mode_changes() {
        // An INCLUDE filter joins a group an EXCLUDE filter holds: no mode change.
        let mut g = exclude_group();
        let (mut l, mut t) = (Vec::new(), Vec::new());
        let (_, c) = add_src(&mut g, &mut l, &mut t, MCAST_INCLUDE, &[], false, 2, true);
        assert_eq!(c, Change::None);
        // The EXCLUDE filter goes: the group changes to INCLUDE.
        let (_, c) = del_src(&mut g, &mut l, &mut t, MCAST_EXCLUDE, &[], false, 2, true);
        assert_eq!(c, Change::ModeChange);
        assert_eq!(g.sfmode, MCAST_INCLUDE);
        assert_eq!(g.crcount, 2);
        assert_eq!(mode_type(&g), rec::CHANGE_TO_INCLUDE);
        // Back to EXCLUDE.
        let (_, c) = add_src(&mut g, &mut l, &mut t, MCAST_EXCLUDE, &[], false, 2, true);
        assert_eq!(c, Change::ModeChange);
        assert_eq!(g.sfmode, MCAST_EXCLUDE);
    }

    #[test]
    fn marking() {
        let mut g = include_new();
        let mut l = vec![Src {
            count: [0, 1],
            ..Src::new(a("::1"))
        }];
        let mut q = [0u8; 32];
        q[..16].copy_from_slice(&a("::2").octets());
        assert!(!marksources(&mut g, &mut l, &q[..16]));
        q[16..].copy_from_slice(&a("::1").octets());
        assert!(marksources(&mut g, &mut l, &q));
        assert!(l[0].gsresp);
        assert_ne!(g.flags & maf::GSQUERY, 0);
        // Exclude mode: a query for excluded sources only asks for nothing.
        let mut g = exclude_group();
        let mut l = vec![Src {
            count: [1, 0],
            ..Src::new(a("::1"))
        }];
        assert!(!marksources(&mut g, &mut l, &q[16..]));
        assert!(marksources(&mut g, &mut l, &q[..16]));
    }

    fn grec(mtu: u32, g: &mut Group, l: &mut Vec<Src>, t: u8, sdel: bool) -> Vec<Vec<u8>> {
        let mut buf = [0u8; PACK_MAX];
        let mut sent = Vec::new();
        let mut send = |b: &[u8]| sent.push(b.to_vec());
        let mut p = Packer::new(&mut buf, mtu);
        add_grec(
            &mut p,
            g,
            &a("ff05::1"),
            l,
            t,
            false,
            sdel,
            false,
            &mut send,
        );
        p.sendpack(&mut send);
        sent
    }

    #[test]
    fn records_and_splitting() {
        let mut g = include_new();
        let mut l: Vec<Src> = (0..100u16)
            .map(|n| Src {
                count: [0, 1],
                ..Src::new(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, n))
            })
            .collect();
        let sent = grec(1280, &mut g, &mut l, rec::MODE_IS_INCLUDE, false);
        // (1280 - 56 - 20) / 16 = 75 sources in the first packet.
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].len(), 8 + 20 + 75 * 16);
        assert_eq!(&sent[0][10..12], &75u16.to_be_bytes());
        assert_eq!(&sent[1][10..12], &25u16.to_be_bytes());
        // Exclude records are truncated instead.
        let mut g = exclude_group();
        for s in l.iter_mut() {
            s.count = [1, 0];
        }
        let sent = grec(1280, &mut g, &mut l, rec::MODE_IS_EXCLUDE, false);
        assert_eq!(sent.len(), 1);
        assert_eq!(&sent[0][10..12], &75u16.to_be_bytes());
        // An any-source group: one record without sources.
        let mut none: Vec<Src> = Vec::new();
        let sent = grec(1500, &mut g, &mut none, rec::MODE_IS_EXCLUDE, false);
        assert_eq!(sent[0].len(), 28);
        // Change records with nothing to say send nothing.
        assert!(grec(1500, &mut g, &mut none, rec::ALLOW_NEW_SOURCES, false).is_empty());
        // Below the minimum MTU nothing is sent.
        assert!(grec(1000, &mut g, &mut none, rec::MODE_IS_EXCLUDE, false).is_empty());
    }

    #[test]
    fn change_records_count_down() {
        let mut g = include_new();
        let mut t = vec![Src {
            crcount: 1,
            ..Src::new(a("::7"))
        }];
        let sent = grec(1500, &mut g, &mut t, rec::BLOCK_OLD_SOURCES, true);
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0][8], rec::BLOCK_OLD_SOURCES);
        assert!(t.is_empty());
    }

    #[test]
    fn sockets() {
        let l = [a("::1").octets()];
        assert!(sock_accepts(MCAST_INCLUDE, Some(&l), &a("::1")));
        assert!(!sock_accepts(MCAST_INCLUDE, Some(&l), &a("::2")));
        assert!(!sock_accepts(MCAST_EXCLUDE, Some(&l), &a("::1")));
        assert!(sock_accepts(MCAST_EXCLUDE, None, &a("::1")));
        assert!(!sock_accepts(MCAST_INCLUDE, None, &a("::1")));
        assert_eq!(
            source_edit(false, MCAST_INCLUDE, None, &a("::1"), 64),
            Err(EADDRNOTAVAIL)
        );
        assert_eq!(
            source_edit(false, MCAST_INCLUDE, Some(&l), &a("::1"), 64),
            Ok(SourceEdit::Leave)
        );
        assert_eq!(
            source_edit(false, MCAST_EXCLUDE, Some(&l), &a("::1"), 64),
            Ok(SourceEdit::Remove(0))
        );
        assert_eq!(
            source_edit(true, MCAST_EXCLUDE, Some(&l), &a("::1"), 64),
            Err(EADDRNOTAVAIL)
        );
        assert_eq!(
            source_edit(true, MCAST_EXCLUDE, Some(&l), &a("::2"), 1),
            Err(ENOBUFS)
        );
        assert_eq!(
            source_edit(true, MCAST_EXCLUDE, None, &a("::2"), 0),
            Ok(SourceEdit::Add)
        );
        assert_eq!(msfilter_check(143, 0, 64, 131072), Err(EINVAL));
        assert_eq!(msfilter_check(144, 65, 64, 131072), Err(ENOBUFS));
        assert_eq!(msfilter_check(144, 1, 64, 131072), Err(EINVAL));
        assert_eq!(msfilter_check(272, 1, 64, 131072), Ok(()));
        assert_eq!(msfilter_check(272, 1, 64, 200), Err(ENOBUFS));
    }
}
