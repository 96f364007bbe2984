// SPDX-License-Identifier: GPL-2.0

//! IPv6 and IPv4 over IPv6 tunnels (RFC 2473), as mainline's `net/ipv6/ip6_tunnel.c`
//! decides them: what a tunnel's end points let it do (`ip6_tnl_get_cap()`), which
//! tunnel a received packet belongs to (`ip6_tnl_lookup()`), the MTU over a lower
//! device (`ip6_tnl_link_config()`), the tunnel encapsulation limit option
//! (`ip6_tnl_parse_tlv_enc_lim()`, `init_tel_txopt()`), the outer traffic class and
//! flow label, and ECN on encapsulation and decapsulation (RFC 6040, as
//! `INET_ECN_encapsulate()` and `IP6_ECN_decapsulate()` do it).

use crate::wire::ipv6::HEADER_LEN;
use core::net::Ipv6Addr;

/// `IP6_TNL_F_*` (`include/uapi/linux/ip6_tunnel.h`, and the capability bits of
/// `include/net/ip6_tunnel.h`).
pub mod flags {
    /// No encapsulation limit option unless the inner packet carries one.
    pub const IGN_ENCAP_LIMIT: u32 = 0x1;
    /// The outer traffic class is the inner packet's.
    pub const USE_ORIG_TCLASS: u32 = 0x2;
    /// The outer flow label is the inner packet's.
    pub const USE_ORIG_FLOWLABEL: u32 = 0x4;
    /// Decapsulated packets take the outer DSCP.
    pub const RCV_DSCP_COPY: u32 = 0x10;
    /// The outer route lookup uses the packet's mark.
    pub const USE_ORIG_FWMARK: u32 = 0x20;
    /// The remote end may be an address of this node.
    pub const ALLOW_LOCAL_REMOTE: u32 = 0x40;
    /// The end points let the tunnel send.
    pub const CAP_XMIT: u32 = 0x10000;
    /// The end points let the tunnel receive.
    pub const CAP_RCV: u32 = 0x20000;
    /// An end point is unspecified: decided per packet.
    pub const CAP_PER_PACKET: u32 = 0x40000;
    /// The capability bits, which the tunnel computes and a user cannot set.
    pub const CAPS: u32 = CAP_XMIT | CAP_RCV | CAP_PER_PACKET;
}

/// `IPV6_TLV_TNL_ENCAP_LIMIT`: the tunnel encapsulation limit option.
pub const OPT_ENCAP_LIMIT: u8 = 4;
/// `IPV6_DEFAULT_TNL_ENCAP_LIMIT`.
pub const DEFAULT_ENCAP_LIMIT: u8 = 4;
/// The destination options header that carries the limit: 8 bytes.
pub const ENCAP_LIMIT_HDR_LEN: usize = 8;
/// `IPV6_MIN_MTU`.
pub const IPV6_MIN_MTU: u32 = 1280;
/// `IPV4_MIN_MTU`.
pub const IPV4_MIN_MTU: u32 = 68;
/// `IP6_MAX_MTU`: the largest packet without a jumbogram.
pub const IP6_MAX_MTU: u32 = 0xFFFF + HEADER_LEN as u32;

/// The parts of an address's type that decide a tunnel's capabilities
/// (`ipv6_addr_type()`).
fn addr_class(a: &Ipv6Addr) -> (bool, bool, bool, bool, bool) {
    let multicast = a.is_multicast();
    let any = a.is_unspecified();
    let loopback = a.is_loopback();
    let link_local = if multicast {
        a.octets()[1] & 0x0f == 2
    } else {
        a.octets()[0] == 0xfe && a.octets()[1] & 0xc0 == 0x80
    };
    // Everything else that is not the unspecified address (or one of the reserved
    // kinds ipv6_addr_type() leaves without a class, such as v4-compatible ::a.b.c.d,
    // which tunnels do not use) counts as unicast.
    let unicast = !multicast && !any;
    (any, unicast, multicast, loopback, link_local)
}

