// SPDX-License-Identifier: GPL-2.0

//! IPv6 extension headers (RFC 8200 §4): hop-by-hop and destination options, routing,
//! fragment and authentication headers, and the options inside the first two.
//!
//! ```text
//! Generic extension header (hop-by-hop, routing, destination options):
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Next Header  |  Hdr Ext Len  |  (Hdr Ext Len + 1) * 8 octets  |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! Fragment header (always 8 octets):
//! |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
//! |                         Identification                        |
//! Authentication header (RFC 4302): length is (Payload Len + 2) * 4 octets.
//! ```

use super::proto;

/// Length of a fragment header.
pub const FRAG_HDR_LEN: usize = 8;

/// Whether `nexthdr` is an extension header that [`Chain`] walks (mainline's
/// `ipv6_ext_hdr()`, which also counts `NEXTHDR_NONE` and ESP as ending the chain).
pub fn is_ext_header(nexthdr: u8) -> bool {
    matches!(
        nexthdr,
        proto::HOPOPTS | proto::ROUTING | proto::FRAGMENT | proto::AUTH | proto::DSTOPTS
    )
}

/// A malformed extension header chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtError {
    /// The header at `offset` (from the start of the chain) runs past the buffer.
    Truncated {
        /// Where the truncated header starts.
        offset: usize,
    },
}

/// One extension header, borrowed whole (type-specific fields via its views).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtHeader<'a> {
    /// Which header this is (`proto::HOPOPTS`, `proto::ROUTING`, ...).
    pub kind: u8,
    /// Offset of this header from the start of the chain.
    pub offset: usize,
    /// The header's bytes, its first two octets included.
    pub bytes: &'a [u8],
}

impl<'a> ExtHeader<'a> {
    /// The protocol of the header after this one.
    pub fn next_header(&self) -> u8 {
        self.bytes[0]
    }

    /// The options of a hop-by-hop or destination options header.
    pub fn options(&self) -> Options<'a> {
        Options {
            buf: self.bytes,
            pos: 2,
        }
    }

    /// The fragment header fields, if this is one.
    pub fn fragment(&self) -> Option<Fragment> {
        if self.kind != proto::FRAGMENT {
            return None;
        }
        let b = self.bytes;
        let off_m = u16::from_be_bytes([b[2], b[3]]);
        Some(Fragment {
            offset: off_m & !0x7,
            more: off_m & 1 != 0,
            ident: u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
        })
    }

    /// The routing header's type and segments left, if this is one.
    pub fn routing(&self) -> Option<Routing> {
        (self.kind == proto::ROUTING).then(|| Routing {
            routing_type: self.bytes[2],
            segments_left: self.bytes[3],
        })
    }
}

/// Length in octets of the extension header `kind` whose first two octets are `b`.
fn header_len(kind: u8, b: [u8; 2]) -> usize {
    match kind {
        proto::FRAGMENT => FRAG_HDR_LEN,
        proto::AUTH => (usize::from(b[1]) + 2) * 4,
        _ => (usize::from(b[1]) + 1) * 8,
    }
}

/// Walks the extension header chain that starts with `first` at the start of `buf`.
///
/// Yields each extension header in order and stops at the first non-extension header,
/// whose protocol and offset [`Chain::upper`] then tells. Like `ipv6_skip_exthdr()`, it
/// stops at a non-first fragment: what follows its fragment header is not a header.
#[derive(Clone, Debug)]
pub struct Chain<'a> {
    buf: &'a [u8],
    next: u8,
    pos: usize,
    done: bool,
}

impl<'a> Chain<'a> {
    /// Starts a walk over `buf`, whose first header is of type `first`.
    pub fn new(first: u8, buf: &'a [u8]) -> Self {
        Self {
            buf,
            next: first,
            pos: 0,
            done: false,
        }
    }

    /// After the walk: the upper-layer protocol and its offset in the buffer.
    pub fn upper(&self) -> (u8, usize) {
        (self.next, self.pos)
    }
}

impl<'a> Iterator for Chain<'a> {
    type Item = Result<ExtHeader<'a>, ExtError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || !is_ext_header(self.next) {
            return None;
        }
        let offset = self.pos;
        let truncated = Err(ExtError::Truncated { offset });
        let Some(&[b0, b1]) = self.buf.get(offset..).and_then(<[u8]>::first_chunk::<2>) else {
            self.done = true;
            return Some(truncated);
        };
        let kind = self.next;
        let len = header_len(kind, [b0, b1]);
        let Some(bytes) = self.buf.get(offset..offset + len) else {
            self.done = true;
            return Some(truncated);
        };
        let hdr = ExtHeader {
            kind,
            offset,
            bytes,
        };
        self.pos = offset + len;
        self.next = b0;
        if hdr.fragment().is_some_and(|f| f.offset != 0) {
            self.done = true;
        }
        Some(Ok(hdr))
    }
}

