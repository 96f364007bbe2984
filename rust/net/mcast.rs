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
    /// Its sources go with it (`ip6_mc_clear_src()`).
    pub(crate) fn remove(&self, g: &McGroup, tomb: bool) {
        // SAFETY: the lock is held; `g` is on the list (type invariants). After the
        // unlink the list's reference is ours to put; `g` is not used again.
        unsafe {
            bindings::ipv6_rs_mca_clear_src(g.raw());
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
    /// `MCAST_INCLUDE` or `MCAST_EXCLUDE`.
    pub(crate) sfmode: u32,
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
    /// Lists it on the socket, for `addr` on `ifindex` in filter mode `sfmode`.
    pub(crate) fn link(self, ifindex: u32, addr: &Ipv6Addr, sfmode: u32) {
        let a = in6(addr);
        // SAFETY: the socket's lock and RTNL are held by the caller of `mc_alloc`'s
        // setsockopt; the slot is unlisted (type invariant) and listed once here.
        unsafe {
            bindings::ipv6_rs_sk_mc_link(
                self.sk.as_ptr(),
                self.p.as_ptr(),
                ifindex as c_int,
                &a,
                sfmode,
            )
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
            let m = unsafe { membership_of(p) };
            if f(m) {
                return true;
            }
            // SAFETY: as above.
            p = unsafe { bindings::ipv6_rs_sk_mc_next(p) };
        }
        false
    }

    /// Takes the first membership of `addr` on `ifindex` (any interface if 0) off the
    /// socket, or with `any` the first of all; it and its source list are freed after
    /// RCU readers once the result goes. Under the socket's lock.
    pub(crate) fn mc_take(
        &self,
        ifindex: u32,
        addr: &Ipv6Addr,
        any: bool,
    ) -> Option<TakenMembership<'_>> {
        let a = in6(addr);
        // SAFETY: a live socket under its lock; the helper unlinks at most one entry.
        let p = unsafe { bindings::ipv6_rs_sk_mc_unlink(self.as_ptr(), ifindex as c_int, &a, any) };
        // INVARIANT: unlinked, so ours.
        NonNull::new(p).map(|p| TakenMembership { sk: self, p })
    }
}

// --- source filters

use crate::mld_src::{self, NoMem, Src, SrcList};

/// One source of a group (`struct ip6_sf_list`) read where it is: under the device's
/// lock or RCU.
///
/// # Safety
/// `p` must be a live entry for the read.
unsafe fn src_read(p: *const bindings::ip6_sf_list) -> Src {
    // SAFETY: see the function's contract; plain integers, written under the device's
    // lock (as mainline's readers, RCU readers see them as they are).
    unsafe {
        Src {
            addr: Ipv6Addr::from(core::ptr::read_volatile(
                &raw const (*p).sf_addr.in6_u.u6_addr8,
            )),
            count: [
                core::ptr::read_volatile(&raw const (*p).sf_count[0]) as u64,
                core::ptr::read_volatile(&raw const (*p).sf_count[1]) as u64,
            ],
            gsresp: core::ptr::read_volatile(&raw const (*p).sf_gsresp) != 0,
            oldin: core::ptr::read_volatile(&raw const (*p).sf_oldin) != 0,
            crcount: core::ptr::read_volatile(&raw const (*p).sf_crcount),
        }
    }
}

impl McGroup {
    /// `mca_sfmode`, `mca_sfcount[]`, `mca_crcount` and `mca_flags`.
    pub(crate) fn sf(&self) -> mld_src::Group {
        let p = self.raw();
        // SAFETY: a live entry (type invariant); plain integers written under the
        // device's lock, read once each.
        unsafe {
            mld_src::Group {
                sfmode: core::ptr::read_volatile(&raw const (*p).mca_sfmode),
                sfcount: [
                    core::ptr::read_volatile(&raw const (*p).mca_sfcount[0]) as u64,
                    core::ptr::read_volatile(&raw const (*p).mca_sfcount[1]) as u64,
                ],
                crcount: core::ptr::read_volatile(&raw const (*p).mca_crcount),
                flags: core::ptr::read_volatile(&raw const (*p).mca_flags),
            }
        }
    }

