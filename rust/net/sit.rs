// SPDX-License-Identifier: GPL-2.0

//! sit devices (`include/sit.c`): a [`SitTunnel`] is a device whose private data is
//! mainline's `struct ip_tunnel`; the tunnels of a namespace are a
//! [`Table`]`<`[`Endpoints`]`>`; a [`Route4`] is the kernel's IPv4 route of an outer
//! packet; [`Registration`] installs the handlers' [`SitHandlers`] as the operations
//! the C side calls (device lists, transmit, and tunnel4's receive and error handlers,
//! which `sit.ko` registers).

use crate::{
    bindings,
    net::{
        device::RxDev,
        netns::Net,
        rcu::Rcu,
        skb::{Skb, SkbRef},
        tunnel::{count_on, dev_is_up, rcv_handoff, Entry, Stat, Table},
    },
    sit::{Endpoints, Ip6rd},
};
use core::{marker::PhantomData, net::Ipv4Addr, ptr::NonNull};
use kernel::{
    ffi::{c_int, c_void},
    prelude::*,
    types::Opaque,
};

/// An IPv4 address as the kernel keeps it (`__be32`).
fn be32(a: Ipv4Addr) -> u32 {
    u32::from(a).to_be()
}

fn v4(be: u32) -> Ipv4Addr {
    Ipv4Addr::from(u32::from_be(be))
}

/// A sit tunnel's configuration (`parms` and `ip6rd` of `struct ip_tunnel`), copied
/// out.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SitParms {
    pub(crate) local: Ipv4Addr,
    pub(crate) remote: Ipv4Addr,
    /// The lower device, 0 for any.
    pub(crate) link: u32,
    /// 0 (any), `IPPROTO_IPV6` or `IPPROTO_IPIP`.
    pub(crate) proto: u8,
    /// The outer TTL, 0 to inherit the inner hop limit.
    pub(crate) ttl: u8,
    /// The outer TOS, 1 to inherit.
    pub(crate) tos: u8,
    /// Path MTU discovery: the outer DF bit.
    pub(crate) df: bool,
    pub(crate) ip6rd: Ip6rd,
}

impl SitParms {
    /// The end points and lower device, as lookups match them.
    pub(crate) fn endpoints(&self) -> Endpoints {
        Endpoints {
            local: self.local,
            remote: self.remote,
            link: self.link,
        }
    }
}

/// A sit device.
///
/// # Invariants
/// A live device whose private data is a `struct ip_tunnel` that `include/sit.c` set
/// up (its `net` set before registration), for as long as the reference lives.
#[repr(transparent)]
pub(crate) struct SitTunnel(Opaque<bindings::net_device>);

impl SitTunnel {
    /// # Safety
    /// `dev` must be a sit device that stays live for `'a`.
    unsafe fn from_raw<'a>(dev: *mut bindings::net_device) -> &'a Self {
        // SAFETY: repr(transparent); validity is the caller's promise.
        unsafe { &*dev.cast::<Self>() }
    }

    fn as_ptr(&self) -> *mut bindings::net_device {
        self.0.get()
    }

    fn tnl(&self) -> *mut bindings::ip_tunnel {
        // SAFETY: a sit device (type invariant): its private data is an ip_tunnel.
        unsafe { bindings::ipv6_rs_sit(self.as_ptr()) }
    }

