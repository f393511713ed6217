// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGPU side: plane numbers and names, and the intel_vgpu sysfs
 * directories of the mdev devices.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gvt-dflip.h"

static const char *const pipe_names[DFLIP_PIPES] = { "a", "b", "c" };
static const char *const kind_names[DFLIP_KINDS] = {
	"primary", "sprite", "cursor"
};

/*
 * The sysfs mount point. GVT_DFLIP_SYSFS points it at another tree, which
 * the tests use to lay out the documented vGPU ABI without a vGPU.
 */
const char *dflip_sysfs_root(void)
{
	const char *root = getenv("GVT_DFLIP_SYSFS");

	return root && *root ? root : "/sys";
}

int dflip_plane_name(unsigned int n, char *buf, size_t len)
{
	if (n >= DFLIP_PLANES)
		return -EINVAL;
	snprintf(buf, len, "pipe_%s_%s", pipe_names[n / DFLIP_KINDS],
		 kind_names[n % DFLIP_KINDS]);
	return 0;
}

enum dflip_kind dflip_plane_kind(unsigned int n)
{
	return n % DFLIP_KINDS;
}

/* "N" (0..8) or a plane name; returns the plane number or -EINVAL. */
int dflip_plane_parse(const char *s)
{
	char name[32];
	uint32_t n;
	unsigned int i;

	if (!dflip_parse_u32(s, &n))
		return n < DFLIP_PLANES ? (int)n : -EINVAL;
	for (i = 0; i < DFLIP_PLANES; i++) {
		dflip_plane_name(i, name, sizeof(name));
		if (!strcmp(s, name))
			return i;
	}
	return -EINVAL;
}

/* snprintf that fails instead of truncating a path. */
static __printf(3, 4) int pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/*
 * The first line of a sysfs attribute. Only a regular file is read (a
 * FIFO or device in a test tree would block), without blocking.
 */
