// The bodies tst_promjson reads (apart from its moc-parsed file: moc misreads raw strings).
#include "tst_promjson_cases.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace certdash::test {

namespace {
QByteArray vectorOf(const QByteArray &result) {
    return R"({"status":"success","data":{"resultType":"vector","result":[)" + result + "]}}";
}
QByteArray matrixOf(const QByteArray &result) {
    return R"({"status":"success","data":{"resultType":"matrix","result":[)" + result + "]}}";
}
// One vector series with these labels (a JSON object's members) and [time, value].
QByteArray sample(const QByteArray &labels, const QByteArray &time = "1733600000.123",
                  const QByteArray &value = R"("1")") {
    return R"({"metric":{)" + labels + R"(},"value":[)" + time + "," + value + "]}";
}
const QByteArray kLabels =
    R"("__name__":"probe_success","host":"a.test","instance":"10.0.0.1:443","job":"certdash_blackbox","target":"a.test")";

QByteArray realBody(const QString &name) {
    QFile f(QStringLiteral(CERTDASH_PROM_BODIES) + u"/prometheus-2.42-"_s + name + u".json"_s);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(f.fileName()));
    return f.readAll();
}

// Sets a case's body and expectation as QTest::newRow() << body << expect would.
struct RowWriter {
    PromCase *row;
    RowWriter &operator<<(const QByteArray &body) {
        row->body = body;
        return *this;
    }
    RowWriter &operator<<(Expect expect) {
        row->expect = expect;
        return *this;
    }
};
} // namespace

