/* exec_act.c - the second half of running a program (see exec.c): meters,
 * actions and their v1model primitives, table lookups and the control flow of
 * the ingress and egress pipelines. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/util.h"
#include "switch/sw_int.h"

/* ---- meters ---------------------------------------------------------------
 */

uint64_t
meter_execute(struct meter_cell *m, uint64_t units, uint64_t now_us)
{
    if (!m->n_rates)
        return 0;
    double dt = (double)(now_us - m->last_us);
    m->last_us = now_us;
    for (int i = 0; i < m->n_rates; i++) {
        m->tokens[i] += dt * m->rate[i].info_rate;
        if (m->tokens[i] > m->rate[i].burst)
            m->tokens[i] = m->rate[i].burst;
    }
    /* trTCM, colour-blind: rate[0] committed, rate[1] peak (BMv2 order) */
    int peak = m->n_rates > 1 ? 1 : 0;
    if (m->tokens[peak] < (double)units)
        return 2; /* red */
    if (m->n_rates > 1 && m->tokens[0] < (double)units) {
        m->tokens[peak] -= (double)units;
        return 1; /* yellow */
    }
    for (int i = 0; i < m->n_rates; i++)
        m->tokens[i] -= (double)units;
    return 0; /* green */
}

/* ---- actions --------------------------------------------------------------
 */

static void
write_field(struct exec_ctx *x, const struct ref *r, const struct val *v)
{
    int f = exec_ref_field(x, r);
    if (f >= 0 && f < x->p->n_fields)
        phv_set(x->p, x->pk, f, v);
}

/* The same for a value known to fit 64 bits (no struct val on the way). */
static void
write_field_u64(struct exec_ctx *x, const struct ref *r, uint64_t u)
{
    int f = exec_ref_field(x, r);
    if (f < 0 || f >= x->p->n_fields)
        return;
    if (!x->p->fields[f].wide && !x->p->fields[f].varbit) {
        phv_set_u64(x->p, x->pk, f, u);
    } else {
        struct val v;
        val_set_u64(&v, u);
        phv_set(x->p, x->pk, f, &v);
    }
}

/* Copies stack element src to dst: a header, or every member of a union
 * (union stacks). */
static void
elem_copy(const struct prog *p, struct pkt *pk, const struct hstack *st,
          int dst, int src)
{
    if (!st->is_union) {
        exec_hdr_copy(p, pk, st->hdrs[dst], st->hdrs[src]);
        return;
    }
    const struct hunion *d = &p->unions[st->hdrs[dst]],
                        *s = &p->unions[st->hdrs[src]];
    for (int k = 0; k < d->n && k < s->n; k++)
        exec_hdr_copy(p, pk, d->hdrs[k], s->hdrs[k]);
}

static void
elem_invalidate(const struct prog *p, struct pkt *pk, const struct hstack *st,
                int i)
{
    if (!st->is_union) {
        exec_hdr_invalidate(p, pk, st->hdrs[i]);
        return;
    }
    const struct hunion *u = &p->unions[st->hdrs[i]];
    for (int k = 0; k < u->n; k++)
        exec_hdr_invalidate(p, pk, u->hdrs[k]);
}

static void
stack_push(struct exec_ctx *x, int s, int n)
{
    const struct prog *p = x->p;
    struct pkt *pk = x->pk;
    const struct hstack *st = &p->stacks[s];
    for (int i = st->size - 1; i >= n; i--)
        elem_copy(p, pk, st, i, i - n);
    for (int i = 0; i < n && i < st->size; i++)
        elem_invalidate(p, pk, st, i);
    int nx = pk->snext[s] + n;
    pk->snext[s] = (uint8_t)(nx > st->size ? st->size : nx);
}

static void
stack_pop(struct exec_ctx *x, int s, int n)
{
    const struct prog *p = x->p;
    struct pkt *pk = x->pk;
    const struct hstack *st = &p->stacks[s];
    for (int i = 0; i + n < st->size; i++)
        elem_copy(p, pk, st, i, i + n);
    for (int i = st->size - n; i < st->size; i++)
        if (i >= 0)
            elem_invalidate(p, pk, st, i);
    int nx = pk->snext[s] - n;
    pk->snext[s] = (uint8_t)(nx < 0 ? 0 : nx);
}

