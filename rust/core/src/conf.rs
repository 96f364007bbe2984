// SPDX-License-Identifier: GPL-2.0

//! Per-namespace and per-device IPv6 configuration (`net.ipv6.conf.*`): every setting of
//! mainline's `struct ipv6_devconf` (`include/linux/ipv6.h`) for our kernel config, with
//! its two sets of defaults from `net/ipv6/addrconf.c`.
//!
//! Values are stored as the kernel stores them, except that durations the kernel keeps in
//! jiffies are kept here in milliseconds (suffix `_ms`), so the core does not depend on
//! `HZ`; the glue converts.

/// IPv6 minimum link MTU (RFC 8200 §5, `IPV6_MIN_MTU`).
pub const IPV6_MIN_MTU: u32 = 1280;
/// Default hop limit for unicast packets (`IPV6_DEFAULT_HOPLIMIT`).
pub const IPV6_DEFAULT_HOPLIMIT: u8 = 64;

/// `IN6_ADDR_GEN_MODE_*` (`include/uapi/linux/if_link.h`).
pub mod addr_gen_mode {
    /// Modified EUI-64 from the hardware address.
    pub const EUI64: i32 = 0;
    /// No link-local address.
    pub const NONE: i32 = 1;
    /// RFC 7217 stable privacy.
    pub const STABLE_PRIVACY: i32 = 2;
    /// Random.
    pub const RANDOM: i32 = 3;
}

/// The settings of one `net.ipv6.conf.<name>` directory. Field names are the sysctl
/// names; the order is `struct ipv6_devconf`'s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // each field is the sysctl of the same name (ip-sysctl.rst)
pub struct DevConf {
    pub disable_ipv6: i32,
    pub hop_limit: i32,
    pub mtu: i32,
    pub forwarding: i32,
    pub disable_policy: i32,
    pub proxy_ndp: i32,
    pub accept_ra: i32,
    pub accept_redirects: i32,
    pub autoconf: i32,
    pub dad_transmits: i32,
    pub router_solicitations: i32,
    pub router_solicitation_interval_ms: i32,
    pub router_solicitation_max_interval_ms: i32,
    pub router_solicitation_delay_ms: i32,
    pub force_mld_version: i32,
    pub mldv1_unsolicited_report_interval_ms: i32,
    pub mldv2_unsolicited_report_interval_ms: i32,
    pub use_tempaddr: i32,
    pub temp_valid_lft: i32,
    pub temp_prefered_lft: i32,
    pub regen_min_advance: i32,
    pub regen_max_retry: i32,
    pub max_desync_factor: i32,
    pub max_addresses: i32,
    pub accept_ra_defrtr: i32,
    pub ra_defrtr_metric: u32,
    pub accept_ra_min_hop_limit: i32,
    pub accept_ra_min_lft: i32,
    pub accept_ra_pinfo: i32,
    pub ignore_routes_with_linkdown: i32,
    pub accept_ra_rtr_pref: i32,
    pub router_probe_interval_ms: i32,
    pub accept_ra_rt_info_min_plen: i32,
    pub accept_ra_rt_info_max_plen: i32,
    pub accept_source_route: i32,
    /// RFC 4429 optimistic DAD for autoconfigured addresses (`optimistic_dad`).
    pub optimistic_dad: i32,
    /// Optimistic addresses as sources, not only as destinations (`use_optimistic`).
    pub use_optimistic: i32,
    pub accept_ra_from_local: i32,
    pub drop_unicast_in_l2_multicast: i32,
    pub accept_dad: i32,
    pub force_tllao: i32,
    pub ndisc_notify: i32,
    pub suppress_frag_ndisc: i32,
    pub accept_ra_mtu: i32,
    pub drop_unsolicited_na: i32,
    pub accept_untracked_na: i32,
    pub use_oif_addrs_only: i32,
    pub keep_addr_on_down: i32,
    pub seg6_enabled: i32,
    pub enhanced_dad: u32,
    pub addr_gen_mode: u32,
    pub ndisc_tclass: i32,
    pub rpl_seg_enabled: i32,
    pub ioam6_id: u32,
    pub ioam6_id_wide: u32,
    pub ioam6_enabled: u8,
    pub ndisc_evict_nocarrier: u8,
    pub ra_honor_pio_life: u8,
    pub ra_honor_pio_pflag: u8,
}

