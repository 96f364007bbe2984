// SPDX-License-Identifier: GPL-2.0

//! Duplicate address detection (RFC 4862 §5.4, RFC 7527 enhanced DAD), as mainline's
//! addrconf runs it: `addrconf_dad_begin()`, `addrconf_dad_work()` and
//! `addrconf_dad_failure()`.
//!
//! An address's DAD state, probes left and nonce live in the kernel's `inet6_ifaddr`,
//! under its lock, and its steps run from a delayed work under RTNL; the receive path
//! reports collisions from softirq. This module decides each transition from what the
//! caller read ([`Facts`]), with randomness from a [`Random`] context (`crate::ctx`); the kernel layer
//! carries the transition out, each state change as a compare-and-set from the state
//! the decision was made in, so that a collision and the work never both win.

use crate::{addrconf::ifa_flags, ctx::Random};

/// An address's DAD state (`enum inet6_ifaddr_state`; the kernel layer checks the
/// values against the kernel's at build time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum State {
    /// Not started: new, or kept over a down until the link is ready.
    PreDad = 0,
    /// Probing.
    Dad = 1,
    /// Done: unique, failed and carried out, or not applicable.
    PostDad = 2,
    /// A collision was seen; the work is to carry out the failure.
    ErrDad = 3,
    /// Being removed.
    Dead = 4,
}

impl State {
    /// The state for the kernel's value (unknown values read as [`State::Dead`], which
    /// takes no transition).
    pub fn from_raw(v: u32) -> Self {
        match v {
            0 => Self::PreDad,
            1 => Self::Dad,
            2 => Self::PostDad,
            3 => Self::ErrDad,
            _ => Self::Dead,
        }
    }
}

/// The device's DAD settings (`ipv6_devconf`), as read when DAD begins.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// `dad_transmits`: probes to send.
    pub transmits: i32,
    /// `enhanced_dad` (the device's or `all`): probes carry a nonce (RFC 7527).
    pub enhanced: bool,
    /// `rtr_solicit_delay`, in jiffies: the first probe waits a random time below it.
    pub max_delay: u32,
    /// Optimistic addresses may be used as sources (`ipv6_use_optimistic_addr()`:
    /// `optimistic_dad` and `use_optimistic`, each the device's or `all`'s).
    pub use_optimistic: bool,
}

/// What the caller read about the address and its device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    /// Its state.
    pub state: State,
    /// Its `IFA_F_*` flags.
    pub flags: u32,
    /// DAD applies to it (`addrconf::dad_required()`).
    pub required: bool,
    /// The device's link is ready (`IF_READY`).
    pub link_ready: bool,
}

/// What beginning DAD on an address does (`addrconf_dad_begin()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Begin {
    /// DAD does not apply: the address is usable at once. Clear `tentative`,
    /// `optimistic` and `dadfailed`, move `PreDad` to `PostDad`, announce it.
    Complete,
    /// Nothing now: the link is not ready yet (addresses then wait in `PreDad` for it),
    /// or DAD already runs or ran.
    Wait,
    /// Probe: move to `Dad` with `probes` probes left and `nonce` (0 without enhanced
    /// DAD), and run the first step after `delay` jiffies.
    Arm {
        /// Probes to send.
        probes: u8,
        /// The nonce of every probe (RFC 7527), 0 for none.
        nonce: u64,
        /// Jiffies before the first step.
        delay: u32,
        /// An optimistic address (RFC 4429): its local route goes in now, so that it
        /// receives while it is probed.
        route_now: bool,
        /// And it is announced now too, since it may be used as a source; if DAD fails,
        /// its deletion is announced.
        announce_now: bool,
    },
}

