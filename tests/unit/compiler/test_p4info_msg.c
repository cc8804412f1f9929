/* test_p4info_msg.c - unit tests of the P4Info message writer
 * (src/compiler/bmv2/p4info_msg.c): the binary wire format byte by byte
 * (varints, negative int32, packed repeated fields, nested lengths, maps),
 * proto3 defaults left out but oneof members kept, field-number order, the
 * text format's escapes and the JSON mapping (camelCase, int64 as strings,
 * bytes in base64, maps as objects). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/p4info_msg.h"
#include "test.h"

/* The encoding of m by writer as a string (binary: caller gets *len). */
static char *
encode(const struct p4msg *m, int (*writer)(const struct p4msg *, FILE *),
       size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    int r = writer(m, f);
    fclose(f);
    CHECK_INT(r, 0);
    if (len)
        *len = n;
    return buf;
}

static void
test_binary_scalars(void)
{
    struct p4msg *m = p4msg_new("P4Info");
    struct p4msg *t = p4msg_open(m, "tables");
    struct p4msg *pre = p4msg_open(t, "preamble");
    p4msg_int(pre, "id", 300);      /* uint32 varint: ac 02 */
    p4msg_str(pre, "name", "t");
    p4msg_int(t, "size", 1024);     /* int64: 80 08 */
    p4msg_bool(t, "is_const_table", 1);
    size_t n;
    unsigned char *b = (unsigned char *)encode(m, p4msg_write_binary, &n);
    /* 12 len { 0a len { 08 ac 02 12 01 't' } 40 80 08 50 01 } */
    static const unsigned char want[] = {0x12, 0x0d, 0x0a, 0x06, 0x08,
                                         0xac, 0x02, 0x12, 0x01, 't',
                                         0x40, 0x80, 0x08, 0x50, 0x01};
    CHECK_INT(n, sizeof want);
    CHECK(n == sizeof want && !memcmp(b, want, n));
    free(b);
    p4msg_free(m);
}

static void
test_binary_negative_packed_order(void)
{
    struct p4msg *m = p4msg_new("Table");
    /* added out of number order: written by number */
    p4msg_int(m, "direct_resource_ids", 1);
    p4msg_int(m, "direct_resource_ids", 150);
    struct p4msg *mf = p4msg_open(m, "match_fields");
    p4msg_int(mf, "bitwidth", -1); /* int32 -1: ten bytes */
    size_t n;
    unsigned char *b = (unsigned char *)encode(m, p4msg_write_binary, &n);
    static const unsigned char want[] = {
        0x12, 0x0b, 0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0x01,                   /* match_fields { bitwidth } */
        0x3a, 0x03, 0x01, 0x96, 0x01};      /* packed direct_resource_ids */
    CHECK_INT(n, sizeof want);
    CHECK(n == sizeof want && !memcmp(b, want, n));
    free(b);
    p4msg_free(m);
}

static void
test_defaults_and_oneof(void)
{
    struct p4msg *m = p4msg_new("Expression");
    p4msg_bool(m, "bool_value", 0); /* in a oneof: kept at its default */
    size_t n;
    unsigned char *b = (unsigned char *)encode(m, p4msg_write_binary, &n);
    CHECK_INT(n, 2);
    CHECK(n == 2 && b[0] == 0x18 && b[1] == 0x00);
    free(b);
    p4msg_free(m);

    m = p4msg_new("Preamble");
    p4msg_int(m, "id", 0); /* proto3 default: left out everywhere */
    p4msg_str(m, "name", "");
    b = (unsigned char *)encode(m, p4msg_write_binary, &n);
    CHECK_INT(n, 0);
    free(b);
    char *t = encode(m, p4msg_write_text, NULL);
    CHECK(!strstr(t, "id:") && !strstr(t, "name:"));
    free(t);
    p4msg_free(m);
}

