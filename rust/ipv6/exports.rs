// SPDX-License-Identifier: GPL-2.0

//! What the symbols mainline's `ipv6.ko` exports do here (`crate::net::exports`): each
//! is carried out by the handler of the mainline file that defines it.

#![forbid(unsafe_code)]

use crate::{
    ipv6::{ip6_input, mcast},
    net::{
        device::{NetDevice, RxDev},
        exports::Exported,
        ifaddr,
        netns::Net,
        rcu::Rcu,
    },
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
}
