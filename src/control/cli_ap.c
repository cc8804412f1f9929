/* cli_ap.c - simple_switch_CLI's action-profile commands (act_prof_*: members,
 * groups, dumps) and indirect-table commands (table_indirect_*, and the older
 * table_indirect_* forms of the act_prof_* commands, which name the table
 * instead of its profile). The rest of the table commands live in cli.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "control/cli_impl.h"
#include "control/value.h"

/* ---- action profiles and indirect tables
 * --------------------------------------- */

/* Resolves an action profile by name, or through an indirect table for the
 * deprecated table_indirect_* commands. */
static int
get_act_prof(struct cli *c, struct strbuf *o, const char *name, int via_table,
             int need_ws)
{
    if (via_table) {
        int ti = get_res(c, o, P4M_RES_TABLE, name);
        if (ti < 0)
            return -1;
        const struct p4m_table *t = &c->m->tables[ti];
        if (need_ws && t->type != P4M_INDIRECT_WS)
            return uin_error(
                o,
                "Cannot run this command on non-indirect table, or on indirect "
                "table with no selector");
        if (t->type == P4M_SIMPLE || t->act_prof < 0)
            return uin_error(o,
                             "Cannot run this command on non-indirect table");
        return t->act_prof;
    }
    int ai = get_res(c, o, P4M_RES_ACT_PROF, name);
    if (ai < 0)
        return -1;
    if (need_ws && !c->m->act_profs[ai].with_selection)
        return uin_error(
            o, "Cannot run this command on an action profile without selector");
    return ai;
}

static int
ap_create_member(struct cli *c, int argc, char **argv, struct strbuf *o,
                 int via)
{
    if (at_least_n(o, argc, 2) < 0)
        return -1;
    int api = get_act_prof(c, o, argv[0], via, 0);
    if (api < 0)
        return -1;
    struct p4m_act_prof *ap = &c->m->act_profs[api];
    int ai = p4model_act_prof_action(c->m, ap, argv[1]);
    if (ai < 0)
        return uin_error(o, "Action profile '%s' has no action '%s'", argv[0],
                         argv[1]);
    struct rdata rd = {0};
    int rc = -1;
    if (parse_runtime_data(c, o, &c->m->actions[ai], argc - 2, argv + 2, &rd) <
        0)
        goto out;
    struct err e = {0};
    uint32_t mbr;
    rc = sw_act_prof_add_member(c->sw, ap->name, c->m->actions[ai].name,
                                rd.bytes, rd.n, &mbr, &e);
    if (rc < 0)
        sw_error(o, "table", rc, NULL, &e);
    else
        outf(o, "Member has been created with handle %u\n", mbr);
out:
    rdata_free(&rd);
    return rc;
}

static int
cmd_act_prof_create_member(struct cli *c, int argc, char **argv,
                           struct strbuf *o)
{
    return ap_create_member(c, argc, argv, o, 0);
}

static int
cmd_table_indirect_create_member(struct cli *c, int argc, char **argv,
                                 struct strbuf *o)
{
    return ap_create_member(c, argc, argv, o, 1);
}

static int
ap_delete_member(struct cli *c, int argc, char **argv, struct strbuf *o,
                 int via)
{
    if (exactly_n(o, argc, 2) < 0)
        return -1;
    int api = get_act_prof(c, o, argv[0], via, 0);
    if (api < 0)
        return -1;
    long long h;
    if (value_parse_int(argv[1], &h) < 0)
        return uin_error(o, "Bad format for member handle");
    struct err e = {0};
    int rc = sw_act_prof_delete_member(c->sw, c->m->act_profs[api].name,
                                       (uint32_t)h, &e);
    return rc < 0 ? sw_error(o, "table", rc,
                             rc == -ENOENT ? "INVALID_MBR_HANDLE" : NULL, &e)
                  : 0;
}

static int
cmd_act_prof_delete_member(struct cli *c, int argc, char **argv,
                           struct strbuf *o)
{
    return ap_delete_member(c, argc, argv, o, 0);
}

static int
cmd_table_indirect_delete_member(struct cli *c, int argc, char **argv,
                                 struct strbuf *o)
{
    return ap_delete_member(c, argc, argv, o, 1);
}

