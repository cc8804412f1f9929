/* cli.c - the fop4> shell: the command table, line splitting, dispatch, node
 * commands with name substitution, source/batch files and the interactive
 * loop (libedit's readline interface: editing, history, completion).
 * Commands themselves live in cli_show.c, cli_test.c and cli_edit.c. */
#include "cli/cli_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <editline/readline.h>

#include "lib/diag.h"
#include "lib/strbuf.h"
#include "lib/vec.h"

volatile sig_atomic_t cli_interrupted;

static cli_fn cmd_help, cmd_sh, cmd_source, cmd_time, cmd_exit, cmd_px;

/* Every command of the shell, in the order `help` lists them. */
static const struct cli_cmd commands[] = {
    {"help", "[COMMAND]", "list commands, or explain one", cmd_help, 0, 1},
    {"nodes", "", "list the nodes", cmd_nodes, 0, 0},
    {"net", "", "list nodes with their links (intf:peer-intf)", cmd_net, 0, 0},
    {"links", "", "list links and whether each end is up", cmd_links, 0, 0},
    {"intfs", "", "list each node's interfaces", cmd_intfs, 0, 0},
    {"dump", "", "show every node: kind, interfaces, IP, namespace", cmd_dump,
     0, 0},
    {"ports", "", "show switch port numbers", cmd_ports, 0, 0},
    {"pingall", "[TIMEOUT_S]", "ping between all hosts, all at once",
     cmd_pingall, 0, 1},
    {"pingallfull", "[TIMEOUT_S]", "pingall with RTTs per pair",
     cmd_pingallfull, 0, 1},
    {"pingpair", "[A B]", "ping between two hosts (first two by default)",
     cmd_pingpair, 0, 2},
    {"iperf", "[A B] [SECONDS]", "TCP bandwidth between two hosts", cmd_iperf,
     0, 3},
    {"iperfudp", "[BW] [A B]", "UDP bandwidth at rate BW (e.g. 10M)",
     cmd_iperfudp, 0, 3},
    {"p4", "SWITCH COMMAND...",
     "runtime command for a P4 switch (simple_switch_CLI: table_add, ...)",
     cmd_p4, 2, -1},
    {"link", "A B up|down", "bring the link between A and B up or down",
     cmd_link, 3, 3},
    {"linkparams", "A B KEY=VALUE...",
     "change a link: bw=10 delay=10ms jitter=1ms loss=1 max_queue=100",
     cmd_linkparams, 3, -1},
    {"addhost", "NAME [KEY=VALUE...]", "add a host (ip=, mac=, defaultroute=)",
     cmd_addnode, 1, -1},
    {"addrouter", "NAME [KEY=VALUE...]", "add a router (a forwarding host)",
     cmd_addnode, 1, -1},
    {"addbridge", "NAME", "add an L2 learning switch", cmd_addnode, 1, 1},
    {"adddocker", "NAME image=IMG [KEY=VALUE...]",
     "add a Docker container (cmd=, env=, memory=, cpus=, ...)", cmd_addnode, 2,
     -1},
    {"addp4switch", "NAME json=F|p4=F [KEY=VALUE...]",
     "add a P4 switch (commands=, runtime=, thrift_port=, ...)", cmd_addnode, 2,
     -1},
    {"addlink", "A B [KEY=VALUE...]",
     "add a link (ends like h1 or s1:3; bw=, delay=, jitter=, loss=, ...)",
     cmd_addlink, 2, -1},
    {"update", "NAME KEY=VALUE...",
     "change a container's limits now: cpus=, cpu_quota=, cpu_period=, "
     "cpu_shares=, cpuset=, memory=",
     cmd_update, 2, -1},
    {"delnode", "NAME", "remove a node and its links", cmd_delnode, 1, 1},
    {"dellink", "A B", "remove the link between A and B", cmd_dellink, 2, 2},
    {"sh", "COMMAND...", "run a shell command on the machine (not in a node)",
     cmd_sh, 1, -1},
    {"px", "COMMAND...", "alias of sh", cmd_px, 1, -1},
    {"source", "FILE", "run the commands of FILE", cmd_source, 1, 1},
    {"time", "COMMAND...", "run a command and print how long it took", cmd_time,
     1, -1},
    {"exit", "", "leave (stops the network)", cmd_exit, 0, 0},
    {"quit", "", "leave (stops the network)", cmd_exit, 0, 0},
};

