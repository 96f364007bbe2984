// SPDX-License-Identifier: GPL-2.0

//! The routing tables of a namespace (mainline `net->ipv6.fib_table_hash`): lookups
//! through the rules or the default tables, additions and removals with their
//! notifications, dumps and route messages. The tables' memory is the kernel layer's
//! (`net/fib_store.rs`), their tries the core's ([`crate::fib::Table`]).
//!
//! Writers (netlink requests, address configuration, device events) take the tables'
//! lock for writing, one at a time; walks that need the writers out (dumps,
//! `/proc/net/ipv6_route`, notifications) take it for reading. Notifications are sent
//! from inside, as mainline sends them under `tb6_lock`.

#![forbid(unsafe_code)]

use crate::errno;
use crate::net::netns::Net;
use crate::net::uapi;
use crate::net::{netlink::MsgSize, netns};
use crate::{
    fib::{self, rtf, rtn, table, AddError, AddMode, Route},
    mphash,
};
use core::{
    net::Ipv6Addr,
    sync::atomic::{AtomicU32, Ordering},
};
use kernel::prelude::*;

use crate::net::fib_store::Tables;
pub(crate) use crate::net::fib_store::Tbl;

/// `fib6_get_table()`: table 0 means main.
fn table_id(id: u32) -> u32 {
    if id == table::UNSPEC {
        table::MAIN
    } else {
        id
    }
}

/// Whether table `id` exists in `net`.
pub(crate) fn table_exists(net: &Net, id: u32) -> bool {
    netns::fib(net).rcu(|t| t.find(table_id(id)).is_some())
}

pub(crate) use crate::net::netlink::Origin;
use crate::net::netlink::{NlSkb, NotifySkb};

