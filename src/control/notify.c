/* notify.c - the notifications socket (see notify.h): BMv2's learn engine
 * (buffers, filter, acks) and ageing messages over a nanomsg PUB socket. */
#include "control/notify.h"

#include <errno.h>
#include <nanomsg/nn.h>
#include <nanomsg/pubsub.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/hmap.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "lib/vec.h"
#include "switch/sw.h"

/* A buffer sent and not wholly acknowledged: its samples' filter keys. */
struct sent_buf {
    uint64_t id;
    VEC(char *) keys; /* the samples' filter keys (owned); NULL once acked */
    size_t unacked;
};

struct llist {
    uint32_t id;
    size_t max_samples;
    unsigned timeout_ms;
    struct strbuf buf; /* the samples of the buffer being filled */
    VEC(char *) keys;  /* their filter keys (owned) */
    uint64_t started_ms;
    uint64_t next_id; /* id of the buffer being filled */
    struct hmap filter;
    VEC(struct sent_buf) sent;
};

struct aged {
    uint32_t table_id;
    VEC(uint32_t) handles;
};

struct port_state {
    uint32_t port;
    int up;
    int seen; /* in the latest check */
};

struct notify {
    struct sw *sw;
    char *addr;
    uint32_t device_id;
    int sock;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int stopping;
    VEC(struct llist *) lists;
    VEC(struct aged) aged; /* ageing reports waiting for the next tick */
    uint64_t age_buffer_id;
    struct notify_stats st;
    notify_ports_fn ports_fn; /* set before the thread reads it (lock) */
    void *ports_ctx;
    VEC(struct port_state) ports; /* the thread's own */
    uint64_t ports_checked_ms;
    int learns_at_start;     /* the program had learn lists at start */
    uint64_t last_digest_ms; /* when a digest was last drained (lock) */
};

static struct notify *current;

char *
notify_default_addr(uint32_t device_id)
{
    return xasprintf("ipc:///tmp/bmv2-%u-notifications.ipc", device_id);
}

#define NOTIFY_IDLE_MS 10000

static uint64_t
now_ms(void)
{
    return now_ns() / 1000000u;
}

static struct llist *
new_list(uint32_t id, size_t max_samples, unsigned timeout_ms)
{
    struct llist *l = xcalloc(1, sizeof *l);
    l->id = id;
    l->max_samples = max_samples;
    l->timeout_ms = timeout_ms;
    strbuf_init(&l->buf);
    hmap_init(&l->filter);
    return l;
}

static struct llist *
get_list(struct notify *n, uint32_t id)
{
    for (size_t i = 0; i < n->lists.n; i++)
        if (n->lists.v[i]->id == id)
            return n->lists.v[i];
    struct llist *l =
        new_list(id, NOTIFY_DEFAULT_MAX_SAMPLES, NOTIFY_DEFAULT_TIMEOUT_MS);
    VEC_PUSH(&n->lists, l);
    return l;
}

static void
free_keys(struct sent_buf *sb)
{
    for (size_t i = 0; i < sb->keys.n; i++)
        free(sb->keys.v[i]);
    VEC_FREE(&sb->keys);
}

static void
free_list(struct llist *l)
{
    for (size_t i = 0; i < l->sent.n; i++)
        free_keys(&l->sent.v[i]);
    VEC_FREE(&l->sent);
    for (size_t i = 0; i < l->keys.n; i++)
        free(l->keys.v[i]);
    VEC_FREE(&l->keys);
    hmap_destroy(&l->filter);
    strbuf_destroy(&l->buf);
    free(l);
}

static void
put_u32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void
put_u64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

static void
publish(struct notify *n, const void *msg, size_t len)
{
    if (nn_send(n->sock, msg, len, NN_DONTWAIT) < 0 && nn_errno() != EAGAIN)
        LOG(LOG_WARN, "notifications: send failed: %s",
            nn_strerror(nn_errno()));
}

