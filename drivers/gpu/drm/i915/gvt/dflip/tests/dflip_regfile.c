// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * A Gen9 display plane register-file model and a fake direct flip backend
 * writing it, for the KUnit tests.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/irqflags.h>
#include <linux/string.h>

#include "i915_drv.h"
#include "display/intel_display_core.h"
#include "display/intel_cursor_regs.h"
#include "display/skl_universal_plane_regs.h"

#include "dflip_regfile.h"

/**
 * DOC: Gen9 plane register-file model
 *
 * The model keeps, per pipe and plane, the registers written (staged) and
 * the registers the display engine uses (live).  Register offsets come from
 * the kernel's definitions (PLANE_CTL() ... in skl_universal_plane_regs.h,
 * CURCNTR() ... in intel_cursor_regs.h).  Its rules are those of Gen9:
 *
 * - A universal plane is armed by a PLANE_SURF write, and by a PLANE_CTL
 *   write that enables a plane which is disabled (the control register
 *   self-arms in that case).
 * - The cursor is armed by a CURBASE write, by a CURCNTR write that
 *   enables it, and by a CURPOS write when CURCNTR was not written since
 *   the last latch.  Any cursor register write first cancels an armed,
 *   not yet latched cursor update.
 * - Writes after an arm and before the vblank join the pending update.
 * - A vblank increments the pipe's frame counter and latches the staged
 *   registers of every armed plane of the pipe into the live copy.
 *
 * What a plane scans out is computed from its live registers only, by the
 * model's own decoding (dflip_rf_spans()), independently of the decoder
 * under test.
 */

/*
 * The cursor registers are defined relative to the platform's cursor
 * offsets; Gen9 cursors are spaced like the pipes' universal planes.
 */
#define DFLIP_RF_PIPE_STRIDE	(_PLANE_CTL_1_B - _PLANE_CTL_1_A)

static const struct intel_display_device_info dflip_rf_gen9_info = {
	.cursor_offsets = {
		[PIPE_A] = _CURACNTR,
		[PIPE_B] = _CURACNTR + DFLIP_RF_PIPE_STRIDE,
		[PIPE_C] = _CURACNTR + 2 * DFLIP_RF_PIPE_STRIDE,
	},
};

static struct intel_display dflip_rf_gen9 = {
	.info.__device_info = &dflip_rf_gen9_info,
};

static i915_reg_t dflip_rf_cursor_reg(unsigned int pipe, enum dflip_rf_reg reg)
{
	struct intel_display *display = &dflip_rf_gen9;

	switch (reg) {
	case DFLIP_RF_CTL:
		return CURCNTR(display, pipe);
	case DFLIP_RF_POS:
		return CURPOS(display, pipe);
	case DFLIP_RF_SURF:
		return CURBASE(display, pipe);
	default:
		return INVALID_MMIO_REG;
	}
}

static i915_reg_t dflip_rf_plane_reg(unsigned int pipe, unsigned int plane,
				     enum dflip_rf_reg reg)
{
	switch (reg) {
	case DFLIP_RF_CTL:
		return PLANE_CTL(pipe, plane);
	case DFLIP_RF_STRIDE:
		return PLANE_STRIDE(pipe, plane);
	case DFLIP_RF_POS:
		return PLANE_POS(pipe, plane);
	case DFLIP_RF_SIZE:
		return PLANE_SIZE(pipe, plane);
	case DFLIP_RF_KEYVAL:
		return PLANE_KEYVAL(pipe, plane);
	case DFLIP_RF_KEYMSK:
		return PLANE_KEYMSK(pipe, plane);
	case DFLIP_RF_SURF:
		return PLANE_SURF(pipe, plane);
	case DFLIP_RF_KEYMAX:
		return PLANE_KEYMAX(pipe, plane);
	case DFLIP_RF_OFFSET:
		return PLANE_OFFSET(pipe, plane);
	case DFLIP_RF_AUX_DIST:
		return PLANE_AUX_DIST(pipe, plane);
	case DFLIP_RF_AUX_OFFSET:
		return PLANE_AUX_OFFSET(pipe, plane);
	default:
		return INVALID_MMIO_REG;
	}
}

