/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The GVT-g direct flip authors
 */

#ifndef _GVT_DFLIP_POLICY_H_
#define _GVT_DFLIP_POLICY_H_

#include <linux/types.h>

struct drm_master;
struct intel_vgpu_fb_client;

bool dflip_policy_may_reference(const struct drm_master *bound,
				const struct intel_vgpu_fb_client *client);
int dflip_policy_lessee_parse(const char *buf, size_t count, u32 *lessee);

#endif /* _GVT_DFLIP_POLICY_H_ */
