// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 */

/**
 * DOC: direct flip host glue
 *
 * Connects three parts: GVT's vGPUs (MMIO traps, vGPU life cycle), the
 * hardware-independent vGPU plane state machine (dflip_plane.c, which
 * decides what may be shown) and i915's vGPU framebuffers
 * (display/intel_vgpu_fb.c, which put a vGPU plane on a real plane).
 *
 * - Guest flips: the MMIO handlers of PLANE_SURF, REG_50080 and the cursor
 *   registers call dflip_host_guest_flip() with the vGPU's lock held; it
 *   hands the guest's raw plane registers to dflip_plane_guest_write().
 * - Framebuffers: a guest flip of a new geometry moves the plane to a new
 *   framebuffer generation (&dflip_vplane.fb); the trap path sees a
 *   generation it has not made and kicks a work item, which makes it off
 *   that path: at most once per DFLIP_HOST_GEOMETRY_PERIOD_MS it makes
 *   one framebuffer per plane for the plane's latest geometry
 *   (intel_vgpu_fb_create()), destroys the old ones no hardware plane
 *   shows, and sends a uevent naming the plane and the new framebuffer
 *   id. Readers of a plane's framebuffer (sysfs, the VFIO query) get what
 *   the work made, never make one. At vGPU creation every plane gets
 *   one of a default geometry (dflip_host_vgpu_init()); at VFIO close they
 *   are taken off the hardware (dflip_host_vgpu_release()).
 * - Assignment: i915 calls &intel_vgpu_fb_ops with an i915 spinlock held,
 *   possibly with interrupts off. Its assign and unassign callbacks call
 *   the state machine's dflip_plane_assign() and dflip_plane_unassign()
 *   there and then, which record the assignment under the vGPU plane's
 *   spinlock: the one record of which hardware plane shows the plane and
 *   which framebuffer generation it shows. GVT stops writing a hardware
 *   plane before i915 reprograms it, and writes a newly assigned one from
 *   the guest's next flip. The glue keeps only where that hardware plane
 *   is and how i915 programmed it (&dflip_host_plane.hw).
 * - Vblanks: the state machine's vblank entry runs from a chain of DRM
 *   vblank works on the assigned CRTC. The commit starts and stops the
 *   chain at once; dropping the CRTC's vblank reference waits for a run
 *   under way, so that is left to a work item (dflip_host_vblank_drop()).
 * - Access: i915 asks &intel_vgpu_fb_ops.may_reference whenever a DRM
 *   client looks a framebuffer of the vGPU up by id; the answer is
 *   dflip_policy_may_reference() with the lessee the vGPU is bound to: a
 *   referenced &drm_master (dflip_host_bind_lessee()), under the vGPU's
 *   lessee spinlock, which nests inside intel_vgpu_fb_lock.
 * - Flips onto the hardware write the surface register (PLANE_SURF or
 *   CURBASE) and, when the guest pans, PLANE_OFFSET: everything else of the
 *   hardware plane is i915's, programmed from the framebuffer's immutable
 *   geometry and the compositor's state. The offset i915 added for the
 *   compositor's source rectangle is kept and the guest's PLANE_OFFSET is
 *   added to it, the sum split between PLANE_SURF and PLANE_OFFSET as i915
 *   splits its own (dflip_offset_split(): on X-tiled surfaces x plus the
 *   width must stay within the stride), also right after i915 armed the
 *   plane with its own offset alone (dflip_host_plane_write_locked()).
 *   The cursor writes CURPOS before CURBASE, with the
 *   guest's cursor position mapped into where the compositor shows the
 *   same virtual pipe's primary (dflip_host_cursor_pos()), also right
 *   after i915 armed the cursor plane with the compositor's position.
 */

#include <linux/kobject.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <drm/drm_auth.h>
#include <drm/drm_blend.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_rect.h>
#include <drm/drm_vblank.h>
#include <drm/drm_vblank_work.h>

#include "i915_drv.h"
#include "i915_reg.h"
#include "gvt/gvt.h"
#include "display/intel_cursor_regs.h"
#include "display/intel_vgpu_fb.h"
#include "display/skl_universal_plane_regs.h"

#include "dflip_host.h"
#include "dflip_plane.h"
#include "dflip_policy.h"

#define CREATE_TRACE_POINTS
#include "dflip_trace.h"

/* gem/i915_gem_domain.c: the display engine overfetches with VT-d on */
#define DFLIP_HOST_VTD_GUARD	(168u * I915_GTT_PAGE_SIZE)

/*
 * A guest's geometry changes make framebuffers at most this often per vGPU
 * (coalesced: one framebuffer for the latest geometry of each plane).
 */
#define DFLIP_HOST_GEOMETRY_PERIOD_MS	20

struct dflip_host_vgpu;
struct dflip_host_plane;

/**
 * struct dflip_host_origin - where a guest frame starts
 * @surf: its surface, the guest's PLANE_SURF or CURBASE
 * @x: the guest's x offset into it (PLANE_OFFSET), 0 for the cursor
 * @y: the guest's y offset
 */
struct dflip_host_origin {
	u32 surf;
	u32 x;
	u32 y;
};

/**
 * struct dflip_host_vblank - a chain of DRM vblank works on one CRTC
 * @work: calls dflip_plane_vblank() and schedules itself for the next vblank
 * @hp: the vGPU plane
 * @crtc: the CRTC; the chain holds a vblank reference on it; NULL: the
 *	chain is free
 * @on: @work reschedules itself
 * @dropping: dflip_host_vblank_drop() is letting go of @work and its
 *	reference: nothing else touches them
 *
 * All fields but @work are protected by the plane's &dflip_vplane.lock.
 */
struct dflip_host_vblank {
	struct drm_vblank_work work;
	struct dflip_host_plane *hp;
	struct drm_crtc *crtc;
	bool on;
	bool dropping;
};

/**
 * struct dflip_host_fb - one framebuffer of a vGPU plane (the i915 owner)
 * @hp: the vGPU plane
 * @fb: the i915 framebuffer
 * @gen: the state machine's framebuffer generation it has
 * @geo: its geometry (immutable), set before @fb's id is published, so a
 *	commit racing intel_vgpu_fb_create() reads it without @fb
 * @frame: a frame validated for @geo, the guest's frame it was made for:
 *	what a host commit of it shows when neither the hardware plane's
 *	frame nor the guest's current one is of @geo (immutable)
 * @link: entry in &dflip_host_plane.fbs
 */
struct dflip_host_fb {
	struct dflip_host_plane *hp;
	struct drm_framebuffer *fb;
	u32 gen;
	struct dflip_geometry geo;
	struct dflip_host_origin frame;
	struct list_head link;
};

/**
 * struct dflip_host_plane - glue state of one vGPU plane
 * @hv: the vGPU
 * @vp: the state machine's plane
 * @fbs: its framebuffers, the current one last (vGPU lock)
 * @hw: where the hardware plane that shows the plane is and how i915
 *	programmed it, valid while the state machine has the plane assigned
 *	(&dflip_vplane.lock)
 * @base: the frame last given to i915 or written; its surface tells the
 *	offset i915 added (&dflip_vplane.lock)
 * @delta: what i915 added to @base's surface in the surface register: the
 *	compositor's source offset (&dflip_vplane.lock)
 * @offset: the value of @hw's PLANE_OFFSET, as i915 or GVT last wrote it
 *	(&dflip_vplane.lock)
 * @surf: the value of @hw's surface register, as i915 or GVT last wrote
 *	it (&dflip_vplane.lock)
 * @live: the surface @hw is known to scan out, valid with @live_known: the
 *	last @surf seen latched (&dflip_vplane.lock)
 * @live_known: @live is valid; false once i915 reprograms @hw for another
 *	framebuffer or puts the plane on another hardware plane
 *	(&dflip_vplane.lock)
 * @latch_by_frame: the last arming kept the live surface, so only the
 *	frame counter can tell its latch (&dflip_vplane.lock)
 * @latch_frame: the frame counter read right after that arming
 *	(&dflip_vplane.lock)
 * @vblank: two chains, so that a plane moved to another CRTC gets its new
 *	chain at once while the old one is let go of in process context
 * @made_gen: the state machine's framebuffer generation the glue last made
 *	this plane's framebuffer for (vGPU lock); behind &dflip_vplane.fb
 *	until the geometry work ran
 * @fbs_made: framebuffers made, for debugfs (vGPU lock)
 * @fbs_destroyed: framebuffers destroyed (vGPU lock)
 */
