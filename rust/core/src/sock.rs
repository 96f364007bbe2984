// SPDX-License-Identifier: GPL-2.0

//! AF_INET6 socket decisions (mainline `net/ipv6/af_inet6.c`, `raw.c`, `ipv6_sockglue.c`,
//! `datagram.c`): which protocol a `socket()` call gets, `sockaddr_in6` parsing and
//! checks, socket option values, raw-socket delivery matching and the ICMPv6 filter.
//! The glue owns the kernel's `struct sock`; it asks these functions what to do.

use crate::addrconf::errno;
use crate::route::needs_scope_id;
use crate::wire::proto;
use core::net::Ipv6Addr;

/// `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_RAW` (`include/linux/net.h`).
pub mod sock_type {
    /// Stream.
    pub const STREAM: i32 = 1;
    /// Datagram.
    pub const DGRAM: i32 = 2;
    /// Raw.
    pub const RAW: i32 = 3;
}

/// `IPPROTO_RAW`: raw sockets that carry the IPv6 header themselves.
pub const IPPROTO_RAW: i32 = 255;
/// `IPPROTO_MAX` (protocol numbers above 255 exist for sockets: `IPPROTO_MPTCP`).
pub const IPPROTO_MAX: i32 = 263;

/// The socket implementations of AF_INET6 (mainline's `inetsw6` entries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protosw {
    /// `SOCK_RAW`, any protocol: `rawv6_prot`.
    Raw,
    /// `SOCK_DGRAM`, `IPPROTO_UDP`: `udpv6_prot`.
    Udp,
    /// `SOCK_DGRAM`, `IPPROTO_ICMPV6`: `pingv6_prot`.
    Ping,
}

/// `inet6_create()`'s table walk: the implementation and protocol for `socket(AF_INET6,
/// ty, protocol)`, or the errno mainline answers (`-EINVAL` out of range,
/// `-ESOCKTNOSUPPORT` for a type without entries, `-EPROTONOSUPPORT` for a protocol the
/// type does not carry).
pub fn protosw(ty: i32, protocol: i32) -> Result<(Protosw, i32), i32> {
    if !(0..IPPROTO_MAX).contains(&protocol) {
        return Err(errno::EINVAL);
    }
    match ty {
        // The raw entry is the wildcard: any protocol but 0, which only matches an
        // entry of its own protocol, and raw has none.
        sock_type::RAW if protocol == 0 => Err(errno::EPROTONOSUPPORT),
        sock_type::RAW => Ok((Protosw::Raw, protocol)),
        sock_type::DGRAM => match protocol {
            // The first entry of the type answers protocol 0.
            0 => Ok((Protosw::Udp, i32::from(proto::UDP))),
            p if p == i32::from(proto::UDP) => Ok((Protosw::Udp, p)),
            p if p == i32::from(proto::ICMPV6) => Ok((Protosw::Ping, p)),
            _ => Err(errno::EPROTONOSUPPORT),
        },
        // TCP (SOCK_STREAM) is not implemented yet; other types have no entries.
        sock_type::STREAM => Err(errno::EPROTONOSUPPORT),
        _ => Err(errno::ESOCKTNOSUPPORT),
    }
}

/// `SIN6_LEN_RFC2133`: a `sockaddr_in6` without `sin6_scope_id`.
pub const SIN6_LEN_RFC2133: usize = 24;
/// `sizeof(struct sockaddr_in6)`.
pub const SIN6_LEN: usize = 28;
/// `AF_INET6`.
pub const AF_INET6: u16 = 10;
/// `AF_UNSPEC`.
pub const AF_UNSPEC: u16 = 0;

/// A parsed `struct sockaddr_in6` (host byte order for the port).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SockAddr {
    /// `sin6_family` as given.
    pub family: u16,
    /// `sin6_port`.
    pub port: u16,
    /// `sin6_flowinfo` in network order as the kernel keeps it.
    pub flowinfo: u32,
    /// `sin6_addr`.
    pub addr: Ipv6Addr,
    /// `sin6_scope_id`; 0 when the caller passed the short RFC 2133 form.
    pub scope_id: u32,
}

