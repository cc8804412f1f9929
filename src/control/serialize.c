/* serialize.c - serialize_state: the switch's runtime state as
 * simple_switch_CLI commands (see serialize.h). Reads everything through the
 * switch API (sw.h); the multicast part through sw_mc_walk. */
#include "control/serialize.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/cli_impl.h"
#include "control/value.h"

static void
hex(struct strbuf *o, const struct sw_bytes *b)
{
    strbuf_puts(o, "0x");
    if (!b->len)
        strbuf_putc(o, '0');
    for (size_t i = 0; i < b->len; i++)
        strbuf_printf(o, "%02x", b->v[i]);
}

static void
key_word(struct strbuf *o, const struct sw_match_param *p)
{
    strbuf_putc(o, ' ');
    switch (p->kind) {
    case SW_MATCH_EXACT:
        hex(o, &p->key);
        break;
    case SW_MATCH_LPM:
        hex(o, &p->key);
        strbuf_printf(o, "/%d", p->prefix_len);
        break;
    case SW_MATCH_TERNARY:
        hex(o, &p->key);
        strbuf_puts(o, "&&&");
        hex(o, &p->mask);
        break;
    case SW_MATCH_RANGE:
        hex(o, &p->key);
        strbuf_puts(o, "->");
        hex(o, &p->mask);
        break;
    case SW_MATCH_VALID:
        strbuf_puts(o, p->key.len && p->key.v[p->key.len - 1] ? "1" : "0");
        break;
    case SW_MATCH_OPTIONAL:
        if (p->wildcard)
            strbuf_putc(o, '*');
        else
            hex(o, &p->key);
        break;
    }
}

static void
args_words(struct strbuf *o, const struct sw_bytes *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        strbuf_putc(o, ' ');
        hex(o, &args[i]);
    }
}

/* An entry as written: its handle and its lines. */
struct ent_text {
    uint64_t handle;
    char *text;
    enum sw_action_ref_kind kind; /* what it runs, for placeholders */
    uint32_t ref_handle;
};

struct table_ctx {
    const struct sw_table_info *t;
    const char *direct_counter; /* NULL if none */
    VEC(struct ent_text) ents;
    struct strbuf dflt;     /* the default entry's line */
    struct strbuf counters; /* counter_write lines, after the entries */
};

/* Runs under the switch's lock: only formats. */
static void
entry_cb(void *ctx, const struct sw_entry_info *ent)
{
    struct table_ctx *x = ctx;
    const struct sw_table_info *t = x->t;
    if (ent->is_default) {
        struct strbuf *o = &x->dflt;
        if (t->const_default)
            return;
        if (ent->kind == SW_REF_ACTION && ent->action) {
            strbuf_printf(o, "table_set_default %s %s", t->name,
                          ent->action->name);
            args_words(o, ent->args, ent->action->n_params);
            strbuf_putc(o, '\n');
        } else if (ent->kind == SW_REF_MEMBER) {
            strbuf_printf(o, "table_indirect_set_default %s %u\n", t->name,
                          ent->ref_handle);
        } else if (ent->kind == SW_REF_GROUP) {
            strbuf_printf(o, "table_indirect_set_default_with_group %s %u\n",
                          t->name, ent->ref_handle);
        }
        return;
    }
    if (t->const_entries)
        return;
    struct strbuf sb = STRBUF_INIT, *o = &sb;
    switch (ent->kind) {
    case SW_REF_ACTION:
        strbuf_printf(o, "table_add %s %s", t->name,
                      ent->action ? ent->action->name : "NoAction");
        break;
    case SW_REF_MEMBER:
        strbuf_printf(o, "table_indirect_add %s", t->name);
        break;
    case SW_REF_GROUP:
        strbuf_printf(o, "table_indirect_add_with_group %s", t->name);
        break;
    }
    for (size_t i = 0; i < ent->n_match; i++)
        key_word(o, &ent->match[i]);
    strbuf_puts(o, " =>");
    if (ent->kind == SW_REF_ACTION && ent->action)
        args_words(o, ent->args, ent->action->n_params);
    else if (ent->kind != SW_REF_ACTION)
        strbuf_printf(o, " %u", ent->ref_handle);
    if (t->with_priority)
        strbuf_printf(o, " %d", ent->priority);
    strbuf_putc(o, '\n');
    if (ent->timeout_ms)
        strbuf_printf(o, "table_set_timeout %s %llu %u\n", t->name,
                      (unsigned long long)ent->handle, ent->timeout_ms);
    if (x->direct_counter && (ent->hit_packets || ent->hit_bytes))
        strbuf_printf(&x->counters, "counter_write %s %llu %llu %llu\n",
                      x->direct_counter, (unsigned long long)ent->handle,
                      (unsigned long long)ent->hit_packets,
                      (unsigned long long)ent->hit_bytes);
    struct ent_text et = {ent->handle, strbuf_steal(&sb), ent->kind,
                          ent->ref_handle};
    VEC_PUSH(&x->ents, et);
}

