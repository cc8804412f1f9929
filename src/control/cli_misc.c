/* cli_misc.c - the rest of simple_switch_CLI's language: program listings
 * (show_tables, table_info, ...), counters, meters, registers, parser value
 * sets, ports, queues, configuration load/swap, reset_state, switch_info, help;
 * and the dispatcher cli_exec() with cli_new()/cli_free(). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "control/cli_impl.h"
#include "control/notify.h"
#include "control/serialize.h"
#include "control/value.h"
#include "lib/diag.h"

/* ---- listings ---------------------------------------------------------------
 */

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* For arrays of pointers to structs whose first member is "char *name". */
static int
cmp_name(const void *a, const void *b)
{
    const char *const *na = *(const char *const *const *)a;
    const char *const *nb = *(const char *const *const *)b;
    return strcmp(*na, *nb);
}

static void
action_str(struct strbuf *o, const struct p4m_action *a)
{
    outf(o, "%-30s [", a->name);
    for (size_t i = 0; i < a->n_params; i++)
        outf(o, "%s%s(%d)", i ? ",\t" : "", a->params[i].name,
             a->params[i].bitwidth);
    strbuf_puts(o, "]\n");
}

static void
table_str(struct cli *c, struct strbuf *o, const struct p4m_table *t)
{
    outf(o, "%-30s [implementation=%s, mk=", t->name,
         t->act_prof >= 0 ? c->m->act_profs[t->act_prof].name : "None");
    for (size_t i = 0; i < t->n_keys; i++)
        outf(o, "%s%s(%s, %d)", i ? ",\t" : "", t->keys[i].name,
             p4model_match_name(t->keys[i].match), t->keys[i].bitwidth);
    strbuf_puts(o, "]\n");
}

static int
need_model(struct cli *c, struct strbuf *o)
{
    if (!c->m)
        return uin_error(
            o, "No P4 program is loaded (load_new_config_file + swap_configs)");
    return 0;
}

static int
cmd_show_tables(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 0) < 0 || need_model(c, o) < 0)
        return -1;
    const struct p4m_table **v = xcalloc(c->m->n_tables + 1, sizeof *v);
    for (size_t i = 0; i < c->m->n_tables; i++)
        v[i] = &c->m->tables[i];
    qsort(v, c->m->n_tables, sizeof *v, cmp_name);
    for (size_t i = 0; i < c->m->n_tables; i++)
        table_str(c, o, v[i]);
    free(v);
    return 0;
}

static void
sorted_actions(struct cli *c, struct strbuf *o, const int *idx, size_t n)
{
    const struct p4m_action **v = xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = &c->m->actions[idx ? (size_t)idx[i] : i];
    qsort(v, n, sizeof *v, cmp_name);
    for (size_t i = 0; i < n; i++)
        action_str(o, v[i]);
    free(v);
}

static int
cmd_show_actions(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 0) < 0 || need_model(c, o) < 0)
        return -1;
    sorted_actions(c, o, NULL, c->m->n_actions);
    return 0;
}

static int
cmd_table_show_actions(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    sorted_actions(c, o, c->m->tables[ti].actions, c->m->tables[ti].n_actions);
    return 0;
}

static int
cmd_table_info(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    table_str(c, o, &c->m->tables[ti]);
    for (int i = 0; i < 80; i++)
        strbuf_putc(o, '*');
    strbuf_putc(o, '\n');
    sorted_actions(c, o, c->m->tables[ti].actions, c->m->tables[ti].n_actions);
    return 0;
}

static int
cmd_show_pvs(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 0) < 0 || need_model(c, o) < 0)
        return -1;
    const struct p4m_pvs **v = xcalloc(c->m->n_pvss + 1, sizeof *v);
    for (size_t i = 0; i < c->m->n_pvss; i++)
        v[i] = &c->m->pvss[i];
    qsort(v, c->m->n_pvss, sizeof *v, cmp_name);
    for (size_t i = 0; i < c->m->n_pvss; i++)
        outf(o, "%-30s [compressed bitwidth:%d]\n", v[i]->name, v[i]->bitwidth);
    free(v);
    return 0;
}

/* ---- counters
 * ------------------------------------------------------------------ */

static int
counter_index(struct cli *c, struct strbuf *o, const struct p4m_counter *ct,
              const char *s, long long *idx)
{
    if (value_parse_int(s, idx) < 0)
        return uin_error(o, "Bad format for index");
    if (!ct->is_direct && (*idx < 0 || *idx >= ct->size))
        return sw_error(o, "counter", -ERANGE, "INVALID_INDEX", NULL);
    return 0;
}

