/* fop4.c - the `fop4` command: run a lab (topology file or built-in topology)
 * and open the shell, check a file, clean leftovers, report host features.
 *
 *   fop4 run lab.yml [--test pingall|pingallfull|iperf|none] [--batch FILE] ...
 *   fop4 --topo tree,2,2 [...]          (as `mn --topo`)
 *   fop4 check lab.yml...               validate only, every error shown
 *   fop4 clean [--prefix P] [-v]        (as `mn -c`)
 *   fop4 doctor
 *
 * Exit status: 0 success, 1 a test/batch command failed or the network could
 * not start, 2 bad usage or an invalid topology file. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "engine/p4switch.h"
#include "engine/topo.h"
#include "fop4/net.h"
#include "lib/diag.h"
#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/util.h"

#ifndef FOP4_VERSION
#define FOP4_VERSION "dev"
#endif

static void
usage(FILE *f)
{
    fprintf(
        f,
        "usage: fop4 <command> [options]\n"
        "\n"
        "  fop4 run FILE [options]      start the lab in FILE (YAML, or a "
        "p4lang\n"
        "                               tutorials topology.json), open the "
        "shell\n"
        "  fop4 run --topo SPEC [opts]  start a built-in topology: minimal,\n"
        "                               single,N  linear,N  tree,DEPTH,FANOUT\n"
        "  fop4 check FILE...           validate topology files, print every "
        "error\n"
        "  fop4 clean [--prefix P] [-v] remove what a crashed run left behind\n"
        "  fop4 doctor                  report kernel and host features in "
        "use\n"
        "  fop4 --version | --help\n"
        "\n"
        "run options:\n"
        "  --test pingall|pingallfull|iperf|none   run a test instead of the "
        "shell;\n"
        "                               the exit status says whether it "
        "passed\n"
        "  --batch FILE                 run the shell commands in FILE, then "
        "stop;\n"
        "                               exit status 1 if any command failed\n"
        "  --prefix P                   name prefix of everything created\n"
        "                               (default fop4; 1-16 lower-case "
        "letters/digits)\n"
        "  --p4 PROG.p4 | --json PROG.json   program of P4 switches that name "
        "none\n"
        "                               (the tutorials' topology.json, "
        "--switch)\n"
        "  --switch bridge|p4switch     switches of --topo (default bridge)\n"
        "  --static-arp                 fill every host's ARP table at start\n"
        "  --ipbase NET                 network of automatic addresses "
        "(10.0.0.0/8)\n"
        "  -v, --verbose                say what is being done\n");
}

static void
on_signal(int sig)
{
    cli_interrupted = sig == SIGINT ? 1 : 2;
    if (sig != SIGINT)
        close(STDIN_FILENO); /* wakes the interactive prompt: leave */
}

static void
install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static int
prefix_ok(const char *p)
{
    size_t n = strlen(p);
    if (n < 1 || n > 16)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9')))
            return 0;
    return 1;
}

/* Warns about node names the shell takes as commands ("net", "time"). */
static void
warn_names(const struct topo *t)
{
    for (size_t i = 0; i < t->nodes.n; i++) {
        const struct topo_node *n = &t->nodes.v[i];
        if (cli_is_command(n->name))
            diag_print(stderr, "warning", t->path, NULL, n->line, n->col,
                       "node '%s' has the name of a shell command: "
                       "'%s COMMAND' will not run in it (rename the node)",
                       n->name, n->name);
    }
}

