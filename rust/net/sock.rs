// SPDX-License-Identifier: GPL-2.0

//! AF_INET6 sockets (mainline `net/ipv6/af_inet6.c`, `datagram.c`, `ipv6_sockglue.c`):
//! the address family, the kernel's own `struct sock` with its IPv6 part
//! (`struct ipv6_pinfo`, found through `inet_sk(sk)->pinet6` as built-in code expects),
//! `bind`/`connect`/`getname`, and the `SOL_IPV6` options every AF_INET6 socket has.
//! The protocol implementations (raw, ...) live in their own files and plug into the
//! tables registered here.

use crate::net::netns::Net;
use crate::net::proto::{Msg, OptIn, OptOut};
use crate::net::skb::{Skb, SkbRef};
use crate::net::{
    ping::{PingOps, PingV6},
    proto::Proto,
};
use crate::{
    addrconf::errno,
    bindings,
    sock::{self as rules, opt, Protosw, SockAddr, SIN6_LEN},
};
use core::{
    ffi::{c_int, c_uint, c_void},
    net::Ipv6Addr,
    ptr::NonNull,
    sync::atomic::{AtomicPtr, Ordering},
};
use kernel::{ffi::c_ulong, prelude::*, types::Opaque};

/// What the ancillary data of a send asks for (`struct ipcm6_cookie`'s fields that
/// are implemented): hop limit, traffic class and `IPV6_DONTFRAG` (-1 unless given),
/// and the source and interface of `IPV6_PKTINFO`.
pub(crate) type SendCmsgs = crate::wire::cmsg::SendCtl;

/// `inet6_flags` bits of a socket (`include/linux/ipv6.h`), for [`Sock::test_bit`].
pub(crate) const HDRINCL: u32 = bindings::IPV6_RS_SK_HDRINCL;
/// `IPV6_RECVERR` is on.
pub(crate) const RECVERR6: u32 = bindings::IPV6_RS_SK_RECVERR6;

/// `SOL_IPV6`.
pub(crate) const SOL_IPV6: c_int = 41;
/// `SOL_ICMPV6`.
pub(crate) const SOL_ICMPV6: c_int = 58;
/// `SOL_RAW`.
pub(crate) const SOL_RAW: c_int = 255;
/// `TCP_ESTABLISHED`, `TCP_CLOSE`: the states datagram sockets use.
pub(crate) const TCP_ESTABLISHED: u8 = 1;
pub(crate) const TCP_CLOSE: u8 = 7;

/// A socket of ours, only ever seen as `&Sock`: borrowed for the duration of a call
/// from the socket layer (which holds a reference on it), or for the RCU section of a
/// walk of a socket hash (sockets are freed after a grace period).
///
/// # Invariants
/// The socket is a live AF_INET6 socket allocated from one of our `struct proto`s
/// (so its `inet_sk(sk)->pinet6` points at its `ipv6_pinfo`) for the reference's
/// lifetime. Fields are read and written through the pointer, never as a reference to
/// the whole C struct.
#[repr(transparent)]
pub(crate) struct Sock(Opaque<bindings::sock>);

impl Sock {
    /// # Safety
    /// `sk` must be null or a live socket of ours for `'a`.
    pub(crate) unsafe fn from_raw<'a>(sk: *mut bindings::sock) -> Option<&'a Self> {
        // SAFETY: `repr(transparent)` over the C struct; liveness is the caller's
        // promise.
        NonNull::new(sk).map(|p| unsafe { &*p.as_ptr().cast::<Self>() })
    }

    pub(crate) fn as_ptr(&self) -> *mut bindings::sock {
        self.0.get()
    }

    fn common(&self) -> *mut bindings::sock_common {
        // SAFETY: `sk_common` is the first member of a live socket (type invariant).
        unsafe { &raw mut (*self.as_ptr()).__sk_common }
    }

    fn inet(&self) -> *mut bindings::inet_sock {
        // `struct sock` is the first member of `struct inet_sock`, which all ours are.
        self.as_ptr().cast()
    }

    fn pinfo(&self) -> *mut bindings::ipv6_pinfo {
        // SAFETY: live socket (type invariant); set at creation.
        unsafe { bindings::ipv6_rs_sk_pinfo(self.as_ptr()) }
    }

    /// Whether any `IPV6_RECV*` option asks for ancillary data (`np->rxopt.all`).
    pub(crate) fn rxopt_any(&self) -> bool {
        // SAFETY: a live socket (type invariant).
        unsafe { bindings::ipv6_rs_sk_rxopt(self.as_ptr()) != 0 }
    }

    /// `ipv6_icmp_error()`: queues on the socket's error queue a clone of the received
    /// ICMPv6 error `skb` (transport header at its ICMPv6 header, data at the quoted
    /// IPv6 header) as errno `err` about its packet to `port`, with `info`; the
    /// socket's own data starts `payload` bytes after the quoted IPv6 header.
    pub(crate) fn queue_icmp_error(
        &self,
        skb: SkbRef<'_>,
        err: i32,
        port: u16,
        info: u32,
        payload: usize,
    ) {
        let payload = c_int::try_from(payload).unwrap_or(c_int::MAX);
        // SAFETY: a live socket (type invariant) and a received packet we hold; the
        // helper queues a clone.
        unsafe {
            bindings::ipv6_rs_icmp_error_queue(
                self.as_ptr(),
                skb.as_ptr(),
                err,
                port.to_be(),
                info,
                payload,
            )
        };
    }

