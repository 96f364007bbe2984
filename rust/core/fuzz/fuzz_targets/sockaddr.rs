// SPDX-License-Identifier: GPL-2.0
//! `struct sockaddr_in6` as the socket layer copies it in, of any length.
#![no_main]

use ipv6_core::sock::SockAddr;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(a) = SockAddr::parse(data) {
        let b = SockAddr::emit(&a.addr, a.port, a.flowinfo, a.scope_id);
        assert_eq!(SockAddr::parse(&b).map(|x| x.addr), Ok(a.addr));
    }
});
