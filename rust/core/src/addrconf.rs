// SPDX-License-Identifier: GPL-2.0

//! Address configuration decisions (mainline `net/ipv6/addrconf.c`): what a device event
//! means for the device's IPv6 state.
//!
//! The glue reports a device event with the facts it needs ([`DevFacts`]); the core
//! answers with the [`DevAction`] to carry out, in the order mainline's
//! `addrconf_notify()` takes it.

use crate::conf::IPV6_MIN_MTU;

/// A `netdevice` notifier event, as far as IPv6 address configuration cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DevEvent {
    /// `NETDEV_REGISTER`: a device appeared (or existed when we loaded).
    Register,
    /// `NETDEV_UP`: administratively up.
    Up,
    /// `NETDEV_CHANGE`: carrier or other state changed.
    Change,
    /// `NETDEV_DOWN`: administratively down.
    Down,
    /// `NETDEV_CHANGEMTU`: the MTU changed.
    ChangeMtu,
    /// `NETDEV_UNREGISTER`: the device is going away (or we are unloading).
    Unregister,
    /// `NETDEV_CHANGENAME`: renamed (per-device sysctl and /proc entries follow; no
    /// change to addresses).
    ChangeName,
    /// `NETDEV_CHANGEADDR`: the link-layer address changed (nothing for address
    /// configuration; see [`crate::ndisc::dev_event`]).
    ChangeAddr,
    /// `NETDEV_NOTIFY_PEERS`: the device asks to be announced to its neighbours (after a
    /// failover or migration; see [`crate::ndisc::dev_event`]).
    NotifyPeers,
}

/// What the glue knows about the device when an event arrives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DevFacts {
    /// The device's MTU.
    pub mtu: u32,
    /// `IFF_LOOPBACK`.
    pub loopback: bool,
    /// The device already has IPv6 state (`dev->ip6_ptr` set).
    pub has_idev: bool,
    /// The link can carry traffic (mainline `addrconf_link_ready()`: operationally up
    /// with a real qdisc).
    pub link_ready: bool,
    /// Addresses were already configured since the link became ready (`IF_READY`).
    pub configured: bool,
    /// `disable_ipv6` is set on the device.
    pub disabled: bool,
}

/// What to do about an event, in this order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DevActions {
    /// Create the device's IPv6 state (mainline `ipv6_add_dev()`).
    pub attach: bool,
    /// Mark the link ready and configure its automatic addresses: `::1` on loopback,
    /// the link-local address elsewhere (`addrconf_init_auto_addrs()`).
    pub configure: bool,
    /// Remove the device's addresses (`addrconf_ifdown()`), clearing `IF_READY`.
    pub down: bool,
    /// Then remove its IPv6 state too (`addrconf_ifdown(dev, true)`).
    pub detach: bool,
    /// The device's IPv6 MTU (`cnf.mtu6`) follows its new MTU.
    pub set_mtu: bool,
    /// Report the device's multicast groups again (`ipv6_mc_up()` on a change of a
    /// configured device: it may have roamed, snooping switches must learn them).
    pub mc_resend: bool,
}

/// Decides what a device event means, as `addrconf_notify()` does.
pub fn dev_event(ev: DevEvent, dev: DevFacts) -> DevActions {
    let none = DevActions::default();
    let mtu_ok = dev.mtu >= IPV6_MIN_MTU;
    match ev {
        // A device whose MTU is too small for IPv6 gets no IPv6 state at all.
        DevEvent::Register => DevActions {
            attach: !dev.has_idev && mtu_ok,
            ..none
        },
        DevEvent::Up | DevEvent::Change if dev.disabled => none,
        DevEvent::Up if dev.link_ready => DevActions {
            attach: !dev.has_idev && mtu_ok,
            configure: dev.has_idev || mtu_ok,
            ..none
        },
        DevEvent::Change if dev.link_ready && dev.has_idev && !dev.configured => DevActions {
            configure: true,
            ..none
        },
        DevEvent::Change if dev.link_ready && dev.has_idev => DevActions {
            mc_resend: true,
            ..none
        },
        // Back above the minimum: new IPv6 state, configured at once if the link is ready
        // (mainline's ipv6_add_dev() sets IF_READY then, and NETDEV_CHANGEMTU falls
        // through to the NETDEV_UP path).
        DevEvent::ChangeMtu if !dev.has_idev && mtu_ok => DevActions {
            attach: true,
            configure: dev.link_ready && !dev.disabled,
            ..none
        },
        // IPv6 cannot run below the minimum MTU: the device loses its addresses, and
        // (unless it is loopback, which mainline keeps) its IPv6 state.
        DevEvent::ChangeMtu if dev.has_idev && !mtu_ok => DevActions {
            down: true,
            detach: !dev.loopback,
            ..none
        },
        DevEvent::ChangeMtu if dev.has_idev => DevActions {
            set_mtu: true,
            ..none
        },
        DevEvent::Down if dev.has_idev => DevActions { down: true, ..none },
        DevEvent::Unregister if dev.has_idev => DevActions {
            down: true,
            detach: true,
            ..none
        },
        _ => none,
    }
}

