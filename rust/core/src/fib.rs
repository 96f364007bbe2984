// SPDX-License-Identifier: GPL-2.0

//! Routing tables (mainline `net/ipv6/ip6_fib.c`): one path-compressed binary trie per
//! table, keyed by destination prefix.
//!
//! A lookup walks at most one node per prefix length on the path to the address, so its
//! cost depends on the address length (128 bits), never on the number of routes; it
//! then backtracks from the longest matching prefix towards `::/0` until a node has a
//! route the caller accepts, as mainline's `fib6_backtrack()` does.
//!
//! The core owns no memory: nodes and routes live in slots of a [`Slab`] the caller
//! provides (a `Vec` on the host, a kernel vector in the module), linked by index, and
//! freed slots are reused. Writers need `&mut`; the module serialises them and keeps
//! readers out while one runs.
//!
//! Order is mainline's, because it is ABI (`ip -6 route show`, `/proc/net/ipv6_route`):
//! routes of one prefix are kept by metric, a new one after those of equal metric; a
//! table is walked in post-order (a longer prefix before the shorter one covering it,
//! the 0 side of a bit before the 1 side, `::/0` last), as `fib6_walk()` visits it.

use core::net::Ipv6Addr;
use core::ops::{Index, IndexMut};

/// Route types (`RTN_*`, `rtm_type`).
pub mod rtn {
    /// Gateway or direct route.
    pub const UNICAST: u8 = 1;
    /// Accept locally.
    pub const LOCAL: u8 = 2;
    /// Accept locally as anycast.
    pub const ANYCAST: u8 = 4;
    /// Multicast route.
    pub const MULTICAST: u8 = 5;
    /// Drop silently.
    pub const BLACKHOLE: u8 = 6;
    /// Destination is unreachable.
    pub const UNREACHABLE: u8 = 7;
    /// Administratively prohibited.
    pub const PROHIBIT: u8 = 8;
    /// Not in this table: go on with the next rule.
    pub const THROW: u8 = 9;
    /// Highest type the kernel knows (`RTN_MAX`).
    pub const MAX: u8 = 11;
}

/// Route flags (`RTF_*`, `include/uapi/linux/ipv6_route.h`, `route.h`).
pub mod rtf {
    /// Route usable.
    pub const UP: u32 = 0x0001;
    /// Destination is a gateway.
    pub const GATEWAY: u32 = 0x0002;
    /// Made by a redirect.
    pub const DYNAMIC: u32 = 0x0010;
    /// Reject route.
    pub const REJECT: u32 = 0x0200;
    /// Default route learned from a router advertisement.
    pub const DEFAULT: u32 = 0x0001_0000;
    /// Route made by address configuration.
    pub const ADDRCONF: u32 = 0x0004_0000;
    /// A prefix route of address configuration.
    pub const PREFIX_RT: u32 = 0x0008_0000;
    /// Anycast route.
    pub const ANYCAST: u32 = 0x0010_0000;
    /// A route from a route information option (RFC 4191).
    pub const ROUTEINFO: u32 = 0x0080_0000;
    /// No next hop (host routes of our addresses).
    pub const NONEXTHOP: u32 = 0x0020_0000;
    /// The route expires.
    pub const EXPIRES: u32 = 0x0040_0000;
    /// A cached clone (exception).
    pub const CACHE: u32 = 0x0100_0000;
    /// Route preference (RFC 4191), two bits.
    pub const PREF_MASK: u32 = 0x1800_0000;
    /// Local route.
    pub const LOCAL: u32 = 0x8000_0000;

    /// `RTF_PREF(pref)`.
    pub const fn pref(p: u8) -> u32 {
        ((p as u32) & 3) << 27
    }

    /// `IPV6_EXTRACT_PREF(flags)`.
    pub const fn extract_pref(flags: u32) -> u8 {
        ((flags & PREF_MASK) >> 27) as u8
    }
}

/// Next-hop flags (`RTNH_F_*`, `rtm_flags` and `rtnh_flags`).
pub mod rtnh {
    /// The next hop is dead: its device went down while its multipath route stays.
    pub const DEAD: u8 = 1;
    /// The gateway is on link whatever the routes say.
    pub const ONLINK: u8 = 4;
    /// The next hop's link is down.
    pub const LINKDOWN: u8 = 16;
}

/// Route preference values (`ICMPV6_ROUTER_PREF_*`).
pub mod pref {
    /// Low.
    pub const LOW: u8 = 3;
    /// Medium, the default.
    pub const MEDIUM: u8 = 0;
    /// High.
    pub const HIGH: u8 = 1;
}

/// Well-known table ids (`RT6_TABLE_*`, `RT_TABLE_*`).
pub mod table {
    /// `RT_TABLE_UNSPEC`.
    pub const UNSPEC: u32 = 0;
    /// `RT_TABLE_MAIN`: prefix routes and routes without a table.
    pub const MAIN: u32 = 254;
    /// `RT_TABLE_LOCAL`: our addresses and multicast.
    pub const LOCAL: u32 = 255;
}

/// Metric of routes address configuration makes (`IP6_RT_PRIO_ADDRCONF`).
pub const PRIO_ADDRCONF: u32 = 256;
/// Metric of routes added without one (`IP6_RT_PRIO_USER`).
pub const PRIO_USER: u32 = 1024;

/// One route. Plain data: devices are named by index, so a route never pins one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// Destination prefix, host bits zero.
    pub dst: Ipv6Addr,
    /// Its length.
    pub dst_len: u8,
    /// `RTN_*`.
    pub kind: u8,
    /// `RTPROT_*` (who made it).
    pub protocol: u8,
    /// `RTF_*`.
    pub flags: u32,
    /// Priority: lower is preferred.
    pub metric: u32,
    /// Outgoing device (`lo` for reject routes), 0 if none.
    pub ifindex: u32,
    /// Next hop, if not on-link.
    pub gateway: Option<Ipv6Addr>,
    /// Preferred source address.
    pub prefsrc: Option<Ipv6Addr>,
    /// `RTAX_MTU` metric, 0 if unset.
    pub mtu: u32,
    /// `RTAX_HOPLIMIT` metric, 0 if unset.
    pub hoplimit: u32,
    /// `RTAX_ADVMSS` metric, 0 if unset.
    pub advmss: u32,
    /// When it expires, in the caller's clock (jiffies), with [`rtf::EXPIRES`].
    pub expires: u64,
    /// `RTNH_F_*` next-hop flags ([`rtnh`]).
    pub nh_flags: u8,
    /// Weight of the next hop in its multipath route, 1 to 256 (`fib_nh_weight`).
    pub weight: u16,
    /// How many other routes share its multipath route (`fib6_nsiblings`); kept by the
    /// table.
    pub nsiblings: u16,
    /// Its place among them, 0 for the first; kept by the table.
    pub sibling_pos: u16,
    /// The nexthop object it uses (`ip route add ... nhid N`), 0 if none. Such a route
    /// keeps no device or gateway of its own (`ifindex` 0, `gateway` `None`): the
    /// module resolves the object's path at lookup time.
    pub nhid: u32,
}

