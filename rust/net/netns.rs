// SPDX-License-Identifier: GPL-2.0

//! Per-network-namespace state, registered as a `pernet_operations` subsystem (mainline:
//! `inet6_net_ops` in `net/ipv6/af_inet6.c` and `struct netns_ipv6`).
//!
//! The kernel allocates (zeroed) and frees our per-namespace memory; we construct a
//! [`NetState`] in it when a namespace is created (and, at registration, in every
//! namespace that already exists) and drop it when the namespace goes away (and, at
//! unregistration, in every namespace still alive).

use crate::net::{devconf::kernel_devconf, procfs, procfs::SeqShow, sysctl, sysctl::DevconfEvents};

use crate::net::fib_store;
use crate::{bindings, conf::DevConf};
use core::{
    any::TypeId,
    cell::UnsafeCell,
    ffi::c_void,
    marker::{PhantomData, PhantomPinned},
    mem::size_of,
    ptr::NonNull,
    sync::atomic::{AtomicU32, Ordering},
};
use kernel::{error::to_result, ffi::c_int, prelude::*, types::Opaque};

/// A delayed work of a namespace that calls a function with it in process context;
/// dropping it cancels it and waits for a running call.
pub(crate) struct NetWork(NonNull<bindings::ipv6_rs_addr_chk>);

/// What a [`NetWork`] does, in process context, with its namespace.
pub(crate) trait NetWorkFn {
    /// Runs the work for `net`.
    fn run(net: &Net);
}

/// The C callback of a [`NetWork`] doing `F`.
///
/// # Safety
/// Called from the workqueue with the namespace the work was made for, which is live
/// and has our state: the work is cancelled and freed before the state is dropped.
unsafe extern "C" fn run_work<F: NetWorkFn>(net: *mut bindings::net) {
    // SAFETY: see the function's contract.
    F::run(unsafe { Net::from_raw(net) });
}

impl NetWork {
    /// A work doing `F` for `net`; `deferrable` lets an idle CPU run it late.
    ///
    /// # Safety
    /// `net` must outlive the work.
    unsafe fn new<F: NetWorkFn>(net: *mut bindings::net, deferrable: bool) -> Result<Self> {
        // SAFETY: plain allocation; the caller vouches for `net`, and `run_work::<F>`
        // keeps the callback's contract.
        let w = unsafe { bindings::ipv6_rs_addr_chk_alloc(net, Some(run_work::<F>), deferrable) };
        NonNull::new(w).map(Self).ok_or(ENOMEM)
    }

    /// Arms it to run after `delay` jiffies, unless it is armed already.
    pub(crate) fn start(&self, delay: u64) {
        // SAFETY: live until drop.
        unsafe { bindings::ipv6_rs_addr_chk_start(self.0.as_ptr(), delay as _) };
    }

    /// (Re)arms it to run after `delay` jiffies.
    pub(crate) fn schedule(&self, delay: u64) {
        // SAFETY: live until drop.
        unsafe { bindings::ipv6_rs_addr_chk_schedule(self.0.as_ptr(), delay as _) };
    }
}

impl Drop for NetWork {
    fn drop(&mut self) {
        // SAFETY: ours; cancels, waits for a running call, frees.
        unsafe { bindings::ipv6_rs_addr_chk_free(self.0.as_ptr()) };
    }
}

/// A namespace's packet and route limits, as [`Net::limits`] reads them.
pub(crate) type NetLimits = bindings::ipv6_rs_net_limits;

/// A network namespace (`struct net`).
///
/// # Invariants
/// Only ever seen as `&Net`, and the namespace is alive, with ipv6_rs's [`NetState`] in
/// it, for that reference's lifetime. References come from what holds the namespace: a
/// device (RTNL or RCU), a socket, a packet being received, a netlink request, a `/proc`
/// file being read, or the pernet callbacks between init and exit. The state is there
/// for all of them, because the pernet subsystem is registered before anything that
/// hands out a reference, and unregistered after it.
#[repr(transparent)]
pub(crate) struct Net(Opaque<bindings::net>);