struct dflip_host_plane {
	struct dflip_host_vgpu *hv;
	struct dflip_vplane *vp;
	struct list_head fbs;
	struct intel_vgpu_fb_plane hw;
	struct dflip_host_origin base;
	u32 delta;
	u32 offset;
	u32 surf;
	u32 live;
	bool live_known;
	bool latch_by_frame;
	u32 latch_frame;
	struct dflip_host_vblank vblank[2];
	u32 made_gen;
	unsigned int fbs_made;
	unsigned int fbs_destroyed;
};

/**
 * struct dflip_host_vgpu - glue state of one vGPU
 * @vgpu: the vGPU
 * @core: the state machine
 * @planes: per vGPU plane, indexed like &dflip_vgpu.planes
 * @vblank_drop: lets go of the planes' stopped vblank chains
 *	(dflip_host_vblank_drop())
 * @vblank_mutex: serializes dflip_host_vblank_drop()
 * @geometry: makes the framebuffers of the planes' new geometries
 * @geometry_next: when @geometry may run next (jiffies, vGPU lock)
 * @dying: the vGPU goes away: no work is queued any more (set under
 *	every plane's &dflip_vplane.lock)
 * @selected: the plane number sysfs plane_id_index reports (vGPU lock)
 * @lessee_lock: protects @lessee
 * @lessee: the DRM master of the lessee the vGPU is bound to, referenced,
 *	NULL for none
 */
struct dflip_host_vgpu {
	struct intel_vgpu *vgpu;
	struct dflip_vgpu core;
	struct dflip_host_plane planes[DFLIP_NUM_PLANES];
	struct work_struct vblank_drop;
	struct mutex vblank_mutex; /* dflip_host_vblank_drop() */
	struct delayed_work geometry;
	unsigned long geometry_next;
	bool dying;
	unsigned int selected;
	spinlock_t lessee_lock;	/* @lessee; inside intel_vgpu_fb_lock */
	struct drm_master *lessee;
};

/* the GVT device the i915 ops are registered for (one at a time) */
static struct intel_gvt *dflip_host_gvt;
static DEFINE_MUTEX(dflip_host_mutex);

static struct drm_i915_private *hp_i915(const struct dflip_host_plane *hp)
{
	return hp->hv->vgpu->gvt->gt->i915;
}

static struct dflip_host_plane *to_hp(struct dflip_vplane *vp)
{
	struct dflip_host_vgpu *hv = vp->vgpu->priv;

	return &hv->planes[vp->id];
}

static i915_reg_t dflip_host_surf_reg(struct drm_i915_private *i915,
				      const struct intel_vgpu_fb_plane *hw)
{
	if (hw->id == PLANE_CURSOR)
		return CURBASE(i915, hw->pipe);
	return PLANE_SURF(hw->pipe, hw->id);
}

/* Called under a plane's &dflip_vplane.lock (see &dflip_host_vgpu.dying). */
static void dflip_host_vblank_kick(struct dflip_host_vgpu *hv)
{
	if (!READ_ONCE(hv->dying))
		queue_work(system_wq, &hv->vblank_drop);
}

/*
 * Every hardware register access of the glue goes through these two, kept
 * out of line so that the benchmark (tests/dflip_bench.c) can count them
 * with ftrace, and traced (dflip_trace.h): kvmgt's raw accesses do not go
 * through i915's i915_reg_rw tracepoint.
 */
static noinline u32 dflip_host_hw_read(struct drm_i915_private *i915,
				       i915_reg_t reg)
{
	u32 val = intel_uncore_read_fw(&i915->uncore, reg);

	trace_dflip_hw_read(i915_mmio_reg_offset(reg), val);
	return val;
}

static noinline void dflip_host_hw_write(struct drm_i915_private *i915,
					 i915_reg_t reg, u32 val)
{
	trace_dflip_hw_write(i915_mmio_reg_offset(reg), val);
	intel_uncore_write_fw(&i915->uncore, reg, val);
}

/* i915 armed @hw: remember what it added to the surface we gave. */
static void dflip_host_record_locked(struct dflip_host_plane *hp)
{
	struct drm_i915_private *i915 = hp_i915(hp);
	u32 reg = dflip_host_hw_read(i915, dflip_host_surf_reg(i915, &hp->hw));

	hp->delta = reg - hp->base.surf;
	hp->surf = reg;
	if (hp->hw.id != PLANE_CURSOR)
		hp->offset = PLANE_OFFSET_Y(hp->hw.y) | PLANE_OFFSET_X(hp->hw.x);
}

static struct dflip_host_origin
dflip_host_origin(const struct dflip_plane_desc *desc)
{
	return (struct dflip_host_origin){
		.surf = lower_32_bits(desc->surf),
		.x = desc->x,
		.y = desc->y,
	};
}

/*
 * A framebuffer may go on @hw if it is the plane's current one, or the one
 * @hw shows already (a host commit pulling the plane in, while the guest
 * moved to another geometry: it keeps its frame), unless VFIO closed.
 */
static int dflip_host_fb_check(void *owner, const struct intel_vgpu_fb_plane *hw)
{
	struct dflip_host_fb *hfb = owner;
	struct dflip_host_plane *hp = hfb->hp;
	struct dflip_vplane *vp = hp->vp;
	bool released, current_fb, shown, elsewhere;
	unsigned long flags;
	int ret = 0;

	if (!READ_ONCE(vp->vgpu->supported))
		return -EOPNOTSUPP;

	spin_lock_irqsave(&vp->lock, flags);
	/* VFIO closed: the frames are gone, the pages about to be unpinned */
	released = vp->fb.enabled && !vp->has_cur;
	current_fb = vp->fb.enabled && vp->fb.gen == hfb->gen;
	shown = dflip_plane_assigned_locked(vp) &&
		hp->hw.plane == hw->plane && vp->hw_gen == hfb->gen;
	elsewhere = dflip_plane_assigned_locked(vp) &&
		    hp->hw.plane != hw->plane;
	if (released)
		ret = -ENODATA;
	else if (elsewhere)
		ret = -EBUSY;
	else if (!current_fb && !shown)
		ret = -ESTALE;
	spin_unlock_irqrestore(&vp->lock, flags);

	return ret;
}

static void dflip_host_fb_hold(void *owner, const struct intel_vgpu_fb_plane *hw)
{
	struct dflip_host_fb *hfb = owner;
	struct dflip_flip flip;

	/* no flip is armed until dflip_plane_surface_done() */
	dflip_plane_surface(hfb->hp->vp, &flip);
}

