/* node_docker.c - the `docker` node kind: a node is a Docker container (see
 * kind.h for the life cycle the engine drives, docker.h for the API client).
 *
 * create()  creates and starts the container "<prefix>.<node>" with
 *           NetworkMode none and our init script as its entrypoint, then hands
 *           the engine /proc/<pid>/ns/net. The init makes a FIFO /.fop4-go in
 *           the container and blocks reading it, so nothing of the user's runs
 *           while the engine puts the interfaces in.
 * start()   writes "go" into that FIFO (through /proc/<pid>/root, no docker
 *           exec needed): the init then runs the user's cmd (or the image's own
 *           entrypoint+cmd) as its child, so its output is in `docker logs`,
 *           and stays alive afterwards so that commands can be run in it.
 * exec()    a Docker exec (`/bin/sh -c cmd`): the command runs exactly as in
 *           `docker exec` (the image's PATH and env, the container's cgroup, so
 *           its limits apply, its capabilities and seccomp profile).
 * destroy() removes the container (force: SIGKILL, then remove).
 *
 * Speed: Docker needs ~270 ms to create+start one container, one after the
 * other. The first create() of a net therefore starts the creation of every
 * docker node of the net not created yet on a small pool of threads, each
 * with its own connection; each later create() just waits for its own
 * result. (The engine also calls create() from several threads; both work
 * together.) If the engine gives up before it reaches some of them, the
 * next destroy() removes those. destroy() removes its container before it
 * returns; the engine tears nodes down in parallel. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/docker.h"
#include "engine/kind.h"
#include "engine/topo.h"
#include "lib/diag.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/strbuf.h"
#include "lib/util.h"

/* The container's entrypoint: /bin/sh -c INIT fop4-init MODE [ARGS...].
 * MODE "cmd" STRING runs /bin/sh -c STRING; MODE "exec" ARGV... runs ARGV (the
 * image's default command). Without mkfifo in the image it falls back to
 * polling for a plain file /.fop4-go, announced by /.fop4-poll. SIGTERM
 * (`docker stop`) is passed on to the command, which may end cleanly before
 * the container does. (The script could be copied in as a file, which would
 * read better in `ps`, but the archive API costs ~50 ms per container.) */
static const char INIT_SCRIPT[] =
    "trap '[ -n \"$c\" ] && kill -TERM $c 2>/dev/null && wait $c; exit 0' "
    "TERM INT\n"
    "f=/.fop4-go\n"
    "rm -f $f /.fop4-poll\n"
    "if mkfifo $f 2>/dev/null; then read _ <$f\n"
    "else : >/.fop4-poll\n"
    "  while [ ! -e $f ]; do sleep 0.05 2>/dev/null || sleep 1; done\n"
    "fi\n"
    "m=$1; shift\n"
    "case $m in\n"
    "cmd) /bin/sh -c \"$1\" & c=$!; wait $c ;;\n"
    "exec) [ $# -gt 0 ] && { \"$@\" & c=$!; wait $c; } ;;\n"
    "esac\n"
    "c=\n"
    "if [ -p $f ]; then while :; do read _ <$f; done; fi\n"
    "while :; do sleep 86400 & wait $!; done\n";

/* Threads that create and start containers at once. dockerd does much of the
 * work in parallel, but on two cores more than a few threads only queue in
 * it (measured: 2, 4 and 8 threads give the same 20-container time). */
#define POOL_THREADS 4

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE };

/* One container of ours: node->priv. Created by whoever first wants the
 * container (the node's own create() or a sibling's prefetch). */
