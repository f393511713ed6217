// SPDX-License-Identifier: GPL-2.0-only
/*
 * GVT-g direct flip: the vGPU plane sysfs ABI and the host DRM side.
 *
 * /sys/bus/pci/devices/<BDF>/<UUID>/intel_vgpu/
 *	plane_id_index	rw root: "N" selects plane N (0..8), reads back the
 *			DRM framebuffer id of the selected plane
 *	../intel_vgpu_planes/pipe_{a,b,c}_{primary,sprite,cursor}
 *			ro: that plane's framebuffer id
 *	dflip_lessee	rw root: the DRM lessee id the vGPU is bound to
 * /sys/bus/pci/devices/<BDF>/drm/cardN: the i915 device of the ids.
 *
 * The access policy: a vGPU framebuffer id is found (GETFB2) by a root
 * non-lessee, not by the same DRM file used by a non-root task, and by a
 * lessee only while the vGPU is bound to its lessee id.
 *
 * The vGPU tests need an Intel Gen9 host with a vGPU and skip otherwise;
 * the plane table, the parser and the DRM discovery run anywhere.
 */
#define _GNU_SOURCE	/* setresuid() */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "kselftest_harness.h"

#ifndef noinline
#define noinline __attribute__((noinline))
#endif

#define NO_VGPU "no GVT-g vGPU (needs an Intel Gen9 host with a vGPU created)"
#define NPLANES 9

static const char *const plane_names[NPLANES] = {
	"pipe_a_primary", "pipe_a_sprite", "pipe_a_cursor",
	"pipe_b_primary", "pipe_b_sprite", "pipe_b_cursor",
	"pipe_c_primary", "pipe_c_sprite", "pipe_c_cursor",
};

/* Plane number of a plane name, or -1. */
static int plane_number(const char *name)
{
	static const char *const kinds[] = { "primary", "sprite", "cursor" };
	int k;

	if (strncmp(name, "pipe_", 5) || name[5] < 'a' || name[5] > 'c' ||
	    name[6] != '_')
		return -1;
	for (k = 0; k < 3; k++)
		if (!strcmp(name + 7, kinds[k]))
			return (name[5] - 'a') * 3 + k;
	return -1;
}

/* A sysfs framebuffer id: decimal digits and one newline, nothing else. */
static int parse_fb_id(const char *s, unsigned int *id)
{
	unsigned long long v = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > UINT_MAX)
			return -ERANGE;
	}
	if (strcmp(p, "\n"))
		return -EINVAL;
	*id = v;
	return 0;
}

