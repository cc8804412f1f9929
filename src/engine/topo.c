/* topo.c - reads a topology file into a struct topo and validates it strictly.
 *
 * Both formats are first turned into one small tree of values with their
 * line:column (struct tv): YAML through libyaml's document loader (its marks
 * give the positions), JSON through jansson for the syntax check (jansson's
 * line:column on syntax errors) and then through libyaml again for positions,
 * since JSON is YAML flow syntax. The schema walkers below then check every
 * key against a registration table (node_keys[]), collect up to MAX_ERRORS
 * diagnostics, and fill the plain model of topo.h. Nothing here touches the
 * kernel: topo_build.c hands the model to the engine (net.h). */
#include "engine/topo.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

#include "lib/diag.h"
#include "lib/hmap.h"
#include "lib/log.h"
#include "lib/util.h"

#define MAX_ERRORS 20
#define MAX_DEPTH 64
#define MAX_VALUES 2000000

/* ---- the value tree ---------------------------------------------------- */

enum tv_type { TV_NULL, TV_SCALAR, TV_MAP, TV_SEQ };

struct tv {
    enum tv_type type;
    int line, col; /* 1-based; 0 when unknown */
    char *str;     /* scalar text (TV_SCALAR, TV_NULL: "") */
    int quoted;    /* the scalar was quoted: "yes" stays a string */
    size_t n;
    struct tv **keys; /* TV_MAP: scalar keys */
    struct tv **vals; /* TV_MAP: values; TV_SEQ: items */
};

static void
tv_free(struct tv *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        if (v->keys)
            tv_free(v->keys[i]);
        tv_free(v->vals[i]);
    }
    free(v->keys);
    free(v->vals);
    free(v->str);
    free(v);
}

static struct tv *
tv_new(enum tv_type type, int line, int col)
{
    struct tv *v = xcalloc(1, sizeof *v);
    v->type = type;
    v->line = line;
    v->col = col;
    return v;
}

static void
tv_push(struct tv *v, struct tv *key, struct tv *val)
{
    v->vals = xrealloc(v->vals, (v->n + 1) * sizeof *v->vals);
    if (v->type == TV_MAP) {
        v->keys = xrealloc(v->keys, (v->n + 1) * sizeof *v->keys);
        v->keys[v->n] = key;
    }
    v->vals[v->n++] = val;
}

static int
is_null_scalar(const yaml_node_t *n)
{
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *s = (const char *)n->data.scalar.value;
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
           !strcmp(s, "NULL");
}

static struct tv *tv_from_yaml(yaml_document_t *doc, yaml_node_t *n, int depth,
                               size_t *budget);

static int
is_merge_key(const yaml_node_t *k)
{
    return k && k->type == YAML_SCALAR_NODE &&
           k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           !strcmp((const char *)k->data.scalar.value, "<<");
}

/* Adds the pairs of mapping m whose keys v does not have yet. */
static void
merge_into(yaml_document_t *doc, struct tv *v, yaml_node_t *m, int depth,
           size_t *budget)
{
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
         p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (!k || k->type != YAML_SCALAR_NODE || is_merge_key(k))
            continue;
        int have = 0;
        for (size_t i = 0; i < v->n && !have; i++)
            have = v->keys[i]->str &&
                   !strcmp(v->keys[i]->str, (const char *)k->data.scalar.value);
        if (!have)
            tv_push(v, tv_from_yaml(doc, k, depth + 1, budget),
                    tv_from_yaml(doc, yaml_document_get_node(doc, p->value),
                                 depth + 1, budget));
    }
}

/* budget: values left to make; aliases can make a small file expand
 * exponentially ("billion laughs"), so the tree is capped. */
static struct tv *
tv_from_yaml(yaml_document_t *doc, yaml_node_t *n, int depth, size_t *budget)
{
    if (!n || depth > MAX_DEPTH || *budget == 0)
        return tv_new(TV_NULL, 0, 0);
    (*budget)--;
    int line = (int)n->start_mark.line + 1, col = (int)n->start_mark.column + 1;
    struct tv *v;
    switch (n->type) {
    case YAML_SCALAR_NODE:
        v = tv_new(is_null_scalar(n) ? TV_NULL : TV_SCALAR, line, col);
        v->str =
            xstrndup((const char *)n->data.scalar.value, n->data.scalar.length);
        v->quoted = n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        return v;
    case YAML_SEQUENCE_NODE:
        v = tv_new(TV_SEQ, line, col);
        for (yaml_node_item_t *it = n->data.sequence.items.start;
             it < n->data.sequence.items.top; it++)
            tv_push(v, NULL,
                    tv_from_yaml(doc, yaml_document_get_node(doc, *it),
                                 depth + 1, budget));
        return v;
    case YAML_MAPPING_NODE:
        v = tv_new(TV_MAP, line, col);
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
             p < n->data.mapping.pairs.top; p++) {
            if (is_merge_key(yaml_document_get_node(doc, p->key)))
                continue;
            tv_push(v,
                    tv_from_yaml(doc, yaml_document_get_node(doc, p->key),
                                 depth + 1, budget),
                    tv_from_yaml(doc, yaml_document_get_node(doc, p->value),
                                 depth + 1, budget));
        }
        /* YAML merge keys ("<<: *base" or "<<: [*a, *b]"): keys of the merged
         * mappings that the mapping does not set itself. */
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
             p < n->data.mapping.pairs.top; p++) {
            if (!is_merge_key(yaml_document_get_node(doc, p->key)))
                continue;
            yaml_node_t *m = yaml_document_get_node(doc, p->value);
            if (m && m->type == YAML_MAPPING_NODE)
                merge_into(doc, v, m, depth, budget);
            else if (m && m->type == YAML_SEQUENCE_NODE) {
                for (yaml_node_item_t *it = m->data.sequence.items.start;
                     it < m->data.sequence.items.top; it++) {
                    yaml_node_t *x = yaml_document_get_node(doc, *it);
                    if (x && x->type == YAML_MAPPING_NODE)
                        merge_into(doc, v, x, depth, budget);
                }
            }
        }
        return v;
    default:
        return tv_new(TV_NULL, line, col);
    }
}

/* Parses YAML text into a tree; on a syntax error appends a diagnostic and
 * returns NULL. An empty document gives a TV_NULL. */
static struct tv *
load_yaml(const char *path, const char *src, struct strbuf *diags)
{
    yaml_parser_t p;
    yaml_document_t doc;
    struct tv *root = NULL;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)src, strlen(src));
    if (!yaml_parser_load(&p, &doc)) {
        const yaml_mark_t *m = p.problem_mark.line || p.problem_mark.column
                                   ? &p.problem_mark
                                   : &p.context_mark;
        diag_format(diags, "error", path, src, (int)m->line + 1,
                    (int)m->column + 1, "%s%s%s",
                    p.problem ? p.problem : "syntax error",
                    p.context ? " " : "", p.context ? p.context : "");
        yaml_parser_delete(&p);
        return NULL;
    }
    yaml_node_t *r = yaml_document_get_root_node(&doc);
    /* A file without aliases has fewer values than bytes; the cap grows with
     * the file so that aliases may repeat a base many times, but a small file
     * cannot make millions of values (seconds of work: found by fuzzing). */
    size_t max_values = 10000 + 32 * strlen(src);
    if (max_values > MAX_VALUES)
        max_values = MAX_VALUES;
    size_t budget = max_values;
    root = r ? tv_from_yaml(&doc, r, 0, &budget) : tv_new(TV_NULL, 1, 1);
    if (budget == 0) {
        diag_format(diags, "error", path, src, 1, 0,
                    "the file expands to more than %zu values (aliases?)",
                    max_values);
        tv_free(root);
        root = NULL;
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    return root;
}

