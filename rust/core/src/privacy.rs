// SPDX-License-Identifier: GPL-2.0

//! Interface identifiers that do not reveal the hardware address, as mainline's
//! `net/ipv6/addrconf.c` makes them: RFC 7217 stable privacy addresses
//! (`ipv6_generate_stable_address()`: one SHA-1 block over a secret, the prefix, the
//! permanent hardware address and a DAD counter), random identifiers
//! (`ipv6_gen_rnd_iid()`), and the lifetimes of RFC 8981 temporary addresses
//! (`ipv6_create_tempaddr()`, `manage_tempaddrs()`, the regeneration check of
//! `addrconf_verify_rtnl()`).

use crate::ctx::Random;

/// SHA-1's initial state (`sha1_init()`).
pub const SHA1_INIT: [u32; 5] = [
    0x6745_2301,
    0xefcd_ab89,
    0x98ba_dcfe,
    0x1032_5476,
    0xc3d2_e1f0,
];

/// One SHA-1 compression of a 64-byte block into `digest` (the kernel's
/// `sha1_transform()`: no padding, no length; the block is read as big-endian words).
pub fn sha1_transform(digest: &mut [u32; 5], block: &[u8; 64]) {
    let mut w = [0u32; 80];
    for (i, c) in block.chunks_exact(4).enumerate() {
        w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
    }
    for i in 16..80 {
        w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
    }
    let [mut a, mut b, mut c, mut d, mut e] = *digest;
    for (i, wi) in w.iter().enumerate() {
        let (f, k) = match i {
            0..=19 => ((b & c) | (!b & d), 0x5a82_7999),
            20..=39 => (b ^ c ^ d, 0x6ed9_eba1),
            40..=59 => ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc),
            _ => (b ^ c ^ d, 0xca62_c1d6),
        };
        let t = a
            .rotate_left(5)
            .wrapping_add(f)
            .wrapping_add(e)
            .wrapping_add(k)
            .wrapping_add(*wi);
        e = d;
        d = c;
        c = b.rotate_left(30);
        b = a;
        a = t;
    }
    for (s, v) in digest.iter_mut().zip([a, b, c, d, e]) {
        *s = s.wrapping_add(v);
    }
}

/// `MAX_ADDR_LEN`: room for a hardware address in the hashed block.
const MAX_ADDR_LEN: usize = 32;

/// `ipv6_reserved_interfaceid()`: identifiers RFC 7217 must not produce (subnet-router
/// anycast, the IANA Ethernet block, reserved subnet anycast).
pub fn reserved_interface_id(iid: &[u8; 8]) -> bool {
    let hi = u32::from_be_bytes([iid[0], iid[1], iid[2], iid[3]]);
    let lo = u32::from_be_bytes([iid[4], iid[5], iid[6], iid[7]]);
    (hi | lo) == 0
        || (hi == 0x0200_5eff && lo & 0xfe00_0000 == 0xfe00_0000)
        || (hi == 0xfdff_ffff && lo & 0xffff_ff80 == 0xffff_ff80)
}

/// The RFC 7217 interface identifier for `prefix` (its first 8 bytes) as mainline's
/// `ipv6_generate_stable_address()` makes it: SHA-1 (one block, from the initial state)
/// over the packed `{ secret, prefix, hwaddr[MAX_ADDR_LEN], dad_count }`, the first
/// two digest words stored as they lie in memory (`native`: this machine's byte order,
/// as the kernel's `(__force __be32)digest[i]` does). A reserved identifier bumps
/// `dad_count` and tries again, up to `idgen_retries`; `None` after that.
pub fn stable_interface_id(
    secret: &[u8; 16],
    prefix: &[u8; 8],
    hwaddr: &[u8],
    mut dad_count: u8,
    idgen_retries: i32,
) -> Option<[u8; 8]> {
    loop {
        let mut block = [0u8; 64];
        block[..16].copy_from_slice(secret);
        block[16..24].copy_from_slice(prefix);
        let n = hwaddr.len().min(MAX_ADDR_LEN);
        block[24..24 + n].copy_from_slice(&hwaddr[..n]);
        block[24 + MAX_ADDR_LEN] = dad_count;
        let mut digest = SHA1_INIT;
        sha1_transform(&mut digest, &block);
        let mut iid = [0u8; 8];
        iid[..4].copy_from_slice(&digest[0].to_ne_bytes());
        iid[4..].copy_from_slice(&digest[1].to_ne_bytes());
        if !reserved_interface_id(&iid) {
            return Some(iid);
        }
        dad_count = dad_count.wrapping_add(1);
        if i32::from(dad_count) > idgen_retries {
            return None;
        }
    }
}