static const struct cli_cmd *
find_cmd(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

int
cli_is_command(const char *name)
{
    return find_cmd(name) != NULL;
}

struct cli *
cli_new(struct net *net)
{
    struct cli *cli = xcalloc(1, sizeof *cli);
    cli->net = net;
    return cli;
}

void
cli_free(struct cli *cli)
{
    free(cli);
}

int
cli_error(struct cli *cli, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
    if (cli->src_path)
        diag_print(stderr, "error", cli->src_path, cli->src_text, cli->src_line,
                   cli->src_col, "%s", msg);
    else
        fprintf(stderr, "fop4: %s\n", msg);
    free(msg);
    return CLI_FAIL;
}

int
cli_is_host(const struct node *node)
{
    enum node_kind k = node_kind(node);
    return k == NODE_HOST || k == NODE_ROUTER || k == NODE_DOCKER;
}

struct node *
cli_node(struct cli *cli, const char *name)
{
    struct node *n = net_get_node(cli->net, name);
    if (n)
        return n;
    size_t nn = net_n_nodes(cli->net);
    const char **names = xcalloc(nn + 1, sizeof *names);
    for (size_t i = 0; i < nn; i++)
        names[i] = node_name(net_node_at(cli->net, i));
    const char *s = diag_suggest(name, names, nn);
    if (s)
        cli_error(cli, "unknown node '%s'; did you mean '%s'?", name, s);
    else
        cli_error(cli, "unknown node '%s' (see 'nodes')", name);
    free(names);
    return NULL;
}

char *
cli_subst_names(struct cli *cli, const char *text)
{
    struct strbuf sb = STRBUF_INIT;
    const char *p = text;
    strbuf_puts(&sb, "");
    while (*p) {
        if (isalnum((unsigned char)*p) || *p == '_') {
            const char *s = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            /* Only whole words: not part of a path, option or address. */
            int before_ok = s == text || isspace((unsigned char)s[-1]) ||
                            s[-1] == '@' || s[-1] == '=';
            int after_ok = !*p || isspace((unsigned char)*p);
            char *w = xstrndup(s, (size_t)(p - s));
            struct node *n =
                before_ok && after_ok ? net_get_node(cli->net, w) : NULL;
            const char *ip = n ? node_ip(n) : NULL;
            strbuf_puts(&sb, ip ? ip : w);
            free(w);
        } else
            strbuf_putc(&sb, *p++);
    }
    return strbuf_steal(&sb);
}

/* Splits line into words (quotes group, backslash escapes). Returns argc;
 * argv entries are malloc'd. */
struct words {
    char **v;
    size_t n, cap;
};

static int
split_words(const char *line, struct words *argv)
{
    const char *p = line;
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        struct strbuf w = STRBUF_INIT;
        strbuf_puts(&w, "");
        char q = 0;
        while (*p && (q || !isspace((unsigned char)*p))) {
            if (q && *p == q)
                q = 0;
            else if (!q && (*p == '"' || *p == '\''))
                q = *p;
            else if (*p == '\\' && p[1] && q != '\'')
                strbuf_putc(&w, *++p);
            else
                strbuf_putc(&w, *p);
            p++;
        }
        VEC_PUSH(argv, strbuf_steal(&w));
    }
    return (int)argv->n;
}

/* `<node> <command...>`: runs the command inside the node with node names
 * replaced by IPs; output goes to the terminal. */
static int
node_command(struct cli *cli, struct node *node, const char *rest)
{
    while (isspace((unsigned char)*rest))
        rest++;
    if (!*rest)
        return cli_error(cli, "usage: %s COMMAND... (runs COMMAND inside %s)",
                         node_name(node), node_name(node));
    if (!cli_is_host(node) && node_kind(node) != NODE_BRIDGE &&
        node_kind(node) != NODE_P4SWITCH)
        return cli_error(cli, "cannot run commands on '%s'", node_name(node));
    char *cmd = cli_subst_names(cli, rest);
    struct err e = {0};
    fflush(stdout);
    fflush(stderr);
    int st = node_exec(node, cmd, NULL, &e);
    free(cmd);
    if (st < 0)
        return cli_error(cli, "%s: %s", node_name(node), e.msg);
    return st == 0 ? CLI_OK : CLI_FAIL;
}

