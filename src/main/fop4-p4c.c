/* fop4-p4c - the P4_16 compiler: v1model programs to BMv2 JSON and P4Info,
 * with p4c-bm2-ss's command line. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler/bmv2/bmv2.h"
#include "compiler/check.h"
#include "compiler/compiler.h"
#include "lib/util.h"

#ifndef FOP4_VERSION
#define FOP4_VERSION "0"
#endif

static void
usage(FILE *f)
{
    fprintf(
        f,
        "usage: fop4-p4c [options] program.p4\n"
        "Compiles a P4_16 program for the v1model architecture to BMv2 JSON "
        "(the\n"
        "simple_switch / fop4-switch input) and P4Info, as p4c-bm2-ss does.\n"
        "\n"
        "  -o FILE                  write the BMv2 JSON to FILE (default: "
        "program.json)\n"
        "  --p4runtime-files FILES  write P4Info; comma-separated, format by "
        "extension:\n"
        "                           .txt/.txtpb (text), .json, .bin (binary "
        "protobuf)\n"
        "  --p4runtime-format FMT   text, json or binary for --p4runtime-file\n"
        "  --p4runtime-file FILE    (older spelling of --p4runtime-files)\n"
        "  -I DIR                   add DIR to the #include search path\n"
        "  -D NAME[=VALUE]          define a preprocessor macro\n"
        "  -U NAME                  undefine a preprocessor macro\n"
        "  --p4v 16, --std p4-16    the language version (only P4_16 is "
        "supported)\n"
        "  --arch v1model           the architecture (only v1model is "
        "supported)\n"
        "  --target bmv2            the target (only bmv2)\n"
        "  --Wdisable[=DIAG]        disable warnings\n"
        "  --Wwarn[=DIAG]           accepted for compatibility\n"
        "  --emit-externs, --pp FILE, --toJSON FILE   accepted and ignored\n"
        "  --dump-ast               print the syntax tree and stop\n"
        "  --parse-only             stop after parsing\n"
        "  --check-only             stop after checking (no output files)\n"
        "  --help                   this text\n"
        "  --version                the version\n"
        "\n"
        "Exit status: 0 on success, 1 when the program has errors (reported "
        "as\n"
        "file:line:col: error: ... with the source line and a caret), 2 on "
        "usage errors.\n");
}

/* The directory holding our core.p4 and v1model.p4: $FOP4_P4INCLUDE, then
 * <bindir>/../share/fop4/p4include (installed), then a p4include/ directory
 * in an ancestor of the binary (the source tree, when run from build/). */
static char *
find_p4include(void)
{
    const char *env = getenv("FOP4_P4INCLUDE");
    if (env && *env)
        return xstrdup(env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = 0;
    char *dir = xstrdup(dirname(exe));
    char *cand = xasprintf("%s/../share/fop4/p4include", dir);
    char *probe = xasprintf("%s/core.p4", cand);
    if (access(probe, R_OK) == 0) {
        free(probe);
        free(dir);
        return cand;
    }
    free(probe);
    free(cand);
    for (int up = 0; up < 6; up++) {
        probe = xasprintf("%s/p4include/v1model.p4", dir);
        if (access(probe, R_OK) == 0) {
            free(probe);
            char *r = xasprintf("%s/p4include", dir);
            free(dir);
            char *real = realpath(r, NULL);
            if (real) {
                free(r);
                r = real;
            }
            return r;
        }
        free(probe);
        char *parent = xasprintf("%s/..", dir);
        free(dir);
        dir = parent;
    }
    free(dir);
    return NULL;
}

static int
write_file(const char *path, int (*emit)(struct cc *, FILE *, int),
           struct cc *c, int fmt)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "fop4-p4c: cannot write %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    int r = emit(c, f, fmt);
    if (fclose(f) != 0 && r == 0) {
        fprintf(stderr, "fop4-p4c: cannot write %s: %s\n", path,
                strerror(errno));
        r = -1;
    }
    if (r < 0)
        unlink(path);
    return r;
}

