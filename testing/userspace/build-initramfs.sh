#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the userspace-tier initramfs: Debian's busybox-static, the
# statically linked gvt-dflip, the kselftest and the test helpers, the test
# scripts and /init.
#
#   testing/userspace/build-initramfs.sh OUTDIR
#
# Writes OUTDIR/initramfs.cpio.gz; OUTDIR/build and OUTDIR/root are
# scratch. The kselftest needs kselftest_harness.h from the kernel tree:
# KSFT_DIR names its directory (default: the laid or pristine base tree).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/mk/env.sh"

[ $# -eq 1 ] || dflip_die "usage: $0 OUTDIR"
out=$(mkdir -p "$1" && cd "$1" && pwd)
build=$out/build
root=$out/root
rm -rf "$build" "$root"
mkdir -p "$build" "$root"/{bin,dev,proc,sys,tmp,tests,share}

[ -x /bin/busybox ] || dflip_die "/bin/busybox missing (apt-get install busybox-static)"
ldd /bin/busybox >/dev/null 2>&1 &&
	dflip_die "/bin/busybox is not static (apt-get install busybox-static)"

ksft=${KSFT_DIR:-}
for d in "$DFLIP_TREE" "$(dflip_pristine)"; do
	[ -n "$ksft" ] && break
	[ -f "$d/tools/testing/selftests/kselftest_harness.h" ] &&
		ksft=$d/tools/testing/selftests
done
[ -n "$ksft" ] || dflip_die "no kselftest_harness.h: run mk/base.sh or set KSFT_DIR"

make -s -C "$repo/tools/gvt" OUT="$build" "$build/gvt-dflip" \
	"$build/test-fit" "$build/test-json" "$build/test-igt-args"
# the tool's build with the user's flags (issue #15: a command-line CFLAGS
# dropped the libdrm include path) and warning-free, tried here on the
# build host; the boot reports the results as the program 06-gvt-dflip-build
flags_tap=$build/build-flags.tap
: >"$flags_tap"
try_build() {	# N DESC OUTDIR MAKE-ARGS...
	local n=$1 desc=$2 dir=$3
	shift 3
	mkdir -p "$dir"
	if make -C "$repo/tools/gvt" OUT="$dir" "$@" "$dir/gvt-dflip" \
		>"$dir/log" 2>&1 && ! grep -q 'warning:' "$dir/log"; then
		echo "ok $n - $desc" >>"$flags_tap"
	else
		echo "not ok $n - $desc" >>"$flags_tap"
		sed 's/^/# /' "$dir/log" | tail -n 20 >>"$flags_tap"
	fi
}
try_build 1 "make -C tools/gvt builds gvt-dflip without a warning" \
	"$build/flags-default"
try_build 2 "make CFLAGS=-g builds it (libdrm's include path kept)" \
	"$build/flags-g" CFLAGS=-g
try_build 3 "make CFLAGS='-O0 -g' CPPFLAGS=-DDFLIP_VERSION=... LDFLAGS=-s builds it" \
	"$build/flags-all" "CFLAGS=-O0 -g" 'CPPFLAGS=-DDFLIP_VERSION=\"flags-test\"' \
	LDFLAGS=-s
if "$build/flags-all/gvt-dflip" --version 2>&1 | grep -qx 'gvt-dflip flags-test'; then
	echo "ok 4 - the command line's CPPFLAGS reach the compiler" >>"$flags_tap"
else
	echo "not ok 4 - the command line's CPPFLAGS reach the compiler" >>"$flags_tap"
fi
echo "1..4" >>"$flags_tap"

make -s -f "$here/kselftest.mk" \
	SRC="$repo/tools/testing/selftests/drivers/gpu/gvt_dflip" \
	OUTPUT="$build" KSFT_DIR="$ksft"
cflags=(-static -O2 -Wall -Wextra $(pkg-config --cflags libdrm))
for h in dumbfb jsoncheck ueventsend; do
	gcc "${cflags[@]}" -o "$build/$h" "$here/$h.c" -ldrm
done

cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list); do
	[ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
done
cp "$build"/{gvt-dflip,dumbfb,jsoncheck,ueventsend} "$root/bin/"
cp "$build/gvt_dflip_test" "$root/tests/90-kselftest-gvt_dflip"
# the tool's unit tests (make -C tools/gvt check), TAP like the scripts
for t in fit json igt-args; do
	cp "$build/test-$t" "$root/tests/05-gvt-dflip-unit-$t"
done
cp "$here"/tests/* "$root/tests/"
{
	echo '#!/bin/sh'
	echo '# the host build of gvt-dflip with the user flags (build-initramfs.sh)'
	echo "cat <<'TAP'"
	cat "$flags_tap"
	echo 'TAP'
	echo "! grep -q '^not ok' <<'TAP'"
	cat "$flags_tap"
	echo 'TAP'
} >"$root/tests/06-gvt-dflip-build"
chmod +x "$root/tests/06-gvt-dflip-build"
# the JSON schema of list --json that 40-gvt-dflip-cli.sh checks against
cp "$repo/tools/gvt/gvt-dflip.rst" "$root/share/"
install -m 0755 "$here/init" "$root/init"
[ "$(id -u)" = 0 ] && mknod "$root/dev/console" c 5 1

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -9 >"$out/initramfs.cpio.gz"
echo "$out/initramfs.cpio.gz"
