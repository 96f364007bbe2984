// SPDX-License-Identifier: GPL-2.0

//! Address labels (RFC 6724 §2.1, mainline `net/ipv6/addrlabel.c`): the policy table
//! `ip addrlabel` edits, kept in mainline's order (longer prefixes first, entries for a
//! device before those for any), and the label of an address, which source address
//! selection compares (rule 6).
//!
//! The table is a slice the caller keeps; this module says where entries go and which
//! one an address matches.

use core::net::Ipv6Addr;

/// `IPV6_ADDR_LABEL_DEFAULT`: no entry matched (not a label a user may set).
pub const DEFAULT_LABEL: u32 = 0xffff_ffff;

/// The address kinds an entry can be tied to (`IPV6_ADDR_MAPPED`, `_COMPATv4`,
/// `_LOOPBACK` of `ipv6_addr_type()`), 0 for none.
pub mod kind {
    /// IPv4-mapped (`::ffff:0:0/96`).
    pub const MAPPED: u8 = 1;
    /// IPv4-compatible (`::/96`, not `::` or `::1`).
    pub const COMPAT_V4: u8 = 2;
    /// `::1`.
    pub const LOOPBACK: u8 = 3;
}

/// The kind of `a` for labels.
pub fn kind_of(a: &Ipv6Addr) -> u8 {
    let s = a.segments();
    if s[..5] != [0; 5] {
        return 0;
    }
    match (s[5], u32::from(s[6]) << 16 | u32::from(s[7])) {
        (0xffff, _) => kind::MAPPED,
        (0, 0) => 0,
        (0, 1) => kind::LOOPBACK,
        (0, _) => kind::COMPAT_V4,
        _ => 0,
    }
}

/// One entry of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label {
    /// The prefix, host bits cleared.
    pub prefix: Ipv6Addr,
    /// Its length.
    pub prefix_len: u8,
    /// Only for addresses of this device, 0 for any.
    pub ifindex: u32,
    /// The label.
    pub label: u32,
    /// Only for addresses of this [`kind`] (0: any), as `ip6addrlbl_alloc()` sets it.
    pub kind: u8,
}

/// Why an entry cannot be added or removed (positive errnos).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelError {
    /// `EINVAL`: a mapped prefix longer than 96 bits.
    Invalid,
    /// `EEXIST`: the same prefix, length and device without `NLM_F_REPLACE`.
    Exists,
    /// `ESRCH`: no such entry to delete.
    NotFound,
}

impl Label {
    /// `ip6addrlbl_alloc()`: the entry for `prefix/len` (host bits cleared), tied to an
    /// address kind where the prefix is exactly that kind's.
    pub fn new(
        prefix: &Ipv6Addr,
        prefix_len: u8,
        ifindex: u32,
        label: u32,
    ) -> Result<Self, LabelError> {
        let kind = match kind_of(prefix) {
            kind::MAPPED if prefix_len > 96 => return Err(LabelError::Invalid),
            kind::MAPPED if prefix_len < 96 => 0,
            kind::COMPAT_V4 if prefix_len != 96 => 0,
            kind::LOOPBACK if prefix_len != 128 => 0,
            k => k,
        };
        Ok(Self {
            prefix: crate::fib::prefix(prefix, prefix_len.min(128)),
            prefix_len: prefix_len.min(128),
            ifindex,
            label,
            kind,
        })
    }

    /// `__ip6addrlbl_match()`.
    fn matches(&self, a: &Ipv6Addr, kind: u8, ifindex: u32) -> bool {
        (self.ifindex == 0 || self.ifindex == ifindex)
            && (self.kind == 0 || self.kind == kind)
            && crate::fib::prefix(a, self.prefix_len) == self.prefix
    }

    fn same_key(&self, o: &Label) -> bool {
        self.prefix_len == o.prefix_len && self.ifindex == o.ifindex && self.prefix == o.prefix
    }
}

/// Where a new entry goes (`__ip6addrlbl_add()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Insert {
    /// Replaces the entry at this index.
    Replace(usize),
    /// Inserted at this index.
    At(usize),
}

/// Where `new` goes in `table`: before the first entry with a shorter prefix, or with
/// the same length for any device; in place of an entry with the same key if
/// `replace`.
pub fn insert_position(table: &[Label], new: &Label, replace: bool) -> Result<Insert, LabelError> {
    for (i, p) in table.iter().enumerate() {
        if p.same_key(new) {
            return if replace {
                Ok(Insert::Replace(i))
            } else {
                Err(LabelError::Exists)
            };
        }
        if (p.prefix_len == new.prefix_len && p.ifindex == 0) || p.prefix_len < new.prefix_len {
            return Ok(Insert::At(i));
        }
    }
    Ok(Insert::At(table.len()))
}

/// The entry `ip6addrlbl_del()` removes: same prefix (host bits cleared), length and
/// device.
pub fn find(
    table: &[Label],
    prefix: &Ipv6Addr,
    prefix_len: u8,
    ifindex: u32,
) -> Result<usize, LabelError> {
    let p = crate::fib::prefix(prefix, prefix_len.min(128));
    table
        .iter()
        .position(|e| e.prefix_len == prefix_len && e.ifindex == ifindex && e.prefix == p)
        .ok_or(LabelError::NotFound)
}

