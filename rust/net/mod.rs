// SPDX-License-Identifier: GPL-2.0

//! The kernel layer: the only code of the module that names the generated bindings.
//!
//! Each file wraps one kernel concept (a namespace, a device, its `inet6_dev`, an
//! address, a packet, a socket, netlink, sysctl, RCU, locks) in types whose methods are
//! safe to call, with a `// SAFETY:` comment on every `unsafe` block and a `# Safety`
//! section on every `unsafe fn`. The protocol handlers (`crate::ipv6`) use these types
//! and carry out what the protocol core (the crate-root modules `crate::wire`,
//! `crate::fib`, ...) decides; see `Documentation/design.rst` for the layering and what
//! still has to move here.

pub(crate) mod device;
pub(crate) mod ifaddr;
pub(crate) mod inet6_dev;
pub(crate) mod lock;
pub(crate) mod netlink;
pub(crate) mod netns;
pub(crate) mod procfs;
pub(crate) mod rcu;
pub(crate) mod skb;
pub(crate) mod sock;
pub(crate) mod sysctl;

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
