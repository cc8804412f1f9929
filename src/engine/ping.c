/* ping.c - net_ping(): Mininet's pingall/pingpair done all at once. One raw
 * ICMP socket per source node, opened inside the node's namespace, sends its
 * echo requests to every destination; one epoll loop collects the replies
 * (RTT from a timestamp carried in the payload). No process is forked, so 4032
 * probes on 64 hosts take about as long as the slowest reply. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/icmp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/net_impl.h"
#include "engine/nl.h"

struct probe_hdr {
    uint8_t type, code;
    uint16_t cksum, id, seq;
    uint64_t t_ns; /* send time */
    uint32_t pair; /* index into the result array */
    uint32_t magic;
};

#define PING_MAGIC 0xf0b4f0b4u

static uint16_t
cksum(const void *data, size_t n)
{
    const uint8_t *p = data;
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (uint32_t)(p[n - 1] << 8);
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return htons((uint16_t)~s);
}

static int
is_ping_target(const struct node *n)
{
    return !kind_is_switch(n->kind) && node_ip(n) != NULL;
}

struct pinger {
    struct node **v; /* participating nodes */
    size_t nv;
    int *fds; /* raw ICMP socket per node */
    struct ping_result *r;
    double *sum;
    size_t npairs, outstanding;
    uint16_t id;
    uint64_t timeout_ns;
    int ep;
};

/* Reads replies until 'until' (monotonic ns), or earlier once nothing is
 * outstanding when stop_early. */
static void
collect(struct pinger *pg, uint64_t until, int stop_early)
{
    for (;;) {
        uint64_t now = now_ns();
        if (now >= until || (stop_early && pg->outstanding == 0))
            return;
        struct epoll_event evs[64];
        int ne =
            epoll_wait(pg->ep, evs, 64, (int)((until - now) / 1000000) + 1);
        for (int q = 0; q < ne; q++) {
            size_t i = evs[q].data.u64;
            char buf[256];
            ssize_t len;
            while ((len = recv(pg->fds[i], buf, sizeof buf, 0)) > 0) {
                size_t ihl = (size_t)(buf[0] & 15) * 4;
                if ((size_t)len < ihl + sizeof(struct probe_hdr))
                    continue;
                struct probe_hdr h;
                memcpy(&h, buf + ihl, sizeof h);
                if (h.type != ICMP_ECHOREPLY || h.id != htons(pg->id) ||
                    h.magic != PING_MAGIC || h.pair >= pg->npairs ||
                    pg->r[h.pair].src != pg->v[i])
                    continue;
                uint64_t dt = now_ns() - h.t_ns;
                if (dt > pg->timeout_ns)
                    continue; /* too late: counted as lost */
                double ms = (double)dt / 1e6;
                struct ping_result *p = &pg->r[h.pair];
                p->received++;
                pg->sum[h.pair] += ms;
                if (p->rtt_min_ms < 0 || ms < p->rtt_min_ms)
                    p->rtt_min_ms = ms;
                if (ms > p->rtt_max_ms)
                    p->rtt_max_ms = ms;
                if (pg->outstanding)
                    pg->outstanding--;
            }
        }
    }
}

/* Sends one echo request for every pair; a retry (one probe per pair,
 * count 1) goes only to pairs without a reply and counts no new probe. */
static void
send_round(struct pinger *pg, const uint32_t *dst_addr, int round, int retry)
{
    size_t pi = 0;
    for (size_t i = 0; i < pg->nv; i++)
        for (size_t j = 0; j < pg->nv; j++) {
            if (i == j)
                continue;
            if (retry && pg->r[pi].received) {
                pi++;
                continue;
            }
            struct probe_hdr h = {
                .type = ICMP_ECHO,
                .id = htons(pg->id),
                .seq = htons((uint16_t)round),
                .t_ns = now_ns(),
                .pair = (uint32_t)pi,
                .magic = PING_MAGIC,
            };
            h.cksum = cksum(&h, sizeof h);
            struct sockaddr_in to = {.sin_family = AF_INET,
                                     .sin_addr.s_addr = dst_addr[j]};
            if (!retry) {
                pg->r[pi].sent++;
                pg->outstanding++;
            }
            sendto(pg->fds[i], &h, sizeof h, 0, (struct sockaddr *)&to,
                   sizeof to); /* a failed send is a lost probe */
            pi++;
        }
}

