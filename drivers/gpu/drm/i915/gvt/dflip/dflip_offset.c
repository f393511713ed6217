// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 */

/**
 * DOC: direct flip surface offsets
 *
 * A Gen9 universal plane starts reading at PLANE_SURF plus the pixel
 * offset in PLANE_OFFSET. i915 splits a framebuffer's source offset between
 * the two (skl_calc_main_surface_offset()): whole aligned blocks go into the
 * surface address, the rest into x and y, with x below the stride and, for
 * X-tiling, x plus the width within the stride (the plane hangs otherwise).
 *
 * When a guest pans inside a surface that the compositor shows part of, the
 * start is the compositor's offset plus the guest's. Adding the two x
 * offsets i915 and the guest would program alone can break those rules, so
 * direct flip splits the sum again the way i915 does (dflip_offset_split()).
 * The surface address of a tiled layout is linear in tiles (tile rows times
 * tiles per row, plus the tile in the row), so the sum is one position
 * whatever split it arrives in.
 */

#include <linux/align.h>
#include <linux/errno.h>
#include <linux/sizes.h>
#include <linux/wordpart.h>

#include <drm/drm_fourcc.h>

#include "dflip_host.h"

/* PLANE_OFFSET holds 13 bits of x and y on Gen9 (skl_check_main_surface()) */
#define DFLIP_OFFSET_MAX	8191u

/* Gen9 tiles are 4 KiB (intel_tile_size()). */
#define DFLIP_TILE_SIZE		SZ_4K

/**
 * struct dflip_offset_tiles - a tiled layout in i915's units
 * @width: tile width in pixels
 * @height: tile height in rows
 * @pitch: tiles per tile row
 */
struct dflip_offset_tiles {
	u32 width;
	u32 height;
	u32 pitch;
};

/* intel_adjust_tile_offset(): move @tiles tiles from the surface into x/y */
static void dflip_offset_add_tiles(const struct dflip_offset_tiles *t,
				   struct dflip_offset *off, u32 tiles)
{
	u32 pitch_pixels = t->pitch * t->width;

	off->y += tiles / t->pitch * t->height;
	off->x += tiles % t->pitch * t->width;
	/* keep x below the stride */
	off->y += off->x / pitch_pixels * t->height;
	off->x %= pitch_pixels;
}

/* intel_compute_aligned_offset(), tiled: whole aligned tiles to the surface */
static void dflip_offset_split_tiled(const struct dflip_offset_tiles *t,
				     u32 align, struct dflip_offset *off)
{
	u64 tiles = off->surf / DFLIP_TILE_SIZE +
		    (u64)(off->y / t->height) * t->pitch + off->x / t->width;
	u64 aligned = ALIGN_DOWN(tiles * DFLIP_TILE_SIZE, align);

	off->x %= t->width;
	off->y %= t->height;
	/* below the guest's 4 GiB of graphics memory */
	off->surf = lower_32_bits(aligned);
	dflip_offset_add_tiles(t, off, tiles - aligned / DFLIP_TILE_SIZE);
}

/* intel_compute_aligned_offset(), linear */
static void dflip_offset_split_linear(u32 stride, u32 cpp, u32 align,
				      struct dflip_offset *off)
{
	u64 start = off->surf + (u64)off->y * stride + (u64)off->x * cpp;
	u32 rest = start & (align - 1);

	off->surf = lower_32_bits(start - rest);
	off->y = rest / stride;
	off->x = rest % stride / cpp;
}

/**
 * dflip_offset_split - split a surface offset as i915 splits a source offset
 * @geo: the surface's geometry (a universal plane's)
 * @width: the width the plane reads, in pixels
 * @off: in: a start position as a tile-aligned byte offset from the surface
 *	and a pixel offset from there, in any split; out: the same position
 *	as i915 would program it: @off->surf aligned for the layout, x below
 *	the stride, x plus @width within the stride when X-tiled
 *
 * Return: 0, -EINVAL for a layout direct flip does not show, or -ERANGE
 * when the position cannot be programmed (an offset beyond PLANE_OFFSET's
 * 13 bits, or no X-tiled split that fits @width); @off is undefined then.
 */
int dflip_offset_split(const struct dflip_geometry *geo, u32 width,
		       struct dflip_offset *off)
{
	u32 align = dflip_surf_alignment(DFLIP_PLANE_PRIMARY, geo);
	struct dflip_offset_tiles t;
	struct dflip_layout lay;
	u32 moves;

	if (dflip_plane_layout(geo, &lay) || !geo->stride)
		return -EINVAL;

	if (geo->modifier == DRM_FORMAT_MOD_LINEAR) {
		dflip_offset_split_linear(geo->stride, lay.cpp, align, off);
		goto check;
	}

	t.width = lay.stride_unit / lay.cpp;
	t.height = lay.tile_rows;
	t.pitch = geo->stride / lay.stride_unit;
	if (!t.width || !t.pitch)
		return -EINVAL;
	dflip_offset_split_tiled(&t, align, off);

	/*
	 * skl_calc_main_surface_offset(): X-tiled, x + width within the
	 * stride, found by moving aligned blocks back into x/y. x repeats
	 * after at most a tile row's worth of moves: no more are tried.
	 */
	for (moves = 0; geo->modifier == I915_FORMAT_MOD_X_TILED &&
	     ((u64)off->x + width) * lay.cpp > geo->stride; moves++) {
		if (!off->surf || moves >= t.pitch)
			return -ERANGE;
		off->surf -= align;
		dflip_offset_add_tiles(&t, off, align / DFLIP_TILE_SIZE);
	}
check:
	if (off->x > DFLIP_OFFSET_MAX || off->y > DFLIP_OFFSET_MAX)
		return -ERANGE;
	return 0;
}
