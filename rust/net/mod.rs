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

pub(crate) mod anycast;
pub(crate) mod devconf;
pub(crate) mod device;
pub(crate) mod exports;
pub(crate) mod fib_rules;
pub(crate) mod fib_store;
pub(crate) mod frag;
pub(crate) mod icmp;
pub(crate) mod ifaddr;
pub(crate) mod inet6_dev;
pub(crate) mod lock;
pub(crate) mod mcast;
pub(crate) mod mib;
pub(crate) mod neigh;
pub(crate) mod netlink;
pub(crate) mod netns;
pub(crate) mod nexthop;
pub(crate) mod packet;
pub(crate) mod ping;
pub(crate) mod procfs;
pub(crate) mod proto;
pub(crate) mod protocol;
pub(crate) mod raw;
pub(crate) mod rcu;
pub(crate) mod rd;
pub(crate) mod sit;
pub(crate) mod skb;
pub(crate) mod sock;
pub(crate) mod sysctl;
pub(crate) mod time;
pub(crate) mod tunnel;
pub(crate) mod uapi;
pub(crate) mod udp;

/// The kernel's `struct in6_addr` for an address.
pub(crate) fn in6(a: &core::net::Ipv6Addr) -> crate::bindings::in6_addr {
    crate::bindings::in6_addr {
        in6_u: crate::bindings::in6_addr__bindgen_ty_1 {
            u6_addr8: a.octets(),
        },
    }
}

/// `net_ratelimit()`: whether a networking warning may be logged now.
pub(crate) fn net_ratelimit() -> bool {
    // SAFETY: no precondition.
    unsafe { crate::bindings::net_ratelimit() != 0 }
}

/// `get_random_u32()`.
pub(crate) fn random_u32() -> u32 {
    // SAFETY: no precondition.
    unsafe { crate::bindings::get_random_u32() }
}

/// `get_random_u32_below(ceil)`: uniformly in `0..ceil` (0 if `ceil` is 0).
pub(crate) fn random_u32_below(ceil: u32) -> u32 {
    if ceil == 0 {
        return 0;
    }
    // SAFETY: no precondition.
    unsafe { crate::bindings::ipv6_rs_random_u32_below(ceil) }
}

/// The kernel's randomness, for the core's state machines.
pub(crate) struct KernelRandom;

impl crate::ctx::Random for KernelRandom {
    fn below(&mut self, ceil: u32) -> u32 {
        random_u32_below(ceil)
    }

    fn fill(&mut self, buf: &mut [u8]) {
        // SAFETY: `buf` is writable for its length.
        unsafe { crate::bindings::get_random_bytes(buf.as_mut_ptr().cast(), buf.len()) };
    }
}

/// The address in a kernel `struct in6_addr`.
pub(crate) fn in6_addr(a: &crate::bindings::in6_addr) -> core::net::Ipv6Addr {
    // SAFETY: every bit pattern of the in6_addr union is a valid [u8; 16].
    core::net::Ipv6Addr::from(unsafe { a.in6_u.u6_addr8 })
}

/// Shortens `v` to `len` entries (the 6.12 kernel vector has no `truncate`). Entries
/// are `Copy`, so those cut off need no drop.
pub(crate) fn truncate<T: Copy>(v: &mut kernel::alloc::KVec<T>, len: usize) {
    if len < v.len() {
        // SAFETY: shrinking only; `T` is `Copy`, so the entries cut off need no drop.
        unsafe { v.set_len(len) };
    }
}

// The core's errno values are the kernel's (`crate::errno` is plain numbers).
const _: () = assert!(crate::errno::EACCES as u32 == crate::bindings::EACCES);
const _: () = assert!(crate::errno::EADDRINUSE as u32 == crate::bindings::EADDRINUSE);
const _: () = assert!(crate::errno::EADDRNOTAVAIL as u32 == crate::bindings::EADDRNOTAVAIL);
const _: () = assert!(crate::errno::EAFNOSUPPORT as u32 == crate::bindings::EAFNOSUPPORT);
const _: () = assert!(crate::errno::EAGAIN as u32 == crate::bindings::EAGAIN);
const _: () = assert!(crate::errno::EDESTADDRREQ as u32 == crate::bindings::EDESTADDRREQ);
const _: () = assert!(crate::errno::EEXIST as u32 == crate::bindings::EEXIST);
const _: () = assert!(crate::errno::EFAULT as u32 == crate::bindings::EFAULT);
const _: () = assert!(crate::errno::EPERM as u32 == crate::bindings::EPERM);
const _: () = assert!(crate::errno::EHOSTUNREACH as u32 == crate::bindings::EHOSTUNREACH);
const _: () = assert!(crate::errno::EILSEQ as u32 == crate::bindings::EILSEQ);
const _: () = assert!(crate::errno::EINPROGRESS as u32 == crate::bindings::EINPROGRESS);
const _: () = assert!(crate::errno::EINVAL as u32 == crate::bindings::EINVAL);
const _: () = assert!(crate::errno::EMSGSIZE as u32 == crate::bindings::EMSGSIZE);
const _: () = assert!(crate::errno::ENETDOWN as u32 == crate::bindings::ENETDOWN);
const _: () = assert!(crate::errno::ENETUNREACH as u32 == crate::bindings::ENETUNREACH);
const _: () = assert!(crate::errno::ENOBUFS as u32 == crate::bindings::ENOBUFS);
const _: () = assert!(crate::errno::ENODEV as u32 == crate::bindings::ENODEV);
const _: () = assert!(crate::errno::ENOENT as u32 == crate::bindings::ENOENT);
const _: () = assert!(crate::errno::ENOMEM as u32 == crate::bindings::ENOMEM);
const _: () = assert!(crate::errno::ENOPROTOOPT as u32 == crate::bindings::ENOPROTOOPT);
const _: () = assert!(crate::errno::ENXIO as u32 == crate::bindings::ENXIO);
const _: () = assert!(crate::errno::EOPNOTSUPP as u32 == crate::bindings::EOPNOTSUPP);
const _: () = assert!(crate::errno::EPROTONOSUPPORT as u32 == crate::bindings::EPROTONOSUPPORT);
const _: () = assert!(crate::errno::ESOCKTNOSUPPORT as u32 == crate::bindings::ESOCKTNOSUPPORT);
const _: () = assert!(crate::errno::ESRCH as u32 == crate::bindings::ESRCH);
const _: () = assert!(crate::flow::LOOPBACK_IFINDEX == crate::bindings::LOOPBACK_IFINDEX);