/**
 * dflip_rf_reg() - the MMIO register of a plane register of the model
 * @pipe: pipe
 * @plane: plane index, %DFLIP_RF_CURSOR for the cursor
 * @reg: which register
 *
 * Return: the register, or INVALID_MMIO_REG if the plane has no such one.
 */
i915_reg_t dflip_rf_reg(unsigned int pipe, unsigned int plane,
			enum dflip_rf_reg reg)
{
	if (pipe >= DFLIP_RF_PIPES || plane >= DFLIP_RF_PLANES)
		return INVALID_MMIO_REG;
	if (plane == DFLIP_RF_CURSOR)
		return dflip_rf_cursor_reg(pipe, reg);
	return dflip_rf_plane_reg(pipe, plane, reg);
}

static bool dflip_rf_lookup(i915_reg_t r, unsigned int *pipe,
			    unsigned int *plane, enum dflip_rf_reg *reg)
{
	u32 offset = i915_mmio_reg_offset(r);
	unsigned int p, pl, rg;

	for (p = 0; p < DFLIP_RF_PIPES; p++)
		for (pl = 0; pl < DFLIP_RF_PLANES; pl++)
			for (rg = 0; rg < DFLIP_RF_NREGS; rg++) {
				i915_reg_t cand = dflip_rf_reg(p, pl, rg);

				if (!i915_mmio_reg_valid(cand) ||
				    i915_mmio_reg_offset(cand) != offset)
					continue;
				*pipe = p;
				*plane = pl;
				*reg = rg;
				return true;
			}
	return false;
}

/**
 * dflip_rf_init() - reset the model: everything zero, nothing armed
 * @rf: the model
 */
void dflip_rf_init(struct dflip_regfile *rf)
{
	memset(rf, 0, sizeof(*rf));
	spin_lock_init(&rf->lock);
}

static bool dflip_rf_cursor_on(u32 cntr)
{
	return (cntr & MCURSOR_MODE_MASK) != MCURSOR_MODE_DISABLE;
}

static void dflip_rf_cursor_write(struct dflip_rf_plane *p,
				  enum dflip_rf_reg reg, u32 val)
{
	/* any cursor register write cancels an armed update */
	p->armed = false;
	switch (reg) {
	case DFLIP_RF_SURF:
		p->armed = true;
		break;
	case DFLIP_RF_CTL:
		p->cntr_written = true;
		if (!dflip_rf_cursor_on(p->live[DFLIP_RF_CTL]) &&
		    dflip_rf_cursor_on(val))
			p->armed = true;
		break;
	case DFLIP_RF_POS:
		if (!p->cntr_written)
			p->armed = true;
		break;
	default:
		break;
	}
}

static void dflip_rf_plane_write(struct dflip_rf_plane *p,
				 enum dflip_rf_reg reg, u32 val)
{
	if (reg == DFLIP_RF_SURF)
		p->armed = true;
	else if (reg == DFLIP_RF_CTL &&
		 !(p->live[DFLIP_RF_CTL] & PLANE_CTL_ENABLE) &&
		 (val & PLANE_CTL_ENABLE))
		p->armed = true;
}

/**
 * dflip_rf_write() - an MMIO write to the model
 * @rf: the model
 * @r: the register
 * @val: the value
 *
 * Return: 0, or -ENOENT for a register the model does not have.
 */
int dflip_rf_write(struct dflip_regfile *rf, i915_reg_t r, u32 val)
{
	enum dflip_rf_reg reg;
	unsigned int pipe, plane;
	struct dflip_rf_plane *p;
	unsigned long flags;

	if (!dflip_rf_lookup(r, &pipe, &plane, &reg))
		return -ENOENT;

	spin_lock_irqsave(&rf->lock, flags);
	p = &rf->planes[pipe][plane];
	p->staged[reg] = val;
	if (plane == DFLIP_RF_CURSOR)
		dflip_rf_cursor_write(p, reg, val);
	else
		dflip_rf_plane_write(p, reg, val);
	rf->writes++;
	spin_unlock_irqrestore(&rf->lock, flags);

	if (rf->on_write)
		rf->on_write(rf);
	return 0;
}

