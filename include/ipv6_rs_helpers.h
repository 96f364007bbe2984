/* SPDX-License-Identifier: GPL-2.0 */
/*
 * C helpers for kernel APIs that are static inline (or macros) and so have no symbol
 * that Rust can call, and for initialising kernel structures whose init macros carry
 * lockdep keys. Each is a thin forward; decisions stay on the Rust side.
 */
#ifndef IPV6_RS_HELPERS_H
#define IPV6_RS_HELPERS_H

#include <linux/types.h>
#include <net/fib_rules.h>
#include <net/ip6_fib.h>

struct net;
struct net_device;
struct inet6_dev;
struct ipv6_devconf;
struct netdev_notifier_info;
struct inet6_protocol;
struct inet6_skb_parm;
struct sockcm_cookie;
struct msghdr;

void *ipv6_rs_net_generic(const struct net *net, unsigned int id);
struct net *ipv6_rs_dev_net(const struct net_device *dev);
struct net_device *ipv6_rs_notifier_info_to_dev(const struct netdev_notifier_info *info);

/* dev->ip6_ptr, read under RTNL. */
struct inet6_dev *ipv6_rs_dev_idev(const struct net_device *dev);
/*
 * Allocate a struct inet6_dev for dev as mainline's ipv6_add_dev() lays it out (locks,
 * lists, statistics, a tracked reference on dev, refcount 1) with cnf copied in, and
 * publish it in dev->ip6_ptr. Returns 0 or -ENOMEM. Under RTNL.
 */
int ipv6_rs_idev_attach(struct net_device *dev, const struct ipv6_devconf *cnf);
/*
 * Unpublish dev->ip6_ptr, mark the inet6_dev dead and drop the device's reference; the
 * kernel's in6_dev_finish_destroy() frees it after the last user and an RCU grace
 * period. Under RTNL.
 */
void ipv6_rs_idev_detach(struct net_device *dev);

/* addrconf_link_ready(): operationally up with a real qdisc. */
bool ipv6_rs_link_ready(const struct net_device *dev);
/* An update of idev->if_flags of dev's inet6_dev (dev must have one). */
void ipv6_rs_idev_update_if_flags(struct net_device *dev, u32 set, u32 clear);

/* --- addresses: the kernel's struct inet6_ifaddr, on idev->addr_list. Under RTNL. */
struct inet6_ifaddr;
struct in6_addr;
/* Allocate and initialise an address of idev (holding a reference on idev); not listed. */
struct inet6_ifaddr *ipv6_rs_ifa_alloc(struct inet6_dev *idev, const struct in6_addr *addr,
				       const struct in6_addr *peer, u8 plen, u32 flags, u8 scope,
				       u32 valid_lft, u32 prefered_lft, u8 proto, u32 rt_priority);
/* Replace lifetimes, protocol, priority and the flags in `clear` with `set`; tstamp = now. */
void ipv6_rs_ifa_modify(struct inet6_ifaddr *ifa, u32 clear, u32 set, u32 valid_lft,
			u32 prefered_lft, u8 proto, u32 rt_priority);
/* List ifa on its device's address list before `before`, or at the end if NULL. */
void ipv6_rs_ifa_link(struct inet6_ifaddr *ifa, struct inet6_ifaddr *before);
/* Take ifa off its list and drop the list's reference; freed after an RCU grace period. */
void ipv6_rs_ifa_unlink_put(struct inet6_ifaddr *ifa);
/* Iterate idev's addresses: the first with prev == NULL, NULL after the last. */
struct inet6_ifaddr *ipv6_rs_ifa_next(struct inet6_dev *idev, struct inet6_ifaddr *prev);
/* Update flags under the address's lock. */
void ipv6_rs_ifa_set_peer(struct inet6_ifaddr *ifa, const struct in6_addr *peer);
void ipv6_rs_ifa_set_flags(struct inet6_ifaddr *ifa, u32 set, u32 clear);
/* --- temporary (RFC 8981) and stable privacy (RFC 7217) addresses */
void ipv6_rs_ifa_make_temp(struct inet6_ifaddr *ifa, struct inet6_ifaddr *ifpub,
			   unsigned long tstamp);
struct inet6_ifaddr *ipv6_rs_ifa_pub(const struct inet6_ifaddr *ifa);
struct inet6_ifaddr *ipv6_rs_temp_next(struct inet6_dev *idev, struct inet6_ifaddr *prev);
int ipv6_rs_ifa_regen_count(const struct inet6_ifaddr *ifa);
void ipv6_rs_ifa_set_regen_count(struct inet6_ifaddr *ifa, int n);
int ipv6_rs_ifa_stable_privacy_retry(const struct inet6_ifaddr *ifa);
void ipv6_rs_ifa_set_stable_privacy_retry(struct inet6_ifaddr *ifa, int n);
void ipv6_rs_ifa_set_lifetimes(struct inet6_ifaddr *ifa, u32 valid_lft, u32 prefered_lft);
u32 ipv6_rs_idev_desync_factor(const struct inet6_dev *idev);
void ipv6_rs_idev_set_desync_factor(struct inet6_dev *idev, u32 v);
void ipv6_rs_idev_set_stable_secret(struct inet6_dev *idev, const struct in6_addr *secret);
void ipv6_rs_idev_set_use_tempaddr(struct inet6_dev *idev, int v);
void ipv6_rs_idev_set_addr_gen_mode(struct inet6_dev *idev, u32 v);
int ipv6_rs_net_idgen_retries(const struct net *net);
const u8 *ipv6_rs_dev_perm_addr(const struct net_device *dev);
unsigned long ipv6_rs_jiffies(void);
unsigned int ipv6_rs_hz(void);

/* --- netlink */
struct sk_buff;
struct nlmsghdr;
struct netlink_callback;
struct netlink_ext_ack;
struct nlmsghdr *ipv6_rs_nlmsg_put(struct sk_buff *skb, u32 portid, u32 seq, int type,
				   int payload, int flags);
void ipv6_rs_nlmsg_end(struct sk_buff *skb, struct nlmsghdr *nlh);
void ipv6_rs_nlmsg_cancel(struct sk_buff *skb, struct nlmsghdr *nlh);
void *ipv6_rs_nlmsg_data(const struct nlmsghdr *nlh);
struct sk_buff *ipv6_rs_nlmsg_new(size_t payload);
void ipv6_rs_kfree_skb(struct sk_buff *skb);
/* rtnl_notify() to group, GFP_KERNEL, no originating request. Consumes skb. */
void ipv6_rs_rtnl_notify(struct sk_buff *skb, struct net *net, u32 group);
u32 ipv6_rs_skb_portid(const struct sk_buff *skb);
struct net *ipv6_rs_skb_net(const struct sk_buff *skb);
long *ipv6_rs_cb_args(struct netlink_callback *cb);
void ipv6_rs_extack_msg(struct netlink_ext_ack *extack, const char *msg);
/* Next device of net with ifindex >= *ifindex, or NULL; *ifindex is set to its index. */
struct net_device *ipv6_rs_dev_get_next(struct net *net, unsigned long *ifindex);

/*
 * Parse an RTM_NEWADDR/RTM_DELADDR request with mainline's ifa_ipv6_policy, as
 * nlmsg_parse_deprecated() does (same errors, same extack). tb has IFA_MAX + 1 slots.
 */
int ipv6_rs_parse_ifaddr(const struct nlmsghdr *nlh, struct nlattr **tb,
			 struct netlink_ext_ack *extack);
void *ipv6_rs_nla_data(const struct nlattr *nla);
int ipv6_rs_nla_len(const struct nlattr *nla);

