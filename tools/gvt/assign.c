// SPDX-License-Identifier: GPL-2.0-only
/*
 * Putting a framebuffer on a hardware plane and taking it off again, with
 * atomic KMS, or the legacy ioctls where the device has no atomic.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "gvt-dflip.h"

struct target {
	drmModeFB2 *fb;
	drmModeModeInfo mode;
	uint32_t crtc_index;
	uint64_t plane_type;
	bool modeset;
	struct dflip_rect src, dst;	/* where plane_rect() put it */
};

static int commit_code(int err)
{
	return err == EACCES || err == EPERM ? EX_DFLIP_ACCESS : EX_DFLIP_DRM;
}

static int crtc_index(drmModeRes *res, uint32_t crtc)
{
	int i;

	for (i = 0; i < res->count_crtcs; i++)
		if (res->crtcs[i] == crtc)
			return i;
	return -1;
}

static bool kind_fits(enum dflip_kind kind, uint64_t type)
{
	if (kind == DFLIP_KIND_CURSOR)
		return type == DRM_PLANE_TYPE_CURSOR;
	return type != DRM_PLANE_TYPE_CURSOR;
}

/* Lower is better; only called for planes kind_fits() accepts. */
static int kind_rank(enum dflip_kind kind, uint64_t type)
{
	if (kind == DFLIP_KIND_SPRITE)
		return type == DRM_PLANE_TYPE_OVERLAY ? 0 : 1;
	return type == DRM_PLANE_TYPE_PRIMARY ? 0 : 1;
}

static bool in_formats_has(int fd, uint32_t blob_id, uint32_t fmt,
			   uint64_t mod)
{
	drmModeFormatModifierIterator iter = { 0 };
	drmModePropertyBlobRes *blob = drmModeGetPropertyBlob(fd, blob_id);
	bool ok = false;

	if (!blob)
		return false;
	while (!ok && drmModeFormatModifierBlobIterNext(blob, &iter))
		ok = iter.fmt == fmt && iter.mod == mod;
	drmModeFreePropertyBlob(blob);
	return ok;
}

static bool plane_has_format(int fd, drmModePlane *p, drmModeFB2 *fb)
{
	uint64_t blob = 0;
	uint32_t i;

	if (dflip_prop_find(fd, p->plane_id, DRM_MODE_OBJECT_PLANE,
			    "IN_FORMATS", &blob) && blob)
		return in_formats_has(fd, blob, fb->pixel_format,
				      fb->modifier);
	if (fb->modifier != DRM_FORMAT_MOD_LINEAR)
		return false;
	for (i = 0; i < p->count_formats; i++)
		if (p->formats[i] == fb->pixel_format)
			return true;
	return false;
}

static uint64_t plane_type(int fd, uint32_t plane)
{
	return dflip_prop(fd, plane, DRM_MODE_OBJECT_PLANE, "type", NULL);
}

static uint32_t connector_crtc(int fd, drmModeConnector *c)
{
	drmModeEncoder *e;
	uint32_t crtc = 0;

	if (!c->encoder_id)
		return 0;
	e = drmModeGetEncoder(fd, c->encoder_id);
	if (e)
		crtc = e->crtc_id;
	drmModeFreeEncoder(e);
	return crtc;
}

static bool connector_fits(int fd, drmModeConnector *c, int idx)
{
	drmModeEncoder *e;
	bool ok = false;
	int j;

	if (c->connection != DRM_MODE_CONNECTED || !c->count_modes)
		return false;
	for (j = 0; j < c->count_encoders && !ok; j++) {
		e = drmModeGetEncoder(fd, c->encoders[j]);
		ok = e && (e->possible_crtcs & (1u << idx));
		drmModeFreeEncoder(e);
	}
	return ok;
}

static void preferred_mode(drmModeConnector *c, drmModeModeInfo *mode)
{
	int j;

	*mode = c->modes[0];
	for (j = 0; j < c->count_modes; j++) {
		if (c->modes[j].type & DRM_MODE_TYPE_PREFERRED) {
			*mode = c->modes[j];
			return;
		}
	}
}

