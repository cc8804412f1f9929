/* fop4-switch-cli - a drop-in for simple_switch_CLI: the runtime command
 * language of a running fop4-switch, interactively (libedit: history, command
 * completion) or from standard input ("fop4-switch-cli --thrift-port 9090 <
 * commands.txt"), printing what simple_switch_CLI prints, prompts included, and
 * exiting 0 at the end of the input. The commands run inside the switch
 * (control/cli.h); this program only carries lines over the control socket. */
#include <errno.h>
#include <histedit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control/cli.h"
#include "control/ctlsock.h"
#include "lib/util.h"

#define PROMPT "RuntimeCmd: "

static void
usage(FILE *f)
{
    fprintf(f, "usage: fop4-switch-cli [--thrift-port N] [--thrift-ip HOST] "
               "[--json FILE]\n"
               "                       [--pre None|SimplePre|SimplePreLAG]\n"
               "Runtime CLI of fop4-switch (simple_switch_CLI's language). "
               "Reads commands\n"
               "from a terminal (with history and completion) or from standard "
               "input.\n"
               "Type 'help' for the commands.\n");
}

/* "shell CMD" (or "!CMD"): runs CMD here, on the client, and prints its
 * output and a newline, as simple_switch_CLI does. */
static int
run_shell(const char *cmd)
{
    fflush(stdout);
    FILE *p = popen(cmd, "r");
    if (p) {
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0)
            fwrite(buf, 1, n, stdout);
        pclose(p);
    }
    fputs("\n", stdout);
    fflush(stdout);
    return 0;
}

/* The commands that name a file: they run inside the switch, whose working
 * directory is not ours, so a relative path is made absolute here (BMv2's
 * CLI opens them itself, relative to where it runs). Returns a new line or
 * NULL if nothing to change. */
static char *
absolute_file_arg(const char *line)
{
    static const char *const cmds[] = {
        "load_new_config_file", "write_config_to_file", "serialize_state"};
    char cmd[64], file[4096], rest[16];
    if (sscanf(line, " %63s %4095s %15s", cmd, file, rest) != 2 ||
        file[0] == '/')
        return NULL;
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        char cwd[4096];
        if (strcmp(cmd, cmds[i]) || !getcwd(cwd, sizeof cwd))
            continue;
        return xasprintf("%s %s/%s", cmd, cwd, file);
    }
    return NULL;
}

static int
run_line(int fd, const char *line)
{
    const char *p = line + strspn(line, " \t");
    if (p[0] == '!')
        return run_shell(p + 1);
    if (!strncmp(p, "shell", 5) && (p[5] == ' ' || p[5] == '\t'))
        return run_shell(p + 6);
    char *abs = absolute_file_arg(line);
    if (abs)
        line = abs;
    struct strbuf out = STRBUF_INIT;
    int rc = ctlsock_request(fd, line, &out);
    free(abs);
    if (rc < 0) {
        fprintf(stderr, "fop4-switch-cli: the switch closed the connection\n");
        strbuf_destroy(&out);
        return -1;
    }
    fputs(strbuf_str(&out), stdout);
    fflush(stdout);
    strbuf_destroy(&out);
    return 0;
}

static int
is_quit(const char *line)
{
    char w[16];
    return sscanf(line, "%15s", w) == 1 &&
           (!strcmp(w, "EOF") || !strcmp(w, "exit") || !strcmp(w, "quit"));
}

/* Non-interactive: prompt, command, output, as Python's cmd module prints
 * them when reading a pipe (BMv2's CLI tests compare exactly that). */
static int
batch(int fd)
{
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    for (;;) {
        fputs(PROMPT, stdout);
        fflush(stdout);
        ssize_t n = getline(&line, &cap, stdin);
        if (n < 0) {
            fputs("\n", stdout);
            break;
        }
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (is_quit(line))
            break;
        if (run_line(fd, line) < 0) {
            rc = 1;
            break;
        }
    }
    free(line);
    return rc;
}

static const char *
prompt_fn(EditLine *el)
{
    return PROMPT;
}

static int ctl_fd = -1;
static char **prog_names; /* tables, actions, ... of the running program */
static size_t n_prog_names;

/* Asks the switch once for the names a command's arguments may use (the first
 * word of each line of show_tables, show_actions, show_pvs). */
static void
load_prog_names(void)
{
    static const char *const lists[] = {"show_tables", "show_actions",
                                        "show_pvs"};
    if (prog_names || ctl_fd < 0)
        return;
    prog_names = xcalloc(1, sizeof *prog_names);
    for (size_t k = 0; k < ARRAY_SIZE(lists); k++) {
        struct strbuf out = STRBUF_INIT;
        if (ctlsock_request(ctl_fd, lists[k], &out) == 0) {
            for (char *l = out.s; l && *l;) {
                char *nl = strchr(l, '\n');
                size_t n = strcspn(l, " \n");
                if (n && strncmp(l, "Error", 5)) {
                    prog_names = xrealloc(prog_names, (n_prog_names + 2) *
                                                          sizeof *prog_names);
                    prog_names[n_prog_names++] = xstrndup(l, n);
                    prog_names[n_prog_names] = NULL;
                }
                l = nl ? nl + 1 : NULL;
            }
        }
        strbuf_destroy(&out);
    }
}

