/* exec.c - runs a loaded program on one packet: value arithmetic, expression
 * evaluation, headers, the parser, checksums and hashes, the deparser;
 * exec_act.c has the controls (tables, conditionals, actions and their
 * v1model primitives).
 *
 * Everything works on indexes into struct prog (load.c) and on the packet's
 * PHV; nothing allocates. Side effects that involve other packets (clone,
 * resubmit, recirculate, digest) are recorded in struct pkt and carried out by
 * sw.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "switch/sw_int.h"

void
exec_trace(struct exec_ctx *x, const char *fmt, ...)
{
    struct sw *sw = x->sw;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sw->tbuf, sizeof sw->tbuf, fmt, ap);
    va_end(ap);
    sw->opts.trace(sw->opts.trace_ctx, x->pk->id, x->pk->copy_id, sw->tbuf);
}

/* ---- value arithmetic -----------------------------------------------------
 *
 * On the low n words of a val (n <= VAL_W), two's complement: the words above
 * n are implicitly copies of the sign. The exported val_* work on all words.
 */

static inline uint64_t
sign_fill(const struct val *a, unsigned n)
{
    return a->w[n - 1] >> 63 ? ~UINT64_C(0) : 0;
}

static void
vn_add(struct val *a, const struct val *b, unsigned n)
{
    unsigned __int128 c = 0;
    for (unsigned i = 0; i < n; i++) {
        c += (unsigned __int128)a->w[i] + b->w[i];
        a->w[i] = (uint64_t)c;
        c >>= 64;
    }
}

static void
vn_not(struct val *a, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        a->w[i] = ~a->w[i];
}

static void
vn_neg(struct val *a, unsigned n)
{
    unsigned i = 0;
    vn_not(a, n);
    while (i < n && ++a->w[i] == 0) /* + 1 */
        i++;
}

static void
vn_sub(struct val *a, const struct val *b, unsigned n)
{
    unsigned __int128 c = 1; /* a + ~b + 1 */
    for (unsigned i = 0; i < n; i++) {
        c += (unsigned __int128)a->w[i] + ~b->w[i];
        a->w[i] = (uint64_t)c;
        c >>= 64;
    }
}

static void
vn_mul(struct val *a, const struct val *b, unsigned n)
{
    uint64_t r[VAL_W] = {0};
    for (unsigned i = 0; i < n; i++) {
        unsigned __int128 c = 0;
        for (unsigned j = 0; i + j < n; j++) {
            c += (unsigned __int128)a->w[i] * b->w[j] + r[i + j];
            r[i + j] = (uint64_t)c;
            c >>= 64;
        }
    }
    memcpy(a->w, r, n * sizeof r[0]);
}