// SAFETY: namespaces are shared between CPUs by design; `Net` gives access only to what
// the kernel synchronises itself or our state's own locks do.
unsafe impl Send for Net {}
// SAFETY: as above.
unsafe impl Sync for Net {}

impl Net {
    /// # Safety
    /// `ptr` must point to a live namespace whose pernet init for our subsystem ran, and
    /// both must stay so for `'a` (see the type's invariants).
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net) -> &'a Net {
        // SAFETY: `Net` is `repr(transparent)` over the C struct; the rest is the
        // caller's promise.
        unsafe { &*ptr.cast::<Net>() }
    }

    /// The C `struct net`.
    pub(crate) fn as_ptr(&self) -> *mut bindings::net {
        self.0.get()
    }

    /// Something in the namespace's routing (routes, exceptions, rules) changed: the
    /// routes handed out to other modules before are stale (`fib6_new_sernum()`).
    pub(crate) fn routes_changed(&self) {
        // SAFETY: a live namespace (type invariant).
        unsafe { bindings::ipv6_rs_routes_changed(self.as_ptr()) }
    }

    /// `net.ipv6.idgen_retries`: how often a stable privacy address is made anew.
    pub(crate) fn idgen_retries(&self) -> i32 {
        // SAFETY: a live namespace (type invariant).
        unsafe { bindings::ipv6_rs_net_idgen_retries(self.as_ptr()) }
    }

    /// `net.ipv6.conf.all.forwarding`: whether this namespace routes.
    pub(crate) fn forwarding(&self) -> bool {
        // SAFETY: a live namespace (type invariant); a plain read.
        unsafe { bindings::ipv6_rs_net_forwarding(self.as_ptr()) }
    }

    /// `net.ipv6.conf.all.proxy_ndp`.
    pub(crate) fn proxy_ndp(&self) -> i32 {
        // SAFETY: a live namespace (type invariant); a plain read.
        unsafe { bindings::ipv6_rs_net_proxy_ndp(self.as_ptr()) }
    }

    /// The namespace's packet and route limits (`net.ipv6.max_*`, `icmp.echo_ignore_*`,
    /// `route.mtu_expires`, `route.gc_timeout`).
    pub(crate) fn limits(&self) -> NetLimits {
        let mut l = NetLimits::default();
        // SAFETY: a live namespace (type invariant); `l` is ours to fill.
        unsafe { bindings::ipv6_rs_net_limits(self.as_ptr(), &mut l) };
        l
    }

    /// The inet_peer token bucket of `addr` in this namespace (`inet_peer_xrlim_allow()`
    /// with `timeout` jiffies): whether one more message to it may go now.
    pub(crate) fn peer_allow(&self, addr: &core::net::Ipv6Addr, timeout: u64) -> bool {
        let timeout = i32::try_from(timeout).unwrap_or(i32::MAX);
        // SAFETY: a live namespace (type invariant); the helper copies the address.
        unsafe { bindings::ipv6_rs_peer_allow(self.as_ptr(), &super::in6(addr), timeout) }
    }

    /// `net.ipv6.fib_multipath_hash_policy` and `fib_multipath_hash_fields`.
    pub(crate) fn multipath_hash_policy(&self) -> (u8, u32) {
        // SAFETY: a live namespace (type invariant); plain reads.
        unsafe {
            (
                bindings::ipv6_rs_mp_hash_policy(self.as_ptr()),
                bindings::ipv6_rs_mp_hash_fields(self.as_ptr()),
            )
        }
    }

    /// `ipv6_select_ident()`: the fragment identification for a packet from `src` to
    /// `dst`.
    pub(crate) fn select_ident(&self, dst: &core::net::Ipv6Addr, src: &core::net::Ipv6Addr) -> u32 {
        // SAFETY: a live namespace (type invariant); the helper reads the addresses.
        unsafe { bindings::ipv6_rs_select_ident(self.as_ptr(), &super::in6(dst), &super::in6(src)) }
    }

    /// `net.ipv6.route.gc_interval`, in jiffies.
    pub(crate) fn route_gc_interval(&self) -> u64 {
        // SAFETY: a live namespace (type invariant); a plain read.
        unsafe { bindings::ipv6_rs_net_gc_interval(self.as_ptr()) as u64 }
    }

    /// A privileged port that the caller may not bind here
    /// (`inet_port_requires_bind_service()` without `CAP_NET_BIND_SERVICE`).
    pub(crate) fn port_needs_cap(&self, port: u16) -> bool {
        // SAFETY: a live namespace (type invariant).
        unsafe { bindings::ipv6_rs_port_needs_cap(self.as_ptr(), port) }
    }

    /// The protocol handlers' state in this namespace ([`PernetHandlers::State`]);
    /// `None` only if asked for another type than the one registered.
    pub(crate) fn handlers<S: 'static>(&self) -> Option<&S> {
        self.state().handlers.get::<S>()
    }

    /// ipv6_rs's state in this namespace.
    fn state(&self) -> &NetState {
        // SAFETY: by the type invariant, the namespace is live with our state written
        // in it for as long as `self` is borrowed.
        unsafe { &*state_ptr(self.as_ptr()) }
    }
}

