/* node_p4switch.c - the p4switch node kind (kind.h): a fop4-switch process in
 * the node's own namespace, one port per link ("-i <port>@<intf>", ports as
 * the engine numbered them: link order, or "s1:3" as written), its program from
 * `json:` (or `p4:`, compiled with fop4-p4c through the content-hash cache of
 * p4cache.c) and its table entries from `commands:` (a simple_switch_CLI
 * command file, sent line by line over the switch's control port) or
 * `runtime:` (the p4lang tutorials' sX-runtime.json, turned into the same
 * commands, its errors reported at their line and column). Both ends of every
 * port's link get their NIC offloads turned off (ethtool ioctls), as FOP4's
 * P4Host does. A link added at run time becomes port_add, a removed one
 * port_remove.
 *
 * The control port is reached from inside the namespace (the socket is created
 * there), so every switch may use the same port number; the default is still
 * 9090 + index, as p4_mininet does, so that numbers stay unique in messages.
 * The line protocol is the one of control/ctlsock.h, spoken here directly so
 * that the engine does not depend on the control module.
 *
 * Owner: "p4node" (the P4-switch-as-node part: this file, p4cache.c,
 * examples/p4/, tests/p4node/, docs/p4switch.md). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/kind.h"
#include "engine/nl.h"
#include "engine/p4cache.h"
#include "engine/p4switch.h"
#include "lib/diag.h"
#include "lib/hmap.h"
#include "lib/strbuf.h"
#include "lib/util.h"

/* Problems of one command file shown in full (runtime files: twice as many);
 * the rest are counted. */
#define MAX_WARNINGS 10

struct p4sw {
    pid_t pid;
    int port;   /* control port */
    int fd;     /* control connection, -1 when closed */
    char *json; /* the program the switch runs (owned path) */
};

static struct p4sw *
priv(struct node *node)
{
    if (!node->priv) {
        struct p4sw *p = xcalloc(1, sizeof *p);
        p->fd = -1;
        node->priv = p;
    }
    return node->priv;
}


static int apply_runtime(struct node *node, struct p4sw *p, const char *path,
                         int check_only, struct err *err);
static char *compile_p4(struct node *node, struct err *err);

static int
p4sw_validate(struct node *node, struct err *err)
{
    const struct p4switch_params *p = &node->params.p4;
    if (!p->json && !p->p4)
        return err_set(err, -EINVAL,
                       "p4switch '%s' needs its program: 'p4: prog.p4' or "
                       "'json: prog.json'",
                       node->name);
    const char *prog = p->json ? p->json : p->p4;
    if (access(prog, R_OK) < 0)
        return err_set(err, -errno, "p4switch '%s': cannot read %s: %s",
                       node->name, prog, strerror(errno));
    for (size_t i = 0; p->defines && p->defines[i]; i++) {
        const char *d = p->defines[i];
        size_t n = strcspn(d, "=");
        int ok = n > 0 && (isalpha((unsigned char)d[0]) || d[0] == '_');
        for (size_t j = 1; ok && j < n; j++)
            ok = isalnum((unsigned char)d[j]) || d[j] == '_';
        if (!ok)
            return err_set(err, -EINVAL,
                           "p4switch '%s': bad define '%s' (NAME or "
                           "NAME=VALUE, NAME a C identifier)",
                           node->name, d);
    }
    if (p->defines && !p->p4)
        return err_set(
            err, -EINVAL,
            "p4switch '%s': 'defines' is for compiling 'p4:' programs",
            node->name);
    if (p->runtime && access(p->runtime, R_OK) < 0)
        return err_set(err, -errno, "p4switch '%s': cannot read %s: %s",
                       node->name, p->runtime, strerror(errno));
    if (p->commands && access(p->commands, R_OK) < 0)
        return err_set(err, -errno, "p4switch '%s': cannot read %s: %s",
                       node->name, p->commands, strerror(errno));
    /* Before anything is created: compile a p4: program (start() then finds
     * it in the cache) and check the runtime entries against the program. */
    char *json = p->p4 ? compile_p4(node, err) : xstrdup(p->json);
    if (!json)
        return err && err->code ? err->code : -EINVAL;
    int rc = 0;
    if (p->runtime) {
        struct p4sw chk = {.fd = -1, .json = json};
        rc = apply_runtime(node, &chk, p->runtime, 1, err);
    }
    free(json);
    return rc;
}

static int
p4sw_create(struct node *node, struct err *err)
{
    priv(node);
    return node_create_netns(node, err);
}

/* ---- NIC offloads
 * ------------------------------------------------------------------ */

/* Netdev feature names (ethtool -k) turned off besides the legacy ioctls:
 * those the legacy ones do not reach on recent kernels (e.g.
 * tx-tcp-accecn-segmentation, tx-udp-segmentation, rx-gro-list). */