static int
cmd_counter_read(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 2) < 0)
        return -1;
    int ci = get_res(c, o, P4M_RES_COUNTER, argv[0]);
    if (ci < 0)
        return -1;
    const struct p4m_counter *ct = &c->m->counters[ci];
    long long idx;
    if (counter_index(c, o, ct, argv[1], &idx) < 0)
        return -1;
    if (ct->is_direct)
        outf(o, "this is the direct counter for table %s\n",
             ct->binding ? ct->binding : "?");
    uint64_t bytes = 0, pkts = 0;
    struct err e = {0};
    int rc = sw_counter_read(c->sw, ct->name, (uint64_t)idx, &bytes, &pkts, &e);
    if (rc < 0)
        return sw_error(o, "counter", rc,
                        rc == -ENOENT ? "INVALID_INDEX" : "ERROR", &e);
    outf(o, "%s[%lld]= (%llu bytes, %llu packets)\n", argv[0], idx,
         (unsigned long long)bytes, (unsigned long long)pkts);
    return 0;
}

static int
cmd_counter_write(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 4) < 0)
        return -1;
    int ci = get_res(c, o, P4M_RES_COUNTER, argv[0]);
    if (ci < 0)
        return -1;
    const struct p4m_counter *ct = &c->m->counters[ci];
    long long idx, pk, by;
    if (value_parse_int(argv[1], &idx) < 0)
        return uin_error(o, "Bad format for index");
    if (value_parse_int(argv[2], &pk) < 0)
        return uin_error(o, "Bad format for packets");
    if (value_parse_int(argv[3], &by) < 0)
        return uin_error(o, "Bad format for bytes");
    if (!ct->is_direct && (idx < 0 || idx >= ct->size))
        return sw_error(o, "counter", -ERANGE, "INVALID_INDEX", NULL);
    if (ct->is_direct)
        outf(o, "writing to direct counter for table %s\n",
             ct->binding ? ct->binding : "?");
    struct err e = {0};
    int rc = sw_counter_write(c->sw, ct->name, (uint64_t)idx, (uint64_t)by,
                              (uint64_t)pk, &e);
    if (rc < 0)
        return sw_error(o, "counter", rc,
                        rc == -ENOENT ? "INVALID_INDEX" : "ERROR", &e);
    outf(o, "%s[%lld] has been updated\n", argv[0], idx);
    return 0;
}

static int
cmd_counter_reset(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    int ci = get_res(c, o, P4M_RES_COUNTER, argv[0]);
    if (ci < 0)
        return -1;
    const struct p4m_counter *ct = &c->m->counters[ci];
    if (ct->is_direct)
        outf(o, "this is the direct counter for table %s\n",
             ct->binding ? ct->binding : "?");
    struct err e = {0};
    int rc = sw_counter_reset(c->sw, ct->name, &e);
    return rc < 0 ? sw_error(o, "counter", rc, "ERROR", &e) : 0;
}

/* ---- meters
 * -------------------------------------------------------------------- */

static int
parse_rates(struct strbuf *o, const struct p4m_meter *mt, int n, char **words,
            struct sw_meter_rate *r)
{
    if (n != mt->rate_count)
        return uin_error(o, "Invalid number of rates, expected %d but got %d",
                         mt->rate_count, n);
    for (int i = 0; i < n && i < 2; i++) {
        char *colon = strchr(words[i], ':');
        char *end;
        if (!colon)
            return uin_error(o, "Error while parsing rates");
        *colon = '\0';
        r[i].info_rate = strtod(words[i], &end);
        if (end == words[i] || *end) {
            *colon = ':';
            return uin_error(o, "Error while parsing rates");
        }
        *colon = ':';
        long long b;
        if (value_parse_int(colon + 1, &b) < 0 || b < 0)
            return uin_error(o, "Error while parsing rates");
        r[i].burst = (uint32_t)b;
    }
    /* BMv2 refuses a committed rate above the peak rate */
    if (n == 2 && r[0].info_rate > r[1].info_rate)
        return sw_error(o, "meter", -EINVAL, "INVALID_INFO_RATE_VALUE", NULL);
    return 0;
}

static int
cmd_meter_array_set_rates(struct cli *c, int argc, char **argv,
                          struct strbuf *o)
{
    if (at_least_n(o, argc, 1) < 0)
        return -1;
    int mi = get_res(c, o, P4M_RES_METER, argv[0]);
    if (mi < 0)
        return -1;
    const struct p4m_meter *mt = &c->m->meters[mi];
    struct sw_meter_rate r[2];
    if (parse_rates(o, mt, argc - 1, argv + 1, r) < 0)
        return -1;
    struct err e = {0};
    int rc = sw_meter_set_rates(c->sw, mt->name, SW_ALL_CELLS, r,
                                (size_t)(argc - 1), &e);
    return rc < 0 ? sw_error(o, "meter", rc, "ERROR", &e) : 0;
}

