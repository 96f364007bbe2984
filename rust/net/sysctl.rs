// SPDX-License-Identifier: GPL-2.0

//! `net.ipv6.conf.{all,default,<dev>}.*` (mainline `addrconf_sysctl[]`): the same names,
//! order, types and ranges, each entry pointing into a kernel `struct ipv6_devconf` (the
//! device's `inet6_dev.cnf`, or the namespace's `devconf_all`/`devconf_dflt`), so the
//! rest of the kernel and our datapath read what was written.
//!
//! Plain values use the kernel's own handlers. The ones with side effects have ours:
//! `forwarding` (all-routers membership; `all` also sets `default` and every device),
//! `disable_ipv6` (takes IPv6 down on the device or brings it back; `all` likewise),
//! `mtu` (1280 up to the device's MTU) and `stable_secret` (unset reads fail with EIO).

use crate::net::device::NetDevice;
use crate::net::netns::Net;

use crate::bindings as b;
use crate::net::devconf::{Kind, ENTRIES, U_ONE, U_ZERO};

use kernel::{
    ffi::{c_int, c_void},
    prelude::*,
};

/// What writes of a device's (or `all`'s) `forwarding` and `disable_ipv6` do beyond
/// storing the value: the protocol handlers' part of `addrconf_sysctl_forward()` and
/// of `addrconf_sysctl_disable()`.
pub(crate) trait DevconfEvents {
    /// `dev_forward_change()`: forwarding on `dev` went on or off. Under RTNL.
    fn forwarding_changed(dev: &NetDevice, on: bool);
    /// `dev_disable_change()`: IPv6 on `dev` was disabled, or enabled again. Under RTNL.
    fn disable_changed(dev: &NetDevice, disabled: bool);
    /// `addr_gen_mode` of `dev` changed (`addrconf_init_auto_addrs()`). Under RTNL.
    fn addr_gen_mode_changed(dev: &NetDevice);
}

/// Which `ipv6_devconf` a table is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    All,
    Default,
    Dev,
}

/// `extra1` of special entries: the table's scope and, for devices, the inet6_dev.
/// Kept in the entry itself: `extra1` = inet6_dev (or null), `extra2` = net, and the
/// scope follows from comparing `data` with the namespace's all/default structs.
fn scope_of(ctl: &b::ctl_table) -> Scope {
    // SAFETY: `extra2` of our entries is their namespace, alive while the table is.
    let net = ctl.extra2.cast::<b::net>();
    // SAFETY: as above.
    let (all, dflt) = unsafe { ((*net).ipv6.devconf_all, (*net).ipv6.devconf_dflt) };
    let d = ctl.data as usize;
    let within = |c: *mut b::ipv6_devconf| {
        let s = c as usize;
        (s..s + core::mem::size_of::<b::ipv6_devconf>()).contains(&d)
    };
    if within(all) {
        Scope::All
    } else if within(dflt) {
        Scope::Default
    } else {
        Scope::Dev
    }
}

type Handler = unsafe extern "C" fn(
    *const b::ctl_table,
    c_int,
    *mut c_void,
    *mut usize,
    *mut b::loff_t,
) -> c_int;

fn handler<E: DevconfEvents>(k: Kind) -> Handler {
    match k {
        Kind::Int => b::proc_dointvec,
        Kind::IntMinMax(..) | Kind::IntMin(_) => b::proc_dointvec_minmax,
        Kind::Jiffies => b::proc_dointvec_jiffies,
        Kind::MsJiffies => b::proc_dointvec_ms_jiffies,
        Kind::Uint => b::proc_douintvec,
        Kind::UintMinMax(..) => b::proc_douintvec_minmax,
        Kind::U8Bool => b::proc_dou8vec_minmax,
        Kind::Forward => sysctl_forward::<E>,
        Kind::Disable => sysctl_disable::<E>,
        Kind::Mtu => sysctl_mtu,
        Kind::StableSecret => sysctl_stable_secret,
        Kind::AddrGenMode => sysctl_addr_gen_mode::<E>,
    }
}

