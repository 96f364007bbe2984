// SPDX-License-Identifier: GPL-2.0

//! Multicast listener state, kept in the kernel's own structures as mainline's
//! `net/ipv6/mcast.c` keeps it: a device's groups are `struct ifmcaddr6` entries in
//! `inet6_dev.mc_list` (deleted groups still to be reported in `mc_tomb`), changed
//! under the device's `mc_lock` and read under RCU; a socket's memberships are
//! `struct ipv6_mc_socklist` entries in `ipv6_pinfo.ipv6_mc_list`. MLD's timers are the
//! device's and the groups' delayed works, which run [`Mld`]'s handlers with the
//! device's lock held.

use crate::{
    bindings,
    net::{device::RxDev, in6, rcu::Rcu, skb::Skb, sock::Sock},
};
use core::{ffi::c_int, marker::PhantomData, net::Ipv6Addr, ptr::NonNull};
use kernel::{prelude::*, types::Opaque};

/// One of a device's groups (or deleted groups), `struct ifmcaddr6`.
///
/// # Invariants
/// A live entry of a device's lists, borrowed while the device's `mc_lock` or RCU
/// keeps it there (the lifetime of the reference).
#[repr(transparent)]
pub(crate) struct McGroup(Opaque<bindings::ifmcaddr6>);

impl McGroup {
    /// # Safety
    /// `p` must be a live entry for `'a` (type invariant).
    unsafe fn from_raw<'a>(p: *mut bindings::ifmcaddr6) -> &'a Self {
        // SAFETY: see the function's contract; repr(transparent).
        unsafe { &*p.cast::<Self>() }
    }

    fn raw(&self) -> *mut bindings::ifmcaddr6 {
        self.0.get()
    }

    /// The group's address (set before the entry is listed, never changed).
    pub(crate) fn addr(&self) -> Ipv6Addr {
        // SAFETY: a live entry (type invariant); the address is immutable.
        Ipv6Addr::from(unsafe { (*self.raw()).mca_addr.in6_u.u6_addr8 })
    }

    /// Sockets and kernel users holding it (`mca_users`).
    pub(crate) fn users(&self) -> u32 {
        // SAFETY: a live entry (type invariant); a plain integer, read once.
        unsafe { core::ptr::read_volatile(&raw const (*self.raw()).mca_users) }.max(0) as u32
    }

    /// `mca_flags` (`MAF_*`).
    pub(crate) fn flags(&self) -> u32 {
        // SAFETY: as in `users`.
        unsafe { core::ptr::read_volatile(&raw const (*self.raw()).mca_flags) }
    }

    /// `/proc/net/igmp6`'s timer column: clock ticks to the pending report, 0 if none.
    pub(crate) fn timer_clock(&self) -> i64 {
        // SAFETY: a live entry (type invariant).
        unsafe { bindings::ipv6_rs_mca_timer_clock(self.raw()) as i64 }
    }
}

/// The device works of MLD.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum DevWork {
    /// State-change reports (`mc_ifc_work`).
    Ifc,
    /// The answer to a general query (`mc_gq_work`).
    Gq,
    /// Initial reports once the link-local address is usable (`mc_dad_work`).
    Dad,
}

impl DevWork {
    fn id(self) -> c_int {
        (match self {
            Self::Ifc => bindings::IPV6_RS_MLD_IFC,
            Self::Gq => bindings::IPV6_RS_MLD_GQ,
            Self::Dad => bindings::IPV6_RS_MLD_DAD,
        }) as c_int
    }
}

/// A device's multicast state with its `mc_lock` held.
///
/// # Invariants
/// `idev` is an inet6_dev whose `mc_lock` is held, and which is held, for `'a`.
pub(crate) struct McLocked<'a> {
    idev: NonNull<bindings::inet6_dev>,
    _lock: PhantomData<&'a ()>,
}

/// The counters and timers of a device's MLD (`inet6_dev.mc_*`).
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct McState {
    /// Robustness variable (`mc_qrv`).
    pub(crate) qrv: u32,
    /// Query interval and response interval, jiffies (`mc_qi`, `mc_qri`).
    pub(crate) qi: u64,
    pub(crate) qri: u64,
    /// Response delay of the last query (`mc_maxdelay`).
    pub(crate) maxdelay: u64,
    /// Until when an MLDv1 querier is present (`mc_v1_seen`, jiffies, 0 if never).
    pub(crate) v1_seen: u64,
    /// Change reports and initial reports still to send (`mc_ifc_count`,
    /// `mc_dad_count`).
    pub(crate) ifc_count: u32,
    pub(crate) dad_count: u32,
    /// The answer to a general query is pending (`mc_gq_running`).
    pub(crate) gq_running: bool,
}

