// SPDX-License-Identifier: GPL-2.0

//! The socket operations adapter: a protocol (UDP, raw, ping, and TCP later) implements
//! [`Proto`] over safe types, and [`set_ops`] puts the trampolines that call it into
//! its `struct proto`, as `phy::Driver` does for PHY drivers upstream. The socket layer
//! calls them with the socket held, so each call borrows the socket, the message and
//! the option buffers for its own duration.

use crate::{
    bindings,
    net::{
        skb::{Skb, SkbRef},
        sock::{sockaddr, Sock},
    },
    sock::{SockAddr, SIN6_LEN},
};
use core::{
    ffi::{c_int, c_uint},
    marker::PhantomData,
    net::Ipv6Addr,
    ptr::NonNull,
};
use kernel::{build_error, error::VTABLE_DEFAULT_ERROR, prelude::*};

/// `MSG_*` flags of `sendmsg`/`recvmsg` (`include/linux/socket.h`).
pub(crate) mod msg_flags {
    /// `MSG_PEEK`.
    pub(crate) const PEEK: i32 = 2;
    /// `MSG_TRUNC`.
    pub(crate) const TRUNC: i32 = 0x20;
    /// `MSG_DONTWAIT`.
    pub(crate) const DONTWAIT: i32 = 0x40;
    /// `MSG_ERRQUEUE`.
    pub(crate) const ERRQUEUE: i32 = 0x2000;
}

/// A message being sent or received (`struct msghdr`), borrowed for one call.
///
/// # Invariants
/// `ptr` is the socket layer's message of a running `sendmsg`/`recvmsg`, valid and not
/// otherwise used for `'a`; on a send, `msg_name` holds `msg_namelen` bytes copied in by
/// the socket layer, and on a receive it is null or a `sockaddr_storage`.
pub(crate) struct Msg<'a> {
    ptr: NonNull<bindings::msghdr>,
    _call: PhantomData<&'a mut bindings::msghdr>,
}

