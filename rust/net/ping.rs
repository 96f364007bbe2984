// SPDX-License-Identifier: GPL-2.0

//! The kernel's built-in ping sockets (`net/ipv4/ping.c`) for AF_INET6: the protocol
//! table over its functions, and the `pingv6_ops` hooks it calls for AF_INET6 sockets.

use crate::{
    bindings,
    net::{
        in6_addr,
        netns::Net,
        proto::{Msg, Proto},
        skb::SkbRef,
        sock::Sock,
    },
};
use core::{
    ffi::{c_int, c_uint},
    marker::PhantomData,
    net::Ipv6Addr,
};

/// `pingv6_prot`: ping sockets over the built-in ping code, with `T`'s operations.
pub(crate) fn proto<T: Proto>(owner: *mut bindings::module) -> bindings::proto {
    let mut p = bindings::proto {
        init: Some(bindings::ping_init_sock),
        close: Some(bindings::ping_close),
        disconnect: Some(bindings::__udp_disconnect),
        recvmsg: Some(bindings::ping_recvmsg),
        bind: Some(bindings::ping_bind),
        backlog_rcv: Some(bindings::ping_queue_rcv_skb),
        hash: Some(bindings::ping_hash),
        unhash: Some(bindings::ping_unhash),
        get_port: Some(bindings::ping_get_port),
        put_port: Some(bindings::ping_unhash),
        obj_size: core::mem::size_of::<bindings::raw6_sock>() as c_uint,
        ipv6_pinfo_offset: core::mem::offset_of!(bindings::raw6_sock, inet6) as c_uint,
        owner,
        ..Default::default()
    };
    super::proto::set_ops::<T>(&mut p);
    p
}

