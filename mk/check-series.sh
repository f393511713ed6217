#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Series tier: the exported series (out/series) applies with git am onto the
# pristine base and gives the same tree as the overlay; checkpatch --strict
# is clean on every patch; kernel-doc is silent on every new file; and every
# patch, applied in order, compiles the objects it touches with W=1 and
# sparse (bisectable), with no warning that the base did not have.
# Needs the KUnit tier's .config (run after it).
set -uo pipefail
. "$(dirname "$0")/env.sh"
res=$1
mkdir -p "$(dirname "$res")"
: > "$res"
pass() { echo "PASS series.$1" >> "$res"; }
fail() { echo "FAIL series.$1: $2" >> "$res"; }

# one user of the series repository at a time
exec 8>"$DFLIP_WORK/series.lock"
flock 8

G=$DFLIP_SERIES_GIT
B=$DFLIP_WORK/bisect
out=$DFLIP_OUT/series
if ! python3 "$DFLIP_REPO/mk/series.py" build --git "$G" \
		--pristine "$(dflip_pristine)" --out "$out"; then
	fail format-patch "the series could not be generated"
	exit 0
fi
# writing the series git back (series.py refresh) gives patches/ and the
# overlay exactly as they are: the refresh recipe of README loses nothing
if rd=$(python3 "$DFLIP_REPO/mk/series.py" refresh --git "$G" --dry-run 2>&1) &&
   echo "$rd" | grep -q '^series: 0 files differ'; then
	pass refresh-round-trip
else
	fail refresh-round-trip "$(echo "$rd" | head -3 | paste -sd ' ')"
fi
mapfile -t patches < <(ls "$out"/[0-9][0-9][0-9][0-9]-*.patch | grep -v /0000-)
[ ${#patches[@]} -gt 0 ] || { fail format-patch "no patches"; exit 0; }

# git am onto the pristine base
git -C "$G" am --abort >/dev/null 2>&1
git -C "$G" checkout -q -f --detach base && git -C "$G" reset -q --hard base &&
	git -C "$G" clean -q -fdx
if git -C "$G" -c user.name=check -c user.email=check@localhost am -q "${patches[@]}" > "$DFLIP_WORK/am.log" 2>&1; then
	pass git-am
else
	fail git-am "$(head -3 "$DFLIP_WORK/am.log")"
	git -C "$G" am --abort >/dev/null 2>&1
	exit 0
fi
if git -C "$G" diff --quiet dflip HEAD; then
	pass same-tree-as-overlay
else
	fail same-tree-as-overlay "git am result differs from the laid overlay"
fi
# the series' last commit has every file it touches as make lays it for the
# other tiers (a Makefile staged wrong, say, shows here); the files that the
# build-only adaptations of patches/dropin/ change are laid differently
differ=
for f in $(python3 "$DFLIP_REPO/mk/series.py" files --not-adapted); do
	cmp -s <(git -C "$G" show "HEAD:$f" 2>/dev/null) "$DFLIP_TREE/$f" ||
		differ="$differ $f"
done
if [ -z "$differ" ]; then
	pass last-commit-as-laid
else
	fail last-commit-as-laid "differs from the laid tree:$(echo $differ | cut -c1-200)"
fi
am_head=$(git -C "$G" rev-parse HEAD)

# checkpatch --strict, run in the series tree: checkpatch NAME ARGS... passes
# NAME when checkpatch finds nothing (input on stdin for ARGS ending in -)
ignore=$(grep -v '^#' "$DFLIP_REPO/testing/checkpatch.ignore" | cut -d' ' -f1 | paste -sd, -)
checkpatch() {
	local name=$1 out1 total
	shift
	out1=$(cd "$G" && scripts/checkpatch.pl --strict --no-tree --show-types \
		${ignore:+--ignore "$ignore"} "$@" 2>&1)
	total=$(echo "$out1" | grep -E '^total:')
	if echo "$total" | grep -q '^total: 0 errors, 0 warnings, 0 checks'; then
		pass "checkpatch.$name"
	else
		fail "checkpatch.$name" "$total $(echo "$out1" | grep -m2 -E '^(ERROR|WARNING|CHECK)')"
	fi
}

# on every patch
for p in "${patches[@]}"; do
	checkpatch "$(basename "$p" .patch)" "$p"
done

# on the diffs of the build-only adaptations too (not exported, so there
# is no commit to check: the diff alone)
for p in "$DFLIP_REPO"/patches/dropin/[0-9][0-9][0-9][0-9]-*.patch; do
	[ -e "$p" ] || continue
	sed -n '/^diff --git /,$p' "$p" |
		checkpatch "dropin-$(basename "$p" .patch | cut -c1-4)" --no-signoff -
done

# ... and on the new files they add, whole
for f in $(python3 "$DFLIP_REPO/mk/series.py" files --adaptations); do
	checkpatch "$f" -f "$DFLIP_REPO/$f"
done

# kernel-doc on every new C file and header (the series' and the
# adaptations')
for f in $(python3 "$DFLIP_REPO/mk/series.py" files --new) \
	 $(python3 "$DFLIP_REPO/mk/series.py" files --adaptations); do
	case "$f" in *.c|*.h) ;; *) continue ;; esac
	src=$f	# an adaptation's file is not in the series tree
	[ -e "$G/$f" ] || src=$DFLIP_REPO/$f
	kd=$(cd "$G" && scripts/kernel-doc -none -Wall "$src" 2>&1)
	if [ -z "$kd" ]; then
		pass "kernel-doc.$f"
	else
		fail "kernel-doc.$f" "$(echo "$kd" | head -2)"
	fi
