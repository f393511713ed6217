/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The GVT-g direct flip authors
 */

#ifndef __DRM_FRAMEBUFFER_FILTER_H__
#define __DRM_FRAMEBUFFER_FILTER_H__

#include <linux/types.h>

struct drm_file;
struct drm_framebuffer;

/**
 * struct drm_framebuffer_lookup_filter - who may look up a framebuffer by id
 *
 * Set with drm_framebuffer_set_lookup_filter(): the policy of
 * &drm_framebuffer_funcs.lookup_allowed for a drm.ko built as a drop-in
 * for a distribution kernel's (CONFIG_DRM_FRAMEBUFFER_LOOKUP_DROPIN, a
 * build-only adaptation, not part of the upstream series). Kept in a
 * header of its own, beside &struct drm_framebuffer rather than in it, so
 * that no type that existing exports use changes.
 */
struct drm_framebuffer_lookup_filter {
	/**
	 * @allowed:
	 *
	 * May @file look up @fb? Called by drm_framebuffer_lookup() for a
	 * non-NULL &drm_file, in the process context of the caller's ioctl,
	 * with a reference to @fb held and possibly with modeset locks held:
	 * it must not take modeset locks nor sleep for long. Returns false to
	 * hide @fb from @file.
	 */
	bool (*allowed)(struct drm_framebuffer *fb, struct drm_file *file);
};

int drm_framebuffer_set_lookup_filter(struct drm_framebuffer *fb,
				      const struct drm_framebuffer_lookup_filter *filter);
void drm_framebuffer_clear_lookup_filter(struct drm_framebuffer *fb);

#endif /* __DRM_FRAMEBUFFER_FILTER_H__ */
