// SPDX-License-Identifier: GPL-2.0

//! A device's IPv6 state: the kernel's own `struct inet6_dev` in `dev->ip6_ptr`, so that
//! built-in code that reads it (pktgen, BPF FIB lookups, ICMP extensions) finds what it
//! would find with mainline's ipv6.ko. It is freed by the kernel's
//! `in6_dev_finish_destroy()` once its last reference is gone.

use crate::bindings;
use crate::net::device::NetDevice;
use crate::net::procfs;
use kernel::{error::to_result, prelude::*};

/// Gives `dev` its IPv6 state, configured from `conf` (the namespace's `default`).
pub(crate) fn attach<S: procfs::DevMibsShow, E: crate::net::sysctl::DevconfEvents>(
    dev: &NetDevice,
    dflt: &bindings::ipv6_devconf,
) -> Result {
    // SAFETY: a plain C struct: a bitwise copy is a copy.
    let mut cnf = unsafe { core::ptr::read(dflt) };
    // As mainline's ipv6_add_dev(): no DAD where there is no one to collide with, no
    // temporary addresses on loopback and on links without a hardware address.
    if dev.is_loopback() || dev.is_noarp() {
        cnf.accept_dad = -1;
    }
    let t = dev.dev_type();
    // ISATAP finds its routers in its potential router list.
    if t == bindings::ARPHRD_SIT && dev.is_isatap() {
        pr_info!("{}: Disabled Multicast RS\n", dev.name());
        cnf.rtr_solicits = 0;
    }
    if dev.is_loopback()
        || [
            bindings::ARPHRD_TUNNEL,
            bindings::ARPHRD_TUNNEL6,
            bindings::ARPHRD_SIT,
            bindings::ARPHRD_NONE,
        ]
        .contains(&t)
    {
        cnf.use_tempaddr = -1;
    }
    // SAFETY: `dev` is live with RTNL held (NetDevice invariant); `cnf` is copied.
    to_result(unsafe { bindings::ipv6_rs_idev_attach(dev.as_ptr(), &cnf) })?;
    if let Err(e) = dev.nd_attach() {
        // SAFETY: as above; undoes the attach.
        unsafe { bindings::ipv6_rs_idev_detach(dev.as_ptr()) };
        return Err(e);
    }
    // SAFETY: just attached, RTNL held.
    let idev = unsafe { bindings::ipv6_rs_dev_idev(dev.as_ptr()) };
    // SAFETY: a live inet6_dev under RTNL; removed in `detach` (or on rename) first.
    unsafe { procfs::dev_snmp6_add::<S>(idev) };
    sysctl_register::<E>(dev, idev);
    Ok(())
}

/// `net.ipv6.conf.<dev>.*` over the device's `inet6_dev.cnf`. Under RTNL.
fn sysctl_register<E: crate::net::sysctl::DevconfEvents>(
    dev: &NetDevice,
    idev: *mut bindings::inet6_dev,
) {
    // SAFETY: live inet6_dev under RTNL; the table goes in `sysctl_unregister`, before
    // the inet6_dev is released.
    unsafe {
        let cnf = bindings::ipv6_rs_idev_cnf_ptr(idev);
        match crate::net::sysctl::register::<E>(dev.net().as_ptr(), dev.name(), cnf, idev) {
            Ok(h) => (*cnf).sysctl_header = h,
            Err(e) => pr_warn!("{}: cannot register IPv6 sysctls: {:?}\n", dev.name(), e),
        }
    }
}

fn sysctl_unregister(idev: *mut bindings::inet6_dev) {
    // SAFETY: live inet6_dev under RTNL; its header is ours or null.
    unsafe {
        let cnf = bindings::ipv6_rs_idev_cnf_ptr(idev);
        crate::net::sysctl::unregister((*cnf).sysctl_header);
        (*cnf).sysctl_header = core::ptr::null_mut();
    }
}

/// The device was renamed: its sysctl directory and dev_snmp6 file follow
/// (mainline `NETDEV_CHANGENAME`). Under RTNL.
pub(crate) fn renamed<S: procfs::DevMibsShow, E: crate::net::sysctl::DevconfEvents>(
    dev: &NetDevice,
) {
    // SAFETY: RTNL held.
    let idev = unsafe { bindings::ipv6_rs_dev_idev(dev.as_ptr()) };
    if idev.is_null() {
        return;
    }
    sysctl_unregister(idev);
    // SAFETY: a live inet6_dev under RTNL.
    unsafe {
        procfs::dev_snmp6_remove(idev);
        procfs::dev_snmp6_add::<S>(idev);
    }
    sysctl_register::<E>(dev, idev);
}

