/* state.c - the rest of the control API (sw.h): multicast groups and nodes,
 * mirroring sessions, counters, meters, registers, parse value sets, queues,
 * configuration load/swap, reset_state and switch_info. Same locking as ctl.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/util.h"
#include "switch/sw_int.h"

void sw_reset_runtime(struct sw *sw);

#define LOCK(sw) pthread_mutex_lock(&(sw)->lock)
#define UNLOCK(sw) pthread_mutex_unlock(&(sw)->lock)

static int
no_prog(struct sw *sw, struct err *e)
{
    if (sw->prog)
        return 0;
    return err_set(e, -ENOENT, "no P4 program loaded");
}

/* ---- multicast
 * --------------------------------------------------------------- */

static struct mc_group *
grp(struct sw *sw, uint32_t id)
{
    for (size_t i = 0; i < sw->n_groups; i++)
        if (sw->groups[i].used && sw->groups[i].id == id)
            return &sw->groups[i];
    return NULL;
}

int
sw_mc_mgrp_create(struct sw *sw, uint32_t mgrp, struct err *e)
{
    LOCK(sw);
    int rc = 0;
    if (grp(sw, mgrp)) {
        rc = err_set(e, -EEXIST, "multicast group %u already exists", mgrp);
    } else if (mgrp == 0 || mgrp > 65535) {
        rc = err_set(e, -EINVAL,
                     "multicast group id %u out of range (1..65535)", mgrp);
    } else {
        size_t i;
        for (i = 0; i < sw->n_groups && sw->groups[i].used; i++)
            ;
        if (i == sw->n_groups) {
            sw->groups =
                xrealloc(sw->groups, (sw->n_groups + 1) * sizeof *sw->groups);
            sw->n_groups++;
        }
        memset(&sw->groups[i], 0, sizeof sw->groups[i]);
        sw->groups[i].used = 1;
        sw->groups[i].id = mgrp;
    }
    UNLOCK(sw);
    return rc;
}

int
sw_mc_mgrp_destroy(struct sw *sw, uint32_t mgrp, struct err *e)
{
    LOCK(sw);
    int rc = 0;
    struct mc_group *g = grp(sw, mgrp);
    if (!g) {
        rc = err_set(e, -ENOENT, "multicast group %u does not exist", mgrp);
    } else {
        for (size_t i = 0; i < g->n_nodes; i++)
            sw->nodes[g->nodes[i]].mgrp = -1;
        free(g->nodes);
        memset(g, 0, sizeof *g);
    }
    UNLOCK(sw);
    return rc;
}

int
sw_mc_node_create(struct sw *sw, uint32_t rid, const uint32_t *ports,
                  size_t n_ports, uint32_t *node, struct err *e)
{
    LOCK(sw);
    int rc = 0;
    for (size_t i = 0; i < n_ports; i++)
        if (ports[i] >= MAX_PORTS) {
            rc = err_set(e, -EINVAL, "port %u out of range (0..%d)", ports[i],
                         MAX_PORTS - 1);
            goto out;
        }
    size_t i;
    for (i = 0; i < sw->n_nodes && sw->nodes[i].used; i++)
        ;
    if (i == sw->n_nodes) {
        sw->nodes = xrealloc(sw->nodes, (sw->n_nodes + 1) * sizeof *sw->nodes);
        sw->n_nodes++;
    }
    struct mc_node *nd = &sw->nodes[i];
    memset(nd, 0, sizeof *nd);
    nd->used = 1;
    nd->rid = rid;
    nd->mgrp = -1;
    nd->ports = xcalloc(n_ports + 1, sizeof(uint32_t));
    memcpy(nd->ports, ports, n_ports * sizeof(uint32_t));
    nd->n_ports = n_ports;
    *node = (uint32_t)i;
out:
    UNLOCK(sw);
    return rc;
}

