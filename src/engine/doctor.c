/* doctor.c - `fop4 doctor`: what this machine offers the emulator and which
 * path the engine takes where a feature is missing. Kernel features are
 * tried for real in a throw-away network namespace (a module may be built in,
 * loadable or absent; only trying tells). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/docker.h"
#include "engine/net_impl.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

struct probe {
    const char *name;
    const char *cmd;
    const char *what;
};

static const struct probe probes[] = {
    {"veth", "ip link add fop4d0 type veth peer name fop4d1", "links"},
    {"bridge", "ip link add fop4br type bridge", "kind bridge"},
    {"htb", "tc qdisc add dev lo root handle 1: htb", "bw"},
    {"tbf",
     "tc qdisc replace dev lo root tbf rate 1mbit burst 10k latency 50ms",
     "bw (alternative)"},
    {"pfifo", "tc qdisc replace dev lo root pfifo limit 100", "max_queue"},
    {"netem", "tc qdisc replace dev lo root netem delay 1ms",
     "delay/jitter/loss in the kernel"},
    {"clsact", "tc qdisc add dev lo clsact", "tc BPF hooks"},
    {"nftables", "nft add table netdev fop4d", "nftables"},
};

/* Runs every probe in one child inside a fresh namespace; ok[i] = 1 if it
 * worked. Returns -1 if no namespace could be made. */
static int
run_probes(int *ok, size_t n)
{
    int pfd[2];
    if (pipe(pfd) < 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(pfd[0]);
        int nul = open("/dev/null", O_WRONLY);
        if (nul >= 0) {
            dup2(nul, 1);
            dup2(nul, 2);
        }
        if (unshare(CLONE_NEWNET) < 0)
            _exit(2);
        for (size_t i = 0; i < n; i++) {
            char c = system(probes[i].cmd) == 0 ? '1' : '0';
            if (write(pfd[1], &c, 1) != 1)
                _exit(1);
        }
        _exit(0);
    }
    close(pfd[1]);
    char buf[32] = {0};
    ssize_t got = 0, r;
    while (got < (ssize_t)sizeof buf &&
           (r = read(pfd[0], buf + got, sizeof buf - (size_t)got)) > 0)
        got += r;
    close(pfd[0]);
    int st;
    waitpid(pid, &st, 0);
    if (got <= 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        ok[i] = (ssize_t)i < got && buf[i] == '1';
    return 0;
}

static int
in_path(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/sbin:/usr/bin:/sbin:/bin";
    char *dup = xstrdup(path), *save = NULL;
    int found = 0;
    for (char *d = strtok_r(dup, ":", &save); d && !found;
         d = strtok_r(NULL, ":", &save)) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", d, prog);
        found = access(p, X_OK) == 0;
    }
    free(dup);
    return found;
}

/* The docker line: dockerd's version asked through the engine's own client
 * (docker.h: the socket of $DOCKER_HOST or /var/run/docker.sock), or why it
 * does not answer. */
static void
print_docker(FILE *out)
{
    struct err e = {0};
    char *version = NULL;
    const char *h = getenv("DOCKER_HOST");
    const char *sock = h && !strncmp(h, "unix://", 7) ? h + 7 : DOCKER_SOCK;
    struct docker *d = docker_open(NULL, &e);
    if (d && docker_ping(d, &version, &e) == 0)
        fprintf(out, "docker        dockerd %s on %s (docker nodes available)\n",
                version, sock);
    else
        fprintf(out, "docker        not reachable on %s: %s (docker nodes "
                "unavailable)\n", sock, e.msg);
    free(version);
    docker_close(d);
}

static const char *
cgroup_mode(void)
{
    struct statfs fs;
    if (statfs("/sys/fs/cgroup", &fs) < 0)
        return "none";
    if (fs.f_type == CGROUP2_SUPER_MAGIC)
        return "v2 (unified)";
    if (statfs("/sys/fs/cgroup/unified", &fs) == 0 &&
        fs.f_type == CGROUP2_SUPER_MAGIC)
        return "v1 (hybrid: v1 controllers, v2 at /sys/fs/cgroup/unified)";
    return "v1";
}

void
net_doctor(FILE *out)
{
    struct utsname u;
    uname(&u);
    fprintf(out, "kernel        %s %s\n", u.release, u.machine);
    fprintf(out, "root          %s\n",
            geteuid() == 0 ? "yes" : "no (networks need root)");
    struct stat st;
    fprintf(out, "netns         %s\n",
            stat("/proc/self/ns/net", &st) == 0 ? "yes" : "NO");
    int ok[ARRAY_SIZE(probes)] = {0};
    int probed = geteuid() == 0 && run_probes(ok, ARRAY_SIZE(probes)) == 0;
    for (size_t i = 0; i < ARRAY_SIZE(probes); i++)
        fprintf(out, "%-13s %s  (%s)\n", probes[i].name,
                !probed ? "unknown (needs root)"
                : ok[i] ? "yes"
                        : "no",
                probes[i].what);
    const char *f = getenv("FOP4_LINKEM");
    int relay = f && !strcmp(f, "relay") ? 1 : !net_have_netem();
    fprintf(out, "link delay/jitter/loss: %s%s\n",
            relay ? "engine relay (AF_PACKET, per direction, netem semantics)"
                  : "netem qdisc",
            f ? " [forced by FOP4_LINKEM]" : "");
    fprintf(out, "link bw/queue: htb + pfifo on each end\n");
    print_docker(out);
    fprintf(out, "cgroup        %s\n", cgroup_mode());
    fprintf(out, "br_netfilter  %s\n",
            stat("/proc/sys/net/bridge", &st) == 0
                ? "loaded (bridges are kept out of the root namespace)"
                : "not loaded");
    fprintf(out,
            "neighbour     gc_thresh1/2/3 = %ld/%ld/%ld (raised while a "
            "network runs)\n",
            read_long("/proc/sys/net/ipv4/neigh/default/gc_thresh1"),
            read_long("/proc/sys/net/ipv4/neigh/default/gc_thresh2"),
            read_long("/proc/sys/net/ipv4/neigh/default/gc_thresh3"));
    const char *tools[] = {"ip", "tc", "ping", "iperf3", "iperf", "tcpdump"};
    fprintf(out, "tools        ");
    for (size_t i = 0; i < ARRAY_SIZE(tools); i++)
        fprintf(out, " %s:%s", tools[i], in_path(tools[i]) ? "yes" : "no");
    fprintf(out, "\n");
}
