// SPDX-License-Identifier: GPL-2.0-only
/*
 * gvt-dflip list: the vGPUs' planes and the host's KMS objects, as a table
 * or as JSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "gvt-dflip.h"

struct listing {
	struct dflip_vgpu *v;
	int nv;
	bool json;
	int ndev;
	int open_err;	/* errno of the last device that did not open */
};

static const char *sep(int i)
{
	return i ? "," : "";
}

static void print_id(const char *key, uint32_t id, bool json)
{
	if (json && id)
		printf("\"%s\":%u", key, id);
	else if (json)
		printf("\"%s\":null", key);
	else if (id)
		printf("%-6u", id);
	else
		printf("%-6s", "-");
}

/* "key":"s" in JSON, escaped, or "key":null without @s. */
static void print_str(const char *key, const char *s)
{
	printf("\"%s\":", key);
	dflip_json_str(stdout, s);
}

/* The framebuffer fields of a vGPU plane, closing its JSON object. */
static void print_fb(drmModeFB2 *f)
{
	if (!f) {
		printf(",\"format\":null,\"width\":null,\"height\":null,\"modifier\":null}");
		return;
	}
	char fourcc[5];

	memcpy(fourcc, &f->pixel_format, 4);
	fourcc[4] = '\0';
	printf(",");
	print_str("format", fourcc);
	printf(",\"width\":%u,\"height\":%u,\"modifier\":\"0x%llx\"}",
	       f->width, f->height, (unsigned long long)f->modifier);
}

/* A plane showing a vGPU's framebuffer: name that vGPU plane. */
static bool find_owner(struct listing *l, uint32_t fb, int *vi, int *pi)
{
	int i, j;

	for (i = 0; fb && i < l->nv; i++)
		for (j = 0; j < DFLIP_PLANES; j++)
			if (l->v[i].fb[j] == fb) {
				*vi = i;
				*pi = j;
				return true;
			}
	return false;
}

/* The CRTC a connector drives, 0 if none. */
static uint32_t connector_crtc(int fd, drmModeConnector *c)
{
	drmModeEncoder *e = c->encoder_id ?
			    drmModeGetEncoder(fd, c->encoder_id) : NULL;
	uint32_t crtc = e ? e->crtc_id : 0;

	drmModeFreeEncoder(e);
	return crtc;
}

/* The connector that shows @crtc, 0 if none. */
static uint32_t crtc_connector(int fd, uint32_t crtc, char *name, size_t len)
{
	drmModeRes *res = drmModeGetResources(fd);
	drmModeConnector *c;
	uint32_t found = 0;
	int i;

	for (i = 0; res && !found && i < res->count_connectors; i++) {
		c = drmModeGetConnector(fd, res->connectors[i]);
		if (c && connector_crtc(fd, c) == crtc) {
			found = c->connector_id;
			snprintf(name, len, "%s-%u",
				 drmModeGetConnectorTypeName(c->connector_type) ?: "?",
				 c->connector_type_id);
		}
		drmModeFreeConnector(c);
	}
	drmModeFreeResources(res);
	return found;
}

/* Which hardware plane (and CRTC, monitor) shows framebuffer @fb. */
static bool shown_on(int fd, uint32_t fb, uint32_t *plane, uint32_t *crtc)
{
	drmModePlaneRes *pr = fd >= 0 && fb ? drmModeGetPlaneResources(fd) : NULL;
	drmModePlane *p;
	uint32_t i;

	*plane = *crtc = 0;
	for (i = 0; pr && !*plane && i < pr->count_planes; i++) {
		p = drmModeGetPlane(fd, pr->planes[i]);
		if (p && p->fb_id == fb) {
			*plane = p->plane_id;
			*crtc = p->crtc_id;
		}
		drmModeFreePlane(p);
	}
	drmModeFreePlaneResources(pr);
	return *plane != 0;
}

