#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make check-repeat N=20: build the KUnit test kernel once (as the KUnit tier
# does) and run every KUnit suite in it N times, each a fresh boot on 2
# vCPUs under TCG. Fails when any run has a failed test or a sanitizer
# report: a test that passes only most of the time is a failure. Not part
# of make check (N boots of about a minute each).
#
#   mk/check-repeat.sh [N]        (default 20)
set -uo pipefail
. "$(dirname "$0")/env.sh"
n=${1:-20}
[[ $n =~ ^[1-9][0-9]*$ ]] || dflip_die "N=$n: not a positive number of runs"
out=$DFLIP_OUT/repeat
rm -rf "$out"
mkdir -p "$out"

"$DFLIP_REPO/mk/base.sh" || dflip_die "preparing the base tree failed"
dflip_lock_and_lay >/dev/null || dflip_die "the overlay does not lay onto the base"
cd "$DFLIP_TREE" || dflip_die "no build tree"
kunit() {	# SUBCOMMAND [ARGS]
	python3 tools/testing/kunit/kunit.py "$1" --arch=x86_64 \
		--kunitconfig="$DFLIP_REPO/testing/kunitconfig" \
		--build_dir="$DFLIP_KUNIT_BUILD" "${@:2}"
}
dflip_log "check-repeat: building the test kernel"
kunit build --jobs="$JOBS" --make_options 'CC=ccache gcc' \
	>"$out/build.log" 2>&1 || dflip_die "the test kernel did not build (see $out/build.log)"

bad=0
for i in $(seq 1 "$n"); do
	t0=$(date +%s)
	kunit exec --qemu_args='-smp 2' --qemu_args='-m 2048' --timeout=1800 \
		--json="$out/run$i.json" >"$out/run$i.log" 2>&1
	python3 "$DFLIP_REPO/mk/results.py" kunit-json kunit "$out/run$i.json" \
		"$out/run$i.log" "$out/run$i.results"
	p=$(grep -c '^PASS' "$out/run$i.results")
	f=$(grep -c '^FAIL' "$out/run$i.results")
	dflip_log "check-repeat: run $i/$n: $p passed, $f failed ($(( $(date +%s) - t0 )) s)"
	grep '^FAIL' "$out/run$i.results" | head -5
	[ "$f" -eq 0 ] || bad=$((bad + 1))
done
echo "$((n - bad)) passed, $bad failed"
[ "$bad" -eq 0 ]
