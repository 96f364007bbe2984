// SPDX-License-Identifier: GPL-2.0
/*
 * ip6tnl devices as mainline's net/ipv6/ip6_tunnel.c makes them: the device, with
 * `struct ip6_tnl` as its private data (the layout the kernel's ip6_tnl_* users
 * read), its IFLA_IPTUN_* attributes, the fallback device ip6tnl0 of each namespace,
 * and the receive handlers that tunnel6's chains call by next header. What a tunnel
 * does (which tunnel a packet belongs to, its capabilities and MTU, encapsulation and
 * decapsulation) is the Rust side's (rust/ipv6/ip6_tunnel.rs), through the operations
 * it installs at module init.
 *
 * The module ip6_tunnel.ko (include/ip6_tunnel_mod.c) turns all of this on and off,
 * so that ip6tnl0 appears in every namespace when it is loaded, as with mainline's
 * ip6_tunnel.ko, and not before.
 */
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/if_tunnel.h>
#include <linux/ip6_tunnel.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/dst_cache.h>
#include <net/dst_metadata.h>
#include <net/gro_cells.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/inet_ecn.h>
#include <net/ip6_tunnel.h>
#include <net/ip_tunnels.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "ipv6_rs_helpers.h"
#include "ipv6_rs_tunnel.h"

static const struct ipv6_rs_tnl_ops *tnl_ops;

void ipv6_rs_tnl_install(const struct ipv6_rs_tnl_ops *ops)
{
	WRITE_ONCE(tnl_ops, ops);
}

/* The fallback device of each namespace, while ip6_tunnel.ko is loaded. */
struct ipv6_rs_tnl_net {
	struct net_device *fb_tnl_dev;
};

static unsigned int tnl_net_id __read_mostly;
static struct rtnl_link_ops ip6_link_ops __read_mostly;
static void tnl_dev_setup(struct net_device *dev);
static int tnl_create2(struct net_device *dev);

struct ip6_tnl *ipv6_rs_tnl(const struct net_device *dev)
{
	return netdev_priv(dev);
}

bool ipv6_rs_is_ip6tnl(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &ip6_link_ops;
}

bool ipv6_rs_tnl_is_fallback(const struct net_device *dev)
{
	struct ipv6_rs_tnl_net *tn = net_generic(dev_net(dev), tnl_net_id);

	return dev == tn->fb_tnl_dev;
}

/*
 * ip6_tnl_link_config()'s device part, under RTNL: the end points as the device's
 * addresses, point-to-point with both capabilities, and (mtu != 0) the MTU and
 * headroom over the lower device of hard header length hh.
 */
void ipv6_rs_tnl_config_dev(struct net_device *dev, bool p2p, u32 mtu, u32 hh)
{
	struct ip6_tnl *t = netdev_priv(dev);

	__dev_addr_set(dev, &t->parms.laddr, sizeof(struct in6_addr));
	memcpy(dev->broadcast, &t->parms.raddr, sizeof(struct in6_addr));
	if (p2p)
		dev->flags |= IFF_POINTOPOINT;
	else
		dev->flags &= ~IFF_POINTOPOINT;
	if (mtu) {
		dev->needed_headroom = ip_tunnel_limit_headroom(hh + t->hlen +
								sizeof(struct ipv6hdr));
		WRITE_ONCE(dev->mtu, mtu);
	}
}

static void tnl_dev_free(struct net_device *dev)
{
	struct ip6_tnl *t = netdev_priv(dev);

	gro_cells_destroy(&t->gro_cells);
	dst_cache_destroy(&t->dst_cache);
}

/* ip6_tnl_dev_init_gen() and ip6_tnl_dev_init(). */
static int tnl_dev_init(struct net_device *dev)
{
	struct ip6_tnl *t = netdev_priv(dev);
	int t_hlen, ret;

	t->dev = dev;
	ret = dst_cache_init(&t->dst_cache, GFP_KERNEL);
	if (ret)
		return ret;
	ret = gro_cells_init(&t->gro_cells, dev);
	if (ret) {
		dst_cache_destroy(&t->dst_cache);
		return ret;
	}
	t->tun_hlen = 0;
	t->hlen = t->encap_hlen + t->tun_hlen;
	t_hlen = t->hlen + sizeof(struct ipv6hdr);
	dev->type = ARPHRD_TUNNEL6;
	dev->mtu = ETH_DATA_LEN - t_hlen;
	if (!(t->parms.flags & IP6_TNL_F_IGN_ENCAP_LIMIT))
		dev->mtu -= 8;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IP6_MAX_MTU - dev->hard_header_len - t_hlen;
	netdev_hold(dev, &t->dev_tracker, GFP_KERNEL);
	netdev_lockdep_set_classes(dev);
	tnl_ops->link_config(dev);
	return 0;
}

/* ip6_tnl_dev_uninit(): out of the namespace's tunnels. */
static void tnl_dev_uninit(struct net_device *dev)
{
	struct ip6_tnl *t = netdev_priv(dev);
	struct ipv6_rs_tnl_net *tn = net_generic(t->net, tnl_net_id);

	tnl_ops->unlink(dev);
	if (dev == tn->fb_tnl_dev)
		tn->fb_tnl_dev = NULL;
	dst_cache_reset(&t->dst_cache);
	netdev_put(dev, &t->dev_tracker);
}

static netdev_tx_t tnl_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	return tnl_ops->xmit(skb, dev);
}

