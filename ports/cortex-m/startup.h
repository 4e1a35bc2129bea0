/* What the startup code measures for the self-test. */
#ifndef MBPF_CM_STARTUP_H
#define MBPF_CM_STARTUP_H

#include <stddef.h>

/* Deepest stack use since reset, in bytes (from the painted stack). */
size_t startup_stack_used(void);
/* Measuring one call: mark = startup_stack_mark() repaints the stack
 * below the caller's frame (keeping the high-water found so far), then
 * startup_stack_depth(mark) after the call gives the bytes it used. */
const void *startup_stack_mark(void);
size_t startup_stack_depth(const void *mark);
/* The stack the linker script reserves. */
size_t startup_stack_size(void);

/* Interrupts whose handler is installed at run time; NULL (the default)
 * reports an unexpected exception and exits with failure. */
typedef enum { STARTUP_IRQ_SYSTICK, STARTUP_IRQ_TIMER1 } startup_irq_t;
void startup_set_handler(startup_irq_t which, void (*fn)(void));

#endif
