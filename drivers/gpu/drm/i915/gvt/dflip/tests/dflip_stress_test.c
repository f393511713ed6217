// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * Concurrency stress of the vGPU plane state machine: guest flips, host
 * commits and assignments, and vblanks with interrupts off, on two CPUs,
 * then vGPU destroy.  Run under KASAN and lockdep.
 */

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched/task.h>

#include "display/skl_universal_plane_regs.h"

#include "dflip_regfile.h"

#define DFLIP_STRESS_GUEST_ITERS	3000
#define DFLIP_STRESS_HOST_ITERS		600
#define DFLIP_STRESS_TIMEOUT		(60 * HZ)

/**
 * struct dflip_stress - shared state of the stress threads
 * @env: the vGPU on the fake backend
 * @guest_done: the guest thread finished its iterations
 * @host_done: the host thread finished its iterations
 * @impure: latched frames mixing two flips
 * @latches: latched frames
 * @results: guest flip results, per &enum dflip_flip_result
 * @host_errors: unexpected assign errors
 */
struct dflip_stress {
	struct dflip_test_env *env;
	struct completion guest_done;
	struct completion host_done;
	atomic_t impure;
	atomic_t latches;
	atomic_t results[DFLIP_FLIP_UNSUPPORTED + 1];
	atomic_t host_errors;
};

static void dflip_stress_latch(struct dflip_regfile *rf, unsigned int pipe,
			       unsigned int plane, const u32 *live)
{
	struct dflip_stress *s = rf->ctx;

	atomic_inc(&s->latches);
	if (!dflip_test_frame_pure(live, plane == DFLIP_RF_CURSOR))
		atomic_inc(&s->impure);
}

static void dflip_stress_park(void)
{
	while (!kthread_should_stop())
		usleep_range(1000, 2000);
}

/* vCPU: flips of primary and sprite of pipe A, now and then a new size. */
static int dflip_stress_guest(void *data)
{
	struct dflip_stress *s = data;
	struct dflip_vgpu *vgpu = &s->env->vgpu;
	struct dflip_plane_regs r;
	enum dflip_flip_result res;
	unsigned int i, k;

	for (i = 0; i < DFLIP_STRESS_GUEST_ITERS; i++) {
		u32 w = (i / 500) % 2 ? 128 : 64;

		for (k = DFLIP_PLANE_PRIMARY; k <= DFLIP_PLANE_SPRITE; k++) {
			dflip_test_regs(&r, k, i, w, 64);
			mutex_lock(&s->env->lock);
			res = dflip_plane_guest_write(&vgpu->planes[k], &r);
			mutex_unlock(&s->env->lock);
			atomic_inc(&s->results[res]);
		}
		if (!(i % 8))
			usleep_range(20, 60);
	}
	complete(&s->guest_done);
	dflip_stress_park();
	return 0;
}

static void dflip_stress_host_step(struct dflip_stress *s, unsigned int i)
{
	struct dflip_vgpu *vgpu = &s->env->vgpu;
	struct dflip_vplane *vp = &vgpu->planes[i % 2];
	struct dflip_fake_hw *a = &s->env->fake.hw[0][i % 2];
	struct dflip_fake_hw *b = &s->env->fake.hw[1][i % 2];
	struct dflip_fake_hw *to;
	int ret = 0;

	if (i % 6 >= 4) {
		/*
		 * A host commit reprogramming the plane: not under the vGPU's
		 * lock, but serialized with this thread's assignments as KMS
		 * serializes commits of one plane.
		 */
		if (vp->hw)
			dflip_fake_host_commit(&s->env->fake, vp, vp->hw);
		return;
	}

	mutex_lock(&s->env->lock);
	switch (i % 6) {
	case 0:
	case 1:
		ret = dflip_plane_assign(vp, vp->hw ? vp->hw : a, vp->fb.gen, false);
		break;
	case 2:	/* a move, as i915 does it: off the old plane, onto the new */
		to = vp->hw == a ? b : a;
		dflip_plane_unassign(vp);
		ret = dflip_plane_assign(vp, to, vp->fb.gen, false);
		break;
	default:
		dflip_plane_unassign(vp);
		break;
	}
	mutex_unlock(&s->env->lock);
	if (ret && ret != -ESTALE && ret != -ENODATA)
		atomic_inc(&s->host_errors);
}

/* Host compositor: assignments, re-assignments, host commits. */
static int dflip_stress_host(void *data)
{
	struct dflip_stress *s = data;
	unsigned int i;

	for (i = 0; i < DFLIP_STRESS_HOST_ITERS; i++) {
		dflip_stress_host_step(s, i);
		usleep_range(50, 150);
	}
	complete(&s->host_done);
	dflip_stress_park();
	return 0;
}

