/* docker.c - the Docker Engine API client (see docker.h).
 *
 * Every call is one HTTP request over the Unix socket through a kept-alive curl
 * easy handle: request() sends an optional JSON body and collects the answer;
 * a status >= 400 becomes an error carrying Docker's own "message". Attached
 * output (exec, logs) comes in Docker's multiplexed stream format: frames of an
 * 8-byte header {stream, 0, 0, 0, size32 big-endian} and a payload, which
 * demux() flattens. node_docker.c builds the node kind on top of this file. */
#include "engine/docker.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/strbuf.h"
#include "lib/util.h"

#define API "http://localhost/v1.41"

/* The docker node kind (node_docker.c) is referred to weakly by kind.c, which
 * does not pull it out of a static archive. Whatever uses this client (`fop4
 * clean` does) pulls the kind in with it. */
struct node_kind_ops;
extern const struct node_kind_ops node_docker_ops;
const void *const docker_kind_anchor = &node_docker_ops;

struct docker {
    CURL *curl;
    char *sock;
    char curl_err[CURL_ERROR_SIZE];
    /* A body that is not JSON, for the next request only (put_archive). */
    const void *raw_body;
    size_t raw_len;
    const char *raw_type;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct docker *
docker_open(const char *sock, struct err *err)
{
    pthread_once(&curl_once, curl_init_once);
    if (!sock) {
        const char *h = getenv("DOCKER_HOST");
        sock = h && str_starts(h, "unix://") ? h + 7 : DOCKER_SOCK;
    }
    CURL *c = curl_easy_init();
    if (!c) {
        err_set(err, -ENOMEM, "docker: cannot initialise libcurl");
        return NULL;
    }
    struct docker *d = xcalloc(1, sizeof *d);
    d->curl = c;
    d->sock = xstrdup(sock);
    return d;
}

void
docker_close(struct docker *d)
{
    if (!d)
        return;
    curl_easy_cleanup(d->curl);
    free(d->sock);
    free(d);
}

static size_t
collect(char *data, size_t size, size_t nmemb, void *arg)
{
    strbuf_add(arg, data, size * nmemb);
    return size * nmemb;
}

typedef size_t write_fn(char *data, size_t size, size_t nmemb, void *arg);

static int request_cb(struct docker *d, const char *method, const char *path,
                      json_t *body, long *status, write_fn *wfn, void *warg,
                      long timeout_s, struct err *err);

/* Sends one request. body (may be NULL) is sent as JSON. On success *status
 * gets the HTTP status and 'resp' the raw answer (resp may be NULL). Returns 0
 * or -ECONNREFUSED/-EACCES/-EIO with a message that says how to reach
 * dockerd. The HTTP status is not judged here: see call(). timeout_s 0 =
 * none. */
static int
request(struct docker *d, const char *method, const char *path, json_t *body,
        long *status, struct strbuf *resp, long timeout_s, struct err *err)
{
    struct strbuf sink = STRBUF_INIT;
    int ret = request_cb(d, method, path, body, status, collect,
                         resp ? resp : &sink, timeout_s, err);
    strbuf_destroy(&sink);
    return ret;
}

/* request() with the answer's bytes handed to wfn(warg) as they come. */
static int
request_cb(struct docker *d, const char *method, const char *path, json_t *body,
           long *status, write_fn *wfn, void *warg, long timeout_s,
           struct err *err)
{
    CURL *c = d->curl;
    char *url = xasprintf("%s%s", API, path);
    char *data = body ? json_dumps(body, JSON_COMPACT) : NULL;
    struct curl_slist *hdr = NULL;
    int ret = 0;

    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, d->sock);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, wfn);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, warg);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, d->curl_err);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
    if (d->raw_body) {
        char *ct = xasprintf("Content-Type: %s", d->raw_type);
        hdr = curl_slist_append(hdr, ct);
        free(ct);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, d->raw_body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)d->raw_len);
    } else if (!strcmp(method, "POST")) {
        hdr = curl_slist_append(hdr, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, data ? data : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
                         (long)(data ? strlen(data) : 0));
    }
    /* curl would wait for "100 Continue" on large bodies; Docker never sends
     * it. */
    hdr = curl_slist_append(hdr, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    d->curl_err[0] = 0;
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        const char *why = d->curl_err[0] ? d->curl_err : curl_easy_strerror(rc);
        if (rc == CURLE_COULDNT_CONNECT && access(d->sock, F_OK) == 0 &&
            access(d->sock, R_OK | W_OK) != 0)
            ret = err_set(err, -EACCES,
                          "docker: no permission to use %s (run as root, or "
                          "join the 'docker' group)",
                          d->sock);
        else if (rc == CURLE_COULDNT_CONNECT)
            /* curl's own text speaks of "localhost port 80". */
            ret = err_set(err, -ECONNREFUSED,
                          "docker: cannot connect to dockerd at %s: %s (is it "
                          "running? 'scripts/deps.sh' starts it; "
                          "'fop4 doctor' checks)",
                          d->sock,
                          access(d->sock, F_OK) ? "no such socket"
                                                : "connection refused");
        else if (rc == CURLE_OPERATION_TIMEDOUT)
            ret = err_set(err, -ETIMEDOUT,
                          "docker: %s %s: no answer from dockerd in %ld s (%s)",
                          method, path, timeout_s, why);
        else
            ret = err_set(err, -EIO, "docker: %s %s: %s", method, path, why);
        goto out;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
out:
    curl_slist_free_all(hdr);
    free(data);
    free(url);
    return ret;
}

