// SPDX-License-Identifier: GPL-2.0

//! Neighbour discovery (mainline `net/ipv6/ndisc.c`): the kernel's neighbour table
//! for AF_INET6 (so `ip -6 neigh` and every neighbour user work as with mainline's
//! `nd_tbl`), the neighbour operations that solicit, the receive and send paths of
//! neighbour solicitations and advertisements, and router discovery: router
//! solicitations sent and received, router advertisements carried out (default
//! routers, link parameters, prefixes, routes, MTU). Decisions come from
//! [`crate::ndisc`].
//!
//! Router advertisements change addresses and routes, which this module does under
//! RTNL: the receive path checks them and queues them ([`RaWork`]); a work carries
//! each out in order, in process context.

#![forbid(unsafe_code)]

use crate::net::device::RxDev;
use crate::net::ifaddr::{walk_addrs, IfAddrRef};
use crate::net::neigh::{NdOps, Neigh, NeighRef};
use crate::net::netlink::{self, MsgSize, NotifySkb};
use crate::net::rd::{RouterDiscovery, RsTimer};
use crate::net::uapi;
use crate::net::KernelRandom;
use crate::net::{
    device::NetDevice,
    inet6_dev::{Inet6Dev, RaConf},
    rcu::Rcu,
    skb::{reason, DropReason, Skb, SkbRef},
};

use crate::ipv6::{
    addrconf,
    ip6_fib::{self, Flow, FlowKeys},
    ip6_input::{self, Header},
    route,
};
use crate::{
    addrconf::ifa_flags,
    errno,
    fib::{rtf, rtn},
    ndisc::{
        accept_ra, accept_untracked, default_router_action, default_router_applies,
        default_router_pref, na_action, na_from_own_proxy, ns_action, nud, prefix_listens, proxied,
        ra_hop_limit, ra_mtu_valid, ra_reachable_time, ra_retrans_time, redirect_action,
        route_info_applies, rs, update, NaAction, NsAction, ProxyConf, RxContext, Target,
        TargetRoute,
    },
    pmtu::Redirect,
    sit::nodetype,
    wire::{
        icmpv6::kind,
        ipv6::header_addrs,
        ndisc::{
            emit_na, emit_ns, emit_redirect, emit_rs, lladdr, lladdr_opt_space, na_flag, opt,
            ra_flag, redirect_hdr_len, solicited_node, NdDrop, NdMsg, NdOptions, RaMsg,
            RedirectMsg, RouteInfo, ND_MSG_LEN, RD_MSG_LEN, RS_MSG_LEN,
        },
        netlink::{align, NLA_HDRLEN},
    },
};
use core::net::Ipv6Addr;
use kernel::prelude::*;

/// Neighbour discovery's side of the neighbour table: how an entry is probed and what a
/// failed resolution tells the sender.
pub(crate) struct Nd;

impl NdOps for Nd {
    /// `ndisc_solicit()`: probe the neighbour, by unicast while unicast probes remain,
    /// then through the application, then by multicast.
    fn solicit(d: &RxDev<'_>, n: &NeighRef<'_>, trigger_src: Option<Ipv6Addr>) {
        let target = n.key();
        // Prefer the source of the packet that triggered resolution, if it is ours.
        let saddr = trigger_src.filter(|s| usable_on(d, s));
        let (probes, ucast, app) = n.probes();
        if probes < ucast {
            send_ns(d, &target, &target, saddr, 0);
        } else if probes - ucast < app {
            n.app_ns();
        } else {
            send_ns(d, &target, &solicited_node(&target), saddr, 0);
        }
    }

    /// `ndisc_error_report()`. As mainline (RFC 4861 §7.2.2: "the sender MUST return
    /// an ICMP destination unreachable"), the packet's sender hears of it: an ICMPv6
    /// address unreachable, which for our own packets loops back to the socket that
    /// sent them.
    fn error_report(skb: Skb) {
        crate::ipv6::icmp::send_for(skb.borrow(), kind::DEST_UNREACH, ADDR_UNREACH, 0, None);
        skb.drop_reason(reason::NEIGH_FAILED);
    }

    /// `pndisc_constructor()`: the device hears the proxied address's solicited-node
    /// group; no IPv6 on it, no proxy entry.
    fn proxy_add(dev: &NetDevice, key: &Ipv6Addr) -> Result {
        if Inet6Dev::of(dev).is_none() {
            return Err(EINVAL);
        }
        crate::ipv6::mcast::change(dev, &solicited_node(key), true);
        Ok(())
    }

    /// `pndisc_destructor()`.
    fn proxy_del(dev: &NetDevice, key: &Ipv6Addr) {
        if Inet6Dev::of(dev).is_some() {
            crate::ipv6::mcast::change(dev, &solicited_node(key), false);
        }
    }

    /// `pndisc_redo()`: a delayed solicitation for a proxied target, decided again.
    fn proxy_redo(d: &RxDev<'_>, mut skb: Skb) {
        let mut hdr = Header::of(&skb);
        // The neighbour core's control block has overwritten IP6CB().
        hdr.iif = d.ifindex();
        let mac = skb.mac_src();
        let mut delay = false;
        let r = skb.with_linear(|_, msg| match msg {
            Some(msg) => recv_ns(mac, d, &hdr, msg, true, &mut delay),
            None => Err(reason::NOMEM),
        });
        match r {
            Ok(()) => skb.consume(),
            Err(why) => skb.drop_reason(why),
        }
    }
}

