// SPDX-License-Identifier: GPL-2.0

//! Extension header processing on local delivery (RFC 8200 §4, mainline
//! `net/ipv6/exthdrs.c`): hop-by-hop and destination options, routing headers, and the
//! verdicts `ip6_protocol_deliver_rcu()` reaches for the headers it does not know.
//!
//! Each function looks at one header of a packet (`pkt` is the packet from its IPv6
//! header on, `off` where the header starts) and says whether delivery goes on, and if
//! not, which counter, drop reason and ICMPv6 parameter problem mainline produces.

use crate::wire::{ParamProblem, ParamProblemCode};

/// Mainline defaults of `net.ipv6.max_{hbh,dst}_opts_{number,length}`.
pub const DEFAULT_MAX_OPTS_CNT: i32 = 8;
/// Default maximum options header length (`IP6_DEFAULT_MAX_*_OPTS_LEN`, `INT_MAX`).
pub const DEFAULT_MAX_OPTS_LEN: i32 = i32::MAX;

/// Option types (`IPV6_TLV_*`).
pub mod tlv {
    /// Pad1.
    pub const PAD1: u8 = 0;
    /// PadN.
    pub const PADN: u8 = 1;
    /// Router alert (RFC 2711).
    pub const ROUTERALERT: u8 = 5;
    /// CALIPSO (RFC 5570).
    pub const CALIPSO: u8 = 7;
    /// IOAM (RFC 9486).
    pub const IOAM: u8 = 49;
    /// Jumbo payload (RFC 2675).
    pub const JUMBO: u8 = 194;
}

/// The SNMP counter a failed header is accounted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    /// `Ip6InHdrErrors`.
    InHdrErrors,
    /// `Ip6InAddrErrors`.
    InAddrErrors,
    /// `Ip6InTruncatedPkts`.
    InTruncatedPkts,
    /// `Ip6InUnknownProtos`.
    InUnknownProtos,
    /// None.
    None,
}

/// The drop reason of a failed header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// `SKB_DROP_REASON_IP_INHDR`.
    IpInhdr,
    /// `SKB_DROP_REASON_UNHANDLED_PROTO`.
    UnhandledProto,
    /// `SKB_DROP_REASON_PKT_TOO_SMALL`.
    PktTooSmall,
    /// `SKB_DROP_REASON_IP_NOPROTO`.
    IpNoproto,
    /// `SKB_DROP_REASON_NOT_SPECIFIED`.
    NotSpecified,
}

/// A packet dropped at an extension header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Drop {
    /// Counter to increment.
    pub counter: Counter,
    /// Drop reason.
    pub reason: Reason,
    /// Parameter problem to send back, if any (subject to RFC 4443 §2.4 checks).
    pub icmp: Option<ParamProblem>,
}

/// What processing one extension header decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Go on with the header of type `next` at offset `end`; `nhoff` is where that type
    /// was named (for a later parameter problem about it).
    Next {
        /// Type of the next header.
        next: u8,
        /// Its offset.
        end: usize,
        /// Offset of the next-header field that named it.
        nhoff: usize,
        /// A valid jumbo payload option: the payload is this long (trim to it).
        jumbo: Option<u32>,
    },
    /// Drop the packet.
    Drop(Drop),
}

fn drop(counter: Counter, reason: Reason, icmp: Option<(ParamProblemCode, usize)>) -> Verdict {
    Verdict::Drop(Drop {
        counter,
        reason,
        icmp: icmp.map(|(code, p)| ParamProblem {
            code,
            pointer: p as u32,
        }),
    })
}

/// Limits of options headers (`net.ipv6.max_*_opts_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptLimits {
    /// Maximum number of non-padding options; negative means unknown options are
    /// dropped silently, and the limit is its absolute value.
    pub max_count: i32,
    /// Maximum header length in bytes.
    pub max_len: i32,
}

impl Default for OptLimits {
    fn default() -> Self {
        Self {
            max_count: DEFAULT_MAX_OPTS_CNT,
            max_len: DEFAULT_MAX_OPTS_LEN,
        }
    }
}

