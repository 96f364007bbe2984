// SPDX-License-Identifier: GPL-2.0

//! Address configuration (mainline `net/ipv6/addrconf.c`): carries out what the
//! core's [`crate::addrconf`] decides for each device event, and answers rtnetlink's
//! address requests with mainline's message layout.

#![forbid(unsafe_code)]

use crate::dad::{self, State as DadState};
use crate::errno;
use crate::net::ifaddr::DadStep;
use crate::net::netns::Net;
use crate::net::sysctl::DevconfEvents;
use crate::net::time;
use crate::net::uapi;
use crate::net::KernelRandom;
use crate::net::{
    devconf::devconf_array,
    device::{dev_by_index, for_each_dev, next_dev, EventInfo, NetDevice, NetdevEvents},
    ifaddr::{self, IfAddr, NewIfAddr},
    inet6_dev,
    inet6_dev::{Inet6Dev, ICMP6STATS_ITEMS, IPSTATS_ITEMS},
    netlink::{
        self, AttrWriter, Attrs, DoitCall, DumpCall, LinkAf, LinkAfError, MsgSize, NlError, NlSkb,
        NotifySkb, Request, RtnlDoit, RtnlDump, RtnlGuard,
    },
    netns,
    procfs::{Seq, SeqShow},
};

use crate::ipv6::{anycast, mcast, ndisc, route};
use crate::wire::ndisc::solicited_node;
use crate::{
    addrconf::{
        address_expiry, check_addr_type, check_new_addr, dad_required, dev_event, eui64_from_mac,
        ifa_flags, ifa_proto, ifa_scope, lifetime_flags, link_local, prefix_acceptable,
        reported_lifetimes, rt_scope_of, slaac_address, slaac_valid_lifetime, AddrError, DevEvent,
        DevFacts, Expiry, INFINITY_LIFE_TIME, MODIFY_CLEARS, REQUEST_FLAGS,
    },
    conf::{addr_gen_mode, IPV6_MIN_MTU},
    privacy::{
        desync_factor, random_interface_id, regen_advance, stable_interface_id, temp_lifetimes,
        temp_refresh, temp_regen, Regen, TempConf,
    },
    wire::{ndisc::PrefixInfo, netlink::NLA_HDRLEN},
};
use core::net::{Ipv4Addr, Ipv6Addr};
use kernel::{error::code::EINVAL, prelude::*};

/// `IF_READY` in `inet6_dev.if_flags`: the link is up and addresses are configured.
const IF_READY: u32 = 0x8000_0000;
const AF_INET6: u8 = uapi::AF_INET6 as u8;

/// The netdevice-event handler of IPv6 address configuration.
pub(crate) struct Addrconf;

impl NetdevEvents for Addrconf {
    /// `addrconf_notify()`, then `ndisc_netdev_event()` (mainline's two notifiers, in
    /// the order they are registered).
    fn event(ev: DevEvent, dev: &NetDevice, info: EventInfo) {
        addrconf_event(ev, dev);
        ndisc::netdev_event(ev, dev, info);
    }
}

/// `addrconf_notify()`.
fn addrconf_event(ev: DevEvent, dev: &NetDevice) {
    if ev == DevEvent::ChangeName {
        inet6_dev::renamed::<crate::ipv6::proc::DevSnmp6, Devconf>(dev);
        return;
    }
    let has_idev = dev.has_idev();
    let facts = DevFacts {
        mtu: dev.mtu(),
        loopback: dev.is_loopback(),
        has_idev,
        link_ready: dev.link_ready(),
        configured: has_idev && idev_if_flags(dev) & IF_READY != 0,
        disabled: Inet6Dev::of(dev).is_some_and(|i| i.disabled()),
    };
    let act = dev_event(ev, facts);
    if act.attach {
        if let Err(e) = attach_dev(dev) {
            pr_warn!("cannot set up IPv6 on a device: {:?}\n", e);
            return;
        }
    }
    if act.set_mtu {
        if let Some(idev) = Inet6Dev::of(dev) {
            // Routes and exceptions follow before `mtu6` changes: they compare with
            // the old one (`rt6_mtu_change()`).
            route::mtu_change(dev, dev.mtu(), idev.cnf().mtu6.max(0) as u32);
            idev.set_mtu6(dev.mtu());
        }
    }
    if act.configure {
        configure(dev);
        // An MTU change while IPv6 was down (or disabled) reaches the device's
        // settings and routes now (`addrconf_notify()` on NETDEV_UP).
        if let Some(idev) = Inet6Dev::of(dev) {
            let mtu6 = idev.cnf().mtu6.max(0) as u32;
            if mtu6 != dev.mtu() && dev.mtu() >= IPV6_MIN_MTU {
                route::mtu_change(dev, dev.mtu(), mtu6);
                idev.set_mtu6(dev.mtu());
            }
        }
    }
    if act.mc_resend {
        mcast::up(dev);
    }
    if act.down {
        // Going away (or below IPv6's MTU, as mainline treats it): all routes go.
        down(dev, act.detach);
    }
    if act.detach {
        detach_dev(dev);
    }
}

fn idev_if_flags(dev: &NetDevice) -> u32 {
    Inet6Dev::of(dev).map_or(0, |i| i.if_flags())
}

pub(crate) fn update_if_flags(dev: &NetDevice, set: u32, clear: u32) {
    if let Some(i) = Inet6Dev::of(dev) {
        i.update_if_flags(set, clear);
    }
}

/// The link is ready: add the automatic addresses (`addrconf_init_auto_addrs()`), then
/// start duplicate address detection on every tentative address (`addrconf_dad_run()`).
fn configure(dev: &NetDevice) {
    if !dev.has_idev() {
        return;
    }
    update_if_flags(dev, IF_READY, 0);
    // ipv6_find_idev() on an up device: its groups are loaded and reported again.
    mcast::up(dev);
    // addrconf_permanent_addr(), before the automatic addresses: permanent addresses
    // (kept over a down with keep_addr_on_down) get their prefix routes back; those
    // kept do DAD again below.
    for ifa in ifaddr::addrs(dev) {
        let f = ifa.flags();
        if f & (ifa_flags::PERMANENT | ifa_flags::NOPREFIXROUTE) == ifa_flags::PERMANENT {
            route::add_prefix_route(
                dev,
                &ifa.addr(),
                ifa.prefix_len(),
                ifa.rt_priority(),
                ifa.lifetimes().1,
            );
        }
    }
    // addrconf_add_dev(): the default multicast route (a multipoint sit device, made
    // by addrconf_sit_config() without it, has none).
    let sit = dev.dev_type() == uapi::ARPHRD_SIT;
    if !dev.is_loopback() && !(sit && !dev.is_p2p() && !dev.is_isatap()) {
        route::add_mroute(dev);
    }
    if dev.is_loopback() {
        add_auto(dev, Ipv6Addr::LOCALHOST, 128, ifa_proto::KERNEL_LO, 0);
    } else if autoconf_type(dev) {
        addr_gen(dev);
    } else if sit {
        sit_addrs(dev);
    }
    // Only on a ready link do tentative addresses start DAD (`addrconf_dad_run()`).
    for ifa in ifaddr::addrs(dev) {
        // Kept over a down with nodad: not tentative, but waiting to be announced.
        let kept = ifa.flags() & ifa_flags::NODAD != 0 && ifa.state() == DadState::PreDad;
        if ifa.flags() & ifa_flags::TENTATIVE != 0 || kept {
            dad_start(dev, ifa);
        }
    }
    // "Device has an address by now": its dead next hops live again.
    route::dev_up(dev);
}

/// The device types that get a link-local address of their own (those of mainline's
/// `addrconf_dev_config()` that ipv6_rs has: Ethernet, none, ip6tnl; and ISATAP).
fn autoconf_type(dev: &NetDevice) -> bool {
    [uapi::ARPHRD_ETHER, uapi::ARPHRD_NONE, uapi::ARPHRD_TUNNEL6].contains(&dev.dev_type())
        || (dev.dev_type() == uapi::ARPHRD_SIT && dev.is_isatap())
}

/// `add_v4_addrs()` for a sit device coming up (not ISATAP): the IPv4-compatible or
/// link-local addresses the core picks from its local address or the node's IPv4
/// addresses, permanent and without DAD, each with its prefix route.
fn sit_addrs(dev: &NetDevice) {
    let Some(idev) = Inet6Dev::of(dev) else {
        return;
    };
    let local = <[u8; 4]>::try_from(dev.hw_addr()).map_or(Ipv4Addr::UNSPECIFIED, Ipv4Addr::from);
    let gen_none = idev.cnf().addr_gen_mode as i32 == addr_gen_mode::NONE;
    let v4 = dev.net().v4_addrs(dev.rtnl());
    crate::sit::v4_addrs(local, dev.is_p2p(), gen_none, &v4, |a| {
        if ifaddr::addrs(dev).any(|i| i.addr() == a.addr) {
            return;
        }
        let new = NewIfAddr {
            addr: a.addr,
            peer: None,
            prefix_len: a.prefix_len,
            flags: ifa_flags::PERMANENT,
            valid_lft: INFINITY_LIFE_TIME,
            prefered_lft: INFINITY_LIFE_TIME,
            proto: 0,
            rt_priority: 0,
            scope: Some(a.scope),
        };
        match list_addr(dev, &new) {
            Ok(ifa) => {
                ifa.move_state(DadState::PreDad, DadState::PostDad);
                notify(uapi::RTM_NEWADDR as u16, dev, ifa);
                route::add_prefix_route(dev, &a.addr, a.prefix_len, 0, INFINITY_LIFE_TIME);
            }
            Err(e) => pr_warn!("cannot add an automatic address: {:?}\n", e),
        }
    });
}