static u32 dflip_host_fb_surface(void *owner, const struct intel_vgpu_fb_plane *hw)
{
	struct dflip_host_fb *hfb = owner;
	struct dflip_host_plane *hp = hfb->hp;
	struct dflip_vplane *vp = hp->vp;
	struct dflip_flip flip;
	unsigned long flags;
	bool assigned;
	u32 surf;

	assigned = dflip_plane_surface(vp, &flip);

	spin_lock_irqsave(&vp->lock, flags);
	/*
	 * i915 programs the framebuffer's geometry at what this returns: it
	 * must be a frame validated for that geometry, whatever the guest
	 * did since the atomic check. The frame on the hardware plane if it
	 * is of that geometry, else the guest's latest one if it is, else
	 * the framebuffer's own last frame.
	 */
	if (assigned && flip.desc.enabled &&
	    dflip_geometry_equal(&flip.desc.geo, &hfb->geo))
		hp->base = dflip_host_origin(&flip.desc);
	else if (vp->has_cur && dflip_geometry_equal(&vp->cur.desc.geo, &hfb->geo))
		hp->base = dflip_host_origin(&vp->cur.desc);
	else
		hp->base = hfb->frame;
	surf = hp->base.surf;
	spin_unlock_irqrestore(&vp->lock, flags);

	/* the guest's offset follows in assign() or surface_done() */
	return surf;
}

/*
 * Where on the host the guest's cursor goes: its position in the guest's
 * pipe mapped into the placement of the same virtual pipe's primary on the
 * cursor's CRTC (the primary's destination rectangle and its scale from
 * the source rectangle), the cursor's origin clipped to that rectangle
 * (a hardware cursor cannot be cropped). False when that primary is not
 * shown on the cursor's CRTC: the cursor then stays where the compositor
 * put it. Called with the cursor's plane lock held; takes the primary's.
 */
static bool dflip_host_cursor_pos(struct dflip_host_plane *hp,
				  const struct dflip_plane_desc *desc, u32 *pos)
{
	struct dflip_host_plane *php =
		&hp->hv->planes[hp->vp->pipe * DFLIP_PLANE_KINDS +
				DFLIP_PLANE_PRIMARY];
	struct drm_rect src, dst;
	int sw, sh, x, y;
	bool shown;

	lockdep_assert_held(&hp->vp->lock);
	/* the one nesting of two plane locks: cursor, then primary */
	spin_lock_nested(&php->vp->lock, SINGLE_DEPTH_NESTING);
	shown = dflip_plane_assigned_locked(php->vp) &&
		php->hw.crtc == hp->hw.crtc;
	src = php->hw.src;
	dst = php->hw.dst;
	spin_unlock(&php->vp->lock);

	sw = drm_rect_width(&src) >> 16;
	sh = drm_rect_height(&src) >> 16;
	if (!shown || sw <= 0 || sh <= 0 || drm_rect_width(&dst) <= 0 ||
	    drm_rect_height(&dst) <= 0)
		return false;

	x = dst.x1 + (desc->crtc_x - (src.x1 >> 16)) * drm_rect_width(&dst) / sw;
	y = dst.y1 + (desc->crtc_y - (src.y1 >> 16)) * drm_rect_height(&dst) / sh;
	x = clamp(x, dst.x1, dst.x2 - 1);
	y = clamp(y, dst.y1, dst.y2 - 1);

	*pos = CURSOR_POS_X(abs(x)) | CURSOR_POS_Y(abs(y));
	if (x < 0)
		*pos |= CURSOR_POS_X_SIGN;
	if (y < 0)
		*pos |= CURSOR_POS_Y_SIGN;
	return true;
}

/*
 * Write the cursor's position for @desc, then its surface, which arms
 * both (a CURPOS write alone arms nothing on Gen9, i9xx_cursor_update_arm()).
 */
static void dflip_host_cursor_write_locked(struct dflip_host_plane *hp,
					   const struct dflip_plane_desc *desc)
{
	struct drm_i915_private *i915 = hp_i915(hp);
	u32 pos;

	if (dflip_host_cursor_pos(hp, desc, &pos))
		dflip_host_hw_write(i915, CURPOS(i915, hp->hw.pipe), pos);
	hp->surf = hp->base.surf + hp->delta;
	dflip_host_hw_write(i915, CURBASE(i915, hp->hw.pipe), hp->surf);
}

/*
 * Where @hw starts reading @hp->base: i915's split of the compositor's
 * source offset (the surface part it added, @hp->delta, and its x/y),
 * plus the guest's offset into its surface, split again as i915 would
 * program it. Both offsets stay inside what was validated (the guest's
 * offset and size against its memory, the compositor's rectangle inside
 * the framebuffer): only the split between the registers changes. A sum
 * that cannot be programmed shows the frame at the compositor's offset
 * alone, never pixels outside it.
 */
static struct dflip_offset
dflip_host_plane_offset(const struct dflip_host_plane *hp,
			const struct dflip_geometry *geo)
{
	struct dflip_offset host = {
		.surf = hp->delta, .x = hp->hw.x, .y = hp->hw.y,
	};
	struct dflip_offset off = host;

	if (!hp->base.x && !hp->base.y)
		return host;
	off.x += hp->base.x;
	off.y += hp->base.y;
	if (!dflip_offset_split(geo, drm_rect_width(&hp->hw.src) >> 16, &off))
		return off;
	/*
	 * Not reachable from a validated state: the split refuses only an
	 * offset beyond PLANE_OFFSET's 13 bits or an X-tiled read with no
	 * split inside the stride, and a validated stride and guest offset
	 * give neither. No log: this may run inside i915's vblank evasion.
	 */
	return host;
}

/*
 * Write @hp->base, a frame of @geo, to a universal plane: the offset when
 * it changed, then the surface, which arms both.
 */
static void dflip_host_plane_write_locked(struct dflip_host_plane *hp,
					  const struct dflip_geometry *geo)
{
	struct drm_i915_private *i915 = hp_i915(hp);
	struct dflip_offset off = dflip_host_plane_offset(hp, geo);
	u32 offset = PLANE_OFFSET_Y(off.y) | PLANE_OFFSET_X(off.x);

	if (offset != hp->offset) {
		dflip_host_hw_write(i915, PLANE_OFFSET(hp->hw.pipe, hp->hw.id),
				    offset);
		hp->offset = offset;
	}
	hp->surf = hp->base.surf + off.surf;
	dflip_host_hw_write(i915, PLANE_SURF(hp->hw.pipe, hp->hw.id), hp->surf);
}

/*
 * i915 armed the plane with the compositor's state alone, showing a
 * framebuffer of @geo: add what is the guest's, in the same update. The
 * cursor goes back where the guest has it; a universal plane gets the
 * guest's offset into its surface.
 */
static void dflip_host_follow_locked(struct dflip_host_plane *hp,
				     const struct dflip_geometry *geo)
{
	struct dflip_vplane *vp = hp->vp;

	if (vp->kind == DFLIP_PLANE_CURSOR) {
		if (vp->has_cur)
			dflip_host_cursor_write_locked(hp, &vp->cur.desc);
	} else if (hp->base.x || hp->base.y) {
		dflip_host_plane_write_locked(hp, geo);
	}
}

static void dflip_host_fb_surface_done(void *owner,
				       const struct intel_vgpu_fb_plane *hw)
{
	struct dflip_host_fb *hfb = owner;
	struct dflip_host_plane *hp = hfb->hp;
	unsigned long flags;

	spin_lock_irqsave(&hp->vp->lock, flags);
	if (dflip_plane_assigned_locked(hp->vp) && hp->hw.plane == hw->plane) {
		hp->hw = *hw;	/* the compositor may have moved it */
		dflip_host_record_locked(hp);
		dflip_host_follow_locked(hp, &hfb->geo);
	}
	spin_unlock_irqrestore(&hp->vp->lock, flags);

	dflip_plane_surface_done(hp->vp);
}

