/* l2switch.p4 - a small L2 switch for the fop4 examples: frames go to the port
 * that the dmac table names for their destination MAC; unknown destinations and
 * broadcasts are flooded through multicast group 1 (every port but the one the
 * frame came in on). Table entries and the group are in s1-commands.txt. */
#include <core.p4>
#include <v1model.p4>

#include "headers.p4"

parser L2Parser(packet_in pkt, out headers_t hdr, inout meta_t meta,
                inout standard_metadata_t smeta) {
    state start {
        pkt.extract(hdr.eth);
        transition accept;
    }
}

control L2VerifyChecksum(inout headers_t hdr, inout meta_t meta) {
    apply { }
}

control L2Ingress(inout headers_t hdr, inout meta_t meta,
                  inout standard_metadata_t smeta) {
    counter(MAX_PORTS, CounterType.packets_and_bytes) rx_frames;

    action drop() {
        mark_to_drop(smeta);
    }
    action forward(port_t port) {
        smeta.egress_spec = port;
    }
    action flood() {
        smeta.mcast_grp = FLOOD_GROUP;
    }
    table dmac {
        key = { hdr.eth.dst: exact; }
        actions = { forward; flood; drop; }
        default_action = flood();
        size = 4096;
    }
    apply {
        rx_frames.count((bit<32>)smeta.ingress_port);
        dmac.apply();
    }
}

control L2Egress(inout headers_t hdr, inout meta_t meta,
                 inout standard_metadata_t smeta) {
    apply {
        /* a flooded copy never goes back out of the port it came in on */
        if (smeta.mcast_grp == FLOOD_GROUP && smeta.egress_port == smeta.ingress_port) {
            mark_to_drop(smeta);
        }
    }
}

control L2ComputeChecksum(inout headers_t hdr, inout meta_t meta) {
    apply { }
}

control L2Deparser(packet_out pkt, in headers_t hdr) {
    apply {
        pkt.emit(hdr.eth);
    }
}

V1Switch(L2Parser(), L2VerifyChecksum(), L2Ingress(), L2Egress(),
         L2ComputeChecksum(), L2Deparser()) main;
