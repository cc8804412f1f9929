/* Back-end test: a control's apply parameter with a default value and a
 * struct parameter defaulting to an initializer, a table whose key reads
 * another table's hit, == between a struct and a constant initializer, a
 * field of a looked-ahead struct, a loop whose body updates its variable,
 * and a constructor parameter of the V1Switch parser. */
#include <core.p4>
#include <v1model.p4>

header h_t {
    bit<8> a;
    bit<8> b;
    bit<8> c;
    bit<8> d;
}

struct pair_t {
    bit<8> x;
    bit<8> y;
}

struct look_t {
    bit<8> first;
    bit<8> second;
}

struct headers {
    h_t h;
}

struct meta_t {
    pair_t p;
    bit<8> peek;
}

const pair_t SPECIAL = { 1, 2 };

parser P(packet_in pkt, out headers hdr, inout meta_t m,
         inout standard_metadata_t sm)(bool skip_peek) {
    state start {
        transition select(skip_peek) {
            true: parse_h;
            false: peek;
        }
    }
    state peek {
        m.peek = pkt.lookahead<look_t>().second;
        transition parse_h;
    }
    state parse_h {
        pkt.extract(hdr.h);
        transition accept;
    }
}

control Shift(out bit<8> x, in bit<8> y = 20) {
    apply {
        x = y >> 2;
    }
}

control Sum(inout bit<8> x, in pair_t q = { 3, 4 }) {
    apply {
        x = x + q.x + q.y;
    }
}

control I(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    table sub {
        key = { hdr.h.a : exact; }
        actions = { NoAction; }
        const entries = { 7 : NoAction(); }
    }
    action set_d(bit<8> v) {
        hdr.h.d = v;
    }
    table top {
        key = { sub.apply().hit : exact; }
        actions = { set_d; }
        const entries = {
            true : set_d(0x11);
            false : set_d(0x22);
        }
    }
    apply {
        top.apply();
        Shift.apply(hdr.h.b);
        Sum.apply(hdr.h.c);
        m.p = { hdr.h.a, 2 };
        if (m.p == SPECIAL) {
            hdr.h.c = hdr.h.c + 0x40;
        }
        bit<8> n = 0;
        for (bit<8> i = 0; i < 8; i = i + 1) {
            i = i + 1;
            n = n + 1;
        }
        hdr.h.b = hdr.h.b + n + m.peek;
        sm.egress_spec = 1;
    }
}

control E(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    apply { }
}

control VC(inout headers hdr, inout meta_t m) {
    apply { }
}

control CC(inout headers hdr, inout meta_t m) {
    apply { }
}

control D(packet_out pkt, in headers hdr) {
    apply {
        pkt.emit(hdr);
    }
}

V1Switch(P(false), VC(), I(), E(), CC(), D()) main;
