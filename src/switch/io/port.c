/* port.c - the switch's port back ends (see port.h).
 *
 * afpacket: one AF_PACKET socket per port with a TPACKET_V2 receive ring and a
 * TPACKET_V2 transmit ring, both mmap'ed. The data path takes every frame the
 * kernel has filled in one go (a batch) and queues a whole batch of outgoing
 * frames before one send() kicks the transmit ring: one system call per batch,
 * not per frame. V2 rather than V3 because a V3 block is
 * only handed over when full or when its timer (>= 1 ms) expires, which would
 * add up to a millisecond per hop at low load; V2 wakes poll() per frame.
 *
 * files: simple_switch --use-files. The input pcap (a file or a FIFO) is read
 * without blocking into a buffer and cut into records; the output is written
 * with libpcap's dump writer and flushed after every batch, so a reader sees
 * every frame even if the switch is then killed. */
#include "switch/io/port.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "lib/util.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

/* 2 KiB frames hold a 1514-byte frame with the ring's headers. 3072 receive
 * frames (6 MiB) absorb a TCP burst, or 15 ms of 200,000 frames/s while the
 * loop waits for a CPU on a machine busy with other work (the ring is where
 * frames are lost then); RSS for two ports stays under 20 MiB. */
#define FRAME_SIZE 2048u
#define FRAMES_PER_BLOCK 64u
#define RX_BLOCKS 48u
#define TX_BLOCKS 4u
#define SNAP 65535

struct dump {
    pcap_t *dead;
    pcap_dumper_t *d;
};

struct port {
    enum port_kind kind;
    uint32_t num;
    char *iface;
    struct port_stats st;
    struct dump dump_in, dump_out; /* --pcap DIR */
    /* afpacket */
    int fd;
    int dead; /* the interface went away: no longer polled */
    uint8_t *map;
    size_t map_len;
    unsigned rx_frames, tx_frames;
    unsigned rx_head, rx_taken; /* next frame to read; frames handed out */
    unsigned tx_head;
    int tx_pending;
    uint8_t *scratch; /* frames with a re-inserted VLAN tag */
    size_t scratch_used, scratch_cap;
    /* files */
    int in_fd; /* -1 when finished */
    uint8_t *buf;
    size_t buf_len, buf_cap, buf_off;
    int hdr_done, swapped, nsec;
    struct dump out;
};

/* ---- pcap dumps (libpcap)
 * ------------------------------------------------------------ */

static int
dump_open(struct dump *d, const char *path, struct err *e)
{
    d->dead = pcap_open_dead(DLT_EN10MB, SNAP);
    if (!d->dead)
        return err_set(e, -ENOMEM, "pcap_open_dead failed");
    d->d = pcap_dump_open(d->dead, path);
    if (!d->d) {
        err_set(e, -EIO, "cannot write %s: %s", path, pcap_geterr(d->dead));
        pcap_close(d->dead);
        d->dead = NULL;
        return -EIO;
    }
    pcap_dump_flush(d->d);
    return 0;
}

static void
dump_write(struct dump *d, const uint8_t *data, size_t len)
{
    if (!d->d)
        return;
    struct pcap_pkthdr h;
    gettimeofday(&h.ts, NULL);
    h.caplen = h.len = (bpf_u_int32)len;
    pcap_dump((u_char *)d->d, &h, data);
}

static void
dump_flush(struct dump *d)
{
    if (d->d)
        pcap_dump_flush(d->d);
}

static void
dump_close(struct dump *d)
{
    if (d->d)
        pcap_dump_close(d->d);
    if (d->dead)
        pcap_close(d->dead);
    d->d = NULL;
    d->dead = NULL;
}

/* ---- afpacket
 * ------------------------------------------------------------------------- */