static struct mc_node *
node(struct sw *sw, uint32_t h, struct err *e)
{
    if (h >= sw->n_nodes || !sw->nodes[h].used) {
        err_set(e, -ENOENT, "multicast node %u does not exist", h);
        return NULL;
    }
    return &sw->nodes[h];
}

int
sw_mc_node_update(struct sw *sw, uint32_t h, const uint32_t *ports,
                  size_t n_ports, struct err *e)
{
    LOCK(sw);
    int rc = -ENOENT;
    struct mc_node *nd = node(sw, h, e);
    if (nd) {
        free(nd->ports);
        nd->ports = xcalloc(n_ports + 1, sizeof(uint32_t));
        memcpy(nd->ports, ports, n_ports * sizeof(uint32_t));
        nd->n_ports = n_ports;
        rc = 0;
    }
    UNLOCK(sw);
    return rc;
}

static void
dissociate(struct sw *sw, struct mc_node *nd, uint32_t h)
{
    struct mc_group *g = nd->mgrp >= 0 ? grp(sw, (uint32_t)nd->mgrp) : NULL;
    if (g)
        for (size_t i = 0; i < g->n_nodes; i++)
            if (g->nodes[i] == h) {
                memmove(&g->nodes[i], &g->nodes[i + 1],
                        (g->n_nodes - i - 1) * sizeof(uint32_t));
                g->n_nodes--;
                break;
            }
    nd->mgrp = -1;
}

int
sw_mc_node_destroy(struct sw *sw, uint32_t h, struct err *e)
{
    LOCK(sw);
    int rc = -ENOENT;
    struct mc_node *nd = node(sw, h, e);
    if (nd) {
        dissociate(sw, nd, h);
        free(nd->ports);
        free(nd->lags);
        memset(nd, 0, sizeof *nd);
        rc = 0;
    }
    UNLOCK(sw);
    return rc;
}

int
sw_mc_node_associate(struct sw *sw, uint32_t mgrp, uint32_t h, struct err *e)
{
    LOCK(sw);
    int rc = -ENOENT;
    struct mc_node *nd = node(sw, h, e);
    struct mc_group *g = nd ? grp(sw, mgrp) : NULL;
    if (nd && !g)
        err_set(e, -ENOENT, "multicast group %u does not exist", mgrp);
    if (g) {
        if (nd->mgrp >= 0) {
            rc = err_set(e, -EBUSY,
                         "node %u is already associated with group %d", h,
                         nd->mgrp);
        } else {
            g->nodes = xrealloc(g->nodes, (g->n_nodes + 1) * sizeof(uint32_t));
            g->nodes[g->n_nodes++] = h;
            nd->mgrp = (int)mgrp;
            rc = 0;
        }
    }
    UNLOCK(sw);
    return rc;
}

int
sw_mc_node_dissociate(struct sw *sw, uint32_t mgrp, uint32_t h, struct err *e)
{
    LOCK(sw);
    int rc = -ENOENT;
    struct mc_node *nd = node(sw, h, e);
    if (nd) {
        if (nd->mgrp != (int)mgrp) {
            err_set(e, -ENOENT, "node %u is not associated with group %u", h,
                    mgrp);
        } else {
            dissociate(sw, nd, h);
            rc = 0;
        }
    }
    UNLOCK(sw);
    return rc;
}

int
sw_mc_dump(struct sw *sw, char **out, struct err *e)
{
    LOCK(sw);
    struct strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "==========\nMC ENTRIES\n");
    for (size_t i = 0; i < sw->n_groups; i++) {
        struct mc_group *g = &sw->groups[i];
        if (!g->used)
            continue;
        strbuf_printf(&sb, "**********\nmgrp(%u)\n", g->id);
        for (size_t k = 0; k < g->n_nodes; k++) {
            struct mc_node *nd = &sw->nodes[g->nodes[k]];
            strbuf_printf(&sb, "  -> (L1h=%u, rid=%u) -> (ports=[", g->nodes[k],
                          nd->rid);
            for (size_t q = 0; q < nd->n_ports; q++)
                strbuf_printf(&sb, "%s%u", q ? ", " : "", nd->ports[q]);
            strbuf_puts(&sb, "], lags=[])\n");
        }
    }
    strbuf_puts(&sb, "==========\nLAGS\n==========\n");
    *out = strbuf_steal(&sb);
    UNLOCK(sw);
    (void)e;
    return 0;
}