/* Sends the buffer being filled (lock held). */
static void
send_buffer(struct notify *n, struct llist *l)
{
    size_t ns = l->keys.n;
    if (!ns)
        return;
    size_t len = 32 + l->buf.len;
    uint8_t *msg = xmalloc(len);
    memcpy(msg, "LEA|", 4);
    put_u64(msg + 4, n->device_id);
    put_u32(msg + 12, 0);
    put_u32(msg + 16, l->id);
    put_u64(msg + 20, l->next_id);
    put_u32(msg + 28, (uint32_t)ns);
    memcpy(msg + 32, l->buf.s, l->buf.len);
    publish(n, msg, len);
    free(msg);
    LOG(LOG_DEBUG,
        "Sending learning notification for list id %u (buffer id %llu, %zu "
        "samples)",
        l->id, (unsigned long long)l->next_id, ns);
    struct sent_buf sb = {.id = l->next_id, .unacked = ns};
    sb.keys.v = l->keys.v;
    sb.keys.n = l->keys.n;
    sb.keys.cap = l->keys.cap;
    memset(&l->keys, 0, sizeof l->keys);
    VEC_PUSH(&l->sent, sb);
    strbuf_reset(&l->buf);
    l->next_id++;
    n->st.lea_msgs++;
    n->st.lea_samples += ns;
}

struct drain_ctx {
    struct notify *n;
    uint64_t now;
};

static void
on_digest(void *ctx, const struct sw_learn_msg *m)
{
    struct drain_ctx *d = ctx;
    struct notify *n = d->n;
    struct llist *l = get_list(n, m->list_id);
    struct strbuf key;
    strbuf_init(&key);
    for (size_t i = 0; i < m->n_fields; i++)
        for (size_t k = 0; k < m->fields[i].len; k++)
            strbuf_printf(&key, "%02x", m->fields[i].v[k]);
    if (!key.s) /* a list without fields: every sample is the same */
        strbuf_putc(&key, '-');
    if (hmap_get(&l->filter, key.s)) {
        n->st.filtered++;
        strbuf_destroy(&key);
        return;
    }
    hmap_put(&l->filter, key.s, (void *)1, NULL);
    VEC_PUSH(&l->keys, strbuf_steal(&key));
    for (size_t i = 0; i < m->n_fields; i++)
        strbuf_add(&l->buf, m->fields[i].v, m->fields[i].len);
    if (l->keys.n == 1)
        l->started_ms = d->now;
    if (l->keys.n >= l->max_samples)
        send_buffer(n, l);
}

static void
on_aged(void *ctx, const char *table, uint64_t handle)
{
    struct notify *n = ctx;
    const struct sw_table_info *ti = sw_table_info(n->sw, table, NULL);
    if (!ti)
        return;
    pthread_mutex_lock(&n->lock);
    struct aged *a = NULL;
    for (size_t i = 0; i < n->aged.n; i++)
        if (n->aged.v[i].table_id == ti->id)
            a = &n->aged.v[i];
    if (!a) {
        struct aged na = {.table_id = ti->id};
        VEC_PUSH(&n->aged, na);
        a = &n->aged.v[n->aged.n - 1];
    }
    VEC_PUSH(&a->handles, (uint32_t)handle);
    pthread_mutex_unlock(&n->lock);
}

static void
send_aged(struct notify *n)
{
    for (size_t i = 0; i < n->aged.n; i++) {
        struct aged *a = &n->aged.v[i];
        size_t len = 32 + 4 * a->handles.n;
        uint8_t *msg = xmalloc(len);
        memcpy(msg, "AGE|", 4);
        put_u64(msg + 4, n->device_id);
        put_u32(msg + 12, 0);
        put_u64(msg + 16, n->age_buffer_id++);
        put_u32(msg + 24, a->table_id);
        put_u32(msg + 28, (uint32_t)a->handles.n);
        for (size_t k = 0; k < a->handles.n; k++)
            put_u32(msg + 32 + 4 * k, a->handles.v[k]);
        publish(n, msg, len);
        free(msg);
        n->st.age_msgs++;
        VEC_FREE(&a->handles);
    }
    n->aged.n = 0;
}

static void
on_port(void *cbctx, uint32_t port, int up)
{
    struct notify *n = cbctx;
    for (size_t i = 0; i < n->ports.n; i++)
        if (n->ports.v[i].port == port) {
            n->ports.v[i].seen = up ? 3 : 2; /* 2|up */
            return;
        }
    /* new: known as down, so that being up is a change (as BMv2) */
    struct port_state ps = {port, 0, up ? 3 : 2};
    VEC_PUSH(&n->ports, ps);
}

/* Compares the ports with the last check and sends the changes (thread
 * only, no lock held). */
