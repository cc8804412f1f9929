/* fop4/net.h - the emulator's C API: build a network of hosts, containers,
 * bridges, routers and P4 switches with emulated links, start it, use it,
 * stop it.
 *
 *     #include <fop4/net.h>
 *     cc prog.c -lfop4 -ljansson -lyaml -lmnl -lcurl -lpthread -lm
 *
 *     struct err e = {0};
 *     struct net *net = net_new(NULL);
 *     net_add_host(net, "h1", NULL, &e);
 *     net_add_host(net, "h2", NULL, &e);
 *     net_add_node(net, "s1", NODE_BRIDGE, NULL, &e);
 *     net_add_link(net, "h1", "s1", NULL, NULL, NULL, &e);
 *     net_add_link(net, "h2", "s1", NULL, NULL, NULL, &e);
 *     if (net_start(net, &e) < 0)
 *         fprintf(stderr, "fop4: %s\n", e.msg);
 *     ...
 *     net_free(net);   (stops the network and removes all it created)
 *
 * A complete program: examples/api/lab.c.
 *
 * The model (net_add_*) is built first and validated; net_start() does the
 * kernel work. Adding or removing nodes and links on a running network
 * applies at once. Everything created in the kernel or in Docker carries the
 * net's prefix ("fop4" by default) so that `fop4 clean` finds leftovers of a
 * crashed run.
 *
 * Errors: functions return 0 / a pointer on success, a negative errno / NULL
 * on failure with 'err' filled (err may be NULL). */
#ifndef FOP4_NET_H
#define FOP4_NET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fop4/err.h"

struct net;
struct node;
struct link;

enum node_kind {
    /* its own named network namespace (ip netns exec works) */
    NODE_HOST,
    /* a host with IP forwarding on */
    NODE_ROUTER,
    /* an L2 learning switch: a Linux bridge in the net's bridge namespace */
    NODE_BRIDGE,
    /* a Docker container: its network namespace is the container's */
    NODE_DOCKER,
    /* a fop4-switch process in its own namespace */
    NODE_P4SWITCH,
    NODE_KIND_MAX
};

/* Returns "host", "router", ... (the names used in topology files). */
const char *node_kind_name(enum node_kind kind);
/* Parses a kind name; returns -1 if unknown. */
int node_kind_parse(const char *name);

/* Link emulation, Mininet's TCLink parameters. Zero means "not set". */
struct link_params {
    double bw_mbit;   /* rate limit in Mbit/s */
    double delay_ms;  /* one-way delay added on each direction */
    double jitter_ms; /* delay variation (uniform +-jitter) */
    double loss_pct;  /* random loss in percent, each direction */
    int max_queue;    /* queue limit in packets */
};

/* One end of a link. Unset fields (NULL / 0 / -1) are chosen automatically:
 * interface "<node>-eth<N>", Mininet-like MAC and IP (10.0.0.<host#>/8). */
struct intf_params {
    const char *name; /* interface name inside the node */
    const char *mac;  /* "00:00:00:00:00:01" */
    const char *ip;   /* "10.0.0.1/24", or "none" for no address */
    int mtu;          /* 0 = default 1500 */
    int port;         /* P4 switch port number; -1 = next free (link order) */
};

struct docker_params {
    const char *image;      /* required */
    const char *cmd;        /* shell command run once the interfaces are up */
    const char *const *env; /* NULL-terminated "K=V" list, or NULL */
    const char *const *volumes; /* NULL-terminated "host:container[:ro]" list */
    int64_t cpu_quota;          /* CFS quota in us (0 = none) */
    int64_t cpu_period;         /* CFS period in us (0 = default) */
    int64_t cpu_shares;         /* relative weight (0 = default) */
    const char *cpuset;         /* "0-1" (NULL = any) */
    int64_t mem_limit;          /* bytes (0 = none) */
};

struct p4switch_params {
    const char *json; /* BMv2 JSON to load */
    const char *p4;   /* or a P4 program compiled at start (cached) */
    /* simple_switch_CLI command file applied after start */
    const char *commands;
    const char *runtime;        /* or the tutorials' sX-runtime.json */
    int thrift_port;            /* control port (0 = 9090 + switch index) */
    int device_id;              /* 0 = switch index */
    int cpu_port;               /* 0 = none */
    const char *log_level;      /* "info", "debug", ... (NULL = none) */
    const char *pcap_dir;       /* write per-port pcaps there (NULL = none) */
    const char *const *defines; /* -D for compiling p4: ("NAME", "NAME=VALUE"),
                                   NULL-terminated, or NULL */
};

/* Per-node settings; which part is read depends on the kind. */
struct node_params {
    const char *ip; /* default IP of the node's first interface */
    const char *mac;
    const char *defaultroute; /* "via 10.0.0.254" or "dev h1-eth0" */
    const char *const *exec;  /* NULL-terminated commands run after start */
    struct docker_params docker;
    struct p4switch_params p4;
};

struct net_opts {
    const char *prefix; /* name prefix of everything created (default "fop4") */
    const char *ip_base; /* automatic addresses (default "10.0.0.0/8") */
    int static_arp;      /* fill every host's ARP table at start */
    int ipv6;            /* keep IPv6 on emulated interfaces (default off) */
};

/* Creates an empty network model; opts may be NULL. */
struct net *net_new(const struct net_opts *opts);
/* Stops the network if it runs, removes everything it created, frees it.
 * net_free(NULL) is a no-op. */
void net_free(struct net *net);

