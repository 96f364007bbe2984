// SPDX-License-Identifier: GPL-2.0

//! IPv6 over IPv4 tunnels, sit, as mainline's `net/ipv6/sit.c` decides them: which
//! tunnel a received packet belongs to (`ipip6_tunnel_lookup()`), where a packet goes
//! (a configured remote end, ISATAP's next hop (RFC 5214), the IPv4 address a 6rd or
//! 6to4 destination embeds (RFC 5969, RFC 3056), an IPv4-compatible next hop
//! `::a.b.c.d`), the outer path MTU, the checks against spoofed sources on receipt,
//! and what an ICMP error about an outer packet makes the tunnel do.

use crate::anycast::prefix_equal;
use core::net::{Ipv4Addr, Ipv6Addr};

/// The outer IPv4 header without options.
pub const OUTER_HEADER: u32 = crate::wire::ipv4::HEADER_LEN as u32;
/// The smallest IPv4 MTU (`IPV4_MIN_MTU`).
pub const IPV4_MIN_MTU: u32 = 68;
/// The smallest IPv6 MTU.
pub const IPV6_MIN_MTU: u32 = 1280;
/// A tunnel's `tos` of 1: the outer DSCP is the inner packet's (`ip tunnel ... tos inherit`).
pub const TOS_INHERIT: u8 = 1;
/// `PRL_DEFAULT`: a potential router that may be a default router.
pub const PRL_DEFAULT: u16 = 0x0001;

/// `NDISC_NODETYPE_*`: what an ISATAP packet's source is (`skb->ndisc_nodetype`).
pub mod nodetype {
    /// A host (an ISATAP address on one of our prefixes).
    pub const HOST: u8 = 1;
    /// A potential router that may not be a default router.
    pub const NODEFAULT: u8 = 2;
    /// A potential router that may be a default router.
    pub const DEFAULT: u8 = 3;
}

/// A sit tunnel's end points as received packets are matched against them
/// (`parms.iph.saddr`, `parms.iph.daddr`, `parms.link`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// This node's end, unspecified for any.
    pub local: Ipv4Addr,
    /// The other end, unspecified for any.
    pub remote: Ipv4Addr,
    /// The lower device, 0 for any.
    pub link: u32,
}

impl Endpoints {
    /// `__ipip6_bucket()`'s priority: 3 with both ends, 2 remote only, 1 local only,
    /// 0 neither (the wildcard tunnel, `sit0` or one that replaces it).
    fn prio(&self) -> u8 {
        (u8::from(!self.remote.is_unspecified()) << 1) | u8::from(!self.local.is_unspecified())
    }
}

/// `ipip6_tunnel_lookup()`: among `len` tunnels (`at(n)`: the n-th one's end points and
/// whether its device is up, newest first as mainline's hash chains), the one a packet
/// from `remote` to `local` that came in on device `ifindex` (`sifindex`: the enslaved
/// device under an L3 master, else 0) belongs to: both ends equal, then the remote end
/// only, then the local end only, among tunnels bound to no device or to that one;
/// then the newest wildcard tunnel if it is up.
pub fn lookup(
    len: usize,
    at: impl Fn(usize) -> (Endpoints, bool),
    remote: Ipv4Addr,
    local: Ipv4Addr,
    ifindex: u32,
    sifindex: u32,
) -> Option<usize> {
    let link_ok = |l: u32| l == 0 || l == ifindex || (sifindex != 0 && l == sifindex);
    let matches = |e: &Endpoints, prio: u8| match prio {
        3 => e.local == local && e.remote == remote,
        2 => e.remote == remote,
        _ => e.local == local,
    };
    for prio in [3, 2, 1] {
        let found = (0..len).find(|&n| {
            let (e, up) = at(n);
            e.prio() == prio && matches(&e, prio) && link_ok(e.link) && up
        });
        if found.is_some() {
            return found;
        }
    }
    let wc = (0..len).find(|&n| at(n).0.prio() == 0)?;
    at(wc).1.then_some(wc)
}

