/* test_docker.c - the Docker Engine API client (src/engine/docker.c) against
 * the real dockerd: create with limits, start, inspect, exec, limits in the
 * container's cgroup (v1 or v2) and changed at runtime, list and clean by
 * label leave a foreign container alone. Skips when not root or when dockerd
 * does not answer. Containers are named fop4tu<pid>.* and removed at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/docker.h"
#include "lib/err.h"
#include "lib/util.h"
#include "test.h"

static struct docker *d;
static char prefix[32], foreign[32];
static char *id;

/* Reads FILE of the cgroup controller CTRL that process pid is in, for
 * cgroup v1 (/sys/fs/cgroup/<mount>/<path>/FILE) or v2 (unified). Returns the
 * first line (caller frees) or NULL. */
static char *
cgroup_read(int pid, const char *ctrl, const char *v1file, const char *v2file)
{
    char p[128];
    snprintf(p, sizeof p, "/proc/%d/cgroup", pid);
    char *cg = read_file(p, NULL);
    if (!cg)
        return NULL;
    char *path = NULL, *mount = NULL, *save = NULL;
    int v2 = access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0;
    for (char *l = strtok_r(cg, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        *c2 = 0;
        const char *ctrls = c1 + 1;
        if (v2 && !*ctrls) {
            path = xasprintf("/sys/fs/cgroup%s/%s", c2 + 1, v2file);
            break;
        }
        /* "cpu,cpuacct" or "cpu": match a whole controller name. */
        char *dup = xstrdup(ctrls), *s2 = NULL;
        for (char *t = strtok_r(dup, ",", &s2); t; t = strtok_r(NULL, ",", &s2))
            if (!strcmp(t, ctrl))
                mount = xstrdup(ctrls);
        free(dup);
        if (mount) {
            path = xasprintf("/sys/fs/cgroup/%s%s/%s", mount, c2 + 1, v1file);
            break;
        }
    }
    free(mount);
    free(cg);
    char *val = path ? read_file(path, NULL) : NULL;
    if (!val) {
        printf("  cannot read %s\n", path ? path : "(no cgroup)");
        fflush(stdout);
    }
    free(path);
    if (val)
        val[strcspn(val, "\n")] = 0;
    return val;
}

/* 1 if text has a line equal to line. */
static int
has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; p && *p;
         p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncmp(p, line, n) && (p[n] == '\n' || !p[n]))
            return 1;
    return 0;
}

static void
test_ping(void)
{
    char *v = NULL;
    struct err e = {0};
    CHECK_INT(docker_ping(d, &v, &e), 0);
    CHECK(v && *v);
    free(v);
}

static void
test_bad_socket(void)
{
    struct err e = {0};
    struct docker *x = docker_open("/nonexistent/docker.sock", &e);
    CHECK(x);
    CHECK(docker_ping(x, NULL, &e) < 0);
    CHECK(strstr(e.msg, "cannot connect to dockerd") != NULL);
    docker_close(x);
}

static void
test_image(void)
{
    struct err e = {0};
    CHECK_INT(docker_image_exists(d, "fop4/busybox", &e), 1);
    CHECK_INT(docker_image_exists(d, "fop4/no-such-image", &e), 0);
    char **tags = NULL;
    int n = docker_image_list(d, &tags, &e);
    CHECK(n >= 1);
    int found = 0;
    for (int i = 0; i < n; i++)
        found |= !strcmp(tags[i], "fop4/busybox:latest");
    CHECK(found);
    docker_argv_free(tags);
    char **argv = NULL;
    CHECK_INT(docker_image_default_argv(d, "fop4/busybox", &argv, &e), 0);
    CHECK(argv && argv[0] && !strcmp(argv[0], "/bin/sh"));
    docker_argv_free(argv);
    e = (struct err){0};
    CHECK_INT(docker_image_default_argv(d, "nope/nope", &argv, &e), -ENOENT);
    CHECK(strstr(e.msg, "not found") != NULL);
}

