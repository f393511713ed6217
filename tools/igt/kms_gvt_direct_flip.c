// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 */

/**
 * TEST: kms gvt direct flip
 * Category: Display
 * Description: GVT-g local display direct flip: each plane of a vGPU is a
 *              host DRM framebuffer that the host assigns once to a
 *              hardware plane; GVT then flips the guest's plane updates
 *              straight onto it at the real vblank.
 * Driver requirement: i915
 * Mega feature: General Display Features
 *
 * SUBTEST: fb-lookup-sysfs
 * Description: The vGPU's framebuffer ids through sysfs: plane_id_index
 *              (write a plane number, read its id; bad numbers refused with
 *              the selection kept) agrees with intel_vgpu_planes/, and every
 *              id is a framebuffer of the parent's DRM device with no handle.
 *
 * SUBTEST: fb-lookup-vfio
 * Description: VFIO_DEVICE_QUERY_GFX_PLANE: the DRM_FB probe succeeds, the
 *              DRM_FB query of every plane returns the id and geometry sysfs
 *              and GETFB2 report, malformed queries are refused. Needs the
 *              vGPU's VFIO device free (guest stopped).
 *
 * SUBTEST: assign-unassign
 * Description: The guest's primary framebuffer assigned to a hardware plane
 *              with an atomic commit (debugfs: assigned), refused on a second
 *              hardware plane (EBUSY), and unassigned again.
 *
 * SUBTEST: guest-flip-crc
 * Description: While the guest flips, the pipe CRC of the hardware plane
 *              showing the vGPU framebuffer changes.
 *
 * SUBTEST: assign-scaled
 * Description: The guest's primary framebuffer scaled to fill the mode
 *              with its aspect ratio kept and centred (gvt-dflip's default
 *              --fit aspect) through the plane scaler: the TEST_ONLY commit
 *              passes (else SKIP), the commit assigns it, and the guest's
 *              flips reach the screen through the scaled plane (pipe CRC).
 *
 * SUBTEST: guest-idle-crc-stable
 * Description: While the guest does not flip, the pipe CRC is stable.
 *
 * SUBTEST: geometry-change
 * Description: A guest geometry change gives the plane a new framebuffer
 *              (uevent DFLIP_PLANE/DFLIP_FB_ID on the vGPU device, new id
 *              in sysfs); re-committing it puts the new geometry on screen.
 *
 * SUBTEST: rejected-flip
 * Description: A guest flip the validator rejects is counted in the vGPU's
 *              debugfs and leaves the screen (pipe CRC) unchanged.
 *
 * SUBTEST: teardown-while-assigned
 * Description: Closing the vGPU's VFIO device (VM stop) while its
 *              framebuffer is on a hardware plane takes it off the plane
 *              and keeps the framebuffer ids; the id cannot be shown again
 *              until the guest flips.
 *
 * SUBTEST: destroy-while-assigned
 * Description: Removing the vGPU while its framebuffer is on a hardware
 *              plane takes the plane off and frees the framebuffer; the
 *              pipe keeps running. Destroys the vGPU: needs
 *              IGT_GVT_DESTROY=1.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "igt.h"
#include "igt_device.h"
#include "igt_sysfs.h"

/* linux/const.h defines _AC differently from IGT's linux_scaffold.h */
#pragma push_macro("_AC")
#undef _AC
#include <linux/kvm.h>
#include <linux/netlink.h>
#include <linux/vfio.h>

#include "gvt_dflip_args.h"
#undef _AC
#pragma pop_macro("_AC")

IGT_TEST_DESCRIPTION("GVT-g local display direct flip: vGPU framebuffers on "
		     "host hardware planes, flipped by the guest.");

/*
 * struct gvt_gfx_plane_info as Linux 6.12 has it, with the direct
 * flip names of the union and of the last field: older installed headers
 * lack @reserved, and the kernel wants argsz to cover it.
 */
#define VFIO_GFX_PLANE_TYPE_DRM_FB (1 << 3)
struct gvt_gfx_plane_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t drm_plane_type;	/* in */
	uint32_t drm_format;
	uint64_t drm_format_mod __attribute__((aligned(8)));
	uint32_t width, height, stride, size;
	uint32_t x_pos, y_pos, x_hot, y_hot;
	uint32_t drm_fb_id;		/* region_index / dmabuf_id / drm_fb_id */
	uint32_t reserved;		/* in, with DRM_FB: the pipe */
};

_Static_assert(sizeof(struct gvt_gfx_plane_info) == 64 &&
	       offsetof(struct gvt_gfx_plane_info, reserved) == 60,
	       "the layout of struct vfio_device_gfx_plane_info");

#define NUM_VPLANES	9
#define PLANE_A_PRIMARY	0
#define DEFAULT_GUEST_TIMEOUT 60
/* frames per CRC window, and latched guest flips that prove flipping */
#define CRC_FRAMES	120
#define MIN_FLIPS	8

static const char *const vplane_names[NUM_VPLANES] = {
	"pipe_a_primary", "pipe_a_sprite", "pipe_a_cursor",
	"pipe_b_primary", "pipe_b_sprite", "pipe_b_cursor",
	"pipe_c_primary", "pipe_c_sprite", "pipe_c_cursor",
};

/* One vGPU plane's section of <debugfs>/dri/N/gvt/vgpuM/dflip. */
struct vplane_stats {
	uint32_t fb;
	bool assigned;
	uint64_t applied, latched, queued, coalesced, held, done;
	uint64_t geo_changes, geo_failures;
	uint64_t rejected;		/* over every reason */
	char rejects[256];		/* the "rejected:" line, for the log */
};

/* The test acting as a minimal VMM: KVM VM + VFIO group, device open. */
struct vmm {
	int kvm, vm, kvm_vfio, container, group, device;
};

