// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * A fake Skylake GT2 device for display KUnit tests: a PCI device that is
 * never probed (0x1912), i915's device info and the real Skylake display
 * info from intel_display_device_probe() (register offsets, pipes,
 * planes), and i915's uncore registers in RAM. Plane code programs the RAM
 * as it would the hardware; tests read it back.
 */

#include <kunit/test.h>

#include <linux/dma-mapping.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>

#include <drm/drm_auth.h>
#include <drm/drm_drv.h>
#include <drm/drm_kunit_helpers.h>

#include "i915_drv.h"
#include "intel_fake_skl.h"

/* The part of i915_pci.c's skl_gt2_info the display code reads. */
static const struct intel_device_info intel_fake_skl_info = {
	.platform = INTEL_SKYLAKE,
	.gt = 2,
	.dma_mask_size = 39,
	.__runtime.graphics.ip.ver = 9,
	.__runtime.media.ip.ver = 9,
};

static void intel_fake_skl_release_pdev(struct device *dev)
{
	kfree(to_pci_dev(dev));
}

static void intel_fake_skl_put_pdev(void *data)
{
	struct pci_dev *pdev = data;

	put_device(&pdev->dev);
}

static void intel_fake_skl_release_devres(void *data)
{
	struct pci_dev *pdev = data;

	devres_release_group(&pdev->dev, NULL);
}

static void intel_fake_skl_display_remove(void *data)
{
	intel_display_device_remove(data);
}

static void intel_fake_skl_free_regs(void *data)
{
	struct drm_i915_private *i915 = data;

	vfree((__force void *)i915->uncore.regs);
	i915->uncore.regs = NULL;
}

static struct pci_dev *intel_fake_skl_pdev(struct kunit *test)
{
	struct pci_dev *pdev;
	int ret;

	pdev = kzalloc(sizeof(*pdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	device_initialize(&pdev->dev);
	pdev->dev.release = intel_fake_skl_release_pdev;
	ret = kunit_add_action_or_reset(test, intel_fake_skl_put_pdev, pdev);
	KUNIT_ASSERT_EQ(test, ret, 0);
	dev_set_name(&pdev->dev, "intel-fake-skl");
	pdev->vendor = PCI_VENDOR_ID_INTEL;
	pdev->device = 0x1912;
	pdev->class = PCI_BASE_CLASS_DISPLAY << 16;
	KUNIT_ASSERT_EQ(test, dma_coerce_mask_and_coherent(&pdev->dev,
							   DMA_BIT_MASK(39)), 0);
	KUNIT_ASSERT_NOT_NULL(test, devres_open_group(&pdev->dev, NULL,
						      GFP_KERNEL));
	ret = kunit_add_action_or_reset(test, intel_fake_skl_release_devres,
					pdev);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return pdev;
}

/**
 * intel_fake_skl_create - make a fake Skylake GT2 device
 * @test: the test; the device is released when it ends
 * @driver: the DRM driver of the device (its features)
 *
 * The device has mode setting initialized (8192x8192 at most), no planes
 * or CRTCs yet, and 4 MiB of zeroed RAM as its registers.
 *
 * Return: the device; assertions end the test on failure.
 */
struct drm_i915_private *intel_fake_skl_create(struct kunit *test,
					       const struct drm_driver *driver)
{
	struct drm_i915_private *i915;
	struct drm_device *drm;
	struct pci_dev *pdev;
	void *regs;
	int ret;

	pdev = intel_fake_skl_pdev(test);
	drm = __drm_kunit_helper_alloc_drm_device_with_driver(test, &pdev->dev,
							      sizeof(*i915),
							      offsetof(struct drm_i915_private,
								       drm),
							      driver);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, drm);
	i915 = to_i915(drm);
	drm->mode_config.max_width = 8192;
	drm->mode_config.max_height = 8192;
	intel_device_info_driver_create(i915, pdev->device,
					&intel_fake_skl_info);
	intel_device_info_runtime_init_early(i915);
	KUNIT_ASSERT_TRUE(test, IS_SKYLAKE(i915));

	intel_display_device_probe(i915);
	ret = kunit_add_action_or_reset(test, intel_fake_skl_display_remove,
					i915);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, DISPLAY_VER(i915), 9);
	KUNIT_ASSERT_TRUE(test, HAS_DISPLAY(i915));