static void
test_create_exec(void)
{
    struct err e = {0};
    const char *ep[] = {"/bin/sleep", "3600", NULL};
    const char *env[] = {"FOO=bar baz", NULL};
    struct docker_create_opts o = {
        .prefix = prefix,
        .node = "c1",
        .image = "fop4/busybox",
        .entrypoint = ep,
        .env = env,
        .res = {.cpu_quota = 50000,
                .cpu_period = 100000,
                .cpu_shares = 512,
                .mem_limit = 64 << 20},
    };
    CHECK_INT(docker_container_create(d, &o, &id, &e), 0);
    if (!id) {
        printf("  %s\n", e.msg);
        return;
    }
    /* The same name again: a clear error. */
    char *id2 = NULL;
    struct err e2 = {0};
    CHECK_INT(docker_container_create(d, &o, &id2, &e2), -EEXIST);
    CHECK(strstr(e2.msg, "fop4 clean") != NULL);
    CHECK_INT(docker_container_start(d, id, &e), 0);
    struct docker_state st;
    CHECK_INT(docker_container_inspect(d, id, &st, &e), 0);
    CHECK(st.running);
    CHECK(st.pid > 0);
    CHECK_STR(st.status, "running");

    char *out = NULL;
    const char *cmd[] = {"/bin/sh", "-c",
                         "echo \"$FOO\"; hostname; "
                         "ip -o link | grep -c ': '; echo err >&2; exit 3",
                         NULL};
    CHECK_INT(docker_exec(d, id, cmd, &out, &e), 3);
    /* stdout and stderr are separate pipes that dockerd copies separately:
     * their order is not kept. */
    CHECK(has_line(out, "bar baz"));
    CHECK(has_line(out, "c1"));
    CHECK(has_line(out, "1")); /* only lo and nothing else: NetworkMode none */
    CHECK(has_line(out, "err"));
    if (test_failed_)
        printf("  exec output: [%s]\n", out ? out : "(null)");
    free(out);
    const char *bad[] = {"/no/such/binary", NULL};
    CHECK(docker_exec(d, id, bad, &out, &e) != 0);
    free(out);

    /* Limits in the container's cgroup. */
    char *q = cgroup_read(st.pid, "cpu", "cpu.cfs_quota_us", "cpu.max");
    CHECK(q && (!strcmp(q, "50000") || !strcmp(q, "50000 100000")));
    free(q);
    char *m =
        cgroup_read(st.pid, "memory", "memory.limit_in_bytes", "memory.max");
    CHECK_STR(m, "67108864");
    free(m);
    char *sh = cgroup_read(st.pid, "cpu", "cpu.shares", "cpu.weight");
    CHECK(sh && (!strcmp(sh, "512") || atoi(sh) > 0));
    free(sh);

    /* ... changed at runtime. */
    struct docker_resources r = {.cpu_quota = 20000, .mem_limit = 128 << 20};
    CHECK_INT(docker_update(d, id, &r, &e), 0);
    q = cgroup_read(st.pid, "cpu", "cpu.cfs_quota_us", "cpu.max");
    CHECK(q && (!strcmp(q, "20000") || !strcmp(q, "20000 100000")));
    free(q);
    m = cgroup_read(st.pid, "memory", "memory.limit_in_bytes", "memory.max");
    CHECK_STR(m, "134217728");
    free(m);
    struct docker_resources cs = {.cpuset = "0", .cpu_shares = 256};
    CHECK_INT(docker_update(d, id, &cs, &e), 0);
    char *cpus = cgroup_read(st.pid, "cpuset", "cpuset.cpus", "cpuset.cpus");
    CHECK_STR(cpus, "0");
    free(cpus);
    sh = cgroup_read(st.pid, "cpu", "cpu.shares", "cpu.weight");
    CHECK(sh && (!strcmp(sh, "256") || atoi(sh) > 0));
    free(sh);
    struct docker_resources un = {.cpu_quota = -1};
    CHECK_INT(docker_update(d, id, &un, &e), 0);
    q = cgroup_read(st.pid, "cpu", "cpu.cfs_quota_us", "cpu.max");
    CHECK(q && (!strcmp(q, "-1") || !strncmp(q, "max", 3)));
    free(q);
    struct docker_resources badr = {.mem_limit = 1024};
    e = (struct err){0};
    CHECK(docker_update(d, id, &badr, &e) < 0);
    CHECK(strstr(e.msg, "docker: update") != NULL);
    if (test_failed_)
        printf("  last error: %s\n", e.msg);
}

/* A file copied into the container with the archive API (`docker cp`). */
static void
test_put_archive(void)
{
    struct err e = {0};
    if (!id)
        return;
    /* A tar of one file "hello" with "hi\n": header, data padded, end. */
    static char tar[512 * 4];
    memset(tar, 0, sizeof tar);
    char *h = tar;
    snprintf(h, 100, "hello");
    snprintf(h + 100, 8, "%07o", 0644u);
    snprintf(h + 108, 8, "%07o", 0u);
    snprintf(h + 116, 8, "%07o", 0u);
    snprintf(h + 124, 12, "%011o", 3u);
    snprintf(h + 136, 12, "%011o", 0u);
    memset(h + 148, ' ', 8);
    h[156] = '0';
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += (unsigned char)h[i];
    snprintf(h + 148, 8, "%06o", sum);
    h[155] = ' ';
    memcpy(tar + 512, "hi\n", 3);
    CHECK_INT(docker_container_put_archive(d, id, "/tmp", tar, sizeof tar, &e),
              0);
    const char *cat[] = {"cat", "/tmp/hello", NULL};
    char *out = NULL;
    CHECK_INT(docker_exec(d, id, cat, &out, &e), 0);
    CHECK_STR(out, "hi\n");
    free(out);
    e = (struct err){0};
    CHECK(docker_container_put_archive(d, id, "/no/such/dir", tar, sizeof tar,
                                       &e) < 0);
    if (test_failed_)
        printf("  %s\n", e.msg);
}

/* docker_exec_tty through a pseudo-terminal: input typed on our terminal
 * reaches the command, its output comes back, its exit status is returned. */
