/* ast.h - the P4_16 abstract syntax tree and the arena it lives in.
 *
 * Every node of a program is a struct node; its kind says which of the generic
 * slots (a, b, c, d, list, params...) it uses (see enum node_kind). Nodes,
 * strings and lists are allocated in one arena (struct arena) and freed
 * together when the compilation ends. The parser (parse.c) builds the tree, the
 * checker (check.c) resolves names and types, and the back end (bmv2/) reads
 * it. */
#ifndef FOP4_COMPILER_AST_H
#define FOP4_COMPILER_AST_H

#include <stddef.h>
#include <stdint.h>

/* A position in the original (pre-preprocessor) source. */
struct loc {
    const char *file; /* arena string, the file cpp named in its line markers */
    int line, col;
};

/* Bump allocator: everything of one compilation, freed once. */
struct arena {
    struct arena_chunk *head;
    int nodes; /* nodes created so far: gives each node its seq */
};
void arena_init(struct arena *a);
void arena_destroy(struct arena *a);
/* Returns n zeroed bytes that live until arena_destroy(). */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Node kinds. Slot use is given after each kind. */
enum node_kind {
    N_PROGRAM, /* list: top-level declarations */
    /* declarations */
    N_CONST,       /* name, a: type, b: value */
    N_TYPEDEF,     /* name, a: type */
    N_NEWTYPE,     /* name, a: type ("type T ..." ) */
    N_HEADER,      /* name, list: N_FIELD, tparams */
    N_STRUCT,      /* name, list: N_FIELD, tparams */
    N_HUNION,      /* name, list: N_FIELD, tparams */
    N_FIELD,       /* name, a: type */
    N_ENUM,        /* name, a: underlying type or NULL, list: N_ENUM_MEMBER */
    N_ENUM_MEMBER, /* name, b: value or NULL */
    N_ERROR_DECL,  /* list: N_ENUM_MEMBER */
    N_MATCH_KIND,  /* list: N_ENUM_MEMBER */
    N_EXTERN,      /* name, tparams, list: N_METHOD */
    N_METHOD,      /* name, a: return type (NULL for a constructor), tparams,
                      params, flags: F_ABSTRACT */
    N_FUNCTION,    /* name, a: return type, tparams, params, b: body or NULL
                      (extern function) */
    N_PARSER_TYPE, /* name, tparams, params */
    N_CONTROL_TYPE,
    N_PACKAGE,   /* name, tparams, params (constructor parameters) */
    N_PARSER,    /* name, tparams, params, ctor, list: locals + N_STATE */
    N_STATE,     /* name, list: statements, a: transition (N_SELECT or
                    an expression naming the next state) */
    N_CONTROL,   /* name, tparams, params, ctor, list: locals, b: apply body */
    N_ACTION,    /* name, params, b: body */
    N_TABLE,     /* name, list: N_PROP */
    N_PROP,      /* name, a: value (N_KEYS, N_ACTLIST, N_ENTRIES or an
                    expression), flags: F_CONST */
    N_KEYS,      /* list: N_KEY */
    N_KEY,       /* a: expression, name: match kind */
    N_ACTLIST,   /* list: action references (N_NAME or N_CALL) */
    N_ENTRIES,   /* list: N_ENTRY */
    N_ENTRY,     /* a: keyset expression, b: action call, c: priority */
    N_INSTANCE,  /* name, a: type, args, b: N_BLOCK of abstract methods */
    N_VAR,       /* name, a: type, b: initializer or NULL */
    N_VALUE_SET, /* name, a: element type, b: size */
    N_PARAM,     /* name, a: type, flags: direction, b: default value */
    /* statements */
    N_BLOCK,     /* list: statements */
    N_ASSIGN,    /* a = b (op: "=" or a compound operator) */
    N_CALL_STMT, /* a: N_CALL */
    N_IF,        /* a: condition, b: then, c: else or NULL */
    N_SWITCH,    /* a: expression, list: N_CASE */
    N_CASE,   /* a: label (NULL = default), b: N_BLOCK or NULL (fall through) */
    N_RETURN, /* a: value or NULL */
    N_EXIT,
    N_EMPTY,
    N_FOR, /* see parse.c parse_for */
    /* transitions */
    N_SELECT, /* args: expressions, list: N_CASE (a: keyset, b: N_NAME state) */
    /* expressions */
    N_INT,         /* ival, width (0 = infinite precision), flags: F_SIGNED */
    N_BOOL,        /* ival */
    N_STRING,      /* name: the string without quotes */
    N_NAME,        /* name (flags F_TOPLEVEL for ".name") */
    N_MEMBER,      /* a: expression, name */
    N_INDEX,       /* a[b] */
    N_SLICE,       /* a[b:c] */
    N_CALL,        /* a: callee, targs, args */
    N_UNOP,        /* op, a */
    N_BINOP,       /* op, a, b */
    N_TERNARY,     /* a ? b : c */
    N_CAST,        /* (a) b */
    N_LIST,        /* list: {e, ...} */
    N_STRUCT_INIT, /* list: N_NAMED {name = e, ...} */
    N_NAMED,       /* name, a: value (also a named argument) */
    N_DEFAULT,     /* "default" keyset */
    N_DONTCARE,    /* "_" */
    N_MASK,        /* a &&& b */
    N_RANGE,       /* a .. b */
    N_TYPEARG,     /* a: type, used where an expression position holds a type */
    /* types */
    N_TBIT,    /* a: width expression, flags: F_SIGNED; width after check */
    N_TVARBIT, /* a: max width expression */
    N_TINT,    /* "int" of infinite precision */
    N_TBOOL,
    N_TERROR,
    N_TSTRING,
    N_TVOID,
    N_TMATCH_KIND,
    N_TNAME,  /* name, targs; decl after resolution */
    N_TSTACK, /* a: element type, b: size expression */
    N_TTUPLE, /* targs */
    N_TLIST,  /* targs */
    N_TDONTCARE,
    N_ANNOT, /* name, b: N_LIST of the body's strings and integers or NULL,
                str: the raw body; structured @x[...] (flags F_CONST): a: N_LIST
                of its expressions and N_NAMED key = value pairs */
    N_KIND_COUNT
};

