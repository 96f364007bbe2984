// SPDX-License-Identifier: GPL-2.0

//! A device's IPv6 state: the kernel's own `struct inet6_dev` in `dev->ip6_ptr`, so that
//! built-in code that reads it (pktgen, BPF FIB lookups, ICMP extensions) finds what it
//! would find with mainline's ipv6.ko. It is freed by the kernel's
//! `in6_dev_finish_destroy()` once its last reference is gone.

use super::netdev::NetDevice;
use crate::{bindings, conf::DevConf};
use kernel::{error::to_result, prelude::*};

/// The kernel's `struct ipv6_devconf` with our settings in it.
fn kernel_devconf(c: &DevConf) -> bindings::ipv6_devconf {
    bindings::ipv6_devconf {
        forwarding: c.forwarding.into(),
        hop_limit: c.hop_limit.into(),
        mtu6: c.mtu as _,
        accept_ra: c.accept_ra.into(),
        autoconf: c.autoconf.into(),
        dad_transmits: c.dad_transmits as _,
        disable_ipv6: c.disable_ipv6.into(),
        accept_dad: c.accept_dad.into(),
        ..Default::default()
    }
}

/// Gives `dev` its IPv6 state, configured from `conf` (the namespace's `default`).
pub(crate) fn attach(dev: &NetDevice, conf: &DevConf) -> Result {
    let cnf = kernel_devconf(conf);
    // SAFETY: `dev` is live with RTNL held (NetDevice invariant); `cnf` is copied.
    to_result(unsafe { bindings::ipv6_rs_idev_attach(dev.as_ptr(), &cnf) })
}

/// Takes `dev`'s IPv6 state away; the kernel frees it after its last user.
pub(crate) fn detach(dev: &NetDevice) {
    // SAFETY: `dev` is live with RTNL held (NetDevice invariant).
    unsafe { bindings::ipv6_rs_idev_detach(dev.as_ptr()) };
}