/// Fragment header fields (RFC 8200 §4.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fragment {
    /// Offset of this fragment's data in the original payload, in octets (a multiple of 8).
    pub offset: u16,
    /// More fragments follow.
    pub more: bool,
    /// Identification.
    pub ident: u32,
}

/// Routing header fields common to every type (RFC 8200 §4.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Routing {
    /// Routing type (0 is deprecated by RFC 5095 and refused; 2 is Mobile IPv6; 4 is SRv6).
    pub routing_type: u8,
    /// Segments left.
    pub segments_left: u8,
}

/// Pad1 option type.
pub const OPT_PAD1: u8 = 0;
/// PadN option type.
pub const OPT_PADN: u8 = 1;

/// One option in a hop-by-hop or destination options header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Opt<'a> {
    /// Option type.
    pub kind: u8,
    /// Offset of the option's type octet from the start of its extension header.
    pub offset: usize,
    /// Option data.
    pub data: &'a [u8],
}

/// What to do with an unrecognised option: the two high-order bits of its type
/// (RFC 8200 §4.2; mainline `ip6_tlvopt_unknown()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownOptAction {
    /// 00: skip over this option.
    Skip,
    /// 01: discard the packet.
    Discard,
    /// 10: discard and send a parameter problem, code 2, pointing at the option.
    DiscardAndReport,
    /// 11: as 10, but only if the destination is not multicast.
    DiscardAndReportIfUnicast,
}

impl Opt<'_> {
    /// The action an unrecognised option of this type asks for.
    pub fn unknown_action(&self) -> UnknownOptAction {
        match self.kind >> 6 {
            0 => UnknownOptAction::Skip,
            1 => UnknownOptAction::Discard,
            2 => UnknownOptAction::DiscardAndReport,
            _ => UnknownOptAction::DiscardAndReportIfUnicast,
        }
    }
}

/// A malformed option area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadOption {
    /// Offset from the start of the extension header of the option whose length runs past
    /// the end of the header.
    pub offset: usize,
}

