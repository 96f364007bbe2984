// SPDX-License-Identifier: GPL-2.0

//! What the symbols mainline's `ipv6.ko` exports do here (`crate::net::exports`): each
//! is carried out by the handler of the mainline file that defines it.

#![forbid(unsafe_code)]

use crate::{
    fib::rtf,
    flow::FlowKeys,
    ipv6::{ip6_fib, ip6_input, mcast, ndisc, pmtu},
    net::{
        device::{NetDevice, RxDev},
        exports::{DstRoute, Exported},
        ifaddr,
        netns::Net,
        rcu::Rcu,
        skb::{Skb, SkbRef},
    },
    wire::ipv6::header_addrs,
};
use core::net::Ipv6Addr;

/// The handlers behind the exported symbols.
pub(crate) struct Ipv6Exports;

impl Exported for Ipv6Exports {
    /// `ipv6_dev_get_saddr()` (addrconf.c): with a device given, the core keeps to its
    /// addresses where mainline does.
    fn dev_get_saddr(
        net: &Net,
        dev: Option<&RxDev<'_>>,
        daddr: &Ipv6Addr,
        _prefs: u32,
        rcu: &Rcu,
    ) -> Option<Ipv6Addr> {
        let ifindex = dev.map_or(0, |d| d.ifindex());
        ip6_input::source_for(net, daddr, ifindex, ifaddr::net_addrs(net, rcu))
    }

    /// `ipv6_chk_addr()` (addrconf.c).
    fn chk_addr(
        net: &Net,
        addr: &Ipv6Addr,
        dev: Option<&RxDev<'_>>,
        strict: bool,
        _rcu: &Rcu,
    ) -> bool {
        ip6_input::chk_addr(net, addr, dev.map(|d| d.ifindex()), strict)
    }

    /// `ipv6_dev_mc_inc()` and `ipv6_dev_mc_dec()` (mcast.c).
    fn dev_mc_change(dev: &NetDevice, group: &Ipv6Addr, join: bool) -> Result<(), i32> {
        if join {
            mcast::inc(dev, group)
        } else {
            mcast::dec(dev, group)
        }
    }

    /// `ip6_route_output_flags()` and `rt6_lookup()` (route.c): the FIB's answer with
    /// the destination's exception, if any; our own and anycast addresses through `lo`.
    fn route_lookup(
        net: &Net,
        dst: &Ipv6Addr,
        src: Option<Ipv6Addr>,
        oif: u32,
        strict: bool,
        keys: FlowKeys,
        _rcu: &Rcu,
    ) -> Result<DstRoute, (i32, Option<DstRoute>)> {
        let mut flow = ip6_fib::Flow::output(*dst, src, oif, strict);
        flow.keys = keys;
        let r = ip6_fib::lookup(net, &flow).map_err(|e| (e, None))?.route;
        let dr = DstRoute {
            ifindex: ip6_input::out_dev(&r),
            dst: r.dst,
            dst_len: r.dst_len,
            flags: r.flags | rtf::UP,
            gateway: r.gateway,
            mtu: r.mtu,
            hoplimit: r.hoplimit,
            advmss: r.advmss,
        };
        if r.is_reject() {
            return Err((ip6_fib::reject_errno(r.kind), Some(dr)));
        }
        Ok(dr)
    }

    /// `ip6_update_pmtu()` (route.c).
    fn update_pmtu(net: &Net, dst: &Ipv6Addr, src: &Ipv6Addr, oif: u32, keys: FlowKeys, mtu: u32) {
        pmtu::update(net, dst, src, oif, keys, mtu);
    }

    /// `ip6_redirect()` (route.c), for the addresses of the quoted packet.
    fn redirect(skb: SkbRef<'_>, oif: u32, keys: FlowKeys) {
        if let Some((src, dst)) = header_addrs(skb.data()) {
            ndisc::sk_redirect(skb, oif, keys, &src, &dst);
        }
    }

    /// `ip6_output()` (ip6_output.c) for another module's packet.
    fn dst_output(skb: Skb, dev: &RxDev<'_>, nexthop: &Ipv6Addr, mtu: u32) -> bool {
        ip6_input::output(skb, dev, nexthop, mtu)
    }
}