/// Changes `net`'s tables as their one writer; the routes handed out before are stale.
fn write_tables<R>(net: &Net, f: impl FnOnce(&mut crate::net::fib_store::Writers<'_>) -> R) -> R {
    let r = netns::fib(net).write(f);
    net.routes_changed();
    r
}

/// Adds `r` to table `id` (made if missing, `fib6_new_table()`) and announces it
/// with the next hops of its multipath route, if it joins one (see
/// [`fib::Table::add_with`]).
pub(crate) fn add(
    net: &Net,
    id: u32,
    r: Route,
    mode: AddMode,
    origin: Origin,
) -> Result<(), AddError> {
    add_announced(net, id, r, mode, Some(origin))
}

/// [`add`] with `announce` `None`: no notification (the caller sends one for several
/// next hops, [`announce`]).
pub(crate) fn add_announced(
    net: &Net,
    id: u32,
    r: Route,
    mode: AddMode,
    announce: Option<Origin>,
) -> Result<(), AddError> {
    let id = table_id(id);
    let added = write_tables(net, |tables| {
        let mut t = tables.get_or_make(id).map_err(|_| AddError::NoMem)?;
        // Notified with NLM_F_EXCL when it is alone at its metric (mainline's nlflags).
        let alone = !t.exact(&r.dst, r.dst_len).any(|x| x.metric == r.metric);
        let replaced = t.add_with(r, mode, |old| gone(net, id, old))?;
        if let Some(old) = &replaced {
            gone(net, id, old);
        }
        let Some(origin) = announce else {
            return Ok(());
        };
        let flags = if replaced.is_some() {
            uapi::NLM_F_REPLACE
        } else if alone {
            uapi::NLM_F_EXCL
        } else {
            0
        };
        let t: &Tbl = &t;
        let stored = stored(t, &r).unwrap_or(r);
        let event = uapi::RTM_NEWROUTE as u16;
        notify_nh(net, event, id, &stored, Some(t), origin, flags as u16);
        Ok(())
    });
    if added.is_ok() {
        netns::nexthops(net).route_added(net, &r);
        if r.flags & rtf::EXPIRES != 0 {
            crate::ipv6::route::start_gc(net);
        }
    }
    added
}

/// Route `r` left table `id`: its exceptions go, and its nexthop object (if any) loses
/// a user.
fn gone(net: &Net, id: u32, r: &Route) {
    crate::ipv6::pmtu::purge(net, id, r);
    netns::nexthops(net).route_removed(r);
}

/// Announces every route `pred` accepts as replaced (`fib6_rt_update()`).
pub(crate) fn announce_all(net: &Net, mut pred: impl FnMut(&Route) -> bool, origin: Origin) {
    netns::fib(net).read(|tables| {
        for t in tables.iter() {
            for r in t.iter().filter(|r| pred(r)) {
                let (event, flags) = (uapi::RTM_NEWROUTE as u16, uapi::NLM_F_REPLACE);
                notify_nh(net, event, t.id(), &r, Some(t), origin, flags as u16);
            }
        }
    })
}

/// The table's copy of `r` (same prefix, metric and next hop), with its siblings
/// counted.
fn stored(t: &Tbl, r: &Route) -> Option<Route> {
    t.exact(&r.dst, r.dst_len)
        .find(|x| x.metric == r.metric && x.same_nexthop(r))
}

/// Announces route `r` of table `id` as it is now, with all the next hops of its
/// multipath route from the first (`ip6_route_mpath_notify()`).
pub(crate) fn announce(net: &Net, id: u32, r: &Route, origin: Origin, flags: u16) {
    let id = table_id(id);
    netns::fib(net).read(|tables| {
        let Some(t) = tables.find(id) else { return };
        let Some(r) = stored(t, r) else { return };
        // The table's own copy: `r` itself, or a sibling from the table.
        let first = t.nexthops(&r).find(|x| x.sibling_pos == 0).unwrap_or(r);
        notify_nh(
            net,
            uapi::RTM_NEWROUTE as u16,
            id,
            &first,
            Some(t),
            origin,
            flags,
        );
    })
}

/// Makes sure table `id`, if it exists, can take one more route without allocating
/// under its lock, where only atomic allocations (kmalloc, so small) are possible. The
/// caller must be able to sleep. When the free slots and the room left in the last
/// chunk may not be enough, the slab's next chunk is allocated here and put in place
/// under the lock, without copying anything.
pub(crate) fn reserve(net: &Net, id: u32) {
    netns::fib(net).reserve(table_id(id));
}

/// Removes the first route of `dst/len` in table `id` that `pred` accepts and
/// announces it; `None` if there is none. A next hop of a multipath route goes alone.
pub(crate) fn remove(
    net: &Net,
    id: u32,
    dst: &Ipv6Addr,
    len: u8,
    pred: impl FnMut(&Route) -> bool,
    origin: Origin,
) -> Option<Route> {
    remove_route(net, id, dst, len, pred, false, origin)
}

/// [`remove`]; with `whole`, a multipath route goes with all its next hops, announced
/// in one message (`__ip6_del_rt_siblings()`).
pub(crate) fn remove_route(
    net: &Net,
    id: u32,
    dst: &Ipv6Addr,
    len: u8,
    mut pred: impl FnMut(&Route) -> bool,
    whole: bool,
    origin: Origin,
) -> Option<Route> {
    let id = table_id(id);
    let del = uapi::RTM_DELROUTE as u16;
    write_tables(net, |tables| {
        let mut t = tables.get(id)?;
        let first = t.exact(dst, len).find(|r| pred(r))?;
        if whole && first.nsiblings > 0 {
            notify_nh(net, del, id, &first, Some(&t), origin, 0);
            let metric = first.metric;
            while let Some(r) = t.remove(dst, len, |r| r.metric == metric && r.ecmp()) {
                gone(net, id, &r);
            }
            return Some(first);
        }
        let r = t.remove(dst, len, |r| {
            r.metric == first.metric && r.same_nexthop(&first)
        })?;
        gone(net, id, &r);
        notify(net, del, id, &r, origin, 0);
        Some(r)
    })
}

/// The device `ifindex` went down (`rt6_sync_down_dev()`): see
/// [`fib::Table::sync_down`]; with `unregister`, all its routes go.
pub(crate) fn sync_down(net: &Net, ifindex: u32, unregister: bool) {
    if unregister {
        return remove_all(net, |_, r| r.ifindex == ifindex);
    }
    write_tables(net, |tables| {
        for mut t in tables.all() {
            let id = t.id();
            t.sync_down(ifindex, |r| {
                gone(net, id, r);
                notify(net, uapi::RTM_DELROUTE as u16, id, r, Origin::KERNEL, 0)
            });
        }
    })
}

/// `rt6_sync_up()`: next hops through `ifindex` lose `flags`.
pub(crate) fn sync_up(net: &Net, ifindex: u32, flags: u8) {
    update_all(net, |r| {
        let on = r.ifindex == ifindex && r.nh_flags & flags != 0;
        if on {
            r.nh_flags &= !flags;
        }
        on
    })
}

/// A copy of the first route of exactly `dst/len` in table `id` that `pred` accepts.
pub(crate) fn find_exact(
    net: &Net,
    id: u32,
    dst: &Ipv6Addr,
    len: u8,
    mut pred: impl FnMut(&Route) -> bool,
) -> Option<Route> {
    let id = table_id(id);
    netns::fib(net).rcu(|tables| tables.find(id)?.exact(dst, len).find(|r| pred(r)))
}

/// Changes, in place, the first route of exactly `dst/len` in table `id` that `f`
/// changes (keys and metric stay); with `announce`, announces it as a replacement.
pub(crate) fn update_exact(
    net: &Net,
    id: u32,
    dst: &Ipv6Addr,
    len: u8,
    announce: bool,
    f: impl FnMut(&mut Route) -> bool,
) -> Option<Route> {
    let id = table_id(id);
    let updated = write_tables(net, |tables| {
        let mut t = tables.get(id)?;
        let r = t.update_exact(dst, len, f)?;
        if announce {
            let flags = uapi::NLM_F_REPLACE as u16;
            notify(
                net,
                uapi::RTM_NEWROUTE as u16,
                id,
                &r,
                Origin::KERNEL,
                flags,
            );
        }
        Some(r)
    });
    if updated.is_some_and(|r| r.flags & rtf::EXPIRES != 0) {
        crate::ipv6::route::start_gc(net);
    }
    updated
}

/// Removes every route `pred` accepts from every table, announcing each
/// (`fib6_clean_all()`).
pub(crate) fn remove_all(net: &Net, pred: impl FnMut(u32, &Route) -> bool) {
    remove_all_with(net, pred, true)
}

/// [`remove_all`], announcing the routes only with `announce`.
pub(crate) fn remove_all_with(
    net: &Net,
    mut pred: impl FnMut(u32, &Route) -> bool,
    announce: bool,
) {
    write_tables(net, |tables| {
        for mut t in tables.all() {
            let id = t.id();
            t.remove_all(
                |r| pred(id, r),
                |r| {
                    gone(net, id, r);
                    if announce {
                        notify(net, uapi::RTM_DELROUTE as u16, id, r, Origin::KERNEL, 0)
                    }
                },
            );
        }
    })
}

/// Changes routes in place (`f` returns whether it changed one); keys stay.
pub(crate) fn update_all(net: &Net, mut f: impl FnMut(&mut Route) -> bool) {
    write_tables(net, |tables| {
        for mut t in tables.all() {
            t.update_all(&mut f);
        }
    })
}

/// Calls `f(table, route)` for every route in dump order (tables in order of
/// creation) until `f` says stop.
pub(crate) fn walk(net: &Net, mut f: impl FnMut(u32, &Route) -> bool) {
    walk_from(net, DumpPos::default(), |id, r, _| f(id, r));
}

/// Where a route dump stopped: the route it could not take, by its table and trie
/// position, and how many routes came before it in all (used only if that position is
/// gone, to count up to it again).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct DumpPos {
    seen: usize,
    table: u32,
    mark: Option<fib::Mark>,
}