impl<'a> McLocked<'a> {
    fn raw(&self) -> *mut bindings::inet6_dev {
        self.idev.as_ptr()
    }

    /// The device's groups, newest first; or, with `tomb`, its deleted groups.
    pub(crate) fn groups(&self, tomb: bool) -> Groups<'_> {
        // SAFETY: the lock is held (type invariant).
        let first = unsafe { bindings::ipv6_rs_mca_first(self.raw(), tomb) };
        Groups {
            next: first,
            _lock: PhantomData,
        }
    }

    /// The group `addr`, if the device has it.
    pub(crate) fn find(&self, addr: &Ipv6Addr, tomb: bool) -> Option<&McGroup> {
        self.groups(tomb).find(|g| g.addr() == *addr)
    }

    /// Lists a new group (users 1), or, with `tomb`, a deleted group with `crcount`
    /// reports to send; at the head of its list.
    pub(crate) fn add(
        &self,
        addr: &Ipv6Addr,
        flags: u32,
        crcount: u8,
        tomb: bool,
    ) -> Result<&McGroup> {
        let a = in6(addr);
        // SAFETY: the lock is held (type invariant); the helper copies the address.
        let p = unsafe { bindings::ipv6_rs_mca_add(self.raw(), &a, flags, crcount, tomb) };
        if p.is_null() {
            return Err(ENOMEM);
        }
        // SAFETY: just listed, and kept there by the lock.
        Ok(unsafe { McGroup::from_raw(p) })
    }

    /// Takes `g` off its list and drops the list's reference (the entry goes after
    /// its pending work and RCU readers).
    pub(crate) fn remove(&self, g: &McGroup, tomb: bool) {
        // SAFETY: the lock is held; `g` is on the list (type invariants). After the
        // unlink the list's reference is ours to put; `g` is not used again.
        unsafe {
            bindings::ipv6_rs_mca_unlink(self.raw(), g.raw(), tomb);
            bindings::ipv6_rs_mca_put(g.raw());
        }
    }

    /// Changes `g`'s users count.
    pub(crate) fn set_users(&self, g: &McGroup, users: u32) {
        // SAFETY: the lock is held, which serialises writers of the field.
        unsafe { core::ptr::write_volatile(&raw mut (*g.raw()).mca_users, users as i32) };
    }

    /// Sets `set` and clears `clear` in `g`'s flags.
    pub(crate) fn update_flags(&self, g: &McGroup, set: u32, clear: u32) {
        let f = (g.flags() & !clear) | set;
        // SAFETY: as in `set_users`.
        unsafe { core::ptr::write_volatile(&raw mut (*g.raw()).mca_flags, f) };
    }

    /// `g`'s pending change reports (`mca_crcount`).
    pub(crate) fn crcount(&self, g: &McGroup) -> u8 {
        // SAFETY: the lock is held, serialising the field.
        unsafe { (*g.raw()).mca_crcount }
    }

    pub(crate) fn set_crcount(&self, g: &McGroup, n: u8) {
        // SAFETY: as in `crcount`.
        unsafe { (*g.raw()).mca_crcount = n };
    }

    /// Starts (or moves) `g`'s report timer to `delay` jiffies from now.
    pub(crate) fn timer_start(&self, g: &McGroup, delay: u64) {
        // SAFETY: a listed entry under the lock; the work holds it while queued.
        unsafe { bindings::ipv6_rs_mca_timer_start(g.raw(), delay as _) };
    }

    /// Stops `g`'s report timer: the jiffies it had left, if it was pending.
    pub(crate) fn timer_cancel(&self, g: &McGroup) -> Option<u64> {
        // SAFETY: as in `timer_start`.
        let left = unsafe { bindings::ipv6_rs_mca_timer_cancel(g.raw()) };
        (left >= 0).then_some(left as u64)
    }

    /// The device's MLD counters and timers.
    pub(crate) fn state(&self) -> McState {
        let i = self.raw();
        // SAFETY: the lock is held, serialising these fields (type invariant).
        unsafe {
            McState {
                qrv: u32::from((*i).mc_qrv),
                qi: (*i).mc_qi as u64,
                qri: (*i).mc_qri as u64,
                maxdelay: (*i).mc_maxdelay as u64,
                v1_seen: (*i).mc_v1_seen as u64,
                ifc_count: u32::from((*i).mc_ifc_count),
                dad_count: u32::from((*i).mc_dad_count),
                gq_running: (*i).mc_gq_running != 0,
            }
        }
    }

    pub(crate) fn set_state(&self, s: &McState) {
        let i = self.raw();
        // SAFETY: as in `state`.
        unsafe {
            (*i).mc_qrv = s.qrv as u8;
            (*i).mc_qi = s.qi as _;
            (*i).mc_qri = s.qri as _;
            (*i).mc_maxdelay = s.maxdelay as _;
            (*i).mc_v1_seen = s.v1_seen as _;
            (*i).mc_ifc_count = s.ifc_count as u8;
            (*i).mc_dad_count = s.dad_count as u8;
            (*i).mc_gq_running = u8::from(s.gq_running);
        }
    }

    /// Queues `w` to run in `delay` jiffies (or moves it there).
    pub(crate) fn work_start(&self, w: DevWork, delay: u64) {
        // SAFETY: the lock is held; the work holds the device while queued.
        unsafe { bindings::ipv6_rs_mld_work_start(self.raw(), w.id(), delay as _) };
    }

    /// Cancels `w` if it is queued.
    pub(crate) fn work_stop(&self, w: DevWork) {
        // SAFETY: a held device.
        unsafe { bindings::ipv6_rs_mld_work_stop(self.raw(), w.id()) };
    }

    /// The device's settings, copied (sysctl writes change them at any time).
    pub(crate) fn cnf(&self) -> bindings::ipv6_devconf {
        // SAFETY: a held device; a volatile copy of plain integers and pointers.
        unsafe { core::ptr::read_volatile(&raw const (*self.raw()).cnf) }
    }

    /// The device is going away (`idev->dead`).
    pub(crate) fn dead(&self) -> bool {
        // SAFETY: a held device; a plain integer, read once.
        unsafe { core::ptr::read_volatile(&raw const (*self.raw()).dead) != 0 }
    }

    /// Runs `f` with the datapath's view of the device, in an RCU section.
    pub(crate) fn with_rx<R>(&self, f: impl FnOnce(&RxDev<'_>) -> R) -> R {
        let _rcu = Rcu::read_lock();
        // SAFETY: the held inet6_dev holds its device; RCU is held for the view's use.
        f(&unsafe { RxDev::new(bindings::ipv6_rs_idev_dev(self.raw())) })
    }

    /// Loads `group` into (or, `join` false, out of) the device's link-layer filter.
    pub(crate) fn filter(&self, group: &Ipv6Addr, join: bool) -> Result {
        let g = in6(group);
        // SAFETY: the held inet6_dev holds its device; the helper copies `g` and
        // takes the device's address lock itself.
        kernel::error::to_result(unsafe {
            bindings::ipv6_rs_dev_mc_change(bindings::ipv6_rs_idev_dev(self.raw()), &g, join)
        })
    }
}