static int
feature_wanted_off(const char *name)
{
    static const char *const prefixes[] = {
        "tx-checksum", "tx-scatter-gather",       "rx-checksum",
        "rx-gro",      "tx-generic-segmentation", "tx-udp-segmentation",
        "rx-udp-gro"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
            return 1;
    size_t n = strlen(name);
    return !strncmp(name, "tx-tcp", 6) && n > 12 &&
           !strcmp(name + n - 12, "segmentation");
}

/* ETHTOOL_SFEATURES on every feature feature_wanted_off() names; best effort
 * (fixed features stay as they are). */
static void
features_off(int fd, const char *ifname)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
    /* the header and room for one count (data[] is a flexible array) */
    uint64_t infobuf[(sizeof(struct ethtool_sset_info) + sizeof(uint32_t) + 7) /
                     8] = {0};
    struct ethtool_sset_info *info = (struct ethtool_sset_info *)infobuf;
    info->cmd = ETHTOOL_GSSET_INFO;
    info->sset_mask = 1ull << ETH_SS_FEATURES;
    ifr.ifr_data = (char *)info;
    if (ioctl(fd, SIOCETHTOOL, &ifr) < 0 ||
        !(info->sset_mask & (1ull << ETH_SS_FEATURES)))
        return;
    uint32_t n = info->data[0];
    if (n == 0 || n > 4096)
        return;
    struct ethtool_gstrings *gs =
        xcalloc(1, sizeof *gs + (size_t)n * ETH_GSTRING_LEN);
    gs->cmd = ETHTOOL_GSTRINGS;
    gs->string_set = ETH_SS_FEATURES;
    gs->len = n;
    ifr.ifr_data = (char *)gs;
    uint32_t blocks = (n + 31) / 32;
    struct ethtool_sfeatures *sf = xcalloc(
        1, sizeof *sf + blocks * sizeof(struct ethtool_set_features_block));
    sf->cmd = ETHTOOL_SFEATURES;
    sf->size = blocks;
    int any = 0;
    if (ioctl(fd, SIOCETHTOOL, &ifr) == 0) {
        for (uint32_t i = 0; i < n; i++) {
            char name[ETH_GSTRING_LEN + 1];
            memcpy(name, gs->data + (size_t)i * ETH_GSTRING_LEN,
                   ETH_GSTRING_LEN);
            name[ETH_GSTRING_LEN] = '\0';
            if (feature_wanted_off(name)) {
                sf->features[i / 32].valid |= 1u << (i % 32);
                any = 1;
            }
        }
    }
    if (any) {
        ifr.ifr_data = (char *)sf;
        (void)ioctl(fd, SIOCETHTOOL, &ifr);
    }
    free(sf);
    free(gs);
}

/* Turns checksum, scatter-gather and segmentation offloads off on ifname in
 * the namespace netns_fd (what FOP4's P4Host does with `ethtool --offload`),
 * so that packets reach the switch with real checksums and at most MTU size.
 * One ioctl per feature on a socket made inside the namespace; no fork.
 * Returns 0, or a negative errno of the first feature the kernel refused. */
static int
offloads_off(int netns_fd, const char *ifname)
{
    static const uint32_t cmds[] = {ETHTOOL_STXCSUM, ETHTOOL_SRXCSUM,
                                    ETHTOOL_SSG,     ETHTOOL_STSO,
                                    ETHTOOL_SGSO,    ETHTOOL_SGRO};
    int saved;
    if (nl_ns_enter(netns_fd, &saved) < 0)
        return -errno;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int e = errno;
    nl_ns_leave(saved);
    if (fd < 0)
        return -e;
    int rc = 0;
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        struct ethtool_value ev = {.cmd = cmds[i], .data = 0};
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
        ifr.ifr_data = (char *)&ev;
        if (ioctl(fd, SIOCETHTOOL, &ifr) < 0 && errno != EOPNOTSUPP && rc == 0)
            rc = -errno;
    }
    if (rc == 0)
        features_off(fd, ifname);
    close(fd);
    return rc;
}

/* Offloads off on both ends of the link of the switch's port intf: the
 * switch's own interface and the peer's (a host, a container, another switch).
 */
static void
port_offloads_off(struct node *node, struct intf *intf)
{
    if (offloads_off(node->netns_fd, intf->name) < 0)
        fprintf(stderr, "fop4: warning: %s: cannot turn offloads off on %s\n",
                node->name, intf->name);
    struct link *l = intf->link;
    for (int e = 0; l && e < 2; e++) {
        struct node *peer = net_get_node(node->net, link_end_node(l, e));
        const char *pname = link_end_intf(l, e);
        if (!peer || !pname || (peer == node && !strcmp(pname, intf->name)))
            continue;
        if (peer->netns_fd < 0 || offloads_off(peer->netns_fd, pname) < 0)
            fprintf(stderr,
                    "fop4: warning: %s: cannot turn offloads off on %s\n",
                    peer->name, pname);
    }
}

/* Compiles the node's p4: program through the cache (p4cache.h) and returns
 * the JSON path. */
static char *
compile_p4(struct node *node, struct err *err)
{
    int hit = 0;
    char *out = p4cache_compile(node->params.p4.p4, NULL, NULL,
                                node->params.p4.defines, &hit, err);
    if (!out)
        err_prefix(err, "p4switch '%s'", node->name);
    return out;
}

