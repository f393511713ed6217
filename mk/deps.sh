#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install, with apt-get, the Debian packages the build and the tests need.
# Only what is missing is installed; nothing happens when all are present.
# The base tree is the linux-source-6.12 version of the target kernel's
# headers package (mk/krel.sh), installed by version when another one is
# there: the headers carry the stock .config and Module.symvers.
set -euo pipefail
. "$(dirname "$0")/env.sh"

pkgs=(
	# kernel build
	gcc make bc bison flex libelf-dev libssl-dev dwarves cpio kmod perl
	python3 git rsync xz-utils ccache sparse util-linux
	# the stock kernel's .config and Module.symvers
	"$DFLIP_HDR_PKG"
	# QEMU tiers and userspace tools
	qemu-system-x86 busybox-static libdrm-dev pkg-config
	# the tool's man page (rst2man); the DKMS package's chroots
	python3-docutils debootstrap
)

installed() {	# PACKAGE
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}
version() {	# PACKAGE
	dpkg-query -W -f='${Version}' "$1" 2>/dev/null
}
apt_install() {	# PACKAGE[=VERSION]...
	[ "$(id -u)" = 0 ] || dflip_die "missing packages: $* (run as root, or apt-get install them)"
	dflip_log "installing: $*"
	export DEBIAN_FRONTEND=noninteractive
	[ -n "${updated:-}" ] || { apt-get update -qq; updated=1; }
	apt-get install -y -qq --no-install-recommends --allow-downgrades "$@" >/dev/null
}

missing=()
for p in "${pkgs[@]}"; do
	installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# linux-source-6.12 of the headers' version (one version is installed at a
# time; Debian keeps older point releases installable for a while)
want=$(version "$DFLIP_HDR_PKG")
[ "$(version "$DFLIP_SRC_PKG")" = "$want" ] && exit 0
if ! apt-cache madison "$DFLIP_SRC_PKG" | awk '{ print $3 }' | grep -qxF "$want"; then
	dflip_die "$DFLIP_SRC_PKG $want (the version of $DFLIP_HDR_PKG) is not offered by apt (it has: $(apt-cache madison "$DFLIP_SRC_PKG" | awk '{ print $3 }' | paste -sd ' ')); upgrade to the newest kernel and its headers, or build for another one with make KREL=<release>"
fi
apt_install "$DFLIP_SRC_PKG=$want"
