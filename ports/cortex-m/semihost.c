/*
 * Semihosting calls. A call is `bkpt 0xAB` with the operation in r0 and
 * its argument (a pointer or a value) in r1; the result comes back in r0.
 * The "memory" clobber matters: the host reads the buffers r1 points to,
 * so the compiler must have stored them before the breakpoint.
 */
#include "semihost.h"

#include <stdint.h>

enum {
    SYS_WRITE0 = 0x04,
    SYS_EXIT = 0x18,
    /* SYS_EXIT reasons (Arm semihosting spec, "Exception type" values). */
    ADP_STOPPED_RUNTIME_ERROR_UNKNOWN = 0x20023,
    ADP_STOPPED_APPLICATION_EXIT = 0x20026,
};

static uintptr_t semihost_call(uintptr_t op, uintptr_t arg)
{
    register uintptr_t r0 __asm__("r0") = op;
    register uintptr_t r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void semihost_write0(const char *s)
{
    semihost_call(SYS_WRITE0, (uintptr_t)s);
}

void semihost_write(const char *s, size_t len)
{
    char chunk[65];
    while (len > 0) {
        size_t n = len < sizeof chunk - 1 ? len : sizeof chunk - 1;
        for (size_t i = 0; i < n; i++) {
            /* SYS_WRITE0 stops at a NUL; show one rather than lose the rest. */
            chunk[i] = s[i] ? s[i] : '?';
        }
        chunk[n] = '\0';
        semihost_write0(chunk);
        s += n;
        len -= n;
    }
}

_Noreturn void semihost_exit(int ok)
{
    /* On AArch32, SYS_EXIT takes the reason itself in r1 (not a block). */
    semihost_call(SYS_EXIT, ok ? ADP_STOPPED_APPLICATION_EXIT : ADP_STOPPED_RUNTIME_ERROR_UNKNOWN);
    for (;;) {
        /* A debugger that ignores the request resumes here: park the
         * core rather than run off the end. */
        __asm__ volatile("wfi");
    }
}