/* Docker's error message from an error answer {"message": "..."}. */
static char *
docker_message(const char *body)
{
    json_t *j = json_loads(body, 0, NULL);
    const char *m = j ? json_string_value(json_object_get(j, "message")) : NULL;
    char *s = xstrdup(m ? m : body);
    json_decref(j);
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = 0;
    return s;
}

static int
errno_of_status(long status)
{
    switch (status) {
    case 304:
        return -EALREADY;
    case 400:
        return -EINVAL;
    case 403:
        return -EPERM;
    case 404:
        return -ENOENT;
    case 409:
        return -EEXIST;
    default:
        return -EIO;
    }
}

/* request() and judge the status: 2xx gives 0 and the parsed JSON answer in
 * *resp (NULL for an empty answer; resp may be NULL); anything else gives a
 * negative errno (see errno_of_status) and "docker: <what>: <Docker's
 * message>" in err. 'what' says what we tried, for the user. */
static int
call(struct docker *d, const char *method, const char *path, json_t *body,
     json_t **resp, const char *what, struct err *err)
{
    struct strbuf sb = STRBUF_INIT;
    long status = 0;
    if (resp)
        *resp = NULL;
    int ret = request(d, method, path, body, &status, &sb, 120, err);
    if (ret < 0)
        goto out;
    if (status >= 300) {
        char *m = docker_message(strbuf_str(&sb));
        if (*m)
            ret = err_set(err, errno_of_status(status), "docker: %s: %s", what,
                          m);
        else
            ret =
                err_set(err, errno_of_status(status),
                        "docker: %s: dockerd answered HTTP %ld", what, status);
        free(m);
        goto out;
    }
    if (resp && sb.len) {
        json_error_t je;
        *resp = json_loadb(sb.s, sb.len, 0, &je);
        if (!*resp)
            ret = err_set(err, -EPROTO,
                          "docker: %s: unexpected answer from dockerd (%s)",
                          what, je.text);
    }
out:
    strbuf_destroy(&sb);
    return ret;
}

/* Percent-encodes s for a URL path or query (caller frees). */
static char *
url_escape(struct docker *d, const char *s)
{
    char *e = curl_easy_escape(d->curl, s, 0);
    char *r = xstrdup(e ? e : "");
    curl_free(e);
    return r;
}

int
docker_ping(struct docker *d, char **version, struct err *err)
{
    if (version)
        *version = NULL;
    int ret = call(d, "GET", "/_ping", NULL, NULL, "ping", err);
    if (ret < 0 || !version)
        return ret;
    json_t *v;
    ret = call(d, "GET", "/version", NULL, &v, "version", err);
    if (ret < 0)
        return ret;
    const char *s = json_string_value(json_object_get(v, "Version"));
    *version = xstrdup(s ? s : "?");
    json_decref(v);
    return 0;
}

static int
image_inspect(struct docker *d, const char *image, json_t **resp,
              struct err *err)
{
    char *name = url_escape(d, image);
    char *path = xasprintf("/images/%s/json", name);
    char *what = xasprintf("image %s", image);
    int ret = call(d, "GET", path, NULL, resp, what, err);
    free(what);
    free(path);
    free(name);
    return ret;
}

int
docker_image_exists(struct docker *d, const char *image, struct err *err)
{
    struct err tmp = {0};
    json_t *j;
    int ret = image_inspect(d, image, &j, &tmp);
    json_decref(j);
    if (ret == -ENOENT)
        return 0;
    if (ret < 0) {
        err_set(err, ret, "%s", tmp.msg);
        return ret;
    }
    return 1;
}