/// `ip6_tnl_get_cap()`: what a tunnel from `laddr` to `raddr` (over device `link`, 0
/// for any) can do: one end unspecified, decided per packet; otherwise sending needs a
/// unicast local end, receiving a unicast remote end, and neither may be loopback, nor
/// link-local without a lower device.
pub fn capabilities(laddr: &Ipv6Addr, raddr: &Ipv6Addr, link: u32) -> u32 {
    let (l_any, l_uni, l_multi, l_loop, l_ll) = addr_class(laddr);
    let (r_any, r_uni, r_multi, r_loop, r_ll) = addr_class(raddr);
    if l_any || r_any {
        return flags::CAP_PER_PACKET;
    }
    let mut f = 0;
    if (l_uni || l_multi)
        && (r_uni || r_multi)
        && !(l_loop || r_loop)
        && (!(l_ll || r_ll) || link != 0)
    {
        if l_uni {
            f |= flags::CAP_XMIT;
        }
        if r_uni {
            f |= flags::CAP_RCV;
        }
    }
    f
}

/// A tunnel's end points as received packets are matched against them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// This node's end.
    pub local: Ipv6Addr,
    /// The other end.
    pub remote: Ipv6Addr,
    /// The lower device, 0 for any.
    pub link: u32,
}

/// `ip6_tnl_lookup()`: among `len` tunnels (`at(n)`: the n-th one's end points and
/// whether its device is up; in the order mainline's hash chains would yield them,
/// newest first), the one a packet from `remote` to `local` that came in on `link`
/// belongs to: end points equal, then local only (any remote), then remote only (any
/// local), preferring a tunnel bound to `link` within each kind and otherwise the last
/// candidate of the exact kind, or the first of a wildcard kind; then the
/// collect-metadata tunnel, then the fallback device (both ends unspecified), if up.
/// Returns the index.
pub fn lookup(
    len: usize,
    at: impl Fn(usize) -> (Endpoints, bool),
    collect_md: Option<usize>,
    link: u32,
    remote: &Ipv6Addr,
    local: &Ipv6Addr,
) -> Option<usize> {
    let any = Ipv6Addr::UNSPECIFIED;
    let mut cand = None;
    let kinds: [(Ipv6Addr, Ipv6Addr); 3] = [(*local, *remote), (*local, any), (any, *remote)];
    for (i, (l, r)) in kinds.iter().enumerate() {
        for n in 0..len {
            let (e, up) = at(n);
            if !up || e.local != *l || e.remote != *r || (e.local == any && e.remote == any) {
                continue;
            }
            if e.link == link {
                return Some(n);
            }
            if i == 0 || cand.is_none() {
                cand = Some(n);
            }
        }
    }
    if cand.is_some() {
        return cand;
    }
    if let Some(n) = collect_md {
        if n < len && at(n).1 {
            return Some(n);
        }
    }
    (0..len).find(|&n| {
        let (e, up) = at(n);
        up && e.local == any && e.remote == any
    })
}

/// `ip6_tnl_link_config()`'s MTU: the lower device's MTU (at most `IP6_MAX_MTU`) less
/// the outer header and, unless `IGN_ENCAP_LIMIT`, the encapsulation limit option; at
/// least 1280.
pub fn mtu_over(lower_mtu: u32, tunnel_flags: u32) -> u32 {
    let mut mtu = lower_mtu.min(IP6_MAX_MTU) as i64 - HEADER_LEN as i64;
    if tunnel_flags & flags::IGN_ENCAP_LIMIT == 0 {
        mtu -= ENCAP_LIMIT_HDR_LEN as i64;
    }
    mtu.max(IPV6_MIN_MTU as i64) as u32
}

