package dev.gatekey.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.persistence.MasterKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyFileTest {

    @TempDir
    Path dir;

    @Test
    void readOrCreateWhenMissingThenWritesOneOwnerOnlyKeyAndNothingElse() throws Exception {
        Path file = dir.resolve("master-key");

        String masterKeys = MasterKeyFile.readOrCreate(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file).trim()).isEqualTo(masterKeys);
        assertThat(MasterKeys.parse(masterKeys).keyIds()).containsExactly(MasterKeyFile.KEY_ID);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void readOrCreateWhenPresentThenReusesItsKey() throws Exception {
        Path file = dir.resolve("master-key");
        String first = MasterKeyFile.readOrCreate(file);

        String second = MasterKeyFile.readOrCreate(file);

        assertThat(second).isEqualTo(first);
    }

    @Test
    void readOrCreateWhenTheFileHoldsNoMasterKeysThenStartupExceptionNamingItWithoutItsContent() throws Exception {
        Path file = Files.writeString(dir.resolve("master-key"), "k1:c2VjcmV0");

        assertThatThrownBy(() -> MasterKeyFile.readOrCreate(file))
                .isInstanceOf(Quickstart.StartupException.class)
                .hasMessageStartingWith("the master key file " + file + " does not hold master keys (")
                .hasMessageNotContaining("c2VjcmV0");
    }
}
