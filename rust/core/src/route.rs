// SPDX-License-Identifier: GPL-2.0

//! Route and source address decisions for locally generated packets.
//!
//! Until the FIB lands (issue 4 brings tables, rules and the trie), a destination is
//! reached through the connected prefixes of the node's addresses, as the prefix routes
//! mainline creates for them would reach it; link-scoped destinations go out of the
//! interface the caller names. Source selection follows RFC 6724 §5 rules 1, 2, 3, 5 and 8
//! (mainline `ipv6_dev_get_saddr()`); labels and precedence come with `ip addrlabel`.

use crate::addrconf::{addr_src_scope, ifa_flags};
use core::net::Ipv6Addr;

/// An address of the node as route and source selection see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalAddr {
    /// The address.
    pub addr: Ipv6Addr,
    /// Its prefix length.
    pub prefix_len: u8,
    /// `IFA_F_*` flags.
    pub flags: u32,
    /// Interface it is on.
    pub ifindex: u32,
}

impl LocalAddr {
    /// Usable as a source: DAD is done (or optimistic) and did not fail.
    pub fn usable(&self) -> bool {
        self.flags & ifa_flags::DADFAILED == 0
            && (self.flags & ifa_flags::TENTATIVE == 0 || self.flags & ifa_flags::OPTIMISTIC != 0)
    }
}

/// Number of leading bits `a` and `b` share.
pub fn common_prefix_len(a: &Ipv6Addr, b: &Ipv6Addr) -> u8 {
    (u128::from(*a) ^ u128::from(*b)).leading_zeros() as u8
}

/// `a` lies in `prefix/len`.
pub fn in_prefix(a: &Ipv6Addr, prefix: &Ipv6Addr, len: u8) -> bool {
    len <= 128 && common_prefix_len(a, prefix) >= len
}

/// RFC 4007 scope of a destination, unicast or multicast (`ipv6_addr_scope()` values
/// as in [`addr_src_scope`]: 1 interface-local, 2 link, 5 site, 14 global).
pub fn dst_scope(a: &Ipv6Addr) -> u8 {
    if a.is_multicast() {
        a.octets()[1] & 0x0f
    } else {
        addr_src_scope(a)
    }
}

/// A destination that only has meaning on one link: it needs an outgoing interface.
pub fn needs_interface(a: &Ipv6Addr) -> bool {
    dst_scope(a) <= 2
}

/// `__ipv6_addr_needs_scope_id()`: link-local unicast, and interface- or link-local
/// multicast, are ambiguous without an interface (`::1` is not: it is the node's own).
pub fn needs_scope_id(a: &Ipv6Addr) -> bool {
    if a.is_multicast() {
        matches!(a.octets()[1] & 0x0f, 1 | 2)
    } else {
        a.segments()[0] & 0xffc0 == 0xfe80
    }
}

/// A route found for a destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// Outgoing interface.
    pub ifindex: u32,
    /// Prefix length of the matching route (`fe80::/64`, `ff00::/8`, a connected prefix).
    pub prefix_len: u8,
}

/// Where a packet to `dst` goes, or `None` if there is no route.
///
/// Link-scoped and multicast destinations leave through `oif` (required for link scope),
/// as mainline's per-device `fe80::/64` and `ff00::/8` routes send them. Others take the
/// longest connected prefix among `addrs` that contains `dst`, restricted to `oif` when
/// one is given; addresses with `noprefixroute` or of length 128 have no prefix route.
pub fn connected_route(
    dst: &Ipv6Addr,
    oif: Option<u32>,
    addrs: impl IntoIterator<Item = LocalAddr>,
) -> Option<Route> {
    if dst.is_multicast() || needs_interface(dst) {
        let prefix_len = if dst.is_multicast() { 8 } else { 64 };
        // Without an interface, mainline's lookup takes the first of the per-device
        // fe80::/64 and ff00::/8 routes: those of the first interface that came up
        // with IPv6. Approximated by the lowest interface index with a link-local
        // address until the FIB keeps routes in insertion order.
        let ifindex = oif.or_else(|| {
            addrs
                .into_iter()
                .filter(|a| a.addr.segments()[0] & 0xffc0 == 0xfe80)
                .map(|a| a.ifindex)
                .min()
        })?;
        return Some(Route {
            ifindex,
            prefix_len,
        });
    }
    addrs
        .into_iter()
        .filter(|a| {
            a.prefix_len < 128
                && a.flags & ifa_flags::NOPREFIXROUTE == 0
                && oif.is_none_or(|o| o == a.ifindex)
                && in_prefix(dst, &a.addr, a.prefix_len)
        })
        .max_by_key(|a| a.prefix_len)
        .map(|a| Route {
            ifindex: a.ifindex,
            prefix_len: a.prefix_len,
        })
}

/// Where a locally generated packet to `dst` goes, as mainline's local table and then
/// its main table send it: to one of the node's own usable addresses (`::1` included)
/// through the loopback device `lo` (a link-scoped one only on its interface `oif`),
/// otherwise by [`connected_route`]. The local route has prefix length 128.
pub fn output_route(
    dst: &Ipv6Addr,
    oif: Option<u32>,
    lo: u32,
    addrs: impl IntoIterator<Item = LocalAddr> + Clone,
) -> Option<Route> {
    let local = addrs.clone().into_iter().any(|a| {
        a.addr == *dst
            && a.usable()
            && a.flags & ifa_flags::TENTATIVE == 0
            && (!needs_scope_id(dst) || oif == Some(a.ifindex))
    });
    if local {
        return Some(Route {
            ifindex: lo,
            prefix_len: 128,
        });
    }
    connected_route(dst, oif, addrs)
}

