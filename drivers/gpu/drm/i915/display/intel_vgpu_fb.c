// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 */

/**
 * DOC: vGPU framebuffers
 *
 * GVT-g local display direct flip exposes every vGPU plane (primary, sprite
 * 0 and cursor of each virtual pipe) as a framebuffer on the i915 DRM
 * device, so that a host compositor can put it on a real display plane
 * with ordinary KMS. Such a framebuffer is an &intel_framebuffer with its
 * own &drm_framebuffer_funcs and no GEM object: its pixels are wherever the
 * guest's plane registers point, inside the guest's graphics memory, and
 * GVT (kvmgt.ko) tells i915 the surface address through the
 * &intel_vgpu_fb_ops it registers with intel_vgpu_fb_set_ops(). i915 never
 * calls kvmgt.ko directly.
 *
 * A vGPU framebuffer belongs to no DRM file: RMFB and CLOSEFB by any
 * client fail with -ENOENT (the core only removes framebuffers found in
 * the caller's &drm_file.fbs), GETFB and GETFB2 report its geometry with
 * no handle, DIRTYFB does nothing. Its metadata never changes; GVT creates
 * a new framebuffer when the guest changes the plane's geometry.
 *
 * Because it has no GEM object, the GEM paths of a plane commit skip it by
 * construction: intel_prepare_plane_fb() and intel_cleanup_plane_fb()
 * return early without an object (no pinning, no fences), its
 * &intel_framebuffer.frontbuffer is NULL (frontbuffer tracking is a no-op),
 * and the places that would dereference a GGTT VMA or the object call into
 * this file instead: intel_plane_pin_fb() (the legacy cursor path pins
 * directly), skl_plane_surf() and intel_cursor_base() (the surface from
 * GVT), intel_fbc_check_plane() (no FBC) and the debugfs framebuffer list.
 * intel_vgpu_fb_plane_check() refuses what would need a GEM object or a
 * remapped GGTT view: pre-Gen9 display, 90/270 rotation, a stride above the
 * plane's limit, asynchronous flips.
 *
 * Who may show a vGPU framebuffer is GVT's policy, not i915's: its id is a
 * small integer any DRM client can guess, so DRM asks i915 at every lookup
 * by a client (&drm_framebuffer_funcs.lookup_allowed).
 * intel_vgpu_fb_lookup_allowed() describes the client (a lessee and which
 * lease, CAP_SYS_ADMIN of the caller) in an &intel_vgpu_fb_client and asks
 * &intel_vgpu_fb_ops.may_reference; every ioctl that takes the id then
 * answers a refused client as for an object outside its lease: -ENOENT
 * from the legacy ones, an atomic FB_ID taken as 0 (no framebuffer).
 *
 * Locking: intel_vgpu_fb_lock (a spinlock, taken irqsave) protects the
 * registered ops, the list of vGPU framebuffers, and each framebuffer's
 * owner and hardware plane. The ops are called with it held.
 */

#include <linux/capability.h>
#include <linux/idr.h>
#include <linux/limits.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/user_namespace.h>

#include <drm/drm_atomic.h>
#include <drm/drm_auth.h>
#include <drm/drm_blend.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_modeset_helper.h>
#include <drm/drm_plane.h>

#include "i915_drv.h"
#include "intel_display_types.h"
#include "intel_fb.h"
#include "intel_vgpu_fb.h"

/**
 * struct intel_vgpu_fb - a vGPU plane as a host framebuffer
 * @base: the framebuffer (no GEM object, no frontbuffer)
 * @cursor: made for a cursor plane (the rest of its geometry is @base's)
 * @owner: GVT's opaque pointer, NULL once detached
 * @dying: intel_vgpu_fb_destroy() started: no new assignment
 * @hw: the hardware plane i915 last programmed with it (@hw.plane NULL if
 *	none): GVT may flip onto that plane
 * @link: entry in intel_vgpu_fbs
 * @clear_link: entry in intel_vgpu_fb_clear_ops()' private list
 */
struct intel_vgpu_fb {
	struct intel_framebuffer base;
	bool cursor;
	void *owner;
	bool dying;
	struct intel_vgpu_fb_plane hw;
	struct list_head link;
	struct list_head clear_link;
};

static DEFINE_SPINLOCK(intel_vgpu_fb_lock);
static LIST_HEAD(intel_vgpu_fbs);
/*
 * The planes whose noarm writes of the running commit wait for its arm
 * (intel_vgpu_fb_plane_update_noarm()), by pipe and plane id. vGPU
 * framebuffers exist on one device only; a slot holds the plane itself, so
 * a plane of another device with the same pipe and id never matches it.
 */
