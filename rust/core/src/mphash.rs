// SPDX-License-Identifier: GPL-2.0

//! The multipath hash (mainline `rt6_multipath_hash()`): which next hop of a multipath
//! route a flow takes. The hash covers the fields that
//! `net.ipv6.fib_multipath_hash_policy` names, so a flow stays on one next hop.
//!
//! Mainline feeds the fields to `flow_hash_from_keys()` with a random key; ours go to
//! Bob Jenkins' `jhash2()` with a random seed. Values differ, as they do between two
//! boots of mainline; what is kept is which fields count, and the 31-bit result
//! (`>> 1`) the next hops' shares divide ([`crate::fib::Table::lookup_path`]).

use core::net::Ipv6Addr;

/// `fib_multipath_hash_policy` values.
pub mod policy {
    /// Layer 3: addresses, flow label, next header.
    pub const L3: u8 = 0;
    /// Layer 4: addresses, ports, protocol.
    pub const L4: u8 = 1;
    /// Layer 3, or the inner packet's (we have no inner packets here: layer 3).
    pub const L3_INNER: u8 = 2;
    /// The fields of `fib_multipath_hash_fields`.
    pub const CUSTOM: u8 = 3;
}

/// `fib_multipath_hash_fields` bits (`FIB_MULTIPATH_HASH_FIELD_*`) we hash on; the
/// inner-packet ones are accepted and have nothing to hash here.
pub mod field {
    /// Source address.
    pub const SRC_IP: u32 = 1 << 0;
    /// Destination address.
    pub const DST_IP: u32 = 1 << 1;
    /// Next header.
    pub const IP_PROTO: u32 = 1 << 2;
    /// Flow label.
    pub const FLOWLABEL: u32 = 1 << 3;
    /// Source port.
    pub const SRC_PORT: u32 = 1 << 4;
    /// Destination port.
    pub const DST_PORT: u32 = 1 << 5;
}

/// What a flow is hashed on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Keys {
    /// Source address (`::` when the lookup chooses it).
    pub src: Option<Ipv6Addr>,
    /// Destination address.
    pub dst: Option<Ipv6Addr>,
    /// Flow label (20 bits).
    pub flowlabel: u32,
    /// Next header / transport protocol.
    pub proto: u8,
    /// Source port.
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
}

/// The fields policy `policy` hashes on (`fields` for [`policy::CUSTOM`]).
pub fn fields_of(policy: u8, fields: u32) -> u32 {
    use field::*;
    match policy {
        policy::L4 => SRC_IP | DST_IP | IP_PROTO | SRC_PORT | DST_PORT,
        policy::CUSTOM => fields,
        _ => SRC_IP | DST_IP | FLOWLABEL | IP_PROTO,
    }
}

/// The flow's 31-bit multipath hash under `policy` with key `seed`.
pub fn hash(policy: u8, fields: u32, k: &Keys, seed: u32) -> u32 {
    let f = fields_of(policy, fields);
    let addr = |a: Option<Ipv6Addr>, on: bool| {
        let o = a.filter(|_| on).unwrap_or(Ipv6Addr::UNSPECIFIED).octets();
        core::array::from_fn::<u32, 4, _>(|i| {
            u32::from_be_bytes([o[4 * i], o[4 * i + 1], o[4 * i + 2], o[4 * i + 3]])
        })
    };
    let (s, d) = (
        addr(k.src, f & field::SRC_IP != 0),
        addr(k.dst, f & field::DST_IP != 0),
    );
    // Built whole rather than by `copy_from_slice()` into a `[u32]`: that instantiates
    // `copy_from_slice_impl::<u32>` in the module, whose panic path ends in a call
    // that the kernel's objtool (6.12) does not know never returns under rustc 1.96.
    let mut w = [s[0], s[1], s[2], s[3], d[0], d[1], d[2], d[3], 0, 0, 0];
    if f & field::FLOWLABEL != 0 {
        w[8] = k.flowlabel & 0xf_ffff;
    }
    if f & field::IP_PROTO != 0 {
        w[9] = u32::from(k.proto);
    }
    let sport = if f & field::SRC_PORT != 0 { k.sport } else { 0 };
    let dport = if f & field::DST_PORT != 0 { k.dport } else { 0 };
    w[10] = u32::from(sport) << 16 | u32::from(dport);
    jhash2(&w, seed) >> 1
}

