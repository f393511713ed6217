// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * KUnit tests of the userspace-facing parsing: sysfs plane numbers and
 * names, and the VFIO_GFX_PLANE_TYPE_DRM_FB query rules.
 */

#include <kunit/test.h>
#include <linux/vfio.h>
#include <drm/drm_plane.h>

#include "../dflip.h"
#include "../dflip_uapi.h"

struct dflip_parse_case {
	const char *name;
	const char *input;
	int ret;
	unsigned int plane;
};

static const struct dflip_parse_case dflip_parse_cases[] = {
	{ "zero", "0", 0, 0 },
	{ "zero with newline", "0\n", 0, 0 },
	{ "last plane", "8\n", 0, 8 },
	{ "pipe b cursor", "5", 0, 5 },
	{ "leading zero", "07", 0, 7 },
	{ "one past the last plane", "9\n", -EINVAL, 0 },
	{ "large number", "4294967295", -EINVAL, 0 },
	{ "overflowing number", "99999999999", -EINVAL, 0 },
	{ "empty", "", -EINVAL, 0 },
	{ "newline only", "\n", -EINVAL, 0 },
	{ "not a number", "abc", -EINVAL, 0 },
	{ "trailing garbage", "3x", -EINVAL, 0 },
	{ "two newlines", "3\n\n", -EINVAL, 0 },
	{ "negative", "-1", -EINVAL, 0 },
	{ "explicit plus", "+1", -EINVAL, 0 },
	{ "leading space", " 1", -EINVAL, 0 },
	{ "hex", "0x1", -EINVAL, 0 },
};

static void dflip_parse_desc(const struct dflip_parse_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_parse, dflip_parse_cases, dflip_parse_desc);

static void dflip_test_plane_number_parse(struct kunit *test)
{
	const struct dflip_parse_case *t = test->param_value;
	unsigned int plane = 0xdead;
	int ret;

	ret = dflip_plane_number_parse(t->input, strlen(t->input), &plane);
	KUNIT_EXPECT_EQ(test, ret, t->ret);
	if (t->ret)
		KUNIT_EXPECT_EQ(test, plane, 0xdead);	/* left untouched */
	else
		KUNIT_EXPECT_EQ(test, plane, t->plane);
}

static void dflip_test_parse_honours_count(struct kunit *test)
{
	unsigned int plane = 0xdead;

	/* "12" cut to one character is plane 1, not 12 */
	KUNIT_EXPECT_EQ(test, dflip_plane_number_parse("12", 1, &plane), 0);
	KUNIT_EXPECT_EQ(test, plane, 1);
}

static void dflip_test_plane_names(struct kunit *test)
{
	static const char * const pipes[] = { "a", "b", "c" };
	static const char * const kinds[] = { "primary", "sprite", "cursor" };
	char expect[DFLIP_PLANE_NAME_MAX];
	unsigned int n;

	for (n = 0; n < DFLIP_NUM_PLANES; n++) {
		snprintf(expect, sizeof(expect), "pipe_%s_%s",
			 pipes[n / DFLIP_PLANE_KINDS], kinds[n % DFLIP_PLANE_KINDS]);
		KUNIT_EXPECT_STREQ(test, dflip_plane_name(n), expect);
		KUNIT_EXPECT_LT(test, strlen(dflip_plane_name(n)),
				(size_t)DFLIP_PLANE_NAME_MAX);
	}
	KUNIT_EXPECT_NULL(test, dflip_plane_name(DFLIP_NUM_PLANES));
	KUNIT_EXPECT_NULL(test, dflip_plane_name(~0u));
}

#define DFLIP_ARGSZ_FULL	sizeof(struct vfio_device_gfx_plane_info)
#define DFLIP_ARGSZ_OLD_MIN	offsetofend(struct vfio_device_gfx_plane_info, dmabuf_id)

struct dflip_query_case {
	const char *name;
	u32 argsz;
	u32 flags;
	u32 plane_type;
	u32 pipe;
	bool supported;
	int ret;
	unsigned int plane;
};

