// SPDX-License-Identifier: GPL-2.0
/*
 * Nexthop objects (`ip nexthop`, net/ipv4/nexthop.c) for IPv6: the ipv6_stub
 * operations the kernel's nexthop code calls to make and free the struct fib6_nh of an
 * IPv6 nexthop and to tell the routes using one about its changes, the anchors that
 * put our routes on an object's list of users, and the reads of an object our routes
 * resolve at lookup and dump time. What is valid, and what a change does to our
 * routes, is decided on the Rust side (rust/net/nexthop.rs, rust/ipv6/nexthop.rs); this file fills and
 * frees the kernel's structures.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/ip_fib.h>
#include <net/ip6_fib.h>
#include <net/ipv6_stubs.h>
#include <net/neighbour.h>
#include <net/netlink.h>
#include <net/nexthop.h>

#include "ipv6_rs_helpers.h"

static const struct ipv6_rs_nh_ops *ipv6_rs_nh_ops;
static struct ipv6_stub ipv6_rs_stub;
static const struct ipv6_stub *ipv6_rs_saved_stub;

/*
 * fib6_nh_init(): the request is checked on the Rust side (as for a route's next hop),
 * then the fib6_nh gets a tracked reference on its device, as mainline's does. Each
 * initialised fib6_nh holds a reference on this module: nexthop objects outlive any
 * request, and their release comes through ipv6_stub, which must stay ours until then.
 * fib_nh_family is set last and marks a fib6_nh that holds one.
 */
static int ipv6_rs_fib6_nh_init(struct net *net, struct fib6_nh *nh, struct fib6_config *cfg,
				gfp_t gfp, struct netlink_ext_ack *extack)
{
	struct ipv6_rs_nh_req req = {
		.ifindex = cfg->fc_ifindex,
		.table = cfg->fc_table,
		.flags = cfg->fc_flags,
		.gateway = cfg->fc_gateway,
	};
	struct net_device *dev;
	int err;

#ifdef CONFIG_IPV6_ROUTER_PREF
	nh->last_probe = jiffies;
#endif
	if (cfg->fc_is_fdb) {
		nh->fib_nh_gw6 = cfg->fc_gateway;
		nh->fib_nh_gw_family = AF_INET6;
		goto held;
	}
	if (cfg->fc_encap) {
		NL_SET_ERR_MSG(extack, "ipv6_rs: lightweight tunnel encapsulation is not supported");
		return -EOPNOTSUPP;
	}
	err = ipv6_rs_nh_ops->validate(net, &req, extack);
	if (err)
		return err;
	dev = netdev_get_by_index(net, req.dev, &nh->fib_nh_dev_tracker, gfp);
	if (!dev)
		return -ENODEV;
	if (cfg->fc_flags & RTNH_F_ONLINK)
		nh->fib_nh_flags |= RTNH_F_ONLINK;
	nh->fib_nh_weight = 1;
	if ((cfg->fc_flags & (RTF_GATEWAY | RTF_REJECT)) == RTF_GATEWAY) {
		nh->fib_nh_gw6 = cfg->fc_gateway;
		nh->fib_nh_gw_family = AF_INET6;
	}
	if (!(cfg->fc_flags & (RTF_LOCAL | RTF_ANYCAST | RTF_REJECT)) && !netif_carrier_ok(dev))
		nh->fib_nh_flags |= RTNH_F_LINKDOWN;
	err = fib_nh_common_init(net, &nh->nh_common, NULL, 0, cfg, gfp, extack);
	if (err) {
		netdev_put(dev, &nh->fib_nh_dev_tracker);
		return err;
	}
	nh->fib_nh_dev = dev;
	nh->fib_nh_oif = dev->ifindex;
held:
	__module_get(THIS_MODULE);
	nh->fib_nh_family = AF_INET6;
	return 0;
}

/* fib6_nh_release(): also called after a failed init. We keep no dsts or exceptions in
 * the fib6_nh (ours live in our tables, which the anchors keep in step). */
static void ipv6_rs_fib6_nh_release(struct fib6_nh *nh)
{
	bool held = nh->fib_nh_family == AF_INET6;

	fib_nh_common_release(&nh->nh_common);
	nh->nh_common.nhc_pcpu_rth_output = NULL;
	nh->fib_nh_dev = NULL;
	if (held) {
		nh->fib_nh_family = 0;
		module_put(THIS_MODULE);
	}
}

static void ipv6_rs_fib6_nh_release_dsts(struct fib6_nh *nh)
{
}

/*
 * An anchor is a struct fib6_info of ours, zeroed but for its reference count and its
 * nexthop, on the f6i_list of an object our routes use: one per object, however many
 * routes. The nexthop code walks that list under RTNL and calls the three operations
 * below on each entry, which act on all our routes with the object's id. Nothing else
 * of the fib6_info is read (fib6_check_nh_list() reads its source prefix: none).
 */
struct fib6_info *ipv6_rs_nh_anchor_new(struct net *net, u32 id)
{
	struct fib6_info *f6i;
	struct nexthop *nh;

