/* SPDX-License-Identifier: GPL-2.0 */
/*
 * C helpers for kernel APIs that are static inline (or macros) and so have no symbol
 * that Rust can call, and for initialising kernel structures whose init macros carry
 * lockdep keys. Each is a thin forward; decisions stay on the Rust side.
 */
#ifndef IPV6_RS_HELPERS_H
#define IPV6_RS_HELPERS_H

#include <linux/types.h>

struct net;
struct net_device;
struct inet6_dev;
struct ipv6_devconf;
struct netdev_notifier_info;

void *ipv6_rs_net_generic(const struct net *net, unsigned int id);
struct net *ipv6_rs_dev_net(const struct net_device *dev);
struct net_device *ipv6_rs_notifier_info_to_dev(const struct netdev_notifier_info *info);
void ipv6_rs_assert_rtnl(void);

/* dev->ip6_ptr, read under RTNL. */
struct inet6_dev *ipv6_rs_dev_idev(const struct net_device *dev);
/*
 * Allocate a struct inet6_dev for dev as mainline's ipv6_add_dev() lays it out (locks,
 * lists, statistics, a tracked reference on dev, refcount 1) with cnf copied in, and
 * publish it in dev->ip6_ptr. Returns 0 or -ENOMEM. Under RTNL.
 */
int ipv6_rs_idev_attach(struct net_device *dev, const struct ipv6_devconf *cnf);
/*
 * Unpublish dev->ip6_ptr, mark the inet6_dev dead and drop the device's reference; the
 * kernel's in6_dev_finish_destroy() frees it after the last user and an RCU grace
 * period. Under RTNL.
 */
void ipv6_rs_idev_detach(struct net_device *dev);

/* addrconf_link_ready(): operationally up with a real qdisc. */
bool ipv6_rs_link_ready(const struct net_device *dev);
/* idev->if_flags of dev's inet6_dev (dev must have one), and an update of them. */
u32 ipv6_rs_idev_if_flags(const struct net_device *dev);
void ipv6_rs_idev_update_if_flags(struct net_device *dev, u32 set, u32 clear);
/* idev->cnf.<name> of dev's inet6_dev (dev must have one). */
int ipv6_rs_idev_accept_dad(const struct net_device *dev);
int ipv6_rs_idev_disable_ipv6(const struct net_device *dev);

/* --- addresses: the kernel's struct inet6_ifaddr, on idev->addr_list. Under RTNL. */
struct inet6_ifaddr;
struct in6_addr;
/* Allocate and initialise an address of idev (holding a reference on idev); not listed. */
struct inet6_ifaddr *ipv6_rs_ifa_alloc(struct inet6_dev *idev, const struct in6_addr *addr,
				       const struct in6_addr *peer, u8 plen, u32 flags, u8 scope,
				       u32 valid_lft, u32 prefered_lft, u8 proto, u32 rt_priority);
/* Replace lifetimes, protocol, priority and the flags in `clear` with `set`; tstamp = now. */
void ipv6_rs_ifa_modify(struct inet6_ifaddr *ifa, u32 clear, u32 set, u32 valid_lft,
			u32 prefered_lft, u8 proto, u32 rt_priority);
/* List ifa on its device's address list before `before`, or at the end if NULL. */
void ipv6_rs_ifa_link(struct inet6_ifaddr *ifa, struct inet6_ifaddr *before);
/* Take ifa off its list and drop the list's reference; freed after an RCU grace period. */
void ipv6_rs_ifa_unlink_put(struct inet6_ifaddr *ifa);
/* Iterate idev's addresses: the first with prev == NULL, NULL after the last. */
struct inet6_ifaddr *ipv6_rs_ifa_next(struct inet6_dev *idev, struct inet6_ifaddr *prev);
/* Update flags under the address's lock. */
void ipv6_rs_ifa_set_flags(struct inet6_ifaddr *ifa, u32 set, u32 clear);
unsigned long ipv6_rs_jiffies(void);
unsigned int ipv6_rs_hz(void);

