/* fop4-stf - runs a p4c STF packet test on the FOP4 switch, in-process.
 *
 *   fop4-stf [-v] [--p4c PATH] prog.json|prog.p4 test.stf
 *
 * Given a .p4 program it first compiles it with fop4-p4c (found next to this
 * binary, or $FOP4_P4C, or --p4c). Prints "PASS: test.stf" or "FAIL: test.stf:
 * <first mismatch>"; exits 0 (pass), 1 (fail) or 2 (could not run). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "control/stf.h"
#include "lib/log.h"
#include "lib/util.h"

static void
usage(FILE *f)
{
    fprintf(
        f,
        "usage: fop4-stf [-v] [--p4c PATH] PROGRAM.json|PROGRAM.p4 TEST.stf\n"
        "Runs p4c's STF packet test TEST.stf on the FOP4 switch loaded with "
        "PROGRAM.\n"
        "  -v          print the commands, the frames and the switch's packet "
        "trace\n"
        "  --p4c PATH  the compiler for .p4 programs (default: fop4-p4c next "
        "to\n"
        "              this binary, or $FOP4_P4C)\n"
        "Exit status: 0 passed, 1 failed, 2 could not run.\n");
}

static char *
find_p4c(const char *opt)
{
    return opt ? xstrdup(opt) : tool_path("fop4-p4c", "FOP4_P4C");
}

/* Compiles prog with p4c into a temporary JSON file; returns its path. */
static char *
compile(const char *p4c, const char *prog, char *tmpdir)
{
    if (!mkdtemp(tmpdir)) {
        fprintf(stderr, "fop4-stf: cannot create a temporary directory: %s\n",
                strerror(errno));
        return NULL;
    }
    char *out = xasprintf("%s/prog.json", tmpdir);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "fop4-stf: fork: %s\n", strerror(errno));
        free(out);
        return NULL;
    }
    if (pid == 0) {
        execlp(p4c, p4c, "--p4v", "16", "-o", out, prog, (char *)NULL);
        fprintf(stderr,
                "fop4-stf: cannot run %s: %s (set $FOP4_P4C or --p4c)\n", p4c,
                strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "fop4-stf: %s: compilation with %s failed\n", prog,
                p4c);
        unlink(out);
        rmdir(tmpdir);
        free(out);
        return NULL;
    }
    return out;
}

int
main(int argc, char **argv)
{
    struct stf_opts opts = {0};
    const char *p4c_opt = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-v"))
            opts.verbose = 1;
        else if (!strcmp(argv[i], "--p4c") && i + 1 < argc)
            p4c_opt = argv[++i];
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "fop4-stf: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (argc - i != 2) {
        usage(stderr);
        return 2;
    }
    const char *prog = argv[i], *stf = argv[i + 1];
    char tmpdir[] = "/tmp/fop4-stf.XXXXXX";
    char *json = NULL;
    size_t pl = strlen(prog);
    if (pl > 3 && !strcmp(prog + pl - 3, ".p4")) {
        char *p4c = find_p4c(p4c_opt);
        json = compile(p4c, prog, tmpdir);
        free(p4c);
        if (!json)
            return 2;
    }
    if (opts.verbose)
        log_min_level = LOG_DEBUG;
    struct strbuf report = STRBUF_INIT;
    struct err e = {0};
    int rc = stf_run(json ? json : prog, stf, &opts, &report, &e);
    fputs(strbuf_str(&report), stdout);
    if (rc < 0) {
        const char *name = strrchr(stf, '/') ? strrchr(stf, '/') + 1 : stf;
        printf("FAIL: %s: could not run\n", name);
        fprintf(stderr, "fop4-stf: %s\n", e.msg);
    }
    strbuf_destroy(&report);
    if (json) {
        unlink(json);
        rmdir(tmpdir);
        free(json);
    }
    return rc < 0 ? 2 : rc;
}
