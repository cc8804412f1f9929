header eth_t { bit<48> dst; bit<48> src; bit<16> type; }
header ip4_t {
    bit<4> ver; bit<4> ihl; bit<8> tos; bit<16> len; bit<16> id;
    bit<3> flags; bit<13> frag; bit<8> ttl; bit<8> proto; bit<16> csum;
    bit<32> src; bit<32> dst;
}
struct hdrs_t { eth_t eth; ip4_t ip; }
struct meta_t { bit<9> port; }

parser P(packet_in pk, out hdrs_t h, inout meta_t m,
         inout standard_metadata_t sm) {
    state start {
        pk.extract(h.eth);
        transition select(h.eth.type) { 0x800: ip; default: accept; }
    }
    state ip { pk.extract(h.ip); transition accept; }
}
control VC(inout hdrs_t h, inout meta_t m) { apply { } }
control I(inout hdrs_t h, inout meta_t m, inout standard_metadata_t sm) {
    counter(16, CounterType.packets) hits;
    action drop() { mark_to_drop(sm); }
    action fwd(bit<9> port, bit<48> mac) {
        sm.egress_spec = port;
        h.eth.dst = mac;
        h.ip.ttl = h.ip.ttl - 1;
        hits.count((bit<32>)port);
    }
    table route {
        key = { h.ip.dst : lpm; }
        actions = { fwd; drop; }
        default_action = drop();
        size = 64;
    }
    apply { if (h.ip.isValid() && h.ip.ttl > 1) route.apply(); else drop(); }
}
control E(inout hdrs_t h, inout meta_t m, inout standard_metadata_t sm) {
    apply { }
}
control CC(inout hdrs_t h, inout meta_t m) {
    apply {
        update_checksum(h.ip.isValid(),
            { h.ip.ver, h.ip.ihl, h.ip.tos, h.ip.len, h.ip.id, h.ip.flags,
              h.ip.frag, h.ip.ttl, h.ip.proto, h.ip.src, h.ip.dst },
            h.ip.csum, HashAlgorithm.csum16);
    }
}
control D(packet_out pk, in hdrs_t h) { apply { pk.emit(h.eth); pk.emit(h.ip); } }
V1Switch(P(), VC(), I(), E(), CC(), D()) main;
