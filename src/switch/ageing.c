/* ageing.c - table entry ageing, as BMv2's ageing monitor: in tables with
 * support_timeout, an entry given a timeout (table_set_timeout / the Thrift
 * mt_set_entry_ttl) that sees no hit for that long is reported: a log line
 * at info level and the hook a control front end set (sw_ageing_set_hook),
 * e.g. for BMv2's ageing notifications. Entries are not removed (BMv2 leaves
 * that to the controller).
 *
 * A sweep thread, started when the first timeout is set and stopped by
 * sw_free, sweeps every sweep interval (BMv2's default, 1000 ms). An idle
 * entry is reported once per timeout while it stays idle; a hit (the data
 * path stamps entry.last_hit_us) starts its timer again. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "lib/util.h"
#include "switch/sw_int.h"

struct aged {
    char *table;
    uint64_t handle;
    uint64_t idle_ms;
    unsigned timeout_ms;
};

size_t
sw_ageing_poll(struct sw *sw, sw_ageing_fn fn, void *ctx)
{
    struct aged *v = NULL;
    size_t n = 0, cap = 0;
    pthread_mutex_lock(&sw->lock);
    struct prog *p = sw->prog;
    uint64_t now = sw_clock_rel(sw);
    for (int t = 0; p && t < p->n_tables; t++) {
        struct table *tb = &p->tables[t];
        if (!tb->info.with_ageing)
            continue;
        for (int i = 0; i < tb->n_ents; i++) {
            struct entry *en = &tb->ents[i];
            if (!en->used || !en->timeout_ms)
                continue;
            uint64_t since = MAX(en->last_hit_us, en->last_report_us);
            if (now - since < (uint64_t)en->timeout_ms * 1000)
                continue;
            en->last_report_us = now;
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                v = xrealloc(v, cap * sizeof *v);
            }
            v[n++] =
                (struct aged){xstrdup(tb->info.name), en->handle,
                              (now - en->last_hit_us) / 1000, en->timeout_ms};
        }
    }
    pthread_mutex_unlock(&sw->lock);
    /* outside the lock: fn may call back into the switch */
    for (size_t i = 0; i < n; i++) {
        LOG(LOG_INFO,
            "Ageing entry %llu in table '%s' (no hit for %llu ms, timeout %u "
            "ms)",
            (unsigned long long)v[i].handle, v[i].table,
            (unsigned long long)v[i].idle_ms, v[i].timeout_ms);
        if (fn)
            fn(ctx, v[i].table, v[i].handle);
        free(v[i].table);
    }
    free(v);
    return n;
}

static void *
sweep_loop(void *arg)
{
    struct sw *sw = arg;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    pthread_mutex_lock(&sw->age_mu);
    while (!sw->age_stop) {
        unsigned ms = sw->age_sweep_ms;
        next.tv_sec += ms / 1000;
        next.tv_nsec += (long)(ms % 1000) * 1000000L;
        if (next.tv_nsec >= 1000000000L) {
            next.tv_sec++;
            next.tv_nsec -= 1000000000L;
        }
        int rc = 0;
        while (!sw->age_stop && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&sw->age_cv, &sw->age_mu, &next);
        if (sw->age_stop)
            break;
        sw_ageing_fn fn = sw->age_fn;
        void *ctx = sw->age_ctx;
        pthread_mutex_unlock(&sw->age_mu);
        sw_ageing_poll(sw, fn, ctx);
        pthread_mutex_lock(&sw->age_mu);
    }
    pthread_mutex_unlock(&sw->age_mu);
    return NULL;
}

void
ageing_init(struct sw *sw)
{
    pthread_mutex_init(&sw->age_mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&sw->age_cv, &ca);
    pthread_condattr_destroy(&ca);
    sw->age_sweep_ms = 1000;
}

void
ageing_start(struct sw *sw)
{
    pthread_mutex_lock(&sw->age_mu);
    if (!sw->age_running && !sw->age_stop)
        sw->age_running =
            pthread_create(&sw->age_thread, NULL, sweep_loop, sw) == 0;
    pthread_mutex_unlock(&sw->age_mu);
}

void
ageing_destroy(struct sw *sw)
{
    pthread_mutex_lock(&sw->age_mu);
    sw->age_stop = 1;
    pthread_cond_signal(&sw->age_cv);
    int running = sw->age_running;
    pthread_mutex_unlock(&sw->age_mu);
    if (running)
        pthread_join(sw->age_thread, NULL);
    pthread_cond_destroy(&sw->age_cv);
    pthread_mutex_destroy(&sw->age_mu);
}

void
sw_ageing_set_hook(struct sw *sw, sw_ageing_fn fn, void *ctx)
{
    pthread_mutex_lock(&sw->age_mu);
    sw->age_fn = fn;
    sw->age_ctx = ctx;
    pthread_mutex_unlock(&sw->age_mu);
}

void
sw_ageing_set_interval(struct sw *sw, unsigned ms)
{
    pthread_mutex_lock(&sw->age_mu);
    sw->age_sweep_ms = ms ? ms : 1;
    pthread_cond_signal(&sw->age_cv);
    pthread_mutex_unlock(&sw->age_mu);
}

unsigned
sw_ageing_get_interval(struct sw *sw)
{
    pthread_mutex_lock(&sw->age_mu);
    unsigned ms = sw->age_sweep_ms;
    pthread_mutex_unlock(&sw->age_mu);
    return ms;
}
