// SPDX-License-Identifier: GPL-2.0
/*
 * The routes ipv6_rs hands to the kernel's other modules: real `struct rt6_info`s
 * (mainline's route.c dst side) behind the exported ip6_route_output_flags(),
 * rt6_lookup(), ip6_update_pmtu() and ip6_redirect().
 *
 * ipv6_rs routes its own packets without dsts: the Rust FIB answers each lookup. A
 * module that asks for a route (a tunnel caching its outer route in a dst_cache,
 * netfilter rerouting a packet) gets a fresh rt6_info made from that answer: its device,
 * next hop, prefix, flags and MTU (route metric or PMTU exception), stamped with the
 * namespace's route serial number (net->ipv6.fib6_sernum), which every change to the
 * tables, the exceptions or the rules moves on. dst_check() compares the two, so a
 * cached route is looked up again after any change, where mainline compares the serial
 * number of the route's tree node. Packets sent through it (dst_output(), from
 * ip6_local_out()) go out through ipv6_rs's own output: fragmentation, multicast loop,
 * neighbour resolution.
 *
 * Every such dst is on one list, as mainline's uncached routes are: when a device goes
 * away, those still held through it (in someone's cache) let go of it and of its
 * inet6_dev (dst_dev_put(): they turn to the blackhole device and drop what is sent),
 * so the device is never kept from unregistering.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/dst.h>
#include <net/gso.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "ipv6_rs_helpers.h"

/* Defined by route.c in mainline; ours, as the dsts' uncached_list. */
struct uncached_list {
	spinlock_t lock;
	struct list_head head;
};

static struct uncached_list ipv6_rs_rt_list = {
	.lock = __SPIN_LOCK_UNLOCKED(ipv6_rs_rt_list.lock),
	.head = LIST_HEAD_INIT(ipv6_rs_rt_list.head),
};

static struct kmem_cache *ipv6_rs_rt_cache;
/* What every failed lookup without a dst of its own answers (mainline's null entry). */
static struct rt6_info *ipv6_rs_null_entry;

/*
 * Something in the namespace's routing changed (fib6_new_sernum()): every dst made
 * before is stale. Also what the kernel's rt_genid_bump_ipv6() calls (xfrm policies,
 * for instance), through __fib6_flush_trees.
 */
void ipv6_rs_routes_changed(struct net *net)
{
	int new, old = atomic_read(&net->ipv6.fib6_sernum);

	do {
		new = old < INT_MAX ? old + 1 : 1;
	} while (!atomic_try_cmpxchg(&net->ipv6.fib6_sernum, &old, new));
}

/* A held dst is valid while nothing in the namespace's routing changed since it was made. */
static struct dst_entry *ipv6_rs_dst_check(struct dst_entry *dst, u32 cookie)
{
	struct rt6_info *rt = dst_rt6_info(dst);

	if (READ_ONCE(dst->obsolete) == DST_OBSOLETE_DEAD)
		return NULL;
	if (rt->sernum != atomic_read(&dev_net(dst->dev)->ipv6.fib6_sernum) ||
	    (u32)rt->sernum != cookie)
		return NULL;
	return dst;
}

/* ip6_default_advmss(). */
static unsigned int ipv6_rs_default_advmss(const struct dst_entry *dst)
{
	unsigned int mtu = dst_mtu(dst) - sizeof(struct ipv6hdr) - sizeof(struct tcphdr);
	unsigned int min;

	rcu_read_lock();
	min = READ_ONCE(dev_net_rcu(dst->dev)->ipv6.sysctl.ip6_rt_min_advmss);
	rcu_read_unlock();
	if (mtu < min)
		mtu = min;
	if (mtu > IPV6_MAXPLEN - sizeof(struct tcphdr))
		mtu = IPV6_MAXPLEN;
	return mtu;
}

/* ip6_mtu(): the route's MTU metric, else the device's IPv6 MTU. */
static unsigned int ipv6_rs_dst_mtu(const struct dst_entry *dst)
{
	return ip6_dst_mtu_maybe_forward(dst, false);
}

static void ipv6_rs_rt_list_del(struct rt6_info *rt)
{
	if (!list_empty(&rt->dst.rt_uncached)) {
		spin_lock_bh(&ipv6_rs_rt_list.lock);
		list_del_init(&rt->dst.rt_uncached);
		spin_unlock_bh(&ipv6_rs_rt_list.lock);
	}
}

