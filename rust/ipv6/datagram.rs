// SPDX-License-Identifier: GPL-2.0

//! ICMPv6 errors for the sockets that sent the offending packet (mainline
//! `icmpv6_notify()`, `raw6_icmp_error()`, `rawv6_err()`, and `datagram.c`'s
//! `ipv6_icmp_error()`/`ipv6_recv_error()`): `IPV6_RECVERR` error queues and `sk_err`;
//! and the ancillary data of received datagrams (`ip6_datagram_recv_ctl()`).

#![forbid(unsafe_code)]

use crate::errno;
use crate::net::device::RxDev;
use crate::net::netns::Net;
use crate::net::{
    proto::{msg_flags, Msg},
    skb::SkbRef,
    sock::{Sock, SOL_IPV6},
};

use crate::ipv6::{ndisc, raw};
use crate::net::protocol::{self, NDISC_REDIRECT};
use crate::{
    sock as rules,
    sock::opt,
    wire::{
        ext::Chain,
        icmpv6::kind,
        ipv6::{header_addrs, Ipv6Header, HEADER_LEN},
    },
};
use core::net::Ipv6Addr;

/// `TCP_ESTABLISHED`.
const TCP_ESTABLISHED: u8 = 1;

/// `icmpv6_notify()`: the ICMPv6 error `t`/`code`/`info` (or a redirect) reaches the
/// protocol of the packet it quotes, through `inet6_protos[]`, and that protocol's raw
/// sockets. `skb`'s data is at the quoted IPv6 header, its transport header at the
/// ICMPv6 message. Errors too short to show the quoted header chain plus 8 bytes are
/// dropped, as mainline does.
pub(crate) fn notify(skb: SkbRef<'_>, d: &RxDev<'_>, t: u8, code: u8, info: u32) {
    let inner = skb.data();
    let Some((src, dst)) = header_addrs(inner) else {
        return;
    };
    let mut chain = Chain::new(inner[6], &inner[HEADER_LEN..]);
    for h in chain.by_ref() {
        if h.is_err() {
            return;
        }
    }
    let (next, off) = chain.upper();
    let inner_offset = HEADER_LEN + off;
    if inner.len() < inner_offset + 8 || next == IPPROTO_RAW {
        return;
    }
    protocol::notify(skb, next, t, code, inner_offset, info);
    let iif = skb.iif();
    let mut visit = |sk: Sock| {
        let keys = raw::keys(&sk);
        // The offending packet went from us (`src`) to the peer (`dst`).
        if rules::raw_match(&keys, next, &dst, &src, iif) {
            // rawv6_err(): a redirect is the route's business, not an error.
            if t == NDISC_REDIRECT {
                ndisc::sk_redirect(skb, sk.bound_dev_if(), sk.flow_keys(), &src, &dst);
                return false;
            }
            if t == kind::PKT_TOOBIG {
                sk_update_pmtu(&sk, d.net, &dst, &src, info);
            }
            let hdrincl = sk.test_bit(crate::net::sock::HDRINCL);
            let payload = if hdrincl { 0 } else { inner_offset };
            sock_error(&sk, skb, t, code, info, 0, payload);
        }
        false
    };
    crate::net::raw::for_each(d.net, next, &mut visit);
}

/// `IPPROTO_RAW`: quoted packets of it reach no one (`icmpv6_notify()`).
const IPPROTO_RAW: u8 = 255;

/// `ip6_sk_update_pmtu()`: a packet too big reporting `mtu` for `sk`'s packet from
/// `src` to `dst`, looked up as the socket's (its device, mark and uid).
pub(crate) fn sk_update_pmtu(sk: &Sock, net: &Net, dst: &Ipv6Addr, src: &Ipv6Addr, mtu: u32) {
    crate::ipv6::pmtu::update(net, dst, src, sk.bound_dev_if(), sk.flow_keys(), mtu);
}

/// `rawv6_err()`: report an error to one socket: queued with `IPV6_RECVERR`, and as
/// `sk_err` if it is hard or queued. `payload` is where the socket's own data starts,
/// from the packet's data (the quoted IPv6 header).
pub(crate) fn sock_error(
    sk: &Sock,
    skb: SkbRef<'_>,
    t: u8,
    code: u8,
    info: u32,
    port: u16,
    payload: usize,
) {
    let recverr = sk.test_bit(crate::net::sock::RECVERR6);
    // An unconnected socket without RECVERR could not tell what the error is about.
    if !recverr && !connected(sk) {
        return;
    }
    let (err, mut hard) = rules::icmp_err_convert(t, code);
    if t == kind::PKT_TOOBIG {
        // A socket that refuses fragmentation takes "too big" as hard.
        hard = sk.pmtudisc() == crate::sock::pmtudisc::DO;
    }
    if recverr {
        sk.queue_icmp_error(skb, err, port, info, payload);
    }
    if recverr || hard {
        sk.report_error(err);
    }
}

