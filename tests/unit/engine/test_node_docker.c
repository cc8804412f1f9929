/* test_node_docker.c - the docker node kind through the engine's C API with
 * the real dockerd: hosts and containers on one bridge ping each other, the
 * container's start command sees its interfaces up, commands run inside the
 * container, limits reach the container's cgroup and change at runtime,
 * runtime add/remove, and net_free leaves no container. Skips when not root or
 * when dockerd does not answer. Prefix fop4tn<pid>. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/docker.h"
#include "fop4/net.h"
#include "lib/err.h"
#include "lib/util.h"
#include "test.h"

static char prefix[32];
static struct net *net;
static char voldir[64];
static char *volspec;

/* First line of a cgroup file of process pid (v1 controller or v2). */
static char *
cgroup_read(int pid, const char *ctrl, const char *v1file, const char *v2file)
{
    char p[128];
    snprintf(p, sizeof p, "/proc/%d/cgroup", pid);
    char *cg = read_file(p, NULL);
    if (!cg)
        return NULL;
    char *path = NULL, *save = NULL;
    int v2 = access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0;
    for (char *l = strtok_r(cg, "\n", &save); l && !path;
         l = strtok_r(NULL, "\n", &save)) {
        char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        *c2 = 0;
        if (v2 && !c1[1]) {
            path = xasprintf("/sys/fs/cgroup%s/%s", c2 + 1, v2file);
            break;
        }
        char *dup = xstrdup(c1 + 1), *s2 = NULL;
        for (char *t = strtok_r(dup, ",", &s2); t; t = strtok_r(NULL, ",", &s2))
            if (!strcmp(t, ctrl) && !path)
                path =
                    xasprintf("/sys/fs/cgroup/%s%s/%s", c1 + 1, c2 + 1, v1file);
        free(dup);
    }
    free(cg);
    char *val = path ? read_file(path, NULL) : NULL;
    free(path);
    if (val)
        val[strcspn(val, "\n")] = 0;
    return val;
}

static int
count_ours(void)
{
    struct docker *d = docker_open(NULL, NULL);
    struct docker_container *l = NULL;
    size_t n = 0;
    docker_container_list(d, prefix, &l, &n, NULL);
    docker_container_list_free(l, n);
    docker_close(d);
    return (int)n;
}

static int
node_pid(const char *name)
{
    const char *ns = node_netns(net_get_node(net, name));
    int pid = 0;
    if (ns)
        sscanf(ns, "/proc/%d/", &pid);
    return pid;
}

static void
test_start(void)
{
    struct err e = {0};
    struct net_opts o = {.prefix = prefix};
    net = net_new(&o);
    const char *env[] = {"GREETING=hello world", NULL};
    struct node_params d1 = {
        .docker = {.image = "fop4/busybox",
                   /* What the start command sees: its interface, up. */
                   .cmd = "ip -o link show d1-eth0 >/tmp/links; "
                          "ip -o -4 addr >/tmp/addrs; echo \"$GREETING\" "
                          ">/tmp/env; exec sleep 3600",
                   .env = env,
                   .cpu_quota = 50000,
                   .cpu_period = 100000,
                   .mem_limit = 64 << 20}};
    /* A read-only volume with a file in it, CPU pinning and a weight. */
    snprintf(voldir, sizeof voldir, "/tmp/fop4tn-vol-%d", (int)getpid());
    mkdir(voldir, 0755);
    char *f = xasprintf("%s/hello", voldir);
    FILE *fp = fopen(f, "w");
    if (fp) {
        fputs("from the host\n", fp);
        fclose(fp);
    }
    free(f);
    volspec = xasprintf("%s:/data:ro", voldir);
    const char *vols[] = {volspec, NULL};
    struct node_params d2 = {.docker = {.image = "fop4/busybox",
                                        .volumes = vols,
                                        .cpuset = "0",
                                        .cpu_shares = 256}};
    CHECK(net_add_host(net, "h1", NULL, &e));
    CHECK(net_add_node(net, "d1", NODE_DOCKER, &d1, &e));
    CHECK(net_add_node(net, "d2", NODE_DOCKER, &d2, &e));
    CHECK(net_add_node(net, "s1", NODE_BRIDGE, NULL, &e));
    CHECK(net_add_link(net, "h1", "s1", NULL, NULL, NULL, &e));
    CHECK(net_add_link(net, "d1", "s1", NULL, NULL, NULL, &e));
    CHECK(net_add_link(net, "d2", "s1", NULL, NULL, NULL, &e));
    CHECK_INT(net_start(net, &e), 0);
    if (test_failed_)
        printf("  %s\n", e.msg);
    CHECK_INT(count_ours(), 2);
}

