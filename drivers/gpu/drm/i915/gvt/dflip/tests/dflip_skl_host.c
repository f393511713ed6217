// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * A fake Skylake host for the tests and the benchmark of the direct flip
 * glue (gvt/dflip/dflip_host.c).
 *
 * The host is the fake Skylake device of intel_fake_skl_create() (real
 * display info, registers in RAM) with the real universal planes of its
 * three pipes (skl_universal_plane_create()) and a CRTC per pipe with
 * vblank support but no interrupt: dflip_skl_vblank() plays the hardware's
 * vblank by moving the pipe's frame counter and running DRM's vblank
 * handling. The vGPUs are hand-built: GVT device, graphics memory ranges,
 * virtual register file and lock, then dflip_host_vgpu_init() as vGPU
 * creation calls it. A guest's plane flip goes through
 * dflip_host_guest_flip(), as GVT's PLANE_SURF and CURBASE handlers call
 * it, or, after dflip_skl_gvt_mmio_setup(), through GVT's MMIO emulation
 * and those handlers themselves (dflip_skl_mmio_write()). The compositor's
 * commit is played by i915's own plane check and programming with the vGPU
 * framebuffer.
 */

#include <kunit/test.h>

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/vmalloc.h>

#include <drm/drm_atomic_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_managed.h>
#include <drm/drm_vblank.h>
#include <drm/drm_vblank_work.h>

#include "i915_drv.h"
#include "i915_reg.h"
#include "gvt/gvt.h"
#include "display/intel_atomic_plane.h"
#include "display/intel_cursor.h"
#include "display/intel_cursor_regs.h"
#include "display/intel_display_types.h"
#include "display/intel_vgpu_fb.h"
#include "display/skl_universal_plane.h"
#include "display/skl_universal_plane_regs.h"
#include "display/tests/intel_fake_skl.h"

#include "../dflip_host.h"
#include "../dflip_plane.h"
#include "dflip_skl_host.h"

static const struct drm_driver dflip_skl_driver = {
	.driver_features = DRIVER_MODESET | DRIVER_ATOMIC,
};

/* universal planes per pipe on Skylake: three on pipes A and B, two on C */
static const unsigned int dflip_skl_pipe_planes[DFLIP_SKL_PIPES] = {
	3, 3, 2,
};

static int dflip_skl_enable_vblank(struct drm_crtc *crtc)
{
	return 0;
}

static void dflip_skl_disable_vblank(struct drm_crtc *crtc)
{
}

static const struct drm_crtc_funcs dflip_skl_crtc_funcs = {
	.atomic_duplicate_state = drm_atomic_helper_crtc_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_crtc_destroy_state,
	.enable_vblank = dflip_skl_enable_vblank,
	.disable_vblank = dflip_skl_disable_vblank,
};

static void dflip_skl_vblank_off(void *data)
{
	struct dflip_skl_host *fh = data;
	unsigned int pipe;

	for (pipe = 0; pipe < DFLIP_SKL_PIPES; pipe++)
		drm_crtc_vblank_off(&fh->crtcs[pipe]->base);
}

static void dflip_skl_vfree(void *data)
{
	vfree(data);
}

static void dflip_skl_gvt_fini(void *data)
{
	dflip_host_fini(data);
}

static void dflip_skl_vgpu_fini(void *data)
{
	struct intel_vgpu *vgpu = data;

	mutex_lock(&vgpu->vgpu_lock);
	dflip_host_vgpu_fini(vgpu);
	mutex_unlock(&vgpu->vgpu_lock);
}

