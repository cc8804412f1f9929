#include <core.p4>
#include <v1model.p4>

header eth_t { bit<48> dst; bit<48> src; bit<16> type; }
header big_t {
    bit<256> a;
    bit<256> b;
    bit<200> c;
    int<256> s;
    bit<8>   op;
}
struct headers { eth_t eth; big_t big; }
struct meta_t { bit<256> m; }

parser P(packet_in pk, out headers h, inout meta_t m, inout standard_metadata_t sm) {
    state start {
        pk.extract(h.eth);
        transition select(h.eth.type) { 0x88b5: big; default: accept; }
    }
    state big {
        pk.extract(h.big);
        transition select(h.big.a) {
            256w0xdead: tagged;
            default: accept;
        }
    }
    state tagged {
        h.big.op = 6;
        transition accept;
    }
}
control V(inout headers h, inout meta_t m) { apply {} }
control I(inout headers h, inout meta_t m, inout standard_metadata_t sm) {
    action set_b(bit<256> v, bit<9> port) { h.big.b = v; sm.egress_spec = port; }
    action add_b(bit<256> v) { h.big.b = h.big.b + v; sm.egress_spec = 2; }
    action drop() { mark_to_drop(sm); }
    register<bit<256>>(4) r;
    table exact_t {
        key = { h.big.a : exact; }
        actions = { set_b; add_b; drop; }
        default_action = drop();
    }
    table tern_t {
        key = { h.big.a : ternary; h.big.c : lpm; }
        actions = { set_b; add_b; NoAction; }
        default_action = NoAction();
    }
    apply {
        if (!h.big.isValid()) { mark_to_drop(sm); return; }
        if (h.big.op == 1) {
            exact_t.apply();
        } else if (h.big.op == 2) {
            tern_t.apply();
        } else if (h.big.op == 3) {
            h.big.b = (h.big.a ^ h.big.b) + (h.big.a >> 130);
            h.big.c = (bit<200>)(h.big.a << 3);
            h.big.s = h.big.s - 1;
            sm.egress_spec = 3;
        } else if (h.big.op == 4) {
            if (h.big.a > h.big.b) { h.big.op = 0x41; } else { h.big.op = 0x42; }
            if (h.big.s < 0) { h.big.c = 1; } else { h.big.c = 2; }
            sm.egress_spec = 4;
        } else if (h.big.op == 5) {
            m.m = h.big.a * 3;
            h.big.b = m.m;
            h.big.c = (bit<200>)(h.big.a / 7);
            h.big.s = -h.big.s;
            sm.egress_spec = 5;
        } else if (h.big.op == 6) {
            sm.egress_spec = 6;
        } else if (h.big.op == 7) {
            r.write(1, h.big.a);
            sm.egress_spec = 7;
        } else if (h.big.op == 8) {
            r.read(h.big.b, 1);
            sm.egress_spec = 8;
        }
    }
}
control E(inout headers h, inout meta_t m, inout standard_metadata_t sm) { apply {} }
control C(inout headers h, inout meta_t m) { apply {} }
control D(packet_out pk, in headers h) { apply { pk.emit(h.eth); pk.emit(h.big); } }
V1Switch(P(), V(), I(), E(), C(), D()) main;
