/* Back-end test: a generic header used with two type arguments in one
 * program, laid out with the arguments' widths. */
#include <core.p4>
#include <v1model.p4>

header pair_t<T> {
    T first;
    T second;
}

struct headers_t<T> {
    pair_t<T> narrow;
    pair_t<bit<16>> wide;
}

struct meta_t {
}

parser P(packet_in pkt, out headers_t<bit<8>> hdr, inout meta_t m,
         inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.narrow);
        pkt.extract(hdr.wide);
        transition accept;
    }
}

control I(inout headers_t<bit<8>> hdr, inout meta_t m,
          inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        hdr.narrow.first = hdr.narrow.second;
        hdr.wide.second = hdr.wide.first;
    }
}

control E(inout headers_t<bit<8>> hdr, inout meta_t m,
          inout standard_metadata_t sm) {
    apply { }
}

control VC(inout headers_t<bit<8>> hdr, inout meta_t m) {
    apply { }
}

control CC(inout headers_t<bit<8>> hdr, inout meta_t m) {
    apply { }
}

control D(packet_out pkt, in headers_t<bit<8>> hdr) {
    apply {
        pkt.emit(hdr);
    }
}

V1Switch(P(), VC(), I(), E(), CC(), D()) main;
