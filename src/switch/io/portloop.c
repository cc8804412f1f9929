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
#include <sys/prctl.h>
#include <time.h>
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

/* Adaptive coalescing. Below some tens of thousands of frames per second
 * every frame costs the data path a wake-up of its own (poll returns, the
 * thread is scheduled in, one send() per frame), and on a virtual machine a
 * wake-up costs more than the frame's whole trip through the pipeline and the
 * kernel (docs/switch-internals.md has the measurements). So when the arrival
 * rate over the last window is at least PACE_ON_PPS, the loop stops asking to
 * be woken per frame: it sleeps for a period (waking early only for the
 * control wake-up or the traffic manager) and then takes whatever the rings
 * hold in one batch, one send() per output port. The period aims at
 * PACE_TARGET frames per wake-up, within [PACE_MIN_NS, max] where max is
 * FOP4_COALESCE_US (default PACE_DEFAULT_US; 0 turns pacing off). Below
 * PACE_OFF_PPS the loop goes back to waking per frame, so at low load (ping)
 * nothing waits. Only ring ports can be looked at without a system call, so a
 * loop with a files port never paces. */
#define PACE_WINDOW_NS 2000000ull /* rate measured over 2 ms */
#define PACE_ON_PPS 20000.0
#define PACE_OFF_PPS 10000.0
#define PACE_TARGET 64.0 /* frames per wake-up: one transmit batch */
#define PACE_MIN_NS 50000ull
#define PACE_DEFAULT_US 500

struct pace {
    uint64_t max_ns; /* 0: never pace */
    int on;
    uint64_t period_ns;
    uint64_t next_ns;   /* paced: when to look at the rings again */
    uint64_t win_start; /* rate window */
    uint64_t win_frames;
};

static void
pace_init(struct pace *pc)
{
    memset(pc, 0, sizeof *pc);
    const char *v = getenv("FOP4_COALESCE_US");
    uint64_t us = v ? strtoull(v, NULL, 10) : PACE_DEFAULT_US;
    pc->max_ns = MIN(us, (uint64_t)100000) * 1000;
    pc->win_start = now_ns();
}

/* Counts the frames one turn took; at a window's end, picks the mode and the
 * period from the window's rate. */
static void
pace_account(struct pace *pc, uint64_t now, size_t frames, int can_pace)
{
    pc->win_frames += frames;
    uint64_t dt = now - pc->win_start;
    if (dt < PACE_WINDOW_NS)
        return;
    double pps = (double)pc->win_frames * 1e9 / (double)dt;
    pc->win_start = now;
    pc->win_frames = 0;
    if (!can_pace || !pc->max_ns || pps < PACE_OFF_PPS ||
        (!pc->on && pps < PACE_ON_PPS)) {
        pc->on = 0;
        return;
    }
    double ns = PACE_TARGET * 1e9 / pps;
    pc->period_ns = ns > (double)pc->max_ns ? pc->max_ns
                    : ns < (double)PACE_MIN_NS
                        ? MIN(PACE_MIN_NS, pc->max_ns)
                        : (uint64_t)ns;
    if (!pc->on) {
        pc->on = 1;
        pc->next_ns = now + pc->period_ns;
    }
}

#define TURNS 16 /* batches per port per wake-up */

/* Takes and processes the frames waiting on port p (at most TURNS batches, so
 * that other ports get their turn); returns how many. */
static size_t
serve_port(struct portloop *l, struct port *p, struct sw_pkt *in,
           struct sw_pkt *out)
{
    size_t total = 0;
    /* reading the ring costs no system call: keep taking frames while they
     * come */
    for (int turn = 0; turn < TURNS; turn++) {
        int n = port_recv(p, in, BATCH);
        if (n <= 0)
            break;
        total += (size_t)n;
        if (l->opts.dump_packet_data && LOG_ENABLED(LOG_INFO))
            for (int k = 0; k < n; k++)
                log_packet(l, "Receiving", &in[k]);
        size_t nout = 0;
        sw_process(l->sw, in, (size_t)n, out, OUT_MAX, &nout);
        port_release(p);
        emit(l, out, nout);
        drain(l, out);
    }
    return total;
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
    int all_rings = 0; /* every port is a ring port: pacing is possible */
    struct pace pc;
    pace_init(&pc);
    /* a paced sleep of 50 us must not become 100 (the default slack is
     * 50 us); this thread is the data path only */
    prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
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
            all_rings = 1;
            for (size_t i = 0; i < l->ports.n; i++) {
                pp[npfd] = l->ports.v[i];
                pfds[npfd].fd = port_fd(l->ports.v[i]);
                pfds[npfd++].events = POLLIN;
                if (strcmp(port_kind_name(l->ports.v[i]), "afpacket") != 0)
                    all_rings = 0;
            }
            l->changed = 0;
        }
        /* a files port whose input ended stops being polled */
        for (size_t i = 1; i < npfd; i++)
            pfds[i].fd = port_fd(pp[i]);
        pthread_mutex_unlock(&l->mu);

        uint64_t us = sw_next_wakeup_us(l->sw);
        uint64_t tm_ns = us == UINT64_MAX ? 200000000ull
                         : MIN(us, (uint64_t)200000) * 1000;
        int rc = -2;
        if (pc.on && all_rings) {
            /* paced: sleep to the period's end without being woken by
             * frames (only the control wake-up fd is watched), then look
             * at every ring */
            uint64_t now = now_ns();
            if (pc.next_ns > now && tm_ns) {
                uint64_t ns = MIN(pc.next_ns - now, tm_ns);
                struct timespec ts = {(time_t)(ns / 1000000000ull),
                                      (long)(ns % 1000000000ull)};
                rc = ppoll(pfds, 1, &ts, NULL);
            } else {
                rc = 0;
                pfds[0].revents = 0;
            }
            if (rc >= 0) {
                /* the next period starts now: a late wake-up does not
                 * shorten the next sleep into a burst of wake-ups */
                pc.next_ns = now_ns() + pc.period_ns;
                for (size_t i = 1; i < npfd; i++) {
                    pfds[i].revents = port_rx_ready(pp[i]) ? POLLIN : 0;
                    rc += pfds[i].revents != 0;
                }
            }
        } else {
            int timeout = tm_ns == 0 ? 0 : (int)(tm_ns / 1000000 + 1);
            if (us == UINT64_MAX)
                timeout = 200;
            if (busy && l->spin_ns && timeout) {
                /* traffic is flowing: look at the rings for a moment before
                 * sleeping, so that frames arriving close together are taken
                 * in one batch without a wake-up each */
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
        }
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
        size_t frames = 0;
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
            size_t n = serve_port(l, p, in, out);
            frames += n;
            /* the ring still holds frames (the thread was held off the CPU
             * for a while): take them at once rather than after a period */
            if (n >= (size_t)TURNS * BATCH)
                pc.next_ns = 0;
        }
        busy = frames > 0;
        drain(l, out);
        for (size_t i = 0; i < l->ports.n; i++)
            port_flush(l->ports.v[i]);
        pthread_mutex_unlock(&l->mu);
        pace_account(&pc, now_ns(), frames, all_rings);
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
