// SPDX-License-Identifier: GPL-2.0

//! ICMPv6 glue (mainline `net/ipv6/icmp.c`): receive, checksum, echo replies, and the
//! hand-off of neighbour discovery messages.

use super::{
    ip6::{self, walk_addrs, Dest, Header, RxDev},
    ndisc,
    skb::{reason, Skb},
};
use crate::{
    bindings,
    route::{connected_route, select_source},
    wire::{icmpv6::kind, icmpv6::HEADER_LEN, proto},
};
use core::net::Ipv6Addr;
use kernel::prelude::*;

/// `icmpv6_rcv()`: the payload from `data` on is the ICMPv6 message.
pub(crate) fn rcv(mut skb: Skb, d: &RxDev, hdr: &Header) -> Result<(), ()> {
    d.icmp6_inc(bindings::ICMP6_MIB_INMSGS);
    if !skb.csum_valid(proto::ICMPV6) {
        d.icmp6_inc(bindings::ICMP6_MIB_CSUMERRORS);
        d.icmp6_inc(bindings::ICMP6_MIB_INERRORS);
        skb.drop_reason(reason::ICMP_CSUM);
        return Err(());
    }
    // ICMPv6 messages are small: make the whole message linear once.
    let t = match skb.linear() {
        Some(msg) if msg.len() >= HEADER_LEN => msg[0],
        r => {
            d.icmp6_inc(bindings::ICMP6_MIB_INERRORS);
            let why = if r.is_none() {
                reason::NOMEM
            } else {
                reason::PKT_TOO_SMALL
            };
            skb.drop_reason(why);
            return Err(());
        }
    };
    d.icmp6_msg(false, t);
    match t {
        kind::ECHO_REQUEST => {
            if let Some(msg) = skb.linear() {
                echo_reply(d, hdr, msg);
            }
            skb.consume();
            Ok(())
        }
        kind::NEIGHBOUR_SOLICITATION
        | kind::NEIGHBOUR_ADVERTISEMENT
        | kind::ROUTER_SOLICITATION
        | kind::ROUTER_ADVERTISEMENT
        | kind::REDIRECT => ndisc::rcv(skb, d, hdr),
        // Echo replies go to ping sockets and MLD to the multicast state, which come
        // with those features; errors are for the sockets that sent the packet.
        _ => {
            skb.consume();
            Ok(())
        }
    }
}

/// `icmpv6_echo_reply()`: answer an echo request with the same identifier, sequence
/// number and data.
fn echo_reply(d: &RxDev, hdr: &Header, req: &[u8]) {
    let mut addrs = KVec::new();
    walk_addrs(d.net, None, |a| addrs.push(a.local, GFP_ATOMIC).is_err());
    // Replies to multicast requests come from the best source for the requester.
    let src = match hdr.dest {
        Dest::Unicast => hdr.dst,
        Dest::Multicast => match select_source(&hdr.src, d.ifindex(), addrs.iter().copied()) {
            Some(s) => s,
            None => return,
        },
    };
    // The reply leaves through the device the request came in on when the requester
    // is link-local; otherwise through the connected prefix that reaches it.
    let out = match connected_route(&hdr.src, Some(d.ifindex()), addrs.iter().copied())
        .or_else(|| connected_route(&hdr.src, None, addrs.iter().copied()))
    {
        Some(i) => i,
        None => return,
    };
    if out == d.ifindex() {
        send_reply(d, &src, &hdr.src, req);
    } else {
        // SAFETY: RCU is held in softirq; the device, if found, is live meanwhile.
        let dev = unsafe { bindings::ipv6_rs_dev_get_by_index_rcu(d.net, out as i32) };
        if !dev.is_null() {
            // SAFETY: live device under RCU.
            let o = unsafe { RxDev::new(dev) };
            send_reply(&o, &src, &hdr.src, req);
        }
    }
}

fn send_reply(d: &RxDev, src: &Ipv6Addr, dst: &Ipv6Addr, req: &[u8]) {
    let hop_limit = d.cnf().map_or(64, |c| c.hop_limit as u8);
    ip6::send_icmp(d, src, dst, hop_limit, 0, req.len(), |buf| {
        buf.copy_from_slice(req);
        buf[0] = kind::ECHO_REPLY;
        buf[1] = 0;
        Some(())
    });
}
