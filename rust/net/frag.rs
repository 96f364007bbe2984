// SPDX-License-Identifier: GPL-2.0

//! A reassembly queue of the kernel's `inet_frags` for IPv6 (`struct frag_queue`),
//! found and locked for one fragment. Which fragments a queue takes and when it is
//! complete are the core's ([`crate::frag`]); the queue's list of fragments, its timer
//! and the reassembled packet are the kernel's.

use crate::frag::{Acct, Ready};
use crate::{
    bindings,
    net::{device::RxDev, rcu::Rcu, skb::Skb},
};
use core::{ffi::c_int, ptr::NonNull};

/// What inserting a fragment did.
pub(crate) enum Inserted {
    /// The datagram is complete: here it is, its data at the IPv6 header again.
    Complete(Skb),
    /// Queued; more fragments are awaited.
    Queued,
    /// A duplicate of a fragment already queued; it comes back.
    Duplicate(Skb),
    /// It overlaps a queued fragment (RFC 5722); it comes back.
    Overlap(Skb),
    /// No memory; it comes back.
    NoMem(Skb),
    /// Reassembly failed: counted, and the fragment went with the queue.
    Failed,
}

/// A fragment queue, locked and held while this lives, in an RCU section.
///
/// # Invariants
/// `fq` was found locked and held by `ipv6_rs_fq_find_lock()` under `_rcu`; `refs`
/// counts the references the operations so far asked to drop at unlock.
pub(crate) struct FragQueue {
    fq: NonNull<bindings::frag_queue>,
    refs: c_int,
    _rcu: Rcu,
}

impl FragQueue {
    /// The queue of the fragment `skb` (network header at its IPv6 header) with
    /// identification `id`, arriving on `d`: created if new, locked.
    pub(crate) fn find_lock(d: &RxDev<'_>, skb: &Skb, id: [u8; 4]) -> Option<Self> {
        let rcu = Rcu::read_lock();
        // SAFETY: a live namespace; a packet we own; RCU held.
        let fq = unsafe {
            bindings::ipv6_rs_fq_find_lock(
                d.net.as_ptr(),
                skb.as_ptr(),
                u32::from_ne_bytes(id),
                d.ifindex() as c_int,
            )
        };
        NonNull::new(fq).map(|fq| Self {
            fq,
            refs: 0,
            _rcu: rcu,
        })
    }

    /// The queue's length so far, whether the last fragment is in, and whether it is
    /// complete already.
    pub(crate) fn state(&self) -> (u32, bool, bool) {
        let (mut len, mut last_in, mut complete) = (0u32, false, false);
        // SAFETY: locked (type invariant).
        unsafe {
            bindings::ipv6_rs_fq_state(self.fq.as_ptr(), &mut len, &mut last_in, &mut complete)
        };
        (len, last_in, complete)
    }

    /// Kills the queue, dropping its fragments (`inet_frag_kill()`).
    pub(crate) fn kill(&mut self) {
        // SAFETY: locked (type invariant).
        unsafe { bindings::ipv6_rs_fq_kill(self.fq.as_ptr(), &mut self.refs) };
    }

    /// Inserts fragment `skb` (arrived on `d`) covering `offset..end` of the
    /// datagram, its fragment header ending at `fhdr_end`, with the queue's new length
    /// `len` and last-in state (the core's [`crate::frag::queue`]) and the fragment's
    /// ECN bit; `nhoff` is where the header naming the fragment header keeps its next
    /// header field. Once it is in, `ready` (the core's [`crate::frag::ready`]) says
    /// from the queue's accounting whether to reassemble, fail or wait.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn insert(
        &mut self,
        skb: Skb,
        d: &RxDev<'_>,
        offset: u32,
        end: u32,
        fhdr_end: usize,
        len: u32,
        last_in: bool,
        nhoff: usize,
        ecn_bit: u8,
        ready: impl FnOnce(&Acct) -> Ready,
    ) -> Inserted {
        let raw = skb.into_raw();
        let mut prev_tail = core::ptr::null_mut();
        let mut acct = bindings::ipv6_rs_fq_acct::default();
        // SAFETY: locked (type invariant); the packet is handed over, and handed back
        // below for the outcomes that leave it with us.
        let rc = unsafe {
            bindings::ipv6_rs_fq_insert(
                self.fq.as_ptr(),
                raw,
                offset as c_int,
                end as c_int,
                fhdr_end as c_int,
                len,
                last_in,
                nhoff as c_int,
                ecn_bit,
                &mut prev_tail,
                &mut acct,
            )
        };
        // SAFETY: for these outcomes the packet is ours again (the helper's contract).
        let back = || unsafe { Skb::from_raw(raw) };
        let e = |errno: i32| -errno;
        match rc {
            0 => {}
            r if r == e(crate::errno::EEXIST) => {
                return back().map_or(Inserted::Failed, Inserted::Duplicate)
            }
            r if r == e(crate::errno::EILSEQ) => {
                return back().map_or(Inserted::Failed, Inserted::Overlap)
            }
            _ => return back().map_or(Inserted::Failed, Inserted::NoMem),
        }
        let acct = Acct {
            len: acct.len,
            meat: acct.meat,
            first_in: acct.first_in,
            last_in: acct.last_in,
            settled: acct.settled,
            ecn: acct.ecn,
        };
        // The packet is the queue's now; it stays valid while the queue is locked.
        match ready(&acct) {
            Ready::Wait => {
                // SAFETY: queued, and the queue is locked (type invariant).
                unsafe { bindings::ipv6_rs_fq_keep(raw) };
                Inserted::Queued
            }
            Ready::Reassemble { ecn } => {
                // SAFETY: locked; `raw` completed the queue, `prev_tail` is the tail
                // the helper reported before it, `d` the live device it arrived on.
                let r = unsafe {
                    bindings::ipv6_rs_fq_reasm(
                        self.fq.as_ptr(),
                        raw,
                        prev_tail,
                        d.as_ptr(),
                        ecn,
                        &mut self.refs,
                    )
                };
                // SAFETY: on success the datagram is ours (the helper's contract).
                match r {
                    0 => back().map_or(Inserted::Failed, Inserted::Complete),
                    _ => Inserted::Failed,
                }
            }
            Ready::Fail => {
                // SAFETY: locked; the queue and its fragments (this one too) go.
                unsafe { bindings::ipv6_rs_fq_fail(self.fq.as_ptr(), d.as_ptr(), &mut self.refs) };
                Inserted::Failed
            }
        }
    }
}

impl Drop for FragQueue {
    fn drop(&mut self) {
        // SAFETY: locked and held by the lookup (type invariant); RCU is released after.
        unsafe { bindings::ipv6_rs_fq_unlock_put(self.fq.as_ptr(), self.refs) };
    }
}

impl Skb {
    /// `ipv6frag_thdr_truncated()`: a first fragment (network header at its IPv6
    /// header) that does not hold the whole header chain (RFC 8200 §4.5).
    pub(crate) fn frag_thdr_truncated(&self) -> bool {
        // SAFETY: a valid packet we own.
        unsafe { bindings::ipv6_rs_frag_thdr_truncated(self.as_ptr()) }
    }
}