/// Whether a new address must go through duplicate address detection (RFC 4862 §5.4;
/// mainline `addrconf_dad_begin()`): not on loopback or `IFF_NOARP` devices, not with
/// `IFA_F_NODAD`, and not when `accept_dad` (the larger of `all` and the device's) is
/// below 1.
pub fn dad_required(noarp_or_loopback: bool, accept_dad: i32, flags: u32) -> bool {
    !noarp_or_loopback && accept_dad >= 1 && flags & ifa_flags::NODAD == 0
}

/// `MIN_VALID_LIFETIME`: an RA cannot shorten an address's remaining valid lifetime
/// below two hours (RFC 4862 §5.5.3 e).
pub const MIN_VALID_LIFETIME: u32 = 2 * 3600;

/// Whether a prefix information option is looked at (`addrconf_prefix_rcv()`): not a
/// multicast or link-local prefix, a preferred lifetime within the valid one, and a
/// valid lifetime of 0 or at least `accept_ra_min_lft`.
pub fn prefix_acceptable(pi: &crate::wire::ndisc::PrefixInfo, min_lft: u32) -> bool {
    let o = pi.prefix.octets();
    let link_local = o[0] == 0xfe && o[1] & 0xc0 == 0x80;
    !(pi.prefix.is_multicast() || link_local)
        && pi.preferred <= pi.valid
        && (pi.valid == 0 || pi.valid >= min_lft)
}

/// The address stateless autoconfiguration forms from a prefix (RFC 4862 §5.5.3 d):
/// only /64 prefixes, with the device's token as interface identifier when one is set
/// (`ip token`), else the EUI-64 one. Returns the address and whether the token made it.
pub fn slaac_address(
    prefix: &core::net::Ipv6Addr,
    prefix_len: u8,
    token: &[u8; 16],
    eui64: Option<[u8; 8]>,
) -> Option<(core::net::Ipv6Addr, bool)> {
    if prefix_len != 64 {
        return None;
    }
    let mut a = prefix.octets();
    let tokenized = token.iter().any(|&b| b != 0);
    if tokenized {
        a[8..].copy_from_slice(&token[8..]);
    } else {
        a[8..].copy_from_slice(&eui64?);
    }
    Some((core::net::Ipv6Addr::from(a), tokenized))
}