/// The link-local address as the device's `addr_gen_mode` makes it
/// (`addrconf_dev_config()`, `addrconf_addr_gen()`): from EUI-64, from the RFC 7217
/// secret (`stable_privacy`; `random` first draws a secret for the device), or none.
/// A device without a hardware address (`ARPHRD_NONE`) in EUI-64 mode goes random.
fn addr_gen(dev: &NetDevice) {
    let Some(idev) = Inet6Dev::of(dev) else {
        return;
    };
    let mut mode = idev.cnf().addr_gen_mode as i32;
    if dev.dev_type() == uapi::ARPHRD_NONE && mode == addr_gen_mode::EUI64 {
        mode = addr_gen_mode::RANDOM;
        idev.set_addr_gen_mode(mode as u32);
    }
    let ll = link_local([0; 8]);
    match mode {
        addr_gen_mode::RANDOM | addr_gen_mode::STABLE_PRIVACY => {
            if mode == addr_gen_mode::RANDOM && !idev.cnf().stable_secret.initialized {
                let mut secret = [0u8; 16];
                crate::ctx::Random::fill(&mut KernelRandom, &mut secret);
                idev.set_stable_secret(&secret);
            }
            if let Some(a) = stable_address(dev, &ll, 0) {
                add_auto(dev, a, 64, ifa_proto::KERNEL_LL, ifa_flags::STABLE_PRIVACY);
            }
        }
        addr_gen_mode::EUI64 => {
            // An ISATAP device's identifier embeds its local IPv4 address
            // (`addrconf_ifid_sit()`), none without one.
            if dev.dev_type() == uapi::ARPHRD_SIT {
                let local = <[u8; 4]>::try_from(dev.hw_addr()).map(Ipv4Addr::from);
                if let Some(iid) = local.ok().and_then(crate::sit::isatap_interface_id) {
                    add_auto(dev, link_local(iid), 64, ifa_proto::KERNEL_LL, 0);
                }
                return;
            }
            // An ip6tnl device's identifier comes from the first six bytes of its
            // random permanent address (`addrconf_ifid_ip6tnl()`).
            let hw = if dev.dev_type() == uapi::ARPHRD_TUNNEL6 {
                dev.perm_addr().get(..6).unwrap_or_default()
            } else {
                dev.hw_addr()
            };
            if let Ok(mac) = <[u8; 6]>::try_from(hw) {
                let a = link_local(eui64_from_mac(mac));
                add_auto(dev, a, 64, ifa_proto::KERNEL_LL, 0);
            }
        }
        _ => {}
    }
}

/// `ipv6_generate_stable_address()`: `prefix` (its first 64 bits) with the device's
/// RFC 7217 interface identifier for DAD attempt `dad_count`; `None` without a secret
/// (the device's or `default`'s) or when only reserved identifiers came out.
fn stable_address(dev: &NetDevice, prefix: &Ipv6Addr, dad_count: u8) -> Option<Ipv6Addr> {
    let idev = Inet6Dev::of(dev)?;
    let secret = idev.stable_secret(&netns::conf_default(dev.net()))?;
    let mut a = prefix.octets();
    let pfx: [u8; 8] = a[..8].try_into().ok()?;
    let iid = stable_interface_id(
        &secret,
        &pfx,
        dev.perm_addr(),
        dad_count,
        dev.net().idgen_retries(),
    )?;
    a[8..].copy_from_slice(&iid);
    Some(Ipv6Addr::from(a))
}

/// `ipv6_allow_optimistic_dad()`: `optimistic_dad` is on for the device or `all`.
fn optimistic_dad(dev: &NetDevice) -> bool {
    dev.datapath_cnf().is_some_and(|c| c.optimistic_dad != 0)
        || netns::conf_all(dev.net()).optimistic_dad != 0
}

/// Autoconfigured addresses start optimistic (RFC 4429) where optimistic DAD is on and
/// the node does not forward (`all.forwarding`), as mainline's link-local and SLAAC
/// addresses do.
fn autoconf_optimistic(dev: &NetDevice) -> u32 {
    if optimistic_dad(dev) && netns::conf_all(dev.net()).forwarding == 0 {
        ifa_flags::OPTIMISTIC
    } else {
        0
    }
}

/// Adds a kernel-made permanent address, unless the device has it already.
fn add_auto(dev: &NetDevice, addr: Ipv6Addr, prefix_len: u8, proto: u8, extra: u32) {
    if ifaddr::addrs(dev).any(|a| a.addr() == addr) {
        return;
    }
    // The loopback address never does DAD (mainline add_addr() clears TENTATIVE at once
    // and announces it); others start tentative and are announced when DAD completes.
    let lo = proto == ifa_proto::KERNEL_LO;
    let flags = ifa_flags::PERMANENT
        | extra
        | if lo {
            0
        } else {
            ifa_flags::TENTATIVE | autoconf_optimistic(dev)
        };
    let new = NewIfAddr {
        addr,
        peer: None,
        prefix_len,
        flags,
        valid_lft: INFINITY_LIFE_TIME,
        prefered_lft: INFINITY_LIFE_TIME,
        proto,
        rt_priority: 0,
        scope: None,
    };
    match list_addr(dev, &new) {
        Ok(ifa) => {
            // fe80::/64 in the main table (`addrconf_add_linklocal()`); ::1 only has
            // its local route (`add_addr()`).
            if !lo {
                route::add_prefix_route(dev, &addr, prefix_len, 0, INFINITY_LIFE_TIME);
            }
            if lo {
                ifa.move_state(DadState::PreDad, DadState::PostDad);
                notify(uapi::RTM_NEWADDR as u16, dev, ifa);
            } else {
                dad_start(dev, ifa);
            }
        }
        Err(e) => pr_warn!("cannot add an automatic address: {:?}\n", e),
    }
}

/// Duplicate address detection for a new address, or one whose link became ready
/// (`addrconf_dad_begin()`), as the core's [`dad::begin`] decides: where DAD does not
/// apply (loopback or `IFF_NOARP` device, `nodad`, `accept_dad` off) or the address is
/// not tentative, it completes at once, clearing `tentative` and announcing the
/// address; where it applies and the link is ready, the address stays tentative while
/// [`dad_run`] probes for it (RFC 4862 §5.4); on a link that is not ready it waits for
/// [`configure`]. Returns whether it completed.
fn dad_start(dev: &NetDevice, ifa: &IfAddr) -> bool {
    let Some(cnf) = dev.datapath_cnf() else {
        return false;
    };
    let all = netns::conf_all(dev.net());
    let settings = dad::Settings {
        transmits: cnf.dad_transmits,
        enhanced: cnf.enhanced_dad != 0 || all.enhanced_dad != 0,
        max_delay: cnf.rtr_solicit_delay as u32,
        use_optimistic: (cnf.optimistic_dad != 0 || all.optimistic_dad != 0)
            && (cnf.use_optimistic != 0 || all.use_optimistic != 0),
    };
    match dad::begin(&dad_facts(dev, ifa), &settings, &mut KernelRandom) {
        dad::Begin::Wait => false,
        dad::Begin::Arm {
            probes,
            nonce,
            delay,
            route_now,
            announce_now,
        } => {
            if route_now {
                route::add_local_route(dev, &ifa.addr());
            }
            ifa.dad_arm(probes, nonce, delay);
            if announce_now {
                notify(uapi::RTM_NEWADDR as u16, dev, ifa);
                // __ipv6_ifa_notify(RTM_NEWADDR): an optimistic address joins its
                // subnet-router anycast address now, and again on completion (as
                // mainline: two users).
                anycast::addr_added(dev, ifa);
            }
            false
        }
        dad::Begin::Complete => {
            ifa.update_flags(
                0,
                ifa_flags::TENTATIVE | ifa_flags::OPTIMISTIC | ifa_flags::DADFAILED,
            );
            // Done with DAD: only an address kept over a down waits in PREDAD for the
            // link.
            ifa.move_state(DadState::PreDad, DadState::PostDad);
            notify(uapi::RTM_NEWADDR as u16, dev, ifa);
            dad_completed(dev, ifa);
            true
        }
    }
}

/// What DAD decisions are made from.
fn dad_facts(dev: &NetDevice, ifa: &IfAddr) -> dad::Facts {
    dad::Facts {
        state: ifa.state(),
        flags: ifa.flags(),
        required: needs_dad(dev, ifa.flags()),
        link_ready: idev_if_flags(dev) & IF_READY != 0,
    }
}

/// `addrconf_dad_completed()` after the announcement: the device's first usable
/// link-local address starts router solicitation.
fn dad_completed(dev: &NetDevice, ifa: &IfAddr) {
    // __ipv6_ifa_notify(RTM_NEWADDR): a router's subnet-router anycast address.
    anycast::addr_added(dev, ifa);
    if ifa.scope() == ifa_scope::LINK && lonely_lladdr(dev, ifa) {
        // While DAD ran, MLD reports went from `::`: again from the address now.
        mcast::dad_complete(dev);
        ndisc::start_rs(dev);
    }
    // A new temporary address gets its successor planned before it is deprecated.
    if ifa.flags() & ifa_flags::TEMPORARY != 0 {
        verify(dev.rtnl(), dev.net());
    }
}

/// `ipv6_lonely_lladdr()`: no other link-local address of the device is usable.
fn lonely_lladdr(dev: &NetDevice, ifa: &IfAddr) -> bool {
    let busy =
        ifa_flags::PERMANENT | ifa_flags::TENTATIVE | ifa_flags::OPTIMISTIC | ifa_flags::DADFAILED;
    !ifaddr::addrs(dev).any(|o| {
        o.as_ptr() != ifa.as_ptr()
            && o.scope() == ifa_scope::LINK
            && o.flags() & busy == ifa_flags::PERMANENT
    })
}

/// One step of duplicate address detection, from the address's DAD work under RTNL
/// (`addrconf_dad_work()`): send the next probe, or declare the address unique, or
/// carry out a failure that the receive path detected.
pub(crate) struct Dad;

impl DadStep for Dad {
    fn run(dev: &NetDevice, a: &IfAddr, st: DadState) {
        dad_run(dev, a, st);
    }
}

