/* net_impl.h - the engine's private model (struct net, struct link) and the
 * internal functions its files share: net.c (model and life cycle), netns.c
 * (namespaces), nl.c (netlink), linkem.c (link emulation), ping.c, clean.c,
 * doctor.c, gen.c (built-in topologies). Node kinds see only kind.h. */
#ifndef FOP4_ENGINE_NET_IMPL_H
#define FOP4_ENGINE_NET_IMPL_H

#include "engine/kind.h"
#include "lib/hmap.h"

#include <sys/types.h>

struct relay;

struct link {
    struct net *net;
    struct intf *end[2];
    struct link_params params;
    int up;               /* administratively up (both ends) */
    int created;          /* the veth pair exists */
    int relayed;          /* goes through the engine's relay (delay/loss without
                             netem): end[i]'s peer is a relay port, not the other end */
    int relay_ifindex[2]; /* its relay ports, in the relay namespace */
};

struct net {
    char *prefix;     /* "fop4" */
    char *state_dir;  /* "/run/fop4/<prefix>" */
    uint32_t ip_base; /* host byte order, network address */
    int ip_plen;      /* prefix length of automatic addresses */
    int static_arp, ipv6;
    struct hmap nodes_by_name;
    VEC(struct node *) nodes; /* in order of addition */
    VEC(struct link *) links;
    int n_ip_nodes; /* nodes numbered for automatic addresses */
    int n_switches;
    int n_relayed; /* relayed links ever made (relay port names) */
    int stopping;  /* net_stop() is tearing everything down */
    /* The bridges' shared namespace "<prefix>--sw" (node_host.c). */
    int sw_ns_fd;     /* -1 when no bridge exists */
    int sw_ns_refs;   /* bridges in it */
    int sw_n_ifindex; /* its interfaces ever made (ifindex allocation) */
    int running;
    struct relay *relay; /* started on demand */
    int saved_gc[3];     /* neighbour table limits to restore, 0 = untouched */
};

/* Is this kind a switch (ports numbered from 1, no automatic IP)? */
int kind_is_switch(enum node_kind kind);

/* linkem.c: emulation of link parameters. A link whose delay, jitter or loss
 * cannot be done by the kernel (no netem) goes through the relay: each end
 * is a veth to a port of the relay namespace. */
int linkem_needs_relay(const struct link *link);
/* Creates a relayed link's two veth pairs and registers it with the relay. */
int linkem_create_relayed(struct link *link, struct err *err);
/* Applies link->params to a created link (qdiscs, relay parameters). */
int linkem_apply(struct link *link, struct err *err);
/* Has linkem state to remove (qdiscs or relay)? */
int linkem_has_state(const struct link *link);
/* Removes the link's emulation (and a relayed link's relay-side veths). */
void linkem_remove(struct link *link);

/* relay.c */
struct relay *relay_new(struct net *net, struct err *err);
void relay_free(struct relay *r);
/* Adds the two ports (ifindex in the relay namespace) that stand for a link's
 * ends; packets from port a go out of port b and back, with params applied. */
int relay_add(struct relay *r, struct link *link, int ifindex_a, int ifindex_b,
              struct err *err);
void relay_set_params(struct relay *r, struct link *link);
void relay_del(struct relay *r, struct link *link);
int relay_netns_fd(struct relay *r);

/* netns.c: a named namespace under /run/netns; returns an open fd on it. */
int netns_create(const char *name, int ipv6, struct err *err);
void netns_delete(const char *name);
/* Start time of a process (field 22 of /proc/PID/stat), 0 if none. */
unsigned long long proc_start_time(pid_t pid);

/* clean.c: SIGKILLs every process whose network namespace has one of the
 * given inode numbers (sorts inos); returns how many. */
int netns_kill_procs(ino_t *inos, size_t n, int verbose);

/* Neighbour limits (clean.c) */
void net_raise_neigh_limits(struct net *net, size_t n_hosts);
void net_restore_neigh_limits(struct net *net);

#endif