static int
vn_cmp(const struct val *a, const struct val *b, unsigned n)
{
    int na = (int)(a->w[n - 1] >> 63), nb = (int)(b->w[n - 1] >> 63);
    if (na != nb)
        return na ? -1 : 1;
    for (unsigned i = n; i-- > 0;)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

static int
vn_is_zero(const struct val *a, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (a->w[i])
            return 0;
    return 1;
}

static void
vn_shl(struct val *a, unsigned s, unsigned n)
{
    if (s >= n * 64) {
        memset(a->w, 0, n * sizeof a->w[0]);
        return;
    }
    unsigned ws = s / 64, bs = s % 64;
    for (unsigned i = n; i-- > 0;) {
        uint64_t x = i >= ws ? a->w[i - ws] << bs : 0;
        if (bs && i >= ws + 1)
            x |= a->w[i - ws - 1] >> (64 - bs);
        a->w[i] = x;
    }
}

/* Arithmetic shift right (the sign comes in). */
static void
vn_shr(struct val *a, unsigned s, unsigned n)
{
    uint64_t fill = sign_fill(a, n);
    if (s >= n * 64) {
        for (unsigned i = 0; i < n; i++)
            a->w[i] = fill;
        return;
    }
    unsigned ws = s / 64, bs = s % 64;
    for (unsigned i = 0; i < n; i++) {
        uint64_t lo = i + ws < n ? a->w[i + ws] : fill;
        uint64_t hi = i + ws + 1 < n ? a->w[i + ws + 1] : fill;
        a->w[i] = bs ? (lo >> bs) | (hi << (64 - bs)) : lo;
    }
}

/* Sign-extends from bit 'bits' within n words. */
static void
vn_sext(struct val *v, unsigned bits, unsigned n)
{
    if (bits == 0 || bits >= n * 64)
        return;
    unsigned wi = (bits - 1) / 64, bi = (bits - 1) % 64;
    int neg = (v->w[wi] >> bi) & 1;
    uint64_t m = bi < 63 ? ~((UINT64_C(2) << bi) - 1) : 0;
    v->w[wi] = neg ? v->w[wi] | m : v->w[wi] & ~m;
    for (unsigned i = wi + 1; i < n; i++)
        v->w[i] = neg ? ~UINT64_C(0) : 0;
}

/* Unsigned a / b or a % b on n words (BMv2 divides non-negative values
 * only: p4c refuses signed division). Division by zero gives 0. */
static void
vn_divmod(struct val *a, const struct val *b, unsigned n, int mod)
{
    if (n <= 2) {
        unsigned __int128 d = ((unsigned __int128)b->w[1] << 64) | b->w[0];
        unsigned __int128 x = ((unsigned __int128)a->w[1] << 64) | a->w[0];
        if (n == 1) {
            d = b->w[0];
            x = a->w[0];
        }
        x = !d ? 0 : mod ? x % d : x / d;
        a->w[0] = (uint64_t)x;
        if (n == 2)
            a->w[1] = (uint64_t)(x >> 64);
        return;
    }
    if (vn_is_zero(b, n)) {
        memset(a->w, 0, n * sizeof a->w[0]);
        return;
    }
    /* restoring division, a bit at a time: wide values only */
    struct val q = {{0}}, r = {{0}};
    for (unsigned i = n * 64; i-- > 0;) {
        vn_shl(&r, 1, n);
        r.w[0] |= (a->w[i / 64] >> (i % 64)) & 1;
        int ge = 1; /* r >= b, unsigned */
        for (unsigned k = n; k-- > 0;)
            if (r.w[k] != b->w[k]) {
                ge = r.w[k] > b->w[k];
                break;
            }
        if (ge) {
            vn_sub(&r, b, n);
            q.w[i / 64] |= UINT64_C(1) << (i % 64);
        }
    }
    memcpy(a->w, (mod ? &r : &q)->w, n * sizeof a->w[0]);
}

void
val_add(struct val *a, const struct val *b)
{
    vn_add(a, b, VAL_W);
}

void
val_sub(struct val *a, const struct val *b)
{
    vn_sub(a, b, VAL_W);
}

void
val_shl(struct val *a, unsigned s)
{
    vn_shl(a, s, VAL_W);
}

void
val_shr(struct val *a, unsigned s)
{
    vn_shr(a, s, VAL_W);
}

/* Saturates v to the range of a w-bit (signed or unsigned) value. */
static void
vn_sat(struct val *v, unsigned w, int is_signed, unsigned n)
{
    struct val lo, hi, one;
    if (!w || w >= n * 64 - 1)
        return;
    memset(&one, 0, n * sizeof one.w[0]);
    one.w[0] = 1;
    hi = one;
    if (is_signed) {
        vn_shl(&hi, w - 1, n);
        lo = hi;
        vn_neg(&lo, n);
    } else {
        memset(&lo, 0, n * sizeof lo.w[0]);
        vn_shl(&hi, w, n);
    }
    vn_sub(&hi, &one, n);
    if (vn_cmp(v, &lo, n) < 0)
        memcpy(v->w, lo.w, n * sizeof v->w[0]);
    else if (vn_cmp(v, &hi, n) > 0)
        memcpy(v->w, hi.w, n * sizeof v->w[0]);
}

/* ---- expressions ----------------------------------------------------------
 */

static int
stack_index(const struct prog *p, int s, uint64_t idx)
{
    const struct hstack *st = &p->stacks[s];
    if (idx >= (uint64_t)st->size)
        idx = st->size ? (uint64_t)st->size - 1 : 0;
    return st->hdrs[idx];
}

/* expr_eval for narrow expressions (load.c decides): the same ops on
 * uint64_t, where no value can reach bit 63 before it is masked. */
uint64_t
exec_eval64(const struct expr *e, struct exec_ctx *x)
{
    uint64_t stk[64];
    int sp = 0;
    const struct prog *p = x->p;
    const struct pkt *pk = x->pk;
    for (int pc = 0; pc < e->n; pc++) {
        const struct eins *in = &e->ins[pc];
        switch (in->op) {
        case E_SLOT:
            stk[sp++] = pk->slots[in->a];
            break;
        case E_HVALID:
            stk[sp++] = pk->slots[p->hdrs[in->a].valid_slot];
            break;
        case E_FIELD:
            stk[sp++] = pk->slots[p->fields[in->a].slot];
            break;
        case E_CONST:
            stk[sp++] = p->consts[in->a].w[0];
            break;
        case E_PARAM:
            stk[sp++] = x->params ? x->params[in->a] : 0;
            break;
        case E_HDR:
            stk[sp++] = in->a;
            break;
        case E_VALID:
            stk[sp - 1] = (uint64_t)hdr_valid(p, pk, (int)stk[sp - 1]);
            break;
        case E_ADD:
            sp--;
            stk[sp - 1] += stk[sp];
            break;
        case E_AND:
            sp--;
            stk[sp - 1] &= stk[sp];
            break;
        case E_OR:
            sp--;
            stk[sp - 1] |= stk[sp];
            break;
        case E_XOR:
            sp--;
            stk[sp - 1] ^= stk[sp];
            break;
        case E_SHR:
            sp--;
            stk[sp - 1] = stk[sp] >= 64 ? 0 : stk[sp - 1] >> stk[sp];
            break;
        case E_EQ:
            sp--;
            stk[sp - 1] = stk[sp - 1] == stk[sp];
            break;
        case E_NE:
            sp--;
            stk[sp - 1] = stk[sp - 1] != stk[sp];
            break;
        case E_LT:
            sp--;
            stk[sp - 1] = stk[sp - 1] < stk[sp];
            break;
        case E_LE:
            sp--;
            stk[sp - 1] = stk[sp - 1] <= stk[sp];
            break;
        case E_GT:
            sp--;
            stk[sp - 1] = stk[sp - 1] > stk[sp];
            break;
        case E_GE:
            sp--;
            stk[sp - 1] = stk[sp - 1] >= stk[sp];
            break;
        case E_LAND:
            sp--;
            stk[sp - 1] = stk[sp - 1] && stk[sp];
            break;
        case E_LOR:
            sp--;
            stk[sp - 1] = stk[sp - 1] || stk[sp];
            break;
        case E_LNOT:
            stk[sp - 1] = !stk[sp - 1];
            break;
        case E_JZ:
            sp--;
            if (!stk[sp])
                pc = (int)in->a - 1;
            break;
        case E_JMP:
            pc = (int)in->a - 1;
            break;
        default:
            break;
        }
    }
    return sp > 0 ? stk[sp - 1] : 0;
}

/* Pushes field f on n words (the field fits them: load.c sized n). */
static inline void
push_field(const struct prog *p, const struct pkt *pk, int f, struct val *v,
           unsigned n)
{
    const struct field *fd = &p->fields[f];
    unsigned k = fd->wide ? MIN(fd->nw, n) : 1;
    memcpy(v->w, &pk->slots[fd->slot], k * sizeof v->w[0]);
    if (k < n)
        memset(&v->w[k], 0, (n - k) * sizeof v->w[0]);
    if (fd->is_signed)
        vn_sext(v, fd->width, n);
}

static inline void
set_small(struct val *v, uint64_t x, unsigned n)
{
    v->w[0] = x;
    if (n > 1)
        memset(&v->w[1], 0, (n - 1) * sizeof v->w[0]);
}

/* expr_eval, writing the low 'need' words of out only (callers that read
 * no more: a field of that many words). */
static void
eval_need(const struct expr *e, struct exec_ctx *x, struct val *out,
          unsigned need)
{
    if (e->narrow) {
        out->w[0] = exec_eval64(e, x);
        if (need > 1)
            memset(&out->w[1], 0, (need - 1) * sizeof out->w[0]);
        return;
    }
    struct val stkbuf[66];
    struct val *stk = stkbuf + 2; /* a and b below may point below the bottom */
    int sp = 0;
    const unsigned n = (unsigned)e->nw;
    const size_t nb = n * sizeof stk->w[0];
    const struct prog *p = x->p;
    struct pkt *pk = x->pk;
    for (int pc = 0; pc < e->n; pc++) {
        const struct eins *in = &e->ins[pc];
        struct val *a = stk + sp - 2, *b = stk + sp - 1;
        switch (in->op) {
        case E_FIELD:
            push_field(p, pk, (int)in->a, &stk[sp++], n);
            break;
        case E_CONST:
            memcpy(stk[sp++].w, p->consts[in->a].w, nb);
            break;
        case E_PARAM:
            if (x->params) {
                unsigned k = MIN(in->b, n);
                memcpy(stk[sp].w, x->params + in->a, k * sizeof stk->w[0]);
                if (k < n)
                    memset(&stk[sp].w[k], 0, (n - k) * sizeof stk->w[0]);
                sp++;
            } else {
                set_small(&stk[sp++], 0, n);
            }
            break;
        case E_LOCAL:
            set_small(&stk[sp++], 0, n);
            break;
        case E_HDR:
        case E_UNION:
            set_small(&stk[sp++], in->a, n);
            break;
        case E_VALID:
            set_small(b, (uint64_t)hdr_valid(p, pk, (int)b->w[0]), n);
            break;
        case E_VALID_UNION: {
            const struct hunion *u = &p->unions[b->w[0]];
            int v = 0;
            for (int i = 0; i < u->n; i++)
                v |= hdr_valid(p, pk, u->hdrs[i]);
            set_small(b, (uint64_t)v, n);
            break;
        }
        case E_STACK_DEREF:
        case E_USTACK_DEREF:
            set_small(b, (uint64_t)stack_index(p, (int)in->a, b->w[0]), n);
            break;
        case E_ACCESS_FIELD:
            push_field(p, pk, p->hdrs[b->w[0]].first_field + (int)in->a, b, n);
            break;
        case E_ACCESS_FIELD_ID:
            set_small(b, (uint64_t)(p->hdrs[b->w[0]].first_field + (int)in->a),
                      n);
            break;
        case E_ACCESS_UNION_HDR:
            set_small(b, (uint64_t)p->unions[b->w[0]].hdrs[in->a], n);
            break;
        case E_LAST_INDEX:
            /* next index - 1: -1 (all ones) for an empty stack */
            set_small(&stk[sp], pk->snext[in->a], n);
            if (!pk->snext[in->a])
                memset(stk[sp].w, 0xff, nb);
            else
                stk[sp].w[0]--;
            sp++;
            break;
        case E_SIZE:
            set_small(&stk[sp++], (uint64_t)p->stacks[in->a].size, n);
            break;
        case E_REGISTER: {
            /* pop the index, push the cell (0 past the end) */
            const struct register_arr *r = &p->registers[in->a];
            uint64_t i = b->w[0];
            for (unsigned k = 1; k < n; k++)
                if (b->w[k])
                    i = UINT64_MAX;
            set_small(b, 0, n);
            if (i < r->info.size)
                memcpy(b->w, &r->cells[i * r->cw],
                       MIN(r->cw, n) * sizeof b->w[0]);
            break;
        }
        case E_ADD:
            vn_add(a, b, n);
            sp--;
            break;
        case E_SUB:
            vn_sub(a, b, n);
            sp--;
            break;
        case E_MUL:
            vn_mul(a, b, n);
            sp--;
            break;
        case E_DIV:
        case E_MOD:
            vn_divmod(a, b, n, in->op == E_MOD);
            sp--;
            break;
        case E_SHL:
        case E_SHR: {
            /* a shift count beyond the value's words gives 0 (or the sign) */
            unsigned s = b->w[0] > 65535 ? 65535 : (unsigned)b->w[0];
            for (unsigned i = 1; i < n; i++)
                if (b->w[i])
                    s = 65535;
            if (in->op == E_SHL)
                vn_shl(a, s, n);
            else
                vn_shr(a, s, n);
            sp--;
            break;
        }
        case E_AND:
            for (unsigned i = 0; i < n; i++)
                a->w[i] &= b->w[i];
            sp--;
            break;
        case E_OR:
            for (unsigned i = 0; i < n; i++)
                a->w[i] |= b->w[i];
            sp--;
            break;
        case E_XOR:
            for (unsigned i = 0; i < n; i++)
                a->w[i] ^= b->w[i];
            sp--;
            break;
        case E_EQ:
            set_small(a, vn_cmp(a, b, n) == 0, n);
            sp--;
            break;
        case E_NE:
            set_small(a, vn_cmp(a, b, n) != 0, n);
            sp--;
            break;
        case E_LT:
            set_small(a, vn_cmp(a, b, n) < 0, n);
            sp--;
            break;
        case E_LE:
            set_small(a, vn_cmp(a, b, n) <= 0, n);
            sp--;
            break;
        case E_GT:
            set_small(a, vn_cmp(a, b, n) > 0, n);
            sp--;
            break;
        case E_GE:
            set_small(a, vn_cmp(a, b, n) >= 0, n);
            sp--;
            break;
        case E_LAND:
            set_small(a, !vn_is_zero(a, n) && !vn_is_zero(b, n), n);
            sp--;
            break;
        case E_LOR:
            set_small(a, !vn_is_zero(a, n) || !vn_is_zero(b, n), n);
            sp--;
            break;
        case E_LNOT:
            set_small(b, vn_is_zero(b, n), n);
            break;
        case E_NOT:
            vn_not(b, n);
            break;
        case E_NEG:
            vn_neg(b, n);
            break;
        case E_TWO_COMP:
            vn_sext(a, (unsigned)b->w[0], n);
            sp--;
            break;
        case E_USAT:
        case E_SAT:
            vn_sat(a, (unsigned)b->w[0], in->op == E_SAT, n);
            sp--;
            break;
        case E_JZ:
            sp--;
            if (vn_is_zero(&stk[sp], n))
                pc = (int)in->a - 1;
            break;
        case E_JMP:
            pc = (int)in->a - 1;
            break;
        default:
            break;
        }
    }
    if (sp > 0) {
        memcpy(out->w, stk[sp - 1].w, nb);
        if (n < need)
            memset(&out->w[n], (int)(sign_fill(out, n) & 0xff),
                   (need - n) * sizeof out->w[0]);
    } else {
        out->w[0] = 0;
        if (need > 1)
            memset(&out->w[1], 0, (need - 1) * sizeof out->w[0]);
    }
}

void
expr_eval(const struct expr *e, struct exec_ctx *x, struct val *out)
{
    eval_need(e, x, out, VAL_W);
}

/* Whether narrow or wide expression e is true (non-zero). */
int
expr_true(const struct expr *e, struct exec_ctx *x)
{
    if (e->narrow)
        return exec_eval64(e, x) != 0;
    struct val v;
    expr_eval(e, x, &v);
    return !vn_is_zero(&v, (unsigned)e->nw);
}

void
exec_ref_val_n(struct exec_ctx *x, const struct ref *r, struct val *v,
               unsigned need)
{
    switch (r->kind) {
    case R_FIELD:
        phv_get(x->p, x->pk, r->id, v);
        break;
    case R_EXPR:
    case R_LVEXPR:
    case R_CONST:
        if (r->e && r->e->n == 1 && r->e->ins[0].op == E_PARAM && x->params) {
            unsigned k = MIN(r->e->ins[0].b, need);
            memcpy(v->w, x->params + r->e->ins[0].a, k * sizeof v->w[0]);
            if (k < need)
                memset(&v->w[k], 0, (need - k) * sizeof v->w[0]);
        } else if (r->e && r->e->n == 1 && r->e->ins[0].op == E_CONST) {
            memcpy(v->w, x->p->consts[r->e->ins[0].a].w, need * sizeof v->w[0]);
        } else if (r->e) {
            eval_need(r->e, x, v, need);
        } else {
            val_set_u64(v, (uint64_t)r->id);
        }
        break;
    default:
        val_set_u64(v, (uint64_t)r->id);
        break;
    }
}

void
exec_ref_val(struct exec_ctx *x, const struct ref *r, struct val *v)
{
    exec_ref_val_n(x, r, v, VAL_W);
}

uint64_t
exec_ref_u64(struct exec_ctx *x, const struct ref *r)
{
    /* the common cases without a whole struct val */
    if (r->kind == R_FIELD && !x->p->fields[r->id].wide &&
        !x->p->fields[r->id].is_signed)
        return x->pk->slots[x->p->fields[r->id].slot];
    if ((r->kind == R_EXPR || r->kind == R_CONST) && r->e) {
        const struct eins *in = &r->e->ins[0];
        if (r->e->n == 1 && in->op == E_CONST)
            return x->p->consts[in->a].w[0];
        if (r->e->n == 1 && in->op == E_PARAM)
            return x->params ? x->params[in->a] : 0;
        if (r->e->narrow)
            return exec_eval64(r->e, x);
    }
    struct val v;
    exec_ref_val(x, r, &v);
    return v.w[0];
}

/* Field id of an lvalue reference. */
int
exec_ref_field(struct exec_ctx *x, const struct ref *r)
{
    if (r->kind == R_FIELD)
        return r->id;
    if (r->kind == R_LVEXPR) {
        struct val v;
        expr_eval(r->e, x, &v);
        return (int)v.w[0];
    }
    return -1;
}

/* Header id of a header reference. */
int
exec_ref_header(struct exec_ctx *x, const struct ref *r)
{
    if (r->kind == R_HEADER)
        return r->id;
    if (r->kind == R_LVEXPR || r->kind == R_EXPR) {
        struct val v;
        expr_eval(r->e, x, &v);
        return (int)v.w[0];
    }
    return -1;
}

/* ---- headers --------------------------------------------------------------
 */

void
exec_phv_reset(const struct prog *p, struct pkt *pk)
{
    memcpy(pk->slots, p->phv_init, (size_t)p->n_slots * sizeof(uint64_t));
    memset(pk->snext, 0, (size_t)p->n_stacks + 1);
    memset(pk->vlen, 0, ((size_t)p->n_hdrs + 1) * sizeof(uint16_t));
}

void
exec_hdr_make_valid(const struct prog *p, struct pkt *pk, int h)
{
    const struct header *hd = &p->hdrs[h];
    if (hd->un >= 0) {
        const struct hunion *u = &p->unions[hd->un];
        for (int i = 0; i < u->n; i++)
            if (u->hdrs[i] != h)
                hdr_set_valid(p, pk, u->hdrs[i], 0);
    }
    hdr_set_valid(p, pk, h, 1);
}

void
exec_hdr_zero(const struct prog *p, struct pkt *pk, int h)
{
    const struct header *hd = &p->hdrs[h];
    for (int i = hd->first_field; i < hd->first_field + hd->n_fields; i++) {
        if (i == hd->valid_field)
            continue;
        const struct field *f = &p->fields[i];
        size_t nw = f->varbit ? (size_t)(f->width + 63) / 64 : f->nw;
        memset(&pk->slots[f->slot], 0, nw * sizeof pk->slots[0]);
    }
    pk->vlen[h] = 0;
}

void
exec_hdr_invalidate(const struct prog *p, struct pkt *pk, int h)
{
    const struct header *hd = &p->hdrs[h];
    hdr_set_valid(p, pk, h, 0);
    /* invalid headers read as zero in BMv2 after setInvalid+setValid? no:
     * fields keep their value; p4c never relies on it. */
    (void)hd;
}

void
exec_hdr_copy(const struct prog *p, struct pkt *pk, int dst, int src)
{
    const struct header *d = &p->hdrs[dst], *s = &p->hdrs[src];
    int n = MIN(d->n_fields, s->n_fields);
    for (int i = 0; i < n; i++) {
        const struct field *fd = &p->fields[d->first_field + i];
        const struct field *fs = &p->fields[s->first_field + i];
        if (fd->varbit && fs->varbit) {
            memcpy(&pk->slots[fd->slot], &pk->slots[fs->slot],
                   (size_t)(MIN(fd->width, fs->width) + 63) / 64 * 8);
            continue;
        }
        if (!fd->varbit && !fs->varbit && fd->width == fs->width) {
            /* the same type: the slots as they are */
            memcpy(&pk->slots[fd->slot], &pk->slots[fs->slot],
                   fd->nw * sizeof pk->slots[0]);
            continue;
        }
        struct val v;
        phv_get(p, pk, s->first_field + i, &v);
        phv_set(p, pk, d->first_field + i, &v);
    }
    pk->vlen[dst] = pk->vlen[src];
    /* a header of a union made valid invalidates its siblings */
    if (hdr_valid(p, pk, src))
        exec_hdr_make_valid(p, pk, dst);
    else
        hdr_set_valid(p, pk, dst, 0);
}

/* Reads 'bits' bits at bit offset 'off' of b, big-endian. */

/* Reads 'bits' (<= 57) bits at bit offset off; the 8 bytes from off/8 must be
 * readable (packet buffers and the scratch buffer have that slack). */
static inline uint64_t
get_bits64(const uint8_t *b, size_t off, unsigned bits)
{
    uint64_t x = load_be64(b + off / 8);
    return (x << (off % 8)) >> (64 - bits);
}

/* The 64 bits from bit pos, MSB first. Reads the 8 bytes from pos / 8 and,
 * when pos is not byte-aligned, the 9th: callers only ask for bits inside a
 * field or with the buffers' 8 bytes of slack behind them. */
static inline uint64_t
bits_at(const uint8_t *b, size_t pos)
{
    uint64_t x = load_be64(b + pos / 8);
    unsigned s = pos % 8;
    if (s)
        x = (x << s) | (uint64_t)(b[pos / 8 + 8] >> (8 - s));
    return x;
}

/* Writes the 64 bits of x at bit pos, MSB first, keeping the bits around. */
static inline void
put64_at(uint8_t *b, size_t pos, uint64_t x)
{
    uint8_t *q = b + pos / 8;
    unsigned s = pos % 8;
    if (!s) {
        store_be64(q, x);
        return;
    }
    uint64_t keep = ~(~UINT64_C(0) >> s);
    store_be64(q, (load_be64(q) & keep) | (x >> s));
    q[8] = (uint8_t)((q[8] & (0xff >> s)) | (uint8_t)(x << (8 - s)));
}

/* Writes the low 'bits' (1..56) bits of x at bit off: an 8-byte
 * read-modify-write from off / 8 (the buffers have 8 bytes of slack). */
static inline void
put_small(uint8_t *b, size_t off, unsigned bits, uint64_t x)
{
    uint8_t *q = b + off / 8;
    unsigned low = 64 - (unsigned)(off % 8) - bits; /* bits after the field */
    uint64_t m = ((UINT64_C(1) << bits) - 1) << low;
    store_be64(q, (load_be64(q) & ~m) | ((x << low) & m));
}

/* A field of 'bits' (> 64) bits at bit off into nw words (low word first),
 * 64 bits at a time from its end. */
static void
get_wide(const uint8_t *b, size_t off, unsigned bits, uint64_t *w, unsigned nw)
{
    size_t end = off + bits;
    unsigned i = 0;
    for (; (i + 1) * 64 <= bits && i < nw; i++)
        w[i] = bits_at(b, end - 64 * (i + 1));
    unsigned r = bits - 64 * i;
    if (r && i < nw) /* the top r bits: the field's first 64 bits, shifted */
        w[i++] = bits_at(b, off) >> (64 - r);
    for (; i < nw; i++)
        w[i] = 0;
}

/* The inverse: the low 'bits' (> 64) bits of w to bit off. */
static void
put_wide(uint8_t *b, size_t off, unsigned bits, const uint64_t *w)
{
    size_t end = off + bits;
    unsigned i = 0;
    for (; (i + 1) * 64 <= bits; i++)
        put64_at(b, end - 64 * (i + 1), w[i]);
    unsigned r = bits - 64 * i;
    if (r > 32) {
        put_small(b, off + r - 32, 32, w[i]);
        put_small(b, off, r - 32, w[i] >> 32);
    } else if (r) {
        put_small(b, off, r, w[i]);
    }
}

/* A field of up to 64 bits. */
static inline uint64_t
get_u64(const uint8_t *b, size_t off, unsigned bits)
{
    if (bits <= 56)
        return bits ? get_bits64(b, off, bits) : 0;
    return bits_at(b, off) >> (64 - bits);
}

static inline void
put_u64(uint8_t *b, size_t off, unsigned bits, uint64_t x)
{
    if (!bits)
        return;
    if (bits <= 56) {
        put_small(b, off, bits, x);
    } else {
        put_small(b, off + bits - 32, 32, x);
        put_small(b, off, bits - 32, x >> 32);
    }
}

static void
get_bits(const uint8_t *b, size_t off, unsigned bits, struct val *v)
{
    if (bits <= 64) {
        val_set_u64(v, get_u64(b, off, bits));
        return;
    }
    get_wide(b, off, MIN(bits, VAL_W * 64u), v->w, VAL_W);
}

static void
put_bits(uint8_t *b, size_t off, unsigned bits, const struct val *v)
{
    if (bits <= 64)
        put_u64(b, off, bits, v->w[0]);
    else
        put_wide(b, off, MIN(bits, VAL_W * 64u), v->w);
}

/* Appends fields MSB first to a byte-aligned output. */
struct bitw {
    uint8_t *p;
    uint64_t acc;
    unsigned n; /* bits in acc */
};

static inline void
bw_put(struct bitw *w, uint64_t v, unsigned bits)
{
    /* bits <= 56 (narrow fields only) */
    v &= (UINT64_C(1) << bits) - 1;
    w->acc = (w->acc << bits) | v;
    w->n += bits;
    while (w->n >= 8) {
        w->n -= 8;
        *w->p++ = (uint8_t)(w->acc >> w->n);
    }
}

/* Writes the bits left (padded with zeros to a byte). */
static inline void
bw_flush(struct bitw *w)
{
    if (w->n) {
        *w->p++ = (uint8_t)(w->acc << (8 - w->n));
        w->n = 0;
    }
}

static unsigned
hdr_bits(const struct prog *p, const struct pkt *pk, int h)
{
    return p->hdrs[h].fixed_bits + pk->vlen[h];
}

/* Extracts header h from data at bit offset off; varbits bits for a varbit. */
static void
extract_fields(const struct prog *p, struct pkt *pk, int h, const uint8_t *d,
               unsigned varbits)
{
    const struct header *hd = &p->hdrs[h];
    size_t off = 0;
    if (hd->widths) {
        uint64_t *base = pk->slots + p->fields[hd->first_field].slot;
        for (int i = 0; i < hd->n_fields; i++) {
            unsigned w = hd->widths[i];
            base[i] = w ? get_bits64(d, off, w) : 0;
            off += w;
        }
        pk->vlen[h] = 0;
        if (hd->un < 0)
            pk->slots[hd->valid_slot] = 1;
        else
            exec_hdr_make_valid(p, pk, h);
        return;
    }
    for (int i = 0; i < hd->n_fields; i++) {
        int f = hd->first_field + i;
        const struct field *fd = &p->fields[f];
        unsigned w = fd->varbit ? varbits : fd->width;
        if (fd->varbit) {
            uint8_t *dst = (uint8_t *)&pk->slots[fd->slot];
            if (off % 8)
                memset(dst, 0, (w + 7) / 8);
            else
                memcpy(dst, d + off / 8, (w + 7) / 8);
            off += w;
            continue;
        }
        if (!fd->wide)
            pk->slots[fd->slot] = get_u64(d, off, w);
        else
            get_wide(d, off, w, &pk->slots[fd->slot], fd->nw);
        off += w;
    }
    pk->vlen[h] = (uint16_t)varbits;
    exec_hdr_make_valid(p, pk, h);
}

/* Writes the top nb (1..8) bytes of acc to q, keeping the 8 - nb bytes after
 * them (q[0..8) must be addressable). */
static inline void
put_top(uint8_t *q, uint64_t acc, unsigned nb)
{
    uint64_t keep = nb >= 8 ? 0 : ~UINT64_C(0) >> (8 * nb);
    store_be64(q, (acc & ~keep) | (load_be64(q) & keep));
}

static void
emit_fields(const struct prog *p, const struct pkt *pk, int h, uint8_t *d)
{
    const struct header *hd = &p->hdrs[h];
    size_t off = 0;
    if (hd->widths) {
        /* fields go into a left-aligned 64-bit accumulator (PHV slots
         * always hold values within their width); whole bytes leave through
         * 8-byte read-modify-writes that keep the bytes after them (the
         * buffers have 8 bytes of slack) */
        const uint64_t *base = pk->slots + p->fields[hd->first_field].slot;
        uint8_t *q = d;
        uint64_t acc = 0;
        unsigned n = 0;
        for (int i = 0; i < hd->n_fields; i++) {
            unsigned w = hd->widths[i];
            if (n + w > 64) {
                unsigned nb = n / 8; /* 1..8 */
                put_top(q, acc, nb);
                q += nb;
                acc = nb >= 8 ? 0 : acc << (8 * nb);
                n -= 8 * nb;
            }
            if (w)
                acc |= base[i] << (64 - n - w);
            n += w;
        }
        if (n)
            put_top(q, acc, (n + 7) / 8);
        return;
    }
    for (int i = 0; i < hd->n_fields; i++) {
        int f = hd->first_field + i;
        const struct field *fd = &p->fields[f];
        unsigned w = fd->varbit ? pk->vlen[h] : fd->width;
        if (fd->varbit) {
            if (!(off % 8))
                memcpy(d + off / 8, &pk->slots[fd->slot], (w + 7) / 8);
            off += w;
            continue;
        }
        /* PHV slots hold values within their width */
        if (!fd->wide)
            put_u64(d, off, w, pk->slots[fd->slot]);
        else
            put_wide(d, off, w, &pk->slots[fd->slot]);
        off += w;
    }
}

/* ---- calculations ---------------------------------------------------------
 */

static uint16_t crc16_tab[256];
static uint32_t crc32_tab[256];
static uint16_t ccitt_tab[256];
static int tabs_ready;

static void
make_tabs(void)
{
    for (unsigned i = 0; i < 256; i++) {
        uint16_t c = (uint16_t)i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (uint16_t)((c >> 1) ^ 0xA001) : (uint16_t)(c >> 1);
        crc16_tab[i] = c;
        uint32_t d = i;
        for (int k = 0; k < 8; k++)
            d = (d & 1) ? (d >> 1) ^ 0xEDB88320u : d >> 1;
        crc32_tab[i] = d;
        uint16_t e = (uint16_t)(i << 8);
        for (int k = 0; k < 8; k++)
            e = (e & 0x8000) ? (uint16_t)((e << 1) ^ 0x1021)
                             : (uint16_t)(e << 1);
        ccitt_tab[i] = e;
    }
    tabs_ready = 1;
}

static uint64_t
reflect(uint64_t v, unsigned bits)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < bits; i++)
        if (v & (UINT64_C(1) << i))
            r |= UINT64_C(1) << (bits - 1 - i);
    return r;
}

