// SPDX-License-Identifier: GPL-2.0

//! Raw AF_INET6 sockets (mainline `net/ipv6/raw.c`): `rawv6_prot` over the kernel's
//! `struct raw6_sock` and raw socket hash, delivery of a copy of every packet of the
//! socket's protocol, the ICMPv6 filter (RFC 3542), checksums at a chosen offset
//! (`IPV6_CHECKSUM`), and sending with or without a caller-built IPv6 header.

#![forbid(unsafe_code)]

use crate::ipv6::{
    datagram,
    ip6_input::{self, Header},
};
use crate::net::{
    device::RxDev,
    proto::{msg_flags, Msg, OptIn, OptOut, Proto},
    raw::{self as raw_lib, Queued},
    skb::{reason, Skb},
    sock::{self, Sock, HDRINCL, SOL_ICMPV6, SOL_IPV6, SOL_RAW},
};
use crate::{
    errno,
    sock::{self as rules, opt, RawKeys, SockAddr, AF_INET6, MAX_PAYLOAD},
    wire::{icmpv6, ipv6::Ipv6Header, proto},
};
use core::net::Ipv6Addr;
use kernel::prelude::*;

/// `ICMPV6_FILTER`, the one `SOL_ICMPV6` option.
const ICMPV6_FILTER: i32 = 1;
/// `struct icmp6_filter`: 256 bits.
const ICMP6_FILTER_LEN: usize = 32;
/// `MSG_OOB`.
const MSG_OOB: i32 = 1;

/// Raw AF_INET6 sockets (`rawv6_prot`'s operations).
pub(crate) struct Raw;

#[vtable]
impl Proto for Raw {
    /// `inet6_release()`: the socket's multicast memberships go.
    fn release(sk: &Sock) {
        crate::ipv6::mcast::sock_close(sk);
        crate::ipv6::anycast::sock_close(sk);
    }

    /// `ip6_datagram_connect()`.
    fn connect(sk: &Sock, a: Result<SockAddr, i32>) -> Result<(), i32> {
        datagram::connect(sk, a)
    }

    /// `rawv6_init_sk()`.
    fn init(sk: &Sock) -> Result<(), i32> {
        sk.set_raw_checksum(rules::raw_default_checksum(sk.num()));
        Ok(())
    }

    /// `rawv6_bind()`.
    fn bind(sk: &Sock, a: Result<crate::sock::SockAddr, i32>) -> Result<(), i32> {
        let a = a?;
        sk.locked(|| {
            let dev = datagram::check_bind_addr(sk, &a)?;
            datagram::set_bound(sk, &a.addr, dev);
            Ok(())
        })
    }

    /// `rawv6_setsockopt()`.
    fn setsockopt(sk: &Sock, level: i32, name: i32, opt: &OptIn<'_>) -> Result<(), i32> {
        match level {
            SOL_ICMPV6 if sk.num() != u16::from(proto::ICMPV6) => Err(errno::EOPNOTSUPP),
            SOL_ICMPV6 if name == ICMPV6_FILTER => {
                let mut b = [0u8; ICMP6_FILTER_LEN];
                let len = opt.len().min(b.len());
                opt.read(&mut b[..len])?;
                sk.set_icmp_filter(&b[..len]);
                Ok(())
            }
            SOL_ICMPV6 => Err(errno::ENOPROTOOPT),
            SOL_RAW => raw_setsockopt(sk, level, name, opt),
            SOL_IPV6 if name == opt::CHECKSUM || name == opt::HDRINCL => {
                raw_setsockopt(sk, level, name, opt)
            }
            _ => crate::ipv6::anycast::setsockopt(sk, level, name, opt),
        }
    }

    /// `rawv6_getsockopt()`.
    fn getsockopt(sk: &Sock, level: i32, name: i32, opt: &OptOut<'_>) -> Result<(), i32> {
        let raw_opt = |name| match name {
            opt::HDRINCL => Ok(i32::from(sk.test_bit(HDRINCL))),
            opt::CHECKSUM => Ok(sk.raw_checksum().map_or(-1, |o| o as i32)),
            _ => Err(errno::ENOPROTOOPT),
        };
        match level {
            SOL_ICMPV6 if sk.num() != u16::from(proto::ICMPV6) => Err(errno::EOPNOTSUPP),
            SOL_ICMPV6 if name == ICMPV6_FILTER => get_filter(sk, opt),
            SOL_ICMPV6 => Err(errno::ENOPROTOOPT),
            SOL_RAW => raw_opt(name).and_then(|v| opt.put_int(v)),
            SOL_IPV6 if name == opt::CHECKSUM || name == opt::HDRINCL => {
                raw_opt(name).and_then(|v| opt.put_int(v))
            }
            _ => crate::ipv6::mcast::getsockopt(sk, level, name, opt),
        }
    }

    /// `rawv6_sendmsg()`.
    fn sendmsg(sk: &Sock, msg: &mut Msg<'_>, len: usize) -> Result<usize, i32> {
        send(sk, msg, len)
    }

    /// `rawv6_recvmsg()`.
    fn recvmsg(sk: &Sock, msg: &mut Msg<'_>, len: usize, flags: i32) -> Result<(usize, i32), i32> {
        recv(sk, msg, len, flags)
    }
}

/// `do_rawv6_setsockopt()`: `IPV6_CHECKSUM` and `IPV6_HDRINCL`.
fn raw_setsockopt(sk: &Sock, level: i32, name: i32, opt: &OptIn<'_>) -> Result<(), i32> {
    if opt.len() < 4 {
        return Err(errno::EINVAL);
    }
    let val = opt.int()?;
    match name {
        opt::HDRINCL => {
            sk.assign_bit(HDRINCL, val != 0);
            Ok(())
        }
        opt::CHECKSUM => {
            let c = rules::raw_checksum_opt(sk.num(), level == SOL_IPV6, val)?;
            sk.set_raw_checksum(c);
            Ok(())
        }
        _ => Err(errno::ENOPROTOOPT),
    }
}

