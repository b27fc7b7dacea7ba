package l4smp.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenario files: defaults, and every mistake reported with its line, column and field. */
class ScenarioReaderTest {
    private static String problem(String json) {
        return assertThrows(ScenarioException.class, () -> ScenarioReader.load(json)).getMessage();
    }

    /** The 1-based column where {@code token} starts in {@code line}. */
    private static int column(String line, String token) {
        return line.indexOf(token) + 1;
    }

    @Test
    void fieldsLeftOutTakeTheirDefaults() throws Exception {
        Scenario s = ScenarioReader.read("""
                { "tasks": [ { "name": "t", "number": 5, "threads": [ { "name": "main", "program": "spinner" } ] } ] }
                """);
        assertEquals(1, s.machine().cpus());
        assertEquals(16, s.machine().memoryMB());
        assertEquals("earliest-clock-first", s.run().scheduler());
        Scenario.ThreadSpec thread = s.tasks().get(0).threads().get(0);
        assertEquals(100, thread.priority());
        assertEquals("sigma0", thread.pager());
        assertEquals(0, thread.lthread());
        assertEquals(255, s.tasks().get(0).mcp());
    }

    @Test
    void malformedJsonNamesItsPosition() {
        assertTrue(problem("{ \"name\": \"x\",\n  \"tasks\": [ }").startsWith("line 2, column 14: malformed JSON"),
                problem("{ \"name\": \"x\",\n  \"tasks\": [ }"));
        assertTrue(problem("").contains("the file is empty"));
    }

    @Test
    void anUnknownFieldIsAMistakeNotIgnored() {
        String json = "{ \"machine\": { \"cpu\": 2 } }";
        assertEquals("line 1, column " + column(json, "\"cpu\"") + ", machine.cpu: unknown field; expected one of [cpus, failingCpus, memoryMB]",
                problem(json));
    }

    @Test
    void wrongTypesAndMissingFieldsAreNamed() {
        assertTrue(problem("{ \"run\": { \"steps\": \"many\" } }").contains("run.steps: 'many' is not an integer"));
        assertTrue(problem("{ \"tasks\": [ { \"number\": 5 } ] }").contains("tasks[0].name: is missing"));
        assertTrue(problem("{ \"tasks\": {} }").contains("tasks: must be a list, not an object"));
    }

    /**
     * Every integer field is range-checked whole and named as written. Before: {@code "cpus":
     * 4294967297} ran with 1 CPU, priority 4294967396 ran as 100, 2^40 CPUs was "not 0".
     */
    @Test
    void integersAreCheckedWholeNotCutTo32Bits() {
        String task = "\"tasks\": [ { \"name\": \"t\", \"number\": 5, \"threads\": [ { \"name\": \"main\", "
                + "\"program\": \"spinner\", \"priority\": %s } ] } ]";
        assertEquals("line 1, column 16, machine.cpus: must be 1..15, not 4294967297",
                problem("{ \"machine\": { \"cpus\": 4294967297 } }"));
        assertEquals("line 1, column 16, machine.cpus: must be 1..15, not 1099511627776",
                problem("{ \"machine\": { \"cpus\": 1099511627776 } }"));
        assertTrue(problem("{ " + task.formatted("4294967396") + " }")
                .endsWith("tasks[0].threads[0].priority: must be 0..255, not 4294967396"), problem("{ " + task.formatted("4294967396") + " }"));
        assertTrue(problem("{ " + task.formatted("\"0x100000064\"") + " }")
                .endsWith("tasks[0].threads[0].priority: must be 0..255, not '0x100000064'"));
        assertTrue(problem("{ \"run\": { \"steps\": 123456789012345678901234567890 } }")
                .endsWith("run.steps: 123456789012345678901234567890 is out of range (a scenario's integers have at most 64 bits)"),
                problem("{ \"run\": { \"steps\": 123456789012345678901234567890 } }"));
        assertTrue(problem("{ \"tasks\": [ { \"name\": \"t\", \"number\": 4294967301, \"threads\": [] } ] }")
                .endsWith("tasks[0].number: must be 1..255, not 4294967301"),
                problem("{ \"tasks\": [ { \"name\": \"t\", \"number\": 4294967301, \"threads\": [] } ] }"));
    }

    @Test
    void semanticMistakesArePlacedAtTheirField() {
        String json = """
                {
                  "machine": { "cpus": 2 },
                  "tasks": [
                    { "name": "a", "number": 5, "threads": [ { "name": "main", "program": "spinner" } ] },
                    { "name": "b", "number": 5, "threads": [ { "name": "main", "program": "nothing" } ] }
                  ]
                }
                """;
        String line5 = json.lines().toList().get(4);
        assertEquals("line 5, column " + column(line5, "\"number\"") + ", tasks[1].number: task number 5 is used twice",
                problem(json));
        assertTrue(problem(json.replace("\"number\": 5, \"threads\": [ { \"name\": \"main\", \"program\": \"nothing\"",
                "\"number\": 6, \"threads\": [ { \"name\": \"main\", \"program\": \"nothing\""))
                .contains("tasks[1].threads[0].program: no program 'nothing'"));
        assertTrue(problem("""
                { "tasks": [ { "name": "a", "number": 5, "threads": [ { "name": "m", "pager": "x.y", "program": "spinner" } ] } ] }
                """).contains("tasks[0].threads[0].pager: no thread named 'x.y'"));
        assertTrue(problem("""
                { "tasks": [ { "name": "a", "number": 5, "threads": [ { "name": "m", "cpu": 1, "program": "spinner" } ] } ] }
                """).contains("cpu: must be 0..0, not 1"));
        assertTrue(problem("""
                { "tasks": [ { "name": "a", "number": 5, "threads": [ { "name": "m", "program": "client" } ] } ] }
                """).contains("program client: argument 'server' is needed"));
    }

