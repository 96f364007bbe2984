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

use crate::net::rcu::Rcu;

use crate::ipv6::{
    ip6_fib::{self, Flow, Found},
    ip6_input,
};
use crate::{
    bindings,
    rules::{self, action_error, suppressed, Selector},
};
use core::net::Ipv6Addr;
use kernel::ffi::{c_int, c_void};

fn addr(a: &bindings::in6_addr) -> Ipv6Addr {
    // SAFETY: every bit pattern of the in6_addr union is a valid [u8; 16].
    Ipv6Addr::from(unsafe { a.in6_u.u6_addr8 })
}

fn selector(s: &bindings::ipv6_rs_rule_sel) -> Selector {
    Selector {
        dst: addr(&s.dst),
        dst_len: s.dst_len,
        src: addr(&s.src),
        src_len: s.src_len,
        dscp: s.dscp >> 2,
        ip_proto: s.ip_proto,
        sport: (s.sport_lo, s.sport_hi),
        dport: (s.dport_lo, s.dport_hi),
        find_saddr: s.find_saddr,
    }
}

/// A lookup in progress through the rules: the flow and what the actions found.
struct RuleLookup {
    net: *mut bindings::net,
    flow: Flow,
    result: Option<Found>,
}

/// `ops->match` (`fib6_rule_match()`), after the rule core's generic selectors.
unsafe extern "C" fn rule_match(
    sel: *const bindings::ipv6_rs_rule_sel,
    f: *const bindings::ipv6_rs_flow,
    has_saddr: bool,
) -> bool {
    // SAFETY: the C trampoline passes two live values for the call.
    let (sel, f) = unsafe { (&*sel, &*f) };
    let flow = rules::Flow {
        dst: addr(&f.daddr),
        src: has_saddr.then(|| addr(&f.saddr)),
        dscp: f.tos >> 2,
        proto: f.proto,
        sport: f.sport,
        dport: f.dport,
    };
    selector(sel).matches(&flow)
}

/// `ops->action` (`__fib6_rule_action()`): reject, or look the flow up in the rule's
/// table; nothing there (or a `throw` route, or, for a rule that finds the source, a
/// source outside its `from`) sends the lookup on to the next rule.
unsafe extern "C" fn rule_action(
    data: *mut c_void,
    act: u8,
    table: u32,
    _flags: c_int,
    sel: *const bindings::ipv6_rs_rule_sel,
) -> c_int {
    // SAFETY: `data` is the `RuleLookup` that `lookup` passed, alive and not otherwise
    // used during the rule walk; `sel` is live for the call.
    let (l, sel) = unsafe { (&mut *data.cast::<RuleLookup>(), selector(&*sel)) };
    l.result = None;
    if let Some(e) = action_error(act) {
        return -e;
    }
    let Some(found) = ip6_fib::lookup_table(l.net, table, &l.flow) else {
        return -rules::errno::EAGAIN;
    };
    let r = found.route;
    if r.is_reject() {
        l.result = Some(found);
        return -ip6_fib::reject_errno(r.kind);
    }
    if sel.needs_found_source(l.flow.src.is_some()) {
        let rcu = Rcu::read_lock();
        let sdev = crate::ipv6::ip6_fib::source_dev(l.net, &r);
        let src = ip6_input::source_for(l.net, &l.flow.dst, sdev, ip6_input::addrs(l.net, &rcu));
        if !sel.accepts_found_source(src) {
            return -rules::errno::EAGAIN;
        }
    }
    l.result = Some(found);
    0
}

/// `ops->suppress` (`fib6_rule_suppress()`).
unsafe extern "C" fn rule_suppress(data: *mut c_void, prefixlen: c_int, ifgroup: c_int) -> bool {
    // SAFETY: as in `rule_action`.
    let l = unsafe { &mut *data.cast::<RuleLookup>() };
    let Some(found) = l.result else {
        return false;
    };
    let group = {
        let _rcu = Rcu::read_lock();
        // SAFETY: RCU is held for the device read.
        let g = unsafe { bindings::ipv6_rs_dev_group(l.net, found.route.ifindex as c_int) };
        (g != -1).then_some(g)
    };
    if suppressed(found.route.dst_len, prefixlen, group, ifgroup) {
        l.result = None;
        return true;
    }
    false
}

static FNS: bindings::ipv6_rs_fib6_rule_fns = bindings::ipv6_rs_fib6_rule_fns {
    match_: Some(rule_match),
    action: Some(rule_action),
    suppress: Some(rule_suppress),
};

/// Gives the rule callbacks their decisions; before any namespace registers rules.
pub(crate) fn init() {
    // SAFETY: `FNS` is static, and its functions uphold the callbacks' contracts.
    unsafe { bindings::ipv6_rs_fib6_rules_init(&FNS) };
}

/// Whether `net` ever had a rule added (`fib6_has_custom_rules`): until then lookups
/// go to the local and main tables directly.
pub(crate) fn has_custom_rules(net: *mut bindings::net) -> bool {
    // SAFETY: a live namespace.
    unsafe { bindings::ipv6_rs_fib6_has_custom_rules(net) }
}

/// `fib_rules_lookup()` for `f`: see [`ip6_fib::lookup`].
pub(crate) fn lookup(net: *mut bindings::net, f: &Flow) -> Result<Found, i32> {
    let mut l = RuleLookup {
        net,
        flow: *f,
        result: None,
    };
    let k = &f.keys;
    let cf = bindings::ipv6_rs_flow {
        daddr: crate::net::in6(&f.dst),
        saddr: crate::net::in6(&f.src.unwrap_or(Ipv6Addr::UNSPECIFIED)),
        oif: f.oif as c_int,
        iif: f.iif as c_int,
        mark: k.mark,
        uid: k.uid,
        proto: k.proto,
        tos: k.tos,
        sport: k.sport,
        dport: k.dport,
    };
    let mut flags = 0;
    if f.src.is_some() {
        flags |= bindings::RT6_LOOKUP_F_HAS_SADDR as c_int;
    }
    // SAFETY: live namespace; `l` outlives the call and is only reached by our
    // callbacks through the lookup's `lookup_data`.
    let err = unsafe { bindings::ipv6_rs_fib6_rules_lookup(net, &cf, flags, (&raw mut l).cast()) };
    match (l.result, err) {
        (Some(found), _) => Ok(found),
        (None, e) if e < 0 && e != -(bindings::ESRCH as c_int) && e != -rules::errno::EAGAIN => {
            Err(-e)
        }
        _ => Err(bindings::ENETUNREACH as i32),
    }
}
