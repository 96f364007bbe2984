// SPDX-License-Identifier: GPL-2.0

//! Kernel glue: safe wrappers over kernel concepts (one file each), and the handlers that
//! carry out the protocol core's decisions with them. Every `unsafe` block of the module
//! lives here, each with a `// SAFETY:` comment.
//!
//! The protocol core's modules sit at the crate root (`crate::addrconf`, `crate::wire`,
//! ...); the glue module of the same concern has the same name here
//! (`crate::glue::addrconf`), as mainline's `net/ipv6/addrconf.c` pairs with both.

pub(crate) mod addrconf;
pub(crate) mod addrlabel;
pub(crate) mod fib;
pub(crate) mod fib_rules;
pub(crate) mod forward;
pub(crate) mod icmp;
pub(crate) mod ifaddr;
pub(crate) mod inet6_dev;
pub(crate) mod ip6;
pub(crate) mod lock;
pub(crate) mod mcast;
pub(crate) mod ndisc;
pub(crate) mod netdev;
pub(crate) mod netlink;
pub(crate) mod netns;
pub(crate) mod nexthop;
pub(crate) mod ping;
pub(crate) mod pmtu;
pub(crate) mod procfs;
pub(crate) mod raw;
pub(crate) mod rcu;
pub(crate) mod route;
pub(crate) mod skb;
pub(crate) mod snmp6;
pub(crate) mod sock;
pub(crate) mod sockerr;
pub(crate) mod sysctl;
pub(crate) mod udp;

/// The kernel's `struct in6_addr` for an address.
pub(crate) fn in6(a: &core::net::Ipv6Addr) -> crate::bindings::in6_addr {
    crate::bindings::in6_addr {
        in6_u: crate::bindings::in6_addr__bindgen_ty_1 {
            u6_addr8: a.octets(),
        },
    }
}

/// Shortens `v` to `len` entries (the 6.12 kernel vector has no `truncate`). Entries
/// are `Copy`, so those cut off need no drop.
pub(crate) fn truncate<T: Copy>(v: &mut kernel::alloc::KVec<T>, len: usize) {
    if len < v.len() {
        // SAFETY: shrinking only; `T` is `Copy`, so the entries cut off need no drop.
        unsafe { v.set_len(len) };
    }
}
