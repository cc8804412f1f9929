/* Back-end test: headers assigned under a condition in an action, a header
 * picked at run time passed to an action's inout parameter, a slice of a
 * slice as lvalue, a tuple local whose first element is read before a
 * later call changes it, and a control applied through a constructor
 * parameter (two applies of one instance). */
#include <core.p4>
#include <v1model.p4>

header h_t {
    bit<8> a;
    bit<8> b;
    bit<16> c;
}

struct headers {
    h_t h;
    h_t[2] s;
}

struct meta_t {
    bit<8> i;
}

parser P(packet_in pkt, out headers hdr, inout meta_t m,
         inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.h);
        pkt.extract(hdr.s.next);
        pkt.extract(hdr.s.next);
        transition accept;
    }
}

control CountT(inout bit<8> x);

control Count(inout bit<8> x) {
    apply {
        x = x + 1;
    }
}

control Twice(inout bit<8> x)(CountT c) {
    apply {
        c.apply(x);
        c.apply(x);
    }
}

bit<8> bump(inout bit<8> v) {
    v = v + 1;
    return 8w10;
}

control I(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    Count() cnt;
    Twice(cnt) tw;
    action sel(bit<8> k) {
        if (k == 1) {
            hdr.s[0] = hdr.s[1];
        }
    }
    action drop_hdr(inout h_t hd) {
        hd.setInvalid();
    }
    table t {
        key = { hdr.h.a : exact; }
        actions = { sel; }
        default_action = sel(1);
    }
    apply {
        t.apply();
        bit<8> n = 0xff;
        n[7:4][1:0] = 0;
        hdr.h.b = n;
        tuple<bit<8>, bit<8>> tp = { hdr.h.a, bump(hdr.h.a) };
        hdr.h.c = tp[0] ++ tp[1];
        m.i = 1;
        drop_hdr(hdr.s[m.i]);
        tw.apply(hdr.h.a);
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

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