/// `rawv6_geticmpfilter()`: up to the filter's size, and the length copied.
fn get_filter(sk: &Sock, opt: &OptOut<'_>) -> Result<(), i32> {
    let mut b = [0u8; ICMP6_FILTER_LEN];
    for (d, w) in b.chunks_exact_mut(4).zip(sk.icmp_filter().0) {
        d.copy_from_slice(&w.to_ne_bytes());
    }
    opt.put_bytes(&b)
}

fn send(sk: &Sock, msg: &mut Msg<'_>, len: usize) -> Result<usize, i32> {
    if len > i32::MAX as usize {
        return Err(errno::EMSGSIZE);
    }
    if msg.flags() & MSG_OOB != 0 {
        return Err(errno::EOPNOTSUPP);
    }
    let hdrincl = sk.test_bit(HDRINCL);
    let num = sk.num();
    let (dst, next, mut oif) = if msg.name().is_some() {
        let a = msg.sockaddr()?;
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
    let cm = sock::send_cmsgs(sk, msg)?;
    if !hdrincl && len < rules::raw_probe_len(next) {
        return Err(errno::EFAULT);
    }
    // `::` means the loopback address (a BSD convention).
    let dst = if dst.is_unspecified() {
        Ipv6Addr::LOCALHOST
    } else {
        dst
    };
    let path = datagram::route_for_send(sk, &dst, 0, oif, &cm)?;
    if !hdrincl {
        let df = sock::dontfrag(sk, num, &cm);
        datagram::check_size(sk, &path, &dst, 0, crate::wire::ipv6::HEADER_LEN + len, df)?;
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
    let noblock = msg.flags() & msg_flags::DONTWAIT != 0;
    let mut skb = sock::alloc_send_skb(sk, len, noblock)?;
    if let Err(e) = msg.copy_to_skb(&mut skb, len) {
        skb.drop_reason(reason::NOT_SPECIFIED);
        return Err(e);
    }
    if let (false, Some(off)) = (hdrincl, sk.raw_checksum()) {
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

fn recv(sk: &Sock, msg: &mut Msg<'_>, len: usize, flags: i32) -> Result<(usize, i32), i32> {
    if flags & MSG_OOB != 0 {
        return Err(errno::EOPNOTSUPP);
    }
    if flags & msg_flags::ERRQUEUE != 0 {
        return datagram::recv_error(sk, msg, len);
    }
    let q = Queued::recv(sk, flags)?;
    let plen = q.skb().len();
    let copied = plen.min(len);
    let mut name_len = 0;
    let r = msg.copy_from_skb(q.skb(), 0, copied);
    if r.is_ok() {
        if plen > len {
            msg.set_flag(msg_flags::TRUNC);
        }
        let h = q.skb().network_header();
        let src = Ipv6Header::parse(&h).map_or(Ipv6Addr::UNSPECIFIED, |(h, _)| h.src());
        if msg.wants_name() {
            name_len = msg.put_name(&src, 0, rules::scope_id_for(&src, q.skb().iif()));
        }
        msg.recv_sock_cmsgs(sk, q.skb());
        datagram::recv_ctl(sk, msg, q.skb());
    }
    q.free(sk);
    r?;
    Ok((
        if flags & msg_flags::TRUNC != 0 {
            plen
        } else {
            copied
        },
        name_len,
    ))
}

/// What raw delivery and error matching see of a raw socket.
pub(crate) fn keys(sk: &Sock) -> RawKeys {
    RawKeys {
        protocol: sk.num(),
        peer: sk.daddr(),
        bound: sk.rcv_saddr(),
        bound_dev_if: sk.bound_dev_if(),
    }
}

/// `raw6_local_deliver()`: a copy of the packet (its header of type `next` at offset
/// `off` from the IPv6 header) for every raw socket of that protocol that matches it.
/// Returns whether any socket was eligible (mainline's `delivered`).
pub(crate) fn deliver(skb: &mut Skb, d: &RxDev<'_>, hdr: &Header, next: u8, off: usize) -> bool {
    // The ICMPv6 type for filters must be in the linear area before the walk.
    let icmp_type = if next == proto::ICMPV6 {
        skb.head(off + 1).map(|b| b[off])
    } else {
        None
    };
    let mut delivered = false;
    let mut visit = |sk: &Sock| {
        if !rules::raw_match(&keys(sk), next, &hdr.src, &hdr.dst, hdr.iif)
            || (hdr.dst.is_multicast() && !crate::ipv6::mcast::sock_accepts(sk, &hdr.dst, &hdr.src))
        {
            return false;
        }
        if sk.rmem_full() {
            sk.inc_drops();
            return false;
        }
        delivered = true;
        if next == proto::ICMPV6 {
            let tb = icmp_type.map(|t| [t]);
            if sk.icmp_filter().blocks(tb.as_ref().map_or(&[], |a| &a[..])) {
                return false;
            }
        }
        let Some(mut c) = skb.clone_atomic() else {
            return false;
        };
        c.pull(off);
        c.set_transport(off);
        if sk.raw_checksum().is_some() {
            if !c.csum_valid(next) {
                sk.inc_drops();
                c.drop_reason(reason::SKB_CSUM);
                return false;
            }
        } else {
            c.set_csum_unnecessary();
        }
        raw_lib::queue(sk, c);
        false
    };
    raw_lib::for_each(d.net, next, &mut visit);
    delivered
}
