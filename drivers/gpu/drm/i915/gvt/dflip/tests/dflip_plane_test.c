// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * KUnit tests of the vGPU plane state machine: flip path and lifecycle.
 */

#include <kunit/test.h>

#include <linux/align.h>
#include <linux/sizes.h>

#include "display/intel_cursor_regs.h"
#include "display/skl_universal_plane_regs.h"

#include "dflip_regfile.h"

#define W	64
#define H	64

static struct dflip_vplane *dflip_vp(struct dflip_test_env *env,
				     unsigned int pipe,
				     enum dflip_plane_kind kind)
{
	return dflip_vgpu_plane(&env->vgpu, pipe, kind);
}

static struct dflip_fake_hw *dflip_hw(struct dflip_test_env *env,
				      unsigned int pipe, unsigned int plane)
{
	return &env->fake.hw[pipe][plane];
}

static enum dflip_flip_result dflip_write(struct dflip_test_env *env,
					  struct dflip_vplane *vp,
					  const struct dflip_plane_regs *r)
{
	enum dflip_flip_result res;

	mutex_lock(&env->lock);
	res = dflip_plane_guest_write(vp, r);
	mutex_unlock(&env->lock);
	return res;
}

static enum dflip_flip_result dflip_flip(struct dflip_test_env *env,
					 struct dflip_vplane *vp, u32 id,
					 u32 w, u32 h)
{
	struct dflip_plane_regs r;

	dflip_test_regs(&r, vp->kind, id, w, h);
	return dflip_write(env, vp, &r);
}

/* as the host's commit assigns: interrupts off, without the vGPU's lock */
static int dflip_assign(struct dflip_test_env *env, struct dflip_vplane *vp,
			struct dflip_fake_hw *hw, u32 gen)
{
	unsigned long flags;
	int ret;

	local_irq_save(flags);
	ret = dflip_plane_assign(vp, hw, gen, false);
	local_irq_restore(flags);
	return ret;
}

static void dflip_unassign(struct dflip_test_env *env, struct dflip_vplane *vp)
{
	unsigned long flags;

	local_irq_save(flags);
	dflip_plane_unassign(vp);
	local_irq_restore(flags);
}

static u32 dflip_live(struct dflip_fake_hw *hw, enum dflip_rf_reg reg)
{
	return dflip_rf_live(&hw->fake->rf, hw->pipe, hw->plane, reg);
}

static u32 dflip_slot(u32 id)
{
	return DFLIP_TEST_SURF_BASE + (id % DFLIP_TEST_SLOTS) * DFLIP_TEST_SLOT;
}

/* Guest flip 0 (new geometry, framebuffer generation 1), assign, latch. */
static void dflip_setup(struct kunit *test, struct dflip_test_env *env,
			struct dflip_vplane *vp, struct dflip_fake_hw *hw)
{
	KUNIT_ASSERT_EQ(test, DFLIP_FLIP_GEOMETRY, dflip_flip(env, vp, 0, W, H));
	KUNIT_ASSERT_EQ(test, 1u, vp->fb.gen);
	KUNIT_ASSERT_EQ(test, 0, dflip_assign(env, vp, hw, 1));
	dflip_fake_vblank(&env->fake, hw->pipe);
	KUNIT_ASSERT_EQ(test, dflip_slot(0), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_ASSERT_NE(test, DFLIP_VPLANE_ARMED, vp->state);
}

static struct dflip_vplane *dflip_primary_setup(struct kunit *test,
						struct dflip_test_env **envp)
{
	struct dflip_test_env *env = dflip_test_env_new(test, true);
	struct dflip_vplane *vp = dflip_vp(env, 0, DFLIP_PLANE_PRIMARY);

	dflip_setup(test, env, vp, dflip_hw(env, 0, 0));
	*envp = env;
	return vp;
}

static void dflip_plane_test_unsupported(struct kunit *test)
{
	struct dflip_test_env *env = dflip_test_env_new(test, false);
	struct dflip_vplane *vp = dflip_vp(env, 0, DFLIP_PLANE_PRIMARY);
	struct dflip_flip flip;

	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_UNSUPPORTED,
			dflip_flip(env, vp, 0, W, H));
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP,
			dflip_assign(env, vp, dflip_hw(env, 0, 0), 0));
	KUNIT_EXPECT_FALSE(test, dflip_plane_surface(vp, &flip));
	KUNIT_EXPECT_EQ(test, 0u, vp->fb.gen);
	KUNIT_EXPECT_EQ(test, 0u, env->fake.rf.writes);
	KUNIT_EXPECT_EQ(test, 0, dflip_hw(env, 0, 0)->vblank_refs);
}

static void dflip_plane_test_plane_numbers(struct kunit *test)
{
	struct dflip_test_env *env = dflip_test_env_new(test, true);
	struct dflip_vplane *vp = dflip_vp(env, 2, DFLIP_PLANE_CURSOR);

	KUNIT_ASSERT_NOT_NULL(test, vp);
	KUNIT_EXPECT_EQ(test, 8u, vp->id);
	KUNIT_EXPECT_EQ(test, 2u, vp->pipe);
	KUNIT_EXPECT_EQ(test, DFLIP_PLANE_CURSOR, vp->kind);
	KUNIT_EXPECT_NULL(test, dflip_vp(env, 3, DFLIP_PLANE_PRIMARY));
	KUNIT_EXPECT_NULL(test, dflip_vp(env, 0, DFLIP_PLANE_KINDS));
}

