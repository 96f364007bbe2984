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
//! the id and, in `nexthop_compat_mode`, the paths ([`fill`]). Mainline puts each of
//! its routes on the object's list of users (`f6i_list`), through which the nexthop code
//! deletes them with the object, announces them when it changes, and keeps it IPv6
//! while they use it. Ours put an anchor there ([`Anchors`]): one `struct fib6_info`
//! per object our routes use, on which those operations act for all of them.

use crate::net::netns::Net;
use crate::net::{
    lock::{BhRwLock, LockClass},
    netlink, netns,
};

use crate::net::netlink::Origin;
use crate::{bindings, fib::Route};
use core::{marker::PhantomData, net::Ipv6Addr, ptr::NonNull};
use kernel::{ffi::c_int, prelude::*};

/// What the kernel's nexthop code asks of IPv6 through our stub.
pub(crate) trait NexthopHooks {
    /// `fib6_nh_init()`'s checks of a next hop of table `table` through device
    /// `ifindex` (0: any) and gateway `gw`, with `RTNH_F_*` `flags`: the device it
    /// leaves by, or the errno and mainline's extack text.
    fn validate(
        net: &Net,
        table: u32,
        ifindex: u32,
        gw: Option<Ipv6Addr>,
        flags: u32,
    ) -> Result<u32, (i32, Option<&'static core::ffi::CStr>)>;
    /// `__remove_nexthop_fib()`: object `id` goes, and so do our routes that use it.
    fn del_routes(net: &Net, id: u32, notify: bool);
    /// `nexthop_replace_notify()`: our routes that use `id` are announced as replaced.
    fn announce(net: &Net, id: u32, origin: Origin);
    /// `nh_rt_cache_flush()`: the exceptions learned on the object's paths go.
    fn flush(net: &Net, id: u32);
}

/// # Safety
/// Called under RTNL with a live namespace with our state, a request and an extack
/// (or null).
unsafe extern "C" fn validate<T: NexthopHooks>(
    net: *mut bindings::net,
    req: *mut bindings::ipv6_rs_nh_req,
    extack: *mut bindings::netlink_ext_ack,
) -> c_int {
    // SAFETY: see the function's contract.
    let (net, req) = unsafe { (Net::from_raw(net), &mut *req) };
    let gw = crate::net::in6_addr(&req.gateway);
    match T::validate(net, req.table, req.ifindex, Some(gw), req.flags) {
        Ok(dev) => {
            req.dev = dev;
            0
        }
        Err((errno, msg)) => {
            if let Some(m) = msg {
                netlink::set_err_msg(extack, m);
            }
            -errno
        }
    }
}

/// # Safety
/// Called by the stub under RTNL for a namespace with our state.
unsafe extern "C" fn del_routes<T: NexthopHooks>(net: *mut bindings::net, id: u32, notify: bool) {
    // SAFETY: see the function's contract.
    let net = unsafe { Net::from_raw(net) };
    T::del_routes(net, id, notify);
    // Whatever the count said, the object's list must not keep an anchor of ours.
    netns::nexthops(net).forget(id);
}

/// # Safety
/// Called by the stub under RTNL for a namespace with our state, with the request's
/// header (or null), live for the call.
unsafe extern "C" fn announce<T: NexthopHooks>(
    net: *mut bindings::net,
    id: u32,
    portid: u32,
    nlh: *const bindings::nlmsghdr,
) {
    // SAFETY: see the function's contract.
    let (net, origin) = unsafe { (Net::from_raw(net), Origin::from_raw(portid, nlh)) };
    T::announce(net, id, origin);
}

/// # Safety
/// Called by the stub under RTNL for a namespace with our state.
unsafe extern "C" fn flush<T: NexthopHooks>(net: *mut bindings::net, id: u32) {
    // SAFETY: see the function's contract.
    let net = unsafe { Net::from_raw(net) };
    T::flush(net, id);
}

/// The stub's operations for `T`.
struct Ops<T>(PhantomData<T>);

impl<T: NexthopHooks> Ops<T> {
    const OPS: bindings::ipv6_rs_nh_ops = bindings::ipv6_rs_nh_ops {
        validate: Some(validate::<T>),
        del_routes: Some(del_routes::<T>),
        announce: Some(announce::<T>),
        flush: Some(flush::<T>),
    };
}

/// Our `ipv6_stub`, calling `T`, installed while this lives.
pub(crate) struct Stub<T: NexthopHooks> {
    ops: KBox<bindings::ipv6_rs_nh_ops>,
    _hooks: PhantomData<T>,
}

// SAFETY: only touched at module init and exit; the kernel reads `ops` under RTNL.
unsafe impl<T: NexthopHooks> Send for Stub<T> {}
// SAFETY: as above.
unsafe impl<T: NexthopHooks> Sync for Stub<T> {}

impl<T: NexthopHooks> Stub<T> {
    /// Installs the stub, with the neighbour table for the kernel's IPv6 neighbour
    /// users.
    pub(crate) fn install() -> Result<Self> {
        let ops = KBox::new(Ops::<T>::OPS, GFP_KERNEL)?;
        let _rtnl = netlink::RtnlGuard::lock();
        // SAFETY: under RTNL, which every caller of the nexthop operations holds; the
        // operations (boxed until drop) and the table live as long as the stub, and a
        // fib6_nh or an anchor of ours keeps the module loaded or goes before it.
        unsafe { bindings::ipv6_rs_stub_install(&*ops, crate::net::neigh::table()) };
        Ok(Self {
            ops,
            _hooks: PhantomData,
        })
    }
}

impl<T: NexthopHooks> Drop for Stub<T> {
    fn drop(&mut self) {
        let _rtnl = netlink::RtnlGuard::lock();
        // SAFETY: under RTNL; no fib6_nh of ours is left (each holds the module).
        unsafe { bindings::ipv6_rs_stub_remove() };
        let _ = &self.ops;
    }
}

/// One anchor: a `struct fib6_info` of ours on an object's list of users.
#[derive(Clone, Copy)]
struct Anchor {
    id: u32,
    users: usize,
    f6i: NonNull<bindings::fib6_info>,
}

// SAFETY: the anchor's fib6_info is only touched under RTNL, from any thread.
unsafe impl Send for Anchor {}

/// The anchors of a namespace, by object id, with how many of our routes use each.
/// Changed under RTNL (with the tables' lock held, after it in lock order).
pub(crate) struct Anchors(BhRwLock<KVec<Anchor>>);

impl Anchors {
    pub(crate) fn new() -> Result<Self> {
        Ok(Self(BhRwLock::new(KVec::new(), LockClass::Anchors)?))
    }

