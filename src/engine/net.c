/* net.c - the emulator's model and life cycle (include/fop4/net.h).
 *
 * The model (nodes, their interfaces, links) is built and validated first;
 * net_start() then does the kernel work in phases so that it can run in
 * parallel and in batches:
 *
 *   1. every node's namespace (kind->create), on a pool of threads;
 *   2. every veth pair, created directly inside its two namespaces, up, with
 *      its MAC and MTU, in batched netlink messages from one socket;
 *   3. per node, in parallel: addresses, routes, static ARP (one batched
 *      netlink socket inside the node's namespace);
 *   4. link emulation (linkem.c) and kind->start (bridges enslave their ports,
 *      containers and switches start), then the nodes' exec commands.
 *
 * Teardown stops the nodes, then removes namespaces in parallel; the kernel
 * deletes the veths with them. Runtime changes (add/del node or link, link
 * up/down or new parameters) apply to a running net at once. */
#include "engine/net_impl.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/nl.h"
#include "lib/diag.h"
#include "lib/log.h"
#include "lib/strbuf.h"

#define IFINDEX_BASE 1000 /* ifindex of a node's interface i: BASE + i */
/* How long start waits for a node's carriers (linkwatch runs late under load;
 * the wait ends as soon as every interface is ready). */
#define READY_WAIT_NS (5ull * 1000000000ull)

/* ---- small helpers ---------------------------------------------------- */

int
kind_is_switch(enum node_kind kind)
{
    return kind == NODE_BRIDGE || kind == NODE_P4SWITCH;
}

static int
valid_name(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (!n || n > max)
        return 0;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return 0;
    return 1;
}

static char **
dup_strv(const char *const *v)
{
    if (!v)
        return NULL;
    size_t n = 0;
    while (v[n])
        n++;
    char **d = xcalloc(n + 1, sizeof *d);
    for (size_t i = 0; i < n; i++)
        d[i] = xstrdup(v[i]);
    return d;
}

static void
free_strv(const char *const *v)
{
    if (!v)
        return;
    for (size_t i = 0; v[i]; i++)
        free((char *)v[i]);
    free((void *)v);
}

#define DUP(s) ((s) ? xstrdup(s) : NULL)

static void
params_copy(struct node_params *d, const struct node_params *s)
{
    memset(d, 0, sizeof *d);
    if (!s)
        return;
    *d = *s;
    d->ip = DUP(s->ip);
    d->mac = DUP(s->mac);
    d->defaultroute = DUP(s->defaultroute);
    d->exec = (const char *const *)dup_strv(s->exec);
    d->docker.image = DUP(s->docker.image);
    d->docker.cmd = DUP(s->docker.cmd);
    d->docker.env = (const char *const *)dup_strv(s->docker.env);
    d->docker.volumes = (const char *const *)dup_strv(s->docker.volumes);
    d->docker.cpuset = DUP(s->docker.cpuset);
    d->p4.json = DUP(s->p4.json);
    d->p4.p4 = DUP(s->p4.p4);
    d->p4.commands = DUP(s->p4.commands);
    d->p4.runtime = DUP(s->p4.runtime);
    d->p4.log_level = DUP(s->p4.log_level);
    d->p4.pcap_dir = DUP(s->p4.pcap_dir);
    d->p4.defines = (const char *const *)dup_strv(s->p4.defines);
}

static void
params_free(struct node_params *p)
{
    free((char *)p->ip);
    free((char *)p->mac);
    free((char *)p->defaultroute);
    free_strv(p->exec);
    free((char *)p->docker.image);
    free((char *)p->docker.cmd);
    free_strv(p->docker.env);
    free_strv(p->docker.volumes);
    free((char *)p->docker.cpuset);
    free((char *)p->p4.json);
    free((char *)p->p4.p4);
    free((char *)p->p4.commands);
    free((char *)p->p4.runtime);
    free((char *)p->p4.log_level);
    free((char *)p->p4.pcap_dir);
    free_strv(p->p4.defines);
}

/* Runs fn(arg, i) for i in [0, n) on up to 'threads' threads. */
struct par {
    void (*fn)(void *arg, size_t i);
    void *arg;
    size_t n;
    atomic_size_t next;
};

static void *
par_worker(void *p_)
{
    struct par *p = p_;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            return NULL;
        p->fn(p->arg, i);
    }
}

static void
parallel(size_t n, int threads, void (*fn)(void *arg, size_t i), void *arg)
{
    struct par p = {fn, arg, n, 0};
    if (threads > (int)n)
        threads = (int)n;
    if (threads <= 1) {
        par_worker(&p);
        return;
    }
    pthread_t t[32];
    int started = 0;
    for (int i = 0; i < threads && i < 32; i++)
        if (pthread_create(&t[started], NULL, par_worker, &p) == 0)
            started++;
    par_worker(&p);
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
}

static int
n_workers(size_t n)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int w = (int)(cpus < 1 ? 1 : cpus) * 2;
    const char *env = getenv("FOP4_THREADS"); /* tuning and benchmarks */
    if (env && atoi(env) > 0)
        w = atoi(env);
    if (w > 16)
        w = 16;
    if (n < 8)
        w = 1;
    return w;
}

/* ---- the model ---------------------------------------------------------- */

struct net *
net_new(const struct net_opts *opts)
{
    struct net *net = xcalloc(1, sizeof *net);
    const char *prefix = opts && opts->prefix ? opts->prefix : "fop4";
    net->prefix = xstrdup(prefix);
    net->state_dir = xasprintf("/run/fop4/%s", prefix);
    net->ip_base = 0x0a000000; /* 10.0.0.0/8 */
    net->ip_plen = 8;
    if (opts && opts->ip_base) {
        uint32_t a;
        int plen;
        if (nl_parse_cidr(opts->ip_base, &a, &plen) == 0 && plen < 31) {
            net->ip_base = a;
            net->ip_plen = plen;
        }
    }
    if (opts) {
        net->static_arp = opts->static_arp;
        net->ipv6 = opts->ipv6;
    }
    hmap_init(&net->nodes_by_name);
    net->sw_ns_fd = -1;
    return net;
}

