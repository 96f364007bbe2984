// SPDX-License-Identifier: GPL-2.0

//! Multicast listener discovery (mainline `net/ipv6/mcast.c`): a device's groups with
//! their users, loaded into its link-layer filter and reported to routers (MLDv2, or
//! MLDv1 when forced or when an MLDv1 querier is present), queries answered, the
//! memberships of sockets (`IPV6_JOIN_GROUP` and friends), multicast delivery checks,
//! and `/proc/net/igmp6`. Decisions and wire formats come from [`crate::mld`].
//!
//! Memberships may filter sources (RFC 3810): a socket's filter is an include or
//! exclude list on its membership, the device merges its sockets' filters per group,
//! and reports carry source records. The decisions are [`crate::mld_src`]'s.

#![forbid(unsafe_code)]

use crate::ipv6::{ip6_input, ndisc};
use crate::mld::{self, kind, maf, rec, Query};
use crate::mld_src::{self, Change, Packer, SourceEdit, MCAST_EXCLUDE, MCAST_INCLUDE};
use crate::net::{
    device::{NetDevice, RxDev},
    inet6_dev::Inet6Dev,
    lock::{BhRwLock, LockClass},
    mcast::{self as mc, DevWork, McGroup, McGuard, McLocked},
    mib::{icmp as icmp_mib, ip as ip_mib},
    netlink::{RtnlGuard, RtnlHeld},
    netns,
    procfs::Seq,
    proto::{OptIn, OptOut},
    rcu::Rcu,
    skb::{pkt_type, Skb},
    sock::{self, Sock},
    time::jiffies,
    uapi, KernelRandom,
};
use crate::{addrconf::ifa_flags, ctx::Random, wire::icmpv6, wire::proto};
use core::net::Ipv6Addr;
use kernel::prelude::*;

use crate::errno::{EADDRINUSE, EADDRNOTAVAIL, EINVAL, ENOBUFS, ENODEV, ENOENT, ENOMEM};

/// `time_before(a, b)` on jiffies.
fn time_before(a: u64, b: u64) -> bool {
    (a.wrapping_sub(b) as i64) < 0
}

/// `mld_in_v1_mode()` for the locked device.
fn v1_mode(l: &McLocked<'_>) -> bool {
    let st = l.state();
    let present = st.v1_seen != 0 && time_before(jiffies(), st.v1_seen);
    mld::in_v1_mode(forced(l), present)
}

/// `mld_force_mld_version()`.
fn forced(l: &McLocked<'_>) -> i32 {
    let all = l.with_rx(|d| netns::conf_all(d.net).force_mld_version);
    mld::forced_version(all, l.cnf().force_mld_version)
}

/// `unsolicited_report_interval()`, jiffies.
fn interval(l: &McLocked<'_>) -> u32 {
    let c = l.cnf();
    mld::unsolicited_interval(
        v1_mode(l),
        c.mldv1_unsolicited_report_interval,
        c.mldv2_unsolicited_report_interval,
    )
}

/// `ipv6_mc_reset()`.
fn reset(l: &McLocked<'_>) {
    let hz = crate::net::time::hz();
    let mut st = l.state();
    st.qrv = mc::sysctl_qrv();
    st.qi = u64::from(mld::QI_DEFAULT_SECS) * hz;
    st.qri = u64::from(mld::QRI_DEFAULT_SECS) * hz;
    st.v1_seen = 0;
    l.set_state(&st);
    st.maxdelay = u64::from(interval(l));
    l.set_state(&st);
}

// --- sending

/// Sends an MLD message of `len` octets that `fill` writes, to `dst`: from the
/// device's first non-tentative link-local address (`::` while it has none), hop
/// limit 1, behind a router alert (`mld_newpack()`, `igmp6_send()`).
fn send(d: &RxDev<'_>, dst: &Ipv6Addr, len: usize, fill: impl FnOnce(&mut [u8]) -> Option<usize>) {
    let src = ndisc::link_local_of(d, ifa_flags::TENTATIVE).unwrap_or(Ipv6Addr::UNSPECIFIED);
    let hbh = mld::HBH_ROUTER_ALERT.len();
    let Some(mut skb) = Skb::alloc(d.dev, hbh + len) else {
        return;
    };
    let buf = skb.data_mut();
    buf[..hbh].copy_from_slice(&mld::HBH_ROUTER_ALERT);
    if fill(&mut buf[hbh..]).is_none() {
        skb.consume();
        return;
    }
    icmpv6::fill_checksum(&src, dst, &mut buf[hbh..]);
    let t = buf[hbh];
    skb.push_ip6hdr(&src, dst, proto::HOPOPTS, 1, 0);
    d.ip6_inc(ip_mib::OUTREQUESTS);
    // MLD's own socket loops back (mainline's igmp_sk keeps IPV6_MULTICAST_LOOP).
    if ip6_input::mc_out(&mut skb, d, true) && ip6_input::neigh_xmit(skb, d, dst) {
        d.icmp6_msg(true, t);
        d.icmp6_inc(icmp_mib::OUTMSGS);
    }
}

/// `igmp6_send()`: an MLDv1 report (to the group) or done (to all routers).
fn send_v1(l: &McLocked<'_>, group: &Ipv6Addr, t: u8) {
    let dst = if t == kind::V1_DONE {
        mld::ALL_ROUTERS
    } else {
        *group
    };
    l.with_rx(|d| send(d, &dst, mld::V1_LEN, |b| mld::emit_v1(b, t, group)));
}

/// MLDv2 reports being built (`mld_newpack()`, `add_grec()`, `mld_sendpack()`): `f`
/// adds records to the packer, each full packet goes at once, the last at the end.
fn reports(l: &McLocked<'_>, f: impl FnOnce(&mut Packer<'_>, &mut dyn FnMut(&[u8]))) {
    let Ok(mut buf) = zeroed(mld_src::PACK_MAX) else {
        return;
    };
    let mtu = l.with_rx(|d| d.mtu());
    let mut p = Packer::new(&mut buf, mtu);
    let mut send_one = |b: &[u8]| {
        l.with_rx(|d| {
            send(d, &mld::ALL_MLDV2_ROUTERS, b.len(), |out| {
                out.get_mut(..b.len())?.copy_from_slice(b);
                Some(b.len())
            })
        })
    };
    f(&mut p, &mut send_one);
    p.sendpack(&mut send_one);
}

/// `len` zero octets.
fn zeroed(len: usize) -> Result<KVec<u8>, i32> {
    let mut v = KVec::new();
    let z = [0u8; 256];
    while v.len() < len {
        let n = (len - v.len()).min(z.len());
        v.extend_from_slice(&z[..n], GFP_KERNEL)
            .map_err(|_| ENOMEM)?;
    }
    Ok(v)
}

