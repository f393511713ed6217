// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * Benchmark of a guest frame's in-kernel host work: the direct path
 * against the dma-buf path, on the same fake Skylake host and vGPU (see
 * dflip_skl_host.c). Run by `make bench`, never by `make check`: it
 * asserts counts, never time.
 *
 * One iteration is the host kernel's work for one guest frame, both paths
 * starting from the same guest step: the guest's PLANE_SURF write through
 * GVT's MMIO emulation (intel_vgpu_emulate_mmio_write(), which takes the
 * vGPU's lock on both paths).
 * - direct: the vGPU plane assigned to a hardware plane, so the write's
 *   handler flips it onto the hardware; then the vblank that latches it
 *   and the body of direct flip's vblank work (retire, flip-done), run
 *   inline. Not timed: DRM's vblank interrupt handling and the wakeup of
 *   the CRTC's vblank worker (one work item per frame while a plane is
 *   assigned), whose time under TCG is the scheduler's.
 * - dmabuf: the plane unassigned, so the write is GVT's emulation alone
 *   (with direct flip's hook for an unassigned plane); then QEMU's
 *   per-refresh VFIO_DEVICE_QUERY_GFX_PLANE of the primary and of the
 *   cursor (enabled), as kvmgt's ioctl handler runs it: the request copied
 *   in from user memory, intel_vgpu_query_plane() (GVT's plane decode, the
 *   GGTT translation, the dma-buf object lookup), the reply copied out.
 *   The guest flips between two surfaces, so after the first two frames
 *   every query finds an existing object and QEMU needs no
 *   VFIO_DEVICE_GET_GFX_DMABUF.
 *
 * Every path is first run with counting on: register writes and reads
 * through i915's display register accessors (tracepoint i915_reg_rw) and
 * the direct flip glue's (ftrace on dflip_host_hw_write/_read()),
 * allocations (tracepoints kmalloc, kmem_cache_alloc, mm_page_alloc) and
 * lock acquisitions (ftrace on the spinlock, mutex and rwsem entry points)
 * made by the benchmark task and the CRTCs' vblank workers. Then it is
 * timed with counting off, in batches of DFLIP_BENCH_BATCH iterations,
 * from which the same batches of an empty iteration are subtracted.
 * Two more paths: the guest's write with direct flip's trap hook patched
 * out (&dflip_host_trap_key off, as on a device without direct flip), to
 * show what the hook adds to GVT's own handler, and a calibration loop of
 * DFLIP_BENCH_CALIBRATION_INSNS instructions: under QEMU's -icount
 * shift=0 (mk/bench.sh runs the suite a second time so) the guest clock
 * advances one nanosecond per instruction, and the calibration path says
 * how exactly.
 * Results are "dflip_bench:" lines, parsed by bench/report.py.
 */

#include <kunit/test.h>

#include <linux/ftrace.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mman.h>
#include <linux/sizes.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/vmalloc.h>

#include <drm/drm_vblank.h>

#include <trace/events/kmem.h>

#include "i915_drv.h"
#include "i915_reg.h"
#include "i915_trace.h"
#include "gvt/gvt.h"
#include "display/intel_display_types.h"
#include "display/skl_universal_plane_regs.h"

#include "../dflip_host.h"
#include "../dflip_plane.h"
#include "dflip_skl_host.h"

/* timed: batches of iterations per path, after DFLIP_BENCH_WARMUP */
#define DFLIP_BENCH_BATCH	50
#define DFLIP_BENCH_BATCHES	1000
#define DFLIP_BENCH_WARMUP	1000
/* iterations run with counting on */
#define DFLIP_BENCH_COUNTED	1000

/* instructions of one calibration iteration: 1000 x (dec, jnz) */
#define DFLIP_BENCH_CALIBRATION_LOOPS	1000
#define DFLIP_BENCH_CALIBRATION_INSNS	(2 * DFLIP_BENCH_CALIBRATION_LOOPS)

#define DFLIP_BENCH_WIDTH	1920
#define DFLIP_BENCH_HEIGHT	1080

/**
 * struct dflip_bench_counts - what one benchmark task did
 * @reg_writes: display register writes (i915_reg_rw)
 * @reg_reads: display register reads (i915_reg_rw)
 * @allocs: slab and page allocations
 * @spinlocks: spinlock, rwlock acquisitions (raw entry points)
 * @mutexes: mutex and rwsem acquisitions
 */
struct dflip_bench_counts {
	u64 reg_writes;
	u64 reg_reads;
	u64 allocs;
	u64 spinlocks;
	u64 mutexes;
};

static struct dflip_bench_counts dflip_bench_counts;
static struct task_struct *dflip_bench_task;
/* the CRTCs' vblank workers, which run direct flip's vblank work */
static struct task_struct *dflip_bench_workers[DFLIP_SKL_PIPES];

static bool dflip_bench_counting(void)
{
	unsigned int i;

	if (!in_task())
		return false;
	if (READ_ONCE(dflip_bench_task) == current)
		return true;
	for (i = 0; i < ARRAY_SIZE(dflip_bench_workers); i++)
		if (READ_ONCE(dflip_bench_workers[i]) == current)
			return true;
	return false;
}

static void dflip_bench_reg_rw(void *data, bool write, i915_reg_t reg,
			       u64 val, int len, bool trace)
{
	if (!dflip_bench_counting())
		return;
	if (write)
		dflip_bench_counts.reg_writes++;
	else
		dflip_bench_counts.reg_reads++;
}

static void dflip_bench_kmalloc(void *data, unsigned long call_site,
				const void *ptr, size_t bytes_req,
				size_t bytes_alloc, gfp_t gfp_flags, int node)
{
	if (dflip_bench_counting())
		dflip_bench_counts.allocs++;
}

static void dflip_bench_cache_alloc(void *data, unsigned long call_site,
				    const void *ptr, struct kmem_cache *s,
				    gfp_t gfp_flags, int node)
{
	if (dflip_bench_counting())
		dflip_bench_counts.allocs++;
}

static void dflip_bench_page_alloc(void *data, struct page *page,
				   unsigned int order, gfp_t gfp_flags,
				   int migratetype)
{
	if (dflip_bench_counting())
		dflip_bench_counts.allocs++;
}

static void notrace dflip_bench_spin(unsigned long ip, unsigned long pip,
				     struct ftrace_ops *op,
				     struct ftrace_regs *fregs)
{
	if (dflip_bench_counting())
		dflip_bench_counts.spinlocks++;
}

static void notrace dflip_bench_mutex(unsigned long ip, unsigned long pip,
				      struct ftrace_ops *op,
				      struct ftrace_regs *fregs)
{
	if (dflip_bench_counting())
		dflip_bench_counts.mutexes++;
}

/* the glue's hardware accesses (dflip_host.c), out of i915's tracepoint */
static void notrace dflip_bench_hw_write(unsigned long ip, unsigned long pip,
					 struct ftrace_ops *op,
					 struct ftrace_regs *fregs)
{
	if (dflip_bench_counting())
		dflip_bench_counts.reg_writes++;
}

static void notrace dflip_bench_hw_read(unsigned long ip, unsigned long pip,
					struct ftrace_ops *op,
					struct ftrace_regs *fregs)
{
	if (dflip_bench_counting())
		dflip_bench_counts.reg_reads++;
}

static struct ftrace_ops dflip_bench_hw_write_ops = {
	.func = dflip_bench_hw_write,
};

static struct ftrace_ops dflip_bench_hw_read_ops = {
	.func = dflip_bench_hw_read,
};

static const char * const dflip_bench_hw_write_fns[] = {
	"dflip_host_hw_write",
};

static const char * const dflip_bench_hw_read_fns[] = {
	"dflip_host_hw_read",
};

static struct ftrace_ops dflip_bench_spin_ops = {
	.func = dflip_bench_spin,
};

static struct ftrace_ops dflip_bench_mutex_ops = {
	.func = dflip_bench_mutex,
};

static const char * const dflip_bench_spin_fns[] = {
	"_raw_spin_lock*", "_raw_spin_trylock*",
	"_raw_read_lock*", "_raw_write_lock*",
};

static const char * const dflip_bench_mutex_fns[] = {
	"mutex_lock*", "mutex_trylock", "down_read*", "down_write*",
};

/* the lock entry points each ftrace_ops counts, set once per suite run */
static int dflip_bench_filter(struct ftrace_ops *ops,
			      const char * const *fns, unsigned int n)
{
	char buf[32];
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		strscpy(buf, fns[i], sizeof(buf));
		ret = ftrace_set_filter(ops, buf, strlen(buf), 0);
		if (ret)
			return ret;
	}
	return 0;
}