/* --- links (RTM_GETLINK for AF_INET6) */
struct nlattr;
unsigned long ipv6_rs_msecs_to_jiffies(unsigned int ms);
struct nlattr *ipv6_rs_nla_nest_start(struct sk_buff *skb, int type);
void ipv6_rs_nla_nest_end(struct sk_buff *skb, struct nlattr *start);
struct rtnexthop *ipv6_rs_rtnh_start(struct sk_buff *skb, u8 flags, u8 hops, int ifindex);
void ipv6_rs_rtnh_end(struct sk_buff *skb, struct rtnexthop *rtnh);
/* IF_OPER_* as rtnetlink reports it: the operstate if running, else IF_OPER_DOWN. */
u8 ipv6_rs_dev_operstate(const struct net_device *dev);
/* Number of u64 items in IFLA_INET6_STATS and IFLA_INET6_ICMP6STATS. */
int ipv6_rs_ipstats_items(void);
int ipv6_rs_icmp6stats_items(void);
/* Fill them as mainline's snmp6_fill_stats(): [0] = item count, then each counter. */
void ipv6_rs_idev_fill_stats(struct inet6_dev *idev, u64 *ip, u64 *icmp);

/* --- the per-namespace address lifetime check (mainline's addr_chk_work) */
struct ipv6_rs_addr_chk;
/* Allocate a delayed work that calls fn(net) in process context. NULL on failure. */
struct ipv6_rs_addr_chk *ipv6_rs_addr_chk_alloc(struct net *net, void (*fn)(struct net *net),
					       bool deferrable);
/* (Re)arm it to run after `delay` jiffies. */
void ipv6_rs_addr_chk_schedule(struct ipv6_rs_addr_chk *chk, unsigned long delay);
void ipv6_rs_addr_chk_start(struct ipv6_rs_addr_chk *chk, unsigned long delay);
unsigned long ipv6_rs_net_gc_interval(const struct net *net);
/* Cancel, wait for a running instance, and free. */
void ipv6_rs_addr_chk_free(struct ipv6_rs_addr_chk *chk);

/* --- procfs: single-show files under /proc/net of a namespace */
struct seq_file;
struct proc_dir_entry;
typedef int (*ipv6_rs_show_fn)(struct seq_file *m, void *v);
struct proc_dir_entry *ipv6_rs_proc_net_create(struct net *net, const char *name,
					       ipv6_rs_show_fn show);
void ipv6_rs_proc_net_remove(struct net *net, const char *name);
struct net *ipv6_rs_seq_net(struct seq_file *m);
void ipv6_rs_rtnl_lock(void);
void ipv6_rs_rtnl_unlock(void);


/* --- datapath: packets (struct sk_buff) */
struct neighbour;
struct neigh_table;
struct neigh_parms;
struct neigh_ops;
struct pneigh_entry;
struct packet_type;
unsigned char *ipv6_rs_skb_data(const struct sk_buff *skb);
unsigned int ipv6_rs_skb_len(const struct sk_buff *skb);
u8 ipv6_rs_skb_pkt_type(const struct sk_buff *skb);
u8 ipv6_rs_skb_nodetype(const struct sk_buff *skb);
struct net_device *ipv6_rs_skb_dev(const struct sk_buff *skb);
/* skb_share_check(GFP_ATOMIC): a private skb, or NULL (the original is freed). */
struct sk_buff *ipv6_rs_skb_share_check(struct sk_buff *skb);
bool ipv6_rs_pskb_may_pull(struct sk_buff *skb, unsigned int len);
int ipv6_rs_pskb_trim_rcsum(struct sk_buff *skb, unsigned int len);
/* skb_orphan() unless the socket was prefetched (ip6_rcv_core()). */
void ipv6_rs_skb_orphan_rx(struct sk_buff *skb);
int ipv6_rs_skb_linearize(struct sk_buff *skb);
void ipv6_rs_skb_pull(struct sk_buff *skb, unsigned int len);
void ipv6_rs_skb_reset_network_header(struct sk_buff *skb);
void ipv6_rs_loopback_xmit(struct sk_buff *skb);
struct sock *ipv6_rs_skb_sk(const struct sk_buff *skb);
void ipv6_rs_idev_set_token(struct inet6_dev *idev, const u8 *iid);
void ipv6_rs_idev_expire_tokenized(struct inet6_dev *idev);
void ipv6_rs_ifa_set_tokenized(struct inet6_ifaddr *ifa, bool tokenized);
/* Set the transport header `off` bytes after the network header. */
void ipv6_rs_skb_set_transport(struct sk_buff *skb, unsigned int off);
/* skb_checksum_validate() with the IPv6 pseudo-header of proto, from skb->data on. */
bool ipv6_rs_skb_csum_valid(struct sk_buff *skb, u8 proto);
u16 ipv6_rs_skb_gso_segs(const struct sk_buff *skb);
bool ipv6_rs_skb_is_gso(const struct sk_buff *skb);
void ipv6_rs_kfree_skb_reason(struct sk_buff *skb, u32 reason);
void ipv6_rs_consume_skb(struct sk_buff *skb);
/*
 * A packet for dev with room for the link-layer header before and `len` bytes of
 * payload after an IPv6 header: data points past the (not yet pushed) IPv6 header, the
 * payload area is put (skb->len == len). NULL on failure.
 */
struct sk_buff *ipv6_rs_alloc_skb(struct net_device *dev, unsigned int len);
/* Push and fill the IPv6 header (tclass, no flow label); resets the network header. */
void ipv6_rs_skb_push_ip6hdr(struct sk_buff *skb, const struct in6_addr *saddr,
			     const struct in6_addr *daddr, u8 nexthdr, u8 hop_limit,
			     u8 tclass);

/* --- datapath: the device's IPv6 state, under rcu_read_lock() */
void ipv6_rs_rcu_read_lock(void);
void ipv6_rs_rcu_read_unlock(void);
struct inet6_dev *ipv6_rs_dev_idev_rcu(const struct net_device *dev);
/* Fields of idev->cnf a packet path reads. */
struct ipv6_rs_dev_cnf {
	int disable_ipv6;
	int forwarding;
	int hop_limit;
	int drop_unicast_in_l2_multicast;
	int drop_unsolicited_na;
	int accept_untracked_na;
	int ndisc_notify;
	int ndisc_tclass;
	int accept_dad;
	int dad_transmits;
	int enhanced_dad;
	unsigned long rtr_solicit_delay;
	int mtu6;
	int accept_redirects;
	int proxy_ndp;
	int optimistic_dad;
	int use_optimistic;
	int use_oif_addrs_only;
};
void ipv6_rs_idev_cnf(const struct inet6_dev *idev, struct ipv6_rs_dev_cnf *out);
/* IP6_INC/ADD_STATS and ICMP6 counters: into net's and (if idev) the device's MIBs. */
void ipv6_rs_ip6_add_stats(struct net *net, struct inet6_dev *idev, int field, u64 val);
void ipv6_rs_icmp6_inc_stats(struct net *net, struct inet6_dev *idev, int field);
void ipv6_rs_icmp6msg_inc(struct net *net, struct inet6_dev *idev, bool out, u8 type);
/* Allocate and free net->mib.{ipv6,icmpv6,icmpv6msg,udp6,udplite6} (ipv6_init_mibs()). */
int ipv6_rs_net_mibs_alloc(struct net *net);
void ipv6_rs_net_mibs_free(struct net *net);

/*
 * Walk the addresses of dev (or every device of net if dev is NULL) under RCU, calling
 * fn(ctx, ifa) until it returns true. Returns whether it did.
 */
bool ipv6_rs_walk_addrs(struct net *net, const struct net_device *dev,
			bool (*fn)(void *ctx, struct inet6_ifaddr *ifa), void *ctx);
/* The IPv4 addresses of net's devices that are up, under RTNL. */
void ipv6_rs_walk_v4_addrs(struct net *net,
			   void (*fn)(void *ctx, int ifindex, __be32 addr, u8 scope), void *ctx);
