/* p4info_msg.c - P4Info messages as field trees, and their text, JSON and
 * binary protobuf encodings, all driven by one schema table.
 *
 * The schema lists, for each message type of p4info.proto and p4types.proto
 * that P4Info uses, each field's number, type and (for messages and enums)
 * the type it holds. It was written from the public .proto files' field
 * lists. A map<string, V> field is a repeated message of a synthetic entry
 * type (key = 1, value = 2), which is exactly its wire and text encoding;
 * the JSON writer turns it into an object keyed by the keys. */
#include "compiler/bmv2/p4info_msg.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/util.h"

/* ---- schema ---- */

enum ftype { T_MSG, T_U32, T_I32, T_I64, T_STR, T_BYTES, T_BOOL, T_ENUM };
/* REP: repeated; MAP: a map's entries; ONE: in a oneof (or optional), so
 * it has presence and is written even at its default value */
enum { REP = 1, MAP = 2, ONE = 4 };

struct fdesc {
    const char *msg;   /* the message type this field belongs to */
    const char *name;  /* field name (text format, snake_case) */
    int num;           /* field number */
    enum ftype type;   /* value type */
    const char *sub;   /* T_MSG: message type; T_ENUM: enum type */
    int flags;         /* REP, MAP */
};

/* Documentation, annotation locations and structured annotations recur in
 * most messages: these macros add them with the numbers each message gives. */
#define ANNOTS(m, n_ann, n_loc, n_sa)                                          \
    {m, "annotations", n_ann, T_STR, NULL, REP},                               \
        {m, "annotation_locations", n_loc, T_MSG, "SourceLocation", REP},      \
        {m, "structured_annotations", n_sa, T_MSG, "StructuredAnnotation", REP}
#define MAPF(m, f, n, entry, value)                                            \
    {m, f, n, T_MSG, entry, REP | MAP}, {entry, "key", 1, T_STR, NULL, 0},     \
        {entry, "value", 2, T_MSG, value, 0}

