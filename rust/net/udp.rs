// SPDX-License-Identifier: GPL-2.0

//! The kernel's built-in UDP library, as UDP over IPv6 uses it (mainline `udp.c` calls
//! the same): `struct udp6_sock`, ports in the shared `udp_table`, the receive queue
//! (`__udp_enqueue_schedule_skb()`, `__skb_recv_udp()`, `skb_consume_udp()`),
//! `udp_lib_*` options and the UDP MIB.

use crate::{
    bindings,
    net::{
        netns::Net,
        proto::{OptIn, OptOut, Proto},
        skb::{reason, Skb, SkbRef},
        sock::{walk_tramp, Sock},
    },
};
use core::{
    ffi::{c_int, c_uint},
    ptr::NonNull,
};

/// `udpv6_prot`: the protocol table of UDP sockets, with `T`'s operations.
pub(crate) fn proto<T: Proto>(owner: *mut bindings::module) -> bindings::proto {
    // SAFETY: the helpers return addresses of the kernel's UDP accounting.
    let (fw_alloc, rmem, wmem) = unsafe {
        (
            bindings::ipv6_rs_udp_memory_per_cpu_fw_alloc(),
            bindings::ipv6_rs_udp_sysctl_offsets(1),
            bindings::ipv6_rs_udp_sysctl_offsets(0),
        )
    };
    let mut p = bindings::proto {
        close: Some(bindings::ipv6_rs_udp_close),
        disconnect: Some(bindings::udp_disconnect),
        ioctl: Some(bindings::udp_ioctl),
        init: Some(bindings::ipv6_rs_udp_init_sock),
        unhash: Some(bindings::udp_lib_unhash),
        rehash: Some(bindings::ipv6_rs_udp_v6_rehash),
        get_port: Some(bindings::ipv6_rs_udp_v6_get_port),
        put_port: Some(bindings::udp_lib_unhash),
        // The kernel's UDP memory accounting, as udpv6_prot's.
        memory_allocated: &raw mut bindings::udp_memory_allocated,
        per_cpu_fw_alloc: fw_alloc,
        sysctl_mem: (&raw mut bindings::sysctl_udp_mem).cast(),
        sysctl_wmem_offset: wmem,
        sysctl_rmem_offset: rmem,
        obj_size: core::mem::size_of::<bindings::udp6_sock>() as c_uint,
        ipv6_pinfo_offset: core::mem::offset_of!(bindings::udp6_sock, inet6) as c_uint,
        diag_destroy: Some(bindings::udp_abort),
        owner,
        ..Default::default()
    };
    super::proto::set_ops::<T>(&mut p);
    p
}

/// `UDP_MIB_*` counters (`include/uapi/linux/snmp.h`).
pub(crate) mod mib {
    use crate::bindings;
    pub(crate) const INDATAGRAMS: u32 = bindings::UDP_MIB_INDATAGRAMS;
    pub(crate) const NOPORTS: u32 = bindings::UDP_MIB_NOPORTS;
    pub(crate) const INERRORS: u32 = bindings::UDP_MIB_INERRORS;
    pub(crate) const OUTDATAGRAMS: u32 = bindings::UDP_MIB_OUTDATAGRAMS;
    pub(crate) const RCVBUFERRORS: u32 = bindings::UDP_MIB_RCVBUFERRORS;
    pub(crate) const MEMERRORS: u32 = bindings::UDP_MIB_MEMERRORS;
    pub(crate) const CSUMERRORS: u32 = bindings::UDP_MIB_CSUMERRORS;
    pub(crate) const IGNOREDMULTI: u32 = bindings::UDP_MIB_IGNOREDMULTI;
}

/// Counts one event in the namespace's UDP MIB (`__UDP6_INC_STATS()`).
pub(crate) fn count(net: &Net, field: u32) {
    // SAFETY: a live namespace (`Net`'s invariant), whose MIBs our state keeps.
    unsafe { bindings::ipv6_rs_udp6_inc(net.as_ptr(), field as c_int) };
}

/// Calls `f` for each AF_INET6 UDP socket on local port `port` of `net` until it
/// returns true; the sockets are borrowed for the RCU section `_rcu` (UDP sockets are
/// freed after a grace period).
pub(crate) fn for_each_port<'r, F: FnMut(&'r Sock) -> bool>(
    net: &Net,
    port: u16,
    _rcu: &'r crate::net::rcu::Rcu,
    f: &mut F,
) {
    // SAFETY: `net` is live; the trampoline matches `F`, which outlives the walk; RCU
    // is held for `'r`.
    unsafe {
        bindings::ipv6_rs_udp_for_each_port(
            net.as_ptr(),
            port,
            Some(walk_tramp::<F>),
            (f as *mut F).cast(),
        )
    };
}

/// `udp_lib_get_port()` of the socket for `port` (0: any free one); `Err` if taken.
/// Under the socket's lock.
pub(crate) fn get_port(sk: &Sock, port: u16) -> Result<(), ()> {
    // SAFETY: a live socket under its lock; the protocol's get_port.
    match unsafe { bindings::ipv6_rs_udp_v6_get_port(sk.as_ptr(), port) } {
        0 => Ok(()),
        _ => Err(()),
    }
}