static int
ap_modify_member(struct cli *c, int argc, char **argv, struct strbuf *o,
                 int via)
{
    if (at_least_n(o, argc, 3) < 0)
        return -1;
    int api = get_act_prof(c, o, argv[0], via, 0);
    if (api < 0)
        return -1;
    struct p4m_act_prof *ap = &c->m->act_profs[api];
    int ai = p4model_act_prof_action(c->m, ap, argv[1]);
    if (ai < 0)
        return uin_error(o, "Action profile '%s' has no action '%s'", argv[0],
                         argv[1]);
    long long h;
    if (value_parse_int(argv[2], &h) < 0)
        return uin_error(o, "Bad format for member handle");
    int first = argc > 3 && !strcmp(argv[3], "=>") ? 4 : 3;
    struct rdata rd = {0};
    int rc = -1;
    if (parse_runtime_data(c, o, &c->m->actions[ai], argc - first, argv + first,
                           &rd) < 0)
        goto out;
    struct err e = {0};
    rc = sw_act_prof_modify_member(c->sw, ap->name, (uint32_t)h,
                                   c->m->actions[ai].name, rd.bytes, rd.n, &e);
    if (rc < 0)
        sw_error(o, "table", rc, rc == -ENOENT ? "INVALID_MBR_HANDLE" : NULL,
                 &e);
out:
    rdata_free(&rd);
    return rc;
}

static int
cmd_act_prof_modify_member(struct cli *c, int argc, char **argv,
                           struct strbuf *o)
{
    return ap_modify_member(c, argc, argv, o, 0);
}

static int
cmd_table_indirect_modify_member(struct cli *c, int argc, char **argv,
                                 struct strbuf *o)
{
    return ap_modify_member(c, argc, argv, o, 1);
}

static int
ap_create_group(struct cli *c, int argc, char **argv, struct strbuf *o, int via)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    int api = get_act_prof(c, o, argv[0], via, 1);
    if (api < 0)
        return -1;
    struct err e = {0};
    uint32_t g;
    int rc = sw_act_prof_create_group(c->sw, c->m->act_profs[api].name, &g, &e);
    if (rc < 0)
        return sw_error(o, "table", rc, NULL, &e);
    outf(o, "Group has been created with handle %u\n", g);
    return 0;
}

static int
cmd_act_prof_create_group(struct cli *c, int argc, char **argv,
                          struct strbuf *o)
{
    return ap_create_group(c, argc, argv, o, 0);
}

static int
cmd_table_indirect_create_group(struct cli *c, int argc, char **argv,
                                struct strbuf *o)
{
    return ap_create_group(c, argc, argv, o, 1);
}

static int
ap_delete_group(struct cli *c, int argc, char **argv, struct strbuf *o, int via)
{
    if (exactly_n(o, argc, 2) < 0)
        return -1;
    int api = get_act_prof(c, o, argv[0], via, 1);
    if (api < 0)
        return -1;
    long long h;
    if (value_parse_int(argv[1], &h) < 0)
        return uin_error(o, "Bad format for group handle");
    struct err e = {0};
    int rc = sw_act_prof_delete_group(c->sw, c->m->act_profs[api].name,
                                      (uint32_t)h, &e);
    return rc < 0 ? sw_error(o, "table", rc,
                             rc == -ENOENT  ? "INVALID_GRP_HANDLE"
                             : rc == -EBUSY ? "GRP_STILL_USED"
                                            : NULL,
                             &e)
                  : 0;
}

static int
cmd_act_prof_delete_group(struct cli *c, int argc, char **argv,
                          struct strbuf *o)
{
    return ap_delete_group(c, argc, argv, o, 0);
}

static int
cmd_table_indirect_delete_group(struct cli *c, int argc, char **argv,
                                struct strbuf *o)
{
    return ap_delete_group(c, argc, argv, o, 1);
}

