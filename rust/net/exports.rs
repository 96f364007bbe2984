// SPDX-License-Identifier: GPL-2.0

//! The symbols mainline's `ipv6.ko` exports to other modules, under its names
//! (`include/exports.c`): the kernel's own modules that import them (the bridge's MLD
//! snooping, and later the tunnel, IPsec and netfilter modules) load against ipv6_rs
//! and call the handlers through [`Exported`]. Installed by [`Exports::install`] for
//! the module's lifetime; an importer holds a reference on this module while it is
//! loaded, so it never calls before the install or after the drop.

use crate::{
    bindings,
    net::{
        device::{NetDevice, RxDev},
        netns::Net,
        rcu::Rcu,
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
            },
            GFP_KERNEL,
        )?;
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
        let _ = &self.ops;
    }
}
