// SPDX-License-Identifier: GPL-2.0

//! The kernel's raw socket support, as raw IPv6 sockets use it (mainline `raw.c` calls
//! the same): `struct raw6_sock` (checksum offset and ICMPv6 filter), the raw socket
//! hash, and the datagram receive queue.

use crate::{
    bindings,
    net::{
        netns::Net,
        proto::Proto,
        skb::{reason, Skb, SkbRef},
        sock::{walk_tramp, Sock},
    },
    sock::Icmp6Filter,
};
use core::{
    ffi::{c_int, c_uint},
    ptr::NonNull,
};

/// `rawv6_prot`: the protocol table of raw sockets, with `T`'s operations.
pub(crate) fn proto<T: Proto>(owner: *mut bindings::module) -> bindings::proto {
    let mut p = bindings::proto {
        close: Some(bindings::ipv6_rs_sk_common_release),
        disconnect: Some(bindings::__udp_disconnect),
        ioctl: Some(bindings::ipv6_rs_raw_ioctl),
        backlog_rcv: Some(queue_rcv),
        hash: Some(bindings::raw_hash_sk),
        unhash: Some(bindings::raw_unhash_sk),
        obj_size: core::mem::size_of::<bindings::raw6_sock>() as c_uint,
        ipv6_pinfo_offset: core::mem::offset_of!(bindings::raw6_sock, inet6) as c_uint,
        useroffset: core::mem::offset_of!(bindings::raw6_sock, filter) as c_uint,
        usersize: core::mem::size_of::<bindings::icmp6_filter>() as c_uint,
        h: bindings::proto__bindgen_ty_1 {
            // SAFETY: the hash is a static of the C helpers, initialised at load.
            raw_hash: unsafe { bindings::ipv6_rs_raw_hashinfo() },
        },
        owner,
        ..Default::default()
    };
    super::proto::set_ops::<T>(&mut p);
    p
}

/// `rawv6_rcv_skb()`, the protocol's `backlog_rcv`: onto the receive queue, or dropped
/// with the queue's reason.
///
/// # Safety
/// Called with a live socket of ours and a packet handed over to it.
unsafe extern "C" fn queue_rcv(sk: *mut bindings::sock, skb: *mut bindings::sk_buff) -> c_int {
    let mut why: bindings::skb_drop_reason = reason::NOT_SPECIFIED;
    // SAFETY: see the function's contract.
    unsafe {
        if bindings::sock_queue_rcv_skb_reason(sk, skb, &mut why) < 0 {
            bindings::ipv6_rs_kfree_skb_reason(skb, why);
            return bindings::NET_RX_DROP as c_int;
        }
    }
    0
}

/// Hands `skb` to a raw socket as its `backlog_rcv` would.
pub(crate) fn queue(sk: &Sock, skb: Skb) {
    // SAFETY: a live raw socket of ours and a packet we give it.
    unsafe { queue_rcv(sk.as_ptr(), skb.into_raw()) };
}

impl Sock {
    fn raw6(&self) -> *mut bindings::raw6_sock {
        // Every socket of `rawv6_prot` is a `struct raw6_sock` (its obj_size). The
        // callers below are raw sockets' own operations and walks of the raw hash.
        self.as_ptr().cast()
    }

    /// `IPV6_CHECKSUM`: the offset of the checksum the stack computes and checks, if
    /// enabled. For raw sockets only.
    pub(crate) fn raw_checksum(&self) -> Option<u32> {
        let rp = self.raw6();
        // SAFETY: a raw socket of ours; plain field reads.
        unsafe { ((*rp).checksum != 0).then(|| (*rp).offset) }
    }

    /// Sets `IPV6_CHECKSUM`; under the socket's lock, or on a new socket.
    pub(crate) fn set_raw_checksum(&self, c: Option<u32>) {
        let rp = self.raw6();
        // SAFETY: a raw socket of ours, under its lock (setsockopt) or new (init).
        unsafe {
            (*rp).checksum = u32::from(c.is_some());
            if let Some(o) = c {
                (*rp).offset = o;
            }
        }
    }

