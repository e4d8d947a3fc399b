package io.controlplane.telemetry;

import java.util.Locale;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Stable plans for the reporting queries (KPIs, boards) on PostgreSQL, set inside their read-only transaction and only
 * there ({@code SET LOCAL} ends with the transaction, so the engine's statements on the same pooled connection keep
 * their cached generic plans and the planner's full choice: planning every journey statement again would cost the
 * journey CPU):
 * <ul>
 * <li>{@code plan_cache_mode = force_custom_plan}: pgjdbc switches a statement to a server-side prepared statement
 * after five uses, and PostgreSQL may then plan it once for any window (a generic plan, which cannot see how many rows
 * a window holds) — the custom/generic flip was the P95 ≈ 3× P50 swing of issue #13. A custom plan is made for the
 * window's own bounds; planning these statements costs well under a millisecond.</li>
 * <li>{@code enable_hashjoin = off, enable_mergejoin = off}: the reporting queries read a window through an index range
 * and look every other row up by key. The only join among them (approval rounds: the window's journeys to their review
 * tasks) must stay a nested loop over the process-instance index; with a hash or merge join the planner may read every
 * review task of the history instead (it did, from 20,000 missions on). Every other lookup is a scalar subquery, which
 * PostgreSQL runs per row anyway; the boards have no join.</li>
 * </ul>
 * H2 has neither setting: nothing to do there.
 */
@Component
class ReportingPlans {
    private final JdbcTemplate jdbc;
    private volatile Boolean postgres;

    ReportingPlans(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Called first in a reporting transaction; outside a transaction it does nothing (SET LOCAL would not last). */
    void apply() {
        if (TransactionSynchronizationManager.isActualTransactionActive() && postgres()) {
            jdbc.execute("SET LOCAL plan_cache_mode = force_custom_plan");
            jdbc.execute("SET LOCAL enable_hashjoin = off");
            jdbc.execute("SET LOCAL enable_mergejoin = off");
        }
    }

    /**
     * {@link #apply()}, and no sequential scan where an index can answer ({@code enable_seqscan = off}): for the KPI
     * facts, a table that grows by a few rows a minute and is analyzed only now and then, so its statistics may say
     * it is empty (right after a migration or a large catch-up, the benchmark's generated history) and the planner then
     * reads it whole — the plan that grew with the history. Every read of that query has an index; the setting only
     * rules out the full scan.
     */
    void applyIndexOnly() {
        apply();
        if (TransactionSynchronizationManager.isActualTransactionActive() && postgres()) {
            jdbc.execute("SET LOCAL enable_seqscan = off");
        }
    }

    boolean postgres() {
        Boolean p = postgres;
        if (p == null) {
            p = jdbc.execute((ConnectionCallback<Boolean>) c -> c.getMetaData()
                    .getDatabaseProductName()
                    .toLowerCase(Locale.ROOT)
                    .contains("postgres"));
            postgres = p;
        }
        return p;
    }
}
