// SPDX-License-Identifier: GPL-2.0

//! Interface addresses: the kernel's own `struct inet6_ifaddr`, listed on the device's
//! `inet6_dev.addr_list` in the order the core decides, so built-in readers of that list
//! see mainline's layout. Changed only under RTNL.

use crate::dad::State as DadState;
use crate::net::device::{NetDevice, RxDev};
use crate::net::{netns::Net, rcu::Rcu};
use crate::route::LocalAddr;
use crate::{
    addrconf::{addr_ifa_scope, addr_list_position, addr_src_scope},
    bindings,
};
use core::{ffi::c_void, marker::PhantomData};
use core::{net::Ipv6Addr, ptr::NonNull};
use kernel::types::Opaque;
use kernel::{error::code::ENOMEM, prelude::*};

/// An address of a device, borrowed under RTNL.
///
/// # Invariants
/// The wrapped address is listed on its device's address list and RTNL is held while the
/// reference lives, so it is neither freed nor changed by anyone else.
#[repr(transparent)]
pub(crate) struct IfAddr(Opaque<bindings::inet6_ifaddr>);

impl IfAddr {
    /// # Safety
    /// `ptr` must be a listed address and RTNL held for `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::inet6_ifaddr) -> &'a Self {
        // SAFETY: repr(transparent); validity is the caller's promise.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// # Safety
    /// `ptr` must be an address listed on its device (not `DEAD`) and RTNL held for `'a`.
    pub(crate) unsafe fn from_listed<'a>(ptr: *mut bindings::inet6_ifaddr) -> &'a Self {
        // SAFETY: the caller's promise is `from_raw`'s.
        unsafe { Self::from_raw(ptr) }
    }

    pub(crate) fn as_ptr(&self) -> *mut bindings::inet6_ifaddr {
        self.0.get()
    }

    /// The C struct, for reading single fields through the pointer (no reference to
    /// the whole struct, whose state and lifetimes the datapath's readers share).
    fn raw(&self) -> *const bindings::inet6_ifaddr {
        self.0.get()
    }

    /// The address.
    pub(crate) fn addr(&self) -> Ipv6Addr {
        // SAFETY: listed (type invariant); the address never changes, and every bit
        // pattern of the in6_addr union is a valid [u8; 16].
        Ipv6Addr::from(unsafe { (*self.raw()).addr.in6_u.u6_addr8 })
    }

    /// The peer address of a point-to-point address, `::` if none.
    pub(crate) fn peer(&self) -> Ipv6Addr {
        // SAFETY: listed and RTNL held (type invariant), its writers hold RTNL too; every
        // bit pattern of the in6_addr union is a valid [u8; 16].
        Ipv6Addr::from(unsafe { (*self.raw()).peer_addr.in6_u.u6_addr8 })
    }

    /// Prefix length.
    pub(crate) fn prefix_len(&self) -> u8 {
        // SAFETY: listed and RTNL held (type invariant): its writers hold RTNL too.
        unsafe { (*self.raw()).prefix_len as u8 }
    }

    /// `IFA_F_*` flags.
    pub(crate) fn flags(&self) -> u32 {
        // SAFETY: listed and RTNL held (type invariant): its writers hold RTNL too.
        unsafe { (*self.raw()).flags }
    }

    /// `IFA_HOST`/`IFA_LINK`/`IFA_SITE`, or 0 for global.
    pub(crate) fn scope(&self) -> u8 {
        // SAFETY: listed and RTNL held (type invariant): its writers hold RTNL too.
        unsafe { (*self.raw()).scope as u8 }
    }

    /// (preferred, valid) lifetimes in seconds as configured.
    pub(crate) fn lifetimes(&self) -> (u32, u32) {
        // SAFETY: listed and RTNL held (type invariant): its writers hold RTNL too.
        unsafe { ((*self.raw()).prefered_lft, (*self.raw()).valid_lft) }
    }

