// SPDX-License-Identifier: GPL-2.0

//! Route exceptions of a namespace: the path MTUs packets too big taught us
//! (mainline's `rt6_exception` buckets, see [`crate::pmtu`]).
//!
//! They are kept in one vector behind a lock of their own, taken after the tables'
//! lock when both are (a route's removal takes its exceptions along), never before.
//! Lookups look here only when the vector is not empty; expired exceptions are
//! ignored at once and removed by the namespace's route expiry and by insertions.

#![forbid(unsafe_code)]

use crate::net::lock::{BhRwLock, LockClass};
use crate::net::netns::Net;

use crate::ipv6::ip6_fib::{self, Found};
use crate::{
    fib::{rtn, Route},
    pmtu::{self, Exception, Parent, Redirect, Slot},
};
use core::{
    net::Ipv6Addr,
    sync::atomic::{AtomicUsize, Ordering},
};
use kernel::prelude::*;

/// The exceptions of one namespace, and how many there are: every route lookup asks,
/// so that question is answered without the lock.
pub(crate) struct Exceptions {
    list: BhRwLock<KVec<Exception>>,
    len: AtomicUsize,
}

impl Exceptions {
    pub(crate) fn new() -> Result<Self> {
        Ok(Self {
            list: BhRwLock::new(KVec::new(), LockClass::Exceptions)?,
            len: AtomicUsize::new(0),
        })
    }

    /// Whether there are none. A lookup racing with the first insertion may miss it,
    /// as it would had it come a moment earlier.
    fn is_empty(&self) -> bool {
        self.len.load(Ordering::Relaxed) == 0
    }

    fn read<R>(&self, f: impl FnOnce(&KVec<Exception>) -> R) -> R {
        self.list.read(f)
    }

    /// Changes the list under the write lock, and publishes its new length; the routes
    /// `net` handed out before are stale.
    fn write<R>(&self, net: &Net, f: impl FnOnce(&mut KVec<Exception>) -> R) -> R {
        let r = self.list.write(|v| {
            let r = f(v);
            self.len.store(v.len(), Ordering::Relaxed);
            r
        });
        net.routes_changed();
        r
    }
}

use crate::net::time::jiffies as now;

/// `net.ipv6.route.mtu_expires`, in jiffies.
fn mtu_expires(net: &Net) -> u64 {
    net.limits().mtu_expires.max(0) as u64
}

/// The live exception of route `r` (of `table`, as a lookup found it) for `dst`, if
/// there is one (`rt6_find_cached_rt()`).
fn live(net: &Net, table: u32, r: &Route, dst: &Ipv6Addr) -> Option<Exception> {
    let x = exceptions(net);
    if x.is_empty() {
        return None;
    }
    let t = now();
    x.read(|v| {
        v.iter()
            .find(|e| e.is_for(table, r, dst) && !e.expired(t))
            .copied()
    })
}

/// The answer of a lookup for `dst`, with the live exception of its route if there is
/// one.
pub(crate) fn apply(net: &Net, found: Found, dst: &Ipv6Addr) -> Found {
    match live(net, found.table, &found.route, dst) {
        Some(e) => Found {
            route: e.route(&found.route),
            ..found
        },
        None => found,
    }
}

/// `rt6_insert_exception()`: `e` goes in place of its route's exception for its
/// destination if `replace(old, &mut e)` agrees (and may carry some of `old` over);
/// otherwise, if `new_ok`, in place of the oldest in a full bucket, or at the end.
fn insert(
    v: &mut KVec<Exception>,
    t: u64,
    mut e: Exception,
    replace: impl FnOnce(&Exception, &mut Exception) -> bool,
    new_ok: bool,
) {
    remove_where(v, |x| x.expired(t));
    match pmtu::slot_for(v, &e.parent, &e.dst) {
        Slot::Replace(i) => {
            if replace(&v[i], &mut e) {
                v[i] = e;
            }
        }
        Slot::Evict(i) if new_ok => v[i] = e,
        // Out of memory: no exception, as when mainline's GFP_ATOMIC fails.
        Slot::Append if new_ok => {
            let _ = v.push(e, GFP_ATOMIC);
        }
        _ => {}
    }
}

/// `ip6_update_pmtu()`: a packet too big reporting `mtu` for our packet from `src` to
/// `dst`, which arrived on `oif`: the path to `dst` gets (or lowers) its exception.
pub(crate) fn update(
    net: &Net,
    dst: &Ipv6Addr,
    src: &Ipv6Addr,
    oif: u32,
    keys: ip6_fib::FlowKeys,
    mtu: u32,
) {
    let mut flow = ip6_fib::Flow::output(
        *dst,
        (!src.is_unspecified()).then_some(*src),
        oif,
        crate::ipv6::ip6_input::need_strict(dst),
    );
    flow.keys = keys;
    let Ok(found) = ip6_fib::lookup_route(net, &flow) else {
        return;
    };
    let r = found.route;
    if r.is_reject() || r.kind == rtn::LOCAL || r.kind == rtn::ANYCAST {
        return;
    }
    // `fib6_mtu()`: the route's metric, or its device's MTU.
    let route_mtu = match r.mtu {
        0 => match crate::ipv6::ip6_input::dev_mtu6(net, r.ifindex) {
            Some(m) => m,
            None => return,
        },
        m => m,
    };
    let t = now();
    let parent = Parent::of(found.table, &r);
    let e = Exception {
        parent,
        dst: *dst,
        mtu,
        expires: t.wrapping_add(mtu_expires(net)),
        stamp: t,
        redirect: None,
    };
    // The path's MTU now: the exception's (rt6_do_update_pmtu() lowers it in place,
    // keeping a redirect's first hop), or the route's (rt6_insert_exception() makes one
    // below it).
    let replace = |old: &Exception, new: &mut Exception| {
        new.redirect = old.redirect;
        pmtu::accepts_report(mtu, old.path_mtu(route_mtu))
    };
    let new_ok = pmtu::accepts_report(mtu, route_mtu);
    exceptions(net).write(net, |v| insert(v, t, e, replace, new_ok));
}

