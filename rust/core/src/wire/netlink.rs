// SPDX-License-Identifier: GPL-2.0

//! Netlink messages (RFC 3549; `include/uapi/linux/netlink.h`): the fixed family header
//! after `struct nlmsghdr`, and the attributes after it.
//!
//! ```text
//! struct nlattr: | nla_len (u16) | nla_type (u16) | payload, padded to 4 octets |
//! ```

/// `NLA_ALIGNTO`.
pub const NLA_ALIGNTO: usize = 4;
/// `NLA_HDRLEN`.
pub const NLA_HDRLEN: usize = 4;
/// `NLMSG_HDRLEN`.
pub const NLMSG_HDRLEN: usize = 16;
/// `NLA_F_NESTED | NLA_F_NET_BYTEORDER`: flag bits of `nla_type`.
pub const NLA_TYPE_MASK: u16 = 0x3fff;

/// Rounds up to the netlink alignment (`NLA_ALIGN`, `NLMSG_ALIGN`).
pub const fn align(n: usize) -> usize {
    (n + NLA_ALIGNTO - 1) & !(NLA_ALIGNTO - 1)
}

/// One attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr<'a> {
    /// Type, flag bits masked off.
    pub kind: u16,
    /// Payload.
    pub data: &'a [u8],
}

impl Attr<'_> {
    /// The payload as a `u32` in host order, if it has exactly that size.
    pub fn u32(&self) -> Option<u32> {
        Some(u32::from_ne_bytes(self.data.try_into().ok()?))
    }

    /// The payload as a `u8`, if it has exactly that size.
    pub fn u8(&self) -> Option<u8> {
        match self.data {
            [b] => Some(*b),
            _ => None,
        }
    }

    /// The payload as 16 octets (an IPv6 address), if it has exactly that size.
    pub fn in6(&self) -> Option<[u8; 16]> {
        self.data.try_into().ok()
    }
}

/// A malformed attribute stream: an attribute whose length is shorter than its header
/// or runs past the message (mainline: `-EINVAL`, extack "attribute ... has an invalid
/// length" / trailing data).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadAttr {
    /// Offset of the bad attribute in the attribute area.
    pub offset: usize,
}

/// Iterates over the attributes in `buf` (the area after the family header). Stops after
/// the first malformed one, which it yields as an error. Fewer than [`NLA_HDRLEN`]
/// trailing octets are ignored, as `nla_for_each_attr()` does.
pub fn attrs(buf: &[u8]) -> impl Iterator<Item = Result<Attr<'_>, BadAttr>> {
    let mut pos = 0;
    core::iter::from_fn(move || {
        let hdr = buf.get(pos..pos + NLA_HDRLEN)?;
        let len = usize::from(u16::from_ne_bytes([hdr[0], hdr[1]]));
        let kind = u16::from_ne_bytes([hdr[2], hdr[3]]) & NLA_TYPE_MASK;
        let offset = pos;
        match buf.get(pos + NLA_HDRLEN..pos + len.max(NLA_HDRLEN)) {
            Some(data) if len >= NLA_HDRLEN => {
                pos += align(len);
                Some(Ok(Attr { kind, data }))
            }
            _ => {
                pos = buf.len();
                Some(Err(BadAttr { offset }))
            }
        }
    })
}

/// Size of `struct rtnexthop`.
pub const RTNH_LEN: usize = 8;

/// One next hop of a route's `RTA_MULTIPATH` (`struct rtnexthop`, then its attributes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RtNexthop<'a> {
    /// `rtnh_flags` (`RTNH_F_*`).
    pub flags: u8,
    /// `rtnh_hops`: the weight less one.
    pub hops: u8,
    /// `rtnh_ifindex`.
    pub ifindex: i32,
    /// Its attributes (see [`attrs`]).
    pub attrs: &'a [u8],
}