/*
 * The connector driving @crtc, or a free connected one that can; its
 * preferred mode goes to @mode unless that is NULL.
 */
static uint32_t find_connector(int fd, drmModeRes *res, uint32_t crtc,
			       drmModeModeInfo *mode)
{
	int idx = crtc_index(res, crtc), i;
	drmModeConnector *c;
	uint32_t found = 0, cur;

	for (i = 0; i < res->count_connectors && !found; i++) {
		c = drmModeGetConnector(fd, res->connectors[i]);
		if (!c)
			continue;
		cur = connector_crtc(fd, c);
		if ((!cur || cur == crtc) && connector_fits(fd, c, idx)) {
			found = c->connector_id;
			if (mode)
				preferred_mode(c, mode);
		}
		drmModeFreeConnector(c);
	}
	return found;
}

/* Whether @crtc shows a mode already, or can be lit; fills t. */
static bool crtc_usable(int fd, drmModeRes *res, uint32_t crtc,
			struct dflip_assignment *a, struct target *t)
{
	drmModeCrtc *c = drmModeGetCrtc(fd, crtc);
	bool active = c && c->mode_valid;

	if (active)
		t->mode = c->mode;
	drmModeFreeCrtc(c);
	t->crtc_index = crtc_index(res, crtc);
	t->modeset = !active;
	a->connector = 0;
	if (active)
		return true;
	a->connector = find_connector(fd, res, crtc, &t->mode);
	return a->connector != 0;
}

struct pick {
	int compatible;
	int rank;
	uint32_t plane;
	uint64_t type;
};

static void consider(int fd, drmModePlane *p, enum dflip_kind kind,
		     drmModeFB2 *fb, struct pick *best)
{
	uint64_t type = plane_type(fd, p->plane_id);
	int rank;

	if (!kind_fits(kind, type) || !plane_has_format(fd, p, fb))
		return;
	best->compatible++;
	if (p->fb_id)
		return;
	rank = kind_rank(kind, type);
	if (!best->plane || rank < best->rank) {
		best->plane = p->plane_id;
		best->rank = rank;
		best->type = type;
	}
}

/* The best free compatible plane of a CRTC. */
static struct pick pick_plane(int fd, drmModePlaneRes *pr, int idx,
			      enum dflip_kind kind, drmModeFB2 *fb)
{
	struct pick best = { 0 };
	drmModePlane *p;
	uint32_t i;

	for (i = 0; i < pr->count_planes; i++) {
		p = drmModeGetPlane(fd, pr->planes[i]);
		if (p && (p->possible_crtcs & (1u << idx)))
			consider(fd, p, kind, fb, &best);
		drmModeFreePlane(p);
	}
	return best;
}

static int not_found(struct dflip_dev *d, const char *what, uint32_t id)
{
	if (d->lessee)
		return dflip_err(EX_DFLIP_ACCESS, "%s %u is not in this lease",
				 what, id);
	return dflip_err(EX_DFLIP_UNKNOWN, "unknown %s %u", what, id);
}

static bool in_list(const uint32_t *ids, int n, uint32_t id)
{
	while (n-- > 0)
		if (ids[n] == id)
			return true;
	return false;
}

