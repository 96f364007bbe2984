// SPDX-License-Identifier: GPL-2.0

//! Anycast state, kept in the kernel's own structures as mainline's
//! `net/ipv6/anycast.c` keeps it (`include/anycast.c`): a device's anycast addresses
//! are `struct ifacaddr6` entries in `inet6_dev.ac_list`, changed under RTNL and the
//! device's `lock`, read under RCU, freed after RCU readers; a socket's joins are
//! `struct ipv6_ac_socklist` entries in `ipv6_pinfo.ipv6_ac_list`, under RTNL. The
//! anycast route and the solicited-node group of each address are the handler's
//! (`ipv6/anycast.rs`).

use crate::{
    bindings,
    net::{
        device::{NetDevice, RxDev},
        in6,
        inet6_dev::Inet6Dev,
        netns::Net,
        rcu::Rcu,
        sock::Sock,
    },
};
use core::{ffi::c_int, ffi::c_void, net::Ipv6Addr, ptr::NonNull};

impl Inet6Dev {
    /// `__ipv6_dev_ac_inc()`'s list part: one more user of `addr`; `Ok(true)` when
    /// the entry is new (at the head of the list). `ENODEV` on a device going away,
    /// `ENOMEM`. Under RTNL (the type's invariant).
    pub(crate) fn ac_inc(&self, addr: &Ipv6Addr) -> Result<bool, i32> {
        let a = in6(addr);
        let mut created = false;
        // SAFETY: a live inet6_dev under RTNL (type invariant); the helper takes the
        // device's lock and copies the address.
        let rc = unsafe { bindings::ipv6_rs_aca_inc(self.as_ptr(), &a, &mut created) };
        if rc < 0 {
            return Err(-rc);
        }
        Ok(created)
    }

    /// `__ipv6_dev_ac_dec()`'s list part: one user less of `addr`; `Ok(true)` when
    /// that was the last and the entry went. `ENOENT` if the device has none.
    pub(crate) fn ac_dec(&self, addr: &Ipv6Addr) -> Result<bool, i32> {
        let a = in6(addr);
        let mut removed = false;
        // SAFETY: as in `ac_inc`; a removed entry is freed after RCU readers.
        let rc = unsafe { bindings::ipv6_rs_aca_dec(self.as_ptr(), &a, &mut removed) };
        if rc < 0 {
            return Err(-rc);
        }
        Ok(removed)
    }

    /// `ipv6_ac_destroy_dev()`'s list part: takes the first entry off, whatever its
    /// users, and gives its address; None once the list is empty.
    pub(crate) fn ac_pop(&self) -> Option<Ipv6Addr> {
        let mut a = bindings::in6_addr::default();
        // SAFETY: as in `ac_inc`; the helper writes the address of the entry it took.
        let taken = unsafe { bindings::ipv6_rs_aca_pop(self.as_ptr(), &mut a) };
        // SAFETY: every bit pattern is a valid address.
        taken.then(|| Ipv6Addr::from(unsafe { a.in6_u.u6_addr8 }))
    }
}

/// One anycast address of a device, as a walk sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AcEntry {
    /// `aca_addr`.
    pub(crate) addr: Ipv6Addr,
    /// `aca_users`.
    pub(crate) users: i32,
}

/// Calls `f` with the anycast addresses of `dev`, or with `None` of every device of
/// `net` (in the namespace's device order, each device's newest first), until it
/// returns true; whether it did (`ipv6_chk_acast_addr()`, `ac6_seq_show()`).
pub(crate) fn walk_rcu<F: FnMut(&RxDev<'_>, AcEntry) -> bool>(
    net: &Net,
    dev: Option<&RxDev<'_>>,
    _rcu: &Rcu,
    mut f: F,
) -> bool {
    unsafe extern "C" fn tramp<F: FnMut(&RxDev<'_>, AcEntry) -> bool>(
        ctx: *mut c_void,
        dev: *mut bindings::net_device,
        addr: *const bindings::in6_addr,
        users: c_int,
    ) -> bool {
        // SAFETY: `ctx` is the `&mut F` passed below, alive for the walk.
        let f = unsafe { &mut *ctx.cast::<F>() };
        // SAFETY: the walk holds RCU (the `Rcu` guard) over a live device of the
        // namespace, for the call.
        let d = unsafe { RxDev::new(dev) };
        // SAFETY: the entry's address, live under RCU for the call.
        let addr = Ipv6Addr::from(unsafe { (*addr).in6_u.u6_addr8 });
        f(&d, AcEntry { addr, users })
    }
    let devp = dev.map_or(core::ptr::null_mut(), |d| d.as_ptr());
    // SAFETY: `net` is live, RCU is held (`_rcu`) and `devp` is null or a device
    // under it; the trampoline matches `f`'s type and `f` outlives the call.
    unsafe {
        bindings::ipv6_rs_ac_walk_rcu(net.as_ptr(), devp, Some(tramp::<F>), (&raw mut f).cast())
    }
}

