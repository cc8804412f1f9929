/* parse.c - recursive-descent parser for P4_16: tokens (lex.c) to the AST
 * (ast.h).
 *
 * P4's grammar needs to know which identifiers name types ("T x;" declares,
 * "f(x);" calls): the parser records every type name as it is declared
 * (headers, structs, typedefs, externs, parsers, controls, packages, type
 * parameters) and consults that set where the two readings differ. A syntax
 * error is reported once and ends the parse (like p4c); the nesting depth is
 * bounded so hostile input cannot overflow the stack. */
#include <setjmp.h>
#include <stdlib.h>
#include <stdarg.h>
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

static struct node *parse_expr(struct parser *p);
static struct node *parse_type(struct parser *p);
static struct node *parse_stmt(struct parser *p);
static struct node *parse_block(struct parser *p);
static void parse_annotations(struct parser *p, struct nlist *out);

/* ---- token helpers ---- */

static struct token *
tok(struct parser *p)
{
    return &p->toks.v[p->pos];
}

static struct token *
peek(struct parser *p, int k)
{
    int i = p->pos + k;
    if (i >= p->toks.n)
        i = p->toks.n - 1;
    return &p->toks.v[i];
}

static int
is(struct parser *p, const char *s)
{
    struct token *t = tok(p);
    return (t->kind == T_PUNCT || t->kind == T_IDENT) && !strcmp(t->text, s);
}

static int
is_at(struct parser *p, int k, const char *s)
{
    struct token *t = peek(p, k);
    return (t->kind == T_PUNCT || t->kind == T_IDENT) && !strcmp(t->text, s);
}

NORETURN static void syntax_error(struct parser *p, const char *fmt, ...)
    PRINTF_FMT(2, 3);

static void
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

static struct token *
next(struct parser *p)
{
    struct token *t = tok(p);
    if (t->kind != T_EOF)
        p->pos++;
    return t;
}

static int
accept(struct parser *p, const char *s)
{
    if (is(p, s)) {
        next(p);
        return 1;
    }
    return 0;
}

static struct token *
expect(struct parser *p, const char *s)
{
    if (!is(p, s))
        syntax_error(p, "expected '%s'", s);
    return next(p);
}

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

static int
is_keyword(const char *s)
{
    for (size_t i = 0; i < ARRAY_SIZE(keywords); i++)
        if (!strcmp(s, keywords[i]))
            return 1;
    return 0;
}

/* An identifier that may name something (keywords excluded; the contextual
 * words key, actions, entries, priority... are plain identifiers). */
static int
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

static void
add_type_name(struct parser *p, const char *name)
{
    hmap_put(&p->types, name, (void *)1, NULL);
}

static int
is_type_name(struct parser *p, const char *name)
{
    return hmap_get(&p->types, name) != NULL;
}

static struct node *
mk(struct parser *p, enum node_kind k, struct token *at)
{
    return node_new(p->A, k, at->loc);
}

static void
enter(struct parser *p)
{
    if (++p->depth > MAX_DEPTH)
        syntax_error(p, "nesting too deep (more than %d levels)", MAX_DEPTH);
}

/* ---- types ---- */

/* typeParameters: '<' name {',' name} '>' */
static void
parse_tparams(struct parser *p, struct nlist *out)
{
    if (!accept(p, "<"))
        return;
    do {
        struct token *t = tok(p);
        struct node *n = mk(p, N_TNAME, t);
        n->name = expect_name(p, "a type parameter name");
        add_type_name(p, n->name);
        nlist_push(p->A, out, n);
    } while (accept(p, ","));
    expect(p, ">");
}

/* Width of bit<W>/int<W>/varbit<W>: an integer or a parenthesized
 * expression. */
static struct node *
parse_width(struct parser *p)
{
    struct token *t = tok(p);
    if (t->kind == T_INT) {
        next(p);
        struct node *n = mk(p, N_INT, t);
        n->ival = t->ival;
        n->width = t->width;
        n->flags = t->flags;
        return n;
    }
    if (is(p, "(")) {
        next(p);
        struct node *e = parse_expr(p);
        expect(p, ")");
        return e;
    }
    if (is_name_tok(t)) {
        next(p);
        struct node *n = mk(p, N_NAME, t);
        n->name = t->text;
        return n;
    }
    syntax_error(p, "expected a width");
}

static void
parse_type_args(struct parser *p, struct nlist *out)
{
    expect(p, "<");
    if (!is(p, ">")) {
        do {
            if (tok(p)->kind == T_INT) {
                /* a value as a type argument (rare; kept as a type) */
                struct node *n = mk(p, N_TYPEARG, tok(p));
                n->a = parse_width(p);
                nlist_push(p->A, out, n);
            } else {
                nlist_push(p->A, out, parse_type(p));
            }
        } while (accept(p, ","));
    }
    expect(p, ">");
}

/* typeRef: baseType | typeName [typeArgs] | tuple<...> | headerStack */
static struct node *
parse_type(struct parser *p)
{
    enter(p);
    struct token *t = tok(p);
    struct node *n;
    if (is(p, "bit") || is(p, "int")) {
        int sign = is(p, "int");
        next(p);
        if (is(p, "<")) {
            next(p);
            n = mk(p, N_TBIT, t);
            n->flags = sign ? F_SIGNED : 0;
            n->a = parse_width(p);
            expect(p, ">");
        } else if (sign) {
            n = mk(p, N_TINT, t);
        } else {
            n = mk(p, N_TBIT, t);
            n->width = 1;
        }
    } else if (accept(p, "varbit")) {
        n = mk(p, N_TVARBIT, t);
        expect(p, "<");
        n->a = parse_width(p);
        expect(p, ">");
    } else if (accept(p, "bool")) {
        n = mk(p, N_TBOOL, t);
    } else if (accept(p, "error")) {
        n = mk(p, N_TERROR, t);
    } else if (accept(p, "string")) {
        n = mk(p, N_TSTRING, t);
    } else if (accept(p, "void")) {
        n = mk(p, N_TVOID, t);
    } else if (accept(p, "match_kind")) {
        n = mk(p, N_TMATCH_KIND, t);
    } else if (accept(p, "_")) {
        n = mk(p, N_TDONTCARE, t);
    } else if (is(p, "tuple") || is(p, "list")) {
        n = mk(p, is(p, "tuple") ? N_TTUPLE : N_TLIST, t);
        next(p);
        parse_type_args(p, &n->targs);
    } else {
        int top = accept(p, ".");
        n = mk(p, N_TNAME, tok(p));
        n->name = expect_name(p, "a type");
        if (top)
            n->flags |= F_TOPLEVEL;
        if (is(p, "<"))
            parse_type_args(p, &n->targs);
    }
    while (is(p, "[")) {
        struct token *b = next(p);
        struct node *s = mk(p, N_TSTACK, b);
        s->a = n;
        s->b = parse_expr(p);
        expect(p, "]");
        n = s;
    }
    p->depth--;
    return n;
}

