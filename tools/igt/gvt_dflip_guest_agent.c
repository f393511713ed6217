// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * gvt_dflip_guest_agent: runs in the GVT-g guest of `make hwtest` and does,
 * on the guest's first CRTC (the vGPU's pipe A), what kms_gvt_direct_flip
 * waits for on the host, in a loop:
 *
 *   flip      10 s  page flips every 100 ms between two framebuffers of
 *                   different content
 *   idle      10 s  no plane update at all
 *   geometry   5 s  the same picture in a framebuffer with a larger
 *                   stride (a new geometry for direct flip), then back
 *   bad flip   5 s  one write of PLANE_SURF_1_A with an address outside
 *                   the guest's graphics memory through the vGPU's MMIO
 *                   BAR (GVT rejects it), then idle
 *
 *   gvt_dflip_guest_agent [--cycles N] [--device /dev/dri/cardN]
 *
 * Needs root, no other DRM master in the guest, and for the bad flip a
 * mappable BAR 0 (a guest kernel with CONFIG_IO_STRICT_DEVMEM may need
 * iomem=relaxed; without it that phase is reported and skipped).
 * Build: gcc -O2 -Wall $(pkg-config --cflags libdrm) -o gvt_dflip_guest_agent
 *        gvt_dflip_guest_agent.c -ldrm
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "gvt_dflip_args.h"

#define PLANE_SURF_1_A	0x7019c
#define BAD_SURFACE	0xfffc0000u	/* 256 KiB aligned, beyond any slice */

struct agent_fb {
	uint32_t id, handle, pitch, width, height;
	uint64_t size;
	uint32_t *map;
};

