// SPDX-License-Identifier: GPL-2.0

//! The IPv6 fixed header (RFC 8200 §3) and the receive-side checks that mainline's
//! `ip6_rcv_core()` (`net/ipv6/ip6_input.c`) applies to it.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |Version| Traffic Class |           Flow Label                  |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |         Payload Length        |  Next Header  |   Hop Limit   |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                       Source Address (16 octets)              |
//! |                    Destination Address (16 octets)            |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```

use core::net::Ipv6Addr;

/// Length of the fixed header (`sizeof(struct ipv6hdr)`).
pub const HEADER_LEN: usize = 40;

mod field {
    use core::ops::Range;
    pub(super) const VER_TC_FLOW: Range<usize> = 0..4;
    pub(super) const PAYLOAD_LEN: Range<usize> = 4..6;
    pub(super) const NEXT_HEADER: usize = 6;
    pub(super) const HOP_LIMIT: usize = 7;
    pub(super) const SRC: Range<usize> = 8..24;
    pub(super) const DST: Range<usize> = 24..40;
}

/// Offset of the Next Header field, for ICMP pointers and `IP6CB(skb)->nhoff`.
pub const NEXT_HEADER_OFFSET: usize = field::NEXT_HEADER;

/// Why a buffer is not an IPv6 header at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// Fewer than [`HEADER_LEN`] bytes.
    Truncated,
    /// The version field is not 6.
    BadVersion(u8),
}

/// A view over the 40 bytes of an IPv6 fixed header.
#[derive(Clone, Copy, Debug)]
pub struct Ipv6Header<'a>(&'a [u8; HEADER_LEN]);

impl<'a> Ipv6Header<'a> {
    /// Views the start of `buf` as an IPv6 header; returns it and the bytes after it.
    ///
    /// Checks the length and the version; nothing else.
    pub fn parse(buf: &'a [u8]) -> Result<(Self, &'a [u8]), HeaderError> {
        let (hdr, rest) = buf
            .split_first_chunk::<HEADER_LEN>()
            .ok_or(HeaderError::Truncated)?;
        let hdr = Self(hdr);
        match hdr.version() {
            6 => Ok((hdr, rest)),
            v => Err(HeaderError::BadVersion(v)),
        }
    }

    fn word0(&self) -> u32 {
        let w = &self.0[field::VER_TC_FLOW];
        u32::from_be_bytes([w[0], w[1], w[2], w[3]])
    }

    /// The version field (6 for any header [`parse`](Self::parse) accepted).
    pub fn version(&self) -> u8 {
        self.0[0] >> 4
    }

    /// Traffic class: DSCP in the upper six bits, ECN in the lower two.
    pub fn traffic_class(&self) -> u8 {
        (self.word0() >> 20) as u8
    }

    /// The ECN codepoint (RFC 3168), as `ipv6_get_dsfield() & INET_ECN_MASK`.
    pub fn ecn(&self) -> u8 {
        self.traffic_class() & 0x3
    }

    /// The 20-bit flow label.
    pub fn flow_label(&self) -> u32 {
        self.word0() & 0x000f_ffff
    }

    /// Payload length: everything after the fixed header, extension headers included.
    pub fn payload_len(&self) -> u16 {
        let p = &self.0[field::PAYLOAD_LEN];
        u16::from_be_bytes([p[0], p[1]])
    }

    /// The protocol of the first header after this one.
    pub fn next_header(&self) -> u8 {
        self.0[field::NEXT_HEADER]
    }

    /// Hop limit.
    pub fn hop_limit(&self) -> u8 {
        self.0[field::HOP_LIMIT]
    }

    /// Source address.
    pub fn src(&self) -> Ipv6Addr {
        addr(&self.0[field::SRC])
    }

    /// Destination address.
    pub fn dst(&self) -> Ipv6Addr {
        addr(&self.0[field::DST])
    }
}

fn addr(b: &[u8]) -> Ipv6Addr {
    let mut a = [0u8; 16];
    a.copy_from_slice(b);
    Ipv6Addr::from(a)
}

/// The fields of an IPv6 header, to build one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv6Repr {
    /// Traffic class (DSCP and ECN).
    pub traffic_class: u8,
    /// Flow label; only the low 20 bits are emitted.
    pub flow_label: u32,
    /// Payload length.
    pub payload_len: u16,
    /// Next header.
    pub next_header: u8,
    /// Hop limit.
    pub hop_limit: u8,
    /// Source address.
    pub src: Ipv6Addr,
    /// Destination address.
    pub dst: Ipv6Addr,
}

