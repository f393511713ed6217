// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * KUnit test of guest flips reaching a live hardware plane: a vGPU plane
 * the compositor assigned with an i915 commit, on a fake Skylake host whose
 * CRTCs have vblank support (dflip_skl_host.c). Each guest flip goes
 * through dflip_host_guest_flip() as GVT's surface register handler calls
 * it; the hardware's vblank is played by dflip_skl_vblank().
 */

#include <kunit/test.h>

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/math.h>
#include <linux/sched.h>
#include <linux/sizes.h>

#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_vblank.h>
#include <drm/drm_vblank_work.h>

#include "i915_drv.h"
#include "i915_reg.h"
#include "gvt/gvt.h"
#include "display/intel_atomic_plane.h"
#include "display/intel_cursor_regs.h"
#include "display/intel_display_types.h"
#include "display/skl_universal_plane_regs.h"

#include "../dflip_host.h"
#include "../dflip_plane.h"
#include "../dflip_trace.h"
#include "dflip_skl_host.h"

#define LIVE_W	1920
#define LIVE_H	1080

/**
 * struct live_test - a host, a vGPU and the hardware plane it is shown on
 * @fh: the fake host
 * @vgpu: the vGPU
 * @plane: pipe A's primary hardware plane
 * @base: the vGPU's aperture base
 * @frame_reads: GVT's reads of pipe A's PIPE_FRMCOUNT and primary
 *	PLANE_SURFLIVE (live_count_read())
 * @forbidden_surf: a surface GVT must not write to pipe A's primary
 * @forbidden_writes: GVT's writes of it (live_count_write())
 */
struct live_test {
	struct dflip_skl_host *fh;
	struct intel_vgpu *vgpu;
	struct intel_plane *plane;
	u64 base;
	atomic_t frame_reads;
	u32 forbidden_surf;
	atomic_t forbidden_writes;
};

/* the guest shows @vgpu's primary; the compositor commits it on @plane */
static void live_assign(struct kunit *test, struct dflip_skl_host *fh,
			struct intel_vgpu *vgpu, struct intel_plane *plane)
{
	u64 base = vgpu->gm.low_gm_node.start;
	struct drm_framebuffer *fb;

	dflip_skl_guest_program(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, LIVE_W,
				LIVE_H, base);
	KUNIT_EXPECT_FALSE(test, dflip_skl_guest_flip(vgpu, PIPE_A,
						      DFLIP_PLANE_PRIMARY,
						      base));
	fb = dflip_skl_vgpu_fb(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_ASSERT_EQ(test, dflip_skl_commit(test, fh, plane, fb), 0);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(fh, plane), (u32)base);
	/*
	 * GVT takes the assignment at the next guest flip at the latest and
	 * arms the guest's frame; two vblanks later nothing is pending.
	 */
	dflip_skl_guest_flip(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, base);
	dflip_skl_vblank(fh, plane->pipe);
	dflip_skl_vblank(fh, plane->pipe);
}

static int live_test_init(struct kunit *test)
{
	struct live_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	test->priv = t;
	t->fh = dflip_skl_host_create(test);
	t->vgpu = dflip_skl_vgpu_create(test, t->fh);
	t->plane = t->fh->planes[PIPE_A][0];
	t->base = t->vgpu->gm.low_gm_node.start;
	live_assign(test, t->fh, t->vgpu, t->plane);
	return 0;
}

static bool live_flip(struct live_test *t, u64 surf)
{
	return dflip_skl_guest_flip(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY,
				     surf);
}

/* a guest flip with the vGPU's lock already held, as GVT's handler runs */
static bool live_flip_locked(struct live_test *t, u64 surf)
{
	vgpu_vreg_t(t->vgpu, PLANE_SURF(PIPE_A, PLANE_1)) = surf;
	return dflip_host_guest_flip(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, surf);
}

static bool live_flip_done(struct live_test *t)
{
	return test_and_clear_bit(SKL_FLIP_EVENT(PIPE_A, PLANE_PRIMARY),
				  t->vgpu->irq.flip_done_event[PIPE_A]);
}

static void live_flip_reaches_plane(struct kunit *test)
{
	struct live_test *t = test->priv;

	live_flip_done(t);
	/* written to the hardware plane at once, flip-done at its vblank */
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_8M));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)(t->base + SZ_8M));
	KUNIT_EXPECT_FALSE(test, live_flip_done(t));
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_TRUE(test, live_flip_done(t));

	/* a second flip before the vblank waits for it: no torn update */
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_16M));
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_32M));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)(t->base + SZ_16M));
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)(t->base + SZ_32M));
	dflip_skl_vblank(t->fh, PIPE_A);
	/* another pipe's vblank latches nothing of pipe A */
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base));
	dflip_skl_vblank(t->fh, PIPE_B);
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_8M));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)t->base);
}

static void live_reject_keeps_frame(struct kunit *test)
{
	struct live_test *t = test->priv;
	u32 shown;

	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_8M));
	dflip_skl_vblank(t->fh, PIPE_A);
	shown = dflip_skl_hw_surf(t->fh, t->plane);

	/* past the aperture, straddling its end, the next vGPU's memory */
	KUNIT_EXPECT_FALSE(test, live_flip(t, t->base + SZ_64M));
	KUNIT_EXPECT_FALSE(test, live_flip(t, t->base + SZ_64M - SZ_4M));
	KUNIT_EXPECT_FALSE(test, live_flip(t, 0));
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane), shown);

	/* the hidden range is the guest's too */
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->vgpu->gm.high_gm_node.start));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)t->vgpu->gm.high_gm_node.start);
}

