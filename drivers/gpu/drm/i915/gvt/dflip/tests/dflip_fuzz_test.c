// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * Isolation fuzz: seeded random guest plane register writes through the
 * state machine onto the register-file model; whatever the model scans
 * out must lie inside the guest's graphics memory.
 */

#include <kunit/test.h>
#include <linux/sizes.h>

#include "display/intel_cursor_regs.h"
#include "display/skl_universal_plane_regs.h"

#include "dflip_regfile.h"

#define DFLIP_FUZZ_WRITES	100000
#define DFLIP_FUZZ_PIPE		0

/* A smaller guest than the other tests, with a VT-d guard. */
static const struct dflip_gm dflip_fuzz_gm = {
	.aperture = { .start = 0x00200000, .end = 0x00a00000 },
	.hidden = { .start = 0x80000000, .end = 0x81000000 },
	.vtd_guard = 0x4000,
};

/**
 * struct dflip_fuzz - fuzz state
 * @test: the test
 * @env: the vGPU on the fake backend
 * @rng: xorshift64 state
 * @iter: current iteration
 * @regs: the guest's registers of the planes of pipe A
 * @irq: a vblank happened inside a register write sequence, its interrupt
 *	is due
 * @latch_every: a vblank falls after one register write in this many
 * @bad: a latched frame read outside the guest (first one recorded)
 * @bad_plane: its plane
 * @bad_iter: its iteration
 * @bad_span: the span read
 * @bad_live: its registers
 * @checked: scan-outs of an enabled plane checked
 * @unchecked: scan-outs of layouts the model does not compute: none may
 *	happen, the decoder refuses every layout the model leaves out
 * @applied: flips written to the hardware (all planes, across resets)
 * @rejected: flips rejected (all planes, across resets)
 */
struct dflip_fuzz {
	struct kunit *test;
	struct dflip_test_env *env;
	u64 rng;
	u32 iter;
	struct dflip_plane_regs regs[DFLIP_PLANE_KINDS];
	bool irq;
	u32 latch_every;
	bool bad;
	unsigned int bad_plane;
	u32 bad_iter;
	struct dflip_gm_range bad_span;
	u32 bad_live[DFLIP_RF_NREGS];
	u64 checked;
	u64 unchecked;
	u64 applied;
	u64 rejected;
};

static u64 dflip_fuzz_next(struct dflip_fuzz *f)
{
	u64 x = f->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	f->rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

static u32 dflip_fuzz_below(struct dflip_fuzz *f, u32 n)
{
	return (u32)(dflip_fuzz_next(f) >> 32) % n;
}

static bool dflip_fuzz_inside(const struct dflip_gm *gm,
			      const struct dflip_gm_range *s)
{
	const struct dflip_gm_range *r[] = { &gm->aperture, &gm->hidden };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(r); i++)
		if (s->start >= r[i]->start && s->end <= r[i]->end &&
		    s->start <= s->end)
			return true;
	return false;
}

/* Check one plane's live registers; record the first escape. */
static void dflip_fuzz_check(struct dflip_fuzz *f, unsigned int plane,
			     const u32 *live)
{
	struct dflip_gm_range span;
	int ret;

	ret = dflip_rf_spans(live, plane == DFLIP_RF_CURSOR,
			     dflip_fuzz_gm.vtd_guard, &span);
	if (ret < 0) {
		f->unchecked++;
		return;
	}
	if (!ret)
		return;
	f->checked++;
	if (dflip_fuzz_inside(&dflip_fuzz_gm, &span) || f->bad)
		return;
	f->bad = true;
	f->bad_plane = plane;
	f->bad_iter = f->iter;
	f->bad_span = span;
	memcpy(f->bad_live, live, sizeof(f->bad_live));
}

static void dflip_fuzz_on_latch(struct dflip_regfile *rf, unsigned int pipe,
				unsigned int plane, const u32 *live)
{
	dflip_fuzz_check(rf->ctx, plane, live);
}