const char *
net_prefix(const struct net *net)
{
    return net->prefix;
}

const char *
net_get_prefix(const struct net *net)
{
    return net->prefix;
}

const char *
net_state_dir(const struct net *net)
{
    return net->state_dir;
}

static void intf_free(struct intf *i);
static void link_kernel_del(struct link *l);
static int node_bring_up(struct node *node, struct err *err);
static void node_tear_down(struct node *node);
static int link_bring_up(struct link *l, struct err *err);
static int node_configure(struct node *node, struct err *err);
static void link_remove(struct net *net, struct link *l);

static void
node_free(struct node *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->intfs.n; i++)
        intf_free(node->intfs.v[i]);
    VEC_FREE(&node->intfs);
    params_free(&node->params);
    free(node->name);
    free(node);
}

static void
link_free(struct link *l)
{
    free(l);
}

void
net_free(struct net *net)
{
    if (!net)
        return;
    if (net->running)
        net_stop(net, NULL);
    for (size_t i = 0; i < net->links.n; i++)
        link_free(net->links.v[i]);
    VEC_FREE(&net->links);
    for (size_t i = 0; i < net->nodes.n; i++)
        node_free(net->nodes.v[i]);
    VEC_FREE(&net->nodes);
    hmap_destroy(&net->nodes_by_name);
    free(net->prefix);
    free(net->state_dir);
    free(net);
}

static const char *
node_names_suggest(const struct net *net, const char *name)
{
    const char **c = xcalloc(net->nodes.n + 1, sizeof *c);
    for (size_t i = 0; i < net->nodes.n; i++)
        c[i] = net->nodes.v[i]->name;
    const char *s = diag_suggest(name, c, net->nodes.n);
    free(c);
    return s;
}

struct node *
net_add_node(struct net *net, const char *name, enum node_kind kind,
             const struct node_params *params, struct err *err)
{
    if (!name || !valid_name(name, 10)) {
        err_set(err, -EINVAL,
                "node '%s': a name is 1 to 10 letters, digits or '_' "
                "(interface names '<node>-ethN' must fit in 15)",
                name ? name : "");
        return NULL;
    }
    if (hmap_get(&net->nodes_by_name, name)) {
        err_set(err, -EEXIST, "node '%s' already exists", name);
        return NULL;
    }
    if ((unsigned)kind >= NODE_KIND_MAX) {
        err_set(err, -EINVAL, "node '%s': unknown kind %d", name, (int)kind);
        return NULL;
    }
    const struct node_kind_ops *ops = kind_ops(kind);
    if (!ops) {
        err_set(err, -ENOSYS,
                "node '%s': node kind '%s' is not available in this build",
                name, node_kind_name(kind));
        return NULL;
    }
    struct node *node = xcalloc(1, sizeof *node);
    node->net = net;
    node->name = xstrdup(name);
    node->kind = kind;
    node->ops = ops;
    node->netns_fd = -1;
    node->next_port = kind_is_switch(kind) ? 1 : 0;
    params_copy(&node->params, params);
    if (node->params.ip && strcmp(node->params.ip, "none")) {
        uint32_t a;
        int plen;
        if (nl_parse_cidr(node->params.ip, &a, &plen) < 0) {
            err_set(err, -EINVAL, "node '%s': bad IP address '%s'", name,
                    node->params.ip);
            goto fail;
        }
    }
    uint8_t m[6];
    if (node->params.mac && nl_parse_mac(node->params.mac, m) < 0) {
        err_set(err, -EINVAL,
                "node '%s': bad MAC address '%s' (expected aa:bb:cc:dd:ee:ff)",
                name, node->params.mac);
        goto fail;
    }
    if (ops->validate && ops->validate(node, err) < 0)
        goto fail;
    if (kind_is_switch(kind))
        node->num = ++net->n_switches;
    else
        node->num = ++net->n_ip_nodes;
    VEC_PUSH(&net->nodes, node);
    hmap_put(&net->nodes_by_name, name, node, NULL);
    if (net->running && node_bring_up(node, err) < 0) {
        err_prefix(err, "node '%s'", name);
        net->nodes.n--;
        hmap_del(&net->nodes_by_name, name);
        node_tear_down(node);
        goto fail;
    }
    return node;
fail:
    node_free(node);
    return NULL;
}

struct node *
net_add_host(struct net *net, const char *name,
             const struct node_params *params, struct err *err)
{
    return net_add_node(net, name, NODE_HOST, params, err);
}

struct node *
net_get_node(const struct net *net, const char *name)
{
    return hmap_get(&net->nodes_by_name, name);
}

size_t
net_n_nodes(const struct net *net)
{
    return net->nodes.n;
}

struct node *
net_node_at(const struct net *net, size_t i)
{
    return i < net->nodes.n ? net->nodes.v[i] : NULL;
}

size_t
net_n_links(const struct net *net)
{
    return net->links.n;
}

struct link *
net_link_at(const struct net *net, size_t i)
{
    return i < net->links.n ? net->links.v[i] : NULL;
}

const char *
node_name(const struct node *node)
{
    return node->name;
}

enum node_kind
node_kind(const struct node *node)
{
    return node->kind;
}

/* The node's default address "a.b.c.d/len", or NULL. Returns a static-free
 * malloc'd string. */
