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
        skb::Skb,
    },
};
use core::{net::Ipv6Addr, ptr::NonNull};
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
            let n = bindings::neigh_lookup(table(), (&raw const key).cast(), dev);
            if n.is_null() && create {
                bindings::ipv6_rs_neigh_get(table(), &key, dev)
            } else {
                n
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