/* Writes a table_add of a placeholder entry for a freed handle of direct
 * table t: the first key field takes the next value from *cand that no
 * entry has (the others are zero); it runs the table's first action with
 * zero arguments or, in an indirect table, the member or group that `like`
 * (the entry after the gap) runs. Returns -1 if the table's keys do not
 * allow one. */
static int
placeholder(struct sw *sw, const struct sw_table_info *t, uint64_t *cand,
            const struct ent_text *like, struct strbuf *o)
{
    const struct sw_action_info *a =
        t->n_actions ? sw_action_by_id(sw, t->action_ids[0]) : NULL;
    if (!t->n_keys || (t->kind == SW_TABLE_DIRECT && !a) ||
        (t->kind != SW_TABLE_DIRECT && like->kind == SW_REF_ACTION) ||
        t->keys[0].kind == SW_MATCH_VALID || t->n_keys > 16)
        return -1;
    uint8_t key[16][VALUE_MAX_BYTES], mask[16][VALUE_MAX_BYTES];
    struct sw_match_param mp[16];
    for (int tries = 0; tries < 4096; tries++) {
        uint64_t v = (*cand)++;
        if (t->keys[0].bitwidth < 64 && v >> t->keys[0].bitwidth)
            return -1;
        for (size_t i = 0; i < t->n_keys; i++) {
            unsigned bw = t->keys[i].bitwidth;
            size_t nb = (bw + 7) / 8;
            if (!nb || nb > VALUE_MAX_BYTES)
                return -1;
            memset(key[i], 0, nb);
            memset(mask[i], 0xff, nb);
            mask[i][0] = (uint8_t)(0xff >> (nb * 8 - bw));
            for (size_t b = 0; i == 0 && b < nb && b < 8; b++)
                key[i][nb - 1 - b] = (uint8_t)(v >> (8 * b));
            mp[i] = (struct sw_match_param){
                t->keys[i].kind, {key[i], nb}, {mask[i], nb}, (int)bw, 0};
            if (t->keys[i].kind == SW_MATCH_RANGE)
                mp[i].mask = mp[i].key; /* low == high */
            if (t->keys[i].kind == SW_MATCH_VALID) {
                key[i][0] = 1;
                mp[i].key.len = 1;
            }
        }
        uint64_t h;
        int prio = t->with_priority ? 1 : 0;
        if (sw_table_find(sw, t->name, mp, t->n_keys, prio, &h, NULL) !=
            -ENOENT)
            continue;
        if (t->kind == SW_TABLE_DIRECT)
            strbuf_printf(o, "table_add %s %s", t->name, a->name);
        else
            strbuf_printf(o, "table_indirect_add%s %s",
                          like->kind == SW_REF_GROUP ? "_with_group" : "",
                          t->name);
        for (size_t i = 0; i < t->n_keys; i++)
            key_word(o, &mp[i]);
        strbuf_puts(o, " =>");
        if (t->kind != SW_TABLE_DIRECT)
            strbuf_printf(o, " %u", like->ref_handle);
        for (size_t i = 0; t->kind == SW_TABLE_DIRECT && i < a->n_params; i++)
            strbuf_puts(o, " 0");
        if (prio)
            strbuf_puts(o, " 1");
        strbuf_putc(o, '\n');
        return 0;
    }
    return -1;
}