enum {
    F_SIGNED = 1 << 0,
    F_ABSTRACT = 1 << 1,
    F_CONST = 1 << 2,
    F_TOPLEVEL = 1 << 3,
    F_DIR_IN = 1 << 4,
    F_DIR_OUT = 1 << 5,
    F_DIR_INOUT = F_DIR_IN | F_DIR_OUT,
    F_HAS_WIDTH = 1 << 6, /* an integer literal with an explicit width */
    F_HEX = 1 << 7,       /* literal written in hex */
};

struct nlist {
    struct node **v;
    int n, cap;
};

struct node {
    enum node_kind kind;
    int flags;
    struct loc loc;
    const char *name;
    const char *op;  /* operator text for N_UNOP/N_BINOP/N_ASSIGN */
    const char *str; /* raw text (annotations) */
    struct node *a, *b, *c;
    struct nlist list, params, ctor, args, targs, tparams, annots;
    unsigned __int128 ival; /* literal value (two's complement bits) */
    int width;              /* literal width or resolved bit width */
    /* filled by the checker */
    struct node *decl; /* what a name refers to */
    struct node *type; /* the type of an expression (a type node) */
    struct node *parent;
    struct node *overload; /* next declaration of an overloaded name */
    void *aux;             /* back-end data */
    int seq;               /* creation order = order in the source stream */
};

struct node *node_new(struct arena *a, enum node_kind kind, struct loc loc);
void nlist_push(struct arena *a, struct nlist *l, struct node *n);
/* Returns the annotation named name on n, or NULL. */
struct node *node_annot(const struct node *n, const char *name);
/* Returns a name for a kind (for diagnostics and dumps). */
const char *node_kind_name(enum node_kind k);
/* Prints the tree (debugging: fop4-p4c --dump-ast). */
void node_dump(const struct node *n, int depth, void *file);

#endif