static void print_shown(struct listing *l, int fd, uint32_t fb)
{
	uint32_t plane, crtc, conn = 0;
	char name[48] = "-";

	if (!shown_on(fd, fb, &plane, &crtc)) {
		printf(l->json ? ",\"shown\":null" : "");
		return;
	}
	conn = crtc ? crtc_connector(fd, crtc, name, sizeof(name)) : 0;
	if (!l->json) {
		printf("  on plane %u crtc %u %s", plane, crtc, name);
		return;
	}
	printf(",\"shown\":{\"plane\":%u,", plane);
	print_id("crtc", crtc, true);
	printf(",");
	print_id("connector", conn, true);
	printf(",");
	print_str("connector_name", conn ? name : NULL);
	printf("}");
}

static void vgpu_plane(struct listing *l, int fd, struct dflip_vgpu *v,
		       int n)
{
	drmModeFB2 *f = fd >= 0 && v->fb[n] ? dflip_getfb2(fd, v->fb[n]) : NULL;
	char name[32], desc[64] = "-";

	dflip_plane_name(n, name, sizeof(name));
	if (l->json) {
		printf("%s{\"number\":%d,\"name\":\"%s\",", sep(n), n, name);
		print_id("fb", v->fb[n], true);
		print_shown(l, fd, v->fb[n]);
		print_fb(f);
	} else {
		if (f)
			dflip_fb_format(fd, v->fb[n], desc, sizeof(desc));
		printf("    %d  %-15s ", n, name);
		if (v->fb[n])
			printf("%-6u %s", v->fb[n], desc);
		else
			printf("-      -");
		print_shown(l, fd, v->fb[n]);
		printf("\n");
	}
	drmModeFreeFB2(f);
}

static void list_vgpus(struct listing *l)
{
	struct dflip_vgpu *v;
	int i, n, fd;

	char bdf[64];

	if (l->json)
		printf("\"vgpus\":[");
	else if (!l->nv && dflip_gvt_present(bdf, sizeof(bdf)))
		printf("no vGPUs (GVT-g is there: create one in %s%s%s/mdev_supported_types)\n",
		       dflip_sysfs_root(), "/bus/pci/devices/", bdf);
	else if (!l->nv)
		printf("no vGPUs: GVT-g is not there (%s: %s/bus/pci/devices)\n",
		       "no i915 mdev types; i915.enable_gvt=1 and kvmgt?", dflip_sysfs_root());
	for (i = 0; i < l->nv; i++) {
		v = &l->v[i];
		fd = v->card[0] ? open(v->card, O_RDWR | O_CLOEXEC) : -1;
		if (fd >= 0)	/* the primary and cursor planes too */
			drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
		if (l->json) {
			printf("%s{", sep(i));
			print_str("uuid", v->uuid);
			printf(",");
			print_str("bdf", v->bdf);
			if (v->has_id)
				printf(",\"vgpu_id\":%u,", v->vgpu_id);
			else
				printf(",\"vgpu_id\":null,");
			print_str("device", v->card[0] ? v->card : NULL);
			printf(",\"planes\":[");
		} else {
			char id[16] = "?";

			if (v->has_id)
				snprintf(id, sizeof(id), "%u", v->vgpu_id);
			printf("vGPU %s (vgpu_id %s, %s, %s)\n"
			       "    #  plane           fb     format\n",
			       v->uuid, id, v->bdf,
			       v->card[0] ? v->card : "no DRM device");
		}
		for (n = 0; n < DFLIP_PLANES; n++)
			vgpu_plane(l, fd, v, n);
		if (l->json)
			printf("]}");
		if (fd >= 0)
			close(fd);
	}
	if (l->json)
		printf("]");
}

static void list_crtcs(struct listing *l, int fd, drmModeRes *res)
{
	drmModeCrtc *c;
	int i, n = 0;

	printf(l->json ? "\"crtcs\":[" : "  crtc   index active mode\n");
	for (i = 0; i < res->count_crtcs; i++) {
		c = drmModeGetCrtc(fd, res->crtcs[i]);
		if (!c)
			continue;
		if (l->json)
			printf("%s{\"id\":%u,\"index\":%d,\"active\":%s,\"mode\":",
			       sep(n++), c->crtc_id, i,
			       c->mode_valid ? "true" : "false");
		else
			printf("  %-6u %-5d %-6s ", c->crtc_id, i,
			       c->mode_valid ? "yes" : "no");
		if (c->mode_valid)
			printf(l->json ? "\"%ux%u\"}" : "%ux%u\n",
			       c->mode.hdisplay, c->mode.vdisplay);
		else
			printf(l->json ? "null}" : "-\n");
		drmModeFreeCrtc(c);
	}
	printf(l->json ? "]," : "");
}

