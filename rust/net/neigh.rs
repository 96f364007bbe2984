// SPDX-License-Identifier: GPL-2.0

//! The AF_INET6 neighbour table of the kernel's neighbour core (mainline's `nd_tbl`):
//! its storage, and output through it. Neighbour discovery (`ipv6/ndisc.rs`) fills in
//! and registers the table at load, before any packet path runs, and unregisters it
//! at unload, after the last one.

use crate::{
    bindings,
    net::{device::RxDev, in6, skb::Skb},
};
use core::net::Ipv6Addr;
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
