// SPDX-License-Identifier: GPL-2.0

//! ip6tnl devices (`include/tunnel.c`): a [`Tunnel`] is a device whose private data is
//! mainline's `struct ip6_tnl`; a [`Table`] holds the tunnels whose outer packets are
//! in one namespace; [`Registration`] installs the handlers' [`Ip6TnlHandlers`] as the
//! operations the C side calls (device init and removal, netlink changes, transmit,
//! and tunnel6's receive and error handlers, which `ip6_tunnel.ko` registers).

use crate::{
    bindings,
    net::{
        device::RxDev,
        lock::{BhRwLock, LockClass},
        netlink::RtnlHeld,
        netns::Net,
        rcu::Rcu,
        skb::{Skb, SkbRef},
    },
    tunnel::Endpoints,
};
use core::{marker::PhantomData, net::Ipv6Addr, ptr::NonNull};
use kernel::{
    ffi::{c_int, c_void},
    prelude::*,
    types::Opaque,
};

/// A tunnel's configuration (`struct __ip6_tnl_parm`), copied out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Parms {
    pub(crate) local: Ipv6Addr,
    pub(crate) remote: Ipv6Addr,
    /// The lower device, 0 for any.
    pub(crate) link: u32,
    /// 0 (any), `IPPROTO_IPV6` or `IPPROTO_IPIP`.
    pub(crate) proto: u8,
    pub(crate) encap_limit: u8,
    pub(crate) hop_limit: u8,
    /// Traffic class and flow label, as the 32 bits are on the wire.
    pub(crate) flowinfo: u32,
    /// `IP6_TNL_F_*`, the capability bits included.
    pub(crate) flags: u32,
    pub(crate) fwmark: u32,
    pub(crate) collect_md: bool,
}

impl Parms {
    /// # Safety
    /// `p` must be readable; fields may change under us only as mainline's readers
    /// see them change (single fields written once under RTNL).
    unsafe fn read(p: *const bindings::__ip6_tnl_parm) -> Self {
        // SAFETY: readable (caller); each field is read once, as `READ_ONCE()` would.
        unsafe {
            Self {
                local: crate::net::in6_addr(&core::ptr::read_volatile(&raw const (*p).laddr)),
                remote: crate::net::in6_addr(&core::ptr::read_volatile(&raw const (*p).raddr)),
                link: core::ptr::read_volatile(&raw const (*p).link) as u32,
                proto: core::ptr::read_volatile(&raw const (*p).proto),
                encap_limit: core::ptr::read_volatile(&raw const (*p).encap_limit),
                hop_limit: core::ptr::read_volatile(&raw const (*p).hop_limit),
                flowinfo: u32::from_be(core::ptr::read_volatile(&raw const (*p).flowinfo)),
                flags: core::ptr::read_volatile(&raw const (*p).flags),
                fwmark: core::ptr::read_volatile(&raw const (*p).fwmark),
                collect_md: core::ptr::read_volatile(&raw const (*p).collect_md),
            }
        }
    }

    /// The end points and lower device, as lookups match them.
    pub(crate) fn endpoints(&self) -> Endpoints {
        Endpoints {
            local: self.local,
            remote: self.remote,
            link: self.link,
        }
    }
}

/// The tunnel device's error counters (`DEV_STATS_INC()`).
#[derive(Clone, Copy)]
pub(crate) enum Stat {
    /// `tx_errors` and `tx_dropped`.
    TxError = bindings::ipv6_rs_tnl_stat_IPV6_RS_TNL_TX_ERROR as isize,
    /// `tx_carrier_errors`.
    TxCarrier = bindings::ipv6_rs_tnl_stat_IPV6_RS_TNL_TX_CARRIER as isize,
    /// `collisions`: a route back into the tunnel.
    Collision = bindings::ipv6_rs_tnl_stat_IPV6_RS_TNL_COLLISION as isize,
    /// `rx_frame_errors` and `rx_errors`.
    RxFrame = bindings::ipv6_rs_tnl_stat_IPV6_RS_TNL_RX_FRAME as isize,
    /// `tx_errors` alone (sit's `tx_error`).
    TxErrors = bindings::ipv6_rs_tnl_stat_IPV6_RS_TNL_TX_ERRORS as isize,
    /// `rx_errors` alone (a spoofed source).
    RxErrors = bindings::ipv6_rs_tnl_stat_IPV6_RS_TNL_RX_ERRORS as isize,
}

/// Counts error `s` on tunnel device `dev`.
///
/// # Safety
/// `dev` must be live.
pub(super) unsafe fn count_on(dev: *mut bindings::net_device, s: Stat) {
    // SAFETY: live (caller); atomic counters.
    unsafe { bindings::ipv6_rs_tnl_count(dev, s as _) };
}

