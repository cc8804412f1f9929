/* lex.c - the P4_16 lexer (lex.h). */
#include "compiler/lex.h"

#include "lib/strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void
push(struct tokens *t, struct token tok)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->v = xrealloc(t->v, sizeof *t->v * (size_t)t->cap);
    }
    t->v[t->n++] = tok;
}

/* Three-, two- and one-character punctuation, longest first. ">" is never
 * combined with a following ">" or "=" here: "bit<8>>" must stay two tokens;
 * the parser joins adjacent ">" ">" into a shift. */
static const char *const puncts[] = {
    "&&&", "|+|", "|-|", "<<=", "..", "+:", "++", "<<", "<=", "==", "!=", "&&",
    "||",  "+=",  "-=",  "*=",  "/=", "%=", "&=", "|=", "^=", "+",  "-",  "*",
    "/",   "%",   "&",   "|",   "^",  "~",  "!",  "<",  ">",  "=",  "?",  ":",
    ";",   ",",   ".",   "(",   ")",  "[",  "]",  "{",  "}",  "@",
};

static int
digit_value(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return 99;
}

/* Parses digits in base from p; returns the end. Sets *overflow when the
 * value does not fit in 128 bits. */
static const char *
scan_digits(const char *p, int base, unsigned __int128 *val, int *ndig,
            int *overflow)
{
    unsigned __int128 v = 0;
    *ndig = 0;
    for (;; p++) {
        if (*p == '_')
            continue;
        int d = digit_value((unsigned char)*p);
        if (d >= base)
            break;
        unsigned __int128 nv = v * (unsigned)base + (unsigned)d;
        if (v && nv / (unsigned)base != v)
            *overflow = 1;
        v = nv;
        (*ndig)++;
    }
    *val = v;
    return p;
}

static const char *
scan_number(struct cc *c, const char *p, struct token *tok)
{
    int overflow = 0, ndig;
    unsigned __int128 v;
    const char *q = p;
    /* decimal prefix, maybe a width */
    while (isdigit((unsigned char)*q))
        q++;
    if ((*q == 'w' || *q == 's') && q > p) {
        unsigned __int128 w;
        scan_digits(p, 10, &w, &ndig, &overflow);
        tok->width = w > 1000000 ? 1000000 : (int)w;
        tok->flags |= F_HAS_WIDTH | (*q == 's' ? F_SIGNED : 0);
        p = q + 1;
    }
    int base = 10;
    if (p[0] == '0' && p[1]) {
        switch (p[1]) {
        case 'x':
        case 'X':
            base = 16;
            break;
        case 'o':
        case 'O':
            base = 8;
            break;
        case 'b':
        case 'B':
            base = 2;
            break;
        case 'd':
        case 'D':
            base = 10;
            break;
        default:
            base = 0;
        }
        if (base)
            p += 2;
        else
            base = 10;
        if (base == 16)
            tok->flags |= F_HEX;
    }
    const char *end = scan_digits(p, base, &v, &ndig, &overflow);
    if (!ndig)
        cc_error(c, tok->loc, "malformed integer literal");
    else if (overflow)
        cc_error(c, tok->loc, "integer literal too large (more than 128 bits)");
    if (isalnum((unsigned char)*end) || *end == '_') {
        cc_error(c, tok->loc, "malformed integer literal");
        while (isalnum((unsigned char)*end) || *end == '_')
            end++;
    }
    tok->ival = v;
    return end;
}

/* A cpp line marker at p (at the start of a line): "# N "file" flags". Returns
 * the end of the line, or NULL if p is not a marker. */