impl DumpPos {
    /// As five words, for a dump callback's scratch space; all zero at the start.
    pub(crate) fn to_words(self) -> [usize; 5] {
        match self.mark {
            // Table ids are never 0, so word 1 tells whether there is a mark.
            Some(m) => [
                self.seen,
                self.table as usize,
                (m.key >> 64) as u64 as usize,
                m.key as u64 as usize,
                usize::from(m.len) | (m.nth as usize) << 8,
            ],
            None => [self.seen, 0, 0, 0, 0],
        }
    }

    /// Back from [`DumpPos::to_words`].
    pub(crate) fn from_words(w: [usize; 5]) -> Self {
        Self {
            seen: w[0],
            table: w[1] as u32,
            mark: (w[1] != 0).then(|| fib::Mark {
                key: (w[2] as u128) << 64 | w[3] as u128,
                len: w[4] as u8,
                nth: (w[4] >> 8) as u32,
            }),
        }
    }
}

/// Calls `f(table id, route, table)` for routes in dump order (tables in order of
/// creation) from `pos` on, until `f` refuses one; returns the position of that route, or `None` once
/// all were passed. A dump resumes at its position in time independent of the routes
/// before it, so dumping a million routes is linear, not quadratic.
pub(crate) fn walk_from(
    net: &Net,
    pos: DumpPos,
    mut f: impl FnMut(u32, &Route, &Tbl) -> bool,
) -> Option<DumpPos> {
    netns::fib(net).read(|tables| {
        let resumed = pos.mark.and_then(|m| {
            let (ti, t) = tables
                .iter()
                .enumerate()
                .find(|(_, t)| t.id() == pos.table)?;
            Some((ti, t.iter_from(m)?))
        });
        // Without the mark's node (removed since), count up to the position again.
        let (start, mut first, mut skip) = match resumed {
            Some((ti, it)) => (ti, Some(it), 0),
            None => (0, None, pos.seen),
        };
        let mut seen = if first.is_some() { pos.seen } else { 0 };
        for t in tables.iter().skip(start) {
            let mut it = first.take().unwrap_or_else(|| t.iter());
            loop {
                let mark = it.mark();
                let Some(r) = it.next() else { break };
                if skip > 0 {
                    skip -= 1;
                } else if !f(t.id(), &r, t) {
                    return Some(DumpPos {
                        seen,
                        table: t.id(),
                        mark,
                    });
                }
                seen += 1;
            }
        }
        None
    })
}