	regs = vzalloc(SZ_4M);
	KUNIT_ASSERT_NOT_NULL(test, regs);
	i915->uncore.i915 = i915;
	i915->uncore.regs = (__force void __iomem *)regs;
	ret = kunit_add_action_or_reset(test, intel_fake_skl_free_regs, i915);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return i915;
}

static void intel_fake_master_put(void *data)
{
	struct drm_master *master = data;

	drm_master_put(&master);
}

/**
 * intel_fake_master - a DRM master of a fake device, as a file gets one
 * @test: the test; it holds the master's first reference until it ends
 * @drm: the device
 *
 * The master drm_master_create() makes for a file that becomes master;
 * no file holds it: the test points a file's &drm_file.master at it.
 *
 * Return: the master.
 */
struct drm_master *intel_fake_master(struct kunit *test,
				     struct drm_device *drm)
{
	struct drm_master *master = drm_master_create(drm);

	KUNIT_ASSERT_NOT_NULL(test, master);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							intel_fake_master_put,
							master), 0);
	return master;
}

static void intel_fake_drop_master(void *data)
{
	struct drm_device *drm = data;

	mutex_lock(&drm->master_mutex);
	if (drm->master)
		drm_master_put(&drm->master);
	mutex_unlock(&drm->master_mutex);
}

/**
 * intel_fake_set_master - make a master the device's current one
 * @test: the test; the device has no master again when it ends
 * @drm: the device
 * @master: the new current master, NULL for none (a VT switch away)
 *
 * What SET_MASTER/DROP_MASTER do to &drm_device.master.
 */
void intel_fake_set_master(struct kunit *test, struct drm_device *drm,
			   struct drm_master *master)
{
	intel_fake_drop_master(drm);
	if (!master)
		return;
	mutex_lock(&drm->master_mutex);
	drm->master = drm_master_get(master);
	mutex_unlock(&drm->master_mutex);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							intel_fake_drop_master,
							drm), 0);
}

/* what a lease's objects map to in &drm_master.leases (any non-NULL) */
static int intel_fake_lease_object;

/**
 * intel_fake_lease - a lessee of a master, as DRM_IOCTL_MODE_CREATE_LEASE
 *	makes one
 * @test: the test; it holds the lessee's first reference until it ends
 * @lessor: the lessor, a master without a lessor
 * @object_id: the one KMS object id the lease holds
 *
 * As drm_lease.c's drm_lease_create(): the lessee gets the lessor's next
 * free lessee id (from 1), a reference to its lessor and its place in the
 * lessor's list; drm_master_put() of its last reference undoes it.
 *
 * Return: the lessee's master, its &drm_master.lessee_id set.
 */
struct drm_master *intel_fake_lease(struct kunit *test,
				    struct drm_master *lessor, u32 object_id)
{
	struct drm_device *drm = lessor->dev;
	struct drm_master *lessee = intel_fake_master(test, drm);
	int id, ret;

	mutex_lock(&drm->mode_config.idr_mutex);
	ret = idr_alloc(&lessee->leases, &intel_fake_lease_object, object_id,
			object_id + 1, GFP_KERNEL);
	id = idr_alloc(&lessor->lessee_idr, lessee, 1, 0, GFP_KERNEL);
	if (id > 0) {
		lessee->lessee_id = id;
		lessee->lessor = drm_master_get(lessor);
		list_add_tail(&lessee->lessee_list, &lessor->lessees);
	}
	mutex_unlock(&drm->mode_config.idr_mutex);
	KUNIT_ASSERT_EQ(test, ret, (int)object_id);
	KUNIT_ASSERT_GT(test, id, 0);
	return lessee;
}

/**
 * intel_fake_revoke - revoke a lease, as DRM_IOCTL_MODE_REVOKE_LEASE does
 * @lessee: a lessee from intel_fake_lease()
 *
 * Empties the lessee's lease; the lessee and its id stay while referenced.
 */
void intel_fake_revoke(struct drm_master *lessee)
{
	struct drm_device *drm = lessee->dev;
	void *entry;
	int object;

	mutex_lock(&drm->mode_config.idr_mutex);
	idr_for_each_entry(&lessee->leases, entry, object)
		idr_remove(&lessee->leases, object);
	mutex_unlock(&drm->mode_config.idr_mutex);
}
