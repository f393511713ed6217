// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * KUnit tests of the direct flip guest plane validator.
 */

#include <kunit/test.h>
#include <kunit/visibility.h>

#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <drm/drm_fourcc.h>

#include "display/intel_cursor_regs.h"
#include "display/skl_universal_plane_regs.h"

#include "../dflip.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* This vGPU: 128 MiB of aperture at 16 MiB, 512 MiB hidden at 1 GiB. */
#define AP_START	0x01000000ull
#define AP_END		0x09000000ull
#define HI_START	0x40000000ull
#define HI_END		0x60000000ull

static const struct dflip_gm dflip_gm_split = {
	.aperture = { .start = AP_START, .end = AP_END },
	.hidden = { .start = HI_START, .end = HI_END },
};

/* A vGPU whose hidden range starts right where its aperture slice ends. */
static const struct dflip_gm dflip_gm_adjacent = {
	.aperture = { .start = AP_START, .end = AP_END },
	.hidden = { .start = AP_END, .end = HI_END },
};

static const struct dflip_gm dflip_gm_guard = {
	.aperture = { .start = AP_START, .end = AP_END },
	.hidden = { .start = HI_START, .end = HI_END },
	.vtd_guard = 168 * SZ_4K,
};

static const struct dflip_gm dflip_gm_wrap = {
	.aperture = { .start = AP_START, .end = AP_END },
	.hidden = { .start = HI_START, .end = U64_MAX },
	.vtd_guard = U64_MAX - SZ_1M,
};

/* A vGPU whose hidden range runs up to the 4 GiB top of the GGTT. */
static const struct dflip_gm dflip_gm_top = {
	.aperture = { .start = AP_START, .end = AP_END },
	.hidden = { .start = 0xf0000000ull, .end = 0x100000000ull },
};

struct dflip_validate_case {
	const char *name;
	const struct dflip_gm *gm;
	struct dflip_plane_desc desc;
	int ret;
	enum dflip_reject why;
};

#define LIN	DRM_FORMAT_MOD_LINEAR
#define XT	I915_FORMAT_MOD_X_TILED
#define YT	I915_FORMAT_MOD_Y_TILED
#define YF	I915_FORMAT_MOD_Yf_TILED
#define XRGB	DRM_FORMAT_XRGB8888

/* A primary plane; everything else (offsets, key) zero */
#define PLANE(_fmt, _mod, _w, _h, _stride, _surf)			\
	{ .kind = DFLIP_PLANE_PRIMARY, .enabled = true, .surf = (_surf),\
	  .geo = { .format = (_fmt), .modifier = (_mod), .width = (_w),	\
		   .height = (_h), .stride = (_stride) } }

#define ACCEPT(_name, _desc)						\
	{ .name = _name, .gm = &dflip_gm_split, .desc = _desc }

#define REJECT(_name, _desc, _ret, _why)					\
	{ .name = _name, .gm = &dflip_gm_split, .desc = _desc,		\
	  .ret = (_ret), .why = (_why) }

#define ACCEPT_GM(_name, _gm, _desc)					\
	{ .name = _name, .gm = (_gm), .desc = _desc }

#define REJECT_GM(_name, _gm, _desc, _ret, _why)				\
	{ .name = _name, .gm = (_gm), .desc = _desc,			\
	  .ret = (_ret), .why = (_why) }

/* 1920x1080 XRGB8888 at 7680 bytes a row */
#define FHD(_mod, _surf)	PLANE(XRGB, _mod, 1920, 1080, 7680, _surf)

/* Cursor sizes, valid or not */
#define CUR_DIMS_64	.width = 64, .height = 64
#define CUR_DIMS_96	.width = 96, .height = 96
#define CUR_DIMS_256	.width = 256, .height = 256