static void
meter_line(struct strbuf *o, struct sw *sw, const char *name, uint64_t i)
{
    struct sw_meter_rate r[2];
    size_t n = 0;
    if (sw_meter_get_rates(sw, name, i, r, &n, NULL) < 0 || !n)
        return;
    strbuf_printf(o, "meter_set_rates %s %llu", name, (unsigned long long)i);
    for (size_t k = 0; k < n; k++)
        strbuf_printf(o, " %.17g:%u", r[k].info_rate, r[k].burst);
    strbuf_putc(o, '\n');
}

/* Entries are written in handle order; a handle freed in between is taken
 * by a placeholder entry (deleted once the table is written), so that the
 * others (and their direct counters, written by handle) keep their handles on
 * replay. */
static void
tables(struct sw *sw, struct strbuf *o)
{
    for (size_t i = 0; i < sw_num_tables(sw); i++) {
        const struct sw_table_info *t = sw_table_info_at(sw, i);
        const struct sw_object_info *dc =
            sw_table_direct_object(sw, t->name, SW_OBJ_COUNTER);
        struct table_ctx x = {t, dc ? dc->name : NULL, VEC_INIT, STRBUF_INIT,
                              STRBUF_INIT};
        sw_table_dump(sw, t->name, entry_cb, &x, NULL);
        struct strbuf gaps = STRBUF_INIT;
        uint64_t next = 0, cand = 0;
        for (size_t k = 0; k < x.ents.n; k++) {
            for (; next < x.ents.v[k].handle; next++) {
                if (placeholder(sw, t, &cand, &x.ents.v[k], o) < 0) {
                    strbuf_printf(o,
                                  "# entries of %s after handle %llu get "
                                  "other handles\n",
                                  t->name, (unsigned long long)next);
                    next = UINT64_MAX;
                    break;
                }
                strbuf_printf(&gaps, "table_delete %s %llu\n", t->name,
                              (unsigned long long)next);
            }
            strbuf_puts(o, x.ents.v[k].text);
            if (next != UINT64_MAX)
                next = x.ents.v[k].handle + 1;
        }
        strbuf_puts(o, strbuf_str(&gaps));
        strbuf_puts(o, strbuf_str(&x.dflt));
        /* direct counters and meters by handle: only if the handles hold */
        if (next != UINT64_MAX) {
            strbuf_puts(o, strbuf_str(&x.counters));
            const struct sw_object_info *dm =
                sw_table_direct_object(sw, t->name, SW_OBJ_METER);
            for (size_t k = 0; dm && k < x.ents.n; k++)
                meter_line(o, sw, dm->name, x.ents.v[k].handle);
        }
        for (size_t k = 0; k < x.ents.n; k++)
            free(x.ents.v[k].text);
        VEC_FREE(&x.ents);
        strbuf_destroy(&gaps);
        strbuf_destroy(&x.dflt);
        strbuf_destroy(&x.counters);
    }
}

/* Members and groups are written in handle order; a handle freed in between
 * is recreated as a placeholder (deleted again once the profile is written),
 * so that the others keep their handles on replay. */
struct ap_ctx {
    const char *prof;
    struct strbuf *o;
    int groups_pass;
    uint32_t next_member, next_group;
    struct strbuf gaps; /* deletions of the placeholders */
};

static void
create_member(struct ap_ctx *x, const struct sw_member_info *m)
{
    strbuf_printf(x->o, "act_prof_create_member %s %s", x->prof,
                  m->action->name);
    args_words(x->o, m->args, m->action->n_params);
    strbuf_putc(x->o, '\n');
}

static void
member_line(void *ctx, const struct sw_member_info *m)
{
    struct ap_ctx *x = ctx;
    if (!m->action)
        return;
    for (; x->next_member < m->handle; x->next_member++) {
        create_member(x, m);
        strbuf_printf(&x->gaps, "act_prof_delete_member %s %u\n", x->prof,
                      x->next_member);
    }
    create_member(x, m);
    x->next_member = m->handle + 1;
}

