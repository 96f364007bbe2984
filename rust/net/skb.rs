// SPDX-License-Identifier: GPL-2.0

//! Packets: an owned `struct sk_buff`.
//!
//! An [`Skb`] is consumed exactly once: handed on to the kernel ([`Skb::into_raw`]),
//! freed as delivered ([`Skb::consume`]) or dropped with a reason ([`Skb::drop_reason`]).
//! Letting one go out of scope drops it with `SKB_DROP_REASON_NOT_SPECIFIED`, so that a
//! forgotten path still shows up in `kfree_skb` tracing instead of leaking.

use crate::bindings;
use core::net::Ipv6Addr;
use core::ptr::NonNull;

/// A drop reason (`enum skb_drop_reason`).
pub(crate) type DropReason = bindings::skb_drop_reason;

/// Drop reasons the IPv6 layer uses, by their mainline names.
pub(crate) mod reason {
    use crate::bindings;
    pub(crate) const NOT_SPECIFIED: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_NOT_SPECIFIED;
    pub(crate) const NOMEM: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_NOMEM;
    pub(crate) const PKT_TOO_SMALL: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_PKT_TOO_SMALL;
    pub(crate) const OTHERHOST: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_OTHERHOST;
    pub(crate) const IP_INHDR: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_IP_INHDR;
    pub(crate) const IP_NOPROTO: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_IP_NOPROTO;
    pub(crate) const IP_INADDRERRORS: u32 =
        bindings::skb_drop_reason_SKB_DROP_REASON_IP_INADDRERRORS;
    pub(crate) const IPV6DISABLED: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_IPV6DISABLED;
    pub(crate) const UNHANDLED_PROTO: u32 =
        bindings::skb_drop_reason_SKB_DROP_REASON_UNHANDLED_PROTO;
    pub(crate) const UNICAST_IN_L2_MULTICAST: u32 =
        bindings::skb_drop_reason_SKB_DROP_REASON_UNICAST_IN_L2_MULTICAST;
    pub(crate) const ICMP_CSUM: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_ICMP_CSUM;
    pub(crate) const NDISC_HOP_LIMIT: u32 =
        bindings::skb_drop_reason_SKB_DROP_REASON_IPV6_NDISC_HOP_LIMIT;
    pub(crate) const NDISC_BAD_CODE: u32 =
        bindings::skb_drop_reason_SKB_DROP_REASON_IPV6_NDISC_BAD_CODE;
    pub(crate) const NDISC_BAD_OPTIONS: u32 =
        bindings::skb_drop_reason_SKB_DROP_REASON_IPV6_NDISC_BAD_OPTIONS;
    pub(crate) const NDISC_NS_OTHERHOST: u32 =
        bindings::skb_drop_reason_SKB_DROP_REASON_IPV6_NDISC_NS_OTHERHOST;
    pub(crate) const NEIGH_FAILED: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_NEIGH_FAILED;
    pub(crate) const NEIGH_CREATEFAIL: u32 =
        bindings::skb_drop_reason_SKB_DROP_REASON_NEIGH_CREATEFAIL;
    pub(crate) const UDP_CSUM: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_UDP_CSUM;
    pub(crate) const NO_SOCKET: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_NO_SOCKET;
    pub(crate) const SOCKET_RCVBUFF: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_SOCKET_RCVBUFF;
    pub(crate) const PROTO_MEM: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_PROTO_MEM;
    pub(crate) const SKB_CSUM: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_SKB_CSUM;
    pub(crate) const DUP_FRAG: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_DUP_FRAG;
    pub(crate) const IP_INNOROUTES: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_IP_INNOROUTES;
    pub(crate) const PKT_TOO_BIG: u32 = bindings::skb_drop_reason_SKB_DROP_REASON_PKT_TOO_BIG;
}

/// `PACKET_*` packet types (`skb->pkt_type`).
pub(crate) mod pkt_type {
    pub(crate) const HOST: u8 = 0;
    pub(crate) const BROADCAST: u8 = 1;
    pub(crate) const MULTICAST: u8 = 2;
    pub(crate) const OTHERHOST: u8 = 3;
    pub(crate) const LOOPBACK: u8 = 5;
}

/// An owned packet.
///
/// # Invariants
/// `ptr` is a valid `sk_buff` that this value owns (one reference, not shared with
/// another owner through `skb_get()` unless the packet was made private first).
pub(crate) struct Skb {
    ptr: NonNull<bindings::sk_buff>,
}