/* A cursor of _size at _surf */
#define CUR(_size, _stride, _surf)					\
	{ .kind = DFLIP_PLANE_CURSOR, .enabled = true, .surf = (_surf),	\
	  .geo = { .format = DRM_FORMAT_ARGB8888, .modifier = LIN,	\
		   CUR_DIMS_##_size, .stride = (_stride) } }

/* One with an offset into the surface */
#define OFFS(_mod, _stride, _x, _y)					\
	{ .kind = DFLIP_PLANE_PRIMARY, .enabled = true, .surf = AP_START,\
	  .x = (_x), .y = (_y),						\
	  .geo = { .format = XRGB, .modifier = (_mod), .width = 1024,	\
		   .height = 768, .stride = (_stride) } }

static const struct dflip_validate_case dflip_validate_cases[] = {
	/* accepted */
	ACCEPT("linear XRGB8888 at the start of the aperture", FHD(LIN, AP_START)),
	ACCEPT("linear XRGB8888 in the hidden range", FHD(LIN, HI_START + SZ_256K)),
	ACCEPT("X-tiled", FHD(XT, AP_START + SZ_256K)),
	ACCEPT("Y-tiled", FHD(YT, AP_START + SZ_1M)),
	ACCEPT("Yf-tiled", FHD(YF, HI_START)),
	ACCEPT("linear ending exactly at the end of the aperture",
	       PLANE(XRGB, LIN, 1024, 64, 4096, AP_END - SZ_256K)),
	ACCEPT("linear ending exactly at the end of the hidden range",
	       PLANE(XRGB, LIN, 1024, 64, 4096, HI_END - SZ_256K)),
	ACCEPT("linear unrounded where Y-tiled does not fit",
	       PLANE(XRGB, LIN, 1920, 1090, 7680, AP_END - SZ_8M)),
	ACCEPT("Y-tiled 1080 rows rounded to 1088 still fit",
	       PLANE(XRGB, YT, 1920, 1080, 7680, AP_END - SZ_8M)),
	ACCEPT("largest linear plane 5120x4096",
	       PLANE(XRGB, LIN, 5120, 4096, 20480, HI_START)),
	ACCEPT("largest Y-tiled plane 4096x4096",
	       PLANE(XRGB, YT, 4096, 4096, 16384, HI_START)),
	ACCEPT("largest stride 32 KiB", PLANE(DRM_FORMAT_XRGB16161616F, LIN, 4096, 16,
					      SZ_32K, AP_START)),
	ACCEPT("offsets inside the stride", OFFS(XT, 8192, 1024, 8191)),
	ACCEPT("cursor 64x64 at a 4 KiB boundary", CUR(64, 256, AP_START + SZ_4K)),
	ACCEPT("cursor 256x256 at the end of the hidden range",
	       CUR(256, 1024, HI_END - SZ_256K)),
	{
		.name = "disabled plane with garbage is accepted",
		.gm = &dflip_gm_split,
		.desc = { .kind = DFLIP_PLANE_PRIMARY, .surf = U64_MAX,
			  .geo = { .format = DRM_FORMAT_C8, .stride = 0 } },
	},

	/* formats and modifiers (NV12, CCS and rotation end at decode) */
	REJECT("unknown format", PLANE(DRM_FORMAT_C8, LIN, 64, 64, 64, AP_START),
	       -EINVAL, DFLIP_REJECT_FORMAT),
	REJECT("unknown modifier", FHD(I915_FORMAT_MOD_Y_TILED_GEN12_RC_CCS, AP_START),
	       -EINVAL, DFLIP_REJECT_MODIFIER),
	REJECT("Yf-tiled FP16",
	       PLANE(DRM_FORMAT_XRGB16161616F, YF, 64, 64, 512, AP_START),
	       -EINVAL, DFLIP_REJECT_MODIFIER),
	{
		.name = "cursor in NV12",
		.gm = &dflip_gm_split,
		.desc = { .kind = DFLIP_PLANE_CURSOR, .enabled = true, .surf = AP_START,
			  .geo = { .format = DRM_FORMAT_NV12, .modifier = LIN, .width = 64,
				   .height = 64, .stride = 64 } },
		.ret = -EINVAL, .why = DFLIP_REJECT_FORMAT,
	},
	{
		.name = "cursor Y-tiled",
		.gm = &dflip_gm_split,
		.desc = { .kind = DFLIP_PLANE_CURSOR, .enabled = true, .surf = AP_START,
			  .geo = { .format = DRM_FORMAT_ARGB8888, .modifier = YT,
				   .width = 64, .height = 64, .stride = 256 } },
		.ret = -EINVAL, .why = DFLIP_REJECT_MODIFIER,
	},

	{
		.name = "async flip X-tiled",
		.gm = &dflip_gm_split,
		.desc = { .kind = DFLIP_PLANE_PRIMARY, .enabled = true,
			  .async = true, .surf = AP_START,
			  .geo = { .format = XRGB, .modifier = XT, .width = 64,
				   .height = 64, .stride = 512 } },
	},
	{
		.name = "async flip linear",
		.gm = &dflip_gm_split,
		.desc = { .kind = DFLIP_PLANE_PRIMARY, .enabled = true,
			  .async = true, .surf = AP_START,
			  .geo = { .format = XRGB, .modifier = LIN, .width = 64,
				   .height = 64, .stride = 256 } },
		.ret = -EINVAL, .why = DFLIP_REJECT_MODIFIER,
	},

	/* sizes and offsets */
	REJECT("zero width", PLANE(XRGB, LIN, 0, 64, 256, AP_START),
	       -EINVAL, DFLIP_REJECT_SIZE),
	REJECT("zero height", PLANE(XRGB, LIN, 64, 0, 256, AP_START),
	       -EINVAL, DFLIP_REJECT_SIZE),
	REJECT("linear wider than 5120", PLANE(XRGB, LIN, 5121, 64, 20992, AP_START),
	       -EINVAL, DFLIP_REJECT_SIZE),
	REJECT("linear FP16 wider than 4096",
	       PLANE(DRM_FORMAT_XRGB16161616F, LIN, 4097, 16, SZ_32K, AP_START),
	       -EINVAL, DFLIP_REJECT_SIZE),
	REJECT("Y-tiled wider than 4096", PLANE(XRGB, YT, 4097, 64, 16512, AP_START),
	       -EINVAL, DFLIP_REJECT_SIZE),
	REJECT("Y-tiled FP16 wider than 2048",
	       PLANE(DRM_FORMAT_XRGB16161616F, YT, 2049, 16, 16512, AP_START),
	       -EINVAL, DFLIP_REJECT_SIZE),
	REJECT("taller than 4096", PLANE(XRGB, LIN, 64, 4097, 256, AP_START),
	       -EINVAL, DFLIP_REJECT_SIZE),
	REJECT("decoded PLANE_SIZE maximum 65536x65536",
	       PLANE(XRGB, LIN, 65536, 65536, SZ_32K, AP_START),
	       -EINVAL, DFLIP_REJECT_SIZE),
	REJECT("cursor 96x96", CUR(96, 384, AP_START), -EINVAL, DFLIP_REJECT_SIZE),
	REJECT("cursor stride not 4 bytes a pixel", CUR(64, 512, AP_START),
	       -EINVAL, DFLIP_REJECT_STRIDE),
	REJECT("x offset beyond 8191", OFFS(XT, 8192, 8192, 0),
	       -EINVAL, DFLIP_REJECT_OFFSET),
	REJECT("y offset beyond 8191", OFFS(XT, 8192, 0, 8192),
	       -EINVAL, DFLIP_REJECT_OFFSET),

	/* strides */
	REJECT("zero stride", PLANE(XRGB, LIN, 64, 64, 0, AP_START),
	       -EINVAL, DFLIP_REJECT_STRIDE),
	REJECT("stride too small for the width",
	       PLANE(XRGB, LIN, 1920, 1080, 7616, AP_START),
	       -EINVAL, DFLIP_REJECT_STRIDE),
	REJECT("stride too small for width plus x offset", OFFS(XT, 4096, 1, 0),
	       -EINVAL, DFLIP_REJECT_STRIDE),
	REJECT("stride above 32 KiB",
	       PLANE(DRM_FORMAT_XRGB16161616F, LIN, 4096, 16, SZ_32K + 64, AP_START),
	       -EINVAL, DFLIP_REJECT_STRIDE),
	REJECT("stride above 8192 pixels",
	       PLANE(DRM_FORMAT_RGB565, LIN, 64, 16, 16448, AP_START),
	       -EINVAL, DFLIP_REJECT_STRIDE),
	REJECT("linear stride not a multiple of 64",
	       PLANE(XRGB, LIN, 16, 16, 96, AP_START),
	       -EINVAL, DFLIP_REJECT_STRIDE),
	REJECT("Y-tiled stride not a multiple of 128",
	       PLANE(XRGB, YT, 1920, 1080, 7744, AP_START),
	       -EINVAL, DFLIP_REJECT_STRIDE),
	REJECT("X-tiled stride not a multiple of 512",
	       PLANE(XRGB, XT, 1920, 1080, 7808, AP_START),
	       -EINVAL, DFLIP_REJECT_STRIDE),
	REJECT("stride x height overflowing 32 bits",
	       PLANE(XRGB, LIN, 1024, 4096, 0x10000000, AP_START),
	       -EINVAL, DFLIP_REJECT_STRIDE),

	/* alignment */
	REJECT("linear at 4 KiB, not 256 KiB", FHD(LIN, AP_START + SZ_4K),
	       -EINVAL, DFLIP_REJECT_ALIGN),
	REJECT("X-tiled at 128 KiB", FHD(XT, AP_START + SZ_128K),
	       -EINVAL, DFLIP_REJECT_ALIGN),
	REJECT("Y-tiled at 256 KiB, not 1 MiB", FHD(YT, AP_START + SZ_256K),
	       -EINVAL, DFLIP_REJECT_ALIGN),
	REJECT("Yf-tiled at 512 KiB", FHD(YF, AP_START + SZ_512K),
	       -EINVAL, DFLIP_REJECT_ALIGN),
	REJECT("cursor not at a 4 KiB boundary", CUR(64, 256, AP_START + 64),
	       -EINVAL, DFLIP_REJECT_ALIGN),

	/* ranges */
	REJECT("surface past the end of the aperture",
	       PLANE(XRGB, LIN, 1024, 65, 4096, AP_END - SZ_256K),
	       -ERANGE, DFLIP_REJECT_RANGE),
	REJECT("surface starting at the end of the aperture", FHD(LIN, AP_END),
	       -ERANGE, DFLIP_REJECT_RANGE),
	REJECT("Y-tile rounding pushes the span past the end",
	       PLANE(XRGB, YT, 1920, 1090, 7680, AP_END - SZ_8M),
	       -ERANGE, DFLIP_REJECT_RANGE),
	REJECT("X-tile rounding pushes the span past the end",
	       PLANE(XRGB, XT, 1920, 1090, 7680, AP_END - SZ_8M),
	       -ERANGE, DFLIP_REJECT_RANGE),
	{
		.name = "y offset pushes the span past the end",
		.gm = &dflip_gm_split,
		.desc = { .kind = DFLIP_PLANE_PRIMARY, .enabled = true,
			  .surf = AP_END - SZ_256K, .y = 1,
			  .geo = { .format = XRGB, .modifier = LIN, .width = 1024,
				   .height = 64, .stride = 4096 } },
		.ret = -ERANGE, .why = DFLIP_REJECT_RANGE,
	},
	REJECT_GM("span past the 4 GiB top of the GGTT, no 32-bit wrap",
		  &dflip_gm_top, FHD(LIN, 0xfff00000ull),
		  -ERANGE, DFLIP_REJECT_RANGE),
	REJECT_GM("span crossing from the aperture into the hidden range",
		  &dflip_gm_adjacent, FHD(LIN, AP_END - SZ_1M),
		  -ERANGE, DFLIP_REJECT_RANGE),
	REJECT("another vGPU's memory below the aperture",
	       FHD(LIN, AP_START - SZ_16M), -ERANGE, DFLIP_REJECT_RANGE),
	REJECT("span running from below into the aperture",
	       FHD(LIN, AP_START - SZ_1M), -ERANGE, DFLIP_REJECT_RANGE),
	REJECT("another vGPU's memory between the ranges",
	       FHD(LIN, AP_END + SZ_16M), -ERANGE, DFLIP_REJECT_RANGE),
	REJECT("span running from between the ranges into the hidden one",
	       FHD(LIN, HI_START - SZ_1M), -ERANGE, DFLIP_REJECT_RANGE),
	REJECT("another vGPU's memory above the hidden range",
	       FHD(LIN, HI_END), -ERANGE, DFLIP_REJECT_RANGE),
	REJECT("surface address wrapping 64 bits",
	       FHD(YT, 0xfffffffffff00000ull), -ERANGE, DFLIP_REJECT_RANGE),
	REJECT_GM("VT-d guard pushes a fitting span over the end", &dflip_gm_guard,
		  PLANE(XRGB, LIN, 1024, 64, 4096, AP_END - SZ_256K),
		  -ERANGE, DFLIP_REJECT_RANGE),
	REJECT_GM("VT-d guard before the start of the aperture", &dflip_gm_guard,
		  FHD(LIN, AP_START), -ERANGE, DFLIP_REJECT_RANGE),
	REJECT_GM("VT-d guard wrapping 64 bits", &dflip_gm_wrap,
		  FHD(LIN, HI_START + SZ_1G), -ERANGE, DFLIP_REJECT_RANGE),
	/*
	 * i915 pads a tiled scanout by max(VT-d guard, one tile row)
	 * (i915_gem_object_pin_to_display_plane()): a Y-tile row of a 25 KiB
	 * stride is 800 KiB, more than the 168 pages of the guard.
	 */
	REJECT_GM("Y-tile row above the VT-d guard pads past the end",
		  &dflip_gm_guard,
		  PLANE(XRGB, YT, 1920, 96, 25600, AP_END - SZ_2M - SZ_1M),
		  -ERANGE, DFLIP_REJECT_RANGE),
	ACCEPT_GM("Y-tile row above the VT-d guard, room for its padding",
		  &dflip_gm_guard,
		  PLANE(XRGB, YT, 1920, 96, 25600, AP_END - SZ_4M)),
};

static void dflip_validate_case_desc(const struct dflip_validate_case *t,
				     char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_validate, dflip_validate_cases,
		  dflip_validate_case_desc);

static void dflip_validate_test(struct kunit *test)
{
	const struct dflip_validate_case *t = test->param_value;
	enum dflip_reject why = DFLIP_REJECT_COUNT;

	KUNIT_EXPECT_EQ(test, dflip_validate_plane(&t->desc, t->gm, &why),
			t->ret);
	KUNIT_EXPECT_EQ(test, why, t->why);
}

/* @t's plane at @surf passes dflip_validate_plane() */
static bool dflip_valid_at(const struct dflip_validate_case *t, u64 surf)
{
	struct dflip_plane_desc desc = t->desc;
	enum dflip_reject why;

	desc.surf = surf;
	return !dflip_validate_plane(&desc, t->gm, &why);
}

/*
 * The window of surfaces is the validator's own answer: for every case, a
 * state refused for anything but its surface is refused alike, and at the
 * case's surface, at each window edge and one alignment step beyond it,
 * and misaligned, the window holds exactly the surfaces the validator
 * accepts.
 */
static void dflip_window_test(struct kunit *test)
{
	const struct dflip_validate_case *t = test->param_value;
	struct dflip_surf_window win;
	enum dflip_reject why;
	u64 probes[16];
	unsigned int n = 0, i;
	int ret;

	if (!t->desc.enabled)
		kunit_skip(test, "a disabled plane has no surface");
	ret = dflip_validate_window(&t->desc, t->gm, &win, &why);
	if (ret) {
		KUNIT_EXPECT_EQ(test, ret, t->ret);
		KUNIT_EXPECT_EQ(test, why, t->why);
		return;
	}
	KUNIT_EXPECT_EQ(test, dflip_window_holds(&win, t->desc.surf), !t->ret);

	probes[n++] = t->desc.surf;
	probes[n++] = t->desc.surf + 1;
	probes[n++] = 0;
	for (i = 0; i < ARRAY_SIZE(win.lo); i++) {
		if (win.lo[i] > win.hi[i])
			continue;
		probes[n++] = win.lo[i];
		probes[n++] = win.lo[i] - win.align;
		probes[n++] = win.hi[i];
		probes[n++] = win.hi[i] + win.align;
		probes[n++] = win.hi[i] + 1;
	}
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, dflip_window_holds(&win, probes[i]),
				    dflip_valid_at(t, probes[i]),
				    "surface %#llx", probes[i]);
}

/* a span of @stride * @rows bytes at @base fits, per dflip_span_window() */
static bool dflip_span_fits(const struct dflip_gm *gm, u64 base, u64 stride,
			    u64 rows, u64 guard)
{
	struct dflip_surf_window win = { .align = 1 };
	u64 len;

	if (check_mul_overflow(stride, rows, &len))
		return false;
	dflip_span_window(gm, len, guard, &win);
	return dflip_window_holds(&win, base);
}

struct dflip_span_case {
	const char *name;
	struct dflip_gm gm;
	u64 base;
	u64 stride;
	u64 rows;
	bool fits;
};

#define SPAN(_name, _ap_end, _guard, _base, _stride, _rows, _fits)	\
	{ .name = _name,						\
	  .gm = { .aperture = { .start = AP_START, .end = (_ap_end) },	\
		  .hidden = { .start = HI_START, .end = HI_END },	\
		  .vtd_guard = (_guard) },				\
	  .base = (_base), .stride = (_stride), .rows = (_rows),	\
	  .fits = (_fits) }

static const struct dflip_span_case dflip_span_cases[] = {
	SPAN("whole aperture", AP_END, 0, AP_START, AP_END - AP_START, 1, true),
	SPAN("one byte too many", AP_END, 0, AP_START, AP_END - AP_START + 1, 1,
	     false),
	SPAN("guard on both sides fits", AP_END, SZ_4K, AP_START + SZ_4K, SZ_4K,
	     (AP_END - AP_START) / SZ_4K - 2, true),
	SPAN("guard one page over the end", AP_END, SZ_4K, AP_START + SZ_4K,
	     SZ_4K, (AP_END - AP_START) / SZ_4K - 1, false),
	SPAN("empty span", AP_END, 0, AP_START, SZ_4K, 0, false),
	SPAN("stride x rows overflowing 64 bits", AP_END, 0, AP_START,
	     1ull << 32, 1ull << 32, false),
	SPAN("base + length overflowing 64 bits", U64_MAX, 0, U64_MAX - SZ_4K,
	     SZ_8K, 1, false),
	SPAN("end + guard overflowing 64 bits", U64_MAX, SZ_16K,
	     U64_MAX - SZ_16K, SZ_4K, 1, false),
	SPAN("base - guard underflowing", AP_END, SZ_4K, 0, SZ_4K, 1, false),
	SPAN("empty aperture range", 0, 0, 0, SZ_4K, 1, false),
	SPAN("hidden range", AP_END, 0, HI_START, SZ_4K, 4, true),
};

static void dflip_span_case_desc(const struct dflip_span_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_span, dflip_span_cases, dflip_span_case_desc);

static void dflip_span_test(struct kunit *test)
{
	const struct dflip_span_case *t = test->param_value;

	KUNIT_EXPECT_EQ(test, dflip_span_fits(&t->gm, t->base, t->stride, t->rows,
					      t->gm.vtd_guard),
			t->fits);
}

#define GEO(_fmt, _mod, _w, _h, _stride)				\
	{ .format = (_fmt), .modifier = (_mod), .width = (_w),		\
	  .height = (_h), .stride = (_stride) }

static const struct dflip_geometry dflip_geo_base =
	GEO(DRM_FORMAT_XRGB8888, YT, 1920, 1080, 7680);

struct dflip_equal_case {
	const char *name;
	struct dflip_geometry geo;
	bool equal;
};

static const struct dflip_equal_case dflip_equal_cases[] = {
	{ "identical", GEO(DRM_FORMAT_XRGB8888, YT, 1920, 1080, 7680), true },
	{ "format differs",
	  GEO(DRM_FORMAT_XBGR8888, YT, 1920, 1080, 7680), false },
	{ "modifier differs",
	  GEO(DRM_FORMAT_XRGB8888, YF, 1920, 1080, 7680), false },
	{ "width differs",
	  GEO(DRM_FORMAT_XRGB8888, YT, 1921, 1080, 7680), false },
	{ "height differs",
	  GEO(DRM_FORMAT_XRGB8888, YT, 1920, 1081, 7680), false },
	{ "stride differs",
	  GEO(DRM_FORMAT_XRGB8888, YT, 1920, 1080, 8192), false },
};

static void dflip_equal_case_desc(const struct dflip_equal_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_equal, dflip_equal_cases, dflip_equal_case_desc);

static void dflip_geometry_equal_test(struct kunit *test)
{
	const struct dflip_equal_case *t = test->param_value;

	KUNIT_EXPECT_EQ(test, dflip_geometry_equal(&dflip_geo_base, &t->geo),
			t->equal);
	KUNIT_EXPECT_EQ(test, dflip_geometry_equal(&t->geo, &dflip_geo_base),
			t->equal);
}

struct dflip_name_case {
	enum dflip_reject why;
	const char *name;
};

static const struct dflip_name_case dflip_name_cases[] = {
	{ DFLIP_OK, "ok" },
	{ DFLIP_REJECT_FORMAT, "format" },
	{ DFLIP_REJECT_MODIFIER, "modifier" },
	{ DFLIP_REJECT_ROTATION, "rotation" },
	{ DFLIP_REJECT_SIZE, "size" },
	{ DFLIP_REJECT_STRIDE, "stride" },
	{ DFLIP_REJECT_ALIGN, "align" },
	{ DFLIP_REJECT_RANGE, "range" },
	{ DFLIP_REJECT_AUX_RANGE, "aux_range" },
	{ DFLIP_REJECT_OFFSET, "offset" },
	{ DFLIP_REJECT_COLORKEY, "colorkey" },
	{ DFLIP_REJECT_COUNT, "unknown" },
	{ (enum dflip_reject)-1, "unknown" },
};

static void dflip_name_case_desc(const struct dflip_name_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_name, dflip_name_cases, dflip_name_case_desc);

static void dflip_reject_name_test(struct kunit *test)
{
	const struct dflip_name_case *t = test->param_value;

	KUNIT_EXPECT_STREQ(test, dflip_reject_name(t->why), t->name);
}

/* Every reason has its own name, so debugfs counters never collide. */
static void dflip_reject_name_unique_test(struct kunit *test)
{
	enum dflip_reject a, b;

	for (a = DFLIP_OK; a < DFLIP_REJECT_COUNT; a++) {
		KUNIT_EXPECT_STRNEQ(test, dflip_reject_name(a), "unknown");
		for (b = a + 1; b < DFLIP_REJECT_COUNT; b++)
			KUNIT_EXPECT_STRNEQ(test, dflip_reject_name(a),
					    dflip_reject_name(b));
	}
}

/* Guest register values through dflip_decode_plane() and the validator */
struct dflip_regs_case {
	const char *name;
	enum dflip_plane_kind kind;
	struct dflip_plane_regs regs;
	int ret;
	enum dflip_reject why;
};

#define FHD_SIZE	(PLANE_HEIGHT(1080 - 1) | PLANE_WIDTH(1920 - 1))

static const struct dflip_regs_case dflip_regs_cases[] = {
	{ "Y-tiled 1080p in the aperture", DFLIP_PLANE_PRIMARY,
	  { .ctl = PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888 |
		   PLANE_CTL_TILED_Y, .stride = 60, .size = FHD_SIZE,
	    .surf = AP_START + SZ_1M }, 0, DFLIP_OK },
	{ "Y-tiled 1080p 1 MiB short of the end", DFLIP_PLANE_PRIMARY,
	  { .ctl = PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888 |
		   PLANE_CTL_TILED_Y, .stride = 60, .size = FHD_SIZE,
	    .surf = AP_END - SZ_8M + SZ_1M }, -ERANGE, DFLIP_REJECT_RANGE },
	{ "cursor 64x64 in the last 16 KiB of the aperture", DFLIP_PLANE_CURSOR,
	  { .ctl = MCURSOR_MODE_64_ARGB_AX, .surf = AP_END - SZ_16K,
	    .pos = CURSOR_POS_X_SIGN | CURSOR_POS_X(32) }, 0, DFLIP_OK },
	{ "cursor 128x128 in the last 16 KiB of the aperture", DFLIP_PLANE_CURSOR,
	  { .ctl = MCURSOR_MODE_128_ARGB_AX, .surf = AP_END - SZ_16K }, -ERANGE,
	  DFLIP_REJECT_RANGE },
	{ "largest PLANE_SIZE", DFLIP_PLANE_PRIMARY,
	  { .ctl = PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888,
	    .stride = 0xfff, .size = 0xffffffff, .surf = AP_START }, -EINVAL,
	  DFLIP_REJECT_SIZE },
	{ "largest PLANE_STRIDE", DFLIP_PLANE_PRIMARY,
	  { .ctl = PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888 |
		   PLANE_CTL_TILED_X, .stride = 0xfff, .size = FHD_SIZE,
	    .surf = AP_START }, -EINVAL, DFLIP_REJECT_STRIDE },
};

static void dflip_regs_case_desc(const struct dflip_regs_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_regs, dflip_regs_cases, dflip_regs_case_desc);

static void dflip_regs_test(struct kunit *test)
{
	const struct dflip_regs_case *t = test->param_value;
	struct dflip_plane_desc desc;
	enum dflip_reject why;

	KUNIT_ASSERT_EQ(test, dflip_decode_plane(t->kind, &t->regs, &desc, &why),
			0);
	KUNIT_ASSERT_TRUE(test, desc.enabled);
	KUNIT_EXPECT_EQ(test, dflip_validate_plane(&desc, &dflip_gm_split, &why),
			t->ret);
	KUNIT_EXPECT_EQ(test, why, t->why);
}

static struct kunit_case dflip_validate_test_cases[] = {
	KUNIT_CASE_PARAM(dflip_validate_test, dflip_validate_gen_params),
	KUNIT_CASE_PARAM(dflip_window_test, dflip_validate_gen_params),
	KUNIT_CASE_PARAM(dflip_span_test, dflip_span_gen_params),
	KUNIT_CASE_PARAM(dflip_regs_test, dflip_regs_gen_params),
	KUNIT_CASE_PARAM(dflip_geometry_equal_test, dflip_equal_gen_params),
	KUNIT_CASE_PARAM(dflip_reject_name_test, dflip_name_gen_params),
	KUNIT_CASE(dflip_reject_name_unique_test),
	{}
};

static struct kunit_suite dflip_validate_test_suite = {
	.name = "dflip_validate",
	.test_cases = dflip_validate_test_cases,
};

kunit_test_suite(dflip_validate_test_suite);
