// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 */

/**
 * DOC: direct flip access policy
 *
 * A vGPU framebuffer id is a small integer that every DRM client of the
 * i915 device can guess. i915 hides a vGPU framebuffer from a DRM client
 * (drm_framebuffer_lookup() does not find it: every ioctl taking the id
 * answers as for an unknown id, -ENOENT from the legacy ones, an atomic
 * FB_ID taken as 0) unless this policy allows the client:
 *
 * - a DRM file that is not a lessee, used by a task with CAP_SYS_ADMIN in
 *   the initial user namespace: the host's root compositor or tool;
 * - the lessee the vGPU is bound to (intel_vgpu/dflip_lessee, written by
 *   root, typically by the lessor right after creating the lease), while
 *   its lease is not revoked. The binding is to the lease itself, not to
 *   its number: lessee ids are per lessor and start at 1 for every
 *   master, so the id written is resolved against the device's current
 *   master at once (intel_vgpu_fb_lessee_get()), and a lessee of the next
 *   master after a VT switch, or a later lease that gets the same number,
 *   is another lessee. A lessee is judged by its binding only: lease
 *   files are created with the lessor's credentials and their holders
 *   often run as root, so capability does not let a lessee show another
 *   VM.
 *
 * Everything else is refused: a non-root session compositor (even with a
 * DRM file opened by root, as systemd-logind and seatd hand out; this is
 * why the caller's capability counts, not the opener's), a lessee of
 * another VM, and any client of a vGPU bound to no lessee except root.
 * The checks are pure functions of what i915 reports about the client
 * (&intel_vgpu_fb_client) and of the binding.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/string.h>

#include "display/intel_vgpu_fb.h"

#include "dflip_policy.h"

/**
 * dflip_policy_may_reference - may a DRM client look a vGPU fb up?
 * @bound: the master of the lessee the vGPU is bound to, NULL for none;
 *	compared, never dereferenced
 * @client: the client, as i915 describes it
 *
 * Any context.
 *
 * Return: true if @client may reference the vGPU's framebuffers.
 */
bool dflip_policy_may_reference(const struct drm_master *bound,
				const struct intel_vgpu_fb_client *client)
{
	if (client->lessee)
		return bound && client->lease == bound;
	return client->sys_admin;
}

/**
 * dflip_policy_lessee_parse - parse a lessee id written to sysfs
 * @buf: what userspace wrote (not NUL-terminated beyond @count)
 * @count: its length
 * @lessee: the lessee id, set only on success
 *
 * Accepts a decimal number 0 to INT_MAX (DRM lessee ids are positive
 * ints; 0 unbinds) with an optional trailing newline. Anything else
 * (empty, a sign, spaces, trailing garbage, hex, a number out of range)
 * is refused.
 *
 * Return: 0, or -EINVAL.
 */
int dflip_policy_lessee_parse(const char *buf, size_t count, u32 *lessee)
{
	char num[12];
	u32 n;

	if (!count || count >= sizeof(num))
		return -EINVAL;
	memcpy(num, buf, count);
	num[count] = '\0';
	if (num[0] < '0' || num[0] > '9')
		return -EINVAL;
	if (kstrtou32(num, 10, &n) || n > INT_MAX)
		return -EINVAL;
	*lessee = n;
	return 0;
}
