// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * Local Display Direct Flip: check a decoded guest plane before the
 * display engine scans it out.
 *
 * Every byte the display engine may fetch for the plane (its surface,
 * rounded up to whole tile rows and padded by the VT-d overfetch guard, or
 * by one tile row when that is larger, as i915 pads its own scanouts) must
 * lie inside one of the vGPU's own graphics memory ranges. The decoder
 * already refused the layouts with a second surface or a rotated view
 * (NV12, CCS, rotation). Runs on the trap path: no allocation.
 */

#include <linux/array_size.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/sizes.h>

#include <kunit/visibility.h>

#include <drm/drm_fourcc.h>

#include "dflip.h"

/* Largest PLANE_OFFSET x or y (13 bits on display version 9) */
#define DFLIP_MAX_OFFSET	8191
/* skl_plane_max_height() */
#define DFLIP_MAX_HEIGHT	4096
/* skl_plane_max_stride(): 8192 pixels (the PLANE_OFFSET limit), 32 KiB */
#define DFLIP_MAX_STRIDE_PIXELS	8192
#define DFLIP_MAX_STRIDE_BYTES	SZ_32K

static int dflip_fail(enum dflip_reject *why, enum dflip_reject reason,
		      int err)
{
	*why = reason;
	return err;
}

static bool dflip_is_fp16(u32 format)
{
	return format == DRM_FORMAT_XRGB16161616F ||
	       format == DRM_FORMAT_XBGR16161616F;
}

/*
 * Before display version 12 asynchronous flips need X, Y or Yf tiling
 * (intel_async_flip_check_hw()).
 */
static bool dflip_async_ok(const struct dflip_geometry *geo)
{
	return geo->modifier == I915_FORMAT_MOD_X_TILED ||
	       geo->modifier == I915_FORMAT_MOD_Y_TILED ||
	       geo->modifier == I915_FORMAT_MOD_Yf_TILED;
}

/* Format/modifier pairs Gen9 scans out: skl_plane_format_mod_supported() */
static int dflip_check_format(const struct dflip_plane_desc *desc,
			      enum dflip_reject *why)
{
	const struct dflip_geometry *geo = &desc->geo;
	struct dflip_layout lay;

	if (dflip_plane_layout(geo, &lay)) {
		if (geo->modifier == DRM_FORMAT_MOD_LINEAR)
			return dflip_fail(why, DFLIP_REJECT_FORMAT, -EINVAL);
		return dflip_fail(why, DFLIP_REJECT_MODIFIER, -EINVAL);
	}

	if (desc->kind == DFLIP_PLANE_CURSOR) {
		if (geo->format != DRM_FORMAT_ARGB8888)
			return dflip_fail(why, DFLIP_REJECT_FORMAT, -EINVAL);
		if (geo->modifier != DRM_FORMAT_MOD_LINEAR)
			return dflip_fail(why, DFLIP_REJECT_MODIFIER, -EINVAL);
		return 0;
	}

	if (geo->modifier == I915_FORMAT_MOD_Yf_TILED && dflip_is_fp16(geo->format))
		return dflip_fail(why, DFLIP_REJECT_MODIFIER, -EINVAL);
	if (desc->async && !dflip_async_ok(geo))
		return dflip_fail(why, DFLIP_REJECT_MODIFIER, -EINVAL);
	return 0;
}

/* skl_plane_max_width(): Y/Yf halve the linear/X limit, FP16 lowers both */
static u32 dflip_max_width(const struct dflip_geometry *geo, unsigned int cpp)
{
	if (geo->modifier == DRM_FORMAT_MOD_LINEAR ||
	    geo->modifier == I915_FORMAT_MOD_X_TILED)
		return cpp == 8 ? 4096 : 5120;
	return cpp == 8 ? 2048 : 4096;
}

