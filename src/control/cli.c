/* cli.c - simple_switch_CLI's command language on the switch's control API.
 *
 * Each command parses its words exactly as BMv2's runtime_CLI.py/sswitch_CLI.py
 * do, checks names against the program model (p4model.h, built from the JSON
 * the switch runs), calls the switch (sw.h) and prints BMv2's output. Here:
 * the shared parsing and printing helpers and the match-table commands
 * (table_add, table_dump, ...). Action profiles and indirect tables are in
 * cli_ap.c; multicast and mirroring in cli_pre.c; listings, counters, meters,
 * registers, value sets, ports, queues, configuration and the dispatcher in
 * cli_misc.c. */
#include "control/cli_impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/value.h"
#include "lib/diag.h"
#include "switch/sw.h"

/* ---- output and errors --------------------------------------------------- */

void
outf(struct strbuf *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(o, fmt, ap);
    va_end(ap);
}

int
uin_error(struct strbuf *o, const char *fmt, ...)
{
    strbuf_puts(o, "Error: ");
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(o, fmt, ap);
    va_end(ap);
    strbuf_putc(o, '\n');
    return -1;
}

/* BMv2's error code names for a negative errno from the switch. */
static const char *
table_code(int rc)
{
    switch (rc) {
    case -EEXIST:
        return "DUPLICATE_ENTRY";
    case -ENOSPC:
        return "TABLE_FULL";
    case -ENOENT:
        return "INVALID_HANDLE";
    case -EBUSY:
        return "MBR_STILL_USED";
    case -EPERM:
        return "DEFAULT_ACTION_IS_CONST";
    case -EACCES:
        return "IMMUTABLE_TABLE_ENTRIES";
    case -ENOTSUP:
        return "WRONG_TABLE_TYPE";
    case -EINVAL:
        return "BAD_MATCH_KEY";
    default:
        return "ERROR";
    }
}

int
sw_error(struct strbuf *o, const char *what, int rc, const char *code,
         const struct err *e)
{
    outf(o, "Invalid %s operation (%s)", what, code ? code : table_code(rc));
    if (e && err_is_set(e))
        outf(o, ": %s", e->msg);
    strbuf_putc(o, '\n');
    return -1;
}

/* ---- arguments ------------------------------------------------------------
 */

int
exactly_n(struct strbuf *o, int argc, int n)
{
    if (argc != n)
        return uin_error(o, "Wrong number of args, expected %d but got %d", n,
                         argc);
    return 0;
}

int
at_least_n(struct strbuf *o, int argc, int n)
{
    if (argc < n)
        return uin_error(o, "Insufficient number of args");
    return 0;
}

int
parse_int_arg(struct strbuf *o, const char *s, const char *what, long long *v)
{
    if (value_parse_int(s, v) < 0)
        return uin_error(o, "Bad format for %s, expected integer", what);
    return 0;
}

static const char *res_words[P4M_RES_N] = {
    "table",   "action profile", "action",          "meter",
    "counter", "register",       "parser value set"};

int
get_res(struct cli *c, struct strbuf *o, enum p4m_res res, const char *name)
{
    if (!c->m)
        return uin_error(
            o, "No P4 program is loaded (load_new_config_file + swap_configs)");
    int i = p4model_find(c->m, res, name);
    if (i >= 0)
        return i;
    /* did you mean: over the full names of that kind */
    size_t n = 0;
    switch (res) {
    case P4M_RES_TABLE:
        n = c->m->n_tables;
        break;
    case P4M_RES_ACT_PROF:
        n = c->m->n_act_profs;
        break;
    case P4M_RES_ACTION:
        n = c->m->n_actions;
        break;
    case P4M_RES_METER:
        n = c->m->n_meters;
        break;
    case P4M_RES_COUNTER:
        n = c->m->n_counters;
        break;
    case P4M_RES_REGISTER:
        n = c->m->n_registers;
        break;
    case P4M_RES_PVS:
        n = c->m->n_pvss;
        break;
    default:
        break;
    }
    const char **cands = xcalloc(2 * n + 1, sizeof *cands);
    for (size_t k = 0; k < n; k++) {
        const char *full = p4model_name(c->m, res, (int)k);
        const char *dot = strrchr(full, '.');
        cands[2 * k] = full;
        cands[2 * k + 1] = dot ? dot + 1 : full;
    }
    const char *s = diag_suggest(name, cands, 2 * n);
    if (s)
        uin_error(o, "Invalid %s name (%s); did you mean '%s'?", res_words[res],
                  name, s);
    else
        uin_error(o, "Invalid %s name (%s)", res_words[res], name);
    free(cands);
    return -1;
}

