/* cli.h - the fop4> shell over a running network: Mininet's commands (nodes,
 * net, links, pingall, iperf, link X Y up|down, <node> <command>, ...) plus
 * runtime changes (addhost, addlink, delnode, linkparams, ...).
 *
 *     struct cli *cli = cli_new(net);
 *     cli_interactive(cli);             line editing, history, completion
 *     int bad = cli_source(cli, "cmds.txt");   batch: number of failed commands
 *     cli_free(cli);
 *
 * Commands come from one registration table (cli.c: commands[]); their
 * implementations live in cli_show.c (inspection), cli_test.c (ping, iperf)
 * and cli_edit.c (runtime changes). */
#ifndef FOP4_CLI_H
#define FOP4_CLI_H

#include <signal.h>
#include <stdio.h>

#include "fop4/net.h"

struct cli;

/* Result of running one command line. */
enum {
    CLI_OK = 0,   /* done */
    CLI_FAIL = 1, /* the command failed (bad usage, a test that lost
                     packets, a node command with non-zero status) */
    CLI_EXIT = 2, /* exit/quit was asked */
};

/* Set by fop4's signal handlers: a run of commands stops at the next line. */
extern volatile sig_atomic_t cli_interrupted;

/* A shell over net (not owned). */
struct cli *cli_new(struct net *net);
void cli_free(struct cli *cli);

/* Runs one line ("h1 ping -c1 h2"). Errors are printed to stderr. */
int cli_exec_line(struct cli *cli, const char *line);
/* Runs every line of path (as `source` and `fop4 run --batch`); blank lines and
 * '#' comments are skipped, each command is echoed as "fop4> cmd". Returns the
 * number of failed commands, or -1 if the file cannot be read. Stops at exit or
 * when interrupted. */
int cli_source(struct cli *cli, const char *path);
/* The interactive loop: reads lines until exit, quit or end of input. With a
 * terminal: libedit line editing, history in ~/.fop4_history, completion of
 * commands and node names. */
void cli_interactive(struct cli *cli);

/* 1 if name is a shell command (a node of that name cannot be given
 * commands as "NAME COMMAND..."). */
int cli_is_command(const char *name);

/* How long pingall waits for a reply by default. Mininet's ping waits up to
 * 10 s; replies normally come in well under 1 ms, and pingall returns as soon
 * as every reply is in, so this only bounds a lossy run. */
#define CLI_PING_TIMEOUT_MS 2000

/* Mininet's pingall over every host; prints its report. Returns 0 if nothing
 * was lost, 1 otherwise. full=1 adds RTTs per pair (pingallfull). */
int cli_pingall(struct cli *cli, int full, int timeout_ms);

#endif
