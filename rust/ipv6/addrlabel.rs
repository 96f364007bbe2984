// SPDX-License-Identifier: GPL-2.0

//! Address labels (mainline `net/ipv6/addrlabel.c`): each namespace's RFC 6724 policy
//! table, `RTM_NEWADDRLABEL`/`RTM_DELADDRLABEL`/`RTM_GETADDRLABEL` (so `ip addrlabel
//! add/del/list/flush`) with mainline's checks and errors, and the labels source address
//! selection compares. The table's order and matching are [`crate::addrlabel`]'s.

use crate::errno;
use crate::net::netns::Net;
use crate::net::{
    device::dev_by_index,
    lock::{BhRwLock, LockClass},
    netlink::{self, Attrs, DoitCall, DumpCall, MsgSize, MsgWriter, Request},
    netns,
};
use crate::{
    addrlabel::{self, insert_position, Insert, Label, LabelError, DEFAULTS, DEFAULT_LABEL},
    bindings,
};
use core::{ffi::CStr, net::Ipv6Addr};
use kernel::{ffi::c_int, prelude::*};

/// The table and its change count (`ip6addrlbl_table.seq`, sent in `ifal_seq`).
pub(crate) struct Labels(BhRwLock<(KVec<Label>, u32)>);

fn add(t: &mut (KVec<Label>, u32), l: Label, replace: bool) -> Result<(), c_int> {
    match insert_position(&t.0, &l, replace).map_err(errno)? {
        Insert::Replace(i) => t.0[i] = l,
        Insert::At(i) => {
            // Under the BH-off lock, so no sleeping allocation.
            t.0.push(l, GFP_ATOMIC).map_err(|_| -(errno::ENOMEM))?;
            t.0[i..].rotate_right(1);
        }
    }
    t.1 = t.1.wrapping_add(1);
    Ok(())
}

fn errno(e: LabelError) -> c_int {
    -(match e {
        LabelError::Invalid => errno::EINVAL,
        LabelError::Exists => errno::EEXIST,
        LabelError::NotFound => errno::ESRCH,
    } as c_int)
}

impl Labels {
    /// Mainline's default table (`ip6addrlbl_net_init()`).
    pub(crate) fn new() -> Result<Self> {
        let mut t = (KVec::with_capacity(DEFAULTS.len(), GFP_KERNEL)?, 0);
        for (p, len, label) in DEFAULTS {
            let l = Label::new(&p, len, 0, label).map_err(|_| EINVAL)?;
            add(&mut t, l, false).map_err(Error::from_errno)?;
        }
        Ok(Self(BhRwLock::new(t, LockClass::AddrLabel)?))
    }

    /// `ipv6_addr_label()`: the label of `a`, an address of device `ifindex`.
    pub(crate) fn label_of(&self, a: &Ipv6Addr, ifindex: u32) -> u32 {
        self.0.read(|t| addrlabel::label_of(&t.0, a, ifindex))
    }

    fn insert(&self, l: Label, replace: bool) -> Result<(), c_int> {
        self.0.write(|t| add(t, l, replace))
    }

    fn remove(&self, prefix: &Ipv6Addr, len: u8, ifindex: u32) -> Result<(), c_int> {
        self.0.write(|t| {
            let i = addrlabel::find(&t.0, prefix, len, ifindex).map_err(errno)?;
            let nomem = |_| -(errno::ENOMEM);
            let mut rest = KVec::with_capacity(t.0.len() - 1, GFP_ATOMIC).map_err(nomem)?;
            rest.extend_from_slice(&t.0[..i], GFP_ATOMIC)
                .map_err(nomem)?;
            rest.extend_from_slice(&t.0[i + 1..], GFP_ATOMIC)
                .map_err(nomem)?;
            t.0 = rest;
            t.1 = t.1.wrapping_add(1);
            Ok(())
        })
    }
}

/// The labels of `net`'s addresses, for source address selection (rule 6).
pub(crate) fn label_of(net: &Net, a: &Ipv6Addr, ifindex: u32) -> u32 {
    netns::labels(net).label_of(a, ifindex)
}

const IFAL_ATTRS: usize = bindings::IFAL_LABEL as usize + 1;
const AF_INET6: u8 = bindings::AF_INET6 as u8;

