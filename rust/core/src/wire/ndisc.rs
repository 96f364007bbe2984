// SPDX-License-Identifier: GPL-2.0

//! Neighbour discovery messages (RFC 4861 §4.3, §4.4) and their options (§4.6), as
//! mainline's `net/ipv6/ndisc.c` parses and builds them.

use super::icmpv6::kind;
use core::net::Ipv6Addr;

/// Length of a neighbour solicitation or advertisement without options (`struct nd_msg`).
pub const ND_MSG_LEN: usize = 24;

/// ND option types (`ND_OPT_*`).
pub mod opt {
    /// Source link-layer address.
    pub const SOURCE_LL_ADDR: u8 = 1;
    /// Target link-layer address.
    pub const TARGET_LL_ADDR: u8 = 2;
    /// MTU.
    pub const MTU: u8 = 5;
    /// Nonce (RFC 3971 §5.3.2, used by enhanced DAD, RFC 7527).
    pub const NONCE: u8 = 14;
}

/// NA flags, in the first word after the ICMPv6 header.
pub mod na_flag {
    /// The sender is a router.
    pub const ROUTER: u32 = 0x8000_0000;
    /// Sent in response to a solicitation.
    pub const SOLICITED: u32 = 0x4000_0000;
    /// Override an existing cache entry.
    pub const OVERRIDE: u32 = 0x2000_0000;
}

/// Why mainline drops a neighbour discovery message (its drop reason and log line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NdDrop {
    /// Hop limit is not 255 (`SKB_DROP_REASON_IPV6_NDISC_HOP_LIMIT`).
    HopLimit,
    /// ICMPv6 code is not 0 (`IPV6_NDISC_BAD_CODE`).
    BadCode,
    /// Shorter than `struct nd_msg` (`PKT_TOO_SMALL`).
    TooSmall,
    /// Target address is multicast.
    MulticastTarget,
    /// DAD solicitation not sent to a solicited-node address.
    DadWrongDestination,
    /// An option with length 0 or running past the message (`IPV6_NDISC_BAD_OPTIONS`).
    BadOptions,
    /// Link-layer address option of the wrong size for the device.
    BadLladdrLength,
    /// DAD solicitation carrying a source link-layer address option.
    DadWithLladdr,
    /// Solicited advertisement sent to a multicast address.
    SolicitedToMulticast,
    /// A solicitation for an address that is not ours (`IPV6_NDISC_NS_OTHERHOST`).
    NotOurs,
    /// Nothing to do with it (`NOT_SPECIFIED`).
    Ignored,
}

/// A neighbour solicitation or advertisement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NdMsg<'a> {
    /// `NEIGHBOUR_SOLICITATION` or `NEIGHBOUR_ADVERTISEMENT`.
    pub kind: u8,
    /// The word after the ICMPv6 header: NA flags, reserved in an NS.
    pub flags: u32,
    /// The target address.
    pub target: Ipv6Addr,
    /// The options, unparsed.
    pub options: &'a [u8],
}

impl<'a> NdMsg<'a> {
    /// Parses an NS or NA (the ICMPv6 message, from its type byte on).
    pub fn parse(msg: &'a [u8]) -> Result<Self, NdDrop> {
        if msg.len() < ND_MSG_LEN {
            return Err(NdDrop::TooSmall);
        }
        let mut target = [0u8; 16];
        target.copy_from_slice(&msg[8..24]);
        let target = Ipv6Addr::from(target);
        if target.is_multicast() {
            return Err(NdDrop::MulticastTarget);
        }
        Ok(Self {
            kind: msg[0],
            flags: u32::from_be_bytes([msg[4], msg[5], msg[6], msg[7]]),
            target,
            options: &msg[ND_MSG_LEN..],
        })
    }

    /// An NA flag (`na_flag::*`).
    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }
}

/// The options mainline looks at, the first of each type (`ndisc_parse_options()`
/// keeps the first and ignores duplicates; unknown options are skipped).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NdOptions<'a> {
    /// Source link-layer address option, whole (type and length included).
    pub src_lladdr: Option<&'a [u8]>,
    /// Target link-layer address option, whole.
    pub tgt_lladdr: Option<&'a [u8]>,
    /// Nonce option, whole.
    pub nonce: Option<&'a [u8]>,
    /// MTU option, whole.
    pub mtu: Option<&'a [u8]>,
}

