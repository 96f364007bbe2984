// SPDX-License-Identifier: GPL-2.0

//! A route lookup's flow (mainline `struct flowi6` with the `RT6_LOOKUP_F_*` flags):
//! what the routing tables, the policy rules and the multipath hash look at.

use core::net::Ipv6Addr;

/// The loopback device's ifindex (`LOOPBACK_IFINDEX`): the arrival interface of
/// locally generated packets.
pub const LOOPBACK_IFINDEX: u32 = 1;

/// What a lookup matches policy rules on besides addresses and interfaces.
#[derive(Clone, Copy, Debug, Default)]
pub struct FlowKeys {
    /// `fwmark`.
    pub mark: u32,
    /// `uidrange` (the sender's uid, `u32::MAX` for none).
    pub uid: u32,
    /// `ipproto`.
    pub proto: u8,
    /// Traffic class (`tos`/`dsfield`/`dscp`).
    pub tos: u8,
    /// `sport`, host order.
    pub sport: u16,
    /// `dport`, host order.
    pub dport: u16,
    /// The flow label, for the multipath hash.
    pub flowlabel: u32,
}

/// A route lookup (`struct flowi6` and the `RT6_LOOKUP_F_*` flags).
#[derive(Clone, Copy, Debug)]
pub struct Flow {
    /// Destination (`daddr`).
    pub dst: Ipv6Addr,
    /// The source, if the flow has one (`RT6_LOOKUP_F_HAS_SADDR`).
    pub src: Option<Ipv6Addr>,
    /// Outgoing interface asked for (`flowi6_oif`), 0 if none.
    pub oif: u32,
    /// Arrival interface (`flowi6_iif`): `lo` for our own packets.
    pub iif: u32,
    /// A received packet's lookup (`ip6_pol_route_input()`): routes are scored by the
    /// arrival interface.
    pub input: bool,
    /// `RT6_LOOKUP_F_IFACE`: only routes through the interface.
    pub strict: bool,
    /// What policy rules and the multipath hash see besides addresses.
    pub keys: FlowKeys,
}

impl Flow {
    /// A locally generated packet's lookup (`ip6_route_output_flags()`).
    pub fn output(dst: Ipv6Addr, src: Option<Ipv6Addr>, oif: u32, strict: bool) -> Self {
        Self {
            dst,
            src,
            oif,
            iif: LOOPBACK_IFINDEX,
            input: false,
            strict,
            keys: FlowKeys::default(),
        }
    }

    /// The interface whose path of a nexthop object a locally generated packet keeps
    /// (`have_oif_match`), 0 for none.
    pub fn oif_match(&self) -> u32 {
        if self.iif == LOOPBACK_IFINDEX && !self.input {
            self.oif
        } else {
            0
        }
    }

    /// The interface routes are scored by.
    pub fn score_oif(&self) -> u32 {
        if self.input {
            self.iif
        } else {
            self.oif
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_flows_keep_their_interface() {
        let dst = Ipv6Addr::LOCALHOST;
        let f = Flow::output(dst, None, 3, true);
        assert_eq!(
            (f.iif, f.oif_match(), f.score_oif()),
            (LOOPBACK_IFINDEX, 3, 3)
        );
        let input = Flow {
            input: true,
            iif: 2,
            ..f
        };
        assert_eq!((input.oif_match(), input.score_oif()), (0, 2));
    }
}
