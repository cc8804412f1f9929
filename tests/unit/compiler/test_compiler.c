/* test_compiler.c - unit tests of the compiler's stages: lexer literals,
 * parser, checker (types, constants, diagnostics) and the P4Info id hash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/bmv2/bmv2.h"
#include "compiler/check.h"
#include "compiler/compiler.h"
#include "compiler/lex.h"
#include "test.h"

unsigned p4info_id(unsigned prefix, const char *name);

/* Parses and checks text; returns the number of errors. Diagnostics go to a
 * memory stream that the caller may read through *diag (freed by caller). */
static int
compile_text(const char *text, char **diag)
{
    struct cc c;
    cc_init(&c);
    size_t len = 0;
    char *buf = NULL;
    c.diag = open_memstream(&buf, &len);
    c.main_file = "t.p4";
    if (cc_parse_text(&c, "t.p4", text) == 0)
        cc_check(&c);
    int n = c.nerrors;
    fclose(c.diag);
    cc_destroy(&c);
    if (diag)
        *diag = buf;
    else
        free(buf);
    return n;
}

static void
test_lex_literals(void)
{
    struct cc c;
    cc_init(&c);
    struct tokens t = {0};
    CHECK_INT(lex_text(&c, "t.p4", "8w255 4s3 0x1_0 0b101 16w0xFFFF >>", &t),
              0);
    CHECK_INT(t.n, 8); /* 5 literals, ">", ">", end of file */
    CHECK_INT(t.v[0].kind, T_INT);
    CHECK_INT((int)t.v[0].ival, 255);
    CHECK_INT(t.v[0].width, 8);
    CHECK_INT(t.v[1].flags & F_SIGNED, F_SIGNED);
    CHECK_INT((int)t.v[2].ival, 16);
    CHECK_INT((int)t.v[3].ival, 5);
    CHECK_INT((int)t.v[4].ival, 0xffff);
    CHECK_INT(t.v[4].width, 16);
    CHECK_STR(t.v[5].text, ">");
    free(t.v);
    cc_destroy(&c);
}

static void
test_lex_line_markers(void)
{
    struct cc c;
    cc_init(&c);
    struct tokens t = {0};
    lex_text(&c, "x.p4", "# 7 \"orig.p4\"\n  abc\n", &t);
    CHECK_STR(t.v[0].text, "abc");
    CHECK_STR(t.v[0].loc.file, "orig.p4");
    CHECK_INT(t.v[0].loc.line, 7);
    CHECK_INT(t.v[0].loc.col, 3);
    free(t.v);
    cc_destroy(&c);
}

static const char *prog =
    "error { NoError, NoMatch }\n"
    "extern packet_in { void extract<T>(out T hdr); }\n"
    "header h_t { bit<8> a; bit<16> b; }\n"
    "struct s_t { h_t h; }\n"
    "const bit<8> K = 3 + 4;\n"
    "control c(inout s_t s) {\n"
    "  action set(bit<8> v) { s.h.a = v + K; }\n"
    "  apply { if (s.h.isValid()) { s.h.b = s.h.b + 1; } }\n"
    "}\n";

static void
test_parse_and_check_ok(void)
{
    char *d = NULL;
    CHECK_INT(compile_text(prog, &d), 0);
    if (d && *d)
        printf("  unexpected diagnostics: %s\n", d);
    free(d);
}

static void
test_check_errors(void)
{
    char *d = NULL;
    CHECK_INT(
        compile_text("control c(inout bit<8> x) { apply { x = y; } }", &d) > 0,
        1);
    CHECK(d && strstr(d, "t.p4:1:41: error: name 'y' is not declared"));
    free(d);
    CHECK(compile_text("header h { bit<8> a; } control c(inout h x) { apply "
                       "{ x.b = 1; } }",
                       &d) > 0);
    CHECK(d && strstr(d, "'b' is not a member of h"));
    free(d);
    CHECK(compile_text("control c(inout bit<8> x) { apply { x = 16w1; } }",
                       NULL) > 0);
    CHECK(compile_text("parser p() { state s { transition accept; } }", &d) >
          0);
    CHECK(d && strstr(d, "no 'start' state"));
    free(d);
    CHECK(compile_text("header h { bit<8> a }", &d) > 0);
    CHECK(d && strstr(d, "syntax error"));
    free(d);
}