static void dflip_fuzz_on_write(struct dflip_regfile *rf)
{
	struct dflip_fuzz *f = rf->ctx;

	if (f->latch_every && !dflip_fuzz_below(f, f->latch_every)) {
		dflip_rf_vblank(rf, DFLIP_FUZZ_PIPE);
		f->irq = true;
	}
}

/* After every vblank: every plane of the pipe, from its live registers. */
static void dflip_fuzz_check_all(struct dflip_fuzz *f)
{
	struct dflip_regfile *rf = &f->env->fake.rf;
	unsigned int i;

	for (i = 0; i < DFLIP_RF_PLANES; i++) {
		u32 live[DFLIP_RF_NREGS];
		unsigned long flags;

		spin_lock_irqsave(&rf->lock, flags);
		memcpy(live, rf->planes[DFLIP_FUZZ_PIPE][i].live, sizeof(live));
		spin_unlock_irqrestore(&rf->lock, flags);
		dflip_fuzz_check(f, i, live);
	}
}

static void dflip_fuzz_vblank(struct dflip_fuzz *f)
{
	dflip_fake_vblank(&f->env->fake, DFLIP_FUZZ_PIPE);
	dflip_fuzz_check_all(f);
}

static void dflip_fuzz_deliver_irq(struct dflip_fuzz *f)
{
	if (!f->irq)
		return;
	f->irq = false;
	dflip_fake_irq(&f->env->fake, DFLIP_FUZZ_PIPE);
	dflip_fuzz_check_all(f);
}

/* A surface address near an edge of guest memory, or anywhere. */
static u32 dflip_fuzz_surf(struct dflip_fuzz *f, u32 align)
{
	const struct dflip_gm *gm = &dflip_fuzz_gm;
	u32 k = dflip_fuzz_below(f, 16) * align;

	switch (dflip_fuzz_below(f, 6)) {
	case 0:
		return gm->aperture.start + k;
	case 1:
		return gm->aperture.end - align - k;
	case 2:
		return gm->hidden.start + k;
	case 3:
		return gm->hidden.end - align - k;
	case 4:
		return gm->aperture.start - align + k;
	default:
		return (u32)dflip_fuzz_next(f) & ~(align - 1);
	}
}

static u32 dflip_fuzz_plane_ctl(struct dflip_fuzz *f)
{
	static const u32 formats[] = {
		PLANE_CTL_FORMAT_XRGB_8888, PLANE_CTL_FORMAT_XRGB_8888,
		PLANE_CTL_FORMAT_XRGB_2101010, PLANE_CTL_FORMAT_RGB_565,
		PLANE_CTL_FORMAT_YUV422, PLANE_CTL_FORMAT_NV12,
		PLANE_CTL_FORMAT_XRGB_16161616F, PLANE_CTL_FORMAT_INDEXED,
	};
	static const u32 tilings[] = {
		PLANE_CTL_TILED_LINEAR, PLANE_CTL_TILED_LINEAR,
		PLANE_CTL_TILED_X, PLANE_CTL_TILED_Y, PLANE_CTL_TILED_YF,
	};
	u32 ctl = formats[dflip_fuzz_below(f, ARRAY_SIZE(formats))] |
		  tilings[dflip_fuzz_below(f, ARRAY_SIZE(tilings))];

	if (dflip_fuzz_below(f, 10))
		ctl |= PLANE_CTL_ENABLE;
	if (!dflip_fuzz_below(f, 4))
		ctl |= REG_FIELD_PREP(PLANE_CTL_ROTATE_MASK,
				      dflip_fuzz_below(f, 4));
	if (!dflip_fuzz_below(f, 8))
		ctl |= PLANE_CTL_RENDER_DECOMPRESSION_ENABLE;
	if (!dflip_fuzz_below(f, 8))
		ctl |= PLANE_CTL_FLIP_HORIZONTAL;
	return ctl;
}

