// SPDX-License-Identifier: GPL-2.0

//! rtnetlink: handler registration, messages we build, requests we read, and
//! notifications to multicast groups.

use crate::net::device::NetDevice;
use crate::net::netns::Net;
use crate::{bindings, wire::netlink as nl};
use core::{marker::PhantomData, mem::size_of, ptr::NonNull};
use kernel::{
    error::to_result,
    ffi::{c_char, c_int},
    prelude::*,
};

/// `rtnl_doit_func`.
pub(crate) type DoitFn = unsafe extern "C" fn(
    *mut bindings::sk_buff,
    *mut bindings::nlmsghdr,
    *mut bindings::netlink_ext_ack,
) -> c_int;
/// `rtnl_dumpit_func`.
pub(crate) type DumpitFn =
    unsafe extern "C" fn(*mut bindings::sk_buff, *mut bindings::netlink_callback) -> c_int;

/// Why a request failed: the errno, and mainline's extack message if it sets one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NlError {
    /// Positive errno.
    pub(crate) errno: i32,
    /// The extack message (`NL_SET_ERR_MSG`), if any.
    pub(crate) msg: Option<&'static core::ffi::CStr>,
}

impl NlError {
    /// `errno` with extack message `msg`.
    pub(crate) const fn new(errno: i32, msg: &'static core::ffi::CStr) -> Self {
        Self {
            errno,
            msg: Some(msg),
        }
    }

    /// `errno` alone (the message, if any, was set by the kernel's own code).
    pub(crate) const fn bare(errno: i32) -> Self {
        Self { errno, msg: None }
    }
}

/// An rtnetlink request handler (`rtnl_doit_func`) for [`RtnlHandlers::add`], called
/// under RTNL.
pub(crate) trait RtnlDoit {
    /// Carries out the request.
    fn doit(call: &DoitCall<'_>) -> Result<(), NlError>;
}

/// An rtnetlink dump handler (`rtnl_dumpit_func`) for [`RtnlHandlers::add`]: writes
/// what fits into `call.out` and keeps its position in the call's scratch words; a
/// call that adds nothing ends the dump.
pub(crate) trait RtnlDump {
    /// Writes the next part of the dump.
    fn dump(call: &mut DumpCall<'_>) -> Result<(), NlError>;
}

/// # Safety
/// Called by rtnetlink with a request's skb, header and extack, under RTNL.
unsafe extern "C" fn doit_tramp<T: RtnlDoit>(
    skb: *mut bindings::sk_buff,
    nlh: *mut bindings::nlmsghdr,
    extack: *mut bindings::netlink_ext_ack,
) -> c_int {
    // SAFETY: see the function's contract.
    let call = unsafe { DoitCall::from_raw(skb, nlh, extack) };
    match T::doit(&call) {
        Ok(()) => 0,
        Err(e) => call.error(e),
    }
}

/// # Safety
/// Called by rtnetlink with a dump's skb and callback.
unsafe extern "C" fn dump_tramp<T: RtnlDump>(
    skb: *mut bindings::sk_buff,
    cb: *mut bindings::netlink_callback,
) -> c_int {
    // SAFETY: see the function's contract.
    let mut call = unsafe { DumpCall::from_raw(skb, cb) };
    match T::dump(&mut call) {
        Ok(()) => call.out.len() as c_int,
        Err(e) => {
            if let Some(m) = e.msg {
                set_err_msg(call.extack, m);
            }
            -e.errno
        }
    }
}

/// The `doit` of `T`, for [`RtnlHandlers::add`].
pub(crate) fn doit<T: RtnlDoit>() -> Option<DoitFn> {
    Some(doit_tramp::<T>)
}

/// The `dumpit` of `T`, for [`RtnlHandlers::add`].
pub(crate) fn dumpit<T: RtnlDump>() -> Option<DumpitFn> {
    Some(dump_tramp::<T>)
}

/// A netlink skb being filled: a dump's, a reply's or a notification's.
///
/// # Invariants
/// `skb` is a netlink skb that we may write to for `'a`.
pub(crate) struct NlSkb<'a> {
    skb: NonNull<bindings::sk_buff>,
    _skb: PhantomData<&'a mut bindings::sk_buff>,
}

impl NlSkb<'_> {
    /// # Safety
    /// `skb` must be a netlink skb we may write to for the lifetime chosen.
    pub(crate) unsafe fn from_raw(skb: *mut bindings::sk_buff) -> Option<Self> {
        NonNull::new(skb).map(|skb| Self {
            skb,
            _skb: PhantomData,
        })
    }

    /// Starts a message of type `ty` with family header `hdr`.
    pub(crate) fn begin<H: Copy>(
        &mut self,
        portid: u32,
        seq: u32,
        ty: u16,
        flags: u16,
        hdr: &H,
    ) -> Result<MsgWriter<'_>, MsgSize> {
        // SAFETY: writable for as long as `self` is borrowed (type invariant).
        unsafe { MsgWriter::begin(self.skb.as_ptr(), portid, seq, ty, flags, hdr) }
    }

    /// Starts a message of type `ty` whose fixed part is `hdr` followed by `tail` (a
    /// family header with data after it, as `struct nduseroptmsg` and its ND option).
    pub(crate) fn begin_with_tail<H: Copy>(
        &mut self,
        portid: u32,
        seq: u32,
        ty: u16,
        flags: u16,
        hdr: &H,
        tail: &[u8],
    ) -> Result<MsgWriter<'_>, MsgSize> {
        // SAFETY: writable for as long as `self` is borrowed (type invariant).
        unsafe { MsgWriter::begin_parts(self.skb.as_ptr(), portid, seq, ty, flags, hdr, tail) }
    }

    /// Bytes written so far (`skb->len`).
    pub(crate) fn len(&self) -> usize {
        // SAFETY: a live skb (type invariant); a plain read.
        unsafe { (*self.skb.as_ptr()).len as usize }
    }
}

