#include <core.p4>
#include <v1model.p4>

/* egress's packet_length counts the bytes of headers made valid or invalid
 * in ingress (simple_switch's add_header / remove_header). */
header h_t { bit<8> a; bit<8> b; }
header len_t { bit<32> ingress_len; bit<32> egress_len; }
struct headers { h_t h; len_t len; }
struct meta_t { }

parser P(packet_in pk, out headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    state start { pk.extract(hdr.h); transition accept; }
}
control V(inout headers hdr, inout meta_t m) { apply {} }
control I(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    apply {
        sm.egress_spec = 1;
        if (hdr.h.a == 1) {
            /* back to where it was: no change in length */
            hdr.h.setInvalid();
            hdr.h.setValid();
            hdr.h.a = 0x11;
        }
        hdr.len.setValid();
        hdr.len.ingress_len = sm.packet_length;
        if (hdr.h.a == 2)
            hdr.h.setInvalid();
    }
}
control E(inout headers hdr, inout meta_t m, inout standard_metadata_t sm) {
    apply { hdr.len.egress_len = sm.packet_length; }
}
control C(inout headers hdr, inout meta_t m) { apply {} }
control D(packet_out pk, in headers hdr) { apply { pk.emit(hdr.len); pk.emit(hdr.h); } }
V1Switch(P(), V(), I(), E(), C(), D()) main;