/* ip6_dst_destroy(). */
static void ipv6_rs_dst_destroy(struct dst_entry *dst)
{
	struct rt6_info *rt = dst_rt6_info(dst);
	struct inet6_dev *idev = rt->rt6i_idev;

	ipv6_rs_rt_list_del(rt);
	dst_destroy_metrics_generic(dst);
	if (idev) {
		rt->rt6i_idev = NULL;
		in6_dev_put(idev);
	}
}

/* ip6_dst_ifdown() through dst_dev_put(): the device's inet6_dev goes too. */
static void ipv6_rs_dst_ifdown(struct dst_entry *dst, struct net_device *dev)
{
	struct rt6_info *rt = dst_rt6_info(dst);
	struct inet6_dev *idev = rt->rt6i_idev;

	if (idev && idev->dev == dev) {
		WRITE_ONCE(rt->rt6i_idev, NULL);
		in6_dev_put(idev);
	}
}

/* ip6_negative_advice() for a route that is no exception clone: the socket forgets it. */
static void ipv6_rs_negative_advice(struct sock *sk, struct dst_entry *dst)
{
	sk_dst_reset(sk);
}

/* ip6_link_failure(): the sender hears that the address is unreachable. */
static void ipv6_rs_link_failure(struct sk_buff *skb)
{
	icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH, 0);
}

/*
 * __ip6_rt_update_pmtu(): a smaller MTU for the packet from saddr to daddr, recorded
 * as a PMTU exception of its route. No "mtu lock" check: IPv6 PMTU discovery is not
 * optional (mainline's comment). The handler checks the MTU against the path too; the
 * check here keeps tunnels, which call this for every packet, off the lookup.
 */
static void ipv6_rs_rt_update_pmtu(struct dst_entry *dst, const struct in6_addr *daddr,
				   const struct in6_addr *saddr, u32 mark, u32 mtu)
{
	const struct ipv6_rs_export_ops *ops = ipv6_rs_exports();

	if (!ops || mtu < IPV6_MIN_MTU || mtu >= dst_mtu(dst))
		return;
	ops->update_pmtu(dev_net(dst->dev), daddr, saddr, dst->dev->ifindex, mark, mtu);
}

/* ip6_rt_update_pmtu(): the packet's own addresses, else the socket's. */
static void ipv6_rs_update_pmtu(struct dst_entry *dst, struct sock *sk, struct sk_buff *skb,
				u32 mtu, bool confirm_neigh)
{
	if (skb)
		ipv6_rs_rt_update_pmtu(dst, &ipv6_hdr(skb)->daddr, &ipv6_hdr(skb)->saddr,
				       sk ? READ_ONCE(sk->sk_mark) : 0, mtu);
	else if (sk)
		ipv6_rs_rt_update_pmtu(dst, &sk->sk_v6_daddr, &inet6_sk(sk)->saddr,
				       READ_ONCE(sk->sk_mark), mtu);
}

/* rt6_do_redirect(): the redirect at skb's transport header, for the quoted packet. */
static void ipv6_rs_dst_redirect(struct dst_entry *dst, struct sock *sk, struct sk_buff *skb)
{
	const struct ipv6_rs_export_ops *ops = ipv6_rs_exports();

	if (ops)
		ops->redirect(skb, dst->dev->ifindex, sk ? READ_ONCE(sk->sk_mark) : 0);
}

/* ip6_dst_neigh_lookup(): the neighbour of the next hop, created if need be. */
static struct neighbour *ipv6_rs_neigh_lookup(const struct dst_entry *dst, struct sk_buff *skb,
					      const void *daddr)
{
	const struct in6_addr *nh = rt6_nexthop(dst_rt6_info(dst), &in6addr_any);
	struct neighbour *n;

	/* choose_neigh_daddr(). */
	if (!ipv6_addr_any(nh))
		daddr = nh;
	else if (skb)
		daddr = &ipv6_hdr(skb)->daddr;
	n = ipv6_rs_neigh_get(ipv6_stub->nd_tbl, daddr, dst->dev);
	return IS_ERR(n) ? NULL : n;
}

/*
 * One dst_ops for every namespace, where mainline has one per namespace for its garbage
 * collection: our dsts are not counted (DST_NOCOUNT; no cache of ours to collect), and
 * operations in the module outlive any namespace's dst that someone holds a little
 * longer than the namespace.
 */