/// Iterator over the TLV options of a hop-by-hop or destination options header.
/// Padding is skipped. A length running past the header is an error, after which the
/// iterator ends (mainline drops such a packet in `ip6_parse_tlv()`).
#[derive(Clone, Debug)]
pub struct Options<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Options<'a> {
    type Item = Result<Opt<'a>, BadOption>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let offset = self.pos;
            let kind = *self.buf.get(offset)?;
            if kind == OPT_PAD1 {
                self.pos += 1;
                continue;
            }
            let data = self
                .buf
                .get(offset + 1)
                .map(|&l| offset + 2 + usize::from(l))
                .and_then(|end| self.buf.get(offset + 2..end));
            let Some(data) = data else {
                self.pos = self.buf.len();
                return Some(Err(BadOption { offset }));
            };
            self.pos = offset + 2 + data.len();
            if kind == OPT_PADN {
                continue;
            }
            return Some(Ok(Opt { kind, offset, data }));
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    /// Hop-by-hop (8 octets: router alert) -> destination options (16 octets: PadN, an
    /// unknown option 0xc2, Pad1) -> fragment (offset 0, M) -> UDP.
    const CHAIN: [u8; 40] = [
        proto::DSTOPTS,
        0,
        0x05,
        0x02,
        0x00,
        0x00,
        OPT_PADN,
        0x00, //
        proto::FRAGMENT,
        1,
        OPT_PADN,
        0x01,
        0x00,
        0xc2,
        0x04,
        0xaa,
        0xbb,
        0xcc,
        0xdd,
        OPT_PAD1,
        0,
        0,
        0,
        0, //
        proto::UDP,
        0,
        0x00,
        0x01,
        0xde,
        0xad,
        0xbe,
        0xef, //
        0x12,
        0x34,
        0x56,
        0x78,
        0x00,
        0x10,
        0x00,
        0x00,
    ];

    #[test]
    fn walks_chain() {
        let mut c = Chain::new(proto::HOPOPTS, &CHAIN);
        let h = c.next().unwrap().unwrap();
        assert_eq!(
            (h.kind, h.offset, h.bytes.len(), h.next_header()),
            (proto::HOPOPTS, 0, 8, proto::DSTOPTS)
        );
        let opts: Vec<_> = h.options().collect();
        assert_eq!(
            opts,
            [Ok(Opt {
                kind: 5,
                offset: 2,
                data: &[0, 0]
            })]
        );

        let d = c.next().unwrap().unwrap();
        assert_eq!((d.kind, d.offset, d.bytes.len()), (proto::DSTOPTS, 8, 16));
        let mut opts = d.options();
        let o = opts.next().unwrap().unwrap();
        assert_eq!(
            o,
            Opt {
                kind: 0xc2,
                offset: 5,
                data: &[0xaa, 0xbb, 0xcc, 0xdd]
            }
        );
        assert_eq!(
            o.unknown_action(),
            UnknownOptAction::DiscardAndReportIfUnicast
        );
        assert!(opts.next().is_none());

        let f = c.next().unwrap().unwrap();
        assert_eq!(
            f.fragment(),
            Some(Fragment {
                offset: 0,
                more: true,
                ident: 0xdeadbeef
            })
        );
        assert!(c.next().is_none());
        assert_eq!(c.upper(), (proto::UDP, 32));
    }

    #[test]
    fn stops_at_non_first_fragment() {
        let mut frag = [proto::HOPOPTS, 0, 0x05, 0x29, 1, 2, 3, 4, 0xff, 0xff];
        let mut c = Chain::new(proto::FRAGMENT, &frag);
        let f = c.next().unwrap().unwrap().fragment().unwrap();
        assert_eq!(
            f,
            Fragment {
                offset: 0x0528,
                more: true,
                ident: 0x01020304
            }
        );
        assert!(c.next().is_none());
        assert_eq!(c.upper(), (proto::HOPOPTS, 8));
        frag[2] = 0;
        frag[3] = 0;
        let mut c = Chain::new(proto::FRAGMENT, &frag);
        c.next();
        assert_eq!(c.next(), Some(Err(ExtError::Truncated { offset: 8 })));
    }

    #[test]
    fn truncated_and_lengths() {
        let mut c = Chain::new(proto::HOPOPTS, &CHAIN[..7]);
        assert_eq!(c.next(), Some(Err(ExtError::Truncated { offset: 0 })));
        assert_eq!(c.next(), None);
        assert_eq!(
            Chain::new(proto::DSTOPTS, &[]).next(),
            Some(Err(ExtError::Truncated { offset: 0 }))
        );
        // AH: payload len 1 -> 12 octets.
        let ah = [proto::NONE, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2];
        let mut c = Chain::new(proto::AUTH, &ah);
        assert_eq!(c.next().unwrap().unwrap().bytes.len(), 12);
        assert_eq!(c.upper(), (proto::NONE, 12));
    }

    #[test]
    fn routing_fields() {
        let rh0 = [
            proto::ICMPV6,
            2,
            0,
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
        ];
        let h = Chain::new(proto::ROUTING, &rh0).next().unwrap().unwrap();
        assert_eq!(
            h.routing(),
            Some(Routing {
                routing_type: 0,
                segments_left: 1
            })
        );
        assert_eq!(h.fragment(), None);
    }

    #[test]
    fn bad_option_length() {
        let h = [proto::NONE, 0, 0x07, 0x09, 0, 0, 0, 0];
        let e = ExtHeader {
            kind: proto::DSTOPTS,
            offset: 0,
            bytes: &h,
        };
        let mut o = e.options();
        assert_eq!(o.next(), Some(Err(BadOption { offset: 2 })));
        assert_eq!(o.next(), None);
        // An option type in the last octet has no length octet.
        let h = [
            proto::NONE,
            0,
            OPT_PAD1,
            OPT_PAD1,
            OPT_PAD1,
            OPT_PAD1,
            OPT_PAD1,
            0x3e,
        ];
        let e = ExtHeader {
            kind: proto::DSTOPTS,
            offset: 0,
            bytes: &h,
        };
        assert_eq!(e.options().next(), Some(Err(BadOption { offset: 7 })));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(first in 0u8..=255, buf in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            let mut c = Chain::new(first, &buf);
            let mut n = 0;
            for h in c.by_ref() {
                n += 1;
                if let Ok(h) = h {
                    proptest::prop_assert!(h.offset + h.bytes.len() <= buf.len());
                    for o in h.options().flatten() {
                        proptest::prop_assert!(o.offset + 2 + o.data.len() <= h.bytes.len());
                    }
                    let _ = (h.fragment(), h.routing());
                }
            }
            proptest::prop_assert!(n <= buf.len() / 2 + 1);
            proptest::prop_assert!(c.upper().1 <= buf.len());
        }
    }
}
