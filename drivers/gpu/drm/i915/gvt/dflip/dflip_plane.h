/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * Local Display Direct Flip: the hardware-independent vGPU plane state
 * machine (guest flip path, vblank latch, assignment lifecycle).
 */

#ifndef _GVT_DFLIP_PLANE_H_
#define _GVT_DFLIP_PLANE_H_

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "dflip.h"

struct dflip_vgpu;
struct dflip_vplane;

/**
 * struct dflip_flip - one guest plane state: raw registers and their decode
 * @regs: the guest's raw registers
 * @desc: what @regs decode to
 */
struct dflip_flip {
	struct dflip_plane_regs regs;
	struct dflip_plane_desc desc;
};

/**
 * struct dflip_fb_geo - the geometry of a vGPU plane's framebuffer object
 * @enabled: the guest plane is enabled (a disabled plane has no geometry)
 * @geo: the geometry, valid when @enabled
 * @gen: generation, incremented whenever a new framebuffer object replaces
 *	the plane's framebuffer (0: the plane never had one)
 */
struct dflip_fb_geo {
	bool enabled;
	struct dflip_geometry geo;
	u32 gen;
};

/**
 * struct dflip_plane_stats - per vGPU plane counters
 * @flips_surface_only: guest flips that changed only the surface and were
 *	checked against the current state's window, without a decode
 * @flips_applied: flips written to the hardware plane
 * @flips_latched: armed flips the hardware latched at a vblank
 * @flips_queued: flips stored because an earlier one was not latched yet
 * @flips_coalesced: queued flips replaced by a later one before arming
 * @flips_held: valid flips not shown because the assigned framebuffer is
 *	of an older geometry (waiting for the host to commit the new one)
 * @rejects: rejected guest flips, per &enum dflip_reject
 * @geometry_changes: new framebuffer generations (guest geometry changes)
 * @geometry_failures: framebuffer objects the backend failed to make
 *	(counted by the backend, which tries again)
 * @flip_done: flip-done events signalled to the guest
 */
struct dflip_plane_stats {
	u64 flips_surface_only;
	u64 flips_applied;
	u64 flips_latched;
	u64 flips_queued;
	u64 flips_coalesced;
	u64 flips_held;
	u64 rejects[DFLIP_REJECT_COUNT];
	u64 geometry_changes;
	u64 geometry_failures;
	u64 flip_done;
};

/**
 * enum dflip_vplane_state - where a vGPU plane is in its life cycle
 * @DFLIP_VPLANE_UNASSIGNED: no hardware plane shows a framebuffer of the
 *	plane: guest flips are only recorded
 * @DFLIP_VPLANE_IDLE: assigned, the hardware latched everything written to
 *	it: a guest flip is armed at once
 * @DFLIP_VPLANE_ARMED: assigned, an update (GVT's or the host's) is armed
 *	and not latched yet: a guest flip waits in &dflip_vplane.queued
 * @DFLIP_VPLANE_HOST: assigned, a host commit is programming the hardware
 *	plane (dflip_plane_surface() to dflip_plane_surface_done()): GVT
 *	writes nothing, a guest flip waits
 * @DFLIP_VPLANE_NO_VBLANK: a hardware plane shows a framebuffer of the
 *	plane, but the backend could not start the vblank entry: without it
 *	no latch can be told, so GVT writes nothing and guest flips are
 *	emulated (as unassigned) until an assign succeeds
 *
 * The states of the diagram in the DOC "vGPU plane state machine".
 */
enum dflip_vplane_state {
	DFLIP_VPLANE_UNASSIGNED,
	DFLIP_VPLANE_IDLE,
	DFLIP_VPLANE_ARMED,
	DFLIP_VPLANE_HOST,
	DFLIP_VPLANE_NO_VBLANK,
};

