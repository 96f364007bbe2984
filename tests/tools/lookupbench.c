// SPDX-License-Identifier: GPL-2.0
/*
 * Route lookup cost, as a program sees it: UDP sendto() on an unconnected AF_INET6
 * socket looks the destination up each time (no socket dst cache), so its cost with
 * N routes installed, minus nothing, is what `make bench` reports per lookup.
 *
 *   lookupbench N SECONDS
 *
 * sends to fd00:H:L::1 (i = H << 16 | L) for i drawn at random below N, for SECONDS,
 * and prints "<ns per sendto> <sendto calls> <errno of the first failure>". The bench
 * installs fd00:H:L::/48 as unreachable routes, so every call ends right after the
 * route lookup (ENETUNREACH) and measures the lookup, not a device.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6, .sin6_port = htons(9) };
	uint64_t x = 0x9e3779b97f4a7c15u, start, end, calls = 0;
	uint32_t n;
	double secs;
	int fd, first_err = 0;
	char payload[8] = { 0 };

	if (argc != 3) {
		fprintf(stderr, "usage: lookupbench N SECONDS\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 0);
	secs = strtod(argv[2], NULL);
	if (n == 0 || n > 1u << 24 || secs <= 0) {
		fprintf(stderr, "lookupbench: N must be 1..2^24, SECONDS positive\n");
		return 2;
	}
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	inet_pton(AF_INET6, "fd00::1", &dst.sin6_addr);
	start = now_ns();
	end = start + (uint64_t)(secs * 1e9);
	for (;;) {
		uint32_t i;
		int k;

		/* Check the clock every 256 calls: it costs a call of its own under TCG. */
		for (k = 0; k < 256; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			i = (uint32_t)(x % n);
			dst.sin6_addr.s6_addr[2] = i >> 24;
			dst.sin6_addr.s6_addr[3] = i >> 16;
			dst.sin6_addr.s6_addr[4] = i >> 8;
			dst.sin6_addr.s6_addr[5] = i;
			if (sendto(fd, payload, sizeof(payload), 0, (struct sockaddr *)&dst,
				   sizeof(dst)) < 0 && !first_err)
				first_err = errno;
		}
		calls += 256;
		if (now_ns() >= end)
			break;
	}
	printf("%.0f %llu %d\n", (double)(now_ns() - start) / calls, (unsigned long long)calls,
	       first_err);
	return 0;
}
