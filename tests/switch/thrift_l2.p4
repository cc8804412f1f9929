// A small L2 program for the Thrift tests (tests/switch/thrift.sh): an exact
// table on the destination MAC (unicast to a port, or to a multicast group)
// with a direct counter and entry timeouts, a ternary ACL on the EtherType with priorities, an
// indirect counter and a register indexed by the ingress port, and an egress
// counter indexed by the egress port (to count multicast copies).
#include <core.p4>
#include <v1model.p4>

header ethernet_t {
    bit<48> dstAddr;
    bit<48> srcAddr;
    bit<16> etherType;
}

struct headers {
    ethernet_t ethernet;
}

struct metadata {
}

parser MyParser(packet_in packet, out headers hdr, inout metadata meta,
                inout standard_metadata_t sm) {
    state start {
        packet.extract(hdr.ethernet);
        transition accept;
    }
}

control MyVerifyChecksum(inout headers hdr, inout metadata meta) {
    apply { }
}

control MyIngress(inout headers hdr, inout metadata meta,
                  inout standard_metadata_t sm) {
    counter(512, CounterType.packets_and_bytes) in_pkts;
    register<bit<32>>(512) last_src;
    direct_counter(CounterType.packets_and_bytes) fwd_hits;

    action drop() {
        mark_to_drop(sm);
    }
    action to_port(bit<9> port) {
        sm.egress_spec = port;
    }
    action to_group(bit<16> grp) {
        sm.mcast_grp = grp;
    }
    action nop() {
    }
    table fwd {
        key = { hdr.ethernet.dstAddr : exact; }
        actions = { to_port; to_group; drop; }
        default_action = drop();
        counters = fwd_hits;
        support_timeout = true;
        size = 64;
    }
    table acl {
        key = { hdr.ethernet.etherType : ternary; }
        actions = { nop; drop; }
        default_action = nop();
        size = 16;
    }
    apply {
        in_pkts.count((bit<32>)sm.ingress_port);
        last_src.write((bit<32>)sm.ingress_port, hdr.ethernet.srcAddr[31:0]);
        fwd.apply();
        acl.apply();
    }
}

control MyEgress(inout headers hdr, inout metadata meta,
                 inout standard_metadata_t sm) {
    counter(512, CounterType.packets) out_pkts;
    apply {
        out_pkts.count((bit<32>)sm.egress_port);
    }
}

control MyComputeChecksum(inout headers hdr, inout metadata meta) {
    apply { }
}

control MyDeparser(packet_out packet, in headers hdr) {
    apply {
        packet.emit(hdr.ethernet);
    }
}

V1Switch(MyParser(), MyVerifyChecksum(), MyIngress(), MyEgress(),
         MyComputeChecksum(), MyDeparser()) main;