static int
cmd_check(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fop4 check FILE...\n");
        return 2;
    }
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct strbuf d = STRBUF_INIT;
        struct topo *t = topo_parse_file(argv[i], &d);
        if (!t) {
            fputs(strbuf_str(&d), stderr);
            bad = 1;
        } else {
            warn_names(t);
            /* P4 switches: their programs compile, their runtime entries
             * match the program (nothing is created) */
            int p4bad = 0;
            for (size_t j = 0; j < t->nodes.n; j++) {
                const struct topo_node *n = &t->nodes.v[j];
                struct err e = {0};
                if (n->kind == NODE_P4SWITCH &&
                    (n->params.p4.p4 || n->params.p4.json) &&
                    p4switch_check(n->name, &n->params.p4, &e) < 0) {
                    fprintf(stderr, "%s:%d:%d: error: %s\n", t->path, n->line,
                            n->col, e.msg);
                    p4bad = 1;
                }
            }
            if (p4bad) {
                bad = 1;
                topo_free(t);
                strbuf_destroy(&d);
                continue;
            }
            size_t nh = 0, ns = 0;
            for (size_t j = 0; j < t->nodes.n; j++) {
                enum node_kind k = t->nodes.v[j].kind;
                if (k == NODE_BRIDGE || k == NODE_P4SWITCH)
                    ns++;
                else
                    nh++;
            }
            printf(
                "%s: ok (%s: %zu hosts/containers, %zu switches, %zu links)\n",
                argv[i], t->format, nh, ns, t->links.n);
        }
        topo_free(t);
        strbuf_destroy(&d);
    }
    return bad ? 2 : 0;
}

static int
cmd_clean(int argc, char **argv)
{
    static const struct option opts[] = {{"prefix", required_argument, 0, 'p'},
                                         {"verbose", no_argument, 0, 'v'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *prefix = NULL;
    int verbose = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            prefix = optarg;
            break;
        case 'v':
            verbose = 1;
            break;
        case 'h':
            printf("usage: fop4 clean [--prefix P] [-v]\n");
            return 0;
        default:
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "fop4: clean: unexpected argument '%s'\n",
                argv[optind]);
        return 2;
    }
    if (geteuid() != 0) {
        fprintf(stderr, "fop4: clean needs root: try 'sudo fop4 clean'\n");
        return 1;
    }
    if (prefix && !prefix_ok(prefix)) {
        fprintf(stderr,
                "fop4: bad --prefix '%s': 1 to 16 lower-case letters or "
                "digits\n",
                prefix);
        return 2;
    }
    struct err e = {0};
    int n = net_clean(prefix, verbose, &e);
    if (n < 0) {
        fprintf(stderr, "fop4: clean: %s\n", e.msg);
        return 1;
    }
    printf("*** Cleanup complete: %d object%s removed\n", n, n == 1 ? "" : "s");
    return 0;
}

/* A built-in topology (net_build_topo). With p4switches, its switches become
 * P4 switches running the given program: the generated model is copied node
 * by node and link by link (same order, so the same ports and addresses). */
static struct net *
build_generated(const char *spec, const struct net_opts *no, int p4switches,
                const char *p4, const char *json, struct err *e)
{
    struct net *gen = net_new(no);
    if (net_build_topo(gen, spec, e) < 0) {
        net_free(gen);
        return NULL;
    }
    if (!p4switches)
        return gen;
    struct net *net = net_new(no);
    for (size_t i = 0; i < net_n_nodes(gen); i++) {
        const struct node *n = net_node_at(gen, i);
        struct node_params np = {0};
        enum node_kind k = node_kind(n);
        if (k == NODE_BRIDGE) {
            k = NODE_P4SWITCH;
            np.p4.p4 = p4;
            np.p4.json = json;
        }
        if (!net_add_node(net, node_name(n), k, &np, e))
            goto fail;
    }
    for (size_t i = 0; i < net_n_links(gen); i++) {
        const struct link *l = net_link_at(gen, i);
        if (!net_add_link(net, link_end_node(l, 0), link_end_node(l, 1),
                          link_get_params(l), NULL, NULL, e))
            goto fail;
    }
    net_free(gen);
    return net;
fail:
    net_free(gen);
    net_free(net);
    return NULL;
}

/* Prints what is about to be created, as Mininet does. */
static void
print_model(struct net *net)
{
    static const struct {
        const char *title;
        int switches;
    } groups[] = {{"*** Adding hosts:\n", 0}, {"*** Adding switches:\n", 1}};
    for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
        int n = 0;
        for (size_t i = 0; i < net_n_nodes(net); i++) {
            enum node_kind k = node_kind(net_node_at(net, i));
            int sw = k == NODE_BRIDGE || k == NODE_P4SWITCH;
            if (sw != groups[g].switches)
                continue;
            printf("%s%s", n++ ? " " : groups[g].title,
                   node_name(net_node_at(net, i)));
        }
        if (n)
            printf("\n");
    }
    if (net_n_links(net)) {
        printf("*** Adding links:\n");
        for (size_t i = 0; i < net_n_links(net); i++) {
            const struct link *l = net_link_at(net, i);
            printf("%s(%s, %s)", i ? " " : "", link_end_node(l, 0),
                   link_end_node(l, 1));
        }
        printf("\n");
    }
    printf("*** Starting network: %zu nodes, %zu links\n", net_n_nodes(net),
           net_n_links(net));
    fflush(stdout);
}

