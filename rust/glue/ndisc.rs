// SPDX-License-Identifier: GPL-2.0

//! Neighbour discovery glue (mainline `net/ipv6/ndisc.c`): the kernel's neighbour table
//! for AF_INET6 (so `ip -6 neigh` and every neighbour user work as with mainline's
//! `nd_tbl`), the neighbour operations that solicit, and the receive and send paths of
//! neighbour solicitations and advertisements. Decisions come from [`crate::ndisc`].

use super::{
    addrconf,
    ip6::{self, walk_addrs, Header, IfAddrRef, RxDev},
    rcu::Rcu,
    skb::{reason, DropReason, Skb},
};
use crate::{
    addrconf::ifa_flags,
    bindings,
    ndisc::{na_action, ns_action, nud, NaAction, NsAction, RxContext, Target},
    route::select_source,
    wire::{
        icmpv6::kind,
        ndisc::{
            emit_na, emit_ns, lladdr_opt_space, na_flag, solicited_node, NdDrop, NdMsg, ND_MSG_LEN,
        },
    },
};
use core::net::Ipv6Addr;
use kernel::{ffi::c_int, ffi::c_void, prelude::*, types::Opaque};

/// The AF_INET6 neighbour table (mainline's `nd_tbl`). Initialised by
/// [`NdTable::register`]; neighbours point at it, so it lives in static memory.
struct NdTableCell(Opaque<bindings::neigh_table>);

// SAFETY: the kernel's neighbour core serialises all access to the table itself.
unsafe impl Sync for NdTableCell {}

static ND_TBL: NdTableCell = NdTableCell(Opaque::uninit());

/// The table, for the kernel's neighbour functions.
pub(crate) fn table() -> *mut bindings::neigh_table {
    ND_TBL.0.get()
}

const AF_INET6: c_int = bindings::AF_INET6 as c_int;

/// Operations of neighbours on devices with cached headers (`ndisc_hh_ops`).
static HH_OPS: bindings::neigh_ops = bindings::neigh_ops {
    family: AF_INET6,
    solicit: Some(solicit),
    error_report: Some(error_report),
    output: Some(bindings::neigh_resolve_output),
    connected_output: Some(bindings::neigh_resolve_output),
};

/// Operations of neighbours on other devices with link-layer headers.
static GENERIC_OPS: bindings::neigh_ops = bindings::neigh_ops {
    family: AF_INET6,
    solicit: Some(solicit),
    error_report: Some(error_report),
    output: Some(bindings::neigh_resolve_output),
    connected_output: Some(bindings::neigh_connected_output),
};

/// Operations of neighbours on devices without link-layer headers.
static DIRECT_OPS: bindings::neigh_ops = bindings::neigh_ops {
    family: AF_INET6,
    solicit: None,
    error_report: None,
    output: Some(bindings::neigh_direct_output),
    connected_output: Some(bindings::neigh_direct_output),
};

/// `neigh_table.constructor` (`ndisc_constructor()`).
unsafe extern "C" fn constructor(n: *mut bindings::neighbour) -> c_int {
    // SAFETY: the neighbour core passes a neighbour being created, with key and device.
    unsafe { bindings::ipv6_rs_ndisc_construct(n, &HH_OPS, &GENERIC_OPS, &DIRECT_OPS) }
}

/// `neigh_table.is_multicast`.
unsafe extern "C" fn is_multicast(key: *const c_void) -> c_int {
    // SAFETY: keys of this table are 16-byte IPv6 addresses.
    let first = unsafe { *key.cast::<u8>() };
    c_int::from(first == 0xff)
}

/// `neigh_table.allow_add`: `ip -6 neigh add` needs IPv6 on the device.
unsafe extern "C" fn allow_add(
    dev: *const bindings::net_device,
    extack: *mut bindings::netlink_ext_ack,
) -> bool {
    // SAFETY: called under RTNL with a live device.
    let idev = unsafe { bindings::ipv6_rs_dev_idev(dev) };
    // SAFETY: RxDev only reads; `dev` is live under RTNL.
    let d = unsafe { RxDev::new(dev.cast_mut()) };
    if idev.is_null() || d.cnf().is_none_or(|c| c.disable_ipv6 != 0) {
        // SAFETY: extack is null or the request's; the message is static.
        unsafe {
            bindings::ipv6_rs_extack_msg(extack, c"IPv6 is disabled on this device".as_ptr().cast())
        };
        return false;
    }
    true
}