/// Every table's routes in walk order for `/proc/net/ipv6_route`, with `None` where a
/// table's root has no route (mainline shows its null entry there), copied out. The
/// copy is allocated before the lock is taken (a million routes need vmalloc, which
/// cannot run under it), with room for some routes added meanwhile.
pub(crate) fn proc_snapshot(net: &Net) -> KVVec<Option<Route>> {
    let fib = netns::fib(net);
    let n = fib.read(|tables| tables.iter().map(|t| t.len() + 1).sum::<usize>());
    let mut v = KVVec::with_capacity(n + n / 8 + 16, GFP_KERNEL).unwrap_or_else(|_| KVVec::new());
    fib.read(|tables| {
        for t in tables.iter() {
            let mut root = false;
            for r in t.iter() {
                root = r.dst_len == 0;
                // A route with a nexthop object shows its (first) path, as mainline's.
                let r = resolve(net, &r, 0, || 0).unwrap_or(r);
                if v.push(Some(r), GFP_ATOMIC).is_err() {
                    return;
                }
            }
            if !root && v.push(None, GFP_ATOMIC).is_err() {
                return;
            }
        }
    });
    v
}

/// A route found for a destination.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Found {
    pub(crate) route: Route,
    pub(crate) table: u32,
}

/// The core's `rt6_score_route()` ([`fib::score`]) for lookups through `oif`: a route
/// goes through it by its device, or, with a nexthop object, by one of the object's
/// paths (`rt6_nh_find_match()`).
fn score(net: &Net, oif: u32, strict: bool) -> impl Fn(&Route) -> Option<u32> + '_ {
    move |r: &Route| {
        fib::score(r.flags, oif, strict, || match r.nhid {
            0 => r.ifindex == oif,
            id => crate::net::nexthop::has_dev(net, id, oif),
        })
    }
}

/// The route for `dst` in table `id` alone (`fib6_table_lookup()`).
pub(crate) fn lookup_in(
    net: &Net,
    id: u32,
    dst: &Ipv6Addr,
    oif: u32,
    strict: bool,
) -> Option<Route> {
    let id = table_id(id);
    netns::fib(net).rcu(|tables| {
        let r = tables.find(id)?.lookup(dst, score(net, oif, strict))?;
        resolve(net, &r, oif, || 0)
    })
}

/// The device whose addresses a route's source is chosen from: its own, or for a
/// route with a nexthop object that of the object's first path (mainline's
/// `ip6_route_get_saddr()` asks `fib6_info_nh_dev()`, whichever path the flow takes).
pub(crate) fn source_dev(net: &Net, r: &Route) -> u32 {
    match r.nhid {
        0 => r.ifindex,
        id => crate::net::nexthop::first_dev(net, id),
    }
}