    /// Creation and last-update times, in jiffies.
    pub(crate) fn stamps(&self) -> (usize, usize) {
        // SAFETY: listed and RTNL held (type invariant): its writers hold RTNL too.
        unsafe { ((*self.raw()).cstamp as usize, (*self.raw()).tstamp as usize) }
    }

    /// `IFA_PROTO`.
    pub(crate) fn proto(&self) -> u8 {
        // SAFETY: listed and RTNL held (type invariant): its writers hold RTNL too.
        unsafe { (*self.raw()).ifa_proto }
    }

    /// Route priority (`IFA_RT_PRIORITY`), 0 if unset.
    pub(crate) fn rt_priority(&self) -> u32 {
        // SAFETY: listed and RTNL held (type invariant): its writers hold RTNL too.
        unsafe { (*self.raw()).rt_priority }
    }

    /// Sets and clears `IFA_F_*` flags.
    /// Marks the address as made from the device's token (`tokenized`).
    pub(crate) fn set_tokenized(&self, tokenized: bool) {
        // SAFETY: listed address (type invariant); the helper takes the address lock.
        unsafe { bindings::ipv6_rs_ifa_set_tokenized(self.as_ptr(), tokenized) };
    }

    pub(crate) fn update_flags(&self, set: u32, clear: u32) {
        // SAFETY: listed address (type invariant); the helper takes the address lock.
        unsafe { bindings::ipv6_rs_ifa_set_flags(self.as_ptr(), set, clear) };
    }

    /// Applies a modify request: new lifetimes, protocol and priority, and the flags in
    /// `clear` replaced by `set`; the address counts as updated now.
    pub(crate) fn modify(
        &self,
        clear: u32,
        set: u32,
        valid: u32,
        preferred: u32,
        proto: u8,
        rt_priority: u32,
    ) {
        // SAFETY: listed address under RTNL (type invariant); the helper takes the lock.
        unsafe {
            bindings::ipv6_rs_ifa_modify(
                self.as_ptr(),
                clear,
                set,
                valid,
                preferred,
                proto,
                rt_priority,
            )
        };
    }

    /// Its DAD state (`ifa->state`).
    pub(crate) fn state(&self) -> DadState {
        // SAFETY: listed address under RTNL (type invariant).
        DadState::from_raw(unsafe { bindings::ipv6_rs_ifa_state(self.as_ptr()) } as u32)
    }

    /// Moves its state from `from` (if it is in it) to `to`; whether it did.
    pub(crate) fn move_state(&self, from: DadState, to: DadState) -> bool {
        // SAFETY: listed address under RTNL (type invariant); the helper takes the lock.
        unsafe { bindings::ipv6_rs_ifa_state_move(self.as_ptr(), from as _, to as _) }
    }

    /// Arms duplicate address detection as [`crate::dad::Begin::Arm`] says: `probes`
    /// solicitations with `nonce`, the first step after `delay` jiffies, run by the
    /// [`DadWork`]; the state moves to `Dad` (unless the address is being removed).
    pub(crate) fn dad_arm(&self, probes: u8, nonce: u64, delay: u32) {
        // SAFETY: listed address under RTNL (type invariant); the work takes its own
        // reference.
        unsafe {
            bindings::ipv6_rs_ifa_dad_arm(self.as_ptr(), nonce, probes);
            bindings::ipv6_rs_dad_schedule(self.as_ptr(), delay as _);
        }
    }

    /// The DAD probes left to send.
    pub(crate) fn dad_probes(&self) -> u8 {
        // SAFETY: listed address under RTNL (type invariant); a plain read.
        unsafe { bindings::ipv6_rs_ifa_dad_probes(self.as_ptr()) }
    }

