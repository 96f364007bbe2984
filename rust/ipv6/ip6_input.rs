// SPDX-License-Identifier: GPL-2.0

//! The IPv6 datapath (mainline `net/ipv6/ip6_input.c`, `ip6_output.c`): the ETH_P_IPV6
//! packet type, header checks, local delivery, and sending locally generated packets
//! through the kernel's neighbour table.
//!
//! Everything here runs in softirq or process context without RTNL; device and address
//! state is read under RCU.

#![forbid(unsafe_code)]

use crate::errno;
use crate::net::frag::{FragQueue, Inserted};
use crate::net::mib::icmp as icmp_mib;
use crate::net::netns::Net;
use crate::net::packet::Ipv6Rcv;
use crate::net::{device::RxDev, mib::ip as ip_mib};
use crate::net::{
    rcu::Rcu,
    skb::{pkt_type, reason, Skb},
};

use crate::ipv6::{ip6_fib, raw};
use crate::net::protocol::{self, Delivered};
use crate::{
    addrconf::ifa_flags,
    conf::IPV6_MIN_MTU,
    exthdrs::{self, Counter, OptLimits, PacketFacts, Reason, Verdict},
    fib::{rtn, Route},
    frag,
    route::{needs_scope_id, LocalAddr},
    wire::{
        ext::FRAG_HDR_LEN,
        icmpv6,
        ipv6::{check_rx, header_addrs, Ipv6Header, RxContext, RxCounter, RxDrop, HEADER_LEN},
        ndisc::is_solicited_node,
        proto, ParamProblemCode,
    },
};
use core::net::Ipv6Addr;
use kernel::prelude::*;

/// Whether `group` is a multicast group `dev` listens to: all-nodes, all-routers when
/// forwarding, and the solicited-node groups of its addresses (tentative ones too).
fn joined(d: &RxDev<'_>, group: &Ipv6Addr) -> bool {
    crate::ipv6::mcast::joined(d, group)
        // Proxy NDP by prefix (`proxy_ndp` 2) hears every solicited-node group.
        || (is_solicited_node(group) && crate::ipv6::ndisc::proxy_listens(d, group))
}

/// Whether `dst` is a usable (not tentative) unicast address of this node:
/// Returns the interface that has it.
fn local_owner(d: &RxDev<'_>, dst: &Ipv6Addr) -> Option<u32> {
    let mut owner = None;
    crate::net::ifaddr::walk_addrs(d.net, None, |a| {
        let hit = a.local.addr == *dst
            && (a.local.flags & ifa_flags::TENTATIVE == 0
                || a.local.flags & ifa_flags::OPTIMISTIC != 0);
        if hit {
            owner = Some(a.local.ifindex);
        }
        hit
    });
    owner
}

/// What the receive path found the destination to be.
pub(crate) enum Dest {
    /// Multicast this device listens to.
    Multicast,
    /// One of our unicast addresses.
    Unicast,
}

/// The IPv6 receive path (`ipv6_rcv()`), the `ETH_P_IPV6` packet type's receiver.
pub(crate) struct Ip6Rcv;

impl Ipv6Rcv for Ip6Rcv {
    fn rcv(skb: Skb, d: &RxDev<'_>) -> Result<(), ()> {
        rcv(skb, d)
    }
}