/**
 * dflip_rf_read() - an MMIO read from the model
 * @rf: the model
 * @r: the register
 *
 * Return: the last value written (the staged value), 0 for a register the
 * model does not have.
 */
u32 dflip_rf_read(struct dflip_regfile *rf, i915_reg_t r)
{
	enum dflip_rf_reg reg;
	unsigned int pipe, plane;
	unsigned long flags;
	u32 val;

	if (!dflip_rf_lookup(r, &pipe, &plane, &reg))
		return 0;
	spin_lock_irqsave(&rf->lock, flags);
	val = rf->planes[pipe][plane].staged[reg];
	spin_unlock_irqrestore(&rf->lock, flags);
	return val;
}

/**
 * dflip_rf_live() - a register as the display engine uses it
 * @rf: the model
 * @pipe: pipe
 * @plane: plane index
 * @reg: which register
 *
 * Return: the live (latched) value.
 */
u32 dflip_rf_live(struct dflip_regfile *rf, unsigned int pipe,
		  unsigned int plane, enum dflip_rf_reg reg)
{
	unsigned long flags;
	u32 val;

	spin_lock_irqsave(&rf->lock, flags);
	val = rf->planes[pipe][plane].live[reg];
	spin_unlock_irqrestore(&rf->lock, flags);
	return val;
}

/**
 * dflip_rf_armed() - whether a plane has an armed, not latched update
 * @rf: the model
 * @pipe: pipe
 * @plane: plane index
 *
 * Return: true if armed.
 */
bool dflip_rf_armed(struct dflip_regfile *rf, unsigned int pipe,
		    unsigned int plane)
{
	unsigned long flags;
	bool armed;

	spin_lock_irqsave(&rf->lock, flags);
	armed = rf->planes[pipe][plane].armed;
	spin_unlock_irqrestore(&rf->lock, flags);
	return armed;
}

/**
 * dflip_rf_vblank() - the start of vblank on a pipe
 * @rf: the model
 * @pipe: pipe
 *
 * Increments the pipe's frame counter and latches every armed plane of the
 * pipe (calling &dflip_regfile.on_latch for each).
 */
void dflip_rf_vblank(struct dflip_regfile *rf, unsigned int pipe)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&rf->lock, flags);
	rf->frame[pipe]++;
	for (i = 0; i < DFLIP_RF_PLANES; i++) {
		struct dflip_rf_plane *p = &rf->planes[pipe][i];

		if (!p->armed)
			continue;
		memcpy(p->live, p->staged, sizeof(p->live));
		p->armed = false;
		p->cntr_written = false;
		p->latches++;
		if (rf->on_latch)
			rf->on_latch(rf, pipe, i, p->live);
	}
	spin_unlock_irqrestore(&rf->lock, flags);
}

/**
 * dflip_rf_frame() - a pipe's frame counter
 * @rf: the model
 * @pipe: pipe
 *
 * Return: vblanks of the pipe so far.
 */
u32 dflip_rf_frame(struct dflip_regfile *rf, unsigned int pipe)
{
	unsigned long flags;
	u32 frame;

	spin_lock_irqsave(&rf->lock, flags);
	frame = rf->frame[pipe];
	spin_unlock_irqrestore(&rf->lock, flags);
	return frame;
}

static unsigned int dflip_rf_cpp(u32 ctl)
{
	switch (ctl & PLANE_CTL_FORMAT_MASK_SKL) {
	case PLANE_CTL_FORMAT_INDEXED:
		return 1;
	case PLANE_CTL_FORMAT_RGB_565:
	case PLANE_CTL_FORMAT_YUV422:
		return 2;
	case PLANE_CTL_FORMAT_XRGB_8888:
	case PLANE_CTL_FORMAT_XRGB_2101010:
	case PLANE_CTL_FORMAT_XYUV:
		return 4;
	case PLANE_CTL_FORMAT_XRGB_16161616F:
		return 8;
	default:
		return 0; /* planar or reserved: not modelled */
	}
}