static void
check_ports(struct notify *n, notify_ports_fn fn, void *ctx)
{
    for (size_t i = 0; i < n->ports.n; i++)
        n->ports.v[i].seen = 0;
    fn(ctx, on_port, n);
    struct strbuf st;
    strbuf_init(&st);
    uint32_t count = 0;
    for (size_t i = 0; i < n->ports.n;) {
        struct port_state *ps = &n->ports.v[i];
        if (!ps->seen) { /* removed: forgotten, not reported (as BMv2) */
            *ps = n->ports.v[--n->ports.n];
            continue;
        }
        int up = ps->seen & 1;
        if (up != ps->up) {
            int32_t rec[2] = {(int32_t)ps->port, up};
            strbuf_add(&st, rec, sizeof rec);
            count++;
            ps->up = up;
        }
        i++;
    }
    if (count) {
        size_t len = 32 + st.len;
        uint8_t *msg = xcalloc(1, len);
        memcpy(msg, "PRT|", 4);
        put_u64(msg + 4, n->device_id);
        put_u32(msg + 12, count);
        memcpy(msg + 32, st.s, st.len);
        publish(n, msg, len);
        free(msg);
        pthread_mutex_lock(&n->lock);
        n->st.prt_msgs++;
        pthread_mutex_unlock(&n->lock);
    }
    strbuf_destroy(&st);
}

static void
tick(struct notify *n)
{
    struct drain_ctx d = {n, now_ms()};
    /* on_digest runs under the switch's lock: take ours first, as the
     * Thrift calls never take the switch's lock while holding ours */
    pthread_mutex_lock(&n->lock);
    if (sw_learn_drain(n->sw, on_digest, &d))
        n->last_digest_ms = d.now;
    for (size_t i = 0; i < n->lists.n; i++) {
        struct llist *l = n->lists.v[i];
        if (l->keys.n && l->timeout_ms &&
            d.now >= l->started_ms + l->timeout_ms)
            send_buffer(n, l);
    }
    send_aged(n);
    notify_ports_fn fn = n->ports_fn;
    void *ctx = n->ports_ctx;
    pthread_mutex_unlock(&n->lock);
    if (fn && d.now >= n->ports_checked_ms + NOTIFY_PORT_MS) {
        n->ports_checked_ms = d.now;
        check_ports(n, fn, ctx);
    }
}

static void *
run(void *arg)
{
    struct notify *n = arg;
    pthread_mutex_lock(&n->lock);
    while (!n->stopping) {
        /* a program without learn lists has no digests to drain: check the
         * ports and ageing reports only. (Known from the program at start;
         * after a swap, from digests seen in the last NOTIFY_IDLE_MS.) */
        long ms =
            n->learns_at_start || now_ms() < n->last_digest_ms + NOTIFY_IDLE_MS
                ? NOTIFY_TICK_MS
                : NOTIFY_PORT_MS;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += ms * 1000000L;
        ts.tv_sec += ts.tv_nsec / 1000000000L;
        ts.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&n->cond, &n->lock, &ts);
        if (n->stopping)
            break;
        pthread_mutex_unlock(&n->lock);
        tick(n);
        pthread_mutex_lock(&n->lock);
    }
    pthread_mutex_unlock(&n->lock);
    return NULL;
}

struct notify *
notify_start(struct sw *sw, const char *addr, uint32_t device_id, struct err *e)
{
    int s = nn_socket(AF_SP, NN_PUB);
    if (s < 0) {
        err_set(e, -nn_errno(), "notifications: cannot create a socket: %s",
                nn_strerror(nn_errno()));
        return NULL;
    }
    /* room for bursts of digests while a subscriber catches up (nanomsg's
     * default is 128 KiB; a PUB drops what does not fit) */
    int sndbuf = NOTIFY_SNDBUF;
    nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDBUF, &sndbuf, sizeof sndbuf);
    if (nn_bind(s, addr) < 0) {
        err_set(e, -nn_errno(), "notifications: cannot bind '%s': %s", addr,
                nn_strerror(nn_errno()));
        nn_close(s);
        return NULL;
    }
    struct notify *n = xcalloc(1, sizeof *n);
    n->sw = sw;
    n->addr = xstrdup(addr);
    n->device_id = device_id;
    n->sock = s;
    n->learns_at_start = sw_num_objects(sw, SW_OBJ_LEARN) > 0;
    pthread_mutex_init(&n->lock, NULL);
    pthread_cond_init(&n->cond, NULL);
    if (pthread_create(&n->thread, NULL, run, n) != 0) {
        err_set(e, -EAGAIN, "notifications: cannot start a thread");
        nn_close(s);
        pthread_mutex_destroy(&n->lock);
        pthread_cond_destroy(&n->cond);
        free(n->addr);
        free(n);
        return NULL;
    }
    sw_ageing_set_hook(sw, on_aged, n);
    current = n;
    return n;
}

