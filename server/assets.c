/*
 * assets.c -- look up the web page's embedded files by name.
 *
 * The table itself is generated (server/web_assets.c, by tools/embed.c
 * from web/); lookup is an exact byte comparison of one decoded path
 * segment, so no client string ever reaches the file system.
 */
#include "server.h"

#include <string.h>

const srv_asset *srv_asset_find(const char *name, size_t n)
{
    for (size_t i = 0; i < srv_web_asset_count; i++) {
        const srv_asset *a = &srv_web_assets[i];
        if (strlen(a->name) == n && memcmp(a->name, name, n) == 0)
            return a;
    }
    return NULL;
}