/* Tile width in bytes (0: linear) and height in rows. */
static int dflip_rf_tile(u32 ctl, unsigned int cpp, u32 *tw, u32 *th)
{
	switch (ctl & PLANE_CTL_TILED_MASK) {
	case PLANE_CTL_TILED_LINEAR:
		*tw = 0;
		*th = 1;
		return 0;
	case PLANE_CTL_TILED_X:
		*tw = 512;
		*th = 8;
		return 0;
	case PLANE_CTL_TILED_Y:
		*tw = 128;
		*th = 32;
		return 0;
	case PLANE_CTL_TILED_YF:
		*tw = cpp == 1 ? 64 : cpp <= 4 ? 128 : 256;
		*th = 4096 / *tw;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * The VT-d overfetch on both sides of what the plane reads; a start that
 * would wrap below 0 is 0, which no guest range starts at.
 */
static int dflip_rf_pad(struct dflip_gm_range *span, u64 guard)
{
	span->start = span->start > guard ? span->start - guard : 0;
	span->end += guard;
	return 1;
}

static int dflip_rf_plane_span(const u32 *regs, u64 guard,
			       struct dflip_gm_range *span)
{
	u32 ctl = regs[DFLIP_RF_CTL], tw, th;
	u64 surf = regs[DFLIP_RF_SURF] & PLANE_SURF_ADDR_MASK;
	u64 x = REG_FIELD_GET(PLANE_OFFSET_X_MASK, regs[DFLIP_RF_OFFSET]);
	u64 y = REG_FIELD_GET(PLANE_OFFSET_Y_MASK, regs[DFLIP_RF_OFFSET]);
	u64 w = REG_FIELD_GET(PLANE_WIDTH_MASK, regs[DFLIP_RF_SIZE]) + 1;
	u64 h = REG_FIELD_GET(PLANE_HEIGHT_MASK, regs[DFLIP_RF_SIZE]) + 1;
	u64 units = REG_FIELD_GET(PLANE_STRIDE__MASK, regs[DFLIP_RF_STRIDE]);
	unsigned int cpp = dflip_rf_cpp(ctl);
	u64 stride, row;

	if (!(ctl & PLANE_CTL_ENABLE))
		return 0;
	if (!cpp || (ctl & PLANE_CTL_RENDER_DECOMPRESSION_ENABLE) ||
	    (ctl & PLANE_CTL_ROTATE_MASK) == PLANE_CTL_ROTATE_90 ||
	    (ctl & PLANE_CTL_ROTATE_MASK) == PLANE_CTL_ROTATE_270 ||
	    dflip_rf_tile(ctl, cpp, &tw, &th))
		return -EOPNOTSUPP;

	if (!tw) {
		stride = units * 64;
		span->start = surf + y * stride + x * cpp;
		span->end = surf + (y + h - 1) * stride + (x + w) * cpp;
		return dflip_rf_pad(span, guard);
	}
	stride = units * tw;
	row = stride * th;	/* bytes per row of tiles */
	span->start = surf + (y / th) * row + (x * cpp / tw) * 4096;
	span->end = surf + ((y + h - 1) / th) * row +
		(((x + w) * cpp - 1) / tw + 1) * 4096;
	/* i915 pads a tiled scanout by one tile row when that is larger */
	return dflip_rf_pad(span, guard ? max(guard, row) : 0);
}

static int dflip_rf_cursor_span(const u32 *regs, u64 guard,
				struct dflip_gm_range *span)
{
	u32 base = regs[DFLIP_RF_SURF];
	u64 bytes;

	switch (regs[DFLIP_RF_CTL] & MCURSOR_MODE_MASK) {
	case MCURSOR_MODE_DISABLE:
		return 0;
	case MCURSOR_MODE_64_2B:
		bytes = 64 * 64 / 4;
		break;
	case MCURSOR_MODE_64_32B_AX:
	case MCURSOR_MODE_64_ARGB_AX:
		bytes = 64 * 64 * 4;
		break;
	case MCURSOR_MODE_128_32B_AX:
	case MCURSOR_MODE_128_ARGB_AX:
		bytes = 128 * 128 * 4;
		break;
	case MCURSOR_MODE_256_32B_AX:
	case MCURSOR_MODE_256_ARGB_AX:
		bytes = 256 * 256 * 4;
		break;
	default:
		return -EOPNOTSUPP;
	}
	/* whether the low bits of CURBASE count or not, cover both */
	span->start = base & ~0xfffu;
	span->end = (u64)base + bytes;
	return dflip_rf_pad(span, guard);
}

/**
 * dflip_rf_spans() - what a plane's registers make the display engine read
 * @regs: the plane's registers, indexed by &enum dflip_rf_reg
 * @cursor: @regs are cursor registers
 * @guard: bytes the engine overfetches on each side of a surface (VT-d
 *	guard; a tiled surface's tile row when larger, as i915 pads it)
 * @span: returns the graphics memory range read
 *
 * The model's own decoding, independent of dflip_decode_plane(): linear,
 * X, Y and Yf tiled packed formats at 0 or 180 degrees, and every cursor
 * mode.  Register fields are taken at their widest definition.
 *
 * Return: 1 with @span set, 0 when the plane reads nothing (disabled), or
 * -EOPNOTSUPP for a layout the model does not compute (planar, compressed,
 * 90/270 rotated, reserved encodings).
 */
int dflip_rf_spans(const u32 *regs, bool cursor, u64 guard,
		   struct dflip_gm_range *span)
{
	if (cursor)
		return dflip_rf_cursor_span(regs, guard, span);
	return dflip_rf_plane_span(regs, guard, span);
}

/**
 * dflip_rf_scanout() - what a plane of the model scans out now
 * @rf: the model
 * @pipe: pipe
 * @plane: plane index
 * @guard: VT-d guard bytes
 * @span: returns the range read
 *
 * Computed from the live registers only, see dflip_rf_spans().
 *
 * Return: as dflip_rf_spans().
 */
int dflip_rf_scanout(struct dflip_regfile *rf, unsigned int pipe,
		     unsigned int plane, u64 guard,
		     struct dflip_gm_range *span)
{
	u32 live[DFLIP_RF_NREGS];
	unsigned long flags;

	spin_lock_irqsave(&rf->lock, flags);
	memcpy(live, rf->planes[pipe][plane].live, sizeof(live));
	spin_unlock_irqrestore(&rf->lock, flags);
	return dflip_rf_spans(live, plane == DFLIP_RF_CURSOR, guard, span);
}

/*
 * The fake backend.  It writes the registers the way i915 does
 * (skl_plane_update_noarm() then skl_plane_update_arm(), PLANE_SURF last;
 * for the cursor CURCNTR, CURPOS, then CURBASE), with one deviation: when
 * the write enables a disabled plane, the control register is written
 * last (PLANE_SURF before PLANE_CTL; CURPOS, CURBASE, then CURCNTR).  The
 * control register self-arms in that case, and without i915's vblank
 * evasion a vblank right after it would latch the new control with the
 * old surface (after a disable: address 0, not the guest's memory); the
 * other way round a vblank in between latches a plane still disabled.
 *
 * The surface address written is the validated one (&dflip_plane_desc.surf),
 * not the guest's raw PLANE_SURF/CURBASE: their low bits are not part of
 * the address the validator checked (PLANE_SURF_DECRYPT, reserved CURBASE
 * bits) and must not reach the hardware.
 */

static void dflip_fake_wr(struct dflip_fake_hw *hw, enum dflip_rf_reg reg,
			  u32 val)
{
	dflip_rf_write(&hw->fake->rf, dflip_rf_reg(hw->pipe, hw->plane, reg),
		       val);
}

static void dflip_fake_write_cursor(struct dflip_fake_hw *hw,
				    const struct dflip_plane_regs *r, u32 surf)
{
	bool enable = dflip_rf_cursor_on(r->ctl);

	if (enable && !hw->enabled) {
		dflip_fake_wr(hw, DFLIP_RF_POS, r->pos);
		dflip_fake_wr(hw, DFLIP_RF_SURF, surf);
		dflip_fake_wr(hw, DFLIP_RF_CTL, r->ctl);
	} else {
		dflip_fake_wr(hw, DFLIP_RF_CTL, r->ctl);
		dflip_fake_wr(hw, DFLIP_RF_POS, r->pos);
		dflip_fake_wr(hw, DFLIP_RF_SURF, surf);
	}
	hw->enabled = enable;
}

static void dflip_fake_write_regs(struct dflip_fake_hw *hw,
				  const struct dflip_flip *flip)
{
	const struct dflip_plane_regs *r = &flip->regs;
	u32 surf = lower_32_bits(flip->desc.surf);
	bool enable = r->ctl & PLANE_CTL_ENABLE;

	if (hw->plane == DFLIP_RF_CURSOR) {
		dflip_fake_write_cursor(hw, r, surf);
		return;
	}
	dflip_fake_wr(hw, DFLIP_RF_STRIDE, r->stride);
	dflip_fake_wr(hw, DFLIP_RF_POS, r->pos);
	dflip_fake_wr(hw, DFLIP_RF_SIZE, r->size);
	dflip_fake_wr(hw, DFLIP_RF_KEYVAL, r->keyval);
	dflip_fake_wr(hw, DFLIP_RF_KEYMSK, r->keymsk);
	dflip_fake_wr(hw, DFLIP_RF_KEYMAX, r->keymax);
	dflip_fake_wr(hw, DFLIP_RF_OFFSET, r->offset);
	if (enable && !hw->enabled) {
		dflip_fake_wr(hw, DFLIP_RF_SURF, surf);
		dflip_fake_wr(hw, DFLIP_RF_CTL, r->ctl);
	} else {
		dflip_fake_wr(hw, DFLIP_RF_CTL, r->ctl);
		dflip_fake_wr(hw, DFLIP_RF_SURF, surf);
	}
	hw->enabled = enable;
}

static struct dflip_fake *dflip_fake_of(struct dflip_vplane *vp)
{
	return vp->vgpu->priv;
}

static void dflip_fake_arm(struct dflip_vplane *vp, void *hw,
			   const struct dflip_flip *flip)
{
	struct dflip_fake_hw *h = hw;

	h->arms++;
	dflip_fake_write_regs(h, flip);
}

/*
 * As the i915 backend tells a latch: a new surface by the live surface
 * register, one that keeps the live surface by the frame counter read
 * right after the arming (the reads the i915 backend makes are counted).
 */
static void dflip_fake_armed(struct dflip_vplane *vp, void *hw)
{
	struct dflip_fake_hw *h = hw;
	struct dflip_regfile *rf = &h->fake->rf;

	h->latch_surf = dflip_rf_read(rf, dflip_rf_reg(h->pipe, h->plane,
						       DFLIP_RF_SURF));
	h->latch_by_frame = h->latch_surf ==
			    dflip_rf_live(rf, h->pipe, h->plane, DFLIP_RF_SURF);
	if (h->latch_by_frame) {
		h->fake->frame_reads++;
		h->latch_frame = dflip_rf_frame(rf, h->pipe);
	}
}

static bool dflip_fake_latched(struct dflip_vplane *vp, void *hw)
{
	struct dflip_fake_hw *h = hw;
	struct dflip_regfile *rf = &h->fake->rf;

	if (h->latch_by_frame) {
		h->fake->frame_reads++;
		return dflip_rf_frame(rf, h->pipe) != h->latch_frame;
	}
	return dflip_rf_live(rf, h->pipe, h->plane, DFLIP_RF_SURF) ==
	       h->latch_surf;
}

static int dflip_fake_vblank_get(struct dflip_vplane *vp, void *hw)
{
	struct dflip_fake *fake = dflip_fake_of(vp);
	struct dflip_fake_hw *h = hw;
	unsigned long flags;
	int ret = 0;

	lockdep_assert_held(&vp->lock);
	spin_lock_irqsave(&fake->lock, flags);
	if (h->owner && h->owner != vp) {
		ret = -EBUSY;
	} else {
		h->owner = vp;
		h->vblank_refs++;
	}
	spin_unlock_irqrestore(&fake->lock, flags);
	return ret;
}

static void dflip_fake_vblank_put(struct dflip_vplane *vp, void *hw)
{
	struct dflip_fake *fake = dflip_fake_of(vp);
	struct dflip_fake_hw *h = hw;
	unsigned long flags;

	lockdep_assert_held(&vp->lock);
	spin_lock_irqsave(&fake->lock, flags);
	if (!WARN_ON(h->owner != vp || h->vblank_refs <= 0) &&
	    !--h->vblank_refs)
		h->owner = NULL;
	spin_unlock_irqrestore(&fake->lock, flags);
}

static void dflip_fake_flip_done(struct dflip_vplane *vp)
{
	lockdep_assert_held(&vp->lock);
	dflip_fake_of(vp)->flip_done[vp->id]++;
}

/* The fake backend's operations; vgpu->priv is the struct dflip_fake. */
const struct dflip_backend_ops dflip_fake_ops = {
	.arm = dflip_fake_arm,
	.armed = dflip_fake_armed,
	.latched = dflip_fake_latched,
	.vblank_get = dflip_fake_vblank_get,
	.vblank_put = dflip_fake_vblank_put,
	.flip_done = dflip_fake_flip_done,
};

/**
 * dflip_fake_init() - set up a fake backend and its model
 * @fake: the backend
 */
void dflip_fake_init(struct dflip_fake *fake)
{
	unsigned int p, i;

	memset(fake, 0, sizeof(*fake));
	dflip_rf_init(&fake->rf);
	spin_lock_init(&fake->lock);
	for (p = 0; p < DFLIP_RF_PIPES; p++)
		for (i = 0; i < DFLIP_RF_PLANES; i++) {
			fake->hw[p][i].fake = fake;
			fake->hw[p][i].pipe = p;
			fake->hw[p][i].plane = i;
		}
}

/**
 * dflip_fake_irq() - deliver a pipe's vblank interrupt
 * @fake: the backend
 * @pipe: pipe
 *
 * Calls dflip_plane_vblank() for every vGPU plane assigned to a hardware
 * plane of @pipe, with interrupts off as in the real handler.
 */
void dflip_fake_irq(struct dflip_fake *fake, unsigned int pipe)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&fake->lock, flags);
	for (i = 0; i < DFLIP_RF_PLANES; i++)
		if (fake->hw[pipe][i].owner)
			dflip_plane_vblank(fake->hw[pipe][i].owner);
	spin_unlock_irqrestore(&fake->lock, flags);
}