impl DevConf {
    /// `net.ipv6.conf.all` in a new namespace (mainline's `ipv6_devconf`).
    pub const ALL: Self = Self {
        disable_ipv6: 0,
        hop_limit: IPV6_DEFAULT_HOPLIMIT as i32,
        mtu: IPV6_MIN_MTU as i32,
        forwarding: 0,
        disable_policy: 0,
        proxy_ndp: 0,
        accept_ra: 1,
        accept_redirects: 1,
        autoconf: 1,
        dad_transmits: 1,
        router_solicitations: -1, // MAX_RTR_SOLICITATIONS: unlimited
        router_solicitation_interval_ms: 4_000, // RTR_SOLICITATION_INTERVAL
        router_solicitation_max_interval_ms: 3_600_000,
        router_solicitation_delay_ms: 1_000, // MAX_RTR_SOLICITATION_DELAY
        force_mld_version: 0,
        mldv1_unsolicited_report_interval_ms: 10_000,
        mldv2_unsolicited_report_interval_ms: 1_000,
        use_tempaddr: 0,
        temp_valid_lft: 7 * 86_400,
        temp_prefered_lft: 86_400,
        regen_min_advance: 2,
        regen_max_retry: 3,
        max_desync_factor: 600,
        max_addresses: 16,
        accept_ra_defrtr: 1,
        ra_defrtr_metric: 1024, // IP6_RT_PRIO_USER
        accept_ra_min_hop_limit: 1,
        accept_ra_min_lft: 0,
        accept_ra_pinfo: 1,
        ignore_routes_with_linkdown: 0,
        accept_ra_rtr_pref: 1,
        router_probe_interval_ms: 60_000,
        accept_ra_rt_info_min_plen: 0,
        accept_ra_rt_info_max_plen: 0,
        accept_source_route: 0, // RH0 is not accepted
        optimistic_dad: 0,
        use_optimistic: 0,
        accept_ra_from_local: 0,
        drop_unicast_in_l2_multicast: 0,
        // Mainline's `all` starts with accept_dad 0; a device's effective value is
        // max(all, dev), so `default` (1) is what new devices get.
        accept_dad: 0,
        force_tllao: 0,
        ndisc_notify: 0,
        suppress_frag_ndisc: 1,
        accept_ra_mtu: 1,
        drop_unsolicited_na: 0,
        accept_untracked_na: 0,
        use_oif_addrs_only: 0,
        keep_addr_on_down: 0,
        seg6_enabled: 0,
        enhanced_dad: 1,
        addr_gen_mode: addr_gen_mode::EUI64 as u32,
        ndisc_tclass: 0,
        rpl_seg_enabled: 0,
        ioam6_id: 0xffff,           // IOAM6_DEFAULT_IF_ID
        ioam6_id_wide: 0xffff_ffff, // IOAM6_DEFAULT_IF_ID_WIDE
        ioam6_enabled: 0,
        ndisc_evict_nocarrier: 1,
        ra_honor_pio_life: 0,
        ra_honor_pio_pflag: 0,
    };

    /// `net.ipv6.conf.default`, copied to each new device (mainline's
    /// `ipv6_devconf_dflt`).
    pub const DEFAULT: Self = Self {
        accept_dad: 1,
        ..Self::ALL
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainline_defaults() {
        assert_eq!(DevConf::ALL.accept_dad, 0);
        assert_eq!(DevConf::DEFAULT.accept_dad, 1);
        assert_eq!(DevConf::DEFAULT.hop_limit, 64);
        assert_eq!(DevConf::DEFAULT.mtu, 1280);
        assert_eq!(
            (DevConf::DEFAULT.autoconf, DevConf::DEFAULT.forwarding),
            (1, 0)
        );
        // The two sets differ in accept_dad only.
        assert_eq!(
            DevConf {
                accept_dad: 0,
                ..DevConf::DEFAULT
            },
            DevConf::ALL
        );
    }
}