struct dnode {
    struct node *node;
    int claimed;          /* the engine called create() for this node */
    enum job_state state; /* of the create job */
    int ret;              /* its result */
    struct err err;
    char *id;   /* container id, once created */
    int pid;    /* host pid of the container's init */
    char *name; /* "<prefix>.<node>" */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static VEC(struct dnode *) create_q = VEC_INIT;
static size_t create_head;
static int n_threads, n_busy;

static void docker_create_job(struct dnode *dn);

/* Runs the next queued create job (mu held; released while it runs).
 * Returns 0 when the queue is empty. */
static int
run_one_locked(void)
{
    if (create_head >= create_q.n) {
        create_q.n = create_head = 0;
        return 0;
    }
    struct dnode *dn = create_q.v[create_head++];
    dn->state = JOB_RUNNING;
    n_busy++;
    pthread_mutex_unlock(&mu);
    docker_create_job(dn);
    pthread_mutex_lock(&mu);
    dn->state = JOB_DONE;
    n_busy--;
    pthread_cond_broadcast(&cv);
    return 1;
}

static void *
worker(void *arg)
{
    pthread_mutex_lock(&mu);
    /* Leave when idle, so that no thread stays around. */
    while (run_one_locked())
        ;
    n_threads--;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    return arg;
}

/* Starts threads up to the work queued (mu held). */
static void
pool_kick(void)
{
    size_t pending = create_q.n - create_head;
    while (n_threads < POOL_THREADS && (size_t)(n_threads - n_busy) < pending) {
        pthread_t t;
        pthread_attr_t a;
        pthread_attr_init(&a);
        pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
        int r = pthread_create(&t, &a, worker, NULL);
        pthread_attr_destroy(&a);
        if (r)
            break;
        n_threads++;
    }
}

/* The argv of the container's entrypoint for this node (caller frees with
 * docker_argv_free). */
static char **
entrypoint_argv(struct docker *d, const struct docker_params *p,
                struct err *err)
{
    VEC(char *) v = VEC_INIT;
    VEC_PUSH(&v, xstrdup("/bin/sh"));
    VEC_PUSH(&v, xstrdup("-c"));
    VEC_PUSH(&v, xstrdup(INIT_SCRIPT));
    VEC_PUSH(&v, xstrdup("fop4-init"));
    if (p->cmd && *p->cmd) {
        VEC_PUSH(&v, xstrdup("cmd"));
        VEC_PUSH(&v, xstrdup(p->cmd));
    } else {
        char **def = NULL;
        if (docker_image_default_argv(d, p->image, &def, err) < 0) {
            for (size_t i = 0; i < v.n; i++)
                free(v.v[i]);
            VEC_FREE(&v);
            return NULL;
        }
        VEC_PUSH(&v, xstrdup("exec"));
        for (char **a = def; a && *a; a++)
            VEC_PUSH(&v, xstrdup(*a));
        docker_argv_free(def);
    }
    VEC_PUSH(&v, NULL);
    return v.v;
}

/* The create job: image check, create, start, inspect. Runs on a pool thread
 * (or inline); fills dn->ret, dn->err, dn->id, dn->pid. */
static void
docker_create_job(struct dnode *dn)
{
    struct node *node = dn->node;
    const struct docker_params *p = &node->params.docker;
    struct err *err = &dn->err;
    char **ep = NULL;
    struct docker *d = docker_open(NULL, err);
    if (!d) {
        dn->ret = -ENOMEM;
        return;
    }
    int ret;
    ep = entrypoint_argv(d, p, err);
    if (!ep) {
        ret = err->code ? err->code : -EINVAL;
        goto out;
    }
    struct docker_create_opts o = {
        .prefix = net_prefix(node->net),
        .node = node->name,
        .image = p->image,
        .entrypoint = (const char *const *)ep,
        .env = p->env,
        .binds = p->volumes,
        .res = {p->cpu_quota, p->cpu_period, p->cpu_shares, p->cpuset,
                p->mem_limit},
    };
    ret = docker_container_create(d, &o, &dn->id, err);
    if (ret < 0)
        goto out;
    ret = docker_container_start(d, dn->id, err);
    if (ret < 0) {
        if (strstr(err->msg, "/bin/sh") && strstr(err->msg, "no such file"))
            snprintf(err->msg + strlen(err->msg),
                     sizeof err->msg - strlen(err->msg),
                     " (a docker node's image needs /bin/sh: FOP4-C starts "
                     "containers with a small shell init)");
        goto out;
    }
    struct docker_state st;
    ret = docker_container_inspect(d, dn->id, &st, err);
    if (ret < 0)
        goto out;
    if (!st.running || st.pid <= 0) {
        char *logs = docker_container_logs(d, dn->id, 5);
        ret = err_set(err, -ESRCH,
                      "docker: container %s stopped right after its start "
                      "(status %s, exit code %d)%s%s",
                      dn->name, st.status, st.exit_code,
                      logs && *logs ? "; its output: " : "", logs ? logs : "");
        free(logs);
        goto out;
    }
    dn->pid = st.pid;
out:
    dn->ret = ret;
    docker_argv_free(ep);
    docker_close(d);
}

static struct dnode *
dnode_new(struct node *node)
{
    struct dnode *dn = xcalloc(1, sizeof *dn);
    dn->node = node;
    dn->name = xasprintf("%s.%s", net_prefix(node->net), node->name);
    node->priv = dn;
    return dn;
}

/* Removes dn's container if it was created, and frees dn, which the caller
 * has already detached from its node (node->priv = NULL, under mu). */
static void
dnode_release(struct dnode *dn)
{
    if (dn->id) {
        struct err e = {0};
        struct docker *d = docker_open(NULL, &e);
        if (!d || docker_container_remove(d, dn->id, &e) < 0)
            fprintf(stderr, "fop4: %s: %s (run 'fop4 clean')\n", dn->name,
                    e.msg);
        docker_close(d);
    }
    free(dn->id);
    free(dn->name);
    free(dn);
}

/* Detaches node's dnode once its create job is done (mu not held): from
 * then on nobody else can reach it. */
static struct dnode *
dnode_detach(struct node *node)
{
    pthread_mutex_lock(&mu);
    struct dnode *dn = node->priv;
    while (dn && dn->state != JOB_DONE) {
        if (n_threads == 0 && run_one_locked())
            continue;
        pthread_cond_wait(&cv, &mu);
    }
    node->priv = NULL;
    pthread_mutex_unlock(&mu);
    return dn;
}

/* Removes prefetched containers of nodes the engine never asked for (it gave
 * up before reaching them). Other nodes may be torn down at the same time on
 * other threads: only unclaimed dnodes are taken, under mu. */
static void
reap_unclaimed(struct net *net, struct node *self)
{
    for (size_t i = 0; i < net_n_nodes(net); i++) {
        struct node *n = net_node_at(net, i);
        if (n == self || n->kind != NODE_DOCKER)
            continue;
        pthread_mutex_lock(&mu);
        struct dnode *dn = n->priv;
        int mine = dn && !dn->claimed;
        if (mine)
            dn->claimed = 1; /* nobody else reaps it */
        pthread_mutex_unlock(&mu);
        if (mine)
            dnode_release(dnode_detach(n));
    }
}

/* 1 if dockerd has the image, 0 if not, -1 if dockerd does not answer. */
static int
image_exists(const char *image)
{
    struct docker *d = docker_open(NULL, NULL);
    int ret = d ? docker_image_exists(d, image, NULL) : -1;
    docker_close(d);
    return ret < 0 ? -1 : ret;
}

/* Our own images, fop4/NAME, are built offline from images/NAME/ by
 * scripts/images.sh. When one is missing and this binary runs from a
 * checkout (build/bin/fop4, build/DIR/bin/fop4, or $FOP4_ROOT), build it now:
 * `fop4 run examples/containers.yml` then works on a fresh machine. Returns 0
 * if the script ran and succeeded. */
static int
build_our_image(const char *image)
{
    if (!str_starts(image, "fop4/"))
        return -1;
    const char *name = image + 5;
    size_t n = strcspn(name, ":");
    if (n == 0 || n > 64 || (name[n] && strcmp(name + n, ":latest")))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && name[i] != '-' &&
            name[i] != '_')
            return -1;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[len > 0 ? len : 0] = 0;
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = 0; /* the binary's directory */
    const char *env = getenv("FOP4_ROOT");
    char *roots[3] = {env ? xstrdup(env) : NULL,
                      *exe ? xasprintf("%s/../..", exe) : NULL,
                      *exe ? xasprintf("%s/../../..", exe) : NULL};
    int ret = -1;
    for (int r = 0; r < 3 && ret < 0; r++) {
        if (!roots[r])
            continue;
        char *script = xasprintf("%s/scripts/images.sh", roots[r]);
        char *recipe =
            xasprintf("%s/images/%.*s/rootfs.sh", roots[r], (int)n, name);
        if (access(script, X_OK) == 0 && access(recipe, X_OK) == 0) {
            char *nm = xstrndup(name, n);
            fprintf(stderr,
                    "fop4: image %s is missing: building it offline "
                    "(scripts/images.sh %s)\n",
                    image, nm);
            fflush(stderr);
            pid_t pid = fork();
            if (pid == 0) {
                dup2(STDERR_FILENO, STDOUT_FILENO);
                execl(script, script, "--quiet", nm, (char *)NULL);
                _exit(127);
            }
            int st = 0;
            if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
                WEXITSTATUS(st) == 0)
                ret = 0;
            free(nm);
            r = 3; /* found the checkout: do not try others */
        }
        free(recipe);
        free(script);
    }
    for (int r = 0; r < 3; r++)
        free(roots[r]);
    return ret;
}

