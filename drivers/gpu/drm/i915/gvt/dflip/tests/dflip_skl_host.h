/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * A fake Skylake host with vblank-capable CRTCs and hand-built vGPUs, for
 * the KUnit tests and the benchmark of the direct flip glue.
 */

#ifndef _GVT_DFLIP_SKL_HOST_H_
#define _GVT_DFLIP_SKL_HOST_H_

#include <linux/types.h>

#include "../dflip.h"

struct drm_framebuffer;
struct drm_rect;
struct drm_i915_private;
struct intel_crtc;
struct intel_crtc_state;
struct intel_gvt;
struct intel_plane;
struct intel_plane_state;
struct intel_vgpu;
struct kunit;
struct vfio_device_gfx_plane_info;

/** DFLIP_SKL_PIPES - pipes of the fake host, each with a CRTC */
#define DFLIP_SKL_PIPES	3
/** DFLIP_SKL_PLANES - universal planes per pipe (PLANE_1..PLANE_3) */
#define DFLIP_SKL_PLANES	3
/** DFLIP_SKL_MAX_VGPUS - vGPUs one fake host can hold */
#define DFLIP_SKL_MAX_VGPUS	8

/** DFLIP_SKL_APERTURE - aperture base of vGPU 0; vGPU n is 64 MiB higher */
#define DFLIP_SKL_APERTURE	0x01000000ull
/** DFLIP_SKL_HIDDEN - hidden base of vGPU 0; vGPU n is 256 MiB higher */
#define DFLIP_SKL_HIDDEN	0x40000000ull
/** DFLIP_SKL_BAR0 - guest physical address of every vGPU's MMIO BAR */
#define DFLIP_SKL_BAR0		0xf0000000ull

/**
 * struct dflip_skl_host - a fake SKL GT2 host and its GVT device
 * @i915: the host device, its registers in RAM
 * @crtcs: a CRTC per pipe, with vblank support (no interrupts: the test
 *	fires vblanks with dflip_skl_vblank())
 * @planes: the universal planes of each pipe, [pipe][PLANE_1..PLANE_3]
 * @cursors: the cursor plane of each pipe
 * @gvt: the GVT device, with the direct flip ops registered
 * @vgpus: the vGPUs made with dflip_skl_vgpu_create()
 * @num_vgpus: how many
 */
struct dflip_skl_host {
	struct drm_i915_private *i915;
	struct intel_crtc *crtcs[DFLIP_SKL_PIPES];
	struct intel_plane *planes[DFLIP_SKL_PIPES][DFLIP_SKL_PLANES];
	struct intel_plane *cursors[DFLIP_SKL_PIPES];
	struct intel_gvt *gvt;
	struct intel_vgpu *vgpus[DFLIP_SKL_MAX_VGPUS];
	unsigned int num_vgpus;
};

/**
 * struct dflip_skl_commit - one plane of a commit between check and tail
 * @plane: the plane
 * @crtc_state: the new state of its CRTC
 * @plane_state: its new state
 */
struct dflip_skl_commit {
	struct intel_plane *plane;
	struct intel_crtc_state *crtc_state;
	struct intel_plane_state *plane_state;
};

struct dflip_skl_host *dflip_skl_host_create(struct kunit *test);
void dflip_skl_gvt_mmio_setup(struct kunit *test, struct dflip_skl_host *fh);
int dflip_skl_mmio_write(struct intel_vgpu *vgpu, u32 offset, u32 val);
struct intel_vgpu *dflip_skl_vgpu_create(struct kunit *test,
					 struct dflip_skl_host *fh);
void dflip_skl_guest_program(struct intel_vgpu *vgpu, unsigned int pipe,
			     enum dflip_plane_kind kind, u32 width,
			     u32 height, u64 surf);
bool dflip_skl_guest_flip(struct intel_vgpu *vgpu, unsigned int pipe,
			  enum dflip_plane_kind kind, u64 surf);
void dflip_skl_geometry_done(struct intel_vgpu *vgpu);
struct drm_framebuffer *dflip_skl_vgpu_fb(struct intel_vgpu *vgpu,
					  unsigned int pipe,
					  enum dflip_plane_kind kind);
int dflip_skl_commit_check(struct kunit *test, struct dflip_skl_host *fh,
			   struct intel_plane *plane,
			   struct drm_framebuffer *fb,
			   const struct drm_rect *dst,
			   struct dflip_skl_commit *ps);
void dflip_skl_commit_src(struct kunit *test, struct dflip_skl_commit *ps,
			  const struct drm_rect *src);
void dflip_skl_commit_program(const struct dflip_skl_commit *ps);
int dflip_skl_commit_at(struct kunit *test, struct dflip_skl_host *fh,
			struct intel_plane *plane, struct drm_framebuffer *fb,
			const struct drm_rect *dst);
int dflip_skl_commit(struct kunit *test, struct dflip_skl_host *fh,
		     struct intel_plane *plane, struct drm_framebuffer *fb);
void dflip_skl_disable(struct kunit *test, struct dflip_skl_host *fh,
		       struct intel_plane *plane);
bool dflip_skl_unassigned(struct intel_vgpu *vgpu, unsigned int pipe,
			  enum dflip_plane_kind kind);
u32 dflip_skl_hw_surf(struct dflip_skl_host *fh, struct intel_plane *plane);
int dflip_skl_vfio_query(struct kunit *test, struct intel_vgpu *vgpu,
			 const struct vfio_device_gfx_plane_info *in,
			 struct vfio_device_gfx_plane_info *out);
u32 dflip_skl_hw_cursor_pos(struct dflip_skl_host *fh, unsigned int pipe);
void dflip_skl_latch(struct dflip_skl_host *fh, unsigned int pipe);
void dflip_skl_vblank(struct dflip_skl_host *fh, unsigned int pipe);

#endif /* _GVT_DFLIP_SKL_HOST_H_ */