/* Connects to the switch's control port from inside its namespace. */
static int
ctl_connect(struct node *node, int port)
{
    int saved;
    if (nl_ns_enter(node->netns_fd, &saved) < 0)
        return -1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    nl_ns_leave(saved);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Sends one command, reads its output (up to the NUL) into out. */
static int
ctl_request(int fd, const char *line, struct strbuf *out)
{
    size_t n = strlen(line);
    char *msg = xasprintf("%.*s\n", (int)n, line);
    size_t off = 0, len = strlen(msg);
    while (off < len) {
        ssize_t w = send(fd, msg + off, len - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            free(msg);
            return -EPIPE;
        }
        off += (size_t)w;
    }
    free(msg);
    char buf[4096];
    for (;;) {
        struct pollfd pf = {fd, POLLIN, 0};
        if (poll(&pf, 1, 10000) <= 0)
            return -ETIMEDOUT;
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -EPIPE;
        char *nul = memchr(buf, '\0', (size_t)r);
        strbuf_add(out, buf, nul ? (size_t)(nul - buf) : (size_t)r);
        if (nul)
            return 0;
    }
}

/* Applies a simple_switch_CLI command file; commands the switch refuses are
 * reported as path:line: warnings and do not stop the node (FOP4's own command
 * files hold such lines). */
static int
apply_commands(struct node *node, struct p4sw *p, const char *path,
               struct err *err)
{
    char *text = read_file(path, NULL);
    if (!text)
        return err_set(err, -errno, "p4switch '%s': cannot read %s: %s",
                       node->name, path, strerror(errno));
    int line = 0, rc = 0, refused = 0;
    struct strbuf out = STRBUF_INIT;
    for (char *l = text; l && *l;) {
        char *nl = strchr(l, '\n');
        if (nl)
            *nl = '\0';
        line++;
        const char *w = l + strspn(l, " \t\r");
        if (!*w || *w == '#' ||
            !strncmp(w, "//", 2)) { /* blank lines and comments */
            l = nl ? nl + 1 : NULL;
            continue;
        }
        strbuf_reset(&out);
        if (ctl_request(p->fd, l, &out) < 0) {
            rc = err_set(err, -EPIPE,
                         "p4switch '%s': %s:%d: the switch stopped answering",
                         node->name, path, line);
            break;
        }
        const char *o = strbuf_str(&out);
        for (const char *x = o; *x;) {
            const char *e = strchr(x, '\n');
            size_t n = e ? (size_t)(e - x) : strlen(x);
            if ((!strncmp(x, "Error", 5) || !strncmp(x, "Invalid", 7) ||
                 !strncmp(x, "***", 3)) &&
                refused++ < MAX_WARNINGS)
                diag_print(stderr, "warning", path, NULL, line,
                           (int)(w - l) + 1, "%s refused this command: %.*s",
                           node->name, (int)n, x);
            x += n + (e ? 1 : 0);
        }
        l = nl ? nl + 1 : NULL;
    }
    if (refused > MAX_WARNINGS)
        fprintf(stderr,
                "%s: warning: %s refused %d more commands of this file\n", path,
                node->name, refused - MAX_WARNINGS);
    strbuf_destroy(&out);
    free(text);
    return rc;
}

/* ---- the tutorials' sX-runtime.json
 * ------------------------------------------------ */

/* Where each value of a JSON text starts, by path ("table_entries/3/match/
 * hdr.ipv4.dstAddr"): jansson keeps no positions, so the text (already parsed
 * by jansson, hence well-formed) is walked once more. */
struct jloc {
    const char *s;
    size_t i;
    struct hmap map; /* path -> offset + 1 */
};

static void
jl_ws(struct jloc *j)
{
    while (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' ||
           j->s[j->i] == '\r')
        j->i++;
}

/* Skips a string at j->i (a '"'), appending its raw text to name if not NULL.
 */
static void
jl_string(struct jloc *j, struct strbuf *name)
{
    j->i++;
    while (j->s[j->i] && j->s[j->i] != '"') {
        if (j->s[j->i] == '\\' && j->s[j->i + 1])
            j->i++;
        if (name)
            strbuf_putc(name, j->s[j->i]);
        j->i++;
    }
    if (j->s[j->i])
        j->i++;
}

static void
jl_value(struct jloc *j, struct strbuf *path, int depth)
{
    jl_ws(j);
    hmap_put(&j->map, strbuf_str(path), (void *)(uintptr_t)(j->i + 1), NULL);
    char c = j->s[j->i];
    if (depth > 64 || !c)
        return;
    if (c == '"') {
        jl_string(j, NULL);
        return;
    }
    if (c != '{' && c != '[') {
        while (j->s[j->i] && !strchr(",]} \t\r\n", j->s[j->i]))
            j->i++;
        return;
    }
    char close = c == '{' ? '}' : ']';
    j->i++;
    size_t base = path->len;
    for (int n = 0;; n++) {
        jl_ws(j);
        if (!j->s[j->i] || j->s[j->i] == close)
            break;
        if (path->len)
            strbuf_putc(path, '/');
        if (c == '{') {
            jl_string(j, path);
            jl_ws(j);
            if (j->s[j->i] == ':')
                j->i++;
        } else {
            strbuf_printf(path, "%d", n);
        }
        jl_value(j, path, depth + 1);
        path->len = base;
        if (path->s)
            path->s[base] = '\0';
        jl_ws(j);
        if (j->s[j->i] == ',')
            j->i++;
        else if (j->s[j->i] != close)
            break; /* not well-formed after all: stop */
    }
    if (j->s[j->i] == close)
        j->i++;
}

/* State of one runtime file being applied. */
struct rt {
    struct node *node;
    struct p4sw *p;
    const char *path;
    char *text;
    struct jloc loc;
    json_t *prog;   /* the BMv2 JSON the switch runs */
    int check_only; /* map and check the entries, send nothing */
    int errors;
};

/* Reports an error at the value found at the JSON path (or, if absent, at
 * the nearest enclosing value). */
static void PRINTF_FMT(3, 4)
    rt_error(struct rt *r, const char *jpath, const char *fmt, ...)
{
    if (r->errors >= 2 * MAX_WARNINGS) { /* counted, not shown */
        r->errors++;
        return;
    }
    char *where = xstrdup(jpath);
    size_t off = 0;
    for (;;) {
        uintptr_t v = (uintptr_t)hmap_get(&r->loc.map, where);
        if (v) {
            off = v - 1;
            break;
        }
        char *slash = strrchr(where, '/');
        if (!slash) {
            v = (uintptr_t)hmap_get(&r->loc.map, "");
            off = v ? v - 1 : 0;
            break;
        }
        *slash = '\0';
    }
    free(where);
    int line = 1, col = 1;
    for (size_t i = 0; i < off && r->text[i]; i++) {
        if (r->text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    diag_print(stderr, "error", r->path, r->text, line, col, "%s: %s",
               r->node->name, msg ? msg : fmt);
    free(msg);
    r->errors++;
}

/* A runtime.json value as a CLI word: strings as written (the CLI reads IPv4
 * and MAC forms), numbers in decimal. Returns -1 for other JSON types. */
static int
put_value(struct strbuf *o, json_t *v)
{
    if (json_is_string(v))
        strbuf_puts(o, json_string_value(v));
    else if (json_is_integer(v))
        strbuf_printf(o, "%lld", (long long)json_integer_value(v));
    else if (json_is_boolean(v))
        strbuf_puts(o, json_is_true(v) ? "1" : "0");
    else
        return -1;
    return 0;
}

/* The names of the objects of a JSON array ("name" members), for did-you-mean.
 */
static const char *
suggest_named(json_t *arr, const char *word)
{
    VEC(const char *) names = VEC_INIT;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        const char *n = json_string_value(json_object_get(o, "name"));
        if (n)
            VEC_PUSH(&names, n);
    }
    const char *s = diag_suggest(word, names.v, names.n);
    VEC_FREE(&names);
    return s;
}

static json_t *
find_named(json_t *arr, const char *name)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        const char *n = json_string_value(json_object_get(o, "name"));
        if (n && !strcmp(n, name))
            return o;
    }
    return NULL;
}

