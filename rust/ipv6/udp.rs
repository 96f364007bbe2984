// SPDX-License-Identifier: GPL-2.0

//! UDP over IPv6 (mainline `net/ipv6/udp.c`): `udpv6_prot` over the kernel's
//! `struct udp6_sock`, with ports in the kernel's shared `udp_table` (so `ss`, port
//! conflicts with other users of the table and `udp_lib_*` behave as with mainline),
//! receive lookup, port-unreachable answers, send, receive, and ICMPv6 errors.

use crate::net::{
    skb::{reason, Skb, SkbRef},
    sock::{self, Sock},
};

use crate::ipv6::{
    datagram, icmp,
    ip6_input::{self, Header, RxDev},
    raw,
};
use crate::{
    addrconf::errno,
    bindings,
    sock::{self as rules, udp_score, UdpKeys, AF_INET6, MAX_PAYLOAD},
    wire::{
        icmpv6, proto,
        udp::{UdpError, UdpHeader, HEADER_LEN},
    },
};
use core::{
    ffi::{c_int, c_uint, c_void},
    net::Ipv6Addr,
};
use kernel::prelude::*;

/// `SOL_UDP`, `SOL_SOCKET`.
const SOL_UDP: c_int = 17;
const SOL_SOCKET: c_int = 1;
/// `MSG_PEEK`, `MSG_TRUNC`, `MSG_ERRQUEUE`, `MSG_DONTWAIT`.
const MSG_PEEK: c_int = 2;
const MSG_TRUNC: c_int = 0x20;
const MSG_DONTWAIT: c_int = 0x40;
const MSG_ERRQUEUE: c_int = 0x2000;

/// `UDP_MIB_*` counters (`include/uapi/linux/snmp.h`).
mod udp_mib {
    use crate::bindings;
    pub(super) const INDATAGRAMS: u32 = bindings::UDP_MIB_INDATAGRAMS;
    pub(super) const NOPORTS: u32 = bindings::UDP_MIB_NOPORTS;
    pub(super) const INERRORS: u32 = bindings::UDP_MIB_INERRORS;
    pub(super) const OUTDATAGRAMS: u32 = bindings::UDP_MIB_OUTDATAGRAMS;
    pub(super) const RCVBUFERRORS: u32 = bindings::UDP_MIB_RCVBUFERRORS;
    pub(super) const MEMERRORS: u32 = bindings::UDP_MIB_MEMERRORS;
    pub(super) const CSUMERRORS: u32 = bindings::UDP_MIB_CSUMERRORS;
    pub(super) const IGNOREDMULTI: u32 = bindings::UDP_MIB_IGNOREDMULTI;
}

fn count(net: *mut bindings::net, field: u32) {
    // SAFETY: a live namespace (the packet's or the socket's).
    unsafe { bindings::ipv6_rs_udp6_inc(net, field as c_int) };
}

/// `udpv6_prot`: the protocol table of UDP sockets.
pub(crate) fn proto(owner: *mut bindings::module) -> bindings::proto {
    // SAFETY: the helpers return addresses of the kernel's UDP accounting.
    let (fw_alloc, rmem, wmem) = unsafe {
        (
            bindings::ipv6_rs_udp_memory_per_cpu_fw_alloc(),
            bindings::ipv6_rs_udp_sysctl_offsets(1),
            bindings::ipv6_rs_udp_sysctl_offsets(0),
        )
    };
    bindings::proto {
        close: Some(bindings::ipv6_rs_udp_close),
        connect: Some(sock::datagram_connect),
        disconnect: Some(bindings::udp_disconnect),
        ioctl: Some(bindings::udp_ioctl),
        init: Some(bindings::ipv6_rs_udp_init_sock),
        setsockopt: Some(setsockopt),
        getsockopt: Some(getsockopt),
        sendmsg: Some(sendmsg),
        recvmsg: Some(recvmsg),
        bind: Some(bind),
        unhash: Some(bindings::udp_lib_unhash),
        rehash: Some(bindings::ipv6_rs_udp_v6_rehash),
        get_port: Some(bindings::ipv6_rs_udp_v6_get_port),
        put_port: Some(bindings::udp_lib_unhash),
        // The kernel's UDP memory accounting, as udpv6_prot's.
        memory_allocated: &raw mut bindings::udp_memory_allocated,
        per_cpu_fw_alloc: fw_alloc,
        sysctl_mem: (&raw mut bindings::sysctl_udp_mem).cast(),
        sysctl_wmem_offset: wmem,
        sysctl_rmem_offset: rmem,
        obj_size: core::mem::size_of::<bindings::udp6_sock>() as c_uint,
        ipv6_pinfo_offset: core::mem::offset_of!(bindings::udp6_sock, inet6) as c_uint,
        diag_destroy: Some(bindings::udp_abort),
        owner,
        ..Default::default()
    }
}

