// SPDX-License-Identifier: GPL-2.0
/*
 * ip6_tunnel.ko for ipv6_rs: loading it does what loading mainline's ip6_tunnel.ko
 * does (the ip6tnl link kind, ip6tnl0 in every namespace, IPv6 and IPv4 over IPv6
 * received through tunnel6's handler chains), with the tunnels themselves in
 * ipv6_rs.ko (include/tunnel.c, rust/ipv6/ip6_tunnel.rs). The module names and
 * aliases are mainline's, so `modprobe ip6_tunnel`, `ip link add ... type ip6tnl`
 * (rtnl-link-ip6tnl) and `ip -6 tunnel` (netdev-ip6tnl0) load it as they load
 * mainline's. It is a module of its own only for that: it imports tunnel6, which
 * ipv6_rs does not need otherwise, and unloading it removes every ip6tnl device.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/addrconf.h>
#include <net/dsfield.h>
#include <net/dst_cache.h>
#include <net/dst_metadata.h>
#include <net/gro_cells.h>
#include <net/inet_ecn.h>
#include <net/ip6_route.h>
#include <net/ip6_tunnel.h>
#include <net/ip_tunnels.h>
#include <net/rtnetlink.h>
#include <net/xfrm.h>

#include "ipv6_rs_tunnel.h"

static struct xfrm6_tunnel ip4ip6_handler __read_mostly = {
	.handler = ipv6_rs_ip4ip6_rcv,
	.err_handler = ipv6_rs_ip4ip6_err,
	.priority = 1,
};

static struct xfrm6_tunnel ip6ip6_handler __read_mostly = {
	.handler = ipv6_rs_ip6ip6_rcv,
	.err_handler = ipv6_rs_ip6ip6_err,
	.priority = 1,
};

static int __init ip6_tunnel_init(void)
{
	int err;

	err = ipv6_rs_ip6tnl_start();
	if (err < 0)
		return err;
	err = xfrm6_tunnel_register(&ip4ip6_handler, AF_INET);
	if (err < 0) {
		pr_err("%s: can't register ip4ip6\n", __func__);
		goto out_stop;
	}
	err = xfrm6_tunnel_register(&ip6ip6_handler, AF_INET6);
	if (err < 0) {
		pr_err("%s: can't register ip6ip6\n", __func__);
		goto out_ip4ip6;
	}
	return 0;

out_ip4ip6:
	xfrm6_tunnel_deregister(&ip4ip6_handler, AF_INET);
out_stop:
	ipv6_rs_ip6tnl_stop();
	return err;
}

static void __exit ip6_tunnel_cleanup(void)
{
	if (xfrm6_tunnel_deregister(&ip4ip6_handler, AF_INET))
		pr_info("%s: can't deregister ip4ip6\n", __func__);
	if (xfrm6_tunnel_deregister(&ip6ip6_handler, AF_INET6))
		pr_info("%s: can't deregister ip6ip6\n", __func__);
	ipv6_rs_ip6tnl_stop();
}

module_init(ip6_tunnel_init);
module_exit(ip6_tunnel_cleanup);
MODULE_LICENSE("GPL");
MODULE_ALIAS_RTNL_LINK("ip6tnl");
MODULE_ALIAS_NETDEV("ip6tnl0");
MODULE_DESCRIPTION("IP-in-IPv6 tunnel driver (ipv6_rs)");

/*
 * The ip6_tnl_* symbols of mainline's ip6_tunnel.ko, under its names, prototypes and
 * export kinds, for the kernel's modules built on them (ip6_gre; ip6_vti, fou6), on
 * their own devices whose private data is a struct ip6_tnl. The packet handling is
 * here, on the kernel's own helpers as mainline's; what to do is decided in ipv6_rs
 * (include/tunnel.c's operations): the capabilities and address checks, the
 * encapsulation limit parser, ECN decapsulation (RFC 6040), the next hop of an NBMA
 * tunnel, and the outer route (ip6_route_output(), ipv6_rs's export).
 */

