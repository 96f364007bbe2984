// SPDX-License-Identifier: GPL-2.0

//! Routing a received packet that is not for us (mainline `ip6_forward()` in
//! `net/ipv6/ip6_output.c`, and `ip6_pkt_drop()` for reject routes): what a router does
//! with it, in mainline's order of checks, and what it answers.

use core::net::Ipv6Addr;

/// What the route input found for a packet that is not addressed to us.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputRoute {
    /// A unicast route out of a device.
    Unicast,
    /// Nothing, or a rule said `unreachable`, or an `unreachable` (or `throw`) route.
    Unreachable,
    /// `prohibit`.
    Prohibit,
    /// `blackhole`: dropped without a word.
    Blackhole,
}

/// ICMPv6 destination unreachable codes (RFC 4443 §3.1).
pub mod unreach {
    /// No route to destination.
    pub const NOROUTE: u8 = 0;
    /// Communication administratively prohibited.
    pub const ADM_PROHIBITED: u8 = 1;
    /// Beyond the scope of the source address.
    pub const NOT_NEIGHBOUR: u8 = 2;
}

/// The counter a dropped packet goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    /// `Ip6InAddrErrors` of the arrival device.
    InAddrErrors,
    /// `Ip6InNoRoutes` of the arrival device.
    InNoRoutes,
    /// `Ip6InHdrErrors` of the arrival device.
    InHdrErrors,
    /// `Ip6InTooBigErrors` of the arrival device and `Ip6FragFails` of the outgoing one.
    TooBig,
    /// None.
    None,
}

/// What becomes of the packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Sent on, hop limit decremented, counted in `Ip6OutForwDatagrams`; `redirect`:
    /// it leaves through the link it came from (mainline then sends a redirect).
    Forward {
        /// Same link in and out.
        redirect: bool,
    },
    /// Dropped, counted, and answered with ICMPv6 `(type, code, info)` if any.
    Drop {
        /// The counter.
        counter: Counter,
        /// The ICMPv6 error to send, if any.
        icmp: Option<(u8, u8, u32)>,
    },
}

/// What the forwarding path knows of a packet and its route.
#[derive(Clone, Copy, Debug)]
pub struct Packet {
    /// `net.ipv6.conf.all.forwarding`.
    pub forwarding: bool,
    /// Addressed to this host at the link layer (`PACKET_HOST`).
    pub to_host: bool,
    /// The hop limit as received.
    pub hop_limit: u8,
    /// The source address.
    pub src: Ipv6Addr,
    /// The destination address.
    pub dst: Ipv6Addr,
    /// It leaves through the device it arrived on.
    pub same_link: bool,
    /// The outgoing device's IPv6 MTU (`cnf.mtu6`).
    pub mtu: u32,
    /// `ip6_pkt_too_big()` for that MTU (length, GSO segments and the reassembled
    /// fragment size considered): the glue asks the kernel, with [`Packet::mtu`]
    /// raised to at least 1280 first.
    pub too_big: bool,
}

/// `ICMPV6_DEST_UNREACH`, `ICMPV6_PKT_TOOBIG`, `ICMPV6_TIME_EXCEED`.
const DEST_UNREACH: u8 = crate::wire::icmpv6::kind::DEST_UNREACH;
const PKT_TOOBIG: u8 = crate::wire::icmpv6::kind::PKT_TOOBIG;
const TIME_EXCEED: u8 = crate::wire::icmpv6::kind::TIME_EXCEED;

/// The MTU the forwarding path holds packets to: the device's, at least 1280
/// (`ip6_dst_mtu_maybe_forward()`: routes' unlocked `mtu` metrics do not count).
pub fn forward_mtu(dev_mtu6: u32) -> u32 {
    dev_mtu6.max(crate::conf::IPV6_MIN_MTU)
}

fn code_of(route: InputRoute) -> u8 {
    if route == InputRoute::Prohibit {
        unreach::ADM_PROHIBITED
    } else {
        unreach::NOROUTE
    }
}

/// `ip6_pkt_drop()` and friends: a packet whose route rejects it. `None`: forward it.
pub fn reject(route: InputRoute, dst: &Ipv6Addr) -> Option<Verdict> {
    let icmp = |code| Some((DEST_UNREACH, code, 0));
    Some(match route {
        InputRoute::Unicast => return None,
        InputRoute::Blackhole => Verdict::Drop {
            counter: Counter::None,
            icmp: None,
        },
        // To `::`, an address error rather than a missing route, answered all the same.
        _ if dst.is_unspecified() => Verdict::Drop {
            counter: Counter::InAddrErrors,
            icmp: icmp(code_of(route)),
        },
        _ => Verdict::Drop {
            counter: Counter::InNoRoutes,
            icmp: icmp(code_of(route)),
        },
    })
}