    /// `f` with each source of the group (`for_each_psf_rcu()`) until it returns true;
    /// whether it did.
    pub(crate) fn any_source_rcu(&self, _rcu: &Rcu, mut f: impl FnMut(&Src) -> bool) -> bool {
        // SAFETY: a live entry; its chain is read under RCU, entries freed after it.
        let mut p = unsafe { bindings::ipv6_rs_psf_first(self.raw(), false) };
        while !p.is_null() {
            // SAFETY: as above.
            if f(&unsafe { src_read(p) }) {
                return true;
            }
            // SAFETY: as above.
            p = unsafe { bindings::ipv6_rs_psf_next(self.raw(), p) };
        }
        false
    }
}

/// A group's sources or deleted sources (`mca_sources`, `mca_tomb`) under the
/// device's lock, as the core's [`SrcList`].
///
/// # Invariants
/// `mc` is a live entry whose device's `mc_lock` is held for `'l`.
pub(crate) struct SrcChain<'l> {
    mc: *mut bindings::ifmcaddr6,
    tomb: bool,
    _lock: PhantomData<&'l ()>,
}

impl SrcChain<'_> {
    /// Entry `i` and the one before it (null for the head).
    fn nth(&self, i: usize) -> (*mut bindings::ip6_sf_list, *mut bindings::ip6_sf_list) {
        let mut prev = core::ptr::null_mut();
        // SAFETY: a live entry under its device's lock (type invariant).
        let mut p = unsafe { bindings::ipv6_rs_psf_first(self.mc, self.tomb) };
        for _ in 0..i {
            if p.is_null() {
                break;
            }
            prev = p;
            // SAFETY: as above.
            p = unsafe { bindings::ipv6_rs_psf_next(self.mc, p) };
        }
        (prev, p)
    }
}

impl SrcList for SrcChain<'_> {
    fn len(&self) -> usize {
        let mut n = 0;
        // SAFETY: a live entry under its device's lock (type invariant).
        let mut p = unsafe { bindings::ipv6_rs_psf_first(self.mc, self.tomb) };
        while !p.is_null() {
            n += 1;
            // SAFETY: as above.
            p = unsafe { bindings::ipv6_rs_psf_next(self.mc, p) };
        }
        n
    }

    fn get(&self, i: usize) -> Src {
        let (_, p) = self.nth(i);
        if p.is_null() {
            return Src::new(Ipv6Addr::UNSPECIFIED);
        }
        // SAFETY: a listed entry, kept by the lock.
        unsafe { src_read(p) }
    }

    fn set(&mut self, i: usize, s: &Src) {
        let (_, p) = self.nth(i);
        if p.is_null() {
            return;
        }
        // SAFETY: a listed entry; the lock held serialises its writers.
        unsafe {
            (*p).sf_count = [s.count[0] as _, s.count[1] as _];
            (*p).sf_gsresp = u8::from(s.gsresp);
            (*p).sf_oldin = u8::from(s.oldin);
            (*p).sf_crcount = s.crcount;
        }
    }

    fn insert(&mut self, i: usize, s: &Src) -> Result<(), NoMem> {
        let prev = if i == 0 {
            core::ptr::null_mut()
        } else {
            self.nth(i - 1).1
        };
        // SAFETY: plain data for the helper to copy.
        let mut init: bindings::ip6_sf_list = unsafe { core::mem::zeroed() };
        init.sf_addr = in6(&s.addr);
        init.sf_count = [s.count[0] as _, s.count[1] as _];
        init.sf_gsresp = u8::from(s.gsresp);
        init.sf_oldin = u8::from(s.oldin);
        init.sf_crcount = s.crcount;
        // SAFETY: the lock is held; `prev` is a listed entry of this chain or null.
        let p = unsafe { bindings::ipv6_rs_psf_insert(self.mc, self.tomb, prev, &init) };
        if p.is_null() {
            Err(NoMem)
        } else {
            Ok(())
        }
    }

    fn remove(&mut self, i: usize) {
        let (prev, p) = self.nth(i);
        if p.is_null() {
            return;
        }
        // SAFETY: the lock is held; `p` follows `prev` (or is the head) on this chain.
        unsafe { bindings::ipv6_rs_psf_remove(self.mc, self.tomb, prev, p) };
    }
}

