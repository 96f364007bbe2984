// SPDX-License-Identifier: GPL-2.0

//! Policy routing rules (mainline `net/ipv6/fib6_rules.c`): what an AF_INET6 rule
//! matches beyond the selectors the kernel's rule core checks itself (interfaces, mark,
//! user ids, tunnel id), and what a rule's action makes of a lookup.
//!
//! The rules live in the kernel's `net/core/fib_rules.c` list (so `ip -6 rule` is its
//! netlink code); the glue hands their selectors and the flow here as plain values.

use core::net::Ipv6Addr;

/// `FR_ACT_*` rule actions (`include/uapi/linux/fib_rules.h`).
pub mod action {
    /// Look the destination up in the rule's table.
    pub const TO_TBL: u8 = 1;
    /// Jump to another rule.
    pub const GOTO: u8 = 2;
    /// Do nothing, go on.
    pub const NOP: u8 = 3;
    /// Drop silently.
    pub const BLACKHOLE: u8 = 6;
    /// Network unreachable.
    pub const UNREACHABLE: u8 = 7;
    /// Administratively prohibited.
    pub const PROHIBIT: u8 = 8;
}

/// Linux errno values of rule actions and lookups.
pub use crate::errno;

/// An AF_INET6 rule's own selectors (`struct fib6_rule` and the protocol and port
/// selectors of `struct fib_rule`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selector {
    /// `to` prefix (length 0: any).
    pub dst: Ipv6Addr,
    /// Its length.
    pub dst_len: u8,
    /// `from` prefix (length 0: any).
    pub src: Ipv6Addr,
    /// Its length.
    pub src_len: u8,
    /// DSCP (`tos`/`dsfield` without the ECN bits, or `dscp`), 0: any.
    pub dscp: u8,
    /// `ipproto`, 0: any.
    pub ip_proto: u8,
    /// `sport` range, inclusive; (0, 0): any.
    pub sport: (u16, u16),
    /// `dport` range, inclusive; (0, 0): any.
    pub dport: (u16, u16),
    /// `FIB_RULE_FIND_SADDR`: a flow without a source still matches `from`; the source
    /// the route gives is checked after the lookup.
    pub find_saddr: bool,
}

/// What a lookup knows of the packet, for [`Selector::matches`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flow {
    /// Destination.
    pub dst: Ipv6Addr,
    /// Source, if the flow has one (`RT6_LOOKUP_F_HAS_SADDR`).
    pub src: Option<Ipv6Addr>,
    /// DSCP of the traffic class (`ip6_dscp()`).
    pub dscp: u8,
    /// Upper-layer protocol, 0 if unknown.
    pub proto: u8,
    /// Source port, host order.
    pub sport: u16,
    /// Destination port, host order.
    pub dport: u16,
}

fn prefix_eq(a: &Ipv6Addr, b: &Ipv6Addr, len: u8) -> bool {
    crate::fib::prefix(a, len.min(128)) == crate::fib::prefix(b, len.min(128))
}

fn in_range((lo, hi): (u16, u16), port: u16) -> bool {
    (lo, hi) == (0, 0) || (lo..=hi).contains(&port)
}

impl Default for Selector {
    /// A rule matching everything.
    fn default() -> Self {
        Self {
            dst: Ipv6Addr::UNSPECIFIED,
            dst_len: 0,
            src: Ipv6Addr::UNSPECIFIED,
            src_len: 0,
            dscp: 0,
            ip_proto: 0,
            sport: (0, 0),
            dport: (0, 0),
            find_saddr: false,
        }
    }
}

impl Selector {
    /// `fib6_rule_match()`.
    pub fn matches(&self, f: &Flow) -> bool {
        if self.dst_len != 0 && !prefix_eq(&f.dst, &self.dst, self.dst_len) {
            return false;
        }
        if self.src_len != 0 {
            match f.src {
                Some(s) if !prefix_eq(&s, &self.src, self.src_len) => return false,
                None if !self.find_saddr => return false,
                _ => {}
            }
        }
        (self.dscp == 0 || self.dscp == f.dscp)
            && (self.ip_proto == 0 || self.ip_proto == f.proto)
            && in_range(self.sport, f.sport)
            && in_range(self.dport, f.dport)
    }

