// SPDX-License-Identifier: GPL-2.0

//! Routes as users and address configuration see them (mainline `net/ipv6/route.c`):
//! `RTM_NEWROUTE`/`RTM_DELROUTE`/`RTM_GETROUTE`, the routes addresses and devices bring
//! with them, and `/proc/net/ipv6_route`.

#![forbid(unsafe_code)]

use crate::errno;
use crate::net::netns::Net;
use crate::net::uapi;
use crate::net::{
    device::{dev_by_index, NetDevice},
    ifaddr::{self, IfAddr},
    netlink::{self, Attrs, DoitCall, DumpCall, Extack, NlError, Request, RtnlDoit, RtnlDump},
    procfs::{Seq, SeqShow},
};

use crate::ipv6::{
    ip6_fib::{self, GetInfo, Origin},
    ip6_input,
};
use crate::{
    addrconf::{ifa_flags, INFINITY_LIFE_TIME},
    fib::{prefix, rtf, rtn, table, AddError, AddMode, Route, PRIO_ADDRCONF, PRIO_USER},
    wire::ndisc::RouteInfo,
};
use core::{ffi::CStr, net::Ipv6Addr};
use kernel::prelude::*;

/// `RTPROT_KERNEL`: routes the kernel makes.
const PROT_KERNEL: u8 = 2;
/// `RTPROT_BOOT`: routes added without a protocol.
const PROT_BOOT: u8 = 3;
/// `RTPROT_RA`: routes learnt from router advertisements.
const PROT_RA: u8 = 9;
/// `RTNH_F_ONLINK`.
const NH_ONLINK: u32 = 4;

use crate::net::time::{hz, jiffies as now};

/// A route the kernel makes (`RTPROT_KERNEL`).
fn kernel_route(dst: &Ipv6Addr, len: u8, kind: u8, flags: u32, metric: u32, ifindex: u32) -> Route {
    Route::new(dst, len, kind, PROT_KERNEL, flags, metric, ifindex)
}

fn add_kernel_route(net: &Net, id: u32, r: Route) {
    match ip6_fib::add(net, id, r, AddMode::KERNEL, Origin::KERNEL) {
        Ok(()) | Err(AddError::Exists) => {}
        Err(e) => pr_warn!("cannot add a route: {:?}\n", e),
    }
}

/// `addrconf_prefix_route()`: the main-table route to an address's prefix, with the
/// address's metric (0: 256) and, for a finite `valid_lft`, its expiry.
pub(crate) fn add_prefix_route(dev: &NetDevice, addr: &Ipv6Addr, len: u8, metric: u32, valid: u32) {
    let metric = if metric == 0 { PRIO_ADDRCONF } else { metric };
    let flags = loopback_reject(rtf::UP, dev.is_loopback(), &prefix(addr, len));
    let mut r = kernel_route(addr, len, rtn::UNICAST, flags, metric, dev.ifindex());
    set_expiry(&mut r, valid);
    add_kernel_route(dev.net(), table::MAIN, r);
}

/// `fib6_is_reject()`: a reject route, or a route through the loopback device to
/// anything but `::1` or our own addresses, becomes `RTF_REJECT | RTF_NONEXTHOP` (no
/// true routes through `lo`: they would loop).
fn loopback_reject(flags: u32, on_loopback: bool, dst: &Ipv6Addr) -> u32 {
    if flags & rtf::REJECT != 0
        || (on_loopback && *dst != Ipv6Addr::LOCALHOST && flags & (rtf::ANYCAST | rtf::LOCAL) == 0)
    {
        rtf::REJECT | rtf::NONEXTHOP
    } else {
        flags
    }
}

/// `cleanup_prefix_route()`: removes the prefix route of `dev` for `addr/len`.
fn del_prefix_route(dev: &NetDevice, addr: &Ipv6Addr, len: u8) {
    let ifindex = dev.ifindex();
    ip6_fib::remove(
        dev.net(),
        table::MAIN,
        addr,
        len,
        |r| is_prefix_route(r, ifindex),
        Origin::KERNEL,
    );
}

/// The prefix route of `dev` for `addr/len` (`addrconf_get_prefix_route()`).
fn is_prefix_route(r: &Route, ifindex: u32) -> bool {
    r.ifindex == ifindex && r.gateway.is_none() && r.flags & rtf::DEFAULT == 0
}

/// `inet6_addr_modify()`'s route part: the address's prefix route follows its new
/// metric (`modify_prefix_route()`: a metric change replaces the route) and lifetime,
/// comes back if it was deleted, and goes (with the last address of the prefix) when
/// `noprefixroute` is now set.
pub(crate) fn address_modified(dev: &NetDevice, ifa: &IfAddr, had_prefixroute: bool) {
    let (addr, len) = (ifa.addr(), ifa.prefix_len());
    if ifa.flags() & ifa_flags::NOPREFIXROUTE != 0 {
        if had_prefixroute {
            cleanup_prefix_route(dev, ifa);
        }
        return;
    }
    let prio = match ifa.rt_priority() {
        0 => PRIO_ADDRCONF,
        p => p,
    };
    refresh_prefix_route(dev, &addr, len, prio, ifa.lifetimes().1, had_prefixroute);
    // A point-to-point address's peer route follows (`modify_prefix_route(.., true)`).
    let peer = ifa.peer();
    if had_prefixroute && !peer.is_unspecified() {
        refresh_prefix_route(dev, &peer, len, prio, INFINITY_LIFE_TIME, true);
    }
}

/// The prefix route of `dev` for `addr/len` gets metric `prio` (a new route if the
/// metric changes) and lifetime `valid`, or comes back if it was gone.
fn refresh_prefix_route(
    dev: &NetDevice,
    addr: &Ipv6Addr,
    len: u8,
    prio: u32,
    valid: u32,
    had: bool,
) {
    let (net, ifindex) = (dev.net(), dev.ifindex());
    let found = had
        .then(|| ip6_fib::find_exact(net, table::MAIN, addr, len, |r| is_prefix_route(r, ifindex)))
        .flatten()
        .map(|r| r.metric);
    match found {
        Some(m) if m != prio => {
            del_prefix_route(dev, addr, len);
            add_prefix_route(dev, addr, len, prio, valid);
        }
        Some(_) => {
            ip6_fib::update_exact(net, table::MAIN, addr, len, false, |r| {
                let ours = is_prefix_route(r, ifindex);
                if ours {
                    set_expiry(r, valid);
                }
                ours
            });
        }
        None => add_prefix_route(dev, addr, len, prio, valid),
    }
}

/// The route to `ifa`'s peer goes (`cleanup_prefix_route(.., del_peer)`).
pub(crate) fn del_peer_route(dev: &NetDevice, ifa: &IfAddr) {
    del_prefix_route(dev, &ifa.peer(), ifa.prefix_len());
}

/// `addrconf_add_mroute()`: `multicast ff00::/8` in the local table.
pub(crate) fn add_mroute(dev: &NetDevice) {
    let ff00 = Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0);
    let r = kernel_route(
        &ff00,
        8,
        rtn::MULTICAST,
        rtf::UP,
        PRIO_ADDRCONF,
        dev.ifindex(),
    );
    add_kernel_route(dev.net(), table::LOCAL, r);
}

/// `ip6_ins_rt()` of an address's local route (`ifp->rt`): when it is announced, or
/// when optimistic DAD begins on it (it receives while it is probed).
pub(crate) fn add_local_route(dev: &NetDevice, addr: &Ipv6Addr) {
    let flags = rtf::UP | rtf::NONEXTHOP | rtf::LOCAL;
    add_kernel_route(
        dev.net(),
        table::LOCAL,
        kernel_route(addr, 128, rtn::LOCAL, flags, 0, dev.ifindex()),
    );
}

