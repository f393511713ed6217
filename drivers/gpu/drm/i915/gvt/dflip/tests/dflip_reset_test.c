// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * KUnit test of a vGPU reset under a live hardware plane: a guest reboot
 * runs intel_gvt_reset_vgpu_locked(), which points every GGTT entry of the
 * vGPU at GVT's scratch page (intel_vgpu_reset_ggtt()) while the plane a
 * compositor assigned keeps scanning the guest's surface through those
 * entries. The vGPU's GGTT is GVT's real one (intel_gvt_init_gtt(),
 * intel_vgpu_init_gtt()) on the fake Skylake host, its host page table in
 * RAM; the GGTT flush register models the GGTT's write buffer: a host
 * entry write clears it, GVT's GGTT invalidation sets it.
 */

#include <kunit/test.h>
#include <kunit/test-bug.h>

#include <linux/io.h>
#include <linux/pm_runtime.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>

#include "i915_drv.h"
#include "gt/intel_gt_regs.h"
#include "gvt/gvt.h"

#include "../dflip_host.h"
#include "dflip_skl_host.h"

#define RESET_W		1920
#define RESET_H		1080
/* the guest's pages: GGTT entry n maps page RESET_PFN + n */
#define RESET_PFN	0x1000000ul

/**
 * struct reset_test - a live plane over a vGPU with a GGTT
 * @fh: the fake host
 * @vgpu: the vGPU
 * @plane: pipe A's primary hardware plane, showing the vGPU's primary
 * @real: GVT's GGTT entry operations
 * @ops: @real, watched by reset_get_pfn() and reset_set_entry()
 * @scratch: a host entry pointing at GVT's scratch page
 * @live_first: first GGTT index the plane's surface reads
 * @live_last: last one
 * @unmapped: old guest pages GVT unmapped
 * @unmapped_live: of them, pages the plane was scanning
 * @unmapped_early: of them, pages unmapped while their entry could still be
 *	used: the entry not yet replaced, or replaced but not yet invalidated
 */
struct reset_test {
	struct dflip_skl_host *fh;
	struct intel_vgpu *vgpu;
	struct intel_plane *plane;
	const struct intel_gvt_gtt_pte_ops *real;
	struct intel_gvt_gtt_pte_ops ops;
	u64 scratch;
	unsigned long live_first;
	unsigned long live_last;
	unsigned int unmapped;
	unsigned int unmapped_live;
	unsigned int unmapped_early;
};

static void __iomem *reset_flush_reg(struct reset_test *t)
{
	return t->fh->i915->uncore.regs +
	       i915_mmio_reg_offset(GFX_FLSH_CNTL_GEN6);
}

static u64 reset_host_entry(struct reset_test *t, unsigned long index)
{
	return readq((u64 __iomem *)t->fh->gvt->gt->ggtt->gsm + index);
}

/* ggtt_invalidate_pte() asks for the page of an entry it unmaps */
static unsigned long reset_get_pfn(struct intel_gvt_gtt_entry *e)
{
	struct reset_test *t = kunit_get_current_test()->priv;
	unsigned long pfn = t->real->get_pfn(e);
	unsigned long index = pfn - RESET_PFN;

	if (pfn < RESET_PFN)
		return pfn;
	t->unmapped++;
	if (index >= t->live_first && index <= t->live_last)
		t->unmapped_live++;
	if (reset_host_entry(t, index) != t->scratch ||
	    readl(reset_flush_reg(t)) != GFX_FLSH_CNTL_EN)
		t->unmapped_early++;
	return pfn;
}

/* a host GGTT write is buffered until the next GGTT invalidation */
static int reset_set_entry(void *pt, struct intel_gvt_gtt_entry *e,
			   unsigned long index, bool hypervisor_access,
			   unsigned long gpa, struct intel_vgpu *vgpu)
{
	struct reset_test *t = kunit_get_current_test()->priv;

	if (!pt && !hypervisor_access)
		writel(0, reset_flush_reg(t));
	return t->real->set_entry(pt, e, index, hypervisor_access, gpa, vgpu);
}

static void reset_mmio_writel(struct intel_uncore *uncore, i915_reg_t reg,
			      u32 val, bool trace)
{
	__raw_uncore_write32(uncore, reg, val);
}