/* ---- mirroring
 * ---------------------------------------------------------------- */

int
sw_mirroring_add(struct sw *sw, uint32_t session, const struct sw_mirror *m,
                 struct err *e)
{
    LOCK(sw);
    size_t i, free_i = sw->n_mirrors;
    for (i = 0; i < sw->n_mirrors; i++) {
        if (sw->mirrors[i].used && sw->mirrors[i].id == session)
            break;
        if (!sw->mirrors[i].used && free_i == sw->n_mirrors)
            free_i = i;
    }
    if (i == sw->n_mirrors) {
        i = free_i;
        if (i == sw->n_mirrors) {
            sw->mirrors = xrealloc(sw->mirrors,
                                   (sw->n_mirrors + 1) * sizeof *sw->mirrors);
            sw->n_mirrors++;
        }
    }
    sw->mirrors[i].used = 1;
    sw->mirrors[i].id = session;
    sw->mirrors[i].m = *m;
    UNLOCK(sw);
    (void)e;
    return 0;
}

int
sw_mirroring_delete(struct sw *sw, uint32_t session, struct err *e)
{
    LOCK(sw);
    int rc =
        err_set(e, -ENOENT, "mirroring session %u does not exist", session);
    for (size_t i = 0; i < sw->n_mirrors; i++)
        if (sw->mirrors[i].used && sw->mirrors[i].id == session) {
            sw->mirrors[i].used = 0;
            err_clear(e);
            rc = 0;
        }
    UNLOCK(sw);
    return rc;
}

int
sw_mirroring_get(struct sw *sw, uint32_t session, struct sw_mirror *m,
                 struct err *e)
{
    LOCK(sw);
    int rc = -ENOENT;
    for (size_t i = 0; i < sw->n_mirrors; i++)
        if (sw->mirrors[i].used && sw->mirrors[i].id == session) {
            *m = sw->mirrors[i].m;
            rc = 0;
        }
    if (rc)
        err_set(e, rc, "mirroring session %u does not exist", session);
    UNLOCK(sw);
    return rc;
}

/* ---- counters
 * ------------------------------------------------------------------- */

static int
counter_cell(struct sw *sw, const char *name, uint64_t index, uint64_t **b,
             uint64_t **pk, struct err *e)
{
    if (no_prog(sw, e))
        return -ENOENT;
    int i = prog_lookup(sw->prog, "counter", name, e);
    if (i < 0)
        return -EINVAL;
    struct counter_arr *c = &sw->prog->counters[i];
    if (c->direct_table >= 0) {
        struct table *t = &sw->prog->tables[c->direct_table];
        int ei = table_find_handle(t, index);
        if (ei < 0)
            return err_set(e, -ENOENT, "table %s has no entry with handle %llu",
                           t->info.name, (unsigned long long)index);
        *b = &t->ents[ei].cnt_bytes;
        *pk = &t->ents[ei].cnt_pkts;
        return 0;
    }
    if (index >= c->info.size)
        return err_set(e, -EINVAL,
                       "index %llu out of range for counter %s (size %zu)",
                       (unsigned long long)index, c->info.name, c->info.size);
    *b = &c->bytes[index];
    *pk = &c->pkts[index];
    return 0;
}

int
sw_counter_read(struct sw *sw, const char *name, uint64_t index,
                uint64_t *bytes, uint64_t *packets, struct err *e)
{
    LOCK(sw);
    uint64_t *b, *p;
    int rc = counter_cell(sw, name, index, &b, &p, e);
    if (!rc) {
        *bytes = *b;
        *packets = *p;
    }
    UNLOCK(sw);
    return rc;
}