static struct intel_plane *intel_vgpu_fb_noarm_deferred[I915_MAX_PIPES][I915_MAX_PLANES];
static const struct intel_vgpu_fb_ops *intel_vgpu_fb_ops;
static bool intel_vgpu_fb_closing;
/* serializes intel_vgpu_fb_set_ops() and intel_vgpu_fb_clear_ops() */
static DEFINE_MUTEX(intel_vgpu_fb_ops_mutex);

static const struct drm_framebuffer_funcs intel_vgpu_fb_funcs;

static struct intel_vgpu_fb *to_intel_vgpu_fb(const struct drm_framebuffer *fb)
{
	return container_of(fb, struct intel_vgpu_fb, base.base);
}

/**
 * intel_vgpu_fb_is_vgpu - is this a vGPU framebuffer?
 * @fb: a framebuffer, or NULL
 *
 * Return: true if @fb was created by intel_vgpu_fb_create().
 */
bool intel_vgpu_fb_is_vgpu(const struct drm_framebuffer *fb)
{
	return fb && fb->funcs == &intel_vgpu_fb_funcs;
}

/* The ops to call for @vfb, NULL once it is detached from its owner. */
static const struct intel_vgpu_fb_ops *
intel_vgpu_fb_ops_locked(const struct intel_vgpu_fb *vfb)
{
	lockdep_assert_held(&intel_vgpu_fb_lock);

	return vfb->owner ? intel_vgpu_fb_ops : NULL;
}

static void intel_vgpu_fb_fill_plane(struct intel_vgpu_fb_plane *hw,
				     struct intel_plane *plane,
				     const struct intel_plane_state *plane_state)
{
	hw->drm = plane->base.dev;
	hw->crtc = plane_state->hw.crtc;
	hw->plane = &plane->base;
	hw->pipe = plane->pipe;
	hw->id = plane->id;
	hw->src = plane_state->uapi.src;
	hw->dst = plane_state->uapi.dst;
	hw->x = plane_state->view.color_plane[0].x;
	hw->y = plane_state->view.color_plane[0].y;
}

/* i915 takes @vfb off its hardware plane: GVT stops flipping onto it. */
static void intel_vgpu_fb_unassign_locked(struct intel_vgpu_fb *vfb)
{
	const struct intel_vgpu_fb_ops *ops = intel_vgpu_fb_ops_locked(vfb);
	struct intel_vgpu_fb_plane hw = vfb->hw;

	lockdep_assert_held(&intel_vgpu_fb_lock);

	if (!hw.plane)
		return;
	vfb->hw.plane = NULL;
	vfb->hw.crtc = NULL;
	if (ops && ops->unassign)
		ops->unassign(vfb->owner, &hw);
}

/* i915 reprograms @vfb's hardware plane with @vfb: GVT pauses. */
static void intel_vgpu_fb_hold_locked(struct intel_vgpu_fb *vfb)
{
	const struct intel_vgpu_fb_ops *ops = intel_vgpu_fb_ops_locked(vfb);

	lockdep_assert_held(&intel_vgpu_fb_lock);

	if (ops && ops->hold)
		ops->hold(vfb->owner, &vfb->hw);
}

/* No callback runs for @vfb once this returns. */
static void intel_vgpu_fb_detach_locked(struct intel_vgpu_fb *vfb)
{
	intel_vgpu_fb_unassign_locked(vfb);
	vfb->owner = NULL;
}

static void intel_vgpu_fb_free(struct drm_framebuffer *fb)
{
	struct intel_vgpu_fb *vfb = to_intel_vgpu_fb(fb);
	unsigned long flags;

	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	/* the hardware plane was reprogrammed before its last state went */
	drm_WARN_ON(fb->dev, vfb->hw.plane);
	drm_WARN_ON(fb->dev, vfb->owner);
	list_del(&vfb->link);
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);

	drm_framebuffer_cleanup(fb);
	kfree(vfb);
}

static int intel_vgpu_fb_create_handle(struct drm_framebuffer *fb,
				       struct drm_file *file,
				       unsigned int *handle)
{
	/* No GEM object: GETFB/GETFB2 report the geometry and no handle. */
	*handle = 0;
	return 0;
}

static int intel_vgpu_fb_dirty(struct drm_framebuffer *fb,
			       struct drm_file *file, unsigned int flags,
			       unsigned int color, struct drm_clip_rect *clips,
			       unsigned int num_clips)
{
	/* GVT flips the guest's frames itself: nothing to flush. */
	return 0;
}