static char *
node_default_cidr(const struct node *node)
{
    const struct net *net = node->net;
    if (node->params.ip) {
        if (!strcmp(node->params.ip, "none"))
            return NULL;
        if (strchr(node->params.ip, '/'))
            return xstrdup(node->params.ip);
        return xasprintf("%s/%d", node->params.ip, net->ip_plen);
    }
    if (kind_is_switch(node->kind))
        return NULL;
    uint32_t a = net->ip_base + (uint32_t)node->num;
    return xasprintf("%u.%u.%u.%u/%d", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
                     a & 255, net->ip_plen);
}

const char *
node_ip(const struct node *node)
{
    for (size_t i = 0; i < node->intfs.n; i++)
        if (node->intfs.v[i]->addr[0])
            return node->intfs.v[i]->addr;
    return NULL;
}

const char *
node_netns(const struct node *node)
{
    return node->netns[0] ? node->netns : NULL;
}

size_t
node_n_intfs(const struct node *node)
{
    return node->intfs.n;
}

const char *
node_intf_name(const struct node *node, size_t i)
{
    return i < node->intfs.n ? node->intfs.v[i]->name : NULL;
}

const char *
link_end_node(const struct link *link, int end)
{
    return link->end[end & 1]->node->name;
}

const char *
link_end_intf(const struct link *link, int end)
{
    return link->end[end & 1]->name;
}

int
link_is_up(const struct link *link)
{
    return link->up;
}

const struct link_params *
link_get_params(const struct link *link)
{
    return &link->params;
}

static void
intf_free(struct intf *i)
{
    if (!i)
        return;
    free(i->ip);
    free(i);
}