static int
cmd_meter_set_rates(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (at_least_n(o, argc, 2) < 0)
        return -1;
    int mi = get_res(c, o, P4M_RES_METER, argv[0]);
    if (mi < 0)
        return -1;
    const struct p4m_meter *mt = &c->m->meters[mi];
    long long idx;
    if (value_parse_int(argv[1], &idx) < 0)
        return uin_error(o, "Bad format for index");
    struct sw_meter_rate r[2];
    if (parse_rates(o, mt, argc - 2, argv + 2, r) < 0)
        return -1;
    if (!mt->is_direct && (idx < 0 || idx >= mt->size))
        return sw_error(o, "meter", -ERANGE, "INVALID_INDEX", NULL);
    struct err e = {0};
    int rc = sw_meter_set_rates(c->sw, mt->name, (uint64_t)idx, r,
                                (size_t)(argc - 2), &e);
    return rc < 0 ? sw_error(o, "meter", rc,
                             rc == -ENOENT ? "INVALID_INDEX" : "ERROR", &e)
                  : 0;
}

static int
cmd_meter_get_rates(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 2) < 0)
        return -1;
    int mi = get_res(c, o, P4M_RES_METER, argv[0]);
    if (mi < 0)
        return -1;
    const struct p4m_meter *mt = &c->m->meters[mi];
    long long idx;
    if (value_parse_int(argv[1], &idx) < 0)
        return uin_error(o, "Bad format for index");
    if (!mt->is_direct && (idx < 0 || idx >= mt->size))
        return sw_error(o, "meter", -ERANGE, "INVALID_INDEX", NULL);
    struct sw_meter_rate r[2];
    size_t n = 0;
    struct err e = {0};
    int rc = sw_meter_get_rates(c->sw, mt->name, (uint64_t)idx, r, &n, &e);
    if (rc < 0)
        return sw_error(o, "meter", rc,
                        rc == -ENOENT ? "INVALID_INDEX" : "ERROR", &e);
    if ((int)n != mt->rate_count)
        outf(o, "WARNING: expected %d rates but only received %zu\n",
             mt->rate_count, n);
    for (size_t i = 0; i < n; i++) {
        char f[64];
        value_pyfloat(f, sizeof f, r[i].info_rate);
        outf(o, "%zu: info rate = %s, burst size = %u\n", i, f, r[i].burst);
    }
    return 0;
}

static int
cmd_meter_reset_rates(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    int mi = get_res(c, o, P4M_RES_METER, argv[0]);
    if (mi < 0)
        return -1;
    struct err e = {0};
    int rc = sw_meter_reset_rates(c->sw, c->m->meters[mi].name, &e);
    return rc < 0 ? sw_error(o, "meter", rc, "ERROR", &e) : 0;
}

/* ---- registers
 * ------------------------------------------------------------------ */

/* Appends the big-endian number v[0..n) in decimal. */
static void
put_decimal(struct strbuf *o, const uint8_t *v, size_t n)
{
    uint8_t *t = xmalloc(n ? n : 1);
    memcpy(t, v, n);
    char *digits = xmalloc(n * 3 + 2);
    size_t nd = 0;
    for (;;) {
        unsigned rem = 0;
        int nonzero = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned x = rem << 8 | t[i];
            t[i] = (uint8_t)(x / 10);
            rem = x % 10;
            nonzero |= t[i] != 0;
        }
        digits[nd++] = (char)('0' + rem);
        if (!nonzero)
            break;
    }
    while (nd)
        strbuf_putc(o, digits[--nd]);
    free(t);
    free(digits);
}

static int
register_cell(struct cli *c, struct strbuf *o, const struct p4m_register *r,
              uint64_t i)
{
    uint8_t buf[VALUE_MAX_BYTES];
    size_t n = ((size_t)r->bitwidth + 7) / 8;
    if (!n)
        n = 1;
    if (n > sizeof buf)
        n = sizeof buf;
    struct err e = {0};
    int rc = sw_register_read(c->sw, r->name, i, buf, n, &e);
    if (rc < 0)
        return sw_error(o, "register", rc,
                        rc == -ENOENT ? "INVALID_INDEX" : "ERROR", &e);
    put_decimal(o, buf, n);
    return 0;
}

static int
cmd_register_read(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (at_least_n(o, argc, 1) < 0)
        return -1;
    int ri = get_res(c, o, P4M_RES_REGISTER, argv[0]);
    if (ri < 0)
        return -1;
    const struct p4m_register *r = &c->m->registers[ri];
    if (argc > 1) {
        long long idx;
        if (exactly_n(o, argc, 2) < 0)
            return -1;
        if (value_parse_int(argv[1], &idx) < 0)
            return uin_error(o, "Bad format for index");
        if (idx < 0 || idx >= r->size)
            return sw_error(o, "register", -ERANGE, "INVALID_INDEX", NULL);
        struct strbuf v = STRBUF_INIT;
        int rc = register_cell(c, &v, r, (uint64_t)idx);
        if (rc == 0)
            outf(o, "%s[%lld]= %s\n", argv[0], idx, strbuf_str(&v));
        else
            strbuf_puts(o, strbuf_str(&v));
        strbuf_destroy(&v);
        return rc;
    }
    struct strbuf v = STRBUF_INIT;
    for (long i = 0; i < r->size; i++) {
        if (i)
            strbuf_puts(&v, ", ");
        if (register_cell(c, &v, r, (uint64_t)i) < 0) {
            strbuf_puts(o, strbuf_str(&v));
            strbuf_destroy(&v);
            return -1;
        }
    }
    outf(o, "%s= %s\n", argv[0], strbuf_str(&v));
    strbuf_destroy(&v);
    return 0;
}

