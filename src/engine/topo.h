/* topo.h - topology files: the YAML lab format and the p4lang tutorials'
 * topology.json, parsed and validated into a plain model (struct topo) before
 * anything exists in the kernel, then built into a struct net (topo_build.c).
 *
 *     struct strbuf diags = STRBUF_INIT;
 *     struct topo *t = topo_parse_file("lab.yml", &diags);
 *     if (!t) fputs(diags.s, stderr);          every error, path:line:col first
 *     struct net *net = topo_build(t, NULL, &err);
 *     topo_free(t);
 *
 * Parsing (topo.c) does not call the engine, so `fop4 check` and the unit tests
 * work without it. The file format is described in docs/topology.md. */
#ifndef FOP4_ENGINE_TOPO_H
#define FOP4_ENGINE_TOPO_H

#include <stddef.h>

#include "fop4/net.h"
#include "lib/hmap.h"
#include "lib/strbuf.h"
#include "lib/vec.h"

/* A node of a topology file. Strings belong to the topo. */
struct topo_node {
    const char *name;
    enum node_kind kind;
    int line, col; /* where it is defined (1-based) */
    struct node_params params;
};

/* A link of a topology file. a and b are node names; ia.port / ib.port carry a
 * P4 port number ("s1:3") or -1. */
struct topo_link {
    const char *a, *b;
    int line, col;
    struct link_params params;
    struct intf_params ia, ib;
};

struct topo {
    const char *path;   /* as given */
    const char *format; /* "yaml" or "tutorials-json" */
    const char *name;   /* the lab's name: key "name", or NULL */
    struct net_opts opts;
    VEC(struct topo_node) nodes;
    VEC(struct topo_link) links;
    VEC(void *) owned;   /* every string and array the topo allocated */
    struct hmap by_name; /* node name -> index + 1 in nodes */
};

/* Reads and validates a topology file: YAML, or JSON (the tutorials'
 * topology.json, or our YAML schema written as JSON). Returns NULL when the
 * file is invalid or unreadable; diags then holds every diagnostic found
 * ("path:line:col: error: ...", source line, caret), at most 20. Relative file
 * names in the file (P4 programs, command files, volumes) are resolved against
 * the file's directory and stored absolute. */
struct topo *topo_parse_file(const char *path, struct strbuf *diags);
/* The same on text already in memory; path is used for messages and relative
 * names. */
struct topo *topo_parse_string(const char *path, const char *src,
                               struct strbuf *diags);
/* Frees the topo and every string of it; NULL is a no-op. */
void topo_free(struct topo *t);

/* Finds a node by name, or NULL. */
const struct topo_node *topo_find_node(const struct topo *t, const char *name);

/* Sets the P4 program of every p4switch that has none (the tutorials' file
 * names none: their Makefile passes it). p4 or json, one may be NULL. */
void topo_set_default_program(struct topo *t, const char *p4, const char *json);

/* Builds the model of t into a new net (not started). opts overrides t's
 * options where its fields are set (prefix != NULL, ...); may be NULL. Returns
 * NULL and fills err (prefixed with "path:line:col: error: " of the node or
 * link the engine refused) on failure. */
struct net *topo_build(const struct topo *t, const struct net_opts *opts,
                       struct err *err);

/* Value parsers shared with the CLI (linkparams, addhost key=value): each
 * returns 0, or -1 with a short reason in *why (a static string). */
int topo_parse_duration_ms(const char *s, double *ms, const char **why);
int topo_parse_bw_mbit(const char *s, double *mbit, const char **why);
int topo_parse_percent(const char *s, double *pct, const char **why);
int topo_parse_bytes(const char *s, long long *bytes, const char **why);
/* Checks "a.b.c.d" or "a.b.c.d/len" (or "none" when allow_none). */
int topo_check_ip(const char *s, int allow_none, const char **why);
int topo_check_mac(const char *s, const char **why);
/* Node names: [A-Za-z0-9_]+, at most 10 characters. */
int topo_check_node_name(const char *s, const char **why);

#endif
