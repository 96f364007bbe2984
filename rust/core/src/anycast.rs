// SPDX-License-Identifier: GPL-2.0

//! Anycast decisions (mainline `net/ipv6/anycast.c` and its users in `addrconf.c`):
//! which subnet-router anycast address an address brings to a forwarding device
//! (RFC 4291 §2.6.1), and which anycast joins a socket may make.

use crate::errno;
use core::net::Ipv6Addr;

/// The subnet-router anycast address of the prefix of `addr`/`prefix_len`, which a
/// forwarding device joins for each of its addresses (`addrconf_join_anycast()`):
/// the prefix with an all-zero interface identifier. None for /127 and longer
/// (RFC 6164: point-to-point links have no such address) and for the all-zero
/// prefix (`::`).
pub fn subnet_router(addr: &Ipv6Addr, prefix_len: u8) -> Option<Ipv6Addr> {
    if prefix_len >= 127 {
        return None;
    }
    let a = prefix(addr, prefix_len);
    (!a.is_unspecified()).then_some(a)
}

/// `ipv6_addr_prefix()`: `addr` with the bits after the first `len` cleared.
pub fn prefix(addr: &Ipv6Addr, len: u8) -> Ipv6Addr {
    let bits = u128::from_be_bytes(addr.octets());
    let mask = match len {
        0 => 0,
        l if l >= 128 => u128::MAX,
        l => u128::MAX << (128 - u32::from(l)),
    };
    Ipv6Addr::from((bits & mask).to_be_bytes())
}

/// `ipv6_prefix_equal()`: `a` and `b` agree on their first `len` bits.
pub fn prefix_equal(a: &Ipv6Addr, b: &Ipv6Addr, len: u8) -> bool {
    prefix(a, len) == prefix(b, len)
}

/// What `ipv6_sock_ac_join()` checks before it looks for a device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JoinFacts {
    /// The socket's namespace grants it `CAP_NET_ADMIN`.
    pub net_admin: bool,
    /// The address is one of the namespace's unicast addresses, not tentative
    /// (`ipv6_chk_addr_and_flags(.., IFA_F_TENTATIVE)` on any device).
    pub unicast_ours: bool,
}

/// The first checks of `ipv6_sock_ac_join()`, in mainline's order: `EPERM` without
/// `CAP_NET_ADMIN`, `EINVAL` for a multicast address or one of our unicast addresses.
pub fn join_allowed(addr: &Ipv6Addr, f: &JoinFacts) -> Result<(), i32> {
    if !f.net_admin {
        return Err(errno::EPERM);
    }
    if addr.is_multicast() || f.unicast_ours {
        return Err(errno::EINVAL);
    }
    Ok(())
}

/// Where a join with interface index 0 goes: the device of the route to the address
/// (`route_dev`); without a route, a host (`ishost`: `conf/all/forwarding` off) fails
/// with `EADDRNOTAVAIL`, a router picks a device that is up (`pick_up`, the first
/// non-loopback up device, `ENODEV` if none).
pub fn join_device(
    route_dev: Option<u32>,
    ishost: bool,
    pick_up: impl FnOnce() -> Option<u32>,
) -> Result<u32, i32> {
    match route_dev {
        Some(d) => Ok(d),
        None if ishost => Err(errno::EADDRNOTAVAIL),
        None => pick_up().ok_or(errno::ENODEV),
    }
}

/// The device check of `ipv6_sock_ac_join()` once the device is known: a device
/// without IPv6 is `ENODEV` when named, `EADDRNOTAVAIL` when chosen by route; a host
/// (the device does not forward) may join only addresses within the prefix of one of
/// the device's addresses (`ipv6_chk_prefix()`), else `EADDRNOTAVAIL`.
pub fn join_on_device(
    has_idev: bool,
    named: bool,
    forwarding: bool,
    on_prefix: impl FnOnce() -> bool,
) -> Result<(), i32> {
    if !has_idev {
        return Err(if named {
            errno::ENODEV
        } else {
            errno::EADDRNOTAVAIL
        });
    }
    if !forwarding && !on_prefix() {
        return Err(errno::EADDRNOTAVAIL);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    #[test]
    fn subnet_router_of_prefixes() {
        assert_eq!(
            subnet_router(&a("2001:db8:1::5"), 64),
            Some(a("2001:db8:1::"))
        );
        assert_eq!(
            subnet_router(&a("2001:db8:1:2:3::5"), 48),
            Some(a("2001:db8:1::"))
        );
        assert_eq!(subnet_router(&a("fe80::1234:5678"), 64), Some(a("fe80::")));
        assert_eq!(
            subnet_router(&a("2001:db8::ff"), 121),
            Some(a("2001:db8::80"))
        );
        assert_eq!(
            subnet_router(&a("2001:db8::ff"), 126),
            Some(a("2001:db8::fc"))
        );
        // RFC 6164 and the all-zero prefix.
        assert_eq!(subnet_router(&a("2001:db8::1"), 127), None);
        assert_eq!(subnet_router(&a("2001:db8::1"), 128), None);
        assert_eq!(subnet_router(&a("::1"), 128), None);
        assert_eq!(subnet_router(&a("::5"), 64), None);
        assert_eq!(subnet_router(&a("2001:db8::1"), 0), None);
        assert_eq!(subnet_router(&a("8000::1"), 1), Some(a("8000::")));
    }

    #[test]
    fn prefixes() {
        assert_eq!(prefix(&a("ffff::ffff"), 0), a("::"));
        assert_eq!(prefix(&a("ffff::ffff"), 128), a("ffff::ffff"));
        assert_eq!(prefix(&a("ffff:ffff::"), 20), a("ffff:f000::"));
        assert!(prefix_equal(&a("2001:db8::1"), &a("2001:db8::"), 64));
        assert!(!prefix_equal(&a("2001:db8:0:1::1"), &a("2001:db8::"), 64));
        assert!(prefix_equal(&a("2001:db8:0:1::1"), &a("2001:db8::"), 63));
    }

    #[test]
    fn join_checks_in_order() {
        let ok = JoinFacts {
            net_admin: true,
            unicast_ours: false,
        };
        assert_eq!(join_allowed(&a("2001:db8::"), &ok), Ok(()));
        let no_cap = JoinFacts {
            net_admin: false,
            unicast_ours: true,
        };
        assert_eq!(join_allowed(&a("ff02::1"), &no_cap), Err(errno::EPERM));
        assert_eq!(join_allowed(&a("ff02::1"), &ok), Err(errno::EINVAL));
        let ours = JoinFacts {
            unicast_ours: true,
            ..ok
        };
        assert_eq!(join_allowed(&a("2001:db8::1"), &ours), Err(errno::EINVAL));
    }

    #[test]
    fn join_devices() {
        assert_eq!(join_device(Some(3), true, || None), Ok(3));
        assert_eq!(
            join_device(None, true, || Some(2)),
            Err(errno::EADDRNOTAVAIL)
        );
        assert_eq!(join_device(None, false, || Some(2)), Ok(2));
        assert_eq!(join_device(None, false, || None), Err(errno::ENODEV));
        assert_eq!(
            join_on_device(false, true, true, || true),
            Err(errno::ENODEV)
        );
        assert_eq!(
            join_on_device(false, false, true, || true),
            Err(errno::EADDRNOTAVAIL)
        );
        assert_eq!(
            join_on_device(true, true, false, || false),
            Err(errno::EADDRNOTAVAIL)
        );
        assert_eq!(join_on_device(true, true, false, || true), Ok(()));
        assert_eq!(join_on_device(true, true, true, || false), Ok(()));
    }
}
