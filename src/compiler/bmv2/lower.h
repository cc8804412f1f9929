/* lower.h - the state shared by the BMv2 back end's files: lower.c (program
 * structure: headers and metadata, pipelines, checksums, deparser, the JSON
 * output), parser.c (parse states), table.c (tables), expr.c (expressions
 * and action primitives) and p4info.c (P4Info). */
#ifndef FOP4_COMPILER_BMV2_LOWER_H
#define FOP4_COMPILER_BMV2_LOWER_H

#include <jansson.h>

#include "compiler/bmv2/bmv2.h"
#include "lib/hmap.h"
#include "lib/vec.h"

/* Where a value of the program lives in BMv2: a header instance, a field (of a
 * header or of the "scalars" metadata header), a header stack, a struct of
 * such locations, a runtime action parameter or a constant. */
enum bind_kind { B_HEADER, B_FIELD, B_STACK, B_STRUCT, B_RUNTIME, B_EXPR };

struct binding {
    enum bind_kind kind;
    struct node *type; /* the P4 type (canonical) */
    const char *hname; /* B_HEADER, B_FIELD: header instance; B_STACK: stack */
    const char *field; /* B_FIELD */
    int width;         /* B_FIELD: bits */
    int is_bool;       /* B_FIELD holding a bool (a 1-bit field) */
    int index;         /* B_RUNTIME: parameter index; B_HEADER: >= 0 a
                          header, -1 stack.next, -2 stack.last, -3 a stack
                          element picked at run time, -4 member "field" of
                          the next element of a stack of unions */
    int size;          /* B_STACK: number of elements */
    struct hmap members;    /* B_STRUCT: field name -> struct binding * */
    struct nlist order;     /* B_STRUCT: the field declarations in order */
    struct node *expr;      /* B_EXPR: an expression of the caller (inlining) */
    json_t *dyn_index;      /* B_HEADER/B_FIELD of a stack element picked at run
                               time: the index expression (owned by the arena's
                               JSON list b->dyn_json); hname is the stack */
    int field_index;        /* B_FIELD with dyn_index: the field's position */
    int union_member;       /* B_HEADER/B_FIELD of u[i].h, u a stack of
                               unions and i known at run time: h's position
                               in the union + 1 (else 0) */
    struct binding **elems; /* B_STACK of header unions: each element */
    struct frame *expr_frame;
};

/* Inlining: parameters of an inlined action/function/control bound to
 * bindings of the caller. */
struct frame {
    struct frame *up;
    struct node **params;
    struct binding **binds;
    int n;
    const char *prefix; /* name prefix of tables/actions (control instances) */
};

/* One P4Info-visible object. */
struct p4i_obj {
    const char *name; /* fully qualified, e.g. "MyIngress.ipv4_lpm" */
    struct node *decl;
    unsigned id;
    json_t *json; /* the BMv2 JSON object of the same thing */
};

struct bm {
    struct cc *c;
    struct arena *A;
    json_t *root;
    json_t *header_types, *headers, *header_stacks, *header_union_types,
        *header_unions, *field_lists, *errors, *enums, *parsers, *parse_vsets,
        *deparsers, *meter_arrays, *counter_arrays, *register_arrays,
        *calculations, *learn_lists, *actions, *pipelines, *checksums,
        *extern_instances, *field_aliases;
    json_t *scalar_fields; /* fields of the scalars_0 header type */
    int scalar_bits;
    struct hmap htypes; /* header type name -> (void *)(id + 1) */
    struct hmap names;  /* every generated global name, for uniqueness */
    int next_header_id, next_action_id, next_node, next_calc, next_tmp;
    int next_table_id, next_cond_id, next_field_list;
    struct frame *frame;
    const char *prefix;   /* current control's name prefix */
    struct node *control; /* control or parser being lowered */
    json_t *cur_pipeline; /* tables/conditionals/action_profiles go here */
    json_t *cur_ops;      /* parser ops or action primitives being built */
    int in_parser;
    int in_action;          /* lowering the body of a table's action */
    struct node *sm_type;   /* standard_metadata_t */
    struct hmap meter_json; /* direct meter name -> its meter_arrays object */
    struct hmap sources;    /* file name -> its text (source fragments) */
    struct hmap action_ids; /* qualified action name -> (void *)(id + 1) */
    struct hmap table_json; /* qualified table name -> its JSON */
    struct hmap table_pre;  /* table name -> struct nlist of key assignments */
    struct hmap table_sites; /* table name -> its "_site" scalar (applied at
                                several places, control.c) */
    struct node *noaction;  /* core.p4's NoAction */
    struct node *blocks[6]; /* the V1Switch blocks, in pipeline order */
    json_t *extra_json;     /* P4Info-only objects */
    json_t *dyn_json;       /* keeps dyn_index expressions alive */
    VEC(struct binding *) struct_binds; /* B_STRUCT bindings (own a hmap) */
    const char *ret_next; /* where "return" in an apply block goes */
    /* P4Info */
    VEC(struct p4i_obj)
    p4_tables, p4_actions, p4_counters, p4_dcounters, p4_meters, p4_dmeters,
        p4_registers, p4_digests, p4_vsets, p4_profiles;
};

/* lower.c */
/* A lowered action: its BMv2 id and name (fully qualified). */
struct action_info {
    int id;
    const char *name;
    struct node *decl;
    json_t *json;
};
/* Lowers action a (once per qualified name) and lists it in P4Info. */
struct action_info *lower_action(struct bm *b, struct node *a,
                                 struct node *bound_call);