/* A lease is revoked when its lessor took all of its objects back. */
static bool intel_vgpu_fb_lease_live(struct drm_master *lessee)
{
	struct drm_device *drm = lessee->dev;
	bool live;

	mutex_lock(&drm->mode_config.idr_mutex);
	live = !idr_is_empty(&lessee->leases);
	mutex_unlock(&drm->mode_config.idr_mutex);
	return live;
}

/*
 * Describe the DRM client with master @master (NULL for none), outside any
 * spinlock; the caller holds @master until the description is used. The
 * capability matters only for a client that is not a lessee; it is asked
 * without an audit record, so that a compositor that is not root (whose
 * lookup is refused) does not fill the audit log at every lookup.
 */
static void intel_vgpu_fb_client_of(struct drm_master *master,
				    struct intel_vgpu_fb_client *client)
{
	if (master && master->lessor) {
		client->lessee = true;
		if (intel_vgpu_fb_lease_live(master))
			client->lease = master;
		return;
	}
	client->sys_admin = ns_capable_noaudit(&init_user_ns, CAP_SYS_ADMIN);
}

static bool intel_vgpu_fb_lookup_allowed(struct drm_framebuffer *fb,
					 struct drm_file *file)
{
	struct intel_vgpu_fb *vfb = to_intel_vgpu_fb(fb);
	struct drm_master *master = drm_file_get_master(file);
	struct intel_vgpu_fb_client client = {};
	const struct intel_vgpu_fb_ops *ops;
	unsigned long flags;
	bool allowed = false;

	intel_vgpu_fb_client_of(master, &client);

	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	ops = intel_vgpu_fb_ops_locked(vfb);
	if (ops && ops->may_reference)
		allowed = ops->may_reference(vfb->owner, &client);
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);

	if (!allowed)
		drm_dbg_kms(fb->dev,
			    "vGPU [FB:%d] refused to %s %u%s%s\n", fb->base.id,
			    client.lessee ? "lessee" : "client",
			    client.lessee ? master->lessee_id : 0,
			    client.lessee && !client.lease ? " (revoked)" : "",
			    client.sys_admin ? " (CAP_SYS_ADMIN)" : "");
	if (master)
		drm_master_put(&master);
	return allowed;
}

static const struct drm_framebuffer_funcs intel_vgpu_fb_funcs = {
	.destroy = intel_vgpu_fb_free,
	.create_handle = intel_vgpu_fb_create_handle,
	.dirty = intel_vgpu_fb_dirty,
	.lookup_allowed = intel_vgpu_fb_lookup_allowed,
};

static bool intel_vgpu_fb_modifier_ok(u64 modifier)
{
	switch (modifier) {
	case DRM_FORMAT_MOD_LINEAR:
	case I915_FORMAT_MOD_X_TILED:
	case I915_FORMAT_MOD_Y_TILED:
	case I915_FORMAT_MOD_Yf_TILED:
		return true;
	default:
		return false;
	}
}

static bool intel_vgpu_fb_cursor_ok(const struct intel_vgpu_fb_geometry *info)
{
	if (info->format != DRM_FORMAT_ARGB8888 ||
	    info->modifier != DRM_FORMAT_MOD_LINEAR)
		return false;
	if (info->width != info->height || info->stride != info->width * 4)
		return false;
	return info->width == 64 || info->width == 128 || info->width == 256;
}

static int intel_vgpu_fb_check_info(struct drm_i915_private *i915,
				    struct drm_framebuffer *fb,
				    const struct intel_vgpu_fb_geometry *info)
{
	const struct drm_mode_config *config = &i915->drm.mode_config;
	unsigned int align;

	/* packed formats only: no CCS, no semiplanar YUV */
	if (fb->format->num_planes != 1)
		return -EINVAL;
	if (!info->width || !info->height ||
	    info->width > config->max_width || info->height > config->max_height)
		return -EINVAL;
	if (info->stride < mul_u32_u32(info->width, fb->format->cpp[0]) ||
	    mul_u32_u32(info->stride, info->height) > U32_MAX)
		return -EINVAL;
	if (info->cursor && !intel_vgpu_fb_cursor_ok(info))
		return -EINVAL;

	if (info->modifier == DRM_FORMAT_MOD_LINEAR)
		align = 64;
	else
		align = intel_tile_width_bytes(fb, 0);
	if (!align || info->stride % align)
		return -EINVAL;

	return 0;
}

/**
 * intel_vgpu_fb_create - create the framebuffer of a vGPU plane
 * @drm: the i915 device
 * @info: its geometry
 * @owner: GVT's pointer for the &intel_vgpu_fb_ops callbacks (not NULL)
 *
 * The framebuffer is registered on @drm (its id is &drm_framebuffer.base.id)
 * and owned by no DRM file; a DRM client finds it by id only if
 * &intel_vgpu_fb_ops.may_reference allows it. Needs Gen9+ display and
 * registered ops. Process context; may sleep.
 *
 * Return: the framebuffer, or an ERR_PTR(): -EINVAL for a geometry no
 * plane of @drm can show, -ENODEV without Gen9+ display or without
 * registered ops, -ENOMEM.
 */