static void
test_exec(void)
{
    struct err e = {0};
    struct node *d1 = net_get_node(net, "d1");
    char *out = NULL;
    /* The start command ran once its interface was up. */
    int st = -1;
    for (int i = 0; i < 50; i++) {
        free(out);
        out = NULL;
        st = node_exec(d1, "cat /tmp/links /tmp/addrs /tmp/env", &out, &e);
        if (st == 0)
            break;
        usleep(100 * 1000);
    }
    CHECK_INT(st, 0);
    CHECK(out && strstr(out, "d1-eth0"));
    CHECK(out && strstr(out, ",UP"));      /* administratively up */
    CHECK(out && strstr(out, "LOWER_UP")); /* and carrier: the peer is up */
    if (test_failed_)
        printf("  start command saw: %s\n", out ? out : "(nothing)");
    CHECK(out && node_ip(d1) && strstr(out, node_ip(d1)));
    CHECK(out && strstr(out, "hello world"));
    free(out);
    CHECK_INT(node_exec(d1, "hostname", &out, &e), 0);
    CHECK_STR(out, "d1\n");
    free(out);
    CHECK_INT(node_exec(d1, "exit 7", NULL, &e), 7);

    struct node *d2 = net_get_node(net, "d2");
    CHECK_INT(node_exec(d2, "cat /data/hello", &out, &e), 0);
    CHECK_STR(out, "from the host\n");
    free(out);
    CHECK(node_exec(d2, "touch /data/x 2>/dev/null", NULL, &e) != 0); /* :ro */
}

static void
test_ping(void)
{
    struct err e = {0};
    const char *names[] = {"h1", "d1", "d2"};
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            if (a == b)
                continue;
            char *cmd = xasprintf("ping -c1 -W5 %s",
                                  node_ip(net_get_node(net, names[b])));
            char *out = NULL;
            int st = node_exec(net_get_node(net, names[a]), cmd, &out, &e);
            if (st != 0)
                printf("  %s -> %s: %s\n", names[a], names[b],
                       out ? out : e.msg);
            CHECK_INT(st, 0);
            free(out);
            free(cmd);
        }
}

static void
test_limits(void)
{
    struct err e = {0};
    int pid = node_pid("d1");
    CHECK(pid > 0);
    char *q = cgroup_read(pid, "cpu", "cpu.cfs_quota_us", "cpu.max");
    CHECK(q && !strncmp(q, "50000", 5));
    free(q);
    char *m = cgroup_read(pid, "memory", "memory.limit_in_bytes", "memory.max");
    CHECK_STR(m, "67108864");
    free(m);
    struct docker_resources r = {.cpu_quota = 25000, .mem_limit = 32 << 20};
    CHECK_INT(node_docker_update(net_get_node(net, "d1"), &r, &e), 0);
    q = cgroup_read(pid, "cpu", "cpu.cfs_quota_us", "cpu.max");
    CHECK(q && !strncmp(q, "25000", 5));
    free(q);
    m = cgroup_read(pid, "memory", "memory.limit_in_bytes", "memory.max");
    CHECK_STR(m, "33554432");
    free(m);
    CHECK(node_docker_update(net_get_node(net, "h1"), &r, &e) < 0);
    int pid2 = node_pid("d2");
    char *cs = cgroup_read(pid2, "cpuset", "cpuset.cpus", "cpuset.cpus");
    CHECK_STR(cs, "0");
    free(cs);
    cs = cgroup_read(pid2, "cpu", "cpu.shares", "cpu.weight");
    CHECK(cs && (!strcmp(cs, "256") || atoi(cs) > 0));
    free(cs);

    /* The shell's form: KEY=VALUE words. */
    struct node *d1 = net_get_node(net, "d1");
    const char *a1[] = {"cpus=0.3", "memory=48m"};
    CHECK_INT(node_docker_update_args(d1, 2, a1, &e), 0);
    q = cgroup_read(pid, "cpu", "cpu.cfs_quota_us", "cpu.max");
    CHECK(q && !strncmp(q, "30000", 5));
    free(q);
    m = cgroup_read(pid, "memory", "memory.limit_in_bytes", "memory.max");
    CHECK_STR(m, "50331648");
    free(m);
    e = (struct err){0};
    const char *a2[] = {"cpus=0.1", "memroy=32m"};
    CHECK(node_docker_update_args(d1, 2, a2, &e) < 0);
    CHECK(strstr(e.msg, "did you mean 'memory'") != NULL);
    q = cgroup_read(pid, "cpu", "cpu.cfs_quota_us", "cpu.max");
    CHECK(q && !strncmp(q, "30000", 5)); /* nothing changed */
    free(q);
    e = (struct err){0};
    const char *a3[] = {"cpus=lots"};
    CHECK(node_docker_update_args(d1, 1, a3, &e) < 0);
    CHECK(strstr(e.msg, "bad cpus 'lots'") != NULL);
    e = (struct err){0};
    const char *a4[] = {"cpus=none", "memory=none"};
    CHECK_INT(node_docker_update_args(d1, 2, a4, &e), 0);
    q = cgroup_read(pid, "cpu", "cpu.cfs_quota_us", "cpu.max");
    CHECK(q && (!strcmp(q, "-1") || !strncmp(q, "max", 3)));
    free(q);
    m = cgroup_read(pid, "memory", "memory.limit_in_bytes", "memory.max");
    CHECK(m && (!strcmp(m, "max") || strtoll(m, NULL, 10) > (1ll << 60)));
    free(m);
    if (test_failed_)
        printf("  %s\n", e.msg);
}

