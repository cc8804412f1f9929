/* nl.c - batched rtnetlink requests through libmnl (see nl.h). The engine's
 * kernel work (net.c, the node kinds) goes through here instead of forking
 * `ip`: one message per object, many messages per send. */
#include "engine/nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/util.h"

int
nl_ns_enter(int netns_fd, int *saved)
{
    *saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (*saved < 0)
        return -errno;
    if (setns(netns_fd, CLONE_NEWNET) < 0) {
        int e = -errno;
        close(*saved);
        *saved = -1;
        return e;
    }
    return 0;
}

void
nl_ns_leave(int saved)
{
    if (saved < 0)
        return;
    if (setns(saved, CLONE_NEWNET) < 0)
        fatal("cannot return to the engine's network namespace: %s",
              strerror(errno));
    close(saved);
}

int
nl_sysctl(const char *path, const char *value)
{
    char p[256];
    snprintf(p, sizeof p, "/proc/sys/%s", path);
    int fd = open(p, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t n = write(fd, value, strlen(value));
    int e = n < 0 ? -errno : 0;
    close(fd);
    return e;
}

int
nl_open(struct nl *nl, int netns_fd, struct err *err)
{
    memset(nl, 0, sizeof *nl);
    int saved = -1, e;
    if (netns_fd >= 0 && (e = nl_ns_enter(netns_fd, &saved)) < 0)
        return err_set(err, e, "cannot enter network namespace: %s",
                       strerror(-e));
    nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    e = nl->sock ? 0 : -errno;
    nl_ns_leave(saved);
    if (!nl->sock)
        return err_set(err, e, "cannot open a netlink socket: %s",
                       strerror(-e));
    if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
        e = -errno;
        mnl_socket_close(nl->sock);
        nl->sock = NULL;
        return err_set(err, e, "cannot bind a netlink socket: %s",
                       strerror(-e));
    }
    int one = 1;
    mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof one);
    int big = 4 << 20;
    setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUFFORCE, &big,
               sizeof big);
    nl->portid = mnl_socket_get_portid(nl->sock);
    nl->buf = xmalloc(NL_BUF_SIZE);
    nl->seq = (uint32_t)time(NULL) << 8;
    return 0;
}

void
nl_close(struct nl *nl)
{
    if (nl->sock)
        mnl_socket_close(nl->sock);
    free(nl->buf);
    memset(nl, 0, sizeof *nl);
}

/* Reads acks until every pending request has one. */
int
nl_flush(struct nl *nl, struct err *err)
{
    if (!nl->n_pending)
        return 0;
    int first_err = 0;
    int acked = 0;
    if (mnl_socket_sendto(nl->sock, nl->buf, nl->len) < 0) {
        first_err = -errno;
        err_set(err, first_err, "%s: netlink send failed: %s", nl->what[0],
                strerror(errno));
        goto out;
    }
    static __thread char rbuf[65536];
    while (acked < nl->n_pending) {
        ssize_t n = mnl_socket_recvfrom(nl->sock, rbuf, sizeof rbuf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            first_err = first_err ? first_err : -errno;
            err_set(err, -errno, "netlink receive failed: %s", strerror(errno));
            break;
        }
        const struct nlmsghdr *h = (const struct nlmsghdr *)rbuf;
        size_t left = (size_t)n;
        for (; mnl_nlmsg_ok(h, (int)left);
             h = mnl_nlmsg_next(h, (int *)&left)) {
            if (h->nlmsg_type != NLMSG_ERROR)
                continue;
            const struct nlmsgerr *me = mnl_nlmsg_get_payload(h);
            uint32_t i = h->nlmsg_seq - nl->seq;
            acked++;
            if (me->error && !first_err) {
                first_err = me->error;
                const char *w =
                    i < (uint32_t)nl->n_pending ? nl->what[i] : "netlink";
                err_set(err, me->error, "%s: %s", w, strerror(-me->error));
            }
        }
    }
out:
    nl->seq += (uint32_t)nl->n_pending;
    nl->n_pending = 0;
    nl->len = 0;
    return first_err;
}

/* Starts a request in the batch buffer. */
static struct nlmsghdr *
begin(struct nl *nl, uint16_t type, uint16_t flags, const char *what,
      struct err *err, int *rc)
{
    *rc = 0;
    if (nl->len + 4096 > NL_BUF_SIZE || nl->n_pending == NL_MAX_PENDING) {
        *rc = nl_flush(nl, err);
        if (*rc < 0)
            return NULL;
    }
    struct nlmsghdr *h = mnl_nlmsg_put_header(nl->buf + nl->len);
    h->nlmsg_type = type;
    h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    h->nlmsg_seq = nl->seq + (uint32_t)nl->n_pending;
    snprintf(nl->what[nl->n_pending], sizeof nl->what[0], "%s", what);
    return h;
}

