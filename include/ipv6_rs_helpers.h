/* SPDX-License-Identifier: GPL-2.0 */
/*
 * C helpers for kernel APIs that are static inline (or macros) and so have no symbol
 * that Rust can call. Each is a one-line forward; keep logic on the Rust side.
 */
#ifndef IPV6_RS_HELPERS_H
#define IPV6_RS_HELPERS_H

#include <linux/types.h>

struct net;

void *ipv6_rs_net_generic(const struct net *net, unsigned int id);

#endif
