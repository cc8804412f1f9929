/* stf.c - the STF runner: parses p4c's STF packet-test format, turns "add" and
 * "setdefault" into simple_switch_CLI commands exactly as p4c's bmv2stf.py
 * does, runs everything in-process on a struct sw (no pcap files, no sockets)
 * and compares each port's frames with the expectations. The CLI language
 * (cli.h) applies the commands, so an STF test exercises the same code as a
 * user's commands file. */
#include "control/stf.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdarg.h>

#include "control/cli.h"
#include "control/p4model.h"
#include "lib/diag.h"
#include "lib/util.h"
#include "lib/vec.h"
#include "switch/sw.h"

struct frame {
    uint32_t port;
    char *hex; /* upper-case hex; expectations may hold '*' */
    int exact; /* expectation ended with '$' */
    int line;  /* STF line (expectations) */
};

struct run {
    const char *path;
    const char *src;
    struct sw *sw;
    struct cli *cli;
    struct p4model *m;
    const struct stf_opts *opts;
    FILE *log;
    VEC(struct frame) expect;
    VEC(struct frame) got;
    VEC(uint32_t) ports;     /* ports named in packet/expect lines */
    VEC(uint32_t) any_ports; /* "expect <port>" without data */
    char cli_error[512];     /* the first command the switch refused */
    const char *cur_line;    /* the STF line being run (for columns) */
};

static void
add_port(struct run *r, uint32_t p)
{
    for (size_t i = 0; i < r->ports.n; i++)
        if (r->ports.v[i] == p)
            return;
    VEC_PUSH(&r->ports, p);
}

static int
has_port(const struct run *r, uint32_t p)
{
    for (size_t i = 0; i < r->ports.n; i++)
        if (r->ports.v[i] == p)
            return 1;
    return 0;
}

static int stf_error(struct run *r, struct err *err, int line, int col,
                     const char *fmt, ...) PRINTF_FMT(5, 6);

static int
stf_error(struct run *r, struct err *err, int line, int col, const char *fmt,
          ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct strbuf sb = STRBUF_INIT;
    diag_format(&sb, "error", r->path, r->src, line, col, "%s", msg);
    /* err holds one message: drop the trailing newline */
    while (sb.len && sb.s[sb.len - 1] == '\n')
        sb.s[--sb.len] = '\0';
    err_set(err, -EINVAL, "%s", strbuf_str(&sb));
    strbuf_destroy(&sb);
    return -EINVAL;
}

/* The column of word in the current line (1-based), or 0. */
static int
col_of(const struct run *r, const char *word)
{
    const char *p = r->cur_line && *word ? strstr(r->cur_line, word) : NULL;
    return p ? (int)(p - r->cur_line) + 1 : 0;
}

static const char *
skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    return p;
}

/* Reads the next word of p into w (cap bytes); returns the rest. */
static const char *
next_word(const char *p, char *w, size_t cap)
{
    p = skip_ws(p);
    size_t n = 0;
    while (*p && !isspace((unsigned char)*p)) {
        if (n + 1 < cap)
            w[n++] = *p;
        p++;
    }
    w[n] = '\0';
    return skip_ws(p);
}

/* ---- names
 * ------------------------------------------------------------------- */

static int
ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && !strcmp(s + ls - lx, suffix);
}

/* bmv2stf's tableByName: exact name, else a unique plain suffix. */
static int
find_table(const struct p4model *m, const char *name)
{
    for (size_t i = 0; i < m->n_tables; i++)
        if (!strcmp(m->tables[i].name, name))
            return (int)i;
    int found = -1;
    for (size_t i = 0; i < m->n_tables; i++)
        if (ends_with(m->tables[i].name, name)) {
            if (found >= 0)
                return -2;
            found = (int)i;
        }
    return found;
}

static int
find_action(const struct p4model *m, const struct p4m_table *t,
            const char *name)
{
    for (size_t i = 0; i < t->n_actions; i++)
        if (!strcmp(m->actions[t->actions[i]].name, name))
            return t->actions[i];
    int found = -1;
    for (size_t i = 0; i < t->n_actions; i++)
        if (ends_with(m->actions[t->actions[i]].name, name)) {
            if (found >= 0 && found != t->actions[i])
                return -2;
            found = t->actions[i];
        }
    return found;
}

