// SPDX-License-Identifier: GPL-2.0

//! Control messages (ancillary data) of a `sendmsg()`, as the kernel holds them in its
//! copy of `msg_control`: `struct cmsghdr` (`cmsg_len` as a `size_t`, level, type)
//! followed by the data, each aligned to `sizeof(long)`. [`Cmsgs`] walks them as
//! `for_each_cmsghdr()` does, refusing what `CMSG_OK()` refuses; [`SendCtl`] is what
//! the IPv6 ones of a send say (`ip6_datagram_send_ctl()`), with mainline's checks.
//! The layout is the 64-bit one the module is built for.

use crate::errno;
use core::net::Ipv6Addr;

/// `sizeof(long)`: what headers and data are aligned to.
const ALIGN: usize = 8;
/// `sizeof(struct cmsghdr)`.
pub const HDR_LEN: usize = 16;

/// `CMSG_ALIGN()`.
fn align(n: usize) -> usize {
    n.saturating_add(ALIGN - 1) & !(ALIGN - 1)
}

/// `CMSG_LEN(n)`: the `cmsg_len` of a message with `n` bytes of data.
pub const fn cmsg_len(n: usize) -> usize {
    HDR_LEN + n
}

/// One control message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cmsg<'a> {
    /// Where its header starts in the buffer.
    pub offset: usize,
    /// `cmsg_len`: header and data.
    pub len: usize,
    /// `cmsg_level` (`SOL_SOCKET`, `SOL_IPV6`, ...).
    pub level: i32,
    /// `cmsg_type`.
    pub kind: i32,
    /// The data (`CMSG_DATA()`, `len - HDR_LEN` bytes).
    pub data: &'a [u8],
}

/// The control messages of a buffer (`msg_control`, `msg_controllen` bytes).
pub struct Cmsgs<'a> {
    buf: &'a [u8],
    pos: Option<usize>,
}

impl<'a> Cmsgs<'a> {
    /// Walks `buf` (`CMSG_FIRSTHDR()`: nothing if it cannot hold one header).
    pub fn new(buf: &'a [u8]) -> Self {
        Self {
            buf,
            pos: (buf.len() >= HDR_LEN).then_some(0),
        }
    }
}

impl<'a> Iterator for Cmsgs<'a> {
    /// A message, or `Err` for one `CMSG_OK()` refuses (the walk then ends).
    type Item = Result<Cmsg<'a>, ()>;

    fn next(&mut self) -> Option<Self::Item> {
        let off = self.pos?;
        let h = &self.buf[off..off + HDR_LEN];
        let word = |r: core::ops::Range<usize>| {
            let mut b = [0u8; 8];
            b[..r.len()].copy_from_slice(&h[r]);
            u64::from_ne_bytes(b)
        };
        let len = usize::try_from(word(0..8)).unwrap_or(usize::MAX);
        let level = word(8..12) as u32 as i32;
        let kind = word(12..16) as u32 as i32;
        // CMSG_OK(): at least a header, and within the buffer.
        if len < HDR_LEN || len > self.buf.len() - off {
            self.pos = None;
            return Some(Err(()));
        }
        // __cmsg_nxthdr(): the next header must fit whole.
        let next = off.saturating_add(align(len));
        self.pos = (next.saturating_add(HDR_LEN) <= self.buf.len()).then_some(next);
        Some(Ok(Cmsg {
            offset: off,
            len,
            level,
            kind,
            data: &self.buf[off + HDR_LEN..off + len],
        }))
    }
}

/// `SOL_SOCKET`, `SOL_IPV6`.
pub const SOL_SOCKET: i32 = 1;
/// `SOL_IPV6`.
pub const SOL_IPV6: i32 = 41;

