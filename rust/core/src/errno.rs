// SPDX-License-Identifier: GPL-2.0

//! Linux errno values (`include/uapi/asm-generic/errno-base.h`, `errno.h`): what the
//! core answers with, and what the handlers compare kernel results against. The kernel
//! layer checks each against the kernel's own definition at build time.

/// `EPERM`.
pub const EPERM: i32 = 1;
/// `ENOENT`.
pub const ENOENT: i32 = 2;
/// `ESRCH`.
pub const ESRCH: i32 = 3;
/// `ENXIO`.
pub const ENXIO: i32 = 6;
/// `EAGAIN`.
pub const EAGAIN: i32 = 11;
/// `ENOMEM`.
pub const ENOMEM: i32 = 12;
/// `EACCES`.
pub const EACCES: i32 = 13;
/// `EFAULT`.
pub const EFAULT: i32 = 14;
/// `EEXIST`.
pub const EEXIST: i32 = 17;
/// `ENODEV`.
pub const ENODEV: i32 = 19;
/// `EINVAL`.
pub const EINVAL: i32 = 22;
/// `ERANGE`.
pub const ERANGE: i32 = 34;
/// `EILSEQ`.
pub const EILSEQ: i32 = 84;
/// `EDESTADDRREQ`.
pub const EDESTADDRREQ: i32 = 89;
/// `EMSGSIZE`.
pub const EMSGSIZE: i32 = 90;
/// `ENOPROTOOPT`.
pub const ENOPROTOOPT: i32 = 92;
/// `EPROTONOSUPPORT`.
pub const EPROTONOSUPPORT: i32 = 93;
/// `ESOCKTNOSUPPORT`.
pub const ESOCKTNOSUPPORT: i32 = 94;
/// `EOPNOTSUPP`.
pub const EOPNOTSUPP: i32 = 95;
/// `EAFNOSUPPORT`.
pub const EAFNOSUPPORT: i32 = 97;
/// `EADDRINUSE`.
pub const EADDRINUSE: i32 = 98;
/// `EADDRNOTAVAIL`.
pub const EADDRNOTAVAIL: i32 = 99;
/// `ENETDOWN`.
pub const ENETDOWN: i32 = 100;
/// `ENETUNREACH`.
pub const ENETUNREACH: i32 = 101;
/// `ENOBUFS`.
pub const ENOBUFS: i32 = 105;
/// `EHOSTUNREACH`.
pub const EHOSTUNREACH: i32 = 113;
/// `EINPROGRESS`.
pub const EINPROGRESS: i32 = 115;
