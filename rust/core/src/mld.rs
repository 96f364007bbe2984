// SPDX-License-Identifier: GPL-2.0

//! Multicast listener discovery (MLDv1, RFC 2710; MLDv2, RFC 3810) as mainline's
//! `net/ipv6/mcast.c` runs it: which groups are reported and loaded into the device's
//! filter, the version in force, the delays of reports, the queries a node answers,
//! and the messages on the wire. The per-device group list, its timers and sockets
//! are the module's; the decisions and the bytes are here.
//!
//! Groups are any-source (`EXCLUDE {}`) memberships: a report record carries no
//! sources.

use crate::ctx::Random;
use core::net::Ipv6Addr;

/// `ifmcaddr6.mca_flags`.
pub mod maf {
    /// A report is due (`MAF_TIMER_RUNNING`).
    pub const TIMER_RUNNING: u32 = 0x01;
    /// We sent the last MLDv1 report for the group (`MAF_LAST_REPORTER`).
    pub const LAST_REPORTER: u32 = 0x02;
    /// In the device's link-layer filter (`MAF_LOADED`).
    pub const LOADED: u32 = 0x04;
    /// Never reported (`MAF_NOREPORT`): all-nodes, and interface-local groups.
    pub const NOREPORT: u32 = 0x08;
    /// Answering a group-and-source-specific query (`MAF_GSQUERY`).
    pub const GSQUERY: u32 = 0x10;
}

/// ICMPv6 types of MLD.
pub mod kind {
    /// Multicast listener query (both versions).
    pub const QUERY: u8 = 130;
    /// MLDv1 report.
    pub const V1_REPORT: u8 = 131;
    /// MLDv1 done.
    pub const V1_DONE: u8 = 132;
    /// MLDv2 report.
    pub const V2_REPORT: u8 = 143;
}

/// MLDv2 multicast address record types (RFC 3810 §5.2.12).
pub mod rec {
    /// Current state: include these sources.
    pub const MODE_IS_INCLUDE: u8 = 1;
    /// Current state: exclude these sources (any-source: exclude none).
    pub const MODE_IS_EXCLUDE: u8 = 2;
    /// Filter mode change to include (a leave).
    pub const CHANGE_TO_INCLUDE: u8 = 3;
    /// Filter mode change to exclude (a join).
    pub const CHANGE_TO_EXCLUDE: u8 = 4;
    /// Sources added.
    pub const ALLOW_NEW_SOURCES: u8 = 5;
    /// Sources removed.
    pub const BLOCK_OLD_SOURCES: u8 = 6;
}

/// Robustness variable (`MLD_QRV_DEFAULT`, `net.ipv6.mld_qrv`'s default).
pub const QRV_DEFAULT: u32 = 2;
/// Query interval, seconds (`MLD_QI_DEFAULT`).
pub const QI_DEFAULT_SECS: u32 = 125;
/// Query response interval, seconds (`MLD_QRI_DEFAULT`).
pub const QRI_DEFAULT_SECS: u32 = 10;
/// An MLDv1 query is exactly this long (`MLD_V1_QUERY_LEN`).
pub const V1_QUERY_LEN: usize = 24;
/// The shortest MLDv2 query (`MLD_V2_QUERY_LEN_MIN`).
pub const V2_QUERY_LEN_MIN: usize = 28;
/// The largest MLDv1 delay taken from an MLDv2 query (`MLDV1_MRD_MAX_COMPAT`).
pub const V1_MRD_MAX_COMPAT: u32 = 32767;
/// Queries and reports queued for the MLD work at most (`MLD_MAX_SKBS`).
pub const MAX_QUEUED: u32 = 32;
/// Queries or reports the work takes per run (`MLD_MAX_QUEUE`).
pub const MAX_PER_RUN: u32 = 8;

/// All MLDv2-capable routers, where MLDv2 reports go.
pub const ALL_MLDV2_ROUTERS: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x16);
/// All routers, where MLDv1 done messages go.
pub const ALL_ROUTERS: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 2);