/* Take and drop a reference on an address; the last one frees it (after RCU). */
bool ipv6_rs_ifa_hold(struct inet6_ifaddr *ifa);
void ipv6_rs_ifa_put(struct inet6_ifaddr *ifa);
u32 ipv6_rs_ifa_flags(const struct inet6_ifaddr *ifa);
struct net_device *ipv6_rs_ifa_dev(const struct inet6_ifaddr *ifa);
bool ipv6_rs_ifa_prefer_temp(const struct inet6_ifaddr *ifa);
/* ipv6_use_optimistic_addr() for the address's device. */
bool ipv6_rs_ifa_use_optimistic(const struct inet6_ifaddr *ifa);
/* The address's inet6_dev is still the device's (not detached). */
bool ipv6_rs_ifa_idev_live(const struct inet6_ifaddr *ifa);
struct net_device *ipv6_rs_dev_get_by_index_rcu(struct net *net, int ifindex);
u32 ipv6_rs_random_u32_below(u32 ceil);

/* --- duplicate address detection: ifa->dad_work on our workqueue */
/* Create the workqueue; fn(ifa) runs under RTNL for each scheduled probe. */
int ipv6_rs_dad_init(void (*fn)(struct inet6_ifaddr *ifa));
/* Destroy it after the last scheduled work ran. */
void ipv6_rs_dad_exit(void);
/* (Re)arm ifa's DAD work to run after `delay` jiffies; it holds a reference meanwhile. */
void ipv6_rs_dad_schedule(struct inet6_ifaddr *ifa, unsigned long delay);
/* Atomically move ifa->state from `from` to `to` under its lock; false if not in `from`. */
bool ipv6_rs_ifa_state_move(struct inet6_ifaddr *ifa, int from, int to);
int ipv6_rs_ifa_state(struct inet6_ifaddr *ifa);
/* Start DAD: nonce, probe count and state DAD, under the address lock. */
void ipv6_rs_ifa_dad_arm(struct inet6_ifaddr *ifa, u64 nonce, u8 probes);
u64 ipv6_rs_ifa_dad_nonce(const struct inet6_ifaddr *ifa);
u8 ipv6_rs_ifa_dad_probes(const struct inet6_ifaddr *ifa);
/* Take one probe: false (and no change) if none is left. */
bool ipv6_rs_ifa_dad_take_probe(struct inet6_ifaddr *ifa);

/* --- neighbour discovery: the kernel's neighbour table for AF_INET6 */
/* Fill tbl->parms with mainline nd_tbl's defaults (HZ-based times, queue sizes). */
void ipv6_rs_nd_tbl_defaults(struct neigh_table *tbl);
u32 ipv6_rs_ndisc_hash(const void *pkey, const struct net_device *dev, u32 *hash_rnd);
bool ipv6_rs_ndisc_key_eq(const struct neighbour *n, const void *pkey);
/* idev->nd_parms = neigh_parms_alloc(dev, tbl); under RTNL. */
int ipv6_rs_idev_nd_parms_alloc(struct net_device *dev, struct neigh_table *tbl);
/* net.ipv6.neigh.default (the table's parms) and net.ipv6.neigh.<dev>. */
int ipv6_rs_nd_sysctl_register(struct neigh_table *tbl);
void ipv6_rs_nd_sysctl_unregister(struct neigh_table *tbl);
void ipv6_rs_idev_nd_parms_release(struct net_device *dev, struct neigh_table *tbl);
/* --- proxy NDP (pneigh entries of the table) */
/* pndisc_is_router(): -1 without a proxy entry for key on dev (or for all devices), else
 * whether it has NTF_ROUTER. */
int ipv6_rs_pneigh_is_router(struct neigh_table *tbl, struct net *net,
			     const struct in6_addr *key, struct net_device *dev);
/* Whether a proxy entry of dev has group as its solicited-node group. */
bool ipv6_rs_pneigh_group(struct neigh_table *tbl, const struct net_device *dev,
			  const struct in6_addr *group);
/* A proxy entry's key and device, for pconstructor/pdestructor. */
const struct in6_addr *ipv6_rs_pneigh_key(const struct pneigh_entry *n);
struct net_device *ipv6_rs_pneigh_dev(const struct pneigh_entry *n);
/* NEIGH_VAR(idev->nd_parms, PROXY_DELAY) != 0 for skb->dev's inet6_dev. Under RCU. */
bool ipv6_rs_proxy_delay(const struct net_device *dev);
/* pneigh_enqueue(tbl, idev->nd_parms, skb) on skb->dev's parms (consumes skb; freed if
 * the device has none). Under RCU. */
void ipv6_rs_pneigh_enqueue(struct neigh_table *tbl, struct sk_buff *skb);
/* net.ipv6.conf.all.proxy_ndp. */
int ipv6_rs_net_proxy_ndp(const struct net *net);
/* ndisc_constructor() with the three ops tables. */
int ipv6_rs_ndisc_construct(struct neighbour *n, const struct neigh_ops *hh,
			    const struct neigh_ops *generic, const struct neigh_ops *direct);
void ipv6_rs_neigh_release(struct neighbour *n);
int ipv6_rs_neigh_probes(const struct neighbour *n);
int ipv6_rs_neigh_ucast_probes(const struct neighbour *n);
int ipv6_rs_neigh_app_probes(const struct neighbour *n);
u8 ipv6_rs_neigh_nud_state(const struct neighbour *n);
unsigned long ipv6_rs_idev_retrans_time(const struct inet6_dev *idev);
/* The device's reachable and retransmit times in ms (IFLA_INET6_CACHEINFO). */
void ipv6_rs_idev_nd_times(const struct inet6_dev *idev, u32 *reachable_ms, u32 *retrans_ms);
/* The neighbour for nexthop on dev, created if missing, held. ERR_PTR/NULL on failure. */
struct neighbour *ipv6_rs_neigh_get(struct neigh_table *tbl, const struct in6_addr *nexthop,
				    struct net_device *dev);
/* neigh_output(): sends or queues skb (consumed). Under rcu_read_lock_bh. */
unsigned int ipv6_rs_neigh_valid_ha(struct neighbour *n, u8 *buf, unsigned int len);
bool ipv6_rs_peer_allow(struct net *net, const struct in6_addr *addr, int timeout);
int ipv6_rs_neigh_output(struct neighbour *n, struct sk_buff *skb);
void ipv6_rs_rcu_read_lock_bh(void);
void ipv6_rs_rcu_read_unlock_bh(void);
bool ipv6_rs_is_err_or_null(const void *p);
/* Multicast link-layer membership of dev for an IPv6 group (ndisc_mc_map()). */
int ipv6_rs_dev_mc_change(struct net_device *dev, const struct in6_addr *group, bool join);
/* Link-layer source address of a received frame (eth_hdr()->h_source), or NULL. */
const u8 *ipv6_rs_skb_mac_src(const struct sk_buff *skb);
unsigned int ipv6_rs_dev_addr_len(const struct net_device *dev);
const u8 *ipv6_rs_dev_addr(const struct net_device *dev);
bool ipv6_rs_dev_has_header_ops(const struct net_device *dev);

/* ipv6_select_ident(): the fragment identification for a datagram (network order). */
u32 ipv6_rs_select_ident(struct net *net, const struct in6_addr *daddr,
			 const struct in6_addr *saddr);

/* --- the ETH_P_IPV6 packet type */
int ipv6_rs_packet_type_register(int (*rcv)(struct sk_buff *skb, struct net_device *dev,
					     struct packet_type *pt,
					     struct net_device *orig_dev));
void ipv6_rs_packet_type_unregister(void);