/// Whether the device hears solicitations sent to `group` for proxy NDP: a proxy
/// entry's solicited-node group (mainline's `pndisc_constructor()` joins it), or any
/// solicited-node group with our `proxy_ndp` = 2 (see [`proxy_target`]).
pub(crate) fn proxy_listens(d: &RxDev<'_>, group: &Ipv6Addr) -> bool {
    d.cnf()
        .is_some_and(|c| prefix_listens(c.forwarding != 0, c.proxy_ndp))
        || d.proxy_group(group)
}

/// The route `target` would take when received on `d`, for the prefix rule.
fn target_route(d: &RxDev<'_>, target: &Ipv6Addr) -> Option<TargetRoute> {
    let flow = Flow {
        dst: *target,
        src: None,
        oif: 0,
        iif: d.ifindex(),
        input: true,
        strict: ip6_input::need_strict(target),
        keys: FlowKeys::default(),
    };
    ip6_fib::lookup(d.net, &flow).ok().map(|f| TargetRoute {
        unicast: f.route.kind == rtn::UNICAST,
        prefix_len: f.route.dst_len,
        out_ifindex: f.route.ifindex,
    })
}

/// A target that is not one of the device's addresses, as proxy NDP sees it
/// ([`proxied`]): a proxy entry's, or (`proxy_ndp` 2) one routed out another interface.
fn proxy_target(d: &RxDev<'_>, target: &Ipv6Addr) -> Target {
    let Some(cnf) = d.cnf() else {
        return Target::NotOurs;
    };
    let conf = ProxyConf {
        forwarding: cnf.forwarding != 0,
        all_proxy_ndp: d.net.proxy_ndp(),
        dev_proxy_ndp: cnf.proxy_ndp,
    };
    match proxied(
        &conf,
        target,
        d.ifindex(),
        || d.proxy_entry(target),
        || target_route(d, target),
    ) {
        Some(router) => Target::Proxied { router },
        None => Target::NotOurs,
    }
}

/// `ICMPV6_ADDR_UNREACH`.
const ADDR_UNREACH: u8 = 3;

/// `s` is a usable (DAD done) address of the device.
fn usable_on(d: &RxDev<'_>, s: &Ipv6Addr) -> bool {
    walk_addrs(d.net, Some(d), |a| a.local.addr == *s && a.local.usable())
}

/// The neighbour table, registered for as long as this lives.
pub(crate) type NdTable = crate::net::neigh::NdTable<Nd>;

/// Receives a neighbour discovery message (`ndisc_rcv()`); `msg` is the linear
/// ICMPv6 message.
pub(crate) fn rcv(mut skb: Skb, d: &RxDev<'_>, hdr: &Header) -> Result<(), ()> {
    let mac = skb.mac_src();
    let nodetype = skb.ndisc_nodetype();
    let mut checked_ra = false;
    let mut notify_at = None;
    let mut delay = false;
    let r = skb.with_linear(|_, msg| {
        let Some(msg) = msg else {
            return Err(reason::NOMEM);
        };
        if hdr.hop_limit != 255 {
            Err(reason::NDISC_HOP_LIMIT)
        } else if msg.get(1) != Some(&0) {
            Err(reason::NDISC_BAD_CODE)
        } else {
            match msg[0] {
                kind::NEIGHBOUR_SOLICITATION => recv_ns(mac, d, hdr, msg, false, &mut delay),
                kind::NEIGHBOUR_ADVERTISEMENT => recv_na(mac, d, hdr, msg),
                kind::ROUTER_SOLICITATION => recv_rs(d, hdr, msg),
                kind::ROUTER_ADVERTISEMENT => check_ra(hdr, msg).map(|()| checked_ra = true),
                // Over ISATAP, only from potential routers that may be default
                // routers ("Redirect: from host or unauthorized router").
                kind::REDIRECT if matches!(nodetype, nodetype::HOST | nodetype::NODEFAULT) => {
                    Err(reason::NOT_SPECIFIED)
                }
                kind::REDIRECT => {
                    notify_at = recv_redirect(d, hdr, msg);
                    Ok(())
                }
                _ => Err(reason::NOT_SPECIFIED),
            }
        }
    });
    if r.is_ok() && checked_ra {
        return queue_ra(skb);
    }
    if delay {
        // Mainline queues a clone and frees the packet; the packet itself goes here.
        crate::net::neigh::proxy_enqueue(skb);
        return Err(());
    }
    if let (Ok(()), Some(off)) = (&r, notify_at) {
        // The redirected header's packet reaches its protocol, the data at it
        // (`icmpv6_notify(skb, NDISC_REDIRECT, 0, 0)`).
        skb.pull(off);
        crate::ipv6::datagram::notify(skb.borrow(), d, kind::REDIRECT, 0, 0);
    }
    match r {
        Ok(()) => {
            skb.consume();
            Ok(())
        }
        Err(why) => {
            skb.drop_reason(why);
            Err(())
        }
    }
}

/// `ndisc_redirect_rcv()`: a redirect from a router on the link (its link-local
/// address) about a packet of ours. Without a redirected header it is about its
/// destination field; with one, the quoted packet's protocol applies it
/// ([`crate::ipv6::datagram::notify`] then [`sk_redirect`]): the redirected header's
/// offset in `msg` is returned for that. Whatever comes of it, the message is consumed,
/// as in mainline.
fn recv_redirect(d: &RxDev<'_>, hdr: &Header, msg: &[u8]) -> Option<usize> {
    if !hdr.src.is_unicast_link_local() {
        return None;
    }
    let m = RedirectMsg::parse(msg).ok()?;
    match m.opts.redirect_hdr {
        // ip6_redirect_no_header(): the flow to the destination from the address the
        // redirect came to.
        None => {
            let keys = FlowKeys::default();
            do_redirect(d, &hdr.src, &m, d.ifindex(), keys, &hdr.dst, &m.dest);
            None
        }
        Some(_) => m
            .redirected()
            .map(|inner| (inner.as_ptr() as usize).wrapping_sub(msg.as_ptr() as usize)),
    }
}