struct drm_framebuffer *intel_vgpu_fb_create(struct drm_device *drm,
					     const struct intel_vgpu_fb_geometry *info,
					     void *owner)
{
	struct drm_i915_private *i915 = to_i915(drm);
	struct drm_mode_fb_cmd2 cmd = {
		.width = info->width,
		.height = info->height,
		.pixel_format = info->format,
		.flags = DRM_MODE_FB_MODIFIERS,
		.pitches = { info->stride },
		.modifier = { info->modifier },
	};
	struct intel_vgpu_fb *vfb;
	struct drm_framebuffer *fb;
	unsigned long flags;
	int ret;

	if (!owner)
		return ERR_PTR(-EINVAL);
	if (DISPLAY_VER(i915) < 9 || !HAS_DISPLAY(i915))
		return ERR_PTR(-ENODEV);
	/* before anything looks the format up: only known formats pass */
	if (!intel_vgpu_fb_modifier_ok(info->modifier) ||
	    !drm_any_plane_has_format(drm, info->format, info->modifier))
		goto err_refused;

	vfb = kzalloc(sizeof(*vfb), GFP_KERNEL);
	if (!vfb)
		return ERR_PTR(-ENOMEM);
	fb = &vfb->base.base;

	drm_helper_mode_fill_fb_struct(drm, fb, &cmd);
	if (intel_vgpu_fb_check_info(i915, fb, info)) {
		kfree(vfb);
		goto err_refused;
	}

	vfb->cursor = info->cursor;
	vfb->owner = owner;
	INIT_LIST_HEAD(&vfb->clear_link);
	/* one view, the normal one: no remapping, no rotation */
	vfb->base.normal_view.gtt.type = I915_GTT_VIEW_NORMAL;
	vfb->base.normal_view.color_plane[0].mapping_stride = info->stride;
	vfb->base.normal_view.color_plane[0].scanout_stride = info->stride;

	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	if (!intel_vgpu_fb_ops || intel_vgpu_fb_closing) {
		spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);
		ret = -ENODEV;
		goto err_free;
	}
	list_add_tail(&vfb->link, &intel_vgpu_fbs);
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);

	ret = drm_framebuffer_init(drm, fb, &intel_vgpu_fb_funcs);
	if (ret) {
		spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
		list_del(&vfb->link);
		spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);
		goto err_free;
	}

	return fb;

err_free:
	kfree(vfb);
	return ERR_PTR(ret);

err_refused:
	drm_dbg_kms(drm, "vGPU fb %p4cc 0x%llx %ux%u stride %u%s refused\n",
		    &info->format, info->modifier, info->width, info->height,
		    info->stride, info->cursor ? " (cursor)" : "");
	return ERR_PTR(-EINVAL);
}
EXPORT_SYMBOL_NS_GPL(intel_vgpu_fb_create, I915_GVT);

/* Take @fb off every plane; the caller holds a reference of its own. */
static void intel_vgpu_fb_remove_from_planes(struct drm_framebuffer *fb)
{
	drm_framebuffer_get(fb);
	/* an atomic commit, as for RMFB; drops the reference taken above */
	drm_framebuffer_remove(fb);
}

/**
 * intel_vgpu_fb_take_off - take a vGPU framebuffer off every plane
 * @fb: a framebuffer from intel_vgpu_fb_create()
 *
 * An atomic commit with the semantics of drm_framebuffer_remove() (which
 * may disable a CRTC whose primary plane cannot be disabled alone), so
 * that no hardware plane scans @fb out any more; the framebuffer and its
 * id stay, and a client may show it again later.
 *
 * Process context, without modeset locks held and without any lock an
 * &intel_vgpu_fb_ops callback takes.
 */
void intel_vgpu_fb_take_off(struct drm_framebuffer *fb)
{
	if (fb && intel_vgpu_fb_is_vgpu(fb))
		intel_vgpu_fb_remove_from_planes(fb);
}
EXPORT_SYMBOL_NS_GPL(intel_vgpu_fb_take_off, I915_GVT);

