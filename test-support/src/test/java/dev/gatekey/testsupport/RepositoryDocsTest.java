package dev.gatekey.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's Markdown is self-contained: a clone has everything its README and docs point at. Lives here
 * because this module is the one every build runs first, and it has no code of its own to be documented.
 */
class RepositoryDocsTest {

    /** The repository root, relative to this module (Surefire's working directory). */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** {@code [text](target)} and {@code ![alt](target)}; the target up to a space, a title or the parenthesis. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    @Test
    void markdownWhenItsRelativeLinksAreResolvedThenEachNamesAFileInTheRepository() {
        List<String> broken = new ArrayList<>();
        for (Path page : markdownPages()) {
            Matcher link = LINK.matcher(read(page));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue; // a web address, or a place on the same page
                }
                String file = target.replaceFirst("#.*$", "");
                Path resolved = page.getParent().resolve(file).normalize();
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + ": " + target);
                }
            }
        }
        assertThat(broken).as("links to files outside the repository or missing").isEmpty();
    }

    @Test
    void markdownWhenReadThenNothingPointsAtTheSharedFolderOutsideTheRepository() {
        for (Path page : markdownPages()) {
            assertThat(read(page)).as(ROOT.relativize(page).toString()).doesNotContain("../shared");
        }
    }

    @Test
    void markdownPagesWhenListedThenTheReadmeAndTheDocsAreAmongThem() {
        assertThat(markdownPages()).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/README.md"),
                ROOT.resolve("examples/webxml-app/README.md"), ROOT.resolve("examples/annotated-app/README.md"));
    }

    /** Every {@code .md} file of the repository, outside build output and hidden folders. */
    static List<Path> markdownPages() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> {
                        for (Path part : ROOT.relativize(p)) {
                            String name = part.toString();
                            if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path page) {
        try {
            return Files.readString(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
