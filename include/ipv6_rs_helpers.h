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

#endif
