// SPDX-License-Identifier: GPL-2.0

//! ICMPv6 (mainline `net/ipv6/icmp.c`): receive, checksum, echo replies, and the
//! hand-off of neighbour discovery messages.

#![forbid(unsafe_code)]

use crate::net::{
    device::RxDev,
    icmp::IcmpSend,
    mib::icmp as icmp_mib,
    protocol::{Inet6Protocol, NDISC_REDIRECT},
    rcu::Rcu,
    skb::{pkt_type, reason, Skb, SkbRef},
};

use crate::ipv6::{
    anycast,
    ip6_input::{self, Dest, Header},
    ndisc,
};
use crate::{
    route::{needs_interface, LocalAddr},
    wire::{
        ext::Chain, icmpv6::kind, icmpv6::HEADER_LEN, ipv6::header_addrs, proto, ParamProblemCode,
    },
};
use core::net::Ipv6Addr;
use kernel::prelude::*;

/// ICMPv6's entry in `inet6_protos[]` (`icmpv6_protocol`).
pub(crate) struct Icmp6Protocol;

impl Inet6Protocol for Icmp6Protocol {
    const NEXTHDR: u8 = proto::ICMPV6;

    fn rcv(skb: Skb, d: &RxDev<'_>) {
        let hdr = Header::of(&skb);
        let _ = rcv(skb, d, &hdr);
    }

    /// `icmpv6_err()`: whatever socket sent it, an ICMPv6 packet too big teaches the
    /// path, and a redirect redirects it (through the device the message came in on);
    /// an error about an echo request is for its ping socket.
    fn err(skb: SkbRef<'_>, d: &RxDev<'_>, t: u8, _code: u8, offset: usize, info: u32) {
        let inner = skb.data();
        let Some((src, dst)) = header_addrs(inner) else {
            return;
        };
        if t == kind::PKT_TOOBIG {
            let keys = crate::ipv6::ip6_fib::FlowKeys::default();
            crate::ipv6::pmtu::update(d.net, &dst, &src, d.ifindex(), keys, info);
        } else if t == NDISC_REDIRECT {
            let keys = crate::ipv6::ip6_fib::FlowKeys::default();
            ndisc::sk_redirect(skb, d.ifindex(), keys, &src, &dst);
        }
        if t & 0x80 == 0 && inner.get(offset) == Some(&kind::ECHO_REQUEST) {
            crate::ipv6::ping::err(skb, offset, info);
        }
    }
}

/// `sizeof(struct icmp6hdr)`: an error's fixed part, before the quoted packet.
const ICMP6HDR_LEN: usize = 8;

/// `icmpv6_rcv()`: the payload from `data` on is the ICMPv6 message.
pub(crate) fn rcv(mut skb: Skb, d: &RxDev<'_>, hdr: &Header) -> Result<(), ()> {
    d.icmp6_inc(icmp_mib::INMSGS);
    if !skb.csum_valid(proto::ICMPV6) {
        d.icmp6_inc(icmp_mib::CSUMERRORS);
        d.icmp6_inc(icmp_mib::INERRORS);
        skb.drop_reason(reason::ICMP_CSUM);
        return Err(());
    }
    // ICMPv6 messages are small: make the whole message linear once.
    let t = match skb.linear() {
        Some(msg) if msg.len() >= HEADER_LEN => msg[0],
        r => {
            d.icmp6_inc(icmp_mib::INERRORS);
            let why = if r.is_none() {
                reason::NOMEM
            } else {
                reason::PKT_TOO_SMALL
            };
            skb.drop_reason(why);
            return Err(());
        }
    };
    d.icmp6_msg(false, t);
    match t {
        kind::ECHO_REQUEST => {
            if let Some(msg) = skb.linear() {
                echo_reply(d, hdr, msg);
            }
            skb.consume();
            Ok(())
        }
        kind::NEIGHBOUR_SOLICITATION
        | kind::NEIGHBOUR_ADVERTISEMENT
        | kind::ROUTER_SOLICITATION
        | kind::ROUTER_ADVERTISEMENT
        | kind::REDIRECT => ndisc::rcv(skb, d, hdr),
        // Errors are for the sockets that sent the offending packet.
        t if t & 0x80 == 0 => {
            let Some(msg) = skb.linear() else {
                skb.drop_reason(reason::NOMEM);
                return Err(());
            };
            let code = msg[1];
            let info = u32::from_be_bytes([msg[4], msg[5], msg[6], msg[7]]);
            // The data at the quoted packet, as icmpv6_notify() has it: past the whole
            // `struct icmp6hdr` (type, code, checksum and the 4-byte info word).
            skb.pull(ICMP6HDR_LEN);
            crate::ipv6::datagram::notify(skb.borrow(), d, t, code, info);
            skb.consume();
            Ok(())
        }
        kind::ECHO_REPLY => {
            match crate::ipv6::ping::rcv(skb.borrow()) {
                0 => skb.consume(),
                why => skb.drop_reason(why),
            }
            Ok(())
        }
        // MLD queries and MLDv1 reports go to the device's MLD work.
        crate::mld::kind::QUERY | crate::mld::kind::V1_REPORT => {
            crate::ipv6::mcast::rcv(skb, t);
            Ok(())
        }
        _ => {
            skb.consume();
            Ok(())
        }
    }
}

