// SPDX-License-Identifier: GPL-2.0

//! Policy routing (mainline `net/ipv6/fib6_rules.c`): the AF_INET6 rules of the
//! kernel's rule core (`net/core/fib_rules.c`), which owns the rule list and answers
//! `ip -6 rule` (`RTM_NEWRULE`/`RTM_DELRULE`/`RTM_GETRULE`, notifications to
//! `RTNLGRP_IPV6_RULE`) with its generic selectors (interfaces, fwmark, uid range,
//! goto/nop, suppression). Each namespace registers its `fib_rules_ops` with the
//! default rules `0: lookup local` and `32766: lookup main`.
//!
//! The netlink side of a rule (its prefixes and DSCP) is C marshalling in
//! `include/helpers.c`; what a rule matches, what its action makes of a lookup and
//! when a result is suppressed are decided here and in [`crate::rules`].

#![forbid(unsafe_code)]

use crate::errno;
use crate::ipv6::{
    ip6_fib::{self, Flow, Found},
    ip6_input,
};
use crate::net::{
    fib_rules::{self, RuleWalk},
    netns::Net,
    rcu::Rcu,
};
use crate::rules::{action_error, suppressed, Selector};

/// A lookup in progress through the rules: the flow and what the actions found.
struct RuleLookup<'a> {
    net: &'a Net,
    flow: Flow,
    result: Option<Found>,
}

impl RuleWalk for RuleLookup<'_> {
    /// `__fib6_rule_action()`: reject, or look the flow up in the rule's table;
    /// nothing there (or a `throw` route, or, for a rule that finds the source, a
    /// source outside its `from`) sends the lookup on to the next rule.
    fn action(&mut self, act: u8, table: u32, sel: &Selector) -> i32 {
        self.result = None;
        if let Some(e) = action_error(act) {
            return -e;
        }
        let Some(found) = ip6_fib::lookup_table(self.net, table, &self.flow) else {
            return -errno::EAGAIN;
        };
        let r = found.route;
        if r.is_reject() {
            self.result = Some(found);
            return -ip6_fib::reject_errno(r.kind);
        }
        if sel.needs_found_source(self.flow.src.is_some()) {
            let rcu = Rcu::read_lock();
            let sdev = ip6_fib::source_dev(self.net, &r);
            let addrs = crate::net::ifaddr::net_addrs(self.net, &rcu);
            let src = ip6_input::source_for(self.net, &self.flow.dst, sdev, addrs);
            if !sel.accepts_found_source(src) {
                return -errno::EAGAIN;
            }
        }
        self.result = Some(found);
        0
    }

    /// `fib6_rule_suppress()`.
    fn suppress(&mut self, prefixlen: i32, ifgroup: i32) -> bool {
        let Some(found) = self.result else {
            return false;
        };
        let group = self.net.dev_group(found.route.ifindex, &Rcu::read_lock());
        if suppressed(found.route.dst_len, prefixlen, group, ifgroup) {
            self.result = None;
            return true;
        }
        false
    }
}

/// Gives the rule callbacks their decisions; before any namespace registers rules.
pub(crate) fn init() {
    fib_rules::init();
}

/// Whether `net` ever had a rule added (`fib6_has_custom_rules`): until then lookups
/// go to the local and main tables directly.
pub(crate) fn has_custom_rules(net: &Net) -> bool {
    fib_rules::has_custom_rules(net)
}

/// `fib_rules_lookup()` for `f`: see [`ip6_fib::lookup`].
pub(crate) fn lookup(net: &Net, f: &Flow) -> Result<Found, i32> {
    let mut l = RuleLookup {
        net,
        flow: *f,
        result: None,
    };
    let err = fib_rules::lookup(net, f, &mut l);
    match (l.result, err) {
        (Some(found), _) => Ok(found),
        (None, e) if e < 0 && e != -errno::ESRCH && e != -errno::EAGAIN => Err(-e),
        _ => Err(errno::ENETUNREACH),
    }
}
