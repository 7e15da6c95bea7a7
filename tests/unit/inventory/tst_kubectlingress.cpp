#include "inventory/TargetParser.h"

#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

namespace {
// Trimmed from real `kubectl get ingress -A -o json` output.
const QByteArray kIngressList = R"({
  "apiVersion": "v1",
  "kind": "List",
  "items": [
    {
      "apiVersion": "networking.k8s.io/v1",
      "kind": "Ingress",
      "metadata": {"name": "api", "namespace": "payments"},
      "spec": {
        "tls": [{"hosts": ["api.pay.example", "api-v2.pay.example"], "secretName": "api-tls"}],
        "rules": [{"host": "api.pay.example", "http": {"paths": []}},
                  {"host": "status.pay.example"}]
      }
    },
    {
      "apiVersion": "networking.k8s.io/v1",
      "kind": "Ingress",
      "metadata": {"name": "shop", "namespace": "web"},
      "spec": {"rules": [{"host": "shop.example"}, {"http": {}}]}
    }
  ]
})";
} // namespace

class TestKubectlIngress : public QObject
{
    Q_OBJECT
private slots:
    void detectsAndParses()
    {
        QCOMPARE(detectTargetFormat(kIngressList), TargetFormat::Kubectl);
        const ParsedTargets parsed = parseTargets(kIngressList, u"ingress.json"_s);
        QVERIFY2(parsed.ok(), parsed.issues.isEmpty() ? "" : qPrintable(parsed.issues.first().toString()));
        QStringList hosts;
        for (const Target &t : parsed.targets) {
            hosts << t.host;
            QCOMPARE(t.port, quint16(443));
        }
        QCOMPARE(hosts, (QStringList{u"api.pay.example"_s, u"api-v2.pay.example"_s,
                                     u"status.pay.example"_s, u"shop.example"_s}));
        QCOMPARE(parsed.targets[0].tags, (QStringList{u"namespace:payments"_s, u"ingress:api"_s}));
        QCOMPARE(parsed.targets[3].tags, (QStringList{u"namespace:web"_s, u"ingress:shop"_s}));
        QCOMPARE(parsed.targets[0].effectiveSni(), u"api.pay.example"_s);
    }

    void singleIngressObject()
    {
        const QByteArray one = R"({"kind": "Ingress", "metadata": {"name": "a", "namespace": "n"},
            "spec": {"tls": [{"hosts": ["a.example"]}]}})";
        const ParsedTargets parsed = parseTargets(one, u"a.json"_s);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.targets.size(), 1);
    }

    void problemsAreNamed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("wildcard") << QByteArray(R"({"items": [{"kind": "Ingress",
            "metadata": {"name": "w", "namespace": "n"},
            "spec": {"tls": [{"hosts": ["*.example.com"]}]}}]})")
                                  << "in.json: items[0] n/w: wildcard host *.example.com";
        QTest::newRow("bad host") << QByteArray(R"({"items": [{"kind": "Ingress",
            "metadata": {"name": "b", "namespace": "n"},
            "spec": {"rules": [{"host": "bad host.example"}]}}]})")
                                  << "in.json: items[0] n/b: ";
        // Found by fuzz_kubectl: a host with a port was imported on that port; the API server
        // never writes one, so it is named rather than probed where nothing was configured.
        QTest::newRow("host with port") << QByteArray(R"({"items": [{"kind": "Ingress",
            "metadata": {"name": "p", "namespace": "n"},
            "spec": {"tls": [{"hosts": ["shop.example:5"]}]}}]})")
                                        << "in.json: items[0] n/p: host shop.example:5 is not a DNS name";
        // Issue 15: Services, EndpointSlices and Pods are read too (tst_kubectlendpoints).
        QTest::newRow("not an ingress") << QByteArray(R"({"items": [{"kind": "ConfigMap",
            "metadata": {"name": "s", "namespace": "n"}}]})")
                                        << "in.json: items[0] n/s: a ConfigMap, not an Ingress";
        QTest::newRow("broken json") << QByteArray("{\n  \"items\": [\n    {,]\n}")
                                     << "in.json:3: invalid JSON";
        QTest::newRow("not kubectl") << QByteArray(R"({"hello": "world"})") << "not kubectl output";
    }
    void problemsAreNamed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const ParsedTargets parsed = parseTargets(json, u"in.json"_s, TargetFormat::Kubectl);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.issues.first().toString().contains(message),
                 qPrintable(parsed.issues.first().toString()));
    }
};

QTEST_GUILESS_MAIN(TestKubectlIngress)
#include "tst_kubectlingress.moc"
