// SPDX-License-Identifier: GPL-2.0

//! IPv6 and IPv4 over IPv6 tunnels, ip6tnl (mainline `net/ipv6/ip6_tunnel.c`, RFC
//! 2473): the tunnel a received packet belongs to and its checks, decapsulation with
//! RFC 6040's ECN rules, and transmission (encapsulation limit, traffic class and flow
//! label, the outer route, path MTU toward the inner source). The device, its netlink
//! attributes and the fallback device `ip6tnl0` are the kernel layer's
//! (`net::tunnel`, `include/tunnel.c`); `ip6_tunnel.ko` turns them on.

#![forbid(unsafe_code)]

use crate::ipv6::{af_inet6, ip6_fib, ip6_input};
use crate::net::{
    device::RxDev,
    netlink::RtnlHeld,
    netns::Net,
    rcu::Rcu,
    skb::{reason, Skb, SkbRef},
    tunnel::{self, Ip6TnlHandlers, Parms, Stat, Table, Tunnel},
};
use crate::tunnel::{flags, EcnDecap, EncapError, Settings};
use crate::wire::icmpv6::kind as icmp6;
use crate::wire::ipv6::{header_addrs, Ipv6Header};
use core::net::Ipv6Addr;
use kernel::prelude::*;

use crate::wire::icmpv6::code::ADDR_UNREACH as ICMPV6_ADDR_UNREACH;
use crate::wire::ipv4::icmp::{
    DEST_UNREACH as ICMP_DEST_UNREACH, FRAG_NEEDED as ICMP_FRAG_NEEDED,
    HOST_UNREACH as ICMP_HOST_UNREACH,
};
use crate::wire::proto::{IPIP as IPPROTO_IPIP, IPV6 as IPPROTO_IPV6};

/// The handlers of ip6tnl devices.
pub(crate) struct Ip6Tnl;

/// `ip6_tnl_rcv_ctl()` and `ip6_tnl_xmit_ctl()`'s address checks: `local` is a usable
/// address of ours (or, receiving, a multicast group), and `remote` is not, unless the
/// tunnel allows a remote end on this node. `Err` names what is wrong, for the log.
fn addresses_ok(
    net: &Net,
    p: &Parms,
    local: &Ipv6Addr,
    remote: &Ipv6Addr,
    receiving: bool,
) -> Result<(), &'static str> {
    let ldev = (p.link != 0).then_some(p.link);
    if !(receiving && local.is_multicast()) && !ip6_input::chk_addr(net, local, ldev, false) {
        return Err("Local address not yet configured!");
    }
    if p.flags & flags::ALLOW_LOCAL_REMOTE == 0
        && !(!receiving && remote.is_multicast())
        && ip6_input::chk_addr(net, remote, ldev, true)
    {
        return Err("Routing loop! Remote address found on this node!");
    }
    Ok(())
}

/// Whether the tunnel may carry a packet between `local` and `remote` in this
/// direction (`cap`: `CAP_XMIT` or `CAP_RCV`): by its end points, or per packet.
fn capable(p: &Parms, local: &Ipv6Addr, remote: &Ipv6Addr, cap: u32) -> bool {
    p.flags & cap != 0
        || (p.flags & flags::CAP_PER_PACKET != 0
            && crate::tunnel::capabilities(local, remote, p.link) & cap != 0)
}

impl Ip6TnlHandlers for Ip6Tnl {
    fn table(net: &Net) -> &Table {
        &af_inet6::state(net).tunnels
    }

    fn link_config(t: &Tunnel, rtnl: RtnlHeld<'_>) {
        let p = t.parms();
        let caps = crate::tunnel::capabilities(&p.local, &p.remote, p.link);
        t.set_caps(rtnl, caps);
        let p2p = caps & flags::CAP_XMIT != 0 && caps & flags::CAP_RCV != 0;
        let mut lower = None;
        if caps & flags::CAP_XMIT != 0 {
            // rt6_lookup() toward the remote end, else the lower device itself.
            let net = t.link_net();
            let keys = ip6_fib::FlowKeys::default();
            let via = ip6_input::output_route(net, &p.remote, Some(p.local), p.link, false, keys)
                .ok()
                .map(|(ifindex, _)| ifindex)
                .or((p.link != 0).then_some(p.link));
            lower = via
                .and_then(|i| net.dev_rtnl(rtnl, i))
                .map(|d| (crate::tunnel::mtu_over(d.mtu(), p.flags), d.ll_headroom()));
        }
        t.config_dev(rtnl, p2p, lower);
    }

