#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Userspace tier: boot the test kernel in QEMU with the initramfs of
# build-initramfs.sh, vkms (built in) and a two-output virtio-gpu, collect
# the KTAP that /init writes to ttyS1, and judge the run.
#
#   testing/userspace/run.sh BZIMAGE
#
# Prints one line per test and "userspace: N passed, N failed, N skipped";
# exits non-zero on a failed test, on a run that ran nothing or did not
# finish, and on a KASAN/UBSAN/lockdep/might_sleep report in the kernel log.
# The logs go to out/userspace-console.log and out/userspace-ktap.log.
# USERSPACE_TIMEOUT (seconds, default 900) bounds the whole boot.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/mk/env.sh"

[ $# -eq 1 ] || dflip_die "usage: $0 BZIMAGE"
[ -f "$1" ] || dflip_die "no kernel image $1"
work=$(mktemp -d /tmp/gvt-dflip-userspace.XXXXXX)
trap 'rm -rf "$work"' EXIT
# the shared test kernel may be rebuilt by another run meanwhile
cp "$1" "$work/bzImage"
"$here/build-initramfs.sh" "$work" >/dev/null

mkdir -p "$DFLIP_OUT"
console=$DFLIP_OUT/userspace-console.log
ktap=$DFLIP_OUT/userspace-ktap.log
rm -f "$console" "$ktap"

# KVM only when a short KVM boot of this kernel reaches init
accel=$("$repo/testing/qemu-accel.sh" "$work/bzImage" 2>"$work/accel") ||
	dflip_die "choosing the accelerator failed: $(cat "$work/accel")"
echo "userspace: $(cat "$work/accel")"
bios=()
[ -f /usr/share/qemu/qboot.rom ] && bios=(-bios qboot.rom)
cmdline="console=ttyS0 kunit.enable=0 rdinit=/init panic=-1 oops=panic"
cmdline+=" vkms.enable_writeback=1 vkms.enable_overlay=1 vkms.enable_cursor=1"

start=$(date +%s)
rc=0
timeout "${USERSPACE_TIMEOUT:-900}" qemu-system-x86_64 -accel "$accel" \
	-nographic -no-reboot -smp 2 -m 2048 "${bios[@]}" \
	-kernel "$work/bzImage" -initrd "$work/initramfs.cpio.gz" \
	-append "$cmdline" \
	-device virtio-gpu-pci,max_outputs=2 -vga none \
	-serial mon:stdio -serial "file:$ktap" \
	</dev/null >"$console" 2>&1 || rc=$?
elapsed=$(($(date +%s) - start))
[ -f "$ktap" ] || : >"$ktap"

# KTAP: top-level lines are programs, lines indented by four spaces are
# the programs' own tests. A program that failed without a failing test of
# its own (crash, timeout) counts as one failure.
parse() {
	tr -d '\r' <"$ktap" | awk -v counts="$work/counts" '
	function result(line, prog,   ok, desc, reason) {
		ok = line !~ /^not ok/
		sub(/^(not )?ok [0-9]+ (- )?/, "", line)
		desc = line; reason = ""
		if (match(line, / # [Ss][Kk][Ii][Pp]/)) {
			desc = substr(line, 1, RSTART - 1)
			reason = substr(line, RSTART + 7)
			sub(/^ +/, "", reason)
			printf "skip    %s: %s (%s)\n", prog, desc,
				reason == "" ? "no reason given" : reason
			skipped++
			return
		}
		sub(/ # .*/, "", desc)
		if (ok) { printf "ok      %s: %s\n", prog, desc; passed++ }
		else { printf "not ok  %s: %s\n", prog, desc; failed++ }
	}
	/^    # Subtest: / { prog = $3; leaves = 0; leaf_failed = 0; next }
	/^    (not )?ok [0-9]+/ {
		line = $0; sub(/^    /, "", line)
		leaves++
		if (line ~ /^not ok/) leaf_failed++
		result(line, prog)
		next
	}
	/^(not )?ok [0-9]+/ {
		programs++
		if (leaves == 0) { result($0, "program"); next }
		if ($0 ~ /^not ok/ && !leaf_failed) {
			line = $0; sub(/^not ok [0-9]+ /, "", line)
			printf "not ok  %s\n", line; failed++
		}
		leaves = 0
		next
	}
	/^# userspace tier done/ { done = 1 }
	END {
		printf "%d %d %d %d %d\n", passed, failed, skipped, programs, \
			done > counts
	}'
}
parse
read -r passed failed skipped programs done <"$work/counts"

bad=0
if [ "$rc" = 124 ]; then
	echo "userspace: QEMU timed out after ${USERSPACE_TIMEOUT:-900} s (accel $accel); the boot stopped at:"
	tr -d '\r' <"$console" | grep -v '^$' | tail -n 8 | sed 's/^/    | /'
	bad=1
elif [ "$rc" -ne 0 ]; then
	echo "userspace: QEMU exited $rc"
	bad=1
fi
if [ "$done" != 1 ]; then
	echo "userspace: /init did not finish (see $console)"
	bad=1
fi
if [ $((passed + failed + skipped)) -eq 0 ]; then
	echo "userspace: the boot ran no test"
	bad=1
fi
reports='BUG: KASAN|UBSAN:|possible circular locking|possible recursive locking|inconsistent lock state|BUG: sleeping function'
if grep -Eq "$reports" "$console"; then
	echo "userspace: kernel reports in $console:"
	grep -E "$reports" "$console" | sort | uniq -c | sed 's/^/    /'
	bad=1
fi
echo "userspace: boot and tests took ${elapsed} s (accel $accel)"
echo "userspace: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$bad" -eq 0 ]