/// The protocol handlers, as the namespace subsystem sets them up in each namespace:
/// their own state, the works, `/proc/net` files and `conf/{all,default}` sysctl
/// behaviour that come with a namespace. The kernel layer names no handler; the module
/// registers [`PernetRegistration`] with the handlers' implementation.
pub(crate) trait PernetHandlers: 'static {
    /// The handlers' own state in a namespace ([`Net::handlers`]), constructed after
    /// the kernel layer's and dropped after the works that read it stopped.
    type State: Send + Sync + 'static;
    /// What the namespace's address check does (mainline's `addr_chk_work`; armed by
    /// [`schedule_addr_check`] and by writes of `net.ipv6.route.flush`).
    type AddrCheck: NetWorkFn;
    /// The route garbage collector (mainline's `ip6_fib_timer`; [`route_gc`]).
    type RouteGc: NetWorkFn;
    /// `/proc/net/if_inet6`.
    type IfInet6: SeqShow;
    /// `/proc/net/snmp6`.
    type Snmp6: SeqShow;
    /// `/proc/net/ipv6_route`.
    type Ipv6Route: SeqShow;
    /// `/proc/net/igmp6`.
    type Igmp6: SeqShow;
    /// `/proc/net/mcfilter6`.
    type Mcfilter6: SeqShow;
    /// `/proc/net/anycast6`.
    type Anycast6: SeqShow;
    /// What writes of `forwarding` and `disable_ipv6` under `conf/all` and
    /// `conf/default` do.
    type Devconf: DevconfEvents;
    /// The handlers' state for a new namespace.
    fn new_state() -> Result<Self::State>;
}

/// The handlers' state of one namespace, of the type their [`PernetHandlers::State`]
/// names, which the kernel layer keeps without naming it.
///
/// # Invariants
/// `ptr` is a `KBox<S>` turned into a raw pointer, where `TypeId::of::<S>() == ty` and
/// `drop_fn` is `drop_box::<S>`; `S: Send + Sync`.
struct HandlerState {
    ptr: NonNull<c_void>,
    ty: TypeId,
    drop_fn: unsafe fn(NonNull<c_void>),
}

// SAFETY: it owns an `S: Send + Sync` (type invariant).
unsafe impl Send for HandlerState {}
// SAFETY: as above.
unsafe impl Sync for HandlerState {}

/// # Safety
/// `p` must come from `KBox::<S>::into_raw` and not be used afterwards.
unsafe fn drop_box<S>(p: NonNull<c_void>) {
    // SAFETY: the caller's promise.
    drop(unsafe { KBox::from_raw(p.as_ptr().cast::<S>()) });
}