static int
docker_validate(struct node *node, struct err *err)
{
    const struct docker_params *p = &node->params.docker;
    if (!p->image || !*p->image)
        return err_set(err, -EINVAL,
                       "node %s: kind docker needs an image (e.g. image: "
                       "fop4/busybox)",
                       node->name);
    if (p->cpu_quota && p->cpu_quota < 1000)
        return err_set(err, -EINVAL,
                       "node %s: cpu_quota %lld us is below Docker's minimum "
                       "of 1000 us",
                       node->name, (long long)p->cpu_quota);
    if (p->cpu_period && (p->cpu_period < 1000 || p->cpu_period > 1000000))
        return err_set(err, -EINVAL,
                       "node %s: cpu_period %lld us is outside 1000..1000000",
                       node->name, (long long)p->cpu_period);
    if (p->cpu_shares < 0)
        return err_set(err, -EINVAL, "node %s: cpu_shares must be positive",
                       node->name);
    if (p->mem_limit && p->mem_limit < 6 * 1024 * 1024)
        return err_set(err, -EINVAL,
                       "node %s: memory limit %lld bytes is below Docker's "
                       "minimum of 6 MB",
                       node->name, (long long)p->mem_limit);
    for (const char *const *v = p->volumes; v && *v; v++) {
        const char *c = strchr(*v, ':');
        /* A relative host part would make Docker create a named volume
         * that outlives the lab. */
        if (**v != '/' || !c || !c[1] || c[1] != '/')
            return err_set(err, -EINVAL,
                           "node %s: volume '%s' is not "
                           "/HOST_PATH:/CONTAINER_PATH[:ro]",
                           node->name, *v);
    }
    for (const char *const *v = p->env; v && *v; v++)
        if (!strchr(*v, '=') || **v == '=')
            return err_set(err, -EINVAL, "node %s: env '%s' is not KEY=VALUE",
                           node->name, *v);
    /* A missing image is the commonest mistake: say so before anything is
     * created (building ours when we can). When dockerd does not answer,
     * create() reports it. */
    int have = image_exists(p->image);
    if (have == 0 && build_our_image(p->image) == 0)
        have = image_exists(p->image);
    if (have == 0)
        return err_set(err, -ENOENT,
                       "node %s: image '%s' not found: no registry is "
                       "reachable, images are built offline (%s)",
                       node->name, p->image,
                       str_starts(p->image, "fop4/")
                           ? "run 'scripts/images.sh'"
                           : "'docker import' or 'docker build' it first");
    return 0;
}