static void dflip_host_fb_assign(void *owner, const struct intel_vgpu_fb_plane *hw)
{
	struct dflip_host_fb *hfb = owner;
	struct dflip_host_plane *hp = hfb->hp;
	unsigned long flags;
	bool elsewhere;

	spin_lock_irqsave(&hp->vp->lock, flags);
	/*
	 * The atomic check keeps a framebuffer of the plane off a second
	 * hardware plane (-EBUSY), and a framebuffer of an older geometry
	 * is dying before the newer one's id is announced; should two
	 * commits checked before either armed still get past that, GVT
	 * stays on the first, and the second plane shows what i915
	 * programmed from a validated frame.
	 */
	elsewhere = dflip_plane_assigned_locked(hp->vp) &&
		    hp->hw.plane != hw->plane;
	if (!elsewhere) {
		if (hp->hw.plane != hw->plane)
			hp->live_known = false;
		hp->hw = *hw;
		dflip_host_record_locked(hp);
		dflip_host_follow_locked(hp, &hfb->geo);
	}
	spin_unlock_irqrestore(&hp->vp->lock, flags);

	/*
	 * i915 armed the plane. A failure (no vblank) leaves the plane
	 * DFLIP_VPLANE_NO_VBLANK, shown in debugfs; no log inside i915's
	 * vblank evasion.
	 */
	if (!elsewhere)
		dflip_plane_assign(hp->vp, hp, hfb->gen, true);
}

static void dflip_host_fb_unassign(void *owner,
				   const struct intel_vgpu_fb_plane *hw)
{
	struct dflip_host_fb *hfb = owner;
	struct dflip_host_plane *hp = hfb->hp;
	unsigned long flags;
	bool here;

	spin_lock_irqsave(&hp->vp->lock, flags);
	here = dflip_plane_assigned_locked(hp->vp) && hp->hw.plane == hw->plane;
	if (here)
		hp->live_known = false;
	spin_unlock_irqrestore(&hp->vp->lock, flags);

	/* from here on GVT writes nothing to @hw */
	if (here)
		dflip_plane_unassign(hp->vp);
}

static bool dflip_host_fb_may_reference(void *owner,
					const struct intel_vgpu_fb_client *client)
{
	struct dflip_host_vgpu *hv = ((struct dflip_host_fb *)owner)->hp->hv;
	unsigned long flags;
	bool allowed;

	spin_lock_irqsave(&hv->lessee_lock, flags);
	allowed = dflip_policy_may_reference(hv->lessee, client);
	spin_unlock_irqrestore(&hv->lessee_lock, flags);
	return allowed;
}

static const struct intel_vgpu_fb_ops dflip_host_fb_ops = {
	.check = dflip_host_fb_check,
	.hold = dflip_host_fb_hold,
	.surface = dflip_host_fb_surface,
	.surface_done = dflip_host_fb_surface_done,
	.assign = dflip_host_fb_assign,
	.unassign = dflip_host_fb_unassign,
	.may_reference = dflip_host_fb_may_reference,
};

static void dflip_host_arm(struct dflip_vplane *vp, void *hw,
			   const struct dflip_flip *flip)
{
	struct dflip_host_plane *hp = hw;

	lockdep_assert_held(&vp->lock);
	hp->base = dflip_host_origin(&flip->desc);
	if (vp->kind == DFLIP_PLANE_CURSOR)
		dflip_host_cursor_write_locked(hp, &flip->desc);
	else
		dflip_host_plane_write_locked(hp, &flip->desc.geo);
}

static u32 dflip_host_frame(struct dflip_host_plane *hp)
{
	struct drm_i915_private *i915 = hp_i915(hp);

	return dflip_host_hw_read(i915, PIPE_FRMCOUNT_G4X(i915, hp->hw.pipe));
}

/*
 * @hw was armed with @hp->surf. A new surface shows its latch in
 * PLANE_SURFLIVE, read at the vblank: nothing to read now. Only an arming
 * that keeps the live surface (a pan, a repeated flip, a host commit of
 * the same frame) needs the frame counter, read right after it.
 */
static void dflip_host_armed(struct dflip_vplane *vp, void *hw)
{
	struct dflip_host_plane *hp = hw;

	lockdep_assert_held(&vp->lock);
	hp->latch_by_frame = !hp->live_known || hp->surf == hp->live;
	if (hp->latch_by_frame)
		hp->latch_frame = dflip_host_frame(hp);
}

/*
 * Only asked while the plane is assigned: once i915 took it back (its pipe
 * may be off or power-gated) the state machine asks nothing.
 */
static bool dflip_host_latched(struct dflip_vplane *vp, void *hw)
{
	struct dflip_host_plane *hp = hw;
	u32 live;

	lockdep_assert_held(&vp->lock);
	if (hp->latch_by_frame) {
		if (dflip_host_frame(hp) == hp->latch_frame)
			return false;
	} else {
		live = dflip_host_hw_read(hp_i915(hp),
					  PLANE_SURFLIVE(hp->hw.pipe, hp->hw.id));
		if ((live ^ hp->surf) & PLANE_SURF_ADDR_MASK)
			return false;
	}
	hp->live = hp->surf;
	hp->live_known = true;
	return true;
}

static bool dflip_host_fb_shown(struct dflip_host_fb *hfb)
{
	struct dflip_host_plane *hp = hfb->hp;
	unsigned long flags;
	bool shown;

	spin_lock_irqsave(&hp->vp->lock, flags);
	shown = dflip_plane_assigned_locked(hp->vp) &&
		hp->vp->hw_gen == hfb->gen;
	spin_unlock_irqrestore(&hp->vp->lock, flags);
	return shown;
}

/* Destroy the old framebuffers of @hp that no hardware plane shows. */
static void dflip_host_gc(struct dflip_host_plane *hp, u32 cur_gen)
{
	struct dflip_host_fb *hfb, *next;

	list_for_each_entry_safe(hfb, next, &hp->fbs, link) {
		if (hfb->gen == cur_gen || dflip_host_fb_shown(hfb))
			continue;
		list_del(&hfb->link);
		intel_vgpu_fb_destroy(hfb->fb);
		kfree(hfb);
		hp->fbs_destroyed++;
	}
}

static void dflip_host_uevent(struct dflip_host_plane *hp,
			      struct drm_framebuffer *fb)
{
	struct device *dev = hp->hv->vgpu->vfio_device.dev;
	char plane[32], id[32];
	char *envp[3];

	if (!dev)
		return;
	snprintf(plane, sizeof(plane), "DFLIP_PLANE=%u", hp->vp->id);
	snprintf(id, sizeof(id), "DFLIP_FB_ID=%u", fb ? fb->base.id : 0);
	envp[0] = plane;
	envp[1] = id;
	envp[2] = NULL;
	kobject_uevent_env(&dev->kobj, KOBJ_CHANGE, envp);
}

/* a framebuffer object for generation @gen of @hp, showing @frame */
static struct dflip_host_fb *dflip_host_fb_new(struct dflip_host_plane *hp,
					       u32 gen,
					       const struct dflip_geometry *geo,
					       const struct dflip_host_origin *frame)
{
	struct intel_vgpu_fb_geometry info = {
		.format = geo->format,
		.modifier = geo->modifier,
		.width = geo->width,
		.height = geo->height,
		.stride = geo->stride,
		.cursor = hp->vp->kind == DFLIP_PLANE_CURSOR,
	};
	struct dflip_host_fb *hfb;
	struct drm_framebuffer *fb;

	hfb = kzalloc(sizeof(*hfb), GFP_KERNEL);
	if (!hfb)
		return ERR_PTR(-ENOMEM);
	hfb->hp = hp;
	hfb->gen = gen;
	hfb->geo = *geo;
	hfb->frame = *frame;
	fb = intel_vgpu_fb_create(&hp_i915(hp)->drm, &info, hfb);
	if (IS_ERR(fb)) {
		kfree(hfb);
		return ERR_CAST(fb);
	}
	hfb->fb = fb;
	return hfb;
}

