// SPDX-License-Identifier: GPL-2.0-only
/*
 * Opening DRM devices and reading KMS object properties.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "gvt-dflip.h"

int dflip_err(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("gvt-dflip: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/* Strict decimal: no sign, no junk, no empty string, no overflow. */
int dflip_parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > UINT32_MAX)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

/* Map an errno from a DRM ioctl to the tool's exit code. */
int dflip_errno_code(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
		return EX_DFLIP_ACCESS;
	case ENOENT:
		return EX_DFLIP_UNKNOWN;
	case EBUSY:
		return EX_DFLIP_LEASE;
	default:
		return EX_DFLIP_DRM;
	}
}

static bool has_kms(int fd)
{
	drmModeRes *res = drmModeGetResources(fd);
	bool ok = res && res->count_crtcs > 0;

	drmModeFreeResources(res);
	return ok;
}

/* The first /dev/dri/cardN with CRTCs. */
int dflip_dev_default(char *path, size_t len)
{
	int i, fd;

	for (i = 0; i < 16; i++) {
		snprintf(path, len, "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (has_kms(fd)) {
			close(fd);
			return 0;
		}
		close(fd);
	}
	return -ENODEV;
}

/*
 * Open @path, or use the inherited lease file @lease_fd when it is >= 0.
 * Returns 0 or an exit code.
 */
int dflip_dev_open(struct dflip_dev *d, const char *path, int lease_fd)
{
	memset(d, 0, sizeof(*d));
	if (lease_fd >= 0) {
		if (fcntl(lease_fd, F_GETFD) < 0)
			return dflip_err(EX_DFLIP_MASTER,
					 "lease fd %d is not open", lease_fd);
		d->fd = lease_fd;
		d->lessee = true;
		snprintf(d->path, sizeof(d->path), "lease fd %d", lease_fd);
	} else {
		if (path)
			snprintf(d->path, sizeof(d->path), "%s", path);
		else if (dflip_dev_default(d->path, sizeof(d->path)))
			return dflip_err(EX_DFLIP_MASTER,
					 "no DRM device with CRTCs found");
		d->fd = open(d->path, O_RDWR | O_CLOEXEC);
		if (d->fd < 0)
			return dflip_err(EX_DFLIP_MASTER, "cannot open %s: %s",
					 d->path, strerror(errno));
	}
	if (drmSetClientCap(d->fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1)) {
		int err = errno;

		dflip_dev_close(d);
		return dflip_err(EX_DFLIP_MASTER, "%s is no KMS device: %s",
				 d->path, strerror(err));
	}
	d->atomic = !getenv("GVT_DFLIP_NO_ATOMIC") &&
		    !drmSetClientCap(d->fd, DRM_CLIENT_CAP_ATOMIC, 1);
	return 0;
}

/* Become (or check that we are) DRM master. Returns 0 or an exit code. */
int dflip_dev_master(struct dflip_dev *d)
{
	if (drmIsMaster(d->fd) || !drmSetMaster(d->fd))
		return 0;
	return dflip_err(EX_DFLIP_MASTER,
			 "not DRM master of %s (another process holds it)",
			 d->path);
}

void dflip_dev_close(struct dflip_dev *d)
{
	if (d->fd >= 0 && !d->lessee)
		close(d->fd);
	d->fd = -1;
}

/* Id and value of the property @name of a KMS object; 0 id if none. */
uint32_t dflip_prop_find(int fd, uint32_t obj, uint32_t type,
			 const char *name, uint64_t *val)
{
	drmModeObjectProperties *props;
	drmModePropertyRes *p;
	uint32_t i, id = 0;

	props = drmModeObjectGetProperties(fd, obj, type);
	if (!props)
		return 0;
	for (i = 0; i < props->count_props && !id; i++) {
		p = drmModeGetProperty(fd, props->props[i]);
		if (p && !strcmp(p->name, name)) {
			id = p->prop_id;
			if (val)
				*val = props->prop_values[i];
		}
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
	return id;
}

uint64_t dflip_prop(int fd, uint32_t obj, uint32_t type, const char *name,
		    bool *found)
{
	uint64_t val = 0;
	uint32_t id = dflip_prop_find(fd, obj, type, name, &val);

	if (found)
		*found = id != 0;
	return val;
}

/*
 * drmModeGetFB2 hands GEM handles to a master; the tool never needs them,
 * so close them at once instead of leaking them into the DRM file.
 */
drmModeFB2 *dflip_getfb2(int fd, uint32_t fb)
{
	drmModeFB2 *f = drmModeGetFB2(fd, fb);
	int i, j;

	if (!f)
		return NULL;
	for (i = 0; i < 4; i++) {
		for (j = 0; j < i; j++)
			if (f->handles[j] == f->handles[i])
				break;
		if (f->handles[i] && j == i)
			drmCloseBufferHandle(fd, f->handles[i]);
	}
	return f;
}

const char *dflip_plane_type_name(uint64_t type)
{
	switch (type) {
	case DRM_PLANE_TYPE_PRIMARY:
		return "primary";
	case DRM_PLANE_TYPE_CURSOR:
		return "cursor";
	default:
		return "overlay";
	}
}

/* "XR24 64x64 mod 0x0" for a framebuffer id, or -errno. */
int dflip_fb_format(int fd, uint32_t fb, char *buf, size_t len)
{
	drmModeFB2 *f = dflip_getfb2(fd, fb);
	uint32_t fmt;

	if (!f)
		return -errno;
	fmt = f->pixel_format;
	snprintf(buf, len, "%c%c%c%c %ux%u mod 0x%llx", fmt & 0xff,
		 (fmt >> 8) & 0xff, (fmt >> 16) & 0xff, (fmt >> 24) & 0xff,
		 f->width, f->height, (unsigned long long)f->modifier);
	drmModeFreeFB2(f);
	return 0;
}