static int dflip_bench_suite_init(struct kunit_suite *suite)
{
	int ret;

	ret = dflip_bench_filter(&dflip_bench_spin_ops, dflip_bench_spin_fns,
				 ARRAY_SIZE(dflip_bench_spin_fns));
	if (!ret)
		ret = dflip_bench_filter(&dflip_bench_mutex_ops,
					 dflip_bench_mutex_fns,
					 ARRAY_SIZE(dflip_bench_mutex_fns));
	if (!ret)
		ret = dflip_bench_filter(&dflip_bench_hw_write_ops,
					 dflip_bench_hw_write_fns,
					 ARRAY_SIZE(dflip_bench_hw_write_fns));
	if (!ret)
		ret = dflip_bench_filter(&dflip_bench_hw_read_ops,
					 dflip_bench_hw_read_fns,
					 ARRAY_SIZE(dflip_bench_hw_read_fns));
	if (ret)
		pr_err("dflip_bench: cannot filter the lock functions: %d\n",
		       ret);
	return ret;
}

static void dflip_bench_suite_exit(struct kunit_suite *suite)
{
	ftrace_free_filter(&dflip_bench_hw_read_ops);
	ftrace_free_filter(&dflip_bench_hw_write_ops);
	ftrace_free_filter(&dflip_bench_mutex_ops);
	ftrace_free_filter(&dflip_bench_spin_ops);
}