/* A bounded output buffer (log_msg runs per packet: no allocation). */
struct obuf {
    char *p;
    size_t n, cap; /* cap includes the NUL */
};

static void
ob_putc(struct obuf *o, char c)
{
    if (o->n + 1 < o->cap)
        o->p[o->n++] = c;
    o->p[o->n] = 0;
}

/* Appends v in decimal (negative if it is: values are two's complement). */
static void
put_dec(struct obuf *o, const struct val *v)
{
    struct val a = *v;
    int neg = (int)(a.w[VAL_W - 1] >> 63);
    if (neg) { /* a = -a */
        unsigned i = 0;
        for (unsigned k = 0; k < VAL_W; k++)
            a.w[k] = ~a.w[k];
        while (i < VAL_W && ++a.w[i] == 0)
            i++;
    }
    char digits[VAL_W * 20 + 2];
    size_t nd = 0;
    int nz = VAL_W;
    while (nz > 0 && !a.w[nz - 1])
        nz--;
    do { /* a /= 10^19; the remainder gives 19 digits */
        const uint64_t e19 = UINT64_C(10000000000000000000);
        unsigned __int128 r = 0;
        for (int k = nz - 1; k >= 0; k--) {
            unsigned __int128 cur = (r << 64) | a.w[k];
            a.w[k] = (uint64_t)(cur / e19);
            r = cur % e19;
        }
        while (nz > 0 && !a.w[nz - 1])
            nz--;
        uint64_t chunk = (uint64_t)r;
        for (int d = 0; d < 19 && (nz > 0 || chunk || d == 0); d++) {
            digits[nd++] = (char)('0' + chunk % 10);
            chunk /= 10;
        }
    } while (nz > 0);
    if (neg)
        ob_putc(o, '-');
    while (nd > 0)
        ob_putc(o, digits[--nd]);
}

/* log_msg: the format with each "{}" replaced by the next value in decimal,
 * logged at info level (as simple_switch does) and in the packet trace. */
static void
prim_log_msg(struct exec_ctx *x, const struct prim *pr)
{
    const char *f = pr->n > 0 && pr->args[0].str ? pr->args[0].str : "";
    char buf[1024];
    struct obuf o = {buf, 0, sizeof buf};
    buf[0] = 0;
    int k = 1;
    for (const char *c = f; *c; c++) {
        if (c[0] == '\\' && (c[1] == '{' || c[1] == '}')) {
            ob_putc(&o, *++c);
        } else if (c[0] == '{' && c[1] == '}') {
            if (k < pr->n) {
                struct val v;
                exec_ref_val(x, &pr->args[k++], &v);
                put_dec(&o, &v);
            }
            c++;
        } else {
            ob_putc(&o, *c);
        }
    }
    LOG(LOG_INFO, "%s", buf);
    TRACE(x, "log_msg: %s", buf);
}

