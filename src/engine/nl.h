/* nl.h - rtnetlink through libmnl, batched: requests are appended to a buffer
 * and sent together by nl_flush(), which collects every acknowledgement and
 * reports the first failure with what it was about. No `ip` process is forked.
 *
 * A struct nl talks to one network namespace (the one its socket was opened
 * in). Links can still be created in other namespaces from any socket through
 * IFLA_NET_NS_FD. */
#ifndef FOP4_ENGINE_NL_H
#define FOP4_ENGINE_NL_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct mnl_socket;

#define NL_BUF_SIZE (64 * 1024)
#define NL_MAX_PENDING 256

struct nl {
    struct mnl_socket *sock;
    uint32_t portid;
    uint32_t seq; /* sequence number of the first pending request */
    int n_pending;
    char *buf; /* NL_BUF_SIZE bytes */
    size_t len;
    char what[NL_MAX_PENDING][80]; /* description of each pending request */
};

/* Opens a rtnetlink socket in the namespace netns_fd (-1 = the caller's).
 * Thread-safe: only the calling thread switches namespace, and back. */
int nl_open(struct nl *nl, int netns_fd, struct err *err);
void nl_close(struct nl *nl);
/* Sends the pending requests and waits for all their acks. Returns 0 or the
 * first failure's negative errno with err saying "<what>: <strerror>". */
int nl_flush(struct nl *nl, struct err *err);

/* Request builders: they queue (flushing first if the buffer is full) and
 * return 0, or a negative errno from a forced flush. 'what' describes the
 * request in error messages. */

/* A veth pair: end a named name_a in namespace ns_a (fd) with ifindex idx_a
 * (0 = any), MAC mac_a (NULL = random), and its peer likewise; both with mtu
 * (0 = default); end a is brought up when up (the peer cannot be: the caller
 * sets it up with nl_link_set_up() from inside its namespace). master_a:
 * ifindex of a bridge in ns_a to enslave end a to (0 = none). */
struct nl_veth {
    const char *name[2];
    int ns_fd[2];
    int ifindex[2];
    const char *mac[2];
    int mtu;
    int up;
    int master_a;
};
int nl_veth_add(struct nl *nl, const struct nl_veth *v, struct err *err);
/* Creates a bridge (in the socket's namespace) with the given ifindex, up,
 * forwarding at once (forward_delay 0, no STP). */
int nl_bridge_add(struct nl *nl, const char *name, int ifindex,
                  struct err *err);
/* Deletes link ifindex (for a veth: both ends). */
int nl_link_del(struct nl *nl, int ifindex, const char *what, struct err *err);
/* Sets IFF_UP on or off. */
int nl_link_set_up(struct nl *nl, int ifindex, int up, const char *what,
                   struct err *err);
/* Enslaves ifindex to bridge master (0 = release). */
int nl_link_set_master(struct nl *nl, int ifindex, int master, const char *what,
                       struct err *err);
/* Adds "a.b.c.d/len" to ifindex. */
int nl_addr_add(struct nl *nl, int ifindex, const char *cidr, const char *what,
                struct err *err);
/* A route: dst "a.b.c.d/len" or NULL for default; gw "a.b.c.d" or NULL;
 * oif 0 = let the kernel choose from gw. */
int nl_route_add(struct nl *nl, const char *dst, const char *gw, int oif,
                 const char *what, struct err *err);
/* A permanent neighbour entry ip -> mac on ifindex. */
int nl_neigh_add(struct nl *nl, int ifindex, const char *ip, const char *mac,
                 const char *what, struct err *err);

/* Counts the bridge ports (in the socket's namespace) that are forwarding.
 * Flushes pending requests first. Returns the count or a negative errno. */
int nl_bridge_forwarding_ports(struct nl *nl, struct err *err);

/* Counts the interfaces (in the socket's namespace, ifindex >= min_ifindex)
 * that are administratively up but not ready to send yet: carrier or
 * operational state not up, or still the "noop" qdisc the kernel leaves on
 * a device that came up without carrier until its link watcher runs. */
int nl_links_not_ready(struct nl *nl, int min_ifindex, struct err *err);

/* Counts how many of the given bridge ports (ifindexes in the socket's
 * namespace) are forwarding, asking for each port alone (cost linear in n,
 * whatever else the namespace holds). Returns the count or a negative
 * errno. */
int nl_ports_forwarding(struct nl *nl, const int *ifindex, size_t n,
                        struct err *err);

/* Parses "a.b.c.d/len" (len optional, default 32); returns 0 or -EINVAL. */
int nl_parse_cidr(const char *s, uint32_t *addr, int *plen);
/* Parses "aa:bb:cc:dd:ee:ff"; returns 0 or -EINVAL. */
int nl_parse_mac(const char *s, uint8_t mac[6]);

/* Enters the network namespace fd in the calling thread; *saved gets an fd on
 * the previous one for nl_ns_leave(). */
int nl_ns_enter(int netns_fd, int *saved);
void nl_ns_leave(int saved);
/* Writes value to /proc/sys/<path> of the calling thread's namespace. */
int nl_sysctl(const char *path, const char *value);

#endif
