/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * A Gen9 display plane register-file model and a fake direct flip backend
 * writing it, for the KUnit tests.
 */

#ifndef _GVT_DFLIP_REGFILE_H_
#define _GVT_DFLIP_REGFILE_H_

#include <linux/spinlock.h>
#include <linux/types.h>

#include "i915_reg_defs.h"

#include "../dflip.h"
#include "../dflip_plane.h"

/** DFLIP_RF_PIPES - pipes of the model */
#define DFLIP_RF_PIPES		3
/** DFLIP_RF_UPLANES - universal planes per pipe (PLANE_1 .. PLANE_3) */
#define DFLIP_RF_UPLANES	3
/** DFLIP_RF_CURSOR - index of the cursor among the planes of a pipe */
#define DFLIP_RF_CURSOR		DFLIP_RF_UPLANES
/** DFLIP_RF_PLANES - planes per pipe, cursor included */
#define DFLIP_RF_PLANES		(DFLIP_RF_UPLANES + 1)

/**
 * enum dflip_rf_reg - the registers of one plane in the model
 * @DFLIP_RF_CTL: PLANE_CTL, or CURCNTR
 * @DFLIP_RF_STRIDE: PLANE_STRIDE
 * @DFLIP_RF_POS: PLANE_POS, or CURPOS
 * @DFLIP_RF_SIZE: PLANE_SIZE
 * @DFLIP_RF_KEYVAL: PLANE_KEYVAL
 * @DFLIP_RF_KEYMSK: PLANE_KEYMSK
 * @DFLIP_RF_SURF: PLANE_SURF, or CURBASE
 * @DFLIP_RF_KEYMAX: PLANE_KEYMAX
 * @DFLIP_RF_OFFSET: PLANE_OFFSET
 * @DFLIP_RF_AUX_DIST: PLANE_AUX_DIST
 * @DFLIP_RF_AUX_OFFSET: PLANE_AUX_OFFSET
 * @DFLIP_RF_NREGS: number of registers
 */
enum dflip_rf_reg {
	DFLIP_RF_CTL,
	DFLIP_RF_STRIDE,
	DFLIP_RF_POS,
	DFLIP_RF_SIZE,
	DFLIP_RF_KEYVAL,
	DFLIP_RF_KEYMSK,
	DFLIP_RF_SURF,
	DFLIP_RF_KEYMAX,
	DFLIP_RF_OFFSET,
	DFLIP_RF_AUX_DIST,
	DFLIP_RF_AUX_OFFSET,
	DFLIP_RF_NREGS,
};

/**
 * struct dflip_rf_plane - one plane of the model
 * @staged: values written, not latched yet (what an MMIO read returns)
 * @live: values latched at the last vblank that latched the plane
 * @armed: an arming write happened since the last latch
 * @cntr_written: cursor: CURCNTR was written since the last latch
 * @latches: vblanks that latched this plane
 */
struct dflip_rf_plane {
	u32 staged[DFLIP_RF_NREGS];
	u32 live[DFLIP_RF_NREGS];
	bool armed;
	bool cntr_written;
	u32 latches;
};

struct dflip_regfile;

/**
 * typedef dflip_rf_latch_fn - called for every plane a vblank latched
 * @rf: the model
 * @pipe: the pipe
 * @plane: the plane index (%DFLIP_RF_CURSOR for the cursor)
 * @live: the registers just latched
 *
 * Called with the model's lock held: must not sleep.
 */
typedef void (*dflip_rf_latch_fn)(struct dflip_regfile *rf, unsigned int pipe,
				  unsigned int plane, const u32 *live);

/**
 * typedef dflip_rf_write_fn - called after every register write
 * @rf: the model
 *
 * Called without the model's lock, possibly under a vGPU plane's
 * spinlock; may call dflip_rf_vblank() to make a vblank happen between
 * any two writes.
 */
typedef void (*dflip_rf_write_fn)(struct dflip_regfile *rf);

/**
 * struct dflip_regfile - Gen9 display plane registers of pipes A to C
 * @lock: makes every register access and every latch atomic
 * @planes: the planes, per pipe
 * @frame: per pipe frame counter (PIPE_FRMCOUNT), incremented at vblank
 * @writes: register writes so far
 * @on_latch: optional, see &dflip_rf_latch_fn
 * @on_write: optional, see &dflip_rf_write_fn
 * @ctx: test context for the callbacks
 */
struct dflip_regfile {
	spinlock_t lock; /* protects all the fields below */
	struct dflip_rf_plane planes[DFLIP_RF_PIPES][DFLIP_RF_PLANES];
	u32 frame[DFLIP_RF_PIPES];
	u32 writes;
	dflip_rf_latch_fn on_latch;
	dflip_rf_write_fn on_write;
	void *ctx;
};