    /// Takes one of the armed probes, if any is left; the next step of DAD is then
    /// scheduled one `retrans_time` later.
    pub(crate) fn dad_take_probe(&self) -> bool {
        // SAFETY: listed address under RTNL (type invariant).
        if !unsafe { bindings::ipv6_rs_ifa_dad_take_probe(self.as_ptr()) } {
            return false;
        }
        // SAFETY: as above; a listed address's inet6_dev is live; the work takes its
        // own reference.
        unsafe {
            let idev = bindings::ipv6_rs_dev_idev(bindings::ipv6_rs_ifa_dev(self.as_ptr()));
            bindings::ipv6_rs_dad_schedule(
                self.as_ptr(),
                bindings::ipv6_rs_idev_retrans_time(idev),
            );
        }
        true
    }

    /// The nonce of our DAD probes for it (0 without enhanced DAD).
    pub(crate) fn dad_nonce(&self) -> u64 {
        // SAFETY: listed address under RTNL (type invariant).
        unsafe { bindings::ipv6_rs_ifa_dad_nonce(self.as_ptr()) }
    }

    /// Gives it a new peer address (`ip -6 addr change ... peer`).
    pub(crate) fn set_peer(&self, peer: &Ipv6Addr) {
        // SAFETY: listed address under RTNL (type invariant); the helper takes the lock
        // and copies `peer`.
        unsafe { bindings::ipv6_rs_ifa_set_peer(self.as_ptr(), &crate::net::in6(peer)) };
    }
}

impl IfAddr {
    /// Makes it a temporary address of `public` (`ipv6_add_addr()` with `cfg.ifpub`):
    /// first on the device's temporary list, holding `public`, created now and its
    /// lifetimes counted from `tstamp` (jiffies, the public address's update stamp).
    pub(crate) fn make_temporary(&self, public: &IfAddr, tstamp: usize) {
        // SAFETY: both listed on the same device under RTNL (type invariant); the helper
        // takes the references the list keeps.
        unsafe { bindings::ipv6_rs_ifa_make_temp(self.as_ptr(), public.as_ptr(), tstamp as _) };
    }

    /// Whether it is a temporary address made from `public` (`ifa->ifpub == public`).
    pub(crate) fn is_temporary_of(&self, public: &IfAddr) -> bool {
        // SAFETY: listed under RTNL (type invariant); the pointer is only compared.
        unsafe { bindings::ipv6_rs_ifa_pub(self.as_ptr()) == public.as_ptr() }
    }

    /// Whether it is a temporary address with its public address (`ifa->ifpub`).
    pub(crate) fn has_public(&self) -> bool {
        // SAFETY: listed under RTNL (type invariant); the pointer is only compared.
        !unsafe { bindings::ipv6_rs_ifa_pub(self.as_ptr()) }.is_null()
    }

    /// The public address of a temporary one, if it is still listed on `dev`.
    pub(crate) fn public<'a>(&self, dev: &'a NetDevice) -> Option<&'a IfAddr> {
        addrs(dev).find(|p| self.is_temporary_of(p))
    }

    /// `ifa->regen_count`: temporary addresses made from it (public), or whether its
    /// successor was made (temporary).
    pub(crate) fn regen_count(&self) -> u8 {
        // SAFETY: listed under RTNL (type invariant).
        unsafe { bindings::ipv6_rs_ifa_regen_count(self.as_ptr()) as u8 }
    }

    /// Sets `ifa->regen_count`.
    pub(crate) fn set_regen_count(&self, n: u8) {
        // SAFETY: listed under RTNL (type invariant); the helper takes the lock.
        unsafe { bindings::ipv6_rs_ifa_set_regen_count(self.as_ptr(), n.into()) };
    }

    /// `ifa->stable_privacy_retry`: the DAD counter its stable privacy address was
    /// made with.
    pub(crate) fn stable_privacy_retry(&self) -> i32 {
        // SAFETY: listed under RTNL (type invariant).
        unsafe { bindings::ipv6_rs_ifa_stable_privacy_retry(self.as_ptr()) }
    }

    /// Sets `ifa->stable_privacy_retry`.
    pub(crate) fn set_stable_privacy_retry(&self, n: i32) {
        // SAFETY: listed under RTNL (type invariant); the helper takes the lock.
        unsafe { bindings::ipv6_rs_ifa_set_stable_privacy_retry(self.as_ptr(), n) };
    }

    /// New lifetimes, counted from now (`manage_tempaddrs()`).
    pub(crate) fn set_lifetimes(&self, valid: u32, preferred: u32) {
        // SAFETY: listed under RTNL (type invariant); the helper takes the lock.
        unsafe { bindings::ipv6_rs_ifa_set_lifetimes(self.as_ptr(), valid, preferred) };
    }
}

