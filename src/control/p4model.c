/* p4model.c - reads the names the runtime CLI needs out of a BMv2 JSON program
 * (with jansson) and indexes them by full name and unique dotted suffix. See
 * p4model.h; the switch's own loader (src/switch) builds the packet path. */
#include "control/p4model.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

#define AMBIGUOUS ((void *)-1)

static const char *
jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static long
jint(json_t *o, const char *k, long dflt)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (long)json_integer_value(v) : dflt;
}

static int
match_parse(const char *s, enum p4m_match *out)
{
    static const char *names[] = {"exact", "lpm",   "ternary",
                                  "valid", "range", "optional"};
    for (size_t i = 0; s && i < ARRAY_SIZE(names); i++)
        if (!strcmp(s, names[i])) {
            *out = (enum p4m_match)i;
            return 0;
        }
    return -1;
}

const char *
p4model_match_name(enum p4m_match k)
{
    static const char *names[] = {"exact", "lpm",   "ternary",
                                  "valid", "range", "optional"};
    return (unsigned)k < ARRAY_SIZE(names) ? names[k] : "?";
}

/* Width of header field hdr.field, or -1. */
static int
field_width(json_t *root, const char *hdr, const char *field)
{
    if (!strcmp(field, "$valid$"))
        return 1;
    const char *htype = NULL;
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(root, "headers"), i, h)
    {
        const char *n = jstr(h, "name");
        if (n && !strcmp(n, hdr)) {
            htype = jstr(h, "header_type");
            break;
        }
    }
    if (!htype) {
        /* a header stack element "stack[3]" or a union member: try the stack */
        return -1;
    }
    json_t *t;
    json_array_foreach(json_object_get(root, "header_types"), i, t)
    {
        const char *n = jstr(t, "name");
        if (!n || strcmp(n, htype))
            continue;
        size_t j;
        json_t *f;
        json_array_foreach(json_object_get(t, "fields"), j, f)
        {
            const char *fn = json_string_value(json_array_get(f, 0));
            if (fn && !strcmp(fn, field)) {
                json_t *w = json_array_get(f, 1);
                return json_is_integer(w) ? (int)json_integer_value(w) : 0;
            }
        }
    }
    return -1;
}

static int
action_index(const struct p4model *m, const char *name)
{
    for (size_t i = 0; i < m->n_actions; i++)
        if (!strcmp(m->actions[i].name, name))
            return (int)i;
    return -1;
}

static void
index_names(struct p4model *m, enum p4m_res res, size_t n,
            const char *(*name_of)(const struct p4model *, size_t))
{
    struct hmap *h = &m->lookup[res];
    for (size_t i = 0; i < n; i++) {
        const char *name = name_of(m, i);
        /* every dotted suffix: "a.b.c" -> "c", "b.c", "a.b.c" */
        for (const char *p = name + strlen(name); p >= name; p--) {
            if (p == name || p[-1] == '.') {
                void *old = hmap_get(h, p);
                if (old && old != (void *)(uintptr_t)(i + 1))
                    hmap_put(h, p, AMBIGUOUS, NULL);
                else
                    hmap_put(h, p, (void *)(uintptr_t)(i + 1), NULL);
            }
        }
    }
    /* a full name always wins over another object's suffix */
    for (size_t i = 0; i < n; i++)
        hmap_put(h, name_of(m, i), (void *)(uintptr_t)(i + 1), NULL);
}

#define NAME_OF(fn, arr)                                                       \
    static const char *fn(const struct p4model *m, size_t i)                   \
    {                                                                          \
        return m->arr[i].name;                                                 \
    }
NAME_OF(tname, tables)
NAME_OF(aname, actions)
NAME_OF(apname, act_profs)
NAME_OF(mname, meters)
NAME_OF(cname, counters)
NAME_OF(rname, registers)
NAME_OF(pname, pvss)

static struct p4m_act_prof *
add_act_prof(struct p4model *m, const char *name, int id, int ws)
{
    m->act_profs =
        xrealloc(m->act_profs, (m->n_act_profs + 1) * sizeof *m->act_profs);
    struct p4m_act_prof *ap = &m->act_profs[m->n_act_profs++];
    memset(ap, 0, sizeof *ap);
    ap->name = xstrdup(name);
    ap->id = id;
    ap->with_selection = ws;
    return ap;
}

