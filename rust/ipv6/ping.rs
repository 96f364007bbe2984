// SPDX-License-Identifier: GPL-2.0

//! ICMPv6 ping sockets (mainline `net/ipv6/ping.c`): `socket(AF_INET6, SOCK_DGRAM,
//! IPPROTO_ICMPV6)` for users in `net.ipv4.ping_group_range`. As in mainline, the
//! socket logic is the kernel's built-in `net/ipv4/ping.c` (identifier table, bind,
//! receive, errors); the IPv6 stack provides `sendmsg` and the `pingv6_ops` hooks that
//! built-in code calls for AF_INET6 sockets.

use crate::net::{
    skb::{reason, SkbRef},
    sock::{self, Sock},
};

use crate::ipv6::{datagram, raw};
use crate::{
    addrconf::errno,
    bindings,
    sock::{self as rules, SIN6_LEN},
    wire::{icmpv6, proto},
};
use core::{
    ffi::{c_int, c_uint},
    net::Ipv6Addr,
};
use kernel::prelude::*;

/// `pingv6_prot`: ping sockets over the built-in ping code.
pub(crate) fn proto(owner: *mut bindings::module) -> bindings::proto {
    bindings::proto {
        init: Some(bindings::ping_init_sock),
        close: Some(bindings::ping_close),
        connect: Some(sock::datagram_connect),
        disconnect: Some(bindings::__udp_disconnect),
        setsockopt: Some(sock::ipv6_setsockopt),
        getsockopt: Some(sock::ipv6_getsockopt),
        sendmsg: Some(sendmsg),
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
    }
}

/// The kernel's `pingv6_ops`, pointed at this stack while this lives (built-in ping
/// code calls them only for AF_INET6 sockets, which hold a module reference).
pub(crate) struct PingOps(());

impl PingOps {
    pub(crate) fn register() -> Self {
        // SAFETY: no AF_INET6 ping socket exists before the family is registered, so
        // nothing reads the hooks while they are written.
        unsafe {
            let ops = &raw mut bindings::pingv6_ops;
            (*ops).ipv6_recv_error = Some(recv_error);
            (*ops).ip6_datagram_recv_common_ctl = Some(recv_common_ctl);
            (*ops).ip6_datagram_recv_specific_ctl = Some(recv_specific_ctl);
            (*ops).icmpv6_err_convert = Some(err_convert);
            (*ops).ipv6_icmp_error = Some(bindings::ipv6_rs_ipv6_icmp_error);
            (*ops).ipv6_chk_addr = Some(chk_addr);
        }
        Self(())
    }
}

impl Drop for PingOps {
    fn drop(&mut self) {
        // SAFETY: the family is unregistered and no AF_INET6 socket is left.
        unsafe { *(&raw mut bindings::pingv6_ops) = bindings::pingv6_ops::default() };
    }
}

unsafe extern "C" fn recv_error(
    sk: *mut bindings::sock,
    msg: *mut bindings::msghdr,
    len: c_int,
    addr_len: *mut c_int,
) -> c_int {
    // SAFETY: built-in ping code passes a live AF_INET6 socket of ours and the caller's
    // message.
    match unsafe { Sock::from_raw(sk) } {
        Some(sk) => unsafe { datagram::recv_error(&sk, msg, len.max(0) as usize, addr_len) },
        None => -errno::EINVAL,
    }
}

unsafe extern "C" fn recv_common_ctl(
    sk: *mut bindings::sock,
    msg: *mut bindings::msghdr,
    skb: *mut bindings::sk_buff,
) {
    // SAFETY: as above; `skb` is a received packet with its network header set.
    if let Some(sk) = unsafe { Sock::from_raw(sk) } {
        unsafe { raw::recv_common_ctl(&sk, msg, skb) };
    }
}

unsafe extern "C" fn recv_specific_ctl(
    sk: *mut bindings::sock,
    msg: *mut bindings::msghdr,
    skb: *mut bindings::sk_buff,
) {
    // SAFETY: as above.
    if let Some(sk) = unsafe { Sock::from_raw(sk) } {
        unsafe { raw::recv_specific_ctl(&sk, msg, skb) };
    }
}

unsafe extern "C" fn err_convert(t: u8, code: u8, err: *mut c_int) -> c_int {
    let (e, fatal) = rules::icmp_err_convert(t, code);
    // SAFETY: the caller's result variable.
    unsafe { *err = e };
    c_int::from(fatal)
}

unsafe extern "C" fn chk_addr(
    net: *mut bindings::net,
    addr: *const bindings::in6_addr,
    dev: *const bindings::net_device,
    strict: c_int,
) -> c_int {
    // SAFETY: the caller's address and (optional) live device.
    let (a, ifindex) = unsafe {
        (
            Ipv6Addr::from((*addr).in6_u.u6_addr8),
            (!dev.is_null()).then(|| (*dev).ifindex as u32),
        )
    };
    c_int::from(crate::ipv6::ip6_input::chk_addr(
        net,
        &a,
        ifindex,
        strict != 0,
    ))
}

/// `ping_v6_sendmsg()`.
unsafe extern "C" fn sendmsg(
    sk: *mut bindings::sock,
    msg: *mut bindings::msghdr,
    len: usize,
) -> c_int {
    // SAFETY: the socket layer's call, passed on as it came.
    unsafe { sock::sendmsg_with(sk, msg, len, send) }
}

