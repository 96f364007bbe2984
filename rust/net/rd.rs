// SPDX-License-Identifier: GPL-2.0

//! Router discovery's deferred work: the queue of received router advertisements,
//! carried out under RTNL by a work, and each device's router solicitation timer
//! (`idev->rs_timer`).

use crate::{
    bindings,
    net::{
        device::{NetDevice, RxDev},
        inet6_dev::Inet6Dev,
        rcu::Rcu,
        skb::Skb,
    },
};
use core::{marker::PhantomData, ptr::NonNull};

/// A device's router solicitation state (`struct ipv6_rs_rs_state`: `IF_READY` and not
/// dead, `if_flags`, `accept_ra`, `forwarding`, `rs_probes`, `rs_interval`, and the
/// `rtr_solicit*` settings).
pub(crate) type RsState = bindings::ipv6_rs_rs_state;

/// What router discovery does with its deferred work.
pub(crate) trait RouterDiscovery {
    /// Carries out a queued router advertisement `skb` (its data at the ICMPv6
    /// message, its network header at the IPv6 header) that arrived on `dev`, under
    /// RTNL.
    fn ra(dev: &NetDevice, skb: Skb);
    /// A device's router solicitation timer fired.
    fn rs_timer(t: &RsTimer<'_>);
}

/// A device's IPv6 state, held by its firing router solicitation timer.
///
/// # Invariants
/// `idev` is an inet6_dev on which the timer holds a reference for `'a`.
pub(crate) struct RsTimer<'a> {
    idev: NonNull<bindings::inet6_dev>,
    _held: PhantomData<&'a ()>,
}

impl RsTimer<'_> {
    /// The device's solicitation state now.
    pub(crate) fn state(&self) -> RsState {
        let mut st = RsState::default();
        // SAFETY: a held inet6_dev (type invariant).
        unsafe { bindings::ipv6_rs_rs_state(self.idev.as_ptr(), &mut st) };
        st
    }

    /// Runs `f` with the datapath's view of the device, in an RCU section.
    pub(crate) fn with_rx(&self, f: impl FnOnce(&RxDev<'_>)) {
        let _rcu = Rcu::read_lock();
        // SAFETY: the held inet6_dev holds its device; RCU is held for the view's use.
        f(&unsafe { RxDev::new(bindings::ipv6_rs_idev_dev(self.idev.as_ptr())) });
    }

    /// A solicitation went out: see [`Inet6Dev::rs_sent`].
    pub(crate) fn sent(&self, probes: i32, interval: i32, set_flags: u32, delay: u64) {
        // SAFETY: a held inet6_dev (type invariant).
        unsafe {
            bindings::ipv6_rs_rs_sent(self.idev.as_ptr(), probes, interval, set_flags, delay as _)
        };
    }
}

impl Inet6Dev {
    /// A solicitation went out: records `probes` and `interval`, sets `set_flags` in
    /// `if_flags`, and re-arms the timer for `delay` jiffies, unless the device went
    /// down.
    pub(crate) fn rs_sent(&self, probes: i32, interval: i32, set_flags: u32, delay: u64) {
        // SAFETY: a live inet6_dev under RTNL (type invariant).
        unsafe {
            bindings::ipv6_rs_rs_sent(self.as_ptr(), probes, interval, set_flags, delay as _)
        };
    }
}

/// # Safety
/// Called by the RA work with RTNL held, handing over a packet whose device it holds.
unsafe extern "C" fn ra_tramp<T: RouterDiscovery>(skb: *mut bindings::sk_buff) {
    // SAFETY: see the function's contract.
    let Some(skb) = (unsafe { Skb::from_raw(skb) }) else {
        return;
    };
    // SAFETY: the queue holds the device; RTNL is held for the call.
    let dev = unsafe { NetDevice::from_raw(bindings::ipv6_rs_skb_dev(skb.as_ptr())) };
    T::ra(dev, skb);
}

/// # Safety
/// Called by a device's `rs_timer` with a reference on `idev`.
unsafe extern "C" fn rs_tramp<T: RouterDiscovery>(idev: *mut bindings::inet6_dev) {
    if let Some(idev) = NonNull::new(idev) {
        T::rs_timer(&RsTimer {
            idev,
            _held: PhantomData,
        });
    }
}

/// Queues a checked router advertisement for the work, which carries it out under
/// RTNL; it comes back if the queue is full (an RA flood is dropped rather than queued
/// without bound).
pub(crate) fn queue_ra(skb: Skb) -> Result<(), Skb> {
    let p = skb.into_raw();
    // SAFETY: we own the packet; on success the queue owns it (and holds its device).
    if unsafe { bindings::ipv6_rs_ra_enqueue(p) } {
        return Ok(());
    }
    // SAFETY: refused, so still ours.
    match unsafe { Skb::from_raw(p) } {
        Some(skb) => Err(skb),
        None => Ok(()),
    }
}

/// Router discovery's work and timers running `T`. Set up before devices get IPv6
/// (the timers are theirs) and torn down once packets no longer arrive.
pub(crate) struct RdWork<T: RouterDiscovery>(PhantomData<T>);

impl<T: RouterDiscovery> RdWork<T> {
    pub(crate) fn new() -> Self {
        // SAFETY: the trampolines keep the contracts of the RA work and the RS timer.
        unsafe {
            bindings::ipv6_rs_ra_init(Some(ra_tramp::<T>));
            bindings::ipv6_rs_rs_init(Some(rs_tramp::<T>));
        }
        Self(PhantomData)
    }
}

impl<T: RouterDiscovery> Drop for RdWork<T> {
    fn drop(&mut self) {
        // SAFETY: initialised in `new`; the packet type is gone, so nothing queues more.
        unsafe { bindings::ipv6_rs_ra_exit() };
    }
}

impl RxDev<'_> {
    /// The valid hardware address of the neighbour `target` on this device (made if
    /// missing), copied into `buf`; its length, 0 if none.
    pub(crate) fn neigh_valid_ha(&self, target: &core::net::Ipv6Addr, buf: &mut [u8]) -> usize {
        let key = crate::net::in6(target);
        let len = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        // SAFETY: BH-disabled RCU around the lookup, as for a transmit; the table is
        // registered while packet paths run; the device is live (type invariant);
        // the helper copies at most `len` bytes.
        unsafe {
            bindings::ipv6_rs_rcu_read_lock_bh();
            let n = bindings::ipv6_rs_neigh_get(crate::net::neigh::table(), &key, self.as_ptr());
            let l = if bindings::ipv6_rs_is_err_or_null(n.cast()) {
                0
            } else {
                let l = bindings::ipv6_rs_neigh_valid_ha(n, buf.as_mut_ptr(), len);
                bindings::ipv6_rs_neigh_release(n);
                l as usize
            };
            bindings::ipv6_rs_rcu_read_unlock_bh();
            l
        }
    }
}