/* ---- expressions ---- */

static struct node *
parse_arg(struct parser *p)
{
    struct token *t = tok(p);
    if (is_name_tok(t) && is_at(p, 1, "=") && !is_at(p, 2, "=")) {
        next(p);
        next(p);
        struct node *n = mk(p, N_NAMED, t);
        n->name = t->text;
        n->a = is(p, "_") ? mk(p, N_DONTCARE, next(p)) : parse_expr(p);
        return n;
    }
    if (is(p, "_") && (is_at(p, 1, ",") || is_at(p, 1, ")")))
        return mk(p, N_DONTCARE, next(p));
    return parse_expr(p);
}

/* argumentList: '(' [argument {',' argument}] ')' */
static void
parse_args(struct parser *p, struct nlist *out)
{
    expect(p, "(");
    if (!is(p, ")")) {
        do
            nlist_push(p->A, out, parse_arg(p));
        while (accept(p, ","));
    }
    expect(p, ")");
}

/* Does '<' at the current position start type arguments of a call (f<T>(..))?
 * Scans ahead for the matching '>' over tokens that may appear in types, then
 * wants '('. */
static int
looks_like_type_args(struct parser *p)
{
    int depth = 0;
    for (int k = 0; k < 64; k++) {
        struct token *t = peek(p, k);
        if (t->kind == T_EOF)
            return 0;
        if (t->kind == T_PUNCT) {
            if (!strcmp(t->text, "<"))
                depth++;
            else if (!strcmp(t->text, ">")) {
                if (--depth == 0)
                    return is_at(p, k + 1, "(");
            } else if (strcmp(t->text, ",") && strcmp(t->text, ".") &&
                       strcmp(t->text, "[") && strcmp(t->text, "]"))
                return 0;
        } else if (t->kind == T_IDENT) {
            if (is_keyword(t->text) && strcmp(t->text, "bit") &&
                strcmp(t->text, "int") && strcmp(t->text, "bool") &&
                strcmp(t->text, "varbit") && strcmp(t->text, "tuple") &&
                strcmp(t->text, "error") && strcmp(t->text, "_") &&
                strcmp(t->text, "string"))
                return 0;
        } else if (t->kind != T_INT) {
            return 0;
        }
    }
    return 0;
}

/* Is '(' at the current position the start of a cast "(type) expr"? */
static int
looks_like_cast(struct parser *p)
{
    struct token *t = peek(p, 1);
    if (t->kind != T_IDENT)
        return 0;
    if (!strcmp(t->text, "bit") || !strcmp(t->text, "int") ||
        !strcmp(t->text, "varbit") || !strcmp(t->text, "bool") ||
        !strcmp(t->text, "tuple"))
        return 1;
    if (!strcmp(t->text, "error") || !strcmp(t->text, "string"))
        return is_at(p, 2, ")");
    if (is_type_name(p, t->text) &&
        (is_at(p, 2, ")") || is_at(p, 2, "<") || is_at(p, 2, "[")))
        return 1;
    return 0;
}

static struct node *
int_node(struct parser *p, struct token *t)
{
    struct node *n = mk(p, N_INT, t);
    n->str = t->text;
    n->ival = t->ival;
    n->width = t->width;
    n->flags = t->flags;
    return n;
}

/* primary: literal | name | '.' name | '(' expr ')' | cast | '{' ... '}'
 *        | prefix-op expr */