QList<PromCase> promVectorCases() {
    QList<PromCase> cases;
    const auto newRow = [&cases](const QByteArray &name) {
        cases.append({name, {}, Either});
        return RowWriter{&cases.last()};
    };

    // What Prometheus writes.
    newRow("empty result") << vectorOf("") << Accepts;
    newRow("one series") << vectorOf(sample(kLabels)) << Accepts;
    QByteArray many;
    for (int i = 0; i < 300; ++i) {
        many +=
            QByteArray(i ? "," : "") +
            sample(R"("__name__":"probe_ssl_earliest_cert_expiry","instance":"10.0.)" +
                       QByteArray::number(i / 256) + "." + QByteArray::number(i % 256) +
                       R"(:443","job":"certdash_blackbox","target":"svc)" + QByteArray::number(i) +
                       R"(.test")",
                   "1733600000.5", '"' + QByteArray::number(1.7e9 + i * 86400.5, 'g', 12) + '"');
    }
    newRow("many series") << vectorOf(many) << Accepts;
    newRow("prometheus 2.42 metrics") << realBody(u"vector"_s) << Accepts;
    newRow("prometheus 2.42 timestamp()") << realBody(u"times"_s) << Accepts;
    newRow("prometheus 2.42 stats") << realBody(u"stats"_s) << Accepts;
    newRow("prometheus 2.42 empty") << realBody(u"empty"_s) << Accepts;
    newRow("no __name__ (timestamp())")
        << vectorOf(sample(R"("instance":"a:443","job":"j")")) << Accepts;
    newRow("empty metric") << vectorOf(sample("")) << Accepts;
    newRow("no metric") << vectorOf(R"({"value":[1733600000,"2"]})") << Accepts;

    // Any key order, whitespace anywhere, keys it does not know.
    newRow("data before status") << QByteArray(R"({"data":{"result":[)" + sample(kLabels) +
                                               R"(],"resultType":"vector"},"status":"success"})")
                                 << Accepts;
    newRow("value before metric")
        << vectorOf(R"({"value":[1733600000,"0"],"metric":{"job":"j","instance":"i:1"}})")
        << Accepts;
    newRow("whitespace")
        << QByteArray(" \r\n\t{ \"status\" :\t\"success\" ,\n\"data\" : { \"resultType\" : "
                      "\"vector\" , \"result\" : [ { \"metric\" : { \"job\" : \"j\" , "
                      "\"instance\" : \"i\" } , \"value\" : [ 1733600000 , \"3\" ] } , "
                      "{ \"value\" :[1,\"4\"] ,\"metric\":{ } } ] } } \n\r\t ")
        << Accepts;
    newRow("extra keys")
        << QByteArray(
               R"({"warnings":["w1",{"deep":[1,2,{"x":null}]}],"status":"success","infos":["i"],)"
               R"("data":{"stats":{"timings":{"evalTotalTime":0.1,"a":[true,false,null,-1.5e-3]}},)"
               R"("resultType":"vector","extra":{},"result":[{"metric":{"job":"j"},"x":[[]],)"
               R"("values":[[1,"2"]],"value":[1733600000,"5"],"y":"z"}]},"error":"","z":{}})")
        << Accepts;

    // Strings: escapes, surrogate pairs, raw UTF-8.
    newRow("escapes") << vectorOf(sample(
                             R"("a":"q\"b\\s\/f\bff\fn\nr\rt\t","b\u0062":"\u00e9\u20AC\u0000")"))
                      << Accepts;
    newRow("surrogate pair") << vectorOf(sample(
                                    R"("emoji":"x\ud83d\ude00y","k\uD834\uDD1E":"\uDBFF\uDFFF")"))
                             << Accepts;
    newRow("raw utf-8") << vectorOf(
                               sample("\"target\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\","
                                      "\"\xc3\xa9\":\"\xf4\x8f\xbf\xbf\""))
                        << Accepts;
    newRow("utf-8 noncharacters") << vectorOf(sample(
                                         "\"a\":\"\xef\xbf\xbf\xef\xb7\x90\",\"b\":\"\\uFFFE\""))
                                  << Either;
    newRow("escaped keys")
        << QByteArray(
               R"({"\u0073tatus":"succ\u0065ss","d\u0061ta":{"resultType":"v)"
               R"(\u0065ctor","r\u0065sult":[{"m\u0065tric":{"job":"j"},"v\u0061lue":[1,"6"]}]}})")
        << Accepts;
    newRow("labels unsorted") << vectorOf(sample(
                                     R"("target":"t","job":"j","__name__":"up","instance":"i")"))
                              << Accepts;

    // Numbers in every JSON form (the time), values as Prometheus writes them.
    const QList<QByteArray> times = {"0",
                                     "-1",
                                     "1733600000",
                                     "1733600000.123",
                                     "1.7e9",
                                     "1.7E+9",
                                     "17e-1",
                                     "-0.0",
                                     "-0",
                                     "1e308",
                                     "5e-324",
                                     "123456789012345678901234",
                                     "9223372036854775807",
                                     "9223372036854775808"};
    for (const QByteArray &time : times)
        newRow(("time " + time).constData()) << vectorOf(sample(kLabels, time)) << Accepts;
    const QList<QByteArray> values = {
        R"("NaN")",      R"("+Inf")", R"("-Inf")",      R"("1e+09")", R"("-6.21355968e+10")",
        R"("0.012345")", R"("0")",    R"("1733700000")"};
    for (const QByteArray &value : values)
        newRow(("value " + value).constData()) << vectorOf(sample(kLabels, "1", value)) << Accepts;
    newRow("time 1e400") << vectorOf(sample(kLabels, "1e400")) << Either;
    newRow("time 1e-400") << vectorOf(sample(kLabels, "1e-400")) << Either;

    // What the fast reader leaves to QJsonDocument (and its messages).
    newRow("prometheus 2.42 error") << realBody(u"error"_s) << Declines;
    newRow("status error")
        << QByteArray(R"({"status":"error","errorType":"bad_data","error":"parse error"})")
        << Declines;
    newRow("matrix for a vector") << matrixOf("") << Declines;
    newRow("scalar")
        << QByteArray(R"({"status":"success","data":{"resultType":"scalar","result":[1,"1"]}})")
        << Declines;
    newRow("no status") << QByteArray(R"({"data":{"resultType":"vector","result":[]}})")
                        << Declines;
    newRow("no result") << QByteArray(R"({"status":"success","data":{"resultType":"vector"}})")
                        << Declines;
    newRow("empty body") << QByteArray() << Declines;
    newRow("html") << QByteArray("<html>502 Bad Gateway</html>") << Declines;
    newRow("top-level array") << QByteArray("[]") << Declines;
    const QByteArray whole = vectorOf(sample(kLabels));
    for (const int cut : {1, 10, 40, 80, int(whole.size()) - 1})
        newRow(("truncated at " + QByteArray::number(cut)).constData())
            << whole.left(cut) << Declines;
    newRow("trailing garbage") << whole + "x" << Declines;
    newRow("two documents") << whole + whole << Declines;
    newRow("missing comma") << vectorOf(R"({"metric":{"a":"b"} "value":[1,"1"]})") << Declines;
    newRow("trailing comma") << vectorOf(sample(kLabels) + ",") << Declines;
    newRow("value [string, string]") << vectorOf(sample(kLabels, R"("1")")) << Declines;
    newRow("value [number, number]") << vectorOf(sample(kLabels, "1", "1")) << Declines;
    newRow("value [number]") << vectorOf(R"({"metric":{},"value":[1]})") << Declines;
    newRow("value of three") << vectorOf(R"({"metric":{},"value":[1,"1","2"]})") << Declines;
    newRow("value not a number") << vectorOf(sample(kLabels, "1", R"("abc")")) << Declines;
    newRow("no value") << vectorOf(R"({"metric":{"a":"b"}})") << Declines;
    newRow("series not an object") << vectorOf("[1]") << Declines;
    newRow("label value a number") << vectorOf(sample(R"("port":443)")) << Declines;
    newRow("label value null") << vectorOf(sample(R"("port":null)")) << Declines;
    newRow("invalid escape \\x") << vectorOf(sample(R"("a":"\x41")")) << Declines;
    newRow("invalid escape \\u12G4") << vectorOf(sample(R"("a":"\u12G4")")) << Declines;
    newRow("lone high surrogate") << vectorOf(sample(R"("a":"\ud83dx")")) << Declines;
    newRow("lone low surrogate") << vectorOf(sample(R"("a":"\ude00")")) << Declines;
    newRow("invalid utf-8") << vectorOf(sample("\"a\":\"\xc3\x28\"")) << Declines;
    newRow("overlong utf-8") << vectorOf(sample("\"a\":\"\xc0\xaf\"")) << Declines;
    newRow("utf-8 surrogate") << vectorOf(sample("\"a\":\"\xed\xa0\x80\"")) << Declines;
    newRow("raw tab in a string") << vectorOf(sample("\"a\":\"x\ty\"")) << Declines;
    newRow("utf-8 BOM") << "\xef\xbb\xbf" + whole << Declines;
    newRow("status twice")
        << QByteArray(
               R"({"status":"error","status":"success","data":{"resultType":"vector","result":[]}})")
        << Declines;
    newRow("label twice") << vectorOf(sample(R"("job":"a","instance":"i","job":"b")")) << Declines;
    QByteArray unsorted, unsortedTwice;
    for (int i = 300; i > 0; --i)
        unsorted += (i < 300 ? "," : "") + QByteArray(R"("l)") + QByteArray::number(i) + R"(":"v")";
    unsortedTwice = unsorted + R"(,"l150":"w")";
    cases.append({"many labels unsorted", vectorOf(sample(unsorted)), Accepts});
    cases.append({"many labels unsorted, one twice", vectorOf(sample(unsortedTwice)), Declines});
    newRow("label twice, escaped") << vectorOf(sample(R"("job":"a","j\u006fb":"b")")) << Declines;
    newRow("value twice") << vectorOf(R"({"metric":{},"value":[1,"1"],"value":[1,"2"]})")
                          << Declines;
    for (const char *number : {"01", "1.", ".5", "+1", "-", "1e", "0x10", "Infinity"})
        newRow((QByteArray("time ") + number).constData())
            << vectorOf(sample(kLabels, number)) << Declines;
    newRow("deep nesting")
        << QByteArray(R"({"x":)" + QByteArray(300, '[') + QByteArray(300, ']') +
                      R"(,"status":"success","data":{"resultType":"vector","result":[]}})")
        << Declines;
    return cases;
}