static int
load_table(struct p4model *m, json_t *root, json_t *jt, int pipeline,
           struct p4m_table *t, struct err *err)
{
    const char *name = jstr(jt, "name");
    if (!name)
        return err_set(err, -EINVAL, "a table has no \"name\"");
    t->name = xstrdup(name);
    t->id = (int)jint(jt, "id", 0);
    t->pipeline = pipeline;
    t->act_prof = -1;
    if (match_parse(jstr(jt, "match_type") ? jstr(jt, "match_type") : "exact",
                    &t->match_type) < 0)
        return err_set(err, -EINVAL, "table %s: unknown match_type", name);
    const char *type = jstr(jt, "type");
    t->type = !type || !strcmp(type, "simple") ? P4M_SIMPLE
              : !strcmp(type, "indirect")      ? P4M_INDIRECT
                                               : P4M_INDIRECT_WS;
    t->support_timeout = json_is_true(json_object_get(jt, "support_timeout"));
    json_t *acts = json_object_get(jt, "actions");
    t->actions = xcalloc(json_array_size(acts) + 1, sizeof *t->actions);
    size_t i;
    json_t *a;
    json_array_foreach(acts, i, a)
    {
        int ai = json_is_string(a) ? action_index(m, json_string_value(a)) : -1;
        if (ai < 0)
            return err_set(err, -EINVAL, "table %s: unknown action %s", name,
                           json_is_string(a) ? json_string_value(a) : "?");
        t->actions[t->n_actions++] = ai;
    }
    json_t *keys = json_object_get(jt, "key");
    t->keys = xcalloc(json_array_size(keys) + 1, sizeof *t->keys);
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        struct p4m_key *key = &t->keys[t->n_keys++];
        if (match_parse(jstr(k, "match_type"), &key->match) < 0)
            return err_set(err, -EINVAL,
                           "table %s: key %zu: unknown match_type", name, i);
        json_t *tg = json_object_get(k, "target");
        const char *jn = jstr(k, "name");
        key->jname = jn ? xstrdup(jn) : NULL;
        if (json_is_string(tg)) { /* old "valid" keys name a header */
            key->name = xasprintf("%s_valid", json_string_value(tg));
            key->bitwidth = 1;
        } else if (json_is_array(tg) && json_array_size(tg) == 2) {
            const char *h = json_string_value(json_array_get(tg, 0));
            const char *f = json_string_value(json_array_get(tg, 1));
            if (!h || !f)
                return err_set(err, -EINVAL, "table %s: key %zu: bad target",
                               name, i);
            if (!strcmp(f, "$valid$")) {
                key->name = xasprintf("%s_valid", h);
                key->bitwidth = 1;
            } else {
                key->name = xasprintf("%s.%s", h, f);
                key->bitwidth = field_width(root, h, f);
                if (key->bitwidth < 0)
                    return err_set(err, -EINVAL,
                                   "table %s: key %s: unknown field", name,
                                   key->name);
            }
        } else {
            return err_set(err, -EINVAL, "table %s: key %zu: bad target", name,
                           i);
        }
    }
    if (t->type != P4M_SIMPLE) {
        const char *apn = jstr(jt, "action_profile");
        int api = -1;
        for (size_t j = 0; apn && j < m->n_act_profs; j++)
            if (!strcmp(m->act_profs[j].name, apn))
                api = (int)j;
        if (api < 0) {
            const char *old = jstr(jt, "act_prof_name");
            if (!old && !apn)
                return err_set(
                    err, -EINVAL,
                    "table %s: indirect table without action profile", name);
            add_act_prof(m, old ? old : apn, t->id,
                         json_object_get(jt, "selector") != NULL);
            api = (int)m->n_act_profs - 1;
        }
        struct p4m_act_prof *ap = &m->act_profs[api];
        for (size_t j = 0; j < t->n_actions; j++) {
            size_t x;
            for (x = 0; x < ap->n_actions; x++)
                if (ap->actions[x] == t->actions[j])
                    break;
            if (x == ap->n_actions) {
                ap->actions = xrealloc(ap->actions, (ap->n_actions + 1) *
                                                        sizeof *ap->actions);
                ap->actions[ap->n_actions++] = t->actions[j];
            }
        }
        ap->ref_cnt++;
        t->act_prof = api;
    }
    return 0;
}