    /// Its configuration, read as mainline's datapath reads it (racing with a change
    /// under RTNL, field by field).
    pub(crate) fn parms(&self) -> SitParms {
        let t = self.tnl();
        // SAFETY: the private data lives as long as the device (type invariant); each
        // field is read once, as `READ_ONCE()` would.
        unsafe {
            let iph = &raw const (*t).parms.iph;
            let r = &raw const (*t).ip6rd;
            SitParms {
                local: v4(core::ptr::read_volatile(
                    &raw const (*iph).__bindgen_anon_1.addrs.saddr,
                )),
                remote: v4(core::ptr::read_volatile(
                    &raw const (*iph).__bindgen_anon_1.addrs.daddr,
                )),
                link: core::ptr::read_volatile(&raw const (*t).parms.link) as u32,
                proto: core::ptr::read_volatile(&raw const (*iph).protocol),
                ttl: core::ptr::read_volatile(&raw const (*iph).ttl),
                tos: core::ptr::read_volatile(&raw const (*iph).tos),
                df: u16::from_be(core::ptr::read_volatile(&raw const (*iph).frag_off))
                    & crate::wire::ipv4::DF
                    != 0,
                ip6rd: Ip6rd {
                    prefix: crate::net::in6_addr(&core::ptr::read_volatile(&raw const (*r).prefix)),
                    relay_prefix: v4(core::ptr::read_volatile(&raw const (*r).relay_prefix)),
                    prefixlen: core::ptr::read_volatile(&raw const (*r).prefixlen),
                    relay_prefixlen: core::ptr::read_volatile(&raw const (*r).relay_prefixlen),
                },
            }
        }
    }

    /// An ISATAP tunnel (`IFF_ISATAP`).
    pub(crate) fn is_isatap(&self) -> bool {
        // SAFETY: live device (type invariant).
        unsafe { bindings::ipv6_rs_sit_is_isatap(self.as_ptr()) }
    }

    /// Point-to-point (`IFF_POINTOPOINT`: it has a remote end).
    pub(crate) fn is_p2p(&self) -> bool {
        // SAFETY: live device; a plain integer, read once.
        let flags = unsafe { core::ptr::read_volatile(&raw const (*self.as_ptr()).flags) };
        flags & bindings::net_device_flags_IFF_POINTOPOINT != 0
    }

    /// The namespace its outer packets are in (`t->net`).
    pub(crate) fn link_net(&self) -> &Net {
        // SAFETY: set before registration and never changed; a tunnel's devices go
        // before its link namespace does (`sit_exit_batch_rtnl()`).
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

    /// Counts an error on the device.
    pub(crate) fn count(&self, s: Stat) {
        // SAFETY: live device (type invariant).
        unsafe { count_on(self.as_ptr(), s) };
    }

    /// The `PRL_*` flags of `addr` in its potential router list, if listed.
    pub(crate) fn prl_flags(&self, addr: Ipv4Addr, _rcu: &Rcu) -> Option<u16> {
        // SAFETY: live device; the list is read under RCU, which the guard holds.
        let f = unsafe { bindings::ipv6_rs_sit_prl_flags(self.as_ptr(), be32(addr)) };
        u16::try_from(f).ok()
    }

    /// Hands a received packet (data at the inner header, network header at the outer)
    /// to the device, marking the inner ECN field CE if `set_ce`; `nodetype` is the
    /// ISATAP node type of its source (0 for none).
    pub(crate) fn deliver(&self, skb: Skb, v4inner: bool, set_ce: bool, nodetype: u8) {
        // SAFETY: live device; the packet is handed over.
        unsafe {
            bindings::ipv6_rs_sit_deliver(self.as_ptr(), skb.into_raw(), v4inner, set_ce, nodetype)
        };
    }

    /// The IPv4 route of an outer packet to `dst` with `tos` carrying `proto`, and the
    /// source address it chose; `None` (counted as a carrier error) without one.
    pub(crate) fn route(&self, dst: Ipv4Addr, tos: u8, proto: u8) -> Option<(Route4, Ipv4Addr)> {
        let mut saddr = 0u32;
        // SAFETY: live device; `saddr` is ours to write.
        let rt = unsafe {
            bindings::ipv6_rs_sit_route(self.as_ptr(), be32(dst), tos, proto, &mut saddr)
        };
        Some((Route4(NonNull::new(rt)?), v4(saddr)))
    }

    /// Sends `skb` (data at the inner header) in an outer IPv4 header from `src` to
    /// `dst` over `rt` (`iptunnel_xmit()`, which counts it on the tunnel).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn xmit(
        &self,
        skb: Skb,
        rt: Route4,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        proto: u8,
        tos: u8,
        ttl: u8,
        df: bool,
    ) {
        let rt = core::mem::ManuallyDrop::new(rt);
        // SAFETY: live device; the packet and the route reference are handed over.
        unsafe {
            bindings::ipv6_rs_sit_xmit(
                self.as_ptr(),
                skb.into_raw(),
                rt.0.as_ptr(),
                be32(src),
                be32(dst),
                proto,
                tos,
                ttl,
                df,
            )
        };
    }
}