int
docker_image_list(struct docker *d, char ***tags, struct err *err)
{
    json_t *j;
    *tags = NULL;
    int ret = call(d, "GET", "/images/json", NULL, &j, "list images", err);
    if (ret < 0)
        return ret;
    size_t n = 0, cap = 8, i, k;
    char **v = xmalloc(cap * sizeof *v);
    json_t *img, *t;
    json_array_foreach(j, i, img)
    {
        json_array_foreach(json_object_get(img, "RepoTags"), k, t)
        {
            const char *s = json_string_value(t);
            if (!s || !strcmp(s, "<none>:<none>"))
                continue;
            if (n + 2 > cap)
                v = xrealloc(v, (cap *= 2) * sizeof *v);
            v[n++] = xstrdup(s);
        }
    }
    v[n] = NULL;
    json_decref(j);
    *tags = v;
    return (int)n;
}

void
docker_argv_free(char **argv)
{
    if (!argv)
        return;
    for (char **p = argv; *p; p++)
        free(*p);
    free(argv);
}

int
docker_image_default_argv(struct docker *d, const char *image, char ***argv,
                          struct err *err)
{
    json_t *j;
    struct err tmp = {0};
    *argv = NULL;
    int ret = image_inspect(d, image, &j, &tmp);
    if (ret == -ENOENT)
        return err_set(
            err, -ENOENT,
            "docker: image '%s' not found: no registry is reachable, "
            "images are built offline (%s)",
            image,
            str_starts(image, "fop4/")
                ? "run 'scripts/images.sh'"
                : "build it, e.g. 'docker import' or 'docker build'");
    if (ret < 0)
        return err_set(err, ret, "%s", tmp.msg);
    json_t *cfg = json_object_get(j, "Config");
    json_t *parts[2] = {json_object_get(cfg, "Entrypoint"),
                        json_object_get(cfg, "Cmd")};
    size_t n = json_array_size(parts[0]) + json_array_size(parts[1]);
    if (n) {
        char **v = xcalloc(n + 1, sizeof *v);
        size_t k = 0, i;
        json_t *s;
        for (int p = 0; p < 2; p++)
            json_array_foreach(parts[p], i, s)
            {
                const char *a = json_string_value(s);
                v[k++] = xstrdup(a ? a : "");
            }
        *argv = v;
    }
    json_decref(j);
    return 0;
}

static json_t *
json_strv(const char *const *v)
{
    json_t *a = json_array();
    for (; v && *v; v++)
        json_array_append_new(a, json_string(*v));
    return a;
}

/* Puts the set fields of res into HostConfig-style object o. For an update,
 * -1 is passed through (Docker reads it as "unlimited"). */
static void
put_resources(json_t *o, const struct docker_resources *r, int update)
{
    if (r->cpu_quota)
        json_object_set_new(o, "CpuQuota", json_integer(r->cpu_quota));
    if (r->cpu_period)
        json_object_set_new(o, "CpuPeriod", json_integer(r->cpu_period));
    if (r->cpu_shares)
        json_object_set_new(o, "CpuShares", json_integer(r->cpu_shares));
    if (r->cpuset)
        json_object_set_new(o, "CpusetCpus", json_string(r->cpuset));
    if (r->mem_limit) {
        /* Docker refuses -1 (below its 6 MB minimum) and cannot remove a
         * memory limit: the largest page-aligned value is what cgroup v1
         * itself shows for "no limit" (v2 then shows that number, which is
         * as good as "max"). */
        int64_t m = r->mem_limit;
        if (m < 0)
            m = INT64_MAX & ~(int64_t)4095;
        json_object_set_new(o, "Memory", json_integer(m));
        /* Without swap accounting Docker would otherwise set MemorySwap to
         * twice the limit and later refuse raising the limit above it. */
        json_object_set_new(o, "MemorySwap", json_integer(-1));
    }
    (void)update;
}

