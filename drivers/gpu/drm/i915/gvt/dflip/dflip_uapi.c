// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * The userspace-facing names and checks of direct flip: plane numbers and
 * names (sysfs), and the argument rules of VFIO_DEVICE_QUERY_GFX_PLANE
 * with VFIO_GFX_PLANE_TYPE_DRM_FB. Pure functions, no device access.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/vfio.h>
#include <drm/drm_plane.h>

#include "dflip.h"
#include "dflip_uapi.h"

/**
 * DOC: Plane numbers
 *
 * Userspace names a vGPU plane by a stable number: pipe * 3 + kind, with
 * kind 0 for the primary plane, 1 for sprite 0 and 2 for the cursor, so
 * pipe A has planes 0-2, pipe B 3-5 and pipe C 6-8. Its sysfs name is
 * "pipe_<a|b|c>_<primary|sprite|cursor>".
 */

static const char * const dflip_plane_names[DFLIP_NUM_PLANES] = {
	"pipe_a_primary", "pipe_a_sprite", "pipe_a_cursor",
	"pipe_b_primary", "pipe_b_sprite", "pipe_b_cursor",
	"pipe_c_primary", "pipe_c_sprite", "pipe_c_cursor",
};

/**
 * dflip_plane_name - the sysfs name of a plane number
 * @plane: plane number
 *
 * Return: the name, or NULL for a number that names no plane.
 */
const char *dflip_plane_name(unsigned int plane)
{
	if (plane >= DFLIP_NUM_PLANES)
		return NULL;
	return dflip_plane_names[plane];
}

/**
 * dflip_plane_number_parse - parse a plane number written to sysfs
 * @buf: what userspace wrote (not NUL-terminated beyond @count)
 * @count: its length
 * @plane: the plane number, set only on success
 *
 * Accepts a decimal number with an optional trailing newline, as
 * kstrtouint() does. Anything else (empty, a sign, trailing garbage, a
 * number that names no plane) is refused.
 *
 * Return: 0, or -EINVAL.
 */
int dflip_plane_number_parse(const char *buf, size_t count,
			     unsigned int *plane)
{
	char num[12];
	unsigned int n;

	if (!count || count >= sizeof(num))
		return -EINVAL;
	memcpy(num, buf, count);
	num[count] = '\0';
	if (num[0] < '0' || num[0] > '9')
		return -EINVAL;
	if (kstrtouint(num, 10, &n) || n >= DFLIP_NUM_PLANES)
		return -EINVAL;
	*plane = n;
	return 0;
}

static int dflip_kind_of_drm_plane_type(u32 type)
{
	switch (type) {
	case DRM_PLANE_TYPE_PRIMARY:
		return DFLIP_PLANE_PRIMARY;
	case DRM_PLANE_TYPE_OVERLAY:
		return DFLIP_PLANE_SPRITE;
	case DRM_PLANE_TYPE_CURSOR:
		return DFLIP_PLANE_CURSOR;
	default:
		return -EINVAL;
	}
}

/**
 * dflip_vfio_query_check - check a VFIO_DEVICE_QUERY_GFX_PLANE for DRM_FB
 * @info: the caller's argument, copied in whole (up to @info->argsz)
 * @supported: direct flip is supported on this vGPU (Gen9 display)
 * @plane: the plane number the query names, set only on success of a
 *	query without VFIO_GFX_PLANE_TYPE_PROBE
 *
 * The flags must be VFIO_GFX_PLANE_TYPE_DRM_FB, optionally with
 * VFIO_GFX_PLANE_TYPE_PROBE, and nothing else; argsz must cover
 * &vfio_device_gfx_plane_info.reserved, which selects the pipe. A probe
 * succeeds when direct flip is supported.
 *
 * Return: 0 for a supported probe, 1 for a valid query (@plane set), or
 * -EINVAL.
 */
int dflip_vfio_query_check(const struct vfio_device_gfx_plane_info *info,
			   bool supported, unsigned int *plane)
{
	const u32 known = VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DRM_FB;
	int kind;

	if (info->argsz < offsetofend(struct vfio_device_gfx_plane_info,
				      reserved))
		return -EINVAL;
	if (!(info->flags & VFIO_GFX_PLANE_TYPE_DRM_FB) ||
	    (info->flags & ~known))
		return -EINVAL;
	if (!supported)
		return -EINVAL;
	if (info->flags & VFIO_GFX_PLANE_TYPE_PROBE)
		return 0;

	kind = dflip_kind_of_drm_plane_type(info->drm_plane_type);
	if (kind < 0 || info->reserved >= DFLIP_MAX_PIPES)
		return -EINVAL;
	*plane = info->reserved * DFLIP_PLANE_KINDS + kind;
	return 1;
}