static const char *
line_marker(struct cc *c, const char *p, int *line, const char **file)
{
    const char *q = p + 1;
    while (*q == ' ' || *q == '\t')
        q++;
    if (!strncmp(q, "line", 4))
        q += 4;
    while (*q == ' ' || *q == '\t')
        q++;
    if (!isdigit((unsigned char)*q))
        return NULL;
    long n = strtol(q, (char **)&q, 10);
    while (*q == ' ' || *q == '\t')
        q++;
    if (*q == '"') {
        const char *s = ++q;
        while (*q && *q != '"' && *q != '\n')
            q++;
        *file = arena_strndup(&c->arena, s, (size_t)(q - s));
    }
    while (*q && *q != '\n')
        q++;
    *line = (int)n - 1; /* the newline that ends the marker adds one */
    return q;
}

int
lex_text(struct cc *c, const char *file, const char *text, struct tokens *t)
{
    int errors0 = c->nerrors;
    const char *p = text;
    const char *bol = text; /* beginning of the current line */
    int line = 1;
    file = arena_strdup(&c->arena, file);
    int at_bol = 1;
    while (*p) {
        if (*p == '\n') {
            line++;
            p++;
            bol = p;
            at_bol = 1;
            continue;
        }
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v') {
            p++;
            continue;
        }
        struct token tok = {0};
        tok.loc.file = file;
        tok.loc.line = line;
        tok.loc.col = (int)(p - bol) + 1;
        if (*p == '#' && at_bol) {
            const char *e = line_marker(c, p, &line, &file);
            if (e) {
                p = e;
                continue;
            }
            /* a directive cpp left alone (#pragma): skip the line */
            while (*p && *p != '\n')
                p++;
            continue;
        }
        at_bol = 0;
        if (p[0] == '/' && p[1] == '/') {
            while (*p && *p != '\n')
                p++;
            continue;
        }
        if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            if (!e) {
                cc_error(c, tok.loc, "unterminated comment");
                break;
            }
            for (; p < e + 2; p++)
                if (*p == '\n') {
                    line++;
                    bol = p + 1;
                }
            continue;
        }
        const char *start = p;
        if (isalpha((unsigned char)*p) || *p == '_') {
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            tok.kind = T_IDENT;
            tok.text = arena_strndup(&c->arena, start, (size_t)(p - start));
        } else if (isdigit((unsigned char)*p)) {
            p = scan_number(c, p, &tok);
            tok.kind = T_INT;
            tok.text = arena_strndup(&c->arena, start, (size_t)(p - start));
        } else if (*p == '"') {
            p++;
            struct strbuf sb = STRBUF_INIT;
            while (*p && *p != '"' && *p != '\n') {
                if (*p == '\\' && p[1])
                    strbuf_putc(&sb, *p++);
                strbuf_putc(&sb, *p++);
            }
            if (*p != '"') {
                cc_error(c, tok.loc, "unterminated string literal");
            } else {
                p++;
            }
            tok.kind = T_STRING;
            tok.text = arena_strdup(&c->arena, strbuf_str(&sb));
            strbuf_destroy(&sb);
        } else {
            size_t i;
            for (i = 0; i < ARRAY_SIZE(puncts); i++) {
                size_t n = strlen(puncts[i]);
                if (!strncmp(p, puncts[i], n))
                    break;
            }
            if (i == ARRAY_SIZE(puncts)) {
                /* a character P4 does not use: legal only inside a free-form
                 * annotation body; the parser reports it anywhere else */
                tok.kind = T_PUNCT;
                tok.text = arena_strndup(&c->arena, p, 1);
                if (!isprint((unsigned char)*p))
                    tok.text =
                        arena_printf(&c->arena, "\\x%02x", (unsigned char)*p);
                p++;
            } else {
                tok.kind = T_PUNCT;
                tok.text = puncts[i];
                p += strlen(puncts[i]);
            }
        }
        tok.len = (int)(p - start);
        push(t, tok);
    }
    struct token eof = {0};
    eof.kind = T_EOF;
    eof.text = "end of file";
    eof.loc.file = file;
    eof.loc.line = line;
    eof.loc.col = (int)(p - bol) + 1;
    push(t, eof);
    return c->nerrors > errors0 ? -1 : 0;
}
