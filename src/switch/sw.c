/* sw.c - a switch instance and its packet path: the packet pool, ingress,
 * the traffic manager (per-port priority FIFOs with depth and rate), egress,
 * and v1model's packet-level side effects (multicast replication, I2E/E2E
 * clones, resubmit, recirculate, digests, truncate).
 *
 * exec.c runs the program on one packet; this file decides what happens to the
 * packet between the stages, as simple_switch's ingress and egress threads do.
 * The control API lives in ctl.c; both take sw->lock (see sw.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/util.h"
#include "switch/sw_int.h"

enum {
    PKT_NORMAL = 0,
    PKT_INGRESS_CLONE = 1,
    PKT_EGRESS_CLONE = 2,
    PKT_RECIRC = 4,
    PKT_REPLICATION = 5,
    PKT_RESUBMIT = 6,
};

void
sw_opts_init(struct sw_opts *o)
{
    memset(o, 0, sizeof *o);
    o->cpu_port = -1;
    o->drop_port = 511;
    o->priority_queues = 1;
    o->pool_size = 4096;
    o->queue_depth = 64;
    o->learn_queue = 1024;
}

static uint64_t
clock_us(struct sw *sw)
{
    if (sw->opts.clock)
        return sw->opts.clock(sw->opts.clock_ctx);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t
now_rel(struct sw *sw)
{
    return clock_us(sw) - sw->t0_us;
}

uint64_t
sw_clock_rel(struct sw *sw)
{
    return now_rel(sw);
}

/* ---- pool ------------------------------------------------------------------
 */

static void
pool_free_all(struct sw *sw)
{
    free(sw->pkts);
    free(sw->bufs);
    free(sw->phv_mem);
    sw->pkts = NULL;
    sw->bufs = NULL;
    sw->phv_mem = NULL;
}

/* (Re)builds the pool for the running program. Drops queued packets. */
static void
pool_setup(struct sw *sw)
{
    /* The packet buffers survive a new program or reset_state: frames the
     * last sw_process() handed out stay readable until the data path's next
     * call, even when another thread swapped the config meanwhile. */
    free(sw->pkts);
    free(sw->phv_mem);
    unsigned n = sw->opts.pool_size;
    const struct prog *p = sw->prog;
    size_t nslots = p ? (size_t)p->n_slots : 0;
    size_t nst = p ? (size_t)p->n_stacks + 1 : 1;
    size_t nh = p ? (size_t)p->n_hdrs + 1 : 1;
    /* slots, then vlen (uint16), then snext (uint8), rounded to words */
    size_t words = nslots + (nh * 2 + 7) / 8 + (nst + 7) / 8 + 1;
    sw->phv_words = words;
    sw->pkts = xcalloc(n, sizeof *sw->pkts);
    if (!sw->bufs)
        sw->bufs = xmalloc((size_t)n * BUF_SIZE);
    sw->phv_mem = xcalloc((size_t)n * words, sizeof(uint64_t));
    sw->free_list = NULL;
    for (unsigned i = n; i-- > 0;) {
        struct pkt *pk = &sw->pkts[i];
        pk->buf = sw->bufs + (size_t)i * BUF_SIZE;
        pk->slots = sw->phv_mem + (size_t)i * words;
        pk->vlen = (uint16_t *)(pk->slots + nslots);
        pk->snext = (uint8_t *)(pk->slots + nslots + (nh * 2 + 7) / 8);
        pk->next = sw->free_list;
        sw->free_list = pk;
    }
    sw->n_free = n;
    for (unsigned i = 0; i < MAX_PORTS * sw->opts.priority_queues; i++) {
        sw->q[i].head = sw->q[i].tail = NULL;
        sw->q[i].n = 0;
    }
    sw->n_active = 0;
    memset(sw->is_active, 0, sizeof sw->is_active);
    sw->queued = 0;
    sw->n_held = 0;
}