/* Tables of every pipeline, as one array (new reference). */
static json_t *
all_tables(json_t *prog)
{
    json_t *all = json_array();
    size_t i;
    json_t *pl;
    json_array_foreach(json_object_get(prog, "pipelines"), i, pl)
        json_array_extend(all, json_object_get(pl, "tables"));
    return all;
}

/* Sends cmd; a refusal by the switch is an error at jpath. */
static void
rt_run(struct rt *r, const char *jpath, const char *cmd, struct strbuf *out)
{
    strbuf_reset(out);
    if (r->check_only)
        return;
    if (ctl_request(r->p->fd, cmd, out) < 0) {
        rt_error(r, jpath, "the switch stopped answering (%s)", cmd);
        return;
    }
    const char *o = strbuf_str(out);
    if (strstr(o, "Error") || strstr(o, "Invalid") || strstr(o, "***")) {
        size_t n = strlen(o);
        while (n > 0 && o[n - 1] == '\n')
            n--;
        rt_error(r, jpath, "the switch refused '%s': %.*s", cmd, (int)n, o);
    }
}

static const char *
quote_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

/* Turns table_entries[idx] into a CLI command in cmd; 0, or -1 after
 * reporting the error. */
static int
entry_command(struct rt *r, json_t *tables, json_t *ent, size_t idx,
              struct strbuf *cmd)
{
    char jp[64], sub[400];
    snprintf(jp, sizeof jp, "table_entries/%zu", idx);
    if (!json_is_object(ent)) {
        rt_error(r, jp,
                 "a table entry is an object {\"table\": ..., \"action_name\": "
                 "...}");
        return -1;
    }
    const char *tname = json_string_value(json_object_get(ent, "table"));
    const char *aname = json_string_value(json_object_get(ent, "action_name"));
    snprintf(sub, sizeof sub, "%s/table", jp);
    if (!tname) {
        rt_error(r, sub,
                 "the entry names no table (\"table\": \"MyIngress.t\")");
        return -1;
    }
    json_t *t = find_named(tables, tname);
    if (!t) {
        const char *s = suggest_named(tables, tname);
        rt_error(r, sub, "no table '%s' in %s%s%s%s", tname, r->p->json,
                 s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
        return -1;
    }
    snprintf(sub, sizeof sub, "%s/action_name", jp);
    json_t *a =
        aname ? find_named(json_object_get(r->prog, "actions"), aname) : NULL;
    int in_table = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(t, "actions"), i,
                       x) if (aname && json_is_string(x) &&
                              !strcmp(json_string_value(x), aname)) in_table =
        1;
    if (!aname || !a || !in_table) {
        VEC(const char *) names = VEC_INIT;
        json_array_foreach(json_object_get(t, "actions"), i,
                           x) if (json_is_string(x))
            VEC_PUSH(&names, json_string_value(x));
        const char *s = aname ? diag_suggest(aname, names.v, names.n) : NULL;
        rt_error(r, sub, "table %s has no action '%s'%s%s%s", tname,
                 quote_or(aname, "?"), s ? "; did you mean '" : "", s ? s : "",
                 s ? "'?" : "");
        VEC_FREE(&names);
        return -1;
    }
    json_t *params = json_object_get(ent, "action_params");
    json_t *m = json_object_get(ent, "match");
    if ((params && !json_is_object(params)) || (m && !json_is_object(m))) {
        snprintf(sub, sizeof sub, "%s/%s", jp,
                 params && !json_is_object(params) ? "action_params" : "match");
        rt_error(r, sub, "\"%s\" is an object {\"name\": value, ...}",
                 params && !json_is_object(params) ? "action_params" : "match");
        return -1;
    }
    int is_default = json_is_true(json_object_get(ent, "default_action"));
    strbuf_printf(cmd, "%s %s %s",
                  is_default ? "table_set_default" : "table_add", tname, aname);
    if (!is_default) {
        json_t *match = json_object_get(ent, "match");
        /* every field the entry matches must be a key of the table */
        const char *mk;
        json_t *mv;
        json_object_foreach(match, mk, mv)
        {
            int found = 0;
            VEC(const char *) names = VEC_INIT;
            json_array_foreach(json_object_get(t, "key"), i, x)
            {
                const char *kn = json_string_value(json_object_get(x, "name"));
                if (kn) {
                    VEC_PUSH(&names, kn);
                    found |= !strcmp(kn, mk);
                }
            }
            if (!found) {
                const char *s = diag_suggest(mk, names.v, names.n);
                snprintf(sub, sizeof sub, "%s/match/%s", jp, mk);
                rt_error(r, sub, "table %s has no key field '%s'%s%s%s", tname,
                         mk, s ? "; did you mean '" : "", s ? s : "",
                         s ? "'?" : "");
                VEC_FREE(&names);
                return -1;
            }
            VEC_FREE(&names);
        }
        json_array_foreach(json_object_get(t, "key"), i, x)
        {
            const char *kn = json_string_value(json_object_get(x, "name"));
            const char *mt =
                json_string_value(json_object_get(x, "match_type"));
            json_t *v = kn ? json_object_get(match, kn) : NULL;
            snprintf(sub, sizeof sub, "%s/match/%s", jp, kn ? kn : "");
            strbuf_putc(cmd, ' ');
            if (!mt)
                mt = "exact";
            int bad = 0;
            if (!v) { /* absent = wildcard */
                if (!strcmp(mt, "lpm"))
                    strbuf_puts(cmd, "0/0");
                else if (!strcmp(mt, "ternary"))
                    strbuf_puts(cmd, "0&&&0");
                else if (!strcmp(mt, "optional"))
                    strbuf_puts(cmd, "*");
                else {
                    snprintf(sub, sizeof sub, "%s/match", jp);
                    rt_error(r, sub, "no value for %s key '%s' of table %s", mt,
                             quote_or(kn, "?"), tname);
                    return -1;
                }
            } else if (json_is_array(v) && json_array_size(v) == 1) {
                bad |=
                    put_value(cmd, json_array_get(v, 0)); /* [value] = value */
            } else if (json_is_array(v)) {
                if (json_array_size(v) != 2 || !strcmp(mt, "exact") ||
                    !strcmp(mt, "optional")) {
                    rt_error(r, sub, "key '%s' is %s: give %s", kn, mt,
                             !strcmp(mt, "lpm")       ? "[value, prefix length]"
                             : !strcmp(mt, "range")   ? "[low, high]"
                             : !strcmp(mt, "ternary") ? "[value, mask]"
                                                      : "one value");
                    return -1;
                }
                bad |= put_value(cmd, json_array_get(v, 0));
                strbuf_puts(cmd, !strcmp(mt, "lpm")     ? "/"
                                 : !strcmp(mt, "range") ? "->"
                                                        : "&&&");
                bad |= put_value(cmd, json_array_get(v, 1));
            } else {
                bad |= put_value(cmd, v);
            }
            if (bad) {
                rt_error(r, sub, "key '%s': a value is a string or an integer",
                         kn);
                return -1;
            }
        }
        strbuf_puts(cmd, " =>");
    }
    const char *pk;
    json_t *pv;
    json_object_foreach(params, pk, pv)
    {
        if (find_named(json_object_get(a, "runtime_data"), pk))
            continue;
        const char *s = suggest_named(json_object_get(a, "runtime_data"), pk);
        snprintf(sub, sizeof sub, "%s/action_params/%s", jp, pk);
        rt_error(r, sub, "action %s has no parameter '%s'%s%s%s", aname, pk,
                 s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
        return -1;
    }
    json_array_foreach(json_object_get(a, "runtime_data"), i, x)
    {
        const char *pn = json_string_value(json_object_get(x, "name"));
        json_t *v = pn ? json_object_get(params, pn) : NULL;
        if (!v) {
            snprintf(sub, sizeof sub, "%s/action_params", jp);
            rt_error(r, sub, "action %s needs parameter '%s'", aname,
                     quote_or(pn, "?"));
            return -1;
        }
        strbuf_putc(cmd, ' ');
        if (put_value(cmd, v) < 0) {
            snprintf(sub, sizeof sub, "%s/action_params/%s", jp, pn);
            rt_error(r, sub,
                     "parameter '%s': a value is a string or an integer", pn);
            return -1;
        }
    }
    const char *tm = json_string_value(json_object_get(t, "match_type"));
    if (!is_default && tm &&
        (!strcmp(tm, "ternary") || !strcmp(tm, "range") ||
         !strcmp(tm, "optional"))) {
        /* P4Runtime: the highest priority wins; BMv2's CLI: the smallest.
         * P4Runtime priorities are 1..2^31-1; map them onto 2^30-1..1 (and
         * what does not fit onto the ends, keeping the order otherwise). */
        const json_int_t top = (json_int_t)1 << 30;
        json_int_t prio = json_integer_value(json_object_get(ent, "priority"));
        if (prio < 0)
            prio = 0;
        if (prio >= top)
            prio = top - 1;
        strbuf_printf(cmd, " %lld", (long long)(top - prio));
    }
    return 0;
}

/* Applies the tutorials' runtime file: table entries (and defaults), multicast
 * groups, clone sessions. Every problem is reported as path:line:col: error
 * with the source line; the valid entries are applied, then the start fails
 * if there was any error. check_only: the same checks, nothing sent (the
 * model-time check of a json: program's runtime file). */
static int
apply_runtime(struct node *node, struct p4sw *p, const char *path,
              int check_only, struct err *err)
{
    struct rt r = {
        .node = node, .p = p, .path = path, .check_only = check_only};
    r.text = read_file(path, NULL);
    if (!r.text)
        return err_set(err, -errno, "p4switch '%s': cannot read %s: %s",
                       node->name, path, strerror(errno));
    json_error_t je;
    json_t *rt = json_loads(r.text, 0, &je);
    if (!rt) {
        diag_print(stderr, "error", path, r.text, je.line, je.column, "%s",
                   je.text);
        free(r.text);
        return err_set(err, -EINVAL, "p4switch '%s': %s is not valid JSON",
                       node->name, path);
    }
    r.prog = json_load_file(p->json, 0, &je);
    if (!r.prog) {
        json_decref(rt);
        free(r.text);
        return err_set(err, -EINVAL, "p4switch '%s': %s:%d:%d: %s", node->name,
                       p->json, je.line, je.column, je.text);
    }
    r.loc.s = r.text;
    hmap_init(&r.loc.map);
    struct strbuf jp = STRBUF_INIT;
    jl_value(&r.loc, &jp, 0);
    strbuf_destroy(&jp);
    json_t *tables = all_tables(r.prog);

    struct strbuf cmd = STRBUF_INIT, out = STRBUF_INIT;
    char where[96];
    size_t i;
    json_t *ent;
    if (!json_is_object(rt))
        rt_error(&r, "",
                 "a runtime file is an object {\"table_entries\": [...], ...}");
    json_array_foreach(json_object_get(rt, "table_entries"), i, ent)
    {
        strbuf_reset(&cmd);
        if (entry_command(&r, tables, ent, i, &cmd) < 0)
            continue;
        snprintf(where, sizeof where, "table_entries/%zu", i);
        rt_run(&r, where, strbuf_str(&cmd), &out);
    }
    json_array_foreach(json_object_get(rt, "multicast_group_entries"), i, ent)
    {
        snprintf(where, sizeof where, "multicast_group_entries/%zu", i);
        json_t *gid = json_object_get(ent, "multicast_group_id");
        if (!json_is_integer(gid)) {
            rt_error(&r, where,
                     "a multicast group needs \"multicast_group_id\": N");
            continue;
        }
        json_int_t g = json_integer_value(gid);
        strbuf_reset(&cmd);
        strbuf_printf(&cmd, "mc_mgrp_create %lld", (long long)g);
        rt_run(&r, where, strbuf_str(&cmd), &out);
        size_t j;
        json_t *rep;
        json_array_foreach(json_object_get(ent, "replicas"), j, rep)
        {
            char rwhere[128];
            snprintf(rwhere, sizeof rwhere, "%s/replicas/%zu", where, j);
            json_t *port = json_object_get(rep, "egress_port");
            if (!json_is_integer(port)) {
                rt_error(
                    &r, rwhere,
                    "a replica needs \"egress_port\": N (and \"instance\")");
                continue;
            }
            strbuf_reset(&cmd);
            strbuf_printf(
                &cmd, "mc_node_create %lld %lld",
                (long long)json_integer_value(json_object_get(rep, "instance")),
                (long long)json_integer_value(port));
            rt_run(&r, rwhere, strbuf_str(&cmd), &out);
            const char *h = strstr(strbuf_str(&out), "created with handle ");
            if (!h)
                continue;
            strbuf_reset(&cmd);
            strbuf_printf(&cmd, "mc_node_associate %lld %ld", (long long)g,
                          strtol(h + strlen("created with handle "), NULL, 10));
            rt_run(&r, rwhere, strbuf_str(&cmd), &out);
        }
    }
    json_array_foreach(json_object_get(rt, "clone_session_entries"), i, ent)
    {
        snprintf(where, sizeof where, "clone_session_entries/%zu", i);
        json_t *sid = json_object_get(ent, "session_id");
        json_t *rep = json_array_get(json_object_get(ent, "replicas"), 0);
        json_t *port = json_object_get(rep, "egress_port");
        if (!json_is_integer(sid) || !json_is_integer(port)) {
            rt_error(&r, where,
                     "a clone session needs \"session_id\": N and "
                     "\"replicas\": [{\"egress_port\": N}]");
            continue;
        }
        strbuf_reset(&cmd);
        strbuf_printf(&cmd, "mirroring_add %lld %lld",
                      (long long)json_integer_value(sid),
                      (long long)json_integer_value(port));
        rt_run(&r, where, strbuf_str(&cmd), &out);
    }
    int rc = 0;
    if (r.errors)
        rc = err_set(err, -EINVAL, "p4switch '%s': %d error%s in %s%s",
                     node->name, r.errors, r.errors == 1 ? "" : "s", path,
                     r.errors > 2 * MAX_WARNINGS ? " (the first ones shown)"
                                                 : "");
    strbuf_destroy(&cmd);
    strbuf_destroy(&out);
    json_decref(tables);
    json_decref(r.prog);
    json_decref(rt);
    hmap_destroy(&r.loc.map);
    free(r.text);
    return rc;
}

/* Where the switch's output goes. While the lab runs it is in the net's run
 * directory, removed at stop; with a log_level the user wants to read it
 * after the run, so it goes to /tmp/<prefix>-<switch>.log (as Mininet's
 * switches log to /tmp) and stays there. Caller frees. */
static char *
log_path(const struct node *node)
{
    if (node->params.p4.log_level)
        return xasprintf("/tmp/%s-%s.log", net_get_prefix(node->net),
                         node->name);
    return xasprintf("%s/%s.log", net_state_dir(node->net), node->name);
}

static int
p4sw_start(struct node *node, struct err *err)
{
    struct p4sw *p = priv(node);
    const struct p4switch_params *pp = &node->params.p4;
    free(p->json);
    p->json = pp->json ? xstrdup(pp->json) : compile_p4(node, err);
    if (!p->json)
        return err && err->code ? err->code : -EINVAL;
    for (size_t i = 0; i < node->intfs.n; i++)
        port_offloads_off(node, node->intfs.v[i]);
    p->port = pp->thrift_port ? pp->thrift_port
                              : 9090 + (node->num > 0 ? node->num - 1 : 0);
    char *bin = tool_path("fop4-switch", "FOP4_SWITCH");
    VEC(char *) argv = VEC_INIT;
    VEC_PUSH(&argv, xstrdup(bin));
    for (size_t i = 0; i < node->intfs.n; i++) {
        VEC_PUSH(&argv, xstrdup("-i"));
        VEC_PUSH(&argv, xasprintf("%d@%s", node->intfs.v[i]->port,
                                  node->intfs.v[i]->name));
    }
    VEC_PUSH(&argv, xstrdup("--thrift-port"));
    VEC_PUSH(&argv, xasprintf("%d", p->port));
    VEC_PUSH(&argv, xstrdup("--device-id"));
    VEC_PUSH(&argv, xasprintf("%d", pp->device_id
                                        ? pp->device_id
                                        : (node->num > 0 ? node->num - 1 : 0)));
    if (pp->log_level) {
        VEC_PUSH(&argv, xstrdup("--log-console"));
        VEC_PUSH(&argv, xstrdup("-L"));
        VEC_PUSH(&argv, xstrdup(pp->log_level));
    }
    if (pp->pcap_dir) {
        VEC_PUSH(&argv, xstrdup("--pcap"));
        VEC_PUSH(&argv, xstrdup(pp->pcap_dir));
    }
    VEC_PUSH(&argv, xstrdup(p->json));
    if (pp->cpu_port) {
        VEC_PUSH(&argv, xstrdup("--"));
        VEC_PUSH(&argv, xstrdup("--cpu-port"));
        VEC_PUSH(&argv, xasprintf("%d", pp->cpu_port));
    }
    VEC_PUSH(&argv, NULL);
    char *log = log_path(node);
    unlink(log); /* a kept log from an earlier run: this run's only */
    int rc = 0;
    pid_t pid = node_spawn(node, argv.v, log, err);
    for (size_t i = 0; i < argv.n; i++)
        free(argv.v[i]);
    VEC_FREE(&argv);
    free(bin);
    if (pid < 0) {
        rc = (int)pid;
        goto out;
    }
    p->pid = pid;
    node->pid = pid;
    /* wait until the control port answers (or the switch dies) */
    uint64_t deadline = now_ns() + 15ull * 1000000000ull;
    while ((p->fd = ctl_connect(node, p->port)) < 0) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            char *msg = read_file(log, NULL);
            for (size_t n = msg ? strlen(msg) : 0; n > 0 && msg[n - 1] == '\n';
                 n--)
                msg[n - 1] = '\0';
            const char *tail = msg ? msg : "";
            if (strlen(tail) > 600)
                tail += strlen(tail) - 600;
            rc = err_set(err, -ECHILD, "p4switch '%s': fop4-switch exited: %s",
                         node->name, tail);
            free(msg);
            node_forget_pid(node, pid);
            p->pid = node->pid = 0;
            goto out;
        }
        if (now_ns() > deadline) {
            rc = err_set(err, -ETIMEDOUT,
                         "p4switch '%s': control port %d did not answer within "
                         "15 s (log: %s)",
                         node->name, p->port, log);
            goto out;
        }
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (pp->commands)
        rc = apply_commands(node, p, pp->commands, err);
    else if (pp->runtime)
        rc = apply_runtime(node, p, pp->runtime, 0, err);
out:
    free(log);
    return rc;
}