/// A route as a lookup answers with it: with a nexthop object, the object's path
/// through `oif` if there is one (`have_oif_match` of `ip6_pol_route()`), else the one
/// the flow's `hash` picks (`nexthop_path_fib6_result()`); a blackhole object makes it a
/// blackhole route. `None` if the object has no IPv6 path (it went).
fn resolve(net: &Net, r: &Route, oif: u32, hash: impl FnOnce() -> u32) -> Option<Route> {
    if r.nhid == 0 {
        return Some(*r);
    }
    let through_oif = (oif != 0)
        .then(|| crate::net::nexthop::path(net, r.nhid, 0, oif))
        .flatten();
    let p = match through_oif {
        Some(p) => p,
        None => crate::net::nexthop::path(net, r.nhid, hash(), 0)?,
    };
    let mut out = *r;
    out.ifindex = p.ifindex;
    out.gateway = p.gateway;
    if p.gateway.is_some() {
        out.flags |= rtf::GATEWAY;
    }
    out.nh_flags = p.flags;
    if p.blackhole {
        out.kind = rtn::BLACKHOLE;
        out.flags |= rtf::REJECT;
    }
    Some(out)
}

pub(crate) use crate::flow::{Flow, FlowKeys};

/// The key of the multipath hash, random per boot of the module (mainline's
/// `fib_multipath_hash_from_keys()` key is random too).
static MP_SEED: AtomicU32 = AtomicU32::new(0);

/// `rt6_multipath_hash()` of a flow, by `net.ipv6.fib_multipath_hash_policy` (and
/// `_fields`).
fn multipath_hash(net: &Net, f: &Flow) -> u32 {
    let mut seed = MP_SEED.load(Ordering::Relaxed);
    if seed == 0 {
        // A race sets two random keys; one wins and stays.
        seed = crate::net::random_u32() | 1;
        seed = match MP_SEED.compare_exchange(0, seed, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => seed,
            Err(won) => won,
        };
    }
    let (policy, fields) = net.multipath_hash_policy();
    let keys = mphash::Keys {
        src: f.src,
        dst: Some(f.dst),
        flowlabel: f.keys.flowlabel,
        proto: f.keys.proto,
        sport: f.keys.sport,
        dport: f.keys.dport,
    };
    mphash::hash(policy, fields, &keys, seed)
}

/// One table's answer for a flow (`fib6_table_lookup()`): `None` where mainline finds
/// its null entry (nothing, or a `throw` route: on to the next rule).
fn table_lookup(net: &Net, tables: Tables<'_>, id: u32, f: &Flow) -> Option<Found> {
    let r = tables
        .find(id)?
        .lookup_path(&f.dst, score(net, f.score_oif(), f.strict), || {
            Some(multipath_hash(net, f))
        })?;
    if r.kind == rtn::THROW {
        return None;
    }
    Some(Found {
        route: resolve(net, &r, f.oif_match(), || multipath_hash(net, f))?,
        table: id,
    })
}

/// `fib6_rule_lookup()`: the route for a flow. Until a policy rule is added, the
/// default rules' tables (local, then main) directly; then through the kernel's rule
/// list ([`crate::ipv6::fib6_rules`]). A reject route is returned (its error is the caller's);
/// `Err` carries the errno when no route is found (`ENETUNREACH`) or a rule rejects.
pub(crate) fn lookup(net: &Net, f: &Flow) -> Result<Found, i32> {
    lookup_route(net, f).map(|found| crate::ipv6::pmtu::apply(net, found, &f.dst))
}

/// [`lookup`] without route exceptions: the route itself.
pub(crate) fn lookup_route(net: &Net, f: &Flow) -> Result<Found, i32> {
    if crate::ipv6::fib6_rules::has_custom_rules(net) {
        return crate::ipv6::fib6_rules::lookup(net, f);
    }
    netns::fib(net).rcu(|tables| {
        [table::LOCAL, table::MAIN]
            .into_iter()
            .find_map(|id| table_lookup(net, tables, id, f))
            .ok_or(errno::ENETUNREACH)
    })
}

