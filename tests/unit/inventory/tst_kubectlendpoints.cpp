// Every pod behind a Service that backs an Ingress TLS host is a target of its own: read from
// `kubectl get ingress,services,endpointslices,pods -A -o json` (one List) or from those outputs
// as separate files, with what is not probed said in notes and bad objects named by location.
#include "inventory/TargetParser.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

namespace {

QByteArray fixture(const QString &name) {
    QFile file(QStringLiteral(CERTDASH_INVENTORY_TEST_DATA "/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return file.readAll();
}

// "host:port @address [tags]" for the targets that pin an address (the pods).
QStringList podRows(const ParsedTargets &parsed) {
    QStringList rows;
    for (const Target &t : parsed.targets) {
        if (!t.addresses.isEmpty())
            rows << u"%1 @%2 [%3]"_s.arg(t.hostPort(), t.addresses.join(u','), t.tags.join(u','));
    }
    return rows;
}

QStringList frontDoors(const ParsedTargets &parsed) {
    QStringList rows;
    for (const Target &t : parsed.targets) {
        if (t.addresses.isEmpty())
            rows << t.hostPort();
    }
    return rows;
}

// The objects of a List of the given kinds, as one kubectl output.
QByteArray listOf(const QByteArray &list, const QStringList &kinds) {
    QJsonArray items;
    for (const QJsonValue &item :
         QJsonDocument::fromJson(list).object().value(u"items"_s).toArray()) {
        if (kinds.contains(item.toObject().value(u"kind"_s).toString()))
            items.append(item);
    }
    return QJsonDocument(
               QJsonObject{{u"apiVersion"_s, u"v1"_s}, {u"kind"_s, u"List"_s}, {u"items"_s, items}})
        .toJson();
}

QString pod(const char *host, int port, const char *address, const char *pod, const char *ns,
            const char *service, const char *ingress) {
    const QString hostPort = u"%1:%2"_s.arg(QLatin1String(host)).arg(port);
    QStringList tags{u"namespace:%1"_s.arg(QLatin1String(ns)),
                     u"service:%1"_s.arg(QLatin1String(service))};
    if (*pod)
        tags << u"pod:%1"_s.arg(QLatin1String(pod));
    tags << u"ingress:%1"_s.arg(QLatin1String(ingress));
    return u"%1 @%2 [%3]"_s.arg(hostPort, QLatin1String(address), tags.join(u','));
}

const QStringList kExpectedPods{
    pod("shop.example.com", 8443, "10.1.0.11", "web-5d8f7c9b4-aaaaa", "shop", "web", "storefront"),
    pod("shop.example.com", 8443, "10.1.0.12", "web-5d8f7c9b4-bbbbb", "shop", "web", "storefront"),
    pod("shop.example.com", 8443, "10.1.0.13", "web-5d8f7c9b4-ccccc", "shop", "web", "storefront"),
    pod("shop.example.com", 8443, "fd00:0:0:1::11", "web-5d8f7c9b4-aaaaa", "shop", "web",
        "storefront"),
    pod("www.shop.example.com", 8443, "10.1.0.11", "web-5d8f7c9b4-aaaaa", "shop", "web",
        "storefront"),
    pod("www.shop.example.com", 8443, "10.1.0.12", "web-5d8f7c9b4-bbbbb", "shop", "web",
        "storefront"),
    pod("www.shop.example.com", 8443, "10.1.0.13", "web-5d8f7c9b4-ccccc", "shop", "web",
        "storefront"),
    pod("www.shop.example.com", 8443, "fd00:0:0:1::11", "web-5d8f7c9b4-aaaaa", "shop", "web",
        "storefront"),
    pod("api.example.com", 9000, "10.2.0.5", "api-0", "api", "api", "grpc"),
};

const QStringList kExpectedFrontDoors{
    u"shop.example.com:443"_s,     u"www.shop.example.com:443"_s, u"status.shop.example.com:443"_s,
    u"old.shop.example.com:443"_s, u"api.example.com:443"_s,      u"plain.example.com:443"_s};

} // namespace

class TestKubectlEndpoints : public QObject {
    Q_OBJECT
private slots:
    // `kubectl get ingress,services,endpointslices,pods -A -o json`: one List, detected by content.
    void oneListGivesARowPerReadyPod() {
        const QByteArray list = fixture(u"cluster.json"_s);
        QCOMPARE(detectTargetFormat(list), TargetFormat::Kubectl);
        const ParsedTargets parsed = parseTargets(list, u"cluster.json"_s);
        QVERIFY2(parsed.ok(), qPrintable(parsed.messages().join(u'\n')));
        QCOMPARE(frontDoors(parsed), kExpectedFrontDoors);
        QCOMPARE(podRows(parsed), kExpectedPods);
        for (const Target &t : parsed.targets) {
            // The ingress host is the name sent and verified, whatever address is dialled.
            QCOMPARE(t.effectiveSni(), t.host);
            QCOMPARE(t.verificationIdentity(), t.host);
        }
    }

    // What is read but not probed is said, without failing the import.
    void whatIsNotProbedIsSaid_data() {
        QTest::addColumn<QString>("note");
        QTest::newRow("not ready") << u"cluster.json: items[0] shop/storefront: host "
                                      u"shop.example.com -> service web port https: not ready, "
                                      u"not probed (a pod gets no traffic until it is "
                                      u"ready): web-5d8f7c9b4-ddddd"_s;
        QTest::newRow("no slice") << u"cluster.json: items[1] shop/legacy: host "
                                     u"old.shop.example.com -> service gone port 443: no "
                                     u"EndpointSlice of this Service in the input"_s;
        QTest::newRow("no tls") << u"cluster.json: items[0] shop/storefront: host "
                                   u"status.shop.example.com is not in spec.tls; the pods behind "
                                   u"it are not probed"_s;
        QTest::newRow("plain http") << u"cluster.json: items[3] api/plain: host plain.example.com "
                                       u"-> service plain port http: EndpointSlice plain-x1: port "
                                       u"http (8080) is not known to speak TLS"_s;
    }
    void whatIsNotProbedIsSaid() {
        QFETCH(QString, note);
        const ParsedTargets parsed = parseTargets(fixture(u"cluster.json"_s), u"cluster.json"_s);
        QVERIFY(parsed.ok());
        const QString all = parsed.messages().join(u'\n');
        QVERIFY2(all.contains(note), qPrintable(all));
    }

    // The same objects as separate outputs (ingress, endpointslices, services and pods each in
    // a file) read as one cluster, in any order.
    void separateFilesReadAsOneCluster() {
        const QByteArray list = fixture(u"cluster.json"_s);
        const QList<QPair<QByteArray, QString>> inputs{
            {listOf(list, {u"EndpointSlice"_s}), u"endpointslices.json"_s},
            {listOf(list, {u"Ingress"_s}), u"ingress.json"_s},
            {listOf(list, {u"Service"_s}), u"services.json"_s},
            {listOf(list, {u"Pod"_s}), u"pods.json"_s}};
        const ParsedTargets parsed = parseTargetInputs(inputs);
        QVERIFY2(parsed.ok(), qPrintable(parsed.messages().join(u'\n')));
        QCOMPARE(frontDoors(parsed), kExpectedFrontDoors);
        QStringList rows = podRows(parsed);
        QStringList expected = kExpectedPods;
        rows.sort();
        expected.sort();
        QCOMPARE(rows, expected);
    }

    // An ingress port given by number is a Service port: without the Service in the input, a
    // slice with several ports cannot say which is meant, and says so (one port is unambiguous).
    void numericPortWithoutService() {
        const QByteArray list = fixture(u"cluster.json"_s);
        const ParsedTargets parsed =
            parseTargets(listOf(list, {u"Ingress"_s, u"EndpointSlice"_s, u"Pod"_s}), u"in.json"_s);
        QVERIFY(parsed.ok());
        const QString all = parsed.messages().join(u'\n');
        QVERIFY2(all.contains(u"host www.shop.example.com -> service web port 443: EndpointSlice "
                              u"web-7xk2p has several ports and none is 443"_s),
                 qPrintable(all));
        QVERIFY2(all.contains(u"kubectl get services -A -o json"_s), qPrintable(all));
        for (const QString &row : podRows(parsed))
            QVERIFY2(!row.startsWith(u"www."_s), qPrintable(row));
        QVERIFY(podRows(parsed).contains(kExpectedPods.last())); // api: one port, matched
    }

    // Without EndpointSlices, an ingress output reads exactly as before: no pod rows.
    void ingressAloneIsUnchanged() {
        const QByteArray list = fixture(u"cluster.json"_s);
        const ParsedTargets parsed = parseTargets(listOf(list, {u"Ingress"_s}), u"in.json"_s);
        QVERIFY(parsed.ok());
        QVERIFY(parsed.notes.isEmpty());
        QCOMPARE(frontDoors(parsed), kExpectedFrontDoors);
        QVERIFY(podRows(parsed).isEmpty());
    }

    void slicesWithoutIngress() {
        const QByteArray list = fixture(u"cluster.json"_s);
        const ParsedTargets parsed = parseTargets(listOf(list, {u"EndpointSlice"_s}), u"in.json"_s);
        QVERIFY(!parsed.ok());
        QVERIFY2(
            parsed.messages().join(u'\n').contains(u"EndpointSlices need the `kubectl get "
                                                   u"ingress -A -o json` output beside them"_s),
            qPrintable(parsed.messages().join(u'\n')));
    }

    // Bad objects are named with their file, item and field, quoting a short excerpt.
    void badSlicesAreNamed_data() {
        QTest::addColumn<QByteArray>("slice");
        QTest::addColumn<QString>("message");
        QTest::newRow("address") << QByteArray(R"({"kind": "EndpointSlice", "addressType": "IPv4",
            "metadata": {"name": "s", "namespace": "n", "labels": {"kubernetes.io/service-name": "svc"}},
            "ports": [{"name": "https", "port": 8443}],
            "endpoints": [{"addresses": ["10.0.0.1"], "targetRef": {"kind": "Pod", "name": "p-0"}},
                          {"addresses": ["not-an-ip"], "targetRef": {"kind": "Pod", "name": "p-1"}}]})")
                                 << u"slices.json: items[0] n/s: endpoints[1].addresses[0] "
                                    u"'not-an-ip' is not an IP address"_s;
        QTest::newRow("pod name") << QByteArray(R"({"kind": "EndpointSlice", "addressType": "IPv6",
            "metadata": {"name": "s", "namespace": "n", "labels": {"kubernetes.io/service-name": "svc"}},
            "ports": [{"name": "https", "port": 8443}],
            "endpoints": [{"addresses": ["fd00::1"], "targetRef": {"kind": "Pod", "name": "Bad Pod"}}]})")
                                  << u"slices.json: items[0] n/s: endpoints[0].targetRef.name "
                                     u"'Bad Pod' is not a Kubernetes name"_s;
        QTest::newRow("port") << QByteArray(R"({"kind": "EndpointSlice", "addressType": "IPv4",
            "metadata": {"name": "s", "namespace": "n", "labels": {"kubernetes.io/service-name": "svc"}},
            "ports": [{"name": "https", "port": 70000}],
            "endpoints": [{"addresses": ["10.0.0.1"]}]})")
                              << u"slices.json: items[0] n/s: ports[].port"_s;
        QTest::newRow("other kind") << QByteArray(R"({"kind": "ConfigMap",
            "metadata": {"name": "s", "namespace": "n"}})")
                                    << u"slices.json: items[0] n/s: a ConfigMap, not an Ingress, "
                                       u"EndpointSlice, Service or Pod"_s;
    }
    void badSlicesAreNamed() {
        QFETCH(QByteArray, slice);
        QFETCH(QString, message);
        const QByteArray ingress = R"({"kind": "List", "items": [{"kind": "Ingress",
            "metadata": {"name": "i", "namespace": "n"},
            "spec": {"tls": [{"hosts": ["a.example"]}], "rules": [{"host": "a.example",
              "http": {"paths": [{"backend": {"service": {"name": "svc", "port": {"name": "https"}}}}]}}]}}]})";
        const QByteArray slices = "{\"kind\": \"List\", \"items\": [" + slice + "]}";
        const ParsedTargets parsed =
            parseTargetInputs({{ingress, u"ingress.json"_s}, {slices, u"slices.json"_s}});
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.issues.first().toString().startsWith(message),
                 qPrintable(parsed.issues.first().toString()));
    }
};

QTEST_GUILESS_MAIN(TestKubectlEndpoints)
#include "tst_kubectlendpoints.moc"
