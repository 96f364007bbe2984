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
#include <linux/module.h>
#include <linux/netdevice.h>
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
