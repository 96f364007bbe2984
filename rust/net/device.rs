// SPDX-License-Identifier: GPL-2.0

//! Network devices: a borrowed `struct net_device`, and the netdevice notifier through
//! which IPv6 learns of devices coming, going and changing (mainline `addrconf_notify()`).

use crate::net::netlink::RtnlHeld;
use crate::net::netns::Net;
use crate::{addrconf::DevEvent, bindings};
use core::{cell::UnsafeCell, marker::PhantomData, marker::PhantomPinned};
use kernel::types::Opaque;
use kernel::{error::to_result, ffi::c_int, ffi::c_ulong, ffi::c_void, prelude::*};

/// A network device, borrowed while RTNL is held.
///
/// # Invariants
/// The wrapped device is registered (or being registered/unregistered) and RTNL is held
/// for as long as the reference lives, so its configuration does not change under us.
#[repr(transparent)]
pub(crate) struct NetDevice(Opaque<bindings::net_device>);

impl NetDevice {
    /// # Safety
    /// `ptr` must point to a live `net_device` and RTNL must be held for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a Self {
        // SAFETY: repr(transparent) over the C struct; validity is the caller's promise.
        unsafe { &*ptr.cast::<Self>() }
    }

    pub(crate) fn as_ptr(&self) -> *mut bindings::net_device {
        self.0.get()
    }

    /// The C struct, for reading single fields through the pointer: no reference to
    /// the whole struct is made, whose other fields other CPUs write.
    fn raw(&self) -> *const bindings::net_device {
        self.0.get()
    }

    /// The device's MTU.
    pub(crate) fn mtu(&self) -> u32 {
        // SAFETY: a live device (type invariant); RTNL keeps this field stable.
        unsafe { (*self.raw()).mtu }
    }

    /// The room its link layer needs before a packet (`hard_header_len` plus
    /// `needed_headroom`).
    pub(crate) fn ll_headroom(&self) -> u32 {
        // SAFETY: a live device (type invariant); RTNL keeps these fields stable.
        unsafe {
            u32::from((*self.raw()).hard_header_len) + u32::from((*self.raw()).needed_headroom)
        }
    }

    /// `IFF_*` flags (`dev->flags`).
    pub(crate) fn flags(&self) -> u32 {
        // SAFETY: a live device (type invariant); RTNL keeps this field stable.
        unsafe { (*self.raw()).flags }
    }

    /// `IFF_LOOPBACK`.
    pub(crate) fn is_loopback(&self) -> bool {
        self.flags() & bindings::net_device_flags_IFF_LOOPBACK != 0
    }

    /// The device has IPv6 state (`dev->ip6_ptr`).
    pub(crate) fn has_idev(&self) -> bool {
        // SAFETY: the device is live and RTNL is held (type invariant).
        !unsafe { bindings::ipv6_rs_dev_idev(self.as_ptr()) }.is_null()
    }

    /// The flags `ip link` shows (`dev_get_flags()`: `IFF_RUNNING`, `IFF_LOWER_UP`,
    /// `IFF_DORMANT` from the device's state).
    pub(crate) fn user_flags(&self) -> u32 {
        // SAFETY: a live device under RTNL (type invariant).
        unsafe { bindings::dev_get_flags(self.as_ptr()) }
    }

    /// `dev_get_iflink()`: the index of the device this one is stacked on (its own
    /// otherwise).
    pub(crate) fn iflink(&self) -> u32 {
        // SAFETY: a live device under RTNL (type invariant).
        unsafe { bindings::dev_get_iflink(self.as_ptr()) as u32 }
    }

    /// `dev->operstate` (RFC 2863 `IF_OPER_*`).
    pub(crate) fn operstate(&self) -> u8 {
        // SAFETY: a live device under RTNL (type invariant).
        unsafe { bindings::ipv6_rs_dev_operstate(self.as_ptr()) }
    }

    /// Announces a prefix information option received on the device to
    /// `RTNLGRP_IPV6_PREFIX` (`inet6_prefix_notify()`).
    pub(crate) fn prefix_notify(&self, opt: &[u8; 32]) {
        // SAFETY: a live device under RTNL (type invariant); `opt` is a whole option.
        unsafe { bindings::ipv6_rs_prefix_notify(self.as_ptr(), opt.as_ptr()) };
    }

    /// RTNL is held for as long as the device is borrowed (type invariant).
    pub(crate) fn rtnl(&self) -> RtnlHeld<'_> {
        // SAFETY: a `&NetDevice` exists only while RTNL is held (type invariant).
        unsafe { RtnlHeld::new() }
    }

    /// The network namespace the device lives in.
    pub(crate) fn net(&self) -> &Net {
        // SAFETY: the device is live (type invariant).
        unsafe { Net::from_raw(bindings::ipv6_rs_dev_net(self.as_ptr())) }
    }
}

