// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * Local Display Direct Flip: the vGPU plane state machine.
 */

#define pr_fmt(fmt) "gvt: dflip: " fmt

#include <linux/lockdep.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "dflip_plane.h"

/**
 * DOC: vGPU plane state machine
 *
 * Every vGPU plane (primary, sprite 0 and cursor of each virtual pipe) is
 * exposed to the host as a DRM framebuffer whose metadata is the plane's
 * current geometry (&struct dflip_fb_geo, with a generation counter).  A
 * host compositor puts that framebuffer on a real hardware plane once;
 * the i915 glue then calls dflip_plane_assign() and from that point every
 * guest flip trapped by GVT goes through dflip_plane_guest_write() and is
 * written straight onto the hardware plane, latched at the real vblank.
 *
 * Each guest write of an arming register is decoded and validated against
 * the vGPU's graphics memory.  An invalid state is counted and dropped: the
 * last good frame stays on the screen and the guest still gets its
 * flip-done from GVT's emulation of the flip, so it never hangs on a
 * rejected flip.  The state machine signals flip-done only for the flips it
 * shows, once the hardware latched them: every guest flip gets exactly one.
 * A state whose geometry (including enabled/disabled) differs from the
 * framebuffer's is never written to hardware: the backend creates a new
 * framebuffer object and tells userspace, and the assigned hardware plane
 * stays on the last good frame of the old framebuffer until the host
 * commits the new one.
 *
 * Per plane, at most one update is armed (written, not yet latched) at a
 * time.  Writing plane registers after an arm and before its latch would
 * join the pending update and could make a frame mixing two guest flips,
 * so a flip arriving while one is armed waits (latest wins: the plane's
 * latest valid state, &dflip_vplane.cur, is marked queued) and is armed by
 * the vblank entry that sees the previous one latched.  The backend
 * tells whether an arming latched (&dflip_backend_ops.latched; i915's
 * compares the plane's live surface with the one armed, and only when the
 * surface did not change the frame counter with the value read after the
 * arming), never too early even when the vblank entry is late or runs
 * while the flip is being written.  Only the vblank entry asks whether it
 * latched: a flip that comes after a latch and before the vblank entry
 * ran is queued and armed by it.
 * The cursor is not tracked: each cursor write goes to the hardware at
 * once (see dflip_tracks_latch()).
 * Asynchronous guest flips (&dflip_plane_desc.async) are treated like
 * synchronous ones: latched at the vblank, flip-done then.
 *
 * Which hardware plane shows a framebuffer of the vGPU plane is recorded
 * once, in &dflip_vplane.state, &dflip_vplane.hw and &dflip_vplane.hw_gen,
 * by the host's commit itself (dflip_plane_assign() right after it armed
 * the plane, dflip_plane_unassign() before it reprograms it), under the
 * plane's spinlock: there is no later reconciliation, and GVT stops
 * writing a hardware plane before the host touches it.
 *
 * States (&enum dflip_vplane_state) and transitions of one vGPU plane::
 *
 *   guest flip, any state: new geometry -> fb gen++ (the backend makes
 *   its framebuffer when it sees the new generation), the
 *   queued flip dropped (its flip-done comes with the armed update's);
 *   same geometry -> recorded as current, then as below
 *
 *   init/reset/release ----> +------------+
 *                            | UNASSIGNED |<------------------------+
 *                            +------------+                         |
 *                               | assign(hw, gen): vblank_get;      |
 *                               | host armed: ARMED, else IDLE;     |
 *                               | gen == fb gen: show current       |
 *                               v                                   |
 *     +------------------------------------+  unassign (host reprograms
 *     |  IDLE: nothing armed               |  the plane, CRTC off, suspend,
 *     |  guest flip: arm -> ARMED          |  destroy) from any state:
 *     +------------------------------------+  vblank_put, owed flip-done
 *        ^ vblank, latched:      |  surface() (host commit      signalled
 *        | flip-done if owed,    |  reprograms the plane) -> HOST
 *        | queued -> arm again   v
 *     +------------------------------------+   surface_done()   +------+
 *     |  ARMED: an update not latched      |<-------------------| HOST |
 *     |  guest flip: queue (latest wins)   |------------------->|      |
 *     +------------------------------------+   surface()        +------+
 *                                              guest flip: queue
 *
 *   An assign whose vblank_get fails records the plane as shown but
 *   NO_VBLANK: GVT writes nothing, guest flips are emulated as
 *   unassigned; the next guest flip, host commit of the plane or assign
 *   tries again (-> ARMED: the host may have an update armed); unassign
 *   ends it.
 *
 *   Guest flips of a state whose geometry is not that of the framebuffer
 *   the hardware plane shows (hw_gen != fb gen: the guest changed
 *   geometry, the host has not committed the new framebuffer yet) are
 *   held in every assigned state: recorded as current, never written;
 *   GVT emulates their flip-done.  assign(hw, new gen) on the same
 *   hardware plane shows the current state.  assign() of a plane assigned
 *   to another hardware plane: -EBUSY (no mirroring); i915 moves it with
 *   unassign() then assign().  A reset or VFIO close keeps the state and the
 *   assignment (the host's) and forgets what is queued and owed.
 *
 * Before the guest first programs a plane, dflip_plane_set_default() can
 * give it a framebuffer (generation 1) of a default geometry whose current
 * frame is the start of the vGPU's aperture: it can be assigned at once.
 *
 * A vGPU reset (dflip_vgpu_reset()) takes every assignment down, forgets
 * queued flips and counters, and keeps the framebuffer objects, their ids
 * and each plane's last frame: the reset
 * points the vGPU's graphics memory at GVT's scratch page.  VFIO close
 * (dflip_vgpu_release()) also forgets the last frames, whose pages the VMM
 * is about to unpin.  A host CRTC disable or modeset is a host-initiated
 * dflip_plane_unassign(); so is host suspend, whose commit turns every
 * CRTC off: the guest state is kept and the resume's restore commit
 * assigns again.  vGPU destroy and kvmgt unload call dflip_vgpu_fini():
 * every assignment let go before the state is freed.
 */