static void reset_runtime_pm_off(void *data)
{
	struct device *dev = data;

	pm_runtime_disable(dev);
	pm_runtime_put_noidle(dev);
	pm_runtime_set_suspended(dev);
}

static void reset_clean_gtt(void *data)
{
	intel_gvt_clean_gtt(data);
}

static void reset_clean_vgpu_gtt(void *data)
{
	intel_vgpu_clean_gtt(data);
}

static void reset_vfree(void *data)
{
	vfree(data);
}

/*
 * What intel_gvt_init_device() sets up for GVT's GTT: the device awake for
 * GGTT invalidations (runtime PM held), the host page table, GVT's scratch
 * page and entry operations.
 */
static void reset_gvt_gtt(struct kunit *test, struct dflip_skl_host *fh)
{
	struct drm_i915_private *i915 = fh->i915;
	struct device *dev = i915->drm.dev;
	struct intel_gt *gt = fh->gvt->gt;
	void *gsm;

	intel_runtime_pm_init_early(&i915->runtime_pm);
	i915->uncore.rpm = &i915->runtime_pm;
	i915->uncore.funcs.mmio_writel = reset_mmio_writel;
	gt->uncore = &i915->uncore;
	KUNIT_ASSERT_EQ(test, pm_runtime_set_active(dev), 0);
	pm_runtime_get_noresume(dev);
	pm_runtime_enable(dev);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							reset_runtime_pm_off,
							dev), 0);

	gsm = vzalloc((gt->ggtt->vm.total >> PAGE_SHIFT) * sizeof(u64));
	KUNIT_ASSERT_NOT_NULL(test, gsm);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, reset_vfree,
							gsm), 0);
	gt->ggtt->gsm = (__force void __iomem *)gsm;

	KUNIT_ASSERT_EQ(test, intel_gvt_init_gtt(fh->gvt), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, reset_clean_gtt,
							fh->gvt), 0);
}

/* the guest mapped each of its GGTT entries, as GVT's GGTT write leaves it */
static void reset_guest_maps(struct reset_test *t, u64 *shadow,
			     unsigned long index, unsigned long n)
{
	struct intel_gvt_gtt_entry e = { .type = GTT_TYPE_GGTT_PTE };
	unsigned long i;

	for (i = 0; i < n; i++, index++) {
		t->real->set_pfn(&e, RESET_PFN + index);
		t->real->set_present(&e);
		shadow[i] = e.val64;
		t->real->set_entry(NULL, &e, index, false, 0, t->vgpu);
	}
}

static void reset_vgpu_gtt(struct kunit *test, struct reset_test *t)
{
	struct intel_vgpu *vgpu = t->vgpu;
	struct intel_vgpu_mm *mm;

	KUNIT_ASSERT_EQ(test, intel_vgpu_init_gtt(vgpu), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							reset_clean_vgpu_gtt,
							vgpu), 0);
	mm = vgpu->gtt.ggtt_mm;
	reset_guest_maps(t, mm->ggtt_mm.host_ggtt_aperture,
			 vgpu_aperture_gmadr_base(vgpu) >> PAGE_SHIFT,
			 vgpu_aperture_sz(vgpu) >> PAGE_SHIFT);
	reset_guest_maps(t, mm->ggtt_mm.host_ggtt_hidden,
			 vgpu_hidden_gmadr_base(vgpu) >> PAGE_SHIFT,
			 vgpu_hidden_sz(vgpu) >> PAGE_SHIFT);
}

/* the guest shows its primary; the compositor commits it on pipe A */
static void reset_assign(struct kunit *test, struct reset_test *t)
{
	u64 base = t->vgpu->gm.low_gm_node.start;
	struct drm_framebuffer *fb;

	dflip_skl_guest_program(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, RESET_W,
				RESET_H, base);
	dflip_skl_guest_flip(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, base);
	fb = dflip_skl_vgpu_fb(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_ASSERT_EQ(test, dflip_skl_commit(test, t->fh, t->plane, fb), 0);
	KUNIT_ASSERT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane), (u32)base);
	dflip_skl_guest_flip(t->vgpu, PIPE_A, DFLIP_PLANE_PRIMARY, base);
	dflip_skl_vblank(t->fh, PIPE_A);
	t->live_first = base >> PAGE_SHIFT;
	t->live_last = (base + RESET_W * 4 * RESET_H - 1) >> PAGE_SHIFT;
}

