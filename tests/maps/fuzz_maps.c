/*
 * libFuzzer harness: the input is a map configuration and an operation
 * sequence (map_model.h) run against the map and the reference model; any
 * divergence, or any memory error the sanitizers see, is a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "map_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    model_stats_t st = {0};
    char why[256];
    if (model_run(data, size, 0, &st, why, sizeof why) != 0) {
        fprintf(stderr, "fuzz_maps: map and model diverge: %s\n", why);
        abort();
    }
    return 0;
}