/// The temporary addresses of `dev`, newest first (`idev->tempaddr_list`).
pub(crate) fn temp_addrs(dev: &NetDevice) -> impl Iterator<Item = &IfAddr> + '_ {
    let idev = idev_of(dev);
    let mut prev: *mut bindings::inet6_ifaddr = core::ptr::null_mut();
    core::iter::from_fn(move || {
        let idev = idev?;
        // SAFETY: `idev` is `dev`'s live inet6_dev and RTNL is held; `prev` is null or
        // on its temporary list.
        let next = unsafe { bindings::ipv6_rs_temp_next(idev.as_ptr(), prev) };
        if next.is_null() {
            return None;
        }
        prev = next;
        // SAFETY: on the temporary list, so listed (unlinking takes it off both);
        // RTNL is held for as long as `dev` is borrowed.
        Some(unsafe { IfAddr::from_raw(next) })
    })
}

/// What a new address is.
pub(crate) struct NewIfAddr {
    pub(crate) addr: Ipv6Addr,
    pub(crate) peer: Option<Ipv6Addr>,
    pub(crate) prefix_len: u8,
    pub(crate) flags: u32,
    pub(crate) valid_lft: u32,
    pub(crate) prefered_lft: u32,
    pub(crate) proto: u8,
    pub(crate) rt_priority: u32,
    /// `inet6_ifaddr.scope` where the address's own is not meant (sit's IPv4-compatible
    /// addresses, `IPV6_ADDR_COMPATv4`).
    pub(crate) scope: Option<u8>,
}

fn idev_of(dev: &NetDevice) -> Option<NonNull<bindings::inet6_dev>> {
    // SAFETY: the device is live and RTNL held (NetDevice invariant).
    NonNull::new(unsafe { bindings::ipv6_rs_dev_idev(dev.as_ptr()) })
}

/// The addresses of `dev`, in list order.
pub(crate) fn addrs(dev: &NetDevice) -> impl Iterator<Item = &IfAddr> + '_ {
    let idev = idev_of(dev);
    let mut prev: *mut bindings::inet6_ifaddr = core::ptr::null_mut();
    core::iter::from_fn(move || {
        let idev = idev?;
        // SAFETY: `idev` is `dev`'s live inet6_dev and RTNL is held; `prev` is null or
        // an address of its list.
        let next = unsafe { bindings::ipv6_rs_ifa_next(idev.as_ptr(), prev) };
        if next.is_null() {
            return None;
        }
        prev = next;
        // SAFETY: `next` is listed; RTNL is held for as long as `dev` is borrowed.
        Some(unsafe { IfAddr::from_raw(next) })
    })
}

