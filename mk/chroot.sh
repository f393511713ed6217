#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A Debian chroot for the DKMS package: made once with debootstrap
# (minbase) in $DFLIP_WORK/debNN and reused, with dkms, the build tools,
# ccache and one stock 6.12 kernel (image, headers and the linux-source-6.12
# of the same version). Runs a command inside it with /proc, /dev (and
# /dev/pts, for apt), this repository (at /dflip/repo) and $DFLIP_WORK (at
# /dflip/work) bind-mounted; everything is unmounted when the script
# exits, however it exits. Commands get CCACHE_DIR=$DFLIP_WORK/debNN-ccache
# (as seen inside), so that DKMS builds there share one ccache that
# outlives the chroot. One user of a chroot at a time (flock on
# debNN.lock).
#
#   mk/chroot.sh DEBIAN [--kernel KREL] [COMMAND [ARG]...]
#
# DEBIAN is 12 (bookworm) or 13 (trixie). --kernel installs (or moves to)
# that kernel release, like 6.12.118+deb12-amd64 (an example); without it a
# new chroot gets the newest linux-headers-6.12.*+debNN-amd64 its apt
# offers and an existing one keeps its kernel. Without COMMAND only the
# chroot is prepared. The chroot's sources include the security archive,
# so that source and headers can be the newest point release.
set -euo pipefail
. "$(dirname "$0")/env.sh"

deb=${1:-}
shift || true
case "$deb" in
12) suite=bookworm ;;
13) suite=trixie ;;
*) dflip_die "mk/chroot.sh: the first argument must be 12 or 13 (the Debian release), not '$deb'" ;;
esac
krel=
if [ "${1:-}" = --kernel ]; then
	krel=${2:?--kernel needs a release}
	grep -Eq "^6\\.12\\.[0-9]+\\+deb${deb}-amd64\$" <<<"$krel" ||
		dflip_die "mk/chroot.sh: --kernel $krel is not a Debian $deb 6.12 amd64 release (like 6.12.N+deb${deb}-amd64)"
	shift 2
fi
[ "$(id -u)" = 0 ] || dflip_die "mk/chroot.sh must run as root (debootstrap, mount, chroot)"