/// `__inet6_bind()` for UDP: address checks as for every AF_INET6 socket, then a port
/// from the kernel's `udp_table` (`-EADDRINUSE` if taken).
unsafe extern "C" fn bind(
    sk: *mut bindings::sock,
    uaddr: *mut bindings::sockaddr,
    len: c_int,
) -> c_int {
    // SAFETY: the socket layer passes a live socket of ours and `len` copied bytes.
    let (Some(sk), a) = (unsafe { Sock::from_raw(sk) }, unsafe {
        sock::sockaddr(uaddr, len)
    }) else {
        return -errno::EINVAL;
    };
    let a = match a {
        Ok(a) if a.family != AF_INET6 => return -errno::EAFNOSUPPORT,
        Ok(a) => a,
        Err(e) => return -e,
    };
    // SAFETY: the socket's live namespace.
    if unsafe { bindings::ipv6_rs_port_needs_cap(sk.net(), a.port) } {
        return -errno::EACCES;
    }
    let r = sk.locked(|| {
        if sk.num() != 0 {
            return Err(errno::EINVAL);
        }
        let dev = sock::check_bind_addr(&sk, &a)?;
        let saved_v6only = sk.ipv6only();
        sock::set_bound(&sk, &a.addr, dev);
        let specific = !a.addr.is_unspecified();
        if specific {
            sk.set_ipv6only(true);
        }
        // SAFETY: a live socket under its lock; the protocol's get_port.
        if unsafe { bindings::ipv6_rs_udp_v6_get_port(sk.as_ptr(), a.port) } != 0 {
            sk.set_ipv6only(saved_v6only);
            sock::set_bound(&sk, &Ipv6Addr::UNSPECIFIED, None);
            return Err(bindings::EADDRINUSE as i32);
        }
        // SAFETY: as above.
        unsafe { bindings::ipv6_rs_sk_bind_locks(sk.as_ptr(), specific, a.port != 0, specific) };
        Ok(())
    });
    match r {
        Ok(()) => 0,
        Err(e) => -e,
    }
}

/// `udpv6_setsockopt()`.
unsafe extern "C" fn setsockopt(
    sk: *mut bindings::sock,
    level: c_int,
    name: c_int,
    optval: bindings::sockptr_t,
    optlen: c_uint,
) -> c_int {
    if level == SOL_UDP || level == SOL_SOCKET {
        // SAFETY: the caller's socket and option.
        return unsafe { bindings::ipv6_rs_udp_lib_setsockopt(sk, level, name, optval, optlen) };
    }
    // SAFETY: the socket layer passes a live socket of ours.
    let Some(sk) = (unsafe { Sock::from_raw(sk) }) else {
        return -errno::EINVAL;
    };
    match sock::setsockopt(&sk, level, name, optval, optlen) {
        Ok(()) => 0,
        Err(e) => -e,
    }
}