/// `net.ipv6.icmp.echo_ignore_anycast` and `net.ipv6.anycast_src_echo_reply`.
pub(crate) fn echo_sysctls(net: &Net) -> (bool, bool) {
    let (mut ignore, mut src_reply) = (false, false);
    // SAFETY: a live namespace; the helper writes the two flags.
    unsafe { bindings::ipv6_rs_anycast_sysctls(net.as_ptr(), &mut ignore, &mut src_reply) };
    (ignore, src_reply)
}

/// Whether `net` grants `CAP_NET_ADMIN` to the caller (`ns_capable(net->user_ns, ..)`).
pub(crate) fn net_admin(net: &Net) -> bool {
    // SAFETY: a live namespace.
    unsafe { bindings::ipv6_rs_ns_capable_net_admin(net.as_ptr()) }
}

/// The first device of `net` that is up and not the loopback device
/// (`__dev_get_by_flags(net, IFF_UP, IFF_UP | IFF_LOOPBACK)`), under RTNL.
pub(crate) fn first_up_dev<'a>(
    rtnl: crate::net::netlink::RtnlHeld<'a>,
    net: &Net,
) -> Option<&'a NetDevice> {
    let _ = rtnl;
    let up = bindings::net_device_flags_IFF_UP as u16;
    let mask = up | bindings::net_device_flags_IFF_LOOPBACK as u16;
    // SAFETY: a live namespace; RTNL is held for `'a` (`rtnl`).
    let p = unsafe { bindings::__dev_get_by_flags(net.as_ptr(), up, mask) };
    // SAFETY: a device of the namespace found under RTNL, held for `'a`.
    (!p.is_null()).then(|| unsafe { NetDevice::from_raw(p) })
}

/// A socket's anycast join (`struct ipv6_ac_socklist`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct AcJoin {
    pub(crate) ifindex: u32,
    pub(crate) addr: Ipv6Addr,
}

/// A join's memory, charged to the socket, before it is listed.
///
/// # Invariants
/// `p` came from [`Sock::ac_alloc`] on `sk` and is not listed.
pub(crate) struct AcSlot<'s> {
    sk: &'s Sock,
    p: NonNull<bindings::ipv6_ac_socklist>,
}

impl AcSlot<'_> {
    /// Lists it at the head of the socket's joins, for `addr` on `ifindex`. Under RTNL.
    pub(crate) fn link(
        self,
        _rtnl: crate::net::netlink::RtnlHeld<'_>,
        ifindex: u32,
        addr: &Ipv6Addr,
    ) {
        let a = in6(addr);
        // SAFETY: RTNL is held (`_rtnl`), which serialises the socket's list; the slot
        // is unlisted (type invariant) and listed once here.
        unsafe {
            bindings::ipv6_rs_sk_ac_link(self.sk.as_ptr(), self.p.as_ptr(), ifindex as c_int, &a)
        };
        core::mem::forget(self);
    }
}

impl Drop for AcSlot<'_> {
    fn drop(&mut self) {
        // SAFETY: allocated on this socket, never listed (type invariant).
        unsafe { bindings::ipv6_rs_sk_ac_free(self.sk.as_ptr(), self.p.as_ptr()) };
    }
}

impl Sock {
    /// Memory for an anycast join within the socket's option memory (`ENOMEM`
    /// beyond).
    pub(crate) fn ac_alloc(&self) -> Result<AcSlot<'_>, i32> {
        // SAFETY: a live socket.
        let p = unsafe { bindings::ipv6_rs_sk_ac_alloc(self.as_ptr()) };
        NonNull::new(p)
            .map(|p| AcSlot { sk: self, p })
            .ok_or(bindings::ENOMEM as i32)
    }

    /// Whether the socket has no anycast join (read without RTNL, as mainline's
    /// `ipv6_sock_ac_close()` does before it takes it).
    pub(crate) fn ac_empty(&self) -> bool {
        // SAFETY: a live socket; a single pointer read.
        unsafe { bindings::ipv6_rs_sk_ac_empty(self.as_ptr()) }
    }

    /// Takes the first join of `addr` on `ifindex` (any interface if 0) off the
    /// socket, or with `any` the first of all, and frees it. Under RTNL.
    pub(crate) fn ac_take(
        &self,
        _rtnl: crate::net::netlink::RtnlHeld<'_>,
        ifindex: u32,
        addr: &Ipv6Addr,
        any: bool,
    ) -> Option<AcJoin> {
        let a = in6(addr);
        // SAFETY: a live socket; RTNL is held (`_rtnl`), which serialises its list;
        // the helper unlinks at most one entry.
        let p = unsafe { bindings::ipv6_rs_sk_ac_unlink(self.as_ptr(), ifindex as c_int, &a, any) };
        if p.is_null() {
            return None;
        }
        // SAFETY: unlinked under RTNL, so ours (no reader walks the list without it);
        // read once, then freed back to the socket's option memory.
        unsafe {
            let j = AcJoin {
                ifindex: (*p).acl_ifindex as u32,
                addr: Ipv6Addr::from((*p).acl_addr.in6_u.u6_addr8),
            };
            bindings::ipv6_rs_sk_ac_free(self.as_ptr(), p);
            Some(j)
        }
    }
}