/* ip6_tnl_change_mtu(), ours and (through ip6_tunnel.ko's export) ip6_gre's. */
int ipv6_rs_tnl_change_mtu(struct net_device *dev, int new_mtu)
{
	struct ip6_tnl *tnl = netdev_priv(dev);
	int t_hlen = tnl->hlen + sizeof(struct ipv6hdr);
	u8 proto = READ_ONCE(tnl->parms.proto);

	if (new_mtu < (proto == IPPROTO_IPV6 ? IPV6_MIN_MTU : ETH_MIN_MTU))
		return -EINVAL;
	if (new_mtu > (proto == IPPROTO_IPV6 || proto == 0 ? IP6_MAX_MTU : IP_MAX_MTU) -
			      dev->hard_header_len - t_hlen)
		return -EINVAL;
	WRITE_ONCE(dev->mtu, new_mtu);
	return 0;
}
EXPORT_SYMBOL_GPL(ipv6_rs_tnl_change_mtu);

static int tnl_get_iflink(const struct net_device *dev)
{
	struct ip6_tnl *t = netdev_priv(dev);

	return READ_ONCE(t->parms.link);
}

/* ip6_tnl_create(): a tunnel device made by SIOCADDTUNNEL. */
static struct net_device *tnl_create(struct net *net, const struct __ip6_tnl_parm *p)
{
	struct net_device *dev;
	struct ip6_tnl *t;
	char name[IFNAMSIZ];
	int err;

	if (p->name[0]) {
		if (!dev_valid_name(p->name))
			return ERR_PTR(-E2BIG);
		strscpy(name, p->name, IFNAMSIZ);
	} else {
		strscpy(name, "ip6tnl%d", IFNAMSIZ);
	}
	err = tnl_ops->check(net, p);
	if (err < 0)
		return ERR_PTR(err);
	dev = alloc_netdev(sizeof(*t), name, NET_NAME_UNKNOWN, tnl_dev_setup);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev_net_set(dev, net);
	t = netdev_priv(dev);
	t->parms = *p;
	t->net = dev_net(dev);
	err = tnl_create2(dev);
	if (err < 0) {
		free_netdev(dev);
		return ERR_PTR(err);
	}
	return dev;
}

static void tnl_parm_from_user(struct __ip6_tnl_parm *p, const struct ip6_tnl_parm *u)
{
	memset(p, 0, sizeof(*p));
	p->laddr = u->laddr;
	p->raddr = u->raddr;
	p->flags = u->flags;
	p->hop_limit = u->hop_limit;
	p->encap_limit = u->encap_limit;
	p->flowinfo = u->flowinfo;
	p->link = u->link;
	p->proto = u->proto;
	memcpy(p->name, u->name, sizeof(u->name));
}

static void tnl_parm_to_user(struct ip6_tnl_parm *u, const struct __ip6_tnl_parm *p)
{
	u->laddr = p->laddr;
	u->raddr = p->raddr;
	u->flags = p->flags;
	u->hop_limit = p->hop_limit;
	u->encap_limit = p->encap_limit;
	u->flowinfo = p->flowinfo;
	u->link = p->link;
	u->proto = p->proto;
	memcpy(u->name, p->name, sizeof(u->name));
}

/* ip6_tnl_siocdevprivate(): `ip -6 tunnel` through ip6tnl0 or the tunnel itself. */
static int tnl_siocdevprivate(struct net_device *dev, struct ifreq *ifr, void __user *data,
			      int cmd)
{
	struct ip6_tnl *t = netdev_priv(dev);
	struct net *net = t->net;
	bool fb = ipv6_rs_tnl_is_fallback(dev);
	struct __ip6_tnl_parm p1;
	struct net_device *found;
	struct ip6_tnl_parm p;
	int err;

	switch (cmd) {
	case SIOCGETTUNNEL:
		if (fb) {
			if (copy_from_user(&p, data, sizeof(p)))
				return -EFAULT;
			tnl_parm_from_user(&p1, &p);
			found = tnl_ops->find(net, &p1);
			if (found)
				t = netdev_priv(found);
		} else {
			memset(&p, 0, sizeof(p));
		}
		tnl_parm_to_user(&p, &t->parms);
		return copy_to_user(data, &p, sizeof(p)) ? -EFAULT : 0;
	case SIOCADDTUNNEL:
	case SIOCCHGTUNNEL:
		if (!ns_capable(net->user_ns, CAP_NET_ADMIN))
			return -EPERM;
		if (copy_from_user(&p, data, sizeof(p)))
			return -EFAULT;
		if (p.proto != IPPROTO_IPV6 && p.proto != IPPROTO_IPIP && p.proto != 0)
			return -EINVAL;
		tnl_parm_from_user(&p1, &p);
		found = tnl_ops->find(net, &p1);
		if (cmd == SIOCADDTUNNEL) {
			if (found)
				return -EEXIST;
			found = tnl_create(net, &p1);
			if (IS_ERR(found))
				return PTR_ERR(found);
		} else {
			if (found && found != dev)
				return -EEXIST;
			found = dev;
			if (fb) {
				/* ip6_tnl0_update(): only the protocol of ip6tnl0 changes. */
				WRITE_ONCE(t->parms.proto, p1.proto);
				netdev_state_change(dev);
			} else {
				err = tnl_ops->change(dev, &p1);
				if (err < 0)
					return err;
			}
		}
		t = netdev_priv(found);
		tnl_parm_to_user(&p, &t->parms);
		return copy_to_user(data, &p, sizeof(p)) ? -EFAULT : 0;
	case SIOCDELTUNNEL:
		if (!ns_capable(net->user_ns, CAP_NET_ADMIN))
			return -EPERM;
		if (fb) {
			if (copy_from_user(&p, data, sizeof(p)))
				return -EFAULT;
			tnl_parm_from_user(&p1, &p);
			found = tnl_ops->find(net, &p1);
			if (!found)
				return -ENOENT;
			if (ipv6_rs_tnl_is_fallback(found))
				return -EPERM;
			dev = found;
		}
		unregister_netdevice(dev);
		return 0;
	default:
		return -EINVAL;
	}
}