fn key_of(n: *mut bindings::neighbour) -> Ipv6Addr {
    // SAFETY: neighbours of this table carry a 16-byte key.
    let k = unsafe { core::ptr::read_unaligned((*n).primary_key.as_ptr().cast::<[u8; 16]>()) };
    Ipv6Addr::from(k)
}

/// `neigh_ops.solicit` (`ndisc_solicit()`): probe the neighbour, by unicast while
/// unicast probes remain, then through the application, then by multicast.
unsafe extern "C" fn solicit(n: *mut bindings::neighbour, skb: *mut bindings::sk_buff) {
    let target = key_of(n);
    // SAFETY: a live neighbour holds its device.
    let dev = unsafe { (*n).dev };
    // SAFETY: RCU around the device state reads below.
    unsafe { bindings::ipv6_rs_rcu_read_lock() };
    // SAFETY: live device, RCU held.
    let d = unsafe { RxDev::new(dev) };
    // Prefer the source of the packet that triggered resolution, if it is ours.
    let saddr = (!skb.is_null())
        .then(|| {
            // SAFETY: queued packets have their IPv6 network header set.
            let h = unsafe { bindings::ipv6_rs_skb_network_header(skb) };
            // SAFETY: an IPv6 header is 40 bytes; the source is at offset 8.
            Ipv6Addr::from(unsafe { core::ptr::read_unaligned(h.add(8).cast::<[u8; 16]>()) })
        })
        .filter(|s| usable_on(&d, s));
    // SAFETY: live neighbour.
    let (probes, ucast, app) = unsafe {
        (
            bindings::ipv6_rs_neigh_probes(n),
            bindings::ipv6_rs_neigh_ucast_probes(n),
            bindings::ipv6_rs_neigh_app_probes(n),
        )
    };
    if probes < ucast {
        send_ns(&d, &target, &target, saddr, 0);
    } else if probes - ucast < app {
        // SAFETY: live neighbour; tells user space (RTM_GETNEIGH) to resolve it.
        unsafe { bindings::neigh_app_ns(n) };
    } else {
        send_ns(&d, &target, &solicited_node(&target), saddr, 0);
    }
    // SAFETY: paired with the lock above.
    unsafe { bindings::ipv6_rs_rcu_read_unlock() };
}

/// `neigh_ops.error_report`: resolution failed for a queued packet.
///
/// As mainline (RFC 4861 §7.2.2: "the sender MUST return an ICMP destination
/// unreachable"), the packet's sender hears of it: an ICMPv6 address unreachable,
/// which for our own packets loops back to the socket that sent them.
unsafe extern "C" fn error_report(_n: *mut bindings::neighbour, skb: *mut bindings::sk_buff) {
    // SAFETY: the neighbour core hands the packet over.
    if let Some(skb) = unsafe { Skb::from_raw(skb) } {
        super::icmp::send_for(skb.borrow(), kind::DEST_UNREACH, ADDR_UNREACH, 0, None);
        skb.drop_reason(reason::NEIGH_FAILED);
    }
}

/// `ICMPV6_ADDR_UNREACH`.
const ADDR_UNREACH: u8 = 3;

/// `s` is a usable (DAD done) address of the device.
fn usable_on(d: &RxDev, s: &Ipv6Addr) -> bool {
    walk_addrs(d.net, Some(d.dev), |a| {
        a.local.addr == *s && a.local.usable()
    })
}

/// The neighbour table, registered with the neighbour core for as long as this lives.
pub(crate) struct NdTable(());