/// What a netdevice notification says besides its event and device.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct EventInfo {
    /// On `NETDEV_CHANGE`: the `IFF_*` flags that changed
    /// (`netdev_notifier_change_info.flags_changed`); 0 otherwise.
    flags_changed: u32,
}

impl EventInfo {
    /// `IFF_NOARP` is among the flags that changed.
    pub(crate) fn noarp_changed(&self) -> bool {
        self.flags_changed & bindings::net_device_flags_IFF_NOARP != 0
    }
}

/// Receives netdevice events, under RTNL.
pub(crate) trait NetdevEvents {
    /// Called for each event IPv6 cares about.
    fn event(ev: DevEvent, dev: &NetDevice, info: EventInfo);
}

fn dev_event(cmd: c_ulong) -> Option<DevEvent> {
    Some(match u32::try_from(cmd).ok()? {
        bindings::netdev_cmd_NETDEV_REGISTER => DevEvent::Register,
        bindings::netdev_cmd_NETDEV_UP => DevEvent::Up,
        bindings::netdev_cmd_NETDEV_CHANGE => DevEvent::Change,
        bindings::netdev_cmd_NETDEV_DOWN => DevEvent::Down,
        bindings::netdev_cmd_NETDEV_CHANGEMTU => DevEvent::ChangeMtu,
        bindings::netdev_cmd_NETDEV_UNREGISTER => DevEvent::Unregister,
        bindings::netdev_cmd_NETDEV_CHANGENAME => DevEvent::ChangeName,
        bindings::netdev_cmd_NETDEV_CHANGEADDR => DevEvent::ChangeAddr,
        bindings::netdev_cmd_NETDEV_NOTIFY_PEERS => DevEvent::NotifyPeers,
        _ => return None,
    })
}

/// `notifier_block.notifier_call` for `T`.
///
/// # Safety
/// Called by the netdevice notifier chain, under RTNL, with `ptr` a
/// `struct netdev_notifier_info` whose device is live.
unsafe extern "C" fn notifier_call<T: NetdevEvents>(
    _nb: *mut bindings::notifier_block,
    cmd: c_ulong,
    ptr: *mut c_void,
) -> c_int {
    if let Some(ev) = dev_event(cmd) {
        // SAFETY: `ptr` is a netdev_notifier_info for every netdevice event.
        let dev = unsafe { bindings::ipv6_rs_notifier_info_to_dev(ptr.cast()) };
        let mut info = EventInfo::default();
        if ev == DevEvent::Change {
            let change = ptr.cast::<bindings::netdev_notifier_change_info>();
            // SAFETY: NETDEV_CHANGE comes with a netdev_notifier_change_info around the
            // info (`netdev_state_change()`, `__dev_notify_flags()`), as mainline's
            // ndisc_netdev_event() reads it.
            info.flags_changed = unsafe { (*change).flags_changed };
        }
        // SAFETY: the chain runs under RTNL with a live device.
        T::event(ev, unsafe { NetDevice::from_raw(dev) }, info);
    }
    bindings::NOTIFY_DONE as c_int
}

#[repr(transparent)]
struct NotifierBlock {
    nb: UnsafeCell<bindings::notifier_block>,
    _pin: PhantomPinned,
}

/// A netdevice notifier registered for as long as this value lives.
///
/// Registering replays `NETDEV_REGISTER` and `NETDEV_UP` for every existing device in
/// every namespace; unregistering replays `NETDEV_DOWN` and `NETDEV_UNREGISTER`, so `T`
/// sees every device come and go even across module load and unload.
///
/// # Invariants
/// `nb` is registered on the netdevice chain and not moved until unregistered in `drop`.
pub(crate) struct NotifierRegistration<T: NetdevEvents> {
    nb: Pin<KBox<NotifierBlock>>,
    _t: PhantomData<T>,
}