impl Route {
    /// A route to `dst/len` (host bits cleared) through `ifindex`, without gateway,
    /// preferred source, metrics or expiry.
    pub fn new(
        dst: &Ipv6Addr,
        len: u8,
        kind: u8,
        protocol: u8,
        flags: u32,
        metric: u32,
        ifindex: u32,
    ) -> Self {
        Route {
            dst: prefix(dst, len),
            dst_len: len,
            kind,
            protocol,
            flags,
            metric,
            ifindex,
            gateway: None,
            prefsrc: None,
            mtu: 0,
            hoplimit: 0,
            advmss: 0,
            expires: 0,
            nh_flags: 0,
            weight: 1,
            nsiblings: 0,
            sibling_pos: 0,
            nhid: 0,
        }
    }

    /// The two routes have the same next hop (`rt6_duplicate_nexthop()`): the same
    /// nexthop object if either uses one, else the same device and gateway.
    pub fn same_nexthop(&self, o: &Route) -> bool {
        if self.nhid != 0 || o.nhid != 0 {
            return self.nhid == o.nhid;
        }
        self.ifindex == o.ifindex && self.gateway == o.gateway
    }

    /// A reject route (`RTF_REJECT`).
    pub fn is_reject(&self) -> bool {
        self.flags & rtf::REJECT != 0
    }

    /// It may be one next hop of a multipath route (`rt6_qualify_for_ecmp()`): it has
    /// a gateway, does not come from a router advertisement and uses no nexthop object
    /// (a nexthop group is its own multipath). Such routes of one prefix and metric are
    /// siblings, one multipath route.
    pub fn ecmp(&self) -> bool {
        self.gateway.is_some() && self.flags & rtf::ADDRCONF == 0 && self.nhid == 0
    }

    /// Its next hop is dead (`RTNH_F_DEAD`): lookups pass it by.
    pub fn is_dead(&self) -> bool {
        self.nh_flags & rtnh::DEAD != 0
    }
}

/// `prefix/len` with the bits after `len` cleared (`ipv6_addr_prefix()`).
pub fn prefix(a: &Ipv6Addr, len: u8) -> Ipv6Addr {
    Ipv6Addr::from(key(a) & mask(len))
}

fn key(a: &Ipv6Addr) -> u128 {
    u128::from(*a)
}

fn mask(len: u8) -> u128 {
    match len {
        0 => 0,
        l if l >= 128 => u128::MAX,
        l => u128::MAX << (128 - l),
    }
}

/// Bit `i` (0 = most significant) of `k`.
fn bit(k: u128, i: u8) -> usize {
    ((k >> (127 - i)) & 1) as usize
}

/// Index meaning "none".
const NIL: u32 = u32::MAX;

/// A trie node: a prefix, its two children and its routes.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    key: u128,
    len: u8,
    child: [u32; 2],
    parent: u32,
    leaf: u32,
}

/// A route in a node's list.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    route: Route,
    next: u32,
}

/// A slot of a [`Slab`].
#[derive(Clone, Copy, Debug)]
pub enum Slot {
    /// Unused; `next` links the free slots.
    Free(u32),
    /// A trie node.
    Node(Node),
    /// A route.
    Route(Entry),
}

/// Out of memory while growing the slab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoMem;

/// Storage for a table's nodes and routes: a growable vector of slots.
pub trait Slab: Index<usize, Output = Slot> + IndexMut<usize> {
    /// Number of slots.
    fn len(&self) -> usize;
    /// Whether there are no slots.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Appends a slot.
    fn try_push(&mut self, s: Slot) -> Result<(), NoMem>;
}

/// How an add request treats routes already there (`NLM_F_*` of `RTM_NEWROUTE`;
/// routes the kernel adds itself use [`AddMode::KERNEL`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddMode {
    /// `NLM_F_EXCL`: fail if a route of the same metric exists.
    pub excl: bool,
    /// `NLM_F_REPLACE`: replace the first route of the same metric.
    pub replace: bool,
    /// `NLM_F_CREATE`: may create.
    pub create: bool,
}

impl AddMode {
    /// A route the kernel adds (no request): create, keep existing ones.
    pub const KERNEL: AddMode = AddMode {
        excl: false,
        replace: false,
        create: true,
    };
}

/// Why a route was not added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddError {
    /// `-EEXIST`: a route of that metric (with `excl`) or that next hop exists.
    Exists,
    /// `-ENOENT`: replace without create found nothing to replace.
    NotFound,
    /// `-ENOMEM`.
    NoMem,
}

/// One routing table.
pub struct Table<S: Slab> {
    id: u32,
    slab: S,
    free: u32,
    routes: usize,
}

/// The most slots one [`Table::add`] takes: the route, its node and a fork above it.
pub const ADD_SLOTS: usize = 3;

/// The root node is always slot 0.
const ROOT: u32 = 0;

impl<S: Slab> Table<S> {
    /// An empty table `id` kept in `slab` (which must be empty).
    pub fn new(id: u32, mut slab: S) -> Result<Self, NoMem> {
        slab.try_push(Slot::Node(Node {
            key: 0,
            len: 0,
            child: [NIL; 2],
            parent: NIL,
            leaf: NIL,
        }))?;
        Ok(Self {
            id,
            slab,
            free: NIL,
            routes: 0,
        })
    }

    /// The table's id.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The slots' storage, so that a caller can grow it ahead of [`Table::add`]
    /// (see [`ADD_SLOTS`]).
    pub fn slab_mut(&mut self) -> &mut S {
        &mut self.slab
    }

    /// The slots' storage.
    pub fn slab(&self) -> &S {
        &self.slab
    }

    /// Number of routes.
    pub fn len(&self) -> usize {
        self.routes
    }

    /// No routes at all.
    pub fn is_empty(&self) -> bool {
        self.routes == 0
    }

    fn node(&self, i: u32) -> &Node {
        match &self.slab[i as usize] {
            Slot::Node(n) => n,
            _ => unreachable!("slot {} is not a node", i),
        }
    }

    fn node_mut(&mut self, i: u32) -> &mut Node {
        match &mut self.slab[i as usize] {
            Slot::Node(n) => n,
            _ => unreachable!("slot {} is not a node", i),
        }
    }

    fn entry(&self, i: u32) -> &Entry {
        match &self.slab[i as usize] {
            Slot::Route(e) => e,
            _ => unreachable!("slot {} is not a route", i),
        }
    }

    fn entry_mut(&mut self, i: u32) -> &mut Entry {
        match &mut self.slab[i as usize] {
            Slot::Route(e) => e,
            _ => unreachable!("slot {} is not a route", i),
        }
    }

