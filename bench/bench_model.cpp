// The dashboard table at estate scale: loads 100,000 target addresses into the model, sorts by
// days left, and times one filter keystroke, printing milliseconds. Offscreen; not a test.
#include "models/EndpointFilterProxy.h"
#include "models/EndpointTableModel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTableView>
#include <QTextStream>

using namespace certdash;

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int rows = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 100000;
    QTextStream out(stdout);

    // Synthetic results shaped like real ones: a leaf and an intermediate per endpoint.
    QRandomGenerator random(20261123);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<Target> targets;
    QList<ProbeResult> latest;
    targets.reserve(rows);
    latest.reserve(rows);
    CertificateInfo intermediate;
    intermediate.subject = QStringLiteral("CN=Bench Issuing CA, O=Bench");
    intermediate.subjectCommonName = QStringLiteral("Bench Issuing CA");
    intermediate.notBefore = now.addYears(-2);
    intermediate.notAfter = now.addYears(3);
    for (int i = 0; i < rows; ++i) {
        Target t;
        t.id = i + 1;
        t.host = QStringLiteral("host%1.team%2.example.com").arg(i).arg(i % 97);
        t.owner = QStringLiteral("team%1").arg(i % 97);
        t.tags = {QStringLiteral("env-prod"), QStringLiteral("team%1").arg(i % 97)};
        targets << t;
        ProbeResult r;
        r.target = t;
        r.address = QStringLiteral("10.%1.%2.%3").arg(i / 65536).arg((i / 256) % 256).arg(i % 256);
        r.sni = t.host;
        CertificateInfo leaf;
        leaf.subject = QStringLiteral("CN=") + t.host;
        leaf.subjectCommonName = t.host;
        leaf.issuer = intermediate.subject;
        leaf.issuerCommonName = intermediate.subjectCommonName;
        leaf.subjectAltNames = {QStringLiteral("DNS:") + t.host};
        leaf.keyType = QStringLiteral("EC");
        leaf.curve = QStringLiteral("prime256v1");
        leaf.notBefore = now.addDays(-int(random.bounded(80)));
        leaf.notAfter = leaf.notBefore.addDays(90);
        r.chain = {leaf, intermediate};
        r.limiting = leaf;
        r.limitingRole = QStringLiteral("leaf");
        r.daysLeft = daysLeft(leaf.notAfter, now);
        r.status = Status::Ok;
        r.trust.trusted = true;
        r.probedAt = now;
        latest << r;
    }

    EndpointTableModel model;
    EndpointFilterProxy proxy;
    proxy.setSourceModel(&model);
    QElapsedTimer timer;
    timer.start();
    model.setInventory(targets, latest);
    out << "model load:        " << model.rowCount() << " rows in " << timer.elapsed() << " ms\n";
    timer.restart();
    proxy.sort(EndpointTableModel::DaysLeftColumn, Qt::AscendingOrder);
    out << "sort by days left: " << timer.elapsed() << " ms\n";
    for (const char *text : {"t", "te", "team4", "team42 prod"}) {
        timer.restart();
        proxy.setText(QString::fromLatin1(text));
        out << "filter \"" << text << "\": " << proxy.rowCount() << " rows in " << timer.elapsed()
            << " ms\n";
    }
    // The same keystroke with the status and tag filters on, as from the window's combo boxes.
    proxy.setText({});
    proxy.setStatuses({int(Status::Ok), int(Status::Warning)});
    proxy.setTag(QStringLiteral("env-prod"));
    timer.restart();
    proxy.setText(QStringLiteral("team4"));
    out << "filter \"team4\" with status and tag filters: " << proxy.rowCount() << " rows in "
        << timer.elapsed() << " ms\n";

    // Results arriving during a scan: each one changes days left, so its row moves in the sorted
    // table. Timed per result, with a view on the proxy as in the window.
    proxy.setText({});
    proxy.setStatuses({});
    proxy.setTag({});
    QTableView view;
    view.setModel(&proxy);
    view.resize(1200, 600);
    view.show();
    QCoreApplication::processEvents();
    qint64 worst = 0;
    timer.restart();
    QElapsedTimer one;
    for (int i = 0; i < 1000; ++i) {
        ProbeResult r = latest.at(int(random.bounded(rows)));
        r.daysLeft = int(random.bounded(90));
        one.start();
        model.upsertResult(r);
        worst = std::max(worst, one.elapsed());
    }
    out << "1,000 results applied one by one to the sorted table: " << timer.elapsed()
        << " ms in all, worst one " << worst << " ms\n";
    // As the window applies them: in batches (what arrived within 100 ms).
    worst = 0;
    timer.restart();
    for (int b = 0; b < 20; ++b) {
        QList<ProbeResult> batch;
        for (int i = 0; i < 50; ++i) {
            ProbeResult r = latest.at(int(random.bounded(rows)));
            r.daysLeft = int(random.bounded(90));
            batch << r;
        }
        one.start();
        model.upsertResults(batch);
        worst = std::max(worst, one.elapsed());
    }
    out << "1,000 results applied in batches of 50: " << timer.elapsed()
        << " ms in all, worst batch " << worst << " ms\n";
    return 0;
}
