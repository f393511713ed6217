#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make hwtest: direct flip on a real Gen9 host with a running guest.
#
#   make hwtest GUEST=<guest disk image> IGT_DIR=<igt-gpu-tools build dir>
#   mk/hwtest.sh                         (same, GUEST and IGT_DIR from the
#                                         environment)
#
# Creates a vGPU (mdev, uuidgen), boots GUEST in QEMU on it (vfio-pci
# sysfsdev, display=off, the image opened with snapshot=on: never written),
# waits until the guest enables its primary plane (intel_vgpu_planes/
# pipe_a_primary non-zero), assigns it with tools/gvt/gvt-dflip assign
# (resident, in the background) and measures flip rates from the vGPU's
# debugfs counters over HWTEST_MEASURE seconds; then stops the assigner
# (the tests need DRM master) and runs the kselftest and the IGT test
# kms_gvt_direct_flip with the guest running, stops QEMU and runs the IGT
# subtests that need the vGPU's VFIO device free (the last one,
# destroy-while-assigned, removes the vGPU). Everything it created
# is removed on exit (trap: assigner killed, QEMU stopped, mdev removed).
# Prints a summary (also after a failed step); the guest's side of the IGT test is described in
# tools/igt/README.
#
# Prerequisites, checked in this order; the first missing one is named in
# one line and gives the exit status:
#   2  no Intel Gen9 GPU (Skylake, Broxton, Kaby Lake, Coffee Lake, Comet
#      Lake; by PCI vendor 0x8086, display class and device id)
#   3  GVT-g not enabled: the GPU has no mdev_supported_types (boot with
#      i915.enable_gvt=1 i915.enable_guc=0 and load kvmgt)
#   4  no IGT build: IGT_DIR unset or without tests/kms_gvt_direct_flip
#   5  no guest image: GUEST unset or not a file
#   6  not root, or QEMU ($QEMU, default qemu-system-x86_64) missing
# Otherwise: 0 when every step and test passed (skips allowed), 1 when a
# step or a test failed. `make hwtest` prints the same line; make itself
# then exits 2 whatever the script's status was ("Error N" names it).
#
# Environment: GUEST, IGT_DIR, QEMU, HWTEST_TYPE (mdev type, default the
# first with available instances), HWTEST_BOOT_TIMEOUT (seconds for the
# guest to light its display, default 300), HWTEST_MEASURE (seconds,
# default 10), HWTEST_SYSFS (sysfs root, default /sys: tests of the
# prerequisite checks lay a fake one out).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
SYS=${HWTEST_SYSFS:-/sys}
QEMU=${QEMU:-qemu-system-x86_64}
GUEST=${GUEST:-}
IGT_DIR=${IGT_DIR:-}
IGT_TEST=kms_gvt_direct_flip

missing() {	# CODE MESSAGE: the one line, and the exit status
	echo "hwtest: $2"
	exit "$1"
}

# Gen9 display with GVT-g support, by PCI device id
is_gen9() {
	case ${1,,} in
	0x19??|0x59??|0x3e??|0x87c0|0x87ca|0x9b??) return 0 ;;	# SKL KBL CFL AML CML
	0x0a84|0x1a84|0x1a85|0x5a84|0x5a85) return 0 ;;		# BXT
	esac
	return 1
}

# --- prerequisites, in the documented order -----------------------------
gpu=
for d in "$SYS"/bus/pci/devices/*; do
	if [ ! -r "$d/vendor" ] || [ ! -r "$d/device" ] || [ ! -r "$d/class" ]; then
		continue
	fi
	[ "$(cat "$d/vendor")" = 0x8086 ] || continue
	case $(cat "$d/class") in 0x03*) ;; *) continue ;; esac
	is_gen9 "$(cat "$d/device")" || continue
	gpu=$d
	break
done
[ -n "$gpu" ] || missing 2 "no Intel Gen9 GPU (Skylake to Comet Lake) in $SYS/bus/pci/devices"
bdf=${gpu##*/}
[ -d "$gpu/mdev_supported_types" ] ||
	missing 3 "GVT-g not enabled on $bdf: no mdev_supported_types (boot with i915.enable_gvt=1 i915.enable_guc=0, modprobe kvmgt)"
if [ -z "$IGT_DIR" ] || [ ! -x "$IGT_DIR/tests/$IGT_TEST" ]; then
	missing 4 "no IGT build: set IGT_DIR to an igt-gpu-tools build directory with tests/$IGT_TEST (see tools/igt/README)"
fi
if [ -z "$GUEST" ] || [ ! -f "$GUEST" ]; then
	missing 5 "no guest image: set GUEST to a guest disk image file${GUEST:+ ($GUEST is not a file)}"
fi
[ "$(id -u)" = 0 ] || missing 6 "not root: creating vGPUs and DRM master need root"
command -v "$QEMU" >/dev/null || missing 6 "no QEMU: $QEMU not found (apt-get install qemu-system-x86)"

