#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make deb: build out/gvt-dflip-dkms_VERSION_all.deb with dpkg-deb. It
# holds /usr/src/gvt-dflip-VERSION/ (dkms.conf, the overlay as mk/lay.py
# lays it, the series patches/NNNN-*.patch, the build step dkms/dkms-build.sh and
# the scripts it shares with make: mk/env.sh, mk/lay.py, mk/modules.sh),
# DKMS's version-override file for it, the tool /usr/bin/gvt-dflip and
# its man page gvt-dflip.8 (rendered from tools/gvt/gvt-dflip.rst with
# rst2man). VERSION is the file VERSION, plus
# +gitN.gHASH in a git checkout (N commits), which dpkg orders by N.
#
#   mk/deb.sh            prints the path of the .deb on its last line
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$DFLIP_REPO"

command -v dpkg-deb > /dev/null || dflip_die "dpkg-deb is missing (apt-get install dpkg)"
command -v rst2man > /dev/null || dflip_die "rst2man is missing (apt-get install python3-docutils)"
ver=$(cat VERSION 2>/dev/null) || dflip_die "the file VERSION is missing"
if [ -e .git ]; then
	ver=$ver+git$(git rev-list --count HEAD).g$(git rev-parse --short=7 HEAD)
fi
dpkg --validate-version "$ver" 2> /dev/null ||
	dflip_die "'$ver' is not a valid Debian version (fix the file VERSION)"

name=gvt-dflip
out=$DFLIP_OUT/deb
root=$out/root
src=$root/usr/src/$name-$ver
rm -rf "$out"
mkdir -p "$src/mk" "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/man/man8" \
	"$root/usr/share/doc/$name-dkms"

# the overlay (what lay.py lays, at its repository paths) and the patches
python3 - "$DFLIP_REPO" "$src" <<'PY'
import os, shutil, sys
sys.path.insert(0, os.path.join(sys.argv[1], 'mk'))
import lay
repo, dst = sys.argv[1:]
files = sorted(set(lay.overlay_files(repo).values()))
files += ['patches/' + n for n in lay.patch_names(repo)]
files += [lay.DROPIN + '/' + n for n in lay.patch_names(repo, lay.DROPIN)]
for rel in files:
    os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
    shutil.copy2(os.path.join(repo, rel), os.path.join(dst, rel))
PY
install -m755 dkms/dkms-build.sh "$src/dkms-build.sh"
install -m755 mk/modules.sh mk/lay.py "$src/mk/"
install -m644 mk/env.sh "$src/mk/"
echo "$ver" > "$src/VERSION"
sed "s/@VERSION@/$ver/" dkms/dkms.conf.in > "$src/dkms.conf"

# the tool, built outside the source directory, and its man page
mkdir -p "$out/tool"
make -s -C tools/gvt OUT="$out/tool" > /dev/null
install -m755 "$out/tool/gvt-dflip" "$root/usr/bin/gvt-dflip"
rst2man tools/gvt/gvt-dflip.rst | gzip -9n > "$root/usr/share/man/man8/gvt-dflip.8.gz"
cat > "$root/usr/share/doc/$name-dkms/copyright" <<COPY
GVT-g Local Display Direct Flip, a patch set for Linux 6.12 (i915, GVT-g,
KVMGT), and the tool gvt-dflip.

License: GPL-2.0-only (see /usr/share/common-licenses/GPL-2); the kernel
sources it is built with are those of linux-source-6.12.
COPY

for s in postinst prerm postrm; do
	sed "s/@VERSION@/$ver/" "dkms/$s.in" > "$root/DEBIAN/$s"
	chmod 755 "$root/DEBIAN/$s"
done
install -m644 dkms/triggers "$root/DEBIAN/triggers"
# dkms refuses to install a module whose version (none: drm, i915 and
# kvmgt have no MODULE_VERSION) equals the one in kernel/; this file makes
# it skip that check for this package (bookworm's dkms 3.0 and trixie's)
mkdir -p "$root/usr/share/dkms/modules_to_force_install"
echo "${name}_version-override" > "$root/usr/share/dkms/modules_to_force_install/$name.force"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$ver/" -e "s/@SIZE@/$size/" dkms/control.in > "$root/DEBIAN/control"
find "$root" -type d -exec chmod 755 {} +

deb=$DFLIP_OUT/${name}-dkms_${ver}_all.deb
rm -f "$DFLIP_OUT"/${name}-dkms_*_all.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" > /dev/null
dflip_log "deb: $deb ($(du -k "$deb" | cut -f1) KiB)"
echo "$deb"
