/* relay.c - link delay, jitter and loss without netem.
 *
 * A relayed link is two veth pairs instead of one: node A's interface is
 * paired with port "lNa" of the net's relay namespace ("<prefix>--relay"),
 * node B's with "lNb". One engine thread moves frames between the two ports
 * over AF_PACKET sockets and applies, per direction, what netem would:
 *   loss    each frame is dropped with probability loss/100;
 *   delay   a frame leaves delay ms after it arrived, +- jitter (uniform, as
 *           netem without a distribution table); frames whose times cross
 *           are reordered, as netem's tfifo does;
 *   queue   at most max_queue frames wait per direction (default 1000, like
 *           netem's limit); more are dropped.
 * Rate limits stay in the kernel (htb on the node-side interfaces, linkem.c).
 *
 * Frames are read and written with PACKET_VNET_HDR, so TSO/GSO super-frames
 * pass through whole and the kernel segments them on the way out: the relay
 * does no per-segment work and needs no offload changes on the interfaces.
 * Timing uses one timerfd armed (absolute, CLOCK_MONOTONIC) for the earliest
 * departure: the error is the thread's wake-up latency, tens of microseconds.
 * FOP4_RELAY_STATS=1 prints each direction's counters when the relay stops.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "engine/net_impl.h"
#include "engine/nl.h"

#define RELAY_MAX_FRAME (65536 + sizeof(struct virtio_net_hdr))

struct pkt {
    uint64_t due;   /* departure time, ns */
    uint64_t order; /* arrival order, to keep FIFO among equal times */
    uint32_t len;
    unsigned char data[]; /* virtio_net_hdr + frame */
};

/* One direction of a link: frames read on in_fd leave on out_fd. */
struct dir {
    int in_fd, out_fd;
    struct pkt **heap; /* min-heap by (due, order) */
    size_t n, cap;
    /* parameters, written by the API thread, read by the relay thread */
    _Atomic uint64_t delay_ns, jitter_ns;
    _Atomic uint32_t loss_1e9; /* probability * 1e9 */
    _Atomic uint32_t limit;
    uint64_t rx, tx, dropped_loss, dropped_queue;
};

struct rlink {
    struct link *link;
    struct dir d[2]; /* 0: a -> b, 1: b -> a */
    int dead;        /* removed: freed by the relay thread */
};

struct relay {
    struct net *net;
    int netns_fd;
    int ep, tfd, efd;
    pthread_t thread;
    int running;
    pthread_mutex_t mu; /* guards links (add/remove vs. the thread) */
    VEC(struct rlink *) links;
    uint64_t order;
    uint64_t rng;
    unsigned char *buf;
};

static uint64_t
rnd(struct relay *r)
{
    /* xorshift64*: fast, good enough for loss and jitter */
    uint64_t x = r->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static int
pkt_less(const struct pkt *a, const struct pkt *b)
{
    return a->due < b->due || (a->due == b->due && a->order < b->order);
}

static void
heap_push(struct dir *d, struct pkt *p)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->heap = xrealloc(d->heap, d->cap * sizeof *d->heap);
    }
    size_t i = d->n++;
    while (i && pkt_less(p, d->heap[(i - 1) / 2])) {
        d->heap[i] = d->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    d->heap[i] = p;
}

static struct pkt *
heap_pop(struct dir *d)
{
    struct pkt *top = d->heap[0], *last = d->heap[--d->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= d->n)
            break;
        if (c + 1 < d->n && pkt_less(d->heap[c + 1], d->heap[c]))
            c++;
        if (!pkt_less(d->heap[c], last))
            break;
        d->heap[i] = d->heap[c];
        i = c;
    }
    if (d->n)
        d->heap[i] = last;
    return top;
}

static void
dir_flush(struct dir *d)
{
    while (d->n)
        free(heap_pop(d));
    free(d->heap);
    d->heap = NULL;
    d->cap = 0;
}

static void
on_readable(struct relay *r, struct dir *d)
{
    for (int burst = 0; burst < 256; burst++) {
        ssize_t n = recv(d->in_fd, r->buf, RELAY_MAX_FRAME, MSG_DONTWAIT);
        if (n <= 0)
            return;
        d->rx++;
        uint32_t loss = atomic_load(&d->loss_1e9);
        if (loss && (rnd(r) % 1000000000u) < loss) {
            d->dropped_loss++;
            continue;
        }
        if (d->n >= atomic_load(&d->limit)) {
            d->dropped_queue++;
            continue;
        }
        uint64_t now = now_ns(), delay = atomic_load(&d->delay_ns),
                 jit = atomic_load(&d->jitter_ns);
        int64_t due = (int64_t)(now + delay);
        if (jit)
            due += (int64_t)(rnd(r) % (2 * jit + 1)) - (int64_t)jit;
        if (due < (int64_t)now)
            due = (int64_t)now;
        struct pkt *p = xmalloc(sizeof *p + (size_t)n);
        p->due = (uint64_t)due;
        p->order = r->order++;
        p->len = (uint32_t)n;
        memcpy(p->data, r->buf, (size_t)n);
        heap_push(d, p);
    }
}