static struct pkt *
pkt_alloc(struct sw *sw)
{
    struct pkt *pk = sw->free_list;
    if (!pk) {
        sw->st.pool_drops++;
        return NULL;
    }
    sw->free_list = pk->next;
    sw->n_free--;
    pk->next = NULL;
    pk->clone_kind = 0;
    pk->resubmit_flist = pk->recirc_flist = -1;
    pk->truncate_len = 0;
    pk->len_adj = 0;
    pk->exit_flag = 0;
    pk->learn_pending = -1;
    pk->copy_id = 0;
    pk->prio = 0;
    return pk;
}

static void
pkt_free(struct sw *sw, struct pkt *pk)
{
    pk->next = sw->free_list;
    sw->free_list = pk;
    sw->n_free++;
}

/* A copy of pk: same bytes, same PHV. */
static struct pkt *
pkt_clone(struct sw *sw, const struct pkt *pk)
{
    struct pkt *c = pkt_alloc(sw);
    if (!c)
        return NULL;
    c->off = pk->off;
    c->len = pk->len;
    c->payload = pk->payload;
    c->in_len = pk->in_len;
    c->in_off = pk->in_off;
    c->in_port = pk->in_port;
    c->len_adj = pk->len_adj;
    c->id = pk->id;
    c->copy_id = pk->copy_id + 1;
    /* copy everything from the first byte in use: the original bytes may
     * start before off (in_off) */
    uint32_t from = MIN(pk->off, pk->in_off);
    memcpy(c->buf + from, pk->buf + from, pk->off + pk->len - from);
    memcpy(c->slots, pk->slots, sw->phv_words * sizeof(uint64_t));
    return c;
}

/* ---- creation --------------------------------------------------------------
 */

static struct sw *
sw_alloc(const struct sw_opts *opts)
{
    struct sw *sw = xcalloc(1, sizeof *sw);
    if (opts)
        sw->opts = *opts;
    else
        sw_opts_init(&sw->opts);
    if (sw->opts.priority_queues < 1)
        sw->opts.priority_queues = 1;
    if (sw->opts.priority_queues > 8)
        sw->opts.priority_queues = 8;
    if (!sw->opts.pool_size)
        sw->opts.pool_size = 4096;
    if (!sw->opts.queue_depth)
        sw->opts.queue_depth = 64;
    if (!sw->opts.learn_queue)
        sw->opts.learn_queue = 1024;
    pthread_mutex_init(&sw->lock, NULL);
    ageing_init(sw);
    sw->t0_us = clock_us(sw);
    sw->q =
        xcalloc((size_t)MAX_PORTS * sw->opts.priority_queues, sizeof *sw->q);
    for (unsigned i = 0; i < MAX_PORTS * sw->opts.priority_queues; i++)
        sw->q[i].depth = sw->opts.queue_depth;
    sw->learnq = xcalloc(sw->opts.learn_queue, sizeof *sw->learnq);
    sw->rng = 0x12345678;
    return sw;
}

struct sw *
sw_new_from_buffer(const char *json, size_t len, const char *name,
                   const struct sw_opts *opts, struct err *e)
{
    struct prog *p = NULL;
    if (json) {
        p = prog_load(json, len, name, e);
        if (!p)
            return NULL;
    }
    struct sw *sw = sw_alloc(opts);
    sw->prog = p;
    pool_setup(sw);
    return sw;
}

struct sw *
sw_new(const char *json_path, const struct sw_opts *opts, struct err *e)
{
    if (!json_path)
        return sw_new_from_buffer(NULL, 0, NULL, opts, e);
    size_t len;
    char *buf = read_file(json_path, &len);
    if (!buf) {
        err_set(e, -errno, "cannot read %s: %s", json_path, strerror(errno));
        return NULL;
    }
    struct sw *sw = sw_new_from_buffer(buf, len, json_path, opts, e);
    free(buf);
    return sw;
}