impl Skb {
    /// Takes ownership of `ptr`.
    ///
    /// # Safety
    /// `ptr` must be a valid `sk_buff` whose reference the caller hands over.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::sk_buff) -> Option<Self> {
        NonNull::new(ptr).map(|ptr| Self { ptr })
    }

    /// Gives up ownership, for a kernel function that consumes the packet.
    pub(crate) fn into_raw(self) -> *mut bindings::sk_buff {
        let p = self.ptr.as_ptr();
        core::mem::forget(self);
        p
    }

    pub(crate) fn as_ptr(&self) -> *mut bindings::sk_buff {
        self.ptr.as_ptr()
    }

    /// Allocates a packet for `dev` with `len` bytes of payload (zeroed) and room for an
    /// IPv6 header and the link-layer header before it.
    pub(crate) fn alloc(dev: *mut bindings::net_device, len: usize) -> Option<Self> {
        let len = u32::try_from(len).ok()?;
        // SAFETY: `dev` is a live device (callers hold RTNL or RCU over it).
        let p = unsafe { bindings::ipv6_rs_alloc_skb(dev, len) };
        // SAFETY: a fresh packet is ours.
        let skb = unsafe { Self::from_raw(p) }?;
        // SAFETY: the helper put `len` bytes at `data`; they are ours to write.
        unsafe { core::ptr::write_bytes(bindings::ipv6_rs_skb_data(p), 0, len as usize) };
        Some(skb)
    }

    /// Frees the packet as delivered.
    pub(crate) fn consume(self) {
        // SAFETY: owned (type invariant); consumed here.
        unsafe { bindings::ipv6_rs_consume_skb(self.into_raw()) };
    }

    /// Frees the packet as dropped, for `reason`.
    pub(crate) fn drop_reason(self, reason: DropReason) {
        // SAFETY: owned (type invariant); consumed here.
        unsafe { bindings::ipv6_rs_kfree_skb_reason(self.into_raw(), reason) };
    }

    /// Bytes from `data` on (the linear part may be shorter than [`Skb::len`]).
    pub(crate) fn len(&self) -> usize {
        // SAFETY: valid packet (type invariant).
        unsafe { bindings::ipv6_rs_skb_len(self.as_ptr()) as usize }
    }

    /// The first `n` bytes from `data`, pulled into the linear area, or `None` if the
    /// packet is shorter (or memory ran out).
    pub(crate) fn head(&mut self, n: usize) -> Option<&[u8]> {
        let n32 = u32::try_from(n).ok()?;
        // SAFETY: valid packet we own.
        if !unsafe { bindings::ipv6_rs_pskb_may_pull(self.as_ptr(), n32) } {
            return None;
        }
        // SAFETY: `n` bytes at `data` are linear after a successful may_pull and stay so
        // while `self` is borrowed (nothing else changes our packet).
        Some(unsafe { core::slice::from_raw_parts(bindings::ipv6_rs_skb_data(self.as_ptr()), n) })
    }

    /// All bytes from `data` on, after making the packet linear.
    pub(crate) fn linear(&mut self) -> Option<&[u8]> {
        // SAFETY: valid packet we own.
        if unsafe { bindings::ipv6_rs_skb_linearize(self.as_ptr()) } != 0 {
            return None;
        }
        let len = self.len();
        // SAFETY: linear now; `len` bytes at `data`.
        Some(unsafe { core::slice::from_raw_parts(bindings::ipv6_rs_skb_data(self.as_ptr()), len) })
    }

    /// The payload area of a packet built with [`Skb::alloc`], for writing.
    pub(crate) fn data_mut(&mut self) -> &mut [u8] {
        let len = self.len();
        // SAFETY: packets we allocate are linear and ours alone.
        unsafe { core::slice::from_raw_parts_mut(bindings::ipv6_rs_skb_data(self.as_ptr()), len) }
    }

    /// Trims to `len` bytes, fixing up a CHECKSUM_COMPLETE sum (`pskb_trim_rcsum()`).
    pub(crate) fn trim(&mut self, len: usize) -> bool {
        let Ok(len) = u32::try_from(len) else {
            return false;
        };
        // SAFETY: valid packet we own.
        unsafe { bindings::ipv6_rs_pskb_trim_rcsum(self.as_ptr(), len) == 0 }
    }

    /// Lets go of the sending socket a packet from another namespace still carries
    /// (veth keeps it across), unless a BPF program prefetched the receiving socket:
    /// `ip6_rcv_core()`'s "must drop socket now". Received packets that keep it would
    /// be freed by UDP's stateless consume without returning the sender's buffer
    /// space, and the sender's socket would never be freed.
    pub(crate) fn orphan(&mut self) {
        // SAFETY: valid packet we own.
        unsafe { bindings::ipv6_rs_skb_orphan_rx(self.as_ptr()) };
    }

    /// Drops `n` bytes from the front (they must be linear: see [`Skb::head`]).
    pub(crate) fn pull(&mut self, n: usize) {
        if n <= self.len() {
            // SAFETY: `n` bytes are present; callers pulled them into the linear area.
            unsafe { bindings::ipv6_rs_skb_pull(self.as_ptr(), n as u32) };
        }
    }

    /// `skb->pkt_type`.
    pub(crate) fn pkt_type(&self) -> u8 {
        // SAFETY: valid packet.
        unsafe { bindings::ipv6_rs_skb_pkt_type(self.as_ptr()) }
    }

    /// What an ISATAP tunnel made of the packet's source (`skb->ndisc_nodetype`,
    /// `NDISC_NODETYPE_*`; 0 for other packets).
    pub(crate) fn ndisc_nodetype(&self) -> u8 {
        // SAFETY: valid packet.
        unsafe { bindings::ipv6_rs_skb_nodetype(self.as_ptr()) }
    }

    /// Marks `data` as the network header.
    pub(crate) fn reset_network_header(&mut self) {
        // SAFETY: valid packet we own.
        unsafe { bindings::ipv6_rs_skb_reset_network_header(self.as_ptr()) };
    }

    /// Sets `IP6CB(skb)->nhoff`: where the field naming the header at the transport
    /// header is, from the network header.
    pub(crate) fn set_nhoff(&mut self, nhoff: usize) {
        // SAFETY: valid packet we own; the control block is the IPv6 layer's.
        unsafe { bindings::ipv6_rs_skb_set_nhoff(self.as_ptr(), nhoff as u32) };
    }

    /// Sets the transport header `off` bytes after the network header.
    pub(crate) fn set_transport(&mut self, off: usize) {
        // SAFETY: valid packet we own; `off` is within the packet (callers parsed it).
        unsafe { bindings::ipv6_rs_skb_set_transport(self.as_ptr(), off as u32) };
    }

    /// The checksum of the payload from `data` on under the IPv6 pseudo-header of
    /// `proto` is right (`skb_checksum_validate()`, which uses hardware results).
    pub(crate) fn csum_valid(&mut self, proto: u8) -> bool {
        // SAFETY: valid packet we own, with its network header set.
        unsafe { bindings::ipv6_rs_skb_csum_valid(self.as_ptr(), proto) }
    }

    /// Whether it is a GSO packet (`skb_is_gso()`): segmented on its way out, by the
    /// device or the stack, never fragmented as a whole.
    pub(crate) fn is_gso(&self) -> bool {
        // SAFETY: valid packet.
        unsafe { bindings::ipv6_rs_skb_is_gso(self.as_ptr()) }
    }

    /// Segments a GSO packet stands for (at least 1).
    pub(crate) fn gso_segs(&self) -> u16 {
        // SAFETY: valid packet.
        unsafe { bindings::ipv6_rs_skb_gso_segs(self.as_ptr()) }.max(1)
    }

    /// Extends the data by `len` bytes at the tail (`skb_put()`), which the caller
    /// writes next; the packet must have the room (it was allocated for it).
    pub(crate) fn put(&mut self, len: usize) {
        let len = u32::try_from(len).expect("a packet's length fits u32");
        // SAFETY: a valid packet we own; `skb_put()` checks the room itself (and
        // panics past the end rather than write out of bounds).
        unsafe { bindings::ipv6_rs_skb_put(self.as_ptr(), len) };
    }

    /// Calls `f` with the packet borrowed and its data made linear (`None` if that
    /// failed): for readers that need both, as ICMPv6 error delivery does.
    pub(crate) fn with_linear<R>(&mut self, f: impl FnOnce(SkbRef<'_>, Option<&[u8]>) -> R) -> R {
        let r = SkbRef {
            ptr: self.ptr,
            _owner: core::marker::PhantomData,
        };
        // `r` only reads the packet's metadata while `data` is borrowed; nothing
        // changes the packet during the call.
        f(r, self.linear())
    }

    /// Puts an IPv6 header in front of the data (`skb_push()` and
    /// `ip6_flow_hdr()`), for a packet built with headroom for it (`skb_push()`
    /// panics rather than write out of bounds otherwise).
    pub(crate) fn push_ip6hdr(
        &mut self,
        src: &Ipv6Addr,
        dst: &Ipv6Addr,
        next: u8,
        hop_limit: u8,
        tclass: u8,
    ) {
        // SAFETY: a valid packet we own; the helper copies the addresses.
        unsafe {
            bindings::ipv6_rs_skb_push_ip6hdr(
                self.as_ptr(),
                &crate::net::in6(src),
                &crate::net::in6(dst),
                next,
                hop_limit,
                tclass,
            )
        };
    }

    /// Sets the device a socket's packet leaves by (`skb->dev`, with
    /// `skb->protocol = ETH_P_IPV6`), as its route says.
    pub(crate) fn set_dev(&mut self, dev: &crate::net::device::RxDev<'_>) {
        // SAFETY: a valid packet we own and a live device (RxDev's invariant).
        unsafe { bindings::ipv6_rs_skb_set_dev(self.as_ptr(), dev.as_ptr()) };
    }

    /// A clone sharing the data read-only (`skb_clone(GFP_ATOMIC)`).
    pub(crate) fn clone_atomic(&self) -> Option<Skb> {
        // SAFETY: a valid packet we own.
        let c = unsafe { bindings::ipv6_rs_skb_clone_atomic(self.as_ptr()) };
        // SAFETY: a fresh clone is ours.
        unsafe { Skb::from_raw(c) }
    }

    /// Whether the sending socket loops its multicast back (`sk_mc_loop()`); false
    /// for our own messages, which have no socket (neighbour discovery does not loop
    /// back, as mainline's `ndisc_sk`).
    pub(crate) fn sk_mc_loop(&self) -> bool {
        // SAFETY: a valid packet we own; its socket, if any, is held by it.
        unsafe {
            let sk = bindings::ipv6_rs_skb_sk(self.as_ptr());
            !sk.is_null() && bindings::sk_mc_loop(sk)
        }
    }

    /// Hands the packet (data at its IPv6 header) back to the stack as received on
    /// `d` (`dev_loopback_xmit()`, without the route it expects): a multicast copy for
    /// local listeners.
    pub(crate) fn loopback_xmit(mut self, d: &crate::net::device::RxDev<'_>) {
        self.set_dev(d);
        // SAFETY: a packet we own, handed over.
        unsafe { bindings::ipv6_rs_loopback_xmit(self.into_raw()) };
    }

    /// `skb->mark`.
    pub(crate) fn mark(&self) -> u32 {
        // SAFETY: valid packet; a plain read.
        unsafe { bindings::ipv6_rs_skb_mark(self.as_ptr()) }
    }

    /// Too big for `mtu` (`ip6_pkt_too_big()`: GSO packets by their segments, and
    /// `ignore_df` and the largest fragment of a reassembled one as mainline counts them).
    pub(crate) fn too_big(&self, mtu: u32) -> bool {
        // SAFETY: valid packet.
        unsafe { bindings::ipv6_rs_skb_too_big(self.as_ptr(), mtu) }
    }

    /// Readies a packet to be forwarded out of `out` (`ip6_forward()`'s `skb_cow()`,
    /// hop limit decrement and device change); `Err` when it could not be made writable.
    pub(crate) fn forward_prepare(
        &mut self,
        out: &crate::net::device::RxDev<'_>,
    ) -> Result<(), ()> {
        // SAFETY: valid packet we own; `out` is a live device (RxDev's invariant).
        match unsafe { bindings::ipv6_rs_forward_prepare(self.as_ptr(), out.as_ptr()) } {
            0 => Ok(()),
            _ => Err(()),
        }
    }

    /// The link-layer source address of a received Ethernet frame.
    pub(crate) fn mac_src(&self) -> Option<[u8; 6]> {
        // SAFETY: valid packet.
        let p = unsafe { bindings::ipv6_rs_skb_mac_src(self.as_ptr()) };
        if p.is_null() {
            return None;
        }
        let mut mac = [0u8; 6];
        // SAFETY: an Ethernet header's source address is 6 bytes.
        mac.copy_from_slice(unsafe { core::slice::from_raw_parts(p, 6) });
        Some(mac)
    }
}

