/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ip6tnl devices (include/tunnel.c): the device side in C, the decisions and the
 * datapath in Rust (rust/net/tunnel.rs, rust/ipv6/ip6_tunnel.rs).
 */
#ifndef IPV6_RS_TUNNEL_H
#define IPV6_RS_TUNNEL_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/ip6_tunnel.h>

struct ipv6_rs_tnl_ops {
	/* Under RTNL. ip6_tnl_link_config(): capabilities, addresses, MTU. */
	void (*link_config)(struct net_device *dev);
	/* A registered tunnel device into its namespace's tunnels (with the room that
	 * check() reserved). */
	void (*link)(struct net_device *dev);
	/* Out of them (ndo_uninit). */
	void (*unlink)(struct net_device *dev);
	/* Before a new tunnel with p's end points and lower device is registered in net:
	 * -EEXIST if net has one, -ENOMEM if there is no room for another, else 0. */
	int (*check)(struct net *net, const struct __ip6_tnl_parm *p);
	/* The tunnel of net with exactly p's end points and lower device, or NULL. */
	struct net_device *(*find)(struct net *net, const struct __ip6_tnl_parm *p);
	/* changelink: 0, or -EEXIST where another tunnel has p's end points. */
	int (*change)(struct net_device *dev, const struct __ip6_tnl_parm *p);
	/* Queues the tunnels of net whose devices are in other namespaces. */
	void (*destroy_foreign)(struct net *net, struct list_head *dev_to_kill);
	/* ndo_start_xmit. */
	netdev_tx_t (*xmit)(struct sk_buff *skb, struct net_device *dev);
	/* tunnel6's handler for next header ipproto (IPPROTO_IPV6, IPPROTO_IPIP): 0 if
	 * ours (consumed), -1 if not. In an RCU section. */
	int (*rcv)(struct sk_buff *skb, u8 ipproto);
	/* Its error handler: 0 if the quoted packet is a tunnel's, -ENOENT if not. */
	int (*err)(struct sk_buff *skb, u8 ipproto, u8 type, u8 code, int offset, u32 info);

	/* The rest serve the ip6_tnl_* exports of ip6_tunnel.ko, for devices whose private
	 * data is a struct ip6_tnl, ours or an importer's (ip6_gre). */
	/* ip6_tnl_get_cap(): IP6_TNL_F_CAP_* for these end points over lower device link. */
	u32 (*get_cap)(const struct in6_addr *laddr, const struct in6_addr *raddr, int link);
	/* ip6_tnl_xmit_ctl() (rcv false) and ip6_tnl_rcv_ctl() (rcv true), in an RCU
	 * section: 1 if dev's tunnel may carry a packet between laddr and raddr. */
	int (*ctl)(struct net_device *dev, const struct in6_addr *laddr,
		   const struct in6_addr *raddr, bool rcv);
	/* ip6_tnl_parse_tlv_enc_lim() over len readable bytes from an IPv6 header: the
	 * option's offset, 0 for none, or -1 with *need set to the bytes to make readable
	 * before asking again. */
	int (*scan_enc_lim)(const u8 *hdr, unsigned int len, unsigned int *need);
	/* __INET_ECN_decapsulate()'s verdict for these outer and inner DS fields: 0 keep,
	 * 1 keep and log, 2 drop, 3 set CE. */
	int (*ecn_decap)(u8 outer, u8 inner);
	/* The next hop of an NBMA tunnel (no remote end) dev for an inner IPv6 packet from
	 * saddr to daddr: its route's gateway through dev, or daddr on the link. */
	bool (*nbma_next_hop)(struct net_device *dev, const struct in6_addr *saddr,
			      const struct in6_addr *daddr, u32 mark, struct in6_addr *via);
	/* skb_dst_update_pmtu_no_confirm() for ipv6_rs's inner IPv6 packets, which carry
	 * no dst: the path from saddr to daddr through dev learns mtu if it is less. */
	void (*inner_pmtu)(struct net_device *dev, const struct in6_addr *saddr,
			   const struct in6_addr *daddr, u32 mark, u32 mtu);
};