    /// `sk->sk_err = err` and wake the owner (`sk_error_report()`).
    pub(crate) fn report_error(&self, err: i32) {
        // SAFETY: a live socket (type invariant).
        unsafe { bindings::ipv6_rs_sk_report_error(self.as_ptr(), err) };
    }

    /// The oldest packet of the socket's error queue (`sock_dequeue_err_skb()`).
    pub(crate) fn dequeue_err_skb(&self) -> Option<Skb> {
        // SAFETY: a live socket (type invariant); the packet dequeued is ours.
        unsafe { Skb::from_raw(bindings::sock_dequeue_err_skb(self.as_ptr())) }
    }

    /// Counts a datagram the socket dropped (`sk_drops`).
    pub(crate) fn inc_drops(&self) {
        // SAFETY: a live socket (type invariant); an atomic counter.
        unsafe { bindings::ipv6_rs_sk_inc_drops(self.as_ptr()) };
    }

    /// `__inet6_bind()`'s bookkeeping after a successful bind: the IPv4 view of the
    /// address, `SOCK_BINDADDR_LOCK`/`SOCK_BINDPORT_LOCK`, `inet_sport`. Under the lock.
    pub(crate) fn bind_locks(&self, addr: bool, port: bool, v6_specific: bool) {
        // SAFETY: a live socket under its lock (the caller's).
        unsafe { bindings::ipv6_rs_sk_bind_locks(self.as_ptr(), addr, port, v6_specific) };
    }

    /// `sock_net(sk)`.
    pub(crate) fn net(&self) -> &Net {
        // SAFETY: live socket.
        unsafe { Net::from_raw(bindings::ipv6_rs_sock_net(self.as_ptr())) }
    }

    /// `inet_num`: the protocol of a raw socket, the local port of others.
    pub(crate) fn num(&self) -> u16 {
        // SAFETY: live socket; a plain field read.
        unsafe { (*self.common()).__bindgen_anon_3.__bindgen_anon_1.skc_num }
    }

    /// What policy rules and the multipath hash see of the socket's packets: its mark,
    /// owner, protocol and source port.
    pub(crate) fn flow_keys(&self) -> crate::flow::FlowKeys {
        let (mut mark, mut uid, mut proto, mut sport) = (0, 0, 0, 0);
        // SAFETY: live socket; plain field reads.
        unsafe {
            bindings::ipv6_rs_sk_flow_keys(
                self.as_ptr(),
                &mut mark,
                &mut uid,
                &mut proto,
                &mut sport,
            )
        };
        crate::flow::FlowKeys {
            mark,
            uid,
            proto,
            sport,
            ..Default::default()
        }
    }

    pub(crate) fn bound_dev_if(&self) -> u32 {
        // SAFETY: live socket; a plain field read.
        unsafe { (*self.common()).skc_bound_dev_if as u32 }
    }

    /// Call under the socket lock ([`Sock::locked`]).
    pub(crate) fn set_bound_dev_if(&self, ifindex: u32) {
        // SAFETY: live socket, under its lock (callers).
        unsafe { (*self.common()).skc_bound_dev_if = ifindex as c_int };
    }

    /// `sk_v6_rcv_saddr`: the bound address (unspecified: any).
    pub(crate) fn rcv_saddr(&self) -> Ipv6Addr {
        // SAFETY: live socket; plain bytes.
        Ipv6Addr::from(unsafe { (*self.common()).skc_v6_rcv_saddr.in6_u.u6_addr8 })
    }

    /// Call under the socket lock ([`Sock::locked`]).
    pub(crate) fn set_rcv_saddr(&self, a: &Ipv6Addr) {
        // SAFETY: live socket, under its lock.
        unsafe { (*self.common()).skc_v6_rcv_saddr = crate::net::in6(a) };
    }

    /// `sk_v6_daddr`: the connected peer (unspecified: none).
    pub(crate) fn daddr(&self) -> Ipv6Addr {
        // SAFETY: live socket; plain bytes.
        Ipv6Addr::from(unsafe { (*self.common()).skc_v6_daddr.in6_u.u6_addr8 })
    }

    /// Call under the socket lock ([`Sock::locked`]).
    pub(crate) fn set_daddr(&self, a: &Ipv6Addr) {
        // SAFETY: live socket, under its lock.
        unsafe { (*self.common()).skc_v6_daddr = crate::net::in6(a) };
    }

    /// `np->saddr`: the source address for sending (unspecified: choose per packet).
    pub(crate) fn saddr(&self) -> Ipv6Addr {
        // SAFETY: live socket with its ipv6_pinfo.
        Ipv6Addr::from(unsafe { (*self.pinfo()).saddr.in6_u.u6_addr8 })
    }

    /// Call under the socket lock ([`Sock::locked`]).
    pub(crate) fn set_saddr(&self, a: &Ipv6Addr) {
        // SAFETY: live socket, under its lock.
        unsafe { (*self.pinfo()).saddr = crate::net::in6(a) };
    }

    /// `inet_dport` and `inet_sport` (host order).
    pub(crate) fn dport(&self) -> u16 {
        // SAFETY: live socket; a plain field read.
        u16::from_be(unsafe { (*self.common()).__bindgen_anon_3.__bindgen_anon_1.skc_dport })
    }