    fn xmit(mut skb: Skb, t: &Tunnel) {
        let Some(proto) = tunnel::payload(&skb) else {
            return tx_error(skb, t);
        };
        let p = t.parms();
        // An external (collect_md) tunnel's packets carry their own key.
        let key = if p.collect_md {
            match tunnel::tx_key(&skb) {
                Some(k) => Some(k),
                None => return tx_error(skb, t),
            }
        } else {
            None
        };
        let s = Settings {
            proto: p.proto,
            flags: p.flags,
            flowinfo: p.flowinfo,
            encap_limit: p.encap_limit,
            hop_limit: p.hop_limit,
        };
        let (e, inner_hop, inner_dst) = {
            let Some(inner) = skb.linear() else {
                return tx_error(skb, t);
            };
            let inner_dst = (proto == IPPROTO_IPV6)
                .then(|| header_addrs(inner))
                .flatten();
            // ip6_tnl_addr_conflict(): not back to where the packet came from.
            if proto == IPPROTO_IPV6 && inner.get(8..24) == Some(&p.remote.octets()[..]) {
                return tx_error(skb, t);
            }
            let hop = inner
                .get(if proto == IPPROTO_IPV6 { 7 } else { 8 })
                .copied();
            let e = match &key {
                Some(k) => crate::tunnel::encap_md(p.proto, proto, k.tos, k.label, k.ttl, inner),
                None => crate::tunnel::encap(&s, proto, inner),
            };
            (e, hop, inner_dst)
        };
        let e = match e {
            Ok(e) => e,
            Err(EncapError::LimitReached(off)) => {
                tunnel::icmp_to_inner(&skb, true, icmp6::PARAMPROB, 0, off as u32);
                return tx_error(skb, t);
            }
            Err(EncapError::Refused) => return tx_error(skb, t),
        };
        let net = t.link_net();
        let (local, remote) = if let Some(k) = &key {
            ((!k.src.is_unspecified()).then_some(k.src), k.dst)
        } else {
            // A tunnel without a remote end (NBMA) sends to the inner packet's next
            // hop: the gateway of its route through the tunnel (or its destination, on
            // the link), or for IPv4 inside the IPv6 gateway of its IPv4 route.
            let remote = if p.remote.is_unspecified() {
                let via = if proto == IPPROTO_IPV6 {
                    inner_dst.and_then(|(src, dst)| Self::nbma_next_hop(t, &src, &dst, skb.mark()))
                } else {
                    tunnel::v4_route_gw6(&skb)
                };
                let Some(via) = via else {
                    // tx_err_link_failure: the inner source hears its destination is
                    // unreachable.
                    t.count(Stat::TxCarrier);
                    link_failure(&skb, proto);
                    return tx_error(skb, t);
                };
                via
            } else {
                p.remote
            };
            if !Self::ctl(t, &p.local, &remote, false) {
                t.count(Stat::TxCarrier);
                link_failure(&skb, proto);
                return tx_error(skb, t);
            }
            (Some(p.local), remote)
        };
        let keys = ip6_fib::FlowKeys {
            mark: if key.is_some() {
                0
            } else if p.flags & flags::USE_ORIG_FWMARK != 0 {
                skb.mark()
            } else {
                p.fwmark
            },
            proto,
            tos: e.tclass,
            flowlabel: e.flowlabel,
            ..Default::default()
        };
        // The route, and for an external tunnel's key without a source, the source.
        let Ok(path) = ip6_input::route_output(net, &remote, p.link, false, local, keys) else {
            t.count(Stat::TxCarrier);
            link_failure(&skb, proto);
            return tx_error(skb, t);
        };
        let ifindex = path.ifindex;
        if ifindex == t.ifindex() {
            t.count(Stat::Collision);
            if crate::net::net_ratelimit() {
                pr_warn!("{}: Local routing loop detected!\n", t.name());
            }
            return tx_error(skb, t);
        }
        let hdrs = 40 + if e.encap_limit.is_some() { 8 } else { 0 };
        let floor = if proto == IPPROTO_IPV6 {
            crate::tunnel::IPV6_MIN_MTU
        } else {
            crate::tunnel::IPV4_MIN_MTU
        };
        let mtu = (ip6_input::path_mtu(net, &path).saturating_sub(hdrs)).max(floor);
        // The inner path learns what the tunnel leaves it, fitting or not, as
        // mainline's ip6_tnl_xmit() tells the packet's dst.
        t.update_inner_pmtu(&mut skb, mtu);
        let len = skb.len();
        // The tunnel offers no GSO, so every packet is whole here.
        if len > mtu as usize {
            // The inner source learns the tunnel's path MTU (mainline sends this even
            // to IPv4 packets without DF).
            if proto == IPPROTO_IPV6 {
                tunnel::icmp_to_inner(&skb, true, icmp6::PKT_TOOBIG, 0, mtu);
            } else {
                tunnel::icmp_to_inner(&skb, false, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, mtu);
            }
            return tx_error(skb, t);
        }
        let rcu = Rcu::read_lock();
        let Some(lower) = net.dev_rcu(ifindex, &rcu).filter(|d| d.has_idev()) else {
            t.count(Stat::TxCarrier);
            return tx_error(skb, t);
        };
        let hop_limit = match e.hop_limit {
            0 => inner_hop.unwrap_or(64),
            h => h,
        };
        if t.encap(&mut skb, &lower, &path.src, &remote, proto, hop_limit, &e)
            .is_err()
        {
            return tx_error(skb, t);
        }
        skb.set_dev(&lower);
        lower.ip6_inc(crate::net::mib::ip::OUTREQUESTS);
        ip6_input::output(skb, &lower, &path.gateway.unwrap_or(remote), path.mtu);
        t.tx_done(len);
    }

