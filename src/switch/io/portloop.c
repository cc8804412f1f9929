/* portloop.c - fop4-switch's data path (see portloop.h). One thread; batches of
 * up to BATCH frames per port per turn; the port table is guarded by a mutex
 * that only port_add/port_remove contend for, and an eventfd wakes the loop
 * when the table changes or the process is asked to stop. */
#include "switch/io/portloop.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/util.h"
#include "lib/vec.h"

#define BATCH 64
#define OUT_MAX 256

struct portloop {
    struct sw *sw;
    struct portloop_opts opts;
    pthread_mutex_t mu;
    VEC(struct port *) ports; /* sorted by number */
    int changed;
    int wake_fd;
    uint64_t no_port_drops;
    uint64_t spin_ns; /* look at the rings this long before sleeping */
};

struct portloop *
portloop_new(struct sw *sw, const struct portloop_opts *opts)
{
    struct portloop *l = xcalloc(1, sizeof *l);
    l->sw = sw;
    if (opts)
        l->opts = *opts;
    pthread_mutex_init(&l->mu, NULL);
    l->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    l->changed = 1;
    const char *spin = getenv("FOP4_SPIN_US");
    l->spin_ns = spin ? strtoull(spin, NULL, 10) * 1000 : 0;
    return l;
}

void
portloop_free(struct portloop *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->ports.n; i++)
        port_close(l->ports.v[i]);
    VEC_FREE(&l->ports);
    if (l->wake_fd >= 0)
        close(l->wake_fd);
    pthread_mutex_destroy(&l->mu);
    free(l);
}

void
portloop_wake(struct portloop *l)
{
    uint64_t one = 1;
    if (write(l->wake_fd, &one, sizeof one) < 0) {
        /* the counter is full: the loop is awake anyway */
    }
}

int
portloop_add(struct portloop *l, const struct port_cfg *cfg, struct err *e)
{
    pthread_mutex_lock(&l->mu);
    for (size_t i = 0; i < l->ports.n; i++)
        if (port_num(l->ports.v[i]) == cfg->num) {
            pthread_mutex_unlock(&l->mu);
            return err_set(e, -EEXIST, "port %u is already in use (%s)",
                           cfg->num, port_iface(l->ports.v[i]));
        }
    pthread_mutex_unlock(&l->mu);
    struct port *p = port_open(cfg, e);
    if (!p)
        return e && e->code ? e->code : -EIO;
    pthread_mutex_lock(&l->mu);
    size_t at = 0;
    while (at < l->ports.n && port_num(l->ports.v[at]) < cfg->num)
        at++;
    VEC_PUSH(&l->ports, p);
    memmove(&l->ports.v[at + 1], &l->ports.v[at],
            (l->ports.n - 1 - at) * sizeof p);
    l->ports.v[at] = p;
    l->changed = 1;
    pthread_mutex_unlock(&l->mu);
    LOG(LOG_INFO, "Adding interface %s as port %u", cfg->iface, cfg->num);
    portloop_wake(l);
    return 0;
}

int
portloop_remove(struct portloop *l, uint32_t num, struct err *e)
{
    pthread_mutex_lock(&l->mu);
    for (size_t i = 0; i < l->ports.n; i++) {
        if (port_num(l->ports.v[i]) != num)
            continue;
        struct port *p = l->ports.v[i];
        memmove(&l->ports.v[i], &l->ports.v[i + 1],
                (l->ports.n - i - 1) * sizeof p);
        l->ports.n--;
        l->changed = 1;
        port_close(p);
        pthread_mutex_unlock(&l->mu);
        LOG(LOG_INFO, "Removing port %u", num);
        portloop_wake(l);
        return 0;
    }
    pthread_mutex_unlock(&l->mu);
    return err_set(e, -ENOENT, "there is no port %u", num);
}

void
portloop_list(struct portloop *l,
              void (*fn)(void *ctx, uint32_t port, const char *iface, int up,
                         const char *extra),
              void *ctx)
{
    pthread_mutex_lock(&l->mu);
    for (size_t i = 0; i < l->ports.n; i++) {
        struct port *p = l->ports.v[i];
        struct port_stats st;
        port_get_stats(p, &st);
        char extra[128];
        snprintf(
            extra, sizeof extra, "kind=%s; rx=%llu; tx=%llu; drops=%llu",
            port_kind_name(p), (unsigned long long)st.rx,
            (unsigned long long)st.tx,
            (unsigned long long)(st.ring_drops + st.rx_dropped + st.tx_errors));
        int up = port_fd(p) >= 0 || strcmp(port_kind_name(p), "files") == 0;
        fn(ctx, port_num(p), port_iface(p), up, extra);
    }
    pthread_mutex_unlock(&l->mu);
}