/// A run of the address's DAD work, as the core's [`dad::step`] decides.
fn dad_run(dev: &NetDevice, a: &IfAddr, st: DadState) {
    let facts = dad::Facts {
        state: st,
        ..dad_facts(dev, a)
    };
    let notify_na = dev.datapath_cnf().is_some_and(|c| c.ndisc_notify != 0)
        || netns::conf_all(dev.net()).ndisc_notify != 0;
    let addr = a.addr();
    match dad::step(&facts, a.dad_probes(), notify_na) {
        dad::Step::Idle => {}
        dad::Step::Failed { keep } => {
            a.move_state(st, DadState::PostDad);
            if a.flags() & ifa_flags::STABLE_PRIVACY != 0 {
                stable_privacy_retry(dev, a);
            }
            if a.flags() & ifa_flags::TEMPORARY != 0 {
                // addrconf_dad_stop(): a successor from its public address, then it goes.
                if let Some(p) = a.public(dev) {
                    let _ = create_tempaddr(dev, p);
                }
                let plen = a.prefix_len();
                remove_addrs(
                    dev,
                    |x| x.addr() == addr && x.prefix_len() == plen,
                    |x| notify(uapi::RTM_DELADDR as u16, dev, x),
                );
            } else if keep {
                // Stays tentative, marked dadfailed (addrconf_dad_stop()).
                a.update_flags(
                    ifa_flags::DADFAILED | ifa_flags::TENTATIVE,
                    ifa_flags::OPTIMISTIC,
                );
                notify(uapi::RTM_NEWADDR as u16, dev, a);
            } else {
                let plen = a.prefix_len();
                remove_addrs(
                    dev,
                    |x| x.addr() == addr && x.prefix_len() == plen,
                    |x| notify(uapi::RTM_DELADDR as u16, dev, x),
                );
            }
        }
        dad::Step::Probe => {
            if a.dad_take_probe() {
                let nonce = a.dad_nonce();
                with_rx_dev(dev, |d| {
                    let dst = crate::wire::ndisc::solicited_node(&addr);
                    ndisc::send_ns(d, &addr, &dst, Some(Ipv6Addr::UNSPECIFIED), nonce);
                });
            }
        }
        dad::Step::Unique { send_na } => {
            a.move_state(st, DadState::PostDad);
            a.update_flags(
                0,
                ifa_flags::TENTATIVE | ifa_flags::OPTIMISTIC | ifa_flags::DADFAILED,
            );
            notify(uapi::RTM_NEWADDR as u16, dev, a);
            dad_completed(dev, a);
            if send_na {
                let forwarding = dev.datapath_cnf().is_some_and(|c| c.forwarding != 0);
                with_rx_dev(dev, |d| {
                    let all_nodes = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
                    ndisc::send_na(d, &all_nodes, &addr, forwarding, false, true, true);
                });
            }
        }
    }
}

/// A stable privacy address collided (`addrconf_dad_failure()`): the next one of RFC
/// 7217's DAD counter replaces it, up to `idgen_retries` attempts. The new address
/// starts DAD at once (mainline waits `idgen_delay` first).
fn stable_privacy_retry(dev: &NetDevice, a: &IfAddr) {
    let retries = a.stable_privacy_retry() + 1;
    if retries > dev.net().idgen_retries() {
        pr_info!(
            "{}: privacy stable address generation failed because of DAD conflicts!\n",
            dev.name()
        );
        return;
    }
    let Some(new_addr) = stable_address(dev, &a.addr(), retries as u8) else {
        return;
    };
    let max = Inet6Dev::of(dev).map_or(0, |i| i.cnf().max_addresses);
    if max > 0 && ifaddr::addrs(dev).count() >= max as usize {
        return;
    }
    pr_info!(
        "{}: generating new stable privacy address because of DAD conflict\n",
        dev.name()
    );
    let (preferred, valid) = a.lifetimes();
    let new = NewIfAddr {
        addr: new_addr,
        peer: None,
        prefix_len: a.prefix_len(),
        flags: a.flags() | ifa_flags::TENTATIVE,
        valid_lft: valid,
        prefered_lft: preferred,
        proto: 0,
        rt_priority: 0,
        scope: None,
    };
    if let Ok(ifa2) = list_addr(dev, &new) {
        ifa2.set_stable_privacy_retry(retries);
        dad_start(dev, ifa2);
    }
}

/// Runs `f` with the datapath's view of `dev`, inside an RCU read-side section.
pub(crate) fn with_rx_dev(dev: &NetDevice, f: impl FnOnce(&crate::net::device::RxDev<'_>)) {
    dev.with_rx(f);
}

/// Our DAD probe collided with another node (`addrconf_dad_failure()`): called from the
/// receive path with a reference on the address. The work carries it out under RTNL.
pub(crate) fn dad_failure(
    d: &crate::net::device::RxDev<'_>,
    ifa: &crate::net::ifaddr::IfAddrRef,
    mac: Option<[u8; 6]>,
) {
    // Only while probing (the core's `dad::COLLISION`), as one compare-and-set against
    // the work.
    let (from, to) = dad::COLLISION;
    if !ifa.move_state(from, to) {
        return;
    }
    let m = mac.unwrap_or_default();
    pr_info!(
        "{}: IPv6 duplicate address {} used by {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x} detected!\n",
        d.name(),
        ifa.addr(),
        m[0],
        m[1],
        m[2],
        m[3],
        m[4],
        m[5]
    );
    ifa.dad_schedule_now();
}

/// `ipv6_add_addr()`'s listing, then `addrconf_join_solicit()`: neighbour
/// solicitations for the address arrive on its solicited-node group. Under RTNL.
fn list_addr<'a>(dev: &'a NetDevice, new: &NewIfAddr) -> Result<&'a IfAddr> {
    let ifa = ifaddr::add(dev, new)?;
    solicit(dev, &new.addr, true);
    Ok(ifa)
}

/// `addrconf_join_solict()` (`join`) and `addrconf_leave_solict()`: the solicited-node
/// group of an address of `dev`, except on the loopback device and devices without
/// neighbour discovery (`IFF_NOARP`: tunnels), where no solicitation comes.
pub(crate) fn solicit(dev: &NetDevice, addr: &Ipv6Addr, join: bool) {
    if dev.is_loopback() || dev.is_noarp() {
        return;
    }
    mcast::change(dev, &solicited_node(addr), join);
}

/// Removes every address of `dev` that `pred` selects, calling `gone` with each just
/// before it goes and leaving its solicited-node group (`addrconf_leave_solicit()`).
fn remove_addrs(dev: &NetDevice, pred: impl FnMut(&IfAddr) -> bool, mut gone: impl FnMut(&IfAddr)) {
    ifaddr::remove_where(dev, pred, |a| {
        gone(a);
        solicit(dev, &a.addr(), false);
    });
}

/// `ipv6_add_dev()`: the device's IPv6 state, configured from the namespace's
/// `default`, with its `dev_snmp6` file, then every node's group, all-nodes. Under
/// RTNL.
fn attach_dev(dev: &NetDevice) -> Result {
    let conf = netns::conf_default(dev.net());
    inet6_dev::attach::<crate::ipv6::proc::DevSnmp6, Devconf>(dev, &conf)?;
    if let Some(idev) = Inet6Dev::of(dev) {
        mcast::dev_init(idev);
    }
    mcast::change(dev, &INTERFACE_LOCAL_ALL_NODES, true);
    mcast::change(dev, &ALL_NODES, true);
    if conf.forwarding != 0 && dev.flags() & uapi::IFF_MULTICAST != 0 {
        mcast::change(dev, &ALL_ROUTERS, true);
    }
    Ok(())
}

/// The device's IPv6 state goes (`addrconf_ifdown()` on unregister).
fn detach_dev(dev: &NetDevice) {
    anycast::destroy_dev(dev);
    mcast::destroy(dev);
    inet6_dev::detach(dev);
}

/// `ff02::1`.
const ALL_NODES: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
/// `ff01::1`.
const INTERFACE_LOCAL_ALL_NODES: Ipv6Addr = Ipv6Addr::new(0xff01, 0, 0, 0, 0, 0, 0, 1);
/// `ff02::2`, `ff01::2`, `ff05::2`: the all-routers groups a router joins.
const ALL_ROUTERS: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 2);
const ROUTER_GROUPS: [Ipv6Addr; 3] = [
    ALL_ROUTERS,
    Ipv6Addr::new(0xff01, 0, 0, 0, 0, 0, 0, 2),
    Ipv6Addr::new(0xff05, 0, 0, 0, 0, 0, 0, 2),
];

/// What writes of `forwarding` and `disable_ipv6` do (`addrconf_sysctl_forward()`,
/// `addrconf_sysctl_disable()`), for the kernel layer's sysctl tables.
pub(crate) struct Devconf;

impl DevconfEvents for Devconf {
    /// `dev_forward_change()`: routers listen to all-routers.
    fn forwarding_changed(dev: &NetDevice, on: bool) {
        if dev.flags() & uapi::IFF_MULTICAST != 0 {
            for g in &ROUTER_GROUPS {
                mcast::change(dev, g, on);
            }
        }
        anycast::forwarding_changed(dev, on);
    }

    /// `addrconf_init_auto_addrs()`: the new mode's link-local address (also on a
    /// device that is down: it waits there for DAD).
    fn addr_gen_mode_changed(dev: &NetDevice) {
        if Inet6Dev::of(dev).is_none_or(|i| i.disabled()) || dev.is_loopback() {
            return;
        }
        if autoconf_type(dev) {
            route::add_mroute(dev);
            addr_gen(dev);
        }
    }

    /// `dev_disable_change()`: as if the device went down, or came up again (to
    /// `addrconf_notify()` only: neighbour discovery hears nothing).
    fn disable_changed(dev: &NetDevice, disabled: bool) {
        let ev = if disabled {
            DevEvent::Down
        } else {
            DevEvent::Up
        };
        addrconf_event(ev, dev);
    }
}

/// The DAD workqueue, running [`Dad`].
pub(crate) type DadWork = crate::net::ifaddr::DadWork<Dad>;

fn needs_dad(dev: &NetDevice, flags: u32) -> bool {
    let dev_dad = Inet6Dev::of(dev).map_or(0, |i| i.cnf().accept_dad);
    let all_dad = netns::conf_all(dev.net()).accept_dad;
    dad_required(
        dev.is_loopback() || dev.is_noarp(),
        dev_dad.max(all_dad),
        flags,
    )
}

/// The device went down or, with `unregister`, is going away (`addrconf_ifdown()`):
/// its addresses go, each announced with `RTM_DELADDR`; but with `keep_addr_on_down`
/// on a down, permanent addresses other than link-local and loopback ones stay,
/// silently, to do DAD again when the device is back up ([`configure`]).
fn down(dev: &NetDevice, unregister: bool) {
    if !dev.has_idev() {
        return;
    }
    let was_ready = idev_if_flags(dev) & IF_READY != 0;
    update_if_flags(dev, 0, IF_READY);
    if let Some(idev) = Inet6Dev::of(dev) {
        idev.rs_stop();
    }
    // rt6_disable_ip(): the device's routes go before its addresses.
    route::dev_down(dev, unregister);
    let keep_addr = !unregister && keep_addr_on_down(dev);
    let keep = |a: &IfAddr| {
        keep_addr
            && a.flags() & ifa_flags::PERMANENT != 0
            && a.scope() != ifa_scope::LINK
            && a.addr() != Ipv6Addr::LOCALHOST
    };
    remove_addrs(
        dev,
        |a| !keep(a),
        |ifa| notify(uapi::RTM_DELADDR as u16, dev, ifa),
    );
    for a in ifaddr::addrs(dev) {
        // Kept addresses leave the subnet-router anycast address silently too.
        anycast::addr_removed(dev, a);
        a.move_state(a.state(), DadState::PreDad);
        if a.flags() & ifa_flags::NODAD == 0 {
            a.update_flags(ifa_flags::TENTATIVE, 0);
        }
    }
    // Step 5 of addrconf_ifdown(): on a down, the groups are withdrawn (on
    // unregister, `detach_dev` destroys them).
    if !unregister && was_ready {
        mcast::down(dev);
    }
    dev.nd_down();
}

