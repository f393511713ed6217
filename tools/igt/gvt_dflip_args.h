/* SPDX-License-Identifier: MIT */
/*
 * Strict parsing of the numbers on the command line and in the
 * environment of kms_gvt_direct_flip and gvt_dflip_guest_agent: no sign,
 * no junk, no empty string, no overflow. Header-only so that a unit test
 * can include it without IGT (tools/gvt/tests/test-igt-args.c).
 */
#ifndef GVT_DFLIP_ARGS_H
#define GVT_DFLIP_ARGS_H

#include <errno.h>
#include <limits.h>

/* Decimal @s in 1..@max to *@out; 0, or -EINVAL/-ERANGE. */
static inline int gvt_dflip_parse_pos(const char *s, long max, long *out)
{
	long v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (max - (*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (*s - '0');
	}
	if (!v)
		return -ERANGE;
	*out = v;
	return 0;
}

/* Longest --guest-timeout / IGT_GVT_GUEST_TIMEOUT: one day, in seconds */
#define GVT_DFLIP_MAX_TIMEOUT	86400

static inline int gvt_dflip_parse_timeout(const char *s, int *out)
{
	long v;
	int ret = gvt_dflip_parse_pos(s, GVT_DFLIP_MAX_TIMEOUT, &v);

	if (!ret)
		*out = v;
	return ret;
}

#endif