    /// Call under the socket lock ([`Sock::locked`]).
    pub(crate) fn set_dport(&self, port: u16) {
        // SAFETY: live socket, under its lock.
        unsafe { (*self.common()).__bindgen_anon_3.__bindgen_anon_1.skc_dport = port.to_be() };
    }

    pub(crate) fn sport(&self) -> u16 {
        // SAFETY: live inet socket; a plain field read.
        u16::from_be(unsafe { (*self.inet()).inet_sport })
    }

    /// `sk_ipv6only`.
    pub(crate) fn ipv6only(&self) -> bool {
        // SAFETY: live socket.
        unsafe { bindings::ipv6_rs_sk_ipv6only(self.as_ptr()) }
    }

    pub(crate) fn set_ipv6only(&self, on: bool) {
        // SAFETY: live socket, under its lock.
        unsafe { bindings::ipv6_rs_sk_set_ipv6only(self.as_ptr(), on) }
    }

    /// Changes the socket's `ipv6_pinfo` (`np`) under the socket lock, which callers
    /// hold: the option setters, as `do_ipv6_setsockopt()` writes them.
    fn with_pinfo<T>(&self, f: impl FnOnce(&mut bindings::ipv6_pinfo) -> T) -> T {
        // SAFETY: the socket's own ipv6_pinfo lives as long as the socket (type
        // invariant); writers hold the socket lock, lockless readers read whole
        // small fields as mainline's do.
        f(unsafe { &mut *self.pinfo() })
    }

    /// `np->pmtudisc`.
    pub(crate) fn pmtudisc(&self) -> u8 {
        // SAFETY: live socket with its ipv6_pinfo.
        unsafe { (*self.pinfo()).pmtudisc }
    }

    pub(crate) fn state(&self) -> u8 {
        // SAFETY: live socket; a plain field read.
        unsafe { (*self.common()).skc_state }
    }

    /// Call under the socket lock ([`Sock::locked`]).
    pub(crate) fn set_state(&self, s: u8) {
        // SAFETY: live socket, under its lock.
        unsafe { (*self.common()).skc_state = s };
    }

    /// `np->hop_limit` (-1: the route's), `np->mcast_hops`, `np->tclass`.
    pub(crate) fn hop_limits(&self) -> (i16, u8) {
        // SAFETY: live socket with its ipv6_pinfo.
        unsafe { ((*self.pinfo()).hop_limit, (*self.pinfo()).mcast_hops) }
    }

    pub(crate) fn tclass(&self) -> u8 {
        // SAFETY: live socket with its ipv6_pinfo.
        unsafe { (*self.pinfo()).tclass }
    }

    /// `np->ucast_oif` and `np->mcast_oif`.
    pub(crate) fn oifs(&self) -> (u32, u32) {
        // SAFETY: live socket with its ipv6_pinfo.
        unsafe {
            (
                (*self.pinfo()).ucast_oif as u32,
                (*self.pinfo()).mcast_oif as u32,
            )
        }
    }

    /// `np->sticky_pktinfo.ipi6_ifindex`: the `IPV6_PKTINFO` option's interface, which
    /// UDP and ping sends and datagram connects use when nothing else names one.
    pub(crate) fn sticky_oif(&self) -> u32 {
        // SAFETY: live socket with its ipv6_pinfo.
        unsafe { (*self.pinfo()).sticky_pktinfo.ipi6_ifindex as u32 }
    }

    /// `ipv6_can_nonlocal_bind()`: addresses that are not ours may be bound and sent
    /// from (the `ip_nonlocal_bind` sysctl, `IPV6_FREEBIND`, `IPV6_TRANSPARENT`).
    pub(crate) fn can_nonlocal_bind(&self) -> bool {
        // SAFETY: live socket.
        unsafe { bindings::ipv6_rs_sk_can_nonlocal_bind(self.as_ptr()) }
    }

    /// Whether an `IPV6_RECV*` option is on.
    pub(crate) fn rxopt(&self, opt: c_int) -> bool {
        // SAFETY: live socket.
        unsafe { bindings::ipv6_rs_sk_rxopt_test(self.as_ptr(), opt) }
    }

    /// `IPV6_MULTICAST_ALL`: multicast for groups the socket did not join too.
    pub(crate) fn mc_all(&self) -> bool {
        self.test_bit(bindings::IPV6_RS_SK_MC6_ALL)
    }

    /// Sets `IPV6_MULTICAST_ALL`; under the socket's lock.
    pub(crate) fn set_mc_all(&self, on: bool) {
        // SAFETY: a live socket under its lock (the caller's).
        unsafe {
            bindings::ipv6_rs_sk_assign_bit(
                self.as_ptr(),
                bindings::IPV6_RS_SK_MC6_ALL as c_int,
                on,
            )
        };
    }

    pub(crate) fn test_bit(&self, bit: u32) -> bool {
        // SAFETY: live socket.
        unsafe { bindings::ipv6_rs_sk_test_bit(self.as_ptr(), bit as c_int) }
    }

    /// Moves the socket to the hash chain of its (new) local address with its
    /// protocol's `rehash`, if it has one. Call under the socket lock.
    pub(crate) fn rehash(&self) {
        // SAFETY: a live socket of ours under its lock; its protocol table outlives it.
        unsafe {
            if let Some(rehash) = (*(*self.as_ptr()).__sk_common.skc_prot).rehash {
                rehash(self.as_ptr());
            }
        }
    }

