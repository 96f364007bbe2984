// SPDX-License-Identifier: GPL-2.0

//! The AF_INET6 neighbour table of the kernel's neighbour core (mainline's `nd_tbl`):
//! its storage, and output through it. Neighbour discovery (`ipv6/ndisc.rs`) fills in
//! and registers the table at load, before any packet path runs, and unregisters it
//! at unload, after the last one.

use crate::{
    bindings,
    net::{
        device::{NetDevice, RxDev},
        in6,
        skb::{Skb, SkbRef},
    },
};
use core::{
    ffi::{c_int, c_void},
    marker::PhantomData,
    net::Ipv6Addr,
    ptr::NonNull,
};
use kernel::prelude::*;
use kernel::types::Opaque;

/// The table's storage; neighbours point at it, so it lives in static memory.
struct NdTableCell(Opaque<bindings::neigh_table>);

// SAFETY: the kernel's neighbour core serialises all access to the table itself.
unsafe impl Sync for NdTableCell {}

static ND_TBL: NdTableCell = NdTableCell(Opaque::uninit());

/// The table, for the kernel's neighbour functions.
pub(crate) fn table() -> *mut bindings::neigh_table {
    ND_TBL.0.get()
}

impl RxDev<'_> {
    /// `ip6_finish_output2()`'s hand-off: the neighbour of `nexthop` on this device,
    /// created if need be, sends `skb` (or queues it while it resolves); the packet
    /// comes back if no neighbour could be made. `Ok(false)` when the neighbour layer
    /// dropped it.
    pub(crate) fn neigh_output(&self, nexthop: &Ipv6Addr, skb: Skb) -> Result<bool, Skb> {
        let key = in6(nexthop);
        // SAFETY: a BH-disabled RCU section around the lookup and output, as mainline's.
        unsafe { bindings::ipv6_rs_rcu_read_lock_bh() };
        // SAFETY: the table is registered while packet paths run (module comment);
        // the device is live (RxDev's invariant).
        let n = unsafe { bindings::ipv6_rs_neigh_get(table(), &key, self.as_ptr()) };
        // SAFETY: `n` is checked before use.
        let r = if unsafe { bindings::ipv6_rs_is_err_or_null(n.cast()) } {
            Err(skb)
        } else {
            // SAFETY: `n` is a held neighbour; neigh_output consumes the packet.
            let rc = unsafe { bindings::ipv6_rs_neigh_output(n, skb.into_raw()) };
            // SAFETY: the reference taken by the lookup.
            unsafe { bindings::ipv6_rs_neigh_release(n) };
            Ok(rc >= 0)
        };
        // SAFETY: paired with the lock above.
        unsafe { bindings::ipv6_rs_rcu_read_unlock_bh() };
        r
    }
}

/// A neighbour entry of the table, held while this lives.
///
/// # Invariants
/// `n` is a neighbour on which this value owns a reference, of a device whose hardware
/// addresses are `addr_len` bytes.
pub(crate) struct Neigh {
    n: NonNull<bindings::neighbour>,
    addr_len: usize,
}

impl Neigh {
    /// The entry for `addr` on device `dev`: looked up, or made if `create`.
    ///
    /// # Safety
    /// `dev` must be live for the call.
    unsafe fn find(dev: *mut bindings::net_device, addr: &Ipv6Addr, create: bool) -> Option<Self> {
        let key = in6(addr);
        // SAFETY: the table is registered while packet paths run (module comment); the
        // device is live (caller); the result is a held neighbour, null or an error.
        let n = unsafe {
            if create {
                // Looks up, and creates what it does not find.
                bindings::ipv6_rs_neigh_get(table(), &key, dev)
            } else {
                bindings::neigh_lookup(table(), (&raw const key).cast(), dev)
            }
        };
        // SAFETY: checked for error and null before use.
        if unsafe { bindings::ipv6_rs_is_err_or_null(n.cast()) } {
            return None;
        }
        // SAFETY: a live device (caller).
        let addr_len = unsafe { bindings::ipv6_rs_dev_addr_len(dev) } as usize;
        NonNull::new(n).map(|n| Self { n, addr_len })
    }

    /// The entry for `addr` on `d` (`neigh_lookup()`; with `create`, `__neigh_lookup(...,
    /// 1)`).
    pub(crate) fn of(d: &RxDev<'_>, addr: &Ipv6Addr, create: bool) -> Option<Self> {
        // SAFETY: a live device (RxDev's invariant).
        unsafe { Self::find(d.as_ptr(), addr, create) }
    }

