#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace certdash {

// Decodes one punycode label body (RFC 3492, the text after "xn--"); nullopt when it is not
// valid punycode (a bad digit, an overflow, a code point outside Unicode or a surrogate).
std::optional<QString> decodePunycode(QStringView encoded);

// Why a host name breaks the IDNA rules that toAsciiHostName() leaves to DNS, or "" when it does
// not. Checked per label, on the Unicode form (an "xn--" label is decoded first):
// - an "xn--" label must be valid punycode of a non-ASCII label that encodes back to itself;
// - a label must not start with a combining mark (RFC 5891 4.2.3.2);
// - a zero-width joiner or non-joiner must follow a virama (RFC 5892 CONTEXTJ);
// - in a name with a right-to-left label, every label follows the Bidi rule (RFC 5893).
// The name must already be acceptable to toAsciiHostName().
QString hostNameProblem(const QString &host);

} // namespace certdash