/* Programs the checker must accept (no false alarm from the checks of
 * generics, instantiations, tables and types) and programs it must refuse
 * with the given message. */
static const char *const good_progs[] = {
    /* generic function: T inferred from the arguments, explicit type
     * arguments, a generic extern method bound by the instance */
    "extern void f<T>(in T a, in T b);\n"
    "extern E<T> { E(); void put(in T v); }\n"
    "control c(inout bit<8> x) { E<bit<8>>() e;\n"
    "  apply { f(x, 8w1); f<bit<8>>(x, 1); e.put(x); } }",
    /* a package whose parser and control agree on their types */
    "struct H {} struct M {}\n"
    "parser P<h, m>(out h hd, inout m md);\n"
    "control C<h, m>(inout h hd, inout m md);\n"
    "package S<h, m>(P<h, m> p, C<h, m> c);\n"
    "parser p(out H hd, inout M md) { state start { transition accept; } }\n"
    "control c(inout H hd, inout M md) { apply {} }\n"
    "S(p(), c()) main;",
    /* abstract methods implemented, a constructor argument that types T */
    "extern X<T> { X(T init); abstract T get(in T v); }\n"
    "control c() { X(8w0) x = { bit<8> get(in bit<8> v) { return v; } };\n"
    "  apply {} }",
    /* a generic function returning its type variable, called elsewhere */
    "struct S { bit<8> a; }\n"
    "T pick<T>(in bool c, in T a, in T b) { if (c) { return a; } return b; "
    "}\n"
    "control c(inout S s) { apply { S t = pick(true, s, { a = 1 }); "
    "s = t; } }",
    /* every path returns; const entries with priorities counted on */
    "bit<8> f(in bit<8> a) { if (a > 1) { return a; } else { return 1; } }\n"
    "match_kind { exact, ternary }\n"
    "control c(inout bit<8> k) { action a(bit<8> v) { k = v; }\n"
    "  table t { key = { k : ternary; } actions = { a; }\n"
    "    default_action = a(0);\n"
    "    const entries = { priority = 1 : 1 &&& 1 : a(1); 2 : a(2); } }\n"
    "  apply { t.apply(); } }",
};

