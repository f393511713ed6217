// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * KUnit tests of the direct flip guest plane register decoder.
 */

#include <kunit/test.h>

#include <linux/errno.h>
#include <linux/string.h>

#include <drm/drm_blend.h>
#include <drm/drm_fourcc.h>

#include "display/intel_cursor_regs.h"
#include "display/skl_universal_plane_regs.h"

#include "../dflip.h"

#define EN		PLANE_CTL_ENABLE
#define FMT(f)		PLANE_CTL_FORMAT_##f
#define TILE(t)		PLANE_CTL_TILED_##t
#define RC		PLANE_CTL_RENDER_DECOMPRESSION_ENABLE
#define SIZE(w, h)	(PLANE_HEIGHT((h) - 1) | PLANE_WIDTH((w) - 1))
#define SURF		0x01000000u

struct dflip_decode_case {
	const char *name;
	enum dflip_plane_kind kind;
	struct dflip_plane_regs regs;
	int ret;
	enum dflip_reject why;
	struct dflip_plane_desc want;
};

/* An enabled 1920x1080 universal plane at SURF */
#define UNIV(_name, _ctl, _sreg, _fmt, _mod, _stride)			\
	{								\
		.name = _name,						\
		.kind = DFLIP_PLANE_PRIMARY,				\
		.regs = { .ctl = EN | (_ctl), .stride = (_sreg),	\
			  .size = SIZE(1920, 1080), .surf = SURF },	\
		.want = { .kind = DFLIP_PLANE_PRIMARY,			\
			  .enabled = true, .surf = SURF,		\
			  .geo = { .format = (_fmt),			\
				   .modifier = (_mod),			\
				   .width = 1920, .height = 1080,	\
				   .stride = (_stride) } },		\
	}

/* A universal plane whose PLANE_CTL cannot be decoded */
#define UNIV_BAD(_name, _ctl, _ret, _why)				\
	{								\
		.name = _name,						\
		.kind = DFLIP_PLANE_PRIMARY,				\
		.regs = { .ctl = EN | (_ctl), .stride = 120,		\
			  .size = SIZE(1920, 1080), .surf = SURF },	\
		.ret = (_ret), .why = (_why),				\
		.want = { .kind = DFLIP_PLANE_PRIMARY },		\
	}

/* Width, height and stride of each ARGB cursor size */
#define CURSOR_GEO_64	.width = 64, .height = 64, .stride = 256
#define CURSOR_GEO_128	.width = 128, .height = 128, .stride = 512
#define CURSOR_GEO_256	.width = 256, .height = 256, .stride = 1024