static const struct fdesc schema[] = {
    /* p4info.proto */
    {"P4Info", "pkg_info", 1, T_MSG, "PkgInfo", 0},
    {"P4Info", "tables", 2, T_MSG, "Table", REP},
    {"P4Info", "actions", 3, T_MSG, "Action", REP},
    {"P4Info", "action_profiles", 4, T_MSG, "ActionProfile", REP},
    {"P4Info", "counters", 5, T_MSG, "Counter", REP},
    {"P4Info", "direct_counters", 6, T_MSG, "DirectCounter", REP},
    {"P4Info", "meters", 7, T_MSG, "Meter", REP},
    {"P4Info", "direct_meters", 8, T_MSG, "DirectMeter", REP},
    {"P4Info", "controller_packet_metadata", 9, T_MSG,
     "ControllerPacketMetadata", REP},
    {"P4Info", "value_sets", 10, T_MSG, "ValueSet", REP},
    {"P4Info", "registers", 11, T_MSG, "Register", REP},
    {"P4Info", "digests", 12, T_MSG, "Digest", REP},
    {"P4Info", "externs", 100, T_MSG, "Extern", REP},
    {"P4Info", "type_info", 200, T_MSG, "P4TypeInfo", 0},
    {"Documentation", "brief", 1, T_STR, NULL, 0},
    {"Documentation", "description", 2, T_STR, NULL, 0},
    {"PkgInfo", "name", 1, T_STR, NULL, 0},
    {"PkgInfo", "version", 2, T_STR, NULL, 0},
    {"PkgInfo", "doc", 3, T_MSG, "Documentation", 0},
    ANNOTS("PkgInfo", 4, 10, 9),
    {"PkgInfo", "arch", 5, T_STR, NULL, 0},
    {"PkgInfo", "organization", 6, T_STR, NULL, 0},
    {"PkgInfo", "contact", 7, T_STR, NULL, 0},
    {"PkgInfo", "url", 8, T_STR, NULL, 0},
    {"PkgInfo", "platform_properties", 11, T_MSG, "PlatformProperties", 0},
    {"PlatformProperties", "multicast_group_table_size", 1, T_I32, NULL, 0},
    {"PlatformProperties", "multicast_group_table_total_replicas", 2, T_I32,
     NULL, 0},
    {"PlatformProperties", "multicast_group_table_max_replicas_per_entry", 3,
     T_I32, NULL, 0},
    {"Preamble", "id", 1, T_U32, NULL, 0},
    {"Preamble", "name", 2, T_STR, NULL, 0},
    {"Preamble", "alias", 3, T_STR, NULL, 0},
    ANNOTS("Preamble", 4, 7, 6),
    {"Preamble", "doc", 5, T_MSG, "Documentation", 0},
    {"Extern", "extern_type_id", 1, T_U32, NULL, 0},
    {"Extern", "extern_type_name", 2, T_STR, NULL, 0},
    {"Extern", "instances", 3, T_MSG, "ExternInstance", REP},
    {"ExternInstance", "preamble", 1, T_MSG, "Preamble", 0},
    {"MatchField", "id", 1, T_U32, NULL, 0},
    {"MatchField", "name", 2, T_STR, NULL, 0},
    ANNOTS("MatchField", 3, 10, 9),
    {"MatchField", "bitwidth", 4, T_I32, NULL, 0},
    {"MatchField", "match_type", 5, T_ENUM, "MatchType", ONE},
    {"MatchField", "other_match_type", 7, T_STR, NULL, ONE},
    {"MatchField", "doc", 6, T_MSG, "Documentation", 0},
    {"MatchField", "type_name", 8, T_MSG, "P4NamedType", 0},
    {"TableActionCall", "action_id", 1, T_U32, NULL, 0},
    {"TableActionCall", "arguments", 4, T_MSG, "Argument", REP},
    {"Argument", "param_id", 2, T_U32, NULL, 0},
    {"Argument", "value", 3, T_BYTES, NULL, 0},
    {"Table", "preamble", 1, T_MSG, "Preamble", 0},
    {"Table", "match_fields", 2, T_MSG, "MatchField", REP},
    {"Table", "action_refs", 3, T_MSG, "ActionRef", REP},
    {"Table", "const_default_action_id", 4, T_U32, NULL, 0},
    {"Table", "initial_default_action", 5, T_MSG, "TableActionCall", 0},
    {"Table", "implementation_id", 6, T_U32, NULL, 0},
    {"Table", "direct_resource_ids", 7, T_U32, NULL, REP},
    {"Table", "size", 8, T_I64, NULL, 0},
    {"Table", "idle_timeout_behavior", 9, T_ENUM, "IdleTimeoutBehavior", 0},
    {"Table", "is_const_table", 10, T_BOOL, NULL, 0},
    {"Table", "has_initial_entries", 11, T_BOOL, NULL, 0},
    {"ActionRef", "id", 1, T_U32, NULL, 0},
    {"ActionRef", "scope", 3, T_ENUM, "Scope", 0},
    ANNOTS("ActionRef", 2, 5, 4),
    {"Action", "preamble", 1, T_MSG, "Preamble", 0},
    {"Action", "params", 2, T_MSG, "Param", REP},
    {"Param", "id", 1, T_U32, NULL, 0},
    {"Param", "name", 2, T_STR, NULL, 0},
    ANNOTS("Param", 3, 8, 7),
    {"Param", "bitwidth", 4, T_I32, NULL, 0},
    {"Param", "doc", 5, T_MSG, "Documentation", 0},
    {"Param", "type_name", 6, T_MSG, "P4NamedType", 0},
    {"ActionProfile", "preamble", 1, T_MSG, "Preamble", 0},
    {"ActionProfile", "table_ids", 2, T_U32, NULL, REP},
    {"ActionProfile", "with_selector", 3, T_BOOL, NULL, 0},
    {"ActionProfile", "size", 4, T_I64, NULL, 0},
    {"ActionProfile", "max_group_size", 5, T_I32, NULL, 0},
    {"ActionProfile", "sum_of_weights", 6, T_MSG, "SumOfWeights", 0},
    {"ActionProfile", "sum_of_members", 7, T_MSG, "SumOfMembers", 0},
    {"ActionProfile", "weights_disallowed", 8, T_BOOL, NULL, 0},
    {"SumOfMembers", "max_member_weight", 1, T_I32, NULL, ONE},
    {"CounterSpec", "unit", 1, T_ENUM, "CounterUnit", 0},
    {"Counter", "preamble", 1, T_MSG, "Preamble", 0},
    {"Counter", "spec", 2, T_MSG, "CounterSpec", 0},
    {"Counter", "size", 3, T_I64, NULL, 0},
    {"Counter", "index_type_name", 4, T_MSG, "P4NamedType", 0},
    {"DirectCounter", "preamble", 1, T_MSG, "Preamble", 0},
    {"DirectCounter", "spec", 2, T_MSG, "CounterSpec", 0},
    {"DirectCounter", "direct_table_id", 3, T_U32, NULL, 0},
    {"MeterSpec", "unit", 1, T_ENUM, "MeterUnit", 0},
    {"MeterSpec", "type", 2, T_ENUM, "MeterType", 0},
    {"Meter", "preamble", 1, T_MSG, "Preamble", 0},
    {"Meter", "spec", 2, T_MSG, "MeterSpec", 0},
    {"Meter", "size", 3, T_I64, NULL, 0},
    {"Meter", "index_type_name", 4, T_MSG, "P4NamedType", 0},
    {"DirectMeter", "preamble", 1, T_MSG, "Preamble", 0},
    {"DirectMeter", "spec", 2, T_MSG, "MeterSpec", 0},
    {"DirectMeter", "direct_table_id", 3, T_U32, NULL, 0},
    {"ControllerPacketMetadata", "preamble", 1, T_MSG, "Preamble", 0},
    {"ControllerPacketMetadata", "metadata", 2, T_MSG, "Metadata", REP},
    {"Metadata", "id", 1, T_U32, NULL, 0},
    {"Metadata", "name", 2, T_STR, NULL, 0},
    ANNOTS("Metadata", 3, 7, 6),
    {"Metadata", "bitwidth", 4, T_I32, NULL, 0},
    {"Metadata", "type_name", 5, T_MSG, "P4NamedType", 0},
    {"ValueSet", "preamble", 1, T_MSG, "Preamble", 0},
    {"ValueSet", "match", 2, T_MSG, "MatchField", REP},
    {"ValueSet", "size", 3, T_I32, NULL, 0},
    {"Register", "preamble", 1, T_MSG, "Preamble", 0},
    {"Register", "type_spec", 2, T_MSG, "P4DataTypeSpec", 0},
    {"Register", "size", 3, T_I32, NULL, 0},
    {"Register", "index_type_name", 4, T_MSG, "P4NamedType", 0},
    {"Digest", "preamble", 1, T_MSG, "Preamble", 0},
    {"Digest", "type_spec", 2, T_MSG, "P4DataTypeSpec", 0},
    /* p4types.proto */
    MAPF("P4TypeInfo", "structs", 1, "StructsEntry", "P4StructTypeSpec"),
    MAPF("P4TypeInfo", "headers", 2, "HeadersEntry", "P4HeaderTypeSpec"),
    MAPF("P4TypeInfo", "header_unions", 3, "HeaderUnionsEntry",
         "P4HeaderUnionTypeSpec"),
    MAPF("P4TypeInfo", "enums", 4, "EnumsEntry", "P4EnumTypeSpec"),
    {"P4TypeInfo", "error", 5, T_MSG, "P4ErrorTypeSpec", 0},
    MAPF("P4TypeInfo", "serializable_enums", 6, "SerializableEnumsEntry",
         "P4SerializableEnumTypeSpec"),
    MAPF("P4TypeInfo", "new_types", 7, "NewTypesEntry", "P4NewTypeSpec"),
    {"P4DataTypeSpec", "bitstring", 1, T_MSG, "P4BitstringLikeTypeSpec", 0},
    {"P4DataTypeSpec", "bool", 2, T_MSG, "P4BoolType", 0},
    {"P4DataTypeSpec", "tuple", 3, T_MSG, "P4TupleTypeSpec", 0},
    {"P4DataTypeSpec", "struct", 4, T_MSG, "P4NamedType", 0},
    {"P4DataTypeSpec", "header", 5, T_MSG, "P4NamedType", 0},
    {"P4DataTypeSpec", "header_union", 6, T_MSG, "P4NamedType", 0},
    {"P4DataTypeSpec", "header_stack", 7, T_MSG, "P4HeaderStackTypeSpec", 0},
    {"P4DataTypeSpec", "header_union_stack", 8, T_MSG,
     "P4HeaderUnionStackTypeSpec", 0},
    {"P4DataTypeSpec", "enum", 9, T_MSG, "P4NamedType", 0},
    {"P4DataTypeSpec", "error", 10, T_MSG, "P4ErrorType", 0},
    {"P4DataTypeSpec", "serializable_enum", 11, T_MSG, "P4NamedType", 0},
    {"P4DataTypeSpec", "new_type", 12, T_MSG, "P4NamedType", 0},
    {"P4NamedType", "name", 1, T_STR, NULL, 0},
    {"P4BitstringLikeTypeSpec", "bit", 1, T_MSG, "P4BitTypeSpec", 0},
    {"P4BitstringLikeTypeSpec", "int", 2, T_MSG, "P4IntTypeSpec", 0},
    {"P4BitstringLikeTypeSpec", "varbit", 3, T_MSG, "P4VarbitTypeSpec", 0},
    ANNOTS("P4BitstringLikeTypeSpec", 4, 5, 6),
    {"P4BitTypeSpec", "bitwidth", 1, T_I32, NULL, 0},
    {"P4IntTypeSpec", "bitwidth", 1, T_I32, NULL, 0},
    {"P4VarbitTypeSpec", "max_bitwidth", 1, T_I32, NULL, 0},
    {"P4TupleTypeSpec", "members", 1, T_MSG, "P4DataTypeSpec", REP},
    {"P4StructTypeSpec", "members", 1, T_MSG, "StructMember", REP},
    ANNOTS("P4StructTypeSpec", 2, 3, 4),
    {"StructMember", "name", 1, T_STR, NULL, 0},
    {"StructMember", "type_spec", 2, T_MSG, "P4DataTypeSpec", 0},
    {"P4HeaderTypeSpec", "members", 1, T_MSG, "HeaderMember", REP},
    ANNOTS("P4HeaderTypeSpec", 2, 3, 4),
    {"HeaderMember", "name", 1, T_STR, NULL, 0},
    {"HeaderMember", "type_spec", 2, T_MSG, "P4BitstringLikeTypeSpec", 0},
    {"P4HeaderUnionTypeSpec", "members", 1, T_MSG, "UnionMember", REP},
    ANNOTS("P4HeaderUnionTypeSpec", 2, 3, 4),
    {"UnionMember", "name", 1, T_STR, NULL, 0},
    {"UnionMember", "header", 2, T_MSG, "P4NamedType", 0},
    {"P4HeaderStackTypeSpec", "header", 1, T_MSG, "P4NamedType", 0},
    {"P4HeaderStackTypeSpec", "size", 2, T_I32, NULL, 0},
    {"P4HeaderUnionStackTypeSpec", "header_union", 1, T_MSG, "P4NamedType",
     0},
    {"P4HeaderUnionStackTypeSpec", "size", 2, T_I32, NULL, 0},
    {"KeyValuePair", "key", 1, T_STR, NULL, 0},
    {"KeyValuePair", "value", 2, T_MSG, "Expression", 0},
    {"KeyValuePairList", "kv_pairs", 1, T_MSG, "KeyValuePair", REP},
    {"Expression", "string_value", 1, T_STR, NULL, ONE},
    {"Expression", "int64_value", 2, T_I64, NULL, ONE},
    {"Expression", "bool_value", 3, T_BOOL, NULL, ONE},
    {"ExpressionList", "expressions", 1, T_MSG, "Expression", REP},
    {"StructuredAnnotation", "name", 1, T_STR, NULL, 0},
    {"StructuredAnnotation", "expression_list", 2, T_MSG, "ExpressionList",
     0},
    {"StructuredAnnotation", "kv_pair_list", 3, T_MSG, "KeyValuePairList", 0},
    {"StructuredAnnotation", "source_location", 4, T_MSG, "SourceLocation",
     0},
    {"SourceLocation", "file", 1, T_STR, NULL, 0},
    {"SourceLocation", "line", 2, T_I32, NULL, 0},
    {"SourceLocation", "column", 3, T_I32, NULL, 0},
    {"P4EnumTypeSpec", "members", 1, T_MSG, "EnumMember", REP},
    ANNOTS("P4EnumTypeSpec", 2, 4, 3),
    {"EnumMember", "name", 1, T_STR, NULL, 0},
    ANNOTS("EnumMember", 2, 4, 3),
    {"P4SerializableEnumTypeSpec", "underlying_type", 1, T_MSG,
     "P4BitTypeSpec", 0},
    {"P4SerializableEnumTypeSpec", "members", 2, T_MSG, "SerEnumMember", REP},
    ANNOTS("P4SerializableEnumTypeSpec", 3, 5, 4),
    {"SerEnumMember", "name", 1, T_STR, NULL, 0},
    {"SerEnumMember", "value", 2, T_BYTES, NULL, 0},
    ANNOTS("SerEnumMember", 3, 5, 4),
    {"P4ErrorTypeSpec", "members", 1, T_STR, NULL, REP},
    {"P4NewTypeTranslation", "uri", 1, T_STR, NULL, 0},
    {"P4NewTypeTranslation", "sdn_bitwidth", 2, T_I32, NULL, ONE},
    {"P4NewTypeTranslation", "sdn_string", 3, T_MSG, "SdnString", 0},
    {"P4NewTypeSpec", "original_type", 1, T_MSG, "P4DataTypeSpec", 0},
    {"P4NewTypeSpec", "translated_type", 2, T_MSG, "P4NewTypeTranslation", 0},
    ANNOTS("P4NewTypeSpec", 3, 5, 4),
};

