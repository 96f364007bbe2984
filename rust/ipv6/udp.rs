// SPDX-License-Identifier: GPL-2.0

//! UDP over IPv6 (mainline `net/ipv6/udp.c`): `udpv6_prot` over the kernel's
//! `struct udp6_sock`, with ports in the kernel's shared `udp_table` (so `ss`, port
//! conflicts with other users of the table and `udp_lib_*` behave as with mainline),
//! receive lookup, port-unreachable answers, send, receive, and ICMPv6 errors.

#![forbid(unsafe_code)]

use crate::ipv6::{
    datagram, icmp,
    ip6_input::{self, Header},
    ndisc,
};
use crate::net::{
    device::RxDev,
    netns::Net,
    proto::{msg_flags, Msg, OptIn, OptOut, Proto},
    protocol::{Inet6Protocol, NDISC_REDIRECT},
    rcu::Rcu,
    skb::{reason, Skb, SkbRef},
    sock::{self, Sock},
    udp::{self as udp_lib, count, mib as udp_mib, Datagram},
};
use crate::{
    errno,
    sock::{self as rules, udp_score, SockAddr, UdpKeys, AF_INET6, MAX_PAYLOAD},
    wire::{
        icmpv6,
        ipv6::{header_addrs, Ipv6Header},
        proto,
        udp::{UdpError, UdpHeader, HEADER_LEN},
    },
};
use core::net::Ipv6Addr;
use kernel::prelude::*;

/// `SOL_UDP`, `SOL_SOCKET`.
const SOL_UDP: i32 = 17;
const SOL_SOCKET: i32 = 1;

/// UDP over IPv6 (`udpv6_prot`'s operations).
pub(crate) struct Udp;

#[vtable]
impl Proto for Udp {
    /// `inet6_release()`: the socket's multicast memberships go.
    fn release(sk: &Sock) {
        crate::ipv6::mcast::sock_close(sk);
        crate::ipv6::anycast::sock_close(sk);
    }

    /// `ip6_datagram_connect()`.
    fn connect(sk: &Sock, a: Result<SockAddr, i32>) -> Result<(), i32> {
        datagram::connect(sk, a)
    }

    /// `__inet6_bind()` for UDP: address checks as for every AF_INET6 socket, then a
    /// port from the kernel's `udp_table` (`-EADDRINUSE` if taken).
    fn bind(sk: &Sock, a: Result<SockAddr, i32>) -> Result<(), i32> {
        let a = match a {
            Ok(a) if a.family != AF_INET6 => return Err(errno::EAFNOSUPPORT),
            Ok(a) => a,
            Err(e) => return Err(e),
        };
        if sk.net().port_needs_cap(a.port) {
            return Err(errno::EACCES);
        }
        sk.locked(|| {
            if sk.num() != 0 {
                return Err(errno::EINVAL);
            }
            let dev = datagram::check_bind_addr(sk, &a)?;
            let saved_v6only = sk.ipv6only();
            datagram::set_bound(sk, &a.addr, dev);
            let specific = !a.addr.is_unspecified();
            if specific {
                sk.set_ipv6only(true);
            }
            if udp_lib::get_port(sk, a.port).is_err() {
                sk.set_ipv6only(saved_v6only);
                datagram::set_bound(sk, &Ipv6Addr::UNSPECIFIED, None);
                return Err(errno::EADDRINUSE);
            }
            sk.bind_locks(specific, a.port != 0, specific);
            Ok(())
        })
    }

    /// `udpv6_setsockopt()`.
    fn setsockopt(sk: &Sock, level: i32, name: i32, opt: &OptIn<'_>) -> Result<(), i32> {
        if level == SOL_UDP || level == SOL_SOCKET {
            return udp_lib::lib_setsockopt(sk, level, name, opt);
        }
        crate::ipv6::anycast::setsockopt(sk, level, name, opt)
    }

    /// `udpv6_getsockopt()`.
    fn getsockopt(sk: &Sock, level: i32, name: i32, opt: &OptOut<'_>) -> Result<(), i32> {
        if level == SOL_UDP {
            return udp_lib::lib_getsockopt(sk, level, name, opt);
        }
        crate::ipv6::mcast::getsockopt(sk, level, name, opt)
    }

    /// `udpv6_sendmsg()`.
    fn sendmsg(sk: &Sock, msg: &mut Msg<'_>, len: usize) -> Result<usize, i32> {
        send(sk, msg, len)
    }

