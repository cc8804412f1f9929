/* parse_expr.c - the parser's types, expressions, keysets and annotations
 * (parse_int.h).
 *
 * Expressions are parsed by precedence climbing over P4_16's operator table;
 * a '<' after a name is read as type arguments only when the tokens after it
 * look like types, and '(' T ')' as a cast only when T names a type (the set
 * of type names parse.c records). Structured annotations @x[...] are parsed
 * as expressions; other annotation bodies are kept as token text. */
#include "compiler/parse_int.h"

/* ---- types ---- */

/* typeParameters: '<' name {',' name} '>' */
void
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
struct node *
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
void
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
    } else if (is(p, "#") && p->pos > 0 && p->toks.v[p->pos - 1].text &&
               !strcmp(p->toks.v[p->pos - 1].text, "{")) {
        syntax_error(p, "'{#}' (the invalid header value of P4 1.2.2) is not "
                        "supported yet: use h.setInvalid()");
    } else if (is(p, "..") && is_at(p, 1, ".")) {
        syntax_error(p, "'...' (default field values of P4 1.2.2) is not "
                        "supported yet: give every field");
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
struct node *
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

struct node *
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
void
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
