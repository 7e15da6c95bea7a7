#include "ReportFixtures.h"
#include "reports/PrometheusReport.h"

#include <QRegularExpression>
#include <QTest>

using namespace certdash;

namespace {
struct Sample {
    QString name;
    QMap<QString, QString> labels; // unescaped
    double value = 0;
};

struct Exposition {
    QList<Sample> samples;
    QStringList helpFamilies; // in order of appearance
    QStringList typeFamilies;
    QStringList errors;      // lines that do not parse
    QStringList familyOrder; // family of each sample line, in order
};

// Label set per the text format: name="value" pairs, values escaped with \\ \" \n.
bool parseLabels(const QString &text, QMap<QString, QString> *labels) {
    qsizetype i = 0;
    static const QRegularExpression nameRe(QStringLiteral("\\G([a-zA-Z_][a-zA-Z0-9_]*)=\""));
    while (i < text.size()) {
        const QRegularExpressionMatch m = nameRe.match(text, i);
        if (!m.hasMatch())
            return false;
        i = m.capturedEnd();
        QString value;
        bool closed = false;
        while (i < text.size()) {
            const QChar c = text.at(i++);
            if (c == QLatin1Char('\\')) {
                if (i >= text.size())
                    return false;
                const QChar e = text.at(i++);
                if (e == QLatin1Char('n'))
                    value += QLatin1Char('\n');
                else if (e == QLatin1Char('\\') || e == QLatin1Char('"'))
                    value += e;
                else
                    return false;
            } else if (c == QLatin1Char('"')) {
                closed = true;
                break;
            } else if (c == QLatin1Char('\n')) {
                return false;
            } else {
                value += c;
            }
        }
        if (!closed || labels->contains(m.captured(1)))
            return false;
        labels->insert(m.captured(1), value);
        if (i < text.size()) {
            if (text.at(i) != QLatin1Char(','))
                return false;
            ++i;
        }
    }
    return true;
}

Exposition parse(const QByteArray &data) {
    Exposition e;
    static const QRegularExpression sampleRe(
        QStringLiteral("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{(.*)\\} (\\S+)$"));
    static const QRegularExpression helpRe(
        QStringLiteral("^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \\S.*$"));
    static const QRegularExpression typeRe(
        QStringLiteral("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter|untyped)$"));
    const QString text = QString::fromUtf8(data);
    if (!text.isEmpty() && !text.endsWith(QLatin1Char('\n')))
        e.errors.append(QStringLiteral("<no final newline>"));
    for (const QString &line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        if (const auto m = helpRe.match(line); m.hasMatch()) {
            e.helpFamilies.append(m.captured(1));
            continue;
        }
        if (const auto m = typeRe.match(line); m.hasMatch()) {
            e.typeFamilies.append(m.captured(1));
            continue;
        }
        const auto m = sampleRe.match(line);
        Sample s;
        bool ok = m.hasMatch() && parseLabels(m.captured(2), &s.labels);
        if (ok)
            s.value = m.captured(3).toDouble(&ok);
        if (!ok) {
            e.errors.append(line);
            continue;
        }
        s.name = m.captured(1);
        e.samples.append(s);
        e.familyOrder.append(s.name);
    }
    return e;
}

QList<Sample> samplesOf(const Exposition &e, const QString &name, const QString &host) {
    QList<Sample> found;
    for (const Sample &s : e.samples) {
        if (s.name == name && s.labels.value(QStringLiteral("host")) == host)
            found.append(s);
    }
    return found;
}

const QStringList kCertificateFamilies{
    QStringLiteral("certdash_cert_not_after_timestamp_seconds"),
    QStringLiteral("certdash_earliest_expiry_timestamp_seconds"),
    QStringLiteral("certdash_expiry_left_seconds"), // issue 15: was certdash_days_left
    QStringLiteral("certdash_cert_trusted"),
    QStringLiteral("certdash_trust_level"), // issue 10: a family added, every other kept
};
const QStringList kProbeFamilies{
    QStringLiteral("certdash_probe_success"),
    QStringLiteral("certdash_probe_duration_seconds"),
    QStringLiteral("certdash_status"),
};
} // namespace

