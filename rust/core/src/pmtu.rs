// SPDX-License-Identifier: GPL-2.0

//! Path MTU discovery (RFC 8201) as mainline keeps it (`net/ipv6/route.c`): a packet too
//! big makes a route exception. It is a /128 clone of the route the destination takes,
//! with the MTU learned, and it expires after `net.ipv6.route.mtu_expires`. Lookups
//! answer with it while it lives, so `ip -6 route get` shows it (flagged `cache`, with
//! its `mtu` and `expires`). The device's MTU changes carry over to it.
//!
//! A redirect a host accepts (RFC 4861 §8.3, `rt6_do_redirect()`) makes one too: the
//! clone's first hop is the redirect's target ([`Redirect`]). It carries no MTU of its
//! own until a packet too big teaches it one, and lives while in use (here: for
//! `net.ipv6.route.gc_timeout` from when it was made, see `Documentation/abi.rst`).
//!
//! This module decides; the module's glue keeps the exceptions of a namespace in one
//! vector and asks [`slot_for`] where a new one goes.

use crate::fib::{rtf, Route};
use core::net::Ipv6Addr;

/// The IPv6 minimum link MTU: reports below it are ignored (`IPV6_MIN_MTU`).
pub const MIN_MTU: u32 = 1280;

/// Exceptions one route keeps per hash bucket of destinations before the bucket's
/// oldest goes (`FIB6_MAX_DEPTH`; mainline draws the limit at random between this and
/// twice this, per insertion, against side channels).
pub const MAX_DEPTH: usize = 5;

/// Hash buckets of a route's exceptions (`FIB6_EXCEPTION_BUCKET_SIZE`).
pub const BUCKETS: u32 = 1 << 10;

/// The bucket of `dst` among a route's exceptions (`rt6_exception_hash()`, which
/// mainline keys with a random secret; this hash is fixed).
pub fn bucket(dst: &Ipv6Addr) -> u32 {
    let k = u128::from_be_bytes(dst.octets());
    let h = ((k >> 64) as u64 ^ k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> (64 - 10)) as u32 & (BUCKETS - 1)
}

/// `__ip6_rt_update_pmtu()`: whether a packet too big reporting `mtu` lowers a path
/// whose MTU is now `path_mtu`. IPv6 path MTU discovery is not optional: a locked
/// `mtu` metric does not stop it.
pub fn accepts_report(mtu: u32, path_mtu: u32) -> bool {
    mtu >= MIN_MTU && mtu < path_mtu
}

/// `rt6_mtu_change_route_allowed()`: whether an exception of `mtu` follows its device's
/// MTU changing to `new`, the device's MTU having been `old`. A lower device MTU is the
/// path's lowest, so it always carries over. A higher one does only if the exception
/// was the device's own MTU: then the device was the bottleneck, and discovery will
/// find any lower one further on.
pub fn follows_device(mtu: u32, new: u32, old: u32) -> bool {
    mtu >= new || mtu == old
}

/// The route an exception hangs off, by what identifies it (mainline hangs it off the
/// route's next hop).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parent {
    /// Table id.
    pub table: u32,
    /// Destination prefix.
    pub dst: Ipv6Addr,
    /// Its length.
    pub dst_len: u8,
    /// Metric.
    pub metric: u32,
    /// Outgoing device.
    pub ifindex: u32,
    /// Next hop.
    pub gateway: Option<Ipv6Addr>,
    /// The route's nexthop object, 0 if none: then `ifindex` and `gateway` are those
    /// of the object's path the exception was learned on.
    pub nhid: u32,
}

impl Parent {
    /// The parent identity of route `r` in table `table`, as a lookup answered it
    /// (with a nexthop object's path resolved).
    pub fn of(table: u32, r: &Route) -> Self {
        Self {
            table,
            dst: r.dst,
            dst_len: r.dst_len,
            metric: r.metric,
            ifindex: r.ifindex,
            gateway: r.gateway,
            nhid: r.nhid,
        }
    }

    /// Whether it is table `table`'s route `r` as the table stores it: a route with a
    /// nexthop object has any of the object's paths.
    pub fn is_route(&self, table: u32, r: &Route) -> bool {
        if r.nhid == 0 {
            return *self == Parent::of(table, r);
        }
        self.table == table
            && self.dst == r.dst
            && self.dst_len == r.dst_len
            && self.metric == r.metric
            && self.nhid == r.nhid
    }
}

/// The first hop a redirect names for an exception's destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The redirect's target.
    pub target: Ipv6Addr,
    /// The target is the destination itself, on the link: no gateway.
    pub on_link: bool,
}