static void
commit(struct nl *nl, struct nlmsghdr *h)
{
    nl->len += NLMSG_ALIGN(h->nlmsg_len);
    nl->n_pending++;
}

int
nl_parse_mac(const char *s, uint8_t mac[6])
{
    unsigned v[6];
    char tail;
    if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4],
               &v[5], &tail) != 6)
        return -EINVAL;
    for (int i = 0; i < 6; i++) {
        if (v[i] > 255)
            return -EINVAL;
        mac[i] = (uint8_t)v[i];
    }
    return 0;
}

int
nl_parse_cidr(const char *s, uint32_t *addr, int *plen)
{
    char ip[32];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    if (n >= sizeof ip)
        return -EINVAL;
    memcpy(ip, s, n);
    ip[n] = 0;
    struct in_addr a;
    if (inet_pton(AF_INET, ip, &a) != 1)
        return -EINVAL;
    *addr = ntohl(a.s_addr);
    *plen = 32;
    if (slash) {
        char *end;
        long l = strtol(slash + 1, &end, 10);
        if (*end || end == slash + 1 || l < 0 || l > 32)
            return -EINVAL;
        *plen = (int)l;
    }
    return 0;
}

static void
put_link_attrs(struct nlmsghdr *h, const char *name, int ns_fd, const char *mac,
               int mtu)
{
    if (name)
        mnl_attr_put_strz(h, IFLA_IFNAME, name);
    if (ns_fd >= 0)
        mnl_attr_put_u32(h, IFLA_NET_NS_FD, (uint32_t)ns_fd);
    uint8_t m[6];
    if (mac && nl_parse_mac(mac, m) == 0)
        mnl_attr_put(h, IFLA_ADDRESS, 6, m);
    if (mtu > 0)
        mnl_attr_put_u32(h, IFLA_MTU, (uint32_t)mtu);
}

