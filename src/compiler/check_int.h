/* check_int.h - what the files of the type checker share (not for the back
 * end: its contract is check.h).
 *
 * The checker is one walk over the program, split by stage:
 *   check.c       the driver (cc_check) and declarations: types, headers,
 *                 enums, errors, externs, functions, parameters, instances;
 *   check_type.c  scopes and name lookup, canonical types, assignability;
 *   check_eval.c  compile-time evaluation of constant expressions;
 *   check_expr.c  the type of every expression: names, members,
 *                 operators, casts, indexes and slices;
 *   check_call.c  calls (overloads, generic type variables, arguments) and
 *                 instantiations (constructors, abstract methods, packages);
 *   check_stmt.c  statements, actions, parsers (states, select) and controls;
 *   check_table.c table properties and their rules.
 * Functions shared between these files carry the prefix ck_ (the state they
 * work on is struct ck). */
#ifndef FOP4_COMPILER_CHECK_INT_H
#define FOP4_COMPILER_CHECK_INT_H

#include "compiler/check.h"

#include "lib/hmap.h"

/* One level of names: the top level, a parser or control, a block... */
struct scope {
    struct hmap names;
    struct scope *up;
};

/* The checker's state during one cc_check(). */
struct ck {
    struct cc *c;
    struct arena *A;
    struct scope *sc;
    struct node *errors;   /* N_ERROR_DECL holding every error member */
    struct node *error_ns; /* the value "error" in error.X */
    struct node *t_bool, *t_int, *t_string, *t_void, *t_error, *t_mk;
    struct node *cur_action;   /* action being checked (or NULL) */
    struct node *cur_block;    /* parser or control being checked */
    struct node *cur_function; /* function being checked (or NULL) */
    int in_parser;
    struct node *busy; /* marks a typedef being resolved (cycles) */
    int eval_depth;    /* nesting of ck_eval (constants defined in a cycle) */
    int eval_loop;     /* that cycle was reported */
};

/* ---- check_type.c: scopes ---- */

/* Opens a new innermost scope; ck_pop_scope() closes it. */
void ck_push_scope(struct ck *k);
void ck_pop_scope(struct ck *k);
/* Declares name as d in the innermost scope (functions and methods overload;
 * any other re-declaration is reported). */
void ck_declare(struct ck *k, const char *name, struct node *d);
/* The declaration name refers to (innermost first; only the top level when
 * toplevel is set), or NULL. */
struct node *ck_lookup(struct ck *k, const char *name, int toplevel);
/* Reports "<what> '<name>' is not declared", with a did-you-mean. */
void ck_unknown_name(struct ck *k, struct node *at, const char *what,
                     const char *name);

/* ---- check_type.c: types ---- */

/* A new type node of kind (arena). */
struct node *ck_mk_type(struct ck *k, enum node_kind kind, struct loc loc);
/* bit<width> or int<width> (sign set). */
struct node *ck_bit_type(struct ck *k, int width, int sign, struct loc loc);
int ck_is_bits(struct node *t);    /* bit<W> or int<W> */
int ck_is_numeric(struct node *t); /* bit<W>, int<W> or int */
int ck_is_typevar(struct node *t); /* a generic's type parameter */
/* The canonical form of a type expression (check.h); reports unknown or
 * invalid types. */
struct node *ck_canon(struct ck *k, struct node *t);
/* Can a value of type from be used where type to is wanted (implicitly)? */
int ck_assignable(struct node *to, struct node *from);
/* The type as P4 writes it, for messages (arena string). */
const char *ck_type_name(struct ck *k, struct node *t);

/* ---- check_eval.c ---- */

/* Evaluates a constant expression (check.h's check_eval); 0 if it is not
 * constant. Reports a division by zero. */
int ck_eval(struct ck *k, struct node *e, unsigned __int128 *v);

/* ---- check_expr.c ---- */

/* Computes (once) and returns the type of expression e; NULL when unknown
 * (after an error, or for names of states). */
struct node *ck_type_of(struct ck *k, struct node *e);
/* The field (or member) named name of a struct-like type, or NULL. */
struct node *ck_find_field(struct node *t, const char *name);
/* Gives an infinite-precision integer expression e the type t it is used
 * at. */
void ck_coerce_int(struct node *e, struct node *t);
/* The 'type' declaration (N_NEWTYPE) whose values expression e has, NULL for
 * other types, or a marker node without a name when e's declared type is not
 * tracked (literals, casts, calls). */
struct node *ck_newtype_of(struct ck *k, struct node *e);
/* Can e be assigned to (or passed to an out/inout parameter)? */
int ck_is_lvalue(struct node *e);

/* ---- check_call.c ---- */

/* The type of call e (function, method, action, constructor); checks the
 * arguments. */
struct node *ck_call_type(struct ck *k, struct node *e);
/* Checks the number of arguments of call against fn; with bound_ok, the
 * directionless (action data) parameters may be left out. */
void ck_args(struct ck *k, struct node *call, struct node *fn, int bound_ok);
/* Can expression x be used where a value of type want is expected?
 * Element-wise for {...} lists and {name = ...} initializers; type variables
 * fit anything. */
int ck_fits(struct ck *k, struct node *want, struct node *x);
/* The constructor call of an instance: run-time values in its arguments,
 * the extern's constructor and its argument types, the abstract methods its
 * initializer implements; for packages, parsers and controls the objects
 * passed in. n->type is set. */
void ck_instance_args(struct ck *k, struct node *n);

/* ---- check_stmt.c ---- */

/* A variable or constant declaration: its type, initializer, then its name. */
void ck_var(struct ck *k, struct node *v);
/* A block in a scope of its own. */
void ck_block(struct ck *k, struct node *b);
void ck_action(struct ck *k, struct node *a);
void ck_parser(struct ck *k, struct node *p);
void ck_control(struct ck *k, struct node *c);

/* ---- check_table.c ---- */

/* A table's properties (key, actions, default_action, entries...) and the
 * rules between them. */
void ck_table(struct ck *k, struct node *t);

/* ---- check.c ---- */

/* Checks one declaration and declares its name in the current scope. */
void ck_decl(struct ck *k, struct node *d);
/* Declares parameters (their types canonical, parent set to owner). */
void ck_declare_params(struct ck *k, struct nlist *ps, struct node *owner);
/* Declares the type parameters of a generic. */
void ck_declare_tparams(struct ck *k, struct nlist *tps);

#endif