static int dflip_check_size(const struct dflip_plane_desc *desc,
			    const struct dflip_layout *lay,
			    enum dflip_reject *why)
{
	const struct dflip_geometry *geo = &desc->geo;

	if (desc->kind == DFLIP_PLANE_CURSOR) {
		if (geo->width != geo->height ||
		    (geo->width != 64 && geo->width != 128 && geo->width != 256))
			return dflip_fail(why, DFLIP_REJECT_SIZE, -EINVAL);
		if (geo->stride != geo->width * lay->cpp)
			return dflip_fail(why, DFLIP_REJECT_STRIDE, -EINVAL);
		if (desc->x || desc->y)
			return dflip_fail(why, DFLIP_REJECT_OFFSET, -EINVAL);
		return 0;
	}

	if (!geo->width || geo->width > dflip_max_width(geo, lay->cpp) ||
	    !geo->height || geo->height > DFLIP_MAX_HEIGHT)
		return dflip_fail(why, DFLIP_REJECT_SIZE, -EINVAL);
	if (desc->x > DFLIP_MAX_OFFSET || desc->y > DFLIP_MAX_OFFSET)
		return dflip_fail(why, DFLIP_REJECT_OFFSET, -EINVAL);
	return 0;
}

/*
 * One row of the visible part, offset included, must fit in the stride,
 * and the stride in the limit of skl_plane_max_stride().
 */
static int dflip_check_stride(const struct dflip_plane_desc *desc,
			      const struct dflip_layout *lay,
			      enum dflip_reject *why)
{
	const struct dflip_geometry *geo = &desc->geo;
	u32 max = min_t(u32, DFLIP_MAX_STRIDE_PIXELS * lay->cpp,
			DFLIP_MAX_STRIDE_BYTES);
	u64 row = ((u64)desc->x + geo->width) * lay->cpp;

	if (!geo->stride || geo->stride > max || row > geo->stride)
		return dflip_fail(why, DFLIP_REJECT_STRIDE, -EINVAL);
	if (geo->stride % lay->stride_unit)
		return dflip_fail(why, DFLIP_REJECT_STRIDE, -EINVAL);
	return 0;
}

/**
 * dflip_surf_alignment - the surface alignment a plane's layout needs
 * @kind: the plane
 * @geo: its geometry (the modifier is used)
 *
 * PLANE_SURF alignment per skl_plane_min_alignment() (256 KiB linear and X,
 * 1 MiB Y and Yf), 4 KiB for the cursor (i9xx_cursor_min_alignment()).
 *
 * Return: the alignment in bytes, a power of two.
 */
u32 dflip_surf_alignment(enum dflip_plane_kind kind,
			 const struct dflip_geometry *geo)
{
	if (kind == DFLIP_PLANE_CURSOR)
		return SZ_4K;
	if (geo->modifier == DRM_FORMAT_MOD_LINEAR ||
	    geo->modifier == I915_FORMAT_MOD_X_TILED)
		return SZ_256K;
	return SZ_1M;
}

/*
 * The bases b whose span [b - @guard, b + @len + @guard) lies in @r: the
 * interval [*@lo, *@hi]. False when there is none (no base fits, an empty
 * span, or the arithmetic would wrap).
 */
static bool dflip_range_window(const struct dflip_gm_range *r, u64 len,
			       u64 guard, u64 *lo, u64 *hi)
{
	u64 need;

	if ((!len && !guard) || check_add_overflow(r->start, guard, lo) ||
	    check_add_overflow(len, guard, &need) || need > r->end)
		return false;
	*hi = r->end - need;
	return *lo <= *hi;
}

/**
 * dflip_span_window - where a span may start in the guest's memory
 * @gm: the vGPU's graphics memory
 * @len: bytes of the span (stride times rows read, tile-rounded)
 * @guard: overfetch padding on each side (see dflip_vtd_guard())
 * @win: returns, per range (aperture, hidden), the bases b whose span
 *	[b - @guard, b + @len + @guard) lies inside it; @win->align is not
 *	touched
 *
 * i915 pads scanout VMAs on both sides because VT-d may overfetch before
 * and after them (i915_gem_object_pin_to_display_plane()). A span never
 * straddles the two ranges, and arithmetic that would wrap fits nowhere.
 */
