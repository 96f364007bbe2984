// SPDX-License-Identifier: GPL-2.0

//! The protocol handlers, one file per concern, named after mainline's `net/ipv6` files
//! (`ip6_input`, `ndisc`, `addrconf`, `fib6_rules`, ...). They use the kernel layer
//! (`crate::net`) and carry out what the protocol core (`crate::wire`, `crate::fib`,
//! `crate::addrconf`, ...) decides. `scripts/check-layers` holds them to the layering:
//! no new `unsafe` and no new use of the bindings here.

pub(crate) mod addrconf;
pub(crate) mod addrlabel;
pub(crate) mod af_inet6;
pub(crate) mod anycast;
pub(crate) mod datagram;
pub(crate) mod exports;
pub(crate) mod fib6_rules;
pub(crate) mod icmp;
pub(crate) mod ip6_fib;
pub(crate) mod ip6_forward;
pub(crate) mod ip6_input;
pub(crate) mod ip6_tunnel;
pub(crate) mod mcast;
pub(crate) mod ndisc;
pub(crate) mod nexthop;
pub(crate) mod ping;
pub(crate) mod pmtu;
pub(crate) mod proc;
pub(crate) mod raw;
pub(crate) mod route;
pub(crate) mod sit;
pub(crate) mod udp;
