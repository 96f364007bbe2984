// SPDX-License-Identifier: GPL-2.0

//! Neighbour discovery decisions (RFC 4861, RFC 4862 §5.4, mainline `net/ipv6/ndisc.c`):
//! what a received neighbour solicitation or advertisement means.
//!
//! The glue parses the message ([`crate::wire::ndisc`]), looks the target up among the
//! receiving device's addresses and asks here what to do; it then carries it out with the
//! kernel's neighbour table.

use crate::wire::ndisc::{lladdr, na_flag, NdDrop, NdMsg, NdOptions};
use core::net::Ipv6Addr;

/// `NUD_*` neighbour states (`include/uapi/linux/neighbour.h`).
pub mod nud {
    /// Confirmed reachable.
    pub const REACHABLE: u8 = 0x02;
    /// Address known, reachability not confirmed.
    pub const STALE: u8 = 0x04;
    /// Resolution failed.
    pub const FAILED: u8 = 0x20;
}

/// `NEIGH_UPDATE_F_*` flags for `neigh_update()`.
pub mod update {
    /// Override an existing link-layer address.
    pub const OVERRIDE: u32 = 1 << 0;
    /// Only mark a differing address stale instead of replacing it.
    pub const WEAK_OVERRIDE: u32 = 1 << 1;
    /// Take the router flag from `ISROUTER`.
    pub const OVERRIDE_ISROUTER: u32 = 1 << 2;
    /// The neighbour is a router.
    pub const ISROUTER: u32 = 1 << 6;
}

/// The target of a message, as found among the receiving device's addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Not an address of the device.
    NotOurs,
    /// An address of the device still doing DAD (`IFA_F_TENTATIVE`), whose DAD probes
    /// carry `dad_nonce` (0 if enhanced DAD is off).
    Tentative {
        /// `IFA_F_OPTIMISTIC`.
        optimistic: bool,
        /// The nonce of our own probes.
        dad_nonce: u64,
    },
    /// An address of the device in use.
    Assigned {
        /// `IFA_F_OPTIMISTIC`.
        optimistic: bool,
    },
}

/// What the glue knows when a message arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RxContext {
    /// IPv6 source address.
    pub src: Ipv6Addr,
    /// IPv6 destination address.
    pub dst: Ipv6Addr,
    /// The target among our addresses.
    pub target: Target,
    /// `forwarding` is on for the device (we answer as a router).
    pub forwarding: bool,
    /// Link-layer address length of the device (0 for devices without one).
    pub addr_len: usize,
    /// The frame was our own, looped back (`PACKET_LOOPBACK`).
    pub looped_back: bool,
}

/// What to do about a neighbour solicitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NsAction<'a> {
    /// Drop it, for this reason.
    Drop(NdDrop),
    /// Our own DAD probe, looped back by the link (its nonce is ours): ignore it.
    DadLoopedBack,
    /// Another node is doing DAD for our tentative address: our DAD fails.
    DadFailure,
    /// Another node probes an address we own: defend it with an unsolicited NA to
    /// all-nodes, carrying our link-layer address.
    DefendAddress {
        /// Set the router flag.
        router: bool,
        /// Set the override flag (not for an optimistic address).
        override_: bool,
    },
    /// Learn the sender (stale entry with `lladdr`; created unless the probe was a
    /// multicast one without a source link-layer address) and answer with a solicited NA.
    Answer {
        /// The sender's link-layer address, if the message carried one.
        lladdr: Option<&'a [u8]>,
        /// Create a neighbour entry for the sender if there is none.
        create: bool,
        /// NA router flag.
        router: bool,
        /// NA override flag.
        override_: bool,
        /// Include the target link-layer address option.
        include_tlla: bool,
    },
}