    /// As [`Self::of`], for a device under RTNL.
    pub(crate) fn of_dev(dev: &NetDevice, addr: &Ipv6Addr, create: bool) -> Option<Self> {
        // SAFETY: a live device (NetDevice's invariant).
        unsafe { Self::find(dev.as_ptr(), addr, create) }
    }

    /// Its `NUD_*` state.
    pub(crate) fn nud_state(&self) -> u8 {
        // SAFETY: held (type invariant).
        unsafe { bindings::ipv6_rs_neigh_nud_state(self.n.as_ptr()) }
    }

    /// `neigh_update()` with `lladdr` (or none): ignored if `lladdr` is shorter than the
    /// device's addresses.
    pub(crate) fn update(&self, lladdr: Option<&[u8]>, state: u8, flags: u32) {
        let ll = match lladdr {
            Some(l) if l.len() < self.addr_len => return,
            Some(l) => l.as_ptr(),
            None => core::ptr::null(),
        };
        // SAFETY: held (type invariant); `ll` is null or `addr_len` readable bytes.
        unsafe { bindings::neigh_update(self.n.as_ptr(), ll, state, flags, 0) };
    }

    /// Marks it as a router's (`NTF_ROUTER`).
    pub(crate) fn set_router(&self) {
        // SAFETY: held (type invariant).
        unsafe { bindings::ipv6_rs_neigh_set_router(self.n.as_ptr()) };
    }
}

impl Drop for Neigh {
    fn drop(&mut self) {
        // SAFETY: the reference `find` took (type invariant).
        unsafe { bindings::ipv6_rs_neigh_release(self.n.as_ptr()) };
    }
}

impl RxDev<'_> {
    /// The device builds link-layer headers (`dev->header_ops`).
    pub(crate) fn has_header_ops(&self) -> bool {
        // SAFETY: a live device (type invariant).
        unsafe { bindings::ipv6_rs_dev_has_header_ops(self.as_ptr()) }
    }
}

/// What neighbour discovery decides for the table's entries.
pub(crate) trait NdOps {
    /// `neigh_ops.solicit`: probe `n` on `d`; `trigger_src` is the source of the
    /// packet that started resolution, if any.
    fn solicit(d: &RxDev<'_>, n: &NeighRef<'_>, trigger_src: Option<Ipv6Addr>);
    /// `neigh_ops.error_report`: resolution failed for the queued `skb`.
    fn error_report(skb: Skb);
    /// `neigh_table.pconstructor`: a proxy entry for `key` on `dev` is being made
    /// (`ip -6 neigh add proxy`); under RTNL. An error refuses it.
    fn proxy_add(dev: &NetDevice, key: &Ipv6Addr) -> Result;
    /// `neigh_table.pdestructor`: the proxy entry for `key` on `dev` is gone; under
    /// RTNL.
    fn proxy_del(dev: &NetDevice, key: &Ipv6Addr);
    /// `neigh_table.proxy_redo`: a packet [`proxy_enqueue`]d on `d` comes back after its
    /// delay, in the proxy timer's softirq.
    fn proxy_redo(d: &RxDev<'_>, skb: Skb);
}

/// `pneigh_enqueue()`: queues a received solicitation on its device's neighbour
/// parameters for a random time below their `proxy_delay`, after which the table's
/// [`NdOps::proxy_redo`] gets it (dropped if the queue is full or the device has no
/// parameters).
pub(crate) fn proxy_enqueue(skb: Skb) {
    // SAFETY: the table is registered while packet paths run (module comment); the
    // packet is ours and has its receiving device; the helper takes it.
    unsafe { bindings::ipv6_rs_pneigh_enqueue(table(), skb.into_raw()) };
}

impl RxDev<'_> {
    /// The proxy entry for `key` on this device (or for all devices), if any: whether
    /// it has `NTF_ROUTER` (`pndisc_is_router()`).
    pub(crate) fn proxy_entry(&self, key: &Ipv6Addr) -> Option<bool> {
        let k = in6(key);
        // SAFETY: the table is registered while packet paths run; the device and its
        // namespace are live (RxDev's invariant).
        let r = unsafe {
            bindings::ipv6_rs_pneigh_is_router(table(), self.net.as_ptr(), &k, self.as_ptr())
        };
        (r >= 0).then_some(r > 0)
    }

    /// A proxy entry of this device has `group` as its solicited-node group (which
    /// mainline's `pndisc_constructor()` joins).
    pub(crate) fn proxy_group(&self, group: &Ipv6Addr) -> bool {
        let g = in6(group);
        // SAFETY: as in `proxy_entry`.
        unsafe { bindings::ipv6_rs_pneigh_group(table(), self.as_ptr(), &g) }
    }