/// Receives one packet: `ip6_rcv_core()`, then routing input and local delivery.
fn rcv(skb: Skb, d: &RxDev<'_>) -> Result<(), ()> {
    let pt = skb.pkt_type();
    if pt == pkt_type::OTHERHOST {
        skb.drop_reason(reason::OTHERHOST);
        return Err(());
    }
    let len = skb.len() as u64;
    d.ip6_inc(ip_mib::INPKTS);
    d.ip6_add(ip_mib::INOCTETS, len);
    let Some(mut skb) = skb.share_check() else {
        d.ip6_inc(ip_mib::INDISCARDS);
        return Err(());
    };
    // IP6CB() is ours from here on, as in ip6_rcv_core().
    skb.set_iif(d.ifindex());
    let Some(cnf) = d.cnf() else {
        d.ip6_inc(ip_mib::INDISCARDS);
        skb.drop_reason(reason::NOT_SPECIFIED);
        return Err(());
    };
    if cnf.disable_ipv6 != 0 {
        d.ip6_inc(ip_mib::INDISCARDS);
        skb.drop_reason(reason::IPV6DISABLED);
        return Err(());
    }
    let ctx = RxContext {
        loopback_dev: d.is_loopback(),
        looped_back: pt == pkt_type::LOOPBACK,
        l2_multicast: pt == pkt_type::BROADCAST || pt == pkt_type::MULTICAST,
        drop_unicast_in_l2_multicast: cnf.drop_unicast_in_l2_multicast != 0,
    };
    let segs = u64::from(skb.gso_segs());
    let frame_len = skb.len();
    let checked = match skb.head(HEADER_LEN) {
        // The header is linear now; check_rx needs the whole frame only for its length,
        // so give it the header and compare the payload length ourselves.
        Some(h) => check_header(h, frame_len, &ctx),
        None => Err(RxDrop::Truncated),
    };
    let (src, dst, next, hop_limit, payload_len, ecn) = match checked {
        Ok(v) => v,
        Err(e) => {
            let (counter, why) = match e {
                RxDrop::BadVersion => (ip_mib::INHDRERRORS, reason::UNHANDLED_PROTO),
                RxDrop::UnicastInL2Multicast => {
                    (ip_mib::INHDRERRORS, reason::UNICAST_IN_L2_MULTICAST)
                }
                _ if e.counter() == RxCounter::InTruncatedPkts => {
                    (ip_mib::INTRUNCATEDPKTS, reason::PKT_TOO_SMALL)
                }
                _ => (ip_mib::INHDRERRORS, reason::IP_INHDR),
            };
            d.ip6_inc(counter);
            skb.drop_reason(why);
            return Err(());
        }
    };
    d.ip6_add(ip_mib::NOECTPKTS + u32::from(ecn), segs);
    skb.reset_network_header();
    if !skb.trim(HEADER_LEN + payload_len) {
        d.ip6_inc(ip_mib::INHDRERRORS);
        skb.drop_reason(reason::IP_INHDR);
        return Err(());
    }
    skb.orphan();
    // Routing input: local delivery, or (hosts do not forward) an address error.
    let fwd = crate::ipv6::ip6_forward::Input {
        src,
        dst,
        hop_limit,
        next,
        pkt_type: pt,
    };
    let mut iif = d.ifindex();
    let dest = if dst.is_multicast() {
        // ip6_mc_input() counts every multicast packet, then looks for a listener.
        d.ip6_inc(ip_mib::INMCASTPKTS);
        d.ip6_add(ip_mib::INMCASTOCTETS, len);
        if !joined(d, &dst) {
            // Not a group of ours: mainline's multicast route finds no listener.
            skb.drop_reason(reason::NOT_SPECIFIED);
            return Err(());
        }
        Dest::Multicast
    } else if let Some(owner) = local_owner(d, &dst) {
        skb = match crate::ipv6::ip6_forward::input_is_local(skb, d, &fwd) {
            Ok(skb) => skb,
            Err(routed) => return routed,
        };
        // Our own traffic comes back through the loopback device; mainline's local
        // route then names the address's interface as the arrival one (`inet6_iif()`),
        // which sockets bound to it and link-local scope ids see.
        if d.is_loopback() {
            iif = owner;
            skb.set_iif(owner);
        }
        Dest::Unicast
    } else if crate::ipv6::anycast::input_dest(d, &dst) {
        // An anycast address of ours: the local table's anycast route delivers it
        // here, forwarding or not.
        skb = match crate::ipv6::ip6_forward::input_is_local(skb, d, &fwd) {
            Ok(skb) => skb,
            Err(routed) => return routed,
        };
        Dest::Unicast
    } else {
        // Not ours: routing input decides (forward, reject, or an address error).
        return crate::ipv6::ip6_forward::route_input(skb, d, &fwd);
    };
    let hdr = Header {
        iif,
        src,
        dst,
        hop_limit,
        dest,
        pkt_type: pt,
    };
    deliver(skb, d, &hdr, next, payload_len as u16)
}

/// `ip6_input()` for a neighbour discovery message to a proxied address, which the
/// forwarding path hands back (`ip6_forward_proxy_check()`): local delivery as for our
/// own addresses, the hop limit unchanged.
pub(crate) fn proxied_input(
    mut skb: Skb,
    d: &RxDev<'_>,
    p: &crate::ipv6::ip6_forward::Input,
) -> Result<(), ()> {
    let payload_len = skb
        .head(HEADER_LEN)
        .map_or(0, |h| u16::from_be_bytes([h[4], h[5]]));
    let hdr = Header {
        iif: d.ifindex(),
        src: p.src,
        dst: p.dst,
        hop_limit: p.hop_limit,
        dest: Dest::Unicast,
        pkt_type: p.pkt_type,
    };
    deliver(skb, d, &hdr, p.next, payload_len)
}

/// The parts of the IPv6 header local delivery uses.
pub(crate) struct Header {
    /// The interface the packet counts as arriving on (`inet6_iif()`).
    pub(crate) iif: u32,
    pub(crate) src: Ipv6Addr,
    pub(crate) dst: Ipv6Addr,
    pub(crate) hop_limit: u8,
    pub(crate) dest: Dest,
    pub(crate) pkt_type: u8,
}

impl Header {
    /// The header of a packet in local delivery (its network header at the IPv6
    /// header, `IP6CB()` filled in), as an upper-layer protocol receives it.
    pub(crate) fn of(skb: &Skb) -> Self {
        let skb = skb.borrow();
        let h = skb.network_header();
        let (src, dst) = header_addrs(&h).unwrap_or((Ipv6Addr::UNSPECIFIED, Ipv6Addr::UNSPECIFIED));
        Self {
            iif: skb.iif(),
            src,
            dst,
            hop_limit: h[7],
            dest: if dst.is_multicast() {
                Dest::Multicast
            } else {
                Dest::Unicast
            },
            pkt_type: skb.pkt_type(),
        }
    }
}