static void
mc_free_all(struct sw *sw)
{
    for (size_t i = 0; i < sw->n_groups; i++)
        free(sw->groups[i].nodes);
    free(sw->groups);
    for (size_t i = 0; i < sw->n_nodes; i++) {
        free(sw->nodes[i].ports);
        free(sw->nodes[i].lags);
    }
    free(sw->nodes);
    for (size_t i = 0; sw->lags && i < MAX_LAGS; i++)
        free(sw->lags[i].ports);
    free(sw->lags);
    sw->lags = NULL;
    free(sw->mirrors);
    sw->groups = NULL;
    sw->nodes = NULL;
    sw->mirrors = NULL;
    sw->n_groups = sw->n_nodes = sw->n_mirrors = 0;
}

void
sw_free(struct sw *sw)
{
    if (!sw)
        return;
    ageing_destroy(sw); /* first: its thread reads the program */
    prog_free(sw->prog);
    prog_free(sw->next_prog);
    pool_free_all(sw);
    free(sw->q);
    free(sw->out_held);
    mc_free_all(sw);
    free(sw->learnq);
    free(sw->scratch);
    pthread_mutex_destroy(&sw->lock);
    free(sw);
}

void
sw_set_trace(struct sw *sw, sw_trace_fn fn, void *ctx)
{
    pthread_mutex_lock(&sw->lock);
    sw->opts.trace = fn;
    sw->opts.trace_ctx = ctx;
    pthread_mutex_unlock(&sw->lock);
}

/* Called by ctl.c on swap_config / reset. */
void sw_reset_runtime(struct sw *sw);
void
sw_reset_runtime(struct sw *sw)
{
    mc_free_all(sw);
    sw->learn_head = sw->learn_n = 0;
    pool_setup(sw);
}

/* ---- traffic manager -------------------------------------------------------
 */

static void
tm_enqueue(struct sw *sw, struct exec_ctx *x, struct pkt *pk, uint32_t port)
{
    const struct prog *p = sw->prog;
    if (port >= MAX_PORTS) {
        sw->st.dropped++;
        pkt_free(sw, pk);
        return;
    }
    unsigned prio = 0;
    if (sw->opts.priority_queues > 1 && p->sm.priority >= 0) {
        prio = (unsigned)phv_u64(p, pk, p->sm.priority);
        if (prio >= sw->opts.priority_queues)
            prio = sw->opts.priority_queues - 1;
    }
    struct tm_queue *q = &sw->q[port * sw->opts.priority_queues + prio];
    if (q->n >= q->depth) {
        sw->st.queue_drops++;
        TRACE(x, "Queue %u.%u full: dropping", port, prio);
        pkt_free(sw, pk);
        return;
    }
    pk->out_port = port;
    pk->prio = prio;
    pk->enq_us = sw->now_us;
    pk->enq_depth = q->n;
    pk->next = NULL;
    if (q->tail)
        q->tail->next = pk;
    else
        q->head = pk;
    q->tail = pk;
    q->n++;
    sw->queued++;
    if (!sw->is_active[port]) {
        sw->is_active[port] = 1;
        sw->active[sw->n_active++] = (uint16_t)port;
    }
}

/* ---- ingress ---------------------------------------------------------------
 */

static void copy_flist(const struct prog *p, struct pkt *dst,
                       const struct pkt *src, int flist_id);

static void
copy_flist(const struct prog *p, struct pkt *dst, const struct pkt *src,
           int flist_id)
{
    for (int i = 0; i < p->n_flists; i++) {
        if (p->flists[i].id != flist_id)
            continue;
        for (int k = 0; k < p->flists[i].n; k++) {
            struct val v;
            phv_get(p, src, p->flists[i].fields[k], &v);
            phv_set(p, dst, p->flists[i].fields[k], &v);
        }
    }
}

static int
mirror_find(struct sw *sw, uint32_t id)
{
    for (size_t i = 0; i < sw->n_mirrors; i++)
        if (sw->mirrors[i].used && sw->mirrors[i].id == id)
            return (int)i;
    return -1;
}

static struct mc_group *
group_find(struct sw *sw, uint32_t id)
{
    for (size_t i = 0; i < sw->n_groups; i++)
        if (sw->groups[i].used && sw->groups[i].id == id)
            return &sw->groups[i];
    return NULL;
}

