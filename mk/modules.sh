#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build i915.ko and kvmgt.ko with direct flip for Debian's stock kernel:
# Debian's amd64 config (linux-config-6.12), KERNELRELEASE of the stock
# kernel, and modpost against the Module.symvers of its headers package, so
# that no vmlinux is built and the modules load on the stock kernel.
#
#   mk/modules.sh [extra make arguments]
set -euo pipefail
. "$(dirname "$0")/env.sh"

hdr=/usr/src/linux-headers-$DFLIP_KREL
cfg=/usr/src/linux-config-6.12/config.amd64_none_amd64.xz
O=$DFLIP_MOD_BUILD
[ -f "$hdr/Module.symvers" ] || dflip_die "$hdr/Module.symvers is missing (install $DFLIP_HDR_PKG)"
[ -f "$cfg" ] || dflip_die "$cfg is missing (install linux-config-6.12)"

kmake() {
	make -C "$DFLIP_TREE" O="$O" ARCH=x86 KERNELRELEASE="$DFLIP_KREL" \
		CC="ccache gcc" -j"$JOBS" -s "$@"
}

mkdir -p "$O"
# The stock config plus what Debian's build adds to it (the build salt).
# Module signing stays off: sign with your own key for Secure Boot.
xzcat "$cfg" > "$O/.config.dflip.new"
cat >> "$O/.config.dflip.new" <<CFG
CONFIG_BUILD_SALT="$DFLIP_KREL"
CONFIG_DRM_I915_GVT_DFLIP=y
CFG
if ! cmp -s "$O/.config.dflip.new" "$O/.config.dflip"; then
	dflip_log "modules: configuring $O"
	mv "$O/.config.dflip.new" "$O/.config.dflip"
	cp "$O/.config.dflip" "$O/.config"
	kmake olddefconfig
	grep -q '^CONFIG_DRM_I915_GVT_DFLIP=y' "$O/.config" ||
		dflip_die "CONFIG_DRM_I915_GVT_DFLIP is not enabled in $O/.config"
	dflip_log "modules: modules_prepare"
	kmake modules_prepare
else
	rm -f "$O/.config.dflip.new"
fi
cmp -s "$hdr/Module.symvers" "$O/Module.symvers" || cp "$hdr/Module.symvers" "$O/Module.symvers"

# Linux 6.12 writes an M= build's objects into the module's source
# directory, so build from a copy of drivers/gpu/drm/i915 (plus the one
# header it includes by a relative path); rsync -c leaves unchanged files,
# and their objects, alone.
msrc=$DFLIP_WORK/modsrc
mkdir -p "$msrc/drivers/gpu/drm" "$msrc/drivers/platform/x86"
rsync -rlpc "$DFLIP_TREE/drivers/gpu/drm/i915" "$msrc/drivers/gpu/drm/"
rsync -rlpc "$DFLIP_TREE/drivers/platform/x86/intel_ips.h" "$msrc/drivers/platform/x86/"

dflip_log "modules: building drivers/gpu/drm/i915 for $DFLIP_KREL"
kmake M="$msrc/drivers/gpu/drm/i915" modules "$@"
