// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * KUnit tests of the vGPU framebuffer (display/intel_vgpu_fb.c).
 *
 * The tests run on a DRM device allocated as a &drm_i915_private with Gen9
 * display version and pipe mask set by hand, two universal planes and a
 * cursor plane (&intel_plane objects with the plane ids and stride limit
 * of a Skylake pipe A) and one CRTC. The planes' atomic helpers stand for
 * i915's plane programming: they call the hooks i915 calls around its
 * noarm/arm/disable register writes (intel_vgpu_fb_plane_update(),
 * intel_vgpu_fb_surface(), intel_vgpu_fb_plane_armed()), so
 * drm_framebuffer_remove() and intel_vgpu_fb_destroy() go through a real
 * atomic commit. The ops table is a test double that counts its calls.
 *
 * Covered: creation and its refusals, registration and lookup by id, no
 * lookup after destroy, GETFB/GETFB2 (no handle), RMFB/CLOSEFB refused for
 * a file that does not own it, DIRTYFB, the ops table's register and
 * unregister rules, the atomic check's refusals (table), the
 * assign/surface/unassign protocol, mirroring, destroy and ops
 * unregistration while the framebuffer is on a plane (no use after free
 * under KASAN), intel_plane_pin_fb()/intel_plane_unpin_fb() skipping a
 * vGPU framebuffer, and the lookup hook: what i915 tells GVT about the
 * client looking a framebuffer up (which lease, CAP_SYS_ADMIN of the
 * caller), GVT's answer applied to lookups and ioctls, and refusal
 * without ops or without a may_reference callback.
 *
 * Not covered here, needs hardware or a full i915 probe: i915's own atomic
 * commit (intel_atomic_commit_tail(), vblank evasion, watermarks and DDB),
 * intel_prepare_plane_fb()/intel_cleanup_plane_fb() (they return early
 * without a GEM object), FBC eligibility (intel_fbc_check_plane() is
 * static and needs an FBC instance), the debugfs framebuffer list, and the
 * legacy cursor fast path (needs an active CRTC).
 *
 * Suite intel_vgpu_fb_skl runs the real Skylake plane programming
 * (skl_plane_update_noarm()/_arm(), i9xx_cursor_update_arm()) on a fake
 * SKL GT2 device (a hand-made subset of i915_pci.c's skl_gt2_info, which
 * is static) whose registers are RAM, and checks that the surface GVT
 * gives (plus the source offset) lands in PLANE_SURF and CURBASE. Its
 * plane states are filled by hand, not by skl_plane_check() (which needs
 * a full CRTC state with a mode and cdclk).
 */

#include <kunit/test.h>

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/dma-mapping.h>
#include <linux/pci.h>
#include <linux/sizes.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_atomic_uapi.h>
#include <drm/drm_auth.h>
#include <drm/drm_blend.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_kunit_helpers.h>
#include <drm/drm_mode.h>
#include <drm/drm_plane.h>

#include "../../../drm_crtc_internal.h"

#include "i915_drv.h"
#include "display/intel_atomic_plane.h"
#include "display/intel_cursor.h"
#include "display/intel_cursor_regs.h"
#include "display/intel_display_types.h"
#include "display/intel_fb_pin.h"
#include "display/intel_vgpu_fb.h"
#include "display/tests/intel_fake_skl.h"
#include "display/skl_universal_plane.h"
#include "display/skl_universal_plane_regs.h"

#define VFB_SURF	0x00400000u
/* Yf-tiled (the uapi name is CamelCase) */
#define VFB_MOD_YF	fourcc_mod_code(INTEL, 3)
#define VFB_MAX_STRIDE	(32 * 1024)

/**
 * struct vfb_test - one test's device and the ops double's records
 * @test: the test
 * @i915: the device
 * @drm: its DRM device
 * @primary: PLANE_1 of pipe A
 * @sprite: PLANE_2 of pipe A
 * @cursor: the cursor of pipe A
 * @crtc: pipe A's CRTC
 * @file: a DRM file that owns no framebuffer
 * @ops_set: the test registered vfb_ops
 * @check_ret: what the check callback returns
 * @checks: calls of the check callback
 * @holds: calls of the hold callback
 * @surfaces: calls of the surface callback
 * @surface_dones: calls of the surface_done callback
 * @assigns: calls of the assign callback
 * @unassigns: calls of the unassign callback
 * @last: the hardware plane of the last callback
 * @disables: plane disables done by the fake plane programming
 * @may_reference_ret: what the may_reference callback returns
 * @may_references: calls of the may_reference callback
 * @client: the client of the last may_reference call
 */
struct vfb_test {
	struct kunit *test;
	struct drm_i915_private *i915;
	struct drm_device *drm;
	struct intel_plane *primary;
	struct intel_plane *sprite;
	struct intel_plane *cursor;
	struct drm_crtc *crtc;
	struct drm_file *file;
	bool ops_set;
	int check_ret;
	int checks;
	int holds;
	int surfaces;
	int surface_dones;
	int assigns;
	int unassigns;
	struct intel_vgpu_fb_plane last;
	int disables;
	bool may_reference_ret;
	int may_references;
	struct intel_vgpu_fb_client client;
};

static int vfb_check(void *owner, const struct intel_vgpu_fb_plane *hw)
{
	struct vfb_test *t = owner;

	t->checks++;
	t->last = *hw;
	return t->check_ret;
}

static void vfb_hold(void *owner, const struct intel_vgpu_fb_plane *hw)
{
	struct vfb_test *t = owner;

	t->holds++;
	t->last = *hw;
}

static u32 vfb_surface(void *owner, const struct intel_vgpu_fb_plane *hw)
{
	struct vfb_test *t = owner;

	t->surfaces++;
	t->last = *hw;
	return hw->id == PLANE_CURSOR ? VFB_SURF + 0x1000 : VFB_SURF;
}

static void vfb_surface_done(void *owner, const struct intel_vgpu_fb_plane *hw)
{
	struct vfb_test *t = owner;

	t->surface_dones++;
	t->last = *hw;
}

static void vfb_assign(void *owner, const struct intel_vgpu_fb_plane *hw)
{
	struct vfb_test *t = owner;

	t->assigns++;
	t->last = *hw;
}

static void vfb_unassign(void *owner, const struct intel_vgpu_fb_plane *hw)
{
	struct vfb_test *t = owner;

	t->unassigns++;
	t->last = *hw;
}

static bool vfb_may_reference(void *owner,
			      const struct intel_vgpu_fb_client *client)
{
	struct vfb_test *t = owner;

	t->may_references++;
	t->client = *client;
	return t->may_reference_ret;
}

static const struct intel_vgpu_fb_ops vfb_ops = {
	.check = vfb_check,
	.hold = vfb_hold,
	.surface = vfb_surface,
	.surface_done = vfb_surface_done,
	.assign = vfb_assign,
	.unassign = vfb_unassign,
	.may_reference = vfb_may_reference,
};

static struct intel_plane_state *
vfb_plane_state(struct kunit *test, struct intel_plane *plane,
		struct drm_framebuffer *fb, struct drm_crtc *crtc)
{
	struct intel_plane_state *ps;

