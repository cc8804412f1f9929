/* ctlsock.c - the control socket server (one poll() thread) and its client
 * helpers (see ctlsock.h). A connection whose first byte is 0x80 (or 0x00,
 * Thrift's older non-strict form) speaks BMv2's Thrift RPC (thrift.h); any
 * other speaks our line protocol. */
#include "control/ctlsock.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control/thrift.h"
#include "lib/log.h"
#include "lib/util.h"
#include "lib/vec.h"

#define MAX_LINE (1 << 20)
#define MAX_CLIENTS 64

enum client_mode { MODE_UNKNOWN, MODE_TEXT, MODE_THRIFT };

struct client {
    int fd;
    enum client_mode mode;
    struct strbuf in;
    uint64_t partial_ns; /* last bytes of a request still incomplete, or 0 */
};

#define PARTIAL_TIMEOUT_MS 30000

struct ctlsock {
    struct cli *cli;
    unsigned partial_ms; /* atomic: set from any thread */
    int lfd;
    int stop_fd;
    pthread_t thr;
    VEC(struct client *) clients;
};

static int
write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                struct pollfd pf = {fd, POLLOUT, 0};
                if (poll(&pf, 1, 5000) <= 0)
                    return -EIO;
                continue;
            }
            return -errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void
client_free(struct client *c)
{
    close(c->fd);
    strbuf_destroy(&c->in);
    free(c);
}

/* Serves every complete Thrift message in c's buffer; -1 drops the client. */
static int
serve_thrift(struct ctlsock *s, struct client *c)
{
    struct strbuf out = STRBUF_INIT;
    size_t used = 0;
    int rc =
        thrift_serve(s->cli, (const uint8_t *)c->in.s, c->in.len, &used, &out);
    if (out.len && write_all(c->fd, out.s, out.len) < 0)
        rc = -1;
    strbuf_destroy(&out);
    if (used) {
        memmove(c->in.s, c->in.s + used, c->in.len - used);
        c->in.len -= used;
    }
    if (c->in.len > THRIFT_MAX_MSG) {
        LOG(LOG_WARN,
            "thrift: message larger than %u bytes, closing the "
            "connection",
            THRIFT_MAX_MSG);
        rc = -1;
    }
    return rc;
}

/* Runs every complete line (or Thrift message) in c's buffer; returns -1 to
 * drop the client. */