struct p4model *
p4model_new(const char *text, size_t len, struct err *err)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    if (!root) {
        err_set(err, -EINVAL, "line %d, column %d: %s", je.line, je.column,
                je.text);
        return NULL;
    }
    struct p4model *m = xcalloc(1, sizeof *m);
    for (int r = 0; r < P4M_RES_N; r++)
        hmap_init(&m->lookup[r]);
    int rc = 0;
    size_t i;
    json_t *o;

    json_t *acts = json_object_get(root, "actions");
    m->actions = xcalloc(json_array_size(acts) + 1, sizeof *m->actions);
    json_array_foreach(acts, i, o)
    {
        struct p4m_action *a = &m->actions[m->n_actions++];
        a->name = xstrdup(jstr(o, "name") ? jstr(o, "name") : "?");
        a->id = (int)jint(o, "id", (long)i);
        json_t *rd = json_object_get(o, "runtime_data");
        a->params = xcalloc(json_array_size(rd) + 1, sizeof *a->params);
        size_t j;
        json_t *p;
        json_array_foreach(rd, j, p)
        {
            a->params[a->n_params].name =
                xstrdup(jstr(p, "name") ? jstr(p, "name") : "?");
            a->params[a->n_params++].bitwidth = (int)jint(p, "bitwidth", 0);
        }
    }

    json_t *pipes = json_object_get(root, "pipelines");
    size_t ntab = 0;
    json_array_foreach(pipes, i, o)
    {
        size_t j;
        json_t *ap;
        json_array_foreach(json_object_get(o, "action_profiles"), j, ap)
        {
            add_act_prof(m, jstr(ap, "name") ? jstr(ap, "name") : "?",
                         (int)jint(ap, "id", 0),
                         json_object_get(ap, "selector") != NULL);
        }
        ntab += json_array_size(json_object_get(o, "tables"));
    }
    m->tables = xcalloc(ntab + 1, sizeof *m->tables);
    json_array_foreach(pipes, i, o)
    {
        size_t j;
        json_t *jt;
        json_array_foreach(json_object_get(o, "tables"), j, jt)
        {
            rc =
                load_table(m, root, jt, (int)i, &m->tables[m->n_tables++], err);
            if (rc < 0)
                goto out;
        }
    }

    json_t *arr = json_object_get(root, "counter_arrays");
    m->counters = xcalloc(json_array_size(arr) + 1, sizeof *m->counters);
    json_array_foreach(arr, i, o)
    {
        struct p4m_counter *c = &m->counters[m->n_counters++];
        c->name = xstrdup(jstr(o, "name") ? jstr(o, "name") : "?");
        c->id = (int)jint(o, "id", 0);
        c->is_direct = json_is_true(json_object_get(o, "is_direct"));
        c->size = jint(o, "size", 0);
        c->binding = jstr(o, "binding") ? xstrdup(jstr(o, "binding")) : NULL;
    }
    arr = json_object_get(root, "meter_arrays");
    m->meters = xcalloc(json_array_size(arr) + 1, sizeof *m->meters);
    json_array_foreach(arr, i, o)
    {
        struct p4m_meter *mt = &m->meters[m->n_meters++];
        mt->name = xstrdup(jstr(o, "name") ? jstr(o, "name") : "?");
        mt->id = (int)jint(o, "id", 0);
        mt->is_direct = json_is_true(json_object_get(o, "is_direct"));
        mt->is_bytes = jstr(o, "type") && !strcmp(jstr(o, "type"), "bytes");
        mt->rate_count = (int)jint(o, "rate_count", 2);
        mt->size = jint(o, "size", 0);
        mt->binding = jstr(o, "binding") ? xstrdup(jstr(o, "binding")) : NULL;
    }
    arr = json_object_get(root, "register_arrays");
    m->registers = xcalloc(json_array_size(arr) + 1, sizeof *m->registers);
    json_array_foreach(arr, i, o)
    {
        struct p4m_register *r = &m->registers[m->n_registers++];
        r->name = xstrdup(jstr(o, "name") ? jstr(o, "name") : "?");
        r->id = (int)jint(o, "id", 0);
        r->size = jint(o, "size", 0);
        r->bitwidth = (int)jint(o, "bitwidth", 0);
    }
    arr = json_object_get(root, "parse_vsets");
    m->pvss = xcalloc(json_array_size(arr) + 1, sizeof *m->pvss);
    json_array_foreach(arr, i, o)
    {
        struct p4m_pvs *p = &m->pvss[m->n_pvss++];
        p->name = xstrdup(jstr(o, "name") ? jstr(o, "name") : "?");
        p->id = (int)jint(o, "id", 0);
        p->bitwidth =
            (int)jint(o, "compressed_bitwidth", jint(o, "bitwidth", 0));
    }
    arr = json_object_get(root, "calculations");
    m->crcs = xcalloc(json_array_size(arr) + 1, sizeof *m->crcs);
    json_array_foreach(arr, i, o)
    {
        const char *algo = jstr(o, "algo");
        if (algo &&
            (!strcmp(algo, "crc16_custom") || !strcmp(algo, "crc32_custom"))) {
            struct p4m_crc *c = &m->crcs[m->n_crcs++];
            c->name = xstrdup(jstr(o, "name") ? jstr(o, "name") : "?");
            c->width = algo[3] == '1' ? 16 : 32;
        }
    }

    index_names(m, P4M_RES_TABLE, m->n_tables, tname);
    index_names(m, P4M_RES_ACTION, m->n_actions, aname);
    index_names(m, P4M_RES_ACT_PROF, m->n_act_profs, apname);
    index_names(m, P4M_RES_METER, m->n_meters, mname);
    index_names(m, P4M_RES_COUNTER, m->n_counters, cname);
    index_names(m, P4M_RES_REGISTER, m->n_registers, rname);
    index_names(m, P4M_RES_PVS, m->n_pvss, pname);