/// The routes an address brings once it is announced, as `__ipv6_ifa_notify()` inserts
/// and removes them: its local route (`addrconf_f6i_alloc()`), a peer's host route.
pub(crate) fn address_event(event: u16, dev: &NetDevice, ifa: &IfAddr) {
    let net = dev.net();
    let ifindex = dev.ifindex();
    let addr = ifa.addr();
    let peer = ifa.peer();
    if event == uapi::RTM_NEWADDR as u16 {
        let f = ifa.flags();
        if f & ifa_flags::TENTATIVE != 0 && f & ifa_flags::OPTIMISTIC == 0 {
            return;
        }
        add_local_route(dev, &addr);
        if !peer.is_unspecified() {
            add_prefix_route(dev, &peer, 128, ifa.rt_priority(), INFINITY_LIFE_TIME);
        }
        return;
    }
    if !peer.is_unspecified() {
        del_prefix_route(dev, &peer, 128);
    }
    ip6_fib::remove(
        net,
        table::LOCAL,
        &addr,
        128,
        |r| r.kind == rtn::LOCAL && r.ifindex == ifindex,
        Origin::KERNEL,
    );
    // `ipv6_del_addr()`: the prefix route goes with the last permanent address of
    // the prefix, and no route keeps the address as its preferred source
    // (`rt6_remove_prefsrc()`).
    let f = ifa.flags();
    if f & ifa_flags::PERMANENT != 0 && f & ifa_flags::NOPREFIXROUTE == 0 {
        cleanup_prefix_route(dev, ifa);
    }
    ip6_fib::update_all(net, |r| {
        if r.prefsrc == Some(addr) && r.ifindex == ifindex {
            r.prefsrc = None;
            return true;
        }
        false
    });
}

/// An anycast address's route (`addrconf_f6i_alloc(.., anycast)`, inserted by
/// `__ipv6_dev_ac_inc()`): `anycast addr dev .. proto kernel metric 0` in the local
/// table.
pub(crate) fn add_anycast(dev: &NetDevice, addr: &Ipv6Addr) {
    let flags = rtf::UP | rtf::NONEXTHOP | rtf::ANYCAST;
    let r = kernel_route(addr, 128, rtn::ANYCAST, flags, 0, dev.ifindex());
    add_kernel_route(dev.net(), table::LOCAL, r);
}

/// The anycast address's route goes with its last user (`__ipv6_dev_ac_dec()`).
pub(crate) fn del_anycast(dev: &NetDevice, addr: &Ipv6Addr) {
    let ifindex = dev.ifindex();
    ip6_fib::remove(
        dev.net(),
        table::LOCAL,
        addr,
        128,
        |r| r.kind == rtn::ANYCAST && r.ifindex == ifindex,
        Origin::KERNEL,
    );
}

/// `check_cleanup_prefix_route()` + `cleanup_prefix_route()`: the prefix route of
/// `ifa` goes unless another address of the prefix keeps it.
fn cleanup_prefix_route(dev: &NetDevice, ifa: &IfAddr) {
    let (addr, len) = (ifa.addr(), ifa.prefix_len());
    let mut others = ifaddr::addrs(dev).filter(|o| {
        o.as_ptr() != ifa.as_ptr()
            && o.prefix_len() == len
            && prefix(&o.addr(), len) == prefix(&addr, len)
    });
    // Another address of the prefix keeps it (a non-permanent one would make it expire
    // with itself, which matters for temporary addresses: not yet).
    if !others.any(|_| true) {
        del_prefix_route(dev, &addr, len);
    }
}

/// Sets or clears a route's expiry: `lifetime` seconds from now, none for infinity.
fn set_expiry(r: &mut Route, lifetime: u32) {
    if lifetime == INFINITY_LIFE_TIME {
        r.flags &= !rtf::EXPIRES;
        r.expires = 0;
    } else {
        r.flags |= rtf::EXPIRES;
        r.expires = now().wrapping_add(u64::from(lifetime) * hz());
    }
}

/// A default route an RA made through router `gw` on `ifindex` (`rt6_get_dflt_router()`).
fn is_default_router(r: &Route, gw: &Ipv6Addr, ifindex: u32) -> bool {
    let f = rtf::ADDRCONF | rtf::DEFAULT;
    r.ifindex == ifindex && r.flags & f == f && r.gateway == Some(*gw)
}

/// A route a route information option made through `gw` on `ifindex`
/// (`rt6_get_route_info()`).
fn is_route_info(r: &Route, gw: &Ipv6Addr, ifindex: u32) -> bool {
    r.ifindex == ifindex && r.flags & rtf::ROUTEINFO != 0 && r.gateway == Some(*gw)
}

/// The default route an RA made through `gw` on `ifindex`, if any.
pub(crate) fn default_router(net: &Net, gw: &Ipv6Addr, ifindex: u32) -> Option<Route> {
    ip6_fib::find_exact(net, table::MAIN, &Ipv6Addr::UNSPECIFIED, 0, |r| {
        is_default_router(r, gw, ifindex)
    })
}

/// Deletes the default route through `gw` on `ifindex` (router lifetime 0).
pub(crate) fn del_default_router(net: &Net, gw: &Ipv6Addr, ifindex: u32) {
    let any = Ipv6Addr::UNSPECIFIED;
    ip6_fib::remove(
        net,
        table::MAIN,
        &any,
        0,
        |r| is_default_router(r, gw, ifindex),
        Origin::KERNEL,
    );
}

/// `rt6_add_dflt_router()`: a default route through router `gw` with the RA's
/// preference, `ra_defrtr_metric` and router lifetime (seconds).
pub(crate) fn add_default_router(
    dev: &NetDevice,
    gw: &Ipv6Addr,
    pref: u8,
    metric: u32,
    lifetime: u32,
) {
    let flags =
        rtf::GATEWAY | rtf::ADDRCONF | rtf::DEFAULT | rtf::UP | rtf::EXPIRES | rtf::pref(pref);
    let mut r = Route::new(
        &Ipv6Addr::UNSPECIFIED,
        0,
        rtn::UNICAST,
        PROT_RA,
        flags,
        metric,
        dev.ifindex(),
    );
    r.gateway = Some(*gw);
    r.expires = now().wrapping_add(u64::from(lifetime) * hz());
    add_kernel_route(dev.net(), table::MAIN, r);
}

/// Changes the default route through `gw` in place with `f`, announcing the
/// replacement if `announce`.
fn update_router(
    net: &Net,
    dst: &Ipv6Addr,
    len: u8,
    matches: impl Fn(&Route) -> bool,
    announce: bool,
    mut f: impl FnMut(&mut Route),
) {
    ip6_fib::update_exact(net, table::MAIN, dst, len, announce, |r| {
        if !matches(r) {
            return false;
        }
        f(r);
        true
    });
}

/// Changes the default route an RA made through `gw` on `ifindex` in place with `f`,
/// announcing the replacement if `announce`.
fn update_default_router(
    net: &Net,
    gw: &Ipv6Addr,
    ifindex: u32,
    announce: bool,
    f: impl FnMut(&mut Route),
) {
    let any = Ipv6Addr::UNSPECIFIED;
    update_router(
        net,
        &any,
        0,
        |r| is_default_router(r, gw, ifindex),
        announce,
        f,
    );
}

/// The RA's preference for the default route through `gw` (announced as a
/// replacement, as mainline does).
pub(crate) fn set_router_pref(net: &Net, gw: &Ipv6Addr, ifindex: u32, pref: u8) {
    update_default_router(net, gw, ifindex, true, |r| {
        r.flags = (r.flags & !rtf::PREF_MASK) | rtf::pref(pref);
    });
}

/// The default route through `gw` expires `lifetime` seconds from now.
pub(crate) fn router_expires(net: &Net, gw: &Ipv6Addr, ifindex: u32, lifetime: u32) {
    update_default_router(net, gw, ifindex, false, |r| {
        // Mainline sets the expiry even for a lifetime of 0xffff seconds: no infinity.
        r.flags |= rtf::EXPIRES;
        r.expires = now().wrapping_add(u64::from(lifetime) * hz());
    });
}

/// Metrics an RA sets on the default route through `gw` (`fib6_metric_set()`).
pub(crate) fn router_metrics(net: &Net, gw: &Ipv6Addr, ifindex: u32, f: impl FnMut(&mut Route)) {
    update_default_router(net, gw, ifindex, false, f);
}