/* The port a copy for LAG lag goes to: BMv2's simple_pre_lag picks member
 * (hash % members) and simple_switch passes no hash, so the first member. -1
 * if the LAG has no members. */
static int
lag_port(const struct sw *sw, uint32_t lag)
{
    if (!sw->lags || lag >= MAX_LAGS || !sw->lags[lag].n_ports)
        return -1;
    return (int)sw->lags[lag].ports[0];
}

/* Sends one copy of pk (which it consumes) per (rid, port) of group mgrp:
 * each node's ports, then one member port of each of its LAGs. */
static void
replicate(struct sw *sw, struct exec_ctx *x, struct pkt *pk, uint32_t mgrp,
          int inst)
{
    const struct prog *p = sw->prog;
    struct mc_group *g = group_find(sw, mgrp);
    if (!g) {
        TRACE(x, "Multicast group %u does not exist: dropping", mgrp);
        pkt_free(sw, pk);
        return;
    }
    uint32_t copy = 0;
    for (size_t i = 0; i < g->n_nodes; i++) {
        const struct mc_node *nd = &sw->nodes[g->nodes[i]];
        for (size_t k = 0; k < nd->n_ports; k++) {
            struct pkt *c = pkt_clone(sw, pk);
            if (!c)
                continue;
            c->copy_id = copy++;
            phv_set_u64(p, c, p->sm.egress_port, nd->ports[k]);
            phv_set_u64(p, c, p->sm.egress_rid, nd->rid);
            phv_set_u64(p, c, p->sm.instance_type, (uint64_t)inst);
            TRACE(x, "Replicating packet to port %u rid %u", nd->ports[k],
                  nd->rid);
            tm_enqueue(sw, x, c, nd->ports[k]);
        }
        for (size_t k = 0; k < nd->n_lags; k++) {
            int port = lag_port(sw, nd->lags[k]);
            struct pkt *c = port < 0 ? NULL : pkt_clone(sw, pk);
            if (!c)
                continue;
            c->copy_id = copy++;
            phv_set_u64(p, c, p->sm.egress_port, (uint64_t)port);
            phv_set_u64(p, c, p->sm.egress_rid, nd->rid);
            phv_set_u64(p, c, p->sm.instance_type, (uint64_t)inst);
            TRACE(x, "Replicating packet to port %d (lag %u) rid %u", port,
                  nd->lags[k], nd->rid);
            tm_enqueue(sw, x, c, (uint32_t)port);
        }
    }
    pkt_free(sw, pk);
}

static void
learn(struct sw *sw, struct exec_ctx *x, int li)
{
    const struct prog *p = sw->prog;
    const struct learn_list *l = &p->learns[li];
    if (sw->learn_n >= sw->opts.learn_queue) {
        sw->st.learn_drops++;
        return;
    }
    struct learn_item *it =
        &sw->learnq[(sw->learn_head + sw->learn_n) % sw->opts.learn_queue];
    it->list = (uint32_t)li;
    it->ts = sw->now_us;
    size_t off = 0;
    for (int i = 0; i < l->n; i++) {
        const struct field *fd = &p->fields[l->fields[i]];
        size_t nb = (fd->width + 7u) / 8u;
        struct val v;
        if (off + nb > sizeof it->data)
            break;
        phv_get(p, x->pk, l->fields[i], &v);
        val_trunc(&v, fd->width);
        val_to_bytes(&v, it->data + off, nb);
        off += nb;
    }
    sw->learn_n++;
}

static void egress_one(struct sw *sw, struct pkt *pk, struct sw_pkt *out,
                       size_t max_out, size_t *n_out);