static int reset_test_init(struct kunit *test)
{
	struct intel_gvt_gtt_entry e = { .type = GTT_TYPE_GGTT_PTE };
	struct reset_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	test->priv = t;
	t->fh = dflip_skl_host_create(test);
	dflip_skl_gvt_mmio_setup(test, t->fh);
	reset_gvt_gtt(test, t->fh);
	t->vgpu = dflip_skl_vgpu_create(test, t->fh);
	t->plane = t->fh->planes[PIPE_A][0];
	t->real = t->fh->gvt->gtt.pte_ops;
	t->ops = *t->real;
	t->ops.get_pfn = reset_get_pfn;
	t->ops.set_entry = reset_set_entry;
	t->real->set_pfn(&e, t->fh->gvt->gtt.scratch_mfn);
	t->real->set_present(&e);
	t->scratch = e.val64;
	reset_vgpu_gtt(test, t);
	reset_assign(test, t);
	return 0;
}

/*
 * A guest reboot under a live plane, in the order of
 * intel_gvt_reset_vgpu_locked(): GGTT first, display after. GVT may unmap
 * an old guest page only once no GGTT entry can lead to it any more: its
 * entry points at the scratch page and the GGTT was invalidated since. The
 * plane then scans the scratch page.
 */
static void reset_unmaps_after_entries_replaced(struct kunit *test)
{
	struct reset_test *t = test->priv;
	struct intel_vgpu *vgpu = t->vgpu;
	unsigned long i;

	t->fh->gvt->gtt.pte_ops = &t->ops;
	mutex_lock(&vgpu->vgpu_lock);
	intel_vgpu_reset_ggtt(vgpu, true);
	dflip_host_vgpu_reset(vgpu);
	mutex_unlock(&vgpu->vgpu_lock);
	t->fh->gvt->gtt.pte_ops = t->real;

	KUNIT_EXPECT_EQ(test, t->unmapped,
			(unsigned int)((vgpu_aperture_sz(vgpu) +
					vgpu_hidden_sz(vgpu)) >> PAGE_SHIFT));
	KUNIT_EXPECT_EQ(test, t->unmapped_live,
			(unsigned int)(t->live_last - t->live_first + 1));
	KUNIT_EXPECT_EQ(test, t->unmapped_early, 0u);
	KUNIT_EXPECT_EQ(test, readl(reset_flush_reg(t)), GFX_FLSH_CNTL_EN);
	for (i = t->live_first; i <= t->live_last; i++)
		if (reset_host_entry(t, i) != t->scratch)
			break;
	KUNIT_EXPECT_EQ(test, i, t->live_last + 1);
	KUNIT_EXPECT_EQ(test, dflip_skl_hw_surf(t->fh, t->plane),
			(u32)vgpu->gm.low_gm_node.start);
}

/*
 * The same at vGPU destroy (intel_gvt_destroy_vgpu()): direct flip lets
 * go of the planes first, then the GGTT is reset the same way.
 */
static void reset_destroy_unmaps_after_entries_replaced(struct kunit *test)
{
	struct reset_test *t = test->priv;
	struct intel_vgpu *vgpu = t->vgpu;

	t->fh->gvt->gtt.pte_ops = &t->ops;
	mutex_lock(&vgpu->vgpu_lock);
	dflip_host_vgpu_fini(vgpu);
	intel_vgpu_reset_ggtt(vgpu, true);
	mutex_unlock(&vgpu->vgpu_lock);
	t->fh->gvt->gtt.pte_ops = t->real;

	KUNIT_EXPECT_EQ(test, t->unmapped,
			(unsigned int)((vgpu_aperture_sz(vgpu) +
					vgpu_hidden_sz(vgpu)) >> PAGE_SHIFT));
	KUNIT_EXPECT_EQ(test, t->unmapped_early, 0u);
}

static struct kunit_case reset_cases[] = {
	KUNIT_CASE(reset_unmaps_after_entries_replaced),
	KUNIT_CASE(reset_destroy_unmaps_after_entries_replaced),
	{}
};

static struct kunit_suite reset_suite = {
	.name = "dflip_reset",
	.init = reset_test_init,
	.test_cases = reset_cases,
};

kunit_test_suite(reset_suite);