/**
 * intel_vgpu_fb_lessee_get - find a lessee of the device's current master
 * @drm: the DRM device
 * @lessee_id: a lessee id, as DRM_IOCTL_MODE_CREATE_LEASE returned it
 *
 * Lessee ids are numbers of each lessor's own (every master's first lease
 * gets 1), so an id means a lease only together with its lessor: this one
 * resolves @lessee_id against the master the device has now, the one that
 * just made the lease, and returns that lessee's DRM master, whose pointer
 * identifies the lease for &intel_vgpu_fb_client.lease from then on
 * whichever master the device has later. Another master's lessee with the
 * same id, or a later lease that gets the number again, is not the same
 * lessee.
 *
 * Process context, without modeset locks held.
 *
 * Return: a reference to the lessee's master, to be dropped with
 * drm_master_put(); ERR_PTR(-ENOENT) if the device has no master or its
 * master has no lessee @lessee_id with a lease not revoked.
 */
struct drm_master *intel_vgpu_fb_lessee_get(struct drm_device *drm,
					    u32 lessee_id)
{
	struct drm_master *lessor, *lessee = NULL;

	mutex_lock(&drm->master_mutex);
	lessor = drm->master;
	if (lessor && lessee_id <= INT_MAX) {
		mutex_lock(&drm->mode_config.idr_mutex);
		lessee = idr_find(&lessor->lessee_idr, lessee_id);
		if (lessee && !idr_is_empty(&lessee->leases))
			drm_master_get(lessee);
		else
			lessee = NULL;
		mutex_unlock(&drm->mode_config.idr_mutex);
	}
	mutex_unlock(&drm->master_mutex);
	return lessee ?: ERR_PTR(-ENOENT);
}
EXPORT_SYMBOL_NS_GPL(intel_vgpu_fb_lessee_get, I915_GVT);

/**
 * intel_vgpu_fb_destroy - destroy the framebuffer of a vGPU plane
 * @fb: a framebuffer from intel_vgpu_fb_create(), or NULL
 *
 * Its id is released first, so no client can look it up any more; then it
 * is taken off every plane with an atomic commit (the semantics of
 * drm_framebuffer_remove(), which may disable a CRTC whose primary plane
 * cannot be disabled alone), so that no hardware plane scans it out; then
 * it is detached from its owner: no &intel_vgpu_fb_ops callback runs or
 * starts for it once this returns, and GVT may free the owner. The memory
 * goes when the last reference does.
 *
 * Process context, without modeset locks held and without any lock an
 * &intel_vgpu_fb_ops callback takes.
 */
void intel_vgpu_fb_destroy(struct drm_framebuffer *fb)
{
	struct intel_vgpu_fb *vfb;
	unsigned long flags;

	if (!fb)
		return;
	if (drm_WARN_ON(fb->dev, !intel_vgpu_fb_is_vgpu(fb)))
		return;
	vfb = to_intel_vgpu_fb(fb);

	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	vfb->dying = true;
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);

	drm_framebuffer_unregister_private(fb);
	intel_vgpu_fb_remove_from_planes(fb);

	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	intel_vgpu_fb_detach_locked(vfb);
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);

	drm_framebuffer_put(fb);
}
EXPORT_SYMBOL_NS_GPL(intel_vgpu_fb_destroy, I915_GVT);

/**
 * intel_vgpu_fb_set_ops - register GVT's vGPU framebuffer callbacks
 * @ops: the callbacks; @ops->surface is required
 *
 * Called by kvmgt at module load. Framebuffers can be created only while
 * ops are registered.
 *
 * Return: 0, -EINVAL without @ops->surface, -EBUSY if ops are registered.
 */
int intel_vgpu_fb_set_ops(const struct intel_vgpu_fb_ops *ops)
{
	unsigned long flags;
	int ret = 0;

	if (!ops || !ops->surface)
		return -EINVAL;

	mutex_lock(&intel_vgpu_fb_ops_mutex);
	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	if (intel_vgpu_fb_ops)
		ret = -EBUSY;
	else
		intel_vgpu_fb_ops = ops;
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);
	mutex_unlock(&intel_vgpu_fb_ops_mutex);

	return ret;
}
EXPORT_SYMBOL_NS_GPL(intel_vgpu_fb_set_ops, I915_GVT);

/**
 * intel_vgpu_fb_clear_ops - unregister GVT's vGPU framebuffer callbacks
 * @ops: the callbacks given to intel_vgpu_fb_set_ops()
 *
 * Called by kvmgt at module unload. First every vGPU framebuffer is taken
 * off the hardware (new commits with one are refused from the start), then
 * every framebuffer still alive is detached from its owner and the ops are
 * dropped: once this returns no callback runs or can start, and the module
 * that registered @ops may go. Framebuffers that GVT did not destroy keep
 * their ids until intel_vgpu_fb_destroy(); they can no longer be shown.
 *
 * Process context, without modeset locks held.
 */
