/* p4switch.h - the checks of a p4switch node's settings that need no network
 * (node_p4switch.c): files readable, defines well formed, a p4: program
 * compiled through the cache (p4cache.h), runtime entries checked against the
 * program. net_add_node() runs them for every p4switch; `fop4 check` calls
 * p4switch_check() directly. Owner: "p4node". */
#ifndef FOP4_ENGINE_P4SWITCH_H
#define FOP4_ENGINE_P4SWITCH_H

#include "fop4/net.h"
#include "lib/err.h"

/* Checks the settings p of the p4switch called name. Diagnostics in input
 * files (the compiler's, the runtime file's) go to stderr with their
 * positions; err gets the summary. Returns 0 or a negative errno. */
int p4switch_check(const char *name, const struct p4switch_params *p,
                   struct err *err);

#endif