impl Ipv6Repr {
    /// Reads every field of a parsed header.
    pub fn from_header(h: &Ipv6Header<'_>) -> Self {
        Self {
            traffic_class: h.traffic_class(),
            flow_label: h.flow_label(),
            payload_len: h.payload_len(),
            next_header: h.next_header(),
            hop_limit: h.hop_limit(),
            src: h.src(),
            dst: h.dst(),
        }
    }

    /// Writes the header into the first [`HEADER_LEN`] bytes of `buf`.
    ///
    /// Returns `None`, writing nothing, if `buf` is shorter than that.
    pub fn emit(&self, buf: &mut [u8]) -> Option<()> {
        let out = buf.first_chunk_mut::<HEADER_LEN>()?;
        let w0 =
            (6u32 << 28) | (u32::from(self.traffic_class) << 20) | (self.flow_label & 0x000f_ffff);
        out[field::VER_TC_FLOW].copy_from_slice(&w0.to_be_bytes());
        out[field::PAYLOAD_LEN].copy_from_slice(&self.payload_len.to_be_bytes());
        out[field::NEXT_HEADER] = self.next_header;
        out[field::HOP_LIMIT] = self.hop_limit;
        out[field::SRC].copy_from_slice(&self.src.octets());
        out[field::DST].copy_from_slice(&self.dst.octets());
        Some(())
    }
}

/// What the receive path knows about where a packet came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RxContext {
    /// The receiving device has `IFF_LOOPBACK`, or is an L3 master (VRF) device.
    pub loopback_dev: bool,
    /// The packet was looped back locally (`PACKET_LOOPBACK`).
    pub looped_back: bool,
    /// Link-layer broadcast or multicast frame (`PACKET_BROADCAST`/`PACKET_MULTICAST`).
    pub l2_multicast: bool,
    /// The device's `drop_unicast_in_l2_multicast` setting.
    pub drop_unicast_in_l2_multicast: bool,
}

/// Why `ip6_rcv_core()` drops a packet. Each maps to one SNMP counter and one
/// `SKB_DROP_REASON_*`; none of them is answered with ICMP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RxDrop {
    /// Shorter than the fixed header (`InHdrErrors`, `IP_INHDR`).
    Truncated,
    /// Version is not 6 (`InHdrErrors`, `UNHANDLED_PROTO`).
    BadVersion,
    /// `::1` as source or destination on a non-loopback device (RFC 4291 §2.5.3;
    /// `InHdrErrors`, `IP_INHDR`).
    LoopbackAddress,
    /// Interface-local multicast from another node (RFC 4291 erratum 3480; `InHdrErrors`).
    InterfaceLocalMulticast,
    /// Unicast inside link-layer multicast, when configured to drop it
    /// (`InHdrErrors`, `UNICAST_IN_L2_MULTICAST`).
    UnicastInL2Multicast,
    /// Multicast destination with reserved scope 0 (RFC 4291 §2.7; `InHdrErrors`).
    MulticastScopeZero,
    /// Multicast source address (RFC 4291 §2.7; `InHdrErrors`).
    MulticastSource,
    /// Payload length runs past the end of the frame (`InTruncatedPkts`, `PKT_TOO_SMALL`).
    PayloadBeyondFrame,
}

/// SNMP counters of `/proc/net/snmp6` that receive-path drops are accounted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RxCounter {
    /// `Ip6InHdrErrors`.
    InHdrErrors,
    /// `Ip6InTruncatedPkts`.
    InTruncatedPkts,
}

impl RxDrop {
    /// The counter mainline increments for this drop.
    pub fn counter(self) -> RxCounter {
        match self {
            Self::PayloadBeyondFrame => RxCounter::InTruncatedPkts,
            _ => RxCounter::InHdrErrors,
        }
    }
}

/// A received packet whose fixed header passed `ip6_rcv_core()`'s checks.
#[derive(Clone, Copy, Debug)]
pub struct RxPacket<'a> {
    /// The header.
    pub header: Ipv6Header<'a>,
    /// The payload, trimmed to the payload length (link-layer padding removed), or the
    /// whole rest of the frame for a jumbogram (payload length 0 with hop-by-hop options,
    /// RFC 2675), whose real length the hop-by-hop parser establishes.
    pub payload: &'a [u8],
    /// Payload length 0 with a hop-by-hop header: a jumbogram candidate.
    pub jumbo: bool,
}

