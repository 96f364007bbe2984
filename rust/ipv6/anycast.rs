// SPDX-License-Identifier: GPL-2.0

//! IPv6 anycast (mainline `net/ipv6/anycast.c`, and its users in `addrconf.c`): a
//! device's anycast addresses with their users, each with its route in the local
//! table and its solicited-node group; the subnet-router anycast addresses of a
//! forwarding device's prefixes (RFC 4291 §2.6.1); the joins of sockets
//! (`IPV6_JOIN_ANYCAST`, `IPV6_LEAVE_ANYCAST`); the checks the receive path, neighbour
//! discovery and ICMPv6 make; and `/proc/net/anycast6`. Decisions come from
//! [`crate::anycast`]; the lists are the kernel's own (`net/anycast.rs`).

#![forbid(unsafe_code)]

use crate::anycast::{
    join_allowed, join_device, join_on_device, prefix_equal, subnet_router, JoinFacts,
};
use crate::ipv6::{addrconf::solicit, ip6_input, mcast, route};
use crate::net::{
    anycast as ac,
    device::{NetDevice, RxDev},
    ifaddr::{self, IfAddr},
    inet6_dev::Inet6Dev,
    netlink::{RtnlGuard, RtnlHeld},
    netns::{self, Net},
    procfs::Seq,
    proto::OptIn,
    rcu::Rcu,
    sock::Sock,
};
use crate::{addrconf::ifa_flags, errno::EINVAL};
use core::net::Ipv6Addr;

/// `__ipv6_dev_ac_inc()`: one more user of anycast address `addr` on `dev`; a new one
/// gets its route and its solicited-node group. Under RTNL.
pub(crate) fn dev_inc(dev: &NetDevice, addr: &Ipv6Addr) -> Result<(), i32> {
    let idev = Inet6Dev::of(dev).ok_or(crate::errno::ENODEV)?;
    if idev.ac_inc(addr)? {
        route::add_anycast(dev, addr);
        solicit(dev, addr, true);
    }
    Ok(())
}

/// `__ipv6_dev_ac_dec()`: one user less; with the last, the address, its
/// solicited-node group and its route go. `ENOENT` if `dev` has no such address.
/// Under RTNL.
pub(crate) fn dev_dec(dev: &NetDevice, addr: &Ipv6Addr) -> Result<(), i32> {
    let idev = Inet6Dev::of(dev).ok_or(crate::errno::ENODEV)?;
    if idev.ac_dec(addr)? {
        solicit(dev, addr, false);
        route::del_anycast(dev, addr);
    }
    Ok(())
}

/// `ipv6_ac_destroy_dev()`: the device goes away with all its anycast addresses.
pub(crate) fn destroy_dev(dev: &NetDevice) {
    let Some(idev) = Inet6Dev::of(dev) else {
        return;
    };
    while let Some(addr) = idev.ac_pop() {
        solicit(dev, &addr, false);
        route::del_anycast(dev, &addr);
    }
}

/// The device forwards (its `forwarding`).
fn forwarding(dev: &NetDevice) -> bool {
    Inet6Dev::of(dev).is_some_and(|i| i.cnf().forwarding != 0)
}

/// `addrconf_join_anycast()`: the subnet-router anycast address of `ifa`'s prefix.
fn join_subnet_router(dev: &NetDevice, ifa: &IfAddr) {
    if let Some(a) = subnet_router(&ifa.addr(), ifa.prefix_len()) {
        let _ = dev_inc(dev, &a);
    }
}

/// `addrconf_leave_anycast()`.
fn leave_subnet_router(dev: &NetDevice, ifa: &IfAddr) {
    if let Some(a) = subnet_router(&ifa.addr(), ifa.prefix_len()) {
        let _ = dev_dec(dev, &a);
    }
}

/// `__ipv6_ifa_notify(RTM_NEWADDR)`: an address is usable; a forwarding device joins
/// its prefix's subnet-router anycast address.
pub(crate) fn addr_added(dev: &NetDevice, ifa: &IfAddr) {
    if forwarding(dev) {
        join_subnet_router(dev, ifa);
    }
}

/// `__ipv6_ifa_notify(RTM_DELADDR)`, and an address kept over a down
/// (`addrconf_ifdown()`): a forwarding device leaves the subnet-router anycast
/// address of its prefix (whether the address had joined it or not, as mainline).
pub(crate) fn addr_removed(dev: &NetDevice, ifa: &IfAddr) {
    if forwarding(dev) {
        leave_subnet_router(dev, ifa);
    }
}

/// `dev_forward_change()`'s anycast part: every address not tentative joins (or
/// leaves) its subnet-router anycast address, in the device's address order.
pub(crate) fn forwarding_changed(dev: &NetDevice, on: bool) {
    for ifa in ifaddr::addrs(dev) {
        if ifa.flags() & ifa_flags::TENTATIVE != 0 {
            continue;
        }
        if on {
            join_subnet_router(dev, ifa);
        } else {
            leave_subnet_router(dev, ifa);
        }
    }
}

/// `ipv6_chk_acast_addr()`: `addr` is an anycast address of `dev`, or with `None` of
/// any device of `net`.
pub(crate) fn chk_acast_addr(net: &Net, dev: Option<&RxDev<'_>>, addr: &Ipv6Addr) -> bool {
    let rcu = Rcu::read_lock();
    ac::walk_rcu(net, dev, &rcu, |_, e| e.addr == *addr)
}

/// `ipv6_chk_acast_addr_src()`: a link-local anycast address on `dev`, or a wider one
/// on any device.
pub(crate) fn chk_acast_addr_src(d: &RxDev<'_>, addr: &Ipv6Addr) -> bool {
    let link_local = addr.segments()[0] & 0xffc0 == 0xfe80;
    chk_acast_addr(d.net, link_local.then_some(d), addr)
}

