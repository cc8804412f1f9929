/* node_host.c - the built-in node kinds (kind.h):
 *   host    a named network namespace ("<prefix>-h1");
 *   router  a host with IPv4 forwarding on;
 *   bridge  an L2 learning switch: a Linux bridge named after the node, in the
 *           net's bridge namespace "<prefix>--sw" that all its bridges share.
 *           Keeping bridges out of the root namespace matters: once dockerd
 *           runs, br_netfilter sends bridged frames through the root
 *           namespace's iptables FORWARD chain, whose policy is DROP. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/kind.h"
#include "engine/net_impl.h"
#include "engine/nl.h"

/* Bridge devices: far above the interfaces (IFINDEX_BASE + 2k in net.c). */
#define BRIDGE_IFINDEX (1 << 24)

static int
host_create(struct node *node, struct err *err)
{
    return node_create_netns(node, err);
}

/* Writes a sysctl inside the node's namespace. */
static int
node_sysctl(struct node *node, const char *path, const char *val,
            struct err *err)
{
    int saved, rc = nl_ns_enter(node->netns_fd, &saved);
    if (rc < 0)
        return err_set(err, rc, "node '%s': cannot enter namespace: %s",
                       node->name, strerror(-rc));
    rc = nl_sysctl(path, val);
    nl_ns_leave(saved);
    if (rc < 0)
        return err_set(err, rc, "node '%s': cannot set %s: %s", node->name,
                       path, strerror(-rc));
    return 0;
}

static int
router_create(struct node *node, struct err *err)
{
    int rc = node_create_netns(node, err);
    if (rc == 0)
        rc = node_sysctl(node, "net/ipv4/ip_forward", "1", err);
    if (rc == 0 && node->net->ipv6)
        rc = node_sysctl(node, "net/ipv6/conf/all/forwarding", "1", err);
    return rc;
}

/* Every bridge of a net lives in one namespace, "<prefix>--sw", as every
 * switch of Mininet lives in one (the root) namespace: a linear,1000 topology
 * then costs 1001 namespaces, not 2000, to make and to free. */
static pthread_mutex_t sw_mu = PTHREAD_MUTEX_INITIALIZER;

static void
sw_name(const struct net *net, char *buf, size_t n)
{
    snprintf(buf, n, "%s--sw", net->prefix);
}

static int
sw_ns_get(struct node *node, struct err *err)
{
    struct net *net = node->net;
    char name[96];
    sw_name(net, name, sizeof name);
    int rc = 0;
    pthread_mutex_lock(&sw_mu);
    if (net->sw_ns_fd < 0) {
        int fd = netns_create(name, net->ipv6, err);
        if (fd < 0) {
            rc = fd;
            goto out;
        }
        net->sw_ns_fd = fd;
        /* Bridged frames need not go through this namespace's (empty)
         * iptables; the sysctls exist only when br_netfilter is loaded. */
        int saved;
        if (nl_ns_enter(fd, &saved) == 0) {
            nl_sysctl("net/bridge/bridge-nf-call-iptables", "0");
            nl_sysctl("net/bridge/bridge-nf-call-ip6tables", "0");
            nl_sysctl("net/bridge/bridge-nf-call-arptables", "0");
            nl_ns_leave(saved);
        }
        struct nl nl;
        if (nl_open(&nl, fd, NULL) == 0) {
            nl_link_set_up(&nl, 1, 1, "lo up", NULL);
            nl_flush(&nl, NULL);
            nl_close(&nl);
        }
    }
    node->netns_fd = fcntl(net->sw_ns_fd, F_DUPFD_CLOEXEC, 0);
    if (node->netns_fd < 0) {
        rc = err_set(err, -errno, "dup: %s", strerror(errno));
        goto out;
    }
    snprintf(node->netns, sizeof node->netns, "%s", name);
    net->sw_ns_refs++;
out:
    pthread_mutex_unlock(&sw_mu);
    return rc;
}

static void
sw_ns_put(struct node *node)
{
    struct net *net = node->net;
    pthread_mutex_lock(&sw_mu);
    if (--net->sw_ns_refs == 0 && net->sw_ns_fd >= 0) {
        char name[96];
        sw_name(net, name, sizeof name);
        close(net->sw_ns_fd);
        net->sw_ns_fd = -1;
        netns_delete(name);
    }
    pthread_mutex_unlock(&sw_mu);
}