/* For ip6_tunnel.ko's exports: the operations above (include/tunnel.c). */
u32 ipv6_rs_tnl_get_cap(const struct in6_addr *laddr, const struct in6_addr *raddr, int link);
int ipv6_rs_tnl_ctl(struct net_device *dev, const struct in6_addr *laddr,
		    const struct in6_addr *raddr, bool rcv);
u16 ipv6_rs_tnl_parse_enc_lim(struct sk_buff *skb, unsigned int nhoff);
int ipv6_rs_tnl_ecn_decap(u8 outer, u8 inner);
bool ipv6_rs_tnl_nbma_next_hop(struct net_device *dev, const struct in6_addr *saddr,
			       const struct in6_addr *daddr, u32 mark, struct in6_addr *via);
void ipv6_rs_tnl_inner_pmtu(struct net_device *dev, struct sk_buff *skb, u32 mtu);
void ipv6_rs_tnl_push_enc_lim(struct sk_buff *skb, u8 *proto, u8 limit);
int ipv6_rs_tnl_change_mtu(struct net_device *dev, int new_mtu);

void ipv6_rs_tnl_install(const struct ipv6_rs_tnl_ops *ops);

struct ip6_tnl *ipv6_rs_tnl(const struct net_device *dev);
bool ipv6_rs_is_ip6tnl(const struct net_device *dev);
bool ipv6_rs_tnl_is_fallback(const struct net_device *dev);
void ipv6_rs_tnl_config_dev(struct net_device *dev, bool p2p, u32 mtu, u32 hh);
void ipv6_rs_tnl_set_parms(struct net_device *dev, const struct __ip6_tnl_parm *p);
void ipv6_rs_tnl_kill(struct net_device *dev, struct list_head *dev_to_kill);
void ipv6_rs_tnl_deliver(struct net_device *dev, struct sk_buff *skb, u8 ipproto, bool set_ce,
			 bool dscp_copy);

enum ipv6_rs_tnl_stat {
	IPV6_RS_TNL_TX_ERROR,
	IPV6_RS_TNL_TX_CARRIER,
	IPV6_RS_TNL_COLLISION,
	IPV6_RS_TNL_RX_FRAME,
	IPV6_RS_TNL_TX_ERRORS,
	IPV6_RS_TNL_RX_ERRORS,
};
void ipv6_rs_tnl_count(struct net_device *dev, enum ipv6_rs_tnl_stat which);
void ipv6_rs_tnl_tx_done(struct net_device *dev, unsigned int len);
int ipv6_rs_tnl_encap(struct net_device *dev, struct sk_buff *skb, const struct net_device *lower,
		      const struct in6_addr *saddr, const struct in6_addr *daddr, u8 proto,
		      u8 hop_limit, u8 dsfield, __be32 flowlabel, int encap_limit);
u16 ipv6_rs_skb_protocol(const struct sk_buff *skb);
bool ipv6_rs_skb_rt_gw6(struct sk_buff *skb, struct in6_addr *gw);
bool ipv6_rs_tnl_tx_key(struct sk_buff *skb, struct in6_addr *src, struct in6_addr *dst, u8 *tos,
			u8 *ttl, __be32 *label);
void ipv6_rs_tnl_relay4(struct sk_buff *skb, int offset, u8 type, u8 code, u32 info);
void ipv6_rs_tnl_relay6(struct sk_buff *skb, int offset, u8 type, u8 code, u32 info, int ifindex);
void ipv6_rs_tnl_icmp(struct sk_buff *skb, bool v6, u8 type, u8 code, u32 info);

/* For ip6_tunnel.ko (include/ip6_tunnel_mod.c). */
int ipv6_rs_ip6tnl_start(void);
void ipv6_rs_ip6tnl_stop(void);
int ipv6_rs_ip6ip6_rcv(struct sk_buff *skb);
int ipv6_rs_ip4ip6_rcv(struct sk_buff *skb);
int ipv6_rs_ip6ip6_err(struct sk_buff *skb, struct inet6_skb_parm *opt, u8 type, u8 code,
		       int offset, __be32 info);
int ipv6_rs_ip4ip6_err(struct sk_buff *skb, struct inet6_skb_parm *opt, u8 type, u8 code,
		       int offset, __be32 info);

#endif