impl HandlerState {
    fn new<S: Send + Sync + 'static>(s: S) -> Result<Self> {
        let p = KBox::into_raw(KBox::new(s, GFP_KERNEL)?);
        Ok(Self {
            // SAFETY: a box's pointer is never null.
            ptr: unsafe { NonNull::new_unchecked(p.cast()) },
            ty: TypeId::of::<S>(),
            drop_fn: drop_box::<S>,
        })
    }

    fn get<S: 'static>(&self) -> Option<&S> {
        // SAFETY: a `KBox<S>` when the types match (type invariant), borrowed with
        // `self`.
        (self.ty == TypeId::of::<S>()).then(|| unsafe { &*self.ptr.as_ptr().cast::<S>() })
    }
}

impl Drop for HandlerState {
    fn drop(&mut self) {
        // SAFETY: the box of the type invariant, dropped once.
        unsafe { (self.drop_fn)(self.ptr) };
    }
}

/// ipv6_rs's state in one network namespace.
pub(crate) struct NetState {
    /// The routes' anchors in the kernel's nexthop objects; emptied before the tables.
    nexthops: crate::net::nexthop::Anchors,
    /// The route garbage collector (mainline `ip6_fib_timer`). First, so that it is
    /// dropped, and so stopped, before the tables it reads.
    route_gc: NetWork,
    /// The address lifetime check of this namespace (mainline `addr_chk_work`).
    addr_chk: *mut bindings::ipv6_rs_addr_chk,
    /// `net.ipv6.conf.all`, published as `net->ipv6.devconf_all` for the kernel's readers.
    conf_all: KBox<bindings::ipv6_devconf>,
    /// `net.ipv6.conf.default` (`net->ipv6.devconf_dflt`), copied to each new device.
    conf_default: KBox<bindings::ipv6_devconf>,
    /// The routing tables.
    fib: fib_store::Fib,
    /// The handlers' own state (address labels, route exceptions, ...).
    handlers: HandlerState,
}

impl NetState {
    /// # Safety
    /// `net` is being set up and lives until its exit drops this.
    unsafe fn new<T: PernetHandlers>(
        net: *mut bindings::net,
        addr_chk: *mut bindings::ipv6_rs_addr_chk,
    ) -> Result<Self> {
        Ok(Self {
            nexthops: crate::net::nexthop::Anchors::new()?,
            // SAFETY: the state, with the work, is dropped in `net_exit` while `net`
            // lives; `gc_run` may run until then.
            route_gc: unsafe { NetWork::new::<T::RouteGc>(net, false) }?,
            addr_chk,
            conf_all: KBox::new(kernel_devconf(&DevConf::ALL), GFP_KERNEL)?,
            conf_default: KBox::new(kernel_devconf(&DevConf::DEFAULT), GFP_KERNEL)?,
            fib: fib_store::Fib::new()?,
            handlers: HandlerState::new(T::new_state()?)?,
        })
    }
}

/// The `net_generic` id the kernel assigned to us; written by the kernel during
/// `register_pernet_subsys()`, before any init callback runs.
static NET_ID: AtomicU32 = AtomicU32::new(0);

/// Our slot in `net`'s generic array.
///
/// # Safety
/// `net` must be a live namespace and our subsystem registered, with its init for `net`
/// having run and its exit not yet.
unsafe fn state_ptr(net: *const bindings::net) -> *mut NetState {
    // SAFETY: `net` is live (caller); NET_ID was assigned at registration.
    unsafe { bindings::ipv6_rs_net_generic(net, NET_ID.load(Ordering::Relaxed)) }.cast()
}

/// The `net.ipv6.conf.default` settings of `net`, copied to each new device.
pub(crate) fn conf_default(net: &Net) -> bindings::ipv6_devconf {
    let st = net.state();
    // SAFETY: a plain C struct, so a bitwise copy is a copy; RTNL (held by callers)
    // serialises it with sysctl writers.
    let mut c = unsafe { core::ptr::read(&*st.conf_default) };
    c.sysctl_header = core::ptr::null_mut();
    c
}

