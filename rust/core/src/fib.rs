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
use core::sync::atomic::{
    AtomicU32, AtomicU64, AtomicUsize,
    Ordering::{Acquire, Relaxed, Release},
};

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

/// `IPV6_DECODE_PREF()`: a route preference as a rank, low 1, medium 2, high 3 (0 for
/// the reserved value).
pub fn decode_pref(p: u8) -> u32 {
    match p {
        pref::LOW => 1,
        pref::MEDIUM => 2,
        pref::HIGH => 3,
        _ => 0,
    }
}

/// `rt6_score_route()`: how well a route with `flags` suits a lookup for output
/// interface `oif` (0: any), `through` saying whether the route goes through it (its
/// device, or for a nexthop object one of its paths: `rt6_nh_find_match()`). A route
/// through `oif` scores higher; with `strict` (`RT6_LOOKUP_F_IFACE`) only such a route
/// matches (`None` otherwise); then the route's preference.
pub fn score(flags: u32, oif: u32, strict: bool, through: impl FnOnce() -> bool) -> Option<u32> {
    let m = if oif == 0 || through() {
        2
    } else if strict {
        return None;
    } else {
        0
    };
    Some(m | decode_pref(rtf::extract_pref(flags)) << 2)
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

/// What a slot holds ([`Slot::kind`], low byte).
const FREE: u32 = 0;
const NODE: u32 = 1;
const ROUTE: u32 = 2;

/// Which of a slot's links is which. A node's children are links 0 and 1.
const NEXT: usize = 0;
/// A node's parent; on a free or retired slot, the next one in its chain. Writers
/// only: readers never follow it.
const CHAIN: usize = 2;
const LEAF: usize = 3;

/// Words of an encoded [`Route`].
const WORDS: usize = 12;

/// One slot of a [`Slab`]: a trie node, a route, or nothing.
///
/// Every field is atomic, because readers (lookups, on any CPU, under RCU in the
/// module) read slots while the table's one writer changes others, and links between
/// them. The writer fills a slot before it links it, changes a linked slot only in the
/// words that may change in place (a route's flags, expiry, some metrics, next-hop
/// flags and sibling numbers: each in a word of its own, so a reader sees each field
/// whole), and makes an unlinked slot free again only after every reader that could
/// have seen it has finished ([`Writer::seal`], [`Writer::reclaim`]). The atomics keep
/// even a misuse of that protocol from being undefined behaviour; it would give wrong
/// answers, never a crash.
#[derive(Debug)]
pub struct Slot {
    /// [`FREE`], [`NODE`] (its prefix length in bits 8 to 15) or [`ROUTE`].
    kind: AtomicU32,
    /// Node: child 0, child 1, parent, first route. Route: next route, -, chain, -.
    link: [AtomicU32; 4],
    /// Node: its prefix in words 0 and 1. Route: the route ([`encode`]).
    word: [AtomicU64; WORDS],
}

impl Slot {
    /// A free slot, all zero: what a slab makes.
    pub const fn new() -> Self {
        #[allow(clippy::declare_interior_mutable_const)]
        const W: AtomicU64 = AtomicU64::new(0);
        #[allow(clippy::declare_interior_mutable_const)]
        const L: AtomicU32 = AtomicU32::new(0);
        Slot {
            kind: AtomicU32::new(FREE),
            link: [L; 4],
            word: [W; WORDS],
        }
    }

    fn kind(&self) -> u32 {
        self.kind.load(Acquire) & 0xff
    }

    fn link(&self, l: usize) -> u32 {
        self.link[l].load(Acquire)
    }

    /// Publishes `v` in link `l`: what `v` names was filled before.
    fn set_link(&self, l: usize, v: u32) {
        self.link[l].store(v, Release)
    }
}

impl Default for Slot {
    fn default() -> Self {
        Self::new()
    }
}

/// A route as words, each field within one: `dst`, `gateway` and `prefsrc` two words
/// each, then `expires`, `flags | metric`, `ifindex | mtu`, `hoplimit | advmss`,
/// `nhid | weight | dst_len | kind`, `protocol | nh_flags | nsiblings | sibling_pos`
/// and whether there are a gateway and a preferred source.
fn encode(r: &Route) -> [u64; WORDS] {
    let a = |x: Option<Ipv6Addr>| u128::from(x.unwrap_or(Ipv6Addr::UNSPECIFIED));
    let (d, g, p) = (key(&r.dst), a(r.gateway), a(r.prefsrc));
    [
        (d >> 64) as u64,
        d as u64,
        (g >> 64) as u64,
        g as u64,
        (p >> 64) as u64,
        p as u64,
        r.expires,
        u64::from(r.flags) | u64::from(r.metric) << 32,
        u64::from(r.ifindex) | u64::from(r.mtu) << 32,
        u64::from(r.hoplimit) | u64::from(r.advmss) << 32,
        u64::from(r.nhid)
            | u64::from(r.weight) << 32
            | u64::from(r.dst_len) << 48
            | u64::from(r.kind) << 56,
        u64::from(r.protocol)
            | u64::from(r.nh_flags) << 8
            | u64::from(r.nsiblings) << 16
            | u64::from(r.sibling_pos) << 32
            | u64::from(r.gateway.is_some()) << 48
            | u64::from(r.prefsrc.is_some()) << 49,
    ]
}

/// Back from [`encode`].
fn decode(w: &[u64; WORDS]) -> Route {
    let a = |hi: u64, lo: u64| Ipv6Addr::from(u128::from(hi) << 64 | u128::from(lo));
    Route {
        dst: a(w[0], w[1]),
        dst_len: (w[10] >> 48) as u8,
        kind: (w[10] >> 56) as u8,
        protocol: w[11] as u8,
        flags: w[7] as u32,
        metric: (w[7] >> 32) as u32,
        ifindex: w[8] as u32,
        gateway: (w[11] >> 48 & 1 != 0).then(|| a(w[2], w[3])),
        prefsrc: (w[11] >> 49 & 1 != 0).then(|| a(w[4], w[5])),
        mtu: (w[8] >> 32) as u32,
        hoplimit: w[9] as u32,
        advmss: (w[9] >> 32) as u32,
        expires: w[6],
        nh_flags: (w[11] >> 8) as u8,
        weight: (w[10] >> 32) as u16,
        nsiblings: (w[11] >> 16) as u16,
        sibling_pos: (w[11] >> 32) as u16,
        nhid: w[10] as u32,
    }
}

/// A node's view of its slot: a prefix, two children and a list of routes.
#[derive(Clone, Copy)]
struct Node<'a>(&'a Slot);

impl Node<'_> {
    fn key(&self) -> u128 {
        u128::from(self.0.word[0].load(Relaxed)) << 64 | u128::from(self.0.word[1].load(Relaxed))
    }

    fn len(&self) -> u8 {
        (self.0.kind.load(Relaxed) >> 8) as u8
    }

    fn child(&self, dir: usize) -> u32 {
        self.0.link(dir)
    }

    fn children(&self) -> [u32; 2] {
        [self.child(0), self.child(1)]
    }

    fn parent(&self) -> u32 {
        self.0.link(CHAIN)
    }

    fn leaf(&self) -> u32 {
        self.0.link(LEAF)
    }
}

