// SPDX-License-Identifier: GPL-2.0

//! Upper-layer protocols by next header: the kernel's own `inet6_protos[]` table
//! (`net/ipv6/protocol.c`, built into vmlinux even with `CONFIG_IPV6=m`).
//!
//! Local delivery hands a packet to whatever is registered for its next header, as
//! mainline's `ip6_protocol_deliver_rcu()` does, and ICMPv6 errors reach the same
//! entry's error handler, as in `icmpv6_notify()`. Our UDP and ICMPv6 register here
//! through [`Registration`]; so do modules of the running kernel that carry IPv6
//! protocols themselves (`tunnel6`, `sctp`, `l2tp_ip6`), and the input path knows none
//! of them by name.

use crate::{
    bindings,
    net::{
        device::RxDev,
        rcu::Rcu,
        skb::{Skb, SkbRef},
    },
};
use core::{ffi::c_int, marker::PhantomData};
use kernel::prelude::*;

/// An upper-layer protocol of ours, taking packets whose next header is
/// [`Inet6Protocol::NEXTHDR`]. It is final (`INET6_PROTO_FINAL`: not an extension
/// header, so local delivery has settled the destination before it) and does its own
/// policy checks (`INET6_PROTO_NOPOLICY`), as mainline's UDP and ICMPv6 are.
pub(crate) trait Inet6Protocol {
    /// The next-header value.
    const NEXTHDR: u8;

    /// Receives `skb`: its data and transport header at this protocol's header, its
    /// network header at the IPv6 header, `IP6CB()` filled in (`iif`, `nhoff`). `dev`
    /// is `skb->dev`, the device it arrived on.
    fn rcv(skb: Skb, dev: &RxDev<'_>);

    /// An ICMPv6 error `t`/`code` with `info` (or a redirect, [`NDISC_REDIRECT`])
    /// about a packet of this protocol that we sent: `skb`'s data is at the quoted
    /// IPv6 header, this protocol's header `offset` bytes into it, with at least 8
    /// bytes of it linear; its transport header is at the ICMPv6 message and its
    /// network header at the header that brought it. `dev` is the device it came in on.
    fn err(skb: SkbRef<'_>, dev: &RxDev<'_>, t: u8, code: u8, offset: usize, info: u32);
}

/// The ICMPv6 type of a redirect (`NDISC_REDIRECT`), as error handlers see it.
pub(crate) const NDISC_REDIRECT: u8 = bindings::NDISC_REDIRECT as u8;

/// The `inet6_protocol` of `T` and its callbacks.
struct Adapter<T>(PhantomData<T>);

impl<T: Inet6Protocol> Adapter<T> {
    const PROTOCOL: bindings::inet6_protocol = bindings::inet6_protocol {
        handler: Some(Self::handler),
        err_handler: Some(Self::err_handler),
        flags: bindings::INET6_PROTO_NOPOLICY | bindings::INET6_PROTO_FINAL,
        secret: 0,
    };

    /// `inet6_protocol.handler`.
    ///
    /// # Safety
    /// Called by local delivery, in an RCU section, with a received packet whose
    /// reference it hands over.
    unsafe extern "C" fn handler(skb: *mut bindings::sk_buff) -> c_int {
        // SAFETY: see the function's contract.
        let Some(skb) = (unsafe { Skb::from_raw(skb) }) else {
            return 0;
        };
        let rcu = Rcu::read_lock();
        match skb.borrow().dev_rcu(&rcu) {
            Some(d) => T::rcv(skb, &d),
            None => skb.drop_reason(crate::net::skb::reason::NOT_SPECIFIED),
        }
        0
    }