	ASSERT_RTNL();
	nh = nexthop_find_by_id(net, id);
	if (!nh)
		return NULL;
	f6i = kzalloc(sizeof(*f6i), GFP_ATOMIC);
	if (!f6i)
		return NULL;
	refcount_set(&f6i->fib6_ref, 1);
	f6i->nh = nh;
	list_add(&f6i->nh_list, &nh->f6i_list);
	return f6i;
}

void ipv6_rs_nh_anchor_free(struct fib6_info *f6i)
{
	ASSERT_RTNL();
	list_del(&f6i->nh_list);
	kfree_rcu(f6i, rcu);
}

/* The object being deleted, out of the kernel's tree by now: the announcements of its
 * routes still show it, as mainline's do through rt->nh. Set under RTNL. */
static struct nexthop *ipv6_rs_dying_nh;

/* Object id of net, for reading under RCU or RTNL. */
static struct nexthop *ipv6_rs_nh_find(struct net *net, u32 id)
{
	struct nexthop *nh = nexthop_find_by_id(net, id);
	struct nexthop *dying;

	if (nh)
		return nh;
	dying = READ_ONCE(ipv6_rs_dying_nh);
	if (dying && dying->id == id && net_eq(dying->net, net))
		return dying;
	return NULL;
}

/* __remove_nexthop_fib(): the object goes, and the routes using it (announced unless
 * skip_notify); the kernel took a reference on the anchor for us to drop. */
static int ipv6_rs_ip6_del_rt(struct net *net, struct fib6_info *f6i, bool skip_notify)
{
	refcount_dec(&f6i->fib6_ref);
	WRITE_ONCE(ipv6_rs_dying_nh, f6i->nh);
	ipv6_rs_nh_ops->del_routes(net, f6i->nh->id, !skip_notify);
	WRITE_ONCE(ipv6_rs_dying_nh, NULL);
	return 0;
}

/* nexthop_replace_notify(): the object's paths changed; the routes using it are
 * announced again, as replaced, echoing the request. */
static void ipv6_rs_fib6_rt_update(struct net *net, struct fib6_info *f6i, struct nl_info *info)
{
	ipv6_rs_nh_ops->announce(net, f6i->nh->id, info->portid, info->nlh);
}

/* nh_rt_cache_flush(): what was learned on the object's old paths goes. */
static void ipv6_rs_fib6_update_sernum(struct net *net, struct fib6_info *f6i)
{
	ipv6_rs_nh_ops->flush(net, f6i->nh->id);
	ipv6_rs_routes_changed(net);
}

void ipv6_rs_stub_install(const struct ipv6_rs_nh_ops *ops, struct neigh_table *nd_tbl)
{
	ASSERT_RTNL();
	ipv6_rs_nh_ops = ops;
	ipv6_rs_saved_stub = ipv6_stub;
	ipv6_rs_stub = *ipv6_stub;
	ipv6_rs_stub.fib6_nh_init = ipv6_rs_fib6_nh_init;
	ipv6_rs_stub.fib6_nh_release = ipv6_rs_fib6_nh_release;
	ipv6_rs_stub.fib6_nh_release_dsts = ipv6_rs_fib6_nh_release_dsts;
	ipv6_rs_stub.fib6_update_sernum = ipv6_rs_fib6_update_sernum;
	ipv6_rs_stub.ip6_del_rt = ipv6_rs_ip6_del_rt;
	ipv6_rs_stub.fib6_rt_update = ipv6_rs_fib6_rt_update;
	ipv6_rs_stub.nd_tbl = nd_tbl;
	WRITE_ONCE(ipv6_stub, &ipv6_rs_stub);
}

void ipv6_rs_stub_remove(void)
{
	ASSERT_RTNL();
	WRITE_ONCE(ipv6_stub, ipv6_rs_saved_stub);
}

/* ip6_route_info_create()'s checks of a route's nexthop id; its first path's device in
 * *dev (for the preferred source check). Under RTNL. */
int ipv6_rs_nh_check(struct net *net, u32 id, u32 *dev, struct netlink_ext_ack *extack)
{
	struct fib6_nh *nh6;
	struct nexthop *nh;
	int err;

	nh = nexthop_find_by_id(net, id);
	if (!nh) {
		NL_SET_ERR_MSG(extack, "Nexthop id does not exist");
		return -EINVAL;
	}
	err = fib6_check_nexthop(nh, NULL, extack);
	if (err)
		return err;
	nh6 = nexthop_fib6_nh(nh);
	*dev = nh6 && nh6->fib_nh_dev ? nh6->fib_nh_dev->ifindex : 0;
	return 0;
}

static void ipv6_rs_nh_path_of(const struct fib6_nh *nh6, struct ipv6_rs_nh_path *p)
{
	p->ifindex = nh6->fib_nh_dev ? nh6->fib_nh_dev->ifindex : 0;
	p->has_gw = nh6->fib_nh_gw_family == AF_INET6;
	p->gw = nh6->fib_nh_gw6;
	p->flags = nh6->fib_nh_flags;
}

struct ipv6_rs_nh_dev_arg {
	u32 oif;
	struct ipv6_rs_nh_path *p;
};