/// An ip6tnl device.
///
/// # Invariants
/// A live device whose private data is a `struct ip6_tnl` with its `net` set before
/// registration, for as long as the reference lives: an ip6tnl device of
/// `include/tunnel.c`, or (through `ip6_tunnel.ko`'s `ip6_tnl_*` exports) an
/// importer's such as ip6_gre's, which only the export operations see.
#[repr(transparent)]
pub(crate) struct Tunnel(Opaque<bindings::net_device>);

impl Tunnel {
    /// # Safety
    /// `dev` must be an ip6tnl device (`ipv6_rs_is_ip6tnl()`) that stays live for `'a`.
    unsafe fn from_raw<'a>(dev: *mut bindings::net_device) -> &'a Self {
        // SAFETY: repr(transparent); validity is the caller's promise.
        unsafe { &*dev.cast::<Self>() }
    }

    fn as_ptr(&self) -> *mut bindings::net_device {
        self.0.get()
    }

    fn tnl(&self) -> *mut bindings::ip6_tnl {
        // SAFETY: an ip6tnl device (type invariant): its private data is an ip6_tnl.
        unsafe { bindings::ipv6_rs_tnl(self.as_ptr()) }
    }

    /// Its configuration, read as mainline's datapath reads it (racing with a change
    /// under RTNL, field by field).
    pub(crate) fn parms(&self) -> Parms {
        // SAFETY: the private data lives as long as the device (type invariant).
        unsafe { Parms::read(&raw const (*self.tnl()).parms) }
    }

    /// The namespace its outer packets are in (`t->net`).
    pub(crate) fn link_net(&self) -> &Net {
        // SAFETY: set before registration and never changed; a tunnel's devices go
        // before its link namespace does (`tnl_exit_batch_rtnl()`).
        unsafe { Net::from_raw(core::ptr::read_volatile(&raw const (*self.tnl()).net)) }
    }

    /// The namespace the device is in (where its inner packets are routed).
    pub(crate) fn dev_net(&self) -> &Net {
        // SAFETY: a live device is in a live namespace, for as long as it lives.
        unsafe { Net::from_raw(bindings::ipv6_rs_dev_net(self.as_ptr())) }
    }

    pub(crate) fn ifindex(&self) -> u32 {
        // SAFETY: live device (type invariant); set at registration.
        unsafe { (*self.as_ptr()).ifindex as u32 }
    }

    /// The interface name (`parms.name`, for log lines).
    pub(crate) fn name(&self) -> &str {
        // SAFETY: live device; the name is a NUL-terminated array inside it.
        crate::net::device::ifname(unsafe { &(*self.as_ptr()).name })
    }

    /// Counts an error on the device.
    pub(crate) fn count(&self, s: Stat) {
        // SAFETY: live device (type invariant).
        unsafe { count_on(self.as_ptr(), s) };
    }

    /// The capability bits of its flags (`IP6_TNL_F_CAP_*`), under RTNL.
    pub(crate) fn set_caps(&self, _rtnl: RtnlHeld<'_>, caps: u32) {
        let p = self.tnl();
        // SAFETY: RTNL serialises writers; readers read the field once.
        unsafe {
            let f = &raw mut (*p).parms.flags;
            let old = core::ptr::read_volatile(f);
            core::ptr::write_volatile(f, (old & !crate::tunnel::flags::CAPS) | caps);
        }
    }

    /// `ip6_tnl_link_config()`'s device part: the end points as its addresses,
    /// `IFF_POINTOPOINT` with `p2p`, and with `mtu_hh` its MTU and headroom over a
    /// lower device of that link-layer header length.
    pub(crate) fn config_dev(&self, _rtnl: RtnlHeld<'_>, p2p: bool, mtu_hh: Option<(u32, u32)>) {
        let (mtu, hh) = mtu_hh.unwrap_or((0, 0));
        // SAFETY: live device, RTNL held.
        unsafe { bindings::ipv6_rs_tnl_config_dev(self.as_ptr(), p2p, mtu, hh) };
    }

    /// Stores a new configuration (the capability bits are recomputed after).
    fn set_parms(&self, _rtnl: RtnlHeld<'_>, p: *const bindings::__ip6_tnl_parm) {
        // SAFETY: live device, RTNL held; `p` is the caller's, readable.
        unsafe { bindings::ipv6_rs_tnl_set_parms(self.as_ptr(), p) };
    }