/// `add_grec()` for `g`: a record of type `t` with its sources (or deleted sources,
/// `sdel`) that belong in it.
#[allow(clippy::too_many_arguments)]
fn grec(
    l: &McLocked<'_>,
    p: &mut Packer<'_>,
    send: &mut dyn FnMut(&[u8]),
    g: &McGroup,
    t: u8,
    gdel: bool,
    sdel: bool,
    crsend: bool,
) {
    let mut st = g.sf();
    let mut list = l.sources(g, sdel);
    mld_src::add_grec(
        p,
        &mut st,
        &g.addr(),
        &mut list,
        t,
        gdel,
        sdel,
        crsend,
        send,
    );
    l.set_sf(g, &st);
}

/// `mld_send_report()`: current-state records, of `only` or of every reported group.
fn send_report(l: &McLocked<'_>, only: Option<&McGroup>) {
    reports(l, |p, send| {
        for g in l.groups(false) {
            if only.is_some_and(|o| o.addr() != g.addr()) || g.flags() & maf::NOREPORT != 0 {
                continue;
            }
            let t = mld_src::current_type(&g.sf());
            grec(l, p, send, g, t, false, false, false);
        }
    });
}

/// `mld_send_cr()`: records of left groups with reports to go (their sources
/// blocked, or a change to include), then source and mode changes of listed groups.
fn send_cr(l: &McLocked<'_>) {
    reports(l, |p, send| {
        let mut gone = KVec::new();
        for t in l.groups(true) {
            if t.sf().sfmode == MCAST_INCLUDE {
                grec(l, p, send, t, rec::BLOCK_OLD_SOURCES, true, false, false);
                grec(l, p, send, t, rec::BLOCK_OLD_SOURCES, true, true, false);
            }
            let n = l.crcount(t);
            if n > 0 {
                if t.sf().sfmode == MCAST_EXCLUDE {
                    grec(l, p, send, t, rec::CHANGE_TO_INCLUDE, true, false, false);
                }
                l.set_crcount(t, n - 1);
                if n == 1 {
                    mld_src::clear_zeros(&mut l.sources(t, true));
                    mld_src::clear_zeros(&mut l.sources(t, false));
                }
            }
            if l.crcount(t) == 0
                && mld_src::SrcList::is_empty(&l.sources(t, true))
                && mld_src::SrcList::is_empty(&l.sources(t, false))
            {
                let _ = gone.push(t.addr(), GFP_KERNEL);
            }
        }
        for a in &gone {
            if let Some(t) = l.find(a, true) {
                l.remove(t, true);
            }
        }
        for g in l.groups(false) {
            let (t, dt) = mld_src::change_types(&g.sf());
            grec(l, p, send, g, t, false, false, false);
            grec(l, p, send, g, dt, false, true, false);
            let n = l.crcount(g);
            if n > 0 {
                let t = mld_src::mode_type(&g.sf());
                grec(l, p, send, g, t, false, false, false);
                l.set_crcount(g, n - 1);
            }
        }
    });
}

/// `mld_send_initial_cr()`: every group with all its sources, once the link-local
/// address is usable.
fn send_initial_cr(l: &McLocked<'_>) {
    if v1_mode(l) {
        return;
    }
    reports(l, |p, send| {
        for g in l.groups(false) {
            let t = mld_src::initial_type(&g.sf());
            grec(l, p, send, g, t, false, false, true);
        }
    });
}

// --- group state

/// The end of one of robustness-many sends by work `w` (`mld_ifc_work()`,
/// `mld_dad_work()`, `ipv6_mc_dad_complete()`): one fewer to go, and the work again
/// at random within the unsolicited report interval while any remain.
fn count_down(l: &McLocked<'_>, w: DevWork) {
    let mut st = l.state();
    let left = match w {
        DevWork::Ifc => &mut st.ifc_count,
        _ => &mut st.dad_count,
    };
    if *left == 0 {
        return;
    }
    *left -= 1;
    let again = *left > 0;
    l.set_state(&st);
    if again {
        let d = mld::work_delay(interval(l), &mut KernelRandom);
        l.work_start(w, u64::from(d));
    }
}

/// `mld_ifc_event()`: send state-change reports, robustness-many times.
fn ifc_event(l: &McLocked<'_>) {
    if v1_mode(l) {
        return;
    }
    let mut st = l.state();
    st.ifc_count = st.qrv;
    l.set_state(&st);
    l.work_start(
        DevWork::Ifc,
        u64::from(mld::work_delay(1, &mut KernelRandom)),
    );
}

/// `igmp6_join_group()`: an MLDv1 report now, another at random within the
/// unsolicited report interval.
fn join_v1(l: &McLocked<'_>, g: &McGroup) {
    if g.flags() & maf::NOREPORT != 0 {
        return;
    }
    send_v1(l, &g.addr(), kind::V1_REPORT);
    let mut delay = u64::from(KernelRandom.below(interval(l)));
    if let Some(left) = l.timer_cancel(g) {
        delay = left;
    }
    l.timer_start(g, delay);
    l.update_flags(g, maf::TIMER_RUNNING | maf::LAST_REPORTER, 0);
}

/// `igmp6_group_added()`: load the group into the filter and report it.
fn group_added(l: &McLocked<'_>, g: &McGroup) {
    let addr = g.addr();
    if !mld::on_link(&addr) {
        return;
    }
    if g.flags() & maf::LOADED == 0 {
        l.update_flags(g, maf::LOADED, 0);
        let _ = l.filter(&addr, true);
    }
    let up = l.with_rx(|d| d.flags() & uapi::IFF_UP != 0);
    if !up || g.flags() & maf::NOREPORT != 0 {
        return;
    }
    if v1_mode(l) {
        return join_v1(l, g);
    }
    // RFC 3810 6.1: a new include-mode group is no filter-mode change (IN() to IN(A)).
    if g.sf().sfmode == MCAST_EXCLUDE {
        l.set_crcount(g, l.state().qrv as u8);
    }
    ifc_event(l);
}

/// `igmp6_group_dropped()`: unload the group and report the leave (not when the
/// device is going away, `dead`).
fn group_dropped(l: &McLocked<'_>, g: &McGroup, dead: bool) {
    let addr = g.addr();
    if !mld::on_link(&addr) {
        return;
    }
    if g.flags() & maf::LOADED != 0 {
        l.update_flags(g, 0, maf::LOADED);
        let _ = l.filter(&addr, false);
    }
    if g.flags() & maf::NOREPORT != 0 {
        return;
    }
    if !dead && !l.dead() {
        // igmp6_leave_group()
        if v1_mode(l) {
            if g.flags() & maf::LAST_REPORTER != 0 {
                send_v1(l, &addr, kind::V1_DONE);
            }
        } else {
            add_delrec(l, g);
            ifc_event(l);
        }
    }
    l.timer_cancel(g);
}

