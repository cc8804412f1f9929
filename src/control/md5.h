/* md5.h - the MD5 digest (RFC 1321), for bm_get_config_md5: BMv2 clients
 * compare it with the digest of their own copy of the JSON program. */
#ifndef FOP4_CONTROL_MD5_H
#define FOP4_CONTROL_MD5_H

#include <stddef.h>
#include <stdint.h>

/* Writes the 16-byte digest of p[0..n) to out. */
void md5(const void *p, size_t n, uint8_t out[16]);

#endif
