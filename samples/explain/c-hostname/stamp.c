#include <stdio.h>

int main(void)
{
    puts("built on " BUILD_HOST);
    return 0;
}