int
nl_veth_add(struct nl *nl, const struct nl_veth *v, struct err *err)
{
    char what[80];
    snprintf(what, sizeof what, "cannot create veth %s <-> %s", v->name[0],
             v->name[1]);
    int rc;
    struct nlmsghdr *h =
        begin(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, what, err, &rc);
    if (!h)
        return rc;
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(h, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_index = v->ifindex[0];
    if (v->up) {
        ifm->ifi_flags = IFF_UP;
        ifm->ifi_change = IFF_UP;
    }
    put_link_attrs(h, v->name[0], v->ns_fd[0], v->mac[0], v->mtu);
    if (v->master_a)
        mnl_attr_put_u32(h, IFLA_MASTER, (uint32_t)v->master_a);
    struct nlattr *li = mnl_attr_nest_start(h, IFLA_LINKINFO);
    mnl_attr_put_strz(h, IFLA_INFO_KIND, "veth");
    struct nlattr *data = mnl_attr_nest_start(h, IFLA_INFO_DATA);
    /* Not mnl_attr_nest_start(): it sets NLA_F_NESTED, and the peer holds an
     * ifinfomsg before its attributes, which the kernel then refuses. */
    struct nlattr *peer = mnl_nlmsg_get_payload_tail(h);
    peer->nla_type = VETH_INFO_PEER;
    h->nlmsg_len += MNL_ALIGN(sizeof(struct nlattr));
    struct ifinfomsg *pm = mnl_nlmsg_put_extra_header(h, sizeof *pm);
    /* The peer's ifinfomsg sits inside the attribute: the header length
     * grew by its size, which nest_end accounts for. */
    pm->ifi_family = AF_UNSPEC;
    pm->ifi_index = v->ifindex[1];
    /* The peer cannot be brought up in this message: veth_open() fails with
     * ENOTCONN while the pair is half made. */
    put_link_attrs(h, v->name[1], v->ns_fd[1], v->mac[1], v->mtu);
    mnl_attr_nest_end(h, peer);
    mnl_attr_nest_end(h, data);
    mnl_attr_nest_end(h, li);
    commit(nl, h);
    return 0;
}

int
nl_bridge_add(struct nl *nl, const char *name, int ifindex, struct err *err)
{
    char what[80];
    snprintf(what, sizeof what, "cannot create bridge %s", name);
    int rc;
    struct nlmsghdr *h =
        begin(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, what, err, &rc);
    if (!h)
        return rc;
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(h, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_index = ifindex;
    ifm->ifi_flags = IFF_UP;
    ifm->ifi_change = IFF_UP;
    mnl_attr_put_strz(h, IFLA_IFNAME, name);
    struct nlattr *li = mnl_attr_nest_start(h, IFLA_LINKINFO);
    mnl_attr_put_strz(h, IFLA_INFO_KIND, "bridge");
    struct nlattr *data = mnl_attr_nest_start(h, IFLA_INFO_DATA);
    mnl_attr_put_u32(h, IFLA_BR_FORWARD_DELAY, 0);
    mnl_attr_put_u32(h, IFLA_BR_STP_STATE, 0);
    /* Without snooping, multicast floods like broadcast: what users of a
     * learning switch expect (and what Mininet's bridges do). */
    mnl_attr_put_u8(h, IFLA_BR_MCAST_SNOOPING, 0);
    mnl_attr_nest_end(h, data);
    mnl_attr_nest_end(h, li);
    commit(nl, h);
    return 0;
}

static struct nlmsghdr *
begin_setlink(struct nl *nl, int ifindex, const char *what, struct err *err,
              int *rc, struct ifinfomsg **ifmp)
{
    struct nlmsghdr *h = begin(nl, RTM_NEWLINK, 0, what, err, rc);
    if (!h)
        return NULL;
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(h, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_index = ifindex;
    *ifmp = ifm;
    return h;
}

int
nl_link_del(struct nl *nl, int ifindex, const char *what, struct err *err)
{
    int rc;
    struct nlmsghdr *h = begin(nl, RTM_DELLINK, 0, what, err, &rc);
    if (!h)
        return rc;
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(h, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_index = ifindex;
    commit(nl, h);
    return 0;
}

int
nl_link_set_up(struct nl *nl, int ifindex, int up, const char *what,
               struct err *err)
{
    int rc;
    struct ifinfomsg *ifm;
    struct nlmsghdr *h = begin_setlink(nl, ifindex, what, err, &rc, &ifm);
    if (!h)
        return rc;
    ifm->ifi_flags = up ? IFF_UP : 0;
    ifm->ifi_change = IFF_UP;
    commit(nl, h);
    return 0;
}

int
nl_link_set_master(struct nl *nl, int ifindex, int master, const char *what,
                   struct err *err)
{
    int rc;
    struct ifinfomsg *ifm;
    struct nlmsghdr *h = begin_setlink(nl, ifindex, what, err, &rc, &ifm);
    if (!h)
        return rc;
    mnl_attr_put_u32(h, IFLA_MASTER, (uint32_t)master);
    commit(nl, h);
    return 0;
}

int
nl_addr_add(struct nl *nl, int ifindex, const char *cidr, const char *what,
            struct err *err)
{
    uint32_t a;
    int plen;
    if (nl_parse_cidr(cidr, &a, &plen) < 0)
        return err_set(err, -EINVAL, "%s: bad address '%s'", what, cidr);
    int rc;
    struct nlmsghdr *h =
        begin(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, what, err, &rc);
    if (!h)
        return rc;
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(h, sizeof *ifa);
    ifa->ifa_family = AF_INET;
    ifa->ifa_prefixlen = (uint8_t)plen;
    ifa->ifa_index = (uint32_t)ifindex;
    uint32_t na = htonl(a);
    mnl_attr_put_u32(h, IFA_LOCAL, na);
    mnl_attr_put_u32(h, IFA_ADDRESS, na);
    if (plen < 31) {
        uint32_t bc = htonl(a | (plen ? 0xffffffffu >> plen : 0xffffffffu));
        mnl_attr_put_u32(h, IFA_BROADCAST, bc);
    }
    commit(nl, h);
    return 0;
}

int
nl_route_add(struct nl *nl, const char *dst, const char *gw, int oif,
             const char *what, struct err *err)
{
    uint32_t d = 0, g = 0;
    int plen = 0, gl;
    if (dst && nl_parse_cidr(dst, &d, &plen) < 0)
        return err_set(err, -EINVAL, "%s: bad destination '%s'", what, dst);
    if (gw && nl_parse_cidr(gw, &g, &gl) < 0)
        return err_set(err, -EINVAL, "%s: bad gateway '%s'", what, gw);
    int rc;
    struct nlmsghdr *h =
        begin(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, what, err, &rc);
    if (!h)
        return rc;
    struct rtmsg *rt = mnl_nlmsg_put_extra_header(h, sizeof *rt);
    rt->rtm_family = AF_INET;
    rt->rtm_dst_len = (uint8_t)plen;
    rt->rtm_table = RT_TABLE_MAIN;
    rt->rtm_protocol = RTPROT_STATIC;
    rt->rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
    rt->rtm_type = RTN_UNICAST;
    if (dst && plen)
        mnl_attr_put_u32(h, RTA_DST, htonl(d));
    if (gw)
        mnl_attr_put_u32(h, RTA_GATEWAY, htonl(g));
    if (oif)
        mnl_attr_put_u32(h, RTA_OIF, (uint32_t)oif);
    commit(nl, h);
    return 0;
}

int
nl_neigh_add(struct nl *nl, int ifindex, const char *ip, const char *mac,
             const char *what, struct err *err)
{
    uint32_t a;
    int plen;
    uint8_t m[6];
    if (nl_parse_cidr(ip, &a, &plen) < 0 || nl_parse_mac(mac, m) < 0)
        return err_set(err, -EINVAL, "%s: bad neighbour %s %s", what, ip, mac);
    int rc;
    struct nlmsghdr *h =
        begin(nl, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, what, err, &rc);
    if (!h)
        return rc;
    struct ndmsg *nd = mnl_nlmsg_put_extra_header(h, sizeof *nd);
    nd->ndm_family = AF_INET;
    nd->ndm_ifindex = ifindex;
    nd->ndm_state = NUD_PERMANENT;
    mnl_attr_put_u32(h, NDA_DST, htonl(a));
    mnl_attr_put(h, NDA_LLADDR, 6, m);
    commit(nl, h);
    return 0;
}

struct fwd_count {
    int n;
};

static int
brport_attr_cb(const struct nlattr *a, void *data)
{
    struct fwd_count *c = data;
    if (mnl_attr_get_type(a) == IFLA_BRPORT_STATE &&
        mnl_attr_get_u8(a) == BR_STATE_FORWARDING)
        c->n++;
    return MNL_CB_OK;
}

static int
link_attr_cb(const struct nlattr *a, void *data)
{
    if (mnl_attr_get_type(a) == IFLA_PROTINFO) {
        if (mnl_attr_get_len(a) == sizeof(uint8_t) + MNL_ATTR_HDRLEN) {
            /* old kernels: the state itself */
            struct fwd_count *c = data;
            if (mnl_attr_get_u8(a) == BR_STATE_FORWARDING)
                c->n++;
        } else {
            mnl_attr_parse_nested(a, brport_attr_cb, data);
        }
    }
    return MNL_CB_OK;
}

static int
link_msg_cb(const struct nlmsghdr *h, void *data)
{
    mnl_attr_parse(h, sizeof(struct ifinfomsg), link_attr_cb, data);
    return MNL_CB_OK;
}

int
nl_bridge_forwarding_ports(struct nl *nl, struct err *err)
{
    int rc = nl_flush(nl, err);
    if (rc < 0)
        return rc;
    struct nlmsghdr *h = mnl_nlmsg_put_header(nl->buf);
    h->nlmsg_type = RTM_GETLINK;
    h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    h->nlmsg_seq = ++nl->seq;
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(h, sizeof *ifm);
    ifm->ifi_family = AF_BRIDGE;
    if (mnl_socket_sendto(nl->sock, h, h->nlmsg_len) < 0)
        return err_set(err, -errno, "bridge port dump: %s", strerror(errno));
    uint32_t seq = h->nlmsg_seq;
    nl->seq++;
    struct fwd_count c = {0};
    static __thread char rbuf[65536];
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(nl->sock, rbuf, sizeof rbuf);
        if (n < 0)
            return err_set(err, -errno, "bridge port dump: %s",
                           strerror(errno));
        rc = mnl_cb_run(rbuf, (size_t)n, seq, nl->portid, link_msg_cb, &c);
        if (rc <= MNL_CB_STOP)
            break;
    }
    if (rc < 0)
        return err_set(err, -errno, "bridge port dump: %s", strerror(errno));
    return c.n;
}

struct ready_count {
    int min_ifindex;
    int not_ready;
};

struct link_info {
    int operstate, has_oper, noop;
};

static int
ready_attr_cb(const struct nlattr *a, void *data)
{
    struct link_info *li = data;
    switch (mnl_attr_get_type(a)) {
    case IFLA_OPERSTATE:
        li->operstate = mnl_attr_get_u8(a);
        li->has_oper = 1;
        break;
    case IFLA_QDISC:
        li->noop = !strcmp(mnl_attr_get_str(a), "noop");
        break;
    }
    return MNL_CB_OK;
}

static int
ready_msg_cb(const struct nlmsghdr *h, void *data)
{
    struct ready_count *c = data;
    const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(h);
    if (ifm->ifi_index < c->min_ifindex || !(ifm->ifi_flags & IFF_UP))
        return MNL_CB_OK;
    struct link_info li = {0};
    mnl_attr_parse(h, sizeof *ifm, ready_attr_cb, &li);
    if (li.noop || !(ifm->ifi_flags & IFF_LOWER_UP) ||
        (li.has_oper && li.operstate != IF_OPER_UP &&
         li.operstate != IF_OPER_UNKNOWN))
        c->not_ready++;
    return MNL_CB_OK;
}

int
nl_links_not_ready(struct nl *nl, int min_ifindex, struct err *err)
{
    int rc = nl_flush(nl, err);
    if (rc < 0)
        return rc;
    struct nlmsghdr *h = mnl_nlmsg_put_header(nl->buf);
    h->nlmsg_type = RTM_GETLINK;
    h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    h->nlmsg_seq = ++nl->seq;
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(h, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    if (mnl_socket_sendto(nl->sock, h, h->nlmsg_len) < 0)
        return err_set(err, -errno, "link dump: %s", strerror(errno));
    uint32_t seq = h->nlmsg_seq;
    nl->seq++;
    struct ready_count c = {min_ifindex, 0};
    static __thread char rbuf[65536];
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(nl->sock, rbuf, sizeof rbuf);
        if (n < 0)
            return err_set(err, -errno, "link dump: %s", strerror(errno));
        rc = mnl_cb_run(rbuf, (size_t)n, seq, nl->portid, ready_msg_cb, &c);
        if (rc <= MNL_CB_STOP)
            break;
    }
    if (rc < 0)
        return err_set(err, -errno, "link dump: %s", strerror(errno));
    return c.not_ready;
}

static int
slave_attr_cb(const struct nlattr *a, void *data)
{
    if (mnl_attr_get_type(a) == IFLA_BRPORT_STATE &&
        mnl_attr_get_u8(a) == BR_STATE_FORWARDING)
        *(int *)data = 1;
    return MNL_CB_OK;
}

static int
linkinfo_attr_cb(const struct nlattr *a, void *data)
{
    if (mnl_attr_get_type(a) == IFLA_INFO_SLAVE_DATA)
        mnl_attr_parse_nested(a, slave_attr_cb, data);
    return MNL_CB_OK;
}

static int
port_attr_cb(const struct nlattr *a, void *data)
{
    if (mnl_attr_get_type(a) == IFLA_LINKINFO)
        mnl_attr_parse_nested(a, linkinfo_attr_cb, data);
    return MNL_CB_OK;
}

int
nl_ports_forwarding(struct nl *nl, const int *ifindex, size_t n,
                    struct err *err)
{
    int rc = nl_flush(nl, err);
    if (rc < 0)
        return rc;
    int fwd = 0;
    static __thread char rbuf[65536];
    for (size_t off = 0; off < n; off += 128) {
        size_t m = MIN((size_t)128, n - off), len = 0;
        uint32_t seq0 = nl->seq;
        for (size_t i = 0; i < m; i++) {
            struct nlmsghdr *h = mnl_nlmsg_put_header(nl->buf + len);
            h->nlmsg_type = RTM_GETLINK;
            h->nlmsg_flags = NLM_F_REQUEST;
            h->nlmsg_seq = seq0 + (uint32_t)i;
            struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(h, sizeof *ifm);
            ifm->ifi_family = AF_UNSPEC;
            ifm->ifi_index = ifindex[off + i];
            len += NLMSG_ALIGN(h->nlmsg_len);
        }
        nl->seq += (uint32_t)m;
        if (mnl_socket_sendto(nl->sock, nl->buf, len) < 0)
            return err_set(err, -errno, "bridge port query: %s",
                           strerror(errno));
        size_t got = 0;
        while (got < m) {
            ssize_t r = mnl_socket_recvfrom(nl->sock, rbuf, sizeof rbuf);
            if (r < 0) {
                if (errno == EINTR)
                    continue;
                return err_set(err, -errno, "bridge port query: %s",
                               strerror(errno));
            }
            const struct nlmsghdr *h = (const struct nlmsghdr *)rbuf;
            int left = (int)r;
            for (; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
                if (h->nlmsg_seq - seq0 >= m)
                    continue;
                if (h->nlmsg_type == NLMSG_ERROR) {
                    got++; /* the port is gone: not forwarding */
                } else if (h->nlmsg_type == RTM_NEWLINK) {
                    int is_fwd = 0;
                    mnl_attr_parse(h, sizeof(struct ifinfomsg), port_attr_cb,
                                   &is_fwd);
                    fwd += is_fwd;
                    got++;
                }
            }
        }
    }
    return fwd;
}