void intel_vgpu_fb_clear_ops(const struct intel_vgpu_fb_ops *ops)
{
	struct intel_vgpu_fb *vfb, *next;
	unsigned long flags;
	LIST_HEAD(fbs);

	mutex_lock(&intel_vgpu_fb_ops_mutex);
	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	if (WARN_ON(!ops || intel_vgpu_fb_ops != ops)) {
		spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);
		mutex_unlock(&intel_vgpu_fb_ops_mutex);
		return;
	}
	/* no assignment from here on; unassign still reaches GVT */
	list_for_each_entry(vfb, &intel_vgpu_fbs, link) {
		if (kref_get_unless_zero(&vfb->base.base.base.refcount))
			list_add_tail(&vfb->clear_link, &fbs);
	}
	intel_vgpu_fb_closing = true;
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);

	list_for_each_entry_safe(vfb, next, &fbs, clear_link) {
		list_del_init(&vfb->clear_link);
		/* drops the reference taken above */
		drm_framebuffer_remove(&vfb->base.base);
	}

	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	intel_vgpu_fb_closing = false;
	list_for_each_entry(vfb, &intel_vgpu_fbs, link)
		intel_vgpu_fb_detach_locked(vfb);
	intel_vgpu_fb_ops = NULL;
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);
	mutex_unlock(&intel_vgpu_fb_ops_mutex);
}
EXPORT_SYMBOL_NS_GPL(intel_vgpu_fb_clear_ops, I915_GVT);

/* Is @fb on another plane than @plane in the new states of @state? */
static bool intel_vgpu_fb_mirrored(struct drm_atomic_state *state,
				   const struct drm_framebuffer *fb,
				   const struct drm_plane *plane)
{
	struct drm_plane_state *new_state;
	struct drm_plane *other;
	int i;

	if (!state)
		return false;
	for_each_new_plane_in_state(state, other, new_state, i)
		if (other != plane && new_state->fb == fb)
			return true;
	return false;
}

/* Does the commit of @state take @fb off its current hardware plane? */
static bool intel_vgpu_fb_moves(struct drm_atomic_state *state,
				const struct intel_vgpu_fb *vfb)
{
	struct drm_plane_state *new_state;

	if (!state)
		return false;
	new_state = drm_atomic_get_new_plane_state(state, vfb->hw.plane);
	return new_state && new_state->fb != &vfb->base.base;
}

/**
 * intel_vgpu_fb_plane_check - atomic check of a plane showing a vGPU fb
 * @crtc_state: the new CRTC state
 * @plane_state: the new plane state
 *
 * Called before the plane's own check. Refuses (-EINVAL) a vGPU
 * framebuffer on pre-Gen9 display, a cursor framebuffer on a non-cursor
 * plane or the reverse, 90/270 rotation and a stride above the plane's
 * limit (both need a remapped GGTT view of a GEM object), and asynchronous
 * flips. Refuses with -EBUSY a framebuffer that would be on two planes
 * (mirroring), -ENODEV one being destroyed or without GVT, and whatever
 * &intel_vgpu_fb_ops.check refuses.
 *
 * Return: 0 if the plane state is not refused, a negative error code.
 */
int intel_vgpu_fb_plane_check(const struct intel_crtc_state *crtc_state,
			      const struct intel_plane_state *plane_state)
{
	struct intel_plane *plane = to_intel_plane(plane_state->uapi.plane);
	struct drm_atomic_state *state = plane_state->uapi.state;
	const struct drm_framebuffer *fb = plane_state->hw.fb;
	const struct intel_vgpu_fb_ops *ops;
	struct drm_i915_private *i915;
	struct intel_vgpu_fb_plane hw;
	struct intel_vgpu_fb *vfb;
	unsigned long flags;
	bool cursor_plane;
	int ret = 0;

	if (!intel_vgpu_fb_is_vgpu(fb))
		return 0;
	vfb = to_intel_vgpu_fb(fb);
	i915 = to_i915(fb->dev);
	cursor_plane = plane->id == PLANE_CURSOR;

	if (DISPLAY_VER(i915) < 9 || vfb->cursor != cursor_plane ||
	    drm_rotation_90_or_270(plane_state->hw.rotation) ||
	    (plane->max_stride &&
	     fb->pitches[0] > plane->max_stride(plane, fb->format->format,
						fb->modifier,
						plane_state->hw.rotation)) ||
	    (crtc_state && crtc_state->uapi.async_flip)) {
		drm_dbg_kms(fb->dev,
			    "[PLANE:%d:%s] cannot show vGPU [FB:%d]\n",
			    plane->base.base.id, plane->base.name, fb->base.id);
		return -EINVAL;
	}

	if (intel_vgpu_fb_mirrored(state, fb, &plane->base))
		return -EBUSY;

	intel_vgpu_fb_fill_plane(&hw, plane, plane_state);

	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	ops = intel_vgpu_fb_ops_locked(vfb);
	if (!ops || vfb->dying || intel_vgpu_fb_closing)
		ret = -ENODEV;
	else if (vfb->hw.plane && vfb->hw.plane != &plane->base &&
		 !intel_vgpu_fb_moves(state, vfb))
		ret = -EBUSY;
	else if (ops->check)
		ret = ops->check(vfb->owner, &hw);
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);

	if (ret)
		drm_dbg_kms(fb->dev, "[PLANE:%d:%s] vGPU [FB:%d] refused: %d\n",
			    plane->base.base.id, plane->base.name, fb->base.id,
			    ret);
	return ret;
}