static void dflip_skl_display(struct kunit *test, struct dflip_skl_host *fh)
{
	struct drm_device *drm = &fh->i915->drm;
	struct intel_crtc *crtc;
	unsigned int pipe, i;
	int ret;

	/* as intel_mode_config_init(): Gen9 cursors up to 256x256 */
	drm->mode_config.cursor_width = 256;
	drm->mode_config.cursor_height = 256;
	for (pipe = 0; pipe < DFLIP_SKL_PIPES; pipe++) {
		for (i = 0; i < dflip_skl_pipe_planes[pipe]; i++) {
			fh->planes[pipe][i] =
				skl_universal_plane_create(fh->i915, pipe,
							   PLANE_1 + i);
			KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fh->planes[pipe][i]);
		}
		fh->cursors[pipe] = intel_cursor_plane_create(fh->i915, pipe);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fh->cursors[pipe]);
		crtc = drmm_kzalloc(drm, sizeof(*crtc), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, crtc);
		crtc->pipe = pipe;
		ret = drmm_crtc_init_with_planes(drm, &crtc->base,
						 &fh->planes[pipe][0]->base,
						 &fh->cursors[pipe]->base,
						 &dflip_skl_crtc_funcs,
						 "pipe %c", pipe_name(pipe));
		KUNIT_ASSERT_EQ(test, ret, 0);
		fh->crtcs[pipe] = crtc;
	}
	KUNIT_ASSERT_EQ(test, drm_vblank_init(drm, DFLIP_SKL_PIPES), 0);
	/* after the vGPUs are gone, before the device is released */
	ret = kunit_add_action_or_reset(test, dflip_skl_vblank_off, fh);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/**
 * dflip_skl_host_create - make a fake Skylake host with a GVT device
 * @test: the test; everything is released when it ends
 *
 * Return: the host (assertions end the test on failure).
 */
struct dflip_skl_host *dflip_skl_host_create(struct kunit *test)
{
	struct dflip_skl_host *fh;
	struct intel_gt *gt;
	int ret;

	fh = kunit_kzalloc(test, sizeof(*fh), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fh);
	fh->i915 = intel_fake_skl_create(test, &dflip_skl_driver);

	dflip_skl_display(test, fh);