    fn alloc(&mut self, s: Slot) -> Result<u32, NoMem> {
        if self.free != NIL {
            let i = self.free;
            let Slot::Free(next) = self.slab[i as usize] else {
                unreachable!("free list holds a used slot");
            };
            self.free = next;
            self.slab[i as usize] = s;
            return Ok(i);
        }
        let i = self.slab.len();
        if i >= NIL as usize {
            return Err(NoMem);
        }
        self.slab.try_push(s)?;
        Ok(i as u32)
    }

    fn release(&mut self, i: u32) {
        self.slab[i as usize] = Slot::Free(self.free);
        self.free = i;
    }

    /// The node for exactly `k/len`, if there is one.
    fn locate(&self, k: u128, len: u8) -> Option<u32> {
        let mut n = ROOT;
        loop {
            let nd = self.node(n);
            if nd.len == len {
                return (nd.key == k).then_some(n);
            }
            let c = nd.child[bit(k, nd.len)];
            if c == NIL {
                return None;
            }
            let cn = self.node(c);
            if cn.len > len || (k ^ cn.key) & mask(cn.len) != 0 {
                return None;
            }
            n = c;
        }
    }

    /// The node for `k/len`, made if missing (`fib6_add_1()`).
    fn node_for(&mut self, k: u128, len: u8) -> Result<u32, NoMem> {
        let mut n = ROOT;
        loop {
            let nd = *self.node(n);
            if nd.len == len {
                return Ok(n);
            }
            let dir = bit(k, nd.len);
            let c = nd.child[dir];
            let leaf = Node {
                key: k,
                len,
                child: [NIL; 2],
                parent: n,
                leaf: NIL,
            };
            if c == NIL {
                let new = self.alloc(Slot::Node(leaf))?;
                self.node_mut(n).child[dir] = new;
                return Ok(new);
            }
            let cn = *self.node(c);
            let common = ((k ^ cn.key).leading_zeros() as u8).min(len).min(cn.len);
            if common == cn.len {
                n = c;
                continue;
            }
            // `c` lies beyond where `k/len` parts from it: put a node in between.
            if common == len {
                // `k/len` covers `c`.
                let new = self.alloc(Slot::Node(leaf))?;
                self.node_mut(new).child[bit(cn.key, len)] = c;
                self.node_mut(c).parent = new;
                self.node_mut(n).child[dir] = new;
                return Ok(new);
            }
            // They part at `common`: a routeless fork with both below it.
            let fork = self.alloc(Slot::Node(Node {
                key: k & mask(common),
                len: common,
                child: [NIL; 2],
                parent: n,
                leaf: NIL,
            }))?;
            let new = match self.alloc(Slot::Node(Node {
                parent: fork,
                ..leaf
            })) {
                Ok(new) => new,
                Err(e) => {
                    self.release(fork);
                    return Err(e);
                }
            };
            let f = self.node_mut(fork);
            f.child[bit(k, common)] = new;
            f.child[bit(cn.key, common)] = c;
            self.node_mut(c).parent = fork;
            self.node_mut(n).child[dir] = fork;
            return Ok(new);
        }
    }

    /// Removes routeless nodes that no longer fork, from `n` up (`fib6_repair_tree()`).
    fn prune(&mut self, n: u32) {
        self.prune_keeping(n, None)
    }

    /// Adds `r` (its `dst` must be a clean prefix, see [`prefix`]) as
    /// `fib6_add_rt2node()` does: after the routes of lower or equal metric. Returns
    /// the route it replaced, if any. See [`Table::add_with`].
    pub fn add(&mut self, r: Route, mode: AddMode) -> Result<Option<Route>, AddError> {
        self.add_with(r, mode, |_| {})
    }

    /// [`Table::add`], calling `dropped` for each route a replacement takes away besides
    /// the one it returns.
    ///
    /// A route with a gateway ([`Route::ecmp`]) joins the routes of its prefix and
    /// metric that have one too: together they are one multipath route. A replacement
    /// takes the place of the first route of its metric that is as multipath-able as it
    /// is (or else of the first of its metric), and a multipath route it replaces goes
    /// with all its next hops.
    pub fn add_with(
        &mut self,
        mut r: Route,
        mode: AddMode,
        mut dropped: impl FnMut(&Route),
    ) -> Result<Option<Route>, AddError> {
        let k = key(&r.dst);
        r.nsiblings = 0;
        r.sibling_pos = 0;
        // Check before changing anything, so a refused request leaves no node behind.
        let mut replace_at = None;
        let mut fallback = None;
        let found = self.locate(k, r.dst_len);
        if let Some(n) = found {
            let mut i = self.node(n).leaf;
            while i != NIL {
                let e = self.entry(i);
                if e.route.metric == r.metric {
                    if mode.excl {
                        return Err(AddError::Exists);
                    }
                    if mode.replace {
                        if e.route.ecmp() == r.ecmp() {
                            replace_at = Some(i);
                            break;
                        }
                        fallback = fallback.or(Some(i));
                    } else if e.route.same_nexthop(&r) {
                        return Err(AddError::Exists);
                    }
                }
                i = e.next;
            }
        }
        if let (Some(n), Some(i)) = (found, replace_at.or(fallback)) {
            let old = core::mem::replace(&mut self.entry_mut(i).route, r);
            if old.nsiblings > 0 {
                // Its other next hops go too (they all follow it: it was the first).
                let mut prev = i;
                let mut j = self.entry(i).next;
                while j != NIL && self.entry(j).route.metric == r.metric {
                    let e = *self.entry(j);
                    if e.route.ecmp() {
                        dropped(&e.route);
                        self.entry_mut(prev).next = e.next;
                        self.release(j);
                        self.routes -= 1;
                    } else {
                        prev = j;
                    }
                    j = e.next;
                }
            }
            self.regroup(n);
            return Ok(Some(old));
        }
        if mode.replace && !mode.create {
            return Err(AddError::NotFound);
        }
        let n = self.node_for(k, r.dst_len).map_err(|_| AddError::NoMem)?;
        let e = match self.alloc(Slot::Route(Entry {
            route: r,
            next: NIL,
        })) {
            Ok(e) => e,
            Err(_) => {
                self.prune(n);
                return Err(AddError::NoMem);
            }
        };
        // Link after the last route of metric <= ours.
        let mut prev = NIL;
        let mut i = self.node(n).leaf;
        while i != NIL && self.entry(i).route.metric <= r.metric {
            prev = i;
            i = self.entry(i).next;
        }
        self.entry_mut(e).next = i;
        if prev == NIL {
            self.node_mut(n).leaf = e;
        } else {
            self.entry_mut(prev).next = e;
        }
        self.routes += 1;
        self.regroup(n);
        Ok(None)
    }

