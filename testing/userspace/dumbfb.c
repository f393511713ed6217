// SPDX-License-Identifier: GPL-2.0-only
/*
 * dumbfb: stands in for a vGPU framebuffer in the userspace tier. Creates a
 * dumb buffer, fills it with a known pattern, adds a framebuffer for it,
 * prints "fb <id>", drops DRM master so that another process can take it,
 * and keeps the framebuffer alive until SIGTERM/SIGINT.
 *
 *   dumbfb --device /dev/dri/cardN [--size WxH] [--format XR24|AR24]
 *          [--fill 0xAARRGGBB | --bars]
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

struct opts {
	const char *device;
	uint32_t w, h, format, fill;
	int bars;
};

static const uint32_t bars[] = {
	0xffffffff, 0xffffff00, 0xff00ffff, 0xff00ff00,
	0xffff00ff, 0xffff0000, 0xff0000ff, 0xff000000,
};

static int die(const char *what)
{
	fprintf(stderr, "dumbfb: %s: %s\n", what, strerror(errno));
	return 1;
}

static int parse_arg(const char *opt, const char *v, struct opts *o)
{
	if (!strcmp(opt, "--device"))
		o->device = v;
	else if (!strcmp(opt, "--size"))
		return sscanf(v, "%ux%u", &o->w, &o->h) == 2 ? 0 : -1;
	else if (!strcmp(opt, "--format") && strlen(v) == 4)
		o->format = fourcc_code(v[0], v[1], v[2], v[3]);
	else if (!strcmp(opt, "--fill"))
		o->fill = strtoul(v, NULL, 0);
	else
		return -1;
	o->bars = o->bars && strcmp(opt, "--fill");
	return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
	int i;

	*o = (struct opts){ .w = 1024, .h = 768,
			    .format = DRM_FORMAT_XRGB8888, .bars = 1 };
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--bars")) {
			o->bars = 1;
			continue;
		}
		if (i + 1 == argc || parse_arg(argv[i], argv[i + 1], o)) {
			fprintf(stderr, "dumbfb: bad argument %s\n", argv[i]);
			return -1;
		}
		i++;
	}
	return o->device && o->w && o->h ? 0 : -1;
}

static void fill(uint32_t *px, uint32_t pitch, const struct opts *o)
{
	uint32_t x, y, n = sizeof(bars) / sizeof(bars[0]);

	for (y = 0; y < o->h; y++)
		for (x = 0; x < o->w; x++)
			px[y * (pitch / 4) + x] = o->bars ?
				bars[x * n / o->w] : o->fill;
}

static int make_fb(int fd, const struct opts *o, uint32_t *fb)
{
	struct drm_mode_create_dumb c = { .width = o->w, .height = o->h,
					  .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	void *map;

	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
		return die("create dumb buffer");
	m.handle = c.handle;
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m))
		return die("map dumb buffer");
	map = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   m.offset);
	if (map == MAP_FAILED)
		return die("mmap");
	fill(map, c.pitch, o);
	munmap(map, c.size);
	handles[0] = c.handle;
	pitches[0] = c.pitch;
	if (drmModeAddFB2(fd, o->w, o->h, o->format, handles, pitches,
			  offsets, fb, 0))
		return die("add framebuffer");
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	sigset_t set;
	uint32_t fb;
	int fd, sig;

	if (parse(argc, argv, &o)) {
		fprintf(stderr, "usage: dumbfb --device D [--size WxH] [--format XR24|AR24] [--fill 0xAARRGGBB | --bars]\n");
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = open(o.device, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return die(o.device);
	if (make_fb(fd, &o, &fb))
		return 1;
	/* the first opener became master: let the tool under test take it */
	if (drmIsMaster(fd) && drmDropMaster(fd))
		return die("drop master");
	printf("fb %u\n", fb);
	fflush(stdout);
	sigwait(&set, &sig);
	close(fd);
	return 0;
}
