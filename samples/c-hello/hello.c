/* A small C program that builds bit-identical under every builder variation. */
#include <stdio.h>

static const char *greeting(void) { return "hello from a reproducible build"; }

int main(void)
{
    puts(greeting());
    return 0;
}