/* The p4switches of t with no program after --p4/--json: an error each. */
static int
check_programs(const struct topo *t)
{
    int bad = 0;
    for (size_t i = 0; i < t->nodes.n; i++) {
        const struct topo_node *n = &t->nodes.v[i];
        if (n->kind == NODE_P4SWITCH && !n->params.p4.p4 &&
            !n->params.p4.json) {
            fprintf(stderr,
                    "%s:%d:%d: error: switch '%s' has no P4 program "
                    "(the tutorials' Makefile passes it): run with --p4 "
                    "prog.p4 or --json prog.json\n",
                    t->path, n->line, n->col, n->name);
            bad = 1;
        }
    }
    return bad;
}

static int
cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {{"test", required_argument, 0, 't'},
                                         {"batch", required_argument, 0, 'b'},
                                         {"prefix", required_argument, 0, 'p'},
                                         {"topo", required_argument, 0, 'T'},
                                         {"p4", required_argument, 0, '4'},
                                         {"json", required_argument, 0, 'j'},
                                         {"static-arp", no_argument, 0, 'a'},
                                         {"ipbase", required_argument, 0, 'I'},
                                         {"switch", required_argument, 0, 'S'},
                                         {"verbose", no_argument, 0, 'v'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *test = NULL, *batch = NULL, *spec = NULL, *p4 = NULL,
               *json = NULL, *file = NULL;
    struct net_opts no = {0};
    int verbose = 0, p4switches = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:b:p:T:vh", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            test = optarg;
            if (strcmp(test, "pingall") && strcmp(test, "pingallfull") &&
                strcmp(test, "iperf") && strcmp(test, "none")) {
                fprintf(stderr,
                        "fop4: unknown --test '%s' (pingall, "
                        "pingallfull, iperf, none)\n",
                        test);
                return 2;
            }
            break;
        case 'b':
            batch = optarg;
            break;
        case 'p':
            if (!prefix_ok(optarg)) {
                fprintf(stderr,
                        "fop4: bad --prefix '%s': 1 to 16 lower-case "
                        "letters or digits\n",
                        optarg);
                return 2;
            }
            no.prefix = optarg;
            break;
        case 'T':
            spec = optarg;
            break;
        case '4':
            p4 = optarg;
            break;
        case 'j':
            json = optarg;
            break;
        case 'a':
            no.static_arp = 1;
            break;
        case 'I': {
            const char *why;
            if (topo_check_ip(optarg, 0, &why) < 0 || !strchr(optarg, '/')) {
                fprintf(stderr,
                        "fop4: bad --ipbase '%s': expected a network "
                        "such as 10.0.0.0/8\n",
                        optarg);
                return 2;
            }
            no.ip_base = optarg;
            break;
        }
        case 'S':
            if (!strcmp(optarg, "bridge"))
                p4switches = 0;
            else if (!strcmp(optarg, "p4switch") || !strcmp(optarg, "p4"))
                p4switches = 1;
            else {
                fprintf(stderr,
                        "fop4: unknown --switch '%s' (bridge, "
                        "p4switch)\n",
                        optarg);
                return 2;
            }
            break;
        case 'v':
            verbose = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            return 2;
        }
    }
    if (optind < argc)
        file = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "fop4: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (geteuid() != 0) {
        fprintf(stderr, "fop4: run needs root (network namespaces, veths): "
                        "try 'sudo fop4 run ...'\n");
        return 1;
    }
    if (!!file == !!spec) {
        fprintf(stderr, "fop4: run needs a topology file or --topo SPEC (not "
                        "both); see 'fop4 --help'\n");
        return 2;
    }
    if (p4 && json) {
        fprintf(stderr, "fop4: give --p4 or --json, not both\n");
        return 2;
    }
    if (p4switches && (!spec || (!p4 && !json))) {
        fprintf(stderr, "fop4: --switch p4switch goes with --topo and --p4 or "
                        "--json (the program of every switch)\n");
        return 2;
    }
    char *p4abs = p4 ? realpath(p4, NULL) : NULL;
    char *jsonabs = json ? realpath(json, NULL) : NULL;
    if ((p4 && !p4abs) || (json && !jsonabs)) {
        fprintf(stderr, "fop4: %s: %s\n", p4 ? p4 : json, strerror(errno));
        return 2;
    }
    int rc = 2;
    struct topo *t = NULL;
    struct net *net = NULL;
    struct err e = {0};
    struct cli *cli = NULL;
    if (file) {
        struct strbuf d = STRBUF_INIT;
        t = topo_parse_file(file, &d);
        if (!t) {
            fputs(strbuf_str(&d), stderr);
            strbuf_destroy(&d);
            goto out;
        }
        strbuf_destroy(&d);
        warn_names(t);
        topo_set_default_program(t, p4abs, jsonabs);
        if (check_programs(t))
            goto out;
        net = topo_build(t, &no, &e);
        if (!net) {
            fprintf(stderr, "%s\n", e.msg); /* "path:line:col: error: ..." */
            goto out;
        }
    } else {
        net = build_generated(spec, &no, p4switches, p4abs, jsonabs, &e);
        if (!net) {
            fprintf(stderr, "fop4: --topo %s: %s\n", spec, e.msg);
            goto out;
        }
    }
    rc = 1;
    install_signals();
    print_model(net);
    uint64_t t0 = now_ns();
    if (net_start(net, &e) < 0) {
        fprintf(stderr, "fop4: %s\n", e.msg);
        goto out;
    }
    if (verbose)
        printf("*** Started in %.3f s\n", (double)(now_ns() - t0) / 1e9);
    if (cli_interrupted)
        goto stop;
    cli = cli_new(net);
    rc = 0;
    if (batch) {
        int n = cli_source(cli, batch);
        if (n != 0)
            rc = 1;
    }
    uint64_t t_test = now_ns();
    if (test && !strcmp(test, "iperf") && !cli_interrupted) {
        if (cli_exec_line(cli, "iperf") != CLI_OK)
            rc = 1;
    } else if (test && strcmp(test, "none") && !cli_interrupted) {
        if (cli_pingall(cli, !strcmp(test, "pingallfull"),
                        CLI_PING_TIMEOUT_MS) != 0)
            rc = 1;
    }
    if (verbose && test && strcmp(test, "none"))
        printf("*** %s took %.3f s\n", test, (double)(now_ns() - t_test) / 1e9);
    if (!batch && !test) {
        printf("*** Starting CLI (type 'help' for commands, 'exit' to stop)\n");
        fflush(stdout);
        cli_interactive(cli);
    }
    if (cli_interrupted && rc == 0 && (batch || test))
        rc = 1;
