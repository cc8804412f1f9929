/* test_bmv2.c - unit tests of the BMv2 back end: small v1model programs are
 * compiled in-process (with our p4include/) and the JSON is checked for the
 * shapes the lowering promises (jumps in actions, predicated header
 * assignments, tables applied at several places, value set names, the
 * program's own externs) and for the refusals it makes. Packet behaviour is
 * tested by tests/p4/programs/ (compiler_stf.sh). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler/bmv2/bmv2.h"
#include "compiler/check.h"
#include "compiler/compiler.h"
#include "test.h"

/* Everything a test program needs around its ingress control. */
static const char *prelude =
    "#include <core.p4>\n"
    "#include <v1model.p4>\n"
    "header h_t { bit<8> a; bit<8> b; }\n"
    "header_union u_t { h_t x; h_t y; }\n"
    "struct headers { h_t h; h_t e; h_t[2] s; u_t[2] u; }\n"
    "struct meta_t { bit<8> i; }\n"
    "parser P(packet_in pkt, out headers hdr, inout meta_t m,\n"
    "         inout standard_metadata_t sm) {\n"
    "    value_set<bit<8>>(4) vs;\n"
    "    state start {\n"
    "        pkt.extract(hdr.h);\n"
    "        transition select(hdr.h.a) { vs: accept; default: accept; }\n"
    "    }\n"
    "}\n"
    "control E(inout headers hdr, inout meta_t m,\n"
    "          inout standard_metadata_t sm) { apply { } }\n"
    "control VC(inout headers hdr, inout meta_t m) { apply { } }\n"
    "control CC(inout headers hdr, inout meta_t m) { apply { } }\n"
    "control D(packet_out pkt, in headers hdr) {\n"
    "    apply { pkt.emit(hdr); }\n"
    "}\n";

static const char *epilogue =
    "V1Switch(P(), VC(), I(), E(), CC(), D()) main;\n";

/* Compiles the prelude + ingress + epilogue; returns the JSON (caller
 * decrefs) or NULL, with the diagnostics in *diag (caller frees). */
static json_t *
compile_ingress(const char *ingress, char **diag)
{
    char path[] = "/tmp/fop4-test-bmv2-XXXXXX.p4";
    int fd = mkstemps(path, 3);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    fprintf(f, "%s%s%s", prelude, ingress, epilogue);
    fclose(f);
    struct cc c;
    cc_init(&c);
    size_t len = 0, jlen = 0;
    char *buf = NULL, *jbuf = NULL;
    c.diag = open_memstream(&buf, &len);
    c.main_file = path;
    c.p4include = "p4include"; /* tests run from the checkout */
    json_t *j = NULL;
    if (cc_load(&c, path) == 0 && cc_check(&c) == 0 && bmv2_lower(&c) == 0) {
        FILE *out = open_memstream(&jbuf, &jlen);
        bmv2_emit_json(&c, out);
        fclose(out);
        j = json_loads(jbuf, 0, NULL);
        free(jbuf);
    }
    fclose(c.diag);
    cc_destroy(&c);
    unlink(path);
    if (diag)
        *diag = buf;
    else
        free(buf);
    return j;
}

/* The action named name, or NULL. */
static json_t *
action(json_t *j, const char *name)
{
    json_t *acts = json_object_get(j, "actions");
    for (size_t i = 0; i < json_array_size(acts); i++)
        if (!strcmp(json_string_value(
                        json_object_get(json_array_get(acts, i), "name")),
                    name))
            return json_array_get(acts, i);
    return NULL;
}

/* Position of the first primitive op of action a at or after from, or -1. */
static int
prim_index(json_t *a, const char *op, int from)
{
    json_t *ps = json_object_get(a, "primitives");
    for (size_t i = (size_t)from; i < json_array_size(ps); i++)
        if (!strcmp(
                json_string_value(json_object_get(json_array_get(ps, i), "op")),
                op))
            return (int)i;
    return -1;
}

/* setValid and exit under a condition inside an action are jumped over. */
static void
test_jumps_in_actions(void)
{
    json_t *j = compile_ingress(
        "control I(inout headers hdr, inout meta_t m,\n"
        "          inout standard_metadata_t sm) {\n"
        "    action a() {\n"
        "        if (hdr.h.a == 1) { hdr.e.setValid(); exit; }\n"
        "        hdr.h.b = 2;\n"
        "    }\n"
        "    table t { actions = { a; } default_action = a(); }\n"
        "    apply { t.apply(); }\n"
        "}\n",
        NULL);
    CHECK(j != NULL);
    json_t *a = action(j, "I.a");
    CHECK(a != NULL);
    int jf = prim_index(a, "_jump_if_false", 0);
    int add = prim_index(a, "add_header", 0);
    int ex = prim_index(a, "exit", 0);
    CHECK(jf >= 0 && add > jf && ex > add);
    /* exit is followed by a jump to the end of the action */
    int end = prim_index(a, "_jump", ex);
    CHECK(end == ex + 1);
    json_t *ps = json_object_get(a, "primitives");
    json_t *target = json_array_get(
        json_object_get(json_array_get(ps, (size_t)end), "parameters"), 0);
    CHECK_INT(
        strtol(json_string_value(json_object_get(target, "value")), NULL, 16),
        (long)json_array_size(ps));
    json_decref(j);
}