void
exec_prim(struct exec_ctx *x, const struct prim *pr, int *pc)
{
    const struct prog *p = x->p;
    struct pkt *pk = x->pk;
    struct sw *sw = x->sw;
    struct val v, w;
    switch (pr->op) {
    case PR_ASSIGN_VL: {
        int d = exec_ref_field(x, &pr->args[0]),
            s = exec_ref_field(x, &pr->args[1]);
        if (d >= 0 && s >= 0 && p->fields[d].varbit && p->fields[s].varbit) {
            memcpy(&pk->slots[p->fields[d].slot], &pk->slots[p->fields[s].slot],
                   (size_t)(MIN(p->fields[d].width, p->fields[s].width) + 63) /
                       64 * 8);
            pk->vlen[p->fields[d].hdr] = pk->vlen[p->fields[s].hdr];
            break;
        }
    }
    /* fall through */
    case PR_ASSIGN:
        if (pr->args[0].kind == R_FIELD && !p->fields[pr->args[0].id].varbit)
            /* phv_set reads the field's words only */
            exec_ref_val_n(x, &pr->args[1], &v, p->fields[pr->args[0].id].nw);
        else
            exec_ref_val(x, &pr->args[1], &v);
        write_field(x, &pr->args[0], &v);
        if (pr->op == PR_ASSIGN_VL) {
            int d = exec_ref_field(x, &pr->args[0]),
                s = exec_ref_field(x, &pr->args[1]);
            if (d >= 0 && s >= 0)
                pk->vlen[p->fields[d].hdr] = pk->vlen[p->fields[s].hdr];
        }
        break;
    case PR_ASSIGN_HEADER: {
        int d = exec_ref_header(x, &pr->args[0]),
            s = exec_ref_header(x, &pr->args[1]);
        if (d >= 0 && s >= 0)
            exec_hdr_copy(p, pk, d, s);
        break;
    }
    case PR_ASSIGN_UNION: {
        int d = pr->args[0].kind == R_UNION ? pr->args[0].id
                                            : exec_ref_header(x, &pr->args[0]);
        int s = pr->args[1].kind == R_UNION ? pr->args[1].id
                                            : exec_ref_header(x, &pr->args[1]);
        if (d < 0 || s < 0)
            break;
        const struct hunion *du = &p->unions[d], *su = &p->unions[s];
        for (int i = 0; i < du->n && i < su->n; i++)
            exec_hdr_copy(p, pk, du->hdrs[i], su->hdrs[i]);
        break;
    }
    case PR_ASSIGN_STACK:
    case PR_ASSIGN_USTACK: {
        int d = pr->args[0].id, s = pr->args[1].id;
        const struct hstack *ds = &p->stacks[d], *ss = &p->stacks[s];
        for (int i = 0; i < ds->size && i < ss->size; i++) {
            if (pr->op == PR_ASSIGN_STACK) {
                exec_hdr_copy(p, pk, ds->hdrs[i], ss->hdrs[i]);
            } else {
                const struct hunion *du = &p->unions[ds->hdrs[i]],
                                    *su = &p->unions[ss->hdrs[i]];
                for (int k = 0; k < du->n && k < su->n; k++)
                    exec_hdr_copy(p, pk, du->hdrs[k], su->hdrs[k]);
            }
        }
        pk->snext[d] = pk->snext[s];
        break;
    }
    case PR_ADD_HEADER: {
        /* setValid of an invalid header zeroes its fields and counts its
         * bytes into egress's packet_length, as simple_switch's add_header;
         * a valid header is left as it is. */
        int h = exec_ref_header(x, &pr->args[0]);
        if (h >= 0 && !hdr_valid(p, pk, h)) {
            exec_hdr_zero(p, pk, h);
            exec_hdr_make_valid(p, pk, h);
            pk->len_adj += (int32_t)(p->hdrs[h].fixed_bits / 8);
        }
        break;
    }
    case PR_ADD_HEADER_FAST: {
        int h = exec_ref_header(x, &pr->args[0]);
        if (h >= 0)
            exec_hdr_make_valid(p, pk, h);
        break;
    }
    case PR_REMOVE_HEADER: {
        int h = exec_ref_header(x, &pr->args[0]);
        if (h >= 0 && hdr_valid(p, pk, h)) {
            pk->len_adj -= (int32_t)((p->hdrs[h].fixed_bits + pk->vlen[h]) / 8);
            exec_hdr_invalidate(p, pk, h);
        }
        break;
    }
    case PR_PUSH:
        stack_push(x, pr->args[0].id, (int)exec_ref_u64(x, &pr->args[1]));
        break;
    case PR_POP:
        stack_pop(x, pr->args[0].id, (int)exec_ref_u64(x, &pr->args[1]));
        break;
    case PR_MARK_TO_DROP:
    case PR_DROP:
        phv_set_u64(p, pk, p->sm.egress_spec, sw->opts.drop_port);
        phv_set_u64(p, pk, p->sm.mcast_grp, 0);
        TRACE(x, "Primitive mark_to_drop");
        break;
    case PR_EXIT:
        pk->exit_flag = 1;
        *pc = 1 << 30;
        break;
    case PR_COUNT: {
        struct counter_arr *c = &p->counters[pr->args[0].id];
        uint64_t i = exec_ref_u64(x, &pr->args[1]);
        if (i < c->info.size && c->pkts) {
            c->pkts[i]++;
            c->bytes[i] += pk->in_len;
        }
        break;
    }
    case PR_EXECUTE_METER: {
        struct meter_arr *m = &p->meters[pr->args[0].id];
        uint64_t i = exec_ref_u64(x, &pr->args[1]);
        uint64_t color = 0;
        if (i < m->info.size && m->cells)
            color = meter_execute(&m->cells[i],
                                  m->info.is_bytes ? pk->in_len : 1, x->now_us);
        write_field_u64(x, &pr->args[2], color);
        break;
    }
    case PR_REGISTER_READ: {
        struct register_arr *r = &p->registers[pr->args[1].id];
        uint64_t i = exec_ref_u64(x, &pr->args[2]);
        if (r->cw == 1) {
            write_field_u64(x, &pr->args[0],
                            i < r->info.size ? r->cells[i] : 0);
            break;
        }
        val_set_u64(&v, 0);
        if (i < r->info.size)
            memcpy(v.w, &r->cells[i * r->cw], r->cw * sizeof v.w[0]);
        write_field(x, &pr->args[0], &v);
        break;
    }
    case PR_REGISTER_WRITE: {
        struct register_arr *r = &p->registers[pr->args[0].id];
        uint64_t i = exec_ref_u64(x, &pr->args[1]);
        if (r->cw == 1) { /* up to 64 bits: the value's low word */
            uint64_t u = exec_ref_u64(x, &pr->args[2]);
            if (r->info.bitwidth < 64)
                u &= (UINT64_C(1) << r->info.bitwidth) - 1;
            if (i < r->info.size)
                r->cells[i] = u;
            break;
        }
        exec_ref_val(x, &pr->args[2], &v);
        val_trunc(&v, r->info.bitwidth);
        if (i < r->info.size)
            memcpy(&r->cells[i * r->cw], v.w, r->cw * sizeof v.w[0]);
        break;
    }
    case PR_HASH: {
        /* dst = base + hash % max */
        uint64_t h = exec_calc(x, pr->args[2].id);
        uint64_t max = exec_ref_u64(x, &pr->args[3]);
        if (max)
            h %= max;
        int f = exec_ref_field(x, &pr->args[0]);
        if (f >= 0 && f < p->n_fields && !p->fields[f].wide &&
            !p->fields[f].varbit) {
            phv_set_u64(p, pk, f, exec_ref_u64(x, &pr->args[1]) + h);
            break;
        }
        exec_ref_val(x, &pr->args[1], &v);
        val_set_u64(&w, h);
        val_add(&v, &w);
        write_field(x, &pr->args[0], &v);
        break;
    }
    case PR_RNG: {
        uint64_t lo = exec_ref_u64(x, &pr->args[1]),
                 hi = exec_ref_u64(x, &pr->args[2]);
        sw->rng = sw->rng * 1103515245u + 12345u;
        uint64_t r = hi >= lo ? lo + (sw->rng >> 1) % (hi - lo + 1) : lo;
        write_field_u64(x, &pr->args[0], r);
        break;
    }
    case PR_CLONE_I2E:
    case PR_CLONE_E2E:
        pk->clone_kind = pr->op == PR_CLONE_I2E ? 1 : 2;
        pk->clone_session = (uint32_t)exec_ref_u64(x, &pr->args[0]);
        pk->clone_flist = pr->n > 1 ? (int)exec_ref_u64(x, &pr->args[1]) : -1;
        break;
    case PR_RESUBMIT:
        pk->resubmit_flist = pr->n > 0 ? (int)exec_ref_u64(x, &pr->args[0]) : 0;
        break;
    case PR_RECIRCULATE:
        pk->recirc_flist = pr->n > 0 ? (int)exec_ref_u64(x, &pr->args[0]) : 0;
        break;
    case PR_TRUNCATE:
        pk->truncate_len = (uint32_t)exec_ref_u64(x, &pr->args[0]);
        break;
    case PR_DIGEST: {
        uint64_t id = exec_ref_u64(x, &pr->args[1]);
        pk->learn_pending = -1;
        for (int i = 0; i < p->n_learns; i++)
            if (p->learns[i].info.id == id)
                pk->learn_pending = i;
        break;
    }
    case PR_LOG_MSG:
        prim_log_msg(x, pr);
        break;
    case PR_ASSERT:
    case PR_ASSUME:
        /* simple_switch logs this and aborts; a switch that keeps
         * forwarding serves better: the error is logged, the packet goes
         * on */
        if (!exec_ref_u64(x, &pr->args[0])) {
            const char *what = pr->op == PR_ASSERT ? "Assert" : "Assume";
            LOG(LOG_ERROR, "%s error: %s", what,
                pr->where ? pr->where : "(no source information)");
            TRACE(x, "%s error: %s", what, pr->where ? pr->where : "");
        }
        break;
    case PR_ADD_TO_FIELD:
    case PR_SUB_FROM_FIELD: {
        int f = exec_ref_field(x, &pr->args[0]);
        if (f < 0)
            break;
        if (!p->fields[f].wide && !p->fields[f].varbit) {
            /* the low 64 bits of a sum depend on the operands' low 64 */
            uint64_t a = pk->slots[p->fields[f].slot],
                     b = exec_ref_u64(x, &pr->args[1]);
            phv_set_u64(p, pk, f, pr->op == PR_ADD_TO_FIELD ? a + b : a - b);
            break;
        }
        phv_get(p, pk, f, &v);
        exec_ref_val(x, &pr->args[1], &w);
        if (pr->op == PR_ADD_TO_FIELD)
            val_add(&v, &w);
        else
            val_sub(&v, &w);
        phv_set(p, pk, f, &v);
        break;
    }
    case PR_ADD:
    case PR_SUBTRACT:
    case PR_BIT_AND:
    case PR_BIT_OR:
    case PR_BIT_XOR:
    case PR_SHIFT_LEFT:
    case PR_SHIFT_RIGHT: {
        int f = exec_ref_field(x, &pr->args[0]);
        if (pr->op != PR_SHIFT_RIGHT && f >= 0 && f < p->n_fields &&
            !p->fields[f].wide && !p->fields[f].varbit) {
            /* a narrow destination keeps the low 64 bits, which depend on
             * the operands' low 64 bits only (right shifts excepted) */
            uint64_t a = exec_ref_u64(x, &pr->args[1]),
                     b = exec_ref_u64(x, &pr->args[2]), r;
            switch (pr->op) {
            case PR_ADD:
                r = a + b;
                break;
            case PR_SUBTRACT:
                r = a - b;
                break;
            case PR_BIT_AND:
                r = a & b;
                break;
            case PR_BIT_OR:
                r = a | b;
                break;
            case PR_BIT_XOR:
                r = a ^ b;
                break;
            default: /* PR_SHIFT_LEFT */
                r = b >= 64 ? 0 : a << b;
                break;
            }
            phv_set_u64(p, pk, f, r);
            break;
        }
        exec_ref_val(x, &pr->args[1], &v);
        exec_ref_val(x, &pr->args[2], &w);
        switch (pr->op) {
        case PR_ADD:
            val_add(&v, &w);
            break;
        case PR_SUBTRACT:
            val_sub(&v, &w);
            break;
        case PR_BIT_AND:
            for (int i = 0; i < VAL_W; i++)
                v.w[i] &= w.w[i];
            break;
        case PR_BIT_OR:
            for (int i = 0; i < VAL_W; i++)
                v.w[i] |= w.w[i];
            break;
        case PR_BIT_XOR:
            for (int i = 0; i < VAL_W; i++)
                v.w[i] ^= w.w[i];
            break;
        case PR_SHIFT_LEFT:
            val_shl(&v, (unsigned)MIN(w.w[0], 65535));
            break;
        default:
            val_shr(&v, (unsigned)MIN(w.w[0], 65535));
            break;
        }
        write_field(x, &pr->args[0], &v);
        break;
    }
    case PR_JMP_IF_FALSE:
        if (!exec_ref_u64(x, &pr->args[0]))
            *pc = (int)exec_ref_u64(x, &pr->args[1]) - 1;
        break;
    case PR_JMP:
        *pc = (int)exec_ref_u64(x, &pr->args[0]) - 1;
        break;
    default:
        break;
    }
}

