// SPDX-License-Identifier: GPL-2.0

//! ipv6_rs: the Linux IPv6 stack in Rust, a drop-in for `ipv6.ko`.
//!
//! This file is the module's crate root and its init/exit, as `net/ipv6/af_inet6.c` is
//! for mainline. It mounts two layers:
//!
//! - the protocol core (`rust/core/src`, crate `ipv6_core` on the host): plain `no_std`
//!   Rust with no kernel types, mounted module by module at this crate's root so that its
//!   `crate::...` paths resolve here exactly as they do on the host;
//! - the kernel layer (`net/`): the only code that names the bindings, safe types over
//!   the kernel's objects, one file per concept;
//! - the protocol handlers (`ipv6/`), named after mainline's `net/ipv6` files, which
//!   carry out the core's decisions with the kernel layer.

use kernel::prelude::*;

// --- protocol core (keep in step with rust/core/src/lib.rs; scripts/check-core-mounts)
#[path = "core/src/addrconf.rs"]
pub mod addrconf;
#[path = "core/src/addrlabel.rs"]
pub mod addrlabel;
#[path = "core/src/anycast.rs"]
pub mod anycast;
#[path = "core/src/conf.rs"]
pub mod conf;
#[path = "core/src/ctx.rs"]
pub mod ctx;
#[path = "core/src/dad.rs"]
pub mod dad;
#[path = "core/src/errno.rs"]
pub mod errno;
#[path = "core/src/exthdrs.rs"]
pub mod exthdrs;
#[path = "core/src/fib.rs"]
pub mod fib;
#[path = "core/src/flow.rs"]
pub mod flow;
#[path = "core/src/forward.rs"]
pub mod forward;
#[path = "core/src/frag.rs"]
pub mod frag;
#[path = "core/src/icmp.rs"]
pub mod icmp;
#[path = "core/src/mld.rs"]
pub mod mld;
#[path = "core/src/mld_src.rs"]
pub mod mld_src;
#[path = "core/src/mphash.rs"]
pub mod mphash;
#[path = "core/src/ndisc.rs"]
pub mod ndisc;
#[path = "core/src/pmtu.rs"]
pub mod pmtu;
#[path = "core/src/privacy.rs"]
pub mod privacy;
#[path = "core/src/route.rs"]
pub mod route;
#[path = "core/src/rules.rs"]
pub mod rules;
#[path = "core/src/sit.rs"]
pub mod sit;
#[path = "core/src/sock.rs"]
pub mod sock;
#[path = "core/src/tunnel.rs"]
pub mod tunnel;
#[path = "core/src/wire/mod.rs"]
pub mod wire;

// --- kernel layer and protocol handlers
mod bindings;
mod ipv6;
mod net;

use ipv6::{
    addrconf::{Addrconf, DadWork},
    ndisc::{NdTable, RaWork},
};
use net::{
    device::NotifierRegistration, netlink::RtnlHandlers, netns::PernetRegistration, sock::Family,
};

module! {
    type: Ipv6Rs,
    name: "ipv6_rs",
    author: "ipv6_rs developers",
    description: "IPv6 protocol stack in Rust",
    license: "GPL",
    // Loaded on demand for AF_INET6 (PF_INET6 = 10), as mainline's ipv6.ko is.
    alias: ["net-pf-10"],
}

