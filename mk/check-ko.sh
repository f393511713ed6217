#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The checks of built drm.ko, i915.ko and kvmgt.ko against a stock Debian
# kernel, shared by the modules tier (modules built by make) and the
# packaging tier (modules built by DKMS in a Debian 13 chroot): vermagic
# of the kernel release; every symbol version a module imports equal to
# the stock kernel's Module.symvers or, for the new exports, to ours;
# drm.ko a drop-in for the stock one (every stock drm.ko export with the
# same CRC, type and namespace); i915.ko does not depend on kvmgt.ko,
# kvmgt.ko does on i915.ko. Appends one PASS/FAIL line per check to
# RESULTS, named TIER.<check>. Modules may be compressed (.ko.xz).
#
#   mk/check-ko.sh RESULTS TIER KREL STOCK_SYMVERS OUR_SYMVERS DRM_KO I915_KO KVMGT_KO
#
# OUR_SYMVERS: the Module.symvers of our drm.ko and i915.ko builds (one
# file, or several joined by ':').
set -uo pipefail
[ $# -eq 8 ] || { echo "usage: mk/check-ko.sh RESULTS TIER KREL STOCK_SYMVERS OUR_SYMVERS DRM_KO I915_KO KVMGT_KO" >&2; exit 2; }
res=$1 tier=$2 krel=$3 stock=$4 ours=$5
declare -A ko=([drm]=$6 [i915]=$7 [kvmgt]=$8)
pass() { echo "PASS $tier.$1" >> "$res"; }
fail() { echo "FAIL $tier.$1: $2" >> "$res"; }

[ -f "$stock" ] || { fail stock-symvers "$stock is missing"; exit 0; }
IFS=: read -r -a oursv <<<"$ours"
for f in "${oursv[@]}"; do
	[ -f "$f" ] || { fail our-symvers "$f is missing"; exit 0; }
done

for m in drm i915 kvmgt; do
	k=${ko[$m]}
	[ -f "$k" ] || { fail "$m.exists" "$k was not built"; continue; }
	vm=$(modinfo -F vermagic "$k")
	case "$vm" in
	"$krel "*) pass "$m.vermagic" ;;
	*) fail "$m.vermagic" "vermagic '$vm' is not for $krel" ;;
	esac
	# Every symbol version recorded in the module must equal the stock
	# kernel's (what the module loader checks); a symbol the stock kernel
	# lacks must be a new export of our drm.ko or i915.ko, with its version.
	bad=$(/sbin/modprobe --dump-modversions "$k" | python3 -c '
import sys
crc, ours = {}, {}
for name, table in [(sys.argv[1], crc)] + [(n, ours) for n in sys.argv[2:]]:
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
' "$stock" "${oursv[@]}" | head -3)
	if [ -n "$bad" ]; then
		fail "$m.modversions" "CRC differs from the stock kernel or ours for: $bad"
	else
		pass "$m.modversions"
	fi
done

# drm.ko is a drop-in for the stock drm.ko: every symbol the stock one
# exports (per the headers' Module.symvers) ours exports with the same CRC,
# export type and namespace; the only other exports are the new ones.
res_drm=$(python3 - "$stock" "${oursv[@]}" <<'PY'
import sys

def exports(paths, stock):
    out = {}
    for path in paths:
        for line in open(path):
            f = line.rstrip('\n').split('\t')
            mod = f[2]
            if (mod == 'drivers/gpu/drm/drm') if stock else \
                    (mod == 'drm' or mod.endswith('/drm')):
                out[f[1]] = (int(f[0], 16), f[3], f[4] if len(f) > 4 else '')
    return out

stock = exports(sys.argv[1:2], True)
ours = exports(sys.argv[2:], False)
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
echo "[$(date +%H:%M:%S)] $tier: drm.ko: $res_drm"
case "$res_drm" in
"PASS "*) pass drm.drop-in ;;
*) fail drm.drop-in "${res_drm#FAIL }" ;;
esac

if [ -f "${ko[i915]}" ] && [ -f "${ko[kvmgt]}" ]; then
	if modinfo -F depends "${ko[i915]}" | tr ',' '\n' | grep -qx kvmgt; then
		fail i915-does-not-depend-on-kvmgt "i915.ko uses symbols of kvmgt.ko"
	else
		pass i915-does-not-depend-on-kvmgt
	fi
	modinfo -F depends "${ko[kvmgt]}" | tr ',' '\n' | grep -qx i915 &&
		pass kvmgt-depends-on-i915 ||
		fail kvmgt-depends-on-i915 "kvmgt.ko does not use i915.ko"
fi
exit 0