typedef struct {
	int drm_fd;
	int debugfs;
	igt_display_t display;
	igt_output_t *output;
	enum pipe pipe;
	igt_plane_t *primary;
	igt_pipe_crc_t *crc;
	struct igt_fb black;

	const char *vgpu_arg;		/* --vgpu */
	char vgpu[PATH_MAX];		/* sysfs path of the mdev device */
	const char *uuid;		/* its last component */
	int vgpu_dir;
	unsigned int vgpu_id;
	int timeout;			/* seconds to wait for the guest */
	bool timeout_arg;		/* --guest-timeout given: env ignored */
	bool allow_destroy;
} data_t;

static data_t data = {
	.drm_fd = -1, .debugfs = -1, .vgpu_dir = -1,
	.timeout = DEFAULT_GUEST_TIMEOUT,
};

/* ---- sysfs ------------------------------------------------------------ */

/* A framebuffer id as sysfs prints it: decimal digits and one newline. */
static bool parse_fb_id(const char *s, uint32_t *id)
{
	unsigned long long v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > UINT32_MAX)
			return false;
	}
	if (strcmp(p, "\n"))
		return false;
	*id = v;
	return true;
}

/* A framebuffer id file of the vGPU, read raw: exactly "<id>\n". */
static uint32_t read_id_attr(data_t *d, const char *attr)
{
	char buf[32];
	uint32_t id = 0;
	ssize_t len;
	int fd;

	fd = openat(d->vgpu_dir, attr, O_RDONLY);
	igt_assert_f(fd >= 0, "cannot open %s/%s: %m\n", d->vgpu, attr);
	len = read(fd, buf, sizeof(buf) - 1);
	igt_assert_f(len >= 0, "cannot read %s/%s: %m\n", d->vgpu, attr);
	close(fd);
	buf[len] = '\0';
	igt_assert_f(parse_fb_id(buf, &id),
		     "%s/%s: '%s' is not a framebuffer id and a newline\n",
		     d->vgpu, attr, buf);
	return id;
}

static uint32_t vplane_fb(data_t *d, int n)
{
	char attr[64];

	snprintf(attr, sizeof(attr), "intel_vgpu_planes/%s", vplane_names[n]);
	return read_id_attr(d, attr);
}