/// The loaded module: everything it registered. Fields drop in declaration order, which
/// is the reverse of registration order: keep it so.
struct Ipv6Rs {
    /// The AF_INET6 socket family; unregistered first (no socket can be open: each
    /// holds a module reference), so no new socket reaches the stack.
    _family: Family<ipv6::raw::Raw, ipv6::udp::Udp, ipv6::ping::Ping>,
    /// The ETH_P_IPV6 packet type; removed first (waiting for receivers in flight), so
    /// no packet reaches the stack while it comes apart.
    _ptype: net::packet::PacketType<ipv6::ip6_input::Ip6Rcv>,
    /// Our upper-layer protocols in the kernel's `inet6_protos[]`; removed once no
    /// packet comes (each removal waits for the callers in flight).
    _udp: net::protocol::Registration<ipv6::udp::Udp6Protocol>,
    _icmpv6: net::protocol::Registration<ipv6::icmp::Icmp6Protocol>,
    /// The ICMPv6 error sender of built-in code (`icmpv6_send()`).
    _icmp: net::icmp::IcmpSender<ipv6::icmp::Icmp6Send>,
    /// The ip6tnl devices' operations; `ip6_tunnel.ko`, their only caller, depends on
    /// this module, so it is gone with every ip6tnl device before this goes.
    _ip6tnl: net::tunnel::Registration<ipv6::ip6_tunnel::Ip6Tnl>,
    /// The sit devices' operations, likewise for `sit.ko`.
    _sit: net::sit::Registration<ipv6::sit::Sit>,
    /// The symbols exported under mainline's names; their importers hold the module,
    /// so none is loaded when this goes.
    _exports: net::exports::Exports<ipv6::exports::Ipv6Exports>,
    /// Our `ipv6_stub`: IPv6 nexthop objects. Each object holds the module, so none is
    /// left when this goes.
    _nexthops: net::nexthop::Stub<ipv6::nexthop::Ipv6Nexthops>,
    /// rtnetlink handlers of PF_INET6; unregistered next, so no request finds us half gone.
    _rtnl: RtnlHandlers,
    /// The AF_INET6 part of every link message (`IFLA_AF_SPEC`).
    _link_af: net::netlink::LinkAfRegistration<ipv6::addrconf::Inet6LinkAf>,
    /// Device events; unregistering takes IPv6 off every device in every namespace.
    _addrconf: NotifierRegistration<Addrconf>,
    /// Router advertisements waiting for RTNL, and the router solicitation timers (of
    /// devices, so stopped by now); drops what still waits.
    _ra: RaWork,
    /// MLD's works; drained after every device lost IPv6.
    _mld: ipv6::mcast::Work,
    /// Duplicate address detection probes; waits for the last one.
    _dad: DadWork,
    /// The AF_INET6 neighbour table; cleared once no device uses it.
    _nd: NdTable,
    /// Per-namespace state; outlives everything that reads it.
    _pernet: PernetRegistration<ipv6::af_inet6::Inet6Net>,
    /// Fragment reassembly; the namespaces' queues are gone before it is.
    _frags: net::packet::Frags,
}

impl kernel::Module for Ipv6Rs {
    fn init(module: &'static ThisModule) -> Result<Self> {
        // Rule callbacks first: every namespace registers its rules in the pernet init.
        ipv6::fib6_rules::init();
        let frags = net::packet::Frags::new()?;
        let pernet = PernetRegistration::new()?;
        let nd = NdTable::register()?;
        let dad = DadWork::new()?;
        let ra = RaWork::new();
        let mld = ipv6::mcast::Work::new()?;
        // Replays NETDEV_REGISTER/UP for existing devices, which need per-netns state,
        // the neighbour table and the DAD workqueue.
        let addrconf = NotifierRegistration::new()?;
        let mut rtnl = RtnlHandlers::new(net::uapi::PF_INET6);
        ipv6::addrconf::register_rtnl(&mut rtnl, module)?;
        ipv6::route::register_rtnl(&mut rtnl, module)?;
        ipv6::addrlabel::register_rtnl(&mut rtnl, module)?;
        let link_af = net::netlink::LinkAfRegistration::register()?;
        let nexthops = net::nexthop::Stub::install()?;
        let exports = net::exports::Exports::install()?;
        let ip6tnl = net::tunnel::Registration::install()?;
        let sit = net::sit::Registration::install()?;
        let icmp = net::icmp::IcmpSender::register()?;
        let icmpv6 = net::protocol::Registration::register()?;
        let udp = net::protocol::Registration::register()?;
        let ptype = net::packet::PacketType::register()?;
        let family = Family::register(module)?;
        pr_info!("IPv6 stack in Rust loaded\n");
        Ok(Self {
            _family: family,
            _ptype: ptype,
            _udp: udp,
            _icmpv6: icmpv6,
            _icmp: icmp,
            _ip6tnl: ip6tnl,
            _sit: sit,
            _exports: exports,
            _nexthops: nexthops,
            _rtnl: rtnl,
            _link_af: link_af,
            _addrconf: addrconf,
            _mld: mld,
            _ra: ra,
            _dad: dad,
            _nd: nd,
            _pernet: pernet,
            _frags: frags,
        })
    }
}

impl Drop for Ipv6Rs {
    fn drop(&mut self) {
        // The fields drop after this, unregistering what init registered.
        pr_info!("IPv6 stack in Rust unloading\n");
    }
}
