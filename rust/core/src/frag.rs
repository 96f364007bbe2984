// SPDX-License-Identifier: GPL-2.0

//! Fragment reassembly decisions (RFC 8200 §4.5, RFC 5722, mainline
//! `net/ipv6/reassembly.c`): where a fragment goes in its datagram, and whether it is
//! acceptable at all, when its queue is complete, and what its ECN codepoints make of
//! the datagram. The kernel layer keeps the fragments in the kernel's `inet_frag`
//! queues (shared with IPv4, as mainline's are), which also refuse overlaps (RFC 5722:
//! the whole datagram is dropped), and time them out.

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

/// A reassembly queue's accounting once a fragment went in (the kernel's
/// `struct frag_queue`, which holds the fragments themselves).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Acct {
    /// The datagram's length as far as known ([`QueueState::len`]).
    pub len: u32,
    /// Bytes of data queued (`meat`).
    pub meat: u32,
    /// The first fragment (offset 0) is in.
    pub first_in: bool,
    /// The last fragment is in.
    pub last_in: bool,
    /// The queue is settled otherwise (complete, dead or dropping: any other
    /// `INET_FRAG_*` flag).
    pub settled: bool,
    /// The ECN codepoints seen, as [`ecn_bit`]s.
    pub ecn: u8,
}

/// What a queue is ready for (`ip6_frag_queue()`'s test, `ip6_frag_reasm()`'s ECN).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ready {
    /// More fragments are awaited.
    Wait,
    /// Every byte is in: reassemble, ORing `ecn` into the traffic class.
    Reassemble {
        /// The ECN codepoint to set.
        ecn: u8,
    },
    /// Every byte is in, but the fragments' ECN codepoints contradict each other
    /// (RFC 3168 §5.3): drop the datagram (`Ip6ReasmFails`).
    Fail,
}

/// Whether the datagram is complete: first and last fragment in, nothing else
/// settled, and as many bytes queued as it is long (overlaps were refused on the
/// way in, so no byte counts twice).
pub fn ready(a: &Acct) -> Ready {
    if !(a.first_in && a.last_in) || a.settled || a.meat != a.len {
        return Ready::Wait;
    }
    match ecn_merge(a.ecn) {
        Some(ecn) => Ready::Reassemble { ecn },
        None => Ready::Fail,
    }
}

/// A fragment's ECN codepoint (the low two bits of its traffic class) as one bit, for
/// the queue's record of the codepoints seen (`ip6_frag_ecn()`).
pub fn ecn_bit(tclass: u8) -> u8 {
    1 << (tclass & 3)
}

/// RFC 3168 §5.3, as mainline's `ip_frag_ecn_table`: the codepoint of a datagram
/// whose fragments had the codepoints in `bits` ([`ecn_bit`]s), or `None` to drop it.
/// CE with ECT(0) or ECT(1) makes CE; Not-ECT with any ECN-capable codepoint is
/// invalid; otherwise the first fragment's codepoint stands (0 to OR in).
pub fn ecn_merge(bits: u8) -> Option<u8> {
    const NOT_ECT: u8 = 1;
    const CE: u8 = 8;
    const ECT: u8 = 2 | 4;
    let bits = bits & 0xf;
    if bits & NOT_ECT != 0 && bits & (CE | ECT) != 0 {
        return None;
    }
    if bits & CE != 0 && bits & ECT != 0 {
        return Some(3);
    }
    Some(0)
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
    fn ecn_table() {
        // mainline's ip_frag_ecn_table, index = bits.
        let mut table = [0u8; 16];
        for (i, v) in [(0xc, 3), (0xa, 3), (0xe, 3)] {
            table[i] = v;
        }
        for i in [0x9, 0x5, 0x3, 0x7, 0xd, 0xb, 0xf] {
            table[i] = 0xff;
        }
        for (bits, want) in table.iter().enumerate() {
            assert_eq!(
                ecn_merge(bits as u8).unwrap_or(0xff),
                *want,
                "bits {bits:#x}"
            );
        }
        assert_eq!(ecn_bit(0x00), 1);
        assert_eq!(ecn_bit(0xb9), 2);
        assert_eq!(ecn_bit(0x02), 4);
        assert_eq!(ecn_bit(0xff), 8);
    }

    /// Fragments of a datagram arriving in any order, through [`queue`] and [`ready`]
    /// as the kernel layer drives them: it is reassembled exactly when the last piece
    /// comes, never before; with one piece missing, never.
    fn arrive(order: &[usize], pieces: &[(u32, u32, bool)], ecn: &[u8]) -> Option<(usize, Ready)> {
        let mut a = Acct::default();
        for (n, &i) in order.iter().enumerate() {
            let (offset, end, more) = pieces[i];
            let q = match queue(
                QueueState {
                    len: a.len,
                    last_in: a.last_in,
                },
                sp(offset, end, more),
            ) {
                Queue::Insert(q) => q,
                Queue::DiscardQueue => panic!("a valid piece refused"),
            };
            a.len = q.len;
            a.last_in = q.last_in;
            a.meat += end - offset;
            a.first_in |= offset == 0;
            a.ecn |= ecn_bit(ecn[i]);
            match ready(&a) {
                Ready::Wait => {}
                r => return Some((n, r)),
            }
        }
        None
    }

    proptest::proptest! {
        #[test]
        fn reassembled_when_complete(
            len in 1usize..6000,
            mtu in 1280usize..1500,
            seed: u64,
            drop_one: bool,
            ce in proptest::option::of(0usize..8),
        ) {
            extern crate std;
            use std::vec::Vec;
            let pieces: Vec<_> = pieces(len, mtu, 40)
                .map(|(o, n, m)| (o as u32, (o + n) as u32, m))
                .collect();
            // A shuffle by the seed.
            let mut order: Vec<usize> = (0..pieces.len()).collect();
            let mut s = seed | 1;
            for i in (1..order.len()).rev() {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                order.swap(i, (s % (i as u64 + 1)) as usize);
            }
            // ECT(0) throughout, one piece CE perhaps: CE for the datagram.
            let mut ecn: Vec<u8> = std::vec![2; pieces.len()];
            let ce = ce.map(|c| c % pieces.len());
            if let Some(c) = ce {
                ecn[c] = 3;
            }
            if drop_one && pieces.len() > 1 {
                order.pop();
                proptest::prop_assert_eq!(arrive(&order, &pieces, &ecn), None);
            } else {
                // (CE alone leaves the first fragment's CE as it is: nothing to OR in.)
                let mixed = ce.is_some() && pieces.len() > 1;
                let want = Ready::Reassemble { ecn: if mixed { 3 } else { 0 } };
                proptest::prop_assert_eq!(arrive(&order, &pieces, &ecn), Some((order.len() - 1, want)));
            }
        }
    }

    #[test]
    fn ready_rules() {
        let full = Acct {
            len: 100,
            meat: 100,
            first_in: true,
            last_in: true,
            settled: false,
            ecn: ecn_bit(0),
        };
        assert_eq!(ready(&full), Ready::Reassemble { ecn: 0 });
        assert_eq!(ready(&Acct { meat: 96, ..full }), Ready::Wait);
        assert_eq!(
            ready(&Acct {
                first_in: false,
                ..full
            }),
            Ready::Wait
        );
        assert_eq!(
            ready(&Acct {
                settled: true,
                ..full
            }),
            Ready::Wait
        );
        // Not-ECT mixed with CE: invalid, the datagram goes.
        assert_eq!(
            ready(&Acct {
                ecn: ecn_bit(0) | ecn_bit(3),
                ..full
            }),
            Ready::Fail
        );
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
