/* ctlsock.h - the switch's control socket: a TCP port (simple_switch's
 * --thrift-port) that serves the simple_switch_CLI command language.
 *
 * Two protocols share the port, told apart by a connection's first byte:
 * 0x80 (or 0x00) starts BMv2's Thrift RPC (thrift.h); anything else is our
 * line protocol: the client sends one command per line ('\n'); for each line
 * the server sends back the command's output followed by one NUL byte. Several
 * clients may be connected; requests run one at a time. A malformed command
 * only gets an error message; a malformed Thrift message closes its
 * connection. */
#ifndef FOP4_CONTROL_CTLSOCK_H
#define FOP4_CONTROL_CTLSOCK_H

#include "control/cli.h"
#include "lib/err.h"

struct ctlsock;

/* Listens on TCP port (all addresses, as BMv2's Thrift server) and serves cli
 * (not owned) from a thread of its own. Returns NULL and fills e if the port
 * cannot be bound. */
struct ctlsock *ctlsock_start(struct cli *cli, int port, struct err *e);
/* A client whose request (a line, a Thrift message) stays incomplete for ms
 * milliseconds without new bytes is disconnected (default 30 s), so that a
 * stalled client does not hold a connection forever. */
void ctlsock_set_partial_timeout(struct ctlsock *s, unsigned ms);
/* Stops the thread, closes every connection; NULL is a no-op. */
void ctlsock_stop(struct ctlsock *s);

/* Client side: connects to host:port; returns the socket or a negative errno.
 */
int ctlsock_connect(const char *host, int port);
/* Sends one command and reads its whole output into out. Returns 0 or a
 * negative errno (-ECONNRESET when the switch went away). */
int ctlsock_request(int fd, const char *line, struct strbuf *out);

#endif