static int
serve(struct ctlsock *s, struct client *c)
{
    char buf[65536];
    ssize_t n = recv(c->fd, buf, sizeof buf, 0);
    if (n == 0)
        return -1;
    if (n < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -1;
    strbuf_add(&c->in, buf, (size_t)n);
    if (c->mode == MODE_UNKNOWN) {
        uint8_t b = (uint8_t)c->in.s[0];
        c->mode = b == THRIFT_FIRST_BYTE || b == THRIFT_FIRST_BYTE_OLD
                      ? MODE_THRIFT
                      : MODE_TEXT;
    }
    if (c->mode == MODE_THRIFT)
        return serve_thrift(s, c);
    size_t off = 0;
    struct strbuf out = STRBUF_INIT;
    int rc = 0;
    for (;;) {
        char *nl = memchr(c->in.s + off, '\n', c->in.len - off);
        if (!nl)
            break;
        *nl = '\0';
        const char *line = c->in.s + off;
        off = (size_t)(nl - c->in.s) + 1;
        strbuf_reset(&out);
        LOG(LOG_DEBUG, "control: %s", line);
        cli_exec(s->cli, line, &out);
        if (write_all(c->fd, strbuf_str(&out), out.len) < 0 ||
            write_all(c->fd, "", 1) < 0) {
            rc = -1;
            break;
        }
    }
    strbuf_destroy(&out);
    if (off) {
        memmove(c->in.s, c->in.s + off, c->in.len - off);
        c->in.len -= off;
        c->in.s[c->in.len] = '\0';
    }
    if (c->in.len > MAX_LINE) {
        const char msg[] = "Error: command line too long\n";
        write_all(c->fd, msg, sizeof msg); /* includes the NUL */
        return -1;
    }
    return rc;
}

static void *
server_main(void *arg)
{
    struct ctlsock *s = arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    for (;;) {
        size_t n = 2 + s->clients.n;
        struct pollfd *pf = xcalloc(n, sizeof *pf);
        pf[0] = (struct pollfd){s->stop_fd, POLLIN, 0};
        pf[1] = (struct pollfd){s->lfd, POLLIN, 0};
        /* wake up in time to drop a client whose request stays incomplete */
        uint64_t now = now_ns(), limit = (uint64_t)__atomic_load_n(
                                             &s->partial_ms, __ATOMIC_RELAXED) *
                                         1000000u;
        int timeout = -1;
        for (size_t i = 0; i < s->clients.n; i++) {
            struct client *c = s->clients.v[i];
            pf[2 + i] = (struct pollfd){c->fd, POLLIN, 0};
            if (c->partial_ns) {
                uint64_t end = c->partial_ns + limit;
                int left = end > now ? (int)((end - now) / 1000000u) + 1 : 0;
                timeout = timeout < 0 ? left : MIN(timeout, left);
            }
        }
        int rc = poll(pf, n, timeout);
        if (rc < 0 && errno != EINTR) {
            free(pf);
            break;
        }
        if (pf[0].revents) {
            free(pf);
            break;
        }
        /* clients first: indices shift when one leaves */
        now = now_ns();
        for (size_t i = s->clients.n; i-- > 0;) {
            struct client *c = s->clients.v[i];
            int drop = 0;
            if (pf[2 + i].revents) {
                drop = serve(s, c) < 0;
                c->partial_ns = c->in.len ? now : 0;
            } else if (c->partial_ns && now - c->partial_ns >= limit) {
                LOG(LOG_WARN,
                    "control: closing a connection whose request stayed "
                    "incomplete for %llu ms",
                    (unsigned long long)(limit / 1000000u));
                drop = 1;
            }
            if (drop) {
                client_free(s->clients.v[i]);
                memmove(&s->clients.v[i], &s->clients.v[i + 1],
                        (s->clients.n - i - 1) * sizeof *s->clients.v);
                s->clients.n--;
            }
        }
        if (pf[1].revents & POLLIN) {
            int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (fd >= 0) {
                if (s->clients.n >= MAX_CLIENTS) {
                    close(fd);
                } else {
                    int one = 1;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct client *c = xcalloc(1, sizeof *c);
                    c->fd = fd;
                    VEC_PUSH(&s->clients, c);
                }
            }
        }
        free(pf);
    }
    return NULL;
}

struct ctlsock *
ctlsock_start(struct cli *cli, int port, struct err *e)
{
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int v6 = fd >= 0;
    if (fd < 0)
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        err_set(e, -errno, "control socket: %s", strerror(errno));
        return NULL;
    }
    int one = 1, zero = 0;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    int rc;
    if (v6) {
        /* one socket for IPv4 and IPv6 ("localhost" may resolve to either) */
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        struct sockaddr_in6 a = {0};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons((uint16_t)port);
        a.sin6_addr = in6addr_any;
        rc = bind(fd, (struct sockaddr *)&a, sizeof a);
    } else {
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons((uint16_t)port);
        a.sin_addr.s_addr = htonl(INADDR_ANY);
        rc = bind(fd, (struct sockaddr *)&a, sizeof a);
    }
    if (rc < 0 || listen(fd, 16) < 0) {
        err_set(e, -errno, "cannot listen on TCP port %d: %s%s", port,
                strerror(errno),
                errno == EADDRINUSE
                    ? " (another switch uses it? pick another --thrift-port)"
                    : "");
        close(fd);
        return NULL;
    }
    struct ctlsock *s = xcalloc(1, sizeof *s);
    s->cli = cli;
    s->partial_ms = PARTIAL_TIMEOUT_MS;
    s->lfd = fd;
    s->stop_fd = eventfd(0, EFD_CLOEXEC);
    if (pthread_create(&s->thr, NULL, server_main, s) != 0) {
        err_set(e, -EAGAIN, "cannot start the control thread");
        close(s->stop_fd);
        close(fd);
        free(s);
        return NULL;
    }
    return s;
}

void
ctlsock_set_partial_timeout(struct ctlsock *s, unsigned ms)
{
    /* the thread reads it at its next event (a new connection, bytes) */
    __atomic_store_n(&s->partial_ms, ms, __ATOMIC_RELAXED);
}

void
ctlsock_stop(struct ctlsock *s)
{
    if (!s)
        return;
    uint64_t one = 1;
    if (write(s->stop_fd, &one, sizeof one) < 0) {
        /* cannot happen with a fresh eventfd */
    }
    pthread_join(s->thr, NULL);
    for (size_t i = 0; i < s->clients.n; i++)
        client_free(s->clients.v[i]);
    VEC_FREE(&s->clients);
    close(s->lfd);
    close(s->stop_fd);
    free(s);
}

int
ctlsock_connect(const char *host, int port)
{
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, ps, &hints, &res) != 0)
        return -EHOSTUNREACH;
    int rc = -ECONNREFUSED;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        int fd =
            socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            rc = fd;
            break;
        }
        rc = -errno;
        close(fd);
    }
    freeaddrinfo(res);
    return rc;
}

int
ctlsock_request(int fd, const char *line, struct strbuf *out)
{
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    if (memchr(line, '\n', n))
        return -EINVAL;
    int rc = write_all(fd, line, n);
    if (rc == 0)
        rc = write_all(fd, "\n", 1);
    if (rc < 0)
        return -ECONNRESET;
    char buf[65536];
    for (;;) {
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r == 0)
            return -ECONNRESET;
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -ECONNRESET;
        }
        char *nul = memchr(buf, '\0', (size_t)r);
        if (nul) {
            strbuf_add(out, buf, (size_t)(nul - buf));
            return 0; /* one request at a time: nothing follows the NUL */
        }
        strbuf_add(out, buf, (size_t)r);
    }
}