static struct dst_ops ipv6_rs_dst_ops = {
	.family = AF_INET6,
	.check = ipv6_rs_dst_check,
	.default_advmss = ipv6_rs_default_advmss,
	.mtu = ipv6_rs_dst_mtu,
	.cow_metrics = dst_cow_metrics_generic,
	.destroy = ipv6_rs_dst_destroy,
	.ifdown = ipv6_rs_dst_ifdown,
	.negative_advice = ipv6_rs_negative_advice,
	.link_failure = ipv6_rs_link_failure,
	.update_pmtu = ipv6_rs_update_pmtu,
	.redirect = ipv6_rs_dst_redirect,
	.local_out = __ip6_local_out,
	.neigh_lookup = ipv6_rs_neigh_lookup,
};

/*
 * ip6_output(): a packet routed by one of our dsts, its data at the IPv6 header, goes
 * out through ipv6_rs's output to the route's next hop (its gateway, or the
 * destination itself on the link).
 */
static int ipv6_rs_dst_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	const struct ipv6_rs_export_ops *ops = ipv6_rs_exports();
	struct dst_entry *dst = skb_dst(skb);
	struct in6_addr nexthop;
	struct net_device *dev;
	u32 mtu;

	if (!ops || !dst) {
		kfree_skb(skb);
		return -EINVAL;
	}
	dev = dst->dev;
	skb->protocol = htons(ETH_P_IPV6);
	skb->dev = dev;
	nexthop = *rt6_nexthop(dst_rt6_info(dst), &ipv6_hdr(skb)->daddr);
	mtu = dst_metric_raw(dst, RTAX_MTU);
	if (!skb_is_gso(skb) && skb->len > dst_mtu(dst) && !skb->ignore_df) {
		/* ip6_fragment()'s fail_toobig: a packet not from one of our sockets is
		 * fragmented only if its sender allows it (a tunnel's inner IPv4 without DF). */
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, dst_mtu(dst));
		IP6_INC_STATS(net, ip6_dst_idev(dst), IPSTATS_MIB_FRAGFAILS);
		kfree_skb(skb);
		return -EMSGSIZE;
	}
	if (skb_is_gso(skb) && !skb_gso_validate_network_len(skb, dst_mtu(dst))) {
		/* ip6_finish_output_gso_slowpath_drop(): segments, each fragmented. */
		netdev_features_t features = netif_skb_features(skb);
		struct sk_buff *segs, *next;
		int err = 0;

		segs = skb_gso_segment(skb, features & ~NETIF_F_GSO_MASK);
		if (IS_ERR_OR_NULL(segs)) {
			kfree_skb(skb);
			return -ENOMEM;
		}
		consume_skb(skb);
		skb_list_walk_safe(segs, segs, next) {
			int rc;

			skb_mark_not_on_list(segs);
			rc = ops->dst_output(segs, dev, &nexthop, mtu);
			if (rc && !err)
				err = rc;
		}
		return err;
	}
	return ops->dst_output(skb, dev, &nexthop, mtu);
}

/* ip6_pkt_discard_out() without its ICMP: a dst that carries an error sends nothing. */
static int ipv6_rs_dst_discard_out(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	kfree_skb(skb);
	return 0;
}

static struct rt6_info *ipv6_rs_rt_alloc(struct net_device *dev)
{
	struct rt6_info *rt;

	rt = dst_alloc(&ipv6_rs_dst_ops, dev, DST_OBSOLETE_FORCE_CHK, DST_NOCOUNT);
	if (!rt)
		return NULL;
	/* rt6_info_init(). */
	memset_after(rt, 0, dst);
	INIT_LIST_HEAD(&rt->dst.rt_uncached);
	rt->dst.input = dst_discard;
	rt->dst.output = ipv6_rs_dst_output;
	return rt;
}

/*
 * The dst for a lookup's answer p (a route, or p->error: a reject route's, or no
 * route), made while the routes were at serial number sernum. A new reference; NULL
 * without memory or when p's device is gone.
 */