/* Sends what is due; returns the earliest remaining departure (0 = none). */
static uint64_t
send_due(struct relay *r)
{
    uint64_t now = now_ns(), next = 0;
    for (size_t k = 0; k < r->links.n; k++) {
        struct rlink *rl = r->links.v[k];
        for (int e = 0; e < 2; e++) {
            struct dir *d = &rl->d[e];
            while (d->n && d->heap[0]->due <= now) {
                struct pkt *p = heap_pop(d);
                if (send(d->out_fd, p->data, p->len, MSG_DONTWAIT) > 0)
                    d->tx++;
                free(p);
            }
            if (d->n && (!next || d->heap[0]->due < next))
                next = d->heap[0]->due;
        }
    }
    return next;
}

static void
arm(struct relay *r, uint64_t due)
{
    struct itimerspec its = {0};
    if (due) {
        its.it_value.tv_sec = (time_t)(due / 1000000000u);
        its.it_value.tv_nsec = (long)(due % 1000000000u);
    }
    timerfd_settime(r->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void *
relay_main(void *arg)
{
    struct relay *r = arg;
    struct epoll_event evs[64];
    while (r->running) {
        int n = epoll_wait(r->ep, evs, 64, 1000);
        pthread_mutex_lock(&r->mu);
        for (int i = 0; i < n; i++) {
            void *p = evs[i].data.ptr;
            if (p == (void *)r) { /* timer */
                uint64_t x;
                if (read(r->tfd, &x, sizeof x) < 0)
                    (void)0;
            } else if (p == (void *)&r->efd) {
                uint64_t x;
                if (read(r->efd, &x, sizeof x) < 0)
                    (void)0;
            } else {
                on_readable(r, p);
            }
        }
        /* Drop links removed since the last round. */
        for (size_t k = 0; k < r->links.n;) {
            struct rlink *rl = r->links.v[k];
            if (rl->dead) {
                for (int e = 0; e < 2; e++) {
                    dir_flush(&rl->d[e]);
                    close(rl->d[e].in_fd);
                }
                free(rl);
                r->links.v[k] = r->links.v[--r->links.n];
            } else {
                k++;
            }
        }
        arm(r, send_due(r));
        pthread_mutex_unlock(&r->mu);
    }
    return NULL;
}

struct relay *
relay_new(struct net *net, struct err *err)
{
    char name[96];
    snprintf(name, sizeof name, "%s--relay", net->prefix);
    int fd = netns_create(name, 0, err);
    if (fd < 0)
        return NULL;
    struct relay *r = xcalloc(1, sizeof *r);
    r->net = net;
    r->netns_fd = fd;
    r->rng = now_ns() | 1;
    r->buf = xmalloc(RELAY_MAX_FRAME);
    pthread_mutex_init(&r->mu, NULL);
    r->ep = epoll_create1(EPOLL_CLOEXEC);
    r->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    r->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = r};
    epoll_ctl(r->ep, EPOLL_CTL_ADD, r->tfd, &ev);
    ev.data.ptr = &r->efd;
    epoll_ctl(r->ep, EPOLL_CTL_ADD, r->efd, &ev);
    r->running = 1;
    if (pthread_create(&r->thread, NULL, relay_main, r) != 0) {
        err_set(err, -EAGAIN, "cannot start the link relay thread");
        r->running = 0;
        relay_free(r);
        return NULL;
    }
    /* Delays are only as exact as the thread's wake-ups: on a busy machine
     * a normal thread waits for its turn for milliseconds. A low real-time
     * priority (best effort; the thread sleeps almost always) keeps it on
     * time without starving anything. */
    struct sched_param sp = {.sched_priority = 10};
    pthread_setschedparam(r->thread, SCHED_FIFO, &sp);
    return r;
}

static void
wake(struct relay *r)
{
    uint64_t one = 1;
    if (write(r->efd, &one, sizeof one) < 0)
        (void)0;
}

void
relay_free(struct relay *r)
{
    if (!r)
        return;
    if (r->running) {
        r->running = 0;
        wake(r);
        pthread_join(r->thread, NULL);
    }
    for (size_t k = 0; k < r->links.n; k++) {
        struct rlink *rl = r->links.v[k];
        for (int e = 0; e < 2; e++) {
            if (getenv("FOP4_RELAY_STATS"))
                fprintf(
                    stderr,
                    "relay %s dir %d: rx %llu tx %llu loss %llu queue %llu\n",
                    rl->link->end[0]->name, e, (unsigned long long)rl->d[e].rx,
                    (unsigned long long)rl->d[e].tx,
                    (unsigned long long)rl->d[e].dropped_loss,
                    (unsigned long long)rl->d[e].dropped_queue);
            dir_flush(&rl->d[e]);
            close(rl->d[e].in_fd);
        }
        free(rl);
    }
    VEC_FREE(&r->links);
    close(r->ep);
    close(r->tfd);
    close(r->efd);
    close(r->netns_fd);
    char name[96];
    snprintf(name, sizeof name, "%s--relay", r->net->prefix);
    netns_delete(name);
    pthread_mutex_destroy(&r->mu);
    free(r->buf);
    free(r);
}

int
relay_netns_fd(struct relay *r)
{
    return r->netns_fd;
}

static int
packet_socket(struct relay *r, int ifindex, struct err *err)
{
    int saved, rc = nl_ns_enter(r->netns_fd, &saved);
    if (rc < 0)
        return err_set(err, rc, "relay: cannot enter namespace: %s",
                       strerror(-rc));
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
                    htons(ETH_P_ALL));
    int e = errno;
    nl_ns_leave(saved);
    if (fd < 0)
        return err_set(err, -e, "relay: packet socket: %s", strerror(e));
    int one = 1;
    if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) < 0 ||
        setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) <
            0) {
        e = errno;
        close(fd);
        return err_set(err, -e, "relay: packet socket options: %s",
                       strerror(e));
    }
    int big = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big);
    struct sockaddr_ll sll = {.sll_family = AF_PACKET,
                              .sll_protocol = htons(ETH_P_ALL),
                              .sll_ifindex = ifindex};
    if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) {
        e = errno;
        close(fd);
        return err_set(err, -e, "relay: bind to port %d: %s", ifindex,
                       strerror(e));
    }
    return fd;
}