/* A CRC with explicit parameters, bit by bit (custom CRCs only). */
static uint64_t
crc_custom(const struct sw_crc_params *cp, unsigned width, const uint8_t *b,
           size_t n)
{
    uint64_t top = UINT64_C(1) << (width - 1);
    uint64_t mask = (top << 1) - 1;
    uint64_t crc = cp->init & mask;
    for (size_t i = 0; i < n; i++) {
        uint64_t byte = cp->reflect_data ? reflect(b[i], 8) : b[i];
        crc ^= byte << (width - 8);
        for (int k = 0; k < 8; k++)
            crc = (crc & top) ? ((crc << 1) ^ cp->poly) & mask
                              : (crc << 1) & mask;
    }
    if (cp->reflect_remainder)
        crc = reflect(crc, width);
    return (crc ^ cp->xor_out) & mask;
}

static uint64_t
run_algo(struct sw *sw, enum algo a, const uint8_t *b, size_t n)
{
    if (!tabs_ready)
        make_tabs();
    switch (a) {
    case A_CRC16:
    case A_CRC16_CUSTOM: {
        uint16_t c = 0;
        for (size_t i = 0; i < n; i++)
            c = (uint16_t)((c >> 8) ^ crc16_tab[(c ^ b[i]) & 0xff]);
        return c;
    }
    case A_CRC32:
    case A_CRC32_CUSTOM: {
        uint32_t c = 0xffffffffu;
        for (size_t i = 0; i < n; i++)
            c = (c >> 8) ^ crc32_tab[(c ^ b[i]) & 0xff];
        return c ^ 0xffffffffu;
    }
    case A_CRCCCITT: {
        uint16_t c = 0xffff;
        for (size_t i = 0; i < n; i++)
            c = (uint16_t)((c << 8) ^ ccitt_tab[((c >> 8) ^ b[i]) & 0xff]);
        return c;
    }
    case A_CSUM16:
    case A_CSUM16_ALT: {
        uint64_t s = 0;
        size_t i = 0;
        for (; i + 1 < n; i += 2)
            s += (uint64_t)(b[i] << 8 | b[i + 1]);
        if (i < n)
            s += (uint64_t)b[i] << 8;
        while (s >> 16)
            s = (s & 0xffff) + (s >> 16);
        return (~s) & 0xffff;
    }
    case A_XOR16: {
        uint16_t s = 0;
        size_t i = 0;
        for (; i + 1 < n; i += 2)
            s ^= (uint16_t)(b[i] << 8 | b[i + 1]);
        if (i < n)
            s ^= (uint16_t)(b[i] << 8);
        return s;
    }
    case A_IDENTITY: {
        uint64_t r = 0;
        for (size_t i = 0; i < n && i < 8; i++)
            r = (r << 8) | b[i];
        return r;
    }
    case A_RANDOM:
        sw->rng = sw->rng * 1103515245u + 12345u;
        return sw->rng >> 1;
    case A_CRC8: {
        uint8_t c = 0;
        for (size_t i = 0; i < n; i++) {
            c ^= b[i];
            for (int k = 0; k < 8; k++)
                c = (c & 0x80) ? (uint8_t)((c << 1) ^ 0x07) : (uint8_t)(c << 1);
        }
        return c;
    }
    case A_CRC64: {
        uint64_t c = 0;
        for (size_t i = 0; i < n; i++) {
            c ^= (uint64_t)b[i] << 56;
            for (int k = 0; k < 8; k++)
                c = (c >> 63) ? (c << 1) ^ 0x42F0E1EBA9EA3693ULL : c << 1;
        }
        return c;
    }
    }
    return 0;
}