    /// With `FIB_RULE_FIND_SADDR`, whether the source the route's device gives keeps
    /// the rule (`__fib6_rule_action()`); `None`: no source, so no.
    pub fn accepts_found_source(&self, src: Option<Ipv6Addr>) -> bool {
        src.is_some_and(|s| prefix_eq(&s, &self.src, self.src_len))
    }

    /// Whether the rule must check a source found after the lookup.
    pub fn needs_found_source(&self, has_saddr: bool) -> bool {
        self.find_saddr && self.src_len != 0 && !has_saddr
    }
}

/// The error a non-lookup action gives (`__fib6_rule_action()`); `None` for a table
/// lookup. Unknown actions are blackholes, as mainline makes them.
pub fn action_error(act: u8) -> Option<i32> {
    match act {
        action::TO_TBL => None,
        action::UNREACHABLE => Some(errno::ENETUNREACH),
        action::PROHIBIT => Some(errno::EACCES),
        _ => Some(errno::EINVAL),
    }
}

/// `fib6_rule_suppress()`: a route from the rule's table is not taken if its prefix is
/// not longer than `suppress_prefixlength`, or its device is in `suppress_ifgroup`
/// (-1: none).
pub fn suppressed(
    route_dst_len: u8,
    suppress_prefixlen: i32,
    dev_group: Option<i32>,
    suppress_ifgroup: i32,
) -> bool {
    i32::from(route_dst_len) <= suppress_prefixlen
        || (suppress_ifgroup != -1 && dev_group == Some(suppress_ifgroup))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    fn flow(dst: &str, src: Option<&str>) -> Flow {
        Flow {
            dst: ip(dst),
            src: src.map(ip),
            dscp: 0,
            proto: 0,
            sport: 0,
            dport: 0,
        }
    }

    #[test]
    fn prefixes() {
        let any = Selector::default();
        assert!(any.matches(&flow("2001:db8::1", None)));
        let to = Selector {
            dst: ip("2001:db8:1::"),
            dst_len: 48,
            ..any
        };
        assert!(to.matches(&flow("2001:db8:1:2::1", None)));
        assert!(!to.matches(&flow("2001:db8:2::1", None)));
        let from = Selector {
            src: ip("2001:db8:a::"),
            src_len: 64,
            ..any
        };
        assert!(from.matches(&flow("::1", Some("2001:db8:a::5"))));
        assert!(!from.matches(&flow("::1", Some("2001:db8:b::5"))));
        // Without a source, only a FIND_SADDR rule matches, checked after the lookup.
        assert!(!from.matches(&flow("::1", None)));
        let find = Selector {
            find_saddr: true,
            ..from
        };
        assert!(find.matches(&flow("::1", None)));
        assert!(find.needs_found_source(false) && !find.needs_found_source(true));
        assert!(find.accepts_found_source(Some(ip("2001:db8:a::9"))));
        assert!(!find.accepts_found_source(Some(ip("2001:db8:b::9"))));
        assert!(!find.accepts_found_source(None));
    }

    #[test]
    fn dscp_protocol_ports() {
        let sel = Selector {
            dscp: 4,
            ip_proto: 6,
            sport: (666, 666),
            dport: (700, 800),
            ..Selector::default()
        };
        let f = Flow {
            dscp: 4,
            proto: 6,
            sport: 666,
            dport: 777,
            ..flow("::1", None)
        };
        assert!(sel.matches(&f));
        assert!(!sel.matches(&Flow { dscp: 8, ..f }));
        assert!(!sel.matches(&Flow { proto: 17, ..f }));
        assert!(!sel.matches(&Flow { sport: 667, ..f }));
        assert!(!sel.matches(&Flow { dport: 801, ..f }));
    }

    #[test]
    fn actions_and_suppression() {
        assert_eq!(action_error(action::TO_TBL), None);
        assert_eq!(action_error(action::UNREACHABLE), Some(errno::ENETUNREACH));
        assert_eq!(action_error(action::PROHIBIT), Some(errno::EACCES));
        assert_eq!(action_error(action::BLACKHOLE), Some(errno::EINVAL));
        assert!(suppressed(0, 0, None, -1));
        assert!(!suppressed(64, 0, None, -1));
        assert!(!suppressed(64, -1, None, -1));
        assert!(suppressed(64, -1, Some(5), 5));
        assert!(!suppressed(64, -1, Some(4), 5));
    }
}