/// A walk over a device's groups under its lock.
pub(crate) struct Groups<'l> {
    next: *mut bindings::ifmcaddr6,
    _lock: PhantomData<&'l ()>,
}

impl<'l> Iterator for Groups<'l> {
    type Item = &'l McGroup;

    fn next(&mut self) -> Option<&'l McGroup> {
        if self.next.is_null() {
            return None;
        }
        // SAFETY: a listed entry, kept by the lock for `'l`.
        let g = unsafe { McGroup::from_raw(self.next) };
        // SAFETY: as above.
        self.next = unsafe { bindings::ipv6_rs_mca_next(self.next) };
        Some(g)
    }
}

/// The lock of a device's multicast state, held while this lives.
pub(crate) struct McGuard {
    locked: McLocked<'static>,
}

impl McGuard {
    /// Takes `idev`'s `mc_lock` (process context; not under RCU or a spinlock).
    pub(crate) fn lock(idev: &crate::net::inet6_dev::Inet6Dev) -> McGuard {
        let p = idev.as_ptr();
        // SAFETY: a live inet6_dev (Inet6Dev's invariant), held below.
        unsafe {
            bindings::ipv6_rs_in6_dev_hold(p);
            bindings::ipv6_rs_mc_lock(p);
        }
        McGuard {
            // INVARIANT: locked and held until drop.
            locked: McLocked {
                // SAFETY: `as_ptr` of a reference is not null.
                idev: unsafe { NonNull::new_unchecked(p) },
                _lock: PhantomData,
            },
        }
    }

    /// The locked state, borrowed from the guard.
    pub(crate) fn get(&self) -> &McLocked<'_> {
        &self.locked
    }
}

impl Drop for McGuard {
    fn drop(&mut self) {
        let p = self.locked.raw();
        // SAFETY: locked and held in `lock`.
        unsafe {
            bindings::ipv6_rs_mc_unlock(p);
            bindings::ipv6_rs_in6_dev_put(p);
        }
    }
}

