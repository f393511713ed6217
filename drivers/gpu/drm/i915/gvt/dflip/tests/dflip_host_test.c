// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * KUnit test of the direct flip host glue (gvt/dflip/dflip_host.c) from a
 * guest's plane register writes to the host's real Skylake plane.
 *
 * The host is the fake Skylake device of intel_fake_skl_create() with the
 * real primary plane of pipe A (skl_universal_plane_create()); the vGPU
 * is hand-built: its GVT device, graphics memory ranges, virtual register
 * file and lock. The guest's writes go through dflip_host_guest_flip(),
 * as the PLANE_SURF handler calls it, and so through the real decoder,
 * validator and plane state machine; the compositor's commit is played by
 * calling intel_plane_update_noarm()/_arm() with the vGPU framebuffer.
 *
 * The access policy runs end to end: lookups of the vGPU's framebuffer by
 * id on behalf of DRM files (a root non-lessee, a non-root one, lessees
 * bound and not bound to the vGPU through intel_vgpu/dflip_lessee, and
 * lessees of two masters with the same lessee id, as after a VT switch)
 * go through DRM's lookup hook, i915's answer and GVT's policy.
 *
 * The fake CRTC has no vblank support on purpose, so dflip_plane_assign()
 * fails to take its vblank reference and the state machine records the
 * plane as shown but writes nothing (DFLIP_VPLANE_NO_VBLANK): this suite
 * checks what i915 programs; dflip_live (dflip_live_test.c) checks what
 * GVT writes between i915's commits.
 * Not covered here: the MMIO trap path itself
 * (intel_vgpu_emulate_mmio_write(): dflip_mmio, dflip_mmio_test.c, runs
 * it), the uevent (the vGPU has no mdev device) and kvmgt module
 * load/unload.
 */

#include <kunit/test.h>

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/jiffies.h>
#include <linux/mman.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>

#include <drm/drm_auth.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_kunit_helpers.h>

#include "i915_drv.h"
#include "gvt/gvt.h"
#include "display/intel_atomic_plane.h"
#include "display/intel_display_types.h"
#include "display/intel_vgpu_fb.h"
#include "display/skl_universal_plane.h"
#include "display/skl_universal_plane_regs.h"
#include "display/tests/intel_fake_skl.h"

#include "../dflip_host.h"
#include "../dflip_uapi.h"
#include "dflip_skl_host.h"

#define HOST_APERTURE	0x01000000ull
#define HOST_HIDDEN	0x40000000ull

/**
 * struct host_test - the host device and the vGPU
 * @i915: the host device
 * @primary: its PLANE_1 of pipe A
 * @crtc: a CRTC for pipe A (no vblank support)
 * @gvt: the GVT device
 * @vgpu: the vGPU
 */
struct host_test {
	struct drm_i915_private *i915;
	struct intel_plane *primary;
	struct intel_crtc *crtc;
	struct intel_gvt *gvt;
	struct intel_vgpu *vgpu;
};

static const struct drm_driver host_driver = {
	.driver_features = DRIVER_MODESET | DRIVER_ATOMIC,
};

static void host_vfree(void *data)
{
	vfree(data);
}

static void host_gvt_fini(void *data)
{
	dflip_host_fini(data);
}

static void host_vgpu_fini(void *data)
{
	struct intel_vgpu *vgpu = data;

	mutex_lock(&vgpu->vgpu_lock);
	dflip_host_vgpu_fini(vgpu);
	mutex_unlock(&vgpu->vgpu_lock);
}