/* ---- runtime data and match keys ----------------------------------------- */

int
parse_runtime_data(struct cli *c, struct strbuf *o, const struct p4m_action *a,
                   int argc, char **argv, struct rdata *rd)
{
    if ((size_t)argc != a->n_params)
        return uin_error(o, "Action %s needs %zu parameters", a->name,
                         a->n_params);
    rd->n = (size_t)argc;
    rd->bytes = xcalloc(rd->n + 1, sizeof *rd->bytes);
    rd->buf = xcalloc(rd->n + 1, VALUE_MAX_BYTES);
    for (size_t i = 0; i < rd->n; i++) {
        char msg[128];
        size_t len;
        uint8_t *b = rd->buf + i * VALUE_MAX_BYTES;
        if (value_parse(argv[i], a->params[i].bitwidth, b, &len, msg,
                        sizeof msg) < 0) {
            outf(o, "Invalid runtime data: Error while parsing %s - %s\n",
                 argv[i], msg);
            return -1;
        }
        rd->bytes[i].v = b;
        rd->bytes[i].len = len;
    }
    return 0;
}

void
rdata_free(struct rdata *rd)
{
    free(rd->bytes);
    free(rd->buf);
    memset(rd, 0, sizeof *rd);
}

static int
mk_err(struct strbuf *o, const char *fmt, const char *field)
{
    strbuf_puts(o, "Invalid match key: ");
    outf(o, fmt, field);
    strbuf_putc(o, '\n');
    return -1;
}

static int
mk_param(struct strbuf *o, const char *field, int bw, uint8_t *buf, size_t *len)
{
    char msg[128];
    if (value_parse(field, bw, buf, len, msg, sizeof msg) < 0) {
        outf(o, "Invalid match key: Error while parsing %s - %s\n", field, msg);
        return -1;
    }
    return 0;
}

/* Splits s at the first occurrence of sep into a (copied) and b; -1 if sep does
 * not occur exactly once. */
static int
split2(const char *s, const char *sep, char *a, char *b, size_t cap)
{
    const char *p = strstr(s, sep);
    if (!p || strstr(p + strlen(sep), sep))
        return -1;
    size_t la = (size_t)(p - s), lb = strlen(p + strlen(sep));
    if (la >= cap || lb >= cap)
        return -1;
    memcpy(a, s, la);
    a[la] = '\0';
    memcpy(b, p + strlen(sep), lb + 1);
    return 0;
}

static enum sw_match_kind
to_sw_kind(enum p4m_match m)
{
    switch (m) {
    case P4M_EXACT:
        return SW_MATCH_EXACT;
    case P4M_LPM:
        return SW_MATCH_LPM;
    case P4M_TERNARY:
        return SW_MATCH_TERNARY;
    case P4M_VALID:
        return SW_MATCH_VALID;
    case P4M_RANGE:
        return SW_MATCH_RANGE;
    case P4M_OPTIONAL:
        return SW_MATCH_OPTIONAL;
    }
    return SW_MATCH_EXACT;
}