/// Begins DAD on an address that is new, or whose link became ready.
pub fn begin(f: &Facts, s: &Settings, rng: &mut impl Random) -> Begin {
    if f.flags & ifa_flags::TENTATIVE == 0 || !f.required {
        return Begin::Complete;
    }
    if !f.link_ready || f.state != State::PreDad {
        return Begin::Wait;
    }
    // An optimistic address probes at once (`addrconf_dad_kick()`), and the random
    // delay is not drawn for it.
    let optimistic = f.flags & ifa_flags::OPTIMISTIC != 0;
    let delay = if optimistic {
        0
    } else {
        rng.below(s.max_delay)
    };
    Begin::Arm {
        probes: s.transmits.clamp(0, 255) as u8,
        nonce: if s.enhanced { nonce(rng) } else { 0 },
        delay,
        route_now: optimistic,
        announce_now: optimistic && s.use_optimistic,
    }
}

/// A nonce for enhanced DAD: 6 random bytes, never all zero (a zero nonce means none).
pub fn nonce(rng: &mut impl Random) -> u64 {
    loop {
        let mut b = [0u8; 8];
        rng.fill(&mut b[..6]);
        let n = u64::from_le_bytes(b);
        if n != 0 {
            return n;
        }
    }
}

/// What one run of the address's DAD work does (`addrconf_dad_work()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Nothing: DAD is not running (done, or the link went away).
    Idle,
    /// Send the next probe (a neighbour solicitation from `::` to the solicited-node
    /// group, with the nonce), one probe fewer left; run again one `retrans_time` later.
    Probe,
    /// No collision in time: the address is unique. Move `Dad` to `PostDad`, clear
    /// `tentative`, `optimistic` and `dadfailed`, announce it; with `send_na`, also
    /// advertise it to all nodes (`ndisc_notify`, for an address that was not usable
    /// before).
    Unique {
        /// Send an unsolicited neighbour advertisement.
        send_na: bool,
    },
    /// Carry out a collision (`addrconf_dad_stop()`): move `ErrDad` to `PostDad`; a
    /// permanent address stays, `tentative` and `dadfailed` (announced again); any
    /// other goes (announced as deleted).
    Failed {
        /// Keep it (permanent).
        keep: bool,
    },
}

/// Decides a run of the DAD work, with `probes` left and the device's (or `all`'s)
/// `ndisc_notify`.
pub fn step(f: &Facts, probes: u8, ndisc_notify: bool) -> Step {
    match f.state {
        State::ErrDad => Step::Failed {
            keep: f.flags & ifa_flags::PERMANENT != 0,
        },
        State::Dad if f.link_ready => {
            if probes > 0 {
                Step::Probe
            } else {
                let usable_before =
                    f.flags & ifa_flags::TENTATIVE == 0 || f.flags & ifa_flags::OPTIMISTIC != 0;
                Step::Unique {
                    send_na: ndisc_notify && !usable_before,
                }
            }
        }
        _ => Step::Idle,
    }
}