impl McLocked<'_> {
    /// Writes `g`'s filter state (mode, counts, change count, flags).
    pub(crate) fn set_sf(&self, g: &McGroup, s: &mld_src::Group) {
        let p = g.raw();
        // SAFETY: the lock is held, serialising the writers of these fields.
        unsafe {
            core::ptr::write_volatile(&raw mut (*p).mca_sfmode, s.sfmode);
            core::ptr::write_volatile(&raw mut (*p).mca_sfcount[0], s.sfcount[0] as _);
            core::ptr::write_volatile(&raw mut (*p).mca_sfcount[1], s.sfcount[1] as _);
            core::ptr::write_volatile(&raw mut (*p).mca_crcount, s.crcount);
            core::ptr::write_volatile(&raw mut (*p).mca_flags, s.flags);
        }
    }

    /// `g`'s sources (or, with `tomb`, its deleted sources).
    pub(crate) fn sources<'s>(&'s self, g: &'s McGroup, tomb: bool) -> SrcChain<'s> {
        // INVARIANT: `g` is live and the lock held while `self` and `g` are borrowed.
        SrcChain {
            mc: g.raw(),
            tomb,
            _lock: PhantomData,
        }
    }

    /// Exchanges the source chains of `a` and `b`.
    pub(crate) fn swap_src(&self, a: &McGroup, b: &McGroup) {
        // SAFETY: the lock is held; live entries of this device.
        unsafe { bindings::ipv6_rs_mca_swap_src(a.raw(), b.raw()) };
    }
}

/// The global `net.ipv6.mld_max_msf`.
pub(crate) fn sysctl_max_msf() -> i32 {
    // SAFETY: reads an int.
    unsafe { bindings::ipv6_rs_mld_max_msf_sysctl() }
}

/// A socket's source filter list (`struct ip6_sf_socklist`) being built, charged to
/// the socket, not yet installed.
///
/// # Invariants
/// `p` came from `ipv6_rs_sk_sfl_alloc` on `sk`, with `n` addresses, and is ours.
pub(crate) struct SfListBuf<'s> {
    sk: &'s Sock,
    p: NonNull<bindings::ip6_sf_socklist>,
    n: usize,
}

impl SfListBuf<'_> {
    /// Its addresses, to fill.
    pub(crate) fn addrs_mut(&mut self) -> &mut [[u8; 16]] {
        // SAFETY: ours (type invariant), with room for `n` in6_addr, which are 16
        // octets with no padding.
        unsafe {
            core::slice::from_raw_parts_mut(
                bindings::ipv6_rs_sfl_addrs(self.p.as_ptr()).cast::<[u8; 16]>(),
                self.n,
            )
        }
    }
}

impl Drop for SfListBuf<'_> {
    fn drop(&mut self) {
        // SAFETY: never installed (type invariant).
        unsafe { bindings::ipv6_rs_sk_sfl_free(self.sk.as_ptr(), self.p.as_ptr()) };
    }
}

/// A membership of the socket, found under its lock (or RCU, for reading).
///
/// # Invariants
/// `p` is listed on `sk`'s memberships for `'s`.
pub(crate) struct McSockRef<'s> {
    sk: &'s Sock,
    p: NonNull<bindings::ipv6_mc_socklist>,
}

impl<'s> McSockRef<'s> {
    /// Its interface, group and mode.
    pub(crate) fn membership(&self) -> Membership {
        // SAFETY: listed (type invariant).
        unsafe { membership_of(self.p.as_ptr()) }
    }

    /// Its source list, if it has one.
    pub(crate) fn sflist(&self) -> Option<&'s [[u8; 16]]> {
        // SAFETY: listed; the list is replaced under the socket's lock and freed after
        // RCU, either of which the caller holds for `'s`.
        unsafe {
            let l = bindings::ipv6_rs_sk_sfl_get(self.p.as_ptr());
            if l.is_null() {
                return None;
            }
            Some(core::slice::from_raw_parts(
                bindings::ipv6_rs_sfl_addrs(l).cast::<[u8; 16]>(),
                (*l).sl_count as usize,
            ))
        }
    }

    /// Sets its mode (`sfmode`). Under the socket's lock.
    pub(crate) fn set_sfmode(&self, mode: u32) {
        // SAFETY: listed; the caller holds the socket's lock, serialising writers.
        unsafe { core::ptr::write_volatile(&raw mut (*self.p.as_ptr()).sfmode, mode) };
    }

    /// Takes the current list's charge off (`add` false) or puts it back. Under the
    /// socket's lock.
    pub(crate) fn charge(&self, add: bool) {
        // SAFETY: listed; the list is the socket's, under its lock.
        unsafe {
            let l = bindings::ipv6_rs_sk_sfl_get(self.p.as_ptr());
            if !l.is_null() {
                bindings::ipv6_rs_sk_sfl_charge(self.sk.as_ptr(), l, add);
            }
        }
    }

    /// Installs `new` (or no list); the old one goes after RCU readers, its charge
    /// as the caller left it. Under the socket's lock.
    pub(crate) fn install(&self, new: Option<SfListBuf<'_>>) {
        let p = new.map_or(core::ptr::null_mut(), |b| {
            let p = b.p.as_ptr();
            core::mem::forget(b);
            p
        });
        // SAFETY: listed, under the socket's lock; `p` is ours to hand over.
        unsafe { bindings::ipv6_rs_sk_sfl_set(self.p.as_ptr(), p) };
    }
}