/* FS_WIDE_PARAM: a wide field gets an action parameter. */
static void
wide_param(uint64_t *d, const struct prim *pr, const uint64_t *src)
{
    unsigned k = MIN(pr->nsrc, pr->dnw);
    memcpy(d, src, k * sizeof *d);
    for (unsigned i = k; i < pr->dnw; i++)
        d[i] = 0;
    d[pr->dnw - 1] &= pr->dmask;
}

/* always inlined: apply_table's call is the hot one */
static inline __attribute__((always_inline)) void
run_action(struct exec_ctx *x, const struct act_call *c)
{
    if (c->action < 0)
        return;
    const struct action *a = &x->p->actions[c->action];
    const uint64_t *saved = x->params;
    x->params = c->args;
    TRACE(x, "Action '%s'", a->info.name);
    uint64_t *slots = x->pk->slots;
    for (int pc = 0; pc >= 0 && pc < a->n_prims; pc++) {
        const struct prim *pr = &a->prims[pc];
        /* an if chain, most frequent first: predicts better than a jump
         * table here */
        enum fast_src f = pr->fast;
        if (f == FS_PARAM) {
            slots[pr->dslot] = c->args[pr->sidx] & pr->dmask;
            continue;
        }
        if (f == FS_NONE) {
            exec_prim(x, pr, &pc);
            continue;
        }
        if (f == FS_CONST)
            slots[pr->dslot] = x->p->consts[pr->sidx].w[0] & pr->dmask;
        else if (f == FS_FIELD)
            slots[pr->dslot] = slots[pr->sidx] & pr->dmask;
        else if (f == FS_ADD_CONST)
            slots[pr->dslot] =
                (slots[pr->dslot] + x->p->consts[pr->sidx].w[0]) & pr->dmask;
        else if (f == FS_EXPR)
            slots[pr->dslot] = exec_eval64(pr->args[1].e, x) & pr->dmask;
        else
            wide_param(slots + pr->dslot, pr, c->args + pr->sidx);
    }
    x->params = saved;
}