/// A held IPv4 route (`struct rtable`), released on drop.
///
/// # Invariants
/// A route whose reference this holds.
pub(crate) struct Route4(NonNull<bindings::rtable>);

impl Route4 {
    /// `dst4_mtu()`.
    pub(crate) fn mtu(&self) -> u32 {
        // SAFETY: a held route (type invariant).
        unsafe { bindings::ipv6_rs_rt4_mtu(self.0.as_ptr()) }
    }

    /// The device it leaves through.
    pub(crate) fn ifindex(&self) -> u32 {
        // SAFETY: a held route keeps its device.
        unsafe { bindings::ipv6_rs_rt4_ifindex(self.0.as_ptr()) as u32 }
    }
}

impl Drop for Route4 {
    fn drop(&mut self) {
        // SAFETY: the reference is ours (type invariant), released once.
        unsafe { bindings::ipv6_rs_rt4_put(self.0.as_ptr()) };
    }
}

/// The IPv4 next hop of an IPv4 packet sent into a tunnel (its route's gateway, or
/// `dst` on the link); `None` without a route.
pub(crate) fn v4_nexthop(skb: &Skb, dst: Ipv4Addr) -> Option<Ipv4Addr> {
    // SAFETY: a valid packet we own.
    let nh = unsafe { bindings::ipv6_rs_sit_v4_nexthop(skb.as_ptr(), be32(dst)) };
    (nh != 0).then(|| v4(nh))
}

/// The ICMP header of an error tunnel4 lends: type, code and RFC 4884's length byte.
pub(crate) fn icmp4_hdr(skb: SkbRef<'_>) -> (u8, u8, u8) {
    let (mut t, mut c, mut l) = (0u8, 0u8, 0u8);
    // SAFETY: an ICMP error whose transport header is the ICMP header.
    unsafe { bindings::ipv6_rs_icmp4_hdr(skb.as_ptr(), &mut t, &mut c, &mut l) };
    (t, c, l)
}

/// The device enslaved to the L3 master `skb` came in on, else 0.
pub(crate) fn sifindex(skb: SkbRef<'_>) -> u32 {
    // SAFETY: a valid packet.
    unsafe { bindings::ipv6_rs_sit_sifindex(skb.as_ptr()) as u32 }
}

/// The kernel's IPv4 follow-up of an ICMP error about an outer packet:
/// `ipv4_redirect()` with `redirect`, else `ipv4_update_pmtu()` to `info`.
pub(crate) fn outer_icmp(skb: SkbRef<'_>, info: u32, link: u32, redirect: bool) {
    // SAFETY: the error lent for the call, its data at the quoted IPv4 header.
    unsafe { bindings::ipv6_rs_sit_icmp_err(skb.as_ptr(), info, link as c_int, redirect) };
}

/// `ip6_err_gen_icmpv6_unreach()`'s copy: the quoted IPv6 packet of an ICMP error
/// (after an IPv4 header of `nhs` bytes) as a packet of its own, with RFC 4884's
/// original datagram of `data_len` bytes kept if valid (the second value: the length
/// kept, 0 for none).
pub(crate) fn err_clone(skb: SkbRef<'_>, nhs: usize, data_len: u32) -> Option<(Skb, u32)> {
    let nhs = c_int::try_from(nhs).ok()?;
    let mut len = data_len;
    // SAFETY: the error lent for the call; the copy is ours.
    let c = unsafe { bindings::ipv6_rs_sit_err_clone(skb.as_ptr(), nhs, &mut len) };
    // SAFETY: a fresh packet handed to us.
    Some((unsafe { Skb::from_raw(c) }?, len))
}