/*
 * Give @hp the framebuffer of the state machine's current generation, if
 * the glue has not yet: made, the old ones no plane shows destroyed, and
 * the uevent sent. Geometries the guest passed through meanwhile never get
 * one. After VFIO close (no frame) it waits for the guest's next frame.
 *
 * Return: false if making it failed (the work tries again later).
 */
static bool dflip_host_make_fb_locked(struct dflip_host_plane *hp)
{
	struct dflip_vplane *vp = hp->vp;
	struct dflip_host_fb *hfb = NULL;
	struct dflip_geometry geo;
	unsigned long flags;
	struct dflip_host_origin frame;
	bool enabled, frames;
	u32 gen;

	lockdep_assert_held(&hp->hv->vgpu->vgpu_lock);
	spin_lock_irqsave(&vp->lock, flags);
	gen = vp->fb.gen;
	enabled = vp->fb.enabled;
	geo = vp->fb.geo;
	frames = vp->has_cur;
	/* the guest's latest frame, of this geometry */
	frame = dflip_host_origin(&vp->cur.desc);
	spin_unlock_irqrestore(&vp->lock, flags);
	if (gen == hp->made_gen || (enabled && !frames)) {
		/* old ones i915 has taken off since */
		dflip_host_gc(hp, hp->made_gen);
		return true;
	}

	if (enabled) {
		hfb = dflip_host_fb_new(hp, gen, &geo, &frame);
		if (IS_ERR(hfb)) {
			spin_lock_irqsave(&vp->lock, flags);
			vp->stats.geometry_failures++;
			spin_unlock_irqrestore(&vp->lock, flags);
			pr_err_ratelimited("gvt: vgpu %d: direct flip: pipe %c plane %u: no framebuffer: %ld\n",
					   hp->hv->vgpu->id, 'A' + vp->pipe,
					   vp->kind, PTR_ERR(hfb));
			return false;
		}
		hp->fbs_made++;
	}
	hp->made_gen = gen;
	dflip_host_gc(hp, gen);
	if (hfb)
		list_add_tail(&hfb->link, &hp->fbs);
	dflip_host_uevent(hp, hfb ? hfb->fb : NULL);
	return true;
}

/**
 * dflip_host_make_fbs - make the framebuffers of the planes' new geometries
 * @vgpu: the vGPU, its lock held
 *
 * What the geometry work does, now: each plane whose geometry changed
 * since gets the framebuffer of its current geometry.
 *
 * Return: false if one could not be made.
 */
bool dflip_host_make_fbs(struct intel_vgpu *vgpu)
{
	struct dflip_host_vgpu *hv = vgpu->dflip;
	bool made = true;
	unsigned int i;

	lockdep_assert_held(&vgpu->vgpu_lock);
	if (!hv)
		return true;
	for (i = 0; i < DFLIP_NUM_PLANES; i++)
		made &= dflip_host_make_fb_locked(&hv->planes[i]);
	return made;
}

/* A plane changed geometry: its framebuffer comes from the geometry work. */
static void dflip_host_geometry_kick(struct dflip_host_vgpu *hv)
{
	unsigned long now = jiffies, delay = 0;

	lockdep_assert_held(&hv->vgpu->vgpu_lock);
	if (READ_ONCE(hv->dying))
		return;
	if (time_before(now, hv->geometry_next))
		delay = hv->geometry_next - now;
	/* a pending run keeps its time: the changes coalesce */
	queue_delayed_work(system_unbound_wq, &hv->geometry, delay);
}

/*
 * The geometry work: at most once per DFLIP_HOST_GEOMETRY_PERIOD_MS, so a
 * guest that keeps changing geometry costs the host at most one
 * framebuffer, one removal (a modeset lock-all commit) and one uevent per
 * vGPU plane and period, whatever its rate.
 */
static void dflip_host_geometry_fn(struct work_struct *work)
{
	struct dflip_host_vgpu *hv =
		container_of(to_delayed_work(work), struct dflip_host_vgpu,
			     geometry);
	bool made;

	/* dflip_host_vgpu_fini() cancels this work with the lock held */
	if (!mutex_trylock(&hv->vgpu->vgpu_lock)) {
		if (!READ_ONCE(hv->dying))
			mod_delayed_work(system_unbound_wq, &hv->geometry, 1);
		return;
	}
	if (!READ_ONCE(hv->dying)) {
		made = dflip_host_make_fbs(hv->vgpu);
		hv->geometry_next = jiffies +
			msecs_to_jiffies(DFLIP_HOST_GEOMETRY_PERIOD_MS);
		if (!made)
			dflip_host_geometry_kick(hv);
	}
	mutex_unlock(&hv->vgpu->vgpu_lock);
}

static void dflip_host_vblank_fn(struct kthread_work *work)
{
	struct dflip_host_vblank *vb =
		container_of(to_drm_vblank_work(work), struct dflip_host_vblank,
			     work);
	struct dflip_vplane *vp = vb->hp->vp;
	unsigned long flags;
	bool on;

	spin_lock_irqsave(&vp->lock, flags);
	on = vb->on;
	spin_unlock_irqrestore(&vp->lock, flags);
	if (!on)
		return;

	dflip_plane_vblank(vp);
	spin_lock_irqsave(&vp->lock, flags);
	if (vb->on)
		drm_vblank_work_schedule(&vb->work,
					 drm_crtc_vblank_count(vb->crtc) + 1,
					 false);
	spin_unlock_irqrestore(&vp->lock, flags);
}

/*
 * The state machine assigned the plane to @hw (i915's commit, any
 * context): start a chain on its CRTC. A stopped chain still on that CRTC
 * starts again; else a free one takes a vblank reference.
 */
static int dflip_host_vblank_get(struct dflip_vplane *vp, void *hw)
{
	struct dflip_host_plane *hp = hw;
	struct drm_crtc *crtc = hp->hw.crtc;
	struct dflip_host_vblank *vb = NULL;
	unsigned int i;
	int ret;

	lockdep_assert_held(&vp->lock);
	if (!crtc)
		return -ENODEV;
	for (i = 0; i < ARRAY_SIZE(hp->vblank) && !vb; i++)
		if (hp->vblank[i].crtc == crtc && !hp->vblank[i].dropping)
			vb = &hp->vblank[i];
	for (i = 0; i < ARRAY_SIZE(hp->vblank) && !vb; i++)
		if (!hp->vblank[i].crtc && !hp->vblank[i].dropping)
			vb = &hp->vblank[i];
	if (!vb)
		return -EBUSY;	/* two moves within one work's latency */

	if (!vb->crtc) {
		ret = drm_crtc_vblank_get(crtc);
		if (ret)
			return ret;
		vb->crtc = crtc;
		drm_vblank_work_init(&vb->work, crtc, dflip_host_vblank_fn);
	}
	vb->on = true;
	ret = drm_vblank_work_schedule(&vb->work,
				       drm_crtc_vblank_count(crtc) + 1, false);
	if (ret < 0) {
		/* the drop work lets go of the reference */
		vb->on = false;
		dflip_host_vblank_kick(hp->hv);
		return ret;
	}
	return 0;
}

/*
 * The state machine let go of the plane (i915's commit, any context):
 * stop its chain at once, for i915 may turn the CRTC's vblank off right
 * after, and drm_crtc_vblank_off() must find no work pending. A count
 * that has passed runs the work now, off the pending list, and it does
 * nothing and does not schedule itself again. The reference goes in
 * process context (dflip_host_vblank_drop()).
 */
