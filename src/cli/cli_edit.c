/* cli_edit.c - the shell's commands that change a running network: link up/
 * down, linkparams, addhost/addrouter/addbridge/adddocker/addp4switch,
 * addlink, delnode, dellink. Node settings (KEY=VALUE) are validated by the
 * topology parser itself (topo.c), so a node added here accepts exactly the
 * keys and spellings of a topology file. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "engine/docker.h"
#include "engine/topo.h"
#include "lib/strbuf.h"

/* Splits "A" / "s1:3" into a node name; checks the node exists. */
static struct node *
end_node(struct cli *cli, const char *end)
{
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(end, ":"), end);
    return cli_node(cli, name);
}

int
cmd_link(struct cli *cli, int argc, char **argv)
{
    int up;
    if (!strcmp(argv[3], "up"))
        up = 1;
    else if (!strcmp(argv[3], "down"))
        up = 0;
    else
        return cli_error(cli, "usage: link A B up|down (not '%s')", argv[3]);
    if (!end_node(cli, argv[1]) || !end_node(cli, argv[2]))
        return CLI_FAIL;
    struct err e = {0};
    if (net_link_set_up(cli->net, argv[1], argv[2], up, &e) < 0)
        return cli_error(cli, "link %s %s: %s", argv[1], argv[2], e.msg);
    return CLI_OK;
}

/* Per-end settings of addlink: ip1= mac1= intf1= for the first end, ...2 for
 * the second. */
struct end_kv {
    struct intf_params ia, ib;
};

/* Parses KEY=VALUE link settings argv[from..] into p (and ends when not NULL).
 * Returns 0 or CLI_FAIL after printing the error. */
static int
parse_link_kv(struct cli *cli, int argc, char **argv, int from,
              struct link_params *p, struct end_kv *ends)
{
    for (int i = from; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq || eq == argv[i])
            return cli_error(cli, "%s: expected KEY=VALUE, not '%s'", argv[0],
                             argv[i]);
        char key[32];
        snprintf(key, sizeof key, "%.*s", (int)(eq - argv[i]), argv[i]);
        const char *v = eq + 1, *why = NULL;
        int bad = 0;
        if (!strcmp(key, "bw"))
            bad = topo_parse_bw_mbit(v, &p->bw_mbit, &why);
        else if (!strcmp(key, "delay"))
            bad = topo_parse_duration_ms(v, &p->delay_ms, &why);
        else if (!strcmp(key, "jitter"))
            bad = topo_parse_duration_ms(v, &p->jitter_ms, &why);
        else if (!strcmp(key, "loss"))
            bad = topo_parse_percent(v, &p->loss_pct, &why);
        else if (!strcmp(key, "max_queue")) {
            char *end;
            long q = strtol(v, &end, 10);
            if (!*v || *end || q < 0 || q > 1000000) {
                bad = -1;
                why = "expected a number of packets";
            } else
                p->max_queue = (int)q;
        } else if (ends && (!strcmp(key, "mtu"))) {
            int m = atoi(v);
            if (m < 68 || m > 65535) {
                bad = -1;
                why = "expected 68..65535";
            }
            ends->ia.mtu = ends->ib.mtu = m;
        } else if (ends && (!strcmp(key, "ip1") || !strcmp(key, "ip2"))) {
            bad = topo_check_ip(v, 1, &why);
            *(key[2] == '1' ? &ends->ia.ip : &ends->ib.ip) = v;
        } else if (ends && (!strcmp(key, "mac1") || !strcmp(key, "mac2"))) {
            bad = topo_check_mac(v, &why);
            *(key[3] == '1' ? &ends->ia.mac : &ends->ib.mac) = v;
        } else if (ends && (!strcmp(key, "intf1") || !strcmp(key, "intf2"))) {
            if (!*v || strlen(v) > 15) {
                bad = -1;
                why = "1 to 15 characters";
            }
            *(key[4] == '1' ? &ends->ia.name : &ends->ib.name) = v;
        } else
            return cli_error(cli,
                             "%s: unknown setting '%s' (bw, delay, jitter, "
                             "loss, max_queue%s)",
                             argv[0], key,
                             ends ? ", mtu, ip1, ip2, mac1, mac2, intf1, intf2"
                                  : "");
        if (bad)
            return cli_error(cli, "%s: bad %s '%s': %s", argv[0], key, v, why);
    }
    return 0;
}

int
cmd_linkparams(struct cli *cli, int argc, char **argv)
{
    if (!end_node(cli, argv[1]) || !end_node(cli, argv[2]))
        return CLI_FAIL;
    /* Start from the link's current settings: only named keys change. */
    struct link_params p = {0};
    for (size_t i = 0; i < net_n_links(cli->net); i++) {
        const struct link *l = net_link_at(cli->net, i);
        const char *a = link_end_node(l, 0), *b = link_end_node(l, 1);
        size_t la = strcspn(argv[1], ":"), lb = strcspn(argv[2], ":");
        if ((!strncmp(a, argv[1], la) && !a[la] && !strncmp(b, argv[2], lb) &&
             !b[lb]) ||
            (!strncmp(b, argv[1], la) && !b[la] && !strncmp(a, argv[2], lb) &&
             !a[lb])) {
            if (link_get_params(l))
                p = *link_get_params(l);
            break;
        }
    }
    if (parse_link_kv(cli, argc, argv, 3, &p, NULL))
        return CLI_FAIL;
    struct err e = {0};
    if (net_link_set_params(cli->net, argv[1], argv[2], &p, &e) < 0)
        return cli_error(cli, "linkparams %s %s: %s", argv[1], argv[2], e.msg);
    return CLI_OK;
}

