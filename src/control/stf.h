/* stf.h - p4c's STF packet tests, run in-process on a switch.
 *
 * An STF file injects frames ("packet <port> <hex>"), states the frames each
 * port must emit in order ("expect <port> <hex with * nibbles>[$]"), and sets
 * up tables ("add", "setdefault") and other state (BMv2 CLI commands such as
 * mc_mgrp_create, mirroring_add, register_write). The runner behaves as p4c's
 * BMv2 runner (backends/bmv2/bmv2stf.py): table names, action names and key
 * fields may be given by unique suffix, ternary values "0x12**" mean value
 * 0x1200 mask 0xff00, lpm values take "/len" or trailing '*', a higher STF
 * priority wins (it becomes 10000 - prio for the switch, where smaller wins),
 * "wait", "remove" and "check_counter" are ignored, ports that appear in no
 * packet/expect line are not connected (frames sent there vanish), and a port
 * with an "expect <port>" without data accepts anything. */
#ifndef FOP4_CONTROL_STF_H
#define FOP4_CONTROL_STF_H

#include <stdio.h>

#include "lib/err.h"
#include "lib/strbuf.h"

struct stf_opts {
    int verbose; /* print the commands and the switch's packet trace */
    FILE *log;   /* where verbose output goes (default stderr) */
};

/* Runs the STF test stf_path on a switch loaded with the BMv2 JSON json_path.
 * Appends to report one line "PASS: <name>" or "FAIL: <name>: <first
 * mismatch>" (expected vs received, with the port and the STF line).
 * Returns 0 if the test passed, 1 if it failed, or a negative errno if it could
 * not run (unreadable files, a program the switch refuses, a malformed STF
 * line): then err says why, as "path:line:col: error: ..." for STF errors. */
int stf_run(const char *json_path, const char *stf_path,
            const struct stf_opts *opts, struct strbuf *report,
            struct err *err);

#endif
