// SPDX-License-Identifier: GPL-2.0

//! IPv6 (and IPv4) over IPv4 tunnels, sit (mainline `net/ipv6/sit.c`): configured
//! tunnels (RFC 4213), automatic tunnels to IPv4-compatible next hops, 6to4 and 6rd
//! (RFC 3056, RFC 5969), ISATAP (RFC 5214). Transmission picks the outer destination
//! and checks the outer path MTU; reception finds the tunnel, refuses spoofed sources
//! and decapsulates with RFC 6040's ECN rules; ICMP errors about outer packets lower
//! the outer path MTU, follow redirects or reach the inner source as ICMPv6. The
//! device, its netlink attributes, ioctls and `sit0` are the kernel layer's
//! (`net::sit`, `include/sit.c`); `sit.ko` turns them on.

#![forbid(unsafe_code)]

use crate::ipv6::{af_inet6, icmp, ip6_fib, ip6_input, ip6_tunnel};
use crate::net::{
    device::RxDev,
    ifaddr::walk_addrs,
    netns::Net,
    rcu::Rcu,
    sit::{self as dev, SitHandlers, SitTunnel},
    skb::{reason, Skb, SkbRef},
    tunnel::{self, Stat, Table},
};
use crate::sit::{self, Endpoints, ErrAction, RcvCheck, Spoofed};
use crate::tunnel::EcnDecap;
use crate::wire::icmpv6::kind as icmp6;
use crate::wire::ipv4::{Ipv4Header, DF};
use crate::wire::ipv6::{header_addrs, Ipv6Header};
use core::net::{Ipv4Addr, Ipv6Addr};
use kernel::prelude::*;

use crate::wire::icmpv6::code::{
    ADDR_UNREACH as ICMPV6_ADDR_UNREACH, EXC_HOPLIMIT as ICMPV6_EXC_HOPLIMIT,
};
use crate::wire::ipv4::icmp::{DEST_UNREACH as ICMP_DEST_UNREACH, FRAG_NEEDED as ICMP_FRAG_NEEDED};
use crate::wire::proto::{IPIP as IPPROTO_IPIP, IPV6 as IPPROTO_IPV6};

/// The handlers of sit devices.
pub(crate) struct Sit;

impl SitHandlers for Sit {
    fn table(net: &Net) -> &Table<Endpoints> {
        &af_inet6::state(net).sit_tunnels
    }

    fn xmit(skb: Skb, t: &SitTunnel) {
        match tunnel::payload(&skb) {
            Some(IPPROTO_IPV6) => xmit6(skb, t),
            Some(IPPROTO_IPIP) => xmit4(skb, t),
            _ => tx_error(skb, t),
        }
    }

    fn rcv(mut skb: Skb, proto: u8, dev: &RxDev<'_>) -> Result<(), Skb> {
        let outer = skb.borrow().network_header();
        let Some((h, _)) = Ipv4Header::parse(&outer) else {
            return Err(skb);
        };
        let (src, dst, tos) = (h.src(), h.dst(), h.tos());
        let inner = match proto {
            IPPROTO_IPV6 => skb
                .head(40)
                .and_then(|b| Ipv6Header::parse(b).ok())
                .map(|(i, _)| (i.src(), i.dst(), i.traffic_class())),
            _ => skb
                .head(20)
                .and_then(Ipv4Header::parse)
                .map(|(i, _)| (Ipv6Addr::UNSPECIFIED, Ipv6Addr::UNSPECIFIED, i.tos())),
        };
        let sif = dev::sifindex(skb.borrow());
        let net = dev.net;
        let rcu = Rcu::read_lock();
        let mut skb = Some(skb);
        let found = Self::table(net).lookup_sit(src, dst, dev.ifindex(), sif, |t| {
            let Some(skb) = skb.take() else {
                return;
            };
            let p = t.parms();
            let Some((inner_src, inner_dst, inner_ds)) = inner else {
                return skb.drop_reason(reason::NOT_SPECIFIED);
            };
            if p.proto != proto && p.proto != 0 {
                return skb.drop_reason(reason::NOT_SPECIFIED);
            }
            let mut nodetype = 0;
            if proto == IPPROTO_IPV6 {
                let isatap = t.is_isatap();
                let chk = RcvCheck {
                    isatap,
                    p2p: t.is_p2p(),
                    ip6rd: &p.ip6rd,
                    prl: if isatap { t.prl_flags(src, &rcu) } else { None },
                };
                // ipv6_chk_prefix(), ipv6_chk_custom_prefix(): on the tunnel's own
                // addresses, in the namespace the device is in; looked at only for
                // the packets whose check needs them.
                let on_prefix = |a: &Ipv6Addr, len: Option<u8>| {
                    t.dev_net().dev_rcu(t.ifindex(), &rcu).is_some_and(|d| {
                        walk_addrs(d.net, Some(&d), |v| {
                            let plen = len.unwrap_or(v.local.prefix_len);
                            crate::route::in_prefix(a, &v.local.addr, plen)
                        })
                    })
                };
                match sit::check_source(
                    &chk,
                    src,
                    dst,
                    &inner_src,
                    &inner_dst,
                    |a| on_prefix(a, None),
                    |a, len| on_prefix(a, Some(len)),
                ) {
                    Ok(n) => nodetype = n.unwrap_or(0),
                    Err(why) => {
                        if why != Spoofed::Isatap && crate::net::net_ratelimit() {
                            let what = if why == Spoofed::Src { "Src" } else { "Dst" };
                            pr_warn!(
                                "{} spoofed {}/{} -> {}/{}\n",
                                what,
                                src,
                                inner_src,
                                dst,
                                inner_dst
                            );
                        }
                        t.count(Stat::RxErrors);
                        return skb.drop_reason(reason::NOT_SPECIFIED);
                    }
                }
            }
            let ecn = crate::tunnel::ecn_decapsulate(tos, inner_ds);
            if matches!(ecn, EcnDecap::Log | EcnDecap::Drop) && crate::net::net_ratelimit() {
                pr_info!("non-ECT from {} with TOS={:#x}\n", src, tos);
            }
            if ecn == EcnDecap::Drop {
                t.count(Stat::RxFrame);
                return skb.drop_reason(reason::NOT_SPECIFIED);
            }
            t.deliver(skb, proto == IPPROTO_IPIP, ecn == EcnDecap::SetCe, nodetype);
        });
        match (found, skb) {
            // No tunnel of ours: the next handler's (IPsec's, say).
            (None, Some(skb)) => Err(skb),
            (_, Some(skb)) => {
                skb.drop_reason(reason::NOT_SPECIFIED);
                Ok(())
            }
            (_, None) => Ok(()),
        }
    }

