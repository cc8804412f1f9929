/* linkem.c - link emulation: Mininet's TCLink parameters on our veths.
 *
 *   bw, max_queue   htb on the egress of each end (in the node's namespace):
 *                   root 5: htb default 1, class 5:1 rate <bw>mbit, and a leaf
 *                   pfifo limit <max_queue> (or netem, below). Without bw but
 *                   with max_queue: a pfifo root.
 *   delay, jitter,  with netem in the kernel: netem on each end's egress (as
 *   loss            the htb leaf when bw is set), as Mininet does.
 *                   Without netem (this project's test machines): the link is
 *                   relayed (relay.c) and the relay applies them per
 *                   direction with netem's semantics.
 * FOP4_LINKEM=relay in the environment forces the relay even where netem
 * exists, so both paths can be compared on one machine. The qdiscs are set
 * with one `tc -batch` per end (only links that have parameters pay for it). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/net_impl.h"
#include "engine/nl.h"
#include "lib/strbuf.h"

/* Runs `tc -batch -` with 'script' inside netns_fd; returns 0 or an error
 * with tc's message. */
static int
tc_batch(int netns_fd, const char *script, const char *who, struct err *err)
{
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) < 0)
        return err_set(err, -errno, "pipe: %s", strerror(errno));
    if (pipe2(out, O_CLOEXEC) < 0) {
        close(in[0]);
        close(in[1]);
        return err_set(err, -errno, "pipe: %s", strerror(errno));
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int e = -errno;
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        return err_set(err, e, "fork: %s", strerror(-e));
    }
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(out[1], 2);
        if (setns(netns_fd, CLONE_NEWNET) < 0)
            _exit(126);
        execlp("tc", "tc", "-force", "-batch", "-", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    size_t len = strlen(script);
    if (write(in[1], script, len) != (ssize_t)len)
        (void)0;
    close(in[1]);
    struct strbuf sb = STRBUF_INIT;
    char buf[1024];
    ssize_t n;
    while ((n = read(out[0], buf, sizeof buf)) > 0)
        strbuf_add(&sb, buf, (size_t)n);
    close(out[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    int rc = 0;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        const char *msg = strbuf_str(&sb);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
            msg = "tc not found (install iproute2)";
        const char *hint = strstr(script, "netem") && strstr(msg, "unknown")
                               ? " (this kernel has no netem: leave "
                                 "FOP4_LINKEM unset to use the engine's relay)"
                               : "";
        rc = err_set(err, -EIO, "%s: tc failed: %.*s%s", who,
                     (int)strcspn(msg, "\n"), msg, hint);
    }
    strbuf_destroy(&sb);
    return rc;
}

static int netem_cached = -1;

int
net_have_netem(void)
{
    if (netem_cached >= 0)
        return netem_cached;
    /* Try it in a throw-away namespace: the only sure test (the module may
     * be built in, loadable, or absent). */
    pid_t pid = fork();
    if (pid == 0) {
        int nul = open("/dev/null", O_WRONLY);
        if (nul >= 0) {
            dup2(nul, 1);
            dup2(nul, 2);
        }
        if (unshare(CLONE_NEWNET) < 0)
            _exit(2);
        execlp("tc", "tc", "qdisc", "add", "dev", "lo", "root", "netem",
               "delay", "1ms", (char *)NULL);
        _exit(127);
    }
    int st = 1;
    if (pid > 0)
        waitpid(pid, &st, 0);
    netem_cached = pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    return netem_cached;
}

static int
use_relay(void)
{
    const char *f = getenv("FOP4_LINKEM");
    if (f && !strcmp(f, "relay"))
        return 1;
    if (f && !strcmp(f, "netem"))
        return 0;
    return !net_have_netem();
}

static int
has_impairment(const struct link_params *p)
{
    return p->delay_ms > 0 || p->jitter_ms > 0 || p->loss_pct > 0;
}

int
linkem_needs_relay(const struct link *link)
{
    return has_impairment(&link->params) && use_relay();
}

int
linkem_has_state(const struct link *link)
{
    return link->relayed || link->params.bw_mbit > 0 ||
           link->params.max_queue > 0 || has_impairment(&link->params);
}

/* The tc script for one end; empty when nothing is to be set. */
static void
tc_script(struct strbuf *sb, const struct link *l, const struct intf *i,
          int netem)
{
    const struct link_params *p = &l->params;
    const char *dev = i->name;
    int q = p->max_queue;
    char nem[256] = "";
    if (netem && has_impairment(p)) {
        int k = snprintf(nem, sizeof nem, "netem");
        if (p->delay_ms > 0 || p->jitter_ms > 0)
            k += snprintf(nem + k, sizeof nem - (size_t)k, " delay %gms",
                          p->delay_ms);
        if (p->jitter_ms > 0)
            k += snprintf(nem + k, sizeof nem - (size_t)k, " %gms",
                          p->jitter_ms);
        if (p->loss_pct > 0)
            k += snprintf(nem + k, sizeof nem - (size_t)k, " loss %g%%",
                          p->loss_pct);
        if (q > 0)
            snprintf(nem + k, sizeof nem - (size_t)k, " limit %d", q);
    }
    if (p->bw_mbit > 0) {
        strbuf_printf(sb, "qdisc add dev %s root handle 5: htb default 1\n",
                      dev);
        /* burst: at least 15 kB (Mininet's) or 1 ms worth at rate */
        double burst = p->bw_mbit * 1e6 / 8 / 1000;
        if (burst < 15000)
            burst = 15000;
        strbuf_printf(sb,
                      "class add dev %s parent 5: classid 5:1 htb rate "
                      "%gmbit burst %.0f\n",
                      dev, p->bw_mbit, burst);
        if (*nem)
            strbuf_printf(sb, "qdisc add dev %s parent 5:1 handle 10: %s\n",
                          dev, nem);
        else if (q > 0)
            strbuf_printf(sb,
                          "qdisc add dev %s parent 5:1 handle 10: pfifo "
                          "limit %d\n",
                          dev, q);
    } else if (*nem) {
        strbuf_printf(sb, "qdisc add dev %s root handle 10: %s\n", dev, nem);
    } else if (q > 0) {
        strbuf_printf(sb, "qdisc add dev %s root handle 10: pfifo limit %d\n",
                      dev, q);
    }
}

int
linkem_apply(struct link *l, struct err *err)
{
    if (!l->created)
        return 0;
    int netem = !l->relayed && !use_relay();
    for (int e = 0; e < 2; e++) {
        struct intf *i = l->end[e];
        struct strbuf sb = STRBUF_INIT;
        if (i->tc_set)
            strbuf_printf(&sb, "qdisc del dev %s root\n", i->name);
        size_t del_len = sb.len;
        tc_script(&sb, l, i, netem);
        int rc = 0;
        if (sb.len) {
            char who[64];
            snprintf(who, sizeof who, "link %s", i->name);
            /* The delete may fail (no qdisc yet): run it apart, ignoring
             * errors, so -batch does not stop before the adds. */
            if (del_len) {
                char *del = xstrndup(sb.s, del_len);
                tc_batch(i->node->netns_fd, del, who, NULL);
                free(del);
                i->tc_set = 0;
            }
            if (sb.len > del_len) {
                rc = tc_batch(i->node->netns_fd, sb.s + del_len, who, err);
                if (rc == 0)
                    i->tc_set = 1;
            }
        }
        strbuf_destroy(&sb);
        if (rc < 0)
            return rc;
    }
    if (l->relayed && l->net->relay)
        relay_set_params(l->net->relay, l);
    return 0;
}

int
linkem_create_relayed(struct link *l, struct err *err)
{
    struct net *net = l->net;
    if (!net->relay && !(net->relay = relay_new(net, err)))
        return err ? err->code : -EIO;
    int k = ++net->n_relayed;
    char pa[16], pb[16];
    snprintf(pa, sizeof pa, "l%da", k);
    snprintf(pb, sizeof pb, "l%db", k);
    int rfd = relay_netns_fd(net->relay);
    l->relay_ifindex[0] = 100000 + 2 * k;
    l->relay_ifindex[1] = 100000 + 2 * k + 1;
    struct nl nl;
    int rc = nl_open(&nl, -1, err);
    if (rc < 0)
        return rc;
    for (int e = 0; e < 2 && rc == 0; e++) {
        struct intf *i = l->end[e];
        struct nl_veth v = {
            .name = {i->name, e ? pb : pa},
            .ns_fd = {i->node->netns_fd, rfd},
            .ifindex = {i->ifindex, l->relay_ifindex[e]},
            .mac = {i->mac, NULL},
            .mtu = i->mtu == 1500 ? 0 : i->mtu,
            .up = l->up,
        };
        rc = nl_veth_add(&nl, &v, err);
    }
    if (rc == 0)
        rc = nl_flush(&nl, err);
    nl_close(&nl);
    if (rc < 0)
        return rc;
    l->relayed = 1;
    if ((rc = nl_open(&nl, rfd, err)) < 0)
        return rc;
    for (int e = 0; e < 2 && rc == 0; e++)
        rc = nl_link_set_up(&nl, l->relay_ifindex[e], 1, "relay port up", err);
    if (rc == 0)
        rc = nl_flush(&nl, err);
    nl_close(&nl);
    if (rc == 0)
        rc = relay_add(net->relay, l, l->relay_ifindex[0], l->relay_ifindex[1],
                       err);
    return rc;
}

void
linkem_remove(struct link *l)
{
    if (l->relayed && l->net->relay) {
        relay_del(l->net->relay, l);
        struct nl nl;
        if (nl_open(&nl, relay_netns_fd(l->net->relay), NULL) == 0) {
            for (int e = 0; e < 2; e++)
                nl_link_del(&nl, l->relay_ifindex[e], "relay port", NULL);
            nl_flush(&nl, NULL);
            nl_close(&nl);
        }
    }
    l->relayed = 0;
    for (int e = 0; e < 2; e++)
        l->end[e]->tc_set = 0;
}
