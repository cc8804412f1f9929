/* Our own test program: an if inside a parser state, a function returning a
 * value, a header stack indexed at run time, a table hit used inside an
 * expression and a loop, checked by parser_if.stf. */
#include <core.p4>
#include <v1model.p4>

header eth_t {
    bit<48> dst;
    bit<48> src;
    bit<16> type;
}

header tag_t {
    bit<8> v;
}

struct headers_t {
    eth_t eth;
    tag_t[2] tags;
}

struct meta_t {
    bit<9> port;
    bit<1> idx;
}

bit<9> twice(in bit<9> x) {
    return x + x;
}

parser prs(packet_in pkt, out headers_t hdr, inout meta_t meta,
           inout standard_metadata_t sm) {
    state start {
        pkt.extract(hdr.eth);
        pkt.extract(hdr.tags.next);
        pkt.extract(hdr.tags.next);
        if (hdr.eth.type == 0x0800) {
            meta.port = 1;
        } else {
            meta.port = 2;
        }
        meta.idx = hdr.eth.dst[0:0];
        transition accept;
    }
}

control vrfy(inout headers_t hdr, inout meta_t meta) {
    apply { }
}

control ingress(inout headers_t hdr, inout meta_t meta,
                inout standard_metadata_t sm) {
    action nop() { }
    table known {
        key = { hdr.eth.src: exact; }
        actions = { nop; NoAction; }
        const entries = { 0x000000000001 : nop(); }
    }
    apply {
        /* port 1 or 2 from the parser, doubled for known sources */
        if (known.apply().hit && hdr.eth.type != 0) {
            sm.egress_spec = twice(meta.port);
        } else {
            sm.egress_spec = meta.port;
        }
        /* the tag chosen by the low bit of dst is incremented */
        hdr.tags[meta.idx].v = hdr.tags[meta.idx].v + 1;
        /* a loop with constant bounds: unrolled, tag 0 gets 3 more */
        for (bit<8> k = 0; k < 3; k = k + 1) {
            hdr.tags[0].v = hdr.tags[0].v + 1;
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
        pkt.emit(hdr);
    }
}

V1Switch(prs(), vrfy(), ingress(), egress(), update(), deparse()) main;