/// `ip6_tnl_dev_init_gen()`'s MTU before the lower device is known: an Ethernet
/// device's (1500) less the headers.
pub fn default_mtu(tunnel_flags: u32) -> u32 {
    let mut mtu = 1500 - HEADER_LEN as u32;
    if tunnel_flags & flags::IGN_ENCAP_LIMIT == 0 {
        mtu -= ENCAP_LIMIT_HDR_LEN as u32;
    }
    mtu
}

/// `ip6_tnl_parse_tlv_enc_lim()`: in `pkt` (an IPv6 packet from its header), the offset
/// of a tunnel encapsulation limit option in a destination options header before the
/// upper layer, if there is one; its value is at the offset plus 2. A header chain cut
/// short reads as none, as mainline's does where it cannot pull further.
pub fn find_encap_limit(pkt: &[u8]) -> Option<usize> {
    match scan_encap_limit(pkt) {
        EncapLimitScan::At(off) => Some(off),
        EncapLimitScan::NotThere | EncapLimitScan::Need(_) => None,
    }
}

/// What [`scan_encap_limit`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncapLimitScan {
    /// The option, at this offset from the IPv6 header.
    At(usize),
    /// No such option before the upper layer.
    NotThere,
    /// The header chain goes on past the bytes given: ask again with at least this
    /// many (for packets whose headers are not all in one buffer yet).
    Need(usize),
}

/// [`find_encap_limit`], telling a chain that goes on past `pkt` from one without the
/// option, so that a caller can make more of the packet readable and ask again.
pub fn scan_encap_limit(pkt: &[u8]) -> EncapLimitScan {
    use EncapLimitScan::*;
    let Some(&first) = pkt.get(6) else {
        return Need(HEADER_LEN);
    };
    let mut next = first;
    let mut off = HEADER_LEN;
    loop {
        // ipv6_ext_hdr(): hop-by-hop, routing, fragment, ESP, AH, none, dest.
        if ![0u8, 43, 44, 50, 51, 60].contains(&next) {
            return NotThere;
        }
        let Some(hdr) = pkt.get(off..off + 2) else {
            return Need(off + 2);
        };
        let len = match next {
            44 => 8,
            51 => (hdr[1] as usize + 2) * 4,
            _ => (hdr[1] as usize + 1) * 8,
        };
        let Some(body) = pkt.get(off..off + len) else {
            return Need(off + len);
        };
        if next == 44 && u16::from_be_bytes([body[2], body[3]]) != 0 {
            return NotThere;
        }
        if next == 60 {
            let mut i = 2;
            while i + 3 <= len {
                let (t, l) = (body[i], body.get(i + 1).copied().unwrap_or(0));
                if t == OPT_ENCAP_LIMIT && l == 1 {
                    return At(off + i);
                }
                i += if t == 0 { 1 } else { l as usize + 2 };
            }
        }
        next = hdr[0];
        off += len;
    }
}

/// `init_tel_txopt()`: the destination options header with the limit `limit` (and a
/// PadN to 8 bytes), its next header `next`.
pub fn encap_limit_header(next: u8, limit: u8) -> [u8; ENCAP_LIMIT_HDR_LEN] {
    [next, 0, OPT_ENCAP_LIMIT, 1, limit, 1, 1, 0]
}

/// How a packet leaves through a tunnel, before the route: the outer traffic class
/// (ECN included), flow label, encapsulation limit and hop limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Encap {
    /// The outer traffic class, ECN included.
    pub tclass: u8,
    /// The outer flow label (0: the automatic one).
    pub flowlabel: u32,
    /// `None`: no encapsulation limit option.
    pub encap_limit: Option<u8>,
    /// 0: the inner packet's (or the route's, for other payloads).
    pub hop_limit: u8,
}

/// Why a packet cannot go through the tunnel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncapError {
    /// The inner packet's own encapsulation limit is 0: an ICMPv6 parameter problem
    /// (header field) pointing at the limit, at this offset into the packet.
    LimitReached(usize),
    /// The tunnel does not carry this protocol, or the packet is malformed.
    Refused,
}

