// SPDX-License-Identifier: GPL-2.0

//! Neighbour discovery messages (RFC 4861 §4.1-§4.4) and their options (§4.6, RFC 4191
//! §2.3), as mainline's `net/ipv6/ndisc.c` parses and builds them.

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
    /// Prefix information (RFC 4861 §4.6.2).
    pub const PREFIX_INFO: u8 = 3;
    /// Redirected header.
    pub const REDIRECT_HDR: u8 = 4;
    /// MTU.
    pub const MTU: u8 = 5;
    /// Route information (RFC 4191 §2.3).
    pub const ROUTE_INFO: u8 = 24;
    /// Nonce (RFC 3971 §5.3.2, used by enhanced DAD, RFC 7527).
    pub const NONCE: u8 = 14;
    /// Recursive DNS server (RFC 8106 §5.1).
    pub const RDNSS: u8 = 25;
    /// DNS search list (RFC 8106 §5.2).
    pub const DNSSL: u8 = 31;
    /// 6LoWPAN context (RFC 6775 §4.2).
    pub const SIXCO: u8 = 34;
    /// Captive portal (RFC 8910 §2.3).
    pub const CAPTIVE_PORTAL: u8 = 37;
    /// PREF64, the NAT64 prefix (RFC 8781).
    pub const PREF64: u8 = 38;

    /// Options of an RA that mainline hands to user space, each in an
    /// `RTM_NEWNDUSEROPT` message (`ndisc_is_useropt()`): prefix information (also
    /// carried out by the kernel), RDNSS, DNSSL, 6LoWPAN context, captive portal and
    /// PREF64. Route information, MTU and the link-layer address options are not.
    pub const fn is_useropt(kind: u8) -> bool {
        matches!(
            kind,
            PREFIX_INFO | RDNSS | DNSSL | SIXCO | CAPTIVE_PORTAL | PREF64
        )
    }
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

/// Length of a router solicitation without options (`struct rs_msg`).
pub const RS_MSG_LEN: usize = 8;
/// Length of a router advertisement without options (`struct ra_msg`).
pub const RA_MSG_LEN: usize = 16;

/// Router advertisement flags, in the byte after the current hop limit.
pub mod ra_flag {
    /// Managed address configuration (DHCPv6 for addresses).
    pub const MANAGED: u8 = 0x80;
    /// Other configuration (DHCPv6 for other information).
    pub const OTHER: u8 = 0x40;
}

/// A router advertisement (RFC 4861 §4.2).
///
/// ```text
/// |     Type      |     Code      |          Checksum             |
/// | Cur Hop Limit |M|O|H|Prf|Resvd|       Router Lifetime         |
/// |                         Reachable Time                        |
/// |                          Retrans Timer                        |
/// |   Options ...
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RaMsg<'a> {
    /// Hop limit hosts should use, 0 if unspecified.
    pub cur_hop_limit: u8,
    /// `ra_flag::*` and the default router preference (bits 3-4).
    pub flags: u8,
    /// Seconds this router is a default router; 0: it is not one.
    pub router_lifetime: u16,
    /// Milliseconds, 0 if unspecified.
    pub reachable_time: u32,
    /// Milliseconds, 0 if unspecified.
    pub retrans_timer: u32,
    /// The options, unparsed.
    pub options: &'a [u8],
}

impl<'a> RaMsg<'a> {
    /// Parses an RA (the ICMPv6 message, from its type byte on).
    pub fn parse(msg: &'a [u8]) -> Result<Self, NdDrop> {
        let (h, options) = msg.split_at_checked(RA_MSG_LEN).ok_or(NdDrop::TooSmall)?;
        let be32 = |o: usize| u32::from_be_bytes([h[o], h[o + 1], h[o + 2], h[o + 3]]);
        Ok(Self {
            cur_hop_limit: h[4],
            flags: h[5],
            router_lifetime: u16::from_be_bytes([h[6], h[7]]),
            reachable_time: be32(8),
            retrans_timer: be32(12),
            options,
        })
    }

    /// The default router preference bits (`icmp6_router_pref`).
    pub fn router_pref(&self) -> u8 {
        (self.flags >> 3) & 3
    }
}

/// A prefix information option (RFC 4861 §4.6.2, `struct prefix_info`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrefixInfo {
    /// The prefix (host bits as sent).
    pub prefix: Ipv6Addr,
    /// Its length.
    pub prefix_len: u8,
    /// The flag byte as sent (L, A, R, P and reserved bits).
    pub flags: u8,
    /// Valid lifetime, seconds (all ones: infinity).
    pub valid: u32,
    /// Preferred lifetime, seconds.
    pub preferred: u32,
}