/// The 6rd parameters of a tunnel (`struct ip_tunnel_6rd_parm`): the IPv6 prefix its
/// delegated prefixes start with, and which bits of the IPv4 addresses follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ip6rd {
    /// The 6rd prefix.
    pub prefix: Ipv6Addr,
    /// The leading bits of every IPv4 address, not carried in the IPv6 prefix.
    pub relay_prefix: Ipv4Addr,
    /// Its length.
    pub prefixlen: u16,
    /// The relay prefix's length.
    pub relay_prefixlen: u16,
}

impl Ip6rd {
    /// `ipip6_tunnel_clone_6rd()`'s default: 6to4, `2002::/16` followed by the whole
    /// IPv4 address.
    pub const SIX_TO_FOUR: Self = Self {
        prefix: Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0),
        relay_prefix: Ipv4Addr::UNSPECIFIED,
        prefixlen: 16,
        relay_prefixlen: 0,
    };

    /// `ipip6_tunnel_update_6rd()`'s checks: the relay prefix at most 32 bits, prefix
    /// and address bits together at most 64, and neither with bits set past its
    /// length; `EINVAL` otherwise.
    pub fn validate(&self) -> Result<Self, i32> {
        let rpl = u32::from(self.relay_prefixlen);
        if rpl > 32 || u32::from(self.prefixlen) + (32 - rpl) > 64 {
            return Err(crate::errno::EINVAL);
        }
        let p = u128::from(self.prefix);
        let mask = match self.prefixlen {
            0 => 0,
            l => u128::MAX << (128 - u32::from(l)),
        };
        let relay = u32::from(self.relay_prefix);
        let rmask = if rpl == 0 { 0 } else { u32::MAX << (32 - rpl) };
        if p & mask != p || relay & rmask != relay {
            return Err(crate::errno::EINVAL);
        }
        Ok(*self)
    }

    /// `check_6rd()`: the IPv4 address that `v6`, an address under the 6rd prefix,
    /// embeds (the relay prefix, then the bits after the 6rd prefix); `None` for
    /// addresses outside it.
    pub fn embedded_v4(&self, v6: &Ipv6Addr) -> Option<Ipv4Addr> {
        let plen = u8::try_from(self.prefixlen).ok()?;
        if !prefix_equal(v6, &self.prefix, plen) {
            return None;
        }
        let o = v6.octets();
        let word = |i: usize| -> u32 {
            o.get(i * 4..i * 4 + 4)
                .map_or(0, |w| u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
        };
        let (pbw0, pbi0) = (
            usize::from(self.prefixlen >> 5),
            u32::from(self.prefixlen & 31),
        );
        let rpl = u32::from(self.relay_prefixlen);
        let mut d = if rpl < 32 {
            (word(pbw0) << pbi0) >> rpl
        } else {
            0
        };
        let pbi1 = pbi0 as i32 - rpl as i32;
        if pbi1 > 0 {
            d |= word(pbw0 + 1) >> (32 - pbi1 as u32);
        }
        Some(Ipv4Addr::from(u32::from(self.relay_prefix) | d))
    }

    /// `only_dnatted()`'s prefix length: the 6rd prefix and the IPv4 bits it carries.
    pub fn delegated_len(&self) -> u8 {
        (i32::from(self.prefixlen) + 32 - i32::from(self.relay_prefixlen)).clamp(0, 128) as u8
    }
}

/// `ipv6_addr_is_isatap()`: an interface identifier of ISATAP's form
/// (`[02]00:5efe:a.b.c.d`).
pub fn is_isatap(a: &Ipv6Addr) -> bool {
    let o = a.octets();
    (u32::from_be_bytes([o[8], o[9], o[10], o[11]]) | 0x0200_0000) == 0x0200_5efe
}

/// The IPv4 address in an IPv4-compatible address `::a.b.c.d`
/// (`IPV6_ADDR_COMPATv4`: neither `::` nor `::1`).
pub fn compat_v4(a: &Ipv6Addr) -> Option<Ipv4Addr> {
    let o = a.octets();
    let v4 = u32::from_be_bytes([o[12], o[13], o[14], o[15]]);
    (o[..12].iter().all(|&b| b == 0) && v4 > 1).then(|| Ipv4Addr::from(v4))
}