int
net_ping(struct net *net, struct node *const *nodes, size_t n, int count,
         int interval_ms, int timeout_ms, struct ping_result **res,
         size_t *nres, struct err *err)
{
    *res = NULL;
    *nres = 0;
    if (!net->running)
        return err_set(err, -ENOTCONN, "the network is not running");
    if (count <= 0)
        count = 1;
    if (timeout_ms <= 0)
        timeout_ms = 1000;
    if (interval_ms < 0)
        interval_ms = 0;
    struct pinger pg = {0};
    pg.ep = -1;
    pg.v = xcalloc(net->nodes.n + n + 1, sizeof *pg.v);
    if (nodes) {
        for (size_t i = 0; i < n; i++)
            pg.v[pg.nv++] = nodes[i];
    } else {
        for (size_t i = 0; i < net->nodes.n; i++)
            if (is_ping_target(net->nodes.v[i]))
                pg.v[pg.nv++] = net->nodes.v[i];
    }
    size_t nv = pg.nv;
    pg.npairs = nv * (nv ? nv - 1 : 0);
    pg.r = xcalloc(pg.npairs + 1, sizeof *pg.r);
    pg.fds = xcalloc(nv + 1, sizeof *pg.fds);
    pg.sum = xcalloc(pg.npairs + 1, sizeof *pg.sum);
    pg.timeout_ns = (uint64_t)timeout_ms * 1000000u;
    uint32_t *dst_addr = xcalloc(nv + 1, sizeof *dst_addr);
    int rc = 0;
    for (size_t i = 0; i < nv; i++)
        pg.fds[i] = -1;
    for (size_t i = 0; i < nv; i++) {
        const char *ip = node_ip(pg.v[i]);
        if (!ip || pg.v[i]->netns_fd < 0) {
            rc = err_set(err, -EINVAL, "node '%s' %s", pg.v[i]->name,
                         ip ? "is not running" : "has no IP address");
            goto out;
        }
        struct in_addr a;
        inet_pton(AF_INET, ip, &a);
        dst_addr[i] = a.s_addr;
    }
    size_t k = 0;
    for (size_t i = 0; i < nv; i++)
        for (size_t j = 0; j < nv; j++) {
            if (i == j)
                continue;
            pg.r[k].src = pg.v[i];
            pg.r[k].dst = pg.v[j];
            pg.r[k].rtt_min_ms = pg.r[k].rtt_avg_ms = pg.r[k].rtt_max_ms = -1;
            k++;
        }
    pg.ep = epoll_create1(EPOLL_CLOEXEC);
    if (pg.ep < 0) {
        rc = err_set(err, -errno, "epoll: %s", strerror(errno));
        goto out;
    }
    for (size_t i = 0; i < nv; i++) {
        int saved;
        if ((rc = nl_ns_enter(pg.v[i]->netns_fd, &saved)) < 0) {
            err_set(err, rc, "node '%s': cannot enter namespace: %s",
                    pg.v[i]->name, strerror(-rc));
            goto out;
        }
        pg.fds[i] = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
                           IPPROTO_ICMP);
        int e = errno;
        nl_ns_leave(saved);
        if (pg.fds[i] < 0) {
            rc = err_set(err, -e, "node '%s': raw ICMP socket: %s",
                         pg.v[i]->name, strerror(e));
            goto out;
        }
        struct icmp_filter filt = {~(1u << ICMP_ECHOREPLY)};
        setsockopt(pg.fds[i], SOL_RAW, ICMP_FILTER, &filt, sizeof filt);
        int big = 1 << 20;
        setsockopt(pg.fds[i], SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
        struct epoll_event ev = {.events = EPOLLIN, .data.u64 = i};
        epoll_ctl(pg.ep, EPOLL_CTL_ADD, pg.fds[i], &ev);
    }
    pg.id = (uint16_t)(getpid() ^ (uintptr_t)pg.r);
    uint64_t start = now_ns();
    for (int round = 0; round < count; round++) {
        collect(&pg, start + (uint64_t)round * interval_ms * 1000000u, 0);
        send_round(&pg, dst_addr, round, 0);
    }
    if (count == 1) {
        /* One probe per pair (pingall): a pair still silent after half the
         * timeout gets its probe again, as ARP would retry, so that a first
         * frame lost while a just-added link settles is not reported as
         * loss. Statistics with count > 1 never retry. */
        uint64_t t = now_ns();
        collect(&pg, t + pg.timeout_ns / 2, 1);
        if (pg.outstanding)
            send_round(&pg, dst_addr, 0, 1);
        collect(&pg, t + pg.timeout_ns, 1);
    } else {
        collect(&pg, now_ns() + pg.timeout_ns, 1);
    }
    int lossy = 0;
    for (size_t p = 0; p < pg.npairs; p++) {
        if (pg.r[p].received > pg.r[p].sent)
            pg.r[p].received = pg.r[p].sent; /* duplicates */
        if (pg.r[p].received)
            pg.r[p].rtt_avg_ms = pg.sum[p] / pg.r[p].received;
        lossy += pg.r[p].received < pg.r[p].sent;
    }
    *res = pg.r;
    *nres = pg.npairs;
    pg.r = NULL;
    rc = lossy;
out:
    if (pg.ep >= 0)
        close(pg.ep);
    for (size_t i = 0; i < nv; i++)
        if (pg.fds[i] >= 0)
            close(pg.fds[i]);
    free(pg.fds);
    free(dst_addr);
    free(pg.sum);
    free(pg.r);
    free(pg.v);
    return rc;
}
