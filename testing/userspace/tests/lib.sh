# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers of the userspace-tier test scripts. Sourced, not run.
# Every check prints one TAP line; the plan comes last (tap_done).
# Results may come from several processes at once (lease children): the
# counter lives in a file, taken under a lock.

TAP_DIR=${TAP_DIR:-$(mktemp -d /tmp/tap.XXXXXX)}
export TAP_DIR
[ -f "$TAP_DIR/n" ] || echo 0 >"$TAP_DIR/n"
: >>"$TAP_DIR/failed"

tap_line() {
	# busybox-static has no flock: mkdir is the atomic lock
	while ! mkdir "$TAP_DIR/lock" 2>/dev/null; do
		sleep 0.05
	done
	n=$(($(cat "$TAP_DIR/n") + 1))
	echo $n >"$TAP_DIR/n"
	echo "$1 $n - $2"
	rmdir "$TAP_DIR/lock"
}

ok() { tap_line ok "$*"; }
not_ok() { tap_line "not ok" "$*"; echo x >>"$TAP_DIR/failed"; }

# check DESC CMD...: ok when CMD succeeds
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# expect_rc RC DESC CMD...: ok when CMD exits with RC
expect_rc() {
	want=$1 desc=$2
	shift 2
	"$@"
	got=$?
	if [ "$got" = "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc # exit $got, expected $want"
	fi
}

tap_done() {
	echo "1..$(cat "$TAP_DIR/n")"
	[ ! -s "$TAP_DIR/failed" ]
}

# card DRIVER: /dev/dri/cardN of a DRM driver (from debugfs "name")
card() {
	for f in /sys/kernel/debug/dri/*/name; do
		read -r name _ <"$f"
		[ "$name" = "$1" ] || continue
		n=${f%/name}
		n=${n##*/}
		[ -c /dev/dri/card$n ] || continue
		echo /dev/dri/card$n
		return 0
	done
	return 1
}

# card_minor /dev/dri/cardN: N
card_minor() { echo "${1#/dev/dri/card}"; }

# bg OUT CMD...: run CMD in the background, stdout to OUT; pid in BG
bg() {
	out=$1
	shift
	"$@" >"$out" &
	BG=$!
}