static void dflip_bench_probes(struct kunit *test, bool on)
{
	if (on) {
		KUNIT_ASSERT_EQ(test, register_trace_i915_reg_rw(dflip_bench_reg_rw,
								 NULL), 0);
		KUNIT_ASSERT_EQ(test, register_trace_kmalloc(dflip_bench_kmalloc,
							     NULL), 0);
		KUNIT_ASSERT_EQ(test,
				register_trace_kmem_cache_alloc(dflip_bench_cache_alloc,
								NULL), 0);
		KUNIT_ASSERT_EQ(test,
				register_trace_mm_page_alloc(dflip_bench_page_alloc,
							     NULL), 0);
		KUNIT_ASSERT_EQ(test,
				register_ftrace_function(&dflip_bench_spin_ops), 0);
		KUNIT_ASSERT_EQ(test,
				register_ftrace_function(&dflip_bench_mutex_ops), 0);
		KUNIT_ASSERT_EQ(test,
				register_ftrace_function(&dflip_bench_hw_write_ops),
				0);
		KUNIT_ASSERT_EQ(test,
				register_ftrace_function(&dflip_bench_hw_read_ops),
				0);
		return;
	}
	unregister_ftrace_function(&dflip_bench_hw_read_ops);
	unregister_ftrace_function(&dflip_bench_hw_write_ops);
	unregister_ftrace_function(&dflip_bench_mutex_ops);
	unregister_ftrace_function(&dflip_bench_spin_ops);
	unregister_trace_mm_page_alloc(dflip_bench_page_alloc, NULL);
	unregister_trace_kmem_cache_alloc(dflip_bench_cache_alloc, NULL);
	unregister_trace_kmalloc(dflip_bench_kmalloc, NULL);
	unregister_trace_i915_reg_rw(dflip_bench_reg_rw, NULL);
	tracepoint_synchronize_unregister();
}

/**
 * struct dflip_bench - one benchmark's host and vGPUs
 * @test: the test
 * @fh: the fake host
 * @iter: the iteration about to run
 * @run: one iteration of the path under test, counted and timed
 * @hw: the hardware plane each vGPU's primary is assigned to
 * @vp: each vGPU's primary plane in the state machine
 * @direct: the path is the direct one: every flip must be written to the
 *	hardware at once (not queued) and latched by the iteration's vblank
 * @req: user memory of the benchmark task: QEMU's two plane queries
 *	(primary, cursor), their requests filled in once
 */
struct dflip_bench {
	struct kunit *test;
	struct dflip_skl_host *fh;
	unsigned int iter;
	void (*run)(struct dflip_bench *b);
	struct intel_plane *hw[DFLIP_SKL_MAX_VGPUS];
	struct dflip_vplane *vp[DFLIP_SKL_MAX_VGPUS];
	bool direct;
	struct vfio_device_gfx_plane_info __user *req;
};

static void dflip_bench_report(struct dflip_bench *b, const char *path,
			       const char *metric, u64 val)
{
	kunit_info(b->test, "dflip_bench: %s %s %llu\n", path, metric, val);
}

/* a stat of the vGPUs' primaries, summed: @pick selects it */
static u64 dflip_bench_stat(struct dflip_bench *b,
			    u64 (*pick)(const struct dflip_plane_stats *st))
{
	struct dflip_plane_stats st;
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < b->fh->num_vgpus; i++) {
		if (!b->vp[i])
			continue;
		dflip_plane_get_stats(b->vp[i], &st);
		sum += pick(&st);
	}
	return sum;
}

static u64 dflip_bench_queued(const struct dflip_plane_stats *st)
{
	return st->flips_queued;
}

static u64 dflip_bench_applied(const struct dflip_plane_stats *st)
{
	return st->flips_applied;
}