static int
cmd_register_write(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 3) < 0)
        return -1;
    int ri = get_res(c, o, P4M_RES_REGISTER, argv[0]);
    if (ri < 0)
        return -1;
    const struct p4m_register *r = &c->m->registers[ri];
    long long idx;
    if (value_parse_int(argv[1], &idx) < 0)
        return uin_error(o, "Bad format for index");
    uint8_t buf[VALUE_MAX_BYTES];
    size_t n;
    char msg[128];
    /* BMv2 takes a decimal integer; we also take 0x..: a superset */
    if (value_parse(argv[2], r->bitwidth > 0 ? r->bitwidth : 64, buf, &n, msg,
                    sizeof msg) < 0 ||
        strchr(argv[2], '.') || strchr(argv[2], ':'))
        return uin_error(o, "Bad format for value, must be an integer");
    if (idx < 0 || idx >= r->size)
        return sw_error(o, "register", -ERANGE, "INVALID_INDEX", NULL);
    struct sw_bytes val = {buf, n};
    struct err e = {0};
    int rc = sw_register_write(c->sw, r->name, (uint64_t)idx, &val, &e);
    return rc < 0 ? sw_error(o, "register", rc,
                             rc == -ENOENT ? "INVALID_INDEX" : "ERROR", &e)
                  : 0;
}

static int
cmd_register_reset(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    int ri = get_res(c, o, P4M_RES_REGISTER, argv[0]);
    if (ri < 0)
        return -1;
    struct err e = {0};
    int rc = sw_register_reset(c->sw, c->m->registers[ri].name, &e);
    return rc < 0 ? sw_error(o, "register", rc, "ERROR", &e) : 0;
}

/* ---- parser value sets
 * ---------------------------------------------------------- */

static int
pvs_value(struct strbuf *o, const struct p4m_pvs *p, const char *s,
          uint8_t *buf, size_t *n)
{
    char msg[128];
    if (value_parse(s, p->bitwidth, buf, n, msg, sizeof msg) < 0 ||
        strchr(s, '.') || strchr(s, ':'))
        return uin_error(o, "Invalid input, could not cast to integer, try in "
                            "hex with 0x prefix");
    /* the value must fit the bit width, not just its bytes */
    int extra = (int)(*n * 8) - p->bitwidth;
    if (extra > 0 && (buf[0] >> (8 - extra)))
        return uin_error(o, "Input is too large, it should fit within %d bits",
                         p->bitwidth);
    return 0;
}

static int
pvs_change(struct cli *c, int argc, char **argv, struct strbuf *o, int add)
{
    if (exactly_n(o, argc, 2) < 0)
        return -1;
    int pi = get_res(c, o, P4M_RES_PVS, argv[0]);
    if (pi < 0)
        return -1;
    uint8_t buf[VALUE_MAX_BYTES];
    size_t n;
    if (pvs_value(o, &c->m->pvss[pi], argv[1], buf, &n) < 0)
        return -1;
    struct sw_bytes v = {buf, n}, mask = {NULL, 0};
    struct err e = {0};
    int rc = add ? sw_pvs_add(c->sw, c->m->pvss[pi].name, &v, &mask, &e)
                 : sw_pvs_remove(c->sw, c->m->pvss[pi].name, &v, &mask, &e);
    return rc < 0 ? sw_error(o, "parser value set", rc, "ERROR", &e) : 0;
}

static int
cmd_pvs_add(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    return pvs_change(c, argc, argv, o, 1);
}

static int
cmd_pvs_remove(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    return pvs_change(c, argc, argv, o, 0);
}

static void
pvs_cb(void *ctx, const struct sw_bytes *val, const struct sw_bytes *mask)
{
    plain_hex(ctx, val);
    strbuf_putc(ctx, '\n');
}

static int
cmd_pvs_get(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    int pi = get_res(c, o, P4M_RES_PVS, argv[0]);
    if (pi < 0)
        return -1;
    struct err e = {0};
    int rc = sw_pvs_get(c->sw, c->m->pvss[pi].name, pvs_cb, o, &e);
    return rc < 0 ? sw_error(o, "parser value set", rc, "ERROR", &e) : 0;
}

static int
cmd_pvs_clear(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    int pi = get_res(c, o, P4M_RES_PVS, argv[0]);
    if (pi < 0)
        return -1;
    struct err e = {0};
    int rc = sw_pvs_clear(c->sw, c->m->pvss[pi].name, &e);
    return rc < 0 ? sw_error(o, "parser value set", rc, "ERROR", &e) : 0;
}

/* ---- ports and queues
 * ------------------------------------------------------------- */