# wait_for FILE REGEX [SECONDS]: wait until a line of FILE matches
wait_for() {
	i=0
	while [ $i -lt $((${3:-30} * 10)) ]; do
		grep -Eq "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_file FILE [SECONDS]: wait until FILE exists
wait_file() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt $((${2:-30} * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$1" ]
}

# exited PID: the child has exited (a zombie until reaped) or is gone
exited() {
	st=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" \
		2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ]
}

# stop PID: SIGTERM and reap; returns the exit status. A process that does
# not exit within STOP_SECONDS (default 60) is reported with where it
# sleeps in the kernel and killed, so that a hang fails one check instead
# of the whole boot.
stop() {
	kill -TERM "$1" 2>/dev/null
	i=$((${STOP_SECONDS:-60} * 10))
	while ! exited "$1" && [ $i -gt 0 ]; do
		sleep 0.1
		i=$((i - 1))
	done
	if ! exited "$1"; then
		echo "# pid $1 ($(cat /proc/$1/comm)) ignored SIGTERM for" \
			"${STOP_SECONDS:-60} s; kernel wait: $(cat /proc/$1/wchan)"
		cat "/proc/$1/stack" 2>/dev/null | sed 's/^/#   /'
		kill -KILL "$1"
		wait "$1"
		return 137
	fi
	wait "$1"
}

# dumbfb DEVICE ARGS...: start a framebuffer holder; FB and FB_PID set
dumbfb_start() {
	f=$(mktemp /tmp/dumbfb.XXXXXX)
	bg "$f" dumbfb --device "$@"
	FB_PID=$BG
	FB=
	wait_for "$f" '^fb [0-9]+$' 10 && FB=$(sed -n 's/^fb //p' "$f")
	[ -n "$FB" ]
}

# assigned_field FILE K: field K (1 fb, 2 plane, 3 crtc) of the
# "assigned fb F to plane P on crtc C" line in FILE
assigned_field() {
	sed -n "s/^assigned fb \([0-9]*\) to plane \([0-9]*\) on crtc \([0-9]*\)$/\\$2/p" "$1" | head -n 1
}

# crcs MINOR N: N CRC values of vkms' crtc-0 (empty on failure)
crcs() {
	d=/sys/kernel/debug/dri/$1/crtc-0/crc
	echo auto >"$d/control" || return 1
	# entries come as "frame crc" lines with blank lines between them
	timeout 60 awk -v n="$2" 'NF >= 2 { print $2; if (++i == n) exit }' \
		"$d/data"
}

# stable_crc MINOR: print the CRC when 3 consecutive frames agree
stable_crc() {
	v=$(crcs "$1" 3 | sort -u)
	[ -n "$v" ] && [ "$(echo "$v" | wc -l)" = 1 ] && echo "$v"
}

# json_has JSONFILE PATTERN...: every grep pattern matches jsoncheck output
json_has() {
	flat=$(jsoncheck <"$1") || return 1
	shift
	for p in "$@"; do
		echo "$flat" | grep -Eq "$p" || {
			echo "missing in JSON: $p" >&2
			return 1
		}
	done
}

# plane_field DEVICE PLANE_ID FIELD: a field of a plane in list --json
# (strings keep their quotes, absent ids print "null")
plane_field() {
	gvt-dflip list --json --device "$1" | jsoncheck |
	awk -F= -v id="$2" -v f="$3" '
	{ v[$1] = $2 }
	$1 ~ /\.planes\[[0-9]+\]\.id$/ && $2 == id {
		p = substr($1, 1, length($1) - 2)
	}
	END { if (p != "") print v[p f] }'
}

# crtc_active DEVICE INDEX: the "active" field of a CRTC in list --json
crtc_active() {
	gvt-dflip list --json --device "$1" | jsoncheck |
	sed -n "s/^\.devices\[0\]\.crtcs\[$2\]\.active=//p"
}

# json_schema JSONFILE SCHEMAFILE: the JSON matches a schema of lines
# "    .path[].key   type|type" (types string number boolean null array
# object; [] stands for any index): every value has a documented path and
# type, and every element of an array has each of its documented keys.
json_schema() {
	jsoncheck <"$1" >"$1.flat" || return 1
	awk -v schema="$2" '
	function typeof(v) {
		if (v ~ /^"/) return "string"
		if (v == "true" || v == "false") return "boolean"
		if (v == "null") return "null"
		if (v == "[]") return "array"
		if (v == "{}") return "object"
		return "number"
	}
	BEGIN {
		while ((getline l < schema) > 0) {
			n = split(l, f, " ")
			if (n < 2) continue
			type[f[1]] = f[2]
		}
	}
	{
		i = index($0, "="); path = substr($0, 1, i - 1)
		val = substr($0, i + 1)
		norm = path; gsub(/\[[0-9]+\]/, "[]", norm)
		t = typeof(val)
		if (!(norm in type)) { print "undocumented: " $0 }
		else if (("|" type[norm] "|") !~ ("\\|" t "\\|")) {
			print "wrong type " t ": " $0
		}
		seen[path] = 1
		# every array element and every prefix key seen
		p = path
		while (match(p, /(\.[A-Za-z_]+|\[[0-9]+\])$/)) {
			p = substr(p, 1, RSTART - 1)
			if (p ~ /\]$/) elem[p] = 1
			seen[p] = 1
			if (p == "") break
		}
	}
	END {
		for (e in elem) {
			en = e; gsub(/\[[0-9]+\]/, "[]", en)
			for (k in type) {
				if (index(k, en ".") != 1) continue
				rest = substr(k, length(en) + 2)
				if (rest ~ /[.[]/) continue
				if (!((e "." rest) in seen)) {
					print "missing " e "." rest
				}
			}
		}
		for (k in type)
			if (k ~ /^\.[a-z_]+$/ && !(k in seen)) {
				print "missing " k
			}
	}' "$1.flat" >"$1.schema-errors"
	sed 's/^/# /' "$1.schema-errors"
	[ ! -s "$1.schema-errors" ]
}

# json_order JSONFILE SCHEMAFILE: keys come in the schema's order. Within
# an object each key's schema line comes after the previous key's; going
# back is allowed only where a new array element starts.
json_order() {
	jsoncheck <"$1" >"$1.flat" || return 1
	awk -v schema="$2" '
	BEGIN {
		while ((getline l < schema) > 0) {
			n = split(l, f, " ")
			if (n >= 2) idx[f[1]] = ++k
		}
	}
	# where paths a and b first differ: a new element of an array?
	function new_element(a, b,   i, na, nb) {
		for (i = 1; i <= length(a) && substr(a, i, 1) == substr(b, i, 1); i++)
			;
		# back up to the start of the differing component
		while (i > 1 && substr(a, i - 1, 1) ~ /[0-9]/) i--
		if (substr(a, i - 1, 1) != "[") return 0
		na = substr(a, i) + 0; nb = substr(b, i) + 0
		return nb > na
	}
	{
		p = substr($0, 1, index($0, "=") - 1)
		norm = p; gsub(/\[[0-9]+\]/, "[]", norm)
		if (!(norm in idx)) next	# json_schema reports it
		if (prev != "" && idx[norm] <= idx[prevnorm] &&
		    !new_element(prev, p))
			print "out of order: " prev " before " p
		prev = p; prevnorm = norm
	}' "$1.flat" >"$1.order-errors"
	sed 's/^/# /' "$1.order-errors"
	[ ! -s "$1.order-errors" ]
}