/// One exception (`struct rt6_exception` and its `rt6_info`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exception {
    /// The route it was cloned from.
    pub parent: Parent,
    /// The destination it is for.
    pub dst: Ipv6Addr,
    /// The path MTU learned, 0 for none (a redirect's, until a packet too big).
    pub mtu: u32,
    /// When it expires, in the caller's clock (jiffies).
    pub expires: u64,
    /// When it was made (`rt6_ex->stamp`): the oldest goes first.
    pub stamp: u64,
    /// The first hop a redirect gave, if one did.
    pub redirect: Option<Redirect>,
}

impl Exception {
    /// Whether it has expired at `now` (`rt6_check_expired()`).
    pub fn expired(&self, now: u64) -> bool {
        (now.wrapping_sub(self.expires) as i64) >= 0
    }

    /// Whether it is the exception of route `r` (in `table`) for `dst`.
    pub fn is_for(&self, table: u32, r: &Route, dst: &Ipv6Addr) -> bool {
        self.dst == *dst && self.parent == Parent::of(table, r)
    }

    /// The route a lookup of its destination answers with: its parent's, for that
    /// destination alone, flagged as a cached clone; with a learned MTU, that MTU and
    /// its expiry; after a redirect, the redirect's first hop (`RTF_DYNAMIC`).
    pub fn route(&self, parent: &Route) -> Route {
        let mut r = *parent;
        r.dst = self.dst;
        r.dst_len = 128;
        r.flags |= rtf::CACHE;
        if let Some(rd) = self.redirect {
            // The route's preference stays (mainline shows its `fib6_info`'s).
            r.flags = rtf::UP | rtf::DYNAMIC | rtf::CACHE | parent.flags & rtf::PREF_MASK;
            r.gateway = (!rd.on_link).then_some(rd.target);
            if !rd.on_link {
                r.flags |= rtf::GATEWAY;
            }
        }
        if self.mtu != 0 {
            r.flags |= rtf::EXPIRES;
            r.mtu = self.mtu;
            r.expires = self.expires;
        }
        r
    }

    /// Its first hop: a redirect's target, or its route's gateway (`rt6i_gateway`
    /// of the clone).
    pub fn gateway(&self) -> Option<Ipv6Addr> {
        match self.redirect {
            Some(rd) if rd.on_link => None,
            Some(rd) => Some(rd.target),
            None => self.parent.gateway,
        }
    }

    /// The path MTU a packet too big lowers: the exception's own, else the route's
    /// (`route_mtu`).
    pub fn path_mtu(&self, route_mtu: u32) -> u32 {
        if self.mtu != 0 {
            self.mtu
        } else {
            route_mtu
        }
    }
}

/// Where a new exception goes in `list`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// In place of the one for the same route and destination.
    Replace(usize),
    /// In place of the oldest in the route's bucket: it has [`MAX_DEPTH`] already.
    Evict(usize),
    /// At the end.
    Append,
}