static void print_possible_crtcs(struct listing *l, drmModeRes *res,
				 uint32_t mask)
{
	int i, n = 0;
	char buf[64] = "";

	if (l->json)
		printf("\"possible_crtcs\":[");
	for (i = 0; i < res->count_crtcs; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (l->json)
			printf("%s%u", sep(n), res->crtcs[i]);
		else
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 "%s%u", n ? "," : "", res->crtcs[i]);
		n++;
	}
	printf(l->json ? "]," : "%-14s ", buf);
}

static void plane_owner(struct listing *l, uint32_t fb)
{
	char name[32];
	int vi, pi;

	if (!find_owner(l, fb, &vi, &pi)) {
		printf(l->json ? "\"assigned\":null}" : "-\n");
		return;
	}
	dflip_plane_name(pi, name, sizeof(name));
	if (!l->json) {
		printf("vGPU %s %s\n", l->v[vi].uuid, name);
		return;
	}
	printf("\"assigned\":{");
	print_str("vgpu", l->v[vi].uuid);
	printf(",");
	print_str("plane", name);
	printf("}}");
}

/* Where an enabled plane shows its framebuffer (CRTC_* properties). */
static void print_rect(int fd, drmModePlane *p)
{
	static const char *const keys[] = { "x", "y", "w", "h" };
	static const char *const props[] = {
		"CRTC_X", "CRTC_Y", "CRTC_W", "CRTC_H"
	};
	bool found;
	int i;

	if (!p->fb_id) {
		printf("\"crtc_rect\":null,");
		return;
	}
	printf("\"crtc_rect\":{");
	for (i = 0; i < 4; i++) {
		int64_t v = (int64_t)dflip_prop(fd, p->plane_id,
						DRM_MODE_OBJECT_PLANE,
						props[i], &found);

		if (i < 2)
			v = (int32_t)v;	/* CRTC_X/Y are signed */
		if (found)
			printf("%s\"%s\":%lld", sep(i), keys[i], (long long)v);
		else
			printf("%s\"%s\":null", sep(i), keys[i]);
	}
	printf("},");
}

static void list_planes(struct listing *l, int fd, drmModeRes *res)
{
	drmModePlaneRes *pr = drmModeGetPlaneResources(fd);
	drmModePlane *p;
	const char *type;
	uint32_t i;
	int n = 0;

	printf(l->json ? "\"planes\":[" :
			 "  plane  type    possible_crtcs crtc   fb     assigned\n");
	for (i = 0; pr && i < pr->count_planes; i++) {
		p = drmModeGetPlane(fd, pr->planes[i]);
		if (!p)
			continue;
		type = dflip_plane_type_name(dflip_prop(fd, p->plane_id,
							DRM_MODE_OBJECT_PLANE,
							"type", NULL));
		if (l->json)
			printf("%s{\"id\":%u,\"type\":\"%s\",", sep(n++),
			       p->plane_id, type);	/* a fixed name */
		else
			printf("  %-6u %-7s ", p->plane_id, type);
		print_possible_crtcs(l, res, p->possible_crtcs);
		print_id("crtc", p->crtc_id, l->json);
		printf(l->json ? "," : " ");
		print_id("fb", p->fb_id, l->json);
		printf(l->json ? "," : " ");
		if (l->json)
			print_rect(fd, p);
		plane_owner(l, p->fb_id);
		drmModeFreePlane(p);
	}
	printf(l->json ? "]," : "");
	drmModeFreePlaneResources(pr);
}

static const char *status_name(drmModeConnection s)
{
	return s == DRM_MODE_CONNECTED ? "connected" :
	       s == DRM_MODE_DISCONNECTED ? "disconnected" : "unknown";
}

