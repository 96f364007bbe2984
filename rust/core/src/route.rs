// SPDX-License-Identifier: GPL-2.0

//! Scope rules and source address selection for locally generated packets (routes
//! themselves are in [`crate::fib`]).
//!
//! Source selection follows RFC 6724 §5 rules 1, 2, 3, 5, 6, 7 and 8, then mainline's
//! ORCHID and not-optimistic rules (mainline
//! `ipv6_dev_get_saddr()`), with the labels of `ip addrlabel` ([`crate::addrlabel`]).

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
    /// Its device prefers temporary addresses (`use_tempaddr` 2 or more), for rule 7.
    pub prefer_temporary: bool,
    /// Its device uses optimistic addresses as sources (`optimistic_dad` and
    /// `use_optimistic`), for rule 3.
    pub use_optimistic: bool,
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

/// Chooses the source address for `dst` leaving through `oif` (RFC 6724 §5).
///
/// Candidates are the addresses of `oif` alone for destinations of link scope or
/// narrower, and, with an `oif`, for multicast destinations and where the device says
/// `use_oif_addrs_only` (`oif_addrs_only`), as mainline's `ipv6_dev_get_saddr()`;
/// else every address. `label(addr, ifindex)` is the label of an address on a device
/// (the destination's with the outgoing interface), for rule 6.
pub fn select_source(
    dst: &Ipv6Addr,
    oif: u32,
    oif_addrs_only: bool,
    addrs: impl IntoIterator<Item = LocalAddr>,
    label: impl Fn(&Ipv6Addr, u32) -> u32,
) -> Option<Ipv6Addr> {
    let dst_label = label(dst, oif);
    let dscope = dst_scope(dst);
    let only_oif = needs_interface(dst) || (oif != 0 && (dst.is_multicast() || oif_addrs_only));
    let mut best: Option<LocalAddr> = None;
    for cand in addrs {
        if !cand.usable() || (only_oif && cand.ifindex != oif) {
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
        let labels = |x: &LocalAddr| label(&x.addr, x.ifindex) == dst_label;
        if prefer(&cand, &b, dst, dscope, oif, labels) {
            best = Some(cand);
        }
    }
    best.map(|b| b.addr)
}

/// Whether `a` is a better source than `b` for `dst`.
fn prefer(
    a: &LocalAddr,
    b: &LocalAddr,
    dst: &Ipv6Addr,
    dscope: u8,
    oif: u32,
    label_matches: impl Fn(&LocalAddr) -> bool,
) -> bool {
    // Rule 2: appropriate scope: the smallest scope not below the destination's, else
    // the largest.
    let (sa, sb) = (addr_src_scope(&a.addr), addr_src_scope(&b.addr));
    if sa != sb {
        return if sa < sb { sa >= dscope } else { sb < dscope };
    }
    // Rule 3: avoid deprecated addresses, and optimistic ones where the device does not
    // use them as sources.
    let avoided = |x: &LocalAddr| {
        let optimistic = if x.use_optimistic {
            0
        } else {
            ifa_flags::OPTIMISTIC
        };
        x.flags & (ifa_flags::DEPRECATED | optimistic) != 0
    };
    let (da, db) = (avoided(a), avoided(b));
    if da != db {
        return !da;
    }
    // Rule 4 (home addresses) is built in mainline only with CONFIG_IPV6_MIP6=y, not
    // with the module.
    // Rule 5: prefer the outgoing interface.
    let (ia, ib) = (a.ifindex == oif, b.ifindex == oif);
    if ia != ib {
        return ia;
    }
    // Rule 6: prefer a label that matches the destination's.
    let (la, lb) = (label_matches(a), label_matches(b));
    if la != lb {
        return la;
    }
    // Rule 7: prefer public addresses, or temporary ones where the device's
    // `use_tempaddr` is 2 or more (mainline's IPV6_SADDR_RULE_PRIVACY).
    let privacy = |x: &LocalAddr| (x.flags & ifa_flags::TEMPORARY == 0) != x.prefer_temporary;
    let (pa, pb) = (privacy(a), privacy(b));
    if pa != pb {
        return pa;
    }
    // Rule 8-: ORCHID with ORCHID, others with others.
    let (oa, ob) = (
        is_orchid(&a.addr) == is_orchid(dst),
        is_orchid(&b.addr) == is_orchid(dst),
    );
    if oa != ob {
        return oa;
    }
    // Rule 8: longest matching prefix (up to the address's own prefix length).
    let ma = common_prefix_len(&a.addr, dst).min(a.prefix_len);
    let mb = common_prefix_len(&b.addr, dst).min(b.prefix_len);
    if ma != mb {
        return ma > mb;
    }
    // Last: optimistic addresses after all others that are equal so far
    // (IPV6_SADDR_RULE_NOT_OPTIMISTIC).
    let (na, nb) = (
        a.flags & ifa_flags::OPTIMISTIC == 0,
        b.flags & ifa_flags::OPTIMISTIC == 0,
    );
    na && !nb
}

/// An ORCHID (RFC 4843, 2001:10::/28: `ipv6_addr_orchid()`).
fn is_orchid(a: &Ipv6Addr) -> bool {
    let s = a.segments();
    s[0] == 0x2001 && s[1] & 0xfff0 == 0x0010
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
            prefer_temporary: false,
            use_optimistic: false,
        }
    }

    fn ip(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    fn no_labels(_: &Ipv6Addr, _: u32) -> u32 {
        crate::addrlabel::DEFAULT_LABEL
    }

    #[test]
    fn optimistic_addresses_as_sources() {
        let o = ifa_flags::TENTATIVE | ifa_flags::OPTIMISTIC;
        let opt = a("2001:db8:1::1", 64, o, 2);
        let other = a("2001:db8:2::1", 64, 0, 2);
        let dst = ip("2001:db8:1::9");
        // Usable, as the only candidate.
        assert_eq!(
            select_source(&dst, 2, false, [opt], no_labels),
            Some(opt.addr)
        );
        // Rule 3 avoids it without use_optimistic, though rule 8 would prefer it.
        assert_eq!(
            select_source(&dst, 2, false, [opt, other], no_labels),
            Some(other.addr)
        );
        // With use_optimistic, rule 8 decides.
        let used = LocalAddr {
            use_optimistic: true,
            ..opt
        };
        assert_eq!(
            select_source(&dst, 2, false, [other, used], no_labels),
            Some(used.addr)
        );
        // Equal up to rule 8: the one that is not optimistic.
        let twin = a("2001:db8:1::2", 64, 0, 2);
        let far = ip("2001:db8:1::8000:0:0:9");
        assert_eq!(
            select_source(&far, 2, false, [used, twin], no_labels),
            Some(twin.addr)
        );
        assert_eq!(
            select_source(&far, 2, false, [twin, used], no_labels),
            Some(twin.addr)
        );
    }

    #[test]
    fn outgoing_interface_only_as_mainline() {
        // Device 2 has only a link-local address, device 3 a global one: rule 2 prefers
        // the global address wherever both are candidates.
        let addrs = [a("fe80::1", 64, 0, 2), a("2001:db8:9::1", 64, 0, 3)];
        let dst = ip("2001:db8:9::5");
        assert_eq!(
            select_source(&dst, 2, false, addrs, no_labels),
            Some(ip("2001:db8:9::1"))
        );
        assert_eq!(
            select_source(&dst, 2, true, addrs, no_labels),
            Some(ip("fe80::1"))
        );
        // Multicast keeps to the interface given, if any.
        let mc = ip("ff0e::9");
        assert_eq!(
            select_source(&mc, 2, false, addrs, no_labels),
            Some(ip("fe80::1"))
        );
        assert_eq!(
            select_source(&mc, 3, false, addrs, no_labels),
            Some(ip("2001:db8:9::1"))
        );
        assert_eq!(
            select_source(&mc, 0, false, addrs, no_labels),
            Some(ip("2001:db8:9::1"))
        );
    }

    #[test]
    fn orchids_with_orchids() {
        let orchid = a("2001:10::1", 28, 0, 2);
        let other = a("2001:db8::1", 32, 0, 2);
        assert_eq!(
            select_source(&ip("2001:10::9"), 2, false, [other, orchid], no_labels),
            Some(orchid.addr)
        );
        assert_eq!(
            select_source(&ip("2001:20::9"), 2, false, [orchid, other], no_labels),
            Some(other.addr)
        );
    }

    #[test]
    fn rule_6_prefers_matching_labels() {
        // Rule 8 alone would pick 2001:db8:1::1 for 2001:db8:1:: destinations; a label
        // shared by the destination and 2001:db8:2::1 wins over it.
        let addrs = [a("2001:db8:1::1", 64, 0, 2), a("2001:db8:2::1", 64, 0, 2)];
        let dst = ip("2001:db8:1::9");
        assert_eq!(
            select_source(&dst, 2, false, addrs, no_labels),
            Some(ip("2001:db8:1::1"))
        );
        let labels = |x: &Ipv6Addr, _: u32| u32::from(x.segments()[2] == 2 || *x == dst);
        assert_eq!(
            select_source(&dst, 2, false, addrs, labels),
            Some(ip("2001:db8:2::1"))
        );
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
        assert_eq!(
            select_source(&ip("fe80::9"), 2, false, addrs, no_labels),
            Some(ip("fe80::1"))
        );
        assert_eq!(
            select_source(&ip("fe80::9"), 3, false, addrs, no_labels),
            Some(ip("fe80::3"))
        );
        assert_eq!(
            select_source(&ip("ff02::1"), 2, false, addrs, no_labels),
            Some(ip("fe80::1"))
        );
        assert_eq!(
            select_source(&ip("2001:db8:5::1"), 2, false, addrs, no_labels),
            Some(ip("2001:db8:1::1"))
        );
        assert_eq!(
            select_source(&ip("2001:db8:1::2"), 2, false, addrs, no_labels),
            Some(ip("2001:db8:1::2"))
        );
        // A tentative address is never chosen, not even for itself.
        assert_eq!(
            select_source(&ip("2001:db8:9::1"), 2, false, addrs, no_labels),
            Some(ip("2001:db8:1::1"))
        );
        assert_eq!(
            select_source(&ip("fe80::9"), 4, false, addrs, no_labels),
            None
        );
    }

    #[test]
    fn rule_7_public_unless_use_tempaddr_2() {
        let t = ifa_flags::TEMPORARY;
        let mut addrs = [a("2001:db8:1::1", 64, 0, 2), a("2001:db8:1::77", 64, t, 2)];
        let dst = ip("2001:db8:5::1");
        assert_eq!(
            select_source(&dst, 2, false, addrs, no_labels),
            Some(ip("2001:db8:1::1"))
        );
        for x in &mut addrs {
            x.prefer_temporary = true;
        }
        assert_eq!(
            select_source(&dst, 2, false, addrs, no_labels),
            Some(ip("2001:db8:1::77"))
        );
        // Rule 3 comes first: a deprecated temporary address loses.
        addrs[1].flags |= ifa_flags::DEPRECATED;
        assert_eq!(
            select_source(&dst, 2, false, addrs, no_labels),
            Some(ip("2001:db8:1::1"))
        );
    }
}
