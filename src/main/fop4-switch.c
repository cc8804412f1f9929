/* fop4-switch - a drop-in for BMv2's simple_switch: runs a p4c-compiled BMv2
 * JSON program on real interfaces (or pcap files) and serves the
 * simple_switch_CLI command language on its --thrift-port.
 *
 *   fop4-switch [options] <path to JSON config file>
 *   fop4-switch -i 1@veth1 -i 2@veth2 --thrift-port 9090 prog.json
 *   fop4-switch --use-files 0 "-i 0@pcap0" prog.json     (p4c's STF runner)
 *   fop4-switch --no-p4 -- --cpu-port 255
 *
 * Wiring only: the switch core (switch/sw.h), the ports and data-path loop
 * (switch/io/), the command language and its socket (control/). */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "control/cli.h"
#include "control/ctlsock.h"
#include "control/notify.h"
#include "lib/log.h"
#include "lib/util.h"
#include "lib/vec.h"
#include "switch/io/portloop.h"
#include "switch/sw.h"

static volatile sig_atomic_t stop;
static struct portloop *the_loop;

static void
on_signal(int sig)
{
    stop = 1;
    if (the_loop)
        portloop_wake(the_loop);
}

struct iface {
    uint32_t num;
    char name[256];
};

struct args {
    VEC(struct iface) ifaces;
    int thrift_port;
    uint32_t device_id;
    int log_console;
    const char *log_file;
    int log_flush;
    int log_level;
    const char *pcap_dir;
    int use_files;
    double files_wait;
    int no_p4;
    unsigned dump_packet_data;
    const char *json;
    const char *notifications_addr;
    int cpu_port;
    long drop_port;
    unsigned priority_queues;
};

static void
usage(FILE *f)
{
    fprintf(
        f,
        "Usage: fop4-switch [options] <path to JSON config file>\n"
        "A P4 software switch for p4c's BMv2 JSON (v1model), a drop-in for "
        "simple_switch.\n"
        "Options:\n"
        "  -h [ --help ]             this message\n"
        "  -i [ --interface ] N@IF   attach interface IF as port N "
        "(repeatable)\n"
        "  --thrift-port N           TCP port of the runtime CLI server "
        "(default 9090)\n"
        "  --device-id N             device identifier (default 0)\n"
        "  --notifications-addr A    nanomsg PUB address of the digest (LEA|) "
        "and\n"
        "                            ageing (AGE|) notifications (default\n"
        "                            ipc:///tmp/bmv2-<device id>-"
        "notifications.ipc)\n"
        "  --log-console             log to stdout\n"
        "  --log-file FILE           log to FILE.txt (as simple_switch does)\n"
        "  --log-flush               flush the log after every line\n"
        "  -L [ --log-level ] LEVEL  trace, debug, info, warn, error, off "
        "(default trace\n"
        "                            when logging, as simple_switch; debug and "
        "trace\n"
        "                            log a trace of every packet)\n"
        "  --pcap [DIR]              dump every port's input and output to\n"
        "                            DIR/<iface>_in.pcap and _out.pcap "
        "(default .)\n"
        "  --use-files WAIT          ports are pcap files <iface>_in.pcap "
        "(read) and\n"
        "                            <iface>_out.pcap (written); start after "
        "WAIT seconds\n"
        "  --no-p4                   start without a program (load one with "
        "the CLI)\n"
        "  --dump-packet-data N      log the first N bytes of every frame "
        "(info level)\n"
        "  -v [ --version ]          print the version\n"
        "Target options (after --):\n"
        "  --cpu-port N              the CPU port (packet-in/out)\n"
        "  --drop-port N             the drop port (default 511)\n"
        "  --priority-queues N       priority queues per egress port (1..8, "
        "default 1)\n");
}

static int
parse_num(const char *opt, const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v < min || v > max) {
        fprintf(
            stderr,
            "fop4-switch: %s needs a number between %ld and %ld, not '%s'\n",
            opt, min, max, s ? s : "");
        return -1;
    }
    *out = v;
    return 0;
}