/* Update @plane's vGPU framebuffer for @fb; true if @plane showed one. */
static bool intel_vgpu_fb_plane_update_locked(struct intel_plane *plane,
					      const struct drm_framebuffer *fb)
{
	struct intel_vgpu_fb *vfb;

	lockdep_assert_held(&intel_vgpu_fb_lock);
	list_for_each_entry(vfb, &intel_vgpu_fbs, link) {
		if (vfb->hw.plane != &plane->base)
			continue;
		if (&vfb->base.base == fb)
			intel_vgpu_fb_hold_locked(vfb);
		else
			intel_vgpu_fb_unassign_locked(vfb);
		return true;
	}
	return false;
}

/**
 * intel_vgpu_fb_plane_update - i915 is about to program a plane
 * @plane: the plane
 * @plane_state: the state it is programmed with, NULL to disable it
 *
 * Called before any register of @plane is written (noarm, arm, disable).
 * If the vGPU framebuffer last programmed on @plane is not the one of
 * @plane_state, GVT is told to stop flipping onto @plane
 * (&intel_vgpu_fb_ops.unassign); if it is, GVT is told to pause until
 * i915 armed the plane (&intel_vgpu_fb_ops.hold), because even with the
 * same framebuffer the compositor may change the position, size and
 * source offset, and a guest flip arming half of i915's writes could
 * make the plane read past the framebuffer. Any context.
 */
void intel_vgpu_fb_plane_update(struct intel_plane *plane,
				const struct intel_plane_state *plane_state)
{
	const struct drm_framebuffer *fb = plane_state ? plane_state->hw.fb : NULL;
	unsigned long flags;

	if (list_empty(&intel_vgpu_fbs))
		return;

	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	intel_vgpu_fb_plane_update_locked(plane, fb);
	if (!plane_state &&
	    intel_vgpu_fb_noarm_deferred[plane->pipe][plane->id] == plane)
		intel_vgpu_fb_noarm_deferred[plane->pipe][plane->id] = NULL;
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);
}

/**
 * intel_vgpu_fb_plane_update_noarm - i915 is about to write a plane's
 *	noarm registers
 * @plane: the plane
 * @plane_state: the state it is programmed with
 *
 * As intel_vgpu_fb_plane_update(), and decides where the plane's noarm
 * registers (stride, position, size, watermarks and DDB) are written when
 * @plane shows a vGPU framebuffer or is about to. A Gen9 universal plane
 * cannot be disarmed: a guest flip GVT armed before the hold latches at
 * the next vblank, and noarm registers written outside vblank evasion
 * before it would latch with it, a larger source rectangle on the guest's
 * old frame. So the noarm writes of such a plane wait for its arm, inside
 * vblank evasion (intel_vgpu_fb_plane_update_arm()), where i915's own
 * surface write follows them before any vblank: the plane latches either
 * the old state whole or the new one whole. Any context (the legacy
 * cursor path calls it with interrupts off).
 *
 * Return: true if i915 must skip the noarm writes now.
 */
bool intel_vgpu_fb_plane_update_noarm(struct intel_plane *plane,
				      const struct intel_plane_state *plane_state)
{
	bool defer = intel_vgpu_fb_is_vgpu(plane_state->hw.fb);
	unsigned long flags;

	if (!defer && list_empty(&intel_vgpu_fbs))
		return false;

	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	if (intel_vgpu_fb_plane_update_locked(plane, plane_state->hw.fb))
		defer = true;
	if (defer)
		intel_vgpu_fb_noarm_deferred[plane->pipe][plane->id] = plane;
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);
	return defer;
}

/**
 * intel_vgpu_fb_plane_update_arm - i915 is about to arm a plane
 * @dsb: the DSB of the update, NULL for MMIO
 * @plane: the plane
 * @crtc_state: the state of its CRTC
 * @plane_state: the state it is programmed with
 *
 * As intel_vgpu_fb_plane_update(), then the noarm writes that
 * intel_vgpu_fb_plane_update_noarm() held back for this arm, right before
 * i915's arm writes. Inside vblank evasion, interrupts off.
 */