/// A packet borrowed from its owner (the kernel, or an [`Skb`]) for the duration `'a`.
#[derive(Clone, Copy)]
pub(crate) struct SkbRef<'a> {
    ptr: NonNull<bindings::sk_buff>,
    _owner: core::marker::PhantomData<&'a Skb>,
}

impl<'a> SkbRef<'a> {
    /// # Safety
    /// `ptr` must be a valid packet that stays valid and unchanged by others for `'a`.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::sk_buff) -> Option<Self> {
        NonNull::new(ptr).map(|ptr| Self {
            ptr,
            _owner: core::marker::PhantomData,
        })
    }

    pub(crate) fn as_ptr(&self) -> *mut bindings::sk_buff {
        self.ptr.as_ptr()
    }

    /// `skb->pkt_type`.
    pub(crate) fn pkt_type(&self) -> u8 {
        // SAFETY: valid packet (construction).
        unsafe { bindings::ipv6_rs_skb_pkt_type(self.as_ptr()) }
    }

    /// The packet's IPv6 header (at its network header), copied; all zeros if the
    /// packet has none there. Parse it with [`crate::wire::ipv6::Ipv6Header`].
    pub(crate) fn network_header(&self) -> [u8; 40] {
        let mut h = [0u8; 40];
        // SAFETY: a packet we hold; the helper copies at most 40 bytes of its linear
        // network header.
        let r =
            unsafe { bindings::ipv6_rs_skb_copy_network(self.as_ptr(), h.as_mut_ptr().cast(), 40) };
        if r != 0 {
            h = [0; 40];
        }
        h
    }

    /// Bytes from the network header to the end.
    pub(crate) fn network_len(&self) -> usize {
        // SAFETY: a packet we hold.
        unsafe { bindings::ipv6_rs_skb_network_len(self.as_ptr()) as usize }
    }

    /// Copies the first `to.len()` bytes from the network header on (`skb_copy_bits()`).
    pub(crate) fn copy_network(&self, to: &mut [u8]) -> Result<(), ()> {
        let len = u32::try_from(to.len()).map_err(|_| ())?;
        // SAFETY: a packet we hold; the helper checks the length against the packet.
        match unsafe {
            bindings::ipv6_rs_skb_copy_network(self.as_ptr(), to.as_mut_ptr().cast(), len)
        } {
            0 => Ok(()),
            _ => Err(()),
        }
    }

    /// The packet's device (`skb->dev`: where it came in, or is to leave), for the RCU
    /// section `rcu`.
    pub(crate) fn dev_rcu<'r>(
        &self,
        _rcu: &'r crate::net::rcu::Rcu,
    ) -> Option<crate::net::device::RxDev<'r>> {
        // SAFETY: a packet we hold; a plain read.
        let dev = unsafe { bindings::ipv6_rs_skb_dev(self.as_ptr()) };
        // SAFETY: the device of a packet someone holds is live, and stays so for the
        // RCU section (it is freed after a grace period).
        (!dev.is_null()).then(|| unsafe { crate::net::device::RxDev::new(dev) })
    }

    /// The interface a received packet arrived on (`IP6CB(skb)->iif`).
    pub(crate) fn iif(&self) -> u32 {
        // SAFETY: a packet we hold.
        unsafe { bindings::ipv6_rs_skb_iif(self.as_ptr()) as u32 }
    }

    /// The linear bytes from `data` on (`skb_headlen()` of them).
    pub(crate) fn data(&self) -> &'a [u8] {
        let mut len = 0u32;
        // SAFETY: a packet we hold; the helper reports the linear length at `data`.
        let p = unsafe { bindings::ipv6_rs_skb_linear_data(self.as_ptr(), &mut len) };
        // SAFETY: `len` bytes at `p` are linear and, by the construction contract,
        // unchanged for `'a`.
        unsafe { core::slice::from_raw_parts(p, len as usize) }
    }

    /// The linear bytes from the transport header on (empty if it is unset or past
    /// the linear data).
    pub(crate) fn transport(&self) -> &'a [u8] {
        let mut len = 0u32;
        // SAFETY: a packet we hold; the helper checks the header against the buffer.
        let p = unsafe { bindings::ipv6_rs_skb_linear_transport(self.as_ptr(), &mut len) };
        // SAFETY: as in `data`.
        unsafe { core::slice::from_raw_parts(p, len as usize) }
    }
}

impl Skb {
    /// Borrows the packet.
    pub(crate) fn borrow(&self) -> SkbRef<'_> {
        SkbRef {
            ptr: self.ptr,
            _owner: core::marker::PhantomData,
        }
    }
}

impl Drop for Skb {
    fn drop(&mut self) {
        // SAFETY: owned and not yet consumed (every consuming method forgets `self`).
        unsafe { bindings::ipv6_rs_kfree_skb_reason(self.ptr.as_ptr(), reason::NOT_SPECIFIED) };
    }
}