    fn err(skb: SkbRef<'_>, info: u32) -> bool {
        // ipip6_err().
        let (t, code, length) = dev::icmp4_hdr(skb);
        let action = sit::err_action(t, code, length);
        if action == ErrAction::Ignore {
            return true;
        }
        let Some((q, _)) = Ipv4Header::parse(skb.data()) else {
            return false;
        };
        let rcu = Rcu::read_lock();
        let Some(d) = skb.dev_rcu(&rcu) else {
            return false;
        };
        let sif = dev::sifindex(skb);
        let Some(link) =
            Self::table(d.net).lookup_sit(q.dst(), q.src(), d.ifindex(), sif, |t| t.parms().link)
        else {
            return false;
        };
        match action {
            ErrAction::UpdatePmtu => dev::outer_icmp(skb, info, link, false),
            ErrAction::Redirect => dev::outer_icmp(skb, info, link, true),
            // ip6_err_gen_icmpv6_unreach(), for IPv6 inside (mainline also tries it on
            // the IPv4 packets of ipip mode, reading them as IPv6).
            ErrAction::Relay {
                time_exceeded,
                data_len,
            } if d.has_idev() && q.protocol() == IPPROTO_IPV6 => {
                relay(skb, d.net, q.header_len(), time_exceeded, data_len, &rcu)
            }
            _ => (),
        }
        true
    }
}

/// `ip6_err_gen_icmpv6_unreach()`: the inner IPv6 packet's source hears, as ICMPv6
/// from the IPv4-mapped address of the router that sent the ICMP error, that its
/// destination is unreachable (or its hop limit ran out).
fn relay(skb: SkbRef<'_>, net: &Net, nhs: usize, time_exceeded: bool, data_len: u32, rcu: &Rcu) {
    let sender = Ipv4Header::parse(&skb.network_header()).map(|(h, _)| h.src());
    let Some((mut c, len)) = dev::err_clone(skb, nhs, data_len) else {
        return;
    };
    let Some((inner_src, _)) = header_addrs(&c.borrow().network_header()) else {
        return c.drop_reason(reason::NOT_SPECIFIED);
    };
    let back = ip6_input::output_route(
        net,
        &inner_src,
        None,
        0,
        false,
        ip6_fib::FlowKeys::default(),
    )
    .map_or(0, |(ifindex, _)| ifindex);
    if let Some(d) = net.dev_rcu(back, rcu) {
        c.set_dev(&d);
    }
    let force = sender.map(|s| s.to_ipv6_mapped());
    let info = if len != 0 { (len / 8) << 24 } else { 0 };
    let (t, code) = if time_exceeded {
        (icmp6::TIME_EXCEED, ICMPV6_EXC_HOPLIMIT)
    } else {
        (icmp6::DEST_UNREACH, ICMPV6_ADDR_UNREACH)
    };
    icmp::send_for(c.borrow(), t, code, info, force);
    c.consume();
}