    /// Hands a received packet (data at the inner header, network header at the outer)
    /// to the device (`__ip6_tnl_rcv()`), marking the inner ECN field CE if `set_ce`
    /// and copying the outer DSCP if `dscp_copy`.
    pub(crate) fn deliver(&self, skb: Skb, proto: u8, set_ce: bool, dscp_copy: bool) {
        // SAFETY: live device; the packet is handed over.
        unsafe {
            bindings::ipv6_rs_tnl_deliver(self.as_ptr(), skb.into_raw(), proto, set_ce, dscp_copy)
        };
    }

    /// Puts the encapsulation limit option (if any) and the outer header before `skb`
    /// (data at the inner header), for `lower`; `Err` with the packet left to the
    /// caller when there was no memory for the headroom.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn encap(
        &self,
        skb: &mut Skb,
        lower: &RxDev<'_>,
        src: &Ipv6Addr,
        dst: &Ipv6Addr,
        proto: u8,
        hop_limit: u8,
        e: &crate::tunnel::Encap,
    ) -> Result<(), ()> {
        let limit = e.encap_limit.map_or(-1, c_int::from);
        // SAFETY: live devices (ours by invariant, `lower` under RCU); a packet we own.
        let r = unsafe {
            bindings::ipv6_rs_tnl_encap(
                self.as_ptr(),
                skb.as_ptr(),
                lower.as_ptr(),
                &crate::net::in6(src),
                &crate::net::in6(dst),
                proto,
                hop_limit,
                e.tclass,
                e.flowlabel.to_be(),
                limit,
            )
        };
        if r == 0 {
            Ok(())
        } else {
            Err(())
        }
    }

    /// Counts a packet of `len` bytes sent (`iptunnel_xmit_stats()`).
    pub(crate) fn tx_done(&self, len: usize) {
        // SAFETY: live device; per-CPU counters.
        unsafe { bindings::ipv6_rs_tnl_tx_done(self.as_ptr(), len as u32) };
    }

    /// `skb_dst_update_pmtu_no_confirm()`: the path of `skb` (data at its inner
    /// network header) learns that the tunnel leaves it `mtu`, if that is less.
    pub(crate) fn update_inner_pmtu(&self, skb: &mut Skb, mtu: u32) {
        // SAFETY: live device; a packet we own, its network header at the inner one.
        unsafe { bindings::ipv6_rs_tnl_inner_pmtu(self.as_ptr(), skb.as_ptr(), mtu) };
    }
}

/// The kernel's ICMP error about a packet the tunnel could not send, to its source
/// (`icmpv6_ndo_send()` with `v6`, else `icmp_ndo_send()`); the packet stays ours.
pub(crate) fn icmp_to_inner(skb: &Skb, v6: bool, t: u8, code: u8, info: u32) {
    // SAFETY: a valid packet we own; the kernel copies what it quotes.
    unsafe { bindings::ipv6_rs_tnl_icmp(skb.as_ptr(), v6, t, code, info) };
}

/// Sends the ICMPv6 error `t`/`code`/`info` about the inner packet at `offset` in
/// `skb` (an error about a tunnel's outer packet) to its source, as received on
/// `ifindex` (`ip6ip6_err()`'s relay). Called in the error handler's RCU section.
pub(crate) fn relay_icmp6(
    skb: SkbRef<'_>,
    offset: usize,
    t: u8,
    code: u8,
    info: u32,
    ifindex: u32,
) {
    let Ok(offset) = c_int::try_from(offset) else {
        return;
    };
    // SAFETY: a packet lent for the call; the helper clones what it sends.
    unsafe { bindings::ipv6_rs_tnl_relay6(skb.as_ptr(), offset, t, code, info, ifindex as c_int) };
}

/// `ip4ip6_err()`'s relay: the ICMP (IPv4) error `t`/`code`/`info` about the inner
/// IPv4 packet at `offset` in `skb`, to its source through the kernel's IPv4 code.
pub(crate) fn relay_icmp4(skb: SkbRef<'_>, offset: usize, t: u8, code: u8, info: u32) {
    let Ok(offset) = c_int::try_from(offset) else {
        return;
    };
    // SAFETY: a packet lent for the call; the helper clones what it sends.
    unsafe { bindings::ipv6_rs_tnl_relay4(skb.as_ptr(), offset, t, code, info) };
}

/// The tunnel key of a packet sent into an external tunnel (its `ip_tunnel_info`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct TxKey {
    pub(crate) src: Ipv6Addr,
    pub(crate) dst: Ipv6Addr,
    pub(crate) tos: u8,
    pub(crate) ttl: u8,
    pub(crate) label: u32,
}

