// SPDX-License-Identifier: GPL-2.0

//! Fragment reassembly decisions (RFC 8200 §4.5, RFC 5722, mainline
//! `net/ipv6/reassembly.c`): where a fragment goes in its datagram, and whether it is
//! acceptable at all. The glue keeps the fragments in the kernel's `inet_frag` queues,
//! which also refuse overlaps (RFC 5722: the whole datagram is dropped).

use crate::wire::{ParamProblem, ParamProblemCode};

/// Largest IPv6 payload without a jumbo option (`IPV6_MAXPLEN`).
pub const MAXPLEN: u32 = 65535;

/// Where a fragment's data lies in the reassembled payload (after the fragmentable part's
/// start, as mainline counts: `offset` from the fragment header, `end` exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Offset of the first data byte.
    pub offset: u32,
    /// Offset after the last data byte.
    pub end: u32,
    /// More fragments follow (the M flag).
    pub more: bool,
}

/// A fragment refused on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FragError {
    /// Answer with this parameter problem (and count `Ip6InHdrErrors`).
    Problem(ParamProblem),
}

/// The fragment's span, from the fragment header's offset field (`frag_off`, flags
/// included), the IPv6 payload length, and the offset of the end of the fragment header
/// from the start of the IPv6 header (`ip6_frag_queue()`), which lies within the payload:
/// `48 <= fhdr_end <= 40 + payload_len`.
pub fn span(frag_off: u16, payload_len: u16, fhdr_end: usize) -> Result<Span, FragError> {
    let offset = u32::from(frag_off & !7);
    let more = frag_off & 1 != 0;
    let end = i64::from(offset) + i64::from(payload_len) - (fhdr_end as i64 - 40);
    if end > i64::from(MAXPLEN) || end < 0 {
        // Pointer at the fragment offset field.
        return Err(FragError::Problem(ParamProblem {
            code: ParamProblemCode::HeaderField,
            pointer: (fhdr_end - 8 + 2) as u32,
        }));
    }
    let end = end as u32;
    if more && end & 7 != 0 {
        // RFC 8200: non-last fragments are multiples of 8 bytes; pointer at payload length.
        return Err(FragError::Problem(ParamProblem {
            code: ParamProblemCode::HeaderField,
            pointer: 4,
        }));
    }
    Ok(Span { offset, end, more })
}

/// What the reassembly queue knows so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueState {
    /// Total length, as far as known (the end of the last fragment once it came).
    pub len: u32,
    /// The last fragment has arrived.
    pub last_in: bool,
}

/// What to do with a fragment for a queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Queue {
    /// Insert it; the queue's state becomes this.
    Insert(QueueState),
    /// The datagram is corrupt: drop the whole queue (`Ip6ReasmFails`).
    DiscardQueue,
}

/// Checks a fragment against its queue (`ip6_frag_queue()`): a last fragment fixes the
/// length, which no other fragment may exceed or contradict; empty fragments are refused.
pub fn queue(q: QueueState, s: Span) -> Queue {
    let mut next = q;
    if !s.more {
        if s.end < q.len || (q.last_in && s.end != q.len) {
            return Queue::DiscardQueue;
        }
        next.last_in = true;
        next.len = s.end;
    } else if s.end > q.len {
        if q.last_in {
            return Queue::DiscardQueue;
        }
        next.len = s.end;
    }
    if s.end == s.offset {
        return Queue::DiscardQueue;
    }
    Queue::Insert(next)
}

/// How a payload of `len` bytes is cut into fragments for a path MTU of `mtu` after an
/// unfragmentable part of `unfrag` bytes (IPv6 header and the headers that must precede
/// the fragment header): each piece but the last a multiple of 8 bytes, each fitting
/// with its fragment header (`ip6_fragment()`). Yields (offset, length, more).
pub fn pieces(len: usize, mtu: usize, unfrag: usize) -> impl Iterator<Item = (usize, usize, bool)> {
    let room = mtu.saturating_sub(unfrag + 8) & !7;
    let room = room.max(8);
    let mut off = 0;
    core::iter::from_fn(move || {
        if off >= len {
            return None;
        }
        let n = room.min(len - off);
        let piece = (off, n, off + n < len);
        off += n;
        Some(piece)
    })
}

/// Length in bytes of the upper-layer header the first fragment must carry whole
/// (RFC 8200 §4.5, mainline `ipv6frag_thdr_truncated()`).
pub fn upper_header_len(proto: u8) -> usize {
    use crate::wire::proto;
    match proto {
        proto::TCP => 20,
        proto::UDP | proto::ICMPV6 => 8,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(offset: u32, end: u32, more: bool) -> Span {
        Span { offset, end, more }
    }

    #[test]
    fn spans() {
        // 1448 bytes of data after a fragment header right after the IPv6 header.
        assert_eq!(span(0x0001, 1456, 48), Ok(sp(0, 1448, true)));
        assert_eq!(span(1448, 600, 48), Ok(sp(1448, 2040, false)));
        let Err(FragError::Problem(p)) = span(0x0001, 1457, 48) else {
            panic!()
        };
        assert_eq!(p.pointer, 4);
        let Err(FragError::Problem(p)) = span(0xfff8, 1456, 48) else {
            panic!()
        };
        assert_eq!((p.code, p.pointer), (ParamProblemCode::HeaderField, 42));
    }

    #[test]
    fn cutting() {
        extern crate std;
        use std::vec::Vec;
        let v: Vec<_> = pieces(3048, 1500, 40).collect();
        assert_eq!(v, [(0, 1448, true), (1448, 1448, true), (2896, 152, false)]);
        assert_eq!(pieces(8, 1280, 40).count(), 1);
    }

    #[test]
    fn queue_rules() {
        let q = QueueState::default();
        let Queue::Insert(q) = queue(q, sp(0, 1448, true)) else {
            panic!()
        };
        assert_eq!(
            q,
            QueueState {
                len: 1448,
                last_in: false
            }
        );
        let Queue::Insert(q) = queue(q, sp(1448, 2000, false)) else {
            panic!()
        };
        assert_eq!(
            q,
            QueueState {
                len: 2000,
                last_in: true
            }
        );
        // A second, different last fragment, or data beyond the end: corrupt.
        assert_eq!(queue(q, sp(1448, 2008, false)), Queue::DiscardQueue);
        assert_eq!(queue(q, sp(1448, 2008, true)), Queue::DiscardQueue);
        assert_eq!(
            queue(QueueState::default(), sp(8, 8, true)),
            Queue::DiscardQueue
        );
    }
}
