# SPDX-License-Identifier: GPL-2.0-only
# Static build of the gvt_dflip kselftest for the initramfs of the QEMU
# userspace tier, outside the kselftest tree:
#   make -f kselftest.mk SRC=<selftest dir> KSFT_DIR=<kernel>/tools/testing/selftests [OUTPUT=DIR]
ifeq ($(KSFT_DIR),)
$(error KSFT_DIR must name the kernel's tools/testing/selftests)
endif
CC ?= gcc
SRC ?= .
OUTPUT ?= .
CFLAGS := -O2 -Wall -Wextra -Wno-unused-parameter -I$(KSFT_DIR) $(shell pkg-config --cflags libdrm)

$(OUTPUT)/gvt_dflip_test: $(SRC)/gvt_dflip_test.c
	$(CC) -static $(CFLAGS) -o $@ $< -ldrm