/**
 * dflip_fake_vblank() - a vblank: the model latches, then the interrupt
 * @fake: the backend
 * @pipe: pipe
 */
void dflip_fake_vblank(struct dflip_fake *fake, unsigned int pipe)
{
	dflip_rf_vblank(&fake->rf, pipe);
	dflip_fake_irq(fake, pipe);
}

/**
 * dflip_fake_host_commit() - a host commit reprogramming a hardware plane
 * @fake: the backend
 * @vp: the vGPU plane assigned to @hw
 * @hw: the hardware plane
 *
 * Programs what dflip_plane_surface() returns, with interrupts off (as in
 * i915's vblank evasion), then calls dflip_plane_surface_done().
 */
void dflip_fake_host_commit(struct dflip_fake *fake, struct dflip_vplane *vp,
			    struct dflip_fake_hw *hw)
{
	struct dflip_flip flip;
	unsigned long flags;

	if (!dflip_plane_surface(vp, &flip))
		return;
	local_irq_save(flags);
	dflip_fake_write_regs(hw, &flip);
	local_irq_restore(flags);
	dflip_plane_surface_done(vp);
}

/* The vGPU's graphics memory in the tests: 32 MiB aperture, 64 MiB hidden. */
const struct dflip_gm dflip_test_gm = {
	.aperture = { .start = 0x00200000, .end = 0x02200000 },
	.hidden = { .start = 0x80000000, .end = 0x84000000 },
	.vtd_guard = 0,
};

