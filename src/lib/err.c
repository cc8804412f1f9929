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
    char ctx[512], old[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx, sizeof ctx, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    snprintf(e->msg, sizeof e->msg, "%s: %s", ctx, old);
}

int
err_is_set(const struct err *e)
{
    return e && (e->code || e->msg[0]);
}