/// `ip6_route_redirect()`: the route a redirect from `router` is about. The flow's
/// route must go through `router` on `f.oif` (a nexthop object's path through it), or
/// its exception for the destination through a first hop `router` gave before
/// (`ip6_redirect_nh_match()`); lookups back off to shorter prefixes until one does.
/// `None` if none does: the redirect does not come from the first hop.
pub(crate) fn redirect_route(net: &Net, f: &Flow, router: &Ipv6Addr) -> Option<Found> {
    // The tables the rules lead to; mainline runs the redirect match as each rule's
    // table lookup, ours in the table the flow's lookup ends in.
    let ids = if crate::ipv6::fib6_rules::has_custom_rules(net) {
        [lookup_route(net, f).ok()?.table, 0]
    } else {
        [table::LOCAL, table::MAIN]
    };
    let path = |r: &Route| -> Option<Route> {
        if r.is_reject() || r.is_dead() {
            return None;
        }
        let p = resolve(net, r, f.oif, || 0)?;
        (p.ifindex == f.oif && p.gateway.is_some()).then_some(p)
    };
    netns::fib(net).rcu(|tables| {
        ids.into_iter().filter(|&id| id != 0).find_map(|id| {
            let t = tables.find(id)?;
            let matches = |r: &Route| {
                let p = path(r)?;
                let via_router = p.gateway == Some(*router)
                    || crate::ipv6::pmtu::redirected_to(net, id, &p, &f.dst)
                        .is_some_and(|rd| !rd.on_link && rd.target == *router);
                via_router.then_some(0)
            };
            let r = t.lookup(&f.dst, matches)?;
            Some(Found {
                route: path(&r)?,
                table: id,
            })
        })
    })
}

/// [`table_lookup`] under RCU, for the rules' actions.
pub(crate) fn lookup_table(net: &Net, id: u32, f: &Flow) -> Option<Found> {
    let id = table_id(id);
    netns::fib(net).rcu(|tables| table_lookup(net, tables, id, f))
}

/// Calls `f` with table `id` (`None` if there is none) under the tables' lock.
pub(crate) fn with_table<R>(net: &Net, id: u32, f: impl FnOnce(Option<&Tbl>) -> R) -> R {
    let id = table_id(id);
    netns::fib(net).read(|tables| f(tables.find(id)))
}

/// `ip6_rt_type_to_error()`: the error a reject route gives senders.
pub(crate) fn reject_errno(kind: u8) -> i32 {
    match kind {
        rtn::BLACKHOLE => errno::EINVAL,
        rtn::PROHIBIT => errno::EACCES,
        rtn::THROW => errno::EAGAIN,
        _ => errno::EHOSTUNREACH,
    }
}

/// Upper bound of a route message with one next hop (`rt6_nlmsg_size()`).
pub(crate) const ROUTE_MSGSIZE: usize = 512;

/// What each next hop of a multipath route adds: its `struct rtnexthop` and
/// `RTA_GATEWAY`, with the `RTA_MULTIPATH` header counted once per hop as mainline does.
const NEXTHOP_MSGSIZE: usize = 4 + 8 + 20;

/// Upper bound of the message of route `r` with its next hops (those of its nexthop
/// object, if it has one).
pub(crate) fn msg_size(net: &Net, r: &Route) -> usize {
    let paths = match r.nhid {
        0 => usize::from(r.nsiblings) + 1,
        id => crate::net::nexthop::num_paths(net, id).max(1),
    };
    ROUTE_MSGSIZE + paths * NEXTHOP_MSGSIZE
}

/// What [`fill`] writes besides the route itself: `ip -6 route get`'s answer.
#[derive(Default)]
pub(crate) struct GetInfo {
    /// The destination asked for (`RTA_DST`, `rtm_dst_len` 128).
    pub(crate) dst: Option<Ipv6Addr>,
    /// The source asked for (`RTA_SRC`, `rtm_src_len` 128).
    pub(crate) src: Option<Ipv6Addr>,
    /// The input interface asked for (`RTA_IIF`).
    pub(crate) iif: u32,
    /// The chosen source (`RTA_PREFSRC`).
    pub(crate) saddr: Option<Ipv6Addr>,
    /// The device the packet leaves through (`lo` for local routes).
    pub(crate) oif: u32,
}