type Checked = (Ipv6Addr, Ipv6Addr, u8, u8, usize, u8);

/// `ip6_rcv_core()`'s header checks (through the core's [`check_rx`]) on the linear
/// header of a frame of `frame_len` bytes, in mainline's order: the fixed header first,
/// then the payload length against the frame.
fn check_header(h: &[u8], frame_len: usize, ctx: &RxContext) -> Result<Checked, RxDrop> {
    // check_rx sees the header with a zero payload length: everything it checks but
    // the length, which is compared with the whole frame here.
    let mut hdr = [0u8; HEADER_LEN];
    hdr.copy_from_slice(h);
    let payload_len = usize::from(u16::from_be_bytes([h[4], h[5]]));
    hdr[4] = 0;
    hdr[5] = 0;
    let p = check_rx(&hdr, ctx)?;
    let h = &p.header;
    let jumbo = payload_len == 0 && h.next_header() == proto::HOPOPTS;
    if !jumbo && payload_len + HEADER_LEN > frame_len {
        return Err(RxDrop::PayloadBeyondFrame);
    }
    Ok((
        h.src(),
        h.dst(),
        h.next_header(),
        h.hop_limit(),
        payload_len,
        h.ecn(),
    ))
}

/// `ip6_input_finish()`: walks the extension headers after the IPv6 header (the packet's
/// data starts at it) and hands the payload to the upper-layer protocol.
fn deliver(
    mut skb: Skb,
    d: &RxDev<'_>,
    hdr: &Header,
    first: u8,
    payload_len: u16,
) -> Result<(), ()> {
    let limits = d.net.limits();
    let facts = PacketFacts {
        dst_multicast: hdr.dst.is_multicast(),
        pkt_host: hdr.pkt_type == pkt_type::HOST,
        payload_len,
        after_header: skb.len().saturating_sub(HEADER_LEN),
    };
    let (mut next, mut off, mut nhoff) = (first, HEADER_LEN, crate::wire::ipv6::NEXT_HEADER_OFFSET);
    loop {
        let step = match next {
            proto::HOPOPTS if off == HEADER_LEN => {
                // Only right after the IPv6 header (ip6_rcv_core()); anywhere else it
                // is an unknown protocol.
                let lim = OptLimits {
                    max_count: limits.max_hbh_opts_cnt,
                    max_len: limits.max_hbh_opts_len,
                };
                exthdrs::hop_by_hop(ext_bytes(&mut skb, off), off, lim, &facts)
            }
            proto::DSTOPTS => {
                let lim = OptLimits {
                    max_count: limits.max_dst_opts_cnt,
                    max_len: limits.max_dst_opts_len,
                };
                exthdrs::destination(ext_bytes(&mut skb, off), off, lim, &facts)
            }
            proto::ROUTING => exthdrs::routing(ext_bytes(&mut skb, off), off, &facts),
            proto::FRAGMENT => match frag_rcv(skb, d, off, nhoff) {
                Frag::Next(packet, next, end) => {
                    skb = packet;
                    Verdict::Next {
                        next,
                        end,
                        nhoff: off,
                        jumbo: None,
                    }
                }
                Frag::Done(r) => return r,
            },
            proto::NONE => {
                raw::deliver(&mut skb, d, hdr, next, off);
                d.ip6_inc(ip_mib::INDELIVERS);
                skb.consume();
                return Ok(());
            }
            _ => {
                // An upper-layer protocol: raw sockets of it get their copies, then
                // whatever is registered for it in `inet6_protos[]` takes the packet.
                let raw = raw::deliver(&mut skb, d, hdr, next, off);
                skb.pull(off);
                skb.set_transport(off);
                skb.set_nhoff(nhoff);
                return upper(skb, d, next, raw, nhoff);
            }
        };
        match step {
            Verdict::Next {
                next: n,
                end,
                nhoff: h,
                jumbo,
            } => {
                if let Some(len) = jumbo {
                    if !skb.trim(HEADER_LEN + len as usize) {
                        skb.drop_reason(reason::NOT_SPECIFIED);
                        return Err(());
                    }
                }
                (next, off, nhoff) = (n, end, h);
            }
            Verdict::Drop(drop) => {
                ext_drop(skb, d, &drop);
                return Err(());
            }
        }
    }
}

/// `ip6_protocol_deliver_rcu()` for an upper-layer protocol `next` (the packet's data
/// and transport header at its header, named by the field at `nhoff`): the protocol
/// registered for it takes it; with none, the raw sockets' copies (`raw`) were the
/// delivery, or the sender learns of an unknown next header.
fn upper(mut skb: Skb, d: &RxDev<'_>, mut next: u8, raw: bool, nhoff: usize) -> Result<(), ()> {
    let mut after_final = false;
    loop {
        let back = match protocol::deliver(skb, next, after_final) {
            Delivered::Taken(0) => {
                d.ip6_inc(ip_mib::INDELIVERS);
                return Ok(());
            }
            Delivered::Taken(_) => return Ok(()),
            // A final protocol's encapsulation (mainline's `resubmit_final`): only
            // final protocols may take the payload. Raw sockets of the inner protocol
            // get no copy here (see design.rst).
            Delivered::Resubmit(s, n) => {
                (skb, next, after_final) = (s, n, true);
                continue;
            }
            Delivered::NoProtocol(s) => s,
            Delivered::NotFinal(s) => {
                d.ip6_inc(ip_mib::INDISCARDS);
                s.drop_reason(reason::NOT_SPECIFIED);
                return Err(());
            }
        };
        if raw && !after_final {
            d.ip6_inc(ip_mib::INDELIVERS);
            back.consume();
            return Ok(());
        }
        ext_drop(back, d, &exthdrs::unknown_protocol(nhoff));
        return Err(());
    }
}

