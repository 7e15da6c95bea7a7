// Prometheus API answers (`certdash fleet read`, the window's fleet): the fast reader
// (parsePromVectorFast, parsePromMatrixFast) against the QJsonDocument reader it stands in for.
// Every input is read as a vector answer and as a matrix answer, then as the series of a
// well-formed answer (inside `{"status":"success","data":{"resultType":...,"result":[` ... `]}}`,
// so that most mutations reach the series, labels and values); whenever the fast reader accepts,
// the QJsonDocument reader must accept too and give the same samples (labels in any order,
// values and times bit for bit). Neither may crash.
#include "fleet/FleetRows.h"
#include "fleet/PromJson.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace certdash;

namespace {
[[noreturn]] void violated(const char *what, const QString &detail) {
    std::fprintf(stderr, "invariant violated: %s %s\n", what, qPrintable(detail.left(300)));
    std::abort();
}

bool sameDouble(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

void checkVector(const QByteArray &body) {
    const QString where = QStringLiteral("fuzz");
    const std::optional<QList<PromSample>> fast = parsePromVectorFast(body);
    const PromVector document = parsePromVectorDocument(body, where);
    const PromVector answer = parsePromVector(body, where);
    if (!fast) {
        if (answer.error != document.error)
            violated("vector: a declined body's message differs", answer.error);
        return;
    }
    if (!document.error.isEmpty())
        violated("vector: fast accepted what QJsonDocument rejects", document.error);
    if (fast->size() != document.samples.size())
        violated("vector: sample count differs", QString::number(fast->size()));
    for (qsizetype i = 0; i < fast->size(); ++i) {
        if (fast->at(i).labels != document.samples.at(i).labels)
            violated("vector: labels differ", QString::number(i));
        if (!sameDouble(fast->at(i).value, document.samples.at(i).value))
            violated("vector: value differs", QString::number(i));
    }
    if (!answer.error.isEmpty() || answer.samples.size() != fast->size())
        violated("vector: parsePromVector does not give the fast answer", answer.error);
}

void checkMatrix(const QByteArray &body) {
    const QString where = QStringLiteral("fuzz");
    const std::optional<QList<PromSeries>> fast = parsePromMatrixFast(body);
    const PromMatrix document = parsePromMatrixDocument(body, where);
    const PromMatrix answer = parsePromMatrix(body, where);
    if (!fast) {
        if (answer.error != document.error)
            violated("matrix: a declined body's message differs", answer.error);
        return;
    }
    if (!document.error.isEmpty())
        violated("matrix: fast accepted what QJsonDocument rejects", document.error);
    if (fast->size() != document.series.size())
        violated("matrix: series count differs", QString::number(fast->size()));
    for (qsizetype i = 0; i < fast->size(); ++i) {
        const PromSeries &a = fast->at(i);
        const PromSeries &b = document.series.at(i);
        if (a.labels != b.labels)
            violated("matrix: labels differ", QString::number(i));
        if (a.points.size() != b.points.size())
            violated("matrix: point count differs", QString::number(i));
        for (qsizetype p = 0; p < a.points.size(); ++p) {
            if (a.points.at(p).first != b.points.at(p).first ||
                !sameDouble(a.points.at(p).second, b.points.at(p).second))
                violated("matrix: point differs", QString::number(i));
        }
    }
    if (!answer.error.isEmpty() || answer.series.size() != fast->size())
        violated("matrix: parsePromMatrix does not give the fast answer", answer.error);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    // A copy of exactly the input's size: a read past the end is ASan's to see.
    const QByteArray body(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    checkVector(body);
    checkMatrix(body);
    static const QByteArray vectorHead = QByteArrayLiteral(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
    static const QByteArray matrixHead = QByteArrayLiteral(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
    checkVector(vectorHead + body + "]}}");
    checkMatrix(matrixHead + body + "]}}");
    return 0;
}