    /// `ipv6_local_error()`: with `IPV6_RECVERR`, queues a local error `err` about a
    /// packet to `dst`:`port` with `info` (an MTU, say) on the error queue.
    pub(crate) fn local_error(&self, err: i32, dst: &Ipv6Addr, port: u16, info: u32) {
        // SAFETY: a live socket; the helper queues a new skb of its own.
        unsafe {
            bindings::ipv6_rs_local_error(
                self.as_ptr(),
                err,
                &crate::net::in6(dst),
                port.to_be(),
                info,
            )
        };
    }

    /// Runs `f` under the socket lock (`lock_sock()`; process context).
    pub(crate) fn locked<T>(&self, f: impl FnOnce() -> T) -> T {
        // SAFETY: live socket, process context.
        unsafe { bindings::ipv6_rs_lock_sock(self.as_ptr()) };
        let r = f();
        // SAFETY: paired with the lock above.
        unsafe { bindings::release_sock(self.as_ptr()) };
        r
    }
}

/// The tables the socket layer calls us through, alive while the family is registered.
struct Tables {
    raw_prot: bindings::proto,
    raw_ops: bindings::proto_ops,
    udp_prot: bindings::proto,
    udp_ops: bindings::proto_ops,
    ping_prot: bindings::proto,
    family: bindings::net_proto_family,
}

/// The registered tables, for `inet6_create()`.
static TABLES: AtomicPtr<Tables> = AtomicPtr::new(core::ptr::null_mut());

/// The AF_INET6 address family and its protocols, registered while this lives: raw
/// sockets `R`, UDP `U` and ping `P`.
pub(crate) struct Family<R, U, P: PingV6> {
    tables: NonNull<Tables>,
    /// The hooks built-in ping code calls for AF_INET6 sockets.
    _ping_ops: Option<PingOps<P>>,
    _protos: core::marker::PhantomData<(R, U)>,
}

// SAFETY: the tables are only read by the kernel after registration and freed in drop;
// `R`, `U` and `P` are type-level only.
unsafe impl<R, U, P: PingV6> Send for Family<R, U, P> {}
// SAFETY: as above; no interior mutability on our side.
unsafe impl<R, U, P: PingV6> Sync for Family<R, U, P> {}

fn set_name(dst: &mut [kernel::ffi::c_char; 32], name: &str) {
    for (d, s) in dst.iter_mut().zip(name.bytes()) {
        *d = s as _;
    }
}

impl<R: Proto, U: Proto, P: Proto + PingV6> Family<R, U, P> {
    pub(crate) fn register(module: &'static ThisModule) -> Result<Self> {
        let owner: *mut bindings::module = module.as_ptr().cast();
        let mut t = KBox::new(
            Tables {
                raw_prot: super::raw::proto::<R>(owner),
                raw_ops: dgram_ops(owner, inet6_release::<R>),
                udp_prot: super::udp::proto::<U>(owner),
                ping_prot: super::ping::proto::<P>(owner),
                udp_ops: bindings::proto_ops {
                    poll: Some(bindings::udp_poll),
                    set_peek_off: Some(bindings::sk_set_peek_off),
                    ..dgram_ops(owner, inet6_release::<U>)
                },
                family: bindings::net_proto_family {
                    family: bindings::PF_INET6 as c_int,
                    create: Some(inet6_create),
                    owner,
                },
            },
            GFP_KERNEL,
        )?;
        set_name(&mut t.raw_prot.name, "RAWv6");
        set_name(&mut t.udp_prot.name, "UDPv6");
        set_name(&mut t.ping_prot.name, "PINGv6");
        let t = NonNull::from(KBox::leak(t));
        // SAFETY: `t` lives until drop, after proto_unregister().
        let r = unsafe { bindings::proto_register(&raw mut (*t.as_ptr()).raw_prot, 1) };
        if r != 0 {
            // SAFETY: leaked above, never registered.
            drop(unsafe { KBox::from_raw(t.as_ptr()) });
            return Err(Error::from_errno(r));
        }
        // SAFETY: as above.
        let r = unsafe { bindings::proto_register(&raw mut (*t.as_ptr()).udp_prot, 1) };
        if r != 0 {
            // SAFETY: registered above; leaked above.
            unsafe {
                bindings::proto_unregister(&raw mut (*t.as_ptr()).raw_prot);
                drop(KBox::from_raw(t.as_ptr()));
            }
            return Err(Error::from_errno(r));
        }
        // SAFETY: as above.
        let r = unsafe { bindings::proto_register(&raw mut (*t.as_ptr()).ping_prot, 1) };
        if r != 0 {
            // SAFETY: registered above; leaked above.
            unsafe {
                bindings::proto_unregister(&raw mut (*t.as_ptr()).udp_prot);
                bindings::proto_unregister(&raw mut (*t.as_ptr()).raw_prot);
                drop(KBox::from_raw(t.as_ptr()));
            }
            return Err(Error::from_errno(r));
        }
        let ping_ops = PingOps::<P>::register();
        TABLES.store(t.as_ptr(), Ordering::Release);
        // SAFETY: the family's table lives until drop, after sock_unregister().
        let r = unsafe { bindings::sock_register(&raw const (*t.as_ptr()).family) };
        if r != 0 {
            TABLES.store(core::ptr::null_mut(), Ordering::Release);
            drop(ping_ops);
            // SAFETY: registered above; no socket can exist yet.
            unsafe {
                bindings::proto_unregister(&raw mut (*t.as_ptr()).ping_prot);
                bindings::proto_unregister(&raw mut (*t.as_ptr()).udp_prot);
                bindings::proto_unregister(&raw mut (*t.as_ptr()).raw_prot);
            }
            // SAFETY: leaked above.
            drop(unsafe { KBox::from_raw(t.as_ptr()) });
            return Err(Error::from_errno(r));
        }
        Ok(Self {
            tables: t,
            _ping_ops: Some(ping_ops),
            _protos: core::marker::PhantomData,
        })
    }
}

