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
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>

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