/// Groups of a device read under RCU (`for_each_mc_rcu()`): `f` with each until it
/// returns true; whether it did. `idev` is the device's inet6_dev, or null.
pub(crate) fn any_rcu(d: &RxDev<'_>, _rcu: &Rcu, mut f: impl FnMut(&McGroup) -> bool) -> bool {
    if d.idev.is_null() {
        return false;
    }
    // SAFETY: a live inet6_dev under RCU (RxDev's invariant); entries read under RCU
    // stay until it ends.
    let mut p = unsafe { bindings::ipv6_rs_mca_first(d.idev, false) };
    while !p.is_null() {
        // SAFETY: as above.
        let g = unsafe { McGroup::from_raw(p) };
        if f(g) {
            return true;
        }
        // SAFETY: as above.
        p = unsafe { bindings::ipv6_rs_mca_next(p) };
    }
    false
}

/// What MLD does when its works run, with the device's lock held.
pub(crate) trait Mld {
    /// A device work is due.
    fn work(l: &McLocked<'_>, w: DevWork);
    /// A group's report timer fired.
    fn group_timer(l: &McLocked<'_>, g: &McGroup);
    /// A queued query (`query`) or MLDv1 report (its network header at the IPv6
    /// header, data at the ICMPv6 message) is processed.
    fn received(l: &McLocked<'_>, skb: Skb, query: bool);
}

/// # Safety
/// Called by a device work with the device held and its lock taken.
unsafe extern "C" fn dev_tramp<T: Mld>(idev: *mut bindings::inet6_dev, which: c_int) {
    let Some(idev) = NonNull::new(idev) else {
        return;
    };
    let l = McLocked {
        idev,
        _lock: PhantomData,
    };
    let w = match which as u32 {
        bindings::IPV6_RS_MLD_IFC => DevWork::Ifc,
        bindings::IPV6_RS_MLD_GQ => DevWork::Gq,
        _ => DevWork::Dad,
    };
    T::work(&l, w);
}

/// # Safety
/// Called by a group's work with the group held and its device's lock taken.
unsafe extern "C" fn mca_tramp<T: Mld>(mc: *mut bindings::ifmcaddr6) {
    // SAFETY: see the function's contract: its device is held by the entry.
    let Some(idev) = NonNull::new(unsafe { (*mc).idev }) else {
        return;
    };
    let l = McLocked {
        idev,
        _lock: PhantomData,
    };
    // SAFETY: held by the work for the call (the entry may be off the list already,
    // which the handler sees from the list).
    T::group_timer(&l, unsafe { McGroup::from_raw(mc) });
}

/// # Safety
/// Called by the query or report work with the device held, its lock taken, and a
/// packet it hands over.
unsafe extern "C" fn rx_tramp<T: Mld>(
    idev: *mut bindings::inet6_dev,
    skb: *mut bindings::sk_buff,
    query: bool,
) {
    let Some(idev) = NonNull::new(idev) else {
        return;
    };
    // SAFETY: see the function's contract.
    let Some(skb) = (unsafe { Skb::from_raw(skb) }) else {
        return;
    };
    let l = McLocked {
        idev,
        _lock: PhantomData,
    };
    T::received(&l, skb, query);
}

/// MLD's workqueue, running `T`'s handlers. Set up before devices get IPv6 and torn
/// down (draining every queued work) after the last one lost it.
pub(crate) struct MldWork<T: Mld>(PhantomData<T>);

impl<T: Mld> MldWork<T> {
    pub(crate) fn new() -> Result<Self> {
        // SAFETY: the trampolines keep the works' contracts.
        kernel::error::to_result(unsafe {
            bindings::ipv6_rs_mld_init(
                Some(dev_tramp::<T>),
                Some(mca_tramp::<T>),
                Some(rx_tramp::<T>),
            )
        })?;
        Ok(Self(PhantomData))
    }
}

impl<T: Mld> Drop for MldWork<T> {
    fn drop(&mut self) {
        // SAFETY: set up in `new`; no device has IPv6 any more, so nothing queues.
        unsafe { bindings::ipv6_rs_mld_exit() };
    }
}

/// Hands a received query (`query`) or MLDv1 report to the device's MLD work
/// (`igmp6_event_query()`, `igmp6_event_report()`); dropped if the queue is full.
pub(crate) fn enqueue(skb: Skb, query: bool) {
    // SAFETY: the packet is ours to hand over; the helper consumes it.
    unsafe { bindings::ipv6_rs_mld_enqueue(skb.into_raw(), query) };
}

impl crate::net::inet6_dev::Inet6Dev {
    /// Sets up the device's MLD state (`ipv6_mc_init_dev()`); a fresh inet6_dev.
    pub(crate) fn mld_init(&self) {
        // SAFETY: a live inet6_dev under RTNL, before anyone uses its MLD fields.
        unsafe { bindings::ipv6_rs_mld_dev_init(self.as_ptr()) };
    }

    /// Stops its query and report works (`mld_query_stop_work()`,
    /// `mld_report_stop_work()`); with `purge`, also drops what they had queued.
    pub(crate) fn mld_rx_stop(&self, purge: bool) {
        // SAFETY: a live inet6_dev.
        unsafe { bindings::ipv6_rs_mld_rx_stop(self.as_ptr(), purge) };
    }
}

/// The global `net.ipv6.mld_qrv`.
pub(crate) fn sysctl_qrv() -> u32 {
    // SAFETY: reads an int.
    unsafe { bindings::ipv6_rs_mld_qrv_sysctl() }.max(1) as u32
}

/// A socket's membership (`struct ipv6_mc_socklist`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Membership {
    pub(crate) ifindex: u32,
    pub(crate) addr: Ipv6Addr,
}

/// A membership's memory, charged to the socket, before it is listed.
///
/// # Invariants
/// `p` came from [`Sock::mc_alloc`] on `sk` and is not listed.
pub(crate) struct MembershipSlot<'s> {
    sk: &'s Sock,
    p: NonNull<bindings::ipv6_mc_socklist>,
}

impl MembershipSlot<'_> {
    /// Lists it on the socket, for `addr` on `ifindex`.
    pub(crate) fn link(self, ifindex: u32, addr: &Ipv6Addr) {
        let a = in6(addr);
        // SAFETY: the socket's lock and RTNL are held by the caller of `mc_alloc`'s
        // setsockopt; the slot is unlisted (type invariant) and listed once here.
        unsafe {
            bindings::ipv6_rs_sk_mc_link(self.sk.as_ptr(), self.p.as_ptr(), ifindex as c_int, &a)
        };
        core::mem::forget(self);
    }
}

