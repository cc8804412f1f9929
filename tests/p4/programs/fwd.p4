/* A small forwarding program of our own, for the compiler's golden tests. */
#include <core.p4>
#include <v1model.p4>

header eth_t {
    bit<48> dst;
    bit<48> src;
    bit<16> type;
}

struct headers_t {
    eth_t eth;
}

struct meta_t {
    bit<8> tag;
}

parser prs(packet_in pkt, out headers_t hdr, inout meta_t meta,
           inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.eth);
        transition select(hdr.eth.type) {
            0x0800 &&& 0xff00: accept;
            default: accept;
        }
    }
}

control vrfy(inout headers_t hdr, inout meta_t meta) {
    apply { }
}

control ingress(inout headers_t hdr, inout meta_t meta,
                inout standard_metadata_t sm) {
#ifdef WITH_COUNTER
    counter(16, CounterType.packets) hits;
#endif
    action drop() {
        mark_to_drop(sm);
    }
    action set_port(bit<9> port) {
        sm.egress_spec = port;
        meta.tag = meta.tag + 1;
#ifdef WITH_COUNTER
        hits.count((bit<32>)port);
#endif
    }
    table fwd {
        key = {
            hdr.eth.dst: exact;
            sm.ingress_port: ternary;
        }
        actions = {
            set_port;
            drop;
        }
        size = 64;
        default_action = drop();
    }
#ifdef WITH_UNUSED_TABLE
    table spare {
        key = { hdr.eth.src: exact; }
        actions = { drop; }
        default_action = drop();
    }
    bit<8> small = 300;
#endif
    apply {
        if (hdr.eth.isValid()) {
            fwd.apply();
        }
    }
}

control egress(inout headers_t hdr, inout meta_t meta,
               inout standard_metadata_t sm) {
    apply { }
}

control update(inout headers_t hdr, inout meta_t meta) {
    apply { }
}

control deparse(packet_out pkt, in headers_t hdr) {
    apply {
        pkt.emit(hdr.eth);
    }
}

V1Switch(prs(), vrfy(), ingress(), egress(), update(), deparse()) main;
