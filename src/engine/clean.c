/* clean.c - what outlives a crash, and how to remove it: net_clean() (`fop4
 * clean`) and the neighbour table limits.
 *
 * Everything a net creates is findable from its prefix alone:
 *   /run/netns/<prefix>-<node>, <prefix>--sw (bridges), <prefix>--relay
 *   /run/fop4/<prefix>/pids/<pid> "<starttime> <node> <what>"  our processes
 *   /run/fop4/<prefix>/owner     the pid of the fop4 process running the net
 *   /run/fop4/<prefix>/<switch>.log  a p4switch's output while it runs
 *   containers labelled fop4.prefix=<prefix>              (docker_clean())
 * Veths live only inside those namespaces and go with them. Node names never
 * contain '-', so "<prefix>-" matches no other prefix's objects.
 *
 * The ARP/neighbour table limits (net.ipv4.neigh.default.gc_thresh1..3) are
 * global and small by default; a net raises them while it runs. The first
 * raiser saves the old values in /run/fop4/neigh-saved; the last net to stop
 * (no other state directory left) restores them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/docker.h"
#include "engine/net_impl.h"

#define NEIGH_SAVED "/run/fop4/neigh-saved"

static const char *const gc_paths[3] = {
    "/proc/sys/net/ipv4/neigh/default/gc_thresh1",
    "/proc/sys/net/ipv4/neigh/default/gc_thresh2",
    "/proc/sys/net/ipv4/neigh/default/gc_thresh3",
};

static void
write_long(const char *path, long v)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fprintf(f, "%ld\n", v);
        fclose(f);
    }
}

void
net_raise_neigh_limits(struct net *net, size_t n_hosts)
{
    /* Every host may talk to every other one (pingall): n^2 entries, and the
     * bridges hold none. Capped to keep kernel memory sane. */
    long want = (long)(n_hosts * n_hosts) + 1024;
    if (want > 1L << 20)
        want = 1L << 20;
    long cur[3];
    for (int i = 0; i < 3; i++)
        cur[i] = read_long(gc_paths[i]);
    if (cur[2] < 0 || cur[2] >= want)
        return;
    mkdir("/run/fop4", 0755);
    int fd = open(NEIGH_SAVED, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
        char buf[96];
        int n =
            snprintf(buf, sizeof buf, "%ld %ld %ld\n", cur[0], cur[1], cur[2]);
        if (write(fd, buf, (size_t)n) < 0)
            unlink(NEIGH_SAVED);
        close(fd);
    }
    /* thresh3 first: the kernel wants thresh1 <= thresh2 <= thresh3. */
    write_long(gc_paths[2], want);
    write_long(gc_paths[1], want / 2 > cur[1] ? want / 2 : cur[1]);
    write_long(gc_paths[0], want / 4 > cur[0] ? want / 4 : cur[0]);
    net->saved_gc[0] = 1;
}

/* 1 if another net's state directory exists under /run/fop4. */
static int
other_nets_running(const char *prefix)
{
    DIR *d = opendir("/run/fop4");
    if (!d)
        return 0;
    struct dirent *de;
    int other = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || !strcmp(de->d_name, "neigh-saved") ||
            (prefix && !strcmp(de->d_name, prefix)))
            continue;
        char owner[512];
        snprintf(owner, sizeof owner, "/run/fop4/%s/owner", de->d_name);
        long pid = read_long(owner);
        if (pid > 0 && kill((pid_t)pid, 0) == 0)
            other = 1;
    }
    closedir(d);
    return other;
}

static void
restore_neigh(const char *prefix)
{
    if (other_nets_running(prefix))
        return;
    FILE *f = fopen(NEIGH_SAVED, "r");
    if (!f)
        return;
    long v[3];
    int ok = fscanf(f, "%ld %ld %ld", &v[0], &v[1], &v[2]) == 3;
    fclose(f);
    if (ok) {
        write_long(gc_paths[0], v[0]);
        write_long(gc_paths[1], v[1]);
        write_long(gc_paths[2], v[2]);
    }
    unlink(NEIGH_SAVED);
}

void
net_restore_neigh_limits(struct net *net)
{
    restore_neigh(net->prefix);
    net->saved_gc[0] = 0;
}

static int
cmp_ino(const void *a, const void *b)
{
    ino_t x = *(const ino_t *)a, y = *(const ino_t *)b;
    return x < y ? -1 : x > y;
}