/// `keep_addr_on_down`: `all`'s if set, else the device's; on when positive.
fn keep_addr_on_down(dev: &NetDevice) -> bool {
    if Inet6Dev::of(dev).is_none_or(|i| i.disabled()) {
        return false;
    }
    let all = netns::conf_all(dev.net()).keep_addr_on_down;
    let keep = if all != 0 {
        all
    } else {
        Inet6Dev::of(dev).map_or(0, |i| i.cnf().keep_addr_on_down)
    };
    keep > 0
}

/// Size of the largest address message (`inet6_ifaddr_msgsize()`).
const IFADDR_MSGSIZE: usize = 8 // struct ifaddrmsg
    + 2 * nla_total(16) // IFA_LOCAL, IFA_ADDRESS
    + nla_total(16) // IFA_CACHEINFO
    + nla_total(4) // IFA_FLAGS
    + nla_total(1) // IFA_PROTO
    + nla_total(4); // IFA_RT_PRIORITY

const fn nla_total(payload: usize) -> usize {
    crate::wire::netlink::align(NLA_HDRLEN + payload)
}

/// `HZ`, never zero.
fn hz() -> core::num::NonZeroUsize {
    let hz = time::hz() as usize;
    core::num::NonZeroUsize::new(hz).unwrap_or(core::num::NonZeroUsize::MIN)
}

/// Hundredths of a second since boot for a jiffies stamp (mainline `cstamp_delta()`).
fn cstamp_delta(stamp: usize) -> u32 {
    let hz = hz();
    // INITIAL_JIFFIES: (unsigned long)(unsigned int)(-300 * HZ).
    let initial = (300u32.wrapping_mul(hz.get() as u32)).wrapping_neg() as usize;
    (stamp.wrapping_sub(initial).wrapping_mul(100) / hz) as u32
}

/// Writes one address message (mainline `inet6_fill_ifaddr()`).
fn fill_ifaddr(
    skb: &mut NlSkb<'_>,
    ifa: &IfAddr,
    ifindex: u32,
    portid: u32,
    seq: u32,
    event: u16,
    nlflags: u16,
) -> Result<(), MsgSize> {
    let flags = ifa.flags();
    let hdr = uapi::ifaddrmsg {
        ifa_family: AF_INET6,
        ifa_prefixlen: ifa.prefix_len(),
        ifa_flags: flags as u8,
        ifa_scope: rt_scope_of(ifa.scope()),
        ifa_index: ifindex,
    };
    let mut m = skb.begin(portid, seq, event, nlflags, &hdr)?;
    let now = time::jiffies() as usize;
    let (cstamp, tstamp) = ifa.stamps();
    let age = (now.wrapping_sub(tstamp) / hz()) as u32;
    let (pref, valid) = ifa.lifetimes();
    let (pref, valid) = reported_lifetimes(flags, pref, valid, age);
    let peer = ifa.peer();
    if peer.is_unspecified() {
        m.put(uapi::IFA_ADDRESS as u16, &ifa.addr().octets())?;
    } else {
        m.put(uapi::IFA_LOCAL as u16, &ifa.addr().octets())?;
        m.put(uapi::IFA_ADDRESS as u16, &peer.octets())?;
    }
    if ifa.rt_priority() != 0 {
        m.put_u32(uapi::IFA_RT_PRIORITY as u16, ifa.rt_priority())?;
    }
    let mut ci = [0u8; 16];
    for (i, v) in [pref, valid, cstamp_delta(cstamp), cstamp_delta(tstamp)]
        .iter()
        .enumerate()
    {
        ci[i * 4..i * 4 + 4].copy_from_slice(&v.to_ne_bytes());
    }
    m.put(uapi::IFA_CACHEINFO as u16, &ci)?;
    m.put_u32(uapi::IFA_FLAGS as u16, flags)?;
    if ifa.proto() != 0 {
        m.put_u8(uapi::IFA_PROTO as u16, ifa.proto())?;
    }
    m.finish();
    Ok(())
}

/// Announces an address change to `RTNLGRP_IPV6_IFADDR` (`inet6_ifa_notify()`).
fn notify(event: u16, dev: &NetDevice, ifa: &IfAddr) {
    if event == uapi::RTM_DELADDR as u16 {
        anycast::addr_removed(dev, ifa);
    }
    route::address_event(event, dev, ifa);
    let group = uapi::RTNLGRP_IPV6_IFADDR;
    let net = dev.net();
    let mut skb = match NotifySkb::new(IFADDR_MSGSIZE) {
        Ok(skb) => skb,
        Err(e) => return netlink::notify_error(net, group, e),
    };
    match fill_ifaddr(&mut skb.nl(), ifa, dev.ifindex(), 0, 0, event, 0) {
        Ok(()) => skb.send(net, group),
        // The size is computed for the largest message: a bug, as mainline says.
        Err(MsgSize) => pr_warn!("address notification larger than computed\n"),
    }
}

/// `RTM_GETADDR` dump (mainline `inet6_dump_ifaddr()`): every unicast address of the
/// namespace, or of one device with a strict request naming its index.
///
struct DumpIfaddr;

impl RtnlDump for DumpIfaddr {
    fn dump(call: &mut DumpCall<'_>) -> Result<(), NlError> {
        dump_ifaddr(call)
    }
}

fn dump_ifaddr(call: &mut DumpCall<'_>) -> Result<(), NlError> {
    let mut only = None;
    if call.strict {
        match valid_dump_req(&call.req) {
            Ok(ifindex) => only = ifindex,
            Err((e, msg)) => return Err(NlError::new(-e.to_errno(), msg)),
        }
    }
    let rtnl = call.rtnl();
    let (net, portid, seq) = (call.net, call.portid, call.seq);
    // Position: [0] the next ifindex to visit (usize::MAX when done), [1] addresses of
    // that device already sent.
    let (mut ifindex, skip) = (call.arg(0), call.arg(1));
    if let Some(want) = only {
        // One device, which must exist (mainline answers -ENODEV on each call).
        let mut idx = want as usize;
        if next_dev(rtnl, net, &mut idx).is_none() || idx != want as usize {
            return Err(NlError::bare(errno::ENODEV));
        }
        if ifindex == usize::MAX {
            return Ok(());
        }
        ifindex = idx;
    }
    let mut skip = skip;
    while ifindex != usize::MAX {
        let mut idx = ifindex;
        let Some(dev) = next_dev(rtnl, net, &mut idx) else {
            break;
        };
        if only.is_some_and(|w| idx != w as usize) {
            break;
        }
        let (ty, fl) = (uapi::RTM_NEWADDR as u16, uapi::NLM_F_MULTI as u16);
        for (i, ifa) in ifaddr::addrs(dev).enumerate().skip(skip) {
            if fill_ifaddr(&mut call.out, ifa, dev.ifindex(), portid, seq, ty, fl).is_err() {
                call.set_arg(0, idx);
                call.set_arg(1, i);
                return Ok(());
            }
        }
        skip = 0;
        ifindex = if only.is_some() { usize::MAX } else { idx + 1 };
    }
    call.set_arg(0, usize::MAX);
    call.set_arg(1, 0);
    Ok(())
}

/// Strict checking of an address dump request (`inet6_valid_dump_ifaddr_req()`):
/// returns the device index to restrict the dump to, if any.
fn valid_dump_req(req: &Request<'_>) -> Result<Option<u32>, (Error, &'static core::ffi::CStr)> {
    let ifm: uapi::ifaddrmsg = req
        .header()
        .ok_or((EINVAL, c"ipv6: Invalid header for address dump request"))?;
    if ifm.ifa_prefixlen != 0 || ifm.ifa_flags != 0 || ifm.ifa_scope != 0 {
        return Err((
            EINVAL,
            c"ipv6: Invalid values in header for address dump request",
        ));
    }
    for a in req.attrs(core::mem::size_of::<uapi::ifaddrmsg>()) {
        // IFA_TARGET_NETNSID (a dump of another namespace) is not supported yet.
        a.map_err(|_| (EINVAL, c"ipv6: Invalid attribute in dump request"))?;
        return Err((EINVAL, c"ipv6: Unsupported attribute in dump request"));
    }
    Ok((ifm.ifa_index != 0).then_some(ifm.ifa_index))
}

/// Writes one AF_INET6 link message (mainline `inet6_fill_ifinfo()`).
fn fill_ifinfo(
    skb: &mut NlSkb<'_>,
    dev: &NetDevice,
    idev: &Inet6Dev,
    portid: u32,
    seq: u32,
    event: u16,
    nlflags: u16,
) -> Result<(), MsgSize> {
    let ifindex = dev.ifindex();
    let hdr = uapi::ifinfomsg {
        ifi_family: AF_INET6,
        __ifi_pad: 0,
        ifi_type: dev.dev_type() as u16,
        ifi_index: ifindex as i32,
        ifi_flags: dev.user_flags(),
        ifi_change: 0,
    };
    let mut m = skb.begin(portid, seq, event, nlflags, &hdr)?;
    let mut name = [0u8; 17];
    name[..dev.name().len()].copy_from_slice(dev.name().as_bytes());
    m.put(uapi::IFLA_IFNAME as u16, &name[..=dev.name().len()])?;
    if !dev.hw_addr().is_empty() {
        m.put(uapi::IFLA_ADDRESS as u16, dev.hw_addr())?;
    }
    m.put_u32(uapi::IFLA_MTU as u16, dev.mtu())?;
    let iflink = dev.iflink();
    if iflink != ifindex {
        m.put_u32(uapi::IFLA_LINK as u16, iflink)?;
    }
    let operstate = dev.operstate();
    m.put_u8(uapi::IFLA_OPERSTATE as u16, operstate)?;
    let nest = m.nest_start(uapi::IFLA_PROTINFO as u16)?;
    fill_ifla6_attrs(&mut m, idev, false)?;
    m.nest_end(nest);
    m.finish();
    Ok(())
}

