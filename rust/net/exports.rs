// SPDX-License-Identifier: GPL-2.0

//! The symbols mainline's `ipv6.ko` exports to other modules, under its names
//! (`include/exports.c`, and `include/route.c` for the routing ones): the kernel's own
//! modules that import them (the bridge's MLD snooping, the tunnel modules, and later
//! IPsec's and netfilter's) load against ipv6_rs and call the handlers through
//! [`Exported`]. Installed by [`Exports::install`] for the module's lifetime; an
//! importer holds a reference on this module while it is loaded, so it never calls
//! before the install or after the drop.
//!
//! The routing symbols hand out real `struct rt6_info`s (`include/route.c`), made from
//! [`Exported::route_lookup`]'s answer; packets sent through them come back to
//! [`Exported::dst_output`].

use crate::{
    bindings,
    flow::FlowKeys,
    net::{
        device::{NetDevice, RxDev},
        netns::Net,
        rcu::Rcu,
        skb::{Skb, SkbRef},
    },
};
use core::{marker::PhantomData, net::Ipv6Addr};
use kernel::{
    ffi::{c_int, c_uint},
    prelude::*,
};

/// What the exported symbols ask of the handlers.
pub(crate) trait Exported {
    /// `ipv6_dev_get_saddr()`: the source address for `daddr` (RFC 6724) among the
    /// addresses of `net`, or of `dev` where mainline keeps to it, with the socket-style
    /// `IPV6_PREFER_SRC_*` preferences `prefs`; `None` for `-EADDRNOTAVAIL`. Called in
    /// any context, inside the RCU section `rcu`.
    fn dev_get_saddr(
        net: &Net,
        dev: Option<&RxDev<'_>>,
        daddr: &Ipv6Addr,
        prefs: u32,
        rcu: &Rcu,
    ) -> Option<Ipv6Addr>;

    /// `ipv6_chk_addr()`: `addr` is a usable address of `net` (not tentative, unless
    /// optimistic): with `dev`, of that device, or of any where the address is not
    /// link- or host-scoped and not `strict`. In any context, inside `rcu`.
    fn chk_addr(
        net: &Net,
        addr: &Ipv6Addr,
        dev: Option<&RxDev<'_>>,
        strict: bool,
        rcu: &Rcu,
    ) -> bool;

    /// `ipv6_dev_mc_inc()` (`join`) and `ipv6_dev_mc_dec()`: a kernel user of `dev`
    /// joins or leaves `group`. The errno on failure.
    fn dev_mc_change(dev: &NetDevice, group: &Ipv6Addr, join: bool) -> Result<(), i32>;

    /// The route for a packet of `net` to `dst` (from `src`, through `oif`: only through
    /// it if `strict`), with the flow's `keys`, as `ip6_route_output_flags()` and
    /// `rt6_lookup()` find it; the errno (and for a reject route, the route) without
    /// one. In any context, inside `rcu`.
    fn route_lookup(
        net: &Net,
        dst: &Ipv6Addr,
        src: Option<Ipv6Addr>,
        oif: u32,
        strict: bool,
        keys: FlowKeys,
        rcu: &Rcu,
    ) -> Result<DstRoute, (i32, Option<DstRoute>)>;

    /// `ip6_update_pmtu()`: `mtu` for the path from `src` to `dst`, which left through
    /// `oif`, with the flow's `keys`. In any context.
    fn update_pmtu(net: &Net, dst: &Ipv6Addr, src: &Ipv6Addr, oif: u32, keys: FlowKeys, mtu: u32);