void intel_vgpu_fb_plane_update_arm(struct intel_dsb *dsb,
				    struct intel_plane *plane,
				    const struct intel_crtc_state *crtc_state,
				    const struct intel_plane_state *plane_state)
{
	struct intel_plane **slot =
		&intel_vgpu_fb_noarm_deferred[plane->pipe][plane->id];
	bool deferred = false;
	unsigned long flags;

	intel_vgpu_fb_plane_update(plane, plane_state);
	if (!READ_ONCE(*slot))
		return;

	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	if (*slot == plane) {
		*slot = NULL;
		deferred = true;
	}
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);
	if (deferred && plane->update_noarm)
		plane->update_noarm(dsb, plane, crtc_state, plane_state);
}

/**
 * intel_vgpu_fb_surface - the surface to program for a vGPU framebuffer
 * @plane_state: a plane state whose framebuffer is a vGPU framebuffer
 *
 * Stands for intel_plane_ggtt_offset() of a GEM framebuffer: the GGTT
 * address of pixel (0, 0), from &intel_vgpu_fb_ops.surface. Any context.
 *
 * Return: the GGTT address; 0 (with a warning) for a framebuffer already
 * detached from GVT, which the atomic check keeps off every plane.
 */
u32 intel_vgpu_fb_surface(const struct intel_plane_state *plane_state)
{
	struct intel_plane *plane = to_intel_plane(plane_state->uapi.plane);
	const struct drm_framebuffer *fb = plane_state->hw.fb;
	const struct intel_vgpu_fb_ops *ops;
	struct intel_vgpu_fb_plane hw;
	struct intel_vgpu_fb *vfb;
	unsigned long flags;
	u32 surf = 0;

	if (drm_WARN_ON(plane->base.dev, !intel_vgpu_fb_is_vgpu(fb)))
		return 0;
	vfb = to_intel_vgpu_fb(fb);
	intel_vgpu_fb_fill_plane(&hw, plane, plane_state);

	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	ops = intel_vgpu_fb_ops_locked(vfb);
	if (ops)
		surf = ops->surface(vfb->owner, &hw);
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);

	drm_WARN_ON_ONCE(plane->base.dev, !ops);
	return surf;
}

/**
 * intel_vgpu_fb_plane_armed - i915 programmed a plane
 * @plane: the plane
 * @plane_state: the state it was programmed with
 *
 * Called after the arming register of @plane was written. If the state
 * shows a vGPU framebuffer, GVT may flip onto @plane from now on:
 * &intel_vgpu_fb_ops.assign the first time, &intel_vgpu_fb_ops.surface_done
 * when @plane already had it. A framebuffer recorded on another plane is
 * moving there in this commit (the atomic check refuses mirroring): GVT is
 * told to let go of the old plane (&intel_vgpu_fb_ops.unassign) and then
 * assigned the new one, whatever order the commit programs them in. Any
 * context.
 */
void intel_vgpu_fb_plane_armed(struct intel_plane *plane,
			       const struct intel_plane_state *plane_state)
{
	const struct drm_framebuffer *fb = plane_state->hw.fb;
	const struct intel_vgpu_fb_ops *ops;
	struct intel_vgpu_fb *vfb;
	unsigned long flags;

	if (!intel_vgpu_fb_is_vgpu(fb))
		return;
	vfb = to_intel_vgpu_fb(fb);

	spin_lock_irqsave(&intel_vgpu_fb_lock, flags);
	ops = intel_vgpu_fb_ops_locked(vfb);
	if (!ops) {
		/* nobody to tell */
	} else if (vfb->hw.plane == &plane->base) {
		/* the compositor may have moved or resized it */
		intel_vgpu_fb_fill_plane(&vfb->hw, plane, plane_state);
		if (ops->surface_done)
			ops->surface_done(vfb->owner, &vfb->hw);
	} else if (!vfb->dying && !intel_vgpu_fb_closing) {
		/*
		 * Moved within one commit, whose tail may arm the new plane
		 * before it reprograms the old one (skl_next_plane_to_commit()):
		 * GVT lets go of the old plane first.
		 */
		intel_vgpu_fb_unassign_locked(vfb);
		intel_vgpu_fb_fill_plane(&vfb->hw, plane, plane_state);
		if (ops->assign)
			ops->assign(vfb->owner, &vfb->hw);
	}
	spin_unlock_irqrestore(&intel_vgpu_fb_lock, flags);
}