	ps = kunit_kzalloc(test, sizeof(*ps), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ps);
	ps->uapi.plane = &plane->base;
	ps->uapi.fb = fb;
	ps->uapi.crtc = crtc;
	ps->hw.fb = fb;
	ps->hw.crtc = crtc;
	ps->hw.rotation = DRM_MODE_ROTATE_0;
	return ps;
}

/* What i915 does around the register writes of one plane update. */
static u32 vfb_program(struct intel_plane *plane,
		       const struct intel_plane_state *ps)
{
	u32 surf = 0;

	intel_vgpu_fb_plane_update(plane, ps);	/* noarm */
	intel_vgpu_fb_plane_update(plane, ps);	/* arm */
	if (intel_vgpu_fb_is_vgpu(ps->hw.fb))
		surf = intel_vgpu_fb_surface(ps);
	intel_vgpu_fb_plane_armed(plane, ps);
	return surf;
}

static void vfb_plane_atomic_update(struct drm_plane *plane,
				    struct drm_atomic_state *state)
{
	struct drm_plane_state *new = drm_atomic_get_new_plane_state(state, plane);
	struct intel_plane_state *ps;

	ps = kzalloc(sizeof(*ps), GFP_KERNEL);
	if (!ps)
		return;
	ps->uapi.plane = plane;
	ps->hw.fb = new->fb;
	ps->hw.crtc = new->crtc;
	vfb_program(to_intel_plane(plane), ps);
	kfree(ps);
}

static void vfb_plane_atomic_disable(struct drm_plane *plane,
				     struct drm_atomic_state *state)
{
	struct vfb_test *t = plane->dev->dev_private;

	intel_vgpu_fb_plane_update(to_intel_plane(plane), NULL);
	t->disables++;
}

static const struct drm_plane_helper_funcs vfb_plane_helper_funcs = {
	.atomic_update = vfb_plane_atomic_update,
	.atomic_disable = vfb_plane_atomic_disable,
};

static const struct drm_plane_funcs vfb_plane_funcs = {
	.update_plane = drm_atomic_helper_update_plane,
	.disable_plane = drm_atomic_helper_disable_plane,
	.reset = drm_atomic_helper_plane_reset,
	.atomic_duplicate_state = drm_atomic_helper_plane_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_plane_destroy_state,
};

static const u32 vfb_formats[] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_XBGR8888,
	DRM_FORMAT_RGB565,
};

static const u64 vfb_modifiers[] = {
	DRM_FORMAT_MOD_LINEAR,
	I915_FORMAT_MOD_X_TILED,
	I915_FORMAT_MOD_Y_TILED,
	VFB_MOD_YF,
	DRM_FORMAT_MOD_INVALID,
};

static const u32 vfb_cursor_formats[] = {
	DRM_FORMAT_ARGB8888,
};

static const u64 vfb_cursor_modifiers[] = {
	DRM_FORMAT_MOD_LINEAR,
	DRM_FORMAT_MOD_INVALID,
};

static unsigned int vfb_max_stride(struct intel_plane *plane, u32 format,
				   u64 modifier, unsigned int rotation)
{
	return VFB_MAX_STRIDE;
}

static struct intel_plane *vfb_add_plane(struct vfb_test *t,
					 enum plane_id id,
					 enum drm_plane_type type)
{
	bool cursor = id == PLANE_CURSOR;
	struct intel_plane *plane;

	plane = drmm_universal_plane_alloc(t->drm, struct intel_plane, base, 1,
					   &vfb_plane_funcs,
					   cursor ? vfb_cursor_formats : vfb_formats,
					   cursor ? ARRAY_SIZE(vfb_cursor_formats) :
						    ARRAY_SIZE(vfb_formats),
					   cursor ? vfb_cursor_modifiers : vfb_modifiers,
					   type, "plane %d", id);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(t->test, plane);
	plane->id = id;
	plane->pipe = PIPE_A;
	plane->max_stride = vfb_max_stride;
	drm_plane_helper_add(&plane->base, &vfb_plane_helper_funcs);
	return plane;
}

static void vfb_clear_ops_action(void *data)
{
	struct vfb_test *t = data;

	if (t->ops_set)
		intel_vgpu_fb_clear_ops(&vfb_ops);
	t->ops_set = false;
}

static const struct drm_driver vfb_driver = {
	.driver_features = DRIVER_MODESET | DRIVER_ATOMIC,
};

static int vfb_test_init(struct kunit *test)
{
	struct vfb_test *t;
	struct device *dev;
	size_t offset;
	int ret;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	test->priv = t;

	dev = drm_kunit_helper_alloc_device(test);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	offset = offsetof(struct drm_i915_private, drm);
	t->drm = __drm_kunit_helper_alloc_drm_device_with_driver(test, dev,
								 sizeof(*t->i915),
								 offset,
								 &vfb_driver);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->drm);
	t->i915 = to_i915(t->drm);
	t->drm->dev_private = t;
	t->drm->mode_config.max_width = 8192;
	t->drm->mode_config.max_height = 8192;
	RUNTIME_INFO(t->i915)->graphics.ip.ver = 9;
	DISPLAY_RUNTIME_INFO(t->i915)->ip.ver = 9;
	DISPLAY_RUNTIME_INFO(t->i915)->pipe_mask = BIT(PIPE_A) | BIT(PIPE_B) |
						   BIT(PIPE_C);

	t->primary = vfb_add_plane(t, PLANE_1, DRM_PLANE_TYPE_PRIMARY);
	t->sprite = vfb_add_plane(t, PLANE_2, DRM_PLANE_TYPE_OVERLAY);
	t->cursor = vfb_add_plane(t, PLANE_CURSOR, DRM_PLANE_TYPE_CURSOR);
	t->crtc = drm_kunit_helper_create_crtc(test, t->drm, &t->primary->base,
					       &t->cursor->base, NULL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->crtc);
	drm_mode_config_reset(t->drm);

	t->file = kunit_kzalloc(test, sizeof(*t->file), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->file);
	INIT_LIST_HEAD(&t->file->fbs);
	mutex_init(&t->file->fbs_lock);
	spin_lock_init(&t->file->master_lookup_lock);
	t->file->minor = t->drm->primary;
	t->may_reference_ret = true;

	ret = intel_vgpu_fb_set_ops(&vfb_ops);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "vGPU fb ops already registered");
	t->ops_set = true;
	ret = kunit_add_action_or_reset(test, vfb_clear_ops_action, t);
	KUNIT_ASSERT_EQ(test, ret, 0);

	return 0;
}

static const struct intel_vgpu_fb_geometry vfb_primary_info = {
	.format = DRM_FORMAT_XRGB8888,
	.modifier = I915_FORMAT_MOD_X_TILED,
	.width = 1920,
	.height = 1080,
	.stride = 7680,
};

static const struct intel_vgpu_fb_geometry vfb_cursor_info = {
	.format = DRM_FORMAT_ARGB8888,
	.modifier = DRM_FORMAT_MOD_LINEAR,
	.width = 64,
	.height = 64,
	.stride = 256,
	.cursor = true,
};

static struct drm_framebuffer *vfb_create(struct vfb_test *t,
					  const struct intel_vgpu_fb_geometry *info)
{
	struct drm_framebuffer *fb = intel_vgpu_fb_create(t->drm, info, t);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(t->test, fb);
	return fb;
}

