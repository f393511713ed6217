/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The GVT-g direct flip authors
 */

#ifndef __INTEL_FAKE_SKL_H__
#define __INTEL_FAKE_SKL_H__

#include <linux/types.h>

struct drm_device;
struct drm_driver;
struct drm_i915_private;
struct drm_master;
struct kunit;

struct drm_i915_private *intel_fake_skl_create(struct kunit *test,
					       const struct drm_driver *driver);
struct drm_master *intel_fake_master(struct kunit *test,
				     struct drm_device *drm);
void intel_fake_set_master(struct kunit *test, struct drm_device *drm,
			   struct drm_master *master);
struct drm_master *intel_fake_lease(struct kunit *test,
				    struct drm_master *lessor, u32 object_id);
void intel_fake_revoke(struct drm_master *lessee);

#endif /* __INTEL_FAKE_SKL_H__ */