int
parse_match_key(struct strbuf *o, const struct p4m_table *t, int argc,
                char **argv, struct mkey *mk)
{
    mk->n = (size_t)argc;
    mk->p = xcalloc(mk->n + 1, sizeof *mk->p);
    mk->buf = xcalloc(2 * mk->n + 1, VALUE_MAX_BYTES);
    for (size_t i = 0; i < mk->n; i++) {
        const struct p4m_key *k = &t->keys[i];
        struct sw_match_param *p = &mk->p[i];
        uint8_t *b1 = mk->buf + 2 * i * VALUE_MAX_BYTES,
                *b2 = b1 + VALUE_MAX_BYTES;
        const char *field = argv[i];
        char x[256], y[256];
        size_t l1, l2;
        p->kind = to_sw_kind(k->match);
        switch (k->match) {
        case P4M_EXACT:
            if (mk_param(o, field, k->bitwidth, b1, &l1) < 0)
                return -1;
            p->key = (struct sw_bytes){b1, l1};
            break;
        case P4M_LPM: {
            if (split2(field, "/", x, y, sizeof x) < 0)
                return mk_err(o,
                              "Invalid LPM value %s, use '/' to separate "
                              "prefix and length",
                              field);
            long long plen;
            if (value_parse_int(y, &plen) < 0 || plen < 0 || plen > k->bitwidth)
                return mk_err(o, "Invalid prefix length in %s", field);
            if (mk_param(o, x, k->bitwidth, b1, &l1) < 0)
                return -1;
            p->key = (struct sw_bytes){b1, l1};
            p->prefix_len = (int)plen;
            break;
        }
        case P4M_TERNARY:
            if (split2(field, "&&&", x, y, sizeof x) < 0)
                return mk_err(o,
                              "Invalid ternary value %s, use '&&&' to separate "
                              "key and mask",
                              field);
            if (mk_param(o, x, k->bitwidth, b1, &l1) < 0 ||
                mk_param(o, y, k->bitwidth, b2, &l2) < 0)
                return -1;
            /* mask bits above the field's width select nothing: BMv2 accepts
             * them (FOP4's commands use 0xFFFF for the 9-bit ingress_port) */
            if (k->bitwidth > 0 && l2 * 8 > (size_t)k->bitwidth)
                b2[0] &= (uint8_t)(0xFF >> (l2 * 8 - (size_t)k->bitwidth));
            p->key = (struct sw_bytes){b1, l1};
            p->mask = (struct sw_bytes){b2, l2};
            break;
        case P4M_VALID: {
            long long v;
            if (value_parse_int(field, &v) < 0)
                return mk_err(o, "Invalid valid value %s, use 0 or 1", field);
            b1[0] = v != 0;
            p->key = (struct sw_bytes){b1, 1};
            break;
        }
        case P4M_RANGE:
            if (split2(field, "->", x, y, sizeof x) < 0)
                return mk_err(o,
                              "Invalid range value %s, use '->' to separate "
                              "range start and "
                              "range end",
                              field);
            if (mk_param(o, x, k->bitwidth, b1, &l1) < 0 ||
                mk_param(o, y, k->bitwidth, b2, &l2) < 0)
                return -1;
            if (memcmp(b1, b2, l1) > 0)
                return mk_err(o, "start is less than end in expression %s",
                              field);
            p->key = (struct sw_bytes){b1, l1};
            p->mask = (struct sw_bytes){b2, l2};
            break;
        case P4M_OPTIONAL:
            /* our extension: "*" (or "_") matches anything, a value matches it
             * exactly; "v&&&m" is accepted as v with mask m all-ones only */
            if (!strcmp(field, "*") || !strcmp(field, "_")) {
                p->wildcard = 1;
                b1[0] = 0;
                p->key = (struct sw_bytes){b1, 1};
                break;
            }
            if (mk_param(o, field, k->bitwidth, b1, &l1) < 0)
                return -1;
            p->key = (struct sw_bytes){b1, l1};
            break;
        }
    }
    return 0;
}

void
mkey_free(struct mkey *mk)
{
    free(mk->p);
    free(mk->buf);
    memset(mk, 0, sizeof *mk);
}

static void
colon_hex(struct strbuf *o, const struct sw_bytes *b)
{
    char buf[VALUE_MAX_BYTES * 3 + 1];
    value_hex(buf, sizeof buf, b->v, b->len, ':');
    strbuf_puts(o, buf);
}

