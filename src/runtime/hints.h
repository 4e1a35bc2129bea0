/*
 * Inlining hints for the event path: its common case in one frame, its
 * failure paths out of the way (so their locals cost the common case no
 * register saves or stack).
 */
#ifndef MBPF_RUNTIME_HINTS_H
#define MBPF_RUNTIME_HINTS_H

#if defined(__GNUC__)
#define RT_INLINE   inline __attribute__((always_inline))
#define RT_NOINLINE __attribute__((noinline, cold))
/* Out of line to keep a caller's frame small, but on a common path. */
#define RT_NOINLINE_HOT __attribute__((noinline))
#define RT_LIKELY(x)    __builtin_expect(!!(x), 1)
#else
#define RT_INLINE inline
#define RT_NOINLINE
#define RT_NOINLINE_HOT
#define RT_LIKELY(x) (x)
#endif

#endif
