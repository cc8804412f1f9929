#include <core.p4>
#include <v1model.p4>
control c(inout standard_metadata_t sm) {
    apply {
        sm.egress_spek = 1;
    }
}
