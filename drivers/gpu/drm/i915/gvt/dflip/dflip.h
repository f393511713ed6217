/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * Local Display Direct Flip: types shared by the hardware-independent
 * policy (decode, validate, plane state machine) and its users.
 */

#ifndef _GVT_DFLIP_H_
#define _GVT_DFLIP_H_

#include <linux/types.h>

/**
 * enum dflip_plane_kind - the planes GVT emulates on each virtual pipe
 * @DFLIP_PLANE_PRIMARY: universal plane 1 (DSPCNTR/PLANE_CTL(pipe, 0))
 * @DFLIP_PLANE_SPRITE: universal plane 2, the guest's sprite 0
 * @DFLIP_PLANE_CURSOR: the cursor (CURCNTR/CURPOS/CURBASE)
 * @DFLIP_PLANE_KINDS: number of plane kinds per pipe
 */
enum dflip_plane_kind {
	DFLIP_PLANE_PRIMARY,
	DFLIP_PLANE_SPRITE,
	DFLIP_PLANE_CURSOR,
	DFLIP_PLANE_KINDS,
};

/** DFLIP_MAX_PIPES - virtual pipes A, B and C */
#define DFLIP_MAX_PIPES		3
/** DFLIP_NUM_PLANES - vGPU planes; plane number = pipe * DFLIP_PLANE_KINDS + kind */
#define DFLIP_NUM_PLANES	(DFLIP_MAX_PIPES * DFLIP_PLANE_KINDS)

/**
 * struct dflip_plane_regs - the guest's raw plane registers, as last written
 * @ctl: PLANE_CTL, or CURCNTR for the cursor
 * @stride: PLANE_STRIDE (unused for the cursor)
 * @pos: PLANE_POS, or CURPOS for the cursor
 * @size: PLANE_SIZE (unused for the cursor)
 * @offset: PLANE_OFFSET (unused for the cursor)
 * @surf: PLANE_SURF, or CURBASE for the cursor
 * @keyval: PLANE_KEYVAL
 * @keymsk: PLANE_KEYMSK
 * @keymax: PLANE_KEYMAX
 */
struct dflip_plane_regs {
	u32 ctl;
	u32 stride;
	u32 pos;
	u32 size;
	u32 offset;
	u32 surf;
	u32 keyval;
	u32 keymsk;
	u32 keymax;
};

/**
 * struct dflip_geometry - what a vGPU plane framebuffer describes
 *
 * A framebuffer's metadata never changes: any change of these fields
 * between two guest flips gives the plane a new framebuffer object.
 *
 * @format: DRM fourcc
 * @modifier: DRM format modifier: linear, X, Y or Yf tiled
 * @width: source width in pixels
 * @height: source height in pixels
 * @stride: bytes per row (per tile row for tiled)
 *
 * One colour plane, unrotated: the decoder refuses the layouts a vGPU
 * framebuffer cannot show (NV12, render compression, rotation; see
 * dflip_decode_plane()).
 */
struct dflip_geometry {
	u32 format;
	u64 modifier;
	u32 width;
	u32 height;
	u32 stride;
};

/**
 * enum dflip_key_mode - colour keying programmed in PLANE_CTL
 * @DFLIP_KEY_NONE: no colour keying
 * @DFLIP_KEY_SOURCE: source key (PLANE_KEYVAL..PLANE_KEYMAX, PLANE_KEYMSK)
 * @DFLIP_KEY_DESTINATION: destination key
 */
enum dflip_key_mode {
	DFLIP_KEY_NONE,
	DFLIP_KEY_SOURCE,
	DFLIP_KEY_DESTINATION,
};

/**
 * struct dflip_colorkey - the guest's colour key, as programmed
 * @mode: source, destination or none
 * @value: PLANE_KEYVAL
 * @mask: PLANE_KEYMSK
 * @max: PLANE_KEYMAX
 */
struct dflip_colorkey {
	enum dflip_key_mode mode;
	u32 value;
	u32 mask;
	u32 max;
};

/**
 * struct dflip_plane_desc - one decoded guest plane state
 * @kind: the plane the registers were decoded for (its layout rules)
 * @enabled: the guest has the plane enabled
 * @geo: the geometry (framebuffer metadata)
 * @surf: graphics memory address of the main surface
 * @x: x offset into the surface (PLANE_OFFSET)
 * @y: y offset into the surface (PLANE_OFFSET)
 * @crtc_x: position on the pipe (cursor: may be negative)
 * @crtc_y: position on the pipe (cursor: may be negative)
 * @async: the guest asked for an asynchronous flip
 * @key: colour keying (universal planes only)
 */