/// The hop-by-hop header of every MLD message: a router alert for MLD (value 0), then
/// two octets of padding; ICMPv6 follows.
pub const HBH_ROUTER_ALERT: [u8; 8] = [58, 0, 5, 2, 0, 0, 1, 0];

/// `IPV6_ADDR_MC_SCOPE()`.
pub fn scope(group: &Ipv6Addr) -> u8 {
    group.octets()[1] & 0x0f
}

/// Link-local scope (`IPV6_ADDR_SCOPE_LINKLOCAL`).
const SCOPE_LINKLOCAL: u8 = 2;

fn is_ll_all_nodes(group: &Ipv6Addr) -> bool {
    *group == Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1)
}

/// The flags a new group starts with (`mca_alloc()`): all-nodes and groups of less than
/// link-local scope are never reported.
pub fn initial_flags(group: &Ipv6Addr) -> u32 {
    if is_ll_all_nodes(group) || scope(group) < SCOPE_LINKLOCAL {
        maf::NOREPORT
    } else {
        0
    }
}

/// Whether a group goes into the device's link-layer filter and takes part in MLD at
/// all (`igmp6_group_added()`, `igmp6_group_dropped()`): link-local scope or wider.
pub fn on_link(group: &Ipv6Addr) -> bool {
    scope(group) >= SCOPE_LINKLOCAL
}

/// Whether a query may start a report for the group (`igmp6_group_queried()`).
pub fn queryable(group: &Ipv6Addr) -> bool {
    !is_ll_all_nodes(group) && scope(group) >= SCOPE_LINKLOCAL
}

/// The version the device is made to use (`mld_force_mld_version()`): `all`'s
/// `force_mld_version` if set, else the device's.
pub fn forced_version(all: i32, dev: i32) -> i32 {
    if all != 0 {
        all
    } else {
        dev
    }
}

/// `mld_in_v1_mode()`: forced to 1, or an MLDv1 querier was heard and its timeout
/// (`mc_v1_seen`) has not passed; never when forced to 2.
pub fn in_v1_mode(forced: i32, v1_querier_present: bool) -> bool {
    match forced {
        2 => false,
        1 => true,
        _ => v1_querier_present,
    }
}

/// `unsolicited_report_interval()`: the version's setting, at least one jiffy.
pub fn unsolicited_interval(v1: bool, v1_iv: i32, v2_iv: i32) -> u32 {
    let iv = if v1 { v1_iv } else { v2_iv };
    if iv > 0 {
        iv as u32
    } else {
        1
    }
}

/// The delay before the work of a change report or initial report runs
/// (`mld_ifc_start_work()`, `mld_dad_start_work()`): random below `delay`, plus two
/// jiffies.
pub fn work_delay(delay: u32, rng: &mut impl Random) -> u32 {
    rng.below(delay.max(1)) + 2
}

/// The delay of a group's report after a query with response time `resptime`
/// (`igmp6_group_queried()`): the pending report's if it is sooner, else random below
/// `resptime`.
pub fn queried_delay(resptime: u32, pending: Option<u32>, rng: &mut impl Random) -> u32 {
    let delay = pending.unwrap_or(resptime);
    if delay >= resptime {
        rng.below(resptime.max(1))
    } else {
        delay
    }
}

/// `mldv2_mrc()`: the maximum response delay of an MLDv2 query, in milliseconds.
pub fn mrc_ms(mrc: u16) -> u32 {
    let mrc = u32::from(mrc);
    if mrc < 0x8000 {
        mrc
    } else {
        let exp = (mrc >> 12) & 7;
        let man = mrc & 0x0fff;
        (man | 0x1000) << (exp + 3)
    }
}