/// `inet6_fill_ifla6_attrs()`: a device's IPv6 details, in `IFLA_PROTINFO` of our link
/// dump and in `IFLA_AF_SPEC` of every link message; statistics unless
/// `skip_stats` (`RTEXT_FILTER_SKIP_STATS`).
fn fill_ifla6_attrs(
    m: &mut AttrWriter<'_>,
    idev: &Inet6Dev,
    skip_stats: bool,
) -> Result<(), MsgSize> {
    m.put_u32(uapi::IFLA_INET6_FLAGS as u16, idev.if_flags())?;
    // ifla_cacheinfo: max_reasm_len, tstamp, reachable_time, retrans_time (ms).
    let (reachable, retrans) = idev.nd_times();
    let ci = [
        IPV6_MAXPLEN,
        cstamp_delta(idev.tstamp()),
        reachable,
        retrans,
    ];
    m.put(uapi::IFLA_INET6_CACHEINFO as u16, &ne_bytes(&ci))?;
    let conf = devconf_array(&idev.cnf());
    let mut conf_bytes = [0u8; uapi::DEVCONF_MAX as usize * 4];
    for (i, v) in conf.iter().enumerate() {
        conf_bytes[i * 4..i * 4 + 4].copy_from_slice(&v.to_ne_bytes());
    }
    m.put(uapi::IFLA_INET6_CONF as u16, &conf_bytes)?;
    if !skip_stats {
        let (mut ip, mut icmp) = ([0u64; IPSTATS_ITEMS], [0u64; ICMP6STATS_ITEMS]);
        idev.fill_stats(&mut ip, &mut icmp);
        m.put(
            uapi::IFLA_INET6_STATS as u16,
            &u64_bytes::<{ IPSTATS_ITEMS * 8 }>(&ip),
        )?;
        m.put(
            uapi::IFLA_INET6_ICMP6STATS as u16,
            &u64_bytes::<{ ICMP6STATS_ITEMS * 8 }>(&icmp),
        )?;
    }
    m.put(uapi::IFLA_INET6_TOKEN as u16, &idev.token())?;
    m.put_u8(
        uapi::IFLA_INET6_ADDR_GEN_MODE as u16,
        idev.cnf().addr_gen_mode as u8,
    )?;
    if idev.ra_mtu() != 0 {
        m.put_u32(uapi::IFLA_INET6_RA_MTU as u16, idev.ra_mtu())?;
    }
    Ok(())
}

/// `IFLA_AF_SPEC`'s `AF_INET6` part of every link message (mainline's `inet6_ops`):
/// what `ip -d link` shows as `addrgenmode`, and daemons read from any link dump.
pub(crate) struct Inet6LinkAf;

impl LinkAf for Inet6LinkAf {
    fn fill(dev: &NetDevice, m: &mut AttrWriter<'_>, skip_stats: bool) -> Result<bool, MsgSize> {
        let Some(idev) = Inet6Dev::of(dev) else {
            return Ok(false);
        };
        fill_ifla6_attrs(m, idev, skip_stats)?;
        Ok(true)
    }

    /// `inet6_validate_link_af()`: a token or an address generation mode, the mode one
    /// of the four, stable privacy only with a secret.
    fn validate(dev: Option<&NetDevice>, nest: &[u8]) -> Result<(), LinkAfError> {
        let idev = match dev {
            Some(d) => Some(Inet6Dev::of(d).ok_or((errno::EAFNOSUPPORT, None))?),
            None => None,
        };
        let (token, mode) = link_af_attrs(nest, true)?;
        if token.is_none() && mode.is_none() {
            return Err((errno::EINVAL, None));
        }
        if let Some(m) = mode {
            if i32::from(m) > addr_gen_mode::RANDOM {
                return Err((errno::EINVAL, None));
            }
            // check_stable_privacy()
            if let (Some(i), Some(d)) = (idev, dev) {
                let no_secret = i.stable_secret(&netns::conf_default(d.net())).is_none();
                if i32::from(m) == addr_gen_mode::STABLE_PRIVACY && no_secret {
                    return Err((errno::EINVAL, None));
                }
            }
        }
        Ok(())
    }

    /// `inet6_set_link_af()`: the token (`inet6_set_iftoken()`), then the mode.
    fn set(dev: &NetDevice, nest: &[u8]) -> Result<(), LinkAfError> {
        let idev = Inet6Dev::of(dev).ok_or((errno::EAFNOSUPPORT, None))?;
        let (token, mode) = link_af_attrs(nest, false).map_err(|_| (errno::EINVAL, None))?;
        if let Some(t) = token {
            set_token(dev, idev, &t)?;
        }
        if let Some(m) = mode {
            idev.set_addr_gen_mode(u32::from(m));
        }
        Ok(())
    }

    /// `inet6_ifla6_size()`.
    fn size() -> usize {
        let nla = |n: usize| (4 + n + 3) & !3;
        nla(4)
            + nla(16)
            + nla(uapi::DEVCONF_MAX as usize * 4)
            + nla(IPSTATS_ITEMS * 8)
            + nla(ICMP6STATS_ITEMS * 8)
            + nla(16)
            + nla(1)
            + nla(4)
    }
}

/// The token and address generation mode of an `AF_INET6` link nest; with `policy`,
/// checked as `inet6_af_policy` does (`IFLA_INET6_TOKEN` at least 16 octets, the mode
/// at least one).
fn link_af_attrs(nest: &[u8], policy: bool) -> Result<(Option<[u8; 16]>, Option<u8>), LinkAfError> {
    const POLICY: LinkAfError = (errno::ERANGE, Some(c"Attribute failed policy validation"));
    let (mut token, mut mode) = (None, None);
    for a in crate::wire::netlink::attrs(nest) {
        let a = a.map_err(|_| (errno::EINVAL, None))?;
        match u32::from(a.kind) {
            uapi::IFLA_INET6_TOKEN => match a.data.first_chunk::<16>() {
                Some(t) => token = Some(*t),
                None if policy => return Err(POLICY),
                None => {}
            },
            uapi::IFLA_INET6_ADDR_GEN_MODE => match a.data.first() {
                Some(m) => mode = Some(*m),
                None if policy => return Err(POLICY),
                None => {}
            },
            _ => {}
        }
    }
    Ok((token, mode))
}

/// `inet6_set_iftoken()`: a device that does router discovery takes the token's
/// interface identifier; addresses made from the old one expire, and a ready device
/// solicits routers again to make new ones.
fn set_token(dev: &NetDevice, idev: &Inet6Dev, token: &[u8; 16]) -> Result<(), LinkAfError> {
    if dev.is_loopback() {
        return Err((errno::EINVAL, Some(c"ipv6: Device is loopback")));
    }
    if dev.is_noarp() {
        return Err((
            errno::EINVAL,
            Some(c"ipv6: Device does not do neighbour discovery"),
        ));
    }
    let rc = idev.ra_conf();
    if !crate::ndisc::accept_ra(rc.accept_ra, rc.forwarding) {
        return Err((
            errno::EINVAL,
            Some(c"ipv6: Router advertisement is disabled on device"),
        ));
    }
    if rc.rtr_solicits == 0 {
        return Err((
            errno::EINVAL,
            Some(c"Router solicitation is disabled on device"),
        ));
    }
    let mut iid = [0u8; 8];
    iid.copy_from_slice(&token[8..]);
    idev.set_token(&iid);
    if token != &[0; 16] && idev.if_flags() & IF_READY != 0 {
        ndisc::start_rs(dev);
    }
    idev.expire_tokenized();
    ifinfo_notify(dev);
    verify(dev.rtnl(), dev.net());
    Ok(())
}

/// `IPV6_MAXPLEN`: the largest payload length.
const IPV6_MAXPLEN: u32 = 65535;

fn ne_bytes(v: &[u32; 4]) -> [u8; 16] {
    let mut b = [0u8; 16];
    for (i, x) in v.iter().enumerate() {
        b[i * 4..i * 4 + 4].copy_from_slice(&x.to_ne_bytes());
    }
    b
}

fn u64_bytes<const N: usize>(v: &[u64]) -> [u8; N] {
    let mut b = [0u8; N];
    for (i, x) in v.iter().enumerate().take(N / 8) {
        b[i * 8..i * 8 + 8].copy_from_slice(&x.to_ne_bytes());
    }
    b
}

/// `RTM_GETLINK` dump for AF_INET6 (mainline `inet6_dump_ifinfo()`): every device with
/// IPv6 state, with its IPv6 details in `IFLA_PROTINFO`. `ip -6 link` and the link lines
/// of `ip -6 addr` come from here.
///
struct DumpIfinfo;

impl RtnlDump for DumpIfinfo {
    fn dump(call: &mut DumpCall<'_>) -> Result<(), NlError> {
        if call.strict {
            if let Err((e, msg)) = valid_dump_ifinfo(&call.req) {
                return Err(NlError::new(-e.to_errno(), msg));
            }
        }
        let (net, portid, seq) = (call.net, call.portid, call.seq);
        let rtnl = call.rtnl();
        // Position: the next ifindex.
        let mut idx = call.arg(0);
        while let Some(dev) = next_dev(rtnl, net, &mut idx) {
            if let Some(idev) = Inet6Dev::of(dev) {
                let (ty, fl) = (uapi::RTM_NEWLINK as u16, uapi::NLM_F_MULTI as u16);
                if fill_ifinfo(&mut call.out, dev, idev, portid, seq, ty, fl).is_err() {
                    call.set_arg(0, idx);
                    return Ok(());
                }
            }
            idx += 1;
        }
        call.set_arg(0, idx);
        Ok(())
    }
}

/// Strict checking of a link dump request (`inet6_valid_dump_ifinfo()`).
fn valid_dump_ifinfo(req: &Request<'_>) -> Result<(), (Error, &'static core::ffi::CStr)> {
    let ifm: uapi::ifinfomsg = req
        .header()
        .ok_or((EINVAL, c"ipv6: Invalid header for link dump request"))?;
    if req
        .attrs(core::mem::size_of::<uapi::ifinfomsg>())
        .next()
        .is_some()
    {
        return Err((EINVAL, c"ipv6: Invalid data after header"));
    }
    if ifm.__ifi_pad != 0
        || ifm.ifi_type != 0
        || ifm.ifi_flags != 0
        || ifm.ifi_change != 0
        || ifm.ifi_index != 0
    {
        return Err((EINVAL, c"ipv6: Invalid values in header for dump request"));
    }
    Ok(())
}

/// An address request: `RTM_NEWADDR` ([`NewAddr`]) or `RTM_DELADDR` ([`DelAddr`]).
trait AddrOp {
    /// Carries out a parsed request in `net`; `nlflags` are its `NLM_F_*` flags.
    fn run(net: &Net, req: &Request<'_>, attrs: &Attrs<'_>, nlflags: u16) -> Result<(), AddrError>;
}