/// The attribute slots of a request parsed with one of mainline's policies.
pub(crate) struct AttrTable<const N: usize>([*mut bindings::nlattr; N]);

impl<const N: usize> AttrTable<N> {
    /// The parsed attributes, for as long as the request lives (the caller's borrow).
    pub(crate) fn attrs(&self) -> Attrs<'_> {
        // SAFETY: filled by a policy parse of the call's live request, which outlives
        // the table (both live in the handler's call).
        unsafe { Attrs::new(&self.0) }
    }
}

/// Policies of the requests we parse (mainline's `ifal_policy`, `rtm_ipv6_policy`),
/// and the size of each attribute table.
pub(crate) const IFAL_ATTRS: usize = bindings::IFAL_LABEL as usize + 1;
/// `IFA_MAX + 1`.
pub(crate) const IFA_ATTRS: usize = bindings::__IFA_MAX as usize;
/// `RTA_MAX + 1`.
pub(crate) const RTA_ATTRS: usize = bindings::rtattr_type_t___RTA_MAX as usize;

/// A request's extended ack, where a failing handler leaves mainline's message.
#[derive(Clone, Copy)]
pub(crate) struct Extack<'a>(*mut bindings::netlink_ext_ack, PhantomData<&'a ()>);

impl Extack<'_> {
    /// Sets the message (`NL_SET_ERR_MSG`).
    pub(crate) fn set_msg(self, msg: &'static core::ffi::CStr) {
        set_err_msg(self.0, msg);
    }

    /// The C `struct netlink_ext_ack` (or null), for kernel helpers that take one.
    pub(crate) fn as_ptr(self) -> *mut bindings::netlink_ext_ack {
        self.0
    }
}

/// Who caused a change, for its notification (`struct nl_info`): the requester's port
/// and request, echoed as mainline does; or the kernel.
///
/// # Invariants
/// `nlh` is null or the header of a request whose handler is running, and the value
/// is used only during that call (it is made by [`DoitCall::origin`] or, for the
/// kernel's nexthop callbacks, [`Origin::from_raw`]).
#[derive(Clone, Copy)]
pub(crate) struct Origin {
    portid: u32,
    nlh: *const bindings::nlmsghdr,
}

impl Origin {
    /// A change the kernel makes by itself.
    pub(crate) const KERNEL: Origin = Origin {
        portid: 0,
        nlh: core::ptr::null(),
    };

    /// # Safety
    /// `nlh` must be null or a running request's header, and the value used only
    /// during that request's handling.
    pub(crate) unsafe fn from_raw(portid: u32, nlh: *const bindings::nlmsghdr) -> Self {
        Self { portid, nlh }
    }

    /// The requester's port (0 for the kernel).
    pub(crate) fn portid(&self) -> u32 {
        self.portid
    }

    /// The request's sequence number, echoed in the notification.
    pub(crate) fn seq(&self) -> u32 {
        // SAFETY: null or a live request header (type invariant).
        (!self.nlh.is_null())
            .then(|| unsafe { (*self.nlh).nlmsg_seq })
            .unwrap_or(0)
    }

    /// Sends `RTM_*ROUTE` notification `skb` as `inet6_rt_notify()` does (echo to the
    /// requester if it asked), which takes the skb.
    pub(crate) fn notify_route(&self, net: &Net, skb: NotifySkb) {
        let skb = core::mem::ManuallyDrop::new(skb);
        // SAFETY: rtnl_notify consumes the skb; `nlh` is null or a live request (type
        // invariant); `net` is live.
        unsafe {
            bindings::ipv6_rs_route_notify(skb.0.as_ptr(), net.as_ptr(), self.portid, self.nlh)
        };
    }
}

/// rtnetlink handlers of one protocol family, registered while this value lives.
pub(crate) struct RtnlHandlers {
    family: c_int,
    msgtypes: KVec<c_int>,
}

impl RtnlHandlers {
    pub(crate) fn new(family: u32) -> Self {
        Self {
            family: family as c_int,
            msgtypes: KVec::new(),
        }
    }

    /// Registers `doit`/`dumpit` for `msgtype`; runs under RTNL when called.
    pub(crate) fn add(
        &mut self,
        module: &'static ThisModule,
        msgtype: u32,
        doit: Option<DoitFn>,
        dumpit: Option<DumpitFn>,
    ) -> Result {
        // SAFETY: the handlers are valid for the module's life: `drop` unregisters them,
        // and it runs before the module's code goes away.
        to_result(unsafe {
            bindings::rtnl_register_module(
                module.as_ptr().cast(),
                self.family,
                msgtype as c_int,
                doit,
                dumpit,
                0,
            )
        })?;
        if let Err(e) = self.msgtypes.push(msgtype as c_int, GFP_KERNEL) {
            // SAFETY: registered just above.
            unsafe { bindings::rtnl_unregister(self.family, msgtype as c_int) };
            return Err(e.into());
        }
        Ok(())
    }
}

impl Drop for RtnlHandlers {
    fn drop(&mut self) {
        for &t in self.msgtypes.iter() {
            // SAFETY: registered in `add`; waits for running handlers (RCU) to finish.
            unsafe { bindings::rtnl_unregister(self.family, t) };
        }
    }
}

/// One message being written into a netlink skb: its attributes through
/// [`AttrWriter`] (which it derefs to). Cancelled (removed from the skb) unless
/// [`finish`](Self::finish) is called.
pub(crate) struct MsgWriter<'a> {
    attrs: AttrWriter<'a>,
    nlh: NonNull<bindings::nlmsghdr>,
    done: bool,
}