int
sw_counter_write(struct sw *sw, const char *name, uint64_t index,
                 uint64_t bytes, uint64_t packets, struct err *e)
{
    LOCK(sw);
    uint64_t *b, *p;
    int rc = counter_cell(sw, name, index, &b, &p, e);
    if (!rc) {
        *b = bytes;
        *p = packets;
    }
    UNLOCK(sw);
    return rc;
}

int
sw_counter_reset(struct sw *sw, const char *name, struct err *e)
{
    LOCK(sw);
    int rc = no_prog(sw, e);
    int i = rc ? -1 : prog_lookup(sw->prog, "counter", name, e);
    if (i < 0) {
        rc = -EINVAL;
    } else {
        struct counter_arr *c = &sw->prog->counters[i];
        if (c->direct_table >= 0) {
            struct table *t = &sw->prog->tables[c->direct_table];
            for (int k = 0; k < t->n_ents; k++)
                t->ents[k].cnt_bytes = t->ents[k].cnt_pkts = 0;
        } else {
            memset(c->bytes, 0, c->info.size * sizeof(uint64_t));
            memset(c->pkts, 0, c->info.size * sizeof(uint64_t));
        }
    }
    UNLOCK(sw);
    return rc;
}

/* ---- meters
 * ----------------------------------------------------------------------- */

static struct meter_arr *
meter(struct sw *sw, const char *name, struct err *e)
{
    if (no_prog(sw, e))
        return NULL;
    int i = prog_lookup(sw->prog, "meter", name, e);
    return i < 0 ? NULL : &sw->prog->meters[i];
}

static struct meter_cell *
meter_cell(struct sw *sw, struct meter_arr *m, uint64_t index, struct err *e)
{
    if (m->direct_table >= 0) {
        struct table *t = &sw->prog->tables[m->direct_table];
        int ei = table_find_handle(t, index);
        if (ei < 0) {
            err_set(e, -ENOENT, "table %s has no entry with handle %llu",
                    t->info.name, (unsigned long long)index);
            return NULL;
        }
        return &t->ents[ei].meter;
    }
    if (index >= m->info.size) {
        err_set(e, -EINVAL, "index %llu out of range for meter %s (size %zu)",
                (unsigned long long)index, m->info.name, m->info.size);
        return NULL;
    }
    return &m->cells[index];
}

static void
cell_set(struct meter_cell *c, const struct sw_meter_rate *r, size_t n,
         uint64_t now)
{
    c->n_rates = (int)n;
    for (size_t i = 0; i < n; i++) {
        c->rate[i] = r[i];
        c->tokens[i] = r[i].burst;
    }
    c->last_us = now;
}

int
sw_meter_set_rates(struct sw *sw, const char *name, uint64_t index,
                   const struct sw_meter_rate *rates, size_t n, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct meter_arr *m = meter(sw, name, e);
    if (!m)
        goto out;
    if (n < 1 || n > 2 ||
        (n != m->info.rate_count && !(n == 2 && m->info.rate_count == 0))) {
        rc = err_set(e, -EINVAL, "meter %s takes %u rates, %zu given",
                     m->info.name, m->info.rate_count, n);
        goto out;
    }
    if (n == 2 && rates[0].info_rate > rates[1].info_rate) {
        rc = err_set(e, -EINVAL,
                     "meter %s: committed rate must not exceed peak rate",
                     m->info.name);
        goto out;
    }
    uint64_t now = sw->now_us;
    if (index == SW_ALL_CELLS) {
        if (m->direct_table >= 0) {
            struct table *t = &sw->prog->tables[m->direct_table];
            for (int i = 0; i < t->n_ents; i++)
                cell_set(&t->ents[i].meter, rates, n, now);
        } else {
            for (size_t i = 0; i < m->info.size; i++)
                cell_set(&m->cells[i], rates, n, now);
        }
        rc = 0;
    } else {
        struct meter_cell *c = meter_cell(sw, m, index, e);
        if (c) {
            cell_set(c, rates, n, now);
            rc = 0;
        }
    }
out:
    UNLOCK(sw);
    return rc;
}