VISIBLE_IF_KUNIT void dflip_span_window(const struct dflip_gm *gm, u64 len,
					u64 guard, struct dflip_surf_window *win)
{
	const struct dflip_gm_range *r[] = { &gm->aperture, &gm->hidden };
	unsigned int i;

	static_assert(ARRAY_SIZE(r) == ARRAY_SIZE(win->lo));
	for (i = 0; i < ARRAY_SIZE(r); i++) {
		if (!dflip_range_window(r[i], len, guard, &win->lo[i],
					&win->hi[i])) {
			win->lo[i] = 1;
			win->hi[i] = 0;
		}
	}
}
EXPORT_SYMBOL_IF_KUNIT(dflip_span_window);

/**
 * dflip_window_holds - whether a surface lies in a window
 * @win: the window (dflip_validate_window())
 * @surf: the surface's graphics memory address
 *
 * Return: true if @surf is aligned as @win needs and its whole span lies
 * in one of the guest's ranges; O(1), for the trap path.
 */
bool dflip_window_holds(const struct dflip_surf_window *win, u64 surf)
{
	if (surf & (win->align - 1))
		return false;
	return (win->lo[0] <= surf && surf <= win->hi[0]) ||
	       (win->lo[1] <= surf && surf <= win->hi[1]);
}

/* Rows read from y to y + h, rounded out to whole tile rows. */
static u64 dflip_tile_rows(u64 y_end, unsigned int tile_rows)
{
	return DIV_ROUND_UP_ULL(y_end, tile_rows) * tile_rows;
}

/*
 * The padding i915 puts around a scanout when VT-d is on: VTD_GUARD, or one
 * tile row of the main surface when that is larger ("168 or tile-row PTE
 * padding", i915_gem_object_pin_to_display_plane()). Taken for every tiled
 * layout (i915 only knows fenced X and Y tiling; Yf reads whole tile rows
 * too).
 */
static u64 dflip_vtd_guard(const struct dflip_plane_desc *desc,
			   const struct dflip_layout *lay,
			   const struct dflip_gm *gm)
{
	if (!gm->vtd_guard || lay->tile_rows <= 1)
		return gm->vtd_guard;
	return max_t(u64, gm->vtd_guard, (u64)desc->geo.stride * lay->tile_rows);
}

/**
 * dflip_validate_window - check a decoded plane but for its surface
 * @desc: the decoded guest plane, enabled
 * @gm: the graphics memory the vGPU owns
 * @win: returns the surfaces @desc may be shown at
 * @why: set to %DFLIP_OK, or to the first reason the plane is rejected
 *
 * Every check of dflip_validate_plane() that does not depend on the
 * surface address; then the alignment the layout needs and, per guest
 * range, the interval of surfaces whose whole span (tile-rounded rows from
 * the y offset, the VT-d guard on both sides) fits there. @desc at a
 * surface s passes dflip_validate_plane() exactly when this passes and
 * dflip_window_holds(@win, s): the fast path of a surface-only flip
 * checks a new surface with that alone. Never allocates.
 *
 * Return: 0, or the error dflip_validate_plane() gives for the same
 * reason.
 */
int dflip_validate_window(const struct dflip_plane_desc *desc,
			  const struct dflip_gm *gm,
			  struct dflip_surf_window *win, enum dflip_reject *why)
{
	struct dflip_layout lay;
	u64 rows;
	int ret;

