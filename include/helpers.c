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
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/random.h>
#include <net/ipv6.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>
#include <net/neighbour.h>
#include <net/inetpeer.h>
#include <net/ipv6_frag.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/protocol.h>
#include <net/ip_fib.h>
#include <uapi/linux/ioam6.h>
#include <net/icmp.h>
#include <linux/icmpv6.h>
#include <net/sock.h>
#include <net/fib_rules.h>
#include <linux/if_addrlabel.h>
#include <net/inet_dscp.h>
#include <net/ip6_route.h>
#include <net/inet_common.h>
#include <net/raw.h>
#include <net/rawv6.h>
#include <net/udp.h>
#include <linux/ipv6.h>
#include <linux/sockptr.h>
#include <asm/ioctls.h>
#include <linux/errqueue.h>
#include <linux/inetdevice.h>
#include <net/transp_v6.h>
#include <net/ping.h>

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

struct inet6_dev *ipv6_rs_dev_idev(const struct net_device *dev)
{
	return rtnl_dereference(dev->ip6_ptr);
}

bool ipv6_rs_link_ready(const struct net_device *dev)
{
	return netif_oper_up(dev) && !qdisc_tx_is_noop(dev);
}

void ipv6_rs_idev_update_if_flags(struct net_device *dev, u32 set, u32 clear)
{
	struct inet6_dev *idev = rtnl_dereference(dev->ip6_ptr);

	idev->if_flags = (idev->if_flags & ~clear) | set;
}

static void ipv6_rs_rs_timer(struct timer_list *t);

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
	timer_setup(&idev->rs_timer, ipv6_rs_rs_timer, 0);
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
	write_lock_bh(&idev->lock);
	idev->dead = 1;
	write_unlock_bh(&idev->lock);
	/* Dead, so the router solicitation timer does not re-arm (addrconf_ifdown()). */
	if (timer_delete_sync(&idev->rs_timer))
		__in6_dev_put(idev);
	RCU_INIT_POINTER(dev->ip6_ptr, NULL);
	in6_dev_put(idev);
}

/* --- addresses */

static void ipv6_rs_dad_work(struct work_struct *w);

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
	INIT_DELAYED_WORK(&ifa->dad_work, ipv6_rs_dad_work);
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
	struct inet6_ifaddr *ifpub = NULL;
	bool temp = false;

	ASSERT_RTNL();
	write_lock_bh(&idev->lock);
	list_del_rcu(&ifa->if_list);
	/* ipv6_del_addr(): a temporary address leaves tempaddr_list and its public one. */
	if (!list_empty(&ifa->tmp_list)) {
		list_del_init(&ifa->tmp_list);
		ifpub = ifa->ifpub;
		ifa->ifpub = NULL;
		temp = true;
	}
	write_unlock_bh(&idev->lock);
	if (ifpub)
		ipv6_rs_ifa_put(ifpub);
	if (temp)
		ipv6_rs_ifa_put(ifa);
	spin_lock_bh(&ifa->lock);
	ifa->state = INET6_IFADDR_STATE_DEAD;
	spin_unlock_bh(&ifa->lock);
	/* A pending DAD probe holds a reference; a running one sees DEAD and stops. */
	if (cancel_delayed_work(&ifa->dad_work))
		ipv6_rs_ifa_put(ifa);
	ipv6_rs_ifa_put(ifa);
}

bool ipv6_rs_ifa_hold(struct inet6_ifaddr *ifa)
{
	return refcount_inc_not_zero(&ifa->refcnt);
}

