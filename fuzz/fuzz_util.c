/* fuzz_util.c - helpers shared by the fuzz harnesses (fuzz.h): finding the
 * shared corpus and the P4 include directory, reading files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

const char *fuzz_skip;

static char *
join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (!s)
        abort();
    snprintf(s, n, "%s/%s", a, b);
    return s;
}

static char *
existing(char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return path;
    free(path);
    return NULL;
}

char *
fuzz_corpus_path(const char *rel)
{
    const char *shared = getenv("FOP4_SHARED");
    char *dir = join(shared && *shared ? shared : "../shared", "corpus");
    char *p = join(dir, rel);
    free(dir);
    return existing(p);
}

char *
fuzz_p4include(void)
{
    const char *root = getenv("FOP4_ROOT");
    return existing(join(root && *root ? root : ".", "p4include"));
}

char *
fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

FILE *
fuzz_devnull(void)
{
    static FILE *f;
    if (!f)
        f = fopen("/dev/null", "w");
    if (!f)
        abort();
    return f;
}
