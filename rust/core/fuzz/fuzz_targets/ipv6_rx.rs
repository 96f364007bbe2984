// SPDX-License-Identifier: GPL-2.0
//! A received frame as `ipv6_rcv()` sees it: the fixed header checks, then the
//! extension header chain and the options headers the receive path walks.
#![no_main]

use ipv6_core::{
    exthdrs::{self, OptLimits, PacketFacts},
    wire::{
        ext::Chain,
        ipv6::{check_rx, RxContext, HEADER_LEN},
        proto,
    },
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, frame)) = data.split_first() else {
        return;
    };
    let ctx = RxContext {
        loopback_dev: flags & 1 != 0,
        looped_back: flags & 2 != 0,
        l2_multicast: flags & 4 != 0,
        drop_unicast_in_l2_multicast: flags & 8 != 0,
    };
    let Ok(p) = check_rx(frame, &ctx) else {
        return;
    };
    assert!(p.payload.len() <= frame.len() - HEADER_LEN);
    let mut chain = Chain::new(p.header.next_header(), p.payload);
    for h in chain.by_ref() {
        let Ok(h) = h else { break };
        let _ = (h.fragment(), h.routing(), h.options().count());
    }
    let (_, off) = chain.upper();
    assert!(off <= p.payload.len());
    let facts = PacketFacts {
        dst_multicast: p.header.dst().is_multicast(),
        pkt_host: flags & 16 != 0,
        payload_len: p.header.payload_len(),
        after_header: frame.len() - HEADER_LEN,
    };
    let lim = OptLimits {
        max_count: i32::from(flags as i8),
        max_len: 8 * i32::from(flags >> 4),
    };
    match p.header.next_header() {
        proto::HOPOPTS => {
            let _ = exthdrs::hop_by_hop(frame, HEADER_LEN, lim, &facts);
        }
        proto::DSTOPTS => {
            let _ = exthdrs::destination(frame, HEADER_LEN, lim, &facts);
        }
        proto::ROUTING => {
            let _ = exthdrs::routing(frame, HEADER_LEN, &facts);
        }
        _ => {}
    }
});