static int
cmd_port_add(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    long long port;
    if (at_least_n(o, argc, 2) < 0)
        return -1;
    if (value_parse_int(argv[1], &port) < 0 || port < 0)
        return uin_error(o, "Bad format for port_num, must be an integer");
    if (!c->ports || !c->ports->add)
        return sw_error(o, "device manager", -ENOTSUP, "ERROR", NULL);
    struct err e = {0};
    int rc = c->ports->add(c->ports_ctx, argv[0], (uint32_t)port,
                           argc > 2 ? argv[2] : "", &e);
    return rc < 0 ? sw_error(o, "device manager", rc, "ERROR", &e) : 0;
}

static int
cmd_port_remove(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    long long port;
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    if (value_parse_int(argv[0], &port) < 0 || port < 0)
        return uin_error(o, "Bad format for port_num, must be an integer");
    if (!c->ports || !c->ports->remove)
        return sw_error(o, "device manager", -ENOTSUP, "ERROR", NULL);
    struct err e = {0};
    int rc = c->ports->remove(c->ports_ctx, (uint32_t)port, &e);
    return rc < 0 ? sw_error(o, "device manager", rc, "ERROR", &e) : 0;
}

/* Python's "{:^N}": centred, the odd space on the right. */
static void
center(struct strbuf *o, const char *s, int w)
{
    int len = (int)strlen(s);
    int pad = w > len ? w - len : 0;
    outf(o, "%*s%s%*s", pad / 2, "", s, pad - pad / 2, "");
}

static void
port_line(void *ctx, uint32_t port, const char *iface, int up,
          const char *extra)
{
    struct strbuf *o = ctx;
    char num[16];
    snprintf(num, sizeof num, "%u", port);
    center(o, num, 10);
    center(o, iface, 20);
    center(o, up ? "UP" : "DOWN", 10);
    outf(o, "%s\n", extra ? extra : "");
}

static int
cmd_show_ports(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 0) < 0)
        return -1;
    center(o, "port #", 10);
    center(o, "iface name", 20);
    center(o, "status", 10);
    strbuf_puts(o, "extra info\n");
    strbuf_puts(o, "==================================================\n");
    if (c->ports && c->ports->list)
        c->ports->list(c->ports_ctx, port_line, o);
    return 0;
}

static int
queue_cmd(struct cli *c, int argc, char **argv, struct strbuf *o, int rate)
{
    long long v, port = -1, prio = -1;
    if (at_least_n(o, argc, 1) < 0 ||
        parse_int_arg(o, argv[0], rate ? "rate_pps" : "nb_pkts", &v) < 0)
        return -1;
    if (argc > 1 && parse_int_arg(o, argv[1], "egress_port", &port) < 0)
        return -1;
    if (argc > 2 && parse_int_arg(o, argv[2], "priority", &prio) < 0)
        return -1;
    if (v < 0)
        return uin_error(o, "%s must not be negative",
                         rate ? "rate_pps" : "nb_pkts");
    struct err e = {0};
    int rc =
        rate ? sw_set_queue_rate(c->sw, (int)port, (int)prio, (uint64_t)v, &e)
             : sw_set_queue_depth(c->sw, (int)port, (int)prio, (unsigned)v, &e);
    return rc < 0 ? uin_error(o, "%s", err_is_set(&e) ? e.msg : strerror(-rc))
                  : 0;
}

static int
cmd_set_queue_depth(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    return queue_cmd(c, argc, argv, o, 0);
}

static int
cmd_set_queue_rate(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    return queue_cmd(c, argc, argv, o, 1);
}

static int
cmd_get_time_elapsed(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    struct sw_info info;
    sw_get_info(c->sw, &info);
    outf(o, "%llu\n", (unsigned long long)info.uptime_us);
    return 0;
}

static int
cmd_get_time_since_epoch(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    outf(o, "%llu\n",
         (unsigned long long)ts.tv_sec * 1000000ULL +
             (unsigned long long)ts.tv_nsec / 1000);
    return 0;
}

/* ---- configuration
 * ------------------------------------------------------------------ */

static void
reload_model(struct cli *c)
{
    size_t len = 0;
    const char *json = sw_get_config(c->sw, &len);
    p4model_free(c->m);
    c->m = NULL;
    if (json) {
        struct err e = {0};
        c->m = p4model_new(json, len, &e);
    }
}

static int
cmd_load_new_config_file(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    size_t len;
    char *text = read_file(argv[0], &len);
    if (!text)
        return uin_error(o, "Not a valid filename");
    struct err e = {0};
    struct p4model *m = p4model_new(text, len, &e);
    if (!m) {
        free(text);
        return uin_error(o, "Not a valid JSON file");
    }
    p4model_free(m);
    strbuf_puts(o, "Loading new Json config\n");
    int rc = sw_load_config(c->sw, text, len, argv[0], &e);
    free(text);
    if (rc < 0)
        return sw_error(o, "swap", rc, "CONFIG_SWAP_DISABLED", &e);
    return 0;
}

