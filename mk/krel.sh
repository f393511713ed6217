#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Print the Debian kernel release the modules are built for, one line:
#  1. $DFLIP_KREL (make KREL=...) when set;
#  2. the running kernel when it is a Debian 6.12 amd64 kernel of the
#     requested Debian release ($DFLIP_DEBIAN, default 12);
#  3. else the newest linux-headers-6.12.*+debNN-amd64 that apt offers.
# Nothing is pinned: Debian's point releases move (for example from
# 6.12.117+deb12-amd64 to 6.12.118+deb12-amd64) and the build follows.
#
#   mk/krel.sh [--apt-cache CMD]   (CMD: how to run apt-cache; default
#                                   apt-cache, a chroot passes its own)
set -euo pipefail
aptcache=(apt-cache)
[ "${1:-}" = --apt-cache ] && { read -r -a aptcache <<<"$2"; shift 2; }
deb=${DFLIP_DEBIAN:-12}
pat="^6\\.12\\.[0-9]+\\+deb${deb}-amd64\$"

if [ -n "${DFLIP_KREL:-}" ]; then
	grep -Eq '^6\.12\.[0-9]+\+deb[0-9]+-amd64$' <<<"$DFLIP_KREL" || {
		echo "error: KREL=$DFLIP_KREL is not a Debian 6.12 amd64 kernel release (like 6.12.118+deb12-amd64)" >&2
		exit 1
	}
	echo "$DFLIP_KREL"
	exit 0
fi
if grep -Eq "$pat" <<<"$(uname -r)"; then
	uname -r
	exit 0
fi
# apt's lists must be there and fresh (a day) to know the newest kernel
if [ "${aptcache[0]}" = apt-cache ] && [ "$(id -u)" = 0 ] &&
   [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -n1)" ]; then
	echo "[$(date +%H:%M:%S)] apt-get update (the package lists are missing or older than a day)" >&2
	apt-get update -qq >&2 || true
fi
newest=$("${aptcache[@]}" search --names-only \
		"^linux-headers-6\\.12\\.[0-9]+\\+deb${deb}-amd64\$" 2>/dev/null |
	sed -E 's/^linux-headers-([^ ]+) .*/\1/' | { grep -E "$pat" || true; } | sort -V | tail -n1)
if [ -z "$newest" ]; then
	echo "error: apt offers no linux-headers-6.12.*+deb${deb}-amd64 (run apt-get update, or set KREL=)" >&2
	exit 1
fi
echo "$newest"
