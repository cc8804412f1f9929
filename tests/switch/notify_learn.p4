// A learning-switch data plane for the notifications tests
// (tests/switch/notify.sh): every frame not matched by its source MAC in smac
// sends a digest {source MAC, ingress port} (learn list 1 of the JSON), and is
// forwarded to the other of ports 1 and 2. smac supports entry timeouts, for
// the ageing (AGE|) messages.
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

struct learn_t {
    bit<48> srcAddr;
    bit<9> port;
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
    action learn() {
        digest<learn_t>(1, {hdr.ethernet.srcAddr, sm.ingress_port});
    }
    action known() {
    }
    table smac {
        key = { hdr.ethernet.srcAddr : exact; }
        actions = { learn; known; }
        default_action = learn();
        support_timeout = true;
        size = 64;
    }
    apply {
        smac.apply();
        if (sm.ingress_port == 1) {
            sm.egress_spec = 2;
        } else {
            sm.egress_spec = 1;
        }
    }
}

control MyEgress(inout headers hdr, inout metadata meta,
                 inout standard_metadata_t sm) {
    apply { }
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
