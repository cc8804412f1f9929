/* check.h - name resolution and checks of a parsed program (check.c). */
#ifndef FOP4_COMPILER_CHECK_H
#define FOP4_COMPILER_CHECK_H

#include "compiler/compiler.h"

/* Resolves names (node->decl), computes expression types (node->type) and
 * reports what is not valid P4_16 for v1model. Returns 0, or -1 when errors were
 * reported. */
int cc_check(struct cc *c);

#endif