impl SockAddr {
    /// Reads a `sockaddr_in6` of `len` bytes (`b` holds at least that many, as copied
    /// by the socket layer). Shorter than RFC 2133's form is `-EINVAL`; the family is
    /// checked by the callers, whose answers differ.
    pub fn parse(b: &[u8]) -> Result<Self, i32> {
        if b.len() < SIN6_LEN_RFC2133 {
            return Err(errno::EINVAL);
        }
        let mut a = [0u8; 16];
        a.copy_from_slice(&b[8..24]);
        let scope_id = match b.get(24..28) {
            Some(s) => u32::from_ne_bytes([s[0], s[1], s[2], s[3]]),
            None => 0,
        };
        Ok(Self {
            family: u16::from_ne_bytes([b[0], b[1]]),
            port: u16::from_be_bytes([b[2], b[3]]),
            flowinfo: u32::from_ne_bytes([b[4], b[5], b[6], b[7]]),
            addr: Ipv6Addr::from(a),
            scope_id,
        })
    }

    /// The 28 bytes of a `sockaddr_in6` for `addr`, `port`, `scope_id` (flowinfo 0).
    pub fn emit(addr: &Ipv6Addr, port: u16, flowinfo: u32, scope_id: u32) -> [u8; SIN6_LEN] {
        let mut b = [0u8; SIN6_LEN];
        b[0..2].copy_from_slice(&AF_INET6.to_ne_bytes());
        b[2..4].copy_from_slice(&port.to_be_bytes());
        b[4..8].copy_from_slice(&flowinfo.to_ne_bytes());
        b[8..24].copy_from_slice(&addr.octets());
        b[24..28].copy_from_slice(&scope_id.to_ne_bytes());
        b
    }
}

/// An IPv4-mapped address (`::ffff:a.b.c.d`), which IPv6-only sockets refuse.
pub fn is_v4_mapped(a: &Ipv6Addr) -> bool {
    let o = a.octets();
    o[..10].iter().all(|&b| b == 0) && o[10] == 0xff && o[11] == 0xff
}

/// `ipv6_iface_scope_id()`: the scope id reported with an address received on `iif`.
pub fn scope_id_for(a: &Ipv6Addr, iif: u32) -> u32 {
    if needs_scope_id(a) {
        iif
    } else {
        0
    }
}

/// The device a link-scoped address needs, from the socket's binding and the caller's
/// `sin6_scope_id` (a given scope id overrides the binding, as mainline's bind/connect
/// do). `Err(EINVAL)` when there is none. Other addresses need none: `Ok(None)`.
pub fn scope_device(addr: &Ipv6Addr, scope_id: u32, bound_dev_if: u32) -> Result<Option<u32>, i32> {
    if !needs_scope_id(addr) {
        return Ok(None);
    }
    match (scope_id, bound_dev_if) {
        (0, 0) => Err(errno::EINVAL),
        (0, b) => Ok(Some(b)),
        (s, _) => Ok(Some(s)),
    }
}

/// `struct icmp6_filter`: a set bit blocks that ICMPv6 type (RFC 3542 §3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Icmp6Filter(pub [u32; 8]);

impl Icmp6Filter {
    /// `icmpv6_filter()`: whether a message starting with `msg` is kept from the socket.
    /// A message too short to show its type is filtered.
    pub fn blocks(&self, msg: &[u8]) -> bool {
        match msg.first() {
            Some(&t) => self.0[usize::from(t >> 5)] & (1u32 << (t & 31)) != 0,
            None => true,
        }
    }
}

/// What a raw socket is bound and connected to, for delivery matching.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawKeys {
    /// `inet_num`: the protocol it receives (raw sockets may name numbers above 255,
    /// which no packet carries).
    pub protocol: u16,
    /// `sk_v6_daddr` (unspecified: not connected).
    pub peer: Ipv6Addr,
    /// `sk_v6_rcv_saddr` (unspecified: any).
    pub bound: Ipv6Addr,
    /// `sk_bound_dev_if` (0: any).
    pub bound_dev_if: u32,
}

/// `raw_v6_match()`: whether a raw socket receives a packet of `protocol` from `src` to
/// `dst` that arrived on `iif` (multicast group filters are not supported yet: a socket
/// bound to an address receives only that address).
pub fn raw_match(k: &RawKeys, protocol: u8, src: &Ipv6Addr, dst: &Ipv6Addr, iif: u32) -> bool {
    k.protocol == u16::from(protocol)
        && (k.peer.is_unspecified() || k.peer == *src)
        && (k.bound_dev_if == 0 || k.bound_dev_if == iif)
        && (k.bound.is_unspecified() || k.bound == *dst)
}

