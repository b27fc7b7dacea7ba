package l4smp.pbt.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import l4smp.cli.Main;
import l4smp.kernel.RemovedFix;
import l4smp.pbt.Counterexample;
import l4smp.pbt.Property;
import l4smp.pbt.PropertyResult;
import l4smp.pbt.PropertyRunner;
import l4smp.pbt.RunConfig;
import l4smp.pbt.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 5: a failing conformance run shrinks its workload (threads, CPUs, instructions),
 * its interleaving and then its scheduler choices ({@link KernelInput#reduce}), and is written as a
 * scenario file plus its schedule that {@code l4smp simulate --schedule --check} replays to the
 * same rejection. The failure is a fault-injected one (the proxy pointer left set, XpIpc's
 * ProxyPointerInv), which the generated property finds within a few tries.
 */
class ShrinkToScenarioTest {
    private static final long SEED = 0x1L;

    @Test
    void aFailingRunShrinksToASmallerScenarioAndScheduleThatSimulateReplaysToTheSameRejection(@TempDir Path dir)
            throws Exception {
        Property<KernelInput> property = ConformanceProperties.specs(false, Set.of(RemovedFix.CLEAR_PROXY_POINTER));
        // 15 s of shrinking (the default is 30 s): enough to drop most threads and CPUs
        PropertyResult result = new PropertyRunner().run(property, new RunConfig(java.util.OptionalLong.of(SEED),
                java.util.OptionalInt.of(40), Duration.ofMinutes(5), 10, 2000, Duration.ofSeconds(15)));
        assertEquals(PropertyResult.Status.FAILED, result.status(), () -> result.report("-"));
        Counterexample c = result.counterexample().orElseThrow();
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("^falsified: XpIpc invariant ProxyPointerInv at (\\w+)")
                .matcher(c.failure().kind());
        assertTrue(named.find(), c.failure()::kind);
        String action = named.group(1);

        KernelInput original = property.gen().generate(Source.random(c.seed()));
        KernelInput shrunk = (KernelInput) c.shrunkValue();
        assertNotNull(shrunk.schedule(), "the scheduler choices were reduced");
        int before = new ScheduleShrinker(original.scenario(), original.workload().steps(), s -> true, 0)
                .deviations(original.run((l4smp.kernel.observe.StepListener) null).simulation().machine().choices()).size();
        assertTrue(size(shrunk) < size(original), () -> original + "\nto\n" + shrunk);
        assertTrue(shrunk.schedule().size() < before, () -> before + " deviations to " + shrunk.schedule());

        // written as l4smp pbt writes it, and replayed by simulate to the same spec, invariant and action
        Path out = dir.resolve("failure");
        Files.createDirectories(out);
        for (var file : shrunk.reproduction().entrySet()) {
            Files.writeString(out.resolve(file.getKey()), file.getValue());
        }
        StringWriter text = new StringWriter();
        String[] command = shrunk.replayCommand(out).split(" ");
        int exit = Main.commandLine().setOut(new PrintWriter(text)).setErr(new PrintWriter(text))
                .execute(java.util.Arrays.copyOfRange(command, 1, command.length));
        assertEquals(30, exit, text::toString);
        java.util.regex.Matcher found = java.util.regex.Pattern.compile("XpIpc rejects kernel step (\\d+): ")
                .matcher(String.join("\n", c.notes()));
        assertTrue(found.find(), () -> String.join("\n", c.notes()));
        assertTrue(text.toString().contains("XpIpc: rejected at kernel step " + found.group(1)
                + ": state " + found.group(1) + " violates the invariant ProxyPointerInv\n  claimed action: " + action + "("),
                () -> "step " + found.group(1) + ", " + action + ":\n" + text);
    }

    /** Threads, CPUs and program steps: what the workload shrinker makes fewer. */
    private static int size(KernelInput input) {
        return input.workload().threads().size() + input.workload().cpus()
                + input.workload().threads().stream().mapToInt(t -> t.program().size()).sum();
    }
}
