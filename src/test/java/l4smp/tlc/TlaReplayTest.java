package l4smp.tlc;

import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import l4smp.trace.format.TraceFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A counterexample exported as a TLA+ module replays, under TLC, to the same violation and states. */
class TlaReplayTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"Transfer", "Deadlock", "Lasso", "Stutter", "Values"})
    void theExportedModuleReproducesTheViolation(String spec) throws IOException {
        CheckResult original = TestSpecs.check(spec);
        Path out = dir.resolve("Replay" + spec + ".tla");
        Map<Path, String> files = TraceFormat.TLA.render(original.trace(), out, Files.readString(TestSpecs.cfg(spec)));
        for (Map.Entry<Path, String> f : files.entrySet()) Files.writeString(f.getKey(), f.getValue());

        CheckResult replay = TlcDriver.shared().check(new CheckRequest(out, dir.resolve("Replay" + spec + ".cfg"), 1, null,
                null, null, null, List.of(TestSpecs.DIR)));

        assertEquals(original.outcome(), replay.outcome(), replay.message());
        assertEquals(original.violated(), replay.violated());
        assertEquals(original.trace().states().stream().map(TraceState::values).toList(),
                withoutPosition(replay.trace()), "the replay walks the same states");
        assertEquals(original.trace().loopIndex(), replay.trace().loopIndex());
    }

    private static List<Map<String, l4smp.trace.TlaValue>> withoutPosition(Trace t) {
        return t.states().stream().map(s -> {
            Map<String, l4smp.trace.TlaValue> v = new LinkedHashMap<>(s.values());
            v.remove("l4smpPos");
            return v;
        }).toList();
    }
}