/// Attributes appended to a netlink skb, in a message someone else opened and closes
/// (ours, or the rtnetlink core's for `IFLA_AF_SPEC`).
///
/// # Invariants
/// `skb` is a netlink skb we may append to at its end for `'a`.
pub(crate) struct AttrWriter<'a> {
    skb: NonNull<bindings::sk_buff>,
    _skb: PhantomData<&'a mut bindings::sk_buff>,
}

impl<'a> core::ops::Deref for MsgWriter<'a> {
    type Target = AttrWriter<'a>;

    fn deref(&self) -> &AttrWriter<'a> {
        &self.attrs
    }
}

impl<'a> core::ops::DerefMut for MsgWriter<'a> {
    fn deref_mut(&mut self) -> &mut AttrWriter<'a> {
        &mut self.attrs
    }
}

impl AttrWriter<'_> {
    /// # Safety
    /// `skb` must be a netlink skb we may append to for the lifetime chosen.
    pub(crate) unsafe fn from_raw(skb: *mut bindings::sk_buff) -> Option<Self> {
        NonNull::new(skb).map(|skb| Self {
            skb,
            _skb: PhantomData,
        })
    }

    /// Appends attribute `kind` with payload `data`.
    pub(crate) fn put(&mut self, kind: u16, data: &[u8]) -> Result<&mut Self, MsgSize> {
        // SAFETY: the skb is writable for 'a; nla_put copies `data`.
        let r = unsafe {
            bindings::nla_put(
                self.skb.as_ptr(),
                kind.into(),
                data.len() as c_int,
                data.as_ptr().cast(),
            )
        };
        if r < 0 {
            Err(MsgSize)
        } else {
            Ok(self)
        }
    }

    pub(crate) fn put_u32(&mut self, kind: u16, v: u32) -> Result<&mut Self, MsgSize> {
        self.put(kind, &v.to_ne_bytes())
    }

    pub(crate) fn put_u8(&mut self, kind: u16, v: u8) -> Result<&mut Self, MsgSize> {
        self.put(kind, &[v])
    }

    /// Opens a nested attribute; close it with [`nest_end`](Self::nest_end).
    pub(crate) fn nest_start(&mut self, kind: u16) -> Result<NonNull<bindings::nlattr>, MsgSize> {
        // SAFETY: the skb is writable for 'a.
        NonNull::new(unsafe { bindings::ipv6_rs_nla_nest_start(self.skb.as_ptr(), kind.into()) })
            .ok_or(MsgSize)
    }

    /// Closes a nested attribute opened in this message.
    pub(crate) fn nest_end(&mut self, nest: NonNull<bindings::nlattr>) {
        // SAFETY: `nest` was opened in this skb by `nest_start`.
        unsafe { bindings::ipv6_rs_nla_nest_end(self.skb.as_ptr(), nest.as_ptr()) };
    }

    /// Starts one next hop of an `RTA_MULTIPATH` nest (a `struct rtnexthop`); its
    /// attributes follow, then [`nexthop_end`](Self::nexthop_end).
    pub(crate) fn nexthop_start(
        &mut self,
        flags: u8,
        hops: u8,
        ifindex: u32,
    ) -> Result<NonNull<bindings::rtnexthop>, MsgSize> {
        // SAFETY: the skb is writable for 'a.
        NonNull::new(unsafe {
            bindings::ipv6_rs_rtnh_start(self.skb.as_ptr(), flags, hops, ifindex as c_int)
        })
        .ok_or(MsgSize)
    }

    /// Closes a next hop opened in this message (sets its length).
    pub(crate) fn nexthop_end(&mut self, nh: NonNull<bindings::rtnexthop>) {
        // SAFETY: `nh` was reserved in this skb by `nexthop_start`.
        unsafe { bindings::ipv6_rs_rtnh_end(self.skb.as_ptr(), nh.as_ptr()) };
    }

    /// Lets `f` append attributes with a C helper: it gets this message's skb, to write
    /// at its end and nowhere else.
    pub(crate) fn put_with(
        &mut self,
        f: impl FnOnce(*mut bindings::sk_buff) -> Result<(), MsgSize>,
    ) -> Result<&mut Self, MsgSize> {
        f(self.skb.as_ptr())?;
        Ok(self)
    }
}

/// The skb ran out of room (`-EMSGSIZE`).
#[derive(Debug)]
pub(crate) struct MsgSize;

impl<'a> MsgWriter<'a> {
    /// Starts a message of type `ty` with family header `hdr`.
    ///
    /// # Safety
    /// `skb` must be a netlink skb we may write to for `'a`.
    pub(crate) unsafe fn begin<H: Copy>(
        skb: *mut bindings::sk_buff,
        portid: u32,
        seq: u32,
        ty: u16,
        flags: u16,
        hdr: &H,
    ) -> Result<Self, MsgSize> {
        // SAFETY: the caller's promise.
        unsafe { Self::begin_parts(skb, portid, seq, ty, flags, hdr, &[]) }
    }

    /// Starts a message of type `ty` whose fixed part is `hdr` then `tail`.
    ///
    /// # Safety
    /// `skb` must be a netlink skb we may write to for `'a`.
    pub(crate) unsafe fn begin_parts<H: Copy>(
        skb: *mut bindings::sk_buff,
        portid: u32,
        seq: u32,
        ty: u16,
        flags: u16,
        hdr: &H,
        tail: &[u8],
    ) -> Result<Self, MsgSize> {
        let len = c_int::try_from(size_of::<H>() + tail.len()).map_err(|_| MsgSize)?;
        // SAFETY: `skb` is writable (caller).
        let nlh =
            unsafe { bindings::ipv6_rs_nlmsg_put(skb, portid, seq, ty.into(), len, flags.into()) };
        let nlh = NonNull::new(nlh).ok_or(MsgSize)?;
        // SAFETY: nlmsg_put reserved `len` bytes of payload after the header: `hdr`
        // then `tail` fill them exactly.
        unsafe {
            let data = bindings::ipv6_rs_nlmsg_data(nlh.as_ptr()).cast::<u8>();
            core::ptr::copy_nonoverlapping((hdr as *const H).cast::<u8>(), data, size_of::<H>());
            core::ptr::copy_nonoverlapping(tail.as_ptr(), data.add(size_of::<H>()), tail.len());
        };
        Ok(Self {
            attrs: AttrWriter {
                // SAFETY: nlmsg_put succeeded, so `skb` is non-null.
                skb: unsafe { NonNull::new_unchecked(skb) },
                _skb: PhantomData,
            },
            nlh,
            done: false,
        })
    }

