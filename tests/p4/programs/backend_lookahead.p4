/* Back-end test: a parser local struct holding a header stack set by
 * lookahead and selected on, and functions returning a header and a header
 * stack used through isValid(). */
#include <core.p4>
#include <v1model.p4>

header b_t {
    bit<8> v;
}

struct peek_t {
    b_t[3] s;
}

struct headers {
    b_t[3] s;
    b_t res;
}

struct meta_t {
    bit<8> n;
}

parser P(packet_in pkt, out headers hdr, inout meta_t m,
         inout standard_metadata_t sm) {
    state start {
        peek_t l;
        l = pkt.lookahead<peek_t>();
        transition select(l.s[0].v, l.s[1].v, l.s[2].v) {
            (1, _, _): one;
            (0, 1, _): two;
            default: none;
        }
    }
    state one {
        pkt.extract(hdr.s.next);
        m.n = 1;
        transition accept;
    }
    state two {
        pkt.extract(hdr.s.next);
        pkt.extract(hdr.s.next);
        m.n = 2;
        transition accept;
    }
    state none {
        m.n = 0xff;
        transition accept;
    }
}

b_t fresh() {
    b_t h;
    return h;
}

b_t[2] pair(in bit<8> x) {
    b_t[2] p;
    p[1].setValid();
    p[1].v = x;
    return p;
}

control I(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        hdr.res.setValid();
        hdr.res.v = m.n;
        if (fresh().isValid()) {
            hdr.res.v = 0x55;
        }
        if (pair(m.n)[1].isValid() && !pair(m.n)[0].isValid()) {
            hdr.res.v = hdr.res.v + 0x10;
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