/* JSON without positions, for the rare valid JSON libyaml refuses. */
static struct tv *
tv_from_json(json_t *j, int depth)
{
    struct tv *v;
    if (depth > MAX_DEPTH)
        return tv_new(TV_NULL, 0, 0);
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        v = tv_new(TV_MAP, 0, 0);
        for (void *it = json_object_iter(j); it;
             it = json_object_iter_next(j, it)) {
            struct tv *kv = tv_new(TV_SCALAR, 0, 0);
            kv->str = xstrdup(json_object_iter_key(it));
            tv_push(v, kv, tv_from_json(json_object_iter_value(it), depth + 1));
        }
        return v;
    }
    case JSON_ARRAY: {
        v = tv_new(TV_SEQ, 0, 0);
        for (size_t i = 0; i < json_array_size(j); i++)
            tv_push(v, NULL, tv_from_json(json_array_get(j, i), depth + 1));
        return v;
    }
    case JSON_STRING:
        v = tv_new(TV_SCALAR, 0, 0);
        v->str = xstrdup(json_string_value(j));
        v->quoted = 1;
        return v;
    case JSON_INTEGER:
        v = tv_new(TV_SCALAR, 0, 0);
        v->str = xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(j));
        return v;
    case JSON_REAL:
        v = tv_new(TV_SCALAR, 0, 0);
        v->str = xasprintf("%g", json_real_value(j));
        return v;
    case JSON_TRUE:
    case JSON_FALSE:
        v = tv_new(TV_SCALAR, 0, 0);
        v->str = xstrdup(json_is_true(j) ? "true" : "false");
        return v;
    default:
        v = tv_new(TV_NULL, 0, 0);
        v->str = xstrdup("");
        return v;
    }
}

static struct tv *
load_json(const char *path, const char *src, struct strbuf *diags)
{
    json_error_t je;
    json_t *j = json_loads(src, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        diag_format(diags, "error", path, src, je.line > 0 ? je.line : 0,
                    je.column > 0 ? je.column : 0, "%s", je.text);
        return NULL;
    }
    struct strbuf ignored = STRBUF_INIT;
    struct tv *root = load_yaml(path, src, &ignored);
    strbuf_destroy(&ignored);
    if (!root)
        root = tv_from_json(j, 0);
    json_decref(j);
    return root;
}

/* ---- parse context and diagnostics ------------------------------------- */

struct pctx {
    const char *path, *src;
    struct strbuf *diags;
    int nerr;
    struct topo *t;
    char *dir;     /* directory of the file, for relative names */
    int tutorials; /* tutorials' topology.json: resolve names like its tools */
    const struct tv *defaults[NODE_KIND_MAX];
    const struct tv *link_defaults;
    struct hmap declared; /* node names, valid or not */
    struct pdiag {
        int line, col, seq;
        char *text;
    } * d;
    size_t nd;
};

static int
pdiag_cmp(const void *a, const void *b)
{
    const struct pdiag *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq - y->seq;
}

/* Moves the collected diagnostics, in file order, to c->diags. */
static void
flush_diags(struct pctx *c)
{
    if (c->nd)
        qsort(c->d, c->nd, sizeof *c->d, pdiag_cmp);
    for (size_t i = 0; i < c->nd; i++) {
        strbuf_puts(c->diags, c->d[i].text);
        free(c->d[i].text);
    }
    free(c->d);
    c->d = NULL;
    c->nd = 0;
    if (c->nerr > MAX_ERRORS)
        strbuf_printf(c->diags, "%s: error: too many errors, stopping\n",
                      c->path);
}

static void PRINTF_FMT(3, 4)
    perr(struct pctx *c, const struct tv *at, const char *fmt, ...)
{
    if (c->nerr > MAX_ERRORS)
        return;
    c->nerr++;
    if (c->nerr > MAX_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    struct strbuf sb = STRBUF_INIT;
    diag_format(&sb, "error", c->path, c->src, at ? at->line : 0,
                at ? at->col : 0, "%s", msg);
    free(msg);
    c->d = xrealloc(c->d, (c->nd + 1) * sizeof *c->d);
    c->d[c->nd].line = at ? at->line : 0;
    c->d[c->nd].col = at ? at->col : 0;
    c->d[c->nd].seq = (int)c->nd;
    c->d[c->nd].text = strbuf_steal(&sb);
    c->nd++;
}

static const char *
tv_type_name(const struct tv *v)
{
    switch (v->type) {
    case TV_MAP:
        return "a mapping";
    case TV_SEQ:
        return "a list";
    case TV_NULL:
        return "nothing";
    default:
        return "a scalar";
    }
}

static char *
tdup(struct topo *t, const char *s)
{
    char *d = xstrdup(s);
    VEC_PUSH(&t->owned, d);
    return d;
}

static void *
towned(struct topo *t, void *p)
{
    VEC_PUSH(&t->owned, p);
    return p;
}

/* Returns the scalar text of v, or NULL after an error "'what' expects ...". */
static const char *
want_scalar(struct pctx *c, const struct tv *v, const char *what)
{
    if (v->type == TV_SCALAR)
        return v->str;
    perr(c, v, "%s expects a single value, found %s", what, tv_type_name(v));
    return NULL;
}

static int
want_bool(struct pctx *c, const struct tv *v, const char *what, int *out)
{
    const char *s = want_scalar(c, v, what);
    if (!s)
        return -1;
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (!strcasecmp(s, yes[i])) {
            *out = 1;
            return 0;
        }
        if (!strcasecmp(s, no[i])) {
            *out = 0;
            return 0;
        }
    }
    perr(c, v, "%s expects true or false, not '%s'", what, s);
    return -1;
}

static int
want_int(struct pctx *c, const struct tv *v, const char *what, long long lo,
         long long hi, long long *out)
{
    const char *s = want_scalar(c, v, what);
    if (!s)
        return -1;
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 0);
    if (!*s || *end || errno) {
        perr(c, v, "%s expects an integer, not '%s'", what, s);
        return -1;
    }
    if (x < lo || x > hi) {
        perr(c, v, "%s must be between %lld and %lld, not %lld", what, lo, hi,
             x);
        return -1;
    }
    *out = x;
    return 0;
}

/* Reports an unknown key with a suggestion among cands. */
static void
unknown_key(struct pctx *c, const struct tv *key, const char *where,
            const char *const *cands, size_t n)
{
    const char *s = diag_suggest(key->str, cands, n);
    if (s)
        perr(c, key, "unknown key '%s' in %s; did you mean '%s'?", key->str,
             where, s);
    else {
        struct strbuf list = STRBUF_INIT;
        for (size_t i = 0; i < n; i++)
            strbuf_printf(&list, "%s%s", i ? ", " : "", cands[i]);
        perr(c, key, "unknown key '%s' in %s (known: %s)", key->str, where,
             strbuf_str(&list));
        strbuf_destroy(&list);
    }
}

/* Finds key in map m (a TV_MAP), or NULL. */
static const struct tv *
map_get(const struct tv *m, const char *key)
{
    if (!m || m->type != TV_MAP)
        return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (m->keys[i]->type == TV_SCALAR && !strcmp(m->keys[i]->str, key))
            return m->vals[i];
    return NULL;
}

/* Reports keys that occur twice in a mapping (YAML allows it silently). */
static void
check_dup_keys(struct pctx *c, const struct tv *m, const char *where)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->keys[i]->type != TV_SCALAR) {
            perr(c, m->keys[i], "keys in %s must be plain names", where);
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            if (m->keys[j]->type == TV_SCALAR &&
                !strcmp(m->keys[i]->str, m->keys[j]->str)) {
                perr(c, m->keys[i],
                     "'%s' is given twice in %s (first at line %d)",
                     m->keys[i]->str, where, m->keys[j]->line);
                break;
            }
        }
    }
}

/* Resolves a file name from the topology file: absolute names stay, relative
 * ones are taken from the file's directory (and, for the tutorials' files,
 * from the current directory first, as their tools run from the exercise
 * directory). must_exist: report a missing file. Returns a topo-owned string
 * or NULL after an error. */
static const char *
resolve_path(struct pctx *c, const struct tv *v, const char *what,
             int must_exist)
{
    const char *s = want_scalar(c, v, what);
    if (!s)
        return NULL;
    if (!*s) {
        perr(c, v, "%s expects a file name", what);
        return NULL;
    }
    char *cands[3] = {NULL, NULL, NULL};
    int nc = 0;
    if (s[0] == '/')
        cands[nc++] = xstrdup(s);
    else {
        if (c->tutorials) {
            char cwd[PATH_MAX];
            if (getcwd(cwd, sizeof cwd))
                cands[nc++] = xasprintf("%s/%s", cwd, s);
        }
        cands[nc++] = xasprintf("%s/%s", c->dir, s);
        if (c->tutorials)
            cands[nc++] = xasprintf("%s/../%s", c->dir, s);
    }
    const char *res = NULL;
    for (int i = 0; i < nc && !res; i++) {
        if (access(cands[i], F_OK) == 0) {
            char *real = realpath(cands[i], NULL);
            res = tdup(c->t, real ? real : cands[i]);
            free(real);
        }
    }
    if (!res && !must_exist)
        res = tdup(c->t, cands[c->tutorials && nc > 1 ? 1 : 0]);
    if (!res)
        perr(c, v, "%s: file '%s' not found (looked in %s)", what, s, c->dir);
    for (int i = 0; i < nc; i++)
        free(cands[i]);
    return res;
}

