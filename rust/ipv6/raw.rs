// SPDX-License-Identifier: GPL-2.0

//! Raw AF_INET6 sockets (mainline `net/ipv6/raw.c`): `rawv6_prot` over the kernel's
//! `struct raw6_sock` and raw socket hash, delivery of a copy of every packet of the
//! socket's protocol, the ICMPv6 filter (RFC 3542), checksums at a chosen offset
//! (`IPV6_CHECKSUM`), and sending with or without a caller-built IPv6 header.

use crate::net::{
    skb::{reason, Skb},
    sock::{self, Sock, SOL_ICMPV6, SOL_IPV6, SOL_RAW},
};

use crate::ipv6::ip6_input::{self, Header, RxDev};
use crate::{
    addrconf::errno,
    bindings,
    sock::{self as rules, opt, Icmp6Filter, RawKeys, AF_INET6, MAX_PAYLOAD},
    wire::{icmpv6, proto},
};
use core::{
    ffi::{c_int, c_uint, c_void},
    net::Ipv6Addr,
};
use kernel::prelude::*;

/// `ICMPV6_FILTER`, the one `SOL_ICMPV6` option.
const ICMPV6_FILTER: c_int = 1;
/// `MSG_OOB`, `MSG_ERRQUEUE`, `MSG_TRUNC`, `MSG_DONTWAIT`.
const MSG_OOB: c_int = 1;
const MSG_TRUNC: c_int = 0x20;
const MSG_DONTWAIT: c_int = 0x40;
const MSG_ERRQUEUE: c_int = 0x2000;
/// `IPV6_PKTINFO`, `IPV6_HOPLIMIT`, `IPV6_TCLASS` ancillary data types.
const IPV6_PKTINFO: c_int = 50;
const IPV6_HOPLIMIT: c_int = 52;

/// `rawv6_prot`: the protocol table of raw sockets.
pub(crate) fn proto(owner: *mut bindings::module) -> bindings::proto {
    bindings::proto {
        close: Some(bindings::ipv6_rs_sk_common_release),
        connect: Some(sock::datagram_connect),
        disconnect: Some(bindings::__udp_disconnect),
        ioctl: Some(bindings::ipv6_rs_raw_ioctl),
        init: Some(init),
        setsockopt: Some(setsockopt),
        getsockopt: Some(getsockopt),
        sendmsg: Some(sendmsg),
        recvmsg: Some(recvmsg),
        bind: Some(bind),
        backlog_rcv: Some(queue),
        hash: Some(bindings::raw_hash_sk),
        unhash: Some(bindings::raw_unhash_sk),
        obj_size: core::mem::size_of::<bindings::raw6_sock>() as c_uint,
        ipv6_pinfo_offset: core::mem::offset_of!(bindings::raw6_sock, inet6) as c_uint,
        useroffset: core::mem::offset_of!(bindings::raw6_sock, filter) as c_uint,
        usersize: core::mem::size_of::<bindings::icmp6_filter>() as c_uint,
        h: bindings::proto__bindgen_ty_1 {
            // SAFETY: the hash is a static of the C helpers, initialised at load.
            raw_hash: unsafe { bindings::ipv6_rs_raw_hashinfo() },
        },
        owner,
        ..Default::default()
    }
}

fn raw6(sk: &Sock) -> *mut bindings::raw6_sock {
    // Every socket of `rawv6_prot` is a `struct raw6_sock` (its obj_size).
    sk.as_ptr().cast()
}

/// (checksum enabled, offset) of a raw socket.
fn checksum(sk: &Sock) -> Option<u32> {
    let rp = raw6(sk);
    // SAFETY: a raw socket of ours; plain field reads.
    unsafe { ((*rp).checksum != 0).then(|| (*rp).offset) }
}

fn set_checksum(sk: &Sock, c: Option<u32>) {
    let rp = raw6(sk);
    // SAFETY: a raw socket of ours, under its lock (setsockopt) or new (init).
    unsafe {
        (*rp).checksum = u32::from(c.is_some());
        if let Some(o) = c {
            (*rp).offset = o;
        }
    }
}