static void dflip_plane_test_not_assigned(struct kunit *test)
{
	struct dflip_test_env *env = dflip_test_env_new(test, true);
	struct dflip_vplane *vp = dflip_vp(env, 1, DFLIP_PLANE_SPRITE);

	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_GEOMETRY, dflip_flip(env, vp, 0, W, H));
	KUNIT_EXPECT_TRUE(test, vp->fb.enabled);
	KUNIT_EXPECT_EQ(test, (u32)W, vp->fb.geo.width);
	KUNIT_EXPECT_EQ(test, 1u, vp->fb.gen);
	/* not shown: GVT emulates the flip-done, the state machine does not */
	KUNIT_EXPECT_EQ(test, 0u, env->fake.flip_done[vp->id]);
	KUNIT_EXPECT_EQ(test, 1ull, vp->stats.geometry_changes);

	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_NOT_ASSIGNED,
			dflip_flip(env, vp, 1, W, H));
	KUNIT_EXPECT_EQ(test, 1u, vp->fb.gen);
	KUNIT_EXPECT_EQ(test, 0u, env->fake.flip_done[vp->id]);
	KUNIT_EXPECT_EQ(test, dflip_slot(1), vp->cur.regs.surf);
	KUNIT_EXPECT_EQ(test, 0u, env->fake.rf.writes);
	KUNIT_EXPECT_FALSE(test, dflip_plane_take_flip_done(vp));
}

static void dflip_plane_test_assign_arms_live(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	struct dflip_plane_regs want;

	dflip_test_regs(&want, DFLIP_PLANE_PRIMARY, 0, W, H);
	KUNIT_EXPECT_EQ(test, 1u, hw->arms);
	KUNIT_EXPECT_EQ(test, 1, hw->vblank_refs);
	KUNIT_EXPECT_PTR_EQ(test, vp, hw->owner);
	KUNIT_EXPECT_EQ(test, want.ctl, dflip_live(hw, DFLIP_RF_CTL));
	KUNIT_EXPECT_EQ(test, want.stride, dflip_live(hw, DFLIP_RF_STRIDE));
	KUNIT_EXPECT_EQ(test, want.size, dflip_live(hw, DFLIP_RF_SIZE));
	KUNIT_EXPECT_EQ(test, want.offset, dflip_live(hw, DFLIP_RF_OFFSET));
	KUNIT_EXPECT_EQ(test, 9u, env->fake.rf.writes);
	/* the assign itself owes the guest no flip-done */
	KUNIT_EXPECT_EQ(test, 0u, env->fake.flip_done[vp->id]);
	KUNIT_EXPECT_EQ(test, 1ull, vp->stats.flips_applied);
	KUNIT_EXPECT_EQ(test, 1ull, vp->stats.flips_latched);
}

static void dflip_plane_test_fast_path(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	u32 writes = env->fake.rf.writes;

	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, vp, 2, W, H));
	KUNIT_EXPECT_EQ(test, writes + 9, env->fake.rf.writes);
	KUNIT_EXPECT_TRUE(test, dflip_rf_armed(&env->fake.rf, 0, 0));
	KUNIT_EXPECT_EQ(test, dflip_slot(0), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, 0u, env->fake.flip_done[vp->id]);

	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(2), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, (u32)PLANE_OFFSET_X(2),
			dflip_live(hw, DFLIP_RF_OFFSET));
	KUNIT_EXPECT_EQ(test, 1u, env->fake.flip_done[vp->id]);
	KUNIT_EXPECT_EQ(test, 2ull, vp->stats.flips_applied);
	KUNIT_EXPECT_EQ(test, 2ull, vp->stats.flips_latched);
	KUNIT_EXPECT_NE(test, DFLIP_VPLANE_ARMED, vp->state);
}

/*
 * A flip that changes only the surface, to a surface inside the current
 * state's window, skips the decode and validation and shows exactly what
 * the full check would; a surface outside the guest's memory, or any
 * other register changed, takes the full check.
 */
static void dflip_plane_test_surface_only(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	struct dflip_plane_regs r;

	dflip_test_regs(&r, DFLIP_PLANE_PRIMARY, 0, W, H);
	r.surf = dflip_slot(3);
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_write(env, vp, &r));
	KUNIT_EXPECT_EQ(test, 1ull, vp->stats.flips_surface_only);
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(3), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, r.offset, dflip_live(hw, DFLIP_RF_OFFSET));
	KUNIT_EXPECT_EQ(test, (u64)dflip_slot(3), vp->cur.desc.surf);

	/* past the end of the aperture: the full check rejects it */
	r.surf = ALIGN_DOWN(env->vgpu.gm.aperture.end, SZ_256K);
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_REJECTED, dflip_write(env, vp, &r));
	KUNIT_EXPECT_EQ(test, 1ull, vp->stats.rejects[DFLIP_REJECT_RANGE]);
	/* misaligned: rejected for its alignment */
	r.surf = dflip_slot(4) + SZ_4K;
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_REJECTED, dflip_write(env, vp, &r));
	KUNIT_EXPECT_EQ(test, 1ull, vp->stats.rejects[DFLIP_REJECT_ALIGN]);
	KUNIT_EXPECT_EQ(test, 1ull, vp->stats.flips_surface_only);
	KUNIT_EXPECT_EQ(test, dflip_slot(3), dflip_live(hw, DFLIP_RF_SURF));

	/* another register changed too: the full check, a new window */
	r.surf = dflip_slot(5);
	r.offset = PLANE_OFFSET_Y(2);
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_write(env, vp, &r));
	KUNIT_EXPECT_EQ(test, 1ull, vp->stats.flips_surface_only);
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, r.offset, dflip_live(hw, DFLIP_RF_OFFSET));
	r.surf = dflip_slot(6);
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_write(env, vp, &r));
	KUNIT_EXPECT_EQ(test, 2ull, vp->stats.flips_surface_only);
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(6), dflip_live(hw, DFLIP_RF_SURF));
}

struct dflip_latch_log {
	u32 ids[16];
	unsigned int n;
	unsigned int impure;
};

static void dflip_log_latch(struct dflip_regfile *rf, unsigned int pipe,
			    unsigned int plane, const u32 *live)
{
	struct dflip_latch_log *log = rf->ctx;
	bool cursor = plane == DFLIP_RF_CURSOR;
	u32 on = cursor ? MCURSOR_MODE_MASK : PLANE_CTL_ENABLE;

	if (!dflip_test_frame_pure(live, cursor))
		log->impure++;
	if ((live[DFLIP_RF_CTL] & on) && log->n < ARRAY_SIZE(log->ids))
		log->ids[log->n++] = dflip_test_frame_id(live, cursor);
}