static struct node *
parse_unary(struct parser *p)
{
    enter(p);
    struct token *t = tok(p);
    struct node *n;
    if (is(p, "!") || is(p, "~") || is(p, "-") || is(p, "+")) {
        next(p);
        n = mk(p, N_UNOP, t);
        n->op = t->text;
        n->a = parse_unary(p);
        p->depth--;
        return n;
    }
    if (t->kind == T_INT) {
        next(p);
        n = int_node(p, t);
    } else if (t->kind == T_STRING) {
        next(p);
        n = mk(p, N_STRING, t);
        n->name = t->text;
    } else if (is(p, "true") || is(p, "false")) {
        next(p);
        n = mk(p, N_BOOL, t);
        n->ival = !strcmp(t->text, "true");
    } else if (is(p, "(")) {
        if (looks_like_cast(p)) {
            next(p);
            n = mk(p, N_CAST, t);
            n->a = parse_type(p);
            expect(p, ")");
            n->b = parse_unary(p);
            p->depth--;
            return n;
        }
        next(p);
        n = parse_expr(p);
        expect(p, ")");
    } else if (is(p, "{")) {
        next(p);
        if (is_name_tok(tok(p)) && is_at(p, 1, "=") && !is_at(p, 2, "=")) {
            n = mk(p, N_STRUCT_INIT, t);
            do {
                if (is(p, "}"))
                    break;
                struct token *f = tok(p);
                struct node *m = mk(p, N_NAMED, f);
                m->name = expect_name(p, "a field name");
                expect(p, "=");
                m->a = parse_expr(p);
                nlist_push(p->A, &n->list, m);
            } while (accept(p, ","));
        } else {
            n = mk(p, N_LIST, t);
            if (!is(p, "}")) {
                do {
                    if (is(p, "}"))
                        break;
                    nlist_push(p->A, &n->list, parse_expr(p));
                } while (accept(p, ","));
            }
        }
        expect(p, "}");
    } else if (is(p, "error") && is_at(p, 1, ".")) {
        next(p);
        n = mk(p, N_NAME, t);
        n->name = "error";
    } else if (is(p, ".") && is_name_tok(peek(p, 1))) {
        next(p);
        n = mk(p, N_NAME, tok(p));
        n->name = next(p)->text;
        n->flags |= F_TOPLEVEL;
    } else if (is(p, "this")) {
        next(p);
        n = mk(p, N_NAME, t);
        n->name = "this";
    } else if (is(p, "_")) {
        next(p);
        n = mk(p, N_DONTCARE, t);
    } else if (is(p, "default")) {
        next(p);
        n = mk(p, N_DEFAULT, t);
    } else if (is(p, "bit") || is(p, "int") || is(p, "varbit") ||
               is(p, "bool") || is(p, "tuple")) {
        /* a type in expression position: bit<8>.minSizeInBits() */
        n = mk(p, N_TYPEARG, t);
        n->a = parse_type(p);
    } else if (is_name_tok(t)) {
        next(p);
        n = mk(p, N_NAME, t);
        n->name = t->text;
    } else {
        syntax_error(p, "expected an expression");
    }
    /* postfix: member, index, slice, call */
    for (;;) {
        struct token *o = tok(p);
        if (is(p, ".")) {
            next(p);
            struct token *m = tok(p);
            if (m->kind != T_IDENT)
                syntax_error(p, "expected a member name");
            next(p);
            struct node *e = mk(p, N_MEMBER, m);
            e->a = n;
            e->name = m->text;
            n = e;
        } else if (is(p, "[")) {
            next(p);
            struct node *i = parse_expr(p);
            if (accept(p, "+:")) {
                /* a[lo +: w] == a[lo + w - 1 : lo] */
                struct node *s = mk(p, N_SLICE, o);
                s->op = "+:";
                s->a = n;
                s->c = i;
                s->b = parse_expr(p);
                n = s;
            } else if (accept(p, ":")) {
                struct node *s = mk(p, N_SLICE, o);
                s->a = n;
                s->b = i;
                s->c = parse_expr(p);
                n = s;
            } else {
                struct node *s = mk(p, N_INDEX, o);
                s->a = n;
                s->b = i;
                n = s;
            }
            expect(p, "]");
        } else if (is(p, "(")) {
            struct node *call = mk(p, N_CALL, o);
            call->loc = n->loc;
            call->a = n;
            parse_args(p, &call->args);
            n = call;
        } else if (is(p, "<") && (n->kind == N_NAME || n->kind == N_MEMBER) &&
                   looks_like_type_args(p)) {
            struct node *call = mk(p, N_CALL, o);
            call->loc = n->loc;
            call->a = n;
            parse_type_args(p, &call->targs);
            parse_args(p, &call->args);
            n = call;
        } else {
            break;
        }
    }
    p->depth--;
    return n;
}

/* Binary operator levels, loosest first. */
static const char *const levels[][5] = {
    {"||"},
    {"&&"},
    {"==", "!="},
    {"<", ">", "<=", ">="},
    {"|"},
    {"^"},
    {"&"},
    {"<<", ">>"},
    {"+", "-", "++", "|+|", "|-|"},
    {"*", "/", "%"},
};
#define NLEVELS ((int)ARRAY_SIZE(levels))

static int
adjacent(struct token *a, struct token *b)
{
    return a->loc.line == b->loc.line && a->loc.col + a->len == b->loc.col;
}

/* Returns the binary operator at the current position if it belongs to level
 * lv (and how many tokens it spans), else NULL. ">>" and ">=" are two adjacent
 * tokens. */
static const char *
binop_at(struct parser *p, int lv, int *ntok)
{
    struct token *t = tok(p);
    if (t->kind != T_PUNCT)
        return NULL;
    const char *op = t->text;
    *ntok = 1;
    if (!strcmp(op, ">")) {
        struct token *u = peek(p, 1);
        if (u->kind == T_PUNCT && adjacent(t, u)) {
            if (!strcmp(u->text, ">")) {
                struct token *w = peek(p, 2);
                if (w->kind == T_PUNCT && adjacent(u, w) &&
                    !strcmp(w->text, "=") && !is_at(p, 3, "="))
                    return NULL; /* ">>=" */
                op = ">>";
                *ntok = 2;
            } else if (!strcmp(u->text, "=") && !is_at(p, 2, "=")) {
                op = ">=";
                *ntok = 2;
            } else if (!strcmp(u->text, "==")) {
                op = ">=";
                *ntok = 1; /* ">==": not an operator we join */
                return NULL;
            }
        }
    }
    for (int i = 0; i < 5 && levels[lv][i]; i++)
        if (!strcmp(levels[lv][i], op))
            return levels[lv][i];
    return NULL;
}

static struct node *
parse_binary(struct parser *p, int lv)
{
    if (lv == NLEVELS)
        return parse_unary(p);
    enter(p);
    struct node *l = parse_binary(p, lv + 1);
    for (;;) {
        int ntok;
        const char *op = binop_at(p, lv, &ntok);
        if (!op)
            break;
        struct token *t = tok(p);
        p->pos += ntok;
        struct node *b = mk(p, N_BINOP, t);
        b->op = op;
        b->a = l;
        b->b = parse_binary(p, lv + 1);
        l = b;
    }
    p->depth--;
    return l;
}

/* expression: binary ['?' expression ':' expression] */
static struct node *
parse_expr(struct parser *p)
{
    enter(p);
    struct node *e = parse_binary(p, 0);
    if (is(p, "?")) {
        struct token *t = next(p);
        struct node *n = mk(p, N_TERNARY, t);
        n->a = e;
        n->b = parse_expr(p);
        expect(p, ":");
        n->c = parse_expr(p);
        e = n;
    }
    p->depth--;
    return e;
}

/* keysetExpression: expression ['&&&' expression | '..' expression]
 *                 | '(' keyset {',' keyset} ')' | default | _ */
