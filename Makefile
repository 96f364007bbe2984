# SPDX-License-Identifier: GPL-2.0
#
# ipv6_rs: the Linux IPv6 stack as a Rust kernel module.
#
#   make            toolchain + test kernel (cached) + ipv6_rs.ko
#   make run        boot the demo VM with ipv6_rs loaded and show what it does
#   make check      every test: host (cargo) and guest (VM, both stacks)
#   make bench      both stacks measured side by side (Documentation/bench/)
#   make host-check only the protocol core's cargo test, clippy and rustfmt
#   make clean      remove build products from the tree (the cached kernel stays)
#
# Kernel builds are cached under ~/.cache/ipv6_rs (IPV6RS_CACHE overrides).

SHELL := /bin/bash
ROOT := $(CURDIR)
RUSTC := /usr/bin/rustc
RUSTDOC := /usr/bin/rustdoc
RUSTFMT := /usr/bin/rustfmt
CACHE := $(or $(IPV6RS_CACHE),$(HOME)/.cache/ipv6_rs)
BINDGEN := $(CACHE)/tools/bin/bindgen
KMAKE = $(MAKE) -C $(KDIR) M=$(ROOT) ARCH=x86_64 LLVM=1 \
	RUSTC=$(RUSTC) RUSTDOC=$(RUSTDOC) RUSTFMT=$(RUSTFMT) BINDGEN=$(BINDGEN)
# Host cargo: the core builds with any stable rustc; clippy and rustfmt come with it.
CARGO := cd rust/core && cargo

.PHONY: all toolchain kernel module run check bench host-check guest-check clean help
.DEFAULT_GOAL := all

all: module

help:
	@sed -n '3,13p' Makefile | sed 's/^# \{0,1\}//'

toolchain:
	@scripts/setup-toolchain

kernel: toolchain
	@scripts/build-kernel

# KDIR is resolved after the kernel target ran (its key hashes the toolchain versions).
module: kernel
	@$(MAKE) --no-print-directory KDIR="$$(scripts/build-kernel --print-dir)" ipv6_rs.ko

ipv6_rs.ko: FORCE
	@$(KMAKE) modules

FORCE:

host-check:
	$(CARGO) test --quiet
	$(CARGO) clippy --quiet --all-targets -- -D warnings
	$(CARGO) fmt --check
	$(RUSTFMT) --check --edition 2021 rust/af_inet6.rs
	@scripts/check-core-mounts
	@scripts/check-layers

run: module
	@scripts/vm-run --stack rust -- "$(ROOT)/tests/demo.sh"

check: toolchain
	@scripts/run-tests

bench: toolchain
	@scripts/bench

guest-check: module
	@scripts/run-tests --guest-only

clean:
	@if [ -d "$$(scripts/build-kernel --print-dir 2>/dev/null)" ]; then \
		$(MAKE) --no-print-directory KDIR="$$(scripts/build-kernel --print-dir)" kclean; fi
	rm -rf rust/core/target

kclean:
	@$(KMAKE) clean