int
docker_container_create(struct docker *d, const struct docker_create_opts *o,
                        char **id, struct err *err)
{
    *id = NULL;
    json_t *body = json_object();
    json_object_set_new(body, "Image", json_string(o->image));
    json_object_set_new(body, "Hostname",
                        json_string(o->hostname ? o->hostname : o->node));
    if (o->entrypoint)
        json_object_set_new(body, "Entrypoint", json_strv(o->entrypoint));
    if (o->cmd)
        json_object_set_new(body, "Cmd", json_strv(o->cmd));
    if (o->env)
        json_object_set_new(body, "Env", json_strv(o->env));
    json_t *labels = json_object();
    json_object_set_new(labels, DOCKER_LABEL_PREFIX, json_string(o->prefix));
    json_object_set_new(labels, DOCKER_LABEL_NODE, json_string(o->node));
    json_object_set_new(body, "Labels", labels);

    json_t *hc = json_object();
    json_object_set_new(hc, "NetworkMode", json_string("none"));
    const char *caps[] = {"NET_ADMIN", "NET_RAW", NULL};
    json_object_set_new(hc, "CapAdd", json_strv(caps));
    if (o->binds)
        json_object_set_new(hc, "Binds", json_strv(o->binds));
    put_resources(hc, &o->res, 0);
    json_object_set_new(body, "HostConfig", hc);

    char *name = xasprintf("%s.%s", o->prefix, o->node);
    char *ename = url_escape(d, name);
    char *path = xasprintf("/containers/create?name=%s", ename);
    char *what = xasprintf("create container %s (image %s)", name, o->image);
    json_t *resp;
    struct err tmp = {0};
    int ret = call(d, "POST", path, body, &resp, what, &tmp);
    if (ret == -EEXIST)
        err_set(err, ret,
                "%s (a leftover of a crashed run? run 'fop4 clean%s%s')",
                tmp.msg, strcmp(o->prefix, "fop4") ? " --prefix " : "",
                strcmp(o->prefix, "fop4") ? o->prefix : "");
    else if (ret == -ENOENT)
        err_set(err, ret, "%s: images are built offline here (%s)", tmp.msg,
                str_starts(o->image, "fop4/") ? "run 'scripts/images.sh'"
                                              : "'docker import' or 'docker "
                                                "build' it first");
    else if (ret < 0)
        err_set(err, ret, "%s", tmp.msg);
    if (ret == 0) {
        const char *s = json_string_value(json_object_get(resp, "Id"));
        if (s)
            *id = xstrdup(s);
        else
            ret =
                err_set(err, -EPROTO, "docker: %s: no Id in the answer", what);
    }
    json_decref(resp);
    json_decref(body);
    free(what);
    free(path);
    free(ename);
    free(name);
    return ret;
}

/* POST /containers/{id}/<verb><query> with no body and no answer. */
static int
container_post(struct docker *d, const char *id, const char *verb,
               const char *query, json_t *body, const char *what,
               struct err *err)
{
    char *path = xasprintf("/containers/%s/%s%s", id, verb, query);
    int ret = call(d, "POST", path, body, NULL, what, err);
    free(path);
    return ret;
}

int
docker_container_put_archive(struct docker *d, const char *id,
                             const char *dir, const void *tar, size_t len,
                             struct err *err)
{
    char *edir = url_escape(d, dir);
    char *path = xasprintf("/containers/%s/archive?path=%s", id, edir);
    char *what = xasprintf("copy files into container %.12s", id);
    d->raw_body = tar;
    d->raw_len = len;
    d->raw_type = "application/x-tar";
    int ret = call(d, "PUT", path, NULL, NULL, what, err);
    d->raw_body = NULL;
    free(what);
    free(path);
    free(edir);
    return ret;
}

int
docker_container_start(struct docker *d, const char *id, struct err *err)
{
    char *what = xasprintf("start container %.12s", id);
    int ret = container_post(d, id, "start", "", NULL, what, err);
    free(what);
    return ret == -EALREADY ? 0 : ret;
}

int
docker_container_inspect(struct docker *d, const char *id,
                         struct docker_state *st, struct err *err)
{
    memset(st, 0, sizeof *st);
    char *path = xasprintf("/containers/%s/json", id);
    char *what = xasprintf("inspect container %s", id);
    json_t *j;
    int ret = call(d, "GET", path, NULL, &j, what, err);
    free(what);
    free(path);
    if (ret < 0)
        return ret;
    json_t *s = json_object_get(j, "State");
    const char *v = json_string_value(json_object_get(j, "Id"));
    snprintf(st->id, sizeof st->id, "%s", v ? v : "");
    v = json_string_value(json_object_get(s, "Status"));
    snprintf(st->status, sizeof st->status, "%s", v ? v : "");
    st->running = json_is_true(json_object_get(s, "Running"));
    st->pid = (int)json_integer_value(json_object_get(s, "Pid"));
    st->exit_code = (int)json_integer_value(json_object_get(s, "ExitCode"));
    json_decref(j);
    return 0;
}

/* Flattens Docker's multiplexed stream (8-byte frame headers) into out. Data
 * that does not look multiplexed (a TTY stream) is copied as is. */
static void
demux(const char *p, size_t n, struct strbuf *out)
{
    while (n >= 8) {
        unsigned char t = (unsigned char)p[0];
        if (t > 2 || p[1] || p[2] || p[3])
            break;
        size_t len = ((size_t)(unsigned char)p[4] << 24) |
                     ((size_t)(unsigned char)p[5] << 16) |
                     ((size_t)(unsigned char)p[6] << 8) | (unsigned char)p[7];
        p += 8;
        n -= 8;
        len = MIN(len, n);
        strbuf_add(out, p, len);
        p += len;
        n -= len;
    }
    if (n)
        strbuf_add(out, p, n);
}