/* --hw-plane given: check it and pick its CRTC. */
static int choose_given(struct dflip_dev *d, drmModeRes *res,
			struct dflip_assignment *a, struct target *t,
			uint32_t want_crtc)
{
	drmModePlane *p = drmModeGetPlane(d->fd, a->plane);
	int i, ret = 0;

	if (!p)
		return not_found(d, "plane", a->plane);
	t->plane_type = plane_type(d->fd, a->plane);
	if (!kind_fits(a->kind, t->plane_type))
		ret = dflip_err(EX_DFLIP_INCOMPAT,
				"plane %u is a %s plane, fb %u needs %s",
				a->plane, dflip_plane_type_name(t->plane_type),
				a->fb, a->kind == DFLIP_KIND_CURSOR ?
				"a cursor plane" : "a non-cursor plane");
	else if (!plane_has_format(d->fd, p, t->fb))
		ret = dflip_err(EX_DFLIP_INCOMPAT,
				"plane %u does not support the format and modifier of fb %u",
				a->plane, a->fb);
	else if (p->fb_id && p->fb_id != a->fb)
		ret = dflip_err(EX_DFLIP_NOPLANE, "plane %u is busy (fb %u)",
				a->plane, p->fb_id);
	for (i = 0; !ret && !a->crtc && i < res->count_crtcs; i++) {
		if (!(p->possible_crtcs & (1u << i)))
			continue;
		if (want_crtc && res->crtcs[i] != want_crtc)
			continue;
		if (p->crtc_id && p->crtc_id != res->crtcs[i])
			continue;
		if (crtc_usable(d->fd, res, res->crtcs[i], a, t))
			a->crtc = res->crtcs[i];
	}
	if (!ret && !a->crtc)
		ret = dflip_err(want_crtc ? EX_DFLIP_INCOMPAT : EX_DFLIP_DRM,
				"plane %u cannot be shown on %s", a->plane,
				want_crtc ? "that crtc" :
				"any crtc with a connected output");
	drmModeFreePlane(p);
	return ret;
}

/* No --hw-plane: the first CRTC that has a free compatible plane. */
static int choose_auto(struct dflip_dev *d, drmModeRes *res,
		       drmModePlaneRes *pr, struct dflip_assignment *a,
		       struct target *t, uint32_t want_crtc)
{
	int i, compatible = 0, free = 0;
	struct pick pk;

	for (i = 0; i < res->count_crtcs; i++) {
		if (want_crtc && res->crtcs[i] != want_crtc)
			continue;
		pk = pick_plane(d->fd, pr, i, a->kind, t->fb);
		compatible += pk.compatible;
		if (!pk.plane)
			continue;
		free++;
		if (!crtc_usable(d->fd, res, res->crtcs[i], a, t))
			continue;
		a->plane = pk.plane;
		a->crtc = res->crtcs[i];
		t->plane_type = pk.type;
		return 0;
	}
	if (!compatible)
		return dflip_err(EX_DFLIP_INCOMPAT,
				 "no plane supports fb %u (type, format or modifier)",
				 a->fb);
	if (!free)
		return dflip_err(EX_DFLIP_NOPLANE,
				 "no free compatible plane for fb %u", a->fb);
	return dflip_err(EX_DFLIP_DRM, "no crtc with a connected output");
}

/*
 * Place the framebuffer by --fit. A cursor plane keeps the framebuffer's
 * size at (0,0): the kernel moves it with the guest's cursor position.
 */
static void plane_rect(struct target *t, enum dflip_fit fit)
{
	uint32_t w = t->fb->width, h = t->fb->height;

	if (t->plane_type == DRM_PLANE_TYPE_CURSOR ||
	    dflip_fit(fit, w, h, t->mode.hdisplay, t->mode.vdisplay, &t->src,
		      &t->dst)) {
		t->src = (struct dflip_rect){ 0, 0, w, h };
		t->dst = t->src;
	}
}

static int add(drmModeAtomicReq *req, int fd, uint32_t obj, uint32_t type,
	       const char *name, uint64_t val)
{
	uint32_t prop = dflip_prop_find(fd, obj, type, name, NULL);

	if (!prop) {
		errno = EINVAL;
		return -1;
	}
	return drmModeAtomicAddProperty(req, obj, prop, val) < 0 ? -1 : 0;
}

static int add_plane(drmModeAtomicReq *req, int fd,
		     struct dflip_assignment *a, struct target *t)
{
	const uint32_t P = DRM_MODE_OBJECT_PLANE;
	const struct dflip_rect *s = &t->src, *c = &t->dst;