/// `rt6_route_rcv()`: a route information option (RFC 4191) from router `gw`.
pub(crate) fn route_info_rcv(dev: &NetDevice, ri: &RouteInfo, gw: &Ipv6Addr) {
    let (net, ifindex) = (dev.net(), dev.ifindex());
    let (dst, len) = (ri.prefix, ri.prefix_len);
    let matches = |r: &Route| {
        if len == 0 {
            is_default_router(r, gw, ifindex)
        } else {
            is_route_info(r, gw, ifindex)
        }
    };
    let mut exists = ip6_fib::find_exact(net, table::MAIN, &dst, len, matches).is_some();
    if exists && ri.lifetime == 0 {
        ip6_fib::remove(net, table::MAIN, &dst, len, matches, Origin::KERNEL);
        return;
    }
    if !exists && ri.lifetime != 0 {
        // rt6_add_route_info()
        let mut flags =
            rtf::GATEWAY | rtf::ADDRCONF | rtf::ROUTEINFO | rtf::UP | rtf::pref(ri.pref);
        if len == 0 {
            flags |= rtf::DEFAULT;
        }
        let mut r = Route::new(&dst, len, rtn::UNICAST, PROT_RA, flags, PRIO_USER, ifindex);
        r.gateway = Some(*gw);
        add_kernel_route(net, table::MAIN, r);
        exists = ip6_fib::find_exact(net, table::MAIN, &dst, len, matches).is_some();
    } else if exists {
        update_router(net, &dst, len, matches, false, |r| {
            r.flags = rtf::ROUTEINFO | (r.flags & !rtf::PREF_MASK) | rtf::pref(ri.pref);
        });
    }
    if exists {
        update_router(net, &dst, len, matches, false, |r| {
            set_expiry(r, ri.lifetime)
        });
    }
}

/// A prefix route an RA made (`addrconf_get_prefix_route(..., RTF_ADDRCONF |
/// RTF_PREFIX_RT, RTF_DEFAULT, true)`).
fn is_ra_prefix_route(r: &Route, ifindex: u32) -> bool {
    let f = rtf::ADDRCONF | rtf::PREFIX_RT;
    r.ifindex == ifindex && r.flags & f == f && r.flags & rtf::DEFAULT == 0 && r.gateway.is_none()
}

/// `addrconf_prefix_rcv()`'s on-link part: the prefix route of an advertised prefix is
/// made, refreshed to the valid lifetime, or (valid lifetime 0) deleted.
pub(crate) fn prefix_route_rcv(dev: &NetDevice, pfx: &Ipv6Addr, len: u8, valid: u32) {
    let (net, ifindex) = (dev.net(), dev.ifindex());
    let matches = |r: &Route| is_ra_prefix_route(r, ifindex);
    if ip6_fib::find_exact(net, table::MAIN, pfx, len, matches).is_some() {
        if valid == 0 {
            ip6_fib::remove(net, table::MAIN, pfx, len, matches, Origin::KERNEL);
        } else {
            update_router(net, pfx, len, matches, false, |r| set_expiry(r, valid));
        }
    } else if valid != 0 {
        let flags = rtf::UP | rtf::ADDRCONF | rtf::PREFIX_RT;
        let mut r = kernel_route(pfx, len, rtn::UNICAST, flags, PRIO_ADDRCONF, ifindex);
        set_expiry(&mut r, valid);
        add_kernel_route(net, table::MAIN, r);
    }
}

/// The device went down, or away with `unregister` (`rt6_sync_down_dev()`): its
/// routes go, but for next hops of multipath routes that keep a live one, which stay
/// dead until it comes back up ([`dev_up`]).
pub(crate) fn dev_down(dev: &NetDevice, unregister: bool) {
    ip6_fib::sync_down(dev.net(), dev.ifindex(), unregister);
}

/// The device is up and configured (`rt6_sync_up(dev, RTNH_F_DEAD)`): its dead next
/// hops live again, and lose `linkdown` if the carrier is there.
pub(crate) fn dev_up(dev: &NetDevice) {
    let mut flags = crate::fib::rtnh::DEAD;
    if dev.link_ready() {
        flags |= crate::fib::rtnh::LINKDOWN;
    }
    ip6_fib::sync_up(dev.net(), dev.ifindex(), flags);
}

/// `rt6_mtu_change()`: `dev`'s MTU goes from `old` to `new`. Routes through it with
/// an `mtu` metric, and their exceptions, follow it down, and up where they were the
/// device's MTU (see [`crate::pmtu::follows_device`]).
pub(crate) fn mtu_change(dev: &NetDevice, new: u32, old: u32) {
    let (net, ifindex) = (dev.net(), dev.ifindex());
    ip6_fib::update_all(net, |r| {
        let follow =
            r.ifindex == ifindex && r.mtu != 0 && crate::pmtu::follows_device(r.mtu, new, old);
        if follow {
            r.mtu = new;
        }
        follow
    });
    crate::ipv6::pmtu::dev_mtu_change(net, ifindex, new, old);
}

/// `net.ipv6.route.gc_interval` in jiffies.
fn gc_interval(net: &Net) -> u64 {
    // SAFETY: reads a sysctl of a live namespace.
    net.route_gc_interval()
}

/// A route that expires went in: the garbage collector runs within `gc_interval`,
/// unless it is due already (`fib6_start_gc()`).
pub(crate) fn start_gc(net: &Net) {
    crate::net::netns::route_gc(net).start(gc_interval(net));
}

/// `fib6_run_gc(0, net, false)`: the collector runs now (a device went down or
/// changed its link-layer address), and again within `gc_interval` if routes that
/// expire remain. RTNL is held.
pub(crate) fn run_gc(net: &Net) {
    if expire(net).is_some() {
        crate::net::netns::route_gc(net).schedule(gc_interval(net));
    }
}

/// The route garbage collector (`fib6_gc_timer_cb()`): expired routes go, and it runs
/// again every `gc_interval` while routes that expire remain.
pub(crate) struct Gc;

impl crate::net::netns::NetWorkFn for Gc {
    fn run(net: &Net) {
        let _rtnl = netlink::RtnlGuard::lock();
        if expire(net).is_some() {
            crate::net::netns::route_gc(net).schedule(gc_interval(net));
        }
    }
}

/// Removes routes whose lifetime ended (`fib6_age()`); returns the jiffies until the
/// next one ends, if any.
pub(crate) fn expire(net: &Net) -> Option<u64> {
    crate::ipv6::pmtu::expire(net);
    let t = now();
    let due = |r: &Route| r.flags & rtf::EXPIRES != 0 && (t.wrapping_sub(r.expires) as i64) >= 0;
    ip6_fib::remove_all(net, |_, r| due(r));
    let mut next: Option<u64> = None;
    ip6_fib::walk(net, |_, r| {
        if r.flags & rtf::EXPIRES != 0 {
            let left = r.expires.wrapping_sub(t);
            next = Some(next.map_or(left, |n| n.min(left)));
        }
        true
    });
    next
}

/// Why a route request failed: errno and, like mainline, maybe an extack message.
type RouteError = NlError;

/// A route request as `rtm_to_fib6_config()` reads it (`struct fib6_config`).
#[derive(Clone, Copy)]
struct Config {
    table: u32,
    dst: Ipv6Addr,
    dst_len: u8,
    src_len: u8,
    kind: u8,
    protocol: u8,
    flags: u32,
    nh_flags: u32,
    gateway: Option<Ipv6Addr>,
    prefsrc: Option<Ipv6Addr>,
    ifindex: u32,
    metric: u32,
    metrics: Option<[u32; RTAX_N]>,
    expires: Option<u64>,
    /// `RTA_NH_ID`: the nexthop object the route uses, 0 if none.
    nhid: u32,
}

use crate::net::netlink::RTA_ATTRS;
/// `RTAX_MAX`: metrics a route can carry.
const RTAX_N: usize = uapi::__RTAX_MAX as usize - 1;

/// Reads a request's prefix attribute: at least `(len + 7) / 8` bytes, the rest zero.
fn prefix_attr(a: &[u8], len: u8) -> Result<Ipv6Addr, RouteError> {
    let n = (usize::from(len) + 7) / 8;
    if a.len() < n || n > 16 {
        return Err(RouteError::bare(errno::EINVAL));
    }
    let mut b = [0u8; 16];
    b[..n].copy_from_slice(&a[..n]);
    Ok(Ipv6Addr::from(b))
}