// SAFETY: only touched at module init and exit; the chain has its own locking.
unsafe impl<T: NetdevEvents> Send for NotifierRegistration<T> {}
// SAFETY: `&NotifierRegistration` exposes nothing.
unsafe impl<T: NetdevEvents> Sync for NotifierRegistration<T> {}

impl<T: NetdevEvents> NotifierRegistration<T> {
    pub(crate) fn new() -> Result<Self> {
        let nb = bindings::notifier_block {
            notifier_call: Some(notifier_call::<T>),
            ..Default::default()
        };
        let nb = KBox::pin(
            NotifierBlock {
                nb: UnsafeCell::new(nb),
                _pin: PhantomPinned,
            },
            GFP_KERNEL,
        )?;
        // SAFETY: `nb` is pinned on the heap and unregistered in `drop` before it is freed.
        to_result(unsafe { bindings::register_netdevice_notifier(nb.nb.get()) })?;
        Ok(Self {
            nb,
            _t: PhantomData,
        })
    }
}

impl<T: NetdevEvents> Drop for NotifierRegistration<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `new` (type invariant).
        unsafe { bindings::unregister_netdevice_notifier(self.nb.nb.get()) };
    }
}

impl NetDevice {
    /// The interface index.
    pub(crate) fn ifindex(&self) -> u32 {
        // SAFETY: a live device (type invariant); RTNL keeps this field stable.
        unsafe { (*self.raw()).ifindex as u32 }
    }

    /// The hardware type (`ARPHRD_*`).
    pub(crate) fn dev_type(&self) -> u32 {
        // SAFETY: a live device (type invariant); RTNL keeps this field stable.
        unsafe { (*self.raw()).type_.into() }
    }

    /// The hardware address.
    pub(crate) fn hw_addr(&self) -> &[u8] {
        // SAFETY: a live device (type invariant); RTNL keeps this field stable.
        let (p, len) = unsafe { ((*self.raw()).dev_addr, (*self.raw()).addr_len) };
        if p.is_null() {
            return &[];
        }
        // SAFETY: `dev_addr` points to at least `addr_len` bytes (MAX_ADDR_LEN), stable
        // under RTNL (type invariant).
        unsafe { core::slice::from_raw_parts(p, usize::from(len)) }
    }

    /// The permanent hardware address (`perm_addr`, `addr_len` bytes; zeros where the
    /// driver has none), as RFC 7217 hashes it.
    pub(crate) fn perm_addr(&self) -> &[u8] {
        // SAFETY: a live device (type invariant); `perm_addr` is MAX_ADDR_LEN bytes
        // inside it, and `addr_len` is at most that; stable under RTNL.
        unsafe {
            let p = bindings::ipv6_rs_dev_perm_addr(self.as_ptr());
            let n = usize::from((*self.raw()).addr_len).min(32);
            core::slice::from_raw_parts(p, n)
        }
    }

    /// `IFF_NOARP`.
    pub(crate) fn is_noarp(&self) -> bool {
        self.flags() & bindings::net_device_flags_IFF_NOARP != 0
    }

    /// `IFF_POINTOPOINT`.
    pub(crate) fn is_p2p(&self) -> bool {
        self.flags() & bindings::net_device_flags_IFF_POINTOPOINT != 0
    }

    /// An ISATAP tunnel (`IFF_ISATAP`).
    pub(crate) fn is_isatap(&self) -> bool {
        // SAFETY: a live device (type invariant); priv_flags is stable under RTNL.
        unsafe { bindings::ipv6_rs_sit_is_isatap(self.as_ptr()) }
    }

    /// The interface name.
    pub(crate) fn name(&self) -> &str {
        // SAFETY: a live device (type invariant); RTNL keeps its name stable, so a
        // reference to that field alone is sound while `self` is borrowed.
        ifname(unsafe { &(*self.raw()).name })
    }

    /// The link can carry traffic (`addrconf_link_ready()`).
    pub(crate) fn link_ready(&self) -> bool {
        // SAFETY: live device under RTNL (type invariant).
        unsafe { bindings::ipv6_rs_link_ready(self.as_ptr()) }
    }

    /// `netif_carrier_ok()`.
    pub(crate) fn carrier_ok(&self) -> bool {
        // SAFETY: live device under RTNL (type invariant).
        unsafe { bindings::ipv6_rs_dev_carrier_ok(self.as_ptr()) }
    }
}

