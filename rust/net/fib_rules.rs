// SPDX-License-Identifier: GPL-2.0

//! The kernel's policy rule core (`net/core/fib_rules.c`) for AF_INET6: it owns the
//! rule list and answers `ip -6 rule`; `include/helpers.c` registers the family's
//! `fib_rules_ops` with it (the netlink side of a rule's prefixes and DSCP is C
//! marshalling there). What a rule matches is [`crate::rules`]'s; what its action does
//! with a lookup is the caller's [`RuleWalk`].

use crate::{
    bindings,
    flow::Flow,
    net::{in6, netns::Net, rcu::Rcu},
    rules::{self, Selector},
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

/// One lookup's walk through the rules: what the actions of the rules it reaches do.
pub(crate) trait RuleWalk {
    /// `ops->action` (`__fib6_rule_action()`) of a rule with AF_INET6 selectors `sel`:
    /// 0 when the walk ends here with a result, `-EAGAIN` to go on to the next rule,
    /// another negative errno to end it with that error.
    fn action(&mut self, action: u8, table: u32, sel: &Selector) -> i32;

    /// `ops->suppress` (`fib6_rule_suppress()`): whether the result just found is
    /// suppressed by the rule's `suppress_prefixlength`/`suppress_ifgroup`.
    fn suppress(&mut self, prefixlen: i32, ifgroup: i32) -> bool;
}

/// `ops->match` (`fib6_rule_match()`), after the rule core's generic selectors.
///
/// # Safety
/// Called by the C trampoline with a rule's selectors and the lookup's flow, both live
/// for the call.
unsafe extern "C" fn rule_match(
    sel: *const bindings::ipv6_rs_rule_sel,
    f: *const bindings::ipv6_rs_flow,
    has_saddr: bool,
) -> bool {
    // SAFETY: see the function's contract.
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

/// The walk a [`lookup`] passed as the rule core's `lookup_data`.
///
/// # Safety
/// `data` must be the `lookup_data` of a running [`lookup`]: a live, unaliased
/// `&mut dyn RuleWalk` for the duration of the call.
unsafe fn walk<'a>(data: *mut c_void) -> &'a mut dyn RuleWalk {
    // SAFETY: see the function's contract.
    unsafe { *data.cast::<&mut dyn RuleWalk>() }
}

/// `ops->action`.
///
/// # Safety
/// Called during a [`lookup`] with its `lookup_data` and the rule's live selectors.
unsafe extern "C" fn rule_action(
    data: *mut c_void,
    act: u8,
    table: u32,
    _flags: c_int,
    sel: *const bindings::ipv6_rs_rule_sel,
) -> c_int {
    // SAFETY: see the function's contract.
    let (w, sel) = unsafe { (walk(data), selector(&*sel)) };
    w.action(act, table, &sel)
}

/// `ops->suppress`.
///
/// # Safety
/// Called during a [`lookup`] with its `lookup_data`.
unsafe extern "C" fn rule_suppress(data: *mut c_void, prefixlen: c_int, ifgroup: c_int) -> bool {
    // SAFETY: see the function's contract.
    unsafe { walk(data) }.suppress(prefixlen, ifgroup)
}

static FNS: bindings::ipv6_rs_fib6_rule_fns = bindings::ipv6_rs_fib6_rule_fns {
    match_: Some(rule_match),
    action: Some(rule_action),
    suppress: Some(rule_suppress),
};

/// Gives the family's rule callbacks their functions; before any namespace registers
/// its rules.
pub(crate) fn init() {
    // SAFETY: `FNS` is static, and its functions keep the callbacks' contracts.
    unsafe { bindings::ipv6_rs_fib6_rules_init(&FNS) };
}

/// Whether `net` ever had a rule added (`fib6_has_custom_rules`): until then lookups
/// go to the local and main tables directly.
pub(crate) fn has_custom_rules(net: &Net) -> bool {
    // SAFETY: a live namespace (`Net`'s invariant).
    unsafe { bindings::ipv6_rs_fib6_has_custom_rules(net.as_ptr()) }
}

/// `fib_rules_lookup()` of `f` in `net`: the rules in order, each matching one's action
/// done by `w`. Returns 0 when an action ended the walk with a result, else a negative
/// errno (`-ESRCH` when no rule matched).
pub(crate) fn lookup(net: &Net, f: &Flow, mut w: &mut dyn RuleWalk) -> i32 {
    let k = &f.keys;
    let cf = bindings::ipv6_rs_flow {
        daddr: in6(&f.dst),
        saddr: in6(&f.src.unwrap_or(Ipv6Addr::UNSPECIFIED)),
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
    // SAFETY: a live namespace; `w` outlives the call and is reached only by our
    // callbacks, through the lookup's `lookup_data`, one at a time.
    unsafe { bindings::ipv6_rs_fib6_rules_lookup(net.as_ptr(), &cf, flags, (&raw mut w).cast()) }
}

impl Net {
    /// `dev->group` of the device `ifindex` of this namespace, if there is one.
    pub(crate) fn dev_group(&self, ifindex: u32, _rcu: &Rcu) -> Option<i32> {
        let ifindex = c_int::try_from(ifindex).ok()?;
        // SAFETY: a live namespace; RCU is held for the device lookup.
        let g = unsafe { bindings::ipv6_rs_dev_group(self.as_ptr(), ifindex) };
        (g != -1).then_some(g)
    }
}
