/* docker.h - a client for the local Docker Engine HTTP API on its Unix socket
 * (/var/run/docker.sock), built on libcurl and jansson.
 *
 * The engine uses it for the `docker` node kind (node_docker.c) and `fop4 clean`.
 * Everything we create carries the labels fop4.prefix=<prefix> and
 * fop4.node=<node> and is named "<prefix>.<node>", so `docker ps` and
 * `fop4 clean` find it and nothing else is touched.
 *
 * Errors: functions return 0 / >= 0 on success, a negative errno on failure with
 * 'err' filled with what Docker answered and what to do (err may be NULL). */
#ifndef FOP4_DOCKER_H
#define FOP4_DOCKER_H

#include <stddef.h>
#include <stdint.h>

struct err;

/* Removes every container labelled fop4.prefix=<prefix> (prefix NULL = "fop4"),
 * running or not. Prints each removed name to stdout when verbose. Returns the
 * number removed, or a negative errno (0 when dockerd is not running: nothing of
 * ours can exist then... or at least nothing we can reach). */
int docker_clean(const char *prefix, int verbose, struct err *err);

#endif
