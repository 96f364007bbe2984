// SPDX-License-Identifier: GPL-2.0

//! Neighbour discovery decisions (RFC 4861, RFC 4862 §5.4, mainline `net/ipv6/ndisc.c`):
//! what a received neighbour solicitation or advertisement means.
//!
//! The glue parses the message ([`crate::wire::ndisc`]), looks the target up among the
//! receiving device's addresses and asks here what to do; it then carries it out with the
//! kernel's neighbour table.

use crate::wire::ndisc::{lladdr, na_flag, NdDrop, NdMsg, NdOptions, RedirectMsg};
use core::net::Ipv6Addr;

/// `NUD_*` neighbour states (`include/uapi/linux/neighbour.h`).
pub mod nud {
    /// Confirmed reachable.
    pub const REACHABLE: u8 = 0x02;
    /// Address known, reachability not confirmed.
    pub const STALE: u8 = 0x04;
    /// Resolution failed.
    pub const FAILED: u8 = 0x20;
    /// The states with a usable link-layer address (`NUD_VALID`: permanent, noarp,
    /// reachable, probe, stale, delay).
    pub const VALID: u8 = 0x80 | 0x40 | 0x02 | 0x10 | 0x04 | 0x08;
}

/// `NEIGH_UPDATE_F_*` flags for `neigh_update()`.
pub mod update {
    /// Override an existing link-layer address.
    pub const OVERRIDE: u32 = 1 << 0;
    /// Only mark a differing address stale instead of replacing it.
    pub const WEAK_OVERRIDE: u32 = 1 << 1;
    /// Take the router flag from `ISROUTER`.
    pub const OVERRIDE_ISROUTER: u32 = 1 << 2;
    /// The neighbour is a router.
    pub const ISROUTER: u32 = 1 << 6;
}

/// The target of a message, as found among the receiving device's addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Not an address of the device.
    NotOurs,
    /// An address of the device still doing DAD (`IFA_F_TENTATIVE`), whose DAD probes
    /// carry `dad_nonce` (0 if enhanced DAD is off).
    Tentative {
        /// `IFA_F_OPTIMISTIC`.
        optimistic: bool,
        /// The nonce of our own probes.
        dad_nonce: u64,
    },
    /// An address of the device in use.
    Assigned {
        /// `IFA_F_OPTIMISTIC`.
        optimistic: bool,
    },
    /// Not an address of the device, but one it answers for ([`proxied`]: a proxy
    /// entry, or with `proxy_ndp` 2 a routed prefix behind another interface).
    Proxied {
        /// The NA router flag: the proxy entry's `NTF_ROUTER`.
        router: bool,
    },
    /// Not an address of the device, but one of its anycast addresses
    /// (`ipv6_chk_acast_addr()`; checked before proxy entries).
    Anycast,
}

/// What the glue knows when a message arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RxContext {
    /// IPv6 source address.
    pub src: Ipv6Addr,
    /// IPv6 destination address.
    pub dst: Ipv6Addr,
    /// The target among our addresses.
    pub target: Target,
    /// `forwarding` is on for the device (we answer as a router).
    pub forwarding: bool,
    /// Link-layer address length of the device (0 for devices without one).
    pub addr_len: usize,
    /// The frame was our own, looped back (`PACKET_LOOPBACK`).
    pub looped_back: bool,
    /// The frame was addressed to us at the link layer (`PACKET_HOST`).
    pub pkt_host: bool,
    /// The message comes back from the proxy queue (`LOCALLY_ENQUEUED`).
    pub requeued: bool,
    /// The device's `proxy_delay` is not 0.
    pub proxy_delay: bool,
}

/// What to do about a neighbour solicitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NsAction<'a> {
    /// Drop it, for this reason.
    Drop(NdDrop),
    /// Our own DAD probe, looped back by the link (its nonce is ours): ignore it.
    DadLoopedBack,
    /// Another node is doing DAD for our tentative address: our DAD fails.
    DadFailure,
    /// Another node probes an address we own: defend it with an unsolicited NA to
    /// all-nodes, carrying our link-layer address.
    DefendAddress {
        /// Set the router flag.
        router: bool,
        /// Set the override flag (not for an optimistic address).
        override_: bool,
    },
    /// A multicast solicitation for a proxied target: queue it for a random time up to
    /// the device's `proxy_delay` (`pneigh_enqueue()`, RFC 4861 §7.2.8), then decide
    /// again with [`RxContext::requeued`].
    Delay,
    /// Learn the sender (stale entry with `lladdr`; created unless the probe was a
    /// multicast one without a source link-layer address) and answer with a solicited NA.
    Answer {
        /// The sender's link-layer address, if the message carried one.
        lladdr: Option<&'a [u8]>,
        /// Create a neighbour entry for the sender if there is none.
        create: bool,
        /// NA router flag.
        router: bool,
        /// NA override flag.
        override_: bool,
        /// Include the target link-layer address option.
        include_tlla: bool,
    },
}

/// Decides about a received neighbour solicitation (`ndisc_recv_ns()`).
pub fn ns_action<'a>(msg: &NdMsg<'a>, ctx: &RxContext) -> NsAction<'a> {
    let dad = ctx.src.is_unspecified();
    if dad && !crate::wire::ndisc::is_solicited_node(&ctx.dst) {
        return NsAction::Drop(NdDrop::DadWrongDestination);
    }
    let opts = match NdOptions::parse(msg.options) {
        Ok(o) => o,
        Err(e) => return NsAction::Drop(e),
    };
    let mut sender_ll = None;
    if let Some(o) = opts.src_lladdr {
        match lladdr(o, ctx.addr_len) {
            None => return NsAction::Drop(NdDrop::BadLladdrLength),
            Some(_) if dad => return NsAction::Drop(NdDrop::DadWithLladdr),
            ll => sender_ll = ll,
        }
    }
    let multicast = ctx.dst.is_multicast();
    let ours_optimistic = match ctx.target {
        Target::NotOurs => return NsAction::Drop(NdDrop::NotOurs),
        // Anycast and proxied targets: multicast solicitations wait a random time
        // (RFC 4861 §7.2.7, the proxy queue's delay); the answer never overrides. An
        // anycast answer's router flag is the device's forwarding (mainline's
        // `is_router < 0`), a proxy's its entry's.
        Target::Proxied { .. } | Target::Anycast => {
            if !ctx.requeued && !ctx.pkt_host && multicast && ctx.proxy_delay {
                return NsAction::Delay;
            }
            let router = match ctx.target {
                Target::Proxied { router } => router,
                _ => ctx.forwarding,
            };
            // Another node's address: never override, whoever asks.
            if dad {
                return NsAction::DefendAddress {
                    router,
                    override_: false,
                };
            }
            return NsAction::Answer {
                lladdr: sender_ll,
                create: !multicast || sender_ll.is_some() || ctx.addr_len == 0,
                router,
                override_: false,
                include_tlla: multicast,
            };
        }
        Target::Tentative {
            optimistic,
            dad_nonce,
        } => {
            if dad {
                let nonce = opts.nonce_value();
                if nonce != 0 && nonce == dad_nonce {
                    return NsAction::DadLoopedBack;
                }
                return NsAction::DadFailure;
            }
            if !optimistic {
                return NsAction::Drop(NdDrop::Ignored);
            }
            true
        }
        Target::Assigned { optimistic } => optimistic,
    };
    if dad {
        return NsAction::DefendAddress {
            router: ctx.forwarding,
            override_: !ours_optimistic,
        };
    }
    NsAction::Answer {
        lladdr: sender_ll,
        create: !multicast || sender_ll.is_some() || ctx.addr_len == 0,
        router: ctx.forwarding,
        // ndisc_send_na(): an optimistic address never overrides.
        override_: multicast && !ours_optimistic,
        include_tlla: multicast,
    }
}