/* Write @s to intel_vgpu/plane_id_index; 0 or -errno. */
static int index_select(data_t *d, const char *s)
{
	int fd = openat(d->vgpu_dir, "intel_vgpu/plane_id_index", O_WRONLY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static uint32_t index_read(data_t *d)
{
	return read_id_attr(d, "intel_vgpu/plane_id_index");
}

/* Wait until the guest gives vGPU plane @n a framebuffer; skip if not. */
static uint32_t require_guest_fb(data_t *d, int n)
{
	uint32_t id = 0;

	igt_until_timeout(d->timeout) {
		id = vplane_fb(d, n);
		if (id)
			break;
		usleep(100 * 1000);
	}
	igt_require_f(id, "the guest did not enable %s within %d s (guest not running, or its display off)\n",
		      vplane_names[n], d->timeout);
	return id;
}

/* ---- debugfs ---------------------------------------------------------- */

static void read_stats(data_t *d, int n, struct vplane_stats *st)
{
	char path[64], head[64], state[16];
	char *text, *p, *line2, *line3, *line4;
	uint64_t v;
	int off;

	snprintf(path, sizeof(path), "gvt/vgpu%u/dflip", d->vgpu_id);
	text = igt_sysfs_get(d->debugfs, path);
	igt_assert_f(text, "cannot read <debugfs>/dri/N/%s\n", path);
	snprintf(head, sizeof(head), "%s: ", vplane_names[n]);
	p = strstr(text, head);
	igt_assert_f(p, "no %s in %s:\n%s\n", vplane_names[n], path, text);

	memset(st, 0, sizeof(*st));
	igt_assert_f(sscanf(p + strlen(head), "fb %u, %15s", &st->fb,
			    state) == 2, "%s: bad line '%.60s'\n", path, p);
	st->assigned = !strcmp(state, "assigned");
	line2 = strchr(p, '\n');
	igt_assert(line2);
	igt_assert_f(sscanf(line2 + 1,
			    "  flips: applied %" SCNu64 " latched %" SCNu64
			    " queued %" SCNu64 " coalesced %" SCNu64
			    " held %" SCNu64 " done %" SCNu64,
			    &st->applied, &st->latched, &st->queued,
			    &st->coalesced, &st->held, &st->done) == 6,
		     "%s: bad flips line '%.80s'\n", path, line2 + 1);
	line3 = strchr(line2 + 1, '\n');
	igt_assert(line3);
	igt_assert_f(sscanf(line3 + 1,
			    "  geometry: changes %" SCNu64 " failures %" SCNu64,
			    &st->geo_changes, &st->geo_failures) == 2,
		     "%s: bad geometry line\n", path);
	line4 = strchr(line3 + 1, '\n');
	igt_assert(line4 && !strncmp(line4 + 1, "  rejected:", 11));
	p = line4 + 1 + 11;
	/* " <reason> <count>" pairs up to the end of the line */
	while (sscanf(p, " %*[a-z_] %" SCNu64 "%n", &v, &off) == 1) {
		st->rejected += v;
		p += off;
	}
	snprintf(st->rejects, sizeof(st->rejects), "%.*s",
		 (int)strcspn(line4 + 1, "\n"), line4 + 1);
	free(text);
}

/* ---- KMS -------------------------------------------------------------- */

/* An igt_fb naming a vGPU framebuffer (owned by the kernel: never removed). */
static void wrap_vgpu_fb(data_t *d, uint32_t id, struct igt_fb *fb)
{
	drmModeFB2 *f = drmModeGetFB2(d->drm_fd, id);

	igt_assert_f(f, "GETFB2 of vGPU framebuffer %u: %m\n", id);
	memset(fb, 0, sizeof(*fb));
	fb->fb_id = id;
	fb->fd = d->drm_fd;
	fb->drm_format = f->pixel_format;
	fb->width = f->width;
	fb->height = f->height;
	fb->modifier = f->flags & DRM_MODE_FB_MODIFIERS ?
		       f->modifier : DRM_FORMAT_MOD_LINEAR;
	fb->num_planes = 1;
	fb->strides[0] = f->pitches[0];
	fb->offsets[0] = f->offsets[0];
	fb->color_encoding = IGT_COLOR_YCBCR_BT601;
	fb->color_range = IGT_COLOR_YCBCR_LIMITED_RANGE;
	drmModeFreeFB2(f);
}

/* Show @fb on @plane at 0,0, clipped to the mode; 0 or -errno. */
static int try_show(data_t *d, igt_plane_t *plane, struct igt_fb *fb)
{
	drmModeModeInfo *mode = igt_output_get_mode(d->output);
	int w, h;

	igt_plane_set_fb(plane, fb);
	if (fb) {
		w = min_t(int, fb->width, mode->hdisplay);
		h = min_t(int, fb->height, mode->vdisplay);
		igt_fb_set_size(fb, plane, w, h);
		igt_plane_set_size(plane, w, h);
	}
	return igt_display_try_commit2(&d->display, COMMIT_ATOMIC);
}

/*
 * GVT follows i915's commits in a work item: wait up to a second for
 * debugfs to show vGPU plane @n assigned with framebuffer @id, or
 * unassigned when @id is 0.
 */
static void wait_assigned(data_t *d, int n, uint32_t id)
{
	struct vplane_stats st;
	int i;

	for (i = 0; i < 100; i++) {
		read_stats(d, n, &st);
		if (id ? st.assigned && st.fb == id : !st.assigned)
			return;
		usleep(10 * 1000);
	}
	igt_assert_f(false, "debugfs: %s shows fb %u %s, expected %s %u\n",
		     vplane_names[n], st.fb,
		     st.assigned ? "assigned" : "unassigned",
		     id ? "assigned with fb" : "unassigned, fb", id ?: st.fb);
}

/* Assign the current framebuffer of vGPU plane @n to the primary plane. */
static uint32_t assign_current(data_t *d, int n, struct igt_fb *fb)
{
	uint32_t id = require_guest_fb(d, n);
	int ret;

	wrap_vgpu_fb(d, id, fb);
	ret = try_show(d, d->primary, fb);
	igt_assert_f(ret == 0, "commit of vGPU framebuffer %u on plane %u: %s\n",
		     id, d->primary->drm_plane->plane_id, strerror(-ret));
	wait_assigned(d, n, id);
	return id;
}

static void show_black(data_t *d)
{
	igt_assert_eq(try_show(d, d->primary, &d->black), 0);
}

/*
 * Where gvt-dflip --fit aspect puts an @fw x @fh framebuffer in the mode:
 * as large as fits with its aspect ratio kept, centred (tools/gvt/fit.c).
 */
static void fit_aspect(data_t *d, const struct igt_fb *fb, int *x, int *y,
		       int *w, int *h)
{
	drmModeModeInfo *mode = igt_output_get_mode(d->output);
	uint64_t fw = fb->width, fh = fb->height;
	uint64_t mw = mode->hdisplay, mh = mode->vdisplay;

	if (fw * mh >= mw * fh) {
		*w = mw;
		*h = max_t(uint64_t, (fh * mw + fw / 2) / fw, 1);
	} else {
		*h = mh;
		*w = max_t(uint64_t, (fw * mh + fh / 2) / fh, 1);
	}
	*x = (mw - *w) / 2;
	*y = (mh - *h) / 2;
}

/* Show @fb on the primary plane as fit_aspect() places it; 0 or -errno. */
static int show_scaled(data_t *d, struct igt_fb *fb, uint32_t flags)
{
	int x, y, w, h;

	fit_aspect(d, fb, &x, &y, &w, &h);
	igt_plane_set_fb(d->primary, fb);
	igt_fb_set_position(fb, d->primary, 0, 0);
	igt_fb_set_size(fb, d->primary, fb->width, fb->height);
	igt_plane_set_position(d->primary, x, y);
	igt_plane_set_size(d->primary, w, h);
	return igt_display_try_commit_atomic(&d->display, flags, NULL);
}

/* Back to the black framebuffer at 0,0 over the whole mode. */
static void show_black_unscaled(data_t *d)
{
	igt_plane_set_position(d->primary, 0, 0);
	show_black(d);
}

/* ---- pipe CRC --------------------------------------------------------- */

/*
 * CRCs of CRC_FRAMES frames, with the plane's counters read before the
 * capture starts and after it stops: a counter that did not move between
 * the two did not move during the capture.
 */
static int crc_window(data_t *d, int n, igt_crc_t **crcs,
		      struct vplane_stats *before, struct vplane_stats *after)
{
	int got;

	read_stats(d, n, before);
	igt_pipe_crc_start(d->crc);
	got = igt_pipe_crc_get_crcs(d->crc, CRC_FRAMES, crcs);
	igt_pipe_crc_stop(d->crc);
	read_stats(d, n, after);
	igt_assert_f(got > 1, "only %d CRCs\n", got);
	return got;
}

static int distinct_crcs(igt_crc_t *crcs, int n)
{
	int i, j, distinct = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++)
			if (igt_check_crc_equal(&crcs[i], &crcs[j]))
				break;
		if (j == i)
			distinct++;
	}
	return distinct;
}

/* ---- uevents ---------------------------------------------------------- */

static int uevent_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int sk = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			NETLINK_KOBJECT_UEVENT);

	igt_assert_f(sk >= 0, "uevent socket: %m\n");
	igt_assert_f(!bind(sk, (struct sockaddr *)&sa, sizeof(sa)),
		     "uevent bind: %m\n");
	return sk;
}

/*
 * Wait for the kernel's KOBJ_CHANGE of our vGPU device for plane @n with a
 * non-zero framebuffer other than @old; its id, or 0 on timeout.
 */
