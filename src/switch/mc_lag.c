/* mc_lag.c - LAGs of the packet replication engine (simple_pre_lag) and the
 * read-back walk of the multicast state (sw.h). The groups and nodes
 * themselves are in state.c; replication (sw.c) reads both. Same locking as
 * the rest of the control API. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "switch/sw_int.h"

#define LOCK(sw) pthread_mutex_lock(&(sw)->lock)
#define UNLOCK(sw) pthread_mutex_unlock(&(sw)->lock)

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* A sorted copy of v[0..n) without duplicates (a bitmap, as BMv2 keeps). */
static uint32_t *
sorted_set(const uint32_t *v, size_t n, size_t *nout)
{
    uint32_t *s = xcalloc(n + 1, sizeof *s);
    if (n)
        memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_u32);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || s[k - 1] != s[i])
            s[k++] = s[i];
    *nout = k;
    return s;
}

int
sw_mc_node_set_lags(struct sw *sw, uint32_t node, const uint32_t *lags,
                    size_t n_lags, struct err *e)
{
    for (size_t i = 0; i < n_lags; i++)
        if (lags[i] >= MAX_LAGS)
            return err_set(e, -EINVAL, "lag index %u out of range (0..%d)",
                           lags[i], MAX_LAGS - 1);
    LOCK(sw);
    int rc = 0;
    if (node >= sw->n_nodes || !sw->nodes[node].used) {
        rc = err_set(e, -ENOENT, "multicast node %u does not exist", node);
    } else {
        struct mc_node *nd = &sw->nodes[node];
        free(nd->lags);
        nd->lags = sorted_set(lags, n_lags, &nd->n_lags);
    }
    UNLOCK(sw);
    return rc;
}

int
sw_mc_set_lag_membership(struct sw *sw, uint32_t lag, const uint32_t *ports,
                         size_t n_ports, struct err *e)
{
    if (lag >= MAX_LAGS)
        return err_set(e, -EINVAL, "lag index %u out of range (0..%d)", lag,
                       MAX_LAGS - 1);
    for (size_t i = 0; i < n_ports; i++)
        if (ports[i] >= MAX_PORTS)
            return err_set(e, -EINVAL, "port %u out of range (0..%d)", ports[i],
                           MAX_PORTS - 1);
    LOCK(sw);
    if (!sw->lags)
        sw->lags = xcalloc(MAX_LAGS, sizeof *sw->lags);
    struct mc_lag *l = &sw->lags[lag];
    free(l->ports);
    l->ports = sorted_set(ports, n_ports, &l->n_ports);
    l->used = 1;
    UNLOCK(sw);
    return 0;
}

static int
cmp_group(const void *a, const void *b)
{
    const struct mc_group *x = *(struct mc_group *const *)a;
    const struct mc_group *y = *(struct mc_group *const *)b;
    return x->id < y->id ? -1 : x->id > y->id;
}

void
sw_mc_walk(struct sw *sw, const struct sw_mc_walker *w)
{
    LOCK(sw);
    if (w->group) {
        struct mc_group **gs = xcalloc(sw->n_groups + 1, sizeof *gs);
        size_t n = 0;
        for (size_t i = 0; i < sw->n_groups; i++)
            if (sw->groups[i].used)
                gs[n++] = &sw->groups[i];
        qsort(gs, n, sizeof *gs, cmp_group);
        for (size_t i = 0; i < n; i++) {
            struct sw_mc_group_info g = {gs[i]->id, gs[i]->n_nodes,
                                         gs[i]->nodes};
            w->group(w->ctx, &g);
        }
        free(gs);
    }
    for (size_t i = 0; w->node && i < sw->n_nodes; i++) {
        const struct mc_node *nd = &sw->nodes[i];
        if (!nd->used)
            continue;
        struct sw_mc_node_info ni = {(uint32_t)i, nd->rid,    nd->mgrp,
                                     nd->n_ports, nd->n_lags, nd->ports,
                                     nd->lags};
        w->node(w->ctx, &ni);
    }
    for (size_t i = 0; w->lag && sw->lags && i < MAX_LAGS; i++) {
        if (!sw->lags[i].used)
            continue;
        struct sw_mc_lag_info li = {(uint32_t)i, sw->lags[i].n_ports,
                                    sw->lags[i].ports};
        w->lag(w->ctx, &li);
    }
    UNLOCK(sw);
}
