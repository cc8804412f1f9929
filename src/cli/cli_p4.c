/* cli_p4.c - `p4 SWITCH COMMAND...`: one runtime command (simple_switch_CLI's
 * language: table_add, table_dump, counter_read, ...) sent to a P4 switch of
 * the running network, with its output, as simple_switch_CLI would print it.
 *
 * The switch serves its control port (thrift_port) inside its own network
 * namespace, so the connection is made from a short-lived thread that enters
 * that namespace (setns() changes only the calling thread's namespace); the
 * socket keeps working from the main thread afterwards. The wire protocol is
 * control/ctlsock.h's: one command per line, the output ends with a NUL. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "engine/kind.h"
#include "lib/strbuf.h"

struct conn {
    const char *netns; /* "fop4-s1" (under /run/netns) or a path */
    int port;
    int fd;  /* result: connected socket */
    int err; /* result: errno on failure */
};

static void *
connect_in_netns(void *arg)
{
    struct conn *c = arg;
    char path[256];
    if (c->netns[0] == '/')
        snprintf(path, sizeof path, "%s", c->netns);
    else
        snprintf(path, sizeof path, "/run/netns/%s", c->netns);
    int ns = open(path, O_RDONLY | O_CLOEXEC);
    if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) {
        c->err = errno;
        if (ns >= 0)
            close(ns);
        return NULL;
    }
    close(ns);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)c->port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        c->err = errno;
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    c->fd = fd;
    return NULL;
}

/* The control port of a P4 switch: its thrift_port, else 9090 + its index
 * among switches (s1 -> 9090), as net.h documents the default. */
static int
control_port(const struct node *n)
{
    if (n->params.p4.thrift_port > 0)
        return n->params.p4.thrift_port;
    return 9090 + (n->num > 0 ? n->num - 1 : 0);
}

int
cmd_p4(struct cli *cli, int argc, char **argv)
{
    struct node *n = cli_node(cli, argv[1]);
    if (!n)
        return CLI_FAIL;
    if (node_kind(n) != NODE_P4SWITCH)
        return cli_error(cli, "p4: '%s' is a %s, not a p4switch", argv[1],
                         node_kind_name(node_kind(n)));
    const char *cmd = cli->rest + strlen(argv[1]);
    cmd += strspn(cmd, " \t");
    struct conn c = {.netns = node_netns(n), .port = control_port(n), .fd = -1};
    if (!c.netns || !*c.netns)
        return cli_error(cli, "p4: '%s' is not running", argv[1]);
    pthread_t th;
    if (pthread_create(&th, NULL, connect_in_netns, &c) != 0)
        return cli_error(cli, "p4: cannot start a thread");
    pthread_join(th, NULL);
    if (c.fd < 0)
        return cli_error(cli,
                         "p4: cannot reach the control port %d of '%s': "
                         "%s",
                         c.port, argv[1], strerror(c.err));
    struct timeval tv = {.tv_sec = 30};
    setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char *line = xasprintf("%s\n", cmd);
    size_t len = strlen(line), off = 0;
    int rc = CLI_OK;
    while (off < len) {
        ssize_t w = send(c.fd, line + off, len - off, MSG_NOSIGNAL);
        if (w <= 0) {
            rc = cli_error(cli, "p4: %s closed the connection", argv[1]);
            break;
        }
        off += (size_t)w;
    }
    free(line);
    struct strbuf out = STRBUF_INIT;
    while (rc == CLI_OK) {
        char buf[4096];
        ssize_t r = recv(c.fd, buf, sizeof buf, 0);
        if (r <= 0) {
            rc = cli_error(cli, "p4: no answer from %s (%s)", argv[1],
                           r < 0 ? strerror(errno) : "connection closed");
            break;
        }
        char *nul = memchr(buf, '\0', (size_t)r);
        strbuf_add(&out, buf, nul ? (size_t)(nul - buf) : (size_t)r);
        if (nul)
            break;
    }
    close(c.fd);
    fputs(strbuf_str(&out), stdout);
    if (out.len && out.s[out.len - 1] != '\n')
        putchar('\n');
    strbuf_destroy(&out);
    return rc;
}