int
netns_kill_procs(ino_t *inos, size_t n, int verbose)
{
    if (!n)
        return 0;
    qsort(inos, n, sizeof *inos, cmp_ino);
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    struct stat self;
    int have_self = stat("/proc/self/ns/net", &self) == 0;
    int killed = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] < '1' || de->d_name[0] > '9')
            continue;
        char path[300];
        snprintf(path, sizeof path, "/proc/%s/ns/net", de->d_name);
        struct stat st;
        if (stat(path, &st) < 0 || (have_self && st.st_ino == self.st_ino))
            continue;
        if (!bsearch(&st.st_ino, inos, n, sizeof *inos, cmp_ino))
            continue;
        pid_t pid = (pid_t)atol(de->d_name);
        if (pid == getpid())
            continue;
        if (kill(pid, SIGKILL) == 0) {
            killed++;
            if (verbose)
                printf("killed process %d (in one of our namespaces)\n",
                       (int)pid);
        }
    }
    closedir(d);
    return killed;
}

/* Kills the processes recorded under dir/pids whose start time still
 * matches (a reused pid is left alone). */
static int
kill_recorded(const char *dir, int verbose)
{
    char path[512];
    snprintf(path, sizeof path, "%s/pids", dir);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char file[800];
        snprintf(file, sizeof file, "%s/%s", path, de->d_name);
        pid_t pid = (pid_t)atol(de->d_name);
        FILE *f = fopen(file, "r");
        unsigned long long st = 0;
        char what[256] = "";
        if (f) {
            if (fscanf(f, "%llu %255[^\n]", &st, what) < 1)
                st = 0;
            fclose(f);
        }
        if (pid > 1 && st && proc_start_time(pid) == st) {
            kill(-pid, SIGKILL); /* its process group (setsid in spawn) */
            kill(pid, SIGKILL);
            if (verbose)
                printf("killed process %d (%s)\n", (int)pid, what);
            n++;
        }
        unlink(file);
    }
    closedir(d);
    rmdir(path);
    return n;
}

/* Removes the switches' logs ("<node>.log") a crashed run left in its run
 * directory dir, so that the directory itself can go. Logs the user asked
 * to keep are in /tmp, not here. Returns how many were removed. */
static int
remove_logs(const char *dir, int verbose)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 5 ||
            strcmp(de->d_name + len - 4, ".log"))
            continue;
        char path[800];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (unlink(path) == 0) {
            n++;
            if (verbose)
                printf("removed %s\n", path);
        }
    }
    closedir(d);
    return n;
}

int
net_clean(const char *prefix, int verbose, struct err *err)
{
    if (!prefix)
        prefix = "fop4";
    if (!*prefix || strchr(prefix, '/') || strchr(prefix, '-'))
        return err_set(err, -EINVAL, "bad prefix '%s'", prefix);
    int n = 0;
    char dir[256];
    snprintf(dir, sizeof dir, "/run/fop4/%s", prefix);
    char owner[300];
    snprintf(owner, sizeof owner, "%s/owner", dir);
    long opid = read_long(owner);
    if (opid > 0 && opid != getpid() && kill((pid_t)opid, 0) == 0) {
        char comm[64] = "";
        char p[64];
        snprintf(p, sizeof p, "/proc/%ld/comm", opid);
        FILE *f = fopen(p, "r");
        if (f) {
            if (!fgets(comm, sizeof comm, f))
                comm[0] = 0;
            fclose(f);
        }
        if (verbose)
            printf("note: process %ld (%.*s) still runs net '%s'; cleaning "
                   "anyway\n",
                   opid, (int)strcspn(comm, "\n"), comm, prefix);
    }
    n += kill_recorded(dir, verbose);
    struct err derr = {0};
    int nd = docker_clean(prefix, verbose, &derr);
    if (nd > 0)
        n += nd;
    /* Namespaces: "<prefix>-<node>", "<prefix>--sw", "<prefix>--relay". Every
     * process still inside one of them (shells, servers started with exec,
     * switch processes), then the namespaces. */
    DIR *d = opendir("/run/netns");
    if (d) {
        size_t pl = strlen(prefix);
        struct dirent *de;
        VEC(ino_t) inos = VEC_INIT;
        while ((de = readdir(d))) {
            if (strncmp(de->d_name, prefix, pl) || de->d_name[pl] != '-')
                continue;
            char path[512];
            struct stat st;
            snprintf(path, sizeof path, "/run/netns/%s", de->d_name);
            if (stat(path, &st) == 0)
                VEC_PUSH(&inos, st.st_ino);
        }
        n += netns_kill_procs(inos.v, inos.n, verbose);
        VEC_FREE(&inos);
        rewinddir(d);
        while ((de = readdir(d))) {
            if (strncmp(de->d_name, prefix, pl) || de->d_name[pl] != '-')
                continue;
            netns_delete(de->d_name);
            if (verbose)
                printf("removed namespace %s\n", de->d_name);
            n++;
        }
        closedir(d);
    }
    unlink(owner);
    n += remove_logs(dir, verbose);
    rmdir(dir);
    restore_neigh(prefix);
    if (nd < 0 && err && !err_is_set(err))
        *err = derr;
    return n;
}
