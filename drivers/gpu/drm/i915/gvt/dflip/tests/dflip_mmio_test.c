// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * KUnit test of guest plane register writes through GVT's real MMIO
 * emulation: intel_vgpu_emulate_mmio_write() at the vGPU's BAR0, GVT's
 * tracked register table (intel_gvt_setup_mmio_info()) and its write
 * handlers of PLANE_SURF (DSPSURF, SPRSURF), REG_50080 and the cursor's
 * CURCNTR, CURPOS and CURBASE, which call the direct flip core. The host
 * is the fake Skylake device of dflip_skl_host.c; the compositor's commit
 * is i915's own plane check and programming with the vGPU framebuffer.
 *
 * Not covered here, covered on hardware (make hwtest, IGT
 * kms_gvt_direct_flip): KVMGT's VFIO region write in front of the
 * emulation, the real display engine latching PLANE_SURF, and the guest's
 * flip-done interrupt injection (the vGPU is not attached to a VM: the
 * tests read the pending flip-done event bits instead).
 */

#include <kunit/test.h>

#include <linux/mman.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_plane.h>

#include "i915_drv.h"
#include "i915_pvinfo.h"
#include "i915_reg.h"
#include "gvt/gvt.h"
#include "display/i9xx_plane_regs.h"
#include "display/intel_cursor_regs.h"
#include "display/intel_display_types.h"
#include "display/intel_sprite_regs.h"
#include "display/skl_universal_plane_regs.h"

#include "../dflip_host.h"
#include "../dflip_plane.h"
#include "dflip_skl_host.h"

#define MMIO_W	1920
#define MMIO_H	1080

/* How the guest arms a universal plane's update. */
enum mmio_arm {
	MMIO_ARM_SURF,		/* PLANE_SURF (DSPSURF or SPRSURF) */
	MMIO_ARM_REG50080,	/* GVT's REG_50080 flip register */
};

/**
 * struct mmio_plane_case - a universal vGPU plane and its arming register
 * @name: case name
 * @pipe: the virtual pipe, also the host pipe it is shown on
 * @kind: primary or sprite
 * @arm: the register the guest arms the update with
 */
struct mmio_plane_case {
	const char *name;
	enum pipe pipe;
	enum dflip_plane_kind kind;
	enum mmio_arm arm;
};

static const struct mmio_plane_case mmio_plane_cases[] = {
	{ "pipe A primary, PLANE_SURF", PIPE_A, DFLIP_PLANE_PRIMARY, MMIO_ARM_SURF },
	{ "pipe A sprite, PLANE_SURF", PIPE_A, DFLIP_PLANE_SPRITE, MMIO_ARM_SURF },
	{ "pipe B primary, PLANE_SURF", PIPE_B, DFLIP_PLANE_PRIMARY, MMIO_ARM_SURF },
	{ "pipe B sprite, PLANE_SURF", PIPE_B, DFLIP_PLANE_SPRITE, MMIO_ARM_SURF },
	{ "pipe C primary, PLANE_SURF", PIPE_C, DFLIP_PLANE_PRIMARY, MMIO_ARM_SURF },
	{ "pipe C sprite, PLANE_SURF", PIPE_C, DFLIP_PLANE_SPRITE, MMIO_ARM_SURF },
	{ "pipe A primary, REG_50080", PIPE_A, DFLIP_PLANE_PRIMARY, MMIO_ARM_REG50080 },
	{ "pipe B sprite, REG_50080", PIPE_B, DFLIP_PLANE_SPRITE, MMIO_ARM_REG50080 },
	{ "pipe C primary, REG_50080", PIPE_C, DFLIP_PLANE_PRIMARY, MMIO_ARM_REG50080 },
};

static void mmio_plane_case_desc(const struct mmio_plane_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mmio_plane, mmio_plane_cases, mmio_plane_case_desc);

/**
 * struct mmio_test - a host with GVT's MMIO handlers and one vGPU
 * @fh: the fake host
 * @vgpu: the vGPU
 * @base: the vGPU's aperture base
 */
struct mmio_test {
	struct dflip_skl_host *fh;
	struct intel_vgpu *vgpu;
	u64 base;
};

