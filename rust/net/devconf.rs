// SPDX-License-Identifier: GPL-2.0

//! The one table of a device's IPv6 settings (`struct ipv6_devconf`): for each
//! setting, the kernel struct's field, the core's field with mainline's defaults
//! ([`crate::conf::DevConf`]), its sysctl under `net.ipv6.conf.*` (name and kind, in
//! mainline's `addrconf_sysctl[]` order) and its `DEVCONF_*` slot in the
//! `IFLA_INET6_CONF` array of link dumps (mainline's `ipv6_store_devconf()` for this
//! kernel's config). From it come the kernel struct a namespace starts with
//! ([`kernel_devconf`]), the sysctl entries ([`ENTRIES`]) and the netlink array
//! ([`devconf_array`]); a setting is added in one place.

use crate::{bindings as b, conf::DevConf};
use core::{ffi::CStr, mem::offset_of};

/// How a sysctl entry is read and written.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Int,
    IntMinMax(&'static i32, &'static i32),
    IntMin(&'static i32),
    Jiffies,
    MsJiffies,
    Uint,
    UintMinMax(&'static u32, Option<&'static u32>),
    U8Bool,
    /// `forwarding`: with the handlers' side effects.
    Forward,
    /// `disable_ipv6`: likewise.
    Disable,
    /// `mtu`: from the IPv6 minimum up to the device's MTU.
    Mtu,
    /// `stable_secret`: an address, unset reads fail.
    StableSecret,
    /// `addr_gen_mode`: 0 to 3, 2 only with a secret; a change on a device adds the new
    /// mode's link-local address.
    AddrGenMode,
}

static ZERO: i32 = 0;
static ONE: i32 = 1;
static TWO: i32 = 2;
static MINUS_ONE: i32 = -1;
static TWO_FIVE_FIVE: i32 = 255;
/// The bounds `proc_dou8vec_minmax()` reads for the boolean entries.
pub(crate) static U_ZERO: u32 = 0;
pub(crate) static U_ONE: u32 = 1;
static IOAM6_IF_ID_MAX: u32 = u16::MAX as u32;

/// One sysctl entry: its name, where its value is in `struct ipv6_devconf`, its size
/// and how it is read and written.
pub(crate) struct Entry {
    pub(crate) name: &'static CStr,
    pub(crate) off: usize,
    pub(crate) size: usize,
    pub(crate) kind: Kind,
}

const fn size_of_field<T>(_f: fn(&b::ipv6_devconf) -> &T) -> usize {
    core::mem::size_of::<T>()
}

/// `msecs_to_jiffies()`, for settings the core keeps in milliseconds.
fn ms_to_jiffies(ms: i32) -> i32 {
    // SAFETY: pure conversion.
    unsafe { b::ipv6_rs_msecs_to_jiffies(ms.max(0) as u32) as i32 }
}

/// `jiffies_to_msecs()`, for the netlink array.
fn jiffies_to_ms(j: i32) -> i32 {
    // SAFETY: pure conversion.
    unsafe { b::jiffies_to_msecs(j.max(0) as _) as i32 }
}

/// A core value as the kernel struct keeps it: as is, or milliseconds as jiffies.
macro_rules! to_kernel {
    (plain, $v:expr) => {
        $v
    };
    (ms, $v:expr) => {
        ms_to_jiffies($v)
    };
}

/// A kernel value as `IFLA_INET6_CONF` carries it: an `int`, durations in ms.
macro_rules! to_netlink {
    (plain; $v:expr) => {
        $v as i32
    };
    (ms; $v:expr) => {
        jiffies_to_ms($v)
    };
}