/**
 * DOC: vGPU plane locking
 *
 * Lock order: the vGPU's lock (GVT's vgpu_lock, a mutex) before
 * &dflip_vplane.lock (a spinlock, always taken irqsave).
 *
 * - Guest flips, set_default, reset, release and fini run in process
 *   context with the vGPU's lock held (lockdep-asserted); &dflip_vplane.cur
 *   and &dflip_vplane.fb are written only there, under both locks.
 * - dflip_plane_assign(), dflip_plane_unassign(), dflip_plane_surface()
 *   and dflip_plane_surface_done() are called by the host's commit, in
 *   any context, and take only the plane's spinlock; the assignment they
 *   record is written only under it.
 * - dflip_plane_vblank() runs from the host's vblank handling and takes
 *   only the plane's spinlock.
 * - The backend's callbacks (arm, armed, latched, flip_done, vblank_get
 *   and vblank_put) are called with the spinlock held and must not sleep
 *   or allocate.
 */

static void dflip_signal_locked(struct dflip_vplane *vp)
{
	struct dflip_vgpu *vgpu = vp->vgpu;

	lockdep_assert_held(&vp->lock);
	if (vp->kind == DFLIP_PLANE_CURSOR)
		return;
	vp->flip_done_pending = true;
	vp->stats.flip_done++;
	vgpu->ops->flip_done(vp);
}

/*
 * The cursor is not tracked from arm to latch: it owes the guest no
 * flip-done, and its update is one position and one validated surface
 * (CURPOS armed by CURBASE), so a move written while the previous one is
 * armed only moves it sooner. Each cursor write goes to the hardware at
 * once, two register writes and no read.
 */
static bool dflip_tracks_latch(const struct dflip_vplane *vp)
{
	return vp->kind != DFLIP_PLANE_CURSOR;
}

/* Arm @flip on the idle hardware plane. */
static void dflip_arm_locked(struct dflip_vplane *vp,
			     const struct dflip_flip *flip, bool signal)
{
	struct dflip_vgpu *vgpu = vp->vgpu;

	lockdep_assert_held(&vp->lock);
	vgpu->ops->arm(vp, vp->hw, flip);
	if (dflip_tracks_latch(vp)) {
		vgpu->ops->armed(vp, vp->hw);
		vp->state = DFLIP_VPLANE_ARMED;
		vp->armed_signal = signal;
	}
	vp->live = *flip;
	vp->stats.flips_applied++;
}

/* Retire the armed update if the hardware latched it. */
static void dflip_retire_locked(struct dflip_vplane *vp)
{
	struct dflip_vgpu *vgpu = vp->vgpu;

	lockdep_assert_held(&vp->lock);
	if (vp->state != DFLIP_VPLANE_ARMED)
		return;
	if (!vgpu->ops->latched(vp, vp->hw))
		return;
	vp->state = DFLIP_VPLANE_IDLE;
	vp->stats.flips_latched++;
	if (vp->armed_signal) {
		vp->armed_signal = false;
		dflip_signal_locked(vp);
	}
}