/// Writes one route message (mainline `rt6_fill_node()`). With `table`, the table
/// holding `r`, a next hop of a multipath route is written as the whole route: all its
/// next hops in `RTA_MULTIPATH`, `r`'s first (a lookup's answer, `get`, is one path).
///
/// # Safety
/// `skb` must be a netlink skb we may write to.
#[allow(clippy::too_many_arguments)]
pub(crate) fn fill(
    skb: &mut NlSkb<'_>,
    net: &Net,
    id: u32,
    r: &Route,
    table: Option<&Tbl>,
    get: Option<&GetInfo>,
    portid: u32,
    seq: u32,
    event: u16,
    nlflags: u16,
) -> Result<(), MsgSize> {
    let exception = r.flags & rtf::CACHE != 0;
    let multipath = table.filter(|_| get.is_none() && !exception && r.nsiblings > 0);
    // The route itself with its nexthop object (not a lookup's path of it).
    let nhid = if get.is_none() && !exception {
        r.nhid
    } else {
        0
    };
    let mut kind = r.kind;
    let mut flags = if multipath.is_some() || nhid != 0 {
        0
    } else {
        u32::from(r.nh_flags)
    };
    if nhid != 0 {
        let mut f = 0;
        crate::net::nexthop::header(net, nhid, &mut kind, &mut f);
        flags |= u32::from(f);
    }
    if exception {
        flags |= uapi::RTM_F_CLONED;
    }
    // An exception is filled from its dst, without the next hop's flags. A deleted
    // route is announced with the flags it had: mainline's `linkdown` comes from the
    // carrier events before, not from a device going down with its routes.
    if get.is_none()
        && multipath.is_none()
        && nhid == 0
        && !exception
        && event != uapi::RTM_DELROUTE as u16
        && r.ifindex != 0
        && r.kind != rtn::LOCAL
        && r.kind != rtn::ANYCAST
        && !r.is_reject()
        && !carrier_ok(net, r.ifindex)
    {
        flags |= uapi::RTNH_F_LINKDOWN;
    }
    let hdr = uapi::rtmsg {
        rtm_family: uapi::AF_INET6 as u8,
        rtm_dst_len: if get.and_then(|g| g.dst).is_some() {
            128
        } else {
            r.dst_len
        },
        rtm_src_len: if get.and_then(|g| g.src).is_some() {
            128
        } else {
            0
        },
        rtm_tos: 0,
        rtm_table: if id < 256 {
            id as u8
        } else {
            uapi::RT_TABLE_COMPAT as u8
        },
        rtm_protocol: r.protocol,
        rtm_scope: uapi::RT_SCOPE_UNIVERSE as u8,
        rtm_type: kind,
        rtm_flags: flags,
    };
    let mut m = skb.begin(portid, seq, event, nlflags, &hdr)?;
    m.put_u32(uapi::RTA_TABLE as u16, id)?;
    match get.and_then(|g| g.dst) {
        Some(d) => {
            m.put(uapi::RTA_DST as u16, &d.octets())?;
        }
        None if r.dst_len != 0 => {
            m.put(uapi::RTA_DST as u16, &r.dst.octets())?;
        }
        None => {}
    }
    if let Some(s) = get.and_then(|g| g.src) {
        m.put(uapi::RTA_SRC as u16, &s.octets())?;
    }
    if let Some(g) = get {
        if g.iif != 0 {
            m.put_u32(uapi::RTA_IIF as u16, g.iif)?;
        } else if let Some(s) = g.saddr {
            m.put(uapi::RTA_PREFSRC as u16, &s.octets())?;
        }
    }
    if let Some(p) = r.prefsrc {
        m.put(uapi::RTA_PREFSRC as u16, &p.octets())?;
    }
    // rtnetlink_put_metrics(): a nest of the metrics that are set, by RTAX order.
    let metrics = [
        (uapi::RTAX_MTU, r.mtu),
        (uapi::RTAX_ADVMSS, r.advmss),
        (uapi::RTAX_HOPLIMIT, r.hoplimit),
    ];
    if metrics.iter().any(|&(_, v)| v != 0) {
        let nest = m.nest_start(uapi::RTA_METRICS as u16)?;
        for (k, v) in metrics {
            if v != 0 {
                m.put_u32(k as u16, v)?;
            }
        }
        m.nest_end(nest);
    }
    m.put_u32(uapi::RTA_PRIORITY as u16, r.metric)?;
    if let Some(t) = multipath {
        let nest = m.nest_start(uapi::RTA_MULTIPATH as u16)?;
        for nh in t.nexthops(r) {
            // fib_nexthop_info(): dead, linkdown (kept, or the carrier's now), onlink.
            let mut f = nh.nh_flags & (fib::rtnh::DEAD | fib::rtnh::LINKDOWN | fib::rtnh::ONLINK);
            if event != uapi::RTM_DELROUTE as u16 && !carrier_ok(net, nh.ifindex) {
                f |= fib::rtnh::LINKDOWN;
            }
            let hops = (nh.weight.clamp(1, 256) - 1) as u8;
            let h = m.nexthop_start(f, hops, nh.ifindex)?;
            if let Some(gw) = nh.gateway {
                m.put(uapi::RTA_GATEWAY as u16, &gw.octets())?;
            }
            m.nexthop_end(h);
        }
        m.nest_end(nest);
    } else if nhid != 0 {
        crate::net::nexthop::put(&mut m, net, nhid)?;
    } else {
        if let Some(gw) = r.gateway {
            m.put(uapi::RTA_GATEWAY as u16, &gw.octets())?;
        }
        let oif = get.map_or(r.ifindex, |g| g.oif);
        if oif != 0 {
            m.put_u32(uapi::RTA_OIF as u16, oif)?;
        }
    }
    // struct rta_cacheinfo: clntref, lastuse, expires (clock_t), error, used, id, ts,
    // tsage.
    let mut ci = [0u8; 32];
    // A lookup answers with the route's dst, whose expiry is that of a route exception
    // (with one), not the route's: mainline shows none for a plain route.
    if r.flags & rtf::EXPIRES != 0 && (get.is_none() || exception) {
        let now = crate::net::time::jiffies();
        let left = r.expires.wrapping_sub(now) as i64;
        let clock = crate::net::time::jiffies_to_clock_t(left.unsigned_abs());
        let clock = clock.min(i32::MAX as u64) as i32;
        let v = if left > 0 { clock } else { -clock };
        ci[8..12].copy_from_slice(&v.to_ne_bytes());
    }
    m.put(uapi::RTA_CACHEINFO as u16, &ci)?;
    m.put_u8(uapi::RTA_PREF as u16, rtf::extract_pref(r.flags))?;
    m.finish();
    Ok(())
}