/// Adds an address to `dev`'s list at the place the core chooses; returns it.
pub(crate) fn add<'a>(dev: &'a NetDevice, new: &NewIfAddr) -> Result<&'a IfAddr> {
    let idev = idev_of(dev).ok_or(ENODEV)?;
    let scope = addr_src_scope(&new.addr);
    let pos = addr_list_position(scope, addrs(dev).map(|a| addr_src_scope(&a.addr())));
    let before = addrs(dev)
        .nth(pos)
        .map_or(core::ptr::null_mut(), IfAddr::as_ptr);
    let addr = crate::net::in6(&new.addr);
    let peer = new.peer.as_ref().map(crate::net::in6);
    let peer_ptr = peer.as_ref().map_or(core::ptr::null(), |p| p as *const _);
    // SAFETY: `idev` is live under RTNL; the helper copies `addr` and `peer`.
    let ifa = unsafe {
        bindings::ipv6_rs_ifa_alloc(
            idev.as_ptr(),
            &addr,
            peer_ptr,
            new.prefix_len,
            new.flags,
            new.scope.unwrap_or_else(|| addr_ifa_scope(&new.addr)),
            new.valid_lft,
            new.prefered_lft,
            new.proto,
            new.rt_priority,
        )
    };
    if ifa.is_null() {
        return Err(ENOMEM);
    }
    // SAFETY: `ifa` is new and ours; `before` is null or listed on the same device.
    unsafe { bindings::ipv6_rs_ifa_link(ifa, before) };
    // SAFETY: now listed, and RTNL is held while `dev` is borrowed.
    Ok(unsafe { IfAddr::from_raw(ifa) })
}

/// Removes every address of `dev` that `pred` selects, calling `gone` with each just
/// before it is unlisted; they are freed after an RCU grace period.
pub(crate) fn remove_where(
    dev: &NetDevice,
    mut pred: impl FnMut(&IfAddr) -> bool,
    mut gone: impl FnMut(&IfAddr),
) {
    while let Some(ifa) = addrs(dev).find(|a| pred(a)) {
        gone(ifa);
        let p = ifa.as_ptr();
        // SAFETY: `p` is listed; no reference to it is used after this point (the next
        // search starts from the list head).
        unsafe { bindings::ipv6_rs_ifa_unlink_put(p) };
    }
}

// --- Addresses as the packet paths see them: under RCU, or held.

/// An address of a device, seen while walking the address lists under RCU.
pub(crate) struct AddrView {
    ptr: NonNull<bindings::inet6_ifaddr>,
    pub(crate) local: LocalAddr,
}

/// Calls `f` for each address of `dev` (or of every device of `net`) until it returns
/// true; returns whether it did.
pub(crate) fn walk_addrs<F: FnMut(&AddrView) -> bool>(
    net: &Net,
    dev: Option<&RxDev<'_>>,
    mut f: F,
) -> bool {
    unsafe extern "C" fn tramp<F: FnMut(&AddrView) -> bool>(
        ctx: *mut c_void,
        ifa: *mut bindings::inet6_ifaddr,
    ) -> bool {
        // SAFETY: `ctx` is the `&mut F` passed below, alive for the walk.
        let f = unsafe { &mut *ctx.cast::<F>() };
        let Some(ptr) = NonNull::new(ifa) else {
            return false;
        };
        // SAFETY: the walk holds RCU and lists only live addresses of live devices.
        let view = AddrView {
            ptr,
            local: unsafe { local_of(ifa) },
        };
        f(&view)
    }
    let devp = dev.map_or(core::ptr::null(), |d| d.as_ptr().cast_const());
    // SAFETY: `net` is live (callers hold a device of it); the trampoline matches `f`'s
    // type and `f` outlives the call.
    unsafe {
        bindings::ipv6_rs_walk_addrs(net.as_ptr(), devp, Some(tramp::<F>), (&raw mut f).cast())
    }
}

/// What route and source selection see of a listed address.
///
/// # Safety
/// `ifa` is an address listed on a live device, read under RCU.
unsafe fn local_of(ifa: *mut bindings::inet6_ifaddr) -> LocalAddr {
    // SAFETY: per the function's contract.
    unsafe {
        let r = &*ifa;
        LocalAddr {
            addr: Ipv6Addr::from(r.addr.in6_u.u6_addr8),
            prefix_len: r.prefix_len as u8,
            flags: bindings::ipv6_rs_ifa_flags(ifa),
            ifindex: (*bindings::ipv6_rs_ifa_dev(ifa)).ifindex as u32,
            prefer_temporary: bindings::ipv6_rs_ifa_prefer_temp(ifa),
            use_optimistic: bindings::ipv6_rs_ifa_use_optimistic(ifa),
        }
    }
}