fn to_config(req: &Request<'_>, attrs: &Attrs<'_>) -> Result<Config, RouteError> {
    let rtm: uapi::rtmsg = req.header().ok_or(RouteError::bare(errno::EINVAL))?;
    if rtm.rtm_tos != 0 {
        return Err(RouteError::new(
            errno::EINVAL,
            c"Invalid dsfield (tos): option not available for IPv6",
        ));
    }
    let mut flags = rtf::UP;
    if matches!(
        rtm.rtm_type,
        rtn::UNREACHABLE | rtn::BLACKHOLE | rtn::PROHIBIT | rtn::THROW
    ) {
        flags |= rtf::REJECT;
    }
    if rtm.rtm_type == rtn::LOCAL {
        flags |= rtf::LOCAL;
    }
    if rtm.rtm_flags & uapi::RTM_F_CLONED != 0 {
        flags |= rtf::CACHE;
    }
    // The onlink bit lands in the route's flags too (mainline shares the bit value).
    flags |= rtm.rtm_flags & NH_ONLINK;
    use crate::net::uapi::{
        RTA_DST as DST, RTA_ENCAP as ENCAP, RTA_EXPIRES as EXPIRES, RTA_GATEWAY as GATEWAY,
        RTA_METRICS as METRICS, RTA_MULTIPATH as MULTIPATH, RTA_NH_ID as NH_ID, RTA_OIF as OIF,
        RTA_PREF as PREF, RTA_PREFSRC as PREFSRC, RTA_PRIORITY as PRIORITY, RTA_SRC as SRC,
        RTA_TABLE as TABLE, RTA_VIA as VIA,
    };
    if attrs.get(NH_ID).is_some() {
        if [GATEWAY, OIF, MULTIPATH, ENCAP]
            .iter()
            .any(|&a| attrs.get(a).is_some())
        {
            return Err(RouteError::new(
                errno::EINVAL,
                c"Nexthop specification and nexthop id are mutually exclusive",
            ));
        }
    }
    let gateway = attrs.in6(GATEWAY);
    if gateway.is_some() {
        flags |= rtf::GATEWAY;
    }
    if attrs.get(VIA).is_some() {
        return Err(RouteError::new(
            errno::EINVAL,
            c"IPv6 does not support RTA_VIA attribute",
        ));
    }
    let dst = match attrs.get(DST) {
        Some(a) => prefix_attr(a, rtm.rtm_dst_len)?,
        None => Ipv6Addr::UNSPECIFIED,
    };
    if let Some(a) = attrs.get(SRC) {
        prefix_attr(a, rtm.rtm_src_len)?;
    }
    if let Some(p) = attrs.u8(PREF) {
        let p = if p == crate::fib::pref::LOW || p == crate::fib::pref::HIGH {
            p
        } else {
            crate::fib::pref::MEDIUM
        };
        flags |= rtf::pref(p);
    }
    if attrs.get(ENCAP).is_some() {
        return Err(RouteError::new(
            errno::EOPNOTSUPP,
            c"ipv6_rs: lightweight tunnel encapsulation is not supported",
        ));
    }
    let expires = match attrs.u32(EXPIRES) {
        Some(t) if t != INFINITY_LIFE_TIME => {
            flags |= rtf::EXPIRES;
            Some(now().wrapping_add(u64::from(t) * hz()))
        }
        _ => None,
    };
    Ok(Config {
        table: attrs.u32(TABLE).unwrap_or(rtm.rtm_table.into()),
        dst,
        dst_len: rtm.rtm_dst_len,
        src_len: rtm.rtm_src_len,
        kind: rtm.rtm_type,
        protocol: rtm.rtm_protocol,
        flags,
        nh_flags: rtm.rtm_flags & NH_ONLINK,
        gateway,
        prefsrc: attrs.in6(PREFSRC).filter(|a| !a.is_unspecified()),
        ifindex: attrs.u32(OIF).unwrap_or(0),
        metric: attrs.u32(PRIORITY).unwrap_or(0),
        metrics: attrs.get(METRICS).map(|_| [0; RTAX_N]),
        expires,
        nhid: attrs.u32(NH_ID).unwrap_or(0),
    })
}

/// `ip_fib_metrics_init()` of the request's `RTA_METRICS`, into `cfg`.
fn read_metrics(attrs: &Attrs<'_>, cfg: &mut Config, extack: Extack<'_>) -> Result<(), RouteError> {
    let Some(m) = cfg.metrics.as_mut() else {
        return Ok(());
    };
    // The message, if any, is set already.
    if let Some(Err(e)) = attrs.metrics(uapi::RTA_METRICS, m, extack) {
        return Err(e);
    }
    let known = [uapi::RTAX_MTU, uapi::RTAX_ADVMSS, uapi::RTAX_HOPLIMIT];
    for (i, &v) in m.iter().enumerate() {
        if v != 0 && !known.contains(&(i as u32 + 1)) {
            return Err(RouteError::new(
                errno::EOPNOTSUPP,
                c"ipv6_rs: only the mtu, advmss and hoplimit metrics are supported",
            ));
        }
    }
    Ok(())
}

fn loopback<'a>(net: &Net) -> Option<&'a NetDevice> {
    dev_by_index(net, crate::flow::LOOPBACK_IFINDEX)
}

/// `ipv6_chk_addr_and_flags(net, a, dev, skip_dev, 0, 0)`: `a` is ours, tentative or
/// not, on `dev` (any device with `skip_dev`).
fn is_ours_any_state(net: &Net, a: &Ipv6Addr, dev: u32, skip_dev: bool) -> bool {
    crate::net::ifaddr::walk_addrs(net, None, |v| {
        v.local.addr == *a && (skip_dev || v.local.ifindex == dev)
    })
}

/// `ip6_validate_gw()`: the gateway must be a unicast address reachable without a
/// gateway (through `dev` if given), and not ours; returns the device it is reached by.
fn validate_gw(net: &Net, cfg: &Config, gw: &Ipv6Addr) -> Result<u32, RouteError> {
    let link_local = gw.segments()[0] & 0xffc0 == 0xfe80;
    let skip_dev = !link_local;
    let mut dev = cfg.ifindex;
    let local_gw = RouteError::new(errno::EINVAL, c"Gateway can not be a local address");
    if dev != 0 && is_ours_any_state(net, gw, dev, skip_dev) {
        return Err(local_gw);
    }
    let need_addr_check = dev == 0;
    if !link_local {
        let v4_mapped = gw.segments()[..6] == [0, 0, 0, 0, 0, 0xffff];
        if gw.is_multicast() || (gw.is_unspecified() && !v4_mapped) {
            return Err(RouteError::new(errno::EINVAL, c"Invalid gateway address"));
        }
        if cfg.nh_flags & NH_ONLINK == 0 {
            // ip6_route_check_nh(): first in the request's table, then by the rules.
            let unreach = RouteError::bare(errno::EHOSTUNREACH);
            let ok = |r: &Route| !r.is_reject() && r.gateway.is_none();
            let found = ip6_fib::lookup_in(net, cfg.table, gw, dev, true)
                .filter(|r| ok(r) && (dev == 0 || r.ifindex == dev))
                .or_else(|| {
                    ip6_fib::lookup(net, &ip6_fib::Flow::output(*gw, None, dev, true))
                        .ok()
                        .map(|f| f.route)
                        .filter(|r| ok(r))
                })
                .ok_or(unreach)?;
            if dev == 0 {
                dev = found.ifindex;
            } else if dev != found.ifindex {
                return Err(RouteError::bare(errno::EHOSTUNREACH));
            }
        }
    }
    if dev == 0 {
        return Err(RouteError::new(
            errno::EINVAL,
            c"Egress device not specified",
        ));
    }
    if dev_by_index(net, dev).is_some_and(|d| d.is_loopback()) {
        return Err(RouteError::new(
            errno::EINVAL,
            c"Egress device can not be loopback device for this route",
        ));
    }
    if need_addr_check && is_ours_any_state(net, gw, dev, skip_dev) {
        return Err(local_gw);
    }
    Ok(dev)
}