static u64 dflip_bench_surface_only(const struct dflip_plane_stats *st)
{
	return st->flips_surface_only;
}

/* count the vblank workers' work too: direct flip's vblank work runs there */
static void dflip_bench_watch_workers(struct dflip_bench *b, bool on)
{
	struct kthread_worker *worker;
	unsigned int pipe;

	for (pipe = 0; pipe < DFLIP_SKL_PIPES; pipe++) {
		worker = drm_crtc_vblank_crtc(&b->fh->crtcs[pipe]->base)->worker;
		WRITE_ONCE(dflip_bench_workers[pipe],
			   on && worker ? worker->task : NULL);
	}
}

/* counts of @n iterations of @path */
static void dflip_bench_count(struct dflip_bench *b, const char *path,
			      unsigned int n)
{
	struct dflip_bench_counts *c = &dflip_bench_counts;
	u64 queued = dflip_bench_stat(b, dflip_bench_queued);
	u64 applied = dflip_bench_stat(b, dflip_bench_applied);
	u64 fast = dflip_bench_stat(b, dflip_bench_surface_only);
	unsigned int i;

	memset(c, 0, sizeof(*c));
	dflip_bench_probes(b->test, true);
	dflip_bench_watch_workers(b, true);
	for (i = 0; i < n; i++) {
		WRITE_ONCE(dflip_bench_task, current);
		b->run(b);
		WRITE_ONCE(dflip_bench_task, NULL);
		b->iter++;
	}
	dflip_bench_watch_workers(b, false);
	dflip_bench_probes(b->test, false);
	dflip_bench_report(b, path, "iterations_counted", n);
	dflip_bench_report(b, path, "reg_writes", c->reg_writes);
	dflip_bench_report(b, path, "reg_reads", c->reg_reads);
	dflip_bench_report(b, path, "allocs", c->allocs);
	dflip_bench_report(b, path, "spinlocks", c->spinlocks);
	dflip_bench_report(b, path, "mutexes", c->mutexes);
	if (b->direct) {
		queued = dflip_bench_stat(b, dflip_bench_queued) - queued;
		applied = dflip_bench_stat(b, dflip_bench_applied) - applied;
		fast = dflip_bench_stat(b, dflip_bench_surface_only) - fast;
		dflip_bench_report(b, path, "flips_queued", queued);
		dflip_bench_report(b, path, "flips_applied", applied);
		dflip_bench_report(b, path, "flips_surface_only", fast);
		KUNIT_EXPECT_EQ_MSG(b->test, fast, n,
				    "%s: flips not on the surface-only path",
				    path);
		KUNIT_EXPECT_EQ_MSG(b->test, queued, 0,
				    "%s: flips queued, not written at once", path);
		KUNIT_EXPECT_EQ_MSG(b->test, applied, n,
				    "%s: flips not written to the hardware", path);
		/*
		 * Per flip: PLANE_SURF written in the trap, PLANE_SURFLIVE
		 * read by the vblank work; nothing read in the trap, nothing
		 * allocated. The probes count from every context, so these
		 * also show that they fired.
		 */
		KUNIT_EXPECT_EQ_MSG(b->test, c->reg_writes, n,
				    "%s: not one register write per flip", path);
		KUNIT_EXPECT_EQ_MSG(b->test, c->reg_reads, n,
				    "%s: not one register read per flip", path);
		KUNIT_EXPECT_EQ_MSG(b->test, c->allocs, 0,
				    "%s: allocations on the flip path", path);
	}
}

static int dflip_bench_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void dflip_bench_nothing(struct dflip_bench *b)
{
}

/* ns of each of DFLIP_BENCH_BATCHES batches of @run, sorted */
static u64 *dflip_bench_batches(struct dflip_bench *b,
				void (*run)(struct dflip_bench *b))
{
	void (*saved)(struct dflip_bench *b) = b->run;
	u64 *ns, t0;
	unsigned int i, k;

	ns = vmalloc_array(DFLIP_BENCH_BATCHES, sizeof(*ns));
	KUNIT_ASSERT_NOT_NULL(b->test, ns);
	b->run = run;
	for (i = 0; i < DFLIP_BENCH_BATCHES; i++) {
		t0 = ktime_get_ns();
		for (k = 0; k < DFLIP_BENCH_BATCH; k++) {
			b->run(b);
			b->iter++;
		}
		ns[i] = ktime_get_ns() - t0;
		cond_resched();
	}
	b->run = saved;
	sort(ns, DFLIP_BENCH_BATCHES, sizeof(*ns), dflip_bench_cmp, NULL);
	return ns;
}