/// `mld_add_delrec()`: a left group is reported as left, robustness-many times; an
/// include-mode group's sources go with it, to be reported blocked.
fn add_delrec(l: &McLocked<'_>, g: &McGroup) {
    let qrv = l.state().qrv as u8;
    let Ok(t) = l.add(&g.addr(), 0, qrv, true) else {
        return;
    };
    let sfmode = g.sf().sfmode;
    l.set_sf(
        t,
        &mld_src::Group {
            sfmode,
            sfcount: [0, 0],
            crcount: qrv,
            flags: 0,
        },
    );
    if sfmode == MCAST_INCLUDE {
        l.swap_src(t, g);
        set_crcounts(&mut l.sources(t, false), qrv);
    }
}

fn set_crcounts(list: &mut impl mld_src::SrcList, n: u8) {
    for i in 0..list.len() {
        let mut s = list.get(i);
        s.crcount = n;
        list.set(i, &s);
    }
}

/// `mld_del_delrec()`: a group joined again is no longer reported as left; an
/// include-mode group takes its sources back.
fn del_delrec(l: &McLocked<'_>, g: &McGroup) {
    if let Some(t) = l.find(&g.addr(), true) {
        let qrv = l.state().qrv as u8;
        if g.sf().sfmode == MCAST_INCLUDE {
            l.swap_src(g, t);
            set_crcounts(&mut l.sources(g, false), qrv);
        } else {
            l.set_crcount(g, qrv);
        }
        l.remove(t, true);
    }
}

/// `mld_clear_delrec()`: left groups and the deleted sources of listed ones are
/// no longer reported.
fn clear_delrec(l: &McLocked<'_>) {
    while let Some(t) = l.groups(true).next() {
        l.remove(t, true);
    }
    for g in l.groups(false) {
        let mut tomb = l.sources(g, true);
        while !mld_src::SrcList::is_empty(&tomb) {
            mld_src::SrcList::remove(&mut tomb, 0);
        }
    }
}

/// `ip6_mc_add_src()` (`add`) or `ip6_mc_del_src()` on the locked device: a filter
/// of mode `sfmode` on `group` with `srcs` is added or removed (`delta`: only its
/// sources), and the changes reported.
fn change_src(
    l: &McLocked<'_>,
    group: &Ipv6Addr,
    add: bool,
    sfmode: u32,
    srcs: &[Ipv6Addr],
    delta: bool,
) -> Result<(), i32> {
    let g = l.find(group, false).ok_or(mld_src::ESRCH)?;
    let mut st = g.sf();
    let qrv = l.state().qrv as u8;
    let report_deleted = st.flags & maf::NOREPORT == 0 && !v1_mode(l);
    let (mut list, mut tomb) = (l.sources(g, false), l.sources(g, true));
    let (r, c) = if add {
        mld_src::add_src(
            &mut st,
            &mut list,
            &mut tomb,
            sfmode,
            srcs,
            delta,
            qrv,
            report_deleted,
        )
    } else {
        mld_src::del_src(
            &mut st,
            &mut list,
            &mut tomb,
            sfmode,
            srcs,
            delta,
            qrv,
            report_deleted,
        )
    };
    l.set_sf(g, &st);
    match c {
        Change::None => {}
        Change::Report => ifc_event(l),
        Change::ModeChange => {
            let mut s = l.state();
            s.ifc_count = u32::from(st.crcount);
            l.set_state(&s);
            ifc_event(l);
        }
    }
    r
}

/// `__ipv6_dev_mc_inc()` on the locked device, for a filter of mode `mode`.
fn inc_locked(l: &McLocked<'_>, group: &Ipv6Addr, mode: u32) -> Result<(), i32> {
    if l.dead() {
        return Err(ENODEV);
    }
    if let Some(g) = l.find(group, false) {
        l.set_users(g, g.users() + 1);
        let _ = change_src(l, group, true, mode, &[], false);
        return Ok(());
    }
    let g = l
        .add(group, mld::initial_flags(group), 0, false)
        .map_err(|e| -e.to_errno())?;
    let mut sfcount = [0, 0];
    sfcount[mode as usize] = 1;
    l.set_sf(
        g,
        &mld_src::Group {
            sfmode: mode,
            sfcount,
            crcount: 0,
            flags: g.flags(),
        },
    );
    del_delrec(l, g);
    group_added(l, g);
    Ok(())
}

/// `__ipv6_dev_mc_dec()` on the locked device.
fn dec_locked(l: &McLocked<'_>, group: &Ipv6Addr) -> Result<(), i32> {
    let g = l.find(group, false).ok_or(ENOENT)?;
    let users = g.users().saturating_sub(1);
    l.set_users(g, users);
    if users == 0 {
        group_dropped(l, g, false);
        l.remove(g, false);
    }
    Ok(())
}

/// `ipv6_dev_mc_inc()`: `dev` joins `group` (one more user). Under RTNL.
pub(crate) fn inc(dev: &NetDevice, group: &Ipv6Addr) -> Result<(), i32> {
    inc_mode(dev, group, MCAST_EXCLUDE)
}

/// `__ipv6_dev_mc_inc()`: one more user, with a filter of mode `mode`.
fn inc_mode(dev: &NetDevice, group: &Ipv6Addr, mode: u32) -> Result<(), i32> {
    let idev = Inet6Dev::of(dev).ok_or(EINVAL)?;
    let guard = McGuard::lock(idev);
    inc_locked(guard.get(), group, mode)
}

/// `ipv6_dev_mc_dec()`: one user of `group` on `dev` leaves. Under RTNL.
pub(crate) fn dec(dev: &NetDevice, group: &Ipv6Addr) -> Result<(), i32> {
    let idev = Inet6Dev::of(dev).ok_or(ENODEV)?;
    let guard = McGuard::lock(idev);
    dec_locked(guard.get(), group)
}

/// A kernel user's join or leave that has nothing to report back (mainline ignores
/// these results too).
pub(crate) fn change(dev: &NetDevice, group: &Ipv6Addr, join: bool) {
    let _ = if join {
        inc(dev, group)
    } else {
        dec(dev, group)
    };
}

/// `ipv6_mc_init_dev()`: a fresh inet6_dev's MLD state. Under RTNL.
pub(crate) fn dev_init(idev: &Inet6Dev) {
    idev.mld_init();
    let guard = McGuard::lock(idev);
    reset(guard.get());
}

/// `ipv6_mc_up()`: the device is up: load and report its groups again.
pub(crate) fn up(dev: &NetDevice) {
    let Some(idev) = Inet6Dev::of(dev) else {
        return;
    };
    let guard = McGuard::lock(idev);
    let l = guard.get();
    reset(l);
    for g in l.groups(false) {
        del_delrec(l, g);
        group_added(l, g);
    }
}

/// `ipv6_mc_down()`: the device went down: unload its groups, stop the works.
pub(crate) fn down(dev: &NetDevice) {
    down_as(dev, false);
}