/// The request checks of `ip6_route_info_create()` that come before its metrics.
fn check_config(cfg: &Config) -> Result<(), RouteError> {
    if cfg.flags & rtf::CACHE != 0 {
        return Err(RouteError::new(
            errno::EINVAL,
            c"Userspace can not set RTF_CACHE",
        ));
    }
    if cfg.kind > rtn::MAX {
        return Err(RouteError::new(errno::EINVAL, c"Invalid route type"));
    }
    if cfg.dst_len > 128 {
        return Err(RouteError::new(errno::EINVAL, c"Invalid prefix length"));
    }
    if cfg.src_len > 128 {
        return Err(RouteError::new(
            errno::EINVAL,
            c"Invalid source address length",
        ));
    }
    if cfg.src_len != 0 {
        return Err(RouteError::new(
            errno::EOPNOTSUPP,
            c"ipv6_rs: source-specific routes are not supported yet",
        ));
    }
    Ok(())
}

/// One next hop of a request's `RTA_MULTIPATH`.
#[derive(Clone, Copy)]
struct NhConfig {
    ifindex: u32,
    onlink: bool,
    weight: u16,
    gateway: Option<Ipv6Addr>,
}

/// The next hops of a request's `RTA_MULTIPATH` (the loop of
/// `ip6_route_multipath_add()`), if it has one.
fn multipath(attrs: &Attrs<'_>) -> Result<Option<KVec<NhConfig>>, RouteError> {
    use crate::wire::netlink::{attrs as nlattrs, rtnexthops};
    let Some(mp) = attrs.get(uapi::RTA_MULTIPATH) else {
        return Ok(None);
    };
    let mut v = KVec::new();
    for nh in rtnexthops(mp) {
        let mut gateway = None;
        // nla_find(): the first of each attribute counts.
        for a in nlattrs(nh.attrs).map_while(|a| a.ok()) {
            match u32::from(a.kind) {
                uapi::RTA_GATEWAY if gateway.is_none() => {
                    // fib6_gw_from_attr()
                    let gw = a.data.get(..16).ok_or(RouteError::new(
                        errno::EINVAL,
                        c"Invalid IPv6 address in RTA_GATEWAY",
                    ))?;
                    gateway = Some(Ipv6Addr::from(<[u8; 16]>::try_from(gw).unwrap_or([0; 16])));
                }
                uapi::RTA_ENCAP => {
                    return Err(RouteError::new(
                        errno::EOPNOTSUPP,
                        c"ipv6_rs: lightweight tunnel encapsulation is not supported",
                    ));
                }
                _ => {}
            }
        }
        let c = NhConfig {
            ifindex: nh.ifindex as u32,
            onlink: u32::from(nh.flags) & NH_ONLINK != 0,
            weight: u16::from(nh.hops) + 1,
            gateway,
        };
        v.push(c, GFP_KERNEL)
            .map_err(|_| RouteError::bare(errno::ENOMEM))?;
    }
    Ok(Some(v))
}

/// The request `cfg` narrowed to one of its next hops.
fn nexthop_config(cfg: &Config, nh: &NhConfig) -> Config {
    let mut c = *cfg;
    if nh.ifindex != 0 {
        c.ifindex = nh.ifindex;
    }
    if let Some(gw) = nh.gateway {
        c.gateway = Some(gw);
        c.flags |= rtf::GATEWAY;
    }
    if nh.onlink {
        c.nh_flags |= NH_ONLINK;
        c.flags |= NH_ONLINK;
    }
    c
}

fn add_error(e: AddError) -> RouteError {
    match e {
        AddError::Exists => RouteError::bare(errno::EEXIST),
        AddError::NotFound => {
            RouteError::new(errno::ENOENT, c"Can not replace route - no match found")
        }
        AddError::NoMem => RouteError::bare(errno::ENOMEM),
    }
}

/// `ip6_route_multipath_add()`: each next hop is checked and made a route first; then
/// they go in one by one, the first as the request says (create, replace), the others
/// appended to it, with one notification for the whole route. If one cannot go in,
/// those that did are taken out again.
fn multipath_add(
    net: &Net,
    cfg: &Config,
    nhs: &[NhConfig],
    nlflags: u32,
    origin: Origin,
    extack: Extack<'_>,
) -> Result<(), RouteError> {
    let mut routes =
        KVec::with_capacity(nhs.len(), GFP_KERNEL).map_err(|_| RouteError::bare(errno::ENOMEM))?;
    for nh in nhs {
        let mut r = make_route(net, &nexthop_config(cfg, nh), extack)?;
        if !r.ecmp() {
            return Err(RouteError::new(
                errno::EINVAL,
                c"Device only routes can not be added for IPv6 using the multipath API.",
            ));
        }
        r.weight = nh.weight;
        // ip6_route_info_append()
        if routes.iter().any(|x: &Route| x.same_nexthop(&r)) {
            return Err(RouteError::bare(errno::EEXIST));
        }
        routes
            .push(r, GFP_KERNEL)
            .map_err(|_| RouteError::bare(errno::ENOMEM))?;
    }
    let Some(first) = routes.first().copied() else {
        return Err(RouteError::new(
            errno::EINVAL,
            c"Invalid nexthop configuration - no valid nexthops",
        ));
    };
    let replace = nlflags & uapi::NLM_F_REPLACE != 0;
    let mut mode = AddMode {
        excl: nlflags & uapi::NLM_F_EXCL != 0,
        replace,
        create: nlflags & uapi::NLM_F_CREATE != 0,
    };
    let mut notify_flags = if replace {
        uapi::NLM_F_REPLACE
    } else {
        uapi::NLM_F_CREATE
    };
    notify_flags |= nlflags & uapi::NLM_F_APPEND;
    for (k, r) in routes.iter().enumerate() {
        ip6_fib::reserve(net, cfg.table);
        if let Err(e) = ip6_fib::add_announced(net, cfg.table, *r, mode, None) {
            if k > 0 {
                if replace {
                    extack.set_msg(
                        c"multipath route replace failed (check consistency of installed routes)",
                    );
                }
                // Announce what went in, so the deletions that follow make sense.
                ip6_fib::announce(net, cfg.table, &first, origin, notify_flags as u16);
                for r in &routes[..k] {
                    ip6_fib::remove(
                        net,
                        cfg.table,
                        &r.dst,
                        r.dst_len,
                        |x| x.metric == r.metric && x.same_nexthop(r),
                        origin,
                    );
                }
            }
            return Err(add_error(e));
        }
        // The others join the first: no longer exclusive, nothing left to replace.
        mode = AddMode {
            excl: false,
            replace: false,
            create: true,
        };
    }
    ip6_fib::announce(net, cfg.table, &first, origin, notify_flags as u16);
    Ok(())
}

/// `fib6_nh_init()`'s checks of a request's next hop: the device it leaves through
/// (`lo` for a reject route) and its gateway, if any.
fn nexthop_dev<'a>(
    net: &Net,
    cfg: &Config,
) -> Result<(&'a NetDevice, Option<Ipv6Addr>), RouteError> {
    let nodev = RouteError::bare(errno::ENODEV);
    let mut dev = if cfg.ifindex != 0 {
        let d = dev_by_index(net, cfg.ifindex).ok_or(RouteError::bare(errno::ENODEV))?;
        if !d.has_idev() {
            return Err(nodev);
        }
        Some(d)
    } else {
        None
    };
    if cfg.nh_flags & NH_ONLINK != 0 {
        let Some(d) = dev else {
            return Err(RouteError::new(
                errno::EINVAL,
                c"Nexthop device required for onlink",
            ));
        };
        if d.flags() & uapi::IFF_UP == 0 {
            return Err(RouteError::new(
                errno::ENETDOWN,
                c"Nexthop device is not up",
            ));
        }
    }
    let mut gateway = None;
    if cfg.flags & rtf::REJECT != 0 {
        dev = Some(loopback(net).ok_or(RouteError::bare(errno::ENODEV))?);
    } else {
        if let Some(gw) = cfg.gateway {
            let d = validate_gw(net, cfg, &gw)?;
            dev = Some(dev_by_index(net, d).ok_or(RouteError::bare(errno::ENODEV))?);
            gateway = Some(gw);
        }
        let d = dev.ok_or(RouteError::bare(errno::ENODEV))?;
        // SAFETY: a device with an inet6_dev (checked below first) under RTNL.
        if crate::net::inet6_dev::Inet6Dev::of(d).is_none_or(|i| i.disabled()) {
            return Err(RouteError::new(
                errno::EACCES,
                c"IPv6 is disabled on nexthop device",
            ));
        }
        if d.flags() & uapi::IFF_UP == 0 {
            return Err(RouteError::new(
                errno::ENETDOWN,
                c"Nexthop device is not up",
            ));
        }
    }
    Ok((dev.ok_or(RouteError::bare(errno::ENODEV))?, gateway))
}

