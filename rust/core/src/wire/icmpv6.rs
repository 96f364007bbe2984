// SPDX-License-Identifier: GPL-2.0

//! ICMPv6 (RFC 4443): message types, the header view and the checksum.

use core::net::Ipv6Addr;

/// Codes of the errors tunnels send (`ICMPV6_ADDR_UNREACH`, `ICMPV6_EXC_HOPLIMIT`).
pub mod code {
    /// Destination unreachable: address unreachable.
    pub const ADDR_UNREACH: u8 = 3;
    /// Time exceeded: hop limit exceeded in transit.
    pub const EXC_HOPLIMIT: u8 = 0;
}

/// ICMPv6 message types (`include/uapi/linux/icmpv6.h`, `NDISC_*` in `net/ndisc.h`).
pub mod kind {
    /// Destination unreachable.
    pub const DEST_UNREACH: u8 = 1;
    /// Packet too big.
    pub const PKT_TOOBIG: u8 = 2;
    /// Time exceeded.
    pub const TIME_EXCEED: u8 = 3;
    /// Parameter problem.
    pub const PARAMPROB: u8 = 4;
    /// Echo request.
    pub const ECHO_REQUEST: u8 = 128;
    /// Echo reply.
    pub const ECHO_REPLY: u8 = 129;
    /// MLD query.
    pub const MGM_QUERY: u8 = 130;
    /// MLDv1 report.
    pub const MGM_REPORT: u8 = 131;
    /// MLDv1 done.
    pub const MGM_REDUCTION: u8 = 132;
    /// Router solicitation.
    pub const ROUTER_SOLICITATION: u8 = 133;
    /// Router advertisement.
    pub const ROUTER_ADVERTISEMENT: u8 = 134;
    /// Neighbour solicitation.
    pub const NEIGHBOUR_SOLICITATION: u8 = 135;
    /// Neighbour advertisement.
    pub const NEIGHBOUR_ADVERTISEMENT: u8 = 136;
    /// Redirect.
    pub const REDIRECT: u8 = 137;
    /// MLDv2 report.
    pub const MLD2_REPORT: u8 = 143;
}

/// Length of the fixed ICMPv6 header (type, code, checksum).
pub const HEADER_LEN: usize = 4;

/// Error messages have types below 128 (RFC 4443 §2.1).
pub fn is_error(kind: u8) -> bool {
    kind < 128
}

/// The ones'-complement sum of `data` as 16-bit big-endian words, folded, added to `sum`.
fn sum_words(mut sum: u32, data: &[u8]) -> u32 {
    let mut words = data.chunks(2);
    for w in &mut words {
        let v = match *w {
            [hi, lo] => u16::from_be_bytes([hi, lo]),
            [hi] => u16::from_be_bytes([hi, 0]),
            _ => 0,
        };
        sum += u32::from(v);
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum
}

/// The upper-layer checksum of `data` under the IPv6 pseudo-header (RFC 8200 §8.1).
///
/// Computing it over a message whose checksum field is zero gives the value to store;
/// over a received message it gives 0 when the checksum is right.
pub fn checksum(src: &Ipv6Addr, dst: &Ipv6Addr, next_header: u8, data: &[u8]) -> u16 {
    let len = data.len() as u32;
    let mut sum = sum_words(0, &src.octets());
    sum = sum_words(sum, &dst.octets());
    sum = sum_words(sum, &len.to_be_bytes());
    sum = sum_words(sum, &[0, 0, 0, next_header]);
    sum = sum_words(sum, data);
    !(sum as u16)
}

/// Fills in the checksum of the ICMPv6 message `msg` (type, code, checksum, body).
pub fn fill_checksum(src: &Ipv6Addr, dst: &Ipv6Addr, msg: &mut [u8]) {
    if msg.len() < HEADER_LEN {
        return;
    }
    msg[2] = 0;
    msg[3] = 0;
    let c = checksum(src, dst, super::proto::ICMPV6, msg);
    msg[2..4].copy_from_slice(&c.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_round_trip() {
        let src: Ipv6Addr = "fe80::1".parse().unwrap();
        let dst: Ipv6Addr = "ff02::1".parse().unwrap();
        let mut msg = [128u8, 0, 0, 0, 0x12, 0x34, 0, 1, 0xab];
        fill_checksum(&src, &dst, &mut msg);
        assert_ne!(&msg[2..4], &[0, 0]);
        assert_eq!(checksum(&src, &dst, 58, &msg), 0);
        msg[8] ^= 1;
        assert_ne!(checksum(&src, &dst, 58, &msg), 0);
    }

    #[test]
    fn known_echo_request_checksum() {
        // Echo request fe80::1 -> fe80::2, id 0x1a2b, seq 1, no payload: scapy's
        // IPv6()/ICMPv6EchoRequest() computes 0x688c for it.
        let src: Ipv6Addr = "fe80::1".parse().unwrap();
        let dst: Ipv6Addr = "fe80::2".parse().unwrap();
        let mut msg = [128u8, 0, 0, 0, 0x1a, 0x2b, 0, 1];
        fill_checksum(&src, &dst, &mut msg);
        assert_eq!(&msg[2..4], &[0x68, 0x8c]);
    }
}