static void dflip_plane_test_queue_coalesce(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	struct dflip_latch_log *log = kunit_kzalloc(test, sizeof(*log),
						    GFP_KERNEL);
	u32 writes;

	KUNIT_ASSERT_NOT_NULL(test, log);
	env->fake.rf.on_latch = dflip_log_latch;
	env->fake.rf.ctx = log;

	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, vp, 1, W, H));
	writes = env->fake.rf.writes;
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_QUEUED, dflip_flip(env, vp, 2, W, H));
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_QUEUED, dflip_flip(env, vp, 3, W, H));
	/* nothing written between an arm and its latch */
	KUNIT_EXPECT_EQ(test, writes, env->fake.rf.writes);
	KUNIT_EXPECT_EQ(test, 2ull, vp->stats.flips_queued);
	KUNIT_EXPECT_EQ(test, 1ull, vp->stats.flips_coalesced);

	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(1), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, writes + 9, env->fake.rf.writes);
	KUNIT_EXPECT_EQ(test, DFLIP_VPLANE_ARMED, vp->state);
	KUNIT_EXPECT_FALSE(test, vp->queued);
	KUNIT_EXPECT_EQ(test, 1u, env->fake.flip_done[vp->id]);

	/* a second interrupt for the same vblank applies nothing */
	dflip_fake_irq(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, writes + 9, env->fake.rf.writes);

	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(3), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, 2u, env->fake.flip_done[vp->id]);
	KUNIT_EXPECT_EQ(test, 3ull, vp->stats.flips_applied);

	KUNIT_EXPECT_EQ(test, 2u, log->n);
	KUNIT_EXPECT_EQ(test, 1u, log->ids[0]);
	KUNIT_EXPECT_EQ(test, 3u, log->ids[1]);
	KUNIT_EXPECT_EQ(test, 0u, log->impure);
}

/*
 * A guest flip that arrives after the hardware latched the armed flip but
 * before the vblank entry ran waits for it: the trap path reads no
 * register to learn of the latch. It replaces the flip queued before it,
 * which is older and never shown after it (the picture would go back);
 * the guest gets one flip-done for the two, not a spurious second.
 */
static void dflip_plane_test_flip_after_latch(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	u32 reads;

	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, vp, 1, W, H));
	reads = env->fake.frame_reads;
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_QUEUED, dflip_flip(env, vp, 2, W, H));
	/* the hardware latches flip 1; the vblank entry has not run yet */
	dflip_rf_vblank(&env->fake.rf, 0);
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_QUEUED, dflip_flip(env, vp, 3, W, H));
	KUNIT_EXPECT_EQ(test, reads, env->fake.frame_reads);
	KUNIT_EXPECT_EQ(test, 1ull, vp->stats.flips_coalesced);

	/* the vblank entry retires flip 1 and arms flip 3 */
	dflip_fake_irq(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, DFLIP_VPLANE_ARMED, vp->state);
	KUNIT_EXPECT_FALSE(test, vp->queued);
	KUNIT_EXPECT_EQ(test, 1u, env->fake.flip_done[vp->id]);
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(3), dflip_live(hw, DFLIP_RF_SURF));
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(3), dflip_live(hw, DFLIP_RF_SURF));
	/* flip 1, and flips 2 and 3 together */
	KUNIT_EXPECT_EQ(test, 2u, env->fake.flip_done[vp->id]);
	KUNIT_EXPECT_NE(test, DFLIP_VPLANE_ARMED, vp->state);
}

/**
 * struct dflip_reject_case - an invalid guest flip
 * @name: case name
 * @why: expected reason
 * @mutate: makes valid registers invalid
 */
struct dflip_reject_case {
	const char *name;
	enum dflip_reject why;
	void (*mutate)(struct dflip_plane_regs *r);
};

static void dflip_outside_gm(struct dflip_plane_regs *r)
{
	r->surf = 0x40000000;	/* between aperture and hidden range */
}

static void dflip_straddles_end(struct dflip_plane_regs *r)
{
	r->surf = dflip_test_gm.aperture.end - DFLIP_TEST_SLOT;
	r->size = PLANE_HEIGHT(1023) | PLANE_WIDTH(W - 1);
}

static void dflip_misaligned(struct dflip_plane_regs *r)
{
	r->surf += 0x1000;
}

static void dflip_stride_too_small(struct dflip_plane_regs *r)
{
	r->stride = PLANE_STRIDE_(1);
}

static void dflip_reserved_format(struct dflip_plane_regs *r)
{
	r->ctl = (r->ctl & ~PLANE_CTL_FORMAT_MASK_SKL) |
		 REG_FIELD_PREP(PLANE_CTL_FORMAT_MASK_SKL, 15);
}

static const struct dflip_reject_case dflip_reject_cases[] = {
	{ "surface outside guest memory", DFLIP_REJECT_RANGE,
	  dflip_outside_gm },
	{ "surface runs past the aperture", DFLIP_REJECT_RANGE,
	  dflip_straddles_end },
	{ "surface misaligned", DFLIP_REJECT_ALIGN, dflip_misaligned },
	{ "stride smaller than a row", DFLIP_REJECT_STRIDE,
	  dflip_stride_too_small },
	{ "reserved pixel format", DFLIP_REJECT_FORMAT,
	  dflip_reserved_format },
};

static void dflip_reject_case_desc(const struct dflip_reject_case *t,
				   char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_reject, dflip_reject_cases, dflip_reject_case_desc);

static void dflip_plane_test_reject_keeps_last_frame(struct kunit *test)
{
	const struct dflip_reject_case *t = test->param_value;
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	u32 writes = env->fake.rf.writes;
	struct dflip_plane_regs r;
	unsigned int i;

	dflip_test_regs(&r, DFLIP_PLANE_PRIMARY, 4, W, H);
	t->mutate(&r);
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_REJECTED, dflip_write(env, vp, &r));
	for (i = 0; i < DFLIP_REJECT_COUNT; i++)
		KUNIT_EXPECT_EQ_MSG(test, i == t->why ? 1ull : 0ull,
				    vp->stats.rejects[i], "reason %s",
				    dflip_reject_name(i));
	/* GVT emulates a rejected flip's flip-done */
	KUNIT_EXPECT_EQ(test, 0u, env->fake.flip_done[vp->id]);
	KUNIT_EXPECT_EQ(test, writes, env->fake.rf.writes);
	KUNIT_EXPECT_EQ(test, 1u, vp->fb.gen);
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(0), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, 1ull, vp->stats.flips_applied);
	/* the last good state is what a re-commit shows */
	KUNIT_EXPECT_EQ(test, dflip_slot(0), vp->cur.regs.surf);
}