void
plain_hex(struct strbuf *o, const struct sw_bytes *b)
{
    char buf[VALUE_MAX_BYTES * 2 + 1];
    value_hex(buf, sizeof buf, b->v, b->len, 0);
    strbuf_puts(o, buf);
}

static const char *
upper_kind(enum sw_match_kind k)
{
    static const char *n[] = {"EXACT", "LPM",   "TERNARY",
                              "RANGE", "VALID", "OPTIONAL"};
    return (unsigned)k < ARRAY_SIZE(n) ? n[k] : "?";
}

/* One match parameter as BMv2 prints it: the key's bytes in hex joined by sep
 * (':' when echoing table_add, none in table_dump), then "/plen", " &&& mask"
 * or " -> high"; an optional wildcard as "*"; a valid key as 01/00 only when
 * show_valid (table_dump), as BMv2 does. */
static void
print_match_value(struct strbuf *o, const struct sw_match_param *p, char sep,
                  int show_valid)
{
    char buf[VALUE_MAX_BYTES * 3 + 1];
    switch (p->kind) {
    case SW_MATCH_VALID:
        if (show_valid)
            strbuf_puts(o,
                        p->key.len && p->key.v[p->key.len - 1] ? "01" : "00");
        return;
    case SW_MATCH_OPTIONAL:
        if (p->wildcard) {
            strbuf_putc(o, '*');
            return;
        }
        break;
    default:
        break;
    }
    value_hex(buf, sizeof buf, p->key.v, p->key.len, sep);
    strbuf_puts(o, buf);
    if (p->kind == SW_MATCH_LPM) {
        outf(o, "/%d", p->prefix_len);
    } else if (p->kind == SW_MATCH_TERNARY || p->kind == SW_MATCH_RANGE) {
        strbuf_puts(o, p->kind == SW_MATCH_TERNARY ? " &&& " : " -> ");
        value_hex(buf, sizeof buf, p->mask.v, p->mask.len, sep);
        strbuf_puts(o, buf);
    }
}

/* BMv2's print_table_add / BmMatchParam.to_str. */
static void
print_match_key(struct strbuf *o, const struct mkey *mk)
{
    outf(o, "%-20s ", "match key:");
    for (size_t i = 0; i < mk->n; i++) {
        const struct sw_match_param *p = &mk->p[i];
        if (i)
            strbuf_putc(o, '\t');
        outf(o, "%s-", upper_kind(p->kind));
        print_match_value(o, p, ':', 0);
    }
    strbuf_putc(o, '\n');
}

void
print_runtime_data(struct strbuf *o, const struct rdata *rd)
{
    outf(o, "%-20s ", "runtime data:");
    for (size_t i = 0; i < rd->n; i++) {
        if (i)
            strbuf_putc(o, '\t');
        colon_hex(o, &rd->bytes[i]);
    }
    strbuf_putc(o, '\n');
}

int
has_priority(const struct p4m_table *t)
{
    return t->match_type == P4M_TERNARY || t->match_type == P4M_RANGE ||
           t->match_type == P4M_OPTIONAL;
}

/* ---- table commands ---------------------------------------------------------
 */

static int
table_and_action(struct cli *c, struct strbuf *o, char **argv,
                 struct p4m_table **t, struct p4m_action **a)
{
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    *t = &c->m->tables[ti];
    int ai = p4model_table_action(c->m, *t, argv[1]);
    if (ai < 0)
        return uin_error(o, "Table %s has no action %s", argv[0], argv[1]);
    *a = &c->m->actions[ai];
    return 0;
}

static int
cmd_table_set_default(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    struct p4m_table *t;
    struct p4m_action *a;
    if (at_least_n(o, argc, 2) < 0 || table_and_action(c, o, argv, &t, &a) < 0)
        return -1;
    struct rdata rd = {0};
    int rc = -1;
    if (parse_runtime_data(c, o, a, argc - 2, argv + 2, &rd) < 0)
        goto out;
    outf(o, "Setting default action of %s\n", argv[0]);
    outf(o, "%-20s %s\n", "action:", argv[1]);
    print_runtime_data(o, &rd);
    struct sw_action_ref ref = {SW_REF_ACTION, a->name, rd.bytes, rd.n, 0};
    struct err e = {0};
    rc = sw_table_set_default(c->sw, t->name, &ref, &e);
    if (rc < 0)
        sw_error(o, "table", rc,
                 rc == -EPERM ? "DEFAULT_ACTION_IS_CONST" : NULL, &e);
out:
    rdata_free(&rd);
    return rc;
}

