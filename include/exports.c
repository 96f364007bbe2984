// SPDX-License-Identifier: GPL-2.0
/*
 * The symbols mainline's ipv6.ko exports, under mainline's names, prototypes and
 * export kinds, for the kernel's own modules that import them (the bridge's MLD
 * snooping, the IPv6 tunnel family, IPsec's IPv6 modules, netfilter): with ipv6_rs in
 * ipv6.ko's place, depmod resolves their imports to ipv6_rs.ko, and modprobe loads it
 * first. Each is a forward to the operations the Rust side installs at module init
 * (rust/net/exports.rs); their importers depend on this module, so the operations are
 * set whenever one of them can call. The routing ones are in route.c.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/ipv6.h>

#include "ipv6_rs_helpers.h"

static const struct ipv6_rs_export_ops *ipv6_rs_export_ops;

void ipv6_rs_exports_install(const struct ipv6_rs_export_ops *ops)
{
	WRITE_ONCE(ipv6_rs_export_ops, ops);
}

const struct ipv6_rs_export_ops *ipv6_rs_exports(void)
{
	return READ_ONCE(ipv6_rs_export_ops);
}

/*
 * RFC 6724 source address selection, in any context (the bridge asks from its
 * multicast timers, under a spinlock): addresses are read under RCU.
 */
int ipv6_dev_get_saddr(struct net *net, const struct net_device *dst_dev,
		       const struct in6_addr *daddr, unsigned int prefs,
		       struct in6_addr *saddr)
{
	const struct ipv6_rs_export_ops *ops = READ_ONCE(ipv6_rs_export_ops);

	if (!ops)
		return -EADDRNOTAVAIL;
	return ops->dev_get_saddr(net, dst_dev, daddr, prefs, saddr);
}
EXPORT_SYMBOL(ipv6_dev_get_saddr);

/* A usable (not tentative, unless optimistic) address of ours; any context. */
int ipv6_chk_addr(struct net *net, const struct in6_addr *addr,
		  const struct net_device *dev, int strict)
{
	const struct ipv6_rs_export_ops *ops = READ_ONCE(ipv6_rs_export_ops);

	return ops ? ops->chk_addr(net, addr, dev, strict) : 0;
}
EXPORT_SYMBOL(ipv6_chk_addr);

/*
 * A kernel user joins or leaves a group on a device (MLD reports follow). Mainline
 * takes only the device's mc_lock; ipv6_rs reads the device's IPv6 state under RTNL,
 * which every importer in the test kernel holds (the bridge: ndo_open/ndo_stop and its
 * netlink and sysfs handlers). Checked here, so that another caller shows in the log.
 */
int ipv6_dev_mc_inc(struct net_device *dev, const struct in6_addr *addr)
{
	const struct ipv6_rs_export_ops *ops = READ_ONCE(ipv6_rs_export_ops);

	ASSERT_RTNL();
	return ops ? ops->dev_mc_change(dev, addr, true) : -EINVAL;
}
EXPORT_SYMBOL(ipv6_dev_mc_inc);

int ipv6_dev_mc_dec(struct net_device *dev, const struct in6_addr *addr)
{
	const struct ipv6_rs_export_ops *ops = READ_ONCE(ipv6_rs_export_ops);

	ASSERT_RTNL();
	return ops ? ops->dev_mc_change(dev, addr, false) : -ENODEV;
}
EXPORT_SYMBOL(ipv6_dev_mc_dec);

/* ipv6_rs has no "disable" parameter: IPv6 is on whenever the module is loaded. */
bool ipv6_mod_enabled(void)
{
	return true;
}
EXPORT_SYMBOL_GPL(ipv6_mod_enabled);
