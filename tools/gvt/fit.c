// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where a framebuffer goes in a CRTC's mode: the source and CRTC
 * rectangles of --fit. Pure arithmetic, unit-tested by tests/test-fit.c.
 */
#include <errno.h>
#include <string.h>

#include "gvt-dflip.h"

static const char *const fit_names[] = {
	[DFLIP_FIT_ASPECT] = "aspect", [DFLIP_FIT_SCALE] = "scale",
	[DFLIP_FIT_NONE] = "none", [DFLIP_FIT_CENTRE] = "centre",
};

/* The --fit values a user can give (not the fallback, centre). */
int dflip_fit_parse(const char *s, enum dflip_fit *fit)
{
	int i;

	for (i = DFLIP_FIT_ASPECT; i <= DFLIP_FIT_NONE; i++) {
		if (!strcmp(s, fit_names[i])) {
			*fit = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *dflip_fit_name(enum dflip_fit fit)
{
	return fit_names[fit];
}

static void rect(struct dflip_rect *r, uint32_t x, uint32_t y, uint32_t w,
		 uint32_t h)
{
	r->x = x;
	r->y = y;
	r->w = w;
	r->h = h;
}

/* One axis unscaled and centred: crop the middle, or pad both sides. */
static void centre(uint32_t f, uint32_t m, uint32_t *sx, uint32_t *sw,
		   uint32_t *dx)
{
	if (f <= m) {
		*sx = 0;
		*sw = f;
		*dx = (m - f) / 2;
	} else {
		*sx = (f - m) / 2;
		*sw = m;
		*dx = 0;
	}
}

/* The whole framebuffer, as large as fits, aspect kept, centred. */
static void aspect(uint32_t fw, uint32_t fh, uint32_t mw, uint32_t mh,
		   struct dflip_rect *dst)
{
	uint64_t w, h;

	if ((uint64_t)fw * mh >= (uint64_t)mw * fh) {
		w = mw;
		h = ((uint64_t)fh * mw + fw / 2) / fw;
	} else {
		h = mh;
		w = ((uint64_t)fw * mh + fh / 2) / fh;
	}
	if (!w)
		w = 1;
	if (!h)
		h = 1;
	rect(dst, (mw - w) / 2, (mh - h) / 2, w, h);
}

/*
 * Source rectangle (in framebuffer pixels) and CRTC rectangle (in mode
 * pixels) of a @fw x @fh framebuffer in a @mw x @mh mode. Returns 0, or
 * -EINVAL for an empty framebuffer or mode.
 */
int dflip_fit(enum dflip_fit fit, uint32_t fw, uint32_t fh, uint32_t mw,
	      uint32_t mh, struct dflip_rect *src, struct dflip_rect *dst)
{
	if (!fw || !fh || !mw || !mh)
		return -EINVAL;
	switch (fit) {
	case DFLIP_FIT_SCALE:
		rect(src, 0, 0, fw, fh);
		rect(dst, 0, 0, mw, mh);
		return 0;
	case DFLIP_FIT_ASPECT:
		rect(src, 0, 0, fw, fh);
		aspect(fw, fh, mw, mh, dst);
		return 0;
	case DFLIP_FIT_NONE:
		rect(src, 0, 0, fw < mw ? fw : mw, fh < mh ? fh : mh);
		rect(dst, 0, 0, src->w, src->h);
		return 0;
	case DFLIP_FIT_CENTRE:
		centre(fw, mw, &src->x, &src->w, &dst->x);
		centre(fh, mh, &src->y, &src->h, &dst->y);
		dst->w = src->w;
		dst->h = src->h;
		return 0;
	}
	return -EINVAL;
}

bool dflip_fit_scales(const struct dflip_rect *src,
		      const struct dflip_rect *dst)
{
	return src->w != dst->w || src->h != dst->h;
}