/// Routing input's local anycast delivery: the local table's anycast route for `dst`
/// (link-local ones only through the arrival device, `rt6_need_strict()`).
pub(crate) fn input_dest(d: &RxDev<'_>, dst: &Ipv6Addr) -> bool {
    let strict = ip6_input::need_strict(dst);
    chk_acast_addr(d.net, strict.then_some(d), dst)
}

// --- sockets

/// `IPV6_JOIN_ANYCAST`, `IPV6_LEAVE_ANYCAST` (`struct ipv6_mreq`).
const JOIN_ANYCAST: i32 = 27;
const LEAVE_ANYCAST: i32 = 28;
const SOL_IPV6: i32 = 41;

/// `do_ipv6_setsockopt()`'s anycast options, under RTNL and the socket's lock as
/// mainline takes them; the others go on to the multicast options and the rest.
pub(crate) fn setsockopt(sk: &Sock, level: i32, name: i32, opt: &OptIn<'_>) -> Result<(), i32> {
    if level != SOL_IPV6 || (name != JOIN_ANYCAST && name != LEAVE_ANYCAST) {
        return mcast::setsockopt(sk, level, name, opt);
    }
    let rtnl = RtnlGuard::lock();
    sk.locked(|| {
        let mut m = [0u8; 20];
        if opt.len() < m.len() {
            return Err(EINVAL);
        }
        opt.read(&mut m)?;
        let addr = Ipv6Addr::from(<[u8; 16]>::try_from(&m[..16]).unwrap_or([0; 16]));
        let ifindex = i32::from_ne_bytes([m[16], m[17], m[18], m[19]]);
        if name == JOIN_ANYCAST {
            sock_join(sk, rtnl.held(), ifindex, &addr)
        } else {
            sock_drop(sk, rtnl.held(), ifindex, &addr)
        }
    })
}

/// `ipv6_sock_ac_join()`: the socket joins anycast address `addr` on `ifindex` (0: the
/// device of the route to it). Under RTNL.
fn sock_join(sk: &Sock, rtnl: RtnlHeld<'_>, ifindex: i32, addr: &Ipv6Addr) -> Result<(), i32> {
    let net = sk.net();
    let ishost = netns::conf_all(net).forwarding == 0;
    let facts = JoinFacts {
        net_admin: ac::net_admin(net),
        unicast_ours: !addr.is_multicast() && ip6_input::chk_addr(net, addr, None, false),
    };
    join_allowed(addr, &facts)?;
    let named = ifindex != 0;
    let slot = sk.ac_alloc()?;
    let dev = if named {
        u32::try_from(ifindex)
            .ok()
            .and_then(|i| net.dev_rtnl(rtnl, i))
            .ok_or(crate::errno::ENODEV)?
    } else {
        // rt6_lookup(): any route that is not a reject one, and its own device (not
        // `lo` for local and anycast routes, as a route for output would say).
        let keys = crate::flow::FlowKeys::default();
        let route_dev = ip6_input::output_route(net, addr, None, 0, false, keys)
            .ok()
            .map(|(_, r)| r.ifindex);
        let i = join_device(route_dev, ishost, || {
            ac::first_up_dev(rtnl, net).map(|d| d.ifindex())
        })?;
        net.dev_rtnl(rtnl, i).ok_or(crate::errno::ENODEV)?
    };
    join_on_device(Inet6Dev::of(dev).is_some(), named, forwarding(dev), || {
        on_prefix(dev, addr)
    })?;
    dev_inc(dev, addr)?;
    slot.link(rtnl, dev.ifindex(), addr);
    Ok(())
}

/// `ipv6_chk_prefix()`: `addr` is within the prefix of one of `dev`'s addresses.
fn on_prefix(dev: &NetDevice, addr: &Ipv6Addr) -> bool {
    ifaddr::addrs(dev).any(|a| prefix_equal(addr, &a.addr(), a.prefix_len()))
}

/// `ipv6_sock_ac_drop()`: `ENOENT` if the socket has no such join.
fn sock_drop(sk: &Sock, rtnl: RtnlHeld<'_>, ifindex: i32, addr: &Ipv6Addr) -> Result<(), i32> {
    let j = sk
        .ac_take(rtnl, ifindex as u32, addr, false)
        .ok_or(crate::errno::ENOENT)?;
    if let Some(dev) = sk.net().dev_rtnl(rtnl, j.ifindex) {
        let _ = dev_dec(dev, &j.addr);
    }
    Ok(())
}

/// `ipv6_sock_ac_close()`: every join of a closing socket goes.
pub(crate) fn sock_close(sk: &Sock) {
    if sk.ac_empty() {
        return;
    }
    let rtnl = RtnlGuard::lock();
    while let Some(j) = sk.ac_take(rtnl.held(), 0, &Ipv6Addr::UNSPECIFIED, true) {
        if let Some(dev) = sk.net().dev_rtnl(rtnl.held(), j.ifindex) {
            let _ = dev_dec(dev, &j.addr);
        }
    }
}

// --- /proc/net/anycast6

/// `/proc/net/anycast6` (`ac6_seq_show()`): one line per anycast address of every
/// device, in the namespace's device order, each device's newest first.
pub(crate) struct Anycast6;

impl crate::net::procfs::SeqShow for Anycast6 {
    fn show(seq: &mut Seq<'_>) {
        let net = seq.net();
        let rcu = Rcu::read_lock();
        ac::walk_rcu(net, None, &rcu, |d, e| {
            seq.line(format_args!(
                "{:<4} {:<15} {:032x} {:5}\n",
                d.ifindex(),
                d.name(),
                u128::from_be_bytes(e.addr.octets()),
                e.users
            ));
            false
        });
    }
}
