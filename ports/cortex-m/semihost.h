/*
 * Arm semihosting: the debugger (here QEMU with -semihosting-config
 * enable=on,target=native) services requests the target makes with
 * `bkpt 0xAB`. Only what the port needs: console output and exit status.
 * On real hardware without a debugger attached, bkpt faults, so a product
 * image would log to a UART instead.
 */
#ifndef MBPF_CM_SEMIHOST_H
#define MBPF_CM_SEMIHOST_H

#include <stddef.h>

/* Writes a NUL-terminated string to the host console (SYS_WRITE0). */
void semihost_write0(const char *s);

/* Writes s[0..len) (no NUL needed), in bounded chunks through SYS_WRITE0. */
void semihost_write(const char *s, size_t len);

/* Ends the session: the QEMU process exits with status 0 when ok, else 1
 * (SYS_EXIT with ADP_Stopped_ApplicationExit or RunTimeErrorUnknown). */
_Noreturn void semihost_exit(int ok);

#endif
