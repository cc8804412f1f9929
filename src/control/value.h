/* value.h - runtime values as simple_switch_CLI reads and prints them: integers
 * in any base Python's int(s, 0) accepts (decimal, 0x, 0o, 0b, '_' separators)
 * and of any width, IPv4 addresses for 32-bit fields, MAC addresses for 48-bit
 * fields, IPv6 addresses for 128-bit fields; big-endian byte strings of
 * (bitwidth + 7) / 8 bytes. */
#ifndef FOP4_CONTROL_VALUE_H
#define FOP4_CONTROL_VALUE_H

#include <stddef.h>
#include <stdint.h>

#define VALUE_MAX_BYTES 512

/* Parses s for a field of bitwidth bits into out[0..*len) (*len =
 * (bitwidth+7)/8, at least 1). Returns 0, or -1 with a message in msg (BMv2's
 * wording: "Invalid IPv4 address", "Parameter is too large", "Invalid input,
 * could not cast to integer, try in hex with 0x prefix"). */
int value_parse(const char *s, int bitwidth, uint8_t *out, size_t *len,
                char *msg, size_t msglen);
/* Parses a plain integer (Python int(s, 0)) into an unsigned 64-bit value;
 * returns -1 if s is not one or does not fit. */
int value_parse_u64(const char *s, uint64_t *v);
/* Parses a decimal integer as Python's int(s) (optional sign, spaces); -1 if
 * not. */
int value_parse_int(const char *s, long long *v);

/* Appends bytes as "0a:00:00:01" (sep ':') or "0a000001" (sep 0) to buf. */
void value_hex(char *buf, size_t buflen, const uint8_t *v, size_t n, char sep);

/* Formats d as Python's repr(float) does ("1.0", "0.0001", "1e-05"). */
void value_pyfloat(char *buf, size_t buflen, double d);

#endif