void
notify_stop(struct notify *n)
{
    if (!n)
        return;
    sw_ageing_set_hook(n->sw, NULL, NULL);
    pthread_mutex_lock(&n->lock);
    n->stopping = 1;
    pthread_cond_signal(&n->cond);
    pthread_mutex_unlock(&n->lock);
    pthread_join(n->thread, NULL);
    if (current == n)
        current = NULL;
    nn_close(n->sock);
    for (size_t i = 0; i < n->lists.n; i++)
        free_list(n->lists.v[i]);
    VEC_FREE(&n->lists);
    for (size_t i = 0; i < n->aged.n; i++)
        VEC_FREE(&n->aged.v[i].handles);
    VEC_FREE(&n->aged);
    VEC_FREE(&n->ports);
    pthread_mutex_destroy(&n->lock);
    pthread_cond_destroy(&n->cond);
    free(n->addr);
    free(n);
}

struct notify *
notify_current(void)
{
    return current;
}

const char *
notify_addr(struct notify *n)
{
    return n->addr;
}

static struct sent_buf *
find_sent(struct llist *l, uint64_t id, size_t *at)
{
    for (size_t i = 0; i < l->sent.n; i++)
        if (l->sent.v[i].id == id) {
            *at = i;
            return &l->sent.v[i];
        }
    return NULL;
}

static void
drop_sent(struct llist *l, size_t at)
{
    free_keys(&l->sent.v[at]);
    l->sent.v[at] = l->sent.v[l->sent.n - 1];
    l->sent.n--;
}

void
notify_set_ports(struct notify *n, notify_ports_fn fn, void *ctx)
{
    pthread_mutex_lock(&n->lock);
    n->ports_fn = fn;
    n->ports_ctx = ctx;
    pthread_mutex_unlock(&n->lock);
}

void
notify_ack(struct notify *n, uint32_t list_id, uint64_t buffer_id,
           const int32_t *ids, size_t n_ids)
{
    pthread_mutex_lock(&n->lock);
    struct llist *l = get_list(n, list_id);
    size_t at;
    struct sent_buf *sb = find_sent(l, buffer_id, &at);
    for (size_t i = 0; sb && i < n_ids; i++) {
        if (ids[i] < 0 || (size_t)ids[i] >= sb->keys.n || !sb->keys.v[ids[i]])
            continue;
        char *k = sb->keys.v[ids[i]];
        sb->keys.v[ids[i]] = NULL;
        hmap_del(&l->filter, k);
        free(k);
        if (--sb->unacked == 0) {
            drop_sent(l, at);
            sb = NULL;
        }
    }
    pthread_mutex_unlock(&n->lock);
}

void
notify_ack_buffer(struct notify *n, uint32_t list_id, uint64_t buffer_id)
{
    pthread_mutex_lock(&n->lock);
    struct llist *l = get_list(n, list_id);
    size_t at;
    struct sent_buf *sb = find_sent(l, buffer_id, &at);
    if (sb) {
        for (size_t i = 0; i < sb->keys.n; i++)
            if (sb->keys.v[i]) {
                char *k = sb->keys.v[i];
                sb->keys.v[i] = NULL;
                hmap_del(&l->filter, k);
                free(k);
            }
        drop_sent(l, at);
    }
    pthread_mutex_unlock(&n->lock);
}

void
notify_set_timeout(struct notify *n, uint32_t list_id, unsigned ms)
{
    pthread_mutex_lock(&n->lock);
    get_list(n, list_id)->timeout_ms = ms;
    pthread_mutex_unlock(&n->lock);
}

void
notify_set_buffer_size(struct notify *n, uint32_t list_id, size_t max)
{
    pthread_mutex_lock(&n->lock);
    struct llist *l = get_list(n, list_id);
    l->max_samples = max ? max : 1;
    if (l->keys.n && l->keys.n >= l->max_samples)
        send_buffer(n, l);
    pthread_mutex_unlock(&n->lock);
}

void
notify_reset(struct notify *n)
{
    if (!n)
        return;
    pthread_mutex_lock(&n->lock);
    for (size_t i = 0; i < n->lists.n; i++) {
        struct llist *l = n->lists.v[i];
        n->lists.v[i] = new_list(l->id, l->max_samples, l->timeout_ms);
        free_list(l);
    }
    pthread_mutex_unlock(&n->lock);
}

void
notify_get_stats(struct notify *n, struct notify_stats *st)
{
    pthread_mutex_lock(&n->lock);
    *st = n->st;
    pthread_mutex_unlock(&n->lock);
}