/*
 * Time @path: batches of its iterations, each less the median batch of an
 * empty iteration (the loop, the indirect call and the clock), per
 * iteration.
 */
static void dflip_bench_time(struct dflip_bench *b, const char *path)
{
	const unsigned int n = DFLIP_BENCH_BATCHES;
	u64 *base, *ns, zero, sum = 0;
	unsigned int i;

	for (i = 0; i < DFLIP_BENCH_WARMUP; i++) {
		b->run(b);
		b->iter++;
	}
	base = dflip_bench_batches(b, dflip_bench_nothing);
	zero = base[n / 2];
	vfree(base);
	ns = dflip_bench_batches(b, b->run);
	for (i = 0; i < n; i++) {
		ns[i] = div_u64(ns[i] > zero ? ns[i] - zero : 0,
				DFLIP_BENCH_BATCH);
		sum += ns[i];
	}
	dflip_bench_report(b, path, "iterations_timed", n * DFLIP_BENCH_BATCH);
	dflip_bench_report(b, path, "batch", DFLIP_BENCH_BATCH);
	dflip_bench_report(b, path, "baseline_ns", div_u64(zero, DFLIP_BENCH_BATCH));
	dflip_bench_report(b, path, "min_ns", ns[0]);
	dflip_bench_report(b, path, "median_ns", ns[n / 2]);
	dflip_bench_report(b, path, "p99_ns", ns[n * 99 / 100]);
	dflip_bench_report(b, path, "mean_ns", div_u64(sum, n));
	for (i = 1; i < 20; i++)
		kunit_info(b->test, "dflip_bench: %s quantile_%02u_ns %llu\n",
			   path, i * 5, ns[n * i / 20]);
	vfree(ns);
}

/* the guest's two surfaces of frame @frame: double buffering */
static u64 dflip_bench_surf(struct intel_vgpu *vgpu, unsigned int frame)
{
	return vgpu->gm.low_gm_node.start + (frame & 1) * SZ_16M;
}

/* each vGPU flips once per round of the iterations */
static unsigned int dflip_bench_frame(const struct dflip_bench *b,
				      unsigned int iter)
{
	return iter / b->fh->num_vgpus;
}

/* the guest writes its primary's PLANE_SURF: GVT's MMIO emulation */
static void dflip_bench_guest_write(struct dflip_bench *b,
				    struct intel_vgpu *vgpu)
{
	u32 surf = dflip_bench_surf(vgpu, dflip_bench_frame(b, b->iter));
	int ret;

	ret = dflip_skl_mmio_write(vgpu, i915_mmio_reg_offset(PLANE_SURF(PIPE_A,
									 PLANE_1)),
				   surf);
	if (ret)
		KUNIT_FAIL(b->test, "guest write %u: %d", b->iter, ret);
}

/*
 * Direct path: the guest's primary plane of pipe A on a hardware plane.
 * After the compositor's commit, the first guest flip makes GVT take the
 * assignment; a flip written to hardware is latched by the next vblank.
 */
static void dflip_bench_assign(struct dflip_bench *b, struct intel_vgpu *vgpu,
			       struct intel_plane *plane)
{
	struct kunit *test = b->test;
	struct drm_framebuffer *fb;
	struct dflip_vplane *vp;