static void dflip_host_vblank_put(struct dflip_vplane *vp, void *hw)
{
	struct dflip_host_plane *hp = hw;
	unsigned int i;

	lockdep_assert_held(&vp->lock);
	for (i = 0; i < ARRAY_SIZE(hp->vblank); i++) {
		struct dflip_host_vblank *vb = &hp->vblank[i];

		if (!vb->on)
			continue;
		vb->on = false;
		drm_vblank_work_schedule(&vb->work,
					 drm_crtc_vblank_count(vb->crtc), false);
	}
	dflip_host_vblank_kick(hp->hv);
}

/*
 * Process context: let go of @hp's stopped chains, their works (which may
 * be running) and their CRTCs' vblank references.
 */
static void dflip_host_vblank_drop(struct dflip_host_plane *hp)
{
	struct dflip_vplane *vp = hp->vp;
	unsigned long flags;
	unsigned int i;

	lockdep_assert_held(&hp->hv->vblank_mutex);
	for (i = 0; i < ARRAY_SIZE(hp->vblank); i++) {
		struct dflip_host_vblank *vb = &hp->vblank[i];
		struct drm_crtc *crtc;

		spin_lock_irqsave(&vp->lock, flags);
		crtc = vb->on ? NULL : vb->crtc;
		vb->dropping = crtc;
		spin_unlock_irqrestore(&vp->lock, flags);
		if (!crtc)
			continue;

		/* the work may have rescheduled itself once more */
		while (drm_vblank_work_cancel_sync(&vb->work))
			;
		drm_crtc_vblank_put(crtc);

		spin_lock_irqsave(&vp->lock, flags);
		vb->crtc = NULL;
		vb->dropping = false;
		spin_unlock_irqrestore(&vp->lock, flags);
	}
}

/**
 * dflip_host_vblank_sync - let go of stopped vblank works now
 * @vgpu: the vGPU, its lock held or not
 *
 * What the vGPU's drop work does, done now and waited for: every vblank
 * work slot the state machine stopped is cancelled and its CRTC's vblank
 * reference dropped, so that each plane has both slots for its next
 * assignments. Process context.
 */
void dflip_host_vblank_sync(struct intel_vgpu *vgpu)
{
	struct dflip_host_vgpu *hv = vgpu->dflip;

	if (hv)
		flush_work(&hv->vblank_drop);
}

static void dflip_host_vblank_drop_fn(struct work_struct *work)
{
	struct dflip_host_vgpu *hv =
		container_of(work, struct dflip_host_vgpu, vblank_drop);
	unsigned int i;

	mutex_lock(&hv->vblank_mutex);
	for (i = 0; i < DFLIP_NUM_PLANES; i++)
		dflip_host_vblank_drop(&hv->planes[i]);
	mutex_unlock(&hv->vblank_mutex);
	/*
	 * i915 took a framebuffer off: the geometry work destroys the old
	 * ones no plane shows. A pending run keeps its time (the rate bound
	 * of geometry changes); dflip_host_vgpu_fini() cancels this work
	 * before the geometry work.
	 */
	if (!READ_ONCE(hv->dying))
		queue_delayed_work(system_unbound_wq, &hv->geometry, 0);
}

static void dflip_host_flip_done(struct dflip_vplane *vp)
{
	struct dflip_host_plane *hp = to_hp(vp);
	struct intel_vgpu *vgpu = hp->hv->vgpu;
	enum plane_id plane;

	/* GVT emulates no cursor flip-done */
	if (vp->kind == DFLIP_PLANE_CURSOR)
		return;
	plane = vp->kind == DFLIP_PLANE_PRIMARY ? PLANE_PRIMARY : PLANE_SPRITE0;
	/* injected at the vGPU's next emulated vblank */
	set_bit(SKL_FLIP_EVENT(vp->pipe, plane),
		vgpu->irq.flip_done_event[vp->pipe]);
}

static const struct dflip_backend_ops dflip_host_backend_ops = {
	.arm = dflip_host_arm,
	.armed = dflip_host_armed,
	.latched = dflip_host_latched,
	.vblank_get = dflip_host_vblank_get,
	.vblank_put = dflip_host_vblank_put,
	.flip_done = dflip_host_flip_done,
};

/*
 * On while a GVT device with Gen9 display has direct flip registered
 * (dflip_host_init()): the trap hook is a patched jump otherwise.
 */
DEFINE_STATIC_KEY_FALSE(dflip_host_trap_key);

/**
 * __dflip_host_guest_flip - a guest wrote a plane's arming register
 * @vgpu: the vGPU, its lock held
 * @pipe: the virtual pipe
 * @kind: the plane
 * @surf: the surface register value the write leaves
 *
 * Hands the guest's plane registers to the state machine.
 *
 * Return: true if the flip went to (or is queued for) the hardware plane
 * and its flip-done comes when the hardware latches it; false if GVT
 * emulates the flip and its flip-done as without direct flip.
 */
bool __dflip_host_guest_flip(struct intel_vgpu *vgpu, unsigned int pipe,
			     enum dflip_plane_kind kind, u32 surf)
{
	struct dflip_host_vgpu *hv = vgpu->dflip;
	struct drm_i915_private *i915 = vgpu->gvt->gt->i915;
	struct dflip_plane_regs regs = {};
	enum dflip_flip_result res;
	struct dflip_host_plane *hp;
	struct dflip_vplane *vp;
	enum plane_id id;

	if (!hv || pipe >= DFLIP_MAX_PIPES)
		return false;
	vp = dflip_vgpu_plane(&hv->core, pipe, kind);
	if (!vp)
		return false;
	hp = &hv->planes[vp->id];

	if (kind == DFLIP_PLANE_CURSOR) {
		regs.ctl = vgpu_vreg_t(vgpu, CURCNTR(i915, pipe));
		regs.pos = vgpu_vreg_t(vgpu, CURPOS(i915, pipe));
	} else {
		id = kind == DFLIP_PLANE_PRIMARY ? PLANE_1 : PLANE_2;
		regs.ctl = vgpu_vreg_t(vgpu, PLANE_CTL(pipe, id));
		regs.stride = vgpu_vreg_t(vgpu, PLANE_STRIDE(pipe, id));
		regs.pos = vgpu_vreg_t(vgpu, PLANE_POS(pipe, id));
		regs.size = vgpu_vreg_t(vgpu, PLANE_SIZE(pipe, id));
		regs.offset = vgpu_vreg_t(vgpu, PLANE_OFFSET(pipe, id));
		regs.keyval = vgpu_vreg_t(vgpu, PLANE_KEYVAL(pipe, id));
		regs.keymsk = vgpu_vreg_t(vgpu, PLANE_KEYMSK(pipe, id));
		regs.keymax = vgpu_vreg_t(vgpu, PLANE_KEYMAX(pipe, id));
	}
	regs.surf = surf;

	res = dflip_plane_guest_write(vp, &regs);
	/* a framebuffer still owed, e.g. one waiting for frames since VFIO close */
	if (hp->made_gen != vp->fb.gen)
		dflip_host_geometry_kick(hv);

	return res == DFLIP_FLIP_FLIPPED || res == DFLIP_FLIP_QUEUED;
}

/**
 * dflip_host_supported - does direct flip work on this vGPU?
 * @vgpu: the vGPU
 *
 * Return: false on Broadwell, on a second GVT device, and when setting up
 * direct flip for the vGPU failed.
 */
bool dflip_host_supported(struct intel_vgpu *vgpu)
{
	struct dflip_host_vgpu *hv = vgpu->dflip;

	return hv && READ_ONCE(hv->core.supported);
}

/**
 * dflip_host_core - the state machine of a vGPU
 * @vgpu: the vGPU, its lock held
 *
 * Return: its direct flip state, NULL if setting it up failed.
 */
