/* cli_impl.h - what the files of the command language (cli.c, cli_ap.c,
 * cli_misc.c, cli_pre.c) share; not part of the contract (that is cli.h). */
#ifndef FOP4_CONTROL_CLI_IMPL_H
#define FOP4_CONTROL_CLI_IMPL_H

#include <stdint.h>

#include "control/cli.h"
#include "control/p4model.h"
#include "lib/util.h"
#include "lib/vec.h"
#include "switch/sw.h"

struct cli {
    struct sw *sw;
    struct p4model *m;  /* NULL when no program is loaded */
    char *pending_json; /* load_new_config_file, until swap_configs */
    size_t pending_len;
    const struct cli_port_ops *ports;
    void *ports_ctx;
    int thrift_port;
};

typedef int (*cli_cmd_fn)(struct cli *c, int argc, char **argv,
                          struct strbuf *o);
struct cli_cmd {
    const char *name;
    cli_cmd_fn fn;
    const char *help;
};
extern const struct cli_cmd cli_table_cmds[];
extern const struct cli_cmd cli_pre_cmds[];
extern const struct cli_cmd cli_ap_cmds[];

/* Parsed action parameters. */
struct rdata {
    size_t n;
    struct sw_bytes *bytes;
    uint8_t *buf;
};
/* A parsed match key. */
struct mkey {
    size_t n;
    struct sw_match_param *p;
    uint8_t *buf;
};

void outf(struct strbuf *o, const char *fmt, ...) PRINTF_FMT(2, 3);
/* Prints "Error: <msg>" (BMv2's UIn_Error); returns -1. */
int uin_error(struct strbuf *o, const char *fmt, ...) PRINTF_FMT(2, 3);
/* Prints "Invalid <what> operation (<code>)" (code NULL: derived from rc) and
 * the switch's message; returns -1. */
int sw_error(struct strbuf *o, const char *what, int rc, const char *code,
             const struct err *e);
int exactly_n(struct strbuf *o, int argc, int n);
int at_least_n(struct strbuf *o, int argc, int n);
int parse_int_arg(struct strbuf *o, const char *s, const char *what,
                  long long *v);
/* Index of a named resource, or -1 after printing BMv2's error. */
int get_res(struct cli *c, struct strbuf *o, enum p4m_res res,
            const char *name);
int parse_runtime_data(struct cli *c, struct strbuf *o,
                       const struct p4m_action *a, int argc, char **argv,
                       struct rdata *rd);
void rdata_free(struct rdata *rd);
int parse_match_key(struct strbuf *o, const struct p4m_table *t, int argc,
                    char **argv, struct mkey *mk);
void mkey_free(struct mkey *mk);
void plain_hex(struct strbuf *o, const struct sw_bytes *b);
void print_runtime_data(struct strbuf *o, const struct rdata *rd);
void dump_action_data(struct strbuf *o, const char *name,
                      const struct sw_bytes *args, size_t n);
/* State of a table or action-profile dump (the sw_*_dump callbacks). */
struct dump_ctx {
    struct cli *c;
    const struct p4m_table *t;
    struct strbuf *o;   /* regular entries */
    struct strbuf dflt; /* the default entry */
    int have_default;
    int sep;       /* print "**********" before each entry */
    uint32_t want; /* member/group filter */
    int found;
};

/* Pops the priority of a ternary/range table from the end of the words. */
int pop_priority(struct strbuf *o, const struct p4m_table *t, int *argc,
                 char **argv, int *prio);
int has_priority(const struct p4m_table *t);
void member_cb(void *ctx, const struct sw_member_info *m);
void group_cb(void *ctx, const struct sw_group_info *g);
/* Prints an action profile's members (and groups) as table_dump does. */
int dump_act_prof(struct cli *c, struct strbuf *o,
                  const struct p4m_act_prof *ap);
int cmd_table_delete(struct cli *c, int argc, char **argv, struct strbuf *o);
/* Appends mc_dump's text (simple_switch_CLI's, from the switch's state) /
 * bm_mc_get_entries' JSON (BMv2's McSimplePreLAG format) to o. */
void cli_mc_dump(struct sw *sw, struct strbuf *o);
void cli_mc_entries_json(struct sw *sw, struct strbuf *o);

#endif