/* Runs ingress on pk (which it consumes) and queues what comes out. */
static void
ingress(struct sw *sw, struct pkt *pk, int depth)
{
    const struct prog *p = sw->prog;
    struct exec_ctx x = {.sw = sw, .p = p, .pk = pk, .now_us = sw->now_us};
    sm_set(p, pk, SMX_INGRESS_TS, sw->now_us);
    sm_set(p, pk, SMX_PACKET_LENGTH, pk->in_len);
    pk->in_off = pk->off;
    exec_parse(&x);
    exec_pipeline(&x, &p->ingress);
    /* LEARNING */
    if (pk->learn_pending >= 0)
        learn(sw, &x, pk->learn_pending);
    pk->learn_pending = -1;
    /* INGRESS CLONING: the packet as received, preserved metadata */
    if (pk->clone_kind == 1) {
        int mi = mirror_find(sw, pk->clone_session);
        pk->clone_kind = 0;
        if (mi < 0) {
            TRACE(&x, "Clone session %u not configured", pk->clone_session);
        } else {
            struct pkt *c = pkt_alloc(sw);
            if (c) {
                c->off = pk->in_off;
                c->len = pk->in_len;
                c->in_off = pk->in_off;
                c->in_len = pk->in_len;
                c->payload = pk->in_off;
                c->in_port = pk->in_port;
                c->id = pk->id;
                c->copy_id = pk->copy_id + 1;
                memcpy(c->buf + c->off, pk->buf + pk->in_off, pk->in_len);
                exec_phv_reset(p, c);
                copy_flist(p, c, pk, pk->clone_flist);
                phv_set_u64(p, c, p->sm.instance_type, PKT_INGRESS_CLONE);
                phv_set_u64(p, c, p->sm.packet_length, pk->in_len);
                /* BMv2 parses the copy again: its headers are the packet's
                 * as received */
                struct exec_ctx cx = {
                    .sw = sw, .p = p, .pk = c, .now_us = sw->now_us};
                exec_parse(&cx);
                const struct sw_mirror *m = &sw->mirrors[mi].m;
                if (m->mgrp >= 0) {
                    struct pkt *c2 = pkt_clone(sw, c);
                    if (c2)
                        replicate(sw, &x, c2, (uint32_t)m->mgrp,
                                  PKT_INGRESS_CLONE);
                }
                if (m->port >= 0) {
                    phv_set_u64(p, c, p->sm.egress_port, (uint64_t)m->port);
                    TRACE(&x, "Cloning packet at ingress to port %d", m->port);
                    tm_enqueue(sw, &x, c, (uint32_t)m->port);
                } else {
                    pkt_free(sw, c);
                }
            }
        }
    }
    /* RESUBMIT: the original packet again, with preserved fields */
    if (pk->resubmit_flist >= 0 && depth < 16) {
        struct pkt *c = pkt_alloc(sw);
        if (c) {
            c->off = pk->in_off;
            c->len = pk->in_len;
            c->in_len = pk->in_len;
            c->in_port = pk->in_port;
            c->id = pk->id;
            c->copy_id = pk->copy_id;
            memcpy(c->buf + c->off, pk->buf + pk->in_off, pk->in_len);
            exec_phv_reset(p, c);
            copy_flist(p, c, pk, pk->resubmit_flist);
            phv_set_u64(p, c, p->sm.ingress_port,
                        phv_u64(p, pk, p->sm.ingress_port));
            phv_set_u64(p, c, p->sm.instance_type, PKT_RESUBMIT);
            TRACE(&x, "Resubmitting packet");
            pkt_free(sw, pk);
            ingress(sw, c, depth + 1);
            return;
        }
    }
    /* MULTICAST */
    uint64_t mgrp = phv_u64(p, pk, p->sm.mcast_grp);
    if (mgrp) {
        replicate(sw, &x, pk, (uint32_t)mgrp, PKT_REPLICATION);
        return;
    }
    uint64_t port = phv_u64(p, pk, p->sm.egress_spec);
    if (port == sw->opts.drop_port) {
        TRACE(&x, "Dropping packet at the end of ingress");
        sw->st.dropped++;
        pkt_free(sw, pk);
        return;
    }
    phv_set_u64(p, pk, p->sm.egress_port, port);
    tm_enqueue(sw, &x, pk, (uint32_t)port);
}

/* ---- egress ----------------------------------------------------------------
 */

