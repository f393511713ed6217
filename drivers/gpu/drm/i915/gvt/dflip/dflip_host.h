/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * Local Display Direct Flip: the glue between GVT's vGPUs, the vGPU plane
 * state machine and i915's vGPU framebuffers.
 */

#ifndef _GVT_DFLIP_HOST_H_
#define _GVT_DFLIP_HOST_H_

#include <linux/errno.h>
#include <linux/jump_label.h>
#include <linux/sysfs.h>
#include <linux/types.h>

#include "dflip.h"

struct attribute_group;
struct device;
struct device_attribute;
struct dflip_vgpu;
struct drm_framebuffer;
struct intel_gvt;
struct intel_vgpu;

/**
 * struct dflip_offset - where a universal plane starts reading its surface
 * @surf: bytes from the surface address (PLANE_SURF's part)
 * @x: pixels from there (PLANE_OFFSET x)
 * @y: rows from there (PLANE_OFFSET y)
 */
struct dflip_offset {
	u32 surf;
	u32 x;
	u32 y;
};

int dflip_offset_split(const struct dflip_geometry *geo, u32 width,
		       struct dflip_offset *off);

#if IS_ENABLED(CONFIG_DRM_I915_GVT_DFLIP)

/* sysfs (dflip_sysfs.c) */
extern const struct attribute_group dflip_vgpu_planes_group;
ssize_t plane_id_index_show(struct device *dev, struct device_attribute *attr,
			    char *buf);
ssize_t plane_id_index_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count);
ssize_t dflip_lessee_show(struct device *dev, struct device_attribute *attr,
			  char *buf);
ssize_t dflip_lessee_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count);

bool dflip_host_supported(struct intel_vgpu *vgpu);
struct dflip_vgpu *dflip_host_core(struct intel_vgpu *vgpu);
void dflip_host_debugfs_add(struct intel_vgpu *vgpu);
#if IS_ENABLED(CONFIG_KUNIT)
struct seq_file;
int dflip_debugfs_show(struct seq_file *m, void *unused);
#endif
struct drm_framebuffer *dflip_host_plane_fb(struct intel_vgpu *vgpu,
					    unsigned int plane);
void dflip_host_fb_counts(struct intel_vgpu *vgpu, unsigned int plane,
			  unsigned int *made, unsigned int *destroyed);
bool dflip_host_make_fbs(struct intel_vgpu *vgpu);
void dflip_host_vblank_sync(struct intel_vgpu *vgpu);
unsigned int dflip_host_selected_plane(struct intel_vgpu *vgpu);
void dflip_host_select_plane(struct intel_vgpu *vgpu, unsigned int plane);
u32 dflip_host_lessee(struct intel_vgpu *vgpu);
int dflip_host_bind_lessee(struct intel_vgpu *vgpu, u32 lessee_id);
int dflip_host_vfio_query(struct intel_vgpu *vgpu, void __user *arg);

void dflip_host_init(struct intel_gvt *gvt);
void dflip_host_fini(struct intel_gvt *gvt);
void dflip_host_vgpu_init(struct intel_vgpu *vgpu);
void dflip_host_vgpu_fini(struct intel_vgpu *vgpu);
void dflip_host_vgpu_reset(struct intel_vgpu *vgpu);
void dflip_host_vgpu_release(struct intel_vgpu *vgpu);
bool __dflip_host_guest_flip(struct intel_vgpu *vgpu, unsigned int pipe,
			     enum dflip_plane_kind kind, u32 surf);

DECLARE_STATIC_KEY_FALSE(dflip_host_trap_key);

/**
 * dflip_host_guest_flip - a guest wrote a plane's arming register
 * @vgpu: the vGPU, its lock held
 * @pipe: the virtual pipe
 * @kind: the plane
 * @surf: the surface register value the write leaves
 *
 * GVT's hook in its plane register handlers: a no-op (a patched jump)
 * unless a GVT device with Gen9 display registered direct flip
 * (&dflip_host_trap_key), else __dflip_host_guest_flip().
 *
 * Return: as __dflip_host_guest_flip(); false when direct flip is off.
 */
static inline bool dflip_host_guest_flip(struct intel_vgpu *vgpu,
					 unsigned int pipe,
					 enum dflip_plane_kind kind, u32 surf)
{
	if (!static_branch_unlikely(&dflip_host_trap_key))
		return false;
	return __dflip_host_guest_flip(vgpu, pipe, kind, surf);
}

#else

/* without direct flip: no plane files, plane_id_index unsupported */
static const struct attribute_group dflip_vgpu_planes_group;

static inline ssize_t plane_id_index_show(struct device *dev,
					  struct device_attribute *attr,
					  char *buf)
{
	return -EOPNOTSUPP;
}

static inline ssize_t plane_id_index_store(struct device *dev,
					   struct device_attribute *attr,
					   const char *buf, size_t count)
{
	return -EOPNOTSUPP;
}

static inline ssize_t dflip_lessee_show(struct device *dev,
					struct device_attribute *attr, char *buf)
{
	return -EOPNOTSUPP;
}

static inline ssize_t dflip_lessee_store(struct device *dev,
					 struct device_attribute *attr,
					 const char *buf, size_t count)
{
	return -EOPNOTSUPP;
}

static inline int dflip_host_vfio_query(struct intel_vgpu *vgpu,
					void __user *arg)
{
	return -EINVAL;
}

static inline void dflip_host_debugfs_add(struct intel_vgpu *vgpu)
{
}

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

static inline void dflip_host_vgpu_release(struct intel_vgpu *vgpu)
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