/* The key of t that STF name k means (bmv2stf's TableKeyInstance.set). */
static int
find_key(const struct p4m_table *t, const char *k0)
{
    char k[256];
    /* "hdr.stack$3.f" means "hdr.stack[3].f" */
    const char *dollar = strchr(k0, '$');
    if (dollar && isdigit((unsigned char)dollar[1])) {
        const char *end = dollar + 1;
        while (isdigit((unsigned char)*end))
            end++;
        snprintf(k, sizeof k, "%.*s[%.*s]%s", (int)(dollar - k0), k0,
                 (int)(end - dollar - 1), dollar + 1, end);
    } else {
        snprintf(k, sizeof k, "%s", k0);
    }
    char valid[300] = "";
    int is_valid = ends_with(k, ".valid") || ends_with(k, ".$valid$");
    if (is_valid) {
        size_t cut = strlen(k) - (ends_with(k, ".valid") ? 6 : 8);
        snprintf(valid, sizeof valid, "%.*s_valid", (int)cut, k);
    }
    for (size_t i = 0; i < t->n_keys; i++) {
        const struct p4m_key *key = &t->keys[i];
        if (!strcmp(key->name, k) || (key->jname && !strcmp(key->jname, k)) ||
            (is_valid && !strcmp(key->name, valid)))
            return (int)i;
    }
    char dotted[400];
    snprintf(dotted, sizeof dotted, ".%s", is_valid ? valid : k);
    int found = -1;
    for (size_t i = 0; i < t->n_keys; i++) {
        const struct p4m_key *key = &t->keys[i];
        if (ends_with(key->name, dotted) ||
            (key->jname && ends_with(key->jname, dotted))) {
            if (found >= 0 && found != (int)i)
                return -2;
            found = (int)i;
        }
    }
    if (found < 0 && !strcmp(k, "valid"))
        for (size_t i = 0; i < t->n_keys; i++)
            if (t->keys[i].match == P4M_VALID ||
                ends_with(t->keys[i].name, "_valid"))
                return (int)i;
    return found;
}

/* ---- values
 * ------------------------------------------------------------------- */

/* bmv2stf's makeMask: "0x12**" -> "0x1200&&&0xFF00" (the mask has as many
 * digits as the value). Decimal values match exactly. */
static void
ternary_value(struct strbuf *o, const char *v, int bitwidth)
{
    const char *prefix = NULL;
    char maskdig = 0;
    if (!strncmp(v, "0x", 2) || !strncmp(v, "0X", 2))
        prefix = "0x", maskdig = 'F';
    else if (!strncmp(v, "0b", 2) || !strncmp(v, "0B", 2))
        prefix = "0b", maskdig = '1';
    else if (!strncmp(v, "0o", 2) || !strncmp(v, "0O", 2))
        prefix = "0o", maskdig = '7';
    if (!prefix) {
        strbuf_printf(o, "%s&&&0x", v);
        for (int i = 0; i < (bitwidth + 3) / 4; i++)
            strbuf_putc(o, 'F');
        return;
    }
    const char *d = v + 2;
    strbuf_puts(o, prefix);
    for (const char *p = d; *p; p++)
        strbuf_putc(o, *p == '*' ? '0' : *p);
    strbuf_printf(o, "&&&%s", prefix);
    for (const char *p = d; *p; p++)
        strbuf_putc(o, *p == '*' ? '0' : *p == '_' ? '_' : maskdig);
}

/* bmv2stf's makeLpm: "0x0a01****" -> "0x0a010000/16". */
static void
lpm_value(struct strbuf *o, const char *v, int bitwidth)
{
    if (strchr(v, '/')) {
        strbuf_puts(o, v);
        return;
    }
    int bits = 0;
    if (!strncmp(v, "0x", 2) || !strncmp(v, "0X", 2))
        bits = 4;
    else if (!strncmp(v, "0b", 2) || !strncmp(v, "0B", 2))
        bits = 1;
    else if (!strncmp(v, "0o", 2) || !strncmp(v, "0O", 2))
        bits = 3;
    if (!bits) {
        strbuf_printf(o, "%s/%d", v, bitwidth);
        return;
    }
    int digits = 0;
    strbuf_add(o, v, 2);
    for (const char *p = v + 2; *p; p++) {
        strbuf_putc(o, *p == '*' ? '0' : *p);
        if (*p != '*')
            digits++;
    }
    int plen = digits * bits;
    if (plen > bitwidth)
        plen = bitwidth;
    strbuf_printf(o, "/%d", plen);
}