/* Splits "--opt=value"; returns the value or NULL. */
static const char *
inline_value(char *arg)
{
    char *eq = strchr(arg, '=');
    if (!eq || arg[0] != '-' || arg[1] != '-')
        return NULL;
    *eq = '\0';
    return eq + 1;
}

static int
add_iface(struct args *a, const char *spec)
{
    struct iface f = {0};
    if (port_parse_spec(spec, &f.num, f.name, sizeof f.name) < 0) {
        fprintf(
            stderr,
            "fop4-switch: bad interface '%s': expected <port>@<interface>\n",
            spec);
        return -1;
    }
    for (size_t i = 0; i < a->ifaces.n; i++)
        if (a->ifaces.v[i].num == f.num) {
            fprintf(stderr, "fop4-switch: port %u is given twice\n", f.num);
            return -1;
        }
    VEC_PUSH(&a->ifaces, f);
    return 0;
}

static int
parse_args(int argc, char **argv, struct args *a)
{
    int target = 0;
    for (int i = 1; i < argc; i++) {
        char *arg = argv[i];
        long v;
        if (target) {
            const char *val = inline_value(arg);
            if (!val && i + 1 < argc && strcmp(arg, "--enable-swap"))
                val = argv[++i];
            if (!strcmp(arg, "--cpu-port")) {
                if (parse_num(arg, val, 0, 0xffff, &v) < 0)
                    return -1;
                a->cpu_port = (int)v;
            } else if (!strcmp(arg, "--drop-port")) {
                if (parse_num(arg, val, 0, 0xffff, &v) < 0)
                    return -1;
                a->drop_port = v;
            } else if (!strcmp(arg, "--priority-queues")) {
                if (parse_num(arg, val, 1, 8, &v) < 0)
                    return -1;
                a->priority_queues = (unsigned)v;
            } else if (!strcmp(arg, "--enable-swap") ||
                       !strcmp(arg, "--grpc-server-addr") ||
                       !strcmp(arg, "--load-modules")) {
                /* accepted for compatibility; nothing to do */
            } else {
                fprintf(stderr, "fop4-switch: unknown target option '%s'\n",
                        arg);
                return -1;
            }
            continue;
        }
        if (!strcmp(arg, "--")) {
            target = 1;
            continue;
        }
        if (!strncmp(arg, "-i ", 3) || !strncmp(arg, "--interface ", 12)) {
            /* "-i 0@pcap0" as one word, as p4c's STF runner passes it */
            if (add_iface(a, strchr(arg, ' ') + 1) < 0)
                return -1;
            continue;
        }
        const char *val = inline_value(arg);
#define NEXT() (val ? val : (i + 1 < argc ? argv[++i] : NULL))
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(arg, "-v") || !strcmp(arg, "--version")) {
            printf("fop4-switch %s\n", FOP4_VERSION);
            exit(0);
        } else if (!strcmp(arg, "-i") || !strcmp(arg, "--interface")) {
            const char *s = NEXT();
            if (!s || add_iface(a, s) < 0)
                return -1;
        } else if (!strncmp(arg, "-i", 2) && isdigit((unsigned char)arg[2])) {
            if (add_iface(a, arg + 2) < 0)
                return -1;
        } else if (!strcmp(arg, "--thrift-port")) {
            if (parse_num(arg, NEXT(), 1, 65535, &v) < 0)
                return -1;
            a->thrift_port = (int)v;
        } else if (!strcmp(arg, "--device-id")) {
            if (parse_num(arg, NEXT(), 0, 0x7fffffff, &v) < 0)
                return -1;
            a->device_id = (uint32_t)v;
        } else if (!strcmp(arg, "--log-console")) {
            a->log_console = 1;
        } else if (!strcmp(arg, "--log-file")) {
            a->log_file = NEXT();
            if (!a->log_file) {
                fprintf(stderr, "fop4-switch: --log-file needs a file name\n");
                return -1;
            }
        } else if (!strcmp(arg, "--log-flush")) {
            a->log_flush = 1;
        } else if (!strcmp(arg, "-L") || !strcmp(arg, "--log-level")) {
            const char *s = NEXT();
            int l = s ? log_level_parse(s) : -1;
            if (l < 0) {
                fprintf(stderr,
                        "fop4-switch: bad log level '%s': use trace, debug, "
                        "info, warn, error "
                        "or off\n",
                        s ? s : "");
                return -1;
            }
            a->log_level = l;
        } else if (!strcmp(arg, "--pcap")) {
            struct stat st;
            if (val)
                a->pcap_dir = val;
            else if (i + 1 < argc && stat(argv[i + 1], &st) == 0 &&
                     S_ISDIR(st.st_mode))
                a->pcap_dir = argv[++i];
            else
                a->pcap_dir = ".";
        } else if (!strcmp(arg, "--use-files")) {
            const char *s = NEXT();
            char *end;
            a->files_wait = s ? strtod(s, &end) : -1;
            if (!s || *end || a->files_wait < 0) {
                fprintf(
                    stderr,
                    "fop4-switch: --use-files needs a wait time in seconds\n");
                return -1;
            }
            a->use_files = 1;
        } else if (!strcmp(arg, "--no-p4")) {
            a->no_p4 = 1;
        } else if (!strcmp(arg, "--dump-packet-data")) {
            if (parse_num(arg, NEXT(), 0, 65535, &v) < 0)
                return -1;
            a->dump_packet_data = (unsigned)v;
        } else if (!strcmp(arg, "--notifications-addr")) {
            if (!(a->notifications_addr = NEXT())) {
                fprintf(stderr, "fop4-switch: %s needs a value\n", arg);
                return -1;
            }
        } else if (!strcmp(arg, "--restore-state") ||
                   !strcmp(arg, "--debugger-addr") ||
                   !strcmp(arg, "--max-port-count")) {
            if (!NEXT()) {
                fprintf(stderr, "fop4-switch: %s needs a value\n", arg);
                return -1;
            }
        } else if (!strcmp(arg, "--debugger") || !strcmp(arg, "--nanolog") ||
                   !strcmp(arg, "--packet-in")) {
            /* BMv2 features we do not have; accepted so scripts keep working */
        } else if (arg[0] == '-' && arg[1]) {
            fprintf(stderr, "fop4-switch: unknown option '%s' (see --help)\n",
                    arg);
            return -1;
        } else if (!a->json) {
            a->json = arg;
        } else {
            fprintf(stderr,
                    "fop4-switch: more than one JSON file given ('%s', '%s')\n",
                    a->json, arg);
            return -1;
        }
#undef NEXT
    }
    return 0;
}