/// # Safety
/// `msg` is the socket layer's message for `sk`, with `len` bytes of data.
unsafe fn send(sk: &Sock, msg: *mut bindings::msghdr, len: usize) -> Result<usize, i32> {
    let mut user = [0u8; 8];
    // SAFETY: checks the length and flags and copies the caller's ICMPv6 header (the
    // built-in common part of every ping sendmsg); the message iterator moves past it.
    let r = unsafe {
        bindings::ping_common_sendmsg(
            bindings::AF_INET6 as c_int,
            msg,
            len,
            user.as_mut_ptr().cast(),
            user.len(),
        )
    };
    if r != 0 {
        return Err(-r);
    }
    // SAFETY: the caller's message.
    let (name, namelen, controllen) =
        unsafe { ((*msg).msg_name, (*msg).msg_namelen, (*msg).msg_controllen) };
    let (dst, mut oif) = if !name.is_null() {
        if (namelen as usize) < SIN6_LEN {
            return Err(errno::EINVAL);
        }
        // SAFETY: the socket layer copied `namelen` bytes of address.
        let a = unsafe { sock::sockaddr(name.cast(), namelen) }?;
        if a.family != rules::AF_INET6 {
            return Err(errno::EAFNOSUPPORT);
        }
        let oif = if crate::route::needs_scope_id(&a.addr) {
            a.scope_id
        } else {
            0
        };
        (a.addr, oif)
    } else {
        if sk.state() != 1 {
            return Err(errno::EDESTADDRREQ);
        }
        (sk.daddr(), 0)
    };
    if oif == 0 {
        oif = sk.bound_dev_if();
    }
    if oif == 0 {
        oif = sk.sticky_oif();
    }
    let (ucast, mcast) = sk.oifs();
    if oif == 0 {
        oif = if dst.is_multicast() { mcast } else { ucast };
    }
    let bound = sk.bound_dev_if();
    if (crate::route::needs_scope_id(&dst) && oif == 0)
        || rules::is_v4_mapped(&dst)
        || (oif != 0 && bound != 0 && oif != bound)
    {
        return Err(errno::EINVAL);
    }
    // SAFETY: the caller's message for `sk`.
    let cm = unsafe { sock::send_cmsgs(sk, msg, controllen) }?;
    let path = sock::route_for_send(sk, &dst, 0, oif, &cm)?;
    let df = sock::dontfrag(sk, u16::from(proto::ICMPV6), &cm);
    sock::check_size(sk, &path, &dst, 0, crate::wire::ipv6::HEADER_LEN + len, df)?;
    let src = path.src;
    let (hop_limit, tclass) = sock::hop_limit_tclass(sk, &dst, &cm);
    // Never waiting for buffer space, as mainline's MSG_DONTWAIT append.
    let mut skb = sock::alloc_send_skb(sk, len, true)?;
    let hlen = user.len();
    // SAFETY: room for the whole message was reserved.
    unsafe { bindings::ipv6_rs_skb_put(skb.as_ptr(), hlen as c_uint) };
    // SAFETY: the rest of the caller's data, after the header copied above.
    let r = unsafe { bindings::ipv6_rs_skb_put_from_msg(skb.as_ptr(), msg, (len - hlen) as c_int) };
    if r != 0 {
        skb.drop_reason(reason::NOT_SPECIFIED);
        return Err(-r);
    }
    let data = skb.data_mut();
    // Type, code and sequence number are the caller's; the identifier is the socket's.
    data[..4].copy_from_slice(&[user[0], user[1], 0, 0]);
    data[4..6].copy_from_slice(&sk.sport().to_be_bytes());
    data[6..8].copy_from_slice(&user[6..8]);
    icmpv6::fill_checksum(&src, &dst, data);
    let s = crate::ipv6::ip6_input::Send {
        path,
        dst,
        next: proto::ICMPV6,
        hop_limit,
        tclass,
        hdrincl: false,
    };
    crate::ipv6::ip6_input::send(sk.net(), skb, &s)?;
    Ok(len)
}

/// An echo reply for the ping socket that sent the request (`ping_rcv()`); the
/// packet's data and transport header are at the ICMPv6 header. Returns the drop reason
/// if no socket took a copy.
pub(crate) fn rcv(skb: SkbRef<'_>) -> bindings::skb_drop_reason {
    // SAFETY: a received ICMPv6 message with its headers set and checksum verified;
    // ping_rcv() queues a clone.
    unsafe { bindings::ping_rcv(skb.as_ptr()) }
}

/// `ping_err()` for an error about one of our echo requests: `inner_offset` is where
/// the request's ICMPv6 header is, from the offending packet's IPv6 header, which
/// follows the error's 8-byte ICMPv6 header at the packet's data.
pub(crate) fn err(skb: SkbRef<'_>, inner_offset: usize, info: u32) {
    // SAFETY: the received error, transport header at its ICMPv6 header, at least the
    // inner header plus 8 bytes linear (checked by the caller).
    unsafe { bindings::ipv6_rs_ping_err(skb.as_ptr(), inner_offset as c_int, info) };
}