	dflip_skl_guest_program(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY,
				DFLIP_BENCH_WIDTH, DFLIP_BENCH_HEIGHT,
				dflip_bench_surf(vgpu, 0));
	dflip_skl_guest_flip(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY,
			     dflip_bench_surf(vgpu, 0));
	fb = dflip_skl_vgpu_fb(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_ASSERT_EQ(test, dflip_skl_commit(test, b->fh, plane, fb), 0);
	b->hw[b->fh->num_vgpus - 1] = plane;
	dflip_skl_guest_flip(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY,
			     dflip_bench_surf(vgpu, 1));
	/* the assignment's frame and a queued one latch: nothing pending */
	dflip_skl_vblank(b->fh, plane->pipe);
	dflip_skl_vblank(b->fh, plane->pipe);
	dflip_skl_vblank(b->fh, plane->pipe);
	mutex_lock(&vgpu->vgpu_lock);
	vp = dflip_vgpu_plane(dflip_host_core(vgpu), PIPE_A,
			      DFLIP_PLANE_PRIMARY);
	mutex_unlock(&vgpu->vgpu_lock);
	KUNIT_ASSERT_NOT_NULL(test, vp->hw);
	KUNIT_ASSERT_NE(test, DFLIP_VPLANE_ARMED, vp->state);
	KUNIT_ASSERT_FALSE(test, vp->queued);
	b->vp[b->fh->num_vgpus - 1] = vp;
}

/*
 * One guest frame on the direct path: the guest's write, flipped onto the
 * hardware plane by its handler; the hardware latches it (its frame
 * counter moves) and direct flip's vblank work runs its body, inline
 * (retire, flip-done). DRM's own vblank interrupt handling and the wakeup
 * of the CRTC's vblank worker are not run: their time would be the
 * scheduler's under TCG, not the code's.
 */
static void dflip_bench_direct_run(struct dflip_bench *b)
{
	unsigned int n = b->iter % b->fh->num_vgpus;
	struct intel_vgpu *vgpu = b->fh->vgpus[n];

	dflip_bench_guest_write(b, vgpu);
	dflip_skl_latch(b->fh, b->hw[n]->pipe);
	dflip_plane_vblank(b->vp[n]);
	if (b->vp[n]->state == DFLIP_VPLANE_ARMED || b->vp[n]->queued)
		KUNIT_FAIL(b->test, "flip %u of vGPU %u not latched", b->iter,
			   n);
}

/* vGPU @n's last flip is on its hardware plane */
static void dflip_bench_hw_check_vgpu(struct dflip_bench *b, unsigned int n)
{
	unsigned int last = b->iter - 1;

	/* the last iteration of vGPU n */
	last -= (last % b->fh->num_vgpus + b->fh->num_vgpus - n) %
		b->fh->num_vgpus;
	KUNIT_EXPECT_EQ(b->test, dflip_skl_hw_surf(b->fh, b->hw[n]),
			(u32)dflip_bench_surf(b->fh->vgpus[n],
					      dflip_bench_frame(b, last)));
}

static void dflip_bench_setup(struct kunit *test, struct dflip_bench *b)
{
	memset(b, 0, sizeof(*b));
	b->test = test;
	b->fh = dflip_skl_host_create(test);
	dflip_skl_gvt_mmio_setup(test, b->fh);
}

/* the guest's plane update as i915 programs it: one SKL plane commit */
static void dflip_bench_plane_update_run(struct dflip_bench *b)
{
	struct intel_vgpu *vgpu = b->fh->vgpus[0];
	struct drm_framebuffer *fb;

	fb = dflip_skl_vgpu_fb(vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_EQ(b->test, dflip_skl_commit(b->test, b->fh, b->hw[0],
						  fb), 0);
}

static void dflip_bench_gtt_clean(void *data)
{
	intel_gvt_clean_gtt(data);
}

static void dflip_bench_ggtt_free(void *data)
{
	struct intel_vgpu *vgpu = data;

	vfree(vgpu->gtt.ggtt_mm->ggtt_mm.virtual_ggtt);
	vgpu->gtt.ggtt_mm = NULL;
}

static void dflip_bench_dmabuf_free(void *data)
{
	intel_vgpu_dmabuf_cleanup(data);
}

/* QEMU's two requests in user memory, as it fills them once */
static void dflip_bench_dmabuf_requests(struct dflip_bench *b)
{
	struct vfio_device_gfx_plane_info req[2] = {
		{ .argsz = sizeof(req[0]), .flags = VFIO_GFX_PLANE_TYPE_DMABUF,
		  .drm_plane_type = DRM_PLANE_TYPE_PRIMARY },
		{ .argsz = sizeof(req[1]), .flags = VFIO_GFX_PLANE_TYPE_DMABUF,
		  .drm_plane_type = DRM_PLANE_TYPE_CURSOR },
	};
	unsigned long uaddr;

	uaddr = kunit_vm_mmap(b->test, NULL, 0, PAGE_SIZE,
			      PROT_READ | PROT_WRITE,
			      MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(b->test, uaddr, 0, "no user memory for the test");
	b->req = (struct vfio_device_gfx_plane_info __user *)uaddr;
	KUNIT_ASSERT_EQ(b->test, copy_to_user(b->req, req, sizeof(req)), 0);
}

/*
 * What GVT's plane decoder needs for the dma-buf path: GVT's GTT ops and
 * the vGPU's guest GGTT, its aperture mapped to guest pages; the guest's
 * cursor enabled; QEMU's requests in user memory.
 */
static void dflip_bench_dmabuf_setup(struct dflip_bench *b,
				     struct intel_vgpu *vgpu)
{
	struct kunit *test = b->test;
	struct intel_vgpu_mm *mm;
	unsigned long first, last, i;
	u64 *ptes;
	int ret;

	KUNIT_ASSERT_EQ(test, intel_gvt_init_gtt(b->fh->gvt), 0);
	ret = kunit_add_action_or_reset(test, dflip_bench_gtt_clean,
					b->fh->gvt);
	KUNIT_ASSERT_EQ(test, ret, 0);

	first = vgpu->gm.low_gm_node.start >> I915_GTT_PAGE_SHIFT;
	last = (vgpu->gm.high_gm_node.start + vgpu->gm.hidden_sz) >>
	       I915_GTT_PAGE_SHIFT;
	mm = kunit_kzalloc(test, sizeof(*mm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mm);
	mm->type = INTEL_GVT_MM_GGTT;
	mm->vgpu = vgpu;
	ptes = vzalloc(array_size(last, sizeof(*ptes)));
	KUNIT_ASSERT_NOT_NULL(test, ptes);
	mm->ggtt_mm.virtual_ggtt = ptes;
	vgpu->gtt.ggtt_mm = mm;
	ret = kunit_add_action_or_reset(test, dflip_bench_ggtt_free, vgpu);
	KUNIT_ASSERT_EQ(test, ret, 0);
	/* guest page frame n + 0x100000 behind aperture page n, present */
	for (i = first; i < first + (vgpu->gm.aperture_sz >> PAGE_SHIFT); i++)
		ptes[i] = ((i - first + 0x100000ull) << PAGE_SHIFT) | 1;

	ret = kunit_add_action_or_reset(test, dflip_bench_dmabuf_free, vgpu);
	KUNIT_ASSERT_EQ(test, ret, 0);

	dflip_skl_guest_program(vgpu, PIPE_A, DFLIP_PLANE_CURSOR, 64, 64,
				vgpu->gm.low_gm_node.start + SZ_32M + SZ_16M);
	dflip_bench_dmabuf_requests(b);
}

/*
 * VFIO_DEVICE_QUERY_GFX_PLANE as kvmgt's ioctl handler runs it; @id
 * returns the dma-buf the reply names.
 */
static int dflip_bench_query(struct intel_vgpu *vgpu,
			     struct vfio_device_gfx_plane_info __user *arg,
			     u32 *id)
{
	unsigned long minsz = offsetofend(struct vfio_device_gfx_plane_info,
					  dmabuf_id);
	struct vfio_device_gfx_plane_info info = {};
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	ret = intel_vgpu_query_plane(vgpu, &info);
	if (ret)
		return ret;
	*id = info.dmabuf_id;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* exactly DFLIP_BENCH_CALIBRATION_INSNS instructions in the loop */
static void dflip_bench_calibration_run(struct dflip_bench *b)
{
	unsigned long n = DFLIP_BENCH_CALIBRATION_LOOPS;

	asm volatile("1:\n\tdec %0\n\tjnz 1b" : "+r" (n) : : "cc");
}

/* the guest's write alone, the plane not assigned: what both paths share */
static void dflip_bench_guest_write_run(struct dflip_bench *b)
{
	dflip_bench_guest_write(b, b->fh->vgpus[0]);
}

/*
 * One guest frame on the dma-buf path: the guest's write, emulated by GVT
 * (the plane is not assigned), then QEMU's refresh: the primary's and the
 * cursor's queries.
 */
static void dflip_bench_dmabuf_run(struct dflip_bench *b)
{
	struct intel_vgpu *vgpu = b->fh->vgpus[0];
	u32 id;
	int ret;

	dflip_bench_guest_write(b, vgpu);
	ret = dflip_bench_query(vgpu, &b->req[0], &id);
	if (ret || !id)
		KUNIT_FAIL(b->test, "primary query %u: %d", b->iter, ret);
	ret = dflip_bench_query(vgpu, &b->req[1], &id);
	if (ret || !id)
		KUNIT_FAIL(b->test, "cursor query %u: %d", b->iter, ret);
}

/*
 * Both paths on the same vGPU: its primary on a hardware plane (direct),
 * then taken off and the same guest frames queried as QEMU does
 * (dma-buf).
 */
static void dflip_bench_paths(struct kunit *test)
{
	struct intel_plane *plane;
	struct intel_vgpu *vgpu;
	struct dflip_bench b;

	dflip_bench_setup(test, &b);
	vgpu = dflip_skl_vgpu_create(test, b.fh);
	plane = b.fh->planes[PIPE_A][0];
	dflip_bench_assign(&b, vgpu, plane);

	/*
	 * The direct path first, before the commits below add KUnit
	 * resources: any KUnit static stub on the path would walk them.
	 */
	b.iter = 0;
	b.run = dflip_bench_direct_run;
	b.direct = true;
	dflip_bench_count(&b, "direct", DFLIP_BENCH_COUNTED);
	dflip_bench_time(&b, "direct");
	dflip_bench_hw_check_vgpu(&b, 0);
	b.direct = false;

	b.run = dflip_bench_plane_update_run;
	dflip_bench_count(&b, "guest_plane_update", 100);

	dflip_skl_disable(test, b.fh, plane);
	KUNIT_ASSERT_TRUE(test, dflip_skl_unassigned(vgpu, PIPE_A,
						     DFLIP_PLANE_PRIMARY));
	dflip_bench_dmabuf_setup(&b, vgpu);
	b.iter = 0;
	b.direct = false;
	b.run = dflip_bench_guest_write_run;
	dflip_bench_time(&b, "guest_write");
	/* the same write with the trap hook patched out: GVT's handler alone */
	static_branch_disable(&dflip_host_trap_key);
	dflip_bench_time(&b, "guest_write_bypassed");
	static_branch_enable(&dflip_host_trap_key);
	b.run = dflip_bench_calibration_run;
	dflip_bench_time(&b, "calibration");
	dflip_bench_report(&b, "calibration", "instructions",
			   DFLIP_BENCH_CALIBRATION_INSNS);
	b.iter = 0;
	b.run = dflip_bench_dmabuf_run;
	/* the first two frames: a dma-buf object per surface, the cursor's */
	dflip_bench_count(&b, "dmabuf_new", 2);
	dflip_bench_count(&b, "dmabuf", DFLIP_BENCH_COUNTED);
	dflip_bench_time(&b, "dmabuf");
}

/* every plane of every pipe of a vGPU enabled: nine framebuffers */
static void dflip_bench_enable_all(struct intel_vgpu *vgpu)
{
	enum dflip_plane_kind kind;
	unsigned int pipe;
	u64 surf = vgpu->gm.high_gm_node.start;

	for (pipe = 0; pipe < DFLIP_MAX_PIPES; pipe++)
		for (kind = 0; kind < DFLIP_PLANE_KINDS; kind++) {
			if (pipe == PIPE_A && kind == DFLIP_PLANE_PRIMARY)
				continue;
			dflip_skl_guest_program(vgpu, pipe, kind, 1280, 720,
						surf);
			dflip_skl_guest_flip(vgpu, pipe, kind, surf);
			surf += SZ_8M;
		}
}

static void dflip_bench_scaling(struct kunit *test, unsigned int vgpus)
{
	unsigned int n = 0, pipe, i;
	struct intel_plane *plane;
	struct intel_vgpu *vgpu;
	struct dflip_bench b;
	char path[16];

	dflip_bench_setup(test, &b);
	for (i = 0; i < vgpus; i++) {
		vgpu = dflip_skl_vgpu_create(test, b.fh);
		dflip_bench_enable_all(vgpu);
		/* the next universal plane: pipe A's, then B's, then C's */
		do {
			pipe = n / DFLIP_SKL_PLANES;
			plane = b.fh->planes[pipe][n % DFLIP_SKL_PLANES];
			n++;
		} while (!plane);
		dflip_bench_assign(&b, vgpu, plane);
	}
	KUNIT_EXPECT_EQ(test, b.fh->i915->drm.mode_config.num_fb,
			vgpus * DFLIP_NUM_PLANES);
	snprintf(path, sizeof(path), "direct_x%u", vgpus);
	dflip_bench_report(&b, path, "framebuffers",
			   b.fh->i915->drm.mode_config.num_fb);
	b.iter = 0;
	b.run = dflip_bench_direct_run;
	b.direct = true;
	dflip_bench_count(&b, path, DFLIP_BENCH_COUNTED);
	dflip_bench_time(&b, path);
	for (i = 0; i < vgpus; i++)
		dflip_bench_hw_check_vgpu(&b, i);
}

/* one vGPU with all nine planes enabled, its primary on hardware */
static void dflip_bench_scaling_1(struct kunit *test)
{
	dflip_bench_scaling(test, 1);
}

/* eight such vGPUs (72 framebuffers), flipping round robin */
static void dflip_bench_scaling_8(struct kunit *test)
{
	dflip_bench_scaling(test, DFLIP_SKL_MAX_VGPUS);
}

static struct kunit_case dflip_bench_cases[] = {
	KUNIT_CASE_SLOW(dflip_bench_paths),
	KUNIT_CASE_SLOW(dflip_bench_scaling_1),
	KUNIT_CASE_SLOW(dflip_bench_scaling_8),
	{}
};

static struct kunit_suite dflip_bench_suite = {
	.name = "dflip_bench",
	.suite_init = dflip_bench_suite_init,
	.suite_exit = dflip_bench_suite_exit,
	.test_cases = dflip_bench_cases,
};

kunit_test_suite(dflip_bench_suite);
