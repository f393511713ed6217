// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * Local Display Direct Flip: decode the guest's Gen9 plane registers.
 *
 * The decoder runs on the guest's register-write trap path: it never
 * allocates and never sleeps. It only turns raw register values into a
 * struct dflip_plane_desc; whether the display engine may scan that out
 * is decided by dflip_validate_plane().
 *
 * Layouts a vGPU framebuffer cannot show are refused here, not decoded:
 * i915 makes a vGPU framebuffer of one colour plane, unrotated, with no
 * render compression (intel_vgpu_fb_create(); 90/270 rotation would need a
 * rotated GGTT view of a GEM object, 180 and the control surface of CCS
 * state that the framebuffer does not carry), so NV12, Y/Yf CCS and any
 * rotation end with -EOPNOTSUPP and the plane keeps its last frame.
 * GVT's own fb_decoder.c is not reused: it serves the dma-buf path, reads
 * the vregs itself, takes the primary's size from PIPESRC rather than
 * PLANE_SIZE, translates the surface to a guest physical address through
 * the guest's GGTT on every decode, has no colour key or async flag and
 * returns -EINVAL without a reason. This decoder works on one snapshot of
 * the raw registers, touches no guest memory (it runs in the trap path)
 * and says why it refuses.
 */

#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <drm/drm_fourcc.h>

#include "display/intel_cursor_regs.h"
#include "display/skl_universal_plane_regs.h"

#include "dflip.h"

/* CURBASE holds a 4 KiB aligned address; bits 11:0 are ignored. */
#define DFLIP_CURBASE_ADDR_MASK		GENMASK(31, 12)

static int dflip_fail(enum dflip_reject *why, enum dflip_reject reason,
		      int err)
{
	*why = reason;
	return err;
}

static unsigned int dflip_main_cpp(u32 format)
{
	switch (format) {
	case DRM_FORMAT_RGB565:
	case DRM_FORMAT_YUYV:
	case DRM_FORMAT_YVYU:
	case DRM_FORMAT_UYVY:
	case DRM_FORMAT_VYUY:
		return 2;
	case DRM_FORMAT_XRGB8888:
	case DRM_FORMAT_XBGR8888:
	case DRM_FORMAT_ARGB8888:
	case DRM_FORMAT_ABGR8888:
	case DRM_FORMAT_XRGB2101010:
	case DRM_FORMAT_XBGR2101010:
	case DRM_FORMAT_XYUV8888:
		return 4;
	case DRM_FORMAT_XRGB16161616F:
	case DRM_FORMAT_XBGR16161616F:
		return 8;
	default:
		return 0;
	}
}

/*
 * Tile width in bytes and height in rows, as i915's intel_tile_width_bytes()
 * and intel_tile_height() give them on Gen9 (4 KiB tiles, 128 byte Y-tile
 * rows); a linear surface counts as 64 byte wide, one row high "tiles",
 * the unit of its stride (skl_plane_stride_mult()).
 */
