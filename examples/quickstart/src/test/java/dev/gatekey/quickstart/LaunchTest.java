package dev.gatekey.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's exit codes and one-line messages, through {@link Quickstart#launch} (no System.exit). */
class LaunchTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Quickstart.Launch launch(String... args) {
        return Quickstart.launch(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String errLines() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void launchWhenHelpThenUsageAndZero() {
        Quickstart.Launch launch = launch("--help");

        assertThat(launch.exitCode()).isZero();
        assertThat(launch.running()).isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith(Options.USAGE).contains("--port N", "--data DIR");
        assertThat(errLines()).isEmpty();
    }

    @Test
    void launchWhenUnknownFlagThenExitTwoWithOneLine() {
        Quickstart.Launch launch = launch("--prot", "8080");

        assertThat(launch.exitCode()).isEqualTo(2);
        assertThat(errLines()).isEqualTo("gatekey-quickstart: unknown option [--prot] (see --help)"
                + System.lineSeparator());
    }

    @Test
    void launchWhenBadPortThenExitTwoWithOneLine() {
        Quickstart.Launch launch = launch("--port", "-1");

        assertThat(launch.exitCode()).isEqualTo(2);
        assertThat(errLines()).hasLineCount(1).contains("illegal port [-1]");
    }

    @Test
    void launchWhenMissingValueThenExitTwoWithOneLine() {
        Quickstart.Launch launch = launch("--data");

        assertThat(launch.exitCode()).isEqualTo(2);
        assertThat(errLines()).hasLineCount(1).contains("option --data needs a value");
    }

    @Test
    void launchWhenDataDirCannotBeCreatedThenExitOneWithOneLine() throws Exception {
        Path file = Files.createFile(tmp.resolve("a-file"));

        Quickstart.Launch launch = launch("--port", "0", "--data", file.resolve("data").toString());

        assertThat(launch.exitCode()).isEqualTo(1);
        assertThat(launch.running()).isNull();
        assertThat(errLines()).hasLineCount(1)
                .startsWith("gatekey-quickstart: cannot create data directory " + file.resolve("data"));
    }

    @Test
    void launchWhenDataDirIsAFileThenExitOneWithOneLine() throws Exception {
        Path file = Files.createFile(tmp.resolve("a-file"));

        Quickstart.Launch launch = launch("--port", "0", "--data", file.toString());

        assertThat(launch.exitCode()).isEqualTo(1);
        assertThat(errLines()).hasLineCount(1).contains(file.toString());
    }

    @Test
    void launchWhenPortInUseThenExitOneWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));

            Quickstart.Launch launch = launch("--port", Integer.toString(taken.getLocalPort()), "--data",
                    tmp.resolve("data").toString());

            assertThat(launch.exitCode()).isEqualTo(1);
            assertThat(errLines()).hasLineCount(1)
                    .startsWith("gatekey-quickstart: port " + taken.getLocalPort() + " is already in use");
            assertThat(tmp.resolve("data")).doesNotExist();
        }
    }

    @Test
    void launchWhenHelpThenListsTheSetOptionAndEverySettingName() {
        Quickstart.Launch launch = launch("--help");

        assertThat(launch.exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--set NAME=VALUE", "gatekey.leakAction",
                "gatekey.masterKeys", "gatekey.sessionTimeoutMinutes", "filter.rateLimitPerKey", "filter.cacheTtlSeconds");
    }

    @Test
    void launchWhenUnknownSettingThenExitTwoWithOneLineBeforeAnythingStarts() {
        Quickstart.Launch launch = launch("--port", "0", "--data", tmp.resolve("data").toString(),
                "--set", "gatekey.leakActoin=revoke");

        assertThat(launch.exitCode()).isEqualTo(2);
        assertThat(errLines()).isEqualTo("gatekey-quickstart: Unknown context parameter [gatekey.leakActoin]"
                + " (see --help)" + System.lineSeparator());
        assertThat(tmp.resolve("data")).doesNotExist();
    }

    @Test
    void launchWhenFilterSettingHasABadValueThenExitOneWithTheFiltersReasonInOneLine() {
        Quickstart.Launch launch = launch("--port", "0", "--data", tmp.resolve("data").toString(),
                "--set", "filter.rateLimitPerKey=lots");

        assertThat(launch.exitCode()).isEqualTo(1);
        assertThat(launch.running()).isNull();
        assertThat(errLines()).hasLineCount(1)
                .startsWith("gatekey-quickstart: the demo API did not start: ")
                .contains("[rateLimitPerKey]", "[lots]");
    }

    @Test
    void launchWhenAdminSettingHasABadValueThenExitOneWithTheAdminWarsReasonInOneLine() {
        Quickstart.Launch launch = launch("--port", "0", "--data", tmp.resolve("data").toString(),
                "--set", "gatekey.leakAction=explode");

        assertThat(launch.exitCode()).isEqualTo(1);
        assertThat(errLines()).hasLineCount(1)
                .startsWith("gatekey-quickstart: the admin WAR did not start: ")
                .contains("[gatekey.leakAction]", "[explode]");
    }
}