/// `udpv6_getsockopt()`.
unsafe extern "C" fn getsockopt(
    sk: *mut bindings::sock,
    level: c_int,
    name: c_int,
    optval: *mut kernel::ffi::c_char,
    optlen: *mut c_int,
) -> c_int {
    if level == SOL_UDP {
        // SAFETY: the caller's socket and option buffers.
        return unsafe { bindings::ipv6_rs_udp_lib_getsockopt(sk, level, name, optval, optlen) };
    }
    // SAFETY: the socket layer passes a live socket of ours.
    let Some(sk) = (unsafe { Sock::from_raw(sk) }) else {
        return -errno::EINVAL;
    };
    match sock::getsockopt(&sk, level, name, optval, optlen) {
        Ok(()) => 0,
        Err(e) => -e,
    }
}

/// `udpv6_sendmsg()`.
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
    // SAFETY: the caller's message.
    let (name, namelen, flags, controllen) = unsafe {
        (
            (*msg).msg_name,
            (*msg).msg_namelen,
            (*msg).msg_flags,
            (*msg).msg_controllen,
        )
    };
    if len > MAX_PAYLOAD - HEADER_LEN {
        return Err(errno::EMSGSIZE);
    }
    let mut peer = None;
    if !name.is_null() {
        if namelen < 2 {
            return Err(errno::EINVAL);
        }
        // SAFETY: the family is within the `namelen` bytes the socket layer copied.
        let family = unsafe { *name.cast::<u16>() };
        match family {
            AF_INET6 => {
                // SAFETY: as above.
                let a = unsafe { sock::sockaddr(name.cast(), namelen) }?;
                if a.port == 0 {
                    return Err(errno::EINVAL);
                }
                peer = Some(a);
            }
            rules::AF_UNSPEC => {}
            // IPv4 destinations of dual-stack sockets are not supported.
            2 => return Err(errno::EAFNOSUPPORT),
            _ => return Err(errno::EINVAL),
        }
    }
    let (dst, dport, mut oif) = match peer {
        Some(a) => {
            let oif = if crate::route::needs_scope_id(&a.addr) {
                a.scope_id
            } else {
                0
            };
            (a.addr, a.port, oif)
        }
        None => {
            if sk.state() != 1 {
                return Err(errno::EDESTADDRREQ);
            }
            (sk.daddr(), sk.dport(), 0)
        }
    };
    if oif == 0 {
        oif = sk.bound_dev_if();
    }
    if oif == 0 {
        oif = sk.sticky_oif();
    }
    // SAFETY: the caller's message for `sk`.
    let cm = unsafe { sock::send_cmsgs(sk, msg, controllen) }?;
    let dst = if dst.is_unspecified() {
        Ipv6Addr::LOCALHOST
    } else {
        dst
    };
    let path = sock::route_for_send(sk, &dst, dport, oif, &cm)?;
    sock::check_size(
        sk,
        &path,
        &dst,
        dport,
        crate::wire::ipv6::HEADER_LEN + HEADER_LEN + len,
        sock::dontfrag(sk, u16::from(proto::UDP), &cm),
    )?;
    let src = path.src;
    let (hop_limit, tclass) = sock::hop_limit_tclass(sk, &dst, &cm);
    let noblock = flags as c_int & MSG_DONTWAIT != 0;
    let total = HEADER_LEN + len;
    let mut skb = sock::alloc_send_skb(sk, total, noblock)?;
    // SAFETY: room for the header was reserved with the data's.
    unsafe { bindings::ipv6_rs_skb_put(skb.as_ptr(), HEADER_LEN as c_uint) };
    // SAFETY: `len` more bytes of room; the helper copies from the message.
    let r = unsafe { bindings::ipv6_rs_skb_put_from_msg(skb.as_ptr(), msg, len as c_int) };
    if r != 0 {
        skb.drop_reason(reason::NOT_SPECIFIED);
        return Err(-r);
    }
    let data = skb.data_mut();
    data[..HEADER_LEN].copy_from_slice(&UdpHeader::emit(sk.sport(), dport, total));
    let mut c = icmpv6::checksum(&src, &dst, proto::UDP, data);
    if c == 0 {
        c = 0xffff;
    }
    data[6..8].copy_from_slice(&c.to_be_bytes());
    let s = ip6_input::Send {
        path,
        dst,
        next: proto::UDP,
        hop_limit,
        tclass,
        hdrincl: false,
    };
    ip6_input::send(sk.net(), skb, &s)?;
    count(sk.net(), udp_mib::OUTDATAGRAMS);
    Ok(len)
}