static void
group_line(void *ctx, const struct sw_group_info *g)
{
    struct ap_ctx *x = ctx;
    if (!x->groups_pass) {
        for (; x->next_group < g->handle; x->next_group++) {
            strbuf_printf(x->o, "act_prof_create_group %s\n", x->prof);
            strbuf_printf(&x->gaps, "act_prof_delete_group %s %u\n", x->prof,
                          x->next_group);
        }
        strbuf_printf(x->o, "act_prof_create_group %s\n", x->prof);
        x->next_group = g->handle + 1;
        return;
    }
    for (size_t i = 0; i < g->n_members; i++)
        strbuf_printf(x->o, "act_prof_add_member_to_group %s %u %u\n", x->prof,
                      g->members[i], g->handle);
}

static void
act_profs(struct sw *sw, struct strbuf *o)
{
    size_t n = sw_num_objects(sw, SW_OBJ_ACT_PROF);
    for (size_t i = 0; i < n; i++) {
        const struct sw_object_info *ap =
            sw_object_info_at(sw, SW_OBJ_ACT_PROF, i);
        struct ap_ctx x = {ap->name, o, 0, 0, 0, STRBUF_INIT};
        sw_act_prof_dump(sw, ap->name, member_line, NULL, &x, NULL);
        sw_act_prof_dump(sw, ap->name, NULL, group_line, &x, NULL);
        x.groups_pass = 1;
        sw_act_prof_dump(sw, ap->name, NULL, group_line, &x, NULL);
        strbuf_puts(o, strbuf_str(&x.gaps));
        strbuf_destroy(&x.gaps);
    }
}

static void
counters_meters_registers(struct sw *sw, struct strbuf *o)
{
    size_t n = sw_num_objects(sw, SW_OBJ_COUNTER);
    for (size_t i = 0; i < n; i++) {
        const struct sw_object_info *c =
            sw_object_info_at(sw, SW_OBJ_COUNTER, i);
        if (c->direct_table)
            continue;
        for (uint64_t k = 0; k < c->size; k++) {
            uint64_t b = 0, p = 0;
            if (sw_counter_read(sw, c->name, k, &b, &p, NULL) == 0 && (b || p))
                strbuf_printf(o, "counter_write %s %llu %llu %llu\n", c->name,
                              (unsigned long long)k, (unsigned long long)p,
                              (unsigned long long)b);
        }
    }
    n = sw_num_objects(sw, SW_OBJ_METER);
    for (size_t i = 0; i < n; i++) {
        const struct sw_object_info *m = sw_object_info_at(sw, SW_OBJ_METER, i);
        for (uint64_t k = 0; !m->direct_table && k < m->size; k++)
            meter_line(o, sw, m->name, k);
    }
    n = sw_num_objects(sw, SW_OBJ_REGISTER);
    for (size_t i = 0; i < n; i++) {
        const struct sw_object_info *r =
            sw_object_info_at(sw, SW_OBJ_REGISTER, i);
        uint8_t buf[VALUE_MAX_BYTES];
        size_t nb = (r->bitwidth + 7) / 8;
        if (nb > sizeof buf)
            continue;
        for (uint64_t k = 0; k < r->size; k++) {
            if (sw_register_read(sw, r->name, k, buf, sizeof buf, NULL) < 0)
                break;
            int zero = 1;
            for (size_t q = 0; q < nb; q++)
                zero &= buf[q] == 0;
            if (zero)
                continue;
            struct sw_bytes v = {buf, nb};
            strbuf_printf(o, "register_write %s %llu ", r->name,
                          (unsigned long long)k);
            hex(o, &v);
            strbuf_putc(o, '\n');
        }
    }
}

struct pvs_ctx {
    const char *name;
    struct strbuf *o;
};

static void
pvs_line(void *ctx, const struct sw_bytes *val, const struct sw_bytes *mask)
{
    struct pvs_ctx *x = ctx;
    strbuf_printf(x->o, "pvs_add %s ", x->name);
    hex(x->o, val);
    if (mask && mask->len) {
        int ones = 1;
        for (size_t i = 0; i < mask->len; i++)
            ones &= mask->v[i] == 0xff;
        if (!ones) {
            strbuf_puts(x->o, "&&&");
            hex(x->o, mask);
        }
    }
    strbuf_putc(x->o, '\n');
}