/* Splits "name(a:1, b:2)" (already cut at '(') args into the action's
 * parameters, in the action's order, appended to cmd. */
static int
action_args(struct run *r, struct err *err, int line,
            const struct p4m_action *a, const char *args, struct strbuf *cmd)
{
    char **vals = xcalloc(a->n_params + 1, sizeof *vals);
    int rc = 0;
    char *copy = xstrdup(args);
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *k = (char *)skip_ws(tok);
        if (!*k)
            continue;
        char *colon = strchr(k, ':');
        if (!colon) {
            rc = stf_error(r, err, line, col_of(r, k),
                           "action argument '%s' is not name:value", k);
            goto out;
        }
        *colon = '\0';
        char *v = (char *)skip_ws(colon + 1);
        char *end = k + strlen(k);
        while (end > k && isspace((unsigned char)end[-1]))
            *--end = '\0';
        end = v + strlen(v);
        while (end > v && isspace((unsigned char)end[-1]))
            *--end = '\0';
        size_t i;
        for (i = 0; i < a->n_params; i++)
            if (!strcmp(a->params[i].name, k))
                break;
        if (i == a->n_params) {
            rc = stf_error(r, err, line, col_of(r, k),
                           "action %s has no parameter '%s'", a->name, k);
            goto out;
        }
        free(vals[i]);
        vals[i] = xstrdup(v);
    }
    for (size_t i = 0; i < a->n_params; i++) {
        if (!vals[i]) {
            rc = stf_error(r, err, line, 0,
                           "action %s: parameter '%s' not given", a->name,
                           a->params[i].name);
            goto out;
        }
        strbuf_printf(cmd, " %s", vals[i]);
    }
out:
    for (size_t i = 0; i < a->n_params; i++)
        free(vals[i]);
    free(vals);
    free(copy);
    return rc;
}

/* Cuts "act(args...)" at the parenthesis: *name gets "act", *args the inside.
 */
static int
split_call(char *s, char **name, char **args)
{
    char *lp = strchr(s, '(');
    if (!lp)
        return -1;
    *lp = '\0';
    char *rp = strrchr(lp + 1, ')');
    if (rp)
        *rp = '\0';
    *name = s;
    *args = lp + 1;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return 0;
}

