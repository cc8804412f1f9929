/* Back-end test: statements in actions that "?:" predication cannot
 * express run under BMv2 jumps: setValid, an extern call and exit under a
 * condition, a switch with fall-through and default, a header set from a
 * list (valid) under a condition; a condition saved before its branch
 * changes what it reads. */
#include <core.p4>
#include <v1model.p4>

header h_t {
    bit<8> op;
    bit<8> x;
    bit<8> y;
}

header e_t {
    bit<8> v;
}

struct headers {
    h_t h;
    e_t e;
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
    action act() {
        if (hdr.h.op == 1) {
            hdr.e.setValid();
            hdr.e.v = 0xee;
        }
        switch (hdr.h.op) {
            2: { hdr.h.x = 0x22; }
            3:
            4: { hdr.h.x = 0x34; }
            default: { hdr.h.x = 0xdd; }
        }
        if (hdr.h.op == 5) {
            mark_to_drop(sm);
        }
        if (hdr.h.op == 7) {
            hdr.e = { 0x77 };
        }
        if (hdr.h.op == 6) {
            hdr.h.y = 0x66;
            exit;
        }
        if (hdr.h.op == 8) {
            hdr.h.op = 9;
            hdr.h.y = 0x99;
        }
        hdr.h.y = hdr.h.y | 0x70;
    }
    table t {
        key = { hdr.h.op : exact; }
        actions = { act; }
        default_action = act();
    }
    apply {
        sm.egress_spec = 1;
        t.apply();
        hdr.h.y = hdr.h.y + 1;
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