/// What to do about a neighbour advertisement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NaAction<'a> {
    /// Drop it, for this reason.
    Drop(NdDrop),
    /// Another node advertises our tentative address: our DAD fails.
    DadFailure,
    /// Another node advertises an address we own (logged, then dropped).
    OwnAddress,
    /// Update the target's entry, if the cache has one, to `state` with `lladdr` and
    /// `neigh_update()` flags `flags`.
    Update {
        /// The target link-layer address, if the message carried one.
        lladdr: Option<&'a [u8]>,
        /// `nud::REACHABLE` if solicited, else `nud::STALE`.
        state: u8,
        /// `update::*` flags.
        flags: u32,
    },
}

/// Decides about a received neighbour advertisement (`ndisc_recv_na()`). Unsolicited
/// advertisements for untracked neighbours create no entry (`accept_untracked_na` 0).
pub fn na_action<'a>(msg: &NdMsg<'a>, ctx: &RxContext, drop_unsolicited: bool) -> NaAction<'a> {
    let solicited = msg.has(na_flag::SOLICITED);
    if ctx.dst.is_multicast() && solicited {
        return NaAction::Drop(NdDrop::SolicitedToMulticast);
    }
    if !solicited && drop_unsolicited {
        return NaAction::Drop(NdDrop::Ignored);
    }
    let opts = match NdOptions::parse(msg.options) {
        Ok(o) => o,
        Err(e) => return NaAction::Drop(e),
    };
    let mut target_ll = None;
    if let Some(o) = opts.tgt_lladdr {
        target_ll = Some(match lladdr(o, ctx.addr_len) {
            Some(ll) => ll,
            None => return NaAction::Drop(NdDrop::BadLladdrLength),
        });
    }
    match ctx.target {
        Target::Tentative { .. } if !ctx.looped_back => return NaAction::DadFailure,
        Target::Tentative { .. } | Target::Assigned { .. } => return NaAction::OwnAddress,
        Target::NotOurs | Target::Proxied { .. } | Target::Anycast => {}
    }
    let mut flags = update::WEAK_OVERRIDE | update::OVERRIDE_ISROUTER;
    if msg.has(na_flag::OVERRIDE) {
        flags |= update::OVERRIDE;
    }
    if msg.has(na_flag::ROUTER) {
        flags |= update::ISROUTER;
    }
    NaAction::Update {
        lladdr: target_ll,
        state: if solicited {
            nud::REACHABLE
        } else {
            nud::STALE
        },
        flags,
    }
}

/// RFC 9131 (`ndisc_recv_na()`, `accept_untracked_na()`): whether an advertisement
/// for a target the neighbour cache does not track creates an entry for it (`STALE`,
/// solicited or not). Only on a router (`forwarding` on the receiving device), only if
/// the advertisement carries the target's link-layer address (`has_lladdr`), and as the
/// device's `accept_untracked_na` says: 0 never, 1 always, 2 when the source address is
/// on the prefix of one of the device's addresses (`src_on_link`, mainline's
/// `ipv6_chk_prefix()`, asked only then); other values never. `drop_unsolicited_na`
/// came first ([`na_action`]).
pub fn accept_untracked(
    has_lladdr: bool,
    forwarding: bool,
    accept_untracked_na: i32,
    src_on_link: impl FnOnce() -> bool,
) -> bool {
    if !has_lladdr || !forwarding {
        return false;
    }
    match accept_untracked_na {
        1 => true,
        2 => src_on_link(),
        _ => false,
    }
}

/// What neighbour discovery knows of a device when a netdevice event arrives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DevFacts {
    /// The device has IPv6 state (an inet6_dev).
    pub has_idev: bool,
    /// `ndisc_notify` is on for the device or for `all`.
    pub notify: bool,
    /// `ndisc_evict_nocarrier` is on for both the device and `all` (on for a device
    /// without IPv6 state).
    pub evict_nocarrier: bool,
    /// `netif_carrier_ok()`.
    pub carrier_ok: bool,
    /// On `NETDEV_CHANGE`: `IFF_NOARP` is among the flags that changed.
    pub noarp_changed: bool,
}

/// What a netdevice event means for neighbour discovery, in this order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DevActions {
    /// Entries of the device forget their link-layer address (`neigh_changeaddr()`).
    pub changeaddr: bool,
    /// Run the route garbage collector now (`fib6_run_gc(0, net, false)`).
    pub run_gc: bool,
    /// Advertise each of the device's addresses that is not tentative (optimistic ones
    /// included) to all-nodes, unsolicited, with the override flag
    /// (`ndisc_send_unsol_na()`).
    pub unsol_na: bool,
    /// Carrier lost: flush the device's entries, but for permanent ones
    /// (`neigh_carrier_down()`).
    pub carrier_down: bool,
}

/// Decides what a netdevice event means for neighbour discovery, as
/// `ndisc_netdev_event()` does; it runs after address configuration's handling of the
/// same event ([`crate::addrconf::dev_event`]). `NETDEV_DOWN`'s flush of the device's
/// entries is address configuration's (`down`); the collector runs here.
pub fn dev_event(ev: crate::addrconf::DevEvent, f: DevFacts) -> DevActions {
    use crate::addrconf::DevEvent;
    let none = DevActions::default();
    match ev {
        DevEvent::ChangeAddr => DevActions {
            changeaddr: true,
            run_gc: true,
            unsol_na: f.has_idev && f.notify,
            ..none
        },
        DevEvent::Up => DevActions {
            unsol_na: f.has_idev && f.notify,
            ..none
        },
        DevEvent::Change => DevActions {
            changeaddr: f.noarp_changed,
            carrier_down: f.evict_nocarrier && !f.carrier_ok,
            ..none
        },
        DevEvent::Down => DevActions {
            run_gc: true,
            ..none
        },
        DevEvent::NotifyPeers => DevActions {
            unsol_na: f.has_idev,
            ..none
        },
        _ => none,
    }
}

/// `ndisc_send_unsol_na()`: whether an address with flags `ifa_flags` is advertised
/// (not while tentative, unless optimistic).
pub fn unsol_na_advertises(ifa_flags: u32) -> bool {
    use crate::addrconf::ifa_flags as f;
    ifa_flags & f::TENTATIVE == 0 || ifa_flags & f::OPTIMISTIC != 0
}