/*
 * Show @vp->cur: armed now if the hardware plane is idle, else queued. It
 * takes the place of an older queued flip, which is never shown after it
 * (its flip-done comes with this one). Whether an armed update latched is
 * learnt in the vblank entry only, which runs after every vblank of the
 * CRTC: a flip that comes after the hardware latched the armed one but
 * before the vblank entry ran waits for it.
 */
static enum dflip_flip_result dflip_show_cur_locked(struct dflip_vplane *vp,
						    bool signal)
{
	lockdep_assert_held(&vp->lock);
	if (vp->queued) {
		vp->queued = false;
		vp->stats.flips_coalesced++;
		signal |= vp->queued_signal;
	}
	if (vp->state == DFLIP_VPLANE_IDLE) {
		dflip_arm_locked(vp, &vp->cur, signal);
		return DFLIP_FLIP_FLIPPED;
	}
	vp->queued = true;
	vp->queued_signal = signal;
	vp->stats.flips_queued++;
	return DFLIP_FLIP_QUEUED;
}

/*
 * @vp->cur is about to stop being of the hardware plane's geometry: a
 * queued flip goes, its flip-done owed with the armed update's.
 */
static void dflip_drop_queued_locked(struct dflip_vplane *vp)
{
	lockdep_assert_held(&vp->lock);
	if (!vp->queued)
		return;
	vp->queued = false;
	vp->stats.flips_coalesced++;
	vp->armed_signal |= vp->queued_signal;
}

static bool dflip_same_geometry(const struct dflip_fb_geo *fb,
				const struct dflip_plane_desc *desc)
{
	if (fb->enabled != desc->enabled)
		return false;
	return !desc->enabled || dflip_geometry_equal(&fb->geo, &desc->geo);
}

/* a reason to count, never out of range */
static enum dflip_reject dflip_reason(enum dflip_reject why,
				      enum dflip_reject fallback)
{
	return why != DFLIP_OK && why < DFLIP_REJECT_COUNT ? why : fallback;
}

/*
 * Validate an enabled state as dflip_validate_plane() does, keeping the
 * window of surfaces its other registers allow.
 */
static enum dflip_reject dflip_validate(struct dflip_vplane *vp,
					const struct dflip_plane_desc *desc,
					struct dflip_surf_window *win)
{
	enum dflip_reject why = DFLIP_OK;

	if (dflip_validate_window(desc, &vp->vgpu->gm, win, &why))
		return dflip_reason(why, DFLIP_REJECT_RANGE);
	if (desc->surf & (win->align - 1))
		return DFLIP_REJECT_ALIGN;
	if (!dflip_window_holds(win, desc->surf))
		return DFLIP_REJECT_RANGE;
	return DFLIP_OK;
}

/* Decode and validate; returns DFLIP_OK or why the state is rejected. */
static enum dflip_reject dflip_check(struct dflip_vplane *vp,
				     struct dflip_flip *flip,
				     struct dflip_surf_window *win)
{
	enum dflip_reject why = DFLIP_OK;

	if (dflip_decode_plane(vp->kind, &flip->regs, &flip->desc, &why))
		return dflip_reason(why, DFLIP_REJECT_FORMAT);
	if (!flip->desc.enabled)
		return DFLIP_OK;
	return dflip_validate(vp, &flip->desc, win);
}

/* Every register of @a but the surface is @b's (the fields, not padding). */
static bool dflip_regs_same_but_surf(const struct dflip_plane_regs *a,
				     const struct dflip_plane_regs *b)
{
	return !((a->ctl ^ b->ctl) | (a->stride ^ b->stride) |
		 (a->pos ^ b->pos) | (a->size ^ b->size) |
		 (a->offset ^ b->offset) | (a->keyval ^ b->keyval) |
		 (a->keymsk ^ b->keymsk) | (a->keymax ^ b->keymax));
}

/*
 * A surface-only flip: every register but the surface is the current
 * state's, and the new surface lies in the current state's window. It
 * decodes to the current state with the new surface and passes validation
 * exactly as the full check would (dflip_validate_window()), so the full
 * check is skipped. The vGPU's lock, held, keeps @cur stable: it is only
 * written with that lock held. On true, @surf is the new surface address.
 */
static bool dflip_surface_only(struct dflip_vplane *vp,
			       const struct dflip_plane_regs *regs, u64 *surf)
{
	if (!vp->has_cur || !dflip_regs_same_but_surf(&vp->cur.regs, regs))
		return false;
	*surf = dflip_decode_surf(vp->kind, regs->surf);
	return dflip_window_holds(&vp->cur_win, *surf);
}

static enum dflip_flip_result dflip_reject_flip(struct dflip_vplane *vp,
						enum dflip_reject why)
{
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	vp->stats.rejects[why]++;
	spin_unlock_irqrestore(&vp->lock, flags);