    /// Counts and numbers the next hops of the multipath routes of node `n`: each run
    /// of one metric, its routes with a gateway.
    fn regroup(&mut self, n: u32) {
        let mut i = self.node(n).leaf;
        while i != NIL {
            let metric = self.entry(i).route.metric;
            let mut count = 0u16;
            let mut end = i;
            while end != NIL && self.entry(end).route.metric == metric {
                count = count.saturating_add(u16::from(self.entry(end).route.ecmp()));
                end = self.entry(end).next;
            }
            let mut pos = 0;
            while i != end {
                let e = self.entry_mut(i);
                if e.route.ecmp() {
                    e.route.nsiblings = count - 1;
                    e.route.sibling_pos = pos;
                    pos += 1;
                } else {
                    e.route.nsiblings = 0;
                    e.route.sibling_pos = 0;
                }
                i = e.next;
            }
        }
    }

    /// The next hops of `r`'s multipath route as a table holds them, `r`'s first and
    /// then the others in the order mainline's circular sibling list gives (those
    /// after it, then those before it); just `r` if it has no siblings here.
    pub fn nexthops(&self, r: &Route) -> impl Iterator<Item = Route> + '_ {
        let r = *r;
        let member = move |x: &&Route| x.metric == r.metric && x.ecmp();
        let mut list = Routes { t: self, i: NIL };
        let mut at = 0;
        if r.ecmp() && r.nsiblings > 0 {
            let l = self.exact(&r.dst, r.dst_len);
            if let Some(p) = l.clone().filter(member).position(|x| x.same_nexthop(&r)) {
                (list, at) = (l, p);
            }
        }
        let after = list.clone().filter(member).skip(at + 1);
        let before = list.filter(member).take(at);
        core::iter::once(r).chain(after.chain(before).copied())
    }

    /// The device `ifindex` went down (`fib6_ifdown()` for `NETDEV_DOWN`): its routes
    /// go, except next hops of multipath routes with a live next hop elsewhere, which
    /// stay, dead (`RTNH_F_DEAD | RTNH_F_LINKDOWN`). A multipath route whose next hops
    /// are all dead goes whole. Calls `removed` for each route removed.
    pub fn sync_down(&mut self, ifindex: u32, mut removed: impl FnMut(&Route)) {
        let mut n = self.first_post(ROOT);
        loop {
            let next = self.next_post(n);
            let mut i = self.node(n).leaf;
            while i != NIL {
                let r = self.entry(i).route;
                if r.ifindex == ifindex && r.nsiblings > 0 && self.live_elsewhere(n, &r) {
                    self.entry_mut(i).route.nh_flags |= rtnh::DEAD | rtnh::LINKDOWN;
                }
                i = self.entry(i).next;
            }
            // On the device and not kept dead; then dead next hops left without a live
            // one (their route had no live next hop but those on the device).
            self.remove_in_node(
                n,
                |_, _, r| r.ifindex == ifindex && !r.is_dead(),
                &mut removed,
            );
            self.remove_in_node(
                n,
                |t, n, r| r.is_dead() && r.ecmp() && !t.live_elsewhere(n, r),
                &mut removed,
            );
            self.prune_keeping(n, next);
            match next {
                Some(x) => n = x,
                None => return,
            }
        }
    }

    /// Whether a sibling of `r` in node `n` (same metric, with a gateway) on another
    /// device is alive.
    fn live_elsewhere(&self, n: u32, r: &Route) -> bool {
        let mut i = self.node(n).leaf;
        while i != NIL {
            let x = &self.entry(i).route;
            if x.metric == r.metric && x.ecmp() && x.ifindex != r.ifindex && !x.is_dead() {
                return true;
            }
            i = self.entry(i).next;
        }
        false
    }

    /// Unlinks the routes of node `n` that `pred` accepts, calling `removed` for each,
    /// and renumbers the siblings left. The node is not pruned.
    fn remove_in_node(
        &mut self,
        n: u32,
        mut pred: impl FnMut(&Self, u32, &Route) -> bool,
        removed: &mut impl FnMut(&Route),
    ) {
        let mut prev = NIL;
        let mut i = self.node(n).leaf;
        let mut any = false;
        while i != NIL {
            let e = *self.entry(i);
            if pred(self, n, &e.route) {
                removed(&e.route);
                if prev == NIL {
                    self.node_mut(n).leaf = e.next;
                } else {
                    self.entry_mut(prev).next = e.next;
                }
                self.release(i);
                self.routes -= 1;
                any = true;
            } else {
                prev = i;
            }
            i = e.next;
        }
        if any {
            self.regroup(n);
        }
    }

    /// Removes and returns the first route of `dst/len` that `pred` accepts.
    pub fn remove(
        &mut self,
        dst: &Ipv6Addr,
        len: u8,
        mut pred: impl FnMut(&Route) -> bool,
    ) -> Option<Route> {
        let n = self.locate(key(&prefix(dst, len)), len)?;
        let mut prev = NIL;
        let mut i = self.node(n).leaf;
        while i != NIL {
            let e = *self.entry(i);
            if pred(&e.route) {
                self.unlink(n, prev, i);
                return Some(e.route);
            }
            prev = i;
            i = e.next;
        }
        None
    }

    fn unlink(&mut self, n: u32, prev: u32, i: u32) {
        let next = self.entry(i).next;
        if prev == NIL {
            self.node_mut(n).leaf = next;
        } else {
            self.entry_mut(prev).next = next;
        }
        self.release(i);
        self.routes -= 1;
        self.regroup(n);
        self.prune(n);
    }

    /// Removes every route `pred` accepts, calling `removed` for each, in walk order.
    pub fn remove_all(
        &mut self,
        mut pred: impl FnMut(&Route) -> bool,
        mut removed: impl FnMut(&Route),
    ) {
        let mut n = self.first_post(ROOT);
        loop {
            // Find the next node before this one may be pruned.
            let next = self.next_post(n);
            self.remove_in_node(n, |_, _, r| pred(r), &mut removed);
            // Pruning frees `n` and routeless ancestors left without a fork, and stops
            // at `next`, which the walk visits (and prunes) in turn: `next` is the
            // parent or lies in the sibling subtree, so it survives this.
            self.prune_keeping(n, next);
            match next {
                Some(x) => n = x,
                None => return,
            }
        }
    }

    /// Removes routeless nodes that no longer fork, from `n` up to `keep` (if any).
    fn prune_keeping(&mut self, n: u32, keep: Option<u32>) {
        let mut n = n;
        while n != ROOT && Some(n) != keep {
            let nd = *self.node(n);
            if nd.leaf != NIL {
                return;
            }
            let only = match nd.child {
                [NIL, NIL] => NIL,
                [c, NIL] | [NIL, c] => c,
                _ => return,
            };
            let p = nd.parent;
            let pn = self.node_mut(p);
            let dir = usize::from(pn.child[1] == n);
            pn.child[dir] = only;
            if only != NIL {
                self.node_mut(only).parent = p;
            }
            self.release(n);
            if only != NIL {
                return;
            }
            n = p;
        }
    }

    /// Changes, in place, every route `f` wants to change (`f` returns whether it did).
    /// Keys (`dst`, `dst_len`) and metrics must not change.
    pub fn update_all(&mut self, mut f: impl FnMut(&mut Route) -> bool) -> usize {
        let mut changed = 0;
        let mut n = Some(self.first_post(ROOT));
        while let Some(x) = n {
            let before = changed;
            let mut i = self.node(x).leaf;
            while i != NIL {
                let e = self.entry_mut(i);
                let (dst, len, metric) = (e.route.dst, e.route.dst_len, e.route.metric);
                if f(&mut e.route) {
                    changed += 1;
                }
                e.route.dst = dst;
                e.route.dst_len = len;
                e.route.metric = metric;
                i = e.next;
            }
            if changed != before {
                self.regroup(x);
            }
            n = self.next_post(x);
        }
        changed
    }

    /// Changes, in place, the first route of exactly `dst/len` that `f` changes (`f`
    /// returns whether it did) and returns a copy of it. Keys and metric stay.
    pub fn update_exact(
        &mut self,
        dst: &Ipv6Addr,
        len: u8,
        mut f: impl FnMut(&mut Route) -> bool,
    ) -> Option<Route> {
        let n = self.locate(key(&prefix(dst, len)), len)?;
        let mut i = self.node(n).leaf;
        while i != NIL {
            let e = self.entry_mut(i);
            let (dst, len, metric) = (e.route.dst, e.route.dst_len, e.route.metric);
            let changed = f(&mut e.route);
            e.route.dst = dst;
            e.route.dst_len = len;
            e.route.metric = metric;
            if changed {
                self.regroup(n);
                return Some(self.entry(i).route);
            }
            i = e.next;
        }
        None
    }

    /// Routes of exactly `dst/len`, in order.
    pub fn exact(&self, dst: &Ipv6Addr, len: u8) -> Routes<'_, S> {
        let i = self
            .locate(key(&prefix(dst, len)), len)
            .map_or(NIL, |n| self.node(n).leaf);
        Routes { t: self, i }
    }

    /// The route for `addr` (`fib6_node_lookup()` + `rt6_select()` + backtracking):
    /// from the longest matching prefix back towards `::/0`, the first node with a route
    /// `score` accepts (`Some`) wins; in it, among the routes of the lowest metric that
    /// has an accepted one, the highest score, the first on a tie.
    pub fn lookup(
        &self,
        addr: &Ipv6Addr,
        score: impl FnMut(&Route) -> Option<u32>,
    ) -> Option<&Route> {
        self.lookup_path(addr, score, || None)
    }

    /// [`Table::lookup`], then the next hop of a multipath route by the flow's hash
    /// (`fib6_select_path()`), which `hash` gives (31 bits) when there is a choice;
    /// without one (`None`), the route found. Dead next hops are never found.
    pub fn lookup_path(
        &self,
        addr: &Ipv6Addr,
        mut score: impl FnMut(&Route) -> Option<u32>,
        hash: impl FnOnce() -> Option<u32>,
    ) -> Option<&Route> {
        let k = key(addr);
        // The path, longest prefix last: at most one node per prefix length.
        let mut path = [NIL; 129];
        let mut depth = 0;
        let mut n = ROOT;
        loop {
            path[depth] = n;
            depth += 1;
            let nd = self.node(n);
            if nd.len == 128 {
                break;
            }
            let c = nd.child[bit(k, nd.len)];
            if c == NIL {
                break;
            }
            let cn = self.node(c);
            if (k ^ cn.key) & mask(cn.len) != 0 {
                break;
            }
            n = c;
        }
        for &n in path[..depth].iter().rev() {
            let mut best: Option<(u32, u32)> = None;
            let mut i = self.node(n).leaf;
            while i != NIL {
                let e = self.entry(i);
                if let Some((_, b)) = best {
                    if e.route.metric != self.entry(b).route.metric {
                        break;
                    }
                }
                if !e.route.is_dead() {
                    if let Some(s) = score(&e.route) {
                        if best.is_none_or(|(bs, _)| s > bs) {
                            best = Some((s, i));
                        }
                    }
                }
                i = e.next;
            }
            if let Some((_, b)) = best {
                let r = &self.entry(b).route;
                if r.nsiblings == 0 {
                    return Some(r);
                }
                return Some(match hash() {
                    Some(h) => self.select_path(n, b, h, &mut score),
                    None => r,
                });
            }
        }
        None
    }

    /// `fib6_select_path()`: among the next hops of the multipath route of entry `m`
    /// in node `n`, the one whose share of the 31-bit hash space holds `hash`. Shares
    /// follow the weights of the live next hops, in order (`rt6_upper_bound_set()`);
    /// the search starts at `m` and goes round. A next hop `score` refuses leaves `m`.
    fn select_path(
        &self,
        n: u32,
        m: u32,
        hash: u32,
        score: &mut impl FnMut(&Route) -> Option<u32>,
    ) -> &Route {
        let matched = &self.entry(m).route;
        let members = || {
            Routes {
                t: self,
                i: self.node(n).leaf,
            }
            .filter(|x| x.metric == matched.metric && x.ecmp())
        };
        let total: u64 = members()
            .filter(|x| !x.is_dead())
            .map(|x| u64::from(x.weight))
            .sum();
        let hash = i64::from(hash);
        let (mut weight, mut seen_match) = (0u64, false);
        let (mut after, mut before) = (None, None);
        for x in members() {
            let bound = if x.is_dead() || total == 0 {
                -1
            } else {
                weight += u64::from(x.weight);
                // DIV_ROUND_CLOSEST_ULL(weight << 31, total) - 1
                (((weight << 31) + total / 2) / total) as i64 - 1
            };
            let is_match = x.same_nexthop(matched);
            if is_match {
                if hash <= bound {
                    return matched;
                }
                seen_match = true;
            } else if hash <= bound {
                let slot = if seen_match { &mut after } else { &mut before };
                if slot.is_none() {
                    *slot = Some(x);
                }
            }
        }
        match after.or(before) {
            Some(x) if score(x).is_some() => x,
            _ => matched,
        }
    }

    /// Every route, in mainline's walk order.
    pub fn iter(&self) -> Iter<'_, S> {
        let n = self.first_post(ROOT);
        Iter {
            t: self,
            node: Some(n),
            i: self.node(n).leaf,
            nth: 0,
        }
    }

    /// The routes from `m` on (see [`Iter::mark`]), in walk order: a walk resumes where
    /// an earlier one stopped in time that does not depend on the routes before it
    /// (mainline's dumps keep a `fib6_walker` for this). `None` if the node `m` names
    /// is gone. Routes of that node added or removed since are not accounted for: a
    /// resumed dump may then repeat or miss one, as mainline's may.
    pub fn iter_from(&self, m: Mark) -> Option<Iter<'_, S>> {
        let n = self.locate(m.key, m.len)?;
        let mut i = self.node(n).leaf;
        for _ in 0..m.nth {
            if i == NIL {
                break;
            }
            i = self.entry(i).next;
        }
        Some(Iter {
            t: self,
            node: Some(n),
            i,
            nth: m.nth,
        })
    }

    fn first_post(&self, mut n: u32) -> u32 {
        loop {
            let nd = self.node(n);
            n = match nd.child {
                [NIL, NIL] => return n,
                [NIL, c] => c,
                [c, _] => c,
            };
        }
    }

    fn next_post(&self, n: u32) -> Option<u32> {
        let p = self.node(n).parent;
        if p == NIL {
            return None;
        }
        let pn = self.node(p);
        if pn.child[0] == n && pn.child[1] != NIL {
            Some(self.first_post(pn.child[1]))
        } else {
            Some(p)
        }
    }
}