/// The tunnel's settings a transmission reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// 0 (any), 41 (IPv6) or 4 (IPv4).
    pub proto: u8,
    /// `IP6_TNL_F_*`.
    pub flags: u32,
    /// `flowinfo` as it is on the wire (traffic class and flow label).
    pub flowinfo: u32,
    /// The encapsulation limit to send (`IGN_ENCAP_LIMIT` aside).
    pub encap_limit: u8,
    /// The outer hop limit, 0 for the inner packet's.
    pub hop_limit: u8,
}

/// `ipxip6_tnl_xmit()` before the route: `inner` is the packet from its network header
/// (an IPv6 packet for `proto` 41, IPv4 for 4).
pub fn encap(s: &Settings, proto: u8, inner: &[u8]) -> Result<Encap, EncapError> {
    if s.proto != proto && s.proto != 0 {
        return Err(EncapError::Refused);
    }
    let mut encap_limit = (s.flags & flags::IGN_ENCAP_LIMIT == 0).then_some(s.encap_limit);
    let (orig_ds, orig_label) = match proto {
        41 => {
            let h = inner.get(..HEADER_LEN).ok_or(EncapError::Refused)?;
            if let Some(off) = find_encap_limit(inner) {
                let limit = inner[off + 2];
                if limit == 0 {
                    return Err(EncapError::LimitReached(off + 2));
                }
                encap_limit = Some(limit - 1);
            }
            let w = u32::from_be_bytes([h[0], h[1], h[2], h[3]]);
            (((w >> 20) & 0xff) as u8, w & 0xfffff)
        }
        4 => (*inner.get(1).ok_or(EncapError::Refused)?, 0),
        _ => return Err(EncapError::Refused),
    };
    let fixed_ds = ((s.flowinfo >> 20) & 0xff) as u8;
    let ds = if s.flags & flags::USE_ORIG_TCLASS != 0 {
        orig_ds
    } else {
        fixed_ds
    };
    let mut flowlabel = if s.flags & flags::USE_ORIG_FLOWLABEL == 0 {
        s.flowinfo & 0xfffff
    } else {
        0
    };
    if proto == 41 && s.flags & flags::USE_ORIG_FLOWLABEL != 0 {
        flowlabel |= orig_label;
    }
    Ok(Encap {
        tclass: ecn_encapsulate(ds, orig_ds),
        flowlabel,
        encap_limit,
        hop_limit: s.hop_limit,
    })
}

/// `ipxip6_tnl_xmit()` for an external (`collect_md`) tunnel, whose packets carry their
/// own tunnel key: its traffic class (with the inner ECN), flow label and hop limit, no
/// encapsulation limit option. `inner` as for [`encap`]; `proto` is the tunnel's own
/// (0 for any) and `payload` the packet's.
pub fn encap_md(
    tunnel_proto: u8,
    payload: u8,
    key_tos: u8,
    key_label: u32,
    key_ttl: u8,
    inner: &[u8],
) -> Result<Encap, EncapError> {
    if tunnel_proto != payload && tunnel_proto != 0 {
        return Err(EncapError::Refused);
    }
    let orig_ds = match payload {
        41 => {
            let h = inner.get(..2).ok_or(EncapError::Refused)?;
            ((u16::from_be_bytes([h[0], h[1]]) >> 4) & 0xff) as u8
        }
        4 => *inner.get(1).ok_or(EncapError::Refused)?,
        _ => return Err(EncapError::Refused),
    };
    Ok(Encap {
        tclass: ecn_encapsulate(key_tos, orig_ds),
        flowlabel: key_label & 0xfffff,
        encap_limit: None,
        hop_limit: key_ttl,
    })
}

/// `INET_ECN_encapsulate()`: the outer field's DSCP with the inner ECN, where the inner
/// is ECN-capable (CE is carried as ECT(0)).
pub fn ecn_encapsulate(outer: u8, inner: u8) -> u8 {
    let outer = outer & !3;
    let ecn = inner & 3;
    outer | if ecn == 3 { 2 } else { ecn }
}