struct edesc {
    const char *type, *name;
    int value;
};

static const struct edesc enums[] = {
    {"MatchType", "UNSPECIFIED", 0},
    {"MatchType", "EXACT", 2},
    {"MatchType", "LPM", 3},
    {"MatchType", "TERNARY", 4},
    {"MatchType", "RANGE", 5},
    {"MatchType", "OPTIONAL", 6},
    {"IdleTimeoutBehavior", "NO_TIMEOUT", 0},
    {"IdleTimeoutBehavior", "NOTIFY_CONTROL", 1},
    {"Scope", "TABLE_AND_DEFAULT", 0},
    {"Scope", "TABLE_ONLY", 1},
    {"Scope", "DEFAULT_ONLY", 2},
    {"CounterUnit", "UNSPECIFIED", 0},
    {"CounterUnit", "BYTES", 1},
    {"CounterUnit", "PACKETS", 2},
    {"CounterUnit", "BOTH", 3},
    {"MeterUnit", "UNSPECIFIED", 0},
    {"MeterUnit", "BYTES", 1},
    {"MeterUnit", "PACKETS", 2},
    {"MeterType", "TWO_RATE_THREE_COLOR", 0},
    {"MeterType", "SINGLE_RATE_THREE_COLOR", 1},
    {"MeterType", "SINGLE_RATE_TWO_COLOR", 2},
};

