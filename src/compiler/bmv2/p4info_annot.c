/* p4info_annot.c - what P4Info makes of annotations: the string form
 * "@name(body)", structured annotations (@name[...] with the expressions
 * evaluated: literals, top-level constants, arithmetic, comparisons, logic),
 * @brief/@description as doc, the width of @p4runtime_translation, and
 * pkg_info from the main instance's @pkginfo and @platform_property. It
 * reads annotation bodies as the parser keeps them (tokens joined by
 * spaces; the preprocessor has expanded macros). */
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/p4info_int.h"

static struct node *annot_prog; /* for constants in annotations */

void
p4info_annot_begin(struct node *program)
{
    annot_prog = program;
}

int
p4info_meta_annotation(const char *n)
{
    return !strcmp(n, "name") || !strcmp(n, "hidden") || !strcmp(n, "id") ||
           !strcmp(n, "brief") || !strcmp(n, "description");
}


/* ---- pkg_info ---- */

static struct node *
main_instance(struct bm *b)
{
    struct node *prog = b->c->program;
    for (int i = 0; prog && i < prog->list.n; i++) {
        struct node *d = prog->list.v[i];
        if (d->kind == N_INSTANCE && d->name && !strcmp(d->name, "main"))
            return d;
    }
    return NULL;
}

/* Calls fn(key, value, is_string) for each "key = value" of an annotation
 * body as the parser keeps it (tokens joined by spaces, strings quoted). */
static void
each_kv(const char *s, void (*fn)(void *, const char *, const char *, int),
        void *arg)
{
    while (s && *s) {
        while (*s == ' ' || *s == ',')
            s++;
        const char *k = s;
        while (*s && *s != ' ' && *s != '=')
            s++;
        char *key = xstrndup(k, (size_t)(s - k));
        while (*s == ' ' || *s == '=')
            s++;
        const char *v = s;
        int str = *s == '"';
        if (str) {
            v = ++s;
            while (*s && *s != '"')
                s += s[0] == '\\' && s[1] ? 2 : 1;
        } else {
            while (*s && *s != ' ' && *s != ',')
                s++;
        }
        char *val = xstrndup(v, (size_t)(s - v));
        if (str && *s)
            s++;
        if (*key)
            fn(arg, key, val, str);
        free(key);
        free(val);
    }
}

struct pkg {
    const char *name, *version, *arch, *organization, *contact, *url;
    char *own[6];
    long long plat[3];
};

static void
pkg_kv(void *arg, const char *key, const char *val, int str)
{
    struct pkg *p = arg;
    static const char *const keys[] = {"name",         "version", "arch",
                                       "organization", "contact", "url"};
    for (int i = 0; i < 6; i++)
        if (str && !strcmp(key, keys[i])) {
            free(p->own[i]);
            p->own[i] = xstrdup(val);
        }
}

static void
plat_kv(void *arg, const char *key, const char *val, int str)
{
    struct pkg *p = arg;
    static const char *const keys[] = {
        "multicast_group_table_size", "multicast_group_table_total_replicas",
        "multicast_group_table_max_replicas_per_entry"};
    for (int i = 0; i < 3; i++)
        if (!str && !strcmp(key, keys[i]))
            p->plat[i] = strtoll(val, NULL, 0);
}

int
p4info_pkg_info(struct bm *b, struct p4msg *root)
{
    struct node *main_inst = main_instance(b);
    if (!main_inst)
        return 0;
    struct pkg p = {0};
    for (int i = 0; i < main_inst->annots.n; i++) {
        struct node *a = main_inst->annots.v[i];
        if (!strcmp(a->name, "pkginfo"))
            each_kv(a->str, pkg_kv, &p);
        else if (!strcmp(a->name, "platform_property"))
            each_kv(a->str, plat_kv, &p);
    }
    struct p4msg *m = p4msg_open(root, "pkg_info");
    static const char *const fields[] = {"name",         "version", "arch",
                                         "organization", "contact", "url"};
    for (int i = 0; i < 6; i++) {
        const char *v = p.own[i] ? p.own[i] : i == 2 ? "v1model" : NULL;
        if (v)
            p4msg_str(m, fields[i], v);
        free(p.own[i]);
    }
    for (int i = 0; i < main_inst->annots.n; i++) {
        struct node *a = main_inst->annots.v[i];
        if (strcmp(a->name, "pkginfo") && strcmp(a->name, "platform_property") &&
            !p4info_meta_annotation(a->name))
            p4info_annotation(m, a);
    }
    p4info_doc(m, main_inst);
    if (p.plat[0] || p.plat[1] || p.plat[2]) {
        struct p4msg *pp = p4msg_open(m, "platform_properties");
        p4msg_int(pp, "multicast_group_table_size", p.plat[0]);
        p4msg_int(pp, "multicast_group_table_total_replicas", p.plat[1]);
        p4msg_int(pp, "multicast_group_table_max_replicas_per_entry",
                  p.plat[2]);
    }
    return 1;
}

