/* IPv6 routing: 128-bit lpm key and parameter (tests/switch-core/semantics.sh) */
#include <core.p4>
#include <v1model.p4>
header eth_t { bit<48> dst; bit<48> src; bit<16> type; }
header ipv6_t { bit<4> version; bit<8> tc; bit<20> fl; bit<16> plen; bit<8> nh; bit<8> hl; bit<128> src; bit<128> dst; }
struct headers { eth_t eth; ipv6_t ipv6; }
struct meta_t { }
parser P(packet_in pk, out headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    state start { pk.extract(hdr.eth); transition select(hdr.eth.type) { 0x86dd: v6; default: accept; } }
    state v6 { pk.extract(hdr.ipv6); transition accept; }
}
control V(inout headers hdr, inout meta_t m) { apply {} }
control I(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    action fwd(bit<9> port, bit<128> nsrc) { sm.egress_spec = port; hdr.ipv6.src = nsrc; hdr.ipv6.hl = hdr.ipv6.hl - 1; }
    action drop() { mark_to_drop(sm); }
    table route { key = { hdr.ipv6.dst : lpm; } actions = { fwd; drop; } default_action = drop(); }
    apply { if (hdr.ipv6.isValid()) route.apply(); }
}
control E(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) { apply {} }
control C(inout headers hdr, inout meta_t m) { apply {} }
control D(packet_out pk, in headers hdr) { apply { pk.emit(hdr.eth); pk.emit(hdr.ipv6); } }
V1Switch(P(), V(), I(), E(), C(), D()) main;