stop:
    printf("*** Stopping network\n");
    fflush(stdout);
    t0 = now_ns();
    err_clear(&e);
    if (net_stop(net, &e) < 0) {
        fprintf(stderr, "fop4: stopping: %s (run 'fop4 clean --prefix %s')\n",
                e.msg, net_get_prefix(net));
        rc = 1;
    }
    if (verbose)
        printf("*** Stopped in %.3f s\n", (double)(now_ns() - t0) / 1e9);
    printf("*** Done\n");
out:
    cli_free(cli);
    net_free(net);
    topo_free(t);
    free(p4abs);
    free(jsonabs);
    return rc;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("fop4 %s\n", FOP4_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strncmp(cmd, "--topo", 6) || !strcmp(cmd, "--test") ||
        !strcmp(cmd, "--batch") || !strcmp(cmd, "--prefix"))
        return cmd_run(argc, argv); /* `fop4 --topo tree,2` as `mn --topo` */
    if (!strcmp(cmd, "check"))
        return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "clean") || !strcmp(cmd, "-c"))
        return cmd_clean(argc - 1, argv + 1);
    if (!strcmp(cmd, "doctor")) {
        net_doctor(stdout);
        return 0;
    }
    fprintf(stderr,
            "fop4: unknown command '%s' (run, check, clean, doctor); "
            "see 'fop4 --help'\n",
            cmd);
    return 2;
}
