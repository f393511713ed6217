#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Prepare the base: check that the source and headers packages match, unpack
# the pristine linux-source tree (once per package version) and create the
# build tree from it.
set -euo pipefail
. "$(dirname "$0")/env.sh"

"$DFLIP_REPO/mk/deps.sh"

src_ver=$(dflip_src_version)
hdr_ver=$(dpkg-query -W -f='${Version}' "$DFLIP_HDR_PKG" 2>/dev/null || true)
[ -n "$src_ver" ] || dflip_die "$DFLIP_SRC_PKG is not installed"
if [ "$src_ver" != "$hdr_ver" ]; then
	dflip_die "version mismatch: $DFLIP_SRC_PKG is $src_ver but $DFLIP_HDR_PKG is ${hdr_ver:-not installed}; the modules must be built from the source of their kernel (apt-get install $DFLIP_SRC_PKG=$hdr_ver)"
fi

pristine=$(dflip_pristine)
if [ ! -f "$pristine/.dflip-base" ]; then
	dflip_log "unpacking $DFLIP_SRC_PKG $src_ver into $pristine"
	rm -rf "$pristine.tmp"
	mkdir -p "$pristine.tmp"
	tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$pristine.tmp" --strip-components=1
	echo "$src_ver" > "$pristine.tmp/.dflip-base"
	rm -rf "$pristine"
	mv "$pristine.tmp" "$pristine"
fi

if [ "$(cat "$DFLIP_TREE/.dflip-base" 2>/dev/null)" != "$src_ver" ]; then
	dflip_log "creating the build tree $DFLIP_TREE from $src_ver"
	rm -rf "$DFLIP_TREE" "$DFLIP_KUNIT_BUILD" "$DFLIP_MOD_BUILD" "$DFLIP_WORK/modsrc"
	cp -a "$pristine" "$DFLIP_TREE.tmp"
	mv "$DFLIP_TREE.tmp" "$DFLIP_TREE"
fi
