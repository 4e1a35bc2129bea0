/*
 * Reset and exception entry for the Cortex-M4 image: the vector table,
 * the reset handler that builds the C environment (.data copied from
 * flash, .bss zeroed, stack painted for the high-water measurement), and
 * fault handlers that report where the core stopped and exit with failure
 * instead of hanging until the test's timeout.
 */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "mbpf_fmt.h"
#include "semihost.h"
#include "startup.h"

/* Linker script symbols (mps2_an386.ld). */
extern uint32_t __stack_top[], __stack_limit[];
extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start[], __bss_end[];

int main(void);
void platform_cm_timer_irq(void);
_Noreturn void reset_handler(void);
void fault_entry(void);
void fault_report(const uint32_t *frame, uint32_t exc_return, uint32_t ipsr);
void unexpected_irq(void);
static void systick_entry(void);
static void timer1_entry(void);

/* Handlers the self-test installs at run time (startup_set_handler). */
static void (*volatile systick_handler)(void);
static void (*volatile timer1_handler)(void);

#define STACK_PAINT 0x5AC3A55Cu

/* Exceptions 1..15 are the core's, 16+n is external interrupt n. AN386
 * wires 32 external interrupts; timer 0 is the platform clock's, SysTick
 * and timer 1 call what startup_set_handler installed. */
typedef void (*vector_t)(void);
__attribute__((section(".vectors"), used)) static const vector_t vectors[16 + 32] = {
    [0] = (vector_t)(uintptr_t)__stack_top, /* initial MSP */
    [1] = (vector_t)reset_handler,
    [2] = fault_entry,     /* NMI */
    [3] = fault_entry,     /* HardFault */
    [4] = fault_entry,     /* MemManage */
    [5] = fault_entry,     /* BusFault */
    [6] = fault_entry,     /* UsageFault */
    [11] = unexpected_irq, /* SVCall */
    [12] = unexpected_irq, /* DebugMonitor */
    [14] = unexpected_irq, /* PendSV */
    [15] = systick_entry,
    [16 + CMSDK_TIMER0_IRQ] = platform_cm_timer_irq,
    [16 + CMSDK_TIMER1_IRQ] = timer1_entry,
};

_Noreturn void reset_handler(void)
{
    /* libc's memcpy and memset keep no state, so they may run before
     * .data and .bss exist. */
    memcpy(__data_start, __data_load, (size_t)((uint8_t *)__data_end - (uint8_t *)__data_start));
    memset(__bss_start, 0, (size_t)((uint8_t *)__bss_end - (uint8_t *)__bss_start));

    /* Paint the unused stack below this frame so startup_stack_used() can
     * find the deepest point the image reached. */
    uint32_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (uint32_t *p = __stack_limit; p < sp - 16;) *p++ = STACK_PAINT;

    /* Separate fault handlers (instead of everything escalating to
     * HardFault) give a precise CFSR. Division by zero traps rather than
     * quietly giving 0; with MBPF_CM_STRICT_ALIGN (CMakeLists.txt) so do
     * unaligned word accesses. */
    SCB_SHCSR |= SCB_SHCSR_FAULTS;
    SCB_CCR |= SCB_CCR_DIV_0_TRP;
#ifdef MBPF_CM_STRICT_ALIGN
    SCB_CCR |= SCB_CCR_UNALIGN_TRP;
#endif
    __asm__ volatile("dsb\n\tisb" ::: "memory");

    semihost_exit(main() == 0);
}

static size_t stack_high_water;

/* First word at or above from that the stack has touched. */
static const uint32_t *stack_deepest(const uint32_t *from, const uint32_t *to)
{
    while (from < to && *from == STACK_PAINT) from++;
    return from;
}

size_t startup_stack_used(void)
{
    const uint32_t *p = stack_deepest(__stack_limit, __stack_top);
    size_t used = (size_t)((const uint8_t *)__stack_top - (const uint8_t *)p);
    return used > stack_high_water ? used : stack_high_water;
}

/* noinline: the mark must lie below the caller's frame, not inside it. */
__attribute__((noinline)) const void *startup_stack_mark(void)
{
    stack_high_water = startup_stack_used();
    uint32_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    sp -= 16; /* this function's own frame */
    for (uint32_t *p = __stack_limit; p < sp; p++) *p = STACK_PAINT;
    return sp;
}

size_t startup_stack_depth(const void *mark)
{
    const uint32_t *p = stack_deepest(__stack_limit, mark);
    return (size_t)((const uint8_t *)mark - (const uint8_t *)p);
}

size_t startup_stack_size(void)
{
    return (size_t)((const uint8_t *)__stack_top - (const uint8_t *)__stack_limit);
}

/* Finds the exception frame (MSP or PSP, by EXC_RETURN bit 2) and hands
 * it to C. Naked: the frame must be read before any prologue moves sp. */
__attribute__((naked)) void fault_entry(void)
{
    __asm__ volatile("tst lr, #4\n\t"
                     "ite eq\n\t"
                     "mrseq r0, msp\n\t"
                     "mrsne r0, psp\n\t"
                     "mov r1, lr\n\t"
                     "mrs r2, ipsr\n\t"
                     "b fault_report\n\t");
}

void fault_report(const uint32_t *frame, uint32_t exc_return, uint32_t ipsr)
{
    static const char *const names[] = {"?",         "?",        "NMI",       "HardFault",
                                        "MemManage", "BusFault", "UsageFault"};
    char line[200];
    uint32_t exc = ipsr & 0x1FFu;
    mbpf_fmt(line, sizeof line,
             "\n*** %s: pc=0x%lx lr=0x%lx cfsr=0x%lx hfsr=0x%lx bfar=0x%lx mmfar=0x%lx "
             "exc_return=0x%lx\n",
             exc < 7 ? names[exc] : "exception", (unsigned long)frame[6], (unsigned long)frame[5],
             (unsigned long)SCB_CFSR, (unsigned long)SCB_HFSR, (unsigned long)SCB_BFAR,
             (unsigned long)SCB_MMFAR, (unsigned long)exc_return);
    semihost_write0(line);
    semihost_exit(0);
}

void unexpected_irq(void)
{
    semihost_write0("\n*** unexpected exception\n");
    semihost_exit(0);
}

void startup_set_handler(startup_irq_t which, void (*fn)(void))
{
    if (which == STARTUP_IRQ_SYSTICK)
        systick_handler = fn;
    else
        timer1_handler = fn;
}

static void systick_entry(void)
{
    void (*fn)(void) = systick_handler;
    if (fn)
        fn();
    else
        unexpected_irq();
}

static void timer1_entry(void)
{
    void (*fn)(void) = timer1_handler;
    if (fn)
        fn();
    else
        unexpected_irq();
}
