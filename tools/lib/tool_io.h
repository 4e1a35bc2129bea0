/*
 * File I/O for the host tools. Every function reports failure with a
 * complete message ("prog.js: No such file or directory") in err, ready to
 * be prefixed with "mbpf: CMD: ". Output files are written atomically: a
 * temporary file beside the target is filled, synced and renamed, so a
 * failed command never leaves a half-written file behind.
 */
#ifndef MBPF_TOOL_IO_H
#define MBPF_TOOL_IO_H

#include <stddef.h>
#include <stdint.h>

#define MBPF_TOOL_ERR_MAX 512

/* Largest input file the tools read (packages use 32-bit offsets). */
#define MBPF_TOOL_FILE_MAX (64u * 1024 * 1024)

/* Return codes of the functions below. */
#define MBPF_TOOL_OK     0
#define MBPF_TOOL_EFAIL  (-1) /* error described in err */
#define MBPF_TOOL_EEXIST (-2) /* target exists and overwrite was not allowed */

/* Reads the whole file into a malloc'd buffer (*data, freed by the caller;
 * one spare NUL byte follows the data). Files over MBPF_TOOL_FILE_MAX fail. */
int mbpf_tool_read_file(const char *path, uint8_t **data, size_t *len, char *err, size_t errcap);

/* Writes data[0..len) to path atomically with permissions mode (minus the
 * umask). With overwrite 0, an existing path is left alone and
 * MBPF_TOOL_EEXIST returned (checked atomically with link(2)). */
int mbpf_tool_write_file_atomic(const char *path, const void *data, size_t len, unsigned mode,
                                int overwrite, char *err, size_t errcap);

/* 1 if path names an existing file system object, 0 otherwise. */
int mbpf_tool_path_exists(const char *path);

/* Formats err like snprintf (never overflows, always terminated). */
void mbpf_tool_err(char *err, size_t errcap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
