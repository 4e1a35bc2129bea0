/*
 * File I/O for the host tools: whole-file reads with a size limit and
 * atomic writes (temp file in the target's directory, fsync, rename or
 * link). The temp file lives beside the target so the rename never crosses
 * a file system.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool_io.h"

void mbpf_tool_err(char *err, size_t errcap, const char *fmt, ...)
{
    if (!err || errcap == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errcap, fmt, ap);
    va_end(ap);
}

int mbpf_tool_path_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int mbpf_tool_read_file(const char *path, uint8_t **data, size_t *len, char *err, size_t errcap)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        mbpf_tool_err(err, errcap, "%s: %s", path, strerror(errno));
        return MBPF_TOOL_EFAIL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        mbpf_tool_err(err, errcap, "%s: %s", path, strerror(errno));
        close(fd);
        return MBPF_TOOL_EFAIL;
    }
    if (S_ISDIR(st.st_mode)) {
        mbpf_tool_err(err, errcap, "%s: is a directory", path);
        close(fd);
        return MBPF_TOOL_EFAIL;
    }

    /* Read in chunks rather than trusting st_size: pipes and /proc lie. */
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap + 1);
    if (!buf) goto nomem;
    for (;;) {
        if (n == cap) {
            if (cap >= MBPF_TOOL_FILE_MAX) {
                /* Full: fine if the file ends exactly here. */
                uint8_t extra;
                ssize_t r = read(fd, &extra, 1);
                if (r == 0) break;
                if (r < 0 && errno == EINTR) continue;
                if (r < 0)
                    mbpf_tool_err(err, errcap, "%s: %s", path, strerror(errno));
                else
                    mbpf_tool_err(err, errcap, "%s: file too large (limit %u bytes)", path,
                                  MBPF_TOOL_FILE_MAX);
                goto fail;
            }
            size_t ncap = cap * 2 > MBPF_TOOL_FILE_MAX ? MBPF_TOOL_FILE_MAX : cap * 2;
            uint8_t *nb = realloc(buf, ncap + 1);
            if (!nb) goto nomem;
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            mbpf_tool_err(err, errcap, "%s: %s", path, strerror(errno));
            goto fail;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = 0;
    *data = buf;
    *len = n;
    return MBPF_TOOL_OK;

nomem:
    mbpf_tool_err(err, errcap, "%s: out of memory", path);
fail:
    free(buf);
    close(fd);
    return MBPF_TOOL_EFAIL;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int mbpf_tool_write_file_atomic(const char *path, const void *data, size_t len, unsigned mode,
                                int overwrite, char *err, size_t errcap)
{
    if (!overwrite && mbpf_tool_path_exists(path)) {
        mbpf_tool_err(err, errcap, "%s: %s", path, strerror(EEXIST));
        return MBPF_TOOL_EEXIST;
    }

    size_t plen = strlen(path);
    char *tmp = malloc(plen + sizeof ".tmp-XXXXXX");
    if (!tmp) {
        mbpf_tool_err(err, errcap, "%s: out of memory", path);
        return MBPF_TOOL_EFAIL;
    }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");

    int fd = mkstemp(tmp); /* created with mode 0600 */
    if (fd < 0) {
        mbpf_tool_err(err, errcap, "%s: %s", path, strerror(errno));
        free(tmp);
        return MBPF_TOOL_EFAIL;
    }
    mode_t mask = umask(0);
    umask(mask);
    int rc = MBPF_TOOL_EFAIL;
    if (fchmod(fd, (mode_t)mode & ~mask) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        mbpf_tool_err(err, errcap, "%s: %s", path, strerror(errno));
        close(fd);
        goto out;
    }
    if (close(fd) != 0) {
        mbpf_tool_err(err, errcap, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (overwrite) {
        if (rename(tmp, path) != 0) {
            mbpf_tool_err(err, errcap, "%s: %s", path, strerror(errno));
            goto out;
        }
    } else {
        /* link(2) fails if path appeared meanwhile: no check-then-write race. */
        if (link(tmp, path) != 0) {
            int e = errno;
            mbpf_tool_err(err, errcap, "%s: %s", path, strerror(e));
            if (e == EEXIST) rc = MBPF_TOOL_EEXIST;
            goto out;
        }
    }
    if (!overwrite) unlink(tmp);
    free(tmp);
    return MBPF_TOOL_OK;

out:
    unlink(tmp);
    free(tmp);
    return rc;
}
