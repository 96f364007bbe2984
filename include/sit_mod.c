// SPDX-License-Identifier: GPL-2.0
/*
 * sit.ko for ipv6_rs: loading it does what loading mainline's sit.ko does (the sit
 * link kind, sit0 in every namespace, IPv6 and IPv4 over IPv4 received through
 * tunnel4's handler chains), with the tunnels themselves in ipv6_rs.ko
 * (include/sit.c, rust/ipv6/sit.rs). The module name and aliases are mainline's, so
 * `modprobe sit`, `ip link add ... type sit` (rtnl-link-sit) and `ip tunnel`
 * (netdev-sit0) load it as they load mainline's. It is a module of its own only for
 * that: it imports tunnel4, which ipv6_rs does not need otherwise, and unloading it
 * removes every sit device.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/rtnetlink.h>
#include <net/xfrm.h>

#include "ipv6_rs_sit.h"

static struct xfrm_tunnel sit_handler __read_mostly = {
	.handler = ipv6_rs_sit_rcv6,
	.err_handler = ipv6_rs_sit_err,
	.priority = 1,
};

static struct xfrm_tunnel ipip_handler __read_mostly = {
	.handler = ipv6_rs_sit_rcv4,
	.err_handler = ipv6_rs_sit_err,
	.priority = 2,
};

static int __init sit_init(void)
{
	int err;

	pr_info("IPv6, IPv4 and MPLS over IPv4 tunneling driver\n");
	err = ipv6_rs_sit_start();
	if (err < 0)
		return err;
	err = xfrm4_tunnel_register(&sit_handler, AF_INET6);
	if (err < 0) {
		pr_info("%s: can't register ip6ip4\n", __func__);
		goto out_stop;
	}
	err = xfrm4_tunnel_register(&ipip_handler, AF_INET);
	if (err < 0) {
		pr_info("%s: can't register ip4ip4\n", __func__);
		goto out_sit;
	}
	return 0;

out_sit:
	xfrm4_tunnel_deregister(&sit_handler, AF_INET6);
out_stop:
	ipv6_rs_sit_stop();
	return err;
}

static void __exit sit_cleanup(void)
{
	xfrm4_tunnel_deregister(&sit_handler, AF_INET6);
	xfrm4_tunnel_deregister(&ipip_handler, AF_INET);
	ipv6_rs_sit_stop();
}

module_init(sit_init);
module_exit(sit_cleanup);
MODULE_LICENSE("GPL");
MODULE_ALIAS_RTNL_LINK("sit");
MODULE_ALIAS_NETDEV("sit0");
MODULE_DESCRIPTION("IPv6-in-IPv4 tunnel SIT driver (ipv6_rs)");
