#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Userspace tier: boot the test kernel in QEMU with an initramfs that runs
# the tools' integration tests and the kselftest against vkms and virtio-gpu.
set -uo pipefail
. "$(dirname "$0")/env.sh"
res=$1
: > "$res"
bz=$DFLIP_KUNIT_BUILD/arch/x86/boot/bzImage
if [ ! -x "$DFLIP_REPO/testing/userspace/run.sh" ]; then
	echo "FAIL userspace: testing/userspace/run.sh is missing" >> "$res"
	exit 0
fi
"$DFLIP_REPO/testing/userspace/run.sh" "$bz" "$res"
exit 0