/* ---- annotations ---- */

/* A structured annotation's body, evaluated: the tokens of one expression
 * (literals, top-level constants, arithmetic, comparisons and logic; the
 * preprocessor has expanded macros already). */
enum vkind { V_NONE, V_INT, V_BOOL, V_STR };
struct val {
    enum vkind k;
    long long i;
    char *s;
};

struct toks {
    char **v;
    int n, pos;
    struct node *prog;
};

static void
tokenize(struct toks *t, const char *s)
{
    if (!s)
        return;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        const char *b = s;
        if (*s == '"') {
            s++;
            while (*s && *s != '"')
                s += s[0] == '\\' && s[1] ? 2 : 1;
            if (*s)
                s++;
        } else {
            while (*s && *s != ' ')
                s++;
        }
        t->v = xrealloc(t->v, sizeof *t->v * (size_t)(t->n + 1));
        t->v[t->n++] = xstrndup(b, (size_t)(s - b));
    }
}

static const char *
peek(struct toks *t)
{
    return t->pos < t->n ? t->v[t->pos] : "";
}

static struct val eval_expr(struct toks *t, int prec);

/* An integer literal as P4 writes it: [width(w|s)]value in any base. */
static long long
int_literal(const char *s)
{
    const char *w = strpbrk(s, "ws");
    if (w && w > s && s[0] >= '0' && s[0] <= '9' && strspn(s, "0123456789") ==
                                                        (size_t)(w - s))
        s = w + 1;
    char *clean = xstrdup(s), *o = clean;
    for (const char *p = s; *p; p++)
        if (*p != '_')
            *o++ = *p;
    *o = 0;
    long long v;
    if (clean[0] == '0' && (clean[1] == 'b' || clean[1] == 'B'))
        v = strtoll(clean + 2, NULL, 2);
    else if (clean[0] == '0' && (clean[1] == 'o' || clean[1] == 'O'))
        v = strtoll(clean + 2, NULL, 8);
    else
        v = strtoll(clean, NULL, 0);
    free(clean);
    return v;
}

static struct val
const_value(struct node *e)
{
    struct val v = {V_NONE, 0, NULL};
    if (e && e->kind == N_INT) {
        v.k = V_INT;
        v.i = (long long)e->ival;
    } else if (e && e->kind == N_BOOL) {
        v.k = V_BOOL;
        v.i = (long long)e->ival;
    } else if (e && e->kind == N_STRING) {
        v.k = V_STR;
        v.s = xstrdup(e->name);
    }
    return v;
}

static struct val
eval_primary(struct toks *t)
{
    struct val v = {V_NONE, 0, NULL};
    const char *s = peek(t);
    t->pos++;
    if (!strcmp(s, "(")) {
        v = eval_expr(t, 0);
        if (!strcmp(peek(t), ")"))
            t->pos++;
    } else if (!strcmp(s, "-") || !strcmp(s, "!") || !strcmp(s, "~")) {
        v = eval_primary(t);
        v.i = s[0] == '-' ? -v.i : s[0] == '!' ? !v.i : ~v.i;
    } else if (s[0] == '"') {
        v.k = V_STR;
        v.s = xstrndup(s + 1, strlen(s) >= 2 ? strlen(s) - 2 : 0);
    } else if (!strcmp(s, "true") || !strcmp(s, "false")) {
        v.k = V_BOOL;
        v.i = s[0] == 't';
    } else if (s[0] >= '0' && s[0] <= '9') {
        v.k = V_INT;
        v.i = int_literal(s);
    } else {
        for (int i = 0; t->prog && i < t->prog->list.n; i++) {
            struct node *d = t->prog->list.v[i];
            if (d->kind == N_CONST && d->name && !strcmp(d->name, s))
                v = const_value(d->b);
        }
    }
    return v;
}

static int
binop_prec(const char *op)
{
    static const struct {
        const char *op;
        int prec;
    } ops[] = {{"||", 1}, {"&&", 2}, {"|", 3},  {"^", 4},  {"&", 5},
               {"==", 6}, {"!=", 6}, {"<", 7},  {">", 7},  {"<=", 7},
               {">=", 7}, {"<<", 8}, {">>", 8}, {"+", 9},  {"-", 9},
               {"*", 10}, {"/", 10}, {"%", 10}};
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
        if (!strcmp(op, ops[i].op))
            return ops[i].prec;
    return 0;
}

