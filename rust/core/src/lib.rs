// SPDX-License-Identifier: GPL-2.0

//! Protocol core of ipv6_rs.
//!
//! Plain `no_std` Rust with no kernel types: typed views over packet bytes and the
//! decisions made from them. It is built and tested on the host with `cargo test` and
//! compiled unchanged into `ipv6_rs.ko`, where `rust/af_inet6.rs` mounts each top-level
//! module below at the module crate's root (so `crate::wire` means the same in both).
//! Keep that list and this one identical: `scripts/check-core-mounts` verifies it.
#![no_std]

pub mod addrconf;
pub mod addrlabel;
pub mod anycast;
pub mod conf;
pub mod ctx;
pub mod dad;
pub mod errno;
pub mod exthdrs;
pub mod fib;
pub mod flow;
pub mod forward;
pub mod frag;
pub mod icmp;
pub mod mld;
pub mod mld_src;
pub mod mphash;
pub mod ndisc;
pub mod pmtu;
pub mod privacy;
pub mod route;
pub mod rules;
pub mod sit;
pub mod sock;
pub mod tunnel;
pub mod wire;