static int
afpacket_open(struct port *p, struct err *e)
{
    unsigned ifindex = if_nametoindex(p->iface);
    if (!ifindex)
        return err_set(e, -errno, "no interface %s: %s", p->iface,
                       strerror(errno));
    p->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
                   htons(ETH_P_ALL));
    if (p->fd < 0)
        return err_set(
            e, -errno,
            "socket(AF_PACKET): %s (fop4-switch needs root or CAP_NET_RAW)",
            strerror(errno));
    int v = TPACKET_V2;
    if (setsockopt(p->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) < 0)
        return err_set(e, -errno, "PACKET_VERSION: %s", strerror(errno));
    struct tpacket_req rx = {FRAME_SIZE * FRAMES_PER_BLOCK, RX_BLOCKS,
                             FRAME_SIZE, FRAMES_PER_BLOCK * RX_BLOCKS};
    struct tpacket_req tx = {FRAME_SIZE * FRAMES_PER_BLOCK, TX_BLOCKS,
                             FRAME_SIZE, FRAMES_PER_BLOCK * TX_BLOCKS};
    if (setsockopt(p->fd, SOL_PACKET, PACKET_RX_RING, &rx, sizeof rx) < 0)
        return err_set(e, -errno, "PACKET_RX_RING: %s", strerror(errno));
    if (setsockopt(p->fd, SOL_PACKET, PACKET_TX_RING, &tx, sizeof tx) < 0)
        return err_set(e, -errno, "PACKET_TX_RING: %s", strerror(errno));
    p->rx_frames = rx.tp_frame_nr;
    p->tx_frames = tx.tp_frame_nr;
    p->map_len = (size_t)rx.tp_block_size * rx.tp_block_nr +
                 (size_t)tx.tp_block_size * tx.tp_block_nr;
    p->map =
        mmap(NULL, p->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, p->fd, 0);
    if (p->map == MAP_FAILED) {
        p->map = NULL;
        return err_set(e, -errno, "mmap of the packet rings: %s",
                       strerror(errno));
    }
    int one = 1;
    /* our own transmissions must not come back as input */
    setsockopt(p->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
    setsockopt(p->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
    struct sockaddr_ll sll = {0};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = (int)ifindex;
    if (bind(p->fd, (struct sockaddr *)&sll, sizeof sll) < 0)
        return err_set(e, -errno, "bind to %s: %s", p->iface, strerror(errno));
    struct packet_mreq mr = {0};
    mr.mr_ifindex = (int)ifindex;
    mr.mr_type = PACKET_MR_PROMISC;
    if (setsockopt(p->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) <
        0)
        return err_set(e, -errno, "promiscuous mode on %s: %s", p->iface,
                       strerror(errno));
    p->scratch = xmalloc((size_t)FRAME_SIZE * 2 * 64);
    p->scratch_cap = (size_t)FRAME_SIZE * 2 * 64;
    return 0;
}

static struct tpacket2_hdr *
rx_frame(struct port *p, unsigned i)
{
    return (struct tpacket2_hdr *)(p->map +
                                   (size_t)(i % p->rx_frames) * FRAME_SIZE);
}

static struct tpacket2_hdr *
tx_frame(struct port *p, unsigned i)
{
    size_t rx_len = (size_t)p->rx_frames * FRAME_SIZE;
    return (struct tpacket2_hdr *)(p->map + rx_len +
                                   (size_t)(i % p->tx_frames) * FRAME_SIZE);
}

static int
afpacket_recv(struct port *p, struct sw_pkt *pkts, size_t max)
{
    size_t n = 0;
    p->scratch_used = 0;
    while (n < max && p->rx_taken < p->rx_frames) {
        struct tpacket2_hdr *h = rx_frame(p, p->rx_head + p->rx_taken);
        if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) &
              TP_STATUS_USER))
            break;
        p->rx_taken++;
        uint8_t *data = (uint8_t *)h + h->tp_mac;
        uint32_t len = h->tp_snaplen;
        if (h->tp_snaplen < h->tp_len) {
            /* larger than a ring frame (GSO from a host with offloads on) */
            p->st.rx_dropped++;
            continue;
        }
        if ((h->tp_status & TP_STATUS_VLAN_VALID) && len >= 12 &&
            p->scratch_used + len + 4 <= p->scratch_cap) {
            /* the kernel took the 802.1Q tag out: put it back */
            uint8_t *s = p->scratch + p->scratch_used;
            uint16_t tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID)
                                ? h->tp_vlan_tpid
                                : ETH_P_8021Q;
            memcpy(s, data, 12);
            s[12] = (uint8_t)(tpid >> 8);
            s[13] = (uint8_t)tpid;
            s[14] = (uint8_t)(h->tp_vlan_tci >> 8);
            s[15] = (uint8_t)h->tp_vlan_tci;
            memcpy(s + 16, data + 12, len - 12);
            data = s;
            len += 4;
            p->scratch_used += len;
        }
        pkts[n].port = p->num;
        pkts[n].len = len;
        pkts[n].data = data;
        n++;
        dump_write(&p->dump_in, data, len);
    }
    p->st.rx += n;
    return (int)n;
}

static void
afpacket_release(struct port *p)
{
    for (unsigned i = 0; i < p->rx_taken; i++)
        __atomic_store_n(&rx_frame(p, p->rx_head + i)->tp_status,
                         TP_STATUS_KERNEL, __ATOMIC_RELEASE);
    p->rx_head = (p->rx_head + p->rx_taken) % p->rx_frames;
    p->rx_taken = 0;
}

static void
afpacket_kick(struct port *p)
{
    if (!p->tx_pending)
        return;
    if (send(p->fd, NULL, 0, MSG_DONTWAIT) < 0 && errno != EAGAIN &&
        errno != ENOBUFS)
        p->st.tx_errors++;
    p->tx_pending = 0;
}