/// The checks of `nh_create_ipv6()` and `fib6_nh_init()` for an IPv6 nexthop object
/// (`ip -6 nexthop add`): those of a route's next hop. Returns the device it leaves
/// through.
pub(crate) fn check_nexthop_object(
    net: &Net,
    table: u32,
    ifindex: u32,
    gateway: Option<Ipv6Addr>,
    flags: u32,
) -> Result<u32, (i32, Option<&'static CStr>)> {
    let mut cfg = Config {
        table,
        dst: Ipv6Addr::UNSPECIFIED,
        dst_len: 0,
        src_len: 0,
        kind: rtn::UNICAST,
        protocol: 0,
        flags: rtf::UP | flags & (rtf::GATEWAY | rtf::REJECT),
        nh_flags: flags & NH_ONLINK,
        gateway: gateway.filter(|_| flags & rtf::GATEWAY != 0),
        prefsrc: None,
        ifindex,
        metric: 0,
        metrics: None,
        expires: None,
        nhid: 0,
    };
    if cfg.gateway.is_none() {
        cfg.flags &= !rtf::GATEWAY;
    }
    nexthop_dev(net, &cfg)
        .map(|(d, _)| d.ifindex())
        .map_err(|e| (e.errno, e.msg))
}

/// `ip6_route_info_create()` + `fib6_nh_init()`: the route a request describes.
/// The request passed [`check_config`] and [`read_metrics`].
fn make_route(net: &Net, cfg: &Config, extack: Extack<'_>) -> Result<Route, RouteError> {
    if cfg.nhid != 0 {
        return nexthop_route(net, cfg, extack);
    }
    let (dev, gateway) = nexthop_dev(net, cfg)?;
    let flags = cfg.flags & !rtf::GATEWAY;
    let flags = loopback_reject(flags, dev.is_loopback(), &prefix(&cfg.dst, cfg.dst_len));
    if let Some(src) = cfg.prefsrc {
        if !ip6_input::chk_addr(net, &src, Some(dev.ifindex()), false) {
            return Err(RouteError::new(errno::EINVAL, c"Invalid source address"));
        }
    }
    let m = cfg.metrics.unwrap_or_default();
    let metric = |x: u32| m[x as usize - 1];
    Ok(Route {
        dst: prefix(&cfg.dst, cfg.dst_len),
        dst_len: cfg.dst_len,
        kind: if cfg.kind == 0 {
            rtn::UNICAST
        } else {
            cfg.kind
        },
        protocol: if cfg.protocol == 0 {
            PROT_BOOT
        } else {
            cfg.protocol
        },
        flags,
        metric: cfg.metric,
        ifindex: dev.ifindex(),
        gateway,
        prefsrc: cfg.prefsrc,
        mtu: metric(uapi::RTAX_MTU),
        hoplimit: metric(uapi::RTAX_HOPLIMIT),
        advmss: metric(uapi::RTAX_ADVMSS),
        expires: cfg.expires.unwrap_or(0),
        nh_flags: cfg.nh_flags as u8,
        weight: 1,
        nsiblings: 0,
        sibling_pos: 0,
        nhid: 0,
    })
}

/// `ip6_route_info_create()` for a route with a nexthop object (`nhid`): the object
/// must exist and suit IPv6 (`fib6_check_nexthop()`); the route keeps only its id.
fn nexthop_route(net: &Net, cfg: &Config, extack: Extack<'_>) -> Result<Route, RouteError> {
    // The message, if any, is set already.
    let dev = crate::net::nexthop::check(net, cfg.nhid, extack).map_err(RouteError::bare)?;
    if let Some(src) = cfg.prefsrc {
        if !ip6_input::chk_addr(net, &src, Some(dev), false) {
            return Err(RouteError::new(errno::EINVAL, c"Invalid source address"));
        }
    }
    let m = cfg.metrics.unwrap_or_default();
    let metric = |x: u32| m[x as usize - 1];
    let mut r = Route::new(
        &cfg.dst,
        cfg.dst_len,
        if cfg.kind == 0 {
            rtn::UNICAST
        } else {
            cfg.kind
        },
        if cfg.protocol == 0 {
            PROT_BOOT
        } else {
            cfg.protocol
        },
        cfg.flags & !rtf::GATEWAY,
        cfg.metric,
        0,
    );
    r.prefsrc = cfg.prefsrc;
    r.mtu = metric(uapi::RTAX_MTU);
    r.hoplimit = metric(uapi::RTAX_HOPLIMIT);
    r.advmss = metric(uapi::RTAX_ADVMSS);
    r.expires = cfg.expires.unwrap_or(0);
    r.nhid = cfg.nhid;
    Ok(r)
}

/// `inet6_rtm_newroute()`.
struct NewRoute;

impl RtnlDoit for NewRoute {
    fn doit(call: &DoitCall<'_>) -> Result<(), NlError> {
        let (net, origin, extack) = (call.net, call.origin(), call.extack());
        let nlflags = u32::from(call.type_flags().1);
        let table = call.parse_rtmsg(false)?;
        let (req, attrs) = (&call.req, &table.attrs());
        {
            let mut cfg = to_config(req, attrs)?;
            if cfg.metric == 0 {
                cfg.metric = PRIO_USER;
            }
            check_config(&cfg)?;
            read_metrics(attrs, &mut cfg, extack)?;
            if let Some(nhs) = multipath(attrs)? {
                return multipath_add(net, &cfg, &nhs, nlflags, origin, extack);
            }
            let r = make_route(net, &cfg, extack)?;
            let mode = AddMode {
                excl: nlflags & uapi::NLM_F_EXCL != 0,
                replace: nlflags & uapi::NLM_F_REPLACE != 0,
                create: nlflags & uapi::NLM_F_CREATE != 0,
            };
            // A request may sleep: the table grows here, not under its lock.
            ip6_fib::reserve(net, cfg.table);
            ip6_fib::add(net, cfg.table, r, mode, origin).map_err(add_error)
        }
    }
}

/// `inet6_rtm_delroute()` / `ip6_route_del()`: the first route of the prefix that
/// matches what the request names (metric, protocol, device, gateway).
struct DelRoute;

impl RtnlDoit for DelRoute {
    fn doit(call: &DoitCall<'_>) -> Result<(), NlError> {
        let (net, origin) = (call.net, call.origin());
        let table = call.parse_rtmsg(false)?;
        let (req, attrs) = (&call.req, &table.attrs());
        {
            let cfg = to_config(req, attrs)?;
            if cfg.nhid != 0 && crate::net::nexthop::num_paths(net, cfg.nhid) == 0 {
                return Err(RouteError::new(errno::EINVAL, c"Nexthop id does not exist"));
            }
            if !ip6_fib::table_exists(net, cfg.table) {
                return Err(RouteError::new(errno::ESRCH, c"FIB table does not exist"));
            }
            if cfg.dst_len > 128 || cfg.src_len != 0 {
                return Err(RouteError::bare(errno::ESRCH));
            }
            // RTM_F_CLONED: a route exception (`ip -6 route flush cache` sends these).
            if cfg.flags & rtf::CACHE != 0 {
                let table = if cfg.table == 0 {
                    table::MAIN
                } else {
                    cfg.table
                };
                let (ifindex, gw, nhid) = (cfg.ifindex, cfg.gateway, cfg.nhid);
                return crate::ipv6::pmtu::remove(net, table, &cfg.dst, ifindex, gw, nhid)
                    .then_some(())
                    .ok_or(RouteError::bare(errno::ESRCH));
            }
            let del = |cfg: &Config| {
                // A route with a nexthop object matches by the object's id, if named;
                // one without matches no id.
                let matches = |r: &Route| {
                    (cfg.metric == 0 || cfg.metric == r.metric)
                        && (cfg.protocol == 0 || cfg.protocol == r.protocol)
                        && if r.nhid != 0 {
                            cfg.nhid == 0 || cfg.nhid == r.nhid
                        } else {
                            cfg.nhid == 0
                                && (cfg.ifindex == 0 || cfg.ifindex == r.ifindex)
                                && (cfg.gateway.is_none() || cfg.gateway == r.gateway)
                        }
                };
                // With a gateway, that next hop alone; without, the whole route.
                let whole = cfg.gateway.is_none();
                let (t, d, l) = (cfg.table, &cfg.dst, cfg.dst_len);
                ip6_fib::remove_route(net, t, d, l, matches, whole, origin)
                    .map(|_| ())
                    .ok_or(RouteError::bare(errno::ESRCH))
            };
            // ip6_route_multipath_del(): each next hop named, the last error.
            if let Some(nhs) = multipath(attrs)? {
                let mut last = Ok(());
                for nh in nhs.iter() {
                    if let Err(e) = del(&nexthop_config(&cfg, nh)) {
                        last = Err(e);
                    }
                }
                return last;
            }
            del(&cfg)
        }
    }
}