/// `jhash2()`: lookup3's `hashword()` over 32-bit words.
pub fn jhash2(k: &[u32], initval: u32) -> u32 {
    const JHASH_INITVAL: u32 = 0xdead_beef;
    let mut a = JHASH_INITVAL
        .wrapping_add((k.len() as u32) << 2)
        .wrapping_add(initval);
    let (mut b, mut c) = (a, a);
    let mut k = k;
    while k.len() > 3 {
        a = a.wrapping_add(k[0]);
        b = b.wrapping_add(k[1]);
        c = c.wrapping_add(k[2]);
        mix(&mut a, &mut b, &mut c);
        k = &k[3..];
    }
    match k.len() {
        3 => {
            c = c.wrapping_add(k[2]);
            b = b.wrapping_add(k[1]);
            a = a.wrapping_add(k[0]);
        }
        2 => {
            b = b.wrapping_add(k[1]);
            a = a.wrapping_add(k[0]);
        }
        1 => a = a.wrapping_add(k[0]),
        _ => return c,
    }
    final_mix(&mut a, &mut b, &mut c);
    c
}

fn mix(a: &mut u32, b: &mut u32, c: &mut u32) {
    *a = a.wrapping_sub(*c);
    *a ^= c.rotate_left(4);
    *c = c.wrapping_add(*b);
    *b = b.wrapping_sub(*a);
    *b ^= a.rotate_left(6);
    *a = a.wrapping_add(*c);
    *c = c.wrapping_sub(*b);
    *c ^= b.rotate_left(8);
    *b = b.wrapping_add(*a);
    *a = a.wrapping_sub(*c);
    *a ^= c.rotate_left(16);
    *c = c.wrapping_add(*b);
    *b = b.wrapping_sub(*a);
    *b ^= a.rotate_left(19);
    *a = a.wrapping_add(*c);
    *c = c.wrapping_sub(*b);
    *c ^= b.rotate_left(4);
    *b = b.wrapping_add(*a);
}

fn final_mix(a: &mut u32, b: &mut u32, c: &mut u32) {
    *c ^= *b;
    *c = c.wrapping_sub(b.rotate_left(14));
    *a ^= *c;
    *a = a.wrapping_sub(c.rotate_left(11));
    *b ^= *a;
    *b = b.wrapping_sub(a.rotate_left(25));
    *c ^= *b;
    *c = c.wrapping_sub(b.rotate_left(16));
    *a ^= *c;
    *a = a.wrapping_sub(c.rotate_left(4));
    *b ^= *a;
    *b = b.wrapping_sub(a.rotate_left(14));
    *c ^= *b;
    *c = c.wrapping_sub(b.rotate_left(24));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(sport: u16, label: u32) -> Keys {
        Keys {
            src: Some("2001:db8::1".parse().unwrap()),
            dst: Some("2001:db8:1::1".parse().unwrap()),
            flowlabel: label,
            proto: 17,
            sport,
            dport: 53,
        }
    }

    #[test]
    fn hashes_the_policys_fields_only() {
        // Layer 3 ignores ports, layer 4 the flow label.
        assert_eq!(hash(0, 0, &keys(1, 5), 7), hash(0, 0, &keys(2, 5), 7));
        assert_ne!(hash(0, 0, &keys(1, 5), 7), hash(0, 0, &keys(1, 6), 7));
        assert_eq!(hash(1, 0, &keys(1, 5), 7), hash(1, 0, &keys(1, 6), 7));
        assert_ne!(hash(1, 0, &keys(1, 5), 7), hash(1, 0, &keys(2, 5), 7));
        // Custom: only the destination.
        let d = field::DST_IP;
        assert_eq!(hash(3, d, &keys(1, 5), 7), hash(3, d, &keys(2, 6), 7));
        assert!(hash(0, 0, &keys(1, 5), 7) < 1 << 31);
    }

    #[test]
    fn jhash2_of_nothing_is_its_start() {
        assert_eq!(jhash2(&[], 0), 0xdead_beef);
        assert_ne!(jhash2(&[0], 0), jhash2(&[0], 1));
    }
}
