// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * KUnit test of the direct flip surface offset split
 * (gvt/dflip/dflip_offset.c) against i915's own.
 *
 * Each case is a compositor's source offset, which i915 splits between the
 * surface address and PLANE_OFFSET (skl_calc_main_surface_offset() on a
 * real Skylake plane of the fake device), plus a guest's offset into its
 * surface. dflip_offset_split() of i915's split plus the guest's offset
 * must give what i915 gives for the sum: the same surface part and x/y.
 */

#include <kunit/test.h>

#include <linux/sizes.h>

#include <drm/drm_fourcc.h>

#include "i915_drv.h"
#include "display/intel_display_types.h"
#include "display/skl_universal_plane.h"

#include "../dflip_host.h"
#include "dflip_skl_host.h"

/**
 * struct dflip_offset_case - one split
 * @name: case name
 * @modifier: the surface's tiling
 * @format: its format
 * @stride: bytes per row
 * @width: pixels the plane reads per row
 * @sx: the compositor's source x offset
 * @sy: its y offset
 * @gx: the guest's x offset (PLANE_OFFSET)
 * @gy: its y offset
 */
struct dflip_offset_case {
	const char *name;
	u64 modifier;
	u32 format;
	u32 stride;
	u32 width;
	u32 sx, sy, gx, gy;
};

static const struct dflip_offset_case dflip_offset_cases[] = {
	{ "linear_no_offset", DRM_FORMAT_MOD_LINEAR, DRM_FORMAT_XRGB8888,
	  7680, 1920, 0, 0, 0, 0 },
	{ "linear_guest_only", DRM_FORMAT_MOD_LINEAR, DRM_FORMAT_XRGB8888,
	  15360, 1920, 0, 0, 1920, 8 },
	{ "linear_both_past_alignment", DRM_FORMAT_MOD_LINEAR,
	  DRM_FORMAT_XRGB8888, 15360, 1904, 16, 100, 1920, 8 },
	{ "linear_rgb565_deep", DRM_FORMAT_MOD_LINEAR, DRM_FORMAT_RGB565,
	  4096, 1000, 24, 1500, 1000, 900 },
	{ "x_tiled_small_offsets", I915_FORMAT_MOD_X_TILED,
	  DRM_FORMAT_XRGB8888, 15360, 1904, 16, 4, 1920, 8 },
	{ "x_tiled_sum_past_stride", I915_FORMAT_MOD_X_TILED,
	  DRM_FORMAT_XRGB8888, 15360, 1904, 16, 100, 1920, 8 },
	{ "x_tiled_deep_rows", I915_FORMAT_MOD_X_TILED, DRM_FORMAT_XRGB8888,
	  15360, 1000, 300, 700, 2000, 1000 },
	{ "x_tiled_narrow_stride", I915_FORMAT_MOD_X_TILED,
	  DRM_FORMAT_XRGB8888, 4096, 600, 100, 37, 300, 71 },
	{ "x_tiled_rgb565", I915_FORMAT_MOD_X_TILED, DRM_FORMAT_RGB565,
	  8192, 2000, 40, 333, 2000, 64 },
	{ "y_tiled_both", I915_FORMAT_MOD_Y_TILED, DRM_FORMAT_XRGB8888,
	  15360, 1904, 16, 100, 1920, 40 },
	{ "y_tiled_guest_only", I915_FORMAT_MOD_Y_TILED, DRM_FORMAT_XRGB8888,
	  7680, 960, 0, 0, 960, 33 },
	{ "yf_tiled_both", I915_FORMAT_MOD_Yf_TILED, DRM_FORMAT_XRGB8888,
	  15360, 1904, 16, 100, 1920, 40 },
	{ "yf_tiled_rgb565", I915_FORMAT_MOD_Yf_TILED, DRM_FORMAT_RGB565,
	  7680, 1800, 30, 70, 1900, 130 },
};

static void dflip_offset_case_desc(const struct dflip_offset_case *t,
				   char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_offset, dflip_offset_cases, dflip_offset_case_desc);

/* i915's split of @x, @y on pipe A's primary, as its atomic check makes it */
static int dflip_offset_i915(struct kunit *test, struct dflip_skl_host *fh,
			     const struct dflip_offset_case *t, u32 x, u32 y,
			     struct dflip_offset *off)
{
	struct intel_plane *plane = fh->planes[PIPE_A][0];
	struct intel_framebuffer *fb;
	struct intel_plane_state *state;
	int ix = x, iy = y;
	int ret;