static const struct {
    const char *text, *msg;
} bad_progs[] = {
    {"extern void f<T>(in T x);\n"
     "control c() { apply { f(2); } }",
     "could not infer a width for T of f"},
    {"void foo<T>(in T x) {}\n"
     "control c() { apply { foo<bit<8>>(true); } }",
     "does not match bit<8> given for T"},
    {"extern void f<T, U>(in T x);\n"
     "control c() { apply { f<bit<8>>(1); } }",
     "f expects 2 type arguments, got 1"},
    {"struct H {} struct M {}\n"
     "parser P<h, m>(out h hd, inout m md);\n"
     "control C<h, m>(inout h hd, inout m md);\n"
     "package S<h, m>(P<h, m> p, C<h, m> c);\n"
     "parser p(out H hd, inout M md) { state start { transition accept; } }\n"
     "control c(inout M md, inout H hd) { apply {} }\n"
     "S(p(), c()) main;",
     "parameter 'md' of c has type M, but C expects H here"},
    {"extern X { X(); abstract bit<8> get(); }\n"
     "control c() { X() x = { bit<8> got() { return 1; } }; apply {} }",
     "X has no abstract method got"},
    {"extern E { E(bit<8> n); }\n"
     "control c(inout bit<8> v) { E(v) e; apply {} }",
     "only known at run time"},
    {"bit<8> f(in bit<8> a) { if (a > 1) { return a; } }",
     "does not return a value on every path"},
    {"match_kind { exact }\n"
     "control c(inout bit<8> k) { action a(bit<8> v) { k = v; }\n"
     "  table t { key = { k : exact; } actions = { a; } default_action = a;\n"
     "  } apply { t.apply(); } }",
     "default action a of table t needs 1 argument"},
    {"match_kind { exact }\n"
     "control c(inout bit<8> k) { action a(bit<8> v) { k = v; }\n"
     "  table t { key = { k : exact; } actions = { a; } default_action = "
     "a(0);\n"
     "    const entries = { 1 : a(1); 1 : a(2); } }\n"
     "  apply { t.apply(); } }",
     "same keys as an earlier one"},
    {"const tuple<string> x = { \"a\" };", "a tuple cannot hold string"},
    {"header H { bit<8> a; } struct S { bit<8> a; }\n"
     "control c(in H h, in S s, out bool b) { apply { b = h == s; } }",
     "H cannot be compared to S"},
    {"type bit<8> N;\n"
     "control c(inout N n, in bit<8> b) { apply { n = b + b; } }",
     "cannot assign a value of type bit<8> to N without a cast"},
    {"extern e { e(); }\n e() t; e() u;\n @x[t == u] const bit<8> k = 1;",
     "extern instances cannot be compared"},
    /* cycles: each of these crashed (stack overflow) or was accepted */
    {"typedef A B; typedef B A;", "type A is defined in terms of itself"},
    {"struct A { B b; } struct B { A a; }",
     "struct B contains itself through field 'a'"},
    {"enum bit<8> E { X = E.Y, Y = E.X }",
     "this constant is defined in terms of itself"},
    {"bit<8> f(in bit<8> x) { return f(x); }",
     "function f calls itself: P4 has no recursion"},
    {"control a(inout bit<8> v) { b() x; apply { x.apply(v); } }\n"
     "control b(inout bit<8> v) { a() y; apply { y.apply(v); } }",
     "control a instantiates itself through b"},
    {"parser p() { value_set<bit<8>>(4) vs;\n"
     "  state start { transition vs; } }",
     "'vs' is a value_set, not a state"},
    {"struct S<T> { T f; } parser P(); typedef S<P> X;",
     "parser type P cannot be a type argument of struct S"},
};

static void
test_check_generics_and_instances(void)
{
    for (size_t i = 0; i < sizeof good_progs / sizeof good_progs[0]; i++) {
        char *d = NULL;
        int n = compile_text(good_progs[i], &d);
        if (n)
            printf("  good program %zu refused: %s\n", i, d ? d : "");
        CHECK_INT(n, 0);
        free(d);
    }
    for (size_t i = 0; i < sizeof bad_progs / sizeof bad_progs[0]; i++) {
        char *d = NULL;
        int n = compile_text(bad_progs[i].text, &d);
        int found = d && strstr(d, bad_progs[i].msg) && strstr(d, ": error: ");
        if (!n || !found)
            printf("  bad program %zu: expected \"%s\", got: %s\n", i,
                   bad_progs[i].msg, d ? d : "");
        CHECK(n > 0 && found);
        free(d);
    }
}

static void
test_no_crash_on_garbage(void)
{
    /* deep nesting and truncated input are errors, not crashes */
    char deep[3000];
    memset(deep, '(', sizeof deep - 1);
    deep[sizeof deep - 1] = 0;
    char *text = xasprintf("const bit<8> x = %s;", deep);
    CHECK(compile_text(text, NULL) > 0);
    free(text);
    CHECK(compile_text("control", NULL) > 0);
    CHECK(compile_text("@", NULL) > 0);
    CHECK(compile_text("\"unterminated", NULL) > 0);
    CHECK(compile_text("/* open", NULL) > 0);
}

static void
test_p4info_ids(void)
{
    /* ids p4c gives these names (tutorials' basic P4Info) */
    CHECK_INT(p4info_id(0x01, "NoAction"), 21257015);
    CHECK_INT(p4info_id(0x01, "MyIngress.drop"), 25652968);
    CHECK_INT(p4info_id(0x02, "MyIngress.ipv4_lpm"), 37375156);
}

/* A small deterministic fuzzer: random byte edits, token swaps and cuts of
 * a valid program must never crash the parser or the checker (run under
 * ASan/UBSan by tests/run.sh). */