static int
cmd_table_reset_default(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    struct err e = {0};
    int rc = sw_table_reset_default(c->sw, c->m->tables[ti].name, &e);
    return rc < 0 ? sw_error(o, "table", rc, NULL, &e) : 0;
}

static int
cmd_table_num_entries(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    struct err e = {0};
    long n = sw_table_num_entries(c->sw, c->m->tables[ti].name, &e);
    if (n < 0)
        return sw_error(o, "table", (int)n, NULL, &e);
    outf(o, "%ld\n", n);
    return 0;
}

static int
cmd_table_clear(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    struct err e = {0};
    int rc = sw_table_clear(c->sw, c->m->tables[ti].name, &e);
    return rc < 0 ? sw_error(o, "table", rc, NULL, &e) : 0;
}

/* Pops the priority of a ternary/range table from the end of the words. */
int
pop_priority(struct strbuf *o, const struct p4m_table *t, int *argc,
             char **argv, int *prio)
{
    *prio = 0;
    if (!has_priority(t))
        return 0;
    long long p;
    if (*argc < 1 || value_parse_int(argv[*argc - 1], &p) < 0)
        return uin_error(o, "Table is ternary, but could not extract a valid "
                            "priority from args");
    *prio = (int)p;
    (*argc)--;
    return 0;
}

static int
cmd_table_add(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    struct p4m_table *t;
    struct p4m_action *a;
    if (at_least_n(o, argc, 3) < 0 || table_and_action(c, o, argv, &t, &a) < 0)
        return -1;
    int prio;
    if (pop_priority(o, t, &argc, argv, &prio) < 0)
        return -1;
    /* the words after the action up to "=>" are the key (as BMv2 splits them)
     */
    int idx = 2;
    while (idx < argc && strcmp(argv[idx], "=>"))
        idx++;
    if (idx == argc && argc > 2)
        idx = argc - 1; /* no "=>": BMv2 takes the last word as the separator */
    int nkey = idx - 2;
    if (nkey < 0)
        nkey = 0;
    if ((size_t)nkey != t->n_keys)
        return uin_error(o, "Table %s needs %zu key fields", argv[0],
                         t->n_keys);
    struct rdata rd = {0};
    struct mkey mk = {0};
    int rc = -1;
    int npar = argc - idx - 1;
    if (parse_runtime_data(c, o, a, npar < 0 ? 0 : npar, argv + idx + 1, &rd) <
        0)
        goto out;
    if (parse_match_key(o, t, nkey, argv + 2, &mk) < 0)
        goto out;
    outf(o, "Adding entry to %s match table %s\n",
         p4model_match_name(t->match_type), argv[0]);
    print_match_key(o, &mk);
    outf(o, "%-20s %s\n", "action:", argv[1]);
    print_runtime_data(o, &rd);
    struct sw_action_ref ref = {SW_REF_ACTION, a->name, rd.bytes, rd.n, 0};
    struct err e = {0};
    uint64_t h = 0;
    rc = sw_table_add(c->sw, t->name, mk.p, mk.n, prio, &ref, &h, &e);
    if (rc < 0)
        sw_error(o, "table", rc, NULL, &e);
    else
        outf(o, "Entry has been added with handle %llu\n",
             (unsigned long long)h);
out:
    rdata_free(&rd);
    mkey_free(&mk);
    return rc;
}