static int
cmd_swap_configs(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    strbuf_puts(o, "Swapping configs\n");
    struct err e = {0};
    int rc = sw_swap_config(c->sw, &e);
    if (rc < 0)
        return sw_error(o, "swap", rc,
                        rc == -ENOENT ? "NO_ONGOING_SWAP" : "ERROR", &e);
    reload_model(c);
    notify_reset(notify_current()); /* learn lists start afresh */
    return 0;
}

static int
cmd_reset_state(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 0) < 0)
        return -1;
    sw_reset_state(c->sw);
    /* as BMv2's learn engine: filter, buffers, ids */
    notify_reset(notify_current());
    return 0;
}

static int
cmd_write_config_to_file(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    size_t len = 0;
    const char *json = sw_get_config(c->sw, &len);
    FILE *f = fopen(argv[0], "w");
    if (!f)
        return uin_error(o, "cannot write %s: %s", argv[0], strerror(errno));
    if (json)
        fwrite(json, 1, len, f);
    if (fclose(f) != 0)
        return uin_error(o, "cannot write %s: %s", argv[0], strerror(errno));
    return 0;
}

static int
cmd_switch_info(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 0) < 0)
        return -1;
    struct sw_info in;
    sw_get_info(c->sw, &in);
    int w = 5 + (int)strlen("priority_queues");
    outf(o, "%-*s: %u\n", w, "device_id", in.device_id);
    outf(o, "%-*s: %d\n", w, "thrift_port", c->thrift_port);
    outf(o, "%-*s: %s\n", w, "program",
         in.program_name ? in.program_name : "None");
    outf(o, "%-*s: %d\n", w, "cpu_port", in.cpu_port);
    outf(o, "%-*s: %u\n", w, "drop_port", in.drop_port);
    outf(o, "%-*s: %u\n", w, "priority_queues", in.priority_queues);
    outf(o, "%-*s: %llu\n", w, "uptime_us", (unsigned long long)in.uptime_us);
    return 0;
}

/* serialize_state [file]: the state as commands (serialize.h), printed or
 * written to file (by the switch, as write_config_to_file). */
static int
cmd_serialize_state(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (argc > 1)
        return exactly_n(o, argc, 1);
    struct strbuf s = STRBUF_INIT;
    serialize_state_text(c, &s);
    int rc = 0;
    if (argc == 0) {
        strbuf_puts(o, strbuf_str(&s));
    } else {
        FILE *f = fopen(argv[0], "w");
        if (!f || fwrite(s.s ? s.s : "", 1, s.len, f) != s.len) {
            rc = uin_error(o, "cannot write %s: %s", argv[0], strerror(errno));
            if (f)
                fclose(f);
        } else if (fclose(f) != 0) {
            rc = uin_error(o, "cannot write %s: %s", argv[0], strerror(errno));
        }
    }
    strbuf_destroy(&s);
    return rc;
}

/* BMv2's parse_bool: true/True/false/False or an integer. */
static int
parse_bool(const char *s, int *v)
{
    long long n;
    if (!strcmp(s, "true") || !strcmp(s, "True"))
        *v = 1;
    else if (!strcmp(s, "false") || !strcmp(s, "False"))
        *v = 0;
    else if (value_parse_int(s, &n) == 0)
        *v = n != 0;
    else
        return -1;
    return 0;
}

/* set_crc16_parameters / set_crc32_parameters <name> <polynomial>
 * <initial remainder> <final xor value> <reflect data?> <reflect remainder?> */
static int
set_crc(struct cli *c, int argc, char **argv, struct strbuf *o, int width)
{
    if (exactly_n(o, argc, 6) < 0)
        return -1;
    size_t i;
    for (i = 0; i < c->m->n_crcs; i++)
        if (c->m->crcs[i].width == width &&
            !strcmp(c->m->crcs[i].name, argv[0]))
            break;
    if (i == c->m->n_crcs)
        return uin_error(o, "Invalid crc%d_custom name (%s)", width, argv[0]);
    struct sw_crc_params cp = {0};
    if (value_parse_u64(argv[1], &cp.poly) < 0 ||
        value_parse_u64(argv[2], &cp.init) < 0 ||
        value_parse_u64(argv[3], &cp.xor_out) < 0)
        return uin_error(o, "Bad format for polynomial, initial remainder or "
                            "final xor value");
    if (parse_bool(argv[4], &cp.reflect_data) < 0 ||
        parse_bool(argv[5], &cp.reflect_remainder) < 0)
        return uin_error(o, "Invalid bool parameter");
    struct err e = {0};
    int rc = sw_set_crc_parameters(c->sw, argv[0], (unsigned)width, &cp, &e);
    return rc < 0 ? sw_error(o, "crc", rc, NULL, &e) : 0;
}

static int
cmd_set_crc16_parameters(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    return set_crc(c, argc, argv, o, 16);
}

static int
cmd_set_crc32_parameters(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    return set_crc(c, argc, argv, o, 32);
}