/* Adds a node; params may be NULL. Names are unique, [A-Za-z0-9_]+, at most
 * 10 characters (interface names are "<node>-eth<N>", 15 at most). On a running
 * network the node is created and started at once. */
struct node *net_add_node(struct net *net, const char *name,
                          enum node_kind kind, const struct node_params *params,
                          struct err *err);
struct node *net_add_host(struct net *net, const char *name,
                          const struct node_params *params, struct err *err);
/* Removes a node and its links (running or not). */
int net_del_node(struct net *net, const char *name, struct err *err);

/* Adds a link between a and b ("h1" or "s1:3" for P4 port 3); params, ia and ib
 * may be NULL. On a running network the link is created at once. */
struct link *net_add_link(struct net *net, const char *a, const char *b,
                          const struct link_params *params,
                          const struct intf_params *ia,
                          const struct intf_params *ib, struct err *err);
int net_del_link(struct net *net, const char *a, const char *b,
                 struct err *err);
/* Brings both ends of the link between a and b up (up=1) or down (up=0). */
int net_link_set_up(struct net *net, const char *a, const char *b, int up,
                    struct err *err);
/* Changes a link's emulation parameters on the fly. */
int net_link_set_params(struct net *net, const char *a, const char *b,
                        const struct link_params *params, struct err *err);

/* Creates namespaces, interfaces, containers and switch processes; on failure
 * removes what it created. */
int net_start(struct net *net, struct err *err);
/* Stops and removes everything created; the model stays. */
int net_stop(struct net *net, struct err *err);

/* Lookups and iteration. */
struct node *net_get_node(const struct net *net, const char *name);
size_t net_n_nodes(const struct net *net);
struct node *net_node_at(const struct net *net, size_t i);
size_t net_n_links(const struct net *net);
struct link *net_link_at(const struct net *net, size_t i);

const char *node_name(const struct node *node);
enum node_kind node_kind(const struct node *node);
/* IP (without prefix length) of the node's first interface, or NULL. */
const char *node_ip(const struct node *node);
/* The node's network namespace as "ip netns" sees it ("fop4-h1"; all bridges
 * of a net share "fop4--sw"), or a /proc/PID/ns/net path for containers. */
const char *node_netns(const struct node *node);
/* Runs a shell command inside the node (its namespace; a container's namespaces
 * via the engine). Captures stdout+stderr into *out (caller frees; out may be
 * NULL to inherit the terminal). Returns the exit status (>= 0) or a negative
 * errno. */
int node_exec(struct node *node, const char *cmd, char **out, struct err *err);

/* Interface and link inspection (for the CLI's net/links/intfs/dump). */
size_t node_n_intfs(const struct node *node);
const char *node_intf_name(const struct node *node, size_t i);
const char *link_end_node(const struct link *link, int end); /* end 0 or 1 */
const char *link_end_intf(const struct link *link, int end);
int link_is_up(const struct link *link);
const struct link_params *link_get_params(const struct link *link);

/* `fop4 clean`: removes every namespace, interface, container, process and
 * temporary file whose name carries prefix (NULL = "fop4") and that this tool
 * created. Prints what it removes when verbose. Returns the number removed. */
int net_clean(const char *prefix, int verbose, struct err *err);

/* Mininet's built-in topologies (`mn --topo`): "single,N" (s1 and h1..hN),
 * "linear,N" (s1..sN in a chain, each with one host hI), "tree,DEPTH,FANOUT"
 * (switches s1..sM numbered depth-first as Mininet does, hosts h1..hN left to
 * right), "minimal" (= single,2). Switches are NODE_BRIDGE. Adds to the model;
 * fails on a malformed spec or a name clash (nothing is added then). */
int net_build_topo(struct net *net, const char *spec, struct err *err);
/* The same with switches of the given kind (NODE_BRIDGE or NODE_P4SWITCH). */
int net_build_topo_kind(struct net *net, const char *spec,
                        enum node_kind switch_kind, struct err *err);

/* Result of probing from one node to another (net_ping). */
struct ping_result {
    struct node *src, *dst;
    int sent, received;
    double rtt_min_ms, rtt_avg_ms, rtt_max_ms; /* -1 when nothing came back */
};

/* Pings, all at once, every ordered pair of distinct nodes among nodes[0..n-1]
 * (nodes NULL = every node that has an IP and is not a bridge/p4switch, i.e.
 * what Mininet's pingall uses). count echo requests per pair (0 = 1), spaced
 * interval_ms apart; a probe that gets no reply within timeout_ms (0 = 1000)
 * is lost. *res gets a malloc'd array of *nres results in pair order
 * (src-major), the caller frees it. Returns the number of pairs with loss
 * (0 = all fine) or a negative errno. The net must be running. */
int net_ping(struct net *net, struct node *const *nodes, size_t n, int count,
             int interval_ms, int timeout_ms, struct ping_result **res,
             size_t *nres, struct err *err);

/* `fop4 doctor`: prints which kernel and host features are present (netns,
 * veth, bridge, htb/tbf, netem, clsact, nftables, dockerd, cgroup v1/v2, the
 * neighbour table limits) and which link-emulation path is in use. */
void net_doctor(FILE *out);

/* 1 if this kernel has the netem qdisc (delay/jitter/loss then use netem),
 * 0 if the engine's own relay is used instead. */
int net_have_netem(void);

/* The net's name prefix ("fop4" unless net_opts.prefix says otherwise). */
const char *net_get_prefix(const struct net *net);

#endif
