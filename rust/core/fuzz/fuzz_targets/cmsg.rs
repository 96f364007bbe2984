// SPDX-License-Identifier: GPL-2.0
//! The control messages of a `sendmsg()`, as the kernel's copy holds them, of any
//! length and content: the walk stays within the buffer and the IPv6 ones are checked.
#![no_main]

use ipv6_core::wire::cmsg::{Cmsgs, SendCtl, SOL_IPV6};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut out = SendCtl::default();
    for c in Cmsgs::new(data) {
        let Ok(c) = c else { break };
        assert!(c.offset + c.len <= data.len());
        assert_eq!(c.data.len() + 16, c.len);
        if c.level == SOL_IPV6 && out.take(&c).is_ok() {
            assert!((-1..=255).contains(&out.hop_limit));
            assert!((-1..=255).contains(&out.tclass));
            assert!((-1..=1).contains(&out.dontfrag));
        }
    }
});
