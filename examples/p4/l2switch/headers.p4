/* headers.p4 - what l2switch.p4 parses, and its constants. */
#ifndef L2SWITCH_HEADERS_P4
#define L2SWITCH_HEADERS_P4

typedef bit<48> mac_t;
typedef bit<9> port_t;

const bit<16> FLOOD_GROUP = 1;
#ifndef MAX_PORTS
#define MAX_PORTS 64 /* size of the per-port counter; the lab may set it (defines:) */
#endif

header ethernet_t {
    mac_t dst;
    mac_t src;
    bit<16> ether_type;
}

struct headers_t {
    ethernet_t eth;
}

struct meta_t {
}

#endif