/* Put @fb on @plane as a committed state of pipe A, as a commit would. */
static void vfb_commit_on_plane(struct vfb_test *t, struct intel_plane *plane,
				struct drm_framebuffer *fb)
{
	struct drm_plane_state *state = plane->base.state;

	drm_atomic_set_fb_for_plane(state, fb);
	state->crtc = t->crtc;
	vfb_program(plane, vfb_plane_state(t->test, plane, fb, t->crtc));
}

static void vfb_create_registers(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct drm_framebuffer *fb, *found;
	u32 id;

	fb = vfb_create(t, &vfb_primary_info);
	id = fb->base.id;
	KUNIT_EXPECT_NE(test, id, 0);
	KUNIT_EXPECT_TRUE(test, intel_vgpu_fb_is_vgpu(fb));
	KUNIT_EXPECT_NULL(test, fb->obj[0]);
	KUNIT_EXPECT_EQ(test, fb->width, 1920);
	KUNIT_EXPECT_EQ(test, fb->height, 1080);
	KUNIT_EXPECT_EQ(test, fb->pitches[0], 7680);
	KUNIT_EXPECT_EQ(test, fb->format->format, DRM_FORMAT_XRGB8888);
	KUNIT_EXPECT_EQ(test, fb->modifier, I915_FORMAT_MOD_X_TILED);
	KUNIT_EXPECT_NULL(test, to_intel_framebuffer(fb)->frontbuffer);
	KUNIT_EXPECT_TRUE(test, list_empty(&fb->filp_head));
	KUNIT_EXPECT_EQ(test, t->drm->mode_config.num_fb, 1);

	found = drm_framebuffer_lookup(t->drm, t->file, id);
	KUNIT_EXPECT_PTR_EQ(test, found, fb);
	if (found)
		drm_framebuffer_put(found);

	intel_vgpu_fb_destroy(fb);
	KUNIT_EXPECT_NULL(test, drm_framebuffer_lookup(t->drm, t->file, id));
	KUNIT_EXPECT_EQ(test, t->drm->mode_config.num_fb, 0);
	/* never on a plane: nothing to tell GVT */
	KUNIT_EXPECT_EQ(test, t->unassigns, 0);
}

struct vfb_geometry_case {
	const char *name;
	struct intel_vgpu_fb_geometry info;
	int ret;
};

static const struct vfb_geometry_case vfb_geometry_cases[] = {
	{ "linear XRGB8888 1024x768",
	  { DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 1024, 768, 4096 }, 0 },
	{ "X-tiled XRGB8888 1920x1080",
	  { DRM_FORMAT_XRGB8888, I915_FORMAT_MOD_X_TILED, 1920, 1080, 7680 }, 0 },
	{ "Y-tiled ARGB8888 1920x1080",
	  { DRM_FORMAT_ARGB8888, I915_FORMAT_MOD_Y_TILED, 1920, 1080, 7680 }, 0 },
	{ "Yf-tiled XRGB8888 1280x720",
	  { DRM_FORMAT_XRGB8888, VFB_MOD_YF, 1280, 720, 5120 }, 0 },
	{ "linear RGB565 800x600 stride 1664",
	  { DRM_FORMAT_RGB565, DRM_FORMAT_MOD_LINEAR, 800, 600, 1664 }, 0 },
	{ "cursor ARGB8888 64x64",
	  { DRM_FORMAT_ARGB8888, DRM_FORMAT_MOD_LINEAR, 64, 64, 256, true }, 0 },
	{ "cursor ARGB8888 256x256",
	  { DRM_FORMAT_ARGB8888, DRM_FORMAT_MOD_LINEAR, 256, 256, 1024, true }, 0 },
	{ "stride below width",
	  { DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 1024, 768, 4032 }, -EINVAL },
	{ "linear stride not 64-byte aligned",
	  { DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 1000, 768, 4010 }, -EINVAL },
	{ "X-tiled stride not 512-byte aligned",
	  { DRM_FORMAT_XRGB8888, I915_FORMAT_MOD_X_TILED, 1000, 768, 4032 }, -EINVAL },
	{ "zero width",
	  { DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 0, 768, 4096 }, -EINVAL },
	{ "zero height",
	  { DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 1024, 0, 4096 }, -EINVAL },
	{ "wider than the device",
	  { DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 8256, 16, 33024 }, -EINVAL },
	{ "stride times height above 4 GiB",
	  { DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 8192, 8192, 0x80000 }, -EINVAL },
	{ "Y-tiled CCS modifier",
	  { DRM_FORMAT_XRGB8888, I915_FORMAT_MOD_Y_TILED_CCS, 1024, 768, 4096 }, -EINVAL },
	{ "format no plane has (NV12)",
	  { DRM_FORMAT_NV12, DRM_FORMAT_MOD_LINEAR, 1024, 768, 1024 }, -EINVAL },
	{ "unknown fourcc",
	  { 0x20202020, DRM_FORMAT_MOD_LINEAR, 1024, 768, 4096 }, -EINVAL },
	{ "cursor not square",
	  { DRM_FORMAT_ARGB8888, DRM_FORMAT_MOD_LINEAR, 64, 32, 256, true }, -EINVAL },
	{ "cursor 96x96",
	  { DRM_FORMAT_ARGB8888, DRM_FORMAT_MOD_LINEAR, 96, 96, 384, true }, -EINVAL },
	{ "cursor XRGB8888",
	  { DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR, 64, 64, 256, true }, -EINVAL },
	{ "cursor with padded stride",
	  { DRM_FORMAT_ARGB8888, DRM_FORMAT_MOD_LINEAR, 64, 64, 512, true }, -EINVAL },
	{ "cursor X-tiled",
	  { DRM_FORMAT_ARGB8888, I915_FORMAT_MOD_X_TILED, 64, 64, 512, true }, -EINVAL },
};

static void vfb_geometry_desc(const struct vfb_geometry_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vfb_geometry, vfb_geometry_cases, vfb_geometry_desc);

static void vfb_create_geometry(struct kunit *test)
{
	const struct vfb_geometry_case *c = test->param_value;
	struct vfb_test *t = test->priv;
	struct drm_framebuffer *fb;

	fb = intel_vgpu_fb_create(t->drm, &c->info, t);
	if (c->ret) {
		KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(fb), c->ret);
		KUNIT_EXPECT_EQ(test, t->drm->mode_config.num_fb, 0);
		return;
	}
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fb);
	KUNIT_EXPECT_EQ(test, fb->width, c->info.width);
	KUNIT_EXPECT_EQ(test, fb->height, c->info.height);
	KUNIT_EXPECT_EQ(test, fb->pitches[0], c->info.stride);
	KUNIT_EXPECT_EQ(test, fb->modifier, c->info.modifier);
	KUNIT_EXPECT_EQ(test, fb->format->format, c->info.format);
	intel_vgpu_fb_destroy(fb);
}

static void vfb_create_refusals(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct drm_framebuffer *fb;

	fb = intel_vgpu_fb_create(t->drm, &vfb_primary_info, NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(fb), -EINVAL);

	DISPLAY_RUNTIME_INFO(t->i915)->ip.ver = 8;
	fb = intel_vgpu_fb_create(t->drm, &vfb_primary_info, t);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(fb), -ENODEV);
	DISPLAY_RUNTIME_INFO(t->i915)->ip.ver = 9;

	intel_vgpu_fb_clear_ops(&vfb_ops);
	t->ops_set = false;
	fb = intel_vgpu_fb_create(t->drm, &vfb_primary_info, t);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(fb), -ENODEV);
	KUNIT_EXPECT_EQ(test, t->drm->mode_config.num_fb, 0);
}

