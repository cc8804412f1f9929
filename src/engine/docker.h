/* docker.h - a client for the local Docker Engine HTTP API on its Unix socket
 * (/var/run/docker.sock, or $DOCKER_HOST when it is unix://PATH), built on
 * libcurl (CURLOPT_UNIX_SOCKET_PATH) and jansson. It speaks API version 1.41
 * (Docker 20.10, Debian 12's docker.io); newer daemons accept it too.
 *
 * The docker node kind (node_docker.c) and `fop4 clean` use it. Containers we
 * create carry the labels fop4.prefix=<prefix> and fop4.node=<node> and are
 * named "<prefix>.<node>", so `docker ps --filter label=fop4.prefix=fop4` and
 * `fop4 clean` find them and nothing else is ever touched.
 *
 * A struct docker is one connection (one curl handle, kept alive between
 * requests): use one per thread. Errors: functions return 0 (or a count, or an
 * exit status) on success, a negative errno on failure with 'err' filled with
 * what Docker answered and what to do next (err may be NULL). */
#ifndef FOP4_DOCKER_H
#define FOP4_DOCKER_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct docker;

/* Default socket when $DOCKER_HOST does not name one. */
#define DOCKER_SOCK "/var/run/docker.sock"

/* Labels on everything we create. */
#define DOCKER_LABEL_PREFIX "fop4.prefix"
#define DOCKER_LABEL_NODE "fop4.node"

/* Opens a connection to dockerd at sock (NULL = $DOCKER_HOST's unix:// path or
 * DOCKER_SOCK). Nothing is sent yet: use docker_ping() to check it answers.
 * Returns NULL only if curl cannot be set up. */
struct docker *docker_open(const char *sock, struct err *err);
/* Closes the connection; docker_close(NULL) is a no-op. */
void docker_close(struct docker *d);

/* GET /_ping then /version: 0 if dockerd answers; *version (may be NULL) gets
 * the server version ("20.10.24+dfsg1"), caller frees. Fails with a message
 * that says how to start dockerd. */
int docker_ping(struct docker *d, char **version, struct err *err);

/* Returns 1 if the image exists locally, 0 if not, or a negative errno. */
int docker_image_exists(struct docker *d, const char *image, struct err *err);
/* Lists local images as "repo:tag" strings: *tags gets a NULL-terminated
 * array (caller frees each and the array). Returns the count. */
int docker_image_list(struct docker *d, char ***tags, struct err *err);
/* The image's default command: entrypoint followed by cmd, as a
 * NULL-terminated argv (caller frees with docker_argv_free); *argv is NULL
 * when the image has none. Returns 0 or a negative errno (-ENOENT: no such
 * image, with a message that says how to build our images). */
int docker_image_default_argv(struct docker *d, const char *image, char ***argv,
                              struct err *err);
void docker_argv_free(char **argv);

/* Resource limits. In docker_create_opts 0 / NULL means "not set". In
 * docker_update() 0 / NULL means "leave as it is"; cpu_quota -1 and
 * mem_limit -1 remove the limit. */
struct docker_resources {
    int64_t cpu_quota;  /* CFS quota in us per period (-1 = unlimited) */
    int64_t cpu_period; /* CFS period in us (Docker's default: 100000) */
    int64_t cpu_shares; /* relative weight (Docker's default: 1024) */
    const char *cpuset; /* CPUs allowed, "0-1" or "0,1" */
    int64_t mem_limit;  /* bytes (-1 = unlimited); at least 6 MB */
};

/* What to create. The container gets NetworkMode "none" (the engine puts our
 * interfaces in), CapAdd NET_ADMIN and NET_RAW only (privileged containers do
 * not work on every host), hostname = node, and our two labels. */
struct docker_create_opts {
    const char *prefix;            /* label fop4.prefix and name prefix */
    const char *node;              /* label fop4.node; name "<prefix>.<node>" */
    const char *image;             /* required */
    const char *const *entrypoint; /* NULL-terminated argv, or NULL */
    const char *const *cmd;        /* NULL-terminated argv, or NULL */
    const char *const *env;        /* "K=V", NULL-terminated, or NULL */
    const char *const *binds;      /* "host:ctr[:ro]", NULL-terminated */
    const char *hostname;          /* NULL = node */
    struct docker_resources res;
};

/* POST /containers/create. *id gets the container id (caller frees). A name
 * already in use fails with -EEXIST and says to run `fop4 clean`. */
int docker_container_create(struct docker *d,
                            const struct docker_create_opts *opts, char **id,
                            struct err *err);
/* PUT /containers/{id}/archive?path=dir: unpacks a tar archive of len bytes
 * into the container's file system at dir, as `docker cp` does. Works on a
 * created container before its start. */