static int
afpacket_send(struct port *p, const uint8_t *data, size_t len)
{
    const size_t off = TPACKET_ALIGN(sizeof(struct tpacket2_hdr));
    if (len > FRAME_SIZE - off)
        return -EMSGSIZE;
    struct tpacket2_hdr *h = tx_frame(p, p->tx_head);
    if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) !=
        TP_STATUS_AVAILABLE) {
        /* ring full: push what is queued and look again once */
        afpacket_kick(p);
        if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) !=
            TP_STATUS_AVAILABLE)
            return -ENOBUFS;
    }
    memcpy((uint8_t *)h + off, data, len);
    h->tp_len = (uint32_t)len;
    h->tp_snaplen = (uint32_t)len;
    __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
    p->tx_head = (p->tx_head + 1) % p->tx_frames;
    p->tx_pending++;
    if (p->tx_pending >= 64)
        afpacket_kick(p);
    return 0;
}

/* ---- files
 * ------------------------------------------------------------------------------
 */

static int
files_open(struct port *p, const struct port_cfg *cfg, struct err *e)
{
    char *in = cfg->in_path ? xstrdup(cfg->in_path)
                            : xasprintf("%s_in.pcap", p->iface);
    char *out = cfg->out_path ? xstrdup(cfg->out_path)
                              : xasprintf("%s_out.pcap", p->iface);
    int rc = 0;
    p->in_fd = open(in, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (p->in_fd < 0 && errno == ENOENT) {
        /* BMv2 creates nothing for a missing input: the port only sends */
        p->in_fd = -1;
    } else if (p->in_fd < 0) {
        rc = err_set(e, -errno, "cannot open %s: %s", in, strerror(errno));
        goto out;
    }
    rc = dump_open(&p->out, out, e);
out:
    free(in);
    free(out);
    return rc;
}

static uint32_t
rd32(const struct port *p, const uint8_t *b)
{
    uint32_t v;
    memcpy(&v, b, 4);
    return p->swapped ? __builtin_bswap32(v) : v;
}

/* Reads what the file/FIFO has now; returns 0, or -1 at its end. */
static int
files_fill(struct port *p)
{
    if (p->in_fd < 0)
        return -1;
    if (p->buf_off > 0 && p->buf_off == p->buf_len)
        p->buf_off = p->buf_len = 0;
    if (p->buf_cap - p->buf_len < 65536 + 16) {
        if (p->buf_off) {
            memmove(p->buf, p->buf + p->buf_off, p->buf_len - p->buf_off);
            p->buf_len -= p->buf_off;
            p->buf_off = 0;
        }
        if (p->buf_cap - p->buf_len < 65536 + 16) {
            p->buf_cap = p->buf_cap ? p->buf_cap * 2 : 256 * 1024;
            p->buf = xrealloc(p->buf, p->buf_cap);
        }
    }
    ssize_t n = read(p->in_fd, p->buf + p->buf_len, p->buf_cap - p->buf_len);
    if (n > 0) {
        p->buf_len += (size_t)n;
        return 0;
    }
    if (n == 0) {
        close(p->in_fd);
        p->in_fd = -1;
        return -1;
    }
    return errno == EAGAIN || errno == EINTR ? 0 : -1;
}

static int
files_recv(struct port *p, struct sw_pkt *pkts, size_t max)
{
    files_fill(p);
    size_t n = 0;
    for (;;) {
        size_t avail = p->buf_len - p->buf_off;
        const uint8_t *b = p->buf + p->buf_off;
        if (!p->hdr_done) {
            if (avail < 24)
                break;
            uint32_t magic;
            memcpy(&magic, b, 4);
            if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
                p->swapped = 0;
            } else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
                p->swapped = 1;
            } else {
                /* not a pcap stream: stop reading it */
                close(p->in_fd);
                p->in_fd = -1;
                break;
            }
            p->hdr_done = 1;
            p->buf_off += 24;
            continue;
        }
        if (n >= max || avail < 16)
            break;
        uint32_t caplen = rd32(p, b + 8);
        if (caplen > SNAP) {
            close(p->in_fd);
            p->in_fd = -1;
            break;
        }
        if (avail < 16 + (size_t)caplen)
            break;
        pkts[n].port = p->num;
        pkts[n].len = caplen;
        pkts[n].data = b + 16;
        dump_write(&p->dump_in, b + 16, caplen);
        n++;
        p->buf_off += 16 + caplen;
    }
    p->st.rx += n;
    return (int)n;
}

/* ---- common
 * ---------------------------------------------------------------------------
 */

