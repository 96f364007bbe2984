// SPDX-License-Identifier: GPL-2.0

//! RCU read-side critical sections (`rcu_read_lock()`/`rcu_read_unlock()`) as a guard:
//! what is borrowed from one cannot outlive it.

use crate::bindings;
use core::marker::PhantomData;

/// An RCU read-side critical section, left when the guard drops. Not `Send`: it must
/// end on the CPU context that began it.
pub(crate) struct Rcu {
    _not_send: PhantomData<*mut ()>,
}

impl Rcu {
    /// `rcu_read_lock()`.
    pub(crate) fn read_lock() -> Self {
        // SAFETY: paired with the unlock in drop; sections nest.
        unsafe { bindings::ipv6_rs_rcu_read_lock() };
        Self {
            _not_send: PhantomData,
        }
    }
}

impl Drop for Rcu {
    fn drop(&mut self) {
        // SAFETY: the section this guard began.
        unsafe { bindings::ipv6_rs_rcu_read_unlock() };
    }
}
