/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sit devices (include/sit.c): the device side in C, the decisions and the datapath
 * in Rust (rust/net/sit.rs, rust/ipv6/sit.rs).
 */
#ifndef IPV6_RS_SIT_H
#define IPV6_RS_SIT_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/ip_tunnels.h>

struct ipv6_rs_sit_ops {
	/* Under RTNL: a registered sit device into its namespace's tunnels (with the
	 * room reserve() made), and out of them (ndo_uninit, changes). */
	void (*link)(struct net_device *dev);
	void (*unlink)(struct net_device *dev);
	/* Under RTNL, before a new tunnel is registered in net: -ENOMEM if there is no
	 * room for another, else 0. */
	int (*reserve)(struct net *net);
	/* The tunnel of net with exactly these end points and lower device, or NULL
	 * (ipip6_tunnel_locate() without create), under RTNL. */
	struct net_device *(*find)(struct net *net, __be32 local, __be32 remote, int link);
	/* ipip6_tunnel_update_6rd()'s checks: 0 or -EINVAL. */
	int (*check_6rd)(const struct ip_tunnel_6rd *p);
	/* Queues the tunnels of net whose devices are in other namespaces. */
	void (*destroy_foreign)(struct net *net, struct list_head *dev_to_kill);
	/* ndo_start_xmit. */
	netdev_tx_t (*xmit)(struct sk_buff *skb, struct net_device *dev);
	/* tunnel4's handler for ipproto (IPPROTO_IPV6, IPPROTO_IPIP): 0 if ours
	 * (consumed), 1 if not. In an RCU section. */
	int (*rcv)(struct sk_buff *skb, u8 ipproto);
	/* Its error handler (ipip6_err()): 0 or -ENOENT. */
	int (*err)(struct sk_buff *skb, u32 info);
};

void ipv6_rs_sit_install(const struct ipv6_rs_sit_ops *ops);

struct ip_tunnel *ipv6_rs_sit(const struct net_device *dev);
bool ipv6_rs_sit_is_isatap(const struct net_device *dev);
void ipv6_rs_sit_deliver(struct net_device *dev, struct sk_buff *skb, bool v4inner, bool set_ce,
			 u8 nodetype);
int ipv6_rs_sit_prl_flags(struct net_device *dev, __be32 addr);
struct rtable *ipv6_rs_sit_route(struct net_device *dev, __be32 daddr, u8 tos, u8 proto,
				 __be32 *saddr);
unsigned int ipv6_rs_rt4_mtu(struct rtable *rt);
int ipv6_rs_rt4_ifindex(struct rtable *rt);
void ipv6_rs_rt4_put(struct rtable *rt);
void ipv6_rs_sit_xmit(struct net_device *dev, struct sk_buff *skb, struct rtable *rt,
		      __be32 saddr, __be32 daddr, u8 proto, u8 tos, u8 ttl, bool df);
__be32 ipv6_rs_sit_v4_nexthop(struct sk_buff *skb, __be32 daddr);
void ipv6_rs_sit_icmp_err(struct sk_buff *skb, u32 info, int link, bool redirect);
struct sk_buff *ipv6_rs_sit_err_clone(struct sk_buff *skb, int nhs, unsigned int *data_len);
void ipv6_rs_icmp4_hdr(const struct sk_buff *skb, u8 *type, u8 *code, u8 *length);
int ipv6_rs_sit_sifindex(const struct sk_buff *skb);

/* For sit.ko (include/sit_mod.c). */
int ipv6_rs_sit_start(void);
void ipv6_rs_sit_stop(void);
int ipv6_rs_sit_rcv6(struct sk_buff *skb);
int ipv6_rs_sit_rcv4(struct sk_buff *skb);
int ipv6_rs_sit_err(struct sk_buff *skb, u32 info);

#endif