static void
trace_to_log(void *ctx, uint64_t pkt_id, uint32_t copy_id, const char *line)
{
    log_msg(LOG_DEBUG, "[%llu.%u] %s", (unsigned long long)pkt_id, copy_id,
            line);
}

/* The CLI's port hooks, on the data-path loop. */
static int
ops_add(void *ctx, const char *iface, uint32_t num, const char *pcap,
        struct err *e)
{
    struct args *a = ctx;
    struct port_cfg cfg = {a->use_files ? PORT_FILES : PORT_AFPACKET,
                           num,
                           iface,
                           a->pcap_dir,
                           NULL,
                           NULL};
    /* port_add's optional pcap path: where this port's dumps go */
    if (pcap && *pcap)
        cfg.pcap_dir = pcap;
    return portloop_add(the_loop, &cfg, e);
}

static int
ops_remove(void *ctx, uint32_t num, struct err *e)
{
    return portloop_remove(the_loop, num, e);
}

static void
ops_list(void *ctx,
         void (*fn)(void *, uint32_t, const char *, int, const char *),
         void *fctx)
{
    portloop_list(the_loop, fn, fctx);
}

static const struct cli_port_ops port_ops = {ops_add, ops_remove, ops_list};

/* The ports' states for the notifications (PRT|): a port is up when it is
 * open and its interface's operstate is not down (a veth whose peer is down
 * is "lowerlayerdown"); pcap-file ports are always up. */