/// A random interface identifier for a temporary address (`ipv6_gen_rnd_iid()`, RFC
/// 8981 §3.3.1): drawn again while it is a reserved one.
pub fn random_interface_id(rng: &mut impl Random) -> [u8; 8] {
    loop {
        let mut iid = [0u8; 8];
        rng.fill(&mut iid);
        let hi = u32::from_be_bytes([iid[0], iid[1], iid[2], iid[3]]);
        let lo = u32::from_be_bytes([iid[4], iid[5], iid[6], iid[7]]);
        let reserved = (hi | lo) == 0
            || (hi == 0x0200_5eff && lo & 0xff00_0000 == 0xfe00_0000)
            || (hi == 0xfdff_ffff && lo >= 0xffff_ff80);
        if !reserved {
            return iid;
        }
    }
}

/// `ipv6_get_regen_advance()`: how many seconds before a temporary address's preferred
/// lifetime ends its successor is made: `regen_min_advance` plus the time DAD may take
/// for `regen_max_retry` attempts (`retrans_time` in jiffies, at least HZ/100).
pub fn regen_advance(
    regen_min_advance: i32,
    regen_max_retry: i32,
    dad_transmits: i32,
    retrans_time: u64,
    hz: u64,
) -> u64 {
    let hz = hz.max(1);
    let retrans = retrans_time.max(hz / 100);
    // Mainline computes this in unsigned long: negative settings wrap.
    (regen_min_advance as i64 as u64).wrapping_add(
        (regen_max_retry as i64 as u64)
            .wrapping_mul(dad_transmits as i64 as u64)
            .wrapping_mul(retrans)
            / hz,
    )
}

/// The temporary-address settings of a device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TempConf {
    /// `temp_valid_lft`.
    pub valid_lft: i32,
    /// `temp_prefered_lft`.
    pub prefered_lft: i32,
    /// `max_desync_factor`.
    pub max_desync_factor: i32,
    /// [`regen_advance`] for the device.
    pub regen_advance: u64,
}

/// The device's `desync_factor` before making a temporary address: drawn anew below
/// the largest allowed (`max_desync_factor`, but less than `temp_prefered_lft -
/// regen_advance`) when the current one exceeds it (it starts at `u32::MAX`).
pub fn desync_factor(current: u32, c: &TempConf, rng: &mut impl Random) -> u32 {
    let max = i64::from(c.max_desync_factor)
        .min(i64::from(c.prefered_lft).wrapping_sub(c.regen_advance as i64));
    if i64::from(current) <= max {
        return current;
    }
    if max > 0 {
        let mut b = [0u8; 4];
        rng.fill(&mut b);
        (u32::from_ne_bytes(b) as i64 % max) as u32
    } else {
        0
    }
}

/// The (valid, preferred) lifetimes of a new temporary address made from a public
/// address with `pub_valid`/`pub_preferred` lifetimes, `age` seconds after the public
/// address's last update (`age_fuzzed` with `ADDRCONF_TIMER_FUZZ_MINUS`), as
/// `ipv6_create_tempaddr()` computes them; the new address shares the public one's
/// update stamp. `None` when no temporary address may be made (its preferred lifetime
/// would not outlast the regeneration advance).
pub fn temp_lifetimes(
    pub_valid: u32,
    pub_preferred: u32,
    age: u64,
    age_fuzzed: u64,
    desync: u32,
    c: &TempConf,
) -> Option<(u32, u32)> {
    let age32 = age as u32;
    let valid = pub_valid.min((c.valid_lft as u32).wrapping_add(age32));
    let preferred = (c.prefered_lft as u32)
        .wrapping_add(age32)
        .wrapping_sub(desync);
    let mut preferred = pub_preferred.min(preferred).min(valid);
    let floor = c.regen_advance.wrapping_add(age_fuzzed);
    if u64::from(preferred) <= floor {
        let p = floor.wrapping_add(1);
        if p <= floor || p > u64::from(valid) || p > u64::from(pub_preferred) {
            return None;
        }
        preferred = p as u32;
    }
    Some((valid, preferred))
}

