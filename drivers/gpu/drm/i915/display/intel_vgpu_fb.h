/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The GVT-g direct flip authors
 */

#ifndef __INTEL_VGPU_FB_H__
#define __INTEL_VGPU_FB_H__

#include <linux/err.h>
#include <linux/types.h>

#include <drm/drm_rect.h>

#include "intel_display_limits.h"

struct drm_crtc;
struct drm_device;
struct drm_framebuffer;
struct drm_master;
struct drm_plane;
struct intel_crtc_state;
struct intel_dsb;
struct intel_plane;
struct intel_plane_state;

/**
 * struct intel_vgpu_fb_geometry - the immutable geometry of a vGPU framebuffer
 * @format: DRM fourcc, a single-plane format
 * @modifier: DRM_FORMAT_MOD_LINEAR or I915_FORMAT_MOD_{X,Y,Yf}_TILED
 * @width: width in pixels
 * @height: height in pixels
 * @stride: bytes per row (per tile row for tiled layouts)
 * @cursor: the framebuffer of a vGPU cursor: only a cursor plane can show
 *	it, and a cursor plane can show no other vGPU framebuffer
 */
struct intel_vgpu_fb_geometry {
	u32 format;
	u64 modifier;
	u32 width;
	u32 height;
	u32 stride;
	bool cursor;
};

/**
 * struct intel_vgpu_fb_plane - the hardware plane a vGPU framebuffer is on
 * @drm: the i915 device
 * @crtc: the CRTC of @plane (GVT takes its vblank references on it)
 * @plane: the hardware plane
 * @pipe: the pipe of @plane
 * @id: the hardware plane: PLANE_1 (primary), PLANE_2.. (sprites) or
 *	PLANE_CURSOR
 * @src: the part of the framebuffer shown, 16.16 fixed point
 * @dst: where on the CRTC, in pixels
 * @x: the x offset i915 programs in PLANE_OFFSET for @src, from the
 *	surface it programs (the remainder of the source offset that is not
 *	in the surface address)
 * @y: the y offset, likewise
 */
struct intel_vgpu_fb_plane {
	struct drm_device *drm;
	struct drm_crtc *crtc;
	struct drm_plane *plane;
	enum pipe pipe;
	enum plane_id id;
	struct drm_rect src;
	struct drm_rect dst;
	u32 x;
	u32 y;
};

/**
 * struct intel_vgpu_fb_client - the DRM client looking up a vGPU framebuffer
 * @lessee: the client's DRM file is a lessee (its master has a lessor)
 * @lease: the client's DRM master while its lease is not revoked, NULL
 *	otherwise: an identity to compare with a master from
 *	intel_vgpu_fb_lessee_get(), valid for the lookup only
 * @sys_admin: the client is not a lessee and the calling task has
 *	CAP_SYS_ADMIN in the initial user namespace, asked at the time of the
 *	lookup (ns_capable_noaudit(): a refusal is not audited); false for a
 *	lessee
 */
struct intel_vgpu_fb_client {
	bool lessee;
	const struct drm_master *lease;
	bool sys_admin;
};

/**
 * struct intel_vgpu_fb_ops - what i915 asks GVT about its framebuffers
 *
 * Registered by kvmgt with intel_vgpu_fb_set_ops(). Every callback gets the
 * opaque owner pointer given to intel_vgpu_fb_create() and the hardware
 * plane concerned. All callbacks are called with an i915 spinlock held and
 * possibly with interrupts off (inside the vblank evasion of a plane
 * update): they must not sleep, and they must not call back into the
 * intel_vgpu_fb_*() functions. The owner pointer is used only while the
 * framebuffer is alive and the ops are registered: intel_vgpu_fb_destroy()
 * and intel_vgpu_fb_clear_ops() return only once no callback runs or can
 * start for it.
 *
 * The assignment protocol of one hardware plane:
 *
 * - @check: an atomic check puts the framebuffer on the plane. An error
 *   (typically -EBUSY: the vGPU plane is shown elsewhere) fails the commit.
 * - @hold: i915 starts reprogramming the plane, which GVT flips onto,
 *   with the same framebuffer (e.g. the compositor moved it): GVT must
 *   not write the plane's registers from before this returns until
 *   @surface_done. May come more than once before @surface_done.
 * - @surface: i915 programs the plane with the framebuffer and asks for the
 *   surface to program. From this call until @surface_done or @assign, GVT
 *   must not write the plane's registers.
 * - @assign: i915 programmed (armed) the plane with the framebuffer for the
 *   first time; from now on GVT may flip the guest's surfaces onto it.
 * - @surface_done: i915 reprogrammed the plane, still with the framebuffer
 *   (e.g. a watermark change or a position change by the compositor); GVT
 *   may flip again. @hw has the plane's new @src and @dst.
 * - Both @assign and @surface_done are called inside the vblank evasion of
 *   the update, right after i915's arming write: what GVT writes then
 *   (its own offset into the surface, PLANE_OFFSET and the surface register
 *   again; the cursor's position and CURBASE) latches with i915's update.
 * - @unassign: i915 is about to program the plane with something else, or
 *   to disable it: GVT must stop writing the plane's registers before it
 *   returns, and never write them again unless @assign is called again.
 *
 * @check: optional; 0 or a negative error code
 * @surface: required; the GGTT address of the guest's surface, aligned as
 *	the plane needs. i915 adds the offset of the compositor's source
 *	rectangle as for any framebuffer (to the address, and @hw's x and y
 *	in PLANE_OFFSET); GVT adds the guest's own offset (its PLANE_OFFSET)
 *	in @assign or @surface_done. Every byte the display engine reads for
 *	the framebuffer's geometry from there, both offsets added, must be the
 *	guest's own memory.
 * @hold: optional
 * @surface_done: optional
 * @assign: optional
 * @unassign: optional
 * @may_reference: may a DRM client look the framebuffer up by id (to show
 *	it with SETPLANE, SETCRTC, PAGE_FLIP or an atomic commit, or to read
 *	it with GETFB)? Called from drm_framebuffer_lookup() in the process
 *	context of the client's ioctl, with the framebuffer alive (the lookup
 *	holds a reference) and, as every callback, with the i915 spinlock
 *	held: a pure decision on @client and the owner's state. Without it,
 *	or without registered ops, every lookup by a DRM client is refused;
 *	the kernel's own lookups are not asked about.
 */
