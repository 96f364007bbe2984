// SPDX-License-Identifier: GPL-2.0

//! What the core's state machines need from their surroundings, as context traits (as
//! Fuchsia netstack3 does): the kernel layer implements them with the kernel's
//! services, host tests with deterministic ones. Time reaches the machines as values
//! (jiffies read by the caller, delays returned for the caller to schedule), so only
//! randomness needs a trait.

/// Randomness (`get_random_u32_below()`, `get_random_bytes()` in the kernel).
pub trait Random {
    /// A uniformly random value below `ceil` (0 if `ceil` is 0).
    fn below(&mut self, ceil: u32) -> u32;
    /// Fills `buf` with random bytes.
    fn fill(&mut self, buf: &mut [u8]);
}
