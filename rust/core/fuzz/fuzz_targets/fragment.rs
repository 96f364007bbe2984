// SPDX-License-Identifier: GPL-2.0
//! Fragment spans and a reassembly queue fed a sequence of fragments: the queue's known
//! length only grows to the last fragment's end, and a queue that was told the end keeps
//! it; its accounting is never ready before every byte is in, and the ECN merge of the
//! codepoints seen never yields a codepoint that drops a CE mark. Also the output side's
//! split of a payload into pieces.
#![no_main]

use ipv6_core::frag::{self, Queue, QueueState};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut q = QueueState::default();
    let mut acct = frag::Acct::default();
    for c in data.chunks_exact(6) {
        let frag_off = u16::from_be_bytes([c[0], c[1]]);
        let payload_len = u16::from_be_bytes([c[2], c[3]]);
        // span()'s contract: the fragment header lies within the payload, after the
        // IPv6 header (the receive path found it there).
        if payload_len < 8 {
            continue;
        }
        let fhdr_end = 48 + usize::from(u16::from_be_bytes([c[4], c[5]]) % (payload_len - 7));
        let Ok(s) = frag::span(frag_off, payload_len, fhdr_end) else {
            continue;
        };
        assert!(s.offset <= s.end && s.end <= frag::MAXPLEN);
        match frag::queue(q, s) {
            Queue::Insert(next) => {
                if q.last_in {
                    assert!(next.last_in && next.len == q.len);
                }
                assert!(next.len >= q.len);
                q = next;
                // As if it went in without overlapping anything.
                acct.len = q.len;
                acct.last_in = q.last_in;
                acct.first_in |= s.offset == 0;
                acct.meat = acct.meat.saturating_add(s.end - s.offset);
                acct.ecn |= frag::ecn_bit(c[5]);
                match frag::ready(&acct) {
                    frag::Ready::Wait => {}
                    frag::Ready::Reassemble { ecn } => {
                        assert!(acct.first_in && acct.last_in && acct.meat == acct.len);
                        assert!(ecn == 0 || ecn == 3);
                        acct = frag::Acct::default();
                        q = QueueState::default();
                    }
                    frag::Ready::Fail => {
                        assert_ne!(acct.ecn & 1, 0);
                        acct = frag::Acct::default();
                        q = QueueState::default();
                    }
                }
            }
            Queue::DiscardQueue => {
                q = QueueState::default();
                acct = frag::Acct::default();
            }
        }
    }
    if let [a, b, c, d, e, f, ..] = *data {
        let len = usize::from(u16::from_be_bytes([a, b]));
        let mtu = usize::from(u16::from_be_bytes([c, d]));
        let unfrag = usize::from(u16::from_be_bytes([e, f]) % 2048);
        let mut covered = 0;
        for (off, n, _more) in frag::pieces(len, mtu, unfrag).take(70_000) {
            assert_eq!(off, covered);
            covered += n;
        }
    }
});