/* --- SNMP counters for /proc/net/snmp6 and /proc/net/dev_snmp6/<dev> */
struct ipv6_rs_mibs {
	void __percpu *ip;		/* struct ipstats_mib, 64-bit per-cpu */
	void __percpu *icmp;		/* per-cpu icmpv6_mib (namespace) or NULL */
	atomic_long_t *icmp_atomic;	/* icmpv6_mib_device (device) or NULL */
	atomic_long_t *icmpmsg;		/* ICMP6MSG_MIB_MAX counters */
	void __percpu *udp;		/* namespace only */
	void __percpu *udplite;		/* namespace only */
	int ifindex;			/* device only */
};
void ipv6_rs_net_mibs_get(struct net *net, struct ipv6_rs_mibs *m);
void ipv6_rs_idev_mibs_get(struct inet6_dev *idev, struct ipv6_rs_mibs *m);
u64 ipv6_rs_fold_ip(void __percpu *mib, int field);
unsigned long ipv6_rs_fold(void __percpu *mib, int field);
unsigned long ipv6_rs_atomic_long_at(atomic_long_t *base, int i);
int ipv6_rs_icmp6msg_max(void);
void *ipv6_rs_seq_private(struct seq_file *m);
/* /proc/net/dev_snmp6 of net, and one file in it per device (seq private: idev). */
int ipv6_rs_proc_devsnmp6_mkdir(struct net *net);
void ipv6_rs_proc_devsnmp6_rmdir(struct net *net);
int ipv6_rs_proc_dev_snmp6_add(struct inet6_dev *idev, ipv6_rs_show_fn show);
void ipv6_rs_proc_dev_snmp6_remove(struct inet6_dev *idev);

/* --- per-namespace protocol settings and ICMPv6 error rate limiting */
/* net->ipv6.sysctl defaults and the inet_peer base, as mainline inet6_net_init(). */
int ipv6_rs_net_ipv6_init(struct net *net);
void ipv6_rs_net_ipv6_exit(struct net *net);
struct ipv6_rs_net_limits {
	int max_hbh_opts_cnt;
	int max_hbh_opts_len;
	int max_dst_opts_cnt;
	int max_dst_opts_len;
	int echo_ignore_all;
	int echo_ignore_multicast;
	int mtu_expires;	/* net.ipv6.route.mtu_expires, jiffies */
	int gc_timeout;		/* net.ipv6.route.gc_timeout, jiffies */
};
void ipv6_rs_net_limits(const struct net *net, struct ipv6_rs_net_limits *out);
void ipv6_rs_local_bh_disable(void);
void ipv6_rs_local_bh_enable(void);
/*
 * The pieces of ICMPv6 rate limiting (the core's icmp::allow() decides): the rate
 * mask and interval, the global limit's counter.
 */
void ipv6_rs_icmp_ratemask(const struct net *net, u64 *mask);
u32 ipv6_rs_icmpv6_time(const struct net *net);
void ipv6_rs_icmp_count_global_limited(struct net *net);
/* Bytes from the network header to the end, and a copy of the first len of them. */
unsigned int ipv6_rs_skb_network_len(const struct sk_buff *skb);
int ipv6_rs_skb_copy_network(const struct sk_buff *skb, void *to, unsigned int len);

/* --- sysctl: net/ipv6/conf/<name> tables */
struct ctl_table;
struct ctl_table_header;
/* Copy the n entries of table and register them at path in net; NULL on failure. */
struct ctl_table_header *ipv6_rs_sysctl_register(struct net *net, const char *path,
						 const struct ctl_table *table, size_t n);
/* Unregister and free the copy. */
void ipv6_rs_sysctl_unregister(struct ctl_table_header *h);
/* restart_syscall(): for handlers that cannot take RTNL now. */
int ipv6_rs_restart_syscall(void);
bool ipv6_rs_rtnl_trylock(void);
/* Publish all/default devconf in net->ipv6 (NULL to clear). */
void ipv6_rs_net_set_devconf(struct net *net, struct ipv6_devconf *all,
			     struct ipv6_devconf *dflt);
struct ipv6_devconf *ipv6_rs_idev_cnf_ptr(struct inet6_dev *idev);

/* --- fragment reassembly: the kernel's inet_frag queues (mainline reassembly.c) */
struct frag_queue;
int ipv6_rs_frags_init(void);
void ipv6_rs_frags_fini(void);
/* net->ipv6.fqdir with mainline's thresholds and timeout; pre_exit, then exit. */
int ipv6_rs_net_frags_init(struct net *net);
void ipv6_rs_net_frags_pre_exit(struct net *net);
void ipv6_rs_net_frags_exit(struct net *net);
/*
 * The queue of the datagram skb's fragment belongs to (identification id, the IPv6
 * header at the network header, arriving on iif), created if new, locked, with a
 * reference held; NULL on failure. Under rcu_read_lock().
 */
struct frag_queue *ipv6_rs_fq_find_lock(struct net *net, struct sk_buff *skb, __be32 id,
					int iif);
/* The queue's length so far, last-fragment-in, and whether it is complete already. */
void ipv6_rs_fq_state(const struct frag_queue *fq, u32 *len, bool *last_in, bool *complete);
/* Kill the queue (drops its fragments); reference counting as inet_frag_kill(). */
void ipv6_rs_fq_kill(struct frag_queue *fq, int *refs);
/*
 * Insert the fragment [offset, end) whose fragment header ends fhdr_end bytes after the
 * network header, with the queue's new length and last-in flag and the fragment's ECN
 * bit; nhoff is the offset of the next-header field naming the fragment header.
 * Returns 0 once the queue holds it (*prev_tail: the tail before it; *acct: the
 * queue's accounting), or, with skb not consumed and the queue as it was, -EEXIST (a
 * duplicate), -EILSEQ (overlaps another: RFC 5722) or -ENOMEM. Then either
 * ipv6_rs_fq_reasm() (complete), ipv6_rs_fq_fail() (invalid) or ipv6_rs_fq_keep().
 */
struct ipv6_rs_fq_acct {
	u32 len;
	u32 meat;
	bool first_in;
	bool last_in;
	bool settled;
	u8 ecn;
};
int ipv6_rs_fq_insert(struct frag_queue *fq, struct sk_buff *skb, int offset, int end,
		      int fhdr_end, u32 len, bool last_in, int nhoff, u8 ecn_bit,
		      struct sk_buff **prev_tail, struct ipv6_rs_fq_acct *acct);
int ipv6_rs_fq_reasm(struct frag_queue *fq, struct sk_buff *skb, struct sk_buff *prev_tail,
		     struct net_device *dev, u8 ecn, int *refs);
void ipv6_rs_fq_fail(struct frag_queue *fq, struct net_device *dev, int *refs);
void ipv6_rs_fq_keep(struct sk_buff *skb);
void ipv6_rs_fq_unlock_put(struct frag_queue *fq, int refs);
/* ipv6frag_thdr_truncated() on the first fragment, from the IPv6 header's next header. */
bool ipv6_rs_frag_thdr_truncated(struct sk_buff *skb);

/* --- the ICMPv6 error sender built-in code calls (icmpv6_send()) */
typedef void (*ipv6_rs_icmp_send_fn)(struct sk_buff *skb, u8 type, u8 code, __u32 info,
				     const struct in6_addr *force_saddr,
				     const struct inet6_skb_parm *parm);
int ipv6_rs_icmp_sender_register(ipv6_rs_icmp_send_fn fn);
void ipv6_rs_icmp_sender_unregister(ipv6_rs_icmp_send_fn fn);

/*
 * net.ipv6.* (sysctl_net_ipv6.c), net.ipv6.icmp.* (icmp.c) and net.ipv6.ip6frag_*
 * (reassembly.c) and net.ipv6.route.* (route.c; "flush" schedules the address check
 * chk, where routes expire) of net: mainline's tables, pointed at net's own fields; plus, in
 * init_net, the global mld_max_msf and mld_qrv. 0 or -ENOMEM (nothing registered).
 */
int ipv6_rs_net_sysctls_register(struct net *net, struct ipv6_rs_addr_chk *chk);
void ipv6_rs_net_sysctls_unregister(struct net *net);

/* --- AF_INET6 sockets: the kernel's struct sock, raw6_sock and ipv6_pinfo */
struct sock;
struct msghdr;
struct raw_hashinfo;
struct ipv6_pinfo;
struct sk_buff;
#include <linux/sockptr.h>
#include <linux/in6.h>

