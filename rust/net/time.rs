// SPDX-License-Identifier: GPL-2.0

//! Kernel time: `jiffies` and `HZ`, which timers, lifetimes and rate limits count in.

use crate::bindings;

/// The current `jiffies`.
pub(crate) fn jiffies() -> u64 {
    // SAFETY: reads a kernel global; no precondition.
    unsafe { bindings::ipv6_rs_jiffies() as u64 }
}

/// `jiffies_to_clock_t()`: jiffies as `USER_HZ` ticks, as route cache info reports.
pub(crate) fn jiffies_to_clock_t(j: u64) -> u64 {
    // SAFETY: a pure conversion.
    unsafe { bindings::jiffies_to_clock_t(j as _) as u64 }
}

/// `HZ`: jiffies per second.
pub(crate) fn hz() -> u64 {
    // SAFETY: a constant of the kernel.
    u64::from(unsafe { bindings::ipv6_rs_hz() })
}