static void
set_dir_params(struct dir *d, const struct link_params *p)
{
    atomic_store(&d->delay_ns, (uint64_t)(p->delay_ms * 1e6));
    atomic_store(&d->jitter_ns, (uint64_t)(p->jitter_ms * 1e6));
    atomic_store(&d->loss_1e9, (uint32_t)(p->loss_pct * 1e7));
    atomic_store(&d->limit, p->max_queue > 0 ? (uint32_t)p->max_queue : 1000);
}

int
relay_add(struct relay *r, struct link *link, int ifindex_a, int ifindex_b,
          struct err *err)
{
    int fa = packet_socket(r, ifindex_a, err);
    if (fa < 0)
        return fa;
    int fb = packet_socket(r, ifindex_b, err);
    if (fb < 0) {
        close(fa);
        return fb;
    }
    struct rlink *rl = xcalloc(1, sizeof *rl);
    rl->link = link;
    rl->d[0].in_fd = fa;
    rl->d[0].out_fd = fb;
    rl->d[1].in_fd = fb;
    rl->d[1].out_fd = fa;
    set_dir_params(&rl->d[0], &link->params);
    set_dir_params(&rl->d[1], &link->params);
    pthread_mutex_lock(&r->mu);
    VEC_PUSH(&r->links, rl);
    for (int e = 0; e < 2; e++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &rl->d[e]};
        epoll_ctl(r->ep, EPOLL_CTL_ADD, rl->d[e].in_fd, &ev);
    }
    pthread_mutex_unlock(&r->mu);
    return 0;
}

static struct rlink *
find(struct relay *r, struct link *link)
{
    for (size_t k = 0; k < r->links.n; k++)
        if (r->links.v[k]->link == link && !r->links.v[k]->dead)
            return r->links.v[k];
    return NULL;
}

void
relay_set_params(struct relay *r, struct link *link)
{
    pthread_mutex_lock(&r->mu);
    struct rlink *rl = find(r, link);
    if (rl) {
        set_dir_params(&rl->d[0], &link->params);
        set_dir_params(&rl->d[1], &link->params);
    }
    pthread_mutex_unlock(&r->mu);
}

void
relay_del(struct relay *r, struct link *link)
{
    pthread_mutex_lock(&r->mu);
    struct rlink *rl = find(r, link);
    if (rl) {
        for (int e = 0; e < 2; e++)
            epoll_ctl(r->ep, EPOLL_CTL_DEL, rl->d[e].in_fd, NULL);
        rl->dead = 1;
    }
    pthread_mutex_unlock(&r->mu);
    wake(r);
}