/// Writes one label message (`ip6addrlbl_fill()`).
///
/// # Safety
/// `skb` must be a netlink skb we may write to.
unsafe fn fill(
    skb: *mut bindings::sk_buff,
    l: &Label,
    lseq: u32,
    portid: u32,
    seq: u32,
    nlflags: u16,
) -> Result<(), MsgSize> {
    let hdr = bindings::ifaddrlblmsg {
        ifal_family: AF_INET6,
        __ifal_reserved: 0,
        ifal_prefixlen: l.prefix_len,
        ifal_flags: 0,
        ifal_index: l.ifindex,
        ifal_seq: lseq,
    };
    let event = bindings::RTM_NEWADDRLABEL as u16;
    // SAFETY: writable netlink skb (caller).
    let mut m = unsafe { MsgWriter::begin(skb, portid, seq, event, nlflags, &hdr) }?;
    m.put(bindings::IFAL_ADDRESS as u16, &l.prefix.octets())?;
    m.put_u32(bindings::IFAL_LABEL as u16, l.label)?;
    m.finish();
    Ok(())
}

/// The request's attributes, parsed with mainline's `ifal_policy`.
fn parse<'a>(
    nlh: *mut bindings::nlmsghdr,
    tb: &'a mut [*mut bindings::nlattr; IFAL_ATTRS],
    extack: *mut bindings::netlink_ext_ack,
    strict: bool,
) -> Result<Attrs<'a>, c_int> {
    // SAFETY: a complete request; `tb` has IFAL_MAX + 1 slots.
    let err = unsafe {
        if strict {
            bindings::ipv6_rs_parse_ifal_strict(nlh, tb.as_mut_ptr(), extack)
        } else {
            bindings::ipv6_rs_parse_ifal(nlh, tb.as_mut_ptr(), extack)
        }
    };
    if err < 0 {
        return Err(err);
    }
    // SAFETY: the attributes parsed from the live request.
    Ok(unsafe { Attrs::new(tb) })
}

/// `ip6addrlbl_newdel()`: `RTM_NEWADDRLABEL` and `RTM_DELADDRLABEL`.
///
/// # Safety
/// Called by rtnetlink with the request's skb, header and extack.
unsafe extern "C" fn newdel(
    skb: *mut bindings::sk_buff,
    nlh: *mut bindings::nlmsghdr,
    extack: *mut bindings::netlink_ext_ack,
) -> c_int {
    // SAFETY: the handler's arguments.
    let (net, kind, flags) = unsafe {
        (
            Net::from_raw(bindings::ipv6_rs_skb_net(skb)),
            u32::from((*nlh).nlmsg_type),
            u32::from((*nlh).nlmsg_flags),
        )
    };
    let mut tb = [core::ptr::null_mut(); IFAL_ATTRS];
    let attrs = match parse(nlh, &mut tb, extack, false) {
        Ok(a) => a,
        Err(e) => return e,
    };
    // SAFETY: a complete request.
    let req = unsafe { Request::from_raw(nlh) };
    let inval = -(errno::EINVAL);
    let Some(ifal) = req.header::<bindings::ifaddrlblmsg>() else {
        return inval;
    };
    if ifal.ifal_family != AF_INET6 || ifal.ifal_prefixlen > 128 {
        return inval;
    }
    let (Some(pfx), Some(label)) = (
        attrs.in6(bindings::IFAL_ADDRESS),
        attrs.u32(bindings::IFAL_LABEL),
    ) else {
        return inval;
    };
    if label == DEFAULT_LABEL {
        return inval;
    }
    let labels = netns::labels(net);
    let r = if kind == bindings::RTM_NEWADDRLABEL {
        if ifal.ifal_index != 0 && dev_by_index(net, ifal.ifal_index).is_none() {
            return inval;
        }
        Label::new(&pfx, ifal.ifal_prefixlen, ifal.ifal_index, label)
            .map_err(errno)
            .and_then(|l| labels.insert(l, flags & bindings::NLM_F_REPLACE != 0))
    } else {
        labels.remove(&pfx, ifal.ifal_prefixlen, ifal.ifal_index)
    };
    r.err().unwrap_or(0)
}

