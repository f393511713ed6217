#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make check: every test tier, in the order that their inputs need, then one
# summary ending with "N passed, N failed". Exits non-zero when any test
# failed or any tier ran nothing.
set -uo pipefail
. "$(dirname "$0")/env.sh"
cd "$DFLIP_REPO"
R=$DFLIP_OUT/results
rm -rf "$R"
mkdir -p "$R"
start=$(date +%s)

tier() {	# NAME SCRIPT
	local t0=$(date +%s)
	dflip_log "tier $1: start"
	"$2" "$R/$1.results"
	echo $(( $(date +%s) - t0 )) > "$R/$1.time"
	dflip_log "tier $1: done in $(( $(date +%s) - t0 )) s:" \
		"$(grep -c '^PASS' "$R/$1.results" 2>/dev/null) passed," \
		"$(grep -c '^FAIL' "$R/$1.results" 2>/dev/null) failed," \
		"$(grep -c '^SKIP' "$R/$1.results" 2>/dev/null) skipped"
	grep '^FAIL' "$R/$1.results" 2>/dev/null | head -20
}

mk/base.sh || dflip_die "tier setup: preparing the base tree failed"
python3 mk/series.py check || dflip_die "tier setup: patches/ is inconsistent"
# under the tree lock (released when the subshell ends): another checkout's
# build may be using the shared tree
(dflip_lock_and_lay) ||
	dflip_die "tier setup: the overlay does not lay onto the base"

tiers=(hwtest-prereq kunit userspace modules packaging series)
tier hwtest-prereq mk/check-hwtest-prereq.sh
tier kunit mk/check-kunit.sh
tier userspace mk/check-userspace.sh
tier modules mk/check-modules.sh
tier packaging mk/check-packaging.sh
tier series mk/check-series.sh

echo
dflip_log "make check took $(( $(date +%s) - start )) s"
python3 mk/results.py summary "$R" "${tiers[@]}"
