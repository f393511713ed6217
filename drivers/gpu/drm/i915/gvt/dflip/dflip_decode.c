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
 */

#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <drm/drm_blend.h>
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
	case DRM_FORMAT_NV12:
		return 1;
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

static bool dflip_is_ccs(u64 modifier)
{
	return modifier == I915_FORMAT_MOD_Y_TILED_CCS ||
	       modifier == I915_FORMAT_MOD_Yf_TILED_CCS;
}

/*
 * Tile width in bytes and height in rows, as i915's intel_tile_width_bytes()
 * and intel_tile_height() give them on Gen9 (4 KiB tiles, 128 byte Y-tile
 * rows); a linear surface counts as 64 byte wide, one row high "tiles",
 * the unit of its stride (skl_plane_stride_mult()).
 */
static int dflip_tile_dims(u64 modifier, unsigned int cpp, bool ccs_aux,
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
	case I915_FORMAT_MOD_Y_TILED_CCS:
		*width = 128;
		break;
	case I915_FORMAT_MOD_Yf_TILED:
	case I915_FORMAT_MOD_Yf_TILED_CCS:
		if (ccs_aux || cpp == 2 || cpp == 4)
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
 * dflip_geometry_has_aux - whether a geometry has an auxiliary surface
 * @geo: the geometry
 *
 * NV12 keeps its CbCr plane, and Y/Yf CCS their control surface, at
 * PLANE_AUX_DIST from the main surface.
 *
 * Return: true if the display engine reads an auxiliary surface.
 */
bool dflip_geometry_has_aux(const struct dflip_geometry *geo)
{
	return geo->format == DRM_FORMAT_NV12 || dflip_is_ccs(geo->modifier);
}

/**
 * dflip_plane_layout - the memory layout of one colour plane
 * @geo: the geometry (format, modifier and rotation are used)
 * @color_plane: 0 for the main surface, 1 for the auxiliary one
 * @lay: the layout, filled in on success
 *
 * Gives the bytes per pixel, subsampling, the unit of the stride register
 * field and the rows per tile row of the surface as the display engine
 * reads it. For 90/270 degree rotation that is the rotated GTT view, whose
 * tiles are the source tiles turned on their side: the stride field then
 * counts tile heights (skl_plane_stride_mult()). The CCS control surface is
 * Y-tiled with one byte per 8x16 main pixels (i915's skl_ccs_formats).
 *
 * Return: 0, or -EINVAL for an unknown format or modifier or a colour
 * plane the geometry does not have.
 */
int dflip_plane_layout(const struct dflip_geometry *geo,
		       unsigned int color_plane, struct dflip_layout *lay)
{
	bool ccs_aux = color_plane && dflip_is_ccs(geo->modifier);
	unsigned int width, height;
	int ret;

	memset(lay, 0, sizeof(*lay));
	lay->cpp = dflip_main_cpp(geo->format);
	if (!lay->cpp || color_plane > 1)
		return -EINVAL;
	lay->hsub = 1;
	lay->vsub = 1;

	if (ccs_aux) {
		lay->cpp = 1;
		lay->hsub = 8;
		lay->vsub = 16;
		lay->main_coords = true;
	} else if (color_plane) {
		if (geo->format != DRM_FORMAT_NV12)
			return -EINVAL;
		lay->cpp = 2;
		lay->hsub = 2;
		lay->vsub = 2;
	}

	ret = dflip_tile_dims(geo->modifier, lay->cpp, ccs_aux, &width, &height);
	if (ret)
		return ret;

	if (geo->modifier != DRM_FORMAT_MOD_LINEAR &&
	    drm_rotation_90_or_270(geo->rotation)) {
		lay->stride_unit = height * lay->cpp;
		lay->tile_rows = width / lay->cpp;
	} else {
		lay->stride_unit = width;
		lay->tile_rows = height;
	}
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
	case PLANE_CTL_FORMAT_NV12:
		*format = DRM_FORMAT_NV12;
		return 0;
	case PLANE_CTL_FORMAT_XYUV:
		*format = DRM_FORMAT_XYUV8888;
		return 0;
	case PLANE_CTL_FORMAT_P010:
	case PLANE_CTL_FORMAT_P012:
	case PLANE_CTL_FORMAT_P016:
	case PLANE_CTL_FORMAT_INDEXED:
		return dflip_fail(why, DFLIP_REJECT_FORMAT, -EOPNOTSUPP);
	default:
		return dflip_fail(why, DFLIP_REJECT_FORMAT, -EINVAL);
	}
}

