package dev.gatekey.examples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunInTomcatTest {

    @Test
    void parsePortWhenNoArgumentsThenTheDefaultPort() {
        assertThat(RunInTomcat.parsePort()).isEqualTo(8080);
    }

    @Test
    void parsePortWhenPortGivenThenThatPort() {
        assertThat(RunInTomcat.parsePort("--port", "0")).isZero();
    }

    @Test
    void parsePortWhenHelpThenMinusOne() {
        assertThat(RunInTomcat.parsePort("--port", "9000", "--help")).isEqualTo(-1);
    }

    @Test
    void parsePortWhenPortOutOfRangeThenTheMessageNamesTheOptionAndValue() {
        assertThatThrownBy(() -> RunInTomcat.parsePort("--port", "65536"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--port must be a number from 0 to 65535, not: 65536");
    }

    @Test
    void parsePortWhenPortIsNotANumberThenTheMessageNamesTheValue() {
        assertThatThrownBy(() -> RunInTomcat.parsePort("--port", "http"))
                .hasMessage("--port must be a number from 0 to 65535, not: http");
    }

    @Test
    void parsePortWhenPortHasNoValueThenTheMessageSaysSo() {
        assertThatThrownBy(() -> RunInTomcat.parsePort("--port")).hasMessage("--port needs a value");
    }

    @Test
    void parsePortWhenUnknownArgumentThenTheMessageNamesIt() {
        assertThatThrownBy(() -> RunInTomcat.parsePort("--data", "x")).hasMessage("unknown argument: --data");
    }

    @Test
    void requireFreeWhenThePortIsTakenThenTheMessageSaysWhatToDo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> RunInTomcat.requireFree(port))
                    .isInstanceOf(RunInTomcat.StartupException.class)
                    .hasMessageStartingWith("port " + port + " on 127.0.0.1 is in use")
                    .hasMessageEndingWith("or pass --port N (0 = any free port)");
        }
    }

    @Test
    void tomcatCommandWhenBuiltThenItRunsBootstrapOfTheHomeOnThisFolderAsBaseWithThePort() {
        Path base = Path.of("/opt/example/target/tomcat");
        Path home = Path.of("/opt/example/target/apache-tomcat-11.0.0");
        List<String> command = new RunInTomcat(base, 18080, System.out).tomcatCommand(home);
        assertThat(command).contains("-Dgatekey.example.port=18080", "-Dcatalina.home=" + home,
                "-Dcatalina.base=" + base, "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Djava.util.logging.config.file=" + base.resolve("conf").resolve("logging.properties"),
                home.resolve("bin").resolve("bootstrap.jar") + java.io.File.pathSeparator
                        + home.resolve("bin").resolve("tomcat-juli.jar"));
        assertThat(command.subList(command.size() - 2, command.size()))
                .containsExactly("org.apache.catalina.startup.Bootstrap", "start");
    }
}
