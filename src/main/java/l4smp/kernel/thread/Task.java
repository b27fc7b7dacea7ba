package l4smp.kernel.thread;

import l4smp.kernel.mm.AddressSpace;

/**
 * A Version X task: an address space and the threads that share it (§2.2.3: "A task is an address
 * space with a set of threads, sharing this address space"). Its id is the id of its lthread 0.
 * The chief is the task that created it, the only one that may delete it again with task_new; the
 * maximum controlled priority (MCP) bounds what its threads may set with thread_schedule (§6.1.2).
 */
public final class Task {
    private final ThreadId id;
    private final int chief;
    private final int mcp;
    private final AddressSpace space;
    private final long utcbFrame;
    private boolean alive = true;

    public Task(ThreadId id, int chief, int mcp, AddressSpace space, long utcbFrame) {
        this.id = id.withLthread(0);
        this.chief = chief;
        this.mcp = mcp;
        this.space = space;
        this.utcbFrame = utcbFrame;
    }

    public ThreadId id() {
        return id;
    }

    public int number() {
        return id.task();
    }

    /** The number of the task that created this one. */
    public int chief() {
        return chief;
    }

    public int mcp() {
        return mcp;
    }

    public AddressSpace space() {
        return space;
    }

    /** Physical address of the frame holding the UTCBs of this task's threads. */
    public long utcbFrame() {
        return utcbFrame;
    }

    public boolean isAlive() {
        return alive;
    }

    public void kill() {
        alive = false;
    }

    @Override
    public String toString() {
        return "task " + id.task() + (alive ? "" : " (deleted)");
    }
}