/// `ip6_forward()` for a packet with a unicast route out.
pub fn forward(p: &Packet) -> Verdict {
    let drop = |counter, icmp| Verdict::Drop { counter, icmp };
    if !p.forwarding {
        return drop(Counter::InAddrErrors, None);
    }
    if !p.to_host {
        return drop(Counter::None, None);
    }
    if p.hop_limit <= 1 {
        return drop(Counter::InHdrErrors, Some((TIME_EXCEED, 0, 0)));
    }
    if !p.same_link {
        // Security critical: never route packets from unspecified, multicast or
        // loopback sources; link-local ones may not leave their link.
        if p.src.is_unspecified() || p.src.is_multicast() || p.src.is_loopback() {
            return drop(Counter::InAddrErrors, None);
        }
        let o = p.src.octets();
        if o[0] == 0xfe && o[1] & 0xc0 == 0x80 {
            return drop(
                Counter::InAddrErrors,
                Some((DEST_UNREACH, unreach::NOT_NEIGHBOUR, 0)),
            );
        }
    }
    if p.too_big {
        return drop(Counter::TooBig, Some((PKT_TOOBIG, 0, forward_mtu(p.mtu))));
    }
    Verdict::Forward {
        redirect: p.same_link,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkt() -> Packet {
        Packet {
            forwarding: true,
            to_host: true,
            hop_limit: 64,
            src: "2001:db8:1::1".parse().unwrap(),
            dst: "2001:db8:2::1".parse().unwrap(),
            same_link: false,
            mtu: 1500,
            too_big: false,
        }
    }

    #[test]
    fn router_checks_in_mainline_order() {
        assert_eq!(forward(&pkt()), Verdict::Forward { redirect: false });
        let v = forward(&Packet {
            forwarding: false,
            hop_limit: 1,
            ..pkt()
        });
        assert_eq!(
            v,
            Verdict::Drop {
                counter: Counter::InAddrErrors,
                icmp: None
            }
        );
        let v = forward(&Packet {
            hop_limit: 1,
            ..pkt()
        });
        assert_eq!(
            v,
            Verdict::Drop {
                counter: Counter::InHdrErrors,
                icmp: Some((3, 0, 0))
            }
        );
        let v = forward(&Packet {
            to_host: false,
            ..pkt()
        });
        assert_eq!(
            v,
            Verdict::Drop {
                counter: Counter::None,
                icmp: None
            }
        );
        let ll = forward(&Packet {
            src: "fe80::1".parse().unwrap(),
            ..pkt()
        });
        assert_eq!(
            ll,
            Verdict::Drop {
                counter: Counter::InAddrErrors,
                icmp: Some((1, 2, 0))
            }
        );
        // Back out of the same link: no source checks (a redirect goes out).
        let back = forward(&Packet {
            src: "fe80::1".parse().unwrap(),
            same_link: true,
            ..pkt()
        });
        assert_eq!(back, Verdict::Forward { redirect: true });
        for s in ["::", "ff02::1", "::1"] {
            let v = forward(&Packet {
                src: s.parse().unwrap(),
                ..pkt()
            });
            assert_eq!(
                v,
                Verdict::Drop {
                    counter: Counter::InAddrErrors,
                    icmp: None
                }
            );
        }
        let big = forward(&Packet {
            too_big: true,
            mtu: 1000,
            ..pkt()
        });
        assert_eq!(
            big,
            Verdict::Drop {
                counter: Counter::TooBig,
                icmp: Some((2, 0, 1280))
            }
        );
    }

    #[test]
    fn rejections() {
        let d: Ipv6Addr = "2001:db8::1".parse().unwrap();
        assert_eq!(reject(InputRoute::Unicast, &d), None);
        assert_eq!(
            reject(InputRoute::Unreachable, &d),
            Some(Verdict::Drop {
                counter: Counter::InNoRoutes,
                icmp: Some((1, 0, 0))
            })
        );
        assert_eq!(
            reject(InputRoute::Unreachable, &Ipv6Addr::UNSPECIFIED),
            Some(Verdict::Drop {
                counter: Counter::InAddrErrors,
                icmp: Some((1, 0, 0))
            })
        );
        assert_eq!(
            reject(InputRoute::Prohibit, &d),
            Some(Verdict::Drop {
                counter: Counter::InNoRoutes,
                icmp: Some((1, 1, 0))
            })
        );
        assert_eq!(
            reject(InputRoute::Blackhole, &d),
            Some(Verdict::Drop {
                counter: Counter::None,
                icmp: None
            })
        );
    }
}
