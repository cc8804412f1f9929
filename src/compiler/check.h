/* check.h - name resolution, types and compile-time evaluation of a parsed
 * program (check.c).
 *
 * After cc_check() every name in the program points at its declaration
 * (node->decl) and every expression carries its type (node->type). Types are
 * AST nodes in canonical form: N_TBIT (width, F_SIGNED), N_TVARBIT (width),
 * N_TINT, N_TBOOL, N_TERROR, N_TSTRING, N_TVOID, N_TMATCH_KIND, N_TTUPLE
 * (targs), N_TSTACK (a: element, width: size), or the declaration itself for
 * named types (N_HEADER, N_STRUCT, N_HUNION, N_ENUM, N_EXTERN, N_PARSER,
 * N_CONTROL, N_PACKAGE, N_TABLE...). A type variable of a generic stays an
 * N_TNAME whose decl is the type parameter. */
#ifndef FOP4_COMPILER_CHECK_H
#define FOP4_COMPILER_CHECK_H

#include "compiler/compiler.h"

/* Resolves names, computes expression types and reports what is not valid
 * P4_16 for v1model. Returns 0, or -1 when errors were reported. */
int cc_check(struct cc *c);

/* Returns the canonical form of a type node (typedefs followed, names
 * resolved, widths evaluated); NULL if t is NULL. */
struct node *check_canon(struct cc *c, struct node *t);

/* Evaluates a compile-time constant expression; returns 1 and the value in *v
 * (two's complement in 128 bits), or 0 if e is not constant. */
int check_eval(struct cc *c, struct node *e, unsigned __int128 *v);

/* The width in bits of a fixed-width type (bit, int, bool: 1, enum with an
 * underlying type, error: 32...); 0 for other types. */
int check_width(struct node *t);

#endif
