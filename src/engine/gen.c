/* gen.c - Mininet's built-in topologies (`mn --topo single,3`), named and
 * numbered exactly as Mininet's SingleSwitchTopo, LinearTopo and TreeTopo do,
 * so that h1 is 10.0.0.1 and port numbers match what Mininet users know. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/net_impl.h"

struct gen {
    struct net *net;
    enum node_kind sw_kind;
    int n_sw, n_host;
    struct err *err;
};

static struct node *
add_switch(struct gen *g)
{
    char name[16];
    snprintf(name, sizeof name, "s%d", ++g->n_sw);
    return net_add_node(g->net, name, g->sw_kind, NULL, g->err);
}

static struct node *
add_host(struct gen *g)
{
    char name[16];
    snprintf(name, sizeof name, "h%d", ++g->n_host);
    return net_add_host(g->net, name, NULL, g->err);
}

static int
add_link(struct gen *g, struct node *a, struct node *b)
{
    return net_add_link(g->net, node_name(a), node_name(b), NULL, NULL, NULL,
                        g->err)
               ? 0
               : -1;
}

/* Mininet's TreeTopo.addTree: depth-first, a switch's children are built
 * (and linked) in order. */
static struct node *
add_tree(struct gen *g, int depth, int fanout)
{
    if (depth == 0)
        return add_host(g);
    struct node *sw = add_switch(g);
    if (!sw)
        return NULL;
    for (int i = 0; i < fanout; i++) {
        struct node *child = add_tree(g, depth - 1, fanout);
        if (!child || add_link(g, sw, child) < 0)
            return NULL;
    }
    return sw;
}

/* Parses "name,a,b" into up to 2 integer arguments. */
static int
parse_spec(const char *spec, char *name, size_t nsize, long *args, int *nargs)
{
    const char *comma = strchr(spec, ',');
    size_t n = comma ? (size_t)(comma - spec) : strlen(spec);
    if (!n || n >= nsize)
        return -EINVAL;
    memcpy(name, spec, n);
    name[n] = 0;
    *nargs = 0;
    while (comma) {
        if (*nargs == 2)
            return -EINVAL;
        char *end;
        long v = strtol(comma + 1, &end, 10);
        if (end == comma + 1 || (*end && *end != ','))
            return -EINVAL;
        args[(*nargs)++] = v;
        comma = *end ? end : NULL;
    }
    return 0;
}

int
net_build_topo_kind(struct net *net, const char *spec,
                    enum node_kind switch_kind, struct err *err)
{
    char name[32];
    long a[2] = {0, 0};
    int na;
    if (!spec || parse_spec(spec, name, sizeof name, a, &na) < 0)
        return err_set(err, -EINVAL,
                       "bad topology '%s' (expected single,N | linear,N | "
                       "tree,DEPTH,FANOUT | minimal)",
                       spec ? spec : "");
    struct gen g = {net, switch_kind, 0, 0, err};
    size_t n_before = net->nodes.n;
    int ok = 1;
    if (!strcmp(name, "minimal") && na == 0) {
        strcpy(name, "single");
        a[0] = 2;
        na = 1;
    }
    if (!strcmp(name, "single") && na == 1) {
        if (a[0] < 1 || a[0] > 4000)
            return err_set(err, -EINVAL, "single,%ld: N must be 1..4000", a[0]);
        struct node *sw = add_switch(&g);
        ok = sw != NULL;
        for (long i = 0; ok && i < a[0]; i++) {
            struct node *h = add_host(&g);
            ok = h && add_link(&g, h, sw) == 0;
        }
    } else if (!strcmp(name, "linear") && na == 1) {
        if (a[0] < 1 || a[0] > 4000)
            return err_set(err, -EINVAL, "linear,%ld: N must be 1..4000", a[0]);
        struct node *last = NULL;
        for (long i = 0; ok && i < a[0]; i++) {
            struct node *sw = add_switch(&g);
            struct node *h = sw ? add_host(&g) : NULL;
            ok = h && add_link(&g, h, sw) == 0;
            if (ok && last)
                ok = add_link(&g, sw, last) == 0;
            last = sw;
        }
    } else if (!strcmp(name, "tree") && na >= 1) {
        long depth = a[0], fanout = na == 2 ? a[1] : 2;
        double hosts = 1;
        for (long i = 0; i < depth; i++)
            hosts *= (double)fanout;
        if (depth < 1 || fanout < 1 || depth > 12 || hosts > 4000)
            return err_set(err, -EINVAL,
                           "tree,%ld,%ld: depth 1..12 and fanout >= 1, at "
                           "most 4000 hosts",
                           depth, fanout);
        ok = add_tree(&g, (int)depth, (int)fanout) != NULL;
    } else {
        const char *known[] = {"single", "linear", "tree", "minimal"};
        const char *s = NULL;
        for (size_t i = 0; i < 4; i++)
            if (!strcmp(name, known[i]))
                s = known[i];
        return err_set(err, -EINVAL,
                       "bad topology '%s'%s (expected single,N | linear,N | "
                       "tree,DEPTH,FANOUT | minimal)",
                       spec, s ? ": wrong number of arguments" : "");
    }
    if (!ok) {
        err_prefix(err, "topology '%s'", spec);
        while (net->nodes.n > n_before)
            net_del_node(net, node_name(net->nodes.v[net->nodes.n - 1]), NULL);
        return err ? err->code : -EINVAL;
    }
    return 0;
}

int
net_build_topo(struct net *net, const char *spec, struct err *err)
{
    return net_build_topo_kind(net, spec, NODE_BRIDGE, err);
}
