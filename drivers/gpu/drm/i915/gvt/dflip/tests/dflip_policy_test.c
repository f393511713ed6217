// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * KUnit tests of the direct flip access policy (gvt/dflip/dflip_policy.c):
 * which DRM client may reference a vGPU's framebuffers, and the sysfs
 * lessee id syntax. The policy applied to real lookups of a vGPU
 * framebuffer is tested in dflip_host (through GVT) and in
 * intel_vgpu_fb_ops (what i915 reports, and no ops registered).
 */

#include <kunit/test.h>

#include <linux/limits.h>
#include <linux/string.h>

#include <drm/drm_auth.h>

#include "display/intel_vgpu_fb.h"

#include "../dflip_policy.h"

/*
 * Two lessees' DRM masters: the policy compares them, never reads them.
 * Lessee ids do not appear: a binding is to a lease, whatever its number.
 */
static struct drm_master dflip_lease_a, dflip_lease_b;

struct dflip_policy_case {
	const char *name;
	const struct drm_master *bound;
	struct intel_vgpu_fb_client client;
	bool allowed;
};

#define ROOT	true
#define USER	false
#define LEASE_A	(&dflip_lease_a)
#define LEASE_B	(&dflip_lease_b)

static const struct dflip_policy_case dflip_policy_cases[] = {
	{ "root non-lessee, vGPU unbound", NULL,
	  { .sys_admin = ROOT }, true },
	{ "root non-lessee, vGPU bound to a lessee", LEASE_A,
	  { .sys_admin = ROOT }, true },
	{ "non-root non-lessee, vGPU unbound", NULL,
	  { .sys_admin = USER }, false },
	{ "non-root non-lessee, vGPU bound to a lessee", LEASE_A,
	  { .sys_admin = USER }, false },
	{ "lessee bound to the vGPU", LEASE_A,
	  { .lessee = true, .lease = LEASE_A, .sys_admin = USER }, true },
	{ "root lessee bound to the vGPU", LEASE_A,
	  { .lessee = true, .lease = LEASE_A, .sys_admin = ROOT }, true },
	{ "another lessee", LEASE_A,
	  { .lessee = true, .lease = LEASE_B, .sys_admin = USER }, false },
	{ "another root lessee", LEASE_A,
	  { .lessee = true, .lease = LEASE_B, .sys_admin = ROOT }, false },
	{ "root lessee, vGPU unbound", NULL,
	  { .lessee = true, .lease = LEASE_A, .sys_admin = ROOT }, false },
	{ "revoked lessee bound to the vGPU", LEASE_A,
	  { .lessee = true, .lease = NULL, .sys_admin = ROOT }, false },
	{ "revoked lessee, vGPU unbound", NULL,
	  { .lessee = true, .lease = NULL, .sys_admin = ROOT }, false },
};

static void dflip_policy_desc(const struct dflip_policy_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_policy, dflip_policy_cases, dflip_policy_desc);

static void dflip_test_policy(struct kunit *test)
{
	const struct dflip_policy_case *t = test->param_value;

	KUNIT_EXPECT_EQ(test, dflip_policy_may_reference(t->bound, &t->client),
			t->allowed);
}

struct dflip_lessee_case {
	const char *name;
	const char *input;
	int ret;
	u32 lessee;
};

static const struct dflip_lessee_case dflip_lessee_cases[] = {
	{ "zero unbinds", "0", 0, 0 },
	{ "zero with newline", "0\n", 0, 0 },
	{ "a lessee id", "7\n", 0, 7 },
	{ "leading zero", "07", 0, 7 },
	{ "INT_MAX", "2147483647", 0, INT_MAX },
	{ "one past INT_MAX", "2147483648", -EINVAL, 0 },
	{ "U32_MAX", "4294967295", -EINVAL, 0 },
	{ "overflowing number", "99999999999", -EINVAL, 0 },
	{ "empty", "", -EINVAL, 0 },
	{ "newline only", "\n", -EINVAL, 0 },
	{ "not a number", "abc", -EINVAL, 0 },
	{ "trailing garbage", "7x", -EINVAL, 0 },
	{ "negative", "-1", -EINVAL, 0 },
	{ "explicit plus", "+7", -EINVAL, 0 },
	{ "leading space", " 7", -EINVAL, 0 },
	{ "hex", "0x7", -EINVAL, 0 },
};

static void dflip_lessee_desc(const struct dflip_lessee_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dflip_lessee, dflip_lessee_cases, dflip_lessee_desc);

static void dflip_test_lessee_parse(struct kunit *test)
{
	const struct dflip_lessee_case *t = test->param_value;
	u32 lessee = 0xdead;
	int ret;

	ret = dflip_policy_lessee_parse(t->input, strlen(t->input), &lessee);
	KUNIT_EXPECT_EQ(test, ret, t->ret);
	if (t->ret)
		KUNIT_EXPECT_EQ(test, lessee, 0xdead);	/* left untouched */
	else
		KUNIT_EXPECT_EQ(test, lessee, t->lessee);
}

static void dflip_test_lessee_parse_honours_count(struct kunit *test)
{
	u32 lessee = 0xdead;

	/* "12" cut to one character is lessee 1, not 12 */
	KUNIT_EXPECT_EQ(test, dflip_policy_lessee_parse("12", 1, &lessee), 0);
	KUNIT_EXPECT_EQ(test, lessee, 1);
}

static struct kunit_case dflip_policy_test_cases[] = {
	KUNIT_CASE_PARAM(dflip_test_policy, dflip_policy_gen_params),
	KUNIT_CASE_PARAM(dflip_test_lessee_parse, dflip_lessee_gen_params),
	KUNIT_CASE(dflip_test_lessee_parse_honours_count),
	{}
};

static struct kunit_suite dflip_policy_suite = {
	.name = "dflip_policy",
	.test_cases = dflip_policy_test_cases,
};

kunit_test_suite(dflip_policy_suite);
