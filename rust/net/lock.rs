// SPDX-License-Identifier: GPL-2.0

//! A reader/writer lock taken with bottom halves off, around data that softirq readers
//! (the receive path) and process-context writers share: mainline's
//! `ip6addrlbl_table.lock` pattern. Readers copy out what they need; nothing refers
//! into the data once the lock is dropped. The routing tables use one around no data
//! (`BhRwLock<()>`): their lookups run under RCU, and the lock keeps their writers one
//! at a time and their walks apart from the writers, as `tb6_lock` does.

use crate::bindings;
use core::{cell::UnsafeCell, ptr::NonNull};
use kernel::{error::code::ENOMEM, prelude::*};

/// `T` behind an `rwlock_t` taken with `_bh`.
pub(crate) struct BhRwLock<T> {
    lock: NonNull<bindings::ipv6_rs_fib_lock>,
    data: UnsafeCell<T>,
}

// SAFETY: `data` is only reached through `read` and `write`, which hold `lock`.
unsafe impl<T: Send> Send for BhRwLock<T> {}
// SAFETY: as above; readers share `&T` only under the read lock.
unsafe impl<T: Send + Sync> Sync for BhRwLock<T> {}

/// Which lock it is, for lockdep: locks of different classes may nest (the tables'
/// lock, then the exceptions').
#[derive(Clone, Copy)]
pub(crate) enum LockClass {
    Fib = bindings::ipv6_rs_lock_class_IPV6_RS_LOCK_FIB as isize,
    AddrLabel = bindings::ipv6_rs_lock_class_IPV6_RS_LOCK_ADDRLABEL as isize,
    Exceptions = bindings::ipv6_rs_lock_class_IPV6_RS_LOCK_EXCEPTIONS as isize,
    Anchors = bindings::ipv6_rs_lock_class_IPV6_RS_LOCK_ANCHORS as isize,
    Autojoin = bindings::ipv6_rs_lock_class_IPV6_RS_LOCK_AUTOJOIN as isize,
    Tunnels = bindings::ipv6_rs_lock_class_IPV6_RS_LOCK_TUNNELS as isize,
}

impl<T> BhRwLock<T> {
    pub(crate) fn new(data: T, class: LockClass) -> Result<Self> {
        // SAFETY: plain allocation; `class` is one of the helper's classes.
        let lock =
            NonNull::new(unsafe { bindings::ipv6_rs_fib_lock_alloc(class as _) }).ok_or(ENOMEM)?;
        Ok(Self {
            lock,
            data: UnsafeCell::new(data),
        })
    }

    /// Runs `f` with shared access under the read lock.
    pub(crate) fn read<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        // SAFETY: our lock, released below.
        unsafe { bindings::ipv6_rs_fib_read_lock(self.lock.as_ptr()) };
        // SAFETY: readers share the data under the read lock; writers are out.
        let r = f(unsafe { &*self.data.get() });
        // SAFETY: taken above.
        unsafe { bindings::ipv6_rs_fib_read_unlock(self.lock.as_ptr()) };
        r
    }

    /// Runs `f` with exclusive access under the write lock.
    pub(crate) fn write<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: our lock, released below.
        unsafe { bindings::ipv6_rs_fib_write_lock(self.lock.as_ptr()) };
        // SAFETY: the write lock excludes every other access.
        let r = f(unsafe { &mut *self.data.get() });
        // SAFETY: taken above.
        unsafe { bindings::ipv6_rs_fib_write_unlock(self.lock.as_ptr()) };
        r
    }
}

impl<T> Drop for BhRwLock<T> {
    fn drop(&mut self) {
        // SAFETY: allocated in `new`; `&mut self` means nobody holds it.
        unsafe { bindings::ipv6_rs_fib_lock_free(self.lock.as_ptr()) };
    }
}