static const struct fdesc *
field_of(const char *msg, const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(schema); i++)
        if (!strcmp(schema[i].msg, msg) && !strcmp(schema[i].name, name))
            return &schema[i];
    fprintf(stderr, "p4info: %s has no field %s (schema bug)\n", msg, name);
    abort();
}

static int
enum_value(const char *type, const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(enums); i++)
        if (!strcmp(enums[i].type, type) && !strcmp(enums[i].name, name))
            return enums[i].value;
    fprintf(stderr, "p4info: enum %s has no value %s (schema bug)\n", type,
            name);
    abort();
}

/* ---- the tree ---- */

struct pfield {
    const struct fdesc *d;
    long long i;   /* integers, bools, enum values */
    char *s;       /* strings, bytes, enum names */
    size_t len;    /* bytes of s */
    struct p4msg *m;
    int order;     /* insertion order, for a stable sort by number */
};

struct p4msg {
    const char *type;
    struct pfield *f;
    int n, cap;
};

struct p4msg *
p4msg_new(const char *type)
{
    struct p4msg *m = xcalloc(1, sizeof *m);
    m->type = type;
    return m;
}

void
p4msg_free(struct p4msg *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->n; i++) {
        free(m->f[i].s);
        p4msg_free(m->f[i].m);
    }
    free(m->f);
    free(m);
}

