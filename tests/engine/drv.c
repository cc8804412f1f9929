/* drv.c - a line-driven driver of the engine's C API for the engine's tests
 * and benchmarks (compiled by them against libfop4.a). Reads commands from
 * stdin, answers each with "ok ..." or "error: ..." on stdout:
 *
 *   prefix P                  (before anything else) name prefix
 *   staticarp                 (before anything else) net_opts.static_arp
 *   topo SPEC                 Mininet topology (single,N linear,N tree,D,F)
 *   node NAME KIND [ip=A] [route=via X]
 *                             add a node (host router bridge docker ...)
 *   link A B [bw=M] [delay=MS] [jitter=MS] [loss=PCT] [queue=N]
 *   start | stop | free
 *   pingall [count] [interval_ms] [timeout_ms]
 *                             prints "ok pairs=N lossy=M sent=S received=R
 *                             time=SEC"
 *   ping A B                  one pair
 *   exec NODE CMD...          prints the output, then "ok status=N"
 *   up A B | down A B         link state
 *   set A B key=val...        new link parameters
 *   delnode NAME | dellink A B
 *   time                      prints seconds since the last 'time'
 *   hold                      sleeps until killed (kill -9 tests)
 *   clean                     net_clean(prefix), verbose
 *   quit
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fop4/net.h"
#include "lib/err.h"
#include "lib/util.h"

static int
parse_params(char **tok, int n, struct link_params *p)
{
    memset(p, 0, sizeof *p);
    for (int i = 0; i < n; i++) {
        char *eq = strchr(tok[i], '=');
        if (!eq)
            return -1;
        *eq = 0;
        double v = atof(eq + 1);
        if (!strcmp(tok[i], "bw"))
            p->bw_mbit = v;
        else if (!strcmp(tok[i], "delay"))
            p->delay_ms = v;
        else if (!strcmp(tok[i], "jitter"))
            p->jitter_ms = v;
        else if (!strcmp(tok[i], "loss"))
            p->loss_pct = v;
        else if (!strcmp(tok[i], "queue"))
            p->max_queue = (int)v;
        else
            return -1;
    }
    return 0;
}

int
main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct net *net = NULL;
    struct net_opts opts = {0};
    char prefix[64] = "fop4";
    char line[4096];
    uint64_t tmark = now_ns();
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        char copy[4096];
        snprintf(copy, sizeof copy, "%s", line);
        char *tok[64];
        int n = 0;
        for (char *s = strtok(copy, " "); s && n < 64; s = strtok(NULL, " "))
            tok[n++] = s;
        if (!n || tok[0][0] == '#')
            continue;
        struct err e = {0};
        int rc = 0;
        if (!strcmp(tok[0], "prefix") && n == 2) {
            snprintf(prefix, sizeof prefix, "%s", tok[1]);
            continue;
        }
        if (!strcmp(tok[0], "staticarp") && !net) {
            opts.static_arp = 1;
            continue;
        }
        if (!net) {
            opts.prefix = prefix;
            net = net_new(&opts);
        }
        const char *cmd = tok[0];
        if (!strcmp(cmd, "topo") && n == 2) {
            rc = net_build_topo(net, tok[1], &e);
        } else if (!strcmp(cmd, "node") && n >= 3) {
            struct node_params np = {0};
            for (int i = 3; i < n; i++) {
                if (!strncmp(tok[i], "ip=", 3))
                    np.ip = tok[i] + 3;
                else if (!strcmp(tok[i], "route=via") && i + 1 < n)
                    np.defaultroute = line + (tok[i] - copy) + 6, i = n;
            }
            int k = node_kind_parse(tok[2]);
            if (k < 0)
                rc = err_set(&e, -1, "unknown kind '%s'", tok[2]);
            else if (!net_add_node(net, tok[1], k, &np, &e))
                rc = -1;
        } else if (!strcmp(cmd, "link") && n >= 3) {
            struct link_params p;
            if (parse_params(tok + 3, n - 3, &p) < 0)
                rc = err_set(&e, -1, "bad link parameters");
            else if (!net_add_link(net, tok[1], tok[2], &p, NULL, NULL, &e))
                rc = -1;
        } else if (!strcmp(cmd, "start")) {
            rc = net_start(net, &e);
        } else if (!strcmp(cmd, "stop")) {
            rc = net_stop(net, &e);
        } else if (!strcmp(cmd, "pingall") ||
                   (!strcmp(cmd, "ping") && n == 3)) {
            struct ping_result *r;
            size_t nr;
            uint64_t t0 = now_ns();
            struct node *pair[2];
            int is_pair = !strcmp(cmd, "ping");
            if (is_pair) {
                pair[0] = net_get_node(net, tok[1]);
                pair[1] = net_get_node(net, tok[2]);
                if (!pair[0] || !pair[1]) {
                    printf("error: no such node\n");
                    continue;
                }
            }
            int count = !is_pair && n > 1 ? atoi(tok[1]) : 1;
            int interval = !is_pair && n > 2 ? atoi(tok[2]) : 0;
            int timeout = !is_pair && n > 3 ? atoi(tok[3]) : 2000;
            rc = net_ping(net, is_pair ? pair : NULL, is_pair ? 2 : 0, count,
                          interval, timeout, &r, &nr, &e);
            if (rc >= 0) {
                long sent = 0, recv = 0;
                for (size_t i = 0; i < nr; i++) {
                    sent += r[i].sent;
                    recv += r[i].received;
                    if (r[i].received < r[i].sent && getenv("DRV_VERBOSE"))
                        printf("  lost %s -> %s\n", node_name(r[i].src),
                               node_name(r[i].dst));
                }
                printf("ok pairs=%zu lossy=%d sent=%ld received=%ld "
                       "time=%.3f\n",
                       nr, rc, sent, recv, (now_ns() - t0) / 1e9);
                free(r);
                continue;
            }
        } else if (!strcmp(cmd, "exec") && n >= 3) {
            struct node *node = net_get_node(net, tok[1]);
            if (!node) {
                printf("error: no node %s\n", tok[1]);
                continue;
            }
            const char *c = line + (tok[2] - copy);
            char *out = NULL;
            int st = node_exec(node, c, &out, &e);
            if (st >= 0) {
                fputs(out ? out : "", stdout);
                printf("ok status=%d\n", st);
                free(out);
                continue;
            }
            rc = st;
        } else if ((!strcmp(cmd, "up") || !strcmp(cmd, "down")) && n == 3) {
            rc = net_link_set_up(net, tok[1], tok[2], !strcmp(cmd, "up"), &e);
        } else if (!strcmp(cmd, "set") && n >= 3) {
            struct link_params p;
            if (parse_params(tok + 3, n - 3, &p) < 0)
                rc = err_set(&e, -1, "bad link parameters");
            else
                rc = net_link_set_params(net, tok[1], tok[2], &p, &e);
        } else if (!strcmp(cmd, "delnode") && n == 2) {
            rc = net_del_node(net, tok[1], &e);
        } else if (!strcmp(cmd, "dellink") && n == 3) {
            rc = net_del_link(net, tok[1], tok[2], &e);
        } else if (!strcmp(cmd, "time")) {
            uint64_t t = now_ns();
            printf("ok time=%.3f\n", (t - tmark) / 1e9);
            tmark = t;
            continue;
        } else if (!strcmp(cmd, "hold")) {
            printf("ok holding\n");
            for (;;)
                pause();
        } else if (!strcmp(cmd, "clean")) {
            rc = net_clean(prefix, 1, &e);
            if (rc >= 0) {
                printf("ok removed=%d\n", rc);
                continue;
            }
        } else if (!strcmp(cmd, "free")) {
            net_free(net);
            net = NULL;
        } else if (!strcmp(cmd, "quit")) {
            break;
        } else {
            rc = err_set(&e, -1, "unknown command '%s'", line);
        }
        if (rc < 0)
            printf("error: %s\n", e.msg);
        else
            printf("ok\n");
    }
    net_free(net);
    return 0;
}