/**
 * struct dflip_vplane - one vGPU plane
 * @vgpu: the vGPU the plane belongs to
 * @kind: primary, sprite or cursor
 * @pipe: virtual pipe
 * @id: plane number, @pipe * %DFLIP_PLANE_KINDS + @kind
 * @lock: protects everything below that the vblank entry and the host
 *	commit path share with the guest flip path (taken irqsave)
 * @fb: geometry of the plane's current framebuffer object; vgpu_lock +
 *	@lock
 * @cur: latest valid guest state whose geometry is @fb (what a host commit
 *	of the plane's current framebuffer shows); vgpu_lock + @lock
 * @has_cur: @cur holds a valid state
 * @cur_win: the surfaces @cur's other registers may be shown at
 *	(dflip_validate_window()), valid with @has_cur
 * @state: see &enum dflip_vplane_state
 * @hw: backend handle of the hardware plane that shows a framebuffer of
 *	the plane, valid unless %DFLIP_VPLANE_UNASSIGNED: the one record of
 *	the assignment, set by the host's commit (dflip_plane_assign()).
 *	i915's glue passes one handle per vGPU plane, and keeps a second
 *	hardware plane off itself.
 * @hw_gen: the generation of the framebuffer @hw shows; guest flips are
 *	written to @hw only while it is @fb's (else held)
 * @live: last state written (or about to be written) to @hw
 * @armed_signal: the armed update owes the guest a flip-done once latched
 * @queued: @cur waits to be armed by the vblank entry, once the armed
 *	update latched (%DFLIP_VPLANE_ARMED, %DFLIP_VPLANE_HOST, or
 *	%DFLIP_VPLANE_IDLE for a cursor flip that came during a host
 *	commit), only while @hw_gen is @fb's
 * @queued_signal: the queued @cur owes the guest a flip-done
 * @flip_done_pending: a flip-done for this plane was signalled and not yet
 *	consumed with dflip_plane_take_flip_done()
 * @stats: counters
 */
struct dflip_vplane {
	struct dflip_vgpu *vgpu;
	enum dflip_plane_kind kind;
	unsigned int pipe;
	unsigned int id;

	spinlock_t lock; /* see the DOC: vGPU plane locking */
	struct dflip_fb_geo fb;
	struct dflip_flip cur;
	bool has_cur;
	struct dflip_surf_window cur_win;
	enum dflip_vplane_state state;
	void *hw;
	u32 hw_gen;
	struct dflip_flip live;
	bool armed_signal;
	bool queued;
	bool queued_signal;
	bool flip_done_pending;
	struct dflip_plane_stats stats;
};

/**
 * dflip_plane_assigned_locked() - does a hardware plane show the plane?
 * @vp: the vGPU plane, its &dflip_vplane.lock held
 *
 * Return: true unless %DFLIP_VPLANE_UNASSIGNED (also when GVT cannot write
 * it, %DFLIP_VPLANE_NO_VBLANK); &dflip_vplane.hw and &dflip_vplane.hw_gen
 * are valid then.
 */
static inline bool dflip_plane_assigned_locked(const struct dflip_vplane *vp)
{
	lockdep_assert_held(&vp->lock);
	return vp->state != DFLIP_VPLANE_UNASSIGNED;
}

/**
 * struct dflip_backend_ops - what the state machine needs from the hardware
 *
 * Implemented by the i915 glue, and in the KUnit tests by a fake that
 * writes a Gen9 register-file model.  Every callback gets the vGPU plane
 * (its &dflip_vplane.vgpu has the backend's private data); @hw is the
 * opaque handle of one hardware plane on one CRTC, as passed to
 * dflip_plane_assign().  The hardware plane is the host's: the state
 * machine writes it only while assigned (@arm) and never takes it off;
 * after unassign it keeps showing the last frame until the host
 * reprograms it.
 *
 * @arm: write a validated flip to the hardware plane, the arming register
 *	last (the control register last when it enables the plane: it
 *	self-arms then).  Write what was validated: addresses from
 *	@flip->desc, never raw guest bits outside the decoded fields.
 *	Called with &dflip_vplane.lock held and interrupts off: must not
 *	sleep or allocate.
 * @armed: the hardware plane @hw was just armed, by @arm or by the host's
 *	commit.  The backend notes what tells it later that this update
 *	latched; it should not need a register read for that when the
 *	surface changed (a non-posted read costs the trap path).  Same
 *	context as @arm.
 * @latched: has the update noted by the last @armed latched?  Called from
 *	the vblank entry under &dflip_vplane.lock, only while @hw is
 *	assigned (never once the host took it back: its pipe may be off or
 *	power-gated).  Never too early: false while the hardware may still
 *	latch it.
 * @vblank_get: start calling dflip_plane_vblank() for the plane at the
 *	vblanks of @hw's CRTC.  Called by dflip_plane_assign() under
 *	&dflip_vplane.lock, from the host's commit (any context, interrupts
 *	possibly off): must not sleep.  After an error the plane is
 *	%DFLIP_VPLANE_NO_VBLANK.
 * @vblank_put: stop it.  Called by dflip_plane_unassign() under
 *	&dflip_vplane.lock: must not sleep.  Calls of dflip_plane_vblank()
 *	already under way may still come; they find the plane unassigned (or
 *	assigned again) and do what that state says.
 * @flip_done: make GVT inject the guest's flip-done event of the plane.
 *	Called under &dflip_vplane.lock, possibly in interrupt context: only
 *	marks a request for GVT's service thread.
 */