/// The next device of `net` whose ifindex is at least `*idx`; `*idx` becomes its index.
/// Resumable from a saved index, as dumps need.
pub(crate) fn next_dev<'a>(
    rtnl: RtnlHeld<'a>,
    net: &Net,
    idx: &mut usize,
) -> Option<&'a NetDevice> {
    let _ = rtnl;
    // SAFETY: a live namespace; RTNL is held (`rtnl`).
    let devp = unsafe { bindings::ipv6_rs_dev_get_next(net.as_ptr(), idx) };
    // SAFETY: a registered device of `net`, RTNL held for `'a` (`rtnl`).
    (!devp.is_null()).then(|| unsafe { NetDevice::from_raw(devp) })
}

/// Calls `f` for each device of `net`, in ifindex order.
pub(crate) fn for_each_dev(rtnl: RtnlHeld<'_>, net: &Net, mut f: impl FnMut(&NetDevice)) {
    let mut idx = 0;
    while let Some(dev) = next_dev(rtnl, net, &mut idx) {
        f(dev);
        idx += 1;
    }
}

/// The device `ifindex` of `net`, for rtnetlink request and dump handlers, which hold
/// RTNL for the whole call (and so for the borrow).
pub(crate) fn dev_by_index<'a>(net: &Net, ifindex: u32) -> Option<&'a NetDevice> {
    // SAFETY: RTNL is held by the rtnetlink handlers that call this.
    let p = unsafe { bindings::__dev_get_by_index(net.as_ptr(), ifindex as c_int) };
    // SAFETY: a device of `net` found under RTNL, which the handler holds throughout.
    (!p.is_null()).then(|| unsafe { NetDevice::from_raw(p) })
}

impl Net {
    /// The IPv4 addresses of this namespace's devices that are up, in the kernel's
    /// order, with their devices and scopes (`RT_SCOPE_*`), while RTNL is held.
    pub(crate) fn v4_addrs(&self, _rtnl: RtnlHeld<'_>) -> KVec<crate::sit::V4Addr> {
        unsafe extern "C" fn add(ctx: *mut c_void, ifindex: c_int, addr: u32, scope: u8) {
            // SAFETY: `ctx` is the vector below, alive for the walk.
            let v = unsafe { &mut *ctx.cast::<KVec<crate::sit::V4Addr>>() };
            let a = crate::sit::V4Addr {
                ifindex: ifindex as u32,
                addr: core::net::Ipv4Addr::from(u32::from_be(addr)),
                scope,
            };
            let _ = v.push(a, GFP_KERNEL);
        }
        let mut v = KVec::new();
        // SAFETY: a live namespace, RTNL held; `add` gets our vector only for the call.
        unsafe { bindings::ipv6_rs_walk_v4_addrs(self.as_ptr(), Some(add), (&raw mut v).cast()) };
        v
    }

    /// The device `ifindex` of this namespace, while RTNL is held (`rtnl`).
    pub(crate) fn dev_rtnl<'a>(&self, rtnl: RtnlHeld<'a>, ifindex: u32) -> Option<&'a NetDevice> {
        let _ = rtnl;
        let i = c_int::try_from(ifindex).ok()?;
        // SAFETY: a live namespace; RTNL is held for `'a` (`rtnl`).
        let p = unsafe { bindings::__dev_get_by_index(self.as_ptr(), i) };
        // SAFETY: a device of this namespace found under RTNL, held for `'a`.
        (!p.is_null()).then(|| unsafe { NetDevice::from_raw(p) })
    }

    /// The device `ifindex` of this namespace, for the RCU section `rcu`.
    pub(crate) fn dev_rcu<'r>(
        &'r self,
        ifindex: u32,
        _rcu: &'r crate::net::rcu::Rcu,
    ) -> Option<RxDev<'r>> {
        // SAFETY: the guard holds RCU for `'r`; `self` lives as long.
        unsafe { rx_dev_by_index(self, ifindex) }
    }
}

/// The device `ifindex` of `net`, seen for the RCU section `'r`.
///
/// # Safety
/// RCU must be held, and `net` live, for `'r`.
unsafe fn rx_dev_by_index<'r>(net: &Net, ifindex: u32) -> Option<RxDev<'r>> {
    let ifindex = c_int::try_from(ifindex).ok()?;
    // SAFETY: a live namespace; RCU is held for `'r` (caller), so a device found stays
    // live for the section.
    let dev = unsafe { bindings::ipv6_rs_dev_get_by_index_rcu(net.as_ptr(), ifindex) };
    // SAFETY: as above.
    (!dev.is_null()).then(|| unsafe { RxDev::new(dev) })
}

