<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>certdash::Alerts</name>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="30"/>
        <source>Expired %n day(s) ago, on %1.</source>
        <translation>
            <numerusform>Expired %n day ago, on %1.</numerusform>
            <numerusform>Expired %n days ago, on %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="33"/>
        <source>%n day(s) left, expires %1.</source>
        <translation>
            <numerusform>%n day left, expires %1.</numerusform>
            <numerusform>%n days left, expires %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="70"/>
        <source>%n expired</source>
        <translation>
            <numerusform>%n expired</numerusform>
            <numerusform>%n expired</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="73"/>
        <source>%n critical</source>
        <translation>
            <numerusform>%n critical</numerusform>
            <numerusform>%n critical</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="76"/>
        <source>%n warning</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warning</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="79"/>
        <source>%n rotation overdue</source>
        <translation>
            <numerusform>%n rotation overdue</numerusform>
            <numerusform>%n rotation overdue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="82"/>
        <source>%n ok</source>
        <translation>
            <numerusform>%n ok</numerusform>
            <numerusform>%n ok</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="87"/>
        <source>%n renewed</source>
        <translation>
            <numerusform>%n renewed</numerusform>
            <numerusform>%n renewed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="130"/>
        <source>%n certificate(s) renewed</source>
        <translation>
            <numerusform>%n certificate renewed</numerusform>
            <numerusform>%n certificates renewed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="132"/>
        <source>%n certificate(s) crossed thresholds</source>
        <translation>
            <numerusform>%n certificate crossed thresholds</numerusform>
            <numerusform>%n certificates crossed thresholds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="148"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::EstateCharts</name>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="320"/>
        <source>%1, %2: %n target address(es)</source>
        <translation>
            <numerusform>%1, %2: %n target address</numerusform>
            <numerusform>%1, %2: %n target addresses</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="333"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="334"/>
        <source>%1-day certificate, %n day(s) left</source>
        <translation>
            <numerusform>%1-day certificate, %n day left</numerusform>
            <numerusform>%1-day certificate, %n days left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="367"/>
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
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="230"/>
        <source>%1
%n day(s) left
SHA-256 %2
%3</source>
        <translation>
            <numerusform>%1
%n day left
SHA-256 %2
%3</numerusform>
            <numerusform>%1
%n days left
SHA-256 %2
%3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::MainWindow</name>
    <message numerus="yes">
        <location filename="../ui/widgets/MainWindow.cpp" line="619"/>
        <source>%1: %n row(s) ✕</source>
        <translation>
            <numerusform>%1: %n row ✕</numerusform>
            <numerusform>%1: %n rows ✕</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/MainWindow.cpp" line="713"/>
        <source>Remove %n target(s) and their history?</source>
        <translation>
            <numerusform>Remove %n target and its history?</numerusform>
            <numerusform>Remove %n targets and their history?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::NotificationBanner</name>
    <message numerus="yes">
        <location filename="../ui/tray/NotificationBanner.cpp" line="77"/>
        <source>... and %n more notification(s).</source>
        <translation>
            <numerusform>... and %n more notification.</numerusform>
            <numerusform>... and %n more notifications.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::TrayNotifier</name>
    <message numerus="yes">
        <location filename="../ui/tray/TrayNotifier.cpp" line="190"/>
        <source>%n certificate alerts</source>
        <translation>
            <numerusform>%n certificate alert</numerusform>
            <numerusform>%n certificate alerts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::X509</name>
    <message numerus="yes">
        <location filename="../app/probing/X509.cpp" line="55"/>
        <source>%n unexpected byte(s) after the DER certificate</source>
        <translation>
            <numerusform>%n unexpected byte after the DER certificate</numerusform>
            <numerusform>%n unexpected bytes after the DER certificate</numerusform>
        </translation>
    </message>
</context>
</TS>
