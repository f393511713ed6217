/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The GVT-g direct flip authors
 */

#ifndef __INTEL_FAKE_SKL_H__
#define __INTEL_FAKE_SKL_H__

struct drm_driver;
struct drm_i915_private;
struct kunit;

struct drm_i915_private *intel_fake_skl_create(struct kunit *test,
					       const struct drm_driver *driver);

#endif /* __INTEL_FAKE_SKL_H__ */