static int
lookup_table(struct run *r, struct err *err, int line, const char *name)
{
    int ti = find_table(r->m, name);
    if (ti == -2)
        return stf_error(r, err, line, col_of(r, name),
                         "table name '%s' is ambiguous", name);
    if (ti < 0) {
        const char **c = xcalloc(r->m->n_tables + 1, sizeof *c);
        for (size_t i = 0; i < r->m->n_tables; i++)
            c[i] = r->m->tables[i].name;
        const char *s = diag_suggest(name, c, r->m->n_tables);
        stf_error(r, err, line, col_of(r, name), "no table '%s'%s%s%s", name,
                  s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
        free(c);
        return -EINVAL;
    }
    return ti;
}

static int
lookup_action(struct run *r, struct err *err, int line,
              const struct p4m_table *t, const char *name)
{
    int ai = find_action(r->m, t, name);
    if (ai == -2)
        return stf_error(r, err, line, col_of(r, name),
                         "action name '%s' is ambiguous in table %s", name,
                         t->name);
    if (ai < 0)
        return stf_error(r, err, line, col_of(r, name),
                         "table %s has no action '%s'", t->name, name);
    return ai;
}

/* "add <table> [prio] <key>:<value>... <action>(<arg>:<value>, ...)" */
static int
translate_add(struct run *r, struct err *err, int line, const char *rest,
              struct strbuf *cmd)
{
    char tname[256], word[512];
    const char *p = next_word(rest, tname, sizeof tname);
    int ti = lookup_table(r, err, line, tname);
    if (ti < 0)
        return ti;
    const struct p4m_table *t = &r->m->tables[ti];
    const char *q = next_word(p, word, sizeof word);
    long prio = -1;
    if (word[0] && strspn(word, "0123456789") == strlen(word)) {
        prio = strtol(word, NULL, 10);
        p = q;
    }
    char **vals = xcalloc(t->n_keys + 1, sizeof *vals);
    char *call = NULL;
    int rc = 0;
    /* key:value words until the word holding '(' */
    while (*p) {
        const char *w0 = p;
        p = next_word(p, word, sizeof word);
        if (strchr(word, '(')) {
            call = xstrdup(w0);
            break;
        }
        char *colon = strchr(word, ':');
        if (!colon) {
            rc = stf_error(r, err, line, col_of(r, word),
                           "expected <key>:<value>, found '%s'", word);
            goto out;
        }
        *colon = '\0';
        int ki = find_key(t, word);
        if (ki < 0) {
            rc = stf_error(r, err, line, col_of(r, word),
                           "table %s has %s key field '%s'", t->name,
                           ki == -2 ? "more than one" : "no", word);
            goto out;
        }
        free(vals[ki]);
        vals[ki] = xstrdup(colon + 1);
    }
    char *aname, *args;
    if (!call || split_call(call, &aname, &args) < 0) {
        rc = stf_error(r, err, line, 0,
                       "no action given: expected <action>(<args>)");
        goto out;
    }
    int ai = lookup_action(r, err, line, t, aname);
    if (ai < 0) {
        rc = ai;
        goto out;
    }
    const struct p4m_action *a = &r->m->actions[ai];
    strbuf_printf(cmd, "table_add %s %s", t->name, a->name);
    for (size_t i = 0; i < t->n_keys; i++) {
        const struct p4m_key *k = &t->keys[i];
        const char *v = vals[i];
        strbuf_putc(cmd, ' ');
        switch (k->match) {
        case P4M_TERNARY:
            if (v)
                ternary_value(cmd, v, k->bitwidth);
            else
                strbuf_puts(cmd, "0&&&0");
            break;
        case P4M_LPM:
            if (v)
                lpm_value(cmd, v, k->bitwidth);
            else
                strbuf_puts(cmd, "0/0");
            break;
        case P4M_RANGE:
            if (v && strstr(v, "->"))
                strbuf_puts(cmd, v);
            else if (v)
                strbuf_printf(cmd, "%s->%s", v, v);
            else {
                strbuf_puts(cmd, "0->0x");
                for (int d = 0; d < (k->bitwidth + 3) / 4; d++)
                    strbuf_putc(cmd, d == 0 && k->bitwidth % 4
                                         ? "137"[k->bitwidth % 4 - 1]
                                         : 'F');
            }
            break;
        case P4M_OPTIONAL:
            strbuf_puts(cmd, v && !strchr(v, '*') ? v : "*");
            break;
        default:
            strbuf_puts(cmd, v ? v : "0");
            break;
        }
    }
    strbuf_puts(cmd, " =>");
    rc = action_args(r, err, line, a, args, cmd);
    if (rc < 0)
        goto out;
    if (t->match_type == P4M_TERNARY || t->match_type == P4M_RANGE ||
        t->match_type == P4M_OPTIONAL)
        strbuf_printf(cmd, " %ld", prio >= 0 ? 10000 - prio : 10000);
out:
    for (size_t i = 0; i < t->n_keys; i++)
        free(vals[i]);
    free(vals);
    free(call);
    return rc;
}

/* "setdefault <table> <action>(<args>)" */
static int
translate_setdefault(struct run *r, struct err *err, int line, const char *rest,
                     struct strbuf *cmd)
{
    char tname[256];
    const char *p = next_word(rest, tname, sizeof tname);
    int ti = lookup_table(r, err, line, tname);
    if (ti < 0)
        return ti;
    const struct p4m_table *t = &r->m->tables[ti];
    char *call = xstrdup(p), *aname, *args;
    int rc;
    if (split_call(call, &aname, &args) < 0) {
        rc = stf_error(r, err, line, 0, "expected <action>(<args>)");
        goto out;
    }
    int ai = lookup_action(r, err, line, t, aname);
    if (ai < 0) {
        rc = ai;
        goto out;
    }
    strbuf_printf(cmd, "table_set_default %s %s", t->name,
                  r->m->actions[ai].name);
    rc = action_args(r, err, line, &r->m->actions[ai], args, cmd);
out:
    free(call);
    return rc;
}

/* ---- packets
 * ------------------------------------------------------------------ */

static void
collect(struct run *r, const struct sw_pkt *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (r->opts && r->opts->verbose)
            fprintf(r->log, "stf: switch sent %u bytes on port %u\n",
                    out[i].len, out[i].port);
        if (!has_port(r, out[i].port))
            continue; /* not connected, as in p4c's runner */
        char *hex = xmalloc(2 * (size_t)out[i].len + 1);
        for (uint32_t k = 0; k < out[i].len; k++)
            sprintf(hex + 2 * k, "%02X", out[i].data[k]);
        hex[2 * out[i].len] = '\0';
        struct frame f = {out[i].port, hex, 0, 0};
        VEC_PUSH(&r->got, f);
    }
}