/// The low 32 bits of an address, as an IPv4 address.
fn low_v4(a: &Ipv6Addr) -> Ipv4Addr {
    let o = a.octets();
    Ipv4Addr::new(o[12], o[13], o[14], o[15])
}

/// `ipip6_tunnel_xmit()`'s choice of the outer destination for a packet to `inner_dst`:
/// on an ISATAP tunnel the address in the next hop's ISATAP identifier; else the
/// tunnel's remote end; else the IPv4 address a 6rd (6to4) destination embeds; else the
/// one in an IPv4-compatible next hop. `nexthop` gives the next hop (the route's
/// gateway, or `inner_dst` on the link; `None` without a route). `None`: the packet
/// cannot be sent.
pub fn xmit_dst(
    remote: Ipv4Addr,
    isatap: bool,
    ip6rd: &Ip6rd,
    inner_dst: &Ipv6Addr,
    nexthop: impl Fn() -> Option<Ipv6Addr>,
) -> Option<Ipv4Addr> {
    let mut dst = remote;
    if isatap {
        let nh = nexthop()?;
        if nh.is_multicast() || nh.is_unspecified() || !is_isatap(&nh) {
            return None;
        }
        dst = low_v4(&nh);
    }
    if dst.is_unspecified() {
        dst = ip6rd
            .embedded_v4(inner_dst)
            .unwrap_or(Ipv4Addr::UNSPECIFIED);
    }
    if dst.is_unspecified() {
        let nh = nexthop()?;
        let nh = if nh.is_unspecified() { *inner_dst } else { nh };
        dst = compat_v4(&nh)?;
    }
    Some(dst)
}

/// `ipip6_tunnel_xmit()`'s MTU with the DF bit set: the outer route's MTU less the
/// tunnel's headers; an outer path narrower than IPv6's minimum carries 1280-byte
/// packets fragmented (DF cleared: the second value), one narrower than IPv4's is a
/// collision (`None`).
pub fn inner_mtu(route_mtu: u32, t_hlen: u32) -> Option<(u32, bool)> {
    let mtu = i64::from(route_mtu) - i64::from(t_hlen);
    if mtu < i64::from(IPV4_MIN_MTU) {
        return None;
    }
    if mtu < i64::from(IPV6_MIN_MTU) {
        return Some((IPV6_MIN_MTU, false));
    }
    Some((mtu as u32, true))
}

/// The outer type of service for an inner packet with traffic class `inner_ds`:
/// the tunnel's (or, with [`TOS_INHERIT`], the inner DSCP) with the inner ECN field
/// (`INET_ECN_encapsulate()`).
pub fn outer_tos(tos: u8, inner_ds: u8) -> u8 {
    let tos = if tos == TOS_INHERIT { inner_ds } else { tos };
    crate::tunnel::ecn_encapsulate(tos, inner_ds)
}

/// Why a received packet was refused as spoofed ([`check_source`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spoofed {
    /// ISATAP: the source is no potential router and no host on our prefixes.
    Isatap,
    /// 6rd: the inner source does not embed the outer one ("Src spoofed").
    Src,
    /// 6rd: the inner destination does not embed the outer one ("Dst spoofed").
    Dst,
}

/// The tunnel's side of [`check_source`].
#[derive(Clone, Copy)]
pub struct RcvCheck<'a> {
    /// An ISATAP tunnel (`IFF_ISATAP`).
    pub isatap: bool,
    /// A point-to-point tunnel (a remote end configured).
    pub p2p: bool,
    /// Its 6rd parameters.
    pub ip6rd: &'a Ip6rd,
    /// ISATAP: the `PRL_*` flags of the outer source, if it is a potential router.
    pub prl: Option<u16>,
}