	return add(req, fd, a->plane, P, "FB_ID", a->fb) ||
	       add(req, fd, a->plane, P, "CRTC_ID", a->crtc) ||
	       add(req, fd, a->plane, P, "SRC_X", (uint64_t)s->x << 16) ||
	       add(req, fd, a->plane, P, "SRC_Y", (uint64_t)s->y << 16) ||
	       add(req, fd, a->plane, P, "SRC_W", (uint64_t)s->w << 16) ||
	       add(req, fd, a->plane, P, "SRC_H", (uint64_t)s->h << 16) ||
	       add(req, fd, a->plane, P, "CRTC_X", c->x) ||
	       add(req, fd, a->plane, P, "CRTC_Y", c->y) ||
	       add(req, fd, a->plane, P, "CRTC_W", c->w) ||
	       add(req, fd, a->plane, P, "CRTC_H", c->h);
}

static int add_crtc(drmModeAtomicReq *req, int fd,
		    struct dflip_assignment *a, bool on)
{
	return add(req, fd, a->crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID",
		   on ? a->mode_blob : 0) ||
	       add(req, fd, a->crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", on) ||
	       add(req, fd, a->connector, DRM_MODE_OBJECT_CONNECTOR,
		   "CRTC_ID", on ? a->crtc : 0);
}

/* One request for the modeset (if any) and the plane; -1 and errno. */
static int try_commit(struct dflip_dev *d, struct dflip_assignment *a,
		      struct target *t, uint32_t flags)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	int ret, err;

	if (!req)
		return -1;
	ret = (t->modeset && add_crtc(req, d->fd, a, true)) ||
	      add_plane(req, d->fd, a, t);
	if (!ret)
		ret = drmModeAtomicCommit(d->fd, req, flags | (t->modeset ?
					  DRM_MODE_ATOMIC_ALLOW_MODESET : 0),
					  NULL);
	err = errno;
	drmModeAtomicFree(req);
	errno = err;
	return ret ? -1 : 0;
}

/*
 * The fit's placement, tested first (TEST_ONLY); a plane that cannot
 * scale gets the framebuffer unscaled and centred instead, said on stderr.
 */
static int test_fit(struct dflip_dev *d, struct dflip_assignment *a,
		    struct target *t)
{
	plane_rect(t, a->fit);
	if (!try_commit(d, a, t, DRM_MODE_ATOMIC_TEST_ONLY))
		return 0;
	if (!dflip_fit_scales(&t->src, &t->dst))
		return -1;
	plane_rect(t, DFLIP_FIT_CENTRE);
	if (try_commit(d, a, t, DRM_MODE_ATOMIC_TEST_ONLY))
		return -1;
	dflip_err(0, "plane %u cannot scale fb %u (%ux%u) to %ux%u (--fit %s): shown unscaled, centred at %u,%u",
		  a->plane, a->fb, t->fb->width, t->fb->height,
		  t->mode.hdisplay, t->mode.vdisplay, dflip_fit_name(a->fit),
		  t->dst.x, t->dst.y);
	return 0;
}

/*
 * One atomic commit for the modeset and the plane: either both happen or
 * neither does, so a failure leaves nothing behind to roll back.
 */
static int commit_atomic(struct dflip_dev *d, struct dflip_assignment *a,
			 struct target *t)
{
	int ret, err;

	if (t->modeset &&
	    drmModeCreatePropertyBlob(d->fd, &t->mode, sizeof(t->mode),
				      &a->mode_blob))
		return dflip_err(EX_DFLIP_DRM, "cannot create mode blob: %s",
				 strerror(errno));
	ret = test_fit(d, a, t);
	if (!ret)
		ret = try_commit(d, a, t, 0);
	err = errno;
	if (!ret) {
		a->lit_crtc = t->modeset;
		return 0;
	}
	if (a->mode_blob)
		drmModeDestroyPropertyBlob(d->fd, a->mode_blob);
	a->mode_blob = 0;
	return dflip_err(commit_code(err), "commit of fb %u on plane %u failed: %s",
			 a->fb, a->plane, strerror(err));
}

static uint32_t legacy_connector(int fd, uint32_t crtc)
{
	drmModeRes *res = drmModeGetResources(fd);
	uint32_t conn = res ? find_connector(fd, res, crtc, NULL) : 0;

	drmModeFreeResources(res);
	return conn;
}

