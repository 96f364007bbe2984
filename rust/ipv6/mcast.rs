// SPDX-License-Identifier: GPL-2.0

//! Multicast membership at the link layer (mainline `net/ipv6/mcast.c`, the part that
//! programs the device's filter): the groups a node must hear for neighbour discovery.
//! The device's own address list counts references, so joins and leaves pair up.
//! MLD reports and `/proc/net/igmp6` come with the MLD state machine.

use crate::bindings;
use crate::net::device::NetDevice;
use core::net::Ipv6Addr;
use kernel::prelude::*;

/// Joins (`join`) or leaves `group` on `dev`'s link-layer multicast filter. Under RTNL.
pub(crate) fn change(dev: &NetDevice, group: &Ipv6Addr, join: bool) {
    let g = crate::net::in6(&group);
    // SAFETY: live device under RTNL (NetDevice invariant); the helper copies `g`.
    let rc = unsafe { bindings::ipv6_rs_dev_mc_change(dev.as_ptr(), &g, join) };
    if rc != 0 && join {
        pr_warn!(
            "{}: cannot join multicast group {}: {}\n",
            dev.name(),
            group,
            rc
        );
    }
}