/* Lets the traffic manager drain (rate limits may hold packets a while). */
static void
drain(struct run *r)
{
    struct sw_pkt out[64];
    size_t n;
    uint64_t deadline = now_ns() + 2000000000ull;
    for (;;) {
        size_t left = sw_poll(r->sw, out, ARRAY_SIZE(out), &n);
        collect(r, out, n);
        if (!left || now_ns() > deadline)
            break;
        if (!n) {
            uint64_t us = sw_next_wakeup_us(r->sw);
            struct timespec ts = {0,
                                  (long)(us > 100000 ? 100000000 : us * 1000)};
            nanosleep(&ts, NULL);
        }
    }
}

static int
send_packet(struct run *r, struct err *err, int line, uint32_t port,
            const char *data)
{
    size_t cap = strlen(data) / 2 + 2, len = 0;
    uint8_t *buf = xmalloc(cap);
    int hi = -1;
    for (const char *p = data; *p; p++) {
        if (isspace((unsigned char)*p))
            continue;
        if (!isxdigit((unsigned char)*p)) {
            free(buf);
            return stf_error(r, err, line, 0,
                             "packet data: '%c' is not a hex digit", *p);
        }
        int d = isdigit((unsigned char)*p)
                    ? *p - '0'
                    : (tolower((unsigned char)*p) - 'a' + 10);
        if (hi < 0) {
            hi = d;
        } else {
            buf[len++] = (uint8_t)(hi << 4 | d);
            hi = -1;
        }
    }
    if (hi >= 0)
        buf[len++] = (uint8_t)hi; /* a lone last nibble, as bmv2stf reads it */
    struct sw_pkt in = {port, (uint32_t)len, buf};
    struct sw_pkt out[64];
    size_t n = 0;
    if (r->opts && r->opts->verbose)
        fprintf(r->log, "stf: packet of %zu bytes on port %u\n", len, port);
    int rc = sw_process(r->sw, &in, 1, out, ARRAY_SIZE(out), &n);
    free(buf);
    if (rc < 0)
        return stf_error(r, err, line, 0, "the switch refused the packet: %s",
                         strerror(-rc));
    collect(r, out, n);
    drain(r);
    return 0;
}

static int
add_expect(struct run *r, struct err *err, int line, uint32_t port,
           const char *data)
{
    size_t n = strlen(data);
    char *hex = xmalloc(n + 1);
    size_t k = 0;
    int exact = 0;
    for (const char *p = data; *p; p++) {
        if (isspace((unsigned char)*p))
            continue;
        if (*p == '$') {
            exact = 1;
            if (*skip_ws(p + 1)) {
                free(hex);
                return stf_error(r, err, line, 0,
                                 "'$' must end the expected data");
            }
            break;
        }
        if (!isxdigit((unsigned char)*p) && *p != '*') {
            free(hex);
            return stf_error(r, err, line, 0,
                             "expected data: '%c' is not a hex digit or '*'",
                             *p);
        }
        hex[k++] = (char)toupper((unsigned char)*p);
    }
    hex[k] = '\0';
    if (!k && !exact) {
        free(hex);
        VEC_PUSH(&r->any_ports, port);
        return 0;
    }
    struct frame f = {port, hex, exact, line};
    VEC_PUSH(&r->expect, f);
    return 0;
}

/* ---- the run
 * -------------------------------------------------------------------- */

static int
is_cli_command(const char *w)
{
    static const char *prefixes[] = {
        "mc_",       "mirroring_",  "register_",    "meter_",
        "counter_",  "table_",      "act_prof_",    "pvs_",
        "set_queue", "reset_state", "swap_configs", "load_new_config_file"};
    for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
        if (str_starts(w, prefixes[i]))
            return 1;
    return 0;
}