static void dflip_plane_test_geometry_change(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	u32 writes = env->fake.rf.writes;

	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_GEOMETRY,
			dflip_flip(env, vp, 1, 2 * W, H));
	KUNIT_EXPECT_EQ(test, (u32)(2 * W), vp->fb.geo.width);
	KUNIT_EXPECT_EQ(test, 2u, vp->fb.gen);
	KUNIT_EXPECT_EQ(test, 0u, env->fake.flip_done[vp->id]);
	KUNIT_EXPECT_EQ(test, writes, env->fake.rf.writes);

	/* later flips of the new geometry wait for the re-commit */
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_HELD, dflip_flip(env, vp, 2, 2 * W, H));
	KUNIT_EXPECT_EQ(test, 1ull, vp->stats.flips_held);
	KUNIT_EXPECT_EQ(test, 0u, env->fake.flip_done[vp->id]);
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, writes, env->fake.rf.writes);
	KUNIT_EXPECT_EQ(test, dflip_slot(0), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, (u32)PLANE_WIDTH(W - 1) | PLANE_HEIGHT(H - 1),
			dflip_live(hw, DFLIP_RF_SIZE));

	/* a re-commit of the old framebuffer keeps the flips held */
	KUNIT_EXPECT_EQ(test, 0, dflip_assign(env, vp, hw, 1));
	KUNIT_EXPECT_EQ(test, writes, env->fake.rf.writes);
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_HELD, dflip_flip(env, vp, 2, 2 * W, H));
	KUNIT_EXPECT_EQ(test, writes, env->fake.rf.writes);

	/* the host commits the new framebuffer: the latest state shows */
	KUNIT_EXPECT_EQ(test, 0, dflip_assign(env, vp, hw, 2));
	KUNIT_EXPECT_EQ(test, 1, hw->vblank_refs);
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(2), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, (u32)PLANE_WIDTH(2 * W - 1) | PLANE_HEIGHT(H - 1),
			dflip_live(hw, DFLIP_RF_SIZE));
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED,
			dflip_flip(env, vp, 3, 2 * W, H));
}

static void dflip_plane_test_guest_disable(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	struct dflip_plane_regs r;

	/* guest driver unload: the guest turns its planes off */
	dflip_test_regs(&r, DFLIP_PLANE_PRIMARY, 1, W, H);
	r.ctl = 0;
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_GEOMETRY, dflip_write(env, vp, &r));
	KUNIT_EXPECT_FALSE(test, vp->fb.enabled);
	KUNIT_EXPECT_EQ(test, 2u, vp->fb.gen);
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_TRUE(test, dflip_live(hw, DFLIP_RF_CTL) & PLANE_CTL_ENABLE);
	KUNIT_EXPECT_EQ(test, dflip_slot(0), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_HELD, dflip_write(env, vp, &r));
	/* a disabled plane has no framebuffer: nothing of it is ever written */
	KUNIT_EXPECT_EQ(test, 0, dflip_assign(env, vp, hw, 2));
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_HELD, dflip_write(env, vp, &r));
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_TRUE(test, dflip_live(hw, DFLIP_RF_CTL) & PLANE_CTL_ENABLE);
}

static void dflip_plane_test_no_mirroring(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *other = dflip_hw(env, 1, 0);

	KUNIT_EXPECT_EQ(test, -EBUSY, dflip_assign(env, vp, other, 1));
	KUNIT_EXPECT_EQ(test, 0u, other->arms);
	KUNIT_EXPECT_EQ(test, 0, other->vblank_refs);
	KUNIT_EXPECT_PTR_EQ(test, (void *)dflip_hw(env, 0, 0), vp->hw);
}

/* i915 moves a framebuffer: unassign from the old plane, assign the new */
static void dflip_plane_test_move_to_other_hw(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *old = dflip_hw(env, 0, 0);
	struct dflip_fake_hw *new = dflip_hw(env, 1, 1);
	u32 old_arms = old->arms;

	mutex_lock(&env->lock);
	KUNIT_EXPECT_EQ(test, -EINVAL, dflip_plane_assign(vp, NULL, 1, false));
	KUNIT_EXPECT_PTR_EQ(test, (void *)old, vp->hw);
	dflip_plane_unassign(vp);
	KUNIT_EXPECT_EQ(test, 0, dflip_plane_assign(vp, new, 1, false));
	mutex_unlock(&env->lock);

	KUNIT_EXPECT_EQ(test, 0, old->vblank_refs);
	KUNIT_EXPECT_NULL(test, old->owner);
	KUNIT_EXPECT_EQ(test, 1, new->vblank_refs);
	KUNIT_EXPECT_EQ(test, 1u, new->arms);
	dflip_fake_vblank(&env->fake, 0);
	dflip_fake_vblank(&env->fake, 1);
	KUNIT_EXPECT_EQ(test, dflip_slot(0), dflip_live(new, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, vp, 5, W, H));
	dflip_fake_vblank(&env->fake, 1);
	KUNIT_EXPECT_EQ(test, dflip_slot(5), dflip_live(new, DFLIP_RF_SURF));
	/* the old plane is the host's again: GVT wrote nothing more there */
	KUNIT_EXPECT_EQ(test, old_arms, old->arms);
	KUNIT_EXPECT_EQ(test, dflip_slot(0), dflip_live(old, DFLIP_RF_SURF));
}

