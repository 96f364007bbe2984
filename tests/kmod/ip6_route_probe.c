// SPDX-License-Identifier: GPL-2.0
/*
 * A test module that uses the IPv6 stack as the kernel's other modules do: through the
 * routes ipv6.ko (or ipv6_rs.ko, under the same names) exports. Built against
 * ipv6_rs's exports, it loads on either stack (insmod resolves the symbols by name),
 * so tests run the same queries on both and compare the answers.
 *
 * /sys/kernel/debug/ip6_route_probe/cmd takes one command per write, in the writer's
 * network namespace; reading gives the answer of the last one:
 *
 *   output DADDR [from SADDR] [oif DEV] [mark N]  ip6_route_output_flags()
 *   lookup DADDR [from SADDR] [oif DEV] [strict]  rt6_lookup()
 *   check                 dst_check() of the route the last lookup kept: valid/stale
 *   send LEN [PORT]       a UDP datagram of LEN bytes to the kept route's destination
 *                         (port PORT, default 9) through it, by ip6_local_out()
 *   pmtu DADDR SADDR MTU  ip6_update_pmtu() for a packet from SADDR to DADDR
 *   bench DADDR N         N ip6_route_output_flags() and dst_release(): ns per lookup
 *   spread R N            the same, to N destinations spread at random over the R
 *                         prefixes fd00:H:L::/48 (i = H << 16 | L, i < R) that
 *                         tests/bench/bench.sh adds
 *
 * The answer to a lookup: "error E" (the dst's), "dev NAME", "gateway ADDR" (for a
 * route through a gateway), "mtu M" (dst_mtu()), "hoplimit H" (ip6_dst_hoplimit()),
 * "advmss A".
 */
#include <linux/debugfs.h>
#include <linux/inet.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/uaccess.h>
#include <linux/udp.h>
#include <net/ip6_checksum.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/addrconf.h>

static DEFINE_MUTEX(probe_lock);
static struct dentry *probe_dir;
static char answer[256];
/* The route the last lookup kept, with its cookie, namespace and flow. */
static struct dst_entry *kept;
static u32 kept_cookie;
static struct net *kept_net;
static struct flowi6 kept_fl6;

static void keep(struct net *net, struct dst_entry *dst, const struct flowi6 *fl6)
{
	if (kept) {
		dst_release(kept);
		put_net(kept_net);
	}
	kept = dst;
	kept_net = dst ? get_net(net) : NULL;
	kept_cookie = dst ? rt6_get_cookie(dst_rt6_info(dst)) : 0;
	if (fl6)
		kept_fl6 = *fl6;
}

static void describe(struct dst_entry *dst)
{
	const struct rt6_info *rt = dst_rt6_info(dst);
	int n;

	n = scnprintf(answer, sizeof(answer), "error %d dev %s", dst->error,
		      dst->dev ? dst->dev->name : "-");
	if (!dst->error) {
		if (rt->rt6i_flags & RTF_GATEWAY)
			n += scnprintf(answer + n, sizeof(answer) - n, " gateway %pI6c",
				       &rt->rt6i_gateway);
		n += scnprintf(answer + n, sizeof(answer) - n, " mtu %u hoplimit %d advmss %u",
			       dst_mtu(dst), ip6_dst_hoplimit(dst), dst_metric_advmss(dst));
	}
	scnprintf(answer + n, sizeof(answer) - n, "\n");
}

static int parse_addr(const char *s, struct in6_addr *a)
{
	return in6_pton(s, -1, a->s6_addr, -1, NULL) ? 0 : -EINVAL;
}