static struct pfield *
add(struct p4msg *m, const char *name, enum ftype want)
{
    const struct fdesc *d = field_of(m->type, name);
    /* every integer type is set with p4msg_int */
    int ok = d->type == want ||
             (want == T_I64 && (d->type == T_U32 || d->type == T_I32));
    if (!ok) {
        fprintf(stderr, "p4info: %s.%s set with the wrong type (bug)\n",
                m->type, name);
        abort();
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 8;
        m->f = xrealloc(m->f, sizeof *m->f * (size_t)m->cap);
    }
    struct pfield *f = &m->f[m->n];
    memset(f, 0, sizeof *f);
    f->d = d;
    f->order = m->n++;
    return f;
}

struct p4msg *
p4msg_open(struct p4msg *m, const char *field)
{
    struct pfield *f = add(m, field, T_MSG);
    f->m = p4msg_new(f->d->sub);
    return f->m;
}

void
p4msg_int(struct p4msg *m, const char *field, long long v)
{
    add(m, field, T_I64)->i = v;
}

void
p4msg_enum(struct p4msg *m, const char *field, const char *name)
{
    struct pfield *f = add(m, field, T_ENUM);
    f->i = enum_value(f->d->sub, name);
    f->s = xstrdup(name);
}

void
p4msg_str(struct p4msg *m, const char *field, const char *s)
{
    struct pfield *f = add(m, field, T_STR);
    f->s = xstrdup(s);
    f->len = strlen(s);
}

