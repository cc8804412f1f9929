/* bench/docker_up.c - brings up N Docker containers (fop4/busybox), each linked
 * to one bridge, through the C API (libfop4), and prints how long bring-up,
 * a pingall among them and teardown take. Run by bench/docker.sh.
 *
 *     docker_up [N] [PREFIX]      (default 20, "fop4b<pid>") */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "engine/docker.h"
#include "fop4/net.h"
#include "lib/err.h"
#include "lib/util.h"

int
main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20;
    char pfx[32];
    snprintf(pfx, sizeof pfx, "%s", argc > 2 ? argv[2] : "");
    if (!*pfx)
        snprintf(pfx, sizeof pfx, "fop4b%d", (int)getpid() % 100000);
    struct err e = {0};
    struct net_opts o = {.prefix = pfx};
    struct net *net = net_new(&o);
    struct node_params p = {.docker = {.image = "fop4/busybox"}};
    if (!net_add_node(net, "s1", NODE_BRIDGE, NULL, &e))
        goto fail;
    for (int i = 1; i <= n; i++) {
        char name[16];
        snprintf(name, sizeof name, "d%d", i);
        if (!net_add_node(net, name, NODE_DOCKER, &p, &e) ||
            !net_add_link(net, name, "s1", NULL, NULL, NULL, &e))
            goto fail;
    }
    uint64_t t0 = now_ns();
    if (net_start(net, &e) < 0)
        goto fail;
    uint64_t t1 = now_ns();
    struct ping_result *res = NULL;
    size_t nres = 0;
    int bad = net_ping(net, NULL, 0, 1, 0, 2000, &res, &nres, &e);
    uint64_t t2 = now_ns();
    free(res);
    net_stop(net, NULL);
    uint64_t t3 = now_ns();
    printf("docker: %d containers with their links up in %.2f s%s, %.0f ms "
           "per container\n",
           n, (t1 - t0) / 1e9, n == 20 ? " (target <= 5 s)" : "",
           (t1 - t0) / 1e6 / n);
    printf("docker: pingall among %d containers (%zu pairs): %.2f s, %d pairs "
           "with loss\n",
           n, nres, (t2 - t1) / 1e9, bad);
    printf("docker: teardown of %d containers in %.2f s\n", n, (t3 - t2) / 1e9);
    net_free(net);
    return bad == 0 ? 0 : 1;
fail:
    fprintf(stderr, "fop4: %s\n", e.msg);
    net_free(net);
    docker_clean(pfx, 0, NULL);
    return 1;
}
