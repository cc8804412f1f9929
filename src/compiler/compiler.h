/* compiler.h - one compilation of a P4_16 program: the options (as
 * p4c-bm2-ss takes them), the diagnostics sink and the stages.
 *
 *   cc_init -> cc_load (cpp + lex + parse) -> cc_check -> bmv2 emitters ->
 * cc_destroy
 *
 * Every stage reports problems in the input as path:line:col diagnostics with
 * the source line and a caret (lib/diag.h) and counts them; a stage that found
 * errors makes the driver stop before the next one. */
#ifndef FOP4_COMPILER_COMPILER_H
#define FOP4_COMPILER_COMPILER_H

#include <stdio.h>

#include "compiler/ast.h"
#include "lib/util.h"

struct cc {
    struct arena arena;
    FILE *diag;  /* where diagnostics go (stderr) */
    int nerrors; /* errors reported so far */
    int nwarnings;
    int max_errors;        /* stop reporting after this many (default 20) */
    int no_warnings;       /* --Wdisable */
    const char *main_file; /* the program as given on the command line */
    struct node *program;
    /* preprocessor */
    const char *cpp;       /* "cpp" */
    const char **cpp_args; /* -I/-D/-U as given, NULL-terminated */
    const char *p4include; /* our core.p4 / v1model.p4 directory */
    void *backend;         /* the BMv2 back end state (bmv2/lower.h) */
    void (*backend_free)(void *);
};

/* Prepares c for one compilation; c->diag defaults to stderr. */
void cc_init(struct cc *c);
/* Frees everything the compilation allocated. */
void cc_destroy(struct cc *c);

/* Reports an error (or warning) at loc; printf-style message. */
void cc_error(struct cc *c, struct loc loc, const char *fmt, ...)
    PRINTF_FMT(3, 4);
void cc_warning(struct cc *c, struct loc loc, const char *fmt, ...)
    PRINTF_FMT(3, 4);

/* Runs the C preprocessor on path and returns its output (caller frees), or
 * NULL after reporting the failure. */
char *cc_preprocess(struct cc *c, const char *path);
/* Preprocesses, lexes and parses path into c->program. Returns 0, or -1 when
 * errors were reported. */
int cc_load(struct cc *c, const char *path);
/* Parses already preprocessed text (line markers allowed). file names the text
 * in diagnostics until a line marker says otherwise. Returns 0 or -1. */
int cc_parse_text(struct cc *c, const char *file, const char *text);

#endif
