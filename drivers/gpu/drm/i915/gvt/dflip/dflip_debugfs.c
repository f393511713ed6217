// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * debugfs: <debugfs>/dri/<minor>/gvt/vgpu<N>/dflip shows, per vGPU plane,
 * its framebuffer, its assignment and the counters of the state machine,
 * among them the rejected guest flips by reason.
 */

#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <drm/drm_framebuffer.h>

#include "gvt/gvt.h"

#include "dflip_host.h"
#include "dflip_plane.h"
#include "dflip_uapi.h"

static void dflip_debugfs_plane(struct seq_file *m, struct intel_vgpu *vgpu,
				struct dflip_vplane *vp)
{
	struct drm_framebuffer *fb = dflip_host_plane_fb(vgpu, vp->id);
	unsigned int why, made, destroyed;
	struct dflip_plane_stats st;

	dflip_plane_get_stats(vp, &st);
	dflip_host_fb_counts(vgpu, vp->id, &made, &destroyed);
	seq_printf(m, "%s: fb %u, %s\n", dflip_plane_name(vp->id),
		   fb ? fb->base.id : 0, dflip_plane_state_name(vp));
	seq_printf(m, "  flips: applied %llu latched %llu queued %llu coalesced %llu held %llu done %llu surface-only %llu\n",
		   st.flips_applied, st.flips_latched, st.flips_queued,
		   st.flips_coalesced, st.flips_held, st.flip_done,
		   st.flips_surface_only);
	seq_printf(m, "  geometry: changes %llu failures %llu framebuffers made %u destroyed %u\n",
		   st.geometry_changes, st.geometry_failures, made, destroyed);
	seq_puts(m, "  rejected:");
	for (why = DFLIP_OK + 1; why < DFLIP_REJECT_COUNT; why++)
		seq_printf(m, " %s %llu", dflip_reject_name(why),
			   st.rejects[why]);
	seq_putc(m, '\n');
}

/**
 * dflip_debugfs_show - print the direct flip state of a vGPU
 * @m: the seq_file, its private data the vGPU
 * @unused: unused
 *
 * Return: 0.
 */
VISIBLE_IF_KUNIT int dflip_debugfs_show(struct seq_file *m, void *unused)
{
	struct intel_vgpu *vgpu = m->private;
	struct dflip_vgpu *core;
	unsigned int i;

	mutex_lock(&vgpu->vgpu_lock);
	core = dflip_host_core(vgpu);
	if (!core || !core->supported) {
		seq_puts(m, "direct flip: unsupported\n");
	} else {
		for (i = 0; i < DFLIP_NUM_PLANES; i++)
			dflip_debugfs_plane(m, vgpu, &core->planes[i]);
	}
	mutex_unlock(&vgpu->vgpu_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dflip_debugfs_show);
DEFINE_SHOW_ATTRIBUTE(dflip_debugfs);

/**
 * dflip_host_debugfs_add - add the vGPU's direct flip debugfs file
 * @vgpu: the vGPU, its debugfs directory created
 */
void dflip_host_debugfs_add(struct intel_vgpu *vgpu)
{
	debugfs_create_file("dflip", 0444, vgpu->debugfs, vgpu,
			    &dflip_debugfs_fops);
}
