/* kind.h - the node-kind interface: how the engine (net.c) drives one kind of
 * node (host, router, bridge, docker, p4switch) through its life, and the
 * parts of the engine's model a kind may read.
 *
 * Life of a node, as net_start() / net_add_node() on a running net drive it:
 *
 * 1. ops->create(node): the kind makes the node's network namespace exist and
 *    tells the engine where it is: it sets node->netns (a name under
 *    /run/netns, e.g. "fop4-h1", or a path such as "/proc/1234/ns/net") and
 *    node->netns_fd (an open fd on that namespace, O_RDONLY|O_CLOEXEC; the
 *    engine closes it in node_close_netns()). Nothing of the user's runs yet.
 *    Most kinds call node_create_netns() (a named namespace with IPv6 off;
 *    the engine sets lo up in step 2). The docker kind creates and starts its
 *    container with an init that waits, then opens /proc/<pid>/ns/net.
 * 2. The engine creates every interface of the node directly inside
 *    node->netns_fd (veth ends, addresses, MAC, MTU, up, link emulation),
 *    sets sysctls, routes, static ARP.
 * 3. ops->start(node): interfaces are up; the kind starts what runs on the
 *    node. bridge: enslaves its ports to its Linux bridge; docker: runs its
 *    user command now that its interfaces exist; p4switch: starts
 *    `fop4-switch -i N@intf ...` inside the namespace (node_spawn()) and waits
 *    until its control port answers. May be NULL.
 * 4. ops->stop(node): stops what start() started (processes, commands). Must
 *    tolerate a failed or partial start. May be NULL.
 * 5. ops->destroy(node): removes what create() made (the namespace, the
 *    container) and frees node->priv. Must tolerate a partial create. The
 *    engine has already deleted the node's interfaces (or, when the whole net
 *    stops, net->stopping is set and the namespaces take them). May be NULL:
 *    then the engine removes a named namespace itself (node_delete_netns()).
 *
 * Optional operations (NULL = none or the engine's default):
 * - ops->exec(node, cmd, &out) runs `/bin/sh -c cmd` in the node (hosts:
 *   setns into its namespaces, fork, exec; docker: a docker exec). Default:
 *   node_exec_ns().
 * - ops->add_intf(node, intf) / ops->del_intf(node, intf): a link was added
 *   to or removed from a node that is already started (runtime change): a
 *   bridge enslaves the port, a p4switch adds the port to its switch process.
 * - ops->validate(node) checks the kind's params when the node is added to
 *   the model (nothing exists in the kernel yet).
 * - ops->clean(prefix): `fop4 clean` removes leftovers of this kind for a
 *   prefix after a crash (containers, processes). net_clean() always removes
 *   namespaces, veths, pidfiles and state itself.
 *
 * Processes a kind starts must be recorded with node_record_pid() so that
 * `fop4 clean` can kill them after a kill -9 of fop4 (pidfiles under
 * /run/fop4/<prefix>/pids/); node_spawn() does it.
 *
 * Registry: kind.c maps enum node_kind to a `const struct node_kind_ops` named
 * node_<kind>_ops (node_host_ops, node_router_ops, node_bridge_ops,
 * node_docker_ops, node_p4switch_ops), defined by the kind's own file
 * (node_host.c, node_docker.c, node_p4switch.c). */
#ifndef FOP4_ENGINE_KIND_H
#define FOP4_ENGINE_KIND_H

#include <stdint.h>
#include <sys/types.h>

#include "fop4/net.h"
#include "lib/err.h"
#include "lib/vec.h"

struct intf;

struct node_kind_ops {
    const char *name; /* "host", "docker", ... */
    int (*validate)(struct node *node, struct err *err);
    int (*create)(struct node *node, struct err *err);
    int (*start)(struct node *node, struct err *err);
    void (*stop)(struct node *node);
    void (*destroy)(struct node *node);
    int (*exec)(struct node *node, const char *cmd, char **out,
                struct err *err);
    int (*add_intf)(struct node *node, struct intf *intf, struct err *err);
    void (*del_intf)(struct node *node, struct intf *intf);
    int (*clean)(const char *prefix, int verbose, struct err *err);
};

/* One interface of a node: one end of a link. */
struct intf {
    struct node *node;
    struct link *link;
    char name[16]; /* name inside the node's namespace ("h1-eth0") */
    char mac[18];  /* "00:00:00:00:00:01" */
    char *ip;      /* "10.0.0.1/8", or NULL for none (owned) */
    char addr[16]; /* the address part of ip ("10.0.0.1"), or "" */
    int mtu;       /* 1500 unless set */
    int port;      /* port number on a switch (bridge/p4switch), else the
                      interface's index on its node */
    int ifindex;   /* inside the node's namespace */
    int tc_set;    /* the engine put qdiscs on it (linkem.c) */
};

/* A node of the model. Kinds read everything; they write only netns, netns_fd,
 * pid and priv. */
struct node {
    struct net *net;
    char *name;
    enum node_kind kind;
    const struct node_kind_ops *ops;
    struct node_params params; /* deep copy owned by the node */
    int num;                   /* 1-based number among nodes of the same role
                                  (hosts: h1 -> 1), for automatic IP/MAC */
    VEC(struct intf *) intfs;  /* in link order */
    int next_port;             /* next automatic port number */
    int n_ifindex;             /* interfaces ever made (ifindex allocation) */
    char netns[96];            /* "fop4-h1" (under /run/netns) or a path */
    int netns_fd;              /* -1 until create() */
    pid_t pid;                 /* main process of the node, or 0 */
    int created, started;      /* life-cycle progress (for unwinding) */
    void *priv;                /* the kind's private data */
};

/* Registry lookup; NULL if the kind is not linked into this binary. */
const struct node_kind_ops *kind_ops(enum node_kind kind);

/* Helpers for kinds (implemented by the engine). */

/* The net's prefix ("fop4"). */
const char *net_prefix(const struct net *net);
/* The net's state directory "/run/fop4/<prefix>" (created at net_start). */
const char *net_state_dir(const struct net *net);
/* Creates the named namespace "<prefix>-<node>" (bind mount under /run/netns),
 * IPv6 off unless the net asks for it (the engine brings lo up with the
 * node's addresses); sets node->netns and node->netns_fd. */
int node_create_netns(struct node *node, struct err *err);
/* Removes the namespace made by node_create_netns() (tolerates absence). */
void node_delete_netns(struct node *node);
/* Closes node->netns_fd if open. */
void node_close_netns(struct node *node);
/* Runs `/bin/sh -c cmd` inside node->netns_fd (and the node's UTS namespace if
 * it has one) as node_exec() documents. */
int node_exec_ns(struct node *node, const char *cmd, char **out,
                 struct err *err);
/* Starts argv in the node's namespace in the background, stdout+stderr to
 * logpath (NULL = /dev/null); records its pid (node_record_pid). Returns the
 * pid or a negative errno. */
pid_t node_spawn(struct node *node, char *const argv[], const char *logpath,
                 struct err *err);
/* Records / forgets a process of ours under /run/fop4/<prefix>/pids/ so that
 * net_clean() kills it after a crash. */
void node_record_pid(struct node *node, pid_t pid, const char *what);
void node_forget_pid(struct node *node, pid_t pid);

#endif
