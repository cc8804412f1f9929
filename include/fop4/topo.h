/* fop4/topo.h - build a network from a topology file (YAML lab, or the p4lang
 * tutorials' topology.json), as `fop4 run` does.
 *
 *     #include <fop4/net.h>
 *     #include <fop4/topo.h>
 *
 *     struct err e = {0};
 *     struct net *net = topo_load("lab.yml", NULL, &e);
 *     if (!net || net_start(net, &e) < 0) fprintf(stderr, "fop4: %s\n", e.msg);
 *
 * The file format is described in docs/topology.md. */
#ifndef FOP4_TOPO_H
#define FOP4_TOPO_H

#include "fop4/net.h"

/* Reads and validates the topology file at path and builds its model into a new
 * net (not started). opts may be NULL; fields set there override the file's
 * (prefix, ip_base, static_arp, ipv6). Returns NULL on failure with err filled:
 * for an invalid file the first "path:line:col: error: ..." diagnostic (`fop4
 * check` prints them all). Nothing is created in the kernel. */
struct net *topo_load(const char *path, const struct net_opts *opts,
                      struct err *err);

#endif
