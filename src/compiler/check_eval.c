/* check_eval.c - compile-time evaluation of constant expressions
 * (check_int.h, check.h's check_eval).
 *
 * Values are two's complement in 128 bits and are truncated to the width of
 * the expression's type (set by check_expr.c), so constants fold as the
 * switch would compute them. Used for widths, stack sizes, indexes, slices,
 * enum values, select and entry keysets, and by the back end. */
#include "compiler/check_int.h"

#include <string.h>

static int eval_at(struct ck *k, struct node *e, unsigned __int128 *v);

static unsigned __int128
mask_to(unsigned __int128 v, int w)
{
    if (w <= 0 || w >= 128)
        return v;
    return v & (((unsigned __int128)1 << w) - 1);
}

int
ck_eval(struct ck *k, struct node *e, unsigned __int128 *v)
{
    if (!e)
        return 0;
    if (k->eval_depth >= 200) {
        /* constants defined in terms of each other (enum members) */
        if (!k->eval_loop)
            cc_error(k->c, e->loc,
                     "this constant is defined in terms of itself");
        k->eval_loop = 1;
        return 0;
    }
    k->eval_depth++;
    int r = eval_at(k, e, v);
    k->eval_depth--;
    return r;
}

static int
eval_at(struct ck *k, struct node *e, unsigned __int128 *v)
{
    unsigned __int128 a, b;
    int w = ck_is_bits(e->type) ? e->type->width : 0;
    switch (e->kind) {
    case N_INT:
        *v = e->ival;
        return 1;
    case N_BOOL:
        *v = e->ival;
        return 1;
    case N_NAME:
        if (e->decl && e->decl->kind == N_CONST && e->decl->b &&
            e->decl->b != e)
            return ck_eval(k, e->decl->b, v);
        return 0;
    case N_MEMBER:
        if (e->decl && e->decl->kind == N_ENUM_MEMBER && e->decl->b) {
            if (!ck_eval(k, e->decl->b, v))
                return 0;
            return 1;
        }
        return 0;
    case N_CAST:
        if (!ck_eval(k, e->b, v))
            return 0;
        if (ck_is_bits(e->type))
            *v = mask_to(*v, e->type->width);
        if (e->type && e->type->kind == N_TBOOL)
            *v = *v != 0;
        return 1;
    case N_UNOP:
        if (!ck_eval(k, e->a, &a))
            return 0;
        if (!strcmp(e->op, "-"))
            *v = mask_to(-a, w);
        else if (!strcmp(e->op, "~"))
            *v = mask_to(~a, w);
        else if (!strcmp(e->op, "!"))
            *v = !a;
        else
            *v = a;
        return 1;
    case N_BINOP: {
        if (!ck_eval(k, e->a, &a) || !ck_eval(k, e->b, &b))
            return 0;
        const char *op = e->op;
        struct node *lt = e->a->type;
        if (lt && lt->kind == N_TBIT && (lt->flags & F_SIGNED) &&
            lt->width > 0 && lt->width < 128) {
            /* signed operands: compare and shift as two's complement */
            int sw = lt->width;
            __int128 sa = (__int128)(a << (128 - sw)) >> (128 - sw);
            __int128 sb = (__int128)(b << (128 - sw)) >> (128 - sw);
            int done = 1;
            if (!strcmp(op, "<"))
                *v = sa < sb;
            else if (!strcmp(op, ">"))
                *v = sa > sb;
            else if (!strcmp(op, "<="))
                *v = sa <= sb;
            else if (!strcmp(op, ">="))
                *v = sa >= sb;
            else if (!strcmp(op, ">>"))
                *v = mask_to((unsigned __int128)(b >= 128 ? (sa < 0 ? -1 : 0)
                                                          : sa >> (int)b),
                             sw);
            else
                done = 0;
            if (done)
                return 1;
        }
        if (!strcmp(op, "+"))
            *v = a + b;
        else if (!strcmp(op, "-"))
            *v = a - b;
        else if (!strcmp(op, "*"))
            *v = a * b;
        else if (!strcmp(op, "/") || !strcmp(op, "%")) {
            if (!b) {
                cc_error(k->c, e->loc, "division by zero");
                return 0;
            }
            *v = op[0] == '/' ? a / b : a % b;
        } else if (!strcmp(op, "&"))
            *v = a & b;
        else if (!strcmp(op, "|"))
            *v = a | b;
        else if (!strcmp(op, "^"))
            *v = a ^ b;
        else if (!strcmp(op, "<<"))
            *v = b >= 128 ? 0 : a << (int)b;
        else if (!strcmp(op, ">>"))
            *v = b >= 128 ? 0 : a >> (int)b;
        else if (!strcmp(op, "=="))
            *v = a == b;
        else if (!strcmp(op, "!="))
            *v = a != b;
        else if (!strcmp(op, "<"))
            *v = a < b;
        else if (!strcmp(op, ">"))
            *v = a > b;
        else if (!strcmp(op, "<="))
            *v = a <= b;
        else if (!strcmp(op, ">="))
            *v = a >= b;
        else if (!strcmp(op, "&&"))
            *v = a && b;
        else if (!strcmp(op, "||"))
            *v = a || b;
        else if (!strcmp(op, "++")) {
            int wb = ck_is_bits(e->b->type) ? e->b->type->width : 0;
            *v = wb >= 128 ? b : (a << wb) | b;
        } else
            return 0;
        if (w && strcmp(op, "==") && strcmp(op, "!="))
            *v = mask_to(*v, w);
        return 1;
    }
    case N_TERNARY:
        if (!ck_eval(k, e->a, &a))
            return 0;
        return ck_eval(k, a ? e->b : e->c, v);
    case N_SLICE:
        if (!ck_eval(k, e->a, &a) || !ck_eval(k, e->b, &b))
            return 0;
        {
            unsigned __int128 lo;
            if (!ck_eval(k, e->c, &lo))
                return 0;
            *v = mask_to(a >> (int)(lo & 127), (int)(b - lo + 1));
        }
        return 1;
    default:
        return 0;
    }
}

int
check_eval(struct cc *c, struct node *e, unsigned __int128 *v)
{
    struct ck k = {0};
    k.c = c;
    k.A = &c->arena;
    return ck_eval(&k, e, v);
}