/// A route's view of its slot.
#[derive(Clone, Copy)]
struct Entry<'a>(&'a Slot);

impl Entry<'_> {
    fn route(&self) -> Route {
        let mut w = [0; WORDS];
        for (d, s) in w.iter_mut().zip(&self.0.word) {
            *d = s.load(Relaxed);
        }
        decode(&w)
    }

    /// The metric, which never changes in place.
    fn metric(&self) -> u32 {
        (self.0.word[7].load(Relaxed) >> 32) as u32
    }

    fn next(&self) -> u32 {
        self.0.link(NEXT)
    }

    /// Stores `r`, word by word, where it differs. An address that goes keeps its
    /// words, so that a reader that still sees it sees it whole.
    fn store(&self, r: &Route) {
        let mut words = encode(r);
        let keep = |w: &mut [u64; WORDS], at: usize| {
            w[at] = self.0.word[at].load(Relaxed);
            w[at + 1] = self.0.word[at + 1].load(Relaxed);
        };
        if r.gateway.is_none() {
            keep(&mut words, 2);
        }
        if r.prefsrc.is_none() {
            keep(&mut words, 4);
        }
        for (s, w) in self.0.word.iter().zip(words) {
            if s.load(Relaxed) != w {
                s.store(w, Relaxed);
            }
        }
    }
}

/// Out of memory while growing the slab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoMem;

/// Storage for a table's nodes and routes: slots that stay where they are once made,
/// so that readers can use them while the writer makes more.
pub trait Slab {
    /// Number of slots made.
    fn len(&self) -> usize;
    /// Whether there are no slots.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Slot `i`; a free one if there is no such slot.
    fn get(&self, i: u32) -> &Slot;
    /// Makes one more slot, free ([`Slot::new`]), and returns its index. Only the
    /// table's writer calls it.
    fn grow(&self) -> Result<u32, NoMem>;
}

/// Slots of the smallest chunk a slab in chunks ([`chunk_of`]) makes.
pub const CHUNK0: usize = 64;

/// Chunks enough for every slot index a `u32` can name.
pub const CHUNKS: usize = 51;

/// Where slot `i` lies in a slab made of chunks that never move: which chunk, and
/// where in it. Two chunks of `CHUNK0` slots, two of twice that, and so on: a new
/// chunk holds at most about half the slots before it, so at most about a third of the
/// slots allocated wait unused (plain doubling leaves up to half), and the slots a
/// `u32` can name take [`CHUNKS`] chunks.
pub fn chunk_of(i: usize) -> (usize, usize) {
    let v = (i / CHUNK0 + 2) as u64;
    let b = 63 - v.leading_zeros() as usize;
    let j = 2 * (b - 1) + (v >> (b - 1) & 1) as usize;
    (j, i - chunk_start(j))
}

/// The first slot of chunk `j` ([`chunk_of`]): also how many slots the chunks before
/// it hold.
pub fn chunk_start(j: usize) -> usize {
    let (m, half) = (j / 2, j % 2);
    CHUNK0 * ((2 << m) - 2 + half * (1 << m))
}