impl Msg<'_> {
    /// # Safety
    /// `msg` must be the message of a running `sendmsg`/`recvmsg` (see the type's
    /// invariants), for the lifetime chosen.
    pub(crate) unsafe fn from_raw(msg: *mut bindings::msghdr) -> Option<Self> {
        NonNull::new(msg).map(|ptr| Self {
            ptr,
            _call: PhantomData,
        })
    }

    pub(crate) fn as_ptr(&self) -> *mut bindings::msghdr {
        self.ptr.as_ptr()
    }

    fn raw(&self) -> &bindings::msghdr {
        // SAFETY: valid for the call (type invariant).
        unsafe { self.ptr.as_ref() }
    }

    /// `msg_flags`.
    pub(crate) fn flags(&self) -> i32 {
        self.raw().msg_flags as i32
    }

    /// Sets `flag` in `msg_flags` (`MSG_TRUNC` on a short read, say).
    pub(crate) fn set_flag(&mut self, flag: i32) {
        // SAFETY: ours for the call (type invariant).
        unsafe { (*self.as_ptr()).msg_flags |= flag as c_uint };
    }

    /// The destination of a send, as the socket layer copied it in (`msg_name`).
    pub(crate) fn name(&self) -> Option<&[u8]> {
        let m = self.raw();
        if m.msg_name.is_null() {
            return None;
        }
        let len = usize::try_from(m.msg_namelen).unwrap_or(0);
        // SAFETY: `msg_namelen` bytes at `msg_name` on a send (type invariant).
        Some(unsafe { core::slice::from_raw_parts(m.msg_name.cast::<u8>(), len) })
    }

    /// The destination of a send as a `sockaddr_in6` (`-EINVAL` if it is not one).
    pub(crate) fn sockaddr(&self) -> Result<SockAddr, i32> {
        let m = self.raw();
        // SAFETY: as in `name`.
        unsafe { sockaddr(m.msg_name.cast(), m.msg_namelen) }
    }

    /// Whether a receive is asked for the sender's address.
    pub(crate) fn wants_name(&self) -> bool {
        !self.raw().msg_name.is_null()
    }

    /// Writes the sender's `sockaddr_in6` on a receive that asked for it; returns its
    /// length for `addr_len`.
    pub(crate) fn put_name(&mut self, addr: &Ipv6Addr, port: u16, scope_id: u32) -> i32 {
        let out = self.raw().msg_name;
        if !out.is_null() {
            let b = SockAddr::emit(addr, port, 0, scope_id);
            // SAFETY: a receive's `msg_name` is a `sockaddr_storage` (type invariant).
            unsafe { core::ptr::copy_nonoverlapping(b.as_ptr(), out.cast::<u8>(), b.len()) };
        }
        SIN6_LEN as i32
    }

    /// The control messages of a send, in the kernel's copy of them (empty if there
    /// are none, or for a user-space buffer, which sends never have here).
    pub(crate) fn control(&self) -> &[u8] {
        let mut len = 0usize;
        // SAFETY: valid for the call (type invariant); the helper reads two fields.
        let p = unsafe { bindings::ipv6_rs_msg_control(self.as_ptr(), &mut len) };
        if p.is_null() || len == 0 {
            return &[];
        }
        // SAFETY: a kernel buffer of `msg_controllen` bytes, ours for the call and
        // unchanged while `self` is borrowed.
        unsafe { core::slice::from_raw_parts(p.cast::<u8>(), len) }
    }

    /// `put_cmsg()`: appends one control message (truncated, with `MSG_CTRUNC`, if
    /// there is no room).
    pub(crate) fn put_cmsg(&mut self, level: i32, ty: i32, data: &[u8]) {
        // SAFETY: the call's message; `put_cmsg()` copies `data`, which it only reads.
        unsafe {
            bindings::put_cmsg(
                self.as_ptr(),
                level,
                ty,
                data.len() as c_int,
                data.as_ptr().cast_mut().cast(),
            )
        };
    }

    /// Appends `len` bytes of the message's data to `skb` (`skb_put()` and
    /// `memcpy_from_msg()`).
    pub(crate) fn copy_to_skb(&mut self, skb: &mut Skb, len: usize) -> Result<(), i32> {
        let len = c_int::try_from(len).map_err(|_| crate::errno::EMSGSIZE)?;
        // SAFETY: our packet, with room for `len` more bytes (the caller sized it);
        // the call's message.
        match unsafe { bindings::ipv6_rs_skb_put_from_msg(skb.as_ptr(), self.as_ptr(), len) } {
            0 => Ok(()),
            r => Err(-r),
        }
    }

    /// Copies `len` bytes of `skb`'s data from `off` into the message
    /// (`skb_copy_datagram_msg()`).
    pub(crate) fn copy_from_skb(
        &mut self,
        skb: SkbRef<'_>,
        off: usize,
        len: usize,
    ) -> Result<(), i32> {
        let (Ok(off), Ok(len)) = (c_int::try_from(off), c_int::try_from(len)) else {
            return Err(crate::errno::EINVAL);
        };
        // SAFETY: a packet we hold; the call's message.
        match unsafe {
            bindings::ipv6_rs_skb_copy_datagram_msg(skb.as_ptr(), off, self.as_ptr(), len)
        } {
            0 => Ok(()),
            r => Err(-r),
        }
    }

    /// `ipv6_recv_error()`'s name and timestamp of a packet from the socket's error
    /// queue; the name's length, 0 if none was asked for.
    pub(crate) fn put_error_name(&mut self, sk: &Sock, skb: SkbRef<'_>) -> i32 {
        let mut len: c_int = 0;
        // SAFETY: the call's message and socket; an error packet we hold, queued by
        // `ipv6_rs_icmp_error_queue()` with its `sock_exterr_skb`.
        unsafe {
            bindings::ipv6_rs_recv_error_name(sk.as_ptr(), self.as_ptr(), skb.as_ptr(), &mut len)
        };
        len
    }

    /// `ipv6_recv_error()`'s `IPV6_RECVERR` control message, and `MSG_ERRQUEUE`.
    pub(crate) fn put_error_cmsg(&mut self, skb: SkbRef<'_>) {
        // SAFETY: as in `put_error_name`.
        unsafe { bindings::ipv6_rs_recv_error_cmsg(self.as_ptr(), skb.as_ptr()) };
    }

    /// `sock_recv_cmsgs()`: the socket-level ancillary data of a received packet
    /// (timestamps, marks, drops).
    pub(crate) fn recv_sock_cmsgs(&mut self, sk: &Sock, skb: SkbRef<'_>) {
        // SAFETY: the call's message and socket, and a packet we hold.
        unsafe { bindings::ipv6_rs_sock_recv_cmsgs(self.as_ptr(), sk.as_ptr(), skb.as_ptr()) };
    }
}