/* The display engine: vblanks of pipes A and B, interrupts off. */
static int dflip_stress_vblank(void *data)
{
	struct dflip_stress *s = data;
	unsigned long flags;

	while (!kthread_should_stop()) {
		local_irq_save(flags);
		dflip_fake_vblank(&s->env->fake, 0);
		dflip_fake_vblank(&s->env->fake, 1);
		local_irq_restore(flags);
		usleep_range(30, 90);
	}
	return 0;
}

static struct task_struct *dflip_stress_start(struct kunit *test,
					      int (*fn)(void *), void *data,
					      unsigned int cpu, const char *name)
{
	struct task_struct *t = kthread_create(fn, data, "%s", name);

	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	if (cpu < nr_cpu_ids && cpu_online(cpu))
		kthread_bind(t, cpu);
	get_task_struct(t);
	wake_up_process(t);
	return t;
}

static void dflip_stress_stop(struct task_struct *t)
{
	kthread_stop(t);
	put_task_struct(t);
}

static void dflip_stress_test_flip_assign_vblank_destroy(struct kunit *test)
{
	struct dflip_stress *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct task_struct *guest, *host, *vblank;
	unsigned long left_guest, left_host;
	unsigned int p, i;
	u32 writes;

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->env = dflip_test_env_new(test, true);
	init_completion(&s->guest_done);
	init_completion(&s->host_done);
	s->env->fake.rf.ctx = s;
	s->env->fake.rf.on_latch = dflip_stress_latch;

	vblank = dflip_stress_start(test, dflip_stress_vblank, s, 1,
				    "dflip-vblank");
	guest = dflip_stress_start(test, dflip_stress_guest, s, 0,
				   "dflip-guest");
	host = dflip_stress_start(test, dflip_stress_host, s, 1, "dflip-host");

	left_guest = wait_for_completion_timeout(&s->guest_done,
						 DFLIP_STRESS_TIMEOUT);
	left_host = wait_for_completion_timeout(&s->host_done,
						DFLIP_STRESS_TIMEOUT);
	dflip_stress_stop(guest);
	dflip_stress_stop(host);

	/* vGPU destroy while the display engine still runs */
	mutex_lock(&s->env->lock);
	dflip_vgpu_fini(&s->env->vgpu);
	mutex_unlock(&s->env->lock);
	dflip_stress_stop(vblank);

	KUNIT_EXPECT_NE(test, 0ul, left_guest);
	KUNIT_EXPECT_NE(test, 0ul, left_host);
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&s->impure));
	KUNIT_EXPECT_EQ(test, 0, atomic_read(&s->host_errors));
	KUNIT_EXPECT_GT(test, atomic_read(&s->latches), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&s->results[DFLIP_FLIP_FLIPPED]), 0);
	KUNIT_EXPECT_EQ(test, 0,
			atomic_read(&s->results[DFLIP_FLIP_REJECTED]) +
			atomic_read(&s->results[DFLIP_FLIP_UNSUPPORTED]));
	kunit_info(test, "%d latches; flips: %d flipped, %d queued, %d held, %d geometry, %d not assigned\n",
		   atomic_read(&s->latches),
		   atomic_read(&s->results[DFLIP_FLIP_FLIPPED]),
		   atomic_read(&s->results[DFLIP_FLIP_QUEUED]),
		   atomic_read(&s->results[DFLIP_FLIP_HELD]),
		   atomic_read(&s->results[DFLIP_FLIP_GEOMETRY]),
		   atomic_read(&s->results[DFLIP_FLIP_NOT_ASSIGNED]));

	/* no vblank reference is left and GVT writes no plane any more */
	writes = s->env->fake.rf.writes;
	dflip_fake_vblank(&s->env->fake, 0);
	dflip_fake_vblank(&s->env->fake, 1);
	KUNIT_EXPECT_EQ(test, writes, s->env->fake.rf.writes);
	for (p = 0; p < DFLIP_RF_PIPES; p++)
		for (i = 0; i < DFLIP_RF_PLANES; i++) {
			struct dflip_fake_hw *hw = &s->env->fake.hw[p][i];

			KUNIT_EXPECT_EQ(test, 0, hw->vblank_refs);
			KUNIT_EXPECT_NULL(test, hw->owner);
		}
}

static struct kunit_case dflip_stress_tests[] = {
	KUNIT_CASE_SLOW(dflip_stress_test_flip_assign_vblank_destroy),
	{}
};

static struct kunit_suite dflip_stress_suite = {
	.name = "dflip_stress",
	.test_cases = dflip_stress_tests,
};

kunit_test_suite(dflip_stress_suite);
