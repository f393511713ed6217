#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make check-packaging: the DKMS upgrade test, too long for make check (two
# DKMS builds). In the Debian 12 chroot of mk/chroot.sh: install the
# second newest 6.12 point release that apt offers (image, headers and
# its linux-source-6.12) and the .deb, so DKMS builds for it; then move
# source and kernel to the newest point release and let DKMS's kernel
# hook (autoinstall) rebuild. Checks dkms status for both kernels, the new
# modules' vermagic, that modprobe takes them from updates/dkms, the
# module checks (mk/check-ko.sh) on them and that the build step refuses
# the old kernel (its headers no longer match the source) in one line;
# purges the package at the end.
# The two releases are chosen from apt's lists, never pinned.
#
#   mk/check-packaging-upgrade.sh [RESULTS]   (default out/results/packaging-upgrade.results)
set -uo pipefail
. "$(dirname "$0")/env.sh"
res=${1:-$DFLIP_OUT/results/packaging-upgrade.results}
mkdir -p "$(dirname "$res")"
: > "$res"
pass() { echo "PASS packaging-upgrade.$1" >> "$res"; }
fail() { echo "FAIL packaging-upgrade.$1: $2" >> "$res"; }
step() { dflip_log "packaging-upgrade: $*"; }
finish() {
	step "done in $(( $(date +%s) - start )) s"
	python3 "$DFLIP_REPO/mk/results.py" summary "$(dirname "$res")" packaging-upgrade
	exit $?
}
start=$(date +%s)

deb=12
root=$DFLIP_WORK/deb$deb
log=$DFLIP_WORK/packaging-upgrade.log
: > "$log"
chr() { "$DFLIP_REPO/mk/chroot.sh" "$deb" "$@" >> "$log" 2>&1; }
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
# dkms needs /proc and /dev/fd: through mk/chroot.sh, stdout only
dkms_in() { "$DFLIP_REPO/mk/chroot.sh" "$deb" dkms "$@" 2>/dev/null; }

step "building the .deb (log: $log)"
debfile=$("$DFLIP_REPO/mk/deb.sh" 2>> "$log" | tail -n1)
[ -f "$debfile" ] || { fail deb "mk/deb.sh failed: $(tail -n1 "$log")"; finish; }
ver=$(dpkg-deb -f "$debfile" Version)
mkdir -p "$DFLIP_WORK/deb$deb-pkg"
rm -f "$DFLIP_WORK/deb$deb-pkg"/*.deb
cp "$debfile" "$DFLIP_WORK/deb$deb-pkg/"

step "preparing the Debian $deb chroot"
chr || { fail chroot "mk/chroot.sh $deb failed: $(grep -m1 error: "$log")"; finish; }
in_root apt-get update -qq >> "$log" 2>&1
# the two newest point releases with headers and a linux-source-6.12 of
# the same version
srcs=$(in_root apt-cache madison linux-source-6.12 | awk '{ print $3 }')
rels=()
for k in $(in_root apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{ print $1 }' | sed 's/^linux-headers-//' | sort -rV); do
	v=$(in_root apt-cache show "linux-headers-$k" | sed -n 's/^Version: //p' | sort -V | tail -n1)
	grep -qxF "$v" <<<"$srcs" && rels+=("$k")
	[ ${#rels[@]} -eq 2 ] && break
done
if [ ${#rels[@]} -lt 2 ]; then
	fail releases "apt offers fewer than two 6.12 point releases with a matching linux-source-6.12"
	finish
fi
old=${rels[1]} new=${rels[0]}
pass releases
step "upgrade $old -> $new, package $ver"

# start from the old release alone: no package, no newer kernel
in_root dpkg-query -W -f='${Status}' gvt-dflip-dkms 2>/dev/null | grep -q installed &&
	chr apt-get purge -y -q gvt-dflip-dkms
for p in "linux-image-$new" "linux-headers-$new"; do
	in_root dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed &&
		chr apt-get purge -y -q "$p"
done
rm -f "$root/.dflip-kernel"
chr --kernel "$old" || { fail kernel-old "installing $old failed: $(grep -m1 error: "$log")"; finish; }

step "installing the .deb: DKMS builds for $old"
t0=$(date +%s)
if chr apt-get install -y -q \
		--no-install-recommends "/dflip/work/deb$deb-pkg/$(basename "$debfile")"; then
	pass install
else
	fail install "apt-get install failed: $(grep -m1 -iE 'error|refus' "$log")"
fi
step "first DKMS build: $(( $(date +%s) - t0 )) s"

# vermagic and modprobe's choice for kernel KREL
modules_for() {	# NAME KREL
	local m p vm ok=1
	for m in drm i915 kvmgt; do
		p=$(in_root modinfo -k "$2" -n "$m" 2>&1)
		case "$p" in
		*/updates/dkms/*) ;;
		*) fail "$1.updates" "modinfo -k $2 -n $m gives $p"; ok=; continue ;;
		esac
		vm=$(in_root modinfo -k "$2" -F vermagic "$m")
		case "$vm" in
		"$2 "*) ;;
		*) fail "$1.vermagic" "$m: '$vm' is not for $2"; ok= ;;
		esac
	done
	[ -n "$ok" ] && pass "$1.modules"
}
status_for() {	# NAME KREL
	local st
	st=$(dkms_in status -m gvt-dflip -v "$ver" -k "$2")
	case "$st" in
	*": installed"*) pass "$1.dkms-status" ;;
	*) fail "$1.dkms-status" "dkms status for $2: ${st:-nothing}" ;;
	esac
}
status_for old "$old"
modules_for old "$old"

step "moving linux-source-6.12 and the kernel to $new: DKMS's kernel hook rebuilds"
t0=$(date +%s)
if chr --kernel "$new"; then
	pass kernel-upgrade
else
	fail kernel-upgrade "installing $new failed: $(grep -m1 -iE 'error' "$log")"
fi
step "upgrade with the DKMS rebuild: $(( $(date +%s) - t0 )) s"
status_for new "$new"
modules_for new "$new"
# the old kernel's headers no longer match the source: the build step
# refuses in one line naming both versions
out=$(in_root bash "/usr/src/gvt-dflip-$ver/dkms-build.sh" --check "$old" 2>&1)
if [ $? -ne 0 ] && [ "$(echo "$out" | wc -l)" = 1 ] &&
   grep -q "linux-source-6.12 is .* but linux-headers-$old is " <<<"$out"; then
	pass version-mismatch-refused
else
	fail version-mismatch-refused "dkms-build.sh --check $old: ${out:-no message}"
fi
dk=$root/var/lib/dkms/gvt-dflip/$ver/$new/x86_64
"$DFLIP_REPO/mk/check-ko.sh" "$res" packaging-upgrade.new "$new" \
	"$root/usr/src/linux-headers-$new/Module.symvers" "$dk/module/Module.symvers" \
	"$(ls "$root/lib/modules/$new/updates/dkms/drm.ko"* | head -n1)" \
	"$(ls "$root/lib/modules/$new/updates/dkms/i915.ko"* | head -n1)" \
	"$(ls "$root/lib/modules/$new/updates/dkms/kvmgt.ko"* | head -n1)" >> "$log"
bad=$(dkms_in status | grep -v ': installed' || true)
[ -z "$bad" ] && pass dkms-status-clean || fail dkms-status-clean "$(echo $bad)"

step "purging the package"
chr apt-get purge -y -q gvt-dflip-dkms && pass purge ||
	fail purge "apt-get purge failed: $(tail -n1 "$log")"
finish