struct port *
port_open(const struct port_cfg *cfg, struct err *e)
{
    struct port *p = xcalloc(1, sizeof *p);
    p->kind = cfg->kind;
    p->num = cfg->num;
    p->iface = xstrdup(cfg->iface);
    p->fd = -1;
    p->in_fd = -1;
    int rc = cfg->kind == PORT_AFPACKET ? afpacket_open(p, e)
                                        : files_open(p, cfg, e);
    if (rc == 0 && cfg->pcap_dir) {
        char *in = xasprintf("%s/%s_in.pcap", cfg->pcap_dir, cfg->iface);
        char *out = xasprintf("%s/%s_out.pcap", cfg->pcap_dir, cfg->iface);
        rc = dump_open(&p->dump_in, in, e);
        if (rc == 0)
            rc = dump_open(&p->dump_out, out, e);
        free(in);
        free(out);
    }
    if (rc < 0) {
        err_prefix(e, "port %u (%s)", cfg->num, cfg->iface);
        port_close(p);
        return NULL;
    }
    return p;
}

void
port_close(struct port *p)
{
    if (!p)
        return;
    port_flush(p);
    if (p->map)
        munmap(p->map, p->map_len);
    if (p->fd >= 0)
        close(p->fd);
    if (p->in_fd >= 0)
        close(p->in_fd);
    dump_close(&p->out);
    dump_close(&p->dump_in);
    dump_close(&p->dump_out);
    free(p->buf);
    free(p->scratch);
    free(p->iface);
    free(p);
}

uint32_t
port_num(const struct port *p)
{
    return p->num;
}

const char *
port_iface(const struct port *p)
{
    return p->iface;
}

const char *
port_kind_name(const struct port *p)
{
    return p->kind == PORT_AFPACKET ? "afpacket" : "files";
}

int
port_fd(const struct port *p)
{
    return p->kind == PORT_AFPACKET ? (p->dead ? -1 : p->fd) : p->in_fd;
}

int
port_check_error(struct port *p)
{
    if (p->kind != PORT_AFPACKET || p->fd < 0 || p->dead)
        return 0;
    /* reading SO_ERROR clears it, so poll() stops reporting it */
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err && !if_nametoindex(p->iface)) {
        p->dead = 1;
        return -ENODEV;
    }
    return err ? -err : 0;
}

int
port_rx_ready(const struct port *p)
{
    if (p->kind != PORT_AFPACKET || !p->map)
        return 0;
    const struct tpacket2_hdr *h =
        (const struct tpacket2_hdr *)(p->map +
                                      (size_t)((p->rx_head + p->rx_taken) %
                                               p->rx_frames) *
                                          FRAME_SIZE);
    return (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) &
            TP_STATUS_USER) != 0;
}

int
port_recv(struct port *p, struct sw_pkt *pkts, size_t max)
{
    return p->kind == PORT_AFPACKET ? afpacket_recv(p, pkts, max)
                                    : files_recv(p, pkts, max);
}

void
port_release(struct port *p)
{
    if (p->kind == PORT_AFPACKET)
        afpacket_release(p);
}

int
port_send(struct port *p, const uint8_t *data, size_t len)
{
    int rc;
    if (p->kind == PORT_AFPACKET) {
        rc = afpacket_send(p, data, len);
    } else {
        dump_write(&p->out, data, len);
        rc = 0;
    }
    if (rc == 0) {
        p->st.tx++;
        dump_write(&p->dump_out, data, len);
    } else {
        p->st.tx_errors++;
    }
    return rc;
}

void
port_flush(struct port *p)
{
    if (p->kind == PORT_AFPACKET)
        afpacket_kick(p);
    dump_flush(&p->out);
    dump_flush(&p->dump_in);
    dump_flush(&p->dump_out);
}

void
port_get_stats(struct port *p, struct port_stats *st)
{
    if (p->kind == PORT_AFPACKET && p->fd >= 0) {
        /* the kernel's counters reset on each read: accumulate them */
        struct tpacket_stats ts;
        socklen_t len = sizeof ts;
        if (getsockopt(p->fd, SOL_PACKET, PACKET_STATISTICS, &ts, &len) == 0)
            p->st.ring_drops += ts.tp_drops;
    }
    *st = p->st;
}

int
port_parse_spec(const char *spec, uint32_t *num, char *iface, size_t cap)
{
    while (*spec == ' ')
        spec++;
    if (!strncmp(spec, "-i", 2) && (spec[2] == ' ' || spec[2] == '\t'))
        spec += 3;
    while (*spec == ' ')
        spec++;
    char *end;
    errno = 0;
    unsigned long n = strtoul(spec, &end, 10);
    if (end == spec || *end != '@' || errno || n > 0xffffffffUL)
        return -1;
    const char *name = end + 1;
    size_t len = strlen(name);
    while (len && name[len - 1] == ' ')
        len--;
    if (!len || len >= cap)
        return -1;
    memcpy(iface, name, len);
    iface[len] = '\0';
    *num = (uint32_t)n;
    return 0;
}
