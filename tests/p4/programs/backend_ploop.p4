/* Back-end test: a parser loop extracting hs[i] with i a parser local
 * (each state lowered per value of i), and running past the stack's end
 * (the StackOutOfBounds parser error). */
#include <core.p4>
#include <v1model.p4>

header hop_t {
    bit<1> bos;
    bit<7> port;
}

header tail_t {
    bit<8> v;
}

struct headers {
    hop_t[3] hops;
    tail_t tail;
}

struct meta_t {
}

parser P(packet_in pkt, out headers hdr, inout meta_t m,
         inout standard_metadata_t sm) {
    bit<8> i;
    state start {
        i = 0;
        transition hop;
    }
    state hop {
        pkt.extract(hdr.hops[i]);
        i = i + 1;
        hdr.hops[i - 1].port = hdr.hops[i - 1].port + 1;
        transition select(hdr.hops[i - 1].bos) {
            1: last;
            default: hop;
        }
    }
    state last {
        pkt.extract(hdr.tail);
        transition accept;
    }
}

control I(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        if (sm.parser_error == error.StackOutOfBounds) {
            hdr.tail.setValid();
            hdr.tail.v = 0xee;
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