static void dflip_test_mutex_destroy(void *lock)
{
	mutex_destroy(lock);
}

/**
 * dflip_test_env_new() - a vGPU with direct flip on the fake backend
 * @test: the test (owns the memory)
 * @supported: direct flip supported on the (fake) device
 *
 * Return: the environment; the test fails if it cannot be allocated.
 */
struct dflip_test_env *dflip_test_env_new(struct kunit *test, bool supported)
{
	struct dflip_test_env *env;
	int ret;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	mutex_init(&env->lock);
	ret = kunit_add_action_or_reset(test, dflip_test_mutex_destroy,
					&env->lock);
	KUNIT_ASSERT_EQ(test, ret, 0);
	dflip_fake_init(&env->fake);
	dflip_vgpu_init(&env->vgpu, &env->lock, &dflip_fake_ops, &env->fake,
			&dflip_test_gm, supported);
	return env;
}

/**
 * dflip_test_regs() - valid guest registers of test flip number @id
 * @r: returns the registers
 * @kind: plane kind
 * @id: flip number, encoded in every register that may change between two
 *	flips of one geometry (surface slot, offset, position, key value)
 * @w: width (universal planes: a multiple of 16)
 * @h: height (universal planes)
 *
 * Universal planes: XRGB8888 linear @w x @h, stride @w + 16 pixels.
 * Cursor: 64x64 ARGB.
 */