/// What a collision (an NS for the address from another node doing DAD, or an NA for
/// it) does (`addrconf_dad_failure()`): while probing, and only then, it moves `Dad`
/// to `ErrDad`, as one compare-and-set against the work, which then runs at once to
/// carry out the failure ([`Step::Failed`]).
pub const COLLISION: (State, State) = (State::Dad, State::ErrDad);

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    /// A deterministic generator (xorshift), optionally returning zero bytes first.
    struct Rng {
        s: u64,
        zero_fills: u32,
    }

    impl Random for Rng {
        fn below(&mut self, ceil: u32) -> u32 {
            self.s ^= self.s << 13;
            self.s ^= self.s >> 7;
            self.s ^= self.s << 17;
            if ceil == 0 {
                0
            } else {
                (self.s % u64::from(ceil)) as u32
            }
        }
        fn fill(&mut self, buf: &mut [u8]) {
            if self.zero_fills > 0 {
                self.zero_fills -= 1;
                buf.fill(0);
                return;
            }
            for b in buf {
                *b = self.below(256) as u8;
            }
        }
    }

    fn rng() -> Rng {
        Rng {
            s: 0x9e37_79b9_7f4a_7c15,
            zero_fills: 0,
        }
    }

    const T: u32 = ifa_flags::TENTATIVE;
    const P: u32 = ifa_flags::PERMANENT;

    fn facts(state: State, flags: u32) -> Facts {
        Facts {
            state,
            flags,
            required: true,
            link_ready: true,
        }
    }

    #[test]
    fn begin_decisions() {
        let s = Settings {
            transmits: 3,
            enhanced: false,
            max_delay: 100,
            use_optimistic: false,
        };
        let mut r = rng();
        // Not tentative, or nodad/noarp/accept_dad 0: usable at once.
        assert_eq!(begin(&facts(State::PreDad, P), &s, &mut r), Begin::Complete);
        let nodad = Facts {
            required: false,
            ..facts(State::PreDad, P | T)
        };
        assert_eq!(begin(&nodad, &s, &mut r), Begin::Complete);
        // Link not ready, or DAD already under way: wait.
        let down = Facts {
            link_ready: false,
            ..facts(State::PreDad, P | T)
        };
        assert_eq!(begin(&down, &s, &mut r), Begin::Wait);
        assert_eq!(begin(&facts(State::Dad, P | T), &s, &mut r), Begin::Wait);
        match begin(&facts(State::PreDad, P | T), &s, &mut r) {
            Begin::Arm {
                probes: 3,
                nonce: 0,
                delay,
                route_now: false,
                announce_now: false,
            } => assert!(delay < 100),
            other => panic!("{other:?}"),
        }
        // dad_transmits beyond u8 and below 0 are clamped, as mainline's u8 counter.
        let many = Settings {
            transmits: 1000,
            ..s
        };
        assert!(matches!(
            begin(&facts(State::PreDad, T), &many, &mut r),
            Begin::Arm { probes: 255, .. }
        ));
        let none = Settings {
            transmits: -1,
            max_delay: 0,
            ..s
        };
        assert_eq!(
            begin(&facts(State::PreDad, T), &none, &mut r),
            Begin::Arm {
                probes: 0,
                nonce: 0,
                delay: 0,
                route_now: false,
                announce_now: false,
            }
        );
    }

    #[test]
    fn optimistic_addresses_probe_at_once_and_receive_meanwhile() {
        let s = Settings {
            transmits: 2,
            enhanced: false,
            max_delay: 100,
            use_optimistic: false,
        };
        let o = T | ifa_flags::OPTIMISTIC;
        // addrconf_dad_kick(): no random delay; addrconf_dad_begin(): the local route
        // now, the announcement only where optimistic addresses serve as sources.
        assert_eq!(
            begin(&facts(State::PreDad, o), &s, &mut rng()),
            Begin::Arm {
                probes: 2,
                nonce: 0,
                delay: 0,
                route_now: true,
                announce_now: false,
            }
        );
        let used = Settings {
            use_optimistic: true,
            ..s
        };
        assert!(matches!(
            begin(&facts(State::PreDad, o), &used, &mut rng()),
            Begin::Arm {
                route_now: true,
                announce_now: true,
                ..
            }
        ));
        // Not for addresses that are not optimistic.
        assert!(matches!(
            begin(&facts(State::PreDad, T), &used, &mut rng()),
            Begin::Arm {
                route_now: false,
                announce_now: false,
                ..
            }
        ));
        // Unique at the end: no unsolicited NA for an address usable before.
        assert_eq!(
            step(&facts(State::Dad, o), 0, true),
            Step::Unique { send_na: false }
        );
    }

    #[test]
    fn nonces_are_six_bytes_and_never_zero() {
        let mut r = Rng {
            zero_fills: 3,
            ..rng()
        };
        let n = nonce(&mut r);
        assert_ne!(n, 0);
        assert_eq!(n >> 48, 0);
        assert_eq!(r.zero_fills, 0);
        let s = Settings {
            transmits: 1,
            enhanced: true,
            max_delay: 1,
            use_optimistic: false,
        };
        assert!(
            matches!(begin(&facts(State::PreDad, T), &s, &mut rng()), Begin::Arm { nonce, .. } if nonce != 0)
        );
    }

    #[test]
    fn steps() {
        assert_eq!(step(&facts(State::Dad, P | T), 1, false), Step::Probe);
        assert_eq!(
            step(&facts(State::Dad, P | T), 0, false),
            Step::Unique { send_na: false }
        );
        assert_eq!(
            step(&facts(State::Dad, P | T), 0, true),
            Step::Unique { send_na: true }
        );
        // Optimistic addresses were usable already: no unsolicited NA.
        let opt = facts(State::Dad, P | T | ifa_flags::OPTIMISTIC);
        assert_eq!(step(&opt, 0, true), Step::Unique { send_na: false });
        // The link went away: nothing until it is back (DAD starts again from PreDad).
        let down = Facts {
            link_ready: false,
            ..facts(State::Dad, P | T)
        };
        assert_eq!(step(&down, 1, false), Step::Idle);
        assert_eq!(
            step(&facts(State::ErrDad, P | T), 1, false),
            Step::Failed { keep: true }
        );
        assert_eq!(
            step(&facts(State::ErrDad, T), 1, false),
            Step::Failed { keep: false }
        );
        assert_eq!(step(&facts(State::PostDad, P), 0, true), Step::Idle);
    }

    /// What one address goes through: the machine driven as the kernel layer drives
    /// it (begin, then the work's runs, collisions at any point between them).
    #[derive(Debug, PartialEq, Eq)]
    enum Outcome {
        Unique { probes: u32 },
        Failed { probes: u32 },
    }

    fn run(transmits: i32, collide_after: Option<u32>, permanent: bool) -> Outcome {
        let s = Settings {
            transmits,
            enhanced: true,
            max_delay: 50,
            use_optimistic: false,
        };
        let flags = T | if permanent { P } else { 0 };
        let mut f = facts(State::PreDad, flags);
        let mut r = rng();
        let mut left = match begin(&f, &s, &mut r) {
            Begin::Arm { probes, .. } => probes,
            other => panic!("{other:?}"),
        };
        f.state = State::Dad;
        let mut sent = 0;
        loop {
            if collide_after == Some(sent) && f.state == COLLISION.0 {
                f.state = COLLISION.1;
            }
            match step(&f, left, false) {
                Step::Probe => {
                    left -= 1;
                    sent += 1;
                }
                Step::Unique { .. } => return Outcome::Unique { probes: sent },
                Step::Failed { keep } => {
                    assert_eq!(keep, permanent);
                    return Outcome::Failed { probes: sent };
                }
                Step::Idle => panic!("idle while probing"),
            }
        }
    }

    proptest::proptest! {
        /// Against the model of RFC 4862 §5.4: exactly `dad_transmits` probes, then
        /// unique, unless a collision comes while probing, which fails it with the
        /// probes sent so far; a collision after the last probe's wait is too late.
        #[test]
        fn matches_the_model(
            transmits in -2i32..300,
            collide in proptest::option::of(0u32..300),
            permanent: bool,
        ) {
            let n = transmits.clamp(0, 255) as u32;
            let expect = match collide {
                Some(c) if c <= n => Outcome::Failed { probes: c },
                _ => Outcome::Unique { probes: n },
            };
            proptest::prop_assert_eq!(run(transmits, collide, permanent), expect);
        }
    }

    #[test]
    fn raw_states() {
        let all: Vec<_> = (0..6).map(State::from_raw).collect();
        assert_eq!(
            all,
            [
                State::PreDad,
                State::Dad,
                State::PostDad,
                State::ErrDad,
                State::Dead,
                State::Dead
            ]
        );
    }
}
