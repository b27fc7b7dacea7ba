package l4smp.specs;

import l4smp.tlc.CheckResult;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static l4smp.specs.IpcCounterexamplesTest.exported;
import static l4smp.specs.TraceValues.at;
import static l4smp.specs.TraceValues.field;
import static l4smp.trace.TlaValue.model;
import static l4smp.trace.TlaValue.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The three races of 8.5 (XpMigration): with each fix removed, TLC finds the cross-processor
 * operation that lands on a CPU its thread has left, after the migration the thesis describes.
 */
class XpMigrationCounterexamplesTest {
    private static final TlaValue S1 = model("s1");
    private static final TlaValue R = model("r");

    private static TraceState last(String config, String invariant, List<String> actions) throws Exception {
        CheckResult r = ModelConfigsTest.check("XpMigration", config);
        assertEquals(invariant, r.violated());
        Trace t = exported(r.trace());
        assertEquals(actions, t.actionNames());
        return t.last();
    }

    @Test
    void withoutTheTargetLockTheRequestGoesToTheReceiversOldCpu() throws Exception {
        TraceState last = last("XpMigrationNoTargetLock", "RequestReachesReceiverInv",
                List.of("SenderCheck", "Migrate", "SenderTrigger"));
        TlaValue mb = at(last, "mb", S1);
        assertEquals(str("request"), field(mb, "state"));
        assertNotEquals(at(last, "cpu", R), field(mb, "cpu"), "flagged where the receiver was when the sender looked");
    }

    @Test
    void migratingTheSenderSendsItsReplyToTheOldCpu() throws Exception {
        TraceState last = last("XpMigrationMigrateSender", "ReplyReachesSenderInv",
                List.of("SenderCheck", "SenderTrigger", "CheckAndAck", "ReceiverReceive", "ProxyXpSendPath", "Migrate"));
        TlaValue mb = at(last, "mb", S1);
        assertEquals(str("reply"), field(mb, "state"));
        assertNotEquals(at(last, "cpu", S1), field(mb, "cpu"), "the reply goes to where the proxy read the sender's CPU");
        assertEquals(str("locked_waiting"), at(last, "st", S1));
    }

    @Test
    void withoutMigratingTheRequestsThePollingProxyStaysBehind() throws Exception {
        TraceState last = last("XpMigrationNoRequestMigration", "ProxyWithReceiverInv",
                List.of("SenderCheck", "SenderTrigger", "CheckAndAck", "ProxyXpSendPath", "Migrate"));
        TlaValue proxy = TlaValue.seq(str("proxy"), S1);
        assertEquals(str("polling"), at(last, "st", proxy));
        assertEquals(R, at(last, "partner", proxy));
        assertEquals(TlaValue.seq(S1), at(last, "sendQ", R), "the sender moved with the receiver's send queue");
        assertNotEquals(at(last, "cpu", R), field(at(last, "mb", S1), "cpu"), "but its proxy polls on the old CPU");
    }
}