static u32 dflip_fuzz_cursor_ctl(struct dflip_fuzz *f)
{
	static const u32 modes[] = {
		MCURSOR_MODE_DISABLE, MCURSOR_MODE_64_ARGB_AX,
		MCURSOR_MODE_64_ARGB_AX, MCURSOR_MODE_128_ARGB_AX,
		MCURSOR_MODE_256_ARGB_AX, MCURSOR_MODE_64_32B_AX,
		MCURSOR_MODE_64_2B, 0x3f,
	};
	u32 ctl = modes[dflip_fuzz_below(f, ARRAY_SIZE(modes))];

	if (!dflip_fuzz_below(f, 4))
		ctl |= MCURSOR_ROTATE_180;
	return ctl;
}

static u32 dflip_fuzz_plane_value(struct dflip_fuzz *f, enum dflip_rf_reg reg)
{
	switch (reg) {
	case DFLIP_RF_CTL:
		return dflip_fuzz_plane_ctl(f);
	case DFLIP_RF_STRIDE:
		return dflip_fuzz_below(f, 64);
	case DFLIP_RF_SIZE:
		return PLANE_HEIGHT(dflip_fuzz_below(f, 256)) |
		       PLANE_WIDTH(dflip_fuzz_below(f, 256));
	case DFLIP_RF_OFFSET:
	case DFLIP_RF_AUX_OFFSET:
		return PLANE_OFFSET_Y(dflip_fuzz_below(f, 64)) |
		       PLANE_OFFSET_X(dflip_fuzz_below(f, 64));
	case DFLIP_RF_SURF:
		return dflip_fuzz_surf(f, dflip_fuzz_below(f, 2) ? SZ_256K : SZ_1M);
	case DFLIP_RF_AUX_DIST:
		return (dflip_fuzz_below(f, 64) << 12) | dflip_fuzz_below(f, 32);
	default:
		return (u32)dflip_fuzz_next(f);
	}
}

static u32 dflip_fuzz_value(struct dflip_fuzz *f, bool cursor,
			    enum dflip_rf_reg reg)
{
	u32 v;

	if (cursor)
		v = reg == DFLIP_RF_CTL ? dflip_fuzz_cursor_ctl(f) :
		    reg == DFLIP_RF_SURF ? dflip_fuzz_surf(f, SZ_4K) :
		    (u32)dflip_fuzz_next(f);
	else
		v = dflip_fuzz_plane_value(f, reg);

	switch (dflip_fuzz_below(f, 8)) {
	case 5:
	case 6:		/* a plausible value with a bit flipped */
		return v ^ BIT(dflip_fuzz_below(f, 32));
	case 7:		/* anything */
		return (u32)dflip_fuzz_next(f);
	default:
		return v;
	}
}

static u32 *dflip_fuzz_field(struct dflip_plane_regs *r, enum dflip_rf_reg reg)
{
	switch (reg) {
	case DFLIP_RF_CTL:
		return &r->ctl;
	case DFLIP_RF_STRIDE:
		return &r->stride;
	case DFLIP_RF_POS:
		return &r->pos;
	case DFLIP_RF_SIZE:
		return &r->size;
	case DFLIP_RF_KEYVAL:
		return &r->keyval;
	case DFLIP_RF_KEYMSK:
		return &r->keymsk;
	case DFLIP_RF_SURF:
		return &r->surf;
	case DFLIP_RF_KEYMAX:
		return &r->keymax;
	case DFLIP_RF_OFFSET:
		return &r->offset;
	default:
		/* PLANE_AUX_*: GVT keeps no aux state, the write has no effect */
		return NULL;
	}
}

static struct dflip_fake_hw *dflip_fuzz_hw(struct dflip_fuzz *f,
					   enum dflip_plane_kind kind)
{
	unsigned int plane = kind == DFLIP_PLANE_CURSOR ? DFLIP_RF_CURSOR :
			     kind;

	return &f->env->fake.hw[DFLIP_FUZZ_PIPE][plane];
}