/// `RTM_NEWADDR` (mainline `inet6_rtm_newaddr()`): `ip -6 addr add/change/replace`.
struct NewAddr;
/// `RTM_DELADDR` (mainline `inet6_rtm_deladdr()`): `ip -6 addr del`.
struct DelAddr;

impl AddrOp for NewAddr {
    fn run(n: &Net, r: &Request<'_>, a: &Attrs<'_>, f: u16) -> Result<(), AddrError> {
        newaddr(n, r, a, f)
    }
}

impl AddrOp for DelAddr {
    fn run(n: &Net, r: &Request<'_>, a: &Attrs<'_>, f: u16) -> Result<(), AddrError> {
        deladdr(n, r, a, f)
    }
}

/// The rtnetlink doit handler of address request `O`: parses the request with
/// mainline's policy, runs it, and turns its error into errno and extack.
struct AddrDoit<O>(core::marker::PhantomData<O>);

impl<O: AddrOp> RtnlDoit for AddrDoit<O> {
    fn doit(call: &DoitCall<'_>) -> Result<(), NlError> {
        let table = call.parse_ifaddr()?;
        let (net, flags) = (call.net, call.type_flags().1);
        O::run(net, &call.req, &table.attrs(), flags).map_err(|e| NlError {
            errno: e.errno,
            msg: e.msg,
        })
    }
}

/// `IFA_LOCAL` is the address, `IFA_ADDRESS` the peer when both are given and differ;
/// either alone is the address (mainline `extract_addr()`).
fn extract_addr(attrs: &Attrs<'_>) -> Result<(Ipv6Addr, Option<Ipv6Addr>), AddrError> {
    let addr = attrs.in6(uapi::IFA_ADDRESS);
    match (attrs.in6(uapi::IFA_LOCAL), addr) {
        (Some(local), Some(a)) if a != local => Ok((local, Some(a))),
        (Some(local), _) => Ok((local, None)),
        (None, Some(a)) => Ok((a, None)),
        (None, None) => Err(AddrError::NO_ADDRESS),
    }
}

fn newaddr(net: &Net, req: &Request<'_>, attrs: &Attrs<'_>, nlflags: u16) -> Result<(), AddrError> {
    let ifm: uapi::ifaddrmsg = req.header().ok_or(AddrError::NO_ADDRESS)?;
    let (addr, peer) = extract_addr(attrs)?;
    let rt_priority = attrs.u32(uapi::IFA_RT_PRIORITY).unwrap_or(0);
    let proto = attrs.u8(uapi::IFA_PROTO).unwrap_or(0);
    // struct ifa_cacheinfo: ifa_prefered, ifa_valid, cstamp, tstamp.
    let (preferred, valid) = attrs
        .get(uapi::IFA_CACHEINFO)
        .and_then(|c| Some((u32_at(c, 0)?, u32_at(c, 4)?)))
        .unwrap_or((INFINITY_LIFE_TIME, INFINITY_LIFE_TIME));
    let dev = dev_by_index(net, ifm.ifa_index).ok_or(AddrError::NO_DEVICE)?;
    let flags = attrs.u32(uapi::IFA_FLAGS).unwrap_or(ifm.ifa_flags.into()) & REQUEST_FLAGS;
    // ipv6_find_idev(): a device without IPv6 state gets it now (not below 1280).
    if !dev.has_idev() {
        if dev.mtu() < IPV6_MIN_MTU {
            return Err(AddrError {
                errno: EINVAL.to_errno().unsigned_abs() as i32,
                msg: None,
            });
        }
        attach_dev(dev).map_err(|e| AddrError {
            errno: -e.to_errno(),
            msg: None,
        })?;
    }
    // ipv6_find_idev() on an up device also reports its groups again (`ipv6_mc_up()`),
    // for every address request, as mainline's does.
    if dev.flags() & uapi::IFF_UP != 0 {
        mcast::up(dev);
    }
    // `ipv6_allow_optimistic_dad()`: the flag only where optimistic DAD is on.
    let flags = if optimistic_dad(dev) {
        flags
    } else {
        flags & !ifa_flags::OPTIMISTIC
    };
    if flags & ifa_flags::NODAD != 0 && flags & ifa_flags::OPTIMISTIC != 0 {
        return Err(AddrError::NODAD_OPTIMISTIC);
    }

    if let Some(ifa) = ifaddr::addrs(dev).find(|a| a.addr() == addr) {
        let (excl, replace) = (
            u32::from(nlflags) & uapi::NLM_F_EXCL != 0,
            u32::from(nlflags) & uapi::NLM_F_REPLACE != 0,
        );
        if excl || !replace {
            return Err(AddrError::EXISTS);
        }
        let change = AddrChange {
            flags,
            valid,
            preferred,
            proto,
            rt_priority,
            peer,
        };
        return modify_addr(dev, ifa, &change);
    }
    add_addr(
        dev,
        addr,
        peer,
        ifm.ifa_prefixlen,
        flags,
        valid,
        preferred,
        proto,
        rt_priority,
    )
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(off..off + 4)?.try_into().ok()?))
}

/// `inet6_addr_add()`: checks, adds, announces, and starts DAD.
#[allow(clippy::too_many_arguments)]
fn add_addr(
    dev: &NetDevice,
    addr: Ipv6Addr,
    peer: Option<Ipv6Addr>,
    prefix_len: u8,
    flags: u32,
    valid: u32,
    preferred: u32,
    proto: u8,
    rt_priority: u32,
) -> Result<(), AddrError> {
    let disabled = Inet6Dev::of(dev).is_some_and(|i| i.disabled());
    check_new_addr(
        &addr,
        prefix_len,
        flags,
        valid,
        preferred,
        dev.is_loopback(),
        disabled,
    )?;
    // IFA_F_MCAUTOJOIN: the namespace's autojoin memberships join the group first (the
    // address type is checked after the join, as mainline's ipv6_add_addr() does), and
    // let go of it again if the address cannot be added.
    let autojoin = flags & ifa_flags::MCAUTOJOIN != 0;
    let (net, rtnl) = (dev.net(), dev.rtnl());
    if autojoin {
        mcast::autojoin(net, rtnl, dev.ifindex(), &addr).map_err(AddrError::autojoin)?;
    }
    let typed = if autojoin {
        check_addr_type(&addr, flags, dev.is_loopback())
    } else {
        Ok(())
    };
    let r = typed.and_then(|()| {
        add_listed(
            dev,
            addr,
            peer,
            prefix_len,
            flags,
            valid,
            preferred,
            proto,
            rt_priority,
        )
    });
    if r.is_err() && autojoin {
        let _ = mcast::autoleave(net, rtnl, dev.ifindex(), &addr);
    }
    r
}

/// The part of `inet6_addr_add()` from `ipv6_add_addr()` on: lists, announces, starts
/// DAD.
#[allow(clippy::too_many_arguments)]
fn add_listed(
    dev: &NetDevice,
    addr: Ipv6Addr,
    peer: Option<Ipv6Addr>,
    prefix_len: u8,
    flags: u32,
    valid: u32,
    preferred: u32,
    proto: u8,
    rt_priority: u32,
) -> Result<(), AddrError> {
    let mut flags = lifetime_flags(flags, valid, preferred);
    if flags & ifa_flags::NODAD == 0 {
        flags |= ifa_flags::TENTATIVE;
    }
    let new = NewIfAddr {
        addr,
        peer,
        prefix_len,
        flags,
        valid_lft: valid,
        prefered_lft: preferred,
        proto,
        rt_priority,
        scope: None,
    };
    let ifa = list_addr(dev, &new).map_err(|e| AddrError {
        errno: -e.to_errno(),
        msg: None,
    })?;
    if flags & ifa_flags::NOPREFIXROUTE == 0 {
        route::add_prefix_route(dev, &addr, prefix_len, rt_priority, valid);
    }
    // Announced now unless DAD is skipped (it is announced when DAD completes).
    if flags & (ifa_flags::OPTIMISTIC | ifa_flags::NODAD) == 0 {
        notify(uapi::RTM_NEWADDR as u16, dev, ifa);
    }
    dad_start(dev, ifa);
    if flags & ifa_flags::MANAGETEMPADDR != 0 {
        manage_tempaddrs(dev, ifa, valid, preferred, true, time::jiffies());
    }
    verify(dev.rtnl(), dev.net());
    Ok(())
}

/// What `ip -6 addr replace/change` asks of an existing address.
#[derive(Clone, Copy)]
struct AddrChange {
    flags: u32,
    valid: u32,
    preferred: u32,
    proto: u8,
    rt_priority: u32,
    peer: Option<Ipv6Addr>,
}

/// `inet6_addr_modify()`: `ip -6 addr replace/change` of an existing address.
fn modify_addr(dev: &NetDevice, ifa: &IfAddr, c: &AddrChange) -> Result<(), AddrError> {
    let AddrChange {
        flags,
        valid,
        preferred,
        proto,
        rt_priority,
        peer,
    } = *c;
    if valid == 0 || preferred > valid {
        return Err(AddrError::LIFETIME_MODIFY);
    }
    if flags & ifa_flags::MANAGETEMPADDR != 0
        && (ifa.flags() & ifa_flags::TEMPORARY != 0 || ifa.prefix_len() != 64)
    {
        return Err(AddrError::MNGTMPADDR_MODIFY);
    }
    // Only a tentative address that did not fail DAD can become optimistic.
    let f = ifa.flags();
    let flags = if f & ifa_flags::TENTATIVE == 0 || f & ifa_flags::DADFAILED != 0 {
        flags & !ifa_flags::OPTIMISTIC
    } else {
        flags
    };
    let set = lifetime_flags(flags, valid, preferred) & (MODIFY_CLEARS | flags);
    let was_managetempaddr = ifa.flags() & ifa_flags::MANAGETEMPADDR != 0;
    let had_prefixroute =
        ifa.flags() & (ifa_flags::PERMANENT | ifa_flags::NOPREFIXROUTE) == ifa_flags::PERMANENT;
    // A new peer: the old one's route goes.
    let new_peer = peer.filter(|p| *p != ifa.peer());
    if new_peer.is_some() && !ifa.peer().is_unspecified() {
        route::del_peer_route(dev, ifa);
    }
    ifa.modify(MODIFY_CLEARS, set, valid, preferred, proto, rt_priority);
    if let Some(p) = new_peer {
        ifa.set_peer(&p);
    }
    if ifa.flags() & ifa_flags::TENTATIVE == 0 {
        notify(uapi::RTM_NEWADDR as u16, dev, ifa);
    }
    route::address_modified(dev, ifa, had_prefixroute);
    let managetempaddr = ifa.flags() & ifa_flags::MANAGETEMPADDR != 0;
    if was_managetempaddr && !managetempaddr {
        delete_tempaddrs(dev, ifa);
    } else if was_managetempaddr || managetempaddr {
        let now = time::jiffies();
        manage_tempaddrs(dev, ifa, valid, preferred, !was_managetempaddr, now);
    }
    verify(dev.rtnl(), dev.net());
    Ok(())
}