fn carrier_ok(net: &Net, ifindex: u32) -> bool {
    let rcu = crate::net::rcu::Rcu::read_lock();
    net.dev_rcu(ifindex, &rcu).is_none_or(|d| d.carrier_ok())
}

/// Announces a route change to `RTNLGRP_IPV6_ROUTE` (`inet6_rt_notify()`), one path.
fn notify(net: &Net, event: u16, id: u32, r: &Route, origin: Origin, nlflags: u16) {
    notify_nh(net, event, id, r, None, origin, nlflags)
}

/// [`notify`] with all next hops of `r`'s multipath route as `table` holds them.
fn notify_nh(
    net: &Net,
    event: u16,
    id: u32,
    r: &Route,
    table: Option<&Tbl>,
    origin: Origin,
    nlflags: u16,
) {
    // A deleted route is announced with its expiry cleared (`fib6_purge_rt()`).
    let mut r = *r;
    if event == uapi::RTM_DELROUTE as u16 {
        r.flags &= !rtf::EXPIRES;
    }
    let r = &r;
    let group = uapi::RTNLGRP_IPV6_ROUTE;
    // Atomic: we may hold the table lock.
    let Ok(mut skb) = NotifySkb::new_atomic(msg_size(net, r)) else {
        return crate::net::netlink::notify_error(net, group, Error::from_errno(-(errno::ENOBUFS)));
    };
    let (portid, seq) = (origin.portid(), origin.seq());
    match fill(
        &mut skb.nl(),
        net,
        id,
        r,
        table,
        None,
        portid,
        seq,
        event,
        nlflags,
    ) {
        Ok(()) => origin.notify_route(net, skb),
        Err(MsgSize) => pr_warn!("route notification larger than computed\n"),
    }
}