/* Lists an action called directly from an apply block in P4Info, as p4c
 * does, without a BMv2 action of its own. */
void bm_p4info_action(struct bm *b, struct node *a);
const char *bm_unique(struct bm *b, const char *base);
struct binding *bm_bind(struct bm *b, struct node *type, const char *name,
                        int hdr_root);
json_t *bm_source_info(struct bm *b, struct node *n);

/* Small helpers of lower.c: a {"type","value"} operand, a mask of w ones,
 * a new field of the scalars header, the fully qualified name p4c gives a
 * declaration, the string of an annotation (@name("x")), an expression as
 * p4c prints it in key names. */
json_t *bm_typed(const char *type, json_t *value);
unsigned __int128 bm_ones(int w);
struct binding *bm_scalar_field(struct bm *b, const char *name,
                                struct node *type);
const char *bm_qualified(struct bm *b, struct node *d);
struct strbuf;
const char *bm_annot_string(struct node *n, const char *annot);
void bm_expr_text(struct bm *b, struct node *e, struct strbuf *sb);

/* control.c */
/* Lowers control ctl into a new pipeline called name (ingress, egress). */
void bm_lower_pipeline(struct bm *b, const char *name, struct node *ctl);
/* A next node name or JSON null. */
json_t *bm_next_json(const char *next);
/* A new table node in the current pipeline. */
json_t *bm_new_table(struct bm *b, const char *name, struct node *at);
/* Declares the locals of a control or parser (variables, extern instances),
 * or one extern instance. */
void bm_control_locals(struct bm *b, struct node *ctl);
/* The instance given for constructor parameter param of an inlined
 * control (an extern or control instance), or NULL. */
struct node *bm_ctor_instance(struct bm *b, struct node *param);
void bm_declare_instance(struct bm *b, struct node *inst);
/* Is t an extern type of the program's own (not of core.p4/v1model.p4)? */
int bm_user_extern(struct node *t);

/* table.c: the JSON of table t named name (created once; the caller links
 * it into the graph). */
json_t *bm_lower_table(struct bm *b, struct node *t, const char *name);

/* parser.c: the V1Switch parser p into b->parsers. */
void bm_lower_parser(struct bm *b, struct node *p);

/* expr.c */
/* The binding an lvalue-like expression refers to, or NULL (reported). */
struct binding *bm_ref(struct bm *b, struct node *e);
/* The BMv2 JSON of an expression as a primitive/parser operand. */
json_t *bm_expr(struct bm *b, struct node *e);
/* The same, converted to a boolean (for conditions). */
json_t *bm_bool_expr(struct bm *b, struct node *e);
/* The same as BMv2 data (booleans converted with b2d). */
json_t *bm_data_expr(struct bm *b, struct node *e);
/* A field operand {"type":"field","value":[h,f]} (or the expression that
 * reaches a field of a stack element picked at run time). */
json_t *bm_field_json(const struct binding *f);
/* A header operand: {"type":"header"}, or the expression that reaches a
 * stack element picked at run time, stack.last, or u[i].h. */
json_t *bm_header_json(const struct binding *h);
json_t *bm_hexstr(unsigned __int128 v);
/* An expression node {"type":"expression","value":{op,left,right}} (takes
 * ownership of l and r, either may be NULL). */
json_t *bm_mkexpr(const char *op, json_t *l, json_t *r);
/* b2d(x) and d2b(x) (take ownership). */
json_t *bm_to_data(json_t *boolexpr);
json_t *bm_to_bool(json_t *data);
/* The binding of field name (of type ftype) of header binding h. */
struct binding *bm_field_of(struct bm *b, struct binding *h, const char *name,
                            struct node *ftype);

/* stmt.c */
/* Adds the primitives of statement s to b->cur_ops. */
void bm_stmt(struct bm *b, struct node *s);
/* Ends the action whose primitives are b->cur_ops: the jumps to its end
 * (after an exit) get their target. */
void bm_end_action(struct bm *b);

/* prim.c */
/* Adds one primitive {"op":op,"parameters":params} (takes ownership). */
void bm_prim(struct bm *b, struct node *at, const char *op, json_t *params);
/* The fields of a list/struct expression, flattened (for hashes, checksums,
 * digests, clone3 field lists). Appends operand JSON to out. */
void bm_flatten(struct bm *b, struct node *e, json_t *out);
/* Registers a calculation for algo over data; returns its name. */
const char *bm_calc(struct bm *b, struct node *algo, struct node *data,
                    int payload);
/* Argument i of a call (named arguments unwrapped), or NULL. */
struct node *bm_arg(struct node *call, int i);
/* The primitives of call statement s calling: v1model extern function f;
 * method m of extern instance inst (of extern type ext); method m of
 * packet_in. Unsupported calls are reported. */
void bm_extern_function(struct bm *b, struct node *s, struct node *call,
                        const char *f);
void bm_extern_method(struct bm *b, struct node *s, struct node *call,
                      struct node *inst, const char *ext, const char *m);
void bm_packet_method(struct bm *b, struct node *s, struct node *call,
                      const char *m);

/* stmt.c: inlines the function calls (and, in parsers, lookaheads) of e into
 * b->cur_ops, so that bm_expr(e) reads their results; bm_clear_snapshots()
 * forgets them once e is lowered. */
void bm_hoist(struct bm *b, struct node *e);
void bm_clear_snapshots(void);
/* Does e call a function with a body (inlined before the statement)? */
int bm_has_call(struct node *e);

/* p4info.c */
unsigned p4info_id(unsigned prefix, const char *name);

#endif