	/* GVT: just what the glue reads */
	gt = kunit_kzalloc(test, sizeof(*gt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gt);
	gt->i915 = fh->i915;
	fh->gvt = vzalloc(sizeof(*fh->gvt));
	KUNIT_ASSERT_NOT_NULL(test, fh->gvt);
	ret = kunit_add_action_or_reset(test, dflip_skl_vfree, fh->gvt);
	KUNIT_ASSERT_EQ(test, ret, 0);
	fh->gvt->gt = gt;
	dflip_host_init(fh->gvt);
	ret = kunit_add_action_or_reset(test, dflip_skl_gvt_fini, fh->gvt);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return fh;
}

static void dflip_skl_clean_mmio_info(void *data)
{
	intel_gvt_clean_mmio_info(data);
}

/**
 * dflip_skl_gvt_mmio_setup - give the host's GVT device its MMIO handlers
 * @test: the test
 * @fh: the host, before its first vGPU
 *
 * What intel_gvt_init_device() sets up for MMIO emulation, without
 * hardware: a Gen9 GVT device's device info (as kvmgt.c's
 * init_device_info()), a 4 GiB GGTT with 256 MiB of aperture, the GT's
 * engines, and then the real intel_gvt_setup_mmio_info(): GVT's tracked
 * register table with its read and write handlers, and the real
 * intel_gvt_init_irq(): its virtual interrupt events.
 */
void dflip_skl_gvt_mmio_setup(struct kunit *test, struct dflip_skl_host *fh)
{
	struct intel_gvt *gvt = fh->gvt;
	struct intel_gvt_device_info *info = &gvt->device_info;
	struct intel_gt *gt = gvt->gt;
	int ret;

	gt->ggtt = kunit_kzalloc(test, sizeof(*gt->ggtt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gt->ggtt);
	gt->ggtt->vm.total = SZ_4G;
	gt->ggtt->mappable_end = SZ_256M;
	gt->info.engine_mask = BIT(RCS0) | BIT(BCS0) | BIT(VCS0) | BIT(VECS0);
	/* the register table asks the device's first GT for its engines */
	fh->i915->gt[0] = gt;

	info->max_support_vgpus = 8;
	info->cfg_space_size = PCI_CFG_SPACE_EXP_SIZE;
	info->mmio_size = SZ_2M;
	info->mmio_bar = 0;
	info->gtt_start_offset = SZ_8M;
	info->gtt_entry_size = 8;
	info->gtt_entry_size_shift = 3;
	info->gmadr_bytes_in_cmd = 8;
	info->max_surface_size = 36 * SZ_1M;

	ret = intel_gvt_setup_mmio_info(gvt);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kunit_add_action_or_reset(test, dflip_skl_clean_mmio_info, gvt);
	KUNIT_ASSERT_EQ(test, ret, 0);
	/* the virtual events the handlers raise (flip-done of async flips) */
	ret = intel_gvt_init_irq(gvt);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/**
 * dflip_skl_mmio_write - the guest writes a register of its vGPU
 * @vgpu: the vGPU, of a host set up with dflip_skl_gvt_mmio_setup()
 * @offset: the register's offset in the MMIO BAR
 * @val: the value
 *
 * A 4-byte write at BAR0 + @offset through GVT's MMIO emulation,
 * intel_vgpu_emulate_mmio_write(), as KVMGT's VFIO region write makes it.
 *
 * Return: what the emulation returned, 0 on success.
 */
int dflip_skl_mmio_write(struct intel_vgpu *vgpu, u32 offset, u32 val)
{
	return intel_vgpu_emulate_mmio_write(vgpu, DFLIP_SKL_BAR0 + offset,
					     &val, sizeof(val));
}

/**
 * dflip_skl_vgpu_create - make the host's next vGPU
 * @test: the test
 * @fh: the host
 *
 * vGPU n owns 64 MiB of aperture at %DFLIP_SKL_APERTURE + n * 64 MiB and
 * 256 MiB of hidden memory at %DFLIP_SKL_HIDDEN + n * 256 MiB; its MMIO
 * BAR is at %DFLIP_SKL_BAR0.
 *
 * Return: the vGPU, with direct flip set up as at vGPU creation.
 */
struct intel_vgpu *dflip_skl_vgpu_create(struct kunit *test,
					 struct dflip_skl_host *fh)
{
	unsigned int n = fh->num_vgpus;
	struct intel_vgpu *vgpu;
	u64 bar0;
	int ret;

	KUNIT_ASSERT_LT(test, n, DFLIP_SKL_MAX_VGPUS);
	vgpu = vzalloc(sizeof(*vgpu));
	KUNIT_ASSERT_NOT_NULL(test, vgpu);
	ret = kunit_add_action_or_reset(test, dflip_skl_vfree, vgpu);
	KUNIT_ASSERT_EQ(test, ret, 0);
	vgpu->gvt = fh->gvt;
	vgpu->id = n + 1;
	mutex_init(&vgpu->vgpu_lock);
	mutex_init(&vgpu->dmabuf_lock);
	INIT_LIST_HEAD(&vgpu->dmabuf_obj_list_head);
	idr_init(&vgpu->object_idr);
	vgpu->mmio.vreg = vzalloc(SZ_2M);
	KUNIT_ASSERT_NOT_NULL(test, vgpu->mmio.vreg);
	ret = kunit_add_action_or_reset(test, dflip_skl_vfree,
					vgpu->mmio.vreg);
	KUNIT_ASSERT_EQ(test, ret, 0);
	vgpu->gm.low_gm_node.start = DFLIP_SKL_APERTURE + n * SZ_64M;
	vgpu->gm.aperture_sz = SZ_64M;
	vgpu->gm.high_gm_node.start = DFLIP_SKL_HIDDEN + n * SZ_256M;
	vgpu->gm.hidden_sz = SZ_256M;
	bar0 = DFLIP_SKL_BAR0 | PCI_BASE_ADDRESS_MEM_TYPE_64;
	memcpy(vgpu_cfg_space(vgpu) + PCI_BASE_ADDRESS_0, &bar0, sizeof(bar0));

	dflip_host_vgpu_init(vgpu);
	KUNIT_ASSERT_NOT_NULL(test, vgpu->dflip);
	ret = kunit_add_action_or_reset(test, dflip_skl_vgpu_fini, vgpu);
	KUNIT_ASSERT_EQ(test, ret, 0);
	fh->vgpus[fh->num_vgpus++] = vgpu;
	return vgpu;
}

static enum plane_id dflip_skl_plane_id(enum dflip_plane_kind kind)
{
	return kind == DFLIP_PLANE_PRIMARY ? PLANE_1 : PLANE_2;
}

/**
 * dflip_skl_guest_program - the guest programs a plane, without flipping
 * @vgpu: the vGPU
 * @pipe: its virtual pipe (enabled, its source size set for a primary)
 * @kind: the plane: a universal plane gets X-tiled XRGB8888 of
 *	@width x @height; the cursor gets 64x64 ARGB
 * @width: width in pixels
 * @height: height in pixels
 * @surf: the surface address, stored in the surface register
 */
void dflip_skl_guest_program(struct intel_vgpu *vgpu, unsigned int pipe,
			     enum dflip_plane_kind kind, u32 width,
			     u32 height, u64 surf)
{
	struct drm_i915_private *i915 = vgpu->gvt->gt->i915;
	enum plane_id id = dflip_skl_plane_id(kind);

	vgpu_vreg_t(vgpu, TRANSCONF(i915, pipe)) |= TRANSCONF_ENABLE;
	if (kind == DFLIP_PLANE_CURSOR) {
		vgpu_vreg_t(vgpu, CURCNTR(i915, pipe)) =
			MCURSOR_MODE_64_ARGB_AX;
		vgpu_vreg_t(vgpu, CURPOS(i915, pipe)) = 0;
		vgpu_vreg_t(vgpu, CURBASE(i915, pipe)) = surf;
		return;
	}
	if (kind == DFLIP_PLANE_PRIMARY)
		vgpu_vreg_t(vgpu, PIPESRC(i915, pipe)) =
			PIPESRC_WIDTH(width - 1) | PIPESRC_HEIGHT(height - 1);
	vgpu_vreg_t(vgpu, PLANE_CTL(pipe, id)) =
		PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888 |
		PLANE_CTL_TILED_X;
	vgpu_vreg_t(vgpu, PLANE_STRIDE(pipe, id)) = width * 4 / 512;
	vgpu_vreg_t(vgpu, PLANE_POS(pipe, id)) = 0;
	vgpu_vreg_t(vgpu, PLANE_SIZE(pipe, id)) =
		PLANE_HEIGHT(height - 1) | PLANE_WIDTH(width - 1);
	vgpu_vreg_t(vgpu, PLANE_SURF(pipe, id)) = surf;
}

/**
 * dflip_skl_guest_flip - the guest writes a plane's surface register
 * @vgpu: the vGPU
 * @pipe: the virtual pipe
 * @kind: the plane
 * @surf: the new surface address
 *
 * Stores @surf in the virtual register and calls the glue as GVT's
 * surface register handler does, with the vGPU's lock held.
 *
 * Return: what dflip_host_guest_flip() returned.
 */
bool dflip_skl_guest_flip(struct intel_vgpu *vgpu, unsigned int pipe,
			  enum dflip_plane_kind kind, u64 surf)
{
	struct drm_i915_private *i915 = vgpu->gvt->gt->i915;
	bool flipped;

	if (kind == DFLIP_PLANE_CURSOR)
		vgpu_vreg_t(vgpu, CURBASE(i915, pipe)) = surf;
	else
		vgpu_vreg_t(vgpu, PLANE_SURF(pipe,
					     dflip_skl_plane_id(kind))) = surf;
	mutex_lock(&vgpu->vgpu_lock);
	flipped = dflip_host_guest_flip(vgpu, pipe, kind, surf);
	mutex_unlock(&vgpu->vgpu_lock);
	return flipped;
}

/**
 * dflip_skl_geometry_done - the geometry work runs
 * @vgpu: the vGPU
 *
 * Makes the framebuffers of the vGPU planes' new geometries now, as the
 * geometry work does at most DFLIP_HOST_GEOMETRY_PERIOD_MS after a
 * change: a test reads ids as a compositor does once the uevent came.
 */
void dflip_skl_geometry_done(struct intel_vgpu *vgpu)
{
	mutex_lock(&vgpu->vgpu_lock);
	dflip_host_make_fbs(vgpu);
	mutex_unlock(&vgpu->vgpu_lock);
}

/**
 * dflip_skl_vgpu_fb - the current framebuffer of a vGPU plane
 * @vgpu: the vGPU
 * @pipe: the virtual pipe
 * @kind: the plane
 *
 * Return: the framebuffer, NULL if the plane has none.
 */
struct drm_framebuffer *dflip_skl_vgpu_fb(struct intel_vgpu *vgpu,
					  unsigned int pipe,
					  enum dflip_plane_kind kind)
{
	struct drm_framebuffer *fb;

	dflip_skl_geometry_done(vgpu);
	mutex_lock(&vgpu->vgpu_lock);
	fb = dflip_host_plane_fb(vgpu, pipe * DFLIP_PLANE_KINDS + kind);
	mutex_unlock(&vgpu->vgpu_lock);
	return fb;
}

/**
 * dflip_skl_commit_check - the atomic check of showing a framebuffer
 * @test: the test
 * @fh: the host
 * @plane: a universal plane of the host, or a cursor plane
 * @fb: a linear or X-tiled XRGB8888 framebuffer (64x64 ARGB8888 on a
 *	cursor plane), all of it shown
 * @dst: where on the CRTC, NULL for full size at 0,0
 * @ps: returns the plane state for dflip_skl_commit_program()
 *
 * Runs i915's vGPU framebuffer check of the plane state, as the atomic
 * check of a commit does; the commit tail (dflip_skl_commit_program()) may
 * follow later, as it does in i915 after anything else ran in between.
 *
 * Return: the check's result.
 */
int dflip_skl_commit_check(struct kunit *test, struct dflip_skl_host *fh,
			   struct intel_plane *plane,
			   struct drm_framebuffer *fb,
			   const struct drm_rect *dst,
			   struct dflip_skl_commit *ps)
{
	struct intel_crtc *crtc = fh->crtcs[plane->pipe];
	struct intel_crtc_state *crtc_state;
	struct intel_plane_state *state;

	crtc_state = kunit_kzalloc(test, sizeof(*crtc_state), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, crtc_state);
	crtc_state->uapi.crtc = &crtc->base;
	state = kunit_kzalloc(test, sizeof(*state), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, state);
	state->uapi.plane = &plane->base;
	state->uapi.crtc = &crtc->base;
	state->uapi.visible = true;
	state->uapi.src = DRM_RECT_INIT(0, 0, fb->width << 16, fb->height << 16);
	state->uapi.dst = dst ? *dst : DRM_RECT_INIT(0, 0, fb->width, fb->height);
	state->hw.fb = fb;
	state->hw.crtc = &crtc->base;
	state->hw.rotation = DRM_MODE_ROTATE_0;
	state->view.gtt.type = I915_GTT_VIEW_NORMAL;
	state->view.color_plane[0].mapping_stride = fb->pitches[0];
	state->view.color_plane[0].scanout_stride = fb->pitches[0];
	state->scaler_id = -1;
	state->ctl = PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888;
	if (fb->modifier == I915_FORMAT_MOD_X_TILED)
		state->ctl |= PLANE_CTL_TILED_X;
	if (plane->id == PLANE_CURSOR)
		state->ctl = MCURSOR_MODE_64_ARGB_AX;

	ps->plane = plane;
	ps->crtc_state = crtc_state;
	ps->plane_state = state;
	return intel_vgpu_fb_plane_check(crtc_state, state);
}

/**
 * dflip_skl_commit_src - the compositor shows part of the framebuffer
 * @test: the test
 * @ps: a plane state from dflip_skl_commit_check()
 * @src: the source rectangle in pixels
 *
 * Sets the source rectangle and splits its offset between the surface and
 * PLANE_OFFSET with i915's own skl_calc_main_surface_offset(), as
 * skl_check_main_surface() does in the atomic check.
 */
void dflip_skl_commit_src(struct kunit *test, struct dflip_skl_commit *ps,
			  const struct drm_rect *src)
{
	struct intel_plane_state *state = ps->plane_state;
	int x = src->x1, y = src->y1;
	u32 offset;

	state->uapi.src = DRM_RECT_INIT(src->x1 << 16, src->y1 << 16,
					drm_rect_width(src) << 16,
					drm_rect_height(src) << 16);
	KUNIT_ASSERT_EQ(test, skl_calc_main_surface_offset(state, &x, &y,
							   &offset), 0);
	state->view.color_plane[0].offset = offset;
	state->view.color_plane[0].x = x;
	state->view.color_plane[0].y = y;
	drm_rect_translate_to(&state->uapi.src, x << 16, y << 16);
}

/**
 * dflip_skl_commit_program - the commit tail programs the plane
 * @ps: a plane state that passed dflip_skl_commit_check()
 *
 * The plane's noarm and arm programming, as i915's commit tail runs it.
 */
void dflip_skl_commit_program(const struct dflip_skl_commit *ps)
{
	intel_plane_update_noarm(NULL, ps->plane, ps->crtc_state,
				 ps->plane_state);
	intel_plane_update_arm(NULL, ps->plane, ps->crtc_state,
			       ps->plane_state);
}

/**
 * dflip_skl_commit_at - the compositor shows a framebuffer somewhere
 * @test: the test
 * @fh: the host
 * @plane: a universal plane of the host, or a cursor plane
 * @fb: the framebuffer, as for dflip_skl_commit_check()
 * @dst: where on the CRTC, NULL for full size at 0,0
 *
 * Runs i915's vGPU framebuffer check and, when it passes, the plane's
 * noarm and arm programming as a commit on the plane's CRTC does.
 *
 * Return: the check's result.
 */
int dflip_skl_commit_at(struct kunit *test, struct dflip_skl_host *fh,
			struct intel_plane *plane, struct drm_framebuffer *fb,
			const struct drm_rect *dst)
{
	struct dflip_skl_commit ps;
	int ret;

	ret = dflip_skl_commit_check(test, fh, plane, fb, dst, &ps);
	if (!ret)
		dflip_skl_commit_program(&ps);
	return ret;
}

/**
 * dflip_skl_commit - the compositor shows a framebuffer on a plane
 * @test: the test
 * @fh: the host
 * @plane: a universal plane of the host, or a cursor plane
 * @fb: the framebuffer, shown full size at 0,0
 *
 * Return: the check's result (see dflip_skl_commit_at()).
 */
int dflip_skl_commit(struct kunit *test, struct dflip_skl_host *fh,
		     struct intel_plane *plane, struct drm_framebuffer *fb)
{
	return dflip_skl_commit_at(test, fh, plane, fb, NULL);
}

/**
 * dflip_skl_disable - i915 turns a plane off
 * @test: the test
 * @fh: the host
 * @plane: a universal plane of the host
 *
 * Runs intel_plane_disable_arm() as a commit that disables the plane or
 * its CRTC runs it; i915's suspend commits every CRTC off this way.
 */
void dflip_skl_disable(struct kunit *test, struct dflip_skl_host *fh,
		       struct intel_plane *plane)
{
	struct intel_crtc_state *crtc_state;

	crtc_state = kunit_kzalloc(test, sizeof(*crtc_state), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, crtc_state);
	crtc_state->uapi.crtc = &fh->crtcs[plane->pipe]->base;
	intel_plane_disable_arm(NULL, plane, crtc_state);
}

/**
 * dflip_skl_unassigned - has GVT let go of a vGPU plane?
 * @vgpu: the vGPU
 * @pipe: the virtual pipe
 * @kind: the plane
 *
 * GVT lets go of a plane in i915's commit itself, before i915 programs
 * the hardware plane for something else: this asks right after it.
 *
 * Return: true if the state machine has the plane unassigned.
 */
bool dflip_skl_unassigned(struct intel_vgpu *vgpu, unsigned int pipe,
			  enum dflip_plane_kind kind)
{
	struct dflip_vplane *vp;
	unsigned long flags;
	bool unassigned;

	mutex_lock(&vgpu->vgpu_lock);
	vp = dflip_vgpu_plane(dflip_host_core(vgpu), pipe, kind);
	spin_lock_irqsave(&vp->lock, flags);
	unassigned = !dflip_plane_assigned_locked(vp);
	spin_unlock_irqrestore(&vp->lock, flags);
	mutex_unlock(&vgpu->vgpu_lock);
	return unassigned;
}

/**
 * dflip_skl_hw_surf - what the hardware plane's surface register holds
 * @fh: the host
 * @plane: a universal plane of the host, or a cursor plane
 *
 * Return: PLANE_SURF of @plane (CURBASE of a cursor).
 */
u32 dflip_skl_hw_surf(struct dflip_skl_host *fh, struct intel_plane *plane)
{
	i915_reg_t reg = plane->id == PLANE_CURSOR ?
			 CURBASE(fh->i915, plane->pipe) :
			 PLANE_SURF(plane->pipe, plane->id);

	return readl(fh->i915->uncore.regs + i915_mmio_reg_offset(reg));
}

/**
 * dflip_skl_vfio_query - VFIO_DEVICE_QUERY_GFX_PLANE as the VMM makes it
 * @test: the test (the user memory is released with it)
 * @vgpu: the vGPU
 * @in: what the VMM asks
 * @out: returns the reply, as the VMM reads it back
 *
 * Copies @in to user memory of the test's task and calls
 * dflip_host_vfio_query() on it, as kvmgt's ioctl handler does.
 *
 * Return: what dflip_host_vfio_query() returned.
 */
int dflip_skl_vfio_query(struct kunit *test, struct intel_vgpu *vgpu,
			 const struct vfio_device_gfx_plane_info *in,
			 struct vfio_device_gfx_plane_info *out)
{
	unsigned long uaddr;
	void __user *arg;
	int ret;

	uaddr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			      MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, uaddr, 0, "no user memory for the test");
	arg = (void __user *)uaddr;
	KUNIT_ASSERT_EQ(test, copy_to_user(arg, in, sizeof(*in)), 0);
	dflip_skl_geometry_done(vgpu);
	ret = dflip_host_vfio_query(vgpu, arg);
	KUNIT_ASSERT_EQ(test, copy_from_user(out, arg, sizeof(*out)), 0);
	return ret;
}

/**
 * dflip_skl_hw_cursor_pos - what a host cursor's position register holds
 * @fh: the host
 * @pipe: the pipe of the cursor
 *
 * Return: CURPOS of @pipe.
 */
u32 dflip_skl_hw_cursor_pos(struct dflip_skl_host *fh, unsigned int pipe)
{
	return readl(fh->i915->uncore.regs +
		     i915_mmio_reg_offset(CURPOS(fh->i915, pipe)));
}

/**
 * dflip_skl_latch - the start of vblank of a pipe, in the registers
 * @fh: the host
 * @pipe: the pipe
 *
 * What the hardware does when it latches the armed plane registers and
 * the fake device's RAM registers can show: each universal plane's live
 * surface (PLANE_SURFLIVE) becomes the one last written, and the pipe's
 * frame counter moves.
 */
void dflip_skl_latch(struct dflip_skl_host *fh, unsigned int pipe)
{
	void __iomem *regs = fh->i915->uncore.regs;
	void __iomem *frm = regs +
		i915_mmio_reg_offset(PIPE_FRMCOUNT_G4X(fh->i915, pipe));
	enum plane_id id;

	for (id = PLANE_1; id < PLANE_1 + dflip_skl_pipe_planes[pipe]; id++)
		writel(readl(regs + i915_mmio_reg_offset(PLANE_SURF(pipe, id))),
		       regs + i915_mmio_reg_offset(PLANE_SURFLIVE(pipe, id)));
	writel(readl(frm) + 1, frm);
}

/**
 * dflip_skl_vblank - a vblank of a pipe of the host
 * @fh: the host
 * @pipe: the pipe
 *
 * Latches the pipe's planes (dflip_skl_latch()), runs DRM's vblank
 * handling as the interrupt handler would and waits for the vblank works
 * it started.
 */
void dflip_skl_vblank(struct dflip_skl_host *fh, unsigned int pipe)
{
	struct drm_crtc *crtc = &fh->crtcs[pipe]->base;

	dflip_skl_latch(fh, pipe);
	local_irq_disable();
	drm_crtc_handle_vblank(crtc);
	local_irq_enable();
	kthread_flush_worker(drm_crtc_vblank_crtc(crtc)->worker);
}
