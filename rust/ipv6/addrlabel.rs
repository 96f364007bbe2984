// SPDX-License-Identifier: GPL-2.0

//! Address labels (mainline `net/ipv6/addrlabel.c`): each namespace's RFC 6724 policy
//! table, `RTM_NEWADDRLABEL`/`RTM_DELADDRLABEL`/`RTM_GETADDRLABEL` (so `ip addrlabel
//! add/del/list/flush`) with mainline's checks and errors, and the labels source address
//! selection compares. The table's order and matching are [`crate::addrlabel`]'s.

#![forbid(unsafe_code)]

use crate::addrlabel::{self, insert_position, Insert, Label, LabelError, DEFAULTS, DEFAULT_LABEL};
use crate::errno;
use crate::net::{
    device::dev_by_index,
    lock::{BhRwLock, LockClass},
    netlink::{self, DoitCall, DumpCall, MsgSize, NlError, NlSkb, RtnlDoit, RtnlDump},
    netns::Net,
    uapi::{
        ifaddrlblmsg, AF_INET6, IFAL_ADDRESS, IFAL_LABEL, NLM_F_MULTI, NLM_F_REPLACE,
        RTM_DELADDRLABEL, RTM_GETADDRLABEL, RTM_NEWADDRLABEL,
    },
};
use core::{ffi::CStr, net::Ipv6Addr};
use kernel::prelude::*;

/// The table and its change count (`ip6addrlbl_table.seq`, sent in `ifal_seq`).
pub(crate) struct Labels(BhRwLock<(KVec<Label>, u32)>);

