/* Back-end test: one table applied at several places with different
 * continuations (both branches of an if, twice in a row, and with hit at
 * one place). */
#include <core.p4>
#include <v1model.p4>

header h_t {
    bit<8> k;
    bit<8> path;
    bit<8> n;
    bit<8> hits;
}

struct headers {
    h_t h;
}

struct meta_t {
}

parser P(packet_in pkt, out headers hdr, inout meta_t m,
         inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.h);
        transition accept;
    }
}

control I(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    action count() {
        hdr.h.n = hdr.h.n + 1;
    }
    table t {
        key = { hdr.h.k : exact; }
        actions = { count; NoAction; }
        const entries = { 1 : count(); }
        default_action = NoAction();
    }
    apply {
        sm.egress_spec = 1;
        if (hdr.h.path == 0) {
            t.apply();
            hdr.h.path = 0xa0;
        } else if (hdr.h.path == 1) {
            t.apply();
            t.apply();
            hdr.h.path = 0xb0;
        } else {
            if (t.apply().hit) {
                hdr.h.hits = 1;
            }
            hdr.h.path = 0xc0;
        }
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

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
