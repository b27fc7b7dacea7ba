package l4smp.workload;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import l4smp.hw.IoApic;
import l4smp.hw.MachineConfig;
import l4smp.kernel.KernelConfig;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.thread.ThreadId;
import l4smp.workload.LocatedJson.Arr;
import l4smp.workload.LocatedJson.Node;
import l4smp.workload.LocatedJson.Obj;
import l4smp.workload.LocatedJson.Val;

/**
 * Reads a scenario file (JSON, format in scenarios/README.md). Every mistake is reported with its
 * line and column and the field's path, e.g. {@code line 14, column 22, tasks[0].threads[1].priority:
 * must be 0..255, not 300}; unknown fields are mistakes too, so a misspelt field is never
 * silently ignored. {@link #load} also boots the scenario and places the loader's errors (an unknown
 * thread, a program that does not assemble) at the line of the field they concern.
 */
public final class ScenarioReader {
    private final Map<String, String> locations = new TreeMap<>();

    private ScenarioReader() {
    }

    /** Reads and checks {@code json}, then boots it. */
    public static Simulation load(String json) throws ScenarioException {
        return load(json, s -> s);
    }

    /** Reads {@code json}, lets {@code adjust} change it (command-line overrides), checks and boots it. */
    public static Simulation load(String json, java.util.function.UnaryOperator<Scenario> adjust) throws ScenarioException {
        ScenarioReader reader = new ScenarioReader();
        Scenario scenario = adjust.apply(reader.scenario(LocatedJson.parse(json)));
        try {
            return Simulation.build(scenario);
        } catch (ScenarioException e) {
            throw e.at(reader.locate(e.path()));
        }
    }

    /** Reads {@code json} into a scenario without booting it. */
    public static Scenario read(String json) throws ScenarioException {
        return new ScenarioReader().scenario(LocatedJson.parse(json));
    }