fn filter(sk: &Sock) -> Icmp6Filter {
    // SAFETY: a raw socket of ours; the filter is plain data.
    Icmp6Filter(unsafe { (*raw6(sk)).filter.data })
}

/// `rawv6_init_sk()`.
unsafe extern "C" fn init(sk: *mut bindings::sock) -> c_int {
    // SAFETY: a new raw socket of ours.
    if let Some(sk) = unsafe { Sock::from_raw(sk) } {
        set_checksum(&sk, rules::raw_default_checksum(sk.num()));
    }
    0
}

/// `rawv6_bind()`.
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
        Ok(a) => a,
        Err(e) => return -e,
    };
    let r = sk.locked(|| {
        let dev = sock::check_bind_addr(&sk, &a)?;
        sock::set_bound(&sk, &a.addr, dev);
        Ok::<(), i32>(())
    });
    match r {
        Ok(()) => 0,
        Err(e) => -e,
    }
}

/// `rawv6_setsockopt()`.
unsafe extern "C" fn setsockopt(
    sk: *mut bindings::sock,
    level: c_int,
    name: c_int,
    optval: bindings::sockptr_t,
    optlen: c_uint,
) -> c_int {
    // SAFETY: the socket layer passes a live socket of ours.
    let Some(sk) = (unsafe { Sock::from_raw(sk) }) else {
        return -errno::EINVAL;
    };
    let r = match level {
        SOL_ICMPV6 if sk.num() != u16::from(proto::ICMPV6) => Err(errno::EOPNOTSUPP),
        SOL_ICMPV6 if name == ICMPV6_FILTER => {
            let len = (optlen as usize).min(core::mem::size_of::<bindings::icmp6_filter>());
            // SAFETY: copies at most the filter's size into it, from the caller's buffer.
            let r = unsafe {
                bindings::ipv6_rs_copy_from_sockptr(
                    (&raw mut (*raw6(&sk)).filter).cast(),
                    optval,
                    len,
                )
            };
            if r == 0 {
                Ok(())
            } else {
                Err(-r)
            }
        }
        SOL_ICMPV6 => Err(errno::ENOPROTOOPT),
        SOL_RAW => raw_setsockopt(&sk, level, name, optval, optlen),
        SOL_IPV6 if name == opt::CHECKSUM || name == opt::HDRINCL => {
            raw_setsockopt(&sk, level, name, optval, optlen)
        }
        _ => sock::setsockopt(&sk, level, name, optval, optlen),
    };
    match r {
        Ok(()) => 0,
        Err(e) => -e,
    }
}

/// `do_rawv6_setsockopt()`: `IPV6_CHECKSUM` and `IPV6_HDRINCL`.
fn raw_setsockopt(
    sk: &Sock,
    level: c_int,
    name: c_int,
    optval: bindings::sockptr_t,
    optlen: c_uint,
) -> Result<(), i32> {
    if (optlen as usize) < 4 {
        return Err(errno::EINVAL);
    }
    let mut val: c_int = 0;
    // SAFETY: 4 bytes from the caller's option buffer, checked by the helper.
    let r = unsafe { bindings::ipv6_rs_copy_from_sockptr((&raw mut val).cast(), optval, 4) };
    if r != 0 {
        return Err(-r);
    }
    match name {
        opt::HDRINCL => {
            // SAFETY: a live socket of ours.
            unsafe {
                bindings::ipv6_rs_sk_assign_bit(
                    sk.as_ptr(),
                    bindings::IPV6_RS_SK_HDRINCL as c_int,
                    val != 0,
                )
            };
            Ok(())
        }
        opt::CHECKSUM => {
            let c = rules::raw_checksum_opt(sk.num(), level == SOL_IPV6, val)?;
            set_checksum(sk, c);
            Ok(())
        }
        _ => Err(errno::ENOPROTOOPT),
    }
}