static void live_geometry_change(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct drm_framebuffer *old, *fb;
	u32 shown = dflip_skl_hw_surf(t->fh, t->plane);

	old = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	dflip_skl_guest_program(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, 1280,
				720, t->base + SZ_16M);
	/* a new framebuffer; the old frame stays until the host commits it */
	KUNIT_EXPECT_FALSE(test, live_flip(t, t->base + SZ_16M));
	fb = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_EXPECT_PTR_NE(test, fb, old);
	KUNIT_EXPECT_EQ(test, fb->width, 1280);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane), shown);

	/* the commit shows the guest's frame of the new geometry at once */
	KUNIT_ASSERT_EQ(test, dflip_skl_commit(test, t->fh, t->plane, fb), 0);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)(t->base + SZ_16M));
	dflip_skl_guest_flip(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY,
			     t->base + SZ_16M);
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_32M));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)(t->base + SZ_32M));
}

/*
 * The same re-commit of a new geometry, with GVT's work items unable to run
 * in between: the guest (its MMIO traps hold the vGPU's lock) flips right
 * after the host's commit, as a vCPU does on another CPU. GVT must follow
 * the commit at the guest's next flip, not when a work item gets to run.
 */
static void live_geometry_change_no_work(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct intel_vgpu *vgpu = t->vgpu;
	struct drm_framebuffer *fb;

	dflip_skl_guest_program(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, 1280, 720,
				t->base + SZ_16M);
	KUNIT_EXPECT_FALSE(test, live_flip(t, t->base + SZ_16M));
	fb = dflip_skl_vgpu_fb(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);

	mutex_lock(&vgpu->vgpu_lock);
	KUNIT_EXPECT_EQ(test, dflip_skl_commit(test, t->fh, t->plane, fb), 0);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)(t->base + SZ_16M));
	KUNIT_EXPECT_TRUE(test, live_flip_locked(t, t->base + SZ_8M));
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)(t->base + SZ_8M));
	KUNIT_EXPECT_TRUE(test, live_flip_locked(t, t->base + SZ_32M));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)(t->base + SZ_32M));
	mutex_unlock(&vgpu->vgpu_lock);
}

/*
 * A host commit right after the compositor re-committed a new geometry,
 * before GVT's state machine followed (the vGPU's lock is held, as by a
 * vCPU trapping meanwhile): i915 must program the re-committed
 * framebuffer at a frame validated for its own geometry. The plane last
 * showed a small frame at the end of the guest's aperture, where the new
 * framebuffer's 1920x1080 would read 8 MiB past it.
 */
static void live_host_commit_after_recommit(struct kunit *test)
{
	struct live_test *t = test->priv;
	u64 end = t->base + SZ_64M;
	struct drm_framebuffer *small, *large;
	u64 surf;

	/* a small frame at the end of the aperture, shown */
	dflip_skl_guest_program(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, 128, 64,
				end - SZ_256K);
	live_flip(t, end - SZ_256K);
	small = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_ASSERT_EQ(test, dflip_skl_commit(test, t->fh, t->plane, small), 0);
	live_flip(t, end - SZ_256K);
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)(end - SZ_256K));

	/* 1920x1080 at the start again: a new framebuffer */
	dflip_skl_guest_program(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, LIVE_W,
				LIVE_H, t->base);
	live_flip(t, t->base);
	large = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, large);

	mutex_lock(&t->vgpu->vgpu_lock);
	/* the compositor re-commits, then a host commit pulls the plane in */
	KUNIT_EXPECT_EQ(test, dflip_skl_commit(test, t->fh, t->plane, large), 0);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane), (u32)t->base);
	KUNIT_EXPECT_EQ(test, dflip_skl_commit(test, t->fh, t->plane, large), 0);
	surf = dflip_skl_hw_surf(t->fh, t->plane);
	mutex_unlock(&t->vgpu->vgpu_lock);

	/* the plane reads the large framebuffer's own frame, in the guest's */
	KUNIT_EXPECT_EQ(test, surf, t->base);
	KUNIT_EXPECT_LE(test, surf + (u64)large->pitches[0] * LIVE_H, end);
}

/*
 * While the guest changes geometry, the host commits its own changes
 * (link retraining, cdclk, a modeset) with the plane still showing the
 * old framebuffer: they must not fail, and the plane keeps its frame.
 */
static void live_host_commit_keeps_shown_fb(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct drm_framebuffer *shown, *fb;

	shown = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, shown);
	dflip_skl_guest_program(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, 1280,
				720, t->base + SZ_16M);
	live_flip(t, t->base + SZ_16M);
	fb = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_PTR_NE(test, fb, shown);

	KUNIT_EXPECT_EQ(test, dflip_skl_commit(test, t->fh, t->plane, shown), 0);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane), (u32)t->base);
	/* a stale framebuffer still goes on no other plane */
	KUNIT_EXPECT_EQ(test,
			dflip_skl_commit(test, t->fh, t->fh->planes[PIPE_B][0],
					 shown), -EBUSY);
}

/* the guest moves its cursor to (@x, @y) of its pipe */
static void live_cursor_move(struct live_test *t, int x, int y)
{
	struct drm_i915_private *i915 = t->fh->i915;
	u32 pos = CURSOR_POS_X(abs(x)) | CURSOR_POS_Y(abs(y));

	if (x < 0)
		pos |= CURSOR_POS_X_SIGN;
	if (y < 0)
		pos |= CURSOR_POS_Y_SIGN;
	vgpu_vreg_t(t->vgpu, CURPOS(i915, PIPE_A)) = pos;
	dflip_skl_guest_flip(t->vgpu, PIPE_A, DFLIP_PLANE_CURSOR,
			     vgpu_vreg_t(t->vgpu, CURBASE(i915, PIPE_A)));
}

/*
 * The guest's cursor follows the guest's CURPOS on the host, mapped into
 * where the compositor put the same pipe's primary: here scaled by half
 * to 960x540 at (100, 50). Its origin stays inside that rectangle.
 */