/// The IPv6 control message types a send takes.
pub mod kind {
    /// `IPV6_2292PKTINFO`.
    pub const PKTINFO_2292: i32 = 2;
    /// `IPV6_2292HOPLIMIT`.
    pub const HOPLIMIT_2292: i32 = 8;
    /// `IPV6_PKTINFO`.
    pub const PKTINFO: i32 = 50;
    /// `IPV6_HOPLIMIT`.
    pub const HOPLIMIT: i32 = 52;
    /// `IPV6_DONTFRAG`.
    pub const DONTFRAG: i32 = 62;
    /// `IPV6_TCLASS`.
    pub const TCLASS: i32 = 67;
}

/// What the `SOL_IPV6` control messages of a send say (`struct ipcm6_cookie` and the
/// `in6_pktinfo` of `ip6_datagram_send_ctl()`); -1 is "not given".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendCtl {
    /// `IPV6_PKTINFO`: the source address (`::`: any) and interface (0: any).
    pub pktinfo: Option<(Ipv6Addr, u32)>,
    /// `IPV6_HOPLIMIT`: 0 to 255, or -1 (the socket's).
    pub hop_limit: i32,
    /// `IPV6_TCLASS`: 0 to 255, or -1 (the socket's).
    pub tclass: i32,
    /// `IPV6_DONTFRAG`: 0 or 1, or -1 (the socket's).
    pub dontfrag: i32,
}

impl Default for SendCtl {
    fn default() -> Self {
        Self {
            pktinfo: None,
            hop_limit: -1,
            tclass: -1,
            dontfrag: -1,
        }
    }
}