    /// The device's neighbour parameters have a non-zero `proxy_delay`.
    pub(crate) fn proxy_delay(&self) -> bool {
        // SAFETY: a live device under RCU (RxDev's invariant).
        unsafe { bindings::ipv6_rs_proxy_delay(self.as_ptr()) }
    }
}

/// A neighbour entry the neighbour core passes to a callback, for the call.
///
/// # Invariants
/// `n` is a live entry of this table for `'a`.
pub(crate) struct NeighRef<'a> {
    n: NonNull<bindings::neighbour>,
    _call: core::marker::PhantomData<&'a ()>,
}

impl NeighRef<'_> {
    /// The entry's IPv6 address.
    pub(crate) fn key(&self) -> Ipv6Addr {
        // SAFETY: entries of this table carry a 16-byte key (type invariant).
        Ipv6Addr::from(unsafe {
            core::ptr::read_unaligned((*self.n.as_ptr()).primary_key.as_ptr().cast::<[u8; 16]>())
        })
    }

    /// Probes sent so far, and the unicast and application probes allowed.
    pub(crate) fn probes(&self) -> (i32, i32, i32) {
        let n = self.n.as_ptr();
        // SAFETY: a live entry (type invariant).
        unsafe {
            (
                bindings::ipv6_rs_neigh_probes(n),
                bindings::ipv6_rs_neigh_ucast_probes(n),
                bindings::ipv6_rs_neigh_app_probes(n),
            )
        }
    }

    /// `neigh_app_ns()`: asks user space (`RTM_GETNEIGH`) to resolve it.
    pub(crate) fn app_ns(&self) {
        // SAFETY: a live entry (type invariant).
        unsafe { bindings::neigh_app_ns(self.n.as_ptr()) };
    }
}

const AF_INET6: c_int = bindings::AF_INET6 as c_int;

/// The operations of the table's entries for `T`: devices with cached headers
/// (`ndisc_hh_ops`), other devices with link-layer headers (`ndisc_generic_ops`), and
/// devices without (`ndisc_direct_ops`).
struct Ops<T>(PhantomData<T>);

impl<T: NdOps> Ops<T> {
    const HH: bindings::neigh_ops = bindings::neigh_ops {
        family: AF_INET6,
        solicit: Some(solicit::<T>),
        error_report: Some(error_report::<T>),
        output: Some(bindings::neigh_resolve_output),
        connected_output: Some(bindings::neigh_resolve_output),
    };
    const GENERIC: bindings::neigh_ops = bindings::neigh_ops {
        family: AF_INET6,
        solicit: Some(solicit::<T>),
        error_report: Some(error_report::<T>),
        output: Some(bindings::neigh_resolve_output),
        connected_output: Some(bindings::neigh_connected_output),
    };
    const DIRECT: bindings::neigh_ops = bindings::neigh_ops {
        family: AF_INET6,
        solicit: None,
        error_report: None,
        output: Some(bindings::neigh_direct_output),
        connected_output: Some(bindings::neigh_direct_output),
    };
}

/// The three operation tables, where the entries can point at them.
struct OpsTables {
    hh: bindings::neigh_ops,
    generic: bindings::neigh_ops,
    direct: bindings::neigh_ops,
}

/// The operation tables of the registered table (set before it is registered, read
/// by the constructor); entries point into them, so they live until it is cleared.
static OPS_TABLES: core::sync::atomic::AtomicPtr<OpsTables> =
    core::sync::atomic::AtomicPtr::new(core::ptr::null_mut());

/// `neigh_table.constructor` (`ndisc_constructor()`).
///
/// # Safety
/// Called by the neighbour core with an entry being created, with its key and device.
unsafe extern "C" fn constructor(n: *mut bindings::neighbour) -> c_int {
    let ops = OPS_TABLES.load(core::sync::atomic::Ordering::Acquire);
    // SAFETY: set before the table was registered and kept until it is cleared
    // (`NdTable`); the entry is the caller's.
    unsafe { bindings::ipv6_rs_ndisc_construct(n, &(*ops).hh, &(*ops).generic, &(*ops).direct) }
}

/// `neigh_table.is_multicast`.
///
/// # Safety
/// `key` is an entry's 16-byte key.
unsafe extern "C" fn is_multicast(key: *const c_void) -> c_int {
    // SAFETY: see the function's contract.
    let first = unsafe { *key.cast::<u8>() };
    c_int::from(first == 0xff)
}

