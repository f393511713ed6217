// SPDX-License-Identifier: GPL-2.0-only
/* Table-driven tests of dflip_json_str(): make -C tools/gvt check */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../gvt-dflip.h"

static const struct {
	const char *in, *out, *what;
} cases[] = {
	{ "card0", "\"card0\"", "plain ASCII unchanged" },
	{ NULL, "null", "NULL is null" },
	{ "", "\"\"", "empty string" },
	{ "a\"b", "\"a\\\"b\"", "quote escaped" },
	{ "x\",\"evil\":\"1", "\"x\\\",\\\"evil\\\":\\\"1\"", "a quote cannot inject keys" },
	{ "a\\b", "\"a\\\\b\"", "backslash escaped" },
	{ "a\nb\tc", "\"a\\nb\\tc\"", "newline and tab escaped" },
	{ "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"", "control characters as \\u" },
	{ "\xc3\xa9t\xc3\xa9", "\"\xc3\xa9t\xc3\xa9\"", "valid UTF-8 kept" },
	{ "\xf0\x9f\x96\xa5", "\"\xf0\x9f\x96\xa5\"", "4-byte UTF-8 kept" },
	{ "a\xffz", "\"a\\ufffdz\"", "invalid byte replaced" },
	{ "\xc3", "\"\\ufffd\"", "truncated sequence replaced" },
	{ "\xc0\xaf", "\"\\ufffd\\ufffd\"", "overlong encoding replaced" },
	{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "surrogate replaced" },
};

int main(void)
{
	unsigned int i;
	int failed = 0;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		bool ok;

		dflip_json_str(f, cases[i].in);
		fclose(f);
		ok = !strcmp(buf, cases[i].out);
		printf("%sok %u - %s\n", ok ? "" : "not ", i + 1, cases[i].what);
		if (!ok)
			printf("# got %s, expected %s\n", buf, cases[i].out);
		failed += !ok;
		free(buf);
	}
	printf("1..%u\n", i);
	return failed ? 1 : 0;
}