static void live_cursor_follows_guest(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct intel_plane *cursor = t->fh->cursors[PIPE_A];
	struct drm_rect dst = DRM_RECT_INIT(100, 50, LIVE_W / 2, LIVE_H / 2);
	struct drm_framebuffer *primary, *fb;

	primary = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, primary);
	KUNIT_ASSERT_EQ(test, dflip_skl_commit_at(test, t->fh, t->plane,
						  primary, &dst), 0);
	dflip_skl_guest_program(t->vgpu, PIPE_A, DFLIP_PLANE_CURSOR, 64, 64,
				t->base + SZ_2M);
	live_cursor_move(t, 960, 540);
	fb = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_CURSOR);
	KUNIT_ASSERT_NOT_NULL(test, fb);

	/* the compositor puts the cursor at 0,0: it shows where the guest's is */
	KUNIT_ASSERT_EQ(test, dflip_skl_commit(test, t->fh, cursor, fb), 0);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, cursor),
			(u32)(t->base + SZ_2M));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_cursor_pos(t->fh, PIPE_A),
			CURSOR_POS_X(580) | CURSOR_POS_Y(320));
	/* GVT takes the assignment at the next guest write at the latest */
	live_cursor_move(t, 960, 540);
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_cursor_pos(t->fh, PIPE_A),
			CURSOR_POS_X(580) | CURSOR_POS_Y(320));

	/* the guest moves it */
	live_cursor_move(t, 100, 1000);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_cursor_pos(t->fh, PIPE_A),
			CURSOR_POS_X(150) | CURSOR_POS_Y(550));
	dflip_skl_vblank(t->fh, PIPE_A);
	/* off the guest's right edge, and off its top: clipped */
	live_cursor_move(t, 5000, -30);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_cursor_pos(t->fh, PIPE_A),
			CURSOR_POS_X(100 + LIVE_W / 2 - 1) | CURSOR_POS_Y(50));
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, cursor),
			(u32)(t->base + SZ_2M));
}

/* PLANE_OFFSET of pipe A's primary hardware plane, as last written */
static u32 live_hw_offset(struct live_test *t)
{
	return readl(t->fh->i915->uncore.regs +
		     i915_mmio_reg_offset(PLANE_OFFSET(PIPE_A, PLANE_1)));
}

/*
 * The guest shows part of a wider surface (the right half of 3840 pixels,
 * 8 rows down), then pans to the left half: its PLANE_OFFSET reaches the
 * hardware plane, added to the offset i915 programs for the compositor's
 * source rectangle (here 16, 4 into the framebuffer), at the host commit
 * and with each flip. A pan makes no new framebuffer.
 */
static void live_guest_pans(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct intel_vgpu *vgpu = t->vgpu;
	struct drm_rect dst = DRM_RECT_INIT(0, 0, LIVE_W - 16, LIVE_H - 4);
	struct drm_rect src = DRM_RECT_INIT(16, 4, LIVE_W - 16, LIVE_H - 4);
	u32 right = PLANE_OFFSET_Y(8 + 4) | PLANE_OFFSET_X(LIVE_W + 16);
	u32 left = PLANE_OFFSET_Y(8 + 4) | PLANE_OFFSET_X(16);
	struct dflip_skl_commit ps;
	struct drm_framebuffer *fb;

	dflip_skl_guest_program(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, LIVE_W,
				LIVE_H, t->base);
	vgpu_vreg_t(vgpu, PLANE_STRIDE(PIPE_A, PLANE_1)) = 2 * LIVE_W * 4 / 512;
	vgpu_vreg_t(vgpu, PLANE_OFFSET(PIPE_A, PLANE_1)) =
		PLANE_OFFSET_Y(8) | PLANE_OFFSET_X(LIVE_W);
	live_flip(t, t->base);
	fb = dflip_skl_vgpu_fb(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_ASSERT_EQ(test, fb->pitches[0], 2 * LIVE_W * 4);
	KUNIT_ASSERT_EQ(test, fb->width, LIVE_W);

	KUNIT_ASSERT_EQ(test, dflip_skl_commit_check(test, t->fh, t->plane, fb,
						     &dst, &ps), 0);
	dflip_skl_commit_src(test, &ps, &src);
	dflip_skl_commit_program(&ps);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane), (u32)t->base);
	KUNIT_EXPECT_EQ(test, live_hw_offset(t), right);

	/* GVT takes the assignment at the next flip; the offset stays */
	live_flip(t, t->base + SZ_32M);
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)(t->base + SZ_32M));
	KUNIT_EXPECT_EQ(test, live_hw_offset(t), right);

	/* the guest pans to the left half */
	vgpu_vreg_t(vgpu, PLANE_OFFSET(PIPE_A, PLANE_1)) = PLANE_OFFSET_Y(8);
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base));
	KUNIT_EXPECT_EQ(test, live_hw_offset(t), left);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane), (u32)t->base);
	KUNIT_EXPECT_PTR_EQ(test, dflip_skl_vgpu_fb(vgpu, PIPE_A,
						    DFLIP_PLANE_PRIMARY), fb);
}

/* The byte an X-tiled plane reads first: tile-linear, 4 KiB tiles of 8 rows */
static u64 live_x_tiled_addr(u64 surf, u32 stride, u32 x, u32 y)
{
	u32 bx = x * 4;

	return surf + ((u64)(y / 8) * (stride / 512) + bx / 512) * SZ_4K +
	       (y % 8) * 512 + bx % 512;
}

/*
 * The compositor shows an X-tiled framebuffer from 100 rows down: i915
 * puts whole aligned tiles into the surface address and leaves the rest
 * of a tile row in x (skl_calc_main_surface_offset()). The guest shows the
 * right half of its 3840-pixel surface, 8 rows down. The sum of the two
 * offsets must be programmed as i915 programs one: x plus the width within
 * the stride (an X-tiled plane hangs otherwise), the surface aligned, and
 * the first pixel read the one both offsets together point at.
 */