/// `manage_tempaddrs()` for one temporary address of a public address an RA (or a
/// request) refreshed: its new (valid, preferred) lifetimes from the advertised ones,
/// never beyond `temp_valid_lft` and `temp_prefered_lft - desync_factor` since it was
/// made (`age` seconds ago). Mainline carries the clamped values on to the next
/// (older) temporary address of the same public one, so callers pass them on.
pub fn temp_refresh(valid: u32, preferred: u32, age: i64, desync: u32, c: &TempConf) -> (u32, u32) {
    // Mainline's ints: the arithmetic is 32-bit.
    let age = age as i32;
    let max_valid = c.valid_lft.wrapping_sub(age).max(0);
    let max_preferred = c
        .prefered_lft
        .wrapping_sub(desync as i32)
        .wrapping_sub(age)
        .max(0);
    // Compared as mainline does: the unsigned lifetime against a promoted int.
    (
        valid.min(max_valid as u32),
        preferred.min(max_preferred as u32),
    )
}

/// Whether the periodic check makes the successor of a temporary address now
/// (`addrconf_verify_rtnl()`): a usable temporary address with a finite preferred
/// lifetime, not regenerated yet, with its public address, within `regen_advance` of
/// the end of its preferred lifetime (`age` in seconds, fuzzed). Otherwise, for one
/// that will need it, `Some(seconds)` from its update stamp when to look again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regen {
    /// Not a temporary address waiting for a successor.
    NotApplicable,
    /// Make the successor now.
    Now,
    /// Look again this many seconds after the address's update stamp.
    At(u64),
}