static int mmio_test_init(struct kunit *test)
{
	struct mmio_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	test->priv = t;
	t->fh = dflip_skl_host_create(test);
	dflip_skl_gvt_mmio_setup(test, t->fh);
	t->vgpu = dflip_skl_vgpu_create(test, t->fh);
	t->base = t->vgpu->gm.low_gm_node.start;
	return 0;
}

static enum plane_id mmio_plane_id(enum dflip_plane_kind kind)
{
	return kind == DFLIP_PLANE_PRIMARY ? PLANE_1 : PLANE_2;
}

static void mmio_write(struct kunit *test, struct mmio_test *t,
		       i915_reg_t reg, u32 val)
{
	KUNIT_ASSERT_EQ(test, dflip_skl_mmio_write(t->vgpu,
						   i915_mmio_reg_offset(reg),
						   val), 0);
}

static u32 mmio_vreg(struct mmio_test *t, i915_reg_t reg)
{
	return vgpu_vreg_t(t->vgpu, reg);
}

/* the guest's mode set and plane programming, without arming */
static void mmio_program(struct kunit *test, struct mmio_test *t,
			 const struct mmio_plane_case *c)
{
	enum plane_id id = mmio_plane_id(c->kind);

	/* GVT's TRANSCONF handler starts vblank emulation: left out */
	vgpu_vreg_t(t->vgpu, TRANSCONF(t->fh->i915, c->pipe)) |=
		TRANSCONF_ENABLE;
	mmio_write(test, t, PLANE_CTL(c->pipe, id),
		   PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888 |
		   PLANE_CTL_TILED_X);
	mmio_write(test, t, PLANE_STRIDE(c->pipe, id), MMIO_W * 4 / 512);
	mmio_write(test, t, PLANE_POS(c->pipe, id), 0);
	mmio_write(test, t, PLANE_SIZE(c->pipe, id),
		   PLANE_HEIGHT(MMIO_H - 1) | PLANE_WIDTH(MMIO_W - 1));
}

/* the guest arms the plane's update with surface @surf */
static void mmio_arm(struct kunit *test, struct mmio_test *t,
		     const struct mmio_plane_case *c, u64 surf)
{
	enum plane_id plane = c->kind == DFLIP_PLANE_PRIMARY ? PLANE_PRIMARY :
							       PLANE_SPRITE0;

	if (c->arm == MMIO_ARM_REG50080)
		/* the flip type in the low bits of @surf, 0: synchronous */
		mmio_write(test, t, REG_50080(c->pipe, plane), (u32)surf);
	else
		mmio_write(test, t, PLANE_SURF(c->pipe, mmio_plane_id(c->kind)),
			   (u32)surf);
}

static bool mmio_take_flip_done(struct mmio_test *t,
				const struct mmio_plane_case *c)
{
	enum plane_id plane = c->kind == DFLIP_PLANE_PRIMARY ? PLANE_PRIMARY :
							       PLANE_SPRITE0;

	return test_and_clear_bit(SKL_FLIP_EVENT(c->pipe, plane),
				  t->vgpu->irq.flip_done_event[c->pipe]);
}

/*
 * Through the MMIO path: programming the plane and arming it gives the
 * plane a framebuffer of the guest's geometry; once the compositor shows
 * it, every arming write reaches the hardware plane and its flip-done
 * waits for the vblank; writes that do not arm reach nothing.
 */
