/* p4model.h - the names a runtime front end needs from a BMv2 JSON program:
 * tables (keys with match kinds and widths, actions, action profiles), actions
 * (parameters and widths), action profiles, counter/meter/register arrays,
 * parser value sets and custom CRC calculations, with lookup by full name or by
 * unique dotted suffix as BMv2's runtime CLI does ("ipv4_lpm" for
 * "MyIngress.ipv4_lpm").
 *
 * It is built from the JSON text, independently of the switch's own loader,
 * exactly as simple_switch_CLI builds its model from the JSON it fetches from
 * the switch. The command language (cli.c) and the STF runner (stf.c) use it to
 * parse and print; the switch's control API (switch/sw.h) performs the changes.
 */
#ifndef FOP4_CONTROL_P4MODEL_H
#define FOP4_CONTROL_P4MODEL_H

#include <stddef.h>

#include "lib/err.h"
#include "lib/hmap.h"

enum p4m_match {
    P4M_EXACT,
    P4M_LPM,
    P4M_TERNARY,
    P4M_VALID,
    P4M_RANGE,
    P4M_OPTIONAL
};
enum p4m_table_type { P4M_SIMPLE, P4M_INDIRECT, P4M_INDIRECT_WS };
enum p4m_res {
    P4M_RES_TABLE,
    P4M_RES_ACT_PROF,
    P4M_RES_ACTION,
    P4M_RES_METER,
    P4M_RES_COUNTER,
    P4M_RES_REGISTER,
    P4M_RES_PVS,
    P4M_RES_N
};

struct p4m_key {
    char *name;  /* as the CLI shows it: "hdr.ipv4.dstAddr" target joined, or
                    "h_valid" */
    char *jname; /* the JSON "name" of the key (p4c's source expression), or
                    NULL */
    enum p4m_match match;
    int bitwidth;
};

struct p4m_param {
    char *name;
    int bitwidth;
};

struct p4m_action {
    char *name;
    int id;
    struct p4m_param *params;
    size_t n_params;
};

struct p4m_act_prof {
    char *name;
    int id;
    int with_selection;
    int *actions; /* indices into p4model.actions */
    size_t n_actions;
    int ref_cnt;
};

struct p4m_table {
    char *name;
    int id;
    enum p4m_match match_type; /* the table's overall kind, as in the JSON */
    enum p4m_table_type type;
    int support_timeout;
    int *actions; /* indices into p4model.actions */
    size_t n_actions;
    struct p4m_key *keys;
    size_t n_keys;
    int act_prof; /* index into p4model.act_profs, or -1 */
    int pipeline; /* 0 ingress, 1 egress (by position in "pipelines") */
};

struct p4m_counter {
    char *name;
    int id;
    int is_direct;
    long size;
    char *binding; /* table name for direct counters */
};

struct p4m_meter {
    char *name;
    int id;
    int is_direct;
    int is_bytes;
    int rate_count;
    long size;
    char *binding;
};

struct p4m_register {
    char *name;
    int id;
    long size;
    int bitwidth;
};

struct p4m_pvs {
    char *name;
    int id;
    int bitwidth;
};

struct p4m_crc {
    char *name;
    int width; /* 16 or 32 */
};

struct p4model {
    struct p4m_table *tables;
    size_t n_tables;
    struct p4m_action *actions;
    size_t n_actions;
    struct p4m_act_prof *act_profs;
    size_t n_act_profs;
    struct p4m_counter *counters;
    size_t n_counters;
    struct p4m_meter *meters;
    size_t n_meters;
    struct p4m_register *registers;
    size_t n_registers;
    struct p4m_pvs *pvss;
    size_t n_pvss;
    struct p4m_crc *crcs;
    size_t n_crcs;
    /* per resource kind: full name or unique suffix -> index + 1 (as void *);
     * ambiguous suffixes map to AMBIGUOUS */
    struct hmap lookup[P4M_RES_N];
};

/* Builds the model from JSON text (len bytes). Returns NULL and fills err on a
 * malformed document. The caller frees with p4model_free(). */
struct p4model *p4model_new(const char *json, size_t len, struct err *err);
/* Reads and parses a JSON file. */
struct p4model *p4model_load(const char *path, struct err *err);
void p4model_free(struct p4model *m);

/* Finds a resource of kind res by full name or unique suffix; returns its
 * index, or -1. */
int p4model_find(const struct p4model *m, enum p4m_res res, const char *name);
/* The name of resource idx of kind res. */
const char *p4model_name(const struct p4model *m, enum p4m_res res, int idx);
/* Finds an action of table t (by name or unique suffix); -1 if t has none. */
int p4model_table_action(const struct p4model *m, const struct p4m_table *t,
                         const char *name);
/* The same for an action profile. */
int p4model_act_prof_action(const struct p4model *m,
                            const struct p4m_act_prof *ap, const char *name);
/* The lower-case name of a match kind: "exact", "lpm", ... */
const char *p4model_match_name(enum p4m_match k);

#endif
