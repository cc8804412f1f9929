/* topo_build.c - hands a validated struct topo (topo.c) to the engine: one
 * net_add_node() per node and one net_add_link() per link, in file order, so
 * that automatic names, ports and addresses follow the file as in Mininet.
 * Kept apart from topo.c so that parsing links without the engine. Also the
 * public topo_load() of <fop4/topo.h>. */
#include "engine/topo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fop4/topo.h"
#include "lib/err.h"
#include "lib/strbuf.h"

struct net *
topo_build(const struct topo *t, const struct net_opts *over, struct err *err)
{
    struct net_opts opts = t->opts;
    if (over) {
        if (over->prefix)
            opts.prefix = over->prefix;
        if (over->ip_base)
            opts.ip_base = over->ip_base;
        if (over->static_arp)
            opts.static_arp = 1;
        if (over->ipv6)
            opts.ipv6 = 1;
    }
    struct net *net = net_new(&opts);
    if (!net) {
        err_set(err, -ENOMEM, "cannot create the network model");
        return NULL;
    }
    for (size_t i = 0; i < t->nodes.n; i++) {
        const struct topo_node *n = &t->nodes.v[i];
        if (!net_add_node(net, n->name, n->kind, &n->params, err)) {
            err_prefix(err, "%s:%d:%d: error", t->path, n->line, n->col);
            goto fail;
        }
    }
    for (size_t i = 0; i < t->links.n; i++) {
        const struct topo_link *l = &t->links.v[i];
        char a[64], b[64];
        if (l->ia.port >= 0)
            snprintf(a, sizeof a, "%s:%d", l->a, l->ia.port);
        else
            snprintf(a, sizeof a, "%s", l->a);
        if (l->ib.port >= 0)
            snprintf(b, sizeof b, "%s:%d", l->b, l->ib.port);
        else
            snprintf(b, sizeof b, "%s", l->b);
        if (!net_add_link(net, a, b, &l->params, &l->ia, &l->ib, err)) {
            err_prefix(err, "%s:%d:%d: error", t->path, l->line, l->col);
            goto fail;
        }
    }
    return net;
fail:
    net_free(net);
    return NULL;
}

struct net *
topo_load(const char *path, const struct net_opts *opts, struct err *err)
{
    struct strbuf diags = STRBUF_INIT;
    struct topo *t = topo_parse_file(path, &diags);
    struct net *net = NULL;
    if (!t) {
        /* The first diagnostic, without its source line and caret. */
        const char *d = strbuf_str(&diags);
        size_t n = strcspn(d, "\n");
        err_set(err, -EINVAL, "%.*s", (int)n, d);
        goto out;
    }
    net = topo_build(t, opts, err);
out:
    topo_free(t);
    strbuf_destroy(&diags);
    return net;
}
