#pragma once

// How a bad value is quoted back to the user, in every message that names one (target files,
// proxy URLs, command-line values): short, escaped, never the whole value.

#include <QString>
#include <QStringView>

namespace certdash {

// A value quoted for a message: at most maxChars characters between single quotes, with control
// and invisible characters escaped (\n, \t, \xNN, \uNNNN), a backslash or quote escaped, and,
// when cut, an ellipsis and the full length: 'aaaa…' (52428800 characters).
QString quoteExcerpt(QStringView text, qsizetype maxChars = 40);

} // namespace certdash