    /// Completes the message (sets its length).
    pub(crate) fn finish(mut self) {
        // SAFETY: `nlh` is the last message of `skb`.
        unsafe { bindings::ipv6_rs_nlmsg_end(self.attrs.skb.as_ptr(), self.nlh.as_ptr()) };
        self.done = true;
    }
}

impl Drop for MsgWriter<'_> {
    fn drop(&mut self) {
        if !self.done {
            // SAFETY: `nlh` is the last message of `skb`; trims it off.
            unsafe { bindings::ipv6_rs_nlmsg_cancel(self.attrs.skb.as_ptr(), self.nlh.as_ptr()) };
        }
    }
}

/// A received netlink request, for reading.
pub(crate) struct Request<'a> {
    bytes: &'a [u8],
}

impl<'a> Request<'a> {
    /// # Safety
    /// `nlh` must be a complete message (`nlmsg_len` bytes readable) valid for `'a`.
    pub(crate) unsafe fn from_raw(nlh: *const bindings::nlmsghdr) -> Self {
        // SAFETY: caller's promise; netlink validated nlmsg_len >= NLMSG_HDRLEN.
        let len = unsafe { (*nlh).nlmsg_len } as usize;
        // SAFETY: as above.
        Self {
            bytes: unsafe { core::slice::from_raw_parts(nlh.cast::<u8>(), len) },
        }
    }

    /// The payload after `struct nlmsghdr`.
    pub(crate) fn payload(&self) -> &'a [u8] {
        self.bytes.get(nl::NLMSG_HDRLEN..).unwrap_or(&[])
    }

    /// The family header `H`, if the payload is long enough for it.
    pub(crate) fn header<H: Copy + FromBytes>(&self) -> Option<H> {
        H::from_bytes(self.payload().get(..size_of::<H>())?)
    }

    /// The attributes after a family header of `hdr_len` bytes.
    pub(crate) fn attrs(
        &self,
        hdr_len: usize,
    ) -> impl Iterator<Item = Result<nl::Attr<'a>, nl::BadAttr>> {
        nl::attrs(self.payload().get(nl::align(hdr_len)..).unwrap_or(&[]))
    }
}

/// One call of an rtnetlink dump handler: the request, where to answer, and the
/// callback's scratch words that carry the dump's position between calls.
pub(crate) struct DumpCall<'a> {
    pub(crate) req: Request<'a>,
    pub(crate) strict: bool,
    pub(crate) net: &'a Net,
    pub(crate) portid: u32,
    pub(crate) seq: u32,
    /// The dump skb being filled.
    pub(crate) out: NlSkb<'a>,
    extack: *mut bindings::netlink_ext_ack,
    args: *mut kernel::ffi::c_long,
}

impl<'a> DumpCall<'a> {
    /// RTNL, which rtnetlink holds around our dumps (none is `RTNL_FLAG_DUMP_UNLOCKED`)
    /// for the whole call.
    pub(crate) fn rtnl(&self) -> RtnlHeld<'a> {
        RtnlHeld(PhantomData)
    }

    /// # Safety
    /// `skb` and `cb` must be the arguments of a running rtnetlink dump handler.
    pub(crate) unsafe fn from_raw(
        skb: *mut bindings::sk_buff,
        cb: *mut bindings::netlink_callback,
    ) -> Self {
        // SAFETY: rtnetlink passes a live callback whose request stays valid for the
        // dump, and the skb being filled.
        unsafe {
            Self {
                req: Request::from_raw((*cb).nlh),
                strict: (*cb).strict_check,
                net: Net::from_raw(bindings::ipv6_rs_skb_net(skb)),
                portid: bindings::ipv6_rs_skb_portid((*cb).skb),
                seq: (*(*cb).nlh).nlmsg_seq,
                out: NlSkb::from_raw(skb).expect("rtnetlink dumps into an skb"),
                extack: (*cb).extack,
                args: bindings::ipv6_rs_cb_args(cb),
            }
        }
    }

    /// Scratch word `i` (0 to 5), kept between calls of the same dump; 0 at first.
    pub(crate) fn arg(&self, i: usize) -> usize {
        // SAFETY: `args` points to the callback's six words; `i` is kept below six.
        unsafe { *self.args.add(i.min(5)) as usize }
    }

    /// Sets scratch word `i` (0 to 5).
    pub(crate) fn set_arg(&mut self, i: usize, v: usize) {
        // SAFETY: as in `arg`.
        unsafe { *self.args.add(i.min(5)) = v as _ };
    }
}

/// Attributes of a request parsed by the kernel's netlink policy validation.
pub(crate) struct Attrs<'a> {
    tb: &'a [*mut bindings::nlattr],
}

impl<'a> Attrs<'a> {
    /// # Safety
    /// Every non-null entry of `tb` must point to a validated attribute of a request that
    /// lives for `'a`.
    pub(crate) unsafe fn new(tb: &'a [*mut bindings::nlattr]) -> Self {
        Self { tb }
    }

