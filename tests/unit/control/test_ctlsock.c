/* test_ctlsock.c - the control socket (ctlsock.h) over real TCP: the line
 * protocol and BMv2's Thrift RPC on one port, told apart by the first byte;
 * a request that stays incomplete is dropped after the timeout, one that
 * arrives slowly but completely is served. Needs the shared corpus
 * (simple_router.json); prints SKIP without it. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control/cli.h"
#include "control/ctlsock.h"
#include "control/thrift_impl.h"
#include "lib/log.h"
#include "lib/util.h"
#include "switch/sw.h"
#include "test.h"

static struct sw *sw;
static struct cli *cli;
static struct ctlsock *srv;
static int port;

static int
free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    socklen_t l = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &l) < 0)
        return -1;
    close(fd);
    return ntohs(a.sin_port);
}

/* Waits up to ms for fd to become readable; returns recv()'s result (0:
 * closed) or -2 on timeout. */
static long
recv_wait(int fd, void *buf, size_t cap, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, ms) <= 0)
        return -2;
    return (long)recv(fd, buf, cap, 0);
}

static void
num_entries_msg(struct strbuf *o)
{
    tw_msg_begin(o, "standard:bm_mt_get_num_entries", TM_CALL, 5);
    tw_f_i32(o, 1, 0);
    tw_f_str(o, 2, "ipv4_lpm");
    tw_stop(o);
}

/* Reads one Thrift reply from fd (within 3 s) and returns its field 0 as an
 * integer, or -1. */
static long long
read_reply(int fd)
{
    struct strbuf in = STRBUF_INIT;
    char buf[4096];
    long long v = -1;
    for (;;) {
        long n = recv_wait(fd, buf, sizeof buf, 3000);
        if (n <= 0)
            break;
        strbuf_add(&in, buf, (size_t)n);
        struct tmsg m;
        long r = tmsg_decode((const uint8_t *)in.s, in.len, &m, NULL, 0);
        if (r < 0)
            break;
        if (r > 0) {
            const struct tval *f = tv_field(&m.args, 0, TT_I64);
            v = f ? f->i : -1;
            tmsg_destroy(&m);
            break;
        }
    }
    strbuf_destroy(&in);
    return v;
}

static void
test_both_protocols(void)
{
    int fd = ctlsock_connect("127.0.0.1", port);
    CHECK(fd >= 0);
    struct strbuf out = STRBUF_INIT;
    CHECK_INT(ctlsock_request(fd, "table_num_entries ipv4_lpm", &out), 0);
    CHECK(strstr(strbuf_str(&out), "0") != NULL);
    strbuf_destroy(&out);
    close(fd);

    fd = ctlsock_connect("127.0.0.1", port);
    struct strbuf msg = STRBUF_INIT;
    num_entries_msg(&msg);
    CHECK(send(fd, msg.s, msg.len, 0) == (ssize_t)msg.len);
    CHECK_INT(read_reply(fd), 0);
    /* slowly, in two pieces: still one call */
    CHECK(send(fd, msg.s, 7, 0) == 7);
    usleep(100 * 1000);
    CHECK(send(fd, msg.s + 7, msg.len - 7, 0) == (ssize_t)(msg.len - 7));
    CHECK_INT(read_reply(fd), 0);
    strbuf_destroy(&msg);
    close(fd);
}

static void
test_incomplete_dropped(void)
{
    ctlsock_set_partial_timeout(srv, 300);
    struct strbuf msg = STRBUF_INIT;
    num_entries_msg(&msg);
    int ft = ctlsock_connect("127.0.0.1", port);
    int fl = ctlsock_connect("127.0.0.1", port);
    uint64_t t0 = now_ns();
    CHECK(send(ft, msg.s, 10, 0) == 10);
    CHECK(send(fl, "table_num_ent", 13, 0) == 13);
    char buf[64];
    CHECK_INT(recv_wait(ft, buf, sizeof buf, 5000), 0);
    CHECK_INT(recv_wait(fl, buf, sizeof buf, 5000), 0);
    uint64_t ms = (now_ns() - t0) / 1000000u;
    CHECK(ms >= 250 && ms < 5000);
    close(ft);
    close(fl);
    /* an idle connection without a pending request stays */
    int fi = ctlsock_connect("127.0.0.1", port);
    CHECK_INT(recv_wait(fi, buf, sizeof buf, 800), -2);
    struct strbuf out = STRBUF_INIT;
    CHECK_INT(ctlsock_request(fi, "table_num_entries ipv4_lpm", &out), 0);
    strbuf_destroy(&out);
    close(fi);
    strbuf_destroy(&msg);
}

int
main(void)
{
    const char *s = getenv("FOP4_SHARED");
    char path[700];
    snprintf(path, sizeof path, "%s/corpus/bmv2/mininet/simple_router.json",
             s ? s : "../shared");
    if (access(path, R_OK) != 0) {
        printf("SKIP: test_ctlsock (no %s)\n", path);
        return 77;
    }
    log_min_level = LOG_ERROR;
    struct err e = {0};
    sw = sw_new(path, NULL, &e);
    cli = cli_new(sw);
    for (int tries = 0; tries < 5 && !srv; tries++) {
        port = free_port();
        srv = port > 0 ? ctlsock_start(cli, port, &e) : NULL;
    }
    if (!srv) {
        printf("FAIL: test_ctlsock: cannot listen: %s\n", e.msg);
        return 1;
    }
    RUN_TEST(test_both_protocols);
    RUN_TEST(test_incomplete_dropped);
    ctlsock_stop(srv);
    cli_free(cli);
    sw_free(sw);
    TEST_EXIT();
}
