// SPDX-License-Identifier: GPL-2.0

//! Address configuration glue (mainline `net/ipv6/addrconf.c`): carries out what the
//! core's [`crate::addrconf`] decides for each device event.

use super::{
    inet6_dev,
    netdev::{NetDevice, NetdevEvents},
    netns,
};
use crate::addrconf::{dev_event, DevAction, DevEvent, DevFacts};
use kernel::prelude::*;

/// The netdevice-event handler of IPv6 address configuration.
pub(crate) struct Addrconf;

impl NetdevEvents for Addrconf {
    fn event(ev: DevEvent, dev: &NetDevice) {
        let facts = DevFacts {
            mtu: dev.mtu(),
            loopback: dev.is_loopback(),
            has_idev: dev.has_idev(),
        };
        match dev_event(ev, facts) {
            DevAction::Attach => {
                let conf = netns::conf_default(dev.net());
                if let Err(e) = inet6_dev::attach(dev, &conf) {
                    pr_warn!("cannot set up IPv6 on a device: {:?}\n", e);
                }
            }
            DevAction::Detach => inet6_dev::detach(dev),
            // Until the device carries addresses, going down changes nothing else.
            DevAction::Down | DevAction::None => {}
        }
    }
}