/// The first entry `a` (an address of device `ifindex`) matches
/// (`__ipv6_addr_label()`).
pub fn lookup<'a>(table: &'a [Label], a: &Ipv6Addr, ifindex: u32) -> Option<&'a Label> {
    let k = kind_of(a);
    table.iter().find(|e| e.matches(a, k, ifindex))
}

/// The label of `a` (`ipv6_addr_label()`): [`DEFAULT_LABEL`] if none matches.
pub fn label_of(table: &[Label], a: &Ipv6Addr, ifindex: u32) -> u32 {
    lookup(table, a, ifindex).map_or(DEFAULT_LABEL, |e| e.label)
}

/// Mainline's initial table (`ip6addrlbl_init_table`, RFC 6724 §2.1 with the
/// deprecated site-local and 6bone prefixes, and Teredo and ORCHID), in the order it
/// adds them; [`insert_position`] sorts them as `ip addrlabel list` shows them.
pub const DEFAULTS: [(Ipv6Addr, u8, u32); 10] = [
    (Ipv6Addr::UNSPECIFIED, 0, 1),
    (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7, 5),
    (Ipv6Addr::new(0xfec0, 0, 0, 0, 0, 0, 0, 0), 10, 11),
    (Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0), 16, 2),
    (Ipv6Addr::new(0x3ffe, 0, 0, 0, 0, 0, 0, 0), 16, 12),
    (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 32, 6),
    (Ipv6Addr::new(0x2001, 0x10, 0, 0, 0, 0, 0, 0), 28, 7),
    (Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0), 96, 4),
    (Ipv6Addr::UNSPECIFIED, 96, 3),
    (Ipv6Addr::LOCALHOST, 128, 0),
];

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    fn ip(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    fn add(t: &mut Vec<Label>, l: Label, replace: bool) -> Result<(), LabelError> {
        match insert_position(t, &l, replace)? {
            Insert::Replace(i) => t[i] = l,
            Insert::At(i) => t.insert(i, l),
        }
        Ok(())
    }

    fn defaults() -> Vec<Label> {
        let mut t = Vec::new();
        for (p, len, label) in DEFAULTS {
            add(&mut t, Label::new(&p, len, 0, label).unwrap(), false).unwrap();
        }
        t
    }

    #[test]
    fn default_table_in_mainline_order() {
        let t = defaults();
        let shown: Vec<_> = t.iter().map(|l| (l.prefix_len, l.label)).collect();
        // `ip addrlabel list` on a fresh mainline namespace.
        assert_eq!(
            shown,
            [
                (128, 0),
                (96, 3),
                (96, 4),
                (32, 6),
                (28, 7),
                (16, 12),
                (16, 2),
                (10, 11),
                (7, 5),
                (0, 1)
            ]
        );
        assert_eq!(label_of(&t, &ip("::1"), 1), 0);
        assert_eq!(label_of(&t, &ip("::ffff:10.0.0.1"), 1), 4);
        assert_eq!(label_of(&t, &ip("::10.0.0.1"), 1), 3);
        assert_eq!(label_of(&t, &ip("2001:0:1::1"), 1), 6);
        assert_eq!(label_of(&t, &ip("2001:db8::1"), 1), 1);
        assert_eq!(label_of(&t, &ip("2001:10::1"), 1), 7);
        assert_eq!(label_of(&t, &ip("fd00::1"), 1), 5);
        assert_eq!(label_of(&t, &ip("2a00::1"), 1), 1);
    }

    #[test]
    fn add_replace_delete() {
        let mut t = defaults();
        let dev = Label::new(&ip("dead::1"), 64, 1, 1).unwrap();
        assert_eq!(dev.prefix, ip("dead::"));
        add(&mut t, dev, false).unwrap();
        assert_eq!(add(&mut t, dev, false), Err(LabelError::Exists));
        add(&mut t, Label { label: 9, ..dev }, true).unwrap();
        let any = Label::new(&ip("dead::"), 64, 0, 2).unwrap();
        add(&mut t, any, false).unwrap();
        // The device's entry comes before the one for any device.
        let i = find(&t, &ip("dead::5"), 64, 1).unwrap();
        assert_eq!(t[i].label, 9);
        assert_eq!(find(&t, &ip("dead::"), 64, 0), Ok(i + 1));
        assert_eq!(label_of(&t, &ip("dead::7"), 1), 9);
        assert_eq!(label_of(&t, &ip("dead::7"), 2), 2);
        t.remove(i);
        assert_eq!(find(&t, &ip("dead::"), 64, 1), Err(LabelError::NotFound));
        assert_eq!(
            Label::new(&ip("::ffff:1.2.3.4"), 120, 0, 1),
            Err(LabelError::Invalid)
        );
        assert_eq!(Label::new(&ip("::ffff:0:0"), 80, 0, 1).unwrap().kind, 0);
        assert_eq!(kind_of(&ip("::")), 0);
        assert_eq!(label_of(&[], &ip("::1"), 1), DEFAULT_LABEL);
    }
}