/// An option value being set (`setsockopt()`'s `optval`, `optlen`), for one call.
///
/// # Invariants
/// `val` is the socket layer's `sockptr_t` of a running `setsockopt` with `len` bytes.
pub(crate) struct OptIn<'a> {
    val: bindings::sockptr_t,
    len: c_uint,
    _call: PhantomData<&'a ()>,
}

impl OptIn<'_> {
    /// # Safety
    /// The arguments of a running `setsockopt`, for the lifetime chosen.
    pub(crate) unsafe fn from_raw(val: bindings::sockptr_t, len: c_uint) -> Self {
        Self {
            val,
            len,
            _call: PhantomData,
        }
    }

    /// `optlen`.
    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }

    /// Copies the first `dst.len()` bytes of the value (`copy_from_sockptr()`); the
    /// caller checked the length.
    pub(crate) fn read(&self, dst: &mut [u8]) -> Result<(), i32> {
        if dst.len() > self.len() {
            return Err(crate::errno::EINVAL);
        }
        // SAFETY: `dst.len()` bytes of the caller's buffer (checked by the helper).
        match unsafe {
            bindings::ipv6_rs_copy_from_sockptr(dst.as_mut_ptr().cast(), self.val, dst.len())
        } {
            0 => Ok(()),
            r => Err(-r),
        }
    }

    /// An `int` value, 0 when shorter than one, as mainline's `ipv6_setsockopt()` reads.
    pub(crate) fn int(&self) -> Result<i32, i32> {
        let mut b = [0u8; 4];
        if self.len() >= 4 {
            self.read(&mut b)?;
        }
        Ok(i32::from_ne_bytes(b))
    }

    pub(crate) fn raw(&self) -> (bindings::sockptr_t, c_uint) {
        (self.val, self.len)
    }
}

/// Where an option value is read out to (`getsockopt()`'s `optval`, `optlen`), for one
/// call.
///
/// # Invariants
/// `val` and `len` are the user pointers of a running `getsockopt`.
pub(crate) struct OptOut<'a> {
    val: *mut kernel::ffi::c_char,
    len: *mut c_int,
    _call: PhantomData<&'a ()>,
}

impl OptOut<'_> {
    /// # Safety
    /// The arguments of a running `getsockopt`, for the lifetime chosen.
    pub(crate) unsafe fn from_raw(val: *mut kernel::ffi::c_char, len: *mut c_int) -> Self {
        Self {
            val,
            len,
            _call: PhantomData,
        }
    }

    /// The caller's `*optlen`.
    pub(crate) fn len(&self) -> Result<i32, i32> {
        let mut len: c_int = 0;
        // SAFETY: a user pointer, checked by the helper.
        match unsafe { bindings::ipv6_rs_get_user_int(&mut len, self.len) } {
            0 => Ok(len),
            r => Err(-r),
        }
    }

    /// Writes an answer of `val`'s bytes as `do_ipv6_getsockopt()` does: at most
    /// `*optlen` of them (a negative length is `-EINVAL`), and the length used.
    pub(crate) fn put_bytes(&self, val: &[u8]) -> Result<(), i32> {
        let len = self.len()?;
        if len < 0 {
            return Err(crate::errno::EINVAL);
        }
        let len = (len as usize).min(val.len());
        // SAFETY: user pointers, checked by the helpers; `val` is ours.
        unsafe {
            let r = bindings::ipv6_rs_put_user_int(len as c_int, self.len);
            if r != 0 {
                return Err(-r);
            }
            let r = bindings::ipv6_rs_copy_to_user(self.val.cast(), val.as_ptr().cast(), len);
            if r != 0 {
                return Err(-r);
            }
        }
        Ok(())
    }

    /// Copies the first `dst.len()` bytes of the caller's buffer (the request part of
    /// an option such as `MCAST_MSFILTER`); the caller checked `*optlen`.
    pub(crate) fn read_val(&self, dst: &mut [u8]) -> Result<(), i32> {
        // SAFETY: a user pointer, checked by the helper; `dst` is ours.
        match unsafe {
            bindings::ipv6_rs_copy_from_user(dst.as_mut_ptr().cast(), self.val.cast(), dst.len())
        } {
            0 => Ok(()),
            r => Err(-r),
        }
    }

    /// Writes `val` at `offset` of the caller's buffer; the caller's `*optlen` is not
    /// checked, as mainline's `copy_to_sockptr_offset()` does not.
    pub(crate) fn write_at(&self, offset: usize, val: &[u8]) -> Result<(), i32> {
        // SAFETY: a user pointer, checked by the helper; `val` is ours.
        match unsafe {
            bindings::ipv6_rs_copy_to_user(
                self.val.wrapping_add(offset).cast(),
                val.as_ptr().cast(),
                val.len(),
            )
        } {
            0 => Ok(()),
            r => Err(-r),
        }
    }

    /// Sets `*optlen`.
    pub(crate) fn set_len(&self, len: i32) -> Result<(), i32> {
        // SAFETY: a user pointer, checked by the helper.
        match unsafe { bindings::ipv6_rs_put_user_int(len, self.len) } {
            0 => Ok(()),
            r => Err(-r),
        }
    }

    /// Writes an `int` answer (see [`Self::put_bytes`]).
    pub(crate) fn put_int(&self, val: i32) -> Result<(), i32> {
        self.put_bytes(&val.to_ne_bytes())
    }

    pub(crate) fn raw(&self) -> (*mut kernel::ffi::c_char, *mut c_int) {
        (self.val, self.len)
    }
}

