/* bmv2.h - the BMv2 back end: lowering a checked program to BMv2 JSON
 * (json.c, the simple_switch input format of BMv2's docs/JSON_format.md) and
 * P4Info (p4info.c, as p4c writes it). */
#ifndef FOP4_COMPILER_BMV2_H
#define FOP4_COMPILER_BMV2_H

#include <stdio.h>

#include "compiler/compiler.h"

enum { P4INFO_TEXT, P4INFO_JSON, P4INFO_BINARY };

/* Lowers c->program (checked) for BMv2: finds the V1Switch instance, flattens
 * headers and metadata, builds parsers, pipelines, actions and tables. Errors
 * for constructs the back end cannot map are reported through c. Returns 0 or
 * -1. The result lives in c (freed by cc_destroy). */
int bmv2_lower(struct cc *c);
/* Writes the BMv2 JSON of the lowered program to f. Returns 0 or -1. */
int bmv2_emit_json(struct cc *c, FILE *f);
/* Writes the P4Info of the lowered program to f in format fmt (P4INFO_*).
 * Returns 0 or -1. */
int p4info_emit(struct cc *c, FILE *f, int fmt);

#endif
