#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Module tier: build i915.ko and kvmgt.ko for the stock Debian kernel and
# check what only an =m build against the real kernel's exports can show:
# modpost clean against its Module.symvers, vermagic and symbol CRCs that
# the stock kernel accepts, no i915.ko -> kvmgt.ko dependency, and W=1 and
# sparse clean over every non-test C file the series adds or changes.
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

for m in i915 kvmgt; do
	ko=$msrc/$m.ko
	[ -f "$ko" ] || { fail "$m.exists" "$ko was not built"; continue; }
	vm=$(modinfo -F vermagic "$ko")
	case "$vm" in
	"$DFLIP_KREL "*) pass "$m.vermagic" ;;
	*) fail "$m.vermagic" "vermagic '$vm' is not for $DFLIP_KREL" ;;
	esac
	# Every symbol version recorded in the module must equal the stock
	# kernel's (what the module loader checks).
	bad=$(/sbin/modprobe --dump-modversions "$ko" | python3 -c '
import sys
crc = {}
for line in open(sys.argv[1]):
    f = line.split()
    crc[f[1]] = int(f[0], 16)
seen = bad = 0
for line in sys.stdin:
    f = line.split()
    if len(f) < 2:
        continue
    seen += 1
    if f[1] in crc and int(f[0], 16) != crc[f[1]]:
        bad += 1
        print(f[1])
if not seen:
    print("no symbol versions in the module")
' "$hdr/Module.symvers" | head -3)
	if [ -n "$bad" ]; then
		fail "$m.modversions" "CRC differs from the stock kernel for: $bad"
	else
		pass "$m.modversions"
	fi
done
if modinfo -F depends "$msrc/i915.ko" | tr ',' '\n' | grep -qx kvmgt; then
	fail i915-does-not-depend-on-kvmgt "i915.ko uses symbols of kvmgt.ko"
else
	pass i915-does-not-depend-on-kvmgt
fi
modinfo -F depends "$msrc/kvmgt.ko" | tr ',' '\n' | grep -qx i915 &&
	pass kvmgt-depends-on-i915 ||
	fail kvmgt-depends-on-i915 "kvmgt.ko does not use i915.ko"

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
