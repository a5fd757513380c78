package dev.gatekey.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape every module's code keeps, read from the sources of the whole repository (see
 * {@link RepositoryDocsTest#ROOT}): a {@code package-info.java} in every main package, no import cycle between
 * Gatekey packages, one test naming style, no oversized main source file. A failure names every offender.
 */
class CodeShapeTest {

    /** {@code <action>When<Condition>Then<Outcome>} or {@code when<Condition>Then<Outcome>}. */
    static final Pattern TEST_NAME =
            Pattern.compile("^([a-z][A-Za-z0-9]*When|when)[A-Z][A-Za-z0-9]*Then[A-Z0-9][A-Za-z0-9]*$");
    static final int MAX_MAIN_LINES = 400;

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern GATEKEY_IMPORT =
            Pattern.compile("(?m)^import\\s+(?:static\\s+)?(dev\\.gatekey\\.[\\w.]+?)(?:\\.\\*)?\\s*;");
    private static final Pattern TEST_ANNOTATION =
            Pattern.compile("^\\s*@(?:Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\\b.*");
    private static final Pattern METHOD = Pattern.compile("^\\s*(?:(?:public|protected|private|static|final"
            + "|abstract|synchronized|default)\\s+)*(?:<[^>]+>\\s+)?[\\w.<>\\[\\], ?]+\\s+(\\w+)\\s*\\(.*");

    @Test
    void mainPackagesWhenListedThenEachHasAPackageInfo() {
        Set<String> missing = new TreeSet<>();
        for (Path file : javaFiles("main")) {
            Path folder = file.getParent();
            if (!Files.exists(folder.resolve("package-info.java"))) {
                missing.add(relative(folder));
            }
        }
        assertThat(missing).as("main packages without a package-info.java").isEmpty();
    }

    @Test
    void mainPackageImportsWhenFollowedThenNoPackageReachesItself() {
        assertThat(cycles(importGraph(javaFiles("main"))))
                .as("package cycles among dev.gatekey packages (a package, one it imports, ..., the first again)")
                .isEmpty();
    }

    @Test
    void cyclesWhenTwoPackagesImportEachOtherThenReportedWithBothPackages() {
        Map<String, Set<String>> graph = new TreeMap<>();
        graph.put("a", new TreeSet<>(Set.of("b")));
        graph.put("b", new TreeSet<>(Set.of("c")));
        graph.put("c", new TreeSet<>(Set.of("b")));
        graph.put("d", new TreeSet<>(Set.of("a", "c")));

        assertThat(cycles(graph)).containsExactly("b -> c -> b");
    }

    @Test
    void testMethodNamesWhenReadFromEveryModuleThenEachFollowsTheWhenThenStyle() {
        List<String> offenders = new ArrayList<>();
        List<Path> files = new ArrayList<>(javaFiles("test"));
        files.addAll(javaFiles("main")); // a module may ship a test for others to run (the container matrix's smoke)
        for (Path file : files) {
            for (String name : testMethodNames(read(file))) {
                if (!TEST_NAME.matcher(name).matches()) {
                    offenders.add(relative(file) + ":" + name);
                }
            }
        }
        assertThat(offenders).as("test methods not named <action>When<Condition>Then<Outcome> or "
                + "when<Condition>Then<Outcome> (" + TEST_NAME.pattern() + ")").isEmpty();
    }

    @Test
    void testMethodNamesWhenAnnotationsSpanLinesThenTheMethodNameIsFound() {
        String source = String.join("\n",
                "class ExampleTest {",
                "    @ParameterizedTest",
                "    @CsvSource({",
                "        \"a, b\",",
                "    })",
                "    void parseWhenAThenB(String a, String b) throws Exception {",
                "    }",
                "",
                "    @Test",
                "    public void plain() {",
                "    }",
                "",
                "    void helper() {",
                "    }",
                "}");

        assertThat(testMethodNames(source)).containsExactly("parseWhenAThenB", "plain");
    }

    @Test
    void mainSourcesWhenCountedThenNoneIsOver400Lines() {
        Map<String, Integer> tooLong = new TreeMap<>();
        for (Path file : javaFiles("main")) {
            int lines = (int) read(file).lines().count();
            if (lines > MAX_MAIN_LINES) {
                tooLong.put(relative(file), lines);
            }
        }
        assertThat(tooLong).as("main source files over " + MAX_MAIN_LINES + " lines").isEmpty();
    }

    /**
     * Package to the Gatekey packages it imports, over every given file: a package split across modules is one
     * package. An import names a package when it names a type in it, a nested type or a static member of one.
     */
    static Map<String, Set<String>> importGraph(List<Path> files) {
        Map<Path, String> packageOf = new LinkedHashMap<>();
        for (Path file : files) {
            Matcher declared = PACKAGE.matcher(read(file));
            if (declared.find()) {
                packageOf.put(file, declared.group(1));
            }
        }
        Set<String> packages = new TreeSet<>(packageOf.values());
        Map<String, Set<String>> graph = new TreeMap<>();
        packages.forEach(p -> graph.put(p, new TreeSet<>()));
        packageOf.forEach((file, from) -> {
            Matcher imported = GATEKEY_IMPORT.matcher(read(file));
            while (imported.find()) {
                String to = longestPackagePrefix(imported.group(1), packages);
                if (to != null && !to.equals(from)) {
                    graph.get(from).add(to);
                }
            }
        });
        return graph;
    }

    private static String longestPackagePrefix(String name, Set<String> packages) {
        for (String candidate = name; candidate.contains("."); candidate = candidate.substring(0,
                candidate.lastIndexOf('.'))) {
            if (packages.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * One cycle per group of packages that reach each other, as {@code a -> b -> a}: from the group's first package
     * (in name order) along the shortest way back to it.
     */
    static List<String> cycles(Map<String, Set<String>> graph) {
        List<String> cycles = new ArrayList<>();
        Set<String> reported = new TreeSet<>();
        for (String start : graph.keySet()) {
            if (reported.contains(start)) {
                continue;
            }
            List<String> way = shortestWayBack(graph, start);
            if (way != null) {
                reported.addAll(way);
                cycles.add(String.join(" -> ", way) + " -> " + start);
            }
        }
        return cycles;
    }

    /** Breadth-first from {@code start}'s imports back to {@code start}: the packages on the way, or null. */
    private static List<String> shortestWayBack(Map<String, Set<String>> graph, String start) {
        Map<String, String> cameFrom = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (String next : graph.getOrDefault(start, Set.of())) {
            cameFrom.putIfAbsent(next, start);
            queue.add(next);
        }
        while (!queue.isEmpty()) {
            String current = queue.poll();
            if (current.equals(start)) {
                List<String> way = new ArrayList<>();
                for (String p = cameFrom.get(start); !p.equals(start); p = cameFrom.get(p)) {
                    way.add(0, p);
                }
                way.add(0, start);
                return way;
            }
            for (String next : graph.getOrDefault(current, Set.of())) {
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, current);
                    queue.add(next);
                }
            }
        }
        return null;
    }

    /** The names of the JUnit test methods declared in {@code source}, in order. */
    static List<String> testMethodNames(String source) {
        List<String> names = new ArrayList<>();
        boolean annotated = false;
        for (String line : source.split("\n")) {
            if (TEST_ANNOTATION.matcher(line).matches()) {
                annotated = true;
            } else if (annotated && !line.strip().startsWith("@")) {
                Matcher method = METHOD.matcher(line);
                if (method.matches()) {
                    names.add(method.group(1));
                    annotated = false;
                }
            }
        }
        return names;
    }

    /** Every {@code .java} file under a {@code src/<kind>/java} folder of any module, outside build output. */
    static List<Path> javaFiles(String kind) {
        Path sources = Path.of("src", kind, "java");
        try (Stream<Path> files = Files.walk(RepositoryDocsTest.ROOT)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().equals("package-info.java"))
                    .filter(p -> {
                        Path relative = RepositoryDocsTest.ROOT.relativize(p);
                        for (Path part : relative) {
                            String name = part.toString();
                            if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
                                return false;
                            }
                        }
                        return containsInOrder(relative, sources);
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean containsInOrder(Path path, Path part) {
        for (int i = 0; i + part.getNameCount() <= path.getNameCount(); i++) {
            if (path.subpath(i, i + part.getNameCount()).equals(part)) {
                return true;
            }
        }
        return false;
    }

    private static String relative(Path path) {
        return RepositoryDocsTest.ROOT.relativize(path).toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