static void
hold(struct sw *sw, struct pkt *pk)
{
    if (sw->n_held == sw->cap_held) {
        sw->cap_held = sw->cap_held ? sw->cap_held * 2 : 256;
        sw->out_held =
            xrealloc(sw->out_held, sw->cap_held * sizeof *sw->out_held);
    }
    sw->out_held[sw->n_held++] = pk;
}

static void
egress_one(struct sw *sw, struct pkt *pk, struct sw_pkt *out, size_t max_out,
           size_t *n_out)
{
    const struct prog *p = sw->prog;
    struct exec_ctx x = {.sw = sw, .p = p, .pk = pk, .now_us = sw->now_us};
    uint32_t port = pk->out_port;
    sm_set(p, pk, SMX_EGRESS_PORT, port);
    sm_set(p, pk, SMX_ENQ_TS, pk->enq_us);
    sm_set(p, pk, SMX_ENQ_QDEPTH, pk->enq_depth);
    sm_set(p, pk, SMX_DEQ_TIMEDELTA, sw->now_us - pk->enq_us);
    sm_set(p, pk, SMX_DEQ_QDEPTH,
           sw->q[port * sw->opts.priority_queues + pk->prio].n);
    sm_set(p, pk, SMX_EGRESS_TS, sw->now_us);
    /* simple_switch sets packet_length from its length register: the length
     * received, adjusted by add_header / remove_header */
    sm_set(p, pk, SMX_PACKET_LENGTH,
           (uint64_t)((int64_t)pk->in_len + pk->len_adj));
    /* simple_switch clears egress_spec before egress: mark_to_drop there
     * sets it to the drop port */
    sm_set(p, pk, SMX_EGRESS_SPEC, 0);
    exec_pipeline(&x, &p->egress);
    /* EGRESS CLONING: headers as they are now, metadata reset */
    if (pk->clone_kind == 2) {
        int mi = mirror_find(sw, pk->clone_session);
        pk->clone_kind = 0;
        if (mi >= 0) {
            struct pkt *c = pkt_clone(sw, pk);
            if (c) {
                /* reset metadata, keep headers */
                for (int h = 0; h < p->n_hdrs; h++) {
                    if (!p->hdrs[h].metadata)
                        continue;
                    const struct header *hd = &p->hdrs[h];
                    for (int f = 0; f < hd->n_fields; f++) {
                        struct val z;
                        val_set_u64(&z, 0);
                        phv_set(p, c, hd->first_field + f, &z);
                    }
                }
                copy_flist(p, c, pk, pk->clone_flist);
                phv_set_u64(p, c, p->sm.instance_type, PKT_EGRESS_CLONE);
                phv_set_u64(p, c, p->sm.packet_length,
                            phv_u64(p, pk, p->sm.packet_length));
                const struct sw_mirror *m = &sw->mirrors[mi].m;
                if (m->mgrp >= 0) {
                    struct pkt *c2 = pkt_clone(sw, c);
                    if (c2)
                        replicate(sw, &x, c2, (uint32_t)m->mgrp,
                                  PKT_EGRESS_CLONE);
                }
                if (m->port >= 0) {
                    TRACE(&x, "Cloning packet at egress to port %d", m->port);
                    tm_enqueue(sw, &x, c, (uint32_t)m->port);
                } else {
                    pkt_free(sw, c);
                }
            }
        }
    }
    if (phv_u64(p, pk, p->sm.egress_spec) == sw->opts.drop_port) {
        TRACE(&x, "Dropping packet at the end of egress");
        sw->st.dropped++;
        pkt_free(sw, pk);
        return;
    }
    exec_deparse(&x);
    if (pk->truncate_len && pk->len > pk->truncate_len)
        pk->len = pk->truncate_len;
    /* RECIRCULATE */
    if (pk->recirc_flist >= 0) {
        struct pkt *c = pkt_alloc(sw);
        if (c) {
            c->off = HEADROOM;
            c->len = pk->len;
            c->in_len = pk->len;
            c->in_port = pk->in_port;
            c->id = pk->id;
            memcpy(c->buf + c->off, pk->buf + pk->off, pk->len);
            exec_phv_reset(p, c);
            copy_flist(p, c, pk, pk->recirc_flist);
            phv_set_u64(p, c, p->sm.instance_type, PKT_RECIRC);
            phv_set_u64(p, c, p->sm.ingress_port, pk->in_port);
            TRACE(&x, "Recirculating packet");
            ingress(sw, c, 0);
        }
        pkt_free(sw, pk);
        return;
    }
    TRACE(&x, "Transmitting packet of %u bytes out of port %u", pk->len, port);
    if (*n_out < max_out) {
        out[*n_out].port = port;
        out[*n_out].len = pk->len;
        out[*n_out].data = pk->buf + pk->off;
        (*n_out)++;
        sw->st.tx++;
        hold(sw, pk);
    } else {
        pkt_free(sw, pk);
    }
}