/// `ipip6_tunnel_xmit()`: an IPv6 packet into the tunnel.
fn xmit6(mut skb: Skb, t: &SitTunnel) {
    let Some((inner_src, inner_dst, inner_ds, inner_hop)) = skb
        .linear()
        .and_then(|b| Ipv6Header::parse(b).ok())
        .map(|(h, _)| (h.src(), h.dst(), h.traffic_class(), h.hop_limit()))
    else {
        return tx_error(skb, t);
    };
    let p = t.parms();
    let tos = if p.tos == sit::TOS_INHERIT {
        inner_ds
    } else {
        p.tos
    };
    // The next hop, as mainline's neighbour of the inner route: the route's gateway,
    // or the destination itself on the link.
    let mark = skb.mark();
    let nexthop = || {
        let keys = ip6_fib::FlowKeys {
            mark,
            ..Default::default()
        };
        ip6_input::output_route(
            t.dev_net(),
            &inner_dst,
            Some(inner_src),
            t.ifindex(),
            true,
            keys,
        )
        .ok()
        .map(|(_, r)| r.gateway.unwrap_or(inner_dst))
    };
    let Some(dst) = sit::xmit_dst(p.remote, t.is_isatap(), &p.ip6rd, &inner_dst, nexthop) else {
        return tx_error(skb, t);
    };
    let Some((rt, src)) = t.route(dst, tos, IPPROTO_IPV6) else {
        ip6_tunnel::link_failure(&skb, IPPROTO_IPV6);
        return tx_error(skb, t);
    };
    if rt.ifindex() == t.ifindex() {
        t.count(Stat::Collision);
        return tx_error(skb, t);
    }
    let mut df = p.df;
    if df {
        let Some((mtu, keep_df)) = sit::inner_mtu(rt.mtu(), sit::OUTER_HEADER) else {
            t.count(Stat::Collision);
            return tx_error(skb, t);
        };
        df = keep_df;
        // The tunnel offers no GSO, so every packet is whole here.
        if skb.len() > mtu as usize {
            tunnel::icmp_to_inner(&skb, true, icmp6::PKT_TOOBIG, 0, mtu);
            return tx_error(skb, t);
        }
    }
    let ttl = if p.ttl == 0 { inner_hop } else { p.ttl };
    let tos = sit::outer_tos(p.tos, inner_ds);
    t.xmit(skb, rt, src, dst, IPPROTO_IPV6, tos, ttl, df);
}

/// `ip_tunnel_xmit()` for an IPv4 packet into the tunnel (`ipip` and `any` modes): to
/// the remote end, or to the IPv4 next hop of a tunnel without one.
fn xmit4(mut skb: Skb, t: &SitTunnel) {
    let Some((inner_dst, inner_tos, inner_ttl, inner_df)) = skb
        .linear()
        .and_then(Ipv4Header::parse)
        .map(|(h, _)| (h.dst(), h.tos(), h.ttl(), h.frag_off() & DF != 0))
    else {
        return tx_error(skb, t);
    };
    let p = t.parms();
    let dst = if p.remote.is_unspecified() {
        dev::v4_nexthop(&skb, inner_dst).unwrap_or(Ipv4Addr::UNSPECIFIED)
    } else {
        p.remote
    };
    if dst.is_unspecified() {
        return tx_error(skb, t);
    }
    let tos = if p.tos == sit::TOS_INHERIT {
        inner_tos
    } else {
        p.tos
    };
    let Some((rt, src)) = t.route(dst, tos, IPPROTO_IPIP) else {
        ip6_tunnel::link_failure(&skb, IPPROTO_IPIP);
        return tx_error(skb, t);
    };
    if rt.ifindex() == t.ifindex() {
        t.count(Stat::Collision);
        return tx_error(skb, t);
    }
    let df = p.df || inner_df;
    let mtu = rt
        .mtu()
        .saturating_sub(sit::OUTER_HEADER)
        .max(sit::IPV4_MIN_MTU);
    if inner_df && skb.len() > mtu as usize {
        tunnel::icmp_to_inner(&skb, false, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, mtu);
        return tx_error(skb, t);
    }
    let ttl = if p.ttl == 0 { inner_ttl } else { p.ttl };
    let tos = crate::tunnel::ecn_encapsulate(tos, inner_tos);
    t.xmit(skb, rt, src, dst, IPPROTO_IPIP, tos, ttl, df);
}

/// `tx_error`: counted on the tunnel, dropped.
fn tx_error(skb: Skb, t: &SitTunnel) {
    t.count(Stat::TxErrors);
    skb.drop_reason(reason::NOT_SPECIFIED);
}
