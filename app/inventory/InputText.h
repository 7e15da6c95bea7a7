#pragma once

// The shape of what the inventory readers accept before any format is looked at: the size
// bounds, the text encodings, and how a bad value is quoted back to the user.

#include "domain/Excerpt.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

class QJsonValue;

namespace certdash::inventory {

// quoteExcerpt() lives in domain/Excerpt.h (probing quotes proxy URLs with it too); the readers
// keep calling it as inventory::quoteExcerpt.
using certdash::quoteExcerpt;

// What a JSON value is, for "expected an array, not an object" messages: "a string", "an array",
// "null", ... and "missing" for an absent key.
QString jsonTypeName(const QJsonValue &value);

// Where decoding stopped and why: line (1-based) and reason, or an empty reason when it did not.
struct InputProblem {
    int line = 0;
    QString reason;
};

// The input as UTF-8 without a byte order mark. Accepts UTF-8 (with or without a BOM) and UTF-16
// with a BOM (LE or BE); refuses UTF-32, bytes that are not UTF-8, NUL bytes and broken UTF-16.
// Every U+FEFF (a byte order mark, also one in the middle of concatenated files) is dropped.
// On refusal returns false and fills problem (line 0 when the problem is the whole input).
bool decodeInput(const QByteArray &raw, QByteArray *utf8, InputProblem *problem);

} // namespace certdash::inventory