static int
queue_ready(struct sw *sw, struct tm_queue *q)
{
    if (!q->n)
        return 0;
    if (!q->pps)
        return 1;
    double dt = (double)(sw->now_us - q->last_us);
    q->last_us = sw->now_us;
    q->tokens += dt * (double)q->pps / 1e6;
    double burst = q->pps / 1000.0 + 1.0;
    if (q->tokens > burst)
        q->tokens = burst;
    return q->tokens >= 1.0;
}

/* Drains the TM into out[]; returns packets left queued. */
static size_t
drain(struct sw *sw, struct sw_pkt *out, size_t max_out, size_t *n_out)
{
    unsigned nq = sw->opts.priority_queues;
    int progress = 1;
    /* A program that recirculates forever keeps the TM busy without ever
     * producing a frame: bound the egress runs of one call so that the lock
     * is released and the control plane gets in; the rest stays queued for
     * the next sw_poll() (sw_next_wakeup_us() says 0). */
    size_t budget = 4096 + 16 * max_out;
    while (progress && *n_out < max_out && sw->n_active && budget) {
        progress = 0;
        for (unsigned ai = 0; ai < sw->n_active && *n_out < max_out;) {
            unsigned port = sw->active[ai];
            struct pkt *pk = NULL;
            int any = 0;
            for (unsigned pr = nq; pr-- > 0;) {
                struct tm_queue *q = &sw->q[port * nq + pr];
                if (!q->n)
                    continue;
                any = 1;
                if (!queue_ready(sw, q))
                    continue;
                if (q->pps)
                    q->tokens -= 1.0;
                pk = q->head;
                q->head = pk->next;
                if (!q->head)
                    q->tail = NULL;
                q->n--;
                sw->queued--;
                break;
            }
            if (pk) {
                progress = 1;
                pk->next = NULL;
                egress_one(sw, pk, out, max_out, n_out);
                if (!--budget)
                    break;
            }
            /* port empty now? (egress may have queued more: recirculation) */
            int still = 0;
            for (unsigned pr = 0; pr < nq && !still; pr++)
                still = sw->q[port * nq + pr].n != 0;
            if (!still) {
                sw->is_active[port] = 0;
                sw->active[ai] = sw->active[--sw->n_active];
            } else {
                ai++;
            }
            (void)any;
        }
    }
    return sw->queued;
}

static void
release_held(struct sw *sw)
{
    for (size_t i = 0; i < sw->n_held; i++)
        pkt_free(sw, sw->out_held[i]);
    sw->n_held = 0;
}