/// The `net.ipv6.conf.all` settings of `net`.
pub(crate) fn conf_all(net: &Net) -> bindings::ipv6_devconf {
    let st = net.state();
    // SAFETY: as in `conf_default`.
    unsafe { core::ptr::read(&*st.conf_all) }
}

/// The nexthop anchors of `net` (`Anchors` synchronises its own contents).
pub(crate) fn nexthops(net: &Net) -> &crate::net::nexthop::Anchors {
    &net.state().nexthops
}

/// The routing tables of `net` (`Fib` synchronises its own contents).
pub(crate) fn fib(net: &Net) -> &fib_store::Fib {
    &net.state().fib
}

/// `net`'s route garbage collector.
pub(crate) fn route_gc(net: &Net) -> &NetWork {
    &net.state().route_gc
}

/// Arms `net`'s address lifetime check to run after `delay` jiffies.
pub(crate) fn schedule_addr_check(net: &Net, delay: u64) {
    let chk = net.state().addr_chk;
    // SAFETY: allocated in `net_init`, freed only in `net_exit`, after which no caller
    // remains.
    unsafe { bindings::ipv6_rs_addr_chk_schedule(chk, delay as _) };
}

/// The kernel-owned parts of a namespace's IPv6 state that mainline's `inet6_net_init()`
/// and friends set up: MIBs, `net->ipv6.sysctl` and the inet_peer base, reassembly
/// queues. All or nothing.
///
/// # Safety
/// `net` is being set up by our pernet subsystem; undone by [`base_exit`].
unsafe fn base_init(net: *mut bindings::net) -> c_int {
    // SAFETY: caller's promise; each step is undone if a later one fails.
    unsafe {
        let rc = bindings::ipv6_rs_net_mibs_alloc(net);
        if rc != 0 {
            return rc;
        }
        let rc = bindings::ipv6_rs_net_ipv6_init(net);
        if rc != 0 {
            bindings::ipv6_rs_net_mibs_free(net);
            return rc;
        }
        let rc = bindings::ipv6_rs_net_frags_init(net);
        if rc != 0 {
            bindings::ipv6_rs_net_ipv6_exit(net);
            bindings::ipv6_rs_net_mibs_free(net);
            return rc;
        }
    }
    0
}

/// Undoes [`base_init`] (its `pre_exit` part must have run).
///
/// # Safety
/// `net` went through [`base_init`]; nothing uses these parts any more.
unsafe fn base_exit(net: *mut bindings::net) {
    // SAFETY: caller's promise.
    unsafe {
        bindings::ipv6_rs_net_frags_exit(net);
        bindings::ipv6_rs_net_ipv6_exit(net);
        bindings::ipv6_rs_net_mibs_free(net);
    }
}

