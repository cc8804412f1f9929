/* netns.c - named network namespaces (as `ip netns add` makes them, so that
 * `ip netns exec fop4-h1 ...` works), running commands and processes inside a
 * node, and the pidfiles `fop4 clean` uses. Helpers for the node kinds
 * (kind.h); node_exec() of the public API dispatches to a kind's exec. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/net_impl.h"
#include "engine/nl.h"
#include "lib/strbuf.h"

#define NETNS_RUN_DIR "/run/netns"

/* Makes /run/netns a shared mount point, as iproute2 does, so namespaces
 * mounted there are seen by every mount namespace (ip netns, docker). */
static int
prepare_run_dir(void)
{
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static int done;
    int rc = 0;
    pthread_mutex_lock(&mu);
    if (done)
        goto out;
    mkdir("/run", 0755);
    if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST) {
        rc = -errno;
        goto out;
    }
    for (int tries = 0; tries < 2; tries++) {
        if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
            break;
        if (errno != EINVAL || tries) {
            rc = -errno;
            goto out;
        }
        if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC,
                  NULL) < 0) {
            rc = -errno;
            goto out;
        }
    }
    done = 1;
out:
    pthread_mutex_unlock(&mu);
    return rc;
}

/* Creates namespace "name" under /run/netns; returns an fd on it. The new
 * namespace gets, unless ipv6, IPv6 disabled before any interface appears
 * (no autoconfiguration, no multicast storms). */
int
netns_create(const char *name, int ipv6, struct err *err)
{
    int rc = prepare_run_dir();
    if (rc < 0)
        return err_set(err, rc, "cannot prepare %s: %s", NETNS_RUN_DIR,
                       strerror(-rc));
    char path[160];
    snprintf(path, sizeof path, NETNS_RUN_DIR "/%s", name);
    int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    if (fd < 0) {
        rc = -errno;
        if (rc == -EEXIST)
            return err_set(err, rc,
                           "namespace %s exists (leftover from a crashed "
                           "run? run 'fop4 clean')",
                           name);
        return err_set(err, rc, "cannot create %s: %s", path, strerror(-rc));
    }
    close(fd);
    int saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (saved < 0) {
        rc = -errno;
        goto fail_unlink;
    }
    if (unshare(CLONE_NEWNET) < 0) {
        rc = -errno;
        err_set(err, rc, "cannot create network namespace %s: %s", name,
                strerror(-rc));
        close(saved);
        goto fail_unlink;
    }
    if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0) {
        rc = -errno;
        err_set(err, rc, "cannot bind-mount namespace %s: %s", name,
                strerror(-rc));
        nl_ns_leave(saved);
        goto fail_unlink;
    }
    fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (!ipv6) {
        nl_sysctl("net/ipv6/conf/all/disable_ipv6", "1");
        nl_sysctl("net/ipv6/conf/default/disable_ipv6", "1");
    }
    /* lo is brought up with the node's addresses (one netlink socket per
     * namespace instead of two: namespaces are most of bring-up time). */
    nl_ns_leave(saved);
    return fd;
fail_unlink:
    unlink(path);
    return rc;
}

void
netns_delete(const char *name)
{
    char path[160];
    snprintf(path, sizeof path, NETNS_RUN_DIR "/%s", name);
    umount2(path, MNT_DETACH);
    unlink(path);
}

int
node_create_netns(struct node *node, struct err *err)
{
    char name[96];
    snprintf(name, sizeof name, "%s-%s", node->net->prefix, node->name);
    int fd = netns_create(name, node->net->ipv6, err);
    if (fd < 0)
        return fd;
    snprintf(node->netns, sizeof node->netns, "%s", name);
    node->netns_fd = fd;
    return 0;
}

void
node_delete_netns(struct node *node)
{
    if (node->netns[0] && node->netns[0] != '/')
        netns_delete(node->netns);
}

void
node_close_netns(struct node *node)
{
    if (node->netns_fd >= 0)
        close(node->netns_fd);
    node->netns_fd = -1;
}

