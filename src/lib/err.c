/* err.c - struct err: set once, add context on the way up. */
#include "lib/err.h"

#include <stdio.h>
#include <string.h>

void
err_clear(struct err *e)
{
    if (e) {
        e->code = 0;
        e->msg[0] = '\0';
    }
}

int
err_set(struct err *e, int code, const char *fmt, ...)
{
    if (e && !e->code && !e->msg[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->code = code ? code : -1;
    }
    return code;
}

void
err_prefix(struct err *e, const char *fmt, ...)
{
    if (!e || !err_is_set(e))
        return;
    char ctx[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(ctx, sizeof ctx - 2, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    /* Shift the message right and put "<ctx>: " in front, truncating the end. */
    size_t clen = strlen(ctx), mlen = strlen(e->msg);
    memcpy(ctx + clen, ": ", 3);
    clen += 2;
    if (clen >= sizeof e->msg)
        clen = sizeof e->msg - 1;
    if (clen + mlen >= sizeof e->msg)
        mlen = sizeof e->msg - 1 - clen;
    memmove(e->msg + clen, e->msg, mlen);
    memcpy(e->msg, ctx, clen);
    e->msg[clen + mlen] = '\0';
}

int
err_is_set(const struct err *e)
{
    return e && (e->code || e->msg[0]);
}
