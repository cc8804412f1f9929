/* ast.c - the arena and the small helpers on AST nodes (ast.h). */
#include "compiler/ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

void
arena_init(struct arena *a)
{
    a->head = NULL;
    a->nodes = 0;
}

void
arena_destroy(struct arena *a)
{
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

void *
arena_alloc(struct arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct arena_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        c = xmalloc(sizeof *c + cap);
        c->cap = cap;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *tmp = xvasprintf(fmt, ap);
    va_end(ap);
    char *p = arena_strdup(a, tmp);
    free(tmp);
    return p;
}

struct node *
node_new(struct arena *a, enum node_kind kind, struct loc loc)
{
    struct node *n = arena_alloc(a, sizeof *n);
    n->kind = kind;
    n->loc = loc;
    n->seq = ++a->nodes;
    return n;
}

void
nlist_push(struct arena *a, struct nlist *l, struct node *n)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        struct node **v = arena_alloc(a, sizeof *v * (size_t)cap);
        if (l->n)
            memcpy(v, l->v, sizeof *v * (size_t)l->n);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = n;
}

struct node *
node_annot(const struct node *n, const char *name)
{
    for (int i = 0; n && i < n->annots.n; i++)
        if (!strcmp(n->annots.v[i]->name, name))
            return n->annots.v[i];
    return NULL;
}

static const char *const kind_names[N_KIND_COUNT] = {
    [N_PROGRAM] = "program",
    [N_CONST] = "const",
    [N_TYPEDEF] = "typedef",
    [N_NEWTYPE] = "type",
    [N_HEADER] = "header",
    [N_STRUCT] = "struct",
    [N_HUNION] = "header_union",
    [N_FIELD] = "field",
    [N_ENUM] = "enum",
    [N_ENUM_MEMBER] = "member",
    [N_ERROR_DECL] = "error",
    [N_MATCH_KIND] = "match_kind",
    [N_EXTERN] = "extern",
    [N_METHOD] = "method",
    [N_FUNCTION] = "function",
    [N_PARSER_TYPE] = "parser type",
    [N_CONTROL_TYPE] = "control type",
    [N_PACKAGE] = "package",
    [N_PARSER] = "parser",
    [N_STATE] = "state",
    [N_CONTROL] = "control",
    [N_ACTION] = "action",
    [N_TABLE] = "table",
    [N_PROP] = "property",
    [N_KEYS] = "key",
    [N_KEY] = "key element",
    [N_ACTLIST] = "actions",
    [N_ENTRIES] = "entries",
    [N_ENTRY] = "entry",
    [N_INSTANCE] = "instance",
    [N_VAR] = "variable",
    [N_VALUE_SET] = "value_set",
    [N_PARAM] = "parameter",
    [N_BLOCK] = "block",
    [N_ASSIGN] = "assignment",
    [N_CALL_STMT] = "call statement",
    [N_IF] = "if",
    [N_SWITCH] = "switch",
    [N_CASE] = "case",
    [N_RETURN] = "return",
    [N_EXIT] = "exit",
    [N_EMPTY] = "empty statement",
    [N_SELECT] = "select",
    [N_INT] = "integer",
    [N_BOOL] = "boolean",
    [N_STRING] = "string",
    [N_NAME] = "name",
    [N_MEMBER] = "member",
    [N_INDEX] = "index",
    [N_SLICE] = "slice",
    [N_CALL] = "call",
    [N_UNOP] = "unary",
    [N_BINOP] = "binary",
    [N_TERNARY] = "?:",
    [N_CAST] = "cast",
    [N_LIST] = "list",
    [N_STRUCT_INIT] = "struct initializer",
    [N_NAMED] = "named",
    [N_DEFAULT] = "default",
    [N_DONTCARE] = "_",
    [N_MASK] = "&&&",
    [N_RANGE] = "..",
    [N_TYPEARG] = "type argument",
    [N_TBIT] = "bit",
    [N_TVARBIT] = "varbit",
    [N_TINT] = "int",
    [N_TBOOL] = "bool",
    [N_TERROR] = "error",
    [N_TSTRING] = "string",
    [N_TVOID] = "void",
    [N_TMATCH_KIND] = "match_kind",
    [N_TNAME] = "type name",
    [N_TSTACK] = "stack",
    [N_TTUPLE] = "tuple",
    [N_TLIST] = "list",
    [N_TDONTCARE] = "_",
    [N_ANNOT] = "annotation",
};

const char *
node_kind_name(enum node_kind k)
{
    return k < N_KIND_COUNT && kind_names[k] ? kind_names[k] : "?";
}

static void
dump_list(const char *what, const struct nlist *l, int depth, FILE *f)
{
    if (!l->n)
        return;
    fprintf(f, "%*s%s:\n", depth * 2 + 2, "", what);
    for (int i = 0; i < l->n; i++)
        node_dump(l->v[i], depth + 2, f);
}

void
node_dump(const struct node *n, int depth, void *file)
{
    FILE *f = file;
    if (!n)
        return;
    fprintf(f, "%*s%s", depth * 2, "", node_kind_name(n->kind));
    if (n->name)
        fprintf(f, " '%s'", n->name);
    if (n->op)
        fprintf(f, " op=%s", n->op);
    if (n->kind == N_INT)
        fprintf(f, " %llu w=%d", (unsigned long long)n->ival, n->width);
    fprintf(f, " @%d:%d\n", n->loc.line, n->loc.col);
    node_dump(n->a, depth + 1, f);
    node_dump(n->b, depth + 1, f);
    node_dump(n->c, depth + 1, f);
    dump_list("tparams", &n->tparams, depth, f);
    dump_list("params", &n->params, depth, f);
    dump_list("ctor", &n->ctor, depth, f);
    dump_list("targs", &n->targs, depth, f);
    dump_list("args", &n->args, depth, f);
    dump_list("list", &n->list, depth, f);
}