static void
run_cli(struct run *r, int line, const char *cmd)
{
    struct strbuf out = STRBUF_INIT;
    cli_exec(r->cli, cmd, &out);
    if (r->opts && r->opts->verbose)
        fprintf(r->log, "stf: line %d: %s\n%s", line, cmd, strbuf_str(&out));
    /* remember the first refusal: it explains most failures that follow */
    const char *o = strbuf_str(&out);
    for (const char *l = o; l && *l;
         l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (!r->cli_error[0] &&
            (str_starts(l, "Error:") || str_starts(l, "Invalid ") ||
             str_starts(l, "***"))) {
            const char *e = strchr(l, '\n');
            snprintf(r->cli_error, sizeof r->cli_error, "line %d: %s: %.*s",
                     line, cmd, (int)(e ? e - l : (long)strlen(l)), l);
        }
    }
    strbuf_destroy(&out);
}

/* p4c's runner connects every port named by a packet or expect line before
 * anything runs, so a frame sent to a port expected only later still counts. */
static void
scan_ports(struct run *r)
{
    for (const char *p = r->src; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *l = xstrndup(p, n);
        p = nl ? nl + 1 : p + n;
        char word[64], port[32];
        const char *rest = next_word(l, word, sizeof word);
        if (!strcmp(word, "packet") || !strcmp(word, "expect")) {
            next_word(rest, port, sizeof port);
            char *end;
            long pn = strtol(port, &end, 10);
            if (port[0] && !*end && pn >= 0)
                add_port(r, (uint32_t)pn);
        }
        free(l);
    }
}

static int
run_lines(struct run *r, struct err *err)
{
    int line = 0;
    int rc = 0;
    scan_ports(r);
    for (const char *p = r->src; *p && rc == 0;) {
        line++;
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *l = xstrndup(p, n);
        p = nl ? nl + 1 : p + n;
        char *hash = strchr(l, '#');
        if (hash)
            *hash = '\0';
        r->cur_line = l;
        char word[64];
        const char *rest = next_word(l, word, sizeof word);
        if (!word[0]) {
            free(l);
            continue;
        }
        if (!strcmp(word, "packet") || !strcmp(word, "expect")) {
            char port[32];
            const char *data = next_word(rest, port, sizeof port);
            char *end;
            long pn = strtol(port, &end, 10);
            if (!port[0] || *end || pn < 0) {
                rc = stf_error(r, err, line, (int)(rest - l) + 1,
                               "expected a port number");
            } else if (word[0] == 'p') {
                add_port(r, (uint32_t)pn);
                rc = send_packet(r, err, line, (uint32_t)pn, data);
            } else {
                add_port(r, (uint32_t)pn);
                rc = add_expect(r, err, line, (uint32_t)pn, data);
            }
        } else if (!strcmp(word, "add") || !strcmp(word, "setdefault")) {
            struct strbuf cmd = STRBUF_INIT;
            rc = word[0] == 'a'
                     ? translate_add(r, err, line, rest, &cmd)
                     : translate_setdefault(r, err, line, rest, &cmd);
            if (rc == 0)
                run_cli(r, line, strbuf_str(&cmd));
            strbuf_destroy(&cmd);
        } else if (is_cli_command(word)) {
            char *cmd = xasprintf("%s %s", word, rest);
            run_cli(r, line, cmd);
            free(cmd);
        } else if (r->opts && r->opts->verbose) {
            fprintf(r->log, "stf: line %d: ignoring '%s'\n", line, word);
        }
        r->cur_line = NULL;
        free(l);
    }
    return rc;
}

/* bmv2stf's comparePacket: '*' matches any nibble; extra received bytes are
 * fine unless the expectation ended with '$'. Returns the first differing
 * nibble, or -1 if they match. */
