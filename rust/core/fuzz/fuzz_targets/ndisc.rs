// SPDX-License-Identifier: GPL-2.0
//! Neighbour discovery messages (NS/NA, RA, redirect) and their options.
#![no_main]

use ipv6_core::wire::ndisc::{lladdr, NdMsg, NdOptions, PrefixInfo, RaMsg, RedirectMsg, RouteInfo};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = NdMsg::parse(data);
    let _ = RaMsg::parse(data);
    if let Ok(r) = RedirectMsg::parse(data) {
        let _ = r.redirected();
    }
    if let Ok(o) = NdOptions::parse(data) {
        for kind in 0..=40u8 {
            for opt in o.each(kind) {
                let _ = (PrefixInfo::parse(opt), RouteInfo::parse(opt));
                for alen in [0, 6, 8, 20] {
                    if let Some(a) = lladdr(opt, alen) {
                        assert!(a.len() == alen);
                    }
                }
            }
        }
        let _ = (o.mtu_value(), o.nonce_value());
    }
});