impl<'a> NdOptions<'a> {
    /// Parses an option area; fails on a zero-length option or one running past the end.
    pub fn parse(mut opts: &'a [u8]) -> Result<Self, NdDrop> {
        let mut out = Self::default();
        while !opts.is_empty() {
            if opts.len() < 2 {
                return Err(NdDrop::BadOptions);
            }
            let len = usize::from(opts[1]) * 8;
            if len == 0 || len > opts.len() {
                return Err(NdDrop::BadOptions);
            }
            let (this, rest) = opts.split_at(len);
            let slot = match this[0] {
                opt::SOURCE_LL_ADDR => Some(&mut out.src_lladdr),
                opt::TARGET_LL_ADDR => Some(&mut out.tgt_lladdr),
                opt::NONCE => Some(&mut out.nonce),
                opt::MTU => Some(&mut out.mtu),
                _ => None,
            };
            if let Some(slot) = slot {
                slot.get_or_insert(this);
            }
            opts = rest;
        }
        Ok(out)
    }

    /// The 6-byte nonce as mainline keeps it (`u64` from the bytes in memory order, so
    /// compare it only with values made the same way), if the option is one unit long.
    pub fn nonce_value(&self) -> u64 {
        match self.nonce {
            Some(o) if o.len() == 8 => nonce_from_bytes(&o[2..8]),
            _ => 0,
        }
    }
}

/// The nonce's 6 bytes as a `u64`, little-endian (mainline's `memcpy(&nonce, p, 6)` on
/// x86, the only architecture the module is built for).
pub fn nonce_from_bytes(b: &[u8]) -> u64 {
    let mut v = [0u8; 8];
    let n = b.len().min(6);
    v[..n].copy_from_slice(&b[..n]);
    u64::from_le_bytes(v)
}

/// Space a link-layer address option takes (`NDISC_OPT_SPACE(addr_len)`): 2 bytes of
/// type and length plus the address, rounded up to 8.
pub const fn lladdr_opt_space(addr_len: usize) -> usize {
    (addr_len + 2 + 7) & !7
}

/// The address in a link-layer address option, if the option has the right size for a
/// device whose addresses are `addr_len` bytes (`ndisc_opt_addr_data()`).
pub fn lladdr(option: &[u8], addr_len: usize) -> Option<&[u8]> {
    if option.len() != lladdr_opt_space(addr_len) {
        return None;
    }
    option.get(2..2 + addr_len)
}

/// Writes an NS for `target` into `buf` (ICMPv6 message with a zero checksum); with the
/// source link-layer address option if `slla` is given and a nonce option if `nonce` is
/// not 0. Returns the length, or `None` if `buf` is too small.
pub fn emit_ns(
    buf: &mut [u8],
    target: &Ipv6Addr,
    slla: Option<&[u8]>,
    nonce: u64,
) -> Option<usize> {
    let mut len = emit_nd(buf, kind::NEIGHBOUR_SOLICITATION, 0, target)?;
    if let Some(ll) = slla {
        len += emit_lladdr(buf.get_mut(len..)?, opt::SOURCE_LL_ADDR, ll)?;
    }
    if nonce != 0 {
        let o = buf.get_mut(len..len + 8)?;
        o[0] = opt::NONCE;
        o[1] = 1;
        o[2..8].copy_from_slice(&nonce.to_le_bytes()[..6]);
        len += 8;
    }
    Some(len)
}

/// Writes an NA for `target` with `flags` (`na_flag::*`), with the target link-layer
/// address option if `tlla` is given. Returns the length.
pub fn emit_na(
    buf: &mut [u8],
    target: &Ipv6Addr,
    flags: u32,
    tlla: Option<&[u8]>,
) -> Option<usize> {
    let mut len = emit_nd(buf, kind::NEIGHBOUR_ADVERTISEMENT, flags, target)?;
    if let Some(ll) = tlla {
        len += emit_lladdr(buf.get_mut(len..)?, opt::TARGET_LL_ADDR, ll)?;
    }
    Some(len)
}

fn emit_nd(buf: &mut [u8], kind: u8, flags: u32, target: &Ipv6Addr) -> Option<usize> {
    let m = buf.get_mut(..ND_MSG_LEN)?;
    m[..4].copy_from_slice(&[kind, 0, 0, 0]);
    m[4..8].copy_from_slice(&flags.to_be_bytes());
    m[8..24].copy_from_slice(&target.octets());
    Some(ND_MSG_LEN)
}

fn emit_lladdr(buf: &mut [u8], kind: u8, ll: &[u8]) -> Option<usize> {
    let space = lladdr_opt_space(ll.len());
    let o = buf.get_mut(..space)?;
    o.fill(0);
    o[0] = kind;
    o[1] = (space / 8) as u8;
    o[2..2 + ll.len()].copy_from_slice(ll);
    Some(space)
}