/* ---- tables and control flow ----------------------------------------------
 */

static void
build_key(struct exec_ctx *x, const struct table *t, uint8_t *key)
{
    const struct prog *p = x->p;
    struct pkt *pk = x->pk;
    for (int k = 0; k < t->n_keys; k++) {
        const struct mkey *mk = &t->keys[k];
        uint8_t *o = key + mk->off;
        if (mk->src.kind == R_HEADER) {
            o[0] = (uint8_t)hdr_valid(p, pk, mk->src.id);
            continue;
        }
        const struct field *fd = &p->fields[mk->src.id];
        if (mk->info.kind == SW_MATCH_VALID) {
            o[0] = (uint8_t)hdr_valid(p, pk, fd->hdr);
            continue;
        }
        if (!fd->wide && mk->bytes <= 8) {
            /* key[] has 8 bytes of slack past key_bytes */
            store_be64(o, pk->slots[fd->slot] << (64 - 8 * mk->bytes));
        } else if (!fd->wide) {
            uint64_t v = pk->slots[fd->slot];
            for (int i = mk->bytes - 1; i >= 0; i--) {
                o[i] = (uint8_t)v;
                v >>= 8;
            }
        } else {
            /* big-endian bytes straight from the field's words (PHV values
             * are within their width) */
            const uint64_t *w = &pk->slots[fd->slot];
            for (int i = 0; i < mk->bytes; i++) {
                unsigned bit = (unsigned)(mk->bytes - 1 - i) * 8;
                o[i] = bit / 64 < fd->nw ? (uint8_t)(w[bit / 64] >> (bit % 64))
                                         : 0;
            }
        }
        if (mk->kmask)
            for (int i = 0; i < mk->bytes; i++)
                o[i] &= mk->kmask[i];
    }
}

