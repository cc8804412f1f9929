/* compiler.c - one compilation (compiler.h): diagnostics and the C
 * preprocessor. The stages live in lex.c, parse.c, check.c and bmv2/. */
#include "compiler/compiler.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/diag.h"
#include "lib/strbuf.h"

void
cc_init(struct cc *c)
{
    memset(c, 0, sizeof *c);
    arena_init(&c->arena);
    c->diag = stderr;
    c->max_errors = 20;
    c->cpp = "cpp";
}

void
cc_destroy(struct cc *c)
{
    if (c->backend_free)
        c->backend_free(c->backend);
    arena_destroy(&c->arena);
}

static void
report(struct cc *c, const char *kind, struct loc loc, const char *fmt,
       va_list ap)
{
    char *msg = xvasprintf(fmt, ap);
    const char *file = loc.file ? loc.file : c->main_file ? c->main_file : "?";
    diag_print(c->diag, kind, file, NULL, loc.line, loc.col, "%s", msg);
    free(msg);
}

void
cc_error(struct cc *c, struct loc loc, const char *fmt, ...)
{
    c->nerrors++;
    if (c->nerrors > c->max_errors)
        return;
    va_list ap;
    va_start(ap, fmt);
    report(c, "error", loc, fmt, ap);
    va_end(ap);
}

void
cc_warning(struct cc *c, struct loc loc, const char *fmt, ...)
{
    if (c->no_warnings)
        return;
    c->nwarnings++;
    va_list ap;
    va_start(ap, fmt);
    report(c, "warning", loc, fmt, ap);
    va_end(ap);
}

char *
cc_preprocess(struct cc *c, const char *path)
{
    struct loc none = {path, 0, 0};
    if (access(path, R_OK) < 0) {
        cc_error(c, none, "cannot read the program: %s", strerror(errno));
        return NULL;
    }
    int fd[2];
    if (pipe(fd) < 0) {
        cc_error(c, none, "pipe: %s", strerror(errno));
        return NULL;
    }
    /* argv: cpp -undef -nostdinc -x assembler-with-cpp -I<p4include>
     * [user -I/-D/-U...] path */
    const char *argv[256 + 16];
    int n = 0;
    argv[n++] = c->cpp;
    argv[n++] = "-undef";
    argv[n++] = "-nostdinc";
    argv[n++] = "-x";
    argv[n++] = "assembler-with-cpp";
    for (int i = 0; c->cpp_args && c->cpp_args[i] && n < 256; i++)
        argv[n++] = c->cpp_args[i];
    char *inc = c->p4include ? xasprintf("-I%s", c->p4include) : NULL;
    if (inc)
        argv[n++] = inc;
    argv[n++] = "-D__TARGET_BMV2__";
    argv[n++] = "-D__p4c__";
    argv[n++] = path;
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        cc_error(c, none, "fork: %s", strerror(errno));
        free(inc);
        close(fd[0]);
        close(fd[1]);
        return NULL;
    }
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr,
                "fop4-p4c: cannot run the C preprocessor '%s': %s "
                "(install the cpp package)\n",
                argv[0], strerror(errno));
        _exit(127);
    }
    free(inc);
    close(fd[1]);
    struct strbuf sb = STRBUF_INIT;
    char buf[65536];
    for (;;) {
        ssize_t r = read(fd[0], buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        strbuf_add(&sb, buf, (size_t)r);
    }
    close(fd[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        c->nerrors++;
        strbuf_destroy(&sb);
        return NULL; /* cpp printed its own file:line: error */
    }
    if (!sb.s)
        strbuf_puts(&sb, "");
    return strbuf_steal(&sb);
}

int
cc_load(struct cc *c, const char *path)
{
    c->main_file = path;
    char *text = cc_preprocess(c, path);
    if (!text)
        return -1;
    int r = cc_parse_text(c, path, text);
    free(text);
    return r;
}