__u16 ip6_tnl_parse_tlv_enc_lim(struct sk_buff *skb, __u8 *raw)
{
	return ipv6_rs_tnl_parse_enc_lim(skb, raw - skb->data);
}
EXPORT_SYMBOL(ip6_tnl_parse_tlv_enc_lim);

__u32 ip6_tnl_get_cap(struct ip6_tnl *t, const struct in6_addr *laddr,
		      const struct in6_addr *raddr)
{
	return ipv6_rs_tnl_get_cap(laddr, raddr, READ_ONCE(t->parms.link));
}
EXPORT_SYMBOL(ip6_tnl_get_cap);

/* Called in an RCU section. */
int ip6_tnl_rcv_ctl(struct ip6_tnl *t, const struct in6_addr *laddr,
		    const struct in6_addr *raddr)
{
	return ipv6_rs_tnl_ctl(t->dev, laddr, raddr, true);
}
EXPORT_SYMBOL_GPL(ip6_tnl_rcv_ctl);

int ip6_tnl_xmit_ctl(struct ip6_tnl *t, const struct in6_addr *laddr,
		     const struct in6_addr *raddr)
{
	int ret;

	rcu_read_lock();
	ret = ipv6_rs_tnl_ctl(t->dev, laddr, raddr, false);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(ip6_tnl_xmit_ctl);

/*
 * The DS field's part of decapsulation (ip6ip6_dscp_ecn_decapsulate(),
 * ip4ip6_dscp_ecn_decapsulate()): the outer DSCP copied in with
 * IP6_TNL_F_RCV_DSCP_COPY, the inner ECN field by RFC 6040. 0, 1 (log) or 2 (drop).
 */
static int tnl_dscp_ecn_decap(const struct ip6_tnl *t, const struct ipv6hdr *outer,
			      struct sk_buff *skb, bool ip4)
{
	u8 ds = ipv6_get_dsfield(outer), inner;
	int verdict;

	if (t->parms.flags & IP6_TNL_F_RCV_DSCP_COPY) {
		if (ip4)
			ipv4_change_dsfield(ip_hdr(skb), INET_ECN_MASK, ds);
		else
			ipv6_copy_dscp(ds, ipv6_hdr(skb));
	}
	switch (skb_protocol(skb, true)) {
	case htons(ETH_P_IP):
		inner = ip_hdr(skb)->tos;
		break;
	case htons(ETH_P_IPV6):
		inner = ipv6_get_dsfield(ipv6_hdr(skb));
		break;
	default:
		return 0;
	}
	verdict = ipv6_rs_tnl_ecn_decap(ds, inner);
	if (verdict == 3) {
		if (skb_protocol(skb, true) == htons(ETH_P_IP))
			IP_ECN_set_ce(ip_hdr(skb));
		else
			IP6_ECN_set_ce(skb, ipv6_hdr(skb));
		return 0;
	}
	return verdict;
}

/*
 * A packet for tunnel t (data at the payload of the tunnel's own header, network
 * header at the outer IPv6 header) becomes a packet received on its device: the
 * checksum and sequence flags checked against the tunnel's, Ethernet frames (gretap)
 * taken apart, ECN decapsulated, counted, and handed to GRO. Consumes skb (and
 * tun_dst); returns 0.
 */
int ip6_tnl_rcv(struct ip6_tnl *t, struct sk_buff *skb, const struct tnl_ptk_info *tpi,
		struct metadata_dst *tun_dst, bool log_ecn_err)
{
	struct net_device *dev = t->dev;
	const struct ipv6hdr *ipv6h;
	int nh, err;

	if (test_bit(IP_TUNNEL_CSUM_BIT, t->parms.i_flags) !=
	    test_bit(IP_TUNNEL_CSUM_BIT, tpi->flags)) {
		DEV_STATS_INC(dev, rx_crc_errors);
		DEV_STATS_INC(dev, rx_errors);
		goto drop;
	}
	if (test_bit(IP_TUNNEL_SEQ_BIT, t->parms.i_flags)) {
		if (!test_bit(IP_TUNNEL_SEQ_BIT, tpi->flags) ||
		    (t->i_seqno && (s32)(ntohl(tpi->seq) - t->i_seqno) < 0)) {
			DEV_STATS_INC(dev, rx_fifo_errors);
			DEV_STATS_INC(dev, rx_errors);
			goto drop;
		}
		t->i_seqno = ntohl(tpi->seq) + 1;
	}
	skb->protocol = tpi->proto;
	if (dev->type == ARPHRD_ETHER) {
		if (!pskb_may_pull(skb, ETH_HLEN)) {
			DEV_STATS_INC(dev, rx_length_errors);
			DEV_STATS_INC(dev, rx_errors);
			goto drop;
		}
		skb->protocol = eth_type_trans(skb, dev);
		skb_postpull_rcsum(skb, eth_hdr(skb), ETH_HLEN);
	} else {
		skb->dev = dev;
		skb_reset_mac_header(skb);
	}
	/* The outer header by its offset: skb->head may move below. */
	nh = skb_network_header(skb) - skb->head;
	skb_reset_network_header(skb);
	if (skb_vlan_inet_prepare(skb, true)) {
		DEV_STATS_INC(dev, rx_length_errors);
		DEV_STATS_INC(dev, rx_errors);
		goto drop;
	}
	ipv6h = (const struct ipv6hdr *)(skb->head + nh);
	memset(skb->cb, 0, sizeof(struct inet6_skb_parm));
	__skb_tunnel_rx(skb, dev, t->net);
	err = tnl_dscp_ecn_decap(t, ipv6h, skb, tpi->proto == htons(ETH_P_IP));
	if (unlikely(err)) {
		if (log_ecn_err)
			net_info_ratelimited("non-ECT from %pI6 with DS=%#x\n", &ipv6h->saddr,
					     ipv6_get_dsfield(ipv6h));
		if (err > 1) {
			DEV_STATS_INC(dev, rx_frame_errors);
			DEV_STATS_INC(dev, rx_errors);
			goto drop;
		}
	}
	dev_sw_netstats_rx_add(dev, skb->len);
	skb_scrub_packet(skb, !net_eq(t->net, dev_net(dev)));
	if (tun_dst)
		skb_dst_set(skb, (struct dst_entry *)tun_dst);
	gro_cells_receive(&t->gro_cells, skb);
	return 0;

drop:
	if (tun_dst)
		dst_release((struct dst_entry *)tun_dst);
	kfree_skb(skb);
	return 0;
}
EXPORT_SYMBOL(ip6_tnl_rcv);

/* ip6_dst_hoplimit(): the route's hop limit metric, else the device's hop_limit. */
static int tnl_dst_hoplimit(struct net *net, struct dst_entry *dst)
{
	int hoplimit = dst_metric_raw(dst, RTAX_HOPLIMIT);
	struct inet6_dev *idev;

	if (hoplimit)
		return hoplimit;
	rcu_read_lock();
	idev = __in6_dev_get(dst->dev);
	hoplimit = idev ? READ_ONCE(idev->cnf.hop_limit) :
			  READ_ONCE(net->ipv6.devconf_all->hop_limit);
	rcu_read_unlock();
	return hoplimit;
}

/*
 * Encapsulates skb (data at the tunnel's own header, if any, network header at the
 * inner packet) for the flow fl6 and sends it: 0, -1 (dropped and counted by the
 * caller), or -EMSGSIZE with *pmtu the room the path leaves (the caller tells the
 * inner source). As mainline's, including its route cache for tunnels whose route
 * does not depend on the inner packet.
 */
int ip6_tnl_xmit(struct sk_buff *skb, struct net_device *dev, __u8 dsfield, struct flowi6 *fl6,
		 int encap_limit, __u32 *pmtu, __u8 proto)
{
	struct ip6_tnl *t = netdev_priv(dev);
	struct net *net = t->net;
	unsigned int eth_hlen = t->dev->type == ARPHRD_ETHER ? ETH_HLEN : 0;
	unsigned int psh_hlen = sizeof(struct ipv6hdr) + t->encap_hlen;
	unsigned int max_headroom = psh_hlen;
	struct dst_entry *dst = NULL, *ndst = NULL;
	__be16 payload_protocol = skb_protocol(skb, true);
	bool use_cache = false;
	struct net_device *tdev;
	struct ipv6hdr *ipv6h;
	u8 hop_limit;
	int mtu, err = -1;

	if (t->parms.collect_md) {
		hop_limit = skb_tunnel_info(skb)->key.ttl;
		goto route_lookup;
	}
	hop_limit = t->parms.hop_limit;
	if (ipv6_addr_any(&t->parms.raddr)) {
		/* NBMA: the inner packet's next hop is the far end. */
		if (payload_protocol == htons(ETH_P_IPV6)) {
			const struct ipv6hdr *inner = ipv6_hdr(skb);

			if (!ipv6_rs_tnl_nbma_next_hop(dev, &inner->saddr, &inner->daddr,
						       skb->mark, &fl6->daddr))
				goto tx_err_link_failure;
		} else if (payload_protocol == htons(ETH_P_IP)) {
			const struct rtable *rt = skb_rtable(skb);

			if (!rt)
				goto tx_err_link_failure;
			if (rt->rt_gw_family == AF_INET6)
				fl6->daddr = rt->rt_gw6;
		}
	} else if (t->parms.proto != 0 &&
		   !(t->parms.flags & (IP6_TNL_F_USE_ORIG_TCLASS | IP6_TNL_F_USE_ORIG_FWMARK))) {
		/* The route depends on nothing of the inner packet: cache it. */
		use_cache = true;
	}
	if (use_cache)
		dst = dst_cache_get(&t->dst_cache);
	if (!ip6_tnl_xmit_ctl(t, &fl6->saddr, &fl6->daddr))
		goto tx_err_link_failure;
	if (!dst) {
route_lookup:
		fl6->flowlabel = ip6_make_flowinfo(dsfield, fl6->flowlabel);
		dst = ip6_route_output(net, NULL, fl6);
		if (dst->error)
			goto tx_err_link_failure;
		dst = xfrm_lookup(net, dst, flowi6_to_flowi(fl6), NULL, 0);
		if (IS_ERR(dst)) {
			err = PTR_ERR(dst);
			dst = NULL;
			goto tx_err_link_failure;
		}
		if (t->parms.collect_md && ipv6_addr_any(&fl6->saddr) &&
		    ipv6_dev_get_saddr(net, dst->dev, &fl6->daddr, 0, &fl6->saddr))
			goto tx_err_link_failure;
		ndst = dst;
	}
	tdev = dst->dev;
	if (tdev == dev) {
		DEV_STATS_INC(dev, collisions);
		net_warn_ratelimited("%s: Local routing loop detected!\n", t->parms.name);
		goto tx_err_dst_release;
	}
	mtu = dst_mtu(dst) - eth_hlen - psh_hlen - t->tun_hlen;
	if (encap_limit >= 0) {
		max_headroom += 8;
		mtu -= 8;
	}
	mtu = max(mtu, skb->protocol == htons(ETH_P_IPV6) ? IPV6_MIN_MTU : IPV4_MIN_MTU);
	ipv6_rs_tnl_inner_pmtu(dev, skb, mtu);
	if (skb->len - t->tun_hlen - eth_hlen > mtu && !skb_is_gso(skb)) {
		*pmtu = mtu;
		err = -EMSGSIZE;
		goto tx_err_dst_release;
	}
	if (t->err_count > 0) {
		if (time_before(jiffies, t->err_time + IP6TUNNEL_ERR_TIMEO)) {
			t->err_count--;
			dst_link_failure(skb);
		} else {
			t->err_count = 0;
		}
	}
	skb_scrub_packet(skb, !net_eq(t->net, dev_net(dev)));
	max_headroom += LL_RESERVED_SPACE(tdev);
	if (skb_cow_head(skb, max_headroom))
		goto tx_err_dst_release;
	if (t->parms.collect_md) {
		if (t->encap.type != TUNNEL_ENCAP_NONE)
			goto tx_err_dst_release;
	} else if (use_cache && ndst) {
		dst_cache_set_ip6(&t->dst_cache, ndst, &fl6->saddr);
	}
	skb_dst_set(skb, dst);
	if (hop_limit == 0) {
		if (payload_protocol == htons(ETH_P_IP))
			hop_limit = ip_hdr(skb)->ttl;
		else if (payload_protocol == htons(ETH_P_IPV6))
			hop_limit = ipv6_hdr(skb)->hop_limit;
		else
			hop_limit = tnl_dst_hoplimit(net, dst);
	}
	max_headroom = LL_RESERVED_SPACE(tdev) + sizeof(struct ipv6hdr) + dst->header_len +
		       t->hlen;
	ip_tunnel_adj_headroom(dev, max_headroom);
	err = ip6_tnl_encap(skb, t, &proto, fl6);
	if (err)
		return err;
	if (encap_limit >= 0)
		ipv6_rs_tnl_push_enc_lim(skb, &proto, encap_limit);
	skb_push(skb, sizeof(struct ipv6hdr));
	skb_reset_network_header(skb);
	ipv6h = ipv6_hdr(skb);
	ip6_flow_hdr(ipv6h, dsfield, ip6_make_flowlabel(net, skb, fl6->flowlabel, true, fl6));
	ipv6h->hop_limit = hop_limit;
	ipv6h->nexthdr = proto;
	ipv6h->saddr = fl6->saddr;
	ipv6h->daddr = fl6->daddr;
	ip6tunnel_xmit(NULL, skb, dev);
	return 0;

tx_err_link_failure:
	DEV_STATS_INC(dev, tx_carrier_errors);
	dst_link_failure(skb);
tx_err_dst_release:
	dst_release(dst);
	return err;
}
EXPORT_SYMBOL(ip6_tnl_xmit);

int ip6_tnl_change_mtu(struct net_device *dev, int new_mtu)
{
	return ipv6_rs_tnl_change_mtu(dev, new_mtu);
}
EXPORT_SYMBOL(ip6_tnl_change_mtu);

int ip6_tnl_get_iflink(const struct net_device *dev)
{
	struct ip6_tnl *t = netdev_priv(dev);

	return READ_ONCE(t->parms.link);
}
EXPORT_SYMBOL(ip6_tnl_get_iflink);

struct net *ip6_tnl_get_link_net(const struct net_device *dev)
{
	struct ip6_tnl *t = netdev_priv(dev);

	return READ_ONCE(t->net);
}
EXPORT_SYMBOL(ip6_tnl_get_link_net);

/* FOU and GUE over IPv6 (fou6.ko) register their header builders here. */
int ip6_tnl_encap_add_ops(const struct ip6_tnl_encap_ops *ops, unsigned int num)
{
	if (num >= MAX_IPTUN_ENCAP_OPS)
		return -ERANGE;
	return !cmpxchg((const struct ip6_tnl_encap_ops **)&ip6tun_encaps[num], NULL, ops) ? 0 :
											    -1;
}
EXPORT_SYMBOL(ip6_tnl_encap_add_ops);

int ip6_tnl_encap_del_ops(const struct ip6_tnl_encap_ops *ops, unsigned int num)
{
	int ret;

	if (num >= MAX_IPTUN_ENCAP_OPS)
		return -ERANGE;
	ret = (cmpxchg((const struct ip6_tnl_encap_ops **)&ip6tun_encaps[num], ops, NULL) ==
	       ops) ? 0 : -1;
	synchronize_net();
	return ret;
}
EXPORT_SYMBOL(ip6_tnl_encap_del_ops);

int ip6_tnl_encap_setup(struct ip6_tnl *t, struct ip_tunnel_encap *ipencap)
{
	int hlen;

	memset(&t->encap, 0, sizeof(t->encap));
	hlen = ip6_encap_hlen(ipencap);
	if (hlen < 0)
		return hlen;
	t->encap.type = ipencap->type;
	t->encap.sport = ipencap->sport;
	t->encap.dport = ipencap->dport;
	t->encap.flags = ipencap->flags;
	t->encap_hlen = hlen;
	t->hlen = t->encap_hlen + t->tun_hlen;
	return 0;
}
EXPORT_SYMBOL_GPL(ip6_tnl_encap_setup);