    /// Route `r` went into a table (under RTNL).
    pub(crate) fn route_added(&self, net: &Net, r: &Route) {
        if r.nhid == 0 {
            return;
        }
        self.0.write(|v| {
            if let Some(a) = v.iter_mut().find(|a| a.id == r.nhid) {
                a.users += 1;
                return;
            }
            // Out of memory (or, below, the object gone meanwhile): the object does not
            // know the route, as if it did not use it.
            if v.reserve(1, GFP_ATOMIC).is_err() {
                return;
            }
            // SAFETY: under RTNL (the caller's); atomic.
            let Some(f6i) =
                NonNull::new(unsafe { bindings::ipv6_rs_nh_anchor_new(net.as_ptr(), r.nhid) })
            else {
                return;
            };
            let a = Anchor {
                id: r.nhid,
                users: 1,
                f6i,
            };
            if v.push(a, GFP_ATOMIC).is_err() {
                // SAFETY: made just above, under RTNL.
                unsafe { bindings::ipv6_rs_nh_anchor_free(f6i.as_ptr()) };
            }
        })
    }

    /// Route `r` left its table (under RTNL).
    pub(crate) fn route_removed(&self, r: &Route) {
        if r.nhid == 0 {
            return;
        }
        self.0.write(|v| {
            let Some(i) = v.iter().position(|a| a.id == r.nhid) else {
                return;
            };
            v[i].users -= 1;
            if v[i].users == 0 {
                Self::drop_at(v, i);
            }
        })
    }

    /// Drops the anchor of object `id`, if there is one (under RTNL).
    fn forget(&self, id: u32) {
        self.0.write(|v| {
            if let Some(i) = v.iter().position(|a| a.id == id) {
                Self::drop_at(v, i);
            }
        })
    }

