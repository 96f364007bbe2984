// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line forwards to static-inline kernel APIs, and initialisers of kernel
 * structures, for the Rust side of ipv6_rs.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/percpu.h>
#include <net/addrconf.h>
#include <net/if_inet6.h>
#include <net/netns/generic.h>

#include "ipv6_rs_helpers.h"

void *ipv6_rs_net_generic(const struct net *net, unsigned int id)
{
	return net_generic(net, id);
}

struct net *ipv6_rs_dev_net(const struct net_device *dev)
{
	return dev_net(dev);
}

struct net_device *ipv6_rs_notifier_info_to_dev(const struct netdev_notifier_info *info)
{
	return netdev_notifier_info_to_dev(info);
}

void ipv6_rs_assert_rtnl(void)
{
	ASSERT_RTNL();
}

struct inet6_dev *ipv6_rs_dev_idev(const struct net_device *dev)
{
	return rtnl_dereference(dev->ip6_ptr);
}

/* As mainline's snmp6_alloc_dev(); the kernel's in6_dev_finish_destroy() frees these. */
static int ipv6_rs_idev_alloc_stats(struct inet6_dev *idev)
{
	int cpu;

	idev->stats.ipv6 = alloc_percpu_gfp(struct ipstats_mib, GFP_KERNEL_ACCOUNT);
	if (!idev->stats.ipv6)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(idev->stats.ipv6, cpu)->syncp);
	idev->stats.icmpv6dev = kzalloc(sizeof(*idev->stats.icmpv6dev), GFP_KERNEL);
	idev->stats.icmpv6msgdev = kzalloc(sizeof(*idev->stats.icmpv6msgdev),
					   GFP_KERNEL_ACCOUNT);
	if (!idev->stats.icmpv6dev || !idev->stats.icmpv6msgdev) {
		kfree(idev->stats.icmpv6msgdev);
		kfree(idev->stats.icmpv6dev);
		free_percpu(idev->stats.ipv6);
		return -ENOMEM;
	}
	return 0;
}

int ipv6_rs_idev_attach(struct net_device *dev, const struct ipv6_devconf *cnf)
{
	struct inet6_dev *idev;

	ASSERT_RTNL();
	idev = kzalloc(sizeof(*idev), GFP_KERNEL_ACCOUNT);
	if (!idev)
		return -ENOMEM;
	rwlock_init(&idev->lock);
	idev->dev = dev;
	INIT_LIST_HEAD(&idev->addr_list);
	INIT_LIST_HEAD(&idev->tempaddr_list);
	memcpy(&idev->cnf, cnf, sizeof(idev->cnf));
	idev->cnf.mtu6 = dev->mtu;
	idev->desync_factor = U32_MAX;
	if (ipv6_rs_idev_alloc_stats(idev)) {
		kfree(idev);
		return -ENOMEM;
	}
	netdev_hold(dev, &idev->dev_tracker, GFP_KERNEL);
	refcount_set(&idev->refcnt, 1);
	idev->tstamp = jiffies;
	rcu_assign_pointer(dev->ip6_ptr, idev);
	return 0;
}

void ipv6_rs_idev_detach(struct net_device *dev)
{
	struct inet6_dev *idev = rtnl_dereference(dev->ip6_ptr);

	ASSERT_RTNL();
	if (!idev)
		return;
	idev->dead = 1;
	RCU_INIT_POINTER(dev->ip6_ptr, NULL);
	in6_dev_put(idev);
}