/// The node's addresses in `net` (all devices, in [`walk_addrs`] order), read in place
/// under the RCU section `'a` borrows: route and source selection walk them without
/// copying. Cloning restarts nothing: the clone goes on from the same point.
#[derive(Clone)]
pub(crate) struct Addrs<'a> {
    net: &'a Net,
    cur: *mut bindings::inet6_ifaddr,
    done: bool,
    _rcu: PhantomData<&'a Rcu>,
}

/// Every address of `net`, for the duration of `rcu`.
pub(crate) fn net_addrs<'a>(net: &'a Net, _rcu: &'a Rcu) -> Addrs<'a> {
    Addrs {
        net,
        cur: core::ptr::null_mut(),
        done: false,
        _rcu: PhantomData,
    }
}

impl Iterator for Addrs<'_> {
    type Item = LocalAddr;

    fn next(&mut self) -> Option<LocalAddr> {
        if self.done {
            return None;
        }
        // SAFETY: `net` is live (callers hold one of its devices or sockets) and the
        // RCU section `'a` covers the walk, so `cur` (listed in it) stays readable.
        let n = unsafe { bindings::ipv6_rs_addr_next(self.net.as_ptr(), self.cur) };
        if n.is_null() {
            self.done = true;
            return None;
        }
        self.cur = n;
        // SAFETY: listed under the same RCU section.
        Some(unsafe { local_of(n) })
    }
}

/// A held reference on an address (`in6_ifa_hold()`), usable outside RCU.
///
/// # Invariants
/// `ptr` is an address on which this value owns one reference.
pub(crate) struct IfAddrRef {
    ptr: NonNull<bindings::inet6_ifaddr>,
}

impl IfAddrRef {
    /// Finds `addr` on `dev` and holds it.
    pub(crate) fn find(dev: &RxDev<'_>, addr: &Ipv6Addr) -> Option<Self> {
        let mut found = None;
        walk_addrs(dev.net, Some(dev), |a| {
            if a.local.addr != *addr {
                return false;
            }
            // SAFETY: listed address under RCU; a zero count means it is going away.
            if unsafe { bindings::ipv6_rs_ifa_hold(a.ptr.as_ptr()) } {
                found = Some(Self { ptr: a.ptr });
            }
            true
        });
        found
    }

    pub(crate) fn as_ptr(&self) -> *mut bindings::inet6_ifaddr {
        self.ptr.as_ptr()
    }

    /// `IFA_F_*` flags now.
    pub(crate) fn flags(&self) -> u32 {
        // SAFETY: held (type invariant).
        unsafe { bindings::ipv6_rs_ifa_flags(self.as_ptr()) }
    }

    /// The nonce of our DAD probes for it.
    pub(crate) fn dad_nonce(&self) -> u64 {
        // SAFETY: held (type invariant).
        unsafe { bindings::ipv6_rs_ifa_dad_nonce(self.as_ptr()) }
    }

    /// The address.
    pub(crate) fn addr(&self) -> Ipv6Addr {
        // SAFETY: held; the address never changes.
        Ipv6Addr::from(unsafe { (*self.as_ptr()).addr.in6_u.u6_addr8 })
    }
}

impl Drop for IfAddrRef {
    fn drop(&mut self) {
        // SAFETY: we own one reference (type invariant).
        unsafe { bindings::ipv6_rs_ifa_put(self.as_ptr()) };
    }
}