impl NdTable {
    pub(crate) fn register() -> Result<Self> {
        let t = table();
        // SAFETY: the table is not registered, so nothing else uses its memory; all-zero
        // is a valid starting state for every field.
        unsafe {
            core::ptr::write_bytes(t, 0, 1);
            (*t).family = AF_INET6;
            (*t).key_len = 16;
            (*t).protocol = (bindings::ETH_P_IPV6 as u16).to_be();
            (*t).hash = Some(bindings::ipv6_rs_ndisc_hash);
            (*t).key_eq = Some(bindings::ipv6_rs_ndisc_key_eq);
            (*t).constructor = Some(constructor);
            (*t).is_multicast = Some(is_multicast);
            (*t).allow_add = Some(allow_add);
            (*t).id = c"ndisc_cache".as_ptr().cast::<u8>().cast_mut();
            bindings::ipv6_rs_nd_tbl_defaults(t);
            bindings::neigh_table_init(bindings::NEIGH_ND_TABLE as c_int, t);
        }
        // SAFETY: the table is registered; its sysctls go in drop, before it does.
        let rc = unsafe { bindings::ipv6_rs_nd_sysctl_register(t) };
        if rc != 0 {
            // SAFETY: registered just above, unused yet.
            unsafe { bindings::neigh_table_clear(bindings::NEIGH_ND_TABLE as c_int, t) };
            return Err(Error::from_errno(rc));
        }
        Ok(Self(()))
    }
}

impl Drop for NdTable {
    fn drop(&mut self) {
        // SAFETY: registered in `register`; every device has left IPv6 (the netdevice
        // notifier is unregistered first), so this frees the remaining entries.
        unsafe {
            bindings::ipv6_rs_nd_sysctl_unregister(table());
            bindings::neigh_table_clear(bindings::NEIGH_ND_TABLE as c_int, table());
        }
    }
}

/// Gives a device its neighbour parameters (`idev->nd_parms`). Under RTNL.
pub(crate) fn dev_attach(dev: *mut bindings::net_device) -> Result {
    // SAFETY: `dev` has a fresh inet6_dev and RTNL is held (callers).
    kernel::error::to_result(unsafe { bindings::ipv6_rs_idev_nd_parms_alloc(dev, table()) })
}

/// Flushes the device's neighbours (device down). Under RTNL.
pub(crate) fn dev_down(dev: *mut bindings::net_device) {
    // SAFETY: live device under RTNL.
    unsafe { bindings::neigh_ifdown(table(), dev) };
}

/// Releases the device's neighbour state (device leaves IPv6). Under RTNL.
pub(crate) fn dev_detach(dev: *mut bindings::net_device) {
    // SAFETY: live device under RTNL; its inet6_dev is still attached.
    unsafe {
        bindings::ipv6_rs_idev_nd_parms_release(dev, table());
        bindings::neigh_ifdown(table(), dev);
    }
}

/// Receives a neighbour discovery message (`ndisc_rcv()`); `msg` is the linear
/// ICMPv6 message.
pub(crate) fn rcv(mut skb: Skb, d: &RxDev, hdr: &Header) -> Result<(), ()> {
    let mac = skb.mac_src();
    let Some(msg) = skb.linear() else {
        skb.drop_reason(reason::NOMEM);
        return Err(());
    };
    let r = if hdr.hop_limit != 255 {
        Err(reason::NDISC_HOP_LIMIT)
    } else if msg.get(1) != Some(&0) {
        Err(reason::NDISC_BAD_CODE)
    } else {
        match msg[0] {
            kind::NEIGHBOUR_SOLICITATION => recv_ns(mac, d, hdr, msg),
            kind::NEIGHBOUR_ADVERTISEMENT => recv_na(mac, d, hdr, msg),
            // Router discovery and redirects come with SLAAC and routing.
            _ => Err(reason::NOT_SPECIFIED),
        }
    };
    match r {
        Ok(()) => {
            skb.consume();
            Ok(())
        }
        Err(why) => {
            skb.drop_reason(why);
            Err(())
        }
    }
}

fn drop_reason(e: NdDrop) -> DropReason {
    match e {
        NdDrop::TooSmall => reason::PKT_TOO_SMALL,
        NdDrop::BadOptions => reason::NDISC_BAD_OPTIONS,
        NdDrop::NotOurs => reason::NDISC_NS_OTHERHOST,
        NdDrop::HopLimit => reason::NDISC_HOP_LIMIT,
        NdDrop::BadCode => reason::NDISC_BAD_CODE,
        _ => reason::NOT_SPECIFIED,
    }
}