/// `ip6_redirect()` for a protocol's error handler (`ip6_sk_redirect()` for a
/// socket's): the redirect message at `skb`'s transport header, received on
/// `skb->dev` from the router at its network header's source, applied to the flow
/// from `src` to `dst` through `oif` with `keys`.
pub(crate) fn sk_redirect(
    skb: SkbRef<'_>,
    oif: u32,
    keys: FlowKeys,
    src: &Ipv6Addr,
    dst: &Ipv6Addr,
) {
    let rcu = Rcu::read_lock();
    let Some(d) = skb.dev_rcu(&rcu) else {
        return;
    };
    let Some((router, _)) = header_addrs(&skb.network_header()) else {
        return;
    };
    if let Ok(m) = RedirectMsg::parse(skb.transport()) {
        do_redirect(&d, &router, &m, oif, keys, src, dst);
    }
}

/// `ip6_redirect()` and `rt6_do_redirect()`: redirect `m` from `router`, received on
/// `d`, about a packet from `src` to `dst` that left through `oif`. The device must
/// accept redirects (a host's, `accept_redirects`), the message pass
/// [`redirect_action`], and the flow's route go through `router`; then the target's
/// neighbour entry learns its link-layer address (`STALE`, a router unless it is the
/// destination), and the destination gets a route exception through the target.
fn do_redirect(
    d: &RxDev<'_>,
    router: &Ipv6Addr,
    m: &RedirectMsg<'_>,
    oif: u32,
    keys: FlowKeys,
    src: &Ipv6Addr,
    dst: &Ipv6Addr,
) {
    let Some(action) = redirect_action(m, d.hw_addr().len()) else {
        return;
    };
    let Some(cnf) = d.cnf() else {
        return;
    };
    if cnf.forwarding != 0 || cnf.accept_redirects == 0 {
        return;
    }
    let flow = Flow {
        keys,
        ..Flow::output(*dst, Some(*src), oif, false)
    };
    let Some(found) = ip6_fib::redirect_route(d.net, &flow, router) else {
        return;
    };
    let Some(n) = Neigh::of(d, &m.target, true) else {
        return;
    };
    n.update(action.lladdr, nud::STALE, action.neigh_flags);
    let rd = Redirect {
        target: m.target,
        on_link: action.on_link,
    };
    crate::ipv6::pmtu::redirect(d.net, &found, &m.dest, rd);
}

fn drop_reason(e: NdDrop) -> DropReason {
    match e {
        NdDrop::TooSmall => reason::PKT_TOO_SMALL,
        NdDrop::BadOptions => reason::NDISC_BAD_OPTIONS,
        NdDrop::NotOurs => reason::NDISC_NS_OTHERHOST,
        NdDrop::HopLimit => reason::NDISC_HOP_LIMIT,
        NdDrop::BadCode => reason::NDISC_BAD_CODE,
        _ => reason::NOT_SPECIFIED,
    }
}

/// The target among the device's addresses, held if it is one.
fn lookup_target(d: &RxDev<'_>, target: &Ipv6Addr) -> (Target, Option<IfAddrRef>) {
    let Some(ifa) = IfAddrRef::find(d, target) else {
        return (Target::NotOurs, None);
    };
    let flags = ifa.flags();
    let optimistic = flags & ifa_flags::OPTIMISTIC != 0;
    let t = if flags & ifa_flags::TENTATIVE != 0 {
        Target::Tentative {
            optimistic,
            dad_nonce: ifa.dad_nonce(),
        }
    } else {
        Target::Assigned { optimistic }
    };
    (t, Some(ifa))
}

fn rx_context(d: &RxDev<'_>, hdr: &Header, target: Target) -> RxContext {
    RxContext {
        src: hdr.src,
        dst: hdr.dst,
        target,
        forwarding: d.cnf().is_some_and(|c| c.forwarding != 0),
        addr_len: d.hw_addr().len(),
        looped_back: hdr.pkt_type == crate::net::skb::pkt_type::LOOPBACK,
        pkt_host: hdr.pkt_type == crate::net::skb::pkt_type::HOST,
        requeued: false,
        proxy_delay: matches!(target, Target::Proxied { .. } | Target::Anycast) && d.proxy_delay(),
    }
}

