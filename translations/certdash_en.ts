<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>certdash::Alerts</name>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="44"/>
        <source>expired %n hour(s) ago</source>
        <translation>
            <numerusform>expired %n hour ago</numerusform>
            <numerusform>expired %n hours ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="46"/>
        <source>expired %n day(s) ago</source>
        <translation>
            <numerusform>expired %n day ago</numerusform>
            <numerusform>expired %n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="53"/>
        <source>expires in %n hour(s)</source>
        <translation>
            <numerusform>expires in %n hour</numerusform>
            <numerusform>expires in %n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="55"/>
        <source>expires in %n day(s)</source>
        <translation>
            <numerusform>expires in %n day</numerusform>
            <numerusform>expires in %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="64"/>
        <source>Expired %n hour(s) ago, on %1.</source>
        <translation>
            <numerusform>Expired %n hour ago, on %1.</numerusform>
            <numerusform>Expired %n hours ago, on %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="66"/>
        <source>Expired %n day(s) ago, on %1.</source>
        <translation>
            <numerusform>Expired %n day ago, on %1.</numerusform>
            <numerusform>Expired %n days ago, on %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="73"/>
        <source>Expires in %n hour(s), on %1.</source>
        <translation>
            <numerusform>Expires in %n hour, on %1.</numerusform>
            <numerusform>Expires in %n hours, on %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="75"/>
        <source>%n day(s) left, expires %1.</source>
        <translation>
            <numerusform>%n day left, expires %1.</numerusform>
            <numerusform>%n days left, expires %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="86"/>
        <source>%n not resolved (DNS)</source>
        <translation>
            <numerusform>%n not resolved (DNS)</numerusform>
            <numerusform>%n not resolved (DNS)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="88"/>
        <source>%n unreachable</source>
        <translation>
            <numerusform>%n unreachable</numerusform>
            <numerusform>%n unreachable</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="90"/>
        <source>%n timed out</source>
        <translation>
            <numerusform>%n timed out</numerusform>
            <numerusform>%n timed out</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="92"/>
        <source>%n TLS handshake failed</source>
        <translation>
            <numerusform>%n TLS handshake failed</numerusform>
            <numerusform>%n TLS handshakes failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="120"/>
        <source>%n not trusted</source>
        <translation>
            <numerusform>%n not trusted</numerusform>
            <numerusform>%n not trusted</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="124"/>
        <source>%n expired</source>
        <translation>
            <numerusform>%n expired</numerusform>
            <numerusform>%n expired</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="127"/>
        <source>%n critical</source>
        <translation>
            <numerusform>%n critical</numerusform>
            <numerusform>%n critical</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="130"/>
        <source>%n warning</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warning</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="133"/>
        <source>%n rotation overdue</source>
        <translation>
            <numerusform>%n rotation overdue</numerusform>
            <numerusform>%n rotation overdue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="136"/>
        <source>%n ok</source>
        <translation>
            <numerusform>%n ok</numerusform>
            <numerusform>%n ok</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="141"/>
        <source>%n weakly secured</source>
        <translation>
            <numerusform>%n weakly secured</numerusform>
            <numerusform>%n weakly secured</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="143"/>
        <source>%n renewed</source>
        <translation>
            <numerusform>%n renewed</numerusform>
            <numerusform>%n renewed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="145"/>
        <source>%n trusted again</source>
        <translation>
            <numerusform>%n trusted again</numerusform>
            <numerusform>%n trusted again</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="267"/>
        <source>%n certificate(s) renewed</source>
        <translation>
            <numerusform>%n certificate renewed</numerusform>
            <numerusform>%n certificates renewed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="269"/>
        <location filename="../app/alerts/Notification.cpp" line="276"/>
        <source>%n certificate(s) crossed thresholds</source>
        <translation>
            <numerusform>%n certificate crossed thresholds</numerusform>
            <numerusform>%n certificates crossed thresholds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="273"/>
        <source>Outage: %n down</source>
        <translation>
            <numerusform>Outage: %n down</numerusform>
            <numerusform>Outage: %n down</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="294"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::ChangesModel</name>
    <message numerus="yes">
        <location filename="../ui/models/ChangesModel.cpp" line="56"/>
        <source>%1 still served, %n day(s) left</source>
        <translation>
            <numerusform>%1 still served, %n day left</numerusform>
            <numerusform>%1 still served, %n days left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::ChangesView</name>
    <message numerus="yes">
        <location filename="../ui/widgets/ChangesView.cpp" line="113"/>
        <source>%n change(s) since %1</source>
        <translation>
            <numerusform>%n change since %1</numerusform>
            <numerusform>%n changes since %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::DetailsPane</name>
    <message numerus="yes">
        <location filename="../ui/widgets/DetailsPane.cpp" line="54"/>
        <source>%1 (of a %n-day lifetime)</source>
        <translation>
            <numerusform>%1 (of a %n-day lifetime)</numerusform>
            <numerusform>%1 (of a %n-day lifetime)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/DetailsPane.cpp" line="434"/>
        <source>, ... and %n more</source>
        <translation>
            <numerusform>, ... and %n more</numerusform>
            <numerusform>, ... and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::EndpointTableModel</name>
    <message numerus="yes">
        <location filename="../ui/models/EndpointTableModelFleet.cpp" line="24"/>
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/models/EndpointTableModelFleet.cpp" line="26"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/models/EndpointTableModelFleet.cpp" line="28"/>
        <source>%n h</source>
        <translation>
            <numerusform>%n h</numerusform>
            <numerusform>%n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/models/EndpointTableModelFleet.cpp" line="29"/>
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::EstateCharts</name>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="327"/>
        <source>%1, %2: %n target address(es)</source>
        <translation>
            <numerusform>%1, %2: %n target address</numerusform>
            <numerusform>%1, %2: %n target addresses</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="340"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="345"/>
        <source>%1-day certificate, %n day(s) left</source>
        <translation>
            <numerusform>%1-day certificate, %n day left</numerusform>
            <numerusform>%1-day certificate, %n days left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="382"/>
        <source>%1-day certificates with %n day(s) left</source>
        <translation>
            <numerusform>%1-day certificates with %n day left</numerusform>
            <numerusform>%1-day certificates with %n days left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::ExpiryTimelineChart</name>
    <message numerus="yes">
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="292"/>
        <source>%n day(s) left</source>
        <translation>
            <numerusform>%n day left</numerusform>
            <numerusform>%n days left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::FleetSettings</name>
    <message numerus="yes">
        <location filename="../ui/widgets/FleetSettings.cpp" line="200"/>
        <source>%1 (%2, every %n s)</source>
        <translation>
            <numerusform>%1 (%2, every %n s)</numerusform>
            <numerusform>%1 (%2, every %n s)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::Inventory</name>
    <message numerus="yes">
        <location filename="../app/domain/Excerpt.cpp" line="82"/>
        <source> (%n characters)</source>
        <translation>
            <numerusform> (%n character)</numerusform>
            <numerusform> (%n characters)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/inventory/LineFormat.cpp" line="83"/>
        <source> and %n more</source>
        <translation>
            <numerusform> and %n more</numerusform>
            <numerusform> and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::MainWindow</name>
    <message numerus="yes">
        <location filename="../ui/widgets/MainWindow.cpp" line="745"/>
        <source>%1: %n row(s) ✕</source>
        <translation>
            <numerusform>%1: %n row ✕</numerusform>
            <numerusform>%1: %n rows ✕</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %n target(s) and their history?</source>
        <translation type="vanished">
            <numerusform>Remove %n target and its history?</numerusform>
            <numerusform>Remove %n targets and their history?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="203"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="204"/>
        <source>Remove these %n targets and their history?