int
sw_meter_get_rates(struct sw *sw, const char *name, uint64_t index,
                   struct sw_meter_rate *rates, size_t *n, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct meter_arr *m = meter(sw, name, e);
    struct meter_cell *c = m ? meter_cell(sw, m, index, e) : NULL;
    if (c) {
        *n = (size_t)c->n_rates;
        for (int i = 0; i < c->n_rates; i++)
            rates[i] = c->rate[i];
        rc = 0;
    }
    UNLOCK(sw);
    return rc;
}

int
sw_meter_reset_rates(struct sw *sw, const char *name, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct meter_arr *m = meter(sw, name, e);
    if (m) {
        if (m->direct_table >= 0) {
            struct table *t = &sw->prog->tables[m->direct_table];
            for (int i = 0; i < t->n_ents; i++)
                memset(&t->ents[i].meter, 0, sizeof t->ents[i].meter);
        } else {
            memset(m->cells, 0, m->info.size * sizeof *m->cells);
        }
        rc = 0;
    }
    UNLOCK(sw);
    return rc;
}

/* ---- registers
 * ------------------------------------------------------------------- */

static struct register_arr *
reg(struct sw *sw, const char *name, uint64_t index, int check, struct err *e)
{
    if (no_prog(sw, e))
        return NULL;
    int i = prog_lookup(sw->prog, "register", name, e);
    if (i < 0)
        return NULL;
    struct register_arr *r = &sw->prog->registers[i];
    if (check && index >= r->info.size) {
        err_set(e, -EINVAL,
                "index %llu out of range for register %s (size %zu)",
                (unsigned long long)index, r->info.name, r->info.size);
        return NULL;
    }
    return r;
}

int
sw_register_read(struct sw *sw, const char *name, uint64_t index, uint8_t *out,
                 size_t outlen, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct register_arr *r = reg(sw, name, index, 1, e);
    if (r) {
        size_t nb = (r->info.bitwidth + 7) / 8;
        if (outlen < nb) {
            rc = err_set(e, -ENOBUFS, "register %s cells need %zu bytes",
                         r->info.name, nb);
        } else {
            struct val v;
            val_set_u64(&v, 0);
            memcpy(v.w, &r->cells[index * r->cw], r->cw * sizeof v.w[0]);
            val_to_bytes(&v, out, nb);
            rc = 0;
        }
    }
    UNLOCK(sw);
    return rc;
}

int
sw_register_write(struct sw *sw, const char *name, uint64_t index,
                  const struct sw_bytes *val, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct register_arr *r = reg(sw, name, index, 1, e);
    if (r) {
        struct val v;
        val_from_bytes(&v, val->v, val->len);
        struct val t = v;
        val_trunc(&t, r->info.bitwidth);
        if (memcmp(&t, &v, sizeof v) || val->len > VAL_W * 8) {
            rc = err_set(e, -EINVAL,
                         "value does not fit in %u bits (register %s)",
                         r->info.bitwidth, r->info.name);
        } else {
            memcpy(&r->cells[index * r->cw], t.w, r->cw * sizeof t.w[0]);
            rc = 0;
        }
    }
    UNLOCK(sw);
    return rc;
}

int
sw_register_reset(struct sw *sw, const char *name, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct register_arr *r = reg(sw, name, 0, 0, e);
    if (r) {
        memset(r->cells, 0, r->info.size * r->cw * sizeof *r->cells);
        rc = 0;
    }
    UNLOCK(sw);
    return rc;
}