static int
cmd_table_set_timeout(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 3) < 0)
        return -1;
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    if (!c->m->tables[ti].support_timeout)
        return uin_error(o, "Table %s does not support entry timeouts",
                         argv[0]);
    long long h, ms;
    if (value_parse_int(argv[1], &h) < 0)
        return uin_error(o, "Bad format for entry handle");
    if (value_parse_int(argv[2], &ms) < 0)
        return uin_error(o, "Bad format for timeout");
    outf(o, "Setting a %lld ms timeout for entry %lld\n", ms, h);
    struct err e = {0};
    int rc = sw_table_set_timeout(c->sw, c->m->tables[ti].name, (uint64_t)h,
                                  (unsigned)ms, &e);
    return rc < 0 ? sw_error(o, "table", rc, NULL, &e) : 0;
}

static int
cmd_table_modify(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    struct p4m_table *t;
    struct p4m_action *a;
    if (at_least_n(o, argc, 3) < 0 || table_and_action(c, o, argv, &t, &a) < 0)
        return -1;
    long long h;
    if (value_parse_int(argv[2], &h) < 0)
        return uin_error(o, "Bad format for entry handle");
    int first = 3;
    if (argc > 3 && !strcmp(argv[3], "=>"))
        first = 4;
    struct rdata rd = {0};
    int rc = -1;
    if (parse_runtime_data(c, o, a, argc - first, argv + first, &rd) < 0)
        goto out;
    outf(o, "Modifying entry %lld for %s match table %s\n", h,
         p4model_match_name(t->match_type), argv[0]);
    struct sw_action_ref ref = {SW_REF_ACTION, a->name, rd.bytes, rd.n, 0};
    struct err e = {0};
    rc = sw_table_modify(c->sw, t->name, (uint64_t)h, &ref, &e);
    if (rc < 0)
        sw_error(o, "table", rc, rc == -ENOENT ? "INVALID_HANDLE" : NULL, &e);
out:
    rdata_free(&rd);
    return rc;
}

int
cmd_table_delete(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 2) < 0)
        return -1;
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    long long h;
    if (value_parse_int(argv[1], &h) < 0)
        return uin_error(o, "Bad format for entry handle");
    outf(o, "Deleting entry %lld from %s\n", h, argv[0]);
    struct err e = {0};
    int rc = sw_table_delete(c->sw, c->m->tables[ti].name, (uint64_t)h, &e);
    return rc < 0 ? sw_error(o, "table", rc,
                             rc == -ENOENT ? "INVALID_HANDLE" : NULL, &e)
                  : 0;
}

/* ---- dumps ------------------------------------------------------------------
 */

void
dump_action_data(struct strbuf *o, const char *name,
                 const struct sw_bytes *args, size_t n)
{
    outf(o, "Action entry: %s - ", name);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_puts(o, ", ");
        /* BMv2 hands action data back as the shortest byte string of the
         * value ("01" for 1 in a 9-bit parameter) */
        struct sw_bytes b = args[i];
        while (b.len > 1 && b.v[0] == 0) {
            b.v++;
            b.len--;
        }
        plain_hex(o, &b);
    }
    strbuf_putc(o, '\n');
}

static void
dump_action_entry(struct strbuf *o, const struct sw_entry_info *ent)
{
    switch (ent->kind) {
    case SW_REF_ACTION:
        if (!ent->action)
            strbuf_puts(o, "EMPTY\n");
        else
            dump_action_data(o, ent->action->name, ent->args,
                             ent->action->n_params);
        break;
    case SW_REF_MEMBER:
        outf(o, "Index: member(%u)\n", ent->ref_handle);
        break;
    case SW_REF_GROUP:
        outf(o, "Index: group(%u)\n", ent->ref_handle);
        break;
    }
}

static void
dump_one_entry(struct strbuf *o, const struct p4m_table *t,
               const struct sw_entry_info *ent)
{
    int w = 20;
    for (size_t i = 0; i < t->n_keys; i++)
        if ((int)strlen(t->keys[i].name) > w)
            w = (int)strlen(t->keys[i].name);
    outf(o, "Dumping entry 0x%llx\n", (unsigned long long)ent->handle);
    strbuf_puts(o, "Match key:\n");
    for (size_t i = 0; i < ent->n_match && i < t->n_keys; i++) {
        const struct sw_match_param *p = &ent->match[i];
        outf(o, "* %-*s: %-10s", w, t->keys[i].name, upper_kind(p->kind));
        print_match_value(o, p, 0, 1);
        strbuf_putc(o, '\n');
    }
    if (has_priority(t))
        outf(o, "Priority: %d\n", ent->priority);
    dump_action_entry(o, ent);
    if (t->support_timeout && ent->timeout_ms)
        outf(o, "Life: %llums since hit, timeout is %ums\n",
             (unsigned long long)ent->ms_since_hit, ent->timeout_ms);
}