impl<R, U, P: PingV6> Drop for Family<R, U, P> {
    fn drop(&mut self) {
        // SAFETY: registered in `register`. Sockets hold module references, so none is
        // left when the module goes; sock_unregister() waits for creators in flight.
        unsafe {
            bindings::sock_unregister(bindings::PF_INET6 as c_int);
            TABLES.store(core::ptr::null_mut(), Ordering::Release);
            self._ping_ops.take();
            bindings::proto_unregister(&raw mut (*self.tables.as_ptr()).ping_prot);
            bindings::proto_unregister(&raw mut (*self.tables.as_ptr()).udp_prot);
            bindings::proto_unregister(&raw mut (*self.tables.as_ptr()).raw_prot);
            drop(KBox::from_raw(self.tables.as_ptr()));
        }
    }
}

/// `inet6_sockraw_ops`/`inet6_dgram_ops`: the socket-level operations of datagram and
/// raw AF_INET6 sockets, mostly the kernel's generic ones.
fn dgram_ops(owner: *mut bindings::module, release: ReleaseFn) -> bindings::proto_ops {
    bindings::proto_ops {
        family: bindings::PF_INET6 as c_int,
        owner,
        release: Some(release),
        bind: Some(inet6_bind),
        connect: Some(bindings::inet_dgram_connect),
        socketpair: Some(bindings::sock_no_socketpair),
        accept: Some(bindings::sock_no_accept),
        getname: Some(inet6_getname),
        poll: Some(bindings::datagram_poll),
        ioctl: Some(inet6_ioctl),
        gettstamp: Some(bindings::sock_gettstamp),
        listen: Some(bindings::sock_no_listen),
        shutdown: Some(bindings::inet_shutdown),
        setsockopt: Some(bindings::sock_common_setsockopt),
        getsockopt: Some(bindings::sock_common_getsockopt),
        sendmsg: Some(bindings::inet_sendmsg),
        recvmsg: Some(bindings::sock_common_recvmsg),
        mmap: Some(bindings::sock_no_mmap),
        ..Default::default()
    }
}

type ReleaseFn = unsafe extern "C" fn(*mut bindings::socket) -> c_int;

/// `inet6_release()`: the protocol lets go of the socket's family state (multicast
/// memberships), then the socket is closed (`inet_release()`).
unsafe extern "C" fn inet6_release<T: Proto>(sock: *mut bindings::socket) -> c_int {
    // SAFETY: the socket layer passes a socket being released.
    let sk = unsafe { (*sock).sk };
    // SAFETY: a live socket of ours until `inet_release` below closes it.
    let Some(s) = (unsafe { Sock::from_raw(sk) }) else {
        return -errno::EINVAL;
    };
    T::release(s);
    // SAFETY: the caller's socket, as the socket layer's release expects.
    unsafe { bindings::inet_release(sock) }
}

/// `inet6_create()`: a new AF_INET6 socket of `sock->type` and `protocol`.
unsafe extern "C" fn inet6_create(
    net: *mut bindings::net,
    sock: *mut bindings::socket,
    protocol: c_int,
    kern: c_int,
) -> c_int {
    let tables = TABLES.load(Ordering::Acquire);
    if tables.is_null() {
        return -(bindings::EAFNOSUPPORT as c_int);
    }
    // SAFETY: the socket layer passes a new socket of its own.
    let ty = unsafe { (*sock).type_ } as i32;
    let (sw, protocol) = match rules::protosw(ty, protocol) {
        Ok(v) => v,
        Err(e) => return -e,
    };
    // SAFETY: the tables stay registered while the socket layer calls us (it holds a
    // module reference for the family across create).
    let t = unsafe { &mut *tables };
    let (prot, ops) = match sw {
        Protosw::Raw => (&raw mut t.raw_prot, &raw const t.raw_ops),
        Protosw::Udp => (&raw mut t.udp_prot, &raw const t.udp_ops),
        Protosw::Ping => (&raw mut t.ping_prot, &raw const t.raw_ops),
    };
    // SAFETY: `net` is the caller's live namespace.
    if sw == Protosw::Raw && kern == 0 && !unsafe { bindings::ipv6_rs_ns_capable_net_raw(net) } {
        return -(bindings::EPERM as c_int);
    }
    // SAFETY: as above; `sock` is the caller's new socket, `prot` is registered.
    unsafe {
        (*sock).ops = ops;
        let sk = bindings::ipv6_rs_sk_alloc(net, prot, kern);
        if sk.is_null() {
            return -(bindings::ENOBUFS as c_int);
        }
        bindings::sock_init_data(sock, sk);
        bindings::ipv6_rs_sk_init(sk, protocol, sw == Protosw::Raw);
        let p = &*(*sk).__sk_common.skc_prot;
        let mut err = 0;
        if sw == Protosw::Raw {
            if let Some(hash) = p.hash {
                err = hash(sk);
            }
        }
        if err == 0 {
            if let Some(init) = p.init {
                err = init(sk);
            }
        }
        if err != 0 {
            bindings::sk_common_release(sk);
            (*sock).sk = core::ptr::null_mut();
        }
        err
    }
}