done

# Bisectability: each commit compiles the C files it touches (W=1, sparse).
kmake() {
	make -C "$G" O="$B" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" -s "$@"
}
build_tools() {	# the userspace tools and the kselftest, warnings are errors
	local t
	t=$(mktemp -d)
	if [ -d "$G/tools/gvt" ]; then
		make -s -C "$G/tools/gvt" OUT="$t" CC="gcc -Werror" "$t/gvt-dflip" || { rm -rf "$t"; return 1; }
	fi
	if [ -d "$G/tools/testing/selftests/drivers/gpu/gvt_dflip" ]; then
		make -s -f "$DFLIP_REPO/testing/userspace/kselftest.mk" \
			SRC="$G/tools/testing/selftests/drivers/gpu/gvt_dflip" \
			KSFT_DIR="$G/tools/testing/selftests" OUTPUT="$t" \
			CC="gcc -Werror" || { rm -rf "$t"; return 1; }
	fi
	rm -rf "$t"
}
normalize() { sed -E 's/:[0-9]+(:[0-9]+)?:/:/' | sort -u; }
objs_warnings() {	# C=N FILE.c... -> their warnings, normalized
	local sparse=$1
	shift
	[ $# -gt 0 ] || return 0
	local out
	if ! out=$(kmake W=1 "$sparse" $(printf '%s\n' "$@" | sed 's/\.c$/.o/') 2>&1); then
		echo "make-failed: $(echo "$out" | grep -m1 -E 'error|Error|No rule')"
	fi
	echo "$out" | grep -E 'warning:|error:' | normalize
}
compile_warnings() {	# FILE.c -> its warnings, normalized
	kmake W=1 C=2 "${1%.c}.o" 2>&1 | grep -E 'warning:|error:' | normalize
}
mkdir -p "$B"
[ -f "$DFLIP_KUNIT_BUILD/.config" ] || { fail bisect "no test kernel .config (the KUnit tier must run first)"; exit 0; }
# the test kernel's config plus the benchmark's options (tracing and
# DRM_I915_GVT_DFLIP_BENCH), so that every added file compiles with its
# options on
cat "$DFLIP_KUNIT_BUILD/.config" "$DFLIP_REPO/testing/bench.kunitconfig" \
	> "$B/.config.want"
cmp -s "$B/.config.want" "$B/.config.kunit" || {
	mv "$B/.config.want" "$B/.config.kunit"
	rm -f "$B/.prepared"
}
commits=$(git -C "$G" rev-list --reverse base.."$am_head")
upstream_c=$(git -C "$G" diff --name-only --diff-filter=M base "$am_head" -- '*.c')
git -C "$G" checkout -q -f base
if [ ! -f "$B/.prepared" ]; then
	cp "$B/.config.kunit" "$B/.config"
	kmake olddefconfig && kmake prepare && touch "$B/.prepared"
fi
declare -A basewarn
for f in $upstream_c; do
	basewarn[$f]=$(compile_warnings "$f")
done
n=0
for c in $commits; do
	n=$((n + 1))
	git -C "$G" checkout -q -f "$c"
	cp "$B/.config.kunit" "$B/.config"
	bad=
	kmake olddefconfig > /dev/null 2>&1 || bad="olddefconfig failed"
	# the C files this commit changes, and every C file the series has
	# added so far (a header change must not break them)
	if git -C "$G" diff-tree --no-commit-id --name-only -r "$c" | grep -q '^tools/'; then
		w=$(build_tools 2>&1) || bad="$bad tools: $(echo "$w" | grep -m2 -E 'error|warning')"
	fi
	touched=$(git -C "$G" diff-tree --no-commit-id --name-only -r "$c" -- '*.c' |
		  grep -v '^tools/')
	added=$(git -C "$G" diff --name-only --diff-filter=A base "$c" -- '*.c' |
		grep -v '^tools/')
	# sparse on what the commit touches, W=1 on all of it, one make each
	w=$( { objs_warnings C=2 $touched
	       objs_warnings C=0 $(comm -13 <(echo "$touched" | sort) <(echo "$added" | sort)); } )
	case "$w" in *make-failed:*) bad="$bad $(echo "$w" | grep -m1 make-failed)" ;; esac
	# every warning of these builds is new unless the base had it (a
	# warning in an inline header function names the .c file only in
	# its "inlined from" line, so nothing is filtered by file name)
	new=$(comm -13 <(printf '%s\n' "${basewarn[@]}" | sort -u) \
		       <(echo "$w" | grep -v '^make-failed' | sort -u) | grep -v '^$')
	[ -z "$new" ] || bad="$bad $(echo "$new" | head -2)"
	if [ -z "$bad" ]; then
		pass "bisect.$(printf %04d $n)"
	else
		fail "bisect.$(printf %04d $n)" "$bad"
	fi
done
git -C "$G" checkout -q -f dflip
exit 0
