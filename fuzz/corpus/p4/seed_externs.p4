header h_t { bit<8> op; bit<32> a; bit<32> b; }
header stack_t { bit<8> v; }
struct hdrs_t { h_t h; stack_t[4] st; }
struct meta_t { bit<32> idx; bit<16> hash; }

parser P(packet_in pk, out hdrs_t h, inout meta_t m,
         inout standard_metadata_t sm) {
    state start { pk.extract(h.h); transition more; }
    state more {
        pk.extract(h.st.next);
        transition select(h.st.last.v) { 0: accept; default: more; }
    }
}
control VC(inout hdrs_t h, inout meta_t m) { apply { } }
control I(inout hdrs_t h, inout meta_t m, inout standard_metadata_t sm) {
    register<bit<32>>(8) regs;
    action compute() {
        hash(m.hash, HashAlgorithm.crc16, 16w0, { h.h.a, h.h.b }, 16w1024);
        regs.read(h.h.b, (bit<32>)h.h.op & 7);
        regs.write((bit<32>)h.h.op & 7, h.h.a + h.h.b);
        h.h.a = (h.h.a << 3) | (bit<32>)m.hash;
    }
    table t {
        key = { h.h.op : ternary; h.st[0].v : exact; }
        actions = { compute; NoAction; }
        const default_action = NoAction();
    }
    apply {
        switch (t.apply().action_run) {
            compute: { sm.egress_spec = 1; }
            default: { sm.egress_spec = 2; }
        }
        if (h.h.op == 0xff) { resubmit_preserving_field_list(0); }
    }
}
control E(inout hdrs_t h, inout meta_t m, inout standard_metadata_t sm) {
    apply { if (sm.egress_port == 2) { h.st.pop_front(1); } }
}
control CC(inout hdrs_t h, inout meta_t m) { apply { } }
control D(packet_out pk, in hdrs_t h) { apply { pk.emit(h); } }
V1Switch(P(), VC(), I(), E(), CC(), D()) main;