/// What a route dump is restricted to (`struct fib_dump_filter`).
#[derive(Default, Clone, Copy)]
struct DumpFilter {
    table: u32,
    protocol: u8,
    kind: u8,
    ifindex: u32,
    /// `RTM_F_CLONED`: exceptions only (we keep none yet).
    cloned: bool,
    /// `RTM_F_PREFIX`: prefix routes only.
    prefix: bool,
    set: bool,
}

/// `ip_valid_fib_dump_req()`.
fn valid_dump_req(net: &Net, req: &Request<'_>) -> Result<DumpFilter, (Error, &'static CStr)> {
    let rtm: uapi::rtmsg = req
        .header()
        .ok_or((EINVAL, c"Invalid header for FIB dump request"))?;
    if rtm.rtm_dst_len != 0 || rtm.rtm_src_len != 0 || rtm.rtm_tos != 0 || rtm.rtm_scope != 0 {
        return Err((EINVAL, c"Invalid values in header for FIB dump request"));
    }
    if rtm.rtm_flags & !(uapi::RTM_F_CLONED | uapi::RTM_F_PREFIX) != 0 {
        return Err((EINVAL, c"Invalid flags for FIB dump request"));
    }
    let mut f = DumpFilter {
        table: rtm.rtm_table.into(),
        protocol: rtm.rtm_protocol,
        kind: rtm.rtm_type,
        cloned: rtm.rtm_flags & uapi::RTM_F_CLONED != 0,
        prefix: rtm.rtm_flags & uapi::RTM_F_PREFIX != 0,
        ..Default::default()
    };
    for a in req.attrs(core::mem::size_of::<uapi::rtmsg>()) {
        let a = a.map_err(|_| (EINVAL, c"Invalid attribute in dump request"))?;
        match u32::from(a.kind) {
            uapi::RTA_TABLE => {
                f.table = a
                    .u32()
                    .ok_or((EINVAL, c"Invalid attribute in dump request"))?;
            }
            uapi::RTA_OIF => {
                let i = a
                    .u32()
                    .ok_or((EINVAL, c"Invalid attribute in dump request"))?;
                if dev_by_index(net, i).is_none() {
                    return Err((ENODEV, c""));
                }
                f.ifindex = i;
            }
            _ => return Err((EINVAL, c"Unsupported attribute in dump request")),
        }
    }
    f.set = rtm.rtm_flags != 0 || f.protocol != 0 || f.kind != 0 || f.table != 0 || f.ifindex != 0;
    Ok(f)
}

/// `RTM_GETROUTE` dump (`inet6_dump_fib()`): the routes of every table, or of the one
/// a strict request names, in mainline's walk order.
struct DumpRoutes;

impl RtnlDump for DumpRoutes {
    fn dump(call: &mut DumpCall<'_>) -> Result<(), NlError> {
        dump_routes(call)
    }
}

fn dump_routes(call: &mut DumpCall<'_>) -> Result<(), NlError> {
    let mut filter = DumpFilter::default();
    if call.strict {
        match valid_dump_req(call.net, &call.req) {
            Ok(f) => filter = f,
            Err((e, m)) if m.is_empty() => return Err(NlError::bare(-e.to_errno())),
            Err((e, m)) => return Err(NlError::new(-e.to_errno(), m)),
        }
    } else if let Some(rtm) = call.req.header::<uapi::rtmsg>() {
        filter.prefix = rtm.rtm_flags & uapi::RTM_F_PREFIX != 0;
    }
    let (net, portid, seq) = (call.net, call.portid, call.seq);
    if filter.table != 0 && !ip6_fib::table_exists(net, filter.table) {
        return Err(NlError::new(
            errno::ENOENT,
            c"ipv6: FIB table does not exist",
        ));
    }
    // Word 5 says the dump is complete; words 0 to 4 hold where it goes on.
    if call.arg(5) != 0 {
        return Ok(());
    }
    let nlflags = uapi::NLM_F_MULTI
        | if filter.set {
            uapi::NLM_F_DUMP_FILTERED
        } else {
            0
        };
    let keep = |id: u32, r: &Route| {
        (filter.table == 0 || id == filter.table)
            && (!filter.prefix || r.flags & rtf::PREFIX_RT != 0)
            && (filter.kind == 0 || r.kind == filter.kind)
            && (filter.protocol == 0 || r.protocol == filter.protocol)
            && (filter.ifindex == 0 || r.ifindex == filter.ifindex)
    };
    let args: [usize; 5] = core::array::from_fn(|i| call.arg(i));
    let out = core::cell::RefCell::new(&mut call.out);
    let put = |id: u32, r: &Route, t: Option<&ip6_fib::Tbl>| {
        let event = uapi::RTM_NEWROUTE as u16;
        let out = &mut **out.borrow_mut();
        ip6_fib::fill(out, net, id, r, t, None, portid, seq, event, nlflags as u16).is_ok()
    };
    // `ip -6 route show cache`: the exceptions alone (mainline's strict dumps show
    // either the routes or their exceptions).
    if filter.cloned {
        match crate::ipv6::pmtu::walk(net, args[0], |id, r| !keep(id, r) || put(id, r, None)) {
            Some(n) => call.set_arg(0, n),
            None => call.set_arg(5, 1),
        }
        return Ok(());
    }
    let pos = ip6_fib::DumpPos::from_words(args);
    // A multipath route is dumped once, from its first next hop, with all of them
    // (and matches a device filter through any of them, `fib6_info_uses_dev()`).
    let next = ip6_fib::walk_from(net, pos, |id, r, t| {
        if r.nsiblings == 0 {
            return !keep(id, r) || put(id, r, None);
        }
        if r.sibling_pos != 0 {
            return true;
        }
        let via = |x: &Route| Route {
            ifindex: x.ifindex,
            ..*r
        };
        !t.nexthops(r).any(|x| keep(id, &via(&x))) || put(id, r, Some(t))
    });
    match next {
        Some(p) => {
            for (i, w) in p.to_words().into_iter().enumerate() {
                call.set_arg(i, w);
            }
        }
        None => call.set_arg(5, 1),
    }
    Ok(())
}

/// `inet6_rtm_getroute()`: the route a packet to `RTA_DST` would take, as the
/// output (or, with `RTA_IIF`, input) lookup finds it.
///
struct GetRoute;

impl RtnlDoit for GetRoute {
    fn doit(call: &DoitCall<'_>) -> Result<(), NlError> {
        getroute(call)
    }
}