void dflip_test_regs(struct dflip_plane_regs *r, enum dflip_plane_kind kind,
		     u32 id, u32 w, u32 h)
{
	memset(r, 0, sizeof(*r));
	r->surf = DFLIP_TEST_SURF_BASE + (id % DFLIP_TEST_SLOTS) * DFLIP_TEST_SLOT;
	if (kind == DFLIP_PLANE_CURSOR) {
		r->ctl = MCURSOR_MODE_64_ARGB_AX;
		r->pos = CURSOR_POS_X(id % 16) | CURSOR_POS_Y(1);
		return;
	}
	r->ctl = PLANE_CTL_ENABLE | PLANE_CTL_FORMAT_XRGB_8888 |
		 PLANE_CTL_TILED_LINEAR;
	r->stride = PLANE_STRIDE_((w + 16) * 4 / 64);
	r->size = PLANE_HEIGHT(h - 1) | PLANE_WIDTH(w - 1);
	r->offset = PLANE_OFFSET_X(id % 8);
	r->pos = PLANE_POS_X(id % 16);
	r->keyval = id;
}

/**
 * dflip_test_frame_id() - the test flip number a latched frame shows
 * @live: the latched registers
 * @cursor: they are cursor registers
 *
 * Return: the flip number (modulo %DFLIP_TEST_SLOTS for the cursor).
 */
