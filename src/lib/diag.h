/* diag.h - diagnostics for input files (P4 programs, topology files, runtime JSON,
 * command files), always in the form
 *
 *     path:line:col: error: message
 *         the source line
 *              ^
 *
 * and "did you mean ...?" suggestions for unknown names. */
#ifndef FOP4_DIAG_H
#define FOP4_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "lib/strbuf.h"

/* Appends one diagnostic to sb. kind is "error", "warning" or "note". src is the
 * whole text of the file (or NULL: then the source line is read from path, and
 * omitted if that fails). line and col count from 1; col 0 omits the caret. */
void diag_format(struct strbuf *sb, const char *kind, const char *path,
                 const char *src, int line, int col, const char *fmt, ...)
    PRINTF_FMT(7, 8);
/* The same, printed to f. */
void diag_print(FILE *f, const char *kind, const char *path, const char *src,
                int line, int col, const char *fmt, ...) PRINTF_FMT(7, 8);

/* Levenshtein distance between a and b. */
size_t edit_distance(const char *a, const char *b);
/* Returns the candidate closest to word if it is close enough to be a plausible
 * typo (distance <= max(1, len/3)), else NULL. */
const char *diag_suggest(const char *word, const char *const *cands, size_t n);

#endif
