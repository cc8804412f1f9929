/* cli_test.c - the shell's traffic tests: pingall, pingallfull, pingpair (all
 * probes at once through the engine's net_ping) and iperf / iperfudp (iperf 2
 * run inside the nodes), with Mininet's output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "engine/topo.h"

/* Prints Mininet's report for res; returns 0 if nothing was lost. */
static int
report(const struct ping_result *res, size_t nres, int full)
{
    int sent = 0, recv = 0;
    printf("*** Ping: testing ping reachability\n");
    for (size_t i = 0; i < nres; i++) {
        if (i == 0 || res[i].src != res[i - 1].src)
            printf("%s ->", node_name(res[i].src));
        printf(" %s", res[i].received > 0 ? node_name(res[i].dst) : "X");
        if (i + 1 == nres || res[i + 1].src != res[i].src)
            printf("\n");
        sent += res[i].sent;
        recv += res[i].received;
    }
    if (full) {
        printf("*** Results:\n");
        for (size_t i = 0; i < nres; i++) {
            printf(" %s->%s: %d/%d, ", node_name(res[i].src),
                   node_name(res[i].dst), res[i].received, res[i].sent);
            if (res[i].received > 0)
                printf("rtt min/avg/max %.3f/%.3f/%.3f ms\n", res[i].rtt_min_ms,
                       res[i].rtt_avg_ms, res[i].rtt_max_ms);
            else
                printf("no reply\n");
        }
    }
    int pct = sent ? (int)((double)(sent - recv) * 100.0 / sent + 0.5) : 0;
    if (sent && recv < sent && pct == 0)
        pct = 1; /* never report 0% when something was lost */
    printf("*** Results: %d%% dropped (%d/%d received)\n", pct, recv, sent);
    return recv == sent ? 0 : 1;
}

static int
run_ping(struct cli *cli, struct node *const *nodes, size_t n, int full,
         int timeout_ms)
{
    struct ping_result *res = NULL;
    size_t nres = 0;
    struct err e = {0};
    fflush(stdout);
    int rc = net_ping(cli->net, nodes, n, 1, 0, timeout_ms, &res, &nres, &e);
    if (rc < 0)
        return cli_error(cli, "ping: %s", e.msg);
    if (nres == 0) {
        free(res);
        printf("*** Ping: no hosts to ping\n");
        return CLI_OK;
    }
    int lost = report(res, nres, full);
    free(res);
    return lost ? CLI_FAIL : CLI_OK;
}

static int
timeout_arg(struct cli *cli, int argc, char **argv, int *ms)
{
    *ms = CLI_PING_TIMEOUT_MS;
    if (argc < 2)
        return 0;
    double s;
    const char *why;
    if (topo_parse_duration_ms(argv[1], &s, &why) < 0 || s <= 0) {
        cli_error(cli, "%s: bad timeout '%s' (seconds, e.g. 2)", argv[0],
                  argv[1]);
        return -1;
    }
    /* A bare number is seconds here, as in Mininet's pingall TIMEOUT. */
    *ms = strpbrk(argv[1], "mus") ? (int)s : (int)(s * 1000);
    if (*ms < 1)
        *ms = 1;
    return 0;
}

int
cli_pingall(struct cli *cli, int full, int timeout_ms)
{
    return run_ping(cli, NULL, 0, full, timeout_ms);
}

int
cmd_pingall(struct cli *cli, int argc, char **argv)
{
    int ms;
    if (timeout_arg(cli, argc, argv, &ms) < 0)
        return CLI_FAIL;
    return run_ping(cli, NULL, 0, 0, ms);
}

int
cmd_pingallfull(struct cli *cli, int argc, char **argv)
{
    int ms;
    if (timeout_arg(cli, argc, argv, &ms) < 0)
        return CLI_FAIL;
    return run_ping(cli, NULL, 0, 1, ms);
}

/* The two hosts named by argv[i], argv[i+1], or the first two hosts. */
static int
two_hosts(struct cli *cli, int argc, char **argv, int i, struct node *h[2])
{
    if (argc > i + 1) {
        for (int k = 0; k < 2; k++) {
            if (!(h[k] = cli_node(cli, argv[i + k])))
                return -1;
            if (!cli_is_host(h[k]) || !node_ip(h[k])) {
                cli_error(cli, "'%s' is a %s without an IP: pick hosts",
                          argv[i + k], node_kind_name(node_kind(h[k])));
                return -1;
            }
        }
        return 0;
    }
    int n = 0;
    for (size_t k = 0; k < net_n_nodes(cli->net) && n < 2; k++) {
        struct node *x = net_node_at(cli->net, k);
        if (cli_is_host(x) && node_ip(x))
            h[n++] = x;
    }
    if (n < 2) {
        cli_error(cli, "%s needs two hosts", argv[0]);
        return -1;
    }
    return 0;
}

int
cmd_pingpair(struct cli *cli, int argc, char **argv)
{
    struct node *h[2];
    if (argc == 2)
        return cli_error(cli, "usage: pingpair [A B]");
    if (two_hosts(cli, argc, argv, 1, h) < 0)
        return CLI_FAIL;
    return run_ping(cli, h, 2, 1, CLI_PING_TIMEOUT_MS);
}

