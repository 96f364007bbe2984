// SPDX-License-Identifier: GPL-2.0
/*
 * sit devices as mainline's net/ipv6/sit.c makes them: the device, with
 * `struct ip_tunnel` as its private data, its IFLA_IPTUN_* attributes (6rd's
 * included), the `ip tunnel` ioctls (tunnels, ISATAP's potential router list, 6rd),
 * the fallback device sit0 of each namespace, and the IPv4 side of the datapath
 * (outer routes and headers, through the kernel's IPv4 code as mainline's). What a
 * tunnel does (which tunnel a packet belongs to, where it goes, its MTU, the checks
 * on what it receives, what errors do) is the Rust side's (rust/ipv6/sit.rs),
 * through the operations it installs at module init.
 *
 * The module sit.ko (include/sit_mod.c) turns all of this on and off, so that sit0
 * appears in every namespace when it is loaded, as with mainline's sit.ko.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_tunnel.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/dst_cache.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/route.h>
#include <net/rtnetlink.h>
#include <net/xfrm.h>

#include "ipv6_rs_helpers.h"
#include "ipv6_rs_sit.h"

static const struct ipv6_rs_sit_ops *sit_ops;

void ipv6_rs_sit_install(const struct ipv6_rs_sit_ops *ops)
{
	WRITE_ONCE(sit_ops, ops);
}

/* The fallback device of each namespace, while sit.ko is loaded. */
struct ipv6_rs_sit_net {
	struct net_device *fb_tunnel_dev;
};

static unsigned int sit_net_id __read_mostly;
static struct rtnl_link_ops sit_link_ops __read_mostly;
static void sit_setup(struct net_device *dev);

struct ip_tunnel *ipv6_rs_sit(const struct net_device *dev)
{
	return netdev_priv(dev);
}

bool ipv6_rs_sit_is_isatap(const struct net_device *dev)
{
	return dev->priv_flags & IFF_ISATAP;
}

static struct ipv6_rs_sit_net *sit_net(const struct net_device *dev)
{
	struct ip_tunnel *t = netdev_priv(dev);

	return net_generic(t->net, sit_net_id);
}

static bool sit_is_fallback(const struct net_device *dev)
{
	return dev == sit_net(dev)->fb_tunnel_dev;
}

/* ipip6_tunnel_clone_6rd(): 6to4, or the fallback device's 6rd parameters. */
static void sit_clone_6rd(struct net_device *dev)
{
	struct ip_tunnel *t = netdev_priv(dev);
	struct ipv6_rs_sit_net *sitn = sit_net(dev);

	if (dev == sitn->fb_tunnel_dev || !sitn->fb_tunnel_dev) {
		ipv6_addr_set(&t->ip6rd.prefix, htonl(0x20020000), 0, 0, 0);
		t->ip6rd.relay_prefix = 0;
		t->ip6rd.prefixlen = 16;
		t->ip6rd.relay_prefixlen = 0;
	} else {
		struct ip_tunnel *t0 = netdev_priv(sitn->fb_tunnel_dev);

		memcpy(&t->ip6rd, &t0->ip6rd, sizeof(t->ip6rd));
	}
}

/*
 * ipip6_tunnel_bind_dev(): point-to-point with a remote end, and the MTU and headroom
 * over the device the remote end (or the lower device) is reached through.
 */
static void sit_bind_dev(struct net_device *dev)
{
	struct ip_tunnel *tunnel = netdev_priv(dev);
	int t_hlen = tunnel->hlen + sizeof(struct iphdr);
	struct net_device *tdev = NULL;
	int hlen = LL_MAX_HEADER;
	const struct iphdr *iph = &tunnel->parms.iph;
	struct flowi4 fl4;

	if (iph->daddr) {
		struct rtable *rt = ip_route_output_ports(tunnel->net, &fl4, NULL, iph->daddr,
							  iph->saddr, 0, 0, IPPROTO_IPV6,
							  iph->tos & INET_DSCP_MASK,
							  tunnel->parms.link);

		if (!IS_ERR(rt)) {
			tdev = rt->dst.dev;
			ip_rt_put(rt);
		}
		dev->flags |= IFF_POINTOPOINT;
	}
	if (!tdev && tunnel->parms.link)
		tdev = __dev_get_by_index(tunnel->net, tunnel->parms.link);
	if (tdev && !netif_is_l3_master(tdev)) {
		int mtu = tdev->mtu - t_hlen;

		if (mtu < IPV6_MIN_MTU)
			mtu = IPV6_MIN_MTU;
		WRITE_ONCE(dev->mtu, mtu);
		hlen = tdev->hard_header_len + tdev->needed_headroom;
	}
	dev->needed_headroom = ip_tunnel_limit_headroom(t_hlen + hlen);
}

/* ipip6_tunnel_create(): registered, with 6rd defaults, among the namespace's tunnels
 * (whose room the caller reserved). */
static int sit_create(struct net_device *dev)
{
	struct ip_tunnel *t = netdev_priv(dev);
	int err;

	__dev_addr_set(dev, &t->parms.iph.saddr, 4);
	memcpy(dev->broadcast, &t->parms.iph.daddr, 4);
	if (test_bit(IP_TUNNEL_SIT_ISATAP_BIT, t->parms.i_flags))
		dev->priv_flags |= IFF_ISATAP;
	dev->rtnl_link_ops = &sit_link_ops;
	err = sit_ops->reserve(t->net);
	if (err < 0)
		return err;
	err = register_netdevice(dev);
	if (err < 0)
		return err;
	sit_clone_6rd(dev);
	sit_ops->link(dev);
	return 0;
}

static struct ip_tunnel *sit_find(struct net *net, const struct ip_tunnel_parm_kern *p)
{
	struct net_device *dev = sit_ops->find(net, p->iph.saddr, p->iph.daddr, p->link);

	return dev ? netdev_priv(dev) : NULL;
}

/* ipip6_tunnel_locate(): the tunnel with p's end points; with create, a new one
 * (NULL if one exists or it cannot be made). */