static int read_line(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	ssize_t n;
	char *nl;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

static bool is_uuid(const char *s)
{
	static const char fmt[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t i;

	if (strlen(s) != sizeof(fmt) - 1)
		return false;
	for (i = 0; fmt[i]; i++) {
		if (fmt[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

/* The i915 card of a PCI device: .../<BDF>/drm/cardN -> /dev/dri/cardN */
static void find_card(const char *pcidir, char *out, size_t len)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	out[0] = '\0';
	if (pathf(path, sizeof(path), "%s/drm", pcidir))
		return;
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (!strncmp(de->d_name, "card", 4) &&
		    !strchr(de->d_name, '-') &&
		    !pathf(out, len, "/dev/dri/%s", de->d_name))
			break;
	}
	closedir(dir);
}

static void read_vgpu(struct dflip_vgpu *v)
{
	char path[PATH_MAX], name[32], line[64];
	unsigned int i;
	uint32_t val;

	v->vgpu_id = 0;
	v->has_id = false;
	if (!pathf(path, sizeof(path), "%s/vgpu_id", v->dir) &&
	    !read_line(path, line, sizeof(line)) &&
	    !dflip_parse_u32(line, &val)) {
		v->vgpu_id = val;
		v->has_id = true;
	}
	for (i = 0; i < DFLIP_PLANES; i++) {
		v->fb[i] = 0;
		dflip_plane_name(i, name, sizeof(name));
		if (!pathf(path, sizeof(path), "%s/../intel_vgpu_planes/%s", v->dir, name) &&
		    !read_line(path, line, sizeof(line)) &&
		    !dflip_parse_u32(line, &val))
			v->fb[i] = val;
	}
}

/* The vGPUs found so far: a growing array, or the one that @uuid names. */
struct vgpu_scan {
	struct dflip_vgpu *v;
	int n, max;
	const char *uuid;
	bool oom;
};

/* Room for one more vGPU; NULL when out of memory or a match is found. */
static struct dflip_vgpu *scan_slot(struct vgpu_scan *s)
{
	struct dflip_vgpu *v;

	if (s->uuid)
		return s->n ? NULL : s->v;
	if (s->n == s->max) {
		v = realloc(s->v, (s->max + 16) * sizeof(*v));
		if (!v) {
			s->oom = true;
			return NULL;
		}
		s->v = v;
		s->max += 16;
	}
	return &s->v[s->n];
}

static void scan_pci_dev(const char *pcidir, const char *bdf,
			 struct vgpu_scan *s)
{
	char path[PATH_MAX];
	struct dflip_vgpu *v;
	struct dirent *de;
	DIR *dir = opendir(pcidir);

	if (!dir)
		return;
	while ((v = scan_slot(s)) && (de = readdir(dir))) {
		if (!is_uuid(de->d_name) ||
		    (s->uuid && strcasecmp(de->d_name, s->uuid)))
			continue;
		memset(v, 0, sizeof(*v));
		if (pathf(path, sizeof(path), "%s/%s/intel_vgpu", pcidir,
			  de->d_name) || access(path, F_OK) ||
		    pathf(v->uuid, sizeof(v->uuid), "%s", de->d_name) ||
		    pathf(v->bdf, sizeof(v->bdf), "%s", bdf) ||
		    pathf(v->dir, sizeof(v->dir), "%s", path))
			continue;
		find_card(pcidir, v->card, sizeof(v->card));
		read_vgpu(v);
		s->n++;
	}
	closedir(dir);
}

static void scan(struct vgpu_scan *s)
{
	char base[PATH_MAX], pcidir[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	if (pathf(base, sizeof(base), "%s/bus/pci/devices",
		  dflip_sysfs_root()))
		return;
	dir = opendir(base);
	if (!dir)
		return;
	while (scan_slot(s) && (de = readdir(dir))) {
		if (de->d_name[0] == '.' ||
		    pathf(pcidir, sizeof(pcidir), "%s/%s", base, de->d_name))
			continue;
		scan_pci_dev(pcidir, de->d_name, s);
	}
	closedir(dir);
}

/*
 * Every vGPU found, however many, in *@v (free() it); returns how many,
 * or -ENOMEM.
 */
int dflip_vgpu_scan(struct dflip_vgpu **v)
{
	struct vgpu_scan s = { 0 };

	scan(&s);
	if (s.oom) {
		free(s.v);
		*v = NULL;
		return -ENOMEM;
	}
	*v = s.v;
	return s.n;
}

/* Does a vGPU plane report framebuffer id @fb? */
bool dflip_vgpu_has_fb(uint32_t fb)
{
	struct dflip_vgpu *v;
	int i, j, n = dflip_vgpu_scan(&v);
	bool found = false;

	for (i = 0; fb && i < n && !found; i++)
		for (j = 0; j < DFLIP_PLANES; j++)
			found |= v[i].fb[j] == fb;
	free(v);
	return found;
}

static int write_u32(const char *path, uint32_t val)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fprintf(f, "%u\n", val) < 0)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

/*
 * Bind vGPU @v to DRM lessee @lessee (intel_vgpu/dflip_lessee): only that
 * lessee may then show its planes. Returns 0 or -errno.
 */
int dflip_vgpu_bind_lessee(const struct dflip_vgpu *v, uint32_t lessee)
{
	char path[PATH_MAX];

	if (pathf(path, sizeof(path), "%s/dflip_lessee", v->dir))
		return -ENAMETOOLONG;
	return write_u32(path, lessee);
}

/* The lessee id @v is bound to (0: none) in *@lessee; 0 or -errno. */
int dflip_vgpu_lessee(const struct dflip_vgpu *v, uint32_t *lessee)
{
	char path[PATH_MAX], line[32];
	int ret;

	if (pathf(path, sizeof(path), "%s/dflip_lessee", v->dir))
		return -ENAMETOOLONG;
	ret = read_line(path, line, sizeof(line));
	if (!ret)
		ret = dflip_parse_u32(line, lessee);
	return ret;
}

/* Clear the binding of @v, whoever it is bound to. */
int dflip_vgpu_unbind(const struct dflip_vgpu *v)
{
	return dflip_vgpu_bind_lessee(v, 0);
}

/* Does @dir (mdev_supported_types) offer an i915 (GVT-g) type? */
static bool has_i915_type(const char *dir)
{
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(dir);

	if (!d)
		return false;
	while (!found && (de = readdir(d)))
		found = !strncmp(de->d_name, "i915-", 5);
	closedir(d);
	return found;
}

/*
 * Is GVT-g there: a PCI device offering i915 mdev types
 * (mdev_supported_types/i915-*)? Its BDF goes to @bdf.
 */
bool dflip_gvt_present(char *bdf, size_t len)
{
	char base[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	bool found = false;
	DIR *dir;

	if (pathf(base, sizeof(base), "%s/bus/pci/devices", dflip_sysfs_root()))
		return false;
	dir = opendir(base);
	if (!dir)
		return false;
	while (!found && (de = readdir(dir))) {
		if (de->d_name[0] == '.' ||
		    pathf(path, sizeof(path), "%s/%s/mdev_supported_types",
			  base, de->d_name))
			continue;
		found = has_i915_type(path);
		if (found)
			snprintf(bdf, len, "%s", de->d_name);
	}
	closedir(dir);
	return found;
}

/* The vGPU of @uuid (any case) in *@out; 0 or -ENOENT. */
int dflip_vgpu_find(const char *uuid, struct dflip_vgpu *out)
{
	struct vgpu_scan s = { .v = out, .max = 1, .uuid = uuid };

	scan(&s);
	return s.n ? 0 : -ENOENT;
}
