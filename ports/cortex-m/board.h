/*
 * The few registers of the Armv7-M core and of the MPS2 AN386 board the
 * port touches, written out here rather than taken from a vendor header.
 * Addresses: Armv7-M Architecture Reference Manual (System Control Space)
 * and the AN386 memory map as QEMU's mps2-an386 implements it.
 */
#ifndef MBPF_CM_BOARD_H
#define MBPF_CM_BOARD_H

#include <stdint.h>

#include "mbpf_irq_cm.h"

#define REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* System Control Block. */
#define SCB_CCR             REG32(0xE000ED14u) /* configuration and control */
#define SCB_CCR_UNALIGN_TRP (1u << 3)          /* fault on unaligned LDR/STR */
#define SCB_CCR_DIV_0_TRP   (1u << 4)          /* fault on divide by zero */
#define SCB_SHCSR           REG32(0xE000ED24u) /* system handler control */
#define SCB_SHCSR_FAULTS    (7u << 16)         /* MemManage, BusFault, UsageFault enables */
#define SCB_CFSR            REG32(0xE000ED28u) /* configurable fault status */
#define SCB_HFSR            REG32(0xE000ED2Cu) /* HardFault status */
#define SCB_MMFAR           REG32(0xE000ED34u) /* MemManage fault address */
#define SCB_BFAR            REG32(0xE000ED38u) /* BusFault address */

#define SCB_SHPR3 REG32(0xE000ED20u) /* priorities: SysTick in bits 31..24 */

/* SysTick: the core's 24-bit down-counter on the processor clock. */
#define SYST_CSR           REG32(0xE000E010u) /* control and status */
#define SYST_RVR           REG32(0xE000E014u) /* reload value */
#define SYST_CVR           REG32(0xE000E018u) /* current value (write: clear) */
#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2) /* processor clock */

/* NVIC: set- and clear-enable for external interrupts 0..31, priorities
 * (one byte each; lower is more urgent). */
#define NVIC_ISER0  REG32(0xE000E100u)
#define NVIC_ICER0  REG32(0xE000E180u)
#define NVIC_IPR(n) (*(volatile uint8_t *)(uintptr_t)(0xE000E400u + (n)))

/* CMSDK APB timer 0: a 32-bit down-counter clocked by the 25 MHz PCLK; at
 * zero it raises its interrupt and reloads. */
#define MPS2_SYSCLK_HZ      25000000u
#define CMSDK_TIMER0_BASE   0x40000000u
#define CMSDK_TIMER0_IRQ    8u
#define CMSDK_TIMER_CTRL    REG32(CMSDK_TIMER0_BASE + 0x00u)
#define CMSDK_TIMER_VALUE   REG32(CMSDK_TIMER0_BASE + 0x04u)
#define CMSDK_TIMER_RELOAD  REG32(CMSDK_TIMER0_BASE + 0x08u)
#define CMSDK_TIMER_INTCLR  REG32(CMSDK_TIMER0_BASE + 0x0Cu) /* read: status, write 1: clear */
#define CMSDK_TIMER_CTRL_EN (1u << 0)
#define CMSDK_TIMER_CTRL_IE (1u << 3)

/* CMSDK APB timer 1, the same kind: the self-test's watchdog. */
#define CMSDK_TIMER1_BASE   0x40001000u
#define CMSDK_TIMER1_IRQ    9u
#define CMSDK_TIMER1_CTRL   REG32(CMSDK_TIMER1_BASE + 0x00u)
#define CMSDK_TIMER1_VALUE  REG32(CMSDK_TIMER1_BASE + 0x04u)
#define CMSDK_TIMER1_RELOAD REG32(CMSDK_TIMER1_BASE + 0x08u)
#define CMSDK_TIMER1_INTCLR REG32(CMSDK_TIMER1_BASE + 0x0Cu)

/* Interrupt masking (PRIMASK), for the few critical sections of a
 * single-core port: the same as the runtime libraries' (mbpf_irq_cm.h). */
static inline uint32_t irq_save(void)
{
    return (uint32_t)mbpf_irq_cm_save();
}

static inline void irq_restore(uint32_t primask)
{
    mbpf_irq_cm_restore(primask);
}

#endif