impl Drop for MembershipSlot<'_> {
    fn drop(&mut self) {
        // SAFETY: allocated on this socket, never listed (type invariant).
        unsafe { bindings::ipv6_rs_sk_mc_free(self.sk.as_ptr(), self.p.as_ptr()) };
    }
}

impl Sock {
    /// Memory for a membership, within the socket's option memory (`ENOMEM` beyond).
    /// Under the socket's lock.
    pub(crate) fn mc_alloc(&self) -> Result<MembershipSlot<'_>, i32> {
        // SAFETY: a live socket.
        let p = unsafe { bindings::ipv6_rs_sk_mc_alloc(self.as_ptr()) };
        NonNull::new(p)
            .map(|p| MembershipSlot { sk: self, p })
            .ok_or(bindings::ENOMEM as i32)
    }

    /// The socket's memberships, newest first. Under its lock or RCU.
    pub(crate) fn mc_memberships(&self, mut f: impl FnMut(Membership) -> bool) -> bool {
        // SAFETY: a live socket; entries are freed after RCU, and changed under the
        // socket's lock, which the caller holds if not RCU.
        let mut p = unsafe { bindings::ipv6_rs_sk_mc_first(self.as_ptr()) };
        while !p.is_null() {
            // SAFETY: as above.
            let m = unsafe {
                Membership {
                    ifindex: (*p).ifindex as u32,
                    addr: Ipv6Addr::from((*p).addr.in6_u.u6_addr8),
                }
            };
            if f(m) {
                return true;
            }
            // SAFETY: as above.
            p = unsafe { bindings::ipv6_rs_sk_mc_next(p) };
        }
        false
    }

    /// Takes the first membership of `addr` on `ifindex` (any interface if 0) off the
    /// socket, or with `any` the first of all; it is freed after RCU readers.
    /// Under the socket's lock.
    pub(crate) fn mc_take(&self, ifindex: u32, addr: &Ipv6Addr, any: bool) -> Option<Membership> {
        let a = in6(addr);
        // SAFETY: a live socket under its lock; the helper unlinks at most one entry.
        let p = unsafe { bindings::ipv6_rs_sk_mc_unlink(self.as_ptr(), ifindex as c_int, &a, any) };
        if p.is_null() {
            return None;
        }
        // SAFETY: unlinked, so ours; freed after RCU readers are done with it.
        unsafe {
            let m = Membership {
                ifindex: (*p).ifindex as u32,
                addr: Ipv6Addr::from((*p).addr.in6_u.u6_addr8),
            };
            bindings::ipv6_rs_sk_mc_release(self.as_ptr(), p);
            Some(m)
        }
    }
}