/// See [`Regen`].
pub fn temp_regen(
    flags: u32,
    preferred: u32,
    regen_count: u8,
    has_public: bool,
    age: u64,
    regen_advance: u64,
) -> Regen {
    use crate::addrconf::{ifa_flags, INFINITY_LIFE_TIME};
    if flags & ifa_flags::TEMPORARY == 0
        || flags & ifa_flags::TENTATIVE != 0
        || preferred == INFINITY_LIFE_TIME
        || regen_count != 0
        || !has_public
    {
        return Regen::NotApplicable;
    }
    if age + regen_advance >= u64::from(preferred) {
        Regen::Now
    } else {
        Regen::At(u64::from(preferred) - regen_advance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Seq(u8);

    impl Random for Seq {
        fn below(&mut self, ceil: u32) -> u32 {
            u32::from(self.0) % ceil.max(1)
        }
        fn fill(&mut self, buf: &mut [u8]) {
            for b in buf {
                *b = self.0;
            }
            self.0 = self.0.wrapping_add(1);
        }
    }

    #[test]
    fn sha1_abc() {
        // SHA-1("abc"), padded by hand into one block (FIPS 180 example).
        let mut block = [0u8; 64];
        block[..3].copy_from_slice(b"abc");
        block[3] = 0x80;
        block[63] = 24;
        let mut d = SHA1_INIT;
        sha1_transform(&mut d, &block);
        assert_eq!(
            d,
            [
                0xa999_3e36,
                0x4706_816a,
                0xba3e_2571,
                0x7850_c26c,
                0x9cd0_d89d
            ]
        );
        // SHA-1("") likewise.
        let mut block = [0u8; 64];
        block[0] = 0x80;
        let mut d = SHA1_INIT;
        sha1_transform(&mut d, &block);
        assert_eq!(
            d,
            [
                0xda39_a3ee,
                0x5e6b_4b0d,
                0x3255_bfef,
                0x9560_1890,
                0xafd8_0709
            ]
        );
    }

    #[test]
    fn stable_id_layout() {
        let secret = [0x11u8; 16];
        let prefix = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0];
        let mac = [0x52, 0x54, 0, 0x12, 0x34, 0x56];
        let a = stable_interface_id(&secret, &prefix, &mac, 0, 3).unwrap();
        // Same block hashed by hand.
        let mut block = [0u8; 64];
        block[..16].copy_from_slice(&secret);
        block[16..24].copy_from_slice(&prefix);
        block[24..30].copy_from_slice(&mac);
        let mut d = SHA1_INIT;
        sha1_transform(&mut d, &block);
        assert_eq!(a[..4], d[0].to_ne_bytes());
        assert_eq!(a[4..], d[1].to_ne_bytes());
        // The DAD counter is byte 56 and changes the result; so does the prefix.
        let b = stable_interface_id(&secret, &prefix, &mac, 1, 3).unwrap();
        assert_ne!(a, b);
        block[56] = 1;
        let mut d = SHA1_INIT;
        sha1_transform(&mut d, &block);
        assert_eq!(b[..4], d[0].to_ne_bytes());
        let p2 = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0];
        assert_ne!(stable_interface_id(&secret, &p2, &mac, 0, 3).unwrap(), a);
    }

    #[test]
    fn reserved_ids() {
        assert!(reserved_interface_id(&[0; 8]));
        assert!(reserved_interface_id(&[2, 0, 0x5e, 0xff, 0xfe, 0, 0, 1]));
        assert!(reserved_interface_id(&[2, 0, 0x5e, 0xff, 0xff, 0, 0, 1]));
        assert!(reserved_interface_id(&[
            0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80
        ]));
        assert!(!reserved_interface_id(&[
            0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f
        ]));
        assert!(!reserved_interface_id(&[0, 0, 0, 0, 0, 0, 0, 1]));
        // A zero draw is drawn again.
        let mut r = Seq(0);
        assert_eq!(random_interface_id(&mut r), [1; 8]);
    }

    const C: TempConf = TempConf {
        valid_lft: 7 * 86_400,
        prefered_lft: 86_400,
        max_desync_factor: 600,
        regen_advance: 5,
    };

    #[test]
    fn regen_advance_default() {
        // regen_min_advance 2 + 3 retries * 1 transmit * 1 s.
        assert_eq!(regen_advance(2, 3, 1, 250, 250), 5);
        assert_eq!(regen_advance(2, 3, 1, 1, 250), 2);
    }

    #[test]
    fn desync() {
        let mut r = Seq(7);
        let d = desync_factor(u32::MAX, &C, &mut r);
        assert!(d < 600);
        assert_eq!(desync_factor(d, &C, &mut r), d);
        let tight = TempConf {
            prefered_lft: 5,
            ..C
        };
        assert_eq!(desync_factor(u32::MAX, &tight, &mut r), 0);
    }

    #[test]
    fn lifetimes_of_new_temporaries() {
        // Public address: valid 3600, preferred 1800: the public ones bound.
        assert_eq!(
            temp_lifetimes(3600, 1800, 0, 0, 100, &C),
            Some((3600, 1800))
        );
        // Settings bound: temp_valid_lft, temp_prefered_lft - desync (+ age).
        let c = TempConf {
            valid_lft: 300,
            prefered_lft: 120,
            ..C
        };
        assert_eq!(temp_lifetimes(3600, 1800, 0, 0, 20, &c), Some((300, 100)));
        assert_eq!(temp_lifetimes(3600, 1800, 50, 50, 20, &c), Some((350, 150)));
        // Too short to outlast regen_advance: raised to it plus one, if allowed.
        assert_eq!(temp_lifetimes(3600, 1800, 0, 0, 118, &c), Some((300, 6)));
        assert_eq!(temp_lifetimes(3600, 4, 0, 0, 0, &c), None);
    }

    #[test]
    fn refresh() {
        let c = TempConf {
            valid_lft: 300,
            prefered_lft: 120,
            ..C
        };
        assert_eq!(temp_refresh(3600, 1800, 0, 20, &c), (300, 100));
        assert_eq!(temp_refresh(3600, 1800, 100, 20, &c), (200, 0));
        assert_eq!(temp_refresh(3600, 1800, 400, 20, &c), (0, 0));
        assert_eq!(temp_refresh(50, 10, 0, 20, &c), (50, 10));
    }

    #[test]
    fn regeneration() {
        use crate::addrconf::ifa_flags::{TEMPORARY, TENTATIVE};
        assert_eq!(temp_regen(0, 100, 0, true, 99, 5), Regen::NotApplicable);
        assert_eq!(
            temp_regen(TEMPORARY | TENTATIVE, 100, 0, true, 99, 5),
            Regen::NotApplicable
        );
        assert_eq!(
            temp_regen(TEMPORARY, 100, 1, true, 99, 5),
            Regen::NotApplicable
        );
        assert_eq!(
            temp_regen(TEMPORARY, 100, 0, false, 99, 5),
            Regen::NotApplicable
        );
        assert_eq!(temp_regen(TEMPORARY, 100, 0, true, 94, 5), Regen::At(95));
        assert_eq!(temp_regen(TEMPORARY, 100, 0, true, 95, 5), Regen::Now);
    }
}