static int
cmd_greet(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    strbuf_puts(o, "hello\n");
    return 0;
}

/* shell runs on the client (fop4-switch-cli), as in simple_switch_CLI; a
 * client that sends it here gets told so. */
static int
cmd_shell(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    return uin_error(o, "shell runs in the client: use fop4-switch-cli");
}

static int cmd_help(struct cli *c, int argc, char **argv, struct strbuf *o);

static const struct cli_cmd misc_cmds[] = {
    {"show_tables", cmd_show_tables,
     "List tables defined in the P4 program: show_tables"},
    {"show_actions", cmd_show_actions,
     "List actions defined in the P4 program: show_actions"},
    {"table_show_actions", cmd_table_show_actions,
     "List one table's actions as per the P4 program: table_show_actions "
     "<table_name>"},
    {"table_info", cmd_table_info,
     "Show info about a table: table_info <table_name>"},
    {"show_pvs", cmd_show_pvs,
     "List parser value sets defined in the P4 program: show_pvs"},
    {"counter_read", cmd_counter_read,
     "Read counter value: counter_read <name> <index>"},
    {"counter_write", cmd_counter_write,
     "Write counter value: counter_write <name> <index> <packets> <bytes>"},
    {"counter_reset", cmd_counter_reset, "Reset counter: counter_reset <name>"},
    {"meter_array_set_rates", cmd_meter_array_set_rates,
     "Configure rates for an entire meter array: meter_array_set_rates <name> "
     "<rate_1>:<burst_1> <rate_2>:<burst_2> ..."},
    {"meter_set_rates", cmd_meter_set_rates,
     "Configure rates for a meter: meter_set_rates <name> <index> "
     "<rate_1>:<burst_1> "
     "<rate_2>:<burst_2> ...\nRate uses units/microsecond and burst uses units "
     "where units is "
     "bytes or packets"},
    {"meter_get_rates", cmd_meter_get_rates,
     "Retrieve rates for a meter: meter_get_rates <name> <index>"},
    {"meter_reset_rates", cmd_meter_reset_rates,
     "Reset rates for a meter array (meters mark everything green): "
     "meter_reset_rates <name>"},
    {"register_read", cmd_register_read,
     "Read register value: register_read <name> [index]"},
    {"register_write", cmd_register_write,
     "Write register value: register_write <name> <index> <value>"},
    {"register_reset", cmd_register_reset,
     "Reset all the cells in the register array to 0: register_reset <name>"},
    {"pvs_add", cmd_pvs_add,
     "Add a value to a parser value set: pvs_add <pvs_name> <value>"},
    {"pvs_remove", cmd_pvs_remove,
     "Remove a value from a parser value set: pvs_remove <pvs_name> <value>"},
    {"pvs_get", cmd_pvs_get,
     "Print all values from a parser value set: pvs_get <pvs_name>"},
    {"pvs_clear", cmd_pvs_clear,
     "Remove all values from a parser value set: pvs_clear <pvs_name>"},
    {"port_add", cmd_port_add,
     "Add a port to the switch (behavior depends on device manager used): "
     "port_add "
     "<iface_name> <port_num> [pcap_path]"},
    {"port_remove", cmd_port_remove,
     "Removes a port from the switch (behavior depends on device manager "
     "used): port_remove "
     "<port_num>"},
    {"show_ports", cmd_show_ports,
     "Shows the ports connected to the switch: show_ports"},
    {"set_queue_depth", cmd_set_queue_depth,
     "Set depth of one / all egress queue(s): set_queue_depth <nb_pkts> "
     "[<egress_port> "
     "[<priority>]]"},
    {"set_queue_rate", cmd_set_queue_rate,
     "Set rate of one / all egress queue(s): set_queue_rate <rate_pps> "
     "[<egress_port> "
     "[<priority>]]"},
    {"get_time_elapsed", cmd_get_time_elapsed,
     "Get time elapsed (in microseconds) since the switch started: "
     "get_time_elapsed"},
    {"get_time_since_epoch", cmd_get_time_since_epoch,
     "Get time elapsed (in microseconds) since the switch clock's epoch: "
     "get_time_since_epoch"},
    {"load_new_config_file", cmd_load_new_config_file,
     "Load new json config: load_new_config_file <path to .json file>"},
    {"swap_configs", cmd_swap_configs,
     "Swap the 2 existing configs, need to have called load_new_config_file "
     "before"},
    {"reset_state", cmd_reset_state,
     "Reset all state in the switch (table entries, registers, ...), but P4 "
     "config is "
     "preserved: reset_state"},
    {"write_config_to_file", cmd_write_config_to_file,
     "Retrieves the JSON config currently used by the switch and dumps it to "
     "user-specified "
     "file"},
    {"switch_info", cmd_switch_info,
     "Show some basic info about the switch: switch_info"},
    {"serialize_state", cmd_serialize_state,
     "Serialize the switch state and dumps it to user-specified file: "
     "serialize_state [<file>] (without a file: printed)"},
    {"set_crc16_parameters", cmd_set_crc16_parameters,
     "Change the parameters for a custom crc16 hash: set_crc16_parameters "
     "<name> <polynomial> "
     "<initial remainder> <final xor value> <reflect data?> <reflect "
     "remainder?>"},
    {"set_crc32_parameters", cmd_set_crc32_parameters,
     "Change the parameters for a custom crc32 hash: set_crc32_parameters "
     "<name> <polynomial> "
     "<initial remainder> <final xor value> <reflect data?> <reflect "
     "remainder?>"},
    {"greet", cmd_greet, NULL},
    {"shell", cmd_shell, "Run a shell command"},
    {"help", cmd_help,
     "List available commands with \"help\" or detailed help with \"help "
     "cmd\"."},
    {NULL, NULL, NULL},
};