impl PrefixInfo {
    /// Length of the option.
    pub const LEN: usize = 32;

    /// Parses a whole prefix information option; `None` if it is too short.
    pub fn parse(o: &[u8]) -> Option<Self> {
        let o: &[u8; Self::LEN] = o.get(..Self::LEN)?.try_into().ok()?;
        let be32 = |i: usize| u32::from_be_bytes([o[i], o[i + 1], o[i + 2], o[i + 3]]);
        let mut p = [0u8; 16];
        p.copy_from_slice(&o[16..32]);
        Some(Self {
            prefix: Ipv6Addr::from(p),
            prefix_len: o[2],
            flags: o[3],
            valid: be32(4),
            preferred: be32(8),
        })
    }

    /// L: the prefix is on-link.
    pub fn onlink(&self) -> bool {
        self.flags & 0x80 != 0
    }

    /// A: use it for stateless address autoconfiguration.
    pub fn autoconf(&self) -> bool {
        self.flags & 0x40 != 0
    }

    /// P: prefer DHCPv6 prefix delegation (RFC 9762).
    pub fn preferpd(&self) -> bool {
        self.flags & 0x10 != 0
    }
}

/// A route information option (RFC 4191 §2.3, `struct route_info`), checked as
/// `rt6_route_rcv()` checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteInfo {
    /// The prefix, host bits cleared unless the option carries all 16 bytes.
    pub prefix: Ipv6Addr,
    /// Its length.
    pub prefix_len: u8,
    /// Route preference (`ICMPV6_ROUTER_PREF_*`), never the invalid value.
    pub pref: u8,
    /// Lifetime, seconds (all ones: infinity).
    pub lifetime: u32,
}