static struct val
eval_expr(struct toks *t, int prec)
{
    struct val l = eval_primary(t);
    for (;;) {
        const char *op = peek(t);
        int p = binop_prec(op);
        if (!p || p <= prec)
            return l;
        t->pos++;
        struct val r = eval_expr(t, p);
        long long a = l.i, b = r.i, v = 0;
        int cmp = 0;
        if (l.k == V_STR && r.k == V_STR) {
            cmp = strcmp(l.s, r.s);
            a = cmp;
            b = 0;
        }
        switch (op[0]) {
        case '|': v = op[1] ? (a || b) : (a | b); break;
        case '&': v = op[1] ? (a && b) : (a & b); break;
        case '^': v = a ^ b; break;
        case '=': v = a == b; break;
        case '!': v = a != b; break;
        case '<': v = op[1] == '<' ? a << (b & 63) : op[1] ? a <= b : a < b; break;
        case '>': v = op[1] == '>' ? a >> (b & 63) : op[1] ? a >= b : a > b; break;
        case '+': v = a + b; break;
        case '-': v = a - b; break;
        case '*': v = a * b; break;
        case '/': v = b ? a / b : 0; break;
        case '%': v = b ? a % b : 0; break;
        default: break;
        }
        int boolean = binop_prec(op) <= 2 || binop_prec(op) == 6 ||
                      binop_prec(op) == 7;
        if (op[0] == '<' && op[1] == '<')
            boolean = 0;
        if (op[0] == '>' && op[1] == '>')
            boolean = 0;
        free(l.s);
        free(r.s);
        l.s = NULL;
        l.k = boolean ? V_BOOL : V_INT;
        l.i = v;
    }
}

static void
put_expression(struct p4msg *e, struct val v)
{
    if (v.k == V_STR)
        p4msg_str(e, "string_value", v.s);
    else if (v.k == V_BOOL)
        p4msg_bool(e, "bool_value", (int)v.i);
    else
        p4msg_int(e, "int64_value", v.i);
}

/* @name[expr, ...] or @name[key = expr, ...] */
static void
structured(struct p4msg *m, struct node *a, struct node *prog)
{
    struct p4msg *sa = p4msg_open(m, "structured_annotations");
    p4msg_str(sa, "name", a->name);
    struct toks t = {0};
    t.prog = prog;
    tokenize(&t, a->str);
    if (t.n) {
        int kv = t.n >= 2 && !strcmp(t.v[1], "=");
        struct p4msg *l = p4msg_open(sa, kv ? "kv_pair_list" : "expression_list");
        while (t.pos < t.n) {
            struct p4msg *e;
            if (kv) {
                struct p4msg *p = p4msg_open(l, "kv_pairs");
                p4msg_str(p, "key", peek(&t));
                t.pos += 2;
                e = p4msg_open(p, "value");
            } else {
                e = p4msg_open(l, "expressions");
            }
            struct val v = eval_expr(&t, 0);
            put_expression(e, v);
            free(v.s);
            while (t.pos < t.n && strcmp(peek(&t), ","))
                t.pos++; /* what we could not evaluate */
            t.pos++;
        }
    }
    for (int i = 0; i < t.n; i++)
        free(t.v[i]);
    free(t.v);
}

void
p4info_annotation(struct p4msg *m, struct node *a)
{
    if (a->flags & F_CONST) {
        structured(m, a, annot_prog);
        return;
    }
    char *s = a->str ? xasprintf("@%s(%s)", a->name, a->str)
                     : xasprintf("@%s", a->name);
    p4msg_str(m, "annotations", s);
    free(s);
}

/* The controller-side width of @p4runtime_translation("uri", W): W given
 * as an integer or as bit<W>; 0 for string (or anything else). */
int
p4info_translation_width(struct node *tr)
{
    const char *s = tr && tr->str ? tr->str : "";
    if (*s == '"') { /* skip the URI */
        s++;
        while (*s && *s != '"')
            s += s[0] == '\\' && s[1] ? 2 : 1;
    }
    s = strchr(s, ',');
    if (!s)
        return 0;
    s++;
    while (*s == ' ')
        s++;
    if (!strncmp(s, "bit", 3)) {
        s += 3;
        while (*s == ' ' || *s == '<')
            s++;
    }
    return *s >= '0' && *s <= '9' ? (int)int_literal(s) : 0;
}

/* ---- documentation ---- */

void
p4info_doc(struct p4msg *m, struct node *d)
{
    struct node *br = d ? node_annot(d, "brief") : NULL;
    struct node *de = d ? node_annot(d, "description") : NULL;
    if (br && (!br->b || br->b->list.n != 1 ||
               br->b->list.v[0]->kind != N_STRING))
        br = NULL;
    if (de && (!de->b || de->b->list.n != 1 ||
               de->b->list.v[0]->kind != N_STRING))
        de = NULL;
    if (!br && !de)
        return;
    struct p4msg *doc = p4msg_open(m, "doc");
    if (br)
        p4msg_str(doc, "brief", br->b->list.v[0]->name);
    if (de)
        p4msg_str(doc, "description", de->b->list.v[0]->name);
}