static void vfb_getfb_no_handle(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct drm_mode_fb_cmd r = {};
	struct drm_framebuffer *fb;

	fb = vfb_create(t, &vfb_primary_info);
	r.fb_id = fb->base.id;
	r.handle = 0xdead;
	KUNIT_EXPECT_EQ(test, drm_mode_getfb(t->drm, &r, t->file), 0);
	KUNIT_EXPECT_EQ(test, r.handle, 0);
	KUNIT_EXPECT_EQ(test, r.width, 1920);
	KUNIT_EXPECT_EQ(test, r.height, 1080);
	KUNIT_EXPECT_EQ(test, r.pitch, 7680);
	KUNIT_EXPECT_EQ(test, r.bpp, 32);
	KUNIT_EXPECT_EQ(test, r.depth, 24);
	intel_vgpu_fb_destroy(fb);
}

static void vfb_getfb2_no_handle(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct drm_mode_fb_cmd2 r = {};
	struct drm_framebuffer *fb;

	fb = vfb_create(t, &vfb_primary_info);
	r.fb_id = fb->base.id;
	r.handles[0] = 0xdead;
	KUNIT_EXPECT_EQ(test, drm_mode_getfb2_ioctl(t->drm, &r, t->file), 0);
	KUNIT_EXPECT_EQ(test, r.handles[0], 0);
	KUNIT_EXPECT_EQ(test, r.handles[1], 0);
	KUNIT_EXPECT_EQ(test, r.width, 1920);
	KUNIT_EXPECT_EQ(test, r.height, 1080);
	KUNIT_EXPECT_EQ(test, r.pixel_format, DRM_FORMAT_XRGB8888);
	KUNIT_EXPECT_EQ(test, r.pitches[0], 7680);
	KUNIT_EXPECT_EQ(test, r.modifier[0], I915_FORMAT_MOD_X_TILED);
	KUNIT_EXPECT_EQ(test, r.flags, DRM_MODE_FB_MODIFIERS);
	intel_vgpu_fb_destroy(fb);
}

static void vfb_rmfb_refused(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct drm_framebuffer *fb, *found;
	u32 id;

	fb = vfb_create(t, &vfb_primary_info);
	id = fb->base.id;
	KUNIT_EXPECT_EQ(test, drm_mode_rmfb(t->drm, id, t->file), -ENOENT);
	KUNIT_EXPECT_EQ(test, drm_mode_rmfb_ioctl(t->drm, &id, t->file), -ENOENT);

	found = drm_framebuffer_lookup(t->drm, NULL, id);
	KUNIT_EXPECT_PTR_EQ(test, found, fb);
	if (found)
		drm_framebuffer_put(found);
	/* the creation reference is the only one left */
	KUNIT_EXPECT_EQ(test, drm_framebuffer_read_refcount(fb), 1);
	intel_vgpu_fb_destroy(fb);
}

static void vfb_closefb_refused(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct drm_mode_closefb r = {};
	struct drm_framebuffer *fb, *found;

	fb = vfb_create(t, &vfb_primary_info);
	r.fb_id = fb->base.id;
	KUNIT_EXPECT_EQ(test, drm_mode_closefb_ioctl(t->drm, &r, t->file), -ENOENT);

	found = drm_framebuffer_lookup(t->drm, NULL, r.fb_id);
	KUNIT_EXPECT_PTR_EQ(test, found, fb);
	if (found)
		drm_framebuffer_put(found);
	KUNIT_EXPECT_EQ(test, drm_framebuffer_read_refcount(fb), 1);
	intel_vgpu_fb_destroy(fb);
}

static void vfb_dirtyfb_harmless(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct drm_mode_fb_dirty_cmd r = {};
	struct drm_framebuffer *fb;

	fb = vfb_create(t, &vfb_primary_info);
	r.fb_id = fb->base.id;
	KUNIT_EXPECT_EQ(test, drm_mode_dirtyfb_ioctl(t->drm, &r, t->file), 0);
	KUNIT_EXPECT_EQ(test, t->surfaces + t->assigns + t->unassigns, 0);
	intel_vgpu_fb_destroy(fb);
}

static struct kunit_case vfb_cases[] = {
	KUNIT_CASE(vfb_create_registers),
	KUNIT_CASE_PARAM(vfb_create_geometry, vfb_geometry_gen_params),
	KUNIT_CASE(vfb_create_refusals),
	KUNIT_CASE(vfb_getfb_no_handle),
	KUNIT_CASE(vfb_getfb2_no_handle),
	KUNIT_CASE(vfb_rmfb_refused),
	KUNIT_CASE(vfb_closefb_refused),
	KUNIT_CASE(vfb_dirtyfb_harmless),
	{}
};

static struct kunit_suite vfb_suite = {
	.name = "intel_vgpu_fb",
	.init = vfb_test_init,
	.test_cases = vfb_cases,
};

