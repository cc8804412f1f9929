/* p4cache.c - P4 programs compiled once per content (p4cache.h). The key is a
 * 128-bit hash (two FNV-1a 64 streams) of the program, its includes found the
 * way cpp finds them, the defines and the compiler's identity; the result is
 * <dir>/<key>.json and <dir>/<key>.p4info.txtpb, written under temporary names
 * and renamed, so a reader never sees half a file. Owner: "p4node". */
#include "engine/p4cache.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/hmap.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "lib/vec.h"

struct key {
    uint64_t a, b;
};

static void
key_add(struct key *k, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        k->a = (k->a ^ p[i]) * 0x100000001b3ull;
        k->b = (k->b ^ p[i]) * 0x100000001b3ull;
        k->b ^= k->b >> 29;
    }
    /* a separator, so that ("ab","c") and ("a","bc") differ */
    k->a = (k->a ^ 0xff) * 0x100000001b3ull;
    k->b = (k->b ^ 0xfe) * 0x100000001b3ull;
}

static void
key_add_str(struct key *k, const char *s)
{
    key_add(k, s, strlen(s));
}

char *
p4cache_dir(void)
{
    const char *e = getenv("FOP4_P4CACHE");
    if (e && *e)
        return xstrdup(e);
    e = getenv("XDG_CACHE_HOME");
    if (e && *e == '/')
        return xasprintf("%s/fop4/p4", e);
    e = getenv("HOME");
    if (e && *e == '/')
        return xasprintf("%s/.cache/fop4/p4", e);
    return xstrdup("/tmp/fop4-p4cache");
}

static int
mkdir_p(const char *path)
{
    char *buf = xstrdup(path);
    for (char *s = buf + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(buf, 0755);
            *s = '/';
        }
    int rc = mkdir(buf, 0755) < 0 && errno != EEXIST ? -errno : 0;
    free(buf);
    return rc;
}

/* fop4-p4c: $FOP4_P4C, next to the running executable, or the PATH's. */
static char *
find_compiler(void)
{
    return tool_path("fop4-p4c", "FOP4_P4C");
}

/* The compiler's own include directory, found as fop4-p4c finds it
 * ($FOP4_P4INCLUDE, <bindir>/../share/fop4/p4include, a p4include/ holding
 * v1model.p4 in an ancestor of the binary), or NULL. */
static char *
find_p4include(const char *p4c)
{
    const char *e = getenv("FOP4_P4INCLUDE");
    if (e && *e)
        return xstrdup(e);
    char *real = realpath(p4c, NULL);
    if (!real)
        return NULL;
    char *slash = strrchr(real, '/');
    if (slash)
        *slash = '\0';
    char *cand = xasprintf("%s/../share/fop4/p4include/core.p4", real);
    if (access(cand, R_OK) == 0) {
        cand[strlen(cand) - strlen("/core.p4")] = '\0';
        free(real);
        return cand;
    }
    free(cand);
    for (int up = 0; up < 6; up++) {
        cand = xasprintf("%s/p4include/v1model.p4", real);
        if (access(cand, R_OK) == 0) {
            cand[strlen(cand) - strlen("/v1model.p4")] = '\0';
            free(real);
            return cand;
        }
        free(cand);
        slash = strrchr(real, '/');
        if (!slash || slash == real)
            break;
        *slash = '\0';
    }
    free(real);
    return NULL;
}

struct scan {
    struct key *key;
    const char *const *incdirs;
    const char *p4include;
    struct hmap seen; /* realpaths already hashed */
};

/* Resolves an #include name as cpp would: "x" first in the including file's
 * directory, then (both forms) the -I directories and the compiler's. */
static char *
resolve_include(struct scan *s, const char *from_dir, const char *name,
                int quoted)
{
    if (name[0] == '/')
        return access(name, R_OK) == 0 ? xstrdup(name) : NULL;
    if (quoted) {
        char *p = xasprintf("%s/%s", from_dir, name);
        if (access(p, R_OK) == 0)
            return p;
        free(p);
    }
    for (size_t i = 0; s->incdirs && s->incdirs[i]; i++) {
        char *p = xasprintf("%s/%s", s->incdirs[i], name);
        if (access(p, R_OK) == 0)
            return p;
        free(p);
    }
    if (s->p4include) {
        char *p = xasprintf("%s/%s", s->p4include, name);
        if (access(p, R_OK) == 0)
            return p;
        free(p);
    }
    return NULL;
}

