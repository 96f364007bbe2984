// SPDX-License-Identifier: GPL-2.0
//! Extension header chains and their options from any starting header, and the options
//! walks of the receive path at any offset.
#![no_main]

use ipv6_core::{
    exthdrs::{self, OptLimits, PacketFacts},
    wire::ext::Chain,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [first, flags, off, rest @ ..] = data else {
        return;
    };
    let mut chain = Chain::new(*first, rest);
    let mut end = 0;
    for h in chain.by_ref() {
        let Ok(h) = h else { break };
        for o in h.options() {
            let Ok(o) = o else { break };
            let _ = o.unknown_action();
        }
        let _ = (h.next_header(), h.fragment(), h.routing());
        end += 1;
    }
    let (_, upper) = chain.upper();
    assert!(upper <= rest.len());
    assert!(end <= rest.len() / 2 + 1);
    let facts = PacketFacts {
        dst_multicast: flags & 1 != 0,
        pkt_host: flags & 2 != 0,
        payload_len: rest.len() as u16,
        after_header: rest.len(),
    };
    let lim = OptLimits {
        max_count: i32::from(*flags as i8 >> 2),
        max_len: i32::from(*flags) * 4,
    };
    let off = usize::from(*off);
    let _ = exthdrs::hop_by_hop(rest, off, lim, &facts);
    let _ = exthdrs::destination(rest, off, lim, &facts);
    let _ = exthdrs::routing(rest, off, &facts);
});