struct dflip_vgpu *dflip_host_core(struct intel_vgpu *vgpu)
{
	lockdep_assert_held(&vgpu->vgpu_lock);
	return vgpu->dflip ? &vgpu->dflip->core : NULL;
}

/**
 * dflip_host_plane_fb - the current framebuffer of a vGPU plane
 * @vgpu: the vGPU, its lock held
 * @plane: plane number
 *
 * Return: the framebuffer that shows the guest's current geometry of the
 * plane (the default geometry before the guest programs it), or NULL while
 * the guest has the plane disabled and until the geometry work made the
 * framebuffer of a new geometry (at most DFLIP_HOST_GEOMETRY_PERIOD_MS
 * after the change; its uevent follows). Readers never make one: they are
 * not rate-bounded.
 */
struct drm_framebuffer *dflip_host_plane_fb(struct intel_vgpu *vgpu,
					    unsigned int plane)
{
	struct dflip_host_vgpu *hv = vgpu->dflip;
	struct dflip_host_plane *hp;
	struct dflip_host_fb *last;

	lockdep_assert_held(&vgpu->vgpu_lock);
	if (!hv || plane >= DFLIP_NUM_PLANES)
		return NULL;
	hp = &hv->planes[plane];
	if (list_empty(&hp->fbs))
		return NULL;
	last = list_last_entry(&hp->fbs, struct dflip_host_fb, link);
	if (last->gen != hp->vp->fb.gen)
		return NULL;
	return last->fb;
}

/**
 * dflip_host_fb_counts - framebuffers a vGPU plane made and destroyed
 * @vgpu: the vGPU, its lock held
 * @plane: the plane number
 * @made: returns how many framebuffers the plane made
 * @destroyed: returns how many it destroyed
 */
void dflip_host_fb_counts(struct intel_vgpu *vgpu, unsigned int plane,
			  unsigned int *made, unsigned int *destroyed)
{
	struct dflip_host_plane *hp = &vgpu->dflip->planes[plane];

	lockdep_assert_held(&vgpu->vgpu_lock);
	*made = hp->fbs_made;
	*destroyed = hp->fbs_destroyed;
}

/**
 * dflip_host_selected_plane - the plane selected through sysfs
 * @vgpu: the vGPU, its lock held
 *
 * Return: the plane number last written to plane_id_index, 0 before any.
 */
unsigned int dflip_host_selected_plane(struct intel_vgpu *vgpu)
{
	lockdep_assert_held(&vgpu->vgpu_lock);
	return vgpu->dflip ? vgpu->dflip->selected : 0;
}

/**
 * dflip_host_select_plane - select the plane plane_id_index reports
 * @vgpu: the vGPU, its lock held
 * @plane: a valid plane number
 */
void dflip_host_select_plane(struct intel_vgpu *vgpu, unsigned int plane)
{
	lockdep_assert_held(&vgpu->vgpu_lock);
	if (vgpu->dflip && plane < DFLIP_NUM_PLANES)
		vgpu->dflip->selected = plane;
}

/**
 * dflip_host_lessee - the DRM lessee a vGPU is bound to
 * @vgpu: the vGPU, its lock held
 *
 * Return: the bound lessee's id (as its lessor numbered it), 0 when bound
 * to none.
 */
u32 dflip_host_lessee(struct intel_vgpu *vgpu)
{
	struct dflip_host_vgpu *hv = vgpu->dflip;
	unsigned long flags;
	u32 id = 0;

	lockdep_assert_held(&vgpu->vgpu_lock);
	if (!hv)
		return 0;
	spin_lock_irqsave(&hv->lessee_lock, flags);
	if (hv->lessee)
		id = hv->lessee->lessee_id;
	spin_unlock_irqrestore(&hv->lessee_lock, flags);
	return id;
}

/* Bind to @lessee (NULL: none); returns the old binding's reference. */
static struct drm_master *dflip_host_swap_lessee(struct dflip_host_vgpu *hv,
						 struct drm_master *lessee)
{
	struct drm_master *old;
	unsigned long flags;

	spin_lock_irqsave(&hv->lessee_lock, flags);
	old = hv->lessee;
	hv->lessee = lessee;
	spin_unlock_irqrestore(&hv->lessee_lock, flags);
	return old;
}

/**
 * dflip_host_bind_lessee - bind a vGPU to a DRM lessee
 * @vgpu: the vGPU, its lock not held
 * @lessee_id: a lessee id of the i915 device's current master, 0 to unbind
 *
 * From now on that lessee, and no other, may reference the vGPU's
 * framebuffers (see dflip_policy_may_reference()), until the vGPU is
 * bound again or its lease is revoked; lookups already past the check are
 * not undone. The binding holds a reference to the lessee's DRM master.
 *
 * Return: 0; -ENOENT (binding kept) if the device has no master or its
 * master has no such lessee with a live lease.
 */
int dflip_host_bind_lessee(struct intel_vgpu *vgpu, u32 lessee_id)
{
	struct drm_device *drm = &vgpu->gvt->gt->i915->drm;
	struct drm_master *lessee = NULL, *old = NULL;

	if (lessee_id) {
		lessee = intel_vgpu_fb_lessee_get(drm, lessee_id);
		if (IS_ERR(lessee))
			return PTR_ERR(lessee);
	}
	mutex_lock(&vgpu->vgpu_lock);
	if (vgpu->dflip)
		old = dflip_host_swap_lessee(vgpu->dflip, lessee);
	else
		old = lessee;
	mutex_unlock(&vgpu->vgpu_lock);
	if (old)
		drm_master_put(&old);
	return 0;
}

/*
 * The geometry of a vGPU plane's framebuffer before the guest programs the
 * plane: linear XRGB8888 at the resolution of the vGPU type's virtual
 * monitor (1024x768 or 1920x1200) for primary and sprite, and a linear
 * 64x64 ARGB8888 cursor.
 */
static void dflip_host_default_geometry(struct intel_vgpu *vgpu,
					enum dflip_plane_kind kind,
					struct dflip_geometry *geo)
{
	enum intel_vgpu_edid edid =
		vgpu->display.ports[vgpu->display.port_num].id;

	memset(geo, 0, sizeof(*geo));
	geo->modifier = DRM_FORMAT_MOD_LINEAR;
	if (kind == DFLIP_PLANE_CURSOR) {
		geo->format = DRM_FORMAT_ARGB8888;
		geo->width = 64;
		geo->height = 64;
	} else {
		geo->format = DRM_FORMAT_XRGB8888;
		geo->width = vgpu_edid_xres(edid) ?: 1024;
		geo->height = vgpu_edid_yres(edid) ?: 768;
	}
	geo->stride = geo->width * 4;
}

/* Every plane gets its default framebuffer; failures leave it without. */
static void dflip_host_set_defaults(struct dflip_host_vgpu *hv)
{
	struct intel_vgpu *vgpu = hv->vgpu;
	struct dflip_geometry geo;
	unsigned int i;
	int ret;

	mutex_lock(&vgpu->vgpu_lock);
	for (i = 0; i < DFLIP_NUM_PLANES; i++) {
		struct dflip_vplane *vp = &hv->core.planes[i];

		dflip_host_default_geometry(vgpu, vp->kind, &geo);
		ret = dflip_plane_set_default(vp, &geo);
		if (!ret && !dflip_host_make_fb_locked(&hv->planes[i]))
			ret = -ENOMEM;
		if (ret && ret != -EOPNOTSUPP)
			gvt_vgpu_err("direct flip: no framebuffer for plane %u: %d\n",
				     i, ret);
	}
	mutex_unlock(&vgpu->vgpu_lock);
}