root=$DFLIP_WORK/deb$deb
mirror=${DFLIP_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$DFLIP_WORK" "$DFLIP_WORK/deb$deb-ccache"
exec 7>"$root.lock"
flock 7

mounts=()
cleanup() {
	local i
	for (( i = ${#mounts[@]} - 1; i >= 0; i-- )); do
		umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mount_all() {	# ROOT
	local r=$1
	mkdir -p "$r/proc" "$r/dev" "$r/dflip/repo" "$r/dflip/work"
	mount -t proc proc "$r/proc" && mounts+=("$r/proc")
	mount --bind /dev "$r/dev" && mounts+=("$r/dev")
	if [ -d /dev/pts ] && mountpoint -q /dev/pts; then
		mount --bind /dev/pts "$r/dev/pts" && mounts+=("$r/dev/pts")
	fi
	mount --bind "$DFLIP_REPO" "$r/dflip/repo" && mounts+=("$r/dflip/repo")
	mount --bind "$DFLIP_WORK" "$r/dflip/work" && mounts+=("$r/dflip/work")
}

# COMMAND...: in the chroot, non-interactive, clean locale; DKMS builds in
# it share the ccache $DFLIP_WORK/debNN-ccache, which survives the chroot
inside() {
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		CCACHE_DIR="/dflip/work/deb$deb-ccache" "$@"
}

apt_in() {	# apt-get ARGS... inside the chroot
	inside apt-get -y -q -o Dpkg::Use-Pty=0 --no-install-recommends "$@"
}

# the packages the DKMS package depends on, installed with the chroot so
# that installing and purging it changes nothing else; openssl lets DKMS
# make its signing key (the MOK) and sign the modules, as on a host
base_pkgs=(dkms kmod gcc make bc bison flex libelf-dev libssl-dev dwarves
	cpio perl python3 git rsync xz-utils ccache openssl)

if [ ! -f "$root/.dflip-chroot" ]; then
	command -v debootstrap > /dev/null ||
		dflip_die "debootstrap is missing (apt-get install debootstrap)"
	dflip_log "chroot: debootstrap $suite into $root"
	rm -rf "$root.tmp"
	debootstrap --variant=minbase "$suite" "$root.tmp" "$mirror" \
		> "$DFLIP_WORK/deb$deb-debootstrap.log" 2>&1 ||
		dflip_die "debootstrap $suite failed (see $DFLIP_WORK/deb$deb-debootstrap.log)"
	{
		echo "deb $mirror $suite main"
		echo "deb $mirror $suite-updates main"
		echo "deb http://deb.debian.org/debian-security $suite-security main"
	} > "$root.tmp/etc/apt/sources.list"
	rm -rf "$root"
	mv "$root.tmp" "$root"
	mount_all "$root"
	apt_in update > /dev/null
	apt_in install "${base_pkgs[@]}" > "$DFLIP_WORK/deb$deb-apt.log" 2>&1 ||
		dflip_die "chroot: installing the build packages failed (see $DFLIP_WORK/deb$deb-apt.log)"
	echo "${base_pkgs[*]}" > "$root/.dflip-chroot"
else
	mount_all "$root"
	# a run killed inside dpkg (a stopped session, a CI timeout) leaves
	# the chroot "interrupted", and every apt-get would refuse to run
	inside dpkg --configure -a >> "$DFLIP_WORK/deb$deb-apt.log" 2>&1 ||
		dflip_die "chroot: dpkg --configure -a failed in $root (see $DFLIP_WORK/deb$deb-apt.log)"
	if [ "$(cat "$root/.dflip-chroot")" != "${base_pkgs[*]}" ]; then
		dflip_log "chroot: installing the build packages that changed"
		apt_in update > /dev/null
		apt_in install "${base_pkgs[@]}" >> "$DFLIP_WORK/deb$deb-apt.log" 2>&1 ||
			dflip_die "chroot: installing the build packages failed (see $DFLIP_WORK/deb$deb-apt.log)"
		echo "${base_pkgs[*]}" > "$root/.dflip-chroot"
	fi
fi

have=$(cat "$root/.dflip-kernel" 2>/dev/null || true)
if [ -z "$krel" ] && [ -z "$have" ]; then
	apt_in update > /dev/null
	krel=$(DFLIP_DEBIAN=$deb DFLIP_KREL= "$DFLIP_REPO/mk/krel.sh" \
		--apt-cache "chroot $root apt-cache") ||
		dflip_die "chroot: no Debian $deb kernel found in the chroot's apt lists"
fi
if [ -n "$krel" ] && [ "$krel" != "$have" ]; then
	[ -n "$have" ] || have=none
	dflip_log "chroot: debian $deb kernel $have -> $krel"
	apt_in update > /dev/null
	ver=$(inside apt-cache show "linux-headers-$krel" 2>/dev/null |
		sed -n 's/^Version: //p' | sort -V | tail -n1)
	[ -n "$ver" ] || dflip_die "chroot: apt offers no linux-headers-$krel"
	inside apt-cache madison linux-source-6.12 | awk '{ print $3 }' | grep -qxF "$ver" ||
		dflip_die "chroot: apt offers no linux-source-6.12 $ver (the version of linux-headers-$krel)"
	# the source first, so that DKMS's kernel hooks find the matching one
	apt_in install --allow-downgrades "linux-source-6.12=$ver" \
		>> "$DFLIP_WORK/deb$deb-apt.log" 2>&1 ||
		dflip_die "chroot: installing linux-source-6.12=$ver failed (see $DFLIP_WORK/deb$deb-apt.log)"
	# the signed image when the archive has it (not always for
	# security updates), else the unsigned one: the same kernel
	img=linux-image-$krel
	inside apt-cache show "$img" 2>/dev/null | grep -q '^Version:' ||
		img=linux-image-$krel-unsigned
	apt_in install "$img" "linux-headers-$krel" \
		>> "$DFLIP_WORK/deb$deb-apt.log" 2>&1 ||
		dflip_die "chroot: installing the $krel kernel failed (see $DFLIP_WORK/deb$deb-apt.log)"
	echo "$krel" > "$root/.dflip-kernel"
fi

[ $# -eq 0 ] && exit 0
inside "$@"
