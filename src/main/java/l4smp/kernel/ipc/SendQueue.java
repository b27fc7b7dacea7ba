package l4smp.kernel.ipc;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadId;

/**
 * A receiver's send queue (§8.3.2: "A enqueues itself to B's send queue, a linked list of all
 * threads that want to send to B. This is done to avoid actively checking whether B got ready to
 * receive from A"): doubly linked through the senders' send links, the head in the receiver's TCB
 * (Table 3: send queue, send prev, send next). First in, first out.
 */
public final class SendQueue {
    private SendQueue() {
    }

    /** to TCB.enqueueSendQ (A). */
    public static void enqueue(Kernel kernel, ProcessorData local, Tcb receiver, Tcb sender) {
        if (sender.sendQueueOwner() != null) {
            throw new IllegalStateException("send queue invariant violated: " + sender + " is already queued at "
                    + sender.sendQueueOwner());
        }
        kernel.touch(local, receiver, TcbLine.QUEUES, Access.WRITE);
        kernel.touch(local, sender, TcbLine.QUEUES, Access.WRITE);
        Tcb head = receiver.sendQueueHead();
        sender.sendQueueOwner(receiver);
        if (head == null) {
            sender.sendPrev(sender);
            sender.sendNext(sender);
            receiver.sendQueueHead(sender);
        } else {
            Tcb last = head.sendPrev();
            kernel.touch(local, last, TcbLine.QUEUES, Access.WRITE);
            sender.sendPrev(last);
            sender.sendNext(head);
            last.sendNext(sender);
            head.sendPrev(sender);
        }
    }

    /** B.dequeueSend (A); a no-op if A is in no send queue. */
    public static void dequeue(Kernel kernel, ProcessorData local, Tcb sender) {
        Tcb receiver = sender.sendQueueOwner();
        if (receiver == null) {
            return;
        }
        kernel.touch(local, sender, TcbLine.QUEUES, Access.WRITE);
        kernel.touch(local, receiver, TcbLine.QUEUES, Access.WRITE);
        if (sender.sendNext() == sender) {
            receiver.sendQueueHead(null);
        } else {
            Tcb prev = sender.sendPrev();
            Tcb next = sender.sendNext();
            prev.sendNext(next);
            next.sendPrev(prev);
            if (receiver.sendQueueHead() == sender) {
                receiver.sendQueueHead(next);
            }
        }
        sender.sendQueueOwner(null);
        sender.sendPrev(null);
        sender.sendNext(null);
    }

    /** The queue's threads, head first (a view; free). */
    public static List<ThreadId> list(Tcb receiver) {
        List<ThreadId> ids = new ArrayList<>();
        Tcb head = receiver.sendQueueHead();
        if (head != null) {
            Tcb t = head;
            do {
                ids.add(t.lastId()); // a deleted sender's proxy may still poll here
                t = t.sendNext();
            } while (t != head);
        }
        return ids;
    }

    /** The queued threads, head first. */
    public static List<Tcb> members(Tcb receiver) {
        List<Tcb> all = new ArrayList<>();
        Tcb head = receiver.sendQueueHead();
        if (head != null) {
            Tcb t = head;
            do {
                all.add(t);
                t = t.sendNext();
            } while (t != head);
        }
        return all;
    }
}