void ipv6_rs_ifa_put(struct inet6_ifaddr *ifa)
{
	if (refcount_dec_and_test(&ifa->refcnt)) {
		in6_dev_put(ifa->idev);
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
	/* inet6_addr_modify(): no metric in the request keeps the old one. */
	if (rt_priority)
		WRITE_ONCE(ifa->rt_priority, rt_priority);
	spin_unlock_bh(&ifa->lock);
}

/* inet6_addr_modify(): a new peer address. */
void ipv6_rs_ifa_set_peer(struct inet6_ifaddr *ifa, const struct in6_addr *peer)
{
	ASSERT_RTNL();
	spin_lock_bh(&ifa->lock);
	ifa->peer_addr = *peer;
	spin_unlock_bh(&ifa->lock);
}

/* ipv6_add_addr() of a temporary address: at the head of tempaddr_list (newest first,
 * as manage_tempaddrs() relies on), holding its public address; created now, its
 * lifetimes counted from `tstamp` (the public address's). */
void ipv6_rs_ifa_make_temp(struct inet6_ifaddr *ifa, struct inet6_ifaddr *ifpub,
			   unsigned long tstamp)
{
	struct inet6_dev *idev = ifa->idev;

	ASSERT_RTNL();
	refcount_inc(&ifpub->refcnt);
	refcount_inc(&ifa->refcnt);
	write_lock_bh(&idev->lock);
	spin_lock(&ifa->lock);
	ifa->ifpub = ifpub;
	ifa->cstamp = jiffies;
	WRITE_ONCE(ifa->tstamp, tstamp);
	spin_unlock(&ifa->lock);
	list_add(&ifa->tmp_list, &idev->tempaddr_list);
	write_unlock_bh(&idev->lock);
}

struct inet6_ifaddr *ipv6_rs_ifa_pub(const struct inet6_ifaddr *ifa)
{
	ASSERT_RTNL();
	return ifa->ifpub;
}

/* The temporary addresses of idev, newest first: the one after `prev` (NULL: first). */
struct inet6_ifaddr *ipv6_rs_temp_next(struct inet6_dev *idev, struct inet6_ifaddr *prev)
{
	struct list_head *next = prev ? prev->tmp_list.next : idev->tempaddr_list.next;

	ASSERT_RTNL();
	return next == &idev->tempaddr_list ? NULL :
		list_entry(next, struct inet6_ifaddr, tmp_list);
}

int ipv6_rs_ifa_regen_count(const struct inet6_ifaddr *ifa)
{
	return READ_ONCE(ifa->regen_count);
}

void ipv6_rs_ifa_set_regen_count(struct inet6_ifaddr *ifa, int n)
{
	spin_lock_bh(&ifa->lock);
	ifa->regen_count = n;
	spin_unlock_bh(&ifa->lock);
}

int ipv6_rs_ifa_stable_privacy_retry(const struct inet6_ifaddr *ifa)
{
	return READ_ONCE(ifa->stable_privacy_retry);
}

void ipv6_rs_ifa_set_stable_privacy_retry(struct inet6_ifaddr *ifa, int n)
{
	spin_lock_bh(&ifa->lock);
	ifa->stable_privacy_retry = n;
	spin_unlock_bh(&ifa->lock);
}

/* manage_tempaddrs(): new lifetimes counted from now. */
void ipv6_rs_ifa_set_lifetimes(struct inet6_ifaddr *ifa, u32 valid_lft, u32 prefered_lft)
{
	spin_lock_bh(&ifa->lock);
	WRITE_ONCE(ifa->valid_lft, valid_lft);
	WRITE_ONCE(ifa->prefered_lft, prefered_lft);
	WRITE_ONCE(ifa->tstamp, jiffies);
	spin_unlock_bh(&ifa->lock);
}

u32 ipv6_rs_idev_desync_factor(const struct inet6_dev *idev)
{
	return READ_ONCE(idev->desync_factor);
}

void ipv6_rs_idev_set_desync_factor(struct inet6_dev *idev, u32 v)
{
	write_lock_bh(&idev->lock);
	idev->desync_factor = v;
	write_unlock_bh(&idev->lock);
}

/* ipv6_gen_mode_random_init() and the `regeneration time exceeded` give-up. */
void ipv6_rs_idev_set_stable_secret(struct inet6_dev *idev, const struct in6_addr *secret)
{
	idev->cnf.stable_secret.secret = *secret;
	WRITE_ONCE(idev->cnf.stable_secret.initialized, true);
}

void ipv6_rs_idev_set_use_tempaddr(struct inet6_dev *idev, int v)
{
	WRITE_ONCE(idev->cnf.use_tempaddr, v);
}

void ipv6_rs_idev_set_addr_gen_mode(struct inet6_dev *idev, u32 v)
{
	WRITE_ONCE(idev->cnf.addr_gen_mode, v);
}

int ipv6_rs_net_idgen_retries(const struct net *net)
{
	return READ_ONCE(net->ipv6.sysctl.idgen_retries);
}

/* dev->perm_addr (its first addr_len bytes), as RFC 7217 hashes it. */
const u8 *ipv6_rs_dev_perm_addr(const struct net_device *dev)
{
	return dev->perm_addr;
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

/* One next hop of RTA_MULTIPATH (fib_add_nexthop()): its struct rtnexthop, whose
 * length ipv6_rs_rtnh_end() sets once its attributes follow. */
struct rtnexthop *ipv6_rs_rtnh_start(struct sk_buff *skb, u8 flags, u8 hops, int ifindex)
{
	struct rtnexthop *rtnh = nla_reserve_nohdr(skb, sizeof(*rtnh));

	if (!rtnh)
		return NULL;
	rtnh->rtnh_len = sizeof(*rtnh);
	rtnh->rtnh_flags = flags;
	rtnh->rtnh_hops = hops;
	rtnh->rtnh_ifindex = ifindex;
	return rtnh;
}

void ipv6_rs_rtnh_end(struct sk_buff *skb, struct rtnexthop *rtnh)
{
	rtnh->rtnh_len = nlmsg_get_pos(skb) - (void *)rtnh;
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

struct ipv6_rs_addr_chk *ipv6_rs_addr_chk_alloc(struct net *net, void (*fn)(struct net *net),
					       bool deferrable)
{
	struct ipv6_rs_addr_chk *chk = kzalloc(sizeof(*chk), GFP_KERNEL);

	if (!chk)
		return NULL;
	if (deferrable)
		INIT_DEFERRABLE_WORK(&chk->work, ipv6_rs_addr_chk_run);
	else
		INIT_DELAYED_WORK(&chk->work, ipv6_rs_addr_chk_run);
	chk->net = net;
	chk->fn = fn;
	return chk;
}

void ipv6_rs_addr_chk_schedule(struct ipv6_rs_addr_chk *chk, unsigned long delay)
{
	mod_delayed_work(system_power_efficient_wq, &chk->work, delay);
}

/* Arms the work unless it is pending already (fib6_start_gc()). */
void ipv6_rs_addr_chk_start(struct ipv6_rs_addr_chk *chk, unsigned long delay)
{
	queue_delayed_work(system_power_efficient_wq, &chk->work, delay);
}

unsigned long ipv6_rs_net_gc_interval(const struct net *net)
{
	return max(READ_ONCE(net->ipv6.sysctl.ip6_rt_gc_interval), 1);
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

/* --- datapath: packets */

unsigned char *ipv6_rs_skb_data(const struct sk_buff *skb)
{
	return skb->data;
}

unsigned int ipv6_rs_skb_len(const struct sk_buff *skb)
{
	return skb->len;
}

/* What sit's ISATAP receive check made of the packet's source (NDISC_NODETYPE_*). */
u8 ipv6_rs_skb_nodetype(const struct sk_buff *skb)
{
#ifdef CONFIG_IPV6_NDISC_NODETYPE
	return skb->ndisc_nodetype;
#else
	return 0;
#endif
}

u8 ipv6_rs_skb_pkt_type(const struct sk_buff *skb)
{
	return skb->pkt_type;
}

struct net_device *ipv6_rs_skb_dev(const struct sk_buff *skb)
{
	return skb->dev;
}

struct sk_buff *ipv6_rs_skb_share_check(struct sk_buff *skb)
{
	return skb_share_check(skb, GFP_ATOMIC);
}

bool ipv6_rs_pskb_may_pull(struct sk_buff *skb, unsigned int len)
{
	return pskb_may_pull(skb, len);
}

int ipv6_rs_pskb_trim_rcsum(struct sk_buff *skb, unsigned int len)
{
	return pskb_trim_rcsum(skb, len);
}

void ipv6_rs_skb_orphan_rx(struct sk_buff *skb)
{
	if (!skb_sk_is_prefetched(skb))
		skb_orphan(skb);
}

int ipv6_rs_skb_linearize(struct sk_buff *skb)
{
	return skb_linearize(skb);
}

void ipv6_rs_skb_pull(struct sk_buff *skb, unsigned int len)
{
	__skb_pull(skb, len);
}

void ipv6_rs_skb_reset_network_header(struct sk_buff *skb)
{
	skb_reset_network_header(skb);
}

/*
 * dev_loopback_xmit() for a packet (data at its IPv6 header) that carries no route:
 * ours never do, and the kernel's (DEBUG_NET) warns about one without. The same steps
 * otherwise: back into the stack as received on skb->dev. Consumes skb.
 */
void ipv6_rs_loopback_xmit(struct sk_buff *skb)
{
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	skb->pkt_type = PACKET_LOOPBACK;
	if (skb->ip_summed == CHECKSUM_NONE)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	netif_rx(skb);
}

void ipv6_rs_skb_set_transport(struct sk_buff *skb, unsigned int off)
{
	skb->transport_header = skb->network_header + off;
}

bool ipv6_rs_skb_csum_valid(struct sk_buff *skb, u8 proto)
{
	return !skb_checksum_validate(skb, proto, ip6_compute_pseudo);
}

u16 ipv6_rs_skb_gso_segs(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->gso_segs;
}

bool ipv6_rs_skb_is_gso(const struct sk_buff *skb)
{
	return skb_is_gso(skb);
}

void ipv6_rs_kfree_skb_reason(struct sk_buff *skb, u32 reason)
{
	kfree_skb_reason(skb, reason);
}

void ipv6_rs_consume_skb(struct sk_buff *skb)
{
	consume_skb(skb);
}

struct sk_buff *ipv6_rs_alloc_skb(struct net_device *dev, unsigned int len)
{
	int hlen = LL_RESERVED_SPACE(dev);
	int tlen = dev->needed_tailroom;
	struct sk_buff *skb;

	skb = alloc_skb(hlen + sizeof(struct ipv6hdr) + len + tlen, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb->protocol = htons(ETH_P_IPV6);
	skb->dev = dev;
	skb_reserve(skb, hlen + sizeof(struct ipv6hdr));
	skb_reset_transport_header(skb);
	skb_put(skb, len);
	return skb;
}

void ipv6_rs_skb_push_ip6hdr(struct sk_buff *skb, const struct in6_addr *saddr,
			     const struct in6_addr *daddr, u8 nexthdr, u8 hop_limit,
			     u8 tclass)
{
	unsigned int len = skb->len;
	struct ipv6hdr *hdr;

	skb_push(skb, sizeof(*hdr));
	skb_reset_network_header(skb);
	hdr = ipv6_hdr(skb);
	ip6_flow_hdr(hdr, tclass, 0);
	hdr->payload_len = htons(len);
	hdr->nexthdr = nexthdr;
	hdr->hop_limit = hop_limit;
	hdr->saddr = *saddr;
	hdr->daddr = *daddr;
}

/* --- datapath: device state */

void ipv6_rs_rcu_read_lock(void)
{
	rcu_read_lock();
}

void ipv6_rs_rcu_read_unlock(void)
{
	rcu_read_unlock();
}

void ipv6_rs_rcu_read_lock_bh(void)
{
	rcu_read_lock_bh();
}

void ipv6_rs_rcu_read_unlock_bh(void)
{
	rcu_read_unlock_bh();
}

struct inet6_dev *ipv6_rs_dev_idev_rcu(const struct net_device *dev)
{
	return __in6_dev_get(dev);
}

void ipv6_rs_idev_cnf(const struct inet6_dev *idev, struct ipv6_rs_dev_cnf *out)
{
	out->disable_ipv6 = READ_ONCE(idev->cnf.disable_ipv6);
	out->forwarding = READ_ONCE(idev->cnf.forwarding);
	out->hop_limit = READ_ONCE(idev->cnf.hop_limit);
	out->drop_unicast_in_l2_multicast = READ_ONCE(idev->cnf.drop_unicast_in_l2_multicast);
	out->drop_unsolicited_na = READ_ONCE(idev->cnf.drop_unsolicited_na);
	out->accept_untracked_na = READ_ONCE(idev->cnf.accept_untracked_na);
	out->ndisc_notify = READ_ONCE(idev->cnf.ndisc_notify);
	out->ndisc_tclass = READ_ONCE(idev->cnf.ndisc_tclass);
	out->accept_dad = READ_ONCE(idev->cnf.accept_dad);
	out->dad_transmits = READ_ONCE(idev->cnf.dad_transmits);
	out->enhanced_dad = READ_ONCE(idev->cnf.enhanced_dad);
	out->rtr_solicit_delay = READ_ONCE(idev->cnf.rtr_solicit_delay);
	out->mtu6 = READ_ONCE(idev->cnf.mtu6);
	out->accept_redirects = READ_ONCE(idev->cnf.accept_redirects);
	out->proxy_ndp = READ_ONCE(idev->cnf.proxy_ndp);
	out->optimistic_dad = READ_ONCE(idev->cnf.optimistic_dad);
	out->use_optimistic = READ_ONCE(idev->cnf.use_optimistic);
	out->use_oif_addrs_only = READ_ONCE(idev->cnf.use_oif_addrs_only);
}

u32 ipv6_rs_select_ident(struct net *net, const struct in6_addr *daddr,
			 const struct in6_addr *saddr)
{
	return (__force u32)ipv6_select_ident(net, daddr, saddr);
}

void ipv6_rs_ip6_add_stats(struct net *net, struct inet6_dev *idev, int field, u64 val)
{
	IP6_ADD_STATS(net, idev, field, val);
}

void ipv6_rs_icmp6_inc_stats(struct net *net, struct inet6_dev *idev, int field)
{
	ICMP6_INC_STATS(net, idev, field);
}

void ipv6_rs_icmp6msg_inc(struct net *net, struct inet6_dev *idev, bool out, u8 type)
{
	if (out)
		ICMP6MSGOUT_INC_STATS(net, idev, type);
	else
		ICMP6MSGIN_INC_STATS(net, idev, type);
}

int ipv6_rs_net_mibs_alloc(struct net *net)
{
	int cpu;

	net->mib.udp_stats_in6 = alloc_percpu(struct udp_mib);
	net->mib.udplite_stats_in6 = alloc_percpu(struct udp_mib);
	net->mib.ipv6_statistics = alloc_percpu(struct ipstats_mib);
	net->mib.icmpv6_statistics = alloc_percpu(struct icmpv6_mib);
	net->mib.icmpv6msg_statistics = kzalloc(sizeof(struct icmpv6msg_mib), GFP_KERNEL);
	if (!net->mib.udp_stats_in6 || !net->mib.udplite_stats_in6 ||
	    !net->mib.ipv6_statistics || !net->mib.icmpv6_statistics ||
	    !net->mib.icmpv6msg_statistics) {
		ipv6_rs_net_mibs_free(net);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(net->mib.ipv6_statistics, cpu)->syncp);
	return 0;
}

void ipv6_rs_net_mibs_free(struct net *net)
{
	free_percpu(net->mib.udp_stats_in6);
	free_percpu(net->mib.udplite_stats_in6);
	free_percpu(net->mib.ipv6_statistics);
	free_percpu(net->mib.icmpv6_statistics);
	kfree(net->mib.icmpv6msg_statistics);
	net->mib.udp_stats_in6 = NULL;
	net->mib.udplite_stats_in6 = NULL;
	net->mib.ipv6_statistics = NULL;
	net->mib.icmpv6_statistics = NULL;
	net->mib.icmpv6msg_statistics = NULL;
}

bool ipv6_rs_walk_addrs(struct net *net, const struct net_device *dev,
			bool (*fn)(void *ctx, struct inet6_ifaddr *ifa), void *ctx)
{
	const struct net_device *d;
	struct inet6_ifaddr *ifa;
	struct inet6_dev *idev;
	bool done = false;

	rcu_read_lock();
	for_each_netdev_rcu(net, d) {
		if (dev && d != dev)
			continue;
		idev = __in6_dev_get(d);
		if (!idev)
			continue;
		list_for_each_entry_rcu(ifa, &idev->addr_list, if_list) {
			if (fn(ctx, ifa)) {
				done = true;
				goto out;
			}
		}
	}
out:
	rcu_read_unlock();
	return done;
}

u32 ipv6_rs_ifa_flags(const struct inet6_ifaddr *ifa)
{
	return READ_ONCE(ifa->flags);
}

/* Rule 7 of source selection: the address's device prefers temporary addresses. */
bool ipv6_rs_ifa_prefer_temp(const struct inet6_ifaddr *ifa)
{
	return READ_ONCE(ifa->idev->cnf.use_tempaddr) >= 2;
}

bool ipv6_rs_ifa_use_optimistic(const struct inet6_ifaddr *ifa)
{
	const struct inet6_dev *idev = ifa->idev;
	const struct ipv6_devconf *all = dev_net(idev->dev)->ipv6.devconf_all;

	return (READ_ONCE(all->optimistic_dad) || READ_ONCE(idev->cnf.optimistic_dad)) &&
	       (READ_ONCE(all->use_optimistic) || READ_ONCE(idev->cnf.use_optimistic));
}

struct net_device *ipv6_rs_ifa_dev(const struct inet6_ifaddr *ifa)
{
	return ifa->idev->dev;
}

bool ipv6_rs_ifa_idev_live(const struct inet6_ifaddr *ifa)
{
	return !ifa->idev->dead && rcu_access_pointer(ifa->idev->dev->ip6_ptr) == ifa->idev;
}

struct net_device *ipv6_rs_dev_get_by_index_rcu(struct net *net, int ifindex)
{
	return dev_get_by_index_rcu(net, ifindex);
}

u32 ipv6_rs_random_u32_below(u32 ceil)
{
	return get_random_u32_below(ceil ? : 1);
}

/* --- duplicate address detection */

static struct workqueue_struct *ipv6_rs_dad_wq;
static void (*ipv6_rs_dad_fn)(struct inet6_ifaddr *ifa);

static void ipv6_rs_dad_work(struct work_struct *w)
{
	struct inet6_ifaddr *ifa = container_of(to_delayed_work(w), struct inet6_ifaddr,
						dad_work);

	rtnl_lock();
	ipv6_rs_dad_fn(ifa);
	rtnl_unlock();
	ipv6_rs_ifa_put(ifa);
}

int ipv6_rs_dad_init(void (*fn)(struct inet6_ifaddr *ifa))
{
	ipv6_rs_dad_fn = fn;
	ipv6_rs_dad_wq = alloc_ordered_workqueue("ipv6_rs_addrconf", 0);
	return ipv6_rs_dad_wq ? 0 : -ENOMEM;
}

void ipv6_rs_dad_exit(void)
{
	destroy_workqueue(ipv6_rs_dad_wq);
}

void ipv6_rs_dad_schedule(struct inet6_ifaddr *ifa, unsigned long delay)
{
	/* Callers hold a reference, so this one cannot be the first. */
	refcount_inc(&ifa->refcnt);
	if (mod_delayed_work(ipv6_rs_dad_wq, &ifa->dad_work, delay))
		ipv6_rs_ifa_put(ifa);
}

bool ipv6_rs_ifa_state_move(struct inet6_ifaddr *ifa, int from, int to)
{
	bool moved = false;

	spin_lock_bh(&ifa->lock);
	if (ifa->state == from) {
		ifa->state = to;
		moved = true;
	}
	spin_unlock_bh(&ifa->lock);
	return moved;
}

int ipv6_rs_ifa_state(struct inet6_ifaddr *ifa)
{
	return READ_ONCE(ifa->state);
}

void ipv6_rs_ifa_dad_arm(struct inet6_ifaddr *ifa, u64 nonce, u8 probes)
{
	spin_lock_bh(&ifa->lock);
	if (ifa->state != INET6_IFADDR_STATE_DEAD) {
		ifa->dad_nonce = nonce;
		ifa->dad_probes = probes;
		ifa->state = INET6_IFADDR_STATE_DAD;
	}
	spin_unlock_bh(&ifa->lock);
}

u64 ipv6_rs_ifa_dad_nonce(const struct inet6_ifaddr *ifa)
{
	return READ_ONCE(ifa->dad_nonce);
}

u8 ipv6_rs_ifa_dad_probes(const struct inet6_ifaddr *ifa)
{
	return READ_ONCE(ifa->dad_probes);
}

bool ipv6_rs_ifa_dad_take_probe(struct inet6_ifaddr *ifa)
{
	bool taken = false;

	spin_lock_bh(&ifa->lock);
	if (ifa->dad_probes) {
		ifa->dad_probes--;
		taken = true;
	}
	spin_unlock_bh(&ifa->lock);
	return taken;
}

/* --- neighbour discovery */

void ipv6_rs_nd_tbl_defaults(struct neigh_table *tbl)
{
	struct neigh_parms *p = &tbl->parms;

	p->tbl = tbl;
	p->reachable_time = ND_REACHABLE_TIME;
	NEIGH_VAR_INIT(p, MCAST_PROBES, 3);
	NEIGH_VAR_INIT(p, UCAST_PROBES, 3);
	NEIGH_VAR_INIT(p, RETRANS_TIME, ND_RETRANS_TIMER);
	NEIGH_VAR_INIT(p, BASE_REACHABLE_TIME, ND_REACHABLE_TIME);
	NEIGH_VAR_INIT(p, DELAY_PROBE_TIME, 5 * HZ);
	NEIGH_VAR_INIT(p, INTERVAL_PROBE_TIME_MS, 5 * HZ);
	NEIGH_VAR_INIT(p, GC_STALETIME, 60 * HZ);
	NEIGH_VAR_INIT(p, QUEUE_LEN_BYTES, SK_WMEM_MAX);
	NEIGH_VAR_INIT(p, PROXY_QLEN, 64);
	NEIGH_VAR_INIT(p, ANYCAST_DELAY, 1 * HZ);
	NEIGH_VAR_INIT(p, PROXY_DELAY, (8 * HZ) / 10);
	tbl->gc_interval = 30 * HZ;
	tbl->gc_thresh1 = 128;
	tbl->gc_thresh2 = 512;
	tbl->gc_thresh3 = 1024;
}

u32 ipv6_rs_ndisc_hash(const void *pkey, const struct net_device *dev, u32 *hash_rnd)
{
	return ndisc_hashfn(pkey, dev, hash_rnd);
}

bool ipv6_rs_ndisc_key_eq(const struct neighbour *n, const void *pkey)
{
	return neigh_key_eq128(n, pkey);
}

int ipv6_rs_idev_nd_parms_alloc(struct net_device *dev, struct neigh_table *tbl)
{
	struct inet6_dev *idev = rtnl_dereference(dev->ip6_ptr);
	int err;

	idev->nd_parms = neigh_parms_alloc(dev, tbl);
	if (!idev->nd_parms)
		return -ENOMEM;
	/* The neighbour core's handlers keep reachable_time in step (as mainline's
	 * ndisc_ifinfo_sysctl_change() does, less its notification).
	 */
	err = neigh_sysctl_register(dev, idev->nd_parms, NULL);
	if (err) {
		neigh_parms_release(tbl, idev->nd_parms);
		idev->nd_parms = NULL;
	}
	return err;
}

int ipv6_rs_nd_sysctl_register(struct neigh_table *tbl)
{
	return neigh_sysctl_register(NULL, &tbl->parms, NULL);
}

void ipv6_rs_nd_sysctl_unregister(struct neigh_table *tbl)
{
	neigh_sysctl_unregister(&tbl->parms);
}

void ipv6_rs_idev_nd_parms_release(struct net_device *dev, struct neigh_table *tbl)
{
	struct inet6_dev *idev = rtnl_dereference(dev->ip6_ptr);

	if (idev && idev->nd_parms) {
		neigh_sysctl_unregister(idev->nd_parms);
		neigh_parms_release(tbl, idev->nd_parms);
		idev->nd_parms = NULL;
	}
}

/* net/core/neighbour.c's size of the proxy hash (private there). */
#define IPV6_RS_PNEIGH_HASHMASK 0xF

int ipv6_rs_pneigh_is_router(struct neigh_table *tbl, struct net *net,
			     const struct in6_addr *key, struct net_device *dev)
{
	struct pneigh_entry *n;
	int ret = -1;

	read_lock_bh(&tbl->lock);
	n = __pneigh_lookup(tbl, net, key, dev);
	if (n)
		ret = !!(n->flags & NTF_ROUTER);
	read_unlock_bh(&tbl->lock);
	return ret;
}

bool ipv6_rs_pneigh_group(struct neigh_table *tbl, const struct net_device *dev,
			  const struct in6_addr *group)
{
	struct pneigh_entry *n;
	struct in6_addr maddr;
	bool found = false;
	u32 h;

	if (!ipv6_addr_is_solict_mult(group))
		return false;
	read_lock_bh(&tbl->lock);
	for (h = 0; h <= IPV6_RS_PNEIGH_HASHMASK && !found; h++) {
		for (n = tbl->phash_buckets[h]; n; n = n->next) {
			if (n->dev != dev)
				continue;
			addrconf_addr_solict_mult((struct in6_addr *)n->key, &maddr);
			if (ipv6_addr_equal(&maddr, group)) {
				found = true;
				break;
			}
		}
	}
	read_unlock_bh(&tbl->lock);
	return found;
}

const struct in6_addr *ipv6_rs_pneigh_key(const struct pneigh_entry *n)
{
	return (const struct in6_addr *)n->key;
}

struct net_device *ipv6_rs_pneigh_dev(const struct pneigh_entry *n)
{
	return n->dev;
}

bool ipv6_rs_proxy_delay(const struct net_device *dev)
{
	struct inet6_dev *idev = __in6_dev_get(dev);

	return idev && idev->nd_parms && NEIGH_VAR(idev->nd_parms, PROXY_DELAY) != 0;
}

void ipv6_rs_pneigh_enqueue(struct neigh_table *tbl, struct sk_buff *skb)
{
	struct inet6_dev *idev = __in6_dev_get(skb->dev);

	if (!idev || !idev->nd_parms) {
		kfree_skb(skb);
		return;
	}
	pneigh_enqueue(tbl, idev->nd_parms, skb);
}

int ipv6_rs_net_proxy_ndp(const struct net *net)
{
	return READ_ONCE(net->ipv6.devconf_all->proxy_ndp);
}

int ipv6_rs_ndisc_construct(struct neighbour *neigh, const struct neigh_ops *hh,
			    const struct neigh_ops *generic, const struct neigh_ops *direct)
{
	struct in6_addr *addr = (struct in6_addr *)&neigh->primary_key;
	struct net_device *dev = neigh->dev;
	bool is_multicast = ipv6_addr_is_multicast(addr);
	struct inet6_dev *in6_dev;

	in6_dev = in6_dev_get(dev);
	if (!in6_dev)
		return -EINVAL;
	if (!in6_dev->nd_parms) {
		in6_dev_put(in6_dev);
		return -EINVAL;
	}
	__neigh_parms_put(neigh->parms);
	neigh->parms = neigh_parms_clone(in6_dev->nd_parms);

	neigh->type = is_multicast ? RTN_MULTICAST : RTN_UNICAST;
	if (!dev->header_ops) {
		neigh->nud_state = NUD_NOARP;
		neigh->ops = direct;
		neigh->output = neigh_direct_output;
	} else {
		if (is_multicast) {
			neigh->nud_state = NUD_NOARP;
			if (dev->type == ARPHRD_ETHER)
				ipv6_eth_mc_map(addr, neigh->ha);
			else
				memcpy(neigh->ha, dev->broadcast, dev->addr_len);
		} else if (dev->flags & (IFF_NOARP | IFF_LOOPBACK)) {
			neigh->nud_state = NUD_NOARP;
			memcpy(neigh->ha, dev->dev_addr, dev->addr_len);
			if (dev->flags & IFF_LOOPBACK)
				neigh->type = RTN_LOCAL;
		} else if (dev->flags & IFF_POINTOPOINT) {
			neigh->nud_state = NUD_NOARP;
			memcpy(neigh->ha, dev->broadcast, dev->addr_len);
		}
		neigh->ops = dev->header_ops->cache ? hh : generic;
		if (neigh->nud_state & NUD_VALID)
			neigh->output = neigh->ops->connected_output;
		else
			neigh->output = neigh->ops->output;
	}
	in6_dev_put(in6_dev);
	return 0;
}

void ipv6_rs_neigh_release(struct neighbour *n)
{
	neigh_release(n);
}

int ipv6_rs_neigh_probes(const struct neighbour *n)
{
	return atomic_read(&n->probes);
}

int ipv6_rs_neigh_ucast_probes(const struct neighbour *n)
{
	return NEIGH_VAR(n->parms, UCAST_PROBES);
}

int ipv6_rs_neigh_app_probes(const struct neighbour *n)
{
	return NEIGH_VAR(n->parms, APP_PROBES);
}

u8 ipv6_rs_neigh_nud_state(const struct neighbour *n)
{
	return READ_ONCE(n->nud_state);
}

unsigned long ipv6_rs_idev_retrans_time(const struct inet6_dev *idev)
{
	return max_t(unsigned long, NEIGH_VAR(idev->nd_parms, RETRANS_TIME), HZ / 100);
}

void ipv6_rs_idev_nd_times(const struct inet6_dev *idev, u32 *reachable_ms, u32 *retrans_ms)
{
	*reachable_ms = jiffies_to_msecs(idev->nd_parms->reachable_time);
	*retrans_ms = jiffies_to_msecs(NEIGH_VAR(idev->nd_parms, RETRANS_TIME));
}

struct neighbour *ipv6_rs_neigh_get(struct neigh_table *tbl, const struct in6_addr *nexthop,
				    struct net_device *dev)
{
	struct neighbour *n;

	/* Also called from process context (router advertisements, under RTNL). */
	rcu_read_lock();
	n = ___neigh_lookup_noref(tbl, neigh_key_eq128, ndisc_hashfn, nexthop, dev);
	if (n && !refcount_inc_not_zero(&n->refcnt))
		n = NULL;
	rcu_read_unlock();
	return n ? n : __neigh_create(tbl, nexthop, dev, true);
}

/* The neighbour's link-layer address into `buf` if it is valid (NUD_VALID), as
 * ndisc_send_redirect() reads it; its length, or 0. */
unsigned int ipv6_rs_neigh_valid_ha(struct neighbour *n, u8 *buf, unsigned int len)
{
	unsigned int n_len = 0;

	read_lock_bh(&n->lock);
	if (n->nud_state & NUD_VALID && n->dev->addr_len <= len) {
		n_len = n->dev->addr_len;
		memcpy(buf, n->ha, n_len);
	}
	read_unlock_bh(&n->lock);
	return n_len;
}

/* inet_peer_xrlim_allow() of the namespace's peer entry for `addr`. */
bool ipv6_rs_peer_allow(struct net *net, const struct in6_addr *addr, int timeout)
{
	struct inet_peer *peer;
	bool ok;

	rcu_read_lock();
	peer = inet_getpeer_v6(net->ipv6.peers, addr);
	/* As mainline: without a peer entry (no memory), the message goes. */
	ok = inet_peer_xrlim_allow(peer, timeout);
	rcu_read_unlock();
	return ok;
}

int ipv6_rs_neigh_output(struct neighbour *n, struct sk_buff *skb)
{
	return neigh_output(n, skb, false);
}

bool ipv6_rs_is_err_or_null(const void *p)
{
	return IS_ERR_OR_NULL(p);
}

int ipv6_rs_dev_mc_change(struct net_device *dev, const struct in6_addr *group, bool join)
{
	unsigned char mac[MAX_ADDR_LEN];

	if (dev->type != ARPHRD_ETHER)
		return 0;
	ipv6_eth_mc_map(group, mac);
	return join ? dev_mc_add(dev, mac) : dev_mc_del(dev, mac);
}

const u8 *ipv6_rs_skb_mac_src(const struct sk_buff *skb)
{
	if (!skb_mac_header_was_set(skb) || skb->dev->type != ARPHRD_ETHER)
		return NULL;
	return eth_hdr(skb)->h_source;
}

unsigned int ipv6_rs_dev_addr_len(const struct net_device *dev)
{
	return dev->addr_len;
}

const u8 *ipv6_rs_dev_addr(const struct net_device *dev)
{
	return dev->dev_addr;
}

bool ipv6_rs_dev_has_header_ops(const struct net_device *dev)
{
	return dev->header_ops;
}

/* --- the ETH_P_IPV6 packet type (mainline ipv6_packet_type) */

static struct packet_type ipv6_rs_packet_type __read_mostly = {
	.type = cpu_to_be16(ETH_P_IPV6),
};

int ipv6_rs_packet_type_register(int (*rcv)(struct sk_buff *skb, struct net_device *dev,
					     struct packet_type *pt,
					     struct net_device *orig_dev))
{
	ipv6_rs_packet_type.func = rcv;
	dev_add_pack(&ipv6_rs_packet_type);
	return 0;
}

void ipv6_rs_packet_type_unregister(void)
{
	/* Waits for receivers in flight (synchronize_net()). */
	dev_remove_pack(&ipv6_rs_packet_type);
}

/* --- SNMP counters */

void ipv6_rs_net_mibs_get(struct net *net, struct ipv6_rs_mibs *m)
{
	memset(m, 0, sizeof(*m));
	m->ip = net->mib.ipv6_statistics;
	m->icmp = net->mib.icmpv6_statistics;
	m->icmpmsg = net->mib.icmpv6msg_statistics->mibs;
	m->udp = net->mib.udp_stats_in6;
	m->udplite = net->mib.udplite_stats_in6;
}

void ipv6_rs_idev_mibs_get(struct inet6_dev *idev, struct ipv6_rs_mibs *m)
{
	memset(m, 0, sizeof(*m));
	m->ip = idev->stats.ipv6;
	m->icmp_atomic = idev->stats.icmpv6dev->mibs;
	m->icmpmsg = idev->stats.icmpv6msgdev->mibs;
	m->ifindex = idev->dev->ifindex;
}

u64 ipv6_rs_fold_ip(void __percpu *mib, int field)
{
	return snmp_fold_field64(mib, field, offsetof(struct ipstats_mib, syncp));
}

unsigned long ipv6_rs_fold(void __percpu *mib, int field)
{
	return snmp_fold_field(mib, field);
}

unsigned long ipv6_rs_atomic_long_at(atomic_long_t *base, int i)
{
	return atomic_long_read(base + i);
}

int ipv6_rs_icmp6msg_max(void)
{
	return ICMP6MSG_MIB_MAX;
}

void *ipv6_rs_seq_private(struct seq_file *m)
{
	return m->private;
}

int ipv6_rs_proc_devsnmp6_mkdir(struct net *net)
{
	net->mib.proc_net_devsnmp6 = proc_mkdir("dev_snmp6", net->proc_net);
	return net->mib.proc_net_devsnmp6 ? 0 : -ENOMEM;
}

void ipv6_rs_proc_devsnmp6_rmdir(struct net *net)
{
	remove_proc_entry("dev_snmp6", net->proc_net);
	net->mib.proc_net_devsnmp6 = NULL;
}

int ipv6_rs_proc_dev_snmp6_add(struct inet6_dev *idev, ipv6_rs_show_fn show)
{
	struct net *net = dev_net(idev->dev);

	if (!net->mib.proc_net_devsnmp6)
		return -ENOENT;
	idev->stats.proc_dir_entry = proc_create_single_data(idev->dev->name, 0444,
							     net->mib.proc_net_devsnmp6,
							     show, idev);
	return idev->stats.proc_dir_entry ? 0 : -ENOMEM;
}

void ipv6_rs_proc_dev_snmp6_remove(struct inet6_dev *idev)
{
	/* Waits for readers, which use idev. */
	proc_remove(idev->stats.proc_dir_entry);
	idev->stats.proc_dir_entry = NULL;
}

/* --- per-namespace protocol settings, ICMPv6 rate limiting */

int ipv6_rs_net_ipv6_init(struct net *net)
{
	struct inet_peer_base *bp;

	net->ipv6.sysctl.bindv6only = 0;
	net->ipv6.sysctl.icmpv6_time = 1 * HZ;
	net->ipv6.sysctl.icmpv6_echo_ignore_all = 0;
	net->ipv6.sysctl.icmpv6_echo_ignore_multicast = 0;
	net->ipv6.sysctl.icmpv6_echo_ignore_anycast = 0;
	net->ipv6.sysctl.icmpv6_error_anycast_as_unicast = 0;
	bitmap_set(net->ipv6.sysctl.icmpv6_ratemask, 0, ICMPV6_ERRMSG_MAX + 1);
	bitmap_clear(net->ipv6.sysctl.icmpv6_ratemask, ICMPV6_PKT_TOOBIG, 1);
	net->ipv6.sysctl.icmpv6_ratemask_ptr = net->ipv6.sysctl.icmpv6_ratemask;
	net->ipv6.sysctl.flowlabel_consistency = 1;
	net->ipv6.sysctl.auto_flowlabels = IP6_DEFAULT_AUTO_FLOW_LABELS;
	net->ipv6.sysctl.idgen_retries = 3;
	net->ipv6.sysctl.idgen_delay = 1 * HZ;
	net->ipv6.sysctl.flowlabel_state_ranges = 0;
	net->ipv6.sysctl.max_dst_opts_cnt = IP6_DEFAULT_MAX_DST_OPTS_CNT;
	net->ipv6.sysctl.max_hbh_opts_cnt = IP6_DEFAULT_MAX_HBH_OPTS_CNT;
	net->ipv6.sysctl.max_dst_opts_len = IP6_DEFAULT_MAX_DST_OPTS_LEN;
	net->ipv6.sysctl.max_hbh_opts_len = IP6_DEFAULT_MAX_HBH_OPTS_LEN;
	net->ipv6.sysctl.fib_notify_on_flag_change = 0;
	atomic_set(&net->ipv6.fib6_sernum, 1);
	net->ipv6.sysctl.ioam6_id = IOAM6_DEFAULT_ID;
	net->ipv6.sysctl.ioam6_id_wide = IOAM6_DEFAULT_ID_WIDE;
	net->ipv6.sysctl.multipath_hash_fields = FIB_MULTIPATH_HASH_FIELD_DEFAULT_MASK;
	/* ip6_route_net_init(). */
	net->ipv6.sysctl.flush_delay = 0;
	net->ipv6.sysctl.ip6_rt_max_size = INT_MAX;
	net->ipv6.sysctl.ip6_rt_gc_min_interval = HZ / 2;
	net->ipv6.sysctl.ip6_rt_gc_timeout = 60 * HZ;
	net->ipv6.sysctl.ip6_rt_gc_interval = 30 * HZ;
	net->ipv6.sysctl.ip6_rt_gc_elasticity = 9;
	net->ipv6.sysctl.ip6_rt_mtu_expires = 10 * 60 * HZ;
	net->ipv6.sysctl.ip6_rt_min_advmss = IPV6_MIN_MTU - 20 - 40;
	net->ipv6.sysctl.skip_notify_on_dev_down = 0;
	net->ipv6.ip6_dst_ops.gc_thresh = 1024;

	bp = kzalloc(sizeof(*bp), GFP_KERNEL);
	if (!bp)
		return -ENOMEM;
	inet_peer_base_init(bp);
	net->ipv6.peers = bp;
	return 0;
}

void ipv6_rs_net_ipv6_exit(struct net *net)
{
	struct inet_peer_base *bp = net->ipv6.peers;

	net->ipv6.peers = NULL;
	if (bp) {
		inetpeer_invalidate_tree(bp);
		kfree(bp);
	}
}

void ipv6_rs_net_limits(const struct net *net, struct ipv6_rs_net_limits *out)
{
	out->max_hbh_opts_cnt = READ_ONCE(net->ipv6.sysctl.max_hbh_opts_cnt);
	out->max_hbh_opts_len = READ_ONCE(net->ipv6.sysctl.max_hbh_opts_len);
	out->max_dst_opts_cnt = READ_ONCE(net->ipv6.sysctl.max_dst_opts_cnt);
	out->max_dst_opts_len = READ_ONCE(net->ipv6.sysctl.max_dst_opts_len);
	out->echo_ignore_all = READ_ONCE(net->ipv6.sysctl.icmpv6_echo_ignore_all);
	out->echo_ignore_multicast = READ_ONCE(net->ipv6.sysctl.icmpv6_echo_ignore_multicast);
	out->mtu_expires = READ_ONCE(net->ipv6.sysctl.ip6_rt_mtu_expires);
	out->gc_timeout = READ_ONCE(net->ipv6.sysctl.ip6_rt_gc_timeout);
}

void ipv6_rs_local_bh_disable(void)
{
	local_bh_disable();
}

void ipv6_rs_local_bh_enable(void)
{
	local_bh_enable();
}

/* net.ipv6.icmp.ratemask as four 64-bit words, and net.ipv6.icmp.ratelimit. */
void ipv6_rs_icmp_ratemask(const struct net *net, u64 *mask)
{
	bitmap_to_arr64(mask, net->ipv6.sysctl.icmpv6_ratemask, ICMPV6_MSG_MAX + 1);
}

u32 ipv6_rs_icmpv6_time(const struct net *net)
{
	return READ_ONCE(net->ipv6.sysctl.icmpv6_time);
}

/* IcmpOutRateLimitGlobal, which mainline's ICMPv6 counts in the IPv4 ICMP MIB. */
void ipv6_rs_icmp_count_global_limited(struct net *net)
{
	__ICMP_INC_STATS(net, ICMP_MIB_RATELIMITGLOBAL);
}

unsigned int ipv6_rs_skb_network_len(const struct sk_buff *skb)
{
	return skb->len - skb_network_offset(skb);
}

int ipv6_rs_skb_copy_network(const struct sk_buff *skb, void *to, unsigned int len)
{
	return skb_copy_bits(skb, skb_network_offset(skb), to, len);
}

/* --- sysctl */

struct ctl_table_header *ipv6_rs_sysctl_register(struct net *net, const char *path,
						 const struct ctl_table *table, size_t n)
{
	struct ctl_table_header *h;
	struct ctl_table *copy;

	copy = kmemdup(table, n * sizeof(*table), GFP_KERNEL_ACCOUNT);
	if (!copy)
		return NULL;
	h = register_net_sysctl_sz(net, path, copy, n);
	if (!h)
		kfree(copy);
	return h;
}

void ipv6_rs_sysctl_unregister(struct ctl_table_header *h)
{
	const struct ctl_table *table;

	if (!h)
		return;
	table = h->ctl_table_arg;
	unregister_net_sysctl_table(h);
	kfree(table);
}

int ipv6_rs_restart_syscall(void)
{
	return restart_syscall();
}

bool ipv6_rs_rtnl_trylock(void)
{
	return rtnl_trylock();
}

void ipv6_rs_net_set_devconf(struct net *net, struct ipv6_devconf *all,
			     struct ipv6_devconf *dflt)
{
	net->ipv6.devconf_all = all;
	net->ipv6.devconf_dflt = dflt;
}

struct ipv6_devconf *ipv6_rs_idev_cnf_ptr(struct inet6_dev *idev)
{
	return &idev->cnf;
}

/* --- fragment reassembly */

static struct inet_frags ipv6_rs_frags;

static void ipv6_rs_frag_expire(struct timer_list *t)
{
	struct inet_frag_queue *frag = from_timer(frag, t, timer);
	struct frag_queue *fq = container_of(frag, struct frag_queue, q);

	ip6frag_expire_frag_queue(fq->q.fqdir->net, fq);
}

static const struct rhashtable_params ipv6_rs_rhash_params = {
	.head_offset		= offsetof(struct inet_frag_queue, node),
	.hashfn			= ip6frag_key_hashfn,
	.obj_hashfn		= ip6frag_obj_hashfn,
	.obj_cmpfn		= ip6frag_obj_cmpfn,
	.automatic_shrinking	= true,
};

int ipv6_rs_frags_init(void)
{
	ipv6_rs_frags.constructor = ip6frag_init;
	ipv6_rs_frags.destructor = NULL;
	ipv6_rs_frags.qsize = sizeof(struct frag_queue);
	ipv6_rs_frags.frag_expire = ipv6_rs_frag_expire;
	ipv6_rs_frags.frags_cache_name = "ipv6_rs_frags";
	ipv6_rs_frags.rhash_params = ipv6_rs_rhash_params;
	return inet_frags_init(&ipv6_rs_frags);
}

void ipv6_rs_frags_fini(void)
{
	inet_frags_fini(&ipv6_rs_frags);
}

int ipv6_rs_net_frags_init(struct net *net)
{
	int res = fqdir_init(&net->ipv6.fqdir, &ipv6_rs_frags, net);

	if (res < 0)
		return res;
	net->ipv6.fqdir->high_thresh = IPV6_FRAG_HIGH_THRESH;
	net->ipv6.fqdir->low_thresh = IPV6_FRAG_LOW_THRESH;
	net->ipv6.fqdir->timeout = IPV6_FRAG_TIMEOUT;
	return 0;
}

void ipv6_rs_net_frags_pre_exit(struct net *net)
{
	fqdir_pre_exit(net->ipv6.fqdir);
}

void ipv6_rs_net_frags_exit(struct net *net)
{
	fqdir_exit(net->ipv6.fqdir);
}

struct frag_queue *ipv6_rs_fq_find_lock(struct net *net, struct sk_buff *skb, __be32 id,
					int iif)
{
	const struct ipv6hdr *hdr = ipv6_hdr(skb);
	struct frag_v6_compare_key key = {
		.id = id,
		.saddr = hdr->saddr,
		.daddr = hdr->daddr,
		.user = IP6_DEFRAG_LOCAL_DELIVER,
		.iif = iif,
	};
	struct inet_frag_queue *q;
	struct frag_queue *fq;

	if (!(ipv6_addr_type(&hdr->daddr) & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LINKLOCAL)))
		key.iif = 0;
	q = inet_frag_find(net->ipv6.fqdir, &key);
	if (IS_ERR_OR_NULL(q))
		return NULL;
	fq = container_of(q, struct frag_queue, q);
	spin_lock(&fq->q.lock);
	fq->iif = iif;
	return fq;
}

void ipv6_rs_fq_state(const struct frag_queue *fq, u32 *len, bool *last_in, bool *complete)
{
	*len = fq->q.len;
	*last_in = fq->q.flags & INET_FRAG_LAST_IN;
	*complete = fq->q.flags & INET_FRAG_COMPLETE;
}

void ipv6_rs_fq_kill(struct frag_queue *fq, int *refs)
{
	inet_frag_kill(&fq->q, refs);
}

/*
 * ip6_frag_reasm(): the queue is complete (the core's frag::ready() said so); skb is
 * the fragment that completed it (arrived on dev), prev_tail the queue's tail before
 * it; ecn is the codepoint the core's frag::ecn_merge() found for the datagram.
 * Returns 0 with skb the datagram (the caller's again), or -EINVAL with the queue
 * and every fragment gone.
 */
int ipv6_rs_fq_reasm(struct frag_queue *fq, struct sk_buff *skb, struct sk_buff *prev_tail,
		     struct net_device *dev, u8 ecn, int *refs)
{
	struct net *net = fq->q.fqdir->net;
	unsigned long orefdst;
	unsigned int nhoff;
	void *reasm_data;
	int payload_len;

	inet_frag_kill(&fq->q, refs);
	orefdst = skb->_skb_refdst;
	skb->_skb_refdst = 0UL;
	reasm_data = inet_frag_reasm_prepare(&fq->q, skb, prev_tail);
	if (!reasm_data)
		goto out_fail;
	/* The head's headers before the fragment header, and the datagram's data. */
	payload_len = -skb_network_offset(skb) - sizeof(struct ipv6hdr) + fq->q.len -
		      sizeof(struct frag_hdr);
	if (payload_len > IPV6_MAXPLEN)
		goto out_fail;
	/* Remove the fragment header: move what precedes it up by its size. */
	nhoff = fq->nhoffset;
	skb_network_header(skb)[nhoff] = skb_transport_header(skb)[0];
	memmove(skb->head + sizeof(struct frag_hdr), skb->head,
		(skb->data - skb->head) - sizeof(struct frag_hdr));
	if (skb_mac_header_was_set(skb))
		skb->mac_header += sizeof(struct frag_hdr);
	skb->network_header += sizeof(struct frag_hdr);
	skb_reset_transport_header(skb);
	inet_frag_reasm_finish(&fq->q, skb, reasm_data, true);
	skb->dev = dev;
	ipv6_hdr(skb)->payload_len = htons(payload_len);
	ipv6_change_dsfield(ipv6_hdr(skb), 0xff, ecn);
	IP6CB(skb)->nhoff = nhoff;
	IP6CB(skb)->flags |= IP6SKB_FRAGMENTED;
	IP6CB(skb)->frag_max_size = fq->q.max_size;
	skb_postpush_rcsum(skb, skb_network_header(skb), skb_network_header_len(skb));
	__IP6_INC_STATS(net, __in6_dev_get(dev), IPSTATS_MIB_REASMOKS);
	fq->q.rb_fragments = RB_ROOT;
	fq->q.fragments_tail = NULL;
	fq->q.last_run_head = NULL;
	skb->_skb_refdst = orefdst;
	return 0;
out_fail:
	skb->_skb_refdst = orefdst;
	ipv6_rs_fq_fail(fq, dev, refs);
	return -EINVAL;
}

/* A datagram that cannot be reassembled: counted, its queue and fragments gone. */
void ipv6_rs_fq_fail(struct frag_queue *fq, struct net_device *dev, int *refs)
{
	__IP6_INC_STATS(fq->q.fqdir->net, __in6_dev_get(dev), IPSTATS_MIB_REASMFAILS);
	inet_frag_kill(&fq->q, refs);
}

/*
 * ip6_frag_queue()'s insertion: skb (data at its IPv6 header) goes into the queue for
 * offset..end, with the queue length and last-in state the core's frag::queue()
 * decided, and ecn_bit (the core's frag::ecn_bit()) recorded. Returns 0 when it went
 * in (the queue owns it now; *prev_tail is the tail before it and *acct the queue's
 * accounting), -EEXIST for a duplicate, -EILSEQ for an overlap, -ENOMEM (the packet
 * stays the caller's in these three cases).
 */
int ipv6_rs_fq_insert(struct frag_queue *fq, struct sk_buff *skb, int offset, int end,
		      int fhdr_end, u32 len, bool last_in, int nhoff, u8 ecn_bit,
		      struct sk_buff **prev_tail, struct ipv6_rs_fq_acct *acct)
{
	struct net_device *dev;
	int fragsize, err;

	skb_set_transport_header(skb, skb_network_offset(skb) + fhdr_end - sizeof(struct frag_hdr));
	if (skb->ip_summed == CHECKSUM_COMPLETE) {
		const unsigned char *nh = skb_network_header(skb);

		skb->csum = csum_sub(skb->csum, csum_partial(nh, fhdr_end, 0));
	}
	/* Point into the datagram's data part. */
	if (!pskb_pull(skb, skb_network_offset(skb) + fhdr_end))
		return -ENOMEM;
	if (pskb_trim_rcsum(skb, end - offset))
		return -ENOMEM;
	dev = skb->dev;		/* shares its place with skb->rbnode */
	barrier();
	*prev_tail = fq->q.fragments_tail;
	err = inet_frag_queue_insert(&fq->q, skb, offset, end);
	if (err == IPFRAG_DUP)
		return -EEXIST;
	if (err)
		return -EILSEQ;
	fq->q.len = len;
	if (last_in)
		fq->q.flags |= INET_FRAG_LAST_IN;
	if (dev)
		fq->iif = dev->ifindex;
	fq->q.stamp = skb->tstamp;
	fq->q.tstamp_type = skb->tstamp_type;
	fq->q.meat += skb->len;
	fq->ecn |= ecn_bit;
	add_frag_mem_limit(fq->q.fqdir, skb->truesize);
	fragsize = -skb_network_offset(skb) + skb->len;
	if (fragsize > fq->q.max_size)
		fq->q.max_size = fragsize;
	if (offset == 0) {
		fq->nhoffset = nhoff;
		fq->q.flags |= INET_FRAG_FIRST_IN;
	}
	acct->len = fq->q.len;
	acct->meat = fq->q.meat;
	acct->first_in = fq->q.flags & INET_FRAG_FIRST_IN;
	acct->last_in = fq->q.flags & INET_FRAG_LAST_IN;
	acct->settled = fq->q.flags & ~(INET_FRAG_FIRST_IN | INET_FRAG_LAST_IN);
	acct->ecn = fq->ecn;
	return 0;
}

/* A queued fragment waits for the rest: it keeps no route or socket meanwhile. */
void ipv6_rs_fq_keep(struct sk_buff *skb)
{
	skb_dst_drop(skb);
	skb_orphan(skb);
}

void ipv6_rs_fq_unlock_put(struct frag_queue *fq, int refs)
{
	spin_unlock(&fq->q.lock);
	inet_frag_putn(&fq->q, refs);
}

bool ipv6_rs_frag_thdr_truncated(struct sk_buff *skb)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;

	return ipv6frag_thdr_truncated(skb, skb_network_offset(skb) + sizeof(struct ipv6hdr),
				       &nexthdr);
}

/* --- the ICMPv6 sender */

int ipv6_rs_icmp_sender_register(ipv6_rs_icmp_send_fn fn)
{
	return inet6_register_icmp_sender(fn);
}

void ipv6_rs_icmp_sender_unregister(ipv6_rs_icmp_send_fn fn)
{
	/* Waits for callers in flight (synchronize_net()). */
	inet6_unregister_icmp_sender(fn);
}

/* --- net.ipv6.* tables (mainline's templates; data pointers fixed up per namespace) */

static int ipv6_rs_auto_flowlabels_max = IP6_AUTO_FLOW_LABEL_MAX;
static int ipv6_rs_flowlabel_reflect_max = 0x7;
static u32 ipv6_rs_hash_fields_all_mask = FIB_MULTIPATH_HASH_FIELD_ALL_MASK;
static u32 ipv6_rs_ioam6_id_max = IOAM6_DEFAULT_ID;
static u64 ipv6_rs_ioam6_id_wide_max = IOAM6_DEFAULT_ID_WIDE;
static int ipv6_rs_frags_secret_interval_unused;
/* Global in mainline (mcast.c): the MLD source filter limit and robustness. */
static int ipv6_rs_mld_max_msf = 64;	/* IPV6_MLD_MAX_MSF */
static int ipv6_rs_mld_qrv = 2;

#define NET_FIELD(f) ((void *)offsetof(struct net, ipv6.sysctl.f))

static const struct ctl_table ipv6_rs_net_table[] = {
	{ .procname = "bindv6only", .data = NET_FIELD(bindv6only), .maxlen = sizeof(u8),
	  .mode = 0644, .proc_handler = proc_dou8vec_minmax },
	{ .procname = "anycast_src_echo_reply", .data = NET_FIELD(anycast_src_echo_reply),
	  .maxlen = sizeof(u8), .mode = 0644, .proc_handler = proc_dou8vec_minmax },
	{ .procname = "flowlabel_consistency", .data = NET_FIELD(flowlabel_consistency),
	  .maxlen = sizeof(u8), .mode = 0644, .proc_handler = proc_dou8vec_minmax },
	{ .procname = "auto_flowlabels", .data = NET_FIELD(auto_flowlabels),
	  .maxlen = sizeof(u8), .mode = 0644, .proc_handler = proc_dou8vec_minmax,
	  .extra2 = &ipv6_rs_auto_flowlabels_max },
	{ .procname = "fwmark_reflect", .data = NET_FIELD(fwmark_reflect), .maxlen = sizeof(u8),
	  .mode = 0644, .proc_handler = proc_dou8vec_minmax },
	{ .procname = "idgen_retries", .data = NET_FIELD(idgen_retries), .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "idgen_delay", .data = NET_FIELD(idgen_delay), .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	{ .procname = "flowlabel_state_ranges", .data = NET_FIELD(flowlabel_state_ranges),
	  .maxlen = sizeof(u8), .mode = 0644, .proc_handler = proc_dou8vec_minmax },
	{ .procname = "ip_nonlocal_bind", .data = NET_FIELD(ip_nonlocal_bind),
	  .maxlen = sizeof(u8), .mode = 0644, .proc_handler = proc_dou8vec_minmax },
	{ .procname = "flowlabel_reflect", .data = NET_FIELD(flowlabel_reflect),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
	  .extra1 = SYSCTL_ZERO, .extra2 = &ipv6_rs_flowlabel_reflect_max },
	{ .procname = "max_dst_opts_number", .data = NET_FIELD(max_dst_opts_cnt),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "max_hbh_opts_number", .data = NET_FIELD(max_hbh_opts_cnt),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "max_dst_opts_length", .data = NET_FIELD(max_dst_opts_len),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "max_hbh_length", .data = NET_FIELD(max_hbh_opts_len),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "fib_multipath_hash_policy", .data = NET_FIELD(multipath_hash_policy),
	  .maxlen = sizeof(u8), .mode = 0644, .proc_handler = proc_dou8vec_minmax,
	  .extra1 = SYSCTL_ZERO, .extra2 = SYSCTL_THREE },
	{ .procname = "fib_multipath_hash_fields", .data = NET_FIELD(multipath_hash_fields),
	  .maxlen = sizeof(u32), .mode = 0644, .proc_handler = proc_douintvec_minmax,
	  .extra1 = SYSCTL_ONE, .extra2 = &ipv6_rs_hash_fields_all_mask },
	{ .procname = "seg6_flowlabel", .data = NET_FIELD(seg6_flowlabel), .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "fib_notify_on_flag_change", .data = NET_FIELD(fib_notify_on_flag_change),
	  .maxlen = sizeof(u8), .mode = 0644, .proc_handler = proc_dou8vec_minmax,
	  .extra1 = SYSCTL_ZERO, .extra2 = SYSCTL_TWO },
	{ .procname = "ioam6_id", .data = NET_FIELD(ioam6_id), .maxlen = sizeof(u32),
	  .mode = 0644, .proc_handler = proc_douintvec_minmax,
	  .extra2 = &ipv6_rs_ioam6_id_max },
	{ .procname = "ioam6_id_wide", .data = NET_FIELD(ioam6_id_wide), .maxlen = sizeof(u64),
	  .mode = 0644, .proc_handler = proc_doulongvec_minmax,
	  .extra2 = &ipv6_rs_ioam6_id_wide_max },
};

static const struct ctl_table ipv6_rs_icmp_table[] = {
	{ .procname = "ratelimit", .data = NET_FIELD(icmpv6_time), .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec_ms_jiffies },
	{ .procname = "echo_ignore_all", .data = NET_FIELD(icmpv6_echo_ignore_all),
	  .maxlen = sizeof(u8), .mode = 0644, .proc_handler = proc_dou8vec_minmax },
	{ .procname = "echo_ignore_multicast", .data = NET_FIELD(icmpv6_echo_ignore_multicast),
	  .maxlen = sizeof(u8), .mode = 0644, .proc_handler = proc_dou8vec_minmax },
	{ .procname = "echo_ignore_anycast", .data = NET_FIELD(icmpv6_echo_ignore_anycast),
	  .maxlen = sizeof(u8), .mode = 0644, .proc_handler = proc_dou8vec_minmax },
	{ .procname = "ratemask", .data = NET_FIELD(icmpv6_ratemask_ptr),
	  .maxlen = ICMPV6_MSG_MAX + 1, .mode = 0644, .proc_handler = proc_do_large_bitmap },
	{ .procname = "error_anycast_as_unicast",
	  .data = NET_FIELD(icmpv6_error_anycast_as_unicast), .maxlen = sizeof(u8),
	  .mode = 0644, .proc_handler = proc_dou8vec_minmax,
	  .extra1 = SYSCTL_ZERO, .extra2 = SYSCTL_ONE },
};

static const struct ctl_table ipv6_rs_frags_table[] = {
	{ .procname = "ip6frag_high_thresh", .maxlen = sizeof(unsigned long), .mode = 0644,
	  .proc_handler = proc_doulongvec_minmax },
	{ .procname = "ip6frag_low_thresh", .maxlen = sizeof(unsigned long), .mode = 0644,
	  .proc_handler = proc_doulongvec_minmax },
	{ .procname = "ip6frag_time", .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec_jiffies },
};

/*
 * net.ipv6.route: mainline's ipv6_route_table_template. "flush" runs the route garbage
 * collection now (fib6_run_gc()): our routes expire in the namespace's address check,
 * which it schedules at once (extra2); there is no route cache to flush.
 */
static int ipv6_rs_rtcache_flush(const struct ctl_table *ctl, int write, void *buffer,
				 size_t *lenp, loff_t *ppos)
{
	int ret;

	if (!write)
		return -EINVAL;
	ret = proc_dointvec(ctl, write, buffer, lenp, ppos);
	if (ret)
		return ret;
	ipv6_rs_addr_chk_schedule(ctl->extra2, 0);
	return 0;
}

static const struct ctl_table ipv6_rs_route_table[] = {
	{ .procname = "max_size", .data = NET_FIELD(ip6_rt_max_size), .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "gc_thresh",
	  .data = (void *)offsetof(struct net, ipv6.ip6_dst_ops.gc_thresh),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "flush", .data = NET_FIELD(flush_delay), .maxlen = sizeof(int),
	  .mode = 0200, .proc_handler = ipv6_rs_rtcache_flush },
	{ .procname = "gc_min_interval", .data = NET_FIELD(ip6_rt_gc_min_interval),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	{ .procname = "gc_timeout", .data = NET_FIELD(ip6_rt_gc_timeout), .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	{ .procname = "gc_interval", .data = NET_FIELD(ip6_rt_gc_interval),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	{ .procname = "gc_elasticity", .data = NET_FIELD(ip6_rt_gc_elasticity),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "mtu_expires", .data = NET_FIELD(ip6_rt_mtu_expires),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	{ .procname = "min_adv_mss", .data = NET_FIELD(ip6_rt_min_advmss),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "gc_min_interval_ms", .data = NET_FIELD(ip6_rt_gc_min_interval),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_ms_jiffies },
	{ .procname = "skip_notify_on_dev_down", .data = NET_FIELD(skip_notify_on_dev_down),
	  .maxlen = sizeof(u8), .mode = 0644, .proc_handler = proc_dou8vec_minmax,
	  .extra1 = SYSCTL_ZERO, .extra2 = SYSCTL_ONE },
};

/*
 * In the first namespace only, as mainline's ipv6_rotable (sysctl_net_ipv6.c) and
 * ip6_frags_ctl_table (reassembly.c, a knob kept for compatibility that does nothing).
 */
static const struct ctl_table ipv6_rs_global_table[] = {
	{ .procname = "ip6frag_secret_interval", .data = &ipv6_rs_frags_secret_interval_unused,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	{ .procname = "mld_max_msf", .data = &ipv6_rs_mld_max_msf, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "mld_qrv", .data = &ipv6_rs_mld_qrv, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra1 = SYSCTL_ONE },
};

static struct ctl_table_header *ipv6_rs_global_hdr;

static struct ctl_table_header *ipv6_rs_register_net_fields(struct net *net, const char *path,
							    const struct ctl_table *tmpl,
							    size_t n)
{
	struct ctl_table_header *h;
	struct ctl_table *t;
	size_t i;

	t = kmemdup(tmpl, n * sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	for (i = 0; i < n; i++) {
		/* Offsets into struct net become the namespace's own fields. */
		if (tmpl == ipv6_rs_frags_table || !t[i].data)
			continue;
		t[i].data = (char *)net + (uintptr_t)t[i].data;
	}
	if (tmpl == ipv6_rs_frags_table) {
		t[0].data = &net->ipv6.fqdir->high_thresh;
		t[0].extra1 = &net->ipv6.fqdir->low_thresh;
		t[1].data = &net->ipv6.fqdir->low_thresh;
		t[1].extra2 = &net->ipv6.fqdir->high_thresh;
		t[2].data = &net->ipv6.fqdir->timeout;
	}
	h = register_net_sysctl_sz(net, path, t, n);
	if (!h)
		kfree(t);
	return h;
}

/* net.ipv6.route of net; its "flush" schedules the address check chk. */
static struct ctl_table_header *ipv6_rs_route_sysctl_register(struct net *net,
							      struct ipv6_rs_addr_chk *chk)
{
	const size_t n = ARRAY_SIZE(ipv6_rs_route_table);
	struct ctl_table_header *h;
	struct ctl_table *t;
	size_t i;

	t = kmemdup(ipv6_rs_route_table, sizeof(ipv6_rs_route_table), GFP_KERNEL);
	if (!t)
		return NULL;
	for (i = 0; i < n; i++)
		t[i].data = (char *)net + (uintptr_t)t[i].data;
	t[2].extra2 = chk;
	h = register_net_sysctl_sz(net, "net/ipv6/route", t, n);
	if (!h)
		kfree(t);
	return h;
}

int ipv6_rs_net_sysctls_register(struct net *net, struct ipv6_rs_addr_chk *chk)
{
	struct netns_sysctl_ipv6 *s = &net->ipv6.sysctl;

	s->hdr = ipv6_rs_register_net_fields(net, "net/ipv6", ipv6_rs_net_table,
					     ARRAY_SIZE(ipv6_rs_net_table));
	s->icmp_hdr = ipv6_rs_register_net_fields(net, "net/ipv6/icmp", ipv6_rs_icmp_table,
						  ARRAY_SIZE(ipv6_rs_icmp_table));
	s->frags_hdr = ipv6_rs_register_net_fields(net, "net/ipv6", ipv6_rs_frags_table,
						   ARRAY_SIZE(ipv6_rs_frags_table));
	if (net_eq(net, &init_net))
		ipv6_rs_global_hdr = register_net_sysctl_sz(net, "net/ipv6",
							    (struct ctl_table *)ipv6_rs_global_table,
							    ARRAY_SIZE(ipv6_rs_global_table));
	s->route_hdr = ipv6_rs_route_sysctl_register(net, chk);
	if (!s->hdr || !s->icmp_hdr || !s->frags_hdr || !s->route_hdr ||
	    (net_eq(net, &init_net) && !ipv6_rs_global_hdr)) {
		ipv6_rs_net_sysctls_unregister(net);
		return -ENOMEM;
	}
	return 0;
}

void ipv6_rs_net_sysctls_unregister(struct net *net)
{
	struct netns_sysctl_ipv6 *s = &net->ipv6.sysctl;

	if (net_eq(net, &init_net) && ipv6_rs_global_hdr) {
		unregister_net_sysctl_table(ipv6_rs_global_hdr);
		ipv6_rs_global_hdr = NULL;
	}
	ipv6_rs_sysctl_unregister(s->route_hdr);
	ipv6_rs_sysctl_unregister(s->frags_hdr);
	ipv6_rs_sysctl_unregister(s->icmp_hdr);
	ipv6_rs_sysctl_unregister(s->hdr);
	s->route_hdr = s->frags_hdr = s->icmp_hdr = s->hdr = NULL;
}

/* --- AF_INET6 sockets: the kernel's struct sock, raw6_sock and ipv6_pinfo */

/* Empty hash chains are all-zero; the lock is initialised statically, as /proc/net/raw6
 * of every namespace (created before the family registers) may take it at any time. */
static struct raw_hashinfo ipv6_rs_raw_v6_hashinfo = {
	.lock = __SPIN_LOCK_UNLOCKED(ipv6_rs_raw_v6_hashinfo.lock),
};

struct raw_hashinfo *ipv6_rs_raw_hashinfo(void)
{
	return &ipv6_rs_raw_v6_hashinfo;
}

void ipv6_rs_sk_init(struct sock *sk, int protocol, bool raw)
{
	struct net *net = sock_net(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct ipv6_pinfo *np;

	if (raw) {
		inet->inet_num = protocol;
		if (protocol == IPPROTO_RAW)
			inet_set_bit(HDRINCL, sk);
	}
	sk->sk_destruct = inet_sock_destruct;
	sk->sk_family = PF_INET6;
	sk->sk_protocol = protocol;
	sk->sk_backlog_rcv = sk->sk_prot->backlog_rcv;

	/* inet6_sk_generic() */
	inet->pinet6 = np = (struct ipv6_pinfo *)((u8 *)sk + sk->sk_prot->ipv6_pinfo_offset);
	np->hop_limit = -1;
	np->mcast_hops = IPV6_DEFAULT_MCASTHOPS;
	inet6_set_bit(MC6_LOOP, sk);
	inet6_set_bit(MC6_ALL, sk);
	np->pmtudisc = IPV6_PMTUDISC_WANT;
	inet6_assign_bit(REPFLOW, sk, READ_ONCE(net->ipv6.sysctl.flowlabel_reflect) &
				      FLOWLABEL_REFLECT_ESTABLISHED);
	sk->sk_ipv6only = READ_ONCE(net->ipv6.sysctl.bindv6only);
	sk->sk_txrehash = READ_ONCE(net->core.sysctl_txrehash);

	inet->uc_ttl = -1;
	inet_set_bit(MC_LOOP, sk);
	inet->mc_ttl = 1;
	inet->mc_index = 0;
	RCU_INIT_POINTER(inet->mc_list, NULL);
	inet->rcv_tos = 0;
	if (READ_ONCE(net->ipv4.sysctl_ip_no_pmtu_disc))
		inet->pmtudisc = IP_PMTUDISC_DONT;
	else
		inet->pmtudisc = IP_PMTUDISC_WANT;
	if (inet->inet_num)
		inet->inet_sport = htons(inet->inet_num);
}

struct ipv6_pinfo *ipv6_rs_sk_pinfo(const struct sock *sk)
{
	return inet_sk(sk)->pinet6;
}

struct net *ipv6_rs_sock_net(const struct sock *sk)
{
	return sock_net(sk);
}

void ipv6_rs_lock_sock(struct sock *sk)
{
	lock_sock(sk);
}

bool ipv6_rs_sk_test_bit(const struct sock *sk, int bit)
{
	switch (bit) {
	case IPV6_RS_SK_RECVERR6:
		return inet6_test_bit(RECVERR6, sk);
	case IPV6_RS_SK_MC6_LOOP:
		return inet6_test_bit(MC6_LOOP, sk);
	case IPV6_RS_SK_HDRINCL:
		return inet_test_bit(HDRINCL, sk);
	case IPV6_RS_SK_SNDFLOW:
		return inet6_test_bit(SNDFLOW, sk);
	case IPV6_RS_SK_DONTFRAG:
		return inet6_test_bit(DONTFRAG, sk);
	case IPV6_RS_SK_FREEBIND:
		return inet_test_bit(FREEBIND, sk);
	case IPV6_RS_SK_TRANSPARENT:
		return inet_test_bit(TRANSPARENT, sk);
	case IPV6_RS_SK_MC6_ALL:
		return inet6_test_bit(MC6_ALL, sk);
	}
	return false;
}

bool ipv6_rs_sk_can_nonlocal_bind(struct sock *sk)
{
	return ipv6_can_nonlocal_bind(sock_net(sk), inet_sk(sk));
}

bool ipv6_rs_sk_may_transparent(struct sock *sk)
{
	struct user_namespace *ns = sock_net(sk)->user_ns;

	return sockopt_ns_capable(ns, CAP_NET_RAW) || sockopt_ns_capable(ns, CAP_NET_ADMIN);
}

void ipv6_rs_sk_assign_bit(struct sock *sk, int bit, bool val)
{
	switch (bit) {
	case IPV6_RS_SK_RECVERR6:
		inet6_assign_bit(RECVERR6, sk, val);
		if (!val)
			skb_errqueue_purge(&sk->sk_error_queue);
		break;
	case IPV6_RS_SK_MC6_LOOP:
		inet6_assign_bit(MC6_LOOP, sk, val);
		break;
	case IPV6_RS_SK_MC6_ALL:
		inet6_assign_bit(MC6_ALL, sk, val);
		break;
	case IPV6_RS_SK_HDRINCL:
		inet_assign_bit(HDRINCL, sk, val);
		break;
	case IPV6_RS_SK_DONTFRAG:
		inet6_assign_bit(DONTFRAG, sk, val);
		break;
	case IPV6_RS_SK_FREEBIND:
		inet_assign_bit(FREEBIND, sk, val);
		break;
	case IPV6_RS_SK_TRANSPARENT:
		inet_assign_bit(TRANSPARENT, sk, val);
		break;
	}
}

u16 ipv6_rs_sk_rxopt(const struct sock *sk)
{
	return inet6_sk(sk)->rxopt.all;
}

void ipv6_rs_sk_set_rxopt(struct sock *sk, int opt, bool val)
{
	struct ipv6_pinfo *np = inet6_sk(sk);

	switch (opt) {
	case IPV6_RECVPKTINFO:
		np->rxopt.bits.rxinfo = val;
		break;
	case IPV6_RECVHOPLIMIT:
		np->rxopt.bits.rxhlim = val;
		break;
	case IPV6_RECVTCLASS:
		np->rxopt.bits.rxtclass = val;
		break;
	}
}

bool ipv6_rs_sk_rxopt_test(const struct sock *sk, int opt)
{
	const struct ipv6_pinfo *np = inet6_sk(sk);

	switch (opt) {
	case IPV6_RECVPKTINFO:
		return np->rxopt.bits.rxinfo;
	case IPV6_RECVHOPLIMIT:
		return np->rxopt.bits.rxhlim;
	case IPV6_RECVTCLASS:
		return np->rxopt.bits.rxtclass;
	}
	return false;
}

bool ipv6_rs_sk_rmem_full(const struct sock *sk)
{
	return atomic_read(&sk->sk_rmem_alloc) >= READ_ONCE(sk->sk_rcvbuf);
}

void ipv6_rs_sk_inc_drops(struct sock *sk)
{
	atomic_inc(&sk->sk_drops);
}

int ipv6_rs_copy_from_sockptr(void *dst, sockptr_t src, size_t len)
{
	return copy_from_sockptr(dst, src, len) ? -EFAULT : 0;
}

int ipv6_rs_get_user_int(int *val, const int __user *p)
{
	return get_user(*val, p) ? -EFAULT : 0;
}

int ipv6_rs_put_user_int(int val, int __user *p)
{
	return put_user(val, p) ? -EFAULT : 0;
}

int ipv6_rs_copy_to_user(void __user *dst, const void *src, size_t len)
{
	return copy_to_user(dst, src, len) ? -EFAULT : 0;
}

int ipv6_rs_copy_from_user(void *dst, const void __user *src, size_t len)
{
	return copy_from_user(dst, src, len) ? -EFAULT : 0;
}

void ipv6_rs_raw_for_each(struct net *net, u8 protocol,
			  bool (*fn)(void *ctx, struct sock *sk), void *ctx)
{
	struct hlist_head *hlist;
	struct sock *sk;

	hlist = &ipv6_rs_raw_v6_hashinfo.ht[raw_hashfunc(net, protocol)];
	rcu_read_lock();
	sk_for_each_rcu(sk, hlist) {
		if (!net_eq(sock_net(sk), net) || sk->sk_family != PF_INET6)
			continue;
		if (fn(ctx, sk))
			break;
	}
	rcu_read_unlock();
}

struct sk_buff *ipv6_rs_sock_alloc_send_skb(struct sock *sk, size_t len, bool noblock,
					    int *err)
{
	int hlen = MAX_HEADER + sizeof(struct ipv6hdr);
	struct sk_buff *skb;

	if (sk->sk_type == SOCK_RAW) {
		/*
		 * __ip6_append_data() without a transport header: no wait for buffer
		 * space and no pending socket error, up to twice the send buffer.
		 */
		skb = NULL;
		if (refcount_read(&sk->sk_wmem_alloc) <= 2 * READ_ONCE(sk->sk_sndbuf))
			skb = alloc_skb(hlen + len, sk->sk_allocation);
		if (!skb) {
			*err = -ENOBUFS;
			return NULL;
		}
		skb_set_owner_w(skb, sk);
	} else {
		skb = sock_alloc_send_skb(sk, hlen + len, noblock, err);
		if (!skb)
			return NULL;
	}
	skb_reserve(skb, hlen);
	skb->priority = READ_ONCE(sk->sk_priority);
	skb->mark = READ_ONCE(sk->sk_mark);
	skb->tstamp = 0;
	return skb;
}

int ipv6_rs_skb_put_from_msg(struct sk_buff *skb, struct msghdr *msg, int len)
{
	return memcpy_from_msg(skb_put(skb, len), msg, len);
}

int ipv6_rs_skb_copy_datagram_msg(const struct sk_buff *skb, int offset, struct msghdr *msg,
				  int size)
{
	return skb_copy_datagram_msg(skb, offset, msg, size);
}

void ipv6_rs_sock_recv_cmsgs(struct msghdr *msg, struct sock *sk, struct sk_buff *skb)
{
	sock_recv_cmsgs(msg, sk, skb);
}

/* A send's control messages, in the kernel's copy (NULL for a user pointer). */
const void *ipv6_rs_msg_control(const struct msghdr *msg, size_t *len)
{
	*len = msg->msg_controllen;
	return msg->msg_control_is_user ? NULL : msg->msg_control;
}

/* sockcm_init(): the socket's defaults for SOL_SOCKET control messages. */
void ipv6_rs_sockc_init(const struct sock *sk, struct sockcm_cookie *sockc)
{
	sockcm_init(sockc, sk);
}

void ipv6_rs_skb_set_iif(struct sk_buff *skb, int iif)
{
	memset(IP6CB(skb), 0, sizeof(struct inet6_skb_parm));
	IP6CB(skb)->iif = iif;
}

int ipv6_rs_skb_iif(const struct sk_buff *skb)
{
	return IP6CB(skb)->iif;
}

struct inet6_skb_parm *ipv6_rs_skb_ip6cb(struct sk_buff *skb)
{
	return IP6CB(skb);
}

void ipv6_rs_skb_set_nhoff(struct sk_buff *skb, unsigned int nhoff)
{
	IP6CB(skb)->nhoff = nhoff;
}

const unsigned char *ipv6_rs_skb_linear_data(const struct sk_buff *skb, unsigned int *len)
{
	*len = skb_headlen(skb);
	return skb->data;
}

const unsigned char *ipv6_rs_skb_linear_transport(const struct sk_buff *skb, unsigned int *len)
{
	const unsigned char *th = skb_transport_header(skb);
	const unsigned char *tail = skb_tail_pointer(skb);

	if (!skb_transport_header_was_set(skb) || th < skb->head || th > tail) {
		*len = 0;
		return skb->data;
	}
	*len = tail - th;
	return th;
}

/* --- upper-layer protocols by next header (inet6_protos[], protocol.c, built in) */

const struct inet6_protocol *ipv6_rs_inet6_proto(u8 nexthdr)
{
	return rcu_dereference(inet6_protos[nexthdr]);
}

int ipv6_rs_raw_ioctl(struct sock *sk, int cmd, int *karg)
{
	switch (cmd) {
	case SIOCOUTQ:
		*karg = sk_wmem_alloc_get(sk);
		return 0;
	case SIOCINQ: {
		struct sk_buff *skb;

		spin_lock_bh(&sk->sk_receive_queue.lock);
		skb = skb_peek(&sk->sk_receive_queue);
		*karg = skb ? skb->len : 0;
		spin_unlock_bh(&sk->sk_receive_queue.lock);
		return 0;
	}
	default:
		return -ENOIOCTLCMD;
	}
}

void ipv6_rs_sk_common_release(struct sock *sk, long timeout)
{
	sk_common_release(sk);
}

struct sk_buff *ipv6_rs_skb_clone_atomic(struct sk_buff *skb)
{
	return skb_clone(skb, GFP_ATOMIC);
}

void ipv6_rs_skb_csum_unnecessary(struct sk_buff *skb)
{
	skb->ip_summed = CHECKSUM_UNNECESSARY;
}

bool ipv6_rs_sk_ipv6only(const struct sock *sk)
{
	return sk->sk_ipv6only;
}

void ipv6_rs_sk_set_ipv6only(struct sock *sk, bool val)
{
	sk->sk_ipv6only = val;
}

bool ipv6_rs_ns_capable_net_raw(const struct net *net)
{
	return ns_capable(net->user_ns, CAP_NET_RAW);
}

int ipv6_rs_devconf_all_hop_limit(const struct net *net)
{
	return READ_ONCE(net->ipv6.devconf_all->hop_limit);
}

void ipv6_rs_icmp_error_queue(struct sock *sk, struct sk_buff *skb, int err, __be16 port,
			      u32 info, int payload_off)
{
	struct icmp6hdr *icmph = icmp6_hdr(skb);
	struct sock_exterr_skb *serr;

	skb = skb_clone(skb, GFP_ATOMIC);
	if (!skb)
		return;
	skb->protocol = htons(ETH_P_IPV6);
	serr = SKB_EXT_ERR(skb);
	serr->ee.ee_errno = err;
	serr->ee.ee_origin = SO_EE_ORIGIN_ICMP6;
	serr->ee.ee_type = icmph->icmp6_type;
	serr->ee.ee_code = icmph->icmp6_code;
	serr->ee.ee_pad = 0;
	serr->ee.ee_info = info;
	serr->ee.ee_data = 0;
	serr->addr_offset = (u8 *)&(((struct ipv6hdr *)(icmph + 1))->daddr) -
			    skb_network_header(skb);
	serr->port = port;
	__skb_pull(skb, payload_off);
	skb_reset_transport_header(skb);
	if (sock_queue_err_skb(sk, skb))
		kfree_skb(skb);
}

void ipv6_rs_local_error(struct sock *sk, int err, const struct in6_addr *daddr, __be16 port,
			 u32 info)
{
	struct sock_exterr_skb *serr;
	struct ipv6hdr *iph;
	struct sk_buff *skb;

	if (!inet6_test_bit(RECVERR6, sk))
		return;
	skb = alloc_skb(sizeof(struct ipv6hdr), GFP_ATOMIC);
	if (!skb)
		return;
	skb->protocol = htons(ETH_P_IPV6);
	skb_put(skb, sizeof(struct ipv6hdr));
	skb_reset_network_header(skb);
	iph = ipv6_hdr(skb);
	iph->daddr = *daddr;
	ip6_flow_hdr(iph, 0, 0);
	serr = SKB_EXT_ERR(skb);
	serr->ee.ee_errno = err;
	serr->ee.ee_origin = SO_EE_ORIGIN_LOCAL;
	serr->ee.ee_type = 0;
	serr->ee.ee_code = 0;
	serr->ee.ee_pad = 0;
	serr->ee.ee_info = info;
	serr->ee.ee_data = 0;
	serr->addr_offset = (u8 *)&iph->daddr - skb_network_header(skb);
	serr->port = port;
	__skb_pull(skb, skb_tail_pointer(skb) - skb->data);
	skb_reset_transport_header(skb);
	if (sock_queue_err_skb(sk, skb))
		kfree_skb(skb);
}

void ipv6_rs_sk_report_error(struct sock *sk, int err)
{
	WRITE_ONCE(sk->sk_err, err);
	sk_error_report(sk);
}

void ipv6_rs_recv_error_name(struct sock *sk, struct msghdr *msg, struct sk_buff *skb,
			     int *addr_len)
{
	struct sock_exterr_skb *serr = SKB_EXT_ERR(skb);
	DECLARE_SOCKADDR(struct sockaddr_in6 *, sin, msg->msg_name);

	sock_recv_timestamp(msg, sk, skb);
	if (sin) {
		const unsigned char *nh = skb_network_header(skb);
		const struct ipv6hdr *ip6h = container_of((struct in6_addr *)(nh + serr->addr_offset),
							  struct ipv6hdr, daddr);

		sin->sin6_family = AF_INET6;
		sin->sin6_flowinfo = 0;
		sin->sin6_port = serr->port;
		sin->sin6_addr = ip6h->daddr;
		if (inet6_test_bit(SNDFLOW, sk))
			sin->sin6_flowinfo = ip6_flowinfo(ip6h);
		sin->sin6_scope_id = ipv6_iface_scope_id(&sin->sin6_addr, IP6CB(skb)->iif);
		*addr_len = sizeof(*sin);
	}
}

void ipv6_rs_recv_error_cmsg(struct msghdr *msg, struct sk_buff *skb)
{
	struct sock_exterr_skb *serr = SKB_EXT_ERR(skb);
	struct {
		struct sock_extended_err ee;
		struct sockaddr_in6 offender;
	} errhdr;
	struct sockaddr_in6 *sin = &errhdr.offender;

	memcpy(&errhdr.ee, &serr->ee, sizeof(struct sock_extended_err));
	memset(sin, 0, sizeof(*sin));
	if (serr->ee.ee_origin == SO_EE_ORIGIN_ICMP6) {
		sin->sin6_family = AF_INET6;
		sin->sin6_addr = ipv6_hdr(skb)->saddr;
		sin->sin6_scope_id = ipv6_iface_scope_id(&sin->sin6_addr, IP6CB(skb)->iif);
	}
	put_cmsg(msg, SOL_IPV6, IPV6_RECVERR, sizeof(errhdr), &errhdr);
	msg->msg_flags |= MSG_ERRQUEUE;
}

struct sock *ipv6_rs_sk_alloc(struct net *net, struct proto *prot, int kern)
{
	return sk_alloc(net, PF_INET6, GFP_KERNEL, prot, kern);
}

void ipv6_rs_skb_set_dev(struct sk_buff *skb, struct net_device *dev)
{
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IPV6);
}

/* --- UDP over IPv6: the kernel's struct udp6_sock and udp_table */

static void ipv6_rs_udp_destruct_sock(struct sock *sk)
{
	udp_destruct_common(sk);
	inet_sock_destruct(sk);
}

int ipv6_rs_udp_init_sock(struct sock *sk)
{
	udp_lib_init_sock(sk);
	sk->sk_destruct = ipv6_rs_udp_destruct_sock;
	return 0;
}

int ipv6_rs_udp_v6_get_port(struct sock *sk, unsigned short snum)
{
	unsigned int hash2_nulladdr = ipv6_portaddr_hash(sock_net(sk), &in6addr_any, snum);
	unsigned int hash2_partial = ipv6_portaddr_hash(sock_net(sk), &sk->sk_v6_rcv_saddr, 0);

	udp_sk(sk)->udp_portaddr_hash = hash2_partial;
	return udp_lib_get_port(sk, snum, hash2_nulladdr);
}

void ipv6_rs_udp_v6_rehash(struct sock *sk)
{
	u16 new_hash = ipv6_portaddr_hash(sock_net(sk), &sk->sk_v6_rcv_saddr,
					  inet_sk(sk)->inet_num);

	udp_lib_rehash(sk, new_hash);
}

void ipv6_rs_udp_close(struct sock *sk, long timeout)
{
	sk_common_release(sk);
}

void ipv6_rs_udp_for_each_port(struct net *net, u16 hnum,
			       bool (*fn)(void *ctx, struct sock *sk), void *ctx)
{
	struct udp_table *udptable = net->ipv4.udp_table;
	struct udp_hslot *hslot = udp_hashslot(udptable, net, hnum);
	struct sock *sk;

	sk_for_each_rcu(sk, &hslot->head) {
		if (!net_eq(sock_net(sk), net) || udp_sk(sk)->udp_port_hash != hnum ||
		    sk->sk_family != PF_INET6)
			continue;
		if (fn(ctx, sk))
			break;
	}
}

void ipv6_rs_udp_skb_cb_init(struct sk_buff *skb)
{
	UDP_SKB_CB(skb)->partial_cov = 0;
	UDP_SKB_CB(skb)->cscov = skb->len;
}

int ipv6_rs_udp_enqueue(struct sock *sk, struct sk_buff *skb)
{
	udp_csum_pull_header(skb);
	skb_dst_drop(skb);
	return __udp_enqueue_schedule_skb(sk, skb);
}

void ipv6_rs_udp6_inc(struct net *net, int field)
{
	SNMP_INC_STATS(net->mib.udp_stats_in6, field);
}

unsigned int ipv6_rs_udp_skb_len(struct sk_buff *skb)
{
	return udp_skb_len(skb);
}

__be16 ipv6_rs_udp_skb_sport(const struct sk_buff *skb)
{
	return udp_hdr(skb)->source;
}

/* Our sendmsg() never holds frames back, so uncorking has nothing to push. */
static int ipv6_rs_udp_no_pending_frames(struct sock *sk)
{
	return 0;
}

int ipv6_rs_udp_lib_setsockopt(struct sock *sk, int level, int optname, sockptr_t optval,
			       unsigned int optlen)
{
	return udp_lib_setsockopt(sk, level, optname, optval, optlen,
				  ipv6_rs_udp_no_pending_frames);
}

int *ipv6_rs_udp_memory_per_cpu_fw_alloc(void)
{
	return &udp_memory_per_cpu_fw_alloc;
}

u32 ipv6_rs_udp_sysctl_offsets(int rmem)
{
	return rmem ? offsetof(struct net, ipv4.sysctl_udp_rmem_min) :
		      offsetof(struct net, ipv4.sysctl_udp_wmem_min);
}

void ipv6_rs_sk_bind_locks(struct sock *sk, bool addr, bool port, bool v6_specific)
{
	__be32 v4addr = v6_specific ? LOOPBACK4_IPV6 : 0;

	inet_sk(sk)->inet_rcv_saddr = v4addr;
	inet_sk(sk)->inet_saddr = v4addr;
	if (addr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (port)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	inet_sk(sk)->inet_sport = htons(inet_sk(sk)->inet_num);
	inet_sk(sk)->inet_dport = 0;
	inet_sk(sk)->inet_daddr = 0;
}

bool ipv6_rs_port_needs_cap(struct net *net, unsigned short port)
{
	return port && inet_port_requires_bind_service(net, port) &&
	       !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE);
}

int ipv6_rs_udp_lib_getsockopt(struct sock *sk, int level, int optname, char __user *optval,
			       int __user *optlen)
{
	return udp_lib_getsockopt(sk, level, optname, optval, optlen);
}

void ipv6_rs_skb_put(struct sk_buff *skb, unsigned int len)
{
	skb_put(skb, len);
}

void ipv6_rs_ipv6_icmp_error(struct sock *sk, struct sk_buff *skb, int err, __be16 port,
			     u32 info, u8 *payload)
{
	if (!inet6_test_bit(RECVERR6, sk))
		return;
	ipv6_rs_icmp_error_queue(sk, skb, err, port, info, payload - skb->data);
}

void ipv6_rs_ping_err(struct sk_buff *skb, int inner_offset, u32 info)
{
	/* The data at the offending packet, as icmpv6_notify() has it. */
	ping_err(skb, inner_offset, info);
}

static struct inet6_ifaddr *ipv6_rs_first_addr_from(struct net *net, struct net_device *d,
						    bool include)
{
	struct inet6_ifaddr *ifa;
	struct inet6_dev *idev;

	if (include) {
		idev = __in6_dev_get(d);
		if (idev) {
			ifa = list_first_or_null_rcu(&idev->addr_list, struct inet6_ifaddr,
						     if_list);
			if (ifa)
				return ifa;
		}
	}
	for_each_netdev_continue_rcu(net, d) {
		idev = __in6_dev_get(d);
		if (!idev)
			continue;
		ifa = list_first_or_null_rcu(&idev->addr_list, struct inet6_ifaddr, if_list);
		if (ifa)
			return ifa;
	}
	return NULL;
}

struct inet6_ifaddr *ipv6_rs_addr_next(struct net *net, struct inet6_ifaddr *prev)
{
	struct inet6_ifaddr *ifa;

	if (!prev) {
		struct net_device *first = first_net_device_rcu(net);

		return first ? ipv6_rs_first_addr_from(net, first, true) : NULL;
	}
	ifa = list_next_or_null_rcu(&prev->idev->addr_list, &prev->if_list,
				    struct inet6_ifaddr, if_list);
	if (ifa)
		return ifa;
	return ipv6_rs_first_addr_from(net, prev->idev->dev, false);
}

/* --- /proc/net/udp6 and /proc/net/raw6 (mainline udp6_seq_show(), raw6_seq_show()) */

#define IPV6_RS_SEQ_DGRAM_HEADER                                                        \
	"  sl  "                                                                        \
	"local_address                         "                                        \
	"remote_address                        "                                        \
	"st tx_queue rx_queue tr tm->when retrnsmt"                                     \
	"   uid  timeout inode ref pointer drops\n"

static void ipv6_rs_dgram_sock_seq_show(struct seq_file *seq, struct sock *sp, __u16 srcp,
					__u16 destp, int rqueue, int bucket)
{
	const struct in6_addr *dest = &sp->sk_v6_daddr, *src = &sp->sk_v6_rcv_saddr;

	seq_printf(seq,
		   "%5d: %08X%08X%08X%08X:%04X %08X%08X%08X%08X:%04X "
		   "%02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %pK %u\n",
		   bucket, src->s6_addr32[0], src->s6_addr32[1], src->s6_addr32[2],
		   src->s6_addr32[3], srcp, dest->s6_addr32[0], dest->s6_addr32[1],
		   dest->s6_addr32[2], dest->s6_addr32[3], destp, sp->sk_state,
		   sk_wmem_alloc_get(sp), rqueue, 0, 0L, 0,
		   from_kuid_munged(seq_user_ns(seq), sock_i_uid(sp)), 0, sock_i_ino(sp),
		   refcount_read(&sp->sk_refcnt), sp, atomic_read(&sp->sk_drops));
}

static int ipv6_rs_udp6_seq_show(struct seq_file *seq, void *v)
{
	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, IPV6_RS_SEQ_DGRAM_HEADER);
	} else {
		int bucket = ((struct udp_iter_state *)seq->private)->bucket;
		const struct inet_sock *inet = inet_sk((const struct sock *)v);

		ipv6_rs_dgram_sock_seq_show(seq, v, ntohs(inet->inet_sport),
					    ntohs(inet->inet_dport), udp_rqueue_get(v), bucket);
	}
	return 0;
}

static const struct seq_operations ipv6_rs_udp6_seq_ops = {
	.start = udp_seq_start,
	.next = udp_seq_next,
	.stop = udp_seq_stop,
	.show = ipv6_rs_udp6_seq_show,
};

static struct udp_seq_afinfo ipv6_rs_udp6_seq_afinfo = {
	.family = AF_INET6,
	.udp_table = NULL,
};

static int ipv6_rs_raw6_seq_show(struct seq_file *seq, void *v)
{
	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, IPV6_RS_SEQ_DGRAM_HEADER);
	} else {
		struct sock *sp = v;

		ipv6_rs_dgram_sock_seq_show(seq, sp, inet_sk(sp)->inet_num, 0,
					    sk_rmem_alloc_get(sp),
					    raw_seq_private(seq)->bucket);
	}
	return 0;
}

static const struct seq_operations ipv6_rs_raw6_seq_ops = {
	.start = raw_seq_start,
	.next = raw_seq_next,
	.stop = raw_seq_stop,
	.show = ipv6_rs_raw6_seq_show,
};

int ipv6_rs_dgram_proc_init(struct net *net)
{
	if (!proc_create_net_data("udp6", 0444, net->proc_net, &ipv6_rs_udp6_seq_ops,
				  sizeof(struct udp_iter_state), &ipv6_rs_udp6_seq_afinfo))
		return -ENOMEM;
	if (!proc_create_net_data("raw6", 0444, net->proc_net, &ipv6_rs_raw6_seq_ops,
				  sizeof(struct raw_iter_state), &ipv6_rs_raw_v6_hashinfo)) {
		remove_proc_entry("udp6", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

void ipv6_rs_dgram_proc_exit(struct net *net)
{
	remove_proc_entry("raw6", net->proc_net);
	remove_proc_entry("udp6", net->proc_net);
}

/* Routing tables. */

struct ipv6_rs_fib_lock {
	rwlock_t lock;
};

static struct lock_class_key ipv6_rs_lock_keys[IPV6_RS_LOCK_CLASSES];
static const char *const ipv6_rs_lock_names[IPV6_RS_LOCK_CLASSES] = {
	[IPV6_RS_LOCK_FIB] = "ipv6_rs_fib_lock",
	[IPV6_RS_LOCK_ADDRLABEL] = "ipv6_rs_addrlabel_lock",
	[IPV6_RS_LOCK_EXCEPTIONS] = "ipv6_rs_exception_lock",
	[IPV6_RS_LOCK_ANCHORS] = "ipv6_rs_nexthop_anchor_lock",
	[IPV6_RS_LOCK_AUTOJOIN] = "ipv6_rs_autojoin_lock",
	[IPV6_RS_LOCK_TUNNELS] = "ipv6_rs_tunnel_lock",
};

struct ipv6_rs_fib_lock *ipv6_rs_fib_lock_alloc(enum ipv6_rs_lock_class class)
{
	struct ipv6_rs_fib_lock *l;

	if (class >= IPV6_RS_LOCK_CLASSES)
		return NULL;
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (l) {
		rwlock_init(&l->lock);
		lockdep_set_class_and_name(&l->lock, &ipv6_rs_lock_keys[class],
					   ipv6_rs_lock_names[class]);
	}
	return l;
}

void ipv6_rs_fib_lock_free(struct ipv6_rs_fib_lock *l)
{
	kfree(l);
}

void ipv6_rs_fib_read_lock(struct ipv6_rs_fib_lock *l)
{
	read_lock_bh(&l->lock);
}

void ipv6_rs_fib_read_unlock(struct ipv6_rs_fib_lock *l)
{
	read_unlock_bh(&l->lock);
}

void ipv6_rs_fib_write_lock(struct ipv6_rs_fib_lock *l)
{
	write_lock_bh(&l->lock);
}

void ipv6_rs_fib_write_unlock(struct ipv6_rs_fib_lock *l)
{
	write_unlock_bh(&l->lock);
}

struct sk_buff *ipv6_rs_nlmsg_new_atomic(size_t payload)
{
	return nlmsg_new(payload, GFP_ATOMIC);
}

/* Mainline's rtm_ipv6_policy (net/ipv6/route.c): part of the ABI. */
static const struct nla_policy ipv6_rs_rtm_policy[RTA_MAX + 1] = {
	[RTA_UNSPEC]		= { .strict_start_type = RTA_DPORT + 1 },
	[RTA_GATEWAY]		= { .len = sizeof(struct in6_addr) },
	[RTA_PREFSRC]		= { .len = sizeof(struct in6_addr) },
	[RTA_OIF]		= { .type = NLA_U32 },
	[RTA_IIF]		= { .type = NLA_U32 },
	[RTA_PRIORITY]		= { .type = NLA_U32 },
	[RTA_METRICS]		= { .type = NLA_NESTED },
	[RTA_MULTIPATH]		= { .len = sizeof(struct rtnexthop) },
	[RTA_PREF]		= { .type = NLA_U8 },
	[RTA_ENCAP_TYPE]	= { .type = NLA_U16 },
	[RTA_ENCAP]		= { .type = NLA_NESTED },
	[RTA_EXPIRES]		= { .type = NLA_U32 },
	[RTA_UID]		= { .type = NLA_U32 },
	[RTA_MARK]		= { .type = NLA_U32 },
	[RTA_TABLE]		= { .type = NLA_U32 },
	[RTA_IP_PROTO]		= { .type = NLA_U8 },
	[RTA_SPORT]		= { .type = NLA_U16 },
	[RTA_DPORT]		= { .type = NLA_U16 },
	[RTA_NH_ID]		= { .type = NLA_U32 },
};

int ipv6_rs_parse_rtmsg(const struct nlmsghdr *nlh, struct nlattr **tb,
			struct netlink_ext_ack *extack)
{
	return nlmsg_parse_deprecated(nlh, sizeof(struct rtmsg), tb, RTA_MAX,
				      ipv6_rs_rtm_policy, extack);
}

int ipv6_rs_parse_rtmsg_strict(const struct nlmsghdr *nlh, struct nlattr **tb,
			       struct netlink_ext_ack *extack)
{
	return nlmsg_parse_deprecated_strict(nlh, sizeof(struct rtmsg), tb, RTA_MAX,
					     ipv6_rs_rtm_policy, extack);
}

bool ipv6_rs_strict_get_check(struct sk_buff *skb)
{
	return netlink_strict_get_check(skb);
}

int ipv6_rs_rtnl_unicast(struct sk_buff *skb, struct net *net, u32 portid)
{
	return rtnl_unicast(skb, net, portid);
}

int ipv6_rs_route_metrics(struct nlattr *mx, int len, u32 *metrics,
			  struct netlink_ext_ack *extack)
{
	struct dst_metrics *m = ip_fib_metrics_init(mx, len, extack);

	if (IS_ERR(m))
		return PTR_ERR(m);
	memcpy(metrics, m->metrics, sizeof(m->metrics));
	ip_fib_metrics_put(m);
	return 0;
}

bool ipv6_rs_dev_carrier_ok(const struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

void ipv6_rs_route_notify(struct sk_buff *skb, struct net *net, u32 portid,
			  const struct nlmsghdr *nlh)
{
	rtnl_notify(skb, net, portid, RTNLGRP_IPV6_ROUTE, (struct nlmsghdr *)nlh,
		    GFP_ATOMIC);
}

/* --- router discovery */

static struct sk_buff_head ipv6_rs_ra_queue;
static void (*ipv6_rs_ra_fn)(struct sk_buff *skb);

static void ipv6_rs_ra_run(struct work_struct *w)
{
	struct sk_buff *skb;

	rtnl_lock();
	while ((skb = skb_dequeue(&ipv6_rs_ra_queue))) {
		struct net_device *dev = skb->dev;

		ipv6_rs_ra_fn(skb);
		dev_put(dev);
	}
	rtnl_unlock();
}

static DECLARE_WORK(ipv6_rs_ra_work, ipv6_rs_ra_run);

void ipv6_rs_ra_init(void (*fn)(struct sk_buff *skb))
{
	skb_queue_head_init(&ipv6_rs_ra_queue);
	ipv6_rs_ra_fn = fn;
}

bool ipv6_rs_ra_enqueue(struct sk_buff *skb)
{
	if (skb_queue_len_lockless(&ipv6_rs_ra_queue) >= IPV6_RS_RA_BACKLOG)
		return false;
	dev_hold(skb->dev);
	skb_queue_tail(&ipv6_rs_ra_queue, skb);
	queue_work(system_wq, &ipv6_rs_ra_work);
	return true;
}

void ipv6_rs_ra_exit(void)
{
	struct sk_buff *skb;

	cancel_work_sync(&ipv6_rs_ra_work);
	while ((skb = skb_dequeue(&ipv6_rs_ra_queue))) {
		dev_put(skb->dev);
		kfree_skb_reason(skb, SKB_DROP_REASON_QUEUE_PURGE);
	}
}

static void (*ipv6_rs_rs_fn)(struct inet6_dev *idev);

void ipv6_rs_rs_init(void (*fn)(struct inet6_dev *idev))
{
	ipv6_rs_rs_fn = fn;
}

/* addrconf_rs_timer(): the timer holds a reference on idev while armed. */
static void ipv6_rs_rs_timer(struct timer_list *t)
{
	struct inet6_dev *idev = from_timer(idev, t, rs_timer);

	ipv6_rs_rs_fn(idev);
	in6_dev_put(idev);
}

void ipv6_rs_rs_state(struct inet6_dev *idev, struct ipv6_rs_rs_state *st)
{
	read_lock_bh(&idev->lock);
	st->live = !idev->dead && (idev->if_flags & IF_READY);
	st->if_flags = idev->if_flags;
	st->accept_ra = READ_ONCE(idev->cnf.accept_ra);
	st->forwarding = READ_ONCE(idev->cnf.forwarding);
	st->probes = idev->rs_probes;
	st->interval = idev->rs_interval;
	st->rtr_solicits = READ_ONCE(idev->cnf.rtr_solicits);
	st->rtr_solicit_interval = READ_ONCE(idev->cnf.rtr_solicit_interval);
	st->rtr_solicit_max_interval = READ_ONCE(idev->cnf.rtr_solicit_max_interval);
	st->rtr_solicit_delay = READ_ONCE(idev->cnf.rtr_solicit_delay);
	read_unlock_bh(&idev->lock);
}

void ipv6_rs_rs_sent(struct inet6_dev *idev, int probes, int interval, u32 set_flags,
		     unsigned long delay)
{
	write_lock_bh(&idev->lock);
	if (!idev->dead && (idev->if_flags & IF_READY)) {
		idev->rs_probes = probes;
		idev->rs_interval = interval;
		idev->if_flags |= set_flags;
		if (!mod_timer(&idev->rs_timer, jiffies + delay))
			in6_dev_hold(idev);
	}
	write_unlock_bh(&idev->lock);
}

void ipv6_rs_rs_stop(struct inet6_dev *idev)
{
	write_lock_bh(&idev->lock);
	idev->if_flags &= ~(IF_RS_SENT | IF_RA_RCVD);
	write_unlock_bh(&idev->lock);
	/* The device is down (IF_READY clear), so a running callback does not re-arm. */
	if (timer_delete_sync(&idev->rs_timer))
		__in6_dev_put(idev);
}

struct net_device *ipv6_rs_idev_dev(const struct inet6_dev *idev)
{
	return idev->dev;
}

void ipv6_rs_idev_set_hop_limit(struct inet6_dev *idev, int hop_limit)
{
	WRITE_ONCE(idev->cnf.hop_limit, hop_limit);
}

void ipv6_rs_idev_set_mtu6(struct inet6_dev *idev, int mtu)
{
	WRITE_ONCE(idev->cnf.mtu6, mtu);
}

bool ipv6_rs_idev_set_ra_mtu(struct inet6_dev *idev, u32 mtu)
{
	if (READ_ONCE(idev->ra_mtu) == mtu)
		return false;
	WRITE_ONCE(idev->ra_mtu, mtu);
	return true;
}

void ipv6_rs_idev_set_retrans(struct inet6_dev *idev, unsigned long jiffies_val)
{
	NEIGH_VAR_SET(idev->nd_parms, RETRANS_TIME, jiffies_val);
	idev->tstamp = jiffies;
}

bool ipv6_rs_idev_set_reachable(struct inet6_dev *idev, unsigned long jiffies_val)
{
	if (jiffies_val == NEIGH_VAR(idev->nd_parms, BASE_REACHABLE_TIME))
		return false;
	NEIGH_VAR_SET(idev->nd_parms, BASE_REACHABLE_TIME, jiffies_val);
	NEIGH_VAR_SET(idev->nd_parms, GC_STALETIME, 3 * jiffies_val);
	idev->nd_parms->reachable_time = neigh_rand_reach_time(jiffies_val);
	idev->tstamp = jiffies;
	return true;
}

void ipv6_rs_neigh_set_router(struct neighbour *n)
{
	write_lock_bh(&n->lock);
	n->flags |= NTF_ROUTER;
	write_unlock_bh(&n->lock);
}

/* inet6_prefix_notify() and inet6_fill_prefix(). */
void ipv6_rs_prefix_notify(struct net_device *dev, const u8 *opt)
{
	const struct prefix_info *pinfo = (const struct prefix_info *)opt;
	size_t size = NLMSG_ALIGN(sizeof(struct prefixmsg)) +
		      nla_total_size(sizeof(struct in6_addr)) +
		      nla_total_size(sizeof(struct prefix_cacheinfo));
	struct prefix_cacheinfo ci;
	struct net *net = dev_net(dev);
	struct prefixmsg *pmsg;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = nlmsg_new(size, GFP_KERNEL);
	if (!skb) {
		rtnl_set_sk_err(net, RTNLGRP_IPV6_PREFIX, -ENOBUFS);
		return;
	}
	nlh = nlmsg_put(skb, 0, 0, RTM_NEWPREFIX, sizeof(*pmsg), 0);
	if (!nlh)
		goto fail;
	pmsg = nlmsg_data(nlh);
	pmsg->prefix_family = AF_INET6;
	pmsg->prefix_pad1 = 0;
	pmsg->prefix_pad2 = 0;
	pmsg->prefix_ifindex = dev->ifindex;
	pmsg->prefix_len = pinfo->prefix_len;
	pmsg->prefix_type = pinfo->type;
	pmsg->prefix_pad3 = 0;
	pmsg->prefix_flags = pinfo->flags;
	if (nla_put(skb, PREFIX_ADDRESS, sizeof(pinfo->prefix), &pinfo->prefix))
		goto fail;
	ci.preferred_time = ntohl(pinfo->prefered);
	ci.valid_time = ntohl(pinfo->valid);
	if (nla_put(skb, PREFIX_CACHEINFO, sizeof(ci), &ci))
		goto fail;
	nlmsg_end(skb, nlh);
	rtnl_notify(skb, net, 0, RTNLGRP_IPV6_PREFIX, NULL, GFP_KERNEL);
	return;
fail:
	/* The size is computed for the message: a bug, as mainline says. */
	WARN_ON(1);
	kfree_skb(skb);
}

/* --- policy routing */

static const struct ipv6_rs_fib6_rule_fns *ipv6_rs_rule_fns;

void ipv6_rs_fib6_rules_init(const struct ipv6_rs_fib6_rule_fns *fns)
{
	ipv6_rs_rule_fns = fns;
}

static void ipv6_rs_rule_sel(const struct fib_rule *rule, struct ipv6_rs_rule_sel *sel)
{
	const struct ipv6_rs_fib6_rule *r = (const struct ipv6_rs_fib6_rule *)rule;

	sel->dst = r->dst.addr;
	sel->dst_len = r->dst.plen;
	sel->src = r->src.addr;
	sel->src_len = r->src.plen;
	sel->dscp = inet_dscp_to_dsfield(r->dscp);
	sel->ip_proto = rule->ip_proto;
	sel->sport_lo = sel->sport_hi = sel->dport_lo = sel->dport_hi = 0;
	if (fib_rule_port_range_set(&rule->sport_range)) {
		sel->sport_lo = rule->sport_range.start;
		sel->sport_hi = rule->sport_range.end;
	}
	if (fib_rule_port_range_set(&rule->dport_range)) {
		sel->dport_lo = rule->dport_range.start;
		sel->dport_hi = rule->dport_range.end;
	}
	sel->find_saddr = rule->flags & FIB_RULE_FIND_SADDR;
}

/* Runs for every rule a lookup passes: only what the match reads is converted. */
static int ipv6_rs_fib6_rule_match(struct fib_rule *rule, struct flowi *fl, int flags)
{
	const struct ipv6_rs_fib6_rule *r = (const struct ipv6_rs_fib6_rule *)rule;
	const struct flowi6 *fl6 = &fl->u.ip6;
	struct ipv6_rs_flow f = {
		.daddr = fl6->daddr,
		.saddr = fl6->saddr,
		.proto = fl6->flowi6_proto,
		.tos = inet_dscp_to_dsfield(ip6_dscp(fl6->flowlabel)),
		.sport = ntohs(fl6->fl6_sport),
		.dport = ntohs(fl6->fl6_dport),
	};

	return ipv6_rs_rule_fns->match(&r->sel, &f, flags & RT6_LOOKUP_F_HAS_SADDR);
}

static int ipv6_rs_fib6_rule_action(struct fib_rule *rule, struct flowi *flp, int flags,
				    struct fib_lookup_arg *arg)
{
	const struct ipv6_rs_fib6_rule *r = (const struct ipv6_rs_fib6_rule *)rule;

	return ipv6_rs_rule_fns->action((void *)arg->lookup_data, rule->action,
					fib_rule_get_table(rule, arg), flags, &r->sel);
}

static bool ipv6_rs_fib6_rule_suppress(struct fib_rule *rule, int flags,
				       struct fib_lookup_arg *arg)
{
	return ipv6_rs_rule_fns->suppress((void *)arg->lookup_data, rule->suppress_prefixlen,
					  rule->suppress_ifgroup);
}

/* fib6_rule_configure(), fib6_nl2rule_dscp(): netlink to rule, with mainline's checks.
 * Tables are made on first use by the FIB, so none is made here. */
static int ipv6_rs_fib6_rule_configure(struct fib_rule *rule, struct sk_buff *skb,
				       struct fib_rule_hdr *frh, struct nlattr **tb,
				       struct netlink_ext_ack *extack)
{
	struct ipv6_rs_fib6_rule *rule6 = (struct ipv6_rs_fib6_rule *)rule;
	struct net *net = rule->fr_net;

	if (!inet_validate_dscp(frh->tos)) {
		NL_SET_ERR_MSG(extack, "Invalid dsfield (tos): ECN bits must be 0");
		return -EINVAL;
	}
	rule6->dscp = inet_dsfield_to_dscp(frh->tos);
	if (tb[FRA_DSCP]) {
		if (rule6->dscp) {
			NL_SET_ERR_MSG(extack, "Cannot specify both TOS and DSCP");
			return -EINVAL;
		}
		rule6->dscp = inet_dsfield_to_dscp(nla_get_u8(tb[FRA_DSCP]) << 2);
		rule6->dscp_full = true;
	}
	if (rule->action == FR_ACT_TO_TBL && !rule->l3mdev &&
	    rule->table == RT6_TABLE_UNSPEC) {
		NL_SET_ERR_MSG(extack, "Invalid table");
		return -EINVAL;
	}
	if (frh->src_len)
		rule6->src.addr = nla_get_in6_addr(tb[FRA_SRC]);
	if (frh->dst_len)
		rule6->dst.addr = nla_get_in6_addr(tb[FRA_DST]);
	rule6->src.plen = frh->src_len;
	rule6->dst.plen = frh->dst_len;
	/* The rule core parsed its own selectors first; rules it adds by itself (the
	 * defaults) have none, and their zeroed sel matches everything. */
	ipv6_rs_rule_sel(rule, &rule6->sel);
	if (fib_rule_requires_fldissect(rule))
		net->ipv6.fib6_rules_require_fldissect++;
	net->ipv6.fib6_has_custom_rules = true;
	return 0;
}

static int ipv6_rs_fib6_rule_delete(struct fib_rule *rule)
{
	struct net *net = rule->fr_net;

	if (net->ipv6.fib6_rules_require_fldissect && fib_rule_requires_fldissect(rule))
		net->ipv6.fib6_rules_require_fldissect--;
	return 0;
}

static int ipv6_rs_fib6_rule_compare(struct fib_rule *rule, struct fib_rule_hdr *frh,
				     struct nlattr **tb)
{
	struct ipv6_rs_fib6_rule *rule6 = (struct ipv6_rs_fib6_rule *)rule;

	if (frh->src_len && rule6->src.plen != frh->src_len)
		return 0;
	if (frh->dst_len && rule6->dst.plen != frh->dst_len)
		return 0;
	if (frh->tos && (rule6->dscp_full || inet_dscp_to_dsfield(rule6->dscp) != frh->tos))
		return 0;
	if (tb[FRA_DSCP]) {
		dscp_t dscp = inet_dsfield_to_dscp(nla_get_u8(tb[FRA_DSCP]) << 2);

		if (!rule6->dscp_full || rule6->dscp != dscp)
			return 0;
	}
	if (frh->src_len && nla_memcmp(tb[FRA_SRC], &rule6->src.addr, sizeof(struct in6_addr)))
		return 0;
	if (frh->dst_len && nla_memcmp(tb[FRA_DST], &rule6->dst.addr, sizeof(struct in6_addr)))
		return 0;
	return 1;
}

static int ipv6_rs_fib6_rule_fill(struct fib_rule *rule, struct sk_buff *skb,
				  struct fib_rule_hdr *frh)
{
	struct ipv6_rs_fib6_rule *rule6 = (struct ipv6_rs_fib6_rule *)rule;

	frh->dst_len = rule6->dst.plen;
	frh->src_len = rule6->src.plen;
	if (rule6->dscp_full) {
		frh->tos = 0;
		if (nla_put_u8(skb, FRA_DSCP, inet_dscp_to_dsfield(rule6->dscp) >> 2))
			return -ENOBUFS;
	} else {
		frh->tos = inet_dscp_to_dsfield(rule6->dscp);
	}
	if ((rule6->dst.plen && nla_put_in6_addr(skb, FRA_DST, &rule6->dst.addr)) ||
	    (rule6->src.plen && nla_put_in6_addr(skb, FRA_SRC, &rule6->src.addr)))
		return -ENOBUFS;
	return 0;
}

static size_t ipv6_rs_fib6_rule_nlmsg_payload(struct fib_rule *rule)
{
	return nla_total_size(16) + nla_total_size(16) + nla_total_size(1);
}

static void ipv6_rs_fib6_rules_flush_cache(struct fib_rules_ops *ops)
{
	ipv6_rs_routes_changed(ops->fro_net);
}

static const struct fib_rules_ops ipv6_rs_fib6_rules_ops_template = {
	.family		= AF_INET6,
	.rule_size	= sizeof(struct ipv6_rs_fib6_rule),
	.addr_size	= sizeof(struct in6_addr),
	.action		= ipv6_rs_fib6_rule_action,
	.match		= ipv6_rs_fib6_rule_match,
	.suppress	= ipv6_rs_fib6_rule_suppress,
	.configure	= ipv6_rs_fib6_rule_configure,
	.delete		= ipv6_rs_fib6_rule_delete,
	.compare	= ipv6_rs_fib6_rule_compare,
	.fill		= ipv6_rs_fib6_rule_fill,
	.nlmsg_payload	= ipv6_rs_fib6_rule_nlmsg_payload,
	/* Our lookups read the tables; only the dsts handed out (route.c) go stale. */
	.flush_cache	= ipv6_rs_fib6_rules_flush_cache,
	.nlgroup	= RTNLGRP_IPV6_RULE,
	.owner		= THIS_MODULE,
	.fro_net	= &init_net,
};

int ipv6_rs_fib6_rules_net_init(struct net *net)
{
	struct fib_rules_ops *ops;
	int err;

	ops = fib_rules_register(&ipv6_rs_fib6_rules_ops_template, net);
	if (IS_ERR(ops))
		return PTR_ERR(ops);
	err = fib_default_rule_add(ops, 0, RT6_TABLE_LOCAL);
	if (!err)
		err = fib_default_rule_add(ops, 0x7FFE, RT6_TABLE_MAIN);
	if (err) {
		fib_rules_unregister(ops);
		return err;
	}
	net->ipv6.fib6_rules_ops = ops;
	net->ipv6.fib6_rules_require_fldissect = 0;
	net->ipv6.fib6_has_custom_rules = false;
	return 0;
}

void ipv6_rs_fib6_rules_net_exit(struct net *net)
{
	if (!net->ipv6.fib6_rules_ops)
		return;
	fib_rules_unregister(net->ipv6.fib6_rules_ops);
	net->ipv6.fib6_rules_ops = NULL;
}

bool ipv6_rs_fib6_has_custom_rules(const struct net *net)
{
	return READ_ONCE(net->ipv6.fib6_has_custom_rules);
}

int ipv6_rs_fib6_rules_lookup(struct net *net, const struct ipv6_rs_flow *f, int flags,
			      void *data)
{
	struct fib_lookup_arg arg = {
		.lookup_data = data,
		.flags = FIB_LOOKUP_NOREF,
	};
	struct flowi6 fl6 = {
		.daddr = f->daddr,
		.saddr = f->saddr,
		.flowi6_oif = f->oif,
		.flowi6_iif = f->iif,
		.flowi6_mark = f->mark,
		.flowi6_uid = make_kuid(&init_user_ns, f->uid),
		.flowi6_proto = f->proto,
		.flowlabel = ip6_make_flowinfo(f->tos, 0),
		.fl6_sport = htons(f->sport),
		.fl6_dport = htons(f->dport),
	};
	struct fib_rules_ops *ops = READ_ONCE(net->ipv6.fib6_rules_ops);
	int err;

	if (!ops)
		return -ESRCH;
	rcu_read_lock();
	err = fib_rules_lookup(ops, flowi6_to_flowi(&fl6), flags, &arg);
	rcu_read_unlock();
	return err;
}

int ipv6_rs_dev_group(struct net *net, int ifindex)
{
	struct net_device *dev = dev_get_by_index_rcu(net, ifindex);

	return dev ? READ_ONCE(dev->group) : -1;
}

void ipv6_rs_sk_flow_keys(const struct sock *sk, u32 *mark, u32 *uid, u8 *proto, u16 *sport)
{
	*mark = READ_ONCE(sk->sk_mark);
	*uid = from_kuid_munged(&init_user_ns, sk->sk_uid);
	*proto = sk->sk_protocol;
	/* fl6_sport: the transport's source port (ping's ident is not one). */
	*sport = sk->sk_protocol == IPPROTO_UDP ? ntohs(inet_sk(sk)->inet_sport) : 0;
}

u32 ipv6_rs_current_uid(void)
{
	return from_kuid_munged(&init_user_ns, current_uid());
}

int ipv6_rs_parse_ip_proto(struct nlattr *attr, u8 *proto, struct netlink_ext_ack *extack)
{
	return rtm_getroute_parse_ip_proto(attr, proto, AF_INET6, extack);
}

/* --- forwarding */

bool ipv6_rs_skb_too_big(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb->len <= mtu)
		return false;
	/* IPv6 conntrack defrag sets max_frag_size and ignore_df. */
	if (IP6CB(skb)->frag_max_size && IP6CB(skb)->frag_max_size > mtu)
		return true;
	if (skb->ignore_df)
		return false;
	if (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu))
		return false;
	return true;
}

int ipv6_rs_forward_prepare(struct sk_buff *skb, struct net_device *out)
{
	skb_forward_csum(skb);
	if (skb_cow(skb, out->hard_header_len))
		return -ENOMEM;
	ipv6_hdr(skb)->hop_limit--;
	skb->dev = out;
	skb_clear_tstamp(skb);
	return 0;
}

u32 ipv6_rs_skb_mark(const struct sk_buff *skb)
{
	return skb->mark;
}

bool ipv6_rs_net_forwarding(const struct net *net)
{
	return READ_ONCE(net->ipv6.devconf_all->forwarding);
}

/* ip6_multipath_hash_policy(), ip6_multipath_hash_fields() */
u8 ipv6_rs_mp_hash_policy(const struct net *net)
{
	return READ_ONCE(net->ipv6.sysctl.multipath_hash_policy);
}

u32 ipv6_rs_mp_hash_fields(const struct net *net)
{
	return READ_ONCE(net->ipv6.sysctl.multipath_hash_fields);
}

/* --- address labels */

static const struct nla_policy ipv6_rs_ifal_policy[IFAL_MAX + 1] = {
	[IFAL_ADDRESS]		= { .len = sizeof(struct in6_addr), },
	[IFAL_LABEL]		= { .len = sizeof(u32), },
};

int ipv6_rs_parse_ifal(const struct nlmsghdr *nlh, struct nlattr **tb,
		       struct netlink_ext_ack *extack)
{
	return nlmsg_parse_deprecated(nlh, sizeof(struct ifaddrlblmsg), tb, IFAL_MAX,
				      ipv6_rs_ifal_policy, extack);
}

int ipv6_rs_parse_ifal_strict(const struct nlmsghdr *nlh, struct nlattr **tb,
			      struct netlink_ext_ack *extack)
{
	return nlmsg_parse_deprecated_strict(nlh, sizeof(struct ifaddrlblmsg), tb, IFAL_MAX,
					     ipv6_rs_ifal_policy, extack);
}


/* --- multicast listener discovery: a device's groups are the kernel's ifmcaddr6 in
 * idev->mc_list (deleted ones, still to be reported, in idev->mc_tomb), changed under
 * idev->mc_lock and read under RCU, as mainline's mcast.c keeps them; a socket's
 * memberships are the kernel's ipv6_mc_socklist in np->ipv6_mc_list. The works run on
 * our own workqueue, drained at unload.
 */

int ipv6_rs_mld_qrv_sysctl(void)
{
	return READ_ONCE(ipv6_rs_mld_qrv);
}

static struct workqueue_struct *ipv6_rs_mld_wq;
static void (*ipv6_rs_mld_dev_fn)(struct inet6_dev *idev, int which);
static void (*ipv6_rs_mld_mca_fn)(struct ifmcaddr6 *mc);
static void (*ipv6_rs_mld_rx_fn)(struct inet6_dev *idev, struct sk_buff *skb, bool query);

int ipv6_rs_mld_init(void (*dev_fn)(struct inet6_dev *idev, int which),
		     void (*mca_fn)(struct ifmcaddr6 *mc),
		     void (*rx_fn)(struct inet6_dev *idev, struct sk_buff *skb, bool query))
{
	ipv6_rs_mld_dev_fn = dev_fn;
	ipv6_rs_mld_mca_fn = mca_fn;
	ipv6_rs_mld_rx_fn = rx_fn;
	ipv6_rs_mld_wq = alloc_workqueue("ipv6_rs_mld", WQ_UNBOUND, 0);
	return ipv6_rs_mld_wq ? 0 : -ENOMEM;
}

void ipv6_rs_mld_exit(void)
{
	destroy_workqueue(ipv6_rs_mld_wq);
}

static struct delayed_work *ipv6_rs_mld_dwork(struct inet6_dev *idev, int which)
{
	switch (which) {
	case IPV6_RS_MLD_IFC:
		return &idev->mc_ifc_work;
	case IPV6_RS_MLD_GQ:
		return &idev->mc_gq_work;
	default:
		return &idev->mc_dad_work;
	}
}

static void ipv6_rs_mld_dev_run(struct inet6_dev *idev, int which)
{
	mutex_lock(&idev->mc_lock);
	ipv6_rs_mld_dev_fn(idev, which);
	mutex_unlock(&idev->mc_lock);
	in6_dev_put(idev);
}

static void ipv6_rs_mld_ifc_work(struct work_struct *w)
{
	ipv6_rs_mld_dev_run(container_of(to_delayed_work(w), struct inet6_dev, mc_ifc_work),
			    IPV6_RS_MLD_IFC);
}

static void ipv6_rs_mld_gq_work(struct work_struct *w)
{
	ipv6_rs_mld_dev_run(container_of(to_delayed_work(w), struct inet6_dev, mc_gq_work),
			    IPV6_RS_MLD_GQ);
}

static void ipv6_rs_mld_dad_work(struct work_struct *w)
{
	ipv6_rs_mld_dev_run(container_of(to_delayed_work(w), struct inet6_dev, mc_dad_work),
			    IPV6_RS_MLD_DAD);
}

/* mld_query_work(), mld_report_work(): up to MLD_MAX_QUEUE (8) messages per run. */
static void ipv6_rs_mld_rx_run(struct inet6_dev *idev, bool query)
{
	struct sk_buff_head *q = query ? &idev->mc_query_queue : &idev->mc_report_queue;
	spinlock_t *lock = query ? &idev->mc_query_lock : &idev->mc_report_lock;
	struct delayed_work *dw = query ? &idev->mc_query_work : &idev->mc_report_work;
	struct sk_buff_head list;
	struct sk_buff *skb;
	bool rework;
	int cnt = 0;

	__skb_queue_head_init(&list);
	spin_lock_bh(lock);
	while (cnt < 8 && (skb = __skb_dequeue(q))) {
		__skb_queue_tail(&list, skb);
		cnt++;
	}
	rework = !skb_queue_empty(q);
	spin_unlock_bh(lock);

	mutex_lock(&idev->mc_lock);
	while ((skb = __skb_dequeue(&list)))
		ipv6_rs_mld_rx_fn(idev, skb, query);
	mutex_unlock(&idev->mc_lock);

	if (rework && queue_delayed_work(ipv6_rs_mld_wq, dw, 0))
		return;
	in6_dev_put(idev);
}

static void ipv6_rs_mld_query_work(struct work_struct *w)
{
	ipv6_rs_mld_rx_run(container_of(to_delayed_work(w), struct inet6_dev, mc_query_work), true);
}

static void ipv6_rs_mld_report_work(struct work_struct *w)
{
	ipv6_rs_mld_rx_run(container_of(to_delayed_work(w), struct inet6_dev, mc_report_work),
			   false);
}

/* ipv6_mc_init_dev(), less ipv6_mc_reset() (the caller's). */
void ipv6_rs_mld_dev_init(struct inet6_dev *idev)
{
	idev->mc_gq_running = 0;
	INIT_DELAYED_WORK(&idev->mc_gq_work, ipv6_rs_mld_gq_work);
	RCU_INIT_POINTER(idev->mc_tomb, NULL);
	idev->mc_ifc_count = 0;
	INIT_DELAYED_WORK(&idev->mc_ifc_work, ipv6_rs_mld_ifc_work);
	INIT_DELAYED_WORK(&idev->mc_dad_work, ipv6_rs_mld_dad_work);
	INIT_DELAYED_WORK(&idev->mc_query_work, ipv6_rs_mld_query_work);
	INIT_DELAYED_WORK(&idev->mc_report_work, ipv6_rs_mld_report_work);
	skb_queue_head_init(&idev->mc_query_queue);
	skb_queue_head_init(&idev->mc_report_queue);
	spin_lock_init(&idev->mc_query_lock);
	spin_lock_init(&idev->mc_report_lock);
	mutex_init(&idev->mc_lock);
}

void ipv6_rs_in6_dev_hold(struct inet6_dev *idev)
{
	in6_dev_hold(idev);
}

void ipv6_rs_in6_dev_put(struct inet6_dev *idev)
{
	in6_dev_put(idev);
}

void ipv6_rs_mc_lock(struct inet6_dev *idev)
{
	mutex_lock(&idev->mc_lock);
}

void ipv6_rs_mc_unlock(struct inet6_dev *idev)
{
	mutex_unlock(&idev->mc_lock);
}

/* mld_*_start_work() after the delay is chosen: the work holds idev while queued. */
void ipv6_rs_mld_work_start(struct inet6_dev *idev, int which, unsigned long delay)
{
	lockdep_assert_held(&idev->mc_lock);
	if (in6_dev_hold_safe(idev)) {
		if (mod_delayed_work(ipv6_rs_mld_wq, ipv6_rs_mld_dwork(idev, which), delay))
			in6_dev_put(idev);
	}
}

void ipv6_rs_mld_work_stop(struct inet6_dev *idev, int which)
{
	if (cancel_delayed_work(ipv6_rs_mld_dwork(idev, which)))
		__in6_dev_put(idev);
}

/* igmp6_event_query(), igmp6_event_report(): queued for the work, which takes the
 * device's lock; the packet is consumed either way.
 */
void ipv6_rs_mld_enqueue(struct sk_buff *skb, bool query)
{
	struct inet6_dev *idev = __in6_dev_get(skb->dev);
	struct sk_buff_head *q;
	struct delayed_work *dw;
	spinlock_t *lock;

	if (!idev || READ_ONCE(idev->dead))
		goto out;
	q = query ? &idev->mc_query_queue : &idev->mc_report_queue;
	lock = query ? &idev->mc_query_lock : &idev->mc_report_lock;
	dw = query ? &idev->mc_query_work : &idev->mc_report_work;
	spin_lock_bh(lock);
	if (skb_queue_len(q) < 32) {	/* MLD_MAX_SKBS */
		__skb_queue_tail(q, skb);
		if (!mod_delayed_work(ipv6_rs_mld_wq, dw, 0))
			in6_dev_hold(idev);
		skb = NULL;
	}
	spin_unlock_bh(lock);
out:
	kfree_skb(skb);
}

/* mld_query_stop_work(), mld_report_stop_work(), mld_clear_query/report(). */
void ipv6_rs_mld_rx_stop(struct inet6_dev *idev, bool purge)
{
	spin_lock_bh(&idev->mc_query_lock);
	if (cancel_delayed_work(&idev->mc_query_work))
		__in6_dev_put(idev);
	if (purge)
		__skb_queue_purge(&idev->mc_query_queue);
	spin_unlock_bh(&idev->mc_query_lock);
	spin_lock_bh(&idev->mc_report_lock);
	if (cancel_delayed_work(&idev->mc_report_work))
		__in6_dev_put(idev);
	if (purge)
		__skb_queue_purge(&idev->mc_report_queue);
	spin_unlock_bh(&idev->mc_report_lock);
}

static void ipv6_rs_mca_work(struct work_struct *w)
{
	struct ifmcaddr6 *mc = container_of(to_delayed_work(w), struct ifmcaddr6, mca_work);

	mutex_lock(&mc->idev->mc_lock);
	ipv6_rs_mld_mca_fn(mc);
	mutex_unlock(&mc->idev->mc_lock);
	ipv6_rs_mca_put(mc);
}

/* mca_alloc() and its listing at the head of the device's groups, or of its deleted
 * ones (mld_add_delrec()); the entry holds idev.
 */
struct ifmcaddr6 *ipv6_rs_mca_add(struct inet6_dev *idev, const struct in6_addr *addr,
				  u32 flags, u8 crcount, bool tomb)
{
	struct ifmcaddr6 __rcu **list = tomb ? &idev->mc_tomb : &idev->mc_list;
	struct ifmcaddr6 *mc;

	lockdep_assert_held(&idev->mc_lock);
	mc = kzalloc(sizeof(*mc), GFP_KERNEL);
	if (!mc)
		return NULL;
	INIT_DELAYED_WORK(&mc->mca_work, ipv6_rs_mca_work);
	mc->mca_addr = *addr;
	mc->idev = idev;
	in6_dev_hold(idev);
	mc->mca_users = tomb ? 0 : 1;
	mc->mca_cstamp = mc->mca_tstamp = jiffies;
	refcount_set(&mc->mca_refcnt, 1);
	mc->mca_sfmode = MCAST_EXCLUDE;
	mc->mca_sfcount[MCAST_EXCLUDE] = tomb ? 0 : 1;
	mc->mca_flags = flags;
	mc->mca_crcount = crcount;
	rcu_assign_pointer(mc->next, rcu_dereference_protected(*list,
				lockdep_is_held(&idev->mc_lock)));
	rcu_assign_pointer(*list, mc);
	return mc;
}

/* Takes mc off the device's groups (or deleted ones); the caller puts it. */
void ipv6_rs_mca_unlink(struct inet6_dev *idev, struct ifmcaddr6 *mc, bool tomb)
{
	struct ifmcaddr6 __rcu **map = tomb ? &idev->mc_tomb : &idev->mc_list;
	struct ifmcaddr6 *ma;

	lockdep_assert_held(&idev->mc_lock);
	for (; (ma = rcu_dereference_protected(*map, lockdep_is_held(&idev->mc_lock)));
	     map = &ma->next) {
		if (ma == mc) {
			rcu_assign_pointer(*map, rcu_dereference_protected(mc->next,
						lockdep_is_held(&idev->mc_lock)));
			return;
		}
	}
}

/* ma_put(). */
void ipv6_rs_mca_put(struct ifmcaddr6 *mc)
{
	if (refcount_dec_and_test(&mc->mca_refcnt)) {
		in6_dev_put(mc->idev);
		kfree_rcu(mc, rcu);
	}
}

struct ifmcaddr6 *ipv6_rs_mca_first(struct inet6_dev *idev, bool tomb)
{
	if (tomb)
		return rcu_dereference_check(idev->mc_tomb, lockdep_is_held(&idev->mc_lock));
	return rcu_dereference_check(idev->mc_list, lockdep_is_held(&idev->mc_lock));
}

struct ifmcaddr6 *ipv6_rs_mca_next(struct ifmcaddr6 *mc)
{
	return rcu_dereference_check(mc->next, lockdep_is_held(&mc->idev->mc_lock));
}

/* The group's report work, holding the entry while queued. */
void ipv6_rs_mca_timer_start(struct ifmcaddr6 *mc, unsigned long delay)
{
	if (!mod_delayed_work(ipv6_rs_mld_wq, &mc->mca_work, delay))
		refcount_inc(&mc->mca_refcnt);
}

/* Cancels the group's pending report: the jiffies it had left, or -1 if none. */
long ipv6_rs_mca_timer_cancel(struct ifmcaddr6 *mc)
{
	long left;

	if (!cancel_delayed_work(&mc->mca_work))
		return -1;
	refcount_dec(&mc->mca_refcnt);
	left = (long)(mc->mca_work.timer.expires - jiffies);
	return left < 0 ? 0 : left;
}

/* /proc/net/igmp6's last column. */
long ipv6_rs_mca_timer_clock(const struct ifmcaddr6 *mc)
{
	return (mc->mca_flags & MAF_TIMER_RUNNING) ?
		jiffies_to_clock_t(mc->mca_work.timer.expires - jiffies) : 0;
}

/* A socket's memberships (np->ipv6_mc_list), changed under the socket's lock and
 * RTNL, read under RCU; charged to the socket's option memory as mainline's.
 */
struct ipv6_mc_socklist *ipv6_rs_sk_mc_alloc(struct sock *sk)
{
	return sock_kmalloc(sk, sizeof(struct ipv6_mc_socklist), GFP_KERNEL);
}

void ipv6_rs_sk_mc_free(struct sock *sk, struct ipv6_mc_socklist *mc)
{
	sock_kfree_s(sk, mc, sizeof(*mc));
}

void ipv6_rs_sk_mc_link(struct sock *sk, struct ipv6_mc_socklist *mc, int ifindex,
			const struct in6_addr *addr, unsigned int sfmode)
{
	struct ipv6_pinfo *np = inet6_sk(sk);

	mc->ifindex = ifindex;
	mc->addr = *addr;
	mc->sfmode = sfmode;
	RCU_INIT_POINTER(mc->sflist, NULL);
	mc->next = np->ipv6_mc_list;
	rcu_assign_pointer(np->ipv6_mc_list, mc);
}

/* The first membership of addr on ifindex (any interface if 0), taken off the
 * socket's list; NULL if none.
 */
struct ipv6_mc_socklist *ipv6_rs_sk_mc_unlink(struct sock *sk, int ifindex,
					      const struct in6_addr *addr, bool any)
{
	struct ipv6_pinfo *np = inet6_sk(sk);
	struct ipv6_mc_socklist __rcu **lnk;
	struct ipv6_mc_socklist *mc;

	for (lnk = &np->ipv6_mc_list; (mc = rcu_dereference_protected(*lnk, 1));
	     lnk = &mc->next) {
		if (any || ((ifindex == 0 || mc->ifindex == ifindex) &&
			    ipv6_addr_equal(&mc->addr, addr))) {
			*lnk = mc->next;
			return mc;
		}
	}
	return NULL;
}

void ipv6_rs_sk_mc_release(struct sock *sk, struct ipv6_mc_socklist *mc)
{
	atomic_sub(sizeof(*mc), &sk->sk_omem_alloc);
	kfree_rcu(mc, rcu);
}

struct ipv6_mc_socklist *ipv6_rs_sk_mc_first(const struct sock *sk)
{
	return rcu_dereference_check(inet6_sk(sk)->ipv6_mc_list, 1);
}

struct ipv6_mc_socklist *ipv6_rs_sk_mc_next(const struct ipv6_mc_socklist *mc)
{
	return rcu_dereference_check(mc->next, 1);
}

/* --- MLD source filters: a group's sources (mca_sources) and deleted sources still
 * to report (mca_tomb) are the kernel's ip6_sf_list chains, changed under the
 * device's mc_lock and read under RCU; a socket's filter on a membership is the
 * kernel's ip6_sf_socklist in ipv6_mc_socklist.sflist, charged to the socket.
 */

int ipv6_rs_mld_max_msf_sysctl(void)
{
	return READ_ONCE(ipv6_rs_mld_max_msf);
}

int ipv6_rs_optmem_max(const struct sock *sk)
{
	return READ_ONCE(sock_net(sk)->core.sysctl_optmem_max);
}

static struct ip6_sf_list __rcu **ipv6_rs_psf_head(struct ifmcaddr6 *mc, bool tomb)
{
	return tomb ? &mc->mca_tomb : &mc->mca_sources;
}

struct ip6_sf_list *ipv6_rs_psf_first(struct ifmcaddr6 *mc, bool tomb)
{
	return rcu_dereference_check(*ipv6_rs_psf_head(mc, tomb),
				     lockdep_is_held(&mc->idev->mc_lock));
}

struct ip6_sf_list *ipv6_rs_psf_next(struct ifmcaddr6 *mc, struct ip6_sf_list *psf)
{
	return rcu_dereference_check(psf->sf_next, lockdep_is_held(&mc->idev->mc_lock));
}

/* A new source after prev (at the head if NULL), its fields copied from init. */
struct ip6_sf_list *ipv6_rs_psf_insert(struct ifmcaddr6 *mc, bool tomb,
				       struct ip6_sf_list *prev,
				       const struct ip6_sf_list *init)
{
	struct ip6_sf_list __rcu **head = ipv6_rs_psf_head(mc, tomb);
	struct ip6_sf_list *psf;

	lockdep_assert_held(&mc->idev->mc_lock);
	psf = kzalloc(sizeof(*psf), GFP_KERNEL);
	if (!psf)
		return NULL;
	psf->sf_addr = init->sf_addr;
	psf->sf_count[0] = init->sf_count[0];
	psf->sf_count[1] = init->sf_count[1];
	psf->sf_gsresp = init->sf_gsresp;
	psf->sf_oldin = init->sf_oldin;
	psf->sf_crcount = init->sf_crcount;
	if (prev) {
		RCU_INIT_POINTER(psf->sf_next, rcu_dereference_protected(prev->sf_next,
					lockdep_is_held(&mc->idev->mc_lock)));
		rcu_assign_pointer(prev->sf_next, psf);
	} else {
		RCU_INIT_POINTER(psf->sf_next, rcu_dereference_protected(*head,
					lockdep_is_held(&mc->idev->mc_lock)));
		rcu_assign_pointer(*head, psf);
	}
	return psf;
}

/* Takes psf (after prev, or the head) off its chain; freed after RCU readers. */
void ipv6_rs_psf_remove(struct ifmcaddr6 *mc, bool tomb, struct ip6_sf_list *prev,
			struct ip6_sf_list *psf)
{
	struct ip6_sf_list *next;

	lockdep_assert_held(&mc->idev->mc_lock);
	next = rcu_dereference_protected(psf->sf_next, lockdep_is_held(&mc->idev->mc_lock));
	if (prev)
		rcu_assign_pointer(prev->sf_next, next);
	else
		rcu_assign_pointer(*ipv6_rs_psf_head(mc, tomb), next);
	kfree_rcu(psf, rcu);
}

/* ip6_mc_clear_src(). */
void ipv6_rs_mca_clear_src(struct ifmcaddr6 *pmc)
{
	struct ip6_sf_list *psf, *nextpsf;

	lockdep_assert_held(&pmc->idev->mc_lock);
	for (psf = rcu_dereference_protected(pmc->mca_tomb, 1); psf; psf = nextpsf) {
		nextpsf = rcu_dereference_protected(psf->sf_next, 1);
		kfree_rcu(psf, rcu);
	}
	RCU_INIT_POINTER(pmc->mca_tomb, NULL);
	for (psf = rcu_dereference_protected(pmc->mca_sources, 1); psf; psf = nextpsf) {
		nextpsf = rcu_dereference_protected(psf->sf_next, 1);
		kfree_rcu(psf, rcu);
	}
	RCU_INIT_POINTER(pmc->mca_sources, NULL);
	pmc->mca_sfmode = MCAST_EXCLUDE;
	pmc->mca_sfcount[MCAST_INCLUDE] = 0;
	pmc->mca_sfcount[MCAST_EXCLUDE] = 1;
}

/* Exchanges the source chains of a and b (mld_add_delrec(), mld_del_delrec()). */
void ipv6_rs_mca_swap_src(struct ifmcaddr6 *a, struct ifmcaddr6 *b)
{
	struct ip6_sf_list *s, *t;

	lockdep_assert_held(&a->idev->mc_lock);
	s = rcu_dereference_protected(a->mca_sources, 1);
	t = rcu_dereference_protected(a->mca_tomb, 1);
	rcu_assign_pointer(a->mca_sources, rcu_dereference_protected(b->mca_sources, 1));
	rcu_assign_pointer(a->mca_tomb, rcu_dereference_protected(b->mca_tomb, 1));
	rcu_assign_pointer(b->mca_sources, s);
	rcu_assign_pointer(b->mca_tomb, t);
}

struct ip6_sf_socklist *ipv6_rs_sk_sfl_alloc(struct sock *sk, unsigned int n)
{
	struct ip6_sf_socklist *psl;

	psl = sock_kmalloc(sk, struct_size(psl, sl_addr, n), GFP_KERNEL);
	if (psl)
		psl->sl_max = psl->sl_count = n;
	return psl;
}

void ipv6_rs_sk_sfl_free(struct sock *sk, struct ip6_sf_socklist *psl)
{
	sock_kfree_s(sk, psl, struct_size(psl, sl_addr, psl->sl_max));
}

void ipv6_rs_sk_sfl_charge(struct sock *sk, const struct ip6_sf_socklist *psl, bool add)
{
	if (add)
		atomic_add(struct_size(psl, sl_addr, psl->sl_max), &sk->sk_omem_alloc);
	else
		atomic_sub(struct_size(psl, sl_addr, psl->sl_max), &sk->sk_omem_alloc);
}

/* Installs psl (or none) as the membership's filter; the old one goes after RCU. */
void ipv6_rs_sk_sfl_set(struct ipv6_mc_socklist *mc, struct ip6_sf_socklist *psl)
{
	struct ip6_sf_socklist *old = rcu_dereference_protected(mc->sflist, 1);

	rcu_assign_pointer(mc->sflist, psl);
	if (old)
		kfree_rcu(old, rcu);
}

struct ip6_sf_socklist *ipv6_rs_sk_sfl_get(const struct ipv6_mc_socklist *mc)
{
	return rcu_dereference_check(mc->sflist, 1);
}

struct in6_addr *ipv6_rs_sfl_addrs(struct ip6_sf_socklist *psl)
{
	return psl->sl_addr;
}

struct sock *ipv6_rs_skb_sk(const struct sk_buff *skb)
{
	return skb->sk;
}

/* inet6_set_iftoken(): the interface identifier half of idev->token. */
void ipv6_rs_idev_set_token(struct inet6_dev *idev, const u8 *iid)
{
	ASSERT_RTNL();
	write_lock_bh(&idev->lock);
	memcpy(idev->token.s6_addr + 8, iid, 8);
	write_unlock_bh(&idev->lock);
}

/* inet6_set_iftoken(): addresses made from the old token expire now. */
void ipv6_rs_idev_expire_tokenized(struct inet6_dev *idev)
{
	struct inet6_ifaddr *ifp;

	ASSERT_RTNL();
	write_lock_bh(&idev->lock);
	list_for_each_entry(ifp, &idev->addr_list, if_list) {
		spin_lock(&ifp->lock);
		if (ifp->tokenized) {
			ifp->valid_lft = 0;
			ifp->prefered_lft = 0;
		}
		spin_unlock(&ifp->lock);
	}
	write_unlock_bh(&idev->lock);
}

void ipv6_rs_ifa_set_tokenized(struct inet6_ifaddr *ifa, bool tokenized)
{
	spin_lock_bh(&ifa->lock);
	ifa->tokenized = tokenized;
	spin_unlock_bh(&ifa->lock);
}

/*
 * add_v4_addrs()'s walk, under RTNL: the IPv4 addresses of every device of net that is
 * up, in mainline's order, as fn(ctx, device, address, scope); scope RT_SCOPE_*.
 */
void ipv6_rs_walk_v4_addrs(struct net *net,
			   void (*fn)(void *ctx, int ifindex, __be32 addr, u8 scope), void *ctx)
{
	struct net_device *dev;

	ASSERT_RTNL();
	for_each_netdev(net, dev) {
		struct in_device *in_dev = __in_dev_get_rtnl(dev);
		struct in_ifaddr *ifa;

		if (!in_dev || !(dev->flags & IFF_UP))
			continue;
		in_dev_for_each_ifa_rtnl(ifa, in_dev)
			fn(ctx, dev->ifindex, ifa->ifa_local, ifa->ifa_scope);
	}
}