/// `rawv6_getsockopt()`.
unsafe extern "C" fn getsockopt(
    sk: *mut bindings::sock,
    level: c_int,
    name: c_int,
    optval: *mut kernel::ffi::c_char,
    optlen: *mut c_int,
) -> c_int {
    // SAFETY: the socket layer passes a live socket of ours.
    let Some(sk) = (unsafe { Sock::from_raw(sk) }) else {
        return -errno::EINVAL;
    };
    let raw_opt = |name| match name {
        opt::HDRINCL => Ok(i32::from(sk.test_bit(bindings::IPV6_RS_SK_HDRINCL))),
        opt::CHECKSUM => Ok(checksum(&sk).map_or(-1, |o| o as i32)),
        _ => Err(errno::ENOPROTOOPT),
    };
    let r = match level {
        SOL_ICMPV6 if sk.num() != u16::from(proto::ICMPV6) => Err(errno::EOPNOTSUPP),
        SOL_ICMPV6 if name == ICMPV6_FILTER => get_filter(&sk, optval, optlen),
        SOL_ICMPV6 => Err(errno::ENOPROTOOPT),
        SOL_RAW => raw_opt(name).and_then(|v| sock::put_opt_int(v, optval, optlen)),
        SOL_IPV6 if name == opt::CHECKSUM || name == opt::HDRINCL => {
            raw_opt(name).and_then(|v| sock::put_opt_int(v, optval, optlen))
        }
        _ => sock::getsockopt(&sk, level, name, optval, optlen),
    };
    match r {
        Ok(()) => 0,
        Err(e) => -e,
    }
}

/// `rawv6_geticmpfilter()`: up to the filter's size, and the length copied.
fn get_filter(sk: &Sock, optval: *mut kernel::ffi::c_char, optlen: *mut c_int) -> Result<(), i32> {
    let mut b = [0u8; 32];
    for (d, w) in b.chunks_exact_mut(4).zip(filter(sk).0) {
        d.copy_from_slice(&w.to_ne_bytes());
    }
    sock::put_opt_bytes(&b, optval, optlen)
}