/// What a UDP socket is bound and connected to, for receive lookups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UdpKeys {
    /// `sk_v6_rcv_saddr` (unspecified: any).
    pub bound: Ipv6Addr,
    /// `sk_v6_daddr` (unspecified: not connected).
    pub peer: Ipv6Addr,
    /// `inet_dport` (0: any).
    pub peer_port: u16,
    /// `sk_bound_dev_if` (0: any).
    pub bound_dev_if: u32,
}

/// `udp6_lib_lookup2()`'s `compute_score()`, with its two passes folded in: how well a
/// socket on the destination port matches a datagram from `src`:`sport` to `dst`
/// arriving on `iif`, or `None` if it does not take it. A socket bound to `dst` beats
/// every wildcard one (mainline looks those up first); within a pass each matching
/// peer address, peer port and device binding adds one. The best score wins; on a
/// tie, the first socket found.
pub fn udp_score(k: &UdpKeys, src: &Ipv6Addr, sport: u16, dst: &Ipv6Addr, iif: u32) -> Option<u8> {
    let exact = if k.bound == *dst {
        true
    } else if k.bound.is_unspecified() {
        false
    } else {
        return None;
    };
    let mut score = 0u8;
    if k.peer_port != 0 {
        if k.peer_port != sport {
            return None;
        }
        score += 1;
    }
    if !k.peer.is_unspecified() {
        if k.peer != *src {
            return None;
        }
        score += 1;
    }
    if k.bound_dev_if != 0 {
        if k.bound_dev_if != iif {
            return None;
        }
        score += 1;
    }
    Some(score + if exact { 8 } else { 0 })
}

/// `do_rawv6_setsockopt(IPV6_CHECKSUM)`: the new (enabled, offset) from `val`.
/// ICMPv6 sockets refuse it at level `IPPROTO_IPV6` (RFC 3542 §3.1), and a positive odd
/// offset is refused.
pub fn raw_checksum_opt(protocol: u16, level_ipv6: bool, val: i32) -> Result<Option<u32>, i32> {
    if protocol == u16::from(proto::ICMPV6) && level_ipv6 {
        return Err(errno::EINVAL);
    }
    if val > 0 && val & 1 != 0 {
        return Err(errno::EINVAL);
    }
    Ok((val >= 0).then_some(val as u32))
}

/// How many leading bytes of a raw socket's message `rawv6_probe_proto_opt()` reads
/// for the flow (ICMPv6 type and code, mobility header type): a shorter message is
/// `-EFAULT`, as mainline answers.
pub fn raw_probe_len(protocol: u8) -> usize {
    match protocol {
        proto::ICMPV6 => 2,
        proto::MOBILITY => 4,
        _ => 0,
    }
}

/// The checksum a new raw socket computes (`rawv6_init_sk()`): ICMPv6 at offset 2,
/// mobility headers at 4, others none.
pub fn raw_default_checksum(protocol: u16) -> Option<u32> {
    match u8::try_from(protocol) {
        Ok(proto::ICMPV6) => Some(2),
        Ok(proto::MOBILITY) => Some(4),
        _ => None,
    }
}

/// Integer socket options of `SOL_IPV6` this stack implements (`ipv6_sockglue.c`).
pub mod opt {
    /// `IPV6_UNICAST_HOPS`.
    pub const UNICAST_HOPS: i32 = 16;
    /// `IPV6_MULTICAST_IF`.
    pub const MULTICAST_IF: i32 = 17;
    /// `IPV6_MULTICAST_HOPS`.
    pub const MULTICAST_HOPS: i32 = 18;
    /// `IPV6_MULTICAST_LOOP`.
    pub const MULTICAST_LOOP: i32 = 19;
    /// `IPV6_MTU_DISCOVER`.
    pub const MTU_DISCOVER: i32 = 23;
    /// `IPV6_RECVERR`.
    pub const RECVERR: i32 = 25;
    /// `IPV6_V6ONLY`.
    pub const V6ONLY: i32 = 26;
    /// `IPV6_RECVPKTINFO`.
    pub const RECVPKTINFO: i32 = 49;
    /// `IPV6_PKTINFO`: as an option, the sticky outgoing interface (and address).
    pub const PKTINFO: i32 = 50;
    /// `IPV6_DONTFRAG`.
    pub const DONTFRAG: i32 = 62;
    /// `IPV6_RECVHOPLIMIT`.
    pub const RECVHOPLIMIT: i32 = 51;
    /// `IPV6_RECVTCLASS`.
    pub const RECVTCLASS: i32 = 66;
    /// `IPV6_TCLASS`.
    pub const TCLASS: i32 = 67;
    /// `IPV6_TRANSPARENT`.
    pub const TRANSPARENT: i32 = 75;
    /// `IPV6_UNICAST_IF`.
    pub const UNICAST_IF: i32 = 76;
    /// `IPV6_FREEBIND`.
    pub const FREEBIND: i32 = 78;
    /// `IPV6_CHECKSUM` (level `SOL_RAW` or `SOL_IPV6`).
    pub const CHECKSUM: i32 = 7;
    /// `IPV6_HDRINCL` (level `SOL_RAW` or `SOL_IPV6`).
    pub const HDRINCL: i32 = 36;
}