static void
dump_entry_cb(void *ctx, const struct sw_entry_info *ent)
{
    struct dump_ctx *d = ctx;
    if (ent->is_default) {
        d->have_default = 1;
        strbuf_reset(&d->dflt);
        dump_action_entry(&d->dflt, ent);
        return;
    }
    if (d->sep)
        strbuf_puts(d->o, "**********\n");
    dump_one_entry(d->o, d->t, ent);
    d->found = 1;
}

void
member_cb(void *ctx, const struct sw_member_info *m)
{
    struct dump_ctx *d = ctx;
    if (d->want != UINT32_MAX && m->handle != d->want)
        return;
    if (d->sep)
        strbuf_puts(d->o, "**********\n");
    outf(d->o, "Dumping member %u\n", m->handle);
    dump_action_data(d->o, m->action ? m->action->name : "?", m->args,
                     m->action ? m->action->n_params : 0);
    d->found = 1;
}

void
group_cb(void *ctx, const struct sw_group_info *g)
{
    struct dump_ctx *d = ctx;
    if (d->want != UINT32_MAX && g->handle != d->want)
        return;
    if (d->sep)
        strbuf_puts(d->o, "**********\n");
    outf(d->o, "Dumping group %u\n", g->handle);
    strbuf_puts(d->o, "Members: [");
    for (size_t i = 0; i < g->n_members; i++)
        outf(d->o, "%s%u", i ? ", " : "", g->members[i]);
    strbuf_puts(d->o, "]\n");
    d->found = 1;
}

int
dump_act_prof(struct cli *c, struct strbuf *o, const struct p4m_act_prof *ap)
{
    struct dump_ctx d = {.c = c, .o = o, .sep = 1, .want = UINT32_MAX};
    struct strbuf groups = STRBUF_INIT;
    struct err e = {0};
    strbuf_puts(o, "==========\nMEMBERS\n");
    int rc = sw_act_prof_dump(c->sw, ap->name, member_cb, NULL, &d, &e);
    if (rc >= 0 && ap->with_selection) {
        d.o = &groups;
        rc = sw_act_prof_dump(c->sw, ap->name, NULL, group_cb, &d, &e);
        strbuf_puts(o, "==========\nGROUPS\n");
        strbuf_puts(o, strbuf_str(&groups));
    }
    strbuf_destroy(&groups);
    if (rc < 0)
        return sw_error(o, "table", rc, NULL, &e);
    return 0;
}

static int
cmd_table_dump(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    const struct p4m_table *t = &c->m->tables[ti];
    struct strbuf body = STRBUF_INIT;
    struct dump_ctx d = {
        .c = c, .t = t, .o = &body, .sep = 1, .want = UINT32_MAX};
    struct err e = {0};
    int rc = sw_table_dump(c->sw, t->name, dump_entry_cb, &d, &e);
    if (rc < 0) {
        sw_error(o, "table", rc, NULL, &e);
        goto out;
    }
    strbuf_puts(o, "==========\nTABLE ENTRIES\n");
    strbuf_puts(o, strbuf_str(&body));
    if (t->type != P4M_SIMPLE && t->act_prof >= 0)
        dump_act_prof(c, o, &c->m->act_profs[t->act_prof]);
    strbuf_puts(o, "==========\nDumping default entry\n");
    strbuf_puts(o, d.have_default ? strbuf_str(&d.dflt) : "EMPTY\n");
    strbuf_puts(o, "==========\n");
out:
    strbuf_destroy(&body);
    strbuf_destroy(&d.dflt);
    return rc;
}