/* PLANE_CTL tiling and render decompression, as skl_get_initial_plane_config() */
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
		*modifier = rc ? I915_FORMAT_MOD_Y_TILED_CCS :
				 I915_FORMAT_MOD_Y_TILED;
		return 0;
	case PLANE_CTL_TILED_YF:
		*modifier = rc ? I915_FORMAT_MOD_Yf_TILED_CCS :
				 I915_FORMAT_MOD_Yf_TILED;
		return 0;
	default:
		return dflip_fail(why, DFLIP_REJECT_MODIFIER, -EINVAL);
	}

	/* render decompression needs Y or Yf tiling */
	if (rc)
		return dflip_fail(why, DFLIP_REJECT_MODIFIER, -EINVAL);
	return 0;
}

/* The hardware rotates clockwise, DRM counter-clockwise: 90 and 270 swap. */
static unsigned int dflip_decode_rotation(u32 ctl)
{
	unsigned int rotation;

	switch (ctl & PLANE_CTL_ROTATE_MASK) {
	case PLANE_CTL_ROTATE_90:
		rotation = DRM_MODE_ROTATE_270;
		break;
	case PLANE_CTL_ROTATE_180:
		rotation = DRM_MODE_ROTATE_180;
		break;
	case PLANE_CTL_ROTATE_270:
		rotation = DRM_MODE_ROTATE_90;
		break;
	default:
		rotation = DRM_MODE_ROTATE_0;
		break;
	}
	if (ctl & PLANE_CTL_FLIP_HORIZONTAL)
		rotation |= DRM_MODE_REFLECT_X;
	return rotation;
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

static int dflip_decode_strides(const struct dflip_plane_regs *regs,
				struct dflip_plane_desc *desc,
				enum dflip_reject *why)
{
	struct dflip_geometry *geo = &desc->geo;
	struct dflip_layout lay;

	if (dflip_plane_layout(geo, 0, &lay))
		return dflip_fail(why, DFLIP_REJECT_MODIFIER, -EINVAL);
	geo->stride = REG_FIELD_GET(PLANE_STRIDE__MASK, regs->stride) *
		      lay.stride_unit;

	if (!dflip_geometry_has_aux(geo))
		return 0;

	if (dflip_plane_layout(geo, 1, &lay))
		return dflip_fail(why, DFLIP_REJECT_MODIFIER, -EINVAL);
	geo->aux_stride = REG_FIELD_GET(PLANE_AUX_STRIDE_MASK, regs->aux_dist) *
			  lay.stride_unit;
	geo->aux_dist = regs->aux_dist & PLANE_AUX_DISTANCE_MASK;
	desc->aux_x = REG_FIELD_GET(PLANE_OFFSET_X_MASK, regs->aux_offset);
	desc->aux_y = REG_FIELD_GET(PLANE_OFFSET_Y_MASK, regs->aux_offset);
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
	geo->rotation = dflip_decode_rotation(ctl);
	geo->width = REG_FIELD_GET(PLANE_WIDTH_MASK, regs->size) + 1;
	geo->height = REG_FIELD_GET(PLANE_HEIGHT_MASK, regs->size) + 1;

	ret = dflip_decode_strides(regs, desc, why);
	if (ret)
		return ret;

	desc->surf = regs->surf & PLANE_SURF_ADDR_MASK;
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

	geo->format = DRM_FORMAT_ARGB8888;
	geo->modifier = DRM_FORMAT_MOD_LINEAR;
	geo->width = size;
	geo->height = size;
	geo->stride = size * 4;
	geo->rotation = regs->ctl & MCURSOR_ROTATE_180 ? DRM_MODE_ROTATE_180 :
							 DRM_MODE_ROTATE_0;
	desc->surf = regs->surf & DFLIP_CURBASE_ADDR_MASK;
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
 * Turns PLANE_CTL/STRIDE/POS/SIZE/OFFSET/SURF/AUX_DIST/AUX_OFFSET/KEY* (or
 * CURCNTR/CURPOS/CURBASE) into a DRM format, modifier, rotation, geometry
 * in pixels and bytes, and addresses. A disabled plane decodes to a zeroed
 * @desc with @desc->enabled false. The decoded state is not checked
 * against any limit here: see dflip_validate_plane(). Never allocates.
 *
 * Return: 0; -EINVAL for a reserved field value or an unknown @kind;
 * -EOPNOTSUPP for a valid mode that direct flip does not scan out
 * (indexed or P01x formats, cursor AND/XOR modes).
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