/// What became of a fragment.
enum Frag {
    /// Go on with this packet (reassembled, or an atomic fragment) at the header of type
    /// `.1` at offset `.2`.
    Next(Skb, u8, usize),
    /// Queued, or dropped: delivery ends here.
    Done(Result<(), ()>),
}

/// `ipv6_frag_rcv()`: queue a fragment for reassembly in the kernel's `inet_frag` queues;
/// the datagram goes on once complete.
fn frag_rcv(mut skb: Skb, d: &RxDev<'_>, off: usize, nhoff: usize) -> Frag {
    d.ip6_inc(ip_mib::REASMREQDS);
    let hdr = skb.head(off + FRAG_HDR_LEN).and_then(|p| {
        let (ip, _) = Ipv6Header::parse(p).ok()?;
        let fh = &p[off..off + FRAG_HDR_LEN];
        let id = [fh[4], fh[5], fh[6], fh[7]];
        let frag_off = u16::from_be_bytes([fh[2], fh[3]]);
        Some((ip.payload_len(), fh[0], frag_off, id, ip.traffic_class()))
    });
    let (plen, next, frag_off, id, tclass) = match hdr {
        Some(h) if h.0 != 0 => h,
        _ => return frag_problem(skb, d, ParamProblemCode::HeaderField, off),
    };
    if frag_off & 0xfff9 == 0 {
        // An atomic fragment (RFC 6946) is not fragmented at all.
        d.ip6_inc(ip_mib::REASMOKS);
        return Frag::Next(skb, next, off + FRAG_HDR_LEN);
    }
    if frag_off & 0xfff8 == 0 && skb.frag_thdr_truncated() {
        // RFC 8200 §4.5: a first fragment must hold the whole header chain.
        return frag_problem(skb, d, ParamProblemCode::IncompleteChain, 0);
    }
    let Some(mut fq) = FragQueue::find_lock(d, &skb, id) else {
        d.ip6_inc(ip_mib::REASMFAILS);
        skb.drop_reason(reason::NOT_SPECIFIED);
        return Frag::Done(Err(()));
    };
    // As mainline, the queue exists (and will time out) even if the fragment is then
    // refused for its length or offset.
    let out = match frag::span(frag_off, plen, off + FRAG_HDR_LEN) {
        Ok(span) => Ok(frag_queue(skb, d, &mut fq, span, (off, nhoff), tclass)),
        Err(frag::FragError::Problem(p)) => Err((skb, p)),
    };
    drop(fq);
    match out {
        Ok(f) => f,
        Err((skb, p)) => frag_problem(skb, d, p.code, p.pointer as usize),
    }
}

/// A fragment refused on its own: `Ip6InHdrErrors` and a parameter problem.
fn frag_problem(skb: Skb, d: &RxDev<'_>, code: ParamProblemCode, pointer: usize) -> Frag {
    d.ip6_inc(ip_mib::INHDRERRORS);
    let t = crate::wire::icmpv6::kind::PARAMPROB;
    crate::net::icmp::send(skb.borrow(), t, code as u8, pointer as u32);
    skb.drop_reason(reason::NOT_SPECIFIED);
    Frag::Done(Err(()))
}

/// `ip6_frag_queue()` with the queue locked.
fn frag_queue(
    skb: Skb,
    d: &RxDev<'_>,
    fq: &mut FragQueue,
    span: frag::Span,
    (off, nhoff): (usize, usize),
    tclass: u8,
) -> Frag {
    let (len, last_in, complete) = fq.state();
    if complete {
        // Reassembly is done already: a duplicate.
        skb.drop_reason(reason::DUP_FRAG);
        return Frag::Done(Err(()));
    }
    let discard = |skb: Skb, fq: &mut FragQueue| {
        fq.kill();
        d.ip6_inc(ip_mib::REASMFAILS);
        skb.drop_reason(reason::NOT_SPECIFIED);
        Frag::Done(Err(()))
    };
    let q = match frag::queue(frag::QueueState { len, last_in }, span) {
        frag::Queue::DiscardQueue => return discard(skb, fq),
        frag::Queue::Insert(q) => q,
    };
    let ecn = frag::ecn_bit(tclass);
    match fq.insert(
        skb,
        d,
        span.offset,
        span.end,
        off + FRAG_HDR_LEN,
        q.len,
        q.last_in,
        nhoff,
        ecn,
        frag::ready,
    ) {
        // The datagram, its data at the IPv6 header again; the fragment header is gone,
        // so the next header starts at `off` and its type is in the field that named
        // the fragment header.
        Inserted::Complete(mut s) => {
            let next = s.head(nhoff + 1).map_or(proto::NONE, |p| p[nhoff]);
            Frag::Next(s, next, off)
        }
        Inserted::Queued => Frag::Done(Ok(())),
        Inserted::Duplicate(s) => {
            s.drop_reason(reason::DUP_FRAG);
            Frag::Done(Err(()))
        }
        Inserted::Overlap(s) => {
            // RFC 5722: overlapping fragments drop the whole datagram.
            d.ip6_inc(ip_mib::REASM_OVERLAPS);
            discard(s, fq)
        }
        Inserted::NoMem(s) => discard(s, fq),
        // Reassembly failed: counted, and the fragment went with the queue.
        Inserted::Failed => Frag::Done(Err(())),
    }
}