/// `packet_is_spoofed()` for an IPv6 packet `inner_src` to `inner_dst` that came in an
/// IPv4 packet `outer_src` to `outer_dst`: on ISATAP tunnels, the outer source must be
/// a potential router (`t.prl`), or the inner source an
/// ISATAP address embedding it on one of the tunnel's prefixes (`on_prefix`); on
/// other multipoint tunnels, 6rd addresses must embed the outer addresses (the
/// destination may instead be on a delegated prefix of ours, `on_delegated`, for
/// packets a NAT rewrote). `Ok` gives the ISATAP node type to record, if any.
pub fn check_source(
    t: &RcvCheck<'_>,
    outer_src: Ipv4Addr,
    outer_dst: Ipv4Addr,
    inner_src: &Ipv6Addr,
    inner_dst: &Ipv6Addr,
    on_prefix: impl FnOnce(&Ipv6Addr) -> bool,
    on_delegated: impl FnOnce(&Ipv6Addr, u8) -> bool,
) -> Result<Option<u8>, Spoofed> {
    if t.isatap {
        return match t.prl {
            Some(f) if f & PRL_DEFAULT != 0 => Ok(Some(nodetype::DEFAULT)),
            Some(_) => Ok(Some(nodetype::NODEFAULT)),
            None if is_isatap(inner_src)
                && low_v4(inner_src) == outer_src
                && on_prefix(inner_src) =>
            {
                Ok(Some(nodetype::HOST))
            }
            None => Err(Spoofed::Isatap),
        };
    }
    if t.p2p {
        return Ok(None);
    }
    let spoofed = |v4: Ipv4Addr, v6: &Ipv6Addr| t.ip6rd.embedded_v4(v6).is_some_and(|e| e != v4);
    if spoofed(outer_src, inner_src) {
        return Err(Spoofed::Src);
    }
    if !spoofed(outer_dst, inner_dst) || on_delegated(inner_dst, t.ip6rd.delegated_len()) {
        return Ok(None);
    }
    Err(Spoofed::Dst)
}

use crate::wire::ipv4::icmp as icmp4;

/// What an ICMP error about one of a tunnel's outer packets makes it do ([`err_action`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrAction {
    /// Nothing, and the error is not looked at further (`ipip6_err()` returns 0).
    Ignore,
    /// Lower the outer path MTU (fragmentation needed).
    UpdatePmtu,
    /// Follow the redirect for the outer path.
    Redirect,
    /// Tell the inner packet's source (`ip6_err_gen_icmpv6_unreach()`): time exceeded
    /// with `time_exceeded`, else address unreachable; `data_len` is the RFC 4884
    /// length of the original datagram the error gives (0 for none).
    Relay {
        /// Time exceeded rather than unreachable.
        time_exceeded: bool,
        /// RFC 4884's "length" in bytes.
        data_len: u32,
    },
}

/// `ipip6_err()`'s choice for ICMP error `t`/`code`; `length` is the RFC 4884 length
/// byte of a time exceeded message (`un.reserved[1]`, in 32-bit words).
pub fn err_action(t: u8, code: u8, length: u8) -> ErrAction {
    match t {
        icmp4::DEST_UNREACH if code == icmp4::SR_FAILED => ErrAction::Ignore,
        icmp4::DEST_UNREACH if code == icmp4::FRAG_NEEDED => ErrAction::UpdatePmtu,
        icmp4::DEST_UNREACH => ErrAction::Relay {
            time_exceeded: false,
            data_len: 0,
        },
        icmp4::TIME_EXCEEDED if code == icmp4::EXC_TTL => ErrAction::Relay {
            time_exceeded: true,
            data_len: u32::from(length) * 4,
        },
        icmp4::REDIRECT => ErrAction::Redirect,
        _ => ErrAction::Ignore,
    }
}

/// RFC 5214's interface identifier for an ISATAP tunnel with local address `v4`
/// (`__ipv6_isatap_ifid()`): `[02]00:5efe:` and the address, the universal bit set for
/// a globally unique one; `None` without a local address.
pub fn isatap_interface_id(v4: Ipv4Addr) -> Option<[u8; 8]> {
    if v4.is_unspecified() {
        return None;
    }
    let o = v4.octets();
    let a = u32::from(v4);
    let in_net = |net: u32, len: u32| a & (u32::MAX << (32 - len)) == net;
    let local = o[0] == 0
        || o[0] == 10
        || o[0] == 127
        || in_net(0xa9fe_0000, 16)
        || in_net(0xac10_0000, 12)
        || in_net(0xc000_0200, 24)
        || in_net(0xc058_6300, 24)
        || in_net(0xc0a8_0000, 16)
        || in_net(0xc612_0000, 15)
        || v4.is_multicast()
        || v4.is_broadcast();
    Some([
        if local { 0 } else { 2 },
        0,
        0x5e,
        0xfe,
        o[0],
        o[1],
        o[2],
        o[3],
    ])
}