/// `IPV6_DEFAULT_MCASTHOPS`.
pub const DEFAULT_MCAST_HOPS: u8 = 1;

/// `IPV6_PMTUDISC_OMIT`: the largest `IPV6_MTU_DISCOVER` value.
pub const PMTUDISC_OMIT: i32 = 5;

/// `IPV6_MTU_DISCOVER` values (`IPV6_PMTUDISC_*`).
pub mod pmtudisc {
    /// Fragmentation refused; a packet too big is a hard error.
    pub const DO: u8 = 2;
    /// As `DO`, to the device's MTU.
    pub const PROBE: u8 = 3;
    /// The interface's MTU, never the path's.
    pub const INTERFACE: u8 = 4;
    /// As `INTERFACE`, and fragments may be made.
    pub const OMIT: u8 = 5;
}

/// `!ip6_sk_ignore_df()`: with `IPV6_MTU_DISCOVER` do or probe, a socket's packets
/// are never fragmented; the others (dont, want, interface, omit) may be.
pub fn refuses_fragments(mode: u8) -> bool {
    matches!(mode, pmtudisc::DO | pmtudisc::PROBE)
}

/// `IPV6_DONTFRAG` (the option or the ancillary data) holds for the packets of a socket
/// of this protocol (`sk_protocol`): UDP, ICMPv6 (ping and raw) and `IPPROTO_RAW`
/// sockets, as `__ip6_append_data()` checks it; others ignore it.
pub fn dontfrag_applies(sk_protocol: u16) -> bool {
    /// `IPPROTO_RAW`.
    const IPPROTO_RAW: u16 = 255;
    sk_protocol == u16::from(proto::UDP)
        || sk_protocol == u16::from(proto::ICMPV6)
        || sk_protocol == IPPROTO_RAW
}

/// `ip6_sk_accept_pmtu()`: whether a packet too big may lower the path MTU for the
/// socket's packets (not for sockets that use the interface's MTU).
pub fn accepts_pmtu(mode: u8) -> bool {
    !matches!(mode, pmtudisc::INTERFACE | pmtudisc::OMIT)
}

/// A checked value for an integer `SOL_IPV6` option, as `do_ipv6_setsockopt()` checks
/// it: `optlen` below `sizeof(int)` and out-of-range values are `-EINVAL`.
pub fn int_opt(name: i32, optlen: usize, val: i32) -> Result<i32, i32> {
    if optlen < 4 {
        return Err(errno::EINVAL);
    }
    match name {
        opt::UNICAST_HOPS if !(-1..=255).contains(&val) => Err(errno::EINVAL),
        opt::MULTICAST_HOPS if !(-1..=255).contains(&val) => Err(errno::EINVAL),
        opt::MULTICAST_HOPS if val == -1 => Ok(i32::from(DEFAULT_MCAST_HOPS)),
        opt::TCLASS if !(-1..=255).contains(&val) => Err(errno::EINVAL),
        opt::TCLASS if val == -1 => Ok(0),
        opt::MTU_DISCOVER if !(0..=PMTUDISC_OMIT).contains(&val) => Err(errno::EINVAL),
        // MULTICAST_LOOP takes 0 or 1 only.
        opt::MULTICAST_LOOP if val != 0 && val != 1 => Err(errno::EINVAL),
        _ => Ok(val),
    }
}

/// `ip6_sk_dst_hoplimit()`: the hop limit of a packet to `dst` from a socket whose
/// `IPV6_UNICAST_HOPS`/`IPV6_MULTICAST_HOPS` are `unicast`/`multicast` (-1 unset), or
/// `None` for the route's: the outgoing device's `hop_limit`, which the output path
/// reads where it has the device anyway.
pub fn hop_limit(dst: &Ipv6Addr, unicast: i16, multicast: u8) -> Option<u8> {
    if dst.is_multicast() {
        return Some(multicast);
    }
    (unicast >= 0).then_some(unicast as u8)
}

