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
    sock::{SendCmsgs, Sock, SOL_IPV6, TCP_CLOSE, TCP_ESTABLISHED},
};

use crate::ipv6::{
    ip6_input::{self, Path},
    ndisc, raw,
};
use crate::net::protocol::{self, NDISC_REDIRECT};
use crate::{
    sock as rules,
    sock::{opt, SockAddr, AF_INET6},
    wire::{
        ext::Chain,
        icmpv6::kind,
        ipv6::{header_addrs, Ipv6Header, HEADER_LEN},
    },
};
use core::net::Ipv6Addr;

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
    let mut visit = |sk: &Sock| {
        let keys = raw::keys(sk);
        // The offending packet went from us (`src`) to the peer (`dst`).
        if rules::raw_match(&keys, next, &dst, &src, iif) {
            // rawv6_err(): a redirect is the route's business, not an error.
            if t == NDISC_REDIRECT {
                ndisc::sk_redirect(skb, sk.bound_dev_if(), sk.flow_keys(), &src, &dst);
                return false;
            }
            if t == kind::PKT_TOOBIG {
                sk_update_pmtu(sk, d.net, &dst, &src, info);
            }
            let hdrincl = sk.test_bit(crate::net::sock::HDRINCL);
            let payload = if hdrincl { 0 } else { inner_offset };
            sock_error(sk, skb, t, code, info, 0, payload);
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

// --- Datagram sockets' addresses and routes (mainline `af_inet6.c`'s
// `__inet6_bind()` checks, `datagram.c`'s connect and send control, `ip6_output.c`'s
// size check), shared by UDP, raw and ping sockets.

/// The source address and device for `dst` from `sk`: `ip6_datagram_dst_update()`'s
/// lookup. `oif` 0 lets the route choose.
pub(crate) fn route(sk: &Sock, dst: &Ipv6Addr, oif: u32) -> Result<Path, i32> {
    let saddr = sk.saddr();
    let saddr = (!saddr.is_unspecified()).then_some(saddr);
    let (ucast, mcast) = sk.oifs();
    let oif = match oif {
        0 if sk.sticky_oif() != 0 => sk.sticky_oif(),
        0 if dst.is_multicast() => mcast,
        0 => ucast,
        o => o,
    };
    ip6_input::route_output(
        sk.net(),
        dst,
        oif,
        sk.bound_dev_if() != 0,
        saddr,
        sk.flow_keys(),
    )
}

/// `ip6_datagram_connect()`: sets the peer, choosing the device and (if unbound) the
/// source address by route lookup, under the socket lock.
pub(crate) fn connect(sk: &Sock, a: Result<SockAddr, i32>) -> Result<(), i32> {
    let a = a?;
    if a.family != AF_INET6 {
        return Err(errno::EAFNOSUPPORT);
    }
    sk.locked(|| connect_locked(sk, &a))
}

fn connect_locked(sk: &Sock, a: &SockAddr) -> Result<(), i32> {
    // Connecting to :: means the loopback address (a BSD convention mainline keeps).
    let dst = if a.addr.is_unspecified() {
        Ipv6Addr::LOCALHOST
    } else {
        a.addr
    };
    if rules::is_v4_mapped(&dst) {
        // IPv4-mapped peers need the IPv4 side of dual-stack sockets: not supported.
        return Err(errno::EAFNOSUPPORT);
    }
    if crate::route::needs_scope_id(&dst) {
        if a.scope_id != 0 {
            if sk.bound_dev_if() != 0 && sk.bound_dev_if() != a.scope_id {
                return Err(errno::EINVAL);
            }
            sk.set_bound_dev_if(a.scope_id);
        }
        if sk.bound_dev_if() == 0 && dst.is_multicast() {
            sk.set_bound_dev_if(sk.oifs().1);
        }
        if sk.bound_dev_if() == 0 {
            return Err(errno::EINVAL);
        }
    }
    let src = route(sk, &dst, sk.bound_dev_if())?.src;
    sk.set_daddr(&dst);
    sk.set_dport(a.port);
    if sk.saddr().is_unspecified() {
        sk.set_saddr(&src);
    }
    if sk.rcv_saddr().is_unspecified() {
        sk.set_rcv_saddr(&src);
        sk.rehash();
    }
    sk.set_state(TCP_ESTABLISHED);
    Ok(())
}

/// `__inet6_bind()`'s address checks shared by datagram sockets: the address must be
/// ours (or multicast, or unspecified) and a link-scoped one needs a device. Returns
/// the device to bind to. Call under the socket lock.
pub(crate) fn check_bind_addr(sk: &Sock, a: &SockAddr) -> Result<Option<u32>, i32> {
    if a.family != AF_INET6 {
        return Err(errno::EINVAL);
    }
    if rules::is_v4_mapped(&a.addr) {
        return Err(errno::EADDRNOTAVAIL);
    }
    if sk.state() != TCP_CLOSE {
        return Err(errno::EINVAL);
    }
    if a.addr.is_unspecified() {
        return Ok(None);
    }
    let dev = rules::scope_device(&a.addr, a.scope_id, sk.bound_dev_if())?;
    let dev = dev.or(match sk.bound_dev_if() {
        0 => None,
        b => Some(b),
    });
    if let Some(ifindex) = dev {
        if !ip6_input::dev_exists(sk.net(), ifindex) {
            return Err(errno::ENODEV);
        }
    }
    if !a.addr.is_multicast()
        && !sk.can_nonlocal_bind()
        && !ip6_input::is_local_addr(sk.net(), &a.addr, dev)
    {
        return Err(errno::EADDRNOTAVAIL);
    }
    Ok(dev)
}

/// Records a bind checked by [`check_bind_addr`].
pub(crate) fn set_bound(sk: &Sock, a: &Ipv6Addr, dev: Option<u32>) {
    if let Some(d) = dev {
        sk.set_bound_dev_if(d);
    }
    sk.set_rcv_saddr(a);
    if !a.is_multicast() {
        sk.set_saddr(a);
    }
}

/// `__ip6_append_data()`'s size check: a socket that lets nothing be fragmented
/// (`IPV6_MTU_DISCOVER` do or probe), or a packet sent with `IPV6_DONTFRAG`
/// (`dontfrag`, from [`crate::net::sock::dontfrag`]), cannot have `total` bytes (IPv6
/// header included) beyond the path MTU. It gets `EMSGSIZE`, and with `IPV6_RECVERR` a
/// local error carrying the MTU (what `ping -M do` reports).
pub(crate) fn check_size(
    sk: &Sock,
    path: &Path,
    dst: &Ipv6Addr,
    dport: u16,
    total: usize,
    dontfrag: bool,
) -> Result<(), i32> {
    if !dontfrag && !crate::sock::refuses_fragments(sk.pmtudisc()) {
        return Ok(());
    }
    let mtu = ip6_input::path_mtu(sk.net(), path);
    if total <= mtu as usize {
        return Ok(());
    }
    sk.local_error(errno::EMSGSIZE, dst, dport, mtu);
    Err(errno::EMSGSIZE)
}

/// The device and source address for a socket's packet to `dst` (`oif` 0: any), from
/// `IPV6_PKTINFO` ancillary data if given (`ip6_datagram_send_ctl()`'s checks), the
/// socket's binding, or the route (`ip6_dst_lookup_flow()`).
pub(crate) fn route_for_send(
    sk: &Sock,
    dst: &Ipv6Addr,
    dport: u16,
    mut oif: u32,
    cm: &SendCmsgs,
) -> Result<Path, i32> {
    let mut saddr = None;
    if let Some((a, ifi)) = crate::net::sock::pktinfo(cm) {
        if ifi != 0 {
            if oif != 0 && ifi != oif && sk.bound_dev_if() != oif {
                return Err(errno::EINVAL);
            }
            oif = ifi;
        }
        if oif != 0 && !ip6_input::dev_exists(sk.net(), oif) {
            return Err(errno::ENODEV);
        }
        if !a.is_unspecified() {
            if oif == 0 && crate::route::needs_scope_id(&a) {
                return Err(errno::EINVAL);
            }
            let strict = crate::route::needs_interface(&a);
            if !sk.can_nonlocal_bind()
                && !ip6_input::is_local_addr(sk.net(), &a, (strict && oif != 0).then_some(oif))
            {
                return Err(errno::EINVAL);
            }
            saddr = Some(a);
        }
    }
    if saddr.is_none() && !sk.saddr().is_unspecified() {
        saddr = Some(sk.saddr());
    }
    let (ucast_oif, mcast_oif) = sk.oifs();
    if oif == 0 {
        oif = if dst.is_multicast() {
            mcast_oif
        } else {
            ucast_oif
        };
    }
    // The traffic class is in the flow (`ip6_make_flowinfo()`), so `tos`/`dscp` rules
    // see the packet's.
    let keys = crate::flow::FlowKeys {
        dport,
        tos: crate::net::sock::tclass(sk, cm),
        ..sk.flow_keys()
    };
    ip6_input::route_output(sk.net(), dst, oif, sk.bound_dev_if() != 0, saddr, keys)
}