out:
    json_decref(root);
    if (rc < 0) {
        p4model_free(m);
        return NULL;
    }
    return m;
}

struct p4model *
p4model_load(const char *path, struct err *err)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        err_set(err, -errno, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct p4model *m = p4model_new(text, len, err);
    if (!m)
        err_prefix(err, "%s", path);
    free(text);
    return m;
}

void
p4model_free(struct p4model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_tables; i++) {
        struct p4m_table *t = &m->tables[i];
        free(t->name);
        free(t->actions);
        for (size_t k = 0; k < t->n_keys; k++) {
            free(t->keys[k].name);
            free(t->keys[k].jname);
        }
        free(t->keys);
    }
    free(m->tables);
    for (size_t i = 0; i < m->n_actions; i++) {
        for (size_t k = 0; k < m->actions[i].n_params; k++)
            free(m->actions[i].params[k].name);
        free(m->actions[i].params);
        free(m->actions[i].name);
    }
    free(m->actions);
    for (size_t i = 0; i < m->n_act_profs; i++) {
        free(m->act_profs[i].name);
        free(m->act_profs[i].actions);
    }
    free(m->act_profs);
    for (size_t i = 0; i < m->n_counters; i++) {
        free(m->counters[i].name);
        free(m->counters[i].binding);
    }
    free(m->counters);
    for (size_t i = 0; i < m->n_meters; i++) {
        free(m->meters[i].name);
        free(m->meters[i].binding);
    }
    free(m->meters);
    for (size_t i = 0; i < m->n_registers; i++)
        free(m->registers[i].name);
    free(m->registers);
    for (size_t i = 0; i < m->n_pvss; i++)
        free(m->pvss[i].name);
    free(m->pvss);
    for (size_t i = 0; i < m->n_crcs; i++)
        free(m->crcs[i].name);
    free(m->crcs);
    for (int r = 0; r < P4M_RES_N; r++)
        hmap_destroy(&m->lookup[r]);
    free(m);
}

int
p4model_find(const struct p4model *m, enum p4m_res res, const char *name)
{
    void *v = hmap_get(&m->lookup[res], name);
    if (!v || v == AMBIGUOUS)
        return -1;
    return (int)((uintptr_t)v - 1);
}

const char *
p4model_name(const struct p4model *m, enum p4m_res res, int idx)
{
    switch (res) {
    case P4M_RES_TABLE:
        return m->tables[idx].name;
    case P4M_RES_ACT_PROF:
        return m->act_profs[idx].name;
    case P4M_RES_ACTION:
        return m->actions[idx].name;
    case P4M_RES_METER:
        return m->meters[idx].name;
    case P4M_RES_COUNTER:
        return m->counters[idx].name;
    case P4M_RES_REGISTER:
        return m->registers[idx].name;
    case P4M_RES_PVS:
        return m->pvss[idx].name;
    default:
        return "?";
    }
}

static int
find_in(const struct p4model *m, const int *acts, size_t n, const char *name)
{
    int a = p4model_find(m, P4M_RES_ACTION, name);
    for (size_t i = 0; a >= 0 && i < n; i++)
        if (acts[i] == a)
            return a;
    /* a suffix ambiguous program-wide may still be unique within the table */
    int found = -1;
    size_t ln = strlen(name);
    for (size_t i = 0; i < n; i++) {
        const char *full = m->actions[acts[i]].name;
        size_t lf = strlen(full);
        if (!strcmp(full, name))
            return acts[i];
        if (lf > ln && !strcmp(full + lf - ln, name) &&
            full[lf - ln - 1] == '.') {
            if (found >= 0 && found != acts[i])
                return -1;
            found = acts[i];
        }
    }
    return found;
}

int
p4model_table_action(const struct p4model *m, const struct p4m_table *t,
                     const char *name)
{
    return find_in(m, t->actions, t->n_actions, name);
}

int
p4model_act_prof_action(const struct p4model *m, const struct p4m_act_prof *ap,
                        const char *name)
{
    return find_in(m, ap->actions, ap->n_actions, name);
}
