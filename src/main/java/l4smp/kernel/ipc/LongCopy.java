package l4smp.kernel.ipc;

import l4smp.hw.Cpu;
import l4smp.hw.mem.PageFault;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.mm.MapItem;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;

/**
 * Copies a long message, one bounded chunk per step, from the sender's space (the active space) to
 * the receiver's through the communication area ({@link CommSpace}). The copier is the sender, or
 * the proxy on the receiver's CPU running in the sender's space (§8.4.2). Reads of the sender's message
 * and strings go through the sender's own mappings, everything of the receiver's (its buffer
 * header, string dopes, string buffers) through the temporary mapping, in kernel mode, so each
 * access is priced by the TLB and caches and faults as the Pentium would.
 *
 * <p>Receive windows are respected: more dwords or strings than the buffer has room for, or a
 * string longer than its receive buffer, cut the IPC (§8.3.2: "If the message exceeds the receive
 * window, the IPC is aborted with an IPC cut error"). An address outside user space cannot be
 * backed by any pager; it ends the IPC as a page fault that timed out in that partner's space.
 */
final class LongCopy {
    /** What a copy step came to. */
    record Outcome(Kind kind, CompletionCode send, CompletionCode receive, PageFault fault) {
        enum Kind { MORE, DONE, FAILED, FAULT }

        static final Outcome MORE = new Outcome(Kind.MORE, null, null, null);
        static final Outcome DONE = new Outcome(Kind.DONE, null, null, null);

        static Outcome failed(CompletionCode send, CompletionCode receive) {
            return new Outcome(Kind.FAILED, send, receive, null);
        }
    }

    /** Ends a copy step early with the IPC's error codes; never leaves {@link #run}. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Outcome outcome;

        Failure(CompletionCode send, CompletionCode receive) {
            super(null, null, false, false);
            this.outcome = Outcome.failed(send, receive);
        }
    }

    private final Kernel kernel;

    LongCopy(Kernel kernel) {
        this.kernel = kernel;
    }

    /** One step of {@code copier}'s copy {@code t} of {@code a}'s message to {@code b}. */
    Outcome run(ProcessorData local, Tcb copier, Tcb a, Tcb b, LongTransfer t) {
        Side side = new Side(local, copier, a, b);
        long budget = kernel.config().copyChunkBytes();
        try {
            while (budget > 0 && t.stage != LongTransfer.Stage.DONE) {
                budget -= advance(side, t, budget);
            }
        } catch (PageFault fault) {
            return new Outcome(Outcome.Kind.FAULT, null, null, fault);
        } catch (Failure failure) {
            return failure.outcome;
        }
        if (t.stage != LongTransfer.Stage.DONE) {
            return Outcome.MORE;
        }
        b.ipc().receivedCounts(t.sendDwords, t.sendStrings, t.mapped);
        return Outcome.DONE;
    }

    private long advance(Side side, LongTransfer t, long budget) {
        return switch (t.stage) {
            case HEADER -> header(side, t);
            case MAP_ITEMS -> mapItem(side, t);
            case DWORDS -> dwords(side, t, budget);
            case STRINGS -> strings(side, t, budget);
            case DONE -> throw new IllegalStateException("unreachable");
        };
    }

    /** The sender's send dope and size dope, the receiver's window and size dope; cut if they do not fit. */
    private long header(Side side, LongTransfer t) {
        int sendDwords = 3;
        int sendStrings = 0;
        int senderSize = 3;
        if (t.sendMessage != 0) {
            side.checkSender(t.sendMessage, 12);
            int size = side.loadSender(t.sendMessage + 4);
            int send = side.loadSender(t.sendMessage + 8);
            senderSize = Math.max(3, size >>> 13);
            sendDwords = Math.max(3, send >>> 13);
            sendStrings = (send >>> 8) & 0x1F;
        }
        int window = t.window;
        int receiveDwords = 3;
        int receiveStrings = 0;
        if (t.receiveBuffer != 0) {
            side.checkReceiver(t.receiveBuffer, 12);
            window = side.loadReceiver(t.receiveBuffer);
            int size = side.loadReceiver(t.receiveBuffer + 4);
            receiveDwords = Math.max(3, size >>> 13);
            receiveStrings = (size >>> 8) & 0x1F;
        }
        if (sendDwords > LongTransfer.MAX_DWORDS || senderSize > LongTransfer.MAX_DWORDS
                || sendDwords > receiveDwords || sendStrings > receiveStrings) {
            throw new Failure(CompletionCode.SEND_CUT, CompletionCode.RECEIVE_CUT);
        }
        t.sendDwords = sendDwords;
        t.sendStrings = sendStrings;
        t.senderSizeDwords = senderSize;
        t.window = window;
        t.receiveDwords = receiveDwords;
        t.receiveStrings = receiveStrings;
        t.receiverSizeDwords = receiveDwords;
        t.stage = t.mapItems ? LongTransfer.Stage.MAP_ITEMS : LongTransfer.Stage.DWORDS;
        t.index = t.mapItems ? 0 : 3;
        return 16;
    }