/// `udpv6_recvmsg()`.
unsafe extern "C" fn recvmsg(
    sk: *mut bindings::sock,
    msg: *mut bindings::msghdr,
    len: usize,
    flags: c_int,
    addr_len: *mut c_int,
) -> c_int {
    // SAFETY: the socket layer passes a live socket of ours and its message.
    let Some(sk) = (unsafe { Sock::from_raw(sk) }) else {
        return -errno::EINVAL;
    };
    if flags & MSG_ERRQUEUE != 0 {
        // SAFETY: as above.
        return unsafe { datagram::recv_error(&sk, msg, len, addr_len) };
    }
    let peeking = flags & MSG_PEEK != 0;
    let mut off: c_int = 0;
    let mut err: c_int = 0;
    // SAFETY: a live socket; the packet returned is ours until consumed below.
    let skb = unsafe { bindings::__skb_recv_udp(sk.as_ptr(), flags as c_uint, &mut off, &mut err) };
    if skb.is_null() {
        return err;
    }
    // SAFETY: a queued datagram with its UDP header pulled.
    let ulen = unsafe { bindings::ipv6_rs_udp_skb_len(skb) } as usize;
    let avail = ulen.saturating_sub(off as usize);
    let copied = avail.min(len);
    // SAFETY: the caller's message.
    if copied < avail {
        unsafe { (*msg).msg_flags |= MSG_TRUNC as c_uint };
    }
    // SAFETY: copies `copied` bytes from `off`; the checksum was verified on receive.
    let r = unsafe { bindings::ipv6_rs_skb_copy_datagram_msg(skb, off, msg, copied as c_int) };
    if r != 0 {
        if !peeking {
            // SAFETY: a live socket.
            unsafe { bindings::ipv6_rs_sk_inc_drops(sk.as_ptr()) };
            count(sk.net(), udp_mib::INERRORS);
        }
        // SAFETY: ours, from __skb_recv_udp().
        unsafe { bindings::ipv6_rs_kfree_skb_reason(skb, reason::NOT_SPECIFIED) };
        return r;
    }
    if !peeking {
        count(sk.net(), udp_mib::INDATAGRAMS);
    }
    // SAFETY: the caller's message and socket; `skb` keeps its network and transport
    // headers.
    unsafe {
        bindings::ipv6_rs_sock_recv_cmsgs(msg, sk.as_ptr(), skb);
        if !(*msg).msg_name.is_null() {
            let src = raw::header(skb).1;
            let sport = u16::from_be(bindings::ipv6_rs_udp_skb_sport(skb));
            let iif = bindings::ipv6_rs_skb_iif(skb) as u32;
            sock::put_sockaddr((*msg).msg_name, &src, sport, rules::scope_id_for(&src, iif));
            *addr_len = rules::SIN6_LEN as c_int;
        }
        if bindings::ipv6_rs_sk_rxopt(sk.as_ptr()) != 0 {
            raw::recv_ctl(&sk, msg, skb);
        }
    }
    let ret = if flags & MSG_TRUNC != 0 { ulen } else { copied } as c_int;
    // SAFETY: releases the datagram as udpv6_recvmsg() does.
    unsafe { bindings::skb_consume_udp(sk.as_ptr(), skb, if peeking { -ret } else { ret }) };
    ret
}