u32 dflip_test_frame_id(const u32 *live, bool cursor)
{
	if (cursor)
		return (live[DFLIP_RF_SURF] - DFLIP_TEST_SURF_BASE) /
			DFLIP_TEST_SLOT;
	return live[DFLIP_RF_KEYVAL];
}

/**
 * dflip_test_frame_pure() - whether a frame is made of a single test flip
 * @live: the latched registers
 * @cursor: they are cursor registers
 *
 * A disabled plane is pure (it scans out nothing).
 *
 * Return: true if every register encoding the flip number agrees.
 */
bool dflip_test_frame_pure(const u32 *live, bool cursor)
{
	u32 id = dflip_test_frame_id(live, cursor);
	u32 surf = DFLIP_TEST_SURF_BASE + (id % DFLIP_TEST_SLOTS) * DFLIP_TEST_SLOT;

	if (cursor)
		return !dflip_rf_cursor_on(live[DFLIP_RF_CTL]) ||
			(live[DFLIP_RF_SURF] == surf &&
			 REG_FIELD_GET(CURSOR_POS_X_MASK, live[DFLIP_RF_POS]) ==
			 id % 16);
	return !(live[DFLIP_RF_CTL] & PLANE_CTL_ENABLE) ||
		(live[DFLIP_RF_SURF] == surf &&
		 live[DFLIP_RF_OFFSET] == PLANE_OFFSET_X(id % 8) &&
		 live[DFLIP_RF_POS] == PLANE_POS_X(id % 16));
}
