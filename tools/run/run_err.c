/* Bounded error formatting shared by the run-input library. */
#include "run_err.h"

#include <stdarg.h>
#include <stdio.h>

void mbpf_run_err(char *err, size_t errcap, const char *fmt, ...)
{
    if (!err || errcap == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errcap, fmt, ap);
    va_end(ap);
}