/// The operations of an AF_INET6 protocol (its `struct proto`). Errors are positive
/// errno values; the adapter returns them negated, as the socket layer expects. An
/// operation a protocol does not implement keeps what its table had (the kernel's own
/// function, or none).
#[vtable]
pub(crate) trait Proto {
    /// `proto.init`, on a new socket.
    fn init(_sk: &Sock) -> Result<(), i32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `proto.bind`: `addr` is the caller's address as parsed (or why it is not one).
    fn bind(_sk: &Sock, _addr: Result<SockAddr, i32>) -> Result<(), i32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `proto.connect`: `addr` is the peer's address as parsed (or why it is not one).
    fn connect(_sk: &Sock, _addr: Result<SockAddr, i32>) -> Result<(), i32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// The family's part of closing the socket (`inet6_release()`), before the
    /// protocol's close.
    fn release(_sk: &Sock) {}
    /// `proto.setsockopt`.
    fn setsockopt(_sk: &Sock, _level: i32, _name: i32, _opt: &OptIn<'_>) -> Result<(), i32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `proto.getsockopt`.
    fn getsockopt(_sk: &Sock, _level: i32, _name: i32, _opt: &OptOut<'_>) -> Result<(), i32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `proto.sendmsg`: `len` bytes of data in `msg`; the bytes sent.
    fn sendmsg(_sk: &Sock, _msg: &mut Msg<'_>, _len: usize) -> Result<usize, i32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
    /// `proto.recvmsg`: at most `len` bytes into `msg`; the bytes received (or, with
    /// `MSG_TRUNC`, the datagram's length) and the length of the name written.
    fn recvmsg(
        _sk: &Sock,
        _msg: &mut Msg<'_>,
        _len: usize,
        _flags: i32,
    ) -> Result<(usize, i32), i32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// # Safety
/// The socket layer's `proto.init` call for a new socket of `T`'s protocol.
unsafe extern "C" fn init<T: Proto>(sk: *mut bindings::sock) -> c_int {
    // SAFETY: the socket layer passes a live socket of ours.
    let Some(sk) = (unsafe { Sock::from_raw(sk) }) else {
        return -crate::errno::EINVAL;
    };
    ret(T::init(sk))
}

fn ret(r: Result<(), i32>) -> c_int {
    match r {
        Ok(()) => 0,
        Err(e) => -e,
    }
}

/// The socket and address of a `proto.bind` or `proto.connect` call, handed to `op`.
///
/// # Safety
/// The socket layer's call, with a live socket of ours and `len` copied bytes at
/// `uaddr`.
unsafe fn with_addr(
    sk: *mut bindings::sock,
    uaddr: *mut bindings::sockaddr,
    len: c_int,
    op: impl FnOnce(&Sock, Result<SockAddr, i32>) -> Result<(), i32>,
) -> c_int {
    // SAFETY: see the function's contract.
    let (Some(sk), a) = (unsafe { Sock::from_raw(sk) }, unsafe {
        sockaddr(uaddr, len)
    }) else {
        return -crate::errno::EINVAL;
    };
    ret(op(sk, a))
}

/// # Safety
/// The socket layer's `proto.bind` call for a socket of `T`'s protocol.
unsafe extern "C" fn bind<T: Proto>(
    sk: *mut bindings::sock,
    uaddr: *mut bindings::sockaddr,
    len: c_int,
) -> c_int {
    // SAFETY: the function's contract is `with_addr`'s.
    unsafe { with_addr(sk, uaddr, len, T::bind) }
}

/// # Safety
/// The socket layer's `proto.connect` call for a socket of `T`'s protocol.
unsafe extern "C" fn connect<T: Proto>(
    sk: *mut bindings::sock,
    uaddr: *mut bindings::sockaddr,
    len: c_int,
) -> c_int {
    // SAFETY: the function's contract is `with_addr`'s.
    unsafe { with_addr(sk, uaddr, len, T::connect) }
}

/// # Safety
/// The socket layer's `proto.setsockopt` call for a socket of `T`'s protocol.
unsafe extern "C" fn setsockopt<T: Proto>(
    sk: *mut bindings::sock,
    level: c_int,
    name: c_int,
    optval: bindings::sockptr_t,
    optlen: c_uint,
) -> c_int {
    // SAFETY: the socket layer passes a live socket of ours and its option.
    let (Some(sk), opt) = (unsafe { Sock::from_raw(sk) }, unsafe {
        OptIn::from_raw(optval, optlen)
    }) else {
        return -crate::errno::EINVAL;
    };
    ret(T::setsockopt(sk, level, name, &opt))
}

/// # Safety
/// The socket layer's `proto.getsockopt` call for a socket of `T`'s protocol.
unsafe extern "C" fn getsockopt<T: Proto>(
    sk: *mut bindings::sock,
    level: c_int,
    name: c_int,
    optval: *mut kernel::ffi::c_char,
    optlen: *mut c_int,
) -> c_int {
    // SAFETY: the socket layer passes a live socket of ours and its buffers.
    let (Some(sk), opt) = (unsafe { Sock::from_raw(sk) }, unsafe {
        OptOut::from_raw(optval, optlen)
    }) else {
        return -crate::errno::EINVAL;
    };
    ret(T::getsockopt(sk, level, name, &opt))
}

/// # Safety
/// The socket layer's `proto.sendmsg` call for a socket of `T`'s protocol.
unsafe extern "C" fn sendmsg<T: Proto>(
    sk: *mut bindings::sock,
    msg: *mut bindings::msghdr,
    len: usize,
) -> c_int {
    // SAFETY: the socket layer passes a live socket of ours and its message.
    let (Some(sk), Some(mut msg)) = (unsafe { Sock::from_raw(sk) }, unsafe { Msg::from_raw(msg) })
    else {
        return -crate::errno::EINVAL;
    };
    match T::sendmsg(sk, &mut msg, len) {
        Ok(n) => n as c_int,
        Err(e) => -e,
    }
}

/// # Safety
/// The socket layer's `proto.recvmsg` call for a socket of `T`'s protocol.
unsafe extern "C" fn recvmsg<T: Proto>(
    sk: *mut bindings::sock,
    msg: *mut bindings::msghdr,
    len: usize,
    flags: c_int,
    addr_len: *mut c_int,
) -> c_int {
    // SAFETY: the socket layer passes a live socket of ours and its message.
    let (Some(sk), Some(mut msg)) = (unsafe { Sock::from_raw(sk) }, unsafe { Msg::from_raw(msg) })
    else {
        return -crate::errno::EINVAL;
    };
    match T::recvmsg(sk, &mut msg, len, flags) {
        Ok((n, name_len)) => {
            if name_len != 0 {
                // SAFETY: the socket layer's `addr_len` for the call.
                unsafe { *addr_len = name_len };
            }
            n as c_int
        }
        Err(e) => -e,
    }
}

/// Puts the operations `T` implements into the protocol table `p`.
pub(crate) fn set_ops<T: Proto>(p: &mut bindings::proto) {
    if T::HAS_INIT {
        p.init = Some(init::<T>);
    }
    if T::HAS_BIND {
        p.bind = Some(bind::<T>);
    }
    if T::HAS_CONNECT {
        p.connect = Some(connect::<T>);
    }
    if T::HAS_SETSOCKOPT {
        p.setsockopt = Some(setsockopt::<T>);
    }
    if T::HAS_GETSOCKOPT {
        p.getsockopt = Some(getsockopt::<T>);
    }
    if T::HAS_SENDMSG {
        p.sendmsg = Some(sendmsg::<T>);
    }
    if T::HAS_RECVMSG {
        p.recvmsg = Some(recvmsg::<T>);
    }
}
