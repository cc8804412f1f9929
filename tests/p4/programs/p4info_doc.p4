// p4info_doc.p4 - @brief/@description become P4Info doc fields (tests/p4/p4info_formats.sh)
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> f; }
struct H { h_t h; }
struct M {}
parser P(packet_in p, out H h, inout M m, inout standard_metadata_t sm) {
    state start { p.extract(h.h); transition accept; }
}
control C(inout H h, inout M m) { apply {} }
control I(inout H h, inout M m, inout standard_metadata_t sm) {
    @brief("sets the port") @description("a longer text")
    action fwd(@brief("the port") bit<9> port) { sm.egress_spec = port; }
    @brief("forwarding")
    table t {
        key = { h.h.f : exact @brief("the f field"); }
        actions = { fwd; }
    }
    apply { t.apply(); }
}
control E(inout H h, inout M m, inout standard_metadata_t sm) { apply {} }
control D(packet_out p, in H h) { apply { p.emit(h.h); } }
@brief("a test package")
V1Switch(P(), C(), I(), E(), C(), D()) main;
