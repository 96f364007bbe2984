// SPDX-License-Identifier: GPL-2.0
/*
 * Anycast lists as mainline's net/ipv6/anycast.c keeps them: a device's anycast
 * addresses are `struct ifacaddr6` entries in `inet6_dev.ac_list`, changed under RTNL
 * and the device's `lock`, read under RCU; a socket's joins are `struct
 * ipv6_ac_socklist` entries in `ipv6_pinfo.ipv6_ac_list`, under RTNL. The anycast
 * route and the solicited-node group are the Rust side's (rust/ipv6/anycast.rs):
 * our routes are not `fib6_info`s, so `aca_rt` stays NULL.
 */
#include <linux/capability.h>
#include <linux/ipv6.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/if_inet6.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "ipv6_rs_anycast.h"

/* The first entry of idev's list, under RTNL or RCU. */
struct ifacaddr6 *ipv6_rs_aca_first(struct inet6_dev *idev)
{
	return rcu_dereference_check(idev->ac_list, lockdep_rtnl_is_held());
}

struct ifacaddr6 *ipv6_rs_aca_next(const struct ifacaddr6 *aca)
{
	return rcu_dereference_check(aca->aca_next, lockdep_rtnl_is_held());
}

/* __ipv6_dev_ac_inc()'s list part: one more user of addr, or a new entry at the
 * head of the list (*created). -ENODEV on a dead device, -ENOMEM.
 */
int ipv6_rs_aca_inc(struct inet6_dev *idev, const struct in6_addr *addr, bool *created)
{
	struct ifacaddr6 *aca;
	int err = 0;

	ASSERT_RTNL();
	*created = false;
	write_lock_bh(&idev->lock);
	if (idev->dead) {
		err = -ENODEV;
		goto out;
	}
	for (aca = rtnl_dereference(idev->ac_list); aca;
	     aca = rtnl_dereference(aca->aca_next)) {
		if (ipv6_addr_equal(&aca->aca_addr, addr)) {
			aca->aca_users++;
			goto out;
		}
	}
	aca = kzalloc(sizeof(*aca), GFP_ATOMIC);
	if (!aca) {
		err = -ENOMEM;
		goto out;
	}
	aca->aca_addr = *addr;
	INIT_HLIST_NODE(&aca->aca_addr_lst);
	aca->aca_users = 1;
	aca->aca_cstamp = aca->aca_tstamp = jiffies;
	refcount_set(&aca->aca_refcnt, 1);
	aca->aca_next = idev->ac_list;
	rcu_assign_pointer(idev->ac_list, aca);
	*created = true;
out:
	write_unlock_bh(&idev->lock);
	return err;
}

/* __ipv6_dev_ac_dec()'s list part: one user less of addr; the entry goes with its
 * last user (*removed), freed after RCU readers. -ENOENT if the device has none.
 */
int ipv6_rs_aca_dec(struct inet6_dev *idev, const struct in6_addr *addr, bool *removed)
{
	struct ifacaddr6 *aca, *prev_aca = NULL;

	ASSERT_RTNL();
	*removed = false;
	write_lock_bh(&idev->lock);
	for (aca = rtnl_dereference(idev->ac_list); aca;
	     aca = rtnl_dereference(aca->aca_next)) {
		if (ipv6_addr_equal(&aca->aca_addr, addr))
			break;
		prev_aca = aca;
	}
	if (!aca) {
		write_unlock_bh(&idev->lock);
		return -ENOENT;
	}
	if (--aca->aca_users > 0) {
		write_unlock_bh(&idev->lock);
		return 0;
	}
	if (prev_aca)
		rcu_assign_pointer(prev_aca->aca_next, aca->aca_next);
	else
		rcu_assign_pointer(idev->ac_list, aca->aca_next);
	write_unlock_bh(&idev->lock);
	if (refcount_dec_and_test(&aca->aca_refcnt))
		kfree_rcu(aca, rcu);
	*removed = true;
	return 0;
}

/* ipv6_ac_destroy_dev()'s list part: takes the head entry off, whatever its users,
 * giving its address; false once the list is empty.
 */