/// The target among the device's addresses, held if it is one.
fn lookup_target(d: &RxDev, target: &Ipv6Addr) -> (Target, Option<IfAddrRef>) {
    let Some(ifa) = IfAddrRef::find(d.net, d.dev, target) else {
        return (Target::NotOurs, None);
    };
    let flags = ifa.flags();
    let optimistic = flags & ifa_flags::OPTIMISTIC != 0;
    let t = if flags & ifa_flags::TENTATIVE != 0 {
        Target::Tentative {
            optimistic,
            dad_nonce: ifa.dad_nonce(),
        }
    } else {
        Target::Assigned { optimistic }
    };
    (t, Some(ifa))
}

fn rx_context(d: &RxDev, hdr: &Header, target: Target) -> RxContext {
    RxContext {
        src: hdr.src,
        dst: hdr.dst,
        target,
        forwarding: d.cnf().is_some_and(|c| c.forwarding != 0),
        addr_len: d.hw_addr().len(),
        looped_back: hdr.pkt_type == super::skb::pkt_type::LOOPBACK,
    }
}

/// `ndisc_recv_ns()`.
fn recv_ns(mac: Option<[u8; 6]>, d: &RxDev, hdr: &Header, msg: &[u8]) -> Result<(), DropReason> {
    let m = NdMsg::parse(msg).map_err(drop_reason)?;
    let (target, ifa) = lookup_target(d, &m.target);
    match ns_action(&m, &rx_context(d, hdr, target)) {
        NsAction::Drop(e) => Err(drop_reason(e)),
        NsAction::DadLoopedBack => Err(reason::NOT_SPECIFIED),
        NsAction::DadFailure => {
            if let Some(ifa) = ifa {
                addrconf::dad_failure(d, &ifa, mac);
            }
            Err(reason::NOT_SPECIFIED)
        }
        NsAction::DefendAddress { router, override_ } => {
            let all_nodes = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
            send_na(d, &all_nodes, &m.target, router, false, override_, true);
            Err(reason::NOT_SPECIFIED)
        }
        NsAction::Answer {
            lladdr,
            create,
            router,
            override_,
            include_tlla,
        } => {
            let key = super::in6(&hdr.src);
            // SAFETY: registered table, live device; returns a held neighbour or null.
            let n = unsafe {
                let n = bindings::neigh_lookup(table(), (&raw const key).cast(), d.dev);
                if n.is_null() && create {
                    bindings::ipv6_rs_neigh_get(table(), &key, d.dev)
                } else {
                    n
                }
            };
            // SAFETY: checked for error and null.
            let have = !unsafe { bindings::ipv6_rs_is_err_or_null(n.cast()) };
            if have {
                let ll = lladdr.map_or(core::ptr::null(), <[u8]>::as_ptr);
                // SAFETY: held neighbour; `ll` is null or `addr_len` bytes of the message.
                unsafe {
                    bindings::neigh_update(
                        n,
                        ll,
                        nud::STALE,
                        crate::ndisc::update::WEAK_OVERRIDE | crate::ndisc::update::OVERRIDE,
                        0,
                    );
                    bindings::ipv6_rs_neigh_release(n);
                }
            }
            // SAFETY: live device.
            if have || !unsafe { bindings::ipv6_rs_dev_has_header_ops(d.dev) } {
                send_na(
                    d,
                    &hdr.src,
                    &m.target,
                    router,
                    true,
                    override_,
                    include_tlla,
                );
                return Ok(());
            }
            Err(reason::NOT_SPECIFIED)
        }
    }
}

