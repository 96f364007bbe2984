// SPDX-License-Identifier: GPL-2.0

//! Files under `/proc/net` of each namespace, written whole by one `show` function
//! (`proc_create_net_single()`), and a line formatter for them.

use crate::bindings;
use crate::net::netns::Net;
use core::{ffi::CStr, fmt};
use kernel::{error::code::ENOMEM, ffi::c_int, prelude::*};

/// `show` of a single-show proc file: `m` is the seq_file of namespace `net`.
pub(crate) type ShowFn =
    unsafe extern "C" fn(*mut bindings::seq_file, *mut kernel::ffi::c_void) -> c_int;

/// What a single-show `/proc/net` file prints, whole, each time it is read.
pub(crate) trait SeqShow {
    /// Writes the file's contents for `seq.net()`.
    fn show(seq: &mut Seq<'_>);
}

/// # Safety
/// Called by the seq_file core for a single-show file of a namespace of ours.
unsafe extern "C" fn show_tramp<T: SeqShow>(
    m: *mut bindings::seq_file,
    _v: *mut kernel::ffi::c_void,
) -> c_int {
    // SAFETY: the file's seq_file, for this call (see the function's contract).
    let mut seq = unsafe { Seq::from_raw(m) };
    T::show(&mut seq);
    0
}

/// The `show` of `T`, for [`create`].
pub(crate) fn show_fn<T: SeqShow>() -> ShowFn {
    show_tramp::<T>
}

/// What a `/proc/net/dev_snmp6/<dev>` file prints: the device's counters.
pub(crate) trait DevMibsShow {
    /// Writes the file's contents.
    fn show(seq: &mut Seq<'_>, mibs: &crate::net::mib::Mibs<'_>);
}

/// # Safety
/// Called by the seq_file core for a dev_snmp6 file made by [`dev_snmp6_add`], whose
/// private data is its inet6_dev, alive until the file is removed (which waits for
/// readers).
unsafe extern "C" fn dev_show_tramp<T: DevMibsShow>(
    m: *mut bindings::seq_file,
    _v: *mut kernel::ffi::c_void,
) -> c_int {
    // SAFETY: the file's seq_file, for this call.
    let mut seq = unsafe { Seq::from_raw(m) };
    // SAFETY: the file's inet6_dev, live for the call (see the function's contract).
    let mibs = unsafe {
        crate::net::mib::Mibs::of_idev(
            bindings::ipv6_rs_seq_private(m).cast::<bindings::inet6_dev>(),
        )
    };
    T::show(&mut seq, &mibs);
    0
}

/// Adds `/proc/net/dev_snmp6/<dev>` for a device's new inet6_dev, printed by `T`.
/// Under RTNL.
///
/// # Safety
/// `idev` must be a live inet6_dev, and [`dev_snmp6_remove`] called before it is
/// released.
pub(crate) unsafe fn dev_snmp6_add<T: DevMibsShow>(idev: *mut bindings::inet6_dev) {
    // SAFETY: the caller's promise.
    let rc = unsafe { bindings::ipv6_rs_proc_dev_snmp6_add(idev, Some(dev_show_tramp::<T>)) };
    if rc != 0 {
        pr_warn!("cannot create /proc/net/dev_snmp6 entry: {}\n", rc);
    }
}

/// Removes a device's `/proc/net/dev_snmp6/<dev>`. Under RTNL.
///
/// # Safety
/// `idev` must be a live inet6_dev.
pub(crate) unsafe fn dev_snmp6_remove(idev: *mut bindings::inet6_dev) {
    // SAFETY: the caller's promise.
    unsafe { bindings::ipv6_rs_proc_dev_snmp6_remove(idev) };
}

/// Creates `/proc/net/<name>` in `net`.
///
/// # Safety
/// `net` must be a namespace being initialised by our pernet subsystem; the file must be
/// removed with [`remove`] before `show`'s module goes away.
pub(crate) unsafe fn create(net: *mut bindings::net, name: &'static CStr, show: ShowFn) -> Result {
    // SAFETY: caller's promise; `name` is static.
    let pde = unsafe { bindings::ipv6_rs_proc_net_create(net, name.as_ptr().cast(), Some(show)) };
    if pde.is_null() {
        Err(ENOMEM)
    } else {
        Ok(())
    }
}

/// Removes `/proc/net/<name>` from `net`; waits for readers to finish.
///
/// # Safety
/// `net` must be a live namespace in which [`create`] made the file.
pub(crate) unsafe fn remove(net: *mut bindings::net, name: &'static CStr) {
    // SAFETY: caller's promise.
    unsafe { bindings::ipv6_rs_proc_net_remove(net, name.as_ptr().cast()) };
}

/// The seq_file a `show` function writes to.
pub(crate) struct Seq<'a>(*mut bindings::seq_file, core::marker::PhantomData<&'a Net>);

impl<'a> Seq<'a> {
    /// # Safety
    /// `m` must be the seq_file passed to a running `show`, and `'a` must not outlast
    /// that call (the file's namespace is alive while it is read).
    pub(crate) unsafe fn from_raw(m: *mut bindings::seq_file) -> Self {
        Self(m, core::marker::PhantomData)
    }

    /// The namespace whose file is being read.
    pub(crate) fn net(&self) -> &'a Net {
        // SAFETY: a single-show file of a namespace (type construction).
        unsafe { Net::from_raw(bindings::ipv6_rs_seq_net(self.0)) }
    }

    /// Appends one formatted line (at most 255 bytes; longer lines are cut).
    pub(crate) fn line(&mut self, args: fmt::Arguments<'_>) {
        let mut b = LineBuf {
            buf: [0; 256],
            len: 0,
        };
        let _ = fmt::write(&mut b, args);
        // SAFETY: the seq_file is live during show; seq_write copies the bytes.
        unsafe { bindings::seq_write(self.0, b.buf.as_ptr().cast(), b.len) };
    }
}

struct LineBuf {
    buf: [u8; 256],
    len: usize,
}

impl fmt::Write for LineBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}