static uint32_t uevent_wait_new_fb(data_t *d, int sk, int n, uint32_t old)
{
	igt_until_timeout(d->timeout) {
		char buf[8192], *p, *end;
		struct sockaddr_nl from;
		struct iovec iov = { buf, sizeof(buf) - 1 };
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		struct pollfd pfd = { .fd = sk, .events = POLLIN };
		bool change = false, ours = false;
		uint32_t plane = NUM_VPLANES, id = 0;
		ssize_t len;

		if (poll(&pfd, 1, 500) != 1)
			continue;
		len = recvmsg(sk, &msg, 0);
		if (len <= 0 || from.nl_pid != 0)	/* kernel only */
			continue;
		buf[len] = '\0';
		end = buf + len;
		for (p = buf; p < end; p += strlen(p) + 1) {
			const char *base;

			if (!strcmp(p, "ACTION=change")) {
				change = true;
			} else if (!strncmp(p, "DEVPATH=", 8)) {
				base = strrchr(p, '/');
				ours = base && !strcasecmp(base + 1, d->uuid);
			} else if (!strncmp(p, "DFLIP_PLANE=", 12)) {
				plane = strtoul(p + 12, NULL, 10);
			} else if (!strncmp(p, "DFLIP_FB_ID=", 12)) {
				id = strtoul(p + 12, NULL, 10);
			}
		}
		if (change && ours && plane == (uint32_t)n && id && id != old)
			return id;
	}
	return 0;
}

/* ---- VFIO ------------------------------------------------------------- */

static void vmm_close(struct vmm *v)
{
	int *fds[] = { &v->device, &v->kvm_vfio, &v->vm, &v->kvm, &v->group,
		       &v->container };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

/*
 * Open the vGPU's VFIO device the way a VMM does (KVMGT opens only for a
 * process with a KVM VM). Returns 0, or -errno with *step naming what
 * failed; -EBUSY from the group means a VMM (QEMU) holds it.
 */
static int vmm_open(data_t *d, struct vmm *v, const char **step)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };
	struct kvm_device_attr attr = {
		.group = KVM_DEV_VFIO_GROUP,
		.attr = KVM_DEV_VFIO_GROUP_ADD,
	};
	char link[PATH_MAX], path[PATH_MAX + 16];
	const char *group;
	int32_t gfd;
	ssize_t len;

	memset(v, -1, sizeof(*v));
	*step = "iommu_group link";
	len = readlinkat(d->vgpu_dir, "iommu_group", link, sizeof(link) - 1);
	if (len < 0)
		return -errno;
	link[len] = '\0';
	group = strrchr(link, '/');
	snprintf(path, sizeof(path), "/dev/vfio/%s", group ? group + 1 : link);
	*step = "open of the VFIO group";
	v->group = open(path, O_RDWR | O_CLOEXEC);
	if (v->group < 0)
		goto err;
	*step = "VFIO container";
	v->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (v->container < 0 ||
	    ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container) ||
	    ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		goto err;
	*step = "KVM VM";
	v->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (v->kvm < 0)
		goto err;
	v->vm = ioctl(v->kvm, KVM_CREATE_VM, 0);
	if (v->vm < 0 || ioctl(v->vm, KVM_CREATE_DEVICE, &cd))
		goto err;
	v->kvm_vfio = cd.fd;
	gfd = v->group;
	attr.addr = (uintptr_t)&gfd;
	*step = "KVM VFIO group add";
	if (ioctl(v->kvm_vfio, KVM_SET_DEVICE_ATTR, &attr))
		goto err;
	*step = "VFIO_GROUP_GET_DEVICE_FD";
	v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, d->uuid);
	if (v->device < 0)
		goto err;
	return 0;
err:
	len = -errno;
	vmm_close(v);
	return len;
}

/* Open the VFIO device or skip when a VMM holds it. */
static void vmm_require(data_t *d, struct vmm *v)
{
	const char *step;
	int ret = vmm_open(d, v, &step);

	igt_require_f(ret != -EBUSY, "the vGPU's VFIO group is held by a VMM (the guest is running): run this subtest with the guest stopped\n");
	igt_require_f(ret != -ENOENT || strcmp(step, "KVM VM"),
		      "no /dev/kvm\n");
	igt_assert_f(ret == 0, "%s: %s\n", step, strerror(-ret));
}

static int gfx_query(int dev, uint32_t flags, uint32_t type, uint32_t pipe,
		     uint32_t argsz, struct gvt_gfx_plane_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = argsz;
	info->flags = flags;
	info->drm_plane_type = type;
	info->reserved = pipe;		/* with DRM_FB: the pipe */
	return ioctl(dev, VFIO_DEVICE_QUERY_GFX_PLANE, info) ? -errno : 0;
}

/* ---- subtests --------------------------------------------------------- */

static void test_fb_lookup_sysfs(data_t *d)
{
	static const char *const bad[] = { "9\n", "abc\n", "-1\n", "3x\n",
					   "\n", "4294967296\n" };
	uint32_t id, before, seen = 0;
	unsigned int i;
	int n, tries;

	igt_require_f(geteuid() == 0, "plane_id_index is root-only\n");
	require_guest_fb(d, PLANE_A_PRIMARY);

	for (n = 0; n < NUM_VPLANES; n++) {
		char num[8];
		uint32_t file;

		snprintf(num, sizeof(num), "%d\n", n);
		/* a geometry change between the reads changes the id: retry */
		for (tries = 0; tries < 3; tries++) {
			igt_assert_eq(index_select(d, num), 0);
			id = index_read(d);
			file = vplane_fb(d, n);
			if (id == file && index_read(d) == id)
				break;
		}
		igt_assert_f(tries < 3, "%s: plane_id_index says %u, intel_vgpu_planes/ says %u\n",
			     vplane_names[n], id, file);
		if (id) {
			drmModeFB2 *f = drmModeGetFB2(d->drm_fd, id);

			igt_assert_f(f, "%s: fb %u is not a framebuffer of the parent's DRM device: %m\n",
				     vplane_names[n], id);
			igt_assert(f->width && f->height);
			igt_assert_f(!f->handles[0],
				     "%s: GETFB2 exposes a handle\n",
				     vplane_names[n]);
			drmModeFreeFB2(f);
			seen++;
		}
		igt_debug("%s: fb %u\n", vplane_names[n], id);
	}
	igt_assert(seen >= 1);	/* pipe_a_primary, waited for above */

	igt_assert_eq(index_select(d, "4\n"), 0);
	before = index_read(d);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		igt_assert_f(index_select(d, bad[i]) == -EINVAL,
			     "plane_id_index took '%.*s'\n",
			     (int)strlen(bad[i]) - 1, bad[i]);
		igt_assert_eq_u32(index_read(d), before);
	}
	igt_assert_eq(index_select(d, "0\n"), 0);
}