static void live_guest_pans_x_tiled_within_stride(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct intel_vgpu *vgpu = t->vgpu;
	struct drm_rect src = DRM_RECT_INIT(16, 100, LIVE_W - 16, LIVE_H - 100);
	struct drm_rect dst = DRM_RECT_INIT(0, 0, LIVE_W - 16, LIVE_H - 100);
	u32 stride = 2 * LIVE_W * 4;
	u64 surf = t->base + SZ_32M;
	struct dflip_skl_commit ps;
	struct drm_framebuffer *fb;
	u32 offset, x, y, hw;

	dflip_skl_guest_program(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, LIVE_W,
				LIVE_H, t->base);
	vgpu_vreg_t(vgpu, PLANE_STRIDE(PIPE_A, PLANE_1)) = stride / 512;
	vgpu_vreg_t(vgpu, PLANE_OFFSET(PIPE_A, PLANE_1)) =
		PLANE_OFFSET_Y(8) | PLANE_OFFSET_X(LIVE_W);
	live_flip(t, t->base);
	fb = dflip_skl_vgpu_fb(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_ASSERT_EQ(test, dflip_skl_commit_check(test, t->fh, t->plane, fb,
						     &dst, &ps), 0);
	dflip_skl_commit_src(test, &ps, &src);
	dflip_skl_commit_program(&ps);

	live_flip(t, surf);
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	hw = dflip_skl_hw_surf(t->fh, t->plane);
	offset = live_hw_offset(t);
	x = REG_FIELD_GET(PLANE_OFFSET_X_MASK, offset);
	y = REG_FIELD_GET(PLANE_OFFSET_Y_MASK, offset);
	KUNIT_EXPECT_LE(test, (x + drm_rect_width(&src)) * 4, stride);
	KUNIT_EXPECT_EQ(test, hw % SZ_256K, 0);
	KUNIT_EXPECT_EQ(test, live_x_tiled_addr(hw, stride, x, y),
			live_x_tiled_addr(surf, stride, LIVE_W + 16, 8 + 100));
}

/*
 * The compositor moves the framebuffer to another plane of the CRTC in one
 * commit. i915's commit tail programs planes in the order its DDB
 * allocation needs (skl_next_plane_to_commit()), so the new plane may be
 * armed before the old one is disabled: GVT must end up flipping onto the
 * new plane either way. (The helper's plane state has no atomic state to
 * tell the check that the old plane lets go, so the check's -EBUSY is
 * ignored here: the real check passes for a move.)
 */
static void live_move_arms_new_plane_first(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct intel_plane *to = t->fh->planes[PIPE_A][1];
	struct drm_framebuffer *fb;
	struct dflip_skl_commit ps;

	fb = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	dflip_skl_commit_check(test, t->fh, to, fb, NULL, &ps);
	dflip_skl_commit_program(&ps);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, to), (u32)t->base);
	dflip_skl_disable(test, t->fh, t->plane);
	dflip_skl_vblank(t->fh, PIPE_A);

	live_flip(t, t->base);
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_8M));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, to),
			(u32)(t->base + SZ_8M));
}

/*
 * After the documented geometry-change flow (the compositor re-commits the
 * new framebuffer on the same plane), the vblank work runs again: a queued
 * flip is armed at the vblank that latches the one before, and its
 * flip-done follows at the next, with no guest write in between.
 */
static void live_recommit_restarts_vblank_work(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct drm_framebuffer *fb;

	dflip_skl_guest_program(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, 1280,
				720, t->base + SZ_16M);
	live_flip(t, t->base + SZ_16M);
	fb = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	/*
	 * The commit and the guest's next flip with the vGPU's lock held,
	 * as a vCPU trapping meanwhile holds it: no work item of GVT's can
	 * bring the plane in line in between, on any CPU.
	 */
	mutex_lock(&t->vgpu->vgpu_lock);
	KUNIT_EXPECT_EQ(test, dflip_skl_commit(test, t->fh, t->plane, fb), 0);
	live_flip_locked(t, t->base + SZ_16M);
	mutex_unlock(&t->vgpu->vgpu_lock);
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	live_flip_done(t);

	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_8M));
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_32M));
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)(t->base + SZ_32M));
	KUNIT_EXPECT_TRUE(test, live_flip_done(t));
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_TRUE(test, live_flip_done(t));
}

/* the state machine's state of the guest's primary; the vGPU's lock held */
static enum dflip_vplane_state live_state_locked(struct live_test *t)
{
	struct dflip_vplane *vp = dflip_vgpu_plane(dflip_host_core(t->vgpu),
						   PIPE_A, DFLIP_PLANE_PRIMARY);
	enum dflip_vplane_state state;
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	state = vp->state;
	spin_unlock_irqrestore(&vp->lock, flags);
	return state;
}

/*
 * i915's commit itself assigns the plane, with no work item of GVT's in
 * between: while a vCPU's trap holds the vGPU's lock, the plane i915 just
 * armed with the guest's framebuffer is assigned when the commit returns,
 * counting i915's update as armed, and the guest's flip waits for it.
 */
static void live_commit_assigns_at_once(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct intel_plane *to = t->fh->planes[PIPE_B][0];
	struct drm_framebuffer *fb;

	fb = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	dflip_skl_disable(test, t->fh, t->plane);
	KUNIT_ASSERT_TRUE(test, dflip_skl_unassigned(t->vgpu, PIPE_A,
						     DFLIP_PLANE_PRIMARY));

	mutex_lock(&t->vgpu->vgpu_lock);
	KUNIT_EXPECT_EQ(test, dflip_skl_commit(test, t->fh, to, fb), 0);
	KUNIT_EXPECT_EQ(test, live_state_locked(t), DFLIP_VPLANE_ARMED);
	KUNIT_EXPECT_TRUE(test, live_flip_locked(t, t->base + SZ_8M));
	mutex_unlock(&t->vgpu->vgpu_lock);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, to), (u32)t->base);

	/* pipe B's vblanks: i915's update latches, then the guest's flip */
	live_flip_done(t);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, to), (u32)t->base);
	dflip_skl_vblank(t->fh, PIPE_B);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, to),
			(u32)(t->base + SZ_8M));
	KUNIT_EXPECT_FALSE(test, live_flip_done(t));
	dflip_skl_vblank(t->fh, PIPE_B);
	KUNIT_EXPECT_TRUE(test, live_flip_done(t));
}