/* The rate (9th field, bits/s) of the last CSV line of iperf -y C output;
 * UDP reports add jitter and loss fields after it. -1 if none. */
static double
csv_bps(const char *out)
{
    double bps = -1;
    for (const char *line = out; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        int field = 0;
        for (size_t k = 0; k < len; k++) {
            if (line[k] == ',' && ++field == 8) {
                bps = atof(line + k + 1);
                break;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    return bps;
}

static void
print_rate(double bps)
{
    if (bps < 0)
        printf("'?'");
    else if (bps >= 1e9)
        printf("'%.2f Gbits/sec'", bps / 1e9);
    else if (bps >= 1e6)
        printf("'%.2f Mbits/sec'", bps / 1e6);
    else
        printf("'%.2f Kbits/sec'", bps / 1e3);
}

/* Runs iperf between server h[1] and client h[0]. udp_bw NULL = TCP. */
static int
iperf(struct cli *cli, struct node *h[2], const char *udp_bw, int secs)
{
    struct err e = {0};
    char *out = NULL, *srv = NULL;
    const char *u = udp_bw ? "-u" : "";
    /* The server's report, in /tmp of the node (hosts share the machine's:
     * the name carries the net's prefix so parallel runs do not collide). */
    char *csv = xasprintf("/tmp/%s-iperf-%s.csv", net_get_prefix(cli->net),
                          node_name(h[1]));
    char *cmd = xasprintf("iperf -s %s -p 5001 -y C >%s 2>/dev/null "
                          "</dev/null & echo $!",
                          u, csv);
    printf("*** Iperf: testing %s bandwidth between %s and %s\n",
           udp_bw ? "UDP" : "TCP", node_name(h[0]), node_name(h[1]));
    fflush(stdout);
    int rc = CLI_FAIL;
    int st = node_exec(h[1], cmd, &srv, &e);
    free(cmd);
    if (st != 0) {
        cli_error(cli, "iperf: cannot start the server on %s: %s",
                  node_name(h[1]), st < 0 ? e.msg : "is iperf installed?");
        goto out;
    }
    int pid = atoi(srv);
    /* Wait until the server listens, then run the client. */
    cmd = xasprintf("for i in $(seq 50); do iperf -c %s -p 5001 %s%s%s -t %d "
                    "-y C 2>/dev/null | grep , && exit 0; sleep 0.1; done; "
                    "exit 1",
                    node_ip(h[1]), u, udp_bw ? " -b " : "",
                    udp_bw ? udp_bw : "", secs);
    st = node_exec(h[0], cmd, &out, &e);
    free(cmd);
    /* iperf 2.1 servers may outlive SIGTERM (a listener stays in accept),
     * and the next iperf could not bind the port: TERM, then KILL, each
     * followed by a bounded wait until the process is gone or a zombie
     * (nobody in the node may reap it). */
    cmd = xasprintf("sleep 0.2; p=%d; gone() { [ ! -e /proc/$p/stat ] || "
                    "grep -q '^[0-9]* (.*) Z' /proc/$p/stat; }; "
                    "for s in TERM KILL; do kill -s $s $p 2>/dev/null; "
                    "for i in $(seq 20); do gone && break; sleep 0.05; done; "
                    "gone && break; done; cat %s; rm -f %s",
                    pid, csv, csv);
    free(srv);
    srv = NULL;
    node_exec(h[1], cmd, &srv, NULL);
    free(cmd);
    if (st != 0) {
        cli_error(cli, "iperf: the client on %s failed%s%s", node_name(h[0]),
                  st < 0 ? ": " : "", st < 0 ? e.msg : "");
        goto out;
    }
    double cbps = csv_bps(out), sbps = srv ? csv_bps(srv) : -1;
    printf("*** Results: [");
    print_rate(sbps >= 0 ? sbps : cbps);
    printf(", ");
    print_rate(cbps);
    printf("]\n");
    rc = CLI_OK;
out:
    free(out);
    free(srv);
    free(csv);
    return rc;
}

int
cmd_iperf(struct cli *cli, int argc, char **argv)
{
    struct node *h[2];
    int secs = 5;
    if (argc == 2 || argc == 4) {
        secs = atoi(argv[argc - 1]);
        if (secs < 1 || secs > 3600)
            return cli_error(cli, "iperf: bad duration '%s' (seconds)",
                             argv[argc - 1]);
        argc--;
    }
    if (two_hosts(cli, argc, argv, 1, h) < 0)
        return CLI_FAIL;
    return iperf(cli, h, NULL, secs);
}

int
cmd_iperfudp(struct cli *cli, int argc, char **argv)
{
    struct node *h[2];
    const char *bw = "10M";
    int i = 1;
    if (argc == 2 || argc == 4) {
        double mbit;
        const char *why;
        if (topo_parse_bw_mbit(argv[1], &mbit, &why) < 0 &&
            !(strlen(argv[1]) > 1 &&
              strchr("MKGmkg", argv[1][strlen(argv[1]) - 1])))
            return cli_error(cli, "iperfudp: bad rate '%s': %s", argv[1], why);
        bw = argv[1];
        i = 2;
    } else if (argc == 3)
        return cli_error(cli, "usage: iperfudp [BW] [A B]");
    if (two_hosts(cli, argc, argv, i, h) < 0)
        return CLI_FAIL;
    return iperf(cli, h, bw, 5);
}