/// A device as the datapath sees it, with its IPv6 state, under RCU.
///
/// # Invariants
/// `dev` is a live device and `idev` its `inet6_dev` (or null); the caller holds
/// `rcu_read_lock()` (or runs in softirq, where RCU readers are implied) while this lives.
#[derive(Clone, Copy)]
pub(crate) struct RxDev<'a> {
    pub(crate) dev: *mut bindings::net_device,
    pub(crate) idev: *mut bindings::inet6_dev,
    pub(crate) net: &'a Net,
}

impl<'a> RxDev<'a> {
    /// The device's MTU (`READ_ONCE(dev->mtu)`).
    pub(crate) fn mtu(&self) -> u32 {
        // SAFETY: a live device for `'a` (type invariant); a plain integer, read once.
        unsafe { core::ptr::read_volatile(&raw const (*self.dev).mtu) }
    }

    /// # Safety
    /// `dev` must be live and RCU held for `'a`.
    pub(crate) unsafe fn new(dev: *mut bindings::net_device) -> Self {
        Self {
            dev,
            // SAFETY: live device under RCU (caller).
            idev: unsafe { bindings::ipv6_rs_dev_idev_rcu(dev) },
            // SAFETY: a live device holds its namespace (caller).
            net: unsafe { Net::from_raw(bindings::ipv6_rs_dev_net(dev)) },
        }
    }

    /// The C `struct net_device`.
    pub(crate) fn as_ptr(&self) -> *mut bindings::net_device {
        self.dev
    }

    /// Another device of the same namespace, by index, in the same RCU section.
    pub(crate) fn by_index(&self, ifindex: u32) -> Option<RxDev<'a>> {
        // SAFETY: RCU is held and the namespace live for `'a` (type invariant).
        unsafe { rx_dev_by_index(self.net, ifindex) }
    }

    /// The device's `ipv6_devconf` fields the datapath reads, if it has IPv6 state.
    pub(crate) fn cnf(&self) -> Option<bindings::ipv6_rs_dev_cnf> {
        if self.idev.is_null() {
            return None;
        }
        let mut c = bindings::ipv6_rs_dev_cnf::default();
        // SAFETY: live inet6_dev under RCU (type invariant).
        unsafe { bindings::ipv6_rs_idev_cnf(self.idev, &mut c) };
        Some(c)
    }

    pub(crate) fn ifindex(&self) -> u32 {
        // SAFETY: live device (type invariant).
        unsafe { (*self.dev).ifindex as u32 }
    }

    pub(crate) fn flags(&self) -> u32 {
        // SAFETY: live device (type invariant).
        unsafe { (*self.dev).flags }
    }

    /// The interface name.
    pub(crate) fn name(&self) -> &str {
        // SAFETY: live device; the name is a NUL-terminated array inside it.
        ifname(unsafe { &(*self.dev).name })
    }

    pub(crate) fn is_loopback(&self) -> bool {
        self.flags() & bindings::net_device_flags_IFF_LOOPBACK != 0
    }

    /// The hardware address.
    pub(crate) fn hw_addr(&self) -> &[u8] {
        // SAFETY: live device; `dev_addr` holds `addr_len` bytes.
        unsafe {
            let p = bindings::ipv6_rs_dev_addr(self.dev);
            let n = bindings::ipv6_rs_dev_addr_len(self.dev) as usize;
            if p.is_null() {
                return &[];
            }
            core::slice::from_raw_parts(p, n)
        }
    }

    /// Adds `val` to an `IPSTATS_MIB_*` counter of the namespace and the device.
    pub(crate) fn ip6_add(&self, field: u32, val: u64) {
        // SAFETY: live namespace and (null or live) inet6_dev; the MIBs are allocated
        // for as long as our per-namespace state exists, which outlives every device.
        unsafe {
            bindings::ipv6_rs_ip6_add_stats(self.net.as_ptr(), self.idev, field as c_int, val)
        };
    }

    pub(crate) fn ip6_inc(&self, field: u32) {
        self.ip6_add(field, 1);
    }

    /// Increments an `ICMP6_MIB_*` counter.
    pub(crate) fn icmp6_inc(&self, field: u32) {
        // SAFETY: as for `ip6_add`.
        unsafe { bindings::ipv6_rs_icmp6_inc_stats(self.net.as_ptr(), self.idev, field as c_int) };
    }

    /// `netif_carrier_ok()`.
    pub(crate) fn carrier_ok(&self) -> bool {
        // SAFETY: a live device under RCU (type invariant).
        unsafe { bindings::ipv6_rs_dev_carrier_ok(self.dev) }
    }

    /// The device has IPv6 state.
    pub(crate) fn has_idev(&self) -> bool {
        !self.idev.is_null()
    }

    /// May an ICMPv6 error of type `t` leave through this device to `dst`, reached by
    /// a route of prefix length `plen`? The core's [`crate::icmp::allow`] decides with
    /// the kernel's token buckets (BH disabled while it asks them, as mainline's
    /// `icmp6_send()` has it), and the limit that said no is counted.
    pub(crate) fn icmp_rate_allow(&self, dst: &core::net::Ipv6Addr, t: u8, plen: u8) -> bool {
        let mut mask = [0u64; 4];
        // SAFETY: a live namespace (type invariant); `mask` has the four words.
        unsafe { bindings::ipv6_rs_icmp_ratemask(self.net.as_ptr(), mask.as_mut_ptr()) };
        // SAFETY: as above; a plain read.
        let time = unsafe { bindings::ipv6_rs_icmpv6_time(self.net.as_ptr()) };
        let _bh = BhDisabled::new();
        let mut buckets = IcmpBuckets { net: self.net, dst };
        match crate::icmp::allow(t, &mask, self.is_loopback(), time, plen, &mut buckets) {
            Ok(()) => true,
            Err(crate::icmp::Limited::Global) => {
                // SAFETY: a live namespace.
                unsafe { bindings::ipv6_rs_icmp_count_global_limited(self.net.as_ptr()) };
                false
            }
            Err(crate::icmp::Limited::Host) => {
                self.icmp6_inc(super::mib::icmp::RATELIMITHOST);
                false
            }
        }
    }

    /// Counts an ICMPv6 message of `kind` in or out (`Icmp6InEchos`, ...).
    pub(crate) fn icmp6_msg(&self, out: bool, kind: u8) {
        // SAFETY: as for `ip6_add`.
        unsafe { bindings::ipv6_rs_icmp6msg_inc(self.net.as_ptr(), self.idev, out, kind) };
    }
}