/// `__INET_ECN_decapsulate()` (RFC 6040 §4.2): what becomes of a packet whose outer
/// ECN field is `outer` and inner `inner`.
pub fn ecn_decapsulate(outer: u8, inner: u8) -> EcnDecap {
    let (o, i) = (outer & 3, inner & 3);
    if i == 0 {
        // Not-ECT inside.
        return match o {
            3 => EcnDecap::Drop,
            0 => EcnDecap::Keep,
            _ => EcnDecap::Log,
        };
    }
    if o == 3 {
        EcnDecap::SetCe
    } else {
        EcnDecap::Keep
    }
}

/// `ip6_tnl_err()`: what an ICMPv6 error (`t`, `code`, `info`) about one of the
/// tunnel's outer packets makes the tunnel tell the inner packet's source, if anything:
/// the address unreachable for an unreachable destination, an exhausted hop limit, or
/// an encapsulation limit at 0 (a parameter problem pointing at it); packet too big
/// with the room left for the inner packet (at least 1280) where it does not fit.
/// `quoted` is the quoted outer packet from its IPv6 header, `offset` where the inner
/// packet starts in it. (Mainline also updates the outer path MTU, and follows
/// redirects, which the caller does.)
pub fn relay_error(
    t: u8,
    code: u8,
    info: u32,
    offset: usize,
    quoted: &[u8],
) -> Option<(u8, u8, u32)> {
    const DEST_UNREACH: u8 = 1;
    const PKT_TOOBIG: u8 = 2;
    const TIME_EXCEED: u8 = 3;
    const PARAMPROB: u8 = 4;
    const ADDR_UNREACH: u8 = 3;
    let unreach = Some((DEST_UNREACH, ADDR_UNREACH, 0));
    match t {
        DEST_UNREACH => unreach,
        TIME_EXCEED if code == 0 => unreach,
        PARAMPROB if code == 0 => {
            let at = find_encap_limit(quoted)?;
            (at as u32 == info.wrapping_sub(2) && quoted.get(at + 2) == Some(&0))
                .then_some(unreach?)
        }
        PKT_TOOBIG => {
            let mtu = info.saturating_sub(offset as u32).max(IPV6_MIN_MTU);
            let payload = u16::from_be_bytes([*quoted.get(4)?, *quoted.get(5)?]) as u32;
            (HEADER_LEN as u32 + payload > mtu).then_some((PKT_TOOBIG, 0, mtu))
        }
        _ => None,
    }
}

/// `ip4ip6_err()`: the ICMP (IPv4) form of a relayed error for IPv4 inside: host
/// unreachable for address unreachable, fragmentation needed for packet too big;
/// nothing for the others.
pub fn relay_error_v4(t: u8, code: u8) -> Option<(u8, u8)> {
    match (t, code) {
        (1, 3) => Some((3, 1)),
        (2, 0) => Some((3, 4)),
        _ => None,
    }
}

