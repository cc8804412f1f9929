/* parse_int.h - what the two files of the parser share (parse.c:
 * declarations, statements, tables; parse_expr.c: types, expressions,
 * keysets, annotations): the parser's state, the token helpers (static
 * inline, so each file has its own copy) and the productions one file takes
 * from the other. */
#ifndef FOP4_COMPILER_PARSE_INT_H
#define FOP4_COMPILER_PARSE_INT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compiler.h"
#include "compiler/lex.h"
#include "lib/hmap.h"
#include "lib/strbuf.h"

#define MAX_DEPTH 200

struct parser {
    struct cc *c;
    struct arena *A;
    struct tokens toks;
    int pos;
    int depth;
    struct hmap types; /* names declared as types */
    struct strbuf sb;  /* scratch (annotation bodies); freed after a longjmp */
    jmp_buf fail;
};

/* ---- token helpers ---- */

static inline struct token *
tok(struct parser *p)
{
    return &p->toks.v[p->pos];
}

static inline struct token *
peek(struct parser *p, int k)
{
    int i = p->pos + k;
    if (i >= p->toks.n)
        i = p->toks.n - 1;
    return &p->toks.v[i];
}

static inline int
is(struct parser *p, const char *s)
{
    struct token *t = tok(p);
    return (t->kind == T_PUNCT || t->kind == T_IDENT) && !strcmp(t->text, s);
}

static inline int
is_at(struct parser *p, int k, const char *s)
{
    struct token *t = peek(p, k);
    return (t->kind == T_PUNCT || t->kind == T_IDENT) && !strcmp(t->text, s);
}

NORETURN static inline void syntax_error(struct parser *p, const char *fmt, ...)
    PRINTF_FMT(2, 3);

static inline void
syntax_error(struct parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    struct token *t = tok(p);
    if (t->kind == T_EOF)
        cc_error(p->c, t->loc, "syntax error: %s, found end of file", msg);
    else if (t->kind == T_STRING)
        cc_error(p->c, t->loc, "syntax error: %s, found string \"%s\"", msg,
                 t->text);
    else
        cc_error(p->c, t->loc, "syntax error: %s, found '%s'", msg, t->text);
    free(msg);
    longjmp(p->fail, 1);
}

static inline struct token *
next(struct parser *p)
{
    struct token *t = tok(p);
    if (t->kind != T_EOF)
        p->pos++;
    return t;
}

static inline int
accept(struct parser *p, const char *s)
{
    if (is(p, s)) {
        next(p);
        return 1;
    }
    return 0;
}

static inline struct token *
expect(struct parser *p, const char *s)
{
    if (!is(p, s))
        syntax_error(p, "expected '%s'", s);
    return next(p);
}

static inline int
is_keyword(const char *s)
{
    static const char *const keywords[] = {
        "abstract",     "action",     "apply",     "bit",    "bool",
        "const",        "control",    "default",   "else",   "enum",
        "error",        "exit",       "extern",    "false",  "header",
        "header_union", "if",         "in",        "inout",  "int",
        "match_kind",   "out",        "package",   "parser", "return",
        "select",       "state",      "string",    "struct", "switch",
        "table",        "transition", "true",      "tuple",  "typedef",
        "type",         "varbit",     "value_set", "void",   "_",
        "this",         "list",
    };
    for (size_t i = 0; i < ARRAY_SIZE(keywords); i++)
        if (!strcmp(s, keywords[i]))
            return 1;
    return 0;
}

/* An identifier that may name something (keywords excluded; the contextual
 * words key, actions, entries, priority... are plain identifiers). */
static inline int
is_name_tok(struct token *t)
{
    if (t->kind != T_IDENT)
        return 0;
    /* keywords p4c also accepts as names */
    if (!strcmp(t->text, "type") || !strcmp(t->text, "apply") ||
        !strcmp(t->text, "state"))
        return 1;
    return !is_keyword(t->text);
}

static const char *
expect_name(struct parser *p, const char *what)
{
    struct token *t = tok(p);
    /* a few keywords are legal names in some places (apply in methods,
     * "state"?); P4 itself allows only non-keywords */
    if (!is_name_tok(t))
        syntax_error(p, "expected %s", what);
    next(p);
    return t->text;
}

static inline void
add_type_name(struct parser *p, const char *name)
{
    hmap_put(&p->types, name, (void *)1, NULL);
}

static inline int
is_type_name(struct parser *p, const char *name)
{
    return hmap_get(&p->types, name) != NULL;
}

static inline struct node *
mk(struct parser *p, enum node_kind k, struct token *at)
{
    return node_new(p->A, k, at->loc);
}

static inline void
enter(struct parser *p)
{
    if (++p->depth > MAX_DEPTH)
        syntax_error(p, "nesting too deep (more than %d levels)", MAX_DEPTH);
}

/* ---- productions of parse_expr.c used by parse.c ---- */

/* typeParameters: '<' name {',' name} '>' (names recorded as types) */
void parse_tparams(struct parser *p, struct nlist *out);
/* typeRef: base types, named types with type arguments, stacks, tuples */
struct node *parse_type(struct parser *p);
/* '(' [argument {',' argument}] ')' */
void parse_args(struct parser *p, struct nlist *out);
/* expression (every precedence level) */
struct node *parse_expr(struct parser *p);
/* keysetExpression of select cases and table entries */
struct node *parse_keyset(struct parser *p);
/* {annotation} */
void parse_annotations(struct parser *p, struct nlist *out);

#endif
