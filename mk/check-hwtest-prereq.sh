#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# hwtest-prereq tier: `make hwtest` on this machine, and mk/hwtest.sh
# against fake sysfs trees (HWTEST_SYSFS) that pass one more prerequisite
# each: every missing prerequisite is named in exactly one line and gives
# its documented exit status (2 GPU, 3 GVT-g, 4 IGT, 5 guest, 6 root/QEMU),
# in the documented order; and the hwtest guest agent builds. Takes a
# few seconds; nothing is created outside a temporary directory.
set -uo pipefail
. "$(dirname "$0")/env.sh"
res=$1
mkdir -p "$(dirname "$res")"
: > "$res"
pass() { echo "PASS hwtest-prereq.$1" >> "$res"; }
fail() { echo "FAIL hwtest-prereq.$1: $2" >> "$res"; }
skip() { echo "SKIP hwtest-prereq.$1: $2" >> "$res"; }

hw=$DFLIP_REPO/mk/hwtest.sh
t=$(mktemp -d /tmp/gvt-dflip-hwprereq.XXXXXX)
trap 'rm -rf "$t"' EXIT

# expect NAME CODE REGEX CMD...: CMD exits CODE and prints exactly one
# line, matching REGEX
expect() {
	local name=$1 code=$2 re=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" != "$code" ]; then
		fail "$name" "exit $rc, expected $code: $(echo "$out" | head -n 2 | paste -sd ' ')"
	elif [ "$(echo "$out" | wc -l)" != 1 ] || ! echo "$out" | grep -Eq "$re"; then
		fail "$name" "expected one line matching '$re', got: $(echo "$out" | head -n 3 | paste -sd '|')"
	else
		pass "$name"
	fi
}

# fake_gpu DIR DEVICE [gvt]: a display-class Intel PCI device under DIR
fake_gpu() {
	local d=$1/bus/pci/devices/0000:00:02.0
	mkdir -p "$d"
	echo 0x8086 > "$d/vendor"
	echo "$2" > "$d/device"
	echo 0x030000 > "$d/class"
	[ "${3:-}" != gvt ] || mkdir -p "$d/mdev_supported_types/i915-GVTg_V5_4"
}

# this machine, through make (make turns every failure into its own 2)
real_intel=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor" 2>/dev/null)" = 0x8086 ] || continue
	case $(cat "$d/class" 2>/dev/null) in 0x03*) real_intel=$d ;; esac
done
if [ -n "$real_intel" ]; then
	skip make-hwtest-here "this machine has an Intel GPU ($real_intel): the no-GPU line is not expected"
else
	out=$(make -s -C "$DFLIP_REPO" hwtest GUEST= IGT_DIR= 2>&1)
	rc=$?
	if [ $rc = 2 ] && [ "$(echo "$out" | grep -c '^hwtest:')" = 1 ] &&
	   echo "$out" | grep -q '^hwtest: no Intel Gen9 GPU' &&
	   echo "$out" | grep -q 'Error 2'; then
		pass make-hwtest-here
	else
		fail make-hwtest-here "make hwtest exited $rc: $(echo "$out" | head -n 3 | paste -sd '|')"
	fi
	expect script-here 2 '^hwtest: no Intel Gen9 GPU' \
		env -u HWTEST_SYSFS GUEST= IGT_DIR= "$hw"
fi

# the prerequisites one by one
igt=$t/igt
mkdir -p "$igt/tests"
printf '#!/bin/sh\nexit 77\n' > "$igt/tests/kms_gvt_direct_flip"
chmod +x "$igt/tests/kms_gvt_direct_flip"
guest=$t/guest.img
: > "$guest"

mkdir -p "$t/empty/bus/pci/devices"
expect no-pci-gpu 2 '^hwtest: no Intel Gen9 GPU' \
	env HWTEST_SYSFS="$t/empty" GUEST="$guest" IGT_DIR="$igt" "$hw"