static const struct dflip_query_case dflip_query_cases[] = {
	{ "probe supported", DFLIP_ARGSZ_FULL,
	  VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DRM_FB, 0, 0,
	  true, 0, 0 },
	{ "probe on broadwell", DFLIP_ARGSZ_FULL,
	  VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DRM_FB, 0, 0,
	  false, -EINVAL, 0 },
	{ "query on broadwell", DFLIP_ARGSZ_FULL, VFIO_GFX_PLANE_TYPE_DRM_FB,
	  DRM_PLANE_TYPE_PRIMARY, 0, false, -EINVAL, 0 },
	{ "pipe a primary", DFLIP_ARGSZ_FULL, VFIO_GFX_PLANE_TYPE_DRM_FB,
	  DRM_PLANE_TYPE_PRIMARY, 0, true, 1, 0 },
	{ "pipe a sprite", DFLIP_ARGSZ_FULL, VFIO_GFX_PLANE_TYPE_DRM_FB,
	  DRM_PLANE_TYPE_OVERLAY, 0, true, 1, 1 },
	{ "pipe b cursor", DFLIP_ARGSZ_FULL, VFIO_GFX_PLANE_TYPE_DRM_FB,
	  DRM_PLANE_TYPE_CURSOR, 1, true, 1, 5 },
	{ "pipe c primary", DFLIP_ARGSZ_FULL, VFIO_GFX_PLANE_TYPE_DRM_FB,
	  DRM_PLANE_TYPE_PRIMARY, 2, true, 1, 6 },
	{ "larger argsz", DFLIP_ARGSZ_FULL + 64, VFIO_GFX_PLANE_TYPE_DRM_FB,
	  DRM_PLANE_TYPE_CURSOR, 2, true, 1, 8 },
	{ "pipe out of range", DFLIP_ARGSZ_FULL, VFIO_GFX_PLANE_TYPE_DRM_FB,
	  DRM_PLANE_TYPE_PRIMARY, 3, true, -EINVAL, 0 },
	{ "unknown plane type", DFLIP_ARGSZ_FULL, VFIO_GFX_PLANE_TYPE_DRM_FB,
	  3, 0, true, -EINVAL, 0 },
	{ "argsz of the old minimum", DFLIP_ARGSZ_OLD_MIN,
	  VFIO_GFX_PLANE_TYPE_DRM_FB, DRM_PLANE_TYPE_PRIMARY, 0, true,
	  -EINVAL, 0 },
	{ "argsz one short", DFLIP_ARGSZ_FULL - 1, VFIO_GFX_PLANE_TYPE_DRM_FB,
	  DRM_PLANE_TYPE_PRIMARY, 0, true, -EINVAL, 0 },
	{ "probe with short argsz", DFLIP_ARGSZ_OLD_MIN,
	  VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DRM_FB, 0, 0,
	  true, -EINVAL, 0 },
	{ "with dmabuf type", DFLIP_ARGSZ_FULL,
	  VFIO_GFX_PLANE_TYPE_DMABUF | VFIO_GFX_PLANE_TYPE_DRM_FB,
	  DRM_PLANE_TYPE_PRIMARY, 0, true, -EINVAL, 0 },
	{ "with region type", DFLIP_ARGSZ_FULL,
	  VFIO_GFX_PLANE_TYPE_REGION | VFIO_GFX_PLANE_TYPE_DRM_FB,
	  DRM_PLANE_TYPE_PRIMARY, 0, true, -EINVAL, 0 },
	{ "unknown flag", DFLIP_ARGSZ_FULL,
	  VFIO_GFX_PLANE_TYPE_DRM_FB | BIT(4), DRM_PLANE_TYPE_PRIMARY, 0,
	  true, -EINVAL, 0 },
	{ "probe alone", DFLIP_ARGSZ_FULL, VFIO_GFX_PLANE_TYPE_PROBE, 0, 0,
	  true, -EINVAL, 0 },
	{ "no flags", DFLIP_ARGSZ_FULL, 0, DRM_PLANE_TYPE_PRIMARY, 0, true,
	  -EINVAL, 0 },
};

static void dflip_query_desc(const struct dflip_query_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_query, dflip_query_cases, dflip_query_desc);

static void dflip_test_vfio_query_check(struct kunit *test)
{
	const struct dflip_query_case *t = test->param_value;
	struct vfio_device_gfx_plane_info info = {
		.argsz = t->argsz,
		.flags = t->flags,
		.drm_plane_type = t->plane_type,
		.reserved = t->pipe,
	};
	unsigned int plane = 0xdead;

	KUNIT_EXPECT_EQ(test, dflip_vfio_query_check(&info, t->supported,
						     &plane), t->ret);
	KUNIT_EXPECT_EQ(test, plane, t->ret == 1 ? t->plane : 0xdead);
}

static void dflip_test_vfio_layout_unchanged(struct kunit *test)
{
	/* the uapi struct keeps its size and the union its offset */
	KUNIT_EXPECT_EQ(test, sizeof(struct vfio_device_gfx_plane_info),
			(size_t)64);
	KUNIT_EXPECT_EQ(test,
			offsetof(struct vfio_device_gfx_plane_info, drm_fb_id),
			offsetof(struct vfio_device_gfx_plane_info, dmabuf_id));
	KUNIT_EXPECT_EQ(test,
			offsetof(struct vfio_device_gfx_plane_info, reserved),
			(size_t)60);
}

static struct kunit_case dflip_uapi_cases[] = {
	KUNIT_CASE_PARAM(dflip_test_plane_number_parse, dflip_parse_gen_params),
	KUNIT_CASE(dflip_test_parse_honours_count),
	KUNIT_CASE(dflip_test_plane_names),
	KUNIT_CASE_PARAM(dflip_test_vfio_query_check, dflip_query_gen_params),
	KUNIT_CASE(dflip_test_vfio_layout_unchanged),
	{}
};

static struct kunit_suite dflip_uapi_suite = {
	.name = "dflip_uapi",
	.test_cases = dflip_uapi_cases,
};

kunit_test_suite(dflip_uapi_suite);
