// SPDX-License-Identifier: GPL-2.0

//! Per-namespace and per-device IPv6 configuration (`net.ipv6.conf.*`), mainline's
//! `struct ipv6_devconf` (`include/linux/ipv6.h`), with its two sets of defaults from
//! `net/ipv6/addrconf.c`.

/// IPv6 minimum link MTU (RFC 8200 §5, `IPV6_MIN_MTU`).
pub const IPV6_MIN_MTU: u32 = 1280;
/// Default hop limit for unicast packets (`IPV6_DEFAULT_HOPLIMIT`).
pub const IPV6_DEFAULT_HOPLIMIT: u8 = 64;

/// The settings of one `net.ipv6.conf.<name>` directory that ipv6_rs implements so far.
///
/// Field names are the sysctl names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DevConf {
    /// `forwarding`: act as a router on this interface.
    pub forwarding: bool,
    /// `hop_limit`: default hop limit of sent packets.
    pub hop_limit: u8,
    /// `mtu`: the interface's IPv6 MTU (`mtu6`).
    pub mtu: u32,
    /// `accept_ra`: 0, 1, or 2 (accept even when forwarding).
    pub accept_ra: u8,
    /// `autoconf`: form addresses from router advertisements (SLAAC).
    pub autoconf: bool,
    /// `dad_transmits`: number of DAD probes.
    pub dad_transmits: u32,
    /// `disable_ipv6`.
    pub disable_ipv6: bool,
    /// `accept_dad`: 0 off, 1 on, 2 on and disable IPv6 on a MAC-based duplicate.
    pub accept_dad: u8,
}

impl DevConf {
    /// `net.ipv6.conf.all` in a new namespace (mainline's `ipv6_devconf`).
    pub const ALL: Self = Self {
        forwarding: false,
        hop_limit: IPV6_DEFAULT_HOPLIMIT,
        mtu: IPV6_MIN_MTU,
        accept_ra: 1,
        autoconf: true,
        dad_transmits: 1,
        disable_ipv6: false,
        // Mainline's `all` starts with accept_dad 0; a device's effective value is
        // max(all, dev), so `default` (1) is what new devices get.
        accept_dad: 0,
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
            (true, false)
        );
    }
}