/*
 * A plane moved to another CRTC and back, each move before GVT's work let
 * go of the old CRTC's vblank work (it may run beside the move): each
 * assignment gets its vblank work at once, in the other slot, and each
 * flip is latched at the vblank of the CRTC it is on.
 */
static void live_move_between_crtcs(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct intel_plane *planes[] = {
		t->fh->planes[PIPE_B][0], t->plane, t->fh->planes[PIPE_B][0],
	};
	struct drm_framebuffer *fb;
	struct intel_plane *from = t->plane;
	unsigned int i;
	u64 surf;

	fb = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	for (i = 0; i < ARRAY_SIZE(planes); i++) {
		enum pipe pipe = planes[i]->pipe;

		surf = t->base + (i + 1) * SZ_8M;
		/* the slot of the move before is free; this move's is not */
		dflip_host_vblank_sync(t->vgpu);
		mutex_lock(&t->vgpu->vgpu_lock);
		dflip_skl_disable(test, t->fh, from);
		KUNIT_EXPECT_EQ(test, dflip_skl_commit(test, t->fh, planes[i],
						       fb), 0);
		mutex_unlock(&t->vgpu->vgpu_lock);
		from = planes[i];
		/* i915's update latches; GVT's re-arm of the same frame too */
		dflip_skl_vblank(t->fh, pipe);
		dflip_skl_vblank(t->fh, pipe);
		live_flip_done(t);

		KUNIT_EXPECT_TRUE(test, live_flip(t, surf));
		KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, planes[i]),
				(u32)surf);
		/* the other CRTC's vblank latches nothing of it */
		dflip_skl_vblank(t->fh, pipe == PIPE_A ? PIPE_B : PIPE_A);
		KUNIT_EXPECT_FALSE(test, live_flip_done(t));
		dflip_skl_vblank(t->fh, pipe);
		KUNIT_EXPECT_TRUE(test, live_flip_done(t));
	}
}

static void live_two_vgpus_isolated(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct intel_plane *plane_b = t->fh->planes[PIPE_B][0];
	struct intel_vgpu *b = dflip_skl_vgpu_create(test, t->fh);
	u64 base_b = b->gm.low_gm_node.start;
	u32 shown_a;

	live_assign(test, t->fh, b, plane_b);
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_8M));
	dflip_skl_vblank(t->fh, PIPE_A);
	shown_a = dflip_skl_hw_surf(t->fh, t->plane);

	/* B flips its own plane only */
	KUNIT_EXPECT_TRUE(test, dflip_skl_guest_flip(b, PIPE_A,
						     DFLIP_PLANE_PRIMARY,
						     base_b + SZ_8M));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, plane_b),
			(u32)(base_b + SZ_8M));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane), shown_a);
	dflip_skl_vblank(t->fh, PIPE_B);

	/* B may not show A's memory, on any plane */
	KUNIT_EXPECT_FALSE(test, dflip_skl_guest_flip(b, PIPE_A,
						      DFLIP_PLANE_PRIMARY,
						      t->base));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, plane_b),
			(u32)(base_b + SZ_8M));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane), shown_a);

	/* nor may the compositor show one vGPU framebuffer on two planes */
	KUNIT_EXPECT_EQ(test,
			dflip_skl_commit(test, t->fh, t->fh->planes[PIPE_B][1],
					 dflip_skl_vgpu_fb(t->vgpu, PIPE_A,
							   DFLIP_PLANE_PRIMARY)),
			-EBUSY);
}

/*
 * GVT read a display register: count the reads of pipe A's registers that
 * tell a latch (the frame counter, the primary's live surface)
 */
static void live_count_read(void *data, u32 reg, u32 val)
{
	struct live_test *t = data;

	if (reg == i915_mmio_reg_offset(PIPE_FRMCOUNT_G4X(t->fh->i915, PIPE_A)) ||
	    reg == i915_mmio_reg_offset(PLANE_SURFLIVE(PIPE_A, PLANE_1)))
		atomic_inc(&t->frame_reads);
}

static void live_unwatch_reads(void *data)
{
	unregister_trace_dflip_hw_read(live_count_read, data);
	tracepoint_synchronize_unregister();
}

/* Count GVT's writes of @t->forbidden_surf to the primary (tracepoint) */
static void live_count_write(void *data, u32 reg, u32 val)
{
	struct live_test *t = data;

	if (reg == i915_mmio_reg_offset(PLANE_SURF(PIPE_A, PLANE_1)) &&
	    (val & PLANE_SURF_ADDR_MASK) == t->forbidden_surf)
		atomic_inc(&t->forbidden_writes);
}

static void live_unwatch_writes(void *data)
{
	unregister_trace_dflip_hw_write(live_count_write, data);
	tracepoint_synchronize_unregister();
}

static void live_watch_writes(struct kunit *test, struct live_test *t,
			      u32 surf)
{
	t->forbidden_surf = surf;
	KUNIT_ASSERT_EQ(test, register_trace_dflip_hw_write(live_count_write, t),
			0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							live_unwatch_writes,
							t), 0);
}

/* Count GVT's frame counter reads from every context (tracepoint) */
static void live_watch_reads(struct kunit *test, struct live_test *t)
{
	KUNIT_ASSERT_EQ(test, register_trace_dflip_hw_read(live_count_read, t),
			0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							live_unwatch_reads,
							t), 0);
}

