# SPDX-License-Identifier: GPL-2.0-only
#
# GVT-g Local Display Direct Flip: build and test the patch set.
#
#   make          drm.ko + i915.ko + kvmgt.ko for the stock Debian 6.12 kernel
#                 (KREL=<release>, else the running one, else the newest
#                 one apt offers: mk/krel.sh), the userspace tools, and the
#                 upstream series in out/series/
#   make series PREV=<dir or git rev>
#                 the series, and its range-diff against the earlier
#                 version PREV (an exported out/series directory, or a
#                 revision of this repository or of the series git) in
#                 out/series/range-diff.txt and the cover letter
#   make refresh [DRY_RUN=1]
#                 write branch dflip of the series git ($DFLIP_WORK/series),
#                 after commits were amended there, back into patches/ and
#                 the new files
#   make DEBIAN=13
#                 the same, the modules for Debian 13's stock kernel: built
#                 by the DKMS package in a trixie chroot (mk/chroot-modules.sh)
#   make deb      out/gvt-dflip-dkms_VERSION_all.deb (DKMS package + tool)
#   make install / make uninstall
#                 the tool and its man page into $(DESTDIR)$(PREFIX)
#                 (PREFIX=/usr/local)
#   make check    every test tier; ends with "N passed, N failed"
#   make check-repeat N=20
#                 the whole KUnit set N times, one boot each; fails on any
#                 failure (finds flaky tests; not in check)
#   make check-packaging
#                 the DKMS upgrade test: two 6.12 point releases in a
#                 bookworm chroot (not in check)
#   make bench    benchmark kernel (no sanitizers) in QEMU: writes
#                 bench/RESULTS.md and bench/flip-cost.svg (not in check)
#   make hwtest GUEST=<image> IGT_DIR=<igt build>
#                 on a Gen9 host with GVT-g: a vGPU, a guest, the kselftest,
#                 the IGT test and flip rates (mk/hwtest.sh; elsewhere one
#                 line naming what is missing)
#
# Build directories live in $(DFLIP_WORK) (default /var/tmp/gvt-dflip),
# outside the clone, so that a fresh clone on the same machine is warm.

SHELL := /bin/bash
export DFLIP_WORK ?= /var/tmp/gvt-dflip
PREFIX ?= /usr/local
HOST_DEBIAN := $(shell cut -d. -f1 /etc/debian_version 2>/dev/null)
# make DEBIAN=13 on a Debian 12 host: the modules come from a chroot
ifneq ($(DEBIAN),)
ifneq ($(DEBIAN),$(HOST_DEBIAN))
CHROOT_DEBIAN := $(DEBIAN)
endif
endif
# make KREL=6.12.118+deb12-amd64 (an example) overrides mk/krel.sh; with
# DEBIAN=13 it is the chroot's kernel (6.12.118+deb13-amd64, an example)
ifneq ($(KREL),)
ifeq ($(CHROOT_DEBIAN),)
export DFLIP_KREL := $(KREL)
else
export DFLIP_CHROOT_KREL := $(KREL)
endif
endif
MODDIR := $(DFLIP_WORK)/modsrc/drivers/gpu/drm/i915
MAN8 := out/man/gvt-dflip.8

.PHONY: all deps base lay modules tools series refresh check check-repeat bench hwtest help clean \
	deb man install uninstall check-packaging

ifeq ($(CHROOT_DEBIAN),)
all: modules tools series
	@echo
	@echo "modules:  $(MODDIR)/i915.ko"
	@echo "          $(MODDIR)/kvmgt.ko"
	@echo "          $(DFLIP_WORK)/modsrc/drivers/gpu/drm/drm.ko"
	@echo "          (for $$(modinfo -F vermagic $(MODDIR)/i915.ko | cut -d' ' -f1); install: see README.md)"
	@echo "tools:    $(CURDIR)/tools/gvt/gvt-dflip"
	@echo "series:   $(CURDIR)/out/series/"
else
all: modules tools series
	@echo "tools:    $(CURDIR)/tools/gvt/gvt-dflip"
	@echo "series:   $(CURDIR)/out/series/"
endif

deps:
	@mk/deps.sh

base: deps
	@mk/base.sh

lay: base
	@source mk/env.sh && dflip_lock_and_lay

ifeq ($(CHROOT_DEBIAN),)
modules: base
	@source mk/env.sh && dflip_lock_and_lay && mk/modules.sh
else
modules: deps
	@mk/chroot-modules.sh $(CHROOT_DEBIAN)
endif

tools: deps
	@$(MAKE) -s -C tools/gvt

series: base
	@source mk/env.sh && exec 8>"$$DFLIP_WORK/series.lock" && flock 8 && \
		python3 mk/series.py build --git "$$DFLIP_SERIES_GIT" \
		--pristine "$$(dflip_pristine)" --out out/series \
		$(if $(PREV),--prev "$(PREV)")

# write branch dflip of the series git back into patches/ and the overlay
refresh:
	@source mk/env.sh && exec 8>"$$DFLIP_WORK/series.lock" && flock 8 && \
		python3 mk/series.py refresh --git "$$DFLIP_SERIES_GIT" \
		$(if $(DRY_RUN),--dry-run)

deb: deps
	@mk/deb.sh

man: $(MAN8)

$(MAN8): tools/gvt/gvt-dflip.rst
	@command -v rst2man > /dev/null || { echo "error: rst2man is missing (apt-get install python3-docutils)" >&2; exit 1; }
	@mkdir -p $(dir $@)
	rst2man $< > $@.tmp && mv $@.tmp $@

install: tools man
	install -D -m755 tools/gvt/gvt-dflip $(DESTDIR)$(PREFIX)/bin/gvt-dflip
	install -D -m644 $(MAN8) $(DESTDIR)$(PREFIX)/share/man/man8/gvt-dflip.8

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/gvt-dflip $(DESTDIR)$(PREFIX)/share/man/man8/gvt-dflip.8

check:
	@mk/check.sh

N ?= 20
check-repeat:
	@mk/check-repeat.sh "$(N)"

check-packaging:
	@mk/check-packaging-upgrade.sh

bench: base
	@mk/bench.sh

hwtest:
	@GUEST="$(GUEST)" IGT_DIR="$(IGT_DIR)" mk/hwtest.sh

help:
	@sed -n '3,/^$$/p' Makefile

clean:
	rm -rf out
	$(MAKE) -s -C tools/gvt clean