fn getroute(call: &DoitCall<'_>) -> Result<(), NlError> {
    let (net, portid, seq) = (call.net, call.portid, call.seq);
    let fail = |e: i32, m: &'static CStr| Err(NlError::new(e, m));
    let Some(rtm) = call.req.header::<uapi::rtmsg>() else {
        return fail(errno::EINVAL, c"ipv6: Invalid header for get route request");
    };
    let strict = call.strict();
    if strict {
        if (rtm.rtm_src_len != 0 && rtm.rtm_src_len != 128)
            || (rtm.rtm_dst_len != 0 && rtm.rtm_dst_len != 128)
            || rtm.rtm_table != 0
            || rtm.rtm_protocol != 0
            || rtm.rtm_scope != 0
            || rtm.rtm_type != 0
        {
            return fail(
                errno::EINVAL,
                c"ipv6: Invalid values in header for get route request",
            );
        }
        if rtm.rtm_flags & !uapi::RTM_F_FIB_MATCH != 0 {
            return fail(errno::EINVAL, c"ipv6: Invalid flags for get route request");
        }
    }
    let table = call.parse_rtmsg(strict)?;
    let attrs = table.attrs();
    use crate::net::uapi::{
        RTA_DPORT as DPORT, RTA_DST as DST, RTA_IIF as IIF, RTA_IP_PROTO as IP_PROTO,
        RTA_MARK as MARK, RTA_OIF as OIF, RTA_SPORT as SPORT, RTA_SRC as SRC, RTA_UID as UID,
    };
    if strict {
        if (attrs.get(SRC).is_some() && rtm.rtm_src_len == 0)
            || (attrs.get(DST).is_some() && rtm.rtm_dst_len == 0)
        {
            return fail(
                errno::EINVAL,
                c"ipv6: rtm_src_len and rtm_dst_len must be 128 for IPv6",
            );
        }
        let allowed = [SRC, DST, IIF, OIF, MARK, UID, SPORT, DPORT, IP_PROTO];
        if (0..RTA_ATTRS as u32).any(|i| attrs.get(i).is_some() && !allowed.contains(&i)) {
            return fail(
                errno::EINVAL,
                c"ipv6: Unsupported attribute in get route request",
            );
        }
    }
    let addr = |k| match attrs.get(k) {
        Some(a) if a.len() < 16 => Err(NlError::bare(errno::EINVAL)),
        Some(_) => Ok(attrs.in6(k)),
        None => Ok(None),
    };
    let (src, dst) = match (addr(SRC), addr(DST)) {
        (Ok(s), Ok(d)) => (
            s.unwrap_or(Ipv6Addr::UNSPECIFIED),
            d.unwrap_or(Ipv6Addr::UNSPECIFIED),
        ),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let iif = attrs.u32(IIF).unwrap_or(0);
    let oif = attrs.u32(OIF).unwrap_or(0);
    // No uid: the requester's for an output lookup, none (INVALID_UID) for input.
    let uid = attrs.u32(UID).unwrap_or_else(|| {
        if iif != 0 {
            u32::MAX
        } else {
            call.requester_uid()
        }
    });
    let mut keys = ip6_fib::FlowKeys {
        tos: rtm.rtm_tos,
        mark: attrs.u32(MARK).unwrap_or(0),
        uid,
        sport: attrs.u16_be(SPORT).unwrap_or(0),
        dport: attrs.u16_be(DPORT).unwrap_or(0),
        proto: 0,
        flowlabel: 0,
    };
    if let Some(p) = attrs.ip_proto(IP_PROTO, call.extack()) {
        keys.proto = p?;
    }
    if iif != 0 && !ip6_input::dev_exists(net, iif) {
        return Err(NlError::bare(errno::ENODEV));
    }
    let src_opt = (!src.is_unspecified()).then_some(src);
    let flow = if iif != 0 {
        // ip6_route_input_lookup(): routes scored by the arrival interface, only
        // through it for destinations that need one.
        ip6_fib::Flow {
            dst,
            src: src_opt,
            oif: 0,
            iif,
            input: true,
            strict: ip6_input::need_strict(&dst),
            keys,
        }
    } else {
        // ip6_route_output_flags(): only routes through the interface asked for when
        // the destination needs one, or an interface but no source is given.
        let strict = ip6_input::need_strict(&dst) || (oif != 0 && src_opt.is_none());
        ip6_fib::Flow {
            keys,
            ..ip6_fib::Flow::output(dst, src_opt, oif, strict)
        }
    };
    // `fibmatch` answers with the FIB entry itself, never a route exception.
    let fibmatch = rtm.rtm_flags & uapi::RTM_F_FIB_MATCH != 0;
    let found = if fibmatch {
        ip6_fib::lookup_route(net, &flow)
    } else {
        ip6_fib::lookup(net, &flow)
    };
    let found = found.map_err(NlError::bare)?;
    let r = found.route;
    if r.is_reject() {
        return Err(NlError::bare(ip6_fib::reject_errno(r.kind)));
    }
    let out_dev = if r.kind == rtn::LOCAL || r.kind == rtn::ANYCAST {
        crate::flow::LOOPBACK_IFINDEX
    } else {
        r.ifindex
    };
    let saddr = r.prefsrc.or_else(|| {
        let rcu = crate::net::rcu::Rcu::read_lock();
        ip6_input::source_for(
            net,
            &dst,
            ip6_fib::source_dev(net, &r),
            crate::net::ifaddr::net_addrs(net, &rcu),
        )
    });
    let info = GetInfo {
        dst: Some(dst),
        src: Some(src),
        iif,
        saddr,
        oif: out_dev,
    };
    let get = (!fibmatch).then_some(&info);
    let event = uapi::RTM_NEWROUTE as u16;
    // `fibmatch` of a multipath route answers with all its next hops, the one the
    // lookup chose first.
    call.reply_with(ip6_fib::msg_size(net, &r), |skb| {
        ip6_fib::with_table(net, found.table, |t| {
            ip6_fib::fill(skb, net, found.table, &r, t, get, portid, seq, event, 0)
        })
    })
}

/// Registers the route handlers with rtnetlink.
pub(crate) fn register_rtnl(h: &mut netlink::RtnlHandlers, module: &'static ThisModule) -> Result {
    h.add(
        module,
        uapi::RTM_NEWROUTE,
        netlink::doit::<NewRoute>(),
        None,
    )?;
    h.add(
        module,
        uapi::RTM_DELROUTE,
        netlink::doit::<DelRoute>(),
        None,
    )?;
    h.add(
        module,
        uapi::RTM_GETROUTE,
        netlink::doit::<GetRoute>(),
        netlink::dumpit::<DumpRoutes>(),
    )?;
    Ok(())
}

/// `/proc/net/ipv6_route` (`ipv6_route_native_seq_show()`): one line per route of every
/// table: destination, its length, source prefix, its length, next hop, metric,
/// reference count, use count, flags (all hex), device.
pub(crate) struct Ipv6RouteShow;

impl SeqShow for Ipv6RouteShow {
    fn show(seq: &mut Seq<'_>) {
        ipv6_route_show(seq);
    }
}

fn ipv6_route_show(seq: &mut Seq<'_>) {
    let net = seq.net();
    let lines = ip6_fib::proc_snapshot(net);
    for r in lines.iter() {
        let Some(r) = r else {
            // A table's root without a route of its own shows mainline's null entry.
            seq.line(format_args!(
                "{} 00 {} 00 {} ffffffff 00000001 00000000 00200200       lo\n",
                Hex(&Ipv6Addr::UNSPECIFIED),
                Hex(&Ipv6Addr::UNSPECIFIED),
                Hex(&Ipv6Addr::UNSPECIFIED),
            ));
            continue;
        };
        let mut flags = r.flags;
        if r.gateway.is_some() {
            flags |= rtf::GATEWAY;
        }
        let name = DevName::of(net, r.ifindex);
        seq.line(format_args!(
            "{} {:02x} {} {:02x} {} {:08x} {:08x} {:08x} {:08x} {:>8}\n",
            Hex(&r.dst),
            r.dst_len,
            Hex(&Ipv6Addr::UNSPECIFIED),
            0,
            Hex(&r.gateway.unwrap_or(Ipv6Addr::UNSPECIFIED)),
            r.metric,
            1,
            0,
            flags,
            name.as_str(),
        ));
    }
}

/// A device's name, copied out under RCU ("" if it is gone).
struct DevName {
    buf: [u8; 16],
    len: usize,
}

impl DevName {
    fn of(net: &Net, ifindex: u32) -> Self {
        let mut n = Self {
            buf: [0; 16],
            len: 0,
        };
        let rcu = crate::net::rcu::Rcu::read_lock();
        if let Some(d) = net.dev_rcu(ifindex, &rcu) {
            let name = d.name().as_bytes();
            n.len = name.len().min(16);
            n.buf[..n.len].copy_from_slice(&name[..n.len]);
        }
        drop(rcu);
        n
    }

    fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

/// An address as 32 hex digits.
struct Hex<'a>(&'a Ipv6Addr);

impl core::fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for b in self.0.octets() {
            write!(f, "{:02x}", b)?;
        }
        Ok(())
    }
}