struct dflip_plane_desc {
	enum dflip_plane_kind kind;
	bool enabled;
	struct dflip_geometry geo;
	u64 surf;
	u32 x;
	u32 y;
	int crtc_x;
	int crtc_y;
	bool async;
	struct dflip_colorkey key;
};

/**
 * struct dflip_gm_range - a half-open range [@start, @end) of graphics memory
 * @start: first byte
 * @end: one past the last byte
 */
struct dflip_gm_range {
	u64 start;
	u64 end;
};

/**
 * struct dflip_gm - the graphics memory a vGPU owns
 * @aperture: its slice of the mappable aperture
 * @hidden: its slice of the hidden (high) range
 * @vtd_guard: bytes of overfetch padding the display engine reads past a
 *	surface when the IOMMU is on (i915's VTD_GUARD), 0 otherwise; a
 *	tiled surface gets one tile row instead when that is larger
 */
struct dflip_gm {
	struct dflip_gm_range aperture;
	struct dflip_gm_range hidden;
	u64 vtd_guard;
};

/**
 * struct dflip_surf_window - the surfaces a checked plane state may have
 * @align: the surface alignment the layout needs (a power of two)
 * @lo: per guest range (aperture, hidden), the lowest surface address
 *	whose whole span fits in it
 * @hi: the highest; @lo > @hi when no surface fits that range
 */
struct dflip_surf_window {
	u64 align;
	u64 lo[2];
	u64 hi[2];
};

/**
 * enum dflip_reject - why a guest plane state cannot be flipped directly
 * @DFLIP_OK: the state is acceptable
 * @DFLIP_REJECT_FORMAT: pixel format not supported for direct flip
 * @DFLIP_REJECT_MODIFIER: tiling or compression not supported
 * @DFLIP_REJECT_ROTATION: rotation or reflection (not supported)
 * @DFLIP_REJECT_SIZE: zero or too large width or height
 * @DFLIP_REJECT_STRIDE: stride zero, misaligned or too small for the width
 * @DFLIP_REJECT_ALIGN: surface address misaligned for the layout
 * @DFLIP_REJECT_RANGE: a main-surface span lies outside the guest's memory
 * @DFLIP_REJECT_AUX_RANGE: no longer given: no layout with an auxiliary
 *	surface is accepted (the value keeps the numbering and names stable)
 * @DFLIP_REJECT_OFFSET: PLANE_OFFSET beyond the limit
 * @DFLIP_REJECT_COLORKEY: reserved colour key mode
 * @DFLIP_REJECT_COUNT: number of reasons
 *
 * New reasons are only ever added before @DFLIP_REJECT_COUNT.
 */
enum dflip_reject {
	DFLIP_OK,
	DFLIP_REJECT_FORMAT,
	DFLIP_REJECT_MODIFIER,
	DFLIP_REJECT_ROTATION,
	DFLIP_REJECT_SIZE,
	DFLIP_REJECT_STRIDE,
	DFLIP_REJECT_ALIGN,
	DFLIP_REJECT_RANGE,
	DFLIP_REJECT_AUX_RANGE,
	DFLIP_REJECT_OFFSET,
	DFLIP_REJECT_COLORKEY,
	DFLIP_REJECT_COUNT,
};

/**
 * struct dflip_layout - how the display engine walks a surface
 * @cpp: bytes per pixel
 * @stride_unit: bytes per unit of the PLANE_STRIDE field
 * @tile_rows: rows of the surface per tile row (1 for linear)
 */
struct dflip_layout {
	unsigned int cpp;
	unsigned int stride_unit;
	unsigned int tile_rows;
};

int dflip_decode_plane(enum dflip_plane_kind kind,
		       const struct dflip_plane_regs *regs,
		       struct dflip_plane_desc *desc, enum dflip_reject *why);
u64 dflip_decode_surf(enum dflip_plane_kind kind, u32 surf);
int dflip_validate_plane(const struct dflip_plane_desc *desc,
			 const struct dflip_gm *gm, enum dflip_reject *why);
int dflip_validate_window(const struct dflip_plane_desc *desc,
			  const struct dflip_gm *gm,
			  struct dflip_surf_window *win, enum dflip_reject *why);
bool dflip_window_holds(const struct dflip_surf_window *win, u64 surf);
bool dflip_geometry_equal(const struct dflip_geometry *a,
			  const struct dflip_geometry *b);
const char *dflip_reject_name(enum dflip_reject why);
int dflip_plane_layout(const struct dflip_geometry *geo,
		       struct dflip_layout *lay);
u32 dflip_surf_alignment(enum dflip_plane_kind kind,
			 const struct dflip_geometry *geo);

#if IS_ENABLED(CONFIG_KUNIT)
void dflip_span_window(const struct dflip_gm *gm, u64 len, u64 guard,
		       struct dflip_surf_window *win);
#endif

#endif /* _GVT_DFLIP_H_ */