static void test_fb_lookup_vfio(data_t *d)
{
	static const uint32_t types[3] = {
		DRM_PLANE_TYPE_PRIMARY, DRM_PLANE_TYPE_OVERLAY,
		DRM_PLANE_TYPE_CURSOR,
	};
	const uint32_t full = sizeof(struct gvt_gfx_plane_info);
	struct gvt_gfx_plane_info info;
	struct vmm v;
	int pipe, k, seen = 0;

	vmm_require(d, &v);
	igt_assert_eq(gfx_query(v.device, VFIO_GFX_PLANE_TYPE_PROBE |
				VFIO_GFX_PLANE_TYPE_DRM_FB, 0, 0, full, &info),
		      0);

	for (pipe = 0; pipe < 3; pipe++) {
		for (k = 0; k < 3; k++) {
			int n = pipe * 3 + k;
			uint32_t id;

			igt_assert_eq(gfx_query(v.device,
						VFIO_GFX_PLANE_TYPE_DRM_FB,
						types[k], pipe, full, &info), 0);
			id = info.drm_fb_id;
			igt_assert_eq_u32(id, vplane_fb(d, n));
			igt_assert_eq_u32(info.reserved, pipe);
			if (id) {
				drmModeFB2 *f = drmModeGetFB2(d->drm_fd, id);

				igt_assert(f);
				igt_assert_eq_u32(info.width, f->width);
				igt_assert_eq_u32(info.height, f->height);
				igt_assert_eq_u32(info.drm_format,
						  f->pixel_format);
				igt_assert_eq_u32(info.stride, f->pitches[0]);
				drmModeFreeFB2(f);
				seen++;
			} else {
				igt_assert_eq_u32(info.width, 0);
				igt_assert_eq_u32(info.drm_format, 0);
			}
		}
	}

	/* malformed: two types, unknown flag, bad pipe/type, short argsz */
	igt_assert_eq(gfx_query(v.device, VFIO_GFX_PLANE_TYPE_DRM_FB |
				VFIO_GFX_PLANE_TYPE_DMABUF,
				DRM_PLANE_TYPE_PRIMARY, 0, full, &info),
		      -EINVAL);
	igt_assert_eq(gfx_query(v.device, VFIO_GFX_PLANE_TYPE_DRM_FB | (1 << 7),
				DRM_PLANE_TYPE_PRIMARY, 0, full, &info),
		      -EINVAL);
	igt_assert_eq(gfx_query(v.device, VFIO_GFX_PLANE_TYPE_DRM_FB,
				DRM_PLANE_TYPE_PRIMARY, 3, full, &info),
		      -EINVAL);
	igt_assert_eq(gfx_query(v.device, VFIO_GFX_PLANE_TYPE_DRM_FB, 99, 0,
				full, &info), -EINVAL);
	igt_assert_eq(gfx_query(v.device, VFIO_GFX_PLANE_TYPE_DRM_FB,
				DRM_PLANE_TYPE_PRIMARY, 0,
				offsetof(struct gvt_gfx_plane_info,
					 reserved), &info), -EINVAL);
	vmm_close(&v);
	igt_info("%d of 9 vGPU planes have a framebuffer\n", seen);
}

static void test_assign_unassign(data_t *d)
{
	struct igt_fb fb;
	igt_plane_t *overlay;
	drmModePlane *p;
	uint32_t id;
	int ret;

	id = assign_current(d, PLANE_A_PRIMARY, &fb);
	p = drmModeGetPlane(d->drm_fd, d->primary->drm_plane->plane_id);
	igt_assert(p);
	igt_assert_eq_u32(p->fb_id, id);
	drmModeFreePlane(p);

	/* one vGPU plane on one hardware plane: no mirroring */
	overlay = igt_output_get_plane_type(d->output, DRM_PLANE_TYPE_OVERLAY);
	if (overlay) {
		ret = try_show(d, overlay, &fb);
		igt_assert_f(ret == -EBUSY,
			     "vGPU fb %u on a second plane: %d, expected -EBUSY\n",
			     id, ret);
		igt_plane_set_fb(overlay, NULL);
	}

	show_black(d);
	wait_assigned(d, PLANE_A_PRIMARY, 0);
	/* the id stays: unassigning does not destroy the framebuffer */
	igt_assert_eq_u32(vplane_fb(d, PLANE_A_PRIMARY), id);
}

static void test_guest_flip_crc(data_t *d)
{
	struct vplane_stats before, after;
	igt_crc_t *crcs = NULL;
	struct igt_fb fb;
	bool done = false;
	uint32_t id;
	int got;

	id = assign_current(d, PLANE_A_PRIMARY, &fb);
	igt_until_timeout(d->timeout) {
		got = crc_window(d, PLANE_A_PRIMARY, &crcs, &before, &after);
		if (after.fb != id) {	/* geometry changed: follow it */
			id = assign_current(d, PLANE_A_PRIMARY, &fb);
		} else if (after.latched - before.latched >= MIN_FLIPS) {
			igt_info("%" PRIu64 " guest flips latched, %d distinct CRCs in %d frames\n",
				 after.latched - before.latched,
				 distinct_crcs(crcs, got), got);
			igt_assert_f(distinct_crcs(crcs, got) >= 2,
				     "the guest flipped but the CRC did not change\n");
			done = true;
		}
		free(crcs);
		crcs = NULL;
		if (done)
			break;
	}
	show_black(d);
	igt_require_f(done, "the guest did not flip %d times within %d frames in %d s\n",
		      MIN_FLIPS, CRC_FRAMES, d->timeout);
}

