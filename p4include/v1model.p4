/* v1model.p4 - the v1model architecture of BMv2's simple_switch for fop4-p4c,
 * written from the architecture's public description. Besides the current
 * declarations it accepts the older calls published programs still use:
 * mark_to_drop() without argument, clone3(), resubmit(data), recirculate(data). */
#ifndef _V1_MODEL_P4_
#define _V1_MODEL_P4_

#include "core.p4"

#ifndef V1MODEL_VERSION
#define V1MODEL_VERSION 20200408
#endif
#if V1MODEL_VERSION < 20180101
#error "V1MODEL_VERSION must be 20180101 or later"
#endif
#if V1MODEL_VERSION > 20200408
#error "unknown V1MODEL_VERSION (the latest is 20200408)"
#endif

match_kind {
    range,    /* lo <= key <= hi */
    optional, /* exact, or match anything */
    selector  /* the fields an action selector hashes */
}

const bit<32> __v1model_version = V1MODEL_VERSION;

/* Intrinsic metadata of every packet. */
struct standard_metadata_t {
    bit<9>  ingress_port;   /* the port the packet came in on */
    bit<9>  egress_spec;    /* set in ingress: the output port (511 = drop) */
    bit<9>  egress_port;    /* in egress: the output port */
    bit<32> instance_type;  /* normal, clone, resubmit, recirculate... */
    bit<32> packet_length;  /* bytes */
    @alias("queueing_metadata.enq_timestamp")
    bit<32> enq_timestamp;
    @alias("queueing_metadata.enq_qdepth")
    bit<19> enq_qdepth;
    @alias("queueing_metadata.deq_timedelta")
    bit<32> deq_timedelta;
    @alias("queueing_metadata.deq_qdepth")
    bit<19> deq_qdepth;
    @alias("intrinsic_metadata.ingress_global_timestamp")
    bit<48> ingress_global_timestamp;
    @alias("intrinsic_metadata.egress_global_timestamp")
    bit<48> egress_global_timestamp;
    @alias("intrinsic_metadata.mcast_grp")
    bit<16> mcast_grp;      /* set in ingress: the multicast group */
    @alias("intrinsic_metadata.egress_rid")
    bit<16> egress_rid;     /* the replication id of a multicast copy */
    bit<1>  checksum_error; /* set when verify_checksum failed */
    error   parser_error;   /* the error the parser ended with */
    @alias("intrinsic_metadata.priority")
    bit<3>  priority;       /* the queue priority */
}

enum CounterType {
    packets,
    bytes,
    packets_and_bytes
}

enum MeterType {
    packets,
    bytes
}

/* An array of counters indexed by the data plane. */
extern counter
#if V1MODEL_VERSION >= 20200408
<I>
#endif
{
    counter(bit<32> size, CounterType type);
#if V1MODEL_VERSION >= 20200408
    void count(in I index);
#else
    void count(in bit<32> index);
#endif
}

/* One counter per entry of the table it is attached to. */
extern direct_counter {
    direct_counter(CounterType type);
    void count();
}

/* An array of two-rate three-colour meters. */
#define V1MODEL_METER_COLOR_GREEN  0
#define V1MODEL_METER_COLOR_YELLOW 1
#define V1MODEL_METER_COLOR_RED    2
extern meter
#if V1MODEL_VERSION >= 20200408
<I>
#endif
{
    meter(bit<32> size, MeterType type);
#if V1MODEL_VERSION >= 20200408
    void execute_meter<T>(in I index, out T result);
#else
    void execute_meter<T>(in bit<32> index, out T result);
#endif
}

/* One meter per entry of the table it is attached to. */
extern direct_meter<T> {
    direct_meter(MeterType type);
    void read(out T result);
}

/* An array of values the data plane reads and writes. */
extern register<T, I> {
    register(bit<32> size);
    @noSideEffects
    void read(out T result, in I index);
    void write(in I index, in T value);
}

/* Action profiles and selectors share action entries between tables. */
extern action_profile {
    action_profile(bit<32> size);
}

enum HashAlgorithm {
    crc32,
    crc32_custom,
    crc16,
    crc16_custom,
    random,
    identity,
    csum16,
    xor16
}

extern action_selector {
    action_selector(HashAlgorithm algorithm, bit<32> size, bit<32> outputWidth);
}

/* A uniformly distributed random number in [lo, hi]. */
extern void random<T>(out T result, in T lo, in T hi);

/* Sends data to the control plane (a learn list). */
extern void digest<T>(in bit<32> receiver, in T data);

/* Drops the packet at the end of the current pipeline. */
@pure
extern void mark_to_drop(inout standard_metadata_t standard_metadata);
/* The older form, without argument. */
extern void mark_to_drop();

/* result = base + (hash of data) mod max. */
@pure
extern void hash<O, T, D, M>(out O result, in HashAlgorithm algo, in T base,
                             in D data, in M max);

enum CloneType {
    I2E,
    E2E
}

/* The older checksum unit. */
@deprecated("use verify_checksum/update_checksum")
extern Checksum16 {
    Checksum16();
    bit<16> get<D>(in D data);
}

/* Checks and computes checksums (in the VerifyChecksum/ComputeChecksum
 * controls). */
extern void verify_checksum<T, O>(in bool condition, in T data, in O checksum,
                                  HashAlgorithm algo);
@pure
extern void update_checksum<T, O>(in bool condition, in T data,
                                  inout O checksum, HashAlgorithm algo);
extern void verify_checksum_with_payload<T, O>(in bool condition, in T data,
                                               in O checksum,
                                               HashAlgorithm algo);
@noSideEffects
extern void update_checksum_with_payload<T, O>(in bool condition, in T data,
                                               inout O checksum,
                                               HashAlgorithm algo);

/* Resubmission, recirculation and cloning. */
extern void clone(in CloneType type, in bit<32> session);
extern void resubmit_preserving_field_list(bit<8> index);
extern void recirculate_preserving_field_list(bit<8> index);
extern void clone_preserving_field_list(in CloneType type, in bit<32> session,
                                        bit<8> index);
/* The older forms that carry a list of fields. */
extern void resubmit<T>(in T data);
extern void recirculate<T>(in T data);
extern void clone3<T>(in CloneType type, in bit<32> session, in T data);

/* Truncates the packet to length bytes when it leaves. */
extern void truncate(in bit<32> length);

/* Assertions (checked by the switch when it runs with assertions on). */
extern void assert(in bool check);
extern void assume(in bool check);

/* Writes a message to the switch's log. */
extern void log_msg(string msg);
extern void log_msg<T>(string msg, in T data);

/* The six programmable blocks of the v1model pipeline. */
parser Parser<H, M>(packet_in b, out H parsedHdr, inout M meta,
                    inout standard_metadata_t standard_metadata);
control VerifyChecksum<H, M>(inout H hdr, inout M meta);
@pipeline
control Ingress<H, M>(inout H hdr, inout M meta,
                      inout standard_metadata_t standard_metadata);
@pipeline
control Egress<H, M>(inout H hdr, inout M meta,
                     inout standard_metadata_t standard_metadata);
control ComputeChecksum<H, M>(inout H hdr, inout M meta);
@deparser
control Deparser<H>(packet_out b, in H hdr);

package V1Switch<H, M>(Parser<H, M> p, VerifyChecksum<H, M> vr,
                       Ingress<H, M> ig, Egress<H, M> eg,
                       ComputeChecksum<H, M> ck, Deparser<H> dep);

#endif