/// `ndisc_recv_ns()`; `requeued` when it comes back from the proxy queue. Sets `delay`
/// when the packet is to go to the proxy queue.
fn recv_ns(
    mac: Option<[u8; 6]>,
    d: &RxDev<'_>,
    hdr: &Header,
    msg: &[u8],
    requeued: bool,
    delay: &mut bool,
) -> Result<(), DropReason> {
    let m = NdMsg::parse(msg).map_err(drop_reason)?;
    let (target, ifa) = match lookup_target(d, &m.target) {
        // ndisc_recv_ns(): an anycast address of the device before a proxy entry.
        (Target::NotOurs, None)
            if crate::ipv6::anycast::chk_acast_addr(d.net, Some(d), &m.target) =>
        {
            (Target::Anycast, None)
        }
        (Target::NotOurs, None) => (proxy_target(d, &m.target), None),
        found => found,
    };
    let ctx = RxContext {
        requeued,
        ..rx_context(d, hdr, target)
    };
    match ns_action(&m, &ctx) {
        NsAction::Drop(e) => Err(drop_reason(e)),
        NsAction::Delay => {
            *delay = true;
            Err(reason::NOT_SPECIFIED)
        }
        NsAction::DadLoopedBack => Err(reason::NOT_SPECIFIED),
        NsAction::DadFailure => {
            if let Some(ifa) = ifa {
                addrconf::dad_failure(d, &ifa, mac);
            }
            Err(reason::NOT_SPECIFIED)
        }
        NsAction::DefendAddress { router, override_ } => {
            let all_nodes = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
            send_na(d, &all_nodes, &m.target, router, false, override_, true);
            Err(reason::NOT_SPECIFIED)
        }
        NsAction::Answer {
            lladdr,
            create,
            router,
            override_,
            include_tlla,
        } => {
            let n = Neigh::of(d, &hdr.src, create);
            let have = n.is_some();
            if let Some(n) = n {
                let flags = crate::ndisc::update::WEAK_OVERRIDE | crate::ndisc::update::OVERRIDE;
                n.update(lladdr, nud::STALE, flags);
            }
            if have || !d.has_header_ops() {
                send_na(
                    d,
                    &hdr.src,
                    &m.target,
                    router,
                    true,
                    override_,
                    include_tlla,
                );
                return Ok(());
            }
            Err(reason::NOT_SPECIFIED)
        }
    }
}

/// `ndisc_recv_na()`.
fn recv_na(
    mac: Option<[u8; 6]>,
    d: &RxDev<'_>,
    hdr: &Header,
    msg: &[u8],
) -> Result<(), DropReason> {
    let m = NdMsg::parse(msg).map_err(drop_reason)?;
    let (target, ifa) = lookup_target(d, &m.target);
    let cnf = d.cnf();
    let drop_unsolicited = cnf.is_some_and(|c| c.drop_unsolicited_na != 0);
    match na_action(&m, &rx_context(d, hdr, target), drop_unsolicited) {
        NaAction::Drop(e) => Err(drop_reason(e)),
        NaAction::DadFailure => {
            if let Some(ifa) = ifa {
                addrconf::dad_failure(d, &ifa, mac);
            }
            Err(reason::NOT_SPECIFIED)
        }
        // Mainline logs "NA: ... advertised our address" (rate limited); we count it
        // as dropped without logging until the module has a rate-limited logger.
        NaAction::OwnAddress => Err(reason::NOT_SPECIFIED),
        NaAction::Update {
            lladdr,
            state,
            flags,
        } => {
            let (n, state) = match Neigh::of(d, &m.target, false) {
                Some(n) => (n, state),
                // RFC 9131: a router may learn an untracked neighbour, as STALE.
                None => {
                    let create = cnf.is_some_and(|c| {
                        accept_untracked(
                            lladdr.is_some(),
                            c.forwarding != 0,
                            c.accept_untracked_na,
                            || src_on_link(d, &hdr.src),
                        )
                    });
                    match create.then(|| Neigh::of(d, &m.target, true)).flatten() {
                        Some(n) => (n, nud::STALE),
                        None => return Err(reason::NOT_SPECIFIED),
                    }
                }
            };
            if n.nud_state() & nud::FAILED != 0 {
                return Ok(());
            }
            let hw = d.hw_addr();
            let ours = lladdr.is_some_and(|l| l.get(..hw.len()) == Some(hw));
            let own_proxy =
                na_from_own_proxy(ours, d.net.forwarding(), d.net.proxy_ndp() != 0, || {
                    d.proxy_entry(&m.target).is_some()
                });
            if !own_proxy {
                n.update(lladdr, state, flags);
            }
            Ok(())
        }
    }
}

/// `ndisc_netdev_event()`: what a netdevice event means for neighbour discovery, after
/// address configuration took it.
pub(crate) fn netdev_event(
    ev: crate::addrconf::DevEvent,
    dev: &NetDevice,
    info: crate::net::device::EventInfo,
) {
    let idev = Inet6Dev::of(dev).map(|i| i.cnf());
    let all = crate::net::netns::conf_all(dev.net());
    let facts = crate::ndisc::DevFacts {
        has_idev: idev.is_some(),
        notify: idev.as_ref().is_some_and(|c| c.ndisc_notify != 0) || all.ndisc_notify != 0,
        evict_nocarrier: idev
            .as_ref()
            .is_none_or(|c| c.ndisc_evict_nocarrier != 0 && all.ndisc_evict_nocarrier != 0),
        carrier_ok: dev.carrier_ok(),
        noarp_changed: info.noarp_changed(),
    };
    let act = crate::ndisc::dev_event(ev, facts);
    if act.changeaddr {
        dev.nd_changeaddr();
    }
    if act.run_gc {
        route::run_gc(dev.net());
    }
    if act.unsol_na {
        send_unsol_na(dev, idev.as_ref().is_some_and(|c| c.forwarding != 0));
    }
    if act.carrier_down {
        dev.nd_carrier_down();
    }
}