static void mmio_plane_write_flips(struct kunit *test)
{
	const struct mmio_plane_case *c = test->param_value;
	struct mmio_test *t = test->priv;
	struct intel_plane *plane =
		t->fh->planes[c->pipe][c->kind == DFLIP_PLANE_PRIMARY ? 0 : 1];
	enum plane_id id = mmio_plane_id(c->kind);
	struct drm_framebuffer *fb;
	i915_reg_t live;

	mmio_program(test, t, c);
	mmio_arm(test, t, c, t->base);
	/* a new geometry, shown nowhere yet: the flip-done comes at once */
	KUNIT_EXPECT_TRUE(test, mmio_take_flip_done(t, c));

	fb = dflip_skl_vgpu_fb(t->vgpu, c->pipe, c->kind);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_EXPECT_EQ(test, fb->width, MMIO_W);
	KUNIT_EXPECT_EQ(test, fb->height, MMIO_H);
	KUNIT_EXPECT_EQ(test, fb->format->format, DRM_FORMAT_XRGB8888);
	KUNIT_EXPECT_EQ(test, fb->modifier, I915_FORMAT_MOD_X_TILED);

	KUNIT_ASSERT_EQ(test, dflip_skl_commit(test, t->fh, plane, fb), 0);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, plane), (u32)t->base);
	/* GVT takes the assignment at the next arming write at the latest */
	mmio_arm(test, t, c, t->base);
	dflip_skl_vblank(t->fh, c->pipe);
	dflip_skl_vblank(t->fh, c->pipe);
	mmio_take_flip_done(t, c);

	mmio_arm(test, t, c, t->base + SZ_8M);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, plane),
			(u32)(t->base + SZ_8M));
	KUNIT_EXPECT_FALSE(test, mmio_take_flip_done(t, c));
	dflip_skl_vblank(t->fh, c->pipe);
	KUNIT_EXPECT_TRUE(test, mmio_take_flip_done(t, c));

	/* GVT's own bookkeeping of the write is unchanged */
	live = c->kind == DFLIP_PLANE_PRIMARY ?
	       DSPSURFLIVE(t->fh->i915, c->pipe) : SPRSURFLIVE(c->pipe);
	KUNIT_EXPECT_EQ(test, mmio_vreg(t, live), (u32)(t->base + SZ_8M));
	if (c->arm == MMIO_ARM_SURF)
		KUNIT_EXPECT_EQ(test, mmio_vreg(t, PLANE_SURF(c->pipe, id)),
				(u32)(t->base + SZ_8M));

	/* registers that do not arm reach nothing, as on Skylake */
	mmio_write(test, t, PLANE_POS(c->pipe, id), 0x00100010);
	mmio_write(test, t, PLANE_STRIDE(c->pipe, id), MMIO_W * 4 / 512);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, plane),
			(u32)(t->base + SZ_8M));
	KUNIT_EXPECT_PTR_EQ(test, dflip_skl_vgpu_fb(t->vgpu, c->pipe, c->kind),
			    fb);
}

/* flip-done events the guest gets for the plane: raised now, or pending */
static unsigned int mmio_flip_dones(struct mmio_test *t,
				    const struct mmio_plane_case *c)
{
	u32 bit = c->kind == DFLIP_PLANE_PRIMARY ? GEN9_PIPE_PLANE1_FLIP_DONE :
						   GEN9_PIPE_PLANE_FLIP_DONE(PLANE_2);
	i915_reg_t iir = GEN8_DE_PIPE_IIR(c->pipe);
	unsigned int n = mmio_take_flip_done(t, c);

	if (mmio_vreg(t, iir) & bit)
		n++;
	vgpu_vreg_t(t->vgpu, iir) &= ~bit;
	return n;
}

/*
 * The guest programs and arms the plane (a new geometry), the compositor
 * shows its framebuffer on @plane, and GVT has taken the assignment: the
 * guest's arming writes reach @plane from now on; no flip-done is pending.
 */
static void mmio_show(struct kunit *test, struct mmio_test *t,
		      const struct mmio_plane_case *c, struct intel_plane *plane)
{
	struct drm_framebuffer *fb;

	mmio_program(test, t, c);
	mmio_arm(test, t, c, t->base);
	/* a new geometry, shown nowhere yet: one flip-done, at once */
	KUNIT_EXPECT_EQ(test, mmio_flip_dones(t, c), 1u);
	fb = dflip_skl_vgpu_fb(t->vgpu, c->pipe, c->kind);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_ASSERT_EQ(test, dflip_skl_commit(test, t->fh, plane, fb), 0);
	mmio_arm(test, t, c, t->base);
	dflip_skl_vblank(t->fh, c->pipe);
	dflip_skl_vblank(t->fh, c->pipe);
	mmio_flip_dones(t, c);
}

/*
 * A surface outside the vGPU's graphics memory written through the MMIO
 * path: the write succeeds for the guest, the hardware plane keeps the
 * last good frame and the guest still gets its flip-done.
 */