static int
docker_create(struct node *node, struct err *err)
{
    struct net *net = node->net;
    int ret;

    pthread_mutex_lock(&mu);
    if (!node->priv) {
        /* First docker node to be created: queue every docker node of the
         * net that nobody has queued yet, this one first. */
        VEC_PUSH(&create_q, dnode_new(node));
        for (size_t i = 0; i < net_n_nodes(net); i++) {
            struct node *n = net_node_at(net, i);
            if (n != node && n->kind == NODE_DOCKER && !n->priv && !n->created)
                VEC_PUSH(&create_q, dnode_new(n));
        }
        pool_kick();
    }
    struct dnode *dn = node->priv;
    dn->claimed = 1;
    while (dn->state != JOB_DONE) {
        /* No thread could be started: do the work here. */
        if (n_threads == 0 && run_one_locked())
            continue;
        pthread_cond_wait(&cv, &mu);
    }
    pthread_mutex_unlock(&mu);

    ret = dn->ret;
    if (ret < 0) {
        err_set(err, ret, "node %s: %s", node->name, dn->err.msg);
        goto fail;
    }
    snprintf(node->netns, sizeof node->netns, "/proc/%d/ns/net", dn->pid);
    node->netns_fd = open(node->netns, O_RDONLY | O_CLOEXEC);
    if (node->netns_fd < 0) {
        ret = err_set(err, -errno, "node %s: cannot open %s: %s", node->name,
                      node->netns, strerror(errno));
        goto fail;
    }
    node->pid = dn->pid;
    LOG(LOG_DEBUG, "docker: %s is container %.12s, pid %d", dn->name, dn->id,
        dn->pid);
    return 0;
fail:
    /* Remove what exists of this container. (Prefetched siblings are not
     * touched here: the engine may be calling their create() right now.) */
    dnode_release(dnode_detach(node));
    return ret;
}