/* ---- dispatch
 * -------------------------------------------------------------------------- */

static const struct cli_cmd *const cmd_tables[] = {cli_table_cmds, cli_ap_cmds,
                                                   cli_pre_cmds, misc_cmds};

static const struct cli_cmd *
find_cmd(const char *name)
{
    for (size_t t = 0; t < ARRAY_SIZE(cmd_tables); t++)
        for (const struct cli_cmd *k = cmd_tables[t]; k->name; k++)
            if (!strcmp(k->name, name))
                return k;
    return NULL;
}

static const char **all_names;

const char *const *
cli_command_names(void)
{
    if (!all_names) {
        size_t n = 0;
        for (size_t t = 0; t < ARRAY_SIZE(cmd_tables); t++)
            for (const struct cli_cmd *k = cmd_tables[t]; k->name; k++)
                n++;
        all_names = xcalloc(n + 1, sizeof *all_names);
        n = 0;
        for (size_t t = 0; t < ARRAY_SIZE(cmd_tables); t++)
            for (const struct cli_cmd *k = cmd_tables[t]; k->name; k++)
                all_names[n++] = k->name;
        qsort(all_names, n, sizeof *all_names, cmp_str);
    }
    return all_names;
}

static int
cmd_help(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (argc > 0) {
        const struct cli_cmd *k = find_cmd(argv[0]);
        if (!k || !k->help) {
            outf(o, "*** No help on %s\n", argv[0]);
            return -1;
        }
        outf(o, "%s\n", k->help);
        return 0;
    }
    strbuf_puts(o, "\nDocumented commands (type help <topic>):\n"
                   "========================================\n");
    const char *const *names = cli_command_names();
    int col = 0;
    for (size_t i = 0; names[i]; i++) {
        const struct cli_cmd *k = find_cmd(names[i]);
        if (!k->help)
            continue;
        int len = (int)strlen(names[i]);
        if (col && col + len + 2 > 80) {
            strbuf_putc(o, '\n');
            col = 0;
        }
        outf(o, "%s%s", col ? "  " : "", names[i]);
        col += len + (col ? 2 : 0);
    }
    strbuf_puts(o, "\n\n");
    return 0;
}

struct cli *
cli_new(struct sw *sw)
{
    struct cli *c = xcalloc(1, sizeof *c);
    c->sw = sw;
    reload_model(c);
    return c;
}

void
cli_free(struct cli *c)
{
    if (!c)
        return;
    p4model_free(c->m);
    free(c->pending_json);
    free(c);
}

void
cli_config_changed(struct cli *c)
{
    reload_model(c);
}

void
cli_set_port_ops(struct cli *c, const struct cli_port_ops *ops, void *ctx)
{
    c->ports = ops;
    c->ports_ctx = ctx;
}

void
cli_set_info(struct cli *c, int thrift_port)
{
    c->thrift_port = thrift_port;
}

int
cli_exec(struct cli *c, const char *line, struct strbuf *out)
{
    char *copy = xstrdup(line);
    char **argv = xcalloc(strlen(line) / 2 + 2, sizeof *argv);
    int argc = 0;
    for (char *p = copy; *p;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        argv[argc++] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
    int ret = 0;
    if (argc == 0 || argv[0][0] == '#')
        goto out;
    if (!strcmp(argv[0], "EOF") || !strcmp(argv[0], "exit") ||
        !strcmp(argv[0], "quit")) {
        ret = 1;
        goto out;
    }
    const struct cli_cmd *k = find_cmd(argv[0]);
    if (!k) {
        const char *const *names = cli_command_names();
        size_t n = 0;
        while (names[n])
            n++;
        const char *s = diag_suggest(argv[0], (const char **)names, n);
        outf(out, "*** Unknown syntax: %s", line);
        while (out->len &&
               (out->s[out->len - 1] == '\n' || out->s[out->len - 1] == '\r'))
            out->s[--out->len] = '\0';
        if (s)
            outf(out, " (did you mean '%s'?)", s);
        strbuf_putc(out, '\n');
        goto out;
    }
    k->fn(c, argc - 1, argv + 1, out);
out:
    free(argv);
    free(copy);
    return ret;
}