/// `neigh_table.allow_add`: `ip -6 neigh add` needs IPv6 on the device.
///
/// # Safety
/// Called under RTNL with a live device and the request's extack (or null).
unsafe extern "C" fn allow_add(
    dev: *const bindings::net_device,
    extack: *mut bindings::netlink_ext_ack,
) -> bool {
    // SAFETY: see the function's contract.
    let dev = unsafe { NetDevice::from_raw(dev.cast_mut()) };
    if crate::net::inet6_dev::Inet6Dev::of(dev).is_none_or(|i| i.disabled()) {
        crate::net::netlink::set_err_msg(extack, c"IPv6 is disabled on this device");
        return false;
    }
    true
}

/// `neigh_ops.solicit`.
///
/// # Safety
/// Called by the neighbour core with a live entry of this table (which holds its
/// device) and the packet that triggered resolution (or null).
unsafe extern "C" fn solicit<T: NdOps>(n: *mut bindings::neighbour, skb: *mut bindings::sk_buff) {
    let Some(n) = NonNull::new(n) else {
        return;
    };
    let n = NeighRef {
        n,
        _call: PhantomData,
    };
    let rcu = crate::net::rcu::Rcu::read_lock();
    // SAFETY: a live entry holds its device; RCU is held for the view's use.
    let d = unsafe { RxDev::new((*n.n.as_ptr()).dev) };
    // SAFETY: a queued packet we are shown (or null) for the call.
    let trigger = unsafe { SkbRef::from_raw(skb) }
        .and_then(|s| crate::wire::ipv6::header_addrs(&s.network_header()).map(|(src, _)| src));
    T::solicit(&d, &n, trigger);
    drop(rcu);
}

/// `neigh_ops.error_report`.
///
/// # Safety
/// Called by the neighbour core with a packet it hands over.
unsafe extern "C" fn error_report<T: NdOps>(
    _n: *mut bindings::neighbour,
    skb: *mut bindings::sk_buff,
) {
    // SAFETY: see the function's contract.
    if let Some(skb) = unsafe { Skb::from_raw(skb) } {
        T::error_report(skb);
    }
}

/// The key and device of a proxy entry, for its constructor and destructor.
///
/// # Safety
/// `n` is an entry of this table the neighbour core passes, under RTNL.
unsafe fn pneigh_parts<'a>(n: *mut bindings::pneigh_entry) -> Option<(&'a NetDevice, Ipv6Addr)> {
    // SAFETY: see the function's contract: a live entry with a 16-byte key.
    let (dev, key) = unsafe {
        (
            bindings::ipv6_rs_pneigh_dev(n),
            core::ptr::read_unaligned(bindings::ipv6_rs_pneigh_key(n).cast::<[u8; 16]>()),
        )
    };
    if dev.is_null() {
        return None;
    }
    // SAFETY: the entry holds its device (`netdev_hold()`), under RTNL.
    Some((unsafe { NetDevice::from_raw(dev) }, Ipv6Addr::from(key)))
}