/* Host side: re-commit after a geometry change, sometimes take it off. */
static void dflip_fuzz_host(struct dflip_fuzz *f, struct dflip_vplane *vp,
			    enum dflip_flip_result res)
{
	if (res == DFLIP_FLIP_GEOMETRY && dflip_fuzz_below(f, 2))
		dflip_plane_assign(vp, dflip_fuzz_hw(f, vp->kind), vp->fb.gen,
				   false);
	else if (!dflip_fuzz_below(f, 500))
		dflip_plane_unassign(vp);
	else if (!vp->hw && !dflip_fuzz_below(f, 50))
		dflip_plane_assign(vp, dflip_fuzz_hw(f, vp->kind), vp->fb.gen,
				   false);
}

/* Is a guest write of @reg one that GVT hands to the state machine? */
static bool dflip_fuzz_arms(enum dflip_plane_kind kind, enum dflip_rf_reg reg,
			    u32 old_ctl, u32 ctl)
{
	if (reg == DFLIP_RF_SURF)
		return true;
	if (kind != DFLIP_PLANE_CURSOR)
		return false;
	if (reg == DFLIP_RF_POS)
		return true;
	return reg == DFLIP_RF_CTL && !(old_ctl & MCURSOR_MODE_MASK) &&
	       (ctl & MCURSOR_MODE_MASK);
}

/* Add the planes' counters to the totals (before a reset clears them). */
static void dflip_fuzz_count(struct dflip_fuzz *f)
{
	struct dflip_plane_stats st;
	unsigned int k, i;

	for (k = 0; k < DFLIP_PLANE_KINDS; k++) {
		dflip_plane_get_stats(dflip_vgpu_plane(&f->env->vgpu,
						       DFLIP_FUZZ_PIPE, k), &st);
		f->applied += st.flips_applied;
		for (i = 0; i < DFLIP_REJECT_COUNT; i++)
			f->rejected += st.rejects[i];
	}
}

static void dflip_fuzz_step(struct dflip_fuzz *f)
{
	static const enum dflip_rf_reg cursor_regs[] = {
		DFLIP_RF_CTL, DFLIP_RF_POS, DFLIP_RF_SURF,
	};
	enum dflip_plane_kind kind = dflip_fuzz_below(f, DFLIP_PLANE_KINDS);
	struct dflip_vplane *vp = dflip_vgpu_plane(&f->env->vgpu,
						   DFLIP_FUZZ_PIPE, kind);
	struct dflip_plane_regs *r = &f->regs[kind];
	bool cursor = kind == DFLIP_PLANE_CURSOR;
	enum dflip_rf_reg reg;
	u32 old_ctl = r->ctl;
	u32 *field, v;

	reg = cursor ? cursor_regs[dflip_fuzz_below(f, 3)] :
		       dflip_fuzz_below(f, DFLIP_RF_NREGS);
	v = dflip_fuzz_value(f, cursor, reg);
	field = dflip_fuzz_field(r, reg);
	if (field)
		*field = v;

	mutex_lock(&f->env->lock);
	if (dflip_fuzz_arms(kind, reg, old_ctl, r->ctl))
		dflip_fuzz_host(f, vp, dflip_plane_guest_write(vp, r));
	if (!dflip_fuzz_below(f, 20000)) {
		dflip_fuzz_count(f);
		dflip_vgpu_reset(&f->env->vgpu);
	}
	mutex_unlock(&f->env->lock);

	dflip_fuzz_deliver_irq(f);
	if (!dflip_fuzz_below(f, 4))
		dflip_fuzz_vblank(f);
}

static void dflip_fuzz_report(struct dflip_fuzz *f, u64 seed)
{
	const u32 *l = f->bad_live;

	KUNIT_FAIL(f->test,
		   "seed %#llx write %u: plane %u scans out [%#llx, %#llx) outside the guest: ctl %#x stride %#x size %#x offset %#x surf %#x aux_dist %#x\n",
		   seed, f->bad_iter, f->bad_plane, f->bad_span.start,
		   f->bad_span.end, l[DFLIP_RF_CTL], l[DFLIP_RF_STRIDE],
		   l[DFLIP_RF_SIZE], l[DFLIP_RF_OFFSET], l[DFLIP_RF_SURF],
		   l[DFLIP_RF_AUX_DIST]);
}