/* ---- nodes ------------------------------------------------------------- */

/* Appends a node to t and indexes its name. */
static void
add_node(struct topo *t, const struct topo_node *tn)
{
    VEC_PUSH(&t->nodes, *tn);
    hmap_put(&t->by_name, tn->name, (void *)(uintptr_t)t->nodes.n, NULL);
}

#define K(kind) (1u << (kind))
#define K_HOSTLIKE (K(NODE_HOST) | K(NODE_ROUTER) | K(NODE_DOCKER))
#define K_ALL ((1u << NODE_KIND_MAX) - 1)

enum vt {
    V_STR,      /* const char * */
    V_IP,       /* const char *, checked, "none" allowed */
    V_MAC,      /* const char *, checked */
    V_LIST,     /* const char *const *, NULL-terminated; a scalar is a 1-list */
    V_ENV,      /* const char *const * "K=V": a mapping or a list */
    V_VOLUMES,  /* const char *const * "host:container[:ro]" */
    V_INT,      /* int >= 0 */
    V_PORT,     /* int 1..65535 */
    V_I64,      /* int64_t >= 0 */
    V_BYTES,    /* int64_t, "256m" */
    V_CPUS,     /* docker cpus: sets cpu_quota and cpu_period */
    V_FILE,     /* const char *, an existing file */
    V_DIR,      /* const char *, a directory (created later) */
    V_LOGLEVEL, /* const char *, trace..off */
};

/* The keys a node may carry, by kind: the registration table behind
 * validation, did-you-mean and docs/topology.md. */
static const struct node_key {
    const char *key;
    unsigned kinds;
    enum vt vt;
    size_t off;        /* in struct node_params */
    const char *alias; /* Containernet's name of the same setting, or NULL */
} node_keys[] = {
    {"ip", K_HOSTLIKE, V_IP, offsetof(struct node_params, ip), NULL},
    {"mac", K_HOSTLIKE, V_MAC, offsetof(struct node_params, mac), NULL},
    {"defaultroute", K_HOSTLIKE, V_STR,
     offsetof(struct node_params, defaultroute), NULL},
    {"exec", K_HOSTLIKE, V_LIST, offsetof(struct node_params, exec), NULL},
    {"image", K(NODE_DOCKER), V_STR, offsetof(struct node_params, docker.image),
     "dimage"},
    {"cmd", K(NODE_DOCKER), V_STR, offsetof(struct node_params, docker.cmd),
     "dcmd"},
    {"env", K(NODE_DOCKER), V_ENV, offsetof(struct node_params, docker.env),
     "environment"},
    {"volumes", K(NODE_DOCKER), V_VOLUMES,
     offsetof(struct node_params, docker.volumes), NULL},
    {"cpu_quota", K(NODE_DOCKER), V_I64,
     offsetof(struct node_params, docker.cpu_quota), NULL},
    {"cpu_period", K(NODE_DOCKER), V_I64,
     offsetof(struct node_params, docker.cpu_period), NULL},
    {"cpu_shares", K(NODE_DOCKER), V_I64,
     offsetof(struct node_params, docker.cpu_shares), NULL},
    {"cpus", K(NODE_DOCKER), V_CPUS, 0, NULL},
    {"cpuset", K(NODE_DOCKER), V_STR,
     offsetof(struct node_params, docker.cpuset), "cpuset_cpus"},
    {"memory", K(NODE_DOCKER), V_BYTES,
     offsetof(struct node_params, docker.mem_limit), "mem_limit"},
    {"p4", K(NODE_P4SWITCH), V_FILE, offsetof(struct node_params, p4.p4), NULL},
    {"json", K(NODE_P4SWITCH), V_FILE, offsetof(struct node_params, p4.json),
     NULL},
    {"commands", K(NODE_P4SWITCH), V_FILE,
     offsetof(struct node_params, p4.commands), NULL},
    {"runtime", K(NODE_P4SWITCH), V_FILE,
     offsetof(struct node_params, p4.runtime), NULL},
    {"thrift_port", K(NODE_P4SWITCH), V_PORT,
     offsetof(struct node_params, p4.thrift_port), NULL},
    {"device_id", K(NODE_P4SWITCH), V_INT,
     offsetof(struct node_params, p4.device_id), NULL},
    {"cpu_port", K(NODE_P4SWITCH), V_INT,
     offsetof(struct node_params, p4.cpu_port), NULL},
    {"log_level", K(NODE_P4SWITCH), V_LOGLEVEL,
     offsetof(struct node_params, p4.log_level), NULL},
    {"pcap", K(NODE_P4SWITCH), V_DIR, offsetof(struct node_params, p4.pcap_dir),
     NULL},
    {"defines", K(NODE_P4SWITCH), V_LIST,
     offsetof(struct node_params, p4.defines), NULL},
};

static const char *const kind_names[NODE_KIND_MAX] = {
    [NODE_HOST] = "host",         [NODE_ROUTER] = "router",
    [NODE_BRIDGE] = "bridge",     [NODE_DOCKER] = "docker",
    [NODE_P4SWITCH] = "p4switch",
};

static int
kind_lookup(const char *s)
{
    for (int k = 0; k < NODE_KIND_MAX; k++)
        if (!strcmp(s, kind_names[k]))
            return k;
    return -1;
}

/* Reads a list of strings (a scalar counts as a one-item list) into a
 * NULL-terminated topo-owned array. */
static const char **
read_list(struct pctx *c, const struct tv *v, const char *what)
{
    size_t n = v->type == TV_SEQ ? v->n : 1;
    const char **arr = towned(c->t, xcalloc(n + 1, sizeof *arr));
    if (v->type == TV_SCALAR) {
        arr[0] = tdup(c->t, v->str);
        return arr;
    }
    if (v->type != TV_SEQ) {
        perr(c, v, "%s expects a list of strings, found %s", what,
             tv_type_name(v));
        return NULL;
    }
    for (size_t i = 0; i < v->n; i++) {
        const char *s = want_scalar(c, v->vals[i], what);
        if (!s)
            return NULL;
        arr[i] = tdup(c->t, s);
    }
    return arr;
}