impl Table<Endpoints> {
    /// The tunnel a packet from `remote` to `local` that came in on `ifindex`
    /// (`sifindex` under an L3 master) belongs to (`ipip6_tunnel_lookup()`), given to
    /// `f` under the table's lock.
    pub(crate) fn lookup_sit<R>(
        &self,
        remote: Ipv4Addr,
        local: Ipv4Addr,
        ifindex: u32,
        sifindex: u32,
        f: impl FnOnce(&SitTunnel) -> R,
    ) -> Option<R> {
        let pick = |l: &[Entry<Endpoints>]| {
            // SAFETY: listed devices are live under the lock (table invariant).
            let at = |n: usize| (l[n].ep, unsafe { dev_is_up(l[n].dev) });
            crate::sit::lookup(l.len(), at, remote, local, ifindex, sifindex)
        };
        // SAFETY: listed sit devices are live under the lock (table invariant).
        self.select(pick, |d| f(unsafe { SitTunnel::from_raw(d.as_ptr()) }))
    }
}

/// What the sit handlers do.
pub(crate) trait SitHandlers {
    /// The sit tunnels of `net`.
    fn table(net: &Net) -> &Table<Endpoints>;

    /// `ndo_start_xmit`: sends `skb` (data at its network header) through `t`.
    fn xmit(skb: Skb, t: &SitTunnel);