	*why = DFLIP_OK;
	ret = dflip_check_format(desc, why);
	if (ret)
		return ret;
	if (dflip_plane_layout(&desc->geo, &lay))
		return dflip_fail(why, DFLIP_REJECT_MODIFIER, -EINVAL);
	ret = dflip_check_size(desc, &lay, why);
	if (ret)
		return ret;
	ret = dflip_check_stride(desc, &lay, why);
	if (ret)
		return ret;

	rows = dflip_tile_rows((u64)desc->y + desc->geo.height, lay.tile_rows);
	win->align = dflip_surf_alignment(desc->kind, &desc->geo);
	dflip_span_window(gm, (u64)desc->geo.stride * rows,
			  dflip_vtd_guard(desc, &lay, gm), win);
	return 0;
}

/**
 * dflip_validate_plane - check that a decoded plane is safe to scan out
 * @desc: the decoded guest plane (see dflip_decode_plane())
 * @gm: the graphics memory the vGPU owns
 * @why: set to %DFLIP_OK, or to the first reason the plane is rejected
 *
 * Checks the format/modifier combination (and that an async flip uses a
 * layout that allows one), the size, offset and stride limits of
 * Gen9 universal planes (skl_universal_plane.c) or the cursor, the surface
 * alignment, and that every span the display engine reads lies inside one
 * of the guest's ranges (see dflip_span_window()). A disabled plane reads
 * nothing and is always accepted. Never allocates.
 *
 * Return: 0 if acceptable; -EINVAL if the state is malformed or beyond
 * the hardware limits; -ERANGE if a surface lies (partly) outside the
 * guest's graphics memory.
 */
int dflip_validate_plane(const struct dflip_plane_desc *desc,
			 const struct dflip_gm *gm, enum dflip_reject *why)
{
	struct dflip_surf_window win;
	int ret;

	*why = DFLIP_OK;
	if (!desc->enabled)
		return 0;

	ret = dflip_validate_window(desc, gm, &win, why);
	if (ret)
		return ret;
	if (desc->surf & (win.align - 1))
		return dflip_fail(why, DFLIP_REJECT_ALIGN, -EINVAL);
	if (!dflip_window_holds(&win, desc->surf))
		return dflip_fail(why, DFLIP_REJECT_RANGE, -ERANGE);
	return 0;
}

/**
 * dflip_geometry_equal - whether two geometries describe the same framebuffer
 * @a: one geometry
 * @b: the other
 *
 * Return: true if every field of @a and @b is equal.
 */
bool dflip_geometry_equal(const struct dflip_geometry *a,
			  const struct dflip_geometry *b)
{
	return a->format == b->format &&
	       a->modifier == b->modifier &&
	       a->width == b->width &&
	       a->height == b->height &&
	       a->stride == b->stride;
}

static const char * const dflip_reject_names[] = {
	[DFLIP_OK] = "ok",
	[DFLIP_REJECT_FORMAT] = "format",
	[DFLIP_REJECT_MODIFIER] = "modifier",
	[DFLIP_REJECT_ROTATION] = "rotation",
	[DFLIP_REJECT_SIZE] = "size",
	[DFLIP_REJECT_STRIDE] = "stride",
	[DFLIP_REJECT_ALIGN] = "align",
	[DFLIP_REJECT_RANGE] = "range",
	[DFLIP_REJECT_AUX_RANGE] = "aux_range",
	[DFLIP_REJECT_OFFSET] = "offset",
	[DFLIP_REJECT_COLORKEY] = "colorkey",
};

static_assert(ARRAY_SIZE(dflip_reject_names) == DFLIP_REJECT_COUNT);

/**
 * dflip_reject_name - a stable short name for a reject reason
 * @why: the reason
 *
 * The names are part of the debugfs interface and never change.
 *
 * Return: the name, or "unknown" for a value outside the enum.
 */
const char *dflip_reject_name(enum dflip_reject why)
{
	if ((unsigned int)why >= ARRAY_SIZE(dflip_reject_names))
		return "unknown";
	return dflip_reject_names[why];
}