/*
 * Legacy: SetCrtc for a primary plane (lighting the CRTC if needed),
 * SetPlane for the others, which need a lit CRTC.
 */
static int commit_legacy(struct dflip_dev *d, struct dflip_assignment *a,
			 struct target *t)
{
	struct dflip_rect *s = &t->src, *c = &t->dst;
	int ret;

	plane_rect(t, a->fit);
	if (t->plane_type == DRM_PLANE_TYPE_PRIMARY) {
		if (!a->connector)
			a->connector = legacy_connector(d->fd, a->crtc);
		ret = drmModeSetCrtc(d->fd, a->crtc, a->fb, 0, 0,
				     &a->connector, 1, &t->mode);
	} else if (t->modeset) {
		return dflip_err(EX_DFLIP_DRM,
				 "crtc %u is off and %s has no atomic to light it",
				 a->crtc, d->path);
	} else {
		ret = drmModeSetPlane(d->fd, a->plane, a->crtc, a->fb, 0,
				      c->x, c->y, c->w, c->h, s->x << 16,
				      s->y << 16, s->w << 16, s->h << 16);
		if (ret && dflip_fit_scales(s, c)) {
			plane_rect(t, DFLIP_FIT_CENTRE);
			ret = drmModeSetPlane(d->fd, a->plane, a->crtc, a->fb,
					      0, c->x, c->y, c->w, c->h,
					      s->x << 16, s->y << 16,
					      s->w << 16, s->h << 16);
			if (!ret)
				dflip_err(0, "plane %u cannot scale fb %u: shown unscaled, centred at %u,%u",
					  a->plane, a->fb, c->x, c->y);
		}
	}
	if (ret)
		return dflip_err(commit_code(errno),
				 "commit of fb %u on plane %u failed: %s",
				 a->fb, a->plane, strerror(errno));
	a->lit_crtc = t->modeset;
	return 0;
}

static int load_fb(struct dflip_dev *d, uint32_t fb, struct target *t)
{
	int err;

	t->fb = dflip_getfb2(d->fd, fb);
	if (t->fb)
		return 0;
	err = errno;
	/* a vGPU's fb that the kernel hides from this file: its policy */
	if (err == ENOENT && dflip_vgpu_has_fb(fb))
		return dflip_err(EX_DFLIP_ACCESS,
				 "fb %u of a vGPU: access refused by the kernel's policy (needs root, or a lease bound to the vGPU)",
				 fb);
	if (err == ENOENT)
		return dflip_err(EX_DFLIP_UNKNOWN, "unknown framebuffer id %u",
				 fb);
	return dflip_err(commit_code(err), "cannot look up fb %u: %s", fb,
			 strerror(err));
}

/*
 * Put a->fb on a plane: a->plane if set, else a free compatible one, on
 * @want_crtc if set. Returns 0 or an exit code, with nothing changed.
 */
int dflip_assign(struct dflip_dev *d, struct dflip_assignment *a,
		 uint32_t want_crtc, uint32_t want_plane)
{
	struct target t = { 0 };
	drmModePlaneRes *pr = NULL;
	drmModeRes *res = NULL;
	int ret;

	a->plane = want_plane;
	a->crtc = 0;
	ret = load_fb(d, a->fb, &t);
	if (ret)
		return ret;
	res = drmModeGetResources(d->fd);
	pr = drmModeGetPlaneResources(d->fd);
	if (!res || !pr)
		ret = dflip_err(EX_DFLIP_DRM, "%s: no KMS resources", d->path);
	else if (want_crtc && !in_list(res->crtcs, res->count_crtcs,
				       want_crtc))
		ret = not_found(d, "crtc", want_crtc);
	else if (want_plane && !in_list(pr->planes, pr->count_planes,
					want_plane))
		ret = not_found(d, "plane", want_plane);
	else if (want_plane)
		ret = choose_given(d, res, a, &t, want_crtc);
	else
		ret = choose_auto(d, res, pr, a, &t, want_crtc);
	if (!ret)
		ret = d->atomic ? commit_atomic(d, a, &t) :
				  commit_legacy(d, a, &t);
	drmModeFreePlaneResources(pr);
	drmModeFreeResources(res);
	drmModeFreeFB2(t.fb);
	return ret;
}

