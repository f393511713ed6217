#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# packaging tier: the DKMS package for real, in the Debian 13 chroot of
# mk/chroot.sh (made once in $DFLIP_WORK/deb13, then reused). Builds the
# .deb (mk/deb.sh), installs it with apt-get, which makes DKMS build the
# modules for the chroot's stock kernel (one DKMS build, through ccache
# in $DFLIP_WORK/deb13-ccache); checks dkms status, the modules in
# updates/dkms, modpost in DKMS's make.log, the module checks of the
# modules tier on them (mk/check-ko.sh: vermagic, CRCs against the
# chroot's headers, drm.ko a drop-in) and that modprobe takes them;
# purges the package and checks that the chroot's file list is what it
# was before (only DKMS's own signing key may stay) and the stock modules
# in kernel/ never changed. The upgrade test is `make check-packaging`
# (mk/check-packaging-upgrade.sh). First, make install and make uninstall
# with a DESTDIR install and remove exactly the tool and its man page.
#
#   mk/check-packaging.sh RESULTS
set -uo pipefail
. "$(dirname "$0")/env.sh"
res=$1
mkdir -p "$(dirname "$res")"
: > "$res"
pass() { echo "PASS packaging.$1" >> "$res"; }
fail() { echo "FAIL packaging.$1: $2" >> "$res"; }
skip() { echo "SKIP packaging.$1: $2" >> "$res"; }
step() { dflip_log "packaging: $*"; }

deb=13
root=$DFLIP_WORK/deb$deb
log=$DFLIP_WORK/packaging.log
: > "$log"
chr() { "$DFLIP_REPO/mk/chroot.sh" "$deb" "$@" >> "$log" 2>&1; }

# make install / make uninstall with DESTDIR: exactly the tool and its man
# page, and nothing after uninstall
step "make install and make uninstall into a DESTDIR"
d=$(mktemp -d /tmp/gvt-dflip-install.XXXXXX)
if make -s -C "$DFLIP_REPO" install DESTDIR="$d" >> "$log" 2>&1; then
	got=$(cd "$d" && find . ! -type d | sort | paste -sd ' ')
	exp="./usr/local/bin/gvt-dflip ./usr/local/share/man/man8/gvt-dflip.8"
	[ "$got" = "$exp" ] && pass make-install ||
		fail make-install "installed '$got', expected '$exp'"
	make -s -C "$DFLIP_REPO" uninstall DESTDIR="$d" >> "$log" 2>&1
	got=$(cd "$d" && find . ! -type d | paste -sd ' ')
	[ -z "$got" ] && pass make-uninstall || fail make-uninstall "left: $got"
else
	fail make-install "make install DESTDIR=$d failed: $(tail -n1 "$log")"
fi
rm -rf "$d"

step "building the .deb"
if debfile=$("$DFLIP_REPO/mk/deb.sh" 2>> "$log" | tail -n1) && [ -f "$debfile" ]; then
	pass deb
else
	fail deb "mk/deb.sh failed: $(tail -n1 "$log")"
	exit 0
fi
ver=$(dpkg-deb -f "$debfile" Version)
want="usr/src/gvt-dflip-$ver/dkms.conf usr/src/gvt-dflip-$ver/dkms-build.sh
usr/src/gvt-dflip-$ver/mk/modules.sh usr/src/gvt-dflip-$ver/mk/lay.py
usr/src/gvt-dflip-$ver/drivers/gpu/drm/i915/Kconfig.dflip usr/bin/gvt-dflip usr/share/man/man8/gvt-dflip.8.gz"
have=$(dpkg-deb -c "$debfile" | awk '{ print $6 }' | sed 's|^\./||')
miss=$(for f in $want; do grep -qxF "$f" <<<"$have" || echo "$f"; done)
[ -z "$miss" ] && pass deb.contents || fail deb.contents "missing: $(echo $miss)"

step "preparing the Debian $deb chroot (log: $log)"
if ! chr; then
	fail chroot "mk/chroot.sh $deb failed: $(grep -m1 error: "$log")"
	exit 0
fi
krel=$(cat "$root/.dflip-kernel")
pass chroot
step "chroot kernel $krel, package $ver"

# a run that stopped half-way may have left the package installed
if chroot "$root" dpkg-query -W -f='${Status}' gvt-dflip-dkms 2>/dev/null | grep -q installed; then
	chr apt-get purge -y -q gvt-dflip-dkms
fi

