/* serialize.h - serialize_state (the CLI command and Thrift's
 * bm_serialize_state): the switch's runtime state written as
 * simple_switch_CLI commands, so that feeding the text to fop4-switch-cli of
 * a switch running the same program recreates it.
 *
 * What it writes, in an order that replays: action profile members and
 * groups, table entries (direct, indirect, with selector; priorities,
 * timeouts), default entries set at run time, counter cells that are not
 * zero (indirect counters, and direct ones by entry handle), meter rates,
 * register cells that are not zero, parse value set members, multicast
 * groups, nodes (ports and LAGs), LAG membership, mirroring sessions.
 * Handles are reassigned on replay, in order, and kept: a freed handle is
 * taken by a placeholder (a member, group or node like the others; a table
 * entry with a key no entry has) deleted again afterwards. Where no
 * placeholder entry can be made (a valid key first, no key) a comment says
 * so and that table's direct counters and meters are not written. Queue depths
 * and rates cannot be read back and are not written. BMv2 writes its own opaque
 * format here (for its --restore-state); ours is meant to be read and replayed.
 */
#ifndef FOP4_CONTROL_SERIALIZE_H
#define FOP4_CONTROL_SERIALIZE_H

#include "lib/strbuf.h"

struct cli;

/* Appends the commands to o. */
void serialize_state_text(struct cli *c, struct strbuf *o);

#endif