static void
test_fuzz_front_end(void)
{
    static const char *seed_prog =
        "error { NoError, NoMatch }\n"
        "match_kind { exact, ternary, lpm }\n"
        "action NoAction() {}\n"
        "extern void verify(in bool c, in error e);\n"
        "header h_t { bit<8> a; bit<16> b; varbit<32> v; }\n"
        "header_union u_t { h_t x; h_t y; }\n"
        "struct s_t { h_t h; h_t[2] st; u_t u; }\n"
        "enum bit<8> E { A = 1, B = 2 }\n"
        "typedef bit<9> port_t;\n"
        "const bit<8> K = (bit<8>)(3 + 4) << 1;\n"
        "extern ext<T> { ext(bit<32> n); T get<U>(in U x); abstract void f(); "
        "}\n"
        "parser p(inout s_t s) {\n"
        "  value_set<bit<8>>(4) vs;\n"
        "  state start { transition select(s.h.a, s.h.b) {\n"
        "    (1, 0x10 &&& 0xf0): next; (vs, _): accept; default: reject; } }\n"
        "  state next { verify(s.h.a == 1, error.NoMatch); transition accept; "
        "}\n"
        "}\n"
        "control c(inout s_t s, in port_t pt) {\n"
        "  action set(bit<8> v) { s.h.a = v + K; s.h.b = s.h.a ++ 8w1; }\n"
        "  table t { key = { s.h.a : exact; s.h.b & 0xff : ternary "
        "@name(\"k\"); }\n"
        "    actions = { set; @defaultonly NoAction; } const default_action = "
        "set(1);\n"
        "    const entries = { priority = 3: (1, _) : set(2); (2, 4 &&& 4) : "
        "set(3); } }\n"
        "  apply { if (s.h.isValid() && !s.u.x.isValid()) { t.apply(); }\n"
        "    switch (t.apply().action_run) { set: { exit; } default: {} }\n"
        "    s.h.a = s.h.a |+| 8w255; s.h.b = (s.h.a > 2) ? 16w1 : 16w2; } }\n";
    const char *toks[] = {
        "{",      "}",     "(",     ")",   "<",  ">",   ";",  ",",  "bit<8>",
        "header", "state", "apply", "&&&", "..", "@a(", "\"", "/*", "0x",
        "8w",     "int<",  ">>",    "[",   "]",  ".",   "_"};
    unsigned seed = 12345;
    char *d = NULL;
    CHECK_INT(compile_text(seed_prog, &d), 0); /* the seed itself is valid */
    if (d && *d)
        printf("%s", d);
    free(d);
    size_t len = strlen(seed_prog);
    char *buf = xmalloc(len * 2 + 64);
    for (int iter = 0; iter < 4000; iter++) {
        memcpy(buf, seed_prog, len + 1);
        size_t n = len;
        int edits = 1 + (int)(seed % 4);
        for (int e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % n;
            switch ((seed >> 4) % 4) {
            case 0: /* replace a byte */
                buf[pos] = (char)(32 + (seed >> 16) % 95);
                break;
            case 1: /* cut the rest */
                buf[pos] = 0;
                n = pos ? pos : 1;
                break;
            case 2: { /* insert a token */
                const char *t = toks[(seed >> 12) % ARRAY_SIZE(toks)];
                size_t tl = strlen(t);
                if (n + tl < len * 2 + 60) {
                    memmove(buf + pos + tl, buf + pos, n - pos + 1);
                    memcpy(buf + pos, t, tl);
                    n += tl;
                }
                break;
            }
            default: /* delete a span */
                if (pos + 5 < n) {
                    memmove(buf + pos, buf + pos + 5, n - pos - 4);
                    n -= 5;
                }
            }
            if (!n)
                break;
        }
        compile_text(buf, NULL);
    }
    free(buf);
    CHECK(1); /* reaching here without a sanitizer report is the test */
}

int
main(void)
{
    RUN_TEST(test_lex_literals);
    RUN_TEST(test_lex_line_markers);
    RUN_TEST(test_parse_and_check_ok);
    RUN_TEST(test_check_errors);
    RUN_TEST(test_check_generics_and_instances);
    RUN_TEST(test_no_crash_on_garbage);
    RUN_TEST(test_p4info_ids);
    RUN_TEST(test_fuzz_front_end);
    TEST_EXIT();
}