static int
ap_group_member(struct cli *c, int argc, char **argv, struct strbuf *o, int via,
                int add)
{
    if (exactly_n(o, argc, 3) < 0)
        return -1;
    int api = get_act_prof(c, o, argv[0], via, 1);
    if (api < 0)
        return -1;
    long long m, g;
    if (value_parse_int(argv[1], &m) < 0)
        return uin_error(o, "Bad format for member handle");
    if (value_parse_int(argv[2], &g) < 0)
        return uin_error(o, "Bad format for group handle");
    struct err e = {0};
    const char *ap = c->m->act_profs[api].name;
    int rc =
        add ? sw_act_prof_add_to_group(c->sw, ap, (uint32_t)m, (uint32_t)g, &e)
            : sw_act_prof_remove_from_group(c->sw, ap, (uint32_t)m, (uint32_t)g,
                                            &e);
    if (rc < 0)
        return sw_error(o, "table", rc,
                        rc == -EEXIST ? "MBR_ALREADY_IN_GRP"
                        : rc == -ENOENT
                            ? (add ? "INVALID_GRP_HANDLE" : "MBR_NOT_IN_GRP")
                            : NULL,
                        &e);
    return 0;
}

static int
cmd_act_prof_add_member_to_group(struct cli *c, int argc, char **argv,
                                 struct strbuf *o)
{
    return ap_group_member(c, argc, argv, o, 0, 1);
}

static int
cmd_table_indirect_add_member_to_group(struct cli *c, int argc, char **argv,
                                       struct strbuf *o)
{
    return ap_group_member(c, argc, argv, o, 1, 1);
}

static int
cmd_act_prof_remove_member_from_group(struct cli *c, int argc, char **argv,
                                      struct strbuf *o)
{
    return ap_group_member(c, argc, argv, o, 0, 0);
}

static int
cmd_table_indirect_remove_member_from_group(struct cli *c, int argc,
                                            char **argv, struct strbuf *o)
{
    return ap_group_member(c, argc, argv, o, 1, 0);
}

static int
ap_dump_one(struct cli *c, int argc, char **argv, struct strbuf *o, int via,
            int group)
{
    if (exactly_n(o, argc, 2) < 0)
        return -1;
    int api = get_act_prof(c, o, argv[0], via, 0);
    if (api < 0)
        return -1;
    long long h;
    if (value_parse_int(argv[1], &h) < 0)
        return uin_error(o, group ? "Bad format for group handle"
                                  : "Bad format for member handle");
    struct dump_ctx d = {.c = c, .o = o, .want = (uint32_t)h};
    struct err e = {0};
    int rc = sw_act_prof_dump(c->sw, c->m->act_profs[api].name,
                              group ? NULL : member_cb, group ? group_cb : NULL,
                              &d, &e);
    if (rc < 0)
        return sw_error(o, "table", rc, NULL, &e);
    if (!d.found)
        return sw_error(o, "table", -ENOENT,
                        group ? "INVALID_GRP_HANDLE" : "INVALID_MBR_HANDLE",
                        NULL);
    return 0;
}

static int
cmd_act_prof_dump_member(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    return ap_dump_one(c, argc, argv, o, 0, 0);
}

static int
cmd_table_dump_member(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    return ap_dump_one(c, argc, argv, o, 1, 0);
}

static int
cmd_act_prof_dump_group(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    return ap_dump_one(c, argc, argv, o, 0, 1);
}

static int
cmd_table_dump_group(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    return ap_dump_one(c, argc, argv, o, 1, 1);
}

static int
cmd_act_prof_dump(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    if (exactly_n(o, argc, 1) < 0)
        return -1;
    int api = get_act_prof(c, o, argv[0], 0, 0);
    if (api < 0)
        return -1;
    return dump_act_prof(c, o, &c->m->act_profs[api]);
}