/// The packet from its IPv6 header through the extension header at `off` (as much as
/// there is), pulled into the linear area.
fn ext_bytes(skb: &mut Skb, off: usize) -> &[u8] {
    let total = skb.len();
    let hdr_len = skb
        .head((off + 2).min(total))
        .and_then(|p| p.get(off + 1))
        .map_or(0, |&l| (usize::from(l) + 1) * 8);
    let want = (off + hdr_len).min(total);
    // Fall back to what is linear already if pulling fails (memory): the walk then sees
    // a truncated header and drops the packet.
    let have = if skb.head(want).is_some() { want } else { 0 };
    skb.head(have).unwrap_or(&[])
}

/// Drops a packet an extension header refused, counting and answering as mainline.
fn ext_drop(skb: Skb, d: &RxDev<'_>, drop: &exthdrs::Drop) {
    match drop.counter {
        Counter::InHdrErrors => d.ip6_inc(ip_mib::INHDRERRORS),
        Counter::InAddrErrors => d.ip6_inc(ip_mib::INADDRERRORS),
        Counter::InTruncatedPkts => d.ip6_inc(ip_mib::INTRUNCATEDPKTS),
        Counter::InUnknownProtos => d.ip6_inc(ip_mib::INUNKNOWNPROTOS),
        Counter::None => {}
    }
    if let Some(pp) = drop.icmp {
        let t = crate::wire::icmpv6::kind::PARAMPROB;
        crate::net::icmp::send(skb.borrow(), t, pp.code as u8, pp.pointer);
    }
    skb.drop_reason(match drop.reason {
        Reason::IpInhdr => reason::IP_INHDR,
        Reason::UnhandledProto => reason::UNHANDLED_PROTO,
        Reason::PktTooSmall => reason::PKT_TOO_SMALL,
        Reason::IpNoproto => reason::IP_NOPROTO,
        Reason::NotSpecified => reason::NOT_SPECIFIED,
    });
}

/// Sends an ICMPv6 message of `len` bytes, written by `fill`, from `src` to `dst` out of
/// `d` (to `gateway`, or `dst` on the link), with `hop_limit`, through the neighbour
/// table; counts it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn send_icmp(
    d: &RxDev<'_>,
    src: &Ipv6Addr,
    dst: &Ipv6Addr,
    gateway: Option<Ipv6Addr>,
    route_mtu: u32,
    hop_limit: u8,
    tclass: u8,
    len: usize,
    fill: impl FnOnce(&mut [u8]) -> Option<()>,
) {
    let Some(mut skb) = Skb::alloc(d.dev, len) else {
        return;
    };
    let msg = skb.data_mut();
    if fill(msg).is_none() {
        skb.drop_reason(reason::NOT_SPECIFIED);
        return;
    }
    icmpv6::fill_checksum(src, dst, msg);
    let kind = msg[0];
    skb.push_ip6hdr(&src, &dst, proto::ICMPV6, hop_limit, tclass);
    d.ip6_inc(ip_mib::OUTREQUESTS);
    if output(skb, d, &gateway.unwrap_or(*dst), route_mtu) {
        d.icmp6_msg(true, kind);
        d.icmp6_inc(icmp_mib::OUTMSGS);
    }
}

/// `ip6_finish_output2()`'s multicast part for a locally generated packet (data at its
/// IPv6 header): a copy for this node's listeners when the device has joined the
/// group and the sending socket has `IPV6_MULTICAST_LOOP` (or `mld`: MLD's own
/// messages loop back); whether the packet may still leave (not with hop limit 0, not
/// interface-local groups). Unicast passes at once.
pub(crate) fn mc_out(skb: &mut Skb, d: &RxDev<'_>, mld: bool) -> bool {
    let Some((src, dst, hop_limit)) = skb
        .head(HEADER_LEN)
        .and_then(|h| header_addrs(h).map(|(src, dst)| (src, dst, h[7])))
    else {
        return true;
    };
    if !dst.is_multicast() {
        return true;
    }
    if !d.is_loopback()
        && (mld || skb.sk_mc_loop())
        && crate::ipv6::mcast::joined_from(d, &dst, &src)
    {
        if let Some(c) = skb.clone_atomic() {
            c.loopback_xmit(d);
        }
        if hop_limit == 0 {
            d.ip6_inc(ip_mib::OUTDISCARDS);
            return false;
        }
    }
    // Interface-local groups never leave the node.
    !(crate::mld::scope(&dst) <= 1 && !d.is_loopback())
}