    fn rcv(mut skb: Skb, proto: u8, dev: &RxDev<'_>) -> Result<(), Skb> {
        let outer = skb.borrow().network_header();
        let Ok((h, _)) = Ipv6Header::parse(&outer) else {
            return Err(skb);
        };
        let (src, dst, outer_ds) = (h.src(), h.dst(), h.traffic_class());
        let net = dev.net;
        let inner_ds = match skb.head(2) {
            Some(h) if proto == IPPROTO_IPIP => h[1],
            Some(h) => ((u16::from_be_bytes([h[0], h[1]]) >> 4) & 0xff) as u8,
            None => 0,
        };
        let mut skb = Some(skb);
        let found = Self::table(net).lookup(dev.ifindex(), &src, &dst, |t| {
            let Some(skb) = skb.take() else {
                return;
            };
            let p = t.parms();
            // ip6_tnl_rcv_ctl(); no IPsec policy to check (no XFRM datapath yet).
            if (p.proto != proto && p.proto != 0)
                || !capable(&p, &dst, &src, flags::CAP_RCV)
                || addresses_ok(net, &p, &dst, &src, true).is_err()
            {
                return skb.drop_reason(reason::NOT_SPECIFIED);
            }
            match crate::tunnel::ecn_decapsulate(outer_ds, inner_ds) {
                EcnDecap::Drop => {
                    t.count(Stat::RxFrame);
                    skb.drop_reason(reason::NOT_SPECIFIED);
                }
                ecn => t.deliver(
                    skb,
                    proto,
                    ecn == EcnDecap::SetCe,
                    p.flags & flags::RCV_DSCP_COPY != 0,
                ),
            }
        });
        match (found, skb) {
            // No tunnel of ours: the next handler's.
            (None, Some(skb)) => Err(skb),
            (_, Some(skb)) => {
                skb.drop_reason(reason::NOT_SPECIFIED);
                Ok(())
            }
            (_, None) => Ok(()),
        }
    }

    fn ctl(t: &Tunnel, local: &Ipv6Addr, remote: &Ipv6Addr, receiving: bool) -> bool {
        let p = t.parms();
        // An external tunnel's packets carry their own end points.
        if !receiving && p.collect_md {
            return true;
        }
        let cap = if receiving {
            flags::CAP_RCV
        } else {
            flags::CAP_XMIT
        };
        if !capable(&p, local, remote, cap) {
            return false;
        }
        match addresses_ok(t.link_net(), &p, local, remote, receiving) {
            Ok(()) => true,
            Err(why) => {
                if !receiving && crate::net::net_ratelimit() {
                    pr_warn!("{} xmit: {}\n", t.name(), why);
                }
                false
            }
        }
    }