    /// `ip6_redirect()`: the redirect message at `skb`'s transport header, for the
    /// packet quoted at its data, which left through `oif` with `keys`.
    fn redirect(skb: SkbRef<'_>, oif: u32, keys: FlowKeys);

    /// A packet that another module routed with one of our routes (`dst_output()`),
    /// its data at its IPv6 header: out of `dev` to `nexthop`, fragmented to the
    /// route's MTU metric `mtu` (0: none) if need be. Whether it was sent or queued.
    fn dst_output(skb: Skb, dev: &RxDev<'_>, nexthop: &Ipv6Addr, mtu: u32) -> bool;
}

/// What a route lookup tells the dst it becomes (`struct ipv6_rs_route`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct DstRoute {
    /// The device it leaves through (`lo` for our own addresses).
    pub(crate) ifindex: u32,
    /// The route's prefix.
    pub(crate) dst: Ipv6Addr,
    pub(crate) dst_len: u8,
    /// `RTF_*`.
    pub(crate) flags: u32,
    /// The next hop, if not the destination on the link.
    pub(crate) gateway: Option<Ipv6Addr>,
    /// `RTAX_MTU` (the route's, or its exception's), `RTAX_HOPLIMIT`, `RTAX_ADVMSS`; 0
    /// for none.
    pub(crate) mtu: u32,
    pub(crate) hoplimit: u32,
    pub(crate) advmss: u32,
}

/// The flow keys of a `struct flowi6` that the rules and multipath see.
fn flow_keys(f: &bindings::flowi6) -> FlowKeys {
    let c = &f.__fl_common;
    // SAFETY: the ports arm of the union: plain integers, whatever the protocol.
    let ports = unsafe { f.uli.ports };
    FlowKeys {
        mark: c.flowic_mark,
        uid: c.flowic_uid.val,
        proto: c.flowic_proto,
        tos: c.flowic_tos,
        sport: u16::from_be(ports.sport),
        dport: u16::from_be(ports.dport),
        flowlabel: u32::from_be(f.flowlabel) & 0x000f_ffff,
    }
}

/// The flow keys of a PMTU update or redirect: only its mark.
fn mark_keys(mark: u32) -> FlowKeys {
    FlowKeys {
        mark,
        ..FlowKeys::default()
    }
}

fn fill_route(out: &mut bindings::ipv6_rs_route, r: &DstRoute) {
    out.ifindex = r.ifindex as c_int;
    out.dst = crate::net::in6(&r.dst);
    out.dst_len = r.dst_len;
    out.flags = r.flags;
    if let Some(gw) = r.gateway {
        out.has_gateway = true;
        out.gateway = crate::net::in6(&gw);
    }
    out.mtu = r.mtu;
    out.hoplimit = r.hoplimit;
    out.advmss = r.advmss;
}

/// # Safety
/// Called by `include/route.c` with a live namespace, a flow and a result buffer valid
/// for the call.
unsafe extern "C" fn route_lookup<T: Exported>(
    net: *mut bindings::net,
    fl6: *const bindings::flowi6,
    strict: bool,
    out: *mut bindings::ipv6_rs_route,
) {
    let rcu = Rcu::read_lock();
    // SAFETY: per the function's contract.
    let (net, f, out) = unsafe { (Net::from_raw(net), &*fl6, &mut *out) };
    let src = crate::net::in6_addr(&f.saddr);
    let r = T::route_lookup(
        net,
        &crate::net::in6_addr(&f.daddr),
        (!src.is_unspecified()).then_some(src),
        f.__fl_common.flowic_oif.max(0) as u32,
        strict,
        flow_keys(f),
        &rcu,
    );
    match r {
        Ok(r) => fill_route(out, &r),
        Err((errno, r)) => {
            if let Some(r) = r {
                fill_route(out, &r);
            }
            out.error = -errno;
        }
    }
}

/// # Safety
/// Called by `include/route.c` with a live namespace and addresses valid for the call.
unsafe extern "C" fn update_pmtu<T: Exported>(
    net: *mut bindings::net,
    daddr: *const bindings::in6_addr,
    saddr: *const bindings::in6_addr,
    oif: c_int,
    mark: u32,
    mtu: u32,
) {
    // SAFETY: per the function's contract.
    let (net, daddr, saddr) = unsafe {
        (
            Net::from_raw(net),
            crate::net::in6_addr(&*daddr),
            crate::net::in6_addr(&*saddr),
        )
    };
    T::update_pmtu(net, &daddr, &saddr, oif.max(0) as u32, mark_keys(mark), mtu);
}

/// # Safety
/// Called by an importer's error handler with a packet it owns for the call.
unsafe extern "C" fn redirect<T: Exported>(skb: *mut bindings::sk_buff, oif: c_int, mark: u32) {
    // SAFETY: per the function's contract.
    if let Some(skb) = unsafe { SkbRef::from_raw(skb) } {
        T::redirect(skb, oif.max(0) as u32, mark_keys(mark));
    }
}

/// # Safety
/// Called by `include/route.c` from a dst's output with a packet whose reference it
/// hands over, and the dst's device, which the packet's dst holds.
unsafe extern "C" fn dst_output<T: Exported>(
    skb: *mut bindings::sk_buff,
    dev: *mut bindings::net_device,
    nexthop: *const bindings::in6_addr,
    mtu: u32,
) -> c_int {
    let _rcu = Rcu::read_lock();
    // SAFETY: per the function's contract; RCU is held for the device's view.
    let (skb, d, nexthop) = unsafe {
        (
            Skb::from_raw(skb),
            RxDev::new(dev),
            crate::net::in6_addr(&*nexthop),
        )
    };
    match skb.map(|skb| T::dst_output(skb, &d, &nexthop, mtu)) {
        Some(true) => 0,
        _ => -(bindings::ENOBUFS as c_int),
    }
}

/// # Safety
/// Called by an importing module with a live namespace, a device of it that the caller
/// keeps alive for the call (or null), and addresses valid for the call.
unsafe extern "C" fn dev_get_saddr<T: Exported>(
    net: *mut bindings::net,
    dst_dev: *const bindings::net_device,
    daddr: *const bindings::in6_addr,
    prefs: c_uint,
    saddr: *mut bindings::in6_addr,
) -> c_int {
    let rcu = Rcu::read_lock();
    // SAFETY: the namespace is live and, with this module loaded, has our state; the
    // caller keeps the device alive and RCU is held for the call; `daddr` is readable.
    let (net, dev, daddr) = unsafe {
        (
            Net::from_raw(net),
            (!dst_dev.is_null()).then(|| RxDev::new(dst_dev.cast_mut())),
            crate::net::in6_addr(&*daddr),
        )
    };
    match T::dev_get_saddr(net, dev.as_ref(), &daddr, prefs, &rcu) {
        Some(a) => {
            // SAFETY: the caller's result buffer, writable for the call.
            unsafe { (*saddr).in6_u.u6_addr8 = a.octets() };
            0
        }
        None => -(bindings::EADDRNOTAVAIL as c_int),
    }
}

/// # Safety
/// As [`dev_get_saddr`].
unsafe extern "C" fn chk_addr<T: Exported>(
    net: *mut bindings::net,
    addr: *const bindings::in6_addr,
    dev: *const bindings::net_device,
    strict: c_int,
) -> c_int {
    let rcu = Rcu::read_lock();
    // SAFETY: as in `dev_get_saddr`.
    let (net, dev, addr) = unsafe {
        (
            Net::from_raw(net),
            (!dev.is_null()).then(|| RxDev::new(dev.cast_mut())),
            crate::net::in6_addr(&*addr),
        )
    };
    c_int::from(T::chk_addr(net, &addr, dev.as_ref(), strict != 0, &rcu))
}

/// # Safety
/// Called by an importing module with RTNL held (the C forward asserts it), a
/// registered device and an address valid for the call.
unsafe extern "C" fn dev_mc_change<T: Exported>(
    dev: *mut bindings::net_device,
    addr: *const bindings::in6_addr,
    join: bool,
) -> c_int {
    // SAFETY: per the function's contract, the device is live and RTNL held for the
    // call, which is all a `&NetDevice` needs.
    let (dev, addr) = unsafe { (NetDevice::from_raw(dev), crate::net::in6_addr(&*addr)) };
    match T::dev_mc_change(dev, &addr, join) {
        Ok(()) => 0,
        Err(errno) => -errno,
    }
}

/// The exported symbols' operations, calling `T`, installed while this lives.
pub(crate) struct Exports<T: Exported> {
    ops: KBox<bindings::ipv6_rs_export_ops>,
    _handlers: PhantomData<T>,
}

// SAFETY: only touched at module init and exit; importers read `ops` through the
// pointer installed in C.
unsafe impl<T: Exported> Send for Exports<T> {}
// SAFETY: as above.
unsafe impl<T: Exported> Sync for Exports<T> {}

impl<T: Exported> Exports<T> {
    /// Installs the operations.
    pub(crate) fn install() -> Result<Self> {
        let ops = KBox::new(
            bindings::ipv6_rs_export_ops {
                dev_get_saddr: Some(dev_get_saddr::<T>),
                chk_addr: Some(chk_addr::<T>),
                dev_mc_change: Some(dev_mc_change::<T>),
                route_lookup: Some(route_lookup::<T>),
                update_pmtu: Some(update_pmtu::<T>),
                redirect: Some(redirect::<T>),
                dst_output: Some(dst_output::<T>),
            },
            GFP_KERNEL,
        )?;
        // SAFETY: at module init, before any namespace could ask for a route.
        kernel::error::to_result(unsafe { bindings::ipv6_rs_route_init() })?;
        // SAFETY: the operations stay boxed until drop, which uninstalls them first.
        unsafe { bindings::ipv6_rs_exports_install(&*ops) };
        Ok(Self {
            ops,
            _handlers: PhantomData,
        })
    }
}

impl<T: Exported> Drop for Exports<T> {
    fn drop(&mut self) {
        // SAFETY: no importer is loaded any more (each holds a reference on this
        // module), so nothing calls through the operations being uninstalled.
        unsafe { bindings::ipv6_rs_exports_install(core::ptr::null()) };
        // SAFETY: paired with the init in `install`; no importer holds one of our
        // dsts any more, and the namespaces' own went with their devices.
        unsafe { bindings::ipv6_rs_route_exit() };
        let _ = &self.ops;
    }
}
