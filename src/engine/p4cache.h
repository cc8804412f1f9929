/* p4cache.h - P4 programs compiled once per content: `p4:` of a p4switch node
 * runs fop4-p4c at start, and the BMv2 JSON (and P4Info) it makes is kept in a
 * cache directory under a key hashed from everything that decides the output:
 * the program's text, the text of every file it #includes (found as the
 * preprocessor would: the including file's directory, the -I directories, the
 * compiler's p4include directory), the -D defines, and the compiler binary
 * itself (path, size, modification time). An edit to any of them compiles
 * again; nothing else does. Owner: "p4node". */
#ifndef FOP4_ENGINE_P4CACHE_H
#define FOP4_ENGINE_P4CACHE_H

#include "lib/err.h"

/* The cache directory: $FOP4_P4CACHE, else $XDG_CACHE_HOME/fop4/p4, else
 * $HOME/.cache/fop4/p4, else /tmp/fop4-p4cache. Returns a malloc'd path
 * (not created). */
char *p4cache_dir(void);

/* Compiles prog (a P4_16 file) with the compiler p4c (a path; NULL = the
 * fop4-p4c next to the running binary, or $FOP4_P4C), include directories
 * incdirs and defines ("NAME" or "NAME=VALUE"), both NULL-terminated lists
 * or NULL; or finds the result of an earlier compile of the same content.
 * Returns the malloc'd path of the BMv2 JSON; its P4Info is next to it with
 * the extension .p4info.txtpb. *hit (may be NULL) is set to 1 when the cache
 * answered. On a compile error returns NULL with err's message holding the
 * compiler's diagnostics (path:line:col: error: ..., source line, caret).
 * Concurrent callers compiling the same content wait for each other (a lock
 * file per key) and share one result. */
char *p4cache_compile(const char *prog, const char *p4c,
                      const char *const *incdirs, const char *const *defines,
                      int *hit, struct err *err);

#endif
