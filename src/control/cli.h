/* cli.h - the simple_switch_CLI command language over one switch.
 *
 * cli_exec() runs one command line ("table_add ipv4_lpm set_nhop 10.0.0.0/8 =>
 * 1 2") against a struct sw and appends exactly what BMv2's simple_switch_CLI
 * prints for it (its parsing of IPv4/MAC/IPv6/integer values, lpm "/len",
 * ternary "&&&", range "->", priorities; its messages and dumps). A bad command
 * prints an error ("Error: ...", "Invalid table operation (...)") and changes
 * nothing; nothing is ever fatal. The control socket (ctlsock.h) and the STF
 * runner (stf.h) both drive the switch through it. */
#ifndef FOP4_CONTROL_CLI_H
#define FOP4_CONTROL_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "lib/strbuf.h"

struct sw;
struct cli;

/* Port management is the I/O layer's business (fop4-switch owns the ports);
 * it lends the CLI these hooks for port_add, port_remove and show_ports. */
struct cli_port_ops {
    int (*add)(void *ctx, const char *iface, uint32_t port, const char *pcap,
               struct err *e);
    int (*remove)(void *ctx, uint32_t port, struct err *e);
    /* Calls fn for each port. */
    void (*list)(void *ctx,
                 void (*fn)(void *fctx, uint32_t port, const char *iface,
                            int up, const char *extra),
                 void *fctx);
};

/* Creates a command interpreter for sw (not owned). The names it knows come
 * from the switch's running program (sw_get_config); with no program loaded
 * only program-independent commands work until swap_configs. */
struct cli *cli_new(struct sw *sw);
void cli_free(struct cli *c);
void cli_set_port_ops(struct cli *c, const struct cli_port_ops *ops, void *ctx);
/* Extra information for switch_info (e.g. the thrift port); may be NULL. */
void cli_set_info(struct cli *c, int thrift_port);

/* Tells the interpreter that another front end (Thrift) swapped the switch's
 * program, so that names are looked up in the new one. */
void cli_config_changed(struct cli *c);

/* Runs one command line and appends its output to out. Returns 1 if the line
 * asked to end the session (EOF, exit, quit), else 0. */
int cli_exec(struct cli *c, const char *line, struct strbuf *out);

/* The command names, for completion and help (NULL-terminated). */
const char *const *cli_command_names(void);

#endif