struct intel_vgpu_fb_ops {
	int (*check)(void *owner, const struct intel_vgpu_fb_plane *hw);
	void (*hold)(void *owner, const struct intel_vgpu_fb_plane *hw);
	u32 (*surface)(void *owner, const struct intel_vgpu_fb_plane *hw);
	void (*surface_done)(void *owner, const struct intel_vgpu_fb_plane *hw);
	void (*assign)(void *owner, const struct intel_vgpu_fb_plane *hw);
	void (*unassign)(void *owner, const struct intel_vgpu_fb_plane *hw);
	bool (*may_reference)(void *owner,
			      const struct intel_vgpu_fb_client *client);
};

#if IS_ENABLED(CONFIG_DRM_I915_GVT_DFLIP)

int intel_vgpu_fb_set_ops(const struct intel_vgpu_fb_ops *ops);
void intel_vgpu_fb_clear_ops(const struct intel_vgpu_fb_ops *ops);
struct drm_framebuffer *intel_vgpu_fb_create(struct drm_device *drm,
					     const struct intel_vgpu_fb_geometry *info,
					     void *owner);
void intel_vgpu_fb_destroy(struct drm_framebuffer *fb);
void intel_vgpu_fb_take_off(struct drm_framebuffer *fb);
struct drm_master *intel_vgpu_fb_lessee_get(struct drm_device *drm,
					    u32 lessee_id);

bool intel_vgpu_fb_is_vgpu(const struct drm_framebuffer *fb);
int intel_vgpu_fb_plane_check(const struct intel_crtc_state *crtc_state,
			      const struct intel_plane_state *plane_state);
void intel_vgpu_fb_plane_update(struct intel_plane *plane,
				const struct intel_plane_state *plane_state);
bool intel_vgpu_fb_plane_update_noarm(struct intel_plane *plane,
				      const struct intel_plane_state *plane_state);
void intel_vgpu_fb_plane_update_arm(struct intel_dsb *dsb,
				    struct intel_plane *plane,
				    const struct intel_crtc_state *crtc_state,
				    const struct intel_plane_state *plane_state);
void intel_vgpu_fb_plane_armed(struct intel_plane *plane,
			       const struct intel_plane_state *plane_state);
u32 intel_vgpu_fb_surface(const struct intel_plane_state *plane_state);

#else

static inline int intel_vgpu_fb_set_ops(const struct intel_vgpu_fb_ops *ops)
{
	return -ENODEV;
}

static inline void intel_vgpu_fb_clear_ops(const struct intel_vgpu_fb_ops *ops)
{
}

static inline struct drm_framebuffer *
intel_vgpu_fb_create(struct drm_device *drm,
		     const struct intel_vgpu_fb_geometry *info, void *owner)
{
	return ERR_PTR(-ENODEV);
}

static inline void intel_vgpu_fb_destroy(struct drm_framebuffer *fb)
{
}

static inline void intel_vgpu_fb_take_off(struct drm_framebuffer *fb)
{
}

static inline struct drm_master *
intel_vgpu_fb_lessee_get(struct drm_device *drm, u32 lessee_id)
{
	return ERR_PTR(-ENODEV);
}

static inline bool intel_vgpu_fb_is_vgpu(const struct drm_framebuffer *fb)
{
	return false;
}

static inline int
intel_vgpu_fb_plane_check(const struct intel_crtc_state *crtc_state,
			  const struct intel_plane_state *plane_state)
{
	return 0;
}

static inline void
intel_vgpu_fb_plane_update(struct intel_plane *plane,
			   const struct intel_plane_state *plane_state)
{
}

static inline bool
intel_vgpu_fb_plane_update_noarm(struct intel_plane *plane,
				 const struct intel_plane_state *plane_state)
{
	return false;
}

static inline void
intel_vgpu_fb_plane_update_arm(struct intel_dsb *dsb,
			       struct intel_plane *plane,
			       const struct intel_crtc_state *crtc_state,
			       const struct intel_plane_state *plane_state)
{
}

static inline void
intel_vgpu_fb_plane_armed(struct intel_plane *plane,
			  const struct intel_plane_state *plane_state)
{
}

static inline u32
intel_vgpu_fb_surface(const struct intel_plane_state *plane_state)
{
	return 0;
}

#endif

#endif /* __INTEL_VGPU_FB_H__ */