static const struct net_device_ops tnl_netdev_ops = {
	.ndo_init = tnl_dev_init,
	.ndo_uninit = tnl_dev_uninit,
	.ndo_start_xmit = tnl_start_xmit,
	.ndo_siocdevprivate = tnl_siocdevprivate,
	.ndo_change_mtu = ipv6_rs_tnl_change_mtu,
	.ndo_get_stats64 = dev_get_tstats64,
	.ndo_get_iflink = tnl_get_iflink,
};

/*
 * ip6_tnl_dev_setup(). Mainline offers scatter-gather, checksum and GSO offloads
 * (IPXIPX_FEATURES) and segments after encapsulation; here the stack hands the tunnel
 * whole, checksummed packets (Documentation/abi.rst).
 */
static void tnl_dev_setup(struct net_device *dev)
{
	dev->netdev_ops = &tnl_netdev_ops;
	dev->header_ops = &ip_tunnel_header_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = tnl_dev_free;
	dev->type = ARPHRD_TUNNEL6;
	dev->flags |= IFF_NOARP;
	dev->addr_len = sizeof(struct in6_addr);
	dev->lltx = true;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	netif_keep_dst(dev);
	dev->features |= NETIF_F_SG | NETIF_F_HIGHDMA;
	dev->hw_features |= NETIF_F_SG | NETIF_F_HIGHDMA;
	/* The interface identifier of its link-local address comes from this. */
	dev->addr_assign_type = NET_ADDR_RANDOM;
	eth_random_addr(dev->perm_addr);
}

static int tnl_validate(struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	u8 proto;

	if (!data || !data[IFLA_IPTUN_PROTO])
		return 0;
	proto = nla_get_u8(data[IFLA_IPTUN_PROTO]);
	if (proto != IPPROTO_IPV6 && proto != IPPROTO_IPIP && proto != 0)
		return -EINVAL;
	return 0;
}

/* ip6_tnl_netlink_parms(). */
static void tnl_netlink_parms(struct nlattr *data[], struct __ip6_tnl_parm *parms)
{
	memset(parms, 0, sizeof(*parms));
	if (!data)
		return;
	if (data[IFLA_IPTUN_LINK])
		parms->link = nla_get_u32(data[IFLA_IPTUN_LINK]);
	if (data[IFLA_IPTUN_LOCAL])
		parms->laddr = nla_get_in6_addr(data[IFLA_IPTUN_LOCAL]);
	if (data[IFLA_IPTUN_REMOTE])
		parms->raddr = nla_get_in6_addr(data[IFLA_IPTUN_REMOTE]);
	if (data[IFLA_IPTUN_TTL])
		parms->hop_limit = nla_get_u8(data[IFLA_IPTUN_TTL]);
	if (data[IFLA_IPTUN_ENCAP_LIMIT])
		parms->encap_limit = nla_get_u8(data[IFLA_IPTUN_ENCAP_LIMIT]);
	if (data[IFLA_IPTUN_FLOWINFO])
		parms->flowinfo = nla_get_be32(data[IFLA_IPTUN_FLOWINFO]);
	if (data[IFLA_IPTUN_FLAGS])
		parms->flags = nla_get_u32(data[IFLA_IPTUN_FLAGS]);
	if (data[IFLA_IPTUN_PROTO])
		parms->proto = nla_get_u8(data[IFLA_IPTUN_PROTO]);
	if (data[IFLA_IPTUN_COLLECT_METADATA])
		parms->collect_md = true;
	if (data[IFLA_IPTUN_FWMARK])
		parms->fwmark = nla_get_u32(data[IFLA_IPTUN_FWMARK]);
}

/*
 * ip6_tnl_encap_setup() without encapsulation modules: no FOU or GUE encapsulation
 * is registered (fou6 imports mainline's ip6_tunnel.ko), so any type but none is
 * -EINVAL, as on mainline while fou6 is not loaded.
 */
static int tnl_encap_setup(struct ip6_tnl *t, struct nlattr *data[])
{
	struct ip_tunnel_encap ipencap;

	if (!ip_tunnel_netlink_encap_parms(data, &ipencap))
		return 0;
	memset(&t->encap, 0, sizeof(t->encap));
	if (ipencap.type != TUNNEL_ENCAP_NONE)
		return -EINVAL;
	t->encap.sport = ipencap.sport;
	t->encap.dport = ipencap.dport;
	t->encap.flags = ipencap.flags;
	t->encap_hlen = 0;
	t->hlen = t->encap_hlen + t->tun_hlen;
	return 0;
}

/* ip6_tnl_create2(): registered and among the namespace's tunnels. */
static int tnl_create2(struct net_device *dev)
{
	struct ip6_tnl *t = netdev_priv(dev);
	int err;

	dev->rtnl_link_ops = &ip6_link_ops;
	err = register_netdevice(dev);
	if (err < 0)
		return err;
	strscpy(t->parms.name, dev->name, IFNAMSIZ);
	tnl_ops->link(dev);
	return 0;
}

static int tnl_newlink(struct net *src_net, struct net_device *dev, struct nlattr *tb[],
		       struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct ip6_tnl *t = netdev_priv(dev);
	int err;

	t->net = dev_net(dev);
	err = tnl_encap_setup(t, data);
	if (err < 0)
		return err;
	tnl_netlink_parms(data, &t->parms);
	/* One external (collect_md) tunnel per namespace, else unique end points. */
	err = tnl_ops->check(t->net, &t->parms);
	if (err < 0)
		return err;
	err = tnl_create2(dev);
	if (!err && tb[IFLA_MTU])
		ipv6_rs_tnl_change_mtu(dev, nla_get_u32(tb[IFLA_MTU]));
	return err;
}

