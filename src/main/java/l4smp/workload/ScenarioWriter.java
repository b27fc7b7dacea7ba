package l4smp.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import l4smp.kernel.KernelConfig;

/**
 * Writes a {@link Scenario} as the JSON {@link ScenarioReader} reads (scenarios/README.md), every
 * field given, programs as lists of lines: what {@code l4smp pbt} writes for a failing input, so
 * that {@code l4smp simulate FILE} runs it again.
 */
public final class ScenarioWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ScenarioWriter() {
    }

    public static String write(Scenario s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", s.name());
        root.put("description", s.description());
        ObjectNode machine = root.putObject("machine");
        machine.put("cpus", s.machine().cpus());
        machine.put("memoryMB", s.machine().memoryMB());
        if (!s.machine().failingCpus().isEmpty()) {
            s.machine().failingCpus().forEach(machine.putArray("failingCpus")::add);
        }
        KernelConfig k = s.kernel();
        ObjectNode kernel = root.putObject("kernel");
        kernel.put("tickCycles", k.tickCycles());
        kernel.put("timesliceCycles", k.timesliceCycles());
        kernel.put("kernelFrames", k.kernelFrames());
        kernel.put("userBurstCycles", k.userBurstCycles());
        kernel.put("copyChunkBytes", k.copyChunkBytes());
        kernel.put("mailboxesPerCpu", k.mailboxesPerCpu());
        kernel.put("proxyHandover", k.proxyHandover());
        if (!k.removedFixes().isEmpty()) {
            var fixes = kernel.putArray("removedFixes");
            k.removedFixes().forEach(f -> fixes.add(f.scenarioName()));
        }
        ObjectNode run = root.putObject("run");
        run.put("steps", s.run().steps());
        run.put("scheduler", s.run().scheduler());
        run.put("seed", s.run().seed());
        ObjectNode programs = root.putObject("programs");
        s.programs().forEach((name, text) -> {
            ArrayNode lines = programs.putArray(name);
            text.lines().forEach(lines::add);
        });
        ArrayNode tasks = root.putArray("tasks");
        for (Scenario.TaskSpec t : s.tasks()) {
            ObjectNode task = tasks.addObject();
            task.put("name", t.name());
            task.put("number", t.number());
            task.put("mcp", t.mcp());
            task.put("mapCode", t.mapCode());
            ArrayNode mappings = task.putArray("mappings");
            for (Scenario.MappingSpec m : t.mappings()) {
                ObjectNode mapping = mappings.addObject();
                mapping.put("address", String.format("0x%x", m.address()));
                if (m.physical() >= 0) {
                    mapping.put("physical", String.format("0x%x", m.physical()));
                }
                mapping.put("pages", m.pages());
                mapping.put("writable", m.writable());
            }
            ArrayNode threads = task.putArray("threads");
            for (Scenario.ThreadSpec th : t.threads()) {
                ObjectNode thread = threads.addObject();
                thread.put("name", th.name());
                thread.put("lthread", th.lthread());
                thread.put("priority", th.priority());
                thread.put("cpu", th.cpu());
                thread.put("pager", th.pager());
                thread.put("program", th.program());
                args(thread, th.args());
            }
        }
        ArrayNode images = root.putArray("images");
        for (Scenario.ImageSpec i : s.images()) {
            ObjectNode image = images.addObject();
            image.put("task", i.task());
            image.put("program", i.program());
            args(image, i.args());
        }
        ArrayNode interrupts = root.putArray("interrupts");
        for (Scenario.InterruptSpec i : s.interrupts()) {
            ObjectNode irq = interrupts.addObject();
            irq.put("irq", i.irq());
            irq.put("firstAtCycles", i.firstAtCycles());
            irq.put("periodCycles", i.periodCycles());
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write scenario " + s.name() + " as JSON", e);
        }
    }

    private static void args(ObjectNode node, Map<String, String> args) {
        ObjectNode out = node.putObject("args");
        args.forEach(out::put);
    }
}