/// Decides about a received neighbour solicitation (`ndisc_recv_ns()`).
pub fn ns_action<'a>(msg: &NdMsg<'a>, ctx: &RxContext) -> NsAction<'a> {
    let dad = ctx.src.is_unspecified();
    if dad && !crate::wire::ndisc::is_solicited_node(&ctx.dst) {
        return NsAction::Drop(NdDrop::DadWrongDestination);
    }
    let opts = match NdOptions::parse(msg.options) {
        Ok(o) => o,
        Err(e) => return NsAction::Drop(e),
    };
    let mut sender_ll = None;
    if let Some(o) = opts.src_lladdr {
        match lladdr(o, ctx.addr_len) {
            None => return NsAction::Drop(NdDrop::BadLladdrLength),
            Some(_) if dad => return NsAction::Drop(NdDrop::DadWithLladdr),
            ll => sender_ll = ll,
        }
    }
    let multicast = ctx.dst.is_multicast();
    let ours_optimistic = match ctx.target {
        // Proxy NDP and anycast answer here once they exist.
        Target::NotOurs => return NsAction::Drop(NdDrop::NotOurs),
        Target::Tentative {
            optimistic,
            dad_nonce,
        } => {
            if dad {
                let nonce = opts.nonce_value();
                if nonce != 0 && nonce == dad_nonce {
                    return NsAction::DadLoopedBack;
                }
                return NsAction::DadFailure;
            }
            if !optimistic {
                return NsAction::Drop(NdDrop::Ignored);
            }
            true
        }
        Target::Assigned { optimistic } => optimistic,
    };
    if dad {
        return NsAction::DefendAddress {
            router: ctx.forwarding,
            override_: !ours_optimistic,
        };
    }
    NsAction::Answer {
        lladdr: sender_ll,
        create: !multicast || sender_ll.is_some() || ctx.addr_len == 0,
        router: ctx.forwarding,
        // ndisc_send_na(): an optimistic address never overrides.
        override_: multicast && !ours_optimistic,
        include_tlla: multicast,
    }
}

/// What to do about a neighbour advertisement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NaAction<'a> {
    /// Drop it, for this reason.
    Drop(NdDrop),
    /// Another node advertises our tentative address: our DAD fails.
    DadFailure,
    /// Another node advertises an address we own (logged, then dropped).
    OwnAddress,
    /// Update the target's entry, if the cache has one, to `state` with `lladdr` and
    /// `neigh_update()` flags `flags`.
    Update {
        /// The target link-layer address, if the message carried one.
        lladdr: Option<&'a [u8]>,
        /// `nud::REACHABLE` if solicited, else `nud::STALE`.
        state: u8,
        /// `update::*` flags.
        flags: u32,
    },
}

/// Decides about a received neighbour advertisement (`ndisc_recv_na()`). Unsolicited
/// advertisements for untracked neighbours create no entry (`accept_untracked_na` 0).
pub fn na_action<'a>(msg: &NdMsg<'a>, ctx: &RxContext, drop_unsolicited: bool) -> NaAction<'a> {
    let solicited = msg.has(na_flag::SOLICITED);
    if ctx.dst.is_multicast() && solicited {
        return NaAction::Drop(NdDrop::SolicitedToMulticast);
    }
    if !solicited && drop_unsolicited {
        return NaAction::Drop(NdDrop::Ignored);
    }
    let opts = match NdOptions::parse(msg.options) {
        Ok(o) => o,
        Err(e) => return NaAction::Drop(e),
    };
    let mut target_ll = None;
    if let Some(o) = opts.tgt_lladdr {
        target_ll = Some(match lladdr(o, ctx.addr_len) {
            Some(ll) => ll,
            None => return NaAction::Drop(NdDrop::BadLladdrLength),
        });
    }
    match ctx.target {
        Target::Tentative { .. } if !ctx.looped_back => return NaAction::DadFailure,
        Target::Tentative { .. } | Target::Assigned { .. } => return NaAction::OwnAddress,
        Target::NotOurs => {}
    }
    let mut flags = update::WEAK_OVERRIDE | update::OVERRIDE_ISROUTER;
    if msg.has(na_flag::OVERRIDE) {
        flags |= update::OVERRIDE;
    }
    if msg.has(na_flag::ROUTER) {
        flags |= update::ISROUTER;
    }
    NaAction::Update {
        lladdr: target_ll,
        state: if solicited {
            nud::REACHABLE
        } else {
            nud::STALE
        },
        flags,
    }
}