static struct dst_entry *ipv6_rs_dst_make(struct net *net, const struct ipv6_rs_route *p,
					  int sernum)
{
	struct net_device *dev;
	struct rt6_info *rt;

	/*
	 * Found, made and listed in one RCU section: a device that goes away is unlisted
	 * and synchronize_net() waits for us before its NETDEV_UNREGISTER, which finds the
	 * dst on the list and lets go of the device.
	 */
	rcu_read_lock();
	dev = p->error ? net->loopback_dev : dev_get_by_index_rcu(net, p->ifindex);
	rt = dev ? ipv6_rs_rt_alloc(dev) : NULL;
	if (!rt) {
		rcu_read_unlock();
		return NULL;
	}
	rt->sernum = sernum;
	rt->rt6i_dst.addr = p->dst;
	rt->rt6i_dst.plen = p->dst_len;
	rt->rt6i_flags = p->flags;
	if (p->error) {
		/* ip6_rt_init_dst_reject(). */
		rt->dst.error = p->error;
		rt->dst.output = ipv6_rs_dst_discard_out;
	} else {
		if (p->has_gateway) {
			rt->rt6i_gateway = p->gateway;
			rt->rt6i_flags |= RTF_GATEWAY;
		}
		if (p->mtu)
			dst_metric_set(&rt->dst, RTAX_MTU, p->mtu);
		if (p->hoplimit)
			dst_metric_set(&rt->dst, RTAX_HOPLIMIT, p->hoplimit);
		if (p->advmss)
			dst_metric_set(&rt->dst, RTAX_ADVMSS, p->advmss);
	}
	rt->rt6i_idev = in6_dev_get(dev);
	spin_lock_bh(&ipv6_rs_rt_list.lock);
	list_add_tail(&rt->dst.rt_uncached, &ipv6_rs_rt_list.head);
	rt->dst.rt_uncached_list = &ipv6_rs_rt_list;
	spin_unlock_bh(&ipv6_rs_rt_list.lock);
	rcu_read_unlock();
	return &rt->dst;
}

/* The null entry, held: what a lookup answers that has nothing better. */
static struct dst_entry *ipv6_rs_null_dst(void)
{
	dst_hold(&ipv6_rs_null_entry->dst);
	return &ipv6_rs_null_entry->dst;
}

/*
 * A lookup as fib6_rule_lookup() does it for these exports (strict: only through
 * fl6's oif), its answer as a new dst; never NULL (the null entry without memory).
 */
static struct dst_entry *ipv6_rs_route_lookup(struct net *net, const struct flowi6 *fl6,
					      bool strict)
{
	const struct ipv6_rs_export_ops *ops = ipv6_rs_exports();
	struct ipv6_rs_route p = {};
	struct dst_entry *dst;
	int sernum;

	if (!ops)
		return ipv6_rs_null_dst();
	/* Read before the lookup: a change while it runs makes the dst stale at once. */
	sernum = atomic_read(&net->ipv6.fib6_sernum);
	ops->route_lookup(net, fl6, strict, &p);
	dst = ipv6_rs_dst_make(net, &p, sernum);
	return dst ?: ipv6_rs_null_dst();
}

/*
 * ip6_route_output_flags(): the route for a locally generated packet. Never NULL:
 * without a route, a dst whose error says why (-ENETUNREACH, mainline's null entry;
 * a reject route's errno).
 */
struct dst_entry *ip6_route_output_flags(struct net *net, const struct sock *sk,
					 struct flowi6 *fl6, int flags)
{
	bool strict;

	fl6->flowi6_iif = LOOPBACK_IFINDEX;
	strict = (sk && sk->sk_bound_dev_if) || rt6_need_strict(&fl6->daddr) ||
		 (fl6->flowi6_oif && ipv6_addr_any(&fl6->saddr));
	return ipv6_rs_route_lookup(net, fl6, strict);
}
EXPORT_SYMBOL_GPL(ip6_route_output_flags);

/* rt6_lookup(): the route to daddr (from saddr, through oif), or NULL if none. */
struct rt6_info *rt6_lookup(struct net *net, const struct in6_addr *daddr,
			    const struct in6_addr *saddr, int oif,
			    const struct sk_buff *skb, int strict)
{
	struct flowi6 fl6 = {
		.flowi6_oif = oif,
		.daddr = *daddr,
	};
	struct dst_entry *dst;

	if (saddr)
		fl6.saddr = *saddr;
	dst = ipv6_rs_route_lookup(net, &fl6, strict);
	if (!dst->error)
		return dst_rt6_info(dst);
	dst_release(dst);
	return NULL;
}
EXPORT_SYMBOL(rt6_lookup);