static int
bridge_ifindex(const struct node *node)
{
    return BRIDGE_IFINDEX + node->num;
}

static int
bridge_create(struct node *node, struct err *err)
{
    int rc = sw_ns_get(node, err);
    if (rc < 0)
        return rc;
    struct nl nl;
    if ((rc = nl_open(&nl, node->netns_fd, err)) == 0) {
        rc = nl_bridge_add(&nl, node->name, bridge_ifindex(node), err);
        if (rc == 0)
            rc = nl_flush(&nl, err);
        nl_close(&nl);
    }
    if (rc < 0) {
        err_prefix(err, "node '%s'", node->name);
        sw_ns_put(node);
        node->netns[0] = 0;
    }
    return rc;
}

static void
bridge_destroy(struct node *node)
{
    if (node->netns_fd < 0)
        return;
    /* When the whole net stops, the namespace goes and takes every bridge
     * with it at once; deleting them one by one costs the kernel an RCU
     * grace period each. */
    if (!node->net->stopping) {
        struct nl nl;
        if (nl_open(&nl, node->netns_fd, NULL) == 0) {
            nl_link_del(&nl, bridge_ifindex(node), "delete bridge", NULL);
            nl_flush(&nl, NULL);
            nl_close(&nl);
        }
    }
    sw_ns_put(node);
}

static int
bridge_enslave(struct node *node, struct intf *const *v, size_t n, int master,
               struct err *err)
{
    struct nl nl;
    int rc = nl_open(&nl, node->netns_fd, err);
    if (rc < 0)
        return rc;
    char what[80];
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (!v[i]->link || !v[i]->link->created)
            continue;
        snprintf(what, sizeof what, "cannot add port %s to bridge %s",
                 v[i]->name, node->name);
        rc = nl_link_set_master(&nl, v[i]->ifindex, master, what, err);
    }
    if (rc == 0)
        rc = nl_flush(&nl, err);
    nl_close(&nl);
    return rc;
}

/* Waits (at most 5 s) until the given ports forward. A new port starts
 * disabled until the kernel's link watcher has seen its carrier (it runs
 * asynchronously, and also replaces the "noop" qdisc that drops everything
 * on a device that came up before its peer); a frame sent in that window is
 * lost, and ARP only retries after a second. */
static int
bridge_wait_forwarding(struct node *node, struct intf *const *v, size_t n,
                       struct err *err)
{
    int *ifx = xcalloc(n + 1, sizeof *ifx);
    size_t want = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i]->link && v[i]->link->created && v[i]->link->up)
            ifx[want++] = v[i]->ifindex;
    struct nl nl;
    int rc = want ? nl_open(&nl, node->netns_fd, err) : 0;
    if (rc < 0 || !want) {
        free(ifx);
        return rc;
    }
    uint64_t end = now_ns() + 5000000000ull;
    int got;
    while ((got = nl_ports_forwarding(&nl, ifx, want, err)) >= 0 &&
           (size_t)got < want && now_ns() < end)
        usleep(1000);
    nl_close(&nl);
    free(ifx);
    return got < 0 ? got : 0; /* a slow port is not an error */
}

static int
bridge_start(struct node *node, struct err *err)
{
    int rc = bridge_enslave(node, node->intfs.v, node->intfs.n,
                            bridge_ifindex(node), err);
    return rc < 0 ? rc
                  : bridge_wait_forwarding(node, node->intfs.v,
                                           node->intfs.n, err);
}

static int
bridge_add_intf(struct node *node, struct intf *intf, struct err *err)
{
    int rc = bridge_enslave(node, &intf, 1, bridge_ifindex(node), err);
    return rc < 0 ? rc : bridge_wait_forwarding(node, &intf, 1, err);
}

const struct node_kind_ops node_host_ops = {
    .name = "host",
    .create = host_create,
};

const struct node_kind_ops node_router_ops = {
    .name = "router",
    .create = router_create,
};

const struct node_kind_ops node_bridge_ops = {
    .name = "bridge",
    .create = bridge_create,
    .destroy = bridge_destroy,
    .start = bridge_start,
    .add_intf = bridge_add_intf,
};