// The core's DAD states are the kernel's `enum inet6_ifaddr_state`.
const _: () = assert!(DadState::PreDad as u32 == bindings::INET6_IFADDR_STATE_PREDAD);
const _: () = assert!(DadState::Dad as u32 == bindings::INET6_IFADDR_STATE_DAD);
const _: () = assert!(DadState::PostDad as u32 == bindings::INET6_IFADDR_STATE_POSTDAD);
const _: () = assert!(DadState::ErrDad as u32 == bindings::INET6_IFADDR_STATE_ERRDAD);
const _: () = assert!(DadState::Dead as u32 == bindings::INET6_IFADDR_STATE_DEAD);

/// One step of duplicate address detection, run by the DAD work.
pub(crate) trait DadStep {
    /// Carries out the next step for `ifa` of `dev`, in DAD state `state` (not
    /// `Dead`), under RTNL.
    fn run(dev: &NetDevice, ifa: &IfAddr, state: DadState);
}

/// The DAD work's callback for `T`.
///
/// # Safety
/// Called by the DAD work with RTNL held and a reference on `ifa`.
unsafe extern "C" fn dad_tramp<T: DadStep>(ifa: *mut bindings::inet6_ifaddr) {
    // SAFETY: a held address; its inet6_dev is held by it.
    if !unsafe { bindings::ipv6_rs_ifa_idev_live(ifa) } {
        return;
    }
    // SAFETY: as above.
    let st = DadState::from_raw(unsafe { bindings::ipv6_rs_ifa_state(ifa) } as u32);
    if st == DadState::Dead {
        return;
    }
    // SAFETY: the live inet6_dev holds its device; RTNL is held for the call.
    let dev = unsafe { NetDevice::from_raw(bindings::ipv6_rs_ifa_dev(ifa)) };
    // SAFETY: not DEAD, so still listed; RTNL is held for the call.
    let a = unsafe { IfAddr::from_listed(ifa) };
    T::run(dev, a, st);
}

/// The DAD workqueue, running `T`, alive while this value is: dropping it waits for
/// the last probe.
pub(crate) struct DadWork<T: DadStep>(PhantomData<T>);

impl<T: DadStep> DadWork<T> {
    pub(crate) fn new() -> Result<Self> {
        // SAFETY: `dad_tramp::<T>` keeps the contract of the DAD work callback.
        kernel::error::to_result(unsafe { bindings::ipv6_rs_dad_init(Some(dad_tramp::<T>)) })?;
        Ok(Self(PhantomData))
    }
}

impl<T: DadStep> Drop for DadWork<T> {
    fn drop(&mut self) {
        // SAFETY: set up in `new`; waits for running steps.
        unsafe { bindings::ipv6_rs_dad_exit() };
    }
}

impl IfAddrRef {
    /// Moves it from DAD state `from` to `to`, if it is in `from`.
    pub(crate) fn move_state(&self, from: DadState, to: DadState) -> bool {
        // SAFETY: held (type invariant); the helper takes the address's lock.
        unsafe { bindings::ipv6_rs_ifa_state_move(self.as_ptr(), from as _, to as _) }
    }

    /// Runs its DAD work now, to carry out a failure under RTNL.
    pub(crate) fn dad_schedule_now(&self) {
        // SAFETY: held (type invariant); the work takes its own reference.
        unsafe { bindings::ipv6_rs_dad_schedule(self.as_ptr(), 0) };
    }
}

impl NetDevice {
    /// Runs `f` with the datapath's view of the device, in an RCU read-side section.
    pub(crate) fn with_rx(&self, f: impl FnOnce(&RxDev<'_>)) {
        let _rcu = Rcu::read_lock();
        // SAFETY: the device is live (RTNL, NetDevice's invariant), and RCU is held
        // for the view's use.
        f(&unsafe { RxDev::new(self.as_ptr()) });
    }

    /// The device's `ipv6_devconf` fields the datapath reads, if it has IPv6 state.
    pub(crate) fn datapath_cnf(&self) -> Option<bindings::ipv6_rs_dev_cnf> {
        let mut c = None;
        self.with_rx(|d| c = d.cnf());
        c
    }
}
