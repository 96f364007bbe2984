// SPDX-License-Identifier: GPL-2.0

//! Nexthop objects (`ip nexthop`, the kernel's `net/ipv4/nexthop.c`) for IPv6.
//!
//! The kernel keeps the objects; it asks `ipv6_stub` to make and free the `fib6_nh` of
//! an IPv6 one. We install our stub at load ([`Stub`]): a next hop is checked as a
//! route's is, and the `fib6_nh` holds its device as mainline's does
//! (`include/nexthop.c`). Each such `fib6_nh` holds a reference on the module too, so
//! `rmmod` waits until the objects are gone (`ip -6 nexthop flush`).
//!
//! A route with an object (`ip -6 route add ... nhid N`) keeps only the id. A lookup
//! resolves the object's path ([`path`]), by the flow's hash in a group; dumps write
//! the id and, in `nexthop_compat_mode`, the paths ([`fill`]). Our routes are not in
//! the object's `f6i_list`, which only mainline's `fib6_info` can join; a per-namespace
//! notifier ([`Notifier`]) takes them away when their object goes, as
//! `__remove_nexthop_fib()` would, and drops the exceptions learned on an object whose
//! paths change.

use super::{fib, netlink, pmtu, route};
use crate::bindings;
use core::{net::Ipv6Addr, ptr::NonNull};
use kernel::{ffi::c_int, prelude::*};

/// Our `ipv6_stub`, installed while this lives.
pub(crate) struct Stub(());

impl Stub {
    /// Installs the stub, with `nd_tbl` for the kernel's IPv6 neighbour users.
    pub(crate) fn install(nd_tbl: *mut bindings::neigh_table) -> Self {
        let _rtnl = netlink::RtnlGuard::lock();
        // SAFETY: under RTNL, which every caller of the nexthop operations holds; the
        // validator and the table live as long as the module, and a fib6_nh that is
        // ours keeps the module loaded.
        unsafe { bindings::ipv6_rs_stub_install(Some(validate), nd_tbl) };
        Self(())
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        let _rtnl = netlink::RtnlGuard::lock();
        // SAFETY: under RTNL; no fib6_nh of ours is left (each holds the module).
        unsafe { bindings::ipv6_rs_stub_remove() };
    }
}

/// `fib6_nh_init()`'s checks of a next hop, for `include/nexthop.c`.
///
/// # Safety
/// Called under RTNL with a live namespace, request and extack (or null).
unsafe extern "C" fn validate(
    net: *mut bindings::net,
    req: *mut bindings::ipv6_rs_nh_req,
    extack: *mut bindings::netlink_ext_ack,
) -> c_int {
    // SAFETY: the caller's request.
    let req = unsafe { &mut *req };
    // SAFETY: a plain union of bytes.
    let gw = Ipv6Addr::from(unsafe { req.gateway.in6_u.u6_addr8 });
    match route::check_nexthop_object(net, req.table, req.ifindex, Some(gw), req.flags) {
        Ok(dev) => {
            req.dev = dev;
            0
        }
        Err((errno, msg)) => {
            if let Some(m) = msg {
                netlink::set_err_msg(extack, m);
            }
            -(errno as c_int)
        }
    }
}

/// A namespace's nexthop notifier, registered while this lives.
pub(crate) struct Notifier {
    net: *mut bindings::net,
    n: NonNull<bindings::ipv6_rs_nh_notifier>,
}

impl Notifier {
    /// Registers one for `net`. It replays the objects there now as replacements.
    ///
    /// # Safety
    /// `net` lives until this is dropped, and our state in it is set up: the events
    /// act on it. The caller does not hold RTNL.
    pub(crate) unsafe fn register(net: *mut bindings::net) -> Result<Self> {
        let mut n = core::ptr::null_mut();
        // SAFETY: the caller's promises; `event` is sound to call under RTNL with `net`.
        kernel::error::to_result(unsafe {
            bindings::ipv6_rs_nh_notifier_register(net, Some(event), &mut n)
        })?;
        Ok(Self {
            net,
            n: NonNull::new(n).ok_or(ENOMEM)?,
        })
    }
}

impl Drop for Notifier {
    fn drop(&mut self) {
        // SAFETY: registered in `register` for this live namespace; takes RTNL, which
        // the dropping namespace exit does not hold.
        unsafe { bindings::ipv6_rs_nh_notifier_unregister(self.net, self.n.as_ptr()) };
    }
}

