// SPDX-License-Identifier: GPL-2.0

//! ICMPv6 ping sockets (mainline `net/ipv6/ping.c`): `socket(AF_INET6, SOCK_DGRAM,
//! IPPROTO_ICMPV6)` for users in `net.ipv4.ping_group_range`. As in mainline, the
//! socket logic is the kernel's built-in `net/ipv4/ping.c` (identifier table, bind,
//! receive, errors); the IPv6 stack provides `sendmsg` and the `pingv6_ops` hooks that
//! built-in code calls for AF_INET6 sockets.

#![forbid(unsafe_code)]

use crate::ipv6::datagram;
use crate::net::{
    netns::Net,
    ping::{self as ping_lib, PingV6},
    proto::{Msg, OptIn, OptOut, Proto},
    skb::{reason, DropReason, SkbRef},
    sock::{self, Sock},
};
use crate::{
    errno,
    sock::{self as rules, SockAddr, SIN6_LEN},
    wire::{icmpv6, proto},
};
use core::net::Ipv6Addr;
use kernel::prelude::*;

/// ICMPv6 ping sockets (`pingv6_prot`'s own operations; the rest are the built-in
/// ping code's) and the `pingv6_ops` hooks.
pub(crate) struct Ping;

#[vtable]
impl Proto for Ping {
    /// `inet6_release()`: the socket's multicast memberships go.
    fn release(sk: &Sock) {
        crate::ipv6::mcast::sock_close(sk);
        crate::ipv6::anycast::sock_close(sk);
    }

    /// `ip6_datagram_connect()`.
    fn connect(sk: &Sock, a: Result<SockAddr, i32>) -> Result<(), i32> {
        datagram::connect(sk, a)
    }

    fn setsockopt(sk: &Sock, level: i32, name: i32, opt: &OptIn<'_>) -> Result<(), i32> {
        crate::ipv6::anycast::setsockopt(sk, level, name, opt)
    }

    fn getsockopt(sk: &Sock, level: i32, name: i32, opt: &OptOut<'_>) -> Result<(), i32> {
        crate::ipv6::mcast::getsockopt(sk, level, name, opt)
    }

    /// `ping_v6_sendmsg()`.
    fn sendmsg(sk: &Sock, msg: &mut Msg<'_>, len: usize) -> Result<usize, i32> {
        send(sk, msg, len)
    }
}

impl PingV6 for Ping {
    fn recv_error(sk: &Sock, msg: &mut Msg<'_>, len: usize) -> Result<(usize, i32), i32> {
        datagram::recv_error(sk, msg, len)
    }

    fn recv_common_ctl(sk: &Sock, msg: &mut Msg<'_>, skb: SkbRef<'_>) {
        datagram::recv_common_ctl(sk, msg, skb);
    }

    fn recv_specific_ctl(sk: &Sock, msg: &mut Msg<'_>, skb: SkbRef<'_>) {
        datagram::recv_specific_ctl(sk, msg, skb);
    }

    fn err_convert(t: u8, code: u8) -> (i32, bool) {
        rules::icmp_err_convert(t, code)
    }

    fn chk_addr(net: &Net, addr: &Ipv6Addr, ifindex: Option<u32>, strict: bool) -> bool {
        crate::ipv6::ip6_input::chk_addr(net, addr, ifindex, strict)
    }
}

fn send(sk: &Sock, msg: &mut Msg<'_>, len: usize) -> Result<usize, i32> {
    // The built-in common part of every ping sendmsg: the length and flags checked, the
    // caller's ICMPv6 header copied, the message moved past it.
    let user = ping_lib::common_sendmsg(msg, len)?;
    let (dst, mut oif) = if let Some(name) = msg.name() {
        if name.len() < SIN6_LEN {
            return Err(errno::EINVAL);
        }
        let a = msg.sockaddr()?;
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
    let cm = sock::send_cmsgs(sk, msg)?;
    let path = datagram::route_for_send(sk, &dst, 0, oif, &cm)?;
    let df = sock::dontfrag(sk, u16::from(proto::ICMPV6), &cm);
    datagram::check_size(sk, &path, &dst, 0, crate::wire::ipv6::HEADER_LEN + len, df)?;
    let src = path.src;
    let (hop_limit, tclass) = sock::hop_limit_tclass(sk, &dst, &cm);
    // Never waiting for buffer space, as mainline's MSG_DONTWAIT append.
    let mut skb = sock::alloc_send_skb(sk, len, true)?;
    let hlen = user.len();
    skb.put(hlen);
    // The rest of the caller's data, after the header copied above.
    if let Err(e) = msg.copy_to_skb(&mut skb, len - hlen) {
        skb.drop_reason(reason::NOT_SPECIFIED);
        return Err(e);
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
pub(crate) fn rcv(skb: SkbRef<'_>) -> DropReason {
    ping_lib::rcv(skb)
}

/// `ping_err()` for an error about one of our echo requests: `inner_offset` is where
/// the request's ICMPv6 header is, from the offending packet's IPv6 header, which
/// follows the error's 8-byte ICMPv6 header at the packet's data.
pub(crate) fn err(skb: SkbRef<'_>, inner_offset: usize, info: u32) {
    ping_lib::err(skb, inner_offset, info);
}
