// SPDX-License-Identifier: GPL-2.0

//! What the protocol handlers set up in each network namespace (mainline
//! `net/ipv6/af_inet6.c`'s `inet6_net_ops`, with what `addrconf_init_net()`,
//! `ip6_route_net_init()` and `ip6addrlbl_net_init()` add): their own state, the
//! namespace's works, its `/proc/net` files and the `conf/{all,default}` sysctl
//! behaviour. The kernel layer's pernet subsystem (`net::netns`) constructs it for
//! [`Inet6Net`] without naming any of it.

#![forbid(unsafe_code)]

use crate::ipv6::{addrconf, addrlabel::Labels, mcast, pmtu::Exceptions, proc, route};
use crate::net::netns::{Net, PernetHandlers};
use kernel::prelude::*;

/// The handlers, as the namespace subsystem sets them up.
pub(crate) struct Inet6Net;

/// The handlers' own state in one namespace.
pub(crate) struct NetHandlers {
    /// The address label table (`ip addrlabel`).
    pub(crate) labels: Labels,
    /// The route exceptions (learned path MTUs).
    pub(crate) exceptions: Exceptions,
    /// The memberships of `IFA_F_MCAUTOJOIN` addresses.
    pub(crate) autojoin: mcast::Autojoin,
    /// The ip6tnl tunnels whose outer packets are in this namespace.
    pub(crate) tunnels: crate::net::tunnel::Table,
    /// The sit tunnels whose outer packets are in this namespace.
    pub(crate) sit_tunnels: crate::net::tunnel::Table<crate::sit::Endpoints>,
}

impl PernetHandlers for Inet6Net {
    type State = NetHandlers;
    type AddrCheck = addrconf::AddrCheck;
    type RouteGc = route::Gc;
    type IfInet6 = addrconf::IfInet6Show;
    type Snmp6 = proc::Snmp6;
    type Ipv6Route = route::Ipv6RouteShow;
    type Igmp6 = mcast::Igmp6;
    type Mcfilter6 = mcast::Mcfilter6;
    type Anycast6 = crate::ipv6::anycast::Anycast6;
    type Devconf = addrconf::Devconf;

    fn new_state() -> Result<NetHandlers> {
        Ok(NetHandlers {
            labels: Labels::new()?,
            exceptions: Exceptions::new()?,
            autojoin: mcast::Autojoin::new()?,
            tunnels: crate::net::tunnel::Table::new()?,
            sit_tunnels: crate::net::tunnel::Table::new()?,
        })
    }
}

/// The handlers' state in `net`. The module registers the namespace subsystem with
/// [`Inet6Net`] (`rust/af_inet6.rs`), so every namespace has one.
pub(crate) fn state(net: &Net) -> &NetHandlers {
    net.handlers::<NetHandlers>()
        .expect("the namespace subsystem is registered with Inet6Net")
}