int
cli_exec_line(struct cli *cli, const char *line)
{
    while (isspace((unsigned char)*line))
        line++;
    if (!*line || *line == '#')
        return CLI_OK;
    struct words argv = VEC_INIT;
    int argc = split_words(line, &argv);
    if (argc == 0) {
        VEC_FREE(&argv);
        return CLI_OK;
    }
    int rc = CLI_OK;
    const char *word_end = line + strcspn(line, " \t");
    const char *saved_rest = cli->rest;
    cli->rest = word_end + strspn(word_end, " \t");
    const struct cli_cmd *c = find_cmd(argv.v[0]);
    if (c) {
        int nargs = argc - 1;
        if (nargs < c->min_args || (c->max_args >= 0 && nargs > c->max_args))
            rc = cli_error(cli, "usage: %s %s", c->name, c->args);
        else
            rc = c->fn(cli, argc, argv.v);
    } else if (net_get_node(cli->net, argv.v[0])) {
        rc = node_command(cli, net_get_node(cli->net, argv.v[0]), cli->rest);
    } else {
        const char **cands = xcalloc(
            ARRAY_SIZE(commands) + net_n_nodes(cli->net) + 1, sizeof *cands);
        size_t n = 0;
        for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
            cands[n++] = commands[i].name;
        for (size_t i = 0; i < net_n_nodes(cli->net); i++)
            cands[n++] = node_name(net_node_at(cli->net, i));
        const char *s = diag_suggest(argv.v[0], cands, n);
        if (s)
            rc = cli_error(cli,
                           "unknown command or node '%s'; did you mean "
                           "'%s'? ('help' lists commands)",
                           argv.v[0], s);
        else
            rc = cli_error(cli,
                           "unknown command or node '%s' ('help' lists "
                           "commands, 'nodes' the nodes)",
                           argv.v[0]);
        free(cands);
    }
    cli->rest = saved_rest;
    for (size_t i = 0; i < argv.n; i++)
        free(argv.v[i]);
    VEC_FREE(&argv);
    fflush(stdout);
    return rc;
}

int
cli_source(struct cli *cli, const char *path)
{
    if (cli->depth > 8) {
        cli_error(cli, "source: files nested too deeply (a loop?)");
        return 1;
    }
    char *text = read_file(path, NULL);
    if (!text) {
        cli_error(cli, "cannot read '%s': %s", path, strerror(errno));
        return -1;
    }
    const char *sp = cli->src_path, *st = cli->src_text;
    int sl = cli->src_line, sc = cli->src_col;
    cli->src_path = path;
    cli->src_text = text;
    cli->depth++;
    int failed = 0, line = 0;
    char *copy = xstrdup(text);
    for (char *p = copy, *nl; p && *p && !cli_interrupted; p = nl) {
        nl = strchr(p, '\n');
        if (nl)
            *nl++ = '\0';
        line++;
        char *s = p;
        while (isspace((unsigned char)*s))
            s++;
        if (!*s || *s == '#')
            continue;
        size_t len = strlen(s);
        while (len && isspace((unsigned char)s[len - 1]))
            s[--len] = '\0';
        cli->src_line = line;
        cli->src_col = (int)(s - p) + 1;
        printf("fop4> %s\n", s);
        fflush(stdout);
        int rc = cli_exec_line(cli, s);
        if (rc == CLI_FAIL)
            failed++;
        if (rc == CLI_EXIT)
            break;
    }
    free(copy);
    cli->depth--;
    cli->src_path = sp;
    cli->src_text = st;
    cli->src_line = sl;
    cli->src_col = sc;
    free(text);
    return failed;
}

/* ---- simple commands --------------------------------------------------- */