/// The query interval of an MLDv2 query's QQIC, in seconds (`mld_update_qi()`).
pub fn qqi_secs(qqic: u8) -> u32 {
    let q = u32::from(qqic);
    if q < 128 {
        q
    } else {
        let exp = (q >> 4) & 7;
        let man = q & 0x0f;
        (man | 0x10) << (exp + 3)
    }
}

/// A query, as the receiving node reads it (`__mld_query_work()`).
#[derive(Debug, PartialEq, Eq)]
pub enum Query<'a> {
    /// Answered the MLDv1 way (an MLDv1 query, or any query while in MLDv1 mode).
    V1 {
        /// The group queried, unspecified for a general query.
        group: Ipv6Addr,
        /// Maximum response delay, milliseconds (capped for an MLDv2 query).
        max_delay_ms: u32,
        /// It was an MLDv1 query (24 octets): an MLDv1 querier is present.
        v1_query: bool,
    },
    /// An MLDv2 query.
    V2 {
        /// The group queried, unspecified for a general query.
        group: Ipv6Addr,
        /// Maximum response delay, milliseconds.
        max_delay_ms: u32,
        /// Querier's robustness variable (0: keep ours).
        qrv: u8,
        /// Querier's query interval, seconds.
        qqi_secs: u32,
        /// The sources, 16 octets each.
        sources: &'a [u8],
    },
}

/// Reads the query `msg` (the ICMPv6 message, as long as the packet's payload after
/// its extension headers); `v1_mode` is [`in_v1_mode`], `v2_only` a version forced to
/// 2. `None` for a query the node ignores: too short, a group that is neither
/// unspecified nor multicast, an MLDv1 query when forced to MLDv2, a general query
/// with sources, or a length between the versions'.
pub fn parse_query(msg: &[u8], v1_mode: bool, v2_only: bool) -> Option<Query<'_>> {
    let len = msg.len();
    if len < V1_QUERY_LEN {
        return None;
    }
    let group = Ipv6Addr::from(<[u8; 16]>::try_from(&msg[8..24]).ok()?);
    let general = group.is_unspecified();
    if !general && !group.is_multicast() {
        return None;
    }
    let mrd = u16::from_be_bytes([msg[4], msg[5]]);
    if len == V1_QUERY_LEN || v1_mode {
        if v2_only {
            return None;
        }
        let v1_query = len == V1_QUERY_LEN;
        let mut md = u32::from(mrd);
        if !v1_query {
            md = md.min(V1_MRD_MAX_COMPAT);
        }
        return Some(Query::V1 {
            group,
            max_delay_ms: md,
            v1_query,
        });
    }
    if len < V2_QUERY_LEN_MIN {
        return None;
    }
    let nsrcs = usize::from(u16::from_be_bytes([msg[26], msg[27]]));
    if general && nsrcs != 0 {
        // mld_process_v2() has updated the querier's values by then: see
        // [`v2_dropped_values`].
        return None;
    }
    let sources = msg.get(V2_QUERY_LEN_MIN..V2_QUERY_LEN_MIN + nsrcs * 16)?;
    Some(Query::V2 {
        group,
        max_delay_ms: mrc_ms(mrd),
        qrv: msg[24] & 7,
        qqi_secs: qqi_secs(msg[25]),
        sources,
    })
}

/// An MLDv2 query that mainline drops only after taking the querier's robustness,
/// interval and response time from it (`mld_process_v2()` runs first): a general
/// query with sources, or a source list longer than the message. Those values
/// (QRV, QQI in seconds, maximum response delay in milliseconds), or `None`.
pub fn v2_dropped_values(msg: &[u8], v1_mode: bool) -> Option<(u8, u32, u32)> {
    if v1_mode || msg.len() < V2_QUERY_LEN_MIN || msg.len() == V1_QUERY_LEN {
        return None;
    }
    let group = Ipv6Addr::from(<[u8; 16]>::try_from(&msg[8..24]).ok()?);
    if !group.is_unspecified() && !group.is_multicast() {
        return None;
    }
    let nsrcs = usize::from(u16::from_be_bytes([msg[26], msg[27]]));
    let dropped = if group.is_unspecified() {
        nsrcs != 0
    } else {
        msg.len() < V2_QUERY_LEN_MIN + nsrcs * 16
    };
    dropped.then(|| {
        (
            msg[24] & 7,
            qqi_secs(msg[25]),
            mrc_ms(u16::from_be_bytes([msg[4], msg[5]])),
        )
    })
}