/// The socket a datagram from `src`:`sport` to `dst`:`dport` arriving on `iif` goes
/// to (`__udp6_lib_lookup()`). Call under RCU (UDP sockets are RCU-freed).
fn lookup(
    net: *mut bindings::net,
    src: &Ipv6Addr,
    sport: u16,
    dst: &Ipv6Addr,
    dport: u16,
    iif: u32,
) -> Option<Sock> {
    let mut best: Option<(u8, Sock)> = None;
    for_each_port(net, dport, &mut |sk: Sock| {
        if let Some(score) = udp_score(&keys(&sk), src, sport, dst, iif) {
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, sk));
            }
        }
        false
    });
    best.map(|(_, sk)| sk)
}

fn keys(sk: &Sock) -> UdpKeys {
    UdpKeys {
        bound: sk.rcv_saddr(),
        peer: sk.daddr(),
        peer_port: sk.dport(),
        bound_dev_if: sk.bound_dev_if(),
    }
}

/// Calls `f` for each AF_INET6 UDP socket on local port `port` until it returns true.
fn for_each_port<F: FnMut(Sock) -> bool>(net: *mut bindings::net, port: u16, f: &mut F) {
    unsafe extern "C" fn tramp<F: FnMut(Sock) -> bool>(
        ctx: *mut c_void,
        sk: *mut bindings::sock,
    ) -> bool {
        // SAFETY: `ctx` is the `&mut F` below, alive for the walk; `sk` is a live socket
        // of ours under the caller's RCU.
        unsafe {
            let f = &mut *ctx.cast::<F>();
            Sock::from_raw(sk).is_some_and(f)
        }
    }
    // SAFETY: `net` is live; the trampoline matches `F`; callers hold RCU.
    unsafe {
        bindings::ipv6_rs_udp_for_each_port(net, port, Some(tramp::<F>), (f as *mut F).cast())
    };
}

/// `__udp6_lib_rcv()`: the packet's data and transport header are at the UDP header.
pub(crate) fn rcv(mut skb: Skb, d: &RxDev, hdr: &Header) -> Result<(), ()> {
    let plen = skb.len();
    let h = match skb.head(HEADER_LEN) {
        Some(b) => UdpHeader::parse(b, plen),
        None => Err(UdpError::Short),
    };
    let h = match h {
        Ok(h) => h,
        Err(e) => {
            if e == UdpError::ZeroChecksum {
                count(d.net, udp_mib::CSUMERRORS);
            }
            count(d.net, udp_mib::INERRORS);
            skb.drop_reason(if e == UdpError::Short {
                reason::PKT_TOO_SMALL
            } else {
                reason::UDP_CSUM
            });
            return Ok(());
        }
    };
    if h.len < plen && !skb.trim(h.len) {
        count(d.net, udp_mib::INERRORS);
        skb.drop_reason(reason::NOMEM);
        return Ok(());
    }
    // SAFETY: our packet; UDP_SKB_CB() is ours from here on.
    unsafe { bindings::ipv6_rs_udp_skb_cb_init(skb.as_ptr()) };
    if !skb.csum_valid(proto::UDP) {
        count(d.net, udp_mib::CSUMERRORS);
        count(d.net, udp_mib::INERRORS);
        skb.drop_reason(reason::UDP_CSUM);
        return Ok(());
    }
    if hdr.dst.is_multicast() {
        return mcast_deliver(skb, d, hdr, &h);
    }
    match lookup(d.net, &hdr.src, h.src_port, &hdr.dst, h.dst_port, hdr.iif) {
        Some(sk) => {
            enqueue(&sk, skb);
            Ok(())
        }
        None => {
            count(d.net, udp_mib::NOPORTS);
            icmp::send_error(skb.borrow(), d, icmpv6::kind::DEST_UNREACH, 4, 0, None);
            skb.drop_reason(reason::NO_SOCKET);
            Ok(())
        }
    }
}