fn is_multicast(a: &Ipv6Addr) -> bool {
    a.octets()[0] == 0xff
}

/// Multicast scope (RFC 4291 §2.7), the low nibble of the second byte.
fn mc_scope(a: &Ipv6Addr) -> u8 {
    a.octets()[1] & 0x0f
}

/// The source and destination of the IPv6 header at the start of `hdr`, whatever its
/// version field says: what an ICMPv6 error about the packet is addressed by, as
/// mainline's `icmp6_send()` reads them. `None` if `hdr` is shorter than a header.
pub fn header_addrs(hdr: &[u8]) -> Option<(Ipv6Addr, Ipv6Addr)> {
    let h = hdr.get(..HEADER_LEN)?;
    Some((addr(&h[field::SRC]), addr(&h[field::DST])))
}

/// Checks a received frame's fixed header as mainline's `ip6_rcv_core()` does, in the
/// same order (the order decides which counter a packet with several faults hits).
pub fn check_rx<'a>(frame: &'a [u8], ctx: &RxContext) -> Result<RxPacket<'a>, RxDrop> {
    let (header, rest) = Ipv6Header::parse(frame).map_err(|e| match e {
        HeaderError::Truncated => RxDrop::Truncated,
        HeaderError::BadVersion(_) => RxDrop::BadVersion,
    })?;
    let (src, dst) = (header.src(), header.dst());

    if (src.is_loopback() || dst.is_loopback()) && !ctx.loopback_dev {
        return Err(RxDrop::LoopbackAddress);
    }
    if !(ctx.looped_back || ctx.loopback_dev) && is_multicast(&dst) && mc_scope(&dst) == 1 {
        return Err(RxDrop::InterfaceLocalMulticast);
    }
    if !is_multicast(&dst) && ctx.l2_multicast && ctx.drop_unicast_in_l2_multicast {
        return Err(RxDrop::UnicastInL2Multicast);
    }
    if is_multicast(&dst) && mc_scope(&dst) == 0 {
        return Err(RxDrop::MulticastScopeZero);
    }
    if is_multicast(&src) {
        return Err(RxDrop::MulticastSource);
    }

    let len = usize::from(header.payload_len());
    if len == 0 && header.next_header() == super::proto::HOPOPTS {
        return Ok(RxPacket {
            header,
            payload: rest,
            jumbo: true,
        });
    }
    let payload = rest.get(..len).ok_or(RxDrop::PayloadBeyondFrame)?;
    Ok(RxPacket {
        header,
        payload,
        jumbo: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// fe80::1 -> ff02::1, ICMPv6, hop limit 255, traffic class 0xb8 (EF), flow 0x12345,
    /// payload length 8, followed by 8 payload bytes and 2 bytes of link-layer padding.
    const PKT: [u8; 50] = [
        0x6b, 0x81, 0x23, 0x45, 0x00, 0x08, 0x3a, 0xff, //
        0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, //
        0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, //
        0x80, 0x00, 0x12, 0x34, 0x00, 0x01, 0x00, 0x01, //
        0xee, 0xee,
    ];

    fn with(f: impl FnOnce(&mut [u8; 50])) -> [u8; 50] {
        let mut p = PKT;
        f(&mut p);
        p
    }

    #[test]
    fn header_addrs_ignore_the_version() {
        let mut h = [0u8; HEADER_LEN];
        h[0] = 0x40;
        h[23] = 1;
        h[39] = 2;
        let (s, d) = header_addrs(&h).unwrap();
        assert_eq!((s, d), (Ipv6Addr::from(1u128), Ipv6Addr::from(2u128)));
        assert!(header_addrs(&h[..39]).is_none());
    }

    #[test]
    fn fields() {
        let (h, rest) = Ipv6Header::parse(&PKT).unwrap();
        assert_eq!(h.version(), 6);
        assert_eq!(h.traffic_class(), 0xb8);
        assert_eq!(h.ecn(), 0);
        assert_eq!(h.flow_label(), 0x12345);
        assert_eq!(h.payload_len(), 8);
        assert_eq!(h.next_header(), 58);
        assert_eq!(h.hop_limit(), 255);
        assert_eq!(h.src(), "fe80::1".parse::<Ipv6Addr>().unwrap());
        assert_eq!(h.dst(), "ff02::1".parse::<Ipv6Addr>().unwrap());
        assert_eq!(rest.len(), 10);
    }

    #[test]
    fn repr_round_trip() {
        let (h, _) = Ipv6Header::parse(&PKT).unwrap();
        let repr = Ipv6Repr::from_header(&h);
        let mut out = [0u8; 40];
        repr.emit(&mut out).unwrap();
        assert_eq!(out[..], PKT[..40]);
        assert_eq!(repr.emit(&mut [0u8; 39]), None);
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            Ipv6Header::parse(&PKT[..39]).unwrap_err(),
            HeaderError::Truncated
        );
        let v4 = with(|p| p[0] = 0x45);
        assert_eq!(
            Ipv6Header::parse(&v4).unwrap_err(),
            HeaderError::BadVersion(4)
        );
    }

    #[test]
    fn rx_trims_link_layer_padding() {
        let p = check_rx(&PKT, &RxContext::default()).unwrap();
        assert_eq!(p.payload, &PKT[40..48]);
        assert!(!p.jumbo);
    }

    #[test]
    fn rx_drops_as_mainline() {
        let ctx = RxContext::default();
        let cases: [([u8; 50], RxDrop); 5] = [
            (with(|p| p[0] = 0x4b), RxDrop::BadVersion),
            (with(|p| p[5] = 11), RxDrop::PayloadBeyondFrame),
            (with(|p| p[25] = 0x01), RxDrop::InterfaceLocalMulticast),
            (with(|p| p[25] = 0x00), RxDrop::MulticastScopeZero),
            (with(|p| p[8] = 0xff), RxDrop::MulticastSource),
        ];
        for (i, (pkt, want)) in cases.iter().enumerate() {
            assert_eq!(check_rx(pkt, &ctx).unwrap_err(), *want, "case {i}");
        }
        assert_eq!(check_rx(&PKT[..20], &ctx).unwrap_err(), RxDrop::Truncated);
        assert_eq!(
            RxDrop::PayloadBeyondFrame.counter(),
            RxCounter::InTruncatedPkts
        );
        assert_eq!(RxDrop::MulticastSource.counter(), RxCounter::InHdrErrors);
    }

    #[test]
    fn rx_loopback_address_only_on_loopback() {
        let p = with(|p| p[8..24].copy_from_slice(&Ipv6Addr::LOCALHOST.octets()));
        let ctx = RxContext::default();
        assert_eq!(check_rx(&p, &ctx).unwrap_err(), RxDrop::LoopbackAddress);
        assert!(check_rx(
            &p,
            &RxContext {
                loopback_dev: true,
                ..ctx
            }
        )
        .is_ok());
    }

    #[test]
    fn rx_interface_local_multicast_ok_when_looped_back() {
        let p = with(|p| p[25] = 0x01);
        assert!(check_rx(
            &p,
            &RxContext {
                looped_back: true,
                ..Default::default()
            }
        )
        .is_ok());
    }

    #[test]
    fn rx_unicast_in_l2_multicast() {
        let p = with(|p| p[24] = 0x20);
        let ctx = RxContext {
            l2_multicast: true,
            drop_unicast_in_l2_multicast: true,
            ..Default::default()
        };
        assert_eq!(
            check_rx(&p, &ctx).unwrap_err(),
            RxDrop::UnicastInL2Multicast
        );
        let ctx = RxContext {
            l2_multicast: true,
            ..Default::default()
        };
        assert!(check_rx(&p, &ctx).is_ok());
    }

    #[test]
    fn rx_jumbo_candidate() {
        let p = with(|p| {
            p[4] = 0;
            p[5] = 0;
            p[6] = 0;
        });
        let r = check_rx(&p, &RxContext::default()).unwrap();
        assert!(r.jumbo);
        assert_eq!(r.payload.len(), 10);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(buf in proptest::collection::vec(proptest::num::u8::ANY, 0..128)) {
            let _ = check_rx(&buf, &RxContext::default());
            if let Ok((h, _)) = Ipv6Header::parse(&buf) {
                let mut out = [0u8; 40];
                Ipv6Repr::from_header(&h).emit(&mut out).unwrap();
                proptest::prop_assert_eq!(&out[..], &buf[..40]);
            }
        }
    }
}