# every file of the chroot, but for what apt, dpkg's logs and the mount
# points change anyway, and DKMS's own module signing key (made at the
# first signed build, kept for every DKMS module: it is the MOK a Secure
# Boot machine enrolled)
files() {
	(cd "$root" && find . -xdev \( -path ./proc -o -path ./dev -o -path ./dflip \
		-o -path ./tmp -o -path ./var/tmp -o -path ./var/log \
		-o -path ./var/cache/apt -o -path ./var/lib/apt \
		-o -path ./var/cache/ldconfig \) -prune -o -print |
		grep -vxE '\./var/lib/dkms/mok\.(key|pub)|\./var/lib/dpkg/.*-old' | sort)
}
stock() {
	(cd "$root/lib/modules/$krel" && find kernel -type f -print0 | sort -z | xargs -0 md5sum)
}
files > "$DFLIP_WORK/packaging.before"
stock > "$DFLIP_WORK/packaging.stock-before"

step "installing the .deb with apt-get (DKMS builds for $krel)"
mkdir -p "$DFLIP_WORK/deb$deb-pkg"
rm -f "$DFLIP_WORK/deb$deb-pkg"/*.deb
cp "$debfile" "$DFLIP_WORK/deb$deb-pkg/"
t0=$(date +%s)
if chr apt-get install -y -q \
		--no-install-recommends "/dflip/work/deb$deb-pkg/$(basename "$debfile")"; then
	pass install
else
	fail install "apt-get install failed: $(grep -m1 -iE 'error|refus' "$log")"
fi
step "install + DKMS build took $(( $(date +%s) - t0 )) s"

st=$("$DFLIP_REPO/mk/chroot.sh" "$deb" dkms status -m gvt-dflip -v "$ver" -k "$krel" 2>/dev/null)
case "$st" in
*": installed"*) pass dkms-status ;;
*) fail dkms-status "dkms status: ${st:-nothing}" ;;
esac

mdir=$root/lib/modules/$krel/updates/dkms
kos=()
for m in drm i915 kvmgt; do
	k=$(ls "$mdir/$m.ko"* 2>/dev/null | head -n1)
	kos+=("${k:-$mdir/$m.ko}")
done
if [ -f "${kos[0]}" ] && [ -f "${kos[1]}" ] && [ -f "${kos[2]}" ]; then
	pass installed-to-updates
else
	fail installed-to-updates "not all of drm, i915, kvmgt are in /lib/modules/$krel/updates/dkms"
fi
dk=$root/var/lib/dkms/gvt-dflip/$ver/$krel/x86_64
if [ ! -f "$dk/log/make.log" ]; then
	fail modpost "no DKMS make.log in ${dk#$root}/log"
elif grep -q 'WARNING: modpost' "$dk/log/make.log"; then
	fail modpost "$(grep -m1 'WARNING: modpost' "$dk/log/make.log")"
else
	pass modpost
fi
# the checks of the modules tier, against the chroot's own headers
"$DFLIP_REPO/mk/check-ko.sh" "$res" "packaging.deb$deb" "$krel" \
	"$root/usr/src/linux-headers-$krel/Module.symvers" \
	"$dk/module/Module.symvers" "${kos[@]}" >> "$log"
for m in drm i915 kvmgt; do
	p=$(chroot "$root" modinfo -k "$krel" -n "$m" 2>&1)
	case "$p" in
	*/updates/dkms/*) pass "modprobe-takes-updates.$m" ;;
	*) fail "modprobe-takes-updates.$m" "modinfo -n $m gives $p" ;;
	esac
done
if chroot "$root" gvt-dflip --help > /dev/null 2>&1 ||
   chroot "$root" gvt-dflip help > /dev/null 2>&1; then
	pass tool
else
	fail tool "/usr/bin/gvt-dflip does not run in the chroot"
fi
[ -f "$root/usr/share/man/man8/gvt-dflip.8.gz" ] &&
	pass man-page || fail man-page "no gvt-dflip.8"

step "purging the package"
if chr apt-get purge -y -q gvt-dflip-dkms; then
	pass purge
else
	fail purge "apt-get purge failed: $(tail -n1 "$log")"
fi
files > "$DFLIP_WORK/packaging.after"
left=$(comm -13 "$DFLIP_WORK/packaging.before" "$DFLIP_WORK/packaging.after")
gone=$(comm -23 "$DFLIP_WORK/packaging.before" "$DFLIP_WORK/packaging.after")
if [ -z "$left$gone" ]; then
	pass nothing-left-behind
else
	fail nothing-left-behind "after purge: $(echo $left | cut -c1-200) added, $(echo $gone | cut -c1-200) removed"
fi
stock > "$DFLIP_WORK/packaging.stock-after"
if cmp -s "$DFLIP_WORK/packaging.stock-before" "$DFLIP_WORK/packaging.stock-after"; then
	pass stock-modules-untouched
else
	fail stock-modules-untouched "/lib/modules/$krel/kernel changed"
fi
p=$(chroot "$root" modinfo -k "$krel" -n i915 2>&1)
case "$p" in
*/kernel/drivers/gpu/drm/i915/*) pass stock-modules-restored ;;
*) fail stock-modules-restored "modinfo -n i915 gives $p" ;;
esac
exit 0