# --- the run ------------------------------------------------------------
. "$repo/mk/env.sh"
work=$(mktemp -d /tmp/gvt-dflip-hwtest.XXXXXX)
log=$DFLIP_OUT/hwtest
rm -rf "$log"
mkdir -p "$log"
uuid='' vgpu='' qemu_pid='' assign_pid=''
declare -a summary
failed=0
note() { summary+=("$*"); dflip_log "$*"; }
bad() { note "FAIL: $*"; failed=1; }

# shellcheck disable=SC2317  # run by the traps
cleanup() {
	if [ -n "$assign_pid" ] && kill -0 "$assign_pid" 2>/dev/null; then
		kill -TERM "$assign_pid" 2>/dev/null
		wait "$assign_pid" 2>/dev/null
	fi
	stop_qemu
	if [ -n "$vgpu" ] && [ -e "$vgpu/remove" ]; then
		if echo 1 >"$vgpu/remove"; then
			note "vGPU $uuid removed"
		else
			bad "could not remove the vGPU $uuid"
		fi
	fi
	rm -rf "$work"
	echo
	echo "hwtest summary (logs in $log):"
	printf '  %s\n' "${summary[@]}"
	[ "$failed" = 0 ] || exit 1
}
# shellcheck disable=SC2317
stop_qemu() {
	[ -n "$qemu_pid" ] || return 0
	kill -TERM "$qemu_pid" 2>/dev/null
	for _ in $(seq 60); do
		kill -0 "$qemu_pid" 2>/dev/null || break
		sleep 0.5
	done
	kill -KILL "$qemu_pid" 2>/dev/null
	wait "$qemu_pid" 2>/dev/null
	qemu_pid=
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# tools: gvt-dflip and the kselftest
make -s -C "$repo/tools/gvt" OUT="$work" "$work/gvt-dflip" ||
	{ bad "building gvt-dflip"; exit 1; }
ksft=
for d in "$DFLIP_TREE" "$(dflip_pristine)"; do
	[ -f "$d/tools/testing/selftests/kselftest_harness.h" ] &&
		{ ksft=$d/tools/testing/selftests; break; }
done
if [ -n "$ksft" ]; then
	make -s -f "$repo/testing/userspace/kselftest.mk" \
		SRC="$repo/tools/testing/selftests/drivers/gpu/gvt_dflip" \
		OUTPUT="$work" KSFT_DIR="$ksft" || bad "building the kselftest"
fi

# the vGPU
type=${HWTEST_TYPE:-}
if [ -z "$type" ]; then
	for t in "$gpu"/mdev_supported_types/*; do
		[ "$(cat "$t/available_instances" 2>/dev/null || echo 0)" -gt 0 ] &&
			{ type=${t##*/}; break; }
	done
fi
[ -n "$type" ] || { bad "no mdev type of $bdf has an available instance"; exit 1; }
uuid=$(uuidgen 2>/dev/null || cat /proc/sys/kernel/random/uuid)
[ -n "$uuid" ] || { bad "no UUID (uuidgen, /proc/sys/kernel/random/uuid)"; exit 1; }
echo "$uuid" >"$gpu/mdev_supported_types/$type/create" ||
	{ bad "creating a $type vGPU"; exit 1; }
vgpu=$gpu/$uuid
note "vGPU $uuid ($type) on $bdf"
if [ ! -d "$vgpu/intel_vgpu_planes" ]; then
	bad "the vGPU has no intel_vgpu_planes/: the loaded i915/kvmgt are not this series' (see README.md, Installing)"
	exit 1
fi

# the guest
"$QEMU" -machine pc,accel=kvm -cpu host -smp 2 -m 2048 -vga none \
	-display none -no-user-config -nodefaults \
	-drive "file=$GUEST,if=virtio,snapshot=on" \
	-device "vfio-pci,sysfsdev=$vgpu,display=off,x-igd-opregion=off" \
	-serial "file:$log/guest-serial.log" >"$log/qemu.log" 2>&1 &
qemu_pid=$!
boot_start=$(date +%s)
fb=0
while [ $(($(date +%s) - boot_start)) -lt "${HWTEST_BOOT_TIMEOUT:-300}" ]; do
	kill -0 "$qemu_pid" 2>/dev/null || break
	fb=$(cat "$vgpu/intel_vgpu_planes/pipe_a_primary" 2>/dev/null || echo 0)
	[ "$fb" != 0 ] && break
	sleep 1
done
if [ "$fb" = 0 ]; then
	bad "the guest did not enable its primary plane within ${HWTEST_BOOT_TIMEOUT:-300} s (QEMU: $(tail -n 2 "$log/qemu.log" | paste -sd ' '))"
	exit 1
fi
note "guest display on after $(($(date +%s) - boot_start)) s: pipe_a_primary is fb $fb"