/// The valid lifetime an RA leaves on an existing autoconfigured address with
/// `stored_left` seconds to go (RFC 4862 §5.5.3 e, `addrconf_prefix_rcv_add_addr()`):
/// the advertised one, but never less than what is left or two hours, whichever is
/// shorter, unless `ra_honor_pio_life` is set.
pub fn slaac_valid_lifetime(stored_left: u32, advertised: u32, honor_pio_life: bool) -> u32 {
    if honor_pio_life {
        advertised
    } else {
        advertised.max(stored_left.min(MIN_VALID_LIFETIME))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ETH: DevFacts = DevFacts {
        mtu: 1500,
        loopback: false,
        has_idev: false,
        link_ready: true,
        configured: false,
        disabled: false,
    };

    fn acts(attach: bool, configure: bool, down: bool, detach: bool) -> DevActions {
        DevActions {
            attach,
            configure,
            down,
            detach,
            set_mtu: false,
            mc_resend: false,
        }
    }

    #[test]
    fn lifecycle() {
        assert_eq!(
            dev_event(DevEvent::Register, ETH),
            acts(true, false, false, false)
        );
        let attached = DevFacts {
            has_idev: true,
            ..ETH
        };
        assert_eq!(
            dev_event(DevEvent::Register, attached),
            DevActions::default()
        );
        assert_eq!(
            dev_event(DevEvent::Up, attached),
            acts(false, true, false, false)
        );
        assert_eq!(
            dev_event(DevEvent::Down, attached),
            acts(false, false, true, false)
        );
        assert_eq!(
            dev_event(DevEvent::Unregister, attached),
            acts(false, false, true, true)
        );
        assert_eq!(dev_event(DevEvent::Unregister, ETH), DevActions::default());
    }

    #[test]
    fn waits_for_carrier() {
        let no_carrier = DevFacts {
            has_idev: true,
            link_ready: false,
            ..ETH
        };
        assert_eq!(dev_event(DevEvent::Up, no_carrier), DevActions::default());
        let carrier = DevFacts {
            has_idev: true,
            ..ETH
        };
        assert_eq!(
            dev_event(DevEvent::Change, carrier),
            acts(false, true, false, false)
        );
        let done = DevFacts {
            configured: true,
            ..carrier
        };
        // A change of a configured device reports its groups again.
        assert_eq!(
            dev_event(DevEvent::Change, done),
            DevActions {
                mc_resend: true,
                ..DevActions::default()
            }
        );
        let disabled = DevFacts {
            disabled: true,
            ..carrier
        };
        assert_eq!(dev_event(DevEvent::Up, disabled), DevActions::default());
    }

    #[test]
    fn small_mtu() {
        let small = DevFacts { mtu: 1279, ..ETH };
        assert_eq!(dev_event(DevEvent::Register, small), DevActions::default());
        assert_eq!(dev_event(DevEvent::Up, small), DevActions::default());
        let shrunk = DevFacts {
            has_idev: true,
            ..small
        };
        assert_eq!(
            dev_event(DevEvent::ChangeMtu, shrunk),
            acts(false, false, true, true)
        );
        let lo = DevFacts {
            loopback: true,
            ..shrunk
        };
        assert_eq!(
            dev_event(DevEvent::ChangeMtu, lo),
            acts(false, false, true, false)
        );
        assert_eq!(
            dev_event(DevEvent::ChangeMtu, ETH),
            acts(true, true, false, false)
        );
        let no_link = DevFacts {
            link_ready: false,
            ..ETH
        };
        assert_eq!(
            dev_event(DevEvent::ChangeMtu, no_link),
            acts(true, false, false, false)
        );
        let exact = DevFacts { mtu: 1280, ..ETH };
        assert_eq!(
            dev_event(DevEvent::Register, exact),
            acts(true, false, false, false)
        );
        // Above the minimum with IPv6 state: the IPv6 MTU follows.
        let running = DevFacts {
            has_idev: true,
            ..exact
        };
        assert_eq!(
            dev_event(DevEvent::ChangeMtu, running),
            DevActions {
                set_mtu: true,
                ..DevActions::default()
            }
        );
    }

    #[test]
    fn dad() {
        assert!(dad_required(false, 1, 0));
        assert!(!dad_required(true, 1, 0));
        assert!(!dad_required(false, 0, 0));
        assert!(!dad_required(false, -1, 0));
        assert!(!dad_required(false, 1, ifa_flags::NODAD));
    }
}

/// `inet6_ifaddr.scope` values (`IFA_HOST`, `IFA_LINK`, `IFA_SITE`; 0 is global), as
/// mainline's `ipv6_addr_scope()` computes them (`IPV6_ADDR_SCOPE_MASK` bits of the
/// address type).
pub mod ifa_scope {
    /// Global (`IFA_GLOBAL`).
    pub const GLOBAL: u8 = 0x00;
    /// Host: the loopback address (`IFA_HOST`).
    pub const HOST: u8 = 0x10;
    /// Link-local (`IFA_LINK`).
    pub const LINK: u8 = 0x20;
    /// Site-local, deprecated (`IFA_SITE`).
    pub const SITE: u8 = 0x40;
}

/// `RT_SCOPE_*` values of `include/uapi/linux/rtnetlink.h`, as `ifaddrmsg.ifa_scope`
/// carries them.
pub mod rt_scope {
    /// `RT_SCOPE_UNIVERSE`.
    pub const UNIVERSE: u8 = 0;
    /// `RT_SCOPE_SITE`.
    pub const SITE: u8 = 200;
    /// `RT_SCOPE_LINK`.
    pub const LINK: u8 = 253;
    /// `RT_SCOPE_HOST`.
    pub const HOST: u8 = 254;
}

/// The `inet6_ifaddr.scope` of a unicast address.
pub fn addr_ifa_scope(a: &core::net::Ipv6Addr) -> u8 {
    let o = a.octets();
    if a.is_loopback() {
        ifa_scope::HOST
    } else if o[0] == 0xfe && o[1] & 0xc0 == 0x80 {
        ifa_scope::LINK
    } else if o[0] == 0xfe && o[1] & 0xc0 == 0xc0 {
        ifa_scope::SITE
    } else {
        ifa_scope::GLOBAL
    }
}

/// `ifaddrmsg.ifa_scope` for an `inet6_ifaddr.scope` (mainline `rt_scope()`).
pub fn rt_scope_of(ifa_scope: u8) -> u8 {
    if ifa_scope & ifa_scope::HOST != 0 {
        rt_scope::HOST
    } else if ifa_scope & ifa_scope::LINK != 0 {
        rt_scope::LINK
    } else if ifa_scope & ifa_scope::SITE != 0 {
        rt_scope::SITE
    } else {
        rt_scope::UNIVERSE
    }
}

/// RFC 4007 scope of a unicast source address, which orders a device's address list
/// (mainline `ipv6_addr_src_scope()`): loopback 1, link-local 2, site-local 5, global 14.
pub fn addr_src_scope(a: &core::net::Ipv6Addr) -> u8 {
    match addr_ifa_scope(a) {
        ifa_scope::HOST => 0x1,
        ifa_scope::LINK => 0x2,
        ifa_scope::SITE => 0x5,
        _ => 0xe,
    }
}

/// Where a new address goes in a device's address list, given the source scopes of the
/// addresses already there in list order: before the first one whose scope is not wider
/// (mainline `ipv6_link_dev_addr()`), so global addresses come before link-local ones
/// and, within a scope, newer before older. Returns the index to insert at.
pub fn addr_list_position(new_scope: u8, existing: impl IntoIterator<Item = u8>) -> usize {
    let mut n = 0;
    for s in existing {
        if new_scope >= s {
            return n;
        }
        n += 1;
    }
    n
}

/// Modified EUI-64 interface identifier of a 48-bit MAC address (RFC 4291 appendix A;
/// mainline `addrconf_ifid_eui48()`): `ff:fe` in the middle and the U/L bit inverted.
pub fn eui64_from_mac(mac: [u8; 6]) -> [u8; 8] {
    [
        mac[0] ^ 0x02,
        mac[1],
        mac[2],
        0xff,
        0xfe,
        mac[3],
        mac[4],
        mac[5],
    ]
}

/// The link-local address `fe80::/64` + `iid`.
pub fn link_local(iid: [u8; 8]) -> core::net::Ipv6Addr {
    let mut a = [0u8; 16];
    a[0] = 0xfe;
    a[1] = 0x80;
    a[8..].copy_from_slice(&iid);
    core::net::Ipv6Addr::from(a)
}

/// An infinite lifetime (`INFINITY_LIFE_TIME`).
pub const INFINITY_LIFE_TIME: u32 = 0xffff_ffff;

/// `IFA_F_*` address flags (`include/uapi/linux/if_addr.h`).
pub mod ifa_flags {
    /// `IFA_F_SECONDARY` (`IFA_F_TEMPORARY` in IPv6).
    pub const TEMPORARY: u32 = 0x01;
    /// `IFA_F_NODAD`.
    pub const NODAD: u32 = 0x02;
    /// `IFA_F_OPTIMISTIC`.
    pub const OPTIMISTIC: u32 = 0x04;
    /// `IFA_F_DADFAILED`.
    pub const DADFAILED: u32 = 0x08;
    /// `IFA_F_HOMEADDRESS`.
    pub const HOMEADDRESS: u32 = 0x10;
    /// `IFA_F_DEPRECATED`.
    pub const DEPRECATED: u32 = 0x20;
    /// `IFA_F_TENTATIVE`.
    pub const TENTATIVE: u32 = 0x40;
    /// `IFA_F_PERMANENT`.
    pub const PERMANENT: u32 = 0x80;
    /// `IFA_F_MANAGETEMPADDR`.
    pub const MANAGETEMPADDR: u32 = 0x100;
    /// `IFA_F_NOPREFIXROUTE`.
    pub const NOPREFIXROUTE: u32 = 0x200;
    /// `IFA_F_MCAUTOJOIN`.
    pub const MCAUTOJOIN: u32 = 0x400;
    /// `IFA_F_STABLE_PRIVACY`.
    pub const STABLE_PRIVACY: u32 = 0x800;
}

/// `IFA_PROTO` values (`IFAPROT_*`).
pub mod ifa_proto {
    /// Not specified.
    pub const UNSPEC: u8 = 0;
    /// Loopback address (`IFAPROT_KERNEL_LO`).
    pub const KERNEL_LO: u8 = 1;
    /// Stateless autoconfiguration from a router advertisement (`IFAPROT_KERNEL_RA`).
    pub const KERNEL_RA: u8 = 2;
    /// Link-local address set by the kernel (`IFAPROT_KERNEL_LL`).
    pub const KERNEL_LL: u8 = 3;
}

/// Remaining (preferred, valid) lifetimes in seconds to report for an address, as
/// `inet6_fill_ifaddr()` computes them: permanent addresses with infinite preferred
/// lifetime report infinity for both; otherwise finite lifetimes count down from the
/// address's last update (`age_secs` = (jiffies - tstamp) / HZ), not below zero.
pub fn reported_lifetimes(flags: u32, preferred: u32, valid: u32, age_secs: u32) -> (u32, u32) {
    if flags & ifa_flags::PERMANENT != 0 && preferred == INFINITY_LIFE_TIME {
        return (INFINITY_LIFE_TIME, INFINITY_LIFE_TIME);
    }
    if preferred == INFINITY_LIFE_TIME {
        return (preferred, valid);
    }
    let valid = if valid == INFINITY_LIFE_TIME {
        valid
    } else {
        valid.saturating_sub(age_secs)
    };
    (preferred.saturating_sub(age_secs), valid)
}

#[cfg(test)]
mod addr_tests {
    use super::*;
    use core::net::Ipv6Addr;

    fn a(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    #[test]
    fn scopes() {
        assert_eq!(addr_ifa_scope(&Ipv6Addr::LOCALHOST), ifa_scope::HOST);
        assert_eq!(addr_ifa_scope(&a("fe80::1")), ifa_scope::LINK);
        assert_eq!(addr_ifa_scope(&a("febf::1")), ifa_scope::LINK);
        assert_eq!(addr_ifa_scope(&a("fec0::1")), ifa_scope::SITE);
        assert_eq!(addr_ifa_scope(&a("2001:db8::1")), ifa_scope::GLOBAL);
        assert_eq!(rt_scope_of(ifa_scope::HOST), rt_scope::HOST);
        assert_eq!(rt_scope_of(ifa_scope::LINK), rt_scope::LINK);
        assert_eq!(rt_scope_of(ifa_scope::GLOBAL), rt_scope::UNIVERSE);
    }

    #[test]
    fn list_order_global_first_newest_first() {
        let (g, l, h) = (0xe, 0x2, 0x1);
        assert_eq!(addr_list_position(l, []), 0);
        assert_eq!(addr_list_position(g, [l]), 0);
        assert_eq!(addr_list_position(l, [g, l]), 1);
        assert_eq!(addr_list_position(h, [g, l]), 2);
        assert_eq!(addr_list_position(g, [g, l]), 0);
    }

    #[test]
    fn eui64() {
        let iid = eui64_from_mac([0x52, 0x54, 0x00, 0x12, 0x34, 0x56]);
        assert_eq!(link_local(iid), a("fe80::5054:ff:fe12:3456"));
    }

    #[test]
    fn lifetimes() {
        use ifa_flags::PERMANENT;
        let inf = INFINITY_LIFE_TIME;
        assert_eq!(reported_lifetimes(PERMANENT, inf, inf, 100), (inf, inf));
        assert_eq!(reported_lifetimes(0, 300, 600, 100), (200, 500));
        assert_eq!(reported_lifetimes(0, 300, inf, 400), (0, inf));
        assert_eq!(reported_lifetimes(0, 300, 350, 400), (0, 0));
    }
}

/// Linux errno values the core answers with.
pub use crate::errno;

/// Why an `RTM_NEWADDR`/`RTM_DELADDR` request is refused: the errno and the extack text
/// mainline gives (with its `ipv6: ` module prefix where it uses `NL_SET_ERR_MSG_MOD`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddrError {
    /// Positive errno.
    pub errno: i32,
    /// Extack message, if mainline sets one.
    pub msg: Option<&'static core::ffi::CStr>,
}

impl AddrError {
    const fn new(errno: i32, msg: &'static core::ffi::CStr) -> Self {
        Self {
            errno,
            msg: Some(msg),
        }
    }

    /// No `IFA_LOCAL`/`IFA_ADDRESS` (`extract_addr()` found nothing).
    pub const NO_ADDRESS: Self = Self {
        errno: errno::EINVAL,
        msg: None,
    };
    /// `nodad` and `optimistic` together.
    pub const NODAD_OPTIMISTIC: Self = Self::new(
        errno::EINVAL,
        c"IFA_F_NODAD and IFA_F_OPTIMISTIC are mutually exclusive",
    );
    /// Prefix length over 128.
    pub const PREFIX_LEN: Self = Self::new(errno::EINVAL, c"ipv6: Invalid prefix length");
    /// Valid lifetime 0, or preferred longer than valid (on add).
    pub const LIFETIME: Self = Self::new(errno::EINVAL, c"ipv6: address lifetime invalid");
    /// The same on modify, where mainline sets no message.
    pub const LIFETIME_MODIFY: Self = Self {
        errno: errno::EINVAL,
        msg: None,
    };
    /// `mngtmpaddr` needs a /64.
    pub const MNGTMPADDR: Self = Self::new(
        errno::EINVAL,
        c"ipv6: address with \"mngtmpaddr\" flag must have a prefix length of 64",
    );
    /// `mngtmpaddr` on a temporary address or not a /64 (on modify).
    pub const MNGTMPADDR_MODIFY: Self = Self {
        errno: errno::EINVAL,
        msg: None,
    };
    /// `::`.
    pub const UNSPECIFIED: Self = Self::new(errno::EADDRNOTAVAIL, c"ipv6: Invalid address");
    /// Multicast without `IFA_F_MCAUTOJOIN`.
    pub const MULTICAST: Self = Self::new(
        errno::EADDRNOTAVAIL,
        c"ipv6: Cannot assign multicast address without \"IFA_F_MCAUTOJOIN\" flag",
    );
    /// `::1` off the loopback device.
    pub const LOOPBACK: Self = Self::new(
        errno::EADDRNOTAVAIL,
        c"ipv6: Cannot assign loopback address on this device",
    );
    /// Unknown interface index.
    pub const NO_DEVICE: Self = Self::new(errno::ENODEV, c"ipv6: Unable to find the interface");
    /// `disable_ipv6` set, on add.
    pub const DISABLED: Self = Self::new(errno::EACCES, c"ipv6: IPv6 is disabled on this device");
    /// `IFA_F_MCAUTOJOIN`: joining the group failed, with the join's errno.
    pub const fn autojoin(errno: i32) -> Self {
        Self::new(errno, c"ipv6: Multicast auto join failed")
    }
    /// The device has no IPv6 state, on delete.
    pub const NO_IPV6: Self = Self::new(errno::ENXIO, c"ipv6: IPv6 is disabled on this device");
    /// The address exists and the request did not ask to replace it.
    pub const EXISTS: Self = Self::new(errno::EEXIST, c"ipv6: address already assigned");
    /// No such address on the device, on delete.
    pub const NOT_FOUND: Self = Self::new(errno::EADDRNOTAVAIL, c"ipv6: address not found");
}

/// `IFA_F_*` flags a request may set; others are ignored (mainline `inet6_rtm_newaddr()`).
pub const REQUEST_FLAGS: u32 = ifa_flags::NODAD
    | ifa_flags::HOMEADDRESS
    | ifa_flags::MANAGETEMPADDR
    | ifa_flags::NOPREFIXROUTE
    | ifa_flags::MCAUTOJOIN
    | ifa_flags::OPTIMISTIC;

/// Flags a modify request replaces (mainline `inet6_addr_modify()`).
pub const MODIFY_CLEARS: u32 = ifa_flags::DEPRECATED
    | ifa_flags::PERMANENT
    | ifa_flags::NODAD
    | ifa_flags::HOMEADDRESS
    | ifa_flags::MANAGETEMPADDR
    | ifa_flags::NOPREFIXROUTE;

/// Flags and lifetimes of an address being added or modified, as mainline derives them
/// from the request: an infinite valid lifetime makes it `permanent`, a zero preferred
/// lifetime `deprecated`. `flags` is the request's, already masked to [`REQUEST_FLAGS`].
pub fn lifetime_flags(flags: u32, valid: u32, preferred: u32) -> u32 {
    let mut f = flags;
    if valid == INFINITY_LIFE_TIME {
        f |= ifa_flags::PERMANENT;
    }
    if preferred != INFINITY_LIFE_TIME && preferred == 0 {
        f |= ifa_flags::DEPRECATED;
    }
    f
}

/// Checks an address being added as `inet6_addr_add()` and `ipv6_add_addr()` do, in
/// their order. `flags` is masked to [`REQUEST_FLAGS`].
pub fn check_new_addr(
    addr: &core::net::Ipv6Addr,
    prefix_len: u8,
    flags: u32,
    valid: u32,
    preferred: u32,
    on_loopback: bool,
    disabled: bool,
) -> Result<(), AddrError> {
    if prefix_len > 128 {
        return Err(AddrError::PREFIX_LEN);
    }
    if valid == 0 || preferred > valid {
        return Err(AddrError::LIFETIME);
    }
    if flags & ifa_flags::MANAGETEMPADDR != 0 && prefix_len != 64 {
        return Err(AddrError::MNGTMPADDR);
    }
    if disabled {
        return Err(AddrError::DISABLED);
    }
    // With IFA_F_MCAUTOJOIN the group is joined here (inet6_addr_add()), before the
    // address type is checked: the caller joins, then calls [`check_addr_type`].
    if flags & ifa_flags::MCAUTOJOIN != 0 {
        return Ok(());
    }
    check_addr_type(addr, flags, on_loopback)
}

/// The address-type checks of `ipv6_add_addr()`.
pub fn check_addr_type(
    addr: &core::net::Ipv6Addr,
    flags: u32,
    on_loopback: bool,
) -> Result<(), AddrError> {
    if addr.is_unspecified() {
        Err(AddrError::UNSPECIFIED)
    } else if addr.is_multicast() && flags & ifa_flags::MCAUTOJOIN == 0 {
        Err(AddrError::MULTICAST)
    } else if addr.is_loopback() && !on_loopback {
        Err(AddrError::LOOPBACK)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod request_tests {
    use super::*;
    use core::net::Ipv6Addr;

    const INF: u32 = INFINITY_LIFE_TIME;

    fn a(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    #[test]
    fn add_checks_in_mainline_order() {
        let g = a("2001:db8::1");
        assert_eq!(check_new_addr(&g, 64, 0, INF, INF, false, false), Ok(()));
        assert_eq!(
            check_new_addr(&g, 129, 0, 0, INF, false, false),
            Err(AddrError::PREFIX_LEN)
        );
        assert_eq!(
            check_new_addr(&g, 64, 0, 0, 0, false, false),
            Err(AddrError::LIFETIME)
        );
        assert_eq!(
            check_new_addr(&g, 64, 0, 100, 200, false, false),
            Err(AddrError::LIFETIME)
        );
        let m = ifa_flags::MANAGETEMPADDR;
        assert_eq!(
            check_new_addr(&g, 48, m, INF, INF, false, false),
            Err(AddrError::MNGTMPADDR)
        );
        assert_eq!(
            check_new_addr(&a("::"), 64, 0, INF, INF, false, false),
            Err(AddrError::UNSPECIFIED)
        );
        assert_eq!(
            check_new_addr(&a("ff02::1"), 64, 0, INF, INF, false, false),
            Err(AddrError::MULTICAST)
        );
        assert_eq!(
            check_new_addr(&a("::1"), 128, 0, INF, INF, false, false),
            Err(AddrError::LOOPBACK)
        );
        assert_eq!(
            check_new_addr(&a("::1"), 128, 0, INF, INF, true, false),
            Ok(())
        );
    }

    #[test]
    fn disabled_and_autojoin() {
        let g = a("2001:db8::1");
        assert_eq!(
            check_new_addr(&g, 64, 0, INF, INF, false, true),
            Err(AddrError::DISABLED)
        );
        // The join comes first: its errors, then the type checks, are the caller's.
        let j = ifa_flags::MCAUTOJOIN;
        assert_eq!(check_new_addr(&g, 64, j, INF, INF, false, false), Ok(()));
        assert_eq!(
            check_addr_type(&a("::1"), j, false),
            Err(AddrError::LOOPBACK)
        );
        assert_eq!(check_addr_type(&a("ff05::1"), j, false), Ok(()));
    }

    #[test]
    fn flags_from_lifetimes() {
        assert_eq!(lifetime_flags(0, INF, INF), ifa_flags::PERMANENT);
        assert_eq!(lifetime_flags(0, 100, 50), 0);
        assert_eq!(
            lifetime_flags(ifa_flags::NODAD, 100, 0),
            ifa_flags::NODAD | ifa_flags::DEPRECATED
        );
    }
}

/// What the periodic address check does with one address (mainline
/// `addrconf_verify_rtnl()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// Nothing now; check again after this many jiffies, if ever.
    Keep(Option<u64>),
    /// Its preferred lifetime ran out: mark it `deprecated` (announcing it), and check
    /// again after this many jiffies, if ever.
    Deprecate(Option<u64>),
    /// Its valid lifetime ran out: delete it.
    Delete,
}

/// Decides an address's fate `elapsed` jiffies after its last update, with `hz` jiffies
/// a second. Lifetimes are in seconds. Like mainline, ages are rounded with a small fuzz
/// (`ADDRCONF_TIMER_FUZZ_MINUS`, HZ/50) so events due together are handled together.
pub fn address_expiry(flags: u32, preferred: u32, valid: u32, elapsed: u64, hz: u64) -> Expiry {
    let inf = INFINITY_LIFE_TIME;
    if flags & ifa_flags::PERMANENT != 0 && preferred == inf {
        return Expiry::Keep(None);
    }
    let hz = hz.max(1);
    let fuzz_minus = if hz > 50 { hz / 50 } else { 1 };
    let age = (elapsed + fuzz_minus) / hz;
    let until = |lft: u32| (u64::from(lft) * hz).saturating_sub(elapsed).max(1);
    if valid != inf && age >= u64::from(valid) {
        Expiry::Delete
    } else if preferred == inf {
        Expiry::Keep(None)
    } else if age >= u64::from(preferred) {
        let next = (valid != inf).then(|| until(valid));
        if flags & ifa_flags::DEPRECATED == 0 {
            Expiry::Deprecate(next)
        } else {
            Expiry::Keep(next)
        }
    } else {
        Expiry::Keep(Some(until(preferred)))
    }
}

#[cfg(test)]
mod expiry_tests {
    use super::*;

    const HZ: u64 = 250;
    const INF: u32 = INFINITY_LIFE_TIME;

    #[test]
    fn lifecycle() {
        // valid 10 s, preferred 4 s.
        assert_eq!(address_expiry(0, 4, 10, 0, HZ), Expiry::Keep(Some(4 * HZ)));
        assert_eq!(
            address_expiry(0, 4, 10, 4 * HZ, HZ),
            Expiry::Deprecate(Some(6 * HZ))
        );
        let dep = ifa_flags::DEPRECATED;
        assert_eq!(
            address_expiry(dep, 4, 10, 5 * HZ, HZ),
            Expiry::Keep(Some(5 * HZ))
        );
        assert_eq!(address_expiry(dep, 4, 10, 10 * HZ, HZ), Expiry::Delete);
        // Within the fuzz of the deadline counts as reached.
        assert_eq!(address_expiry(dep, 4, 10, 10 * HZ - 2, HZ), Expiry::Delete);
    }

    #[test]
    fn infinite() {
        let p = ifa_flags::PERMANENT;
        assert_eq!(address_expiry(p, INF, INF, 1 << 40, HZ), Expiry::Keep(None));
        assert_eq!(address_expiry(0, INF, 100, 50 * HZ, HZ), Expiry::Keep(None));
        assert_eq!(address_expiry(0, INF, 100, 100 * HZ, HZ), Expiry::Delete);
        // Permanent (infinite valid) but finite preferred: deprecates, never deleted.
        assert_eq!(
            address_expiry(p, 5, INF, 5 * HZ, HZ),
            Expiry::Deprecate(None)
        );
    }

    #[test]
    fn stateless_autoconfiguration() {
        use crate::wire::ndisc::PrefixInfo;
        let pi = |p: &str, len: u8, valid: u32, preferred: u32| PrefixInfo {
            prefix: p.parse().unwrap(),
            prefix_len: len,
            flags: 0xc0,
            valid,
            preferred,
        };
        assert!(prefix_acceptable(&pi("2001:db8::", 64, 100, 50), 0));
        assert!(!prefix_acceptable(&pi("fe80::", 64, 100, 50), 0));
        assert!(!prefix_acceptable(&pi("ff02::", 64, 100, 50), 0));
        assert!(!prefix_acceptable(&pi("2001:db8::", 64, 50, 100), 0));
        assert!(!prefix_acceptable(&pi("2001:db8::", 64, 100, 50), 101));
        assert!(prefix_acceptable(&pi("2001:db8::", 64, 0, 0), 101));
        let p: core::net::Ipv6Addr = "2001:db8:a::".parse().unwrap();
        let eui = eui64_from_mac([0x52, 0x54, 0, 0x12, 0x34, 0x56]);
        assert_eq!(
            slaac_address(&p, 64, &[0; 16], Some(eui)),
            Some(("2001:db8:a:0:5054:ff:fe12:3456".parse().unwrap(), false))
        );
        let mut token = [0u8; 16];
        token[15] = 0x42;
        assert_eq!(
            slaac_address(&p, 64, &token, None),
            Some(("2001:db8:a::42".parse().unwrap(), true))
        );
        assert_eq!(slaac_address(&p, 48, &[0; 16], Some(eui)), None);
        assert_eq!(slaac_address(&p, 64, &[0; 16], None), None);
        // RFC 4862 5.5.3 e: two hours at least, unless less was left.
        assert_eq!(slaac_valid_lifetime(80000, 60, false), 7200);
        assert_eq!(slaac_valid_lifetime(100, 60, false), 100);
        assert_eq!(slaac_valid_lifetime(80000, 90000, false), 90000);
        assert_eq!(slaac_valid_lifetime(80000, 60, true), 60);
    }
}