/* ---- parse value sets
 * --------------------------------------------------------------- */

static struct pvs *
pvs(struct sw *sw, const char *name, struct err *e)
{
    if (no_prog(sw, e))
        return NULL;
    int i = prog_lookup(sw->prog, "pvs", name, e);
    return i < 0 ? NULL : &sw->prog->pvss[i];
}

static int
pvs_fit(const struct pvs *v, const struct sw_bytes *in, uint8_t *out,
        struct err *e)
{
    memset(out, 0, (size_t)v->bytes);
    size_t n = in->len;
    const uint8_t *b = in->v;
    while (n > (size_t)v->bytes) {
        if (*b)
            return err_set(e, -EINVAL, "value does not fit in %u bits",
                           v->info.bitwidth);
        b++;
        n--;
    }
    memcpy(out + v->bytes - n, b, n);
    return 0;
}

static int
pvs_find(const struct pvs *v, const uint8_t *val, const uint8_t *mask)
{
    for (int i = 0; i < v->n; i++)
        if (!memcmp(v->vals + (size_t)i * (size_t)v->bytes, val,
                    (size_t)v->bytes) &&
            !memcmp(v->masks + (size_t)i * (size_t)v->bytes, mask,
                    (size_t)v->bytes))
            return i;
    return -1;
}

static int
pvs_args(struct pvs *v, const struct sw_bytes *val, const struct sw_bytes *mask,
         uint8_t *vb, uint8_t *mb, struct err *e)
{
    if (pvs_fit(v, val, vb, e))
        return -EINVAL;
    if (mask && mask->len) {
        if (pvs_fit(v, mask, mb, e))
            return -EINVAL;
    } else {
        memset(mb, 0xff, (size_t)v->bytes);
    }
    return 0;
}

int
sw_pvs_add(struct sw *sw, const char *name, const struct sw_bytes *val,
           const struct sw_bytes *mask, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct pvs *v = pvs(sw, name, e);
    if (v) {
        uint8_t *vb = xcalloc((size_t)v->bytes + 1, 1),
                *mb = xcalloc((size_t)v->bytes + 1, 1);
        if (!pvs_args(v, val, mask, vb, mb, e)) {
            if (pvs_find(v, vb, mb) >= 0) {
                rc = 0;
            } else if (v->info.size && (size_t)v->n >= v->info.size) {
                rc = err_set(e, -ENOSPC, "value set %s is full (%zu)",
                             v->info.name, v->info.size);
            } else {
                if (v->n == v->cap) {
                    v->cap = v->cap ? v->cap * 2 : 8;
                    v->vals = xrealloc(v->vals,
                                       (size_t)v->cap * (size_t)v->bytes + 1);
                    v->masks = xrealloc(v->masks,
                                        (size_t)v->cap * (size_t)v->bytes + 1);
                }
                memcpy(v->vals + (size_t)v->n * (size_t)v->bytes, vb,
                       (size_t)v->bytes);
                memcpy(v->masks + (size_t)v->n * (size_t)v->bytes, mb,
                       (size_t)v->bytes);
                v->n++;
                rc = 0;
            }
        }
        free(vb);
        free(mb);
    }
    UNLOCK(sw);
    return rc;
}

int
sw_pvs_remove(struct sw *sw, const char *name, const struct sw_bytes *val,
              const struct sw_bytes *mask, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct pvs *v = pvs(sw, name, e);
    if (v) {
        uint8_t *vb = xcalloc((size_t)v->bytes + 1, 1),
                *mb = xcalloc((size_t)v->bytes + 1, 1);
        if (!pvs_args(v, val, mask, vb, mb, e)) {
            int i = pvs_find(v, vb, mb);
            if (i < 0) {
                rc = err_set(e, -ENOENT, "value not in value set %s",
                             v->info.name);
            } else {
                size_t b = (size_t)v->bytes;
                memmove(v->vals + (size_t)i * b, v->vals + (size_t)(i + 1) * b,
                        (size_t)(v->n - i - 1) * b);
                memmove(v->masks + (size_t)i * b,
                        v->masks + (size_t)(i + 1) * b,
                        (size_t)(v->n - i - 1) * b);
                v->n--;
                rc = 0;
            }
        }
        free(vb);
        free(mb);
    }
    UNLOCK(sw);
    return rc;
}

