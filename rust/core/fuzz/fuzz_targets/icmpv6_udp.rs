// SPDX-License-Identifier: GPL-2.0
//! The UDP header checks and the ICMPv6 checksum over any message.
#![no_main]

use core::net::Ipv6Addr;
use ipv6_core::wire::{icmpv6, udp::UdpHeader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [a, b, rest @ ..] = data else {
        return;
    };
    let payload_len = usize::from(u16::from_be_bytes([*a, *b]));
    let _ = UdpHeader::parse(rest, payload_len);
    let _ = icmpv6::is_error(*a);
    let (src, dst) = (Ipv6Addr::LOCALHOST, Ipv6Addr::UNSPECIFIED);
    let mut msg = rest.to_vec();
    if msg.len() >= 4 {
        icmpv6::fill_checksum(&src, &dst, &mut msg);
        // A filled-in checksum verifies.
        assert_eq!(icmpv6::checksum(&src, &dst, 58, &msg), 0);
    }
});
