/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Anycast state in the kernel's own structures (include/anycast.c): a device's
 * `struct ifacaddr6` entries in `inet6_dev.ac_list`, a socket's
 * `struct ipv6_ac_socklist` entries in `ipv6_pinfo.ipv6_ac_list`.
 */
#ifndef IPV6_RS_ANYCAST_H
#define IPV6_RS_ANYCAST_H

#include <net/if_inet6.h>
#include <net/sock.h>

struct ifacaddr6 *ipv6_rs_aca_first(struct inet6_dev *idev);
struct ifacaddr6 *ipv6_rs_aca_next(const struct ifacaddr6 *aca);
int ipv6_rs_aca_inc(struct inet6_dev *idev, const struct in6_addr *addr, bool *created);
int ipv6_rs_aca_dec(struct inet6_dev *idev, const struct in6_addr *addr, bool *removed);
bool ipv6_rs_aca_pop(struct inet6_dev *idev, struct in6_addr *addr);
bool ipv6_rs_ac_walk_rcu(struct net *net, struct net_device *dev,
			 bool (*f)(void *ctx, struct net_device *dev,
				   const struct in6_addr *addr, int users),
			 void *ctx);

struct ipv6_ac_socklist *ipv6_rs_sk_ac_alloc(struct sock *sk);
void ipv6_rs_sk_ac_free(struct sock *sk, struct ipv6_ac_socklist *pac);
void ipv6_rs_sk_ac_link(struct sock *sk, struct ipv6_ac_socklist *pac, int ifindex,
			const struct in6_addr *addr);
struct ipv6_ac_socklist *ipv6_rs_sk_ac_unlink(struct sock *sk, int ifindex,
					      const struct in6_addr *addr, bool any);
bool ipv6_rs_sk_ac_empty(const struct sock *sk);
bool ipv6_rs_ns_capable_net_admin(const struct net *net);
void ipv6_rs_anycast_sysctls(const struct net *net, bool *echo_ignore_anycast,
			     bool *anycast_src_echo_reply);

#endif