static int tnl_changelink(struct net_device *dev, struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	struct ip6_tnl *t = netdev_priv(dev);
	struct __ip6_tnl_parm p;
	int err;

	if (!rtnl_dev_link_net_capable(dev, t->net))
		return -EPERM;
	if (ipv6_rs_tnl_is_fallback(dev))
		return -EINVAL;
	err = tnl_encap_setup(t, data);
	if (err < 0)
		return err;
	tnl_netlink_parms(data, &p);
	if (p.collect_md)
		return -EINVAL;
	return tnl_ops->change(dev, &p);
}

/* ip6_tnl_change()'s copy, under RTNL while the tunnel is out of the lookup. */
void ipv6_rs_tnl_set_parms(struct net_device *dev, const struct __ip6_tnl_parm *p)
{
	struct ip6_tnl *t = netdev_priv(dev);

	t->parms.laddr = p->laddr;
	t->parms.raddr = p->raddr;
	WRITE_ONCE(t->parms.flags, p->flags);
	WRITE_ONCE(t->parms.hop_limit, p->hop_limit);
	WRITE_ONCE(t->parms.encap_limit, p->encap_limit);
	WRITE_ONCE(t->parms.flowinfo, p->flowinfo);
	WRITE_ONCE(t->parms.link, p->link);
	WRITE_ONCE(t->parms.proto, p->proto);
	WRITE_ONCE(t->parms.fwmark, p->fwmark);
	dst_cache_reset(&t->dst_cache);
}

static void tnl_dellink(struct net_device *dev, struct list_head *head)
{
	if (!ipv6_rs_tnl_is_fallback(dev))
		unregister_netdevice_queue(dev, head);
}

static size_t tnl_get_size(const struct net_device *dev)
{
	return nla_total_size(4) +			/* IFLA_IPTUN_LINK */
	       nla_total_size(sizeof(struct in6_addr)) +	/* IFLA_IPTUN_LOCAL */
	       nla_total_size(sizeof(struct in6_addr)) +	/* IFLA_IPTUN_REMOTE */
	       nla_total_size(1) +			/* IFLA_IPTUN_TTL */
	       nla_total_size(1) +			/* IFLA_IPTUN_ENCAP_LIMIT */
	       nla_total_size(4) +			/* IFLA_IPTUN_FLOWINFO */
	       nla_total_size(4) +			/* IFLA_IPTUN_FLAGS */
	       nla_total_size(1) +			/* IFLA_IPTUN_PROTO */
	       nla_total_size(2) +			/* IFLA_IPTUN_ENCAP_TYPE */
	       nla_total_size(2) +			/* IFLA_IPTUN_ENCAP_FLAGS */
	       nla_total_size(2) +			/* IFLA_IPTUN_ENCAP_SPORT */
	       nla_total_size(2) +			/* IFLA_IPTUN_ENCAP_DPORT */
	       nla_total_size(0) +			/* IFLA_IPTUN_COLLECT_METADATA */
	       nla_total_size(4);			/* IFLA_IPTUN_FWMARK */
}

static int tnl_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct ip6_tnl *tunnel = netdev_priv(dev);
	struct __ip6_tnl_parm *parm = &tunnel->parms;

	if (nla_put_u32(skb, IFLA_IPTUN_LINK, parm->link) ||
	    nla_put_in6_addr(skb, IFLA_IPTUN_LOCAL, &parm->laddr) ||
	    nla_put_in6_addr(skb, IFLA_IPTUN_REMOTE, &parm->raddr) ||
	    nla_put_u8(skb, IFLA_IPTUN_TTL, parm->hop_limit) ||
	    nla_put_u8(skb, IFLA_IPTUN_ENCAP_LIMIT, parm->encap_limit) ||
	    nla_put_be32(skb, IFLA_IPTUN_FLOWINFO, parm->flowinfo) ||
	    nla_put_u32(skb, IFLA_IPTUN_FLAGS, parm->flags) ||
	    nla_put_u8(skb, IFLA_IPTUN_PROTO, parm->proto) ||
	    nla_put_u32(skb, IFLA_IPTUN_FWMARK, parm->fwmark) ||
	    nla_put_u16(skb, IFLA_IPTUN_ENCAP_TYPE, tunnel->encap.type) ||
	    nla_put_be16(skb, IFLA_IPTUN_ENCAP_SPORT, tunnel->encap.sport) ||
	    nla_put_be16(skb, IFLA_IPTUN_ENCAP_DPORT, tunnel->encap.dport) ||
	    nla_put_u16(skb, IFLA_IPTUN_ENCAP_FLAGS, tunnel->encap.flags))
		return -EMSGSIZE;
	if (parm->collect_md && nla_put_flag(skb, IFLA_IPTUN_COLLECT_METADATA))
		return -EMSGSIZE;
	return 0;
}

static struct net *tnl_get_link_net(const struct net_device *dev)
{
	struct ip6_tnl *tunnel = netdev_priv(dev);

	return READ_ONCE(tunnel->net);
}