static struct port *
find_port(struct portloop *l, uint32_t num)
{
    size_t lo = 0, hi = l->ports.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint32_t m = port_num(l->ports.v[mid]);
        if (m == num)
            return l->ports.v[mid];
        if (m < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void
log_packet(const struct portloop *l, const char *what, const struct sw_pkt *p)
{
    char hex[3 * 256 + 1];
    size_t n = MIN((size_t)l->opts.dump_packet_data, (size_t)p->len);
    n = MIN(n, (size_t)256);
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", p->data[i]);
    hex[2 * n] = '\0';
    log_msg(LOG_INFO, "%s packet of length %u on port %u: %s", what, p->len,
            p->port, hex);
}

static void
emit(struct portloop *l, const struct sw_pkt *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct port *p = find_port(l, out[i].port);
        if (l->opts.dump_packet_data && LOG_ENABLED(LOG_INFO))
            log_packet(l, "Transmitting", &out[i]);
        if (!p) {
            l->no_port_drops++;
            continue;
        }
        port_send(p, out[i].data, out[i].len);
    }
}

/* Drains what the traffic manager holds; returns the number still queued. */
static size_t
drain(struct portloop *l, struct sw_pkt *out)
{
    size_t left, n;
    int rounds = 0;
    do {
        left = sw_poll(l->sw, out, OUT_MAX, &n);
        emit(l, out, n);
    } while (left && n && ++rounds < 64);
    return left;
}

int
portloop_run(struct portloop *l, volatile sig_atomic_t *stop)
{
    struct pollfd *pfds = NULL;
    struct port **pp = NULL;
    size_t npfd = 0;
    struct sw_pkt in[BATCH];
    struct sw_pkt *out = xcalloc(OUT_MAX, sizeof *out);
    int busy = 0;
    while (!*stop) {
        pthread_mutex_lock(&l->mu);
        if (l->changed) {
            free(pfds);
            free(pp);
            pfds = xcalloc(l->ports.n + 1, sizeof *pfds);
            pp = xcalloc(l->ports.n + 1, sizeof *pp);
            npfd = 0;
            pfds[npfd].fd = l->wake_fd;
            pfds[npfd++].events = POLLIN;
            for (size_t i = 0; i < l->ports.n; i++) {
                pp[npfd] = l->ports.v[i];
                pfds[npfd].fd = port_fd(l->ports.v[i]);
                pfds[npfd++].events = POLLIN;
            }
            l->changed = 0;
        }
        /* a files port whose input ended stops being polled */
        for (size_t i = 1; i < npfd; i++)
            pfds[i].fd = port_fd(pp[i]);
        pthread_mutex_unlock(&l->mu);

        uint64_t us = sw_next_wakeup_us(l->sw);
        int timeout = us == UINT64_MAX ? 200
                      : us == 0        ? 0
                                       : (int)MIN(us / 1000 + 1, 200);
        int rc = -2;
        if (busy && l->spin_ns && timeout) {
            /* traffic is flowing: look at the rings for a moment before
             * sleeping, so that frames arriving close together are taken in
             * one batch without a wake-up each */
            uint64_t until = now_ns() + l->spin_ns;
            do {
                rc = 0;
                for (size_t i = 1; i < npfd; i++) {
                    pfds[i].revents = port_rx_ready(pp[i]) ? POLLIN : 0;
                    rc += pfds[i].revents != 0;
                }
            } while (!rc && !*stop && now_ns() < until);
            pfds[0].revents = 0;
            if (!rc)
                rc = -2;
        }
        if (rc == -2)
            rc = poll(pfds, npfd, timeout);
        busy = 0;
        if (rc < 0 && errno != EINTR)
            break;
        if (*stop)
            break;
        if (rc > 0 && (pfds[0].revents & POLLIN)) {
            uint64_t v;
            if (read(l->wake_fd, &v, sizeof v) < 0) {
                /* nothing to read: another wake-up already took it */
            }
        }
        pthread_mutex_lock(&l->mu);
        if (l->changed) {
            pthread_mutex_unlock(&l->mu);
            continue;
        }
        for (size_t i = 1; rc > 0 && i < npfd; i++) {
            if (!(pfds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            struct port *p = pp[i];
            if ((pfds[i].revents & (POLLERR | POLLNVAL)) &&
                port_check_error(p) == -ENODEV)
                LOG(LOG_WARN,
                    "port %u: interface %s is gone; port_remove %u "
                    "or port_add it again",
                    port_num(p), port_iface(p), port_num(p));
            /* reading the ring costs no system call: keep taking frames while
             * they come (bounded, so that other ports get their turn) */
            for (int turn = 0; turn < 16; turn++) {
                int n = port_recv(p, in, BATCH);
                if (n <= 0)
                    break;
                busy = 1;
                if (l->opts.dump_packet_data && LOG_ENABLED(LOG_INFO))
                    for (int k = 0; k < n; k++)
                        log_packet(l, "Receiving", &in[k]);
                size_t nout = 0;
                sw_process(l->sw, in, (size_t)n, out, OUT_MAX, &nout);
                port_release(p);
                emit(l, out, nout);
                drain(l, out);
            }
        }
        drain(l, out);
        for (size_t i = 0; i < l->ports.n; i++)
            port_flush(l->ports.v[i]);
        pthread_mutex_unlock(&l->mu);
    }
    pthread_mutex_lock(&l->mu);
    drain(l, out);
    for (size_t i = 0; i < l->ports.n; i++)
        port_flush(l->ports.v[i]);
    pthread_mutex_unlock(&l->mu);
    free(pfds);
    free(pp);
    free(out);
    return 0;
}