static const struct act_call *
member_call(struct exec_ctx *x, const struct table *t,
            enum sw_action_ref_kind kind, uint32_t ref)
{
    if (t->act_prof < 0)
        return NULL;
    const struct act_prof *ap = &x->p->profs[t->act_prof];
    if (kind == SW_REF_GROUP) {
        if (ref >= (uint32_t)ap->n_grps || !ap->grps[ref].used ||
            !ap->grps[ref].n)
            return NULL;
        const struct group *g = &ap->grps[ref];
        uint64_t h = ap->calc >= 0 ? exec_calc(x, ap->calc) : 0;
        ref = g->members[h % (uint64_t)g->n];
    }
    if (ref >= (uint32_t)ap->n_mbrs || !ap->mbrs[ref].used)
        return NULL;
    return &ap->mbrs[ref].call;
}

static int
apply_table(struct exec_ctx *x, struct table *t)
{
    const struct prog *p = x->p;
    uint8_t *key = x->sw->keybuf;
    if (t->key_bytes > (int)sizeof x->sw->keybuf - 8)
        return -1;
    int ei;
    if (t->k64) {
        uint64_t k = 0;
        for (int i = 0; i < t->n_keys; i++) {
            const struct mkey *mk = &t->keys[i];
            uint64_t v = x->pk->slots[mk->slot] & mk->kmask64;
            k = mk->bytes >= 8 ? v : (k << (8 * mk->bytes)) | v;
        }
        ei = table_lookup64(t, k);
    } else {
        build_key(x, t, key);
        ei = t->n_keys ? table_lookup(t, key) : -1;
    }
    const struct act_call *c;
    int hit = ei >= 0;
    if (hit) {
        struct entry *en = &t->ents[ei];
        en->last_hit_us = x->now_us;
        en->cnt_pkts++;
        en->cnt_bytes += x->pk->in_len;
        if (t->direct_meter >= 0) {
            const struct meter_arr *m = &p->meters[t->direct_meter];
            uint64_t color = meter_execute(
                &en->meter, m->info.is_bytes ? x->pk->in_len : 1, x->now_us);
            if (m->result_field >= 0)
                phv_set_u64(p, x->pk, m->result_field, color);
        }
        c = en->kind == SW_REF_ACTION ? &en->call
                                      : member_call(x, t, en->kind, en->ref);
        TRACE(x, "Table '%s': hit with handle %llu", t->info.name,
              (unsigned long long)en->handle);
    } else {
        c = t->def_kind == SW_REF_ACTION
                ? &t->def
                : member_call(x, t, t->def_kind, t->def_ref);
        TRACE(x, "Table '%s': miss", t->info.name);
    }
    int a = c ? c->action : -1;
    if (c)
        run_action(x, c);
    if (t->has_hit_miss)
        return hit ? t->next_hit : t->next_miss;
    if (a >= 0 && t->next_by_action[a] != -2)
        return t->next_by_action[a];
    return t->base_next;
}

/* An action call node (p4c emits none: kept out of the hot loop). */
static __attribute__((noinline)) int
run_acall(struct exec_ctx *x, int idx)
{
    const struct acall *ac = &x->p->acalls[idx];
    const struct act_call call = {ac->action, NULL};
    run_action(x, &call);
    return ac->next;
}

void
exec_pipeline(struct exec_ctx *x, const struct pipeline *pl)
{
    const struct prog *p = x->p;
    int n = pl->init, steps = 0;
    x->pk->exit_flag = 0;
    while (n >= 0 && !x->pk->exit_flag && steps++ < 100000) {
        const struct node *nd = &p->nodes[n];
        if (nd->kind == N_TABLE) {
            n = apply_table(x, &p->tables[nd->idx]);
        } else if (__builtin_expect(nd->kind == N_ACTION_CALL, 0)) {
            n = run_acall(x, nd->idx);
        } else {
            const struct cond *c = &p->conds[nd->idx];
            int t = expr_true(c->e, x);
            TRACE(x, "Condition '%s' is %s", c->name, t ? "true" : "false");
            n = t ? c->t_next : c->f_next;
        }
    }
    x->pk->exit_flag = 0;
}
