/* load_int.h - what the loader's files (load.c, load_act.c, load_pipe.c)
 * share: the loading context and its helpers. Not for the rest of the switch.
 */
#ifndef FOP4_LOAD_INT_H
#define FOP4_LOAD_INT_H

#include <jansson.h>

#include "switch/sw_int.h"

struct ld {
    struct prog *p;
    struct err *e;
    char path[512];
    int failed;
    size_t saved[32];
    int depth;
    const struct action *cur_action; /* while loading its primitives */
    /* consts growth */
    int cap_consts;
};

/* The JSON path of the element being loaded, for messages: ld_push appends a
 * component, ld_pop removes the last one. */
void ld_push(struct ld *ld, const char *fmt, ...) PRINTF_FMT(2, 3);
void ld_pop(struct ld *ld);
/* Sets the first error "<file>: <path>: <message>"; returns -EINVAL. */
int ld_err(struct ld *ld, const char *fmt, ...) PRINTF_FMT(2, 3);

/* JSON access; the ld_j* with ld report missing/mistyped members. */
json_t *ld_jget(json_t *o, const char *k);
const char *ld_jstr(struct ld *ld, json_t *o, const char *k);
long long ld_jint(struct ld *ld, json_t *o, const char *k, long long dflt,
                  int required);
json_t *ld_jarr(struct ld *ld, json_t *o, const char *k, int required);

/* Names: "<kind>:<name>" -> index. */
void ld_name_put(struct prog *p, const char *kind, const char *name, int idx);
int ld_name_get(const struct prog *p, const char *kind, const char *name);
/* ["hdr", "field"] -> field id, or -1 with the error set. */
int ld_field_ref(struct ld *ld, json_t *v);
/* Compiles a BMv2 expression; NULL with the error set. */
struct expr *ld_compile_expr(struct ld *ld, json_t *n);
int ld_add_const(struct prog *p, struct ld *ld, const struct val *v);
/* The parameter of action a whose arguments start at word off, or -1. */
int ld_param_at(const struct action *a, uint32_t off);
/* Hash algorithm by BMv2 name; -1 if unknown. */
int ld_algo(const char *name, enum algo *out);

/* load_act.c */
void ld_arrays(struct ld *ld, json_t *root);
void ld_calcs(struct ld *ld, json_t *root);
void ld_checksums(struct ld *ld, json_t *root);
void ld_actions(struct ld *ld, json_t *root);
void ld_prim(struct ld *ld, json_t *o, struct prim *pr);
void ld_free_prim(struct prim *pr);
void ld_free_ref(struct ref *r);
void ld_parser(struct ld *ld, json_t *root);
void ld_deparser(struct ld *ld, json_t *root);

/* load_pipe.c */
void ld_pipelines(struct ld *ld, json_t *root);

#endif