static void vfb_ops_register(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	static const struct intel_vgpu_fb_ops no_surface = {
		.assign = vfb_assign,
	};

	/* init registered vfb_ops */
	KUNIT_EXPECT_EQ(test, intel_vgpu_fb_set_ops(&vfb_ops), -EBUSY);
	intel_vgpu_fb_clear_ops(&vfb_ops);
	t->ops_set = false;

	KUNIT_EXPECT_EQ(test, intel_vgpu_fb_set_ops(NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, intel_vgpu_fb_set_ops(&no_surface), -EINVAL);
	KUNIT_ASSERT_EQ(test, intel_vgpu_fb_set_ops(&vfb_ops), 0);
	t->ops_set = true;
}

static void vfb_ops_assign_protocol(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct intel_plane_state *ps, *off;
	struct drm_framebuffer *fb;

	fb = vfb_create(t, &vfb_primary_info);
	ps = vfb_plane_state(test, t->primary, fb, t->crtc);

	/* first programming: surface, then assign */
	KUNIT_EXPECT_EQ(test, vfb_program(t->primary, ps), VFB_SURF);
	KUNIT_EXPECT_EQ(test, t->holds, 0);
	KUNIT_EXPECT_EQ(test, t->surfaces, 1);
	KUNIT_EXPECT_EQ(test, t->assigns, 1);
	KUNIT_EXPECT_EQ(test, t->surface_dones, 0);
	KUNIT_EXPECT_PTR_EQ(test, t->last.plane, &t->primary->base);
	KUNIT_EXPECT_PTR_EQ(test, t->last.crtc, t->crtc);
	KUNIT_EXPECT_PTR_EQ(test, t->last.drm, t->drm);
	KUNIT_EXPECT_EQ(test, t->last.pipe, PIPE_A);
	KUNIT_EXPECT_EQ(test, t->last.id, PLANE_1);

	/* reprogrammed with the same fb: hold (noarm, arm), surface_done */
	KUNIT_EXPECT_EQ(test, vfb_program(t->primary, ps), VFB_SURF);
	KUNIT_EXPECT_EQ(test, t->holds, 2);
	KUNIT_EXPECT_EQ(test, t->unassigns, 0);
	KUNIT_EXPECT_EQ(test, t->assigns, 1);
	KUNIT_EXPECT_EQ(test, t->surface_dones, 1);

	/* another plane's update does not touch it */
	intel_vgpu_fb_plane_update(t->sprite, NULL);
	KUNIT_EXPECT_EQ(test, t->unassigns, 0);

	/* programmed with something else: unassign before any write */
	off = vfb_plane_state(test, t->primary, NULL, t->crtc);
	intel_vgpu_fb_plane_update(t->primary, off);
	KUNIT_EXPECT_EQ(test, t->unassigns, 1);
	KUNIT_EXPECT_PTR_EQ(test, t->last.plane, &t->primary->base);
	intel_vgpu_fb_plane_update(t->primary, NULL);
	KUNIT_EXPECT_EQ(test, t->unassigns, 1);

	/* and back on: assigned again */
	vfb_program(t->primary, ps);
	KUNIT_EXPECT_EQ(test, t->assigns, 2);
	intel_vgpu_fb_plane_update(t->primary, NULL);
	KUNIT_EXPECT_EQ(test, t->unassigns, 2);

	intel_vgpu_fb_destroy(fb);
	KUNIT_EXPECT_EQ(test, t->unassigns, 2);
}

static void vfb_ops_cursor_surface(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct drm_framebuffer *fb;

	fb = vfb_create(t, &vfb_cursor_info);
	KUNIT_EXPECT_EQ(test,
			vfb_program(t->cursor,
				    vfb_plane_state(test, t->cursor, fb, t->crtc)),
			VFB_SURF + 0x1000);
	KUNIT_EXPECT_EQ(test, t->last.id, PLANE_CURSOR);
	KUNIT_EXPECT_EQ(test, t->assigns, 1);
	intel_vgpu_fb_plane_update(t->cursor, NULL);
	KUNIT_EXPECT_EQ(test, t->unassigns, 1);
	intel_vgpu_fb_destroy(fb);
}

static void vfb_ops_no_mirroring(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct intel_plane_state *ps;
	struct drm_framebuffer *fb;

	fb = vfb_create(t, &vfb_primary_info);
	vfb_program(t->primary, vfb_plane_state(test, t->primary, fb, t->crtc));
	KUNIT_EXPECT_EQ(test, t->assigns, 1);

	/* the same fb on the sprite while the primary scans it out */
	ps = vfb_plane_state(test, t->sprite, fb, t->crtc);
	KUNIT_EXPECT_EQ(test, intel_vgpu_fb_plane_check(NULL, ps), -EBUSY);
	KUNIT_EXPECT_EQ(test, t->checks, 0);

	/*
	 * If the hardware got it anyway, GVT still flips one plane only: the
	 * one armed last, as for a move whose commit arms the new plane
	 * before it reprograms the old one.
	 */
	vfb_program(t->sprite, ps);
	KUNIT_EXPECT_EQ(test, t->assigns, 2);
	KUNIT_EXPECT_EQ(test, t->unassigns, 1);
	KUNIT_EXPECT_EQ(test, t->last.id, PLANE_2);
	intel_vgpu_fb_plane_update(t->primary, NULL);
	KUNIT_EXPECT_EQ(test, t->unassigns, 1);

	intel_vgpu_fb_plane_update(t->sprite, NULL);
	KUNIT_EXPECT_EQ(test, t->unassigns, 2);
	KUNIT_EXPECT_EQ(test, intel_vgpu_fb_plane_check(NULL, ps), 0);
	KUNIT_EXPECT_EQ(test, t->checks, 1);
	intel_vgpu_fb_destroy(fb);
}

static void vfb_ops_destroy_on_plane(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct drm_framebuffer *fb;
	u32 id;

	fb = vfb_create(t, &vfb_primary_info);
	id = fb->base.id;
	vfb_commit_on_plane(t, t->primary, fb);
	KUNIT_ASSERT_EQ(test, t->assigns, 1);
	KUNIT_ASSERT_PTR_EQ(test, t->primary->base.state->fb, fb);

	/* the plane state holds a reference: destroy must remove it */
	intel_vgpu_fb_destroy(fb);
	KUNIT_EXPECT_NULL(test, t->primary->base.state->fb);
	KUNIT_EXPECT_NULL(test, t->primary->base.state->crtc);
	KUNIT_EXPECT_EQ(test, t->disables, 1);
	KUNIT_EXPECT_EQ(test, t->unassigns, 1);
	KUNIT_EXPECT_NULL(test, drm_framebuffer_lookup(t->drm, NULL, id));
	KUNIT_EXPECT_EQ(test, t->drm->mode_config.num_fb, 0);
}

static void vfb_ops_clear_on_plane(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct drm_framebuffer *fb, *found;
	struct intel_plane_state *ps;
	int calls;

	fb = vfb_create(t, &vfb_primary_info);
	vfb_commit_on_plane(t, t->primary, fb);
	KUNIT_ASSERT_EQ(test, t->assigns, 1);

	/* kvmgt unload: off the hardware first, then no callback */
	intel_vgpu_fb_clear_ops(&vfb_ops);
	t->ops_set = false;
	KUNIT_EXPECT_NULL(test, t->primary->base.state->fb);
	KUNIT_EXPECT_EQ(test, t->disables, 1);
	KUNIT_EXPECT_EQ(test, t->unassigns, 1);

	/* still registered, but it cannot be shown any more */
	found = drm_framebuffer_lookup(t->drm, NULL, fb->base.id);
	KUNIT_EXPECT_PTR_EQ(test, found, fb);
	if (found)
		drm_framebuffer_put(found);
	ps = vfb_plane_state(test, t->primary, fb, t->crtc);
	KUNIT_EXPECT_EQ(test, intel_vgpu_fb_plane_check(NULL, ps), -ENODEV);

	/* a new kvmgt does not get the old owner's framebuffers */
	KUNIT_ASSERT_EQ(test, intel_vgpu_fb_set_ops(&vfb_ops), 0);
	t->ops_set = true;
	calls = t->checks + t->assigns + t->unassigns + t->surface_dones;
	intel_vgpu_fb_plane_armed(t->primary, ps);
	KUNIT_EXPECT_EQ(test, intel_vgpu_fb_plane_check(NULL, ps), -ENODEV);
	intel_vgpu_fb_destroy(fb);
	KUNIT_EXPECT_EQ(test, t->checks + t->assigns + t->unassigns +
			t->surface_dones, calls);
}

static void vfb_ops_pin_skipped(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct intel_plane_state *ps;
	struct drm_framebuffer *fb;

	fb = vfb_create(t, &vfb_primary_info);
	ps = vfb_plane_state(test, t->primary, fb, t->crtc);
	KUNIT_EXPECT_EQ(test, intel_plane_pin_fb(ps), 0);
	KUNIT_EXPECT_NULL(test, ps->ggtt_vma);
	KUNIT_EXPECT_NULL(test, ps->dpt_vma);
	intel_plane_unpin_fb(ps);
	KUNIT_EXPECT_NULL(test, ps->ggtt_vma);
	intel_vgpu_fb_destroy(fb);
}

struct vfb_check_case {
	const char *name;
	bool cursor_fb;
	enum plane_id plane;
	unsigned int rotation;
	bool async;
	int display_ver;
	u32 stride;
	int gvt_ret;
	int ret;
	bool gvt_asked;
};

static const struct vfb_check_case vfb_check_cases[] = {
	{ "primary fb on primary plane", false, PLANE_1, 0, false, 9, 0, 0, 0, true },
	{ "primary fb on sprite", false, PLANE_2, 0, false, 9, 0, 0, 0, true },
	{ "cursor fb on cursor plane", true, PLANE_CURSOR, 0, false, 9, 0, 0, 0, true },
	{ "cursor fb on primary plane", true, PLANE_1, 0, false, 9, 0, 0, -EINVAL },
	{ "primary fb on cursor plane", false, PLANE_CURSOR, 0, false, 9, 0, 0, -EINVAL },
	{ "rotation 90", false, PLANE_1, DRM_MODE_ROTATE_90, false, 9, 0, 0, -EINVAL },
	{ "rotation 270", false, PLANE_1, DRM_MODE_ROTATE_270, false, 9, 0, 0, -EINVAL },
	{ "rotation 180", false, PLANE_1, DRM_MODE_ROTATE_180, false, 9, 0, 0, 0, true },
	{ "async flip", false, PLANE_1, 0, true, 9, 0, 0, -EINVAL },
	{ "display version 8", false, PLANE_1, 0, false, 8, 0, 0, -EINVAL },
	{ "stride above the plane limit", false, PLANE_1, 0, false, 9,
	  VFB_MAX_STRIDE + 512, 0, -EINVAL },
	{ "GVT says busy", false, PLANE_1, 0, false, 9, 0, -EBUSY, -EBUSY, true },
};

static void vfb_check_desc(const struct vfb_check_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vfb_check, vfb_check_cases, vfb_check_desc);

static void vfb_ops_plane_check(struct kunit *test)
{
	const struct vfb_check_case *c = test->param_value;
	struct vfb_test *t = test->priv;
	struct intel_vgpu_fb_geometry info;
	struct intel_crtc_state *crtc_state;
	struct intel_plane_state *ps;
	struct drm_framebuffer *fb;
	struct intel_plane *plane;

	info = c->cursor_fb ? vfb_cursor_info : vfb_primary_info;
	if (c->stride)
		info.stride = c->stride;
	fb = vfb_create(t, &info);

	plane = c->plane == PLANE_CURSOR ? t->cursor :
		c->plane == PLANE_2 ? t->sprite : t->primary;
	ps = vfb_plane_state(test, plane, fb, t->crtc);
	ps->hw.rotation = c->rotation ?: DRM_MODE_ROTATE_0;
	crtc_state = kunit_kzalloc(test, sizeof(*crtc_state), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, crtc_state);
	crtc_state->uapi.async_flip = c->async;

	t->check_ret = c->gvt_ret;
	DISPLAY_RUNTIME_INFO(t->i915)->ip.ver = c->display_ver;
	KUNIT_EXPECT_EQ(test, intel_vgpu_fb_plane_check(crtc_state, ps), c->ret);
	DISPLAY_RUNTIME_INFO(t->i915)->ip.ver = 9;
	KUNIT_EXPECT_EQ(test, t->checks, c->gvt_asked ? 1 : 0);
	if (c->gvt_asked) {
		KUNIT_EXPECT_PTR_EQ(test, t->last.plane, &plane->base);
		KUNIT_EXPECT_EQ(test, t->last.id, c->plane);
	}

	/* a GEM framebuffer (or none) is not the hook's business */
	ps->hw.fb = NULL;
	KUNIT_EXPECT_EQ(test, intel_vgpu_fb_plane_check(crtc_state, ps), 0);

	intel_vgpu_fb_destroy(fb);
}

/* Found for @file? The lookup's reference is dropped again. */
static bool vfb_lookup(struct vfb_test *t, struct drm_file *file, u32 id)
{
	struct drm_framebuffer *fb = drm_framebuffer_lookup(t->drm, file, id);

	if (fb)
		drm_framebuffer_put(fb);
	return fb;
}

static void vfb_file_master_put(void *data)
{
	struct drm_file *file = data;

	if (file->master)
		drm_master_put(&file->master);
}

/* Make t->file the lessee @lessee (a master with a lessor) of the test. */
static void vfb_make_lessee(struct vfb_test *t, struct drm_master *lessee)
{
	t->file->master = drm_master_get(lessee);
	KUNIT_ASSERT_EQ(t->test, kunit_add_action_or_reset(t->test,
							   vfb_file_master_put,
							   t->file), 0);
}

static void vfb_ops_lookup_filtered(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct drm_mode_fb_cmd r = {};
	struct drm_framebuffer *fb;
	u32 id;

	fb = vfb_create(t, &vfb_primary_info);
	id = fb->base.id;

	/* the kernel's own lookups do not ask GVT */
	KUNIT_EXPECT_TRUE(test, vfb_lookup(t, NULL, id));
	KUNIT_EXPECT_EQ(test, t->may_references, 0);

	/* the KUnit thread runs as root and t->file is no lessee */
	KUNIT_EXPECT_TRUE(test, vfb_lookup(t, t->file, id));
	KUNIT_EXPECT_EQ(test, t->may_references, 1);
	KUNIT_EXPECT_FALSE(test, t->client.lessee);
	KUNIT_EXPECT_NULL(test, t->client.lease);
	KUNIT_EXPECT_TRUE(test, t->client.sys_admin);

	/* GVT refuses: the id does not exist for this client */
	t->may_reference_ret = false;
	KUNIT_EXPECT_FALSE(test, vfb_lookup(t, t->file, id));
	r.fb_id = id;
	KUNIT_EXPECT_EQ(test, drm_mode_getfb(t->drm, &r, t->file), -ENOENT);
	KUNIT_EXPECT_EQ(test, drm_mode_rmfb(t->drm, id, t->file), -ENOENT);
	KUNIT_EXPECT_EQ(test, t->may_references, 4);
	/* nothing leaked: only the creation reference is left */
	KUNIT_EXPECT_EQ(test, drm_framebuffer_read_refcount(fb), 1);
	KUNIT_EXPECT_TRUE(test, vfb_lookup(t, NULL, id));

	intel_vgpu_fb_destroy(fb);
}

static void vfb_ops_lookup_client_caps(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct drm_master *lessor, *lessee;
	const struct cred *old;
	unsigned int refs;
	struct drm_framebuffer *fb;
	struct cred *cred;
	u32 id;

	fb = vfb_create(t, &vfb_primary_info);
	id = fb->base.id;

	/* the caller's CAP_SYS_ADMIN counts, whoever opened the file */
	cred = prepare_creds();
	KUNIT_ASSERT_NOT_NULL(test, cred);
	cap_lower(cred->cap_effective, CAP_SYS_ADMIN);
	old = override_creds(cred);
	KUNIT_EXPECT_TRUE(test, vfb_lookup(t, t->file, id));
	revert_creds(old);
	put_cred(cred);
	KUNIT_EXPECT_EQ(test, t->may_references, 1);
	KUNIT_EXPECT_FALSE(test, t->client.sys_admin);
	KUNIT_EXPECT_FALSE(test, t->client.lessee);

	/* a lessee: which lease is reported, as the lessee's master */
	lessor = intel_fake_master(test, t->drm);
	lessee = intel_fake_lease(test, lessor, 1);
	vfb_make_lessee(t, lessee);
	refs = kref_read(&lessee->refcount);
	KUNIT_EXPECT_TRUE(test, vfb_lookup(t, t->file, id));
	KUNIT_EXPECT_EQ(test, t->may_references, 2);
	KUNIT_EXPECT_TRUE(test, t->client.lessee);
	KUNIT_EXPECT_PTR_EQ(test, t->client.lease, lessee);
	/* only the lease counts: the capability is not asked (nor audited) */
	KUNIT_EXPECT_FALSE(test, t->client.sys_admin);
	/* the lookup took and dropped its master reference */
	KUNIT_EXPECT_EQ(test, kref_read(&lessee->refcount), refs);

	/* a revoked lease is still a lessee, but no lease any more */
	intel_fake_revoke(lessee);
	KUNIT_EXPECT_TRUE(test, vfb_lookup(t, t->file, id));
	KUNIT_EXPECT_TRUE(test, t->client.lessee);
	KUNIT_EXPECT_NULL(test, t->client.lease);

	intel_vgpu_fb_destroy(fb);
}

static void vfb_ops_lookup_without_gvt(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	static const struct intel_vgpu_fb_ops no_policy = {
		.surface = vfb_surface,
	};
	struct drm_framebuffer *fb;
	u32 id;

	/* ops without may_reference: no client may reference the fb */
	intel_vgpu_fb_clear_ops(&vfb_ops);
	t->ops_set = false;
	KUNIT_ASSERT_EQ(test, intel_vgpu_fb_set_ops(&no_policy), 0);
	fb = intel_vgpu_fb_create(t->drm, &vfb_primary_info, t);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fb);
	id = fb->base.id;
	KUNIT_EXPECT_FALSE(test, vfb_lookup(t, t->file, id));
	KUNIT_EXPECT_TRUE(test, vfb_lookup(t, NULL, id));

	/* no ops at all (kvmgt unloaded): still refused */
	intel_vgpu_fb_clear_ops(&no_policy);
	KUNIT_EXPECT_FALSE(test, vfb_lookup(t, t->file, id));
	KUNIT_EXPECT_TRUE(test, vfb_lookup(t, NULL, id));
	KUNIT_EXPECT_EQ(test, t->may_references, 0);
	intel_vgpu_fb_destroy(fb);

	KUNIT_ASSERT_EQ(test, intel_vgpu_fb_set_ops(&vfb_ops), 0);
	t->ops_set = true;
}