/// A nexthop event of `net`.
///
/// # Safety
/// Called under RTNL for a namespace whose notifier is registered.
unsafe extern "C" fn event(net: *mut bindings::net, event: u32, id: u32) {
    match event {
        // __remove_nexthop_fib(): the routes using it go, announced unless
        // nexthop_compat_mode is off.
        bindings::IPV6_RS_NH_DEL => {
            // SAFETY: reads a sysctl of a live namespace.
            let announce = unsafe { bindings::ipv6_rs_nh_compat_mode(net) };
            fib::remove_all_with(net, |_, r| r.nhid == id, announce);
            pmtu::purge_nexthop(net, id);
        }
        bindings::IPV6_RS_NH_REPLACE => pmtu::purge_nexthop(net, id),
        _ => {}
    }
}

/// `ip6_route_info_create()`'s checks of a route's nexthop id (it exists, it is IPv6,
/// not an fdb one): the device of its first path, or the errno with the extack set.
pub(crate) fn check(
    net: *mut bindings::net,
    id: u32,
    extack: *mut bindings::netlink_ext_ack,
) -> core::result::Result<u32, u32> {
    let mut dev = 0;
    // SAFETY: under RTNL (a route request) with a live namespace.
    let rc = unsafe { bindings::ipv6_rs_nh_check(net, id, &mut dev, extack) };
    if rc < 0 {
        return Err((-rc) as u32);
    }
    Ok(dev)
}

/// The path of a nexthop object a lookup takes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Path {
    pub(crate) ifindex: u32,
    pub(crate) gateway: Option<Ipv6Addr>,
    /// `RTNH_F_*`.
    pub(crate) flags: u8,
    /// The object is a blackhole.
    pub(crate) blackhole: bool,
}

/// The path of object `id` a flow takes: through `oif` if given (the first such),
/// else by the flow's `hash` among a group's. `None` if the object is gone or has no
/// such path.
pub(crate) fn path(net: *mut bindings::net, id: u32, hash: u32, oif: u32) -> Option<Path> {
    let mut p = bindings::ipv6_rs_nh_path::default();
    // SAFETY: a live namespace; the helper reads the object under RCU.
    let rc = unsafe { bindings::ipv6_rs_nh_path(net, id, hash as c_int, oif, &mut p) };
    (rc == 0).then(|| Path {
        ifindex: p.ifindex,
        // SAFETY: a plain union of bytes.
        gateway: (p.has_gw != 0).then(|| Ipv6Addr::from(unsafe { p.gw.in6_u.u6_addr8 })),
        flags: p.flags,
        blackhole: p.blackhole != 0,
    })
}

/// The device of object `id`'s first path (`fib6_info_nh_dev()`): mainline picks a
/// route's source address by it, whichever path a packet takes. 0 if it is gone.
pub(crate) fn first_dev(net: *mut bindings::net, id: u32) -> u32 {
    let mut p = bindings::ipv6_rs_nh_path::default();
    // SAFETY: as in `path`; a negative hash asks for the first path.
    let rc = unsafe { bindings::ipv6_rs_nh_path(net, id, -1, 0, &mut p) };
    if rc == 0 {
        p.ifindex
    } else {
        0
    }
}

/// Whether object `id` has a path through `oif`.
pub(crate) fn has_dev(net: *mut bindings::net, id: u32, oif: u32) -> bool {
    // SAFETY: as in `path`; a null path asks whether there is one.
    unsafe { bindings::ipv6_rs_nh_path(net, id, 0, oif, core::ptr::null_mut()) == 0 }
}

/// A route message's header for a route with object `id`: the type (a blackhole
/// object makes the route one) and the flags of a single path.
pub(crate) fn header(net: *mut bindings::net, id: u32, kind: &mut u8, flags: &mut u8) {
    // SAFETY: a live namespace; the helper reads the object under RCU. A missing
    // object changes nothing.
    unsafe { bindings::ipv6_rs_nh_hdr(net, id, kind, flags) };
}

/// Writes `RTA_NH_ID` of object `id` and, in compat mode, its paths.
///
/// # Safety
/// `skb` is a netlink message being written (its header is in place).
pub(crate) unsafe fn fill(
    skb: *mut bindings::sk_buff,
    net: *mut bindings::net,
    id: u32,
) -> core::result::Result<(), super::netlink::MsgSize> {
    // SAFETY: the caller's skb; the helper reads the object under RCU.
    match unsafe { bindings::ipv6_rs_nh_fill(skb, net, id) } {
        0 => Ok(()),
        _ => Err(super::netlink::MsgSize),
    }
}

/// How many paths object `id` has (0 if it is gone).
pub(crate) fn num_paths(net: *mut bindings::net, id: u32) -> usize {
    // SAFETY: as in `path`.
    unsafe { bindings::ipv6_rs_nh_num_paths(net, id) as usize }
}