/* --- netlink */
struct sk_buff;
struct nlmsghdr;
struct netlink_callback;
struct netlink_ext_ack;
struct nlmsghdr *ipv6_rs_nlmsg_put(struct sk_buff *skb, u32 portid, u32 seq, int type,
				   int payload, int flags);
void ipv6_rs_nlmsg_end(struct sk_buff *skb, struct nlmsghdr *nlh);
void ipv6_rs_nlmsg_cancel(struct sk_buff *skb, struct nlmsghdr *nlh);
void *ipv6_rs_nlmsg_data(const struct nlmsghdr *nlh);
struct sk_buff *ipv6_rs_nlmsg_new(size_t payload);
void ipv6_rs_kfree_skb(struct sk_buff *skb);
/* rtnl_notify() to group, GFP_KERNEL, no originating request. Consumes skb. */
void ipv6_rs_rtnl_notify(struct sk_buff *skb, struct net *net, u32 group);
u32 ipv6_rs_skb_portid(const struct sk_buff *skb);
struct net *ipv6_rs_skb_net(const struct sk_buff *skb);
long *ipv6_rs_cb_args(struct netlink_callback *cb);
void ipv6_rs_extack_msg(struct netlink_ext_ack *extack, const char *msg);
/* Next device of net with ifindex >= *ifindex, or NULL; *ifindex is set to its index. */
struct net_device *ipv6_rs_dev_get_next(struct net *net, unsigned long *ifindex);

/*
 * Parse an RTM_NEWADDR/RTM_DELADDR request with mainline's ifa_ipv6_policy, as
 * nlmsg_parse_deprecated() does (same errors, same extack). tb has IFA_MAX + 1 slots.
 */
int ipv6_rs_parse_ifaddr(const struct nlmsghdr *nlh, struct nlattr **tb,
			 struct netlink_ext_ack *extack);
int ipv6_rs_ifa_max(void);
void *ipv6_rs_nla_data(const struct nlattr *nla);
int ipv6_rs_nla_len(const struct nlattr *nla);

/* --- links (RTM_GETLINK for AF_INET6) */
struct nlattr;
unsigned long ipv6_rs_msecs_to_jiffies(unsigned int ms);
struct nlattr *ipv6_rs_nla_nest_start(struct sk_buff *skb, int type);
void ipv6_rs_nla_nest_end(struct sk_buff *skb, struct nlattr *start);
/* IF_OPER_* as rtnetlink reports it: the operstate if running, else IF_OPER_DOWN. */
u8 ipv6_rs_dev_operstate(const struct net_device *dev);
/* Number of u64 items in IFLA_INET6_STATS and IFLA_INET6_ICMP6STATS. */
int ipv6_rs_ipstats_items(void);
int ipv6_rs_icmp6stats_items(void);
/* Fill them as mainline's snmp6_fill_stats(): [0] = item count, then each counter. */
void ipv6_rs_idev_fill_stats(struct inet6_dev *idev, u64 *ip, u64 *icmp);

/* --- the per-namespace address lifetime check (mainline's addr_chk_work) */
struct ipv6_rs_addr_chk;
/* Allocate a delayed work that calls fn(net) in process context. NULL on failure. */
struct ipv6_rs_addr_chk *ipv6_rs_addr_chk_alloc(struct net *net, void (*fn)(struct net *net));
/* (Re)arm it to run after `delay` jiffies. */
void ipv6_rs_addr_chk_schedule(struct ipv6_rs_addr_chk *chk, unsigned long delay);
/* Cancel, wait for a running instance, and free. */
void ipv6_rs_addr_chk_free(struct ipv6_rs_addr_chk *chk);

/* --- procfs: single-show files under /proc/net of a namespace */
struct seq_file;
struct proc_dir_entry;
typedef int (*ipv6_rs_show_fn)(struct seq_file *m, void *v);
struct proc_dir_entry *ipv6_rs_proc_net_create(struct net *net, const char *name,
					       ipv6_rs_show_fn show);
void ipv6_rs_proc_net_remove(struct net *net, const char *name);
struct net *ipv6_rs_seq_net(struct seq_file *m);
void ipv6_rs_rtnl_lock(void);
void ipv6_rs_rtnl_unlock(void);

#endif