/* Adds path's text and, recursively, its includes' to the key. Returns 0 or a
 * negative errno when path itself cannot be read. */
static int
scan_file(struct scan *s, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return -errno;
    if (hmap_get(&s->seen, real)) {
        free(real);
        return 0;
    }
    hmap_put(&s->seen, real, (void *)1, NULL);
    size_t len;
    char *text = read_file(real, &len);
    if (!text) {
        int rc = -errno;
        free(real);
        return rc;
    }
    key_add_str(s->key, real);
    key_add(s->key, text, len);
    char *dir = xstrdup(real);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    for (char *l = text; l && *l;) {
        char *nl = strchr(l, '\n');
        char *p = l;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#') {
            p++;
            while (*p == ' ' || *p == '\t')
                p++;
            if (!strncmp(p, "include", 7)) {
                p += 7;
                while (*p == ' ' || *p == '\t')
                    p++;
                char close = *p == '"' ? '"' : *p == '<' ? '>' : 0;
                char *end = close ? strchr(p + 1, close) : NULL;
                if (end && (!nl || end < nl)) {
                    char *name = xasprintf("%.*s", (int)(end - p - 1), p + 1);
                    char *inc = resolve_include(s, dir, name, close == '"');
                    if (inc)
                        scan_file(s, inc);
                    else
                        key_add_str(s->key,
                                    name); /* cpp will say it is missing */
                    free(inc);
                    free(name);
                }
            }
        }
        l = nl ? nl + 1 : NULL;
    }
    free(dir);
    free(text);
    free(real);
    return 0;
}

/* Runs the compiler; its diagnostics go to logpath. Returns its exit status
 * (>= 0) or a negative errno. */
