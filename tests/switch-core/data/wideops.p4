/* Header copies and hash inputs with 128-bit fields (tests/switch-core/semantics.sh) */
#include <core.p4>
#include <v1model.p4>
header eth_t { bit<48> dst; bit<48> src; bit<16> type; }
header ipv6_t { bit<4> version; bit<8> tc; bit<20> fl; bit<16> plen; bit<8> nh; bit<8> hl; bit<128> src; bit<128> dst; }
struct headers { eth_t eth; ipv6_t ipv6; ipv6_t copy; }
struct meta_t { bit<32> h; }
parser P(packet_in pk, out headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    state start { pk.extract(hdr.eth); pk.extract(hdr.ipv6); transition accept; }
}
control V(inout headers hdr, inout meta_t m) { apply {} }
control I(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        hdr.copy = hdr.ipv6;
        hash(m.h, HashAlgorithm.crc32, 32w0, {hdr.ipv6.src, hdr.ipv6.dst}, 32w0xffffffff);
        hdr.eth.src = (bit<48>)m.h;
    }
}
control E(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) { apply {} }
control C(inout headers hdr, inout meta_t m) { apply {} }
control D(packet_out pk, in headers hdr) { apply { pk.emit(hdr.eth); pk.emit(hdr.ipv6); pk.emit(hdr.copy); } }
V1Switch(P(), V(), I(), E(), C(), D()) main;
