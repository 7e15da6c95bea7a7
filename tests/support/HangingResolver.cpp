// LD_PRELOAD shim for tests: getaddrinfo() never returns for names ending in ".hang.test", as
// with a DNS server that never answers (no root, no change to /etc/resolv.conf); every other
// name goes to the C library's own getaddrinfo().
#include <dlfcn.h>
#include <netdb.h>
#include <unistd.h>

#include <cstring>

extern "C" int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                           struct addrinfo **res)
{
    static const char suffix[] = ".hang.test";
    const size_t length = node ? std::strlen(node) : 0;
    if (length >= sizeof suffix - 1
        && std::strcmp(node + length - (sizeof suffix - 1), suffix) == 0) {
        for (;;)
            pause();
    }
    using Real = int (*)(const char *, const char *, const struct addrinfo *, struct addrinfo **);
    static const Real real = reinterpret_cast<Real>(dlsym(RTLD_NEXT, "getaddrinfo"));
    return real(node, service, hints, res);
}