static void test_assign_scaled(data_t *d)
{
	drmModeModeInfo *mode = igt_output_get_mode(d->output);
	struct vplane_stats before, after;
	igt_crc_t *crcs = NULL;
	int x, y, w, h, ret, got;
	struct igt_fb fb;
	bool done = false;
	uint32_t id;

	id = require_guest_fb(d, PLANE_A_PRIMARY);
	wrap_vgpu_fb(d, id, &fb);
	fit_aspect(d, &fb, &x, &y, &w, &h);
	igt_require_f(w != fb.width || h != fb.height,
		      "the guest's %dx%d fills the %ux%u mode unscaled: nothing to scale\n",
		      fb.width, fb.height, mode->hdisplay, mode->vdisplay);
	ret = show_scaled(d, &fb, DRM_MODE_ATOMIC_TEST_ONLY);
	if (ret)
		show_black_unscaled(d);
	igt_require_f(ret == 0,
		      "the primary plane cannot scale %dx%d to %dx%d at %d,%d (TEST_ONLY: %s): gvt-dflip shows it unscaled, centred\n",
		      fb.width, fb.height, w, h, x, y, strerror(-ret));
	ret = show_scaled(d, &fb, 0);
	igt_assert_f(ret == 0, "commit of vGPU framebuffer %u scaled to %dx%d: %s\n",
		     id, w, h, strerror(-ret));
	wait_assigned(d, PLANE_A_PRIMARY, id);
	igt_info("fb %u %dx%d scaled to %dx%d at %d,%d\n", id, fb.width,
		 fb.height, w, h, x, y);

	igt_until_timeout(d->timeout) {
		got = crc_window(d, PLANE_A_PRIMARY, &crcs, &before, &after);
		if (after.fb != id) {	/* geometry changed: fit it again */
			id = require_guest_fb(d, PLANE_A_PRIMARY);
			wrap_vgpu_fb(d, id, &fb);
			ret = show_scaled(d, &fb, 0);
			igt_assert_f(ret == 0 || ret == -ENOENT,
				     "commit of the new fb %u scaled: %s\n", id,
				     strerror(-ret));
		} else if (after.latched - before.latched >= MIN_FLIPS) {
			igt_assert_f(distinct_crcs(crcs, got) >= 2,
				     "the guest flipped but the scaled plane's CRC did not change\n");
			done = true;
		}
		free(crcs);
		crcs = NULL;
		if (done)
			break;
	}
	show_black_unscaled(d);
	igt_require_f(done, "the guest did not flip %d times within %d frames in %d s\n",
		      MIN_FLIPS, CRC_FRAMES, d->timeout);
}

static void test_guest_idle_crc_stable(data_t *d)
{
	struct vplane_stats before, after;
	igt_crc_t *crcs = NULL;
	struct igt_fb fb;
	bool done = false;
	uint32_t id;
	int got;

	id = assign_current(d, PLANE_A_PRIMARY, &fb);
	igt_until_timeout(d->timeout) {
		got = crc_window(d, PLANE_A_PRIMARY, &crcs, &before, &after);
		if (after.fb != id) {
			id = assign_current(d, PLANE_A_PRIMARY, &fb);
		} else if (after.applied == before.applied &&
			   after.latched == before.latched) {
			igt_assert_f(distinct_crcs(crcs, got) == 1,
				     "no guest flip, yet %d distinct CRCs in %d frames\n",
				     distinct_crcs(crcs, got), got);
			done = true;
		}
		free(crcs);
		crcs = NULL;
		if (done)
			break;
	}
	show_black(d);
	igt_require_f(done, "the guest never held still for %d frames within %d s\n",
		      CRC_FRAMES, d->timeout);
}

static void test_geometry_change(data_t *d)
{
	struct igt_fb fb, nfb;
	drmModePlane *p;
	uint32_t old, id;
	int sk, ret;

	sk = uevent_open();
	old = assign_current(d, PLANE_A_PRIMARY, &fb);
	id = uevent_wait_new_fb(d, sk, PLANE_A_PRIMARY, old);
	close(sk);
	if (!id)
		show_black(d);
	igt_require_f(id, "no geometry change of pipe_a_primary by the guest within %d s\n",
		      d->timeout);

	/* the file may already name a later one */
	igt_assert_neq_u32(vplane_fb(d, PLANE_A_PRIMARY), old);
	wrap_vgpu_fb(d, id, &nfb);
	igt_info("geometry change: fb %u %dx%d -> fb %u %dx%d\n", old,
		 fb.width, fb.height, id, nfb.width, nfb.height);
	igt_assert_f(nfb.width != fb.width || nfb.height != fb.height ||
		     nfb.drm_format != fb.drm_format ||
		     nfb.modifier != fb.modifier ||
		     nfb.strides[0] != fb.strides[0],
		     "fb %u has the geometry of fb %u\n", id, old);

	/* until re-committed the hardware plane keeps the old frame */
	p = drmModeGetPlane(d->drm_fd, d->primary->drm_plane->plane_id);
	igt_assert(p);
	igt_assert_eq_u32(p->fb_id, old);
	drmModeFreePlane(p);

	ret = try_show(d, d->primary, &nfb);
	if (ret == -ENOENT) {	/* replaced again meanwhile: take the latest */
		assign_current(d, PLANE_A_PRIMARY, &nfb);
	} else {
		igt_assert_f(ret == 0, "re-commit of fb %u: %s\n", id,
			     strerror(-ret));
		wait_assigned(d, PLANE_A_PRIMARY, id);
	}
	show_black(d);
}