static int
indirect_add(struct cli *c, int argc, char **argv, struct strbuf *o, int ws)
{
    if (at_least_n(o, argc, 2) < 0)
        return -1;
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    const struct p4m_table *t = &c->m->tables[ti];
    if (ws && t->type != P4M_INDIRECT_WS)
        return uin_error(
            o, "Cannot run this command on non-indirect table, or on indirect "
               "table with no selector");
    if (t->type == P4M_SIMPLE)
        return uin_error(o, "Cannot run this command on non-indirect table");
    int prio;
    if (pop_priority(o, t, &argc, argv, &prio) < 0)
        return -1;
    int idx = 1;
    while (idx < argc && strcmp(argv[idx], "=>"))
        idx++;
    if (argc != idx + 2)
        return uin_error(o, "Invalid arguments, could not find handle");
    long long h;
    if (value_parse_int(argv[idx + 1], &h) < 0)
        return uin_error(o, "Bad format for handle");
    if ((size_t)(idx - 1) != t->n_keys)
        return uin_error(o, "Table %s needs %zu key fields", argv[0],
                         t->n_keys);
    struct mkey mk = {0};
    int rc = -1;
    if (parse_match_key(o, t, idx - 1, argv + 1, &mk) < 0)
        goto out;
    outf(o, "Adding entry to indirect match table %s\n", t->name);
    struct sw_action_ref ref = {ws ? SW_REF_GROUP : SW_REF_MEMBER, NULL, NULL,
                                0, (uint32_t)h};
    struct err e = {0};
    uint64_t eh;
    rc = sw_table_add(c->sw, t->name, mk.p, mk.n, prio, &ref, &eh, &e);
    if (rc < 0)
        sw_error(o, "table", rc, NULL, &e);
    else
        outf(o, "Entry has been added with handle %llu\n",
             (unsigned long long)eh);
out:
    mkey_free(&mk);
    return rc;
}

static int
cmd_table_indirect_add(struct cli *c, int argc, char **argv, struct strbuf *o)
{
    return indirect_add(c, argc, argv, o, 0);
}

static int
cmd_table_indirect_add_with_group(struct cli *c, int argc, char **argv,
                                  struct strbuf *o)
{
    return indirect_add(c, argc, argv, o, 1);
}

static int
cmd_table_indirect_delete(struct cli *c, int argc, char **argv,
                          struct strbuf *o)
{
    if (exactly_n(o, argc, 2) < 0)
        return -1;
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    if (c->m->tables[ti].type == P4M_SIMPLE)
        return uin_error(o, "Cannot run this command on non-indirect table");
    return cmd_table_delete(c, argc, argv, o);
}

static int
indirect_set_default(struct cli *c, int argc, char **argv, struct strbuf *o,
                     int ws)
{
    if (exactly_n(o, argc, 2) < 0)
        return -1;
    int ti = get_res(c, o, P4M_RES_TABLE, argv[0]);
    if (ti < 0)
        return -1;
    const struct p4m_table *t = &c->m->tables[ti];
    if (ws && t->type != P4M_INDIRECT_WS)
        return uin_error(
            o, "Cannot run this command on non-indirect table, or on indirect "
               "table with no selector");
    if (t->type == P4M_SIMPLE)
        return uin_error(o, "Cannot run this command on non-indirect table");
    long long h;
    if (value_parse_int(argv[1], &h) < 0)
        return uin_error(o, "Bad format for handle");
    struct sw_action_ref ref = {ws ? SW_REF_GROUP : SW_REF_MEMBER, NULL, NULL,
                                0, (uint32_t)h};
    struct err e = {0};
    int rc = sw_table_set_default(c->sw, t->name, &ref, &e);
    return rc < 0 ? sw_error(o, "table", rc, NULL, &e) : 0;
}

static int
cmd_table_indirect_set_default(struct cli *c, int argc, char **argv,
                               struct strbuf *o)
{
    return indirect_set_default(c, argc, argv, o, 0);
}

static int
cmd_table_indirect_set_default_with_group(struct cli *c, int argc, char **argv,
                                          struct strbuf *o)
{
    return indirect_set_default(c, argc, argv, o, 1);
}