fn down_as(dev: &NetDevice, dead: bool) {
    let Some(idev) = Inet6Dev::of(dev) else {
        return;
    };
    {
        let guard = McGuard::lock(idev);
        let l = guard.get();
        for g in l.groups(false) {
            group_dropped(l, g, dead);
        }
    }
    idev.mld_rx_stop(false);
    let guard = McGuard::lock(idev);
    let l = guard.get();
    stop_ifc(l);
    stop_gq(l);
    l.work_stop(DevWork::Dad);
}

fn stop_ifc(l: &McLocked<'_>) {
    let mut st = l.state();
    st.ifc_count = 0;
    l.set_state(&st);
    l.work_stop(DevWork::Ifc);
}

fn stop_gq(l: &McLocked<'_>) {
    let mut st = l.state();
    st.gq_running = false;
    l.set_state(&st);
    l.work_stop(DevWork::Gq);
}

/// `ipv6_mc_destroy_dev()`: the inet6_dev goes; every group goes with it (the device
/// is marked dead, so no leave is reported). Under RTNL, before it is released.
pub(crate) fn destroy(dev: &NetDevice) {
    down_as(dev, true);
    let Some(idev) = Inet6Dev::of(dev) else {
        return;
    };
    idev.mld_rx_stop(true);
    let guard = McGuard::lock(idev);
    let l = guard.get();
    clear_delrec(l);
    while let Some(g) = l.groups(false).next() {
        l.remove(g, false);
    }
}

/// `ipv6_mc_dad_complete()`: the link-local address is usable: report every group
/// again from it.
pub(crate) fn dad_complete(dev: &NetDevice) {
    let Some(idev) = Inet6Dev::of(dev) else {
        return;
    };
    let guard = McGuard::lock(idev);
    let l = guard.get();
    let mut st = l.state();
    st.dad_count = st.qrv;
    l.set_state(&st);
    if st.dad_count > 0 {
        send_initial_cr(l);
        count_down(l, DevWork::Dad);
    }
}

/// `ipv6_chk_mcast_addr()` without a source: whether `d` listens to `group`.
pub(crate) fn joined(d: &RxDev<'_>, group: &Ipv6Addr) -> bool {
    let rcu = Rcu::read_lock();
    mc::any_rcu(d, &rcu, |g| g.addr() == *group)
}

/// `ipv6_chk_mcast_addr()`: whether `d` listens to `group` from `src` (the device's
/// merged filter; an unspecified source is not filtered).
pub(crate) fn joined_from(d: &RxDev<'_>, group: &Ipv6Addr, src: &Ipv6Addr) -> bool {
    let rcu = Rcu::read_lock();
    let mut rv = false;
    mc::any_rcu(d, &rcu, |g| {
        if g.addr() != *group {
            return false;
        }
        rv = if src.is_unspecified() {
            true
        } else {
            let st = g.sf();
            let mut found = None;
            g.any_source_rcu(&rcu, |s| {
                if s.addr == *src {
                    found = Some(*s);
                    true
                } else {
                    false
                }
            });
            match found {
                Some(s) => s.count[1] != 0 || s.count[0] != st.sfcount[0],
                None => st.sfcount[0] != 0,
            }
        };
        true
    });
    rv
}

// --- receiving

/// `igmp6_event_query()`, `igmp6_event_report()`: MLD messages for the device's work.
pub(crate) fn rcv(skb: Skb, t: u8) {
    match t {
        kind::QUERY => mc::enqueue(skb, true),
        kind::V1_REPORT => mc::enqueue(skb, false),
        _ => skb.consume(),
    }
}

/// `__mld_query_work()`.
fn query(l: &McLocked<'_>, mut skb: Skb) {
    let nh = skb.borrow().network_header();
    let (src, hop_limit) = match crate::wire::ipv6::header_addrs(&nh) {
        Some((s, _)) => (s, nh[7]),
        None => return skb.consume(),
    };
    let mut hbh = [0u8; 128];
    let n = skb.borrow().network_len().min(hbh.len());
    let ra = match skb.borrow().copy_network(&mut hbh[..n]) {
        Ok(()) => mld::router_alert(&hbh[..n]),
        Err(()) => None,
    };
    if !mld::query_valid(&src, hop_limit, ra) {
        return skb.consume();
    }
    let v1 = v1_mode(l);
    let v2_only = forced(l) == 2;
    let hz = crate::net::time::hz();
    let ms_to_j = |ms: u32| (u64::from(ms) * hz).div_ceil(1000).max(1);
    let Some(msg) = skb.linear() else {
        return skb.consume();
    };
    let mut st = l.state();
    let parsed = mld::parse_query(msg, v1, v2_only);
    let (group, max_delay, sources) = match parsed {
        Some(Query::V1 {
            group,
            max_delay_ms,
            v1_query,
        }) => {
            // mld_process_v1()
            if v1_query {
                st.v1_seen = jiffies() + mld::v1_switchback(st.qrv, st.qi, st.qri);
                l.set_state(&st);
            }
            stop_gq(l);
            stop_ifc(l);
            clear_delrec(l);
            (group, ms_to_j(max_delay_ms), KVec::new())
        }
        Some(Query::V2 {
            group,
            max_delay_ms,
            qrv,
            qqi_secs,
            sources,
        }) => {
            let md = ms_to_j(max_delay_ms);
            update_from_v2(l, qrv, qqi_secs, max_delay_ms, md);
            if group.is_unspecified() {
                // mld_gq_start_work()
                let mut st = l.state();
                st.gq_running = true;
                l.set_state(&st);
                let tv = KernelRandom.below(st.maxdelay.max(1) as u32);
                l.work_start(DevWork::Gq, u64::from(tv) + 2);
                return skb.consume();
            }
            // The sources, copied: the packet goes before they are marked.
            let mut srcs = KVec::new();
            if srcs.extend_from_slice(sources, GFP_KERNEL).is_err() {
                return skb.consume();
            }
            (group, md, srcs)
        }
        None => {
            if let Some((qrv, qqi, mrd)) = mld::v2_dropped_values(msg, v1) {
                update_from_v2(l, qrv, qqi, mrd, ms_to_j(mrd));
            }
            return skb.consume();
        }
    };
    skb.consume();
    let resp = max_delay.min(u64::from(u32::MAX)) as u32;
    if group.is_unspecified() {
        for g in l.groups(false) {
            queried(l, g, resp);
        }
    } else if let Some(g) = l.find(&group, false) {
        let mark = !sources.is_empty();
        if g.flags() & maf::TIMER_RUNNING != 0 {
            // gsquery <- gsquery && mark
            if !mark {
                l.update_flags(g, 0, maf::GSQUERY);
            }
        } else if mark {
            l.update_flags(g, maf::GSQUERY, 0);
        } else {
            l.update_flags(g, 0, maf::GSQUERY);
        }
        let ask = if g.flags() & maf::GSQUERY == 0 {
            true
        } else {
            let mut st = g.sf();
            let r = mld_src::marksources(&mut st, &mut l.sources(g, false), &sources);
            l.set_sf(g, &st);
            r
        };
        if ask {
            queried(l, g, resp);
        }
    }
}