    /// The payload of attribute `kind`, if present.
    pub(crate) fn get(&self, kind: u32) -> Option<&'a [u8]> {
        let nla = *self.tb.get(kind as usize)?;
        if nla.is_null() {
            return None;
        }
        // SAFETY: a validated attribute of a live request (type construction).
        unsafe {
            let len = bindings::ipv6_rs_nla_len(nla).max(0) as usize;
            Some(core::slice::from_raw_parts(
                bindings::ipv6_rs_nla_data(nla).cast::<u8>(),
                len,
            ))
        }
    }

    /// The attribute `kind` itself (null if absent), for kernel helpers that take one.
    pub(crate) fn raw(&self, kind: u32) -> *mut bindings::nlattr {
        self.tb
            .get(kind as usize)
            .copied()
            .unwrap_or(core::ptr::null_mut())
    }

    /// A `u32` attribute (policy validation guaranteed at least 4 bytes).
    pub(crate) fn u32(&self, kind: u32) -> Option<u32> {
        Some(u32::from_ne_bytes(
            self.get(kind)?.get(..4)?.try_into().ok()?,
        ))
    }

    /// A big-endian `u16` attribute (`nla_get_be16()`), in host order.
    pub(crate) fn u16_be(&self, kind: u32) -> Option<u16> {
        Some(u16::from_be_bytes(
            self.get(kind)?.get(..2)?.try_into().ok()?,
        ))
    }

    /// `RTA_IP_PROTO` as `rtm_getroute_parse_ip_proto()` reads it: only the protocols
    /// with ports (or ICMPv6), with mainline's extack message otherwise.
    pub(crate) fn ip_proto(&self, kind: u32, extack: Extack<'_>) -> Option<Result<u8, NlError>> {
        let a = self.raw(kind);
        if a.is_null() {
            return None;
        }
        let mut proto = 0;
        // SAFETY: a parsed attribute of the live request; the extack is the request's.
        let err = unsafe { bindings::ipv6_rs_parse_ip_proto(a, &mut proto, extack.as_ptr()) };
        Some(if err < 0 {
            Err(NlError::bare(-err))
        } else {
            Ok(proto)
        })
    }

    /// `ip_fib_metrics_init()` of the nested `RTA_METRICS`-style attribute `kind` into
    /// `metrics` (`RTAX_MAX` slots); `None` if absent.
    pub(crate) fn metrics(
        &self,
        kind: u32,
        metrics: &mut [u32; bindings::__RTAX_MAX as usize - 1],
        extack: Extack<'_>,
    ) -> Option<Result<(), NlError>> {
        let nla = self.raw(kind);
        if nla.is_null() {
            return None;
        }
        // SAFETY: a validated nested attribute of the live request; `metrics` has
        // RTAX_MAX slots; the extack is the request's.
        let rc = unsafe {
            bindings::ipv6_rs_route_metrics(
                bindings::ipv6_rs_nla_data(nla).cast(),
                bindings::ipv6_rs_nla_len(nla),
                metrics.as_mut_ptr(),
                extack.as_ptr(),
            )
        };
        Some(if rc < 0 {
            Err(NlError::bare(-rc))
        } else {
            Ok(())
        })
    }

    /// A `u8` attribute.
    pub(crate) fn u8(&self, kind: u32) -> Option<u8> {
        self.get(kind)?.first().copied()
    }

    /// An IPv6 address attribute (at least 16 bytes by policy).
    pub(crate) fn in6(&self, kind: u32) -> Option<core::net::Ipv6Addr> {
        let b: [u8; 16] = self.get(kind)?.get(..16)?.try_into().ok()?;
        Some(core::net::Ipv6Addr::from(b))
    }
}

/// What a `doit` handler knows of its request: the namespace, the requester, the
/// message.
pub(crate) struct DoitCall<'a> {
    pub(crate) req: Request<'a>,
    pub(crate) net: &'a Net,
    pub(crate) portid: u32,
    pub(crate) seq: u32,
    skb: *mut bindings::sk_buff,
    nlh: *mut bindings::nlmsghdr,
    extack: *mut bindings::netlink_ext_ack,
}