/* Tells the container's init to go on: opens the FIFO /.fop4-go in the
 * container's root as a writer (possible only once the init reads it) and
 * writes a line; or, for images without mkfifo, creates the plain file the
 * init polls for. Waits up to 10 s for the init to get there. */
static int
docker_start(struct node *node, struct err *err)
{
    struct dnode *dn = node->priv;
    char fifo[64], poll_mark[64];
    snprintf(fifo, sizeof fifo, "/proc/%d/root/.fop4-go", dn->pid);
    snprintf(poll_mark, sizeof poll_mark, "/proc/%d/root/.fop4-poll", dn->pid);
    uint64_t deadline = now_ns() + 10ull * 1000 * 1000 * 1000;
    for (;;) {
        struct stat sb;
        if (stat(fifo, &sb) == 0 && S_ISFIFO(sb.st_mode)) {
            int fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
            if (fd >= 0) {
                ssize_t w = write(fd, "go\n", 3);
                close(fd);
                if (w == 3)
                    return 0;
            }
        } else if (access(poll_mark, F_OK) == 0) {
            int fd = open(fifo, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            if (fd >= 0) {
                close(fd);
                return 0;
            }
        }
        if (kill(dn->pid, 0) < 0 && errno == ESRCH) {
            struct docker *d = docker_open(NULL, NULL);
            char *logs = d ? docker_container_logs(d, dn->id, 5) : NULL;
            docker_close(d);
            int r = err_set(err, -ESRCH,
                            "node %s: container %s stopped before its command "
                            "could start%s%s",
                            node->name, dn->name,
                            logs && *logs ? "; its output: " : "",
                            logs ? logs : "");
            free(logs);
            return r;
        }
        if (now_ns() > deadline)
            return err_set(err, -ETIMEDOUT,
                           "node %s: the init of container %s did not get "
                           "ready in 10 s (does image %s have /bin/sh?)",
                           node->name, dn->name, node->params.docker.image);
        struct timespec ts = {0, 2 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static void
docker_destroy(struct node *node)
{
    struct dnode *dn = dnode_detach(node);
    reap_unclaimed(node->net, node);
    if (dn)
        dnode_release(dn);
    node->pid = 0;
}

static int
docker_exec_node(struct node *node, const char *cmd, char **out,
                 struct err *err)
{
    struct dnode *dn = node->priv;
    if (!dn || !dn->id)
        return err_set(err, -ESRCH, "node %s: container not created",
                       node->name);
    struct docker *d = docker_open(NULL, err);
    if (!d)
        return -ENOMEM;
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    fflush(stdout); /* output without 'out' is written to fd 1 directly */
    int ret = docker_exec(d, dn->id, argv, out, err);
    docker_close(d);
    return ret;
}

/* Changes the resource limits of a running docker node (0 / NULL fields are
 * left as they are; see struct docker_resources). Also records them in the
 * node's params so that they show as current. */
int
node_docker_update(struct node *node, const struct docker_resources *res,
                   struct err *err)
{
    if (node->kind != NODE_DOCKER)
        return err_set(err, -EINVAL, "node %s is not a docker node",
                       node->name);
    struct dnode *dn = node->priv;
    if (!dn || !dn->id)
        return err_set(err, -ESRCH, "node %s: container not running",
                       node->name);
    struct docker *d = docker_open(NULL, err);
    if (!d)
        return -ENOMEM;
    int ret = docker_update(d, dn->id, res, err);
    docker_close(d);
    if (ret < 0) {
        err_prefix(err, "node %s", node->name);
        return ret;
    }
    struct docker_params *p = &node->params.docker;
    if (res->cpu_quota)
        p->cpu_quota = res->cpu_quota < 0 ? 0 : res->cpu_quota;
    if (res->cpu_period)
        p->cpu_period = res->cpu_period;
    if (res->cpu_shares)
        p->cpu_shares = res->cpu_shares;
    if (res->mem_limit)
        p->mem_limit = res->mem_limit < 0 ? 0 : res->mem_limit;
    if (res->cpuset) {
        free((char *)p->cpuset); /* the node's params are its own copy */
        p->cpuset = xstrdup(res->cpuset);
    }
    return 0;
}

/* Parses a non-negative integer, or "none"/"max"/"-1" as -1 when allow_none. */
static int
parse_i64(const char *s, int allow_none, int64_t *v)
{
    if (allow_none &&
        (!strcmp(s, "none") || !strcmp(s, "max") || !strcmp(s, "-1"))) {
        *v = -1;
        return 0;
    }
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (!*s || *end || errno || x <= 0)
        return -1;
    *v = x;
    return 0;
}

int
node_docker_update_args(struct node *node, size_t argc, const char *const *argv,
                        struct err *err)
{
    static const char *const keys[] = {"cpus",       "cpu_quota", "cpu_period",
                                       "cpu_shares", "cpuset",    "memory"};
    struct docker_resources r = {0};
    if (argc == 0)
        return err_set(err, -EINVAL,
                       "node %s: nothing to change (cpus=, cpu_quota=, "
                       "cpu_period=, cpu_shares=, cpuset=, memory=)",
                       node->name);
    for (size_t i = 0; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (!eq || eq == argv[i] || !eq[1])
            return err_set(err, -EINVAL, "'%s': expected KEY=VALUE", argv[i]);
        char *k = xstrndup(argv[i], (size_t)(eq - argv[i]));
        const char *v = eq + 1;
        int bad = 0;
        if (!strcmp(k, "cpus")) {
            char *end;
            double c = strtod(v, &end);
            if (!strcmp(v, "none") || !strcmp(v, "max"))
                r.cpu_quota = -1;
            else if (*end || !(c > 0) || c > 1024)
                bad = 1;
            else {
                r.cpu_period = 100000;
                r.cpu_quota = (int64_t)(c * 100000);
            }
        } else if (!strcmp(k, "cpu_quota")) {
            bad = parse_i64(v, 1, &r.cpu_quota) < 0 ||
                  (r.cpu_quota > 0 && r.cpu_quota < 1000);
        } else if (!strcmp(k, "cpu_period")) {
            bad = parse_i64(v, 0, &r.cpu_period) < 0 || r.cpu_period < 1000 ||
                  r.cpu_period > 1000000;
        } else if (!strcmp(k, "cpu_shares")) {
            bad = parse_i64(v, 0, &r.cpu_shares) < 0 || r.cpu_shares < 2;
        } else if (!strcmp(k, "cpuset")) {
            bad = strspn(v, "0123456789,-") != strlen(v);
            r.cpuset = v;
        } else if (!strcmp(k, "memory")) {
            long long b;
            const char *why;
            if (!strcmp(v, "none") || !strcmp(v, "max"))
                r.mem_limit = -1;
            else if (topo_parse_bytes(v, &b, &why) < 0 || b < 6 << 20)
                bad = 1;
            else
                r.mem_limit = b;
        } else {
            const char *dym = diag_suggest(k, keys, ARRAY_SIZE(keys));
            int ret = err_set(err, -EINVAL,
                              "node %s: unknown limit '%s'%s%s%s (cpus, "
                              "cpu_quota, cpu_period, cpu_shares, cpuset, "
                              "memory)",
                              node->name, k, dym ? "; did you mean '" : "",
                              dym ? dym : "", dym ? "'?" : "");
            free(k);
            return ret;
        }
        if (bad) {
            int ret = err_set(
                err, -EINVAL,
                "node %s: bad %s '%s' (cpus: a number such as 0.5; "
                "cpu_quota: >= 1000 us or none; cpu_period: 1000..1000000 us; "
                "cpu_shares: >= 2; cpuset: such as 0-1 or 0,2; memory: such "
                "as 64m, at least 6m, or none)",
                node->name, k, v);
            free(k);
            return ret;
        }
        free(k);
    }
    return node_docker_update(node, &r, err);
}

/* The container id of a docker node (NULL if none). */
const char *
node_docker_id(const struct node *node)
{
    const struct dnode *dn = node->kind == NODE_DOCKER ? node->priv : NULL;
    return dn ? dn->id : NULL;
}

const struct node_kind_ops node_docker_ops = {
    .name = "docker",
    .validate = docker_validate,
    .create = docker_create,
    .start = docker_start,
    .destroy = docker_destroy,
    .exec = docker_exec_node,
    .clean = docker_clean,
};