uint64_t
exec_calc(struct exec_ctx *x, int ci)
{
    const struct prog *p = x->p;
    const struct calc *c = &p->calcs[ci];
    struct sw *sw = x->sw;
    struct pkt *pk = x->pk;
    if (c->cshift) {
        /* ones' complement sum: a field contributes its value shifted to
         * its place in a 16-bit word, since 2^16 = 1 (mod 2^16 - 1) */
        uint64_t sum = 0;
        for (int i = 0; i < c->n_in; i++) {
            uint64_t t = pk->slots[c->nslots[i]] << c->cshift[i];
            sum += t;
            sum += sum < t; /* end-around carry: 2^64 = 1 as well */
        }
        while (sum >> 16)
            sum = (sum & 0xffff) + (sum >> 16);
        return (~sum) & 0xffff;
    }
    if (c->algo == A_CSUM16 && c->narrow_prefix == c->n_in) {
        /* ones' complement sum straight from the fields */
        uint64_t sum = 0, acc = 0;
        unsigned n = 0;
        for (int i = 0; i < c->n_in; i++) {
            uint64_t v = pk->slots[c->nslots[i]];
            unsigned w = c->nwidths[i];
            acc = (acc << w) | v;
            n += w;
            while (n >= 16) {
                n -= 16;
                sum += (acc >> n) & 0xffff;
            }
        }
        if (n)
            sum += (acc << (16 - n)) & 0xffff;
        while (sum >> 16)
            sum = (sum & 0xffff) + (sum >> 16);
        return (~sum) & 0xffff;
    }
    size_t need = 64;
    for (int i = 0; i < c->n_in; i++) {
        const struct calc_in *in = &c->in[i];
        if (in->kind == 0 && in->id >= 0)
            need += p->fields[in->id].width / 8 + 1;
        else if (in->kind == 1)
            need += (size_t)in->bits / 8 + 1;
        else if (in->kind == 2)
            need += pk->off + pk->len > pk->payload
                        ? pk->off + pk->len - pk->payload
                        : 0;
        else if (in->kind == 3)
            need += hdr_bits(p, pk, in->id) / 8 + 1;
    }
    if (need > sw->scratch_len) {
        sw->scratch = xrealloc(sw->scratch, need);
        sw->scratch_len = need;
    }
    uint8_t *b = sw->scratch;
    size_t off = 0; /* bits */
    int i = 0;
    if (c->narrow_prefix) {
        /* the leading run of narrow fields, through a bit writer */
        struct bitw bw = {b, 0, 0};
        for (; i < c->narrow_prefix; i++) {
            const struct field *fd = &p->fields[c->in[i].id];
            bw_put(&bw, pk->slots[fd->slot], fd->width);
            off += fd->width;
        }
        bw_flush(&bw);
        memset(bw.p, 0, need - (size_t)(bw.p - b));
    } else {
        memset(b, 0, need);
    }
    for (; i < c->n_in; i++) {
        const struct calc_in *in = &c->in[i];
        if (in->kind == 0) {
            if (in->id < 0)
                continue;
            const struct field *fd = &p->fields[in->id];
            unsigned w = fd->varbit ? pk->vlen[fd->hdr] : fd->width;
            if (fd->varbit) {
                if (!(off % 8))
                    memcpy(b + off / 8, &pk->slots[fd->slot], (w + 7) / 8);
                off += w;
                continue;
            }
            if (!fd->wide)
                put_u64(b, off, w, pk->slots[fd->slot]);
            else
                put_wide(b, off, w, &pk->slots[fd->slot]);
            off += w;
        } else if (in->kind == 1) {
            put_bits(b, off, (unsigned)in->bits, &in->v);
            off += (size_t)in->bits;
        } else if (in->kind == 2) {
            size_t end = pk->off + pk->len;
            if (end > pk->payload && !(off % 8)) {
                memcpy(b + off / 8, pk->buf + pk->payload, end - pk->payload);
                off += (end - pk->payload) * 8;
            }
        } else if (in->kind == 3) {
            if (hdr_valid(p, pk, in->id)) {
                emit_fields(p, pk, in->id, b + off / 8);
                off += hdr_bits(p, pk, in->id);
            }
        }
    }
    if (c->has_crc)
        return crc_custom(&c->crc, c->algo == A_CRC16_CUSTOM ? 16 : 32, b,
                          (off + 7) / 8);
    return run_algo(sw, c->algo, b, (off + 7) / 8);
}

