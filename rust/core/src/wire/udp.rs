// SPDX-License-Identifier: GPL-2.0

//! UDP header (RFC 768) as IPv6 receives it (mainline `__udp6_lib_rcv()`).

/// Length of the UDP header.
pub const HEADER_LEN: usize = 8;

/// A checked UDP header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UdpHeader {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// The datagram's length (header included) after the checks.
    pub len: usize,
    /// The checksum field (0 is refused over IPv6: RFC 8200 §8.1).
    pub checksum: u16,
}

/// Why a datagram is refused before any socket sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UdpError {
    /// Shorter than its header or than its length field says (`UDP_MIB_INERRORS`).
    Short,
    /// Zero checksum, which IPv6 does not allow (`UDP_MIB_INERRORS`).
    ZeroChecksum,
}

impl UdpHeader {
    /// Checks the header at the start of `payload_len` bytes of IPv6 payload whose first
    /// bytes are `b`: a length field beyond the payload, or below the header, is short;
    /// a length of 0 means a jumbogram's (the whole payload).
    pub fn parse(b: &[u8], payload_len: usize) -> Result<Self, UdpError> {
        if b.len() < HEADER_LEN || payload_len < HEADER_LEN {
            return Err(UdpError::Short);
        }
        let f = |i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
        let ulen = usize::from(f(4));
        let len = match ulen {
            0 => payload_len,
            l if l > payload_len || l < HEADER_LEN => return Err(UdpError::Short),
            l => l,
        };
        let checksum = f(6);
        if checksum == 0 {
            return Err(UdpError::ZeroChecksum);
        }
        Ok(Self {
            src_port: f(0),
            dst_port: f(2),
            len,
            checksum,
        })
    }

    /// Writes `checksum` into the header at the start of `datagram` (nothing if it is
    /// shorter than a header).
    pub fn set_checksum(datagram: &mut [u8], checksum: u16) {
        if let Some(c) = datagram.get_mut(6..8) {
            c.copy_from_slice(&checksum.to_be_bytes());
        }
    }

    /// The 8 header bytes for a datagram of `len` bytes (header included), checksum 0.
    pub fn emit(src_port: u16, dst_port: u16, len: usize) -> [u8; HEADER_LEN] {
        let mut h = [0u8; HEADER_LEN];
        h[0..2].copy_from_slice(&src_port.to_be_bytes());
        h[2..4].copy_from_slice(&dst_port.to_be_bytes());
        let l = if len > 0xffff { 0 } else { len as u16 };
        h[4..6].copy_from_slice(&l.to_be_bytes());
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_as_mainline() {
        let h = UdpHeader::emit(1025, 53, 12);
        let mut b = [0u8; 12];
        b[..8].copy_from_slice(&h);
        b[6] = 0x12;
        assert_eq!(
            UdpHeader::parse(&b, 12).map(|h| (h.src_port, h.dst_port, h.len)),
            Ok((1025, 53, 12))
        );
        // Trailing bytes beyond the length field are trimmed by the caller.
        assert_eq!(UdpHeader::parse(&b, 20).map(|h| h.len), Ok(12));
        assert_eq!(UdpHeader::parse(&b, 11), Err(UdpError::Short));
        assert_eq!(UdpHeader::parse(&b[..7], 7), Err(UdpError::Short));
        b[4..6].copy_from_slice(&4u16.to_be_bytes());
        assert_eq!(UdpHeader::parse(&b, 12), Err(UdpError::Short));
        b[4..6].copy_from_slice(&0u16.to_be_bytes());
        assert_eq!(UdpHeader::parse(&b, 12).map(|h| h.len), Ok(12));
        b[6] = 0;
        assert_eq!(UdpHeader::parse(&b, 12), Err(UdpError::ZeroChecksum));
    }
}
