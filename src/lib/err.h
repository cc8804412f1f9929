/* err.h - the error a failing function hands back to its caller.
 *
 * Functions return 0 or a negative errno; pointer-returning functions return NULL.
 * Either way they may fill a struct err with a message for the user that says who,
 * what, why and the next step (STYLE.md "Errors"). The first error set wins, so the
 * deepest, most precise message survives unwinding; callers add context with
 * err_prefix(). */
#ifndef FOP4_ERR_H
#define FOP4_ERR_H

#include "fop4/err.h" /* struct err itself is part of the public C API */
#include "lib/util.h"

/* Clears 'e' (e may be NULL). */
void err_clear(struct err *e);
/* Sets the error if none is set yet; returns 'code' so callers can
 * "return err_set(e, -EINVAL, ...)". e may be NULL. */
int err_set(struct err *e, int code, const char *fmt, ...) PRINTF_FMT(3, 4);
/* Prepends "<context>: " to the message of a set error. */
void err_prefix(struct err *e, const char *fmt, ...) PRINTF_FMT(2, 3);
/* Returns 1 if an error is set. */
int err_is_set(const struct err *e);

#endif