/// Iterates over the next hops in an `RTA_MULTIPATH` payload as mainline's
/// `rtnh_ok()`/`rtnh_next()` loop does: it stops, silently, at the first one whose
/// length is shorter than its header or runs past the payload.
pub fn rtnexthops(buf: &[u8]) -> impl Iterator<Item = RtNexthop<'_>> {
    let mut rest = buf;
    core::iter::from_fn(move || {
        let hdr = rest.get(..RTNH_LEN)?;
        let len = usize::from(u16::from_ne_bytes([hdr[0], hdr[1]]));
        if len < RTNH_LEN || len > rest.len() {
            return None;
        }
        let nh = RtNexthop {
            flags: hdr[2],
            hops: hdr[3],
            ifindex: i32::from_ne_bytes([hdr[4], hdr[5], hdr[6], hdr[7]]),
            attrs: &rest[RTNH_LEN..len],
        };
        rest = rest.get(align(len)..).unwrap_or(&[]);
        Some(nh)
    })
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    #[test]
    fn parses_and_aligns() {
        // IFA_ADDRESS (16 octets), IFA_PROTO (u8, padded), IFA_FLAGS (u32).
        let mut b = Vec::new();
        b.extend_from_slice(&20u16.to_ne_bytes());
        b.extend_from_slice(&1u16.to_ne_bytes());
        b.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        b.extend_from_slice(&5u16.to_ne_bytes());
        b.extend_from_slice(&11u16.to_ne_bytes());
        b.extend_from_slice(&[3, 0, 0, 0]);
        b.extend_from_slice(&8u16.to_ne_bytes());
        b.extend_from_slice(&(8u16 | 0x8000).to_ne_bytes());
        b.extend_from_slice(&0x80u32.to_ne_bytes());
        let v: Vec<_> = attrs(&b).map(Result::unwrap).collect();
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].kind, 1);
        assert_eq!(v[0].in6().unwrap()[15], 1);
        assert_eq!((v[1].kind, v[1].u8()), (11, Some(3)));
        assert_eq!((v[2].kind, v[2].u32()), (8, Some(0x80)));
    }

    #[test]
    fn bad_lengths() {
        let short = [2u8, 0, 1, 0];
        assert_eq!(attrs(&short).next(), Some(Err(BadAttr { offset: 0 })));
        let long = [9u8, 0, 1, 0, 0, 0, 0, 0];
        let v: Vec<_> = attrs(&long).collect();
        assert_eq!(v, [Err(BadAttr { offset: 0 })]);
        assert_eq!(attrs(&[1, 2, 3]).next(), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(buf in proptest::collection::vec(proptest::num::u8::ANY, 0..96)) {
            for a in attrs(&buf).flatten() {
                proptest::prop_assert!(a.data.len() <= buf.len());
            }
        }
    }

    #[test]
    fn walks_next_hops_and_stops_at_a_bad_one() {
        let mut b = Vec::new();
        // A next hop with RTA_GATEWAY (5), one without attributes, then a bad length.
        b.extend_from_slice(&28u16.to_ne_bytes());
        b.extend_from_slice(&[0, 2]);
        b.extend_from_slice(&3i32.to_ne_bytes());
        b.extend_from_slice(&20u16.to_ne_bytes());
        b.extend_from_slice(&5u16.to_ne_bytes());
        b.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
        b.extend_from_slice(&8u16.to_ne_bytes());
        b.extend_from_slice(&[4, 0]);
        b.extend_from_slice(&7i32.to_ne_bytes());
        b.extend_from_slice(&99u16.to_ne_bytes());
        b.extend_from_slice(&[0; 6]);
        let v: Vec<_> = rtnexthops(&b).collect();
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].hops, v[0].ifindex, v[0].attrs.len()), (2, 3, 20));
        let gw = attrs(v[0].attrs).next().unwrap().unwrap();
        assert_eq!((gw.kind, gw.in6().unwrap()[15]), (5, 2));
        assert_eq!((v[1].flags, v[1].ifindex, v[1].attrs.len()), (4, 7, 0));
    }
}