/* Waits (bounded) for the signalled switch to exit, SIGKILL after 3 s. */
static void
reap(struct node *node, struct p4sw *p)
{
    if (p->pid <= 0)
        return;
    int st;
    uint64_t deadline = now_ns() + 3ull * 1000000000ull;
    while (waitpid(p->pid, &st, WNOHANG) == 0) {
        if (now_ns() > deadline) {
            kill(p->pid, SIGKILL);
            waitpid(p->pid, &st, 0);
            break;
        }
        struct timespec ts = {0, 2 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    node_forget_pid(node, p->pid);
    p->pid = 0;
}

/* Ends the switch. Without pcaps or a log it has nothing to flush: SIGKILL,
 * and return; destroy() reaps it. The engine stops every node before it
 * destroys any, so the switches of a net wind down together (a switch process
 * takes 50-100 ms to exit, mostly the kernel closing its packet sockets).
 * With pcaps or a log: SIGTERM, and wait here until it has flushed them (the
 * engine SIGKILLs whatever still runs in the namespaces after stop()). */
static void
p4sw_stop(struct node *node)
{
    struct p4sw *p = node->priv;
    if (!p)
        return;
    if (p->fd >= 0)
        close(p->fd);
    p->fd = -1;
    if (p->pid > 0) {
        const struct p4switch_params *pp = &node->params.p4;
        int graceful = pp->pcap_dir || pp->log_level;
        kill(p->pid, graceful ? SIGTERM : SIGKILL);
        if (graceful)
            reap(node, p);
    }
    node->pid = 0;
}

static void
p4sw_destroy(struct node *node)
{
    struct p4sw *p = node->priv;
    if (p) {
        if (p->pid > 0 && !node->pid) /* stopped: wait for the exit */
            reap(node, p);
        else if (p->pid > 0) { /* destroyed without a stop */
            kill(p->pid, SIGKILL);
            reap(node, p);
        }
        free(p->json);
        free(p);
    }
    node->priv = NULL;
    /* The switch's output is kept (in /tmp, log_path()) only when the user
     * asked for a log level; the run directory goes with the net. */
    if (!node->params.p4.log_level) {
        char *log = log_path(node);
        unlink(log);
        free(log);
    }
    node_delete_netns(node);
}

static int
runtime_cmd(struct node *node, const char *cmd, struct err *err)
{
    struct p4sw *p = node->priv;
    if (!p || p->fd < 0)
        return err_set(err, -ESRCH, "p4switch '%s' is not running", node->name);
    struct strbuf out = STRBUF_INIT;
    int rc = ctl_request(p->fd, cmd, &out);
    if (rc == -EPIPE) {
        /* the switch closed our connection (it stays up): connect again once */
        close(p->fd);
        p->fd = ctl_connect(node, p->port);
        strbuf_reset(&out);
        rc = p->fd < 0 ? -ECONNREFUSED : ctl_request(p->fd, cmd, &out);
    }
    if (rc < 0)
        err_set(err, rc,
                "p4switch '%s': the switch does not answer on its control port "
                "%d (%s)",
                node->name, p->port, strerror(-rc));
    else if (strstr(strbuf_str(&out), "Invalid") ||
             strstr(strbuf_str(&out), "Error"))
        rc = err_set(err, -EINVAL, "p4switch '%s': %s: %s", node->name, cmd,
                     strbuf_str(&out));
    strbuf_destroy(&out);
    return rc;
}

static int
p4sw_add_intf(struct node *node, struct intf *intf, struct err *err)
{
    port_offloads_off(node, intf);
    char *cmd = xasprintf("port_add %s %d", intf->name, intf->port);
    int rc = runtime_cmd(node, cmd, err);
    free(cmd);
    return rc;
}

static void
p4sw_del_intf(struct node *node, struct intf *intf)
{
    char *cmd = xasprintf("port_remove %d", intf->port);
    runtime_cmd(node, cmd, NULL);
    free(cmd);
}

int
p4switch_check(const char *name, const struct p4switch_params *pp,
               struct err *err)
{
    struct node n;
    memset(&n, 0, sizeof n);
    n.name = (char *)name;
    n.kind = NODE_P4SWITCH;
    n.params.p4 = *pp;
    n.netns_fd = -1;
    return p4sw_validate(&n, err);
}

const struct node_kind_ops node_p4switch_ops = {
    .name = "p4switch",
    .validate = p4sw_validate,
    .create = p4sw_create,
    .start = p4sw_start,
    .stop = p4sw_stop,
    .destroy = p4sw_destroy,
    .add_intf = p4sw_add_intf,
    .del_intf = p4sw_del_intf,
};