static struct node *
parse_keyset_elem(struct parser *p)
{
    struct token *t = tok(p);
    if (is(p, "default") || is(p, "_")) {
        int dflt = is(p, "default");
        next(p);
        return mk(p, dflt ? N_DEFAULT : N_DONTCARE, t);
    }
    struct node *e = parse_expr(p);
    if (is(p, "&&&") || is(p, "..")) {
        struct token *o = next(p);
        struct node *m = mk(p, !strcmp(o->text, "&&&") ? N_MASK : N_RANGE, o);
        m->a = e;
        m->b = parse_expr(p);
        return m;
    }
    return e;
}

static struct node *
parse_keyset(struct parser *p)
{
    /* "(a, b)" is a tuple keyset; "(a)" a parenthesized one */
    if (is(p, "(") && !looks_like_cast(p)) {
        int save = p->pos;
        struct token *t = next(p);
        struct node *l = mk(p, N_LIST, t);
        do
            nlist_push(p->A, &l->list, parse_keyset_elem(p));
        while (accept(p, ","));
        if (accept(p, ")") && (is(p, ":") || is(p, ",") || is(p, ")"))) {
            l->flags |= F_CONST; /* a keyset tuple, not a list expression */
            return l->list.n == 1 ? l->list.v[0] : l;
        }
        p->pos = save;
    }
    return parse_keyset_elem(p);
}

/* ---- annotations ---- */

/* The body of a structured annotation, tokens [start, end):
 *   (expression | name '=' expression) {',' ...}
 * into a->a (an N_LIST of expressions and N_NAMED); on a syntax error (which
 * is reported) a->a stays NULL and parsing goes on after the annotation. */
static void
parse_structured(struct parser *p, struct node *a, int start, int end)
{
    int save = p->pos;
    jmp_buf outer;
    memcpy(outer, p->fail, sizeof outer);
    p->pos = start;
    if (!setjmp(p->fail)) {
        struct node *l = mk(p, N_LIST, tok(p));
        while (p->pos < end) {
            struct token *t = tok(p);
            if (t->kind == T_IDENT && is_at(p, 1, "=")) {
                struct node *kv = mk(p, N_NAMED, t);
                kv->name = t->text;
                next(p);
                next(p);
                kv->a = parse_expr(p);
                nlist_push(p->A, &l->list, kv);
            } else {
                nlist_push(p->A, &l->list, parse_expr(p));
            }
            if (p->pos < end && !accept(p, ","))
                syntax_error(p, "expected ',' or ']' in @%s[...]", a->name);
        }
        if (p->pos != end)
            syntax_error(p, "expected ']' to end @%s[...]", a->name);
        a->a = l;
    }
    memcpy(p->fail, outer, sizeof outer);
    p->pos = save;
}

/* annotation: '@' name ['(' tokens ')' | '[' tokens ']'] */
static void
parse_annotations(struct parser *p, struct nlist *out)
{
    while (is(p, "@")) {
        struct token *at = next(p);
        struct token *t = tok(p);
        if (t->kind != T_IDENT)
            syntax_error(p, "expected an annotation name");
        next(p);
        struct node *a = mk(p, N_ANNOT, at);
        a->name = t->text;
        if (is(p, "(") || (is(p, "[") && adjacent(t, tok(p)))) {
            const char *open = tok(p)->text;
            if (open[0] == '[')
                a->flags |= F_CONST; /* a structured annotation */
            const char *close = open[0] == '(' ? ")" : "]";
            next(p);
            int body = p->pos;
            struct strbuf *sbp = &p->sb;
            strbuf_reset(sbp);
            struct node *l = mk(p, N_LIST, tok(p));
            int depth = 0, ntoks = 0;
            while (depth > 0 || !is(p, close)) {
                ntoks++;
                struct token *b = tok(p);
                if (b->kind == T_EOF)
                    syntax_error(p, "unterminated annotation");
                if (is(p, open))
                    depth++;
                else if (is(p, close))
                    depth--;
                if (sbp->len)
                    strbuf_putc(sbp, ' ');
                if (b->kind == T_STRING) {
                    strbuf_printf(sbp, "\"%s\"", b->text);
                    struct node *s = mk(p, N_STRING, b);
                    s->name = b->text;
                    nlist_push(p->A, &l->list, s);
                } else {
                    strbuf_puts(sbp, b->text);
                    if (b->kind == T_INT)
                        nlist_push(p->A, &l->list, int_node(p, b));
                }
                next(p);
            }
            int end = p->pos;
            next(p);
            a->b = l;
            a->str = arena_strdup(p->A, strbuf_str(sbp));
            if (a->flags & F_CONST)
                parse_structured(p, a, body, end);
            /* @name and @deprecated take exactly one string */
            if ((!strcmp(a->name, "name") || !strcmp(a->name, "deprecated")) &&
                (l->list.n != 1 || l->list.v[0]->kind != N_STRING ||
                 ntoks != 1))
                cc_error(p->c, a->loc, "@%s needs one string argument",
                         a->name);
            /* @p4runtime_translation("uri", bit<W> | string | W) */
            const char *c2 = strstr(a->str, " , ");
            if (!strcmp(a->name, "p4runtime_translation") && c2 &&
                strncmp(c2 + 3, "bit <", 5) && strncmp(c2 + 3, "string", 6) &&
                !(c2[3] >= '0' && c2[3] <= '9'))
                cc_error(p->c, a->loc,
                         "@p4runtime_translation: the controller type must "
                         "be bit<W>, string or a width, not '%s'",
                         c2 + 3);
        } else if (!strcmp(a->name, "pkginfo")) {
            cc_error(p->c, a->loc,
                     "@pkginfo needs its key=value pairs, as in "
                     "@pkginfo(name=\"x\", version=\"1\")");
        }
        /* a structured annotation's name may appear only once */
        for (int i = 0; i < out->n; i++)
            if (!strcmp(out->v[i]->name, a->name) &&
                ((out->v[i]->flags | a->flags) & F_CONST))
                cc_error(p->c, a->loc,
                         "@%s: a structured annotation cannot be "
                         "repeated",
                         a->name);
        nlist_push(p->A, out, a);
    }
}

/* ---- parameters ---- */