static void
value_sets(struct sw *sw, struct strbuf *o)
{
    size_t n = sw_num_objects(sw, SW_OBJ_PVS);
    for (size_t i = 0; i < n; i++) {
        const struct sw_object_info *p = sw_object_info_at(sw, SW_OBJ_PVS, i);
        struct pvs_ctx x = {p->name, o};
        sw_pvs_get(sw, p->name, pvs_line, &x, NULL);
    }
}

/* Multicast: nodes are written in handle order; handles of destroyed nodes
 * are recreated as placeholders and destroyed again, so that the others keep
 * their handles on replay. */
struct mc_ctx {
    struct strbuf *o;
    struct strbuf assoc, groups, lags, gaps;
    uint32_t next_handle;
};

static void
mc_group(void *ctx, const struct sw_mc_group_info *g)
{
    struct mc_ctx *x = ctx;
    strbuf_printf(&x->groups, "mc_mgrp_create %u\n", g->id);
    for (size_t i = 0; i < g->n_nodes; i++)
        strbuf_printf(&x->assoc, "mc_node_associate %u %u\n", g->id,
                      g->nodes[i]);
}

static void
mc_node(void *ctx, const struct sw_mc_node_info *n)
{
    struct mc_ctx *x = ctx;
    for (; x->next_handle < n->handle; x->next_handle++) {
        strbuf_printf(x->o, "mc_node_create 0\n");
        strbuf_printf(&x->gaps, "mc_node_destroy %u\n", x->next_handle);
    }
    strbuf_printf(x->o, "mc_node_create %u", n->rid);
    for (size_t i = 0; i < n->n_ports; i++)
        strbuf_printf(x->o, " %u", n->ports[i]);
    if (n->n_lags) {
        strbuf_puts(x->o, " |");
        for (size_t i = 0; i < n->n_lags; i++)
            strbuf_printf(x->o, " %u", n->lags[i]);
    }
    strbuf_putc(x->o, '\n');
    x->next_handle = n->handle + 1;
}

static void
mc_lag(void *ctx, const struct sw_mc_lag_info *l)
{
    struct mc_ctx *x = ctx;
    strbuf_printf(&x->lags, "mc_set_lag_membership %u", l->id);
    for (size_t i = 0; i < l->n_ports; i++)
        strbuf_printf(&x->lags, " %u", l->ports[i]);
    strbuf_putc(&x->lags, '\n');
}

static void
multicast(struct sw *sw, struct strbuf *o)
{
    struct mc_ctx x = {o,           STRBUF_INIT, STRBUF_INIT,
                       STRBUF_INIT, STRBUF_INIT, 0};
    struct sw_mc_walker w = {mc_group, mc_node, mc_lag, &x};
    sw_mc_walk(sw, &w);
    strbuf_puts(o, strbuf_str(&x.gaps));
    strbuf_destroy(&x.gaps);
    strbuf_puts(o, strbuf_str(&x.lags));
    strbuf_puts(o, strbuf_str(&x.groups));
    strbuf_puts(o, strbuf_str(&x.assoc));
    strbuf_destroy(&x.assoc);
    strbuf_destroy(&x.groups);
    strbuf_destroy(&x.lags);
}

/* Mirroring session ids are 15 bits in BMv2 (0..32767). */
static void
mirroring(struct sw *sw, struct strbuf *o)
{
    for (uint32_t id = 0; id < 32768; id++) {
        struct sw_mirror m;
        if (sw_mirroring_get(sw, id, &m, NULL) < 0)
            continue;
        if (m.port >= 0)
            strbuf_printf(o, "mirroring_add %u %d\n", id, m.port);
        else if (m.mgrp >= 0)
            strbuf_printf(o, "mirroring_add_mc %u %d\n", id, m.mgrp);
    }
}

void
serialize_state_text(struct cli *c, struct strbuf *o)
{
    struct sw *sw = c->sw;
    struct sw_info info;
    sw_get_info(sw, &info);
    strbuf_printf(o,
                  "# fop4-switch state of %s (serialize_state): "
                  "simple_switch_CLI commands that recreate it\n",
                  info.program_name ? info.program_name : "(no program)");
    if (!info.has_program)
        return;
    act_profs(sw, o);
    tables(sw, o);
    counters_meters_registers(sw, o);
    value_sets(sw, o);
    multicast(sw, o);
    mirroring(sw, o);
}
