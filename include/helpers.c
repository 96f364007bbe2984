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
#include <net/netlink.h>
#include <net/ip.h>
#include <net/snmp.h>
#include <net/sch_generic.h>
#include <linux/proc_fs.h>
#include <linux/workqueue.h>
#include <linux/seq_file.h>
#include <linux/seq_file_net.h>

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

bool ipv6_rs_link_ready(const struct net_device *dev)
{
	return netif_oper_up(dev) && !qdisc_tx_is_noop(dev);
}

u32 ipv6_rs_idev_if_flags(const struct net_device *dev)
{
	return rtnl_dereference(dev->ip6_ptr)->if_flags;
}

void ipv6_rs_idev_update_if_flags(struct net_device *dev, u32 set, u32 clear)
{
	struct inet6_dev *idev = rtnl_dereference(dev->ip6_ptr);

	idev->if_flags = (idev->if_flags & ~clear) | set;
}

int ipv6_rs_idev_accept_dad(const struct net_device *dev)
{
	return READ_ONCE(rtnl_dereference(dev->ip6_ptr)->cnf.accept_dad);
}

int ipv6_rs_idev_disable_ipv6(const struct net_device *dev)
{
	return READ_ONCE(rtnl_dereference(dev->ip6_ptr)->cnf.disable_ipv6);
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

/* --- addresses */

struct inet6_ifaddr *ipv6_rs_ifa_alloc(struct inet6_dev *idev, const struct in6_addr *addr,
				       const struct in6_addr *peer, u8 plen, u32 flags, u8 scope,
				       u32 valid_lft, u32 prefered_lft, u8 proto, u32 rt_priority)
{
	struct inet6_ifaddr *ifa;

	ASSERT_RTNL();
	ifa = kzalloc(sizeof(*ifa), GFP_KERNEL_ACCOUNT);
	if (!ifa)
		return NULL;
	spin_lock_init(&ifa->lock);
	INIT_HLIST_NODE(&ifa->addr_lst);
	INIT_LIST_HEAD(&ifa->if_list);
	INIT_LIST_HEAD(&ifa->if_list_aux);
	INIT_LIST_HEAD(&ifa->tmp_list);
	ifa->addr = *addr;
	if (peer)
		ifa->peer_addr = *peer;
	ifa->prefix_len = plen;
	ifa->flags = flags;
	ifa->scope = scope;
	ifa->valid_lft = valid_lft;
	ifa->prefered_lft = prefered_lft;
	ifa->ifa_proto = proto;
	ifa->rt_priority = rt_priority;
	ifa->cstamp = ifa->tstamp = jiffies;
	ifa->state = INET6_IFADDR_STATE_PREDAD;
	in6_dev_hold(idev);
	ifa->idev = idev;
	refcount_set(&ifa->refcnt, 1);
	return ifa;
}

void ipv6_rs_ifa_link(struct inet6_ifaddr *ifa, struct inet6_ifaddr *before)
{
	struct inet6_dev *idev = ifa->idev;

	ASSERT_RTNL();
	write_lock_bh(&idev->lock);
	list_add_tail_rcu(&ifa->if_list, before ? &before->if_list : &idev->addr_list);
	write_unlock_bh(&idev->lock);
}

void ipv6_rs_ifa_unlink_put(struct inet6_ifaddr *ifa)
{
	struct inet6_dev *idev = ifa->idev;

	ASSERT_RTNL();
	write_lock_bh(&idev->lock);
	list_del_rcu(&ifa->if_list);
	write_unlock_bh(&idev->lock);
	ifa->state = INET6_IFADDR_STATE_DEAD;
	if (refcount_dec_and_test(&ifa->refcnt)) {
		in6_dev_put(idev);
		kfree_rcu(ifa, rcu);
	}
}

struct inet6_ifaddr *ipv6_rs_ifa_next(struct inet6_dev *idev, struct inet6_ifaddr *prev)
{
	struct list_head *next = prev ? prev->if_list.next : idev->addr_list.next;

	ASSERT_RTNL();
	return next == &idev->addr_list ? NULL :
		list_entry(next, struct inet6_ifaddr, if_list);
}

void ipv6_rs_ifa_modify(struct inet6_ifaddr *ifa, u32 clear, u32 set, u32 valid_lft,
			u32 prefered_lft, u8 proto, u32 rt_priority)
{
	ASSERT_RTNL();
	spin_lock_bh(&ifa->lock);
	ifa->flags = (ifa->flags & ~clear) | set;
	WRITE_ONCE(ifa->tstamp, jiffies);
	WRITE_ONCE(ifa->valid_lft, valid_lft);
	WRITE_ONCE(ifa->prefered_lft, prefered_lft);
	WRITE_ONCE(ifa->ifa_proto, proto);
	WRITE_ONCE(ifa->rt_priority, rt_priority);
	spin_unlock_bh(&ifa->lock);
}

void ipv6_rs_ifa_set_flags(struct inet6_ifaddr *ifa, u32 set, u32 clear)
{
	spin_lock_bh(&ifa->lock);
	ifa->flags = (ifa->flags & ~clear) | set;
	spin_unlock_bh(&ifa->lock);
}

unsigned long ipv6_rs_jiffies(void)
{
	return jiffies;
}

unsigned int ipv6_rs_hz(void)
{
	return HZ;
}

/* --- netlink */

struct nlmsghdr *ipv6_rs_nlmsg_put(struct sk_buff *skb, u32 portid, u32 seq, int type,
				   int payload, int flags)
{
	return nlmsg_put(skb, portid, seq, type, payload, flags);
}

void ipv6_rs_nlmsg_end(struct sk_buff *skb, struct nlmsghdr *nlh)
{
	nlmsg_end(skb, nlh);
}

void ipv6_rs_nlmsg_cancel(struct sk_buff *skb, struct nlmsghdr *nlh)
{
	nlmsg_cancel(skb, nlh);
}

void *ipv6_rs_nlmsg_data(const struct nlmsghdr *nlh)
{
	return nlmsg_data(nlh);
}

struct sk_buff *ipv6_rs_nlmsg_new(size_t payload)
{
	return nlmsg_new(payload, GFP_KERNEL);
}

void ipv6_rs_kfree_skb(struct sk_buff *skb)
{
	kfree_skb(skb);
}

void ipv6_rs_rtnl_notify(struct sk_buff *skb, struct net *net, u32 group)
{
	rtnl_notify(skb, net, 0, group, NULL, GFP_KERNEL);
}

u32 ipv6_rs_skb_portid(const struct sk_buff *skb)
{
	return NETLINK_CB(skb).portid;
}

struct net *ipv6_rs_skb_net(const struct sk_buff *skb)
{
	return sock_net(skb->sk);
}

long *ipv6_rs_cb_args(struct netlink_callback *cb)
{
	return cb->args;
}

void ipv6_rs_extack_msg(struct netlink_ext_ack *extack, const char *msg)
{
	/* NL_SET_ERR_MSG() takes a literal; msg is static too, so store it the same way. */
	if (extack)
		extack->_msg = msg;
}

struct net_device *ipv6_rs_dev_get_next(struct net *net, unsigned long *ifindex)
{
	ASSERT_RTNL();
	return xa_find(&net->dev_by_index, ifindex, ULONG_MAX, XA_PRESENT);
}

/* Mainline's ifa_ipv6_policy (net/ipv6/addrconf.c): part of the ABI. */
static const struct nla_policy ipv6_rs_ifa_policy[IFA_MAX + 1] = {
	[IFA_ADDRESS]		= { .len = sizeof(struct in6_addr) },
	[IFA_LOCAL]		= { .len = sizeof(struct in6_addr) },
	[IFA_CACHEINFO]		= { .len = sizeof(struct ifa_cacheinfo) },
	[IFA_FLAGS]		= { .len = sizeof(u32) },
	[IFA_RT_PRIORITY]	= { .len = sizeof(u32) },
	[IFA_TARGET_NETNSID]	= { .type = NLA_S32 },
	[IFA_PROTO]		= { .type = NLA_U8 },
};

int ipv6_rs_parse_ifaddr(const struct nlmsghdr *nlh, struct nlattr **tb,
			 struct netlink_ext_ack *extack)
{
	return nlmsg_parse_deprecated(nlh, sizeof(struct ifaddrmsg), tb, IFA_MAX,
				      ipv6_rs_ifa_policy, extack);
}

int ipv6_rs_ifa_max(void)
{
	return IFA_MAX;
}

void *ipv6_rs_nla_data(const struct nlattr *nla)
{
	return nla_data(nla);
}

int ipv6_rs_nla_len(const struct nlattr *nla)
{
	return nla_len(nla);
}

/* --- links */

unsigned long ipv6_rs_msecs_to_jiffies(unsigned int ms)
{
	return msecs_to_jiffies(ms);
}

struct nlattr *ipv6_rs_nla_nest_start(struct sk_buff *skb, int type)
{
	return nla_nest_start_noflag(skb, type);
}

void ipv6_rs_nla_nest_end(struct sk_buff *skb, struct nlattr *start)
{
	nla_nest_end(skb, start);
}

u8 ipv6_rs_dev_operstate(const struct net_device *dev)
{
	return netif_running(dev) ? READ_ONCE(dev->operstate) : IF_OPER_DOWN;
}

int ipv6_rs_ipstats_items(void)
{
	return IPSTATS_MIB_MAX;
}

int ipv6_rs_icmp6stats_items(void)
{
	return ICMP6_MIB_MAX;
}

void ipv6_rs_idev_fill_stats(struct inet6_dev *idev, u64 *ip, u64 *icmp)
{
	int i;

	memset(ip, 0, IPSTATS_MIB_MAX * sizeof(u64));
	ip[0] = IPSTATS_MIB_MAX;
	for (i = 1; i < IPSTATS_MIB_MAX; i++)
		ip[i] = snmp_fold_field64(idev->stats.ipv6, i,
					  offsetof(struct ipstats_mib, syncp));
	memset(icmp, 0, ICMP6_MIB_MAX * sizeof(u64));
	icmp[0] = ICMP6_MIB_MAX;
	for (i = 1; i < ICMP6_MIB_MAX; i++)
		icmp[i] = atomic_long_read(&idev->stats.icmpv6dev->mibs[i]);
}

/* --- address lifetime check */

struct ipv6_rs_addr_chk {
	struct delayed_work work;
	struct net *net;
	void (*fn)(struct net *net);
};

static void ipv6_rs_addr_chk_run(struct work_struct *w)
{
	struct ipv6_rs_addr_chk *chk =
		container_of(to_delayed_work(w), struct ipv6_rs_addr_chk, work);

	chk->fn(chk->net);
}

struct ipv6_rs_addr_chk *ipv6_rs_addr_chk_alloc(struct net *net, void (*fn)(struct net *net))
{
	struct ipv6_rs_addr_chk *chk = kzalloc(sizeof(*chk), GFP_KERNEL);

	if (!chk)
		return NULL;
	INIT_DEFERRABLE_WORK(&chk->work, ipv6_rs_addr_chk_run);
	chk->net = net;
	chk->fn = fn;
	return chk;
}

void ipv6_rs_addr_chk_schedule(struct ipv6_rs_addr_chk *chk, unsigned long delay)
{
	mod_delayed_work(system_power_efficient_wq, &chk->work, delay);
}

void ipv6_rs_addr_chk_free(struct ipv6_rs_addr_chk *chk)
{
	if (!chk)
		return;
	cancel_delayed_work_sync(&chk->work);
	kfree(chk);
}

/* --- procfs */

struct proc_dir_entry *ipv6_rs_proc_net_create(struct net *net, const char *name,
					       ipv6_rs_show_fn show)
{
	return proc_create_net_single(name, 0444, net->proc_net, show, NULL);
}

void ipv6_rs_proc_net_remove(struct net *net, const char *name)
{
	remove_proc_entry(name, net->proc_net);
}

struct net *ipv6_rs_seq_net(struct seq_file *m)
{
	return seq_file_single_net(m);
}

void ipv6_rs_rtnl_lock(void)
{
	rtnl_lock();
}

void ipv6_rs_rtnl_unlock(void)
{
	rtnl_unlock();
}