    /** One map item: the pair (send base, fpage) at dword {@code index}; an fpage word of 0 ends the items. */
    private long mapItem(Side side, LongTransfer t) {
        if (t.index + 1 >= t.sendDwords) {
            t.stage = LongTransfer.Stage.DWORDS;
            t.index = 3;
            return 1;
        }
        int base = dword(side, t, t.index);
        int fpage = dword(side, t, t.index + 1);
        if (fpage == 0) {
            t.stage = LongTransfer.Stage.DWORDS;
            t.index = 3;
            return 1;
        }
        MapItem.Result result = kernel.transmitPath().mapItem(side.local, side.a, side.b, base, fpage, t.window);
        if (result == MapItem.Result.FAILED) {
            throw new Failure(CompletionCode.SEND_MAP_FAILED, CompletionCode.RECEIVE_MAP_FAILED);
        }
        t.mapped |= result == MapItem.Result.MAPPED;
        t.index += 2;
        return 8;
    }

    private int dword(Side side, LongTransfer t, int i) {
        return i < 3 ? t.word(i) : side.loadSender(t.sendMessage + 12 + 4L * i);
    }

    /** Dwords 3.. into the receiver's buffer. */
    private long dwords(Side side, LongTransfer t, long budget) {
        long moved = 0;
        while (t.index < t.sendDwords && moved < budget) {
            long offset = 12 + 4L * t.index;
            int word = side.loadSender(t.sendMessage + offset);
            side.storeReceiver(t.receiveBuffer + offset, word);
            t.index++;
            moved += 4;
        }
        if (t.index >= t.sendDwords) {
            t.stage = LongTransfer.Stage.STRINGS;
            t.index = 0;
        }
        return Math.max(moved, 1);
    }

    /** The current string: set up from both dopes, then copied word by word where both ends are aligned. */
    private long strings(Side side, LongTransfer t, long budget) {
        if (t.index >= t.sendStrings) {
            t.stage = LongTransfer.Stage.DONE;
            return 1;
        }
        if (!t.stringStarted) {
            startString(side, t);
        }
        long moved = 0;
        while (t.offset < t.stringSize && moved < budget) {
            long from = t.stringSource + t.offset;
            long to = t.stringDestination + t.offset;
            if (((from | to) & 3) == 0 && t.stringSize - t.offset >= 4) {
                side.storeReceiver(to, side.loadSender(from));
                t.offset += 4;
                moved += 4;
            } else {
                side.storeReceiverByte(to, side.loadSenderByte(from));
                t.offset += 1;
                moved += 1;
            }
        }
        if (t.offset >= t.stringSize) {
            // the receiver learns how much arrived: its dope's snd_size
            side.storeReceiver(t.stringDope, (int) t.stringSize);
            t.index++;
            t.stringStarted = false;
            t.offset = 0;
        }
        return Math.max(moved, 1);
    }

    private void startString(Side side, LongTransfer t) {
        long senderDope = t.sendMessage + 12 + 4L * t.senderSizeDwords + 16L * t.index;
        long receiverDope = t.receiveBuffer + 12 + 4L * t.receiverSizeDwords + 16L * t.index;
        side.checkSender(senderDope, 8);
        side.checkReceiver(receiverDope, 16);
        long size = side.loadSender(senderDope) & 0xFFFFFFFFL;
        long source = side.loadSender(senderDope + 4) & 0xFFFFFFFFL;
        long room = side.loadReceiver(receiverDope + 8) & 0xFFFFFFFFL;
        long destination = side.loadReceiver(receiverDope + 12) & 0xFFFFFFFFL;
        if (size > room || size > LongTransfer.MAX_STRING) {
            throw new Failure(CompletionCode.SEND_CUT, CompletionCode.RECEIVE_CUT);
        }
        side.checkSender(source, size);
        side.checkReceiver(destination, size);
        kernel.charge(side.local, PathCosts.COPY_SETUP);
        t.stringSize = size;
        t.stringSource = source;
        t.stringDestination = destination;
        t.stringDope = receiverDope;
        t.offset = 0;
        t.stringStarted = true;
    }

    /** The two address spaces as the copy sees them: the sender's directly, the receiver's through the comm area. */
    private final class Side {
        final ProcessorData local;
        final Tcb copier;
        final Tcb a;
        final Tcb b;
        final Cpu cpu;

        Side(ProcessorData local, Tcb copier, Tcb a, Tcb b) {
            this.local = local;
            this.copier = copier;
            this.a = a;
            this.b = b;
            this.cpu = local.cpu();
        }

        void checkSender(long va, long bytes) {
            if (!TransmitPath.inUserSpace(va, bytes)) {
                throw new Failure(CompletionCode.SEND_SND_PF_TIMEOUT, CompletionCode.RECEIVE_SND_PF_TIMEOUT);
            }
        }

        void checkReceiver(long va, long bytes) {
            if (!TransmitPath.inUserSpace(va, bytes)) {
                throw new Failure(CompletionCode.SEND_RCV_PF_TIMEOUT, CompletionCode.RECEIVE_RCV_PF_TIMEOUT);
            }
        }

        int loadSender(long va) {
            checkSender(va, 4);
            return cpu.load(va);
        }

        int loadSenderByte(long va) {
            checkSender(va, 1);
            return cpu.loadByte(va);
        }

        int loadReceiver(long va) {
            checkReceiver(va, 4);
            return cpu.load(CommSpace.address(kernel, local, copier, b, va));
        }

        void storeReceiver(long va, int value) {
            checkReceiver(va, 4);
            cpu.store(CommSpace.address(kernel, local, copier, b, va), value);
        }

        void storeReceiverByte(long va, int value) {
            checkReceiver(va, 1);
            cpu.storeByte(CommSpace.address(kernel, local, copier, b, va), value);
        }
    }
}