/// `ip6_finish_output()`: sends a locally generated packet (data at its IPv6 header, no
/// extension headers) to `nexthop`, fragmenting it if it exceeds the device's IPv6 MTU.
/// A GSO packet (from another module, through one of our dsts) goes as it is: its
/// segments fit (`include/route.c` segments those that would not). Returns whether it
/// was sent or queued.
pub(crate) fn output(mut skb: Skb, d: &RxDev<'_>, nexthop: &Ipv6Addr, route_mtu: u32) -> bool {
    if !mc_out(&mut skb, d, false) {
        return false;
    }
    let mtu = effective_mtu(d.cnf().map(|c| c.mtu6.max(0) as u32), route_mtu) as usize;
    if skb.len() <= mtu || skb.is_gso() {
        return neigh_xmit(skb, d, nexthop);
    }
    fragment(skb, d, nexthop, mtu)
}

/// `ip6_fragment()` for our own packets: a fragment header after the IPv6 header.
fn fragment(mut skb: Skb, d: &RxDev<'_>, nexthop: &Ipv6Addr, mtu: usize) -> bool {
    let Some(pkt) = skb.linear() else {
        d.ip6_inc(ip_mib::FRAGFAILS);
        skb.drop_reason(reason::NOMEM);
        return false;
    };
    let Ok((hdr, payload)) = crate::wire::ipv6::Ipv6Header::parse(pkt) else {
        d.ip6_inc(ip_mib::FRAGFAILS);
        skb.drop_reason(reason::NOT_SPECIFIED);
        return false;
    };
    let (src, dst) = (hdr.src(), hdr.dst());
    let ident = d.net.select_ident(&dst, &src);
    let mut ok = true;
    for (off, len, more) in frag::pieces(payload.len(), mtu, HEADER_LEN) {
        let Some(mut f) = Skb::alloc(d.dev, FRAG_HDR_LEN + len) else {
            d.ip6_inc(ip_mib::FRAGFAILS);
            ok = false;
            break;
        };
        let b = f.data_mut();
        b[0] = hdr.next_header();
        b[1] = 0;
        b[2..4].copy_from_slice(&((off as u16) | u16::from(more)).to_be_bytes());
        b[4..8].copy_from_slice(&ident.to_ne_bytes());
        b[FRAG_HDR_LEN..].copy_from_slice(&payload[off..off + len]);
        f.push_ip6hdr(
            &src,
            &dst,
            proto::FRAGMENT,
            hdr.hop_limit(),
            hdr.traffic_class(),
        );
        d.ip6_inc(ip_mib::FRAGCREATES);
        ok &= neigh_xmit(f, d, nexthop);
    }
    if ok {
        d.ip6_inc(ip_mib::FRAGOKS);
    }
    skb.consume();
    ok
}

/// `ip6_finish_output2()`: counts the packet and hands it to the neighbour of `nexthop`
/// on the device. Returns whether it was sent or queued.
pub(crate) fn neigh_xmit(skb: Skb, d: &RxDev<'_>, nexthop: &Ipv6Addr) -> bool {
    let len = skb.len() as u64;
    if nexthop.is_multicast() {
        d.ip6_inc(ip_mib::OUTMCASTPKTS);
        d.ip6_add(ip_mib::OUTMCASTOCTETS, len);
    }
    d.ip6_inc(ip_mib::OUTPKTS);
    d.ip6_add(ip_mib::OUTOCTETS, len);
    match d.neigh_output(nexthop, skb) {
        Ok(sent) => sent,
        Err(skb) => {
            d.ip6_inc(ip_mib::OUTNOROUTES);
            skb.drop_reason(reason::NEIGH_CREATEFAIL);
            false
        }
    }
}

/// Whether `ifindex` is a device of `net`.
pub(crate) fn dev_exists(net: &Net, ifindex: u32) -> bool {
    net.dev_rcu(ifindex, &Rcu::read_lock()).is_some()
}

/// `ip6_mtu()`: the device's IPv6 MTU (`dev_mtu6`, the minimum without one), lowered
/// by the route's `mtu` metric or exception (`route_mtu`, 0 if none), never below the
/// IPv6 minimum.
fn effective_mtu(dev_mtu6: Option<u32>, route_mtu: u32) -> u32 {
    let mtu = dev_mtu6.unwrap_or(IPV6_MIN_MTU);
    if route_mtu == 0 {
        mtu
    } else {
        mtu.min(route_mtu.max(IPV6_MIN_MTU))
    }
}

/// `cnf.mtu6` of device `ifindex` in `net`, if it exists and has IPv6.
pub(crate) fn dev_mtu6(net: &Net, ifindex: u32) -> Option<u32> {
    let rcu = Rcu::read_lock();
    let d = net.dev_rcu(ifindex, &rcu)?;
    d.cnf().map(|c| c.mtu6.max(0) as u32)
}

