/* diag.c - file:line:col diagnostics with the source line, a caret, and
 * did-you-mean suggestions. Every front end that reads user files uses it. */
#include "lib/diag.h"

#include <stdlib.h>
#include <string.h>

static void
append_source_line(struct strbuf *sb, const char *src, int line, int col)
{
    const char *p = src;
    for (int l = 1; l < line && p; l++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || !*p)
        return;
    const char *end = strchr(p, '\n');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n && p[n - 1] == '\r')
        n--;
    strbuf_puts(sb, "    ");
    strbuf_add(sb, p, n);
    strbuf_putc(sb, '\n');
    if (col > 0) {
        strbuf_puts(sb, "    ");
        for (int i = 1; i < col && (size_t)i <= n; i++)
            strbuf_putc(sb, p[i - 1] == '\t' ? '\t' : ' ');
        strbuf_puts(sb, "^\n");
    }
}

static void
vformat(struct strbuf *sb, const char *kind, const char *path, const char *src,
        int line, int col, const char *fmt, va_list ap)
{
    if (col > 0)
        strbuf_printf(sb, "%s:%d:%d: %s: ", path, line, col, kind);
    else if (line > 0)
        strbuf_printf(sb, "%s:%d: %s: ", path, line, kind);
    else
        strbuf_printf(sb, "%s: %s: ", path, kind);
    strbuf_vprintf(sb, fmt, ap);
    strbuf_putc(sb, '\n');
    if (line <= 0)
        return;
    char *owned = NULL;
    if (!src)
        src = owned = read_file(path, NULL);
    if (src)
        append_source_line(sb, src, line, col);
    free(owned);
}

void
diag_format(struct strbuf *sb, const char *kind, const char *path,
            const char *src, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vformat(sb, kind, path, src, line, col, fmt, ap);
    va_end(ap);
}

void
diag_print(FILE *f, const char *kind, const char *path, const char *src,
           int line, int col, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    vformat(&sb, kind, path, src, line, col, fmt, ap);
    va_end(ap);
    fputs(strbuf_str(&sb), f);
    strbuf_destroy(&sb);
}

size_t
edit_distance(const char *a, const char *b)
{
    /* Optimal string alignment: a swap of two neighbours ("hots") counts as one
     * edit, as typos usually are. */
    size_t la = strlen(a), lb = strlen(b), w = lb + 1;
    size_t *d = xmalloc((la + 1) * w * sizeof *d);
    for (size_t i = 0; i <= la; i++)
        d[i * w] = i;
    for (size_t j = 0; j <= lb; j++)
        d[j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = MIN(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1);
            best = MIN(best, d[(i - 1) * w + j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                best = MIN(best, d[(i - 2) * w + j - 2] + 1);
            d[i * w + j] = best;
        }
    }
    size_t r = d[la * w + lb];
    free(d);
    return r;
}

const char *
diag_suggest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(word, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    size_t limit = MAX((size_t)1, strlen(word) / 3);
    return best && best_d <= limit ? best : NULL;
}