/// The key of a packet's tunnel metadata for transmission over IPv6, if it has one.
pub(crate) fn tx_key(skb: &Skb) -> Option<TxKey> {
    let (mut src, mut dst) = (
        crate::net::in6(&Ipv6Addr::UNSPECIFIED),
        crate::net::in6(&Ipv6Addr::UNSPECIFIED),
    );
    let (mut tos, mut ttl, mut label) = (0u8, 0u8, 0u32);
    // SAFETY: a valid packet we own; the outputs are ours to write.
    let found = unsafe {
        bindings::ipv6_rs_tnl_tx_key(
            skb.as_ptr(),
            &mut src,
            &mut dst,
            &mut tos,
            &mut ttl,
            &mut label,
        )
    };
    found.then(|| TxKey {
        src: crate::net::in6_addr(&src),
        dst: crate::net::in6_addr(&dst),
        tos,
        ttl,
        label: u32::from_be(label),
    })
}

/// The IPv6 gateway of the IPv4 route an IPv4 packet carries (RFC 5549, `via inet6`),
/// if it has one.
pub(crate) fn v4_route_gw6(skb: &Skb) -> Option<Ipv6Addr> {
    let mut gw = crate::net::in6(&Ipv6Addr::UNSPECIFIED);
    // SAFETY: a valid packet we own; `gw` is ours to write.
    unsafe { bindings::ipv6_rs_skb_rt_gw6(skb.as_ptr(), &mut gw) }
        .then(|| crate::net::in6_addr(&gw))
}

/// The IP protocol of a packet sent into a tunnel, by `skb->protocol`:
/// `IPPROTO_IPV6` for IPv6, `IPPROTO_IPIP` for IPv4, `None` for anything else.
pub(crate) fn payload(skb: &Skb) -> Option<u8> {
    // SAFETY: a valid packet.
    match unsafe { bindings::ipv6_rs_skb_protocol(skb.as_ptr()) } {
        0x86dd => Some(crate::wire::proto::IPV6),
        0x0800 => Some(crate::wire::proto::IPIP),
        _ => None,
    }
}

