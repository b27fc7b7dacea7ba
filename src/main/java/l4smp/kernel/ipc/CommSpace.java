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
 * space into the kernel space"; §8.8.2; slides, "temporary mapping"). The copier runs in the
 * sender's space; that space's two page-directory slots of the copier's CPU
 * ({@link AddressSpace#commArea(int)}) get copies of the receiver's two PDEs that cover the 8 MB
 * destination area, so the kernel reaches the receiver's pages through them:
 * <pre>
 * Start temp mapping:
 *   mytcb.partner := partner ;
 *   mytcb.waddr := dest 8M area base ;
 *   myPDE.TMarea := destPDE.destarea .
 * Close temp mapping:
 *   mytcb.waddr := nil .
 *   myPDE.TMarea := nil</pre>
 * The copier is the sender itself, or on the receiver's CPU the proxy copying a remote sender's
 * message in the sender's space (§8.4.2). Its TCB keeps {@code waddr} (its comm window) across
 * switches; leaving it clears the PDEs ({@link l4smp.kernel.sched.ThreadSwitch}), and the next access
 * through the area faults and re-establishes them ({@link #isStale}: "TM area PF: if myPDE.TMarea =
 * destPDE.destarea then tunnel to (partner) [...] fi; myPDE.TMarea := destPDE.destarea"). Each CPU
 * has its own area, so copies on several CPUs in one space do not disturb each other (§8.8.2).
 */
public final class CommSpace {
    private static final long AREA_BYTES = 4L << 20;

    private CommSpace() {
    }

    /** The comm-area address at which {@code copier} reaches receiver {@code b}'s {@code va}, mapping the area there first if needed. */
    static long address(Kernel kernel, ProcessorData local, Tcb copier, Tcb b, long va) {
        long window = va & ~(AREA_BYTES - 1);
        kernel.touch(local, copier, TcbLine.QUEUES, Access.READ);
        if (copier.commWindow() != window) {
            kernel.touch(local, copier, TcbLine.QUEUES, Access.WRITE);
            copier.commWindow(window);
            map(kernel, local, copier, b);
        }
        return AddressSpace.commArea(local.id()) + (va - window);
    }

    /** myPDE.TMarea := destPDE.destarea, dropping stale translations of the area from the TLB. */
    static void map(Kernel kernel, ProcessorData local, Tcb copier, Tcb b) {
        kernel.charge(local, PathCosts.COPY_SETUP);
        PhysicalWords memory = kernel.physical(local);
        AddressSpace mine = copier.space();
        AddressSpace theirs = b.task().space();
        int first = (int) (copier.commWindow() >>> 22);
        int slot = AddressSpace.commPde(local.id());
        boolean wasMapped = false;
        for (int k = 0; k < 2; k++) {
            wasMapped |= Pte.has(mine.pde(memory, slot + k), Pte.PRESENT);
            mine.pde(memory, slot + k, theirs.pde(memory, first + k));
        }
        if (wasMapped) {
            local.cpu().loadCr3(local.cpu().cr3());
        }
    }

    /** Whether the copier's comm PDEs differ from the receiver's: the fault was the mapping's, not the receiver's. */
    static boolean isStale(Kernel kernel, ProcessorData local, Tcb copier, Tcb b) {
        PhysicalWords memory = kernel.physical(local);
        int first = (int) (copier.commWindow() >>> 22);
        int slot = AddressSpace.commPde(local.id());
        for (int k = 0; k < 2; k++) {
            if (copier.space().pde(memory, slot + k) != b.task().space().pde(memory, first + k)) {
                return true;
            }
        }
        return false;
    }

    /** The receiver's address that comm-area address {@code commVa} of the copier on {@code local} stands for. */
    static long receiverAddress(ProcessorData local, Tcb copier, long commVa) {
        return copier.commWindow() + (commVa - AddressSpace.commArea(local.id()));
    }

    /** Whether {@code va} lies in {@code local}'s communication area. */
    static boolean contains(ProcessorData local, long va) {
        long area = AddressSpace.commArea(local.id());
        return va >= area && va < area + AddressSpace.COMM_AREA_SIZE;
    }

    /** Close temp mapping. */
    public static void close(Kernel kernel, ProcessorData local, Tcb copier) {
        if (copier.commWindow() < 0) {
            return;
        }
        kernel.touch(local, copier, TcbLine.QUEUES, Access.WRITE);
        copier.commWindow(-1);
        AddressSpace mine = copier.space();
        if (clear(kernel, local, mine) && local.cpu().cr3() == mine.directory()) {
            local.cpu().loadCr3(mine.directory());
        }
    }

    /**
     * Clears {@code space}'s slots of {@code local}'s comm area (a copier leaves the CPU, or closes).
     *
     * @return whether they mapped something, so that a TLB may hold translations through them
     */
    public static boolean clear(Kernel kernel, ProcessorData local, AddressSpace space) {
        PhysicalWords memory = kernel.physical(local);
        int slot = AddressSpace.commPde(local.id());
        boolean wasMapped = false;
        for (int k = 0; k < 2; k++) {
            wasMapped |= Pte.has(space.pde(memory, slot + k), Pte.PRESENT);
            space.pde(memory, slot + k, 0);
        }
        return wasMapped;
    }
}