/// `ip6addrlbl_dump()`.
///
/// # Safety
/// Called by rtnetlink with a dump skb and its callback.
unsafe extern "C" fn dump(
    skb: *mut bindings::sk_buff,
    cb: *mut bindings::netlink_callback,
) -> c_int {
    // SAFETY: rtnetlink's dump handler arguments (caller).
    let mut call = unsafe { DumpCall::from_raw(skb, cb) };
    if call.strict {
        let bad = |m: &'static CStr| (EINVAL, m);
        let check = match call.req.header::<bindings::ifaddrlblmsg>() {
            None => Err(bad(c"ipv6: Invalid header for address label dump request")),
            Some(h)
                if h.__ifal_reserved != 0
                    || h.ifal_prefixlen != 0
                    || h.ifal_flags != 0
                    || h.ifal_index != 0
                    || h.ifal_seq != 0 =>
            {
                Err(bad(
                    c"ipv6: Invalid values in header for address label dump request",
                ))
            }
            Some(_)
                if call
                    .req
                    .attrs(size_of::<bindings::ifaddrlblmsg>())
                    .next()
                    .is_some() =>
            {
                Err(bad(
                    c"ipv6: Invalid data after header for address label dump request",
                ))
            }
            Some(_) => Ok(()),
        };
        if let Err((e, m)) = check {
            return call.fail(e, m);
        }
    }
    let (net, portid, seq) = (call.net, call.portid, call.seq);
    let start = call.arg(0);
    let mut idx = start;
    netns::labels(net).0.read(|t| {
        for l in t.0.iter().skip(start) {
            // SAFETY: the dump skb is ours to write.
            if unsafe { fill(skb, l, t.1, portid, seq, bindings::NLM_F_MULTI as u16) }.is_err() {
                break;
            }
            idx += 1;
        }
    });
    call.set_arg(0, idx);
    // SAFETY: the skb is live.
    unsafe { (*skb).len as c_int }
}

/// `ip6addrlbl_get()`: the entry an address matches.
///
/// # Safety
/// Called by rtnetlink with the request's skb, header and extack.
unsafe extern "C" fn get(
    in_skb: *mut bindings::sk_buff,
    nlh: *mut bindings::nlmsghdr,
    extack: *mut bindings::netlink_ext_ack,
) -> c_int {
    // SAFETY: the handler's arguments.
    let call = unsafe { DoitCall::from_raw(in_skb, nlh, extack) };
    let (net, portid, seq) = (call.net, call.portid, call.seq);
    let fail = |m: &'static CStr| call.fail(errno::EINVAL, m);
    let req = &call.req;
    let Some(ifal) = req.header::<bindings::ifaddrlblmsg>() else {
        return fail(c"ipv6: Invalid header for addrlabel get request");
    };
    // SAFETY: the request's skb.
    let strict = unsafe { bindings::ipv6_rs_strict_get_check(in_skb) };
    if strict && (ifal.__ifal_reserved != 0 || ifal.ifal_flags != 0 || ifal.ifal_seq != 0) {
        return fail(c"ipv6: Invalid values in header for addrlabel get request");
    }
    let mut tb = [core::ptr::null_mut(); IFAL_ATTRS];
    let attrs = match parse(nlh, &mut tb, extack, strict) {
        Ok(a) => a,
        Err(e) => return e,
    };
    if strict && attrs.get(bindings::IFAL_LABEL).is_some() {
        return fail(c"ipv6: Unsupported attribute in addrlabel get request");
    }
    let inval = -(errno::EINVAL);
    if ifal.ifal_family != AF_INET6 || ifal.ifal_prefixlen != 128 {
        return inval;
    }
    if ifal.ifal_index != 0 && dev_by_index(net, ifal.ifal_index).is_none() {
        return inval;
    }
    let Some(addr) = attrs.in6(bindings::IFAL_ADDRESS) else {
        return inval;
    };
    let found = netns::labels(net)
        .0
        .read(|t| addrlabel::lookup(&t.0, &addr, ifal.ifal_index).map(|l| (*l, t.1)));
    let Some((l, lseq)) = found else {
        return -(errno::ESRCH);
    };
    call.reply(64, |skb| {
        // SAFETY: a fresh skb of ours.
        unsafe { fill(skb, &l, lseq, portid, seq, 0) }
    })
}

/// Registers the address label handlers with rtnetlink.
pub(crate) fn register_rtnl(h: &mut netlink::RtnlHandlers, module: &'static ThisModule) -> Result {
    h.add(module, bindings::RTM_NEWADDRLABEL, Some(newdel), None)?;
    h.add(module, bindings::RTM_DELADDRLABEL, Some(newdel), None)?;
    h.add(module, bindings::RTM_GETADDRLABEL, Some(get), Some(dump))
}
