#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Module tier: build drm.ko, i915.ko and kvmgt.ko for the stock Debian
# kernel and check what only an =m build against the real kernel's exports
# can show: modpost clean against its Module.symvers, vermagic and symbol
# CRCs that the stock kernel accepts, drm.ko a drop-in for the stock one
# (every stock export with the same CRC), no i915.ko -> kvmgt.ko
# dependency, and W=1 and sparse clean over every non-test C file the
# series adds.
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

for m in drm i915 kvmgt; do
	ko=$msrc/$m.ko
	[ $m = drm ] && ko=$drm/drm.ko
	[ -f "$ko" ] || { fail "$m.exists" "$ko was not built"; continue; }
	vm=$(modinfo -F vermagic "$ko")
	case "$vm" in
	"$DFLIP_KREL "*) pass "$m.vermagic" ;;
	*) fail "$m.vermagic" "vermagic '$vm' is not for $DFLIP_KREL" ;;
	esac
	# Every symbol version recorded in the module must equal the stock
	# kernel's (what the module loader checks); a symbol the stock kernel
	# lacks must be a new export of our drm.ko or i915.ko, with its version.
	bad=$(/sbin/modprobe --dump-modversions "$ko" | python3 -c '
import sys
crc, ours = {}, {}
for name, table in ((sys.argv[1], crc), (sys.argv[2], ours),
                    (sys.argv[3], ours)):
    for line in open(name):
        f = line.split()
        table[f[1]] = int(f[0], 16)
seen = bad = 0
for line in sys.stdin:
    f = line.split()
    if len(f) < 2:
        continue
    seen += 1
    want = crc.get(f[1], ours.get(f[1]))
    if want is None or int(f[0], 16) != want:
        bad += 1
        print(f[1])
if not seen:
    print("no symbol versions in the module")
' "$hdr/Module.symvers" "$drm/Module.symvers" "$msrc/Module.symvers" |
		head -3)
	if [ -n "$bad" ]; then
		fail "$m.modversions" "CRC differs from the stock kernel or ours for: $bad"
	else
		pass "$m.modversions"
	fi
done

# drm.ko is a drop-in for the stock drm.ko: every symbol the stock one
# exports (per the headers' Module.symvers) ours exports with the same CRC,
# export type and namespace; the only other exports are the new ones.
res_drm=$(python3 - "$hdr/Module.symvers" "$drm/Module.symvers" <<'PY'
import sys

def exports(path, stock):
    out = {}
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        mod = f[2]
        if (mod == 'drivers/gpu/drm/drm') if stock else \
                (mod == 'drm' or mod.endswith('/drm')):
            out[f[1]] = (int(f[0], 16), f[3], f[4] if len(f) > 4 else '')
    return out

stock = exports(sys.argv[1], True)
ours = exports(sys.argv[2], False)
missing = sorted(set(stock) - set(ours))
differ = sorted(s for s in stock if s in ours and stock[s] != ours[s])
new = sorted(set(ours) - set(stock))
if not stock:
    print('FAIL no drm.ko exports in the stock Module.symvers')
elif missing or differ:
    print('FAIL %d stock exports missing (%s), %d differ (%s)' %
          (len(missing), ' '.join(missing[:3]), len(differ),
           ' '.join(differ[:3])))
else:
    print('PASS %d stock exports identical, new: %s' %
          (len(stock), ' '.join(new) or 'none'))
PY
)
dflip_log "modules: drm.ko: $res_drm"
case "$res_drm" in
"PASS "*) pass drm.drop-in ;;
*) fail drm.drop-in "${res_drm#FAIL }" ;;
esac

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