/// `udp_lib_setsockopt()` (for `SOL_UDP` and `SOL_SOCKET`).
pub(crate) fn lib_setsockopt(sk: &Sock, level: i32, name: i32, opt: &OptIn<'_>) -> Result<(), i32> {
    let (val, len) = opt.raw();
    // SAFETY: a live socket and the running setsockopt's option.
    match unsafe { bindings::ipv6_rs_udp_lib_setsockopt(sk.as_ptr(), level, name, val, len) } {
        0 => Ok(()),
        r => Err(-r),
    }
}

/// `udp_lib_getsockopt()` (for `SOL_UDP`).
pub(crate) fn lib_getsockopt(
    sk: &Sock,
    level: i32,
    name: i32,
    opt: &OptOut<'_>,
) -> Result<(), i32> {
    let (val, len) = opt.raw();
    // SAFETY: a live socket and the running getsockopt's buffers.
    match unsafe { bindings::ipv6_rs_udp_lib_getsockopt(sk.as_ptr(), level, name, val, len) } {
        0 => Ok(()),
        r => Err(-r),
    }
}

/// Sets up `UDP_SKB_CB()` of a received datagram: full checksum coverage
/// (`udp6_csum_init()`).
pub(crate) fn skb_cb_init(skb: &mut Skb) {
    // SAFETY: our packet; UDP_SKB_CB() is ours from here on.
    unsafe { bindings::ipv6_rs_udp_skb_cb_init(skb.as_ptr()) };
}

/// `__udp_enqueue_schedule_skb()`: pulls the UDP header and queues the datagram on the
/// socket; on failure the datagram comes back with the errno.
pub(crate) fn enqueue(sk: &Sock, skb: Skb) -> Result<(), (Skb, i32)> {
    // SAFETY: a live socket (RCU) and a datagram with a valid checksum; on failure the
    // packet stays ours.
    let rc = unsafe { bindings::ipv6_rs_udp_enqueue(sk.as_ptr(), skb.as_ptr()) };
    if rc >= 0 {
        // The socket's queue owns it now.
        let _ = skb.into_raw();
        return Ok(());
    }
    Err((skb, -rc))
}

/// A datagram taken from a socket's receive queue (`__skb_recv_udp()`), with its UDP
/// header pulled; given back with [`Datagram::consume`] or [`Datagram::free`].
///
/// # Invariants
/// `skb` is a datagram `__skb_recv_udp()` returned for the socket it came from, held
/// by us (a reference of its own, also when peeking).
#[must_use = "a datagram must be consumed or freed"]
pub(crate) struct Datagram(NonNull<bindings::sk_buff>);

impl Datagram {
    /// The next datagram of `sk` (`MSG_PEEK`, `MSG_DONTWAIT` and the peek offset in
    /// `flags` as `__skb_recv_udp()` takes them); its peek offset, or the errno.
    pub(crate) fn recv(sk: &Sock, flags: i32) -> Result<(Self, usize), i32> {
        let (mut off, mut err): (c_int, c_int) = (0, 0);
        // SAFETY: a live socket; the packet returned is ours until given back.
        let skb =
            unsafe { bindings::__skb_recv_udp(sk.as_ptr(), flags as c_uint, &mut off, &mut err) };
        match NonNull::new(skb) {
            Some(p) => Ok((Self(p), off.max(0) as usize)),
            None => Err(-err),
        }
    }

    /// The packet, borrowed.
    pub(crate) fn skb(&self) -> SkbRef<'_> {
        // SAFETY: ours (type invariant), for the borrow.
        unsafe { SkbRef::from_raw(self.0.as_ptr()) }.expect("non-null")
    }

    /// The datagram's UDP payload length.
    pub(crate) fn len(&self) -> usize {
        // SAFETY: a queued datagram with its UDP header pulled (type invariant).
        unsafe { bindings::ipv6_rs_udp_skb_len(self.0.as_ptr()) as usize }
    }

    /// The sender's port.
    pub(crate) fn sport(&self) -> u16 {
        // SAFETY: as above; the UDP header is still there behind `data`.
        u16::from_be(unsafe { bindings::ipv6_rs_udp_skb_sport(self.0.as_ptr()) })
    }

    /// Gives it back after a read of `ret` bytes (`skb_consume_udp()`; negative when
    /// peeking, so it stays queued).
    pub(crate) fn consume(self, sk: &Sock, ret: i32) {
        // SAFETY: ours, from `sk`'s queue (type invariant); not used again.
        unsafe { bindings::skb_consume_udp(sk.as_ptr(), self.0.as_ptr(), ret) };
    }

    /// Gives it back after a failed copy.
    pub(crate) fn free(self) {
        // SAFETY: ours (type invariant); not used again.
        unsafe { bindings::ipv6_rs_kfree_skb_reason(self.0.as_ptr(), reason::NOT_SPECIFIED) };
    }
}
