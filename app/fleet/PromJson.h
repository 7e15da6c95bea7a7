#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

// Prometheus HTTP API answers read straight from their bytes (a 10,000-probe fleet is 15-27 MB
// of JSON; a QJsonDocument of it costs more than the rest of the read). Pure functions.
namespace certdash {

// The labels of one series: (name, value) pairs in the order read (Prometheus writes them sorted
// by name). Implicitly shared: copying a series' labels copies no string.
class PromLabels {
public:
    using Label = QPair<QString, QString>;

    PromLabels() = default;
    explicit PromLabels(QList<Label> labels)
        : m_labels(std::move(labels)) {}

    // The label's value; fallback when the series has no such label.
    QString value(const QString &name, const QString &fallback = {}) const {
        for (const Label &label : m_labels) {
            if (label.first == name)
                return label.second;
        }
        return fallback;
    }
    bool contains(const QString &name) const {
        for (const Label &label : m_labels) {
            if (label.first == name)
                return true;
        }
        return false;
    }
    // Sets the label (replacing its value when present, else appending it).
    void insert(const QString &name, const QString &value);
    const QList<Label> &pairs() const { return m_labels; }
    qsizetype size() const { return m_labels.size(); }
    bool isEmpty() const { return m_labels.isEmpty(); }
    // The same labels, in any order (the order carries no meaning in Prometheus).
    bool operator==(const PromLabels &other) const;
    bool operator!=(const PromLabels &other) const { return !(*this == other); }

private:
    QList<Label> m_labels;
};

// One series of an instant vector (/api/v1/query): its labels (with __name__ when the query
// kept it) and its value. The value's time is the query's evaluation time, not the sample's.
struct PromSample {
    PromLabels labels;
    double value = 0;
};
// One series of a range answer (/api/v1/query_range).
struct PromSeries {
    PromLabels labels;
    QList<QPair<qint64, double>> points; // (seconds since the epoch, value), oldest first
};

// The fast readers of a successful answer (`status` success, `data.resultType` vector or matrix),
// without a QJsonDocument. They accept a subset of what QJsonDocument accepts (any key order,
// whitespace, unknown keys skipped, escapes, UTF-8) and give then exactly the samples the
// QJsonDocument reader gives; anything else (an error answer, malformed or unusual JSON, a
// duplicate key, a value that is not [number, "string"]) is nullopt, and the caller reads the body
// with QJsonDocument (parsePromVector(), parsePromMatrix() in FleetRows.h), which words the error.
std::optional<QList<PromSample>> parsePromVectorFast(const QByteArray &body);
std::optional<QList<PromSeries>> parsePromMatrixFast(const QByteArray &body);

} // namespace certdash