/* Parses "s1" or "s1:3" into a node and a port (-1 = automatic). */
static struct node *
parse_end(struct net *net, const char *spec, int *port, struct err *err)
{
    char name[32];
    const char *colon = strchr(spec, ':');
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    *port = -1;
    if (n >= sizeof name) {
        err_set(err, -EINVAL, "bad link end '%s'", spec);
        return NULL;
    }
    memcpy(name, spec, n);
    name[n] = 0;
    struct node *node = net_get_node(net, name);
    if (!node) {
        const char *s = node_names_suggest(net, name);
        err_set(err, -ENOENT, "link end '%s': no node '%s'%s%s%s", spec, name,
                s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
        return NULL;
    }
    if (colon) {
        char *end;
        long p = strtol(colon + 1, &end, 10);
        if (*end || end == colon + 1 || p < 0 || p > 4095) {
            err_set(err, -EINVAL,
                    "link end '%s': port must be a number 0..4095", spec);
            return NULL;
        }
        if (!kind_is_switch(node->kind)) {
            err_set(err, -EINVAL,
                    "link end '%s': port numbers are for switches; '%s' is a "
                    "%s",
                    spec, name, node_kind_name(node->kind));
            return NULL;
        }
        *port = (int)p;
    }
    return node;
}

static struct intf *
find_port(const struct node *node, int port)
{
    for (size_t i = 0; i < node->intfs.n; i++)
        if (node->intfs.v[i]->port == port)
            return node->intfs.v[i];
    return NULL;
}

static struct intf *
find_intf_name(const struct node *node, const char *name)
{
    for (size_t i = 0; i < node->intfs.n; i++)
        if (!strcmp(node->intfs.v[i]->name, name))
            return node->intfs.v[i];
    return NULL;
}

/* A locally administered MAC derived from the interface's identity, so that
 * runs are reproducible. */
static void
auto_mac(char out[18], const struct node *node, const char *ifname)
{
    char key[64];
    snprintf(key, sizeof key, "%s/%s", node->name, ifname);
    size_t h = hash_bytes(key, strlen(key));
    snprintf(out, 18, "02:%02x:%02x:%02x:%02x:%02x", (unsigned)(h >> 32) & 255,
             (unsigned)(h >> 24) & 255, (unsigned)(h >> 16) & 255,
             (unsigned)(h >> 8) & 255, (unsigned)h & 255);
}

/* Builds one end of a new link (not yet attached to the node). */
static struct intf *
make_intf(struct node *node, int port, const struct intf_params *ip,
          struct err *err)
{
    struct intf *i = xcalloc(1, sizeof *i);
    i->node = node;
    i->mtu = ip && ip->mtu ? ip->mtu : 1500;
    if (ip && ip->port >= 0 && port < 0)
        port = ip->port;
    if (kind_is_switch(node->kind)) {
        if (port < 0) {
            while (find_port(node, node->next_port))
                node->next_port++;
            port = node->next_port++;
        } else if (find_port(node, port)) {
            err_set(err, -EEXIST, "port %d of '%s' is already linked", port,
                    node->name);
            goto fail;
        }
    } else {
        port = (int)node->intfs.n;
    }
    i->port = port;
    if (ip && ip->name)
        snprintf(i->name, sizeof i->name, "%s", ip->name);
    else
        snprintf(i->name, sizeof i->name, "%s-eth%d", node->name, port);
    if (ip && ip->name &&
        (strlen(ip->name) > 15 || !*ip->name || strchr(ip->name, '/') ||
         strchr(ip->name, ' '))) {
        err_set(err, -EINVAL, "'%s': bad interface name '%s' (1..15 chars)",
                node->name, ip->name);
        goto fail;
    }
    if (find_intf_name(node, i->name)) {
        err_set(err, -EEXIST, "'%s' already has an interface %s", node->name,
                i->name);
        goto fail;
    }
    uint8_t m[6];
    if (ip && ip->mac) {
        if (nl_parse_mac(ip->mac, m) < 0) {
            err_set(err, -EINVAL, "%s: bad MAC address '%s'", i->name, ip->mac);
            goto fail;
        }
        snprintf(i->mac, sizeof i->mac, "%s", ip->mac);
    } else if (node->intfs.n == 0 && !kind_is_switch(node->kind)) {
        if (node->params.mac)
            snprintf(i->mac, sizeof i->mac, "%s", node->params.mac);
        else
            snprintf(i->mac, sizeof i->mac, "00:00:00:00:%02x:%02x",
                     (node->num >> 8) & 255, node->num & 255);
    } else {
        auto_mac(i->mac, node, i->name);
    }
    if (ip && ip->ip) {
        uint32_t a;
        int plen;
        if (strcmp(ip->ip, "none")) {
            if (nl_parse_cidr(ip->ip, &a, &plen) < 0) {
                err_set(err, -EINVAL, "%s: bad IP address '%s'", i->name,
                        ip->ip);
                goto fail;
            }
            i->ip = strchr(ip->ip, '/')
                        ? xstrdup(ip->ip)
                        : xasprintf("%s/%d", ip->ip, node->net->ip_plen);
        }
    } else if (node->intfs.n == 0) {
        i->ip = node_default_cidr(node);
    }
    if (i->ip)
        snprintf(i->addr, sizeof i->addr, "%.*s", (int)strcspn(i->ip, "/"),
                 i->ip);
    if (i->mtu < 68 || i->mtu > 65535) {
        err_set(err, -EINVAL, "%s: MTU %d out of range 68..65535", i->name,
                i->mtu);
        goto fail;
    }
    return i;
fail:
    intf_free(i);
    return NULL;
}

/* Interfaces are numbered per namespace; bridges share one (node_host.c). */
static int
next_ifindex(struct node *node)
{
    if (node->kind == NODE_BRIDGE)
        return node->net->sw_n_ifindex++;
    return node->n_ifindex++;
}

static int
check_params(const struct link_params *p, struct err *err)
{
    if (!p)
        return 0;
    if (p->bw_mbit < 0 || p->bw_mbit > 100000)
        return err_set(err, -EINVAL, "bw %g Mbit/s out of range 0..100000",
                       p->bw_mbit);
    if (p->delay_ms < 0 || p->delay_ms > 60000)
        return err_set(err, -EINVAL, "delay %g ms out of range 0..60000",
                       p->delay_ms);
    if (p->jitter_ms < 0 || p->jitter_ms > 60000)
        return err_set(err, -EINVAL, "jitter %g ms out of range 0..60000",
                       p->jitter_ms);
    if (p->loss_pct < 0 || p->loss_pct > 100)
        return err_set(err, -EINVAL, "loss %g%% out of range 0..100",
                       p->loss_pct);
    if (p->max_queue < 0 || p->max_queue > 1000000)
        return err_set(err, -EINVAL, "max_queue %d out of range 0..1000000",
                       p->max_queue);
    return 0;
}

struct link *
net_add_link(struct net *net, const char *a, const char *b,
             const struct link_params *params, const struct intf_params *ia,
             const struct intf_params *ib, struct err *err)
{
    int pa, pb;
    struct node *na = parse_end(net, a, &pa, err);
    struct node *nb = na ? parse_end(net, b, &pb, err) : NULL;
    if (!na || !nb)
        return NULL;
    if (na == nb) {
        err_set(err, -EINVAL, "link %s <-> %s: both ends on the same node", a,
                b);
        return NULL;
    }
    if (check_params(params, err) < 0) {
        err_prefix(err, "link %s <-> %s", a, b);
        return NULL;
    }
    struct intf *i0 = make_intf(na, pa, ia, err);
    if (!i0) {
        err_prefix(err, "link %s <-> %s", a, b);
        return NULL;
    }
    /* Attach i0 before building i1 so a link between two ports of ... the
     * same switch is impossible anyway; order matters for numbering. */
    VEC_PUSH(&na->intfs, i0);
    struct intf *i1 = make_intf(nb, pb, ib, err);
    if (!i1) {
        na->intfs.n--;
        intf_free(i0);
        err_prefix(err, "link %s <-> %s", a, b);
        return NULL;
    }
    VEC_PUSH(&nb->intfs, i1);
    struct link *l = xcalloc(1, sizeof *l);
    l->net = net;
    l->end[0] = i0;
    l->end[1] = i1;
    i0->link = i1->link = l;
    /* The two ends never get the same ifindex: the kernel treats carrier
     * changes of a veth whose ifindex equals its peer's as non-urgent and
     * delays them by up to a second (linkwatch), which would keep bridge
     * ports disabled right after start. */
    i0->ifindex = IFINDEX_BASE + 2 * next_ifindex(na);
    i1->ifindex = IFINDEX_BASE + 2 * next_ifindex(nb) + 1;
    if (params)
        l->params = *params;
    l->up = 1;
    VEC_PUSH(&net->links, l);
    if (net->running) {
        int rc = link_bring_up(l, err);
        if (rc == 0 && na->started && na->ops->add_intf)
            rc = na->ops->add_intf(na, i0, err);
        if (rc == 0 && nb->started && nb->ops->add_intf)
            rc = nb->ops->add_intf(nb, i1, err);
        if (rc < 0) {
            err_prefix(err, "link %s <-> %s", a, b);
            link_remove(net, l);
            return NULL;
        }
    }
    return l;
}

/* The link between two "node" or "node:port" specs (first match). */
static struct link *
find_link(struct net *net, const char *a, const char *b, struct err *err)
{
    int pa, pb;
    struct node *na = parse_end(net, a, &pa, err);
    struct node *nb = na ? parse_end(net, b, &pb, err) : NULL;
    if (!na || !nb)
        return NULL;
    for (size_t i = 0; i < net->links.n; i++) {
        struct link *l = net->links.v[i];
        for (int e = 0; e < 2; e++) {
            struct intf *x = l->end[e], *y = l->end[!e];
            if (x->node == na && y->node == nb && (pa < 0 || x->port == pa) &&
                (pb < 0 || y->port == pb))
                return l;
        }
    }
    err_set(err, -ENOENT, "no link between %s and %s", a, b);
    return NULL;
}

static void
detach_intf(struct intf *i)
{
    struct node *n = i->node;
    for (size_t k = 0; k < n->intfs.n; k++)
        if (n->intfs.v[k] == i) {
            memmove(&n->intfs.v[k], &n->intfs.v[k + 1],
                    (n->intfs.n - k - 1) * sizeof *n->intfs.v);
            n->intfs.n--;
            break;
        }
}

static void
link_remove(struct net *net, struct link *l)
{
    if (l->created) {
        for (int e = 0; e < 2; e++) {
            struct node *n = l->end[e]->node;
            if (n->started && n->ops->del_intf)
                n->ops->del_intf(n, l->end[e]);
        }
        link_kernel_del(l);
    }
    for (size_t k = 0; k < net->links.n; k++)
        if (net->links.v[k] == l) {
            memmove(&net->links.v[k], &net->links.v[k + 1],
                    (net->links.n - k - 1) * sizeof *net->links.v);
            net->links.n--;
            break;
        }
    for (int e = 0; e < 2; e++) {
        detach_intf(l->end[e]);
        intf_free(l->end[e]);
    }
    link_free(l);
}

int
net_del_link(struct net *net, const char *a, const char *b, struct err *err)
{
    struct link *l = find_link(net, a, b, err);
    if (!l)
        return err ? err->code : -ENOENT;
    link_remove(net, l);
    return 0;
}

int
net_del_node(struct net *net, const char *name, struct err *err)
{
    struct node *node = net_get_node(net, name);
    if (!node) {
        const char *s = node_names_suggest(net, name);
        return err_set(err, -ENOENT, "no node '%s'%s%s%s", name,
                       s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
    }
    for (size_t k = net->links.n; k-- > 0;) {
        struct link *l = net->links.v[k];
        if (l->end[0]->node == node || l->end[1]->node == node)
            link_remove(net, l);
    }
    if (net->running)
        node_tear_down(node);
    hmap_del(&net->nodes_by_name, name);
    for (size_t k = 0; k < net->nodes.n; k++)
        if (net->nodes.v[k] == node) {
            memmove(&net->nodes.v[k], &net->nodes.v[k + 1],
                    (net->nodes.n - k - 1) * sizeof *net->nodes.v);
            net->nodes.n--;
            break;
        }
    node_free(node);
    return 0;
}

int
net_link_set_up(struct net *net, const char *a, const char *b, int up,
                struct err *err)
{
    struct link *l = find_link(net, a, b, err);
    if (!l)
        return err ? err->code : -ENOENT;
    if (net->running && l->created) {
        for (int e = 0; e < 2; e++) {
            struct nl nl;
            struct intf *i = l->end[e];
            int rc = nl_open(&nl, i->node->netns_fd, err);
            if (rc < 0)
                return rc;
            char what[80];
            snprintf(what, sizeof what, "cannot set %s %s", i->name,
                     up ? "up" : "down");
            rc = nl_link_set_up(&nl, i->ifindex, up, what, err);
            if (rc == 0)
                rc = nl_flush(&nl, err);
            nl_close(&nl);
            if (rc < 0)
                return rc;
        }
    }
    l->up = up ? 1 : 0;
    return 0;
}

int
net_link_set_params(struct net *net, const char *a, const char *b,
                    const struct link_params *params, struct err *err)
{
    struct link *l = find_link(net, a, b, err);
    if (!l)
        return err ? err->code : -ENOENT;
    struct link_params zero = {0};
    if (!params)
        params = &zero;
    if (check_params(params, err) < 0)
        return err->code;
    struct link_params old = l->params;
    l->params = *params;
    if (net->running && l->created && linkem_needs_relay(l) != l->relayed) {
        /* Delay or loss appears (or goes) on a kernel without netem: the
         * link is remade through the relay (or direct), same names, MACs
         * and addresses; a bridge takes the port back. */
        for (int e = 0; e < 2; e++) {
            struct node *n = l->end[e]->node;
            if (n->started && n->ops->del_intf)
                n->ops->del_intf(n, l->end[e]);
        }
        link_kernel_del(l);
        int rc = link_bring_up(l, err);
        for (int e = 0; e < 2 && rc == 0; e++) {
            struct node *n = l->end[e]->node;
            if (n->started && n->ops->add_intf)
                rc = n->ops->add_intf(n, l->end[e], err);
        }
        return rc;
    }
    if (net->running && l->created) {
        int rc = linkem_apply(l, err);
        if (rc < 0) {
            l->params = old;
            linkem_apply(l, NULL);
            return rc;
        }
    }
    return 0;
}

/* ---- the kernel side -------------------------------------------------- */

/* Creates the link's veth pair(s) directly in the nodes' namespaces. */
static int
link_create(struct nl *nl, struct link *l, struct err *err)
{
    struct intf *x = l->end[0], *y = l->end[1];
    struct nl_veth v = {
        .name = {x->name, y->name},
        .ns_fd = {x->node->netns_fd, y->node->netns_fd},
        .ifindex = {x->ifindex, y->ifindex},
        .mac = {x->mac, y->mac},
        .mtu = MAX(x->mtu, y->mtu) == 1500 ? 0 : MIN(x->mtu, y->mtu),
        .up = l->up,
    };
    if (x->mtu != y->mtu)
        v.mtu = MIN(x->mtu, y->mtu);
    return nl_veth_add(nl, &v, err);
}

static void
link_kernel_del(struct link *l)
{
    if (!l->created)
        return;
    linkem_remove(l);
    for (int e = 0; e < 2; e++) {
        struct intf *i = l->end[e];
        if (i->node->netns_fd < 0)
            continue;
        struct nl nl;
        if (nl_open(&nl, i->node->netns_fd, NULL) < 0)
            continue;
        nl_link_del(&nl, i->ifindex, "delete", NULL);
        nl_flush(&nl, NULL); /* the other end may be gone already */
        nl_close(&nl);
    }
    l->created = 0;
}

/* Addresses and routes of one node (phase 3). */
static int
node_configure(struct node *node, struct err *err)
{
    struct net *net = node->net;
    struct nl nl;
    int rc = nl_open(&nl, node->netns_fd, err);
    if (rc < 0)
        return rc;
    char what[96];
    if (node->netns[0] && node->netns[0] != '/')
        rc = nl_link_set_up(&nl, 1, 1, "cannot set lo up", err);
    for (size_t k = 0; k < node->intfs.n && rc == 0; k++) {
        struct intf *i = node->intfs.v[k];
        if (!i->link || !i->link->created)
            continue;
        if (i->link->up && i == i->link->end[1]) {
            snprintf(what, sizeof what, "cannot set %s up", i->name);
            rc = nl_link_set_up(&nl, i->ifindex, 1, what, err);
        }
        if (!i->ip || rc < 0)
            continue;
        snprintf(what, sizeof what, "cannot add address %s to %s", i->ip,
                 i->name);
        rc = nl_addr_add(&nl, i->ifindex, i->ip, what, err);
    }
    const char *dr = node->params.defaultroute;
    int linked = 0; /* a route needs an interface: wait for the first link */
    for (size_t k = 0; k < node->intfs.n; k++)
        linked |= node->intfs.v[k]->link && node->intfs.v[k]->link->created;
    if (rc == 0 && dr && *dr && linked) {
        snprintf(what, sizeof what, "cannot add default route '%s'", dr);
        char gw[64] = "", dev[32] = "";
        if (sscanf(dr, "via %63s", gw) == 1 ||
            sscanf(dr, "dev %31s", dev) == 1) {
            int oif = 0;
            if (*dev) {
                struct intf *i = find_intf_name(node, dev);
                if (!i)
                    rc = err_set(err, -ENOENT,
                                 "node '%s': defaultroute: no interface '%s'",
                                 node->name, dev);
                else
                    oif = i->ifindex;
            }
            if (rc == 0)
                rc = nl_route_add(&nl, NULL, *gw ? gw : NULL, oif, what, err);
        } else {
            rc = err_set(err, -EINVAL,
                         "node '%s': defaultroute '%s': expected 'via ADDR' or "
                         "'dev INTF'",
                         node->name, dr);
        }
    }
    if (rc == 0 && net->static_arp && !kind_is_switch(node->kind)) {
        for (size_t k = 0; k < node->intfs.n && rc == 0; k++) {
            struct intf *i = node->intfs.v[k];
            if (!i->ip || !i->link || !i->link->created)
                continue;
            uint32_t ma, oa;
            int mp, op;
            nl_parse_cidr(i->ip, &ma, &mp);
            uint32_t mask = mp ? 0xffffffffu << (32 - mp) : 0;
            for (size_t j = 0; j < net->nodes.n && rc == 0; j++) {
                struct node *o = net->nodes.v[j];
                for (size_t q = 0; q < o->intfs.n && rc == 0; q++) {
                    struct intf *oi = o->intfs.v[q];
                    if (o == node || !oi->ip ||
                        nl_parse_cidr(oi->ip, &oa, &op) < 0 ||
                        (oa & mask) != (ma & mask))
                        continue;
                    char a[20];
                    snprintf(a, sizeof a, "%.*s", (int)strcspn(oi->ip, "/"),
                             oi->ip);
                    snprintf(what, sizeof what, "cannot add ARP entry %s", a);
                    rc = nl_neigh_add(&nl, i->ifindex, a, oi->mac, what, err);
                }
            }
        }
    }
    if (rc == 0)
        rc = nl_flush(&nl, err);
    nl_close(&nl);
    if (rc < 0)
        err_prefix(err, "node '%s'", node->name);
    return rc;
}

/* Waits (at most READY_WAIT_NS) until the node's interfaces can send: a veth end
 * that came up before its peer keeps the kernel's "noop" qdisc, which drops
 * everything, until the link watcher has seen the carrier; under load that
 * takes a while, and a first ARP request lost there costs a second. Only
 * named namespaces (the engine's own) are checked. */
static int
node_wait_ready(struct node *node, struct err *err)
{
    /* A bridge waits for its own ports to forward (which implies this);
     * dumping the bridges' shared namespace per bridge would be quadratic. */
    if (node->netns_fd < 0 || !node->intfs.n || node->kind == NODE_BRIDGE)
        return 0;
    struct nl nl;
    int rc = nl_open(&nl, node->netns_fd, err);
    if (rc < 0)
        return rc;
    uint64_t end = now_ns() + READY_WAIT_NS;
    while ((rc = nl_links_not_ready(&nl, IFINDEX_BASE, err)) > 0 &&
           now_ns() < end)
        usleep(1000);
    nl_close(&nl);
    if (rc > 0) /* a slow carrier is not an error: the first probe may retry */
        LOG(LOG_WARN, "node '%s': %d interface(s) without carrier after %d s",
            node->name, rc, (int)(READY_WAIT_NS / 1000000000ull));
    return rc < 0 ? rc : 0;
}

static int
link_bring_up(struct link *l, struct err *err)
{
    for (int e = 0; e < 2; e++)
        if (l->end[e]->node->netns_fd < 0)
            return err_set(err, -EINVAL, "node '%s' is not running",
                           l->end[e]->node->name);
    int rc = 0;
    if (linkem_needs_relay(l)) {
        rc = linkem_create_relayed(l, err);
    } else {
        struct nl nl;
        rc = nl_open(&nl, -1, err);
        if (rc < 0)
            return rc;
        rc = link_create(&nl, l, err);
        if (rc == 0)
            rc = nl_flush(&nl, err);
        nl_close(&nl);
    }
    if (rc < 0)
        return rc;
    l->created = 1;
    for (int e = 0; e < 2 && rc == 0; e++)
        rc = node_configure(l->end[e]->node, err);
    if (rc == 0)
        rc = linkem_apply(l, err);
    for (int e = 0; e < 2 && rc == 0; e++)
        rc = node_wait_ready(l->end[e]->node, err);
    return rc;
}

/* Runs the node's exec commands in order. As Mininet does with a host's
 * commands, a command that fails (exits non-zero) is reported on stderr with
 * its output and the start goes on: labs often repeat what the engine has
 * already done (a route, an address). Only a command that cannot be run at
 * all (the node is gone, fork fails) fails the start. */
static int
node_run_exec(struct node *node, struct err *err)
{
    if (!node->params.exec)
        return 0;
    for (size_t i = 0; node->params.exec[i]; i++) {
        char *out = NULL;
        int st = node_exec(node, node->params.exec[i], &out, err);
        if (st < 0) {
            free(out);
            return st;
        }
        if (st > 0) {
            size_t len = out ? strlen(out) : 0;
            while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
                len--;
            fprintf(stderr, "fop4: %s: command '%s' failed (status %d)%s%.*s\n",
                    node->name, node->params.exec[i], st, len ? ": " : "",
                    (int)len, len ? out : "");
        }
        free(out);
    }
    return 0;
}

/* Creates and starts one node on a running net (runtime add). */
static int
node_bring_up(struct node *node, struct err *err)
{
    int rc = node->ops->create(node, err);
    if (rc < 0)
        return rc;
    node->created = 1;
    if ((rc = node_configure(node, err)) < 0)
        return rc;
    if (node->ops->start && (rc = node->ops->start(node, err)) < 0)
        return rc;
    node->started = 1;
    return node_run_exec(node, err);
}

static void
node_tear_down(struct node *node)
{
    if (node->started && node->ops->stop)
        node->ops->stop(node);
    node->started = 0;
    if (node->created) {
        if (node->ops->destroy)
            node->ops->destroy(node);
        else
            node_delete_netns(node);
    }
    node_close_netns(node);
    node->created = 0;
}

/* Phase workers. */
struct phase {
    struct net *net;
    struct err *errs; /* one per node */
    int *rcs;
};

static void
ph_create(void *arg, size_t i)
{
    struct phase *p = arg;
    struct node *n = p->net->nodes.v[i];
    p->rcs[i] = n->ops->create(n, &p->errs[i]);
    if (p->rcs[i] == 0)
        n->created = 1;
}

static void
ph_configure(void *arg, size_t i)
{
    struct phase *p = arg;
    p->rcs[i] = node_configure(p->net->nodes.v[i], &p->errs[i]);
}

static void
ph_start(void *arg, size_t i)
{
    struct phase *p = arg;
    struct node *n = p->net->nodes.v[i];
    p->rcs[i] = n->ops->start ? n->ops->start(n, &p->errs[i]) : 0;
    if (p->rcs[i] == 0)
        n->started = 1;
}

static void
ph_wait_ready(void *arg, size_t i)
{
    struct phase *p = arg;
    p->rcs[i] = node_wait_ready(p->net->nodes.v[i], &p->errs[i]);
}

struct teardown {
    struct node **order;
    size_t base;
};

static void
ph_teardown_list(void *arg, size_t i)
{
    struct teardown *td = arg;
    node_tear_down(td->order[td->base + i]);
}

static int
first_error(struct phase *p, size_t n, struct err *err)
{
    for (size_t i = 0; i < n; i++)
        if (p->rcs[i] < 0) {
            if (err && !err_is_set(err))
                *err = p->errs[i];
            return p->rcs[i];
        }
    return 0;
}

static int
mkdir_p(const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *s = buf + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(buf, 0755);
            *s = '/';
        }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

static void
raise_nofile(size_t need)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need + 256) {
        rl.rlim_cur = MIN(rl.rlim_max, (rlim_t)need * 2 + 1024);
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

int
net_start(struct net *net, struct err *err)
{
    if (net->running)
        return err_set(err, -EALREADY, "the network is already running");
    if (!valid_name(net->prefix, 16))
        return err_set(err, -EINVAL,
                       "bad prefix '%s': 1 to 16 letters, digits or '_' (no "
                       "'-': it separates the prefix from node names)",
                       net->prefix);
    if (geteuid() != 0)
        return err_set(err, -EPERM,
                       "starting a network needs root (network namespaces)");
    int rc = mkdir_p(net->state_dir);
    if (rc < 0)
        return err_set(err, rc, "cannot create %s: %s", net->state_dir,
                       strerror(-rc));
    char *pids = xasprintf("%s/pids", net->state_dir);
    mkdir_p(pids);
    free(pids);
    char *owner = xasprintf("%s/owner", net->state_dir);
    FILE *f = fopen(owner, "w");
    if (f) {
        fprintf(f, "%d\n", (int)getpid());
        fclose(f);
    }
    free(owner);
    size_t n = net->nodes.n, n_hosts = 0;
    for (size_t i = 0; i < n; i++)
        n_hosts += !kind_is_switch(net->nodes.v[i]->kind);
    raise_nofile(n + 64);
    net_raise_neigh_limits(net, n_hosts);
    net->running = 1;

    struct phase p = {net, xcalloc(n + 1, sizeof *p.errs),
                      xcalloc(n + 1, sizeof *p.rcs)};
    int w = n_workers(n);
    uint64_t t0 = now_ns();
    /* Namespaces are made on one thread: measured on 2 cores, 1111 of them
     * take 1.1 s on one thread, 1.6 s on two and 2.1 s on four (the kernel
     * serialises the work and the threads only contend). Kinds that wait
     * for something slow (containers) run their own pools. */
    const char *env = getenv("FOP4_THREADS");
    parallel(n, env && atoi(env) > 0 ? w : 1, ph_create, &p);
    if ((rc = first_error(&p, n, err)) < 0)
        goto fail;
    uint64_t t1 = now_ns();

    struct nl nl;
    if ((rc = nl_open(&nl, -1, err)) < 0)
        goto fail;
    for (size_t i = 0; i < net->links.n && rc == 0; i++) {
        struct link *l = net->links.v[i];
        if (linkem_needs_relay(l))
            continue;
        rc = link_create(&nl, l, err);
        l->created = 1;
        /* An error in a batch leaves us unsure which links exist: all are
         * marked and deletion tolerates absence. */
    }
    if (rc == 0)
        rc = nl_flush(&nl, err);
    nl_close(&nl);
    for (size_t i = 0; i < net->links.n && rc == 0; i++) {
        struct link *l = net->links.v[i];
        if (!linkem_needs_relay(l))
            continue;
        rc = linkem_create_relayed(l, err);
        if (rc == 0)
            l->created = 1;
    }
    if (rc < 0)
        goto fail;
    uint64_t t2 = now_ns();

    parallel(n, w, ph_configure, &p);
    if ((rc = first_error(&p, n, err)) < 0)
        goto fail;
    for (size_t i = 0; i < net->links.n && rc == 0; i++)
        rc = linkem_apply(net->links.v[i], err);
    if (rc < 0)
        goto fail;
    uint64_t t3 = now_ns();
    parallel(n, w, ph_start, &p);
    if ((rc = first_error(&p, n, err)) < 0)
        goto fail;
    parallel(n, w, ph_wait_ready, &p);
    if ((rc = first_error(&p, n, err)) < 0)
        goto fail;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = node_run_exec(net->nodes.v[i], err);
    if (rc < 0)
        goto fail;
    LOG(LOG_DEBUG,
        "net_start: %zu nodes, %zu links: namespaces %.3f s, veths %.3f s, "
        "addresses %.3f s, start %.3f s",
        n, net->links.n, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9,
        (now_ns() - t3) / 1e9);
    free(p.errs);
    free(p.rcs);
    return 0;
fail:
    free(p.errs);
    free(p.rcs);
    net_stop(net, NULL);
    return rc;
}

int
net_stop(struct net *net, struct err *err)
{
    if (!net->running)
        return 0;
    size_t n = net->nodes.n;
    net->stopping = 1;
    /* Stop what runs first (processes, containers), then the relayed links,
     * then namespaces in parallel: the kernel removes the veths with them. */
    for (size_t i = 0; i < n; i++) {
        struct node *node = net->nodes.v[i];
        if (node->started && node->ops->stop)
            node->ops->stop(node);
        node->started = 0;
    }
    /* Whatever still runs inside our named namespaces (commands started in
     * the background by users, servers) goes with them, as in Mininet. */
    VEC(ino_t) inos = VEC_INIT;
    for (size_t i = 0; i < n; i++) {
        struct node *node = net->nodes.v[i];
        struct stat st;
        if (node->netns[0] && node->netns[0] != '/' && node->netns_fd >= 0 &&
            fstat(node->netns_fd, &st) == 0)
            VEC_PUSH(&inos, st.st_ino);
    }
    netns_kill_procs(inos.v, inos.n, 0);
    VEC_FREE(&inos);
    /* Links need no work of their own: their veths go with the namespaces,
     * the relay's ports with the relay's namespace (deleting devices one by
     * one costs the kernel an RCU grace period each). */
    for (size_t i = 0; i < net->links.n; i++) {
        struct link *l = net->links.v[i];
        l->relayed = 0;
        l->end[0]->tc_set = l->end[1]->tc_set = 0;
        l->created = 0;
    }
    /* Switches first: a bridge's namespace takes all its ports, and with
     * them every veth pair to the hosts, in one batch of the kernel's
     * namespace cleanup; host namespaces then hold only lo and go fast.
     * (Hosts first would have the kernel unregister the veths namespace by
     * namespace, which takes seconds for a thousand.) */
    struct node **order = xcalloc(n + 1, sizeof *order);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (kind_is_switch(net->nodes.v[i]->kind))
            order[k++] = net->nodes.v[i];
    size_t n_sw = k;
    for (size_t i = 0; i < n; i++)
        if (!kind_is_switch(net->nodes.v[i]->kind))
            order[k++] = net->nodes.v[i];
    struct teardown td = {order, 0};
    parallel(n_sw, n_workers(n_sw), ph_teardown_list, &td);
    td.base = n_sw;
    parallel(n - n_sw, n_workers(n - n_sw), ph_teardown_list, &td);
    free(order);
    if (net->relay) {
        relay_free(net->relay);
        net->relay = NULL;
    }
    net->running = 0;
    net->stopping = 0;
    net_restore_neigh_limits(net);
    char *path = xasprintf("%s/pids", net->state_dir);
    rmdir(path);
    free(path);
    path = xasprintf("%s/owner", net->state_dir);
    unlink(path);
    free(path);
    rmdir(net->state_dir);
    return 0;
}