/// `mld_process_v2()`'s updates of the querier's values.
fn update_from_v2(l: &McLocked<'_>, qrv: u8, qqi_secs: u32, mrd_ms: u32, max_delay: u64) {
    let hz = crate::net::time::hz();
    let mut st = l.state();
    st.qrv = mld::update_qrv(st.qrv, qrv, mc::sysctl_qrv());
    st.qi = u64::from(qqi_secs) * hz;
    st.qri = (u64::from(mrd_ms) * hz).div_ceil(1000);
    st.maxdelay = max_delay;
    l.set_state(&st);
}

/// `igmp6_group_queried()`.
fn queried(l: &McLocked<'_>, g: &McGroup, resptime: u32) {
    if !mld::queryable(&g.addr()) {
        return;
    }
    let pending = l
        .timer_cancel(g)
        .map(|left| left.min(u64::from(u32::MAX)) as u32);
    let delay = mld::queried_delay(resptime, pending, &mut KernelRandom);
    l.timer_start(g, u64::from(delay));
    l.update_flags(g, maf::TIMER_RUNNING, 0);
}

/// `__mld_report_work()`: another listener's MLDv1 report makes ours unnecessary.
fn report(l: &McLocked<'_>, mut skb: Skb) {
    let nh = skb.borrow().network_header();
    let pt = skb.pkt_type();
    let l2_mcast = pt == pkt_type::MULTICAST || pt == pkt_type::BROADCAST;
    let src = crate::wire::ipv6::header_addrs(&nh).map(|(s, _)| s);
    let group = skb
        .head(mld::V1_LEN)
        .map(|m| Ipv6Addr::from(<[u8; 16]>::try_from(&m[8..24]).unwrap_or([0; 16])));
    skb.consume();
    let (Some(src), Some(group)) = (src, group) else {
        return;
    };
    if !mld::report_suppresses(pt == pkt_type::LOOPBACK, l2_mcast, &src) {
        return;
    }
    if let Some(g) = l.find(&group, false) {
        l.timer_cancel(g);
        l.update_flags(g, 0, maf::LAST_REPORTER | maf::TIMER_RUNNING);
    }
}

/// MLD's works.
pub(crate) struct MldHandlers;

impl mc::Mld for MldHandlers {
    fn work(l: &McLocked<'_>, w: DevWork) {
        match w {
            DevWork::Ifc => {
                // mld_ifc_work()
                send_cr(l);
                count_down(l, w);
            }
            DevWork::Gq => {
                // mld_gq_work()
                send_report(l, None);
                let mut st = l.state();
                st.gq_running = false;
                l.set_state(&st);
            }
            DevWork::Dad => {
                // mld_dad_work()
                send_initial_cr(l);
                count_down(l, w);
            }
        }
    }

    /// `mld_mca_work()`.
    fn group_timer(l: &McLocked<'_>, g: &McGroup) {
        if v1_mode(l) {
            send_v1(l, &g.addr(), kind::V1_REPORT);
        } else {
            send_report(l, Some(g));
        }
        l.update_flags(g, maf::LAST_REPORTER, maf::TIMER_RUNNING);
    }

    fn received(l: &McLocked<'_>, skb: Skb, is_query: bool) {
        if is_query {
            query(l, skb);
        } else {
            report(l, skb);
        }
    }
}

/// The MLD workqueue of the module.
pub(crate) type Work = mc::MldWork<MldHandlers>;

// --- sockets

/// `IPV6_ADD_MEMBERSHIP`, `IPV6_DROP_MEMBERSHIP` (`struct ipv6_mreq`).
const ADD_MEMBERSHIP: i32 = 20;
const DROP_MEMBERSHIP: i32 = 21;
/// `IPV6_MULTICAST_ALL`.
const MULTICAST_ALL: i32 = 29;
/// `MCAST_JOIN_GROUP`, `MCAST_LEAVE_GROUP` (`struct group_req`).
const MCAST_JOIN_GROUP: i32 = 42;
const MCAST_LEAVE_GROUP: i32 = 45;
/// `MCAST_BLOCK_SOURCE`, `MCAST_UNBLOCK_SOURCE`, `MCAST_JOIN_SOURCE_GROUP`,
/// `MCAST_LEAVE_SOURCE_GROUP` (`struct group_source_req`), `MCAST_MSFILTER`
/// (`struct group_filter`).
const MCAST_BLOCK_SOURCE: i32 = 43;
const MCAST_UNBLOCK_SOURCE: i32 = 44;
const MCAST_JOIN_SOURCE_GROUP: i32 = 46;
const MCAST_LEAVE_SOURCE_GROUP: i32 = 47;
const MCAST_MSFILTER: i32 = 48;
/// `sizeof(struct group_req)`: the interface, padding, a `sockaddr_storage`.
const GROUP_REQ_LEN: usize = 136;
const SOL_IPV6: i32 = 41;