static const struct nla_policy tnl_policy[IFLA_IPTUN_MAX + 1] = {
	[IFLA_IPTUN_LINK] = { .type = NLA_U32 },
	[IFLA_IPTUN_LOCAL] = { .len = sizeof(struct in6_addr) },
	[IFLA_IPTUN_REMOTE] = { .len = sizeof(struct in6_addr) },
	[IFLA_IPTUN_TTL] = { .type = NLA_U8 },
	[IFLA_IPTUN_ENCAP_LIMIT] = { .type = NLA_U8 },
	[IFLA_IPTUN_FLOWINFO] = { .type = NLA_U32 },
	[IFLA_IPTUN_FLAGS] = { .type = NLA_U32 },
	[IFLA_IPTUN_PROTO] = { .type = NLA_U8 },
	[IFLA_IPTUN_ENCAP_TYPE] = { .type = NLA_U16 },
	[IFLA_IPTUN_ENCAP_FLAGS] = { .type = NLA_U16 },
	[IFLA_IPTUN_ENCAP_SPORT] = { .type = NLA_U16 },
	[IFLA_IPTUN_ENCAP_DPORT] = { .type = NLA_U16 },
	[IFLA_IPTUN_COLLECT_METADATA] = { .type = NLA_FLAG },
	[IFLA_IPTUN_FWMARK] = { .type = NLA_U32 },
};

static struct rtnl_link_ops ip6_link_ops __read_mostly = {
	.kind = "ip6tnl",
	.maxtype = IFLA_IPTUN_MAX,
	.policy = tnl_policy,
	.priv_size = sizeof(struct ip6_tnl),
	.setup = tnl_dev_setup,
	.validate = tnl_validate,
	.newlink = tnl_newlink,
	.changelink = tnl_changelink,
	.dellink = tnl_dellink,
	.get_size = tnl_get_size,
	.fill_info = tnl_fill_info,
	.get_link_net = tnl_get_link_net,
};

/* ip6_tnl_init_net(): the fallback device, unless the namespace wants none. */
static int __net_init tnl_init_net(struct net *net)
{
	struct ipv6_rs_tnl_net *tn = net_generic(net, tnl_net_id);
	struct net_device *dev;
	struct ip6_tnl *t;
	int err;

	if (!net_has_fallback_tunnels(net))
		return 0;
	dev = alloc_netdev(sizeof(struct ip6_tnl), "ip6tnl0", NET_NAME_UNKNOWN, tnl_dev_setup);
	if (!dev)
		return -ENOMEM;
	dev_net_set(dev, net);
	dev->rtnl_link_ops = &ip6_link_ops;
	/* One per namespace: it never moves to another. */
	dev->netns_immutable = true;
	t = netdev_priv(dev);
	t->net = net;
	t->parms.proto = IPPROTO_IPV6;
	tn->fb_tnl_dev = dev;
	rtnl_lock();
	err = tnl_ops->check(net, &t->parms);
	if (!err)
		err = register_netdevice(dev);
	if (err < 0) {
		rtnl_unlock();
		tn->fb_tnl_dev = NULL;
		free_netdev(dev);
		return err;
	}
	strscpy(t->parms.name, dev->name, IFNAMSIZ);
	tnl_ops->link(dev);
	rtnl_unlock();
	return 0;
}

/* ip6_tnl_destroy_tunnels(): every ip6tnl device of net, and those elsewhere whose
 * tunnel endpoints are in net. */
static void __net_exit tnl_exit_batch_rtnl(struct list_head *net_list,
					   struct list_head *dev_to_kill)
{
	struct net_device *dev, *aux;
	struct net *net;

	ASSERT_RTNL();
	list_for_each_entry(net, net_list, exit_list) {
		for_each_netdev_safe(net, dev, aux)
			if (dev->rtnl_link_ops == &ip6_link_ops)
				unregister_netdevice_queue(dev, dev_to_kill);
		tnl_ops->destroy_foreign(net, dev_to_kill);
	}
}

static struct pernet_operations tnl_net_ops = {
	.init = tnl_init_net,
	.exit_batch_rtnl = tnl_exit_batch_rtnl,
	.id = &tnl_net_id,
	.size = sizeof(struct ipv6_rs_tnl_net),
};

/* Queues dev for unregistration (the tunnels of a namespace that goes away). */
void ipv6_rs_tnl_kill(struct net_device *dev, struct list_head *dev_to_kill)
{
	unregister_netdevice_queue(dev, dev_to_kill);
}

/*
 * ip6_tunnel_init(), called by ip6_tunnel.ko: fallback devices in every namespace,
 * then the link kind. The receive handlers are ip6_tunnel.ko's to register with
 * tunnel6, which ipv6_rs does not import.
 */
int ipv6_rs_ip6tnl_start(void)
{
	int err;

	err = register_pernet_device(&tnl_net_ops);
	if (err < 0)
		return err;
	err = rtnl_link_register(&ip6_link_ops);
	if (err < 0)
		unregister_pernet_device(&tnl_net_ops);
	return err;
}
EXPORT_SYMBOL_GPL(ipv6_rs_ip6tnl_start);

void ipv6_rs_ip6tnl_stop(void)
{
	rtnl_link_unregister(&ip6_link_ops);
	unregister_pernet_device(&tnl_net_ops);
}
EXPORT_SYMBOL_GPL(ipv6_rs_ip6tnl_stop);

/* The handlers of tunnel6's chains: ours (0) or not (-1, the next handler's). */
int ipv6_rs_ip6ip6_rcv(struct sk_buff *skb)
{
	return tnl_ops->rcv(skb, IPPROTO_IPV6);
}
EXPORT_SYMBOL_GPL(ipv6_rs_ip6ip6_rcv);

int ipv6_rs_ip4ip6_rcv(struct sk_buff *skb)
{
	return tnl_ops->rcv(skb, IPPROTO_IPIP);
}
EXPORT_SYMBOL_GPL(ipv6_rs_ip4ip6_rcv);

int ipv6_rs_ip6ip6_err(struct sk_buff *skb, struct inet6_skb_parm *opt, u8 type, u8 code,
		       int offset, __be32 info)
{
	return tnl_ops->err(skb, IPPROTO_IPV6, type, code, offset, ntohl(info));
}
EXPORT_SYMBOL_GPL(ipv6_rs_ip6ip6_err);