/* The hash of our raw sockets (rawv6_prot.h.raw_hash), initialised statically. */
struct raw_hashinfo *ipv6_rs_raw_hashinfo(void);
/* inet6_create()'s initialisation of a new socket's inet and IPv6 parts. */
void ipv6_rs_sk_init(struct sock *sk, int protocol, bool raw);
struct ipv6_pinfo *ipv6_rs_sk_pinfo(const struct sock *sk);
struct net *ipv6_rs_sock_net(const struct sock *sk);
void ipv6_rs_lock_sock(struct sock *sk);
/* Flag bits of inet_sock/ipv6_pinfo (inet_test_bit() and friends). */
enum {
	IPV6_RS_SK_RECVERR6,
	IPV6_RS_SK_MC6_LOOP,
	IPV6_RS_SK_HDRINCL,
	IPV6_RS_SK_SNDFLOW,
	IPV6_RS_SK_DONTFRAG,
	IPV6_RS_SK_FREEBIND,
	IPV6_RS_SK_TRANSPARENT,
	IPV6_RS_SK_MC6_ALL,
};
/* ipv6_can_nonlocal_bind(): the ip_nonlocal_bind sysctl, IPV6_FREEBIND or IPV6_TRANSPARENT. */
bool ipv6_rs_sk_can_nonlocal_bind(struct sock *sk);
/* IPV6_TRANSPARENT's check: CAP_NET_RAW or CAP_NET_ADMIN over the socket's namespace. */
bool ipv6_rs_sk_may_transparent(struct sock *sk);
bool ipv6_rs_sk_test_bit(const struct sock *sk, int bit);
/* Sets a flag; clearing RECVERR6 also purges the error queue, as mainline. */
void ipv6_rs_sk_assign_bit(struct sock *sk, int bit, bool val);
/* np->rxopt: all bits, and one IPV6_RECV* option's bit. */
u16 ipv6_rs_sk_rxopt(const struct sock *sk);
void ipv6_rs_sk_set_rxopt(struct sock *sk, int opt, bool val);
bool ipv6_rs_sk_rxopt_test(const struct sock *sk, int opt);
bool ipv6_rs_sk_rmem_full(const struct sock *sk);
void ipv6_rs_sk_inc_drops(struct sock *sk);
/* User memory: 0 or -EFAULT. */
int ipv6_rs_copy_from_sockptr(void *dst, sockptr_t src, size_t len);
int ipv6_rs_get_user_int(int *val, const int __user *p);
int ipv6_rs_put_user_int(int val, int __user *p);
int ipv6_rs_copy_to_user(void __user *dst, const void *src, size_t len);
int ipv6_rs_copy_from_user(void *dst, const void __user *src, size_t len);
/* Calls fn for each raw socket of protocol in net, under RCU, until it returns true. */
void ipv6_rs_raw_for_each(struct net *net, u8 protocol,
			  bool (*fn)(void *ctx, struct sock *sk), void *ctx);
/*
 * A packet charged to sk with headroom for any link header and the IPv6 header; for
 * raw sockets as __ip6_append_data() allocates without a transport header (no wait,
 * no pending-error check).
 */
struct sk_buff *ipv6_rs_sock_alloc_send_skb(struct sock *sk, size_t len, bool noblock,
					    int *err);
int ipv6_rs_skb_put_from_msg(struct sk_buff *skb, struct msghdr *msg, int len);
int ipv6_rs_skb_copy_datagram_msg(const struct sk_buff *skb, int offset, struct msghdr *msg,
				  int size);
void ipv6_rs_sock_recv_cmsgs(struct msghdr *msg, struct sock *sk, struct sk_buff *skb);
/* A sendmsg()'s control buffer (the core's wire::cmsg walks it), and sockcm_init(). */
const void *ipv6_rs_msg_control(const struct msghdr *msg, size_t *len);
void ipv6_rs_sockc_init(const struct sock *sk, struct sockcm_cookie *sockc);
/* IP6CB(skb): cleared, with the arrival interface (inet6_iif()). */
void ipv6_rs_skb_set_iif(struct sk_buff *skb, int iif);
int ipv6_rs_skb_iif(const struct sk_buff *skb);
struct inet6_skb_parm *ipv6_rs_skb_ip6cb(struct sk_buff *skb);
void ipv6_rs_skb_set_nhoff(struct sk_buff *skb, unsigned int nhoff);
const unsigned char *ipv6_rs_skb_linear_data(const struct sk_buff *skb, unsigned int *len);
const unsigned char *ipv6_rs_skb_linear_transport(const struct sk_buff *skb, unsigned int *len);
const struct inet6_protocol *ipv6_rs_inet6_proto(u8 nexthdr);
/* rawv6_ioctl(): SIOCOUTQ, SIOCINQ. */
int ipv6_rs_raw_ioctl(struct sock *sk, int cmd, int *karg);
/* proto.close for datagram sockets: sk_common_release(). */
void ipv6_rs_sk_common_release(struct sock *sk, long timeout);
struct sk_buff *ipv6_rs_skb_clone_atomic(struct sk_buff *skb);
void ipv6_rs_skb_csum_unnecessary(struct sk_buff *skb);
struct ipv6hdr;
bool ipv6_rs_sk_ipv6only(const struct sock *sk);
void ipv6_rs_sk_set_ipv6only(struct sock *sk, bool val);
/* ns_capable(net->user_ns, CAP_NET_RAW). */
bool ipv6_rs_ns_capable_net_raw(const struct net *net);
int ipv6_rs_devconf_all_hop_limit(const struct net *net);
/*
 * ipv6_icmp_error(): queue a clone of the ICMPv6 error skb (transport header at the
 * ICMPv6 header) on sk's error queue, payload_off bytes after data pulled off.
 */
void ipv6_rs_icmp_error_queue(struct sock *sk, struct sk_buff *skb, int err, __be16 port,
			      u32 info, int payload_off);
/* ipv6_local_error(): with IPV6_RECVERR, queue a local error (SO_EE_ORIGIN_LOCAL) about a
 * packet to daddr:port, carrying info (an MTU for EMSGSIZE). */
void ipv6_rs_local_error(struct sock *sk, int err, const struct in6_addr *daddr, __be16 port,
			 u32 info);
/* sk->sk_err = err and wake the owner (sk_error_report()). */
void ipv6_rs_sk_report_error(struct sock *sk, int err);
/* ipv6_recv_error(): the timestamp and the address an error skb is about. */
void ipv6_rs_recv_error_name(struct sock *sk, struct msghdr *msg, struct sk_buff *skb,
			     int *addr_len);
/* ipv6_recv_error(): the IPV6_RECVERR control message, and MSG_ERRQUEUE. */
void ipv6_rs_recv_error_cmsg(struct msghdr *msg, struct sk_buff *skb);
struct proto;
/* sk_alloc(net, PF_INET6, GFP_KERNEL, prot, kern). */
struct sock *ipv6_rs_sk_alloc(struct net *net, struct proto *prot, int kern);
/* skb->dev = dev, skb->protocol = ETH_P_IPV6: a socket's packet takes its route. */
void ipv6_rs_skb_set_dev(struct sk_buff *skb, struct net_device *dev);

/* --- UDP over IPv6: the kernel's struct udp6_sock and udp_table (mainline udp.c) */
int ipv6_rs_udp_init_sock(struct sock *sk);
/* udp_v6_get_port() and udp_v6_rehash(): the ipv6_portaddr_hash()es of the socket. */
int ipv6_rs_udp_v6_get_port(struct sock *sk, unsigned short snum);
void ipv6_rs_udp_v6_rehash(struct sock *sk);
void ipv6_rs_udp_close(struct sock *sk, long timeout);
/* Calls fn for each AF_INET6 UDP socket on local port hnum in net (caller holds RCU). */
void ipv6_rs_udp_for_each_port(struct net *net, u16 hnum,
			       bool (*fn)(void *ctx, struct sock *sk), void *ctx);
