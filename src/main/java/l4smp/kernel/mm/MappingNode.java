package l4smp.kernel.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * One mapping of one page in the mapping database: the page {@code va} of {@code space} is backed
 * by {@code frame}, derived from {@code parent} (null for sigma0's root mapping of the frame).
 * Map adds a child; grant moves the node to another space; unmap removes or weakens the subtree
 * below (§2.2.1, §2.2.2, §8.3.2 "the node in the mapping database is moved instead of creating a
 * new child node").
 */
public final class MappingNode {
    private AddressSpace space;
    private long va;
    private final long frame;
    private boolean writable;
    private final MappingNode parent;
    private final List<MappingNode> children = new ArrayList<>(2);

    MappingNode(AddressSpace space, long va, long frame, boolean writable, MappingNode parent) {
        this.space = space;
        this.va = va & ~0xFFFL;
        this.frame = frame & ~0xFFFL;
        this.writable = writable;
        this.parent = parent;
    }

    public AddressSpace space() {
        return space;
    }

    public long va() {
        return va;
    }

    public long frame() {
        return frame;
    }

    public boolean writable() {
        return writable;
    }

    public MappingNode parent() {
        return parent;
    }

    public List<MappingNode> children() {
        return children;
    }

    void writable(boolean value) {
        writable = value;
    }

    void moveTo(AddressSpace newSpace, long newVa) {
        space = newSpace;
        va = newVa & ~0xFFFL;
    }

    /** Whether {@code other} is this node or lies below it. */
    public boolean isAncestorOf(MappingNode other) {
        for (MappingNode n = other; n != null; n = n.parent) {
            if (n == this) {
                return true;
            }
        }
        return false;
    }

    /** Mappings in the subtree below this node (not counting it). */
    public int descendants() {
        int count = 0;
        for (MappingNode child : children) {
            count += 1 + child.descendants();
        }
        return count;
    }

    @Override
    public String toString() {
        return String.format("task %d:0x%x -> 0x%x %s", space.taskNumber(), va, frame, writable ? "rw" : "ro");
    }
}