QList<PromCase> promMatrixCases() {
    QList<PromCase> cases;
    const auto newRow = [&cases](const QByteArray &name) {
        cases.append({name, {}, Either});
        return RowWriter{&cases.last()};
    };

    newRow("empty result") << matrixOf("") << Accepts;
    newRow("prometheus 2.42 range") << realBody(u"matrix"_s) << Accepts;
    newRow("one series")
        << matrixOf(R"({"metric":{"__name__":"probe_success","job":"j","instance":"i:443"},)"
                    R"("values":[[1733600000,"1"],[1733600060.5,"0"],[1.7336001e9,"NaN"]]})")
        << Accepts;
    QByteArray many;
    for (int i = 0; i < 50; ++i) {
        QByteArray values;
        for (int p = 0; p < 20; ++p)
            values += QByteArray(p ? "," : "") + "[" + QByteArray::number(1733600000 + p * 60) +
                      ",\"" + QByteArray::number(i * p) + "\"]";
        many += QByteArray(i ? "," : "") + R"({"metric":{"__name__":"m)" + QByteArray::number(i) +
                R"(","job":"j"},"values":[)" + values + "]}";
    }
    newRow("many series") << matrixOf(many) << Accepts;
    newRow("values before metric, extra keys")
        << QByteArray(
               R"({"data":{"result":[{"values":[[1,"2"]],"value":[1,"x"],"metric":{"a":"b"}}],)"
               R"("resultType":"matrix"},"status":"success","warnings":[]})")
        << Accepts;
    newRow("no values") << matrixOf(R"({"metric":{"a":"b"}})") << Accepts;
    // The old reader leaves such points out; so does the fast one.
    newRow("point not a number") << matrixOf(R"({"metric":{},"values":[[1,"abc"],[2,"3"]]})")
                                 << Accepts;
    newRow("point time out of range")
        << matrixOf(R"({"metric":{},"values":[[1e300,"1"],[-1e19,"1"],[2,"3"]]})") << Accepts;

    newRow("vector for a matrix") << vectorOf("") << Declines;
    newRow("point [string, string]")
        << matrixOf(R"({"metric":{},"values":[["1","1"]]})") << Declines;
    newRow("values not an array") << matrixOf(R"({"metric":{},"values":{}})") << Declines;
    newRow("truncated") << matrixOf(R"({"metric":{},"values":[[1,"1"])") << Declines;
    newRow("lone surrogate") << matrixOf(R"({"metric":{"a":"\udfff"},"values":[]})") << Declines;
    return cases;
}

} // namespace certdash::test
