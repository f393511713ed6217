#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Module tier: build drm.ko, i915.ko and kvmgt.ko for the stock Debian
# kernel and check what only an =m build against the real kernel's exports
# can show: modpost clean against its Module.symvers, vermagic and symbol
# CRCs that the stock kernel accepts, drm.ko a drop-in for the stock one
# (every stock export with the same CRC), no i915.ko -> kvmgt.ko
# dependency, and W=1 and sparse clean over every non-test C file the
# series adds. The checks of the built modules are mk/check-ko.sh's, which
# the packaging tier runs on the DKMS-built ones.
set -uo pipefail
. "$(dirname "$0")/env.sh"
res=$1
mkdir -p "$(dirname "$res")"
: > "$res"
pass() { echo "PASS modules.$1" >> "$res"; }
fail() { echo "FAIL modules.$1: $2" >> "$res"; }

log=$DFLIP_WORK/modules.log
dflip_lock_and_lay > /dev/null || { fail lay "the overlay does not lay onto the base"; exit 0; }
msrc=$DFLIP_WORK/modsrc/drivers/gpu/drm/i915
drm=$DFLIP_WORK/modsrc/drivers/gpu/drm
hdr=/usr/src/linux-headers-$DFLIP_KREL
if "$DFLIP_REPO/mk/modules.sh" > "$log" 2>&1; then
	pass build
else
	fail build "the module build failed: $(grep -m1 -E 'error|Error' "$log")"
	exit 0
fi
if grep -q 'WARNING: modpost' "$log"; then
	fail modpost "$(grep -m1 'WARNING: modpost' "$log")"
else
	pass modpost
fi

# vermagic, symbol CRCs, drm.ko a drop-in, the module dependencies
"$DFLIP_REPO/mk/check-ko.sh" "$res" modules "$DFLIP_KREL" "$hdr/Module.symvers" \
	"$drm/Module.symvers:$msrc/Module.symvers" \
	"$drm/drm.ko" "$msrc/i915.ko" "$msrc/kvmgt.ko"

# W=1 and sparse over the C files the series adds or changes (tests need
# KUnit built in and are checked in the series tier instead).
files=$(python3 "$DFLIP_REPO/mk/series.py" files --kind=c --no-tests --new)
for f in $files; do
	rel=${f#drivers/gpu/drm/i915/}
	obj=${rel%.c}.o
	out=$(make -C "$DFLIP_TREE" O="$DFLIP_MOD_BUILD" ARCH=x86 \
		KERNELRELEASE="$DFLIP_KREL" M="$msrc" W=1 C=2 -s "$obj" 2>&1)
	# everything this one-object compile reports is the object's: a
	# warning in an inline header function names the file only in its
	# "inlined from" context line
	warn=$(echo "$out" | grep -E 'warning:|error:' |
		grep -vxF -f "$DFLIP_REPO/testing/known-warnings.txt" | head -3)
	if [ -n "$warn" ]; then
		fail "w1-sparse.$rel" "$warn"
	else
		pass "w1-sparse.$rel"
	fi
done
exit 0
