// SPDX-License-Identifier: GPL-2.0

//! Address configuration decisions (mainline `net/ipv6/addrconf.c`): what a device event
//! means for the device's IPv6 state.
//!
//! The glue reports a device event with the facts it needs ([`DevFacts`]); the core
//! answers with the [`DevAction`] to carry out, in the order mainline's
//! `addrconf_notify()` takes it.

use crate::conf::IPV6_MIN_MTU;

/// A `netdevice` notifier event, as far as IPv6 address configuration cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DevEvent {
    /// `NETDEV_REGISTER`: a device appeared (or existed when we loaded).
    Register,
    /// `NETDEV_UP`: administratively up.
    Up,
    /// `NETDEV_DOWN`: administratively down.
    Down,
    /// `NETDEV_CHANGEMTU`: the MTU changed.
    ChangeMtu,
    /// `NETDEV_UNREGISTER`: the device is going away (or we are unloading).
    Unregister,
}

/// What the glue knows about the device when an event arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DevFacts {
    /// The device's MTU.
    pub mtu: u32,
    /// `IFF_LOOPBACK`.
    pub loopback: bool,
    /// The device already has IPv6 state (`dev->ip6_ptr` set).
    pub has_idev: bool,
}

/// What to do about an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DevAction {
    /// Nothing.
    None,
    /// Create the device's IPv6 state (mainline `ipv6_add_dev()`).
    Attach,
    /// Remove the device's addresses but keep its IPv6 state (`addrconf_ifdown(dev, false)`).
    Down,
    /// Remove the device's addresses and its IPv6 state (`addrconf_ifdown(dev, true)`).
    Detach,
}

/// Decides what a device event means, as `addrconf_notify()` does.
pub fn dev_event(ev: DevEvent, dev: DevFacts) -> DevAction {
    let mtu_ok = dev.mtu >= IPV6_MIN_MTU;
    match ev {
        // A device whose MTU is too small for IPv6 gets no IPv6 state at all.
        DevEvent::Register | DevEvent::Up if !dev.has_idev && mtu_ok => DevAction::Attach,
        DevEvent::ChangeMtu if !dev.has_idev && mtu_ok => DevAction::Attach,
        // IPv6 cannot run below the minimum MTU: the device loses its addresses, and
        // (unless it is loopback, which mainline keeps) its IPv6 state.
        DevEvent::ChangeMtu if dev.has_idev && !mtu_ok => {
            if dev.loopback {
                DevAction::Down
            } else {
                DevAction::Detach
            }
        }
        DevEvent::Down if dev.has_idev => DevAction::Down,
        DevEvent::Unregister if dev.has_idev => DevAction::Detach,
        _ => DevAction::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ETH: DevFacts = DevFacts {
        mtu: 1500,
        loopback: false,
        has_idev: false,
    };

    #[test]
    fn lifecycle() {
        assert_eq!(dev_event(DevEvent::Register, ETH), DevAction::Attach);
        let attached = DevFacts {
            has_idev: true,
            ..ETH
        };
        assert_eq!(dev_event(DevEvent::Register, attached), DevAction::None);
        assert_eq!(dev_event(DevEvent::Down, attached), DevAction::Down);
        assert_eq!(dev_event(DevEvent::Unregister, attached), DevAction::Detach);
        assert_eq!(dev_event(DevEvent::Unregister, ETH), DevAction::None);
    }

    #[test]
    fn small_mtu() {
        let small = DevFacts { mtu: 1279, ..ETH };
        assert_eq!(dev_event(DevEvent::Register, small), DevAction::None);
        assert_eq!(dev_event(DevEvent::Up, small), DevAction::None);
        let shrunk = DevFacts {
            has_idev: true,
            ..small
        };
        assert_eq!(dev_event(DevEvent::ChangeMtu, shrunk), DevAction::Detach);
        let lo = DevFacts {
            loopback: true,
            ..shrunk
        };
        assert_eq!(dev_event(DevEvent::ChangeMtu, lo), DevAction::Down);
        assert_eq!(dev_event(DevEvent::ChangeMtu, ETH), DevAction::Attach);
        let exact = DevFacts { mtu: 1280, ..ETH };
        assert_eq!(dev_event(DevEvent::Register, exact), DevAction::Attach);
    }
}