/// The device and route a packet to `dst` leaves through, preferring (for link-scoped
/// destinations: requiring) `iif`, the interface the packet we answer counts as
/// arriving on (`icmp6_iif()`: for our own traffic looped back through `lo`, the
/// address's device), as the flow's interface.
fn route_to<'a>(d: &RxDev<'a>, iif: u32, dst: &Ipv6Addr) -> Option<(RxDev<'a>, crate::fib::Route)> {
    let keys = crate::ipv6::ip6_fib::FlowKeys::default();
    let (ifindex, r) = ip6_input::output_route(d.net, dst, None, iif, false, keys).ok()?;
    if ifindex == d.ifindex() {
        return Some((*d, r));
    }
    d.by_index(ifindex).map(|out| (out, r))
}

/// `icmpv6_echo_reply()`: answer an echo request with the same identifier, sequence
/// number and data.
fn echo_reply(d: &RxDev<'_>, hdr: &Header, req: &[u8]) {
    let limits = d.net.limits();
    if limits.echo_ignore_all != 0
        || (matches!(hdr.dest, Dest::Multicast) && limits.echo_ignore_multicast != 0)
    {
        return;
    }
    // ipv6_anycast_destination(): delivered by an anycast route, not a local one.
    let acast = matches!(hdr.dest, Dest::Unicast)
        && !ip6_input::chk_addr(d.net, &hdr.dst, None, false)
        && anycast::input_dest(d, &hdr.dst);
    let (ignore_anycast, anycast_src) = if acast {
        crate::net::anycast::echo_sysctls(d.net)
    } else {
        (false, false)
    };
    if acast && ignore_anycast {
        return;
    }
    let rcu = Rcu::read_lock();
    let addrs = crate::net::ifaddr::net_addrs(d.net, &rcu);
    // Replies to multicast requests come from the best source for the requester, and
    // so do those to anycast addresses unless `anycast_src_echo_reply` says otherwise.
    let src = match hdr.dest {
        Dest::Unicast if !acast || anycast_src => hdr.dst,
        Dest::Unicast => match ip6_input::source_for(d.net, &hdr.src, d.ifindex(), addrs.clone()) {
            Some(s) => s,
            None => return,
        },
        Dest::Multicast => match ip6_input::source_for(d.net, &hdr.src, d.ifindex(), addrs.clone())
        {
            Some(s) => s,
            None => return,
        },
    };
    let Some((out, route)) = route_to(d, hdr.iif, &hdr.src) else {
        return;
    };
    let hop_limit = out.cnf().map_or(64, |c| c.hop_limit as u8);
    let gw = route.gateway;
    // Fragmented to the path's MTU (its exception's, if any), as ip6_append_data()
    // does with the reply's dst.
    ip6_input::send_icmp(
        &out,
        &src,
        &hdr.src,
        gw,
        route.mtu,
        hop_limit,
        0,
        req.len(),
        |buf| {
            buf.copy_from_slice(req);
            buf[0] = kind::ECHO_REPLY;
            buf[1] = 0;
            Some(())
        },
    );
}

/// Largest quote of the offending packet: the error must fit the minimum MTU.
const MAX_QUOTE: usize = 1280 - 40 - 8;