/// `neigh_table.pconstructor` (`pndisc_constructor()`).
///
/// # Safety
/// Called by the neighbour core under RTNL with an entry being made.
unsafe extern "C" fn pconstructor<T: NdOps>(n: *mut bindings::pneigh_entry) -> c_int {
    // SAFETY: see the function's contract.
    let Some((dev, key)) = (unsafe { pneigh_parts(n) }) else {
        return -(bindings::EINVAL as c_int);
    };
    match T::proxy_add(dev, &key) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// `neigh_table.pdestructor` (`pndisc_destructor()`).
///
/// # Safety
/// Called by the neighbour core under RTNL with an entry it is freeing.
unsafe extern "C" fn pdestructor<T: NdOps>(n: *mut bindings::pneigh_entry) {
    // SAFETY: see the function's contract.
    if let Some((dev, key)) = unsafe { pneigh_parts(n) } {
        T::proxy_del(dev, &key);
    }
}

/// `neigh_table.proxy_redo` (`pndisc_redo()`).
///
/// # Safety
/// Called by the neighbour core's proxy timer, under RCU, with a packet it hands over
/// whose device it holds.
unsafe extern "C" fn proxy_redo<T: NdOps>(skb: *mut bindings::sk_buff) {
    // SAFETY: see the function's contract.
    let Some(skb) = (unsafe { Skb::from_raw(skb) }) else {
        return;
    };
    let rcu = crate::net::rcu::Rcu::read_lock();
    let Some(d) = skb.borrow().dev_rcu(&rcu) else {
        return;
    };
    T::proxy_redo(&d, skb);
    drop(rcu);
}

/// The neighbour table, registered with the neighbour core for as long as this lives,
/// its entries' operations `T`'s.
pub(crate) struct NdTable<T: NdOps> {
    ops: Pin<KBox<OpsTables>>,
    _ops: PhantomData<T>,
}

impl<T: NdOps> NdTable<T> {
    pub(crate) fn register() -> Result<Self> {
        let ops = KBox::pin(
            OpsTables {
                hh: Ops::<T>::HH,
                generic: Ops::<T>::GENERIC,
                direct: Ops::<T>::DIRECT,
            },
            GFP_KERNEL,
        )?;
        OPS_TABLES.store(
            (&*ops as *const OpsTables).cast_mut(),
            core::sync::atomic::Ordering::Release,
        );
        let t = table();
        // SAFETY: the table is not registered, so nothing else uses its memory; all-zero
        // is a valid starting state for every field.
        unsafe {
            core::ptr::write_bytes(t, 0, 1);
            (*t).family = AF_INET6;
            (*t).key_len = 16;
            (*t).protocol = (bindings::ETH_P_IPV6 as u16).to_be();
            (*t).hash = Some(bindings::ipv6_rs_ndisc_hash);
            (*t).key_eq = Some(bindings::ipv6_rs_ndisc_key_eq);
            (*t).constructor = Some(constructor);
            (*t).is_multicast = Some(is_multicast);
            (*t).allow_add = Some(allow_add);
            (*t).pconstructor = Some(pconstructor::<T>);
            (*t).pdestructor = Some(pdestructor::<T>);
            (*t).proxy_redo = Some(proxy_redo::<T>);
            (*t).id = c"ndisc_cache".as_ptr().cast::<u8>().cast_mut();
            bindings::ipv6_rs_nd_tbl_defaults(t);
            bindings::neigh_table_init(bindings::NEIGH_ND_TABLE as c_int, t);
        }
        // SAFETY: the table is registered; its sysctls go in drop, before it does.
        let rc = unsafe { bindings::ipv6_rs_nd_sysctl_register(t) };
        if rc != 0 {
            // SAFETY: registered just above, unused yet.
            unsafe { bindings::neigh_table_clear(bindings::NEIGH_ND_TABLE as c_int, t) };
            OPS_TABLES.store(core::ptr::null_mut(), core::sync::atomic::Ordering::Release);
            return Err(Error::from_errno(rc));
        }
        Ok(Self {
            ops,
            _ops: PhantomData,
        })
    }
}

impl<T: NdOps> Drop for NdTable<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `register`; every device has left IPv6 (the netdevice
        // notifier is unregistered first), so this frees the remaining entries.
        unsafe {
            bindings::ipv6_rs_nd_sysctl_unregister(table());
            bindings::neigh_table_clear(bindings::NEIGH_ND_TABLE as c_int, table());
        }
        OPS_TABLES.store(core::ptr::null_mut(), core::sync::atomic::Ordering::Release);
        let _ = &self.ops;
    }
}

impl NetDevice {
    /// Gives the device its neighbour parameters (`idev->nd_parms`); it has a fresh
    /// inet6_dev.
    pub(crate) fn nd_attach(&self) -> Result {
        // SAFETY: a live device under RTNL (type invariant); the helper checks the
        // inet6_dev.
        kernel::error::to_result(unsafe {
            bindings::ipv6_rs_idev_nd_parms_alloc(self.as_ptr(), table())
        })
    }

    /// The device lost its carrier: flushes its neighbours but the permanent ones
    /// (`neigh_carrier_down()`).
    pub(crate) fn nd_carrier_down(&self) {
        // SAFETY: a live device under RTNL (type invariant).
        unsafe { bindings::neigh_carrier_down(table(), self.as_ptr()) };
    }

    /// The device's link-layer address (or `IFF_NOARP`) changed: its entries forget
    /// what they learnt (`neigh_changeaddr()`).
    pub(crate) fn nd_changeaddr(&self) {
        // SAFETY: a live device under RTNL (type invariant).
        unsafe { bindings::neigh_changeaddr(table(), self.as_ptr()) };
    }

    /// Flushes the device's neighbours (device down).
    pub(crate) fn nd_down(&self) {
        // SAFETY: a live device under RTNL (type invariant).
        unsafe { bindings::neigh_ifdown(table(), self.as_ptr()) };
    }

    /// Releases the device's neighbour parameters and flushes its neighbours, as its
    /// inet6_dev goes; it still has it.
    pub(crate) fn nd_detach(&self) {
        // SAFETY: a live device under RTNL (type invariant).
        unsafe {
            bindings::ipv6_rs_idev_nd_parms_release(self.as_ptr(), table());
            bindings::neigh_ifdown(table(), self.as_ptr());
        }
    }
}