/* UDP_SKB_CB(): full checksum coverage (udp6_csum_init()). */
void ipv6_rs_udp_skb_cb_init(struct sk_buff *skb);
/* Pull the UDP header and queue on sk (__udp_enqueue_schedule_skb()); <0 keeps skb. */
int ipv6_rs_udp_enqueue(struct sock *sk, struct sk_buff *skb);
/* __UDP6_INC_STATS(net, field, 0). */
void ipv6_rs_udp6_inc(struct net *net, int field);
unsigned int ipv6_rs_udp_skb_len(struct sk_buff *skb);
__be16 ipv6_rs_udp_skb_sport(const struct sk_buff *skb);
/* udp_lib_setsockopt() without corking (no pending frames to push). */
int ipv6_rs_udp_lib_setsockopt(struct sock *sk, int level, int optname, sockptr_t optval,
			       unsigned int optlen);
int *ipv6_rs_udp_memory_per_cpu_fw_alloc(void);
/* offsetof(struct net, ipv4.sysctl_udp_{r,w}mem_min). */
u32 ipv6_rs_udp_sysctl_offsets(int rmem);
/*
 * __inet6_bind()'s bookkeeping after a successful bind: the IPv4 view of the address
 * (LOOPBACK4_IPV6 for a specific IPv6 one), SOCK_BIND{ADDR,PORT}_LOCK, inet_sport.
 */
void ipv6_rs_sk_bind_locks(struct sock *sk, bool addr, bool port, bool v6_specific);
/* A privileged port the caller may not bind (inet_port_requires_bind_service()). */
bool ipv6_rs_port_needs_cap(struct net *net, unsigned short port);
int ipv6_rs_udp_lib_getsockopt(struct sock *sk, int level, int optname, char __user *optval,
			       int __user *optlen);
/* skb_put() whose bytes the caller writes next. */
void ipv6_rs_skb_put(struct sk_buff *skb, unsigned int len);
/* pingv6_ops.ipv6_icmp_error: ipv6_icmp_error() if the socket asked for IPV6_RECVERR. */
void ipv6_rs_ipv6_icmp_error(struct sock *sk, struct sk_buff *skb, int err, __be16 port,
			     u32 info, u8 *payload);
/* ping_err() for an ICMPv6 error whose data is at its ICMPv6 header. */
void ipv6_rs_ping_err(struct sk_buff *skb, int inner_offset, u32 info);
/*
 * The address after prev among all of net's devices (the first one for prev NULL), in
 * ipv6_rs_walk_addrs() order; NULL after the last. Under rcu_read_lock(), held across
 * the whole walk.
 */
struct inet6_ifaddr *ipv6_rs_addr_next(struct net *net, struct inet6_ifaddr *prev);
/* /proc/net/udp6 and /proc/net/raw6 of net, in mainline's format: 0 or -ENOMEM. */
int ipv6_rs_dgram_proc_init(struct net *net);
void ipv6_rs_dgram_proc_exit(struct net *net);

/*
 * Routing tables: the lock that keeps lookups out while a writer changes a table of
 * one namespace (read_lock_bh()/write_lock_bh(): lookups run in softirq too).
 */
struct ipv6_rs_fib_lock;
/* Lock classes, so that lockdep tells the locks apart where one nests in another. */
enum ipv6_rs_lock_class {
	IPV6_RS_LOCK_FIB,
	IPV6_RS_LOCK_ADDRLABEL,
	IPV6_RS_LOCK_EXCEPTIONS,
	IPV6_RS_LOCK_ANCHORS,
	IPV6_RS_LOCK_AUTOJOIN,
	IPV6_RS_LOCK_TUNNELS,
	IPV6_RS_LOCK_CLASSES,
};
struct ipv6_rs_fib_lock *ipv6_rs_fib_lock_alloc(enum ipv6_rs_lock_class class);
void ipv6_rs_fib_lock_free(struct ipv6_rs_fib_lock *l);
void ipv6_rs_fib_read_lock(struct ipv6_rs_fib_lock *l);
void ipv6_rs_fib_read_unlock(struct ipv6_rs_fib_lock *l);
void ipv6_rs_fib_write_lock(struct ipv6_rs_fib_lock *l);
void ipv6_rs_fib_write_unlock(struct ipv6_rs_fib_lock *l);
/* nlmsg_new(payload, GFP_ATOMIC). */
struct sk_buff *ipv6_rs_nlmsg_new_atomic(size_t payload);
/* nlmsg_parse_deprecated() of an RTM_*ROUTE request with mainline's rtm_ipv6_policy. */
int ipv6_rs_parse_rtmsg(const struct nlmsghdr *nlh, struct nlattr **tb,
			struct netlink_ext_ack *extack);
/* The same, strictly (nlmsg_parse_deprecated_strict()), for strict get requests. */
int ipv6_rs_parse_rtmsg_strict(const struct nlmsghdr *nlh, struct nlattr **tb,
			       struct netlink_ext_ack *extack);
/* netlink_strict_get_check(): the requester asked for strict checking. */
bool ipv6_rs_strict_get_check(struct sk_buff *skb);
/* rtnl_unicast(). */
int ipv6_rs_rtnl_unicast(struct sk_buff *skb, struct net *net, u32 portid);
/*
 * ip_fib_metrics_init() of an RTA_METRICS payload (its checks and messages): fills
 * metrics[RTAX_MAX] (RTAX_x at index x - 1) and returns 0, or a negative errno.
 */
int ipv6_rs_route_metrics(struct nlattr *mx, int len, u32 *metrics,
			  struct netlink_ext_ack *extack);
/* netif_carrier_ok(). */
bool ipv6_rs_dev_carrier_ok(const struct net_device *dev);
/* rtnl_notify() to RTNLGRP_IPV6_ROUTE, echoing to the requester as mainline does. */
void ipv6_rs_route_notify(struct sk_buff *skb, struct net *net, u32 portid,
			  const struct nlmsghdr *nlh);

/* --- router discovery */
/*
 * Router advertisements change addresses and routes, which we do under RTNL: the
 * receive path queues them (holding the device) for a work that carries each out with
 * fn under RTNL, in order. At most IPV6_RS_RA_BACKLOG wait; enqueue fails beyond.
 */
#define IPV6_RS_RA_BACKLOG 64
void ipv6_rs_ra_init(void (*fn)(struct sk_buff *skb));
bool ipv6_rs_ra_enqueue(struct sk_buff *skb);
/* Waits for the work and drops what is still queued. */
void ipv6_rs_ra_exit(void);
/* The callback of every device's idev->rs_timer (set up at attach), in softirq. */
void ipv6_rs_rs_init(void (*fn)(struct inet6_dev *idev));
/* What the router solicitation timer decides from. */
struct ipv6_rs_rs_state {
	bool live;		/* not dead, IF_READY */
	u32 if_flags;
	int accept_ra;
	int forwarding;
	int probes;		/* rs_probes */
	int interval;		/* rs_interval, jiffies */
	int rtr_solicits;
	int rtr_solicit_interval;
	int rtr_solicit_max_interval;
	int rtr_solicit_delay;
};
void ipv6_rs_rs_state(struct inet6_dev *idev, struct ipv6_rs_rs_state *st);
/*
 * A solicitation went out: record probes and interval, set if_flags bits, and re-arm
 * the timer for delay jiffies (holding the idev), unless the device went down.
 */
void ipv6_rs_rs_sent(struct inet6_dev *idev, int probes, int interval, u32 set_flags,
		     unsigned long delay);
