# SPDX-License-Identifier: GPL-2.0-only
#
# GVT-g Local Display Direct Flip: build and test the patch set.
#
#   make          drm.ko + i915.ko + kvmgt.ko for Debian 12's stock kernel, the
#                 userspace tools, and the upstream series in out/series/
#   make check    every test tier; ends with "N passed, N failed"
#
# Build directories live in $(DFLIP_WORK) (default /var/tmp/gvt-dflip),
# outside the clone, so that a fresh clone on the same machine is warm.

SHELL := /bin/bash
export DFLIP_WORK ?= /var/tmp/gvt-dflip
KREL := 6.12.117+deb12-amd64
MODDIR := $(DFLIP_WORK)/modsrc/drivers/gpu/drm/i915

.PHONY: all deps base lay modules tools series check help clean

all: modules tools series
	@echo
	@echo "modules:  $(MODDIR)/i915.ko"
	@echo "          $(MODDIR)/kvmgt.ko"
	@echo "          $(DFLIP_WORK)/modsrc/drivers/gpu/drm/drm.ko"
	@echo "          (for $(KREL); install: see README.md)"
	@echo "tools:    $(CURDIR)/tools/gvt/gvt-dflip"
	@echo "series:   $(CURDIR)/out/series/"

deps:
	@mk/deps.sh

base: deps
	@mk/base.sh

lay: base
	@source mk/env.sh && python3 mk/lay.py --repo . \
		--pristine "$$(dflip_pristine)" --tree "$$DFLIP_TREE"

modules: base
	@source mk/env.sh && dflip_lock_and_lay && mk/modules.sh

tools: deps
	@$(MAKE) -s -C tools/gvt

series: base
	@source mk/env.sh && exec 8>"$$DFLIP_WORK/series.lock" && flock 8 && \
		python3 mk/series.py build --git "$$DFLIP_SERIES_GIT" \
		--pristine "$$(dflip_pristine)" --out out/series

check:
	@mk/check.sh

help:
	@sed -n '3,10p' Makefile

clean:
	rm -rf out
	$(MAKE) -s -C tools/gvt clean