/// `pernet_operations.init`: construct the state of a new namespace.
///
/// # Safety
/// Called by the pernet core with a namespace being set up, whose generic slot of
/// `size_of::<NetState>()` bytes is allocated and not yet initialised.
unsafe extern "C" fn net_init<T: PernetHandlers>(net: *mut bindings::net) -> c_int {
    // SAFETY: `net` is being set up; undone in `net_exit` or below on failure.
    let rc = unsafe { base_init(net) };
    if rc != 0 {
        return rc;
    }
    let fail = |rc: c_int| {
        // SAFETY: set up above and not used by anyone yet.
        unsafe {
            bindings::ipv6_rs_net_frags_pre_exit(net);
            base_exit(net);
        }
        rc
    };
    // SAFETY: `net` is being set up and lives until `net_exit`, which frees the work
    // after waiting for it.
    let addr_chk =
        unsafe { bindings::ipv6_rs_addr_chk_alloc(net, Some(run_work::<T::AddrCheck>), true) };
    if addr_chk.is_null() {
        return fail(kernel::error::code::ENOMEM.to_errno());
    }
    // SAFETY: `net` is being set up; `net_exit` drops the state.
    let state = match unsafe { NetState::new::<T>(net, addr_chk) } {
        Ok(s) => s,
        Err(e) => {
            // SAFETY: allocated above, not published.
            unsafe { bindings::ipv6_rs_addr_chk_free(addr_chk) };
            return fail(e.to_errno());
        }
    };
    // SAFETY: the slot is allocated for us, suitably aligned (kzalloc), and uninitialised.
    unsafe { state_ptr(net).write(state) };
    // SAFETY: written just above; the structs are boxed, so their addresses are stable
    // until `net_exit` clears the pointers before dropping the state.
    unsafe {
        let st = &mut *state_ptr(net);
        bindings::ipv6_rs_net_set_devconf(net, &mut *st.conf_all, &mut *st.conf_default);
    }
    // SAFETY: a namespace being set up; its rules go in `net_exit` (or below).
    let rules = kernel::error::to_result(unsafe { bindings::ipv6_rs_fib6_rules_net_init(net) });
    // SAFETY: `net` is being initialised by us; the files go in `net_exit` (or below).
    let created = rules.and_then(|()| {
        // SAFETY: as above.
        unsafe { create_proc_files::<T>(net) }.inspect_err(|_| {
            // SAFETY: registered just above, unused yet.
            unsafe { bindings::ipv6_rs_fib6_rules_net_exit(net) }
        })
    });
    if let Err(e) = created {
        // SAFETY: written just above; the kernel frees the memory after a failed init.
        unsafe {
            bindings::ipv6_rs_net_set_devconf(net, core::ptr::null_mut(), core::ptr::null_mut());
            bindings::ipv6_rs_addr_chk_free(addr_chk);
            state_ptr(net).drop_in_place();
        }
        return fail(e.to_errno());
    }
    0
}

/// `/proc/net/if_inet6`, `snmp6`, the `dev_snmp6` directory and the `conf/all` and
/// `conf/default` sysctl tables of a new namespace; on failure none of them.
///
/// # Safety
/// `net` is being initialised by our pernet subsystem, its state written.
unsafe fn create_proc_files<T: PernetHandlers>(net: *mut bindings::net) -> Result {
    // SAFETY: net.ipv6.* over the namespace's own fields; unregistered in `net_exit`,
    // before the address check that `route/flush` schedules is freed.
    kernel::error::to_result(unsafe {
        bindings::ipv6_rs_net_sysctls_register(net, (*state_ptr(net)).addr_chk)
    })?;
    // SAFETY: as above.
    let undo = || unsafe { bindings::ipv6_rs_net_sysctls_unregister(net) };
    // SAFETY: the state's boxed structs outlive the tables (unregistered in `net_exit`).
    unsafe {
        let st = &mut *state_ptr(net);
        let all: *mut bindings::ipv6_devconf = &mut *st.conf_all;
        let dflt: *mut bindings::ipv6_devconf = &mut *st.conf_default;
        (*all).sysctl_header =
            match sysctl::register::<T::Devconf>(net, "all", all, core::ptr::null_mut()) {
                Ok(h) => h,
                Err(e) => {
                    undo();
                    return Err(e);
                }
            };
        match sysctl::register::<T::Devconf>(net, "default", dflt, core::ptr::null_mut()) {
            Ok(h) => (*dflt).sysctl_header = h,
            Err(e) => {
                sysctl::unregister((*all).sysctl_header);
                undo();
                return Err(e);
            }
        }
        if let Err(e) = create_proc_entries::<T>(net) {
            sysctl::unregister((*dflt).sysctl_header);
            sysctl::unregister((*all).sysctl_header);
            undo();
            return Err(e);
        }
    }
    Ok(())
}

/// A namespace's entries under /proc/net, in the order [`create_proc_entries`] makes
/// them; they are removed in the reverse order.
#[derive(Clone, Copy)]
enum ProcEntry {
    IfInet6,
    Snmp6,
    DevSnmp6,
    Dgram,
    Ipv6Route,
    Igmp6,
    Mcfilter6,
    Anycast6,
}

