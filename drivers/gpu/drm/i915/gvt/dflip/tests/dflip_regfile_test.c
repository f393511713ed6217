// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * KUnit tests of the Gen9 plane register-file model.
 */

#include <kunit/test.h>

#include "display/intel_cursor_regs.h"
#include "display/skl_universal_plane_regs.h"

#include "dflip_regfile.h"

static struct dflip_regfile *dflip_rf_new(struct kunit *test)
{
	struct dflip_regfile *rf = kunit_kzalloc(test, sizeof(*rf), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, rf);
	dflip_rf_init(rf);
	return rf;
}

static void dflip_rf_wr(struct kunit *test, struct dflip_regfile *rf,
			unsigned int pipe, unsigned int plane,
			enum dflip_rf_reg reg, u32 val)
{
	KUNIT_ASSERT_EQ(test, 0,
			dflip_rf_write(rf, dflip_rf_reg(pipe, plane, reg), val));
}

static void dflip_regfile_test_offsets(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0x70180u,
			i915_mmio_reg_offset(dflip_rf_reg(0, 0, DFLIP_RF_CTL)));
	KUNIT_EXPECT_EQ(test, 0x7129cu,
			i915_mmio_reg_offset(dflip_rf_reg(1, 1, DFLIP_RF_SURF)));
	KUNIT_EXPECT_EQ(test, 0x723a4u,
			i915_mmio_reg_offset(dflip_rf_reg(2, 2, DFLIP_RF_OFFSET)));
	KUNIT_EXPECT_EQ(test, 0x70080u,
			i915_mmio_reg_offset(dflip_rf_reg(0, DFLIP_RF_CURSOR,
							  DFLIP_RF_CTL)));
	KUNIT_EXPECT_EQ(test, 0x71084u,
			i915_mmio_reg_offset(dflip_rf_reg(1, DFLIP_RF_CURSOR,
							  DFLIP_RF_SURF)));
	KUNIT_EXPECT_EQ(test, 0x72088u,
			i915_mmio_reg_offset(dflip_rf_reg(2, DFLIP_RF_CURSOR,
							  DFLIP_RF_POS)));
	KUNIT_EXPECT_FALSE(test, i915_mmio_reg_valid(dflip_rf_reg(0, DFLIP_RF_CURSOR,
								  DFLIP_RF_STRIDE)));
}

static void dflip_regfile_test_unknown_register(struct kunit *test)
{
	struct dflip_regfile *rf = dflip_rf_new(test);

	KUNIT_EXPECT_EQ(test, -ENOENT, dflip_rf_write(rf, _MMIO(0x70000), 1));
	KUNIT_EXPECT_EQ(test, 0u, rf->writes);
}

static void dflip_regfile_test_staging(struct kunit *test)
{
	struct dflip_regfile *rf = dflip_rf_new(test);

	dflip_rf_wr(test, rf, 0, 0, DFLIP_RF_STRIDE, 8);
	dflip_rf_wr(test, rf, 0, 0, DFLIP_RF_POS, 0x00100010);
	KUNIT_EXPECT_EQ(test, 8u, dflip_rf_read(rf, PLANE_STRIDE(0, 0)));
	KUNIT_EXPECT_FALSE(test, dflip_rf_armed(rf, 0, 0));
	dflip_rf_vblank(rf, 0);
	KUNIT_EXPECT_EQ(test, 0u, dflip_rf_live(rf, 0, 0, DFLIP_RF_STRIDE));
	KUNIT_EXPECT_EQ(test, 0u, dflip_rf_live(rf, 0, 0, DFLIP_RF_POS));
	KUNIT_EXPECT_EQ(test, 0u, rf->planes[0][0].latches);
	KUNIT_EXPECT_EQ(test, 1u, dflip_rf_frame(rf, 0));
}