struct dflip_backend_ops {
	void (*arm)(struct dflip_vplane *vp, void *hw,
		    const struct dflip_flip *flip);
	void (*armed)(struct dflip_vplane *vp, void *hw);
	bool (*latched)(struct dflip_vplane *vp, void *hw);
	int (*vblank_get)(struct dflip_vplane *vp, void *hw);
	void (*vblank_put)(struct dflip_vplane *vp, void *hw);
	void (*flip_done)(struct dflip_vplane *vp);
};

/**
 * struct dflip_vgpu - the direct flip state of one vGPU
 * @planes: the vGPU planes, indexed by plane number
 * @gm: the graphics memory the vGPU owns
 * @ops: the hardware backend
 * @priv: backend private data
 * @lock: the vGPU's lock (GVT's vgpu_lock), held by every caller except
 *	the vblank entry and the host surface accessors
 * @supported: direct flip works on this device (false on Broadwell)
 */
struct dflip_vgpu {
	struct dflip_vplane planes[DFLIP_NUM_PLANES];
	struct dflip_gm gm;
	const struct dflip_backend_ops *ops;
	void *priv;
	struct mutex *lock; /* GVT's vgpu_lock, outer to the plane locks */
	bool supported;
};

/**
 * enum dflip_flip_result - what dflip_plane_guest_write() did
 * @DFLIP_FLIP_NOT_ASSIGNED: no hardware plane: GVT emulates the flip as
 *	before (the caller signals its flip-done)
 * @DFLIP_FLIP_FLIPPED: written to the hardware plane, latched at the next
 *	vblank (flip-done then)
 * @DFLIP_FLIP_QUEUED: stored; applied at the vblank that latches the
 *	previous flip (flip-done after it is latched)
 * @DFLIP_FLIP_HELD: valid, but the assigned framebuffer is of an older
 *	geometry; shown once the host commits the new one (the caller
 *	emulates its flip-done)
 * @DFLIP_FLIP_GEOMETRY: new geometry: the plane's framebuffer generation
 *	moved on (&dflip_vplane.fb: the backend makes its framebuffer object
 *	off the trap path), the last good frame stays (the caller emulates
 *	its flip-done)
 * @DFLIP_FLIP_REJECTED: invalid, counted, the last good frame stays (the
 *	caller emulates its flip-done)
 * @DFLIP_FLIP_UNSUPPORTED: direct flip is not supported on this device
 *	(the caller emulates the flip and its flip-done)
 */
enum dflip_flip_result {
	DFLIP_FLIP_NOT_ASSIGNED,
	DFLIP_FLIP_FLIPPED,
	DFLIP_FLIP_QUEUED,
	DFLIP_FLIP_HELD,
	DFLIP_FLIP_GEOMETRY,
	DFLIP_FLIP_REJECTED,
	DFLIP_FLIP_UNSUPPORTED,
};

void dflip_vgpu_init(struct dflip_vgpu *vgpu, struct mutex *lock,
		     const struct dflip_backend_ops *ops, void *priv,
		     const struct dflip_gm *gm, bool supported);
void dflip_vgpu_reset(struct dflip_vgpu *vgpu);
void dflip_vgpu_release(struct dflip_vgpu *vgpu);
int dflip_plane_set_default(struct dflip_vplane *vp,
			    const struct dflip_geometry *geo);
void dflip_vgpu_fini(struct dflip_vgpu *vgpu);

struct dflip_vplane *dflip_vgpu_plane(struct dflip_vgpu *vgpu,
				      unsigned int pipe,
				      enum dflip_plane_kind kind);

enum dflip_flip_result
dflip_plane_guest_write(struct dflip_vplane *vp,
			const struct dflip_plane_regs *regs);
void dflip_plane_vblank(struct dflip_vplane *vp);

int dflip_plane_assign(struct dflip_vplane *vp, void *hw, u32 fb_gen,
		       bool host_armed);
void dflip_plane_unassign(struct dflip_vplane *vp);

bool dflip_plane_surface(struct dflip_vplane *vp, struct dflip_flip *flip);
void dflip_plane_surface_done(struct dflip_vplane *vp);

bool dflip_plane_take_flip_done(struct dflip_vplane *vp);
void dflip_plane_get_stats(struct dflip_vplane *vp,
			   struct dflip_plane_stats *stats);
const char *dflip_flip_result_name(enum dflip_flip_result res);
const char *dflip_plane_state_name(struct dflip_vplane *vp);

#endif /* _GVT_DFLIP_PLANE_H_ */