int docker_container_put_archive(struct docker *d, const char *id,
                                 const char *dir, const void *tar, size_t len,
                                 struct err *err);
/* POST /containers/{id}/start. */
int docker_container_start(struct docker *d, const char *id, struct err *err);

/* What GET /containers/{id}/json tells us. */
struct docker_state {
    char id[65];     /* full id */
    char status[16]; /* "created", "running", "exited", ... */
    int running;
    int pid; /* host pid of the container's init, 0 if not running */
    int exit_code;
};
/* Inspects a container by id or name. -ENOENT if there is none. */
int docker_container_inspect(struct docker *d, const char *id,
                             struct docker_state *st, struct err *err);
/* The container's last output lines (stdout and stderr, at most 'tail'
 * lines), for error messages; caller frees. NULL on failure. */
char *docker_container_logs(struct docker *d, const char *id, int tail);

/* Runs argv in the running container (POST /containers/{id}/exec, then
 * /exec/{id}/start attached, then /exec/{id}/json for the exit code). stdout
 * and stderr, interleaved as they came, go to *out (caller frees). When out
 * is NULL they go straight to our stdout as they come, and when our stdin and
 * stdout are terminals the command gets a terminal of its own wired to ours
 * (docker_exec_tty: `d1 sh`, `d1 top`, Ctrl-C reaches it). Returns the
 * command's exit status (>= 0) or a negative errno. */
int docker_exec(struct docker *d, const char *id, const char *const *argv,
                char **out, struct err *err);

/* Runs argv in the container with a TTY, like `docker exec -it`: in_fd is
 * copied to its terminal (put in raw mode meanwhile when it is a terminal),
 * its terminal to out_fd, until the command ends. Returns its exit status or
 * a negative errno. */
int docker_exec_tty(struct docker *d, const char *id, const char *const *argv,
                    int in_fd, int out_fd, struct err *err);

/* POST /containers/{id}/update: changes resource limits of a running
 * container (see struct docker_resources for 0 and -1). */
int docker_update(struct docker *d, const char *id,
                  const struct docker_resources *res, struct err *err);

/* POST /containers/{id}/kill with signal (NULL = "KILL"). A container that is
 * not running is not an error. */
int docker_container_kill(struct docker *d, const char *id, const char *signal,
                          struct err *err);
/* POST /containers/{id}/stop?t=timeout_s (SIGTERM, then SIGKILL). */
int docker_container_stop(struct docker *d, const char *id, int timeout_s,
                          struct err *err);
/* DELETE /containers/{id}?force=1&v=1 (kills it if running, removes its
 * anonymous volumes). A container that is already gone is not an error. */
int docker_container_remove(struct docker *d, const char *id, struct err *err);

/* One container of a listing. */
struct docker_container {
    char *id;
    char *name;  /* without the leading '/' */
    char *node;  /* label fop4.node, or NULL */
    char *state; /* "running", "exited", ... */
};
/* Lists every container (running or not) labelled fop4.prefix=<prefix>
 * (prefix NULL: every container that carries the label fop4.prefix at all).
 * *list gets an array of *n entries; free with docker_container_list_free.
 * Returns 0 or a negative errno. */
int docker_container_list(struct docker *d, const char *prefix,
                          struct docker_container **list, size_t *n,
                          struct err *err);
void docker_container_list_free(struct docker_container *list, size_t n);

/* Removes every container labelled fop4.prefix=<prefix> (exactly that prefix;
 * NULL = "fop4"), running or not. Prints "removed container NAME" for each when
 * verbose. Returns the number removed or a negative errno. When dockerd is
 * not reachable it returns 0: containers we cannot reach are reported by
 * `fop4 doctor`, and clean must still remove the rest. */
int docker_clean(const char *prefix, int verbose, struct err *err);

/* The docker node kind (node_docker.c), beyond the ops of kind.h. */
struct node;

/* Changes the resource limits of a running docker node at once (POST
 * /containers/{id}/update): fields 0 / NULL stay as they are, cpu_quota and
 * mem_limit -1 remove the limit. Returns 0 or a negative errno. */
int node_docker_update(struct node *node, const struct docker_resources *res,
                       struct err *err);
/* The same from the words of a command line, for the shell:
 * "cpus=0.5" (sets quota and period), "cpu_quota=N|none", "cpu_period=N",
 * "cpu_shares=N", "cpuset=0-1", "memory=64m|none". Unknown keys get a
 * did-you-mean; nothing is changed when a word is wrong. */
int node_docker_update_args(struct node *node, size_t argc,
                            const char *const *argv, struct err *err);
/* The container id of a docker node, or NULL before its creation. */
const char *node_docker_id(const struct node *node);

#endif