/* ---- parser ---------------------------------------------------------------
 */

static void
set_parser_error(struct exec_ctx *x, int err)
{
    phv_set_u64(x->p, x->pk, x->p->sm.parser_error, (uint64_t)err);
}

void
exec_parse(struct exec_ctx *x)
{
    const struct prog *p = x->p;
    struct pkt *pk = x->pk;
    const uint8_t *d = pk->buf + pk->off;
    size_t len = pk->len, pos = 0; /* bytes */
    int st = p->parser.init, err = 0, steps = 0;
    while (st >= 0 && !err) {
        const struct pstate *s = &p->parser.states[st];
        TRACE(x, "Parser state '%s'", s->name);
        if (++steps > 10000) {
            err = p->err_parser_timeout;
            break;
        }
        for (int i = 0; i < s->n_ops && !err; i++) {
            const struct pop *op = &s->ops[i];
            switch (op->kind) {
            case P_EXTRACT:
            case P_EXTRACT_VL: {
                int h = -1;
                if (op->dst.kind == R_HEADER) {
                    h = op->dst.id;
                } else if (op->dst.kind == R_STACK ||
                           op->dst.kind == R_USTACK) {
                    const struct hstack *hs = &p->stacks[op->dst.id];
                    if (pk->snext[op->dst.id] >= hs->size) {
                        err = p->err_stack_oob;
                        break;
                    }
                    int el = hs->hdrs[pk->snext[op->dst.id]++];
                    h = op->dst.kind == R_STACK
                            ? el
                            : p->unions[el].hdrs[op->src2.id];
                }
                if (h < 0)
                    break;
                unsigned vb = 0;
                if (op->kind == P_EXTRACT_VL) {
                    vb = (unsigned)exec_ref_u64(x, &op->src);
                    int vf = p->hdrs[h].varbit_field;
                    if (vf < 0 || vb > p->fields[vf].width || vb % 8) {
                        err = p->err_hdr_too_short;
                        if (vf >= 0 && vb <= p->fields[vf].width)
                            err = p->err_invalid_arg;
                        break;
                    }
                }
                size_t nb = (p->hdrs[h].fixed_bits + vb + 7) / 8;
                if (pos + nb > len) {
                    err = p->err_too_short;
                    break;
                }
                extract_fields(p, pk, h, d + pos, vb);
                TRACE(x, "Extracting header '%s'", p->hdrs[h].name);
                pos += nb;
                break;
            }
            case P_SET: {
                int f = exec_ref_field(x, &op->dst);
                struct val v;
                if (op->src.kind == R_CONST && op->src2.kind == R_CONST) {
                    size_t bit = pos * 8 + (size_t)op->src.id;
                    unsigned w = (unsigned)op->src2.id;
                    if ((bit + w + 7) / 8 > len) {
                        err = p->err_too_short;
                        break;
                    }
                    get_bits(d, bit, w, &v);
                } else {
                    exec_ref_val(x, &op->src, &v);
                }
                if (f >= 0)
                    phv_set(p, pk, f, &v);
                break;
            }
            case P_VERIFY:
                if (!exec_ref_u64(x, &op->src))
                    err = (int)exec_ref_u64(x, &op->src2);
                if (err == 0 && !exec_ref_u64(x, &op->src))
                    err = -1; /* "NoError" raised: stop parsing, no error */
                break;
            case P_ADVANCE: {
                uint64_t bits = exec_ref_u64(x, &op->src);
                if (op->src2.kind == R_CONST)
                    bits *= 8;
                if (pos + bits / 8 > len) {
                    err = p->err_too_short;
                    break;
                }
                pos += bits / 8;
                break;
            }
            case P_PRIM: {
                int pc = 0;
                exec_prim(x, &op->prim, &pc);
                break;
            }
            }
        }
        if (err)
            break;
        /* transition */
        if (s->nokey_next != -2) {
            st = s->nokey_next;
            continue;
        }
        if (s->k64_slot >= 0) {
            uint64_t v = pk->slots[s->k64_slot];
            int next = -2;
            for (int t = 0; t < s->n_trans && next == -2; t++) {
                const struct transition *tr = &s->trans[t];
                if (tr->kind == 1 ||
                    (tr->kind == 0 && (v & tr->mask64) == tr->value64))
                    next = tr->next;
                else if (tr->kind == 2)
                    break; /* value sets: the byte path below */
            }
            if (next != -2) {
                st = next;
                continue;
            }
        }
        uint8_t key[VAL_W * 8 * 4];
        int kb = 0;
        for (int k = 0; k < s->n_keys; k++) {
            const struct tkey *tk = &s->keys[k];
            struct val v;
            int nb = (tk->bits + 7) / 8;
            switch (tk->kind) {
            case K_FIELD:
                if (!p->fields[tk->a].wide && nb <= 8 &&
                    kb + nb <= (int)sizeof key) {
                    uint64_t u = pk->slots[p->fields[tk->a].slot];
                    for (int i = nb - 1; i >= 0; i--) {
                        key[kb + i] = (uint8_t)u;
                        u >>= 8;
                    }
                    kb += nb;
                    continue;
                }
                phv_get(p, pk, tk->a, &v);
                break;
            case K_STACK_FIELD: {
                int idx = pk->snext[tk->a] ? pk->snext[tk->a] - 1 : 0;
                int h = p->stacks[tk->a].hdrs[idx];
                phv_get(p, pk, p->hdrs[h].first_field + tk->c, &v);
                break;
            }
            case K_USTACK_FIELD: {
                int idx = pk->snext[tk->a] ? pk->snext[tk->a] - 1 : 0;
                int u = p->stacks[tk->a].hdrs[idx];
                int h = p->unions[u].hdrs[tk->b];
                phv_get(p, pk, p->hdrs[h].first_field + tk->c, &v);
                break;
            }
            case K_LOOKAHEAD: {
                size_t bit = pos * 8 + (size_t)tk->offset;
                if ((bit + (size_t)tk->bits + 7) / 8 > len) {
                    err = p->err_too_short;
                    memset(&v, 0, sizeof v);
                } else {
                    get_bits(d, bit, (unsigned)tk->bits, &v);
                }
                break;
            }
            }
            if (kb + nb <= (int)sizeof key)
                val_to_bytes(&v, key + kb, (size_t)nb);
            kb += nb;
        }
        if (err)
            break;
        int next = -2;
        for (int t = 0; t < s->n_trans && next == -2; t++) {
            const struct transition *tr = &s->trans[t];
            if (tr->kind == 1) {
                next = tr->next;
            } else if (tr->kind == 0) {
                int ok = 1;
                for (int i = 0; i < s->key_bytes && ok; i++)
                    ok = (key[i] & tr->mask[i]) == (tr->value[i] & tr->mask[i]);
                if (ok)
                    next = tr->next;
            } else {
                const struct pvs *vs = &p->pvss[tr->vset];
                for (int e = 0; e < vs->n && next == -2; e++) {
                    const uint8_t *vv =
                        vs->vals + (size_t)e * (size_t)vs->bytes;
                    const uint8_t *vm =
                        vs->masks + (size_t)e * (size_t)vs->bytes;
                    int ok = vs->bytes == s->key_bytes;
                    for (int i = 0; i < vs->bytes && ok; i++)
                        ok = (key[i] & vm[i]) == (vv[i] & vm[i]);
                    if (ok)
                        next = tr->next;
                }
            }
        }
        if (next == -2) {
            err = p->err_no_match;
            break;
        }
        st = next;
    }
    if (err > 0) {
        TRACE(x, "Parser error %d", err);
        set_parser_error(x, err);
    }
    pk->payload = pk->off + (uint32_t)pos;
    /* checksum verification, unless nothing reads checksum_error */
    if (!err && p->verify_needed) {
        for (int i = 0; i < p->n_cksums; i++) {
            const struct checksum *c = &p->cksums[i];
            if (!c->verify || c->target < 0 || c->calc < 0)
                continue;
            if (c->cond) {
                if (!expr_true(c->cond, x))
                    continue;
            } else if (!hdr_valid(p, pk, p->fields[c->target].hdr)) {
                continue;
            }
            uint64_t h = exec_calc(x, c->calc);
            const struct field *tf = &p->fields[c->target];
            if (tf->width < 64)
                h &= (UINT64_C(1) << tf->width) - 1;
            if (h != phv_u64(p, pk, c->target)) {
                TRACE(x, "Checksum '%s' verification failed", c->name);
                phv_set_u64(p, pk, p->sm.checksum_error, 1);
            }
        }
    }
}