/// `__udp6_lib_mcast_deliver()`: a copy for every socket that takes the datagram.
fn mcast_deliver(skb: Skb, d: &RxDev, hdr: &Header, h: &UdpHeader) -> Result<(), ()> {
    let mut first: Option<Sock> = None;
    for_each_port(d.net, h.dst_port, &mut |sk: Sock| {
        if udp_score(&keys(&sk), &hdr.src, h.src_port, &hdr.dst, hdr.iif).is_none() {
            return false;
        }
        match first {
            None => first = Some(sk),
            Some(_) => {
                // SAFETY: our packet; a clone shares its data read-only.
                let c = unsafe { bindings::ipv6_rs_skb_clone_atomic(skb.as_ptr()) };
                // SAFETY: a fresh clone is ours.
                match unsafe { Skb::from_raw(c) } {
                    Some(c) => enqueue(&sk, c),
                    None => {
                        // SAFETY: a live socket during the walk.
                        unsafe { bindings::ipv6_rs_sk_inc_drops(sk.as_ptr()) };
                        count(d.net, udp_mib::RCVBUFERRORS);
                        count(d.net, udp_mib::INERRORS);
                    }
                }
            }
        }
        false
    });
    match first {
        Some(sk) => enqueue(&sk, skb),
        None => {
            count(d.net, udp_mib::IGNOREDMULTI);
            skb.consume();
        }
    }
    Ok(())
}

/// `__udpv6_queue_rcv_skb()`: onto the socket's receive queue, or counted and dropped.
fn enqueue(sk: &Sock, skb: Skb) {
    // SAFETY: a live socket (RCU) and a datagram with a valid checksum; on failure
    // the packet stays ours.
    let rc = unsafe { bindings::ipv6_rs_udp_enqueue(sk.as_ptr(), skb.as_ptr()) };
    if rc >= 0 {
        core::mem::forget(skb);
        return;
    }
    let net = sk.net();
    let why = if rc == -(bindings::ENOMEM as c_int) {
        count(net, udp_mib::RCVBUFERRORS);
        reason::SOCKET_RCVBUFF
    } else {
        count(net, udp_mib::MEMERRORS);
        reason::PROTO_MEM
    };
    count(net, udp_mib::INERRORS);
    skb.drop_reason(why);
}

/// What an ICMPv6 message about a UDP packet tells its socket.
pub(crate) enum Notice<'a> {
    /// An error: type, code, info.
    Error(u8, u8, u32),
    /// A redirect, applied for the socket's flow.
    Redirect(crate::ipv6::datagram::OnRedirect<'a>),
}

/// `__udp6_lib_err()`: an ICMPv6 error about a datagram we sent from `src`:`sport`
/// to `dst`:`dport`, for the socket that sent it. `payload` is where the datagram's
/// data starts, counted from the ICMPv6 header.
#[allow(clippy::too_many_arguments)]
pub(crate) fn err(
    skb: SkbRef<'_>,
    d: &RxDev,
    iif: u32,
    inner: &[u8],
    src: &Ipv6Addr,
    dst: &Ipv6Addr,
    notice: Notice<'_>,
    payload: usize,
) {
    let (sport, dport) = (
        u16::from_be_bytes([inner[0], inner[1]]),
        u16::from_be_bytes([inner[2], inner[3]]),
    );
    if let Some(sk) = lookup(d.net, dst, dport, src, sport, iif) {
        let msg = match notice {
            // ip6_sk_redirect()
            Notice::Redirect(rd) => return rd(sk.bound_dev_if(), sk.flow_keys(), src, dst),
            Notice::Error(t, code, info) => (t, code, info),
        };
        if msg.0 == crate::wire::icmpv6::kind::PKT_TOOBIG
            && crate::sock::accepts_pmtu(sk.pmtudisc())
        {
            datagram::sk_update_pmtu(&sk, d.net, dst, src, msg.2);
        }
        datagram::sock_error(&sk, skb, msg.0, msg.1, msg.2, dport, payload);
    }
}