static int
run_compiler(char *const argv[], const char *logpath)
{
    int log = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log < 0)
        return -errno;
    pid_t pid = fork();
    if (pid < 0) {
        int rc = -errno;
        close(log);
        return rc;
    }
    if (pid == 0) {
        dup2(log, 1);
        dup2(log, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(log);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -errno;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

char *
p4cache_compile(const char *prog, const char *p4c, const char *const *incdirs,
                const char *const *defines, int *hit, struct err *err)
{
    char *compiler = p4c ? xstrdup(p4c) : find_compiler();
    char *dir = p4cache_dir();
    char *p4include = NULL, *base = NULL, *json = NULL, *lockpath = NULL,
         *logpath = NULL;
    char *tmpjson = NULL, *tmpinfo = NULL, *info = NULL, *out = NULL;
    int lock = -1;
    if (hit)
        *hit = 0;

    struct key k = {0xcbf29ce484222325ull, 0x84222325cbf29ce4ull};
    key_add_str(&k, "fop4-p4cache 1");
    /* the compiler's identity: a rebuilt compiler compiles again */
    char *cpath = strchr(compiler, '/') ? realpath(compiler, NULL) : NULL;
    struct stat st;
    if (cpath && stat(cpath, &st) == 0) {
        char id[128];
        snprintf(id, sizeof id, "%lld %lld %lld", (long long)st.st_size,
                 (long long)st.st_mtim.tv_sec, (long long)st.st_mtim.tv_nsec);
        key_add_str(&k, cpath);
        key_add_str(&k, id);
    } else {
        key_add_str(&k, compiler);
    }
    free(cpath);
    for (size_t i = 0; defines && defines[i]; i++) {
        key_add_str(&k, "-D");
        key_add_str(&k, defines[i]);
    }
    for (size_t i = 0; incdirs && incdirs[i]; i++) {
        key_add_str(&k, "-I");
        key_add_str(&k, incdirs[i]);
    }
    p4include = find_p4include(compiler);
    struct scan s = {.key = &k, .incdirs = incdirs, .p4include = p4include};
    hmap_init(&s.seen);
    int rc = scan_file(&s, prog);
    hmap_destroy(&s.seen);
    if (rc < 0) {
        err_set(err, rc, "cannot read %s: %s", prog, strerror(-rc));
        goto out;
    }

    if ((rc = mkdir_p(dir)) < 0) {
        err_set(
            err, rc,
            "cannot create the P4 cache directory %s: %s (set FOP4_P4CACHE)",
            dir, strerror(-rc));
        goto out;
    }
    base = xasprintf("%s/%016llx%016llx", dir, (unsigned long long)k.a,
                     (unsigned long long)k.b);
    json = xasprintf("%s.json", base);
    info = xasprintf("%s.p4info.txtpb", base);
    lockpath = xasprintf("%s.lock", base);
    lock = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock >= 0)
        while (flock(lock, LOCK_EX) < 0 && errno == EINTR)
            ;
    if (access(json, R_OK) == 0) {
        if (hit)
            *hit = 1;
        out = json;
        json = NULL;
        goto out;
    }
    tmpjson = xasprintf("%s.%d.tmp.json", base, (int)getpid());
    tmpinfo = xasprintf("%s.%d.tmp.p4info.txtpb", base, (int)getpid());
    logpath = xasprintf("%s.%d.log", base, (int)getpid());
    VEC(char *) argv = VEC_INIT;
    VEC_PUSH(&argv, xstrdup(compiler));
    VEC_PUSH(&argv, xstrdup("--p4v"));
    VEC_PUSH(&argv, xstrdup("16"));
    VEC_PUSH(&argv, xstrdup("-o"));
    VEC_PUSH(&argv, xstrdup(tmpjson));
    VEC_PUSH(&argv, xstrdup("--p4runtime-files"));
    VEC_PUSH(&argv, xstrdup(tmpinfo));
    for (size_t i = 0; incdirs && incdirs[i]; i++) {
        VEC_PUSH(&argv, xstrdup("-I"));
        VEC_PUSH(&argv, xstrdup(incdirs[i]));
    }
    for (size_t i = 0; defines && defines[i]; i++) {
        VEC_PUSH(&argv, xstrdup("-D"));
        VEC_PUSH(&argv, xstrdup(defines[i]));
    }
    VEC_PUSH(&argv, xstrdup(prog));
    VEC_PUSH(&argv, NULL);
    rc = run_compiler(argv.v, logpath);
    for (size_t i = 0; i < argv.n; i++)
        free(argv.v[i]);
    VEC_FREE(&argv);
    if (rc != 0) {
        char *msg = read_file(logpath, NULL);
        size_t n = msg ? strlen(msg) : 0;
        while (n > 0 && msg[n - 1] == '\n')
            msg[--n] = '\0';
        if (rc < 0)
            err_set(err, rc, "cannot run %s: %s", compiler, strerror(-rc));
        else if (rc == 127)
            err_set(err, -ENOENT,
                    "cannot run %s (set FOP4_P4C or build fop4-p4c)", compiler);
        else
            err_set(err, -EINVAL, "%s does not compile:\n%.900s%s", prog,
                    msg ? msg : "", n > 900 ? "\n..." : "");
        free(msg);
        unlink(tmpjson);
        unlink(tmpinfo);
        goto out;
    }
    if (rename(tmpinfo, info) < 0)
        unlink(tmpinfo);
    if (rename(tmpjson, json) < 0) {
        rc = -errno;
        err_set(err, rc, "cannot write %s: %s", json, strerror(-rc));
        unlink(tmpjson);
        goto out;
    }
    out = json;
    json = NULL;
out:
    if (logpath)
        unlink(logpath);
    if (lock >= 0)
        close(lock); /* releases the flock; the lock file stays (harmless,
                        reused) */
    free(compiler);
    free(dir);
    free(p4include);
    free(base);
    free(json);
    free(info);
    free(lockpath);
    free(logpath);
    free(tmpjson);
    free(tmpinfo);
    return out;
}
