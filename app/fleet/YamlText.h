#pragma once

#include <QString>

#include <optional>

namespace certdash::fleet {

// A YAML double-quoted scalar for any string (from the inventory, the command line): quotes,
// backslashes, line breaks, control characters and the characters YAML treats as breaks or
// byte-order marks (U+0085, U+2028, U+2029, U+FEFF) are escaped; other Unicode stays as it is.
// The result is always one line.
QString yamlQuoted(const QString &text);

// A Prometheus duration ("500ms", "1s", "1m30s", "2h"; a plain number is seconds), in
// milliseconds; nullopt when it is none or not positive.
std::optional<qint64> parseDuration(const QString &text);
// The shortest Prometheus form of a duration in milliseconds: "1s", "90s", "1m", "1500ms".
QString formatDuration(qint64 milliseconds);

} // namespace certdash::fleet