    @Test
    void aProgramMistakeNamesTheProgramsLine() {
        String message = problem("""
                { "programs": { "p": [ "nop", "li eax", "halt" ] },
                  "tasks": [ { "name": "a", "number": 5, "threads": [ { "name": "m", "program": "p" } ] } ] }
                """);
        assertTrue(message.contains("p line 2: expected 2 operands: li REG, VALUE"), message);
    }

    @Test
    void aScenarioTooBigForTheKernelsMemorySaysWhatToRaise() {
        StringBuilder tasks = new StringBuilder();
        for (int task = 3; task < 60; task++) {
            tasks.append(tasks.length() == 0 ? "" : ",").append("{ \"name\": \"t").append(task).append("\", \"number\": ")
                    .append(task).append(", \"threads\": [ { \"name\": \"m\", \"program\": \"idle\" } ] }");
        }
        String message = problem("{ \"kernel\": { \"kernelFrames\": 40 }, \"tasks\": [" + tasks + "] }");
        assertTrue(message.contains("out of kernel memory") && message.contains("kernel.kernelFrames"), message);
    }

    @Test
    void failingCpusAreApplicationProcessorsNamedOnce() throws Exception {
        Scenario s = ScenarioReader.read("{ \"machine\": { \"cpus\": 4, \"failingCpus\": [2, \"3\"] } }");
        assertEquals(List.of(2, 3), s.machine().failingCpus());
        assertEquals(2, s.machine().startingCpus());

        String bootstrap = "{ \"machine\": { \"cpus\": 4, \"failingCpus\": [0] } }";
        assertEquals("line 1, column " + column(bootstrap, "0]") + ", machine.failingCpus[0]: cpu 0 is the bootstrap "
                + "processor, which the hardware starts (§8.2); name application processors 1..3", problem(bootstrap));
        String twice = "{ \"machine\": { \"cpus\": 4, \"failingCpus\": [2, 2] } }";
        assertEquals("line 1, column " + column(twice, "2]") + ", machine.failingCpus[1]: cpu 2 is named twice", problem(twice));
        assertTrue(problem("{ \"machine\": { \"cpus\": 4, \"failingCpus\": [4] } }")
                .contains("machine.failingCpus[0]: must be 1..3, not 4"));
        assertTrue(problem("{ \"machine\": { \"cpus\": 4, \"failingCpus\": [\"two\"] } }")
                .contains("machine.failingCpus[0]: 'two' is not an integer"));
        assertTrue(problem("{ \"machine\": { \"cpus\": 4, \"failingCpus\": 2 } }")
                .contains("machine.failingCpus: must be a list, not"));
    }

    @Test
    void aThreadPlacedBeyondTheProcessorsThatStartIsRefusedAtItsField() {
        String json = """
                { "machine": { "cpus": 4, "failingCpus": [2] },
                  "tasks": [ { "name": "a", "number": 5, "threads": [
                    { "name": "m", "cpu": 2, "program": "spinner" },
                    { "name": "n", "cpu": 3, "program": "spinner" } ] } ] }
                """;
        String line4 = json.lines().toList().get(3);
        assertEquals("line 4, column " + column(line4, "\"cpu\"") + ", tasks[0].threads[1].cpu: cpu 3 does not exist "
                + "after boot: 1 of the 4 CPUs fails to start (machine.failingCpus [2]), the kernel masks them out (§8.2) "
                + "and numbers the 3 that start cpu0..cpu2 in boot order; place the thread on one of those", problem(json));
    }

    /** kernel.removedFixes names fault-injection switches; ScenarioWriter writes them back; a wrong name lists the right ones. */
    @Test
    void removedFixesAreReadWrittenBackAndAnUnknownOneListsTheValidNames() throws Exception {
        Scenario s = ScenarioReader.read("{ \"kernel\": { \"removedFixes\": [\"barrier2\", \"proxySenderCheck\"] } }");
        assertEquals(java.util.EnumSet.of(l4smp.kernel.RemovedFix.BARRIER_2, l4smp.kernel.RemovedFix.PROXY_SENDER_CHECK),
                s.kernel().removedFixes());
        assertTrue(s.kernel().removed(l4smp.kernel.RemovedFix.BARRIER_2));
        assertEquals(s.kernel(), ScenarioReader.read(ScenarioWriter.write(s)).kernel());
        assertEquals(java.util.Set.of(), ScenarioReader.read("{}").kernel().removedFixes());
        assertEquals(java.util.Set.of(l4smp.kernel.RemovedFix.MIGRATION_LOCK),
                ScenarioReader.read("{ \"kernel\": { \"withoutMigrationLock\": true } }").kernel().removedFixes());

        String unknown = "{ \"kernel\": { \"removedFixes\": [\"barrier3\", \"barrier4\"] } }";
        assertEquals("line 1, column " + column(unknown, "\"barrier4\"") + ", kernel.removedFixes[1]: unknown fix 'barrier4'; "
                + "expected some of: " + l4smp.kernel.RemovedFix.scenarioNames(), problem(unknown));
        assertTrue(l4smp.kernel.RemovedFix.scenarioNames().contains("barrier3"));
        assertTrue(problem("{ \"kernel\": { \"removedFixes\": [3] } }").contains("kernel.removedFixes[0]: must be a string"));
        assertTrue(problem("{ \"kernel\": { \"removedFixes\": \"barrier2\" } }").contains("kernel.removedFixes: must be a list"));
    }
}