    /// tunnel4's handler for protocol `proto`: `skb`'s data at the inner header, its
    /// network header at the outer, `dev` the device it came in on. `Err` gives a
    /// packet that is no tunnel's back, for the next handler.
    fn rcv(skb: Skb, proto: u8, dev: &RxDev<'_>) -> Result<(), Skb>;

    /// The error handler: whether the packet `skb` quotes (its data at the quoted
    /// outer header) is dealt with.
    fn err(skb: SkbRef<'_>, info: u32) -> bool;
}

/// # Safety (all callbacks)
/// Called by `include/sit.c` with live sit devices, RTNL held where its comments say
/// so, and packets handed over (or lent, for errors) as they say.
unsafe extern "C" fn link<T: SitHandlers>(dev: *mut bindings::net_device) {
    // SAFETY: a registered sit device, under RTNL.
    let t = unsafe { SitTunnel::from_raw(dev) };
    T::table(t.link_net()).link_dev(dev, t.parms().endpoints(), false);
}

unsafe extern "C" fn unlink<T: SitHandlers>(dev: *mut bindings::net_device) {
    // SAFETY: a sit device being changed or unregistered, under RTNL.
    let t = unsafe { SitTunnel::from_raw(dev) };
    T::table(t.link_net()).unlink_dev(dev);
}

unsafe extern "C" fn reserve<T: SitHandlers>(net: *mut bindings::net) -> c_int {
    // SAFETY: a live namespace, under RTNL.
    let net = unsafe { Net::from_raw(net) };
    T::table(net).reserve().map_or_else(|e| -e, |()| 0)
}

unsafe extern "C" fn find<T: SitHandlers>(
    net: *mut bindings::net,
    local: u32,
    remote: u32,
    link: c_int,
) -> *mut bindings::net_device {
    // SAFETY: a live namespace, under RTNL (which keeps the device found registered).
    let net = unsafe { Net::from_raw(net) };
    let ep = Endpoints {
        local: v4(local),
        remote: v4(remote),
        link: link as u32,
    };
    T::table(net)
        .find(&ep)
        .map_or(core::ptr::null_mut(), |d| d.as_ptr())
}

unsafe extern "C" fn check_6rd(p: *const bindings::ip_tunnel_6rd) -> c_int {
    // SAFETY: the caller's parameters, readable.
    let p = unsafe { &*p };
    let r = Ip6rd {
        prefix: crate::net::in6_addr(&p.prefix),
        relay_prefix: v4(p.relay_prefix),
        prefixlen: p.prefixlen,
        relay_prefixlen: p.relay_prefixlen,
    };
    r.validate().map_or_else(|e| -e, |_| 0)
}

unsafe extern "C" fn destroy_foreign<T: SitHandlers>(
    net: *mut bindings::net,
    kill: *mut bindings::list_head,
) {
    // SAFETY: a namespace on its way out, under RTNL.
    let net = unsafe { Net::from_raw(net) };
    T::table(net).destroy_foreign(net, kill);
}

unsafe extern "C" fn xmit<T: SitHandlers>(
    skb: *mut bindings::sk_buff,
    dev: *mut bindings::net_device,
) -> bindings::netdev_tx_t {
    // SAFETY: ndo_start_xmit: a live sit device and a packet handed over.
    if let Some(skb) = unsafe { Skb::from_raw(skb) } {
        // SAFETY: as above.
        T::xmit(skb, unsafe { SitTunnel::from_raw(dev) });
    }
    bindings::netdev_tx_NETDEV_TX_OK
}

unsafe extern "C" fn rcv<T: SitHandlers>(skb: *mut bindings::sk_buff, proto: u8) -> c_int {
    // SAFETY: tunnel4 hands over a received packet, in an RCU section.
    if unsafe { rcv_handoff(skb, |skb, d| T::rcv(skb, proto, d)) } {
        0
    } else {
        // Not ours: tunnel4 keeps it for the next handler.
        1
    }
}

unsafe extern "C" fn err<T: SitHandlers>(skb: *mut bindings::sk_buff, info: u32) -> c_int {
    // SAFETY: an ICMP error lent for the call, its data at the quoted header.
    let Some(skb) = (unsafe { SkbRef::from_raw(skb) }) else {
        return -(crate::errno::ENOENT);
    };
    if T::err(skb, info) {
        0
    } else {
        -(crate::errno::ENOENT)
    }
}

/// `T`'s operations installed for `include/sit.c` while this lives (from module init
/// to exit: `sit.ko`, which calls them, depends on this module).
pub(crate) struct Registration<T: SitHandlers> {
    ops: KBox<bindings::ipv6_rs_sit_ops>,
    _handlers: PhantomData<T>,
}

// SAFETY: the operations are immutable function pointers.
unsafe impl<T: SitHandlers> Send for Registration<T> {}
// SAFETY: as above.
unsafe impl<T: SitHandlers> Sync for Registration<T> {}

impl<T: SitHandlers> Registration<T> {
    pub(crate) fn install() -> Result<Self> {
        let ops = KBox::new(
            bindings::ipv6_rs_sit_ops {
                link: Some(link::<T>),
                unlink: Some(unlink::<T>),
                reserve: Some(reserve::<T>),
                find: Some(find::<T>),
                check_6rd: Some(check_6rd),
                destroy_foreign: Some(destroy_foreign::<T>),
                xmit: Some(xmit::<T>),
                rcv: Some(rcv::<T>),
                err: Some(err::<T>),
            },
            GFP_KERNEL,
        )?;
        // SAFETY: the operations live until drop uninstalls them.
        unsafe { bindings::ipv6_rs_sit_install(&*ops) };
        Ok(Self {
            ops,
            _handlers: PhantomData,
        })
    }
}

impl<T: SitHandlers> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: nothing can call them any more: sit.ko, the only caller, depends on
        // this module and is gone.
        unsafe { bindings::ipv6_rs_sit_install(core::ptr::null()) };
        let _ = (&self.ops, core::ptr::null::<c_void>());
    }
}
