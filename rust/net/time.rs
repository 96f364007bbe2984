// SPDX-License-Identifier: GPL-2.0

//! Kernel time: `jiffies` and `HZ`, which timers, lifetimes and rate limits count in.

use crate::bindings;

/// The current `jiffies`.
pub(crate) fn jiffies() -> u64 {
    // SAFETY: reads a kernel global; no precondition.
    unsafe { bindings::ipv6_rs_jiffies() as u64 }
}

/// `HZ`: jiffies per second.
pub(crate) fn hz() -> u64 {
    // SAFETY: a constant of the kernel.
    u64::from(unsafe { bindings::ipv6_rs_hz() })
}
