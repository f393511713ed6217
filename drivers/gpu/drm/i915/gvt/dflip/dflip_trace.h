/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The GVT-g direct flip authors
 *
 * Local Display Direct Flip: tracepoints of GVT's accesses to the host's
 * display registers. i915's i915_reg_rw tracepoint does not see them:
 * they are raw _fw accesses from kvmgt, made with a plane's spinlock held.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM gvt_dflip

#if !defined(_GVT_DFLIP_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _GVT_DFLIP_TRACE_H_

#include <linux/tracepoint.h>
#include <linux/types.h>

DECLARE_EVENT_CLASS(dflip_hw_access,
		    TP_PROTO(u32 reg, u32 val),
		    TP_ARGS(reg, val),
		    TP_STRUCT__entry(__field(u32, reg)
				     __field(u32, val)),
		    TP_fast_assign(__entry->reg = reg;
				   __entry->val = val;),
		    TP_printk("reg=0x%x val=0x%08x", __entry->reg, __entry->val)
);

DEFINE_EVENT(dflip_hw_access, dflip_hw_read,
	     TP_PROTO(u32 reg, u32 val),
	     TP_ARGS(reg, val)
);

DEFINE_EVENT(dflip_hw_access, dflip_hw_write,
	     TP_PROTO(u32 reg, u32 val),
	     TP_ARGS(reg, val)
);

#endif /* _GVT_DFLIP_TRACE_H_ */

/*
 * Outside the include guard. The object that defines the tracepoints is
 * built with this directory on its include path (gvt/dflip/Makefile).
 */
#undef TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE dflip_trace
#include <trace/define_trace.h>