/// The solicited-node multicast address of `a` (RFC 4291 §2.7.1).
pub fn solicited_node(a: &Ipv6Addr) -> Ipv6Addr {
    let o = a.octets();
    Ipv6Addr::from([
        0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, o[13], o[14], o[15],
    ])
}

/// `a` is a solicited-node multicast address (`ipv6_addr_is_solict_mult()`).
pub fn is_solicited_node(a: &Ipv6Addr) -> bool {
    a.octets()[..13] == [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff]
}

/// The Ethernet multicast address for an IPv6 multicast address (`ipv6_eth_mc_map()`,
/// RFC 2464 §7): 33:33 followed by its last 32 bits.
pub fn eth_multicast(a: &Ipv6Addr) -> [u8; 6] {
    let o = a.octets();
    [0x33, 0x33, o[12], o[13], o[14], o[15]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MAC: [u8; 6] = [0x52, 0x54, 0, 0, 0, 2];

    #[test]
    fn ns_round_trip() {
        let t: Ipv6Addr = "2001:db8::1".parse().unwrap();
        let mut buf = [0u8; 64];
        let n = emit_ns(&mut buf, &t, Some(&MAC), 0x0000_0102_0304_0506).unwrap();
        assert_eq!(n, 24 + 8 + 8);
        let m = NdMsg::parse(&buf[..n]).unwrap();
        assert_eq!((m.kind, m.target), (kind::NEIGHBOUR_SOLICITATION, t));
        let o = NdOptions::parse(m.options).unwrap();
        assert_eq!(lladdr(o.src_lladdr.unwrap(), 6), Some(&MAC[..]));
        assert_eq!(o.nonce_value(), 0x0000_0102_0304_0506);
        assert_eq!(lladdr(o.src_lladdr.unwrap(), 8), None);
    }

    #[test]
    fn na_flags_and_tlla() {
        let t: Ipv6Addr = "fe80::1".parse().unwrap();
        let mut buf = [0u8; 32];
        let flags = na_flag::SOLICITED | na_flag::OVERRIDE;
        let n = emit_na(&mut buf, &t, flags, Some(&MAC)).unwrap();
        assert_eq!(&buf[4..8], &[0x60, 0, 0, 0]);
        let m = NdMsg::parse(&buf[..n]).unwrap();
        assert!(m.has(na_flag::SOLICITED) && !m.has(na_flag::ROUTER));
        let o = NdOptions::parse(m.options).unwrap();
        assert_eq!(lladdr(o.tgt_lladdr.unwrap(), 6), Some(&MAC[..]));
    }

    #[test]
    fn bad_messages() {
        assert_eq!(NdMsg::parse(&[135; 23]), Err(NdDrop::TooSmall));
        let mut m = [0u8; 24];
        m[0] = 135;
        m[8] = 0xff;
        assert_eq!(NdMsg::parse(&m), Err(NdDrop::MulticastTarget));
        assert_eq!(
            NdOptions::parse(&[1, 0, 0, 0, 0, 0, 0, 0]),
            Err(NdDrop::BadOptions)
        );
        assert_eq!(
            NdOptions::parse(&[1, 2, 0, 0, 0, 0, 0, 0]),
            Err(NdDrop::BadOptions)
        );
        assert_eq!(NdOptions::parse(&[1]), Err(NdDrop::BadOptions));
        // Unknown options are skipped; the first of a duplicated option wins.
        let o = NdOptions::parse(&[
            99, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2,
        ])
        .unwrap();
        assert_eq!(o.src_lladdr.unwrap()[2], 1);
    }

    #[test]
    fn multicast_mappings() {
        let a: Ipv6Addr = "2001:db8::12:3456".parse().unwrap();
        let s = solicited_node(&a);
        assert_eq!(s, "ff02::1:ff12:3456".parse::<Ipv6Addr>().unwrap());
        assert!(is_solicited_node(&s) && !is_solicited_node(&a));
        assert_eq!(eth_multicast(&s), [0x33, 0x33, 0xff, 0x12, 0x34, 0x56]);
    }

    proptest! {
        #[test]
        fn parsing_never_panics(b in proptest::collection::vec(any::<u8>(), 0..128)) {
            if let Ok(m) = NdMsg::parse(&b) {
                let _ = NdOptions::parse(m.options).map(|o| o.nonce_value());
            }
        }
    }
}