impl RouteInfo {
    /// Parses a whole route information option; `None` where mainline answers
    /// `-EINVAL`: too short, a length that cannot hold the prefix, a prefix longer than
    /// 128 bits, or the reserved preference 10b.
    pub fn parse(o: &[u8]) -> Option<Self> {
        if o.len() < 8 {
            return None;
        }
        let (units, plen) = (o[1], o[2]);
        let need = match plen {
            129.. => return None,
            65..=128 => 3,
            1..=64 => 2,
            0 => 1,
        };
        if units > 3 || units < need {
            return None;
        }
        let pref = (o[3] >> 3) & 3;
        if pref == 2 {
            return None;
        }
        let mut p = [0u8; 16];
        let have = (usize::from(units) - 1) * 8;
        p[..have].copy_from_slice(o.get(8..8 + have)?);
        let mut prefix = Ipv6Addr::from(p);
        if units != 3 {
            prefix = crate::fib::prefix(&prefix, plen);
        }
        Some(Self {
            prefix,
            prefix_len: plen,
            pref,
            lifetime: u32::from_be_bytes([o[4], o[5], o[6], o[7]]),
        })
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
    /// Redirected header option, whole.
    pub redirect_hdr: Option<&'a [u8]>,
    /// The whole (validated) option area, for the options that may repeat.
    pub all: &'a [u8],
}

impl<'a> NdOptions<'a> {
    /// Parses an option area; fails on a zero-length option or one running past the end.
    pub fn parse(mut opts: &'a [u8]) -> Result<Self, NdDrop> {
        let mut out = Self {
            all: opts,
            ..Self::default()
        };
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
                opt::REDIRECT_HDR => Some(&mut out.redirect_hdr),
                _ => None,
            };
            if let Some(slot) = slot {
                slot.get_or_insert(this);
            }
            opts = rest;
        }
        Ok(out)
    }

    /// Every option of type `kind`, whole, in message order (prefix and route
    /// information options repeat; `ndisc_next_option()`).
    pub fn each(&self, kind: u8) -> impl Iterator<Item = &'a [u8]> {
        self.matching(move |k| k == kind)
    }

    /// The options user space gets (`opt::is_useropt`), whole, in message order
    /// (`ndisc_next_useropt()` from `nd_useropts` to `nd_useropts_end`).
    pub fn user_options(&self) -> impl Iterator<Item = &'a [u8]> {
        self.matching(opt::is_useropt)
    }

    fn matching(&self, pred: impl Fn(u8) -> bool) -> impl Iterator<Item = &'a [u8]> {
        let mut rest = self.all;
        core::iter::from_fn(move || {
            // `parse` validated the area: every length is non-zero and in bounds.
            while rest.len() >= 2 {
                let len = (usize::from(rest[1]) * 8).clamp(8, rest.len());
                let (this, tail) = rest.split_at(len);
                rest = tail;
                if pred(this[0]) {
                    return Some(this);
                }
            }
            None
        })
    }

    /// The MTU option's value.
    pub fn mtu_value(&self) -> Option<u32> {
        let o = self.mtu?;
        Some(u32::from_be_bytes(o.get(4..8)?.try_into().ok()?))
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

/// Writes an RS (ICMPv6 message with a zero checksum), with the source link-layer
/// address option if `slla` is given (`ndisc_send_rs()`). Returns the length.
pub fn emit_rs(buf: &mut [u8], slla: Option<&[u8]>) -> Option<usize> {
    buf.get_mut(..RS_MSG_LEN)?
        .copy_from_slice(&[kind::ROUTER_SOLICITATION, 0, 0, 0, 0, 0, 0, 0]);
    let mut len = RS_MSG_LEN;
    if let Some(ll) = slla {
        len += emit_lladdr(buf.get_mut(len..)?, opt::SOURCE_LL_ADDR, ll)?;
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

/// Length of a redirect message without options (`struct rd_msg`).
pub const RD_MSG_LEN: usize = 40;

/// The redirected header option's length for a packet of `pkt_len` octets (IPv6
/// header on) when the other options take `optlen` (`ndisc_send_redirect()`): as much
/// of the packet as keeps the redirect within the minimum MTU, in whole 8-octet units
/// with the option's own 8-octet header.
pub fn redirect_hdr_len(pkt_len: usize, optlen: usize) -> usize {
    let room = (crate::conf::IPV6_MIN_MTU as usize).saturating_sub(40 + RD_MSG_LEN + optlen);
    room.min(pkt_len + 8) & !7
}

/// Writes a redirect (RFC 4861 §4.5; ICMPv6 message with a zero checksum): `dest` is
/// better reached through `target`; with the target link-layer address option if
/// `tlla` is given, then the redirected header option of `rd_len` octets (see
/// [`redirect_hdr_len`]) holding the start of `pkt`. Returns the length.
pub fn emit_redirect(
    buf: &mut [u8],
    target: &Ipv6Addr,
    dest: &Ipv6Addr,
    tlla: Option<&[u8]>,
    pkt: &[u8],
    rd_len: usize,
) -> Option<usize> {
    let m = buf.get_mut(..RD_MSG_LEN)?;
    m.fill(0);
    m[0] = kind::REDIRECT;
    m[8..24].copy_from_slice(&target.octets());
    m[24..40].copy_from_slice(&dest.octets());
    let mut len = RD_MSG_LEN;
    if let Some(ll) = tlla {
        len += emit_lladdr(buf.get_mut(len..)?, opt::TARGET_LL_ADDR, ll)?;
    }
    if rd_len >= 8 {
        let o = buf.get_mut(len..len + rd_len)?;
        o.fill(0);
        o[0] = opt::REDIRECT_HDR;
        o[1] = (rd_len / 8) as u8;
        let n = (rd_len - 8).min(pkt.len());
        o[8..8 + n].copy_from_slice(&pkt[..n]);
        len += rd_len;
    }
    Some(len)
}

/// A received redirect (RFC 4861 §4.5, `struct rd_msg`) with its options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RedirectMsg<'a> {
    /// The better first hop.
    pub target: Ipv6Addr,
    /// The destination it is better for.
    pub dest: Ipv6Addr,
    /// Its options (target link-layer address, redirected header).
    pub opts: NdOptions<'a>,
}

impl<'a> RedirectMsg<'a> {
    /// Parses the ICMPv6 message `m` (header on): too short or with malformed options,
    /// mainline ignores it (`ndisc_redirect_rcv()`, `rt6_do_redirect()`).
    pub fn parse(m: &'a [u8]) -> Result<Self, NdDrop> {
        if m.len() < RD_MSG_LEN {
            return Err(NdDrop::TooSmall);
        }
        let addr = |o: usize| {
            let mut a = [0u8; 16];
            a.copy_from_slice(&m[o..o + 16]);
            Ipv6Addr::from(a)
        };
        Ok(Self {
            target: addr(8),
            dest: addr(24),
            opts: NdOptions::parse(&m[RD_MSG_LEN..])?,
        })
    }

    /// The offending packet the redirected header option quotes (after the option's
    /// 8-octet header), if there is one.
    pub fn redirected(&self) -> Option<&'a [u8]> {
        self.opts.redirect_hdr?.get(8..)
    }
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
    extern crate std;
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

    /// An RA as radvd sends it: hop limit 64, M, high preference, lifetime 1800 s,
    /// reachable 30 s, retrans 1 s; SLLA, MTU 1400, two prefixes and a route.
    const RA: [u8; 112] = [
        134, 0, 0, 0, 64, 0x88, 0x07, 0x08, 0, 0, 0x75, 0x30, 0, 0, 0x03, 0xe8, //
        1, 1, 0x52, 0x54, 0, 0, 0, 2, // SLLA
        5, 1, 0, 0, 0, 0, 0x05, 0x78, // MTU 1400
        3, 4, 64, 0xc0, 0, 1, 0x51, 0x80, 0, 0, 0x38, 0x40, 0, 0, 0, 0, // PIO L+A
        0x20, 0x01, 0x0d, 0xb8, 0, 0xa, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        3, 4, 48, 0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, // L only
        0x20, 0x01, 0x0d, 0xb8, 0, 0xb, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, //
        24, 2, 48, 0x08, 0, 0, 2, 0x58, 0x20, 0x01, 0x0d, 0xb8, 0, 0xf, 0xff, 0xff, // RIO
    ];

    #[test]
    fn router_advertisement() {
        let ra = RaMsg::parse(&RA).unwrap();
        assert_eq!(ra.cur_hop_limit, 64);
        assert_eq!(ra.flags & ra_flag::MANAGED, ra_flag::MANAGED);
        assert_eq!(ra.flags & ra_flag::OTHER, 0);
        assert_eq!(ra.router_pref(), 1);
        assert_eq!(
            (ra.router_lifetime, ra.reachable_time, ra.retrans_timer),
            (1800, 30000, 1000)
        );
        let o = NdOptions::parse(ra.options).unwrap();
        assert_eq!(lladdr(o.src_lladdr.unwrap(), 6), Some(&MAC[..]));
        assert_eq!(o.mtu_value(), Some(1400));
        let pis: std::vec::Vec<_> = o
            .each(opt::PREFIX_INFO)
            .map(|p| PrefixInfo::parse(p).unwrap())
            .collect();
        assert_eq!(pis.len(), 2);
        assert_eq!(pis[0].prefix, "2001:db8:a::".parse::<Ipv6Addr>().unwrap());
        assert!(pis[0].onlink() && pis[0].autoconf() && !pis[0].preferpd());
        assert_eq!(
            (pis[0].prefix_len, pis[0].valid, pis[0].preferred),
            (64, 86400, 14400)
        );
        assert!(pis[1].onlink() && !pis[1].autoconf());
        assert_eq!(pis[1].valid, u32::MAX);
        assert_eq!(pis[1].flags, 0x80);
        let ri: std::vec::Vec<_> = o.each(opt::ROUTE_INFO).collect();
        assert_eq!(ri.len(), 1);
        let ri = RouteInfo::parse(ri[0]).unwrap();
        // Host bits beyond /48 are cleared when the option does not carry 16 bytes.
        assert_eq!(ri.prefix, "2001:db8:f::".parse::<Ipv6Addr>().unwrap());
        assert_eq!((ri.prefix_len, ri.pref, ri.lifetime), (48, 1, 600));
        assert_eq!(RaMsg::parse(&RA[..15]), Err(NdDrop::TooSmall));
    }

    #[test]
    fn user_options_in_message_order() {
        // Which options user space gets: mainline 6.12's ndisc_is_useropt().
        let user: std::vec::Vec<u8> = (0..=255).filter(|&k| opt::is_useropt(k)).collect();
        assert_eq!(user, [3, 25, 31, 34, 37, 38]);
        // The RA above: only its two prefixes, around the MTU and route options.
        let o = NdOptions::parse(RaMsg::parse(&RA).unwrap().options).unwrap();
        let u: std::vec::Vec<_> = o.user_options().collect();
        assert_eq!(u, [&RA[32..64], &RA[64..96]]);
        // RDNSS, an unknown option, DNSSL, SLLA, PREF64, MTU, captive portal: in order,
        // the unknown and the kernel's own left out.
        let opts: [u8; 64] = [
            25, 3, 0, 0, 0, 0, 0x0e, 0x10, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, //
            0, 0, 0, 0, 0, 0, 0, 0x53, //
            99, 1, 0, 0, 0, 0, 0, 0, // unknown
            31, 1, 0, 0, 0, 0, 0, 0, // DNSSL (empty)
            1, 1, 0x52, 0x54, 0, 0, 0, 2, // SLLA
            38, 1, 0, 0, 0, 0, 0, 0, // PREF64
            5, 1, 0, 0, 0, 0, 0x05, 0x78, // MTU
        ];
        let o = NdOptions::parse(&opts).unwrap();
        let kinds: std::vec::Vec<_> = o.user_options().map(|x| (x[0], x.len())).collect();
        assert_eq!(kinds, [(25, 24), (31, 8), (38, 8)]);
        let mut cp = [0u8; 16];
        cp[..2].copy_from_slice(&[37, 2]);
        let o = NdOptions::parse(&cp).unwrap();
        assert_eq!(o.user_options().collect::<std::vec::Vec<_>>(), [&cp[..]]);
        assert_eq!(NdOptions::parse(&[]).unwrap().user_options().count(), 0);
    }

    #[test]
    fn route_information_checks() {
        let ri = |units: u8, plen: u8, flags: u8| {
            let mut o = [0u8; 24];
            o[..4].copy_from_slice(&[24, units, plen, flags]);
            RouteInfo::parse(&o[..usize::from(units.max(1)) * 8])
        };
        assert!(ri(1, 0, 0).is_some());
        assert!(ri(1, 1, 0).is_none(), "a prefix needs 8 bytes");
        assert!(ri(2, 64, 0).is_some());
        assert!(ri(2, 65, 0).is_none(), "more than 64 bits need 16 bytes");
        assert!(ri(3, 128, 0).is_some());
        assert!(ri(3, 129, 0).is_none());
        assert!(ri(2, 48, 0x10).is_none(), "preference 10b is invalid");
        assert_eq!(ri(2, 48, 0x18).unwrap().pref, 3);
    }

    #[test]
    fn rs_with_source_lladdr() {
        let mut b = [0u8; 16];
        assert_eq!(emit_rs(&mut b, Some(&MAC)), Some(16));
        assert_eq!(&b[..10], &[133, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
        assert_eq!(&b[10..], &MAC);
        assert_eq!(emit_rs(&mut b, None), Some(RS_MSG_LEN));
        assert_eq!(emit_rs(&mut b[..12], Some(&MAC)), None);
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
            let _ = RaMsg::parse(&b);
            let _ = PrefixInfo::parse(&b);
            let _ = RouteInfo::parse(&b);
            if let Ok(o) = NdOptions::parse(&b) {
                for kind in [opt::PREFIX_INFO, opt::ROUTE_INFO] {
                    for x in o.each(kind) {
                        let _ = (PrefixInfo::parse(x), RouteInfo::parse(x));
                    }
                }
                // User options are whole options of the area, in order.
                let mut at = 0;
                for x in o.user_options() {
                    prop_assert!(opt::is_useropt(x[0]) && x.len() == usize::from(x[1]) * 8);
                    let off = x.as_ptr() as usize - b.as_ptr() as usize;
                    prop_assert!(off >= at);
                    at = off + x.len();
                }
            }
            if let Ok(m) = NdMsg::parse(&b) {
                let _ = NdOptions::parse(m.options).map(|o| o.nonce_value());
            }
        }
    }

    #[test]
    fn redirects_carry_as_much_of_the_packet_as_fits() {
        // A 100-octet packet: 104 octets of option (96 of packet), after a TLLAO.
        assert_eq!(redirect_hdr_len(100, 8), 104);
        // A big one: filled to the minimum MTU (1280 - 40 - 40 - 8 = 1192).
        assert_eq!(redirect_hdr_len(1500, 8), 1192);
        let pkt = [0xabu8; 100];
        let mut buf = [0u8; 200];
        let t: Ipv6Addr = "fe80::1".parse().unwrap();
        let d: Ipv6Addr = "2001:db8::1".parse().unwrap();
        let n = emit_redirect(&mut buf, &t, &d, Some(&MAC), &pkt, 104).unwrap();
        assert_eq!(n, 40 + 8 + 104);
        assert_eq!(buf[0], kind::REDIRECT);
        assert_eq!(&buf[8..24], &t.octets());
        assert_eq!(&buf[24..40], &d.octets());
        assert_eq!(&buf[40..42], &[opt::TARGET_LL_ADDR, 1]);
        assert_eq!(&buf[48..50], &[opt::REDIRECT_HDR, 13]);
        assert_eq!(buf[56], 0xab);
        assert_eq!(buf[151], 0xab);
        // Too small a buffer: nothing.
        assert_eq!(emit_redirect(&mut buf[..60], &t, &d, None, &pkt, 104), None);
    }
}