int
cmd_addlink(struct cli *cli, int argc, char **argv)
{
    if (!end_node(cli, argv[1]) || !end_node(cli, argv[2]))
        return CLI_FAIL;
    struct link_params p = {0};
    struct end_kv ends = {{0}, {0}};
    ends.ia.port = ends.ib.port = -1;
    if (parse_link_kv(cli, argc, argv, 3, &p, &ends))
        return CLI_FAIL;
    struct err e = {0};
    if (!net_add_link(cli->net, argv[1], argv[2], &p, &ends.ia, &ends.ib, &e))
        return cli_error(cli, "addlink %s %s: %s", argv[1], argv[2], e.msg);
    return CLI_OK;
}

int
cmd_dellink(struct cli *cli, int argc, char **argv)
{
    if (!end_node(cli, argv[1]) || !end_node(cli, argv[2]))
        return CLI_FAIL;
    struct err e = {0};
    if (net_del_link(cli->net, argv[1], argv[2], &e) < 0)
        return cli_error(cli, "dellink %s %s: %s", argv[1], argv[2], e.msg);
    return CLI_OK;
}

int
cmd_delnode(struct cli *cli, int argc, char **argv)
{
    if (!cli_node(cli, argv[1]))
        return CLI_FAIL;
    struct err e = {0};
    if (net_del_node(cli->net, argv[1], &e) < 0)
        return cli_error(cli, "delnode %s: %s", argv[1], e.msg);
    return CLI_OK;
}

/* Appends s to sb as a YAML double-quoted scalar. */
static void
yaml_quote(struct strbuf *sb, const char *s)
{
    strbuf_putc(sb, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            strbuf_putc(sb, '\\');
        strbuf_putc(sb, *s);
    }
    strbuf_putc(sb, '"');
}

static int
is_list_key(const char *key)
{
    return !strcmp(key, "env") || !strcmp(key, "volumes") ||
           !strcmp(key, "exec");
}

int
cmd_addnode(struct cli *cli, int argc, char **argv)
{
    const char *kind = argv[0] + 3; /* "addhost" -> "host" */
    const char *why;
    if (topo_check_node_name(argv[1], &why) < 0)
        return cli_error(cli, "%s: bad name '%s': %s", argv[0], argv[1], why);
    if (net_get_node(cli->net, argv[1]))
        return cli_error(cli, "%s: a node named '%s' exists already", argv[0],
                         argv[1]);
    /* Write the node as a topology file and let topo.c validate it. */
    struct strbuf y = STRBUF_INIT;
    strbuf_printf(&y, "nodes:\n  %s:\n    kind: %s\n", argv[1], kind);
    for (int i = 2; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq || eq == argv[i]) {
            strbuf_destroy(&y);
            return cli_error(cli, "%s: expected KEY=VALUE, not '%s'", argv[0],
                             argv[i]);
        }
        char key[32];
        snprintf(key, sizeof key, "%.*s", (int)(eq - argv[i]), argv[i]);
        if (is_list_key(key)) {
            int seen = 0;
            for (int j = 2; j < i; j++)
                seen |= !strncmp(argv[j], argv[i], (size_t)(eq - argv[i]) + 1);
            if (seen)
                continue;
            strbuf_printf(&y, "    %s: [", key);
            int first = 1;
            for (int j = i; j < argc; j++) {
                if (strncmp(argv[j], argv[i], (size_t)(eq - argv[i]) + 1))
                    continue;
                if (!first)
                    strbuf_puts(&y, ", ");
                yaml_quote(&y, argv[j] + (eq - argv[i]) + 1);
                first = 0;
            }
            strbuf_puts(&y, "]\n");
        } else {
            strbuf_printf(&y, "    %s: ", key);
            yaml_quote(&y, eq + 1);
            strbuf_putc(&y, '\n');
        }
    }
    struct strbuf diags = STRBUF_INIT;
    char path[64];
    snprintf(path, sizeof path, "%s", argv[0]);
    struct topo *t = topo_parse_string(path, strbuf_str(&y), &diags);
    strbuf_destroy(&y);
    int rc = CLI_OK;
    if (!t) {
        /* "addhost:3:9: error: msg" -> "addhost: msg" */
        const char *d = strbuf_str(&diags);
        const char *m = strstr(d, "error: ");
        m = m ? m + 7 : d;
        rc = cli_error(cli, "%s: %.*s", argv[0], (int)strcspn(m, "\n"), m);
        goto out;
    }
    const struct topo_node *tn = &t->nodes.v[0];
    struct err e = {0};
    if (!net_add_node(cli->net, tn->name, tn->kind, &tn->params, &e))
        rc = cli_error(cli, "%s %s: %s", argv[0], argv[1], e.msg);
out:
    topo_free(t);
    strbuf_destroy(&diags);
    return rc;
}

int
cmd_update(struct cli *cli, int argc, char **argv)
{
    struct node *n = cli_node(cli, argv[1]);
    if (!n)
        return CLI_FAIL;
    if (node_kind(n) != NODE_DOCKER)
        return cli_error(cli,
                         "update: '%s' is a %s; only docker nodes have "
                         "resource limits",
                         argv[1], node_kind_name(node_kind(n)));
    struct err e = {0};
    if (node_docker_update_args(n, (size_t)(argc - 2),
                                (const char *const *)argv + 2, &e) < 0)
        return cli_error(cli, "update: %s", e.msg);
    return CLI_OK;
}
