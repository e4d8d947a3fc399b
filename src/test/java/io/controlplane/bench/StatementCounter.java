package io.controlplane.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Counts what the application sends to its database: every JDBC statement executed (a batch counts once as a
 * round trip, its entries are counted too), by SQL verb, and the commits and rollbacks of its connections.
 * <p>
 * As a {@link BeanPostProcessor} it wraps the application's {@link DataSource} bean (and so every connection the
 * engine, Spring's transaction manager, Flyway and JdbcTemplate take from it) in proxies that count and delegate;
 * nothing else changes. Register it in a test's context ({@code @Import(StatementCounter.class)}) or in a hand-built
 * {@code SpringApplication} ({@code addInitializers(c -> c.getBeanFactory().addBeanPostProcessor(counter))}), then take
 * a {@link #snapshot()} before and after the work to measure and subtract. Counts are global to this counter (all
 * threads), so measure with nothing else running (e.g. no job executor), or accept the background in the figure.
 */
public class StatementCounter implements BeanPostProcessor {

    /** Counts at one moment; {@link #minus} gives the work between two snapshots. */
    public record Counts(
            long statements,
            long batchEntries,
            long selects,
            long inserts,
            long updates,
            long deletes,
            long other,
            long commits,
            long rollbacks,
            long connections) {

        public Counts minus(Counts before) {
            return new Counts(
                    statements - before.statements,
                    batchEntries - before.batchEntries,
                    selects - before.selects,
                    inserts - before.inserts,
                    updates - before.updates,
                    deletes - before.deletes,
                    other - before.other,
                    commits - before.commits,
                    rollbacks - before.rollbacks,
                    connections - before.connections);
        }

        /** Write statements as rows written: every insert, update and delete, batch entries included. */
        public long writes() {
            return inserts + updates + deletes;
        }

        /** Statements by verb, each batch entry counted once (what the database parses and executes). */
        public long executed() {
            return selects + inserts + updates + deletes + other;
        }

        public Counts per(long n) {
            return new Counts(
                    statements / n,
                    batchEntries / n,
                    selects / n,
                    inserts / n,
                    updates / n,
                    deletes / n,
                    other / n,
                    commits / n,
                    rollbacks / n,
                    connections / n);
        }

        @Override
        public String toString() {
            return String.format(
                    "%d statements (%d round trips, %d batch entries): %d selects, %d inserts, %d updates, "
                            + "%d deletes, %d other; %d commits, %d rollbacks, %d connections",
                    executed(),
                    statements,
                    batchEntries,
                    selects,
                    inserts,
                    updates,
                    deletes,
                    other,
                    commits,
                    rollbacks,
                    connections);
        }
    }

    private final LongAdder statements = new LongAdder();
    private final LongAdder batchEntries = new LongAdder();
    private final LongAdder selects = new LongAdder();
    private final LongAdder inserts = new LongAdder();
    private final LongAdder updates = new LongAdder();
    private final LongAdder deletes = new LongAdder();
    private final LongAdder other = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder rollbacks = new LongAdder();
    private final LongAdder connections = new LongAdder();
    /** executions by verb and first table ("insert act_hi_detail"), to see where statements go. */
    private final ConcurrentHashMap<String, LongAdder> byTable = new ConcurrentHashMap<>();

    /** Executions (batch entries included) by verb and table since start, most first. */
    public Map<String, Long> byTable() {
        Map<String, Long> out = new LinkedHashMap<>();
        byTable.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> out.put(e.getKey(), e.getValue().sum()));
        return out;
    }

    /** The difference of two {@link #byTable()} results. */
    public static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> out = new LinkedHashMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    public Counts snapshot() {
        return new Counts(
                statements.sum(),
                batchEntries.sum(),
                selects.sum(),
                inserts.sum(),
                updates.sum(),
                deletes.sum(),
                other.sum(),
                commits.sum(),
                rollbacks.sum(),
                connections.sum());
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource ds && !Proxy.isProxyClass(bean.getClass())) {
            return wrap(ds);
        }
        return bean;
    }

    /** A data source whose connections are counted. */
    public DataSource wrap(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(
                StatementCounter.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    if (result instanceof Connection c && method.getName().equals("getConnection")) {
                        connections.increment();
                        return connection(c);
                    }
                    return result;
                });
    }

    private Connection connection(Connection target) {
        return (Connection) Proxy.newProxyInstance(
                StatementCounter.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "commit" -> commits.increment();
                        case "rollback" -> {
                            if (args == null || args.length == 0) {
                                rollbacks.increment();
                            }
                        }
                        case "unwrap" -> {
                            if (((Class<?>) args[0]).isInstance(proxy)) {
                                return proxy;
                            }
                        }
                        default -> {}
                    }
                    Object result = invoke(target, method, args);
                    if (result instanceof Statement s) {
                        String sql = method.getName().startsWith("prepare")
                                        && args != null
                                        && args.length > 0
                                        && args[0] instanceof String text
                                ? text
                                : null;
                        return statement(s, sql);
                    }
                    return result;
                });
    }

    private Statement statement(Statement target, String preparedSql) {
        Class<?> type = target instanceof CallableStatement
                ? CallableStatement.class
                : target instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        List<String> batch = new ArrayList<>();
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("addBatch")) {
                batch.add(args != null && args.length == 1 ? (String) args[0] : preparedSql);
            } else if (name.equals("clearBatch")) {
                batch.clear();
            } else if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
                statements.increment();
                batchEntries.add(batch.size());
                batch.forEach(this::verb);
                batch.clear();
            } else if (name.startsWith("execute")) {
                statements.increment();
                verb(args != null && args.length > 0 && args[0] instanceof String sql ? sql : preparedSql);
            } else if (name.equals("getConnection")) {
                return invoke(target, method, args); // the real connection: callers only read its metadata
            }
            return invoke(target, method, args);
        };
        return (Statement)
                Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private void verb(String sql) {
        String s = sql == null ? "" : sql.stripLeading();
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        Matcher table = TABLE.matcher(s);
        byTable.computeIfAbsent(
                        s.substring(0, end).toLowerCase(Locale.ROOT) + " "
                                + (table.find() ? table.group(1).toLowerCase(Locale.ROOT) : "?"),
                        k -> new LongAdder())
                .increment();
        switch (s.substring(0, end).toLowerCase(Locale.ROOT)) {
            case "select", "with" -> selects.increment();
            case "insert" -> inserts.increment();
            case "update" -> updates.increment();
            case "delete" -> deletes.increment();
            default -> other.increment();
        }
    }

    private static final Pattern TABLE = Pattern.compile("(?i)\\b(?:from|into|update)\\s+([A-Za-z_][A-Za-z0-9_.]*)");

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