/// `ipv6_setsockopt()`: the membership options, under RTNL and the socket's lock as
/// mainline takes them; the others go to [`sock::setsockopt`].
pub(crate) fn setsockopt(sk: &Sock, level: i32, name: i32, opt: &OptIn<'_>) -> Result<(), i32> {
    if level != SOL_IPV6 {
        return sock::setsockopt(sk, level, name, opt);
    }
    match name {
        ADD_MEMBERSHIP | DROP_MEMBERSHIP => {
            let mut m = [0u8; 20];
            if opt.len() < m.len() {
                return Err(EINVAL);
            }
            opt.read(&mut m)?;
            let group = Ipv6Addr::from(<[u8; 16]>::try_from(&m[..16]).unwrap_or([0; 16]));
            let ifindex = u32::from_ne_bytes([m[16], m[17], m[18], m[19]]);
            let rtnl = RtnlGuard::lock();
            sk.locked(|| {
                if name == ADD_MEMBERSHIP {
                    sock_join(sk, rtnl.held(), ifindex, &group, MCAST_EXCLUDE)
                } else {
                    sock_drop(sk, rtnl.held(), ifindex, &group)
                }
            })
        }
        MCAST_JOIN_GROUP | MCAST_LEAVE_GROUP => {
            let mut g = [0u8; GROUP_REQ_LEN];
            if opt.len() < g.len() {
                return Err(EINVAL);
            }
            opt.read(&mut g)?;
            let ifindex = u32::from_ne_bytes([g[0], g[1], g[2], g[3]]);
            // gr_group at offset 8: a sockaddr_in6, family first.
            if u16::from_ne_bytes([g[8], g[9]]) != uapi::AF_INET6 as u16 {
                return Err(EADDRNOTAVAIL);
            }
            let group = Ipv6Addr::from(<[u8; 16]>::try_from(&g[16..32]).unwrap_or([0; 16]));
            let rtnl = RtnlGuard::lock();
            sk.locked(|| {
                if name == MCAST_JOIN_GROUP {
                    sock_join(sk, rtnl.held(), ifindex, &group, MCAST_EXCLUDE)
                } else {
                    sock_drop(sk, rtnl.held(), ifindex, &group)
                }
            })
        }
        MCAST_BLOCK_SOURCE
        | MCAST_UNBLOCK_SOURCE
        | MCAST_JOIN_SOURCE_GROUP
        | MCAST_LEAVE_SOURCE_GROUP => {
            // do_ipv6_mcast_group_source()
            let mut g = [0u8; mld_src::GROUP_SOURCE_REQ_LEN];
            if opt.len() < g.len() {
                return Err(EINVAL);
            }
            opt.read(&mut g)?;
            let ifindex = u32::from_ne_bytes([g[0], g[1], g[2], g[3]]);
            let (gfam, group) = mld_src::ss_in6(&g[8..8 + mld_src::SS_LEN]);
            let (sfam, source) = mld_src::ss_in6(&g[8 + mld_src::SS_LEN..]);
            if gfam != uapi::AF_INET6 as u16 || sfam != uapi::AF_INET6 as u16 {
                return Err(EADDRNOTAVAIL);
            }
            let rtnl = RtnlGuard::lock();
            sk.locked(|| {
                let (omode, add) = match name {
                    MCAST_BLOCK_SOURCE => (MCAST_EXCLUDE, true),
                    MCAST_UNBLOCK_SOURCE => (MCAST_EXCLUDE, false),
                    MCAST_JOIN_SOURCE_GROUP => {
                        match sock_join(sk, rtnl.held(), ifindex, &group, MCAST_INCLUDE) {
                            // A prior join with another source is fine.
                            Ok(()) | Err(EADDRINUSE) => {}
                            Err(e) => return Err(e),
                        }
                        (MCAST_INCLUDE, true)
                    }
                    _ => (MCAST_INCLUDE, false),
                };
                sock_source(sk, rtnl.held(), add, omode, ifindex, &group, &source)
            })
        }
        MCAST_MSFILTER => {
            // ipv6_set_mcast_msfilter()
            let mut h = [0u8; mld_src::GROUP_FILTER_HDR];
            if opt.len() < h.len() {
                return Err(EINVAL);
            }
            if opt.len() > sk.optmem_max().max(0) as usize {
                return Err(ENOBUFS);
            }
            opt.read(&mut h)?;
            let gf = mld_src::parse_group_filter(&h);
            mld_src::msfilter_check(opt.len(), gf.numsrc, mc::sysctl_max_msf(), sk.optmem_max())?;
            let len = mld_src::group_filter_size(gf.numsrc) as usize;
            let mut buf = zeroed(len)?;
            opt.read(&mut buf)?;
            let mut srcs = KVec::new();
            for k in 0..gf.numsrc as usize {
                let at = mld_src::GROUP_FILTER_HDR + k * mld_src::SS_LEN;
                let (_, a) = mld_src::ss_in6(&buf[at..at + mld_src::SS_LEN]);
                srcs.push(a, GFP_KERNEL).map_err(|_| ENOMEM)?;
            }
            let rtnl = RtnlGuard::lock();
            sk.locked(|| sock_msfilter(sk, rtnl.held(), &gf, &srcs))
        }
        MULTICAST_ALL => {
            if opt.len() < 4 {
                return Err(EINVAL);
            }
            let on = opt.int()? != 0;
            sk.locked(|| sk.set_mc_all(on));
            Ok(())
        }
        _ => sock::setsockopt(sk, level, name, opt),
    }
}

/// `ipv6_getsockopt()`: `IPV6_MULTICAST_ALL`, and the rest from [`sock::getsockopt`].
pub(crate) fn getsockopt(sk: &Sock, level: i32, name: i32, opt: &OptOut<'_>) -> Result<(), i32> {
    if level == SOL_IPV6 && name == MULTICAST_ALL {
        return opt.put_int(i32::from(sk.mc_all()));
    }
    if level == SOL_IPV6 && name == MCAST_MSFILTER {
        return get_msfilter(sk, opt);
    }
    sock::getsockopt(sk, level, name, opt)
}

/// `__ipv6_sock_mc_join()`: the socket joins `group` on `ifindex` (0: the interface
/// the route to the group leaves through) with an empty filter of mode `mode`. Under
/// RTNL and the socket's lock.
fn sock_join(
    sk: &Sock,
    rtnl: RtnlHeld<'_>,
    ifindex: u32,
    group: &Ipv6Addr,
    mode: u32,
) -> Result<(), i32> {
    if !group.is_multicast() {
        return Err(EINVAL);
    }
    if sk.mc_memberships(|m| (ifindex == 0 || m.ifindex == ifindex) && m.addr == *group) {
        return Err(EADDRINUSE);
    }
    let slot = sk.mc_alloc()?;
    let ifindex = route_ifindex(sk, group, ifindex).ok_or(ENODEV)?;
    let dev = sk.net().dev_rtnl(rtnl, ifindex).ok_or(ENODEV)?;
    if Inet6Dev::of(dev).is_none() {
        return Err(EINVAL);
    }
    inc_mode(dev, group, mode)?;
    slot.link(ifindex, group, mode);
    Ok(())
}

/// The interface a membership of `group` on `ifindex` is on: `ifindex`, or for 0 the
/// one the route to the group leaves through (`rt6_lookup()`).
fn route_ifindex(sk: &Sock, group: &Ipv6Addr, ifindex: u32) -> Option<u32> {
    if ifindex != 0 {
        return Some(ifindex);
    }
    let keys = crate::flow::FlowKeys::default();
    ip6_input::output_route(sk.net(), group, None, 0, false, keys)
        .ok()
        .map(|(i, _)| i)
}

/// `ip6_mc_leave_src()` and `__ipv6_dev_mc_dec()` for a membership taken off the
/// socket. Under RTNL and the socket's lock.
fn leave_taken(sk: &Sock, rtnl: RtnlHeld<'_>, t: mc::TakenMembership<'_>) {
    let m = t.membership();
    let Some(dev) = sk.net().dev_rtnl(rtnl, m.ifindex) else {
        return;
    };
    if let Some(idev) = Inet6Dev::of(dev) {
        let mut srcs = KVec::new();
        for a in t.sources() {
            if srcs.push(Ipv6Addr::from(*a), GFP_KERNEL).is_err() {
                break;
            }
        }
        let guard = McGuard::lock(idev);
        let _ = change_src(guard.get(), &m.addr, false, m.sfmode, &srcs, false);
    }
    drop(t);
    let _ = dec(dev, &m.addr);
}