static struct ip_tunnel *sit_locate(struct net *net, struct ip_tunnel_parm_kern *p, int create)
{
	struct ip_tunnel *t = sit_find(net, p), *nt;
	struct net_device *dev;
	char name[IFNAMSIZ];

	if (t)
		return create ? NULL : t;
	if (!create)
		return NULL;
	if (p->name[0]) {
		if (!dev_valid_name(p->name))
			return NULL;
		strscpy(name, p->name, IFNAMSIZ);
	} else {
		strscpy(name, "sit%d", IFNAMSIZ);
	}
	dev = alloc_netdev(sizeof(*t), name, NET_NAME_UNKNOWN, sit_setup);
	if (!dev)
		return NULL;
	dev_net_set(dev, net);
	nt = netdev_priv(dev);
	nt->net = net;
	nt->parms = *p;
	if (sit_create(dev) < 0) {
		free_netdev(dev);
		return NULL;
	}
	if (!p->name[0])
		strscpy(p->name, dev->name, IFNAMSIZ);
	return nt;
}

#define for_each_prl_rcu(start) for (prl = rcu_dereference(start); prl; prl = rcu_dereference(prl->next))

/* The PRL_* flags of addr in the tunnel's potential router list, or -1. In an RCU
 * section. */
int ipv6_rs_sit_prl_flags(struct net_device *dev, __be32 addr)
{
	struct ip_tunnel *t = netdev_priv(dev);
	struct ip_tunnel_prl_entry *prl;

	for_each_prl_rcu(t->prl)
		if (prl->addr == addr)
			return prl->flags;
	return -1;
}

/* ipip6_tunnel_get_prl(). */
static int sit_get_prl(struct net_device *dev, struct ip_tunnel_prl __user *a)
{
	struct ip_tunnel *t = netdev_priv(dev);
	struct ip_tunnel_prl kprl, *kp;
	struct ip_tunnel_prl_entry *prl;
	unsigned int cmax, c = 0, ca, len;
	int ret = 0;

	if (sit_is_fallback(dev))
		return -EINVAL;
	if (copy_from_user(&kprl, a, sizeof(kprl)))
		return -EFAULT;
	cmax = kprl.datalen / sizeof(kprl);
	if (cmax > 1 && kprl.addr != htonl(INADDR_ANY))
		cmax = 1;
	/* For simple GET or for root users, try harder to allocate. */
	kp = (cmax <= 1 || capable(CAP_NET_ADMIN)) ?
		     kcalloc(cmax, sizeof(*kp), GFP_KERNEL_ACCOUNT | __GFP_NOWARN) :
		     NULL;
	ca = min(t->prl_count, cmax);
	if (!kp) {
		kp = kcalloc(ca, sizeof(*kp), GFP_ATOMIC | __GFP_ACCOUNT | __GFP_NOWARN);
		if (!kp)
			return -ENOMEM;
	}
	rcu_read_lock();
	for_each_prl_rcu(t->prl) {
		if (c >= cmax)
			break;
		if (kprl.addr != htonl(INADDR_ANY) && prl->addr != kprl.addr)
			continue;
		kp[c].addr = prl->addr;
		kp[c].flags = prl->flags;
		c++;
		if (kprl.addr != htonl(INADDR_ANY))
			break;
	}
	rcu_read_unlock();
	len = sizeof(*kp) * c;
	if ((len && copy_to_user(a + 1, kp, len)) || put_user(len, &a->datalen))
		ret = -EFAULT;
	kfree(kp);
	return ret;
}

/* ipip6_tunnel_add_prl(). */
static int sit_add_prl(struct ip_tunnel *t, struct ip_tunnel_prl *a, int chg)
{
	struct ip_tunnel_prl_entry *p;

	if (a->addr == htonl(INADDR_ANY))
		return -EINVAL;
	ASSERT_RTNL();
	for (p = rtnl_dereference(t->prl); p; p = rtnl_dereference(p->next)) {
		if (p->addr == a->addr) {
			if (!chg)
				return -EEXIST;
			p->flags = a->flags;
			return 0;
		}
	}
	if (chg)
		return -ENXIO;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOBUFS;
	p->next = t->prl;
	p->addr = a->addr;
	p->flags = a->flags;
	t->prl_count++;
	rcu_assign_pointer(t->prl, p);
	return 0;
}

static void sit_prl_destroy_rcu(struct rcu_head *head)
{
	struct ip_tunnel_prl_entry *p, *n;

	p = container_of(head, struct ip_tunnel_prl_entry, rcu_head);
	do {
		n = rcu_dereference_protected(p->next, 1);
		kfree(p);
		p = n;
	} while (p);
}

/* ipip6_tunnel_del_prl(): one router, or all (a NULL or unspecified). */
static int sit_del_prl(struct ip_tunnel *t, struct ip_tunnel_prl *a)
{
	struct ip_tunnel_prl_entry __rcu **p;
	struct ip_tunnel_prl_entry *x;

	ASSERT_RTNL();
	if (a && a->addr != htonl(INADDR_ANY)) {
		for (p = &t->prl; (x = rtnl_dereference(*p)) != NULL; p = &x->next) {
			if (x->addr == a->addr) {
				*p = x->next;
				kfree_rcu(x, rcu_head);
				t->prl_count--;
				return 0;
			}
		}
		return -ENXIO;
	}
	x = rtnl_dereference(t->prl);
	if (x) {
		t->prl_count = 0;
		call_rcu(&x->rcu_head, sit_prl_destroy_rcu);
		t->prl = NULL;
	}
	return 0;
}

