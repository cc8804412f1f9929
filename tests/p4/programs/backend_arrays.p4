/* Back-end test: arrays of bits in a header (fields "arr[i]") and in
 * metadata, indexed with constants. */
#include <core.p4>
#include <v1model.p4>

header d_t {
    bit<16> f;
    bit<8>[4] arr;
}

struct headers {
    d_t d;
}

struct meta_t {
    bit<8>[2] tmp;
}

parser P(packet_in pkt, out headers hdr, inout meta_t m,
         inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.d);
        transition accept;
    }
}

control I(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        m.tmp[0] = hdr.d.f[7:0];
        m.tmp[1] = hdr.d.f[15:8];
        hdr.d.arr[3] = m.tmp[0];
        hdr.d.arr[2] = m.tmp[1];
        hdr.d.arr[0] = hdr.d.arr[0] + hdr.d.arr[1];
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
