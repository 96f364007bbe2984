// SPDX-License-Identifier: GPL-2.0

//! The ICMPv6 error sender of built-in code (`icmpv6_send()`: tunnels, bridges,
//! reassembly timeouts), which the kernel calls through
//! `inet6_register_icmp_sender()`.

use crate::{bindings, net::in6_addr, net::skb::SkbRef};
use core::{marker::PhantomData, net::Ipv6Addr};
use kernel::prelude::*;

/// What reports a problem with a packet to its sender for built-in code.
pub(crate) trait IcmpSend {
    /// Sends ICMPv6 error `t`/`code` with `info` about `skb` (its network header at the
    /// offending IPv6 header, `skb->dev` the device it came in on or was to leave by),
    /// from `force_saddr` if given.
    fn send(skb: SkbRef<'_>, t: u8, code: u8, info: u32, force_saddr: Option<Ipv6Addr>);
}

/// `ip6_icmp_send_t` for `T`.
///
/// # Safety
/// Called by `icmpv6_send()` with a valid packet it keeps for the call, and a null or
/// valid source address.
unsafe extern "C" fn send_tramp<T: IcmpSend>(
    skb: *mut bindings::sk_buff,
    t: u8,
    code: u8,
    info: u32,
    force_saddr: *const bindings::in6_addr,
    _parm: *const bindings::inet6_skb_parm,
) {
    // SAFETY: see the function's contract.
    let Some(skb) = (unsafe { SkbRef::from_raw(skb) }) else {
        return;
    };
    // SAFETY: as above.
    let force = (!force_saddr.is_null()).then(|| in6_addr(unsafe { &*force_saddr }));
    T::send(skb, t, code, info, force);
}

/// `T` registered as the kernel's ICMPv6 sender while this lives.
pub(crate) struct IcmpSender<T: IcmpSend>(PhantomData<T>);

impl<T: IcmpSend> IcmpSender<T> {
    pub(crate) fn register() -> Result<Self> {
        // SAFETY: `send_tramp::<T>` keeps the sender contract; unregistered in drop.
        kernel::error::to_result(unsafe {
            bindings::ipv6_rs_icmp_sender_register(Some(send_tramp::<T>))
        })?;
        Ok(Self(PhantomData))
    }
}

impl<T: IcmpSend> Drop for IcmpSender<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `register`; waits for callers in flight.
        unsafe { bindings::ipv6_rs_icmp_sender_unregister(Some(send_tramp::<T>)) };
    }
}

/// `icmpv6_send()`: reports a problem with `skb` (its network header at the IPv6
/// header, `skb->dev` the device it came in on) to its sender, through the registered
/// sender, as every IPv6 protocol does in mainline.
pub(crate) fn send(skb: SkbRef<'_>, t: u8, code: u8, info: u32) {
    let p = skb.as_ptr();
    // SAFETY: a packet our caller holds for the call; `IP6CB(skb)` is the IPv6 layer's
    // control block, as `icmpv6_send()` passes it.
    unsafe { bindings::__icmpv6_send(p, t, code, info, bindings::ipv6_rs_skb_ip6cb(p)) };
}