/// `rawv6_sendmsg()`.
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
    if len > i32::MAX as usize {
        return Err(errno::EMSGSIZE);
    }
    if flags as c_int & MSG_OOB != 0 {
        return Err(errno::EOPNOTSUPP);
    }
    let hdrincl = sk.test_bit(bindings::IPV6_RS_SK_HDRINCL);
    let num = sk.num();
    let (dst, next, mut oif) = if !name.is_null() {
        // SAFETY: the socket layer copied `namelen` bytes of address.
        let a = unsafe { sock::sockaddr(name.cast(), namelen) }?;
        if a.family != 0 && a.family != AF_INET6 {
            return Err(errno::EAFNOSUPPORT);
        }
        // The port carries the protocol for IPPROTO_RAW sockets.
        let p = match a.port {
            0 => num,
            p if p != num && num != rules::IPPROTO_RAW as u16 => return Err(errno::EINVAL),
            p => p,
        };
        if p > 255 {
            return Err(errno::EINVAL);
        }
        let oif = if crate::route::needs_scope_id(&a.addr) {
            a.scope_id
        } else {
            0
        };
        (a.addr, p as u8, oif)
    } else {
        if sk.daddr().is_unspecified() {
            return Err(errno::EDESTADDRREQ);
        }
        (sk.daddr(), num as u8, 0)
    };
    if oif == 0 {
        oif = sk.bound_dev_if();
    }
    // SAFETY: the caller's message for `sk`.
    let cm = unsafe { sock::send_cmsgs(sk, msg, controllen) }?;
    if !hdrincl && len < rules::raw_probe_len(next) {
        return Err(errno::EFAULT);
    }
    // `::` means the loopback address (a BSD convention).
    let dst = if dst.is_unspecified() {
        Ipv6Addr::LOCALHOST
    } else {
        dst
    };
    let path = sock::route_for_send(sk, &dst, 0, oif, &cm)?;
    if !hdrincl {
        let df = sock::dontfrag(sk, num, &cm);
        sock::check_size(sk, &path, &dst, 0, crate::wire::ipv6::HEADER_LEN + len, df)?;
    }
    let src = path.src;
    let (hop_limit, tclass) = sock::hop_limit_tclass(sk, &dst, &cm);
    let header = if hdrincl {
        0
    } else {
        crate::wire::ipv6::HEADER_LEN
    };
    if len + header > MAX_PAYLOAD + crate::wire::ipv6::HEADER_LEN {
        return Err(errno::EMSGSIZE);
    }
    if hdrincl && len < crate::wire::ipv6::HEADER_LEN {
        return Err(errno::EINVAL);
    }
    let noblock = flags as c_int & MSG_DONTWAIT != 0;
    let mut skb = sock::alloc_send_skb(sk, len, noblock)?;
    // SAFETY: `len` bytes of room were reserved; the helper copies from the message.
    let r = unsafe { bindings::ipv6_rs_skb_put_from_msg(skb.as_ptr(), msg, len as c_int) };
    if r != 0 {
        skb.drop_reason(reason::NOT_SPECIFIED);
        return Err(-r);
    }
    if let (false, Some(off)) = (hdrincl, checksum(sk)) {
        let off = off as usize;
        if off + 1 >= len {
            skb.drop_reason(reason::NOT_SPECIFIED);
            return Err(errno::EINVAL);
        }
        let data = skb.data_mut();
        data[off] = 0;
        data[off + 1] = 0;
        let mut c = icmpv6::checksum(&src, &dst, next, data);
        if c == 0 && next == proto::UDP {
            c = 0xffff;
        }
        data[off..off + 2].copy_from_slice(&c.to_be_bytes());
    }
    let s = ip6_input::Send {
        path,
        dst,
        next,
        hop_limit,
        tclass,
        hdrincl,
    };
    ip6_input::send(sk.net(), skb, &s)?;
    Ok(len)
}

/// `rawv6_recvmsg()`.
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
    if flags & MSG_OOB != 0 {
        return -errno::EOPNOTSUPP;
    }
    if flags & MSG_ERRQUEUE != 0 {
        // SAFETY: as above.
        return unsafe { crate::ipv6::datagram::recv_error(&sk, msg, len, addr_len) };
    }
    let mut err: c_int = 0;
    // SAFETY: a live socket; the packet returned is ours until freed below.
    let skb = unsafe { bindings::skb_recv_datagram(sk.as_ptr(), flags as c_uint, &mut err) };
    if skb.is_null() {
        return err;
    }
    // SAFETY: a queued packet, kept until skb_free_datagram().
    let (plen, trunc) = unsafe {
        let plen = (*skb).len as usize;
        (plen, plen > len)
    };
    let copied = plen.min(len);
    // SAFETY: copies `copied` bytes of the packet into the caller's message.
    let r = unsafe { bindings::ipv6_rs_skb_copy_datagram_msg(skb, 0, msg, copied as c_int) };
    if r == 0 {
        // SAFETY: the caller's message; `skb` has its network header at the IPv6 header.
        unsafe {
            if trunc {
                (*msg).msg_flags |= MSG_TRUNC as c_uint;
            }
            let src = header(skb).1;
            let iif = bindings::ipv6_rs_skb_iif(skb) as u32;
            if !(*msg).msg_name.is_null() {
                sock::put_sockaddr((*msg).msg_name, &src, 0, rules::scope_id_for(&src, iif));
                *addr_len = rules::SIN6_LEN as c_int;
            }
            bindings::ipv6_rs_sock_recv_cmsgs(msg, sk.as_ptr(), skb);
            recv_ctl(&sk, msg, skb);
        }
    }
    // SAFETY: the packet from skb_recv_datagram().
    unsafe { bindings::skb_free_datagram(sk.as_ptr(), skb) };
    if r != 0 {
        return r;
    }
    if flags & MSG_TRUNC != 0 {
        plen as c_int
    } else {
        copied as c_int
    }
}