static void test_rejected_flip(data_t *d)
{
	struct vplane_stats before, after;
	igt_crc_t *crcs = NULL;
	struct igt_fb fb;
	bool done = false;
	uint32_t id;
	int got;

	id = assign_current(d, PLANE_A_PRIMARY, &fb);
	igt_until_timeout(d->timeout) {
		got = crc_window(d, PLANE_A_PRIMARY, &crcs, &before, &after);
		if (after.fb != id) {
			id = assign_current(d, PLANE_A_PRIMARY, &fb);
		} else if (after.rejected > before.rejected &&
			   after.applied == before.applied) {
			/* only rejected flips in the window: screen unchanged */
			igt_info("%s\n", after.rejects);
			igt_assert_f(distinct_crcs(crcs, got) == 1,
				     "a rejected flip changed the screen\n");
			igt_assert(after.assigned);
			done = true;
		}
		free(crcs);
		crcs = NULL;
		if (done)
			break;
	}
	show_black(d);
	igt_require_f(done, "no rejected guest flip (without a good one in the same %d frames) within %d s\n",
		      CRC_FRAMES, d->timeout);
}

static void test_teardown_while_assigned(data_t *d)
{
	struct igt_fb fb;
	struct vmm v;
	uint32_t id;
	int ret;

	vmm_require(d, &v);
	id = vplane_fb(d, PLANE_A_PRIMARY);
	if (!id) {
		vmm_close(&v);
		igt_skip("pipe_a_primary has no framebuffer (the guest has it disabled)\n");
	}
	assign_current(d, PLANE_A_PRIMARY, &fb);
	vmm_close(&v);		/* VFIO close: GVT takes the framebuffers off */

	wait_assigned(d, PLANE_A_PRIMARY, 0);
	igt_assert_eq_u32(vplane_fb(d, PLANE_A_PRIMARY), id);
	igt_wait_for_vblank(d->drm_fd,
			    d->display.pipes[d->pipe].crtc_offset);

	/*
	 * The guest's pages are unpinned: the same id stays, but it cannot
	 * be shown again until a guest flips it.
	 */
	show_black(d);
	ret = try_show(d, d->primary, &fb);
	igt_assert_f(ret < 0, "fb %u was shown again after VFIO close\n", id);
	show_black(d);
}

static void test_destroy_while_assigned(data_t *d)
{
	struct igt_fb fb;
	drmModePlane *p;
	drmModeFB2 *f;
	struct vmm v;
	uint32_t id;
	int fd;

	igt_require_f(d->allow_destroy, "destroys the vGPU: set IGT_GVT_DESTROY=1 or --allow-destroy\n");
	vmm_require(d, &v);	/* only to know no VMM holds the vGPU */
	vmm_close(&v);
	id = vplane_fb(d, PLANE_A_PRIMARY);
	igt_require_f(id, "pipe_a_primary has no framebuffer\n");
	assign_current(d, PLANE_A_PRIMARY, &fb);

	fd = openat(d->vgpu_dir, "remove", O_WRONLY);
	igt_assert_f(fd >= 0, "%s/remove: %m\n", d->vgpu);
	igt_assert_f(write(fd, "1", 1) == 1, "removing the vGPU: %m\n");
	close(fd);

	f = drmModeGetFB2(d->drm_fd, id);
	igt_assert_f(!f, "fb %u still exists after the vGPU was removed\n",
		     id);
	p = drmModeGetPlane(d->drm_fd, d->primary->drm_plane->plane_id);
	igt_assert(p);
	igt_assert_neq_u32(p->fb_id, id);
	drmModeFreePlane(p);
	igt_wait_for_vblank(d->drm_fd,
			    d->display.pipes[d->pipe].crtc_offset);
	show_black(d);
}

/* ---- setup ------------------------------------------------------------ */

/* Is @fd the DRM card of the vGPU's parent PCI device? */
static bool card_is_parent(data_t *d)
{
	char path[PATH_MAX + 64];
	struct stat ours, card;
	int i;

	igt_assert(!fstat(d->drm_fd, &ours));
	for (i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "%s/../drm/card%d", d->vgpu, i);
		if (access(path, F_OK))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		if (!stat(path, &card) && card.st_rdev == ours.st_rdev)
			return true;
	}
	return false;
}