/// Takes `dev`'s IPv6 state away; the kernel frees it after its last user.
pub(crate) fn detach(dev: &NetDevice) {
    // SAFETY: RTNL held; callers detach only devices that have an inet6_dev.
    let idev = unsafe { bindings::ipv6_rs_dev_idev(dev.as_ptr()) };
    sysctl_unregister(idev);
    // SAFETY: a live inet6_dev under RTNL.
    unsafe { procfs::dev_snmp6_remove(idev) };
    dev.nd_detach();
    // SAFETY: `dev` is live with RTNL held (NetDevice invariant).
    unsafe { bindings::ipv6_rs_idev_detach(dev.as_ptr()) };
}

/// The `ipv6_devconf` settings of router discovery and SLAAC (mainline's names).
#[derive(Clone, Copy)]
pub(crate) struct RaConf {
    pub(crate) accept_ra: i32,
    pub(crate) forwarding: bool,
    pub(crate) accept_ra_defrtr: bool,
    pub(crate) accept_ra_min_lft: u32,
    pub(crate) accept_ra_rtr_pref: bool,
    pub(crate) ra_defrtr_metric: u32,
    pub(crate) accept_ra_min_hop_limit: i32,
    pub(crate) accept_ra_rt_info_min_plen: i32,
    pub(crate) accept_ra_rt_info_max_plen: i32,
    pub(crate) accept_ra_pinfo: bool,
    pub(crate) accept_ra_mtu: bool,
    pub(crate) mtu6: u32,
    pub(crate) autoconf: bool,
    pub(crate) max_addresses: i32,
    pub(crate) ra_honor_pio_life: bool,
    pub(crate) ra_honor_pio_pflag: bool,
    pub(crate) rtr_solicits: i32,
    pub(crate) rtr_solicit_interval: i32,
}

/// A device's `struct inet6_dev`, borrowed under RTNL.
///
/// # Invariants
/// It is the live `ip6_ptr` of a device and RTNL is held while the reference lives.
#[repr(transparent)]
pub(crate) struct Inet6Dev(kernel::types::Opaque<bindings::inet6_dev>);

impl Inet6Dev {
    /// The IPv6 state of `dev`, if it has any.
    pub(crate) fn of(dev: &NetDevice) -> Option<&Self> {
        // SAFETY: the device is live with RTNL held (NetDevice invariant).
        let p = unsafe { bindings::ipv6_rs_dev_idev(dev.as_ptr()) };
        // SAFETY: non-null ip6_ptr is a live inet6_dev while RTNL is held; repr(transparent).
        (!p.is_null()).then(|| unsafe { &*p.cast::<Self>() })
    }

    pub(crate) fn as_ptr(&self) -> *mut bindings::inet6_dev {
        self.0.get()
    }

    /// The C struct, for reading single fields through the pointer (no reference to
    /// the whole struct, whose counters and settings others write).
    fn raw(&self) -> *const bindings::inet6_dev {
        self.0.get()
    }

    /// Reachable and retransmit times of its neighbour parameters, in ms.
    pub(crate) fn nd_times(&self) -> (u32, u32) {
        let (mut reach, mut retrans) = (0, 0);
        // SAFETY: a live inet6_dev under RTNL has its nd_parms (set at attach).
        unsafe { bindings::ipv6_rs_idev_nd_times(self.as_ptr(), &mut reach, &mut retrans) };
        (reach, retrans)
    }

    /// `IF_*` flags (`if_flags`).
    pub(crate) fn if_flags(&self) -> u32 {
        // SAFETY: live and RTNL held (type invariant); its writers hold RTNL too.
        unsafe { (*self.raw()).if_flags }
    }

    /// Last update of the device's IPv6 state, in jiffies.
    pub(crate) fn tstamp(&self) -> usize {
        // SAFETY: live and RTNL held (type invariant); its writers hold RTNL too.
        unsafe { (*self.raw()).tstamp as usize }
    }

    /// The interface identifier token (`ip token`), `::` if unset.
    /// Sets the token's interface identifier (its last 8 octets), under RTNL.
    pub(crate) fn set_token(&self, iid: &[u8; 8]) {
        // SAFETY: live and RTNL held (type invariant); the helper takes the lock.
        unsafe { bindings::ipv6_rs_idev_set_token(self.as_ptr(), iid.as_ptr()) };
    }

    /// Addresses made from the token expire now (their lifetimes become 0), under
    /// RTNL; the address check removes them.
    pub(crate) fn expire_tokenized(&self) {
        // SAFETY: live and RTNL held (type invariant); the helper takes the locks.
        unsafe { bindings::ipv6_rs_idev_expire_tokenized(self.as_ptr()) };
    }