	fb = kunit_kzalloc(test, sizeof(*fb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	state = kunit_kzalloc(test, sizeof(*state), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, state);
	fb->base.dev = &fh->i915->drm;
	fb->base.format = drm_format_info(t->format);
	fb->base.modifier = t->modifier;
	fb->base.pitches[0] = t->stride;
	state->uapi.plane = &plane->base;
	state->hw.fb = &fb->base;
	state->hw.rotation = DRM_MODE_ROTATE_0;
	state->uapi.src = DRM_RECT_INIT(x << 16, y << 16, t->width << 16,
					SZ_1K << 16);
	state->view.gtt.type = I915_GTT_VIEW_NORMAL;
	state->view.color_plane[0].mapping_stride = t->stride;
	state->view.color_plane[0].scanout_stride = t->stride;

	ret = skl_calc_main_surface_offset(state, &ix, &iy, &off->surf);
	off->x = ix;
	off->y = iy;
	return ret;
}

/* the case's surface, 1024 rows high */
static struct dflip_geometry dflip_offset_geo(const struct dflip_offset_case *t)
{
	return (struct dflip_geometry){
		.format = t->format,
		.modifier = t->modifier,
		.width = t->width,
		.height = SZ_1K,
		.stride = t->stride,
	};
}

static void dflip_offset_matches_i915(struct kunit *test)
{
	const struct dflip_offset_case *t = test->param_value;
	struct dflip_skl_host *fh = dflip_skl_host_create(test);
	struct dflip_geometry geo = dflip_offset_geo(t);
	struct dflip_offset want, got;

	/* each case is one i915 programs, for the sum too */
	KUNIT_ASSERT_EQ(test, dflip_offset_i915(test, fh, t, t->sx, t->sy,
						&got), 0);
	KUNIT_ASSERT_EQ(test, dflip_offset_i915(test, fh, t, t->sx + t->gx,
						t->sy + t->gy, &want), 0);
	got.x += t->gx;
	got.y += t->gy;

	KUNIT_ASSERT_EQ(test, dflip_offset_split(&geo, t->width, &got), 0);
	KUNIT_EXPECT_EQ(test, got.surf, want.surf);
	KUNIT_EXPECT_EQ(test, got.x, want.x);
	KUNIT_EXPECT_EQ(test, got.y, want.y);
}

/* A split i915 made is kept as it is. */
static void dflip_offset_keeps_i915_split(struct kunit *test)
{
	const struct dflip_offset_case *t = test->param_value;
	struct dflip_skl_host *fh = dflip_skl_host_create(test);
	struct dflip_geometry geo = dflip_offset_geo(t);
	struct dflip_offset i915, got;

	KUNIT_ASSERT_EQ(test, dflip_offset_i915(test, fh, t, t->sx, t->sy,
						&i915), 0);
	got = i915;
	KUNIT_ASSERT_EQ(test, dflip_offset_split(&geo, t->width, &got), 0);
	KUNIT_EXPECT_EQ(test, got.surf, i915.surf);
	KUNIT_EXPECT_EQ(test, got.x, i915.x);
	KUNIT_EXPECT_EQ(test, got.y, i915.y);
}

/*
 * An X-tiled read as wide as the stride needs x at 0: from a start in the
 * middle of a tile row there is none, and the split says so.
 */
static void dflip_offset_refuses_x_tiled_overhang(struct kunit *test)
{
	struct dflip_geometry geo = {
		.format = DRM_FORMAT_XRGB8888,
		.modifier = I915_FORMAT_MOD_X_TILED,
		.width = 1024,
		.height = 768,
		.stride = 4096,
	};
	struct dflip_offset off = { .x = 128 };

	KUNIT_EXPECT_EQ(test, dflip_offset_split(&geo, 1024, &off), -ERANGE);
}

/*
 * Beyond PLANE_OFFSET's 13 bits of x even after the split: refused. No
 * validated geometry has such a stride (32 KiB at most); the check guards
 * the register field.
 */
static void dflip_offset_refuses_beyond_register(struct kunit *test)
{
	struct dflip_geometry geo = {
		.format = DRM_FORMAT_XRGB8888,
		.modifier = DRM_FORMAT_MOD_LINEAR,
		.width = 16,
		.height = 16,
		.stride = SZ_512K,
	};
	struct dflip_offset off = { .y = 0 };

	/* 256 KiB alignment, 512 KiB rows: every row starts aligned */
	off.x = 8192;
	KUNIT_EXPECT_EQ(test, dflip_offset_split(&geo, 16, &off), -ERANGE);
}

static struct kunit_case dflip_offset_test_cases[] = {
	KUNIT_CASE_PARAM(dflip_offset_matches_i915, dflip_offset_gen_params),
	KUNIT_CASE_PARAM(dflip_offset_keeps_i915_split,
			 dflip_offset_gen_params),
	KUNIT_CASE(dflip_offset_refuses_x_tiled_overhang),
	KUNIT_CASE(dflip_offset_refuses_beyond_register),
	{}
};

static struct kunit_suite dflip_offset_test_suite = {
	.name = "dflip_offset",
	.test_cases = dflip_offset_test_cases,
};

kunit_test_suite(dflip_offset_test_suite);