/* parameter: annotations [direction] type name ['=' expression] */
static struct node *
parse_param(struct parser *p)
{
    struct nlist annots = {0};
    parse_annotations(p, &annots);
    struct token *t = tok(p);
    struct node *n = mk(p, N_PARAM, t);
    n->annots = annots;
    if (accept(p, "in"))
        n->flags |= F_DIR_IN;
    else if (accept(p, "out"))
        n->flags |= F_DIR_OUT;
    else if (accept(p, "inout"))
        n->flags |= F_DIR_INOUT;
    n->a = parse_type(p);
    n->loc = tok(p)->loc;
    n->name = expect_name(p, "a parameter name");
    if (accept(p, "="))
        n->b = parse_expr(p);
    return n;
}

static void
parse_params(struct parser *p, struct nlist *out)
{
    expect(p, "(");
    if (!is(p, ")")) {
        do
            nlist_push(p->A, out, parse_param(p));
        while (accept(p, ","));
    }
    expect(p, ")");
}

/* ---- statements ---- */

/* Is the statement at the current position a declaration "T x ..."? */
static int
starts_declaration(struct parser *p)
{
    struct token *t = tok(p);
    if (t->kind != T_IDENT)
        return is(p, ".") && is_name_tok(peek(p, 1)) &&
               is_type_name(p, peek(p, 1)->text) && peek(p, 2)->kind == T_IDENT;
    if (is(p, "bit") || is(p, "int") || is(p, "varbit") || is(p, "bool") ||
        is(p, "tuple") || is(p, "string"))
        return 1;
    if (is(p, "error"))
        return peek(p, 1)->kind == T_IDENT;
    if (is_keyword(t->text))
        return 0;
    struct token *u = peek(p, 1);
    if (is_name_tok(u))
        return 1;
    if (is_type_name(p, t->text) && (is_at(p, 1, "<") || is_at(p, 1, "[")))
        return 1;
    return 0;
}

/* variableDeclaration: type name ['=' expression] ';' (after annotations) */
static struct node *
parse_var_rest(struct parser *p, struct node *type, struct nlist annots)
{
    struct token *t = tok(p);
    struct node *n = mk(p, N_VAR, t);
    n->annots = annots;
    n->a = type;
    n->name = expect_name(p, "a variable name");
    if (accept(p, "="))
        n->b = parse_expr(p);
    expect(p, ";");
    return n;
}

/* constantDeclaration: 'const' type name '=' expression ';' */
static struct node *
parse_const(struct parser *p, struct nlist annots)
{
    struct token *t = expect(p, "const");
    struct node *n = mk(p, N_CONST, t);
    n->annots = annots;
    n->a = parse_type(p);
    n->loc = tok(p)->loc;
    n->name = expect_name(p, "a constant name");
    expect(p, "=");
    n->b = parse_expr(p);
    expect(p, ";");
    return n;
}

/* switchStatement: 'switch' '(' expression ')' '{' {label ':' [block]} '}' */
static struct node *
parse_switch(struct parser *p)
{
    struct token *t = expect(p, "switch");
    struct node *n = mk(p, N_SWITCH, t);
    expect(p, "(");
    n->a = parse_expr(p);
    expect(p, ")");
    expect(p, "{");
    while (!is(p, "}")) {
        struct token *c = tok(p);
        struct node *k = mk(p, N_CASE, c);
        if (accept(p, "default"))
            k->a = NULL;
        else
            k->a = parse_expr(p);
        expect(p, ":");
        if (is(p, "{"))
            k->b = parse_block(p);
        nlist_push(p->A, &n->list, k);
    }
    expect(p, "}");
    return n;
}

/* assignment or method call, without the ';' */
static struct node *
parse_simple_stmt(struct parser *p)
{
    struct token *t = tok(p);
    struct node *n;
    struct node *e = parse_expr(p);
    struct token *o = tok(p);
    const char *aop = NULL;
    if (is(p, "=") || is(p, "+=") || is(p, "-=") || is(p, "*=") ||
        is(p, "/=") || is(p, "%=") || is(p, "&=") || is(p, "|=") ||
        is(p, "^=") || is(p, "<<=") || is(p, "|+|") || is(p, "|-|")) {
        aop = o->text;
        next(p);
        if (!strcmp(aop, "|+|") || !strcmp(aop, "|-|")) {
            expect(p, "=");
            aop = !strcmp(aop, "|+|") ? "|+|=" : "|-|=";
        }
    } else if (is(p, ">") && is_at(p, 1, ">") && is_at(p, 2, "=")) {
        p->pos += 3;
        aop = ">>=";
    }
    if (aop) {
        n = mk(p, N_ASSIGN, t); /* located at the statement's first token */
        n->op = aop;
        n->a = e;
        n->b = parse_expr(p);
    } else {
        if (e->kind != N_CALL)
            syntax_error(p, "expected '=' or a method call");
        n = mk(p, N_CALL_STMT, t);
        n->a = e;
    }
    return n;
}

/* forStatement: 'for' '(' [init {',' init}] ';' [expr] ';' [update] ')' stmt
 *             | 'for' '(' type name 'in' expression ')' statement
 * Kept as N_FOR: a = init block, b = condition, c = update block, list[0] =
 * body; or (for-in) a = N_VAR, b = range expression. */
static struct node *
parse_for(struct parser *p)
{
    struct token *t = expect(p, "for");
    struct node *n = mk(p, N_FOR, t);
    expect(p, "(");
    int save = p->pos;
    if (starts_declaration(p)) {
        struct node *type = parse_type(p);
        struct token *vt = tok(p);
        const char *name = expect_name(p, "a variable name");
        if (accept(p, "in")) {
            struct node *v = mk(p, N_VAR, vt);
            v->a = type;
            v->name = name;
            n->a = v;
            n->b = parse_expr(p);
            n->flags |= F_CONST; /* for-in */
            expect(p, ")");
            nlist_push(p->A, &n->list, parse_stmt(p));
            return n;
        }
    }
    p->pos = save;
    struct node *init = mk(p, N_BLOCK, tok(p));
    while (!accept(p, ";")) {
        if (starts_declaration(p)) {
            struct node *type = parse_type(p);
            struct node *v = mk(p, N_VAR, tok(p));
            v->a = type;
            v->name = expect_name(p, "a variable name");
            if (accept(p, "="))
                v->b = parse_expr(p);
            nlist_push(p->A, &init->list, v);
        } else {
            nlist_push(p->A, &init->list, parse_simple_stmt(p));
        }
        if (!is(p, ";"))
            expect(p, ",");
    }
    n->a = init;
    if (!is(p, ";"))
        n->b = parse_expr(p);
    expect(p, ";");
    struct node *upd = mk(p, N_BLOCK, tok(p));
    while (!accept(p, ")")) {
        nlist_push(p->A, &upd->list, parse_simple_stmt(p));
        if (!is(p, ")"))
            expect(p, ",");
    }
    n->c = upd;
    nlist_push(p->A, &n->list, parse_stmt(p));
    return n;
}

