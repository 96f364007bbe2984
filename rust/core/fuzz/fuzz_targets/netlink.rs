// SPDX-License-Identifier: GPL-2.0
//! Netlink attribute streams and `RTA_MULTIPATH` next hops, nested as routes nest them.
#![no_main]

use ipv6_core::wire::netlink::{attrs, rtnexthops};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for a in attrs(data) {
        let Ok(a) = a else { break };
        assert!(a.data.len() <= data.len());
        let _ = (a.u32(), a.u8(), a.in6());
        for nh in rtnexthops(a.data) {
            for na in attrs(nh.attrs) {
                let Ok(na) = na else { break };
                let _ = na.in6();
            }
        }
    }
});