class TestPrometheusReport : public QObject {
    Q_OBJECT
private slots:
    void everyLineParsesAndFamiliesAreAnnouncedOnce() {
        ProbeResult second = test::okResult();
        second.target.host = QStringLiteral("api.example.com");
        second.address = QStringLiteral("192.0.2.11");
        const Exposition e =
            parse(renderPrometheusReport({test::okResult(), test::timeoutResult(), second}));
        QVERIFY2(e.errors.isEmpty(), qPrintable(e.errors.join(QLatin1Char('\n'))));

        QStringList expected = kCertificateFamilies + kProbeFamilies;
        QStringList help = e.helpFamilies;
        QStringList type = e.typeFamilies;
        std::sort(expected.begin(), expected.end());
        std::sort(help.begin(), help.end());
        std::sort(type.begin(), type.end());
        QCOMPARE(help, expected);
        QCOMPARE(type, expected);

        // The samples of one family form a single block, in the order HELP/TYPE announced them.
        QStringList blocks;
        for (const QString &name : e.familyOrder) {
            if (blocks.isEmpty() || blocks.last() != name)
                blocks.append(name);
        }
        QCOMPARE(blocks, e.helpFamilies);
        QCOMPARE(e.typeFamilies, e.helpFamilies);
    }

    void helpAndTypePrecedeTheirSamples() {
        const QString text = QString::fromUtf8(renderPrometheusReport({test::okResult()}));
        const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString &family : kCertificateFamilies + kProbeFamilies) {
            const qsizetype help =
                lines.indexOf(QRegularExpression(QStringLiteral("# HELP %1 .+").arg(family)));
            const qsizetype type = lines.indexOf(QStringLiteral("# TYPE %1 gauge").arg(family));
            const qsizetype first =
                lines.indexOf(QRegularExpression(QStringLiteral("%1\\{.+").arg(family)));
            QVERIFY2(help >= 0 && type == help + 1 && first == type + 1, qPrintable(family));
        }
    }

    void valuesOfAHealthyEndpoint() {
        const ProbeResult r = test::okResult();
        const Exposition e = parse(renderPrometheusReport({r}));
        const QString host = r.target.host;

        const auto notAfter =
            samplesOf(e, QStringLiteral("certdash_cert_not_after_timestamp_seconds"), host);
        QCOMPARE(notAfter.size(), 1);
        QCOMPARE(qint64(notAfter.first().value), r.chain.first().notAfter.toSecsSinceEpoch());
        const auto earliest =
            samplesOf(e, QStringLiteral("certdash_earliest_expiry_timestamp_seconds"), host);
        QCOMPARE(earliest.size(), 1);
        QCOMPARE(qint64(earliest.first().value), r.limiting->notAfter.toSecsSinceEpoch());
        QVERIFY(earliest.first().value < notAfter.first().value); // intermediate limits

        QCOMPARE(samplesOf(e, QStringLiteral("certdash_expiry_left_seconds"), host).value(0).value,
                 40.0 * 86400);
        QCOMPARE(samplesOf(e, QStringLiteral("certdash_probe_success"), host).value(0).value, 1.0);
        QCOMPARE(samplesOf(e, QStringLiteral("certdash_cert_trusted"), host).value(0).value, 1.0);
        QCOMPARE(
            samplesOf(e, QStringLiteral("certdash_probe_duration_seconds"), host).value(0).value,
            1.5);

        const Sample s = notAfter.first();
        QCOMPARE(s.labels.keys(), (QStringList{QStringLiteral("address"), QStringLiteral("host"),
                                               QStringLiteral("port"), QStringLiteral("sni"),
                                               QStringLiteral("target")}));
        QCOMPARE(s.labels.value(QStringLiteral("target")), QStringLiteral("www.example.com:443"));
        QCOMPARE(s.labels.value(QStringLiteral("port")), QStringLiteral("443"));
        QCOMPARE(s.labels.value(QStringLiteral("address")), QStringLiteral("192.0.2.10"));
        QCOMPARE(s.labels.value(QStringLiteral("sni")), QStringLiteral("www.example.com"));
    }

    void expiredAndUntrustedValues() {
        ProbeResult r = test::okResult();
        r.status = Status::Expired;
        r.daysLeft = -3;
        r.trust.trusted = false;
        const Exposition e = parse(renderPrometheusReport({r}));
        QCOMPARE(samplesOf(e, QStringLiteral("certdash_expiry_left_seconds"), r.target.host)
                     .value(0)
                     .value,
                 -3.0 * 86400);
        QCOMPARE(
            samplesOf(e, QStringLiteral("certdash_cert_trusted"), r.target.host).value(0).value,
            0.0);
    }

    void trustLevelIsOneForTheCurrentLevelOnly() {
        ProbeResult r = test::okResult();
        r.trustVerdict.level = TrustLevel::Failed;
        const Exposition e = parse(renderPrometheusReport({r}));
        QVERIFY2(e.errors.isEmpty(), qPrintable(e.errors.join(QLatin1Char('\n'))));
        const auto samples = samplesOf(e, QStringLiteral("certdash_trust_level"), r.target.host);
        QCOMPARE(samples.size(), 4);
        for (const Sample &s : samples) {
            const bool current =
                s.labels.value(QStringLiteral("trust_level")) == QStringLiteral("failed");
            QCOMPARE(s.value, current ? 1.0 : 0.0);
        }
    }

    void statusIsOneForTheCurrentStatusOnly_data() {
        QTest::addColumn<bool>("failure");
        QTest::addColumn<QString>("status");
        QTest::newRow("ok") << false << "ok";
        QTest::newRow("warning") << false << "warning";
        QTest::newRow("expired") << false << "expired";
        QTest::newRow("timeout") << true << "timeout";
        QTest::newRow("unreachable") << true << "unreachable";
    }

    void statusIsOneForTheCurrentStatusOnly() {
        QFETCH(bool, failure);
        QFETCH(QString, status);
        ProbeResult r = failure ? test::timeoutResult() : test::okResult();
        r.status = *statusFromKey(status);
        const Exposition e = parse(renderPrometheusReport({r}));
        const auto samples = samplesOf(e, QStringLiteral("certdash_status"), r.target.host);
        QStringList seen;
        for (const Sample &s : samples) {
            const QString key = s.labels.value(QStringLiteral("status"));
            QVERIFY2(statusFromKey(key).has_value(), qPrintable(key));
            seen.append(key);
            QCOMPARE(s.value, key == status ? 1.0 : 0.0);
            QCOMPARE(s.labels.value(QStringLiteral("target")), r.target.label());
        }
        seen.sort();
        QStringList all{QStringLiteral("ok"),
                        QStringLiteral("rotation_overdue"),
                        QStringLiteral("warning"),
                        QStringLiteral("critical"),
                        QStringLiteral("not_yet_valid"),
                        QStringLiteral("expired"),
                        QStringLiteral("unreachable"),
                        QStringLiteral("timeout"),
                        QStringLiteral("handshake_failed")};
        all.sort();
        QCOMPARE(seen, all);
    }

    void failureEmitsOnlyProbeAndStatusMetrics() {
        const ProbeResult r = test::timeoutResult();
        const Exposition e = parse(renderPrometheusReport({r}));
        QVERIFY2(e.errors.isEmpty(), qPrintable(e.errors.join(QLatin1Char('\n'))));
        for (const QString &family : kCertificateFamilies) {
            QVERIFY2(samplesOf(e, family, r.target.host).isEmpty(), qPrintable(family));
            QVERIFY2(!e.helpFamilies.contains(family), qPrintable(family));
        }
        QCOMPARE(
            samplesOf(e, QStringLiteral("certdash_probe_success"), r.target.host).value(0).value,
            0.0);
        QCOMPARE(samplesOf(e, QStringLiteral("certdash_probe_duration_seconds"), r.target.host)
                     .value(0)
                     .value,
                 10.0);
        QCOMPARE(samplesOf(e, QStringLiteral("certdash_status"), r.target.host).size(), 9);
    }

    void labelValuesAreEscaped_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("escaped");
        QTest::newRow("plain") << "web 1"
                               << "web 1";
        QTest::newRow("backslash") << "C:\\certs"
                                   << "C:\\\\certs";
        QTest::newRow("quote") << "say \"hi\""
                               << "say \\\"hi\\\"";
        QTest::newRow("newline") << "a\nb"
                                 << "a\\nb";
        QTest::newRow("all") << "\\\"\n"
                             << "\\\\\\\"\\n";
        QTest::newRow("unicode") << QString::fromUtf8("bücher") << QString::fromUtf8("bücher");
    }

    void labelValuesAreEscaped() {
        QFETCH(QString, value);
        QFETCH(QString, escaped);
        QCOMPARE(escapePrometheusLabelValue(value), escaped);

        ProbeResult r = test::okResult();
        r.target.name = value;
        const QByteArray text = renderPrometheusReport({r});
        QVERIFY(text.contains(QStringLiteral("target=\"%1\"").arg(escaped).toUtf8()));
        const Exposition e = parse(text);
        QVERIFY2(e.errors.isEmpty(), qPrintable(e.errors.join(QLatin1Char('\n'))));
        for (const Sample &s : e.samples)
            QCOMPARE(s.labels.value(QStringLiteral("target")), value);
    }

    void emptyScanIsEmpty() { QCOMPARE(renderPrometheusReport({}), QByteArray()); }
};

QTEST_GUILESS_MAIN(TestPrometheusReport)
#include "tst_prometheusreport.moc"
