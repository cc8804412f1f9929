/* core.p4 - the P4_16 core library for fop4-p4c, written from the P4_16
 * language specification (section "P4 core library"). */
#ifndef _CORE_P4_
#define _CORE_P4_

/* Errors the packet parser can signal. */
error {
    NoError,              /* no error */
    PacketTooShort,       /* not enough bits left in the packet for an extract */
    NoMatch,              /* a select expression matched no case */
    StackOutOfBounds,     /* a header stack was accessed past its size */
    HeaderTooShort,       /* a varbit extract asked for more bits than fit */
    ParserTimeout,        /* the parser ran out of time */
    ParserInvalidArgument /* a parser operation got an invalid argument */
}

/* The packet a parser reads. */
extern packet_in {
    /* Copies the next bits of the packet into a fixed-size header and marks it
     * valid. */
    void extract<T>(out T hdr);
    /* The same for a header ending in a varbit field of the given size. */
    void extract<T>(out T variableSizeHeader, in bit<32> variableFieldSizeInBits);
    /* Returns the next bits of the packet without consuming them. */
    T lookahead<T>();
    /* Skips bits of the packet. */
    void advance(in bit<32> sizeInBits);
    /* The packet length in bytes. */
    bit<32> length();
}

/* The packet a deparser writes. */
extern packet_out {
    /* Appends a header when it is valid (every valid member of a struct,
     * stack or union, in order). */
    void emit<T>(in T hdr);
}

/* Ends parsing with toSignal when check is false. */
extern void verify(in bool check, in error toSignal);

/* An action that does nothing: the usual default of a table. */
@noWarn("unused")
action NoAction() {}

/* The match kinds every target provides. */
match_kind {
    exact,   /* the key equals the entry's value */
    ternary, /* the key equals the value under the entry's mask */
    lpm      /* longest prefix match */
}

/* Compile-time assertions. */
extern bool static_assert(bool check, string message);
extern bool static_assert(bool check);

#endif
