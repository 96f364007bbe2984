// SPDX-License-Identifier: GPL-2.0

//! What IPv6 does for the kernel's nexthop objects (mainline `route.c`'s
//! `fib6_nh_init()` checks and the `f6i_list` operations): checking a next hop as a
//! route's is, and deleting, announcing and flushing the routes that use an object.
//! The objects themselves and our stub are the kernel layer's (`net/nexthop.rs`).

#![forbid(unsafe_code)]

use crate::ipv6::{ip6_fib, pmtu, route};
use crate::net::{netlink::Origin, netns::Net, nexthop::NexthopHooks};
use core::{ffi::CStr, net::Ipv6Addr};

/// IPv6's side of the nexthop objects.
pub(crate) struct Ipv6Nexthops;

impl NexthopHooks for Ipv6Nexthops {
    fn validate(
        net: &Net,
        table: u32,
        ifindex: u32,
        gw: Option<Ipv6Addr>,
        flags: u32,
    ) -> Result<u32, (i32, Option<&'static CStr>)> {
        route::check_nexthop_object(net, table, ifindex, gw, flags)
    }

    fn del_routes(net: &Net, id: u32, notify: bool) {
        ip6_fib::remove_all_with(net, |_, r| r.nhid == id, notify);
    }

    fn announce(net: &Net, id: u32, origin: Origin) {
        ip6_fib::announce_all(net, |r| r.nhid == id, origin);
    }

    fn flush(net: &Net, id: u32) {
        pmtu::purge_nexthop(net, id);
    }
}