const PROC_ENTRIES: [ProcEntry; 8] = [
    ProcEntry::IfInet6,
    ProcEntry::Snmp6,
    ProcEntry::DevSnmp6,
    ProcEntry::Dgram,
    ProcEntry::Ipv6Route,
    ProcEntry::Igmp6,
    ProcEntry::Mcfilter6,
    ProcEntry::Anycast6,
];

impl ProcEntry {
    /// Makes the entry, a file shown by `T`'s handler for it.
    ///
    /// # Safety
    /// `net` is a namespace being set up by us, without this entry yet.
    unsafe fn create<T: PernetHandlers>(self, net: *mut bindings::net) -> Result {
        let file = |name, show| {
            // SAFETY: the caller's promise.
            unsafe { procfs::create(net, name, show) }
        };
        match self {
            Self::IfInet6 => file(c"if_inet6", procfs::show_fn::<T::IfInet6>()),
            Self::Snmp6 => file(c"snmp6", procfs::show_fn::<T::Snmp6>()),
            // SAFETY: the caller's promise.
            Self::DevSnmp6 => to_result(unsafe { bindings::ipv6_rs_proc_devsnmp6_mkdir(net) }),
            // SAFETY: the caller's promise.
            Self::Dgram => to_result(unsafe { bindings::ipv6_rs_dgram_proc_init(net) }),
            Self::Ipv6Route => file(c"ipv6_route", procfs::show_fn::<T::Ipv6Route>()),
            Self::Igmp6 => file(c"igmp6", procfs::show_fn::<T::Igmp6>()),
            Self::Mcfilter6 => file(c"mcfilter6", procfs::show_fn::<T::Mcfilter6>()),
            Self::Anycast6 => file(c"anycast6", procfs::show_fn::<T::Anycast6>()),
        }
    }

    /// Removes the entry.
    ///
    /// # Safety
    /// `net` is one of our namespaces in which [`Self::create`] made this entry.
    unsafe fn remove(self, net: *mut bindings::net) {
        // SAFETY: the caller's promise, for each.
        unsafe {
            match self {
                Self::IfInet6 => procfs::remove(net, c"if_inet6"),
                Self::Snmp6 => procfs::remove(net, c"snmp6"),
                Self::DevSnmp6 => bindings::ipv6_rs_proc_devsnmp6_rmdir(net),
                Self::Dgram => bindings::ipv6_rs_dgram_proc_exit(net),
                Self::Ipv6Route => procfs::remove(net, c"ipv6_route"),
                Self::Igmp6 => procfs::remove(net, c"igmp6"),
                Self::Mcfilter6 => procfs::remove(net, c"mcfilter6"),
                Self::Anycast6 => procfs::remove(net, c"anycast6"),
            }
        }
    }
}

/// Removes `entries` in reverse order.
///
/// # Safety
/// As for [`ProcEntry::remove`], for each of them.
unsafe fn remove_proc_entries(net: *mut bindings::net, entries: &[ProcEntry]) {
    for e in entries.iter().rev() {
        // SAFETY: the caller's promise.
        unsafe { e.remove(net) };
    }
}

/// The /proc/net part of [`create_proc_files`]: all of [`PROC_ENTRIES`], or none.
///
/// # Safety
/// As for [`create_proc_files`].
unsafe fn create_proc_entries<T: PernetHandlers>(net: *mut bindings::net) -> Result {
    for (i, e) in PROC_ENTRIES.iter().enumerate() {
        // SAFETY: the caller's promise; each entry is made once, in order.
        if let Err(err) = unsafe { e.create::<T>(net) } {
            // SAFETY: the entries before this one were made just above.
            unsafe { remove_proc_entries(net, &PROC_ENTRIES[..i]) };
            return Err(err);
        }
    }
    Ok(())
}