/// What the options walk needs to know about the packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PacketFacts {
    /// The destination is multicast.
    pub dst_multicast: bool,
    /// The frame was addressed to this host at the link layer (`PACKET_HOST`).
    pub pkt_host: bool,
    /// The IPv6 header's payload length field.
    pub payload_len: u16,
    /// Bytes of the packet after the IPv6 header.
    pub after_header: usize,
}

/// Length of the extension header at `off` if it is all there (`(hdrlen + 1) * 8`).
fn ext_len(pkt: &[u8], off: usize) -> Option<usize> {
    let len = (usize::from(*pkt.get(off + 1)?) + 1) * 8;
    (pkt.len() >= off + len).then_some(len)
}

/// A hop-by-hop options header at `off` = 40 (`ipv6_parse_hopopts()`): every failure
/// counts as `InHdrErrors`.
pub fn hop_by_hop(pkt: &[u8], off: usize, lim: OptLimits, f: &PacketFacts) -> Verdict {
    options(pkt, off, true, lim, f)
}

/// A destination options header at `off` (`ipv6_destopt_rcv()`).
pub fn destination(pkt: &[u8], off: usize, lim: OptLimits, f: &PacketFacts) -> Verdict {
    options(pkt, off, false, lim, f)
}

fn options(pkt: &[u8], off: usize, hbh: bool, lim: OptLimits, f: &PacketFacts) -> Verdict {
    let bad = || drop(Counter::InHdrErrors, Reason::IpInhdr, None);
    let Some(len) = ext_len(pkt, off) else {
        return drop(Counter::InHdrErrors, Reason::NotSpecified, None);
    };
    if len as u64 > lim.max_len.max(0) as u64 {
        return drop(
            if hbh {
                Counter::InHdrErrors
            } else {
                Counter::None
            },
            Reason::NotSpecified,
            None,
        );
    }
    let disallow_unknowns = lim.max_count < 0;
    let max_count = lim.max_count.unsigned_abs();
    let end = off + len;
    let mut pos = off + 2;
    let mut padlen = 0;
    let mut count = 0;
    let mut jumbo = None;
    while pos < end {
        let kind = pkt[pos];
        if kind == tlv::PAD1 {
            padlen += 1;
            if padlen > 7 {
                return bad();
            }
            pos += 1;
            continue;
        }
        if end - pos < 2 {
            return bad();
        }
        let optlen = usize::from(pkt[pos + 1]) + 2;
        if optlen > end - pos {
            return bad();
        }
        if kind == tlv::PADN {
            padlen += optlen;
            if padlen > 7 || pkt[pos + 2..pos + optlen].iter().any(|&b| b != 0) {
                return bad();
            }
        } else {
            count += 1;
            if count > max_count {
                return bad();
            }
            let known = match (hbh, kind) {
                (true, tlv::ROUTERALERT) => {
                    if optlen != 4 {
                        return bad();
                    }
                    true
                }
                // IOAM is ignored while ioam6_enabled is off (the default).
                (true, tlv::IOAM) => true,
                (true, tlv::CALIPSO) => {
                    let l = usize::from(pkt[pos + 1]);
                    if l < 8 || usize::from(pkt[pos + 6]) * 4 + 8 > l {
                        return drop(Counter::InHdrErrors, Reason::IpInhdr, None);
                    }
                    true
                }
                (true, tlv::JUMBO) => match jumbo_option(pkt, pos, f) {
                    Ok(n) => {
                        jumbo = Some(n);
                        true
                    }
                    Err(v) => return v,
                },
                _ => false,
            };
            if !known {
                if let Some(v) = unknown_option(kind, pos, disallow_unknowns, f) {
                    return v;
                }
            }
            padlen = 0;
        }
        pos += optlen;
    }
    Verdict::Next {
        next: pkt[off],
        end,
        nhoff: off,
        jumbo,
    }
}

/// `ip6_tlvopt_unknown()`: `None` to skip the option, else the drop.
fn unknown_option(kind: u8, pos: usize, disallow: bool, f: &PacketFacts) -> Option<Verdict> {
    let silent = drop(Counter::InHdrErrors, Reason::UnhandledProto, None);
    if disallow {
        return Some(silent);
    }
    match kind >> 6 {
        0 => None,
        1 => Some(silent),
        3 if f.dst_multicast => Some(silent),
        _ => Some(drop(
            Counter::InHdrErrors,
            Reason::UnhandledProto,
            Some((ParamProblemCode::UnknownOption, pos)),
        )),
    }
}