    fn nbma_next_hop(t: &Tunnel, src: &Ipv6Addr, dst: &Ipv6Addr, mark: u32) -> Option<Ipv6Addr> {
        let keys = ip6_fib::FlowKeys {
            mark,
            ..Default::default()
        };
        ip6_input::output_route(t.dev_net(), dst, Some(*src), t.ifindex(), true, keys)
            .ok()
            .map(|(_, r)| r.gateway.unwrap_or(*dst))
    }

    fn inner_pmtu(t: &Tunnel, src: &Ipv6Addr, dst: &Ipv6Addr, mark: u32, mtu: u32) {
        let net = t.dev_net();
        // Nothing to learn while the tunnel device's IPv6 MTU is the limit (the C side
        // already passed over packets within its MTU).
        if ip6_input::dev_mtu6(net, t.ifindex()).is_some_and(|m| mtu >= m) {
            return;
        }
        let keys = ip6_fib::FlowKeys {
            mark,
            ..Default::default()
        };
        let Ok(path) = ip6_input::route_output(net, dst, 0, false, Some(*src), keys) else {
            return;
        };
        if path.ifindex == t.ifindex() && mtu < ip6_input::path_mtu(net, &path) {
            crate::ipv6::pmtu::update(net, dst, src, t.ifindex(), keys, mtu);
        }
    }

    fn err(skb: SkbRef<'_>, proto: u8, t: u8, code: u8, offset: usize, info: u32) -> bool {
        // ip6_tnl_err(): is the quoted packet (ours, outer) a tunnel's?
        let q = skb.data();
        let Some((src, dst)) = header_addrs(q) else {
            return false;
        };
        let rcu = Rcu::read_lock();
        let Some(d) = skb.dev_rcu(&rcu) else {
            return false;
        };
        let net = d.net;
        let tproto = Self::table(net).lookup(d.ifindex(), &dst, &src, |t| t.parms().proto);
        if !tproto.is_some_and(|p| p == proto || p == 0) {
            return false;
        }
        if t == icmp6::PKT_TOOBIG {
            // ip6_update_pmtu() for the outer path.
            crate::ipv6::pmtu::update(net, &dst, &src, 0, ip6_fib::FlowKeys::default(), info);
        }
        if t == icmp6::REDIRECT {
            // ip6_redirect() for the outer path, through the device it came in on.
            let keys = ip6_fib::FlowKeys::default();
            crate::ipv6::ndisc::sk_redirect(skb, d.ifindex(), keys, &src, &dst);
        }
        // The inner source hears of it.
        if let Some((rt, rc, ri)) = crate::tunnel::relay_error(t, code, info, offset, q) {
            if proto == IPPROTO_IPIP {
                if let Some((t4, c4)) = crate::tunnel::relay_error_v4(rt, rc) {
                    tunnel::relay_icmp4(skb, offset, t4, c4, ri);
                }
            } else if let Some((inner_src, _)) = q.get(offset..).and_then(header_addrs) {
                // The route back to it gives the device it is "received" on (mainline's
                // rt6_lookup()); our own address is reached through lo.
                let back = ip6_input::output_route(
                    net,
                    &inner_src,
                    None,
                    0,
                    false,
                    ip6_fib::FlowKeys::default(),
                )
                .map_or(0, |(ifindex, _)| ifindex);
                tunnel::relay_icmp6(skb, offset, rt, rc, ri, back);
            }
        }
        true
    }
}

/// `dst_link_failure()`: the inner source hears that its destination is unreachable
/// (ICMPv6 address unreachable, or ICMP host unreachable for IPv4 inside); sit's too.
pub(crate) fn link_failure(skb: &Skb, proto: u8) {
    if proto == IPPROTO_IPV6 {
        tunnel::icmp_to_inner(skb, true, icmp6::DEST_UNREACH, ICMPV6_ADDR_UNREACH, 0);
    } else {
        tunnel::icmp_to_inner(skb, false, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
    }
}

/// `tx_err`: counted on the tunnel, dropped.
fn tx_error(skb: Skb, t: &Tunnel) {
    t.count(Stat::TxError);
    skb.drop_reason(reason::NOT_SPECIFIED);
}
