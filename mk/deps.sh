#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install, with apt-get, the Debian 12 packages the build and the tests need.
# Only what is missing is installed; nothing happens when all are present.
set -euo pipefail
. "$(dirname "$0")/env.sh"

pkgs=(
	# kernel build
	gcc make bc bison flex libelf-dev libssl-dev dwarves cpio kmod perl
	python3 git rsync xz-utils ccache sparse util-linux
	# the base tree, its config, and the stock kernel's Module.symvers
	"$DFLIP_SRC_PKG" linux-config-6.12 "$DFLIP_HDR_PKG"
	# QEMU tiers and userspace tools
	qemu-system-x86 busybox-static libdrm-dev pkg-config
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ "$(id -u)" = 0 ] || dflip_die "missing packages: ${missing[*]} (run as root, or apt-get install them)"
dflip_log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