%1</source>
        <translation>
            <numerusform>Remove this target and its history?

%1</numerusform>
            <numerusform>Remove these %n targets and their history?

%1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::NotificationBanner</name>
    <message numerus="yes">
        <source>... and %n more notification(s).</source>
        <translation type="vanished">
            <numerusform>... and %n more notification.</numerusform>
            <numerusform>... and %n more notifications.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::ScanRunText</name>
    <message numerus="yes">
        <location filename="../ui/widgets/ScanRunText.cpp" line="23"/>
        <source>%1, %n target(s)</source>
        <translation>
            <numerusform>%1, %n target</numerusform>
            <numerusform>%1, %n targets</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/ScanRunText.cpp" line="26"/>
        <source>%n need(s) attention</source>
        <translation>
            <numerusform>%n needs attention</numerusform>
            <numerusform>%n need attention</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/ScanRunText.cpp" line="44"/>
        <source>certdash scan of this store (%1), from %2 to %3:
%n endpoint address(es) probed; %4</source>
        <translation>
            <numerusform>certdash scan of this store (%1), from %2 to %3:
%n endpoint address probed; %4</numerusform>
            <numerusform>certdash scan of this store (%1), from %2 to %3:
%n endpoint addresses probed; %4</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::SecretStore</name>
    <message numerus="yes">
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="53"/>
        <source>the keychain did not answer within %n second(s)</source>
        <translation>
            <numerusform>the keychain did not answer within %n second</numerusform>
            <numerusform>the keychain did not answer within %n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::TrayNotifier</name>
    <message numerus="yes">
        <location filename="../ui/tray/TrayNotifier.cpp" line="210"/>
        <source>%n certificate alerts</source>
        <translation>
            <numerusform>%n certificate alert</numerusform>
            <numerusform>%n certificate alerts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/tray/TrayNotifier.cpp" line="213"/>
        <location filename="../ui/tray/TrayNotifier.cpp" line="214"/>
        <source>Outage: %n down</source>
        <translation>
            <numerusform>Outage: %n down</numerusform>
            <numerusform>Outage: %n down</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::X509</name>
    <message numerus="yes">
        <location filename="../app/probing/X509.cpp" line="54"/>
        <source>%n unexpected byte(s) after the DER certificate</source>
        <translation>
            <numerusform>%n unexpected byte after the DER certificate</numerusform>
            <numerusform>%n unexpected bytes after the DER certificate</numerusform>
        </translation>
    </message>
</context>
</TS>
