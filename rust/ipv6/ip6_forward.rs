// SPDX-License-Identifier: GPL-2.0

//! Routing input and forwarding (mainline `ip6_route_input()` in `net/ipv6/route.c`,
//! `ip6_forward()` in `net/ipv6/ip6_output.c`): a received packet that is not addressed
//! to us is looked up (through the policy rules, by arrival interface, source, mark and
//! flow) and forwarded if this node is a router, or dropped and answered as mainline
//! does. The decisions are [`crate::forward`]'s.

#![forbid(unsafe_code)]

use crate::errno;
use crate::net::skb::{pkt_type, reason, Skb};
use crate::net::{device::RxDev, mib::ip as ip_mib};

use crate::ipv6::{
    icmp,
    ip6_fib::{self, Flow, FlowKeys, Found},
    ip6_input::need_strict,
};
use crate::net::time;
use crate::{
    fib::{rtn, Route},
    forward::{
        forward, forward_mtu, proxy_check, reject, Counter, InputRoute, Packet, ProxyCheck, Verdict,
    },
    ndisc::{forward_proxied, ProxyConf, TargetRoute},
    wire::{
        self,
        ipv6::{Ipv6Header, HEADER_LEN},
    },
};
use core::net::Ipv6Addr;

/// What the receive path learnt of a packet not addressed to us.
pub(crate) struct Input {
    pub(crate) src: Ipv6Addr,
    pub(crate) dst: Ipv6Addr,
    pub(crate) hop_limit: u8,
    /// The first next header.
    pub(crate) next: u8,
    pub(crate) pkt_type: u8,
}

/// The flow policy rules see: mark, traffic class, protocol and ports (mainline
/// dissects these only when a rule needs them; the result is the same).
fn keys(skb: &mut Skb, next: u8) -> FlowKeys {
    let mark = skb.mark();
    let (mut tos, mut flowlabel, mut ports) = (0, 0, None);
    if let Some(Ok((h, rest))) = skb.head(HEADER_LEN + 4).map(Ipv6Header::parse) {
        (tos, flowlabel, ports) = (h.traffic_class(), h.flow_label(), wire::ports(next, rest));
    } else if let Some(Ok((h, _))) = skb.head(HEADER_LEN).map(Ipv6Header::parse) {
        tos = h.traffic_class();
    }
    let (sport, dport) = ports.unwrap_or((0, 0));
    FlowKeys {
        mark,
        uid: 0,
        proto: next,
        tos,
        sport,
        dport,
        flowlabel,
    }
}

/// Routing input for a packet that is not ours; consumes it.
pub(crate) fn route_input(mut skb: Skb, d: &RxDev<'_>, p: &Input) -> Result<(), ()> {
    let flow = input_flow(&mut skb, d, p);
    let found = ip6_fib::lookup(d.net, &flow);
    route_input_found(skb, d, p, found)
}

/// Whether policy rules send a packet for one of our addresses to its `local` route,
/// as mainline's input route lookup does before local delivery; a rule ahead of the
/// local table (`ip -6 rule add from X prohibit` with the local rule moved back) can
/// send it elsewhere. Without custom rules the local table answers first, always.
/// If not, the packet comes back to be routed as that lookup says.
pub(crate) fn input_is_local(skb: Skb, d: &RxDev<'_>, p: &Input) -> Result<Skb, Result<(), ()>> {
    if !crate::ipv6::fib6_rules::has_custom_rules(d.net) {
        return Ok(skb);
    }
    let mut skb = skb;
    let flow = input_flow(&mut skb, d, p);
    match ip6_fib::lookup(d.net, &flow) {
        Ok(f) if f.route.kind == rtn::LOCAL || f.route.kind == rtn::ANYCAST => Ok(skb),
        found => Err(route_input_found(skb, d, p, found)),
    }
}

/// The flow of the input route lookup (`ip6_route_input()`).
fn input_flow(skb: &mut Skb, d: &RxDev<'_>, p: &Input) -> Flow {
    Flow {
        dst: p.dst,
        src: (!p.src.is_unspecified()).then_some(p.src),
        oif: 0,
        iif: d.ifindex(),
        input: true,
        strict: need_strict(&p.dst),
        keys: keys(skb, p.next),
    }
}