/// `ip6_datagram_recv_ctl()` for the options implemented: `IPV6_PKTINFO`,
/// `IPV6_HOPLIMIT`, `IPV6_TCLASS`, in mainline's order.
///
/// # Safety
/// `msg` is the caller's message; `skb` a received packet with its network header set.
pub(crate) unsafe fn recv_ctl(sk: &Sock, msg: *mut bindings::msghdr, skb: *mut bindings::sk_buff) {
    // SAFETY: per the function's contract.
    unsafe {
        recv_common_ctl(sk, msg, skb);
        recv_specific_ctl(sk, msg, skb);
    }
}

/// `ip6_datagram_recv_common_ctl()`: `IPV6_PKTINFO`.
///
/// # Safety
/// As for [`recv_ctl`].
pub(crate) unsafe fn recv_common_ctl(
    sk: &Sock,
    msg: *mut bindings::msghdr,
    skb: *mut bindings::sk_buff,
) {
    if !sk.rxopt(opt::RECVPKTINFO) {
        return;
    }
    // SAFETY: per the function's contract.
    unsafe {
        let (_, _, dst) = header(skb);
        let info = bindings::in6_pktinfo {
            ipi6_addr: crate::net::in6(&dst),
            ipi6_ifindex: bindings::ipv6_rs_skb_iif(skb),
        };
        bindings::put_cmsg(
            msg,
            SOL_IPV6,
            IPV6_PKTINFO,
            core::mem::size_of::<bindings::in6_pktinfo>() as c_int,
            (&raw const info).cast_mut().cast(),
        );
    }
}

/// `ip6_datagram_recv_specific_ctl()` for `IPV6_HOPLIMIT` and `IPV6_TCLASS`.
///
/// # Safety
/// As for [`recv_ctl`].
pub(crate) unsafe fn recv_specific_ctl(
    sk: &Sock,
    msg: *mut bindings::msghdr,
    skb: *mut bindings::sk_buff,
) {
    // SAFETY: per the function's contract.
    unsafe {
        let (b, _, _) = header(skb);
        if sk.rxopt(opt::RECVHOPLIMIT) {
            let hlim = c_int::from(b[7]);
            bindings::put_cmsg(
                msg,
                SOL_IPV6,
                IPV6_HOPLIMIT,
                4,
                (&raw const hlim).cast_mut().cast(),
            );
        }
        if sk.rxopt(opt::RECVTCLASS) {
            let tclass = c_int::from((b[0] & 0x0f) << 4 | b[1] >> 4);
            bindings::put_cmsg(
                msg,
                SOL_IPV6,
                opt::TCLASS,
                4,
                (&raw const tclass).cast_mut().cast(),
            );
        }
    }
}

/// The first 8 bytes, source and destination of a received packet's IPv6 header.
///
/// # Safety
/// `skb` is a received packet with its network header at a (linear) IPv6 header.
pub(crate) unsafe fn header(skb: *mut bindings::sk_buff) -> ([u8; 8], Ipv6Addr, Ipv6Addr) {
    // SAFETY: per the function's contract, 40 bytes of header are readable.
    let h =
        unsafe { core::slice::from_raw_parts(bindings::ipv6_rs_skb_ipv6hdr(skb).cast::<u8>(), 40) };
    let mut first = [0u8; 8];
    first.copy_from_slice(&h[..8]);
    let ip = |o: usize| {
        let mut a = [0u8; 16];
        a.copy_from_slice(&h[o..o + 16]);
        Ipv6Addr::from(a)
    };
    (first, ip(8), ip(24))
}