int ipv6_rs_ip4ip6_err(struct sk_buff *skb, struct inet6_skb_parm *opt, u8 type, u8 code,
		       int offset, __be32 info)
{
	return tnl_ops->err(skb, IPPROTO_IPIP, type, code, offset, ntohl(info));
}
EXPORT_SYMBOL_GPL(ipv6_rs_ip4ip6_err);

/*
 * __ip6_tnl_rcv() once the tunnel is chosen and accepted: skb (data at the inner
 * header, network header at the outer) becomes a packet received on the tunnel
 * device, with the inner ECN field set to CE if set_ce and the outer DSCP copied if
 * dscp_copy. Consumes skb.
 */
void ipv6_rs_tnl_deliver(struct net_device *dev, struct sk_buff *skb, u8 ipproto, bool set_ce,
			 bool dscp_copy)
{
	struct ip6_tnl *t = netdev_priv(dev);
	__be16 proto = ipproto == IPPROTO_IPIP ? htons(ETH_P_IP) : htons(ETH_P_IPV6);
	struct metadata_dst *tun_dst = NULL;
	const struct ipv6hdr *ipv6h;
	u8 dsfield;
	int nh;

	if (iptunnel_pull_header(skb, 0, proto, false))
		goto drop;
	/* An external tunnel's packets carry the outer header's key as their dst. */
	if (t->parms.collect_md) {
		IP_TUNNEL_DECLARE_FLAGS(flags) = { };

		tun_dst = ipv6_tun_rx_dst(skb, flags, 0, 0);
		if (!tun_dst)
			goto drop;
	}
	skb->dev = dev;
	skb_reset_mac_header(skb);
	nh = skb_network_header(skb) - skb->head;
	skb_reset_network_header(skb);
	if (!pskb_inet_may_pull(skb)) {
		DEV_STATS_INC(dev, rx_length_errors);
		DEV_STATS_INC(dev, rx_errors);
		goto drop;
	}
	ipv6h = (struct ipv6hdr *)(skb->head + nh);
	dsfield = ipv6_get_dsfield(ipv6h);
	memset(skb->cb, 0, sizeof(struct inet6_skb_parm));
	__skb_tunnel_rx(skb, dev, t->net);
	if (ipproto == IPPROTO_IPIP) {
		if (dscp_copy)
			ipv4_change_dsfield(ip_hdr(skb), INET_ECN_MASK, dsfield & ~INET_ECN_MASK);
		if (set_ce)
			IP_ECN_set_ce(ip_hdr(skb));
	} else {
		if (dscp_copy)
			ipv6_copy_dscp(dsfield, ipv6_hdr(skb));
		if (set_ce)
			IP6_ECN_set_ce(skb, ipv6_hdr(skb));
	}
	dev_sw_netstats_rx_add(dev, skb->len);
	skb_scrub_packet(skb, !net_eq(t->net, dev_net(dev)));
	if (tun_dst)
		skb_dst_set(skb, (struct dst_entry *)tun_dst);
	gro_cells_receive(&t->gro_cells, skb);
	return;
drop:
	if (tun_dst)
		dst_release((struct dst_entry *)tun_dst);
	kfree_skb(skb);
}

/*
 * The tunnel key of a packet sent into an external (collect_md) tunnel: its
 * ip_tunnel_info for transmission over IPv6, or false.
 */
bool ipv6_rs_tnl_tx_key(struct sk_buff *skb, struct in6_addr *src, struct in6_addr *dst, u8 *tos,
			u8 *ttl, __be32 *label)
{
	const struct ip_tunnel_info *info = skb_tunnel_info(skb);

	if (!info || !(info->mode & IP_TUNNEL_INFO_TX) || ip_tunnel_info_af(info) != AF_INET6)
		return false;
	*src = info->key.u.ipv6.src;
	*dst = info->key.u.ipv6.dst;
	*tos = info->key.tos;
	*ttl = info->key.ttl;
	*label = info->key.label;
	return true;
}

/* DEV_STATS_INC() of the tunnel device's error counters. */
void ipv6_rs_tnl_count(struct net_device *dev, enum ipv6_rs_tnl_stat which)
{
	switch (which) {
	case IPV6_RS_TNL_TX_ERROR:
		DEV_STATS_INC(dev, tx_errors);
		DEV_STATS_INC(dev, tx_dropped);
		break;
	case IPV6_RS_TNL_TX_CARRIER:
		DEV_STATS_INC(dev, tx_carrier_errors);
		break;
	case IPV6_RS_TNL_COLLISION:
		DEV_STATS_INC(dev, collisions);
		break;
	case IPV6_RS_TNL_RX_FRAME:
		DEV_STATS_INC(dev, rx_frame_errors);
		DEV_STATS_INC(dev, rx_errors);
		break;
	case IPV6_RS_TNL_TX_ERRORS:
		DEV_STATS_INC(dev, tx_errors);
		break;
	case IPV6_RS_TNL_RX_ERRORS:
		DEV_STATS_INC(dev, rx_errors);
		break;
	}
}

/* The transmitted packet's part of ip6tunnel_xmit(): the tunnel's tx counters. */
void ipv6_rs_tnl_tx_done(struct net_device *dev, unsigned int len)
{
	dev_sw_netstats_tx_add(dev, 1, len);
}

/*
 * ip6_tnl_xmit()'s encapsulation, once the route is chosen: skb (data at the inner
 * network header, inner_len bytes) gets the tunnel encapsulation limit option
 * (encap_limit >= 0) and the outer IPv6 header, with mainline's automatic flow label
 * where the tunnel sets none (ip6_make_flowlabel()); headroom for lower's link layer.
 * Returns 0, or -ENOMEM with skb left to the caller.
 */
