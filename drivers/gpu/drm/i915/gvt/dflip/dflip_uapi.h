/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The GVT-g direct flip authors
 */

#ifndef _GVT_DFLIP_UAPI_H_
#define _GVT_DFLIP_UAPI_H_

#include <linux/types.h>

struct vfio_device_gfx_plane_info;

/** DFLIP_PLANE_NAME_MAX - longest plane name, with its NUL */
#define DFLIP_PLANE_NAME_MAX	16

const char *dflip_plane_name(unsigned int plane);
int dflip_plane_number_parse(const char *buf, size_t count,
			     unsigned int *plane);
int dflip_vfio_query_check(const struct vfio_device_gfx_plane_info *info,
			   bool supported, unsigned int *plane);

#endif /* _GVT_DFLIP_UAPI_H_ */
