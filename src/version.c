/* version.c -- the library's version string. */
#include "internal.h"

const char *mh_version(void) { return MH_VERSION; }
