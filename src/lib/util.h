/* util.h - allocation that never returns NULL, and small helpers every module uses. */
#ifndef FOP4_UTIL_H
#define FOP4_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#if defined(__GNUC__)
#define PRINTF_FMT(i, j) __attribute__((format(printf, i, j)))
#define NORETURN __attribute__((noreturn))
#else
#define PRINTF_FMT(i, j)
#define NORETURN
/* Reads the first integer of a file (a /proc or /sys value); -1 if the file
 * cannot be read or does not start with one. */
long read_long(const char *path);

/* Finds one of our programs: $env if set and non-empty, else NAME next to the
 * running executable (build/bin/ or the install's bin/), else NAME itself for a
 * PATH search. env may be NULL. Returns a string the caller frees. */
char *tool_path(const char *name, const char *env);

#endif

/* Allocate or abort with a message: out of memory is not an error we recover from. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) PRINTF_FMT(1, 2);
char *xvasprintf(const char *fmt, va_list ap) PRINTF_FMT(1, 0);

/* Prints "fop4: <message>" to stderr and exits with status 1. */
NORETURN void fatal(const char *fmt, ...) PRINTF_FMT(1, 2);

/* Monotonic clock in nanoseconds. */
uint64_t now_ns(void);

/* Returns 1 if s starts with prefix. */
int str_starts(const char *s, const char *prefix);

/* Reads a whole file into a NUL-terminated buffer (caller frees); *len gets its
 * length if len is not NULL. Returns NULL and sets errno on failure. */
char *read_file(const char *path, size_t *len);

/* Reads the first integer of a file (a /proc or /sys value); -1 if the file
 * cannot be read or does not start with one. */
long read_long(const char *path);

/* Finds one of our programs: $env if set and non-empty, else NAME next to the
 * running executable (build/bin/ or the install's bin/), else NAME itself for a
 * PATH search. env may be NULL. Returns a string the caller frees. */
char *tool_path(const char *name, const char *env);

#endif
