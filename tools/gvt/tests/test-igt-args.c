// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IGT test's and guest agent's number parsing (tools/igt/
 * gvt_dflip_args.h), compiled without IGT: make -C tools/gvt check
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#include "../../igt/gvt_dflip_args.h"

static const struct {
	const char *in;
	int ret, val;
} cases[] = {
	{ "60", 0, 60 }, { "1", 0, 1 }, { "86400", 0, 86400 },
	{ "abc", -EINVAL, 0 }, { "-1", -EINVAL, 0 }, { "5abc", -EINVAL, 0 },
	{ "", -EINVAL, 0 }, { " 5", -EINVAL, 0 }, { "+5", -EINVAL, 0 },
	{ "0", -ERANGE, 0 }, { "86401", -ERANGE, 0 },
	{ "99999999999999999999999", -ERANGE, 0 },
};

int main(void)
{
	unsigned int i;
	int failed = 0, v, ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		v = -7;
		ret = gvt_dflip_parse_timeout(cases[i].in, &v);
		bool ok = ret == cases[i].ret && (ret || v == cases[i].val) &&
			  (!ret || v == -7);

		printf("%sok %u - timeout '%s' -> %d\n", ok ? "" : "not ",
		       i + 1, cases[i].in, cases[i].ret);
		failed += !ok;
	}
	ret = gvt_dflip_parse_timeout(NULL, &v);
	printf("%sok %u - NULL refused\n", ret == -EINVAL ? "" : "not ", i + 1);
	failed += ret != -EINVAL;
	printf("1..%u\n", i + 1);
	return failed ? 1 : 0;
}