static int ipv6_rs_nh_dev_match(struct fib6_nh *nh6, void *arg)
{
	struct ipv6_rs_nh_dev_arg *a = arg;

	if (!nh6->fib_nh_dev || nh6->fib_nh_dev->ifindex != a->oif)
		return 0;
	if (a->p)
		ipv6_rs_nh_path_of(nh6, a->p);
	return 1;
}

/*
 * The path of nexthop object id a lookup takes (fib6_select_path() for a route with a
 * nexthop): with oif, the first path through it (rt6_nh_find_match()), if any; else the
 * one the flow's hash picks in a group (the first with a negative hash). -ENOENT if the object, or a usable IPv6 path, is
 * gone. With p NULL, only whether there is one.
 */
int ipv6_rs_nh_path(struct net *net, u32 id, int hash, u32 oif, struct ipv6_rs_nh_path *p)
{
	struct ipv6_rs_nh_dev_arg arg = { .oif = oif, .p = p };
	struct fib6_nh *nh6;
	struct nexthop *nh;
	int err = -ENOENT;

	rcu_read_lock();
	nh = nexthop_find_by_id(net, id);
	if (!nh)
		goto out;
	if (oif) {
		if (nexthop_for_each_fib6_nh(nh, ipv6_rs_nh_dev_match, &arg))
			err = 0;
		goto out;
	}
	/* A negative hash: the first path (fib6_info_nh_dev()). */
	if (hash >= 0)
		nh = nexthop_select_path(nh, hash);
	if (!nh)
		goto out;
	nh6 = nexthop_fib6_nh(nh);
	if (!nh6)
		goto out;
	if (p) {
		ipv6_rs_nh_path_of(nh6, p);
		p->blackhole = nexthop_is_blackhole(nh);
	}
	err = 0;
out:
	rcu_read_unlock();
	return err;
}

/* What rt6_fill_node() puts in the header of a route with nexthop object id: its type
 * if the object is a blackhole, and the flags of a single path. -ENOENT if it is gone. */
int ipv6_rs_nh_hdr(struct net *net, u32 id, u8 *type, u8 *flags)
{
	struct nexthop *nh;
	int err = -ENOENT;

	rcu_read_lock();
	nh = ipv6_rs_nh_find(net, id);
	if (nh) {
		if (nexthop_is_blackhole(nh))
			*type = RTN_BLACKHOLE;
		if (READ_ONCE(net->ipv4.sysctl_nexthop_compat_mode) && !nexthop_is_multipath(nh)) {
			struct fib6_nh *nh6 = nexthop_fib6_nh(nh);
			/* fib_nexthop_info()'s flags. */
			if (nh6) {
				*flags |= nh6->fib_nh_flags &
					  (RTNH_F_DEAD | RTNH_F_LINKDOWN | RTNH_F_ONLINK |
					   RTNH_F_OFFLOAD | RTNH_F_TRAP);
				if (nh6->fib_nh_flags & RTNH_F_LINKDOWN && nh6->fib_nh_dev &&
				    ip6_ignore_linkdown(nh6->fib_nh_dev))
					*flags |= RTNH_F_DEAD;
			}
		}
		err = 0;
	}
	rcu_read_unlock();
	return err;
}

/* rt6_fill_node() for a route with nexthop object id: RTA_NH_ID and, in
 * net.ipv4.nexthop_compat_mode, the object's paths as a route's (RTA_GATEWAY and
 * RTA_OIF, or RTA_MULTIPATH). */
int ipv6_rs_nh_fill(struct sk_buff *skb, struct net *net, u32 id)
{
	struct nexthop *nh;
	unsigned char flags = 0;
	int err = 0;

	if (nla_put_u32(skb, RTA_NH_ID, id))
		return -EMSGSIZE;
	if (!READ_ONCE(net->ipv4.sysctl_nexthop_compat_mode))
		return 0;
	rcu_read_lock();
	nh = ipv6_rs_nh_find(net, id);
	if (!nh)
		goto out;
	if (nexthop_is_multipath(nh)) {
		struct nlattr *mp = nla_nest_start_noflag(skb, RTA_MULTIPATH);

		if (!mp || nexthop_mpath_fill_node(skb, nh, AF_INET6)) {
			err = -EMSGSIZE;
			goto out;
		}
		nla_nest_end(skb, mp);
	} else {
		struct fib6_nh *nh6 = nexthop_fib6_nh(nh);

		if (nh6 && fib_nexthop_info(skb, &nh6->nh_common, AF_INET6, &flags, false) < 0)
			err = -EMSGSIZE;
	}
out:
	rcu_read_unlock();
	return err;
}

/* The paths of nexthop object id (1 for a single one, 0 if it is gone): a route
 * message's size grows with them. */
u32 ipv6_rs_nh_num_paths(struct net *net, u32 id)
{
	struct nexthop *nh;
	u32 n = 0;

	rcu_read_lock();
	nh = ipv6_rs_nh_find(net, id);
	if (nh)
		n = nexthop_num_path(nh);
	rcu_read_unlock();
	return n;
}