impl DoitCall<'_> {
    /// # Safety
    /// The arguments rtnetlink passes a `doit` handler, for the call.
    pub(crate) unsafe fn from_raw(
        skb: *mut bindings::sk_buff,
        nlh: *mut bindings::nlmsghdr,
        extack: *mut bindings::netlink_ext_ack,
    ) -> Self {
        // SAFETY: the handler's arguments (caller): a live request skb and message.
        unsafe {
            Self {
                req: Request::from_raw(nlh),
                net: Net::from_raw(bindings::ipv6_rs_skb_net(skb)),
                portid: bindings::ipv6_rs_skb_portid(skb),
                seq: (*nlh).nlmsg_seq,
                skb,
                nlh,
                extack,
            }
        }
    }

    /// Sets the extack message of `e`, if any; its negative errno.
    fn error(&self, e: NlError) -> c_int {
        if let Some(m) = e.msg {
            set_err_msg(self.extack, m);
        }
        -e.errno
    }

    /// `nlmsg_type`, `nlmsg_flags` of the request.
    pub(crate) fn type_flags(&self) -> (u16, u16) {
        // SAFETY: the request's header, live for the call.
        unsafe { ((*self.nlh).nlmsg_type, (*self.nlh).nlmsg_flags) }
    }

    /// The request's extended ack.
    pub(crate) fn extack(&self) -> Extack<'_> {
        Extack(self.extack, PhantomData)
    }

    /// The requester and its request, for the notifications of what it changes.
    pub(crate) fn origin(&self) -> Origin {
        Origin {
            portid: self.portid,
            nlh: self.nlh,
        }
    }

    /// The requesting task's uid in the initial namespace (`current_uid()`).
    pub(crate) fn requester_uid(&self) -> u32 {
        // SAFETY: rtnetlink runs doit handlers in the requesting task.
        unsafe { bindings::ipv6_rs_current_uid() }
    }

    /// The request's attributes, parsed with mainline's `rtm_ipv6_policy` (the strict
    /// variant rejects attributes past the policy).
    pub(crate) fn parse_rtmsg(&self, strict: bool) -> Result<AttrTable<RTA_ATTRS>, NlError> {
        let mut tb = AttrTable([core::ptr::null_mut(); RTA_ATTRS]);
        // SAFETY: a complete request (rtnetlink checked `nlmsg_len`); `tb` has
        // RTA_MAX + 1 slots; the extack is the request's.
        let err = unsafe {
            if strict {
                bindings::ipv6_rs_parse_rtmsg_strict(self.nlh, tb.0.as_mut_ptr(), self.extack)
            } else {
                bindings::ipv6_rs_parse_rtmsg(self.nlh, tb.0.as_mut_ptr(), self.extack)
            }
        };
        if err < 0 {
            return Err(NlError::bare(-err));
        }
        Ok(tb)
    }

    /// Whether the requester asked for strict checking (`netlink_strict_get_check()`).
    pub(crate) fn strict(&self) -> bool {
        // SAFETY: the request's skb, live for the call.
        unsafe { bindings::ipv6_rs_strict_get_check(self.skb) }
    }

    /// The request's attributes, parsed with mainline's `ifal_policy` (the strict
    /// variant rejects attributes past the policy).
    pub(crate) fn parse_ifal(&self, strict: bool) -> Result<AttrTable<IFAL_ATTRS>, NlError> {
        let mut tb = AttrTable([core::ptr::null_mut(); IFAL_ATTRS]);
        // SAFETY: a complete request (rtnetlink checked `nlmsg_len`); `tb` has
        // IFAL_MAX + 1 slots; the extack is the request's.
        let err = unsafe {
            if strict {
                bindings::ipv6_rs_parse_ifal_strict(self.nlh, tb.0.as_mut_ptr(), self.extack)
            } else {
                bindings::ipv6_rs_parse_ifal(self.nlh, tb.0.as_mut_ptr(), self.extack)
            }
        };
        if err < 0 {
            return Err(NlError::bare(-err));
        }
        Ok(tb)
    }

    /// The request's attributes, parsed with mainline's `ifa_ipv6_policy`.
    pub(crate) fn parse_ifaddr(&self) -> Result<AttrTable<IFA_ATTRS>, NlError> {
        let mut tb = AttrTable([core::ptr::null_mut(); IFA_ATTRS]);
        // SAFETY: a complete request (rtnetlink checked `nlmsg_len`); `tb` has
        // IFA_MAX + 1 slots; the extack is the request's.
        let err =
            unsafe { bindings::ipv6_rs_parse_ifaddr(self.nlh, tb.0.as_mut_ptr(), self.extack) };
        if err < 0 {
            return Err(NlError::bare(-err));
        }
        Ok(tb)
    }

    /// Answers the requester with one message of at most `size` bytes that `fill`
    /// writes (`rtnl_unicast()`).
    pub(crate) fn reply_with(
        &self,
        size: usize,
        fill: impl FnOnce(&mut NlSkb<'_>) -> Result<(), MsgSize>,
    ) -> Result<(), NlError> {
        // SAFETY: plain allocation.
        let skb = unsafe { bindings::ipv6_rs_nlmsg_new(size) };
        // SAFETY: a fresh netlink skb of ours until sent or freed below.
        let Some(mut out) = (unsafe { NlSkb::from_raw(skb) }) else {
            return Err(NlError::bare(crate::errno::ENOBUFS));
        };
        if fill(&mut out).is_err() {
            // SAFETY: not sent, so still ours.
            unsafe { bindings::ipv6_rs_kfree_skb(skb) };
            return Err(NlError::bare(crate::errno::EMSGSIZE));
        }
        // SAFETY: rtnl_unicast consumes the skb.
        match unsafe { bindings::ipv6_rs_rtnl_unicast(skb, self.net.as_ptr(), self.portid) } {
            0 => Ok(()),
            r => Err(NlError::bare(-r)),
        }
    }
}

/// Plain-data family headers that can be read from bytes.
pub(crate) trait FromBytes: Sized {
    fn from_bytes(b: &[u8]) -> Option<Self>;
}

impl FromBytes for bindings::ifinfomsg {
    fn from_bytes(b: &[u8]) -> Option<Self> {
        let b: &[u8; 16] = b.try_into().ok()?;
        let w = |i: usize| u32::from_ne_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Some(Self {
            ifi_family: b[0],
            __ifi_pad: b[1],
            ifi_type: u16::from_ne_bytes([b[2], b[3]]),
            ifi_index: w(4) as i32,
            ifi_flags: w(8),
            ifi_change: w(12),
        })
    }
}

impl FromBytes for bindings::ifaddrmsg {
    fn from_bytes(b: &[u8]) -> Option<Self> {
        let b: &[u8; 8] = b.try_into().ok()?;
        Some(Self {
            ifa_family: b[0],
            ifa_prefixlen: b[1],
            ifa_flags: b[2],
            ifa_scope: b[3],
            ifa_index: u32::from_ne_bytes([b[4], b[5], b[6], b[7]]),
        })
    }
}

impl FromBytes for bindings::ifaddrlblmsg {
    fn from_bytes(b: &[u8]) -> Option<Self> {
        let b: &[u8; 12] = b.try_into().ok()?;
        Some(Self {
            ifal_family: b[0],
            __ifal_reserved: b[1],
            ifal_prefixlen: b[2],
            ifal_flags: b[3],
            ifal_index: u32::from_ne_bytes([b[4], b[5], b[6], b[7]]),
            ifal_seq: u32::from_ne_bytes([b[8], b[9], b[10], b[11]]),
        })
    }
}

impl FromBytes for bindings::rtmsg {
    fn from_bytes(b: &[u8]) -> Option<Self> {
        let b: &[u8; 12] = b.try_into().ok()?;
        Some(Self {
            rtm_family: b[0],
            rtm_dst_len: b[1],
            rtm_src_len: b[2],
            rtm_tos: b[3],
            rtm_table: b[4],
            rtm_protocol: b[5],
            rtm_scope: b[6],
            rtm_type: b[7],
            rtm_flags: u32::from_ne_bytes([b[8], b[9], b[10], b[11]]),
        })
    }
}