/**
 * dflip_host_vgpu_init - set up direct flip for a new vGPU
 * @vgpu: the vGPU, its graphics memory allocated
 *
 * Every vGPU plane gets a framebuffer of its default geometry (see
 * dflip_plane_set_default()), showing the start of the vGPU's aperture
 * until the guest flips; this takes the vGPU's lock, which the caller must
 * not hold. Direct flip is unavailable for the vGPU (its flips are
 * emulated as without it) if this fails to allocate.
 */
void dflip_host_vgpu_init(struct intel_vgpu *vgpu)
{
	struct drm_i915_private *i915 = vgpu->gvt->gt->i915;
	struct dflip_host_vgpu *hv;
	struct dflip_gm gm = {
		.aperture = {
			.start = vgpu_aperture_gmadr_base(vgpu),
			.end = vgpu_aperture_gmadr_end(vgpu) + 1,
		},
		.hidden = {
			.start = vgpu_hidden_gmadr_base(vgpu),
			.end = vgpu_hidden_gmadr_end(vgpu) + 1,
		},
		.vtd_guard = device_iommu_mapped(i915->drm.dev) ?
			     DFLIP_HOST_VTD_GUARD : 0,
	};
	bool supported;
	unsigned int i;

	hv = kzalloc(sizeof(*hv), GFP_KERNEL);
	if (!hv)
		return;
	mutex_lock(&dflip_host_mutex);
	supported = DISPLAY_VER(i915) >= 9 && dflip_host_gvt == vgpu->gvt;
	mutex_unlock(&dflip_host_mutex);

	hv->vgpu = vgpu;
	spin_lock_init(&hv->lessee_lock);
	dflip_vgpu_init(&hv->core, &vgpu->vgpu_lock, &dflip_host_backend_ops,
			hv, &gm, supported);
	for (i = 0; i < DFLIP_NUM_PLANES; i++) {
		hv->planes[i].hv = hv;
		hv->planes[i].vp = &hv->core.planes[i];
		hv->planes[i].vblank[0].hp = &hv->planes[i];
		hv->planes[i].vblank[1].hp = &hv->planes[i];
		INIT_LIST_HEAD(&hv->planes[i].fbs);
	}
	INIT_WORK(&hv->vblank_drop, dflip_host_vblank_drop_fn);
	mutex_init(&hv->vblank_mutex);
	INIT_DELAYED_WORK(&hv->geometry, dflip_host_geometry_fn);
	vgpu->dflip = hv;
	dflip_host_set_defaults(hv);
}

/**
 * dflip_host_vgpu_fini - tear down direct flip of a vGPU
 * @vgpu: the vGPU, its lock held (not held only when vGPU creation fails,
 *	when no one else uses the vGPU)
 *
 * Called before the vGPU's graphics memory is freed: every framebuffer of
 * the vGPU is taken off the hardware and destroyed.
 */
void dflip_host_vgpu_fini(struct intel_vgpu *vgpu)
{
	struct dflip_host_vgpu *hv = vgpu->dflip;
	struct dflip_host_fb *hfb, *next;
	unsigned long flags;
	unsigned int i;

	if (!hv)
		return;
	/* no work is queued from here on (see dflip_host_vblank_kick()) */
	for (i = 0; i < DFLIP_NUM_PLANES; i++) {
		spin_lock_irqsave(&hv->core.planes[i].lock, flags);
		WRITE_ONCE(hv->dying, true);
		spin_unlock_irqrestore(&hv->core.planes[i].lock, flags);
	}
	cancel_work_sync(&hv->vblank_drop);
	cancel_delayed_work_sync(&hv->geometry);
	dflip_vgpu_fini(&hv->core);
	for (i = 0; i < DFLIP_NUM_PLANES; i++) {
		list_for_each_entry_safe(hfb, next, &hv->planes[i].fbs, link) {
			list_del(&hfb->link);
			intel_vgpu_fb_destroy(hfb->fb);
			kfree(hfb);
		}
	}
	/* every plane is unassigned: let go of the vblank chains */
	mutex_lock(&hv->vblank_mutex);
	for (i = 0; i < DFLIP_NUM_PLANES; i++)
		dflip_host_vblank_drop(&hv->planes[i]);
	mutex_unlock(&hv->vblank_mutex);
	mutex_destroy(&hv->vblank_mutex);
	vgpu->dflip = NULL;
	if (hv->lessee)
		drm_master_put(&hv->lessee);
	kfree(hv);
}

/**
 * dflip_host_vgpu_release - the VMM closed the vGPU (VFIO close)
 * @vgpu: the vGPU, its lock held
 *
 * Called before KVMGT unpins the guest's memory. First the state machine
 * forgets the guest's frames, so that from here on no commit can show a
 * framebuffer of the vGPU (the atomic check refuses it with -ENODATA, also
 * on the plane it is on) and GVT writes no hardware plane; then every
 * framebuffer is taken off the hardware planes (the objects and their ids
 * stay), and i915's commit unassigns them. No hardware plane scans out
 * pages that are no longer the guest's, and none shows a frame of the
 * vGPU again before the guest flips.
 */
void dflip_host_vgpu_release(struct intel_vgpu *vgpu)
{
	struct dflip_host_vgpu *hv = vgpu->dflip;
	struct dflip_host_fb *hfb;
	unsigned int i;

	lockdep_assert_held(&vgpu->vgpu_lock);
	if (!hv)
		return;
	/* also when the guest never flipped: its default frames go too */
	dflip_vgpu_release(&hv->core);
	for (i = 0; i < DFLIP_NUM_PLANES; i++)
		list_for_each_entry(hfb, &hv->planes[i].fbs, link)
			intel_vgpu_fb_take_off(hfb->fb);
}

/**
 * dflip_host_vgpu_reset - the vGPU is reset
 * @vgpu: the vGPU, its lock held
 *
 * The state machine forgets the guest's queued flips and owed flip-dones;
 * the assignments, the framebuffers, their last frames (now GVT's scratch
 * page) and what the hardware planes show stay until the guest flips
 * again.
 */
void dflip_host_vgpu_reset(struct intel_vgpu *vgpu)
{
	struct dflip_host_vgpu *hv = vgpu->dflip;

	if (hv)
		dflip_vgpu_reset(&hv->core);
}

/**
 * dflip_host_init - a GVT device comes up
 * @gvt: the GVT device
 *
 * Registers the vGPU framebuffer callbacks with i915. Direct flip works on
 * one GVT device at a time; on another one it reports unsupported.
 */
void dflip_host_init(struct intel_gvt *gvt)
{
	int ret;

	mutex_lock(&dflip_host_mutex);
	if (!dflip_host_gvt) {
		ret = intel_vgpu_fb_set_ops(&dflip_host_fb_ops);
		if (ret)
			pr_info("gvt: local display direct flip unavailable: %d\n",
				ret);
		else
			dflip_host_gvt = gvt;
		if (!ret && DISPLAY_VER(gvt->gt->i915) >= 9)
			static_branch_enable(&dflip_host_trap_key);
	}
	mutex_unlock(&dflip_host_mutex);
}

/**
 * dflip_host_fini - a GVT device goes away
 * @gvt: the GVT device, its vGPUs already destroyed
 *
 * Unregisters the callbacks: i915 first takes every remaining vGPU
 * framebuffer off the hardware.
 */
void dflip_host_fini(struct intel_gvt *gvt)
{
	mutex_lock(&dflip_host_mutex);
	if (dflip_host_gvt == gvt) {
		static_branch_disable(&dflip_host_trap_key);
		intel_vgpu_fb_clear_ops(&dflip_host_fb_ops);
		dflip_host_gvt = NULL;
	}
	mutex_unlock(&dflip_host_mutex);
}
