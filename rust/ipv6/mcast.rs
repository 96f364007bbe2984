// SPDX-License-Identifier: GPL-2.0

//! Multicast membership at the link layer (mainline `net/ipv6/mcast.c`, the part that
//! programs the device's filter): the groups a node must hear for neighbour discovery.
//! The device's own address list counts references, so joins and leaves pair up.
//! MLD reports and `/proc/net/igmp6` come with the MLD state machine.

#![forbid(unsafe_code)]

use crate::net::device::NetDevice;
use core::net::Ipv6Addr;
use kernel::prelude::*;

/// Joins (`join`) or leaves `group` on `dev`'s link-layer multicast filter. Under RTNL.
pub(crate) fn change(dev: &NetDevice, group: &Ipv6Addr, join: bool) {
    if let Err(e) = dev.mc_filter(group, join) {
        if join {
            pr_warn!(
                "{}: cannot join multicast group {}: {}\n",
                dev.name(),
                group,
                e.to_errno()
            );
        }
    }
}
