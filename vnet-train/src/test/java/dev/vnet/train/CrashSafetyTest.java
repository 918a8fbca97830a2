package dev.vnet.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training killed with SIGKILL in another JVM, at random instants and while an epoch's checkpoints are renamed into
 * place, then resumed: every run ends with the bytes of an uninterrupted run's weights ({@link CrashTrials}). Three
 * trials here, one of each kind of kill, the second killing its first resume too; {@code tools/crash-safety.sh} runs a
 * hundred ({@code -Dvnet.crashTrials=N}).
 */
class CrashSafetyTest {
    @TempDir
    Path tmp;

    @Test
    void killedAtAnyInstantEveryRunResumesToTheWeightsOfAnUninterruptedOne() throws Exception {
        CrashTrials.Outcome o = CrashTrials.run(Integer.getInteger("vnet.crashTrials", 3), tmp, System.nanoTime());
        System.out.println("CrashSafetyTest: " + o);
        assertThat(o.failures()).as(o.toString()).isEmpty();
    }
}