/// How many slots chunk `j` holds ([`chunk_of`]).
pub fn chunk_len(j: usize) -> usize {
    CHUNK0 << (j / 2)
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
///
/// Reading (`&self`: [`Table::lookup`], [`Table::exact`], walks) may run on any number
/// of CPUs while one writer ([`Table::writer`]) changes the table: a lookup then
/// finds the table as it was before or after each change the writer makes, as
/// mainline's RCU readers of fib6 do. Walks ([`Table::iter`]) follow parent links,
/// which only the writer keeps right: they want the writer out (the module runs them
/// under the tables' lock).
pub struct Table<S: Slab> {
    id: u32,
    slab: S,
    /// The fields below are the writer's.
    routes: AtomicUsize,
    /// Free slots, chained through [`CHAIN`], and how many.
    free: AtomicU32,
    nfree: AtomicUsize,
    /// Slots unlinked since the last [`Writer::seal`], and those sealed, which readers
    /// may still be reading.
    retired: AtomicU32,
    waiting: AtomicU32,
}

/// The most slots one [`Writer::add`] takes: the route, its node and a fork above it.
pub const ADD_SLOTS: usize = 3;

/// The root node is always slot 0.
const ROOT: u32 = 0;

impl<S: Slab> Table<S> {
    /// An empty table `id` kept in `slab` (which must be empty).
    pub fn new(id: u32, slab: S) -> Result<Self, NoMem> {
        let t = Self {
            id,
            slab,
            routes: AtomicUsize::new(0),
            free: AtomicU32::new(NIL),
            nfree: AtomicUsize::new(0),
            retired: AtomicU32::new(NIL),
            waiting: AtomicU32::new(NIL),
        };
        if t.slab.grow()? != ROOT {
            return Err(NoMem);
        }
        make_node(t.slab.get(ROOT), 0, 0, NIL);
        Ok(t)
    }

    /// The table's id.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The slots' storage.
    pub fn slab(&self) -> &S {
        &self.slab
    }

    /// Slots an add can take without growing the slab.
    pub fn spare(&self) -> usize {
        self.nfree.load(Relaxed)
    }

    /// Number of routes.
    pub fn len(&self) -> usize {
        self.routes.load(Relaxed)
    }

    /// No routes at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The table's writer. Writers must not overlap (the module takes the tables'
    /// lock); readers may run meanwhile.
    pub fn writer(&self) -> Writer<'_, S> {
        Writer { t: self }
    }

    /// Makes every unlinked slot free at once: `&mut` proves no reader is left.
    pub fn quiesce(&mut self) {
        let mut w = self.writer();
        for _ in 0..2 {
            w.seal();
            w.reclaim();
        }
    }

    /// Slot `i` as a node; `None` if it is not one (only a broken protocol gives that).
    fn node(&self, i: u32) -> Option<Node<'_>> {
        let s = self.slab.get(i);
        (s.kind() == NODE).then_some(Node(s))
    }

    /// Slot `i` as a route; `None` if it is not one.
    fn entry(&self, i: u32) -> Option<Entry<'_>> {
        let s = self.slab.get(i);
        (s.kind() == ROUTE).then_some(Entry(s))
    }

    /// The routes of node `n` from its first.
    fn routes_of(&self, n: u32) -> Routes<'_, S> {
        Routes {
            t: self,
            i: self.node(n).map_or(NIL, |nd| nd.leaf()),
        }
    }

    /// The node for exactly `k/len`, if there is one.
    fn locate(&self, k: u128, len: u8) -> Option<u32> {
        let mut n = ROOT;
        loop {
            let nd = self.node(n)?;
            if nd.len() == len {
                return (nd.key() == k).then_some(n);
            }
            let c = nd.child(bit(k, nd.len()));
            let cn = self.node(c)?;
            if cn.len() > len || cn.len() <= nd.len() || (k ^ cn.key()) & mask(cn.len()) != 0 {
                return None;
            }
            n = c;
        }
    }

    /// The next hops of `r`'s multipath route as a table holds them, `r`'s first and
    /// then the others in the order mainline's circular sibling list gives (those
    /// after it, then those before it); just `r` if it has no siblings here.
    pub fn nexthops(&self, r: &Route) -> impl Iterator<Item = Route> + '_ {
        let r = *r;
        let member = move |x: &Route| x.metric == r.metric && x.ecmp();
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
        core::iter::once(r).chain(after.chain(before))
    }

    /// Whether a sibling of `r` in node `n` (same metric, with a gateway) on another
    /// device is alive.
    fn live_elsewhere(&self, n: u32, r: &Route) -> bool {
        self.routes_of(n)
            .any(|x| x.metric == r.metric && x.ecmp() && x.ifindex != r.ifindex && !x.is_dead())
    }

    /// Routes of exactly `dst/len`, in order.
    pub fn exact(&self, dst: &Ipv6Addr, len: u8) -> Routes<'_, S> {
        match self.locate(key(&prefix(dst, len)), len) {
            Some(n) => self.routes_of(n),
            None => Routes { t: self, i: NIL },
        }
    }

    /// The route for `addr` (`fib6_node_lookup()` + `rt6_select()` + backtracking):
    /// from the longest matching prefix back towards `::/0`, the first node with a route
    /// `score` accepts (`Some`) wins; in it, among the routes of the lowest metric that
    /// has an accepted one, the highest score, the first on a tie.
    pub fn lookup(
        &self,
        addr: &Ipv6Addr,
        score: impl FnMut(&Route) -> Option<u32>,
    ) -> Option<Route> {
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
    ) -> Option<Route> {
        let k = key(addr);
        // The path, longest prefix last: at most one node per prefix length, each
        // longer than the one before.
        let mut path = [NIL; 129];
        let mut depth = 0;
        let mut n = ROOT;
        while let Some(nd) = self.node(n) {
            path[depth] = n;
            depth += 1;
            let len = nd.len();
            if len >= 128 {
                break;
            }
            let c = nd.child(bit(k, len));
            match self.node(c) {
                Some(cn) if cn.len() > len && (k ^ cn.key()) & mask(cn.len()) == 0 => n = c,
                _ => break,
            }
        }
        for &n in path[..depth].iter().rev() {
            let mut best: Option<(u32, Route)> = None;
            for r in self.routes_of(n) {
                if best.as_ref().is_some_and(|(_, b)| r.metric != b.metric) {
                    break;
                }
                if r.is_dead() {
                    continue;
                }
                if let Some(s) = score(&r) {
                    if best.is_none_or(|(bs, _)| s > bs) {
                        best = Some((s, r));
                    }
                }
            }
            if let Some((_, r)) = best {
                if r.nsiblings == 0 {
                    return Some(r);
                }
                return Some(match hash() {
                    Some(h) => self.select_path(n, r, h, &mut score),
                    None => r,
                });
            }
        }
        None
    }

    /// `fib6_select_path()`: among the next hops of the multipath route `matched` of
    /// node `n`, the one whose share of the 31-bit hash space holds `hash`. Shares
    /// follow the weights of the live next hops, in order (`rt6_upper_bound_set()`);
    /// the search starts at `matched` and goes round. A next hop `score` refuses
    /// leaves `matched`.
    fn select_path(
        &self,
        n: u32,
        matched: Route,
        hash: u32,
        score: &mut impl FnMut(&Route) -> Option<u32>,
    ) -> Route {
        let members = || {
            self.routes_of(n)
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
            if x.same_nexthop(&matched) {
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
            Some(x) if score(&x).is_some() => x,
            _ => matched,
        }
    }

    /// Every route, in mainline's walk order.
    pub fn iter(&self) -> Iter<'_, S> {
        let n = self.first_post(ROOT);
        Iter {
            t: self,
            node: Some(n),
            i: self.node(n).map_or(NIL, |nd| nd.leaf()),
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
        let mut i = self.node(n)?.leaf();
        for _ in 0..m.nth {
            match self.entry(i) {
                Some(e) => i = e.next(),
                None => break,
            }
        }
        Some(Iter {
            t: self,
            node: Some(n),
            i,
            nth: m.nth,
        })
    }

    fn first_post(&self, mut n: u32) -> u32 {
        while let Some(nd) = self.node(n) {
            n = match nd.children() {
                [NIL, NIL] => return n,
                [NIL, c] => c,
                [c, _] => c,
            };
        }
        n
    }

    fn next_post(&self, n: u32) -> Option<u32> {
        let p = self.node(n)?.parent();
        let pn = self.node(p)?;
        let [c0, c1] = pn.children();
        if c0 == n && c1 != NIL {
            Some(self.first_post(c1))
        } else {
            Some(p)
        }
    }
}

/// Fills free slot `s` as a node for `key/len` under `parent`, not yet linked.
fn make_node(s: &Slot, key: u128, len: u8, parent: u32) {
    s.word[0].store((key >> 64) as u64, Relaxed);
    s.word[1].store(key as u64, Relaxed);
    for (l, v) in s.link.iter().zip([NIL, NIL, parent, NIL]) {
        l.store(v, Relaxed);
    }
    s.kind.store(NODE | u32::from(len) << 8, Release);
}

/// Fills free slot `s` as route `r` before `next`, not yet linked.
fn make_entry(s: &Slot, r: &Route, next: u32) {
    for (w, v) in s.word.iter().zip(encode(r)) {
        w.store(v, Relaxed);
    }
    for (l, v) in s.link.iter().zip([next, NIL, NIL, NIL]) {
        l.store(v, Relaxed);
    }
    s.kind.store(ROUTE, Release);
}

/// The one writer of a [`Table`] ([`Table::writer`]). It changes the table so that a
/// reader running meanwhile always finds a well-formed trie: it fills a slot before
/// linking it (a release store the reader's acquire load pairs with), unlinks with
/// one store, and keeps unlinked slots apart until [`Writer::reclaim`].
pub struct Writer<'a, S: Slab> {
    t: &'a Table<S>,
}

impl<S: Slab> core::ops::Deref for Writer<'_, S> {
    type Target = Table<S>;
    fn deref(&self) -> &Table<S> {
        self.t
    }
}