impl SendCtl {
    /// Takes one `SOL_IPV6` message `c` with mainline's checks: `EINVAL` for a short
    /// or wrongly sized one, a value out of range, or a type sends do not take here
    /// (extension headers and flow labels as ancillary data are not supported yet).
    pub fn take(&mut self, c: &Cmsg<'_>) -> Result<(), i32> {
        let int = |lo: i32, hi: i32| -> Result<i32, i32> {
            if c.len != cmsg_len(4) {
                return Err(errno::EINVAL);
            }
            let v = i32::from_ne_bytes([c.data[0], c.data[1], c.data[2], c.data[3]]);
            if v < lo || v > hi {
                return Err(errno::EINVAL);
            }
            Ok(v)
        };
        match c.kind {
            kind::PKTINFO | kind::PKTINFO_2292 => {
                // struct in6_pktinfo: the address, then the interface index.
                if c.len < cmsg_len(20) {
                    return Err(errno::EINVAL);
                }
                let mut a = [0u8; 16];
                a.copy_from_slice(&c.data[..16]);
                let ifindex = i32::from_ne_bytes([c.data[16], c.data[17], c.data[18], c.data[19]]);
                self.pktinfo = Some((Ipv6Addr::from(a), ifindex as u32));
            }
            kind::HOPLIMIT | kind::HOPLIMIT_2292 => self.hop_limit = int(-1, 0xff)?,
            kind::TCLASS => self.tclass = int(-1, 0xff)?,
            kind::DONTFRAG => self.dontfrag = int(0, 1)?,
            _ => return Err(errno::EINVAL),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    fn msg(level: i32, kind: i32, data: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&(cmsg_len(data.len()) as u64).to_ne_bytes());
        v.extend_from_slice(&level.to_ne_bytes());
        v.extend_from_slice(&kind.to_ne_bytes());
        v.extend_from_slice(data);
        v.resize(align(v.len()), 0);
        v
    }

    fn ctl(buf: &[u8]) -> Result<SendCtl, i32> {
        let mut out = SendCtl::default();
        for c in Cmsgs::new(buf) {
            let c = c.map_err(|()| errno::EINVAL)?;
            if c.level == SOL_IPV6 {
                out.take(&c)?;
            }
        }
        Ok(out)
    }

    #[test]
    fn walk() {
        let mut b = msg(SOL_IPV6, kind::HOPLIMIT, &7i32.to_ne_bytes());
        b.extend(msg(SOL_SOCKET, 1, &[1, 2, 3]));
        b.extend(msg(SOL_IPV6, kind::TCLASS, &0xb8i32.to_ne_bytes()));
        let v: Vec<_> = Cmsgs::new(&b)
            .map(|c| c.unwrap())
            .map(|c| (c.offset, c.level, c.kind, c.data.len()))
            .collect();
        assert_eq!(
            v,
            [
                (0, SOL_IPV6, 52, 4),
                (24, SOL_SOCKET, 1, 3),
                (48, SOL_IPV6, 67, 4)
            ]
        );
        let c = ctl(&b).unwrap();
        assert_eq!(
            (c.hop_limit, c.tclass, c.dontfrag, c.pktinfo),
            (7, 0xb8, -1, None)
        );
        // Too short for a header: nothing at all (CMSG_FIRSTHDR()).
        assert_eq!(Cmsgs::new(&b[..15]).count(), 0);
        // A length beyond the buffer, or below a header: refused.
        let mut bad = msg(SOL_IPV6, kind::HOPLIMIT, &7i32.to_ne_bytes());
        bad[0] = 200;
        assert_eq!(Cmsgs::new(&bad).next(), Some(Err(())));
        bad[0] = 15;
        assert_eq!(Cmsgs::new(&bad).next(), Some(Err(())));
        // A trailing piece shorter than a header ends the walk quietly.
        let mut tail = msg(SOL_IPV6, kind::HOPLIMIT, &7i32.to_ne_bytes());
        tail.extend_from_slice(&[0u8; 8]);
        assert_eq!(Cmsgs::new(&tail).count(), 1);
    }

    #[test]
    fn ipv6_checks() {
        let mut pi = [0u8; 20];
        pi[15] = 1;
        pi[16..].copy_from_slice(&3i32.to_ne_bytes());
        let c = ctl(&msg(SOL_IPV6, kind::PKTINFO, &pi)).unwrap();
        assert_eq!(c.pktinfo, Some((Ipv6Addr::LOCALHOST, 3)));
        assert_eq!(
            ctl(&msg(SOL_IPV6, kind::PKTINFO_2292, &pi))
                .unwrap()
                .pktinfo,
            c.pktinfo
        );
        assert_eq!(
            ctl(&msg(SOL_IPV6, kind::PKTINFO, &pi[..19])),
            Err(errno::EINVAL)
        );
        for (k, lo, hi) in [
            (kind::HOPLIMIT, -1i32, 255i32),
            (kind::TCLASS, -1, 255),
            (kind::DONTFRAG, 0, 1),
        ] {
            assert!(ctl(&msg(SOL_IPV6, k, &lo.to_ne_bytes())).is_ok());
            assert!(ctl(&msg(SOL_IPV6, k, &hi.to_ne_bytes())).is_ok());
            assert_eq!(
                ctl(&msg(SOL_IPV6, k, &(lo - 1).to_ne_bytes())),
                Err(errno::EINVAL)
            );
            assert_eq!(
                ctl(&msg(SOL_IPV6, k, &(hi + 1).to_ne_bytes())),
                Err(errno::EINVAL)
            );
            // An int, exactly.
            assert_eq!(ctl(&msg(SOL_IPV6, k, &[0u8; 8])), Err(errno::EINVAL));
        }
        assert_eq!(
            ctl(&msg(SOL_IPV6, kind::HOPLIMIT_2292, &9i32.to_ne_bytes()))
                .unwrap()
                .hop_limit,
            9
        );
        // Extension headers (IPV6_HOPOPTS = 54) are not taken yet.
        assert_eq!(ctl(&msg(SOL_IPV6, 54, &[0u8; 8])), Err(errno::EINVAL));
        // Other levels are not ours.
        assert_eq!(ctl(&msg(0, 54, &[0u8; 8])), Ok(SendCtl::default()));
    }

    proptest::proptest! {
        /// Any buffer: the walk never panics, and every message it yields lies within.
        #[test]
        fn never_panics(buf in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            for c in Cmsgs::new(&buf).flatten() {
                proptest::prop_assert!(c.offset + c.len <= buf.len());
                let _ = SendCtl::default().take(&c);
            }
        }
    }
}