/*
 * i915 takes the plane back from a flip GVT armed (a plane disable before
 * the pipe goes off). The pipe may be off or power-gated from then on, so
 * GVT reads none of its registers: not in the vblank work that runs once
 * more, not when it lets go of the plane, not at a later guest flip; the
 * guest still gets the flip-done of the flip in flight.
 */
static void live_no_frame_read_after_take_back(struct kunit *test)
{
	struct live_test *t = test->priv;

	live_flip_done(t);
	live_watch_reads(test, t);
	/* the probe sees the read that tells a latch at the vblank */
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_8M));
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_TRUE(test, live_flip_done(t));
	KUNIT_EXPECT_GT(test, atomic_read(&t->frame_reads), 0);
	/* a flip in flight */
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_32M));
	atomic_set(&t->frame_reads, 0);

	/*
	 * The CRTC's next vblank comes right after i915 took the plane back,
	 * while a guest trap holds the vGPU's lock: GVT's vblank work, stopped
	 * by the take-back, may run once more and must read nothing.
	 */
	mutex_lock(&t->vgpu->vgpu_lock);
	dflip_skl_disable(test, t->fh, t->plane);
	dflip_skl_vblank(t->fh, PIPE_A);
	mutex_unlock(&t->vgpu->vgpu_lock);
	KUNIT_ASSERT_TRUE(test, dflip_skl_unassigned(t->vgpu, PIPE_A,
						     DFLIP_PLANE_PRIMARY));
	KUNIT_EXPECT_TRUE(test, live_flip_done(t));
	KUNIT_EXPECT_FALSE(test, live_flip(t, t->base + SZ_16M));
	KUNIT_EXPECT_EQ(test, atomic_read(&t->frame_reads), 0);
}

/*
 * A guest flip to a new surface reads no register in the trap: its latch
 * shows in the plane's live surface, read by the vblank work. A flip that
 * keeps the live surface (the guest shows the same buffer again) is told
 * by the frame counter, read once right after the arming write.
 */
static void live_flip_reads_nothing_in_trap(struct kunit *test)
{
	struct live_test *t = test->priv;

	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_8M));
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	live_flip_done(t);
	live_watch_reads(test, t);

	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_16M));
	KUNIT_EXPECT_EQ(test, atomic_read(&t->frame_reads), 0);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->frame_reads), 1);
	KUNIT_EXPECT_TRUE(test, live_flip_done(t));

	/* the same surface again */
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_16M));
	KUNIT_EXPECT_EQ(test, atomic_read(&t->frame_reads), 2);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_TRUE(test, live_flip_done(t));
}

static u32 live_reg(struct live_test *t, i915_reg_t reg)
{
	return readl(t->fh->i915->uncore.regs + i915_mmio_reg_offset(reg));
}

/*
 * A Gen9 universal plane cannot be disarmed: a guest flip GVT armed before
 * i915 reprograms the plane latches at the next vblank, and a vblank may
 * come between a commit's noarm writes (before vblank evasion) and its arm
 * writes. The plane must then latch its old state whole. Here the guest's
 * last 1920x1080 frame, armed by GVT, lies 54 MiB into its 64 MiB slice,
 * and the compositor commits the guest's next, 2560x1440 framebuffer: its
 * stride and size under the old frame would read 4 MiB past the slice.
 */
static void live_noarm_latches_with_arm(struct kunit *test)
{
	const i915_reg_t noarm[] = {
		PLANE_STRIDE(PIPE_A, PLANE_1), PLANE_POS(PIPE_A, PLANE_1),
		PLANE_SIZE(PIPE_A, PLANE_1), PLANE_BUF_CFG(PIPE_A, PLANE_1),
		PLANE_WM(PIPE_A, PLANE_1, 0),
	};
	struct live_test *t = test->priv;
	u64 old_frame = t->base + 54 * SZ_1M;
	u32 old[ARRAY_SIZE(noarm)];
	struct dflip_skl_commit ps;
	struct drm_framebuffer *fb;
	unsigned int i;

	KUNIT_EXPECT_TRUE(test, live_flip(t, old_frame));
	for (i = 0; i < ARRAY_SIZE(noarm); i++)
		old[i] = live_reg(t, noarm[i]);
	dflip_skl_guest_program(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, 2560, 1440,
				t->base);
	KUNIT_EXPECT_FALSE(test, live_flip(t, t->base));
	fb = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_ASSERT_EQ(test, fb->width, 2560);
	KUNIT_ASSERT_EQ(test, dflip_skl_commit_check(test, t->fh, t->plane, fb,
						     NULL, &ps), 0);

	/* what a vblank now latches: GVT's frame, all in the old geometry */
	intel_plane_update_noarm(NULL, ps.plane, ps.crtc_state, ps.plane_state);
	KUNIT_EXPECT_EQ(test, live_reg(t, PLANE_SURF(PIPE_A, PLANE_1)),
			(u32)old_frame);
	for (i = 0; i < ARRAY_SIZE(noarm); i++)
		KUNIT_EXPECT_EQ_MSG(test, live_reg(t, noarm[i]), old[i],
				    "register %#x written before the arm",
				    i915_mmio_reg_offset(noarm[i]));

	/* the arm writes the new geometry and its own frame together */
	intel_plane_update_arm(NULL, ps.plane, ps.crtc_state, ps.plane_state);
	KUNIT_EXPECT_EQ(test, live_reg(t, PLANE_SURF(PIPE_A, PLANE_1)),
			(u32)t->base);
	KUNIT_EXPECT_EQ(test, live_reg(t, PLANE_SIZE(PIPE_A, PLANE_1)),
			PLANE_HEIGHT(1440 - 1) | PLANE_WIDTH(2560 - 1));
	KUNIT_EXPECT_NE(test, live_reg(t, PLANE_STRIDE(PIPE_A, PLANE_1)), old[0]);
}

