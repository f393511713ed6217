#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: build the benchmark kernel (testing/bench.kunitconfig: no
# sanitizers), run the dflip_bench KUnit suite in QEMU and write
# bench/RESULTS.md and its plot from the results.
#
#   mk/bench.sh
set -euo pipefail
. "$(dirname "$0")/env.sh"

out=$DFLIP_OUT/bench
build=$DFLIP_WORK/bench
mkdir -p "$out" "$build"
"$DFLIP_REPO/mk/base.sh"
dflip_lock_and_lay "$DFLIP_REPO"

dflip_log "bench: building and running the benchmark kernel (log: $out/kunit.log)"
start=$(date +%s)
cd "$DFLIP_TREE"
if ! python3 tools/testing/kunit/kunit.py run --arch=x86_64 \
	--kunitconfig="$DFLIP_REPO/testing/bench.kunitconfig" \
	--build_dir="$build" --jobs="$JOBS" \
	--make_options 'CC=ccache gcc' \
	--qemu_args='-smp 2' --qemu_args='-m 2048' \
	--timeout=900 --raw_output=all 'dflip_bench' > "$out/kunit.log" 2>&1; then
	tail -30 "$out/kunit.log" >&2
	dflip_die "bench: the benchmark kernel failed (see $out/kunit.log)"
fi
dflip_log "bench: kernel built and run in $(( $(date +%s) - start )) s"

# the paths again under -icount shift=0: the guest clock then counts
# executed instructions (one per ns), single-threaded TCG
dflip_log "bench: counting instructions under -icount (log: $out/kunit-icount.log)"
start=$(date +%s)
if ! python3 tools/testing/kunit/kunit.py exec --arch=x86_64 \
	--build_dir="$build" \
	--qemu_args='-smp 2' --qemu_args='-m 2048' \
	--qemu_args='-icount shift=0,align=off' \
	--timeout=1800 --raw_output=all 'dflip_bench.dflip_bench_paths' \
	> "$out/kunit-icount.log" 2>&1; then
	tail -30 "$out/kunit-icount.log" >&2
	dflip_die "bench: the -icount run failed (see $out/kunit-icount.log)"
fi
dflip_log "bench: -icount run in $(( $(date +%s) - start )) s"

cd "$DFLIP_REPO"
python3 bench/report.py --log "$out/kunit.log" \
	--config testing/bench.kunitconfig \
	--icount-log "$out/kunit-icount.log" \
	--md bench/RESULTS.md --svg bench/flip-cost.svg
dflip_log "bench: wrote bench/RESULTS.md and bench/flip-cost.svg"