static int
cmd_help(struct cli *cli, int argc, char **argv)
{
    if (argc == 2) {
        const struct cli_cmd *c = find_cmd(argv[1]);
        if (!c)
            return cli_error(cli, "help: no command '%s'", argv[1]);
        printf("%s %s\n    %s\n", c->name, c->args, c->help);
        return CLI_OK;
    }
    printf("Commands:\n");
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        char head[64];
        snprintf(head, sizeof head, "%s %s", commands[i].name,
                 commands[i].args);
        printf("  %-32s %s\n", head, commands[i].help);
    }
    printf("  %-32s %s\n", "NODE COMMAND...",
           "run COMMAND inside NODE; node names in it become their IPs");
    printf("    e.g. h1 ping -c1 h2\n");
    return CLI_OK;
}

static int
run_shell(const char *cmd)
{
    fflush(stdout);
    int st = system(cmd);
    if (st == -1)
        return CLI_FAIL;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? CLI_OK : CLI_FAIL;
}

static int
cmd_sh(struct cli *cli, int argc, char **argv)
{
    return run_shell(cli->rest);
}

static int
cmd_px(struct cli *cli, int argc, char **argv)
{
    return run_shell(cli->rest);
}

static int
cmd_source(struct cli *cli, int argc, char **argv)
{
    int n = cli_source(cli, argv[1]);
    return n == 0 ? CLI_OK : CLI_FAIL;
}

static int
cmd_time(struct cli *cli, int argc, char **argv)
{
    uint64_t t0 = now_ns();
    int rc = cli_exec_line(cli, cli->rest);
    printf("*** Elapsed time: %.6f secs\n", (double)(now_ns() - t0) / 1e9);
    return rc;
}

static int
cmd_exit(struct cli *cli, int argc, char **argv)
{
    return CLI_EXIT;
}

/* ---- the interactive loop ---------------------------------------------- */

static struct cli *complete_cli;

static char *
complete_gen(const char *text, int state)
{
    static size_t i;
    static int first_word;
    if (!state) {
        i = 0;
        /* Completing the first word: commands and nodes; later: nodes. */
        const char *lb = rl_line_buffer ? rl_line_buffer : "";
        while (isspace((unsigned char)*lb))
            lb++;
        first_word = !strpbrk(lb, " \t");
    }
    size_t nc = first_word ? ARRAY_SIZE(commands) : 0;
    size_t nn = net_n_nodes(complete_cli->net);
    size_t len = strlen(text);
    while (i < nc + nn) {
        size_t k = i++;
        const char *cand =
            k < nc ? commands[k].name
                   : node_name(net_node_at(complete_cli->net, k - nc));
        if (!strncmp(cand, text, len))
            return strdup(cand);
    }
    return NULL;
}

static char **
complete(const char *text, int start, int end)
{
    rl_attempted_completion_over = 1;
    return rl_completion_matches(text, complete_gen);
}

void
cli_interactive(struct cli *cli)
{
    int tty = isatty(STDIN_FILENO);
    char *hist = NULL;
    if (tty) {
        const char *home = getenv("HOME");
        if (home)
            hist = xasprintf("%s/.fop4_history", home);
        complete_cli = cli;
        rl_attempted_completion_function = complete;
        stifle_history(1000);
        if (hist)
            read_history(hist);
    }
    for (;;) {
        char *line = NULL;
        if (tty) {
            line = readline("fop4> ");
        } else {
            size_t cap = 0;
            if (getline(&line, &cap, stdin) < 0) {
                free(line);
                line = NULL;
            } else
                line[strcspn(line, "\n")] = '\0';
        }
        if (!line && tty && cli_interrupted == 1) {
            /* Ctrl-C at the prompt drops the line, as in Mininet. */
            cli_interrupted = 0;
            printf("\nInterrupt\n");
            continue;
        }
        if (!line) {
            if (tty)
                putchar('\n');
            break;
        }
        if (cli_interrupted > 1) { /* SIGTERM/SIGHUP: leave */
            free(line);
            break;
        }
        cli_interrupted = 0;
        const char *s = line;
        while (isspace((unsigned char)*s))
            s++;
        if (tty && *s)
            add_history(line);
        int rc = cli_exec_line(cli, line);
        free(line);
        if (rc == CLI_EXIT || cli_interrupted > 1)
            break;
    }
    if (hist) {
        write_history(hist);
        free(hist);
    }
}
