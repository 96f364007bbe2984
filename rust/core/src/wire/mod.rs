// SPDX-License-Identifier: GPL-2.0

//! Typed views over IPv6 wire formats.
//!
//! Each format has a cheap view over borrowed bytes whose constructor checks lengths once,
//! so accessors never index out of bounds, and parsing never panics whatever the input.
//! Errors say what mainline does with such a packet: the ICMPv6 parameter problem to send
//! (if any) and the counter and drop reason to account it to.

pub mod cmsg;
pub mod ext;
pub mod icmpv6;
pub mod ipv4;
pub mod ipv6;
pub mod ndisc;
pub mod netlink;
pub mod udp;

/// IANA "Assigned Internet Protocol Numbers" values the IPv6 layer cares about
/// (`include/uapi/linux/in6.h`, `NEXTHDR_*` in `include/net/ipv6.h`).
pub mod proto {
    /// Hop-by-hop options header (`NEXTHDR_HOP`).
    pub const HOPOPTS: u8 = 0;
    /// TCP (`NEXTHDR_TCP`).
    pub const TCP: u8 = 6;
    /// UDP (`NEXTHDR_UDP`).
    pub const UDP: u8 = 17;
    /// IPv4 in IPv6 or IPv4 (`IPPROTO_IPIP`).
    pub const IPIP: u8 = 4;
    /// IPv6 in IPv6 (`NEXTHDR_IPV6`).
    pub const IPV6: u8 = 41;
    /// Routing header (`NEXTHDR_ROUTING`).
    pub const ROUTING: u8 = 43;
    /// Fragment header (`NEXTHDR_FRAGMENT`).
    pub const FRAGMENT: u8 = 44;
    /// Encapsulating security payload (`NEXTHDR_ESP`).
    pub const ESP: u8 = 50;
    /// Authentication header (`NEXTHDR_AUTH`).
    pub const AUTH: u8 = 51;
    /// ICMPv6 (`NEXTHDR_ICMP`).
    pub const ICMPV6: u8 = 58;
    /// No next header (`NEXTHDR_NONE`).
    pub const NONE: u8 = 59;
    /// Destination options header (`NEXTHDR_DEST`).
    pub const DSTOPTS: u8 = 60;
    /// Mobility header (`NEXTHDR_MOBILITY`).
    pub const MOBILITY: u8 = 135;
}

/// The source and destination ports at the start of a transport header, for the
/// protocols whose headers begin with them (TCP, UDP, DCCP, SCTP, UDP-Lite), as the flow
/// dissector reads them for policy rules and multipath hashing.
pub fn ports(next_header: u8, transport: &[u8]) -> Option<(u16, u16)> {
    const DCCP: u8 = 33;
    const SCTP: u8 = 132;
    const UDPLITE: u8 = 136;
    if !matches!(next_header, proto::TCP | proto::UDP | DCCP | SCTP | UDPLITE) {
        return None;
    }
    let p = transport.first_chunk::<4>()?;
    Some((
        u16::from_be_bytes([p[0], p[1]]),
        u16::from_be_bytes([p[2], p[3]]),
    ))
}

#[cfg(test)]
mod ports_tests {
    use super::*;

    #[test]
    fn ports_of_transport_headers() {
        let udp = [0x12, 0x34, 0x00, 0x35, 0, 8, 0, 0];
        assert_eq!(ports(proto::UDP, &udp), Some((0x1234, 53)));
        assert_eq!(ports(proto::TCP, &udp[..4]), Some((0x1234, 53)));
        assert_eq!(ports(132, &udp), Some((0x1234, 53)));
        assert_eq!(ports(proto::UDP, &udp[..3]), None);
        assert_eq!(ports(proto::ICMPV6, &udp), None);
        assert_eq!(ports(proto::FRAGMENT, &udp), None);
    }
}

/// ICMPv6 Parameter Problem (RFC 4443 §3.4): what to send back for a bad packet.
///
/// `pointer` is the byte offset of the offending field counted from the start of the
/// IPv6 header, as mainline's `icmpv6_param_prob()` callers compute it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamProblem {
    /// The code (`ICMPV6_HDR_FIELD`, `ICMPV6_UNK_NEXTHDR`, `ICMPV6_UNK_OPTION`, ...).
    pub code: ParamProblemCode,
    /// Offset of the offending octet from the start of the IPv6 header.
    pub pointer: u32,
}

/// ICMPv6 Parameter Problem codes (RFC 4443 §3.4, RFC 7112).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ParamProblemCode {
    /// Erroneous header field encountered (`ICMPV6_HDR_FIELD`).
    HeaderField = 0,
    /// Unrecognized Next Header type encountered (`ICMPV6_UNK_NEXTHDR`).
    UnknownNextHeader = 1,
    /// Unrecognized IPv6 option encountered (`ICMPV6_UNK_OPTION`).
    UnknownOption = 2,
    /// IPv6 first fragment has incomplete header chain (`ICMPV6_HDR_INCOMP`).
    IncompleteChain = 3,
}