static struct kunit_case vfb_ops_cases[] = {
	KUNIT_CASE(vfb_ops_register),
	KUNIT_CASE(vfb_ops_assign_protocol),
	KUNIT_CASE(vfb_ops_cursor_surface),
	KUNIT_CASE(vfb_ops_no_mirroring),
	KUNIT_CASE(vfb_ops_destroy_on_plane),
	KUNIT_CASE(vfb_ops_clear_on_plane),
	KUNIT_CASE(vfb_ops_pin_skipped),
	KUNIT_CASE_PARAM(vfb_ops_plane_check, vfb_check_gen_params),
	KUNIT_CASE(vfb_ops_lookup_filtered),
	KUNIT_CASE(vfb_ops_lookup_client_caps),
	KUNIT_CASE(vfb_ops_lookup_without_gvt),
	{}
};

static struct kunit_suite vfb_ops_suite = {
	.name = "intel_vgpu_fb_ops",
	.init = vfb_test_init,
	.test_cases = vfb_ops_cases,
};

/*
 * The real Skylake planes: on the fake Skylake device of
 * intel_fake_skl_create() (real display info, registers in RAM) the planes
 * are the ones
 * skl_universal_plane_create() and intel_cursor_plane_create() make. The
 * plane states are filled by hand as the atomic check would fill them;
 * the plane updates go through intel_plane_update_noarm()/_arm() and
 * intel_plane_disable_arm(), the entry points of i915's commit.
 */