/// The robustness variable after a query's QRV (`mld_update_qrv()`): the querier's if
/// set, never below `min(2, mld_qrv)`.
pub fn update_qrv(current: u32, qrv: u8, sysctl_qrv: u32) -> u32 {
    let q = if qrv > 0 { u32::from(qrv) } else { current };
    q.max(QRV_DEFAULT.min(sysctl_qrv))
}

/// How long an MLDv1 querier stays present after its query (`mld_set_v1_mode()`),
/// in the unit of `qi` and `qri`.
pub fn v1_switchback(qrv: u32, qi: u64, qri: u64) -> u64 {
    u64::from(qrv) * qi + qri
}

/// Whether a received MLDv1 report cancels our pending one for its group
/// (`__mld_report_work()`): not our own looped back, sent to a multicast (or
/// broadcast) link address, from a link-local or unspecified source.
pub fn report_suppresses(looped_back: bool, l2_multicast: bool, src: &Ipv6Addr) -> bool {
    let s = src.segments()[0];
    !looped_back && l2_multicast && (src.is_unspecified() || s & 0xffc0 == 0xfe80)
}

/// Whether a query may be acted on (RFC 3810 §6.2, `__mld_query_work()`): from a
/// link-local source, with hop limit 1 and an MLD router alert.
pub fn query_valid(src: &Ipv6Addr, hop_limit: u8, router_alert: Option<u16>) -> bool {
    src.segments()[0] & 0xffc0 == 0xfe80 && hop_limit == 1 && router_alert == Some(0)
}

/// The router alert value in the packet's hop-by-hop options, if it has one (`pkt`
/// from the IPv6 header on).
pub fn router_alert(pkt: &[u8]) -> Option<u16> {
    if pkt.len() < 48 || pkt[6] != 0 {
        return None;
    }
    let end = 40 + (usize::from(pkt[41]) + 1) * 8;
    let opts = pkt.get(42..end)?;
    let mut i = 0;
    while i < opts.len() {
        match opts[i] {
            0 => i += 1,
            5 if opts.get(i + 1) == Some(&2) => {
                return opts
                    .get(i + 2..i + 4)
                    .map(|v| u16::from_be_bytes([v[0], v[1]]));
            }
            _ => i += 2 + usize::from(*opts.get(i + 1)?),
        }
    }
    None
}

/// Octets of an MLDv2 report's header (type to the record count).
pub const V2_REPORT_HDR: usize = 8;
/// Octets of a record without sources.
pub const GREC_LEN: usize = 20;
/// Octets of an MLDv1 message.
pub const V1_LEN: usize = 24;

/// How many source-less records one MLDv2 report carries on a link of `mtu` (the room
/// after the IPv6 header, the hop-by-hop header and the report header; `add_grec()`).
pub fn records_per_report(mtu: u32) -> usize {
    (mtu as usize).saturating_sub(40 + 8 + V2_REPORT_HDR) / GREC_LEN
}

/// Writes an MLDv2 report with `records` (type and group) into `buf`, checksum zero;
/// its length.
pub fn emit_v2_report(buf: &mut [u8], records: &[(u8, Ipv6Addr)]) -> Option<usize> {
    let len = V2_REPORT_HDR + records.len() * GREC_LEN;
    let b = buf.get_mut(..len)?;
    b.fill(0);
    b[0] = kind::V2_REPORT;
    b[6..8].copy_from_slice(&(records.len() as u16).to_be_bytes());
    for (i, (t, g)) in records.iter().enumerate() {
        let r = &mut b[V2_REPORT_HDR + i * GREC_LEN..][..GREC_LEN];
        r[0] = *t;
        r[4..20].copy_from_slice(&g.octets());
    }
    Some(len)
}

