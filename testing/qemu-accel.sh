#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Choose the QEMU accelerator for a test kernel: KVM when a short boot of
# that kernel under KVM reaches init within a bound, else TCG. A /dev/kvm
# that exists is not enough: nested KVM can stall a guest in its
# decompressor, and -cpu host can abort on an MSR.
#
#   testing/qemu-accel.sh BZIMAGE
#
# Prints "kvm" or "tcg" on stdout and one line on stderr saying which and
# why. DFLIP_ACCEL=kvm|tcg skips the probe; DFLIP_ACCEL_PROBE_TIMEOUT
# (seconds, default 30) bounds the probe boot.
set -euo pipefail

say() {	# ACCEL REASON
	echo "accelerator: $1 ($2)" >&2
	echo "$1"
	exit 0
}

# the last non-empty line of FILE as plain text: terminal escape sequences
# (the firmware's and the kernel's colour and cursor codes) and other
# control characters dropped, at most 160 characters
last_line() {	# FILE
	sed -e 's|\x1b\[[0-?]*[ -/]*[@-~]||g' -e 's|\x1b[^[]||g' "$1" 2>/dev/null |
		tr -d '\000-\010\013-\037\177' | grep -v '^[[:space:]]*$' | tail -n1 | cut -c1-160
}

[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: $0 BZIMAGE" >&2; exit 2; }
case ${DFLIP_ACCEL:-} in
kvm|tcg) say "$DFLIP_ACCEL" "DFLIP_ACCEL=$DFLIP_ACCEL, not probed" ;;
'') ;;
*) echo "error: DFLIP_ACCEL=$DFLIP_ACCEL: use kvm or tcg" >&2; exit 2 ;;
esac
bound=${DFLIP_ACCEL_PROBE_TIMEOUT:-30}
[[ $bound =~ ^[1-9][0-9]*$ ]] ||
	{ echo "error: DFLIP_ACCEL_PROBE_TIMEOUT=$bound: not a number of seconds" >&2; exit 2; }
[ -c /dev/kvm ] || say tcg "no /dev/kvm"
[ -r /dev/kvm ] && [ -w /dev/kvm ] || say tcg "/dev/kvm is not readable and writable by $(id -un)"
[ -x /bin/busybox ] || say tcg "no /bin/busybox to build the probe's init"

work=$(mktemp -d /tmp/gvt-dflip-accel.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/bin"
cp /bin/busybox "$work/root/bin/busybox"
printf '#!/bin/busybox sh\necho DFLIP-ACCEL-PROBE-INIT\n/bin/busybox poweroff -f\n' \
	>"$work/root/init"
chmod 0755 "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$work/probe.cpio.gz"

start=$(date +%s)
rc=0
timeout "$bound" qemu-system-x86_64 -accel kvm -nographic -no-reboot \
	-smp 2 -m 2048 -kernel "$1" -initrd "$work/probe.cpio.gz" \
	-append "console=ttyS0 kunit.enable=0 rdinit=/init panic=-1" \
	-serial "file:$work/console" -monitor none \
	</dev/null >"$work/qemu.out" 2>&1 || rc=$?
elapsed=$(($(date +%s) - start))
if grep -q DFLIP-ACCEL-PROBE-INIT "$work/console" 2>/dev/null; then
	say kvm "a KVM boot reached init in ${elapsed} s"
fi
if [ "$rc" = 124 ]; then
	last=$(last_line "$work/console")
	say tcg "a KVM boot did not reach init within ${bound} s; last console line: ${last:-none}"
fi
say tcg "QEMU with KVM exited $rc before init: $(last_line "$work/qemu.out")"
