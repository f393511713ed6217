/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * Local Display Direct Flip: the glue between GVT's vGPUs, the vGPU plane
 * state machine and i915's vGPU framebuffers.
 */

#ifndef _GVT_DFLIP_HOST_H_
#define _GVT_DFLIP_HOST_H_

#include <linux/types.h>

#include "dflip.h"

struct intel_gvt;
struct intel_vgpu;

#if IS_ENABLED(CONFIG_DRM_I915_GVT_DFLIP)

void dflip_host_init(struct intel_gvt *gvt);
void dflip_host_fini(struct intel_gvt *gvt);
void dflip_host_vgpu_init(struct intel_vgpu *vgpu);
void dflip_host_vgpu_fini(struct intel_vgpu *vgpu);
void dflip_host_vgpu_reset(struct intel_vgpu *vgpu);
bool dflip_host_guest_flip(struct intel_vgpu *vgpu, unsigned int pipe,
			   enum dflip_plane_kind kind, u32 surf);

#else

static inline void dflip_host_init(struct intel_gvt *gvt)
{
}

static inline void dflip_host_fini(struct intel_gvt *gvt)
{
}

static inline void dflip_host_vgpu_init(struct intel_vgpu *vgpu)
{
}

static inline void dflip_host_vgpu_fini(struct intel_vgpu *vgpu)
{
}

static inline void dflip_host_vgpu_reset(struct intel_vgpu *vgpu)
{
}

static inline bool dflip_host_guest_flip(struct intel_vgpu *vgpu,
					 unsigned int pipe,
					 enum dflip_plane_kind kind, u32 surf)
{
	return false;
}

#endif

#endif /* _GVT_DFLIP_HOST_H_ */