static int vfb_skl_init(struct kunit *test)
{
	struct intel_crtc *crtc;
	struct vfb_test *t;
	int ret;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	test->priv = t;

	t->i915 = intel_fake_skl_create(test, &vfb_driver);
	t->drm = &t->i915->drm;
	t->drm->dev_private = t;

	t->primary = skl_universal_plane_create(t->i915, PIPE_A, PLANE_1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->primary);
	t->cursor = intel_cursor_plane_create(t->i915, PIPE_A);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->cursor);

	crtc = kunit_kzalloc(test, sizeof(*crtc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, crtc);
	crtc->base.dev = t->drm;
	crtc->pipe = PIPE_A;
	t->crtc = &crtc->base;

	ret = intel_vgpu_fb_set_ops(&vfb_ops);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "vGPU fb ops already registered");
	t->ops_set = true;
	ret = kunit_add_action_or_reset(test, vfb_clear_ops_action, t);
	KUNIT_ASSERT_EQ(test, ret, 0);

	return 0;
}

static u32 vfb_skl_read(struct vfb_test *t, i915_reg_t reg)
{
	return readl(t->i915->uncore.regs + i915_mmio_reg_offset(reg));
}

static struct intel_crtc_state *vfb_skl_crtc_state(struct vfb_test *t)
{
	struct intel_crtc_state *crtc_state;

	crtc_state = kunit_kzalloc(t->test, sizeof(*crtc_state), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(t->test, crtc_state);
	crtc_state->uapi.crtc = t->crtc;
	return crtc_state;
}

/* A visible plane state as skl_plane_check() would leave it. */
static struct intel_plane_state *
vfb_skl_plane_state(struct vfb_test *t, struct intel_plane *plane,
		    struct drm_framebuffer *fb, int src_y, u32 ctl)
{
	struct intel_plane_state *ps;