static long
compare(const struct frame *exp, const char *got)
{
    size_t le = strlen(exp->hex), lg = strlen(got);
    for (size_t i = 0; i < le; i++) {
        if (i >= lg)
            return (long)i;
        if (exp->hex[i] != '*' && exp->hex[i] != got[i])
            return (long)i;
    }
    if (exp->exact && lg != le)
        return (long)le;
    return -1;
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int
check(struct run *r, struct strbuf *why)
{
    if (r->ports.n) /* qsort(NULL, 0, ...) is undefined behaviour */
        qsort(r->ports.v, r->ports.n, sizeof *r->ports.v, cmp_u32);
    for (size_t pi = 0; pi < r->ports.n; pi++) {
        uint32_t port = r->ports.v[pi];
        int any = 0;
        for (size_t i = 0; i < r->any_ports.n; i++)
            any |= r->any_ports.v[i] == port;
        if (any)
            continue;
        VEC(const struct frame *) e = VEC_INIT, g = VEC_INIT;
        for (size_t i = 0; i < r->expect.n; i++)
            if (r->expect.v[i].port == port)
                VEC_PUSH(&e, &r->expect.v[i]);
        for (size_t i = 0; i < r->got.n; i++)
            if (r->got.v[i].port == port)
                VEC_PUSH(&g, &r->got.v[i]);
        int bad = 0;
        size_t n = MIN(e.n, g.n);
        for (size_t i = 0; i < n && !bad; i++) {
            long at = compare(e.v[i], g.v[i]->hex);
            if (at >= 0) {
                strbuf_printf(
                    why,
                    "port %u packet %zu (line %d) differs at nibble %ld:\n"
                    "  expected %s%s\n  received %s\n           %*s^",
                    port, i, e.v[i]->line, at, e.v[i]->hex,
                    e.v[i]->exact ? "$" : "", g.v[i]->hex, (int)at, "");
                bad = 1;
            }
        }
        if (!bad && e.n != g.n) {
            strbuf_printf(why, "port %u: expected %zu packets, received %zu",
                          port, e.n, g.n);
            if (e.n > g.n)
                strbuf_printf(why, "; first missing (line %d): %s",
                              e.v[g.n]->line, e.v[g.n]->hex);
            else
                strbuf_printf(why, "; first extra: %s", g.v[e.n]->hex);
            bad = 1;
        }
        VEC_FREE(&e);
        VEC_FREE(&g);
        if (bad)
            return 1;
    }
    return 0;
}

static void
trace_line(void *ctx, uint64_t pkt_id, uint32_t copy_id, const char *line)
{
    struct run *r = ctx;
    fprintf(r->log, "[%llu.%u] %s\n", (unsigned long long)pkt_id, copy_id,
            line);
}

int
stf_run(const char *json_path, const char *stf_path,
        const struct stf_opts *opts, struct strbuf *report, struct err *err)
{
    struct run r = {.path = stf_path, .opts = opts};
    r.log = opts && opts->log ? opts->log : stderr;
    int rc = 0;
    char *src = read_file(stf_path, NULL);
    if (!src)
        return err_set(err, -errno, "%s: %s", stf_path, strerror(errno));
    r.src = src;
    struct sw_opts so;
    sw_opts_init(&so);
    if (opts && opts->verbose) {
        so.trace = trace_line;
        so.trace_ctx = &r;
    }
    r.sw = sw_new(json_path, &so, err);
    if (!r.sw) {
        if (!err_is_set(err))
            err_set(err, -EINVAL, "%s: the switch cannot load this program",
                    json_path);
        rc = err->code < 0 ? err->code : -EINVAL;
        goto out;
    }
    r.m = p4model_load(json_path, err);
    if (!r.m) {
        rc = -EINVAL;
        goto out;
    }
    r.cli = cli_new(r.sw);
    rc = run_lines(&r, err);
    if (rc < 0)
        goto out;
    drain(&r);
    const char *name =
        strrchr(stf_path, '/') ? strrchr(stf_path, '/') + 1 : stf_path;
    struct strbuf why = STRBUF_INIT;
    if (check(&r, &why)) {
        strbuf_printf(report, "FAIL: %s: %s\n", name, strbuf_str(&why));
        if (r.cli_error[0])
            strbuf_printf(report, "  (the switch refused a command: %s)\n",
                          r.cli_error);
        rc = 1;
    } else {
        strbuf_printf(report, "PASS: %s\n", name);
    }
    strbuf_destroy(&why);
out:
    cli_free(r.cli);
    p4model_free(r.m);
    sw_free(r.sw);
    for (size_t i = 0; i < r.expect.n; i++)
        free(r.expect.v[i].hex);
    for (size_t i = 0; i < r.got.n; i++)
        free(r.got.v[i].hex);
    VEC_FREE(&r.expect);
    VEC_FREE(&r.got);
    VEC_FREE(&r.ports);
    VEC_FREE(&r.any_ports);
    free(src);
    return rc;
}