/* Stop the timer (device down or gone) and forget solicitations and answers. */
void ipv6_rs_rs_stop(struct inet6_dev *idev);
/* The net_device of an inet6_dev. */
struct net_device *ipv6_rs_idev_dev(const struct inet6_dev *idev);
/* The RA's settings: cnf.hop_limit, cnf.mtu6, ra_mtu, under the idev lock. */
void ipv6_rs_idev_set_hop_limit(struct inet6_dev *idev, int hop_limit);
void ipv6_rs_idev_set_mtu6(struct inet6_dev *idev, int mtu);
/* Sets ra_mtu; returns whether it changed. */
bool ipv6_rs_idev_set_ra_mtu(struct inet6_dev *idev, u32 mtu);
/* RETRANS_TIME from an RA; tstamp too. */
void ipv6_rs_idev_set_retrans(struct inet6_dev *idev, unsigned long jiffies);
/* BASE_REACHABLE_TIME (and GC_STALETIME, reachable_time) from an RA; whether changed. */
bool ipv6_rs_idev_set_reachable(struct inet6_dev *idev, unsigned long jiffies);
/* neigh->flags |= NTF_ROUTER. */
void ipv6_rs_neigh_set_router(struct neighbour *n);
/* Send an RTM_NEWPREFIX (inet6_prefix_notify()) for a prefix information option. */
void ipv6_rs_prefix_notify(struct net_device *dev, const u8 *pinfo);

/* --- policy routing: the AF_INET6 rules of net/core/fib_rules.c (fib6_rules.c) */
/* Our rules (rule_size): mainline's struct fib6_rule, whose layout is private. */
/* A rule's own selectors and a flow, as plain values for the Rust core. The rule's are
 * computed once, when it is configured. */
struct ipv6_rs_rule_sel {
	struct in6_addr dst, src;
	u8 dst_len, src_len, dscp, ip_proto;
	u16 sport_lo, sport_hi, dport_lo, dport_hi;
	bool find_saddr;
};
struct ipv6_rs_fib6_rule {
	struct fib_rule common;
	struct rt6key src;
	struct rt6key dst;
	u8 dscp;		/* dscp_t */
	u8 dscp_full;		/* DSCP (FRA_DSCP) rather than TOS selector */
	struct ipv6_rs_rule_sel sel;
};
struct ipv6_rs_flow {
	struct in6_addr daddr, saddr;
	int oif, iif;
	u32 mark;
	u32 uid;		/* INVALID_UID: (u32)-1 */
	u8 proto;
	u8 tos;			/* traffic class (dsfield) */
	u16 sport, dport;	/* host order */
};
/* The decisions, written in Rust: match, action (a table lookup into `data`, the
 * lookup's own state) and suppress. */
struct ipv6_rs_fib6_rule_fns {
	bool (*match)(const struct ipv6_rs_rule_sel *sel, const struct ipv6_rs_flow *f,
		      bool has_saddr);
	int (*action)(void *data, u8 action, u32 table, int flags,
		      const struct ipv6_rs_rule_sel *sel);
	bool (*suppress)(void *data, int suppress_prefixlen, int suppress_ifgroup);
};
void ipv6_rs_fib6_rules_init(const struct ipv6_rs_fib6_rule_fns *fns);
/* fib6_rules_net_init()/exit(): the namespace's rules with the defaults. */
int ipv6_rs_fib6_rules_net_init(struct net *net);
void ipv6_rs_fib6_rules_net_exit(struct net *net);
/* net->ipv6.fib6_has_custom_rules: a rule was ever added. */
bool ipv6_rs_fib6_has_custom_rules(const struct net *net);
/* fib_rules_lookup() of flow f; `data` reaches the action. Returns 0 or -errno
 * (-ESRCH: no rule decided). */
int ipv6_rs_fib6_rules_lookup(struct net *net, const struct ipv6_rs_flow *f, int flags,
			      void *data);
/* dev->group of the device with ifindex, -1 if none (RCU held by the caller). */
int ipv6_rs_dev_group(struct net *net, int ifindex);
/* sk_mark and sk_uid (initial namespace's terms) of a socket. */
void ipv6_rs_sk_flow_keys(const struct sock *sk, u32 *mark, u32 *uid, u8 *proto, u16 *sport);
/* current_uid() in the initial namespace's terms. */
u32 ipv6_rs_current_uid(void);
/* rtm_getroute_parse_ip_proto() for AF_INET6. */
int ipv6_rs_parse_ip_proto(struct nlattr *attr, u8 *proto, struct netlink_ext_ack *extack);

/* --- forwarding (ip6_forward()) */
/* ip6_pkt_too_big(): the packet (length, GSO segments, reassembled fragments) does not
 * fit mtu. */
bool ipv6_rs_skb_too_big(const struct sk_buff *skb, unsigned int mtu);
/* The forwarding path's own changes before output: checksum state, writable headers
 * with room for `out`'s link-layer header, hop limit decremented, leaving through
 * `out`. -ENOMEM if the headers could not be made writable. */
int ipv6_rs_forward_prepare(struct sk_buff *skb, struct net_device *out);
/* skb->mark. */
u32 ipv6_rs_skb_mark(const struct sk_buff *skb);
/* net.ipv6.conf.all.forwarding. */
bool ipv6_rs_net_forwarding(const struct net *net);
u8 ipv6_rs_mp_hash_policy(const struct net *net);
u32 ipv6_rs_mp_hash_fields(const struct net *net);

/* --- address labels: ifal_policy of net/ipv6/addrlabel.c (part of the ABI) */
int ipv6_rs_parse_ifal(const struct nlmsghdr *nlh, struct nlattr **tb,
		       struct netlink_ext_ack *extack);
int ipv6_rs_parse_ifal_strict(const struct nlmsghdr *nlh, struct nlattr **tb,
			      struct netlink_ext_ack *extack);

/* --- nexthop objects (include/nexthop.c) */
struct neigh_table;
struct nl_info;

/* The next hop an IPv6 nexthop object asks for (fib6_config of nh_create_ipv6()). */
struct ipv6_rs_nh_req {
	struct in6_addr gateway;
	u32 ifindex;
	u32 table;
	/* RTF_GATEWAY, RTF_REJECT, RTNH_F_ONLINK. */
	u32 flags;
	/* Out: the device it leaves through. */
	u32 dev;
};

/* What the stub asks the Rust side, under RTNL. */
struct ipv6_rs_nh_ops {
	/* Checks req as a route's next hop is checked (ip6_validate_gw() and friends): 0
	 * with req->dev set, or -errno with the extack message set. */
	int (*validate)(struct net *net, struct ipv6_rs_nh_req *req,
			struct netlink_ext_ack *extack);
	/* Object id goes: so do the routes using it, announced if notify. */
	void (*del_routes)(struct net *net, u32 id, bool notify);
	/* Object id changed its paths: the routes using it are announced, echoing the
	 * request of portid (nlh, or NULL). */
	void (*announce)(struct net *net, u32 id, u32 portid, const struct nlmsghdr *nlh);
	/* Object id changed its paths: what was learned on the old ones goes. */
	void (*flush)(struct net *net, u32 id);
};

/* One path of a nexthop object. */
struct ipv6_rs_nh_path {
	struct in6_addr gw;
	u32 ifindex;
	u8 has_gw;
	/* RTNH_F_*. */
	u8 flags;
	u8 blackhole;
};

/* Installs our ipv6_stub (its nexthop operations and nd_tbl) over the kernel's, and
 * puts the kernel's back. Under RTNL. */
void ipv6_rs_stub_install(const struct ipv6_rs_nh_ops *ops, struct neigh_table *nd_tbl);
void ipv6_rs_stub_remove(void);
/* An anchor for our routes on object id's list of users (NULL if the object is gone or
 * out of memory), and its removal. Under RTNL; atomic. */
struct fib6_info *ipv6_rs_nh_anchor_new(struct net *net, u32 id);
void ipv6_rs_nh_anchor_free(struct fib6_info *f6i);
int ipv6_rs_nh_check(struct net *net, u32 id, u32 *dev, struct netlink_ext_ack *extack);
int ipv6_rs_nh_path(struct net *net, u32 id, int hash, u32 oif, struct ipv6_rs_nh_path *p);
int ipv6_rs_nh_hdr(struct net *net, u32 id, u8 *type, u8 *flags);
int ipv6_rs_nh_fill(struct sk_buff *skb, struct net *net, u32 id);
u32 ipv6_rs_nh_num_paths(struct net *net, u32 id);