/* In a forked child: enter the node (network namespace, a private UTS
 * namespace named after the node, a mount namespace whose /sys shows the
 * node's interfaces as `ip netns exec` does). Async-signal-safe calls only. */
static void
child_enter(struct node *node)
{
    if (setns(node->netns_fd, CLONE_NEWNET) < 0)
        _exit(127);
    if (unshare(CLONE_NEWUTS) == 0)
        sethostname(node->name, strlen(node->name));
    if (unshare(CLONE_NEWNS) == 0) {
        mount("", "/", "none", MS_SLAVE | MS_REC, NULL);
        if (umount2("/sys", MNT_DETACH) == 0)
            mount(node->name, "/sys", "sysfs", 0, NULL);
    }
}

int
node_exec_ns(struct node *node, const char *cmd, char **out, struct err *err)
{
    if (node->netns_fd < 0)
        return err_set(err, -ESRCH, "node '%s' is not running", node->name);
    int pfd[2] = {-1, -1};
    if (out && pipe2(pfd, O_CLOEXEC) < 0)
        return err_set(err, -errno, "pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int e = -errno;
        if (out) {
            close(pfd[0]);
            close(pfd[1]);
        }
        return err_set(err, e, "fork: %s", strerror(-e));
    }
    if (pid == 0) {
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        if (out) {
            dup2(pfd[1], 1);
            dup2(pfd[1], 2);
            int nul = open("/dev/null", O_RDONLY);
            if (nul >= 0) {
                dup2(nul, 0);
                close(nul);
            }
        }
        child_enter(node);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    struct strbuf sb = STRBUF_INIT;
    if (out) {
        close(pfd[1]);
        char buf[4096];
        for (;;) {
            ssize_t n = read(pfd[0], buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            strbuf_add(&sb, buf, (size_t)n);
        }
        close(pfd[0]);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            strbuf_destroy(&sb);
            return err_set(err, -errno, "waitpid: %s", strerror(errno));
        }
    if (out)
        *out = sb.s ? strbuf_steal(&sb) : xstrdup("");
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return 128 + WTERMSIG(st);
}

int
node_exec(struct node *node, const char *cmd, char **out, struct err *err)
{
    if (out)
        *out = NULL;
    if (node->ops && node->ops->exec)
        return node->ops->exec(node, cmd, out, err);
    return node_exec_ns(node, cmd, out, err);
}

/* Reads field 22 (start time) of /proc/PID/stat, 0 if unknown. */
unsigned long long
proc_start_time(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p)
        return 0;
    unsigned long long v = 0;
    /* after ')': state(3) ppid ... starttime is the 22nd field overall */
    int field = 2;
    for (char *tok = strtok(p + 1, " "); tok; tok = strtok(NULL, " ")) {
        if (++field == 22) {
            v = strtoull(tok, NULL, 10);
            break;
        }
    }
    return v;
}

void
node_record_pid(struct node *node, pid_t pid, const char *what)
{
    char *path = xasprintf("%s/pids/%d", node->net->state_dir, (int)pid);
    FILE *f = fopen(path, "w");
    if (f) {
        fprintf(f, "%llu %s %s\n", proc_start_time(pid), node->name,
                what ? what : "");
        fclose(f);
    }
    free(path);
}

void
node_forget_pid(struct node *node, pid_t pid)
{
    char *path = xasprintf("%s/pids/%d", node->net->state_dir, (int)pid);
    unlink(path);
    free(path);
}

pid_t
node_spawn(struct node *node, char *const argv[], const char *logpath,
           struct err *err)
{
    if (node->netns_fd < 0)
        return err_set(err, -ESRCH, "node '%s' is not running", node->name);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return err_set(err, -errno, "fork: %s", strerror(errno));
    if (pid == 0) {
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        setsid();
        int fd = open(logpath ? logpath : "/dev/null",
                      O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0) {
            dup2(nul, 0);
            close(nul);
        }
        child_enter(node);
        execvp(argv[0], argv);
        _exit(127);
    }
    node_record_pid(node, pid, argv[0]);
    return pid;
}
