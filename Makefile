# SPDX-License-Identifier: GPL-2.0-only
#
# GVT-g Local Display Direct Flip: build and test the patch set.
#
#   make          drm.ko + i915.ko + kvmgt.ko for the stock Debian 6.12 kernel
#                 (KREL=<release>, else the running one, else the newest
#                 one apt offers: mk/krel.sh), the userspace tools, and the
#                 upstream series in out/series/
#   make deb      out/gvt-dflip-dkms_VERSION_all.deb (DKMS package + tool)
#   make install / make uninstall
#                 the tool and its man page into $(DESTDIR)$(PREFIX)
#                 (PREFIX=/usr/local)
#   make check    every test tier; ends with "N passed, N failed"
#   make check-repeat N=20
#                 the whole KUnit set N times, one boot each; fails on any
#                 failure (finds flaky tests; not in check)
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
# make KREL=6.12.118+deb12-amd64 (an example) overrides mk/krel.sh
ifneq ($(KREL),)
export DFLIP_KREL := $(KREL)
endif
MODDIR := $(DFLIP_WORK)/modsrc/drivers/gpu/drm/i915
MAN8 := out/man/gvt-dflip.8

.PHONY: all deps base lay modules tools series check check-repeat bench hwtest help clean \
	deb man install uninstall

all: modules tools series
	@echo
	@echo "modules:  $(MODDIR)/i915.ko"
	@echo "          $(MODDIR)/kvmgt.ko"
	@echo "          $(DFLIP_WORK)/modsrc/drivers/gpu/drm/drm.ko"
	@echo "          (for $$(modinfo -F vermagic $(MODDIR)/i915.ko | cut -d' ' -f1); install: see README.md)"
	@echo "tools:    $(CURDIR)/tools/gvt/gvt-dflip"
	@echo "series:   $(CURDIR)/out/series/"

deps:
	@mk/deps.sh

base: deps
	@mk/base.sh

lay: base
	@source mk/env.sh && dflip_lock_and_lay

modules: base
	@source mk/env.sh && dflip_lock_and_lay && mk/modules.sh

tools: deps
	@$(MAKE) -s -C tools/gvt

series: base
	@source mk/env.sh && exec 8>"$$DFLIP_WORK/series.lock" && flock 8 && \
		python3 mk/series.py build --git "$$DFLIP_SERIES_GIT" \
		--pristine "$$(dflip_pristine)" --out out/series

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

bench: base
	@mk/bench.sh

hwtest:
	@GUEST="$(GUEST)" IGT_DIR="$(IGT_DIR)" mk/hwtest.sh

help:
	@sed -n '3,/^$$/p' Makefile

clean:
	rm -rf out
	$(MAKE) -s -C tools/gvt clean