/// `dst_mtu()` of `path`: what [`output`] fragments to.
pub(crate) fn path_mtu(net: &Net, path: &Path) -> u32 {
    effective_mtu(dev_mtu6(net, path.ifindex), path.mtu)
}

/// `ipv6_chk_addr()`: `a` is a usable (not tentative) address of ours; with `dev`, on
/// that device, or on any device when it is not link- or host-scoped.
pub(crate) fn is_local_addr(net: &Net, a: &Ipv6Addr, dev: Option<u32>) -> bool {
    chk_addr(net, a, dev, false)
}

/// `ipv6_chk_addr(net, a, dev, strict)`: as [`is_local_addr`], and with `strict` only
/// on `dev` whatever the scope.
pub(crate) fn chk_addr(net: &Net, a: &Ipv6Addr, dev: Option<u32>, strict: bool) -> bool {
    crate::net::ifaddr::walk_addrs(net, None, |v| {
        v.local.addr == *a
            && (v.local.flags & ifa_flags::TENTATIVE == 0
                || v.local.flags & ifa_flags::OPTIMISTIC != 0)
            && dev.is_none_or(|d| {
                d == v.local.ifindex || (!strict && !crate::route::needs_interface(a))
            })
    })
}

/// The source address for `dst` leaving through `oif` (`ipv6_dev_get_saddr()`): RFC
/// 6724 with `net`'s address labels, among `addrs` as the core's
/// [`crate::route::select_source`] restricts them to `oif`.
pub(crate) fn source_for(
    net: &Net,
    dst: &Ipv6Addr,
    oif: u32,
    addrs: impl IntoIterator<Item = LocalAddr>,
) -> Option<Ipv6Addr> {
    // `use_oif_addrs_only` matters only where the destination does not already keep
    // the choice to the interface.
    let oif_addrs_only =
        oif != 0 && !dst.is_multicast() && !crate::route::needs_interface(dst) && {
            let rcu = Rcu::read_lock();
            net.dev_rcu(oif, &rcu)
                .and_then(|d| d.cnf())
                .is_some_and(|c| c.use_oif_addrs_only != 0)
        };
    crate::route::select_source(dst, oif, oif_addrs_only, addrs, |a, ifindex| {
        crate::ipv6::addrlabel::label_of(net, a, ifindex)
    })
}

/// Where a packet to `dst` goes: `ip6_dst_lookup_flow()`'s answer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Path {
    /// The device it leaves through (`lo` for our own addresses).
    pub(crate) ifindex: u32,
    /// Its source address.
    pub(crate) src: Ipv6Addr,
    /// The next hop, if not `dst` itself on the link.
    pub(crate) gateway: Option<Ipv6Addr>,
    /// The route's `mtu` metric, 0 if unset.
    pub(crate) mtu: u32,
}

/// `rt6_need_strict()`: multicast, link-local and loopback destinations only match
/// routes through the interface asked for.
pub(crate) fn need_strict(dst: &Ipv6Addr) -> bool {
    dst.is_multicast() || dst.is_loopback() || dst.segments()[0] & 0xffc0 == 0xfe80
}

/// The route for a locally generated packet to `dst` (`ip6_route_output()`): through
/// `oif` if given (only through it with `bound`, a socket bound to a device, or for
/// destinations that need one); our own addresses go through `lo`. The error is the
/// errno a sender sees.
pub(crate) fn output_route(
    net: &Net,
    dst: &Ipv6Addr,
    src: Option<Ipv6Addr>,
    oif: u32,
    bound: bool,
    keys: ip6_fib::FlowKeys,
) -> Result<(u32, Route), i32> {
    let mut flow = ip6_fib::Flow::output(*dst, src, oif, bound || need_strict(dst));
    flow.keys = keys;
    let found = ip6_fib::lookup(net, &flow).inspect_err(|_| count_no_route(net))?;
    let r = found.route;
    if r.is_reject() {
        count_no_route(net);
        return Err(ip6_fib::reject_errno(r.kind));
    }
    Ok((out_dev(&r), r))
}

/// The device a packet taking route `r` leaves through: `lo` for our own (and anycast)
/// addresses, else the route's.
pub(crate) fn out_dev(r: &Route) -> u32 {
    if r.kind == rtn::LOCAL || r.kind == rtn::ANYCAST {
        crate::flow::LOOPBACK_IFINDEX
    } else {
        r.ifindex
    }
}