/// `rt6_do_redirect()`'s exception: packets to `dst` that took `found` go through
/// the redirect's first hop from now on. It replaces any exception of that route for
/// `dst` (`rt6_insert_exception()`), and goes after `net.ipv6.route.gc_timeout`.
pub(crate) fn redirect(net: &Net, found: &Found, dst: &Ipv6Addr, rd: Redirect) {
    let t = now();
    let parent = Parent::of(found.table, &found.route);
    let e = Exception {
        parent,
        dst: *dst,
        mtu: 0,
        expires: t.wrapping_add(net.limits().gc_timeout.max(0) as u64),
        stamp: t,
        redirect: Some(rd),
    };
    exceptions(net).write(net, |v| insert(v, t, e, |_, _| true, true));
}

/// The first hop the live exception of route `r` (of `table`, as a lookup found it)
/// for `dst` has from a redirect, if there is one.
pub(crate) fn redirected_to(net: &Net, table: u32, r: &Route, dst: &Ipv6Addr) -> Option<Redirect> {
    live(net, table, r, dst)?.redirect
}

/// Removes the entries `pred` accepts, keeping the others' order.
fn remove_where(v: &mut KVec<Exception>, mut pred: impl FnMut(&Exception) -> bool) -> usize {
    let mut kept = 0;
    for i in 0..v.len() {
        if !pred(&v[i]) {
            v[kept] = v[i];
            kept += 1;
        }
    }
    let gone = v.len() - kept;
    crate::net::truncate(v, kept);
    gone
}

/// Route `r` of table `table` went: so do its exceptions (`fib6_nh_flush_exceptions()`).
pub(crate) fn purge(net: &Net, table: u32, r: &Route) {
    let x = exceptions(net);
    if x.is_empty() {
        return;
    }
    x.write(net, |v| remove_where(v, |e| e.parent.is_route(table, r)));
}

/// Nexthop object `id` changed its paths: the exceptions learned on them go (mainline
/// frees them with the object's old `fib6_nh`).
pub(crate) fn purge_nexthop(net: &Net, id: u32) {
    let x = exceptions(net);
    if x.is_empty() {
        return;
    }
    x.write(net, |v| remove_where(v, |e| e.parent.nhid == id));
}

/// Drops expired exceptions (`rt6_age_exceptions()`).
pub(crate) fn expire(net: &Net) {
    let x = exceptions(net);
    if x.is_empty() {
        return;
    }
    let t = now();
    x.write(net, |v| remove_where(v, |e| e.expired(t)));
}

/// `rt6_mtu_change()` for the exceptions: device `ifindex`'s MTU goes from `old` to
/// `new`.
pub(crate) fn dev_mtu_change(net: &Net, ifindex: u32, new: u32, old: u32) {
    exceptions(net).write(net, |v| {
        for e in v.iter_mut() {
            if e.parent.ifindex == ifindex && pmtu::follows_device(e.mtu, new, old) {
                e.mtu = new;
            }
        }
    });
}

/// `ip6_del_cached_rt()`: removes the exception for `dst` in `table` (through
/// `ifindex` and `gateway` if given, of a route with nexthop object `nhid` if not 0);
/// whether there was one.
pub(crate) fn remove(
    net: &Net,
    table: u32,
    dst: &Ipv6Addr,
    ifindex: u32,
    gateway: Option<Ipv6Addr>,
    nhid: u32,
) -> bool {
    exceptions(net).write(net, |v| {
        let hit = |e: &Exception| {
            e.parent.table == table
                && e.dst == *dst
                && (ifindex == 0 || e.parent.ifindex == ifindex)
                && (gateway.is_none() || e.gateway() == gateway)
                && (nhid == 0 || e.parent.nhid == nhid)
        };
        match v.iter().position(hit) {
            Some(i) => {
                v[i..].rotate_left(1);
                crate::net::truncate(v, v.len() - 1);
                true
            }
            None => false,
        }
    })
}

/// Calls `f(table, exception route)` for live exceptions from the `skip`th on, with
/// the route each hangs off as its parent route; stops when `f` says so and returns
/// how many were passed (the next call's `skip`), or `None` when all were.
pub(crate) fn walk(
    net: &Net,
    skip: usize,
    mut f: impl FnMut(u32, &Route) -> bool,
) -> Option<usize> {
    // Copied out first: the parents are looked up under the tables' lock, which comes
    // before ours.
    let t = now();
    let list = exceptions(net).read(|v| {
        let mut out = KVec::new();
        for e in v.iter().filter(|e| !e.expired(t)).skip(skip) {
            if out.push(*e, GFP_ATOMIC).is_err() {
                break;
            }
        }
        out
    });
    for (n, e) in list.iter().enumerate() {
        let p = e.parent;
        let Some(mut parent) =
            ip6_fib::find_exact(net, p.table, &p.dst, p.dst_len, |r| p.is_route(p.table, r))
        else {
            continue;
        };
        // A route with a nexthop object: the exception's path of it.
        parent.ifindex = p.ifindex;
        parent.gateway = p.gateway;
        if !f(p.table, &e.route(&parent)) {
            return Some(skip + n);
        }
    }
    None
}

/// The route exceptions of `net` (`Exceptions` synchronises its own contents).
fn exceptions(net: &Net) -> &Exceptions {
    &crate::ipv6::af_inet6::state(net).exceptions
}
