#pragma once

#include <QByteArray>
#include <QList>

namespace certdash::test {

enum Expect { Declines = 0, Accepts = 1, Either = 2 };

// One body for the fast reader and what it must do with it (Either: the QJsonDocument
// reader's verdict is what matters, the fast one may decline).
struct PromCase {
    QByteArray name;
    QByteArray body;
    Expect expect = Either;
};
QList<PromCase> promVectorCases();
QList<PromCase> promMatrixCases();

} // namespace certdash::test