static void mmio_plane_write_foreign_surface(struct kunit *test)
{
	const struct mmio_plane_case *c = test->param_value;
	struct mmio_test *t = test->priv;
	struct intel_plane *plane =
		t->fh->planes[c->pipe][c->kind == DFLIP_PLANE_PRIMARY ? 0 : 1];
	struct intel_vgpu *other = dflip_skl_vgpu_create(test, t->fh);

	mmio_show(test, t, c, plane);

	mmio_arm(test, t, c, other->gm.low_gm_node.start);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, plane), (u32)t->base);
	dflip_skl_vblank(t->fh, c->pipe);
	KUNIT_EXPECT_TRUE(test, mmio_take_flip_done(t, c));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, plane), (u32)t->base);
}

/*
 * An asynchronous guest flip that direct flip does not show (here: a
 * surface outside the guest's memory) gets one flip-done, as without
 * direct flip: GVT raises it at once for an async flip.
 */
static void mmio_plane_async_one_flip_done(struct kunit *test)
{
	const struct mmio_plane_case *c = test->param_value;
	struct mmio_test *t = test->priv;
	struct intel_plane *plane =
		t->fh->planes[c->pipe][c->kind == DFLIP_PLANE_PRIMARY ? 0 : 1];
	struct intel_vgpu *other = dflip_skl_vgpu_create(test, t->fh);
	enum plane_id id = mmio_plane_id(c->kind);
	u32 async;

	mmio_show(test, t, c, plane);

	/* async: PLANE_CTL's bit, or REG_50080's flip type */
	mmio_write(test, t, PLANE_CTL(c->pipe, id),
		   PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888 |
		   PLANE_CTL_TILED_X | PLANE_CTL_ASYNC_FLIP);
	async = c->arm == MMIO_ARM_REG50080 ? REG50080_FLIP_TYPE_ASYNC : 0;
	/* rejected: not shown, one flip-done */
	mmio_arm(test, t, c, other->gm.low_gm_node.start | async);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, plane), (u32)t->base);
	dflip_skl_vblank(t->fh, c->pipe);
	KUNIT_EXPECT_EQ(test, mmio_flip_dones(t, c), 1u);
	/* shown: one flip-done, once latched */
	mmio_arm(test, t, c, (t->base + SZ_8M) | async);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, plane),
			(u32)(t->base + SZ_8M));
	dflip_skl_vblank(t->fh, c->pipe);
	KUNIT_EXPECT_EQ(test, mmio_flip_dones(t, c), 1u);
}

/**
 * struct mmio_cursor_case - a cursor register write that arms
 * @name: case name
 * @pipe: the virtual pipe
 * @reg: 0 CURCNTR, 1 CURPOS, 2 CURBASE
 */
struct mmio_cursor_case {
	const char *name;
	enum pipe pipe;
	unsigned int reg;
};

static const struct mmio_cursor_case mmio_cursor_cases[] = {
	{ "pipe A CURCNTR", PIPE_A, 0 },
	{ "pipe A CURPOS", PIPE_A, 1 },
	{ "pipe A CURBASE", PIPE_A, 2 },
	{ "pipe B CURCNTR", PIPE_B, 0 },
	{ "pipe B CURPOS", PIPE_B, 1 },
	{ "pipe B CURBASE", PIPE_B, 2 },
	{ "pipe C CURCNTR", PIPE_C, 0 },
	{ "pipe C CURPOS", PIPE_C, 1 },
	{ "pipe C CURBASE", PIPE_C, 2 },
};

static void mmio_cursor_case_desc(const struct mmio_cursor_case *c,
				  char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mmio_cursor, mmio_cursor_cases, mmio_cursor_case_desc);

/* the surface the core holds as the guest's current cursor frame */
static u64 mmio_cursor_cur_surf(struct mmio_test *t, enum pipe pipe)
{
	struct dflip_vplane *vp;
	u64 surf = 0;

	mutex_lock(&t->vgpu->vgpu_lock);
	vp = dflip_vgpu_plane(dflip_host_core(t->vgpu), pipe,
			      DFLIP_PLANE_CURSOR);
	if (vp && vp->has_cur)
		surf = vp->cur.desc.surf;
	mutex_unlock(&t->vgpu->vgpu_lock);
	return surf;
}