static void
set_node_key(struct pctx *c, struct topo_node *tn, const struct node_key *k,
             const struct tv *v)
{
    char *base = (char *)&tn->params;
    void *field = base + k->off;
    const char *s, *why;
    long long x;
    char what[64];
    snprintf(what, sizeof what, "'%s'", k->key);
    switch (k->vt) {
    case V_STR:
        if ((s = want_scalar(c, v, what)))
            *(const char **)field = tdup(c->t, s);
        break;
    case V_IP:
        if ((s = want_scalar(c, v, what))) {
            if (topo_check_ip(s, 1, &why) < 0)
                perr(c, v, "bad %s '%s': %s", what, s, why);
            else
                *(const char **)field = tdup(c->t, s);
        }
        break;
    case V_MAC:
        if ((s = want_scalar(c, v, what))) {
            if (topo_check_mac(s, &why) < 0)
                perr(c, v, "bad %s '%s': %s", what, s, why);
            else
                *(const char **)field = tdup(c->t, s);
        }
        break;
    case V_LIST: {
        const char **l = read_list(c, v, what);
        if (l)
            *(const char *const **)field = l;
        break;
    }
    case V_ENV: {
        if (v->type == TV_MAP) {
            const char **arr = towned(c->t, xcalloc(v->n + 1, sizeof *arr));
            check_dup_keys(c, v, "'env'");
            for (size_t i = 0; i < v->n; i++) {
                const char *val =
                    v->vals[i]->type == TV_NULL
                        ? ""
                        : want_scalar(c, v->vals[i], "an env value");
                if (!val || v->keys[i]->type != TV_SCALAR)
                    return;
                char *kv = xasprintf("%s=%s", v->keys[i]->str, val);
                arr[i] = towned(c->t, kv);
            }
            *(const char *const **)field = arr;
            break;
        }
        const char **l = read_list(c, v, what);
        if (!l)
            break;
        for (size_t i = 0; l[i]; i++) {
            if (!strchr(l[i], '=') || l[i][0] == '=') {
                perr(c, v->type == TV_SEQ ? v->vals[i] : v,
                     "env entry '%s' must look like NAME=value", l[i]);
                return;
            }
        }
        *(const char *const **)field = l;
        break;
    }
    case V_VOLUMES: {
        const char **l = read_list(c, v, what);
        if (!l)
            break;
        for (size_t i = 0; l[i]; i++) {
            const struct tv *at = v->type == TV_SEQ ? v->vals[i] : v;
            const char *colon = strchr(l[i], ':');
            if (!colon || colon == l[i] || colon[1] != '/') {
                perr(
                    c, at,
                    "volume '%s' must look like HOST_PATH:/container/path[:ro]",
                    l[i]);
                return;
            }
            if (l[i][0] != '/') {
                char *abs = xasprintf("%s/%s", c->dir, l[i]);
                l[i] = towned(c->t, abs);
            }
        }
        *(const char *const **)field = l;
        break;
    }
    case V_INT:
        if (want_int(c, v, what, 0, INT_MAX, &x) == 0)
            *(int *)field = (int)x;
        break;
    case V_PORT:
        if (want_int(c, v, what, 1, 65535, &x) == 0)
            *(int *)field = (int)x;
        break;
    case V_I64:
        if (want_int(c, v, what, 0, LLONG_MAX, &x) == 0)
            *(int64_t *)field = x;
        break;
    case V_BYTES:
        if ((s = want_scalar(c, v, what))) {
            if (topo_parse_bytes(s, &x, &why) < 0)
                perr(c, v, "bad %s '%s': %s", what, s, why);
            else
                *(int64_t *)field = x;
        }
        break;
    case V_CPUS:
        if ((s = want_scalar(c, v, what))) {
            char *end;
            double cpus = strtod(s, &end);
            if (!*s || *end || !(cpus > 0) || cpus > 1024)
                perr(c, v,
                     "bad 'cpus' '%s': expected a number of CPUs such as 0.5",
                     s);
            else {
                tn->params.docker.cpu_period = 100000;
                tn->params.docker.cpu_quota = (int64_t)(cpus * 100000);
            }
        }
        break;
    case V_FILE:
        if ((s = resolve_path(c, v, what, 1)))
            *(const char **)field = s;
        break;
    case V_DIR:
        if ((s = resolve_path(c, v, what, 0)))
            *(const char **)field = s;
        break;
    case V_LOGLEVEL:
        if ((s = want_scalar(c, v, what))) {
            if (log_level_parse(s) < 0) {
                static const char *const lv[] = {"trace", "debug", "info",
                                                 "warn",  "error", "off"};
                const char *sug = diag_suggest(s, lv, ARRAY_SIZE(lv));
                perr(c, v,
                     "unknown log level '%s'%s%s%s (trace, debug, info, "
                     "warn, error, off)",
                     s, sug ? "; did you mean '" : "", sug ? sug : "",
                     sug ? "'?" : "");
            } else
                *(const char **)field = tdup(c->t, s);
        }
        break;
    }
}

/* The registration entry of key s, by its name or its Containernet alias. */
static const struct node_key *
find_node_key(const char *s)
{
    for (size_t j = 0; j < ARRAY_SIZE(node_keys); j++)
        if (!strcmp(node_keys[j].key, s) ||
            (node_keys[j].alias && !strcmp(node_keys[j].alias, s)))
            return &node_keys[j];
    return NULL;
}

static int
tv_has_key(const struct tv *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->keys[i]->type == TV_SCALAR && !strcmp(m->keys[i]->str, name))
            return 1;
    return 0;
}

/* Applies the keys of mapping m (a node's own, or its kind's defaults) to tn.
 */
static void
apply_node_keys(struct pctx *c, struct topo_node *tn, const struct tv *m,
                const char *where)
{
    const char *cands[ARRAY_SIZE(node_keys) + 1];
    size_t nc = 0;
    cands[nc++] = "kind";
    for (size_t i = 0; i < ARRAY_SIZE(node_keys); i++)
        if (node_keys[i].kinds & K(tn->kind))
            cands[nc++] = node_keys[i].key;
    for (size_t i = 0; i < m->n; i++) {
        const struct tv *key = m->keys[i];
        if (key->type != TV_SCALAR || !strcmp(key->str, "kind"))
            continue;
        const struct node_key *k = find_node_key(key->str);
        if (k && k->alias && strcmp(key->str, k->key) &&
            tv_has_key(m, k->key)) {
            perr(c, key,
                 "'%s' is Containernet's name for '%s': give one of them",
                 key->str, k->key);
            continue;
        }
        if (k && !(k->kinds & K(tn->kind))) {
            const char *other = NULL;
            for (int kk = 0; kk < NODE_KIND_MAX && !other; kk++)
                if (k->kinds & K(kk))
                    other = kind_names[kk];
            perr(c, key,
                 "key '%s' does not apply to %s node '%s' (it is for %s "
                 "nodes)",
                 key->str, kind_names[tn->kind], tn->name, other);
            continue;
        }
        if (!k) {
            unknown_key(c, key, where, cands, nc);
            continue;
        }
        if (m->vals[i]->type == TV_NULL)
            continue; /* "key:" with no value keeps the default */
        set_node_key(c, tn, k, m->vals[i]);
    }
}

static void
parse_node(struct pctx *c, const struct tv *key, const struct tv *v)
{
    const char *why;
    hmap_put(&c->declared, key->str, (void *)1, NULL);
    if (topo_check_node_name(key->str, &why) < 0) {
        perr(c, key, "bad node name '%s': %s", key->str, why);
        return;
    }
    if (v->type != TV_MAP) {
        perr(c, v->type == TV_NULL ? key : v,
             "node '%s' needs a mapping with at least 'kind:' (host, router, "
             "bridge, docker or p4switch)",
             key->str);
        return;
    }
    const struct tv *kv = map_get(v, "kind");
    if (!kv) {
        perr(c, key,
             "node '%s' has no kind; add 'kind: host' (or router, "
             "bridge, docker, p4switch)",
             key->str);
        return;
    }
    const char *ks = want_scalar(c, kv, "'kind'");
    if (!ks)
        return;
    int kind = kind_lookup(ks);
    if (kind < 0) {
        const char *s = diag_suggest(ks, kind_names, NODE_KIND_MAX);
        if (s)
            perr(c, kv, "unknown node kind '%s'; did you mean '%s'?", ks, s);
        else
            perr(c, kv,
                 "unknown node kind '%s' (host, router, bridge, docker, "
                 "p4switch)",
                 ks);
        return;
    }
    char where[64];
    snprintf(where, sizeof where, "%s node '%s'", ks, key->str);
    check_dup_keys(c, v, where);
    struct topo_node tn = {0};
    tn.name = tdup(c->t, key->str);
    tn.kind = kind;
    tn.line = key->line;
    tn.col = key->col;
    if (c->defaults[kind]) {
        char dwhere[64];
        snprintf(dwhere, sizeof dwhere, "defaults for %s nodes", ks);
        apply_node_keys(c, &tn, c->defaults[kind], dwhere);
    }
    apply_node_keys(c, &tn, v, where);
    if (kind == NODE_DOCKER && !tn.params.docker.image)
        perr(c, key,
             "docker node '%s' needs 'image:' (an image present "
             "locally, e.g. built with 'docker import')",
             tn.name);
    if (kind == NODE_P4SWITCH && !c->tutorials) {
        if (!tn.params.p4.p4 && !tn.params.p4.json) {
            if (!map_get(v, "p4") && !map_get(v, "json"))
                perr(c, key,
                     "p4switch '%s' needs its program: 'p4: prog.p4' "
                     "(compiled at start) or 'json: prog.json'",
                     tn.name);
        } else if (tn.params.p4.p4 && tn.params.p4.json)
            perr(c, map_get(v, "json") ? map_get(v, "json") : key,
                 "p4switch '%s' has both 'p4:' and 'json:'; give one", tn.name);
        if (tn.params.p4.commands && tn.params.p4.runtime)
            perr(c, map_get(v, "runtime") ? map_get(v, "runtime") : key,
                 "p4switch '%s' has both 'commands:' and 'runtime:'; give one",
                 tn.name);
    }
    add_node(c->t, &tn);
}

/* ---- links ------------------------------------------------------------- */

