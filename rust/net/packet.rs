// SPDX-License-Identifier: GPL-2.0

//! The `ETH_P_IPV6` packet type through which the kernel hands received IPv6 packets to
//! the stack (`ipv6_packet_type`), and the kernel's fragment reassembly machinery
//! (`inet_frags`) for IPv6.

use crate::{
    bindings,
    net::{device::RxDev, skb::Skb},
};
use core::{ffi::c_int, marker::PhantomData};
use kernel::prelude::*;

/// The receiver of IPv6 packets.
pub(crate) trait Ipv6Rcv {
    /// Receives `skb`, which arrived on `dev` (in softirq, in an RCU section); `Err`
    /// when it was dropped (`NET_RX_DROP`).
    fn rcv(skb: Skb, dev: &RxDev<'_>) -> Result<(), ()>;
}

/// `packet_type.func` for `T`.
///
/// # Safety
/// Called by the network core with a packet whose reference it hands over, and the
/// receiving device, live during the call, in an RCU section.
unsafe extern "C" fn rcv_tramp<T: Ipv6Rcv>(
    skb: *mut bindings::sk_buff,
    dev: *mut bindings::net_device,
    _pt: *mut bindings::packet_type,
    _orig_dev: *mut bindings::net_device,
) -> c_int {
    // SAFETY: see the function's contract.
    let Some(skb) = (unsafe { Skb::from_raw(skb) }) else {
        return bindings::NET_RX_DROP as c_int;
    };
    // SAFETY: as above.
    let d = unsafe { RxDev::new(dev) };
    match T::rcv(skb, &d) {
        Ok(()) => bindings::NET_RX_SUCCESS as c_int,
        Err(()) => bindings::NET_RX_DROP as c_int,
    }
}

/// `T` registered as the `ETH_P_IPV6` packet type while this lives.
pub(crate) struct PacketType<T: Ipv6Rcv>(PhantomData<T>);

impl<T: Ipv6Rcv> PacketType<T> {
    pub(crate) fn register() -> Result<Self> {
        // SAFETY: `rcv_tramp::<T>` keeps the packet_type contract; unregistered in drop.
        kernel::error::to_result(unsafe {
            bindings::ipv6_rs_packet_type_register(Some(rcv_tramp::<T>))
        })?;
        Ok(Self(PhantomData))
    }
}

impl<T: Ipv6Rcv> Drop for PacketType<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `register`; waits for receivers in flight.
        unsafe { bindings::ipv6_rs_packet_type_unregister() };
    }
}

/// The kernel's fragment reassembly machinery (`inet_frags`) for IPv6, set up for as
/// long as this value lives; each namespace gets its queues (`net->ipv6.fqdir`) from
/// the per-namespace state.
pub(crate) struct Frags(());

impl Frags {
    pub(crate) fn new() -> Result<Self> {
        // SAFETY: set up once, before any namespace uses it; torn down in drop after
        // the last namespace let go of it.
        kernel::error::to_result(unsafe { bindings::ipv6_rs_frags_init() })?;
        Ok(Self(()))
    }
}

impl Drop for Frags {
    fn drop(&mut self) {
        // SAFETY: initialised in `new`; waits for every namespace's queues to be freed.
        unsafe { bindings::ipv6_rs_frags_fini() };
    }
}

impl Skb {
    /// `skb_share_check()`: the packet, ours alone (a shared one is cloned); `None` if
    /// that failed, the packet then freed.
    pub(crate) fn share_check(self) -> Option<Skb> {
        // SAFETY: we own the packet; a shared one is cloned (or freed on failure).
        let p = unsafe { bindings::ipv6_rs_skb_share_check(self.into_raw()) };
        // SAFETY: `p` is null or a packet we own.
        unsafe { Skb::from_raw(p) }
    }

    /// Sets `IP6CB(skb)->iif`, the interface the packet counts as arriving on
    /// (`inet6_iif()`); the control block is the IPv6 layer's once it has the packet.
    pub(crate) fn set_iif(&mut self, ifindex: u32) {
        // SAFETY: a valid packet we own.
        unsafe { bindings::ipv6_rs_skb_set_iif(self.as_ptr(), ifindex as c_int) };
    }
}