/*
 * Each cursor register arms a cursor update through GVT's handler: the
 * core gets the guest's cursor with CURBASE as it is after the write.
 */
static void mmio_cursor_write_arms(struct kunit *test)
{
	const struct mmio_cursor_case *c = test->param_value;
	struct mmio_test *t = test->priv;
	struct drm_i915_private *i915 = t->fh->i915;
	u64 first = t->base + SZ_2M, next = t->base + SZ_1M;
	struct drm_framebuffer *fb, *def;

	def = dflip_skl_vgpu_fb(t->vgpu, c->pipe, DFLIP_PLANE_CURSOR);
	vgpu_vreg_t(t->vgpu, TRANSCONF(i915, c->pipe)) |= TRANSCONF_ENABLE;
	/* cursor off, then on: a new framebuffer, not the default one */
	mmio_write(test, t, CURBASE(i915, c->pipe), (u32)first);
	KUNIT_EXPECT_NULL(test, dflip_skl_vgpu_fb(t->vgpu, c->pipe,
						  DFLIP_PLANE_CURSOR));
	mmio_write(test, t, CURCNTR(i915, c->pipe), MCURSOR_MODE_64_ARGB_AX);
	fb = dflip_skl_vgpu_fb(t->vgpu, c->pipe, DFLIP_PLANE_CURSOR);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_EXPECT_PTR_NE(test, fb, def);
	KUNIT_EXPECT_EQ(test, fb->width, 64);
	KUNIT_EXPECT_EQ(test, fb->height, 64);
	KUNIT_EXPECT_EQ(test, fb->format->format, DRM_FORMAT_ARGB8888);
	KUNIT_EXPECT_EQ(test, mmio_cursor_cur_surf(t, c->pipe), first);

	/* the core sees CURBASE as it is when the write arms */
	vgpu_vreg_t(t->vgpu, CURBASE(i915, c->pipe)) = (u32)next;
	switch (c->reg) {
	case 0:
		mmio_write(test, t, CURCNTR(i915, c->pipe),
			   MCURSOR_MODE_64_ARGB_AX);
		break;
	case 1:
		mmio_write(test, t, CURPOS(i915, c->pipe), 0x00200020);
		KUNIT_EXPECT_EQ(test, mmio_vreg(t, CURPOS(i915, c->pipe)),
				0x00200020u);
		break;
	default:
		mmio_write(test, t, CURBASE(i915, c->pipe), (u32)next);
		break;
	}
	KUNIT_EXPECT_EQ(test, mmio_cursor_cur_surf(t, c->pipe), next);
	/* same geometry: the same framebuffer */
	KUNIT_EXPECT_PTR_EQ(test,
			    dflip_skl_vgpu_fb(t->vgpu, c->pipe,
					      DFLIP_PLANE_CURSOR), fb);
}

/* VFIO_DEVICE_QUERY_GFX_PLANE with DRM_FB for a plane of pipe @pipe */
static int mmio_vfio_query(struct kunit *test, struct mmio_test *t,
			   u32 plane_type, enum pipe pipe,
			   struct vfio_device_gfx_plane_info *out)
{
	struct vfio_device_gfx_plane_info in = {
		.argsz = sizeof(in),
		.flags = VFIO_GFX_PLANE_TYPE_DRM_FB,
		.drm_plane_type = plane_type,
		.reserved = pipe,
	};

	return dflip_skl_vfio_query(test, t->vgpu, &in, out);
}

/*
 * The VFIO reply for the cursor says where the guest put it and its
 * hotspot, as the dma-buf path's reply does (QEMU places its cursor with
 * them); a position off the top or left edge reads as 0.
 */