/* statement: block | if | switch | return | exit | ';' | declaration
 *          | assignment | call */
static struct node *
parse_stmt(struct parser *p)
{
    enter(p);
    struct nlist annots = {0};
    parse_annotations(p, &annots);
    struct token *t = tok(p);
    struct node *n;
    if (is(p, "{")) {
        n = parse_block(p);
    } else if (accept(p, "if")) {
        n = mk(p, N_IF, t);
        expect(p, "(");
        n->a = parse_expr(p);
        expect(p, ")");
        n->b = parse_stmt(p);
        if (accept(p, "else"))
            n->c = parse_stmt(p);
    } else if (is(p, "switch")) {
        n = parse_switch(p);
    } else if (is(p, "for") && is_at(p, 1, "(")) {
        n = parse_for(p);
    } else if (accept(p, "return")) {
        n = mk(p, N_RETURN, t);
        if (!is(p, ";"))
            n->a = parse_expr(p);
        expect(p, ";");
    } else if (accept(p, "exit")) {
        n = mk(p, N_EXIT, t);
        expect(p, ";");
    } else if (accept(p, ";")) {
        n = mk(p, N_EMPTY, t);
    } else if (is(p, "const")) {
        n = parse_const(p, annots);
    } else if (starts_declaration(p)) {
        struct node *type = parse_type(p);
        if (is(p, "(")) {
            /* an instantiation inside a block: not allowed in P4 bodies but
             * parse it to say so clearly */
            n = mk(p, N_INSTANCE, t);
            n->a = type;
            parse_args(p, &n->args);
            n->name = expect_name(p, "an instance name");
            expect(p, ";");
        } else {
            n = parse_var_rest(p, type, annots);
        }
    } else {
        n = parse_simple_stmt(p);
        expect(p, ";");
    }
    if (annots.n && !n->annots.n)
        n->annots = annots;
    p->depth--;
    return n;
}

/* blockStatement: '{' {statement} '}' */
static struct node *
parse_block(struct parser *p)
{
    struct token *t = expect(p, "{");
    struct node *n = mk(p, N_BLOCK, t);
    while (!is(p, "}")) {
        if (tok(p)->kind == T_EOF)
            syntax_error(p, "expected '}'");
        nlist_push(p->A, &n->list, parse_stmt(p));
    }
    next(p);
    return n;
}

/* ---- parser states ---- */

/* selectExpression: 'select' '(' exprs ')' '{' {keyset ':' name ';'} '}' */
static struct node *
parse_transition(struct parser *p)
{
    struct token *t = tok(p);
    if (accept(p, "select")) {
        struct node *n = mk(p, N_SELECT, t);
        expect(p, "(");
        do
            nlist_push(p->A, &n->args, parse_expr(p));
        while (accept(p, ","));
        expect(p, ")");
        expect(p, "{");
        while (!is(p, "}")) {
            struct nlist annots = {0};
            parse_annotations(p, &annots);
            struct token *c = tok(p);
            struct node *k = mk(p, N_CASE, c);
            k->annots = annots;
            k->a = parse_keyset(p);
            expect(p, ":");
            struct token *s = tok(p);
            k->b = mk(p, N_NAME, s);
            k->b->name = expect_name(p, "a state name");
            expect(p, ";");
            nlist_push(p->A, &n->list, k);
        }
        expect(p, "}");
        return n;
    }
    struct node *n = mk(p, N_NAME, t);
    n->name = expect_name(p, "a state name or select");
    expect(p, ";");
    return n;
}

/* parserState: annotations 'state' name '{' {statement} transition '}' */
static struct node *
parse_state(struct parser *p, struct nlist annots)
{
    expect(p, "state");
    struct token *t = tok(p);
    struct node *n = mk(p, N_STATE, t);
    n->annots = annots;
    if (t->kind != T_IDENT)
        syntax_error(p, "expected a state name");
    n->name = t->text; /* accept/reject are diagnosed by the checker */
    next(p);
    expect(p, "{");
    while (!is(p, "}") && !is(p, "transition")) {
        if (tok(p)->kind == T_EOF)
            syntax_error(p, "expected '}'");
        nlist_push(p->A, &n->list, parse_stmt(p));
    }
    if (accept(p, "transition"))
        n->a = parse_transition(p);
    expect(p, "}");
    return n;
}

/* ---- tables ---- */

