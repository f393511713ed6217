// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 */

/**
 * DOC: direct flip sysfs
 *
 * In the intel_vgpu group of a vGPU device
 * (/sys/bus/pci/devices/<BDF>/<UUID>/intel_vgpu/), beside vgpu_id:
 *
 * - plane_id_index (0644): write a plane number to select a plane, read
 *   the DRM framebuffer id of the selected plane. Plane 0 (pipe A
 *   primary) is selected before any write. A bad number is refused with
 *   -EINVAL and the selection is kept. The selection is shared by every
 *   writer: scripts that may run at once should read the per-plane files.
 *
 * - dflip_lessee (0644): the DRM lessee id the vGPU is bound to, 0 for
 *   none (the default). Write a lessee id to bind, 0 to unbind: the id is
 *   resolved at once against the DRM device's current master (the lessor
 *   that just made the lease), and only that lessee may then reference
 *   the vGPU's framebuffers, whichever master the device has later, until
 *   its lease is revoked (see the access policy). A write that is not a
 *   decimal number 0 to INT_MAX is refused with -EINVAL, an id that is no
 *   lessee of the current master (or whose lease is revoked) with
 *   -ENOENT; the binding is kept.
 *
 * In the intel_vgpu_planes group beside it:
 *
 * - pipe_<a|b|c>_<primary|sprite|cursor> (0444): the DRM framebuffer id
 *   of that plane, in one read.
 *
 * An id is 0 while the plane has no framebuffer: the guest has it
 * disabled, or changed its geometry less than 20 ms ago and the new
 * framebuffer is not made yet (its uevent follows). Ids belong to the DRM
 * device of the vGPU's parent (/sys/bus/pci/devices/<BDF>/drm/) and change
 * when the guest changes the plane's geometry. Where direct flip is not
 * supported (Broadwell) every file fails with -EOPNOTSUPP.
 */

#include <linux/device.h>
#include <linux/sysfs.h>

#include <drm/drm_framebuffer.h>

#include "gvt/gvt.h"

#include "dflip_host.h"
#include "dflip_policy.h"
#include "dflip_uapi.h"

static ssize_t dflip_sysfs_show_plane(struct device *dev, char *buf,
				      unsigned int plane, bool selected)
{
	struct intel_vgpu *vgpu = dev_get_drvdata(dev);
	struct drm_framebuffer *fb;
	u32 id;

	if (!dflip_host_supported(vgpu))
		return -EOPNOTSUPP;
	mutex_lock(&vgpu->vgpu_lock);
	if (selected)
		plane = dflip_host_selected_plane(vgpu);
	fb = dflip_host_plane_fb(vgpu, plane);
	id = fb ? fb->base.id : 0;
	mutex_unlock(&vgpu->vgpu_lock);

	return sysfs_emit(buf, "%u\n", id);
}

/**
 * plane_id_index_show - read intel_vgpu/plane_id_index
 * @dev: the vGPU device
 * @attr: the attribute
 * @buf: the output
 *
 * Return: bytes written: the framebuffer id of the selected plane.
 */
ssize_t plane_id_index_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return dflip_sysfs_show_plane(dev, buf, 0, true);
}

/**
 * plane_id_index_store - write intel_vgpu/plane_id_index
 * @dev: the vGPU device
 * @attr: the attribute
 * @buf: a plane number
 * @count: its length
 *
 * Return: @count, or -EINVAL (selection kept), or -EOPNOTSUPP.
 */
ssize_t plane_id_index_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	struct intel_vgpu *vgpu = dev_get_drvdata(dev);
	unsigned int plane;
	int ret;

	if (!dflip_host_supported(vgpu))
		return -EOPNOTSUPP;
	ret = dflip_plane_number_parse(buf, count, &plane);
	if (ret)
		return ret;
	mutex_lock(&vgpu->vgpu_lock);
	dflip_host_select_plane(vgpu, plane);
	mutex_unlock(&vgpu->vgpu_lock);
	return count;
}

/**
 * dflip_lessee_show - read intel_vgpu/dflip_lessee
 * @dev: the vGPU device
 * @attr: the attribute
 * @buf: the output
 *
 * Return: bytes written: the bound lessee id, 0 for none; or -EOPNOTSUPP.
 */
ssize_t dflip_lessee_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct intel_vgpu *vgpu = dev_get_drvdata(dev);
	u32 lessee;

	if (!dflip_host_supported(vgpu))
		return -EOPNOTSUPP;
	mutex_lock(&vgpu->vgpu_lock);
	lessee = dflip_host_lessee(vgpu);
	mutex_unlock(&vgpu->vgpu_lock);

	return sysfs_emit(buf, "%u\n", lessee);
}

/**
 * dflip_lessee_store - write intel_vgpu/dflip_lessee
 * @dev: the vGPU device
 * @attr: the attribute
 * @buf: a lessee id of the i915 device's current master, 0 to unbind
 * @count: its length
 *
 * Return: @count; or -EINVAL (not a lessee id) or -ENOENT (no such lessee
 * of the current master, or its lease is revoked), the binding kept; or
 * -EOPNOTSUPP.
 */
ssize_t dflip_lessee_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct intel_vgpu *vgpu = dev_get_drvdata(dev);
	u32 lessee;
	int ret;

	if (!dflip_host_supported(vgpu))
		return -EOPNOTSUPP;
	ret = dflip_policy_lessee_parse(buf, count, &lessee);
	if (ret)
		return ret;
	ret = dflip_host_bind_lessee(vgpu, lessee);
	return ret ?: count;
}

#define DFLIP_SYSFS_PLANE(_name, _plane)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	return dflip_sysfs_show_plane(dev, buf, _plane, false);		\
}									\
static DEVICE_ATTR_RO(_name)

DFLIP_SYSFS_PLANE(pipe_a_primary, 0);
DFLIP_SYSFS_PLANE(pipe_a_sprite, 1);
DFLIP_SYSFS_PLANE(pipe_a_cursor, 2);
DFLIP_SYSFS_PLANE(pipe_b_primary, 3);
DFLIP_SYSFS_PLANE(pipe_b_sprite, 4);
DFLIP_SYSFS_PLANE(pipe_b_cursor, 5);
DFLIP_SYSFS_PLANE(pipe_c_primary, 6);
DFLIP_SYSFS_PLANE(pipe_c_sprite, 7);
DFLIP_SYSFS_PLANE(pipe_c_cursor, 8);

static struct attribute *dflip_vgpu_plane_attrs[] = {
	&dev_attr_pipe_a_primary.attr,
	&dev_attr_pipe_a_sprite.attr,
	&dev_attr_pipe_a_cursor.attr,
	&dev_attr_pipe_b_primary.attr,
	&dev_attr_pipe_b_sprite.attr,
	&dev_attr_pipe_b_cursor.attr,
	&dev_attr_pipe_c_primary.attr,
	&dev_attr_pipe_c_sprite.attr,
	&dev_attr_pipe_c_cursor.attr,
	NULL
};

/*
 * intel_vgpu_planes/: one read-only file per plane, named as
 * dflip_plane_name() names it, holding the plane's framebuffer id.
 */
const struct attribute_group dflip_vgpu_planes_group = {
	.name = "intel_vgpu_planes",
	.attrs = dflip_vgpu_plane_attrs,
};