/// The routes of one node.
pub struct Routes<'a, S: Slab> {
    t: &'a Table<S>,
    i: u32,
}

impl<S: Slab> Clone for Routes<'_, S> {
    fn clone(&self) -> Self {
        Routes {
            t: self.t,
            i: self.i,
        }
    }
}

impl<'a, S: Slab> Iterator for Routes<'a, S> {
    type Item = &'a Route;

    fn next(&mut self) -> Option<&'a Route> {
        if self.i == NIL {
            return None;
        }
        let e = self.t.entry(self.i);
        self.i = e.next;
        Some(&e.route)
    }
}

/// A position in a table's walk: a node's prefix and how many of its routes come
/// before it. It stays meaningful across changes to the table, unlike slot indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    /// The node's prefix, as an integer.
    pub key: u128,
    /// Its length.
    pub len: u8,
    /// Routes of the node before the position.
    pub nth: u32,
}

/// Every route of a table, in walk order.
pub struct Iter<'a, S: Slab> {
    t: &'a Table<S>,
    node: Option<u32>,
    i: u32,
    nth: u32,
}

impl<S: Slab> Iter<'_, S> {
    /// The position of the route `next()` returns next, for [`Table::iter_from`];
    /// `None` at the end.
    pub fn mark(&self) -> Option<Mark> {
        let nd = self.t.node(self.node?);
        Some(Mark {
            key: nd.key,
            len: nd.len,
            nth: self.nth,
        })
    }
}