/// `ndisc_recv_na()`.
fn recv_na(mac: Option<[u8; 6]>, d: &RxDev, hdr: &Header, msg: &[u8]) -> Result<(), DropReason> {
    let m = NdMsg::parse(msg).map_err(drop_reason)?;
    let (target, ifa) = lookup_target(d, &m.target);
    let drop_unsolicited = d.cnf().is_some_and(|c| c.drop_unsolicited_na != 0);
    match na_action(&m, &rx_context(d, hdr, target), drop_unsolicited) {
        NaAction::Drop(e) => Err(drop_reason(e)),
        NaAction::DadFailure => {
            if let Some(ifa) = ifa {
                addrconf::dad_failure(d, &ifa, mac);
            }
            Err(reason::NOT_SPECIFIED)
        }
        // Mainline logs "NA: ... advertised our address" (rate limited); we count it
        // as dropped without logging until the module has a rate-limited logger.
        NaAction::OwnAddress => Err(reason::NOT_SPECIFIED),
        NaAction::Update {
            lladdr,
            state,
            flags,
        } => {
            let key = super::in6(&m.target);
            // SAFETY: registered table, live device; returns a held neighbour or null.
            let n = unsafe { bindings::neigh_lookup(table(), (&raw const key).cast(), d.dev) };
            if n.is_null() {
                return Err(reason::NOT_SPECIFIED);
            }
            // SAFETY: held neighbour.
            if unsafe { bindings::ipv6_rs_neigh_nud_state(n) } & nud::FAILED == 0 {
                let ll = lladdr.map_or(core::ptr::null(), <[u8]>::as_ptr);
                // SAFETY: held neighbour; `ll` is null or `addr_len` bytes.
                unsafe { bindings::neigh_update(n, ll, state, flags, 0) };
            }
            // SAFETY: the lookup's reference.
            unsafe { bindings::ipv6_rs_neigh_release(n) };
            Ok(())
        }
    }
}

/// Hop limit and traffic class of neighbour discovery messages.
fn nd_tclass(d: &RxDev) -> u8 {
    d.cnf().map_or(0, |c| c.ndisc_tclass as u8)
}

/// `ndisc_send_na()`: advertise `target` to `dst`.
pub(crate) fn send_na(
    d: &RxDev,
    dst: &Ipv6Addr,
    target: &Ipv6Addr,
    router: bool,
    solicited: bool,
    mut override_: bool,
    mut inc_opt: bool,
) {
    let src = match IfAddrRef::find(d.net, d.dev, target) {
        Some(ifa) => {
            if ifa.flags() & ifa_flags::OPTIMISTIC != 0 {
                override_ = false;
            }
            *target
        }
        None => {
            let rcu = Rcu::read_lock();
            match select_source(dst, d.ifindex(), super::ip6::addrs(d.net, &rcu)) {
                Some(s) => s,
                None => return,
            }
        }
    };
    let hw = d.hw_addr();
    if hw.is_empty() {
        inc_opt = false;
    }
    let mut flags = 0;
    if router {
        flags |= na_flag::ROUTER;
    }
    if solicited {
        flags |= na_flag::SOLICITED;
    }
    if override_ {
        flags |= na_flag::OVERRIDE;
    }
    let len = ND_MSG_LEN
        + if inc_opt {
            lladdr_opt_space(hw.len())
        } else {
            0
        };
    let tlla = inc_opt.then_some(hw);
    ip6::send_icmp(d, &src, dst, None, 255, nd_tclass(d), len, |buf| {
        emit_na(buf, target, flags, tlla).map(|_| ())
    });
}

/// `ndisc_send_ns()`: solicit `target` at `dst`, from `src` (the device's link-local
/// address if `None`; `::` for DAD probes) with a DAD nonce if not 0.
pub(crate) fn send_ns(
    d: &RxDev,
    target: &Ipv6Addr,
    dst: &Ipv6Addr,
    src: Option<Ipv6Addr>,
    nonce: u64,
) {
    let src = match src {
        Some(s) => s,
        None => {
            let mut ll = None;
            walk_addrs(d.net, Some(d.dev), |a| {
                let is_ll =
                    a.local.addr.octets()[0] == 0xfe && a.local.addr.octets()[1] & 0xc0 == 0x80;
                if is_ll && a.local.flags & (ifa_flags::TENTATIVE | ifa_flags::OPTIMISTIC) == 0 {
                    ll = Some(a.local.addr);
                    return true;
                }
                false
            });
            match ll {
                Some(s) => s,
                None => return,
            }
        }
    };
    let hw = d.hw_addr();
    let slla = (!hw.is_empty() && !src.is_unspecified()).then_some(hw);
    let len =
        ND_MSG_LEN + slla.map_or(0, |h| lladdr_opt_space(h.len())) + if nonce != 0 { 8 } else { 0 };
    ip6::send_icmp(d, &src, dst, None, 255, nd_tclass(d), len, |buf| {
        emit_ns(buf, target, slla, nonce).map(|_| ())
    });
}