int ipv6_rs_tnl_encap(struct net_device *dev, struct sk_buff *skb, const struct net_device *lower,
		      const struct in6_addr *saddr, const struct in6_addr *daddr, u8 proto,
		      u8 hop_limit, u8 dsfield, __be32 flowlabel, int encap_limit)
{
	struct ip6_tnl *t = netdev_priv(dev);
	unsigned int max_headroom = sizeof(struct ipv6hdr) + 8 + LL_RESERVED_SPACE(lower);
	struct ipv6hdr *ipv6h;
	struct flowi6 fl6 = {
		.flowi6_proto = proto,
		.saddr = *saddr,
		.daddr = *daddr,
	};

	skb_scrub_packet(skb, !net_eq(t->net, dev_net(dev)));
	if (skb_cow_head(skb, max_headroom))
		return -ENOMEM;
	ip_tunnel_adj_headroom(dev, max_headroom);
	skb_dst_drop(skb);
	skb_set_inner_ipproto(skb, proto);
	skb_reset_inner_headers(skb);
	fl6.flowlabel = ip6_make_flowinfo(dsfield, flowlabel);
	if (encap_limit >= 0)
		ipv6_rs_tnl_push_enc_lim(skb, &proto, encap_limit);
	skb_push(skb, sizeof(struct ipv6hdr));
	skb_reset_network_header(skb);
	ipv6h = ipv6_hdr(skb);
	ip6_flow_hdr(ipv6h, dsfield,
		     ip6_make_flowlabel(t->net, skb, flowlabel, true, &fl6));
	ipv6h->payload_len = htons(skb->len - sizeof(struct ipv6hdr));
	ipv6h->hop_limit = hop_limit;
	ipv6h->nexthdr = proto;
	ipv6h->saddr = *saddr;
	ipv6h->daddr = *daddr;
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	return 0;
}

/*
 * ip6ip6_err()'s relay: the ICMPv6 error type/code/info about the inner IPv6 packet
 * quoted at offset in skb (an error about the tunnel's outer packet), sent to the
 * inner packet's source as if received on device ifindex (the route back to it: lo
 * for our own). skb stays the caller's.
 */
void ipv6_rs_tnl_relay6(struct sk_buff *skb, int offset, u8 type, u8 code, u32 info, int ifindex)
{
	struct net_device *dev;
	struct sk_buff *skb2;

	if (!pskb_may_pull(skb, offset + sizeof(struct ipv6hdr)))
		return;
	skb2 = skb_clone(skb, GFP_ATOMIC);
	if (!skb2)
		return;
	memset(IP6CB(skb2), 0, sizeof(*IP6CB(skb2)));
	skb_dst_drop(skb2);
	skb_pull(skb2, offset);
	skb_reset_network_header(skb2);
	dev = ifindex ? dev_get_by_index_rcu(dev_net(skb->dev), ifindex) : NULL;
	if (dev)
		skb2->dev = dev;
	icmpv6_send(skb2, type, code, info);
	kfree_skb(skb2);
}

/*
 * ip4ip6_err()'s relay: the ICMP error type/code/info (already IPv4's) about the
 * inner IPv4 packet quoted at offset in skb, sent to its source by the kernel's IPv4
 * code, through the route the inner packet took into a tunnel (only then), whose
 * path MTU a fragmentation-needed lowers first. skb stays the caller's.
 */
void ipv6_rs_tnl_relay4(struct sk_buff *skb, int offset, u8 type, u8 code, u32 info)
{
	const struct iphdr *eiph;
	struct sk_buff *skb2;
	struct rtable *rt;
	struct flowi4 fl4;

	if (!pskb_may_pull(skb, offset + sizeof(struct iphdr)))
		return;
	skb2 = skb_clone(skb, GFP_ATOMIC);
	if (!skb2)
		return;
	memset(IPCB(skb2), 0, sizeof(*IPCB(skb2)));
	skb_dst_drop(skb2);
	skb_pull(skb2, offset);
	skb_reset_network_header(skb2);
	eiph = ip_hdr(skb2);
	if (eiph->version != 4 || eiph->ihl < 5)
		goto out;
	/* The device the inner packet came in by, guessed from the route back. */
	rt = ip_route_output_ports(dev_net(skb->dev), &fl4, NULL, eiph->saddr, 0, 0, 0,
				   IPPROTO_IPIP, eiph->tos & INET_DSCP_MASK, 0);
	if (IS_ERR(rt))
		goto out;
	skb2->dev = rt->dst.dev;
	ip_rt_put(rt);
	if (rt->rt_flags & RTCF_LOCAL) {
		rt = ip_route_output_ports(dev_net(skb->dev), &fl4, NULL, eiph->daddr,
					   eiph->saddr, 0, 0, IPPROTO_IPIP,
					   eiph->tos & INET_DSCP_MASK, 0);
		if (IS_ERR(rt) || rt->dst.dev->type != ARPHRD_TUNNEL6) {
			if (!IS_ERR(rt))
				ip_rt_put(rt);
			goto out;
		}
		skb_dst_set(skb2, &rt->dst);
	} else if (ip_route_input(skb2, eiph->daddr, eiph->saddr, ip4h_dscp(eiph), skb2->dev) ||
		   skb_dst(skb2)->dev->type != ARPHRD_TUNNEL6) {
		goto out;
	}
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED) {
		if (info > dst_mtu(skb_dst(skb2)))
			goto out;
		skb_dst_update_pmtu_no_confirm(skb2, info);
	}
	icmp_send(skb2, type, code, htonl(info));
