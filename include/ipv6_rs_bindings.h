/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API ipv6_rs uses, as bindgen sees it. Kbuild runs bindgen over this header
 * with the module's own C flags, so the generated layouts match the kernel we load into.
 */
#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/ipv6.h>
#include <net/addrconf.h>
#include <net/neighbour.h>
#include <net/ndisc.h>
#include <net/ip6_route.h>
#include <net/ip6_fib.h>
#include <net/fib_rules.h>
#include <linux/if_addrlabel.h>
#include <net/xfrm.h>
#include <net/sock.h>
#include <net/inet_sock.h>
#include <net/inet_common.h>
#include <net/raw.h>
#include <net/rawv6.h>
#include <net/udp.h>
#include <linux/ipv6.h>
#include <linux/icmpv6.h>
#include <net/ping.h>
#include <net/protocol.h>

#include "ipv6_rs_helpers.h"
#include "ipv6_rs_anycast.h"
#include "ipv6_rs_tunnel.h"
#include "ipv6_rs_sit.h"