impl<'a, S: Slab> Iterator for Iter<'a, S> {
    type Item = &'a Route;

    fn next(&mut self) -> Option<&'a Route> {
        loop {
            let n = self.node?;
            if self.i != NIL {
                let e = self.t.entry(self.i);
                self.i = e.next;
                self.nth += 1;
                return Some(&e.route);
            }
            self.node = self.t.next_post(n);
            self.nth = 0;
            if let Some(x) = self.node {
                self.i = self.t.node(x).leaf;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use proptest::prelude::*;
    use std::vec::Vec;

    impl Slab for std::vec::Vec<Slot> {
        fn len(&self) -> usize {
            <[Slot]>::len(self)
        }
        fn try_push(&mut self, s: Slot) -> Result<(), NoMem> {
            self.push(s);
            Ok(())
        }
    }

    fn ip(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    fn r(dst: &str, len: u8, metric: u32, ifindex: u32) -> Route {
        Route::new(&ip(dst), len, rtn::UNICAST, 4, rtf::UP, metric, ifindex)
    }

    fn table() -> Table<Vec<Slot>> {
        Table::new(table::MAIN, Vec::new()).unwrap()
    }

    fn names(t: &Table<Vec<Slot>>) -> Vec<std::string::String> {
        t.iter()
            .map(|r| std::format!("{}/{} m{} if{}", r.dst, r.dst_len, r.metric, r.ifindex))
            .collect()
    }

    #[test]
    fn walks_in_mainline_order() {
        let mut t = table();
        for (d, l) in [
            ("::", 0),
            ("2001:db8::", 64),
            ("fe80::", 64),
            ("2001:db8::1", 128),
            ("2001:db8:1::", 64),
            ("::1", 128),
            ("2001:db8::", 32),
        ] {
            t.add(r(d, l, 256, 2), AddMode::KERNEL).unwrap();
        }
        assert_eq!(
            names(&t),
            [
                "::1/128 m256 if2",
                "2001:db8::1/128 m256 if2",
                "2001:db8::/64 m256 if2",
                "2001:db8:1::/64 m256 if2",
                "2001:db8::/32 m256 if2",
                "fe80::/64 m256 if2",
                "::/0 m256 if2",
            ]
        );
    }

    #[test]
    fn keeps_routes_of_a_prefix_by_metric() {
        let mut t = table();
        t.add(r("2001:db8::", 64, 1024, 2), AddMode::KERNEL)
            .unwrap();
        t.add(r("2001:db8::", 64, 256, 3), AddMode::KERNEL).unwrap();
        t.add(r("2001:db8::", 64, 1024, 4), AddMode::KERNEL)
            .unwrap();
        assert_eq!(
            t.add(r("2001:db8::", 64, 1024, 4), AddMode::KERNEL),
            Err(AddError::Exists)
        );
        let excl = AddMode {
            excl: true,
            replace: false,
            create: true,
        };
        assert_eq!(
            t.add(r("2001:db8::", 64, 256, 9), excl),
            Err(AddError::Exists)
        );
        assert_eq!(
            names(&t),
            [
                "2001:db8::/64 m256 if3",
                "2001:db8::/64 m1024 if2",
                "2001:db8::/64 m1024 if4"
            ]
        );
        let replace = AddMode {
            excl: false,
            replace: true,
            create: false,
        };
        assert_eq!(
            t.add(r("2001:db8::", 64, 1024, 7), replace)
                .unwrap()
                .map(|o| o.ifindex),
            Some(2)
        );
        assert_eq!(
            t.add(r("2001:db8::", 64, 7, 7), replace),
            Err(AddError::NotFound)
        );
        assert_eq!(
            t.remove(&ip("2001:db8::5"), 64, |r| r.ifindex == 4)
                .map(|r| r.metric),
            Some(1024)
        );
        assert_eq!(
            names(&t),
            ["2001:db8::/64 m256 if3", "2001:db8::/64 m1024 if7"]
        );
    }

    #[test]
    fn updates_one_route_of_a_prefix() {
        let mut t = table();
        t.add(r("::", 0, 1024, 2), AddMode::KERNEL).unwrap();
        t.add(r("::", 0, 1024, 3), AddMode::KERNEL).unwrap();
        let got = t.update_exact(&ip("::"), 0, |x| {
            if x.ifindex != 3 {
                return false;
            }
            x.flags |= rtf::EXPIRES;
            x.metric = 1; // ignored: the order of routes is kept
            true
        });
        assert_eq!(
            got.map(|x| (x.ifindex, x.metric, x.flags & rtf::EXPIRES)),
            Some((3, 1024, rtf::EXPIRES))
        );
        assert_eq!(t.update_exact(&ip("::"), 0, |x| x.ifindex == 9), None);
        assert_eq!(t.update_exact(&ip("2001:db8::"), 64, |_| true), None);
        assert_eq!(names(&t), ["::/0 m1024 if2", "::/0 m1024 if3"]);
    }

    #[test]
    fn looks_up_longest_prefix_and_backtracks() {
        let mut t = table();
        t.add(r("::", 0, 1024, 1), AddMode::KERNEL).unwrap();
        t.add(r("2001:db8::", 32, 256, 2), AddMode::KERNEL).unwrap();
        t.add(r("2001:db8:1::", 48, 256, 3), AddMode::KERNEL)
            .unwrap();
        t.add(r("2001:db8:1::", 48, 256, 4), AddMode::KERNEL)
            .unwrap();
        let l = |a: &str, oif: u32| {
            t.lookup(&ip(a), |r| (oif == 0 || r.ifindex == oif).then_some(0))
                .map(|r| r.ifindex)
        };
        assert_eq!(l("2001:db8:1::5", 0), Some(3));
        assert_eq!(l("2001:db8:1::5", 4), Some(4));
        assert_eq!(l("2001:db8:1::5", 2), Some(2));
        assert_eq!(l("2001:db8:2::5", 0), Some(2));
        assert_eq!(l("2001:db9::", 0), Some(1));
        assert_eq!(l("2001:db9::", 9), None);
        // Higher scores win within a metric.
        let best = t.lookup(&ip("2001:db8:1::5"), |r| Some(r.ifindex));
        assert_eq!(best.map(|r| r.ifindex), Some(4));
    }

    #[test]
    fn removing_routes_frees_their_nodes() {
        let mut t = table();
        t.add(r("2001:db8::", 64, 256, 2), AddMode::KERNEL).unwrap();
        t.add(r("2001:db8:1::", 64, 256, 2), AddMode::KERNEL)
            .unwrap();
        t.add(r("2001:db8::1", 128, 256, 3), AddMode::KERNEL)
            .unwrap();
        let slots = t.slab.len();
        let mut gone = Vec::new();
        t.remove_all(|r| r.ifindex == 2, |r| gone.push(r.dst_len));
        assert_eq!(gone, [64, 64]);
        assert_eq!(names(&t), ["2001:db8::1/128 m256 if3"]);
        // Reused, not grown.
        t.add(r("2001:db8:2::", 64, 256, 2), AddMode::KERNEL)
            .unwrap();
        assert_eq!(t.slab.len(), slots);
        t.remove_all(|_| true, |_| {});
        assert!(t.is_empty());
        assert!(matches!(t.node(ROOT).child, [NIL, NIL]));
    }

    /// Mainline's walk order of two distinct prefixes.
    fn post_order(a: &(u128, u8), b: &(u128, u8)) -> core::cmp::Ordering {
        use core::cmp::Ordering::*;
        let common = ((a.0 ^ b.0).leading_zeros() as u8).min(a.1).min(b.1);
        if common == a.1 && common == b.1 {
            return Equal;
        }
        if common == b.1 {
            return Less; // a lies under b
        }
        if common == a.1 {
            return Greater;
        }
        bit(a.0, common).cmp(&bit(b.0, common))
    }

    fn arb_route() -> impl Strategy<Value = Route> {
        // Few distinct prefixes, so routes share and nest.
        (
            0u8..4,
            0u8..4,
            prop::sample::select(&[0u8, 1, 16, 32, 33, 64, 127, 128][..]),
            0u32..3,
            1u32..4,
        )
            .prop_map(|(hi, lo, len, metric, ifindex)| {
                let a = Ipv6Addr::from(((hi as u128) << 126) | ((lo as u128) << 64) | 1);
                r(&std::format!("{}", a), len, metric, ifindex)
            })
    }

    proptest! {
        #[test]
        fn matches_a_list_model(ops in prop::collection::vec((any::<bool>(), arb_route()), 1..80),
                                probes in prop::collection::vec(any::<u128>(), 8)) {
            let mut t = table();
            let mut model: Vec<Route> = Vec::new();
            for (add, rt) in ops {
                if add {
                    let dup = model.iter().any(|m| m.dst == rt.dst && m.dst_len == rt.dst_len
                        && m.metric == rt.metric && m.same_nexthop(&rt));
                    let res = t.add(rt, AddMode::KERNEL);
                    prop_assert_eq!(res.is_err(), dup);
                    if !dup { model.push(rt); }
                } else {
                    let got = t.remove(&rt.dst, rt.dst_len, |x| x.ifindex == rt.ifindex);
                    let pos = model.iter().enumerate()
                        .filter(|(_, m)| m.dst == rt.dst && m.dst_len == rt.dst_len && m.ifindex == rt.ifindex)
                        .min_by_key(|(_, m)| m.metric).map(|(i, _)| i);
                    prop_assert_eq!(got, pos.map(|i| model.remove(i)));
                }
            }
            prop_assert_eq!(t.len(), model.len());
            for (i, s) in t.slab.iter().enumerate() {
                if let Slot::Node(n) = s {
                    let kids = n.child.iter().filter(|&&c| c != NIL).count();
                    // Every node but the root has routes or forks.
                    prop_assert!(i == 0 || n.leaf != NIL || kids == 2, "stale node {}", i);
                }
            }
            // Walk order: post-order of prefixes, then metric, then insertion.
            let mut want = model.clone();
            want.sort_by(|a, b| post_order(&(key(&a.dst), a.dst_len), &(key(&b.dst), b.dst_len))
                .then(a.metric.cmp(&b.metric)));
            let got: Vec<Route> = t.iter().copied().collect();
            prop_assert_eq!(&got, &want);
            // A walk resumed at any position goes on exactly where the first one was.
            let mut it = t.iter();
            for k in 0..=got.len() {
                match it.mark() {
                    Some(m) => {
                        let rest: Vec<Route> = t.iter_from(m).unwrap().copied().collect();
                        prop_assert_eq!(&rest[..], &got[k..]);
                    }
                    None => prop_assert_eq!(k, got.len()),
                }
                it.next();
            }
            // Lookup: longest matching prefix, lowest metric, first added.
            for p in probes.iter() {
                let a = Ipv6Addr::from(*p);
                let want = model.iter().filter(|m| in_prefix(*p, m))
                    .fold(None::<&Route>, |b, m| match b {
                        Some(b) if b.dst_len > m.dst_len
                            || (b.dst_len == m.dst_len && b.metric <= m.metric) => Some(b),
                        _ => Some(m),
                    });
                prop_assert_eq!(t.lookup(&a, |_| Some(0)), want);
            }
            for m in &model {
                let a = m.dst;
                prop_assert!(t.lookup(&a, |_| Some(0)).is_some());
            }
            t.remove_all(|_| true, |_| {});
            prop_assert!(t.is_empty());
        }
    }

    fn in_prefix(a: u128, m: &Route) -> bool {
        (a ^ key(&m.dst)) & mask(m.dst_len) == 0
    }

    fn gw(dst: &str, metric: u32, ifindex: u32, g: &str) -> Route {
        Route {
            gateway: Some(ip(g)),
            flags: rtf::UP | rtf::GATEWAY,
            ..r(dst, 64, metric, ifindex)
        }
    }

    fn hops(t: &Table<Vec<Slot>>, r: &Route) -> Vec<u32> {
        t.nexthops(r).map(|x| x.ifindex).collect()
    }

    #[test]
    fn routes_with_gateways_of_one_metric_are_one_multipath_route() {
        let mut t = table();
        t.add(gw("2001:db8::", 1024, 2, "fe80::2"), AddMode::KERNEL)
            .unwrap();
        t.add(r("2001:db8::", 64, 1024, 9), AddMode::KERNEL)
            .unwrap();
        t.add(gw("2001:db8::", 1024, 3, "fe80::3"), AddMode::KERNEL)
            .unwrap();
        t.add(gw("2001:db8::", 1024, 4, "fe80::4"), AddMode::KERNEL)
            .unwrap();
        t.add(gw("2001:db8::", 2048, 5, "fe80::5"), AddMode::KERNEL)
            .unwrap();
        let all: Vec<_> = t
            .iter()
            .map(|x| (x.ifindex, x.nsiblings, x.sibling_pos))
            .collect();
        assert_eq!(all, [(2, 2, 0), (9, 0, 0), (3, 2, 1), (4, 2, 2), (5, 0, 0)]);
        // Starting anywhere, the others follow round the group.
        let third = *t.iter().nth(3).unwrap();
        assert_eq!(hops(&t, &third), [4, 2, 3]);
        let first = *t.iter().next().unwrap();
        assert_eq!(hops(&t, &first), [2, 3, 4]);
        // The same next hop twice is refused.
        assert_eq!(
            t.add(gw("2001:db8::", 1024, 3, "fe80::3"), AddMode::KERNEL),
            Err(AddError::Exists)
        );
        // Removing one renumbers the rest.
        t.remove(&ip("2001:db8::"), 64, |x| x.ifindex == 2).unwrap();
        let all: Vec<_> = t
            .iter()
            .map(|x| (x.ifindex, x.nsiblings, x.sibling_pos))
            .collect();
        assert_eq!(all, [(9, 0, 0), (3, 1, 0), (4, 1, 1), (5, 0, 0)]);
    }

    #[test]
    fn replacing_a_multipath_route_replaces_all_its_next_hops() {
        let replace = AddMode {
            excl: false,
            replace: true,
            create: true,
        };
        let mut t = table();
        t.add(gw("2001:db8::", 1024, 2, "fe80::2"), AddMode::KERNEL)
            .unwrap();
        t.add(gw("2001:db8::", 1024, 3, "fe80::3"), AddMode::KERNEL)
            .unwrap();
        let mut dropped = Vec::new();
        let old = t
            .add_with(gw("2001:db8::", 1024, 7, "fe80::7"), replace, |x| {
                dropped.push(x.ifindex)
            })
            .unwrap();
        assert_eq!((old.map(|o| o.ifindex), dropped), (Some(2), std::vec![3]));
        assert_eq!(names(&t), ["2001:db8::/64 m1024 if7"]);
        // A device route replaces a multipath route whole too (fallback to the first).
        t.add(gw("2001:db8::", 1024, 3, "fe80::3"), AddMode::KERNEL)
            .unwrap();
        let old = t.add(r("2001:db8::", 64, 1024, 9), replace).unwrap();
        assert_eq!(old.map(|o| o.ifindex), Some(7));
        assert_eq!(names(&t), ["2001:db8::/64 m1024 if9"]);
        // A gateway route replaces the device route when no gateway route is there.
        t.add(gw("2001:db8::", 1024, 3, "fe80::3"), replace)
            .unwrap();
        assert_eq!(names(&t), ["2001:db8::/64 m1024 if3"]);
    }

    #[test]
    fn routes_with_a_nexthop_object_are_never_siblings() {
        let mut t = table();
        let nh = |id: u32| Route {
            nhid: id,
            ..r("2001:db8::", 64, 1024, 0)
        };
        t.add(nh(61), AddMode::KERNEL).unwrap();
        // The same object again at that metric: a duplicate (rt6_duplicate_nexthop()).
        assert_eq!(t.add(nh(61), AddMode::KERNEL), Err(AddError::Exists));
        t.add(nh(62), AddMode::KERNEL).unwrap();
        t.add(gw("2001:db8::", 1024, 2, "fe80::2"), AddMode::KERNEL)
            .unwrap();
        let all: Vec<Route> = t.exact(&ip("2001:db8::"), 64).copied().collect();
        assert_eq!(all.len(), 3);
        assert!(all.iter().all(|x| x.nsiblings == 0));
        assert!(!nh(61).ecmp());
        assert!(!nh(61).same_nexthop(&gw("2001:db8::", 1024, 0, "fe80::2")));
    }

    #[test]
    fn lookups_share_flows_by_weight_and_skip_dead_next_hops() {
        let mut t = table();
        t.add(gw("2001:db8::", 1024, 2, "fe80::2"), AddMode::KERNEL)
            .unwrap();
        t.add(
            Route {
                weight: 3,
                ..gw("2001:db8::", 1024, 3, "fe80::3")
            },
            AddMode::KERNEL,
        )
        .unwrap();
        let a = ip("2001:db8::1");
        let via = |t: &Table<Vec<Slot>>, h: u32| {
            t.lookup_path(&a, |_| Some(0), || Some(h)).unwrap().ifindex
        };
        // Bounds: 2 up to 2^29 - 1 (a quarter), 3 up to 2^31 - 1.
        assert_eq!(via(&t, 0), 2);
        assert_eq!(via(&t, (1 << 29) - 1), 2);
        assert_eq!(via(&t, 1 << 29), 3);
        assert_eq!(via(&t, (1 << 31) - 1), 3);
        // Without a hash, the first.
        assert_eq!(t.lookup(&a, |_| Some(0)).unwrap().ifindex, 2);
        // Device 2 goes down: its next hop stays, dead, and takes no flows.
        let mut gone = Vec::new();
        t.sync_down(2, |x| gone.push(x.ifindex));
        assert!(gone.is_empty());
        assert_eq!(
            t.iter().next().unwrap().nh_flags,
            rtnh::DEAD | rtnh::LINKDOWN
        );
        assert_eq!(via(&t, 0), 3);
        // Device 3 too: the whole route goes.
        t.sync_down(3, |x| gone.push(x.ifindex));
        assert_eq!(gone, [3, 2]);
        assert!(t.is_empty());
    }
}