/// `proxy_ndp` value of our extension: answer for targets routed out of another
/// interface (see [`prefix_routed`]). Mainline treats every non-zero value as 1.
pub const PROXY_NDP_PREFIX: i32 = 2;

/// The proxy NDP settings of the receiving device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProxyConf {
    /// The device's `forwarding`.
    pub forwarding: bool,
    /// `net.ipv6.conf.all.proxy_ndp`.
    pub all_proxy_ndp: i32,
    /// The device's `proxy_ndp`.
    pub dev_proxy_ndp: i32,
}

/// What the routing table says of a target, for [`prefix_routed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TargetRoute {
    /// The route is `RTN_UNICAST` (not local, blackhole, unreachable, prohibit, throw).
    pub unicast: bool,
    /// Its prefix length.
    pub prefix_len: u8,
    /// Its outgoing interface (0 if none).
    pub out_ifindex: u32,
}

fn is_link_local(a: &Ipv6Addr) -> bool {
    a.octets()[0] == 0xfe && a.octets()[1] & 0xc0 == 0x80
}

/// Our extension, `proxy_ndp` = 2 on the interface `rx_ifindex`: `target` is answered
/// for because a route leads to it out through another interface (ndppd's `auto`
/// rule). Not for link-local, multicast, unspecified or loopback targets, default
/// routes (prefix length 0), non-unicast routes (reject, blackhole, local), or routes
/// back out `rx_ifindex`.
pub fn prefix_routed(target: &Ipv6Addr, rx_ifindex: u32, route: Option<TargetRoute>) -> bool {
    if is_link_local(target)
        || target.is_multicast()
        || target.is_unspecified()
        || target.is_loopback()
    {
        return false;
    }
    route.is_some_and(|r| {
        r.unicast && r.prefix_len > 0 && r.out_ifindex != 0 && r.out_ifindex != rx_ifindex
    })
}

/// `ndisc_recv_ns()`: whether a solicitation for `target` (not an address of the device
/// `rx_ifindex`) is answered on the device's behalf, and with which router flag.
/// Mainline's: forwarding on the device, `proxy_ndp` on for it or for all, and a proxy
/// entry (`entry`: `Some(NTF_ROUTER)` if there is one, `pndisc_is_router()`). Ours on
/// top, with the device's `proxy_ndp` at [`PROXY_NDP_PREFIX`] and forwarding on: a
/// target [`prefix_routed`] (`route`: its route), answered without the router flag.
/// `entry` and `route` are only asked when needed.
pub fn proxied(
    conf: &ProxyConf,
    target: &Ipv6Addr,
    rx_ifindex: u32,
    entry: impl FnOnce() -> Option<bool>,
    route: impl FnOnce() -> Option<TargetRoute>,
) -> Option<bool> {
    if !conf.forwarding || (conf.all_proxy_ndp == 0 && conf.dev_proxy_ndp == 0) {
        return None;
    }
    if let Some(router) = entry() {
        return Some(router);
    }
    (conf.dev_proxy_ndp == PROXY_NDP_PREFIX && prefix_routed(target, rx_ifindex, route()))
        .then_some(false)
}

/// Our `proxy_ndp` = 2 on a forwarding interface: it hears every solicited-node group,
/// since any routed target may be asked for (mainline hears only the groups its proxy
/// entries join).
pub fn prefix_listens(forwarding: bool, dev_proxy_ndp: i32) -> bool {
    forwarding && dev_proxy_ndp == PROXY_NDP_PREFIX
}

/// `ip6_forward()`: whether a packet to `dst`, arriving on `rx_ifindex` and routed by
/// `route`, goes to a proxied address (and then to [`crate::forward::proxy_check`]).
/// Mainline's: `all.proxy_ndp` on and a proxy entry for `dst` on the arrival device
/// (`entry`). Ours: the device's `proxy_ndp` at [`PROXY_NDP_PREFIX`], forwarding on
/// it, and `dst` [`prefix_routed`].
pub fn forward_proxied(
    conf: &ProxyConf,
    dst: &Ipv6Addr,
    rx_ifindex: u32,
    entry: impl FnOnce() -> bool,
    route: TargetRoute,
) -> bool {
    (conf.all_proxy_ndp != 0 && entry())
        || (conf.dev_proxy_ndp == PROXY_NDP_PREFIX
            && conf.forwarding
            && prefix_routed(dst, rx_ifindex, Some(route)))
}

/// `ndisc_recv_na()`: an advertisement carrying our own link-layer address (`ours`:
/// the option's address equals the device's) for a target we proxy is our own proxy
/// answer and must not update the entry ("either the proxied node is off link or it
/// has already sent a NA to us"). Mainline asks only `all.forwarding` and
/// `all.proxy_ndp`, then the proxy entry (`entry`).
pub fn na_from_own_proxy(
    ours: bool,
    all_forwarding: bool,
    all_proxy_ndp: bool,
    entry: impl FnOnce() -> bool,
) -> bool {
    ours && all_forwarding && all_proxy_ndp && entry()
}

/// Where a solicitation for `target` goes (`ndisc_solicit()`): unicast to the cached
/// address while `probes` (sent so far) is below `ucast_probes`, else to the
/// solicited-node group.
pub fn solicit_unicast(probes: u32, ucast_probes: u32) -> bool {
    probes < ucast_probes
}

/// `ipv6_accept_ra()`: a host takes router advertisements while `accept_ra` is set; a
/// router (forwarding on) only in the hybrid mode, `accept_ra` = 2.
pub fn accept_ra(accept_ra: i32, forwarding: bool) -> bool {
    if forwarding {
        accept_ra == 2
    } else {
        accept_ra != 0
    }
}

/// The preference of the default route an RA makes: the RA's, except that the
/// reserved value 10b, and any value while `accept_ra_rtr_pref` is off, count as
/// medium (RFC 4191 §2.2).
pub fn default_router_pref(ra_pref: u8, accept_rtr_pref: bool) -> u8 {
    if ra_pref == 2 || !accept_rtr_pref {
        crate::fib::pref::MEDIUM
    } else {
        ra_pref & 3
    }
}

/// What an RA does to the default route through its sender.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DefaultRouterAction {
    /// Delete the existing route (lifetime 0, or `ra_defrtr_metric` changed).
    pub delete: bool,
    /// Add a route (none, or none left, and a lifetime).
    pub add: bool,
    /// Only change the existing route's preference (announced as a replacement).
    pub set_pref: bool,
    /// A route remains whose expiry the RA's lifetime sets.
    pub refresh: bool,
}

/// `ndisc_router_discovery()` on the default route through the sender, given the
/// existing one's (metric, preference), the router lifetime, the metric routes from
/// RAs get (`ra_defrtr_metric`) and the RA's preference.
pub fn default_router_action(
    existing: Option<(u32, u8)>,
    lifetime: u16,
    metric: u32,
    pref: u8,
) -> DefaultRouterAction {
    let delete = existing.is_some_and(|(m, _)| lifetime == 0 || m != metric);
    let kept = existing.filter(|_| !delete);
    let add = kept.is_none() && lifetime != 0;
    DefaultRouterAction {
        delete,
        add,
        set_pref: kept.is_some_and(|(_, p)| p != pref),
        refresh: kept.is_some() || add,
    }
}

