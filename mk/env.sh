# SPDX-License-Identifier: GPL-2.0-only
# Shared settings of the build and test scripts. Sourced, not run.

DFLIP_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Build directories live outside the clone, one per configuration, so that
# a fresh clone on the same machine reuses them (a warm run).
DFLIP_WORK=${DFLIP_WORK:-/var/tmp/gvt-dflip}
# The Debian release and stock kernel the modules are built for
# (mk/krel.sh: KREL= when given, else the running Debian 6.12 kernel, else
# the newest 6.12 headers apt offers), computed once and exported.
DFLIP_HOST_DEBIAN=$(cut -d. -f1 /etc/debian_version 2>/dev/null || echo 12)
export DFLIP_DEBIAN=${DFLIP_DEBIAN:-$DFLIP_HOST_DEBIAN}
if [ -z "${DFLIP_KREL:-}" ] && [ "$DFLIP_DEBIAN" = "$DFLIP_HOST_DEBIAN" ]; then
	DFLIP_KREL=$("$DFLIP_REPO/mk/krel.sh") || exit 1
fi
export DFLIP_KREL
DFLIP_SRC_PKG=linux-source-6.12
DFLIP_HDR_PKG=linux-headers-$DFLIP_KREL
DFLIP_TREE=$DFLIP_WORK/tree
DFLIP_KUNIT_BUILD=$DFLIP_WORK/kunit
DFLIP_MOD_BUILD=$DFLIP_WORK/modules
DFLIP_SERIES_GIT=$DFLIP_WORK/series
DFLIP_OUT=$DFLIP_REPO/out
export CCACHE_DIR=${CCACHE_DIR:-$DFLIP_WORK/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
JOBS=${JOBS:-$(nproc)}

dflip_src_version() {
	dpkg-query -W -f='${Version}' "$DFLIP_SRC_PKG" 2>/dev/null
}

dflip_pristine() {
	echo "$DFLIP_WORK/src/$(dflip_src_version)"
}

dflip_log() {
	echo "[$(date +%H:%M:%S)] $*"
}

dflip_die() {
	echo "error: $*" >&2
	exit 1
}

# Take the lock of the shared build tree (held until the calling script
# exits) and lay this checkout's overlay and patches into it.
dflip_lock_and_lay() {
	mkdir -p "$DFLIP_WORK"
	exec 9>"$DFLIP_WORK/kunit.lock"
	flock 9
	python3 "$DFLIP_REPO/mk/lay.py" --repo "${1:-$DFLIP_REPO}" \
		--pristine "$(dflip_pristine)" --tree "$DFLIP_TREE"
}