static struct node *
parse_table(struct parser *p, struct nlist annots)
{
    expect(p, "table");
    struct token *t = tok(p);
    struct node *n = mk(p, N_TABLE, t);
    n->annots = annots;
    n->name = expect_name(p, "a table name");
    expect(p, "{");
    while (!accept(p, "}")) {
        struct nlist pa = {0};
        parse_annotations(p, &pa);
        int cnst = accept(p, "const");
        struct token *pt = tok(p);
        if (pt->kind != T_IDENT)
            syntax_error(p, "expected a table property");
        struct node *prop = mk(p, N_PROP, pt);
        prop->name = pt->text;
        prop->annots = pa;
        prop->flags = cnst ? F_CONST : 0;
        next(p);
        if (!strcmp(pt->text, "key")) {
            expect(p, "=");
            struct node *k = mk(p, N_KEYS, expect(p, "{"));
            while (!accept(p, "}")) {
                struct node *e = mk(p, N_KEY, tok(p));
                e->a = parse_expr(p);
                expect(p, ":");
                e->name = expect_name(p, "a match kind");
                parse_annotations(p, &e->annots);
                expect(p, ";");
                nlist_push(p->A, &k->list, e);
            }
            prop->a = k;
        } else if (!strcmp(pt->text, "actions")) {
            expect(p, "=");
            struct node *l = mk(p, N_ACTLIST, expect(p, "{"));
            while (!accept(p, "}")) {
                struct nlist aa = {0};
                parse_annotations(p, &aa);
                struct node *e = parse_expr(p);
                if (e->kind != N_NAME && e->kind != N_CALL &&
                    e->kind != N_MEMBER)
                    syntax_error(p, "expected an action name");
                if (!e->annots.n)
                    e->annots = aa;
                expect(p, ";");
                nlist_push(p->A, &l->list, e);
            }
            prop->a = l;
        } else if (!strcmp(pt->text, "entries")) {
            expect(p, "=");
            struct node *l = mk(p, N_ENTRIES, expect(p, "{"));
            while (!accept(p, "}")) {
                struct nlist ea = {0};
                parse_annotations(p, &ea);
                struct node *e = mk(p, N_ENTRY, tok(p));
                e->annots = ea;
                accept(p, "const");
                if (is(p, "priority") && is_at(p, 1, "=")) {
                    p->pos += 2;
                    e->c = parse_expr(p);
                    expect(p, ":");
                }
                e->a = parse_keyset(p);
                expect(p, ":");
                e->b = parse_expr(p);
                parse_annotations(p, &e->annots);
                expect(p, ";");
                nlist_push(p->A, &l->list, e);
            }
            prop->a = l;
        } else {
            expect(p, "=");
            prop->a = parse_expr(p);
            expect(p, ";");
        }
        nlist_push(p->A, &n->list, prop);
    }
    return n;
}

/* ---- declarations ---- */

static struct node *parse_decl(struct parser *p, int where);

enum { AT_TOP, AT_PARSER, AT_CONTROL };

/* action: 'action' name '(' params ')' block */
static struct node *
parse_action(struct parser *p, struct nlist annots)
{
    expect(p, "action");
    struct token *t = tok(p);
    struct node *n = mk(p, N_ACTION, t);
    n->annots = annots;
    n->name = expect_name(p, "an action name");
    parse_params(p, &n->params);
    n->b = parse_block(p);
    return n;
}

/* parser/control: kw name [tparams] '(' params ')' (';' | [ctor] '{' ... '}')
 */
static struct node *
parse_parser_or_control(struct parser *p, struct nlist annots)
{
    int is_parser = is(p, "parser");
    next(p);
    struct token *t = tok(p);
    struct node *n = mk(p, is_parser ? N_PARSER : N_CONTROL, t);
    n->annots = annots;
    n->name = expect_name(p, is_parser ? "a parser name" : "a control name");
    add_type_name(p, n->name);
    parse_tparams(p, &n->tparams);
    parse_params(p, &n->params);
    if (accept(p, ";")) {
        n->kind = is_parser ? N_PARSER_TYPE : N_CONTROL_TYPE;
        return n;
    }
    if (is(p, "("))
        parse_params(p, &n->ctor);
    expect(p, "{");
    while (!is(p, "}")) {
        if (tok(p)->kind == T_EOF)
            syntax_error(p, "expected '}'");
        if (!is_parser && is(p, "apply")) {
            next(p);
            n->b = parse_block(p);
            continue;
        }
        nlist_push(p->A, &n->list,
                   parse_decl(p, is_parser ? AT_PARSER : AT_CONTROL));
    }
    next(p);
    if (!is_parser && !n->b)
        cc_error(p->c, n->loc, "control %s has no apply block", n->name);
    return n;
}

/* members of enum / error / match_kind: '{' name ['=' expr] {',' ...} '}' */
static void
parse_members(struct parser *p, struct nlist *out, int values)
{
    expect(p, "{");
    if (!is(p, "}")) {
        do {
            if (is(p, "}"))
                break;
            struct nlist annots = {0};
            parse_annotations(p, &annots);
            struct token *t = tok(p);
            struct node *m = mk(p, N_ENUM_MEMBER, t);
            m->annots = annots;
            m->name = expect_name(p, "a member name");
            if (values) {
                expect(p, "=");
                m->b = parse_expr(p);
            }
            nlist_push(p->A, out, m);
        } while (accept(p, ","));
    }
    expect(p, "}");
}

/* externDeclaration: 'extern' name [tparams] '{' methods '}'
 *                  | 'extern' functionPrototype ';' */
static struct node *
parse_extern(struct parser *p, struct nlist annots)
{
    expect(p, "extern");
    struct token *t = tok(p);
    if (is_name_tok(t) && (is_at(p, 1, "{") || is_at(p, 1, "<"))) {
        /* "extern E<T> {" - but "extern T f<X>(...)" has a name after the
         * type: look for '{' after the type parameters */
        int save = p->pos;
        struct node *n = mk(p, N_EXTERN, t);
        n->annots = annots;
        n->name = t->text;
        next(p);
        add_type_name(p, n->name);
        parse_tparams(p, &n->tparams);
        if (is(p, "{")) {
            next(p);
            while (!accept(p, "}")) {
                struct nlist ma = {0};
                parse_annotations(p, &ma);
                struct token *mt = tok(p);
                struct node *m = mk(p, N_METHOD, mt);
                m->annots = ma;
                if (accept(p, "abstract"))
                    m->flags |= F_ABSTRACT;
                if (is(p, n->name) && is_at(p, 1, "(")) {
                    m->name = next(p)->text; /* constructor */
                } else {
                    m->a = parse_type(p);
                    m->loc = tok(p)->loc;
                    struct token *nt = tok(p);
                    if (nt->kind != T_IDENT)
                        syntax_error(p, "expected a method name");
                    m->name = nt->text;
                    next(p);
                    parse_tparams(p, &m->tparams);
                }
                parse_params(p, &m->params);
                expect(p, ";");
                nlist_push(p->A, &n->list, m);
            }
            return n;
        }
        p->pos = save;
    }
    struct node *f = mk(p, N_FUNCTION, t);
    f->annots = annots;
    f->a = parse_type(p);
    f->loc = tok(p)->loc;
    f->name = expect_name(p, "a function name");
    parse_tparams(p, &f->tparams);
    parse_params(p, &f->params);
    expect(p, ";");
    return f;
}