static int
cmd_table_dump_entry(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 2) < 0)
        return -1;
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    long long h;
    if (value_parse_int(argv[1], &h) < 0)
        return uin_error(o, "Bad format for entry handle");
    const struct p4m_table *t = &c->m->tables[ti];
    struct dump_ctx d = {.c = c, .t = t, .o = o, .want = UINT32_MAX};
    struct err e = {0};
    int rc = sw_table_read(c->sw, t->name, (uint64_t)h, dump_entry_cb, &d, &e);
    strbuf_destroy(&d.dflt);
    if (rc < 0)
        return sw_error(o, "table", rc, rc == -ENOENT ? "INVALID_HANDLE" : NULL,
                        &e);
    return 0;
}

static int
cmd_table_dump_entry_from_key(struct cli *c, int argc, char **argv,
                              struct strbuf *o)
{
    if (at_least_n(o, argc, 1) < 0)
        return -1;
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    const struct p4m_table *t = &c->m->tables[ti];
    int prio;
    if (pop_priority(o, t, &argc, argv, &prio) < 0)
        return -1;
    if ((size_t)(argc - 1) != t->n_keys)
        return uin_error(o, "Table %s needs %zu key fields", argv[0],
                         t->n_keys);
    struct mkey mk = {0};
    int rc = -1;
    if (parse_match_key(o, t, argc - 1, argv + 1, &mk) < 0)
        goto out;
    struct err e = {0};
    uint64_t h;
    rc = sw_table_find(c->sw, t->name, mk.p, mk.n, prio, &h, &e);
    if (rc < 0) {
        sw_error(o, "table", rc, rc == -ENOENT ? "BAD_MATCH_KEY" : NULL, &e);
        goto out;
    }
    struct dump_ctx d = {.c = c, .t = t, .o = o, .want = UINT32_MAX};
    rc = sw_table_read(c->sw, t->name, h, dump_entry_cb, &d, &e);
    strbuf_destroy(&d.dflt);
    if (rc < 0)
        sw_error(o, "table", rc, NULL, &e);
out:
    mkey_free(&mk);
    return rc;
}

/* ---- command table ----------------------------------------------------------
 */

const struct cli_cmd cli_table_cmds[] = {
    {"table_set_default", cmd_table_set_default,
     "Set default action for a match table: table_set_default <table name> "
     "<action name> "
     "<action parameters>"},
    {"table_reset_default", cmd_table_reset_default,
     "Reset default entry for a match table: table_reset_default <table name>"},
    {"table_num_entries", cmd_table_num_entries,
     "Return the number of entries in a match table (direct or indirect): "
     "table_num_entries "
     "<table name>"},
    {"table_clear", cmd_table_clear,
     "Clear all entries in a match table (direct or indirect), but not the "
     "default entry: "
     "table_clear <table name>"},
    {"table_add", cmd_table_add,
     "Add entry to a match table: table_add <table name> <action name> <match "
     "fields> => "
     "<action parameters> [priority]"},
    {"table_set_timeout", cmd_table_set_timeout,
     "Set a timeout in ms for a given entry; the table has to support "
     "timeouts: "
     "table_set_timeout <table_name> <entry handle> <timeout (ms)>"},
    {"table_modify", cmd_table_modify,
     "Add entry to a match table: table_modify <table name> <action name> "
     "<entry handle> "
     "[action parameters]"},
    {"table_delete", cmd_table_delete,
     "Delete entry from a match table: table_delete <table name> <entry "
     "handle>"},
    {"table_dump", cmd_table_dump,
     "Display entries in a match-table: table_dump <table name>"},
    {"table_dump_entry", cmd_table_dump_entry,
     "Display some information about a table entry: table_dump_entry <table "
     "name> <entry "
     "handle>"},
    {"table_dump_entry_from_key", cmd_table_dump_entry_from_key,
     "Display some information about a table entry: table_dump_entry_from_key "
     "<table name> "
     "<match fields> [priority]"},
    {"table_indirect_reset_default", cmd_table_reset_default,
     "Reset default entry for indirect match table: "
     "table_indirect_reset_default <table "
     "name>"},
    {NULL, NULL, NULL},
};