/* "DADDR [from SADDR] [oif DEV] [mark N] [strict]" into fl6. */
static int parse_flow(struct net *net, char **args, int n, struct flowi6 *fl6, bool *strict)
{
	int i;

	memset(fl6, 0, sizeof(*fl6));
	if (n < 1 || parse_addr(args[0], &fl6->daddr))
		return -EINVAL;
	for (i = 1; i < n; i++) {
		if (!strcmp(args[i], "strict")) {
			*strict = true;
		} else if (i + 1 >= n) {
			return -EINVAL;
		} else if (!strcmp(args[i], "from")) {
			if (parse_addr(args[++i], &fl6->saddr))
				return -EINVAL;
		} else if (!strcmp(args[i], "oif")) {
			struct net_device *dev = dev_get_by_name(net, args[++i]);

			if (!dev)
				return -ENODEV;
			fl6->flowi6_oif = dev->ifindex;
			dev_put(dev);
		} else if (!strcmp(args[i], "mark")) {
			if (kstrtou32(args[++i], 0, &fl6->flowi6_mark))
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

/* A UDP datagram of len bytes through the kept route, as a tunnel sends its packets. */
static int send_udp(unsigned int len, u16 port)
{
	struct net_device *dev = kept->dev;
	struct in6_addr saddr;
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	struct udphdr *uh;
	int hlen = LL_RESERVED_SPACE(dev) + sizeof(*ip6h);

	if (kept->error)
		return kept->error;
	saddr = kept_fl6.saddr;
	if (ipv6_addr_any(&saddr) &&
	    ipv6_dev_get_saddr(kept_net, dev, &kept_fl6.daddr, 0, &saddr))
		return -EADDRNOTAVAIL;
	skb = alloc_skb(hlen + sizeof(*uh) + len, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, hlen);
	uh = skb_put(skb, sizeof(*uh));
	memset(skb_put(skb, len), 'x', len);
	uh->source = htons(port);
	uh->dest = htons(port);
	uh->len = htons(sizeof(*uh) + len);
	uh->check = 0;
	uh->check = csum_ipv6_magic(&saddr, &kept_fl6.daddr, sizeof(*uh) + len, IPPROTO_UDP,
				    csum_partial(uh, sizeof(*uh) + len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	skb_reset_transport_header(skb);
	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = ip6_dst_hoplimit(kept);
	ip6h->saddr = saddr;
	ip6h->daddr = kept_fl6.daddr;
	skb->protocol = htons(ETH_P_IPV6);
	skb_dst_set(skb, dst_clone(kept));
	return ip6_local_out(kept_net, NULL, skb);
}

/* ip6_update_pmtu() for a quoted packet from saddr to daddr, as an error handler calls it. */
static void update_pmtu(struct net *net, const struct in6_addr *daddr,
			const struct in6_addr *saddr, u32 mtu)
{
	struct sk_buff *skb = alloc_skb(sizeof(struct ipv6hdr), GFP_KERNEL);
	struct ipv6hdr *ip6h;

	if (!skb)
		return;
	ip6h = skb_put_zero(skb, sizeof(*ip6h));
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
	ip6_update_pmtu(skb, net, htonl(mtu), 0, 0, GLOBAL_ROOT_UID);
	kfree_skb(skb);
}

static int run(struct net *net, char **args, int n)
{
	struct flowi6 fl6;
	bool strict = false;
	int err;

	if (!strcmp(args[0], "output")) {
		struct dst_entry *dst;

		err = parse_flow(net, args + 1, n - 1, &fl6, &strict);
		if (err)
			return err;
		dst = ip6_route_output(net, NULL, &fl6);
		describe(dst);
		keep(net, dst, &fl6);
	} else if (!strcmp(args[0], "lookup")) {
		struct rt6_info *rt;

		err = parse_flow(net, args + 1, n - 1, &fl6, &strict);
		if (err)
			return err;
		rt = rt6_lookup(net, &fl6.daddr, ipv6_addr_any(&fl6.saddr) ? NULL : &fl6.saddr,
				fl6.flowi6_oif, NULL, strict);
		if (rt) {
			describe(&rt->dst);
			keep(net, &rt->dst, &fl6);
		} else {
			scnprintf(answer, sizeof(answer), "none\n");
		}
	} else if (!strcmp(args[0], "check")) {
		if (!kept)
			return -ENOENT;
		scnprintf(answer, sizeof(answer), "%s\n",
			  dst_check(kept, kept_cookie) ? "valid" : "stale");
	} else if (!strcmp(args[0], "send")) {
		unsigned int len, port = 9;

		if (!kept || n < 2 || kstrtouint(args[1], 0, &len) || len > 65000 ||
		    (n > 2 && (kstrtouint(args[2], 0, &port) || port > 65535)))
			return -EINVAL;
		err = send_udp(len, port);
		scnprintf(answer, sizeof(answer), "sent %d\n", err);
	} else if (!strcmp(args[0], "pmtu")) {
		struct in6_addr daddr, saddr;
		u32 mtu;

		if (n != 4 || parse_addr(args[1], &daddr) || parse_addr(args[2], &saddr) ||
		    kstrtou32(args[3], 0, &mtu))
			return -EINVAL;
		update_pmtu(net, &daddr, &saddr, mtu);
		scnprintf(answer, sizeof(answer), "ok\n");
	} else if (!strcmp(args[0], "bench")) {
		unsigned int i, count;
		u64 t0, t1;

		if (n != 3 || kstrtouint(args[2], 0, &count) || !count)
			return -EINVAL;
		err = parse_flow(net, args + 1, 1, &fl6, &strict);
		if (err)
			return err;
		t0 = ktime_get_ns();
		for (i = 0; i < count; i++) {
			struct flowi6 f = fl6;

			dst_release(ip6_route_output(net, NULL, &f));
			if (!(i & 1023))
				cond_resched();
		}
		t1 = ktime_get_ns();
		scnprintf(answer, sizeof(answer), "%llu ns per lookup\n", div_u64(t1 - t0, count));
	} else if (!strcmp(args[0], "spread")) {
		unsigned int i, routes, count;
		u64 t0, t1;

		if (n != 3 || kstrtouint(args[1], 0, &routes) || !routes ||
		    kstrtouint(args[2], 0, &count) || !count)
			return -EINVAL;
		memset(&fl6, 0, sizeof(fl6));
		fl6.daddr.s6_addr[0] = 0xfd;
		t0 = ktime_get_ns();
		for (i = 0; i < count; i++) {
			u32 r = get_random_u32_below(routes);
			struct flowi6 f = fl6;

			f.daddr.s6_addr16[1] = htons(r >> 16);
			f.daddr.s6_addr16[2] = htons(r & 0xffff);
			f.daddr.s6_addr[15] = 1;
			dst_release(ip6_route_output(net, NULL, &f));
			if (!(i & 1023))
				cond_resched();
		}
		t1 = ktime_get_ns();
		scnprintf(answer, sizeof(answer), "%llu ns per lookup\n", div_u64(t1 - t0, count));
	} else {
		return -EINVAL;
	}
	return 0;
}

static ssize_t cmd_write(struct file *file, const char __user *ubuf, size_t len, loff_t *ppos)
{
	char buf[256], *p = buf, *args[12], *tok;
	int n = 0, err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	while ((tok = strsep(&p, " \t\n")) && n < ARRAY_SIZE(args))
		if (*tok)
			args[n++] = tok;
	if (!n)
		return -EINVAL;
	mutex_lock(&probe_lock);
	err = run(current->nsproxy->net_ns, args, n);
	mutex_unlock(&probe_lock);
	return err ? err : len;
}

static ssize_t cmd_read(struct file *file, char __user *ubuf, size_t len, loff_t *ppos)
{
	ssize_t r;

	mutex_lock(&probe_lock);
	r = simple_read_from_buffer(ubuf, len, ppos, answer, strlen(answer));
	mutex_unlock(&probe_lock);
	return r;
}

static const struct file_operations cmd_fops = {
	.owner = THIS_MODULE,
	.write = cmd_write,
	.read = cmd_read,
	.llseek = default_llseek,
};

static int __init probe_init(void)
{
	probe_dir = debugfs_create_dir("ip6_route_probe", NULL);
	debugfs_create_file("cmd", 0600, probe_dir, NULL, &cmd_fops);
	return 0;
}

static void __exit probe_exit(void)
{
	debugfs_remove_recursive(probe_dir);
	keep(NULL, NULL, NULL);
}

module_init(probe_init);
module_exit(probe_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test probe of the IPv6 routes exported to other modules");