/* A header assigned under a condition: assign_header of "?:", with the
 * condition saved in a temporary first. */
static void
test_predicated_header(void)
{
    json_t *j = compile_ingress(
        "control I(inout headers hdr, inout meta_t m,\n"
        "          inout standard_metadata_t sm) {\n"
        "    action a() { if (hdr.h.a == 1) { hdr.s[0] = hdr.s[1]; } }\n"
        "    table t { actions = { a; } default_action = a(); }\n"
        "    apply { t.apply(); }\n"
        "}\n",
        NULL);
    CHECK(j != NULL);
    json_t *a = action(j, "I.a");
    int as = prim_index(a, "assign", 0);
    int ah = prim_index(a, "assign_header", 0);
    CHECK(as >= 0 && ah > as);
    char *s = json_dumps(
        json_array_get(json_object_get(a, "primitives"), (size_t)ah), 0);
    CHECK(s && strstr(s, "\"op\": \"?\""));
    free(s);
    json_decref(j);
}

/* A table applied in both branches of an if: one table, a site field and
 * conditionals on it. */
static void
test_table_applied_twice(void)
{
    json_t *j = compile_ingress(
        "control I(inout headers hdr, inout meta_t m,\n"
        "          inout standard_metadata_t sm) {\n"
        "    table t { key = { hdr.h.a : exact; } actions = { NoAction; } }\n"
        "    apply {\n"
        "        if (hdr.h.b == 0) { t.apply(); sm.egress_spec = 1; }\n"
        "        else { t.apply(); sm.egress_spec = 2; }\n"
        "    }\n"
        "}\n",
        NULL);
    CHECK(j != NULL);
    json_t *p = json_array_get(json_object_get(j, "pipelines"), 0);
    int tables_named_t = 0;
    json_t *tabs = json_object_get(p, "tables");
    for (size_t i = 0; i < json_array_size(tabs); i++)
        tables_named_t += !strcmp(
            json_string_value(json_object_get(json_array_get(tabs, i), "name")),
            "I.t");
    CHECK_INT(tables_named_t, 1);
    char *s = json_dumps(json_object_get(p, "conditionals"), 0);
    CHECK(s && strstr(s, "t_site"));
    free(s);
    json_decref(j);
}

/* Value sets carry p4c's names; u[i] of a stack of unions is reached with
 * dereference_union_stack. */
static void
test_names_and_union_stacks(void)
{
    json_t *j = compile_ingress(
        "control I(inout headers hdr, inout meta_t m,\n"
        "          inout standard_metadata_t sm) {\n"
        "    apply { if (hdr.u[m.i].x.isValid()) { hdr.h.a = 1; } }\n"
        "}\n",
        NULL);
    CHECK(j != NULL);
    json_t *vs = json_array_get(json_object_get(j, "parse_vsets"), 0);
    CHECK_STR(json_string_value(json_object_get(vs, "name")), "P.vs");
    char *s = json_dumps(json_object_get(j, "pipelines"), 0);
    CHECK(s && strstr(s, "dereference_union_stack") &&
          strstr(s, "access_union_header"));
    free(s);
    json_decref(j);
}

/* A user-defined extern function is refused with a diagnostic. */
static void
test_refusals(void)
{
    char *diag = NULL;
    json_t *j = compile_ingress("extern void ext_f(inout bit<8> x);\n"
                                "control I(inout headers hdr, inout meta_t m,\n"
                                "          inout standard_metadata_t sm) {\n"
                                "    apply { ext_f(hdr.h.a); }\n"
                                "}\n",
                                &diag);
    CHECK(j == NULL);
    CHECK(diag && strstr(diag, "error: extern ext_f() is not supported"));
    free(diag);
    json_decref(j);
}

/* An extern object of the program's own compiles as p4c compiles it: an
 * extern instance and a "_<type>_<method>" primitive on it. */
static void
test_user_extern_object(void)
{
    json_t *j = compile_ingress(
        "extern Tally { Tally(bit<8> size); void bump(in bit<8> by); }\n"
        "control I(inout headers hdr, inout meta_t m,\n"
        "          inout standard_metadata_t sm) {\n"
        "    Tally(8) tally;\n"
        "    apply { tally.bump(hdr.h.a); }\n"
        "}\n",
        NULL);
    CHECK(j != NULL);
    json_t *ei = json_array_get(json_object_get(j, "extern_instances"), 0);
    CHECK_STR(json_string_value(json_object_get(ei, "name")), "I.tally");
    CHECK_STR(json_string_value(json_object_get(ei, "type")), "Tally");
    json_t *attr = json_array_get(json_object_get(ei, "attribute_values"), 0);
    CHECK_STR(json_string_value(json_object_get(attr, "name")), "size");
    char *s = json_dumps(json_object_get(j, "actions"), 0);
    CHECK(s && strstr(s, "\"_Tally_bump\"") && strstr(s, "\"extern\""));
    free(s);
    json_decref(j);
}

int
main(void)
{
    RUN_TEST(test_jumps_in_actions);
    RUN_TEST(test_predicated_header);
    RUN_TEST(test_table_applied_twice);
    RUN_TEST(test_names_and_union_stacks);
    RUN_TEST(test_refusals);
    RUN_TEST(test_user_extern_object);
    TEST_EXIT();
}