# assign, resident, and measure
assign_t0=$(date +%s%N)
"$work/gvt-dflip" assign --vgpu "$uuid" --plane pipe_a_primary >"$log/assign.log" 2>&1 &
assign_pid=$!
for _ in $(seq 3000); do
	grep -q '^assigned fb' "$log/assign.log" && break
	kill -0 "$assign_pid" 2>/dev/null || break
	sleep 0.01
done
assign_ms=$((($(date +%s%N) - assign_t0) / 1000000))
if ! grep -q '^assigned fb' "$log/assign.log"; then
	bad "gvt-dflip assign: $(head -n 2 "$log/assign.log" | paste -sd ' ')"
	exit 1
fi
note "$(grep -m1 '^assigned fb' "$log/assign.log") (${assign_ms} ms from start, 10 ms polling)"

minor=''
for card in "$gpu"/drm/card*; do
	[ -e "$card" ] && { minor=${card##*card}; break; }
done
vgpu_id=$(cat "$vgpu/intel_vgpu/vgpu_id")
dbg=/sys/kernel/debug/dri/$minor/gvt/vgpu$vgpu_id/dflip
counters() {	# the pipe_a_primary numbers: applied latched queued coalesced held done rejected
	awk '
	/^pipe_a_primary:/ { on = 1; next }
	/^pipe_/ { on = 0 }
	on && $1 == "flips:" { a = $3; l = $5; q = $7; c = $9; h = $11; d = $13 }
	on && $1 == "rejected:" { for (i = 3; i <= NF; i += 2) r += $i }
	END { print a + 0, l + 0, q + 0, c + 0, h + 0, d + 0, r + 0 }' "$dbg"
}
if [ -r "$dbg" ]; then
	secs=${HWTEST_MEASURE:-10}
	read -r a0 l0 q0 c0 h0 d0 r0 < <(counters)
	t0=$(date +%s%N)
	sleep "$secs"
	read -r a1 l1 q1 c1 h1 d1 r1 < <(counters)
	t1=$(date +%s%N)
	cp "$dbg" "$log/debugfs-dflip.txt"
	rate() { awk -v n="$1" -v ns="$((t1 - t0))" 'BEGIN { printf "%.1f", n * 1e9 / ns }'; }
	note "flips over $(awk -v ns="$((t1 - t0))" 'BEGIN { printf "%.2f", ns / 1e9 }') s: applied $((a1 - a0)) ($(rate $((a1 - a0)))/s), latched $((l1 - l0)) ($(rate $((l1 - l0)))/s), queued $((q1 - q0)), coalesced $((c1 - c0)), held $((h1 - h0)), flip-done $((d1 - d0)) ($(rate $((d1 - d0)))/s), rejected $((r1 - r0))"
	[ $((l1 - l0)) -gt 0 ] || note "no guest flip latched while measuring (the guest was idle?)"
else
	bad "no debugfs counters at $dbg (debugfs not mounted?)"
fi
kill -TERM "$assign_pid"
wait "$assign_pid"
rc=$?
assign_pid=
if [ $rc = 0 ]; then
	note "gvt-dflip assign unassigned and exited 0 on SIGTERM"
else
	bad "gvt-dflip assign exited $rc on SIGTERM"
fi

# kselftest (guest running)
if [ -x "$work/gvt_dflip_test" ]; then
	"$work/gvt_dflip_test" >"$log/kselftest.tap" 2>&1
	rc=$?
	note "kselftest: $(grep -c '^ok .*# SKIP' "$log/kselftest.tap") skipped, $(grep -v '# SKIP' "$log/kselftest.tap" | grep -c '^ok ') passed, $(grep -c '^not ok ' "$log/kselftest.tap") failed (exit $rc)"
	[ $rc = 0 ] || [ $rc = 4 ] || bad "kselftest (see $log/kselftest.tap)"
else
	bad "no kselftest binary (no kselftest_harness.h: run mk/base.sh)"
fi

igt() {	# LOG ARGS...: run the IGT test, note its subtest results
	local out=$1 rc
	shift
	IGT_GVT_VGPU=$vgpu "$IGT_DIR/tests/$IGT_TEST" "$@" >"$log/$out" 2>&1
	rc=$?
	note "IGT $out: $(grep -c 'Subtest .*: SUCCESS' "$log/$out") passed, $(grep -c 'Subtest .*: SKIP' "$log/$out") skipped, $(grep -c 'Subtest .*: FAIL' "$log/$out") failed (exit $rc)"
	grep -E 'Subtest .*: (SKIP|FAIL)' "$log/$out" | sed 's/^/    /'
	[ $rc = 0 ] || [ $rc = 77 ] || bad "IGT $out (see $log/$out)"
}
igt igt-guest-running.log
stop_qemu
note "QEMU stopped"
igt igt-guest-stopped.log --run-subtest fb-lookup-vfio
igt igt-teardown.log --run-subtest teardown-while-assigned
igt igt-destroy.log --run-subtest destroy-while-assigned --allow-destroy
[ -e "$vgpu/remove" ] || note "vGPU $uuid removed by destroy-while-assigned"
exit $failed