fn deladdr(
    net: &Net,
    req: &Request<'_>,
    attrs: &Attrs<'_>,
    _nlflags: u16,
) -> Result<(), AddrError> {
    let ifm: uapi::ifaddrmsg = req.header().ok_or(AddrError::NO_ADDRESS)?;
    let (addr, _peer) = extract_addr(attrs)?;
    if ifm.ifa_prefixlen > 128 {
        return Err(AddrError::PREFIX_LEN);
    }
    let dev = dev_by_index(net, ifm.ifa_index).ok_or(AddrError::NO_DEVICE)?;
    if !dev.has_idev() {
        return Err(AddrError::NO_IPV6);
    }
    let plen = ifm.ifa_prefixlen;
    let matches = |a: &IfAddr| a.addr() == addr && a.prefix_len() == plen;
    // An address is on a device at most once, so this removes one address.
    let Some(ifa) = ifaddr::addrs(dev).find(|a| matches(a)) else {
        return Err(AddrError::NOT_FOUND);
    };
    if ifa.flags() & (ifa_flags::TEMPORARY | ifa_flags::MANAGETEMPADDR) == ifa_flags::MANAGETEMPADDR
    {
        delete_tempaddrs(dev, ifa);
    }
    remove_addrs(dev, matches, |a| notify(uapi::RTM_DELADDR as u16, dev, a));
    verify(dev.rtnl(), dev.net());
    // inet6_addr_del(): a multicast address leaves its group (if it was auto-joined).
    if addr.is_multicast() {
        let _ = mcast::autoleave(net, dev.rtnl(), dev.ifindex(), &addr);
    }
    Ok(())
}

/// Registers the address and link handlers with rtnetlink.
pub(crate) fn register_rtnl(h: &mut netlink::RtnlHandlers, module: &'static ThisModule) -> Result {
    crate::net::inet6_dev::check_stats_sizes()?;
    h.add(
        module,
        uapi::RTM_NEWADDR,
        netlink::doit::<AddrDoit<NewAddr>>(),
        None,
    )?;
    h.add(
        module,
        uapi::RTM_DELADDR,
        netlink::doit::<AddrDoit<DelAddr>>(),
        None,
    )?;
    h.add(
        module,
        uapi::RTM_GETADDR,
        None,
        netlink::dumpit::<DumpIfaddr>(),
    )?;
    h.add(
        module,
        uapi::RTM_GETLINK,
        None,
        netlink::dumpit::<DumpIfinfo>(),
    )
}

/// `/proc/net/if_inet6`: one line per address, `%pi6 ifindex plen scope flags name` as
/// mainline's `if6_seq_show()` prints it. Mainline walks its address hash (an order that
/// depends on a per-namespace random seed); we walk devices in index order.
pub(crate) struct IfInet6Show;

impl SeqShow for IfInet6Show {
    fn show(seq: &mut Seq<'_>) {
        let net = seq.net();
        let rtnl = RtnlGuard::lock();
        for_each_dev(rtnl.held(), net, |dev| if_inet6_lines(seq, dev));
    }
}

fn if_inet6_lines(seq: &mut Seq<'_>, dev: &NetDevice) {
    {
        for ifa in ifaddr::addrs(dev) {
            seq.line(format_args!(
                "{} {:02x} {:02x} {:02x} {:02x} {:>8}\n",
                Hex32(ifa.addr().octets()),
                dev.ifindex(),
                ifa.prefix_len(),
                ifa.scope(),
                ifa.flags() as u8,
                dev.name()
            ));
        }
    }
}

/// 16 octets as 32 lower-case hex digits (`%pi6`).
struct Hex32([u8; 16]);

impl core::fmt::Display for Hex32 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{:02x}", b))
    }
}

/// Applies address lifetimes in `net` (mainline `addrconf_verify_rtnl()`): addresses
/// whose valid lifetime ran out are deleted, those whose preferred lifetime ran out
/// become `deprecated`; then the check is re-armed for the next deadline (at most
/// `ADDR_CHECK_FREQUENCY`, 120 s, away). Under RTNL.
pub(crate) fn verify(rtnl: netlink::RtnlHeld<'_>, net: &Net) {
    let now = time::jiffies();
    let hz = hz().get() as u64;
    let mut next = 120 * hz;
    {
        for_each_dev(rtnl, net, |dev| {
            regen_temps(dev, now, hz, &mut next);
            let fate = |a: &IfAddr| {
                let (pref, valid) = a.lifetimes();
                let elapsed = now.wrapping_sub(a.stamps().1 as u64);
                address_expiry(a.flags(), pref, valid, elapsed, hz)
            };
            remove_addrs(
                dev,
                |a| fate(a) == Expiry::Delete,
                |a| notify(uapi::RTM_DELADDR as u16, dev, a),
            );
            for a in ifaddr::addrs(dev) {
                match fate(a) {
                    Expiry::Deprecate(n) => {
                        a.update_flags(ifa_flags::DEPRECATED, 0);
                        notify(uapi::RTM_NEWADDR as u16, dev, a);
                        next = next.min(n.unwrap_or(u64::MAX));
                    }
                    Expiry::Keep(n) => next = next.min(n.unwrap_or(u64::MAX)),
                    Expiry::Delete => {}
                }
            }
        })
    };
    // Routes with lifetimes (prefix routes of addresses that expire, `expires` routes)
    // end here too (mainline's fib6 garbage collector).
    if let Some(n) = route::expire(net) {
        next = next.min(n.max(1));
    }
    netns::schedule_addr_check(net, next);
}

/// The temporary-address part of `addrconf_verify_rtnl()`: a temporary address within
/// `regen_advance` of the end of its preferred lifetime gets its successor from its
/// public address (once); `next` (jiffies from now) comes no later than the next such
/// moment.
fn regen_temps(dev: &NetDevice, now: u64, hz: u64, next: &mut u64) {
    let Some(idev) = Inet6Dev::of(dev) else {
        return;
    };
    let fuzz = if hz > 50 { hz / 50 } else { 1 };
    loop {
        let adv = temp_conf(dev, idev).regen_advance;
        let mut due = None;
        for a in ifaddr::addrs(dev) {
            let (pref, _) = a.lifetimes();
            let elapsed = now.wrapping_sub(a.stamps().1 as u64);
            let age = (elapsed + fuzz) / hz;
            match temp_regen(a.flags(), pref, a.regen_count(), a.has_public(), age, adv) {
                Regen::Now => {
                    let at = (u64::from(pref) * hz).saturating_sub(elapsed).max(1);
                    *next = (*next).min(at);
                    due = Some(a);
                    break;
                }
                Regen::At(secs) => {
                    let at = (secs * hz).saturating_sub(elapsed).max(1);
                    *next = (*next).min(at);
                }
                Regen::NotApplicable => {}
            }
        }
        let Some(t) = due else {
            return;
        };
        t.set_regen_count(t.regen_count().saturating_add(1));
        if let Some(p) = t.public(dev) {
            p.set_regen_count(0);
            let _ = create_tempaddr(dev, p);
        }
    }
}

/// The delayed work of each namespace's address check.
pub(crate) struct AddrCheck;

impl netns::NetWorkFn for AddrCheck {
    fn run(net: &Net) {
        let rtnl = RtnlGuard::lock();
        verify(rtnl.held(), net);
    }
}

/// `addrconf_prefix_rcv()`: a prefix information option of an RA on `dev` (`sllao`:
/// the RA had a source link-layer address option). Under RTNL.
///
/// An on-link prefix gets (or refreshes, or loses) its prefix route; an autonomous /64
/// gets an address from the device's token or EUI-64 identifier, whose lifetimes later
/// RAs refresh (RFC 4862 §5.5.3). Listeners of `RTNLGRP_IPV6_PREFIX` hear of it.
pub(crate) fn prefix_rcv(dev: &NetDevice, opt: &[u8], sllao: bool) {
    let Some(pi) = PrefixInfo::parse(opt) else {
        return;
    };
    let Some(idev) = Inet6Dev::of(dev) else {
        return;
    };
    let cnf = idev.ra_conf();
    if !prefix_acceptable(&pi, cnf.accept_ra_min_lft) {
        return;
    }
    if pi.onlink() {
        route::prefix_route_rcv(dev, &pi.prefix, pi.prefix_len, pi.valid);
    }
    let ignore_autoconf = cnf.ra_honor_pio_pflag && pi.preferpd();
    if pi.autoconf() && cnf.autoconf && !ignore_autoconf {
        // Token first, then RFC 7217 (stable_privacy or random mode, with a secret),
        // then EUI-64.
        let mode = idev.cnf().addr_gen_mode as i32;
        let stable = (pi.prefix_len == 64
            && idev.token() == [0; 16]
            && matches!(mode, addr_gen_mode::STABLE_PRIVACY | addr_gen_mode::RANDOM))
        .then(|| stable_address(dev, &pi.prefix, 0))
        .flatten();
        let (addr, flags, tokenized) = match stable {
            Some(a) => (a, ifa_flags::STABLE_PRIVACY, false),
            None => {
                let Some((addr, tokenized)) =
                    slaac_address(&pi.prefix, pi.prefix_len, &idev.token(), interface_id(dev))
                else {
                    return;
                };
                (addr, 0, tokenized)
            }
        };
        let had = ifaddr::addrs(dev).any(|a| a.addr() == addr);
        if slaac_add(dev, &cnf, &pi, addr, flags, sllao).is_err() {
            return;
        }
        // A new address made from the token expires with it (`ifp->tokenized`).
        if tokenized && !had {
            if let Some(a) = ifaddr::addrs(dev).find(|a| a.addr() == addr) {
                a.set_tokenized(true);
            }
        }
    }
    // `PrefixInfo::parse` checked that `opt` holds a whole option.
    if let Some(opt) = opt.first_chunk::<PREFIX_INFO_LEN>() {
        dev.prefix_notify(opt);
    }
}

/// A prefix information option's length (RFC 4861 §4.6.2).
const PREFIX_INFO_LEN: usize = 32;