    /// The `ICMP6_FILTER` of a raw ICMPv6 socket.
    pub(crate) fn icmp_filter(&self) -> Icmp6Filter {
        // SAFETY: a raw socket of ours; the filter is plain data.
        Icmp6Filter(unsafe { (*self.raw6()).filter.data })
    }

    /// Sets the `ICMP6_FILTER` of a raw ICMPv6 socket from its first bytes.
    pub(crate) fn set_icmp_filter(&self, bytes: &[u8]) {
        let mut f = self.icmp_filter().0;
        for (w, b) in f.iter_mut().zip(bytes.chunks(4)) {
            let mut word = w.to_ne_bytes();
            word[..b.len()].copy_from_slice(b);
            *w = u32::from_ne_bytes(word);
        }
        // SAFETY: a raw socket of ours, under its lock; plain data.
        unsafe { (*self.raw6()).filter.data = f };
    }

    /// Sets or clears an `inet6_flags` bit (`IPV6_HDRINCL`, ...).
    pub(crate) fn assign_bit(&self, bit: u32, on: bool) {
        // SAFETY: a live socket of ours; an atomic bit operation.
        unsafe { bindings::ipv6_rs_sk_assign_bit(self.as_ptr(), bit as c_int, on) };
    }

    /// The receive queue is at its limit (`sk_rmem_alloc` over `sk_rcvbuf`).
    pub(crate) fn rmem_full(&self) -> bool {
        // SAFETY: a live socket; atomic reads.
        unsafe { bindings::ipv6_rs_sk_rmem_full(self.as_ptr()) }
    }
}

/// Calls `f` for each raw socket of `protocol` in `net` until it returns true; each
/// is borrowed for the call only (the walk holds RCU inside).
pub(crate) fn for_each<F: for<'s> FnMut(&'s Sock) -> bool>(net: &Net, protocol: u8, f: &mut F) {
    // SAFETY: `net` is live; the trampoline matches `F`, which outlives the walk.
    unsafe {
        bindings::ipv6_rs_raw_for_each(
            net.as_ptr(),
            protocol,
            Some(walk_tramp::<F>),
            (f as *mut F).cast(),
        )
    };
}

/// A packet taken from a socket's receive queue (`skb_recv_datagram()`), given back
/// with [`Queued::free`].
///
/// # Invariants
/// `skb` was returned by `skb_recv_datagram()` for the socket and is held by us.
#[must_use = "a queued packet must be freed"]
pub(crate) struct Queued(NonNull<bindings::sk_buff>);

impl Queued {
    /// The next packet of `sk` (`MSG_PEEK`, `MSG_DONTWAIT` in `flags`), or the errno.
    pub(crate) fn recv(sk: &Sock, flags: i32) -> Result<Self, i32> {
        let mut err: c_int = 0;
        // SAFETY: a live socket; the packet returned is ours until freed.
        let skb = unsafe { bindings::skb_recv_datagram(sk.as_ptr(), flags as c_uint, &mut err) };
        NonNull::new(skb).map(Self).ok_or(-err)
    }

    /// The packet, borrowed.
    pub(crate) fn skb(&self) -> SkbRef<'_> {
        // SAFETY: ours (type invariant), for the borrow.
        unsafe { SkbRef::from_raw(self.0.as_ptr()) }.expect("non-null")
    }

    /// Gives it back (`skb_free_datagram()`).
    pub(crate) fn free(self, sk: &Sock) {
        // SAFETY: ours, from `sk`'s queue (type invariant); not used again.
        unsafe { bindings::skb_free_datagram(sk.as_ptr(), self.0.as_ptr()) };
    }
}

impl Skb {
    /// Marks the checksum as checked (`skb->ip_summed = CHECKSUM_UNNECESSARY`), for a
    /// raw socket that does not ask for one.
    pub(crate) fn set_csum_unnecessary(&mut self) {
        // SAFETY: a valid packet we own.
        unsafe { bindings::ipv6_rs_skb_csum_unnecessary(self.as_ptr()) };
    }
}

impl SkbRef<'_> {
    /// The packet's length (`skb->len`).
    pub(crate) fn len(&self) -> usize {
        // SAFETY: a packet we hold; a plain read.
        unsafe { (*self.as_ptr()).len as usize }
    }
}