/// A tunnel handler chain's receive call (tunnel6's, tunnel4's): hands the packet
/// `skb` (its device seen under RCU) to `f`; whether it was taken. A packet `f` gives
/// back, or one without a device, stays the chain's for its next handler.
///
/// # Safety
/// `skb` must be a received packet handed over by the chain, in an RCU section.
pub(super) unsafe fn rcv_handoff(
    skb: *mut bindings::sk_buff,
    f: impl FnOnce(Skb, &RxDev<'_>) -> Result<(), Skb>,
) -> bool {
    // SAFETY: the caller's promise.
    let Some(skb) = (unsafe { Skb::from_raw(skb) }) else {
        return true;
    };
    let rcu = Rcu::read_lock();
    let Some(d) = skb.borrow().dev_rcu(&rcu) else {
        let _ = skb.into_raw();
        return false;
    };
    match f(skb, &d) {
        Ok(()) => true,
        Err(skb) => {
            let _ = skb.into_raw();
            false
        }
    }
}

/// A listed tunnel: its end points `E` and device.
#[derive(Clone, Copy)]
pub(super) struct Entry<E> {
    pub(super) ep: E,
    collect_md: bool,
    pub(super) dev: NonNull<bindings::net_device>,
}

/// Whether a listed device is up (`IFF_UP`).
///
/// # Safety
/// `dev` must be live.
pub(super) unsafe fn dev_is_up(dev: NonNull<bindings::net_device>) -> bool {
    // SAFETY: live (caller); a plain integer, read once.
    let flags = unsafe { core::ptr::read_volatile(&raw const (*dev.as_ptr()).flags) };
    flags & bindings::net_device_flags_IFF_UP != 0
}

/// The tunnels whose outer packets are in one namespace (mainline's `ip6_tnl_net` and
/// `sit_net` hash chains), newest first, by their end points `E`.
///
/// # Invariants
/// Each entry's device is a registered tunnel device of the kind its users put in:
/// entries go (under RTNL, in `ndo_uninit`) before their device can be freed, which
/// waits for RCU readers.
pub(crate) struct Table<E: Copy + PartialEq = Endpoints> {
    list: BhRwLock<KVec<Entry<E>>>,
}

// SAFETY: the device pointers are only dereferenced under the lock, where the
// invariant keeps them live, from any CPU.
unsafe impl<E: Copy + PartialEq + Send> Send for Table<E> {}
// SAFETY: as above; the list is behind its lock.
unsafe impl<E: Copy + PartialEq + Send> Sync for Table<E> {}

impl<E: Copy + PartialEq> Table<E> {
    pub(crate) fn new() -> Result<Self> {
        Ok(Self {
            list: BhRwLock::new(KVec::new(), LockClass::Tunnels)?,
        })
    }

    /// Room for one more tunnel, which [`Table::link_dev`] then takes (both under
    /// RTNL, so nothing links in between): `ENOMEM` if none could be made.
    pub(super) fn reserve(&self) -> Result<(), i32> {
        self.list
            .write(|l| l.reserve(1, GFP_ATOMIC))
            .map_err(|_| crate::errno::ENOMEM)
    }

    /// `ip6_tnl_locate()` before a new tunnel with end points `ep` goes in: `EEXIST`
    /// if there is one, else [`Table::reserve`].
    fn check(&self, ep: &E) -> Result<(), i32> {
        if self.exists(ep, core::ptr::null()) {
            return Err(crate::errno::EEXIST);
        }
        self.reserve()
    }

    /// Lists a registered tunnel device, newest first as mainline's hash chains; the
    /// room is there (see [`Table::reserve`]), so a push does not fail on this path.
    pub(super) fn link_dev(&self, dev: *mut bindings::net_device, ep: E, collect_md: bool) {
        let Some(dev) = NonNull::new(dev) else {
            return;
        };
        let e = Entry {
            ep,
            collect_md,
            dev,
        };
        self.list.write(|l| {
            if l.push(e, GFP_ATOMIC).is_ok() {
                l.rotate_right(1);
            }
        });
    }

    pub(super) fn unlink_dev(&self, dev: *mut bindings::net_device) {
        self.list.write(|l| {
            let mut kept = 0;
            for i in 0..l.len() {
                if l[i].dev.as_ptr() != dev {
                    l[kept] = l[i];
                    kept += 1;
                }
            }
            crate::net::truncate(l, kept);
        });
    }

    /// Whether an external (`collect_md`) tunnel is listed.
    fn has_collect_md(&self) -> bool {
        self.list.read(|l| l.iter().any(|e| e.collect_md))
    }

    fn exists(&self, ep: &E, except: *const bindings::net_device) -> bool {
        self.list.read(|l| {
            l.iter()
                .any(|e| e.ep == *ep && !e.collect_md && e.dev.as_ptr().cast_const() != except)
        })
    }

    /// The tunnel with exactly end points `ep` (`ip6_tnl_locate()`,
    /// `ipip6_tunnel_locate()`), under RTNL.
    pub(super) fn find(&self, ep: &E) -> Option<NonNull<bindings::net_device>> {
        self.list.read(|l| {
            l.iter()
                .find(|e| e.ep == *ep && !e.collect_md)
                .map(|e| e.dev)
        })
    }

    /// The device of the entry `pick` chooses, given to `f`, under the table's lock
    /// (which keeps it live).
    pub(super) fn select<R>(
        &self,
        pick: impl FnOnce(&[Entry<E>]) -> Option<usize>,
        f: impl FnOnce(NonNull<bindings::net_device>) -> R,
    ) -> Option<R> {
        self.list.read(|l| {
            let n = pick(l)?;
            Some(f(l.get(n)?.dev))
        })
    }

    /// Queues for unregistration the tunnels whose devices are in another namespace
    /// than `net`, which is going away.
    pub(super) fn destroy_foreign(&self, net: &Net, kill: *mut bindings::list_head) {
        self.list.read(|l| {
            for e in l.iter() {
                // SAFETY: listed devices are live (struct invariant); RTNL is held by
                // the namespace exit that calls us.
                unsafe {
                    if bindings::ipv6_rs_dev_net(e.dev.as_ptr()) != net.as_ptr() {
                        bindings::ipv6_rs_tnl_kill(e.dev.as_ptr(), kill);
                    }
                }
            }
        });
    }
}

impl Table<Endpoints> {
    fn link(&self, t: &Tunnel) {
        let p = t.parms();
        self.link_dev(t.as_ptr(), p.endpoints(), p.collect_md);
    }

    fn unlink(&self, t: &Tunnel) {
        self.unlink_dev(t.as_ptr());
    }

    /// The tunnel a packet from `remote` to `local` that came in on `link` belongs to
    /// (`ip6_tnl_lookup()`), given to `f` under the table's lock.
    pub(crate) fn lookup<R>(
        &self,
        link: u32,
        remote: &Ipv6Addr,
        local: &Ipv6Addr,
        f: impl FnOnce(&Tunnel) -> R,
    ) -> Option<R> {
        let pick = |l: &[Entry<Endpoints>]| {
            // SAFETY: listed devices are live under the lock (struct invariant).
            let at = |n: usize| (l[n].ep, unsafe { dev_is_up(l[n].dev) });
            let md = l.iter().position(|e| e.collect_md);
            crate::tunnel::lookup(l.len(), at, md, link, remote, local)
        };
        // SAFETY: listed ip6tnl devices are live under the lock (struct invariant).
        self.select(pick, |d| f(unsafe { Tunnel::from_raw(d.as_ptr()) }))
    }
}

/// What the tunnel handlers do.
pub(crate) trait Ip6TnlHandlers {
    /// The tunnels of `net`.
    fn table(net: &Net) -> &Table;

    /// `ip6_tnl_link_config()`: capabilities, addresses and MTU from the configuration.
    fn link_config(t: &Tunnel, rtnl: RtnlHeld<'_>);

    /// `ndo_start_xmit`: sends `skb` (data at its network header) through `t`.
    fn xmit(skb: Skb, t: &Tunnel);

    /// tunnel6's handler for next header `proto`: `skb`'s data at the inner header,
    /// its network header at the outer, `dev` the device it came in on. `Err` gives a
    /// packet that is no tunnel's back, for the next handler.
    fn rcv(skb: Skb, proto: u8, dev: &RxDev<'_>) -> Result<(), Skb>;

    /// The error handler: whether the packet `skb` quotes (its data at the quoted
    /// outer header) is a tunnel's.
    fn err(skb: SkbRef<'_>, proto: u8, t: u8, code: u8, offset: usize, info: u32) -> bool;

    /// `ip6_tnl_xmit_ctl()` (`receiving` false) or `ip6_tnl_rcv_ctl()`: whether `t`
    /// may carry a packet between `local` and `remote`. In an RCU section.
    fn ctl(t: &Tunnel, local: &Ipv6Addr, remote: &Ipv6Addr, receiving: bool) -> bool;

    /// The next hop of NBMA tunnel `t` (no remote end) for an inner IPv6 packet from
    /// `src` to `dst` with mark `mark`, if it has a route through `t`.
    fn nbma_next_hop(t: &Tunnel, src: &Ipv6Addr, dst: &Ipv6Addr, mark: u32) -> Option<Ipv6Addr>;

    /// `skb_dst_update_pmtu_no_confirm()` for an inner IPv6 packet from `src` to `dst`
    /// sent through `t`, where the tunnel leaves it `mtu`: the path through the
    /// tunnel learns that (an exception), if it is less than the path has now.
    fn inner_pmtu(t: &Tunnel, src: &Ipv6Addr, dst: &Ipv6Addr, mark: u32, mtu: u32);
}

/// # Safety (all callbacks)
/// Called by `include/tunnel.c` with live devices of the kind its comments say, RTNL
/// held where they say so, and packets handed over (or lent, for errors) as they say.
unsafe extern "C" fn link_config<T: Ip6TnlHandlers>(dev: *mut bindings::net_device) {
    // SAFETY: an ip6tnl device in ndo_init or a change, under RTNL.
    let (t, rtnl) = unsafe { (Tunnel::from_raw(dev), RtnlHeld::new()) };
    T::link_config(t, rtnl);
}

unsafe extern "C" fn link<T: Ip6TnlHandlers>(dev: *mut bindings::net_device) {
    // SAFETY: a registered ip6tnl device, under RTNL.
    let t = unsafe { Tunnel::from_raw(dev) };
    T::table(t.link_net()).link(t);
}

unsafe extern "C" fn unlink<T: Ip6TnlHandlers>(dev: *mut bindings::net_device) {
    // SAFETY: an ip6tnl device being unregistered, under RTNL.
    let t = unsafe { Tunnel::from_raw(dev) };
    T::table(t.link_net()).unlink(t);
}

unsafe extern "C" fn check<T: Ip6TnlHandlers>(
    net: *mut bindings::net,
    p: *const bindings::__ip6_tnl_parm,
) -> c_int {
    // SAFETY: a live namespace and the caller's parameters, under RTNL.
    let (net, p) = unsafe { (Net::from_raw(net), Parms::read(p)) };
    let table = T::table(net);
    if p.collect_md {
        // One external tunnel per namespace.
        return if table.has_collect_md() {
            -crate::errno::EEXIST
        } else {
            table.reserve().map_or_else(|e| -e, |()| 0)
        };
    }
    match table.check(&p.endpoints()) {
        Ok(()) => 0,
        Err(e) => -e,
    }
}

unsafe extern "C" fn find<T: Ip6TnlHandlers>(
    net: *mut bindings::net,
    p: *const bindings::__ip6_tnl_parm,
) -> *mut bindings::net_device {
    // SAFETY: a live namespace and the caller's parameters, under RTNL (which keeps the
    // device found registered for the caller).
    let (net, p) = unsafe { (Net::from_raw(net), Parms::read(p)) };
    T::table(net)
        .find(&p.endpoints())
        .map_or(core::ptr::null_mut(), |d| d.as_ptr())
}

unsafe extern "C" fn change<T: Ip6TnlHandlers>(
    dev: *mut bindings::net_device,
    p: *const bindings::__ip6_tnl_parm,
) -> c_int {
    // SAFETY: a registered ip6tnl device and the caller's parameters, under RTNL.
    let (t, rtnl, new) = unsafe { (Tunnel::from_raw(dev), RtnlHeld::new(), Parms::read(p)) };
    let table = T::table(t.link_net());
    if table.exists(&new.endpoints(), dev) {
        return -crate::errno::EEXIST;
    }
    // ip6_tnl_update(): out of the lookup while it changes.
    table.unlink(t);
    // SAFETY: process context under RTNL.
    unsafe { bindings::synchronize_net() };
    t.set_parms(rtnl, p);
    T::link_config(t, rtnl);
    // Back into the room it left.
    table.link(t);
    // SAFETY: a registered device, under RTNL.
    unsafe { bindings::netdev_state_change(dev) };
    0
}

unsafe extern "C" fn destroy_foreign<T: Ip6TnlHandlers>(
    net: *mut bindings::net,
    kill: *mut bindings::list_head,
) {
    // SAFETY: a namespace on its way out, under RTNL.
    let net = unsafe { Net::from_raw(net) };
    T::table(net).destroy_foreign(net, kill);
}

unsafe extern "C" fn xmit<T: Ip6TnlHandlers>(
    skb: *mut bindings::sk_buff,
    dev: *mut bindings::net_device,
) -> bindings::netdev_tx_t {
    // SAFETY: ndo_start_xmit: a live ip6tnl device and a packet handed over.
    if let Some(skb) = unsafe { Skb::from_raw(skb) } {
        // SAFETY: as above.
        T::xmit(skb, unsafe { Tunnel::from_raw(dev) });
    }
    bindings::netdev_tx_NETDEV_TX_OK
}

unsafe extern "C" fn rcv<T: Ip6TnlHandlers>(skb: *mut bindings::sk_buff, proto: u8) -> c_int {
    // SAFETY: tunnel6 hands over a received packet, in an RCU section.
    if unsafe { rcv_handoff(skb, |skb, d| T::rcv(skb, proto, d)) } {
        0
    } else {
        // Not ours: tunnel6 keeps it for the next handler.
        -1
    }
}

unsafe extern "C" fn err<T: Ip6TnlHandlers>(
    skb: *mut bindings::sk_buff,
    proto: u8,
    t: u8,
    code: u8,
    offset: c_int,
    info: u32,
) -> c_int {
    // SAFETY: an ICMPv6 error lent for the call, its data at the quoted header.
    let Some(skb) = (unsafe { SkbRef::from_raw(skb) }) else {
        return -(crate::errno::ENOENT);
    };
    let Ok(offset) = usize::try_from(offset) else {
        return -(crate::errno::ENOENT);
    };
    if T::err(skb, proto, t, code, offset, info) {
        0
    } else {
        -(crate::errno::ENOENT)
    }
}

unsafe extern "C" fn get_cap(
    laddr: *const bindings::in6_addr,
    raddr: *const bindings::in6_addr,
    link: c_int,
) -> u32 {
    // SAFETY: the caller's addresses, readable for the call.
    let (l, r) = unsafe { (crate::net::in6_addr(&*laddr), crate::net::in6_addr(&*raddr)) };
    crate::tunnel::capabilities(&l, &r, link as u32)
}

unsafe extern "C" fn ctl<T: Ip6TnlHandlers>(
    dev: *mut bindings::net_device,
    laddr: *const bindings::in6_addr,
    raddr: *const bindings::in6_addr,
    rcv: bool,
) -> c_int {
    // SAFETY: a live device whose private data is a `struct ip6_tnl` with its `net`
    // set (ip6_gre's, as ours), and the caller's addresses, in an RCU section.
    let (t, l, r) = unsafe {
        (
            Tunnel::from_raw(dev),
            crate::net::in6_addr(&*laddr),
            crate::net::in6_addr(&*raddr),
        )
    };
    T::ctl(t, &l, &r, rcv) as c_int
}

unsafe extern "C" fn scan_enc_lim(hdr: *const u8, len: u32, need: *mut u32) -> c_int {
    use crate::tunnel::EncapLimitScan;
    // SAFETY: `len` readable bytes at `hdr` (the caller pulled them), and `need`
    // writable.
    let pkt = unsafe { core::slice::from_raw_parts(hdr, len as usize) };
    match crate::tunnel::scan_encap_limit(pkt) {
        EncapLimitScan::At(off) => off.try_into().unwrap_or(0),
        EncapLimitScan::NotThere => 0,
        EncapLimitScan::Need(n) => match u32::try_from(n) {
            // Always more than `len`: the caller's loop makes progress.
            Ok(n) if n > len => {
                // SAFETY: writable (caller).
                unsafe { *need = n };
                -1
            }
            _ => 0,
        },
    }
}

extern "C" fn ecn_decap(outer: u8, inner: u8) -> c_int {
    use crate::tunnel::EcnDecap;
    match crate::tunnel::ecn_decapsulate(outer, inner) {
        EcnDecap::Keep => 0,
        EcnDecap::Log => 1,
        EcnDecap::Drop => 2,
        EcnDecap::SetCe => 3,
    }
}

unsafe extern "C" fn nbma_next_hop<T: Ip6TnlHandlers>(
    dev: *mut bindings::net_device,
    saddr: *const bindings::in6_addr,
    daddr: *const bindings::in6_addr,
    mark: u32,
    via: *mut bindings::in6_addr,
) -> bool {
    // SAFETY: as `ctl`; `via` writable.
    let (t, s, d) = unsafe {
        (
            Tunnel::from_raw(dev),
            crate::net::in6_addr(&*saddr),
            crate::net::in6_addr(&*daddr),
        )
    };
    match T::nbma_next_hop(t, &s, &d, mark) {
        Some(a) => {
            // SAFETY: writable (caller).
            unsafe { (*via).in6_u.u6_addr8 = a.octets() };
            true
        }
        None => false,
    }
}

unsafe extern "C" fn inner_pmtu<T: Ip6TnlHandlers>(
    dev: *mut bindings::net_device,
    saddr: *const bindings::in6_addr,
    daddr: *const bindings::in6_addr,
    mark: u32,
    mtu: u32,
) {
    // SAFETY: as `ctl`.
    let (t, s, d) = unsafe {
        (
            Tunnel::from_raw(dev),
            crate::net::in6_addr(&*saddr),
            crate::net::in6_addr(&*daddr),
        )
    };
    T::inner_pmtu(t, &s, &d, mark, mtu);
}

/// `T`'s operations installed for `include/tunnel.c` while this lives (from module
/// init to exit: `ip6_tunnel.ko`, which calls them, depends on this module).
pub(crate) struct Registration<T: Ip6TnlHandlers> {
    ops: KBox<bindings::ipv6_rs_tnl_ops>,
    _handlers: PhantomData<T>,
}

// SAFETY: the operations are immutable function pointers.
unsafe impl<T: Ip6TnlHandlers> Send for Registration<T> {}
// SAFETY: as above.
unsafe impl<T: Ip6TnlHandlers> Sync for Registration<T> {}

impl<T: Ip6TnlHandlers> Registration<T> {
    pub(crate) fn install() -> Result<Self> {
        let ops = KBox::new(
            bindings::ipv6_rs_tnl_ops {
                link_config: Some(link_config::<T>),
                link: Some(link::<T>),
                unlink: Some(unlink::<T>),
                check: Some(check::<T>),
                find: Some(find::<T>),
                change: Some(change::<T>),
                destroy_foreign: Some(destroy_foreign::<T>),
                xmit: Some(xmit::<T>),
                rcv: Some(rcv::<T>),
                err: Some(err::<T>),
                get_cap: Some(get_cap),
                ctl: Some(ctl::<T>),
                scan_enc_lim: Some(scan_enc_lim),
                ecn_decap: Some(ecn_decap),
                nbma_next_hop: Some(nbma_next_hop::<T>),
                inner_pmtu: Some(inner_pmtu::<T>),
            },
            GFP_KERNEL,
        )?;
        // SAFETY: the operations live until drop uninstalls them.
        unsafe { bindings::ipv6_rs_tnl_install(&*ops) };
        Ok(Self {
            ops,
            _handlers: PhantomData,
        })
    }
}

impl<T: Ip6TnlHandlers> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: nothing can call them any more: ip6_tunnel.ko, the only caller,
        // depends on this module and is gone.
        unsafe { bindings::ipv6_rs_tnl_install(core::ptr::null()) };
        let _ = (&self.ops, core::ptr::null::<c_void>());
    }
}