/// `ipv6_hop_jumbo()`.
fn jumbo_option(pkt: &[u8], pos: usize, f: &PacketFacts) -> Result<u32, Verdict> {
    if pkt[pos + 1] != 4 || pos & 3 != 2 {
        return Err(drop(Counter::InHdrErrors, Reason::IpInhdr, None));
    }
    let b = &pkt[pos + 2..pos + 6];
    let n = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let field = |p| {
        Err(drop(
            Counter::InHdrErrors,
            Reason::IpInhdr,
            Some((ParamProblemCode::HeaderField, p)),
        ))
    };
    if n <= 65535 {
        return field(pos + 2);
    }
    if f.payload_len != 0 {
        return field(pos);
    }
    if n as usize > f.after_header {
        return Err(drop(Counter::InHdrErrors, Reason::PktTooSmall, None));
    }
    Ok(n)
}

/// Routing header types (`IPV6_SRCRT_TYPE_*`).
pub mod rh {
    /// Type 0, deprecated by RFC 5095.
    pub const TYPE_0: u8 = 0;
    /// Type 2, Mobile IPv6.
    pub const TYPE_2: u8 = 2;
    /// Type 3, RPL source routing.
    pub const TYPE_3: u8 = 3;
    /// Type 4, segment routing.
    pub const TYPE_4: u8 = 4;
}

/// A routing header at `off` on a host (`ipv6_rthdr_rcv()`, no Mobile IPv6, SRv6 and
/// RPL disabled as by default): with no segments left it is skipped (RFC 8200 §4.4);
/// otherwise it is refused with a parameter problem pointing at its type (type 0 per
/// RFC 5095 and every type this node does not process).
pub fn routing(pkt: &[u8], off: usize, f: &PacketFacts) -> Verdict {
    let Some(len) = ext_len(pkt, off) else {
        return drop(Counter::InHdrErrors, Reason::NotSpecified, None);
    };
    if f.dst_multicast || !f.pkt_host {
        return drop(Counter::InAddrErrors, Reason::NotSpecified, None);
    }
    let (kind, segments_left) = (pkt[off + 2], pkt[off + 3]);
    if kind == rh::TYPE_3 || kind == rh::TYPE_4 {
        // seg6_enabled / rpl_seg_enabled are off: dropped without a word.
        return drop(Counter::None, Reason::NotSpecified, None);
    }
    if segments_left == 0 {
        return Verdict::Next {
            next: pkt[off],
            end: off + len,
            nhoff: off,
            jumbo: None,
        };
    }
    drop(
        Counter::InHdrErrors,
        Reason::NotSpecified,
        Some((ParamProblemCode::HeaderField, off + 2)),
    )
}