/// Registers `net/ipv6/conf/<name>` for `cnf` (the device's `inet6_dev.cnf` when `idev`
/// is given). Returns the header to unregister with.
///
/// # Safety
/// `cnf` (and `idev`) must stay valid until [`unregister`]; `net` must be live.
pub(crate) unsafe fn register<E: DevconfEvents>(
    net: *mut b::net,
    name: &str,
    cnf: *mut b::ipv6_devconf,
    idev: *mut b::inet6_dev,
) -> Result<*mut b::ctl_table_header> {
    let mut table = KVec::with_capacity(ENTRIES.len(), GFP_KERNEL)?;
    for e in ENTRIES {
        let (extra1, extra2): (*const c_void, *const c_void) = match e.kind {
            Kind::IntMinMax(lo, hi) => ((lo as *const i32).cast(), (hi as *const i32).cast()),
            Kind::IntMin(lo) => ((lo as *const i32).cast(), core::ptr::null()),
            Kind::UintMinMax(lo, hi) => (
                (lo as *const u32).cast(),
                hi.map_or(core::ptr::null(), |h| (h as *const u32).cast()),
            ),
            // proc_dou8vec_minmax() reads its bounds as unsigned ints.
            Kind::U8Bool => (
                (&U_ZERO as *const u32).cast(),
                (&U_ONE as *const u32).cast(),
            ),
            // Our handlers find the device and namespace here.
            _ => (idev.cast_const().cast(), net.cast_const().cast()),
        };
        table.push(
            b::ctl_table {
                procname: e.name.as_ptr().cast(),
                // SAFETY: `off` is the offset of a field of `*cnf` (offset_of!).
                data: unsafe { cnf.cast::<u8>().add(e.off) }.cast(),
                maxlen: if matches!(e.kind, Kind::StableSecret) {
                    IPV6_MAX_STRLEN
                } else {
                    e.size as c_int
                },
                mode: 0o644,
                proc_handler: Some(handler::<E>(e.kind)),
                extra1: extra1.cast_mut(),
                extra2: extra2.cast_mut(),
                ..Default::default()
            },
            GFP_KERNEL,
        )?;
    }
    let mut path = PathBuf::default();
    let _ = core::fmt::write(&mut path, format_args!("net/ipv6/conf/{name}"));
    // SAFETY: caller's promise for `cnf`/`idev`; the helper copies table and path.
    let h = unsafe {
        b::ipv6_rs_sysctl_register(net, path.buf.as_ptr().cast(), table.as_ptr(), table.len())
    };
    if h.is_null() {
        return Err(ENOMEM);
    }
    Ok(h)
}

/// `IPV6_MAX_STRLEN`: room for the longest textual IPv6 address.
const IPV6_MAX_STRLEN: c_int = 46;

/// A NUL-terminated path, at most 63 bytes.
struct PathBuf {
    buf: [u8; 64],
    len: usize,
}

impl Default for PathBuf {
    fn default() -> Self {
        Self {
            buf: [0; 64],
            len: 0,
        }
    }
}