static void dflip_regfile_test_surf_arms(struct kunit *test)
{
	struct dflip_regfile *rf = dflip_rf_new(test);

	dflip_rf_wr(test, rf, 1, 2, DFLIP_RF_STRIDE, 8);
	dflip_rf_wr(test, rf, 1, 2, DFLIP_RF_SURF, 0x400000);
	KUNIT_EXPECT_TRUE(test, dflip_rf_armed(rf, 1, 2));
	dflip_rf_vblank(rf, 0);	/* another pipe: nothing */
	KUNIT_EXPECT_TRUE(test, dflip_rf_armed(rf, 1, 2));
	KUNIT_EXPECT_EQ(test, 0u, dflip_rf_live(rf, 1, 2, DFLIP_RF_SURF));
	dflip_rf_vblank(rf, 1);
	KUNIT_EXPECT_FALSE(test, dflip_rf_armed(rf, 1, 2));
	KUNIT_EXPECT_EQ(test, 8u, dflip_rf_live(rf, 1, 2, DFLIP_RF_STRIDE));
	KUNIT_EXPECT_EQ(test, 0x400000u, dflip_rf_live(rf, 1, 2, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, 1u, rf->planes[1][2].latches);
	KUNIT_EXPECT_EQ(test, 1u, dflip_rf_frame(rf, 0));
	KUNIT_EXPECT_EQ(test, 1u, dflip_rf_frame(rf, 1));
}

static void dflip_regfile_test_join_pending(struct kunit *test)
{
	struct dflip_regfile *rf = dflip_rf_new(test);

	dflip_rf_wr(test, rf, 0, 0, DFLIP_RF_POS, 1);
	dflip_rf_wr(test, rf, 0, 0, DFLIP_RF_SURF, 0x400000);
	/* after the arm, before the vblank: joins the pending update */
	dflip_rf_wr(test, rf, 0, 0, DFLIP_RF_POS, 2);
	dflip_rf_vblank(rf, 0);
	KUNIT_EXPECT_EQ(test, 2u, dflip_rf_live(rf, 0, 0, DFLIP_RF_POS));
	/* after the latch: staged until the next arm */
	dflip_rf_wr(test, rf, 0, 0, DFLIP_RF_POS, 3);
	dflip_rf_vblank(rf, 0);
	KUNIT_EXPECT_EQ(test, 2u, dflip_rf_live(rf, 0, 0, DFLIP_RF_POS));
	dflip_rf_wr(test, rf, 0, 0, DFLIP_RF_SURF, 0x440000);
	dflip_rf_vblank(rf, 0);
	KUNIT_EXPECT_EQ(test, 3u, dflip_rf_live(rf, 0, 0, DFLIP_RF_POS));
	KUNIT_EXPECT_EQ(test, 0x440000u, dflip_rf_live(rf, 0, 0, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, 2u, rf->planes[0][0].latches);
}

static void dflip_regfile_test_ctl_self_arms_on_enable(struct kunit *test)
{
	struct dflip_regfile *rf = dflip_rf_new(test);
	u32 on = PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888;

	dflip_rf_wr(test, rf, 0, 1, DFLIP_RF_CTL, on);
	KUNIT_EXPECT_TRUE(test, dflip_rf_armed(rf, 0, 1));
	dflip_rf_vblank(rf, 0);
	KUNIT_EXPECT_EQ(test, on, dflip_rf_live(rf, 0, 1, DFLIP_RF_CTL));
	/* enabled already: PLANE_CTL alone does not arm */
	dflip_rf_wr(test, rf, 0, 1, DFLIP_RF_CTL, on | PLANE_CTL_TILED_X);
	KUNIT_EXPECT_FALSE(test, dflip_rf_armed(rf, 0, 1));
	/* disabling does not arm either */
	dflip_rf_wr(test, rf, 0, 1, DFLIP_RF_CTL, 0);
	KUNIT_EXPECT_FALSE(test, dflip_rf_armed(rf, 0, 1));
}

/**
 * struct dflip_cursor_case - a cursor write sequence and its arming state
 * @name: case name
 * @start_on: the cursor is enabled (latched) before the sequence
 * @regs: registers written, in order
 * @n: number of writes
 * @armed: whether the sequence leaves an armed update
 */
struct dflip_cursor_case {
	const char *name;
	bool start_on;
	enum dflip_rf_reg regs[4];
	unsigned int n;
	bool armed;
};

#define C_CTL	DFLIP_RF_CTL
#define C_POS	DFLIP_RF_POS
#define C_BASE	DFLIP_RF_SURF

static const struct dflip_cursor_case dflip_cursor_cases[] = {
	{ "CURBASE arms", true, { C_BASE }, 1, true },
	{ "CURCNTR enabling arms", false, { C_CTL }, 1, true },
	{ "CURCNTR while enabled does not arm", true, { C_CTL }, 1, false },
	{ "CURPOS alone arms", true, { C_POS }, 1, true },
	{ "CURPOS after CURCNTR needs CURBASE", true, { C_CTL, C_POS }, 2,
	  false },
	{ "CURCNTR cancels an armed CURBASE", true, { C_BASE, C_CTL }, 2,
	  false },
	{ "CURPOS after CURBASE re-arms", true, { C_BASE, C_POS }, 2, true },
	{ "full set with CURBASE last arms", true, { C_CTL, C_POS, C_BASE }, 3,
	  true },
	{ "enable then CURPOS cancels", false, { C_CTL, C_POS }, 2, false },
	{ "enable, CURPOS, CURBASE arms", false, { C_CTL, C_POS, C_BASE }, 3,
	  true },
};

static void dflip_cursor_case_desc(const struct dflip_cursor_case *t,
				   char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_cursor, dflip_cursor_cases, dflip_cursor_case_desc);

static u32 dflip_cursor_val(enum dflip_rf_reg reg, bool second)
{
	switch (reg) {
	case DFLIP_RF_CTL:
		return second ? MCURSOR_MODE_128_ARGB_AX : MCURSOR_MODE_64_ARGB_AX;
	case DFLIP_RF_POS:
		return second ? CURSOR_POS_X(7) : CURSOR_POS_X(3);
	default:
		return second ? 0x500000 : 0x400000;
	}
}

static void dflip_regfile_test_cursor_rules(struct kunit *test)
{
	const struct dflip_cursor_case *t = test->param_value;
	struct dflip_regfile *rf = dflip_rf_new(test);
	const enum dflip_rf_reg all[] = { C_CTL, C_POS, C_BASE };
	unsigned int i;

	if (t->start_on) {
		for (i = 0; i < ARRAY_SIZE(all); i++)
			dflip_rf_wr(test, rf, 2, DFLIP_RF_CURSOR, all[i],
				    dflip_cursor_val(all[i], false));
		dflip_rf_vblank(rf, 2);
		KUNIT_ASSERT_EQ(test, 1u, rf->planes[2][DFLIP_RF_CURSOR].latches);
	}
	for (i = 0; i < t->n; i++)
		dflip_rf_wr(test, rf, 2, DFLIP_RF_CURSOR, t->regs[i],
			    dflip_cursor_val(t->regs[i], true));
	KUNIT_EXPECT_EQ(test, t->armed,
			dflip_rf_armed(rf, 2, DFLIP_RF_CURSOR));

	dflip_rf_vblank(rf, 2);
	for (i = 0; i < ARRAY_SIZE(all); i++) {
		struct dflip_rf_plane *p = &rf->planes[2][DFLIP_RF_CURSOR];
		u32 want = t->armed ? p->staged[all[i]] :
			   t->start_on ? dflip_cursor_val(all[i], false) : 0;

		KUNIT_EXPECT_EQ(test, want, p->live[all[i]]);
	}
}

/**
 * struct dflip_span_case - registers and the span the model computes
 * @name: case name
 * @cursor: cursor registers
 * @ctl: PLANE_CTL or CURCNTR
 * @stride: PLANE_STRIDE
 * @size: PLANE_SIZE
 * @offset: PLANE_OFFSET
 * @surf: PLANE_SURF or CURBASE
 * @guard: VT-d guard
 * @ret: expected return of dflip_rf_spans()
 * @start: expected span start
 * @end: expected span end
 */
struct dflip_span_case {
	const char *name;
	bool cursor;
	u32 ctl, stride, size, offset, surf;
	u64 guard;
	int ret;
	u64 start, end;
};

#define XRGB_LINEAR	(PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888)

static const struct dflip_span_case dflip_span_cases[] = {
	{ "disabled plane reads nothing", false, PLANE_CTL_FORMAT_XRGB_8888,
	  4, 0x003f003f, 0, 0x100000, 0, 0, 0, 0 },
	{ "linear 64x64 XRGB", false, XRGB_LINEAR, 4, 0x003f003f, 0,
	  0x100000, 0, 1, 0x100000, 0x104000 },
	{ "linear with offset", false, XRGB_LINEAR, 5, 0x003f003f,
	  0x00020010, 0x100000, 0, 1, 0x100000 + 2 * 320 + 64,
	  0x100000 + 65 * 320 + 80 * 4 },
	{ "linear with guard on both sides", false, XRGB_LINEAR, 4, 0x003f003f,
	  0, 0x100000, 0x8000, 1, 0xf8000, 0x10c000 },
	{ "Y tile row larger than the guard pads instead", false,
	  XRGB_LINEAR | PLANE_CTL_TILED_Y, 200, 0x001f001f, 0, 0x1000000,
	  168 * 4096, 1, 0x1000000 - 0xc8000, 0x1001000 + 0xc8000 },
	{ "X tiled two tile rows", false, XRGB_LINEAR | PLANE_CTL_TILED_X, 1,
	  0x000f007f, 0, 0x100000, 0, 1, 0x100000, 0x102000 },
	{ "Y tiled offset into second tile row", false,
	  XRGB_LINEAR | PLANE_CTL_TILED_Y, 2, 0x001f001f, 0x00200000,
	  0x100000, 0, 1, 0x102000, 0x103000 },
	{ "90 degree rotation not modelled", false,
	  XRGB_LINEAR | PLANE_CTL_TILED_Y | PLANE_CTL_ROTATE_90, 2,
	  0x001f001f, 0, 0x100000, 0, -EOPNOTSUPP, 0, 0 },
	{ "NV12 not modelled", false, PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_NV12,
	  4, 0x003f003f, 0, 0x100000, 0, -EOPNOTSUPP, 0, 0 },
	{ "cursor 64 ARGB", true, MCURSOR_MODE_64_ARGB_AX, 0, 0, 0, 0x200000,
	  0, 1, 0x200000, 0x204000 },
	{ "cursor 256 ARGB unaligned base", true, MCURSOR_MODE_256_ARGB_AX, 0,
	  0, 0, 0x200100, 0, 1, 0x200000, 0x240100 },
	{ "cursor disabled", true, 0, 0, 0, 0, 0x200000, 0, 0, 0, 0 },
};

static void dflip_span_case_desc(const struct dflip_span_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_span, dflip_span_cases, dflip_span_case_desc);

static void dflip_regfile_test_spans(struct kunit *test)
{
	const struct dflip_span_case *t = test->param_value;
	struct dflip_gm_range span = {};
	u32 regs[DFLIP_RF_NREGS] = {};

	regs[DFLIP_RF_CTL] = t->ctl;
	regs[DFLIP_RF_STRIDE] = t->stride;
	regs[DFLIP_RF_SIZE] = t->size;
	regs[DFLIP_RF_OFFSET] = t->offset;
	regs[DFLIP_RF_SURF] = t->surf;
	KUNIT_ASSERT_EQ(test, t->ret,
			dflip_rf_spans(regs, t->cursor, t->guard, &span));
	if (t->ret != 1)
		return;
	KUNIT_EXPECT_EQ(test, t->start, span.start);
	KUNIT_EXPECT_EQ(test, t->end, span.end);
}

static void dflip_regfile_test_scanout_is_live(struct kunit *test)
{
	struct dflip_regfile *rf = dflip_rf_new(test);
	struct dflip_gm_range span;

	dflip_rf_wr(test, rf, 0, 0, DFLIP_RF_STRIDE, 4);
	dflip_rf_wr(test, rf, 0, 0, DFLIP_RF_SIZE, 0x003f003f);
	dflip_rf_wr(test, rf, 0, 0, DFLIP_RF_CTL, 0);
	dflip_rf_wr(test, rf, 0, 0, DFLIP_RF_SURF, 0x100000);
	dflip_rf_vblank(rf, 0);
	dflip_rf_wr(test, rf, 0, 0, DFLIP_RF_SURF, 0x200000);
	dflip_rf_wr(test, rf, 0, 0, DFLIP_RF_CTL, XRGB_LINEAR);
	/* staged and armed, not latched: still scans out nothing */
	KUNIT_EXPECT_EQ(test, 0, dflip_rf_scanout(rf, 0, 0, 0, &span));
	dflip_rf_vblank(rf, 0);
	KUNIT_ASSERT_EQ(test, 1, dflip_rf_scanout(rf, 0, 0, 0, &span));
	KUNIT_EXPECT_EQ(test, 0x200000ull, span.start);
	KUNIT_EXPECT_EQ(test, 0x204000ull, span.end);
}

static void dflip_rf_count_latch(struct dflip_regfile *rf, unsigned int pipe,
				 unsigned int plane, const u32 *live)
{
	u32 *count = rf->ctx;

	count[pipe * DFLIP_RF_PLANES + plane]++;
}

static void dflip_regfile_test_latch_hook(struct kunit *test)
{
	struct dflip_regfile *rf = dflip_rf_new(test);
	u32 *count = kunit_kcalloc(test, DFLIP_RF_PIPES * DFLIP_RF_PLANES,
				   sizeof(*count), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, count);
	rf->on_latch = dflip_rf_count_latch;
	rf->ctx = count;
	dflip_rf_wr(test, rf, 1, 0, DFLIP_RF_SURF, 0x100000);
	dflip_rf_wr(test, rf, 1, DFLIP_RF_CURSOR, DFLIP_RF_SURF, 0x100000);
	dflip_rf_vblank(rf, 1);
	dflip_rf_vblank(rf, 1);
	KUNIT_EXPECT_EQ(test, 1u, count[DFLIP_RF_PLANES + 0]);
	KUNIT_EXPECT_EQ(test, 1u, count[DFLIP_RF_PLANES + DFLIP_RF_CURSOR]);
	KUNIT_EXPECT_EQ(test, 0u, count[DFLIP_RF_PLANES + 1]);
	KUNIT_EXPECT_EQ(test, 2u, dflip_rf_frame(rf, 1));
}

static struct kunit_case dflip_regfile_tests[] = {
	KUNIT_CASE(dflip_regfile_test_offsets),
	KUNIT_CASE(dflip_regfile_test_unknown_register),
	KUNIT_CASE(dflip_regfile_test_staging),
	KUNIT_CASE(dflip_regfile_test_surf_arms),
	KUNIT_CASE(dflip_regfile_test_join_pending),
	KUNIT_CASE(dflip_regfile_test_ctl_self_arms_on_enable),
	KUNIT_CASE_PARAM(dflip_regfile_test_cursor_rules,
			 dflip_cursor_gen_params),
	KUNIT_CASE_PARAM(dflip_regfile_test_spans, dflip_span_gen_params),
	KUNIT_CASE(dflip_regfile_test_scanout_is_live),
	KUNIT_CASE(dflip_regfile_test_latch_hook),
	{}
};

static struct kunit_suite dflip_regfile_suite = {
	.name = "dflip_regfile",
	.test_cases = dflip_regfile_tests,
};

kunit_test_suite(dflip_regfile_suite);