/// Sets the extack message of a failing request, as mainline's `NL_SET_ERR_MSG`.
pub(crate) fn set_err_msg(extack: *mut bindings::netlink_ext_ack, msg: &'static core::ffi::CStr) {
    if !extack.is_null() {
        // SAFETY: `extack` is the request's; `msg` is static, as the pointer is kept.
        unsafe { bindings::ipv6_rs_extack_msg(extack, msg.as_ptr().cast::<c_char>()) };
    }
}

/// A freshly allocated netlink skb for a notification.
pub(crate) struct NotifySkb(NonNull<bindings::sk_buff>);

impl NotifySkb {
    /// An skb for a notification sent while a lock is held (`GFP_ATOMIC`).
    pub(crate) fn new_atomic(payload: usize) -> Result<Self> {
        // SAFETY: plain allocation.
        NonNull::new(unsafe { bindings::ipv6_rs_nlmsg_new_atomic(payload) })
            .map(Self)
            .ok_or(Error::from_errno(-(bindings::ENOBUFS as i32)))
    }

    /// The skb, to write the notification into.
    pub(crate) fn nl(&mut self) -> NlSkb<'_> {
        NlSkb {
            skb: self.0,
            _skb: PhantomData,
        }
    }

    pub(crate) fn new(payload: usize) -> Result<Self> {
        // SAFETY: plain allocation.
        NonNull::new(unsafe { bindings::ipv6_rs_nlmsg_new(payload) })
            .map(Self)
            .ok_or(Error::from_errno(-(bindings::ENOBUFS as i32)))
    }

    /// Sends to `group` of `net` (`rtnl_notify()`), which takes the skb.
    pub(crate) fn send(self, net: &Net, group: u32) {
        let skb = core::mem::ManuallyDrop::new(self);
        // SAFETY: rtnl_notify consumes the skb; `net` is live (caller holds a device).
        unsafe { bindings::ipv6_rs_rtnl_notify(skb.0.as_ptr(), net.as_ptr(), group) };
    }
}

impl Drop for NotifySkb {
    fn drop(&mut self) {
        // SAFETY: not sent, so still ours.
        unsafe { bindings::ipv6_rs_kfree_skb(self.0.as_ptr()) };
    }
}

/// Reports a failed notification to the group's listeners (`rtnl_set_sk_err()`).
pub(crate) fn notify_error(net: &Net, group: u32, err: Error) {
    // SAFETY: `net` is live (caller holds a device).
    unsafe { bindings::rtnl_set_sk_err(net.as_ptr(), group, err.to_errno()) };
}

/// Proof that RTNL is held for `'a`: what functions that need RTNL take instead of
/// trusting their callers. Made by an [`RtnlGuard`], by the rtnetlink handlers' calls
/// (rtnetlink holds RTNL around the `doit`s and dumps we register), and by a
/// `&NetDevice` (which only exists under RTNL).
#[derive(Clone, Copy)]
pub(crate) struct RtnlHeld<'a>(PhantomData<&'a ()>);

impl RtnlHeld<'_> {
    /// # Safety
    /// RTNL must be held for the lifetime chosen.
    pub(crate) const unsafe fn new() -> Self {
        Self(PhantomData)
    }
}

/// RTNL held for as long as this value lives.
pub(crate) struct RtnlGuard(());

impl RtnlGuard {
    pub(crate) fn lock() -> Self {
        // SAFETY: process context (proc reads); released in drop.
        unsafe { bindings::ipv6_rs_rtnl_lock() };
        Self(())
    }

    /// RTNL is held while the guard is borrowed.
    pub(crate) fn held(&self) -> RtnlHeld<'_> {
        RtnlHeld(PhantomData)
    }

    /// Takes RTNL if it is free (sysctl handlers, which must not wait for it).
    pub(crate) fn try_lock() -> Option<Self> {
        // SAFETY: process context; released in drop if taken.
        unsafe { bindings::ipv6_rs_rtnl_trylock() }.then_some(Self(()))
    }
}

impl Drop for RtnlGuard {
    fn drop(&mut self) {
        // SAFETY: taken in `lock`.
        unsafe { bindings::ipv6_rs_rtnl_unlock() };
    }
}

