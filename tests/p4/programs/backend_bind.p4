/* Back-end test: one action whose inout parameter two tables bind to
 * different fields (each table runs its own copy of the action). */
#include <core.p4>
#include <v1model.p4>

header h_t {
    bit<8> k;
    bit<8> a;
    bit<8> b;
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
    action inc(inout bit<8> x, bit<8> by) {
        x = x + by;
    }
    table ta {
        key = { hdr.h.k : exact; }
        actions = { inc(hdr.h.a); }
        default_action = inc(hdr.h.a, 1);
    }
    table tb {
        key = { hdr.h.k : exact; }
        actions = { inc(hdr.h.b); }
        default_action = inc(hdr.h.b, 2);
    }
    apply {
        sm.egress_spec = 1;
        ta.apply();
        tb.apply();
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