struct agent {
	int fd;
	uint32_t crtc, conn;
	drmModeModeInfo mode;
	struct agent_fb a, b, wide;
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	struct timespec ts;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("[%6ld.%03ld] ", (long)ts.tv_sec, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* A dumb XRGB8888 framebuffer, @pad pixels wider in memory than shown. */
static int fb_create(struct agent *ag, struct agent_fb *fb, uint32_t pad,
		     uint32_t seed)
{
	struct drm_mode_create_dumb cd = {
		.width = ag->mode.hdisplay + pad, .height = ag->mode.vdisplay,
		.bpp = 32,
	};
	struct drm_mode_map_dumb md = { 0 };
	uint32_t x, y;

	if (drmIoctl(ag->fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd))
		return -errno;
	fb->handle = cd.handle;
	fb->pitch = cd.pitch;
	fb->size = cd.size;
	fb->width = ag->mode.hdisplay;
	fb->height = ag->mode.vdisplay;
	md.handle = cd.handle;
	if (drmIoctl(ag->fd, DRM_IOCTL_MODE_MAP_DUMB, &md))
		return -errno;
	fb->map = mmap(NULL, cd.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       ag->fd, md.offset);
	if (fb->map == MAP_FAILED)
		return -errno;
	/* stripes whose colours depend on @seed: a and b differ everywhere */
	for (y = 0; y < fb->height; y++)
		for (x = 0; x < fb->width; x++)
			fb->map[y * (fb->pitch / 4) + x] =
				(((x / 64 + y / 64 + seed) & 1) ? 0xff0000ff :
				 0xffffff00) ^ (seed * 0x00404040);
	if (drmModeAddFB(ag->fd, fb->width, fb->height, 24, 32, fb->pitch,
			 fb->handle, &fb->id))
		return -errno;
	return 0;
}

static int setup(struct agent *ag, const char *path)
{
	drmModeRes *res;
	drmModeConnector *c = NULL;
	int i, ret;

	ag->fd = open(path, O_RDWR | O_CLOEXEC);
	if (ag->fd < 0)
		return -errno;
	if (drmSetMaster(ag->fd))
		return -errno;
	res = drmModeGetResources(ag->fd);
	if (!res || !res->count_crtcs)
		return -ENODEV;
	ag->crtc = res->crtcs[0];	/* the vGPU's pipe A */
	for (i = 0; i < res->count_connectors; i++) {
		c = drmModeGetConnector(ag->fd, res->connectors[i]);
		if (c && c->connection == DRM_MODE_CONNECTED &&
		    c->count_modes)
			break;
		drmModeFreeConnector(c);
		c = NULL;
	}
	drmModeFreeResources(res);
	if (!c)
		return -ENOENT;
	ag->conn = c->connector_id;
	ag->mode = c->modes[0];
	drmModeFreeConnector(c);
	ret = fb_create(ag, &ag->a, 0, 1);
	if (!ret)
		ret = fb_create(ag, &ag->b, 0, 2);
	if (!ret)
		ret = fb_create(ag, &ag->wide, 64, 1);
	return ret;
}

static int show(struct agent *ag, struct agent_fb *fb)
{
	return drmModeSetCrtc(ag->fd, ag->crtc, fb->id, 0, 0, &ag->conn, 1,
			      &ag->mode) ? -errno : 0;
}

static void flip_done(int fd, unsigned int seq, unsigned int sec,
		      unsigned int usec, void *data)
{
	*(bool *)data = true;
}

/* Page flip to @fb and wait for its completion. */
static int flip(struct agent *ag, struct agent_fb *fb)
{
	drmEventContext ev = {
		.version = 2, .page_flip_handler = flip_done,
	};
	struct pollfd pfd = { .fd = ag->fd, .events = POLLIN };
	bool done = false;

	if (drmModePageFlip(ag->fd, ag->crtc, fb->id,
			    DRM_MODE_PAGE_FLIP_EVENT, &done))
		return -errno;
	while (!done) {
		if (poll(&pfd, 1, 1000) != 1)
			return -ETIMEDOUT;
		drmHandleEvent(ag->fd, &ev);
	}
	return 0;
}

/* One write of PLANE_SURF_1_A through the device's BAR 0. */
static int bad_flip(struct agent *ag, const char *card)
{
	char path[256];
	volatile uint32_t *mmio;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/drm/%s/device/resource0",
		 strrchr(card, '/') + 1);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		return -errno;
	mmio = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (mmio == MAP_FAILED)
		return -errno;
	mmio[PLANE_SURF_1_A / 4] = BAD_SURFACE;
	munmap((void *)mmio, 1 << 20);
	return 0;
}

int main(int argc, char **argv)
{
	const char *card = "/dev/dri/card0";
	struct agent ag = { 0 };
	long cycles = -1, n;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cycles") && i + 1 < argc) {
			if (gvt_dflip_parse_pos(argv[++i], LONG_MAX, &cycles)) {
				fprintf(stderr, "gvt_dflip_guest_agent: --cycles '%s' is not a positive number\n",
					argv[i]);
				return 1;
			}
		} else if (!strcmp(argv[i], "--device") && i + 1 < argc)
			card = argv[++i];
		else {
			fprintf(stderr, "usage: %s [--cycles N] [--device /dev/dri/cardN]\n",
				argv[0]);
			return 1;
		}
	}
	ret = setup(&ag, card);
	if (ret) {
		fprintf(stderr, "gvt_dflip_guest_agent: %s: %s\n", card,
			strerror(-ret));
		return 2;
	}
	if (show(&ag, &ag.a)) {
		fprintf(stderr, "gvt_dflip_guest_agent: modeset: %m\n");
		return 2;
	}
	say("crtc %u, %ux%u", ag.crtc, ag.mode.hdisplay, ag.mode.vdisplay);
	for (n = 0; cycles < 0 || n < cycles; n++) {
		say("flip");
		for (i = 0; i < 100; i++) {
			ret = flip(&ag, i & 1 ? &ag.a : &ag.b);
			if (ret)
				say("page flip: %s", strerror(-ret));
			usleep(100 * 1000);
		}
		say("idle");
		sleep(10);
		say("geometry");
		if (show(&ag, &ag.wide))
			say("wide framebuffer: %m");
		sleep(5);
		if (show(&ag, &ag.a))
			say("back: %m");
		say("bad flip");
		ret = bad_flip(&ag, card);
		if (ret)
			say("bad flip skipped: BAR 0: %s", strerror(-ret));
		sleep(5);
	}
	return 0;
}