/* Multicast listener discovery (helpers.c, "multicast listener discovery"). */
struct ifmcaddr6;
struct ipv6_mc_socklist;
#define IPV6_RS_MLD_IFC 0
#define IPV6_RS_MLD_GQ 1
#define IPV6_RS_MLD_DAD 2
int ipv6_rs_mld_qrv_sysctl(void);
int ipv6_rs_mld_init(void (*dev_fn)(struct inet6_dev *idev, int which),
		     void (*mca_fn)(struct ifmcaddr6 *mc),
		     void (*rx_fn)(struct inet6_dev *idev, struct sk_buff *skb, bool query));
void ipv6_rs_mld_exit(void);
void ipv6_rs_mld_dev_init(struct inet6_dev *idev);
void ipv6_rs_mc_lock(struct inet6_dev *idev);
void ipv6_rs_in6_dev_hold(struct inet6_dev *idev);
void ipv6_rs_in6_dev_put(struct inet6_dev *idev);
void ipv6_rs_mc_unlock(struct inet6_dev *idev);
void ipv6_rs_mld_work_start(struct inet6_dev *idev, int which, unsigned long delay);
void ipv6_rs_mld_work_stop(struct inet6_dev *idev, int which);
void ipv6_rs_mld_enqueue(struct sk_buff *skb, bool query);
void ipv6_rs_mld_rx_stop(struct inet6_dev *idev, bool purge);
struct ifmcaddr6 *ipv6_rs_mca_add(struct inet6_dev *idev, const struct in6_addr *addr,
				  u32 flags, u8 crcount, bool tomb);
void ipv6_rs_mca_unlink(struct inet6_dev *idev, struct ifmcaddr6 *mc, bool tomb);
void ipv6_rs_mca_put(struct ifmcaddr6 *mc);
struct ifmcaddr6 *ipv6_rs_mca_first(struct inet6_dev *idev, bool tomb);
struct ifmcaddr6 *ipv6_rs_mca_next(struct ifmcaddr6 *mc);
void ipv6_rs_mca_timer_start(struct ifmcaddr6 *mc, unsigned long delay);
long ipv6_rs_mca_timer_cancel(struct ifmcaddr6 *mc);
long ipv6_rs_mca_timer_clock(const struct ifmcaddr6 *mc);
struct ipv6_mc_socklist *ipv6_rs_sk_mc_alloc(struct sock *sk);
void ipv6_rs_sk_mc_free(struct sock *sk, struct ipv6_mc_socklist *mc);
void ipv6_rs_sk_mc_link(struct sock *sk, struct ipv6_mc_socklist *mc, int ifindex,
			const struct in6_addr *addr, unsigned int sfmode);
struct ipv6_mc_socklist *ipv6_rs_sk_mc_unlink(struct sock *sk, int ifindex,
					      const struct in6_addr *addr, bool any);
void ipv6_rs_sk_mc_release(struct sock *sk, struct ipv6_mc_socklist *mc);
struct ipv6_mc_socklist *ipv6_rs_sk_mc_first(const struct sock *sk);
struct ipv6_mc_socklist *ipv6_rs_sk_mc_next(const struct ipv6_mc_socklist *mc);
/* MLD source filters (mcast.c's ip6_sf_list and ip6_sf_socklist). */
struct ip6_sf_list;
struct ip6_sf_socklist;
int ipv6_rs_mld_max_msf_sysctl(void);
int ipv6_rs_optmem_max(const struct sock *sk);
struct ip6_sf_list *ipv6_rs_psf_first(struct ifmcaddr6 *mc, bool tomb);
struct ip6_sf_list *ipv6_rs_psf_next(struct ifmcaddr6 *mc, struct ip6_sf_list *psf);
struct ip6_sf_list *ipv6_rs_psf_insert(struct ifmcaddr6 *mc, bool tomb,
				       struct ip6_sf_list *prev,
				       const struct ip6_sf_list *init);
void ipv6_rs_psf_remove(struct ifmcaddr6 *mc, bool tomb, struct ip6_sf_list *prev,
			struct ip6_sf_list *psf);
void ipv6_rs_mca_clear_src(struct ifmcaddr6 *pmc);
void ipv6_rs_mca_swap_src(struct ifmcaddr6 *a, struct ifmcaddr6 *b);
struct ip6_sf_socklist *ipv6_rs_sk_sfl_alloc(struct sock *sk, unsigned int n);
void ipv6_rs_sk_sfl_free(struct sock *sk, struct ip6_sf_socklist *psl);
void ipv6_rs_sk_sfl_charge(struct sock *sk, const struct ip6_sf_socklist *psl, bool add);
void ipv6_rs_sk_sfl_set(struct ipv6_mc_socklist *mc, struct ip6_sf_socklist *psl);
struct ip6_sf_socklist *ipv6_rs_sk_sfl_get(const struct ipv6_mc_socklist *mc);
struct in6_addr *ipv6_rs_sfl_addrs(struct ip6_sf_socklist *psl);

/* --- symbols exported under mainline's names (include/exports.c) */
/* A route lookup's answer for a dst (include/route.c). */
struct ipv6_rs_route {
	/* -errno: a reject route's, or -ENETUNREACH for none; then only dst/dst_len/flags. */
	int error;
	/* The device it leaves through (lo for our own addresses). */
	int ifindex;
	/* The route's prefix and RTF_* flags. */
	struct in6_addr dst;
	u8 dst_len;
	u32 flags;
	/* The next hop, if not the destination itself on the link. */
	bool has_gateway;
	struct in6_addr gateway;
	/* RTAX_MTU (the route's, or its PMTU exception's), RTAX_HOPLIMIT, RTAX_ADVMSS; 0
	 * for none. */
	u32 mtu, hoplimit, advmss;
};

struct ipv6_rs_export_ops {
	/* ipv6_dev_get_saddr(): 0 and *saddr set, or -EADDRNOTAVAIL. */
	int (*dev_get_saddr)(struct net *net, const struct net_device *dst_dev,
			     const struct in6_addr *daddr, unsigned int prefs,
			     struct in6_addr *saddr);
	/* ipv6_chk_addr(): 1 if addr is a usable address of ours (of dev if given). */
	int (*chk_addr)(struct net *net, const struct in6_addr *addr,
			const struct net_device *dev, int strict);
	/* ipv6_dev_mc_inc()/ipv6_dev_mc_dec(), under RTNL: 0 or -errno. */
	int (*dev_mc_change)(struct net_device *dev, const struct in6_addr *addr, bool join);
	/* The route for fl6 (daddr, saddr if set, oif, mark, uid; strict: only through
	 * oif), in any context: *r filled. */
	void (*route_lookup)(struct net *net, const struct flowi6 *fl6, bool strict,
			     struct ipv6_rs_route *r);
	/* ip6_update_pmtu()'s exception: mtu for the path from saddr (:: for none) to
	 * daddr, which left through oif. */
	void (*update_pmtu)(struct net *net, const struct in6_addr *daddr,
			    const struct in6_addr *saddr, int oif, u32 mark, u32 mtu);
	/* ip6_redirect(): the redirect at skb's transport header, for the packet quoted at
	 * skb->data. */
	void (*redirect)(struct sk_buff *skb, int oif, u32 mark);
	/* A dst's output: skb (data at its IPv6 header) to nexthop through dev, with the
	 * route's MTU metric (0: none); consumes skb. 0 or -errno. */
	int (*dst_output)(struct sk_buff *skb, struct net_device *dev,
			  const struct in6_addr *nexthop, u32 mtu);
};
/* The installed operations, or NULL. */
const struct ipv6_rs_export_ops *ipv6_rs_exports(void);
/* The dsts of include/route.c: at module init (before any namespace) and exit. */
int ipv6_rs_route_init(void);
void ipv6_rs_route_exit(void);
/* The namespace's routes, exceptions or rules changed: the dsts made before are stale. */
void ipv6_rs_routes_changed(struct net *net);
/* Install the operations the exported symbols forward to (NULL: none). */
void ipv6_rs_exports_install(const struct ipv6_rs_export_ops *ops);

#endif