bool ipv6_rs_aca_pop(struct inet6_dev *idev, struct in6_addr *addr)
{
	struct ifacaddr6 *aca;

	ASSERT_RTNL();
	write_lock_bh(&idev->lock);
	aca = rtnl_dereference(idev->ac_list);
	if (aca)
		rcu_assign_pointer(idev->ac_list, aca->aca_next);
	write_unlock_bh(&idev->lock);
	if (!aca)
		return false;
	*addr = aca->aca_addr;
	if (refcount_dec_and_test(&aca->aca_refcnt))
		kfree_rcu(aca, rcu);
	return true;
}

/* Calls f with every anycast address of dev, or of every device of net if dev is
 * NULL (in the namespace's device order, each device's list from its head), until it
 * returns true; whether it did. The caller holds RCU.
 */
static bool ipv6_rs_ac_walk_dev(struct net_device *d,
				bool (*f)(void *ctx, struct net_device *dev,
					  const struct in6_addr *addr, int users),
				void *ctx)
{
	struct inet6_dev *idev = __in6_dev_get(d);
	struct ifacaddr6 *aca;

	if (!idev)
		return false;
	for (aca = rcu_dereference(idev->ac_list); aca;
	     aca = rcu_dereference(aca->aca_next))
		if (f(ctx, d, &aca->aca_addr, READ_ONCE(aca->aca_users)))
			return true;
	return false;
}

bool ipv6_rs_ac_walk_rcu(struct net *net, struct net_device *dev,
			 bool (*f)(void *ctx, struct net_device *dev,
				   const struct in6_addr *addr, int users),
			 void *ctx)
{
	struct net_device *d;

	if (dev)
		return ipv6_rs_ac_walk_dev(dev, f, ctx);
	for_each_netdev_rcu(net, d)
		if (ipv6_rs_ac_walk_dev(d, f, ctx))
			return true;
	return false;
}

struct ipv6_ac_socklist *ipv6_rs_sk_ac_alloc(struct sock *sk)
{
	return sock_kmalloc(sk, sizeof(struct ipv6_ac_socklist), GFP_KERNEL);
}

void ipv6_rs_sk_ac_free(struct sock *sk, struct ipv6_ac_socklist *pac)
{
	sock_kfree_s(sk, pac, sizeof(*pac));
}

/* ipv6_sock_ac_join(): the join at the head of the socket's list. Under RTNL. */
void ipv6_rs_sk_ac_link(struct sock *sk, struct ipv6_ac_socklist *pac, int ifindex,
			const struct in6_addr *addr)
{
	struct ipv6_pinfo *np = inet6_sk(sk);

	ASSERT_RTNL();
	pac->acl_addr = *addr;
	pac->acl_ifindex = ifindex;
	pac->acl_next = np->ipv6_ac_list;
	np->ipv6_ac_list = pac;
}

/* The first join of addr on ifindex (any interface if 0), or with any the first of
 * all, taken off the socket's list; NULL if none. Under RTNL.
 */
struct ipv6_ac_socklist *ipv6_rs_sk_ac_unlink(struct sock *sk, int ifindex,
					      const struct in6_addr *addr, bool any)
{
	struct ipv6_pinfo *np = inet6_sk(sk);
	struct ipv6_ac_socklist **lnk, *pac;

	ASSERT_RTNL();
	for (lnk = &np->ipv6_ac_list; (pac = *lnk); lnk = &pac->acl_next) {
		if (any || ((ifindex == 0 || pac->acl_ifindex == ifindex) &&
			    ipv6_addr_equal(&pac->acl_addr, addr))) {
			*lnk = pac->acl_next;
			return pac;
		}
	}
	return NULL;
}

/* ipv6_sock_ac_close()'s unlocked test: the socket never joined (or left all). */
bool ipv6_rs_sk_ac_empty(const struct sock *sk)
{
	return !READ_ONCE(inet6_sk(sk)->ipv6_ac_list);
}

bool ipv6_rs_ns_capable_net_admin(const struct net *net)
{
	return ns_capable(net->user_ns, CAP_NET_ADMIN);
}

/* net.ipv6.icmp.echo_ignore_anycast and net.ipv6.anycast_src_echo_reply. */
void ipv6_rs_anycast_sysctls(const struct net *net, bool *echo_ignore_anycast,
			     bool *anycast_src_echo_reply)
{
	*echo_ignore_anycast = READ_ONCE(net->ipv6.sysctl.icmpv6_echo_ignore_anycast);
	*anycast_src_echo_reply = READ_ONCE(net->ipv6.sysctl.anycast_src_echo_reply);
}