static bool is_uuid(const char *s)
{
	int i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

/* First vGPU: its intel_vgpu directory and its parent's PCI directory. */
static bool find_vgpu(char *dir, size_t len, char *pci, size_t plen)
{
	const char *base = "/sys/bus/pci/devices";
	struct dirent *d, *u;
	DIR *bus, *dev;
	bool found = false;

	bus = opendir(base);
	while (bus && !found && (d = readdir(bus))) {
		if (d->d_name[0] == '.')
			continue;
		if (snprintf(pci, plen, "%s/%s", base, d->d_name) >= (int)plen)
			continue;
		dev = opendir(pci);
		while (dev && !found && (u = readdir(dev))) {
			if (!is_uuid(u->d_name))
				continue;
			found = snprintf(dir, len, "%s/%s/intel_vgpu", pci,
					 u->d_name) < (int)len &&
				!access(dir, F_OK);
		}
		if (dev)
			closedir(dev);
	}
	if (bus)
		closedir(bus);
	return found;
}

/* Open the /dev/dri/cardN whose driver is @driver, or under @pci/drm. */
static int open_card(const char *driver, const char *pci)
{
	char path[PATH_MAX];
	drmVersion *v;
	int i, fd;

	for (i = 0; i < 16; i++) {
		if (pci) {
			snprintf(path, sizeof(path), "%s/drm/card%d", pci, i);
			if (access(path, F_OK))
				continue;
		}
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (pci || (v && !strcmp(v->name, driver))) {
			drmFreeVersion(v);
			return fd;
		}
		drmFreeVersion(v);
		close(fd);
	}
	return -1;
}

static int read_attr(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* Write like `echo -n`; returns 0 or -errno. */
static int write_attr(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

TEST(plane_table)
{
	int n;

	for (n = 0; n < NPLANES; n++) {
		const char *name = plane_names[n];

		EXPECT_EQ(n, plane_number(name)) TH_LOG("%s", name);
	}
	EXPECT_EQ(-1, plane_number("pipe_d_primary"));
	EXPECT_EQ(-1, plane_number("pipe_a_overlay"));
	EXPECT_EQ(-1, plane_number("pipe_a_primary2"));
	EXPECT_EQ(-1, plane_number(""));
}

TEST(fb_id_parser)
{
	unsigned int id = 0;

	EXPECT_EQ(0, parse_fb_id("0\n", &id));
	EXPECT_EQ(0U, id);
	EXPECT_EQ(0, parse_fb_id("4294967295\n", &id));
	EXPECT_EQ(4294967295U, id);
	EXPECT_EQ(-ERANGE, parse_fb_id("4294967296\n", &id));
	EXPECT_EQ(-EINVAL, parse_fb_id("42", &id));
	EXPECT_EQ(-EINVAL, parse_fb_id("42\x20\n", &id));
	EXPECT_EQ(-EINVAL, parse_fb_id("-1\n", &id));
	EXPECT_EQ(-EINVAL, parse_fb_id("\n", &id));
	EXPECT_EQ(-EINVAL, parse_fb_id("", &id));
}

TEST(drm_discovery_vkms)
{
	drmModeRes *res;
	int fd = open_card("vkms", NULL);

	if (fd < 0)
		SKIP(return, "no vkms device (load vkms to run this test)");
	res = drmModeGetResources(fd);
	ASSERT_NE(NULL, res);
	EXPECT_GE(res->count_crtcs, 1);
	EXPECT_GE(res->count_connectors, 1);
	drmModeFreeResources(res);
	close(fd);
}

FIXTURE(vgpu) {
	char dir[PATH_MAX];
	char pci[PATH_MAX];
	char index[PATH_MAX];
};

FIXTURE_SETUP(vgpu)
{
	if (!find_vgpu(self->dir, sizeof(self->dir), self->pci,
		       sizeof(self->pci)))
		SKIP(return, NO_VGPU);
	if (snprintf(self->index, sizeof(self->index), "%s/plane_id_index",
		     self->dir) >= (int)sizeof(self->index))
		SKIP(return, "sysfs path too long");
	if (geteuid())
		SKIP(return, "plane_id_index is root-only: run as root");
}

FIXTURE_TEARDOWN(vgpu)
{
}

/* Select plane @n through @index, the vGPU's plane_id_index. */
static int select_plane(struct __test_metadata *_metadata, const char *index,
			int n, unsigned int *fb)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d\n", n);
	if (write_attr(index, buf))
		return -1;
	EXPECT_EQ(0, read_attr(index, buf, sizeof(buf)));
	return parse_fb_id(buf, fb);
}

/* The framebuffer id in ../intel_vgpu_planes/<name> of plane @n (@dir: intel_vgpu) */
static unsigned int plane_fb(struct __test_metadata *_metadata,
			     const char *dir, int n)
{
	char path[PATH_MAX + 32], buf[32];
	unsigned int fb = 0;

	snprintf(path, sizeof(path), "%s/../intel_vgpu_planes/%s", dir,
		 plane_names[n]);
	EXPECT_EQ(0, read_attr(path, buf, sizeof(buf))) TH_LOG("%s", path);
	EXPECT_EQ(0, parse_fb_id(buf, &fb)) TH_LOG("%s: '%s'", path, buf);
	return fb;
}

TEST_F(vgpu, plane_id_index_valid)
{
	unsigned int fb;
	int n;

	for (n = 0; n < NPLANES; n++)
		EXPECT_EQ(0, select_plane(_metadata, self->index, n, &fb))
			TH_LOG("plane %d", n);
}

TEST_F(vgpu, plane_id_index_bad_input)
{
	static const char *const bad[] = { "abc\n", "3x\n", "-1\n", "9\n",
					   "\n" };
	unsigned int before, after;
	size_t i;

	ASSERT_EQ(0, select_plane(_metadata, self->index, 4, &before));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char buf[32];

		EXPECT_EQ(-EINVAL, write_attr(self->index, bad[i]))
			TH_LOG("input '%.*s'", (int)strlen(bad[i]) - 1, bad[i]);
		ASSERT_EQ(0, read_attr(self->index, buf, sizeof(buf)));
		ASSERT_EQ(0, parse_fb_id(buf, &after));
		EXPECT_EQ(before, after) TH_LOG("selection lost");
	}
}

TEST_F(vgpu, planes_agree_with_index)
{
	unsigned int fb;
	int n;

	for (n = 0; n < NPLANES; n++) {
		ASSERT_EQ(0, select_plane(_metadata, self->index, n, &fb));
		EXPECT_EQ(fb, plane_fb(_metadata, self->dir, n))
			TH_LOG("%s", plane_names[n]);
	}
}

TEST_F(vgpu, fb_lookup)
{
	int n, fd, seen = 0;
	drmModeFB2 *f;
	unsigned int fb;

	fd = open_card(NULL, self->pci);
	ASSERT_GE(fd, 0) TH_LOG("no DRM card under %s/drm", self->pci);
	for (n = 0; n < NPLANES; n++) {
		fb = plane_fb(_metadata, self->dir, n);
		if (!fb)
			continue;
		f = drmModeGetFB2(fd, fb);
		EXPECT_NE(NULL, f) TH_LOG("%s: fb %u: %s", plane_names[n], fb,
					  strerror(errno));
		if (f) {
			EXPECT_NE(0U, f->width);
			EXPECT_NE(0U, f->height);
			seen++;
		}
		drmModeFreeFB2(f);
	}
	close(fd);
	if (!seen)
		SKIP(return, "the vGPU shows no framebuffer (guest display off)");
}

/* A free non-cursor plane of an active CRTC, for the primary fb. */
static bool free_plane(int fd, uint32_t *plane, uint32_t *crtc,
		       drmModeModeInfo *mode)
{
	drmModeRes *res = drmModeGetResources(fd);
	drmModePlaneRes *pr = drmModeGetPlaneResources(fd);
	drmModeCrtc *c;
	drmModePlane *p;
	bool found = false;
	uint32_t i;
	int j;

	for (j = 0; res && pr && j < res->count_crtcs && !found; j++) {
		c = drmModeGetCrtc(fd, res->crtcs[j]);
		for (i = 0; c && c->mode_valid && i < pr->count_planes &&
		     !found; i++) {
			p = drmModeGetPlane(fd, pr->planes[i]);
			found = p && !p->fb_id &&
				(p->possible_crtcs & (1u << j));
			if (found) {
				*plane = p->plane_id;
				*crtc = c->crtc_id;
				*mode = c->mode;
			}
			drmModeFreePlane(p);
		}
		drmModeFreeCrtc(c);
	}
	drmModeFreePlaneResources(pr);
	drmModeFreeResources(res);
	return found;
}

/*
 * Show @fb on a free plane and take it off again. Returns why it could not
 * try, or NULL with *err set. Not inlined into the test, whose frame the
 * harness's setjmp() shares.
 */
static noinline const char *setplane(int fd, unsigned int fb, int *err)
{
	uint32_t plane, crtc, w, h;
	drmModeModeInfo mode;
	drmModeFB2 *f;

	*err = 0;
	if (!drmIsMaster(fd) && drmSetMaster(fd))
		return "another process holds DRM master of the i915 card";
	if (!free_plane(fd, &plane, &crtc, &mode))
		return "no free plane on an active CRTC";
	f = drmModeGetFB2(fd, fb);
	if (!f) {
		*err = errno;
		return NULL;
	}
	w = f->width < mode.hdisplay ? f->width : mode.hdisplay;
	h = f->height < mode.vdisplay ? f->height : mode.vdisplay;
	drmModeFreeFB2(f);
	if (drmModeSetPlane(fd, plane, crtc, fb, 0, 0, 0, w, h, 0, 0,
			    w << 16, h << 16))
		*err = errno;
	else if (drmModeSetPlane(fd, plane, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
		*err = errno;
	return NULL;
}

TEST_F(vgpu, setplane_with_fb_id)
{
	const char *skip;
	unsigned int fb;
	int fd, err;

	fb = plane_fb(_metadata, self->dir, 0);
	if (!fb)
		SKIP(return, "pipe_a_primary has no framebuffer (guest display off)");
	fd = open_card(NULL, self->pci);
	ASSERT_GE(fd, 0);
	drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	skip = setplane(fd, fb, &err);
	close(fd);
	if (skip)
		SKIP(return, "%s", skip);
	EXPECT_EQ(0, err) TH_LOG("SetPlane with fb %u: %s", fb, strerror(err));
}

/* The first plane of the vGPU with a framebuffer, 0 if none. */
static unsigned int any_plane_fb(struct __test_metadata *_metadata,
				 const char *dir)
{
	unsigned int fb = 0;
	int n;

	for (n = 0; n < NPLANES && !fb; n++)
		fb = plane_fb(_metadata, dir, n);
	return fb;
}

TEST_F(vgpu, dflip_lessee_bad_input)
{
	static const char *const bad[] = { "abc\n", "5x\n", "-1\n", "0x5\n",
					   "2147483648\n", "\n" };
	char path[PATH_MAX + 16], saved[32], buf[32];
	size_t i;

	snprintf(path, sizeof(path), "%s/dflip_lessee", self->dir);
	ASSERT_EQ(0, read_attr(path, saved, sizeof(saved))) TH_LOG("%s", path);
	ASSERT_EQ(0, write_attr(path, "5\n"));
	ASSERT_EQ(0, read_attr(path, buf, sizeof(buf)));
	EXPECT_STREQ("5\n", buf);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, write_attr(path, bad[i]))
			TH_LOG("input '%.*s'", (int)strlen(bad[i]) - 1, bad[i]);
		ASSERT_EQ(0, read_attr(path, buf, sizeof(buf)));
		EXPECT_STREQ("5\n", buf) TH_LOG("binding lost");
	}
	EXPECT_EQ(0, write_attr(path, saved));
}

/*
 * The same DRM file, used by a task without CAP_SYS_ADMIN (as a session
 * compositor with a file from logind): the vGPU's ids do not exist for it.
 */
TEST_F(vgpu, fb_refused_to_non_root)
{
	unsigned int fb = any_plane_fb(_metadata, self->dir);
	drmModeFB2 *f;
	int fd, status;
	pid_t pid;

	if (!fb)
		SKIP(return, "the vGPU shows no framebuffer (guest display off)");
	fd = open_card(NULL, self->pci);
	ASSERT_GE(fd, 0);
	f = drmModeGetFB2(fd, fb);
	EXPECT_NE(NULL, f) TH_LOG("root: fb %u: %s", fb, strerror(errno));
	drmModeFreeFB2(f);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		if (setresuid(65534, 65534, 65534))
			_exit(2);
		f = drmModeGetFB2(fd, fb);
		_exit(f ? 1 : errno == ENOENT ? 0 : 3);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	close(fd);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("non-root GETFB2 of fb %u: %s", fb,
		       WEXITSTATUS(status) == 1 ? "found" :
		       WEXITSTATUS(status) == 2 ? "setresuid failed" :
		       "failed, but not with ENOENT");
}

/* Lease CRTC 0, one connector and the planes of CRTC 0: the lease fd. */
static int lease_crtc0(int fd, uint32_t *lessee)
{
	drmModeRes *res = drmModeGetResources(fd);
	drmModePlaneRes *pr = drmModeGetPlaneResources(fd);
	uint32_t obj[64];
	drmModePlane *p;
	int n = 0, lfd = -1;
	uint32_t i;

	if (res && pr && res->count_crtcs && res->count_connectors) {
		obj[n++] = res->crtcs[0];
		obj[n++] = res->connectors[0];
		for (i = 0; i < pr->count_planes && n < 64; i++) {
			p = drmModeGetPlane(fd, pr->planes[i]);
			if (p && (p->possible_crtcs & 1))
				obj[n++] = p->plane_id;
			drmModeFreePlane(p);
		}
		lfd = drmModeCreateLease(fd, obj, n, O_CLOEXEC, lessee);
	}
	drmModeFreePlaneResources(pr);
	drmModeFreeResources(res);
	return lfd;
}

/* A lessee (even a root one) finds the vGPU's fb only while bound to it. */
TEST_F(vgpu, fb_for_bound_lessee_only)
{
	unsigned int fb = any_plane_fb(_metadata, self->dir);
	char path[PATH_MAX + 16], saved[32], buf[32];
	uint32_t lessee = 0;
	drmModeFB2 *f;
	int fd, lfd;

	if (!fb)
		SKIP(return, "the vGPU shows no framebuffer (guest display off)");
	snprintf(path, sizeof(path), "%s/dflip_lessee", self->dir);
	ASSERT_EQ(0, read_attr(path, saved, sizeof(saved)));
	fd = open_card(NULL, self->pci);
	ASSERT_GE(fd, 0);
	drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	if (!drmIsMaster(fd) && drmSetMaster(fd)) {
		close(fd);
		SKIP(return, "another process holds DRM master of the i915 card");
	}
	lfd = lease_crtc0(fd, &lessee);
	if (lfd < 0) {
		close(fd);
		SKIP(return, "cannot lease CRTC 0: %s", strerror(errno));
	}

	EXPECT_EQ(0, write_attr(path, "0\n"));
	f = drmModeGetFB2(lfd, fb);
	EXPECT_EQ(NULL, f) TH_LOG("unbound vGPU: lessee %u found fb %u",
				  lessee, fb);
	EXPECT_EQ(ENOENT, errno);
	drmModeFreeFB2(f);

	snprintf(buf, sizeof(buf), "%u\n", lessee);
	EXPECT_EQ(0, write_attr(path, buf));
	f = drmModeGetFB2(lfd, fb);
	EXPECT_NE(NULL, f) TH_LOG("bound lessee %u: fb %u: %s", lessee, fb,
				  strerror(errno));
	drmModeFreeFB2(f);

	snprintf(buf, sizeof(buf), "%u\n", lessee + 1);
	EXPECT_EQ(0, write_attr(path, buf));
	f = drmModeGetFB2(lfd, fb);
	EXPECT_EQ(NULL, f) TH_LOG("vGPU bound to another lessee: fb %u found",
				  fb);
	drmModeFreeFB2(f);

	EXPECT_EQ(0, write_attr(path, saved));
	close(lfd);
	drmModeRevokeLease(fd, lessee);
	close(fd);
}

TEST_HARNESS_MAIN
