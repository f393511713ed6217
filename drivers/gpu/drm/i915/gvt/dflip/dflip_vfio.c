// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * VFIO_DEVICE_QUERY_GFX_PLANE with VFIO_GFX_PLANE_TYPE_DRM_FB.
 */

#include <linux/minmax.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>

#include "i915_pvinfo.h"
#include "gvt/gvt.h"

#include "dflip_host.h"
#include "dflip_plane.h"
#include "dflip_uapi.h"

static void dflip_vfio_fill(struct vfio_device_gfx_plane_info *info,
			    const struct drm_framebuffer *fb)
{
	info->drm_fb_id = fb ? fb->base.id : 0;
	info->x_hot = 0xffffffff;
	info->y_hot = 0xffffffff;
	if (!fb)
		return;	/* disabled plane: zeroed format and size */
	info->drm_format = fb->format->format;
	info->drm_format_mod = fb->modifier;
	info->width = fb->width;
	info->height = fb->height;
	info->stride = fb->pitches[0];
	info->size = PAGE_ALIGN(fb->pitches[0] * fb->height);
}

/*
 * Where the guest put the plane (its PLANE_POS, or CURPOS for the cursor,
 * a position off the top or left edge as 0) and the cursor's hotspot (the
 * PV info page's, when it lies in the cursor), as the dma-buf path reports
 * them for the cursor.
 */
static void dflip_vfio_position(struct intel_vgpu *vgpu, unsigned int plane,
				const struct drm_framebuffer *fb,
				struct vfio_device_gfx_plane_info *info)
{
	struct dflip_vgpu *core = dflip_host_core(vgpu);
	const struct dflip_vplane *vp;
	u32 x_hot, y_hot;

	if (!core || !fb)
		return;
	vp = &core->planes[plane];
	if (!vp->has_cur)
		return;
	info->x_pos = max(vp->cur.desc.crtc_x, 0);
	info->y_pos = max(vp->cur.desc.crtc_y, 0);
	if (vp->kind != DFLIP_PLANE_CURSOR)
		return;
	x_hot = vgpu_vreg_t(vgpu, vgtif_reg(cursor_x_hot));
	y_hot = vgpu_vreg_t(vgpu, vgtif_reg(cursor_y_hot));
	if (x_hot <= fb->width && y_hot <= fb->height) {
		info->x_hot = x_hot;
		info->y_hot = y_hot;
	}
}

/**
 * dflip_host_vfio_query - VFIO_DEVICE_QUERY_GFX_PLANE for DRM_FB
 * @vgpu: the vGPU
 * @arg: the user's &struct vfio_device_gfx_plane_info
 *
 * Called by the VFIO ioctl when the flags carry VFIO_GFX_PLANE_TYPE_DRM_FB;
 * the rules are dflip_vfio_query_check()'s. Nothing changes on an error.
 *
 * Return: 0, -EINVAL for a bad or unsupported query, -EFAULT.
 */
int dflip_host_vfio_query(struct intel_vgpu *vgpu, void __user *arg)
{
	struct vfio_device_gfx_plane_info info, out;
	struct drm_framebuffer *fb;
	unsigned int plane;
	u32 argsz;
	int ret;

	if (get_user(argsz, (u32 __user *)arg))
		return -EFAULT;
	if (argsz < sizeof(info))
		return -EINVAL;
	if (copy_from_user(&info, arg, sizeof(info)))
		return -EFAULT;
	ret = dflip_vfio_query_check(&info, dflip_host_supported(vgpu), &plane);
	if (ret <= 0)
		return ret;

	out = (struct vfio_device_gfx_plane_info) {
		.argsz = info.argsz,
		.flags = info.flags,
		.drm_plane_type = info.drm_plane_type,
		.reserved = plane / DFLIP_PLANE_KINDS,
	};
	mutex_lock(&vgpu->vgpu_lock);
	fb = dflip_host_plane_fb(vgpu, plane);
	dflip_vfio_fill(&out, fb);
	dflip_vfio_position(vgpu, plane, fb, &out);
	mutex_unlock(&vgpu->vgpu_lock);

	return copy_to_user(arg, &out, sizeof(out)) ? -EFAULT : 0;
}