impl<'a, S: Slab> Writer<'a, S> {
    fn node(&self, i: u32) -> Node<'a> {
        match self.t.node(i) {
            Some(n) => n,
            None => unreachable!("slot {} is not a node", i),
        }
    }

    fn entry(&self, i: u32) -> Entry<'a> {
        match self.t.entry(i) {
            Some(e) => e,
            None => unreachable!("slot {} is not a route", i),
        }
    }

    /// A slot to fill: a free one, or a new one.
    fn alloc(&mut self) -> Result<u32, NoMem> {
        let t = self.t;
        let i = t.free.load(Relaxed);
        if i != NIL {
            t.free.store(t.slab.get(i).link(CHAIN), Relaxed);
            t.nfree.fetch_sub(1, Relaxed);
            return Ok(i);
        }
        t.slab.grow()
    }

    /// Puts slot `i`, which no reader can reach, on the free list.
    fn free_now(&mut self, i: u32) {
        let t = self.t;
        let s = t.slab.get(i);
        s.kind.store(FREE, Relaxed);
        s.set_link(CHAIN, t.free.load(Relaxed));
        t.free.store(i, Relaxed);
        t.nfree.fetch_add(1, Relaxed);
    }

    /// Slot `i` was unlinked: readers may still be on it, so it keeps its contents
    /// until [`Writer::reclaim`].
    fn retire(&mut self, i: u32) {
        let t = self.t;
        t.slab.get(i).set_link(CHAIN, t.retired.load(Relaxed));
        t.retired.store(i, Relaxed);
    }

    /// Sets the slots unlinked so far aside to be reclaimed once every reader that
    /// may have seen them has finished. Returns whether it did: then the caller notes
    /// when that is (`start_poll_synchronize_rcu()` in the module). It does not while
    /// slots sealed before wait.
    pub fn seal(&mut self) -> bool {
        let t = self.t;
        let r = t.retired.load(Relaxed);
        if r == NIL || t.waiting.load(Relaxed) != NIL {
            return false;
        }
        t.waiting.store(r, Relaxed);
        t.retired.store(NIL, Relaxed);
        true
    }

    /// Whether sealed slots wait to be reclaimed.
    pub fn waiting(&self) -> bool {
        self.t.waiting.load(Relaxed) != NIL
    }

    /// Makes the sealed slots free. Call it only once every reader that began before
    /// the [`Writer::seal`] has finished (an RCU grace period in the module): a reader
    /// still on such a slot would read it reused. That would give it a wrong answer,
    /// never undefined behaviour, as every word is atomic.
    pub fn reclaim(&mut self) {
        let t = self.t;
        let mut i = t.waiting.load(Relaxed);
        t.waiting.store(NIL, Relaxed);
        while i != NIL {
            let next = t.slab.get(i).link(CHAIN);
            self.free_now(i);
            i = next;
        }
    }

    /// Makes `x` what comes after `prev` in node `n`'s list (its first if `prev` is
    /// `NIL`).
    fn link_after(&mut self, n: u32, prev: u32, x: u32) {
        if prev == NIL {
            self.node(n).0.set_link(LEAF, x);
        } else {
            self.entry(prev).0.set_link(NEXT, x);
        }
    }

    /// The node for `k/len`, made if missing (`fib6_add_1()`).
    fn node_for(&mut self, k: u128, len: u8) -> Result<u32, NoMem> {
        let t = self.t;
        let mut n = ROOT;
        loop {
            let nd = self.node(n);
            if nd.len() == len {
                return Ok(n);
            }
            let dir = bit(k, nd.len());
            let c = nd.child(dir);
            if c == NIL {
                let new = self.alloc()?;
                make_node(t.slab.get(new), k, len, n);
                nd.0.set_link(dir, new);
                return Ok(new);
            }
            let cn = self.node(c);
            let (ckey, clen) = (cn.key(), cn.len());
            let common = ((k ^ ckey).leading_zeros() as u8).min(len).min(clen);
            if common == clen {
                n = c;
                continue;
            }
            // `c` lies beyond where `k/len` parts from it: put a node in between.
            if common == len {
                // `k/len` covers `c`.
                let new = self.alloc()?;
                let s = t.slab.get(new);
                make_node(s, k, len, n);
                s.set_link(bit(ckey, len), c);
                cn.0.set_link(CHAIN, new);
                nd.0.set_link(dir, new);
                return Ok(new);
            }
            // They part at `common`: a routeless fork with both below it.
            let fork = self.alloc()?;
            let new = match self.alloc() {
                Ok(new) => new,
                Err(e) => {
                    self.free_now(fork);
                    return Err(e);
                }
            };
            make_node(t.slab.get(new), k, len, fork);
            let f = t.slab.get(fork);
            make_node(f, k & mask(common), common, n);
            f.set_link(bit(k, common), new);
            f.set_link(bit(ckey, common), c);
            cn.0.set_link(CHAIN, fork);
            nd.0.set_link(dir, fork);
            return Ok(new);
        }
    }

    /// Removes routeless nodes that no longer fork, from `n` up (`fib6_repair_tree()`).
    fn prune(&mut self, n: u32) {
        self.prune_keeping(n, None)
    }

    /// Removes routeless nodes that no longer fork, from `n` up to `keep` (if any).
    fn prune_keeping(&mut self, n: u32, keep: Option<u32>) {
        let mut n = n;
        while n != ROOT && Some(n) != keep {
            let nd = self.node(n);
            if nd.leaf() != NIL {
                return;
            }
            let only = match nd.children() {
                [NIL, NIL] => NIL,
                [c, NIL] | [NIL, c] => c,
                _ => return,
            };
            let p = nd.parent();
            let pn = self.node(p);
            let dir = usize::from(pn.child(1) == n);
            if only != NIL {
                self.node(only).0.set_link(CHAIN, p);
            }
            // A reader on `n` goes on to `only` through it.
            pn.0.set_link(dir, only);
            self.retire(n);
            if only != NIL {
                return;
            }
            n = p;
        }
    }

    /// Adds `r` (its `dst` must be a clean prefix, see [`prefix`]) as
    /// `fib6_add_rt2node()` does: after the routes of lower or equal metric. Returns
    /// the route it replaced, if any. See [`Writer::add_with`].
    pub fn add(&mut self, r: Route, mode: AddMode) -> Result<Option<Route>, AddError> {
        self.add_with(r, mode, |_| {})
    }

    /// [`Writer::add`], calling `dropped` for each route a replacement takes away
    /// besides the one it returns.
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
        let t = self.t;
        let k = key(&r.dst);
        r.nsiblings = 0;
        r.sibling_pos = 0;
        // Check before changing anything, so a refused request leaves no node behind.
        let mut replace_at = None;
        let mut fallback = None;
        let found = t.locate(k, r.dst_len);
        if let Some(n) = found {
            let (mut prev, mut i) = (NIL, self.node(n).leaf());
            while i != NIL {
                let e = self.entry(i);
                let x = e.route();
                if x.metric == r.metric {
                    if mode.excl {
                        return Err(AddError::Exists);
                    }
                    if mode.replace {
                        if x.ecmp() == r.ecmp() {
                            replace_at = Some((prev, i));
                            break;
                        }
                        fallback = fallback.or(Some((prev, i)));
                    } else if x.same_nexthop(&r) {
                        return Err(AddError::Exists);
                    }
                }
                (prev, i) = (i, e.next());
            }
        }
        if let (Some(n), Some((prev, i))) = (found, replace_at.or(fallback)) {
            let e = self.entry(i);
            let old = e.route();
            let new = self.alloc().map_err(|_| AddError::NoMem)?;
            make_entry(t.slab.get(new), &r, e.next());
            self.link_after(n, prev, new);
            self.retire(i);
            if old.nsiblings > 0 {
                // Its other next hops go too (they all follow it: it was the first).
                let mut prev = new;
                let mut j = self.entry(new).next();
                while j != NIL && self.entry(j).metric() == r.metric {
                    let e = self.entry(j);
                    let (x, next) = (e.route(), e.next());
                    if x.ecmp() {
                        dropped(&x);
                        self.link_after(n, prev, next);
                        self.retire(j);
                        t.routes.fetch_sub(1, Relaxed);
                    } else {
                        prev = j;
                    }
                    j = next;
                }
            }
            self.regroup(n);
            return Ok(Some(old));
        }
        if mode.replace && !mode.create {
            return Err(AddError::NotFound);
        }
        let n = self.node_for(k, r.dst_len).map_err(|_| AddError::NoMem)?;
        // After the last route of metric <= ours.
        let (mut prev, mut i) = (NIL, self.node(n).leaf());
        while i != NIL && self.entry(i).metric() <= r.metric {
            (prev, i) = (i, self.entry(i).next());
        }
        let e = match self.alloc() {
            Ok(e) => e,
            Err(_) => {
                self.prune(n);
                return Err(AddError::NoMem);
            }
        };
        make_entry(t.slab.get(e), &r, i);
        self.link_after(n, prev, e);
        t.routes.fetch_add(1, Relaxed);
        self.regroup(n);
        Ok(None)
    }

    /// Counts and numbers the next hops of the multipath routes of node `n`: each run
    /// of one metric, its routes with a gateway. In place: readers may meet a count
    /// and a position from before and after, as mainline's may.
    fn regroup(&mut self, n: u32) {
        let mut i = self.node(n).leaf();
        while i != NIL {
            let metric = self.entry(i).metric();
            let mut count = 0u16;
            let mut end = i;
            while end != NIL && self.entry(end).metric() == metric {
                count = count.saturating_add(u16::from(self.entry(end).route().ecmp()));
                end = self.entry(end).next();
            }
            let mut pos = 0;
            while i != end {
                let e = self.entry(i);
                let mut r = e.route();
                if r.ecmp() {
                    (r.nsiblings, r.sibling_pos) = (count - 1, pos);
                    pos += 1;
                } else {
                    (r.nsiblings, r.sibling_pos) = (0, 0);
                }
                e.store(&r);
                i = e.next();
            }
        }
    }

    /// The device `ifindex` went down (`fib6_ifdown()` for `NETDEV_DOWN`): its routes
    /// go, except next hops of multipath routes with a live next hop elsewhere, which
    /// stay, dead (`RTNH_F_DEAD | RTNH_F_LINKDOWN`). A multipath route whose next hops
    /// are all dead goes whole. Calls `removed` for each route removed.
    pub fn sync_down(&mut self, ifindex: u32, mut removed: impl FnMut(&Route)) {
        let t = self.t;
        let mut n = t.first_post(ROOT);
        loop {
            let next = t.next_post(n);
            let mut i = self.node(n).leaf();
            while i != NIL {
                let e = self.entry(i);
                let mut r = e.route();
                if r.ifindex == ifindex && r.nsiblings > 0 && t.live_elsewhere(n, &r) {
                    r.nh_flags |= rtnh::DEAD | rtnh::LINKDOWN;
                    e.store(&r);
                }
                i = e.next();
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

    /// Unlinks the routes of node `n` that `pred` accepts, calling `removed` for each,
    /// and renumbers the siblings left. The node is not pruned.
    fn remove_in_node(
        &mut self,
        n: u32,
        mut pred: impl FnMut(&Table<S>, u32, &Route) -> bool,
        removed: &mut impl FnMut(&Route),
    ) {
        let t = self.t;
        let (mut prev, mut i) = (NIL, self.node(n).leaf());
        let mut any = false;
        while i != NIL {
            let e = self.entry(i);
            let (r, next) = (e.route(), e.next());
            if pred(t, n, &r) {
                removed(&r);
                self.link_after(n, prev, next);
                self.retire(i);
                t.routes.fetch_sub(1, Relaxed);
                any = true;
            } else {
                prev = i;
            }
            i = next;
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
        let t = self.t;
        let n = t.locate(key(&prefix(dst, len)), len)?;
        let (mut prev, mut i) = (NIL, self.node(n).leaf());
        while i != NIL {
            let e = self.entry(i);
            let r = e.route();
            if pred(&r) {
                self.link_after(n, prev, e.next());
                self.retire(i);
                t.routes.fetch_sub(1, Relaxed);
                self.regroup(n);
                self.prune(n);
                return Some(r);
            }
            (prev, i) = (i, e.next());
        }
        None
    }

    /// Removes every route `pred` accepts, calling `removed` for each, in walk order.
    pub fn remove_all(
        &mut self,
        mut pred: impl FnMut(&Route) -> bool,
        mut removed: impl FnMut(&Route),
    ) {
        let t = self.t;
        let mut n = t.first_post(ROOT);
        loop {
            // Find the next node before this one may be pruned.
            let next = t.next_post(n);
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

    /// Changes route `e` as `f` wants (returns whether it did), in place, in the
    /// fields that may change so ([`Writer::update_all`]).
    fn update(e: Entry<'_>, f: &mut impl FnMut(&mut Route) -> bool) -> Option<Route> {
        let old = e.route();
        let mut r = old;
        if !f(&mut r) {
            return None;
        }
        let r = Route {
            flags: r.flags,
            expires: r.expires,
            mtu: r.mtu,
            hoplimit: r.hoplimit,
            advmss: r.advmss,
            nh_flags: r.nh_flags,
            prefsrc: r.prefsrc.and(old.prefsrc),
            ..old
        };
        e.store(&r);
        Some(r)
    }

    /// Changes, in place, every route `f` wants to change (`f` returns whether it did).
    /// Only `flags`, `expires`, `mtu`, `hoplimit`, `advmss` and `nh_flags` change, and
    /// `prefsrc` may go; other changes are a new route ([`Writer::add`] with replace).
    pub fn update_all(&mut self, mut f: impl FnMut(&mut Route) -> bool) -> usize {
        let t = self.t;
        let mut changed = 0;
        let mut n = Some(t.first_post(ROOT));
        while let Some(x) = n {
            let before = changed;
            let mut i = self.node(x).leaf();
            while i != NIL {
                let e = self.entry(i);
                if Self::update(e, &mut f).is_some() {
                    changed += 1;
                }
                i = e.next();
            }
            if changed != before {
                self.regroup(x);
            }
            n = t.next_post(x);
        }
        changed
    }

    /// Changes, in place, the first route of exactly `dst/len` that `f` changes (`f`
    /// returns whether it did) and returns a copy of it. See [`Writer::update_all`]
    /// for what may change.
    pub fn update_exact(
        &mut self,
        dst: &Ipv6Addr,
        len: u8,
        mut f: impl FnMut(&mut Route) -> bool,
    ) -> Option<Route> {
        let n = self.t.locate(key(&prefix(dst, len)), len)?;
        let mut i = self.node(n).leaf();
        while i != NIL {
            let e = self.entry(i);
            if Self::update(e, &mut f).is_some() {
                self.regroup(n);
                return Some(self.entry(i).route());
            }
            i = e.next();
        }
        None
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

impl<S: Slab> Iterator for Routes<'_, S> {
    type Item = Route;

    fn next(&mut self) -> Option<Route> {
        let e = self.t.entry(self.i)?;
        self.i = e.next();
        Some(e.route())
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
        let nd = self.t.node(self.node?)?;
        Some(Mark {
            key: nd.key(),
            len: nd.len(),
            nth: self.nth,
        })
    }
}

impl<S: Slab> Iterator for Iter<'_, S> {
    type Item = Route;

    fn next(&mut self) -> Option<Route> {
        loop {
            let n = self.node?;
            if let Some(e) = self.t.entry(self.i) {
                self.i = e.next();
                self.nth += 1;
                return Some(e.route());
            }
            self.node = self.t.next_post(n);
            self.nth = 0;
            if let Some(x) = self.node {
                self.i = self.t.node(x).map_or(NIL, |nd| nd.leaf());
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

    /// A slab of at most `cap` slots, made up front.
    pub(super) struct Fixed {
        slots: Vec<Slot>,
        len: AtomicUsize,
    }

    impl Fixed {
        pub(super) fn new(cap: usize) -> Self {
            Fixed {
                slots: (0..cap).map(|_| Slot::new()).collect(),
                len: AtomicUsize::new(0),
            }
        }
    }

    static NONE: Slot = Slot::new();

    impl Slab for Fixed {
        fn len(&self) -> usize {
            self.len.load(Acquire)
        }
        fn get(&self, i: u32) -> &Slot {
            match self.slots.get(i as usize) {
                Some(s) if (i as usize) < self.len() => s,
                _ => &NONE,
            }
        }
        fn grow(&self) -> Result<u32, NoMem> {
            let n = self.len.load(Relaxed);
            if n == self.slots.len() {
                return Err(NoMem);
            }
            self.len.store(n + 1, Release);
            Ok(n as u32)
        }
    }

    fn ip(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    fn r(dst: &str, len: u8, metric: u32, ifindex: u32) -> Route {
        Route::new(&ip(dst), len, rtn::UNICAST, 4, rtf::UP, metric, ifindex)
    }

    fn table() -> Table<Fixed> {
        Table::new(table::MAIN, Fixed::new(4096)).unwrap()
    }

    fn names(t: &Table<Fixed>) -> Vec<std::string::String> {
        t.iter()
            .map(|r| std::format!("{}/{} m{} if{}", r.dst, r.dst_len, r.metric, r.ifindex))
            .collect()
    }

    #[test]
    fn walks_in_mainline_order() {
        let t = table();
        for (d, l) in [
            ("::", 0),
            ("2001:db8::", 64),
            ("fe80::", 64),
            ("2001:db8::1", 128),
            ("2001:db8:1::", 64),
            ("::1", 128),
            ("2001:db8::", 32),
        ] {
            t.writer().add(r(d, l, 256, 2), AddMode::KERNEL).unwrap();
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
        let t = table();
        t.writer()
            .add(r("2001:db8::", 64, 1024, 2), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(r("2001:db8::", 64, 256, 3), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(r("2001:db8::", 64, 1024, 4), AddMode::KERNEL)
            .unwrap();
        assert_eq!(
            t.writer()
                .add(r("2001:db8::", 64, 1024, 4), AddMode::KERNEL),
            Err(AddError::Exists)
        );
        let excl = AddMode {
            excl: true,
            replace: false,
            create: true,
        };
        assert_eq!(
            t.writer().add(r("2001:db8::", 64, 256, 9), excl),
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
            t.writer()
                .add(r("2001:db8::", 64, 1024, 7), replace)
                .unwrap()
                .map(|o| o.ifindex),
            Some(2)
        );
        assert_eq!(
            t.writer().add(r("2001:db8::", 64, 7, 7), replace),
            Err(AddError::NotFound)
        );
        assert_eq!(
            t.writer()
                .remove(&ip("2001:db8::5"), 64, |r| r.ifindex == 4)
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
        let t = table();
        t.writer()
            .add(r("::", 0, 1024, 2), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(r("::", 0, 1024, 3), AddMode::KERNEL)
            .unwrap();
        let got = t.writer().update_exact(&ip("::"), 0, |x| {
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
        assert_eq!(
            t.writer().update_exact(&ip("::"), 0, |x| x.ifindex == 9),
            None
        );
        assert_eq!(
            t.writer().update_exact(&ip("2001:db8::"), 64, |_| true),
            None
        );
        assert_eq!(names(&t), ["::/0 m1024 if2", "::/0 m1024 if3"]);
    }

    #[test]
    fn looks_up_longest_prefix_and_backtracks() {
        let t = table();
        t.writer()
            .add(r("::", 0, 1024, 1), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(r("2001:db8::", 32, 256, 2), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(r("2001:db8:1::", 48, 256, 3), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(r("2001:db8:1::", 48, 256, 4), AddMode::KERNEL)
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
        t.writer()
            .add(r("2001:db8::", 64, 256, 2), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(r("2001:db8:1::", 64, 256, 2), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(r("2001:db8::1", 128, 256, 3), AddMode::KERNEL)
            .unwrap();
        let slots = t.slab.len();
        let mut gone = Vec::new();
        t.writer()
            .remove_all(|r| r.ifindex == 2, |r| gone.push(r.dst_len));
        assert_eq!(gone, [64, 64]);
        assert_eq!(names(&t), ["2001:db8::1/128 m256 if3"]);
        // Readers may still be on the slots removed: they are not reused yet.
        assert_eq!(t.spare(), 0);
        t.writer()
            .add(r("2001:db8:2::", 64, 256, 2), AddMode::KERNEL)
            .unwrap();
        assert!(t.slab.len() > slots);
        t.writer()
            .remove(&ip("2001:db8:2::"), 64, |_| true)
            .unwrap();
        // Once they are done, reused, not grown.
        t.quiesce();
        assert!(t.spare() > 0);
        let slots = t.slab.len();
        t.writer()
            .add(r("2001:db8:2::", 64, 256, 2), AddMode::KERNEL)
            .unwrap();
        assert_eq!(t.slab.len(), slots);
        t.writer().remove_all(|_| true, |_| {});
        assert!(t.is_empty());
        assert_eq!(t.node(ROOT).unwrap().children(), [NIL, NIL]);
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
            for (k, (add, rt)) in ops.into_iter().enumerate() {
                // Now and then, readers are done and unlinked slots come back.
                if k % 7 == 6 {
                    t.quiesce();
                }
                if add {
                    let dup = model.iter().any(|m| m.dst == rt.dst && m.dst_len == rt.dst_len
                        && m.metric == rt.metric && m.same_nexthop(&rt));
                    let res = t.writer().add(rt, AddMode::KERNEL);
                    prop_assert_eq!(res.is_err(), dup);
                    if !dup { model.push(rt); }
                } else {
                    let got = t.writer().remove(&rt.dst, rt.dst_len, |x| x.ifindex == rt.ifindex);
                    let pos = model.iter().enumerate()
                        .filter(|(_, m)| m.dst == rt.dst && m.dst_len == rt.dst_len && m.ifindex == rt.ifindex)
                        .min_by_key(|(_, m)| m.metric).map(|(i, _)| i);
                    prop_assert_eq!(got, pos.map(|i| model.remove(i)));
                }
            }
            prop_assert_eq!(t.len(), model.len());
            t.quiesce();
            for i in 0..t.slab.len() as u32 {
                if let Some(n) = t.node(i) {
                    let kids = n.children().iter().filter(|&&c| c != NIL).count();
                    // Every node but the root has routes or forks.
                    prop_assert!(i == 0 || n.leaf() != NIL || kids == 2, "stale node {}", i);
                }
            }
            // Walk order: post-order of prefixes, then metric, then insertion.
            let mut want = model.clone();
            want.sort_by(|a, b| post_order(&(key(&a.dst), a.dst_len), &(key(&b.dst), b.dst_len))
                .then(a.metric.cmp(&b.metric)));
            let got: Vec<Route> = t.iter().collect();
            prop_assert_eq!(&got, &want);
            // A walk resumed at any position goes on exactly where the first one was.
            let mut it = t.iter();
            for k in 0..=got.len() {
                match it.mark() {
                    Some(m) => {
                        let rest: Vec<Route> = t.iter_from(m).unwrap().collect();
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
                prop_assert_eq!(t.lookup(&a, |_| Some(0)), want.copied());
            }
            for m in &model {
                let a = m.dst;
                prop_assert!(t.lookup(&a, |_| Some(0)).is_some());
            }
            t.writer().remove_all(|_| true, |_| {});
            prop_assert!(t.is_empty());
        }
    }

    #[test]
    fn chunks_tile_the_slots() {
        let mut at = 0;
        for j in 0..CHUNKS {
            assert_eq!(chunk_start(j), at);
            for i in [at, at + 1, at + chunk_len(j) / 2, at + chunk_len(j) - 1] {
                assert_eq!(chunk_of(i), (j, i - at), "slot {}", i);
            }
            at += chunk_len(j);
            // A new chunk holds about half the slots before it, at most.
            assert!(chunk_len(j) <= chunk_start(j) / 2 + CHUNK0, "chunk {}", j);
        }
        assert!(at >= u32::MAX as usize);
        assert_eq!(chunk_of(u32::MAX as usize - 1).0, CHUNKS - 1);
    }

    /// Readers look routes up while a writer adds, replaces, changes and removes
    /// others, and reclaims slots after grace periods that a reader count stands in
    /// for (each reader's counter is odd while it reads, as in QSBR). A reader must
    /// always find the two routes that never change, or a longer one that covers its
    /// address, whole.
    #[test]
    fn readers_see_a_whole_table_while_a_writer_runs() {
        use std::sync::atomic::AtomicBool;
        let t = Table::new(table::MAIN, Fixed::new(1 << 16)).unwrap();
        t.writer()
            .add(r("::", 0, 1024, 1), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(r("2001:db8::", 32, 1024, 2), AddMode::KERNEL)
            .unwrap();
        let readers: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];
        let stop = AtomicBool::new(false);
        let elsewhere = ip("3000::1");
        let xorshift = |x: &mut u64| {
            *x ^= *x << 13;
            *x ^= *x >> 7;
            *x ^= *x << 17;
            *x
        };
        std::thread::scope(|sc| {
            for (n, seq) in readers.iter().enumerate() {
                let (t, stop, elsewhere) = (&t, &stop, &elsewhere);
                sc.spawn(move || {
                    let mut x = 0x9e37_79b9_7f4a_7c15u64 + n as u64;
                    let mut found = 0u64;
                    // Leaves the read side even if an assertion fails, so that the
                    // writer does not wait for it forever.
                    struct Inside<'a>(&'a AtomicU64);
                    impl Drop for Inside<'_> {
                        fn drop(&mut self) {
                            self.0.fetch_add(1, Release);
                        }
                    }
                    while !stop.load(Acquire) {
                        seq.fetch_add(1, Acquire);
                        let inside = Inside(seq);
                        let a =
                            0x2001_0db8u128 << 96 | u128::from(xorshift(&mut x) & 0xffff_ffff_ffff);
                        let got = t.lookup(&Ipv6Addr::from(a), |_| Some(0)).unwrap();
                        assert!(got.dst_len >= 32 && in_prefix(a, &got), "{:?}", got);
                        assert!(got.ifindex == 2 || got.ifindex >= 3 && got.metric == 7);
                        let other = t.lookup(elsewhere, |_| Some(0)).unwrap();
                        assert_eq!((other.dst_len, other.ifindex), (0, 1));
                        found += u64::from(got.dst_len > 32);
                        drop(inside);
                    }
                    found
                });
            }
            // Readers stop however the writer ends.
            struct Stop<'a>(&'a AtomicBool);
            impl Drop for Stop<'_> {
                fn drop(&mut self) {
                    self.0.store(true, Release);
                }
            }
            let _stop = Stop(&stop);
            let mut x = 0x2545_f491_4f6c_dd1du64;
            let mut live: Vec<Route> = Vec::new();
            for k in 0..5_000 {
                let v = xorshift(&mut x);
                let mut w = t.writer();
                if live.len() < 64 && v & 3 != 0 {
                    let a = 0x2001_0db8u128 << 96 | u128::from(v >> 16 & 0xffff_ffff_ffff);
                    let len = [48u8, 64, 96, 127, 128][(v % 5) as usize];
                    let mut rt = r(
                        &std::format!("{}", Ipv6Addr::from(a)),
                        len,
                        7,
                        3 + (v >> 8 & 3) as u32,
                    );
                    rt.mtu = 1280;
                    let replace = AddMode {
                        replace: v & 4 != 0,
                        ..AddMode::KERNEL
                    };
                    if let Ok(old) = w.add(rt, replace) {
                        if let Some(old) = old {
                            live.retain(|x| {
                                (x.dst, x.dst_len, x.ifindex) != (old.dst, old.dst_len, old.ifindex)
                            });
                        }
                        live.push(rt);
                    }
                } else if !live.is_empty() {
                    let gone = live.swap_remove((v % live.len() as u64) as usize);
                    w.remove(&gone.dst, gone.dst_len, |x| x.ifindex == gone.ifindex)
                        .unwrap();
                }
                w.update_all(|x| {
                    x.mtu = 1280 + (k % 100) as u32;
                    x.metric == 7
                });
                if w.waiting() && k % 8 == 0 {
                    // The grace period: every reader inside when it began has left.
                    let seen: Vec<u64> = readers.iter().map(|s| s.load(Acquire)).collect();
                    for (s, v) in readers.iter().zip(seen) {
                        while v & 1 == 1 && s.load(Acquire) == v {
                            std::thread::yield_now();
                        }
                    }
                    w.reclaim();
                }
                w.seal();
            }
        });
        assert!(t.slab.len() < 1 << 12, "slots are reused: {}", t.slab.len());
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

    fn hops(t: &Table<Fixed>, r: &Route) -> Vec<u32> {
        t.nexthops(r).map(|x| x.ifindex).collect()
    }

    #[test]
    fn routes_with_gateways_of_one_metric_are_one_multipath_route() {
        let t = table();
        t.writer()
            .add(gw("2001:db8::", 1024, 2, "fe80::2"), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(r("2001:db8::", 64, 1024, 9), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(gw("2001:db8::", 1024, 3, "fe80::3"), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(gw("2001:db8::", 1024, 4, "fe80::4"), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(gw("2001:db8::", 2048, 5, "fe80::5"), AddMode::KERNEL)
            .unwrap();
        let all: Vec<_> = t
            .iter()
            .map(|x| (x.ifindex, x.nsiblings, x.sibling_pos))
            .collect();
        assert_eq!(all, [(2, 2, 0), (9, 0, 0), (3, 2, 1), (4, 2, 2), (5, 0, 0)]);
        // Starting anywhere, the others follow round the group.
        let third = t.iter().nth(3).unwrap();
        assert_eq!(hops(&t, &third), [4, 2, 3]);
        let first = t.iter().next().unwrap();
        assert_eq!(hops(&t, &first), [2, 3, 4]);
        // The same next hop twice is refused.
        assert_eq!(
            t.writer()
                .add(gw("2001:db8::", 1024, 3, "fe80::3"), AddMode::KERNEL),
            Err(AddError::Exists)
        );
        // Removing one renumbers the rest.
        t.writer()
            .remove(&ip("2001:db8::"), 64, |x| x.ifindex == 2)
            .unwrap();
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
        let t = table();
        t.writer()
            .add(gw("2001:db8::", 1024, 2, "fe80::2"), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(gw("2001:db8::", 1024, 3, "fe80::3"), AddMode::KERNEL)
            .unwrap();
        let mut dropped = Vec::new();
        let old = t
            .writer()
            .add_with(gw("2001:db8::", 1024, 7, "fe80::7"), replace, |x| {
                dropped.push(x.ifindex)
            })
            .unwrap();
        assert_eq!((old.map(|o| o.ifindex), dropped), (Some(2), std::vec![3]));
        assert_eq!(names(&t), ["2001:db8::/64 m1024 if7"]);
        // A device route replaces a multipath route whole too (fallback to the first).
        t.writer()
            .add(gw("2001:db8::", 1024, 3, "fe80::3"), AddMode::KERNEL)
            .unwrap();
        let old = t
            .writer()
            .add(r("2001:db8::", 64, 1024, 9), replace)
            .unwrap();
        assert_eq!(old.map(|o| o.ifindex), Some(7));
        assert_eq!(names(&t), ["2001:db8::/64 m1024 if9"]);
        // A gateway route replaces the device route when no gateway route is there.
        t.writer()
            .add(gw("2001:db8::", 1024, 3, "fe80::3"), replace)
            .unwrap();
        assert_eq!(names(&t), ["2001:db8::/64 m1024 if3"]);
    }

    #[test]
    fn routes_with_a_nexthop_object_are_never_siblings() {
        let t = table();
        let nh = |id: u32| Route {
            nhid: id,
            ..r("2001:db8::", 64, 1024, 0)
        };
        t.writer().add(nh(61), AddMode::KERNEL).unwrap();
        // The same object again at that metric: a duplicate (rt6_duplicate_nexthop()).
        assert_eq!(
            t.writer().add(nh(61), AddMode::KERNEL),
            Err(AddError::Exists)
        );
        t.writer().add(nh(62), AddMode::KERNEL).unwrap();
        t.writer()
            .add(gw("2001:db8::", 1024, 2, "fe80::2"), AddMode::KERNEL)
            .unwrap();
        let all: Vec<Route> = t.exact(&ip("2001:db8::"), 64).collect();
        assert_eq!(all.len(), 3);
        assert!(all.iter().all(|x| x.nsiblings == 0));
        assert!(!nh(61).ecmp());
        assert!(!nh(61).same_nexthop(&gw("2001:db8::", 1024, 0, "fe80::2")));
    }

    #[test]
    fn lookups_share_flows_by_weight_and_skip_dead_next_hops() {
        let t = table();
        t.writer()
            .add(gw("2001:db8::", 1024, 2, "fe80::2"), AddMode::KERNEL)
            .unwrap();
        t.writer()
            .add(
                Route {
                    weight: 3,
                    ..gw("2001:db8::", 1024, 3, "fe80::3")
                },
                AddMode::KERNEL,
            )
            .unwrap();
        let a = ip("2001:db8::1");
        let via =
            |t: &Table<Fixed>, h: u32| t.lookup_path(&a, |_| Some(0), || Some(h)).unwrap().ifindex;
        // Bounds: 2 up to 2^29 - 1 (a quarter), 3 up to 2^31 - 1.
        assert_eq!(via(&t, 0), 2);
        assert_eq!(via(&t, (1 << 29) - 1), 2);
        assert_eq!(via(&t, 1 << 29), 3);
        assert_eq!(via(&t, (1 << 31) - 1), 3);
        // Without a hash, the first.
        assert_eq!(t.lookup(&a, |_| Some(0)).unwrap().ifindex, 2);
        // Device 2 goes down: its next hop stays, dead, and takes no flows.
        let mut gone = Vec::new();
        t.writer().sync_down(2, |x| gone.push(x.ifindex));
        assert!(gone.is_empty());
        assert_eq!(
            t.iter().next().unwrap().nh_flags,
            rtnh::DEAD | rtnh::LINKDOWN
        );
        assert_eq!(via(&t, 0), 3);
        // Device 3 too: the whole route goes.
        t.writer().sync_down(3, |x| gone.push(x.ifindex));
        assert_eq!(gone, [3, 2]);
        assert!(t.is_empty());
    }
}

#[cfg(test)]
mod score_tests {
    use super::{rtf, score};

    #[test]
    fn scores() {
        let pref = |p: u32| p << 27;
        // Any interface: the preference ranks (high > medium > low).
        let high = score(pref(1), 0, false, || false).unwrap();
        let medium = score(pref(0), 0, false, || false).unwrap();
        let low = score(pref(3), 0, false, || false).unwrap();
        assert!(high > medium && medium > low);
        // The preference outranks the interface, which breaks ties (as mainline's
        // weights: interface 2, preference shifted by 2).
        assert!(score(pref(1), 5, false, || false) > score(pref(3), 5, false, || true));
        assert!(score(pref(0), 5, false, || true) > score(pref(0), 5, false, || false));
        // Strict: only through it.
        assert_eq!(score(pref(1), 5, true, || false), None);
        assert_eq!(score(0, 5, true, || true), Some(2 | 2 << 2));
        let _ = rtf::extract_pref(0);
    }
}
