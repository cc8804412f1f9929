/* Unit tests of control/value.c (BMv2's value parsing and printing) and of the
 * STF-independent parts of the command language that need no switch. */
#include <stdint.h>
#include <string.h>

#include "control/p4model.h"
#include "control/value.h"
#include "test.h"

static const char *
hex_of(const char *s, int bw)
{
    static char out[VALUE_MAX_BYTES * 2 + 1];
    uint8_t b[VALUE_MAX_BYTES];
    size_t n;
    char msg[128];
    if (value_parse(s, bw, b, &n, msg, sizeof msg) < 0) {
        snprintf(out, sizeof out, "error: %s", msg);
        return out;
    }
    value_hex(out, sizeof out, b, n, 0);
    return out;
}

static void
test_integers(void)
{
    CHECK_STR(hex_of("1", 9), "0001");
    CHECK_STR(hex_of("0x1ff", 9), "01ff");
    CHECK_STR(hex_of("255", 8), "ff");
    CHECK_STR(hex_of("0b101", 8), "05");
    CHECK_STR(hex_of("0o17", 8), "0f");
    CHECK_STR(hex_of("1_000", 16), "03e8");
    CHECK_STR(hex_of("256", 8), "error: Parameter is too large");
    CHECK_STR(hex_of("abc", 8), "error: Invalid input, could not cast to "
                                "integer, try in hex with 0x prefix");
    /* wider than 64 bits */
    CHECK_STR(hex_of("0x0123456789abcdef0123456789abcdef", 128),
              "0123456789abcdef0123456789abcdef");
    CHECK_STR(hex_of("340282366920938463463374607431768211455", 128),
              "ffffffffffffffffffffffffffffffff");
}

static void
test_addresses(void)
{
    CHECK_STR(hex_of("10.0.1.10", 32), "0a00010a");
    CHECK_STR(hex_of("10.0.1", 32), "error: Invalid IPv4 address");
    CHECK_STR(hex_of("00:aa:bb:00:00:01", 48), "00aabb000001");
    CHECK_STR(hex_of("00:aa:bb:00:01", 48), "error: Invalid MAC address");
    CHECK_STR(hex_of("2001:db8::1", 128), "20010db8000000000000000000000001");
    /* an address form only for its width: 10.0.0.1 is no 16-bit value */
    CHECK_STR(hex_of("10.0.0.1", 16), "error: Invalid input, could not cast to "
                                      "integer, try in hex with 0x prefix");
}

static void
test_pyfloat(void)
{
    char b[64];
    value_pyfloat(b, sizeof b, 1.0);
    CHECK_STR(b, "1.0");
    value_pyfloat(b, sizeof b, 2.5);
    CHECK_STR(b, "2.5");
    value_pyfloat(b, sizeof b, 0.0001);
    CHECK_STR(b, "0.0001");
    value_pyfloat(b, sizeof b, 0.00001);
    CHECK_STR(b, "1e-05");
    value_pyfloat(b, sizeof b, 1e16);
    CHECK_STR(b, "1e+16");
    value_pyfloat(b, sizeof b, 123456.0);
    CHECK_STR(b, "123456.0");
}

static void
test_model_suffixes(void)
{
    const char *json = "{\"header_types\":[{\"name\":\"h_t\",\"fields\":[["
                       "\"a\",9,false],[\"b\",32,false]]}],"
                       "\"headers\":[{\"name\":\"h\",\"header_type\":\"h_t\"}],"
                       "\"actions\":[{\"name\":\"MyIngress.fwd\",\"id\":0,"
                       "\"runtime_data\":[{\"name\":\"p\","
                       "\"bitwidth\":9}]},{\"name\":\"MyEgress.fwd\",\"id\":1,"
                       "\"runtime_data\":[]},"
                       "{\"name\":\"NoAction\",\"id\":2,\"runtime_data\":[]}],"
                       "\"pipelines\":[{\"name\":\"ingress\",\"tables\":[{"
                       "\"name\":\"MyIngress.t_lpm\",\"id\":0,"
                       "\"match_type\":\"lpm\",\"type\":\"simple\",\"key\":[{"
                       "\"match_type\":\"lpm\","
                       "\"target\":[\"h\",\"b\"],\"name\":\"hdr.h.b\"}],"
                       "\"actions\":[\"MyIngress.fwd\","
                       "\"NoAction\"]}]},{\"name\":\"egress\",\"tables\":[]}]}";
    struct err e = {0};
    struct p4model *m = p4model_new(json, strlen(json), &e);
    CHECK(m != NULL);
    if (!m)
        return;
    CHECK_INT(p4model_find(m, P4M_RES_TABLE, "t_lpm"), 0);
    CHECK_INT(p4model_find(m, P4M_RES_TABLE, "MyIngress.t_lpm"), 0);
    CHECK_INT(p4model_find(m, P4M_RES_ACTION, "fwd"), -1); /* ambiguous */
    CHECK_INT(p4model_find(m, P4M_RES_ACTION, "MyEgress.fwd"), 1);
    /* unique within the table even if ambiguous in the program */
    CHECK_INT(p4model_table_action(m, &m->tables[0], "fwd"), 0);
    CHECK_STR(m->tables[0].keys[0].name, "h.b");
    CHECK_INT(m->tables[0].keys[0].bitwidth, 32);
    p4model_free(m);
    CHECK(p4model_new("{", 1, &e) == NULL);
    CHECK(err_is_set(&e));
}

int
main(void)
{
    RUN_TEST(test_integers);
    RUN_TEST(test_addresses);
    RUN_TEST(test_pyfloat);
    RUN_TEST(test_model_suffixes);
    TEST_EXIT();
}
