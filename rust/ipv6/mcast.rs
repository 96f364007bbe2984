// SPDX-License-Identifier: GPL-2.0

//! Multicast listener discovery (mainline `net/ipv6/mcast.c`): a device's groups with
//! their users, loaded into its link-layer filter and reported to routers (MLDv2, or
//! MLDv1 when forced or when an MLDv1 querier is present), queries answered, the
//! memberships of sockets (`IPV6_JOIN_GROUP` and friends), multicast delivery checks,
//! and `/proc/net/igmp6`. Decisions and wire formats come from [`crate::mld`].
//!
//! Memberships are any-source: a socket or the kernel joins a group on an interface,
//! and reports carry no source lists.

#![forbid(unsafe_code)]

use crate::ipv6::{ip6_input, ndisc};
use crate::mld::{self, kind, maf, rec, Query};
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

use crate::errno::{EADDRINUSE, EADDRNOTAVAIL, EINVAL, ENODEV, ENOENT, ENOMEM};

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

/// MLDv2 reports with `records`, as many per message as the link's MTU lets go
/// (`add_grec()`, `mld_sendpack()`).
fn send_v2(l: &McLocked<'_>, records: &[(u8, Ipv6Addr)]) {
    if records.is_empty() {
        return;
    }
    l.with_rx(|d| {
        let mtu = d.cnf().map_or(0, |c| c.mtu6.max(0) as u32);
        let per = mld::records_per_report(mtu);
        if mtu < crate::conf::IPV6_MIN_MTU || per == 0 {
            return;
        }
        for chunk in records.chunks(per) {
            let len = mld::V2_REPORT_HDR + chunk.len() * mld::GREC_LEN;
            send(d, &mld::ALL_MLDV2_ROUTERS, len, |b| {
                mld::emit_v2_report(b, chunk)
            });
        }
    });
}

/// `mld_send_report()`: current-state records, of `only` or of every reported group.
fn send_report(l: &McLocked<'_>, only: Option<&McGroup>) {
    let mut records = KVec::new();
    for g in l.groups(false) {
        if only.is_some_and(|o| o.addr() != g.addr()) || g.flags() & maf::NOREPORT != 0 {
            continue;
        }
        if records
            .push((rec::MODE_IS_EXCLUDE, g.addr()), GFP_KERNEL)
            .is_err()
        {
            break;
        }
        l.update_flags(g, 0, maf::GSQUERY);
    }
    send_v2(l, &records);
}

/// `mld_send_cr()`: a leave record for each deleted group with reports left, then a
/// join record for each group with reports left.
fn send_cr(l: &McLocked<'_>) {
    let mut records = KVec::new();
    let mut gone = KVec::new();
    for t in l.groups(true) {
        let n = l.crcount(t);
        if n > 0 {
            let _ = records.push((rec::CHANGE_TO_INCLUDE, t.addr()), GFP_KERNEL);
            l.set_crcount(t, n - 1);
        }
        if l.crcount(t) == 0 {
            let _ = gone.push(t.addr(), GFP_KERNEL);
        }
    }
    for a in &gone {
        if let Some(t) = l.find(a, true) {
            l.remove(t, true);
        }
    }
    for g in l.groups(false) {
        let n = l.crcount(g);
        if n > 0 {
            if g.flags() & maf::NOREPORT == 0 {
                let _ = records.push((rec::CHANGE_TO_EXCLUDE, g.addr()), GFP_KERNEL);
            }
            l.set_crcount(g, n - 1);
        }
    }
    send_v2(l, &records);
}

/// `mld_send_initial_cr()`: every reported group, once the link-local address is
/// usable.
fn send_initial_cr(l: &McLocked<'_>) {
    if v1_mode(l) {
        return;
    }
    let mut records = KVec::new();
    for g in l.groups(false) {
        if g.flags() & maf::NOREPORT == 0 {
            let _ = records.push((rec::CHANGE_TO_EXCLUDE, g.addr()), GFP_KERNEL);
        }
    }
    send_v2(l, &records);
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
    l.set_crcount(g, l.state().qrv as u8);
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
            // mld_add_delrec()
            let qrv = l.state().qrv as u8;
            let _ = l.add(&addr, 0, qrv, true);
            ifc_event(l);
        }
    }
    l.timer_cancel(g);
}

/// `mld_del_delrec()`: a group joined again is no longer reported as left.
fn del_delrec(l: &McLocked<'_>, g: &McGroup) {
    if let Some(t) = l.find(&g.addr(), true) {
        l.remove(t, true);
        l.set_crcount(g, l.state().qrv as u8);
    }
}