    /// `inet6_protocol.err_handler`.
    ///
    /// # Safety
    /// Called by `icmpv6_notify()` (ours, or the kernel's for built-in users) in an RCU
    /// section with a packet it holds for the call, its data at the quoted IPv6 header
    /// and `offset + 8` bytes of it linear.
    unsafe extern "C" fn err_handler(
        skb: *mut bindings::sk_buff,
        _opt: *mut bindings::inet6_skb_parm,
        t: u8,
        code: u8,
        offset: c_int,
        info: bindings::__be32,
    ) -> c_int {
        // SAFETY: see the function's contract.
        let Some(skb) = (unsafe { SkbRef::from_raw(skb) }) else {
            return 0;
        };
        let Ok(offset) = usize::try_from(offset) else {
            return 0;
        };
        let rcu = Rcu::read_lock();
        if let Some(d) = skb.dev_rcu(&rcu) {
            T::err(skb, &d, t, code, offset, u32::from_be(info));
        }
        0
    }
}

/// `T` registered in `inet6_protos[]` for its next header while this lives.
pub(crate) struct Registration<T: Inet6Protocol>(PhantomData<T>);

impl<T: Inet6Protocol> Registration<T> {
    /// Takes `T::NEXTHDR`; `EBUSY` if something else holds it.
    pub(crate) fn register() -> Result<Self> {
        // SAFETY: the protocol is a constant (`'static`) whose callbacks keep the
        // table's contract; it is removed in drop.
        let r = unsafe { bindings::inet6_add_protocol(&Adapter::<T>::PROTOCOL, T::NEXTHDR) };
        if r < 0 {
            return Err(EBUSY);
        }
        Ok(Self(PhantomData))
    }
}

impl<T: Inet6Protocol> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `register`; `inet6_del_protocol()` waits for the
        // callers in flight (`synchronize_net()`).
        unsafe { bindings::inet6_del_protocol(&Adapter::<T>::PROTOCOL, T::NEXTHDR) };
    }
}

/// What became of a packet handed to the table.
pub(crate) enum Delivered {
    /// The protocol took it and returned this (0: delivered; below 0: dropped by it).
    Taken(i32),
    /// A final protocol found an encapsulated payload (UDP encapsulation): the packet,
    /// its data at the payload, is for the protocol of this next header.
    Resubmit(Skb, u8),
    /// Nothing is registered for the next header; the packet comes back.
    NoProtocol(Skb),
    /// After a final protocol, only final ones may take the packet (mainline's
    /// `have_final`); this one is not, and the packet comes back.
    NotFinal(Skb),
}

/// Hands `skb` (data and transport header at the protocol's header, `IP6CB()` set) to
/// the protocol registered for `nexthdr`; `after_final` after a final protocol
/// returned it for resubmission. Called in softirq (an RCU section).
pub(crate) fn deliver(skb: Skb, nexthdr: u8, after_final: bool) -> Delivered {
    let _rcu = Rcu::read_lock();
    // SAFETY: a plain RCU read of the table; RCU held.
    let p = unsafe { bindings::ipv6_rs_inet6_proto(nexthdr) };
    if p.is_null() {
        return Delivered::NoProtocol(skb);
    }
    // SAFETY: an entry of the table stays valid for the RCU section (removal waits
    // for a grace period).
    let (handler, flags) = unsafe { ((*p).handler, (*p).flags) };
    if after_final && flags & bindings::INET6_PROTO_FINAL == 0 {
        return Delivered::NotFinal(skb);
    }
    let Some(handler) = handler else {
        return Delivered::NoProtocol(skb);
    };
    let raw = skb.into_raw();
    // SAFETY: the handler takes over our reference to the packet, as the table's
    // contract says, except when it returns a next header to resubmit it to.
    let r = unsafe { handler(raw) };
    match u8::try_from(r) {
        // SAFETY: a positive return leaves the packet ours (the contract of
        // `ip6_protocol_deliver_rcu()`'s resubmission).
        Ok(n) if n > 0 => match unsafe { Skb::from_raw(raw) } {
            Some(skb) => Delivered::Resubmit(skb, n),
            None => Delivered::Taken(0),
        },
        _ => Delivered::Taken(r),
    }
}

/// `icmpv6_notify()`'s hand-off: the ICMPv6 error `t`/`code`/`info` about a packet
/// whose protocol is `nexthdr` reaches that protocol's error handler. `skb`'s data is
/// at the quoted IPv6 header, the protocol's header `offset` bytes into it (at least 8
/// bytes of it linear). Called in softirq.
pub(crate) fn notify(skb: SkbRef<'_>, nexthdr: u8, t: u8, code: u8, offset: usize, info: u32) {
    let Ok(off) = c_int::try_from(offset) else {
        return;
    };
    let _rcu = Rcu::read_lock();
    // SAFETY: a plain RCU read of the table; RCU held.
    let p = unsafe { bindings::ipv6_rs_inet6_proto(nexthdr) };
    if p.is_null() {
        return;
    }
    // SAFETY: valid for the RCU section, as in `deliver`.
    let Some(err) = (unsafe { (*p).err_handler }) else {
        return;
    };
    // SAFETY: a packet our caller holds for the call, laid out as the callback's
    // contract says; `IP6CB(skb)` is the IPv6 layer's control block.
    unsafe {
        err(
            skb.as_ptr(),
            bindings::ipv6_rs_skb_ip6cb(skb.as_ptr()),
            t,
            code,
            off,
            info.to_be(),
        )
    };
}