/// `ndisc_send_unsol_na()`: each address of `dev` that is not tentative (optimistic
/// ones are) is advertised to all-nodes, unsolicited, overriding, with our link-layer
/// address; `router` is the device's `forwarding`.
fn send_unsol_na(dev: &NetDevice, router: bool) {
    let mut targets = KVec::new();
    for a in crate::net::ifaddr::addrs(dev) {
        if crate::ndisc::unsol_na_advertises(a.flags())
            && targets.push(a.addr(), GFP_KERNEL).is_err()
        {
            break;
        }
    }
    let all_nodes = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
    addrconf::with_rx_dev(dev, |d| {
        for t in &targets {
            send_na(d, &all_nodes, t, router, false, true, true);
        }
    });
}

/// `ipv6_chk_prefix()`: `src` is on the prefix of one of `d`'s addresses.
fn src_on_link(d: &RxDev<'_>, src: &Ipv6Addr) -> bool {
    walk_addrs(d.net, Some(d), |a| {
        crate::route::in_prefix(src, &a.local.addr, a.local.prefix_len)
    })
}

/// Hop limit and traffic class of neighbour discovery messages.
fn nd_tclass(d: &RxDev<'_>) -> u8 {
    d.cnf().map_or(0, |c| c.ndisc_tclass as u8)
}

/// `ndisc_send_na()`: advertise `target` to `dst`.
pub(crate) fn send_na(
    d: &RxDev<'_>,
    dst: &Ipv6Addr,
    target: &Ipv6Addr,
    router: bool,
    solicited: bool,
    mut override_: bool,
    mut inc_opt: bool,
) {
    let src = match IfAddrRef::find(d, target) {
        Some(ifa) => {
            if ifa.flags() & ifa_flags::OPTIMISTIC != 0 {
                override_ = false;
            }
            *target
        }
        None => {
            let rcu = Rcu::read_lock();
            match ip6_input::source_for(
                d.net,
                dst,
                d.ifindex(),
                crate::net::ifaddr::net_addrs(d.net, &rcu),
            ) {
                Some(s) => s,
                None => return,
            }
        }
    };
    let hw = d.hw_addr();
    if hw.is_empty() {
        inc_opt = false;
    }
    let mut flags = 0;
    if router {
        flags |= na_flag::ROUTER;
    }
    if solicited {
        flags |= na_flag::SOLICITED;
    }
    if override_ {
        flags |= na_flag::OVERRIDE;
    }
    let len = ND_MSG_LEN
        + if inc_opt {
            lladdr_opt_space(hw.len())
        } else {
            0
        };
    let tlla = inc_opt.then_some(hw);
    ip6_input::send_icmp(d, &src, dst, None, 0, 255, nd_tclass(d), len, |buf| {
        emit_na(buf, target, flags, tlla).map(|_| ())
    });
}

/// `ndisc_send_ns()`: solicit `target` at `dst`, from `src` (the device's link-local
/// address if `None`; `::` for DAD probes) with a DAD nonce if not 0.
pub(crate) fn send_ns(
    d: &RxDev<'_>,
    target: &Ipv6Addr,
    dst: &Ipv6Addr,
    src: Option<Ipv6Addr>,
    nonce: u64,
) {
    let src = match src {
        Some(s) => s,
        None => {
            let mut ll = None;
            walk_addrs(d.net, Some(d), |a| {
                let is_ll =
                    a.local.addr.octets()[0] == 0xfe && a.local.addr.octets()[1] & 0xc0 == 0x80;
                if is_ll && a.local.flags & (ifa_flags::TENTATIVE | ifa_flags::OPTIMISTIC) == 0 {
                    ll = Some(a.local.addr);
                    return true;
                }
                false
            });
            match ll {
                Some(s) => s,
                None => return,
            }
        }
    };
    let hw = d.hw_addr();
    let slla = (!hw.is_empty() && !src.is_unspecified()).then_some(hw);
    let len =
        ND_MSG_LEN + slla.map_or(0, |h| lladdr_opt_space(h.len())) + if nonce != 0 { 8 } else { 0 };
    ip6_input::send_icmp(d, &src, dst, None, 0, 255, nd_tclass(d), len, |buf| {
        emit_ns(buf, target, slla, nonce).map(|_| ())
    });
}

/// `ndisc_send_redirect()`: tells the sender `src` of `pkt` to `dst` (the packet's
/// first octets, IPv6 header on, of `pkt_len` in all), which arrived on `d` and leaves
/// through it again, that its destination is better reached
/// through `target` (the next hop, or the destination itself). Only a neighbour gets
/// one, from our link-local address, at most about one a second per sender; with the
/// target's link-layer address when it is known.
pub(crate) fn send_redirect(
    d: &RxDev<'_>,
    pkt: &[u8],
    pkt_len: usize,
    (src, dst): (Ipv6Addr, Ipv6Addr),
    target: &Ipv6Addr,
) {
    let Some(ll) = link_local_of(d, ifa_flags::TENTATIVE) else {
        return;
    };
    if *target != dst && !is_link_local(target) {
        return;
    }
    // The sender must be on the link: the route back to it has no gateway.
    match ip6_input::output_route(
        d.net,
        &src,
        Some(ll),
        d.ifindex(),
        false,
        Default::default(),
    ) {
        Ok((_, r)) if r.gateway.is_none() => {}
        _ => return,
    }
    if !d.net.peer_allow(&src, crate::net::time::hz()) {
        return;
    }
    let mut ha = [0u8; 32];
    let ha_len = d.neigh_valid_ha(target, &mut ha);
    let tlla = (ha_len > 0).then(|| &ha[..ha_len]);
    let optlen = tlla.map_or(0, |h| lladdr_opt_space(h.len()));
    let rd_len = redirect_hdr_len(pkt_len, optlen);
    let len = RD_MSG_LEN + optlen + rd_len;
    ip6_input::send_icmp(d, &ll, &src, None, 0, 255, nd_tclass(d), len, |buf| {
        emit_redirect(buf, target, &dst, tlla, pkt, rd_len).map(|_| ())
    });
}