/// Bottom halves disabled on this CPU while this lives (`local_bh_disable()`).
struct BhDisabled(());

impl BhDisabled {
    fn new() -> Self {
        // SAFETY: no precondition; undone in drop, on the same CPU (BH-disabled code
        // does not migrate).
        unsafe { bindings::ipv6_rs_local_bh_disable() };
        Self(())
    }
}

impl Drop for BhDisabled {
    fn drop(&mut self) {
        // SAFETY: disabled in `new`.
        unsafe { bindings::ipv6_rs_local_bh_enable() };
    }
}

/// The kernel's ICMP token buckets for one destination in one namespace, with BH
/// disabled (the caller holds a [`BhDisabled`]).
struct IcmpBuckets<'a> {
    net: &'a Net,
    dst: &'a core::net::Ipv6Addr,
}

impl crate::icmp::Buckets for IcmpBuckets<'_> {
    fn global_allow(&mut self) -> bool {
        // SAFETY: a live namespace; BH disabled (the struct's contract).
        unsafe { bindings::icmp_global_allow(self.net.as_ptr()) }
    }

    fn peer_allow(&mut self, interval: u32) -> bool {
        self.net.peer_allow(self.dst, u64::from(interval))
    }

    fn global_consume(&mut self) {
        // SAFETY: as above.
        unsafe { bindings::icmp_global_consume(self.net.as_ptr()) };
    }
}

/// A device's `name` field as text (up to its NUL; `?` if it is not UTF-8).
pub(crate) fn ifname(n: &[kernel::ffi::c_char]) -> &str {
    // SAFETY: c_char is u8 here; same size and alignment, the same memory.
    let b = unsafe { core::slice::from_raw_parts(n.as_ptr().cast::<u8>(), n.len()) };
    let len = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    core::str::from_utf8(&b[..len]).unwrap_or("?")
}