/// # Safety
/// `p` must be a live membership.
unsafe fn membership_of(p: *const bindings::ipv6_mc_socklist) -> Membership {
    // SAFETY: see the function's contract.
    unsafe {
        Membership {
            ifindex: (*p).ifindex as u32,
            addr: Ipv6Addr::from((*p).addr.in6_u.u6_addr8),
            sfmode: core::ptr::read_volatile(&raw const (*p).sfmode),
        }
    }
}

/// A membership taken off the socket; its source list and itself are freed (and
/// uncharged) when this goes.
///
/// # Invariants
/// `p` was unlinked from `sk`'s memberships and is ours.
pub(crate) struct TakenMembership<'s> {
    sk: &'s Sock,
    p: NonNull<bindings::ipv6_mc_socklist>,
}

impl TakenMembership<'_> {
    pub(crate) fn membership(&self) -> Membership {
        // SAFETY: ours (type invariant).
        unsafe { membership_of(self.p.as_ptr()) }
    }

    /// Its source list (empty if none).
    pub(crate) fn sources(&self) -> &[[u8; 16]] {
        // SAFETY: ours; nobody else changes it.
        unsafe {
            let l = bindings::ipv6_rs_sk_sfl_get(self.p.as_ptr());
            if l.is_null() {
                return &[];
            }
            core::slice::from_raw_parts(
                bindings::ipv6_rs_sfl_addrs(l).cast::<[u8; 16]>(),
                (*l).sl_count as usize,
            )
        }
    }
}

impl Drop for TakenMembership<'_> {
    fn drop(&mut self) {
        let p = self.p.as_ptr();
        // SAFETY: ours (type invariant): the list's charge comes off and it goes after
        // RCU readers (ip6_mc_leave_src()), then the membership.
        unsafe {
            let l = bindings::ipv6_rs_sk_sfl_get(p);
            if !l.is_null() {
                bindings::ipv6_rs_sk_sfl_charge(self.sk.as_ptr(), l, false);
                bindings::ipv6_rs_sk_sfl_set(p, core::ptr::null_mut());
            }
            bindings::ipv6_rs_sk_mc_release(self.sk.as_ptr(), p);
        }
    }
}

impl Sock {
    /// A source list of `n` addresses, charged to the socket (`ENOBUFS` beyond its
    /// option memory). Under the socket's lock.
    pub(crate) fn sf_alloc(&self, n: usize) -> Result<SfListBuf<'_>, i32> {
        // SAFETY: a live socket.
        let p = unsafe { bindings::ipv6_rs_sk_sfl_alloc(self.as_ptr(), n as u32) };
        NonNull::new(p)
            .map(|p| SfListBuf { sk: self, p, n })
            .ok_or(bindings::ENOBUFS as i32)
    }

    /// The first membership `pred` accepts. Under the socket's lock, or RCU for
    /// reading.
    pub(crate) fn mc_find(&self, pred: impl Fn(&Membership) -> bool) -> Option<McSockRef<'_>> {
        // SAFETY: a live socket; entries are freed after RCU and changed under the
        // socket's lock, which the caller holds if not RCU.
        let mut p = unsafe { bindings::ipv6_rs_sk_mc_first(self.as_ptr()) };
        while !p.is_null() {
            // SAFETY: as above.
            if pred(&unsafe { membership_of(p) }) {
                // INVARIANT: listed, and kept so by what the caller holds.
                return NonNull::new(p).map(|p| McSockRef { sk: self, p });
            }
            // SAFETY: as above.
            p = unsafe { bindings::ipv6_rs_sk_mc_next(p) };
        }
        None
    }

    /// `net.core.optmem_max` of the socket's namespace.
    pub(crate) fn optmem_max(&self) -> i32 {
        // SAFETY: a live socket.
        unsafe { bindings::ipv6_rs_optmem_max(self.as_ptr()) }
    }
}