static bool load_target(struct dflip_dev *d, struct dflip_assignment *a,
			struct target *t)
{
	drmModeCrtc *c = drmModeGetCrtc(d->fd, a->crtc);

	if (!c)
		return false;
	t->mode = c->mode;
	drmModeFreeCrtc(c);
	t->plane_type = plane_type(d->fd, a->plane);
	return true;
}

/* Replace the fb of an existing assignment (a geometry change). */
int dflip_reassign(struct dflip_dev *d, struct dflip_assignment *a,
		   uint32_t fb)
{
	struct dflip_assignment next = *a;
	struct target t = { 0 };
	drmModePlane *p;
	int ret;

	next.fb = fb;
	next.mode_blob = 0;
	ret = load_fb(d, fb, &t);
	if (ret)
		return ret;
	p = drmModeGetPlane(d->fd, a->plane);
	if (!p || !load_target(d, a, &t))
		ret = dflip_err(EX_DFLIP_DRM, "plane %u or crtc %u vanished",
				a->plane, a->crtc);
	else if (!plane_has_format(d->fd, p, t.fb))
		ret = dflip_err(EX_DFLIP_INCOMPAT,
				"plane %u does not support the format of fb %u",
				a->plane, fb);
	else
		ret = d->atomic ? commit_atomic(d, &next, &t) :
				  commit_legacy(d, &next, &t);
	if (!ret)
		a->fb = fb;
	drmModeFreePlane(p);
	drmModeFreeFB2(t.fb);
	return ret;
}

static int disable_atomic(struct dflip_dev *d, struct dflip_assignment *a)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	int ret, err;

	if (!req)
		return dflip_err(EX_DFLIP_DRM, "out of memory");
	ret = add(req, d->fd, a->plane, DRM_MODE_OBJECT_PLANE, "FB_ID", 0) ||
	      add(req, d->fd, a->plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID", 0) ||
	      (a->lit_crtc && add_crtc(req, d->fd, a, false));
	if (!ret)
		ret = drmModeAtomicCommit(d->fd, req, a->lit_crtc ?
					  DRM_MODE_ATOMIC_ALLOW_MODESET : 0,
					  NULL);
	err = errno;
	drmModeAtomicFree(req);
	if (ret)
		return dflip_err(commit_code(err), "cannot disable plane %u: %s",
				 a->plane, strerror(err));
	return 0;
}

static int disable_legacy(struct dflip_dev *d, struct dflip_assignment *a)
{
	int ret;

	if (a->lit_crtc)
		ret = drmModeSetCrtc(d->fd, a->crtc, 0, 0, 0, NULL, 0, NULL);
	else
		ret = drmModeSetPlane(d->fd, a->plane, 0, 0, 0, 0, 0, 0, 0, 0,
				      0, 0, 0);
	if (ret)
		return dflip_err(commit_code(errno), "cannot disable plane %u: %s",
				 a->plane, strerror(errno));
	return 0;
}

/* Take an assignment off, and switch the CRTC off again if we lit it. */
int dflip_unassign(struct dflip_dev *d, struct dflip_assignment *a)
{
	int ret = d->atomic ? disable_atomic(d, a) : disable_legacy(d, a);

	if (!ret && a->mode_blob)
		drmModeDestroyPropertyBlob(d->fd, a->mode_blob);
	if (!ret)
		a->mode_blob = 0;
	return ret;
}

/* The unassign command: switch off whatever a plane shows. */
int dflip_disable_plane(struct dflip_dev *d, uint32_t plane)
{
	struct dflip_assignment a = { .plane = plane };
	drmModePlane *p = drmModeGetPlane(d->fd, plane);

	if (!p)
		return not_found(d, "plane", plane);
	a.crtc = p->crtc_id;
	a.fb = p->fb_id;
	drmModeFreePlane(p);
	return d->atomic ? disable_atomic(d, &a) : disable_legacy(d, &a);
}