/// `rawv6_rcv_skb()`: queue a packet on the socket (or count it dropped).
unsafe extern "C" fn queue(sk: *mut bindings::sock, skb: *mut bindings::sk_buff) -> c_int {
    let mut why: bindings::skb_drop_reason = reason::NOT_SPECIFIED;
    // SAFETY: a live socket and a packet handed over to it.
    unsafe {
        if bindings::sock_queue_rcv_skb_reason(sk, skb, &mut why) < 0 {
            bindings::ipv6_rs_kfree_skb_reason(skb, why);
            return bindings::NET_RX_DROP as c_int;
        }
    }
    0
}

/// `raw6_local_deliver()`: a copy of the packet (its header of type `next` at offset
/// `off` from the IPv6 header) for every raw socket of that protocol that matches it.
/// Returns whether any socket was eligible (mainline's `delivered`).
pub(crate) fn deliver(skb: &mut Skb, d: &RxDev, hdr: &Header, next: u8, off: usize) -> bool {
    // The ICMPv6 type for filters must be in the linear area before the walk.
    let icmp_type = if next == proto::ICMPV6 {
        skb.head(off + 1).map(|b| b[off])
    } else {
        None
    };
    let mut delivered = false;
    let mut visit = |sk: Sock| {
        let keys = RawKeys {
            protocol: sk.num(),
            peer: sk.daddr(),
            bound: sk.rcv_saddr(),
            bound_dev_if: sk.bound_dev_if(),
        };
        if !rules::raw_match(&keys, next, &hdr.src, &hdr.dst, hdr.iif) {
            return false;
        }
        // SAFETY: a live socket during the walk.
        if unsafe { bindings::ipv6_rs_sk_rmem_full(sk.as_ptr()) } {
            // SAFETY: as above.
            unsafe { bindings::ipv6_rs_sk_inc_drops(sk.as_ptr()) };
            return false;
        }
        delivered = true;
        if next == proto::ICMPV6 {
            let tb = icmp_type.map(|t| [t]);
            if filter(&sk).blocks(tb.as_ref().map_or(&[], |a| &a[..])) {
                return false;
            }
        }
        // SAFETY: our packet; a clone shares the data read-only.
        let c = unsafe { bindings::ipv6_rs_skb_clone_atomic(skb.as_ptr()) };
        // SAFETY: a fresh clone is ours.
        let Some(mut c) = (unsafe { Skb::from_raw(c) }) else {
            return false;
        };
        c.pull(off);
        c.set_transport(off);
        if checksum(&sk).is_some() {
            if !c.csum_valid(next) {
                // SAFETY: as above.
                unsafe { bindings::ipv6_rs_sk_inc_drops(sk.as_ptr()) };
                c.drop_reason(reason::SKB_CSUM);
                return false;
            }
        } else {
            // SAFETY: our clone.
            unsafe { bindings::ipv6_rs_skb_csum_unnecessary(c.as_ptr()) };
        }
        // SAFETY: hands the clone to the socket.
        unsafe { queue(sk.as_ptr(), c.into_raw()) };
        false
    };
    for_each(d.net, next, &mut visit);
    delivered
}

/// Calls `f` for each raw socket of `protocol` in `net` until it returns true.
pub(crate) fn for_each<F: FnMut(Sock) -> bool>(net: *mut bindings::net, protocol: u8, f: &mut F) {
    unsafe extern "C" fn tramp<F: FnMut(Sock) -> bool>(
        ctx: *mut c_void,
        sk: *mut bindings::sock,
    ) -> bool {
        // SAFETY: `ctx` is the `&mut F` below, alive for the walk; `sk` is a live
        // socket of ours under the walk's RCU.
        unsafe {
            let f = &mut *ctx.cast::<F>();
            Sock::from_raw(sk).is_some_and(f)
        }
    }
    // SAFETY: `net` is live (the packet's); the trampoline matches `F`.
    unsafe {
        bindings::ipv6_rs_raw_for_each(net, protocol, Some(tramp::<F>), (f as *mut F).cast())
    };
}