    pub(crate) fn token(&self) -> [u8; 16] {
        // SAFETY: live and RTNL held (type invariant), its writers hold RTNL too; every
        // bit pattern of the in6_addr union is a valid [u8; 16].
        unsafe { (*self.raw()).token.in6_u.u6_addr8 }
    }

    /// `desync_factor` of temporary addresses (`u32::MAX` until first drawn).
    pub(crate) fn desync_factor(&self) -> u32 {
        // SAFETY: live idev (type invariant).
        unsafe { bindings::ipv6_rs_idev_desync_factor(self.as_ptr()) }
    }

    /// Sets `desync_factor`.
    pub(crate) fn set_desync_factor(&self, v: u32) {
        // SAFETY: live idev (type invariant); the helper takes its lock.
        unsafe { bindings::ipv6_rs_idev_set_desync_factor(self.as_ptr(), v) };
    }

    /// The RFC 7217 secret of the device, else of the namespace's `default`
    /// (`ipv6_generate_stable_address()`), if either is set.
    pub(crate) fn stable_secret(&self, dflt: &bindings::ipv6_devconf) -> Option<[u8; 16]> {
        let own = self.cnf().stable_secret;
        let s = if own.initialized {
            own
        } else if dflt.stable_secret.initialized {
            dflt.stable_secret
        } else {
            return None;
        };
        // SAFETY: every bit pattern of the in6_addr union is a valid [u8; 16].
        Some(unsafe { s.secret.in6_u.u6_addr8 })
    }

    /// Sets the device's RFC 7217 secret (`ipv6_gen_mode_random_init()`). Under RTNL.
    pub(crate) fn set_stable_secret(&self, secret: &[u8; 16]) {
        let a = crate::net::in6(&core::net::Ipv6Addr::from(*secret));
        // SAFETY: live idev under RTNL (type invariant); the helper copies `a`.
        unsafe { bindings::ipv6_rs_idev_set_stable_secret(self.as_ptr(), &a) };
    }

    /// Sets `use_tempaddr` (mainline gives up on temporary addresses with -1).
    pub(crate) fn set_use_tempaddr(&self, v: i32) {
        // SAFETY: live idev (type invariant); one int written.
        unsafe { bindings::ipv6_rs_idev_set_use_tempaddr(self.as_ptr(), v) };
    }

    /// Sets `addr_gen_mode`.
    pub(crate) fn set_addr_gen_mode(&self, v: u32) {
        // SAFETY: live idev (type invariant); one int written.
        unsafe { bindings::ipv6_rs_idev_set_addr_gen_mode(self.as_ptr(), v) };
    }

    /// MTU advertised by routers (`ra_mtu`), 0 if none.
    pub(crate) fn ra_mtu(&self) -> u32 {
        // SAFETY: live and RTNL held (type invariant); its writers hold RTNL too.
        unsafe { (*self.raw()).ra_mtu }
    }

    /// Sets the hop limit of the device's packets (`cnf.hop_limit`), as an RA does.
    pub(crate) fn set_hop_limit(&self, hop_limit: u8) {
        // SAFETY: live idev (type invariant).
        unsafe { bindings::ipv6_rs_idev_set_hop_limit(self.as_ptr(), hop_limit.into()) };
    }

    /// Sets the IPv6 MTU of the link (`cnf.mtu6`), as an RA's MTU option does.
    pub(crate) fn set_mtu6(&self, mtu: u32) {
        // SAFETY: live idev (type invariant).
        unsafe { bindings::ipv6_rs_idev_set_mtu6(self.as_ptr(), mtu as i32) };
    }

    /// Records the MTU routers advertise (`ra_mtu`); returns whether it changed.
    pub(crate) fn set_ra_mtu(&self, mtu: u32) -> bool {
        // SAFETY: live idev (type invariant).
        unsafe { bindings::ipv6_rs_idev_set_ra_mtu(self.as_ptr(), mtu) }
    }

    /// Sets the neighbour retransmit time (jiffies), as an RA does.
    pub(crate) fn set_retrans_time(&self, jiffies: u64) {
        // SAFETY: live idev (type invariant) with its nd_parms (set at attach).
        unsafe { bindings::ipv6_rs_idev_set_retrans(self.as_ptr(), jiffies as _) };
    }

    /// Sets the base reachable time (jiffies), as an RA does; returns whether it changed.
    pub(crate) fn set_reachable_time(&self, jiffies: u64) -> bool {
        // SAFETY: live idev (type invariant) with its nd_parms (set at attach).
        unsafe { bindings::ipv6_rs_idev_set_reachable(self.as_ptr(), jiffies as _) }
    }