/// An IPv4 address of a device that is up, as [`v4_addrs`] takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct V4Addr {
    /// Its device.
    pub ifindex: u32,
    /// The address.
    pub addr: Ipv4Addr,
    /// Its scope (`RT_SCOPE_*`).
    pub scope: u8,
}

/// An address [`v4_addrs`] gives a sit device: the address, its prefix length and its
/// `inet6_ifaddr` scope (`IPV6_ADDR_COMPATv4`, `IFA_LINK`, `IFA_HOST`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SitAddr {
    /// The address.
    pub addr: Ipv6Addr,
    /// Its prefix length.
    pub prefix_len: u8,
    /// Its scope flags.
    pub scope: u8,
}

/// `IPV6_ADDR_COMPATv4`, the scope of IPv4-compatible addresses.
pub const SCOPE_COMPATV4: u8 = 0x80;
const SCOPE_HOST: u8 = 0x10;
const SCOPE_LINK: u8 = 0x20;
const RT_SCOPE_LINK: u8 = 253;
const RT_SCOPE_HOST: u8 = 254;

/// `add_v4_addrs()`: the addresses a (non-ISATAP) sit device with local address
/// `local` gets when it comes up. A multipoint device gets IPv4-compatible addresses
/// (`::a.b.c.d/96`), a point-to-point one link-local addresses (`fe80::a.b.c.d/64`,
/// none in `addr_gen_mode` none, `gen_none`): of its local address if it has one,
/// else of every IPv4 address of the node that is up (`addrs`, in the kernel's order),
/// but link-scoped ones, and host-scoped ones on point-to-point devices (on others
/// they are host-scoped, as are the rest of that device's).
pub fn v4_addrs(
    local: Ipv4Addr,
    p2p: bool,
    gen_none: bool,
    addrs: &[V4Addr],
    mut f: impl FnMut(SitAddr),
) {
    let (prefix, plen, scope) = if p2p {
        if gen_none {
            return;
        }
        (0xfe80u128 << 112, 64, SCOPE_LINK)
    } else {
        (0, 96, SCOPE_COMPATV4)
    };
    let make = |v4: Ipv4Addr, scope: u8| SitAddr {
        addr: Ipv6Addr::from(prefix | u128::from(u32::from(v4))),
        prefix_len: plen,
        scope,
    };
    if !local.is_unspecified() {
        return f(make(local, scope));
    }
    let mut flag = scope;
    let mut dev = None;
    for a in addrs {
        if dev != Some(a.ifindex) {
            // Mainline's flag starts again for each device.
            dev = Some(a.ifindex);
            flag = scope;
        }
        if a.scope == RT_SCOPE_LINK {
            continue;
        }
        if a.scope >= RT_SCOPE_HOST {
            if p2p {
                continue;
            }
            flag |= SCOPE_HOST;
        }
        f(make(a.addr, flag));
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::{vec, vec::Vec};

    fn v4(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }
    fn v6(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }
    fn ep(l: &str, r: &str, link: u32) -> Endpoints {
        Endpoints {
            local: v4(l),
            remote: v4(r),
            link,
        }
    }

    #[test]
    fn lookup_order() {
        let t = [
            ep("0.0.0.0", "0.0.0.0", 0),   // sit0
            ep("10.0.0.1", "0.0.0.0", 0),  // local only
            ep("0.0.0.0", "10.0.0.2", 0),  // remote only
            ep("10.0.0.1", "10.0.0.2", 7), // both, bound to 7
        ];
        // Newest first: reverse.
        let up = [true; 4];
        let at = |n: usize| (t[3 - n], up[3 - n]);
        let l = |r, lo, i| lookup(4, at, v4(r), v4(lo), i, 0).map(|n| 3 - n);
        assert_eq!(l("10.0.0.2", "10.0.0.1", 7), Some(3));
        // Bound elsewhere: the remote-only tunnel.
        assert_eq!(l("10.0.0.2", "10.0.0.1", 8), Some(2));
        assert_eq!(l("10.0.0.9", "10.0.0.1", 8), Some(1));
        assert_eq!(l("10.0.0.9", "10.0.0.8", 8), Some(0));
        // A wildcard tunnel that is down hides the one behind it.
        let t2 = [ep("0.0.0.0", "0.0.0.0", 0), ep("0.0.0.0", "0.0.0.0", 0)];
        let at2 = |n: usize| (t2[n], n == 1);
        assert_eq!(lookup(2, at2, v4("1.1.1.1"), v4("2.2.2.2"), 1, 0), None);
        // Under an L3 master the enslaved device counts too.
        assert_eq!(
            lookup(4, at, v4("10.0.0.2"), v4("10.0.0.1"), 9, 7).map(|n| 3 - n),
            Some(3)
        );
    }

    #[test]
    fn six_rd() {
        let d = Ip6rd::SIX_TO_FOUR;
        assert_eq!(d.validate(), Ok(d));
        assert_eq!(
            d.embedded_v4(&v6("2002:c000:201::1")),
            Some(v4("192.0.2.1"))
        );
        assert_eq!(d.embedded_v4(&v6("2001:db8::1")), None);
        assert_eq!(d.delegated_len(), 48);
        // RFC 5969 example: 2001:db8::/32, relay prefix 10.0.0.0/8: 24 bits follow.
        let r = Ip6rd {
            prefix: v6("2001:db8::"),
            relay_prefix: v4("10.0.0.0"),
            prefixlen: 32,
            relay_prefixlen: 8,
        };
        assert_eq!(r.validate(), Ok(r));
        assert_eq!(
            r.embedded_v4(&v6("2001:db8:0102:0300::1")),
            Some(v4("10.1.2.3"))
        );
        assert_eq!(r.delegated_len(), 56);
        // An odd split: /30 and 4 relay bits, so the address crosses a word.
        let r = Ip6rd {
            prefix: v6("2001:db8::"),
            relay_prefix: v4("192.0.0.0"),
            prefixlen: 30,
            relay_prefixlen: 4,
        };
        assert_eq!(r.validate(), Ok(r));
        // 192.0.2.1 less its top 4 bits: 0x00_00_02_01 as 28 bits after bit 30.
        let a = u128::from(v6("2001:db8::")) | ((0x0000201u128) << (128 - 30 - 28));
        assert_eq!(r.embedded_v4(&Ipv6Addr::from(a)), Some(v4("192.0.2.1")));
        // Refused: too long, host bits in the prefix or the relay prefix.
        let bad = |p: &str, pl, rp: &str, rpl| {
            Ip6rd {
                prefix: v6(p),
                relay_prefix: v4(rp),
                prefixlen: pl,
                relay_prefixlen: rpl,
            }
            .validate()
        };
        assert_eq!(
            bad("2001:db8::", 48, "0.0.0.0", 0),
            Err(crate::errno::EINVAL)
        );
        assert_eq!(
            bad("2001:db8::1", 32, "0.0.0.0", 0),
            Err(crate::errno::EINVAL)
        );
        assert_eq!(
            bad("2001:db8::", 32, "10.0.0.1", 8),
            Err(crate::errno::EINVAL)
        );
        assert_eq!(
            bad("2001:db8::", 32, "10.0.0.0", 33),
            Err(crate::errno::EINVAL)
        );
        assert_eq!(
            bad("2001:db8::", 32, "10.0.0.0", 0),
            Err(crate::errno::EINVAL)
        );
        assert!(bad("::", 0, "0.0.0.0", 0).is_ok());
    }

    #[test]
    fn destinations() {
        let d = Ip6rd::SIX_TO_FOUR;
        let none = || None;
        // A configured remote end.
        assert_eq!(
            xmit_dst(v4("10.0.0.2"), false, &d, &v6("2001:db8::1"), none),
            Some(v4("10.0.0.2"))
        );
        // 6to4.
        assert_eq!(
            xmit_dst(Ipv4Addr::UNSPECIFIED, false, &d, &v6("2002:a00:3::1"), none),
            Some(v4("10.0.0.3"))
        );
        // An IPv4-compatible gateway, or destination on the link.
        let gw = || Some(v6("::10.0.0.4"));
        assert_eq!(
            xmit_dst(Ipv4Addr::UNSPECIFIED, false, &d, &v6("2001:db8::1"), gw),
            Some(v4("10.0.0.4"))
        );
        let on_link = || Some(Ipv6Addr::UNSPECIFIED);
        assert_eq!(
            xmit_dst(Ipv4Addr::UNSPECIFIED, false, &d, &v6("::10.0.0.5"), on_link),
            Some(v4("10.0.0.5"))
        );
        assert_eq!(
            xmit_dst(Ipv4Addr::UNSPECIFIED, false, &d, &v6("2001:db8::1"), none),
            None
        );
        assert_eq!(
            xmit_dst(Ipv4Addr::UNSPECIFIED, false, &d, &v6("::1"), on_link),
            None
        );
        // ISATAP: the next hop's identifier, whatever the remote end.
        let isatap = || Some(v6("fe80::5efe:a00:6"));
        assert_eq!(
            xmit_dst(v4("10.0.0.2"), true, &d, &v6("2001:db8::1"), isatap),
            Some(v4("10.0.0.6"))
        );
        assert!(is_isatap(&v6("2001:db8::200:5efe:a00:6")));
        assert!(!is_isatap(&v6("fe80::1")));
        assert_eq!(
            xmit_dst(v4("10.0.0.2"), true, &d, &v6("2001:db8::1"), gw),
            None
        );
    }

    #[test]
    fn mtu_and_tos() {
        assert_eq!(inner_mtu(1500, 20), Some((1480, true)));
        assert_eq!(inner_mtu(1200, 20), Some((1280, false)));
        assert_eq!(inner_mtu(80, 20), None);
        assert_eq!(outer_tos(0, 0x03), 0x02);
        assert_eq!(outer_tos(TOS_INHERIT, 0xbb), 0xba);
        assert_eq!(outer_tos(TOS_INHERIT, 0xb9), 0xb9);
        assert_eq!(outer_tos(0x20, 0xb8), 0x20);
    }

    #[test]
    fn sources() {
        let d = Ip6rd::SIX_TO_FOUR;
        let isatap = RcvCheck {
            isatap: true,
            p2p: false,
            ip6rd: &d,
            prl: None,
        };
        let (o1, o2) = (v4("10.0.0.1"), v4("10.0.0.2"));
        let no = |_: &Ipv6Addr, _: u8| false;
        let chk = |t: &RcvCheck<'_>, s: &str, dst: &str, prl, pfx: bool| {
            let t = RcvCheck { prl, ..*t };
            check_source(&t, o1, o2, &v6(s), &v6(dst), |_| pfx, no)
        };
        assert_eq!(
            chk(&isatap, "fe80::1", "fe80::2", Some(1), false),
            Ok(Some(3))
        );
        assert_eq!(
            chk(&isatap, "fe80::1", "fe80::2", Some(0), false),
            Ok(Some(2))
        );
        assert_eq!(
            chk(&isatap, "2001:db8::5efe:a00:1", "fe80::2", None, true),
            Ok(Some(1))
        );
        assert_eq!(
            chk(&isatap, "2001:db8::5efe:a00:1", "fe80::2", None, false),
            Err(Spoofed::Isatap)
        );
        assert_eq!(
            chk(&isatap, "2001:db8::5efe:a00:9", "fe80::2", None, true),
            Err(Spoofed::Isatap)
        );
        let mp = RcvCheck {
            isatap: false,
            p2p: false,
            ip6rd: &d,
            prl: None,
        };
        assert_eq!(
            chk(&mp, "2002:a00:1::1", "2002:a00:2::1", None, false),
            Ok(None)
        );
        assert_eq!(
            chk(&mp, "2002:a00:9::1", "2002:a00:2::1", None, false),
            Err(Spoofed::Src)
        );
        assert_eq!(
            chk(&mp, "2002:a00:1::1", "2002:a00:9::1", None, false),
            Err(Spoofed::Dst)
        );
        assert_eq!(
            check_source(
                &mp,
                o1,
                o2,
                &v6("2002:a00:1::1"),
                &v6("2002:a00:9::1"),
                |_| false,
                |_, l| l == 48
            ),
            Ok(None)
        );
        // Native addresses pass: nothing embedded to compare.
        assert_eq!(
            chk(&mp, "2001:db8::1", "2001:db8::2", None, false),
            Ok(None)
        );
        let p2p = RcvCheck {
            isatap: false,
            p2p: true,
            ip6rd: &d,
            prl: None,
        };
        assert_eq!(
            chk(&p2p, "2002:a00:9::1", "2002:a00:9::1", None, false),
            Ok(None)
        );
    }

    #[test]
    fn isatap_ids() {
        assert_eq!(isatap_interface_id(Ipv4Addr::UNSPECIFIED), None);
        assert_eq!(
            isatap_interface_id(v4("10.0.1.1")),
            Some([0, 0, 0x5e, 0xfe, 10, 0, 1, 1])
        );
        assert_eq!(
            isatap_interface_id(v4("203.0.113.9")),
            Some([2, 0, 0x5e, 0xfe, 203, 0, 113, 9])
        );
        for private in [
            "192.168.1.1",
            "172.31.0.1",
            "169.254.0.1",
            "198.19.0.1",
            "192.88.99.1",
        ] {
            assert_eq!(isatap_interface_id(v4(private)).unwrap()[0], 0, "{private}");
        }
        assert_eq!(isatap_interface_id(v4("172.32.0.1")).unwrap()[0], 2);
    }

    #[test]
    fn sit_addresses() {
        let addrs = [
            V4Addr {
                ifindex: 1,
                addr: v4("127.0.0.1"),
                scope: RT_SCOPE_HOST,
            },
            V4Addr {
                ifindex: 1,
                addr: v4("192.0.2.7"),
                scope: 0,
            },
            V4Addr {
                ifindex: 2,
                addr: v4("10.0.1.1"),
                scope: 0,
            },
            V4Addr {
                ifindex: 2,
                addr: v4("169.254.1.1"),
                scope: RT_SCOPE_LINK,
            },
        ];
        let collect = |local, p2p, none| {
            let mut v = Vec::new();
            v4_addrs(local, p2p, none, &addrs, |a| {
                v.push((a.addr, a.prefix_len, a.scope))
            });
            v
        };
        assert_eq!(
            collect(Ipv4Addr::UNSPECIFIED, false, false),
            vec![
                (v6("::127.0.0.1"), 96, 0x90),
                (v6("::192.0.2.7"), 96, 0x90),
                (v6("::10.0.1.1"), 96, 0x80)
            ]
        );
        assert_eq!(
            collect(Ipv4Addr::UNSPECIFIED, true, false),
            vec![
                (v6("fe80::c000:207"), 64, 0x20),
                (v6("fe80::a00:101"), 64, 0x20)
            ]
        );
        assert_eq!(
            collect(v4("10.0.1.1"), true, false),
            vec![(v6("fe80::a00:101"), 64, 0x20)]
        );
        assert_eq!(collect(v4("10.0.1.1"), true, true), vec![]);
        assert_eq!(
            collect(v4("10.0.1.1"), false, true),
            vec![(v6("::10.0.1.1"), 96, 0x80)]
        );
    }

    #[test]
    fn errors() {
        assert_eq!(err_action(3, 4, 0), ErrAction::UpdatePmtu);
        assert_eq!(err_action(3, 5, 0), ErrAction::Ignore);
        assert_eq!(
            err_action(3, 1, 0),
            ErrAction::Relay {
                time_exceeded: false,
                data_len: 0
            }
        );
        assert_eq!(
            err_action(11, 0, 32),
            ErrAction::Relay {
                time_exceeded: true,
                data_len: 128
            }
        );
        assert_eq!(err_action(11, 1, 0), ErrAction::Ignore);
        assert_eq!(err_action(5, 1, 0), ErrAction::Redirect);
        assert_eq!(err_action(12, 0, 0), ErrAction::Ignore);
    }
}