int
sw_process(struct sw *sw, const struct sw_pkt *in, size_t n_in,
           struct sw_pkt *out, size_t max_out, size_t *n_out)
{
    *n_out = 0;
    pthread_mutex_lock(&sw->lock);
    release_held(sw);
    if (!sw->prog) {
        sw->st.rx += n_in;
        sw->st.dropped += n_in;
        pthread_mutex_unlock(&sw->lock);
        return -ENOENT;
    }
    sw->now_us = now_rel(sw);
    const struct prog *p = sw->prog;
    for (size_t i = 0; i < n_in; i++) {
        sw->st.rx++;
        if (in[i].len > MAX_FRAME) {
            sw->st.dropped++;
            continue;
        }
        struct pkt *pk = pkt_alloc(sw);
        if (!pk)
            continue;
        pk->id = sw->pkt_ids++;
        pk->off = HEADROOM;
        pk->len = in[i].len;
        pk->in_len = in[i].len;
        pk->in_port = in[i].port;
        memcpy(pk->buf + HEADROOM, in[i].data, in[i].len);
        exec_phv_reset(p, pk);
        sm_set(p, pk, SMX_INGRESS_PORT, in[i].port);
        if (sw->opts.trace) {
            struct exec_ctx x = {.sw = sw, .p = p, .pk = pk};
            exec_trace(&x, "Processing packet received on port %u (%u bytes)",
                       in[i].port, in[i].len);
        }
        ingress(sw, pk, 0);
        /* keep the TM from overflowing the pool within one big batch */
        if (sw->n_free < sw->opts.pool_size / 4 && *n_out < max_out)
            drain(sw, out, max_out, n_out);
    }
    drain(sw, out, max_out, n_out);
    pthread_mutex_unlock(&sw->lock);
    return 0;
}

size_t
sw_poll(struct sw *sw, struct sw_pkt *out, size_t max_out, size_t *n_out)
{
    *n_out = 0;
    pthread_mutex_lock(&sw->lock);
    release_held(sw);
    size_t left = 0;
    if (sw->prog) {
        sw->now_us = now_rel(sw);
        left = drain(sw, out, max_out, n_out);
    }
    pthread_mutex_unlock(&sw->lock);
    return left;
}

uint64_t
sw_next_wakeup_us(struct sw *sw)
{
    pthread_mutex_lock(&sw->lock);
    uint64_t best = UINT64_MAX;
    unsigned nq = sw->opts.priority_queues;
    uint64_t now = now_rel(sw);
    for (unsigned ai = 0; ai < sw->n_active; ai++) {
        unsigned port = sw->active[ai];
        for (unsigned pr = 0; pr < nq; pr++) {
            struct tm_queue *q = &sw->q[port * nq + pr];
            if (!q->n)
                continue;
            if (!q->pps) {
                best = 0;
                continue;
            }
            double have =
                q->tokens + (double)(now - q->last_us) * (double)q->pps / 1e6;
            uint64_t w =
                have >= 1.0
                    ? 0
                    : (uint64_t)((1.0 - have) * 1e6 / (double)q->pps) + 1;
            if (w < best)
                best = w;
        }
    }
    pthread_mutex_unlock(&sw->lock);
    return best;
}

void
sw_get_stats(struct sw *sw, struct sw_stats *st)
{
    pthread_mutex_lock(&sw->lock);
    *st = sw->st;
    pthread_mutex_unlock(&sw->lock);
}

size_t
sw_learn_drain(struct sw *sw, sw_learn_fn fn, void *ctx)
{
    pthread_mutex_lock(&sw->lock);
    size_t n = 0;
    while (sw->learn_n) {
        struct learn_item *it = &sw->learnq[sw->learn_head];
        const struct learn_list *l = &sw->prog->learns[it->list];
        struct sw_bytes fields[64];
        size_t off = 0, nf = 0;
        for (int i = 0; i < l->n && nf < 64; i++) {
            size_t nb = (sw->prog->fields[l->fields[i]].width + 7u) / 8u;
            if (off + nb > sizeof it->data)
                break;
            fields[nf].v = it->data + off;
            fields[nf].len = nb;
            nf++;
            off += nb;
        }
        struct sw_learn_msg m = {.list_id = l->info.id,
                                 .name = l->info.name,
                                 .timestamp_us = it->ts,
                                 .n_fields = nf,
                                 .fields = fields};
        if (fn)
            fn(ctx, &m);
        sw->learn_head = (sw->learn_head + 1) % sw->opts.learn_queue;
        sw->learn_n--;
        n++;
    }
    pthread_mutex_unlock(&sw->lock);
    return n;
}