/// What the built-in ping code asks of the IPv6 stack (`struct pingv6_ops`).
pub(crate) trait PingV6 {
    /// `ipv6_recv_error()`: the bytes read and the name's length.
    fn recv_error(sk: &Sock, msg: &mut Msg<'_>, len: usize) -> Result<(usize, i32), i32>;
    /// `ip6_datagram_recv_common_ctl()`.
    fn recv_common_ctl(sk: &Sock, msg: &mut Msg<'_>, skb: SkbRef<'_>);
    /// `ip6_datagram_recv_specific_ctl()`.
    fn recv_specific_ctl(sk: &Sock, msg: &mut Msg<'_>, skb: SkbRef<'_>);
    /// `icmpv6_err_convert()`: the errno of an ICMPv6 error, and whether it is fatal.
    fn err_convert(t: u8, code: u8) -> (i32, bool);
    /// `ipv6_chk_addr()`: `addr` is ours (on device `ifindex`, if given).
    fn chk_addr(net: &Net, addr: &Ipv6Addr, ifindex: Option<u32>, strict: bool) -> bool;
}

/// # Safety
/// Called by the built-in ping code with a live AF_INET6 socket of ours and the
/// caller's message and `addr_len`.
unsafe extern "C" fn recv_error<T: PingV6>(
    sk: *mut bindings::sock,
    msg: *mut bindings::msghdr,
    len: c_int,
    addr_len: *mut c_int,
) -> c_int {
    // SAFETY: see the function's contract.
    let (Some(sk), Some(mut msg)) = (unsafe { Sock::from_raw(sk) }, unsafe { Msg::from_raw(msg) })
    else {
        return -crate::errno::EINVAL;
    };
    match T::recv_error(&sk, &mut msg, len.max(0) as usize) {
        Ok((n, name_len)) => {
            if name_len != 0 {
                // SAFETY: the caller's `addr_len` (see the function's contract).
                unsafe { *addr_len = name_len };
            }
            n as c_int
        }
        Err(e) => -e,
    }
}

/// Calls `f` with the arguments of an `ip6_datagram_recv_*_ctl` hook.
///
/// # Safety
/// The built-in ping code's arguments: a live AF_INET6 socket of ours, the caller's
/// message and a received packet with its network header set.
unsafe fn with_ctl_args(
    sk: *mut bindings::sock,
    msg: *mut bindings::msghdr,
    skb: *mut bindings::sk_buff,
    f: impl FnOnce(&Sock, &mut Msg<'_>, SkbRef<'_>),
) {
    // SAFETY: see the function's contract.
    if let (Some(sk), Some(mut msg), Some(skb)) = unsafe {
        (
            Sock::from_raw(sk),
            Msg::from_raw(msg),
            SkbRef::from_raw(skb),
        )
    } {
        f(&sk, &mut msg, skb);
    }
}

/// # Safety
/// As for [`with_ctl_args`].
unsafe extern "C" fn recv_common_ctl<T: PingV6>(
    sk: *mut bindings::sock,
    msg: *mut bindings::msghdr,
    skb: *mut bindings::sk_buff,
) {
    // SAFETY: the caller's arguments, passed on.
    unsafe { with_ctl_args(sk, msg, skb, T::recv_common_ctl) };
}

/// # Safety
/// As for [`with_ctl_args`].
unsafe extern "C" fn recv_specific_ctl<T: PingV6>(
    sk: *mut bindings::sock,
    msg: *mut bindings::msghdr,
    skb: *mut bindings::sk_buff,
) {
    // SAFETY: the caller's arguments, passed on.
    unsafe { with_ctl_args(sk, msg, skb, T::recv_specific_ctl) };
}

/// # Safety
/// Called with the caller's result variable.
unsafe extern "C" fn err_convert<T: PingV6>(t: u8, code: u8, err: *mut c_int) -> c_int {
    let (e, fatal) = T::err_convert(t, code);
    // SAFETY: see the function's contract.
    unsafe { *err = e };
    c_int::from(fatal)
}

/// # Safety
/// Called by the ping socket core with a socket's live namespace, an address and a
/// live device (or null).
unsafe extern "C" fn chk_addr<T: PingV6>(
    net: *mut bindings::net,
    addr: *const bindings::in6_addr,
    dev: *const bindings::net_device,
    strict: c_int,
) -> c_int {
    // SAFETY: see the function's contract: the namespace of a live socket of ours,
    // with our state.
    let net = unsafe { Net::from_raw(net) };
    // SAFETY: the caller's address and (optional) live device.
    let (a, ifindex) = unsafe {
        (
            in6_addr(&*addr),
            (!dev.is_null()).then(|| (*dev).ifindex as u32),
        )
    };
    c_int::from(T::chk_addr(net, &a, ifindex, strict != 0))
}

/// The kernel's `pingv6_ops`, pointed at `T` while this lives (built-in ping code calls
/// them only for AF_INET6 sockets, which hold a module reference).
pub(crate) struct PingOps<T: PingV6>(PhantomData<T>);

impl<T: PingV6> PingOps<T> {
    /// Points the hooks at `T`. Before the family is registered.
    pub(crate) fn register() -> Self {
        // SAFETY: no AF_INET6 ping socket exists before the family is registered, so
        // nothing reads the hooks while they are written.
        unsafe {
            let ops = &raw mut bindings::pingv6_ops;
            (*ops).ipv6_recv_error = Some(recv_error::<T>);
            (*ops).ip6_datagram_recv_common_ctl = Some(recv_common_ctl::<T>);
            (*ops).ip6_datagram_recv_specific_ctl = Some(recv_specific_ctl::<T>);
            (*ops).icmpv6_err_convert = Some(err_convert::<T>);
            (*ops).ipv6_icmp_error = Some(bindings::ipv6_rs_ipv6_icmp_error);
            (*ops).ipv6_chk_addr = Some(chk_addr::<T>);
        }
        Self(PhantomData)
    }
}

impl<T: PingV6> Drop for PingOps<T> {
    fn drop(&mut self) {
        // SAFETY: the family is unregistered and no AF_INET6 socket is left.
        unsafe { *(&raw mut bindings::pingv6_ops) = bindings::pingv6_ops::default() };
    }
}

/// `ping_common_sendmsg()`: the built-in checks of a ping send (length, flags) and the
/// caller's 8-byte ICMPv6 header, copied from the message, which moves past it.
pub(crate) fn common_sendmsg(msg: &mut Msg<'_>, len: usize) -> Result<[u8; 8], i32> {
    let mut user = [0u8; 8];
    // SAFETY: the running send's message; `user` has the room the helper is told.
    let r = unsafe {
        bindings::ping_common_sendmsg(
            bindings::AF_INET6 as c_int,
            msg.as_ptr(),
            len,
            user.as_mut_ptr().cast(),
            user.len(),
        )
    };
    match r {
        0 => Ok(user),
        r => Err(-r),
    }
}

/// `ping_rcv()`: an echo reply for the ping socket that sent the request, whose data and
/// transport header are at the ICMPv6 header and whose checksum was verified. Returns
/// the drop reason if no socket took a copy (it queues a clone).
pub(crate) fn rcv(skb: SkbRef<'_>) -> crate::net::skb::DropReason {
    // SAFETY: a received ICMPv6 message we hold, as described.
    unsafe { bindings::ping_rcv(skb.as_ptr()) }
}

/// `ping_err()` for an error about one of our echo requests: `inner_offset` is where the
/// request's ICMPv6 header is, from the offending packet's IPv6 header, which follows
/// the error's 8-byte ICMPv6 header at the packet's data; the caller checked that the
/// inner header and 8 bytes are linear.
pub(crate) fn err(skb: SkbRef<'_>, inner_offset: usize, info: u32) {
    let Ok(off) = c_int::try_from(inner_offset) else {
        return;
    };
    // SAFETY: the received error we hold, as described.
    unsafe { bindings::ipv6_rs_ping_err(skb.as_ptr(), off, info) };
}