/// The interface identifier SLAAC uses without a token (`ipv6_generate_eui64()`, else
/// `ipv6_inherit_eui64()`): EUI-64 from an Ethernet address, else that of a usable
/// link-local address.
fn interface_id(dev: &NetDevice) -> Option<[u8; 8]> {
    if dev.dev_type() == uapi::ARPHRD_ETHER {
        if let Ok(mac) = <[u8; 6]>::try_from(dev.hw_addr()) {
            return Some(eui64_from_mac(mac));
        }
    }
    ifaddr::addrs(dev)
        .find(|a| a.scope() == ifa_scope::LINK && a.flags() & ifa_flags::TENTATIVE == 0)
        .and_then(|a| a.addr().octets()[8..].try_into().ok())
}

/// `addrconf_prefix_rcv_add_addr()`: makes the address (tentative, then DAD) or
/// refreshes its lifetimes. `Err` where mainline gives up on the option (no address
/// made: too many addresses, or no memory).
fn slaac_add(
    dev: &NetDevice,
    cnf: &inet6_dev::RaConf,
    pi: &PrefixInfo,
    addr: Ipv6Addr,
    addr_flags: u32,
    sllao: bool,
) -> Result<(), ()> {
    let (valid, preferred) = (pi.valid, pi.preferred);
    let existing = ifaddr::addrs(dev).find(|a| a.addr() == addr);
    let (ifa, created) = match existing {
        Some(a) => (a, false),
        None if valid == 0 => return Ok(()),
        None => {
            // Not too many autoconfigured addresses: an easy way to exhaust memory.
            let max = cnf.max_addresses;
            if max > 0 && ifaddr::addrs(dev).count() >= max as usize {
                return Err(());
            }
            // Optimistic (RFC 4429) only where the RA carried the router's link-layer
            // address: the first packets need it.
            let optimistic = if sllao { autoconf_optimistic(dev) } else { 0 };
            let new = NewIfAddr {
                addr,
                peer: None,
                prefix_len: pi.prefix_len,
                flags: ifa_flags::TENTATIVE | ifa_flags::MANAGETEMPADDR | addr_flags | optimistic,
                valid_lft: valid,
                prefered_lft: preferred,
                proto: ifa_proto::KERNEL_RA,
                rt_priority: 0,
                scope: None,
            };
            let ifa = list_addr(dev, &new).map_err(|_| ())?;
            dad_start(dev, ifa);
            (ifa, true)
        }
    };
    // RFC 4862 §5.5.3 e: the preferred lifetime is always the advertised one; the valid
    // one never drops below two hours (or what is left) unless `ra_honor_pio_life`.
    let hz = hz().get() as u64;
    let now = time::jiffies();
    let age = now.wrapping_sub(ifa.stamps().1 as u64) / hz;
    let stored = u64::from(ifa.lifetimes().1).saturating_sub(age) as u32;
    let mut valid = valid;
    if !created && stored != 0 {
        valid = slaac_valid_lifetime(stored, valid, cnf.ra_honor_pio_life);
        let tentative = ifa.flags() & ifa_flags::TENTATIVE != 0;
        ifa.modify(
            ifa_flags::DEPRECATED,
            0,
            valid,
            preferred,
            ifa.proto(),
            ifa.rt_priority(),
        );
        if !tentative {
            notify(uapi::RTM_NEWADDR as u16, dev, ifa);
        }
    }
    manage_tempaddrs(dev, ifa, valid, preferred, created, now);
    verify(dev.rtnl(), dev.net());
    Ok(())
}

/// The device's temporary-address settings for the core.
fn temp_conf(dev: &NetDevice, idev: &Inet6Dev) -> TempConf {
    let c = idev.cnf();
    let _ = dev;
    // `nd_times()` answers milliseconds; regen_advance wants jiffies.
    let retrans = u64::from(idev.nd_times().1);
    let hz = hz().get() as u64;
    TempConf {
        valid_lft: c.temp_valid_lft,
        prefered_lft: c.temp_prefered_lft,
        max_desync_factor: c.max_desync_factor,
        regen_advance: regen_advance(
            c.regen_min_advance,
            c.regen_max_retry,
            c.dad_transmits,
            retrans * hz / 1000,
            hz,
        ),
    }
}

/// `manage_tempaddrs()`: a public address `ifp` with `mngtmpaddr` got new lifetimes
/// (`valid`, `preferred`): its temporary addresses follow, within `temp_valid_lft` and
/// `temp_prefered_lft`; with `create` (a new public address), or when the device has
/// no temporary address yet, a new one is made if `use_tempaddr` is on.
fn manage_tempaddrs(
    dev: &NetDevice,
    ifp: &IfAddr,
    valid: u32,
    preferred: u32,
    create: bool,
    now: u64,
) {
    let Some(idev) = Inet6Dev::of(dev) else {
        return;
    };
    let tc = temp_conf(dev, idev);
    let hz = hz().get() as u64;
    let (mut valid, mut preferred) = (valid, preferred);
    let orig_preferred = preferred;
    let mut reset_done = false;
    for ift in ifaddr::temp_addrs(dev) {
        if !ift.is_temporary_of(ifp) {
            continue;
        }
        let age = (now.wrapping_sub(ift.stamps().0 as u64) / hz) as i64;
        (valid, preferred) = temp_refresh(valid, preferred, age, idev.desync_factor(), &tc);
        // The first match is the newest temporary address.
        if !reset_done && orig_preferred > 0 {
            ift.set_regen_count(0);
            reset_done = true;
        }
        let flags = ift.flags();
        ift.set_lifetimes(valid, preferred);
        if preferred > 0 {
            ift.update_flags(0, ifa_flags::DEPRECATED);
        }
        if flags & ifa_flags::TENTATIVE == 0 {
            notify(uapi::RTM_NEWADDR as u16, dev, ift);
        }
    }
    // Also when the device has none (but not for the zero lifetimes of a cleanup).
    let none = ifaddr::temp_addrs(dev).next().is_none();
    let create = create || (none && (valid != 0 || preferred != 0));
    if create && idev.cnf().use_tempaddr > 0 {
        let _ = create_tempaddr(dev, ifp);
    }
}

/// `ipv6_create_tempaddr()`: a temporary address (RFC 8981) for public address `ifp`:
/// its prefix with a random interface identifier, lifetimes within the public
/// address's and `temp_*_lft` (less the device's desync factor), DAD started.
/// Gives up (turning `use_tempaddr` to -1, as mainline does) after
/// `regen_max_retry` attempts without a successful refresh.
fn create_tempaddr(dev: &NetDevice, ifp: &IfAddr) -> Result<(), ()> {
    let idev = Inet6Dev::of(dev).ok_or(())?;
    loop {
        let cnf = idev.cnf();
        if cnf.use_tempaddr <= 0 {
            pr_info!("ipv6_create_tempaddr: use_tempaddr is disabled\n");
            return Err(());
        }
        let rc = ifp.regen_count();
        ifp.set_regen_count(rc.saturating_add(1));
        if i32::from(rc) >= cnf.regen_max_retry {
            idev.set_use_tempaddr(-1);
            pr_warn!(
                "ipv6_create_tempaddr: regeneration time exceeded - disabled temporary address support\n"
            );
            return Err(());
        }
        let mut a = ifp.addr().octets();
        a[8..].copy_from_slice(&random_interface_id(&mut KernelRandom));
        let addr = Ipv6Addr::from(a);
        let hz = hz().get() as u64;
        let now = time::jiffies();
        let tstamp = ifp.stamps().1;
        let since = now.wrapping_sub(tstamp as u64);
        let tc = temp_conf(dev, idev);
        let desync = desync_factor(idev.desync_factor(), &tc, &mut KernelRandom);
        idev.set_desync_factor(desync);
        let (pub_preferred, pub_valid) = ifp.lifetimes();
        let fuzz = if hz > 50 { hz / 50 } else { 1 };
        let (valid, preferred) = temp_lifetimes(
            pub_valid,
            pub_preferred,
            since / hz,
            (since + fuzz) / hz,
            desync,
            &tc,
        )
        .ok_or(())?;
        if ifaddr::addrs(dev).any(|x| x.addr() == addr) {
            pr_info!("ipv6_create_tempaddr: retry temporary address regeneration\n");
            continue;
        }
        let new = NewIfAddr {
            addr,
            peer: None,
            prefix_len: ifp.prefix_len(),
            // Optimistic as its public address was made (`addrconf_prefix_rcv()`).
            flags: ifa_flags::TEMPORARY
                | ifa_flags::TENTATIVE
                | (ifp.flags() & ifa_flags::OPTIMISTIC),
            valid_lft: valid,
            prefered_lft: preferred,
            proto: 0,
            rt_priority: 0,
            scope: None,
        };
        let Ok(ift) = list_addr(dev, &new) else {
            pr_info!("ipv6_create_tempaddr: retry temporary address regeneration\n");
            continue;
        };
        ift.make_temporary(ifp, tstamp);
        dad_start(dev, ift);
        return Ok(());
    }
}

/// `delete_tempaddrs()`: the temporary addresses of public address `ifp` go.
fn delete_tempaddrs(dev: &NetDevice, ifp: &IfAddr) {
    remove_addrs(
        dev,
        |x| x.flags() & ifa_flags::TEMPORARY != 0 && x.is_temporary_of(ifp),
        |x| notify(uapi::RTM_DELADDR as u16, dev, x),
    );
}

/// Size of a link message with IPv6 details (`inet6_if_nlmsg_size()`), rounded up.
const IFINFO_MSGSIZE: usize =
    512 + uapi::DEVCONF_MAX as usize * 4 + IPSTATS_ITEMS * 8 + ICMP6STATS_ITEMS * 8;

/// Announces the device's IPv6 details to `RTNLGRP_IPV6_IFINFO`
/// (`inet6_ifinfo_notify()`), as an RA that changed them does.
pub(crate) fn ifinfo_notify(dev: &NetDevice) {
    let Some(idev) = Inet6Dev::of(dev) else {
        return;
    };
    let group = uapi::RTNLGRP_IPV6_IFINFO;
    let net = dev.net();
    let mut skb = match NotifySkb::new(IFINFO_MSGSIZE) {
        Ok(skb) => skb,
        Err(e) => return netlink::notify_error(net, group, e),
    };
    let event = uapi::RTM_NEWLINK as u16;
    match fill_ifinfo(&mut skb.nl(), dev, idev, 0, 0, event, 0) {
        Ok(()) => skb.send(net, group),
        Err(MsgSize) => pr_warn!("link notification larger than computed\n"),
    }
}