/// A family's part of every link message (`IFLA_AF_SPEC`, a `struct rtnl_af_ops`),
/// which the rtnetlink core asks for each device it describes, with RTNL held.
pub(crate) trait LinkAf {
    /// Writes `dev`'s attributes into `m` (statistics unless `skip_stats`); `Ok(false)`
    /// if the family has nothing for `dev`.
    fn fill(dev: &NetDevice, m: &mut AttrWriter<'_>, skip_stats: bool) -> Result<bool, MsgSize>;
    /// At most how many bytes [`LinkAf::fill`] writes for a device with IPv6 state.
    fn size() -> usize;
    /// `validate_link_af`: checks the family's nest of a link request (`nest`, its
    /// payload) for `dev` (`None` for a device being created). The errno and extack
    /// message on failure.
    fn validate(dev: Option<&NetDevice>, nest: &[u8]) -> Result<(), LinkAfError>;
    /// `set_link_af`: carries the nest out on `dev`.
    fn set(dev: &NetDevice, nest: &[u8]) -> Result<(), LinkAfError>;
}

/// Why a family refused its part of a link request: a positive errno and the extack
/// message mainline gives, if any.
pub(crate) type LinkAfError = (i32, Option<&'static core::ffi::CStr>);

/// The payload of attribute `nla`.
///
/// # Safety
/// `nla` must be a whole attribute of a request, alive for `'a`.
unsafe fn nla_payload<'a>(nla: *const bindings::nlattr) -> &'a [u8] {
    // SAFETY: see the function's contract: the header, then `nla_len` bytes in all.
    unsafe {
        let len = usize::from((*nla).nla_len).saturating_sub(4);
        core::slice::from_raw_parts(nla.cast::<u8>().add(4), len)
    }
}

fn link_af_ret(r: Result<(), LinkAfError>, extack: *mut bindings::netlink_ext_ack) -> c_int {
    match r {
        Ok(()) => 0,
        Err((errno, msg)) => {
            if let Some(m) = msg {
                set_err_msg(extack, m);
            }
            -errno
        }
    }
}

/// `rtnl_af_ops.validate_link_af` for `T`.
///
/// # Safety
/// Called by the rtnetlink core with RTNL held, a live device or null, the family's
/// nest of the request and its extack.
unsafe extern "C" fn validate_link_af<T: LinkAf>(
    dev: *const bindings::net_device,
    nla: *const bindings::nlattr,
    extack: *mut bindings::netlink_ext_ack,
) -> c_int {
    // SAFETY: see the function's contract.
    let (dev, nest) = unsafe {
        (
            (!dev.is_null()).then(|| NetDevice::from_raw(dev.cast_mut())),
            nla_payload(nla),
        )
    };
    link_af_ret(T::validate(dev, nest), extack)
}

/// `rtnl_af_ops.set_link_af` for `T`.
///
/// # Safety
/// Called by the rtnetlink core with RTNL held, a live device, the family's nest of
/// the request and its extack.
unsafe extern "C" fn set_link_af<T: LinkAf>(
    dev: *mut bindings::net_device,
    nla: *const bindings::nlattr,
    extack: *mut bindings::netlink_ext_ack,
) -> c_int {
    // SAFETY: see the function's contract.
    let (dev, nest) = unsafe { (NetDevice::from_raw(dev), nla_payload(nla)) };
    link_af_ret(T::set(dev, nest), extack)
}

/// `rtnl_af_ops.fill_link_af` for `T`.
///
/// # Safety
/// Called by the rtnetlink core with RTNL held, a live device, and the link message's
/// skb open at an `IFLA_AF_SPEC` family nest.
unsafe extern "C" fn fill_link_af<T: LinkAf>(
    skb: *mut bindings::sk_buff,
    dev: *const bindings::net_device,
    ext_filter_mask: u32,
) -> c_int {
    // SAFETY: see the function's contract.
    let (dev, w) = unsafe {
        (
            NetDevice::from_raw(dev.cast_mut()),
            AttrWriter::from_raw(skb),
        )
    };
    let Some(mut w) = w else {
        return -(bindings::EMSGSIZE as c_int);
    };
    let skip_stats = ext_filter_mask & bindings::RTEXT_FILTER_SKIP_STATS != 0;
    match T::fill(dev, &mut w, skip_stats) {
        Ok(true) => 0,
        Ok(false) => -(bindings::ENODATA as c_int),
        Err(MsgSize) => -(bindings::EMSGSIZE as c_int),
    }
}

/// `rtnl_af_ops.get_link_af_size` for `T`: 0 for a device without IPv6 state.
///
/// # Safety
/// Called by the rtnetlink core with a live device, under RCU at least (a dump's
/// size estimate, `rtnl_calcit()`, runs without RTNL).
unsafe extern "C" fn link_af_size<T: LinkAf>(
    dev: *const bindings::net_device,
    _ext_filter_mask: u32,
) -> usize {
    let _rcu = crate::net::rcu::Rcu::read_lock();
    // SAFETY: a live device (see the function's contract), read under RCU.
    let d = unsafe { crate::net::device::RxDev::new(dev.cast_mut()) };
    if d.has_idev() {
        T::size()
    } else {
        0
    }
}

/// A `struct rtnl_af_ops` the kernel links into its list while registered.
struct AfOps {
    ops: core::cell::UnsafeCell<bindings::rtnl_af_ops>,
    _pin: core::marker::PhantomPinned,
}

/// `T` registered as the `AF_INET6` `rtnl_af_ops` while this lives.
///
/// # Invariants
/// `ops` is registered and not moved until unregistered in drop.
pub(crate) struct LinkAfRegistration<T: LinkAf> {
    ops: Pin<KBox<AfOps>>,
    _t: PhantomData<T>,
}

// SAFETY: touched only at module init and exit; the kernel serialises its own accesses
// (RTNL, RCU).
unsafe impl<T: LinkAf> Send for LinkAfRegistration<T> {}
// SAFETY: as above; `&LinkAfRegistration` exposes nothing.
unsafe impl<T: LinkAf> Sync for LinkAfRegistration<T> {}

impl<T: LinkAf> LinkAfRegistration<T> {
    pub(crate) fn register() -> Result<Self> {
        let ops = bindings::rtnl_af_ops {
            family: bindings::AF_INET6 as c_int,
            fill_link_af: Some(fill_link_af::<T>),
            get_link_af_size: Some(link_af_size::<T>),
            validate_link_af: Some(validate_link_af::<T>),
            set_link_af: Some(set_link_af::<T>),
            ..Default::default()
        };
        let ops = KBox::pin(
            AfOps {
                ops: core::cell::UnsafeCell::new(ops),
                _pin: core::marker::PhantomPinned,
            },
            GFP_KERNEL,
        )?;
        // SAFETY: pinned on the heap until unregistered in drop; the callbacks keep
        // their contracts. Takes RTNL itself.
        unsafe { bindings::rtnl_af_register(ops.ops.get()) };
        Ok(Self {
            ops,
            _t: PhantomData,
        })
    }
}

impl<T: LinkAf> Drop for LinkAfRegistration<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `register`; waits for readers (`synchronize_rcu()`).
        unsafe { bindings::rtnl_af_unregister(self.ops.ops.get()) };
    }
}