fn add(t: &mut (KVec<Label>, u32), l: Label, replace: bool) -> Result<(), i32> {
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

/// The negative errno of `e`, as mainline's table functions return it.
fn errno(e: LabelError) -> i32 {
    -match e {
        LabelError::Invalid => errno::EINVAL,
        LabelError::Exists => errno::EEXIST,
        LabelError::NotFound => errno::ESRCH,
    }
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

    fn insert(&self, l: Label, replace: bool) -> Result<(), i32> {
        self.0.write(|t| add(t, l, replace))
    }

    fn remove(&self, prefix: &Ipv6Addr, len: u8, ifindex: u32) -> Result<(), i32> {
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
    labels(net).label_of(a, ifindex)
}

/// Writes one label message (`ip6addrlbl_fill()`).
fn fill(
    skb: &mut NlSkb<'_>,
    l: &Label,
    lseq: u32,
    portid: u32,
    seq: u32,
    nlflags: u16,
) -> Result<(), MsgSize> {
    let hdr = ifaddrlblmsg {
        ifal_family: AF_INET6 as u8,
        __ifal_reserved: 0,
        ifal_prefixlen: l.prefix_len,
        ifal_flags: 0,
        ifal_index: l.ifindex,
        ifal_seq: lseq,
    };
    let mut m = skb.begin(portid, seq, RTM_NEWADDRLABEL as u16, nlflags, &hdr)?;
    m.put(IFAL_ADDRESS as u16, &l.prefix.octets())?;
    m.put_u32(IFAL_LABEL as u16, l.label)?;
    m.finish();
    Ok(())
}

/// `ip6addrlbl_newdel()`: `RTM_NEWADDRLABEL` and `RTM_DELADDRLABEL`.
struct NewDel;

impl RtnlDoit for NewDel {
    fn doit(call: &DoitCall<'_>) -> Result<(), NlError> {
        let net = call.net;
        let (kind, flags) = call.type_flags();
        let table = call.parse_ifal(false)?;
        let attrs = table.attrs();
        let inval = NlError::bare(errno::EINVAL);
        let Some(ifal) = call.req.header::<ifaddrlblmsg>() else {
            return Err(inval);
        };
        if u32::from(ifal.ifal_family) != AF_INET6 || ifal.ifal_prefixlen > 128 {
            return Err(inval);
        }
        let (Some(pfx), Some(label)) = (attrs.in6(IFAL_ADDRESS), attrs.u32(IFAL_LABEL)) else {
            return Err(inval);
        };
        if label == DEFAULT_LABEL {
            return Err(inval);
        }
        let labels = labels(net);
        let r = if u32::from(kind) == RTM_NEWADDRLABEL {
            if ifal.ifal_index != 0 && dev_by_index(net, ifal.ifal_index).is_none() {
                return Err(inval);
            }
            Label::new(&pfx, ifal.ifal_prefixlen, ifal.ifal_index, label)
                .map_err(errno)
                .and_then(|l| labels.insert(l, u32::from(flags) & NLM_F_REPLACE != 0))
        } else {
            labels.remove(&pfx, ifal.ifal_prefixlen, ifal.ifal_index)
        };
        r.map_err(|e| NlError::bare(-e))
    }
}

/// `ip6addrlbl_dump()`.
struct Dump;

impl RtnlDump for Dump {
    fn dump(call: &mut DumpCall<'_>) -> Result<(), NlError> {
        if call.strict {
            let bad = |m: &'static CStr| NlError::new(errno::EINVAL, m);
            match call.req.header::<ifaddrlblmsg>() {
                None => return Err(bad(c"ipv6: Invalid header for address label dump request")),
                Some(h)
                    if h.__ifal_reserved != 0
                        || h.ifal_prefixlen != 0
                        || h.ifal_flags != 0
                        || h.ifal_index != 0
                        || h.ifal_seq != 0 =>
                {
                    return Err(bad(
                        c"ipv6: Invalid values in header for address label dump request",
                    ))
                }
                Some(_) if call.req.attrs(size_of::<ifaddrlblmsg>()).next().is_some() => {
                    return Err(bad(
                        c"ipv6: Invalid data after header for address label dump request",
                    ))
                }
                Some(_) => {}
            }
        }
        let (net, portid, seq) = (call.net, call.portid, call.seq);
        let start = call.arg(0);
        let mut idx = start;
        let out = &mut call.out;
        labels(net).0.read(|t| {
            for l in t.0.iter().skip(start) {
                if fill(out, l, t.1, portid, seq, NLM_F_MULTI as u16).is_err() {
                    break;
                }
                idx += 1;
            }
        });
        call.set_arg(0, idx);
        Ok(())
    }
}

/// `ip6addrlbl_get()`: the entry an address matches.
struct Get;

impl RtnlDoit for Get {
    fn doit(call: &DoitCall<'_>) -> Result<(), NlError> {
        let (net, portid, seq) = (call.net, call.portid, call.seq);
        let fail = |m: &'static CStr| NlError::new(errno::EINVAL, m);
        let Some(ifal) = call.req.header::<ifaddrlblmsg>() else {
            return Err(fail(c"ipv6: Invalid header for addrlabel get request"));
        };
        let strict = call.strict();
        if strict && (ifal.__ifal_reserved != 0 || ifal.ifal_flags != 0 || ifal.ifal_seq != 0) {
            return Err(fail(
                c"ipv6: Invalid values in header for addrlabel get request",
            ));
        }
        let table = call.parse_ifal(strict)?;
        let attrs = table.attrs();
        if strict && attrs.get(IFAL_LABEL).is_some() {
            return Err(fail(
                c"ipv6: Unsupported attribute in addrlabel get request",
            ));
        }
        let inval = NlError::bare(errno::EINVAL);
        if u32::from(ifal.ifal_family) != AF_INET6 || ifal.ifal_prefixlen != 128 {
            return Err(inval);
        }
        if ifal.ifal_index != 0 && dev_by_index(net, ifal.ifal_index).is_none() {
            return Err(inval);
        }
        let Some(addr) = attrs.in6(IFAL_ADDRESS) else {
            return Err(inval);
        };
        let found = labels(net)
            .0
            .read(|t| addrlabel::lookup(&t.0, &addr, ifal.ifal_index).map(|l| (*l, t.1)));
        let Some((l, lseq)) = found else {
            return Err(NlError::bare(errno::ESRCH));
        };
        call.reply_with(64, |skb| fill(skb, &l, lseq, portid, seq, 0))
    }
}

/// Registers the address label handlers with rtnetlink.
pub(crate) fn register_rtnl(h: &mut netlink::RtnlHandlers, module: &'static ThisModule) -> Result {
    h.add(module, RTM_NEWADDRLABEL, netlink::doit::<NewDel>(), None)?;
    h.add(module, RTM_DELADDRLABEL, netlink::doit::<NewDel>(), None)?;
    h.add(
        module,
        RTM_GETADDRLABEL,
        netlink::doit::<Get>(),
        netlink::dumpit::<Dump>(),
    )
}

/// The address labels of `net` (`Labels` synchronises its own contents).
fn labels(net: &Net) -> &Labels {
    &crate::ipv6::af_inet6::state(net).labels
}