	pr_info_ratelimited("pipe %c plane %u: guest flip rejected: %s\n",
			    'A' + vp->pipe, vp->kind, dflip_reject_name(why));
	return DFLIP_FLIP_REJECTED;
}

static enum dflip_flip_result dflip_geometry_flip(struct dflip_vplane *vp,
						  const struct dflip_flip *flip,
						  const struct dflip_surf_window *win)
{
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	dflip_drop_queued_locked(vp);
	memset(&vp->fb.geo, 0, sizeof(vp->fb.geo));
	vp->fb.enabled = flip->desc.enabled;
	if (flip->desc.enabled)
		vp->fb.geo = flip->desc.geo;
	vp->fb.gen++;
	vp->cur = *flip;
	vp->has_cur = flip->desc.enabled;
	vp->cur_win = *win;
	vp->stats.geometry_changes++;
	spin_unlock_irqrestore(&vp->lock, flags);
	return DFLIP_FLIP_GEOMETRY;
}

/*
 * In %DFLIP_VPLANE_NO_VBLANK, try to start the vblank entry again (a slot
 * of the backend may have come free). The host may have an update armed:
 * one counts as armed, so that no guest flip joins it. Returns whether GVT
 * may write the hardware plane.
 */
static bool dflip_retry_vblank_locked(struct dflip_vplane *vp)
{
	struct dflip_vgpu *vgpu = vp->vgpu;

	lockdep_assert_held(&vp->lock);
	if (vp->state != DFLIP_VPLANE_NO_VBLANK)
		return true;
	if (vgpu->ops->vblank_get(vp, vp->hw))
		return false;
	vp->state = DFLIP_VPLANE_IDLE;
	if (dflip_tracks_latch(vp)) {
		vp->state = DFLIP_VPLANE_ARMED;
		vgpu->ops->armed(vp, vp->hw);
	}
	return true;
}

/* @cur changed, its geometry did not: show it if the plane is assigned */
static enum dflip_flip_result dflip_flip_cur_locked(struct dflip_vplane *vp)
{
	if (!dflip_plane_assigned_locked(vp) || !dflip_retry_vblank_locked(vp))
		return DFLIP_FLIP_NOT_ASSIGNED;
	if (vp->hw_gen != vp->fb.gen || !vp->fb.enabled) {
		vp->stats.flips_held++;
		return DFLIP_FLIP_HELD;
	}
	return dflip_show_cur_locked(vp, true);
}

static enum dflip_flip_result dflip_same_geometry_flip(struct dflip_vplane *vp,
						       const struct dflip_flip *flip,
						       const struct dflip_surf_window *win)
{
	enum dflip_flip_result res;
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	vp->cur_win = *win;
	vp->cur = *flip;
	vp->has_cur = flip->desc.enabled;
	res = dflip_flip_cur_locked(vp);
	spin_unlock_irqrestore(&vp->lock, flags);
	return res;
}

/* dflip_surface_only() passed: @cur gets the new surface, nothing else */
static enum dflip_flip_result dflip_surface_flip(struct dflip_vplane *vp,
						 u32 surf_reg, u64 surf)
{
	enum dflip_flip_result res;
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	vp->stats.flips_surface_only++;
	vp->cur.regs.surf = surf_reg;
	vp->cur.desc.surf = surf;
	res = dflip_flip_cur_locked(vp);
	spin_unlock_irqrestore(&vp->lock, flags);
	return res;
}

/* Anything but a surface-only flip: decode and validate the whole state */
static enum dflip_flip_result
dflip_full_flip(struct dflip_vplane *vp, const struct dflip_plane_regs *regs)
{
	struct dflip_surf_window win = {};
	struct dflip_flip flip;
	enum dflip_reject why;

	flip.regs = *regs;
	why = dflip_check(vp, &flip, &win);
	if (why != DFLIP_OK)
		return dflip_reject_flip(vp, why);
	if (!dflip_same_geometry(&vp->fb, &flip.desc))
		return dflip_geometry_flip(vp, &flip, &win);
	return dflip_same_geometry_flip(vp, &flip, &win);
}

/**
 * dflip_plane_guest_write() - a guest wrote an arming plane register
 * @vp: the vGPU plane
 * @regs: the guest's plane registers after the write
 *
 * Called by GVT's MMIO write handler of PLANE_SURF (CURBASE, CURPOS, and
 * CURCNTR when it enables, for the cursor) with the vGPU's lock held.  A
 * flip that changes only the surface, to one inside the current state's
 * window, skips the decode and the validation (dflip_surface_only()); a
 * flip of the same geometry takes only the plane's spinlock; neither
 * allocates nor sleeps.
 *
 * The flip-done of a primary or sprite plane has one owner: for
 * %DFLIP_FLIP_FLIPPED and %DFLIP_FLIP_QUEUED the state machine signals it
 * once the hardware latched the flip (or when the plane is unassigned
 * before); for every other result the caller emulates the flip and its
 * flip-done as GVT does without direct flip (an asynchronous flip's at
 * once, a synchronous one's at the next emulated vblank).
 *
 * Return: what happened to the flip, see &enum dflip_flip_result.
 */