/// `icmp6_send()`: reports a problem with the packet in `skb` (its network header is the
/// IPv6 header) to its sender, unless RFC 4443 §2.4 forbids it or the rate limit says no.
/// `d` is the device it arrived on.
pub(crate) fn send_error(
    skb: SkbRef<'_>,
    d: &RxDev<'_>,
    t: u8,
    code: u8,
    info: u32,
    force_saddr: Option<Ipv6Addr>,
) {
    let avail = skb.network_len();
    let qlen = avail.min(MAX_QUOTE);
    if qlen < HEADER_LEN_IP6 {
        return;
    }
    let Ok(mut quote) = KVec::from_elem(0u8, qlen, GFP_ATOMIC) else {
        return;
    };
    if skb.copy_network(&mut quote).is_err() {
        return;
    }
    let Some((src, dst)) = header_addrs(&quote) else {
        return;
    };
    let rcu = Rcu::read_lock();
    let addrs = crate::net::ifaddr::net_addrs(d.net, &rcu);
    let on_dev =
        |a: LocalAddr| a.addr == dst && (a.ifindex == d.ifindex() || !needs_interface(&dst));
    // Errors about packets to our anycast addresses come from them too.
    let mut saddr =
        (addrs.clone().any(on_dev) || anycast::chk_acast_addr_src(d, &dst)).then_some(dst);
    if dst.is_multicast() || skb.pkt_type() != pkt_type::HOST {
        let unrec_opt = t == kind::PARAMPROB
            && code == ParamProblemCode::UnknownOption as u8
            && quote.get(info as usize).is_some_and(|o| o & 0xc0 == 0x80);
        if t != kind::PKT_TOOBIG && !unrec_opt {
            return;
        }
        saddr = None;
    }
    // The source must identify a single node (RFC 4443 §2.4 (e)).
    if src.is_unspecified() || src.is_multicast() {
        return;
    }
    if is_ineligible(&quote) {
        return;
    }
    // Looped back through `lo`: the address's device, which local delivery recorded in
    // `IP6CB(skb)->iif` (mainline takes it from the route's `rt6i_idev`).
    let iif = if d.is_loopback() {
        match skb.iif() {
            0 => d.ifindex(),
            i => i,
        }
    } else {
        d.ifindex()
    };
    let Some((out, route)) = route_to(d, iif, &src) else {
        return;
    };
    if !out.icmp_rate_allow(&src, t, route.dst_len) {
        return;
    }
    let saddr = force_saddr.or(saddr);
    let saddr =
        match saddr.or_else(|| ip6_input::source_for(d.net, &src, d.ifindex(), addrs.clone())) {
            Some(s) => s,
            None => return,
        };
    let hop_limit = out.cnf().map_or(64, |c| c.hop_limit as u8);
    ip6_input::send_icmp(
        &out,
        &saddr,
        &src,
        route.gateway,
        route.mtu,
        hop_limit,
        0,
        8 + qlen,
        |buf| {
            buf[0] = t;
            buf[1] = code;
            buf[4..8].copy_from_slice(&info.to_be_bytes());
            buf[8..].copy_from_slice(&quote);
            Some(())
        },
    );
}

const HEADER_LEN_IP6: usize = crate::wire::ipv6::HEADER_LEN;

/// `is_ineligible()`: never answer an ICMPv6 error with one (RFC 4443 §2.4 (e.1)).
/// `pkt` is the start of the offending packet. As mainline's `ipv6_skip_exthdr()`, the
/// walk stops at a non-first fragment (what follows is data, so it is eligible), and a
/// first fragment too short to show the ICMPv6 type is eligible.
fn is_ineligible(pkt: &[u8]) -> bool {
    let mut chain = Chain::new(pkt[6], &pkt[HEADER_LEN_IP6..]);
    let mut fragmented = false;
    for h in chain.by_ref() {
        match h {
            Ok(h) => {
                if let Some(f) = h.fragment() {
                    if f.offset != 0 {
                        return false;
                    }
                    fragmented |= f.more;
                }
            }
            // Headers we cannot walk: mainline's ipv6_skip_exthdr() fails, and answers.
            Err(_) => return false,
        }
    }
    let (next, off) = chain.upper();
    if next != proto::ICMPV6 {
        return false;
    }
    match pkt.get(HEADER_LEN_IP6 + off) {
        None => !fragmented,
        Some(&t) => t & 0x80 == 0,
    }
}

/// The ICMPv6 error sender of built-in code (`icmpv6_send()`: tunnels, bridges,
/// reassembly timeouts), registered through [`crate::net::icmp::IcmpSender`].
pub(crate) struct Icmp6Send;

impl IcmpSend for Icmp6Send {
    fn send(skb: SkbRef<'_>, t: u8, code: u8, info: u32, force_saddr: Option<Ipv6Addr>) {
        send_for(skb, t, code, info, force_saddr);
    }
}

/// `icmpv6_send()`: reports a problem with `skb` (network header at its IPv6 header,
/// `skb->dev` the device it came in on or was to leave through) to its sender.
pub(crate) fn send_for(skb: SkbRef<'_>, t: u8, code: u8, info: u32, force: Option<Ipv6Addr>) {
    let rcu = Rcu::read_lock();
    if let Some(d) = skb.dev_rcu(&rcu) {
        if d.has_idev() {
            send_error(skb, &d, t, code, info, force);
        }
    }
}
