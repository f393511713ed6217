#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Userspace tier: boot the test kernel in QEMU with an initramfs that runs
# the tools' integration tests and the kselftest against vkms and a
# two-output virtio-gpu (testing/userspace/run.sh), and record the results.
set -uo pipefail
. "$(dirname "$0")/env.sh"
res=$1
: > "$res"
bz=$DFLIP_KUNIT_BUILD/arch/x86/boot/bzImage
log=$DFLIP_OUT/userspace-run.log
mkdir -p "$DFLIP_OUT"
"$DFLIP_REPO/testing/userspace/run.sh" "$bz" > "$log" 2>&1
rc=$?
sed -n -E \
	-e 's/^ok +(.*)$/PASS \1/p' \
	-e 's/^not ok +(.*)$/FAIL \1: failed (see out\/userspace-ktap.log)/p' \
	-e 's/^skip +([^:]*: .*) \((.*)\)$/SKIP \1: \2/p' "$log" >> "$res"
if [ $rc -ne 0 ] && ! grep -q '^FAIL' "$res"; then
	echo "FAIL userspace: run.sh exited $rc: $(tail -n 3 "$log" | paste -sd ' ')" >> "$res"
fi
grep '^userspace: ' "$log" | tail -2
exit 0
