// p4info_ids.p4 - P4Info ids: @id(N) is taken as given (with the kind's
// prefix byte when N has none), the others are name hashes
// (tests/p4/p4info_formats.sh)
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
    @id(7) action fwd(bit<9> port) { sm.egress_spec = port; }
    @id(0x02000010) table t {
        key = { h.h.f : exact; }
        actions = { fwd; }
    }
    @id(0x20) counter(8, CounterType.packets) c;
    apply { t.apply(); c.count(0); }
}
control E(inout H h, inout M m, inout standard_metadata_t sm) { apply {} }
control D(packet_out p, in H h) { apply { p.emit(h.h); } }
V1Switch(P(), C(), I(), E(), C(), D()) main;
