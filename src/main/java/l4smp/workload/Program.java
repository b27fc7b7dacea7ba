package l4smp.workload;

import java.util.List;
import java.util.Map;

/**
 * An assembled user program: its instructions, laid out 4 bytes apart from {@code base}, the
 * addresses of its labels, and the initial memory contents it declares ({@code .data},
 * {@code .ascii}) for its task's address space.
 *
 * @param name         for messages
 * @param base         the address of the first instruction (4 KB aligned)
 * @param instructions in address order
 * @param labels       label name to address
 * @param data         initial words: address to value (little-endian words), in address order
 * @param sourceLines  the source line of each instruction (1-based), for messages
 */
public record Program(String name, long base, List<Instruction> instructions, Map<String, Long> labels,
                      Map<Long, Integer> data, List<Integer> sourceLines) {
    public static final int INSTRUCTION_BYTES = 4;

    public Program {
        instructions = List.copyOf(instructions);
        labels = Map.copyOf(labels);
        data = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(data));
        sourceLines = List.copyOf(sourceLines);
    }

    public long end() {
        return base + (long) INSTRUCTION_BYTES * instructions.size();
    }

    public boolean contains(long eip) {
        return eip >= base && eip < end();
    }

    public Instruction at(long eip) {
        return instructions.get((int) ((eip - base) / INSTRUCTION_BYTES));
    }

    /** The address of label {@code name}. */
    public long label(String name) {
        Long address = labels.get(name);
        if (address == null) {
            throw new IllegalArgumentException("program " + this.name + " has no label " + name + "; it has " + labels.keySet());
        }
        return address;
    }

    /** Pages its code occupies. */
    public int codePages() {
        return (int) ((end() - base + 4095) / 4096);
    }
}