static void
test_runtime(void)
{
    struct err e = {0};
    struct node_params d3 = {.docker = {.image = "fop4/busybox"}};
    CHECK(net_add_node(net, "d3", NODE_DOCKER, &d3, &e));
    CHECK(net_add_link(net, "d3", "s1", NULL, NULL, NULL, &e));
    char *cmd = xasprintf("ping -c1 -W5 %s", node_ip(net_get_node(net, "h1")));
    char *out = NULL;
    CHECK_INT(node_exec(net_get_node(net, "d3"), cmd, &out, &e), 0);
    free(out);
    free(cmd);
    CHECK_INT(count_ours(), 3);
    CHECK_INT(net_del_node(net, "d3", &e), 0);
    CHECK_INT(count_ours(), 2);
    if (test_failed_)
        printf("  %s\n", e.msg);
}

static void
test_bad(void)
{
    struct err e = {0};
    struct node_params p = {.docker = {.image = NULL}};
    CHECK(!net_add_node(net, "x1", NODE_DOCKER, &p, &e));
    CHECK(strstr(e.msg, "image") != NULL);
    e = (struct err){0};
    p.docker.image = "fop4/no-such-image";
    CHECK(!net_add_node(net, "x2", NODE_DOCKER, &p, &e));
    CHECK(strstr(e.msg, "not found") || strstr(e.msg, "No such image"));
    if (test_failed_)
        printf("  %s\n", e.msg);
    CHECK_INT(count_ours(), 2);
}

/* A container that Docker cannot start makes net_start fail: every container
 * made so far (and the ones prefetched) is removed again. */
static void
test_fail_unwinds(void)
{
    struct err e = {0};
    char pfx2[40];
    snprintf(pfx2, sizeof pfx2, "%sf", prefix);
    struct net_opts o = {.prefix = pfx2};
    struct net *n2 = net_new(&o);
    const char *vols[] = {"/proc/fop4-no-such-dir/x:/x", NULL};
    const char *relvol[] = {"data:/data", NULL};
    struct node_params good = {.docker = {.image = "fop4/busybox"}};
    struct node_params bad = {
        .docker = {.image = "fop4/busybox", .volumes = vols}};
    struct node_params rel = {
        .docker = {.image = "fop4/busybox", .volumes = relvol}};
    CHECK(!net_add_node(n2, "r1", NODE_DOCKER, &rel, &e));
    CHECK(strstr(e.msg, "/HOST_PATH") != NULL);
    e = (struct err){0};
    CHECK(net_add_node(n2, "g1", NODE_DOCKER, &good, &e));
    CHECK(net_add_node(n2, "b1", NODE_DOCKER, &bad, &e));
    CHECK(net_add_node(n2, "g2", NODE_DOCKER, &good, &e));
    CHECK(net_start(n2, &e) < 0);
    CHECK(strstr(e.msg, "b1") != NULL);
    printf("  (expected) %s\n", e.msg);
    struct docker *d = docker_open(NULL, NULL);
    struct docker_container *l = NULL;
    size_t n = 9;
    docker_container_list(d, pfx2, &l, &n, NULL);
    docker_container_list_free(l, n);
    docker_close(d);
    CHECK_INT(n, 0);
    net_free(n2);
    docker_clean(pfx2, 0, NULL);
}

static void
test_free(void)
{
    net_free(net);
    net = NULL;
    CHECK_INT(count_ours(), 0);
}

/* Removes containers that an earlier run of this test left behind when it
 * was killed: prefixes PFX<pid> of this test whose process is gone. */
static void
clean_dead_runs(void)
{
    static const char *const mine[] = {"fop4tn"};
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
        printf("SKIP: test_node_docker (needs root)\n");
        return 0;
    }
    struct docker *d = docker_open(NULL, &e);
    if (!d || docker_ping(d, NULL, &e) < 0) {
        printf("SKIP: test_node_docker (%s)\n", e.msg);
        docker_close(d);
        return 0;
    }
    docker_close(d);
    const char *root = getenv("FOP4_ROOT");
    char *cmd =
        xasprintf("%s/scripts/images.sh --quiet busybox", root ? root : ".");
    if (system(cmd) != 0) {
        printf("FAIL: test_node_docker: cannot build fop4/busybox\n");
        return 1;
    }
    free(cmd);
    snprintf(prefix, sizeof prefix, "fop4tn%d", (int)getpid());
    clean_dead_runs();

    RUN_TEST(test_start);
    RUN_TEST(test_exec);
    RUN_TEST(test_ping);
    RUN_TEST(test_limits);
    RUN_TEST(test_runtime);
    RUN_TEST(test_bad);
    RUN_TEST(test_fail_unwinds);
    RUN_TEST(test_free);

    net_free(net);
    docker_clean(prefix, 0, NULL);
    char *rm = xasprintf("rm -rf %s", voldir);
    if (system(rm) != 0)
        printf("  cannot remove %s\n", voldir);
    free(rm);
    free(volspec);
    TEST_EXIT();
}
