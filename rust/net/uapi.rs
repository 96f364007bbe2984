// SPDX-License-Identifier: GPL-2.0

//! The user-space ABI the handlers speak: constants and plain structures of the uapi
//! headers (`include/uapi/linux/rtnetlink.h`, `netlink.h`, `if_addrlabel.h`, ...), as
//! the kernel's own `uapi` crate offers them to Rust drivers upstream. Plain data, no
//! kernel objects: naming these needs no `unsafe` and no guard. Only what the handlers
//! use is listed.

// Message types and flags (`linux/rtnetlink.h`, `linux/netlink.h`), family headers
// (`struct rtmsg`, `struct ifaddrlblmsg`), address label attributes
// (`linux/if_addrlabel.h`), route metrics (`RTAX_*`), `AF_INET6` (`linux/socket.h`).
pub(crate) use crate::bindings::{
    ifaddrlblmsg, rtmsg, __RTAX_MAX, AF_INET6, IFAL_ADDRESS, IFAL_LABEL, NLM_F_APPEND,
    NLM_F_CREATE, NLM_F_DUMP_FILTERED, NLM_F_EXCL, NLM_F_MULTI, NLM_F_REPLACE, RTAX_ADVMSS,
    RTAX_HOPLIMIT, RTAX_MTU, RTM_DELADDRLABEL, RTM_DELROUTE, RTM_F_CLONED, RTM_F_FIB_MATCH,
    RTM_F_PREFIX, RTM_GETADDRLABEL, RTM_GETROUTE, RTM_NEWADDR, RTM_NEWADDRLABEL, RTM_NEWROUTE,
};

/// `IFF_UP` (`include/uapi/linux/if.h`).
pub(crate) const IFF_UP: u32 = crate::bindings::net_device_flags_IFF_UP;
/// `IFF_MULTICAST`.
pub(crate) const IFF_MULTICAST: u32 = crate::bindings::net_device_flags_IFF_MULTICAST;

// Route attributes (`enum rtattr_type_t`, `include/uapi/linux/rtnetlink.h`).
pub(crate) const RTA_DPORT: u32 = crate::bindings::rtattr_type_t_RTA_DPORT;
pub(crate) const RTA_DST: u32 = crate::bindings::rtattr_type_t_RTA_DST;
pub(crate) const RTA_ENCAP: u32 = crate::bindings::rtattr_type_t_RTA_ENCAP;
pub(crate) const RTA_EXPIRES: u32 = crate::bindings::rtattr_type_t_RTA_EXPIRES;
pub(crate) const RTA_GATEWAY: u32 = crate::bindings::rtattr_type_t_RTA_GATEWAY;
pub(crate) const RTA_IIF: u32 = crate::bindings::rtattr_type_t_RTA_IIF;
pub(crate) const RTA_IP_PROTO: u32 = crate::bindings::rtattr_type_t_RTA_IP_PROTO;
pub(crate) const RTA_MARK: u32 = crate::bindings::rtattr_type_t_RTA_MARK;
pub(crate) const RTA_METRICS: u32 = crate::bindings::rtattr_type_t_RTA_METRICS;
pub(crate) const RTA_MULTIPATH: u32 = crate::bindings::rtattr_type_t_RTA_MULTIPATH;
pub(crate) const RTA_NH_ID: u32 = crate::bindings::rtattr_type_t_RTA_NH_ID;
pub(crate) const RTA_OIF: u32 = crate::bindings::rtattr_type_t_RTA_OIF;
pub(crate) const RTA_PREF: u32 = crate::bindings::rtattr_type_t_RTA_PREF;
pub(crate) const RTA_PREFSRC: u32 = crate::bindings::rtattr_type_t_RTA_PREFSRC;
pub(crate) const RTA_PRIORITY: u32 = crate::bindings::rtattr_type_t_RTA_PRIORITY;
pub(crate) const RTA_SPORT: u32 = crate::bindings::rtattr_type_t_RTA_SPORT;
pub(crate) const RTA_SRC: u32 = crate::bindings::rtattr_type_t_RTA_SRC;
pub(crate) const RTA_TABLE: u32 = crate::bindings::rtattr_type_t_RTA_TABLE;
pub(crate) const RTA_UID: u32 = crate::bindings::rtattr_type_t_RTA_UID;
pub(crate) const RTA_VIA: u32 = crate::bindings::rtattr_type_t_RTA_VIA;

// Further uapi names of the address and link messages (`linux/if_addr.h`,
// `linux/if_link.h`, `linux/if_arp.h`, `linux/ipv6.h`, `linux/rtnetlink.h`).
pub(crate) use crate::bindings::{
    ifaddrmsg, ifinfomsg, ARPHRD_ETHER, ARPHRD_NONE, ARPHRD_SIT, ARPHRD_TUNNEL, ARPHRD_TUNNEL6,
    DEVCONF_MAX, IFA_ADDRESS, IFA_CACHEINFO, IFA_FLAGS, IFA_LOCAL, IFA_PROTO, IFA_RT_PRIORITY,
    IFLA_ADDRESS, IFLA_IFNAME, IFLA_INET6_ADDR_GEN_MODE, IFLA_INET6_CACHEINFO, IFLA_INET6_CONF,
    IFLA_INET6_FLAGS, IFLA_INET6_ICMP6STATS, IFLA_INET6_RA_MTU, IFLA_INET6_STATS, IFLA_INET6_TOKEN,
    IFLA_LINK, IFLA_MTU, IFLA_OPERSTATE, IFLA_PROTINFO, PF_INET6, RTM_DELADDR, RTM_GETADDR,
    RTM_GETLINK, RTM_NEWLINK, RTNH_F_LINKDOWN,
};
pub(crate) const RTA_CACHEINFO: u32 = crate::bindings::rtattr_type_t_RTA_CACHEINFO;

// Multicast groups (`enum rtnetlink_groups`).
pub(crate) const RTNLGRP_IPV6_IFADDR: u32 = crate::bindings::rtnetlink_groups_RTNLGRP_IPV6_IFADDR;
pub(crate) const RTNLGRP_IPV6_IFINFO: u32 = crate::bindings::rtnetlink_groups_RTNLGRP_IPV6_IFINFO;
pub(crate) const RTNLGRP_IPV6_ROUTE: u32 = crate::bindings::rtnetlink_groups_RTNLGRP_IPV6_ROUTE;
pub(crate) const RTNLGRP_ND_USEROPT: u32 = crate::bindings::rtnetlink_groups_RTNLGRP_ND_USEROPT;

// RA options handed to user space (`struct nduseroptmsg`, `linux/rtnetlink.h`).
pub(crate) use crate::bindings::{nduseroptmsg, NDUSEROPT_SRCADDR, RTM_NEWNDUSEROPT};
/// `RT_SCOPE_UNIVERSE`.
pub(crate) const RT_SCOPE_UNIVERSE: u32 = crate::bindings::rt_scope_t_RT_SCOPE_UNIVERSE;
/// `RT_TABLE_COMPAT`.
pub(crate) const RT_TABLE_COMPAT: u32 = crate::bindings::rt_class_t_RT_TABLE_COMPAT;