/*
 * ip6_update_pmtu(): a packet too big for the packet at skb->data (a quoted one, in
 * an ICMP error's handler) lowers the MTU of the path from its source to its
 * destination.
 */
void ip6_update_pmtu(struct sk_buff *skb, struct net *net, __be32 mtu, int oif, u32 mark,
		     kuid_t uid)
{
	const struct ipv6_rs_export_ops *ops = ipv6_rs_exports();
	const struct ipv6hdr *iph = (struct ipv6hdr *)skb->data;

	/* The handler looks the path up itself and keeps mainline's checks (no reject or
	 * local route, at least 1280, below the path's MTU): no dst to make for it. */
	if (ops)
		ops->update_pmtu(net, &iph->daddr, &iph->saddr, oif,
				 mark ? mark : IP6_REPLY_MARK(net, skb->mark), ntohl(mtu));
}
EXPORT_SYMBOL_GPL(ip6_update_pmtu);

/*
 * ip6_redirect(): the redirect at skb's transport header (received from the router
 * at its network header's source) applied to the packet quoted at skb->data.
 */
void ip6_redirect(struct sk_buff *skb, struct net *net, int oif, u32 mark, kuid_t uid)
{
	const struct ipv6_rs_export_ops *ops = ipv6_rs_exports();

	if (ops)
		ops->redirect(skb, oif, mark);
}
EXPORT_SYMBOL_GPL(ip6_redirect);

/*
 * A device goes away: the dsts through it still held in someone's cache let go of it
 * and of its inet6_dev, turning to the blackhole device (rt6_uncached_list_flush_dev(),
 * through dst_dev_put(), which also makes them fail dst_check()).
 */
static int ipv6_rs_route_dev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct rt6_info *rt, *next;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	spin_lock_bh(&ipv6_rs_rt_list.lock);
	list_for_each_entry_safe(rt, next, &ipv6_rs_rt_list.head, dst.rt_uncached) {
		if (rt->dst.dev != dev)
			continue;
		list_del_init(&rt->dst.rt_uncached);
		dst_dev_put(&rt->dst);
	}
	spin_unlock_bh(&ipv6_rs_rt_list.lock);
	return NOTIFY_DONE;
}

static struct notifier_block ipv6_rs_route_notifier = {
	.notifier_call = ipv6_rs_route_dev_event,
	/* Before addrconf's handler takes the device's inet6_dev away. */
	.priority = ADDRCONF_NOTIFY_PRIORITY + 1,
};

int ipv6_rs_route_init(void)
{
	struct rt6_info *rt;
	int err;

	ipv6_rs_rt_cache = kmem_cache_create("ip6_dst_cache", sizeof(struct rt6_info), 0,
					     SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
	if (!ipv6_rs_rt_cache)
		return -ENOMEM;
	ipv6_rs_dst_ops.kmem_cachep = ipv6_rs_rt_cache;
	/* The null entry: through the blackhole device, which never goes away. */
	rt = ipv6_rs_rt_alloc(blackhole_netdev);
	if (!rt) {
		err = -ENOMEM;
		goto out_cache;
	}
	rt->dst.error = -ENETUNREACH;
	rt->dst.output = ipv6_rs_dst_discard_out;
	rt->dst.obsolete = DST_OBSOLETE_DEAD;
	rt->rt6i_flags = RTF_REJECT | RTF_NONEXTHOP;
	ipv6_rs_null_entry = rt;
	err = register_netdevice_notifier(&ipv6_rs_route_notifier);
	if (err)
		goto out_null;
	WRITE_ONCE(__fib6_flush_trees, ipv6_rs_routes_changed);
	return 0;
out_null:
	dst_release_immediate(&rt->dst);
out_cache:
	kmem_cache_destroy(ipv6_rs_rt_cache);
	return err;
}

/* At module exit, once no importer is left and every namespace is gone. */
void ipv6_rs_route_exit(void)
{
	WRITE_ONCE(__fib6_flush_trees, NULL);
	unregister_netdevice_notifier(&ipv6_rs_route_notifier);
	dst_release(&ipv6_rs_null_entry->dst);
	/* dst_release() frees after a grace period, through our operations. */
	rcu_barrier();
	kmem_cache_destroy(ipv6_rs_rt_cache);
}