/// An upper-layer protocol nobody handles (`ip6_protocol_deliver_rcu()` without a
/// handler or raw socket): `InUnknownProtos` and a parameter problem pointing at the
/// next-header field that named it.
pub fn unknown_protocol(nhoff: usize) -> Drop {
    Drop {
        counter: Counter::InUnknownProtos,
        reason: Reason::IpNoproto,
        icmp: Some(ParamProblem {
            code: ParamProblemCode::UnknownNextHeader,
            pointer: nhoff as u32,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::proto;

    const F: PacketFacts = PacketFacts {
        dst_multicast: false,
        pkt_host: true,
        payload_len: 8,
        after_header: 8,
    };

    fn pkt_with(ext: &[u8]) -> [u8; 48] {
        let mut p = [0u8; 48];
        p[40..40 + ext.len()].copy_from_slice(ext);
        p
    }

    fn pp(code: ParamProblemCode, pointer: u32) -> Option<ParamProblem> {
        Some(ParamProblem { code, pointer })
    }

    #[test]
    fn padding_and_known_options() {
        let p = pkt_with(&[proto::ICMPV6, 0, tlv::PADN, 4, 0, 0, 0, 0]);
        assert_eq!(
            hop_by_hop(&p, 40, OptLimits::default(), &F),
            Verdict::Next {
                next: proto::ICMPV6,
                end: 48,
                nhoff: 40,
                jumbo: None
            }
        );
        // Router alert (len 2) then PadN 0.
        let p = pkt_with(&[proto::NONE, 0, tlv::ROUTERALERT, 2, 0, 0, tlv::PADN, 0]);
        assert!(matches!(
            hop_by_hop(&p, 40, OptLimits::default(), &F),
            Verdict::Next { .. }
        ));
        // PadN with non-zero contents, too much padding.
        let p = pkt_with(&[proto::NONE, 0, tlv::PADN, 4, 0, 1, 0, 0]);
        assert!(matches!(
            destination(&p, 40, OptLimits::default(), &F),
            Verdict::Drop(_)
        ));
        let p = pkt_with(&[proto::NONE, 0, 0, 0, 0, 0, 0, 0]);
        assert!(matches!(
            destination(&p, 40, OptLimits::default(), &F),
            Verdict::Next { .. }
        ));
        let mut p = [0u8; 56];
        p[40..42].copy_from_slice(&[proto::NONE, 1]);
        assert_eq!(
            destination(&p, 40, OptLimits::default(), &F),
            drop(Counter::InHdrErrors, Reason::IpInhdr, None)
        );
    }

    #[test]
    fn unknown_options_follow_their_high_bits() {
        let opt = |t: u8| pkt_with(&[proto::NONE, 0, t, 4, 0, 0, 0, 0]);
        let lim = OptLimits::default();
        assert!(matches!(
            destination(&opt(0x1e), 40, lim, &F),
            Verdict::Next { .. }
        ));
        assert_eq!(
            destination(&opt(0x5e), 40, lim, &F),
            drop(Counter::InHdrErrors, Reason::UnhandledProto, None)
        );
        let Verdict::Drop(d) = destination(&opt(0x9e), 40, lim, &F) else {
            panic!()
        };
        assert_eq!(d.icmp, pp(ParamProblemCode::UnknownOption, 42));
        let Verdict::Drop(d) = destination(&opt(0xde), 40, lim, &F) else {
            panic!()
        };
        assert_eq!(d.icmp, pp(ParamProblemCode::UnknownOption, 42));
        let mc = PacketFacts {
            dst_multicast: true,
            ..F
        };
        let Verdict::Drop(d) = destination(&opt(0xde), 40, lim, &mc) else {
            panic!()
        };
        assert_eq!(d.icmp, None);
        let Verdict::Drop(d) = destination(&opt(0x9e), 40, lim, &mc) else {
            panic!()
        };
        assert_eq!(d.icmp, pp(ParamProblemCode::UnknownOption, 42));
    }

    #[test]
    fn routing_headers() {
        let rh0 = pkt_with(&[proto::ICMPV6, 0, rh::TYPE_0, 1, 0, 0, 0, 0]);
        let Verdict::Drop(d) = routing(&rh0, 40, &F) else {
            panic!()
        };
        assert_eq!(d.icmp, pp(ParamProblemCode::HeaderField, 42));
        assert_eq!(d.counter, Counter::InHdrErrors);
        let done = pkt_with(&[proto::ICMPV6, 0, rh::TYPE_0, 0, 0, 0, 0, 0]);
        assert!(matches!(
            routing(&done, 40, &F),
            Verdict::Next {
                next: proto::ICMPV6,
                ..
            }
        ));
        let mc = PacketFacts {
            dst_multicast: true,
            ..F
        };
        let Verdict::Drop(d) = routing(&done, 40, &mc) else {
            panic!()
        };
        assert_eq!(d.counter, Counter::InAddrErrors);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..96),
                        off in 0usize..100, count in -10i32..10) {
            let lim = OptLimits { max_count: count, max_len: 64 };
            let f = PacketFacts { after_header: b.len().saturating_sub(40), ..F };
            let _ = hop_by_hop(&b, off, lim, &f);
            let _ = destination(&b, off, lim, &f);
            let _ = routing(&b, off, &f);
        }
    }
}
