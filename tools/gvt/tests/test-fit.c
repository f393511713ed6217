// SPDX-License-Identifier: GPL-2.0-only
/* Table-driven tests of dflip_fit(): make -C tools/gvt check */
#include <stdio.h>
#include <string.h>

#include "../gvt-dflip.h"

struct fit_case {
	enum dflip_fit fit;
	uint32_t fw, fh, mw, mh;
	int ret;
	struct dflip_rect src, dst;
	const char *what;
};

static const struct fit_case cases[] = {
	{ DFLIP_FIT_ASPECT, 1024, 768, 1024, 768, 0, { 0, 0, 1024, 768 },
	  { 0, 0, 1024, 768 }, "aspect: same size is identity" },
	{ DFLIP_FIT_ASPECT, 800, 600, 1024, 768, 0, { 0, 0, 800, 600 },
	  { 0, 0, 1024, 768 }, "aspect: same ratio fills" },
	{ DFLIP_FIT_ASPECT, 1024, 768, 1920, 1080, 0, { 0, 0, 1024, 768 },
	  { 240, 0, 1440, 1080 }, "aspect: 4:3 on 16:9 pillarboxed" },
	{ DFLIP_FIT_ASPECT, 1920, 1080, 1024, 768, 0, { 0, 0, 1920, 1080 },
	  { 0, 96, 1024, 576 }, "aspect: 16:9 on 4:3 letterboxed" },
	{ DFLIP_FIT_ASPECT, 3840, 2160, 1920, 1080, 0, { 0, 0, 3840, 2160 },
	  { 0, 0, 1920, 1080 }, "aspect: downscale same ratio" },
	{ DFLIP_FIT_ASPECT, 1, 4000, 1920, 1080, 0, { 0, 0, 1, 4000 },
	  { 959, 0, 1, 1080 }, "aspect: sliver keeps 1 pixel" },
	{ DFLIP_FIT_ASPECT, 4000, 1, 1920, 1080, 0, { 0, 0, 4000, 1 },
	  { 0, 539, 1920, 1 }, "aspect: flat sliver keeps 1 line" },
	{ DFLIP_FIT_ASPECT, 1280, 1024, 1920, 1080, 0, { 0, 0, 1280, 1024 },
	  { 285, 0, 1350, 1080 }, "aspect: 5:4 rounds to nearest" },
	{ DFLIP_FIT_ASPECT, 65535, 65535, 65535, 1, 0, { 0, 0, 65535, 65535 },
	  { 32767, 0, 1, 1 }, "aspect: large sizes do not overflow" },
	{ DFLIP_FIT_SCALE, 800, 600, 1920, 1080, 0, { 0, 0, 800, 600 },
	  { 0, 0, 1920, 1080 }, "scale: stretches to the mode" },
	{ DFLIP_FIT_NONE, 800, 600, 1024, 768, 0, { 0, 0, 800, 600 },
	  { 0, 0, 800, 600 }, "none: smaller at 0,0" },
	{ DFLIP_FIT_NONE, 1920, 1080, 1024, 768, 0, { 0, 0, 1024, 768 },
	  { 0, 0, 1024, 768 }, "none: larger clipped" },
	{ DFLIP_FIT_CENTRE, 800, 600, 1024, 768, 0, { 0, 0, 800, 600 },
	  { 112, 84, 800, 600 }, "centre: smaller padded" },
	{ DFLIP_FIT_CENTRE, 1920, 1080, 1024, 768, 0, { 448, 156, 1024, 768 },
	  { 0, 0, 1024, 768 }, "centre: larger cropped in the middle" },
	{ DFLIP_FIT_CENTRE, 1920, 600, 1024, 768, 0, { 448, 0, 1024, 600 },
	  { 0, 84, 1024, 600 }, "centre: wider, lower" },
	{ DFLIP_FIT_CENTRE, 801, 601, 1024, 768, 0, { 0, 0, 801, 601 },
	  { 111, 83, 801, 601 }, "centre: odd padding rounds down" },
	{ DFLIP_FIT_ASPECT, 0, 768, 1024, 768, -22, { 0 }, { 0 }, "empty framebuffer refused" },
	{ DFLIP_FIT_SCALE, 1024, 768, 1024, 0, -22, { 0 }, { 0 }, "empty mode refused" },
	{ 99, 1024, 768, 1024, 768, -22, { 0 }, { 0 }, "unknown fit refused" },
};

static bool same(const struct dflip_rect *a, const struct dflip_rect *b)
{
	return a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h;
}

static int run_case(int n, const struct fit_case *c)
{
	struct dflip_rect s = { 0 }, d = { 0 };
	int ret = dflip_fit(c->fit, c->fw, c->fh, c->mw, c->mh, &s, &d);
	bool ok = ret == c->ret && (ret || (same(&s, &c->src) && same(&d, &c->dst)));

	printf("%sok %d - %s\n", ok ? "" : "not ", n, c->what);
	if (!ok)
		printf("# got %d src %u,%u %ux%u dst %u,%u %ux%u\n", ret, s.x,
		       s.y, s.w, s.h, d.x, d.y, d.w, d.h);
	return !ok;
}

static int test_parse(int n)
{
	enum dflip_fit f = DFLIP_FIT_NONE;
	bool ok = !dflip_fit_parse("aspect", &f) && f == DFLIP_FIT_ASPECT &&
		  !dflip_fit_parse("scale", &f) && f == DFLIP_FIT_SCALE &&
		  !dflip_fit_parse("none", &f) && f == DFLIP_FIT_NONE &&
		  dflip_fit_parse("centre", &f) && dflip_fit_parse("", &f) &&
		  dflip_fit_parse("Aspect", &f);

	printf("%sok %d - --fit takes none, scale, aspect only\n",
	       ok ? "" : "not ", n);
	return !ok;
}

int main(void)
{
	unsigned int i;
	int failed = 0;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		failed += run_case(i + 1, &cases[i]);
	failed += test_parse(i + 1);
	printf("1..%u\n", i + 1);
	return failed ? 1 : 0;
}