fn connected(sk: &Sock) -> bool {
    sk.state() == TCP_ESTABLISHED
}

/// `ipv6_recv_error()`: `recvmsg(MSG_ERRQUEUE)`, the oldest queued error with its
/// `IPV6_RECVERR` control message (`struct sock_extended_err` and the offender): the
/// bytes read and the length of the name written.
pub(crate) fn recv_error(sk: &Sock, msg: &mut Msg<'_>, len: usize) -> Result<(usize, i32), i32> {
    let Some(skb) = sk.dequeue_err_skb() else {
        return Err(errno::EAGAIN);
    };
    let plen = skb.len();
    let copied = plen.min(len);
    if let Err(e) = msg.copy_from_skb(skb.borrow(), 0, copied) {
        skb.drop_reason(crate::net::skb::reason::NOT_SPECIFIED);
        return Err(e);
    }
    if plen > len {
        msg.set_flag(msg_flags::TRUNC);
    }
    let name_len = msg.put_error_name(sk, skb.borrow());
    if sk.rxopt_any() {
        recv_ctl(sk, msg, skb.borrow());
    }
    msg.put_error_cmsg(skb.borrow());
    skb.consume();
    Ok((copied, name_len))
}

/// `IPV6_PKTINFO`, `IPV6_HOPLIMIT` ancillary data types.
const IPV6_PKTINFO: i32 = 50;
const IPV6_HOPLIMIT: i32 = 52;

/// `ip6_datagram_recv_ctl()` for the options implemented: `IPV6_PKTINFO`,
/// `IPV6_HOPLIMIT`, `IPV6_TCLASS`, in mainline's order. `skb` is a received packet with
/// its network header set.
pub(crate) fn recv_ctl(sk: &Sock, msg: &mut Msg<'_>, skb: SkbRef<'_>) {
    let h = skb.network_header();
    common_ctl(sk, msg, &h, skb.iif());
    specific_ctl(sk, msg, &h);
}

/// `ip6_datagram_recv_common_ctl()`: `IPV6_PKTINFO`.
pub(crate) fn recv_common_ctl(sk: &Sock, msg: &mut Msg<'_>, skb: SkbRef<'_>) {
    common_ctl(sk, msg, &skb.network_header(), skb.iif());
}

/// `ip6_datagram_recv_specific_ctl()` for `IPV6_HOPLIMIT` and `IPV6_TCLASS`.
pub(crate) fn recv_specific_ctl(sk: &Sock, msg: &mut Msg<'_>, skb: SkbRef<'_>) {
    specific_ctl(sk, msg, &skb.network_header());
}

/// [`recv_common_ctl`] with the packet's IPv6 header `h` and arrival interface `iif`.
fn common_ctl(sk: &Sock, msg: &mut Msg<'_>, h: &[u8], iif: u32) {
    if !sk.rxopt(opt::RECVPKTINFO) {
        return;
    }
    let dst = Ipv6Header::parse(h).map_or(Ipv6Addr::UNSPECIFIED, |(h, _)| h.dst());
    msg.put_cmsg(SOL_IPV6, IPV6_PKTINFO, &rules::pktinfo(&dst, iif));
}

/// [`recv_specific_ctl`] with the packet's IPv6 header `h`.
fn specific_ctl(sk: &Sock, msg: &mut Msg<'_>, h: &[u8]) {
    let Ok((h, _)) = Ipv6Header::parse(h) else {
        return;
    };
    if sk.rxopt(opt::RECVHOPLIMIT) {
        msg.put_cmsg(
            SOL_IPV6,
            IPV6_HOPLIMIT,
            &i32::from(h.hop_limit()).to_ne_bytes(),
        );
    }
    if sk.rxopt(opt::RECVTCLASS) {
        msg.put_cmsg(
            SOL_IPV6,
            opt::TCLASS,
            &i32::from(h.traffic_class()).to_ne_bytes(),
        );
    }
}