/* Completes word [start, cursor) from names: unique match inserted, else the
 * longest common prefix, else the list. */
static unsigned char
complete_from(EditLine *el, const char *start, size_t len,
              const char *const *names)
{
    const char *match = NULL;
    int count = 0;
    for (size_t i = 0; names && names[i]; i++)
        if (!strncmp(names[i], start, len)) {
            if (!match)
                match = names[i];
            count++;
        }
    if (!match)
        return CC_ERROR;
    if (count == 1) {
        el_insertstr(el, match + len);
        el_insertstr(el, " ");
        return CC_REDISPLAY;
    }
    size_t common = strlen(match);
    for (size_t i = 0; names[i]; i++)
        if (!strncmp(names[i], start, len)) {
            size_t k = 0;
            while (k < common && names[i][k] == match[k])
                k++;
            common = k;
        }
    if (common > len) {
        char *ins = xstrndup(match + len, common - len);
        el_insertstr(el, ins);
        free(ins);
        return CC_REDISPLAY;
    }
    fputc('\n', stdout);
    for (size_t i = 0; names[i]; i++)
        if (!strncmp(names[i], start, len))
            printf("%s  ", names[i]);
    fputc('\n', stdout);
    return CC_REDISPLAY;
}

/* Tab completes the command word from the command names, and later words from
 * the program's table, action and value-set names. */
static unsigned char
complete(EditLine *el, int ch)
{
    const LineInfo *li = el_line(el);
    const char *word = li->buffer;
    for (const char *p = li->buffer; p < li->cursor; p++)
        if (*p == ' ')
            word = p + 1;
    size_t len = (size_t)(li->cursor - word);
    if (word == li->buffer)
        return complete_from(el, word, len, cli_command_names());
    load_prog_names();
    return complete_from(el, word, len, (const char *const *)prog_names);
}

static int
interactive(int fd)
{
    EditLine *el = el_init("fop4-switch-cli", stdin, stdout, stderr);
    History *hist = history_init();
    HistEvent ev;
    history(hist, &ev, H_SETSIZE, 1000);
    el_set(el, EL_PROMPT, prompt_fn);
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_HIST, history, hist);
    el_set(el, EL_ADDFN, "fop4-complete", "complete a command", complete);
    el_set(el, EL_BIND, "^I", "fop4-complete", NULL);
    el_source(el, NULL);
    int rc = 0;
    for (;;) {
        int n;
        const char *line = el_gets(el, &n);
        if (!line || n <= 0) {
            fputs("\n", stdout);
            break;
        }
        char *l = xstrdup(line);
        size_t len = strlen(l);
        while (len && (l[len - 1] == '\n' || l[len - 1] == '\r'))
            l[--len] = '\0';
        if (len)
            history(hist, &ev, H_ENTER, l);
        if (is_quit(l)) {
            free(l);
            break;
        }
        if (run_line(fd, l) < 0) {
            free(l);
            rc = 1;
            break;
        }
        free(l);
    }
    history_end(hist);
    el_end(el);
    return rc;
}

int
main(int argc, char **argv)
{
    int port = 9090;
    const char *host = "localhost";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        char name[64];
        const char *eq = strchr(a, '=');
        if (eq && eq - a < (long)sizeof name) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
            val = eq + 1;
            a = name;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        }
        int takes = !strcmp(a, "--thrift-port") || !strcmp(a, "--thrift-ip") ||
                    !strcmp(a, "--json") || !strcmp(a, "--pre");
        if (!takes) {
            fprintf(stderr, "fop4-switch-cli: unknown argument '%s'\n",
                    argv[i]);
            usage(stderr);
            return 2;
        }
        if (!val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "fop4-switch-cli: %s needs a value\n", a);
                return 2;
            }
            val = argv[++i];
        }
        if (!strcmp(a, "--thrift-port")) {
            char *end;
            long p = strtol(val, &end, 10);
            if (*end || p <= 0 || p > 65535) {
                fprintf(stderr, "fop4-switch-cli: bad --thrift-port '%s'\n",
                        val);
                return 2;
            }
            port = (int)p;
        } else if (!strcmp(a, "--thrift-ip")) {
            host = val;
        }
        /* --json and --pre: the switch knows its program and its replication
         * engine; accepted for compatibility */
    }
    int fd = ctlsock_connect(host, port);
    if (fd < 0) {
        printf("Could not connect to thrift client on port %d\n"
               "Make sure the switch is running and that you have the right "
               "port\n",
               port);
        return 1;
    }
    printf("Obtaining JSON from switch...\nDone\n"
           "Control utility for runtime P4 table manipulation\n");
    fflush(stdout);
    ctl_fd = fd;
    int rc = isatty(STDIN_FILENO) ? interactive(fd) : batch(fd);
    for (size_t i = 0; i < n_prog_names; i++)
        free(prog_names[i]);
    free(prog_names);
    close(fd);
    return rc;
}