/// `inet6_bind()`: the protocol's own bind.
unsafe extern "C" fn inet6_bind(
    sock: *mut bindings::socket,
    uaddr: *mut bindings::sockaddr,
    addr_len: c_int,
) -> c_int {
    // SAFETY: the socket layer passes a socket with its sock.
    let sk = unsafe { (*sock).sk };
    // SAFETY: live socket of ours; its protocol table is registered.
    match unsafe { (*(*sk).__sk_common.skc_prot).bind } {
        // SAFETY: the protocol's bind, with the caller's arguments.
        Some(bind) => unsafe { bind(sk, uaddr, addr_len) },
        None => -errno::EOPNOTSUPP,
    }
}

/// The `sockaddr_in6` the socket layer copied in, `len` bytes of it.
///
/// # Safety
/// `uaddr` points at `len` readable bytes (a kernel copy of the caller's address).
pub(crate) unsafe fn sockaddr(
    uaddr: *const bindings::sockaddr,
    len: c_int,
) -> Result<SockAddr, i32> {
    let len = usize::try_from(len)
        .map_err(|_| errno::EINVAL)?
        .min(SIN6_LEN);
    if uaddr.is_null() {
        return Err(errno::EINVAL);
    }
    // SAFETY: per the function's contract.
    SockAddr::parse(unsafe { core::slice::from_raw_parts(uaddr.cast::<u8>(), len) })
}

/// Writes a `sockaddr_in6` to `out` (the socket layer's `sockaddr_storage`).
///
/// # Safety
/// `out` points at writable storage of at least 28 bytes.
pub(crate) unsafe fn put_sockaddr(out: *mut c_void, addr: &Ipv6Addr, port: u16, scope_id: u32) {
    let b = SockAddr::emit(addr, port, 0, scope_id);
    // SAFETY: per the function's contract.
    unsafe { core::ptr::copy_nonoverlapping(b.as_ptr(), out.cast::<u8>(), b.len()) };
}

/// `inet6_getname()`: the local (`peer` 0) or connected (`peer` 1) address.
unsafe extern "C" fn inet6_getname(
    sock: *mut bindings::socket,
    uaddr: *mut bindings::sockaddr,
    peer: c_int,
) -> c_int {
    // SAFETY: the socket layer passes a live socket of ours.
    let Some(sk) = (unsafe { Sock::from_raw((*sock).sk) }) else {
        return -(bindings::EINVAL as c_int);
    };
    let r = sk.locked(|| {
        if peer != 0 {
            if sk.dport() == 0 || (sk.state() == TCP_CLOSE && peer == 1) {
                return Err(bindings::ENOTCONN as c_int);
            }
            Ok((sk.daddr(), sk.dport()))
        } else {
            let a = sk.rcv_saddr();
            Ok((if a.is_unspecified() { sk.saddr() } else { a }, sk.sport()))
        }
    });
    match r {
        Ok((addr, port)) => {
            let scope = rules::scope_id_for(&addr, sk.bound_dev_if());
            // SAFETY: `uaddr` is the socket layer's sockaddr_storage.
            unsafe { put_sockaddr(uaddr.cast(), &addr, port, scope) };
            SIN6_LEN as c_int
        }
        Err(e) => -e,
    }
}

/// `inet6_ioctl()`: the protocol's ioctls (queue sizes); device ioctls fall through
/// to the socket layer. Route and address ioctls (`SIOCADDRT`, `SIOCSIFADDR`) are not
/// implemented: iproute2 uses netlink.
unsafe extern "C" fn inet6_ioctl(sock: *mut bindings::socket, cmd: c_uint, arg: c_ulong) -> c_int {
    // SAFETY: the socket layer passes a live socket; `arg` is the caller's user pointer.
    unsafe { bindings::sk_ioctl((*sock).sk, cmd, arg as *mut c_void) }
}