/// The outcome of [`ecn_decapsulate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EcnDecap {
    /// Deliver it as it is.
    Keep,
    /// Set the inner packet's ECN field to CE.
    SetCe,
    /// Keep it, with a rate-limited log line (`non-ECT from ... with DS=...`).
    Log,
    /// Drop the packet (CE outside, not-ECT inside), counted as a frame error.
    Drop,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    #[test]
    fn external_tunnels() {
        let mut v6 = [0u8; 40];
        v6[0] = 0x6b; // traffic class 0xb9: ECT(1)
        v6[1] = 0x90;
        let e = encap_md(0, 41, 0x20, 0x12345, 7, &v6).unwrap();
        assert_eq!(
            (e.tclass, e.flowlabel, e.encap_limit, e.hop_limit),
            (0x21, 0x12345, None, 7)
        );
        let v4 = [0x45, 0x03, 0, 20];
        assert_eq!(encap_md(4, 4, 0, 0, 0, &v4).unwrap().tclass, 2);
        assert_eq!(encap_md(41, 4, 0, 0, 0, &v4), Err(EncapError::Refused));
    }

    #[test]
    fn caps() {
        let (l, r) = (a("2001:db8::1"), a("2001:db8::2"));
        assert_eq!(capabilities(&l, &r, 0), flags::CAP_XMIT | flags::CAP_RCV);
        assert_eq!(capabilities(&l, &a("::"), 0), flags::CAP_PER_PACKET);
        assert_eq!(capabilities(&a("fe80::1"), &r, 0), 0);
        assert_eq!(
            capabilities(&a("fe80::1"), &r, 3),
            flags::CAP_XMIT | flags::CAP_RCV
        );
        assert_eq!(capabilities(&l, &a("ff02::1"), 3), flags::CAP_XMIT);
        assert_eq!(capabilities(&a("::1"), &r, 0), 0);
    }

    #[test]
    fn lookup_order() {
        let e = |l: &str, r: &str, link| Endpoints {
            local: a(l),
            remote: a(r),
            link,
        };
        let t = [
            (e("::", "::", 0), true),
            (e("2001:db8::1", "::", 0), true),
            (e("2001:db8::1", "2001:db8::2", 5), true),
            (e("2001:db8::1", "2001:db8::2", 0), true),
        ];
        let (l, r) = (a("2001:db8::1"), a("2001:db8::2"));
        let find = |t: &[(Endpoints, bool)], link, r: &Ipv6Addr, l: &Ipv6Addr| {
            lookup(t.len(), |n| t[n], None, link, r, l)
        };
        assert_eq!(find(&t, 0, &r, &l), Some(3));
        assert_eq!(find(&t, 5, &r, &l), Some(2));
        assert_eq!(find(&t, 0, &a("2001:db8::9"), &l), Some(1));
        assert_eq!(find(&t, 0, &r, &a("2001:db8::7")), Some(0));
        let mut down = t;
        down[0].1 = false;
        assert_eq!(find(&down, 0, &r, &a("2001:db8::7")), None);
    }

    #[test]
    fn mtu() {
        assert_eq!(default_mtu(0), 1452);
        assert_eq!(default_mtu(flags::IGN_ENCAP_LIMIT), 1460);
        assert_eq!(mtu_over(1500, 0), 1452);
        assert_eq!(mtu_over(1300, 0), 1280);
        assert_eq!(mtu_over(70000, flags::IGN_ENCAP_LIMIT), 0xFFFF);
    }

    fn ip6(next: u8, tclass: u8, label: u32, ext: &[u8]) -> [u8; 64] {
        let mut p = [0u8; 64];
        let w = (6u32 << 28) | ((tclass as u32) << 20) | label;
        p[..4].copy_from_slice(&w.to_be_bytes());
        p[6] = next;
        p[40..40 + ext.len()].copy_from_slice(ext);
        p
    }

    #[test]
    fn encap_limit_scan_asks_for_more() {
        let mut p = [0u8; 56];
        p[0] = 0x60;
        p[6] = 60;
        p[40] = 17;
        p[42..48].copy_from_slice(&[OPT_ENCAP_LIMIT, 1, 4, 1, 1, 0]);
        assert_eq!(scan_encap_limit(&p[..5]), EncapLimitScan::Need(40));
        assert_eq!(scan_encap_limit(&p[..10]), EncapLimitScan::Need(42));
        assert_eq!(scan_encap_limit(&p[..41]), EncapLimitScan::Need(42));
        assert_eq!(scan_encap_limit(&p[..44]), EncapLimitScan::Need(48));
        assert_eq!(scan_encap_limit(&p[..48]), EncapLimitScan::At(42));
        assert_eq!(find_encap_limit(&p[..44]), None);
        p[6] = 17;
        assert_eq!(scan_encap_limit(&p), EncapLimitScan::NotThere);
    }

    #[test]
    fn encap_limit() {
        let p = ip6(60, 0, 0, &encap_limit_header(17, 3));
        assert_eq!(find_encap_limit(&p), Some(42));
        let s = Settings {
            proto: 0,
            flags: 0,
            flowinfo: 0,
            encap_limit: 4,
            hop_limit: 64,
        };
        assert_eq!(encap(&s, 41, &p).unwrap().encap_limit, Some(2));
        let p = ip6(60, 0, 0, &encap_limit_header(17, 0));
        assert_eq!(encap(&s, 41, &p), Err(EncapError::LimitReached(44)));
        let p = ip6(17, 0, 0, &[]);
        assert_eq!(find_encap_limit(&p), None);
        assert_eq!(encap(&s, 41, &p).unwrap().encap_limit, Some(4));
        let ign = Settings {
            flags: flags::IGN_ENCAP_LIMIT,
            ..s
        };
        assert_eq!(encap(&ign, 41, &p).unwrap().encap_limit, None);
        assert_eq!(
            encap(&Settings { proto: 4, ..s }, 41, &p),
            Err(EncapError::Refused)
        );
    }

    #[test]
    fn tclass_and_label() {
        let p = ip6(17, 0xb9, 0x12345, &[]);
        let s = Settings {
            proto: 41,
            flags: 0,
            flowinfo: (0x20 << 20) | 0x777,
            encap_limit: 4,
            hop_limit: 0,
        };
        let e = encap(&s, 41, &p).unwrap();
        // Fixed DSCP, the inner ECT(1) carried.
        assert_eq!((e.tclass, e.flowlabel), (0x21, 0x777));
        let s = Settings {
            flags: flags::USE_ORIG_TCLASS | flags::USE_ORIG_FLOWLABEL,
            ..s
        };
        let e = encap(&s, 41, &p).unwrap();
        assert_eq!((e.tclass, e.flowlabel), (0xb9, 0x12345));
        // CE inside goes out as ECT(0).
        assert_eq!(ecn_encapsulate(0, 3), 2);
    }

    #[test]
    fn relayed_errors() {
        let mut p = ip6(60, 0, 0, &encap_limit_header(41, 0));
        p[4..6].copy_from_slice(&1400u16.to_be_bytes());
        assert_eq!(relay_error(1, 0, 0, 48, &p), Some((1, 3, 0)));
        assert_eq!(relay_error(3, 1, 0, 48, &p), None);
        assert_eq!(relay_error(3, 0, 0, 48, &p), Some((1, 3, 0)));
        // The parameter problem must point at the limit (at 42, its value at 44).
        assert_eq!(relay_error(4, 0, 44, 48, &p), Some((1, 3, 0)));
        assert_eq!(relay_error(4, 0, 6, 48, &p), None);
        assert_eq!(relay_error(2, 0, 1400, 48, &p), Some((2, 0, 1352)));
        assert_eq!(relay_error(2, 0, 1300, 48, &p), Some((2, 0, 1280)));
        assert_eq!(relay_error(2, 0, 1500, 48, &p), None);
        assert_eq!(relay_error_v4(1, 3), Some((3, 1)));
        assert_eq!(relay_error_v4(2, 0), Some((3, 4)));
        assert_eq!(relay_error_v4(1, 0), None);
    }

    #[test]
    fn ecn_decap() {
        assert_eq!(ecn_decapsulate(3, 2), EcnDecap::SetCe);
        assert_eq!(ecn_decapsulate(3, 0), EcnDecap::Drop);
        assert_eq!(ecn_decapsulate(1, 0), EcnDecap::Log);
        assert_eq!(ecn_decapsulate(2, 0), EcnDecap::Log);
        assert_eq!(ecn_decapsulate(0, 0), EcnDecap::Keep);
        assert_eq!(ecn_decapsulate(0, 1), EcnDecap::Keep);
    }
}