static void preferred(drmModeConnector *c, char *buf, size_t len)
{
	drmModeModeInfo *m = c->count_modes ? &c->modes[0] : NULL;
	int i;

	for (i = 0; i < c->count_modes; i++)
		if (c->modes[i].type & DRM_MODE_TYPE_PREFERRED)
			m = &c->modes[i];
	if (m)
		snprintf(buf, len, "%ux%u", m->hdisplay, m->vdisplay);
	else
		snprintf(buf, len, "-");
}

static void list_connectors(struct listing *l, int fd, drmModeRes *res)
{
	drmModeConnector *c;
	char name[48], mode[24];
	int i, n = 0;

	printf(l->json ? "\"connectors\":[" :
			 "  conn   name           status       preferred  crtc\n");
	for (i = 0; i < res->count_connectors; i++) {
		c = drmModeGetConnector(fd, res->connectors[i]);
		if (!c)
			continue;
		preferred(c, mode, sizeof(mode));
		snprintf(name, sizeof(name), "%s-%u",
			 drmModeGetConnectorTypeName(c->connector_type) ?: "?",
			 c->connector_type_id);
		if (l->json) {
			printf("%s{\"id\":%u,", sep(n++), c->connector_id);
			print_str("name", name);
			printf(",\"status\":\"%s\",", status_name(c->connection));
			print_str("preferred_mode",
				  c->count_modes ? mode : NULL);
			printf(",");
		} else {
			printf("  %-6u %-14s %-12s %-10s ", c->connector_id,
			       name, status_name(c->connection), mode);
		}
		print_id("crtc", connector_crtc(fd, c), l->json);
		printf(l->json ? "}" : "\n");
		drmModeFreeConnector(c);
	}
	printf(l->json ? "]" : "");
}

static void list_device(struct listing *l, const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	drmVersion *ver;
	drmModeRes *res;

	if (fd < 0) {
		l->open_err = errno;
		return;
	}
	drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	/* CRTC_X/Y/W/H are atomic properties, hidden from other clients */
	drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1);
	res = drmModeGetResources(fd);
	ver = drmGetVersion(fd);
	if (res) {
		if (l->json) {
			printf("%s{", sep(l->ndev));
			print_str("path", path);
			printf(",");
			print_str("driver", ver ? ver->name : NULL);
			printf(",");
		} else {
			printf("\n%s (%s)\n", path, ver ? ver->name : "?");
		}
		list_crtcs(l, fd, res);
		list_planes(l, fd, res);
		list_connectors(l, fd, res);
		printf(l->json ? "}" : "");
		l->ndev++;
	}
	drmFreeVersion(ver);
	drmModeFreeResources(res);
	close(fd);
}

/* The version of the list --json schema (gvt-dflip.rst, JSON OUTPUT). */
#define LIST_JSON_VERSION	1

int dflip_list(const char *device, bool json)
{
	static struct listing l;
	char path[32], bdf[64];
	int i, ret = 0;

	l.json = json;
	l.nv = dflip_vgpu_scan(&l.v);
	if (l.nv < 0)
		return dflip_err(EX_DFLIP_DRM, "out of memory");
	if (json)
		printf("{\"version\":%d,\"gvt\":%s,", LIST_JSON_VERSION,
		       l.nv || dflip_gvt_present(bdf, sizeof(bdf)) ?
		       "true" : "false");
	list_vgpus(&l);
	printf(json ? ",\"devices\":[" : "");
	if (device) {
		list_device(&l, device);
	} else {
		for (i = 0; i < 16; i++) {
			snprintf(path, sizeof(path), "/dev/dri/card%d", i);
			list_device(&l, path);
		}
	}
	printf(json ? "]}\n" : "");
	if (!json && !device && !l.ndev)
		printf("no DRM card with KMS (/dev/dri/card0..15)\n");
	free(l.v);
	if (fflush(stdout) || ferror(stdout))
		ret = dflip_err(EX_DFLIP_OUTPUT, "cannot write the list to stdout: %s",
				strerror(errno));
	else if (device && !l.ndev && l.open_err)
		ret = dflip_err(EX_DFLIP_MASTER, "cannot open %s: %s", device,
				strerror(l.open_err));
	else if (device && !l.ndev)
		ret = dflip_err(EX_DFLIP_MASTER, "%s is no KMS device", device);
	return ret;
}
