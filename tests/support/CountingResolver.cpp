// LD_PRELOAD shim for tests: every getaddrinfo() call appends the name asked, one per line, to
// the file named by CERTDASH_LOOKUP_LOG; names ending in ".count.test" resolve to 127.0.0.1 (no
// /etc/hosts, no DNS), every other name goes to the C library's own getaddrinfo().
#include <dlfcn.h>
#include <fcntl.h>
#include <netdb.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

extern "C" int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                           struct addrinfo **res)
{
    if (const char *log = std::getenv("CERTDASH_LOOKUP_LOG"); log && node) {
        const int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd >= 0) {
            const std::string line = std::string(node) + '\n';
            [[maybe_unused]] const ssize_t written = write(fd, line.data(), line.size());
            close(fd);
        }
    }
    static const char suffix[] = ".count.test";
    const size_t length = node ? std::strlen(node) : 0;
    using Real = int (*)(const char *, const char *, const struct addrinfo *, struct addrinfo **);
    static const Real real = reinterpret_cast<Real>(dlsym(RTLD_NEXT, "getaddrinfo"));
    if (length >= sizeof suffix - 1
        && std::strcmp(node + length - (sizeof suffix - 1), suffix) == 0) {
        return real("127.0.0.1", service, hints, res);
    }
    return real(node, service, hints, res);
}
