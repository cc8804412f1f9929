/* thrift.h - BMv2's Thrift RPC on the switch's control port.
 *
 * simple_switch's --thrift-port speaks Apache Thrift: TBinaryProtocol (strict:
 * every message starts with the version word 0x8001; the older non-strict
 * form is read too, as BMv2's server reads it), over a buffered TCP
 * transport (no frame length), multiplexed (the method name is prefixed with
 * the service: "standard:bm_mt_add_entry"). The services are those of BMv2's
 * thrift_src/standard.thrift ("standard"), simple_pre.thrift ("simple_pre"),
 * simple_pre_lag.thrift ("simple_pre_lag") and the simple_switch target's
 * simple_switch.thrift ("simple_switch"), so BMv2's runtime_CLI.py /
 * simple_switch_CLI, p4-utils' thrift API and other Thrift clients work
 * against our switch.
 *
 * The control socket (ctlsock.c) tells a Thrift connection from a text one by
 * its first byte (0x80) and hands its bytes here. Each call runs over the same
 * struct cli as the text commands, so state made by either front end is seen
 * by both. Errors are BMv2's exceptions (InvalidTableOperation with its code,
 * ...); an unknown method gets a TApplicationException; a malformed message
 * closes the connection, and the switch keeps forwarding.
 *
 * The codec (thrift_proto.c) is a small TBinaryProtocol reader (a message is
 * decoded whole into a tree of values that point into the received bytes) and
 * writer; the services are in thrift_std.c and thrift_state.c (standard) and
 * thrift_pre.c (simple_pre, simple_pre_lag, simple_switch). */
#ifndef FOP4_CONTROL_THRIFT_H
#define FOP4_CONTROL_THRIFT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/strbuf.h"

struct cli;

/* The first byte of every strict TBinaryProtocol message; a non-strict one
 * (older clients) starts with its name's length, whose first byte is 0x00
 * (no text command starts with a NUL byte). */
#define THRIFT_FIRST_BYTE 0x80
#define THRIFT_FIRST_BYTE_OLD 0x00

/* Largest message accepted (bm_load_new_config carries a whole JSON program).
 */
#define THRIFT_MAX_MSG (256u << 20)

/* Serves every complete message at the start of in[0..len): appends the
 * replies to out and sets *used to the bytes consumed (an incomplete message
 * stays for the next call). Returns 0, or -1 when the bytes are not a valid
 * message (or one is too large): the caller closes the connection after
 * sending what out holds. */
int thrift_serve(struct cli *c, const uint8_t *in, size_t len, size_t *used,
                 struct strbuf *out);

#endif
