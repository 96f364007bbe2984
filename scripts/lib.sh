# Shared settings for ipv6_rs scripts. Sourced, not executed.
# shellcheck shell=bash

IPV6RS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${IPV6RS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ipv6_rs}
TOOLS_DIR=$CACHE_DIR/tools
BINDGEN_VERSION=0.71.1
BINDGEN=$TOOLS_DIR/bin/bindgen
RUSTC=/usr/bin/rustc
RUSTDOC=/usr/bin/rustdoc
RUSTFMT=/usr/bin/rustfmt
KSRC_TARBALL=/usr/src/linux-source-6.12.tar.xz

# Kernel make variables: always the Debian rustc (rustup's has no rust-src), LLVM=1.
kmake_vars() {
	printf '%s\n' ARCH=x86_64 LLVM=1 "RUSTC=$RUSTC" "RUSTDOC=$RUSTDOC" \
		"RUSTFMT=$RUSTFMT" "BINDGEN=$BINDGEN"
}

log() { printf '[ipv6_rs] %s\n' "$*" >&2; }
die() { printf '[ipv6_rs] error: %s\n' "$*" >&2; exit 1; }