/// Whether an RA's default-router part applies: `accept_ra_defrtr` on, a lifetime of 0
/// or at least `accept_ra_min_lft`, and not sent by ourselves unless
/// `accept_ra_from_local` says so.
pub fn default_router_applies(
    accept_defrtr: bool,
    lifetime: u16,
    min_lft: u32,
    from_local: bool,
) -> bool {
    accept_defrtr && (lifetime == 0 || u32::from(lifetime) >= min_lft) && !from_local
}

/// The hop limit an RA sets, if any: its current hop limit, unless 0 or below
/// `accept_ra_min_hop_limit` (256 and above: never).
pub fn ra_hop_limit(cur_hop_limit: u8, min_hop_limit: i32) -> Option<u8> {
    (min_hop_limit < 256 && cur_hop_limit != 0 && min_hop_limit <= i32::from(cur_hop_limit))
        .then_some(cur_hop_limit)
}

/// An RA's retrans timer (ms) as the device's `RETRANS_TIME` in jiffies, at least
/// 10 ms; `None` (unchanged) for 0.
pub fn ra_retrans_time(ms: u32, hz: u32) -> Option<u64> {
    (ms != 0).then(|| (u64::from(ms) * u64::from(hz) / 1000).max(u64::from(hz / 100)))
}

/// An RA's reachable time (ms) as `BASE_REACHABLE_TIME` in jiffies, at least 100 ms;
/// `None` (unchanged) for 0.
pub fn ra_reachable_time(ms: u32, hz: u32) -> Option<u64> {
    (ms != 0).then(|| (u64::from(ms) * u64::from(hz) / 1000).max(u64::from(hz / 10)))
}

/// Whether an RA's MTU option may set the link MTU: from 1280 up to the device's MTU.
pub fn ra_mtu_valid(mtu: u32, dev_mtu: u32) -> bool {
    (crate::conf::IPV6_MIN_MTU..=dev_mtu).contains(&mtu)
}

/// Whether a route information option applies (`ndisc_router_discovery()`'s checks
/// before `rt6_route_rcv()`).
pub fn route_info_applies(
    ri: &crate::wire::ndisc::RouteInfo,
    accept_defrtr: bool,
    min_lft: u32,
    min_plen: i32,
    max_plen: i32,
) -> bool {
    let plen = i32::from(ri.prefix_len);
    (ri.prefix_len != 0 || accept_defrtr)
        && (ri.lifetime == 0 || ri.lifetime >= min_lft)
        && plen >= min_plen
        && plen <= max_plen
}

/// How long an RS waits before the next (`rfc3315_s14_backoff_init()`): the initial
/// interval times `r` / 1 000 000, where the caller draws `r` from 900 000..=1 100 000.
pub fn rs_backoff_init(irt: i32, r: u32) -> i32 {
    (i64::from(irt) * i64::from(r) / 1_000_000) as i32
}

/// The next RS interval (`rfc3315_s14_backoff_update()`): doubled (times `r_up` /
/// 1 000 000, `r_up` in 1 900 000..=2 100 000), or, past `mrt`, `mrt` times `r_max` /
/// 1 000 000 (`r_max` in 900 000..=1 100 000) (RFC 7559).
pub fn rs_backoff_update(rt: i32, mrt: i32, r_up: u32, r_max: u32) -> i32 {
    let next = (i64::from(rt) * i64::from(r_up) / 1_000_000) as i32;
    if next > mrt {
        (i64::from(mrt) * i64::from(r_max) / 1_000_000) as i32
    } else {
        next
    }
}

/// `addrconf_rs_timer()`: after `probes` solicitations, with `rtr_solicits` allowed
/// (negative: no limit), whether to send another. Returns the delay before the timer
/// after that one: `rtr_solicit_delay` after the last, else the new interval.
pub fn rs_next(probes: u32, rtr_solicits: i32, interval: i32, delay: i32) -> Option<i32> {
    let sent = i64::from(probes) + 1;
    if i64::from(probes) < i64::from(rtr_solicits) || rtr_solicits < 0 {
        Some(if sent == i64::from(rtr_solicits) {
            delay
        } else {
            interval
        })
    } else {
        None
    }
}

/// Router solicitation (RFC 4861 §6.3.7 with RFC 7559's backoff), as mainline's
/// `addrconf_dad_completed()` starts it and `addrconf_rs_timer()` goes on: the first
/// solicitation once the device's link-local address is usable, then one per timer
/// run with the interval backing off, until an RA arrives or `rtr_solicits` have gone
/// out. The probe count and interval live in the kernel's `inet6_dev`; the random
/// factors of the backoff come from a [`crate::ctx::Random`].
pub mod rs {
    use super::{accept_ra, rs_backoff_init, rs_backoff_update, rs_next};
    use crate::ctx::Random;

    /// What a solicitation decision is made from.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Facts {
        /// `accept_ra` and `forwarding` of the device.
        pub accept_ra: i32,
        /// Forwarding is on.
        pub forwarding: bool,
        /// `rtr_solicits`: how many to send (negative: no limit).
        pub rtr_solicits: i32,
        /// `rtr_solicit_interval`, `rtr_solicit_max_interval`, `rtr_solicit_delay`, in
        /// jiffies.
        pub interval: i32,
        /// See [`Facts::interval`].
        pub max_interval: i32,
        /// See [`Facts::interval`].
        pub delay: i32,
    }

    /// Send a solicitation: it is the `probes`th, the interval is now `interval`, and
    /// the timer is to run again after `next` jiffies.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Send {
        /// Solicitations sent with this one.
        pub probes: i32,
        /// The backoff interval now (`rs_interval`).
        pub interval: i32,
        /// Jiffies until the timer runs again.
        pub next: i32,
    }

    /// A number in `lo..=hi` (millionths), for the backoff's random factors.
    fn factor(rng: &mut impl Random, lo: u32, hi: u32) -> u32 {
        lo + rng.below(hi - lo + 1)
    }

    /// The first solicitation, on a device that is not loopback or a tunnel (`eligible`):
    /// `None` if routers are not solicited there.
    pub fn start(f: &Facts, eligible: bool, rng: &mut impl Random) -> Option<Send> {
        if !eligible || !accept_ra(f.accept_ra, f.forwarding) || f.rtr_solicits == 0 {
            return None;
        }
        let interval = rs_backoff_init(f.interval, factor(rng, 900_000, 1_100_000));
        Some(Send {
            probes: 1,
            interval,
            next: interval,
        })
    }

    /// A run of the timer after `probes` solicitations at backoff `interval`: the next
    /// one, or `None` when an RA came (`ra_rcvd`), routers are no longer solicited,
    /// or `rtr_solicits` have gone out.
    pub fn step(
        f: &Facts,
        probes: i32,
        interval: i32,
        ra_rcvd: bool,
        rng: &mut impl Random,
    ) -> Option<Send> {
        if ra_rcvd || !accept_ra(f.accept_ra, f.forwarding) {
            return None;
        }
        let interval = rs_backoff_update(
            interval,
            f.max_interval,
            factor(rng, 1_900_000, 2_100_000),
            factor(rng, 900_000, 1_100_000),
        );
        let probes = probes.max(0);
        let next = rs_next(probes as u32, f.rtr_solicits, interval, f.delay)?;
        Some(Send {
            probes: probes + 1,
            interval,
            next,
        })
    }
}