static void
test_text_format(void)
{
    struct p4msg *m = p4msg_new("P4Info");
    struct p4msg *a = p4msg_open(m, "actions");
    struct p4msg *pre = p4msg_open(a, "preamble");
    p4msg_str(pre, "annotations", "@x(\"a\\b\")");
    p4msg_str(pre, "name", "n");
    p4msg_int(pre, "id", 7);
    struct p4msg *p = p4msg_open(m, "pkg_info");
    p4msg_str(p, "arch", "v1model");
    char *t = encode(m, p4msg_write_text, NULL);
    CHECK_STR(t, "# proto-file: p4/config/v1/p4info.proto\n"
                 "# proto-message: p4.config.v1.P4Info\n\n"
                 "pkg_info {\n  arch: \"v1model\"\n}\n"
                 "actions {\n  preamble {\n    id: 7\n    name: \"n\"\n"
                 "    annotations: \"@x(\\\"a\\\\b\\\")\"\n  }\n}\n");
    free(t);
    p4msg_free(m);
}

static void
test_bytes_and_maps(void)
{
    struct p4msg *m = p4msg_new("P4TypeInfo");
    struct p4msg *e = p4msg_open(m, "serializable_enums");
    p4msg_str(e, "key", "E");
    struct p4msg *v = p4msg_open(e, "value");
    struct p4msg *mb = p4msg_open(v, "members");
    p4msg_str(mb, "name", "A");
    static const unsigned char val[] = {0x08, 0x00, 0xff};
    p4msg_bytes(mb, "value", val, sizeof val);
    char *t = encode(m, p4msg_write_text, NULL);
    CHECK(strstr(t, "value: \"\\010\\000\\377\"") != NULL);
    free(t);
    char *j = encode(m, p4msg_write_json, NULL);
    /* a map is an object keyed by the keys; bytes are base64 */
    CHECK(strstr(j, "\"serializableEnums\": {") != NULL);
    CHECK(strstr(j, "\"E\": {") != NULL);
    CHECK(strstr(j, "\"value\": \"CAD/\"") != NULL);
    free(j);
    size_t n;
    unsigned char *b = (unsigned char *)encode(m, p4msg_write_binary, &n);
    /* 32 len { 0a 01 'E' 12 len { 12 len { 0a 01 'A' 12 03 08 00 ff } } } */
    static const unsigned char want[] = {0x32, 0x0f, 0x0a, 0x01, 'E', 0x12,
                                         0x0a, 0x12, 0x08, 0x0a, 0x01, 'A',
                                         0x12, 0x03, 0x08, 0x00, 0xff};
    CHECK_INT(n, sizeof want);
    CHECK(n == sizeof want && !memcmp(b, want, n));
    free(b);
    p4msg_free(m);
}

static void
test_json_mapping(void)
{
    struct p4msg *m = p4msg_new("P4Info");
    struct p4msg *t = p4msg_open(m, "tables");
    p4msg_int(t, "size", 1024);
    p4msg_int(t, "const_default_action_id", 5);
    struct p4msg *mf = p4msg_open(t, "match_fields");
    p4msg_enum(mf, "match_type", "LPM");
    char *j = encode(m, p4msg_write_json, NULL);
    CHECK(strstr(j, "\"tables\": [") != NULL);
    CHECK(strstr(j, "\"size\": \"1024\"") != NULL);
    CHECK(strstr(j, "\"constDefaultActionId\": 5") != NULL);
    CHECK(strstr(j, "\"matchType\": \"LPM\"") != NULL);
    free(j);
    p4msg_free(m);
}

int
main(void)
{
    RUN_TEST(test_binary_scalars);
    RUN_TEST(test_binary_negative_packed_order);
    RUN_TEST(test_defaults_and_oneof);
    RUN_TEST(test_text_format);
    RUN_TEST(test_bytes_and_maps);
    RUN_TEST(test_json_mapping);
    TEST_EXIT();
}