impl core::fmt::Write for PathBuf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let n = s.len().min(self.buf.len() - 1 - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// Unregisters a table made by [`register`].
///
/// # Safety
/// `h` must come from [`register`] and not be unregistered yet (or be null).
pub(crate) unsafe fn unregister(h: *mut b::ctl_table_header) {
    // SAFETY: caller's promise; waits for handlers in flight.
    unsafe { b::ipv6_rs_sysctl_unregister(h) };
}

/// Runs the kernel's integer handler on a copy of the entry whose value is `val`.
///
/// # Safety
/// Arguments of a running sysctl handler.
unsafe fn dointvec_on(
    ctl: *const b::ctl_table,
    val: &mut i32,
    min: Option<&i32>,
    max: Option<&i32>,
    write: c_int,
    buf: *mut c_void,
    lenp: *mut usize,
    ppos: *mut b::loff_t,
) -> c_int {
    // SAFETY: `ctl` is the running entry.
    let mut l = unsafe { *ctl };
    l.data = (val as *mut i32).cast();
    l.extra1 = min.map_or(core::ptr::null_mut(), |m| {
        (m as *const i32).cast_mut().cast()
    });
    l.extra2 = max.map_or(core::ptr::null_mut(), |m| {
        (m as *const i32).cast_mut().cast()
    });
    // SAFETY: a valid entry over `val`, with the caller's buffer arguments.
    unsafe {
        if min.is_some() || max.is_some() {
            b::proc_dointvec_minmax(&l, write, buf, lenp, ppos)
        } else {
            b::proc_dointvec(&l, write, buf, lenp, ppos)
        }
    }
}

/// Takes RTNL for a handler, or asks for the system call to be restarted.
fn rtnl_or_restart() -> Result<crate::net::netlink::RtnlGuard, c_int> {
    crate::net::netlink::RtnlGuard::try_lock().ok_or_else(|| {
        // SAFETY: plain helper.
        unsafe { b::ipv6_rs_restart_syscall() }
    })
}

/// Devices of the namespace whose IPv6 state is present, under RTNL.
fn for_each_idev(net: &Net, mut f: impl FnMut(&NetDevice, *mut b::inet6_dev)) {
    // SAFETY: our callers hold RTNL.
    let rtnl = unsafe { crate::net::netlink::RtnlHeld::new() };
    crate::net::device::for_each_dev(rtnl, net, |dev| {
        // SAFETY: a live device under RTNL.
        let idev = unsafe { b::ipv6_rs_dev_idev(dev.as_ptr()) };
        if !idev.is_null() {
            f(dev, idev);
        }
    });
}

/// The common part of `forwarding` and `disable_ipv6`: the kernel's integer handler on a
/// copy; a successful write is stored under RTNL, and the old and new values and the
/// RTNL guard are returned for the side effects. `Ok(None)` for a read.
///
/// # Safety
/// Arguments of a running sysctl handler whose entry's data is an int of a live
/// `ipv6_devconf`.
unsafe fn write_int_under_rtnl(
    ctl: *const b::ctl_table,
    write: c_int,
    buf: *mut c_void,
    lenp: *mut usize,
    ppos: *mut b::loff_t,
) -> Result<Option<(i32, i32, crate::net::netlink::RtnlGuard)>, c_int> {
    // SAFETY: the running entry (caller).
    let p = unsafe { (*ctl).data.cast::<i32>() };
    // SAFETY: an int of a live ipv6_devconf (caller).
    let mut val = unsafe { p.read() };
    // SAFETY: handler arguments passed on.
    let rc = unsafe { dointvec_on(ctl, &mut val, None, None, write, buf, lenp, ppos) };
    if rc != 0 {
        return Err(rc);
    }
    if write == 0 {
        return Ok(None);
    }
    let rtnl = rtnl_or_restart()?;
    // SAFETY: RTNL held; the struct is live while its table is.
    let old = unsafe { p.read() };
    // SAFETY: as above.
    unsafe { p.write(val) };
    Ok(Some((old, val, rtnl)))
}

/// `addrconf_sysctl_forward()`.
unsafe extern "C" fn sysctl_forward<E: DevconfEvents>(
    ctl: *const b::ctl_table,
    write: c_int,
    buf: *mut c_void,
    lenp: *mut usize,
    ppos: *mut b::loff_t,
) -> c_int {
    // SAFETY: handler arguments passed on.
    let (old, val, _rtnl) = match unsafe { write_int_under_rtnl(ctl, write, buf, lenp, ppos) } {
        Ok(Some(w)) => w,
        Ok(None) => return 0,
        Err(rc) => return rc,
    };
    // SAFETY: the running entry.
    let c = unsafe { &*ctl };
    let net = c.extra2.cast::<b::net>();
    // SAFETY: the namespace of a sysctl being written: live, with our state, until its
    // tables are unregistered in `net_exit`.
    let ns = unsafe { Net::from_raw(net) };
    match scope_of(c) {
        Scope::Default => {}
        Scope::All => {
            // SAFETY: the namespace's default struct, RTNL held.
            unsafe { (*(*net).ipv6.devconf_dflt).forwarding = val };
            for_each_idev(ns, |dev, idev| {
                // SAFETY: live inet6_dev under RTNL.
                let cnf = unsafe { &mut (*idev).cnf };
                let was = cnf.forwarding;
                cnf.forwarding = val;
                if (was != 0) != (val != 0) {
                    E::forwarding_changed(dev, val != 0);
                }
            });
        }
        Scope::Dev => {
            // SAFETY: extra1 of a device entry is its inet6_dev, live with the table.
            let dev = unsafe { NetDevice::from_raw((*c.extra1.cast::<b::inet6_dev>()).dev) };
            if (old != 0) != (val != 0) {
                E::forwarding_changed(dev, val != 0);
            }
        }
    }
    0
}

/// `addrconf_sysctl_disable()`.
unsafe extern "C" fn sysctl_disable<E: DevconfEvents>(
    ctl: *const b::ctl_table,
    write: c_int,
    buf: *mut c_void,
    lenp: *mut usize,
    ppos: *mut b::loff_t,
) -> c_int {
    // SAFETY: handler arguments passed on.
    let (old, val, _rtnl) = match unsafe { write_int_under_rtnl(ctl, write, buf, lenp, ppos) } {
        Ok(Some(w)) => w,
        Ok(None) => return 0,
        Err(rc) => return rc,
    };
    // SAFETY: the running entry.
    let c = unsafe { &*ctl };
    let net = c.extra2.cast::<b::net>();
    // SAFETY: the namespace of a sysctl being written: live, with our state, until its
    // tables are unregistered in `net_exit`.
    let ns = unsafe { Net::from_raw(net) };
    let apply = |dev: &NetDevice, idev: *mut b::inet6_dev, was: i32| {
        // SAFETY: live inet6_dev under RTNL.
        unsafe { (*idev).cnf.disable_ipv6 = val };
        if (was != 0) != (val != 0) {
            E::disable_changed(dev, val != 0);
        }
    };
    match scope_of(c) {
        Scope::Default => {}
        Scope::All => {
            // SAFETY: the namespace's default struct, RTNL held.
            unsafe { (*(*net).ipv6.devconf_dflt).disable_ipv6 = val };
            for_each_idev(ns, |dev, idev| {
                // SAFETY: live inet6_dev under RTNL.
                let was = unsafe { (*idev).cnf.disable_ipv6 };
                apply(dev, idev, was);
            });
        }
        Scope::Dev => {
            let idev = c.extra1.cast::<b::inet6_dev>();
            // SAFETY: extra1 of a device entry is its live inet6_dev.
            let dev = unsafe { NetDevice::from_raw((*idev).dev) };
            apply(dev, idev, old);
        }
    }
    0
}

/// `addrconf_sysctl_mtu()`: from the IPv6 minimum up to the device's MTU.
unsafe extern "C" fn sysctl_mtu(
    ctl: *const b::ctl_table,
    write: c_int,
    buf: *mut c_void,
    lenp: *mut usize,
    ppos: *mut b::loff_t,
) -> c_int {
    static MIN_MTU: i32 = crate::conf::IPV6_MIN_MTU as i32;
    // SAFETY: the running entry.
    let c = unsafe { &*ctl };
    let p = c.data.cast::<i32>();
    // SAFETY: an int of a live ipv6_devconf.
    let mut val = unsafe { p.read() };
    let idev = c.extra1.cast::<b::inet6_dev>();
    let dev_mtu;
    let max = if idev.is_null() {
        None
    } else {
        // SAFETY: a device entry's live inet6_dev and its device.
        dev_mtu = unsafe { (*(*idev).dev).mtu as i32 };
        Some(&dev_mtu)
    };
    // SAFETY: handler arguments passed on.
    let rc = unsafe { dointvec_on(ctl, &mut val, Some(&MIN_MTU), max, write, buf, lenp, ppos) };
    if write != 0 && rc == 0 {
        // SAFETY: as above.
        unsafe { p.write(val) };
    }
    rc
}

/// `addrconf_sysctl_addr_gen_mode()`: 0 to 3 (`EINVAL` otherwise), 2 on a device only
/// with a secret (its own or `default`'s); a device whose mode changes gets the new
/// mode's link-local address; `all` sets `default` and every device.
unsafe extern "C" fn sysctl_addr_gen_mode<E: DevconfEvents>(
    ctl: *const b::ctl_table,
    write: c_int,
    buf: *mut c_void,
    lenp: *mut usize,
    ppos: *mut b::loff_t,
) -> c_int {
    let _rtnl = match rtnl_or_restart() {
        Ok(g) => g,
        Err(rc) => return rc,
    };
    // SAFETY: the running entry.
    let c = unsafe { &*ctl };
    let p = c.data.cast::<u32>();
    // SAFETY: a u32 of a live ipv6_devconf.
    let mut val = unsafe { p.read() };
    let mut l = *c;
    l.data = (&raw mut val).cast();
    l.extra1 = core::ptr::null_mut();
    l.extra2 = core::ptr::null_mut();
    // SAFETY: an entry over `val`, with the caller's buffer arguments.
    let rc = unsafe { b::proc_douintvec(&l, write, buf, lenp, ppos) };
    if rc != 0 || write == 0 {
        return rc;
    }
    if val > 3 {
        return -(b::EINVAL as c_int);
    }
    let net = c.extra2.cast::<b::net>();
    // SAFETY: the namespace of a sysctl being written: live, with our state, until its
    // tables are unregistered in `net_exit`.
    let ns = unsafe { Net::from_raw(net) };
    // SAFETY: the namespace's default struct, RTNL held.
    let dflt_secret = unsafe { (*(*net).ipv6.devconf_dflt).stable_secret.initialized };
    match scope_of(c) {
        Scope::Dev => {
            let idev = c.extra1.cast::<b::inet6_dev>();
            // SAFETY: extra1 of a device entry is its live inet6_dev, RTNL held.
            let (cnf, dev) = unsafe { (&mut (*idev).cnf, NetDevice::from_raw((*idev).dev)) };
            if val == 2 && !cnf.stable_secret.initialized && !dflt_secret {
                return -(b::EINVAL as c_int);
            }
            if cnf.addr_gen_mode != val {
                cnf.addr_gen_mode = val;
                E::addr_gen_mode_changed(dev);
            }
        }
        Scope::All => {
            // SAFETY: the namespace's default struct, RTNL held.
            unsafe { (*(*net).ipv6.devconf_dflt).addr_gen_mode = val };
            for_each_idev(ns, |dev, idev| {
                // SAFETY: live inet6_dev under RTNL.
                let cnf = unsafe { &mut (*idev).cnf };
                if cnf.addr_gen_mode != val {
                    cnf.addr_gen_mode = val;
                    E::addr_gen_mode_changed(dev);
                }
            });
        }
        Scope::Default => {}
    }
    // SAFETY: as above.
    unsafe { p.write(val) };
    0
}

/// `addrconf_sysctl_stable_secret()`: an IPv6 address; reading an unset one fails.
unsafe extern "C" fn sysctl_stable_secret(
    ctl: *const b::ctl_table,
    write: c_int,
    buf: *mut c_void,
    lenp: *mut usize,
    ppos: *mut b::loff_t,
) -> c_int {
    // `all` has no secret: mainline refuses it both ways.
    // SAFETY: the running entry.
    if scope_of(unsafe { &*ctl }) == Scope::All {
        return EIO_NEG;
    }
    // SAFETY: the running entry; its data is the ipv6_devconf's stable_secret.
    let secret = unsafe { &mut *(*ctl).data.cast::<b::ipv6_devconf_ipv6_stable_secret>() };
    let mut text = [0u8; IPV6_MAX_STRLEN as usize];
    if write == 0 && !secret.initialized {
        return EIO_NEG;
    }
    if write == 0 {
        // SAFETY: every bit pattern of the in6_addr union is a valid [u8; 16].
        let a = core::net::Ipv6Addr::from(unsafe { secret.secret.in6_u.u6_addr8 });
        // Mainline prints it uncompressed ("%pI6").
        let s = a.segments();
        let mut p = PathBuf::default();
        let _ = core::fmt::write(
            &mut p,
            format_args!(
                "{:04x}:{:04x}:{:04x}:{:04x}:{:04x}:{:04x}:{:04x}:{:04x}",
                s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
            ),
        );
        text[..p.len].copy_from_slice(&p.buf[..p.len]);
    }
    // SAFETY: the running entry.
    let mut l = unsafe { *ctl };
    l.data = text.as_mut_ptr().cast();
    l.maxlen = IPV6_MAX_STRLEN;
    // SAFETY: a string entry over `text`, with the caller's buffer arguments.
    let rc = unsafe { b::proc_dostring(&l, write, buf, lenp, ppos) };
    if rc != 0 || write == 0 {
        return rc;
    }
    let len = text.iter().position(|&c| c == 0).unwrap_or(text.len());
    let parsed = core::str::from_utf8(&text[..len])
        .ok()
        .and_then(|s| s.trim().parse::<core::net::Ipv6Addr>().ok());
    // Mainline answers an unparsable secret with EIO.
    let Some(a) = parsed else {
        return EIO_NEG;
    };
    let _rtnl = match rtnl_or_restart() {
        Ok(g) => g,
        Err(rc) => return rc,
    };
    secret.secret.in6_u.u6_addr8 = a.octets();
    secret.initialized = true;
    // A secret selects stable privacy addresses (RFC 7217) for what it applies to.
    // SAFETY: the running entry.
    let c = unsafe { &*ctl };
    let net = c.extra2.cast::<b::net>();
    // SAFETY: the namespace of a sysctl being written: live, with our state, until its
    // tables are unregistered in `net_exit`.
    let ns = unsafe { Net::from_raw(net) };
    match scope_of(c) {
        // Mainline switches every device, not `default` itself.
        Scope::Default => for_each_idev(ns, |_, idev| {
            // SAFETY: live inet6_dev under RTNL.
            unsafe { (*idev).cnf.addr_gen_mode = GEN_STABLE };
        }),
        Scope::All => {}
        Scope::Dev => {
            // SAFETY: extra1 of a device entry is its live inet6_dev.
            unsafe { (*c.extra1.cast::<b::inet6_dev>()).cnf.addr_gen_mode = GEN_STABLE };
        }
    }
    0
}

/// `IN6_ADDR_GEN_MODE_STABLE_PRIVACY`.
const GEN_STABLE: u32 = 2;

const EIO_NEG: c_int = -(b::EIO as c_int);