/// `ipv6_setsockopt()` for the options this stack implements.
pub(crate) fn setsockopt(sk: &Sock, level: c_int, name: c_int, opt: &OptIn<'_>) -> Result<(), i32> {
    if level != SOL_IPV6 {
        return Err(errno::ENOPROTOOPT);
    }
    let optlen = opt.len();
    let raw = opt.int()?;
    let flag = |bit: u32, on: bool| {
        // SAFETY: live socket, under its lock.
        unsafe { bindings::ipv6_rs_sk_assign_bit(sk.as_ptr(), bit as c_int, on) }
    };
    sk.locked(|| {
        let val = rules::int_opt(name, optlen, raw);
        match name {
            opt::UNICAST_HOPS => {
                let v = val?;
                sk.with_pinfo(|p| p.hop_limit = v as i16)
            }
            opt::MULTICAST_HOPS => {
                let v = val?;
                sk.with_pinfo(|p| p.mcast_hops = v as u8)
            }
            opt::TCLASS => {
                let v = val?;
                sk.with_pinfo(|p| p.tclass = v as u8)
            }
            opt::MTU_DISCOVER => {
                let v = val?;
                sk.with_pinfo(|p| p.pmtudisc = v as u8)
            }
            opt::MULTICAST_LOOP => flag(bindings::IPV6_RS_SK_MC6_LOOP, val? != 0),
            opt::RECVERR => flag(bindings::IPV6_RS_SK_RECVERR6, val? != 0),
            // Any length: a short value reads as 0, as mainline reads it.
            opt::DONTFRAG => flag(bindings::IPV6_RS_SK_DONTFRAG, raw != 0),
            // Binding to addresses that are not ours (the IPv4 socket's bits, as
            // mainline: IPv6 has none of its own).
            opt::FREEBIND => flag(bindings::IPV6_RS_SK_FREEBIND, val? != 0),
            opt::TRANSPARENT => {
                // SAFETY: live socket.
                if raw != 0 && !unsafe { bindings::ipv6_rs_sk_may_transparent(sk.as_ptr()) } {
                    return Err(bindings::EPERM as i32);
                }
                flag(bindings::IPV6_RS_SK_TRANSPARENT, val? != 0)
            }
            opt::RECVPKTINFO | opt::RECVHOPLIMIT | opt::RECVTCLASS => {
                let on = val? != 0;
                // SAFETY: live socket, under its lock.
                unsafe { bindings::ipv6_rs_sk_set_rxopt(sk.as_ptr(), name, on) }
            }
            opt::V6ONLY => {
                let on = val? != 0;
                if sk.num() != 0 {
                    return Err(errno::EINVAL);
                }
                // SAFETY: live socket, under its lock.
                unsafe { bindings::ipv6_rs_sk_set_ipv6only(sk.as_ptr(), on) }
            }
            opt::PKTINFO => {
                // `struct in6_pktinfo`: the address, then the interface index.
                let mut p = [0u8; 20];
                if optlen < p.len() {
                    return Err(errno::EINVAL);
                }
                opt.read(&mut p)?;
                let ifindex = i32::from_ne_bytes([p[16], p[17], p[18], p[19]]);
                // sk_dev_equal_l3scope(), without l3mdev masters.
                let b = sk.bound_dev_if();
                if b != 0 && b as i32 != ifindex {
                    return Err(errno::EINVAL);
                }
                sk.with_pinfo(|np| {
                    np.sticky_pktinfo.ipi6_ifindex = ifindex;
                    let mut a = [0u8; 16];
                    a.copy_from_slice(&p[..16]);
                    np.sticky_pktinfo.ipi6_addr = crate::net::in6(&Ipv6Addr::from(a));
                });
            }
            opt::MULTICAST_IF | opt::UNICAST_IF => {
                val?;
                let ifindex = if name == opt::UNICAST_IF {
                    u32::from_be(raw as u32)
                } else {
                    raw as u32
                };
                if ifindex != 0 {
                    if sk
                        .net()
                        .dev_rcu(ifindex, &crate::net::rcu::Rcu::read_lock())
                        .is_none()
                    {
                        return Err(if name == opt::UNICAST_IF {
                            errno::EADDRNOTAVAIL
                        } else {
                            bindings::ENODEV as i32
                        });
                    }
                    let b = sk.bound_dev_if();
                    if name == opt::MULTICAST_IF && b != 0 && b != ifindex {
                        return Err(errno::EINVAL);
                    }
                }
                if name == opt::UNICAST_IF {
                    sk.with_pinfo(|p| p.ucast_oif = ifindex as c_int);
                } else {
                    sk.with_pinfo(|p| p.mcast_oif = ifindex as c_int);
                }
            }
            _ => return Err(errno::ENOPROTOOPT),
        }
        Ok(())
    })
}

/// `ipv6_getsockopt()` for the options this stack implements.
pub(crate) fn getsockopt(
    sk: &Sock,
    level: c_int,
    name: c_int,
    opt: &OptOut<'_>,
) -> Result<(), i32> {
    if level != SOL_IPV6 {
        return Err(errno::ENOPROTOOPT);
    }
    let (ucast, mcast) = sk.hop_limits();
    let val = match name {
        opt::UNICAST_HOPS if ucast < 0 => {
            // SAFETY: live namespace of a live socket.
            unsafe { bindings::ipv6_rs_devconf_all_hop_limit(sk.net().as_ptr()) }
        }
        opt::UNICAST_HOPS => i32::from(ucast),
        opt::MULTICAST_HOPS => i32::from(mcast),
        opt::TCLASS => i32::from(sk.tclass()),
        opt::MTU_DISCOVER => i32::from(sk.pmtudisc()),
        opt::MULTICAST_LOOP => i32::from(sk.test_bit(bindings::IPV6_RS_SK_MC6_LOOP)),
        opt::RECVERR => i32::from(sk.test_bit(bindings::IPV6_RS_SK_RECVERR6)),
        opt::DONTFRAG => i32::from(sk.test_bit(bindings::IPV6_RS_SK_DONTFRAG)),
        opt::FREEBIND => i32::from(sk.test_bit(bindings::IPV6_RS_SK_FREEBIND)),
        opt::TRANSPARENT => i32::from(sk.test_bit(bindings::IPV6_RS_SK_TRANSPARENT)),
        opt::RECVPKTINFO | opt::RECVHOPLIMIT | opt::RECVTCLASS => i32::from(sk.rxopt(name)),
        // SAFETY: live socket.
        opt::V6ONLY => i32::from(unsafe { bindings::ipv6_rs_sk_ipv6only(sk.as_ptr()) }),
        opt::MULTICAST_IF => sk.oifs().1 as i32,
        opt::UNICAST_IF => (sk.oifs().0).to_be() as i32,
        _ => return Err(errno::ENOPROTOOPT),
    };
    opt.put_int(val)
}