static void dflip_plane_test_unassign(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	u32 writes, arms;

	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, vp, 1, W, H));
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_QUEUED, dflip_flip(env, vp, 2, W, H));
	KUNIT_EXPECT_EQ(test, 0u, env->fake.flip_done[vp->id]);

	/* host disables the plane, puts another fb on it, or its CRTC off */
	arms = hw->arms;
	dflip_unassign(env, vp);
	KUNIT_EXPECT_EQ(test, 0, hw->vblank_refs);
	KUNIT_EXPECT_NULL(test, hw->owner);
	KUNIT_EXPECT_NULL(test, vp->hw);
	KUNIT_EXPECT_NE(test, DFLIP_VPLANE_ARMED, vp->state);
	KUNIT_EXPECT_FALSE(test, vp->queued);
	/* the guest waiting for its flips is released */
	KUNIT_EXPECT_EQ(test, 1u, env->fake.flip_done[vp->id]);
	/* the queued flip is not armed: the plane keeps the armed one */
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, arms, hw->arms);
	KUNIT_EXPECT_EQ(test, dflip_slot(1), dflip_live(hw, DFLIP_RF_SURF));

	writes = env->fake.rf.writes;
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_NOT_ASSIGNED,
			dflip_flip(env, vp, 3, W, H));
	dflip_unassign(env, vp);
	KUNIT_EXPECT_EQ(test, writes, env->fake.rf.writes);
	/* the host can commit it again, the latest state shows */
	KUNIT_EXPECT_EQ(test, 0, dflip_assign(env, vp, hw, 1));
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(3), dflip_live(hw, DFLIP_RF_SURF));
}

static void dflip_plane_test_reset(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_vplane *cur = dflip_vp(env, 1, DFLIP_PLANE_CURSOR);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	struct dflip_fake_hw *chw = dflip_hw(env, 1, DFLIP_RF_CURSOR);
	u32 writes;

	dflip_setup(test, env, cur, chw);
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, vp, 1, W, H));

	writes = env->fake.rf.writes;
	mutex_lock(&env->lock);
	dflip_vgpu_reset(&env->vgpu);
	mutex_unlock(&env->lock);

	/* the assignments are the host's: they stay */
	KUNIT_EXPECT_EQ(test, 1, hw->vblank_refs);
	KUNIT_EXPECT_EQ(test, 1, chw->vblank_refs);
	/* neither the reset nor the vblanks after it write either plane */
	dflip_fake_vblank(&env->fake, 0);
	dflip_fake_vblank(&env->fake, 1);
	KUNIT_EXPECT_EQ(test, writes, env->fake.rf.writes);
	KUNIT_EXPECT_EQ(test, 0ull, vp->stats.flips_applied);
	KUNIT_EXPECT_EQ(test, 0ull, vp->stats.geometry_changes);
	KUNIT_EXPECT_FALSE(test, dflip_plane_take_flip_done(vp));
	/* the framebuffer objects, their ids and the last frame are kept */
	KUNIT_EXPECT_EQ(test, 1u, vp->fb.gen);
	KUNIT_EXPECT_EQ(test, 1u, cur->fb.gen);
	KUNIT_EXPECT_EQ(test, 0, dflip_assign(env, vp, hw, 1));
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(1), dflip_live(hw, DFLIP_RF_SURF));

	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, vp, 6, W, H));
	KUNIT_EXPECT_EQ(test, 1u, vp->fb.gen);
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(6), dflip_live(hw, DFLIP_RF_SURF));
}

/* VFIO close: as reset, and no plane can be assigned before a new flip. */
static void dflip_plane_test_release(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);

	u32 writes;

	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, vp, 1, W, H));
	writes = env->fake.rf.writes;
	mutex_lock(&env->lock);
	dflip_vgpu_release(&env->vgpu);
	mutex_unlock(&env->lock);
	/* the host's assignment stays until it takes the framebuffer off */
	KUNIT_EXPECT_PTR_EQ(test, (void *)hw, vp->hw);
	KUNIT_EXPECT_FALSE(test, vp->has_cur);
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, writes, env->fake.rf.writes);
	dflip_unassign(env, vp);
	KUNIT_EXPECT_EQ(test, 0, hw->vblank_refs);
	KUNIT_EXPECT_EQ(test, 1u, vp->fb.gen);
	/* a commit of it now would show nothing: there is no frame */
	KUNIT_EXPECT_EQ(test, 0, dflip_assign(env, vp, hw, 1));
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, writes, env->fake.rf.writes);
	dflip_unassign(env, vp);

	/* the restarted guest's flip of the same geometry makes it showable */
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_NOT_ASSIGNED,
			dflip_flip(env, vp, 2, W, H));
	KUNIT_EXPECT_EQ(test, 0, dflip_assign(env, vp, hw, 1));
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(2), dflip_live(hw, DFLIP_RF_SURF));
}

/* Host suspend turns the CRTC off: an unassign that keeps guest state. */
static void dflip_plane_test_suspend_resume(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);

	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, vp, 1, W, H));
	dflip_unassign(env, vp);
	KUNIT_EXPECT_NULL(test, vp->hw);
	KUNIT_EXPECT_EQ(test, 0, hw->vblank_refs);
	KUNIT_EXPECT_EQ(test, 2ull, vp->stats.flips_applied);

	/* after resume userspace re-commits */
	KUNIT_EXPECT_EQ(test, 0, dflip_assign(env, vp, hw, 1));
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(1), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_TRUE(test, dflip_live(hw, DFLIP_RF_CTL) & PLANE_CTL_ENABLE);
}

static void dflip_plane_test_destroy(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_vplane *spr = dflip_vp(env, 0, DFLIP_PLANE_SPRITE);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	struct dflip_fake_hw *shw = dflip_hw(env, 0, 1);
	unsigned int p, i;
	u32 writes;

	dflip_setup(test, env, spr, shw);
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, spr, 1, W, H));

	writes = env->fake.rf.writes;
	mutex_lock(&env->lock);
	dflip_vgpu_fini(&env->vgpu);
	mutex_unlock(&env->lock);

	for (p = 0; p < DFLIP_RF_PIPES; p++)
		for (i = 0; i < DFLIP_RF_PLANES; i++) {
			KUNIT_EXPECT_EQ(test, 0, env->fake.hw[p][i].vblank_refs);
			KUNIT_EXPECT_NULL(test, env->fake.hw[p][i].owner);
		}
	/* fini, a vblank and a flip write no plane */
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_UNSUPPORTED,
			dflip_flip(env, vp, 2, W, H));
	KUNIT_EXPECT_EQ(test, writes, env->fake.rf.writes);
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP, dflip_assign(env, vp, hw, 1));
}