/* An enabled cursor at SURF */
#define CURSOR(_name, _ctl, _pos, _size, _x, _y)			\
	{								\
		.name = _name,						\
		.kind = DFLIP_PLANE_CURSOR,				\
		.regs = { .ctl = (_ctl), .pos = (_pos),			\
			  .surf = SURF | 0xabc },			\
		.want = { .kind = DFLIP_PLANE_CURSOR,			\
			  .enabled = true, .surf = SURF,		\
			  .crtc_x = (_x), .crtc_y = (_y),		\
			  .geo = { .format = DRM_FORMAT_ARGB8888,	\
				   .modifier = DRM_FORMAT_MOD_LINEAR,	\
				   CURSOR_GEO_##_size } },		\
	}

#define CURSOR_BAD(_name, _ctl, _ret, _why)				\
	{								\
		.name = _name,						\
		.kind = DFLIP_PLANE_CURSOR,				\
		.regs = { .ctl = (_ctl), .surf = SURF },		\
		.ret = (_ret), .why = (_why),				\
		.want = { .kind = DFLIP_PLANE_CURSOR },			\
	}

#define LIN	DRM_FORMAT_MOD_LINEAR

static const struct dflip_decode_case dflip_decode_cases[] = {
	/* every Gen9 format, linear: PLANE_STRIDE counts 64 bytes */
	UNIV("XRGB8888 linear", FMT(XRGB_8888), 120,
	     DRM_FORMAT_XRGB8888, LIN, 7680),
	UNIV("XBGR8888 linear (RGBX order)", FMT(XRGB_8888) | PLANE_CTL_ORDER_RGBX,
	     120, DRM_FORMAT_XBGR8888, LIN, 7680),
	UNIV("ARGB8888 linear (SW premultiplied)",
	     FMT(XRGB_8888) | PLANE_CTL_ALPHA_SW_PREMULTIPLY, 120,
	     DRM_FORMAT_ARGB8888, LIN, 7680),
	UNIV("ARGB8888 linear (HW premultiplied)",
	     FMT(XRGB_8888) | PLANE_CTL_ALPHA_HW_PREMULTIPLY, 120,
	     DRM_FORMAT_ARGB8888, LIN, 7680),
	UNIV("ABGR8888 linear",
	     FMT(XRGB_8888) | PLANE_CTL_ORDER_RGBX | PLANE_CTL_ALPHA_SW_PREMULTIPLY,
	     120, DRM_FORMAT_ABGR8888, LIN, 7680),
	UNIV("XRGB2101010 linear", FMT(XRGB_2101010), 120,
	     DRM_FORMAT_XRGB2101010, LIN, 7680),
	UNIV("XBGR2101010 linear", FMT(XRGB_2101010) | PLANE_CTL_ORDER_RGBX, 120,
	     DRM_FORMAT_XBGR2101010, LIN, 7680),
	UNIV("RGB565 linear", FMT(RGB_565), 60, DRM_FORMAT_RGB565, LIN, 3840),
	UNIV("YUYV linear", FMT(YUV422) | PLANE_CTL_YUV422_ORDER_YUYV, 60,
	     DRM_FORMAT_YUYV, LIN, 3840),
	UNIV("UYVY linear", FMT(YUV422) | PLANE_CTL_YUV422_ORDER_UYVY, 60,
	     DRM_FORMAT_UYVY, LIN, 3840),
	UNIV("YVYU linear", FMT(YUV422) | PLANE_CTL_YUV422_ORDER_YVYU, 60,
	     DRM_FORMAT_YVYU, LIN, 3840),
	UNIV("VYUY linear", FMT(YUV422) | PLANE_CTL_YUV422_ORDER_VYUY, 60,
	     DRM_FORMAT_VYUY, LIN, 3840),
	UNIV("XYUV8888 linear", FMT(XYUV), 120, DRM_FORMAT_XYUV8888, LIN, 7680),
	UNIV("XRGB16161616F linear", FMT(XRGB_16161616F), 240,
	     DRM_FORMAT_XRGB16161616F, LIN, 15360),
	UNIV("XBGR16161616F linear", FMT(XRGB_16161616F) | PLANE_CTL_ORDER_RGBX,
	     240, DRM_FORMAT_XBGR16161616F, LIN, 15360),

	/* every modifier: tiled strides count tile widths */
	UNIV("XRGB8888 X-tiled (512 byte tiles)", FMT(XRGB_8888) | TILE(X), 15,
	     DRM_FORMAT_XRGB8888, I915_FORMAT_MOD_X_TILED, 7680),
	UNIV("XRGB8888 Y-tiled (128 byte tiles)", FMT(XRGB_8888) | TILE(Y), 60,
	     DRM_FORMAT_XRGB8888, I915_FORMAT_MOD_Y_TILED, 7680),
	UNIV("XRGB8888 Yf-tiled (128 byte tiles at 4 cpp)",
	     FMT(XRGB_8888) | TILE(YF), 60,
	     DRM_FORMAT_XRGB8888, I915_FORMAT_MOD_Yf_TILED, 7680),
	UNIV("RGB565 Yf-tiled (128 byte tiles at 2 cpp)", FMT(RGB_565) | TILE(YF),
	     30, DRM_FORMAT_RGB565, I915_FORMAT_MOD_Yf_TILED, 3840),
	UNIV("XRGB16161616F Yf-tiled (256 byte tiles at 8 cpp)",
	     FMT(XRGB_16161616F) | TILE(YF), 60,
	     DRM_FORMAT_XRGB16161616F, I915_FORMAT_MOD_Yf_TILED, 15360),
	UNIV("XRGB16161616F X-tiled", FMT(XRGB_16161616F) | TILE(X), 30,
	     DRM_FORMAT_XRGB16161616F, I915_FORMAT_MOD_X_TILED, 15360),

	/* addresses, offsets, position, flags */
	{
		.name = "surface low bits, offsets, position, async, source key",
		.kind = DFLIP_PLANE_SPRITE,
		.regs = {
			.ctl = EN | FMT(XRGB_8888) | TILE(X) | PLANE_CTL_ASYNC_FLIP |
			       PLANE_CTL_KEY_ENABLE_SOURCE,
			.stride = PLANE_STRIDE_(8) | ~PLANE_STRIDE__MASK,
			.pos = PLANE_POS_Y(200) | PLANE_POS_X(100),
			.size = SIZE(1024, 768),
			.offset = PLANE_OFFSET_Y(32) | PLANE_OFFSET_X(16),
			.surf = 0x12345000 | PLANE_SURF_DECRYPT | 0x3,
			.keyval = 0x102030, .keymsk = PLANE_KEYMSK_ALPHA_ENABLE | 0xff,
			.keymax = 0x405060,
		},
		.want = {
			.kind = DFLIP_PLANE_SPRITE, .enabled = true,
			.geo = { .format = DRM_FORMAT_XRGB8888,
				 .modifier = I915_FORMAT_MOD_X_TILED,
				 .width = 1024, .height = 768, .stride = 4096 },
			.surf = 0x12345000, .x = 16, .y = 32,
			.crtc_x = 100, .crtc_y = 200, .async = true,
			.key = { .mode = DFLIP_KEY_SOURCE, .value = 0x102030,
				 .mask = PLANE_KEYMSK_ALPHA_ENABLE | 0xff,
				 .max = 0x405060 },
		},
	},
	{
		.name = "destination key, largest PLANE_SIZE",
		.kind = DFLIP_PLANE_PRIMARY,
		.regs = {
			.ctl = EN | FMT(XRGB_8888) | PLANE_CTL_KEY_ENABLE_DESTINATION,
			.stride = 512, .size = 0xffffffff, .surf = SURF,
		},
		.want = {
			.kind = DFLIP_PLANE_PRIMARY, .enabled = true,
			.geo = { .format = DRM_FORMAT_XRGB8888, .modifier = LIN,
				 .width = 65536, .height = 65536, .stride = 32768 },
			.surf = SURF,
			.key = { .mode = DFLIP_KEY_DESTINATION },
		},
	},
	{
		.name = "disabled plane decodes to nothing",
		.kind = DFLIP_PLANE_PRIMARY,
		.regs = { .ctl = FMT(XRGB_8888) | TILE(Y), .stride = 60,
			  .size = SIZE(1920, 1080), .surf = SURF },
		.want = { .kind = DFLIP_PLANE_PRIMARY },
	},

	/* reserved and unsupported PLANE_CTL values */
	UNIV_BAD("reserved format 9", REG_FIELD_PREP(PLANE_CTL_FORMAT_MASK_SKL, 9),
		 -EINVAL, DFLIP_REJECT_FORMAT),
	UNIV_BAD("reserved format 10", REG_FIELD_PREP(PLANE_CTL_FORMAT_MASK_SKL, 10),
		 -EINVAL, DFLIP_REJECT_FORMAT),
	UNIV_BAD("reserved format 11", REG_FIELD_PREP(PLANE_CTL_FORMAT_MASK_SKL, 11),
		 -EINVAL, DFLIP_REJECT_FORMAT),
	UNIV_BAD("reserved format 13", REG_FIELD_PREP(PLANE_CTL_FORMAT_MASK_SKL, 13),
		 -EINVAL, DFLIP_REJECT_FORMAT),
	UNIV_BAD("reserved format 15", REG_FIELD_PREP(PLANE_CTL_FORMAT_MASK_SKL, 15),
		 -EINVAL, DFLIP_REJECT_FORMAT),
	UNIV_BAD("NV12 is not shown (a second colour plane)", FMT(NV12),
		 -EOPNOTSUPP, DFLIP_REJECT_FORMAT),
	UNIV_BAD("indexed 8 bit is not scanned out", FMT(INDEXED),
		 -EOPNOTSUPP, DFLIP_REJECT_FORMAT),
	UNIV_BAD("P010 is not Gen9", FMT(P010), -EOPNOTSUPP, DFLIP_REJECT_FORMAT),
	UNIV_BAD("P012 is not Gen9", FMT(P012), -EOPNOTSUPP, DFLIP_REJECT_FORMAT),
	UNIV_BAD("P016 is not Gen9", FMT(P016), -EOPNOTSUPP, DFLIP_REJECT_FORMAT),
	UNIV_BAD("reserved alpha mode 1",
		 FMT(XRGB_8888) | REG_FIELD_PREP(PLANE_CTL_ALPHA_MASK, 1),
		 -EINVAL, DFLIP_REJECT_FORMAT),
	UNIV_BAD("alpha with 2:10:10:10", FMT(XRGB_2101010) |
		 PLANE_CTL_ALPHA_SW_PREMULTIPLY, -EINVAL, DFLIP_REJECT_FORMAT),
	UNIV_BAD("alpha with FP16", FMT(XRGB_16161616F) |
		 PLANE_CTL_ALPHA_HW_PREMULTIPLY, -EINVAL, DFLIP_REJECT_FORMAT),
	UNIV_BAD("alpha with YUV 4:2:2", FMT(YUV422) |
		 PLANE_CTL_ALPHA_HW_PREMULTIPLY, -EINVAL, DFLIP_REJECT_FORMAT),
	UNIV_BAD("reserved tiling 2",
		 FMT(XRGB_8888) | REG_FIELD_PREP(PLANE_CTL_TILED_MASK, 2),
		 -EINVAL, DFLIP_REJECT_MODIFIER),
	UNIV_BAD("reserved tiling 3",
		 FMT(XRGB_8888) | REG_FIELD_PREP(PLANE_CTL_TILED_MASK, 3),
		 -EINVAL, DFLIP_REJECT_MODIFIER),
	UNIV_BAD("reserved tiling 6",
		 FMT(XRGB_8888) | REG_FIELD_PREP(PLANE_CTL_TILED_MASK, 6),
		 -EINVAL, DFLIP_REJECT_MODIFIER),
	UNIV_BAD("reserved tiling 7",
		 FMT(XRGB_8888) | REG_FIELD_PREP(PLANE_CTL_TILED_MASK, 7),
		 -EINVAL, DFLIP_REJECT_MODIFIER),
	UNIV_BAD("Y-tiled CCS is not shown (a control surface)",
		 FMT(XRGB_8888) | TILE(Y) | RC, -EOPNOTSUPP, DFLIP_REJECT_MODIFIER),
	UNIV_BAD("Yf-tiled CCS is not shown",
		 FMT(XRGB_8888) | TILE(YF) | RC, -EOPNOTSUPP, DFLIP_REJECT_MODIFIER),
	UNIV_BAD("rotation 90 is not shown", FMT(XRGB_8888) | TILE(Y) |
		 PLANE_CTL_ROTATE_90, -EOPNOTSUPP, DFLIP_REJECT_ROTATION),
	UNIV_BAD("rotation 180 is not shown", FMT(XRGB_8888) |
		 PLANE_CTL_ROTATE_180, -EOPNOTSUPP, DFLIP_REJECT_ROTATION),
	UNIV_BAD("rotation 270 is not shown", FMT(XRGB_8888) | TILE(YF) |
		 PLANE_CTL_ROTATE_270, -EOPNOTSUPP, DFLIP_REJECT_ROTATION),
	UNIV_BAD("horizontal flip is reserved on Gen9", FMT(XRGB_8888) | TILE(X) |
		 PLANE_CTL_FLIP_HORIZONTAL, -EINVAL, DFLIP_REJECT_ROTATION),
	UNIV_BAD("render decompression on linear", FMT(XRGB_8888) | RC,
		 -EINVAL, DFLIP_REJECT_MODIFIER),
	UNIV_BAD("render decompression on X-tiled", FMT(XRGB_8888) | TILE(X) | RC,
		 -EINVAL, DFLIP_REJECT_MODIFIER),
	UNIV_BAD("reserved colour key mode 3",
		 FMT(XRGB_8888) | PLANE_CTL_KEY_ENABLE_MASK,
		 -EINVAL, DFLIP_REJECT_COLORKEY),
	{
		.name = "unknown plane kind",
		.kind = DFLIP_PLANE_KINDS,
		.regs = { .ctl = EN | FMT(XRGB_8888), .stride = 120,
			  .size = SIZE(1920, 1080), .surf = SURF },
		.ret = -EINVAL, .why = DFLIP_REJECT_FORMAT,
		.want = { .kind = DFLIP_PLANE_KINDS },
	},

	/* cursor: sizes, sign-magnitude positions, rotation */
	CURSOR("cursor 64x64 ARGB", MCURSOR_MODE_64_ARGB_AX,
	       CURSOR_POS_Y(20) | CURSOR_POS_X(10), 64, 10, 20),
	CURSOR("cursor 128x128 ARGB", MCURSOR_MODE_128_ARGB_AX,
	       CURSOR_POS_Y(0) | CURSOR_POS_X(0), 128, 0, 0),
	CURSOR("cursor 256x256 ARGB, pipe and gamma bits ignored",
	       MCURSOR_MODE_256_ARGB_AX | MCURSOR_PIPE_SEL(1) |
	       MCURSOR_PIPE_GAMMA_ENABLE,
	       CURSOR_POS_Y(4095) | CURSOR_POS_X(4095), 256, 4095, 4095),
	CURSOR("cursor negative x", MCURSOR_MODE_64_ARGB_AX,
	       CURSOR_POS_X_SIGN | CURSOR_POS_X(5) | CURSOR_POS_Y(7), 64, -5, 7),
	CURSOR("cursor negative y", MCURSOR_MODE_64_ARGB_AX,
	       CURSOR_POS_Y_SIGN | CURSOR_POS_Y(63) | CURSOR_POS_X(9), 64, 9, -63),
	CURSOR("cursor negative x and y, largest magnitude", MCURSOR_MODE_128_ARGB_AX,
	       CURSOR_POS_Y_SIGN | CURSOR_POS_Y_MASK |
	       CURSOR_POS_X_SIGN | CURSOR_POS_X_MASK, 128, -32767, -32767),
	CURSOR("cursor negative zero", MCURSOR_MODE_64_ARGB_AX,
	       CURSOR_POS_Y_SIGN | CURSOR_POS_X_SIGN, 64, 0, 0),
	CURSOR_BAD("cursor rotated 180 is not shown",
		   MCURSOR_MODE_256_ARGB_AX | MCURSOR_ROTATE_180, -EOPNOTSUPP,
		   DFLIP_REJECT_ROTATION),
	{
		.name = "cursor disabled",
		.kind = DFLIP_PLANE_CURSOR,
		.regs = { .ctl = MCURSOR_MODE_DISABLE | MCURSOR_ROTATE_180,
			  .pos = CURSOR_POS_X(3), .surf = SURF },
		.want = { .kind = DFLIP_PLANE_CURSOR },
	},
	CURSOR_BAD("cursor 64x64 2 bpp", MCURSOR_MODE_64_2B, -EOPNOTSUPP,
		   DFLIP_REJECT_FORMAT),
	CURSOR_BAD("cursor 64x64 AND/XOR", MCURSOR_MODE_64_32B_AX, -EOPNOTSUPP,
		   DFLIP_REJECT_FORMAT),
	CURSOR_BAD("cursor 128x128 AND/XOR", MCURSOR_MODE_128_32B_AX, -EOPNOTSUPP,
		   DFLIP_REJECT_FORMAT),
	CURSOR_BAD("cursor 256x256 AND/XOR", MCURSOR_MODE_256_32B_AX, -EOPNOTSUPP,
		   DFLIP_REJECT_FORMAT),
	CURSOR_BAD("cursor reserved mode 0x01", 0x01, -EINVAL,
		   DFLIP_REJECT_FORMAT),
	CURSOR_BAD("cursor reserved mode 0x05", 0x05, -EINVAL,
		   DFLIP_REJECT_FORMAT),
	CURSOR_BAD("cursor reserved mode 0x20", 0x20, -EINVAL,
		   DFLIP_REJECT_FORMAT),
	CURSOR_BAD("cursor reserved mode 0x26", 0x26, -EINVAL,
		   DFLIP_REJECT_FORMAT),
};

static void dflip_decode_case_desc(const struct dflip_decode_case *t,
				   char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_decode, dflip_decode_cases, dflip_decode_case_desc);

static void dflip_expect_geometry(struct kunit *test,
				  const struct dflip_geometry *got,
				  const struct dflip_geometry *want)
{
	KUNIT_EXPECT_EQ(test, got->format, want->format);
	KUNIT_EXPECT_EQ(test, got->modifier, want->modifier);
	KUNIT_EXPECT_EQ(test, got->width, want->width);
	KUNIT_EXPECT_EQ(test, got->height, want->height);
	KUNIT_EXPECT_EQ(test, got->stride, want->stride);
	KUNIT_EXPECT_TRUE(test, dflip_geometry_equal(got, want));
}

static void dflip_decode_test(struct kunit *test)
{
	const struct dflip_decode_case *t = test->param_value;
	const struct dflip_plane_desc *want = &t->want;
	struct dflip_plane_desc got;
	enum dflip_reject why = DFLIP_REJECT_COUNT;

	memset(&got, 0x5a, sizeof(got));
	KUNIT_EXPECT_EQ(test, dflip_decode_plane(t->kind, &t->regs, &got, &why),
			t->ret);
	KUNIT_EXPECT_EQ(test, why, t->why);

	KUNIT_EXPECT_EQ(test, got.kind, want->kind);
	KUNIT_EXPECT_EQ(test, got.enabled, want->enabled);
	dflip_expect_geometry(test, &got.geo, &want->geo);
	KUNIT_EXPECT_EQ(test, got.surf, want->surf);
	KUNIT_EXPECT_EQ(test, got.x, want->x);
	KUNIT_EXPECT_EQ(test, got.y, want->y);
	KUNIT_EXPECT_EQ(test, got.crtc_x, want->crtc_x);
	KUNIT_EXPECT_EQ(test, got.crtc_y, want->crtc_y);
	KUNIT_EXPECT_EQ(test, got.async, want->async);
	KUNIT_EXPECT_EQ(test, got.key.mode, want->key.mode);
	KUNIT_EXPECT_EQ(test, got.key.value, want->key.value);
	KUNIT_EXPECT_EQ(test, got.key.mask, want->key.mask);
	KUNIT_EXPECT_EQ(test, got.key.max, want->key.max);
}

struct dflip_layout_case {
	const char *name;
	struct dflip_geometry geo;
	int ret;
	struct dflip_layout want;
};

#define LAYOUT(_name, _fmt, _mod, _cpp, _unit, _rows)			\
	{								\
		.name = _name,						\
		.geo = { .format = (_fmt), .modifier = (_mod) },	\
		.want = { .cpp = (_cpp), .stride_unit = (_unit),	\
			  .tile_rows = (_rows) },			\
	}

static const struct dflip_layout_case dflip_layout_cases[] = {
	LAYOUT("linear", DRM_FORMAT_XRGB8888, LIN, 4, 64, 1),
	LAYOUT("X-tiled", DRM_FORMAT_RGB565, I915_FORMAT_MOD_X_TILED, 2, 512, 8),
	LAYOUT("Y-tiled", DRM_FORMAT_XRGB8888, I915_FORMAT_MOD_Y_TILED, 4, 128, 32),
	LAYOUT("Yf-tiled 2 cpp", DRM_FORMAT_YUYV, I915_FORMAT_MOD_Yf_TILED,
	       2, 128, 32),
	LAYOUT("Yf-tiled 8 cpp", DRM_FORMAT_XBGR16161616F,
	       I915_FORMAT_MOD_Yf_TILED, 8, 256, 16),
	{ .name = "NV12 has no layout (refused at decode)",
	  .geo = { .format = DRM_FORMAT_NV12, .modifier = LIN }, .ret = -EINVAL },
	{ .name = "Y CCS has no layout (refused at decode)",
	  .geo = { .format = DRM_FORMAT_XRGB8888,
		   .modifier = I915_FORMAT_MOD_Y_TILED_CCS }, .ret = -EINVAL },
	{ .name = "unknown format",
	  .geo = { .format = DRM_FORMAT_C8, .modifier = LIN }, .ret = -EINVAL },
	{ .name = "unknown modifier",
	  .geo = { .format = DRM_FORMAT_XRGB8888,
		   .modifier = I915_FORMAT_MOD_4_TILED }, .ret = -EINVAL },
};

static void dflip_layout_case_desc(const struct dflip_layout_case *t,
				   char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_layout, dflip_layout_cases, dflip_layout_case_desc);

static void dflip_layout_test(struct kunit *test)
{
	const struct dflip_layout_case *t = test->param_value;
	struct dflip_layout got;

	KUNIT_ASSERT_EQ(test, dflip_plane_layout(&t->geo, &got), t->ret);
	if (t->ret)
		return;
	KUNIT_EXPECT_EQ(test, got.cpp, t->want.cpp);
	KUNIT_EXPECT_EQ(test, got.stride_unit, t->want.stride_unit);
	KUNIT_EXPECT_EQ(test, got.tile_rows, t->want.tile_rows);
}

static struct kunit_case dflip_decode_test_cases[] = {
	KUNIT_CASE_PARAM(dflip_decode_test, dflip_decode_gen_params),
	KUNIT_CASE_PARAM(dflip_layout_test, dflip_layout_gen_params),
	{}
};

static struct kunit_suite dflip_decode_test_suite = {
	.name = "dflip_decode",
	.test_cases = dflip_decode_test_cases,
};

kunit_test_suite(dflip_decode_test_suite);
