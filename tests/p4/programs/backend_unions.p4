/* Back-end test: a stack of header unions indexed at run time (validity,
 * fields, setValid, assignment of a whole union), extracts into u.next.h,
 * a value set declared in a sub-parser, hash and checksum inputs that are
 * expressions, and arguments bound in a table's actions list that call a
 * function. */
#include <core.p4>
#include <v1model.p4>

header a_t {
    bit<8> x;
}

header b_t {
    bit<16> y;
}

header_union u_t {
    a_t a;
    b_t b;
}

header sel_t {
    bit<8> kind0;
    bit<8> kind1;
    bit<8> i;
    bit<8> tag;
}

header res_t {
    bit<16> h;
    bit<16> z;
}

struct headers {
    sel_t s;
    u_t[2] u;
    res_t r;
}

struct meta_t {
}

parser Tagger(packet_in pkt, inout sel_t s) {
    value_set<bit<8>>(4) special;
    state start {
        transition select(s.tag) {
            special: mark;
            default: accept;
        }
    }
    state mark {
        s.tag = 0xee;
        transition accept;
    }
}

parser P(packet_in pkt, out headers hdr, inout meta_t m,
         inout standard_metadata_t sm) {
    Tagger() tagger;
    state start {
        pkt.extract(hdr.s);
        tagger.apply(pkt, hdr.s);
        transition select(hdr.s.kind0) {
            1: a0;
            default: b0;
        }
    }
    state a0 {
        pkt.extract(hdr.u.next.a);
        transition second;
    }
    state b0 {
        pkt.extract(hdr.u.next.b);
        transition second;
    }
    state second {
        transition select(hdr.s.kind1) {
            1: a1;
            default: b1;
        }
    }
    state a1 {
        pkt.extract(hdr.u.next.a);
        transition finish;
    }
    state b1 {
        pkt.extract(hdr.u.next.b);
        transition finish;
    }
    state finish {
        pkt.extract(hdr.r);
        transition accept;
    }
}

bit<16> bump(inout bit<16> v) {
    v = v | 7;
    return v >> 1;
}

control I(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    action add(in bit<16> p, in bit<16> q) {
        hdr.r.z = p + q;
    }
    table t {
        key = { hdr.s.tag : exact; }
        actions = { add(bump(hdr.r.h), bump(hdr.r.h)); NoAction; }
        const entries = { 0xee : add(); }
        default_action = NoAction();
    }
    apply {
        sm.egress_spec = 1;
        if (hdr.u[hdr.s.i].a.isValid()) {
            hdr.u[hdr.s.i].a.x = 0xaa;
        } else {
            hdr.u[hdr.s.i].b.setValid();
            hdr.u[hdr.s.i].b.y = 0xbbbb;
        }
        hdr.u[1] = hdr.u[hdr.s.i];
        t.apply();
        if (hdr.s.tag == 0x77) {
            hash(hdr.r.h, HashAlgorithm.identity, 16w0,
                 { hdr.r.h ^ 16w0x00ff }, 32w65536);
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
