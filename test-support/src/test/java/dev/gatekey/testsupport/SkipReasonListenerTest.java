package dev.gatekey.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class SkipReasonListenerTest {

    static final String DATABASE = "GATEKEY_TEST_JDBC_URL is not set: PostgreSQL tests skipped";
    static final String BROWSER = "chromedriver not installed: browser tests skipped";

    @Test
    void whenTestsFailAnAssumptionThenOneLineCountsThemUnderItsMessage() {
        assertThat(run(AssumingDatabase.class)).containsExactly("Skipped 2: " + DATABASE);
    }

    @Test
    void whenAContainerIsAbortedThenItsTestsAreCounted() {
        assertThat(run(AbortedInBeforeAll.class)).containsExactly("Skipped 3: " + BROWSER);
    }

    @Test
    void whenAConditionDisablesAClassThenItsTestsAreCountedUnderTheConditionsReason() {
        assertThat(run(DisabledClass.class)).containsExactly("Skipped 2: only on Tuesdays");
    }

    @Test
    void whenSeveralReasonsThenOneLinePerReasonInTheOrderTheyFirstOccurred() {
        assertThat(run(AssumingDatabase.class, AbortedInBeforeAll.class, AlsoAssumingDatabase.class))
                .containsExactly("Skipped 3: " + DATABASE, "Skipped 3: " + BROWSER);
    }

    @Test
    void whenNothingIsSkippedThenNothingIsPrinted() {
        assertThat(run(Passing.class)).isEmpty();
    }

    @Test
    void whenAnAssumptionHasNoMessageThenJUnitsDefaultMessageIsTheReason() {
        assertThat(run(AssumingWithoutMessage.class)).containsExactly("Skipped 1: assumption is not true");
    }

    @Test
    void whenAReasonIsMissingThenItIsDescribedAsNoReasonGiven() {
        assertThat(SkipReasonListener.describe(null)).isEqualTo(SkipReasonListener.NO_REASON);
    }

    @Test
    void whenAReasonSpansLinesThenItIsPrintedOnOneLine() {
        assertThat(SkipReasonListener.describe("Assumption failed: no browser:\n  install chromium"))
                .isEqualTo("no browser: install chromium");
    }

    private static List<String> run(Class<?>... classes) {
        List<String> console = new ArrayList<>();
        // auto-registration off: the listener under test only, not the one the service file installs
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .build());
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (Class<?> type : classes) {
            request.selectors(selectClass(type));
        }
        launcher.execute(request.build(), new SkipReasonListener(console::add));
        return console;
    }

    static class AssumingDatabase {
        @Test
        void whenDatabaseMissingThenFirstIsSkipped() {
            assumeTrue(false, DATABASE);
        }

        @Test
        void whenDatabaseMissingThenSecondIsSkipped() {
            assumeTrue(false, DATABASE);
        }

        @Test
        void whenNothingIsAssumedThenRuns() {
            assertThat(DATABASE).isNotEmpty();
        }
    }

    static class AlsoAssumingDatabase {
        @Test
        void whenDatabaseMissingThenThirdIsSkipped() {
            assumeTrue(false, DATABASE);
        }
    }

    static class AbortedInBeforeAll {
        @BeforeAll
        static void browser() {
            Assumptions.abort(BROWSER);
        }

        @Test
        void whenBeforeAllAbortsThenFirstIsSkipped() {
        }

        @Test
        void whenBeforeAllAbortsThenSecondIsSkipped() {
        }

        @Test
        void whenBeforeAllAbortsThenThirdIsSkipped() {
        }
    }

    /** Turns a class off the way an environment check does (JUnit reports it skipped with this reason). */
    static class OnlyOnTuesdays implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return ConditionEvaluationResult.disabled("only on Tuesdays");
        }
    }

    @ExtendWith(OnlyOnTuesdays.class)
    static class DisabledClass {
        @Test
        void whenClassDisabledThenFirstIsSkipped() {
        }

        @Test
        void whenClassDisabledThenSecondIsSkipped() {
        }
    }

    static class Passing {
        @Test
        void whenNothingIsAssumedThenPasses() {
            assertThat(1).isOne();
        }
    }

    static class AssumingWithoutMessage {
        @Test
        void whenAssumptionHasNoMessageThenSkipped() {
            assumeTrue(false);
        }
    }
}