    fn drop_at(v: &mut KVec<Anchor>, i: usize) {
        if let Some(a) = swap_remove(v, i) {
            // SAFETY: ours, on its object's list; under RTNL (the callers').
            unsafe { bindings::ipv6_rs_nh_anchor_free(a.f6i.as_ptr()) };
        }
    }
}

/// Takes entry `i` out of `v`, the last one taking its place (the 6.12 kernel vector
/// has no `swap_remove`).
fn swap_remove(v: &mut KVec<Anchor>, i: usize) -> Option<Anchor> {
    let last = v.len().checked_sub(1)?;
    let a = *v.get(i)?;
    v[i] = v[last];
    crate::net::truncate(v, last);
    Some(a)
}

impl Drop for Anchors {
    fn drop(&mut self) {
        // None should be left: the objects our routes use go with the namespace, first.
        let _rtnl = netlink::RtnlGuard::lock();
        self.0.write(|v| {
            while let Some(a) = swap_remove(v, 0) {
                // SAFETY: ours, on its object's list; under RTNL.
                unsafe { bindings::ipv6_rs_nh_anchor_free(a.f6i.as_ptr()) };
            }
        })
    }
}

/// `ip6_route_info_create()`'s checks of a route's nexthop id (it exists, it is IPv6,
/// not an fdb one): the device of its first path, or the errno with the extack set.
pub(crate) fn check(
    net: &Net,
    id: u32,
    extack: crate::net::netlink::Extack<'_>,
) -> core::result::Result<u32, i32> {
    let mut dev = 0;
    // SAFETY: under RTNL (a route request) with a live namespace.
    let rc = unsafe { bindings::ipv6_rs_nh_check(net.as_ptr(), id, &mut dev, extack.as_ptr()) };
    if rc < 0 {
        return Err(-rc);
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
pub(crate) fn path(net: &Net, id: u32, hash: u32, oif: u32) -> Option<Path> {
    let mut p = bindings::ipv6_rs_nh_path::default();
    // SAFETY: a live namespace; the helper reads the object under RCU.
    let rc = unsafe { bindings::ipv6_rs_nh_path(net.as_ptr(), id, hash as c_int, oif, &mut p) };
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
pub(crate) fn first_dev(net: &Net, id: u32) -> u32 {
    let mut p = bindings::ipv6_rs_nh_path::default();
    // SAFETY: as in `path`; a negative hash asks for the first path.
    let rc = unsafe { bindings::ipv6_rs_nh_path(net.as_ptr(), id, -1, 0, &mut p) };
    if rc == 0 {
        p.ifindex
    } else {
        0
    }
}

/// Whether object `id` has a path through `oif`.
pub(crate) fn has_dev(net: &Net, id: u32, oif: u32) -> bool {
    // SAFETY: as in `path`; a null path asks whether there is one.
    unsafe { bindings::ipv6_rs_nh_path(net.as_ptr(), id, 0, oif, core::ptr::null_mut()) == 0 }
}

/// A route message's header for a route with object `id`: the type (a blackhole
/// object makes the route one) and the flags of a single path.
pub(crate) fn header(net: &Net, id: u32, kind: &mut u8, flags: &mut u8) {
    // SAFETY: a live namespace; the helper reads the object under RCU. A missing
    // object changes nothing.
    unsafe { bindings::ipv6_rs_nh_hdr(net.as_ptr(), id, kind, flags) };
}

/// Writes `RTA_NH_ID` of object `id` and, in compat mode, its paths.
///
/// # Safety
/// `skb` is a netlink message being written (its header is in place).
pub(crate) unsafe fn fill(
    skb: *mut bindings::sk_buff,
    net: &Net,
    id: u32,
) -> core::result::Result<(), crate::net::netlink::MsgSize> {
    // SAFETY: the caller's skb; the helper reads the object under RCU.
    match unsafe { bindings::ipv6_rs_nh_fill(skb, net.as_ptr(), id) } {
        0 => Ok(()),
        _ => Err(crate::net::netlink::MsgSize),
    }
}

/// How many paths object `id` has (0 if it is gone).
pub(crate) fn num_paths(net: &Net, id: u32) -> usize {
    // SAFETY: as in `path`.
    unsafe { bindings::ipv6_rs_nh_num_paths(net.as_ptr(), id) as usize }
}

/// Writes `RTA_NH_ID` of object `id` and, in compat mode, its paths, into message `m`.
pub(crate) fn put(
    m: &mut crate::net::netlink::MsgWriter<'_>,
    net: &Net,
    id: u32,
) -> core::result::Result<(), crate::net::netlink::MsgSize> {
    // SAFETY: the skb of the message being written, whose header is in place.
    m.put_with(|skb| unsafe { fill(skb, net, id) })?;
    Ok(())
}