/* Incremental demux() for a stream that arrives in pieces: complete frames go
 * to 'out', or to 'fd' when out is NULL (as they come: the user sees a long
 * command's output live). A stream that does not start like a frame header
 * (TTY) is passed through. */
struct demux_stream {
    struct strbuf *out;
    int fd;
    int raw;              /* not multiplexed */
    unsigned char hdr[8]; /* partial header */
    size_t nhdr;
    size_t left;           /* payload bytes still to come in this frame */
    struct strbuf errbody; /* an HTTP error answer, kept whole */
};

static void
demux_emit(struct demux_stream *s, const char *p, size_t n)
{
    if (s->out) {
        strbuf_add(s->out, p, n);
        return;
    }
    while (n) {
        ssize_t w = write(s->fd, p, n);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

static size_t
demux_write(char *data, size_t size, size_t nmemb, void *arg)
{
    struct demux_stream *s = arg;
    size_t n = size * nmemb;
    const char *p = data;
    strbuf_add(&s->errbody, data, MIN(n, (size_t)4096));
    while (n) {
        if (s->raw) {
            demux_emit(s, p, n);
            break;
        }
        if (s->left) {
            size_t k = MIN(s->left, n);
            demux_emit(s, p, k);
            s->left -= k;
            p += k;
            n -= k;
            continue;
        }
        s->hdr[s->nhdr++] = (unsigned char)*p++;
        n--;
        if (s->nhdr == 1 && s->hdr[0] > 2) {
            s->raw = 1;
            demux_emit(s, (const char *)s->hdr, 1);
            continue;
        }
        if (s->nhdr == 8) {
            s->left = ((size_t)s->hdr[4] << 24) | ((size_t)s->hdr[5] << 16) |
                      ((size_t)s->hdr[6] << 8) | s->hdr[7];
            s->nhdr = 0;
        }
    }
    return size * nmemb;
}

char *
docker_container_logs(struct docker *d, const char *id, int tail)
{
    char *path =
        xasprintf("/containers/%s/logs?stdout=1&stderr=1&tail=%d", id, tail);
    struct strbuf raw = STRBUF_INIT, out = STRBUF_INIT;
    long status = 0;
    char *r = NULL;
    if (request(d, "GET", path, NULL, &status, &raw, 10, NULL) == 0 &&
        status < 300) {
        demux(raw.s ? raw.s : "", raw.len, &out);
        r = strbuf_steal(&out);
    }
    strbuf_destroy(&raw);
    strbuf_destroy(&out);
    free(path);
    return r;
}

/* POST /containers/{id}/exec: returns the exec id (caller frees) or NULL. */
static char *
exec_create(struct docker *d, const char *id, const char *const *argv, int tty,
            const char *what, struct err *err)
{
    json_t *body = json_object(), *resp = NULL;
    json_object_set_new(body, "AttachStdout", json_true());
    json_object_set_new(body, "AttachStderr", json_true());
    json_object_set_new(body, "AttachStdin", json_boolean(tty));
    json_object_set_new(body, "Tty", json_boolean(tty));
    if (tty) {
        const char *t = getenv("TERM");
        char *e = xasprintf("TERM=%s", t && *t ? t : "xterm");
        json_object_set_new(body, "Env", json_pack("[s]", e));
        free(e);
    }
    json_object_set_new(body, "Cmd", json_strv(argv));
    char *path = xasprintf("/containers/%s/exec", id);
    char *eid = NULL;
    if (call(d, "POST", path, body, &resp, what, err) == 0) {
        const char *s = json_string_value(json_object_get(resp, "Id"));
        if (s)
            eid = xstrdup(s);
        else
            err_set(err, -EPROTO, "docker: %s: no exec Id in the answer", what);
    }
    json_decref(resp);
    json_decref(body);
    free(path);
    return eid;
}

/* The exit code of a finished exec (the stream ends as the process exits;
 * the code may lag a moment). */
static int
exec_exit_code(struct docker *d, const char *eid, const char *what,
               struct err *err)
{
    char *epath = xasprintf("/exec/%s/json", eid);
    json_t *resp = NULL;
    int ret = 0;
    for (int i = 0; i < 200; i++) {
        json_decref(resp);
        resp = NULL;
        ret = call(d, "GET", epath, NULL, &resp, what, err);
        if (ret < 0)
            break;
        if (!json_is_true(json_object_get(resp, "Running")))
            break;
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (ret == 0)
        ret = (int)json_integer_value(json_object_get(resp, "ExitCode"));
    json_decref(resp);
    free(epath);
    return ret;
}

/* Writes all of buf to fd (a socket when sock: then a peer that went away
 * is an error, not a SIGPIPE); returns 0 or -1. */
static int
write_all(int fd, const char *buf, size_t n, int sock)
{
    while (n) {
        ssize_t w = sock ? send(fd, buf, n, MSG_NOSIGNAL) : write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

static volatile sig_atomic_t winched;

static void
on_winch(int sig)
{
    (void)sig;
    winched = 1;
}

/* Gives the exec's terminal the size of ours (out_fd), if it is one. */
static void
resize_exec(struct docker *d, const char *eid, int out_fd, const char *what)
{
    struct winsize ws;
    if (ioctl(out_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
        char *rp = xasprintf("/exec/%s/resize?h=%u&w=%u", eid,
                             (unsigned)ws.ws_row, (unsigned)ws.ws_col);
        call(d, "POST", rp, NULL, NULL, what, NULL);
        free(rp);
    }
}

/* Starts exec eid attached with a TTY over a raw connection to the socket
 * (curl cannot hand over a hijacked, two-way connection), puts our terminal
 * in raw mode and copies in_fd -> container and container -> out_fd until the
 * command ends: what `docker exec -it` does. Ctrl-C reaches the command in
 * the container as on any terminal. */
static int
exec_start_tty(struct docker *d, const char *eid, int in_fd, int out_fd,
               const char *what, struct err *err)
{
    int ret = 0;
    struct termios saved;
    int raw = 0;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", d->sock);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        ret = err_set(err, -errno, "docker: %s: cannot connect to %s: %s", what,
                      d->sock, strerror(errno));
        goto out;
    }
    const char *body = "{\"Detach\":false,\"Tty\":true}";
    char *req = xasprintf("POST /v1.41/exec/%s/start HTTP/1.1\r\n"
                          "Host: docker\r\n"
                          "Content-Type: application/json\r\n"
                          "Connection: Upgrade\r\nUpgrade: tcp\r\n"
                          "Content-Length: %zu\r\n\r\n%s",
                          eid, strlen(body), body);
    int wr = write_all(fd, req, strlen(req), 1);
    free(req);
    if (wr < 0) {
        ret = err_set(err, -EIO, "docker: %s: cannot send the request", what);
        goto out;
    }
    /* The answer's head: "HTTP/1.1 101 UPGRADED" (or 200), headers, blank
     * line; what follows is the command's terminal. */
    char head[8192];
    size_t n = 0;
    while (n < sizeof head - 1 &&
           !(n >= 4 && !memcmp(head + n - 4, "\r\n\r\n", 4))) {
        ssize_t r = read(fd, head + n, 1);
        if (r <= 0)
            break;
        n++;
    }
    head[n] = 0;
    int status = 0;
    if (sscanf(head, "HTTP/1.%*d %d", &status) != 1 || status >= 300) {
        char rest[1024];
        ssize_t r = read(fd, rest, sizeof rest - 1);
        rest[r > 0 ? r : 0] = 0;
        char *m = docker_message(rest);
        ret = err_set(err, status ? errno_of_status(status) : -EPROTO,
                      "docker: %s: %s", what, *m ? m : head);
        free(m);
        goto out;
    }
    /* The size of our terminal, so that full-screen programs fit, now and
     * whenever it changes (SIGWINCH, caught only while the command runs). */
    resize_exec(d, eid, out_fd, what);
    struct sigaction wsa = {.sa_handler = on_winch}, old_sa;
    sigemptyset(&wsa.sa_mask);
    winched = 0;
    int have_sa = sigaction(SIGWINCH, &wsa, &old_sa) == 0;
    if (isatty(in_fd) && tcgetattr(in_fd, &saved) == 0) {
        struct termios t = saved;
        cfmakeraw(&t);
        raw = tcsetattr(in_fd, TCSANOW, &t) == 0;
    }
    struct pollfd p[2] = {{.fd = fd, .events = POLLIN},
                          {.fd = in_fd, .events = POLLIN}};
    int nfds = 2;
    char buf[16384];
    for (;;) {
        int r = poll(p, nfds, -1);
        if (winched) {
            winched = 0;
            resize_exec(d, eid, out_fd, what);
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        if (p[0].revents) {
            ssize_t k = read(fd, buf, sizeof buf);
            if (k <= 0)
                break; /* the command ended */
            if (write_all(out_fd, buf, (size_t)k, 0) < 0)
                break;
        }
        if (nfds == 2 && p[1].revents) {
            ssize_t k = read(in_fd, buf, sizeof buf);
            if (k <= 0) {
                shutdown(fd, SHUT_WR); /* our input ended: so does its */
                nfds = 1;
            } else if (write_all(fd, buf, (size_t)k, 1) < 0) {
                break;
            }
        }
    }
    if (have_sa)
        sigaction(SIGWINCH, &old_sa, NULL);
out:
    if (raw)
        tcsetattr(in_fd, TCSANOW, &saved);
    if (fd >= 0)
        close(fd);
    return ret;
}

int
docker_exec_tty(struct docker *d, const char *id, const char *const *argv,
                int in_fd, int out_fd, struct err *err)
{
    char *what = xasprintf("exec in container %.12s", id);
    int ret;
    char *eid = exec_create(d, id, argv, 1, what, err);
    if (!eid) {
        ret = err_is_set(err) && err->code ? err->code : -EIO;
        goto out;
    }
    ret = exec_start_tty(d, eid, in_fd, out_fd, what, err);
    if (ret == 0)
        ret = exec_exit_code(d, eid, what, err);
out:
    free(eid);
    free(what);
    return ret;
}

int
docker_exec(struct docker *d, const char *id, const char *const *argv,
            char **out, struct err *err)
{
    if (out)
        *out = NULL;
    if (!out && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
        return docker_exec_tty(d, id, argv, STDIN_FILENO, STDOUT_FILENO, err);
    char *what = xasprintf("exec in container %.12s", id);
    char *epath = NULL;
    struct strbuf raw = STRBUF_INIT;
    json_t *body = NULL;
    int ret;
    char *eid = exec_create(d, id, argv, 0, what, err);
    if (!eid) {
        ret = err_is_set(err) && err->code ? err->code : -EIO;
        goto out;
    }
    /* Attached start: dockerd hijacks the connection, streams the output and
     * closes it when the command ends. No timeout: the command decides. */
    body = json_pack("{s:b,s:b}", "Detach", 0, "Tty", 0);
    epath = xasprintf("/exec/%s/start", eid);
    long status = 0;
    struct demux_stream ds = {.out = out ? &raw : NULL, .fd = 1};
    ret = request_cb(d, "POST", epath, body, &status, demux_write, &ds, 0, err);
    if (ret == 0 && status >= 300) {
        char *m = docker_message(strbuf_str(&ds.errbody));
        ret = err_set(err, errno_of_status(status), "docker: %s: %s", what, m);
        free(m);
    }
    strbuf_destroy(&ds.errbody);
    if (ret < 0)
        goto out;
    ret = exec_exit_code(d, eid, what, err);
    if (ret >= 0 && out)
        *out = raw.s ? strbuf_steal(&raw) : xstrdup("");
out:
    strbuf_destroy(&raw);
    json_decref(body);
    free(epath);
    free(eid);
    free(what);
    return ret;
}

int
docker_update(struct docker *d, const char *id,
              const struct docker_resources *res, struct err *err)
{
    json_t *body = json_object();
    put_resources(body, res, 1);
    char *what = xasprintf("update resources of container %.12s", id);
    int ret = container_post(d, id, "update", "", body, what, err);
    free(what);
    json_decref(body);
    return ret;
}

int
docker_container_kill(struct docker *d, const char *id, const char *signal,
                      struct err *err)
{
    char *q = xasprintf("?signal=%s", signal ? signal : "KILL");
    char *what = xasprintf("kill container %.12s", id);
    struct err tmp = {0};
    int ret = container_post(d, id, "kill", q, NULL, what, &tmp);
    /* 409: "is not running". */
    if (ret == -EEXIST)
        ret = 0;
    else if (ret < 0)
        err_set(err, ret, "%s", tmp.msg);
    free(what);
    free(q);
    return ret;
}

int
docker_container_stop(struct docker *d, const char *id, int timeout_s,
                      struct err *err)
{
    char *q = xasprintf("?t=%d", timeout_s);
    char *what = xasprintf("stop container %.12s", id);
    int ret = container_post(d, id, "stop", q, NULL, what, err);
    free(what);
    free(q);
    return ret == -EALREADY ? 0 : ret;
}

int
docker_container_remove(struct docker *d, const char *id, struct err *err)
{
    char *path = xasprintf("/containers/%s?force=1&v=1", id);
    char *what = xasprintf("remove container %.12s", id);
    struct err tmp = {0};
    int ret = call(d, "DELETE", path, NULL, NULL, what, &tmp);
    /* Gone already, or a removal of it already under way. */
    if (ret == -ENOENT ||
        (ret == -EEXIST && strstr(tmp.msg, "already in progress")))
        ret = 0;
    else if (ret < 0)
        err_set(err, ret, "%s", tmp.msg);
    free(what);
    free(path);
    return ret;
}

void
docker_container_list_free(struct docker_container *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].id);
        free(list[i].name);
        free(list[i].node);
        free(list[i].state);
    }
    free(list);
}

static char *
dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

int
docker_container_list(struct docker *d, const char *prefix,
                      struct docker_container **list, size_t *n,
                      struct err *err)
{
    *list = NULL;
    *n = 0;
    char *label = prefix ? xasprintf("%s=%s", DOCKER_LABEL_PREFIX, prefix)
                         : xstrdup(DOCKER_LABEL_PREFIX);
    json_t *f = json_pack("{s:[s]}", "label", label);
    char *fs = json_dumps(f, JSON_COMPACT);
    char *efs = url_escape(d, fs);
    char *path = xasprintf("/containers/json?all=1&filters=%s", efs);
    json_t *j;
    int ret = call(d, "GET", path, NULL, &j, "list containers", err);
    if (ret == 0) {
        size_t cnt = json_array_size(j), i;
        json_t *c;
        struct docker_container *v = xcalloc(cnt ? cnt : 1, sizeof *v);
        json_array_foreach(j, i, c)
        {
            const char *nm = json_string_value(
                json_array_get(json_object_get(c, "Names"), 0));
            if (nm && *nm == '/')
                nm++;
            v[i].id = dup_or_null(json_string_value(json_object_get(c, "Id")));
            v[i].name = dup_or_null(nm);
            v[i].node = dup_or_null(json_string_value(json_object_get(
                json_object_get(c, "Labels"), DOCKER_LABEL_NODE)));
            v[i].state =
                dup_or_null(json_string_value(json_object_get(c, "State")));
            if (!v[i].id)
                v[i].id = xstrdup("");
        }
        *list = v;
        *n = cnt;
        json_decref(j);
    }
    free(path);
    free(efs);
    free(fs);
    json_decref(f);
    free(label);
    return ret;
}

/* Removal of a list of containers on a few threads (each ~60 ms in dockerd,
 * mostly waiting): what docker_clean() shares with its threads. */
struct clean_ctx {
    pthread_mutex_t mu;
    const struct docker_container *list;
    size_t n, next;
    int removed, ret, verbose;
    struct err err;
};

static void *
clean_worker(void *arg)
{
    struct clean_ctx *c = arg;
    struct err e = {0};
    struct docker *d = docker_open(NULL, &e);
    for (;;) {
        pthread_mutex_lock(&c->mu);
        size_t i = c->next++;
        pthread_mutex_unlock(&c->mu);
        if (i >= c->n || !d)
            break;
        const struct docker_container *k = &c->list[i];
        err_clear(&e);
        int r = docker_container_remove(d, k->id, &e);
        pthread_mutex_lock(&c->mu);
        if (r < 0) {
            c->ret = r;
            err_set(&c->err, r, "%s", e.msg);
        } else {
            c->removed++;
            if (c->verbose)
                printf("removed container %s\n", k->name ? k->name : k->id);
        }
        pthread_mutex_unlock(&c->mu);
    }
    docker_close(d);
    return NULL;
}

int
docker_clean(const char *prefix, int verbose, struct err *err)
{
    if (!prefix)
        prefix = "fop4";
    struct docker *d = docker_open(NULL, err);
    if (!d)
        return -ENOMEM;
    struct docker_container *list = NULL;
    size_t n = 0;
    struct err tmp = {0};
    int ret = docker_container_list(d, prefix, &list, &n, &tmp);
    docker_close(d);
    if (ret == -ECONNREFUSED || ret == -ENOENT)
        return 0; /* no dockerd (or no socket): nothing of ours runs there */
    if (ret < 0)
        return err_set(err, ret, "%s", tmp.msg);

    struct clean_ctx c = {.list = list, .n = n, .verbose = verbose};
    pthread_mutex_init(&c.mu, NULL);
    pthread_t t[3];
    int nt = 0;
    for (; nt < 3 && (size_t)nt + 1 < n; nt++)
        if (pthread_create(&t[nt], NULL, clean_worker, &c))
            break;
    clean_worker(&c);
    for (int i = 0; i < nt; i++)
        pthread_join(t[i], NULL);
    pthread_mutex_destroy(&c.mu);
    fflush(stdout);
    docker_container_list_free(list, n);
    if (c.ret < 0 && !c.removed)
        return err_set(err, c.ret, "%s", c.err.msg);
    if (c.ret < 0)
        err_set(err, c.ret, "%s", c.err.msg);
    return c.removed;
}