/* ---- deparser -------------------------------------------------------------
 */

void
exec_deparse(struct exec_ctx *x)
{
    const struct prog *p = x->p;
    struct pkt *pk = x->pk;
    for (int i = 0; i < p->n_cksums; i++) {
        const struct checksum *c = &p->cksums[i];
        if (!c->update || c->target < 0 || c->calc < 0)
            continue;
        if (c->cond) {
            if (!expr_true(c->cond, x))
                continue;
        } else if (!hdr_valid(p, pk, p->fields[c->target].hdr)) {
            continue;
        }
        phv_set_u64(p, pk, c->target, exec_calc(x, c->calc));
    }
    /* the deparser's own primitives (BMv2's method calls in a deparser,
     * e.g. log_msg), after the checksums, before the headers go out */
    for (int i = 0; i < p->deparser.n_prims; i++) {
        int pc = i;
        exec_prim(x, &p->deparser.prims[i], &pc);
    }
    size_t hl = 0;
    for (int i = 0; i < p->deparser.n; i++) {
        int h = p->deparser.hdrs[i];
        if (hdr_valid(p, pk, h))
            hl += hdr_bits(p, pk, h) / 8;
    }
    size_t end = pk->off + pk->len;
    size_t plen = end > pk->payload ? end - pk->payload : 0;
    if (hl > pk->payload) {
        /* not enough headroom: move the payload */
        size_t np = hl + 64;
        if (np + plen > BUF_SIZE)
            plen = BUF_SIZE - np;
        memmove(pk->buf + np, pk->buf + pk->payload, plen);
        pk->payload = (uint32_t)np;
    }
    uint8_t *w = pk->buf + pk->payload - hl;
    pk->off = (uint32_t)(pk->payload - hl);
    pk->len = (uint32_t)(hl + plen);
    for (int i = 0; i < p->deparser.n; i++) {
        int h = p->deparser.hdrs[i];
        if (!hdr_valid(p, pk, h))
            continue;
        emit_fields(p, pk, h, w);
        w += hdr_bits(p, pk, h) / 8;
    }
    pk->payload = pk->off; /* the whole packet is payload now */
    TRACE(x, "Deparser: %u bytes", pk->len);
}
