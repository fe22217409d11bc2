#include <stdio.h>

int main(void)
{
    puts("built at " BUILD_TIME);
    return 0;
}