const struct cli_cmd cli_ap_cmds[] = {
    {"act_prof_create_member", cmd_act_prof_create_member,
     "Add a member to an action profile: act_prof_create_member <action "
     "profile name> "
     "<action_name> [action parameters]"},
    {"act_prof_delete_member", cmd_act_prof_delete_member,
     "Delete a member in an action profile: act_prof_delete_member <action "
     "profile name> "
     "<member handle>"},
    {"act_prof_modify_member", cmd_act_prof_modify_member,
     "Modify member in an action profile: act_prof_modify_member <action "
     "profile name> "
     "<action_name> <member_handle> [action parameters]"},
    {"act_prof_create_group", cmd_act_prof_create_group,
     "Add a group to an action pofile: act_prof_create_group <action profile "
     "name>"},
    {"act_prof_delete_group", cmd_act_prof_delete_group,
     "Delete a group from an action profile: act_prof_delete_group <action "
     "profile name> "
     "<group handle>"},
    {"act_prof_add_member_to_group", cmd_act_prof_add_member_to_group,
     "Add member to group in an action profile: act_prof_add_member_to_group "
     "<action profile "
     "name> <member handle> <group handle>"},
    {"act_prof_remove_member_from_group", cmd_act_prof_remove_member_from_group,
     "Remove member from group in action profile: "
     "act_prof_remove_member_from_group <action "
     "profile name> <member handle> <group handle>"},
    {"act_prof_dump_member", cmd_act_prof_dump_member,
     "Display some information about a member: act_prof_dump_member <action "
     "profile name> "
     "<member handle>"},
    {"act_prof_dump_group", cmd_act_prof_dump_group,
     "Display some information about a group: table_dump_group <action profile "
     "name> <group "
     "handle>"},
    {"act_prof_dump", cmd_act_prof_dump,
     "Display entries in an action profile: act_prof_dump <action profile "
     "name>"},
    {"table_indirect_create_member", cmd_table_indirect_create_member,
     "[DEPRECATED!] Add a member to an indirect match table: "
     "table_indirect_create_member "
     "<table name> <action_name> [action parameters]\nUse "
     "'act_prof_create_member' instead"},
    {"table_indirect_delete_member", cmd_table_indirect_delete_member,
     "[DEPRECATED!] Delete a member in an indirect match table: "
     "table_indirect_delete_member "
     "<table name> <member handle>\nUse 'act_prof_delete_member' instead"},
    {"table_indirect_modify_member", cmd_table_indirect_modify_member,
     "[DEPRECATED!] Modify member in an indirect match table: "
     "table_indirect_modify_member "
     "<table name> <action_name> <member_handle> [action parameters]\nUse "
     "'act_prof_modify_member' instead"},
    {"table_indirect_create_group", cmd_table_indirect_create_group,
     "[DEPRECATED!] Add a group to an indirect match table: "
     "table_indirect_create_group "
     "<table name>\nUse 'act_prof_create_group' instead"},
    {"table_indirect_delete_group", cmd_table_indirect_delete_group,
     "[DEPRECATED!] Delete a group: table_indirect_delete_group <table name> "
     "<group "
     "handle>\nUse 'act_prof_delete_group' instead"},
    {"table_indirect_add_member_to_group",
     cmd_table_indirect_add_member_to_group,
     "[DEPRECATED!] Add member to group: table_indirect_add_member_to_group "
     "<table name> "
     "<member handle> <group handle>\nUse 'act_prof_add_member_to_group' "
     "instead"},
    {"table_indirect_remove_member_from_group",
     cmd_table_indirect_remove_member_from_group,
     "[DEPRECATED!] Remove member from group: "
     "table_indirect_remove_member_from_group <table "
     "name> <member handle> <group handle>\nUse "
     "'act_prof_remove_member_from_group' instead"},
    {"table_dump_member", cmd_table_dump_member,
     "Display some information about a member: table_dump_member <table name> "
     "<member "
     "handle>"},
    {"table_dump_group", cmd_table_dump_group,
     "Display some information about a group: table_dump_group <table name> "
     "<group handle>"},
    {"table_indirect_add", cmd_table_indirect_add,
     "Add entry to an indirect match table: table_indirect_add <table name> "
     "<match fields> "
     "=> <member handle> [priority]"},
    {"table_indirect_add_with_group", cmd_table_indirect_add_with_group,
     "Add entry to an indirect match table: table_indirect_add <table name> "
     "<match fields> "
     "=> <group handle> [priority]"},
    {"table_indirect_delete", cmd_table_indirect_delete,
     "Delete entry from an indirect match table: table_indirect_delete <table "
     "name> <entry "
     "handle>"},
    {"table_indirect_set_default", cmd_table_indirect_set_default,
     "Set default member for indirect match table: table_indirect_set_default "
     "<table name> "
     "<member handle>"},
    {"table_indirect_set_default_with_group",
     cmd_table_indirect_set_default_with_group,
     "Set default group for indirect match table: table_indirect_set_default "
     "<table name> "
     "<group handle>"},
    {NULL, NULL, NULL},
};
