/* p4info_int.h - private to the P4Info writer: what p4info.c (entities,
 * ids, names) asks of p4info_types.c (what P4Info says about the program's
 * types: type_info, type names, @pkginfo). */
#ifndef FOP4_COMPILER_BMV2_P4INFO_INT_H
#define FOP4_COMPILER_BMV2_P4INFO_INT_H

#include "compiler/bmv2/lower.h"
#include "compiler/bmv2/p4info_msg.h"

/* Does p4c's P4Info of this program carry a type_info message (even an
 * empty one)? p4c creates it when it looks at a table, an extern instance
 * or an extern function call in a control. */
int p4info_has_type_info(struct bm *b);

/* Adds pkg_info to root from the main package instance's @pkginfo and
 * @platform_property (p4c's keys) and other annotations. Returns 0 when the
 * program has no main instance (p4c then writes an empty P4Info). */
int p4info_pkg_info(struct bm *b, struct p4msg *root);

/* Adds annotation a (an N_ANNOT) to message m as p4c does: a structured
 * annotation (@name[...]) under structured_annotations, any other as the
 * string "@name(body)" under annotations. */
void p4info_annotation(struct p4msg *m, struct node *a);

#endif
