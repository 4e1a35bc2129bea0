/*
 * A hook in an interrupt handler and thread code sharing a 64-bit counter
 * on one core. SysTick runs a TIMER program (programs/tick.js) that adds 1
 * to a counter map, while the main loop adds to the same counter and reads
 * it and the program's statistics through the host API. On Armv7-M both
 * go through the maps' lock-based 64-bit fallback; without interrupts
 * masked while its lock is held, a tick that lands inside the main loop's
 * critical section spins forever on a lock its own CPU holds.
 *
 * A deadlock must fail the test, not hang it: CMSDK timer 1, at a higher
 * priority than SysTick, is a watchdog that ends the run with a message if
 * the test has not finished long after it should have.
 */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "mbpf.h"
#include "mbpf_ctx.h"
#include "mbpf_map.h"
#include "pkg_fixture.h"
#include "platform_cm.h"
#include "selftest.h"
#include "semihost.h"
#include "startup.h"

#define TIMER_HOOK MBPF_HOOK_ID(MBPF_HOOK_TIMER, 0)
/* SysTick period in core clocks. The clock is 25 MHz and, under -icount
 * shift=0, the core runs one instruction per nanosecond, so a clock is 40
 * instructions here: a tick every 4,000 instructions, of which the TIMER
 * event takes about 1,500. */
#define TICK_PERIOD 100u
/* Ticks to wait for: enough that many land inside the main loop's
 * critical sections. */
#define TICKS 2000u
/* Watchdog: timer 1 ticks (40 instructions each) before a deadlock is
 * declared, about ten times what the test takes. */
#define WATCHDOG_TICKS 2500000u
/* The counter starts just below 2^32, so its low word wraps during the
 * test: a torn 64-bit read would show up as a value going backwards. */
#define COUNTER_START 0xFFFFF000ull

static mbpf_runtime_t *rt;
static mbpf_ctx_timer_v1_t tctx;
static volatile uint32_t irq_runs, irq_bad, adds;

static void systick(void)
{
    tctx.expiry_count++;
    int32_t rc = -1;
    if (mbpf_run(rt, TIMER_HOOK, &tctx, sizeof tctx, &rc) != 0 || rc != 0) irq_bad++;
    irq_runs++;
}

static void watchdog(void)
{
    CMSDK_TIMER1_INTCLR = 1;
    say("\n*** watchdog: the interrupt test is stuck after %lu SysTick events and %lu adds "
        "in the main loop (a handler spinning on a lock the main loop holds?)\n",
        (unsigned long)irq_runs, (unsigned long)adds);
    semihost_exit(0);
}

static void start_interrupts(void)
{
    startup_set_handler(STARTUP_IRQ_TIMER1, watchdog);
    startup_set_handler(STARTUP_IRQ_SYSTICK, systick);
    NVIC_IPR(CMSDK_TIMER1_IRQ) = 0x00;                            /* most urgent */
    SCB_SHPR3 = (SCB_SHPR3 & 0x00FFFFFFu) | (uint32_t)0x80 << 24; /* SysTick below it */
    CMSDK_TIMER1_CTRL = 0;
    CMSDK_TIMER1_RELOAD = WATCHDOG_TICKS;
    CMSDK_TIMER1_VALUE = WATCHDOG_TICKS;
    CMSDK_TIMER1_INTCLR = 1;
    NVIC_ISER0 = 1u << CMSDK_TIMER1_IRQ;
    CMSDK_TIMER1_CTRL = CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_IE;
    SYST_RVR = TICK_PERIOD - 1;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
}

static void stop_interrupts(void)
{
    SYST_CSR = 0;
    CMSDK_TIMER1_CTRL = 0;
    NVIC_ICER0 = 1u << CMSDK_TIMER1_IRQ;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    startup_set_handler(STARTUP_IRQ_SYSTICK, NULL);
    startup_set_handler(STARTUP_IRQ_TIMER1, NULL);
}

void test_irq_counter(void)
{
    section("interrupts: SysTick hook and main loop share a 64-bit counter");
    mbpf_runtime_config_t cfg;
    mbpf_runtime_config_init(&cfg, plat);
    cfg.policy.trusted_keys = &fixture_pub;
    cfg.policy.trusted_key_count = 1;
    cfg.policy.require_signature = 1;
    rt = mbpf_runtime_init(&cfg);
    CHECK(rt != NULL);
    if (!rt) return;
    mbpf_load_opts_t opts = {.flags = MBPF_LOAD_F_PKG_PERSISTENT};
    mbpf_program_t *p = NULL;
    CHECK_OK(mbpf_program_load(rt, fixture_tick_pkg, sizeof fixture_tick_pkg, &opts, &p));
    mbpf_map_t *m = p ? mbpf_program_map(p, "ticks") : NULL;
    CHECK(m != NULL);
    if (!m) {
        say("   load: %s\n", mbpf_last_error(rt));
        mbpf_runtime_shutdown(rt);
        return;
    }
    CHECK_OK(mbpf_program_attach(rt, p, TIMER_HOOK));
    CHECK_OK(mbpf_map_counter_add(m, 0, COUNTER_START, NULL));
    tctx = (mbpf_ctx_timer_v1_t){.abi_version = MBPF_CTX_ABI_V1, .timer_id = 1, .period_us = 4};

    uint32_t reads = 0, backwards = 0, errors = 0;
    adds = 0;
    uint64_t last = 0, t0 = platform_cm_now_ns();
    start_interrupts();
    while (irq_runs < TICKS) {
        if (mbpf_map_counter_add(m, 0, 1, NULL) != 0) errors++;
        adds++;
        uint64_t v;
        if (mbpf_map_counter_get(m, 0, &v) != 0) errors++;
        if (v < last) backwards++;
        last = v;
        reads++;
        if (adds % 64 == 0) {
            mbpf_program_stats_t s;
            if (mbpf_program_stats(p, &s) != 0 || s.successes > irq_runs) errors++;
        }
    }
    stop_interrupts();
    uint64_t elapsed = platform_cm_now_ns() - t0;

    uint64_t v = 0;
    CHECK_OK(mbpf_map_counter_get(m, 0, &v));
    CHECK_U(v, COUNTER_START + adds + irq_runs); /* no increment lost */
    CHECK(v > 0xFFFFFFFFull);                    /* the low word wrapped */
    CHECK_U(backwards, 0);
    CHECK_U(errors, 0);
    CHECK_U(irq_bad, 0);
    mbpf_program_stats_t s;
    CHECK_OK(mbpf_program_stats(p, &s));
    CHECK_U(s.invocations, irq_runs);
    CHECK_U(s.successes, irq_runs);
    say("   %lu SysTick events, %lu adds and %lu reads in the main loop, %llu instructions\n",
        (unsigned long)irq_runs, (unsigned long)adds, (unsigned long)reads,
        (unsigned long long)elapsed);
    CHECK_OK(mbpf_program_unload(rt, p));
    mbpf_runtime_shutdown(rt);
    rt = NULL;
}
