/* examples/api/lab.c - a network built with the engine's C API: two hosts
 * behind a switch, one link with Mininet-style emulation (10 Mbit/s, 5 ms
 * delay each way), a pingall, a command run inside a host, a link taken down
 * and a host added while the network runs.
 *
 *   make                                    (builds build/lib/libfop4.a)
 *   cc -Iinclude examples/api/lab.c build/lib/libfop4.a \
 *      -ljansson -lyaml -lmnl -lcurl -lpthread -lm -o lab
 *   sudo ./lab
 */
#include <stdio.h>
#include <stdlib.h>

#include <fop4/net.h>

static int
report(struct net *net, int rc, const struct err *e)
{
    if (rc < 0) {
        fprintf(stderr, "lab: %s\n", e->msg);
        net_free(net);
        exit(1);
    }
    return rc;
}

static void
pingall(struct net *net)
{
    struct err e = {0};
    struct ping_result *r;
    size_t n;
    int lossy = report(net, net_ping(net, NULL, 0, 1, 0, 1000, &r, &n, &e), &e);
    for (size_t i = 0; i < n; i++)
        printf("  %s -> %s: %s (%.2f ms)\n", node_name(r[i].src),
               node_name(r[i].dst), r[i].received ? "ok" : "LOST",
               r[i].rtt_avg_ms);
    printf("pingall: %zu pairs, %d with loss\n", n, lossy);
    free(r);
}

int
main(void)
{
    struct err e = {0};
    struct net_opts opts = {.prefix = "fop4lab"};
    struct net *net = net_new(&opts);
    struct link_params slow = {.bw_mbit = 10, .delay_ms = 5};

    if (!net_add_host(net, "h1", NULL, &e) ||
        !net_add_host(net, "h2", NULL, &e) ||
        !net_add_node(net, "s1", NODE_BRIDGE, NULL, &e) ||
        !net_add_link(net, "h1", "s1", NULL, NULL, NULL, &e) ||
        !net_add_link(net, "h2", "s1", &slow, NULL, NULL, &e))
        report(net, -1, &e);
    report(net, net_start(net, &e), &e);
    pingall(net);

    char *out = NULL;
    int st = report(net,
                    node_exec(net_get_node(net, "h1"),
                              "ip -br addr show h1-eth0", &out, &e),
                    &e);
    printf("h1$ ip -br addr (exit %d)\n%s", st, out);
    free(out);

    /* Runtime changes: a third host, then h2's link down. */
    if (!net_add_host(net, "h3", NULL, &e) ||
        !net_add_link(net, "h3", "s1", NULL, NULL, NULL, &e))
        report(net, -1, &e);
    report(net, net_link_set_up(net, "h2", "s1", 0, &e), &e);
    pingall(net);

    net_free(net); /* stops the network, removes everything */
    return 0;
}
