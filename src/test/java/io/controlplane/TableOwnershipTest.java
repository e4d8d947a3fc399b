package io.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "No feature reads another feature's tables" (issue #14; docs/architecture.md, Conventions, Tables): every table the Flyway
 * migrations create has one owner package ({@code architecture/table-owners.txt}; Camunda's {@code ACT_*} tables are
 * the engine's, owned by {@code journey}), and every access of a package's main code to a table another package owns
 * is one recorded line of {@code architecture/table-access.txt} — a ratchet like {@code package-edges.txt}: a new
 * access fails, and so does a recorded one the code no longer has.
 *
 * <p>The SQL is read from the compiled main classes' string constants (the constant pool: literals, text blocks, the
 * constant parts of a concatenation, and the constants javac inlines from another class), so a table counts for the
 * package whose bytecode carries the statement. A table name counts after {@code FROM}, {@code JOIN} (reads) and
 * {@code INTO}, {@code UPDATE}, {@code DELETE FROM} (writes), case-insensitive, and only if it is a known table.
 */
class TableOwnershipTest {
    private static final Pattern ACCESS = Pattern.compile(
            "\\b(DELETE\\s+FROM|FROM|JOIN|INTO|UPDATE)\\s+([A-Za-z_][A-Za-z0-9_]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE = Pattern.compile(
            "\\bCREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TABLE|VIEW)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([A-Za-z_][A-Za-z0-9_]*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DROP = Pattern.compile(
            "\\bDROP\\s+(?:TABLE|VIEW)\\s+(?:IF\\s+EXISTS\\s+)?([A-Za-z_][A-Za-z0-9_]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern OWNER_LINE =
            Pattern.compile("(\\S+)\\s*->\\s*([a-z()]+)(?:\\s*;\\s*read by\\s+(.+))?");
    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__.*\\.sql");
    /** Camunda's tables: the engine's schema, which the project's migrations never create (ADR 0003) */
    private static final String ENGINE_TABLES = "ACT_*";

    private static Map<String, String> owners;
    /** table -> the packages that may read it without a recorded line (writes always count) */
    private static Map<String, Set<String>> readers;

    @BeforeAll
    static void readOwners() throws IOException {
        owners = new TreeMap<>();
        readers = new TreeMap<>();
        for (String line : lines("/architecture/table-owners.txt")) {
            Matcher m = OWNER_LINE.matcher(line);
            assertThat(m.matches())
                    .as("table-owners.txt line '%s' is 'table -> package' or 'table -> package; read by a, b'", line)
                    .isTrue();
            String table = m.group(1).toLowerCase(Locale.ROOT);
            assertThat(owners.put(table, m.group(2)))
                    .as("table-owners.txt names %s twice", table)
                    .isNull();
            if (m.group(3) != null) {
                readers.put(table, Set.of(m.group(3).trim().split("\\s*,\\s*")));
            }
        }
    }

    /**
     * The owner map is the schema's: every table and view the migrations leave (created, not dropped since) has an
     * owner, and the map names no table they do not — so a migration that adds a table must say whose it is.
     */
    @Test
    void everyTableTheMigrationsCreateHasOneOwner() throws Exception {
        Set<String> tables = migratedTables();
        Set<String> mapped = new TreeSet<>(owners.keySet());
        mapped.remove(ENGINE_TABLES.toLowerCase(Locale.ROOT));
        Set<String> unowned = new TreeSet<>(tables);
        unowned.removeAll(mapped);
        Set<String> gone = new TreeSet<>(mapped);
        gone.removeAll(tables);
        assertSoftly(softly -> {
            softly.assertThat(unowned)
                    .as("tables the migrations create without an owner in architecture/table-owners.txt (add 'table ->"
                            + " package' for the package that writes it)")
                    .isEmpty();
            softly.assertThat(gone)
                    .as("tables in architecture/table-owners.txt no migration leaves (delete their lines)")
                    .isEmpty();
        });
        Set<String> packages = packages();
        assertThat(new TreeSet<>(owners.values()))
                .as("owners in architecture/table-owners.txt are top-level packages of the main code")
                .allMatch(packages::contains);
        readers.values()
                .forEach(r ->
                        assertThat(packages).as("readers in table-owners.txt").containsAll(r));
    }

    /**
     * Every access of a package to a table another package owns, as "package reads|writes table (owner package)",
     * is a line of {@code architecture/table-access.txt}, and every line there is an access the code still has.
     */
    @Test
    void crossOwnerTableAccessesAreTheRecordedOnes() throws Exception {
        Set<String> actual = crossOwnerAccesses();
        Set<String> recorded = new TreeSet<>(lines("/architecture/table-access.txt"));
        Set<String> added = new TreeSet<>(actual);
        added.removeAll(recorded);
        Set<String> gone = new TreeSet<>(recorded);
        gone.removeAll(actual);
        assertSoftly(softly -> {
            softly.assertThat(added)
                    .as("table accesses across owners not in architecture/table-access.txt: go through the owner's API"
                            + " (a store or service of the owning package), or, for a report, a view or read model the"
                            + " reports own; recording a line is the last resort, and a write to another package's"
                            + " table never is one")
                    .isEmpty();
            softly.assertThat(gone)
                    .as("accesses in architecture/table-access.txt the code no longer has (delete their lines)")
                    .isEmpty();
        });
    }

    /** The scan finds the statements it is meant to, so an empty result means no access rather than a blind scan. */
    @Test
    void theScanSeesTheOwnersOwnStatements() throws Exception {
        Map<String, Set<String>> accesses = accesses();
        assertThat(accesses.get("mission")).contains("writes missions", "reads missions", "writes mission_approvals");
        assertThat(accesses.get("telemetry")).contains("writes kpi_facts", "reads ACT_HI_ACTINST");
    }

    private static Set<String> crossOwnerAccesses() throws Exception {
        Set<String> result = new TreeSet<>();
        accesses().forEach((pkg, found) -> {
            for (String access : found) {
                String table = access.substring(access.indexOf(' ') + 1);
                String owner = ownerOf(table);
                boolean mayRead = access.startsWith("reads ")
                        && readers.getOrDefault(key(table), Set.of()).contains(pkg);
                if (!owner.equals(pkg) && !mayRead) {
                    result.add(pkg + " " + access + " (owner " + owner + ")");
                }
            }
        });
        return result;
    }

    /** the owner map's key of a table: its name, or ACT_* for any of the engine's */
    private static String key(String table) {
        return table.startsWith("ACT_") ? ENGINE_TABLES.toLowerCase(Locale.ROOT) : table;
    }

    private static String ownerOf(String table) {
        String owner = owners.get(key(table));
        assertThat(owner)
                .as("owner of %s in architecture/table-owners.txt", table)
                .isNotNull();
        return owner;
    }

    /** package -> "reads table" / "writes table", over every string constant of the package's main classes */
    private static Map<String, Set<String>> accesses() throws Exception {
        Set<String> known = migratedTables();
        Map<String, Set<String>> result = new TreeMap<>();
        Path root = mainClasses();
        try (Stream<Path> files = Files.walk(root.resolve("io/controlplane"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String pkg =
                        feature(root.relativize(file.getParent()).toString().replace('/', '.'));
                for (String constant : stringConstants(Files.readAllBytes(file))) {
                    Matcher m = ACCESS.matcher(constant);
                    while (m.find()) {
                        String name = m.group(2);
                        String table = name.toUpperCase(Locale.ROOT).startsWith("ACT_")
                                ? name.toUpperCase(Locale.ROOT)
                                : name.toLowerCase(Locale.ROOT);
                        if (table.startsWith("ACT_") || known.contains(table)) {
                            String verb = m.group(1).toUpperCase(Locale.ROOT).matches("FROM|JOIN") ? "reads" : "writes";
                            result.computeIfAbsent(pkg, p -> new TreeSet<>()).add(verb + " " + table);
                        }
                    }
                }
            }
        }
        return result;
    }

    /** the tables and views the migrations leave, in version order (a later DROP removes an earlier CREATE) */
    private static Set<String> migratedTables() throws IOException, URISyntaxException {
        Path dir = mainClasses().resolve("db/migration");
        Map<Integer, Path> byVersion = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Matcher m = MIGRATION.matcher(file.getFileName().toString());
                if (m.matches()) {
                    byVersion.put(Integer.parseInt(m.group(1)), file);
                }
            }
        }
        Set<String> tables = new TreeSet<>();
        for (Path file : byVersion.values()) {
            String sql = Files.readString(file).replaceAll("--[^\n]*", "");
            Map<Integer, String> changes = new TreeMap<>();
            for (Matcher m = CREATE.matcher(sql); m.find(); ) {
                changes.put(m.start(), "+" + m.group(1).toLowerCase(Locale.ROOT));
            }
            for (Matcher m = DROP.matcher(sql); m.find(); ) {
                changes.put(m.start(), "-" + m.group(1).toLowerCase(Locale.ROOT));
            }
            for (String change : changes.values()) {
                if (change.startsWith("+")) {
                    tables.add(change.substring(1));
                } else {
                    tables.remove(change.substring(1));
                }
            }
        }
        return tables;
    }

    /** target/classes: the main code's output directory, where the migrations are too */
    private static Path mainClasses() throws URISyntaxException {
        return Path.of(ControlPlaneApplication.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    }

    private static Set<String> packages() throws Exception {
        Path root = mainClasses();
        try (Stream<Path> files = Files.walk(root.resolve("io/controlplane"))) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> feature(root.relativize(f.getParent()).toString().replace('/', '.')))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /**
     * The CONSTANT_String entries of a class file's constant pool (JVMS 4.4): the string literals, text blocks and
     * concatenation recipes of its code, and the values of its String constants.
     */
    private static List<String> stringConstants(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        Map<Integer, String> utf8 = new LinkedHashMap<>();
        List<Integer> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8.put(i, in.readUTF()); // the u2 length and modified UTF-8 readUTF expects
                case 8 -> strings.add(in.readUnsignedShort());
                case 7, 16, 19, 20 -> in.skipBytes(2);
                case 15 -> in.skipBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++; // a long or double takes two entries
                }
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        return strings.stream().map(utf8::get).toList();
    }

    /** the first package under io.controlplane ("(root)" for the application class), as in ArchitectureTest */
    private static String feature(String packageName) {
        String rest = packageName.equals("io.controlplane") ? "" : packageName.substring("io.controlplane.".length());
        return rest.isEmpty() ? "(root)" : rest.split("\\.")[0];
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = TableOwnershipTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        }
    }
}