void
p4msg_bytes(struct p4msg *m, const char *field, const void *data, size_t len)
{
    struct pfield *f = add(m, field, T_BYTES);
    f->s = xmalloc(len + 1);
    memcpy(f->s, data, len);
    f->s[len] = 0;
    f->len = len;
}

void
p4msg_bool(struct p4msg *m, const char *field, int v)
{
    add(m, field, T_BOOL)->i = !!v;
}

int
p4msg_count(const struct p4msg *m, const char *field)
{
    int n = 0;
    for (int i = 0; i < m->n; i++)
        n += !strcmp(m->f[i].d->name, field);
    return n;
}

/* A singular scalar at its default value is not encoded (proto3). */
static int
is_default(const struct pfield *f)
{
    if (f->d->flags & (REP | ONE))
        return 0;
    switch (f->d->type) {
    case T_MSG:
        return 0;
    case T_STR:
    case T_BYTES:
        return f->len == 0;
    default:
        return f->i == 0;
    }
}

static int
cmp_field(const void *a, const void *b)
{
    const struct pfield *x = *(const struct pfield *const *)a;
    const struct pfield *y = *(const struct pfield *const *)b;
    if (x->d->num != y->d->num)
        return x->d->num < y->d->num ? -1 : 1;
    return x->order - y->order;
}

/* m's fields to encode, in field-number order (caller frees the array). */
static const struct pfield **
sorted(const struct p4msg *m, int *n)
{
    const struct pfield **v = xcalloc((size_t)m->n + 1, sizeof *v);
    int k = 0;
    for (int i = 0; i < m->n; i++)
        if (!is_default(&m->f[i]))
            v[k++] = &m->f[i];
    qsort(v, (size_t)k, sizeof *v, cmp_field);
    *n = k;
    return v;
}

