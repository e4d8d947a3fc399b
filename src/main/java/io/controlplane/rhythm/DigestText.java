package io.controlplane.rhythm;

import io.controlplane.mission.Stage;
import io.controlplane.telemetry.KpiService;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How the digests write numbers, KPIs and tables for people to read. */
final class DigestText {
    private DigestText() {}

    static List<List<String>> stageTable(String column, Map<Stage, Long> byStage) {
        List<List<String>> table = new ArrayList<>(List.of(List.of("Stage", column)));
        byStage.forEach((s, n) -> table.add(List.of(s.displayName(), Long.toString(n))));
        return table;
    }

    static List<List<String>> kpiTable(List<KpiService.Kpi> kpis) {
        List<List<String>> table = new ArrayList<>(List.of(List.of("KPI", "Value", "Target", "Status")));
        kpis.forEach(k -> table.add(List.of(k.name(), value(k), k.comparator() + " " + number(k.target()), status(k))));
        return table;
    }

    static String kpiLine(KpiService.Kpi k) {
        return k.name() + ": " + value(k) + " (target " + k.comparator() + " " + number(k.target()) + ") — "
                + status(k);
    }

    static String value(KpiService.Kpi k) {
        return k.value() == null ? "—" : number(k.value()) + ("%".equals(k.unit()) ? "%" : " " + k.unit());
    }

    static String status(KpiService.Kpi k) {
        return k.met() == null ? "no data" : k.met() ? "met" : "missed";
    }

    static String percent(Double p) {
        return p == null ? "—" : number(p) + "%";
    }

    /** At most one decimal, none when whole: 3, 2.5, 66.7; "—" for no value. */
    static String number(Double v) {
        if (v == null) {
            return "—";
        }
        double r = round1(v);
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** A status for people to read in the digest ({@code IN_PROGRESS} → "in progress"); the figures keep the API's. */
    static String prose(String status) {
        return status == null ? "" : status.toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