    /// The settings router discovery and SLAAC read, copied (an RA changes some).
    pub(crate) fn ra_conf(&self) -> RaConf {
        let c = self.cnf();
        RaConf {
            accept_ra: c.accept_ra,
            forwarding: c.forwarding != 0,
            accept_ra_defrtr: c.accept_ra_defrtr != 0,
            accept_ra_min_lft: c.accept_ra_min_lft as u32,
            accept_ra_rtr_pref: c.accept_ra_rtr_pref != 0,
            ra_defrtr_metric: c.ra_defrtr_metric,
            accept_ra_min_hop_limit: c.accept_ra_min_hop_limit,
            accept_ra_rt_info_min_plen: c.accept_ra_rt_info_min_plen,
            accept_ra_rt_info_max_plen: c.accept_ra_rt_info_max_plen,
            accept_ra_pinfo: c.accept_ra_pinfo != 0,
            accept_ra_mtu: c.accept_ra_mtu != 0,
            mtu6: c.mtu6 as u32,
            autoconf: c.autoconf != 0,
            max_addresses: c.max_addresses,
            ra_honor_pio_life: c.ra_honor_pio_life != 0,
            ra_honor_pio_pflag: c.ra_honor_pio_pflag != 0,
            rtr_solicits: c.rtr_solicits,
            rtr_solicit_interval: c.rtr_solicit_interval,
        }
    }

    /// The device's settings (`cnf`), copied: sysctl writes change them without RTNL,
    /// so they are read once, field by field as the kernel's readers do, never
    /// referenced.
    pub(crate) fn cnf(&self) -> bindings::ipv6_devconf {
        // SAFETY: a live inet6_dev (type invariant); a volatile copy of plain integers
        // and pointers, which any concurrent single-field write leaves valid.
        unsafe { core::ptr::read_volatile(&raw const (*self.raw()).cnf) }
    }

    /// `net.ipv6.conf.<dev>.disable_ipv6`.
    pub(crate) fn disabled(&self) -> bool {
        self.cnf().disable_ipv6 != 0
    }

    /// Sets `set` and clears `clear` in `if_flags`; under RTNL.
    pub(crate) fn update_if_flags(&self, set: u32, clear: u32) {
        // SAFETY: a live inet6_dev under RTNL (type invariant); its if_flags writers
        // hold RTNL.
        unsafe { bindings::ipv6_rs_idev_update_if_flags((*self.raw()).dev, set, clear) };
    }

    /// Stops router solicitation (`IF_RS_SENT`, `IF_RA_RCVD` cleared, the timer
    /// stopped), as the device goes down.
    pub(crate) fn rs_stop(&self) {
        // SAFETY: a live inet6_dev under RTNL (type invariant).
        unsafe { bindings::ipv6_rs_rs_stop(self.as_ptr()) };
    }

    /// IPv6 and ICMPv6 counters as `IFLA_INET6_STATS`/`IFLA_INET6_ICMP6STATS` carry them.
    pub(crate) fn fill_stats(
        &self,
        ip: &mut [u64; IPSTATS_ITEMS],
        icmp: &mut [u64; ICMP6STATS_ITEMS],
    ) {
        // SAFETY: live idev (type invariant); the arrays have the sizes the helper
        // writes, checked against the kernel's at module init (`check_stats_sizes`).
        unsafe {
            bindings::ipv6_rs_idev_fill_stats(self.as_ptr(), ip.as_mut_ptr(), icmp.as_mut_ptr())
        };
    }
}

/// Items of `IFLA_INET6_STATS` (`IPSTATS_MIB_MAX`) in this kernel.
pub(crate) const IPSTATS_ITEMS: usize = bindings::__IPSTATS_MIB_MAX as usize;
/// Items of `IFLA_INET6_ICMP6STATS` (`ICMP6_MIB_MAX`) in this kernel.
pub(crate) const ICMP6STATS_ITEMS: usize = bindings::__ICMP6_MIB_MAX as usize;

/// Refuses to load if the counter arrays above do not match the kernel's.
pub(crate) fn check_stats_sizes() -> Result {
    // SAFETY: reads kernel constants.
    let (ip, icmp) = unsafe {
        (
            bindings::ipv6_rs_ipstats_items(),
            bindings::ipv6_rs_icmp6stats_items(),
        )
    };
    if ip as usize == IPSTATS_ITEMS && icmp as usize == ICMP6STATS_ITEMS {
        Ok(())
    } else {
        Err(kernel::error::code::EINVAL)
    }
}
