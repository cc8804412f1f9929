/* p4info_msg.h - a P4Info message as a tree of protobuf fields, and its three
 * encodings: protobuf text format (p4c's .txtpb), the proto3 JSON mapping
 * (.json) and the binary wire format (.bin). One schema table (p4info_msg.c)
 * gives every field of p4/config/v1/p4info.proto and p4types.proto its number
 * and type, so the three writers cannot disagree. p4info.c builds the tree
 * from the lowered program; nothing else in the compiler uses this. */
#ifndef FOP4_COMPILER_BMV2_P4INFO_MSG_H
#define FOP4_COMPILER_BMV2_P4INFO_MSG_H

#include <stddef.h>
#include <stdio.h>

struct p4msg;

/* A new, empty message of the protobuf type named type (e.g. "P4Info"; the
 * names are those of the schema table). Freed with p4msg_free. */
struct p4msg *p4msg_new(const char *type);
void p4msg_free(struct p4msg *m);

/* Appends a sub-message field named field to m and returns it (owned by m).
 * A field the schema does not list for m's type is a bug (abort). */
struct p4msg *p4msg_open(struct p4msg *m, const char *field);
/* Append scalar fields: any integer type, an enum value by its name, a
 * string, bytes (len bytes of data) and a bool. */
void p4msg_int(struct p4msg *m, const char *field, long long v);
void p4msg_enum(struct p4msg *m, const char *field, const char *name);
void p4msg_str(struct p4msg *m, const char *field, const char *s);
void p4msg_bytes(struct p4msg *m, const char *field, const void *data,
                 size_t len);
void p4msg_bool(struct p4msg *m, const char *field, int v);

/* Number of fields named field in m (0 when absent). */
int p4msg_count(const struct p4msg *m, const char *field);

/* The three encodings of m, written to f; 0 or -1 (write error). Fields come
 * out in field-number order (repeated ones in the order they were added), as
 * protobuf's own printers do; singular scalars holding their default value
 * (0, "", false) are left out, as proto3 does. */
int p4msg_write_text(const struct p4msg *m, FILE *f);
int p4msg_write_json(const struct p4msg *m, FILE *f);
int p4msg_write_binary(const struct p4msg *m, FILE *f);

#endif
