// The POP3 STARTTLS dialogue fed a server's bytes in chunks (see StartTlsHarness.h).
#include "StartTlsHarness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    return certdash::fuzz::runStartTls(certdash::StartTls::Pop3, data, size);
}
