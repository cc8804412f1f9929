/* cli_show.c - the shell's inspection commands, printed as Mininet prints them:
 * nodes, net, links, intfs, dump, ports. Reads the engine's model only through
 * net.h, except ports, which reads switch port numbers from kind.h. */
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "engine/kind.h"

int
cmd_nodes(struct cli *cli, int argc, char **argv)
{
    printf("available nodes are:\n");
    for (size_t i = 0; i < net_n_nodes(cli->net); i++)
        printf("%s%s", i ? " " : "", node_name(net_node_at(cli->net, i)));
    printf("\n");
    return CLI_OK;
}

/* The link and end that interface intf of node belongs to, or NULL. */
static const struct link *
find_link(struct net *net, const char *node, const char *intf, int *end)
{
    for (size_t i = 0; i < net_n_links(net); i++) {
        const struct link *l = net_link_at(net, i);
        for (int e = 0; e < 2; e++) {
            if (!strcmp(link_end_node(l, e), node) &&
                !strcmp(link_end_intf(l, e), intf)) {
                *end = e;
                return l;
            }
        }
    }
    return NULL;
}

int
cmd_net(struct cli *cli, int argc, char **argv)
{
    for (size_t i = 0; i < net_n_nodes(cli->net); i++) {
        const struct node *n = net_node_at(cli->net, i);
        printf("%s", node_name(n));
        for (size_t j = 0; j < node_n_intfs(n); j++) {
            const char *in = node_intf_name(n, j);
            int e;
            const struct link *l = find_link(cli->net, node_name(n), in, &e);
            if (l)
                printf(" %s:%s", in, link_end_intf(l, !e));
            else
                printf(" %s:", in);
        }
        printf("\n");
    }
    return CLI_OK;
}

int
cmd_links(struct cli *cli, int argc, char **argv)
{
    for (size_t i = 0; i < net_n_links(cli->net); i++) {
        const struct link *l = net_link_at(cli->net, i);
        const char *st = link_is_up(l) ? "OK" : "MISSING";
        printf("%s<->%s (%s %s)", link_end_intf(l, 0), link_end_intf(l, 1), st,
               st);
        const struct link_params *p = link_get_params(l);
        if (p && (p->bw_mbit || p->delay_ms || p->jitter_ms || p->loss_pct ||
                  p->max_queue)) {
            printf(" [");
            const char *sep = "";
            if (p->bw_mbit) {
                printf("%sbw=%gMbit", sep, p->bw_mbit);
                sep = " ";
            }
            if (p->delay_ms) {
                printf("%sdelay=%gms", sep, p->delay_ms);
                sep = " ";
            }
            if (p->jitter_ms) {
                printf("%sjitter=%gms", sep, p->jitter_ms);
                sep = " ";
            }
            if (p->loss_pct) {
                printf("%sloss=%g%%", sep, p->loss_pct);
                sep = " ";
            }
            if (p->max_queue)
                printf("%smax_queue=%d", sep, p->max_queue);
            printf("]");
        }
        printf("\n");
    }
    return CLI_OK;
}

int
cmd_intfs(struct cli *cli, int argc, char **argv)
{
    for (size_t i = 0; i < net_n_nodes(cli->net); i++) {
        const struct node *n = net_node_at(cli->net, i);
        printf("%s:", node_name(n));
        for (size_t j = 0; j < node_n_intfs(n); j++)
            printf("%s%s", j ? "," : " ", node_intf_name(n, j));
        printf("\n");
    }
    return CLI_OK;
}

int
cmd_dump(struct cli *cli, int argc, char **argv)
{
    for (size_t i = 0; i < net_n_nodes(cli->net); i++) {
        struct node *n = net_node_at(cli->net, i);
        printf("<%s %s:", node_kind_name(node_kind(n)), node_name(n));
        for (size_t j = 0; j < n->intfs.n; j++) {
            const struct intf *in = n->intfs.v[j];
            printf("%s%s:%s", j ? "," : " ", in->name,
                   in->ip ? in->ip : "None");
        }
        const char *ns = node_netns(n);
        printf(" netns=%s", ns && *ns ? ns : "-");
        if (n->pid > 0)
            printf(" pid=%d", (int)n->pid);
        printf(">\n");
    }
    return CLI_OK;
}

int
cmd_ports(struct cli *cli, int argc, char **argv)
{
    for (size_t i = 0; i < net_n_nodes(cli->net); i++) {
        struct node *n = net_node_at(cli->net, i);
        if (node_kind(n) != NODE_BRIDGE && node_kind(n) != NODE_P4SWITCH)
            continue;
        printf("%s:", node_name(n));
        for (size_t j = 0; j < n->intfs.n; j++) {
            const struct intf *in = n->intfs.v[j];
            int e;
            const struct link *l =
                find_link(cli->net, node_name(n), in->name, &e);
            printf(" %d:%s", in->port, in->name);
            if (l)
                printf("(%s)", link_end_node(l, !e));
        }
        printf("\n");
    }
    return CLI_OK;
}