/// `pernet_operations.exit`: drop the state of a namespace going away.
///
/// # Safety
/// Called by the pernet core once per namespace whose `net_init` succeeded.
unsafe extern "C" fn net_exit(net: *mut bindings::net) {
    // SAFETY: `net_init` registered the rules of this live namespace.
    unsafe { bindings::ipv6_rs_fib6_rules_net_exit(net) };
    // SAFETY: `net_init` made the files in this live namespace; its devices (and their
    // dev_snmp6 entries) are gone.
    unsafe {
        remove_proc_entries(net, &PROC_ENTRIES);
        let st = &mut *state_ptr(net);
        sysctl::unregister(st.conf_default.sysctl_header);
        sysctl::unregister(st.conf_all.sysctl_header);
        bindings::ipv6_rs_net_sysctls_unregister(net);
        bindings::ipv6_rs_net_set_devconf(net, core::ptr::null_mut(), core::ptr::null_mut());
    }
    // SAFETY: allocated in `net_init`; devices are gone (device exits run before
    // subsystem exits), so nothing schedules it again.
    unsafe { bindings::ipv6_rs_addr_chk_free((*state_ptr(net)).addr_chk) };
    // SAFETY: `net_init` wrote a NetState here; nothing uses it after exit; the kernel
    // frees the memory itself afterwards.
    unsafe { state_ptr(net).drop_in_place() };
    // SAFETY: set up in `net_init`; the packet type is gone (pernet exits run after it
    // is unregistered at unload, and after the namespace's devices otherwise), and
    // `net_pre_exit` has run.
    unsafe { base_exit(net) };
}

/// `pernet_operations.pre_exit`: stop the namespace's reassembly queues from taking
/// fragments and arming timers (`fqdir_pre_exit()`), before the RCU grace period that
/// precedes `net_exit`.
///
/// # Safety
/// Called by the pernet core once per namespace whose `net_init` succeeded.
unsafe extern "C" fn net_pre_exit(net: *mut bindings::net) {
    // SAFETY: set up in `net_init`.
    unsafe { bindings::ipv6_rs_net_frags_pre_exit(net) };
}

/// A `pernet_operations` the kernel links into its list while registered.
#[repr(transparent)]
struct PernetOps {
    ops: UnsafeCell<bindings::pernet_operations>,
    _pin: PhantomPinned,
}

/// Our per-namespace subsystem, registered for as long as this value lives.
///
/// # Invariants
/// `ops` is registered with the pernet core and is not moved until unregistered in `drop`.
pub(crate) struct PernetRegistration<T: PernetHandlers> {
    ops: Pin<KBox<PernetOps>>,
    _handlers: PhantomData<T>,
}

// SAFETY: the registration is only touched at module init and exit, under the module
// loader; the kernel serialises its own accesses to `ops` with `pernet_ops_rwsem`.
unsafe impl<T: PernetHandlers> Send for PernetRegistration<T> {}
// SAFETY: as above; `&PernetRegistration` exposes nothing.
unsafe impl<T: PernetHandlers> Sync for PernetRegistration<T> {}

impl<T: PernetHandlers> PernetRegistration<T> {
    /// Registers the subsystem; [`NetState`], with `T`'s part, is constructed in every
    /// namespace.
    pub(crate) fn new() -> Result<Self> {
        let ops = bindings::pernet_operations {
            init: Some(net_init::<T>),
            pre_exit: Some(net_pre_exit),
            exit: Some(net_exit),
            id: NET_ID.as_ptr(),
            size: size_of::<NetState>(),
            ..Default::default()
        };
        let ops = KBox::pin(
            PernetOps {
                ops: UnsafeCell::new(ops),
                _pin: PhantomPinned,
            },
            GFP_KERNEL,
        )?;
        // SAFETY: `ops` is pinned on the heap and outlives the registration (unregistered
        // in drop before it is freed); the callbacks uphold the contract documented on them.
        to_result(unsafe { bindings::register_pernet_subsys(ops.ops.get()) })?;
        Ok(Self {
            ops,
            _handlers: PhantomData,
        })
    }
}

impl<T: PernetHandlers> Drop for PernetRegistration<T> {
    fn drop(&mut self) {
        // SAFETY: registered by `new` (type invariant); runs `net_exit` in every namespace.
        unsafe { bindings::unregister_pernet_subsys(self.ops.ops.get()) };
    }
}