fake_gpu "$t/adl" 0x4680 gvt		# Alder Lake: not Gen9, even with mdev types
expect non-gen9-intel 2 '^hwtest: no Intel Gen9 GPU' \
	env HWTEST_SYSFS="$t/adl" GUEST="$guest" IGT_DIR="$igt" "$hw"
fake_gpu "$t/hsw" 0x0a16 gvt		# Haswell ULT: 0x0a.. but not Broxton
expect haswell-is-not-broxton 2 '^hwtest: no Intel Gen9 GPU' \
	env HWTEST_SYSFS="$t/hsw" GUEST="$guest" IGT_DIR="$igt" "$hw"
fake_gpu "$t/skl" 0x1912		# Skylake GT2, GVT-g off
expect no-gvt 3 '^hwtest: GVT-g not enabled on 0000:00:02.0' \
	env HWTEST_SYSFS="$t/skl" GUEST="$guest" IGT_DIR="$igt" "$hw"
fake_gpu "$t/kbl" 0x5912 gvt		# Kaby Lake GT2, GVT-g on
expect no-igt-dir 4 '^hwtest: no IGT build' \
	env HWTEST_SYSFS="$t/kbl" GUEST="$guest" IGT_DIR= "$hw"
expect igt-dir-without-test 4 '^hwtest: no IGT build' \
	env HWTEST_SYSFS="$t/kbl" GUEST="$guest" IGT_DIR="$t/empty" "$hw"
expect guest-unset 5 '^hwtest: no guest image: set GUEST' \
	env HWTEST_SYSFS="$t/kbl" GUEST= IGT_DIR="$igt" "$hw"
expect guest-missing 5 "^hwtest: no guest image: .*$t/nothing.img is not a file" \
	env HWTEST_SYSFS="$t/kbl" GUEST="$t/nothing.img" IGT_DIR="$igt" "$hw"
if [ "$(id -u)" = 0 ]; then
	expect no-qemu 6 '^hwtest: no QEMU: /nonexistent/qemu not found' \
		env HWTEST_SYSFS="$t/kbl" GUEST="$guest" IGT_DIR="$igt" \
		QEMU=/nonexistent/qemu "$hw"
	# as nobody, from a copy nobody can read
	cp -r "$DFLIP_REPO/mk" "$t/mk"
	chmod -R a+rX "$t"
	if command -v setpriv >/dev/null; then
		expect not-root 6 '^hwtest: not root' \
			setpriv --reuid=65534 --regid=65534 --clear-groups \
			env HWTEST_SYSFS="$t/kbl" GUEST="$guest" IGT_DIR="$igt" \
			"$t/mk/hwtest.sh"
	else
		skip not-root "no setpriv to run as another user"
	fi
else
	skip no-qemu "not root: the root check comes first"
	expect not-root 6 '^hwtest: not root' \
		env HWTEST_SYSFS="$t/kbl" GUEST="$guest" IGT_DIR="$igt" "$hw"
fi
# the guest agent of the hwtest image builds warning-free (it runs only in
# a GVT-g guest)
read -ra drmflags < <(pkg-config --cflags libdrm)
if out=$(gcc -O2 -Wall -Wextra -Wno-unused-parameter -Werror \
	"${drmflags[@]}" -o "$t/agent" \
	"$DFLIP_REPO/tools/igt/gvt_dflip_guest_agent.c" -ldrm 2>&1); then
	pass guest-agent-builds
else
	fail guest-agent-builds "$(echo "$out" | grep -m2 -E 'error|warning')"
fi
# order: with everything missing, the GPU is named first
expect order-gpu-first 2 '^hwtest: no Intel Gen9 GPU' \
	env HWTEST_SYSFS="$t/empty" GUEST= IGT_DIR= QEMU=/nonexistent/qemu "$hw"
expect order-gvt-before-igt 3 '^hwtest: GVT-g not enabled' \
	env HWTEST_SYSFS="$t/skl" GUEST= IGT_DIR= "$hw"
exit 0