/// `ipv6_sock_mc_drop()`. Under RTNL and the socket's lock.
fn sock_drop(sk: &Sock, rtnl: RtnlHeld<'_>, ifindex: u32, group: &Ipv6Addr) -> Result<(), i32> {
    if !group.is_multicast() {
        return Err(EINVAL);
    }
    let t = sk.mc_take(ifindex, group, false).ok_or(EADDRNOTAVAIL)?;
    leave_taken(sk, rtnl, t);
    Ok(())
}

/// `ipv6_sock_mc_close()`: every membership of a closing socket goes.
pub(crate) fn sock_close(sk: &Sock) {
    if !sk.mc_memberships(|_| true) {
        return;
    }
    let rtnl = RtnlGuard::lock();
    sk.locked(|| {
        while let Some(t) = sk.mc_take(0, &Ipv6Addr::UNSPECIFIED, true) {
            leave_taken(sk, rtnl.held(), t);
        }
    });
}

/// The device of a source-filter request (`ip6_mc_find_dev()`).
fn find_dev<'r>(
    sk: &Sock,
    rtnl: RtnlHeld<'r>,
    group: &Ipv6Addr,
    ifindex: u32,
) -> Option<&'r Inet6Dev> {
    let i = route_ifindex(sk, group, ifindex)?;
    Inet6Dev::of(sk.net().dev_rtnl(rtnl, i)?)
}

/// `ip6_mc_source()`: adds (`add`) `source` to or removes it from the socket's filter
/// in mode `omode` on `group`. Under RTNL and the socket's lock.
fn sock_source(
    sk: &Sock,
    rtnl: RtnlHeld<'_>,
    add: bool,
    omode: u32,
    ifindex: u32,
    group: &Ipv6Addr,
    source: &Ipv6Addr,
) -> Result<(), i32> {
    if !group.is_multicast() {
        return Err(EINVAL);
    }
    let idev = find_dev(sk, rtnl, group, ifindex).ok_or(ENODEV)?;
    let leave = {
        let guard = McGuard::lock(idev);
        let l = guard.get();
        if l.dead() {
            return Err(ENODEV);
        }
        let pmc = sk
            .mc_find(|m| (ifindex == 0 || m.ifindex == ifindex) && m.addr == *group)
            .ok_or(EINVAL)?;
        let m = pmc.membership();
        if pmc.sflist().is_some() {
            if m.sfmode != omode {
                return Err(EINVAL);
            }
        } else if m.sfmode != omode {
            // Mode switches of empty filters are allowed.
            let _ = change_src(l, group, true, omode, &[], false);
            let _ = change_src(l, group, false, m.sfmode, &[], false);
            pmc.set_sfmode(omode);
        }
        let psl = pmc.sflist();
        match mld_src::source_edit(add, omode, psl, source, mc::sysctl_max_msf())? {
            SourceEdit::Leave => true,
            SourceEdit::Remove(i) => {
                let old = psl.unwrap_or(&[]);
                pmc.charge(false);
                let new = if old.len() == 1 {
                    None
                } else {
                    match sk.sf_alloc(old.len() - 1) {
                        Ok(mut b) => {
                            let kept = old.iter().enumerate().filter(|(k, _)| *k != i);
                            for (d, (_, a)) in b.addrs_mut().iter_mut().zip(kept) {
                                *d = *a;
                            }
                            Some(b)
                        }
                        Err(e) => {
                            pmc.charge(true);
                            return Err(e);
                        }
                    }
                };
                let _ = change_src(l, group, false, omode, &[*source], true);
                pmc.install(new);
                return Ok(());
            }
            SourceEdit::Add => {
                let old = psl.unwrap_or(&[]);
                let mut b = sk.sf_alloc(old.len() + 1)?;
                let new = Iterator::chain(old.iter().copied(), core::iter::once(source.octets()));
                for (d, a) in b.addrs_mut().iter_mut().zip(new) {
                    *d = a;
                }
                let _ = change_src(l, group, true, omode, &[*source], true);
                pmc.charge(false);
                pmc.install(Some(b));
                return Ok(());
            }
        }
    };
    if leave {
        return sock_drop(sk, rtnl, ifindex, group);
    }
    Ok(())
}

/// `ip6_mc_msfilter()`: the socket's filter on a group becomes `gf`'s mode with
/// `srcs`. Under RTNL and the socket's lock.
fn sock_msfilter(
    sk: &Sock,
    rtnl: RtnlHeld<'_>,
    gf: &mld_src::GroupFilter,
    srcs: &[Ipv6Addr],
) -> Result<(), i32> {
    let group = &gf.group;
    if !group.is_multicast() {
        return Err(EINVAL);
    }
    if gf.fmode != MCAST_INCLUDE && gf.fmode != MCAST_EXCLUDE {
        return Err(EINVAL);
    }
    let idev = find_dev(sk, rtnl, group, gf.ifindex).ok_or(ENODEV)?;
    {
        let guard = McGuard::lock(idev);
        let l = guard.get();
        if l.dead() {
            return Err(ENODEV);
        }
        if !(gf.fmode == MCAST_INCLUDE && srcs.is_empty()) {
            let pmc = sk
                .mc_find(|m| m.ifindex == gf.ifindex && m.addr == *group)
                .ok_or(EINVAL)?;
            let new = if srcs.is_empty() {
                let _ = change_src(l, group, true, gf.fmode, &[], false);
                None
            } else {
                let mut b = sk.sf_alloc(srcs.len())?;
                for (d, a) in b.addrs_mut().iter_mut().zip(srcs) {
                    *d = a.octets();
                }
                change_src(l, group, true, gf.fmode, srcs, false)?;
                Some(b)
            };
            let m = pmc.membership();
            let mut old = KVec::new();
            for a in pmc.sflist().unwrap_or(&[]) {
                let _ = old.push(Ipv6Addr::from(*a), GFP_KERNEL);
            }
            let _ = change_src(l, group, false, m.sfmode, &old, false);
            pmc.charge(false);
            pmc.install(new);
            pmc.set_sfmode(gf.fmode);
            return Ok(());
        }
    }
    sock_drop(sk, rtnl, gf.ifindex, group)
}