static void dflip_plane_test_host_commit_not_stale(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	struct dflip_latch_log *log = kunit_kzalloc(test, sizeof(*log),
						    GFP_KERNEL);
	struct dflip_flip flip;

	KUNIT_ASSERT_NOT_NULL(test, log);
	env->fake.rf.on_latch = dflip_log_latch;
	env->fake.rf.ctx = log;

	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, vp, 1, W, H));
	/* a host commit (say a DDB change) reprograms the plane */
	KUNIT_ASSERT_TRUE(test, dflip_plane_surface(vp, &flip));
	KUNIT_EXPECT_EQ(test, dflip_slot(1), flip.regs.surf);
	/* a guest flip meanwhile waits */
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_QUEUED, dflip_flip(env, vp, 2, W, H));
	dflip_fake_vblank(&env->fake, 0);	/* latches 1, arms nothing */
	KUNIT_EXPECT_TRUE(test, vp->queued);
	dflip_plane_surface_done(vp);
	KUNIT_EXPECT_EQ(test, DFLIP_VPLANE_ARMED, vp->state);

	dflip_fake_vblank(&env->fake, 0);	/* nothing armed by the host */
	KUNIT_EXPECT_EQ(test, dflip_slot(1), dflip_live(hw, DFLIP_RF_SURF));
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(2), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, 0u, log->impure);
	/* the flip-done of the host commit is not the guest's */
	KUNIT_EXPECT_EQ(test, 2u, env->fake.flip_done[vp->id]);

	dflip_fake_host_commit(&env->fake, vp, hw);
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(2), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, 2u, env->fake.flip_done[vp->id]);
}

/*
 * The cursor is not tracked from arm to latch: every cursor write goes to
 * the hardware at once, also while the previous one is armed, and reads
 * nothing; the latest latches whole.
 */
static void dflip_plane_test_cursor(struct kunit *test)
{
	struct dflip_test_env *env = dflip_test_env_new(test, true);
	struct dflip_vplane *vp = dflip_vp(env, 2, DFLIP_PLANE_CURSOR);
	struct dflip_fake_hw *hw = dflip_hw(env, 2, DFLIP_RF_CURSOR);
	u32 writes, reads;

	dflip_setup(test, env, vp, hw);
	writes = env->fake.rf.writes;
	reads = env->fake.frame_reads;
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, vp, 5, 64, 64));
	KUNIT_EXPECT_EQ(test, writes + 3, env->fake.rf.writes);
	KUNIT_EXPECT_TRUE(test, dflip_rf_armed(&env->fake.rf, 2, DFLIP_RF_CURSOR));
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, vp, 6, 64, 64));
	KUNIT_EXPECT_EQ(test, writes + 6, env->fake.rf.writes);
	KUNIT_EXPECT_NE(test, DFLIP_VPLANE_ARMED, vp->state);
	dflip_fake_vblank(&env->fake, 2);
	KUNIT_EXPECT_EQ(test, dflip_slot(6), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, (u32)CURSOR_POS_X(6) | CURSOR_POS_Y(1),
			dflip_live(hw, DFLIP_RF_POS));
	KUNIT_EXPECT_EQ(test, reads, env->fake.frame_reads);
	/* the cursor has no flip-done event */
	KUNIT_EXPECT_EQ(test, 0u, env->fake.flip_done[vp->id]);
	KUNIT_EXPECT_EQ(test, 3ull, vp->stats.flips_applied);
}

static void dflip_plane_test_vblank_unassigned(struct kunit *test)
{
	struct dflip_test_env *env = dflip_test_env_new(test, true);
	struct dflip_vplane *vp = dflip_vp(env, 0, DFLIP_PLANE_PRIMARY);

	dflip_plane_vblank(vp);
	KUNIT_EXPECT_EQ(test, 0u, env->fake.rf.writes);
	KUNIT_EXPECT_EQ(test, 0u, env->fake.flip_done[vp->id]);
}

/*
 * The backend cannot start the vblank entry (the fake's hardware plane
 * already calls another vGPU plane's): the plane is recorded as shown,
 * GVT writes nothing and emulates the flips, and the next guest flip
 * after the entry can start goes to the hardware again.
 */
static void dflip_plane_test_no_vblank_recovers(struct kunit *test)
{
	struct dflip_test_env *env;
	struct dflip_vplane *vp = dflip_primary_setup(test, &env);
	struct dflip_vplane *spr = dflip_vp(env, 0, DFLIP_PLANE_SPRITE);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	u32 writes;

	dflip_unassign(env, vp);
	KUNIT_ASSERT_EQ(test, DFLIP_FLIP_GEOMETRY,
			dflip_flip(env, spr, 5, W, H));
	KUNIT_ASSERT_EQ(test, 0, dflip_assign(env, spr, hw, 1));
	dflip_fake_vblank(&env->fake, 0);
	dflip_fake_vblank(&env->fake, 0);

	writes = env->fake.rf.writes;
	KUNIT_EXPECT_EQ(test, -EBUSY, dflip_assign(env, vp, hw, 1));
	KUNIT_EXPECT_EQ(test, DFLIP_VPLANE_NO_VBLANK, vp->state);
	KUNIT_EXPECT_STREQ(test, "no-vblank", dflip_plane_state_name(vp));
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_NOT_ASSIGNED,
			dflip_flip(env, vp, 2, W, H));
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, writes, env->fake.rf.writes);

	dflip_unassign(env, spr);
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_QUEUED, dflip_flip(env, vp, 3, W, H));
	KUNIT_EXPECT_EQ(test, 1, hw->vblank_refs);
	dflip_fake_vblank(&env->fake, 0);
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(3), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_EQ(test, 1u, env->fake.flip_done[vp->id]);
}

/*
 * No latched frame mixes two guest flips: a hardware vblank falls after
 * the k1-th and the k2-th register write of a fixed script (assign,
 * vblank, flip 1, flip 2, vblank, flip 3, vblanks), for every k1 < k2.
 * Its interrupt is delivered once the state machine released the plane's
 * lock, as on real hardware.
 */