	ps = vfb_plane_state(t->test, plane, fb, t->crtc);
	ps->uapi.visible = true;
	ps->uapi.src = DRM_RECT_INIT(0, src_y << 16, fb->width << 16,
				     (fb->height - src_y) << 16);
	ps->uapi.dst = DRM_RECT_INIT(16, 32, fb->width, fb->height - src_y);
	ps->view.gtt.type = I915_GTT_VIEW_NORMAL;
	ps->view.color_plane[0].mapping_stride = fb->pitches[0];
	ps->view.color_plane[0].scanout_stride = fb->pitches[0];
	/* X tiles are 8 rows high: src_y in whole tile rows */
	ps->view.color_plane[0].offset = src_y * fb->pitches[0];
	ps->scaler_id = -1;
	ps->ctl = ctl;
	return ps;
}

static void vfb_skl_primary_surface(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct intel_crtc_state *crtc_state = vfb_skl_crtc_state(t);
	struct intel_plane_state *ps;
	struct drm_framebuffer *fb;

	fb = vfb_create(t, &vfb_primary_info);
	ps = vfb_skl_plane_state(t, t->primary, fb, 0,
				 PLANE_CTL_ENABLE | PLANE_CTL_TILED_X |
				 PLANE_CTL_FORMAT_XRGB_8888);

	intel_plane_update_noarm(NULL, t->primary, crtc_state, ps);
	KUNIT_EXPECT_EQ(test, t->surfaces, 0);
	intel_plane_update_arm(NULL, t->primary, crtc_state, ps);

	KUNIT_EXPECT_EQ(test, vfb_skl_read(t, PLANE_SURF(PIPE_A, PLANE_1)),
			VFB_SURF);
	KUNIT_EXPECT_EQ(test, vfb_skl_read(t, PLANE_CTL(PIPE_A, PLANE_1)),
			PLANE_CTL_ENABLE | PLANE_CTL_TILED_X |
			PLANE_CTL_FORMAT_XRGB_8888);
	/* X-tiled: stride in 512-byte tiles */
	KUNIT_EXPECT_EQ(test, vfb_skl_read(t, PLANE_STRIDE(PIPE_A, PLANE_1)),
			7680 / 512);
	KUNIT_EXPECT_EQ(test, vfb_skl_read(t, PLANE_SIZE(PIPE_A, PLANE_1)),
			PLANE_HEIGHT(1080 - 1) | PLANE_WIDTH(1920 - 1));
	KUNIT_EXPECT_EQ(test, vfb_skl_read(t, PLANE_POS(PIPE_A, PLANE_1)),
			PLANE_POS_Y(32) | PLANE_POS_X(16));
	KUNIT_EXPECT_EQ(test, t->surfaces, 1);
	KUNIT_EXPECT_EQ(test, t->assigns, 1);
	KUNIT_EXPECT_PTR_EQ(test, t->last.plane, &t->primary->base);
	KUNIT_EXPECT_EQ(test, t->last.id, PLANE_1);
	KUNIT_EXPECT_EQ(test, t->last.pipe, PIPE_A);

	/* the plane goes off: GVT is told before the registers change */
	intel_plane_disable_arm(NULL, t->primary, crtc_state);
	KUNIT_EXPECT_EQ(test, t->unassigns, 1);
	KUNIT_EXPECT_EQ(test, vfb_skl_read(t, PLANE_CTL(PIPE_A, PLANE_1)), 0);
	KUNIT_EXPECT_EQ(test, vfb_skl_read(t, PLANE_SURF(PIPE_A, PLANE_1)), 0);

	intel_vgpu_fb_destroy(fb);
}

static void vfb_skl_primary_src_offset(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct intel_crtc_state *crtc_state = vfb_skl_crtc_state(t);
	struct intel_plane_state *ps;
	struct drm_framebuffer *fb;

	fb = vfb_create(t, &vfb_primary_info);
	/* the compositor shows rows 8.. of the guest's plane */
	ps = vfb_skl_plane_state(t, t->primary, fb, 8,
				 PLANE_CTL_ENABLE | PLANE_CTL_TILED_X |
				 PLANE_CTL_FORMAT_XRGB_8888);
	intel_plane_update_noarm(NULL, t->primary, crtc_state, ps);
	intel_plane_update_arm(NULL, t->primary, crtc_state, ps);
	KUNIT_EXPECT_EQ(test, vfb_skl_read(t, PLANE_SURF(PIPE_A, PLANE_1)),
			VFB_SURF + 8 * 7680);

	/* reprogrammed with the same fb: GVT paused before the first write */
	intel_plane_update_noarm(NULL, t->primary, crtc_state, ps);
	KUNIT_EXPECT_EQ(test, t->holds, 1);
	intel_plane_update_arm(NULL, t->primary, crtc_state, ps);
	KUNIT_EXPECT_EQ(test, t->holds, 2);
	KUNIT_EXPECT_EQ(test, t->assigns, 1);
	KUNIT_EXPECT_EQ(test, t->surface_dones, 1);
	KUNIT_EXPECT_EQ(test, t->unassigns, 0);

	intel_plane_disable_arm(NULL, t->primary, crtc_state);
	KUNIT_EXPECT_EQ(test, t->unassigns, 1);
	intel_vgpu_fb_destroy(fb);
}

static void vfb_skl_cursor_base(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct intel_crtc_state *crtc_state = vfb_skl_crtc_state(t);
	struct intel_plane_state *ps;
	struct drm_framebuffer *fb;

	fb = vfb_create(t, &vfb_cursor_info);
	ps = vfb_skl_plane_state(t, t->cursor, fb, 0, MCURSOR_MODE_64_ARGB_AX);

	intel_plane_update_noarm(NULL, t->cursor, crtc_state, ps);
	intel_plane_update_arm(NULL, t->cursor, crtc_state, ps);
	KUNIT_EXPECT_EQ(test, vfb_skl_read(t, CURBASE(t->i915, PIPE_A)),
			VFB_SURF + 0x1000);
	KUNIT_EXPECT_EQ(test, vfb_skl_read(t, CURCNTR(t->i915, PIPE_A)),
			MCURSOR_MODE_64_ARGB_AX);
	KUNIT_EXPECT_EQ(test, t->assigns, 1);
	KUNIT_EXPECT_EQ(test, t->last.id, PLANE_CURSOR);

	intel_plane_disable_arm(NULL, t->cursor, crtc_state);
	KUNIT_EXPECT_EQ(test, t->unassigns, 1);
	KUNIT_EXPECT_EQ(test, vfb_skl_read(t, CURCNTR(t->i915, PIPE_A)), 0);
	intel_vgpu_fb_destroy(fb);
}

static void vfb_skl_check_real_planes(struct kunit *test)
{
	struct vfb_test *t = test->priv;
	struct drm_framebuffer *fb, *cursor_fb;
	struct intel_vgpu_fb_geometry wide = vfb_primary_info;

	fb = vfb_create(t, &vfb_primary_info);
	cursor_fb = vfb_create(t, &vfb_cursor_info);
	KUNIT_EXPECT_EQ(test,
			intel_vgpu_fb_plane_check(NULL,
						  vfb_plane_state(test, t->primary,
								  fb, t->crtc)), 0);
	KUNIT_EXPECT_EQ(test,
			intel_vgpu_fb_plane_check(NULL,
						  vfb_plane_state(test, t->cursor,
								  fb, t->crtc)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			intel_vgpu_fb_plane_check(NULL,
						  vfb_plane_state(test, t->primary,
								  cursor_fb,
								  t->crtc)),
			-EINVAL);
	intel_vgpu_fb_destroy(cursor_fb);
	intel_vgpu_fb_destroy(fb);

	/* beyond Skylake's X-tiled stride limit (32 KiB): would need a remap */
	wide.stride = 64 * 1024;
	wide.width = 8192;
	fb = vfb_create(t, &wide);
	KUNIT_EXPECT_EQ(test,
			intel_vgpu_fb_plane_check(NULL,
						  vfb_plane_state(test, t->primary,
								  fb, t->crtc)),
			-EINVAL);
	intel_vgpu_fb_destroy(fb);
}

static struct kunit_case vfb_skl_cases[] = {
	KUNIT_CASE(vfb_skl_primary_surface),
	KUNIT_CASE(vfb_skl_primary_src_offset),
	KUNIT_CASE(vfb_skl_cursor_base),
	KUNIT_CASE(vfb_skl_check_real_planes),
	{}
};

static struct kunit_suite vfb_skl_suite = {
	.name = "intel_vgpu_fb_skl",
	.init = vfb_skl_init,
	.test_cases = vfb_skl_cases,
};

kunit_test_suites(&vfb_suite, &vfb_ops_suite, &vfb_skl_suite);
