/* node_host.c - the built-in node kinds (kind.h):
 *   host    a named network namespace ("<prefix>-h1");
 *   router  a host with IPv4 forwarding on;
 *   bridge  an L2 learning switch: a Linux bridge named after the node, in the
 *           node's own namespace. Keeping it out of the root namespace matters:
 *           once dockerd runs, br_netfilter sends bridged frames through the
 *           root namespace's iptables FORWARD chain, whose policy is DROP. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "engine/kind.h"
#include "engine/net_impl.h"
#include "engine/nl.h"

#define BRIDGE_IFINDEX 900

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

static int
bridge_create(struct node *node, struct err *err)
{
    int rc = node_create_netns(node, err);
    if (rc < 0)
        return rc;
    /* Bridged frames need not go through this namespace's (empty) iptables;
     * the sysctl exists only when br_netfilter is loaded. */
    node_sysctl(node, "net/bridge/bridge-nf-call-iptables", "0", NULL);
    node_sysctl(node, "net/bridge/bridge-nf-call-arptables", "0", NULL);
    struct nl nl;
    if ((rc = nl_open(&nl, node->netns_fd, err)) < 0)
        return rc;
    rc = nl_bridge_add(&nl, node->name, BRIDGE_IFINDEX, err);
    if (rc == 0)
        rc = nl_flush(&nl, err);
    nl_close(&nl);
    if (rc < 0)
        err_prefix(err, "node '%s'", node->name);
    return rc;
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

/* Waits (at most 2 s) until every created, up port forwards. A new port
 * starts disabled until the kernel's link watcher has seen its carrier (it
 * runs asynchronously); a ping sent in that window is lost, and ARP only
 * retries after a second. */
static int
bridge_wait_forwarding(struct node *node, struct err *err)
{
    int want = 0;
    for (size_t i = 0; i < node->intfs.n; i++) {
        struct intf *x = node->intfs.v[i];
        want += x->link && x->link->created && x->link->up;
    }
    struct nl nl;
    int rc = nl_open(&nl, node->netns_fd, err);
    if (rc < 0)
        return rc;
    uint64_t end = now_ns() + 2000000000ull;
    int got = 0;
    while ((got = nl_bridge_forwarding_ports(&nl, err)) >= 0 && got < want &&
           now_ns() < end)
        usleep(1000);
    nl_close(&nl);
    return got < 0 ? got : 0; /* a slow port is not an error */
}

static int
bridge_start(struct node *node, struct err *err)
{
    int rc =
        bridge_enslave(node, node->intfs.v, node->intfs.n, BRIDGE_IFINDEX, err);
    return rc < 0 ? rc : bridge_wait_forwarding(node, err);
}

static int
bridge_add_intf(struct node *node, struct intf *intf, struct err *err)
{
    int rc = bridge_enslave(node, &intf, 1, BRIDGE_IFINDEX, err);
    return rc < 0 ? rc : bridge_wait_forwarding(node, err);
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
    .start = bridge_start,
    .add_intf = bridge_add_intf,
};
