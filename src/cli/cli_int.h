/* cli_int.h - what the files of the shell share: struct cli, the command
 * signature, error reporting and argument helpers. */
#ifndef FOP4_CLI_INT_H
#define FOP4_CLI_INT_H

#include "cli/cli.h"
#include "lib/err.h"
#include "lib/util.h"

struct cli {
    struct net *net;
    const char *rest;      /* the line after the command word, raw */
    const char *src_path;  /* file being sourced, or NULL (interactive) */
    const char *src_text;  /* its text, for diagnostics */
    int src_line, src_col; /* of the command being run */
    int depth;             /* nesting of source */
};

/* A command: argv[0] is the command word. Returns CLI_OK, CLI_FAIL, CLI_EXIT.
 */
typedef int cli_fn(struct cli *cli, int argc, char **argv);

struct cli_cmd {
    const char *name;
    const char *args; /* usage after the name, "" if none */
    const char *help; /* one line */
    cli_fn *fn;
    int min_args, max_args; /* after the command word; -1 = any */
};

/* Prints an error for the command being run: "fop4: msg" interactively,
 * "path:line:col: error: msg" plus the line and a caret when sourcing a
 * file. Returns
 * CLI_FAIL. */
int cli_error(struct cli *cli, const char *fmt, ...) PRINTF_FMT(2, 3);
/* Looks up a node; prints "unknown node 'x'; did you mean ...?" if absent. */
struct node *cli_node(struct cli *cli, const char *name);
/* Replaces every word of text that names a node with the node's IP (Mininet's
 * substitution, "h1 ping h2"). Caller frees. */
char *cli_subst_names(struct cli *cli, const char *text);
/* 1 for kinds that run user commands and get pinged (host, router, docker). */
int cli_is_host(const struct node *node);

/* Command implementations. */
cli_fn cmd_nodes, cmd_net, cmd_links, cmd_intfs, cmd_dump, cmd_ports;
cli_fn cmd_pingall, cmd_pingallfull, cmd_pingpair, cmd_iperf, cmd_iperfudp;
cli_fn cmd_p4, cmd_update;
cli_fn cmd_link, cmd_linkparams, cmd_addnode, cmd_addlink, cmd_delnode,
    cmd_dellink;

#endif
