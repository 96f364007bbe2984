// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line forwards to static-inline kernel APIs, for the Rust side of ipv6_rs.
 */
#include <net/netns/generic.h>

#include "ipv6_rs_helpers.h"

void *ipv6_rs_net_generic(const struct net *net, unsigned int id)
{
	return net_generic(net, id);
}