int
sw_pvs_clear(struct sw *sw, const char *name, struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct pvs *v = pvs(sw, name, e);
    if (v) {
        v->n = 0;
        rc = 0;
    }
    UNLOCK(sw);
    return rc;
}

int
sw_pvs_get(struct sw *sw, const char *name, sw_pvs_fn fn, void *ctx,
           struct err *e)
{
    LOCK(sw);
    int rc = -EINVAL;
    struct pvs *v = pvs(sw, name, e);
    if (v) {
        for (int i = 0; i < v->n; i++) {
            struct sw_bytes a = {v->vals + (size_t)i * (size_t)v->bytes,
                                 (size_t)v->bytes};
            struct sw_bytes m = {v->masks + (size_t)i * (size_t)v->bytes,
                                 (size_t)v->bytes};
            fn(ctx, &a, &m);
        }
        rc = 0;
    }
    UNLOCK(sw);
    return rc;
}

/* ---- queues
 * ----------------------------------------------------------------------------
 */

static int
queue_apply(struct sw *sw, int port, int prio, int what, uint64_t v,
            struct err *e)
{
    unsigned nq = sw->opts.priority_queues;
    if (port >= MAX_PORTS || (prio >= 0 && (unsigned)prio >= nq))
        return err_set(e, -EINVAL, "port %d / priority %d out of range", port,
                       prio);
    for (unsigned p = 0; p < MAX_PORTS; p++) {
        if (port >= 0 && p != (unsigned)port)
            continue;
        for (unsigned q = 0; q < nq; q++) {
            if (prio >= 0 && q != (unsigned)prio)
                continue;
            struct tm_queue *tq = &sw->q[p * nq + q];
            if (what == 0) {
                tq->depth = (unsigned)v;
            } else {
                tq->pps = v;
                tq->tokens = 1;
                tq->last_us = sw->now_us;
            }
        }
    }
    return 0;
}

int
sw_set_queue_depth(struct sw *sw, int port, int prio, unsigned depth,
                   struct err *e)
{
    LOCK(sw);
    int rc = queue_apply(sw, port, prio, 0, depth, e);
    UNLOCK(sw);
    return rc;
}

int
sw_set_queue_rate(struct sw *sw, int port, int prio, uint64_t pps,
                  struct err *e)
{
    LOCK(sw);
    int rc = queue_apply(sw, port, prio, 1, pps, e);
    UNLOCK(sw);
    return rc;
}

unsigned
sw_queue_occupancy(struct sw *sw, uint32_t port, unsigned prio)
{
    LOCK(sw);
    unsigned n = 0;
    if (port < MAX_PORTS && prio < sw->opts.priority_queues)
        n = sw->q[port * sw->opts.priority_queues + prio].n;
    UNLOCK(sw);
    return n;
}

/* ---- configuration
 * ------------------------------------------------------------------------ */

int
sw_load_config(struct sw *sw, const char *json, size_t len, const char *name,
               struct err *e)
{
    struct prog *p = prog_load(json, len, name, e);
    if (!p)
        return -EINVAL;
    LOCK(sw);
    prog_free(sw->next_prog);
    sw->next_prog = p;
    UNLOCK(sw);
    return 0;
}

int
sw_swap_config(struct sw *sw, struct err *e)
{
    LOCK(sw);
    int rc = 0;
    if (!sw->next_prog) {
        rc = err_set(e, -ENOENT,
                     "no configuration loaded (load_new_config_file first)");
    } else {
        prog_free(sw->prog);
        sw->prog = sw->next_prog;
        sw->next_prog = NULL;
        sw_reset_runtime(sw);
    }
    UNLOCK(sw);
    return rc;
}