/// `IF_RA_OTHERCONF` in `inet6_dev.if_flags`: the last RA had the O flag.
const IF_RA_OTHERCONF: u32 = 0x80;
/// `IF_RA_MANAGED`: the last RA had the M flag.
const IF_RA_MANAGED: u32 = 0x40;
/// `IF_RA_RCVD`: an RA arrived after we solicited.
const IF_RA_RCVD: u32 = 0x20;
/// `IF_RS_SENT`: we solicited.
const IF_RS_SENT: u32 = 0x10;
/// `ff02::2`, all routers on the link.
const ALL_ROUTERS: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 2);

fn is_link_local(a: &Ipv6Addr) -> bool {
    a.octets()[0] == 0xfe && a.octets()[1] & 0xc0 == 0x80
}

/// The first link-local address of the device without any of the `banned` flags
/// (`ipv6_get_lladdr()`).
pub(crate) fn link_local_of(d: &RxDev<'_>, banned: u32) -> Option<Ipv6Addr> {
    let mut ll = None;
    walk_addrs(d.net, Some(d), |a| {
        if is_link_local(&a.local.addr) && a.local.flags & banned == 0 {
            ll = Some(a.local.addr);
            return true;
        }
        false
    });
    ll
}

/// `ndisc_recv_rs()`: only routers learn from solicitations, and not from `::`.
fn recv_rs(d: &RxDev<'_>, hdr: &Header, msg: &[u8]) -> Result<(), DropReason> {
    let options = msg.get(RS_MSG_LEN..).ok_or(reason::PKT_TOO_SMALL)?;
    if d.cnf().is_none_or(|c| c.forwarding == 0) || hdr.src.is_unspecified() {
        return Err(reason::NOT_SPECIFIED);
    }
    let opts = NdOptions::parse(options).map_err(drop_reason)?;
    let ll = match opts.src_lladdr {
        Some(o) => Some(lladdr(o, d.hw_addr().len()).ok_or(reason::NOT_SPECIFIED)?),
        None => None,
    };
    let n = Neigh::of(d, &hdr.src, true).ok_or(reason::NOT_SPECIFIED)?;
    n.update(
        ll,
        nud::STALE,
        update::WEAK_OVERRIDE | update::OVERRIDE | update::OVERRIDE_ISROUTER,
    );
    Ok(())
}

/// The checks `ndisc_router_discovery()` makes before anything changes: a link-local
/// source, the fixed part present, options well formed.
fn check_ra(hdr: &Header, msg: &[u8]) -> Result<(), DropReason> {
    if !is_link_local(&hdr.src) {
        return Err(reason::NOT_SPECIFIED);
    }
    let ra = RaMsg::parse(msg).map_err(drop_reason)?;
    NdOptions::parse(ra.options).map_err(drop_reason)?;
    Ok(())
}

/// Hands a checked RA to the work that carries it out under RTNL.
fn queue_ra(skb: Skb) -> Result<(), ()> {
    // More than IPV6_RS_RA_BACKLOG RAs wait already: an RA flood is dropped rather
    // than queued without bound.
    crate::net::rd::queue_ra(skb).map_err(|skb| skb.drop_reason(reason::NOMEM))
}

/// The RA work of [`RaWork`]: one queued RA, under RTNL.
fn ra_run(dev: &NetDevice, mut skb: Skb) {
    let h = skb.borrow().network_header();
    let src = crate::wire::ipv6::header_addrs(&h).map_or(Ipv6Addr::UNSPECIFIED, |(s, _)| s);
    let nodetype = skb.ndisc_nodetype();
    let r = match skb.linear() {
        Some(msg) => router_discovery(dev, &src, msg, nodetype),
        None => Err(reason::NOMEM),
    };
    match r {
        Ok(()) => skb.consume(),
        Err(why) => skb.drop_reason(why),
    }
}