/// What a host makes of a redirect it accepts (`rt6_do_redirect()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RedirectAction<'a> {
    /// The destination is on the link (the target is the destination itself): the
    /// route exception has no gateway.
    pub on_link: bool,
    /// The target's link-layer address, from its option.
    pub lladdr: Option<&'a [u8]>,
    /// `neigh_update()` flags for the target's entry (made `STALE`): a target that is
    /// not the destination is a router.
    pub neigh_flags: u32,
}

/// `rt6_do_redirect()`'s checks of a redirect `m` received on a device whose
/// link-layer addresses are `addr_len` octets: `None` if it is ignored (a multicast
/// destination, a target that is neither the destination nor link-local unicast, a
/// target link-layer address option of the wrong size). Whether the device accepts
/// redirects at all (not forwarding, `accept_redirects`), and whether the sender is
/// the destination's first hop, are the caller's to check.
pub fn redirect_action<'a>(m: &RedirectMsg<'a>, addr_len: usize) -> Option<RedirectAction<'a>> {
    if m.dest.is_multicast() {
        return None;
    }
    let on_link = m.dest == m.target;
    if !on_link && !(m.target.is_unicast_link_local()) {
        return None;
    }
    let lladdr = match m.opts.tgt_lladdr {
        Some(o) => Some(lladdr(o, addr_len)?),
        None => None,
    };
    let mut neigh_flags = update::WEAK_OVERRIDE | update::OVERRIDE;
    if !on_link {
        neigh_flags |= update::OVERRIDE_ISROUTER | update::ISROUTER;
    }
    Some(RedirectAction {
        on_link,
        lladdr,
        neigh_flags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ndisc::{emit_na, emit_ns, solicited_node};

    const MAC: [u8; 6] = [0x52, 0x54, 0, 0, 0, 2];

    fn redirect(buf: &mut [u8], target: &str, dest: &str, tlla: Option<&[u8]>) -> usize {
        let pkt = [0x60u8; 48];
        let t: Ipv6Addr = target.parse().unwrap();
        let d: Ipv6Addr = dest.parse().unwrap();
        crate::wire::ndisc::emit_redirect(buf, &t, &d, tlla, &pkt, 56).unwrap()
    }

    #[test]
    fn redirects_a_host_accepts() {
        let mut b = [0u8; 256];
        // Through a router on the link: the target becomes one.
        let n = redirect(&mut b, "fe80::99", "2001:db8:ff::1", Some(&MAC));
        let m = RedirectMsg::parse(&b[..n]).unwrap();
        assert_eq!(m.redirected().map(|p| p.len()), Some(48));
        let a = redirect_action(&m, 6).unwrap();
        assert!(!a.on_link);
        assert_eq!(a.lladdr, Some(&MAC[..]));
        assert_ne!(a.neigh_flags & update::ISROUTER, 0);
        // The destination is on the link.
        let n = redirect(&mut b, "2001:db8:a::3", "2001:db8:a::3", None);
        let a = redirect_action(&RedirectMsg::parse(&b[..n]).unwrap(), 6).unwrap();
        assert!(a.on_link);
        assert_eq!(a.lladdr, None);
        assert_eq!(a.neigh_flags & update::ISROUTER, 0);
    }

    #[test]
    fn redirects_a_host_ignores() {
        let mut b = [0u8; 256];
        // A global target that is not the destination.
        let n = redirect(&mut b, "2001:db8:a::9", "2001:db8:ff::1", None);
        assert_eq!(
            redirect_action(&RedirectMsg::parse(&b[..n]).unwrap(), 6),
            None
        );
        // A multicast destination.
        let n = redirect(&mut b, "fe80::99", "ff02::1", None);
        assert_eq!(
            redirect_action(&RedirectMsg::parse(&b[..n]).unwrap(), 6),
            None
        );
        // A link-layer address of the wrong size for the device.
        let n = redirect(&mut b, "fe80::99", "2001:db8:ff::1", Some(&MAC));
        assert_eq!(
            redirect_action(&RedirectMsg::parse(&b[..n]).unwrap(), 8),
            None
        );
        // Too short, or an option of length 0.
        assert_eq!(RedirectMsg::parse(&b[..39]), Err(NdDrop::TooSmall));
        let mut bad = [0u8; 48];
        bad[..40].copy_from_slice(&b[..40]);
        bad[40] = 2;
        assert_eq!(RedirectMsg::parse(&bad), Err(NdDrop::BadOptions));
    }

    fn ctx(src: &str, dst: &str, target: Target) -> RxContext {
        RxContext {
            src: src.parse().unwrap(),
            dst: dst.parse().unwrap(),
            target,
            forwarding: false,
            addr_len: 6,
            looped_back: false,
            pkt_host: false,
            requeued: false,
            proxy_delay: true,
        }
    }

    const ASSIGNED: Target = Target::Assigned { optimistic: false };

    #[test]
    fn dad_probe_for_a_tentative_address() {
        let t: Ipv6Addr = "2001:db8::1".parse().unwrap();
        let sn = "ff02::1:ff00:1";
        assert_eq!(solicited_node(&t), sn.parse::<Ipv6Addr>().unwrap());
        let mut b = [0u8; 64];
        let n = emit_ns(&mut b, &t, None, 42).unwrap();
        let m = NdMsg::parse(&b[..n]).unwrap();
        let ours = Target::Tentative {
            optimistic: false,
            dad_nonce: 42,
        };
        assert_eq!(ns_action(&m, &ctx("::", sn, ours)), NsAction::DadLoopedBack);
        let theirs = Target::Tentative {
            optimistic: false,
            dad_nonce: 7,
        };
        assert_eq!(ns_action(&m, &ctx("::", sn, theirs)), NsAction::DadFailure);
        assert_eq!(
            ns_action(&m, &ctx("::", sn, ASSIGNED)),
            NsAction::DefendAddress {
                router: false,
                override_: true
            }
        );
        assert_eq!(
            ns_action(&m, &ctx("::", "ff02::1", ASSIGNED)),
            NsAction::Drop(NdDrop::DadWrongDestination)
        );
    }

    #[test]
    fn resolution_probe() {
        let t: Ipv6Addr = "2001:db8::1".parse().unwrap();
        let sn = "ff02::1:ff00:1";
        assert_eq!(solicited_node(&t), sn.parse::<Ipv6Addr>().unwrap());
        let mut b = [0u8; 64];
        let n = emit_ns(&mut b, &t, Some(&MAC), 0).unwrap();
        let m = NdMsg::parse(&b[..n]).unwrap();
        assert_eq!(
            ns_action(&m, &ctx("2001:db8::2", sn, ASSIGNED)),
            NsAction::Answer {
                lladdr: Some(&MAC[..]),
                create: true,
                router: false,
                override_: true,
                include_tlla: true,
            }
        );
        // Unicast probes (reachability confirmation) get no override and no TLLA.
        assert_eq!(
            ns_action(&m, &ctx("2001:db8::2", "2001:db8::1", ASSIGNED)),
            NsAction::Answer {
                lladdr: Some(&MAC[..]),
                create: true,
                router: false,
                override_: false,
                include_tlla: false,
            }
        );
        assert_eq!(
            ns_action(&m, &ctx("2001:db8::2", sn, Target::NotOurs)),
            NsAction::Drop(NdDrop::NotOurs)
        );
        let tentative = Target::Tentative {
            optimistic: false,
            dad_nonce: 1,
        };
        assert_eq!(
            ns_action(&m, &ctx("2001:db8::2", sn, tentative)),
            NsAction::Drop(NdDrop::Ignored)
        );
        // A DAD probe must not carry a source link-layer address.
        assert_eq!(
            ns_action(&m, &ctx("::", sn, ASSIGNED)),
            NsAction::Drop(NdDrop::DadWithLladdr)
        );
    }

    #[test]
    fn anycast_solicitations() {
        let t: Ipv6Addr = "2001:db8:1::".parse().unwrap();
        let sn = "ff02::1:ff00:0";
        let mut b = [0u8; 64];
        let n = emit_ns(&mut b, &t, Some(&MAC), 0).unwrap();
        let m = NdMsg::parse(&b[..n]).unwrap();
        let c = RxContext {
            proxy_delay: true,
            forwarding: true,
            ..ctx("2001:db8::2", sn, Target::Anycast)
        };
        // Multicast: the random delay first, then an answer with the device's router
        // flag that never overrides.
        assert_eq!(ns_action(&m, &c), NsAction::Delay);
        let answer = |router| NsAction::Answer {
            lladdr: Some(&MAC[..]),
            create: true,
            router,
            override_: false,
            include_tlla: true,
        };
        let again = RxContext {
            requeued: true,
            ..c
        };
        assert_eq!(ns_action(&m, &again), answer(true));
        let host = RxContext {
            proxy_delay: false,
            forwarding: false,
            ..c
        };
        assert_eq!(ns_action(&m, &host), answer(false));
        // DAD for an anycast address: defended, without override.
        let dad = RxContext {
            requeued: true,
            ..ctx("::", sn, Target::Anycast)
        };
        let n = emit_ns(&mut b, &t, None, 0).unwrap();
        let m = NdMsg::parse(&b[..n]).unwrap();
        assert_eq!(
            ns_action(&m, &dad),
            NsAction::DefendAddress {
                router: false,
                override_: false
            }
        );
    }

    #[test]
    fn proxied_solicitations() {
        let t: Ipv6Addr = "2001:db8:1::5".parse().unwrap();
        let sn = "ff02::1:ff00:5";
        let mut b = [0u8; 64];
        let n = emit_ns(&mut b, &t, Some(&MAC), 0).unwrap();
        let m = NdMsg::parse(&b[..n]).unwrap();
        let proxied = Target::Proxied { router: true };
        // A multicast one waits for the proxy delay, unless it was queued already, the
        // delay is 0, or it came to our link-layer address.
        let c = ctx("2001:db8::2", sn, proxied);
        assert_eq!(ns_action(&m, &c), NsAction::Delay);
        let answer = NsAction::Answer {
            lladdr: Some(&MAC[..]),
            create: true,
            router: true,
            override_: false,
            include_tlla: true,
        };
        for c in [
            RxContext {
                requeued: true,
                ..c
            },
            RxContext {
                proxy_delay: false,
                ..c
            },
            RxContext {
                pkt_host: true,
                ..c
            },
        ] {
            assert_eq!(ns_action(&m, &c), answer);
        }
        // Unicast: answered at once, no TLLA, no override, even to our address.
        let c = RxContext {
            pkt_host: true,
            ..ctx(
                "2001:db8::2",
                "2001:db8:1::5",
                Target::Proxied { router: false },
            )
        };
        assert_eq!(
            ns_action(&m, &c),
            NsAction::Answer {
                lladdr: Some(&MAC[..]),
                create: true,
                router: false,
                override_: false,
                include_tlla: false,
            }
        );
        // DAD for a proxied address: delayed, then defended without override.
        let n = emit_ns(&mut b, &t, None, 0).unwrap();
        let m = NdMsg::parse(&b[..n]).unwrap();
        let c = ctx("::", sn, proxied);
        assert_eq!(ns_action(&m, &c), NsAction::Delay);
        assert_eq!(
            ns_action(
                &m,
                &RxContext {
                    requeued: true,
                    ..c
                }
            ),
            NsAction::DefendAddress {
                router: true,
                override_: false
            }
        );
    }

    #[test]
    fn proxy_decisions() {
        let t: Ipv6Addr = "2001:db8:1::5".parse().unwrap();
        let conf = |fwd, all, dev| ProxyConf {
            forwarding: fwd,
            all_proxy_ndp: all,
            dev_proxy_ndp: dev,
        };
        let out = |plen, ifindex| {
            Some(TargetRoute {
                unicast: true,
                prefix_len: plen,
                out_ifindex: ifindex,
            })
        };
        let never = || -> Option<TargetRoute> { panic!("route asked") };
        // Mainline: an entry, forwarding, and proxy_ndp for the device or for all.
        assert_eq!(
            proxied(&conf(true, 1, 0), &t, 2, || Some(true), never),
            Some(true)
        );
        assert_eq!(
            proxied(&conf(true, 0, 1), &t, 2, || Some(false), never),
            Some(false)
        );
        assert_eq!(
            proxied(&conf(false, 1, 1), &t, 2, || Some(true), never),
            None
        );
        assert_eq!(
            proxied(&conf(true, 0, 0), &t, 2, || Some(true), never),
            None
        );
        assert_eq!(proxied(&conf(true, 1, 1), &t, 2, || None, never), None);
        // Any non-zero value is mainline's 1: 3 is not the prefix mode.
        assert_eq!(proxied(&conf(true, 0, 3), &t, 2, || None, never), None);
        // Ours: proxy_ndp 2 answers for targets routed out another interface.
        let c = conf(true, 0, PROXY_NDP_PREFIX);
        assert_eq!(proxied(&c, &t, 2, || None, || out(64, 3)), Some(false));
        // The entry still decides first (its router flag).
        assert_eq!(proxied(&c, &t, 2, || Some(true), never), Some(true));
        // all.proxy_ndp 2 is not the device's.
        let all2 = conf(true, PROXY_NDP_PREFIX, 0);
        assert_eq!(proxied(&all2, &t, 2, || None, never), None);
        // Not through the receiving interface, not a default route, not a reject
        // route, not without forwarding.
        assert_eq!(proxied(&c, &t, 2, || None, || out(64, 2)), None);
        assert_eq!(proxied(&c, &t, 2, || None, || out(0, 3)), None);
        assert_eq!(proxied(&c, &t, 2, || None, || None), None);
        let reject = TargetRoute {
            unicast: false,
            prefix_len: 64,
            out_ifindex: 1,
        };
        assert_eq!(proxied(&c, &t, 2, || None, || Some(reject)), None);
        let nofwd = conf(false, 0, PROXY_NDP_PREFIX);
        assert_eq!(proxied(&nofwd, &t, 2, || None, never), None);
        // Never link-local, multicast or special targets.
        for a in ["fe80::5", "ff02::1", "::", "::1"] {
            let a: Ipv6Addr = a.parse().unwrap();
            assert!(!prefix_routed(&a, 2, out(64, 3)));
        }
        // Forwarding: mainline asks all.proxy_ndp and the entry only.
        let r = out(64, 3).unwrap();
        assert!(forward_proxied(&conf(false, 1, 0), &t, 2, || true, r));
        assert!(!forward_proxied(&conf(true, 0, 1), &t, 2, || true, r));
        assert!(!forward_proxied(&conf(true, 1, 0), &t, 2, || false, r));
        assert!(forward_proxied(&c, &t, 2, || false, r));
        assert!(!forward_proxied(&nofwd, &t, 2, || false, r));
        assert!(!forward_proxied(&c, &t, 3, || false, r));
        assert!(prefix_listens(true, PROXY_NDP_PREFIX));
        assert!(!prefix_listens(false, PROXY_NDP_PREFIX) && !prefix_listens(true, 1));
        // NAs carrying our own address for a proxied target are ours.
        assert!(na_from_own_proxy(true, true, true, || true));
        assert!(!na_from_own_proxy(false, true, true, || true));
        assert!(!na_from_own_proxy(true, false, true, || true));
        assert!(!na_from_own_proxy(true, true, false, || true));
        assert!(!na_from_own_proxy(true, true, true, || false));
    }

    #[test]
    fn advertisements() {
        let t: Ipv6Addr = "2001:db8::2".parse().unwrap();
        let mut b = [0u8; 64];
        let f = na_flag::SOLICITED | na_flag::OVERRIDE;
        let n = emit_na(&mut b, &t, f, Some(&MAC)).unwrap();
        let m = NdMsg::parse(&b[..n]).unwrap();
        let c = ctx("2001:db8::2", "2001:db8::1", Target::NotOurs);
        assert_eq!(
            na_action(&m, &c, false),
            NaAction::Update {
                lladdr: Some(&MAC[..]),
                state: nud::REACHABLE,
                flags: update::WEAK_OVERRIDE | update::OVERRIDE_ISROUTER | update::OVERRIDE,
            }
        );
        let mc = ctx("2001:db8::2", "ff02::1", Target::NotOurs);
        assert_eq!(
            na_action(&m, &mc, false),
            NaAction::Drop(NdDrop::SolicitedToMulticast)
        );
        let tentative = Target::Tentative {
            optimistic: false,
            dad_nonce: 0,
        };
        let c = ctx("2001:db8::2", "2001:db8::1", tentative);
        assert_eq!(na_action(&m, &c, false), NaAction::DadFailure);
        let c = ctx("2001:db8::2", "2001:db8::1", ASSIGNED);
        assert_eq!(na_action(&m, &c, false), NaAction::OwnAddress);
    }

    #[test]
    fn router_advertisement_decisions() {
        assert!(accept_ra(1, false) && !accept_ra(1, true) && accept_ra(2, true));
        assert!(!accept_ra(0, false));
        assert_eq!(default_router_pref(2, true), 0);
        assert_eq!(default_router_pref(1, false), 0);
        assert_eq!(default_router_pref(3, true), 3);
        let a = default_router_action(None, 1800, 1024, 0);
        assert!(a.add && a.refresh && !a.delete && !a.set_pref);
        let a = default_router_action(Some((1024, 0)), 0, 1024, 0);
        assert!(a.delete && !a.add && !a.refresh);
        let a = default_router_action(Some((1024, 0)), 1800, 1024, 1);
        assert!(a.set_pref && a.refresh && !a.add && !a.delete);
        // A metric change replaces the route.
        let a = default_router_action(Some((1024, 0)), 1800, 100, 0);
        assert!(a.delete && a.add);
        assert!(default_router_applies(true, 0, 300, false));
        assert!(!default_router_applies(true, 299, 300, false));
        assert!(!default_router_applies(true, 1800, 0, true));
        assert_eq!(ra_hop_limit(64, 1), Some(64));
        assert_eq!(ra_hop_limit(0, 1), None);
        assert_eq!(ra_hop_limit(3, 4), None);
        assert_eq!(ra_hop_limit(255, 256), None);
        assert_eq!(ra_retrans_time(1500, 250), Some(375));
        assert_eq!(ra_retrans_time(1, 250), Some(2));
        assert_eq!(ra_retrans_time(0, 250), None);
        assert_eq!(ra_reachable_time(1, 250), Some(25));
        assert!(ra_mtu_valid(1280, 1500) && !ra_mtu_valid(1279, 1500) && !ra_mtu_valid(1501, 1500));
    }

    #[test]
    fn router_solicitation_schedule() {
        assert_eq!(rs_backoff_init(1000, 900_000), 900);
        assert_eq!(
            rs_backoff_update(1000, 3_600_000, 2_000_000, 1_000_000),
            2000
        );
        assert_eq!(
            rs_backoff_update(3_000_000, 3_600_000, 2_000_000, 1_100_000),
            3_960_000
        );
        // Three solicitations allowed: the timer sends the 2nd and 3rd, then stops.
        assert_eq!(rs_next(1, 3, 8, 1), Some(8));
        assert_eq!(rs_next(2, 3, 16, 1), Some(1));
        assert_eq!(rs_next(3, 3, 32, 1), None);
        assert_eq!(rs_next(1000, -1, 32, 1), Some(32));
        assert_eq!(rs_next(0, 0, 32, 1), None);
    }

    #[test]
    fn untracked_na_rfc9131() {
        let never = || -> bool { panic!("prefix asked") };
        // ndisc_unsolicited_na_test.sh's matrix (drop_unsolicited_na is na_action's):
        // only accept 1 on a router creates an entry.
        assert!(accept_untracked(true, true, 1, never));
        assert!(!accept_untracked(true, false, 1, never));
        assert!(!accept_untracked(true, true, 0, never));
        assert!(!accept_untracked(true, false, 0, never));
        // Without a target link-layer address there is nothing to learn.
        assert!(!accept_untracked(false, true, 1, never));
        assert!(!accept_untracked(false, true, 2, never));
        // 2: only from a source on one of the device's prefixes.
        assert!(accept_untracked(true, true, 2, || true));
        assert!(!accept_untracked(true, true, 2, || false));
        assert!(!accept_untracked(true, false, 2, never));
        // Out of range (the sysctl refuses them): never.
        assert!(!accept_untracked(true, true, 3, never));
        assert!(!accept_untracked(true, true, -1, never));
    }

    #[test]
    fn drop_unsolicited_na_first() {
        let t: Ipv6Addr = "2001:db8::2".parse().unwrap();
        let mut b = [0u8; 64];
        let n = emit_na(&mut b, &t, na_flag::OVERRIDE, Some(&MAC)).unwrap();
        let m = NdMsg::parse(&b[..n]).unwrap();
        let c = RxContext {
            forwarding: true,
            ..ctx("2001:db8::2", "ff02::1", Target::NotOurs)
        };
        assert_eq!(na_action(&m, &c, true), NaAction::Drop(NdDrop::Ignored));
        assert_eq!(
            na_action(&m, &c, false),
            NaAction::Update {
                lladdr: Some(&MAC[..]),
                state: nud::STALE,
                flags: update::WEAK_OVERRIDE | update::OVERRIDE_ISROUTER | update::OVERRIDE,
            }
        );
    }

    #[test]
    fn netdev_events() {
        use crate::addrconf::DevEvent;
        let f = DevFacts {
            has_idev: true,
            notify: false,
            evict_nocarrier: true,
            carrier_ok: true,
            noarp_changed: false,
        };
        let none = DevActions::default();
        let notify = DevFacts { notify: true, ..f };
        assert_eq!(dev_event(DevEvent::Up, f), none);
        let na = DevActions {
            unsol_na: true,
            ..none
        };
        assert_eq!(dev_event(DevEvent::Up, notify), na);
        let no_idev = DevFacts {
            has_idev: false,
            ..notify
        };
        assert_eq!(dev_event(DevEvent::Up, no_idev), none);
        // A new link-layer address: entries forget the old one, the collector runs, and
        // with ndisc_notify the addresses are advertised.
        let changed = DevActions {
            changeaddr: true,
            run_gc: true,
            ..none
        };
        assert_eq!(dev_event(DevEvent::ChangeAddr, f), changed);
        assert_eq!(
            dev_event(DevEvent::ChangeAddr, notify),
            DevActions {
                unsol_na: true,
                ..changed
            }
        );
        // NETDEV_NOTIFY_PEERS advertises whatever ndisc_notify says.
        assert_eq!(dev_event(DevEvent::NotifyPeers, f), na);
        assert_eq!(dev_event(DevEvent::NotifyPeers, no_idev), none);
        // Carrier loss flushes unless ndisc_evict_nocarrier is off (device or all).
        let lost = DevFacts {
            carrier_ok: false,
            ..f
        };
        assert_eq!(
            dev_event(DevEvent::Change, lost),
            DevActions {
                carrier_down: true,
                ..none
            }
        );
        let kept = DevFacts {
            evict_nocarrier: false,
            ..lost
        };
        assert_eq!(dev_event(DevEvent::Change, kept), none);
        assert_eq!(dev_event(DevEvent::Change, f), none);
        let noarp = DevFacts {
            noarp_changed: true,
            ..f
        };
        assert_eq!(
            dev_event(DevEvent::Change, noarp),
            DevActions {
                changeaddr: true,
                ..none
            }
        );
        assert_eq!(
            dev_event(DevEvent::Down, f),
            DevActions {
                run_gc: true,
                ..none
            }
        );
        for ev in [
            DevEvent::Register,
            DevEvent::Unregister,
            DevEvent::ChangeMtu,
        ] {
            assert_eq!(dev_event(ev, notify), none);
        }
    }

    #[test]
    fn unsol_na_skips_tentative() {
        use crate::addrconf::ifa_flags as f;
        assert!(unsol_na_advertises(0));
        assert!(unsol_na_advertises(f::PERMANENT));
        assert!(!unsol_na_advertises(f::TENTATIVE));
        assert!(unsol_na_advertises(f::TENTATIVE | f::OPTIMISTIC));
        assert!(unsol_na_advertises(f::DADFAILED));
    }
}

#[cfg(test)]
mod rs_tests {
    use super::rs::{self, Facts};
    use crate::ctx::Random;

    /// Random factors at one end of their ranges, or the other.
    struct Edge(bool);

    impl Random for Edge {
        fn below(&mut self, ceil: u32) -> u32 {
            if self.0 {
                ceil.saturating_sub(1)
            } else {
                0
            }
        }
        fn fill(&mut self, buf: &mut [u8]) {
            buf.fill(0);
        }
    }

    const HZ: i32 = 250;

    fn facts(rtr_solicits: i32) -> Facts {
        Facts {
            accept_ra: 1,
            forwarding: false,
            rtr_solicits,
            interval: 4 * HZ,
            max_interval: 3600 * HZ,
            delay: HZ,
        }
    }

    /// Every solicitation a device sends, as (probes, next) pairs.
    fn run(f: &Facts, ra_after: Option<i32>, high: bool) -> std::vec::Vec<(i32, i32)> {
        extern crate std;
        let mut r = Edge(high);
        let mut out = std::vec::Vec::new();
        let Some(mut s) = rs::start(f, true, &mut r) else {
            return out;
        };
        out.push((s.probes, s.next));
        while out.len() < 40 {
            let ra = ra_after.is_some_and(|n| s.probes >= n);
            match rs::step(f, s.probes, s.interval, ra, &mut r) {
                Some(n) => {
                    out.push((n.probes, n.next));
                    s = n;
                }
                None => break,
            }
        }
        out
    }

    extern crate std;

    #[test]
    fn counts_and_backoff() {
        // Three solicitations, the timer after the last one waits rtr_solicit_delay.
        let v = run(&facts(3), None, false);
        assert_eq!(
            v.iter().map(|x| x.0).collect::<std::vec::Vec<_>>(),
            [1, 2, 3]
        );
        assert_eq!(v[0].1, 4 * HZ * 9 / 10);
        assert_eq!(v[2].1, HZ);
        // None when RAs are not accepted, or rtr_solicits is 0, or not eligible.
        assert!(run(&facts(0), None, false).is_empty());
        let fwd = Facts {
            forwarding: true,
            ..facts(3)
        };
        assert!(run(&fwd, None, false).is_empty());
        assert!(rs::start(&facts(3), false, &mut Edge(false)).is_none());
        // An RA stops it.
        assert_eq!(run(&facts(-1), Some(2), false).len(), 2);
    }

    proptest::proptest! {
        /// RFC 7559: with no limit, the interval doubles (within the random factors)
        /// and, once past the maximum, stays within 0.9 to 1.1 times it.
        #[test]
        fn backoff_bounded(high: bool, irt in 1i32..(10 * HZ), mrt in (10 * HZ)..(7200 * HZ)) {
            let f = Facts { interval: irt, max_interval: mrt, ..facts(-1) };
            let v = run(&f, None, high);
            proptest::prop_assert_eq!(v.len(), 40);
            for w in v.windows(2) {
                let (a, b) = (i64::from(w[0].1), i64::from(w[1].1));
                let capped = b <= i64::from(mrt) * 11 / 10 && b >= i64::from(mrt) * 9 / 10 - 1;
                proptest::prop_assert!(capped || (b >= a * 19 / 10 - 1 && b <= a * 21 / 10 + 1));
            }
        }

        /// With a limit, exactly that many go out.
        #[test]
        fn limited(n in 1i32..30, high: bool) {
            proptest::prop_assert_eq!(run(&facts(n), None, high).len(), n as usize);
        }
    }
}
