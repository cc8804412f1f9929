/* lex.h - the P4_16 lexer: preprocessed text to a token array.
 *
 * Understands cpp's line markers ("# 12 \"file.p4\"") so every token carries
 * its position in the original file. Keywords and punctuation are tokens of
 * kind T_IDENT / T_PUNCT whose text the parser compares; integer literals are
 * decoded here (width prefixes 8w5 / 4s3, bases 0x 0o 0b 0d, underscores). */
#ifndef FOP4_COMPILER_LEX_H
#define FOP4_COMPILER_LEX_H

#include "compiler/compiler.h"

enum tok_kind { T_EOF, T_IDENT, T_INT, T_STRING, T_PUNCT };

struct token {
    enum tok_kind kind;
    const char *text; /* arena string; for T_STRING without the quotes */
    struct loc loc;
    unsigned __int128 ival; /* T_INT: the value */
    int width;              /* T_INT: explicit width or 0 */
    int flags;              /* T_INT: F_SIGNED, F_HAS_WIDTH, F_HEX */
    int len;                /* length of the token in the source */
};

struct tokens {
    struct token *v;
    int n, cap;
};

/* Lexes text (the output of cpp). file names the text until a line marker.
 * Errors are reported through c; the token array always ends with T_EOF.
 * Returns 0 or -1 if errors were reported. The caller frees t->v. */
int lex_text(struct cc *c, const char *file, const char *text,
             struct tokens *t);

#endif