struct dflip_ilv {
	struct dflip_latch_log log;
	u32 k1, k2, n;
	unsigned int pipe;
	bool irq;
};

static void dflip_ilv_write(struct dflip_regfile *rf)
{
	struct dflip_ilv *s = container_of(rf->ctx, struct dflip_ilv, log);

	s->n++;
	if (s->n == s->k1 || s->n == s->k2) {
		dflip_rf_vblank(rf, s->pipe);
		s->irq = true;
	}
}

static void dflip_ilv_irq(struct dflip_test_env *env, struct dflip_ilv *s)
{
	if (s->irq) {
		s->irq = false;
		dflip_fake_irq(&env->fake, s->pipe);
	}
}

static const enum dflip_plane_kind dflip_ilv_kinds[] = {
	DFLIP_PLANE_PRIMARY, DFLIP_PLANE_CURSOR,
};

static void dflip_ilv_desc(const enum dflip_plane_kind *kind, char *desc)
{
	strscpy(desc, *kind == DFLIP_PLANE_CURSOR ? "cursor" : "primary",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_ilv, dflip_ilv_kinds, dflip_ilv_desc);

static void dflip_ilv_run(struct kunit *test, struct dflip_test_env *env,
			  struct dflip_ilv *s, enum dflip_plane_kind kind)
{
	struct dflip_vplane *vp;
	struct dflip_fake_hw *hw;
	unsigned int i;

	dflip_fake_init(&env->fake);
	dflip_vgpu_init(&env->vgpu, &env->lock, &dflip_fake_ops, &env->fake,
			&dflip_test_gm, true);
	vp = dflip_vp(env, s->pipe, kind);
	hw = dflip_hw(env, s->pipe, kind == DFLIP_PLANE_CURSOR ?
		      DFLIP_RF_CURSOR : 0);
	KUNIT_ASSERT_EQ(test, DFLIP_FLIP_GEOMETRY, dflip_flip(env, vp, 0, W, H));
	env->fake.rf.on_write = dflip_ilv_write;
	env->fake.rf.on_latch = dflip_log_latch;
	env->fake.rf.ctx = &s->log;

	KUNIT_ASSERT_EQ(test, 0, dflip_assign(env, vp, hw, 1));
	dflip_ilv_irq(env, s);
	dflip_fake_vblank(&env->fake, s->pipe);
	for (i = 1; i <= 3; i++) {
		dflip_flip(env, vp, i, W, H);
		dflip_ilv_irq(env, s);
		if (i == 2)
			dflip_fake_vblank(&env->fake, s->pipe);
	}
	for (i = 0; i < 3; i++)
		dflip_fake_vblank(&env->fake, s->pipe);
	env->fake.rf.on_write = NULL;

	KUNIT_EXPECT_EQ(test, 0u, s->log.impure);
	KUNIT_EXPECT_EQ(test, dflip_slot(3), dflip_live(hw, DFLIP_RF_SURF));
	KUNIT_EXPECT_FALSE(test, vp->state == DFLIP_VPLANE_ARMED || vp->queued);
	for (i = 1; i < s->log.n; i++)
		KUNIT_EXPECT_LE(test, s->log.ids[i - 1], s->log.ids[i]);
}

static void dflip_plane_test_no_mixed_frames(struct kunit *test)
{
	const enum dflip_plane_kind *kind = test->param_value;
	struct dflip_test_env *env = dflip_test_env_new(test, true);
	struct dflip_ilv *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	u32 k1, k2, max = *kind == DFLIP_PLANE_CURSOR ? 14 : 46;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (k1 = 1; k1 <= max; k1++)
		for (k2 = k1 + 1; k2 <= max + 1; k2++) {
			memset(s, 0, sizeof(*s));
			s->k1 = k1;
			s->k2 = k2;
			s->pipe = 1;
			dflip_ilv_run(test, env, s, *kind);
			if (s->log.impure || test->status == KUNIT_FAILURE) {
				kunit_info(test, "vblanks after writes %u and %u\n",
					   k1, k2);
				return;
			}
		}
}

/* The geometry test flips of @w x @h decode to. */
static void dflip_test_geo(struct kunit *test, enum dflip_plane_kind kind,
			   u32 w, u32 h, struct dflip_geometry *geo)
{
	enum dflip_reject why = DFLIP_OK;
	struct dflip_plane_desc desc;
	struct dflip_plane_regs r;

	dflip_test_regs(&r, kind, 0, w, h);
	KUNIT_ASSERT_EQ(test, 0, dflip_decode_plane(kind, &r, &desc, &why));
	*geo = desc.geo;
}

static int dflip_set_default(struct dflip_test_env *env,
			     struct dflip_vplane *vp,
			     const struct dflip_geometry *geo)
{
	int ret;

	mutex_lock(&env->lock);
	ret = dflip_plane_set_default(vp, geo);
	mutex_unlock(&env->lock);
	return ret;
}

static void dflip_plane_test_default_fb(struct kunit *test)
{
	struct dflip_test_env *env = dflip_test_env_new(test, true);
	struct dflip_vplane *vp = dflip_vp(env, 0, DFLIP_PLANE_PRIMARY);
	struct dflip_fake_hw *hw = dflip_hw(env, 0, 0);
	struct dflip_geometry geo;

	dflip_test_geo(test, vp->kind, W, H, &geo);
	KUNIT_EXPECT_EQ(test, 0, dflip_set_default(env, vp, &geo));
	KUNIT_EXPECT_TRUE(test, vp->fb.enabled);
	KUNIT_EXPECT_EQ(test, dflip_test_gm.aperture.start, vp->cur.desc.surf);
	KUNIT_EXPECT_EQ(test, 1u, vp->fb.gen);
	KUNIT_EXPECT_EQ(test, 0ull, vp->stats.geometry_changes);
	/* once only */
	KUNIT_EXPECT_EQ(test, -EBUSY, dflip_set_default(env, vp, &geo));
	KUNIT_EXPECT_EQ(test, 1u, vp->fb.gen);

	/* assignable before the guest's first flip: the aperture's start */
	KUNIT_EXPECT_EQ(test, 0, dflip_assign(env, vp, hw, 1));
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, (u32)dflip_test_gm.aperture.start,
			dflip_live(hw, DFLIP_RF_SURF));

	/* the guest's first flip of that geometry shows on it */
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_FLIPPED, dflip_flip(env, vp, 1, W, H));
	KUNIT_EXPECT_EQ(test, 1u, vp->fb.gen);
	dflip_fake_vblank(&env->fake, 0);
	KUNIT_EXPECT_EQ(test, dflip_slot(1), dflip_live(hw, DFLIP_RF_SURF));
}