/// `ndisc_router_discovery()`: carries out an RA from `src` (checked by [`check_ra`]),
/// under RTNL. Over ISATAP (`nodetype`), an RA from a host is dropped ("RA: from host
/// or unauthorized router"), and one from a potential router that may not be a
/// default router (an interior router) gives only its routes (not the default one).
fn router_discovery(
    dev: &NetDevice,
    src: &Ipv6Addr,
    msg: &[u8],
    nodetype: u8,
) -> Result<(), DropReason> {
    if nodetype == nodetype::HOST {
        return Err(reason::NOT_SPECIFIED);
    }
    let interior = nodetype == nodetype::NODEFAULT;
    let Some(idev) = Inet6Dev::of(dev) else {
        return Err(reason::NOT_SPECIFIED);
    };
    let ra = RaMsg::parse(msg).map_err(drop_reason)?;
    let opts = NdOptions::parse(ra.options).map_err(drop_reason)?;
    let cnf = idev.ra_conf();
    let (net, ifindex) = (dev.net(), dev.ifindex());
    let accepted = accept_ra(cnf.accept_ra, cnf.forwarding);
    let hz = crate::net::time::hz() as u32;
    let mut ifinfo_changed = false;
    // The default route through `src` once the RA's default-router part is done.
    let mut router = false;
    let from_local = ip6_input::chk_addr(net, src, Some(ifindex), false);
    // An interior router's link parameters are skipped.
    if accepted && !interior {
        let old = idev.if_flags();
        let mut set = 0;
        if old & IF_RS_SENT != 0 {
            set |= IF_RA_RCVD;
        }
        if ra.flags & ra_flag::MANAGED != 0 {
            set |= IF_RA_MANAGED;
        }
        if ra.flags & ra_flag::OTHER != 0 {
            set |= IF_RA_OTHERCONF;
        }
        addrconf::update_if_flags(dev, set, (IF_RA_MANAGED | IF_RA_OTHERCONF) & !set);
        // Mainline compares after noting IF_RA_RCVD.
        ifinfo_changed = idev.if_flags() != old | (set & IF_RA_RCVD);
        let lifetime = ra.router_lifetime;
        if default_router_applies(
            cnf.accept_ra_defrtr,
            lifetime,
            cnf.accept_ra_min_lft,
            from_local,
        ) {
            let pref = default_router_pref(ra.router_pref(), cnf.accept_ra_rtr_pref);
            let metric = cnf.ra_defrtr_metric;
            let existing = route::default_router(net, src, ifindex)
                .map(|r| (r.metric, rtf::extract_pref(r.flags)));
            let act = default_router_action(existing, lifetime, metric, pref);
            if act.delete {
                route::del_default_router(net, src, ifindex);
            }
            if act.add {
                route::add_default_router(dev, src, pref, metric, u32::from(lifetime));
                if let Some(n) = Neigh::of_dev(dev, src, true) {
                    n.set_router();
                }
            } else if act.set_pref {
                route::set_router_pref(net, src, ifindex, pref);
            }
            if act.refresh {
                route::router_expires(net, src, ifindex, u32::from(lifetime));
                router = true;
            }
            if let Some(h) = ra_hop_limit(ra.cur_hop_limit, cnf.accept_ra_min_hop_limit) {
                idev.set_hop_limit(h);
                if router {
                    route::router_metrics(net, src, ifindex, |r| r.hoplimit = u32::from(h));
                }
            }
        }
        if let Some(j) = ra_retrans_time(ra.retrans_timer, hz) {
            idev.set_retrans_time(j);
            ifinfo_changed = true;
        }
        if let Some(j) = ra_reachable_time(ra.reachable_time, hz) {
            ifinfo_changed |= idev.set_reachable_time(j);
        }
    }
    let r = ra_options(
        dev, idev, &cnf, src, msg, &opts, accepted, from_local, router, interior,
    );
    ifinfo_changed |= r.unwrap_or(false);
    if ifinfo_changed {
        addrconf::ifinfo_notify(dev);
    }
    // Lifetimes the RA set (routes, addresses) end on time.
    addrconf::verify(dev.rtnl(), net);
    r.map(|_| ())
}

/// The rest of `ndisc_router_discovery()`: the router's neighbour entry, then (if RAs
/// are accepted) route information, prefix information and MTU options, and last the
/// options user space gets; from an `interior` router (ISATAP) only route information
/// for prefixes other than the default one. Returns whether the device's advertised
/// MTU changed.
#[allow(clippy::too_many_arguments)]
fn ra_options(
    dev: &NetDevice,
    idev: &Inet6Dev,
    cnf: &RaConf,
    src: &Ipv6Addr,
    msg: &[u8],
    opts: &NdOptions<'_>,
    accepted: bool,
    from_local: bool,
    router: bool,
    interior: bool,
) -> Result<bool, DropReason> {
    let n = Neigh::of_dev(dev, src, true).ok_or(reason::NOT_SPECIFIED)?;
    let ll = match opts.src_lladdr {
        Some(o) => Some(lladdr(o, dev.hw_addr().len()).ok_or(reason::NOT_SPECIFIED)?),
        None => None,
    };
    n.update(
        ll,
        nud::STALE,
        update::WEAK_OVERRIDE | update::OVERRIDE | update::OVERRIDE_ISROUTER | update::ISROUTER,
    );
    drop(n);
    if !accepted {
        return Ok(false);
    }
    if !from_local && cnf.accept_ra_rtr_pref {
        for o in opts.each(opt::ROUTE_INFO) {
            let Some(ri) = RouteInfo::parse(o) else {
                continue;
            };
            if interior && ri.prefix_len == 0 {
                continue;
            }
            if route_info_applies(
                &ri,
                cnf.accept_ra_defrtr,
                cnf.accept_ra_min_lft,
                cnf.accept_ra_rt_info_min_plen,
                cnf.accept_ra_rt_info_max_plen,
            ) {
                route::route_info_rcv(dev, &ri, src);
            }
        }
    }
    if interior {
        return Ok(false);
    }
    if cnf.accept_ra_pinfo {
        for o in opts.each(opt::PREFIX_INFO) {
            addrconf::prefix_rcv(dev, o, opts.src_lladdr.is_some());
        }
    }
    let mut changed = false;
    if let (Some(mtu), true) = (opts.mtu_value(), cnf.accept_ra_mtu) {
        changed = idev.set_ra_mtu(mtu);
        if ra_mtu_valid(mtu, dev.mtu()) && cnf.mtu6 != mtu {
            idev.set_mtu6(mtu);
            if router {
                route::router_metrics(dev.net(), src, dev.ifindex(), |r| r.mtu = mtu);
            }
        }
    }
    for o in opts.user_options() {
        ra_useropt(dev, src, msg, o);
    }
    Ok(changed)
}