static void setup(data_t *d)
{
	const char *path = d->vgpu_arg ?: getenv("IGT_GVT_VGPU");
	const char *env;
	drmModeModeInfo *mode;
	char *s;

	env = getenv("IGT_GVT_GUEST_TIMEOUT");
	if (env && !d->timeout_arg)
		igt_assert_f(!gvt_dflip_parse_timeout(env, &d->timeout),
			     "IGT_GVT_GUEST_TIMEOUT='%s' is not a number of seconds in 1..%d\n",
			     env, GVT_DFLIP_MAX_TIMEOUT);
	env = getenv("IGT_GVT_DESTROY");
	if (env && !strcmp(env, "1"))
		d->allow_destroy = true;

	d->drm_fd = drm_open_driver_master(DRIVER_INTEL);
	igt_require_f(intel_display_ver(intel_get_drm_devid(d->drm_fd)) == 9,
		      "direct flip needs Gen9 display (this is display version %u)\n",
		      intel_display_ver(intel_get_drm_devid(d->drm_fd)));
	igt_require_f(path, "no vGPU given: set IGT_GVT_VGPU=/sys/bus/pci/devices/<BDF>/<UUID> or pass --vgpu\n");
	igt_require_f(realpath(path, d->vgpu), "vGPU %s: %m\n", path);
	d->uuid = strrchr(d->vgpu, '/') + 1;
	d->vgpu_dir = open(d->vgpu, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	igt_require_f(d->vgpu_dir >= 0, "vGPU %s: %m\n", d->vgpu);
	igt_require_f(!faccessat(d->vgpu_dir, "intel_vgpu_planes", F_OK, 0),
		      "%s has no intel_vgpu_planes/: not a GVT-g vGPU, or a kernel without direct flip\n",
		      d->vgpu);
	igt_require_f(card_is_parent(d),
		      "the opened card is not the DRM device of the vGPU's parent %s/..: select it with IGT_DEVICE\n",
		      d->vgpu);
	s = igt_sysfs_get(d->vgpu_dir, "intel_vgpu/vgpu_id");
	igt_assert_f(s, "%s/intel_vgpu/vgpu_id: %m\n", d->vgpu);
	d->vgpu_id = atoi(s);
	free(s);

	d->debugfs = igt_debugfs_dir(d->drm_fd);
	igt_require_f(d->debugfs >= 0, "no debugfs directory of the card\n");
	{
		char dpath[64];

		snprintf(dpath, sizeof(dpath), "gvt/vgpu%u/dflip", d->vgpu_id);
		s = igt_sysfs_get(d->debugfs, dpath);
		igt_require_f(s, "no <debugfs>/dri/N/%s (debugfs not mounted?)\n",
			      dpath);
		igt_require_f(!strstr(s, "unsupported"),
			      "direct flip is unsupported on this vGPU\n");
		free(s);
	}

	kmstest_set_vt_graphics_mode();
	igt_display_require(&d->display, d->drm_fd);
	igt_require_f(d->display.is_atomic, "no atomic modesetting\n");
	igt_display_require_output(&d->display);
	for_each_pipe_with_single_output(&d->display, d->pipe, d->output)
		break;
	igt_require_f(d->output, "no connected output\n");
	igt_output_set_pipe(d->output, d->pipe);
	d->primary = igt_output_get_plane_type(d->output,
					       DRM_PLANE_TYPE_PRIMARY);
	mode = igt_output_get_mode(d->output);
	igt_create_color_fb(d->drm_fd, mode->hdisplay, mode->vdisplay,
			    DRM_FORMAT_XRGB8888, DRM_FORMAT_MOD_LINEAR,
			    0.0, 0.0, 0.0, &d->black);
	show_black(d);
	d->crc = igt_pipe_crc_new(d->drm_fd, d->pipe,
				  IGT_PIPE_CRC_SOURCE_AUTO);
	igt_info("vGPU %s (vgpu%u), pipe %s, output %s\n", d->vgpu,
		 d->vgpu_id, kmstest_pipe_name(d->pipe), d->output->name);
}

static int opt_handler(int opt, int opt_index, void *arg)
{
	data_t *d = arg;

	switch (opt) {
	case 'v':
		d->vgpu_arg = optarg;
		break;
	case 't':
		if (gvt_dflip_parse_timeout(optarg, &d->timeout)) {
			fprintf(stderr, "--guest-timeout '%s' is not a number of seconds in 1..%d\n",
				optarg, GVT_DFLIP_MAX_TIMEOUT);
			return IGT_OPT_HANDLER_ERROR;
		}
		d->timeout_arg = true;
		break;
	case 'D':
		d->allow_destroy = true;
		break;
	default:
		return IGT_OPT_HANDLER_ERROR;
	}
	return IGT_OPT_HANDLER_SUCCESS;
}

static const struct option long_opts[] = {
	{ .name = "vgpu", .has_arg = true, .val = 'v' },
	{ .name = "guest-timeout", .has_arg = true, .val = 't' },
	{ .name = "allow-destroy", .has_arg = false, .val = 'D' },
	{}
};

static const char help_str[] =
	"  --vgpu PATH           the vGPU: /sys/bus/pci/devices/<BDF>/<UUID>\n"
	"                        (default $IGT_GVT_VGPU)\n"
	"  --guest-timeout SEC   how long to wait for the guest's flips, geometry\n"
	"                        change or bad flip (default $IGT_GVT_GUEST_TIMEOUT or 60)\n"
	"  --allow-destroy       let destroy-while-assigned remove the vGPU\n"
	"                        (or IGT_GVT_DESTROY=1)\n";

igt_main_args("", long_opts, help_str, opt_handler, &data)
{
	igt_fixture
		setup(&data);

	igt_describe("plane_id_index and intel_vgpu_planes/ name the same framebuffers of the parent's DRM device");
	igt_subtest("fb-lookup-sysfs")
		test_fb_lookup_sysfs(&data);

	igt_describe("VFIO_DEVICE_QUERY_GFX_PLANE with VFIO_GFX_PLANE_TYPE_DRM_FB agrees with sysfs and GETFB2");
	igt_subtest("fb-lookup-vfio")
		test_fb_lookup_vfio(&data);

	igt_describe("Assign the vGPU framebuffer to a hardware plane, refuse a second one, unassign");
	igt_subtest("assign-unassign")
		test_assign_unassign(&data);

	igt_describe("The pipe CRC changes when the guest flips");
	igt_subtest("guest-flip-crc")
		test_guest_flip_crc(&data);

	igt_describe("The guest's framebuffer scaled to the mode by the plane scaler, aspect kept, and its flips shown");
	igt_subtest("assign-scaled")
		test_assign_scaled(&data);

	igt_describe("The pipe CRC is stable while the guest does not flip");
	igt_subtest("guest-idle-crc-stable")
		test_guest_idle_crc_stable(&data);

	igt_describe("A guest geometry change sends a uevent with the new framebuffer, which can be re-committed");
	igt_subtest("geometry-change")
		test_geometry_change(&data);

	igt_describe("A rejected guest flip is counted in debugfs and does not change the screen");
	igt_subtest("rejected-flip")
		test_rejected_flip(&data);

	igt_describe("VFIO close while assigned takes the framebuffer off and keeps the ids");
	igt_subtest("teardown-while-assigned")
		test_teardown_while_assigned(&data);

	igt_describe("Removing the vGPU while assigned takes its framebuffer off the plane");
	igt_subtest("destroy-while-assigned")
		test_destroy_while_assigned(&data);

	igt_fixture {
		if (data.crc)
			igt_pipe_crc_free(data.crc);
		igt_plane_set_fb(data.primary, NULL);
		igt_output_set_pipe(data.output, PIPE_NONE);
		igt_display_commit2(&data.display, COMMIT_ATOMIC);
		igt_remove_fb(data.drm_fd, &data.black);
		igt_display_fini(&data.display);
		close(data.vgpu_dir);
		close(data.debugfs);
		drm_close_driver(data.drm_fd);
	}
}