/// `ipv6_get_msfilter()` with `ip6_mc_msfget()`: the socket's filter on a group, as
/// many sources as the caller has room for, and how many there are.
fn get_msfilter(sk: &Sock, opt: &OptOut<'_>) -> Result<(), i32> {
    let len = opt.len()?;
    if len < mld_src::GROUP_FILTER_HDR as i32 {
        return Err(EINVAL);
    }
    let mut h = [0u8; mld_src::GROUP_FILTER_HDR];
    opt.read_val(&mut h)?;
    let gf = mld_src::parse_group_filter(&h);
    if gf.family != uapi::AF_INET6 as u16 {
        return Err(EADDRNOTAVAIL);
    }
    sk.locked(|| {
        if !gf.group.is_multicast() {
            return Err(EINVAL);
        }
        let pmc = sk
            .mc_find(|m| m.ifindex == gf.ifindex && m.addr == gf.group)
            .ok_or(EADDRNOTAVAIL)?;
        let list = pmc.sflist().unwrap_or(&[]);
        let count = list.len() as u32;
        let copy = count.min(gf.numsrc);
        for (k, a) in list.iter().take(copy as usize).enumerate() {
            let ss = mld_src::ss_of(&Ipv6Addr::from(*a));
            opt.write_at(mld_src::GROUP_FILTER_HDR + k * mld_src::SS_LEN, &ss)?;
        }
        let mut out = h;
        out[136..140].copy_from_slice(&pmc.membership().sfmode.to_ne_bytes());
        out[140..144].copy_from_slice(&count.to_ne_bytes());
        opt.set_len(mld_src::group_filter_size(copy) as i32)?;
        opt.write_at(0, &out)
    })
}

/// `inet6_mc_check()`: whether the socket takes a packet to `group` from `src`: its
/// first membership of the group decides by its filter; without one,
/// `IPV6_MULTICAST_ALL` says.
pub(crate) fn sock_accepts(sk: &Sock, group: &Ipv6Addr, src: &Ipv6Addr) -> bool {
    let _rcu = Rcu::read_lock();
    match sk.mc_find(|m| m.addr == *group) {
        Some(pmc) => mld_src::sock_accepts(pmc.membership().sfmode, pmc.sflist(), src),
        None => sk.mc_all(),
    }
}

// --- IFA_F_MCAUTOJOIN

/// The memberships that `IFA_F_MCAUTOJOIN` addresses hold, a namespace's (mainline
/// keeps them on the namespace's `mc_autojoin_sk` socket): group and interface.
/// Left memberships leave a free slot, which a later join takes.
pub(crate) struct Autojoin(BhRwLock<KVec<Option<(u32, Ipv6Addr)>>>);

impl Autojoin {
    pub(crate) fn new() -> Result<Self> {
        Ok(Self(BhRwLock::new(KVec::new(), LockClass::Autojoin)?))
    }
}

fn autojoins(net: &crate::net::netns::Net) -> &Autojoin {
    &crate::ipv6::af_inet6::state(net).autojoin
}

/// `ipv6_mc_config(mc_autojoin_sk, true, ...)`: joins `group` on `ifindex` as the
/// namespace's autojoin socket would, with its errors. Under RTNL.
pub(crate) fn autojoin(
    net: &crate::net::netns::Net,
    rtnl: RtnlHeld<'_>,
    ifindex: u32,
    group: &Ipv6Addr,
) -> Result<(), i32> {
    if !group.is_multicast() {
        return Err(EINVAL);
    }
    let list = &autojoins(net).0;
    if list.read(|l| l.iter().flatten().any(|(i, g)| *i == ifindex && g == group)) {
        return Err(EADDRINUSE);
    }
    let dev = net.dev_rtnl(rtnl, ifindex).ok_or(ENODEV)?;
    if Inet6Dev::of(dev).is_none() {
        return Err(EINVAL);
    }
    inc(dev, group)?;
    // Under the list's BH lock: an atomic allocation, as a socket's would be charged.
    let added = list.write(|l| match l.iter_mut().find(|s| s.is_none()) {
        Some(slot) => {
            *slot = Some((ifindex, *group));
            Ok(())
        }
        None => l.push(Some((ifindex, *group)), GFP_ATOMIC),
    });
    if added.is_err() {
        let _ = dec(dev, group);
        return Err(ENOMEM);
    }
    Ok(())
}

/// `ipv6_mc_config(mc_autojoin_sk, false, ...)`. Under RTNL.
pub(crate) fn autoleave(
    net: &crate::net::netns::Net,
    rtnl: RtnlHeld<'_>,
    ifindex: u32,
    group: &Ipv6Addr,
) -> Result<(), i32> {
    if !group.is_multicast() {
        return Err(EINVAL);
    }
    let taken = autojoins(net).0.write(|l| {
        l.iter_mut()
            .find(|s| s.is_some_and(|(i, g)| (ifindex == 0 || i == ifindex) && g == *group))
            .and_then(|s| s.take())
    });
    let (i, g) = taken.ok_or(EADDRNOTAVAIL)?;
    if let Some(dev) = net.dev_rtnl(rtnl, i) {
        let _ = dec(dev, &g);
    }
    Ok(())
}

// --- /proc/net/igmp6

/// `/proc/net/igmp6` (`igmp6_mc_seq_show()`): one line per group of every device.
pub(crate) struct Igmp6;

impl crate::net::procfs::SeqShow for Igmp6 {
    fn show(seq: &mut Seq<'_>) {
        let net = seq.net();
        let rtnl = RtnlGuard::lock();
        crate::net::device::for_each_dev(rtnl.held(), net, |dev| {
            let rcu = Rcu::read_lock();
            let Some(d) = net.dev_rcu(dev.ifindex(), &rcu) else {
                return;
            };
            mc::any_rcu(&d, &rcu, |g| {
                seq.line(format_args!(
                    "{:<4} {:<15} {:032x} {:5} {:08X} {}\n",
                    d.ifindex(),
                    d.name(),
                    u128::from_be_bytes(g.addr().octets()),
                    g.users(),
                    g.flags(),
                    g.timer_clock()
                ));
                false
            });
        });
    }
}

// --- /proc/net/mcfilter6

/// `/proc/net/mcfilter6` (`igmp6_mcf_seq_show()`): a header, then one line per source
/// of every group of every device.
pub(crate) struct Mcfilter6;

impl crate::net::procfs::SeqShow for Mcfilter6 {
    fn show(seq: &mut Seq<'_>) {
        seq.line(format_args!(
            "Idx Device                Multicast Address                   Source Address    INC    EXC\n"
        ));
        let net = seq.net();
        let rtnl = RtnlGuard::lock();
        crate::net::device::for_each_dev(rtnl.held(), net, |dev| {
            let rcu = Rcu::read_lock();
            let Some(d) = net.dev_rcu(dev.ifindex(), &rcu) else {
                return;
            };
            mc::any_rcu(&d, &rcu, |g| {
                let group = u128::from_be_bytes(g.addr().octets());
                g.any_source_rcu(&rcu, |s| {
                    seq.line(format_args!(
                        "{:3} {:>6.6} {:032x} {:032x} {:6} {:6}\n",
                        d.ifindex(),
                        d.name(),
                        group,
                        u128::from_be_bytes(s.addr.octets()),
                        s.count[MCAST_INCLUDE as usize],
                        s.count[MCAST_EXCLUDE as usize]
                    ));
                    false
                });
                false
            });
        });
    }
}
