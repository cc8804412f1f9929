/* log_msg formats its values in decimal, as simple_switch; a failing assert is
 * logged with its source (tests/switch-core/semantics.sh) */
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> a; int<16> s; bit<128> w; }
struct headers { h_t h; }
struct meta_t { }
parser P(packet_in pk, out headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    state start { pk.extract(hdr.h); transition accept; }
}
control V(inout headers hdr, inout meta_t m) { apply {} }
control I(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    apply {
        log_msg("a = {}, s = {}, w = {}", {hdr.h.a, hdr.h.s, hdr.h.w});
        log_msg("plain message");
        assert(hdr.h.a != 5);
        sm.egress_spec = 1;
    }
}
control E(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) { apply { } }
control C(inout headers hdr, inout meta_t m) { apply {} }
control D(packet_out pk, in headers hdr) { apply { pk.emit(hdr.h); } }
V1Switch(P(), V(), I(), E(), C(), D()) main;
