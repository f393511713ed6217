# SPDX-License-Identifier: GPL-2.0-only
# Static build of gvt_dflip_test outside the kselftest tree.
#   make -f standalone.mk KSFT_DIR=<kernel>/tools/testing/selftests [OUTPUT=DIR]
ifeq ($(KSFT_DIR),)
$(error KSFT_DIR must name the kernel's tools/testing/selftests)
endif
CC ?= gcc
OUTPUT ?= .
CFLAGS := -O2 -Wall -Wextra -Wno-unused-parameter -I$(KSFT_DIR) $(shell pkg-config --cflags libdrm)

$(OUTPUT)/gvt_dflip_test: gvt_dflip_test.c
	$(CC) -static $(CFLAGS) -o $@ $< -ldrm