    /// `udpv6_recvmsg()`.
    fn recvmsg(sk: &Sock, msg: &mut Msg<'_>, len: usize, flags: i32) -> Result<(usize, i32), i32> {
        recv(sk, msg, len, flags)
    }
}

fn send(sk: &Sock, msg: &mut Msg<'_>, len: usize) -> Result<usize, i32> {
    if len > MAX_PAYLOAD - HEADER_LEN {
        return Err(errno::EMSGSIZE);
    }
    let mut peer = None;
    if let Some(name) = msg.name() {
        let Some(family) = name.first_chunk::<2>().map(|f| u16::from_ne_bytes(*f)) else {
            return Err(errno::EINVAL);
        };
        match family {
            AF_INET6 => {
                let a = msg.sockaddr()?;
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
    let cm = sock::send_cmsgs(sk, msg)?;
    let dst = if dst.is_unspecified() {
        Ipv6Addr::LOCALHOST
    } else {
        dst
    };
    let path = datagram::route_for_send(sk, &dst, dport, oif, &cm)?;
    datagram::check_size(
        sk,
        &path,
        &dst,
        dport,
        crate::wire::ipv6::HEADER_LEN + HEADER_LEN + len,
        sock::dontfrag(sk, u16::from(proto::UDP), &cm),
    )?;
    let src = path.src;
    let (hop_limit, tclass) = sock::hop_limit_tclass(sk, &dst, &cm);
    let noblock = msg.flags() & msg_flags::DONTWAIT != 0;
    let total = HEADER_LEN + len;
    let mut skb = sock::alloc_send_skb(sk, total, noblock)?;
    skb.put(HEADER_LEN);
    if let Err(e) = msg.copy_to_skb(&mut skb, len) {
        skb.drop_reason(reason::NOT_SPECIFIED);
        return Err(e);
    }
    let data = skb.data_mut();
    data[..HEADER_LEN].copy_from_slice(&UdpHeader::emit(sk.sport(), dport, total));
    let mut c = icmpv6::checksum(&src, &dst, proto::UDP, data);
    if c == 0 {
        c = 0xffff;
    }
    UdpHeader::set_checksum(data, c);
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

fn recv(sk: &Sock, msg: &mut Msg<'_>, len: usize, flags: i32) -> Result<(usize, i32), i32> {
    if flags & msg_flags::ERRQUEUE != 0 {
        return datagram::recv_error(sk, msg, len);
    }
    let peeking = flags & msg_flags::PEEK != 0;
    let (d, off) = Datagram::recv(sk, flags)?;
    let ulen = d.len();
    let avail = ulen.saturating_sub(off);
    let copied = avail.min(len);
    if copied < avail {
        msg.set_flag(msg_flags::TRUNC);
    }
    // The checksum was verified on receive.
    if let Err(e) = msg.copy_from_skb(d.skb(), off, copied) {
        if !peeking {
            sk.inc_drops();
            count(sk.net(), udp_mib::INERRORS);
        }
        d.free();
        return Err(e);
    }
    if !peeking {
        count(sk.net(), udp_mib::INDATAGRAMS);
    }
    msg.recv_sock_cmsgs(sk, d.skb());
    let mut name_len = 0;
    if msg.wants_name() {
        let h = d.skb().network_header();
        let src = Ipv6Header::parse(&h).map_or(Ipv6Addr::UNSPECIFIED, |(h, _)| h.src());
        let scope = rules::scope_id_for(&src, d.skb().iif());
        name_len = msg.put_name(&src, d.sport(), scope);
    }
    if sk.rxopt_any() {
        datagram::recv_ctl(sk, msg, d.skb());
    }
    let ret = if flags & msg_flags::TRUNC != 0 {
        ulen
    } else {
        copied
    };
    d.consume(sk, if peeking { -(ret as i32) } else { ret as i32 });
    Ok((ret, name_len))
}

/// The socket a datagram from `src`:`sport` to `dst`:`dport` arriving on `iif` goes
/// to (`__udp6_lib_lookup()`), borrowed for the RCU section `rcu` (UDP sockets are
/// freed after a grace period).
fn lookup<'r>(
    net: &Net,
    src: &Ipv6Addr,
    sport: u16,
    dst: &Ipv6Addr,
    dport: u16,
    iif: u32,
    rcu: &'r Rcu,
) -> Option<&'r Sock> {
    let mut best: Option<(u8, &'r Sock)> = None;
    udp_lib::for_each_port(net, dport, rcu, &mut |sk: &'r Sock| {
        if let Some(score) = udp_score(&keys(sk), src, sport, dst, iif) {
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

/// `__udp6_lib_rcv()`: the packet's data and transport header are at the UDP header.
pub(crate) fn rcv(mut skb: Skb, d: &RxDev<'_>, hdr: &Header) -> Result<(), ()> {
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
    udp_lib::skb_cb_init(&mut skb);
    if !skb.csum_valid(proto::UDP) {
        count(d.net, udp_mib::CSUMERRORS);
        count(d.net, udp_mib::INERRORS);
        skb.drop_reason(reason::UDP_CSUM);
        return Ok(());
    }
    if hdr.dst.is_multicast() {
        return mcast_deliver(skb, d, hdr, &h);
    }
    let rcu = Rcu::read_lock();
    match lookup(
        d.net, &hdr.src, h.src_port, &hdr.dst, h.dst_port, hdr.iif, &rcu,
    ) {
        Some(sk) => {
            enqueue(sk, skb);
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
fn mcast_deliver(skb: Skb, d: &RxDev<'_>, hdr: &Header, h: &UdpHeader) -> Result<(), ()> {
    let rcu = Rcu::read_lock();
    let mut first: Option<&Sock> = None;
    udp_lib::for_each_port(d.net, h.dst_port, &rcu, &mut |sk| {
        if udp_score(&keys(sk), &hdr.src, h.src_port, &hdr.dst, hdr.iif).is_none()
            || !crate::ipv6::mcast::sock_accepts(sk, &hdr.dst, &hdr.src)
        {
            return false;
        }
        match first {
            None => first = Some(sk),
            Some(_) => match skb.clone_atomic() {
                Some(c) => enqueue(sk, c),
                None => {
                    sk.inc_drops();
                    count(d.net, udp_mib::RCVBUFERRORS);
                    count(d.net, udp_mib::INERRORS);
                }
            },
        }
        false
    });
    match first {
        Some(sk) => enqueue(sk, skb),
        None => {
            count(d.net, udp_mib::IGNOREDMULTI);
            skb.consume();
        }
    }
    Ok(())
}

/// `__udpv6_queue_rcv_skb()`: onto the socket's receive queue, or counted and dropped.
fn enqueue(sk: &Sock, skb: Skb) {
    let Err((skb, e)) = udp_lib::enqueue(sk, skb) else {
        return;
    };
    let net = sk.net();
    let why = if e == errno::ENOMEM {
        count(net, udp_mib::RCVBUFERRORS);
        reason::SOCKET_RCVBUFF
    } else {
        count(net, udp_mib::MEMERRORS);
        reason::PROTO_MEM
    };
    count(net, udp_mib::INERRORS);
    skb.drop_reason(why);
}

/// UDP's entry in `inet6_protos[]` (`udpv6_protocol`).
pub(crate) struct Udp6Protocol;

impl Inet6Protocol for Udp6Protocol {
    const NEXTHDR: u8 = proto::UDP;

    /// `udpv6_rcv()`.
    fn rcv(skb: Skb, d: &RxDev<'_>) {
        let hdr = Header::of(&skb);
        let _ = rcv(skb, d, &hdr);
    }

    /// `udpv6_err()` (`__udp6_lib_err()`): the error, or redirect, is for the socket
    /// that sent the datagram from `src`:`sport` to `dst`:`dport`.
    fn err(skb: SkbRef<'_>, d: &RxDev<'_>, t: u8, code: u8, offset: usize, info: u32) {
        let inner = skb.data();
        let (Some((src, dst)), Some(l4)) = (header_addrs(inner), inner.get(offset..offset + 4))
        else {
            return;
        };
        let (sport, dport) = (
            u16::from_be_bytes([l4[0], l4[1]]),
            u16::from_be_bytes([l4[2], l4[3]]),
        );
        let rcu = Rcu::read_lock();
        let Some(sk) = lookup(d.net, &dst, dport, &src, sport, skb.iif(), &rcu) else {
            return;
        };
        if t == NDISC_REDIRECT {
            // ip6_sk_redirect()
            return ndisc::sk_redirect(skb, sk.bound_dev_if(), sk.flow_keys(), &src, &dst);
        }
        if t == icmpv6::kind::PKT_TOOBIG && rules::accepts_pmtu(sk.pmtudisc()) {
            datagram::sk_update_pmtu(sk, d.net, &dst, &src, info);
        }
        // The datagram's data starts after its UDP header.
        datagram::sock_error(sk, skb, t, code, info, dport, offset + HEADER_LEN);
    }
}
