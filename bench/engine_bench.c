/* engine_bench.c - bring-up and teardown of Mininet-style topologies through
 * the engine's C API, pingall time, memory per host. Built and run by
 * bench/engine.sh; prints one line per run:
 *
 *   topo hosts nodes up_s stop_s settled_s kib_per_host [ping_s lost/sent]
 *
 * stop_s is when net_stop() returns (namespaces unmounted, processes gone);
 * the kernel frees the namespaces and their veths afterwards in its own
 * worker: settled_s is when the kernel's count of network namespaces
 * (net_namespace slab in /proc/slabinfo) is back to what it was (-1: not
 * within 30 s; the count is machine-wide, so namespaces others create at the
 * same time delay it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fop4/net.h"
#include "lib/err.h"
#include "lib/util.h"

static long
meminfo(const char *key)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    long v = -1;
    size_t kl = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, kl) && line[kl] == ':')
            v = atol(line + kl + 1);
    if (f)
        fclose(f);
    return v;
}

static long
netns_count(void)
{
    FILE *f = fopen("/proc/slabinfo", "r");
    char line[512];
    long v = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "net_namespace ", 14))
            v = atol(line + 14);
    if (f)
        fclose(f);
    return v;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: engine_bench TOPO [pingall] [prefix]\n");
        return 2;
    }
    const char *topo = argv[1];
    int do_ping = argc > 2 && !strcmp(argv[2], "pingall");
    struct net_opts o = {.prefix = argc > 3 ? argv[3] : "fop4b"};
    struct err e = {0};
    struct net *net = net_new(&o);
    if (net_build_topo(net, topo, &e) < 0) {
        fprintf(stderr, "engine_bench: %s\n", e.msg);
        return 1;
    }
    size_t hosts = 0, nodes = net_n_nodes(net);
    for (size_t i = 0; i < net_n_nodes(net); i++)
        hosts += node_kind(net_node_at(net, i)) == NODE_HOST;
    long ns0 = netns_count();
    long mem0 = meminfo("MemAvailable");
    uint64_t t0 = now_ns();
    if (net_start(net, &e) < 0) {
        fprintf(stderr, "engine_bench: %s\n", e.msg);
        net_free(net);
        return 1;
    }
    double up = (now_ns() - t0) / 1e9;
    long mem1 = meminfo("MemAvailable");
    double ping_s = -1;
    long lost = 0, sent = 0;
    if (do_ping) {
        struct ping_result *r;
        size_t nr;
        uint64_t tp = now_ns();
        if (net_ping(net, NULL, 0, 1, 0, 2000, &r, &nr, &e) < 0) {
            fprintf(stderr, "engine_bench: %s\n", e.msg);
        } else {
            ping_s = (now_ns() - tp) / 1e9;
            for (size_t i = 0; i < nr; i++) {
                sent += r[i].sent;
                lost += r[i].sent - r[i].received;
            }
            free(r);
        }
    }
    t0 = now_ns();
    net_stop(net, &e);
    double stop = (now_ns() - t0) / 1e9;
    double settled = -1;
    while ((now_ns() - t0) / 1e9 < 30) {
        if (ns0 >= 0 && netns_count() <= ns0) {
            settled = (now_ns() - t0) / 1e9;
            break;
        }
        usleep(20000);
    }
    net_free(net);
    printf("%-12s %5zu %5zu %7.3f %7.3f %7.3f %7.0f", topo, hosts, nodes, up,
           stop, settled, hosts ? (double)(mem0 - mem1) / (double)hosts : 0.0);
    if (do_ping)
        printf(" %7.3f %ld/%ld", ping_s, lost, sent);
    printf("\n");
    return 0;
}
