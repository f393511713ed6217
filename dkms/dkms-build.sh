#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# DKMS build step of gvt-dflip-dkms: build drm.ko, i915.ko and kvmgt.ko
# with direct flip for one installed Debian 6.12 kernel, from that kernel's
# own source. Checks that the installed linux-source-6.12 is the version of
# the kernel's headers package, unpacks /usr/src/linux-source-6.12.tar.xz
# into work/ of the DKMS build directory, lays the overlay and patches
# (mk/lay.py) and builds with the headers' .config and Module.symvers
# (mk/modules.sh, the same recipe as the repository's make). ccache is
# used when installed ($CCACHE_DIR, default /var/cache/gvt-dflip-dkms).
#
#   dkms-build.sh KERNELVER           build (dkms.conf's MAKE, run by dkms)
#   dkms-build.sh --check KERNELVER   only the version check: one line and
#                                     exit 1 when source and headers differ
#   dkms-build.sh --keep-symvers DIR  dkms.conf's POST_BUILD: keep the
#                                     build's Module.symvers in DIR, the
#                                     built module's directory in the DKMS
#                                     tree, where dkms 3.1 and later put it
#                                     and dkms 3.0 (Debian 12) does not
set -euo pipefail

if [ "${1:-}" = --keep-symvers ]; then
	dir=${2:?usage: dkms-build.sh --keep-symvers DIR}
	[ -d "$dir" ] || { echo "gvt-dflip: $dir is not a directory" >&2; exit 1; }
	[ -e "$dir/Module.symvers" ] || cp Module.symvers "$dir/Module.symvers"
	exit 0
fi
check_only=
[ "${1:-}" = --check ] && { check_only=1; shift; }
kver=${1:?usage: dkms-build.sh [--check] KERNELVER}
here=$(cd "$(dirname "$0")" && pwd)

die() {
	echo "gvt-dflip: $*" >&2
	exit 1
}

hdr=/lib/modules/$kver/build
[ -e "$hdr/Module.symvers" ] ||
	die "no headers for $kver ($hdr/Module.symvers is missing): apt-get install linux-headers-$kver"
hdr=$(readlink -f "$hdr")
# the package that owns the headers directory, and its version
hpkg=$(dpkg-query -S "$hdr" 2>/dev/null | sed -n 's/^\([^:,]*\):.*/\1/p' | head -n1)
[ -n "$hpkg" ] || hpkg=linux-headers-$kver
hver=$(dpkg-query -W -f='${Version}' "$hpkg" 2>/dev/null || true)
# unpacked is enough (its files are there): during an upgrade DKMS may run
# from the headers' postinst before linux-source-6.12 is configured
sver=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' linux-source-6.12 2>/dev/null |
	sed -n 's/^.[iUFWt]. *//p')
[ -n "$hver" ] || die "cannot tell the version of $hpkg (dpkg-query -W $hpkg)"
[ -n "$sver" ] || die "linux-source-6.12 is not installed: apt-get install linux-source-6.12=$hver"
[ "$sver" = "$hver" ] ||
	die "linux-source-6.12 is $sver but $hpkg is $hver; the modules must be built from their kernel's source: apt-get install linux-source-6.12=$hver"
[ -n "$check_only" ] && exit 0
[ -f /usr/src/linux-source-6.12.tar.xz ] ||
	die "/usr/src/linux-source-6.12.tar.xz is missing: apt-get install --reinstall linux-source-6.12"

export DFLIP_WORK=$here/work DFLIP_KREL=$kver DFLIP_HDR_DIR=$hdr
export JOBS=${JOBS:-$(nproc)}
# ccache, shared by every build; paths relative to the build directory so
# that builds in other directories (other versions, kernels) still hit
if command -v ccache > /dev/null; then
	export CCACHE_DIR=${CCACHE_DIR:-/var/cache/gvt-dflip-dkms}
	export CCACHE_BASEDIR=$here CCACHE_NOHASHDIR=1
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-4G}
	mkdir -p "$CCACHE_DIR"
fi

tree=$DFLIP_WORK/tree
echo "gvt-dflip: unpacking linux-source-6.12 $sver"
rm -rf "$DFLIP_WORK"
mkdir -p "$tree"
tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$tree" --strip-components=1
echo "$sver" > "$tree/.dflip-base"
# a fresh tree is its own pristine base
python3 "$here/mk/lay.py" --repo "$here" --pristine "$tree" --tree "$tree"
echo "gvt-dflip: building for $kver with $hdr/.config"
"$here/mk/modules.sh"
# the build directory's Module.symvers, kept beside the modules
# (/var/lib/dkms/gvt-dflip/VERSION/KERNELVER/ARCH/module/) by dkms 3.1+ or
# --keep-symvers: the exports of drm.ko and i915.ko, for the modules that
# import them and for checks
drm=$DFLIP_WORK/modsrc/drivers/gpu/drm
cat "$drm/Module.symvers" "$drm/i915/Module.symvers" > "$here/Module.symvers"