static void
test_exec_tty(void)
{
    struct err e = {0};
    if (!id)
        return;
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0);
    if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
        return;
    int sl = open(ptsname(m), O_RDWR | O_NOCTTY);
    CHECK(sl >= 0);
    struct winsize ws = {.ws_row = 31, .ws_col = 101};
    ioctl(sl, TIOCSWINSZ, &ws); /* the command's terminal gets this size */
    const char *typed = "echo tty-$((40+2)); [ -t 0 ] && echo is-a-tty; "
                        "stty size; exit 5\n";
    CHECK(write(m, typed, strlen(typed)) == (ssize_t)strlen(typed));
    const char *argv[] = {"/bin/sh", NULL};
    CHECK_INT(docker_exec_tty(d, id, argv, sl, sl, &e), 5);
    char buf[4096];
    size_t n = 0;
    fcntl(m, F_SETFL, O_NONBLOCK);
    for (ssize_t r;
         n < sizeof buf - 1 && (r = read(m, buf + n, sizeof buf - 1 - n)) > 0;)
        n += (size_t)r;
    buf[n] = 0;
    CHECK(strstr(buf, "tty-42") != NULL);
    CHECK(strstr(buf, "is-a-tty") != NULL);
    CHECK(strstr(buf, "31 101") != NULL);
    if (test_failed_)
        printf("  got: %s / %s\n", buf, e.msg);
    close(sl);
    close(m);
}

static void
test_list_clean(void)
{
    struct err e = {0};
    /* A foreign container: another prefix, and one without our labels. */
    const char *ep[] = {"/bin/sleep", "3600", NULL};
    struct docker_create_opts o = {.prefix = foreign,
                                   .node = "x",
                                   .image = "fop4/busybox",
                                   .entrypoint = ep};
    char *fid = NULL;
    CHECK_INT(docker_container_create(d, &o, &fid, &e), 0);

    struct docker_container *l = NULL;
    size_t n = 0;
    CHECK_INT(docker_container_list(d, prefix, &l, &n, &e), 0);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(l[0].node, "c1");
        CHECK(l[0].name && !strcmp(l[0].name + strlen(prefix), ".c1"));
        CHECK_STR(l[0].state, "running");
    }
    docker_container_list_free(l, n);

    CHECK_INT(docker_clean(prefix, 0, &e), 1);
    CHECK_INT(docker_clean(prefix, 0, &e), 0);
    struct docker_state st;
    CHECK_INT(docker_container_inspect(d, id, &st, &e), -ENOENT);
    CHECK_INT(docker_container_inspect(d, fid, &st, &e), 0);
    CHECK_INT(docker_container_remove(d, fid, &e), 0);
    CHECK_INT(docker_container_remove(d, fid, &e), 0);
    free(fid);
}

/* Removes containers that an earlier run of this test left behind when it
 * was killed: prefixes PFX<pid> of this test whose process is gone. */
static void
clean_dead_runs(void)
{
    static const char *const mine[] = {"fop4tu", "fop4tv"};
    struct docker *dd = docker_open(NULL, NULL);
    struct docker_container *l = NULL;
    size_t n = 0;
    if (dd && docker_container_list(dd, NULL, &l, &n, NULL) == 0)
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < sizeof mine / sizeof *mine; k++) {
                size_t len = strlen(mine[k]);
                const char *nm = l[i].name;
                int pid = 0;
                char proc[32];
                if (!nm || strncmp(nm, mine[k], len) ||
                    sscanf(nm + len, "%d", &pid) != 1 || pid <= 0)
                    continue;
                snprintf(proc, sizeof proc, "/proc/%d", pid);
                if (access(proc, F_OK) != 0)
                    docker_container_remove(dd, l[i].id, NULL);
            }
    docker_container_list_free(l, n);
    docker_close(dd);
}

int
main(void)
{
    struct err e = {0};
    if (geteuid() != 0) {
        printf("SKIP: test_docker (needs root)\n");
        return 0;
    }
    d = docker_open(NULL, &e);
    if (!d || docker_ping(d, NULL, &e) < 0) {
        printf("SKIP: test_docker (%s)\n", e.msg);
        docker_close(d);
        return 0;
    }
    const char *root = getenv("FOP4_ROOT");
    char *cmd =
        xasprintf("%s/scripts/images.sh --quiet busybox", root ? root : ".");
    if (system(cmd) != 0) {
        printf("FAIL: test_docker: cannot build fop4/busybox (%s)\n", cmd);
        return 1;
    }
    free(cmd);
    snprintf(prefix, sizeof prefix, "fop4tu%d", (int)getpid());
    snprintf(foreign, sizeof foreign, "fop4tv%d", (int)getpid());
    docker_clean(prefix, 0, NULL);
    clean_dead_runs();

    RUN_TEST(test_ping);
    RUN_TEST(test_bad_socket);
    RUN_TEST(test_image);
    RUN_TEST(test_create_exec);
    RUN_TEST(test_exec_tty);
    RUN_TEST(test_put_archive);
    RUN_TEST(test_list_clean);

    docker_clean(prefix, 0, NULL);
    docker_clean(foreign, 0, NULL);
    free(id);
    docker_close(d);
    TEST_EXIT();
}