/// `ndisc_ra_useropt()`: hands option `o` of RA `msg` from `src` to user space, an
/// `RTM_NEWNDUSEROPT` message to `RTNLGRP_ND_USEROPT` (what rdnssd listens to): a
/// `struct nduseroptmsg`, the option, and the router's address.
fn ra_useropt(dev: &NetDevice, src: &Ipv6Addr, msg: &[u8], o: &[u8]) {
    let group = uapi::RTNLGRP_ND_USEROPT;
    let net = dev.net();
    // NLMSG_ALIGN(header + option) + nla_total_size(16).
    let base = align(size_of::<uapi::nduseroptmsg>() + o.len());
    let mut skb = match NotifySkb::new(base + align(NLA_HDRLEN + 16)) {
        Ok(skb) => skb,
        Err(e) => return netlink::notify_error(net, group, e),
    };
    let hdr = uapi::nduseroptmsg {
        nduseropt_family: uapi::AF_INET6 as u8,
        // Whole options of at most 255 units: always fits.
        nduseropt_opts_len: o.len() as u16,
        nduseropt_ifindex: dev.ifindex() as i32,
        nduseropt_icmp_type: msg[0],
        nduseropt_icmp_code: msg[1],
        ..Default::default()
    };
    let built = {
        let mut nl = skb.nl();
        let ty = uapi::RTM_NEWNDUSEROPT as u16;
        nl.begin_with_tail(0, 0, ty, 0, &hdr, o).and_then(|mut m| {
            m.put(uapi::NDUSEROPT_SRCADDR as u16, &src.octets())?;
            m.finish();
            Ok(())
        })
    };
    match built {
        Ok(()) => skb.send(net, group),
        Err(MsgSize) => netlink::notify_error(net, group, Error::from_errno(-errno::EMSGSIZE)),
    }
}

/// `ndisc_send_rs()`: solicit routers from `src`, with our link-layer address.
fn send_rs(d: &RxDev<'_>, src: &Ipv6Addr) {
    let hw = d.hw_addr();
    // RFC 4429 §2.2: never from an optimistic address with our link-layer address (nor
    // from one that is not ours), as mainline built with optimistic DAD does.
    let own = IfAddrRef::find(d, src).is_some_and(|a| a.flags() & ifa_flags::OPTIMISTIC == 0);
    let slla = (!hw.is_empty() && own).then_some(hw);
    let len = RS_MSG_LEN + slla.map_or(0, |h| lladdr_opt_space(h.len()));
    ip6_input::send_icmp(
        d,
        src,
        &ALL_ROUTERS,
        None,
        0,
        255,
        nd_tclass(d),
        len,
        |buf| emit_rs(buf, slla).map(|_| ()),
    );
}

/// `addrconf_dad_completed()`'s router solicitation: once the device's only link-local
/// address is usable, solicit routers as the core's [`rs::start`] decides, then again
/// from the timer ([`rs_timer`]). Under RTNL.
pub(crate) fn start_rs(dev: &NetDevice) {
    let Some(idev) = Inet6Dev::of(dev) else {
        return;
    };
    let cnf = idev.ra_conf();
    let facts = rs::Facts {
        accept_ra: cnf.accept_ra,
        forwarding: cnf.forwarding,
        rtr_solicits: cnf.rtr_solicits,
        interval: cnf.rtr_solicit_interval,
        max_interval: 0,
        delay: 0,
    };
    let eligible = !dev.is_loopback() && dev.dev_type() != uapi::ARPHRD_TUNNEL;
    let Some(send) = rs::start(&facts, eligible, &mut KernelRandom) else {
        return;
    };
    let mut sent = false;
    addrconf::with_rx_dev(dev, |d| {
        if let Some(ll) = link_local_of(d, ifa_flags::TENTATIVE) {
            send_rs(d, &ll);
            sent = true;
        }
    });
    if sent {
        idev.rs_sent(send.probes, send.interval, IF_RS_SENT, send.next as u64);
    }
}

/// `addrconf_rs_timer()`: solicit again, with the core's backoff ([`rs::step`]),
/// until an RA arrives or `rtr_solicits` have gone out.
fn rs_timer(t: &RsTimer<'_>) {
    let st = t.state();
    if !st.live {
        return;
    }
    let facts = rs::Facts {
        accept_ra: st.accept_ra,
        forwarding: st.forwarding != 0,
        rtr_solicits: st.rtr_solicits,
        interval: st.rtr_solicit_interval,
        max_interval: st.rtr_solicit_max_interval,
        delay: st.rtr_solicit_delay,
    };
    let ra_rcvd = st.if_flags & IF_RA_RCVD != 0;
    let Some(send) = rs::step(&facts, st.probes, st.interval, ra_rcvd, &mut KernelRandom) else {
        return;
    };
    let mut sent = false;
    t.with_rx(|d| {
        if let Some(ll) = link_local_of(d, ifa_flags::TENTATIVE) {
            send_rs(d, &ll);
            sent = true;
        }
    });
    if sent {
        t.sent(send.probes, send.interval, 0, send.next as u64);
    }
}

/// Router discovery's deferred work: RAs carried out under RTNL, and the router
/// solicitation timers.
pub(crate) struct Rd;

impl RouterDiscovery for Rd {
    fn ra(dev: &NetDevice, skb: Skb) {
        ra_run(dev, skb);
    }

    fn rs_timer(t: &RsTimer<'_>) {
        rs_timer(t);
    }
}

/// The work and timers of router discovery, set up for as long as this lives.
pub(crate) type RaWork = crate::net::rd::RdWork<Rd>;