/// `icmpv6_err_convert()`: the errno an ICMPv6 error of type `t` and `code` reports to
/// the sending socket, and whether it is a hard (fatal) error.
pub fn icmp_err_convert(t: u8, code: u8) -> (i32, bool) {
    use crate::wire::icmpv6::kind;
    const EPROTO: i32 = 71;
    const EHOSTUNREACH: i32 = 113;
    const ECONNREFUSED: i32 = 111;
    match t {
        kind::DEST_UNREACH => match code {
            0 => (errno::ENETUNREACH, false),
            1 => (errno::EACCES, true),
            2 | 3 => (EHOSTUNREACH, false),
            4 => (ECONNREFUSED, true),
            5 | 6 => (errno::EACCES, true),
            _ => (EPROTO, true),
        },
        kind::PKT_TOOBIG => (errno::EMSGSIZE, false),
        kind::PARAMPROB => (EPROTO, true),
        kind::TIME_EXCEED => (EHOSTUNREACH, false),
        _ => (EPROTO, false),
    }
}

/// `IPV6_MAXPLEN`: the largest payload without a jumbogram.
pub const MAX_PAYLOAD: usize = 65535;

/// A `struct in6_pktinfo` (the address, then the interface index in host order), as
/// `IPV6_PKTINFO` ancillary data carries it.
pub fn pktinfo(addr: &Ipv6Addr, ifindex: u32) -> [u8; 20] {
    let mut b = [0u8; 20];
    b[..16].copy_from_slice(&addr.octets());
    b[16..].copy_from_slice(&ifindex.to_ne_bytes());
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dontfrag_for_udp_icmp_and_raw() {
        assert!(dontfrag_applies(17));
        assert!(dontfrag_applies(58));
        assert!(dontfrag_applies(255));
        assert!(!dontfrag_applies(6));
        assert!(!dontfrag_applies(253));
    }

    #[test]
    fn socket_table_as_inet6_create() {
        assert_eq!(protosw(3, 58), Ok((Protosw::Raw, 58)));
        assert_eq!(protosw(3, 0), Err(errno::EPROTONOSUPPORT));
        assert_eq!(protosw(3, 256), Ok((Protosw::Raw, 256)));
        assert_eq!(protosw(2, 0), Ok((Protosw::Udp, 17)));
        assert_eq!(protosw(2, 58), Ok((Protosw::Ping, 58)));
        assert_eq!(protosw(2, 6), Err(errno::EPROTONOSUPPORT));
        assert_eq!(protosw(3, 263), Err(errno::EINVAL));
        assert_eq!(protosw(3, -1), Err(errno::EINVAL));
        assert_eq!(protosw(5, 0), Err(errno::ESOCKTNOSUPPORT));
    }

    #[test]
    fn sockaddr_round_trip() {
        let a: Ipv6Addr = "fe80::1".parse().unwrap();
        let b = SockAddr::emit(&a, 1025, 0, 3);
        let p = SockAddr::parse(&b).unwrap();
        assert_eq!(
            (p.family, p.port, p.addr, p.scope_id),
            (AF_INET6, 1025, a, 3)
        );
        let short = SockAddr::parse(&b[..24]).unwrap();
        assert_eq!(short.scope_id, 0);
        assert_eq!(SockAddr::parse(&b[..23]), Err(errno::EINVAL));
    }

    #[test]
    fn scope_devices() {
        let ll: Ipv6Addr = "fe80::1".parse().unwrap();
        let g: Ipv6Addr = "2001:db8::1".parse().unwrap();
        assert_eq!(scope_device(&ll, 0, 0), Err(errno::EINVAL));
        assert_eq!(scope_device(&ll, 0, 4), Ok(Some(4)));
        assert_eq!(scope_device(&ll, 5, 4), Ok(Some(5)));
        assert_eq!(scope_device(&g, 5, 4), Ok(None));
        assert_eq!(scope_id_for(&ll, 7), 7);
        assert_eq!(scope_id_for(&g, 7), 0);
    }

    #[test]
    fn filter_as_rfc_3542() {
        // iputils ping: block everything but echo replies (129).
        let mut f = Icmp6Filter([u32::MAX; 8]);
        f.0[4] &= !(1 << 1);
        assert!(!f.blocks(&[129, 0]));
        assert!(f.blocks(&[128, 0]));
        assert!(f.blocks(&[1, 4]));
        assert!(f.blocks(&[]));
        assert!(!Icmp6Filter::default().blocks(&[135]));
    }

    #[test]
    fn raw_matching() {
        let any = Ipv6Addr::UNSPECIFIED;
        let (s, d): (Ipv6Addr, Ipv6Addr) = (
            "2001:db8::2".parse().unwrap(),
            "2001:db8::1".parse().unwrap(),
        );
        let k = RawKeys {
            protocol: 58,
            peer: any,
            bound: any,
            bound_dev_if: 0,
        };
        assert!(raw_match(&k, 58, &s, &d, 2));
        assert!(!raw_match(&k, 17, &s, &d, 2));
        assert!(!raw_match(
            &RawKeys {
                bound_dev_if: 3,
                ..k
            },
            58,
            &s,
            &d,
            2
        ));
        assert!(raw_match(&RawKeys { bound: d, ..k }, 58, &s, &d, 2));
        assert!(!raw_match(&RawKeys { bound: s, ..k }, 58, &s, &d, 2));
        assert!(!raw_match(&RawKeys { peer: d, ..k }, 58, &s, &d, 2));
    }

    #[test]
    fn udp_lookup_scores() {
        let any = Ipv6Addr::UNSPECIFIED;
        let (s, d): (Ipv6Addr, Ipv6Addr) = (
            "2001:db8::2".parse().unwrap(),
            "2001:db8::1".parse().unwrap(),
        );
        let wild = UdpKeys {
            bound: any,
            peer: any,
            peer_port: 0,
            bound_dev_if: 0,
        };
        let exact = UdpKeys { bound: d, ..wild };
        let conn = UdpKeys {
            peer: s,
            peer_port: 9,
            ..wild
        };
        assert_eq!(udp_score(&wild, &s, 9, &d, 2), Some(0));
        assert!(udp_score(&exact, &s, 9, &d, 2) > udp_score(&conn, &s, 9, &d, 2));
        assert_eq!(udp_score(&conn, &s, 9, &d, 2), Some(2));
        assert_eq!(udp_score(&conn, &s, 10, &d, 2), None);
        assert_eq!(udp_score(&UdpKeys { bound: s, ..wild }, &s, 9, &d, 2), None);
        assert_eq!(
            udp_score(
                &UdpKeys {
                    bound_dev_if: 3,
                    ..wild
                },
                &s,
                9,
                &d,
                2
            ),
            None
        );
    }

    #[test]
    fn icmp_errors_as_errno() {
        assert_eq!(icmp_err_convert(1, 3), (113, false));
        assert_eq!(icmp_err_convert(1, 4), (111, true));
        assert_eq!(icmp_err_convert(1, 9), (71, true));
        assert_eq!(icmp_err_convert(2, 0), (errno::EMSGSIZE, false));
        assert_eq!(icmp_err_convert(3, 0), (113, false));
        assert_eq!(icmp_err_convert(4, 1), (71, true));
    }

    #[test]
    fn option_values() {
        assert_eq!(raw_checksum_opt(58, true, 2), Err(errno::EINVAL));
        assert_eq!(raw_checksum_opt(58, false, 2), Ok(Some(2)));
        assert_eq!(raw_checksum_opt(17, true, 3), Err(errno::EINVAL));
        assert_eq!(raw_checksum_opt(17, true, -1), Ok(None));
        assert_eq!(int_opt(opt::UNICAST_HOPS, 4, 256), Err(errno::EINVAL));
        assert_eq!(int_opt(opt::UNICAST_HOPS, 2, 5), Err(errno::EINVAL));
        assert_eq!(int_opt(opt::MULTICAST_HOPS, 4, -1), Ok(1));
        assert_eq!(int_opt(opt::TCLASS, 4, -1), Ok(0));
        assert_eq!(int_opt(opt::MTU_DISCOVER, 4, 6), Err(errno::EINVAL));
        let g: Ipv6Addr = "2001:db8::1".parse().unwrap();
        let m: Ipv6Addr = "ff02::1".parse().unwrap();
        assert_eq!(hop_limit(&g, -1, 1), None);
        assert_eq!(hop_limit(&g, 5, 1), Some(5));
        assert_eq!(hop_limit(&m, 5, 1), Some(1));
        assert_eq!(hop_limit(&m, -1, 1), Some(1));
    }
}