const char *
sw_get_config(struct sw *sw, size_t *len)
{
    if (!sw->prog) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = sw->prog->json_len;
    return sw->prog->json;
}

void
sw_reset_state(struct sw *sw)
{
    LOCK(sw);
    struct prog *p = sw->prog;
    if (p) {
        for (int i = 0; i < p->n_tables; i++) {
            struct table *t = &p->tables[i];
            table_clear_entries(t);
            for (int k = 0; k < t->n_ents; k++)
                t->ents[k].cnt_bytes = t->ents[k].cnt_pkts = 0;
            act_call_free(&t->def);
            t->def.action = t->prog_def.action;
            t->def_kind = SW_REF_ACTION;
            t->def_set = 0;
            if (t->prog_def.action >= 0)
                t->def.args =
                    act_args_dup(p, t->prog_def.action, t->prog_def.args);
        }
        for (int i = 0; i < p->n_profs; i++) {
            struct act_prof *ap = &p->profs[i];
            for (int k = 0; k < ap->n_mbrs; k++)
                act_call_free(&ap->mbrs[k].call);
            for (int k = 0; k < ap->n_grps; k++)
                free(ap->grps[k].members);
            ap->n_mbrs = ap->n_grps = 0;
        }
        for (int i = 0; i < p->n_counters; i++)
            if (p->counters[i].pkts) {
                memset(p->counters[i].pkts, 0, p->counters[i].info.size * 8);
                memset(p->counters[i].bytes, 0, p->counters[i].info.size * 8);
            }
        for (int i = 0; i < p->n_meters; i++)
            if (p->meters[i].cells)
                memset(p->meters[i].cells, 0,
                       p->meters[i].info.size * sizeof *p->meters[i].cells);
        for (int i = 0; i < p->n_registers; i++)
            memset(p->registers[i].cells, 0,
                   p->registers[i].info.size * p->registers[i].cw *
                       sizeof *p->registers[i].cells);
        for (int i = 0; i < p->n_pvs; i++)
            p->pvss[i].n = 0;
    }
    sw_reset_runtime(sw);
    UNLOCK(sw);
}

void
sw_get_info(struct sw *sw, struct sw_info *info)
{
    LOCK(sw);
    memset(info, 0, sizeof *info);
    info->device_id = sw->opts.device_id;
    info->cpu_port = sw->opts.cpu_port;
    info->drop_port = sw->opts.drop_port;
    info->priority_queues = sw->opts.priority_queues;
    info->has_program = sw->prog != NULL;
    info->program_name = sw->prog ? sw->prog->name : NULL;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    info->uptime_us =
        ((uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u) -
        sw->t0_us;
    UNLOCK(sw);
}

/* ---- custom CRCs
 * ----------------------------------------------------------------------------
 */

int
sw_set_crc_parameters(struct sw *sw, const char *calc, unsigned width,
                      const struct sw_crc_params *cp, struct err *e)
{
    LOCK(sw);
    int rc = no_prog(sw, e);
    int i = rc ? -1 : prog_lookup(sw->prog, "calc", calc, e);
    if (!rc && i < 0)
        rc = e && e->code ? e->code : -ENOENT;
    if (i >= 0) {
        struct calc *c = &sw->prog->calcs[i];
        enum algo want = width == 16 ? A_CRC16_CUSTOM : A_CRC32_CUSTOM;
        if ((width != 16 && width != 32) || c->algo != want) {
            rc =
                err_set(e, -EINVAL, "calculation %s is not a crc%u_custom hash",
                        c->name, width);
        } else {
            c->crc = *cp;
            c->has_crc = 1;
            rc = 0;
        }
    }
    UNLOCK(sw);
    return rc;
}