/// The table: `kernel field unit [= core field] [, sysctl name kind] [, DEVCONF_*]`,
/// where the unit (`plain` or `ms`) says how the core keeps the value.
macro_rules! devconf_table {
    ($(
        $kfield:ident $unit:ident $(= $cfield:ident)?
        $(, sysctl $name:literal $kind:expr)?
        $(, netlink $idx:ident)?
        ;
    )*) => {
        /// The kernel's `struct ipv6_devconf` with the core's settings `c` in it.
        pub(crate) fn kernel_devconf(c: &DevConf) -> b::ipv6_devconf {
            let mut k = b::ipv6_devconf::default();
            $( $( k.$kfield = to_kernel!($unit, c.$cfield); )? )*
            k
        }

        /// Mainline's `addrconf_sysctl[]`, in its order (`sysctl -a` lists it sorted
        /// anyway).
        pub(crate) static ENTRIES: &[Entry] = &[
            $( $( Entry {
                name: $name,
                off: offset_of!(b::ipv6_devconf, $kfield),
                size: size_of_field(|c: &b::ipv6_devconf| &c.$kfield),
                kind: $kind,
            }, )? )*
        ];

        /// `IFLA_INET6_CONF`: the settings `c` as a `DEVCONF_*`-indexed array
        /// (`ipv6_store_devconf()`).
        pub(crate) fn devconf_array(c: &b::ipv6_devconf) -> [i32; b::DEVCONF_MAX as usize] {
            let mut a = [0i32; b::DEVCONF_MAX as usize];
            $( $( a[b::$idx as usize] = to_netlink!($unit; c.$kfield); )? )*
            a
        }
    };
}

