package l4smp.kernel.ipc;

import l4smp.hw.mem.Access;
import l4smp.hw.mem.PhysicalWords;
import l4smp.hw.mem.Pte;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.mm.AddressSpace;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;

/**
 * The communication area and the temporary mapping of long IPC (§8.3.2: "the uniprocessor L4
 * µ-kernel implements the copy by temporary mapping the destination area of the receiver's address
 * space into the kernel space"; §8.8.2; slides, "temporary mapping"). The sender's two page-
 * directory slots at {@link AddressSpace#COMM_AREA} get copies of the receiver's two PDEs that
 * cover the 8 MB destination area, so the kernel, running in the sender's space, reaches the
 * receiver's pages through them:
 * <pre>
 * Start temp mapping:
 *   mytcb.partner := partner ;
 *   mytcb.waddr := dest 8M area base ;
 *   myPDE.TMarea := destPDE.destarea .
 * Close temp mapping:
 *   mytcb.waddr := nil .
 *   myPDE.TMarea := nil</pre>
 * The sender's TCB keeps {@code waddr} (its comm window) across switches; leaving the thread clears
 * the PDEs ({@link l4smp.kernel.sched.ThreadSwitch}), and the next access through the area faults
 * and re-establishes them ({@link #isStale}: "TM area PF: if myPDE.TMarea = destPDE.destarea then
 * tunnel to (partner) [...] fi; myPDE.TMarea := destPDE.destarea").
 */
public final class CommSpace {
    private static final long AREA_BYTES = 4L << 20;

    private CommSpace() {
    }

    /** The comm-area address at which {@code a} reaches {@code b}'s {@code va}, mapping the area there first if needed. */
    static long address(Kernel kernel, ProcessorData local, Tcb a, Tcb b, long va) {
        long window = va & ~(AREA_BYTES - 1);
        kernel.touch(local, a, TcbLine.QUEUES, Access.READ);
        if (a.commWindow() != window) {
            kernel.touch(local, a, TcbLine.QUEUES, Access.WRITE);
            a.commWindow(window);
            map(kernel, local, a, b);
        }
        return AddressSpace.COMM_AREA + (va - window);
    }

    /** myPDE.TMarea := destPDE.destarea, dropping stale translations of the area from the TLB. */
    static void map(Kernel kernel, ProcessorData local, Tcb a, Tcb b) {
        kernel.charge(local, PathCosts.COPY_SETUP);
        PhysicalWords memory = kernel.physical(local);
        AddressSpace mine = a.task().space();
        AddressSpace theirs = b.task().space();
        int first = (int) (a.commWindow() >>> 22);
        boolean wasMapped = false;
        for (int k = 0; k < 2; k++) {
            wasMapped |= Pte.has(mine.pde(memory, AddressSpace.COMM_PDE + k), Pte.PRESENT);
            mine.pde(memory, AddressSpace.COMM_PDE + k, theirs.pde(memory, first + k));
        }
        if (wasMapped) {
            local.cpu().loadCr3(local.cpu().cr3());
        }
    }

    /** Whether the sender's comm PDEs differ from the receiver's: the fault was the mapping's, not the receiver's. */
    static boolean isStale(Kernel kernel, ProcessorData local, Tcb a, Tcb b) {
        PhysicalWords memory = kernel.physical(local);
        int first = (int) (a.commWindow() >>> 22);
        for (int k = 0; k < 2; k++) {
            int mine = a.task().space().pde(memory, AddressSpace.COMM_PDE + k);
            if (mine != b.task().space().pde(memory, first + k)) {
                return true;
            }
        }
        return false;
    }

    /** The receiver's address that comm-area address {@code commVa} of {@code a} stands for. */
    static long receiverAddress(Tcb a, long commVa) {
        return a.commWindow() + (commVa - AddressSpace.COMM_AREA);
    }

    static boolean contains(long va) {
        return va >= AddressSpace.COMM_AREA && va < AddressSpace.COMM_AREA + AddressSpace.COMM_AREA_SIZE;
    }

    /** Close temp mapping. */
    public static void close(Kernel kernel, ProcessorData local, Tcb a) {
        if (a.commWindow() < 0) {
            return;
        }
        kernel.touch(local, a, TcbLine.QUEUES, Access.WRITE);
        a.commWindow(-1);
        PhysicalWords memory = kernel.physical(local);
        AddressSpace mine = a.task().space();
        boolean wasMapped = false;
        for (int k = 0; k < 2; k++) {
            wasMapped |= Pte.has(mine.pde(memory, AddressSpace.COMM_PDE + k), Pte.PRESENT);
            mine.pde(memory, AddressSpace.COMM_PDE + k, 0);
        }
        if (wasMapped && local.cpu().cr3() == mine.directory()) {
            local.cpu().loadCr3(mine.directory());
        }
    }
}
