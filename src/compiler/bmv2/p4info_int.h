/* p4info_int.h - private to the P4Info writer: what p4info.c (entities,
 * ids, names) asks of p4info_types.c (what P4Info says about the program's
 * types: type_info, type names, controller headers) and p4info_annot.c
 * (annotations, documentation, pkg_info). */
#ifndef FOP4_COMPILER_BMV2_P4INFO_INT_H
#define FOP4_COMPILER_BMV2_P4INFO_INT_H

#include "compiler/bmv2/lower.h"
#include "compiler/bmv2/p4info_msg.h"

/* Does p4c's P4Info of this program carry a type_info message (even an
 * empty one)? p4c creates it when it looks at a table, an extern instance
 * or an extern function call in a control. */
int p4info_has_type_info(struct bm *b);

/* p4info_annot.c: annotations may name top-level constants of program. */
void p4info_annot_begin(struct node *program);

/* Is annotation name one P4Info never repeats as an annotation (it names,
 * hides, numbers or documents the object)? */
int p4info_meta_annotation(const char *name);

/* The controller-side width of @p4runtime_translation tr ("uri", W):
 * W given as an integer or bit<W>; 0 for string. */
int p4info_translation_width(struct node *tr);

/* Adds pkg_info to root from the main package instance's @pkginfo and
 * @platform_property (p4c's keys) and other annotations. Returns 0 when the
 * program has no main instance (p4c then writes an empty P4Info). */
int p4info_pkg_info(struct bm *b, struct p4msg *root);

/* Adds annotation a (an N_ANNOT) to message m as p4c does: a structured
 * annotation (@name[...]) under structured_annotations, any other as the
 * string "@name(body)" under annotations. */
void p4info_annotation(struct p4msg *m, struct node *a);

/* Adds controller_packet_metadata for each header type annotated
 * @controller_header("name"), in declaration order. */
void p4info_controller_headers(struct bm *b, struct p4msg *root);

/* When a value set's element type elem is a struct, adds one match field
 * per struct field (named, with its @match kind, EXACT by default) to vs
 * and returns 1; else 0. */
int p4info_value_set_fields(struct p4msg *vs, struct node *elem);

/* Adds doc { brief, description } to m from d's @brief("...") and
 * @description("..."), when it has either. */
void p4info_doc(struct p4msg *m, struct node *d);

/* The named types P4Info refers to are gathered while the message is built
 * and listed in type_info at the end: begin before building, end after. */
void p4info_types_begin(struct bm *b);
void p4info_types_end(void);

/* If the declared type t (a type node as written) is, through typedefs, a
 * 'type' declaration, sets *name to its name and, when it carries
 * @p4runtime_translation with a width, *width to that width; returns 1.
 * p4info_expr_type_name does the same for the type of expression e. */
int p4info_type_name(struct node *t, const char **name, int *width);
int p4info_expr_type_name(struct node *e, const char **name, int *width);

/* Registers the named types of type t (as p4c's type spec conversion of an
 * action parameter or a controller header field does). */
void p4info_type_register(struct node *t);

/* Registers the named types of expression e's type (as p4c's type spec
 * conversion of a match key does). */
void p4info_expr_register(struct node *e);

/* Fills spec (a P4DataTypeSpec) for type t, registering named types. */
void p4info_type_spec(struct p4msg *spec, struct node *t);

/* Adds type_info to root when p4c would: the registered types, sorted by
 * name within each map, and the error type's members when referred to. */
void p4info_type_info(struct bm *b, struct p4msg *root);

#endif
