#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# KUnit tier: build the QEMU x86_64 test kernel (testing/kunitconfig: DRM,
# i915, GVT/KVMGT, KVM, VFIO and direct flip built in; KASAN, UBSAN,
# lockdep, preemption) and run every KUnit suite in it on 2 vCPUs.
# A sanitizer report anywhere in the log is a failure.
set -uo pipefail
. "$(dirname "$0")/env.sh"
res=$1
mkdir -p "$(dirname "$res")"
rm -f "$res"
dflip_lock_and_lay > /dev/null || { echo "FAIL kunit: the overlay does not lay onto the base" >> "$res"; exit 0; }
cd "$DFLIP_TREE" || dflip_die "no build tree"
mkdir -p "$DFLIP_KUNIT_BUILD"
json=$DFLIP_KUNIT_BUILD/results.json
rm -f "$json" "$DFLIP_KUNIT_BUILD/test.log"
dflip_log "kunit: building and running the test kernel (log: $DFLIP_KUNIT_BUILD/kunit.log)"
python3 tools/testing/kunit/kunit.py run --arch=x86_64 \
	--kunitconfig="$DFLIP_REPO/testing/kunitconfig" \
	--build_dir="$DFLIP_KUNIT_BUILD" --jobs="$JOBS" \
	--make_options 'CC=ccache gcc' \
	--qemu_args='-smp 2' --qemu_args='-m 2048' \
	--timeout=1800 --json="$json" > "$DFLIP_KUNIT_BUILD/kunit.log" 2>&1
rc=$?
tail -n 4 "$DFLIP_KUNIT_BUILD/kunit.log"
python3 "$DFLIP_REPO/mk/results.py" kunit-json kunit "$json" \
	"$DFLIP_KUNIT_BUILD/test.log" "$res"
if [ $rc -ne 0 ] && ! grep -q '^FAIL' "$res"; then
	echo "FAIL kunit: kunit.py exited $rc (see $DFLIP_KUNIT_BUILD/kunit.log)" >> "$res"
fi
exit 0
