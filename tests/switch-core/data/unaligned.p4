/* Fields wider than 64 bits at offsets that are not byte-aligned:
 * extracted, computed on, matched and emitted (tests/switch-core/semantics.sh) */
#include <core.p4>
#include <v1model.p4>
header u_t { bit<3> x; bit<100> y; bit<130> z; bit<7> pad; }
struct headers { u_t u; }
struct meta_t { }
parser P(packet_in pk, out headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    state start { pk.extract(hdr.u); transition accept; }
}
control V(inout headers hdr, inout meta_t m) { apply {} }
control I(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    action mark(bit<7> v) { hdr.u.pad = v; }
    table t { key = { hdr.u.z : exact; } actions = { mark; NoAction; } default_action = NoAction(); }
    apply {
        sm.egress_spec = 1;
        t.apply();
        hdr.u.x = hdr.u.x + 1;
        hdr.u.y = hdr.u.y + 1;
        hdr.u.z = hdr.u.z ^ (bit<130>)hdr.u.y;
    }
}
control E(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) { apply {} }
control C(inout headers hdr, inout meta_t m) { apply {} }
control D(packet_out pk, in headers hdr) { apply { pk.emit(hdr.u); } }
V1Switch(P(), V(), I(), E(), C(), D()) main;