/// Writes an MLDv1 report or done (`t`) for `group` into `buf`, checksum zero.
pub fn emit_v1(buf: &mut [u8], t: u8, group: &Ipv6Addr) -> Option<usize> {
    let b = buf.get_mut(..V1_LEN)?;
    b.fill(0);
    b[0] = t;
    b[8..24].copy_from_slice(&group.octets());
    Some(V1_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed(u32);
    impl Random for Fixed {
        fn below(&mut self, ceil: u32) -> u32 {
            self.0 % ceil
        }
        fn fill(&mut self, buf: &mut [u8]) {
            buf.fill(0);
        }
    }

    fn a(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    #[test]
    fn flags_and_scope() {
        assert_eq!(initial_flags(&a("ff02::1")), maf::NOREPORT);
        assert_eq!(initial_flags(&a("ff01::1")), maf::NOREPORT);
        assert_eq!(initial_flags(&a("ff02::1:ff00:1")), 0);
        assert_eq!(initial_flags(&a("ff05::2")), 0);
        assert!(!on_link(&a("ff01::1")));
        assert!(on_link(&a("ff02::1")));
        assert!(!queryable(&a("ff02::1")));
        assert!(queryable(&a("ff02::2")));
    }

    #[test]
    fn versions() {
        assert_eq!(forced_version(0, 1), 1);
        assert_eq!(forced_version(2, 1), 2);
        assert!(in_v1_mode(1, false));
        assert!(!in_v1_mode(2, true));
        assert!(in_v1_mode(0, true));
        assert!(!in_v1_mode(0, false));
        assert_eq!(unsolicited_interval(true, 10000, 1000), 10000);
        assert_eq!(unsolicited_interval(false, 10000, 0), 1);
    }

    #[test]
    fn codes() {
        assert_eq!(mrc_ms(10000), 10000);
        // 0x8000: exponent 0, mantissa 0 -> 0x1000 << 3.
        assert_eq!(mrc_ms(0x8000), 0x1000 << 3);
        assert_eq!(qqi_secs(125), 125);
        assert_eq!(qqi_secs(0x80), 0x10 << 3);
        assert_eq!(update_qrv(2, 0, 2), 2);
        assert_eq!(update_qrv(2, 5, 2), 5);
        assert_eq!(update_qrv(2, 1, 2), 2);
        assert_eq!(update_qrv(2, 1, 1), 1);
    }

    fn query(len: usize, group: &str, mrd: u16, nsrcs: u16) -> [u8; 64] {
        let mut q = [0u8; 64];
        q[0] = kind::QUERY;
        q[4..6].copy_from_slice(&mrd.to_be_bytes());
        q[8..24].copy_from_slice(&a(group).octets());
        if len >= 28 {
            q[24] = 2;
            q[25] = 125;
            q[26..28].copy_from_slice(&nsrcs.to_be_bytes());
        }
        q
    }

    #[test]
    fn queries() {
        let q = query(24, "::", 1000, 0);
        assert_eq!(
            parse_query(&q[..24], false, false),
            Some(Query::V1 {
                group: Ipv6Addr::UNSPECIFIED,
                max_delay_ms: 1000,
                v1_query: true
            })
        );
        assert_eq!(parse_query(&q[..24], false, true), None);
        assert_eq!(parse_query(&q[..23], false, false), None);
        let q = query(28, "ff05::1", 40000, 0);
        match parse_query(&q[..28], false, false) {
            Some(Query::V2 {
                qrv: 2,
                qqi_secs: 125,
                sources,
                ..
            }) => assert!(sources.is_empty()),
            other => panic!("{other:?}"),
        }
        // In MLDv1 mode an MLDv2 query is answered the MLDv1 way, its delay capped.
        assert_eq!(
            parse_query(&q[..28], true, false),
            Some(Query::V1 {
                group: a("ff05::1"),
                max_delay_ms: V1_MRD_MAX_COMPAT,
                v1_query: false
            })
        );
        // A unicast group is ignored; so is a length between the versions'.
        assert_eq!(
            parse_query(&query(28, "2001:db8::1", 1, 0)[..28], false, false),
            None
        );
        assert_eq!(
            parse_query(&query(28, "::", 1, 0)[..26], false, false),
            None
        );
        // General queries carry no sources; a short source list is ignored.
        let q = query(44, "::", 1000, 1);
        assert_eq!(parse_query(&q[..44], false, false), None);
        assert_eq!(v2_dropped_values(&q[..44], false), Some((2, 125, 1000)));
        let q = query(44, "ff05::1", 1000, 2);
        assert_eq!(parse_query(&q[..44], false, false), None);
        assert!(v2_dropped_values(&q[..44], false).is_some());
        assert!(parse_query(&q[..60], false, false).is_some());
        assert_eq!(v2_dropped_values(&q[..60], false), None);
    }

    #[test]
    fn delays() {
        assert_eq!(work_delay(1, &mut Fixed(7)), 2);
        assert_eq!(work_delay(100, &mut Fixed(7)), 9);
        assert_eq!(queried_delay(100, None, &mut Fixed(7)), 7);
        assert_eq!(queried_delay(100, Some(3), &mut Fixed(7)), 3);
        assert_eq!(queried_delay(100, Some(300), &mut Fixed(7)), 7);
    }

    #[test]
    fn validity() {
        assert!(query_valid(&a("fe80::1"), 1, Some(0)));
        assert!(!query_valid(&a("2001:db8::1"), 1, Some(0)));
        assert!(!query_valid(&a("fe80::1"), 2, Some(0)));
        assert!(!query_valid(&a("fe80::1"), 1, None));
        assert!(report_suppresses(false, true, &a("fe80::1")));
        assert!(report_suppresses(false, true, &a("::")));
        assert!(!report_suppresses(true, true, &a("fe80::1")));
        assert!(!report_suppresses(false, false, &a("fe80::1")));
        assert!(!report_suppresses(false, true, &a("2001:db8::1")));
    }

    #[test]
    fn router_alert_option() {
        let mut p = [0u8; 72];
        p[6] = 0;
        p[40..48].copy_from_slice(&HBH_ROUTER_ALERT);
        assert_eq!(router_alert(&p), Some(0));
        p[6] = 58;
        assert_eq!(router_alert(&p), None);
        p[6] = 0;
        p[42] = 1;
        p[43] = 0;
        p[44] = 1;
        p[45] = 0;
        assert_eq!(router_alert(&p), None);
    }

    #[test]
    fn reports() {
        let mut b = [0u8; 128];
        let n = emit_v2_report(
            &mut b,
            &[
                (rec::CHANGE_TO_EXCLUDE, a("ff05::1")),
                (rec::CHANGE_TO_INCLUDE, a("ff02::1:ff00:2")),
            ],
        )
        .unwrap();
        assert_eq!(n, 48);
        assert_eq!(&b[..8], &[143, 0, 0, 0, 0, 0, 0, 2]);
        assert_eq!(b[8], rec::CHANGE_TO_EXCLUDE);
        assert_eq!(&b[12..28], &a("ff05::1").octets());
        assert_eq!(b[28], rec::CHANGE_TO_INCLUDE);
        assert_eq!(records_per_report(1500), 72);
        assert_eq!(records_per_report(1280), 61);
        let n = emit_v1(&mut b, kind::V1_REPORT, &a("ff05::1")).unwrap();
        assert_eq!(n, 24);
        assert_eq!(b[0], 131);
        assert_eq!(&b[8..24], &a("ff05::1").octets());
    }
}