static int host_test_init(struct kunit *test)
{
	struct drm_device *drm;
	struct host_test *t;
	struct intel_gt *gt;
	int ret;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	test->priv = t;

	t->i915 = intel_fake_skl_create(test, &host_driver);
	drm = &t->i915->drm;

	t->primary = skl_universal_plane_create(t->i915, PIPE_A, PLANE_1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->primary);
	t->crtc = kunit_kzalloc(test, sizeof(*t->crtc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->crtc);
	t->crtc->base.dev = drm;
	t->crtc->pipe = PIPE_A;

	/* GVT: just what the glue reads */
	gt = kunit_kzalloc(test, sizeof(*gt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gt);
	gt->i915 = t->i915;
	t->gvt = vzalloc(sizeof(*t->gvt));
	KUNIT_ASSERT_NOT_NULL(test, t->gvt);
	ret = kunit_add_action_or_reset(test, host_vfree, t->gvt);
	KUNIT_ASSERT_EQ(test, ret, 0);
	t->gvt->gt = gt;
	dflip_host_init(t->gvt);
	ret = kunit_add_action_or_reset(test, host_gvt_fini, t->gvt);
	KUNIT_ASSERT_EQ(test, ret, 0);

	t->vgpu = vzalloc(sizeof(*t->vgpu));
	KUNIT_ASSERT_NOT_NULL(test, t->vgpu);
	ret = kunit_add_action_or_reset(test, host_vfree, t->vgpu);
	KUNIT_ASSERT_EQ(test, ret, 0);
	t->vgpu->gvt = t->gvt;
	mutex_init(&t->vgpu->vgpu_lock);
	t->vgpu->mmio.vreg = vzalloc(SZ_2M);
	KUNIT_ASSERT_NOT_NULL(test, t->vgpu->mmio.vreg);
	ret = kunit_add_action_or_reset(test, host_vfree, t->vgpu->mmio.vreg);
	KUNIT_ASSERT_EQ(test, ret, 0);
	t->vgpu->gm.low_gm_node.start = HOST_APERTURE;
	t->vgpu->gm.aperture_sz = SZ_64M;
	t->vgpu->gm.high_gm_node.start = HOST_HIDDEN;
	t->vgpu->gm.hidden_sz = SZ_256M;

	dflip_host_vgpu_init(t->vgpu);
	KUNIT_ASSERT_NOT_NULL(test, t->vgpu->dflip);
	ret = kunit_add_action_or_reset(test, host_vgpu_fini, t->vgpu);
	KUNIT_ASSERT_EQ(test, ret, 0);

	return 0;
}

/* The guest programs its primary plane of pipe A, X-tiled XRGB8888. */
static bool host_guest_flip(struct host_test *t, u32 width, u32 height,
			    u64 surf)
{
	struct intel_vgpu *vgpu = t->vgpu;
	bool flipped;

	vgpu_vreg_t(vgpu, PLANE_CTL(PIPE_A, PLANE_1)) =
		PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888 |
		PLANE_CTL_TILED_X;
	vgpu_vreg_t(vgpu, PLANE_STRIDE(PIPE_A, PLANE_1)) = width * 4 / 512;
	vgpu_vreg_t(vgpu, PLANE_SIZE(PIPE_A, PLANE_1)) =
		PLANE_HEIGHT(height - 1) | PLANE_WIDTH(width - 1);
	vgpu_vreg_t(vgpu, PLANE_SURF(PIPE_A, PLANE_1)) = surf;

	mutex_lock(&vgpu->vgpu_lock);
	flipped = dflip_host_guest_flip(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY,
					surf);
	mutex_unlock(&vgpu->vgpu_lock);
	return flipped;
}

/*
 * The i915 device's framebuffer count, read under the vGPU's lock: GVT's
 * geometry work makes a plane's new framebuffer and destroys its old one
 * with that lock held, so an unlocked read may see both.
 */
static unsigned int host_num_fb(struct host_test *t)
{
	unsigned int n;

	mutex_lock(&t->vgpu->vgpu_lock);
	n = t->i915->drm.mode_config.num_fb;
	mutex_unlock(&t->vgpu->vgpu_lock);
	return n;
}

/*
 * The vGPU framebuffer of the given size, NULL if there is none; as a
 * compositor finds it once the geometry work ran.
 */
static struct drm_framebuffer *host_find_fb(struct host_test *t, u32 width,
					    u32 height)
{
	struct drm_framebuffer *fb, *found = NULL;

	dflip_skl_geometry_done(t->vgpu);
	mutex_lock(&t->i915->drm.mode_config.fb_lock);
	drm_for_each_fb(fb, &t->i915->drm)
		if (intel_vgpu_fb_is_vgpu(fb) && fb->width == width &&
		    fb->height == height)
			found = fb;
	mutex_unlock(&t->i915->drm.mode_config.fb_lock);
	return found;
}

/* The id of a vGPU plane's current framebuffer, 0 for none. */
static u32 host_plane_fb_id(struct host_test *t, unsigned int plane)
{
	struct drm_framebuffer *fb;

	dflip_skl_geometry_done(t->vgpu);
	mutex_lock(&t->vgpu->vgpu_lock);
	fb = dflip_host_plane_fb(t->vgpu, plane);
	mutex_unlock(&t->vgpu->vgpu_lock);
	return fb ? fb->base.id : 0;
}

/* The compositor's commit of @fb on the primary plane, as i915 runs it. */
static u32 host_commit(struct kunit *test, struct host_test *t,
		       struct drm_framebuffer *fb)
{
	struct intel_crtc_state *crtc_state;
	struct intel_plane_state *ps;

	crtc_state = kunit_kzalloc(test, sizeof(*crtc_state), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, crtc_state);
	crtc_state->uapi.crtc = &t->crtc->base;
	ps = kunit_kzalloc(test, sizeof(*ps), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ps);
	ps->uapi.plane = &t->primary->base;
	ps->uapi.crtc = &t->crtc->base;
	ps->uapi.visible = true;
	ps->uapi.src = DRM_RECT_INIT(0, 0, fb->width << 16, fb->height << 16);
	ps->uapi.dst = DRM_RECT_INIT(0, 0, fb->width, fb->height);
	ps->hw.fb = fb;
	ps->hw.crtc = &t->crtc->base;
	ps->hw.rotation = DRM_MODE_ROTATE_0;
	ps->view.gtt.type = I915_GTT_VIEW_NORMAL;
	ps->view.color_plane[0].mapping_stride = fb->pitches[0];
	ps->view.color_plane[0].scanout_stride = fb->pitches[0];
	ps->scaler_id = -1;
	ps->ctl = PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888 |
		  PLANE_CTL_TILED_X;

	KUNIT_EXPECT_EQ(test, intel_vgpu_fb_plane_check(crtc_state, ps), 0);
	intel_plane_update_noarm(NULL, t->primary, crtc_state, ps);
	intel_plane_update_arm(NULL, t->primary, crtc_state, ps);
	return readl(t->i915->uncore.regs +
		     i915_mmio_reg_offset(PLANE_SURF(PIPE_A, PLANE_1)));
}

static void host_guest_plane_to_hw(struct kunit *test)
{
	struct host_test *t = test->priv;
	struct intel_crtc_state *crtc_state;
	struct drm_framebuffer *fb, *small;
	struct intel_plane_state *ps;

	/* from creation: a framebuffer of the default geometry per plane */
	KUNIT_EXPECT_EQ(test, host_num_fb(t),
			DFLIP_NUM_PLANES);

	/* the guest's first frame: a framebuffer of its geometry replaces it */
	KUNIT_EXPECT_FALSE(test, host_guest_flip(t, 1920, 1080, HOST_APERTURE));
	KUNIT_EXPECT_EQ(test, host_num_fb(t),
			DFLIP_NUM_PLANES);
	fb = host_find_fb(t, 1920, 1080);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_EXPECT_EQ(test, fb->pitches[0], 7680);
	KUNIT_EXPECT_EQ(test, fb->modifier, I915_FORMAT_MOD_X_TILED);
	KUNIT_EXPECT_EQ(test, fb->format->format, DRM_FORMAT_XRGB8888);

	/* the compositor shows it: i915 programs the guest's surface */
	KUNIT_EXPECT_EQ(test, host_commit(test, t, fb), HOST_APERTURE);

	/* the guest flips; i915's next programming shows the new frame */
	host_guest_flip(t, 1920, 1080, HOST_APERTURE + SZ_8M);
	KUNIT_EXPECT_EQ(test, host_num_fb(t),
			DFLIP_NUM_PLANES);
	KUNIT_EXPECT_EQ(test, host_commit(test, t, fb), HOST_APERTURE + SZ_8M);

	/* a surface outside the guest's memory is never programmed */
	host_guest_flip(t, 1920, 1080, HOST_APERTURE + SZ_64M);
	KUNIT_EXPECT_EQ(test, host_commit(test, t, fb), HOST_APERTURE + SZ_8M);
	host_guest_flip(t, 1920, 1080, HOST_APERTURE + SZ_64M - SZ_4M);
	KUNIT_EXPECT_EQ(test, host_commit(test, t, fb), HOST_APERTURE + SZ_8M);

	/* new geometry: a new framebuffer, the old one stays on the plane */
	host_guest_flip(t, 1280, 720, HOST_HIDDEN);
	small = host_find_fb(t, 1280, 720);
	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_EXPECT_PTR_EQ(test, host_find_fb(t, 1920, 1080), fb);
	KUNIT_EXPECT_EQ(test, host_num_fb(t),
			DFLIP_NUM_PLANES + 1);

	/*
	 * The plane that shows the stale one may keep it (a host commit
	 * pulling the plane in); once off, it cannot be shown anew.
	 */
	ps = kunit_kzalloc(test, sizeof(*ps), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ps);
	ps->uapi.plane = &t->primary->base;
	ps->hw.fb = fb;
	ps->hw.rotation = DRM_MODE_ROTATE_0;
	KUNIT_EXPECT_EQ(test, intel_vgpu_fb_plane_check(NULL, ps), 0);
	crtc_state = kunit_kzalloc(test, sizeof(*crtc_state), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, crtc_state);
	crtc_state->uapi.crtc = &t->crtc->base;
	intel_plane_disable_arm(NULL, t->primary, crtc_state);
	KUNIT_EXPECT_EQ(test, intel_vgpu_fb_plane_check(NULL, ps), -ESTALE);

	/* it shows the new one: the old framebuffer goes with the next flip */
	KUNIT_EXPECT_EQ(test, host_commit(test, t, small), HOST_HIDDEN);
	host_guest_flip(t, 1280, 720, HOST_HIDDEN + SZ_4M);
	KUNIT_EXPECT_NULL(test, host_find_fb(t, 1920, 1080));
	KUNIT_EXPECT_EQ(test, host_commit(test, t, small), HOST_HIDDEN + SZ_4M);

	/* vGPU destroy: every framebuffer is taken off and destroyed */
	mutex_lock(&t->vgpu->vgpu_lock);
	dflip_host_vgpu_fini(t->vgpu);
	mutex_unlock(&t->vgpu->vgpu_lock);
	KUNIT_EXPECT_NULL(test, t->vgpu->dflip);
	KUNIT_EXPECT_EQ(test, host_num_fb(t), 0);
}

/* sysfs: plane_id_index (HOST_INDEX) or the intel_vgpu_planes file of a plane */
static int host_sysfs_read(struct kunit *test, struct device *dev,
			   int plane, u32 *val)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct device_attribute *attr;
	ssize_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	dflip_skl_geometry_done(dev_get_drvdata(dev));
	if (plane < 0) {
		len = plane_id_index_show(dev, NULL, buf);
	} else {
		attr = container_of(dflip_vgpu_planes_group.attrs[plane],
				    struct device_attribute, attr);
		KUNIT_EXPECT_STREQ(test, attr->attr.name,
				   dflip_plane_name(plane));
		len = attr->show(dev, attr, buf);
	}
	if (len < 0)
		return len;
	KUNIT_EXPECT_EQ(test, buf[len - 1], '\n');
	KUNIT_EXPECT_EQ(test, kstrtou32(buf, 10, val), 0);
	return 0;
}

#define HOST_INDEX	(-1)

static ssize_t host_sysfs_write(struct device *dev, const char *s)
{
	return plane_id_index_store(dev, NULL, s, strlen(s));
}

static struct device *host_vgpu_dev(struct kunit *test, struct host_test *t)
{
	struct device *dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev_set_drvdata(dev, t->vgpu);
	return dev;
}

static void host_sysfs_plane_ids(struct kunit *test)
{
	struct host_test *t = test->priv;
	struct device *dev = host_vgpu_dev(test, t);
	struct drm_framebuffer *fb;
	u32 id;

	/* before the guest programs a plane: its default framebuffer */
	KUNIT_ASSERT_EQ(test, host_sysfs_read(test, dev,
					      HOST_INDEX, &id), 0);
	KUNIT_EXPECT_NE(test, id, 0);
	KUNIT_EXPECT_EQ(test, id, host_plane_fb_id(t, 0));

	host_guest_flip(t, 1920, 1080, HOST_APERTURE);
	fb = host_find_fb(t, 1920, 1080);
	KUNIT_ASSERT_NOT_NULL(test, fb);

	/* the default selection (pipe A primary) and the per-plane file */
	KUNIT_ASSERT_EQ(test, host_sysfs_read(test, dev,
					      HOST_INDEX, &id), 0);
	KUNIT_EXPECT_EQ(test, id, fb->base.id);
	KUNIT_ASSERT_EQ(test, host_sysfs_read(test, dev,
					      0,
					      &id), 0);
	KUNIT_EXPECT_EQ(test, id, fb->base.id);
	KUNIT_ASSERT_EQ(test, host_sysfs_read(test, dev,
					      3,
					      &id), 0);
	KUNIT_EXPECT_NE(test, id, 0);
	KUNIT_EXPECT_NE(test, id, fb->base.id);
	KUNIT_EXPECT_EQ(test, id, host_plane_fb_id(t, 3));

	/* select pipe A cursor: its default cursor framebuffer */
	KUNIT_EXPECT_EQ(test, host_sysfs_write(dev, "2\n"), 2);
	KUNIT_ASSERT_EQ(test, host_sysfs_read(test, dev,
					      HOST_INDEX, &id), 0);
	KUNIT_EXPECT_NE(test, id, 0);
	KUNIT_EXPECT_EQ(test, id, host_plane_fb_id(t, 2));

	/* bad input is refused and keeps the selection */
	KUNIT_EXPECT_EQ(test, host_sysfs_write(dev, "0x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, host_sysfs_write(dev, "9"), -EINVAL);
	KUNIT_EXPECT_EQ(test, host_sysfs_write(dev, "-1"), -EINVAL);
	mutex_lock(&t->vgpu->vgpu_lock);
	KUNIT_EXPECT_EQ(test, dflip_host_selected_plane(t->vgpu), 2);
	mutex_unlock(&t->vgpu->vgpu_lock);

	/* a geometry change gives the plane a new id */
	KUNIT_EXPECT_EQ(test, host_sysfs_write(dev, "0"), 1);
	host_guest_flip(t, 1280, 720, HOST_HIDDEN);
	fb = host_find_fb(t, 1280, 720);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_ASSERT_EQ(test, host_sysfs_read(test, dev,
					      HOST_INDEX, &id), 0);
	KUNIT_EXPECT_EQ(test, id, fb->base.id);

	/* the guest disables the plane: id 0 */
	vgpu_vreg_t(t->vgpu, PLANE_CTL(PIPE_A, PLANE_1)) = 0;
	mutex_lock(&t->vgpu->vgpu_lock);
	dflip_host_guest_flip(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY,
			      HOST_HIDDEN);
	mutex_unlock(&t->vgpu->vgpu_lock);
	KUNIT_ASSERT_EQ(test, host_sysfs_read(test, dev,
					      HOST_INDEX, &id), 0);
	KUNIT_EXPECT_EQ(test, id, 0);
}

static ssize_t host_lessee_write(struct device *dev, const char *s)
{
	return dflip_lessee_store(dev, NULL, s, strlen(s));
}

static int host_lessee_read(struct kunit *test, struct device *dev, u32 *val)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	ssize_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = dflip_lessee_show(dev, NULL, buf);
	if (len < 0)
		return len;
	KUNIT_EXPECT_EQ(test, buf[len - 1], '\n');
	KUNIT_EXPECT_EQ(test, kstrtou32(buf, 10, val), 0);
	return 0;
}

static void host_file_master_put(void *data)
{
	struct drm_file *file = data;

	drm_master_put(&file->master);
}

/*
 * A DRM file of the host device: a plain client, or with @master a file
 * of that master (a lessee's file with a lessee from intel_fake_lease()).
 */
static struct drm_file *host_drm_file(struct kunit *test, struct host_test *t,
				      struct drm_master *master)
{
	struct drm_file *file = kunit_kzalloc(test, sizeof(*file), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, file);
	INIT_LIST_HEAD(&file->fbs);
	mutex_init(&file->fbs_lock);
	spin_lock_init(&file->master_lookup_lock);
	file->minor = t->i915->drm.primary;
	if (!master)
		return file;
	file->master = drm_master_get(master);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							host_file_master_put,
							file), 0);
	return file;
}