static struct dflip_fuzz *dflip_fuzz_new(struct kunit *test, u64 seed)
{
	struct dflip_fuzz *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->test = test;
	f->rng = seed;
	f->latch_every = 32;
	f->env = dflip_test_env_new(test, true);
	dflip_vgpu_init(&f->env->vgpu, &f->env->lock, &dflip_fake_ops,
			&f->env->fake, &dflip_fuzz_gm, true);
	f->env->fake.rf.ctx = f;
	f->env->fake.rf.on_latch = dflip_fuzz_on_latch;
	f->env->fake.rf.on_write = dflip_fuzz_on_write;
	return f;
}

static const u64 dflip_fuzz_seeds[] = {
	0x9e3779b97f4a7c15ull, 0x2545f4914f6cdd1dull, 0xd1b54a32d192ed03ull,
};

static void dflip_fuzz_seed_desc(const u64 *seed, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "seed %#llx", *seed);
}

KUNIT_ARRAY_PARAM(dflip_fuzz_seed, dflip_fuzz_seeds, dflip_fuzz_seed_desc);

static void dflip_fuzz_test_isolation(struct kunit *test)
{
	const u64 seed = *(const u64 *)test->param_value;
	struct dflip_fuzz *f = dflip_fuzz_new(test, seed);
	unsigned int i;

	for (f->iter = 0; f->iter < DFLIP_FUZZ_WRITES && !f->bad; f->iter++)
		dflip_fuzz_step(f);
	for (i = 0; i < 3 && !f->bad; i++)
		dflip_fuzz_vblank(f);
	if (f->bad) {
		dflip_fuzz_report(f, seed);
		return;
	}

	dflip_fuzz_count(f);
	kunit_info(test, "seed %#llx: %llu scan-outs checked, %llu not modelled, %llu flips applied, %llu rejected\n",
		   seed, f->checked, f->unchecked, f->applied, f->rejected);
	/* the fuzz must have put many frames on the screen to mean anything */
	KUNIT_EXPECT_GT(test, f->checked, 10000ull);
	KUNIT_EXPECT_GT(test, f->applied, 300ull);
	KUNIT_EXPECT_GT(test, f->rejected, 1000ull);
	/* every layout that reaches the screen is one the model checks */
	KUNIT_EXPECT_EQ(test, f->unchecked, 0ull);

	mutex_lock(&f->env->lock);
	dflip_vgpu_fini(&f->env->vgpu);
	mutex_unlock(&f->env->lock);
}

/* The checker itself catches a frame that escapes the guest. */
static void dflip_fuzz_test_checker_catches_escape(struct kunit *test)
{
	struct dflip_fuzz *f = dflip_fuzz_new(test, 1);
	struct dflip_regfile *rf = &f->env->fake.rf;

	f->latch_every = 0;
	dflip_rf_write(rf, PLANE_STRIDE(0, 0), 4);
	dflip_rf_write(rf, PLANE_SIZE(0, 0), PLANE_HEIGHT(63) | PLANE_WIDTH(63));
	dflip_rf_write(rf, PLANE_CTL(0, 0),
		       PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888);
	dflip_rf_write(rf, PLANE_SURF(0, 0), dflip_fuzz_gm.aperture.end - SZ_4K);
	dflip_fuzz_vblank(f);
	KUNIT_EXPECT_TRUE(test, f->bad);
	KUNIT_EXPECT_EQ(test, 0u, f->bad_plane);
	/* what the plane reads, padded by the VT-d guard before it */
	KUNIT_EXPECT_EQ(test, dflip_fuzz_gm.aperture.end - SZ_4K -
			dflip_fuzz_gm.vtd_guard, f->bad_span.start);
}

static struct kunit_case dflip_fuzz_tests[] = {
	KUNIT_CASE(dflip_fuzz_test_checker_catches_escape),
	KUNIT_CASE_PARAM(dflip_fuzz_test_isolation, dflip_fuzz_seed_gen_params),
	{}
};

static struct kunit_suite dflip_fuzz_suite = {
	.name = "dflip_fuzz",
	.test_cases = dflip_fuzz_tests,
};

kunit_test_suite(dflip_fuzz_suite);