static void mmio_cursor_vfio_position(struct kunit *test)
{
	struct mmio_test *t = test->priv;
	struct drm_i915_private *i915 = t->fh->i915;
	struct vfio_device_gfx_plane_info out;

	vgpu_vreg_t(t->vgpu, TRANSCONF(i915, PIPE_B)) |= TRANSCONF_ENABLE;
	vgpu_vreg_t(t->vgpu, vgtif_reg(cursor_x_hot)) = 3;
	vgpu_vreg_t(t->vgpu, vgtif_reg(cursor_y_hot)) = 5;
	mmio_write(test, t, CURPOS(i915, PIPE_B),
		   CURSOR_POS_X(100) | CURSOR_POS_Y(50));
	mmio_write(test, t, CURBASE(i915, PIPE_B), (u32)(t->base + SZ_2M));
	mmio_write(test, t, CURCNTR(i915, PIPE_B), MCURSOR_MODE_64_ARGB_AX);

	KUNIT_ASSERT_EQ(test, mmio_vfio_query(test, t, DRM_PLANE_TYPE_CURSOR,
					      PIPE_B, &out), 0);
	KUNIT_EXPECT_NE(test, out.drm_fb_id, 0);
	KUNIT_EXPECT_EQ(test, out.x_pos, 100);
	KUNIT_EXPECT_EQ(test, out.y_pos, 50);
	KUNIT_EXPECT_EQ(test, out.x_hot, 3);
	KUNIT_EXPECT_EQ(test, out.y_hot, 5);

	/* the guest moves it: CURPOS arms the move */
	mmio_write(test, t, CURPOS(i915, PIPE_B),
		   CURSOR_POS_X(640) | CURSOR_POS_Y(480));
	KUNIT_ASSERT_EQ(test, mmio_vfio_query(test, t, DRM_PLANE_TYPE_CURSOR,
					      PIPE_B, &out), 0);
	KUNIT_EXPECT_EQ(test, out.x_pos, 640);
	KUNIT_EXPECT_EQ(test, out.y_pos, 480);

	/* partly off the left edge; a hotspot outside the cursor is none */
	vgpu_vreg_t(t->vgpu, vgtif_reg(cursor_x_hot)) = 65;
	mmio_write(test, t, CURPOS(i915, PIPE_B),
		   CURSOR_POS_X(20) | CURSOR_POS_X_SIGN | CURSOR_POS_Y(7));
	KUNIT_ASSERT_EQ(test, mmio_vfio_query(test, t, DRM_PLANE_TYPE_CURSOR,
					      PIPE_B, &out), 0);
	KUNIT_EXPECT_EQ(test, out.x_pos, 0);
	KUNIT_EXPECT_EQ(test, out.y_pos, 7);
	KUNIT_EXPECT_EQ(test, out.x_hot, 0xffffffff);
	KUNIT_EXPECT_EQ(test, out.y_hot, 0xffffffff);
}

/* A write to another pipe's cursor leaves this pipe's cursor alone. */
static void mmio_cursor_other_pipe(struct kunit *test)
{
	struct mmio_test *t = test->priv;
	struct drm_i915_private *i915 = t->fh->i915;

	vgpu_vreg_t(t->vgpu, TRANSCONF(i915, PIPE_A)) |= TRANSCONF_ENABLE;
	mmio_write(test, t, CURBASE(i915, PIPE_A), (u32)(t->base + SZ_2M));
	mmio_write(test, t, CURCNTR(i915, PIPE_A), MCURSOR_MODE_64_ARGB_AX);
	mmio_write(test, t, CURBASE(i915, PIPE_B), (u32)(t->base + SZ_1M));
	KUNIT_EXPECT_EQ(test, mmio_cursor_cur_surf(t, PIPE_A),
			t->base + SZ_2M);
	/* pipe B's cursor got the write: it is now off */
	KUNIT_EXPECT_NULL(test, dflip_skl_vgpu_fb(t->vgpu, PIPE_B,
						  DFLIP_PLANE_CURSOR));
}

static struct kunit_case mmio_cases[] = {
	KUNIT_CASE_PARAM(mmio_plane_write_flips, mmio_plane_gen_params),
	KUNIT_CASE_PARAM(mmio_plane_write_foreign_surface,
			 mmio_plane_gen_params),
	KUNIT_CASE_PARAM(mmio_plane_async_one_flip_done,
			 mmio_plane_gen_params),
	KUNIT_CASE_PARAM(mmio_cursor_write_arms, mmio_cursor_gen_params),
	KUNIT_CASE(mmio_cursor_other_pipe),
	KUNIT_CASE(mmio_cursor_vfio_position),
	{}
};

static struct kunit_suite mmio_suite = {
	.name = "dflip_mmio",
	.init = mmio_test_init,
	.test_cases = mmio_cases,
};

kunit_test_suite(mmio_suite);