/// [`route_input`] with the input lookup's answer.
fn route_input_found(
    mut skb: Skb,
    d: &RxDev<'_>,
    p: &Input,
    found: Result<Found, i32>,
) -> Result<(), ()> {
    let (kind, found) = match found {
        Ok(f) => {
            let k = match f.route.kind {
                rtn::UNICAST => InputRoute::Unicast,
                rtn::PROHIBIT => InputRoute::Prohibit,
                rtn::BLACKHOLE => InputRoute::Blackhole,
                _ => InputRoute::Unreachable,
            };
            (k, Some(f))
        }
        Err(e) if e == errno::EACCES => (InputRoute::Prohibit, None),
        Err(e) if e == errno::EINVAL => (InputRoute::Blackhole, None),
        Err(_) => (InputRoute::Unreachable, None),
    };
    if let Some(v) = reject(kind, &p.dst) {
        return finish(skb, d, None, v);
    }
    let Some(found) = found else {
        skb.drop_reason(reason::NOT_SPECIFIED);
        return Err(());
    };
    let out_ifindex = found.route.ifindex;
    let Some(o) = d.by_index(out_ifindex) else {
        d.ip6_inc(ip_mib::INNOROUTES);
        skb.drop_reason(reason::IP_INNOROUTES);
        return Err(());
    };
    let mtu = forward_mtu(o.cnf().map_or(0, |c| c.mtu6.max(0) as u32));
    let proxy = proxy_of(&mut skb, d, p, &found.route);
    let pkt = Packet {
        forwarding: d.net.forwarding(),
        to_host: p.pkt_type == pkt_type::HOST,
        hop_limit: p.hop_limit,
        src: p.src,
        dst: p.dst,
        same_link: out_ifindex == d.ifindex(),
        mtu,
        too_big: skb.too_big(mtu),
        proxy,
    };
    match forward(&pkt) {
        Verdict::Forward { redirect } => {
            let nexthop = found.route.gateway.unwrap_or(p.dst);
            // Out the way it came: the sender hears of the better first hop (RFC 4861
            // §8.2), at most about once a second per destination; the packet goes on.
            if redirect && d.net.peer_allow(&p.dst, time::hz()) {
                let len = skb.len();
                let head = len.min(crate::conf::IPV6_MIN_MTU as usize);
                if let Some(pkt) = skb.head(head) {
                    crate::ipv6::ndisc::send_redirect(&o, pkt, len, (p.src, p.dst), &nexthop);
                }
            }
            o.ip6_inc(ip_mib::OUTFORWDATAGRAMS);
            if skb.forward_prepare(&o).is_err() {
                o.ip6_inc(ip_mib::OUTDISCARDS);
                skb.drop_reason(reason::NOMEM);
                return Err(());
            }
            if crate::ipv6::ip6_input::neigh_xmit(skb, &o, &nexthop) {
                Ok(())
            } else {
                Err(())
            }
        }
        // Proxying is not forwarding: local input, hop limit as received.
        Verdict::LocalInput => crate::ipv6::ip6_input::proxied_input(skb, d, p),
        v => finish(skb, d, Some(&o), v),
    }
}

/// How far into a packet to a proxied address [`proxy_check`] looks for its ICMPv6
/// type, past extension headers.
const PROXY_CHECK_LEN: usize = 4096;

/// `ip6_forward()`'s proxy NDP part: whether the destination is proxied on the arrival
/// device ([`forward_proxied`]: a proxy entry, or our `proxy_ndp` 2 with `route`), and
/// then what `ip6_forward_proxy_check()` says of the packet.
fn proxy_of(skb: &mut Skb, d: &RxDev<'_>, p: &Input, route: &Route) -> ProxyCheck {
    let Some(cnf) = d.cnf() else {
        return ProxyCheck::Forward;
    };
    let conf = ProxyConf {
        forwarding: cnf.forwarding != 0,
        all_proxy_ndp: d.net.proxy_ndp(),
        dev_proxy_ndp: cnf.proxy_ndp,
    };
    let r = TargetRoute {
        unicast: route.kind == rtn::UNICAST,
        prefix_len: route.dst_len,
        out_ifindex: route.ifindex,
    };
    if !forward_proxied(
        &conf,
        &p.dst,
        d.ifindex(),
        || d.proxy_entry(&p.dst).is_some(),
        r,
    ) {
        return ProxyCheck::Forward;
    }
    let n = skb.len().min(HEADER_LEN + PROXY_CHECK_LEN);
    match skb.head(n) {
        Some(h) => proxy_check(p.next, h.get(HEADER_LEN..).unwrap_or(&[]), &p.dst),
        None => ProxyCheck::Forward,
    }
}

/// Counts, answers and drops a packet the routing input refused.
fn finish(skb: Skb, d: &RxDev<'_>, out: Option<&RxDev<'_>>, v: Verdict) -> Result<(), ()> {
    let Verdict::Drop {
        counter,
        icmp: answer,
    } = v
    else {
        skb.drop_reason(reason::NOT_SPECIFIED);
        return Err(());
    };
    let why = match counter {
        Counter::InAddrErrors => {
            d.ip6_inc(ip_mib::INADDRERRORS);
            reason::IP_INADDRERRORS
        }
        Counter::InNoRoutes => {
            d.ip6_inc(ip_mib::INNOROUTES);
            reason::IP_INNOROUTES
        }
        Counter::InHdrErrors => {
            d.ip6_inc(ip_mib::INHDRERRORS);
            reason::IP_INHDR
        }
        Counter::TooBig => {
            d.ip6_inc(ip_mib::INTOOBIGERRORS);
            if let Some(o) = out {
                // Mainline counts the packet as forwarded before it checks the MTU.
                o.ip6_inc(ip_mib::OUTFORWDATAGRAMS);
                o.ip6_inc(ip_mib::FRAGFAILS);
            }
            reason::PKT_TOO_BIG
        }
        Counter::InDiscards => {
            d.ip6_inc(ip_mib::INDISCARDS);
            reason::NOT_SPECIFIED
        }
        Counter::None => reason::NOT_SPECIFIED,
    };
    if let Some((t, code, info)) = answer {
        // The answer's source is what the route back to the sender chooses.
        icmp::send_error(skb.borrow(), d, t, code, info, None);
    }
    skb.drop_reason(why);
    Err(())
}
