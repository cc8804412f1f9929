/* fop4/err.h - the error record every fallible function of the C API fills:
 * a negative errno (or -1) and a message for the user that says who, what, why
 * and the next step. Zero-initialise it ("struct err e = {0};") before use. */
#ifndef FOP4_PUBLIC_ERR_H
#define FOP4_PUBLIC_ERR_H

struct err {
    int code;       /* negative errno, or -1; 0 when no error is set */
    char msg[1024]; /* the message, without the "fop4: " prefix */
};

#endif