static int
json_emit(struct cc *c, FILE *f, int fmt)
{
    (void)fmt;
    return bmv2_emit_json(c, f);
}

static int
ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

enum {
    OPT_P4RT_FILES = 256,
    OPT_P4RT_FILE,
    OPT_P4RT_FORMAT,
    OPT_P4V,
    OPT_STD,
    OPT_ARCH,
    OPT_TARGET,
    OPT_WDISABLE,
    OPT_WWARN,
    OPT_VERSION,
    OPT_HELP,
    OPT_DUMP_AST,
    OPT_PARSE_ONLY,
    OPT_CHECK_ONLY,
    OPT_IGNORED,
    OPT_IGNORED_ARG,
};

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"p4runtime-files", required_argument, NULL, OPT_P4RT_FILES},
        {"p4runtime-file", required_argument, NULL, OPT_P4RT_FILE},
        {"p4runtime-format", required_argument, NULL, OPT_P4RT_FORMAT},
        {"p4v", required_argument, NULL, OPT_P4V},
        {"std", required_argument, NULL, OPT_STD},
        {"arch", required_argument, NULL, OPT_ARCH},
        {"target", required_argument, NULL, OPT_TARGET},
        {"Wdisable", optional_argument, NULL, OPT_WDISABLE},
        {"Wwarn", optional_argument, NULL, OPT_WWARN},
        {"Werror", optional_argument, NULL, OPT_IGNORED},
        {"version", no_argument, NULL, OPT_VERSION},
        {"help", no_argument, NULL, OPT_HELP},
        {"dump-ast", no_argument, NULL, OPT_DUMP_AST},
        {"parse-only", no_argument, NULL, OPT_PARSE_ONLY},
        {"check-only", no_argument, NULL, OPT_CHECK_ONLY},
        {"emit-externs", no_argument, NULL, OPT_IGNORED},
        {"pp", required_argument, NULL, OPT_IGNORED_ARG},
        {"toJSON", required_argument, NULL, OPT_IGNORED_ARG},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *p4rt = NULL, *p4rt_format = NULL;
    static const char *cpp_args[256];
    int ncpp = 0, dump_ast = 0, stop_after = 0, nowarn = 0;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:I:D:U:hv", longopts, NULL)) !=
           -1) {
        switch (opt) {
        case 'o':
            out = optarg;
            break;
        case 'I':
        case 'D':
        case 'U':
            if (ncpp >= 250) {
                fprintf(stderr, "fop4-p4c: too many -I/-D/-U options\n");
                return 2;
            }
            /* "-I" "dir" joined as cpp takes them; argv outlives main */
            cpp_args[ncpp++] = opt == 'I' ? "-I" : opt == 'D' ? "-D" : "-U";
            cpp_args[ncpp++] = optarg;
            break;
        case OPT_P4RT_FILES:
        case OPT_P4RT_FILE:
            p4rt = optarg;
            break;
        case OPT_P4RT_FORMAT:
            p4rt_format = optarg;
            break;
        case OPT_P4V:
            if (strcmp(optarg, "16") && strcmp(optarg, "1.2")) {
                fprintf(stderr,
                        "fop4-p4c: --p4v %s: only P4_16 (--p4v 16) is "
                        "supported\n",
                        optarg);
                return 2;
            }
            break;
        case OPT_STD:
            if (strcmp(optarg, "p4-16")) {
                fprintf(stderr, "fop4-p4c: --std %s: only p4-16 is supported\n",
                        optarg);
                return 2;
            }
            break;
        case OPT_ARCH:
            if (strcmp(optarg, "v1model")) {
                fprintf(stderr,
                        "fop4-p4c: --arch %s: only v1model is "
                        "supported\n",
                        optarg);
                return 2;
            }
            break;
        case OPT_TARGET:
            if (strcmp(optarg, "bmv2")) {
                fprintf(stderr,
                        "fop4-p4c: --target %s: only bmv2 is "
                        "supported\n",
                        optarg);
                return 2;
            }
            break;
        case OPT_WDISABLE:
            if (!optarg)
                nowarn = 1;
            break;
        case OPT_WWARN:
        case OPT_IGNORED:
        case OPT_IGNORED_ARG:
            break;
        case OPT_VERSION:
            printf("fop4-p4c %s (P4_16, v1model, bmv2)\n", FOP4_VERSION);
            return 0;
        case 'h':
        case OPT_HELP:
            usage(stdout);
            return 0;
        case 'v':
            break;
        case OPT_DUMP_AST:
            dump_ast = 1;
            break;
        case OPT_PARSE_ONLY:
            stop_after = 1;
            break;
        case OPT_CHECK_ONLY:
            stop_after = 2;
            break;
        case ':':
            fprintf(stderr,
                    "fop4-p4c: option %s needs an argument (see --help)\n",
                    argv[optind - 1]);
            return 2;
        default:
            fprintf(stderr, "fop4-p4c: unknown option %s (see --help)\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, optind >= argc
                            ? "fop4-p4c: no program given (usage: "
                              "fop4-p4c -o prog.json prog.p4)\n"
                            : "fop4-p4c: more than one program given\n");
        return 2;
    }
    const char *path = argv[optind];
    struct cc c;
    cc_init(&c);
    c.no_warnings = nowarn;
    c.cpp_args = cpp_args;
    char *inc = find_p4include();
    c.p4include = inc;
    int rc = 1;
    if (cc_load(&c, path) < 0)
        goto out;
    if (dump_ast) {
        node_dump(c.program, 0, stdout);
        rc = 0;
        goto out;
    }
    if (stop_after == 1) {
        rc = 0;
        goto out;
    }
    if (cc_check(&c) < 0)
        goto out;
    if (stop_after == 2) {
        rc = 0;
        goto out;
    }
    if (bmv2_lower(&c) < 0)
        goto out;
    char *def_out = NULL;
    if (!out) {
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        size_t n = strlen(base);
        if (ends_with(base, ".p4"))
            n -= 3;
        def_out = xasprintf("%.*s.json", (int)n, base);
        out = def_out;
    }
    rc = 0;
    if (write_file(out, json_emit, &c, 0) < 0)
        rc = 1;
    free(def_out);
    if (p4rt) {
        char *list = xstrdup(p4rt);
        for (char *save = NULL, *f = strtok_r(list, ",", &save); f;
             f = strtok_r(NULL, ",", &save)) {
            int fmt = P4INFO_TEXT;
            if (p4rt_format && !strcmp(p4rt_format, "json"))
                fmt = P4INFO_JSON;
            else if (p4rt_format && !strcmp(p4rt_format, "binary"))
                fmt = P4INFO_BINARY;
            if (ends_with(f, ".json"))
                fmt = P4INFO_JSON;
            else if (ends_with(f, ".bin"))
                fmt = P4INFO_BINARY;
            else if (ends_with(f, ".txt") || ends_with(f, ".txtpb"))
                fmt = P4INFO_TEXT;
            else if (!p4rt_format) {
                /* as p4c: the extension says the format */
                fprintf(stderr,
                        "fop4-p4c: --p4runtime-files %s: unknown extension "
                        "(.txt or .txtpb for text, .json, .bin for binary)\n",
                        f);
                rc = 1;
                continue;
            }
            if (write_file(f, p4info_emit, &c, fmt) < 0)
                rc = 1;
        }
        free(list);
    }
out:
    if (rc && c.nerrors)
        fprintf(stderr, "%d error%s\n", c.nerrors, c.nerrors == 1 ? "" : "s");
    cc_destroy(&c);
    free(inc);
    return rc;
}
