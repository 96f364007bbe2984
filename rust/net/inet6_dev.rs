// SPDX-License-Identifier: GPL-2.0

//! A device's IPv6 state: the kernel's own `struct inet6_dev` in `dev->ip6_ptr`, so that
//! built-in code that reads it (pktgen, BPF FIB lookups, ICMP extensions) finds what it
//! would find with mainline's ipv6.ko. It is freed by the kernel's
//! `in6_dev_finish_destroy()` once its last reference is gone.

use crate::net::device::NetDevice;
use crate::net::procfs;
use crate::{bindings, conf::DevConf};
use kernel::{error::to_result, prelude::*};

/// The kernel's `struct ipv6_devconf` with our settings in it.
pub(crate) fn kernel_devconf(c: &DevConf) -> bindings::ipv6_devconf {
    bindings::ipv6_devconf {
        disable_ipv6: c.disable_ipv6,
        hop_limit: c.hop_limit,
        mtu6: c.mtu,
        forwarding: c.forwarding,
        disable_policy: c.disable_policy,
        proxy_ndp: c.proxy_ndp,
        accept_ra: c.accept_ra,
        accept_redirects: c.accept_redirects,
        autoconf: c.autoconf,
        dad_transmits: c.dad_transmits,
        rtr_solicits: c.router_solicitations,
        rtr_solicit_interval: ms_to_jiffies(c.router_solicitation_interval_ms),
        rtr_solicit_max_interval: ms_to_jiffies(c.router_solicitation_max_interval_ms),
        rtr_solicit_delay: ms_to_jiffies(c.router_solicitation_delay_ms),
        force_mld_version: c.force_mld_version,
        mldv1_unsolicited_report_interval: ms_to_jiffies(c.mldv1_unsolicited_report_interval_ms),
        mldv2_unsolicited_report_interval: ms_to_jiffies(c.mldv2_unsolicited_report_interval_ms),
        use_tempaddr: c.use_tempaddr,
        temp_valid_lft: c.temp_valid_lft,
        temp_prefered_lft: c.temp_prefered_lft,
        regen_min_advance: c.regen_min_advance,
        regen_max_retry: c.regen_max_retry,
        max_desync_factor: c.max_desync_factor,
        max_addresses: c.max_addresses,
        accept_ra_defrtr: c.accept_ra_defrtr,
        ra_defrtr_metric: c.ra_defrtr_metric,
        accept_ra_min_hop_limit: c.accept_ra_min_hop_limit,
        accept_ra_min_lft: c.accept_ra_min_lft,
        accept_ra_pinfo: c.accept_ra_pinfo,
        ignore_routes_with_linkdown: c.ignore_routes_with_linkdown,
        accept_ra_rtr_pref: c.accept_ra_rtr_pref,
        rtr_probe_interval: ms_to_jiffies(c.router_probe_interval_ms),
        accept_ra_rt_info_min_plen: c.accept_ra_rt_info_min_plen,
        accept_ra_rt_info_max_plen: c.accept_ra_rt_info_max_plen,
        accept_source_route: c.accept_source_route,
        accept_ra_from_local: c.accept_ra_from_local,
        drop_unicast_in_l2_multicast: c.drop_unicast_in_l2_multicast,
        accept_dad: c.accept_dad,
        force_tllao: c.force_tllao,
        ndisc_notify: c.ndisc_notify,
        suppress_frag_ndisc: c.suppress_frag_ndisc,
        accept_ra_mtu: c.accept_ra_mtu,
        drop_unsolicited_na: c.drop_unsolicited_na,
        accept_untracked_na: c.accept_untracked_na,
        use_oif_addrs_only: c.use_oif_addrs_only,
        keep_addr_on_down: c.keep_addr_on_down,
        seg6_enabled: c.seg6_enabled,
        enhanced_dad: c.enhanced_dad,
        addr_gen_mode: c.addr_gen_mode,
        ndisc_tclass: c.ndisc_tclass,
        rpl_seg_enabled: c.rpl_seg_enabled,
        ioam6_id: c.ioam6_id,
        ioam6_id_wide: c.ioam6_id_wide,
        ioam6_enabled: c.ioam6_enabled,
        ndisc_evict_nocarrier: c.ndisc_evict_nocarrier,
        ra_honor_pio_life: c.ra_honor_pio_life,
        ra_honor_pio_pflag: c.ra_honor_pio_pflag,
        ..Default::default()
    }
}

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
    pub(crate) fn token(&self) -> [u8; 16] {
        // SAFETY: live and RTNL held (type invariant), its writers hold RTNL too; every
        // bit pattern of the in6_addr union is a valid [u8; 16].
        unsafe { (*self.raw()).token.in6_u.u6_addr8 }
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

fn ms_to_jiffies(ms: i32) -> i32 {
    // SAFETY: pure conversion.
    unsafe { bindings::ipv6_rs_msecs_to_jiffies(ms.max(0) as u32) as i32 }
}

fn jiffies_to_ms(j: i32) -> i32 {
    // SAFETY: pure conversion.
    unsafe { bindings::jiffies_to_msecs(j.max(0) as _) as i32 }
}

/// `IFLA_INET6_CONF`: the settings as a `DEVCONF_*`-indexed array (mainline
/// `ipv6_store_devconf()` for this kernel's config: router preference and route
/// information on; optimistic DAD, multicast routing and SR HMAC off).
pub(crate) fn devconf_array(c: &bindings::ipv6_devconf) -> [i32; bindings::DEVCONF_MAX as usize] {
    use bindings::*;
    let mut a = [0i32; DEVCONF_MAX as usize];
    let mut set = |i: u32, v: i32| a[i as usize] = v;
    set(DEVCONF_FORWARDING, c.forwarding);
    set(DEVCONF_HOPLIMIT, c.hop_limit);
    set(DEVCONF_MTU6, c.mtu6);
    set(DEVCONF_ACCEPT_RA, c.accept_ra);
    set(DEVCONF_ACCEPT_REDIRECTS, c.accept_redirects);
    set(DEVCONF_AUTOCONF, c.autoconf);
    set(DEVCONF_DAD_TRANSMITS, c.dad_transmits);
    set(DEVCONF_RTR_SOLICITS, c.rtr_solicits);
    set(
        DEVCONF_RTR_SOLICIT_INTERVAL,
        jiffies_to_ms(c.rtr_solicit_interval),
    );
    set(
        DEVCONF_RTR_SOLICIT_MAX_INTERVAL,
        jiffies_to_ms(c.rtr_solicit_max_interval),
    );
    set(
        DEVCONF_RTR_SOLICIT_DELAY,
        jiffies_to_ms(c.rtr_solicit_delay),
    );
    set(DEVCONF_FORCE_MLD_VERSION, c.force_mld_version);
    set(
        DEVCONF_MLDV1_UNSOLICITED_REPORT_INTERVAL,
        jiffies_to_ms(c.mldv1_unsolicited_report_interval),
    );
    set(
        DEVCONF_MLDV2_UNSOLICITED_REPORT_INTERVAL,
        jiffies_to_ms(c.mldv2_unsolicited_report_interval),
    );
    set(DEVCONF_USE_TEMPADDR, c.use_tempaddr);
    set(DEVCONF_TEMP_VALID_LFT, c.temp_valid_lft);
    set(DEVCONF_TEMP_PREFERED_LFT, c.temp_prefered_lft);
    set(DEVCONF_REGEN_MAX_RETRY, c.regen_max_retry);
    set(DEVCONF_MAX_DESYNC_FACTOR, c.max_desync_factor);
    set(DEVCONF_MAX_ADDRESSES, c.max_addresses);
    set(DEVCONF_ACCEPT_RA_DEFRTR, c.accept_ra_defrtr);
    set(DEVCONF_RA_DEFRTR_METRIC, c.ra_defrtr_metric as i32);
    set(DEVCONF_ACCEPT_RA_MIN_HOP_LIMIT, c.accept_ra_min_hop_limit);
    set(DEVCONF_ACCEPT_RA_PINFO, c.accept_ra_pinfo);
    set(DEVCONF_ACCEPT_RA_RTR_PREF, c.accept_ra_rtr_pref);
    set(
        DEVCONF_RTR_PROBE_INTERVAL,
        jiffies_to_ms(c.rtr_probe_interval),
    );
    set(
        DEVCONF_ACCEPT_RA_RT_INFO_MIN_PLEN,
        c.accept_ra_rt_info_min_plen,
    );
    set(
        DEVCONF_ACCEPT_RA_RT_INFO_MAX_PLEN,
        c.accept_ra_rt_info_max_plen,
    );
    set(DEVCONF_PROXY_NDP, c.proxy_ndp);
    set(DEVCONF_ACCEPT_SOURCE_ROUTE, c.accept_source_route);
    set(DEVCONF_DISABLE_IPV6, c.disable_ipv6);
    set(DEVCONF_ACCEPT_DAD, c.accept_dad);
    set(DEVCONF_FORCE_TLLAO, c.force_tllao);
    set(DEVCONF_DROP_UNSOLICITED_NA, c.drop_unsolicited_na);
    set(DEVCONF_KEEP_ADDR_ON_DOWN, c.keep_addr_on_down);
    set(DEVCONF_SEG6_ENABLED, c.seg6_enabled);
    set(DEVCONF_ENHANCED_DAD, c.enhanced_dad as i32);
    set(DEVCONF_ADDR_GEN_MODE, c.addr_gen_mode as i32);
    set(DEVCONF_DISABLE_POLICY, c.disable_policy);
    set(DEVCONF_NDISC_TCLASS, c.ndisc_tclass);
    set(DEVCONF_RPL_SEG_ENABLED, c.rpl_seg_enabled);
    set(DEVCONF_IOAM6_ENABLED, c.ioam6_enabled.into());
    set(DEVCONF_IOAM6_ID, c.ioam6_id as i32);
    set(DEVCONF_IOAM6_ID_WIDE, c.ioam6_id_wide as i32);
    set(
        DEVCONF_NDISC_EVICT_NOCARRIER,
        c.ndisc_evict_nocarrier.into(),
    );
    set(DEVCONF_ACCEPT_UNTRACKED_NA, c.accept_untracked_na);
    set(DEVCONF_ACCEPT_RA_MIN_LFT, c.accept_ra_min_lft);
    a
}
