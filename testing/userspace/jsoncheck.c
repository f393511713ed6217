// SPDX-License-Identifier: GPL-2.0-only
/*
 * jsoncheck: validate JSON on stdin (RFC 8259 syntax, one value, nothing
 * after it) and print one "path=value" line per scalar, "path=[]" or
 * "path={}" for empty containers, e.g. ".devices[0].crtcs[0].id=31", so
 * that shell tests can check a document's shape with grep. Exit 1 with
 * the offset of the first error when the input is not JSON.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *in;
static size_t pos;

static int fail(const char *what)
{
	fprintf(stderr, "jsoncheck: %s at offset %zu\n", what, pos);
	exit(1);
}

static void ws(void)
{
	while (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' ||
	       in[pos] == '\r')
		pos++;
}

static void string(char *out, size_t len)
{
	size_t n = 0;
	int i;

	if (in[pos++] != '"')
		fail("expected string");
	while (in[pos] != '"') {
		if ((unsigned char)in[pos] < 0x20)
			fail("bad character in string");
		if (in[pos] == '\\') {
			pos++;
			if (in[pos] == 'u') {
				for (i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)in[pos + i]))
						fail("bad \\u escape");
				pos += 4;
			} else if (!strchr("\"\\/bfnrt", in[pos])) {
				fail("bad escape");
			}
		}
		if (n + 1 < len)
			out[n++] = in[pos];
		pos++;
	}
	pos++;
	out[n] = '\0';
}

static void number(char *out, size_t len)
{
	size_t start = pos;

	if (in[pos] == '-')
		pos++;
	if (in[pos] == '0')
		pos++;
	else if (isdigit((unsigned char)in[pos]))
		while (isdigit((unsigned char)in[pos]))
			pos++;
	else
		fail("bad number");
	if (in[pos] == '.') {
		if (!isdigit((unsigned char)in[++pos]))
			fail("bad fraction");
		while (isdigit((unsigned char)in[pos]))
			pos++;
	}
	if (in[pos] == 'e' || in[pos] == 'E') {
		pos++;
		if (in[pos] == '+' || in[pos] == '-')
			pos++;
		if (!isdigit((unsigned char)in[pos]))
			fail("bad exponent");
		while (isdigit((unsigned char)in[pos]))
			pos++;
	}
	snprintf(out, len, "%.*s", (int)(pos - start), in + start);
}

static void value(char *path, size_t plen);

static void container(char *path, size_t plen, char close)
{
	size_t base = strlen(path);
	char key[256];
	int n = 0;

	pos++;
	ws();
	if (in[pos] == close) {
		pos++;
		printf("%s=%s\n", path, close == ']' ? "[]" : "{}");
		return;
	}
	for (;;) {
		ws();
		if (close == '}') {
			string(key, sizeof(key));
			ws();
			if (in[pos++] != ':')
				fail("expected ':'");
			snprintf(path + base, plen - base, ".%s", key);
		} else {
			snprintf(path + base, plen - base, "[%d]", n);
		}
		value(path, plen);
		path[base] = '\0';
		n++;
		ws();
		if (in[pos] == close) {
			pos++;
			return;
		}
		if (in[pos++] != ',')
			fail("expected ',' or end of container");
	}
}

static void literal(const char *word, char *out, size_t len)
{
	if (strncmp(in + pos, word, strlen(word)))
		fail("bad literal");
	pos += strlen(word);
	snprintf(out, len, "%s", word);
}

static void value(char *path, size_t plen)
{
	char v[256];

	ws();
	switch (in[pos]) {
	case '{':
	case '[':
		container(path, plen, in[pos] == '{' ? '}' : ']');
		return;
	case '"':
		string(v, sizeof(v));
		printf("%s=\"%s\"\n", path, v);
		return;
	case 't':
		literal("true", v, sizeof(v));
		break;
	case 'f':
		literal("false", v, sizeof(v));
		break;
	case 'n':
		literal("null", v, sizeof(v));
		break;
	default:
		number(v, sizeof(v));
	}
	printf("%s=%s\n", path, v);
}

int main(void)
{
	size_t cap = 1 << 16, len = 0, n;
	char path[1024] = "";

	in = malloc(cap + 1);
	while (in && (n = fread(in + len, 1, cap - len, stdin)) > 0) {
		len += n;
		if (len == cap)
			in = realloc(in, (cap *= 2) + 1);
	}
	if (!in)
		return fail("out of memory");
	in[len] = '\0';
	if (strlen(in) != len)
		fail("NUL byte in input");
	value(path, sizeof(path));
	ws();
	if (in[pos])
		fail("trailing data");
	return 0;
}