/// `rt6_insert_exception()`: where an exception of `parent` for `dst` goes. A route's
/// bucket holds at most [`MAX_DEPTH`] of them.
pub fn slot_for(list: &[Exception], parent: &Parent, dst: &Ipv6Addr) -> Slot {
    if let Some(i) = list
        .iter()
        .position(|e| e.parent == *parent && e.dst == *dst)
    {
        return Slot::Replace(i);
    }
    let b = bucket(dst);
    let mut n = 0;
    let mut oldest: Option<usize> = None;
    for (i, e) in list.iter().enumerate() {
        if e.parent == *parent && bucket(&e.dst) == b {
            n += 1;
            if oldest.is_none_or(|o| (e.stamp.wrapping_sub(list[o].stamp) as i64) < 0) {
                oldest = Some(i);
            }
        }
    }
    match oldest {
        Some(o) if n >= MAX_DEPTH => Slot::Evict(o),
        _ => Slot::Append,
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::fib::rtn;
    use std::vec::Vec;

    fn route(gw: &str) -> Route {
        let mut r = Route::new(
            &"2001:db8:2::".parse().unwrap(),
            64,
            rtn::UNICAST,
            3,
            0,
            1024,
            2,
        );
        r.gateway = Some(gw.parse().unwrap());
        r
    }

    fn exc(parent: &Route, dst: &str, stamp: u64) -> Exception {
        Exception {
            parent: Parent::of(254, parent),
            dst: dst.parse().unwrap(),
            mtu: 1400,
            expires: stamp + 600,
            stamp,
            redirect: None,
        }
    }

    #[test]
    fn a_nexthop_object_route_is_the_parent_of_each_of_its_paths() {
        let mut stored = Route::new(
            &"2001:db8:2::".parse().unwrap(),
            64,
            rtn::UNICAST,
            3,
            0,
            1024,
            0,
        );
        stored.nhid = 61;
        // As a lookup resolved it: one of the object's paths.
        let mut path = stored;
        path.ifindex = 2;
        path.gateway = Some("2001:db8:1::2".parse().unwrap());
        let p = Parent::of(254, &path);
        assert!(p.is_route(254, &stored));
        assert!(!p.is_route(255, &stored));
        assert!(!p.is_route(254, &Route { nhid: 62, ..stored }));
        assert!(!p.is_route(
            254,
            &Route {
                metric: 1,
                ..stored
            }
        ));
        // Without an object, the next hop itself counts.
        let plain = route("2001:db8:1::2");
        assert!(Parent::of(254, &plain).is_route(254, &plain));
        assert!(!Parent::of(254, &plain).is_route(254, &route("2001:db8:1::3")));
    }

    #[test]
    fn a_redirect_changes_the_first_hop() {
        let parent = route("2001:db8:1::2");
        let mut e = exc(&parent, "2001:db8:2::1", 100);
        e.mtu = 0;
        e.redirect = Some(Redirect {
            target: "fe80::99".parse().unwrap(),
            on_link: false,
        });
        let r = e.route(&parent);
        assert_eq!(r.gateway, Some("fe80::99".parse().unwrap()));
        assert_eq!(r.flags, rtf::UP | rtf::DYNAMIC | rtf::CACHE | rtf::GATEWAY);
        assert_eq!(r.dst_len, 128);
        assert_eq!(e.path_mtu(1500), 1500);
        // A packet too big later: the MTU, with its expiry, on the redirected path.
        e.mtu = 1400;
        let r = e.route(&parent);
        assert_eq!(r.mtu, 1400);
        assert_ne!(r.flags & rtf::EXPIRES, 0);
        assert_eq!(r.gateway, Some("fe80::99".parse().unwrap()));
        assert_eq!(e.path_mtu(1500), 1400);
        // On the link: no gateway.
        e.redirect = Some(Redirect {
            target: "2001:db8:2::1".parse().unwrap(),
            on_link: true,
        });
        let r = e.route(&parent);
        assert_eq!(r.gateway, None);
        assert_eq!(r.flags & rtf::GATEWAY, 0);
    }

    #[test]
    fn reports() {
        assert!(accepts_report(1400, 1500));
        assert!(!accepts_report(1500, 1500));
        assert!(!accepts_report(1279, 1500));
        assert!(accepts_report(1280, 1500));
    }

    #[test]
    fn device_changes() {
        // Down below the exception: follows.
        assert!(follows_device(1400, 1300, 2000));
        // Up, the exception being the device's MTU: follows.
        assert!(follows_device(1300, 1700, 1300));
        // Up, the exception below the device's: a bottleneck further on, stays.
        assert!(!follows_device(1400, 1700, 1500));
    }

    #[test]
    fn slots() {
        let r = route("2001:db8:1::2");
        let other = route("2001:db8:1::3");
        let mut list: Vec<Exception> = Vec::new();
        let p = Parent::of(254, &r);
        assert_eq!(
            slot_for(&list, &p, &"2001:db8:2::1".parse().unwrap()),
            Slot::Append
        );
        // Destinations of one bucket.
        let b = bucket(&"2001:db8:2::1".parse().unwrap());
        let same: Vec<std::string::String> = (1..100_000u32)
            .map(|i| std::format!("2001:db8:2::{:x}:{:x}", i >> 16, i & 0xffff))
            .filter(|a| bucket(&a.parse().unwrap()) == b)
            .take(MAX_DEPTH + 1)
            .collect();
        assert_eq!(same.len(), MAX_DEPTH + 1);
        for (i, a) in same[..MAX_DEPTH].iter().enumerate() {
            list.push(exc(&r, a, 100 - i as u64));
        }
        list.push(exc(&other, &same[MAX_DEPTH], 1));
        assert_eq!(
            slot_for(&list, &p, &same[2].parse().unwrap()),
            Slot::Replace(2)
        );
        // Full: the bucket's oldest (stamp 96, the fifth) goes, not the other route's.
        assert_eq!(
            slot_for(&list, &p, &same[MAX_DEPTH].parse().unwrap()),
            Slot::Evict(4)
        );
        // Another bucket of the same route has room.
        let elsewhere = (1..1000u32)
            .map(|i| std::format!("2001:db8:3::{:x}", i))
            .find(|a| bucket(&a.parse().unwrap()) != b)
            .unwrap();
        assert_eq!(
            slot_for(&list, &p, &elsewhere.parse().unwrap()),
            Slot::Append
        );
        let e = list[0];
        assert!(e.is_for(254, &r, &same[0].parse().unwrap()));
        assert!(!e.is_for(254, &other, &same[0].parse().unwrap()));
        let c = e.route(&r);
        assert_eq!(
            (c.dst_len, c.mtu, c.flags & rtf::CACHE != 0),
            (128, 1400, true)
        );
        assert!(!e.expired(699) && e.expired(700));
    }
}