/* A link end, before node names are checked. */
static void
parse_end(struct pctx *c, const struct tv *v, const char **node,
          struct intf_params *ip, const struct tv **at)
{
    *at = v;
    ip->port = -1;
    const struct tv *nv = v;
    if (v->type == TV_MAP) {
        static const char *const keys[] = {"node", "port", "intf",
                                           "ip",   "mac",  "mtu"};
        check_dup_keys(c, v, "a link end");
        nv = map_get(v, "node");
        if (!nv) {
            perr(c, v, "a link end written as a mapping needs 'node:'");
            return;
        }
        for (size_t i = 0; i < v->n; i++) {
            const struct tv *k = v->keys[i], *x = v->vals[i];
            const char *s, *why;
            long long n;
            if (k->type != TV_SCALAR)
                continue;
            if (!strcmp(k->str, "node"))
                continue;
            else if (!strcmp(k->str, "port")) {
                if (want_int(c, x, "'port'", 0, 511, &n) == 0)
                    ip->port = (int)n;
            } else if (!strcmp(k->str, "intf")) {
                if ((s = want_scalar(c, x, "'intf'"))) {
                    if (strlen(s) > 15 || !*s || strchr(s, '/') ||
                        strchr(s, ' '))
                        perr(c, x,
                             "bad interface name '%s': at most 15 "
                             "characters, no '/' or spaces",
                             s);
                    else
                        ip->name = tdup(c->t, s);
                }
            } else if (!strcmp(k->str, "ip")) {
                if ((s = want_scalar(c, x, "'ip'"))) {
                    if (topo_check_ip(s, 1, &why) < 0)
                        perr(c, x, "bad 'ip' '%s': %s", s, why);
                    else
                        ip->ip = tdup(c->t, s);
                }
            } else if (!strcmp(k->str, "mac")) {
                if ((s = want_scalar(c, x, "'mac'"))) {
                    if (topo_check_mac(s, &why) < 0)
                        perr(c, x, "bad 'mac' '%s': %s", s, why);
                    else
                        ip->mac = tdup(c->t, s);
                }
            } else if (!strcmp(k->str, "mtu")) {
                if (want_int(c, x, "'mtu'", 68, 65535, &n) == 0)
                    ip->mtu = (int)n;
            } else
                unknown_key(c, k, "a link end", keys, ARRAY_SIZE(keys));
        }
    }
    const char *s = want_scalar(c, nv, "a link end");
    if (!s)
        return;
    *at = nv;
    const char *colon = strchr(s, ':');
    if (!colon) {
        *node = tdup(c->t, s);
        return;
    }
    *node = towned(c->t, xstrndup(s, (size_t)(colon - s)));
    const char *suf = colon + 1;
    if (!*suf) {
        perr(c, nv,
             "link end '%s': expected a port number or interface name "
             "after ':'",
             s);
        return;
    }
    char *end;
    long p = strtol(suf, &end, 10);
    if (!*end) {
        if (p < 0 || p > 511)
            perr(c, nv, "link end '%s': port %ld is out of range 0..511", s, p);
        else
            ip->port = (int)p;
    } else if (strlen(suf) > 15) {
        perr(c, nv,
             "link end '%s': interface name '%s' is longer than 15 "
             "characters",
             s, suf);
    } else
        ip->name = tdup(c->t, suf);
}

static const char *const link_keys[] = {
    "endpoints", "bw", "delay", "jitter", "loss", "max_queue", "mtu"};

/* Applies the link-level keys of m to tl (defaults first, then the link). */
static void
apply_link_keys(struct pctx *c, struct topo_link *tl, const struct tv *m,
                const char *where)
{
    check_dup_keys(c, m, where);
    for (size_t i = 0; i < m->n; i++) {
        const struct tv *k = m->keys[i], *x = m->vals[i];
        const char *s, *why;
        long long n;
        if (k->type != TV_SCALAR || !strcmp(k->str, "endpoints"))
            continue;
        if (x->type == TV_NULL)
            continue;
        if (!strcmp(k->str, "bw")) {
            if ((s = want_scalar(c, x, "'bw'")) &&
                topo_parse_bw_mbit(s, &tl->params.bw_mbit, &why) < 0)
                perr(c, x, "bad 'bw' '%s': %s", s, why);
        } else if (!strcmp(k->str, "delay")) {
            if ((s = want_scalar(c, x, "'delay'")) &&
                topo_parse_duration_ms(s, &tl->params.delay_ms, &why) < 0)
                perr(c, x, "bad 'delay' '%s': %s", s, why);
        } else if (!strcmp(k->str, "jitter")) {
            if ((s = want_scalar(c, x, "'jitter'")) &&
                topo_parse_duration_ms(s, &tl->params.jitter_ms, &why) < 0)
                perr(c, x, "bad 'jitter' '%s': %s", s, why);
        } else if (!strcmp(k->str, "loss")) {
            if ((s = want_scalar(c, x, "'loss'")) &&
                topo_parse_percent(s, &tl->params.loss_pct, &why) < 0)
                perr(c, x, "bad 'loss' '%s': %s", s, why);
        } else if (!strcmp(k->str, "max_queue")) {
            if (want_int(c, x, "'max_queue'", 1, 1000000, &n) == 0)
                tl->params.max_queue = (int)n;
        } else if (!strcmp(k->str, "mtu")) {
            if (want_int(c, x, "'mtu'", 68, 65535, &n) == 0)
                tl->ia.mtu = tl->ib.mtu = (int)n;
        } else
            unknown_key(c, k, where, link_keys, ARRAY_SIZE(link_keys));
    }
}

static void
parse_link(struct pctx *c, const struct tv *v)
{
    struct topo_link tl = {0};
    tl.line = v->line;
    tl.col = v->col;
    tl.ia.port = tl.ib.port = -1;
    const struct tv *eps = v;
    if (c->link_defaults)
        apply_link_keys(c, &tl, c->link_defaults, "link defaults");
    if (v->type == TV_MAP) {
        eps = map_get(v, "endpoints");
        apply_link_keys(c, &tl, v, "a link");
        if (!eps) {
            perr(c, v, "a link needs 'endpoints: [a, b]'");
            return;
        }
    } else if (v->type != TV_SEQ) {
        perr(c, v,
             "a link is a pair [h1, s1:1] or a mapping with "
             "'endpoints: [h1, s1:1]' and parameters");
        return;
    }
    if (eps->type != TV_SEQ || eps->n != 2) {
        perr(c, eps, "a link has exactly two ends, e.g. [h1, s1:1]%s",
             eps->type == TV_SEQ ? "" : " (found not a list)");
        return;
    }
    const struct tv *at_a = NULL, *at_b = NULL;
    int mtu_a = tl.ia.mtu, mtu_b = tl.ib.mtu;
    parse_end(c, eps->vals[0], &tl.a, &tl.ia, &at_a);
    parse_end(c, eps->vals[1], &tl.b, &tl.ib, &at_b);
    if (!tl.ia.mtu)
        tl.ia.mtu = mtu_a;
    if (!tl.ib.mtu)
        tl.ib.mtu = mtu_b;
    if (!tl.a || !tl.b)
        return;
    /* Node checks happen once every node is known: keep the positions. */
    tl.line = at_a->line;
    tl.col = at_a->col;
    (void)at_b;
    VEC_PUSH(&c->t->links, tl);
}

/* A node name close to word, preferring names that share its first letter
 * (a typo of s2 is more likely s1 than h2). */
static const char *
suggest_node(const char *word, const char **names, size_t n)
{
    const char **same = xcalloc(n + 1, sizeof *same);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (names[i][0] == word[0])
            same[k++] = names[i];
    const char *s = diag_suggest(word, same, k);
    free(same);
    return s ? s : diag_suggest(word, names, n);
}

/* Checks links against nodes: unknown names (with did-you-mean), ports only on
 * p4switches, one link per port, interface names unique per node. */