enum dflip_flip_result
dflip_plane_guest_write(struct dflip_vplane *vp,
			const struct dflip_plane_regs *regs)
{
	u64 surf;

	lockdep_assert_held(vp->vgpu->lock);
	if (!vp->vgpu->supported)
		return DFLIP_FLIP_UNSUPPORTED;
	if (dflip_surface_only(vp, regs, &surf))
		return dflip_surface_flip(vp, regs->surf, surf);
	return dflip_full_flip(vp, regs);
}

/**
 * dflip_plane_vblank() - a vblank of the CRTC the plane is assigned to
 * @vp: the vGPU plane
 *
 * Called from the host's vblank work.  If the armed flip was latched,
 * it is retired (flip-done for primary and sprite) and the queued flip, if
 * any, is armed: at most one flip is applied per vblank and plane.  Spurious
 * calls (other CRTC, nothing armed) do nothing.
 */
void dflip_plane_vblank(struct dflip_vplane *vp)
{
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	dflip_retire_locked(vp);
	if (vp->state == DFLIP_VPLANE_IDLE && vp->queued) {
		vp->queued = false;
		dflip_arm_locked(vp, &vp->cur, vp->queued_signal);
	}
	spin_unlock_irqrestore(&vp->lock, flags);
}

/**
 * dflip_plane_assign() - the host showed a framebuffer of the plane
 * @vp: the vGPU plane
 * @hw: backend handle of the hardware plane (and its CRTC)
 * @fb_gen: generation of the framebuffer the host committed
 * @host_armed: the host armed @hw with its own update of the framebuffer,
 *	which may not have latched yet
 *
 * Called by the host's commit right after it armed @hw with the
 * framebuffer: any context, interrupts possibly off; takes the plane's
 * spinlock. The assignment is recorded here and nowhere else. The first
 * assign starts the vblank entry on @hw's CRTC (&dflip_backend_ops.vblank_get);
 * assigning again to the same @hw (the host re-committed, e.g. the new
 * framebuffer after a geometry change) only changes the generation and
 * forgets a queued flip of the old one. If @fb_gen is the plane's current
 * framebuffer, the latest valid guest state is armed, or queued behind
 * an armed update; else guest flips are held until the host commits the
 * current one. With @host_armed the host's update counts as armed, so that
 * no guest flip joins it before it latched: its surface was chosen for the
 * offset the host programmed, and a flip's offset write and surface write
 * on top of it could latch half with it.
 *
 * The host's commit calls assign and unassign of one plane one at a time;
 * dflip_vgpu_fini() may run beside them, and clears
 * &dflip_vgpu.supported under the plane's spinlock before it unassigns.
 *
 * Return: 0, -EOPNOTSUPP when direct flip is unsupported, -EINVAL without
 * @hw, -EBUSY when the plane is assigned to another hardware plane (no
 * mirroring); nothing is recorded then.  Or the error of the vblank entry:
 * the plane is recorded as shown on @hw, but GVT writes nothing
 * (%DFLIP_VPLANE_NO_VBLANK) until an assign succeeds.
 */