/*
 * Host suspend and resume as i915 runs them: the suspend commit turns every
 * CRTC off (plane disabled, then vblank off). GVT lets go of the plane,
 * completes the guest's flip in flight and writes nothing while the host
 * sleeps. The resume's restore commit of the same framebuffer shows the
 * guest's current frame, and GVT flips onto the plane again.
 */
static void live_suspend_resume(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct drm_crtc *crtc = &t->fh->crtcs[PIPE_A]->base;
	struct drm_framebuffer *fb;

	fb = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	live_flip_done(t);
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_8M));

	/* suspend */
	dflip_skl_disable(test, t->fh, t->plane);
	/* i915 turns the vblank off next: no work of GVT's may be pending */
	spin_lock_irq(&crtc->dev->event_lock);
	KUNIT_EXPECT_TRUE(test,
			  list_empty(&drm_crtc_vblank_crtc(crtc)->pending_work));
	spin_unlock_irq(&crtc->dev->event_lock);
	drm_crtc_vblank_off(crtc);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane), 0u);
	KUNIT_ASSERT_TRUE(test, dflip_skl_unassigned(t->vgpu, PIPE_A,
						     DFLIP_PLANE_PRIMARY));
	KUNIT_EXPECT_TRUE(test, live_flip_done(t));

	/* a guest flip meanwhile is emulated; the plane stays off */
	KUNIT_EXPECT_FALSE(test, live_flip(t, t->base + SZ_16M));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane), 0u);

	/* resume: the restore commit shows the guest's current frame */
	drm_crtc_vblank_on(crtc);
	KUNIT_ASSERT_EQ(test, dflip_skl_commit(test, t->fh, t->plane, fb), 0);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)(t->base + SZ_16M));
	live_flip(t, t->base + SZ_16M);
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_32M));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)(t->base + SZ_32M));
}

/*
 * A new vGPU's planes have framebuffers of the default geometry before the
 * guest programs anything; the compositor can show one at once and sees
 * the start of the vGPU's aperture.
 */
static void live_default_framebuffer(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct intel_plane *plane = t->fh->planes[PIPE_B][0];
	struct intel_vgpu *b = dflip_skl_vgpu_create(test, t->fh);
	u64 base_b = b->gm.low_gm_node.start;
	struct drm_framebuffer *fb, *cursor;

	fb = dflip_skl_vgpu_fb(b, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_EXPECT_EQ(test, fb->width, 1024);
	KUNIT_EXPECT_EQ(test, fb->height, 768);
	KUNIT_EXPECT_EQ(test, fb->pitches[0], 4096);
	KUNIT_EXPECT_EQ(test, fb->format->format, DRM_FORMAT_XRGB8888);
	KUNIT_EXPECT_EQ(test, fb->modifier, DRM_FORMAT_MOD_LINEAR);
	cursor = dflip_skl_vgpu_fb(b, PIPE_C, DFLIP_PLANE_CURSOR);
	KUNIT_ASSERT_NOT_NULL(test, cursor);
	KUNIT_EXPECT_EQ(test, cursor->width, 64);
	KUNIT_EXPECT_EQ(test, cursor->format->format, DRM_FORMAT_ARGB8888);

	KUNIT_ASSERT_EQ(test, dflip_skl_commit(test, t->fh, plane, fb), 0);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, plane), (u32)base_b);
}

/*
 * The compositor moves the framebuffer to another plane while the guest
 * has a flip armed (A) and one queued (B, another offset). i915 arms the
 * new plane with A, the frame on the hardware, at A's offset. GVT then
 * takes the new plane (here in the guest's next trap, its work items
 * kept out by the vGPU's lock): it must not write B's offset and surface
 * on top of i915's update before that latched, or a vblank between the
 * two writes shows A's surface at B's offset, which was only validated
 * for B's surface.
 */
static void live_move_waits_for_host_latch(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct intel_vgpu *vgpu = t->vgpu;
	struct intel_plane *to = t->fh->planes[PIPE_A][1];
	void __iomem *offset = t->fh->i915->uncore.regs +
		i915_mmio_reg_offset(PLANE_OFFSET(PIPE_A, PLANE_2));
	struct drm_framebuffer *fb;
	struct dflip_skl_commit ps;
	u32 surf, off;

	fb = dflip_skl_vgpu_fb(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_8M));	/* A */
	vgpu_vreg_t(vgpu, PLANE_OFFSET(PIPE_A, PLANE_1)) = PLANE_OFFSET_Y(16);
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_32M));	/* B */

	mutex_lock(&vgpu->vgpu_lock);
	dflip_skl_commit_check(test, t->fh, to, fb, NULL, &ps);
	dflip_skl_commit_program(&ps);
	dflip_skl_disable(test, t->fh, t->plane);
	surf = dflip_skl_hw_surf(t->fh, to);
	off = readl(offset);
	KUNIT_EXPECT_EQ(test, surf, (u32)(t->base + SZ_8M));
	KUNIT_EXPECT_EQ(test, off, 0u);
	/* the guest's next trap takes the new plane: nothing written yet */
	vgpu_vreg_t(vgpu, PLANE_OFFSET(PIPE_A, PLANE_1)) = PLANE_OFFSET_Y(8);
	live_flip_locked(t, t->base + SZ_16M);
	KUNIT_EXPECT_EQ(test, readl(offset), off);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, to), surf);
	mutex_unlock(&vgpu->vgpu_lock);

	/* i915's update latched: the latest flip follows, whole */
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, to),
			(u32)(t->base + SZ_16M));
	KUNIT_EXPECT_EQ(test, readl(offset), (u32)PLANE_OFFSET_Y(8));
}

/**
 * struct live_stall - holds a kthread worker up
 * @work: queued on the worker, waits for @go
 * @go: lets the worker run on
 */
