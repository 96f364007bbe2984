// SPDX-License-Identifier: GPL-2.0

//! ICMPv6 error rate limiting (RFC 4443 §2.4 (f)), as mainline's `icmpv6_global_allow()`
//! and `icmpv6_xrlim_allow()` apply it: which messages are limited, in which order the
//! namespace-wide and the per-destination token buckets are asked, and how the
//! per-destination interval scales with the route's prefix length. The buckets are
//! the kernel's (`icmp_global_allow()`, `inet_peer_xrlim_allow()`, shared with IPv4's
//! ICMP), reached through [`Buckets`].

/// Highest ICMPv6 type the rate mask covers (`ICMPV6_MSG_MAX`).
pub const MSG_MAX: u8 = 255;

/// The token buckets a rate-limit decision asks, the kernel's in the module.
pub trait Buckets {
    /// The namespace-wide limit (`icmp_global_allow()`): may one more go?
    fn global_allow(&mut self) -> bool;
    /// The per-destination limit (`inet_peer_xrlim_allow()`), one message per
    /// `interval` jiffies on average: may this one go?
    fn peer_allow(&mut self, interval: u32) -> bool;
    /// Takes the namespace-wide token for a message that goes
    /// (`icmp_global_consume()`).
    fn global_consume(&mut self);
}

/// Why a message may not go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limited {
    /// The namespace-wide limit (`IcmpOutRateLimitGlobal`).
    Global,
    /// The per-destination limit (`Icmp6OutRateLimitHost`).
    Host,
}

/// Whether type `t` is rate limited: set in `net.ipv6.icmp.ratemask` (`mask`, bit `t`
/// of the 256), and not leaving through a loopback device.
pub fn limited_type(t: u8, mask: &[u64; 4], loopback: bool) -> bool {
    !loopback && mask[usize::from(t / 64)] & (1 << (t % 64)) != 0
}

/// The per-destination interval: `net.ipv6.icmp.ratelimit` (`time`, jiffies) for a
/// host route, halved for every 32 bits the route's prefix (`plen`) is shorter, so
/// that wider destinations get more bandwidth.
pub fn peer_interval(time: u32, plen: u8) -> u32 {
    if plen < 128 {
        time >> ((128 - u32::from(plen)) >> 5)
    } else {
        time
    }
}

/// May an ICMPv6 error of type `t` go out through a device (`loopback` or not) to a
/// destination reached by a route of prefix length `plen`? The namespace-wide bucket
/// first, then the destination's, and the namespace-wide token is only taken for a
/// message that goes.
pub fn allow(
    t: u8,
    mask: &[u64; 4],
    loopback: bool,
    time: u32,
    plen: u8,
    b: &mut impl Buckets,
) -> Result<(), Limited> {
    if !limited_type(t, mask, loopback) {
        return Ok(());
    }
    if !b.global_allow() {
        return Err(Limited::Global);
    }
    if !b.peer_allow(peer_interval(time, plen)) {
        return Err(Limited::Host);
    }
    b.global_consume();
    Ok(())
}

/// The default `net.ipv6.icmp.ratemask`: `0-1,3-127` (every error type but packet
/// too big), as mainline sets it.
pub const DEFAULT_RATEMASK: [u64; 4] = [!(1 << 2), u64::MAX, 0, 0];

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    /// Buckets that answer as told and record what they were asked.
    #[derive(Default)]
    struct Fake {
        global: bool,
        peer: bool,
        calls: Vec<&'static str>,
        interval: Option<u32>,
    }

    impl Buckets for Fake {
        fn global_allow(&mut self) -> bool {
            self.calls.push("global");
            self.global
        }
        fn peer_allow(&mut self, interval: u32) -> bool {
            self.calls.push("peer");
            self.interval = Some(interval);
            self.peer
        }
        fn global_consume(&mut self) {
            self.calls.push("consume");
        }
    }

    fn fake(global: bool, peer: bool) -> Fake {
        Fake {
            global,
            peer,
            ..Fake::default()
        }
    }

    #[test]
    fn default_mask() {
        let m = DEFAULT_RATEMASK;
        assert!(limited_type(1, &m, false)); // destination unreachable
        assert!(!limited_type(2, &m, false)); // packet too big
        assert!(limited_type(3, &m, false) && limited_type(4, &m, false));
        assert!(limited_type(127, &m, false));
        assert!(!limited_type(128, &m, false)); // echo request
        assert!(!limited_type(MSG_MAX, &m, false));
        assert!(!limited_type(1, &m, true)); // through loopback: never
    }

    #[test]
    fn intervals() {
        assert_eq!(peer_interval(1000, 128), 1000);
        assert_eq!(peer_interval(1000, 97), 1000);
        assert_eq!(peer_interval(1000, 96), 500);
        assert_eq!(peer_interval(1000, 64), 250);
        assert_eq!(peer_interval(1000, 48), 250);
        assert_eq!(peer_interval(1000, 32), 125);
        assert_eq!(peer_interval(1000, 0), 62);
    }

    #[test]
    fn order_of_buckets() {
        let m = DEFAULT_RATEMASK;
        let mut b = fake(true, true);
        assert_eq!(allow(1, &m, false, 1000, 64, &mut b), Ok(()));
        assert_eq!(b.calls, ["global", "peer", "consume"]);
        assert_eq!(b.interval, Some(250));
        // The global bucket says no: the destination's is not asked.
        let mut b = fake(false, true);
        assert_eq!(allow(1, &m, false, 1000, 64, &mut b), Err(Limited::Global));
        assert_eq!(b.calls, ["global"]);
        // The destination's says no: no global token is taken.
        let mut b = fake(true, false);
        assert_eq!(allow(3, &m, false, 1000, 128, &mut b), Err(Limited::Host));
        assert_eq!(b.calls, ["global", "peer"]);
        // Types outside the mask, or loopback, ask nothing.
        let mut b = fake(false, false);
        assert_eq!(allow(2, &m, false, 1000, 64, &mut b), Ok(()));
        assert_eq!(allow(1, &m, true, 1000, 64, &mut b), Ok(()));
        assert!(b.calls.is_empty());
    }
}