devconf_table! {
    forwarding plain = forwarding, sysctl c"forwarding" Kind::Forward, netlink DEVCONF_FORWARDING;
    hop_limit plain = hop_limit, sysctl c"hop_limit" Kind::IntMinMax(&ONE, &TWO_FIVE_FIVE),
        netlink DEVCONF_HOPLIMIT;
    mtu6 plain = mtu, sysctl c"mtu" Kind::Mtu, netlink DEVCONF_MTU6;
    accept_ra plain = accept_ra, sysctl c"accept_ra" Kind::Int, netlink DEVCONF_ACCEPT_RA;
    accept_redirects plain = accept_redirects, sysctl c"accept_redirects" Kind::Int,
        netlink DEVCONF_ACCEPT_REDIRECTS;
    autoconf plain = autoconf, sysctl c"autoconf" Kind::Int, netlink DEVCONF_AUTOCONF;
    dad_transmits plain = dad_transmits, sysctl c"dad_transmits" Kind::Int,
        netlink DEVCONF_DAD_TRANSMITS;
    rtr_solicits plain = router_solicitations,
        sysctl c"router_solicitations" Kind::IntMin(&MINUS_ONE), netlink DEVCONF_RTR_SOLICITS;
    rtr_solicit_interval ms = router_solicitation_interval_ms,
        sysctl c"router_solicitation_interval" Kind::Jiffies,
        netlink DEVCONF_RTR_SOLICIT_INTERVAL;
    rtr_solicit_max_interval ms = router_solicitation_max_interval_ms,
        sysctl c"router_solicitation_max_interval" Kind::Jiffies,
        netlink DEVCONF_RTR_SOLICIT_MAX_INTERVAL;
    rtr_solicit_delay ms = router_solicitation_delay_ms,
        sysctl c"router_solicitation_delay" Kind::Jiffies, netlink DEVCONF_RTR_SOLICIT_DELAY;
    force_mld_version plain = force_mld_version, sysctl c"force_mld_version" Kind::Int,
        netlink DEVCONF_FORCE_MLD_VERSION;
    mldv1_unsolicited_report_interval ms = mldv1_unsolicited_report_interval_ms,
        sysctl c"mldv1_unsolicited_report_interval" Kind::MsJiffies,
        netlink DEVCONF_MLDV1_UNSOLICITED_REPORT_INTERVAL;
    mldv2_unsolicited_report_interval ms = mldv2_unsolicited_report_interval_ms,
        sysctl c"mldv2_unsolicited_report_interval" Kind::MsJiffies,
        netlink DEVCONF_MLDV2_UNSOLICITED_REPORT_INTERVAL;
    use_tempaddr plain = use_tempaddr, sysctl c"use_tempaddr" Kind::Int,
        netlink DEVCONF_USE_TEMPADDR;
    temp_valid_lft plain = temp_valid_lft, sysctl c"temp_valid_lft" Kind::Int,
        netlink DEVCONF_TEMP_VALID_LFT;
    temp_prefered_lft plain = temp_prefered_lft, sysctl c"temp_prefered_lft" Kind::Int,
        netlink DEVCONF_TEMP_PREFERED_LFT;
    regen_min_advance plain = regen_min_advance, sysctl c"regen_min_advance" Kind::Int;
    regen_max_retry plain = regen_max_retry, sysctl c"regen_max_retry" Kind::Int,
        netlink DEVCONF_REGEN_MAX_RETRY;
    max_desync_factor plain = max_desync_factor, sysctl c"max_desync_factor" Kind::Int,
        netlink DEVCONF_MAX_DESYNC_FACTOR;
    max_addresses plain = max_addresses, sysctl c"max_addresses" Kind::Int,
        netlink DEVCONF_MAX_ADDRESSES;
    accept_ra_defrtr plain = accept_ra_defrtr, sysctl c"accept_ra_defrtr" Kind::Int,
        netlink DEVCONF_ACCEPT_RA_DEFRTR;
    ra_defrtr_metric plain = ra_defrtr_metric,
        sysctl c"ra_defrtr_metric" Kind::UintMinMax(&U_ONE, None),
        netlink DEVCONF_RA_DEFRTR_METRIC;
    accept_ra_min_hop_limit plain = accept_ra_min_hop_limit,
        sysctl c"accept_ra_min_hop_limit" Kind::Int, netlink DEVCONF_ACCEPT_RA_MIN_HOP_LIMIT;
    accept_ra_min_lft plain = accept_ra_min_lft, sysctl c"accept_ra_min_lft" Kind::Int,
        netlink DEVCONF_ACCEPT_RA_MIN_LFT;
    accept_ra_pinfo plain = accept_ra_pinfo, sysctl c"accept_ra_pinfo" Kind::Int,
        netlink DEVCONF_ACCEPT_RA_PINFO;
    ra_honor_pio_life plain = ra_honor_pio_life, sysctl c"ra_honor_pio_life" Kind::U8Bool;
    ra_honor_pio_pflag plain = ra_honor_pio_pflag, sysctl c"ra_honor_pio_pflag" Kind::U8Bool;
    accept_ra_rtr_pref plain = accept_ra_rtr_pref, sysctl c"accept_ra_rtr_pref" Kind::Int,
        netlink DEVCONF_ACCEPT_RA_RTR_PREF;
    rtr_probe_interval ms = router_probe_interval_ms,
        sysctl c"router_probe_interval" Kind::Jiffies, netlink DEVCONF_RTR_PROBE_INTERVAL;
    accept_ra_rt_info_min_plen plain = accept_ra_rt_info_min_plen,
        sysctl c"accept_ra_rt_info_min_plen" Kind::Int,
        netlink DEVCONF_ACCEPT_RA_RT_INFO_MIN_PLEN;
    accept_ra_rt_info_max_plen plain = accept_ra_rt_info_max_plen,
        sysctl c"accept_ra_rt_info_max_plen" Kind::Int,
        netlink DEVCONF_ACCEPT_RA_RT_INFO_MAX_PLEN;
    proxy_ndp plain = proxy_ndp, sysctl c"proxy_ndp" Kind::Int, netlink DEVCONF_PROXY_NDP;
    accept_source_route plain = accept_source_route, sysctl c"accept_source_route" Kind::Int,
        netlink DEVCONF_ACCEPT_SOURCE_ROUTE;
    optimistic_dad plain = optimistic_dad, sysctl c"optimistic_dad" Kind::Int,
        netlink DEVCONF_OPTIMISTIC_DAD;
    use_optimistic plain = use_optimistic, sysctl c"use_optimistic" Kind::Int,
        netlink DEVCONF_USE_OPTIMISTIC;
    disable_ipv6 plain = disable_ipv6, sysctl c"disable_ipv6" Kind::Disable,
        netlink DEVCONF_DISABLE_IPV6;
    accept_dad plain = accept_dad, sysctl c"accept_dad" Kind::Int, netlink DEVCONF_ACCEPT_DAD;
    force_tllao plain = force_tllao, sysctl c"force_tllao" Kind::Int,
        netlink DEVCONF_FORCE_TLLAO;
    ndisc_notify plain = ndisc_notify, sysctl c"ndisc_notify" Kind::Int,
        netlink DEVCONF_NDISC_NOTIFY;
    suppress_frag_ndisc plain = suppress_frag_ndisc, sysctl c"suppress_frag_ndisc" Kind::Int,
        netlink DEVCONF_SUPPRESS_FRAG_NDISC;
    accept_ra_from_local plain = accept_ra_from_local,
        sysctl c"accept_ra_from_local" Kind::Int, netlink DEVCONF_ACCEPT_RA_FROM_LOCAL;
    accept_ra_mtu plain = accept_ra_mtu, sysctl c"accept_ra_mtu" Kind::Int,
        netlink DEVCONF_ACCEPT_RA_MTU;
    stable_secret plain, sysctl c"stable_secret" Kind::StableSecret;
    use_oif_addrs_only plain = use_oif_addrs_only, sysctl c"use_oif_addrs_only" Kind::Int,
        netlink DEVCONF_USE_OIF_ADDRS_ONLY;
    ignore_routes_with_linkdown plain = ignore_routes_with_linkdown,
        sysctl c"ignore_routes_with_linkdown" Kind::Int,
        netlink DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN;
    drop_unicast_in_l2_multicast plain = drop_unicast_in_l2_multicast,
        sysctl c"drop_unicast_in_l2_multicast" Kind::Int,
        netlink DEVCONF_DROP_UNICAST_IN_L2_MULTICAST;
    drop_unsolicited_na plain = drop_unsolicited_na, sysctl c"drop_unsolicited_na" Kind::Int,
        netlink DEVCONF_DROP_UNSOLICITED_NA;
    keep_addr_on_down plain = keep_addr_on_down, sysctl c"keep_addr_on_down" Kind::Int,
        netlink DEVCONF_KEEP_ADDR_ON_DOWN;
    seg6_enabled plain = seg6_enabled, sysctl c"seg6_enabled" Kind::Int,
        netlink DEVCONF_SEG6_ENABLED;
    enhanced_dad plain = enhanced_dad, sysctl c"enhanced_dad" Kind::Int,
        netlink DEVCONF_ENHANCED_DAD;
    addr_gen_mode plain = addr_gen_mode,
        sysctl c"addr_gen_mode" Kind::AddrGenMode,
        netlink DEVCONF_ADDR_GEN_MODE;
    disable_policy plain = disable_policy, sysctl c"disable_policy" Kind::Int,
        netlink DEVCONF_DISABLE_POLICY;
    ndisc_tclass plain = ndisc_tclass,
        sysctl c"ndisc_tclass" Kind::IntMinMax(&ZERO, &TWO_FIVE_FIVE),
        netlink DEVCONF_NDISC_TCLASS;
    rpl_seg_enabled plain = rpl_seg_enabled,
        sysctl c"rpl_seg_enabled" Kind::IntMinMax(&ZERO, &ONE), netlink DEVCONF_RPL_SEG_ENABLED;
    ioam6_enabled plain = ioam6_enabled, sysctl c"ioam6_enabled" Kind::U8Bool,
        netlink DEVCONF_IOAM6_ENABLED;
    ioam6_id plain = ioam6_id,
        sysctl c"ioam6_id" Kind::UintMinMax(&U_ZERO, Some(&IOAM6_IF_ID_MAX)),
        netlink DEVCONF_IOAM6_ID;
    ioam6_id_wide plain = ioam6_id_wide, sysctl c"ioam6_id_wide" Kind::Uint,
        netlink DEVCONF_IOAM6_ID_WIDE;
    ndisc_evict_nocarrier plain = ndisc_evict_nocarrier,
        sysctl c"ndisc_evict_nocarrier" Kind::U8Bool, netlink DEVCONF_NDISC_EVICT_NOCARRIER;
    accept_untracked_na plain = accept_untracked_na,
        sysctl c"accept_untracked_na" Kind::IntMinMax(&ZERO, &TWO),
        netlink DEVCONF_ACCEPT_UNTRACKED_NA;
}