/// Chooses the source address for `dst` leaving through `oif` (RFC 6724 §5).
pub fn select_source(
    dst: &Ipv6Addr,
    oif: u32,
    addrs: impl IntoIterator<Item = LocalAddr>,
) -> Option<Ipv6Addr> {
    let dscope = dst_scope(dst);
    let link_scoped = needs_interface(dst);
    let mut best: Option<LocalAddr> = None;
    for cand in addrs {
        if !cand.usable() || (link_scoped && cand.ifindex != oif) {
            continue;
        }
        // Rule 1: prefer the destination itself.
        if cand.addr == *dst {
            return Some(cand.addr);
        }
        let Some(b) = best else {
            best = Some(cand);
            continue;
        };
        if prefer(&cand, &b, dst, dscope, oif) {
            best = Some(cand);
        }
    }
    best.map(|b| b.addr)
}

/// Whether `a` is a better source than `b` for `dst`.
fn prefer(a: &LocalAddr, b: &LocalAddr, dst: &Ipv6Addr, dscope: u8, oif: u32) -> bool {
    // Rule 2: appropriate scope: the smallest scope not below the destination's, else
    // the largest.
    let (sa, sb) = (addr_src_scope(&a.addr), addr_src_scope(&b.addr));
    if sa != sb {
        return if sa < sb { sa >= dscope } else { sb < dscope };
    }
    // Rule 3: avoid deprecated addresses.
    let (da, db) = (
        a.flags & ifa_flags::DEPRECATED != 0,
        b.flags & ifa_flags::DEPRECATED != 0,
    );
    if da != db {
        return !da;
    }
    // Rule 5: prefer the outgoing interface.
    let (ia, ib) = (a.ifindex == oif, b.ifindex == oif);
    if ia != ib {
        return ia;
    }
    // Rule 8: longest matching prefix (up to the address's own prefix length).
    let ma = common_prefix_len(&a.addr, dst).min(a.prefix_len);
    let mb = common_prefix_len(&b.addr, dst).min(b.prefix_len);
    ma > mb
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(addr: &str, prefix_len: u8, flags: u32, ifindex: u32) -> LocalAddr {
        LocalAddr {
            addr: addr.parse().unwrap(),
            prefix_len,
            flags,
            ifindex,
        }
    }

    fn ip(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    #[test]
    fn routes_through_connected_prefixes() {
        let addrs = [
            a("2001:db8:1::1", 64, 0, 2),
            a("2001:db8::1", 32, 0, 3),
            a("2001:db8:2::1", 64, ifa_flags::NOPREFIXROUTE, 4),
            a("fe80::1", 64, 0, 2),
        ];
        let r = |dst: &str, oif| {
            connected_route(&ip(dst), oif, addrs).map(|r| (r.ifindex, r.prefix_len))
        };
        assert_eq!(r("2001:db8:1::9", None), Some((2, 64)));
        assert_eq!(r("2001:db8:3::9", None), Some((3, 32)));
        assert_eq!(r("2001:db8:2::9", None), Some((3, 32)));
        assert_eq!(r("2001:db9::9", None), None);
        assert_eq!(r("fe80::9", None), Some((2, 64)));
        assert_eq!(r("fe80::9", Some(2)), Some((2, 64)));
        assert_eq!(r("ff02::1", Some(3)), Some((3, 8)));
    }

    #[test]
    fn own_addresses_go_through_loopback() {
        let addrs = [
            a("::1", 128, 0, 1),
            a("2001:db8:1::1", 64, 0, 2),
            a("2001:db8:1::2", 64, ifa_flags::TENTATIVE, 2),
            a("fe80::1", 64, 0, 2),
        ];
        let r = |dst: &str, oif| {
            output_route(&ip(dst), oif, 1, addrs).map(|r| (r.ifindex, r.prefix_len))
        };
        assert_eq!(r("::1", None), Some((1, 128)));
        assert_eq!(r("2001:db8:1::1", None), Some((1, 128)));
        assert_eq!(r("2001:db8:1::2", None), Some((2, 64)));
        assert_eq!(r("2001:db8:1::9", None), Some((2, 64)));
        assert_eq!(r("fe80::1", Some(2)), Some((1, 128)));
        assert_eq!(r("fe80::1", Some(3)), Some((3, 64)));
        assert_eq!(r("2001:db9::1", None), None);
    }

    #[test]
    fn picks_sources_as_rfc_6724() {
        let addrs = [
            a("fe80::1", 64, 0, 2),
            a("2001:db8:1::1", 64, 0, 2),
            a("2001:db8:1::2", 64, ifa_flags::DEPRECATED, 2),
            a("2001:db8:9::1", 64, ifa_flags::TENTATIVE, 2),
            a("fe80::3", 64, 0, 3),
        ];
        assert_eq!(select_source(&ip("fe80::9"), 2, addrs), Some(ip("fe80::1")));
        assert_eq!(select_source(&ip("fe80::9"), 3, addrs), Some(ip("fe80::3")));
        assert_eq!(select_source(&ip("ff02::1"), 2, addrs), Some(ip("fe80::1")));
        assert_eq!(
            select_source(&ip("2001:db8:5::1"), 2, addrs),
            Some(ip("2001:db8:1::1"))
        );
        assert_eq!(
            select_source(&ip("2001:db8:1::2"), 2, addrs),
            Some(ip("2001:db8:1::2"))
        );
        // A tentative address is never chosen, not even for itself.
        assert_eq!(
            select_source(&ip("2001:db8:9::1"), 2, addrs),
            Some(ip("2001:db8:1::1"))
        );
        assert_eq!(select_source(&ip("fe80::9"), 4, addrs), None);
    }
}