struct port_fwd {
    notify_port_cb cb;
    void *cbctx;
};

static int
iface_oper_up(const char *iface)
{
    char path[300], st[32] = "";
    snprintf(path, sizeof path, "/sys/class/net/%s/operstate", iface);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0; /* gone */
    if (!fgets(st, sizeof st, f))
        st[0] = 0;
    fclose(f);
    return strncmp(st, "down", 4) && strncmp(st, "lowerlayerdown", 14) &&
           strncmp(st, "notpresent", 10);
}

static void
port_state_one(void *ctx, uint32_t port, const char *iface, int up,
               const char *extra)
{
    struct port_fwd *f = ctx;
    if (up && iface && !strstr(extra, "kind=files"))
        up = iface_oper_up(iface);
    f->cb(f->cbctx, port, up);
}

static void
port_states(void *ctx, notify_port_cb cb, void *cbctx)
{
    struct port_fwd f = {cb, cbctx};
    portloop_list(the_loop, port_state_one, &f);
}

int
main(int argc, char **argv)
{
    struct args a = {
        .thrift_port = 9090, .log_level = -1, .cpu_port = -1, .drop_port = -1};
    if (parse_args(argc, argv, &a) < 0) {
        VEC_FREE(&a.ifaces);
        return 1;
    }
    if (!a.json && !a.no_p4) {
        fprintf(stderr,
                "fop4-switch: no JSON config file given (or use --no-p4)\n");
        usage(stderr);
        VEC_FREE(&a.ifaces);
        return 1;
    }
    int rc = 1;
    FILE *logf = NULL;
    if (a.log_file) {
        char *path = xasprintf("%s.txt", a.log_file);
        logf = fopen(path, "a");
        if (!logf) {
            fprintf(stderr, "fop4-switch: cannot open log file %s: %s\n", path,
                    strerror(errno));
            free(path);
            VEC_FREE(&a.ifaces);
            return 1;
        }
        free(path);
        log_set_output(logf, a.log_flush);
        log_min_level =
            a.log_level >= 0 ? (enum log_level)a.log_level : LOG_TRACE;
    } else if (a.log_console) {
        log_set_output(stdout, 1);
        log_min_level =
            a.log_level >= 0 ? (enum log_level)a.log_level : LOG_TRACE;
    } else if (a.log_level >= 0) {
        log_min_level = (enum log_level)a.log_level;
    }

    struct sw_opts so;
    sw_opts_init(&so);
    so.device_id = a.device_id;
    /* the notifications thread drains digests every NOTIFY_TICK_MS: room for
     * a burst at line rate in between (pages are touched only when used) */
    so.learn_queue = 8192;
    so.cpu_port = a.cpu_port;
    if (a.drop_port >= 0)
        so.drop_port = (uint32_t)a.drop_port;
    if (a.priority_queues)
        so.priority_queues = a.priority_queues;
    if (LOG_ENABLED(LOG_DEBUG)) {
        so.trace = trace_to_log;
        so.trace_ctx = NULL;
    }
    struct err e = {0};
    struct sw *sw = sw_new(a.no_p4 ? NULL : a.json, &so, &e);
    if (!sw) {
        fprintf(stderr, "fop4-switch: %s\n",
                err_is_set(&e) ? e.msg : "the switch could not be created");
        goto out;
    }
    struct portloop_opts lo = {a.dump_packet_data, a.pcap_dir, a.use_files};
    the_loop = portloop_new(sw, &lo);
    /* Ports open in the order given: p4c's runner opens the writing ends of the
     * input FIFOs in that order too (ours open without blocking anyway). */
    for (size_t i = 0; i < a.ifaces.n; i++) {
        struct port_cfg cfg = {a.use_files ? PORT_FILES : PORT_AFPACKET,
                               a.ifaces.v[i].num,
                               a.ifaces.v[i].name,
                               a.pcap_dir,
                               NULL,
                               NULL};
        err_clear(&e);
        if (portloop_add(the_loop, &cfg, &e) < 0) {
            fprintf(stderr, "fop4-switch: %s\n", e.msg);
            goto out;
        }
        if (!a.log_console) /* the log already says it */
            printf("Adding interface %s as port %u%s\n", a.ifaces.v[i].name,
                   a.ifaces.v[i].num, a.use_files ? " (files)" : "");
    }
    struct cli *cli = cli_new(sw);
    cli_set_port_ops(cli, &port_ops, &a);
    cli_set_info(cli, a.thrift_port);
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    err_clear(&e);
    struct ctlsock *cs = ctlsock_start(cli, a.thrift_port, &e);
    if (!cs) {
        fprintf(stderr, "fop4-switch: %s\n", e.msg);
        cli_free(cli);
        goto out;
    }
    /* The notifications socket: an address given must bind; the default
     * one (BMv2's) may be taken by another switch of the same device id. */
    char *naddr = a.notifications_addr ? xstrdup(a.notifications_addr)
                                       : notify_default_addr(a.device_id);
    err_clear(&e);
    struct notify *nt = notify_start(sw, naddr, a.device_id, &e);
    if (!nt && a.notifications_addr) {
        fprintf(stderr, "fop4-switch: %s\n", e.msg);
        free(naddr);
        ctlsock_stop(cs);
        cli_free(cli);
        goto out;
    }
    if (!nt)
        LOG(LOG_WARN, "%s (no notifications)", e.msg);
    else {
        notify_set_ports(nt, port_states, NULL);
        LOG(LOG_INFO, "notifications on %s", naddr);
    }
    free(naddr);
    printf("Thrift server was started on port %d\n", a.thrift_port);
    fflush(stdout);
    LOG(LOG_INFO, "fop4-switch %s running %s on %zu ports, control port %d",
        FOP4_VERSION, a.no_p4 ? "no program" : a.json, a.ifaces.n,
        a.thrift_port);
    if (a.use_files && a.files_wait > 0) {
        struct timespec ts = {
            (time_t)a.files_wait,
            (long)((a.files_wait - (double)(time_t)a.files_wait) * 1e9)};
        while (!stop && nanosleep(&ts, &ts) < 0 && errno == EINTR)
            ;
    }
    portloop_run(the_loop, &stop);
    ctlsock_stop(cs);
    if (nt) {
        struct notify_stats ns;
        notify_get_stats(nt, &ns);
        struct sw_stats ss;
        sw_get_stats(sw, &ss);
        LOG(LOG_INFO,
            "notifications: %llu LEA| messages with %llu samples (%llu "
            "filtered, %llu digests dropped: queue full), %llu AGE|, %llu PRT|",
            (unsigned long long)ns.lea_msgs, (unsigned long long)ns.lea_samples,
            (unsigned long long)ns.filtered, (unsigned long long)ss.learn_drops,
            (unsigned long long)ns.age_msgs, (unsigned long long)ns.prt_msgs);
    }
    notify_stop(nt);
    cli_free(cli);
    struct sw_stats st;
    sw_get_stats(sw, &st);
    LOG(LOG_INFO, "exiting: %llu frames in, %llu out, %llu dropped",
        (unsigned long long)st.rx, (unsigned long long)st.tx,
        (unsigned long long)st.dropped);
    rc = 0;
out:
    portloop_free(the_loop);
    the_loop = NULL;
    sw_free(sw);
    VEC_FREE(&a.ifaces);
    if (logf)
        fclose(logf);
    return rc;
}