static void
check_links(struct pctx *c, const struct tv *links_tv)
{
    size_t nn = c->t->nodes.n;
    const char **names = xcalloc(nn + 1, sizeof *names);
    for (size_t i = 0; i < nn; i++)
        names[i] = c->t->nodes.v[i].name;
    size_t li = 0;
    struct hmap used = HMAP_INIT; /* "node:port", "node/intf" -> line */
    for (size_t i = 0; i < c->t->links.n; i++) {
        struct topo_link *l = &c->t->links.v[i];
        /* Find this link's item in the source for positions of each end. */
        const struct tv *ends[2] = {NULL, NULL};
        for (; links_tv && li < links_tv->n; li++) {
            const struct tv *it = links_tv->vals[li];
            if (it->line == 0 && l->line == 0)
                break;
            const struct tv *eps =
                it->type == TV_MAP ? map_get(it, "endpoints") : it;
            if (eps && eps->type == TV_SEQ && eps->n >= 2) {
                const struct tv *e0 = eps->vals[0];
                if (e0->type == TV_MAP && map_get(e0, "node"))
                    e0 = map_get(e0, "node");
                if (e0->line == l->line && e0->col == l->col) {
                    ends[0] = e0;
                    ends[1] = eps->vals[1]->type == TV_MAP &&
                                      map_get(eps->vals[1], "node")
                                  ? map_get(eps->vals[1], "node")
                                  : eps->vals[1];
                    li++;
                    break;
                }
            }
        }
        struct tv fake = {.line = l->line, .col = l->col};
        const char *en[2] = {l->a, l->b};
        struct intf_params *ep[2] = {&l->ia, &l->ib};
        int bad = 0;
        for (int e = 0; e < 2; e++) {
            const struct tv *at = ends[e] ? ends[e] : &fake;
            const struct topo_node *n = topo_find_node(c->t, en[e]);
            int declared = hmap_get(&c->declared, en[e]) != NULL;
            if (!n && declared) {
                bad = 1; /* its definition has an error already */
                continue;
            }
            if (!n) {
                const char *s = suggest_node(en[e], names, nn);
                if (s)
                    perr(c, at, "unknown node '%s' in link; did you mean '%s'?",
                         en[e], s);
                else
                    perr(c, at,
                         "unknown node '%s' in link (define it under "
                         "'nodes:')",
                         en[e]);
                bad = 1;
                continue;
            }
            if (ep[e]->port >= 0 && n->kind != NODE_P4SWITCH) {
                perr(c, at,
                     "'%s:%d': only p4switch ends take a port number "
                     "('%s' is a %s); name an interface instead, e.g. %s:eth1",
                     en[e], ep[e]->port, en[e], kind_names[n->kind], en[e]);
                bad = 1;
            }
            if (ep[e]->name && n->kind == NODE_P4SWITCH) {
                perr(c, at,
                     "'%s:%s': a p4switch end takes a port number, e.g. "
                     "%s:1",
                     en[e], ep[e]->name, en[e]);
                bad = 1;
            }
            if ((ep[e]->ip || ep[e]->mac) &&
                (n->kind == NODE_BRIDGE || n->kind == NODE_P4SWITCH)) {
                perr(c, at,
                     "link end '%s' is a %s: switch ports carry no ip or "
                     "mac",
                     en[e], kind_names[n->kind]);
                bad = 1;
            }
        }
        if (bad)
            continue;
        if (!strcmp(l->a, l->b) &&
            (l->ia.port < 0 || l->ia.port == l->ib.port) &&
            !(l->ia.name && l->ib.name && strcmp(l->ia.name, l->ib.name))) {
            perr(c, ends[0] ? ends[0] : &fake,
                 "link from '%s' to itself: give both ends distinct ports or "
                 "interfaces",
                 l->a);
            continue;
        }
        /* Duplicate ports and interface names against earlier links. */
        for (int e = 0; e < 2; e++) {
            const struct tv *at = ends[e] ? ends[e] : &fake;
            char *keys[2] = {NULL, NULL};
            if (ep[e]->port >= 0)
                keys[0] = xasprintf("%s:%d", en[e], ep[e]->port);
            if (ep[e]->name)
                keys[1] = xasprintf("%s/%s", en[e], ep[e]->name);
            for (int k = 0; k < 2; k++) {
                if (!keys[k])
                    continue;
                uintptr_t other = (uintptr_t)hmap_get(&used, keys[k]);
                if (other && k == 0)
                    perr(c, at,
                         "port %d of '%s' is used by two links (the other at "
                         "line %d)",
                         ep[e]->port, en[e], (int)other);
                else if (other)
                    perr(c, at,
                         "interface '%s' of '%s' is used by two links (the "
                         "other at line %d)",
                         ep[e]->name, en[e], (int)other);
                else
                    hmap_put(&used, keys[k],
                             (void *)(uintptr_t)(at->line ? at->line : 1),
                             NULL);
                free(keys[k]);
            }
        }
    }
    hmap_destroy(&used);
    free(names);
}