/* ---- text format ---- */

/* C-style escaping, as protobuf's text format prints strings and bytes. */
static void
cescape(struct strbuf *sb, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            strbuf_puts(sb, "\\n");
        else if (c == '\r')
            strbuf_puts(sb, "\\r");
        else if (c == '\t')
            strbuf_puts(sb, "\\t");
        else if (c == '"' || c == '\\' || c == '\'')
            strbuf_printf(sb, "\\%c", c);
        else if (c >= 32 && c < 127)
            strbuf_putc(sb, (char)c);
        else
            strbuf_printf(sb, "\\%03o", c);
    }
}

static void
text(struct strbuf *sb, const struct p4msg *m, int depth)
{
    int n;
    const struct pfield **v = sorted(m, &n);
    for (int k = 0; k < n; k++) {
        const struct pfield *f = v[k];
        for (int i = 0; i < depth; i++)
            strbuf_puts(sb, "  ");
        strbuf_puts(sb, f->d->name);
        switch (f->d->type) {
        case T_MSG:
            strbuf_puts(sb, " {\n");
            text(sb, f->m, depth + 1);
            for (int i = 0; i < depth; i++)
                strbuf_puts(sb, "  ");
            strbuf_puts(sb, "}\n");
            continue;
        case T_STR:
        case T_BYTES:
            strbuf_puts(sb, ": \"");
            cescape(sb, f->s, f->len);
            strbuf_putc(sb, '"');
            break;
        case T_ENUM:
            strbuf_printf(sb, ": %s", f->s);
            break;
        case T_BOOL:
            strbuf_puts(sb, f->i ? ": true" : ": false");
            break;
        default:
            strbuf_printf(sb, ": %lld", f->i);
            break;
        }
        strbuf_putc(sb, '\n');
    }
    free(v);
}

int
p4msg_write_text(const struct p4msg *m, FILE *f)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "# proto-file: p4/config/v1/p4info.proto\n"
                     "# proto-message: p4.config.v1.P4Info\n\n");
    text(&sb, m, 0);
    size_t len = sb.len, w = fwrite(strbuf_str(&sb), 1, len, f);
    strbuf_destroy(&sb);
    return w == len ? 0 : -1;
}

/* ---- JSON (proto3 JSON mapping) ---- */