/* declaration at top level (where=AT_TOP) or inside a parser/control */
static struct node *
parse_decl(struct parser *p, int where)
{
    enter(p);
    struct nlist annots = {0};
    parse_annotations(p, &annots);
    struct token *t = tok(p);
    struct node *n;
    if (is(p, "const")) {
        n = parse_const(p, annots);
    } else if (is(p, "action")) {
        n = parse_action(p, annots);
    } else if (is(p, "table") && where == AT_CONTROL) {
        n = parse_table(p, annots);
    } else if (is(p, "state") && where == AT_PARSER) {
        n = parse_state(p, annots);
    } else if (is(p, "value_set") && where == AT_PARSER) {
        next(p);
        n = mk(p, N_VALUE_SET, t);
        n->annots = annots;
        expect(p, "<");
        n->a = parse_type(p);
        expect(p, ">");
        expect(p, "(");
        n->b = parse_expr(p);
        expect(p, ")");
        n->loc = tok(p)->loc;
        n->name = expect_name(p, "a value_set name");
        expect(p, ";");
    } else if (where == AT_TOP &&
               (is(p, "header") || is(p, "struct") || is(p, "header_union"))) {
        enum node_kind k = is(p, "header")   ? N_HEADER
                           : is(p, "struct") ? N_STRUCT
                                             : N_HUNION;
        next(p);
        n = mk(p, k, tok(p));
        n->annots = annots;
        n->name = expect_name(p, "a type name");
        add_type_name(p, n->name);
        parse_tparams(p, &n->tparams);
        expect(p, "{");
        while (!accept(p, "}")) {
            struct nlist fa = {0};
            parse_annotations(p, &fa);
            struct node *f = mk(p, N_FIELD, tok(p));
            f->annots = fa;
            f->a = parse_type(p);
            f->loc = tok(p)->loc;
            f->name = expect_name(p, "a field name");
            expect(p, ";");
            nlist_push(p->A, &n->list, f);
        }
    } else if (where == AT_TOP && (is(p, "typedef") || is(p, "type"))) {
        n = mk(p, is(p, "typedef") ? N_TYPEDEF : N_NEWTYPE, t);
        next(p);
        n->annots = annots;
        n->a = parse_type(p);
        n->loc = tok(p)->loc;
        n->name = expect_name(p, "a type name");
        add_type_name(p, n->name);
        expect(p, ";");
    } else if (where == AT_TOP && is(p, "enum")) {
        next(p);
        n = mk(p, N_ENUM, t);
        n->annots = annots;
        if (is(p, "bit") || is(p, "int") ||
            (is_name_tok(tok(p)) && is_name_tok(peek(p, 1))))
            n->a = parse_type(p);
        n->loc = tok(p)->loc;
        n->name = expect_name(p, "an enum name");
        add_type_name(p, n->name);
        parse_members(p, &n->list, n->a != NULL);
    } else if (where == AT_TOP && is(p, "error")) {
        next(p);
        n = mk(p, N_ERROR_DECL, t);
        parse_members(p, &n->list, 0);
    } else if (where == AT_TOP && is(p, "match_kind")) {
        next(p);
        n = mk(p, N_MATCH_KIND, t);
        parse_members(p, &n->list, 0);
    } else if (where == AT_TOP && is(p, "extern")) {
        n = parse_extern(p, annots);
    } else if (where == AT_TOP && (is(p, "parser") || is(p, "control"))) {
        n = parse_parser_or_control(p, annots);
    } else if (where == AT_TOP && is(p, "package")) {
        next(p);
        n = mk(p, N_PACKAGE, tok(p));
        n->annots = annots;
        n->name = expect_name(p, "a package name");
        add_type_name(p, n->name);
        parse_tparams(p, &n->tparams);
        parse_params(p, &n->params);
        expect(p, ";");
    } else {
        /* instantiation, variable, or (at top level) function */
        struct node *type = parse_type(p);
        if (is(p, "(")) {
            n = mk(p, N_INSTANCE, t);
            n->annots = annots;
            n->a = type;
            parse_args(p, &n->args);
            n->loc = tok(p)->loc;
            n->name = expect_name(p, "an instance name");
            if (is(p, "=")) {
                next(p);
                struct token *b = expect(p, "{");
                struct node *blk = mk(p, N_BLOCK, b);
                while (!accept(p, "}")) {
                    struct nlist fa = {0};
                    parse_annotations(p, &fa);
                    struct node *d = parse_decl(p, AT_TOP);
                    if (!d->annots.n)
                        d->annots = fa;
                    nlist_push(p->A, &blk->list, d);
                }
                n->b = blk;
            }
            expect(p, ";");
        } else if (where == AT_TOP && is_name_tok(tok(p)) &&
                   (is_at(p, 1, "(") || is_at(p, 1, "<"))) {
            n = mk(p, N_FUNCTION, tok(p));
            n->annots = annots;
            n->a = type;
            n->name = next(p)->text;
            parse_tparams(p, &n->tparams);
            parse_params(p, &n->params);
            n->b = parse_block(p);
        } else {
            if (where == AT_TOP)
                syntax_error(p, "expected '(' (P4 has no global variables; "
                                "use a const, or declare it in a control)");
            n = parse_var_rest(p, type, annots);
        }
    }
    p->depth--;
    return n;
}

/* program: {declaration | ';'} */
static struct node *
parse_program(struct parser *p)
{
    struct node *prog = mk(p, N_PROGRAM, tok(p));
    while (tok(p)->kind != T_EOF) {
        if (accept(p, ";"))
            continue;
        nlist_push(p->A, &prog->list, parse_decl(p, AT_TOP));
    }
    return prog;
}

int
cc_parse_text(struct cc *c, const char *file, const char *text)
{
    struct parser p = {0};
    p.c = c;
    p.A = &c->arena;
    hmap_init(&p.types);
    int errors0 = c->nerrors;
    lex_text(c, file, text, &p.toks);
    if (c->nerrors == errors0) {
        if (!setjmp(p.fail))
            c->program = parse_program(&p);
    }
    hmap_destroy(&p.types);
    strbuf_destroy(&p.sb);
    free(p.toks.v);
    return c->nerrors > errors0 ? -1 : 0;
}