static int dflip_tile_dims(u64 modifier, unsigned int cpp,
			   unsigned int *width, unsigned int *height)
{
	switch (modifier) {
	case DRM_FORMAT_MOD_LINEAR:
		*width = 64;
		*height = 1;
		return 0;
	case I915_FORMAT_MOD_X_TILED:
		*width = 512;
		break;
	case I915_FORMAT_MOD_Y_TILED:
		*width = 128;
		break;
	case I915_FORMAT_MOD_Yf_TILED:
		if (cpp == 2 || cpp == 4)
			*width = 128;
		else if (cpp == 1)
			*width = 64;
		else if (cpp == 8)
			*width = 256;
		else
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	*height = SZ_4K / *width;
	return 0;
}

/**
 * dflip_plane_layout - the memory layout of a surface
 * @geo: the geometry (format and modifier are used)
 * @lay: the layout, filled in on success
 *
 * Gives the bytes per pixel, the unit of the stride register field and the
 * rows per tile row of the surface as the display engine reads it.
 *
 * Return: 0, or -EINVAL for an unknown format or modifier.
 */
int dflip_plane_layout(const struct dflip_geometry *geo,
		       struct dflip_layout *lay)
{
	unsigned int width, height;
	int ret;

	memset(lay, 0, sizeof(*lay));
	lay->cpp = dflip_main_cpp(geo->format);
	if (!lay->cpp)
		return -EINVAL;
	ret = dflip_tile_dims(geo->modifier, lay->cpp, &width, &height);
	if (ret)
		return ret;
	lay->stride_unit = width;
	lay->tile_rows = height;
	return 0;
}

static u32 dflip_rgb_format(u32 fmt, bool rgbx, bool alpha)
{
	switch (fmt) {
	case PLANE_CTL_FORMAT_XRGB_8888:
		if (alpha)
			return rgbx ? DRM_FORMAT_ABGR8888 : DRM_FORMAT_ARGB8888;
		return rgbx ? DRM_FORMAT_XBGR8888 : DRM_FORMAT_XRGB8888;
	case PLANE_CTL_FORMAT_XRGB_2101010:
		return rgbx ? DRM_FORMAT_XBGR2101010 : DRM_FORMAT_XRGB2101010;
	case PLANE_CTL_FORMAT_XRGB_16161616F:
		return rgbx ? DRM_FORMAT_XBGR16161616F : DRM_FORMAT_XRGB16161616F;
	default:
		return 0;
	}
}

static u32 dflip_yuv422_format(u32 ctl)
{
	switch (ctl & PLANE_CTL_YUV422_ORDER_MASK) {
	case PLANE_CTL_YUV422_ORDER_YUYV:
		return DRM_FORMAT_YUYV;
	case PLANE_CTL_YUV422_ORDER_UYVY:
		return DRM_FORMAT_UYVY;
	case PLANE_CTL_YUV422_ORDER_YVYU:
		return DRM_FORMAT_YVYU;
	default:
		return DRM_FORMAT_VYUY;
	}
}

/*
 * PLANE_CTL pixel format, as i915's skl_format_to_fourcc() reads it, limited
 * to what Gen9 (display version 9) scans out: alpha blending only with
 * 8:8:8:8 RGB (skl_plane_formats[]), no P01x (GLK+), and no indexed
 * format since the palette belongs to the pipe.
 */
static int dflip_decode_format(u32 ctl, u32 *format, enum dflip_reject *why)
{
	u32 fmt = ctl & PLANE_CTL_FORMAT_MASK_SKL;
	u32 alpha = ctl & PLANE_CTL_ALPHA_MASK;
	bool rgbx = ctl & PLANE_CTL_ORDER_RGBX;

	if (alpha != PLANE_CTL_ALPHA_DISABLE &&
	    alpha != PLANE_CTL_ALPHA_SW_PREMULTIPLY &&
	    alpha != PLANE_CTL_ALPHA_HW_PREMULTIPLY)
		return dflip_fail(why, DFLIP_REJECT_FORMAT, -EINVAL);
	if (alpha && fmt != PLANE_CTL_FORMAT_XRGB_8888)
		return dflip_fail(why, DFLIP_REJECT_FORMAT, -EINVAL);

	switch (fmt) {
	case PLANE_CTL_FORMAT_XRGB_8888:
	case PLANE_CTL_FORMAT_XRGB_2101010:
	case PLANE_CTL_FORMAT_XRGB_16161616F:
		*format = dflip_rgb_format(fmt, rgbx, alpha);
		return 0;
	case PLANE_CTL_FORMAT_RGB_565:
		*format = DRM_FORMAT_RGB565;
		return 0;
	case PLANE_CTL_FORMAT_YUV422:
		*format = dflip_yuv422_format(ctl);
		return 0;
	case PLANE_CTL_FORMAT_XYUV:
		*format = DRM_FORMAT_XYUV8888;
		return 0;
	case PLANE_CTL_FORMAT_NV12:
	case PLANE_CTL_FORMAT_P010:
	case PLANE_CTL_FORMAT_P012:
	case PLANE_CTL_FORMAT_P016:
	case PLANE_CTL_FORMAT_INDEXED:
		return dflip_fail(why, DFLIP_REJECT_FORMAT, -EOPNOTSUPP);
	default:
		return dflip_fail(why, DFLIP_REJECT_FORMAT, -EINVAL);
	}
}

/*
 * PLANE_CTL tiling, as skl_get_initial_plane_config() reads it; render
 * decompression (Y/Yf CCS) is valid but not shown.
 */
static int dflip_decode_modifier(u32 ctl, u64 *modifier,
				 enum dflip_reject *why)
{
	bool rc = ctl & PLANE_CTL_RENDER_DECOMPRESSION_ENABLE;

	switch (ctl & PLANE_CTL_TILED_MASK) {
	case PLANE_CTL_TILED_LINEAR:
		*modifier = DRM_FORMAT_MOD_LINEAR;
		break;
	case PLANE_CTL_TILED_X:
		*modifier = I915_FORMAT_MOD_X_TILED;
		break;
	case PLANE_CTL_TILED_Y:
		*modifier = I915_FORMAT_MOD_Y_TILED;
		return rc ? dflip_fail(why, DFLIP_REJECT_MODIFIER, -EOPNOTSUPP) : 0;
	case PLANE_CTL_TILED_YF:
		*modifier = I915_FORMAT_MOD_Yf_TILED;
		return rc ? dflip_fail(why, DFLIP_REJECT_MODIFIER, -EOPNOTSUPP) : 0;
	default:
		return dflip_fail(why, DFLIP_REJECT_MODIFIER, -EINVAL);
	}

	/* render decompression needs Y or Yf tiling */
	if (rc)
		return dflip_fail(why, DFLIP_REJECT_MODIFIER, -EINVAL);
	return 0;
}

/*
 * Rotation is valid but not shown; horizontal reflection is reserved on
 * display version 9 (it exists from 11 on, skl_universal_plane_create()).
 */
static int dflip_decode_rotation(u32 ctl, enum dflip_reject *why)
{
	if (ctl & PLANE_CTL_FLIP_HORIZONTAL)
		return dflip_fail(why, DFLIP_REJECT_ROTATION, -EINVAL);
	if (ctl & PLANE_CTL_ROTATE_MASK)
		return dflip_fail(why, DFLIP_REJECT_ROTATION, -EOPNOTSUPP);
	return 0;
}

static int dflip_decode_key(const struct dflip_plane_regs *regs,
			    struct dflip_colorkey *key, enum dflip_reject *why)
{
	switch (regs->ctl & PLANE_CTL_KEY_ENABLE_MASK) {
	case 0:
		key->mode = DFLIP_KEY_NONE;
		break;
	case PLANE_CTL_KEY_ENABLE_SOURCE:
		key->mode = DFLIP_KEY_SOURCE;
		break;
	case PLANE_CTL_KEY_ENABLE_DESTINATION:
		key->mode = DFLIP_KEY_DESTINATION;
		break;
	default:
		return dflip_fail(why, DFLIP_REJECT_COLORKEY, -EINVAL);
	}
	key->value = regs->keyval;
	key->mask = regs->keymsk;
	key->max = regs->keymax;
	return 0;
}

static int dflip_decode_stride(const struct dflip_plane_regs *regs,
			       struct dflip_geometry *geo,
			       enum dflip_reject *why)
{
	struct dflip_layout lay;

	if (dflip_plane_layout(geo, &lay))
		return dflip_fail(why, DFLIP_REJECT_MODIFIER, -EINVAL);
	geo->stride = REG_FIELD_GET(PLANE_STRIDE__MASK, regs->stride) *
		      lay.stride_unit;
	return 0;
}

static int dflip_decode_universal(const struct dflip_plane_regs *regs,
				  struct dflip_plane_desc *desc,
				  enum dflip_reject *why)
{
	struct dflip_geometry *geo = &desc->geo;
	u32 ctl = regs->ctl;
	int ret;

	if (!(ctl & PLANE_CTL_ENABLE))
		return 0;

	ret = dflip_decode_format(ctl, &geo->format, why);
	if (ret)
		return ret;
	ret = dflip_decode_modifier(ctl, &geo->modifier, why);
	if (ret)
		return ret;
	ret = dflip_decode_key(regs, &desc->key, why);
	if (ret)
		return ret;
	ret = dflip_decode_rotation(ctl, why);
	if (ret)
		return ret;
	geo->width = REG_FIELD_GET(PLANE_WIDTH_MASK, regs->size) + 1;
	geo->height = REG_FIELD_GET(PLANE_HEIGHT_MASK, regs->size) + 1;

	ret = dflip_decode_stride(regs, geo, why);
	if (ret)
		return ret;

	desc->surf = dflip_decode_surf(desc->kind, regs->surf);
	desc->x = REG_FIELD_GET(PLANE_OFFSET_X_MASK, regs->offset);
	desc->y = REG_FIELD_GET(PLANE_OFFSET_Y_MASK, regs->offset);
	desc->crtc_x = REG_FIELD_GET(PLANE_POS_X_MASK, regs->pos);
	desc->crtc_y = REG_FIELD_GET(PLANE_POS_Y_MASK, regs->pos);
	desc->async = ctl & PLANE_CTL_ASYNC_FLIP;
	desc->enabled = true;
	return 0;
}

/*
 * Only the ARGB cursor modes carry a DRM format; the AND/XOR (32B_AX) and
 * 2 bpp modes have none, the other values are reserved.
 */
static int dflip_cursor_size(u32 ctl, unsigned int *size,
			     enum dflip_reject *why)
{
	switch (ctl & MCURSOR_MODE_MASK) {
	case MCURSOR_MODE_64_ARGB_AX:
		*size = 64;
		return 0;
	case MCURSOR_MODE_128_ARGB_AX:
		*size = 128;
		return 0;
	case MCURSOR_MODE_256_ARGB_AX:
		*size = 256;
		return 0;
	case MCURSOR_MODE_64_2B:
	case MCURSOR_MODE_64_32B_AX:
	case MCURSOR_MODE_128_32B_AX:
	case MCURSOR_MODE_256_32B_AX:
		return dflip_fail(why, DFLIP_REJECT_FORMAT, -EOPNOTSUPP);
	default:
		return dflip_fail(why, DFLIP_REJECT_FORMAT, -EINVAL);
	}
}

/**
 * dflip_decode_surf - the surface address a plane's surface register holds
 * @kind: the plane
 * @surf: the raw PLANE_SURF or CURBASE value
 *
 * What dflip_decode_plane() puts in &dflip_plane_desc.surf: the address
 * bits (PLANE_SURF's decrypt and flag bits and CURBASE's low 12 bits are
 * not part of it).
 *
 * Return: the graphics memory address.
 */
u64 dflip_decode_surf(enum dflip_plane_kind kind, u32 surf)
{
	if (kind == DFLIP_PLANE_CURSOR)
		return surf & DFLIP_CURBASE_ADDR_MASK;
	return surf & PLANE_SURF_ADDR_MASK;
}

/* CURPOS is sign-magnitude, not two's complement. */
static int dflip_cursor_coord(u32 magnitude, bool negative)
{
	return negative ? -(int)magnitude : (int)magnitude;
}

static int dflip_decode_cursor(const struct dflip_plane_regs *regs,
			       struct dflip_plane_desc *desc,
			       enum dflip_reject *why)
{
	struct dflip_geometry *geo = &desc->geo;
	unsigned int size;
	int ret;

	if ((regs->ctl & MCURSOR_MODE_MASK) == MCURSOR_MODE_DISABLE)
		return 0;

	ret = dflip_cursor_size(regs->ctl, &size, why);
	if (ret)
		return ret;
	if (regs->ctl & MCURSOR_ROTATE_180)
		return dflip_fail(why, DFLIP_REJECT_ROTATION, -EOPNOTSUPP);

	geo->format = DRM_FORMAT_ARGB8888;
	geo->modifier = DRM_FORMAT_MOD_LINEAR;
	geo->width = size;
	geo->height = size;
	geo->stride = size * 4;
	desc->surf = dflip_decode_surf(desc->kind, regs->surf);
	desc->crtc_x = dflip_cursor_coord(REG_FIELD_GET(CURSOR_POS_X_MASK, regs->pos),
					  regs->pos & CURSOR_POS_X_SIGN);
	desc->crtc_y = dflip_cursor_coord(REG_FIELD_GET(CURSOR_POS_Y_MASK, regs->pos),
					  regs->pos & CURSOR_POS_Y_SIGN);
	desc->enabled = true;
	return 0;
}

/**
 * dflip_decode_plane - decode a guest plane's raw Gen9 registers
 * @kind: primary or sprite (a universal plane) or cursor
 * @regs: the guest's register values
 * @desc: the decoded state; on error all zero but @desc->kind
 * @why: set to %DFLIP_OK, or to why the registers cannot be decoded
 *
 * Turns PLANE_CTL/STRIDE/POS/SIZE/OFFSET/SURF/KEY* (or CURCNTR/CURPOS/
 * CURBASE) into a DRM format, modifier, geometry in pixels and bytes, and
 * addresses. A disabled plane decodes to a zeroed
 * @desc with @desc->enabled false. The decoded state is not checked
 * against any limit here: see dflip_validate_plane(). Never allocates.
 *
 * Return: 0; -EINVAL for a reserved field value or an unknown @kind;
 * -EOPNOTSUPP for a valid mode that direct flip does not scan out
 * (indexed, NV12 or P01x formats, render compression, rotation, cursor
 * AND/XOR modes).
 */
int dflip_decode_plane(enum dflip_plane_kind kind,
		       const struct dflip_plane_regs *regs,
		       struct dflip_plane_desc *desc, enum dflip_reject *why)
{
	int ret;

	memset(desc, 0, sizeof(*desc));
	*why = DFLIP_OK;
	desc->kind = kind;

	switch (kind) {
	case DFLIP_PLANE_PRIMARY:
	case DFLIP_PLANE_SPRITE:
		ret = dflip_decode_universal(regs, desc, why);
		break;
	case DFLIP_PLANE_CURSOR:
		ret = dflip_decode_cursor(regs, desc, why);
		break;
	default:
		ret = dflip_fail(why, DFLIP_REJECT_FORMAT, -EINVAL);
		break;
	}

	if (ret) {
		memset(desc, 0, sizeof(*desc));
		desc->kind = kind;
	}
	return ret;
}