static char *
camel(const char *s)
{
    char *r = xstrdup(s), *o = r;
    for (const char *p = s; *p; p++) {
        if (*p == '_' && p[1] >= 'a' && p[1] <= 'z') {
            *o++ = (char)(p[1] - 'a' + 'A');
            p++;
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
    return r;
}

static json_t *
base64(const char *s, size_t len)
{
    static const char al[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = (const unsigned char *)s;
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < len)
            v |= p[i + 2];
        strbuf_putc(&sb, al[v >> 18 & 63]);
        strbuf_putc(&sb, al[v >> 12 & 63]);
        strbuf_putc(&sb, i + 1 < len ? al[v >> 6 & 63] : '=');
        strbuf_putc(&sb, i + 2 < len ? al[v & 63] : '=');
    }
    json_t *j = json_string(sb.len ? strbuf_str(&sb) : "");
    strbuf_destroy(&sb);
    return j;
}

static json_t *to_json(const struct p4msg *m);

static json_t *
value_json(const struct pfield *f)
{
    char buf[32];
    switch (f->d->type) {
    case T_MSG:
        return to_json(f->m);
    case T_STR:
        return json_stringn(f->s, f->len);
    case T_BYTES:
        return base64(f->s, f->len);
    case T_ENUM:
        return json_string(f->s);
    case T_BOOL:
        return json_boolean(f->i);
    case T_I64: /* 64-bit integers are strings in the JSON mapping */
        snprintf(buf, sizeof buf, "%lld", f->i);
        return json_string(buf);
    default:
        return json_integer(f->i);
    }
}

static json_t *
to_json(const struct p4msg *m)
{
    json_t *o = json_object();
    int n;
    const struct pfield **v = sorted(m, &n);
    for (int k = 0; k < n; k++) {
        const struct pfield *f = v[k];
        char *key = camel(f->d->name);
        if (f->d->flags & MAP) {
            /* map<string, V>: an object keyed by the entries' keys */
            json_t *obj = json_object_get(o, key);
            if (!obj) {
                obj = json_object();
                json_object_set_new(o, key, obj);
            }
            const char *mk = "";
            const struct p4msg *val = NULL;
            for (int i = 0; i < f->m->n; i++) {
                if (!strcmp(f->m->f[i].d->name, "key"))
                    mk = f->m->f[i].s;
                else
                    val = f->m->f[i].m;
            }
            json_object_set_new(obj, mk, val ? to_json(val) : json_object());
        } else if (f->d->flags & REP) {
            json_t *arr = json_object_get(o, key);
            if (!arr) {
                arr = json_array();
                json_object_set_new(o, key, arr);
            }
            json_array_append_new(arr, value_json(f));
        } else {
            json_object_set_new(o, key, value_json(f));
        }
        free(key);
    }
    free(v);
    return o;
}

/* Indented by one space, as protobuf's JSON printer does with whitespace
 * (p4c's --p4runtime-files x.json). */
int
p4msg_write_json(const struct p4msg *m, FILE *f)
{
    json_t *j = to_json(m);
    int r = json_dumpf(j, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (r < 0 || fputc('\n', f) == EOF)
        return -1;
    return 0;
}

/* ---- binary wire format ---- */

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_I32 = 5 };

static void
varint(struct strbuf *sb, uint64_t v)
{
    do {
        unsigned char b = v & 0x7f;
        v >>= 7;
        strbuf_putc(sb, (char)(v ? b | 0x80 : b));
    } while (v);
}

static void
tag(struct strbuf *sb, int num, int wt)
{
    varint(sb, (uint64_t)num << 3 | (uint64_t)wt);
}

static int
is_varint(enum ftype t)
{
    return t != T_MSG && t != T_STR && t != T_BYTES;
}

/* int32 and enum values go out sign-extended to 64 bits (10 bytes when
 * negative), uint32 as its 32 bits. */
static uint64_t
varint_of(const struct pfield *f)
{
    if (f->d->type == T_U32)
        return (uint32_t)f->i;
    return (uint64_t)f->i;
}

static void
binary(struct strbuf *sb, const struct p4msg *m)
{
    int n;
    const struct pfield **v = sorted(m, &n);
    for (int k = 0; k < n; k++) {
        const struct pfield *f = v[k];
        if ((f->d->flags & REP) && is_varint(f->d->type)) {
            /* repeated scalars are packed in proto3: one length-delimited
             * record holding the run of values */
            struct strbuf pk = STRBUF_INIT;
            int j = k;
            for (; j < n && v[j]->d == f->d; j++)
                varint(&pk, varint_of(v[j]));
            tag(sb, f->d->num, WT_LEN);
            varint(sb, pk.len);
            strbuf_add(sb, pk.s, pk.len);
            strbuf_destroy(&pk);
            k = j - 1;
            continue;
        }
        switch (f->d->type) {
        case T_MSG: {
            struct strbuf sub = STRBUF_INIT;
            binary(&sub, f->m);
            tag(sb, f->d->num, WT_LEN);
            varint(sb, sub.len);
            if (sub.len)
                strbuf_add(sb, sub.s, sub.len);
            strbuf_destroy(&sub);
            break;
        }
        case T_STR:
        case T_BYTES:
            tag(sb, f->d->num, WT_LEN);
            varint(sb, f->len);
            strbuf_add(sb, f->s, f->len);
            break;
        default:
            tag(sb, f->d->num, WT_VARINT);
            varint(sb, varint_of(f));
            break;
        }
    }
    free(v);
}

int
p4msg_write_binary(const struct p4msg *m, FILE *f)
{
    struct strbuf sb = STRBUF_INIT;
    binary(&sb, m);
    size_t len = sb.len, w = len ? fwrite(sb.s, 1, len, f) : 0;
    strbuf_destroy(&sb);
    return w == len ? 0 : -1;
}