/* ipip6_tunnel_prl_ctl(). */
static int sit_prl_ctl(struct net_device *dev, struct ip_tunnel_prl __user *data, int cmd)
{
	struct ip_tunnel *t = netdev_priv(dev);
	struct ip_tunnel_prl prl;
	int err;

	if (!ns_capable(t->net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (sit_is_fallback(dev))
		return -EINVAL;
	if (copy_from_user(&prl, data, sizeof(prl)))
		return -EFAULT;
	if (cmd == SIOCDELPRL)
		err = sit_del_prl(t, &prl);
	else
		err = sit_add_prl(t, &prl, cmd == SIOCCHGPRL);
	dst_cache_reset(&t->dst_cache);
	netdev_state_change(dev);
	return err;
}

/* ipip6_tunnel_update(): new end points and settings, out of the lookup meanwhile. */
static void sit_update(struct ip_tunnel *t, struct ip_tunnel_parm_kern *p, __u32 fwmark)
{
	sit_ops->unlink(t->dev);
	synchronize_net();
	t->parms.iph.saddr = p->iph.saddr;
	t->parms.iph.daddr = p->iph.daddr;
	__dev_addr_set(t->dev, &p->iph.saddr, 4);
	memcpy(t->dev->broadcast, &p->iph.daddr, 4);
	sit_ops->link(t->dev);
	t->parms.iph.ttl = p->iph.ttl;
	t->parms.iph.tos = p->iph.tos;
	t->parms.iph.frag_off = p->iph.frag_off;
	if (t->parms.link != p->link || t->fwmark != fwmark) {
		t->parms.link = p->link;
		t->fwmark = fwmark;
		sit_bind_dev(t->dev);
	}
	dst_cache_reset(&t->dst_cache);
	netdev_state_change(t->dev);
}

/* ipip6_tunnel_update_6rd(), the checks being the Rust side's. */
static int sit_update_6rd(struct ip_tunnel *t, struct ip_tunnel_6rd *ip6rd)
{
	int err = sit_ops->check_6rd(ip6rd);

	if (err < 0)
		return err;
	t->ip6rd.prefix = ip6rd->prefix;
	t->ip6rd.relay_prefix = ip6rd->relay_prefix;
	t->ip6rd.prefixlen = ip6rd->prefixlen;
	t->ip6rd.relay_prefixlen = ip6rd->relay_prefixlen;
	dst_cache_reset(&t->dst_cache);
	netdev_state_change(t->dev);
	return 0;
}

/* Mainline's ip_tunnel_parm_from_user() and ip_tunnel_parm_to_user() (ip_tunnel.ko,
 * which ipv6_rs does not import). */
static bool sit_parm_from_user(struct ip_tunnel_parm_kern *kp, const void __user *data)
{
	struct ip_tunnel_parm p;

	if (copy_from_user(&p, data, sizeof(p)))
		return false;
	memset(kp, 0, sizeof(*kp));
	strscpy(kp->name, p.name);
	kp->link = p.link;
	ip_tunnel_flags_from_be16(kp->i_flags, p.i_flags);
	ip_tunnel_flags_from_be16(kp->o_flags, p.o_flags);
	kp->i_key = p.i_key;
	kp->o_key = p.o_key;
	memcpy(&kp->iph, &p.iph, min(sizeof(kp->iph), sizeof(p.iph)));
	return true;
}

static bool sit_parm_to_user(void __user *data, struct ip_tunnel_parm_kern *kp)
{
	struct ip_tunnel_parm p;

	if (!ip_tunnel_flags_is_be16_compat(kp->i_flags) ||
	    !ip_tunnel_flags_is_be16_compat(kp->o_flags))
		return false;
	memset(&p, 0, sizeof(p));
	strscpy(p.name, kp->name);
	p.link = kp->link;
	p.i_flags = ip_tunnel_flags_to_be16(kp->i_flags);
	p.o_flags = ip_tunnel_flags_to_be16(kp->o_flags);
	p.i_key = kp->i_key;
	p.o_key = kp->o_key;
	memcpy(&p.iph, &kp->iph, min(sizeof(p.iph), sizeof(kp->iph)));
	return !copy_to_user(data, &p, sizeof(p));
}

/* ipip6_tunnel_get6rd(). */
static int sit_get6rd(struct net_device *dev, struct ip_tunnel_parm __user *data)
{
	struct ip_tunnel *t = netdev_priv(dev);
	struct ip_tunnel_parm_kern p;
	struct ip_tunnel_6rd ip6rd;

	if (sit_is_fallback(dev)) {
		if (!sit_parm_from_user(&p, data))
			return -EFAULT;
		t = sit_locate(t->net, &p, 0);
	}
	if (!t)
		t = netdev_priv(dev);
	ip6rd.prefix = t->ip6rd.prefix;
	ip6rd.relay_prefix = t->ip6rd.relay_prefix;
	ip6rd.prefixlen = t->ip6rd.prefixlen;
	ip6rd.relay_prefixlen = t->ip6rd.relay_prefixlen;
	if (copy_to_user(data, &ip6rd, sizeof(ip6rd)))
		return -EFAULT;
	return 0;
}

/* ipip6_tunnel_6rdctl(). */
static int sit_6rdctl(struct net_device *dev, struct ip_tunnel_6rd __user *data, int cmd)
{
	struct ip_tunnel *t = netdev_priv(dev);
	struct ip_tunnel_6rd ip6rd;

	if (!ns_capable(t->net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (copy_from_user(&ip6rd, data, sizeof(ip6rd)))
		return -EFAULT;
	if (cmd != SIOCDEL6RD)
		return sit_update_6rd(t, &ip6rd);
	sit_clone_6rd(dev);
	return 0;
}

static bool sit_valid_proto(u8 ipproto)
{
	return ipproto == IPPROTO_IPV6 || ipproto == IPPROTO_IPIP || ipproto == 0;
}

/* __ipip6_tunnel_ioctl_validate(). */
static int sit_ioctl_validate(struct net *net, struct ip_tunnel_parm_kern *p)
{
	if (!ns_capable(net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (!sit_valid_proto(p->iph.protocol))
		return -EINVAL;
	if (p->iph.version != 4 || p->iph.ihl != 5 || (p->iph.frag_off & htons(~IP_DF)))
		return -EINVAL;
	if (p->iph.ttl)
		p->iph.frag_off |= htons(IP_DF);
	return 0;
}

/* ipip6_tunnel_ctl(): SIOC{GET,ADD,CHG,DEL}TUNNEL, on sit0 or the tunnel itself. */
static int sit_tunnel_ctl(struct net_device *dev, struct ip_tunnel_parm_kern *p, int cmd)
{
	struct ip_tunnel *t = netdev_priv(dev);
	struct net *net = t->net;
	int err;

	switch (cmd) {
	case SIOCGETTUNNEL:
		if (sit_is_fallback(dev))
			t = sit_locate(net, p, 0);
		if (!t)
			t = netdev_priv(dev);
		memcpy(p, &t->parms, sizeof(*p));
		return 0;
	case SIOCADDTUNNEL:
		err = sit_ioctl_validate(net, p);
		if (err)
			return err;
		return sit_locate(net, p, 1) ? 0 : -ENOBUFS;
	case SIOCCHGTUNNEL:
		err = sit_ioctl_validate(net, p);
		if (err)
			return err;
		t = sit_locate(net, p, 0);
		if (sit_is_fallback(dev))
			return t ? 0 : -ENOENT;
		if (t) {
			if (t->dev != dev)
				return -EEXIST;
		} else {
			if (((dev->flags & IFF_POINTOPOINT) && !p->iph.daddr) ||
			    (!(dev->flags & IFF_POINTOPOINT) && p->iph.daddr))
				return -EINVAL;
			t = netdev_priv(dev);
		}
		sit_update(t, p, t->fwmark);
		return 0;
	case SIOCDELTUNNEL:
		if (!ns_capable(net->user_ns, CAP_NET_ADMIN))
			return -EPERM;
		if (sit_is_fallback(dev)) {
			t = sit_locate(net, p, 0);
			if (!t)
				return -ENOENT;
			if (sit_is_fallback(t->dev))
				return -EPERM;
			dev = t->dev;
		}
		unregister_netdevice(dev);
		return 0;
	default:
		return -EINVAL;
	}
}

/* ip_tunnel_siocdevprivate() with ipip6_tunnel_siocdevprivate()'s PRL and 6rd
 * commands. */
static int sit_siocdevprivate(struct net_device *dev, struct ifreq *ifr, void __user *data,
			      int cmd)
{
	struct ip_tunnel_parm_kern p;
	int err;

	switch (cmd) {
	case SIOCGETTUNNEL:
	case SIOCADDTUNNEL:
	case SIOCCHGTUNNEL:
	case SIOCDELTUNNEL:
		if (!sit_parm_from_user(&p, data))
			return -EFAULT;
		err = sit_tunnel_ctl(dev, &p, cmd);
		if (!err && !sit_parm_to_user(data, &p))
			return -EFAULT;
		return err;
	case SIOCGETPRL:
		return sit_get_prl(dev, data);
	case SIOCADDPRL:
	case SIOCDELPRL:
	case SIOCCHGPRL:
		return sit_prl_ctl(dev, data, cmd);
	case SIOCGET6RD:
		return sit_get6rd(dev, data);
	case SIOCADD6RD:
	case SIOCCHG6RD:
	case SIOCDEL6RD:
		return sit_6rdctl(dev, data, cmd);
	default:
		return -EINVAL;
	}
}

static netdev_tx_t sit_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	return sit_ops->xmit(skb, dev);
}

static int sit_get_iflink(const struct net_device *dev)
{
	const struct ip_tunnel *t = netdev_priv(dev);

	return READ_ONCE(t->parms.link);
}

/* ipip6_tunnel_init(). */
static int sit_dev_init(struct net_device *dev)
{
	struct ip_tunnel *t = netdev_priv(dev);
	int err;

	t->dev = dev;
	strscpy(t->parms.name, dev->name, IFNAMSIZ);
	sit_bind_dev(dev);
	err = dst_cache_init(&t->dst_cache, GFP_KERNEL);
	if (err)
		return err;
	netdev_hold(dev, &t->dev_tracker, GFP_KERNEL);
	netdev_lockdep_set_classes(dev);
	return 0;
}

/* ipip6_tunnel_uninit(). */
static void sit_dev_uninit(struct net_device *dev)
{
	struct ip_tunnel *t = netdev_priv(dev);
	struct ipv6_rs_sit_net *sitn = sit_net(dev);

	sit_ops->unlink(dev);
	if (dev == sitn->fb_tunnel_dev)
		sitn->fb_tunnel_dev = NULL;
	else
		sit_del_prl(t, NULL);
	dst_cache_reset(&t->dst_cache);
	netdev_put(dev, &t->dev_tracker);
}

static void sit_dev_free(struct net_device *dev)
{
	struct ip_tunnel *t = netdev_priv(dev);

	dst_cache_destroy(&t->dst_cache);
}

static const struct net_device_ops sit_netdev_ops = {
	.ndo_init = sit_dev_init,
	.ndo_uninit = sit_dev_uninit,
	.ndo_start_xmit = sit_start_xmit,
	.ndo_siocdevprivate = sit_siocdevprivate,
	.ndo_get_iflink = sit_get_iflink,
	.ndo_tunnel_ctl = sit_tunnel_ctl,
};

/*
 * ipip6_tunnel_setup(). Mainline offers scatter-gather, checksum and GSO offloads
 * (SIT_FEATURES) and segments after encapsulation; here the stack hands the tunnel
 * whole, checksummed packets, as to ip6tnl (Documentation/abi.rst).
 */
static void sit_setup(struct net_device *dev)
{
	struct ip_tunnel *t = netdev_priv(dev);
	int t_hlen = t->hlen + sizeof(struct iphdr);

	dev->netdev_ops = &sit_netdev_ops;
	dev->header_ops = &ip_tunnel_header_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = sit_dev_free;
	dev->type = ARPHRD_SIT;
	dev->mtu = ETH_DATA_LEN - t_hlen;
	dev->min_mtu = IPV6_MIN_MTU;
	dev->max_mtu = IP6_MAX_MTU - t_hlen;
	dev->flags = IFF_NOARP;
	netif_keep_dst(dev);
	dev->addr_len = 4;
	dev->lltx = true;
	dev->features |= NETIF_F_SG | NETIF_F_HIGHDMA;
	dev->hw_features |= NETIF_F_SG | NETIF_F_HIGHDMA;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
}

static int sit_validate(struct nlattr *tb[], struct nlattr *data[], struct netlink_ext_ack *extack)
{
	if (!data || !data[IFLA_IPTUN_PROTO])
		return 0;
	return sit_valid_proto(nla_get_u8(data[IFLA_IPTUN_PROTO])) ? 0 : -EINVAL;
}

/* ipip6_netlink_parms(). */
static void sit_netlink_parms(struct nlattr *data[], struct ip_tunnel_parm_kern *parms,
			      __u32 *fwmark)
{
	memset(parms, 0, sizeof(*parms));
	parms->iph.version = 4;
	parms->iph.protocol = IPPROTO_IPV6;
	parms->iph.ihl = 5;
	parms->iph.ttl = 64;
	if (!data)
		return;
	ip_tunnel_netlink_parms(data, parms);
	if (data[IFLA_IPTUN_FWMARK])
		*fwmark = nla_get_u32(data[IFLA_IPTUN_FWMARK]);
}

/* ipip6_netlink_6rd_parms(): whether any 6rd attribute is present. */
static bool sit_netlink_6rd_parms(struct nlattr *data[], struct ip_tunnel_6rd *ip6rd)
{
	bool ret = false;

	memset(ip6rd, 0, sizeof(*ip6rd));
	if (!data)
		return false;
	if (data[IFLA_IPTUN_6RD_PREFIX]) {
		ret = true;
		ip6rd->prefix = nla_get_in6_addr(data[IFLA_IPTUN_6RD_PREFIX]);
	}
	if (data[IFLA_IPTUN_6RD_RELAY_PREFIX]) {
		ret = true;
		ip6rd->relay_prefix = nla_get_be32(data[IFLA_IPTUN_6RD_RELAY_PREFIX]);
	}
	if (data[IFLA_IPTUN_6RD_PREFIXLEN]) {
		ret = true;
		ip6rd->prefixlen = nla_get_u16(data[IFLA_IPTUN_6RD_PREFIXLEN]);
	}
	if (data[IFLA_IPTUN_6RD_RELAY_PREFIXLEN]) {
		ret = true;
		ip6rd->relay_prefixlen = nla_get_u16(data[IFLA_IPTUN_6RD_RELAY_PREFIXLEN]);
	}
	return ret;
}

/*
 * ip_tunnel_encap_setup() without encapsulation modules: no FOU or GUE encapsulation
 * is registered (fou imports ip_tunnel.ko's), so any type but none is -EINVAL, as on
 * mainline while fou is not loaded.
 */
static int sit_encap_setup(struct ip_tunnel *t, struct nlattr *data[])
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

/* ipip6_newlink(). */
static int sit_newlink(struct net *src_net, struct net_device *dev, struct nlattr *tb[],
		       struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct net *net = dev_net(dev);
	struct ip_tunnel *nt = netdev_priv(dev);
	struct ip_tunnel_6rd ip6rd;
	int err;

	nt->net = net;
	err = sit_encap_setup(nt, data);
	if (err < 0)
		return err;
	sit_netlink_parms(data, &nt->parms, &nt->fwmark);
	if (sit_locate(net, &nt->parms, 0))
		return -EEXIST;
	err = sit_create(dev);
	if (err < 0)
		return err;
	if (tb[IFLA_MTU]) {
		u32 mtu = nla_get_u32(tb[IFLA_MTU]);

		if (mtu >= IPV6_MIN_MTU && mtu <= IP6_MAX_MTU - dev->hard_header_len)
			dev->mtu = mtu;
	}
	if (sit_netlink_6rd_parms(data, &ip6rd)) {
		err = sit_update_6rd(nt, &ip6rd);
		if (err < 0)
			unregister_netdevice_queue(dev, NULL);
	}
	return err;
}

/* ipip6_changelink(). */
static int sit_changelink(struct net_device *dev, struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	struct ip_tunnel *t = netdev_priv(dev);
	struct ip_tunnel_parm_kern p;
	struct net *net = t->net;
	struct ip_tunnel_6rd ip6rd;
	__u32 fwmark = t->fwmark;
	int err;

	if (!rtnl_dev_link_net_capable(dev, net))
		return -EPERM;
	if (sit_is_fallback(dev))
		return -EINVAL;
	err = sit_encap_setup(t, data);
	if (err < 0)
		return err;
	sit_netlink_parms(data, &p, &fwmark);
	if (((dev->flags & IFF_POINTOPOINT) && !p.iph.daddr) ||
	    (!(dev->flags & IFF_POINTOPOINT) && p.iph.daddr))
		return -EINVAL;
	t = sit_locate(net, &p, 0);
	if (t) {
		if (t->dev != dev)
			return -EEXIST;
	} else {
		t = netdev_priv(dev);
	}
	sit_update(t, &p, fwmark);
	if (sit_netlink_6rd_parms(data, &ip6rd))
		return sit_update_6rd(t, &ip6rd);
	return 0;
}

static size_t sit_get_size(const struct net_device *dev)
{
	return nla_total_size(4) +			/* IFLA_IPTUN_LINK */
	       nla_total_size(4) +			/* IFLA_IPTUN_LOCAL */
	       nla_total_size(4) +			/* IFLA_IPTUN_REMOTE */
	       nla_total_size(1) +			/* IFLA_IPTUN_TTL */
	       nla_total_size(1) +			/* IFLA_IPTUN_TOS */
	       nla_total_size(1) +			/* IFLA_IPTUN_PMTUDISC */
	       nla_total_size(2) +			/* IFLA_IPTUN_FLAGS */
	       nla_total_size(1) +			/* IFLA_IPTUN_PROTO */
	       nla_total_size(sizeof(struct in6_addr)) +	/* IFLA_IPTUN_6RD_PREFIX */
	       nla_total_size(4) +			/* IFLA_IPTUN_6RD_RELAY_PREFIX */
	       nla_total_size(2) +			/* IFLA_IPTUN_6RD_PREFIXLEN */
	       nla_total_size(2) +			/* IFLA_IPTUN_6RD_RELAY_PREFIXLEN */
	       nla_total_size(2) +			/* IFLA_IPTUN_ENCAP_TYPE */
	       nla_total_size(2) +			/* IFLA_IPTUN_ENCAP_FLAGS */
	       nla_total_size(2) +			/* IFLA_IPTUN_ENCAP_SPORT */
	       nla_total_size(2) +			/* IFLA_IPTUN_ENCAP_DPORT */
	       nla_total_size(4);			/* IFLA_IPTUN_FWMARK */
}

static int sit_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct ip_tunnel *tunnel = netdev_priv(dev);
	struct ip_tunnel_parm_kern *parm = &tunnel->parms;

	if (nla_put_u32(skb, IFLA_IPTUN_LINK, parm->link) ||
	    nla_put_in_addr(skb, IFLA_IPTUN_LOCAL, parm->iph.saddr) ||
	    nla_put_in_addr(skb, IFLA_IPTUN_REMOTE, parm->iph.daddr) ||
	    nla_put_u8(skb, IFLA_IPTUN_TTL, parm->iph.ttl) ||
	    nla_put_u8(skb, IFLA_IPTUN_TOS, parm->iph.tos) ||
	    nla_put_u8(skb, IFLA_IPTUN_PMTUDISC, !!(parm->iph.frag_off & htons(IP_DF))) ||
	    nla_put_u8(skb, IFLA_IPTUN_PROTO, parm->iph.protocol) ||
	    nla_put_be16(skb, IFLA_IPTUN_FLAGS, ip_tunnel_flags_to_be16(parm->i_flags)) ||
	    nla_put_u32(skb, IFLA_IPTUN_FWMARK, tunnel->fwmark))
		return -EMSGSIZE;
	if (nla_put_in6_addr(skb, IFLA_IPTUN_6RD_PREFIX, &tunnel->ip6rd.prefix) ||
	    nla_put_in_addr(skb, IFLA_IPTUN_6RD_RELAY_PREFIX, tunnel->ip6rd.relay_prefix) ||
	    nla_put_u16(skb, IFLA_IPTUN_6RD_PREFIXLEN, tunnel->ip6rd.prefixlen) ||
	    nla_put_u16(skb, IFLA_IPTUN_6RD_RELAY_PREFIXLEN, tunnel->ip6rd.relay_prefixlen))
		return -EMSGSIZE;
	if (nla_put_u16(skb, IFLA_IPTUN_ENCAP_TYPE, tunnel->encap.type) ||
	    nla_put_be16(skb, IFLA_IPTUN_ENCAP_SPORT, tunnel->encap.sport) ||
	    nla_put_be16(skb, IFLA_IPTUN_ENCAP_DPORT, tunnel->encap.dport) ||
	    nla_put_u16(skb, IFLA_IPTUN_ENCAP_FLAGS, tunnel->encap.flags))
		return -EMSGSIZE;
	return 0;
}

static struct net *sit_get_link_net(const struct net_device *dev)
{
	struct ip_tunnel *tunnel = netdev_priv(dev);

	return READ_ONCE(tunnel->net);
}

static const struct nla_policy sit_policy[IFLA_IPTUN_MAX + 1] = {
	[IFLA_IPTUN_LINK] = { .type = NLA_U32 },
	[IFLA_IPTUN_LOCAL] = { .type = NLA_U32 },
	[IFLA_IPTUN_REMOTE] = { .type = NLA_U32 },
	[IFLA_IPTUN_TTL] = { .type = NLA_U8 },
	[IFLA_IPTUN_TOS] = { .type = NLA_U8 },
	[IFLA_IPTUN_PMTUDISC] = { .type = NLA_U8 },
	[IFLA_IPTUN_FLAGS] = { .type = NLA_U16 },
	[IFLA_IPTUN_PROTO] = { .type = NLA_U8 },
	[IFLA_IPTUN_6RD_PREFIX] = { .len = sizeof(struct in6_addr) },
	[IFLA_IPTUN_6RD_RELAY_PREFIX] = { .type = NLA_U32 },
	[IFLA_IPTUN_6RD_PREFIXLEN] = { .type = NLA_U16 },
	[IFLA_IPTUN_6RD_RELAY_PREFIXLEN] = { .type = NLA_U16 },
	[IFLA_IPTUN_ENCAP_TYPE] = { .type = NLA_U16 },
	[IFLA_IPTUN_ENCAP_FLAGS] = { .type = NLA_U16 },
	[IFLA_IPTUN_ENCAP_SPORT] = { .type = NLA_U16 },
	[IFLA_IPTUN_ENCAP_DPORT] = { .type = NLA_U16 },
	[IFLA_IPTUN_FWMARK] = { .type = NLA_U32 },
};

static void sit_dellink(struct net_device *dev, struct list_head *head)
{
	if (!sit_is_fallback(dev))
		unregister_netdevice_queue(dev, head);
}

static struct rtnl_link_ops sit_link_ops __read_mostly = {
	.kind = "sit",
	.maxtype = IFLA_IPTUN_MAX,
	.policy = sit_policy,
	.priv_size = sizeof(struct ip_tunnel),
	.setup = sit_setup,
	.validate = sit_validate,
	.newlink = sit_newlink,
	.changelink = sit_changelink,
	.get_size = sit_get_size,
	.fill_info = sit_fill_info,
	.dellink = sit_dellink,
	.get_link_net = sit_get_link_net,
};

/* sit_init_net(): the fallback device, unless the namespace wants none. */
static int __net_init sit_init_net(struct net *net)
{
	struct ipv6_rs_sit_net *sitn = net_generic(net, sit_net_id);
	struct net_device *dev;
	struct ip_tunnel *t;
	int err;

	if (!net_has_fallback_tunnels(net))
		return 0;
	dev = alloc_netdev(sizeof(struct ip_tunnel), "sit0", NET_NAME_UNKNOWN, sit_setup);
	if (!dev)
		return -ENOMEM;
	dev_net_set(dev, net);
	dev->rtnl_link_ops = &sit_link_ops;
	/* One per namespace: it never moves to another. */
	dev->netns_immutable = true;
	t = netdev_priv(dev);
	t->net = net;
	/* ipip6_fb_tunnel_init(). */
	t->parms.iph.version = 4;
	t->parms.iph.protocol = IPPROTO_IPV6;
	t->parms.iph.ihl = 5;
	t->parms.iph.ttl = 64;
	rtnl_lock();
	err = sit_ops->reserve(net);
	if (!err)
		err = register_netdevice(dev);
	if (err < 0) {
		rtnl_unlock();
		free_netdev(dev);
		return err;
	}
	sitn->fb_tunnel_dev = dev;
	sit_clone_6rd(dev);
	strscpy(t->parms.name, dev->name, IFNAMSIZ);
	sit_ops->link(dev);
	rtnl_unlock();
	return 0;
}

/* sit_destroy_tunnels(): every sit device of net, and those elsewhere whose outer
 * packets are in net. */
static void __net_exit sit_exit_batch_rtnl(struct list_head *net_list,
					   struct list_head *dev_to_kill)
{
	struct net_device *dev, *aux;
	struct net *net;

	ASSERT_RTNL();
	list_for_each_entry(net, net_list, exit_list) {
		for_each_netdev_safe(net, dev, aux)
			if (dev->rtnl_link_ops == &sit_link_ops)
				unregister_netdevice_queue(dev, dev_to_kill);
		sit_ops->destroy_foreign(net, dev_to_kill);
	}
}

static struct pernet_operations sit_net_ops = {
	.init = sit_init_net,
	.exit_batch_rtnl = sit_exit_batch_rtnl,
	.id = &sit_net_id,
	.size = sizeof(struct ipv6_rs_sit_net),
};

/*
 * sit_init(), called by sit.ko: fallback devices in every namespace, then the link
 * kind. The receive handlers are sit.ko's to register with tunnel4, which ipv6_rs
 * does not import.
 */
int ipv6_rs_sit_start(void)
{
	int err;

	err = register_pernet_device(&sit_net_ops);
	if (err < 0)
		return err;
	err = rtnl_link_register(&sit_link_ops);
	if (err < 0)
		unregister_pernet_device(&sit_net_ops);
	return err;
}
EXPORT_SYMBOL_GPL(ipv6_rs_sit_start);

void ipv6_rs_sit_stop(void)
{
	rtnl_link_unregister(&sit_link_ops);
	unregister_pernet_device(&sit_net_ops);
	/* The potential router lists freed after a grace period. */
	rcu_barrier();
}
EXPORT_SYMBOL_GPL(ipv6_rs_sit_stop);

/* tunnel4's handlers: ours (0) or not (1, the next handler's). */
int ipv6_rs_sit_rcv6(struct sk_buff *skb)
{
	return sit_ops->rcv(skb, IPPROTO_IPV6);
}
EXPORT_SYMBOL_GPL(ipv6_rs_sit_rcv6);

int ipv6_rs_sit_rcv4(struct sk_buff *skb)
{
	return sit_ops->rcv(skb, IPPROTO_IPIP);
}
EXPORT_SYMBOL_GPL(ipv6_rs_sit_rcv4);

int ipv6_rs_sit_err(struct sk_buff *skb, u32 info)
{
	return sit_ops->err(skb, info);
}
EXPORT_SYMBOL_GPL(ipv6_rs_sit_err);

/*
 * ipip6_rcv() and sit_tunnel_rcv() once the tunnel is chosen and accepted: skb (data
 * at the inner header, network header at the outer) becomes a packet received on the
 * tunnel device (IPv4 inside with v4inner), with the inner ECN field set to CE if
 * set_ce and, for ISATAP, the node type of its source. Consumes skb.
 */
void ipv6_rs_sit_deliver(struct net_device *dev, struct sk_buff *skb, bool v4inner, bool set_ce,
			 u8 nodetype)
{
	struct ip_tunnel *t = netdev_priv(dev);

	if (v4inner && !xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb))
		goto drop;
	skb->mac_header = skb->network_header;
	skb_reset_network_header(skb);
	IPCB(skb)->flags = 0;
	skb->dev = dev;
#ifdef CONFIG_IPV6_NDISC_NODETYPE
	skb->ndisc_nodetype = nodetype;
#endif
	if (iptunnel_pull_header(skb, 0, v4inner ? htons(ETH_P_IP) : htons(ETH_P_IPV6),
				 !net_eq(t->net, dev_net(dev))))
		goto drop;
	skb_reset_mac_header(skb);
	if (set_ce) {
		if (v4inner)
			IP_ECN_set_ce(ip_hdr(skb));
		else
			IP6_ECN_set_ce(skb, ipv6_hdr(skb));
	}
	dev_sw_netstats_rx_add(dev, skb->len);
	netif_rx(skb);
	return;
drop:
	kfree_skb(skb);
}

/*
 * The IPv4 route of a tunnel's outer packet to daddr (ipip6_tunnel_xmit()'s flow, and
 * its cached route for a tunnel with a remote end), unicast or local; NULL, counted
 * as a carrier error, if there is none. *saddr is the source it chose.
 */
struct rtable *ipv6_rs_sit_route(struct net_device *dev, __be32 daddr, u8 tos, u8 proto,
				 __be32 *saddr)
{
	struct ip_tunnel *t = netdev_priv(dev);
	bool cached = t->parms.iph.daddr == daddr;
	struct rtable *rt = NULL;
	struct flowi4 fl4;

	flowi4_init_output(&fl4, t->parms.link, t->fwmark, tos & INET_DSCP_MASK,
			   RT_SCOPE_UNIVERSE, proto, 0, daddr, t->parms.iph.saddr, 0, 0,
			   sock_net_uid(t->net, NULL));
	/* Mainline caches the route of any destination; only the remote end's here,
	 * since a multipoint tunnel's packets go to many. */
	if (cached)
		rt = dst_cache_get_ip4(&t->dst_cache, &fl4.saddr);
	if (!rt) {
		rt = ip_route_output_flow(t->net, &fl4, NULL);
		if (IS_ERR(rt)) {
			DEV_STATS_INC(dev, tx_carrier_errors);
			return NULL;
		}
		if (cached)
			dst_cache_set_ip4(&t->dst_cache, &rt->dst, fl4.saddr);
	}
	if (rt->rt_type != RTN_UNICAST && rt->rt_type != RTN_LOCAL) {
		ip_rt_put(rt);
		DEV_STATS_INC(dev, tx_carrier_errors);
		return NULL;
	}
	*saddr = fl4.saddr;
	return rt;
}

unsigned int ipv6_rs_rt4_mtu(struct rtable *rt)
{
	return dst4_mtu(&rt->dst);
}

int ipv6_rs_rt4_ifindex(struct rtable *rt)
{
	return rt->dst.dev->ifindex;
}

void ipv6_rs_rt4_put(struct rtable *rt)
{
	ip_rt_put(rt);
}

/*
 * The end of ipip6_tunnel_xmit(): headroom for the outer header over rt's device, and
 * out through iptunnel_xmit() (which counts the packet on the tunnel). Consumes skb
 * and rt.
 */
void ipv6_rs_sit_xmit(struct net_device *dev, struct sk_buff *skb, struct rtable *rt,
		      __be32 saddr, __be32 daddr, u8 proto, u8 tos, u8 ttl, bool df)
{
	struct ip_tunnel *t = netdev_priv(dev);
	unsigned int max_headroom = LL_RESERVED_SPACE(rt->dst.dev) + t->hlen + sizeof(struct iphdr);

	/* The inner headers where they are (what iptunnel_xmit() counts from); the packet
	 * is whole and checksummed (no offloads offered), so this cannot fail. */
	if (iptunnel_handle_offloads(skb, SKB_GSO_IPXIP4)) {
		ip_rt_put(rt);
		DEV_STATS_INC(dev, tx_errors);
		kfree_skb(skb);
		return;
	}
	if (skb_headroom(skb) < max_headroom || skb_shared(skb) ||
	    (skb_cloned(skb) && !skb_clone_writable(skb, 0))) {
		struct sk_buff *new_skb = skb_realloc_headroom(skb, max_headroom);

		if (!new_skb) {
			ip_rt_put(rt);
			DEV_STATS_INC(dev, tx_dropped);
			kfree_skb(skb);
			return;
		}
		if (skb->sk)
			skb_set_owner_w(new_skb, skb->sk);
		dev_kfree_skb(skb);
		skb = new_skb;
	}
	skb_set_inner_ipproto(skb, proto);
	iptunnel_xmit(NULL, rt, skb, saddr, daddr, proto, tos, ttl, df ? htons(IP_DF) : 0,
		      !net_eq(t->net, dev_net(dev)));
}

/* The IPv4 next hop of an IPv4 packet sent into the tunnel (its route's gateway, or
 * daddr on the link): ip_tunnel_xmit()'s destination for a tunnel without a remote
 * end. 0 without a route. */
__be32 ipv6_rs_sit_v4_nexthop(struct sk_buff *skb, __be32 daddr)
{
	struct rtable *rt = skb_rtable(skb);

	return rt ? rt_nexthop(rt, daddr) : 0;
}

/* ipip6_err()'s outer path: the MTU a fragmentation needed gives, or the redirect. */
void ipv6_rs_sit_icmp_err(struct sk_buff *skb, u32 info, int link, bool redirect)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;

	if (redirect)
		ipv4_redirect(skb, dev_net(skb->dev), link, iph->protocol);
	else
		ipv4_update_pmtu(skb, dev_net(skb->dev), info, link, iph->protocol);
}

/*
 * The first half of ip6_err_gen_icmpv6_unreach(): a copy of the ICMP error skb (its
 * data at the quoted IPv4 header of nhs bytes) whose network header is the quoted
 * IPv6 packet's, with RFC 4884's original datagram (*data_len bytes, 0 if it gives
 * none or a bad one) padded as RFC 4884 4.5 wants. NULL if there is not enough of it.
 */
struct sk_buff *ipv6_rs_sit_err_clone(struct sk_buff *skb, int nhs, unsigned int *data_len)
{
	unsigned int len = *data_len;
	struct sk_buff *skb2;

	if (!pskb_may_pull(skb, nhs + sizeof(struct ipv6hdr) + 8))
		return NULL;
	if (len < 128 || (len & 7) || skb->len < len)
		len = 0;
	skb2 = len ? skb_copy(skb, GFP_ATOMIC) : skb_clone(skb, GFP_ATOMIC);
	if (!skb2)
		return NULL;
	memset(IP6CB(skb2), 0, sizeof(*IP6CB(skb2)));
	skb_dst_drop(skb2);
	skb_pull(skb2, nhs);
	skb_reset_network_header(skb2);
	if (len) {
		__skb_push(skb2, nhs);
		skb_reset_network_header(skb2);
		memmove(skb2->data, skb2->data + nhs, len - nhs);
		memset(skb2->data + len - nhs, 0, nhs);
	}
	*data_len = len;
	return skb2;
}

/* The ICMP header of an error tunnel4 hands over: type, code and RFC 4884's length
 * byte (un.reserved[1]). */
void ipv6_rs_icmp4_hdr(const struct sk_buff *skb, u8 *type, u8 *code, u8 *length)
{
	const struct icmphdr *h = icmp_hdr(skb);

	*type = h->type;
	*code = h->code;
	*length = h->un.reserved[1];
}

/* The device enslaved to the L3 master skb came in on, else 0. */
int ipv6_rs_sit_sifindex(const struct sk_buff *skb)
{
	return netif_is_l3_master(skb->dev) ? IPCB(skb)->iif : 0;
}