struct live_stall {
	struct kthread_work work;
	struct completion go;
};

static void live_stall_fn(struct kthread_work *work)
{
	wait_for_completion(&container_of(work, struct live_stall, work)->go);
}

/* Work queued on @worker from here on runs after live_release_worker(). */
static void live_stall_worker(struct live_stall *stall,
			      struct kthread_worker *worker)
{
	init_completion(&stall->go);
	kthread_init_work(&stall->work, live_stall_fn);
	kthread_queue_work(worker, &stall->work);
}

static void live_release_worker(struct live_stall *stall,
				struct kthread_worker *worker)
{
	complete(&stall->go);
	kthread_flush_worker(worker);
}

/*
 * The guest moves to a larger geometry with a flip of the old one queued,
 * and the compositor puts the new framebuffer on the plane; the vblank
 * that latches the armed flip runs GVT's vblank work only after that (the
 * CRTC's worker is stalled; the vGPU's lock is held, as a guest trap on
 * another CPU holds it). The queued flip was validated for the old,
 * smaller geometry only: it must never be written onto the plane that i915
 * now programs with the larger one. Every surface GVT writes is watched
 * (tracepoint), whatever its work items do meanwhile.
 */
static void live_queued_flip_not_shown_with_newer_fb(struct kunit *test)
{
	struct live_test *t = test->priv;
	struct intel_vgpu *vgpu = t->vgpu;
	u64 end = t->base + t->vgpu->gm.aperture_sz;
	struct dflip_vplane *vp = dflip_vgpu_plane(dflip_host_core(vgpu),
						   PIPE_A, DFLIP_PLANE_PRIMARY);
	struct kthread_worker *worker =
		drm_crtc_vblank_crtc(&t->fh->crtcs[PIPE_A]->base)->worker;
	struct drm_framebuffer *old, *fb;
	struct live_stall stall;
	u64 coalesced;
	u32 shown;

	dflip_skl_guest_program(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, 640, 480,
				t->base);
	KUNIT_EXPECT_FALSE(test, live_flip(t, t->base));
	old = dflip_skl_vgpu_fb(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, old);
	KUNIT_ASSERT_EQ(test, dflip_skl_commit(test, t->fh, t->plane, old), 0);
	live_flip(t, t->base);
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	/* A armed; B, near the end of the guest's memory, queued */
	live_watch_writes(test, t, (u32)(end - SZ_4M));
	KUNIT_EXPECT_TRUE(test, live_flip(t, t->base + SZ_8M));
	KUNIT_EXPECT_TRUE(test, live_flip(t, end - SZ_4M));
	coalesced = vp->stats.flips_coalesced;

	/* the guest changes geometry: B goes (its flip-done comes with A's) */
	dflip_skl_guest_program(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, LIVE_W,
				LIVE_H, t->base + SZ_16M);
	KUNIT_EXPECT_FALSE(test, live_flip(t, t->base + SZ_16M));
	fb = dflip_skl_vgpu_fb(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_ASSERT_PTR_NE(test, fb, old);

	/*
	 * i915's unassign of the old framebuffer moves GVT's vblank work to
	 * the current vblank; the CRTC's vblank worker, stalled, runs it only
	 * after the latch, once i915 put the new framebuffer on the plane.
	 */
	mutex_lock(&vgpu->vgpu_lock);
	live_stall_worker(&stall, worker);
	KUNIT_EXPECT_EQ(test, dflip_skl_commit(test, t->fh, t->plane, fb), 0);
	shown = dflip_skl_hw_surf(t->fh, t->plane);
	dflip_skl_latch(t->fh, PIPE_A);
	live_release_worker(&stall, worker);
	/* B went with the old geometry: it was never written */
	KUNIT_EXPECT_EQ(test, atomic_read(&t->forbidden_writes), 0);
	KUNIT_EXPECT_EQ(test, vp->stats.flips_coalesced, coalesced + 1);
	KUNIT_EXPECT_EQ(test, shown, (u32)(t->base + SZ_16M));
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane), shown);
	mutex_unlock(&vgpu->vgpu_lock);

	/* the next vblanks show the guest's latest frame, never B */
	dflip_skl_vblank(t->fh, PIPE_A);
	dflip_skl_vblank(t->fh, PIPE_A);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane), shown);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->forbidden_writes), 0);
}

static struct kunit_case live_cases[] = {
	KUNIT_CASE(live_flip_reaches_plane),
	KUNIT_CASE(live_reject_keeps_frame),
	KUNIT_CASE(live_geometry_change),
	KUNIT_CASE(live_geometry_change_no_work),
	KUNIT_CASE(live_host_commit_after_recommit),
	KUNIT_CASE(live_host_commit_keeps_shown_fb),
	KUNIT_CASE(live_cursor_follows_guest),
	KUNIT_CASE(live_guest_pans),
	KUNIT_CASE(live_guest_pans_x_tiled_within_stride),
	KUNIT_CASE(live_move_arms_new_plane_first),
	KUNIT_CASE(live_move_waits_for_host_latch),
	KUNIT_CASE(live_queued_flip_not_shown_with_newer_fb),
	KUNIT_CASE(live_recommit_restarts_vblank_work),
	KUNIT_CASE(live_commit_assigns_at_once),
	KUNIT_CASE(live_move_between_crtcs),
	KUNIT_CASE(live_two_vgpus_isolated),
	KUNIT_CASE(live_no_frame_read_after_take_back),
	KUNIT_CASE(live_flip_reads_nothing_in_trap),
	KUNIT_CASE(live_noarm_latches_with_arm),
	KUNIT_CASE(live_suspend_resume),
	KUNIT_CASE(live_default_framebuffer),
	{}
};

static struct kunit_suite live_suite = {
	.name = "dflip_live",
	.init = live_test_init,
	.test_cases = live_cases,
};

kunit_test_suite(live_suite);