void dflip_rf_init(struct dflip_regfile *rf);
i915_reg_t dflip_rf_reg(unsigned int pipe, unsigned int plane,
			enum dflip_rf_reg reg);
int dflip_rf_write(struct dflip_regfile *rf, i915_reg_t reg, u32 val);
u32 dflip_rf_read(struct dflip_regfile *rf, i915_reg_t reg);
u32 dflip_rf_live(struct dflip_regfile *rf, unsigned int pipe,
		  unsigned int plane, enum dflip_rf_reg reg);
bool dflip_rf_armed(struct dflip_regfile *rf, unsigned int pipe,
		    unsigned int plane);
void dflip_rf_vblank(struct dflip_regfile *rf, unsigned int pipe);
u32 dflip_rf_frame(struct dflip_regfile *rf, unsigned int pipe);
int dflip_rf_spans(const u32 *regs, bool cursor, u64 guard,
		   struct dflip_gm_range *span);
int dflip_rf_scanout(struct dflip_regfile *rf, unsigned int pipe,
		     unsigned int plane, u64 guard,
		     struct dflip_gm_range *span);

/**
 * struct dflip_fake_hw - one hardware plane of the fake backend
 * @fake: the backend
 * @pipe: its pipe (CRTC)
 * @plane: its index on the pipe (%DFLIP_RF_CURSOR for the cursor)
 * @enabled: the last value the backend wrote enabled the plane
 * @owner: the vGPU plane holding a vblank reference, or NULL
 * @vblank_refs: vblank references held
 * @arms: arm calls
 * @latch_surf: the staged surface at the last &dflip_backend_ops.armed
 * @latch_by_frame: that arming kept the live surface: its latch is told by
 *	the frame counter
 * @latch_frame: the frame counter read then
 */
struct dflip_fake_hw {
	struct dflip_fake *fake;
	unsigned int pipe;
	unsigned int plane;
	bool enabled;
	struct dflip_vplane *owner;
	int vblank_refs;
	u32 arms;
	u32 latch_surf;
	bool latch_by_frame;
	u32 latch_frame;
};

/**
 * struct dflip_fake - a fake direct flip backend on the model
 * @rf: the register-file model
 * @lock: protects the @hw owners against the vblank dispatch
 * @hw: the hardware planes
 * @flip_done: flip-done signals per vGPU plane number
 * @frame_reads: frame counter reads (the backend's armed() and latched()
 *	of an arming that kept the live surface)
 */
struct dflip_fake {
	struct dflip_regfile rf;
	spinlock_t lock; /* protects hw[][].owner */
	struct dflip_fake_hw hw[DFLIP_RF_PIPES][DFLIP_RF_PLANES];
	u32 flip_done[DFLIP_NUM_PLANES];
	u32 frame_reads;
};

extern const struct dflip_backend_ops dflip_fake_ops;

void dflip_fake_init(struct dflip_fake *fake);
void dflip_fake_vblank(struct dflip_fake *fake, unsigned int pipe);
void dflip_fake_irq(struct dflip_fake *fake, unsigned int pipe);
void dflip_fake_host_commit(struct dflip_fake *fake, struct dflip_vplane *vp,
			    struct dflip_fake_hw *hw);

struct kunit;

/** DFLIP_TEST_SURF_BASE - first surface of the test flips (aperture) */
#define DFLIP_TEST_SURF_BASE	0x00400000u
/** DFLIP_TEST_SLOT - bytes between the surfaces of two test flips */
#define DFLIP_TEST_SLOT		0x00040000u
/** DFLIP_TEST_SLOTS - surfaces the test flips cycle through */
#define DFLIP_TEST_SLOTS	64

extern const struct dflip_gm dflip_test_gm;

/**
 * struct dflip_test_env - a vGPU with direct flip on the fake backend
 * @lock: stands for GVT's vgpu_lock
 * @fake: the fake backend and its register-file model
 * @vgpu: the vGPU's direct flip state
 */
struct dflip_test_env {
	struct mutex lock; /* the vGPU's lock */
	struct dflip_fake fake;
	struct dflip_vgpu vgpu;
};

struct dflip_test_env *dflip_test_env_new(struct kunit *test, bool supported);
void dflip_test_regs(struct dflip_plane_regs *r, enum dflip_plane_kind kind,
		     u32 id, u32 w, u32 h);
bool dflip_test_frame_pure(const u32 *live, bool cursor);
u32 dflip_test_frame_id(const u32 *live, bool cursor);

#endif /* _GVT_DFLIP_REGFILE_H_ */