out:
	kfree_skb(skb2);
}

/* The IPv6 gateway of the IPv4 route skb carries (an ip6tnl without a remote end
 * sends IPv4 there, as ip6_tnl_xmit()): true and *gw, or false. */
bool ipv6_rs_skb_rt_gw6(struct sk_buff *skb, struct in6_addr *gw)
{
	const struct rtable *rt = skb_rtable(skb);

	if (!rt || rt->rt_gw_family != AF_INET6)
		return false;
	*gw = rt->rt_gw6;
	return true;
}

/* skb->protocol, in host order. */
u16 ipv6_rs_skb_protocol(const struct sk_buff *skb)
{
	return ntohs(skb->protocol);
}

/* The kernel's ICMP errors about a packet the tunnel could not send (icmp_ndo_send(),
 * icmpv6_ndo_send()), to the inner packet's source: v6 picks the family. */
void ipv6_rs_tnl_icmp(struct sk_buff *skb, bool v6, u8 type, u8 code, u32 info)
{
	if (v6)
		icmpv6_ndo_send(skb, type, code, info);
	else
		icmp_ndo_send(skb, type, code, htonl(info));
}

/*
 * init_tel_txopt() and ipv6_push_frag_opts(): the destination options header with
 * the tunnel encapsulation limit (and a PadN to 8 bytes) pushed before the payload
 * whose next header *proto is; *proto becomes NEXTHDR_DEST. Headroom is the caller's.
 */
void ipv6_rs_tnl_push_enc_lim(struct sk_buff *skb, u8 *proto, u8 limit)
{
	u8 *opt = skb_push(skb, 8);

	opt[0] = *proto;
	opt[1] = 0;
	opt[2] = IPV6_TLV_TNL_ENCAP_LIMIT;
	opt[3] = 1;
	opt[4] = limit;
	opt[5] = IPV6_TLV_PADN;
	opt[6] = 1;
	opt[7] = 0;
	*proto = NEXTHDR_DEST;
}
EXPORT_SYMBOL_GPL(ipv6_rs_tnl_push_enc_lim);

/*
 * The decisions behind ip6_tunnel.ko's ip6_tnl_* exports, made in Rust
 * (rust/net/tunnel.rs, rust/ipv6/ip6_tunnel.rs). ip6_tunnel.ko depends on this
 * module, whose init installed the operations before it could load.
 */
u32 ipv6_rs_tnl_get_cap(const struct in6_addr *laddr, const struct in6_addr *raddr, int link)
{
	return tnl_ops->get_cap(laddr, raddr, link);
}
EXPORT_SYMBOL_GPL(ipv6_rs_tnl_get_cap);

int ipv6_rs_tnl_ctl(struct net_device *dev, const struct in6_addr *laddr,
		    const struct in6_addr *raddr, bool rcv)
{
	return tnl_ops->ctl(dev, laddr, raddr, rcv);
}
EXPORT_SYMBOL_GPL(ipv6_rs_tnl_ctl);

/*
 * ip6_tnl_parse_tlv_enc_lim() for the IPv6 header nhoff bytes into skb's data: as
 * much of the header chain made readable as the parser asks for (which may move
 * skb->head, as mainline's pskb_may_pull() does); 0 where it cannot be.
 */
u16 ipv6_rs_tnl_parse_enc_lim(struct sk_buff *skb, unsigned int nhoff)
{
	unsigned int need = sizeof(struct ipv6hdr);
	int r;

	for (;;) {
		if (!pskb_may_pull(skb, nhoff + need))
			return 0;
		r = tnl_ops->scan_enc_lim(skb->data + nhoff, skb_headlen(skb) - nhoff, &need);
		if (r >= 0)
			return r;
	}
}
EXPORT_SYMBOL_GPL(ipv6_rs_tnl_parse_enc_lim);

int ipv6_rs_tnl_ecn_decap(u8 outer, u8 inner)
{
	return tnl_ops->ecn_decap(outer, inner);
}
EXPORT_SYMBOL_GPL(ipv6_rs_tnl_ecn_decap);

bool ipv6_rs_tnl_nbma_next_hop(struct net_device *dev, const struct in6_addr *saddr,
			       const struct in6_addr *daddr, u32 mark, struct in6_addr *via)
{
	return tnl_ops->nbma_next_hop(dev, saddr, daddr, mark, via);
}
EXPORT_SYMBOL_GPL(ipv6_rs_tnl_nbma_next_hop);

/*
 * skb_dst_update_pmtu_no_confirm(skb, mtu) for a packet sent through tunnel dev: an
 * IPv4 packet (or any with a dst) as the kernel does it; an IPv6 packet of ipv6_rs
 * carries no dst, and its route through the tunnel learns the MTU in ipv6_rs.
 */
void ipv6_rs_tnl_inner_pmtu(struct net_device *dev, struct sk_buff *skb, u32 mtu)
{
	const struct ipv6hdr *ip6;

	if (skb_dst(skb) || skb_protocol(skb, true) != htons(ETH_P_IPV6)) {
		skb_dst_update_pmtu_no_confirm(skb, mtu);
		return;
	}
	/* The common case, and cheap: the tunnel device's MTU (which bounds the path
	 * through it) is already no more than mtu. */
	if (mtu >= READ_ONCE(dev->mtu))
		return;
	if (!pskb_network_may_pull(skb, sizeof(*ip6)))
		return;
	ip6 = ipv6_hdr(skb);
	tnl_ops->inner_pmtu(dev, &ip6->saddr, &ip6->daddr, skb->mark, mtu);
}
EXPORT_SYMBOL_GPL(ipv6_rs_tnl_inner_pmtu);
