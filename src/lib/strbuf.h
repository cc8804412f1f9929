/* strbuf.h - a growable NUL-terminated string. */
#ifndef FOP4_STRBUF_H
#define FOP4_STRBUF_H

#include "lib/util.h"

struct strbuf {
    char *s;    /* always NUL-terminated once anything was added; may be NULL before */
    size_t len; /* bytes used, without the NUL */
    size_t cap;
};

#define STRBUF_INIT {NULL, 0, 0}

void strbuf_init(struct strbuf *sb);
void strbuf_destroy(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putc(struct strbuf *sb, char c);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) PRINTF_FMT(2, 3);
void strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap) PRINTF_FMT(2, 0);
/* Returns the string ("" when empty); it stays owned by sb. */
const char *strbuf_str(const struct strbuf *sb);
/* Hands the string to the caller (who frees it) and resets sb. */
char *strbuf_steal(struct strbuf *sb);

#endif
