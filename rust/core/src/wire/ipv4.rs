// SPDX-License-Identifier: GPL-2.0

//! The IPv4 header (RFC 791) as IPv6 sees it: the outer header of IPv6 (and IPv4)
//! over IPv4 tunnels, and the header that ICMP errors about them quote.

use core::net::Ipv4Addr;

/// The fixed part of the header.
pub const HEADER_LEN: usize = 20;

/// `IP_DF`: don't fragment, in the flags and fragment offset field.
pub const DF: u16 = 0x4000;

/// The ICMP (IPv4) types and codes the tunnels send and read (`linux/icmp.h`).
pub mod icmp {
    /// `ICMP_DEST_UNREACH`.
    pub const DEST_UNREACH: u8 = 3;
    /// `ICMP_REDIRECT`.
    pub const REDIRECT: u8 = 5;
    /// `ICMP_TIME_EXCEEDED`.
    pub const TIME_EXCEEDED: u8 = 11;
    /// `ICMP_HOST_UNREACH` (destination unreachable).
    pub const HOST_UNREACH: u8 = 1;
    /// `ICMP_FRAG_NEEDED` (destination unreachable).
    pub const FRAG_NEEDED: u8 = 4;
    /// `ICMP_SR_FAILED` (destination unreachable).
    pub const SR_FAILED: u8 = 5;
    /// `ICMP_EXC_TTL` (time exceeded).
    pub const EXC_TTL: u8 = 0;
}

/// A checked view of an IPv4 header: version 4, a header length of at least 20
/// bytes, all of it present.
#[derive(Clone, Copy, Debug)]
pub struct Ipv4Header<'a> {
    b: &'a [u8],
}

impl<'a> Ipv4Header<'a> {
    /// The header at the start of `b`, and the bytes after it (options skipped).
    pub fn parse(b: &'a [u8]) -> Option<(Self, &'a [u8])> {
        let v_ihl = *b.first()?;
        let ihl = usize::from(v_ihl & 0xf) * 4;
        if v_ihl >> 4 != 4 || ihl < HEADER_LEN || b.len() < ihl {
            return None;
        }
        Some((Self { b: &b[..ihl] }, &b[ihl..]))
    }

    /// The header's length in bytes, options included (`ihl * 4`).
    pub fn header_len(&self) -> usize {
        self.b.len()
    }

    /// The type of service byte: DSCP and ECN.
    pub fn tos(&self) -> u8 {
        self.b[1]
    }

    /// The total length field.
    pub fn total_len(&self) -> u16 {
        u16::from_be_bytes([self.b[2], self.b[3]])
    }

    /// The flags and fragment offset field.
    pub fn frag_off(&self) -> u16 {
        u16::from_be_bytes([self.b[6], self.b[7]])
    }

    /// The time to live.
    pub fn ttl(&self) -> u8 {
        self.b[8]
    }

    /// The protocol of the payload.
    pub fn protocol(&self) -> u8 {
        self.b[9]
    }

    /// The source address.
    pub fn src(&self) -> Ipv4Addr {
        Ipv4Addr::new(self.b[12], self.b[13], self.b[14], self.b[15])
    }

    /// The destination address.
    pub fn dst(&self) -> Ipv4Addr {
        Ipv4Addr::new(self.b[16], self.b[17], self.b[18], self.b[19])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        let mut h = [0u8; 24];
        h[0] = 0x45;
        h[1] = 0x2e;
        h[6] = 0x40;
        h[8] = 64;
        h[9] = 41;
        h[12..16].copy_from_slice(&[192, 0, 2, 1]);
        h[16..20].copy_from_slice(&[198, 51, 100, 2]);
        let (v, rest) = Ipv4Header::parse(&h).unwrap();
        assert_eq!((v.header_len(), rest.len()), (20, 4));
        assert_eq!((v.tos(), v.ttl(), v.protocol()), (0x2e, 64, 41));
        assert_eq!(v.frag_off() & DF, DF);
        assert_eq!(v.src(), Ipv4Addr::new(192, 0, 2, 1));
        assert_eq!(v.dst(), Ipv4Addr::new(198, 51, 100, 2));
        // Options: ihl 6 needs 24 bytes.
        h[0] = 0x46;
        assert_eq!(Ipv4Header::parse(&h).unwrap().1.len(), 0);
        assert!(Ipv4Header::parse(&h[..23]).is_none());
        h[0] = 0x44;
        assert!(Ipv4Header::parse(&h).is_none());
        h[0] = 0x65;
        assert!(Ipv4Header::parse(&h).is_none());
        assert!(Ipv4Header::parse(&[]).is_none());
    }
}