/// `ip6_dst_lookup_flow()` for a socket's packet to `dst`: the route (see
/// [`output_route`]) and, unless the socket has one (`saddr`), the source address: the
/// route's preferred source, or RFC 6724's choice. `-EADDRNOTAVAIL` without a source.
pub(crate) fn route_output(
    net: &Net,
    dst: &Ipv6Addr,
    oif: u32,
    bound: bool,
    saddr: Option<Ipv6Addr>,
    keys: ip6_fib::FlowKeys,
) -> Result<Path, i32> {
    // ip6_route_output_flags(): an interface without a source is strict too.
    let strict = bound || (oif != 0 && saddr.is_none());
    let (ifindex, r) = output_route(net, dst, saddr, oif, strict, keys)?;
    let path = |src| Path {
        ifindex,
        src,
        gateway: r.gateway,
        mtu: r.mtu,
    };
    let src = match saddr.or(r.prefsrc) {
        Some(s) => s,
        None => {
            // Link-scoped sources come from the interface of the destination's scope,
            // even when the packet loops back to an address of ours.
            let sdev = if oif != 0 && needs_scope_id(dst) {
                oif
            } else {
                crate::ipv6::ip6_fib::source_dev(net, &r)
            };
            let rcu = Rcu::read_lock();
            source_for(net, dst, sdev, crate::net::ifaddr::net_addrs(net, &rcu))
                .ok_or(errno::EADDRNOTAVAIL)?
        }
    };
    optimistic_detour(net, path(src), dst, oif, keys)
}

/// `ip6_dst_lookup_tail()` with optimistic DAD: a packet from an optimistic address of
/// the route's device whose next hop has a neighbour entry that is not valid yet goes
/// through the default router instead (RFC 4429 §3.3: the node must not solicit from
/// an optimistic address, whose NS would override others' caches).
fn optimistic_detour(
    net: &Net,
    path: Path,
    dst: &Ipv6Addr,
    oif: u32,
    keys: ip6_fib::FlowKeys,
) -> Result<Path, i32> {
    if path.ifindex == crate::flow::LOOPBACK_IFINDEX {
        return Ok(path);
    }
    let detour = {
        let rcu = Rcu::read_lock();
        net.dev_rcu(path.ifindex, &rcu).is_some_and(|d| {
            // The source's flags first, read in place under RCU: for any other than an
            // optimistic source, the common case, no neighbour lookup (which takes a
            // reference) on this path.
            let optimistic = crate::net::ifaddr::walk_addrs(net, Some(&d), |a| {
                a.local.addr == path.src && a.local.flags & ifa_flags::OPTIMISTIC != 0
            });
            let next = path.gateway.unwrap_or(*dst);
            optimistic
                && crate::net::neigh::Neigh::of(&d, &next, false)
                    .is_some_and(|n| n.nud_state() & crate::ndisc::nud::VALID == 0)
        })
    };
    if !detour {
        return Ok(path);
    }
    let (ifindex, r) = output_route(
        net,
        &Ipv6Addr::UNSPECIFIED,
        Some(path.src),
        oif,
        false,
        keys,
    )?;
    Ok(Path {
        ifindex,
        src: path.src,
        gateway: r.gateway,
        mtu: r.mtu,
    })
}

/// `IPSTATS_MIB_OUTNOROUTES` of the namespace, for a failed output lookup.
fn count_no_route(net: &Net) {
    let rcu = Rcu::read_lock();
    if let Some(lo) = net.dev_rcu(crate::flow::LOOPBACK_IFINDEX, &rcu) {
        if lo.has_idev() {
            lo.ip6_inc(ip_mib::OUTNOROUTES);
        }
    }
}

/// `ip6_send_skb()` for a socket's packet: `skb` holds the upper-layer message (and,
/// with `hdrincl`, the IPv6 header before it); sends it out of `ifindex` to `dst`.
pub(crate) struct Send {
    /// Device, source, next hop and MTU, as the route gave them.
    pub(crate) path: Path,
    pub(crate) dst: Ipv6Addr,
    pub(crate) next: u8,
    /// `None`: the outgoing device's `hop_limit` (the route's).
    pub(crate) hop_limit: Option<u8>,
    pub(crate) tclass: u8,
    pub(crate) hdrincl: bool,
}

/// Sends `skb` as `s` says; returns `-ENETUNREACH` if the device went away meanwhile.
pub(crate) fn send(net: &Net, mut skb: Skb, s: &Send) -> Result<(), i32> {
    let rcu = Rcu::read_lock();
    match net.dev_rcu(s.path.ifindex, &rcu) {
        Some(d) if d.has_idev() => {
            let kind = (s.next == proto::ICMPV6 && !s.hdrincl)
                .then(|| skb.head(1).map(|b| b[0]))
                .flatten();
            skb.set_dev(&d);
            if !s.hdrincl {
                let hop_limit = s
                    .hop_limit
                    .unwrap_or_else(|| d.cnf().map_or(64, |c| c.hop_limit as u8));
                skb.push_ip6hdr(&s.path.src, &s.dst, s.next, hop_limit, s.tclass);
            } else {
                skb.reset_network_header();
            }
            d.ip6_inc(ip_mib::OUTREQUESTS);
            if let Some(k) = kind {
                d.icmp6_msg(true, k);
                d.icmp6_inc(icmp_mib::OUTMSGS);
            }
            output(skb, &d, &s.path.gateway.unwrap_or(s.dst), s.path.mtu);
            Ok(())
        }
        _ => {
            skb.drop_reason(reason::NOT_SPECIFIED);
            Err(errno::ENETUNREACH)
        }
    }
}
