#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make DEBIAN=13: drm.ko, i915.ko and kvmgt.ko for another Debian release's
# stock 6.12 kernel, built by the DKMS package inside that release's
# chroot (mk/chroot.sh): the .deb (mk/deb.sh) is installed there with
# apt-get unless this version is already installed for the chroot's
# kernel, so DKMS builds them with the chroot's compiler, headers and
# linux-source-6.12 (ccache in $DFLIP_WORK/debNN-ccache). Then runs the
# modules tier's checks on them (mk/check-ko.sh) and prints where they
# are. The package stays installed in the chroot (the packaging tier
# purges it first).
#
#   mk/chroot-modules.sh DEBIAN   (DFLIP_CHROOT_KREL=<release>: that kernel,
#                                  like 6.12.117+deb13-amd64, an example)
set -euo pipefail
. "$(dirname "$0")/env.sh"

deb=${1:-}
case "$deb" in
12|13) ;;
*) dflip_die "DEBIAN=$deb: modules are built for Debian 12 or 13 (make DEBIAN=13)" ;;
esac
root=$DFLIP_WORK/deb$deb
kopt=()
[ -n "${DFLIP_CHROOT_KREL:-}" ] && kopt=(--kernel "$DFLIP_CHROOT_KREL")

debfile=$("$DFLIP_REPO/mk/deb.sh" | tail -n1)
ver=$(dpkg-deb -f "$debfile" Version)
"$DFLIP_REPO/mk/chroot.sh" "$deb" "${kopt[@]}"
krel=$(cat "$root/.dflip-kernel")

mdir=$root/lib/modules/$krel/updates/dkms
# dkms may say installed and yet have left the stock modules in place
if ! "$DFLIP_REPO/mk/chroot.sh" "$deb" dkms status -m gvt-dflip -v "$ver" -k "$krel" 2>/dev/null |
		grep -q ': installed' || ! ls "$mdir"/i915.ko* > /dev/null 2>&1; then
	dflip_log "deb$deb: installing gvt-dflip-dkms $ver in the chroot; DKMS builds for $krel (log: $DFLIP_WORK/deb$deb-dkms.log)"
	mkdir -p "$DFLIP_WORK/deb$deb-pkg"
	rm -f "$DFLIP_WORK/deb$deb-pkg"/*.deb
	cp "$debfile" "$DFLIP_WORK/deb$deb-pkg/"
	"$DFLIP_REPO/mk/chroot.sh" "$deb" apt-get install -y -q --reinstall --no-install-recommends \
		"/dflip/work/deb$deb-pkg/$(basename "$debfile")" \
		> "$DFLIP_WORK/deb$deb-dkms.log" 2>&1 || {
		tail -n 20 "$DFLIP_WORK/deb$deb-dkms.log" >&2
		dflip_die "deb$deb: installing the package (the DKMS build) failed; see $DFLIP_WORK/deb$deb-dkms.log"
	}
fi

kos=()
for m in drm i915 kvmgt; do
	k=$(ls "$mdir/$m.ko"* 2>/dev/null | head -n1) ||
		dflip_die "deb$deb: $m.ko is not in $mdir although DKMS says installed"
	kos+=("$k")
done
r=$DFLIP_OUT/deb$deb-modules.results
mkdir -p "$DFLIP_OUT"
: > "$r"
"$DFLIP_REPO/mk/check-ko.sh" "$r" "modules-deb$deb" "$krel" \
	"$root/usr/src/linux-headers-$krel/Module.symvers" \
	"$root/var/lib/dkms/gvt-dflip/$ver/$krel/x86_64/module/Module.symvers" "${kos[@]}"
if grep '^FAIL' "$r"; then
	dflip_die "deb$deb: the module checks failed (see $r)"
fi
dflip_log "deb$deb: $(grep -c '^PASS' "$r") module checks passed"
for k in "${kos[@]}"; do
	echo "modules:  $k"
done
echo "          (for $krel, Debian $deb's stock kernel; gvt-dflip-dkms $ver)"