static void dflip_plane_test_default_then_guest_geometry(struct kunit *test)
{
	struct dflip_test_env *env = dflip_test_env_new(test, true);
	struct dflip_vplane *vp = dflip_vp(env, 1, DFLIP_PLANE_CURSOR);
	struct dflip_vplane *pri = dflip_vp(env, 1, DFLIP_PLANE_PRIMARY);
	struct dflip_fake_hw *hw = dflip_hw(env, 1, 0);
	struct dflip_geometry geo;

	/* a cursor default is a cursor geometry */
	dflip_test_geo(test, vp->kind, W, H, &geo);
	KUNIT_EXPECT_EQ(test, 0, dflip_set_default(env, vp, &geo));

	/* the guest's primary is wider than the default: a new framebuffer */
	dflip_test_geo(test, pri->kind, W, H, &geo);
	KUNIT_EXPECT_EQ(test, 0, dflip_set_default(env, pri, &geo));
	KUNIT_EXPECT_EQ(test, DFLIP_FLIP_GEOMETRY,
			dflip_flip(env, pri, 2, 2 * W, H));
	KUNIT_EXPECT_EQ(test, 2 * W, pri->fb.geo.width);
	KUNIT_EXPECT_EQ(test, 2u, pri->fb.gen);
	/* the default framebuffer on the plane: the guest's flips are held */
	KUNIT_EXPECT_EQ(test, 0, dflip_assign(env, pri, hw, 1));
	KUNIT_EXPECT_EQ(test, 0u, hw->arms);
	KUNIT_EXPECT_EQ(test, 0, dflip_assign(env, pri, hw, 2));
	dflip_fake_vblank(&env->fake, 1);
	KUNIT_EXPECT_EQ(test, dflip_slot(2), dflip_live(hw, DFLIP_RF_SURF));
}

static void dflip_plane_test_default_refused(struct kunit *test)
{
	struct dflip_test_env *env = dflip_test_env_new(test, true);
	struct dflip_test_env *off = dflip_test_env_new(test, false);
	struct dflip_vplane *vp = dflip_vp(env, 0, DFLIP_PLANE_SPRITE);
	struct dflip_geometry geo, tall;

	dflip_test_geo(test, vp->kind, W, H, &geo);

	/* larger than the vGPU's aperture */
	tall = geo;
	tall.height = 4096;
	tall.stride = 16384;
	KUNIT_EXPECT_EQ(test, -ENOSPC, dflip_set_default(env, vp, &tall));

	/* Broadwell */
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP,
			dflip_set_default(off,
					  dflip_vp(off, 0, DFLIP_PLANE_SPRITE),
					  &geo));
	KUNIT_EXPECT_EQ(test, 0u, dflip_vp(off, 0, DFLIP_PLANE_SPRITE)->fb.gen);

	/* in every case the plane is as before */
	KUNIT_EXPECT_EQ(test, 0u, vp->fb.gen);
	KUNIT_EXPECT_FALSE(test, vp->fb.enabled);
	KUNIT_EXPECT_FALSE(test, vp->has_cur);
	/* a commit shows nothing of it */
	KUNIT_EXPECT_EQ(test, 0, dflip_assign(env, vp, dflip_hw(env, 0, 1), 0));
	KUNIT_EXPECT_EQ(test, 0u, dflip_hw(env, 0, 1)->arms);
}

static struct kunit_case dflip_plane_tests[] = {
	KUNIT_CASE(dflip_plane_test_unsupported),
	KUNIT_CASE(dflip_plane_test_plane_numbers),
	KUNIT_CASE(dflip_plane_test_not_assigned),
	KUNIT_CASE(dflip_plane_test_assign_arms_live),
	KUNIT_CASE(dflip_plane_test_fast_path),
	KUNIT_CASE(dflip_plane_test_surface_only),
	KUNIT_CASE(dflip_plane_test_queue_coalesce),
	KUNIT_CASE(dflip_plane_test_flip_after_latch),
	KUNIT_CASE_PARAM(dflip_plane_test_reject_keeps_last_frame,
			 dflip_reject_gen_params),
	KUNIT_CASE(dflip_plane_test_geometry_change),
	KUNIT_CASE(dflip_plane_test_guest_disable),
	KUNIT_CASE(dflip_plane_test_no_mirroring),
	KUNIT_CASE(dflip_plane_test_move_to_other_hw),
	KUNIT_CASE(dflip_plane_test_unassign),
	KUNIT_CASE(dflip_plane_test_reset),
	KUNIT_CASE(dflip_plane_test_release),
	KUNIT_CASE(dflip_plane_test_suspend_resume),
	KUNIT_CASE(dflip_plane_test_default_fb),
	KUNIT_CASE(dflip_plane_test_default_then_guest_geometry),
	KUNIT_CASE(dflip_plane_test_default_refused),
	KUNIT_CASE(dflip_plane_test_destroy),
	KUNIT_CASE(dflip_plane_test_host_commit_not_stale),
	KUNIT_CASE(dflip_plane_test_cursor),
	KUNIT_CASE(dflip_plane_test_vblank_unassigned),
	KUNIT_CASE(dflip_plane_test_no_vblank_recovers),
	KUNIT_CASE_PARAM(dflip_plane_test_no_mixed_frames,
			 dflip_ilv_gen_params),
	{}
};

static struct kunit_suite dflip_plane_suite = {
	.name = "dflip_plane",
	.test_cases = dflip_plane_tests,
};

kunit_test_suite(dflip_plane_suite);
