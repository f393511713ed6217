#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Compile-check kms_gvt_direct_flip.c against an igt-gpu-tools source tree.
#
#   tools/igt/compile-check.sh [--link] IGT_SRC [BUILD_DIR]
#
# IGT_SRC is a scratch checkout of igt-gpu-tools: the script drops the test
# into IGT_SRC/tests/intel/ and adds it to intel_kms_progs in
# IGT_SRC/tests/meson.build (idempotent), as upstreaming it would. Nothing
# of IGT is copied into this repository.
#
# BUILD_DIR (default IGT_SRC/build-gvt-check) is configured with meson once,
# minimally (no docs, runner, overlay, chamelium, Xe), which generates
# config.h and compile_commands.json. Then the test is compiled with IGT's
# own flags for it plus -fsyntax-only -Werror (seconds). With --link the
# IGT library and the test are built and linked with ninja (minutes), and
# the binary must list its 10 subtests, igt_doc.py --check-testlist must
# find its TEST/SUBTEST documentation matching them, and on a machine
# without a Gen9 GPU and vGPU it must exit 77 (IGT's SKIP).
#
# Exit status: 0 clean, 1 a compile/link/run check failed, 2 usage or
# configuration problem (meson missing, configure failed).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
test=kms_gvt_direct_flip

link=0
if [ "${1:-}" = --link ]; then
	link=1
	shift
fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	sed -n '3,20p' "$0" >&2
	exit 2
fi
src=$(cd "$1" && pwd)
build=${2:-$src/build-gvt-check}
if [ ! -f "$src/meson.build" ] || [ ! -f "$src/lib/igt_kms.h" ]; then
	echo "compile-check: $src is not an igt-gpu-tools tree" >&2
	exit 2
fi
if ! command -v meson >/dev/null || ! command -v ninja >/dev/null; then
	echo "compile-check: needs meson and ninja (apt-get install meson ninja-build)" >&2
	exit 2
fi

install -m 0644 "$here/$test.c" "$src/tests/intel/$test.c"
install -m 0644 "$here/gvt_dflip_args.h" "$src/tests/intel/gvt_dflip_args.h"
if ! grep -q "'$test'," "$src/tests/meson.build"; then
	sed -i "s/^intel_kms_progs = \[$/&\n\t'$test',/" "$src/tests/meson.build"
	grep -q "'$test'," "$src/tests/meson.build" ||
		{ echo "compile-check: no 'intel_kms_progs = [' in tests/meson.build" >&2; exit 2; }
fi

if [ ! -f "$build/build.ninja" ]; then
	if ! meson setup "$build" "$src" -Doverlay=disabled -Dchamelium=disabled \
		-Dvalgrind=disabled -Dman=disabled -Dtestplan=disabled \
		-Dsphinx=disabled -Ddocs=disabled -Drunner=disabled \
		-Doping=disabled -Dxe_driver=disabled >"$build.meson.log" 2>&1; then
		echo "compile-check: meson setup failed (see $build.meson.log):" >&2
		grep -m3 'ERROR' "$build.meson.log" >&2 || tail -3 "$build.meson.log" >&2
		exit 2
	fi
else
	# the test may be new to an existing build directory
	meson setup --reconfigure "$build" "$src" >"$build.meson.log" 2>&1 ||
		{ echo "compile-check: meson reconfigure failed (see $build.meson.log)" >&2; exit 2; }
fi

# IGT's compile command for the test, made a syntax check
cmd=$(python3 - "$build/compile_commands.json" "$test" <<'EOF'
import json, shlex, sys
for e in json.load(open(sys.argv[1])):
    if e['file'].endswith('tests/intel/' + sys.argv[2] + '.c'):
        args = shlex.split(e['command'])
        out, skip = [], 0
        for a in args:
            if skip:
                skip -= 1
                continue
            if a in ('-o', '-MQ', '-MF'):
                skip = 1
                continue
            if a in ('-MD', '-c'):
                continue
            out.append(a)
        print(shlex.join(out + ['-fsyntax-only', '-Werror']))
        break
EOF
)
[ -n "$cmd" ] || { echo "compile-check: $test is not in $build/compile_commands.json" >&2; exit 2; }
if ! (cd "$build" && eval "$cmd"); then
	echo "compile-check: $test.c does not compile cleanly against $src" >&2
	exit 1
fi
echo "compile-check: $test.c compiles with IGT's flags and -Werror ($(git -C "$src" describe --always 2>/dev/null || echo "$src"))"
[ $link = 1 ] || exit 0

if ! ninja -C "$build" "tests/$test" >"$build.ninja.log" 2>&1; then
	echo "compile-check: building tests/$test failed (see $build.ninja.log):" >&2
	grep -m5 -E 'error|undefined' "$build.ninja.log" >&2 || tail -5 "$build.ninja.log" >&2
	exit 1
fi
bin=$build/tests/$test
n=$("$bin" --list-subtests | wc -l)
[ "$n" = 10 ] || { echo "compile-check: $test lists $n subtests, expected 10" >&2; exit 1; }
# the TEST/SUBTEST documentation matches the subtests (IGT's testplan check)
if ! ninja -C "$build" "tests/$test.testlist" >>"$build.ninja.log" 2>&1 ||
   ! out=$(cd "$src" && python3 scripts/igt_doc.py \
		--config tests/intel/kms_test_config.json --check-testlist \
		--igt-build-path "$build" --files "tests/intel/$test.c" 2>&1) ||
   echo "$out" | grep -q ERROR; then
	echo "compile-check: the test's documentation does not match its subtests:" >&2
	echo "$out" | grep -m5 ERROR >&2
	exit 1
fi
rc=0
IGT_GVT_VGPU='' "$bin" >"$build.run.log" 2>&1 || rc=$?
if [ -e /sys/bus/pci/drivers/i915 ] && ls /sys/bus/pci/devices/*/mdev_supported_types >/dev/null 2>&1; then
	echo "compile-check: linked; this machine has i915 with GVT-g, run result $rc not judged"
elif [ $rc = 77 ]; then
	echo "compile-check: linked; lists 10 subtests; skips here (exit 77): $(grep -m1 -i 'skip\|require' "$build.run.log")"
else
	echo "compile-check: $test exited $rc here, expected 77 (SKIP):" >&2
	tail -5 "$build.run.log" >&2
	exit 1
fi