/* Does @file find framebuffer @id? (with CAP_SYS_ADMIN if @root) */
static bool host_lookup(struct kunit *test, struct drm_file *file, u32 id,
			bool root)
{
	struct host_test *t = test->priv;
	struct drm_framebuffer *fb;
	const struct cred *old = NULL;
	struct cred *cred = NULL;

	if (!root) {
		cred = prepare_creds();
		KUNIT_ASSERT_NOT_NULL(test, cred);
		cap_lower(cred->cap_effective, CAP_SYS_ADMIN);
		old = override_creds(cred);
	}
	fb = drm_framebuffer_lookup(&t->i915->drm, file, id);
	if (cred) {
		revert_creds(old);
		put_cred(cred);
	}
	if (fb)
		drm_framebuffer_put(fb);
	return fb;
}

static void host_policy_lessee_binding(struct kunit *test)
{
	struct host_test *t = test->priv;
	struct drm_device *drm = &t->i915->drm;
	struct device *dev = host_vgpu_dev(test, t);
	struct drm_master *lessor = intel_fake_master(test, drm);
	struct drm_master *l1 = intel_fake_lease(test, lessor, 1);
	struct drm_master *l2 = intel_fake_lease(test, lessor, 2);
	struct drm_file *client = host_drm_file(test, t, NULL);
	struct drm_file *lessee1 = host_drm_file(test, t, l1);
	struct drm_file *lessee2 = host_drm_file(test, t, l2);
	struct drm_framebuffer *fb;
	u32 id, bound;

	intel_fake_set_master(test, drm, lessor);
	host_guest_flip(t, 1920, 1080, HOST_APERTURE);
	fb = host_find_fb(t, 1920, 1080);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	id = fb->base.id;

	/* unbound (the default): root only, no lessee, whatever its creds */
	KUNIT_ASSERT_EQ(test, host_lessee_read(test, dev, &bound), 0);
	KUNIT_EXPECT_EQ(test, bound, 0);
	KUNIT_EXPECT_TRUE(test, host_lookup(test, client, id, true));
	KUNIT_EXPECT_FALSE(test, host_lookup(test, client, id, false));
	KUNIT_EXPECT_FALSE(test, host_lookup(test, lessee1, id, true));
	KUNIT_EXPECT_FALSE(test, host_lookup(test, lessee1, id, false));

	/* bound to lessee 1: it, and still root, but not lessee 2 */
	KUNIT_EXPECT_EQ(test, host_lessee_write(dev, "1\n"), 2);
	KUNIT_ASSERT_EQ(test, host_lessee_read(test, dev, &bound), 0);
	KUNIT_EXPECT_EQ(test, bound, 1);
	KUNIT_EXPECT_TRUE(test, host_lookup(test, lessee1, id, false));
	KUNIT_EXPECT_TRUE(test, host_lookup(test, lessee1, id, true));
	KUNIT_EXPECT_FALSE(test, host_lookup(test, lessee2, id, true));
	KUNIT_EXPECT_FALSE(test, host_lookup(test, lessee2, id, false));
	KUNIT_EXPECT_TRUE(test, host_lookup(test, client, id, true));
	KUNIT_EXPECT_FALSE(test, host_lookup(test, client, id, false));

	/* bad input, or no such lessee, is refused and keeps the binding */
	KUNIT_EXPECT_EQ(test, host_lessee_write(dev, "2x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, host_lessee_write(dev, "-1"), -EINVAL);
	KUNIT_EXPECT_EQ(test, host_lessee_write(dev, "2147483648"), -EINVAL);
	KUNIT_EXPECT_EQ(test, host_lessee_write(dev, ""), -EINVAL);
	KUNIT_EXPECT_EQ(test, host_lessee_write(dev, "3"), -ENOENT);
	KUNIT_ASSERT_EQ(test, host_lessee_read(test, dev, &bound), 0);
	KUNIT_EXPECT_EQ(test, bound, 1);
	KUNIT_EXPECT_TRUE(test, host_lookup(test, lessee1, id, false));

	/* the binding covers the plane's next framebuffer too */
	host_guest_flip(t, 1280, 720, HOST_HIDDEN);
	fb = host_find_fb(t, 1280, 720);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_EXPECT_TRUE(test, host_lookup(test, lessee1, fb->base.id, false));
	KUNIT_EXPECT_FALSE(test, host_lookup(test, lessee2, fb->base.id, false));

	/* rebinding moves the vGPU to lessee 2; 0 unbinds */
	KUNIT_EXPECT_EQ(test, host_lessee_write(dev, "2"), 1);
	KUNIT_EXPECT_FALSE(test, host_lookup(test, lessee1, fb->base.id, false));
	KUNIT_EXPECT_TRUE(test, host_lookup(test, lessee2, fb->base.id, false));
	KUNIT_EXPECT_EQ(test, host_lessee_write(dev, "0"), 1);
	KUNIT_EXPECT_FALSE(test, host_lookup(test, lessee2, fb->base.id, false));
	KUNIT_EXPECT_TRUE(test, host_lookup(test, client, fb->base.id, true));
}

/*
 * Lessee ids are per lessor: after a VT switch the next master's first
 * lease is lessee 1 too. The binding is to the lease the id named when it
 * was written, under the master of that moment; it ends with the lease.
 */
static void host_policy_lessee_of_next_master(struct kunit *test)
{
	struct host_test *t = test->priv;
	struct drm_device *drm = &t->i915->drm;
	struct device *dev = host_vgpu_dev(test, t);
	struct drm_master *vt1 = intel_fake_master(test, drm);
	struct drm_master *vt2 = intel_fake_master(test, drm);
	struct drm_master *a = intel_fake_lease(test, vt1, 1);
	struct drm_master *b = intel_fake_lease(test, vt2, 1);
	struct drm_file *lessee_a = host_drm_file(test, t, a);
	struct drm_file *lessee_b = host_drm_file(test, t, b);
	struct drm_framebuffer *fb;
	u32 id, bound;

	KUNIT_ASSERT_EQ(test, a->lessee_id, b->lessee_id);
	host_guest_flip(t, 1920, 1080, HOST_APERTURE);
	fb = host_find_fb(t, 1920, 1080);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	id = fb->base.id;

	/* no master: no lease to bind to */
	KUNIT_EXPECT_EQ(test, host_lessee_write(dev, "1"), -ENOENT);

	/* VT 1's compositor leases and binds its lessee 1 */
	intel_fake_set_master(test, drm, vt1);
	KUNIT_EXPECT_EQ(test, host_lessee_write(dev, "1"), 1);
	KUNIT_EXPECT_TRUE(test, host_lookup(test, lessee_a, id, true));
	KUNIT_EXPECT_FALSE(test, host_lookup(test, lessee_b, id, true));

	/* VT switch: the next master's lessee 1 is another lessee */
	intel_fake_set_master(test, drm, vt2);
	KUNIT_EXPECT_FALSE(test, host_lookup(test, lessee_b, id, true));
	KUNIT_EXPECT_FALSE(test, host_lookup(test, lessee_b, id, false));
	KUNIT_EXPECT_TRUE(test, host_lookup(test, lessee_a, id, false));
	KUNIT_ASSERT_EQ(test, host_lessee_read(test, dev, &bound), 0);
	KUNIT_EXPECT_EQ(test, bound, 1);

	/* VT 1 revokes its lease: lessee A no longer shows the VM */
	intel_fake_revoke(a);
	KUNIT_EXPECT_FALSE(test, host_lookup(test, lessee_a, id, true));

	/* binding now resolves against VT 2: its lessee 1 */
	KUNIT_EXPECT_EQ(test, host_lessee_write(dev, "1"), 1);
	KUNIT_EXPECT_TRUE(test, host_lookup(test, lessee_b, id, false));
	KUNIT_EXPECT_FALSE(test, host_lookup(test, lessee_a, id, false));

	/* a revoked lease cannot be bound */
	intel_fake_revoke(b);
	KUNIT_EXPECT_EQ(test, host_lessee_write(dev, "1"), -ENOENT);
	KUNIT_EXPECT_FALSE(test, host_lookup(test, lessee_b, id, false));
}

/*
 * A guest that changes geometry at every flip: 10^4 changes through the
 * trap path, with the vGPU's lock held throughout as a guest storming the
 * register keeps it. The trap path makes no framebuffer, removes none
 * (a modeset lock-all commit each) and sends no uevent: the geometry work
 * does, at most once per 20 ms, for the latest geometry only; a reader of
 * the plane's id gets that one at once.
 */
/* The framebuffers vGPU plane 0 made so far. */
static unsigned int host_fbs_made(struct intel_vgpu *vgpu)
{
	unsigned int made, destroyed;

	mutex_lock(&vgpu->vgpu_lock);
	dflip_host_fb_counts(vgpu, 0, &made, &destroyed);
	mutex_unlock(&vgpu->vgpu_lock);
	return made;
}

static void host_geometry_storm_coalesced(struct kunit *test)
{
	struct host_test *t = test->priv;
	struct intel_vgpu *vgpu = t->vgpu;
	unsigned int made0, destroyed0, made, destroyed, i;
	struct drm_framebuffer *fb;
	unsigned long timeout;
	u32 w, h;

	host_guest_flip(t, 1920, 1080, HOST_APERTURE);
	KUNIT_ASSERT_NOT_NULL(test, host_find_fb(t, 1920, 1080));

	mutex_lock(&vgpu->vgpu_lock);
	dflip_host_fb_counts(vgpu, 0, &made0, &destroyed0);
	for (i = 1; i <= 10000; i++) {
		w = i & 1 ? 1280 : 1920;
		h = i & 1 ? 720 : 1080;
		vgpu_vreg_t(vgpu, PLANE_STRIDE(PIPE_A, PLANE_1)) = w * 4 / 512;
		vgpu_vreg_t(vgpu, PLANE_SIZE(PIPE_A, PLANE_1)) =
			PLANE_HEIGHT(h - 1) | PLANE_WIDTH(w - 1);
		dflip_host_guest_flip(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY,
				      HOST_APERTURE);
	}
	dflip_host_fb_counts(vgpu, 0, &made, &destroyed);
	/* until the work ran, a reader finds no framebuffer for it */
	KUNIT_EXPECT_NULL(test, dflip_host_plane_fb(vgpu, 0));
	mutex_unlock(&vgpu->vgpu_lock);
	KUNIT_EXPECT_EQ(test, made, made0);
	KUNIT_EXPECT_EQ(test, destroyed, destroyed0);

	/* the geometry work: one framebuffer, of the last of the geometries */
	timeout = jiffies + 30 * HZ;
	while (host_fbs_made(vgpu) == made0 && time_before(jiffies, timeout))
		msleep(20);
	mutex_lock(&vgpu->vgpu_lock);
	fb = dflip_host_plane_fb(vgpu, 0);
	dflip_host_fb_counts(vgpu, 0, &made, &destroyed);
	mutex_unlock(&vgpu->vgpu_lock);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_EXPECT_EQ(test, fb->width, 1920);
	KUNIT_EXPECT_EQ(test, fb->height, 1080);
	KUNIT_EXPECT_EQ(test, made - made0, 1);
	KUNIT_EXPECT_EQ(test, destroyed - destroyed0, 1);
	KUNIT_EXPECT_EQ(test, host_num_fb(t),
			DFLIP_NUM_PLANES);

	/* a change the work has not handled yet goes with the vGPU */
	host_guest_flip(t, 1280, 720, HOST_APERTURE);
	mutex_lock(&vgpu->vgpu_lock);
	dflip_host_vgpu_fini(vgpu);
	mutex_unlock(&vgpu->vgpu_lock);
	KUNIT_EXPECT_EQ(test, host_num_fb(t), 0);
}

/*
 * Make direct flip unsupported on the vGPU, as on Broadwell: the vGPU is
 * set up again while no GVT device has the i915 callbacks.
 */
static void host_make_unsupported(struct host_test *t)
{
	mutex_lock(&t->vgpu->vgpu_lock);
	dflip_host_vgpu_fini(t->vgpu);
	mutex_unlock(&t->vgpu->vgpu_lock);
	dflip_host_fini(t->gvt);
	dflip_host_vgpu_init(t->vgpu);
}

static void host_sysfs_unsupported(struct kunit *test)
{
	struct host_test *t = test->priv;
	struct device *dev = host_vgpu_dev(test, t);
	u32 id;

	host_make_unsupported(t);
	KUNIT_ASSERT_NOT_NULL(test, t->vgpu->dflip);
	KUNIT_EXPECT_FALSE(test, dflip_host_supported(t->vgpu));
	KUNIT_EXPECT_EQ(test, host_sysfs_read(test, dev,
					      HOST_INDEX, &id),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, host_sysfs_read(test, dev,
					      2, &id),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, host_sysfs_write(dev, "1"), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, host_lessee_read(test, dev, &id), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, host_lessee_write(dev, "1"), -EOPNOTSUPP);
}

/*
 * The trap hook is on only while a Gen9 GVT device has direct flip
 * registered: without it, GVT's handlers take a patched jump past it.
 */
static void host_trap_hook_follows_registration(struct kunit *test)
{
	struct host_test *t = test->priv;

	KUNIT_EXPECT_TRUE(test, static_key_enabled(&dflip_host_trap_key));
	host_make_unsupported(t);
	KUNIT_EXPECT_FALSE(test, static_key_enabled(&dflip_host_trap_key));
	dflip_host_init(t->gvt);
	KUNIT_EXPECT_TRUE(test, static_key_enabled(&dflip_host_trap_key));
}

/* VFIO: run the query on a copy of @in in user memory */
static void host_vfio_drm_fb(struct kunit *test)
{
	struct host_test *t = test->priv;
	struct vfio_device_gfx_plane_info in = {
		.argsz = sizeof(in),
		.flags = VFIO_GFX_PLANE_TYPE_DRM_FB,
		.drm_plane_type = DRM_PLANE_TYPE_PRIMARY,
		.reserved = 0,
	}, out;
	struct drm_framebuffer *fb;

	/* probe */
	in.flags |= VFIO_GFX_PLANE_TYPE_PROBE;
	KUNIT_EXPECT_EQ(test, dflip_skl_vfio_query(test, t->vgpu, &in, &out), 0);
	in.flags &= ~VFIO_GFX_PLANE_TYPE_PROBE;

	/* before the guest programs the plane: the default framebuffer */
	KUNIT_EXPECT_EQ(test, dflip_skl_vfio_query(test, t->vgpu, &in, &out), 0);
	KUNIT_EXPECT_EQ(test, out.drm_fb_id, host_plane_fb_id(t, 0));
	KUNIT_EXPECT_NE(test, out.drm_fb_id, 0);
	KUNIT_EXPECT_EQ(test, out.drm_format, DRM_FORMAT_XRGB8888);
	KUNIT_EXPECT_EQ(test, out.drm_format_mod, DRM_FORMAT_MOD_LINEAR);
	KUNIT_EXPECT_EQ(test, out.width, 1024);
	KUNIT_EXPECT_EQ(test, out.height, 768);
	KUNIT_EXPECT_EQ(test, out.stride, 4096);

	host_guest_flip(t, 1920, 1080, HOST_APERTURE);
	fb = host_find_fb(t, 1920, 1080);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_EXPECT_EQ(test, dflip_skl_vfio_query(test, t->vgpu, &in, &out), 0);
	KUNIT_EXPECT_EQ(test, out.drm_fb_id, fb->base.id);
	KUNIT_EXPECT_EQ(test, out.drm_format, DRM_FORMAT_XRGB8888);
	KUNIT_EXPECT_EQ(test, out.drm_format_mod, I915_FORMAT_MOD_X_TILED);
	KUNIT_EXPECT_EQ(test, out.width, 1920);
	KUNIT_EXPECT_EQ(test, out.height, 1080);
	KUNIT_EXPECT_EQ(test, out.stride, 7680);
	KUNIT_EXPECT_EQ(test, out.size, PAGE_ALIGN(7680 * 1080));
	KUNIT_EXPECT_EQ(test, out.reserved, 0);

	/* another pipe's plane is another plane */
	in.reserved = 1;
	KUNIT_EXPECT_EQ(test, dflip_skl_vfio_query(test, t->vgpu, &in, &out), 0);
	KUNIT_EXPECT_EQ(test, out.drm_fb_id, host_plane_fb_id(t, 3));
	KUNIT_EXPECT_NE(test, out.drm_fb_id, fb->base.id);

	/* refusals leave the caller's struct as it was */
	in.reserved = 3;
	KUNIT_EXPECT_EQ(test, dflip_skl_vfio_query(test, t->vgpu, &in, &out), -EINVAL);
	KUNIT_EXPECT_EQ(test, out.reserved, 3);
	KUNIT_EXPECT_EQ(test, out.drm_fb_id, in.drm_fb_id);
	in.reserved = 0;
	in.argsz = offsetofend(struct vfio_device_gfx_plane_info, dmabuf_id);
	KUNIT_EXPECT_EQ(test, dflip_skl_vfio_query(test, t->vgpu, &in, &out), -EINVAL);

	/* Broadwell: unsupported, the probe says so */
	in.argsz = sizeof(in);
	host_make_unsupported(t);
	in.flags |= VFIO_GFX_PLANE_TYPE_PROBE;
	KUNIT_EXPECT_EQ(test, dflip_skl_vfio_query(test, t->vgpu, &in, &out), -EINVAL);
}

/*
 * VFIO close: the framebuffers and their ids stay, but none can be shown
 * again until the guest flips, from the moment VFIO close starts: its
 * pages are about to be unpinned.
 */
static void host_vfio_close(struct kunit *test)
{
	struct host_test *t = test->priv;
	struct intel_crtc_state *crtc_state;
	struct drm_framebuffer *fb;
	struct intel_plane_state *ps;
	u32 id;

	host_guest_flip(t, 1920, 1080, HOST_APERTURE);
	fb = host_find_fb(t, 1920, 1080);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_EXPECT_EQ(test, host_commit(test, t, fb), HOST_APERTURE);
	id = host_plane_fb_id(t, 0);

	ps = kunit_kzalloc(test, sizeof(*ps), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ps);
	ps->uapi.plane = &t->primary->base;
	ps->hw.fb = fb;
	ps->hw.rotation = DRM_MODE_ROTATE_0;

	mutex_lock(&t->vgpu->vgpu_lock);
	dflip_host_vgpu_release(t->vgpu);
	mutex_unlock(&t->vgpu->vgpu_lock);
	/*
	 * Until its take-off commit has run, the framebuffer is still on
	 * the plane: a compositor (or a bound lessee) re-committing it
	 * there must be refused, or KVMGT unpins pages the plane scans.
	 */
	KUNIT_EXPECT_EQ(test, intel_vgpu_fb_plane_check(NULL, ps), -ENODATA);
	/*
	 * The take-off commit disables the plane; the fake device's planes
	 * have no atomic state for drm_framebuffer_remove() to find, so the
	 * test plays that commit's plane disable.
	 */
	crtc_state = kunit_kzalloc(test, sizeof(*crtc_state), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, crtc_state);
	crtc_state->uapi.crtc = &t->crtc->base;
	intel_plane_disable_arm(NULL, t->primary, crtc_state);
	KUNIT_EXPECT_EQ(test, host_plane_fb_id(t, 0), id);
	KUNIT_EXPECT_EQ(test, host_num_fb(t),
			DFLIP_NUM_PLANES);
	KUNIT_EXPECT_NE(test, intel_vgpu_fb_plane_check(NULL, ps), 0);

	/* the next VM's flip makes it showable again */
	host_guest_flip(t, 1920, 1080, HOST_APERTURE + SZ_8M);
	KUNIT_EXPECT_EQ(test, host_plane_fb_id(t, 0), id);
	KUNIT_EXPECT_EQ(test, host_commit(test, t, fb), HOST_APERTURE + SZ_8M);
}

static void host_debugfs_counts(struct kunit *test)
{
	struct host_test *t = test->priv;
	struct seq_file m = { .private = t->vgpu };
	struct drm_framebuffer *fb;
	char line[64];

	m.size = PAGE_SIZE;
	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);

	host_guest_flip(t, 1920, 1080, HOST_APERTURE);
	/* outside the guest: rejected, counted by reason */
	host_guest_flip(t, 1920, 1080, HOST_APERTURE + SZ_64M);
	fb = host_find_fb(t, 1920, 1080);
	KUNIT_ASSERT_NOT_NULL(test, fb);

	dflip_skl_geometry_done(t->vgpu);
	KUNIT_EXPECT_EQ(test, dflip_debugfs_show(&m, NULL), 0);
	snprintf(line, sizeof(line), "pipe_a_primary: fb %u, unassigned\n",
		 fb->base.id);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, line));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, " range 1 "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "geometry: changes 1 "));
	snprintf(line, sizeof(line), "pipe_c_cursor: fb %u, unassigned\n",
		 host_plane_fb_id(t, 8));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, line));
}

static struct kunit_case host_cases[] = {
	KUNIT_CASE(host_guest_plane_to_hw),
	KUNIT_CASE(host_geometry_storm_coalesced),
	KUNIT_CASE(host_sysfs_plane_ids),
	KUNIT_CASE(host_policy_lessee_binding),
	KUNIT_CASE(host_policy_lessee_of_next_master),
	KUNIT_CASE(host_sysfs_unsupported),
	KUNIT_CASE(host_trap_hook_follows_registration),
	KUNIT_CASE(host_vfio_drm_fb),
	KUNIT_CASE(host_vfio_close),
	KUNIT_CASE(host_debugfs_counts),
	{}
};

static struct kunit_suite host_suite = {
	.name = "dflip_host",
	.init = host_test_init,
	.test_cases = host_cases,
};

kunit_test_suite(host_suite);
