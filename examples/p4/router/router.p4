/* router.p4 - a small IPv4 router for the fop4 examples. The longest-prefix
 * match on the destination picks the next hop's MAC and the output port; the
 * router rewrites the Ethernet addresses (its port MAC from the port_mac
 * table), decrements the TTL (dropping at 0) and recomputes the IPv4 header
 * checksum. Frames that are not IPv4 are dropped: hosts use static ARP entries
 * for their gateway. Entries: s1-runtime.json (the p4lang tutorials' format). */
#include <core.p4>
#include <v1model.p4>

typedef bit<48> mac_t;
typedef bit<32> ip4_t;
typedef bit<9> port_t;

const bit<16> TYPE_IPV4 = 0x0800;

header ethernet_t {
    mac_t dst;
    mac_t src;
    bit<16> ether_type;
}

header ipv4_t {
    bit<4> version;
    bit<4> ihl;
    bit<8> diffserv;
    bit<16> total_len;
    bit<16> identification;
    bit<3> flags;
    bit<13> frag_offset;
    bit<8> ttl;
    bit<8> protocol;
    bit<16> hdr_checksum;
    ip4_t src;
    ip4_t dst;
}

struct headers_t {
    ethernet_t eth;
    ipv4_t ipv4;
}

struct meta_t {
}

parser RParser(packet_in pkt, out headers_t hdr, inout meta_t meta,
               inout standard_metadata_t smeta) {
    state start {
        pkt.extract(hdr.eth);
        transition select(hdr.eth.ether_type) {
            TYPE_IPV4: parse_ipv4;
            default: accept;
        }
    }
    state parse_ipv4 {
        pkt.extract(hdr.ipv4);
        transition accept;
    }
}

control RVerifyChecksum(inout headers_t hdr, inout meta_t meta) {
    apply { }
}

control RIngress(inout headers_t hdr, inout meta_t meta,
                 inout standard_metadata_t smeta) {
    action drop() {
        mark_to_drop(smeta);
    }
    action set_nhop(mac_t nhop_mac, port_t port) {
        hdr.eth.dst = nhop_mac;
        smeta.egress_spec = port;
        hdr.ipv4.ttl = hdr.ipv4.ttl - 1;
    }
    table ipv4_lpm {
        key = { hdr.ipv4.dst: lpm; }
        actions = { set_nhop; drop; }
        default_action = drop();
        size = 1024;
    }
    apply {
        if (hdr.ipv4.isValid() && hdr.ipv4.ttl > 1) {
            ipv4_lpm.apply();
        } else {
            drop();
        }
    }
}

control REgress(inout headers_t hdr, inout meta_t meta,
                inout standard_metadata_t smeta) {
    action set_smac(mac_t mac) {
        hdr.eth.src = mac;
    }
    table port_mac {
        key = { smeta.egress_port: exact; }
        actions = { set_smac; NoAction; }
        default_action = NoAction();
    }
    apply {
        port_mac.apply();
    }
}

control RComputeChecksum(inout headers_t hdr, inout meta_t meta) {
    apply {
        update_checksum(hdr.ipv4.isValid(),
            { hdr.ipv4.version, hdr.ipv4.ihl, hdr.ipv4.diffserv, hdr.ipv4.total_len,
              hdr.ipv4.identification, hdr.ipv4.flags, hdr.ipv4.frag_offset,
              hdr.ipv4.ttl, hdr.ipv4.protocol, hdr.ipv4.src, hdr.ipv4.dst },
            hdr.ipv4.hdr_checksum, HashAlgorithm.csum16);
    }
}

control RDeparser(packet_out pkt, in headers_t hdr) {
    apply {
        pkt.emit(hdr.eth);
        pkt.emit(hdr.ipv4);
    }
}

V1Switch(RParser(), RVerifyChecksum(), RIngress(), REgress(), RComputeChecksum(),
         RDeparser()) main;