    /** The location of {@code path}, or of its nearest enclosing field that has one. */
    private String locate(String path) {
        String p = path;
        while (!p.isEmpty()) {
            String at = locations.get(p);
            if (at != null) {
                return at;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return "line 1, column 1";
    }

    private Scenario scenario(Node root) throws ScenarioException {
        Fields top = object("", root, Set.of("name", "description", "machine", "kernel", "run", "programs", "tasks",
                "images", "interrupts"));
        String name = top.string("name", "scenario");
        String description = top.string("description", "");
        Fields machine = top.object("machine", Set.of("cpus", "memoryMB", "failingCpus"));
        Scenario.MachineSpec machineSpec = new Scenario.MachineSpec(machine.int32("cpus", 1, 1, MachineConfig.MAX_CPUS),
                machine.int32("memoryMB", 16, ScenarioCheck.MIN_MEMORY_MB, ScenarioCheck.MAX_MEMORY_MB),
                machine.integers("failingCpus"));
        KernelConfig kernel = kernel(top.object("kernel", Set.of("tickCycles", "timesliceCycles", "kernelFrames",
                "userBurstCycles", "copyChunkBytes", "mailboxesPerCpu", "proxyHandover", "withoutMigrationLock", "removedFixes")));
        Fields run = top.object("run", Set.of("steps", "scheduler", "seed"));
        Scenario.RunSpec runSpec = new Scenario.RunSpec(run.integer("steps", 100_000), run.string("scheduler",
                "earliest-clock-first"), run.integer("seed", 1));
        Map<String, String> programs = programs(top);
        List<Scenario.TaskSpec> tasks = new ArrayList<>();
        List<Node> taskNodes = top.list("tasks");
        for (int i = 0; i < taskNodes.size(); i++) {
            tasks.add(task("tasks[" + i + "]", taskNodes.get(i)));
        }
        List<Scenario.ImageSpec> images = new ArrayList<>();
        List<Node> imageNodes = top.list("images");
        for (int i = 0; i < imageNodes.size(); i++) {
            Fields image = object("images[" + i + "]", imageNodes.get(i), Set.of("task", "program", "args"));
            images.add(new Scenario.ImageSpec(image.requiredInt32("task", 1, ThreadId.TASKS - 1), image.requiredString("program"),
                    image.args()));
        }
        List<Scenario.InterruptSpec> interrupts = new ArrayList<>();
        List<Node> irqNodes = top.list("interrupts");
        for (int i = 0; i < irqNodes.size(); i++) {
            Fields irq = object("interrupts[" + i + "]", irqNodes.get(i), Set.of("irq", "firstAtCycles", "periodCycles"));
            interrupts.add(new Scenario.InterruptSpec(irq.requiredInt32("irq", 0, IoApic.INPUTS - 1), irq.integer("firstAtCycles", 0),
                    irq.integer("periodCycles", 0)));
        }
        return new Scenario(name, description, machineSpec, kernel, runSpec, programs, tasks, images, interrupts);
    }

    private KernelConfig kernel(Fields k) throws ScenarioException {
        KernelConfig d = KernelConfig.defaults();
        long tick = k.integer("tickCycles", d.tickCycles());
        try {
            return new KernelConfig(tick, k.integer("timesliceCycles", Math.max(d.timesliceCycles(), tick)),
                    k.int32("kernelFrames", d.kernelFrames(), 0, Integer.MAX_VALUE), k.integer("userBurstCycles", d.userBurstCycles()),
                    k.int32("copyChunkBytes", d.copyChunkBytes(), 0, Integer.MAX_VALUE),
                    k.int32("mailboxesPerCpu", d.mailboxesPerCpu(), 0, Integer.MAX_VALUE), k.bool("proxyHandover", d.proxyHandover()),
                    removedFixes(k));
        } catch (IllegalArgumentException e) {
            throw new ScenarioException("kernel", e.getMessage()).at(locate("kernel"));
        }
    }

    /**
     * {@code kernel.removedFixes}: the names of {@link RemovedFix} switches; {@code withoutMigrationLock: true}
     * is the older spelling of {@code migrationLock} among them.
     */
    private Set<RemovedFix> removedFixes(Fields k) throws ScenarioException {
        Set<RemovedFix> fixes = EnumSet.noneOf(RemovedFix.class);
        List<String> names = k.strings("removedFixes");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String where = "kernel.removedFixes[" + i + "]";
            fixes.add(RemovedFix.ofScenarioName(name).orElseThrow(() -> new ScenarioException(where, "unknown fix '" + name
                    + "'; expected some of: " + RemovedFix.scenarioNames()).at(locate(where))));
        }
        if (k.bool("withoutMigrationLock", false)) {
            fixes.add(RemovedFix.MIGRATION_LOCK);
        }
        return fixes;
    }

    private Map<String, String> programs(Fields top) throws ScenarioException {
        Map<String, String> programs = new LinkedHashMap<>();
        Node node = top.node("programs");
        if (node == null) {
            return programs;
        }
        if (!(node instanceof Obj obj)) {
            throw error("programs", node, "must be an object of program name to text (a string or a list of lines)");
        }
        for (Map.Entry<String, Node> e : obj.fields().entrySet()) {
            String path = "programs." + e.getKey();
            locations.put(path, obj.keys().get(e.getKey()));
            if (e.getValue() instanceof Val v && v.value() instanceof String text) {
                programs.put(e.getKey(), text);
            } else if (e.getValue() instanceof Arr lines) {
                StringBuilder text = new StringBuilder();
                for (Node line : lines.items()) {
                    if (!(line instanceof Val v) || !(v.value() instanceof String s)) {
                        throw error(path, line, "each line of a program must be a string");
                    }
                    text.append(s).append('\n');
                }
                programs.put(e.getKey(), text.toString());
            } else {
                throw error(path, e.getValue(), "a program is a string or a list of lines, not " + e.getValue().kind());
            }
        }
        return programs;
    }

    private Scenario.TaskSpec task(String path, Node node) throws ScenarioException {
        Fields t = object(path, node, Set.of("name", "number", "mcp", "mapCode", "threads", "mappings"));
        List<Scenario.ThreadSpec> threads = new ArrayList<>();
        List<Node> threadNodes = t.list("threads");
        for (int i = 0; i < threadNodes.size(); i++) {
            Fields th = object(path + ".threads[" + i + "]", threadNodes.get(i),
                    Set.of("name", "lthread", "priority", "cpu", "pager", "program", "args"));
            threads.add(new Scenario.ThreadSpec(th.requiredString("name"), th.int32("lthread", i, 0, ThreadId.LTHREADS_PER_TASK - 1),
                    th.int32("priority", 100, 0, 255), th.int32("cpu", 0, 0, MachineConfig.MAX_CPUS - 1), th.string("pager", "sigma0"),
                    th.requiredString("program"), th.args()));
        }
        List<Scenario.MappingSpec> mappings = new ArrayList<>();
        List<Node> mappingNodes = t.list("mappings");
        for (int i = 0; i < mappingNodes.size(); i++) {
            Fields m = object(path + ".mappings[" + i + "]", mappingNodes.get(i), Set.of("address", "physical", "pages", "writable"));
            mappings.add(new Scenario.MappingSpec(m.requiredInteger("address"), m.integer("physical", -1),
                    m.int32("pages", 1, 1, 1 << 16), m.bool("writable", true)));
        }
        return new Scenario.TaskSpec(t.requiredString("name"), t.requiredInt32("number", 1, ThreadId.TASKS - 1), t.int32("mcp", 255, 0, 255),
                t.bool("mapCode", true), threads, mappings);
    }

    private Fields object(String path, Node node, Set<String> allowed) throws ScenarioException {
        if (!(node instanceof Obj obj)) {
            throw error(path, node, "must be an object, not " + node.kind());
        }
        locations.put(path, node.where());
        for (Map.Entry<String, Node> e : obj.fields().entrySet()) {
            String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            String keyAt = obj.keys().get(e.getKey());
            if (!allowed.contains(e.getKey())) {
                throw new ScenarioException(field, "unknown field; expected one of " + new java.util.TreeSet<>(allowed)).at(keyAt);
            }
            locations.put(field, keyAt);
        }
        return new Fields(path, obj);
    }

    private static ScenarioException error(String path, Node node, String problem) {
        return new ScenarioException(path, problem).at(node.where());
    }

    /** A value as the file wrote it: a string in quotes, a number as is. */
    private static String written(Node n) {
        return n instanceof Val v && v.value() instanceof String str ? "'" + str + "'" : String.valueOf(((Val) n).value());
    }

    /** Reads one item of a list, at path {@code where}. */
    private interface ItemReader<T> {
        T read(String where, Node item) throws ScenarioException;
    }

    /** The fields of one object, with typed access and defaults. */
    private final class Fields {
        private final String path;
        private final Obj obj;

        Fields(String path, Obj obj) {
            this.path = path;
            this.obj = obj;
        }

        private String field(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        Node node(String name) {
            Node n = obj.fields().get(name);
            return n instanceof Val v && v.value() == null ? null : n;
        }

        String string(String name, String fallback) throws ScenarioException {
            Node n = node(name);
            if (n == null) {
                return fallback;
            }
            if (n instanceof Val v && v.value() instanceof String s) {
                return s;
            }
            throw error(field(name), n, "must be a string, not " + n.kind());
        }

        String requiredString(String name) throws ScenarioException {
            String s = string(name, null);
            if (s == null) {
                throw new ScenarioException(field(name), "is missing").at(obj.where());
            }
            return s;
        }

        long integer(String name, long fallback) throws ScenarioException {
            Node n = node(name);
            return n == null ? fallback : integerOf(field(name), n);
        }

        /**
         * An int field: its whole value must lie in {@code min..max} (a Java cast would keep the low 32 bits
         * of 4294967297 and run with 1).
         */
        int int32(String name, int fallback, int min, int max) throws ScenarioException {
            Node n = node(name);
            return n == null ? fallback : inRange(name, integerOf(field(name), n), min, max);
        }

        int requiredInt32(String name, int min, int max) throws ScenarioException {
            return inRange(name, requiredInteger(name), min, max);
        }

        /** Placed at the field's name, as the range checks made after reading are. */
        private int inRange(String name, long value, int min, int max) throws ScenarioException {
            if (value < min || value > max) {
                throw new ScenarioException(field(name), "must be " + min + ".." + max + ", not " + written(node(name)))
                        .at(obj.keys().get(name));
            }
            return (int) value;
        }

        long requiredInteger(String name) throws ScenarioException {
            Node n = node(name);
            if (n == null) {
                throw new ScenarioException(field(name), "is missing").at(obj.where());
            }
            return integerOf(field(name), n);
        }

        /** A list of integers, each element's location remembered for later errors ({@code name[i]}). */
        List<Integer> integers(String name) throws ScenarioException {
            return items(name, (where, item) -> {
                long value = integerOf(where, item);
                if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                    throw error(where, item, value + " is out of range");
                }
                return (int) value;
            });
        }

        List<String> strings(String name) throws ScenarioException {
            return items(name, (where, item) -> {
                if (!(item instanceof Val v && v.value() instanceof String text)) {
                    throw error(where, item, "must be a string, not " + item.kind());
                }
                return text;
            });
        }

        /** The items of list {@code name}, each read by {@code reader} with its path ({@code name[i]}). */
        private <T> List<T> items(String name, ItemReader<T> reader) throws ScenarioException {
            List<T> values = new ArrayList<>();
            List<Node> nodes = list(name);
            for (int i = 0; i < nodes.size(); i++) {
                String where = field(name) + "[" + i + "]";
                locations.put(where, nodes.get(i).where());
                values.add(reader.read(where, nodes.get(i)));
            }
            return values;
        }

        boolean bool(String name, boolean fallback) throws ScenarioException {
            Node n = node(name);
            if (n == null) {
                return fallback;
            }
            if (n instanceof Val v && v.value() instanceof Boolean b) {
                return b;
            }
            throw error(field(name), n, "must be true or false, not " + n.kind());
        }

        List<Node> list(String name) throws ScenarioException {
            Node n = node(name);
            if (n == null) {
                return List.of();
            }
            if (n instanceof Arr a) {
                return a.items();
            }
            throw error(field(name), n, "must be a list, not " + n.kind());
        }

        Fields object(String name, Set<String> allowed) throws ScenarioException {
            Node n = node(name);
            return n == null ? new Fields(field(name), new Obj(Map.of(), Map.of(), obj.line(), obj.column()))
                    : ScenarioReader.this.object(field(name), n, allowed);
        }

        /** Program arguments: an object whose values are strings or numbers. */
        Map<String, String> args() throws ScenarioException {
            Node n = node("args");
            Map<String, String> args = new LinkedHashMap<>();
            if (n == null) {
                return args;
            }
            if (!(n instanceof Obj a)) {
                throw error(field("args"), n, "must be an object of argument name to value");
            }
            for (Map.Entry<String, Node> e : a.fields().entrySet()) {
                if (!(e.getValue() instanceof Val v) || v.value() == null || v.value() instanceof Boolean) {
                    throw error(field("args") + "." + e.getKey(), e.getValue(), "must be a string or a number");
                }
                Object value = v.value();
                args.put(e.getKey(), value instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : value.toString());
            }
            return args;
        }

        private long integerOf(String where, Node n) throws ScenarioException {
            if (n instanceof Val v && v.value() instanceof Long l) {
                return l;
            }
            if (n instanceof Val v && v.value() instanceof java.math.BigInteger big) {
                throw error(where, n, big + " is out of range (a scenario's integers have at most 64 bits)");
            }
            if (n instanceof Val v && v.value() instanceof String s) {
                try {
                    String digits = s.replace("_", "").trim();
                    return digits.startsWith("0x") || digits.startsWith("0X")
                            ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    throw error(where, n, s.replace("_", "").trim().matches("-?(0[xX][0-9a-fA-F]+|\\d+)")
                            ? "'" + s + "' is out of range (a scenario's integers have at most 64 bits)"
                            : "'" + s + "' is not an integer (decimal, or hex with 0x)");
                }
            }
            throw error(where, n, "must be an integer, not " + n.kind());
        }
    }
}
