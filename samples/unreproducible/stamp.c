/* Deliberately unreproducible: embeds the name of the host it was built on. Used to test the comparison step. */
#include <stdio.h>

int main(void)
{
    puts("built on " BUILD_HOST);
    return 0;
}