int dflip_plane_assign(struct dflip_vplane *vp, void *hw, u32 fb_gen,
		       bool host_armed)
{
	struct dflip_vgpu *vgpu = vp->vgpu;
	unsigned long flags;
	int ret = 0;

	if (!hw)
		return -EINVAL;

	spin_lock_irqsave(&vp->lock, flags);
	if (!vgpu->supported) {
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (dflip_plane_assigned_locked(vp) && vp->hw != hw) {
		ret = -EBUSY;
		goto out;
	}
	/* a flip queued for the framebuffer before; its flip-done stays owed */
	dflip_drop_queued_locked(vp);
	vp->hw = hw;
	vp->hw_gen = fb_gen;
	if (!dflip_plane_assigned_locked(vp) ||
	    vp->state == DFLIP_VPLANE_NO_VBLANK) {
		vp->armed_signal = false;
		ret = vgpu->ops->vblank_get(vp, hw);
		vp->state = ret ? DFLIP_VPLANE_NO_VBLANK : DFLIP_VPLANE_IDLE;
		if (ret)
			goto out;
	}
	if (host_armed && dflip_tracks_latch(vp)) {
		vp->state = DFLIP_VPLANE_ARMED;
		vgpu->ops->armed(vp, hw);
	}
	if (fb_gen == vp->fb.gen && vp->has_cur)
		dflip_show_cur_locked(vp, false);
out:
	spin_unlock_irqrestore(&vp->lock, flags);
	return ret;
}

/**
 * dflip_plane_unassign() - the plane is no longer on its hardware plane
 * @vp: the vGPU plane
 *
 * Called by the host's commit before it reprograms the hardware plane for
 * something else (another framebuffer, a disable, a CRTC disable or
 * modeset, suspend), and by vGPU destroy: same context as
 * dflip_plane_assign(). From here on GVT writes nothing to the hardware
 * plane (the host's: it shows the last frame until the host reprograms
 * it), the queued flip is dropped, a flip-done the guest still waits for
 * is signalled, and the vblank entry stopped. Does nothing if not
 * assigned.
 */
void dflip_plane_unassign(struct dflip_vplane *vp)
{
	struct dflip_vgpu *vgpu = vp->vgpu;
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	if (dflip_plane_assigned_locked(vp)) {
		if (vp->armed_signal || (vp->queued && vp->queued_signal))
			dflip_signal_locked(vp);
		if (vp->state != DFLIP_VPLANE_NO_VBLANK)
			vgpu->ops->vblank_put(vp, vp->hw);
		vp->state = DFLIP_VPLANE_UNASSIGNED;
		vp->armed_signal = false;
		vp->queued = false;
		vp->hw = NULL;
	}
	spin_unlock_irqrestore(&vp->lock, flags);
}

/**
 * dflip_plane_surface() - what a host commit must program on the plane
 * @vp: the vGPU plane
 * @flip: returns the state on (or going to) the hardware plane
 *
 * For a host commit that reprograms the assigned hardware plane (e.g. a
 * DDB or watermark change), possibly with interrupts off.  Until
 * dflip_plane_surface_done(), no flip is armed, so the host writes the
 * same values as the pending update and never restores a stale surface.
 *
 * Return: true if GVT writes the hardware plane (call
 * dflip_plane_surface_done() after programming), false if not (@flip is
 * untouched).
 */
bool dflip_plane_surface(struct dflip_vplane *vp, struct dflip_flip *flip)
{
	unsigned long flags;
	bool assigned;

	spin_lock_irqsave(&vp->lock, flags);
	assigned = dflip_plane_assigned_locked(vp) &&
		   vp->state != DFLIP_VPLANE_NO_VBLANK;
	if (assigned) {
		*flip = vp->live;
		/* an armed update's flip-done comes with the host's */
		vp->state = DFLIP_VPLANE_HOST;
	}
	spin_unlock_irqrestore(&vp->lock, flags);
	return assigned;
}

/**
 * dflip_plane_surface_done() - the host commit programmed the plane
 * @vp: the vGPU plane
 *
 * The host's writes armed the hardware plane: the next flip waits for
 * that update to be latched.
 */
void dflip_plane_surface_done(struct dflip_vplane *vp)
{
	struct dflip_vgpu *vgpu = vp->vgpu;
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	dflip_retry_vblank_locked(vp);
	if (vp->state == DFLIP_VPLANE_HOST) {
		if (dflip_tracks_latch(vp)) {
			vp->state = DFLIP_VPLANE_ARMED;
			vgpu->ops->armed(vp, vp->hw);
		} else {
			vp->state = DFLIP_VPLANE_IDLE;
		}
	}
	spin_unlock_irqrestore(&vp->lock, flags);
}

/**
 * dflip_plane_take_flip_done() - consume the plane's pending flip-done
 * @vp: the vGPU plane
 *
 * Return: true if a flip-done was signalled since the last call.
 */
bool dflip_plane_take_flip_done(struct dflip_vplane *vp)
{
	unsigned long flags;
	bool pending;

	spin_lock_irqsave(&vp->lock, flags);
	pending = vp->flip_done_pending;
	vp->flip_done_pending = false;
	spin_unlock_irqrestore(&vp->lock, flags);
	return pending;
}

/**
 * dflip_plane_get_stats() - a consistent copy of the plane's counters
 * @vp: the vGPU plane
 * @stats: returns the counters
 */
void dflip_plane_get_stats(struct dflip_vplane *vp,
			   struct dflip_plane_stats *stats)
{
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	*stats = vp->stats;
	spin_unlock_irqrestore(&vp->lock, flags);
}

/**
 * dflip_flip_result_name() - a short name of a flip result, for logs
 * @res: the result
 *
 * Return: a static string.
 */
const char *dflip_flip_result_name(enum dflip_flip_result res)
{
	static const char * const names[] = {
		[DFLIP_FLIP_NOT_ASSIGNED] = "not-assigned",
		[DFLIP_FLIP_FLIPPED] = "flipped",
		[DFLIP_FLIP_QUEUED] = "queued",
		[DFLIP_FLIP_HELD] = "held",
		[DFLIP_FLIP_GEOMETRY] = "geometry",
		[DFLIP_FLIP_REJECTED] = "rejected",
		[DFLIP_FLIP_UNSUPPORTED] = "unsupported",
	};

	if ((unsigned int)res >= ARRAY_SIZE(names))
		return "unknown";
	return names[res];
}

/**
 * dflip_plane_state_name() - the plane's state, for debugfs
 * @vp: the vGPU plane
 *
 * Return: a static string naming its &enum dflip_vplane_state.
 */
const char *dflip_plane_state_name(struct dflip_vplane *vp)
{
	static const char * const names[] = {
		[DFLIP_VPLANE_UNASSIGNED] = "unassigned",
		[DFLIP_VPLANE_IDLE] = "idle",
		[DFLIP_VPLANE_ARMED] = "armed",
		[DFLIP_VPLANE_HOST] = "host",
		[DFLIP_VPLANE_NO_VBLANK] = "no-vblank",
	};
	enum dflip_vplane_state state;
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	state = vp->state;
	spin_unlock_irqrestore(&vp->lock, flags);
	if ((unsigned int)state >= ARRAY_SIZE(names))
		return "unknown";
	return names[state];
}

/**
 * dflip_vgpu_plane() - look up a vGPU plane
 * @vgpu: the vGPU
 * @pipe: virtual pipe
 * @kind: plane kind
 *
 * Return: the plane, or NULL for an invalid @pipe or @kind.
 */
struct dflip_vplane *dflip_vgpu_plane(struct dflip_vgpu *vgpu,
				      unsigned int pipe,
				      enum dflip_plane_kind kind)
{
	if (pipe >= DFLIP_MAX_PIPES || (unsigned int)kind >= DFLIP_PLANE_KINDS)
		return NULL;
	return &vgpu->planes[pipe * DFLIP_PLANE_KINDS + kind];
}

/**
 * dflip_vgpu_init() - set up the direct flip state of a vGPU
 * @vgpu: the state to set up
 * @lock: the vGPU's lock (GVT's vgpu_lock)
 * @ops: the hardware backend
 * @priv: backend private data
 * @gm: the graphics memory the vGPU owns
 * @supported: false on devices without direct flip (Broadwell): every
 *	call then reports it unsupported
 */
void dflip_vgpu_init(struct dflip_vgpu *vgpu, struct mutex *lock,
		     const struct dflip_backend_ops *ops, void *priv,
		     const struct dflip_gm *gm, bool supported)
{
	unsigned int i;

	memset(vgpu, 0, sizeof(*vgpu));
	vgpu->lock = lock;
	vgpu->ops = ops;
	vgpu->priv = priv;
	vgpu->gm = *gm;
	vgpu->supported = supported;
	for (i = 0; i < DFLIP_NUM_PLANES; i++) {
		struct dflip_vplane *vp = &vgpu->planes[i];

		vp->vgpu = vgpu;
		vp->kind = i % DFLIP_PLANE_KINDS;
		vp->pipe = i / DFLIP_PLANE_KINDS;
		vp->id = i;
		spin_lock_init(&vp->lock);
	}
}

/**
 * dflip_plane_set_default() - the plane's framebuffer before the guest's
 * @vp: the vGPU plane, as dflip_vgpu_init() left it
 * @geo: the default geometry
 *
 * Called at vGPU creation with the vGPU's lock held.  Gives the plane
 * framebuffer generation 1, of @geo (the backend makes its framebuffer
 * object, as for any generation it has not made yet), and makes
 * the start of the vGPU's aperture (past the VT-d guard, 1 MiB aligned),
 * read as @geo, the plane's current frame, so that a compositor can assign
 * the plane before the guest first
 * programs it.  The guest's first flip of the same geometry shows on that
 * framebuffer; any other geometry gets a new one, as always.  The frame's
 * &dflip_flip.regs hold only the surface: the host programs the rest of
 * the hardware plane from the framebuffer.  Counters stay zero.
 *
 * Return: 0 on success; -EOPNOTSUPP if direct flip is unsupported,
 * -EBUSY if the plane already has a framebuffer, -ENOSPC if that frame
 * does not pass validation (@geo does not fit the vGPU's aperture).  On
 * error the plane is as before.
 */
int dflip_plane_set_default(struct dflip_vplane *vp,
			    const struct dflip_geometry *geo)
{
	struct dflip_vgpu *vgpu = vp->vgpu;
	struct dflip_surf_window win;
	struct dflip_flip flip = {};
	unsigned long flags;

	lockdep_assert_held(vgpu->lock);
	if (!vgpu->supported)
		return -EOPNOTSUPP;
	if (vp->fb.gen)
		return -EBUSY;

	flip.desc.kind = vp->kind;
	flip.desc.enabled = true;
	flip.desc.geo = *geo;
	/* past i915's VT-d guard, aligned as any plane's surface may need */
	flip.desc.surf = ALIGN(vgpu->gm.aperture.start + vgpu->gm.vtd_guard,
			       SZ_1M);
	flip.regs.surf = lower_32_bits(flip.desc.surf);
	if (dflip_validate(vp, &flip.desc, &win) != DFLIP_OK)
		return -ENOSPC;

	spin_lock_irqsave(&vp->lock, flags);
	vp->fb.enabled = true;
	vp->fb.geo = *geo;
	vp->fb.gen++;
	vp->cur = flip;
	vp->has_cur = true;
	/*
	 * No surface-only flip against it: its registers are not the
	 * guest's (only the surface is set), so no guest write can be
	 * compared with them.
	 */
	vp->cur_win = (struct dflip_surf_window){
		.align = 1, .lo = { 1, 1 }, .hi = { 0, 0 },
	};
	spin_unlock_irqrestore(&vp->lock, flags);
	return 0;
}

/*
 * Forget the guest's queued flips, owed flip-dones and counters, and its
 * frames if @frames. The assignments stay: they are the host's, and the
 * hardware planes keep showing what they show; GVT writes them again at
 * the guest's next flip.
 */
static void dflip_vgpu_forget(struct dflip_vgpu *vgpu, bool frames)
{
	unsigned long flags;
	unsigned int i;

	lockdep_assert_held(vgpu->lock);
	for (i = 0; i < DFLIP_NUM_PLANES; i++) {
		struct dflip_vplane *vp = &vgpu->planes[i];

		spin_lock_irqsave(&vp->lock, flags);
		vp->queued = false;
		vp->armed_signal = false;
		memset(&vp->live, 0, sizeof(vp->live));
		vp->flip_done_pending = false;
		memset(&vp->stats, 0, sizeof(vp->stats));
		if (frames) {
			memset(&vp->cur, 0, sizeof(vp->cur));
			vp->has_cur = false;
		}
		spin_unlock_irqrestore(&vp->lock, flags);
	}
}

/**
 * dflip_vgpu_reset() - vGPU reset (device model level)
 * @vgpu: the vGPU
 *
 * Called with the vGPU's lock held.  The queued flips, pending flip-done
 * and counters are forgotten; GVT writes no hardware plane until the
 * guest flips again.  The assignments (the host's), the framebuffer
 * geometries and generations are kept, so the host's framebuffer objects
 * and their ids stay valid, and so is each plane's last frame (validated
 * against the vGPU's graphics memory, which a reset does not change).
 */
void dflip_vgpu_reset(struct dflip_vgpu *vgpu)
{
	dflip_vgpu_forget(vgpu, false);
}

/**
 * dflip_vgpu_release() - the VMM closed the vGPU (VFIO close)
 * @vgpu: the vGPU
 *
 * Called with the vGPU's lock held, before KVMGT unpins the guest's
 * memory.  As dflip_vgpu_reset(), and each plane's last frame is forgotten
 * too: until the next vGPU reset the vGPU's graphics memory still maps
 * pages that are no longer the guest's, so nothing is shown again before
 * the guest flips (the host's check refuses the framebuffers, and takes
 * them off next).  The framebuffer geometries and generations stay.
 */
void dflip_vgpu_release(struct dflip_vgpu *vgpu)
{
	dflip_vgpu_forget(vgpu, true);
}

/**
 * dflip_vgpu_fini() - vGPU destroy (also on kvmgt unload)
 * @vgpu: the vGPU
 *
 * Called with the vGPU's lock held.  Every assignment is let go (GVT
 * writes no hardware plane any more; the host's framebuffer destroy takes
 * them off) and every vblank reference dropped, so the caller may free
 * @vgpu afterwards.
 * Later calls report direct flip unsupported.
 */
void dflip_vgpu_fini(struct dflip_vgpu *vgpu)
{
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < DFLIP_NUM_PLANES; i++) {
		struct dflip_vplane *vp = &vgpu->planes[i];

		/* under the plane lock: no assign is half done */
		spin_lock_irqsave(&vp->lock, flags);
		vgpu->supported = false;
		spin_unlock_irqrestore(&vp->lock, flags);
		dflip_plane_unassign(vp);
	}
}