/* Reports IP and MAC addresses given twice (node ip/mac, link-end ip/mac). */
static void
check_dup_addrs(struct pctx *c)
{
    struct hmap seen = HMAP_INIT; /* "ip 10.0.0.1", "mac 00:..:01" -> line */
    size_t nn = c->t->nodes.n, total = nn + c->t->links.n * 2;
    for (size_t i = 0; i < total; i++) {
        const char *addr[2];
        int line, col;
        if (i < nn) {
            addr[0] = c->t->nodes.v[i].params.ip;
            addr[1] = c->t->nodes.v[i].params.mac;
            line = c->t->nodes.v[i].line;
            col = c->t->nodes.v[i].col;
        } else {
            size_t k = i - nn;
            const struct topo_link *l = &c->t->links.v[k / 2];
            const struct intf_params *ip = k % 2 ? &l->ib : &l->ia;
            addr[0] = ip->ip;
            addr[1] = ip->mac;
            line = l->line;
            col = l->col;
        }
        for (int a = 0; a < 2; a++) {
            if (!addr[a] || !strcmp(addr[a], "none"))
                continue;
            char *key = a == 0 ? xasprintf("ip %.*s",
                                           (int)strcspn(addr[a], "/"), addr[a])
                               : xasprintf("mac %s", addr[a]);
            for (char *p = key; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            uintptr_t other = (uintptr_t)hmap_get(&seen, key);
            if (other) {
                struct tv at = {.line = line, .col = col};
                perr(c, &at, "%s address %s is given twice (also at line %d)",
                     a == 0 ? "IP" : "MAC", key + (a == 0 ? 3 : 4), (int)other);
            } else
                hmap_put(&seen, key, (void *)(uintptr_t)(line ? line : 1),
                         NULL);
            free(key);
        }
    }
    hmap_destroy(&seen);
}

/* ---- the YAML schema --------------------------------------------------- */

static const char *const top_keys[] = {"name",       "prefix", "ip_base",
                                       "static_arp", "ipv6",   "defaults",
                                       "nodes",      "links"};

static void
parse_lab(struct pctx *c, const struct tv *root)
{
    struct topo *t = c->t;
    t->format = "yaml";
    check_dup_keys(c, root, "the top level");
    for (size_t i = 0; i < root->n; i++) {
        const struct tv *k = root->keys[i];
        if (k->type != TV_SCALAR)
            continue;
        size_t j;
        for (j = 0; j < ARRAY_SIZE(top_keys); j++)
            if (!strcmp(k->str, top_keys[j]))
                break;
        if (j == ARRAY_SIZE(top_keys) && !str_starts(k->str, "x-")) {
            /* "x-..." keys are free (as in compose files): a place for
             * anchors that nodes merge with "<<: *name". */
            if (!strcmp(k->str, "hosts") || !strcmp(k->str, "switches"))
                perr(
                    c, k,
                    "'%s' belongs to the tutorials' topology.json format; "
                    "a YAML lab lists every node under 'nodes:' with a 'kind:'",
                    k->str);
            else
                unknown_key(c, k, "the top level", top_keys,
                            ARRAY_SIZE(top_keys));
        }
    }
    const struct tv *v;
    const char *s, *why;
    if ((v = map_get(root, "name")) && (s = want_scalar(c, v, "'name'")))
        t->name = tdup(t, s);
    if ((v = map_get(root, "prefix")) && (s = want_scalar(c, v, "'prefix'"))) {
        size_t n = strlen(s), ok = n >= 1 && n <= 16;
        for (size_t i = 0; i < n; i++)
            ok = ok && (((s[i] >= 'a' && s[i] <= 'z')) ||
                        (s[i] >= '0' && s[i] <= '9'));
        if (!ok)
            perr(c, v,
                 "bad 'prefix' '%s': 1 to 16 lower-case letters or digits", s);
        else
            t->opts.prefix = tdup(t, s);
    }
    if ((v = map_get(root, "ip_base")) &&
        (s = want_scalar(c, v, "'ip_base'"))) {
        if (topo_check_ip(s, 0, &why) < 0 || !strchr(s, '/'))
            perr(c, v,
                 "bad 'ip_base' '%s': expected a network such as "
                 "10.0.0.0/8",
                 s);
        else
            t->opts.ip_base = tdup(t, s);
    }
    if ((v = map_get(root, "static_arp")))
        want_bool(c, v, "'static_arp'", &t->opts.static_arp);
    if ((v = map_get(root, "ipv6")))
        want_bool(c, v, "'ipv6'", &t->opts.ipv6);
    if ((v = map_get(root, "defaults")) && v->type != TV_NULL) {
        if (v->type != TV_MAP)
            perr(c, v, "'defaults' expects a mapping of kind: {key: value}");
        else {
            const char *dk[NODE_KIND_MAX + 1];
            for (int i = 0; i < NODE_KIND_MAX; i++)
                dk[i] = kind_names[i];
            dk[NODE_KIND_MAX] = "link";
            check_dup_keys(c, v, "'defaults'");
            for (size_t i = 0; i < v->n; i++) {
                const struct tv *k = v->keys[i], *x = v->vals[i];
                if (k->type != TV_SCALAR)
                    continue;
                if (x->type != TV_MAP && x->type != TV_NULL) {
                    perr(c, x, "defaults for '%s' expect a mapping", k->str);
                    continue;
                }
                int kind = kind_lookup(k->str);
                if (!strcmp(k->str, "link"))
                    c->link_defaults = x->type == TV_MAP ? x : NULL;
                else if (kind >= 0)
                    c->defaults[kind] = x->type == TV_MAP ? x : NULL;
                else
                    unknown_key(c, k, "'defaults' (a node kind or 'link')", dk,
                                NODE_KIND_MAX + 1);
            }
            if (c->link_defaults && map_get(c->link_defaults, "endpoints"))
                perr(c, map_get(c->link_defaults, "endpoints"),
                     "link defaults cannot name endpoints");
        }
    }
    const struct tv *nodes = map_get(root, "nodes");
    if (!nodes || nodes->type == TV_NULL)
        perr(c, root,
             "the lab has no 'nodes:' (e.g. 'nodes: {h1: {kind: host}}')");
    else if (nodes->type != TV_MAP)
        perr(c, nodes,
             "'nodes' expects a mapping of node name to settings, "
             "found %s",
             tv_type_name(nodes));
    else {
        check_dup_keys(c, nodes, "'nodes'");
        for (size_t i = 0; i < nodes->n; i++) {
            if (nodes->keys[i]->type != TV_SCALAR)
                continue;
            if (topo_find_node(t, nodes->keys[i]->str))
                continue; /* reported by check_dup_keys */
            parse_node(c, nodes->keys[i], nodes->vals[i]);
        }
    }
    const struct tv *links = map_get(root, "links");
    if (links && links->type != TV_NULL && links->type != TV_SEQ)
        perr(c, links, "'links' expects a list of links, found %s",
             tv_type_name(links));
    else if (links && links->type == TV_SEQ) {
        for (size_t i = 0; i < links->n; i++)
            parse_link(c, links->vals[i]);
        check_links(c, links);
    }
    check_dup_addrs(c);
}

/* ---- the tutorials' topology.json ------------------------------------- */

/* "s1-p3" -> node "s1", port 3; "h1" -> node "h1". */
static void
tutorial_end(struct pctx *c, const struct tv *v, const char **node,
             struct intf_params *ip)
{
    ip->port = -1;
    const char *s = want_scalar(c, v, "a link end");
    if (!s)
        return;
    const char *dash = strrchr(s, '-');
    char *end;
    if (dash && dash[1] == 'p' && dash[2]) {
        long p = strtol(dash + 2, &end, 10);
        if (!*end && p >= 0 && p <= 511) {
            *node = towned(c->t, xstrndup(s, (size_t)(dash - s)));
            ip->port = (int)p;
            return;
        }
    }
    *node = tdup(c->t, s);
}

/* The program a tutorials' runtime.json names ("bmv2_json", made by their
 * Makefile under build/), if that file exists; else NULL (then --p4/--json
 * must give it). Looked up as resolve_path() does. */
static const char *
runtime_program(struct pctx *c, const char *runtime)
{
    json_t *j = json_load_file(runtime, 0, NULL);
    const char *name = json_string_value(json_object_get(j, "bmv2_json"));
    const char *res = NULL;
    if (name && *name) {
        char *cands[3] = {NULL, NULL, NULL};
        char cwd[PATH_MAX];
        int nc = 0;
        if (name[0] == '/')
            cands[nc++] = xstrdup(name);
        else {
            if (getcwd(cwd, sizeof cwd))
                cands[nc++] = xasprintf("%s/%s", cwd, name);
            cands[nc++] = xasprintf("%s/%s", c->dir, name);
            cands[nc++] = xasprintf("%s/../%s", c->dir, name);
        }
        for (int i = 0; i < nc && !res; i++) {
            char *real =
                access(cands[i], R_OK) == 0 ? realpath(cands[i], NULL) : NULL;
            if (real) {
                res = tdup(c->t, real);
                free(real);
            }
        }
        for (int i = 0; i < nc; i++)
            free(cands[i]);
    }
    json_decref(j);
    return res;
}

static void
parse_tutorials(struct pctx *c, const struct tv *root)
{
    static const char *const keys[] = {"hosts", "switches", "links"};
    static const char *const hkeys[] = {"ip", "mac", "commands"};
    static const char *const skeys[] = {"runtime_json", "program", "cpu_port",
                                        "cli_input"};
    struct topo *t = c->t;
    t->format = "tutorials-json";
    c->tutorials = 1;
    check_dup_keys(c, root, "the top level");
    for (size_t i = 0; i < root->n; i++)
        if (root->keys[i]->type == TV_SCALAR &&
            strcmp(root->keys[i]->str, "hosts") &&
            strcmp(root->keys[i]->str, "switches") &&
            strcmp(root->keys[i]->str, "links"))
            unknown_key(c, root->keys[i], "topology.json", keys, 3);
    const struct tv *hosts = map_get(root, "hosts");
    if (hosts && hosts->type == TV_MAP) {
        for (size_t i = 0; i < hosts->n; i++) {
            const struct tv *k = hosts->keys[i], *h = hosts->vals[i];
            const char *why, *s;
            if (topo_check_node_name(k->str, &why) < 0) {
                perr(c, k, "bad host name '%s': %s", k->str, why);
                continue;
            }
            struct topo_node tn = {.name = tdup(t, k->str),
                                   .kind = NODE_HOST,
                                   .line = k->line,
                                   .col = k->col};
            if (h->type == TV_MAP) {
                for (size_t j = 0; j < h->n; j++) {
                    const struct tv *hk = h->keys[j], *x = h->vals[j];
                    if (!strcmp(hk->str, "ip") &&
                        (s = want_scalar(c, x, "'ip'"))) {
                        if (topo_check_ip(s, 0, &why) < 0)
                            perr(c, x, "bad 'ip' '%s': %s", s, why);
                        else
                            tn.params.ip = tdup(t, s);
                    } else if (!strcmp(hk->str, "mac") &&
                               (s = want_scalar(c, x, "'mac'"))) {
                        if (topo_check_mac(s, &why) < 0)
                            perr(c, x, "bad 'mac' '%s': %s", s, why);
                        else
                            tn.params.mac = tdup(t, s);
                    } else if (!strcmp(hk->str, "commands")) {
                        tn.params.exec = read_list(c, x, "'commands'");
                    } else if (strcmp(hk->str, "ip") && strcmp(hk->str, "mac"))
                        unknown_key(c, hk, "a host", hkeys, 3);
                }
            } else if (h->type != TV_NULL)
                perr(c, h, "host '%s' expects a mapping", k->str);
            add_node(t, &tn);
        }
    } else if (hosts && hosts->type == TV_SEQ) {
        /* The older tutorials' form: a list of names, automatic addresses. */
        for (size_t i = 0; i < hosts->n; i++) {
            const struct tv *k = hosts->vals[i];
            const char *why, *s = want_scalar(c, k, "a host name");
            if (!s)
                continue;
            if (topo_check_node_name(s, &why) < 0) {
                perr(c, k, "bad host name '%s': %s", s, why);
                continue;
            }
            struct topo_node tn = {.name = tdup(t, s),
                                   .kind = NODE_HOST,
                                   .line = k->line,
                                   .col = k->col};
            add_node(t, &tn);
        }
    } else if (hosts && hosts->type != TV_NULL)
        perr(c, hosts, "'hosts' expects a mapping");
    const struct tv *sw = map_get(root, "switches");
    if (sw && sw->type == TV_MAP) {
        for (size_t i = 0; i < sw->n; i++) {
            const struct tv *k = sw->keys[i], *h = sw->vals[i];
            const char *why, *s;
            if (topo_check_node_name(k->str, &why) < 0) {
                perr(c, k, "bad switch name '%s': %s", k->str, why);
                continue;
            }
            if (topo_find_node(t, k->str)) {
                perr(c, k, "'%s' is both a host and a switch", k->str);
                continue;
            }
            struct topo_node tn = {.name = tdup(t, k->str),
                                   .kind = NODE_P4SWITCH,
                                   .line = k->line,
                                   .col = k->col};
            if (h->type == TV_MAP) {
                for (size_t j = 0; j < h->n; j++) {
                    const struct tv *hk = h->keys[j], *x = h->vals[j];
                    long long n;
                    if (!strcmp(hk->str, "runtime_json"))
                        tn.params.p4.runtime =
                            resolve_path(c, x, "'runtime_json'", 1);
                    else if (!strcmp(hk->str, "cli_input"))
                        tn.params.p4.commands =
                            resolve_path(c, x, "'cli_input'", 1);
                    else if (!strcmp(hk->str, "program")) {
                        /* Usually build/x.json, made by the tutorials'
                         * Makefile: when absent, --p4/--json supplies it. */
                        s = resolve_path(c, x, "'program'", 0);
                        if (s && access(s, F_OK) == 0) {
                            size_t len = strlen(s);
                            if (len > 3 && !strcmp(s + len - 3, ".p4"))
                                tn.params.p4.p4 = s;
                            else
                                tn.params.p4.json = s;
                        }
                    } else if (!strcmp(hk->str, "cpu_port")) {
                        if (want_int(c, x, "'cpu_port'", 1, 511, &n) == 0)
                            tn.params.p4.cpu_port = (int)n;
                    } else
                        unknown_key(c, hk, "a switch", skeys, 4);
                }
            } else if (h->type != TV_NULL)
                perr(c, h, "switch '%s' expects a mapping", k->str);
            (void)why;
            if (!tn.params.p4.p4 && !tn.params.p4.json && tn.params.p4.runtime)
                tn.params.p4.json = runtime_program(c, tn.params.p4.runtime);
            add_node(t, &tn);
        }
    } else if (sw && sw->type == TV_SEQ) {
        /* A list of names: switches whose program --p4/--json gives. */
        for (size_t i = 0; i < sw->n; i++) {
            const struct tv *k = sw->vals[i];
            const char *why, *s = want_scalar(c, k, "a switch name");
            if (!s)
                continue;
            if (topo_check_node_name(s, &why) < 0) {
                perr(c, k, "bad switch name '%s': %s", s, why);
                continue;
            }
            if (topo_find_node(t, s)) {
                perr(c, k, "'%s' is both a host and a switch", s);
                continue;
            }
            struct topo_node tn = {.name = tdup(t, s),
                                   .kind = NODE_P4SWITCH,
                                   .line = k->line,
                                   .col = k->col};
            add_node(t, &tn);
        }
    } else if (sw && sw->type != TV_NULL)
        perr(c, sw, "'switches' expects a mapping");
    const struct tv *links = map_get(root, "links");
    if (links && links->type == TV_SEQ) {
        for (size_t i = 0; i < links->n; i++) {
            const struct tv *l = links->vals[i];
            if (l->type != TV_SEQ || l->n < 2 || l->n > 4) {
                perr(c, l,
                     "a link is [end1, end2] or [end1, end2, latency, "
                     "bandwidth]");
                continue;
            }
            struct topo_link tl = {.line = l->vals[0]->line,
                                   .col = l->vals[0]->col};
            tutorial_end(c, l->vals[0], &tl.a, &tl.ia);
            tutorial_end(c, l->vals[1], &tl.b, &tl.ib);
            const char *s, *why;
            if (l->n > 2 &&
                (s = want_scalar(c, l->vals[2], "a link's latency")) &&
                topo_parse_duration_ms(s, &tl.params.delay_ms, &why) < 0)
                perr(c, l->vals[2], "bad latency '%s': %s", s, why);
            if (l->n > 3 &&
                (s = want_scalar(c, l->vals[3], "a link's bandwidth")) &&
                topo_parse_bw_mbit(s, &tl.params.bw_mbit, &why) < 0)
                perr(c, l->vals[3], "bad bandwidth '%s': %s", s, why);
            if (tl.a && tl.b)
                VEC_PUSH(&t->links, tl);
        }
        check_links(c, links);
    } else if (links && links->type != TV_NULL)
        perr(c, links, "'links' expects a list");
    /* The tutorials' hosts (P4Host) call their first interface eth0 and carry
     * the host's ip/mac on it; their commands name it. */
    for (size_t i = 0; i < t->nodes.n; i++) {
        struct topo_node *n = &t->nodes.v[i];
        if (n->kind != NODE_HOST)
            continue;
        for (size_t j = 0; j < t->links.n; j++) {
            struct topo_link *l = &t->links.v[j];
            struct intf_params *ip = !strcmp(l->a, n->name)   ? &l->ia
                                     : !strcmp(l->b, n->name) ? &l->ib
                                                              : NULL;
            if (ip) {
                ip->name = "eth0";
                ip->ip = n->params.ip;
                ip->mac = n->params.mac;
                break;
            }
        }
    }
}

/* ---- entry points ------------------------------------------------------ */

const struct topo_node *
topo_find_node(const struct topo *t, const char *name)
{
    uintptr_t i = (uintptr_t)hmap_get(&t->by_name, name);
    return i ? &t->nodes.v[i - 1] : NULL;
}

static int
looks_like_json(const char *path, const char *src)
{
    size_t n = strlen(path);
    if (n >= 5 && !strcasecmp(path + n - 5, ".json"))
        return 1;
    while (*src == ' ' || *src == '\t' || *src == '\n' || *src == '\r')
        src++;
    return *src == '{';
}

struct topo *
topo_parse_string(const char *path, const char *src, struct strbuf *diags)
{
    struct topo *t = xcalloc(1, sizeof *t);
    t->path = tdup(t, path);
    char *pcopy = xstrdup(path);
    struct pctx c = {.path = path, .src = src, .diags = diags, .t = t};
    const char *dir = dirname(pcopy);
    char *real = realpath(dir, NULL);
    c.dir = real ? real : xstrdup(dir);
    free(pcopy);
    int json = looks_like_json(path, src);
    struct tv *root =
        json ? load_json(path, src, diags) : load_yaml(path, src, diags);
    if (!root) {
        c.nerr = 1;
        goto out;
    }
    if (root->type != TV_MAP) {
        perr(&c, root->line ? root : NULL,
             root->type == TV_NULL ? "the file is empty: a lab needs 'nodes:'"
                                   : "expected a mapping at the top (nodes:, "
                                     "links:, ...), found %s",
             tv_type_name(root));
        goto out;
    }
    if (json && !map_get(root, "nodes") &&
        (map_get(root, "hosts") || map_get(root, "switches")))
        parse_tutorials(&c, root);
    else {
        parse_lab(&c, root);
        t->format = json ? "json" : "yaml";
    }
out:
    flush_diags(&c);
    hmap_destroy(&c.declared);
    tv_free(root);
    free(c.dir);
    if (c.nerr) {
        topo_free(t);
        return NULL;
    }
    return t;
}

struct topo *
topo_parse_file(const char *path, struct strbuf *diags)
{
    char *src = read_file(path, NULL);
    if (!src) {
        strbuf_printf(diags, "%s: error: cannot read: %s\n", path,
                      strerror(errno));
        return NULL;
    }
    struct topo *t = topo_parse_string(path, src, diags);
    free(src);
    return t;
}

void
topo_free(struct topo *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->owned.n; i++)
        free(t->owned.v[i]);
    VEC_FREE(&t->owned);
    VEC_FREE(&t->nodes);
    VEC_FREE(&t->links);
    hmap_destroy(&t->by_name);
    free(t);
}

void
topo_set_default_program(struct topo *t, const char *p4, const char *json)
{
    for (size_t i = 0; i < t->nodes.n; i++) {
        struct topo_node *n = &t->nodes.v[i];
        if (n->kind != NODE_P4SWITCH || n->params.p4.p4 || n->params.p4.json)
            continue;
        if (p4)
            n->params.p4.p4 = tdup(t, p4);
        else if (json)
            n->params.p4.json = tdup(t, json);
    }
}
