/* parse.c - recursive-descent parser for P4_16: tokens (lex.c) to the AST
 * (ast.h).
 *
 * P4's grammar needs to know which identifiers name types ("T x;" declares,
 * "f(x);" calls): the parser records every type name as it is declared
 * (headers, structs, typedefs, externs, parsers, controls, packages, type
 * parameters) and consults that set where the two readings differ. A syntax
 * error is reported once and ends the parse (like p4c); the nesting depth is
 * bounded so hostile input cannot overflow the stack. This file holds the
 * declarations, statements, parser states and tables; types, expressions and
 * annotations are in parse_expr.c (parse_int.h). */
#include "compiler/parse_int.h"

static struct node *parse_stmt(struct parser *p);
static struct node *parse_block(struct parser *p);

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