/// `mld_clear_delrec()`.
fn clear_delrec(l: &McLocked<'_>) {
    while let Some(t) = l.groups(true).next() {
        l.remove(t, true);
    }
}

/// `__ipv6_dev_mc_inc()` on the locked device.
fn inc_locked(l: &McLocked<'_>, group: &Ipv6Addr) -> Result<(), i32> {
    if l.dead() {
        return Err(ENODEV);
    }
    if let Some(g) = l.find(group, false) {
        l.set_users(g, g.users() + 1);
        return Ok(());
    }
    let g = l
        .add(group, mld::initial_flags(group), 0, false)
        .map_err(|e| -e.to_errno())?;
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
    let idev = Inet6Dev::of(dev).ok_or(EINVAL)?;
    let guard = McGuard::lock(idev);
    inc_locked(guard.get(), group)
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

/// `ipv6_chk_mcast_addr()`: whether `d` listens to `group`.
pub(crate) fn joined(d: &RxDev<'_>, group: &Ipv6Addr) -> bool {
    let rcu = Rcu::read_lock();
    mc::any_rcu(d, &rcu, |g| g.addr() == *group)
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
            (group, ms_to_j(max_delay_ms), false)
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
            (group, md, !sources.is_empty())
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
        // Any-source groups answer a group-and-source-specific query as a group one:
        // no source of theirs is marked (mld_marksources() finds none excluded).
        let running = g.flags() & maf::TIMER_RUNNING != 0;
        if !sources || !running {
            l.update_flags(g, 0, maf::GSQUERY);
        }
        queried(l, g, resp);
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
                    sock_join(sk, rtnl.held(), ifindex, &group)
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
                    sock_join(sk, rtnl.held(), ifindex, &group)
                } else {
                    sock_drop(sk, rtnl.held(), ifindex, &group)
                }
            })
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
    sock::getsockopt(sk, level, name, opt)
}

/// `ipv6_sock_mc_join()`: the socket joins `group` on `ifindex` (0: the interface
/// the route to the group leaves through). Under RTNL and the socket's lock.
fn sock_join(sk: &Sock, rtnl: RtnlHeld<'_>, ifindex: u32, group: &Ipv6Addr) -> Result<(), i32> {
    if !group.is_multicast() {
        return Err(EINVAL);
    }
    if sk.mc_memberships(|m| (ifindex == 0 || m.ifindex == ifindex) && m.addr == *group) {
        return Err(EADDRINUSE);
    }
    let slot = sk.mc_alloc()?;
    let net = sk.net();
    let ifindex = if ifindex == 0 {
        let keys = crate::flow::FlowKeys::default();
        match ip6_input::output_route(net, group, None, 0, false, keys) {
            Ok((i, _)) => i,
            Err(_) => return Err(ENODEV),
        }
    } else {
        ifindex
    };
    let dev = net.dev_rtnl(rtnl, ifindex).ok_or(ENODEV)?;
    if Inet6Dev::of(dev).is_none() {
        return Err(EINVAL);
    }
    inc(dev, group)?;
    slot.link(ifindex, group);
    Ok(())
}

/// `ipv6_sock_mc_drop()`. Under RTNL and the socket's lock.
fn sock_drop(sk: &Sock, rtnl: RtnlHeld<'_>, ifindex: u32, group: &Ipv6Addr) -> Result<(), i32> {
    if !group.is_multicast() {
        return Err(EINVAL);
    }
    let m = sk.mc_take(ifindex, group, false).ok_or(EADDRNOTAVAIL)?;
    if let Some(dev) = sk.net().dev_rtnl(rtnl, m.ifindex) {
        let _ = dec(dev, &m.addr);
    }
    Ok(())
}

/// `ipv6_sock_mc_close()`: every membership of a closing socket goes.
pub(crate) fn sock_close(sk: &Sock) {
    if !sk.mc_memberships(|_| true) {
        return;
    }
    let rtnl = RtnlGuard::lock();
    sk.locked(|| {
        while let Some(m) = sk.mc_take(0, &Ipv6Addr::UNSPECIFIED, true) {
            if let Some(dev) = sk.net().dev_rtnl(rtnl.held(), m.ifindex) {
                let _ = dec(dev, &m.addr);
            }
        }
    });
}

/// `inet6_mc_check()`: whether the socket takes a packet to `group` (any-source
/// memberships take every source); without a membership, `IPV6_MULTICAST_ALL` says.
pub(crate) fn sock_accepts(sk: &Sock, group: &Ipv6Addr) -> bool {
    let _rcu = Rcu::read_lock();
    sk.mc_memberships(|m| m.addr == *group) || sk.mc_all()
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