/// Where a solicitation for `target` goes (`ndisc_solicit()`): unicast to the cached
/// address while `probes` (sent so far) is below `ucast_probes`, else to the
/// solicited-node group.
pub fn solicit_unicast(probes: u32, ucast_probes: u32) -> bool {
    probes < ucast_probes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ndisc::{emit_na, emit_ns, solicited_node};

    const MAC: [u8; 6] = [0x52, 0x54, 0, 0, 0, 2];

    fn ctx(src: &str, dst: &str, target: Target) -> RxContext {
        RxContext {
            src: src.parse().unwrap(),
            dst: dst.parse().unwrap(),
            target,
            forwarding: false,
            addr_len: 6,
            looped_back: false,
        }
    }

    const ASSIGNED: Target = Target::Assigned { optimistic: false };

    #[test]
    fn dad_probe_for_a_tentative_address() {
        let t: Ipv6Addr = "2001:db8::1".parse().unwrap();
        let sn = "ff02::1:ff00:1";
        assert_eq!(solicited_node(&t), sn.parse::<Ipv6Addr>().unwrap());
        let mut b = [0u8; 64];
        let n = emit_ns(&mut b, &t, None, 42).unwrap();
        let m = NdMsg::parse(&b[..n]).unwrap();
        let ours = Target::Tentative {
            optimistic: false,
            dad_nonce: 42,
        };
        assert_eq!(ns_action(&m, &ctx("::", sn, ours)), NsAction::DadLoopedBack);
        let theirs = Target::Tentative {
            optimistic: false,
            dad_nonce: 7,
        };
        assert_eq!(ns_action(&m, &ctx("::", sn, theirs)), NsAction::DadFailure);
        assert_eq!(
            ns_action(&m, &ctx("::", sn, ASSIGNED)),
            NsAction::DefendAddress {
                router: false,
                override_: true
            }
        );
        assert_eq!(
            ns_action(&m, &ctx("::", "ff02::1", ASSIGNED)),
            NsAction::Drop(NdDrop::DadWrongDestination)
        );
    }

    #[test]
    fn resolution_probe() {
        let t: Ipv6Addr = "2001:db8::1".parse().unwrap();
        let sn = "ff02::1:ff00:1";
        assert_eq!(solicited_node(&t), sn.parse::<Ipv6Addr>().unwrap());
        let mut b = [0u8; 64];
        let n = emit_ns(&mut b, &t, Some(&MAC), 0).unwrap();
        let m = NdMsg::parse(&b[..n]).unwrap();
        assert_eq!(
            ns_action(&m, &ctx("2001:db8::2", sn, ASSIGNED)),
            NsAction::Answer {
                lladdr: Some(&MAC[..]),
                create: true,
                router: false,
                override_: true,
                include_tlla: true,
            }
        );
        // Unicast probes (reachability confirmation) get no override and no TLLA.
        assert_eq!(
            ns_action(&m, &ctx("2001:db8::2", "2001:db8::1", ASSIGNED)),
            NsAction::Answer {
                lladdr: Some(&MAC[..]),
                create: true,
                router: false,
                override_: false,
                include_tlla: false,
            }
        );
        assert_eq!(
            ns_action(&m, &ctx("2001:db8::2", sn, Target::NotOurs)),
            NsAction::Drop(NdDrop::NotOurs)
        );
        let tentative = Target::Tentative {
            optimistic: false,
            dad_nonce: 1,
        };
        assert_eq!(
            ns_action(&m, &ctx("2001:db8::2", sn, tentative)),
            NsAction::Drop(NdDrop::Ignored)
        );
        // A DAD probe must not carry a source link-layer address.
        assert_eq!(
            ns_action(&m, &ctx("::", sn, ASSIGNED)),
            NsAction::Drop(NdDrop::DadWithLladdr)
        );
    }

    #[test]
    fn advertisements() {
        let t: Ipv6Addr = "2001:db8::2".parse().unwrap();
        let mut b = [0u8; 64];
        let f = na_flag::SOLICITED | na_flag::OVERRIDE;
        let n = emit_na(&mut b, &t, f, Some(&MAC)).unwrap();
        let m = NdMsg::parse(&b[..n]).unwrap();
        let c = ctx("2001:db8::2", "2001:db8::1", Target::NotOurs);
        assert_eq!(
            na_action(&m, &c, false),
            NaAction::Update {
                lladdr: Some(&MAC[..]),
                state: nud::REACHABLE,
                flags: update::WEAK_OVERRIDE | update::OVERRIDE_ISROUTER | update::OVERRIDE,
            }
        );
        let mc = ctx("2001:db8::2", "ff02::1", Target::NotOurs);
        assert_eq!(
            na_action(&m, &mc, false),
            NaAction::Drop(NdDrop::SolicitedToMulticast)
        );
        let tentative = Target::Tentative {
            optimistic: false,
            dad_nonce: 0,
        };
        let c = ctx("2001:db8::2", "2001:db8::1", tentative);
        assert_eq!(na_action(&m, &c, false), NaAction::DadFailure);
        let c = ctx("2001:db8::2", "2001:db8::1", ASSIGNED);
        assert_eq!(na_action(&m, &c, false), NaAction::OwnAddress);
    }
}
