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
    /// Address unreachable.
    pub const ADDR_UNREACH: u8 = 3;
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
    /// `Ip6InDiscards` of the arrival device.
    InDiscards,
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
    /// For a proxied address, a neighbour discovery message: local input takes it,
    /// hop limit unchanged ("proxying is not forwarding").
    LocalInput,
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
    /// The destination is proxied ([`crate::ndisc::forward_proxied`]): what
    /// [`proxy_check`] said of the packet; [`ProxyCheck::Forward`] otherwise.
    pub proxy: ProxyCheck,
}

/// `ip6_forward_proxy_check()`: what becomes of a packet to a proxied address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProxyCheck {
    /// Forwarded as any other.
    Forward,
    /// A neighbour discovery message (RS, RA, NS, NA, redirect): local input.
    LocalInput,
    /// To a link-local address, which a proxy cannot forward: the sender hears of it
    /// (`dst_link_failure()`, address unreachable) and the packet is dropped.
    LinkFailure,
}

/// `ip6_forward_proxy_check()` for a packet to `dst` whose payload (after the IPv6
/// header, first header `first`) starts with `payload` (as much as is at hand). As
/// mainline's `ipv6_skip_exthdr()`: a chain that is cut short, ends in no next header,
/// or reaches a non-first fragment stops the check (forwarded as any other).
pub fn proxy_check(first: u8, payload: &[u8], dst: &Ipv6Addr) -> ProxyCheck {
    use crate::wire::{ext::Chain, icmpv6::kind, proto};
    let mut chain = Chain::new(first, payload);
    let mut later_fragment = false;
    for h in chain.by_ref() {
        match h {
            Ok(h) => later_fragment = h.fragment().is_some_and(|f| f.offset != 0),
            Err(_) => return ProxyCheck::Forward,
        }
    }
    let (next, off) = chain.upper();
    if next == proto::NONE {
        return ProxyCheck::Forward;
    }
    if next == proto::ICMPV6 && !later_fragment {
        let Some(&t) = payload.get(off) else {
            return ProxyCheck::Forward;
        };
        if matches!(
            t,
            kind::ROUTER_SOLICITATION
                | kind::ROUTER_ADVERTISEMENT
                | kind::NEIGHBOUR_SOLICITATION
                | kind::NEIGHBOUR_ADVERTISEMENT
                | kind::REDIRECT
        ) {
            return ProxyCheck::LocalInput;
        }
    }
    let o = dst.octets();
    if o[0] == 0xfe && o[1] & 0xc0 == 0x80 {
        return ProxyCheck::LinkFailure;
    }
    ProxyCheck::Forward
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
    match p.proxy {
        ProxyCheck::Forward => {}
        ProxyCheck::LocalInput => return Verdict::LocalInput,
        ProxyCheck::LinkFailure => {
            return drop(
                Counter::InDiscards,
                Some((DEST_UNREACH, unreach::ADDR_UNREACH, 0)),
            )
        }
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
            proxy: ProxyCheck::Forward,
        }
    }

    #[test]
    fn proxied_destinations() {
        use crate::wire::{icmpv6::kind, proto};
        let g: Ipv6Addr = "2001:db8:1::5".parse().unwrap();
        let ll: Ipv6Addr = "fe80::5".parse().unwrap();
        let ns = [kind::NEIGHBOUR_SOLICITATION, 0, 0, 0];
        assert_eq!(proxy_check(proto::ICMPV6, &ns, &g), ProxyCheck::LocalInput);
        assert_eq!(proxy_check(proto::ICMPV6, &ns, &ll), ProxyCheck::LocalInput);
        let echo = [128, 0, 0, 0];
        assert_eq!(proxy_check(proto::ICMPV6, &echo, &g), ProxyCheck::Forward);
        assert_eq!(
            proxy_check(proto::ICMPV6, &echo, &ll),
            ProxyCheck::LinkFailure
        );
        assert_eq!(
            proxy_check(proto::UDP, &[0; 8], &ll),
            ProxyCheck::LinkFailure
        );
        // Behind a destination options header.
        let mut b = [0u8; 12];
        b[0] = proto::ICMPV6;
        b[8] = kind::NEIGHBOUR_ADVERTISEMENT;
        assert_eq!(proxy_check(proto::DSTOPTS, &b, &g), ProxyCheck::LocalInput);
        // Cut short, or no next header, or a later fragment: not checked further.
        assert_eq!(
            proxy_check(proto::DSTOPTS, &b[..4], &ll),
            ProxyCheck::Forward
        );
        assert_eq!(proxy_check(proto::ICMPV6, &[], &ll), ProxyCheck::Forward);
        assert_eq!(proxy_check(proto::NONE, &[], &ll), ProxyCheck::Forward);
        let mut f = [0u8; 12];
        f[0] = proto::ICMPV6;
        f[3] = 8;
        f[8] = kind::NEIGHBOUR_SOLICITATION;
        assert_eq!(proxy_check(proto::FRAGMENT, &f, &g), ProxyCheck::Forward);
        f[3] = 0;
        assert_eq!(proxy_check(proto::FRAGMENT, &f, &g), ProxyCheck::LocalInput);
        // In forward(): after the hop limit, before the source checks.
        let p = |proxy| Packet {
            proxy,
            dst: ll,
            src: "fe80::1".parse().unwrap(),
            ..pkt()
        };
        assert_eq!(forward(&p(ProxyCheck::LocalInput)), Verdict::LocalInput);
        assert_eq!(
            forward(&p(ProxyCheck::LinkFailure)),
            Verdict::Drop {
                counter: Counter::InDiscards,
                icmp: Some((DEST_UNREACH, unreach::ADDR_UNREACH, 0)),
            }
        );
        let low = Packet {
            hop_limit: 1,
            ..p(ProxyCheck::LocalInput)
        };
        assert_ne!(forward(&low), Verdict::LocalInput);
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