/// The ancillary data of a send (`ip6_datagram_send_ctl()`): the core walks the
/// control messages and checks the IPv6 ones ([`crate::wire::cmsg`]); `SOL_SOCKET`
/// ones go to the kernel's `__sock_cmsg_send()`. `EINVAL` for a malformed one.
pub(crate) fn send_cmsgs(sk: &Sock, msg: &Msg<'_>) -> Result<SendCmsgs, i32> {
    use crate::wire::cmsg::{Cmsgs, SOL_IPV6 as LEVEL_IPV6, SOL_SOCKET};
    let mut out = SendCmsgs::default();
    let buf = msg.control();
    if buf.is_empty() {
        return Ok(out);
    }
    let mut sockc = bindings::sockcm_cookie::default();
    // SAFETY: a live socket; `sockc` is ours to fill.
    unsafe { bindings::ipv6_rs_sockc_init(sk.as_ptr(), &mut sockc) };
    for c in Cmsgs::new(buf) {
        let c = c.map_err(|()| errno::EINVAL)?;
        match c.level {
            SOL_SOCKET => {
                let h = buf[c.offset..]
                    .as_ptr()
                    .cast_mut()
                    .cast::<bindings::cmsghdr>();
                // SAFETY: a live socket and one whole control message of the kernel's
                // copy (the walk checked its length), aligned as the buffer is.
                let r = unsafe { bindings::__sock_cmsg_send(sk.as_ptr(), h, &mut sockc) };
                if r != 0 {
                    return Err(-r);
                }
            }
            LEVEL_IPV6 => out.take(&c)?,
            _ => {}
        }
    }
    Ok(out)
}

/// Whether a packet may not be fragmented by `IPV6_DONTFRAG`: the ancillary data's,
/// else the socket's option (`ipcm6_init_sk()`), for the protocols it holds for.
pub(crate) fn dontfrag(sk: &Sock, sk_protocol: u16, cm: &SendCmsgs) -> bool {
    let on = if cm.dontfrag >= 0 {
        cm.dontfrag != 0
    } else {
        sk.test_bit(bindings::IPV6_RS_SK_DONTFRAG)
    };
    on && crate::sock::dontfrag_applies(sk_protocol)
}

/// Hop limit and traffic class of a socket's packet to `dst`: the ancillary data's,
/// else the socket's (`ip6_sk_dst_hoplimit()`, `np->tclass`); a hop limit of `None`
/// is the outgoing device's, which the send fills in.
pub(crate) fn hop_limit_tclass(sk: &Sock, dst: &Ipv6Addr, cm: &SendCmsgs) -> (Option<u8>, u8) {
    let hop_limit = match cm.hop_limit {
        h if h >= 0 => Some(h as u8),
        _ => {
            let (u, m) = sk.hop_limits();
            rules::hop_limit(dst, u, m)
        }
    };
    (hop_limit, tclass(sk, cm))
}

/// The `IPV6_PKTINFO` of a send's ancillary data, if given: address and interface.
pub(crate) fn pktinfo(cm: &SendCmsgs) -> Option<(Ipv6Addr, u32)> {
    cm.pktinfo
}

/// The traffic class of a socket's packet: the ancillary data's, else the socket's
/// `IPV6_TCLASS` (`ipcm6_init_sk()`).
pub(crate) fn tclass(sk: &Sock, cm: &SendCmsgs) -> u8 {
    if cm.tclass >= 0 {
        cm.tclass as u8
    } else {
        sk.tclass()
    }
}

/// A packet for `len` bytes of a socket's message, charged to the socket, with room
/// for the headers before it.
pub(crate) fn alloc_send_skb(sk: &Sock, len: usize, noblock: bool) -> Result<Skb, i32> {
    let mut err: c_int = 0;
    // SAFETY: a live socket; the helper charges the packet to it.
    let p = unsafe { bindings::ipv6_rs_sock_alloc_send_skb(sk.as_ptr(), len, noblock, &mut err) };
    // SAFETY: a fresh packet is ours.
    unsafe { Skb::from_raw(p) }.ok_or(-err)
}

/// The C callback of a walk over one of the kernel's socket hashes (UDP ports, raw
/// protocols), calling the `F` whose address is the walk's `ctx`; true stops the walk.
///
/// # Safety
/// `ctx` must be the walk's `&mut F`, alive and not otherwise used during it, and `sk`
/// a live socket of ours under the walk's RCU.
pub(crate) unsafe extern "C" fn walk_tramp<'r, F: FnMut(&'r Sock) -> bool>(
    ctx: *mut c_void,
    sk: *mut bindings::sock,
) -> bool {
    // SAFETY: see the function's contract; the walker's RCU section is `'r`.
    unsafe {
        let f = &mut *ctx.cast::<F>();
        Sock::from_raw(sk).is_some_and(f)
    }
}
